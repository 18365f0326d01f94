import type { z } from "zod";
import type { transformConfigSchema } from "../../schemas/node-kinds/transform";
import { dataReadBy, evaluateExpression, expressionData } from "../expression/evaluate-expression";
import { NodeError, type NodeExecutor } from "./executor";

type Config = z.output<typeof transformConfigSchema>;

/**
 * Evaluates the mapping (JSONata, within the expression limits) over `{ nodes: { <id>: { output } },
 * input }`; what it builds is the step's output. A mapping that yields nothing is an output of
 * null, so a later reference to it says so rather than reading a missing step.
 */
export const transformExecutor: NodeExecutor<Config> = {
  pure: true,
  async execute({ node, outputs, runInput }) {
    const data = expressionData(outputs, runInput);
    const input = dataReadBy(node.config.expression, data);
    let value: unknown;
    try {
      value = await evaluateExpression(node.config.expression, data);
    } catch (error) {
      throw new NodeError(`Mapping: ${(error as { message?: string }).message ?? String(error)}`, { input });
    }
    return { status: "done", input, output: value ?? null };
  },
};

import type { z } from "zod";
import type { conditionConfigSchema } from "../../schemas/node-kinds/condition";
import { evaluateExpression, expressionData } from "../expression/evaluate-expression";
import { NodeError, type NodeExecutor } from "./executor";

type Config = z.output<typeof conditionConfigSchema>;

/**
 * Evaluates the branches' JSONata expressions in order over `{ nodes: { <id>: { output } },
 * input }`; the first true one is taken, else "else". JSONata, never eval, within limits of
 * time, depth and size (`evaluateExpression`): past one, the step fails naming it.
 */
export const conditionExecutor: NodeExecutor<Config> = {
  pure: true,
  async execute({ node, outputs, runInput }) {
    const data = expressionData(outputs, runInput);
    for (const branch of node.config.branches) {
      let value: unknown;
      try {
        value = await evaluateExpression(branch.expression, data);
      } catch (error) {
        throw new NodeError(`Branch “${branch.id}”: ${(error as { message?: string }).message ?? String(error)}`);
      }
      if (value === true || (value !== false && value !== undefined && value !== null && value !== 0 && value !== "")) {
        return {
          status: "done",
          handle: branch.id,
          output: { branch: branch.id },
          input: { evaluated: branch.expression },
        };
      }
    }
    return { status: "done", handle: "else", output: { branch: "else" } };
  },
};

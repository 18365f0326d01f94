import type { z } from "zod";
import type { codeConfigSchema } from "../../schemas/node-kinds/code";
import { dataReadBy, expressionData } from "../expression/evaluate-expression";
import { NodeError, type NodeExecutor } from "./executor";

type Config = z.output<typeof codeConfigSchema>;

/**
 * Runs the step's JavaScript in the code sandbox (the `code` port) over `{ input, nodes }`, the
 * same data a Transform mapping sees; what it returns is the step's output, and its console
 * lines are kept with the step, also when it fails. Pure: the sandbox reaches nothing outside
 * the run, so a resumed run may run it again to the same effect.
 */
export const codeExecutor: NodeExecutor<Config> = {
  pure: true,
  async execute({ node, outputs, runInput, ports, signal }) {
    const data = expressionData(outputs, runInput);
    const input = dataReadBy(node.config.code, data);
    const result = await ports.code.run({
      code: node.config.code,
      data,
      timeoutMs: Math.round(node.config.timeLimitSeconds * 1000),
      memoryMb: node.config.memoryMb,
      signal,
    });
    if (!result.ok) throw new NodeError(`JavaScript: ${result.error}`, { logs: result.logs, input });
    return {
      status: "done",
      input,
      output: result.value ?? null,
      logs: result.logs,
    };
  },
};

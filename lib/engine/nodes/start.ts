import type { z } from "zod";
import type { startConfigSchema } from "../../schemas/node-kinds/start";
import { NodeError, type NodeExecutor } from "./executor";

type Config = z.output<typeof startConfigSchema>;

/** Checks the run's input against the declared fields; its output is the input. */
export const startExecutor: NodeExecutor<Config> = {
  async execute({ node, runInput }) {
    const output: Record<string, unknown> = {};
    for (const field of node.config.fields) {
      const value = runInput[field.name];
      if (value === undefined || value === null || value === "") {
        if (field.required) throw new NodeError(`The run needs the input “${field.name}”.`);
        continue;
      }
      if (field.type === "number" && typeof value !== "number") throw new NodeError(`Input “${field.name}” must be a number.`);
      if (field.type === "boolean" && typeof value !== "boolean") throw new NodeError(`Input “${field.name}” must be true or false.`);
      if ((field.type === "string" || field.type === "text") && typeof value !== "string") throw new NodeError(`Input “${field.name}” must be text.`);
      output[field.name] = value;
    }
    return { status: "done", output, input: runInput };
  },
};

import type { z } from "zod";
import type { outputConfigSchema } from "../../schemas/node-kinds/output";
import { resolveTemplate } from "../template/resolve-template";
import type { NodeExecutor } from "./executor";

type Config = z.output<typeof outputConfigSchema>;

/** Names the run's result. */
export const outputExecutor: NodeExecutor<Config> = {
  pure: true,
  async execute({ node, outputs, vars }) {
    return { status: "done", output: { value: resolveTemplate(node.config.value, outputs, { vars }) } };
  },
};

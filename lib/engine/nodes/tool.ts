import type { z } from "zod";
import type { toolConfigSchema } from "../../schemas/node-kinds/tool";
import { resolveTemplate } from "../template/resolve-template";
import type { NodeExecutor } from "./executor";

type Config = z.output<typeof toolConfigSchema>;

/** Calls one tool through the ToolInvoker port (which checks permissions and audits). */
export const toolExecutor: NodeExecutor<Config> = {
  async execute({ runId, node, outputs, ports, signal }) {
    const args = Object.fromEntries(node.config.arguments.map((a) => [a.name, resolveTemplate(a.value, outputs)]));
    const { result, text } = await ports.tools.call({ tool: node.config.tool, arguments: args, signal, context: { runId, nodeId: node.id } });
    return { status: "done", input: args, output: { result, text } };
  },
};

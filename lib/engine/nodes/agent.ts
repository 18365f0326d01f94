import type { z } from "zod";
import type { agentConfigSchema } from "../../schemas/node-kinds/agent";
import { resolveText } from "../template/resolve-template";
import type { NodeExecutor } from "./executor";

type Config = z.output<typeof agentConfigSchema>;

/** One agent: instructions resolved against earlier outputs, then the model loop through the gateway port. */
export const agentExecutor: NodeExecutor<Config> = {
  async execute({ runId, node, outputs, labels, ports, signal, onDelta }) {
    const instructions = resolveText(node.config.instructions, outputs);
    const memory = node.config.useRunMemory ? Object.entries(outputs).map(([nodeId, output]) => ({ nodeId, label: labels.get(nodeId) ?? nodeId, output })) : [];
    const outputSchema = node.config.outputSchema.trim() ? (JSON.parse(node.config.outputSchema) as Record<string, unknown>) : undefined;
    const result = await ports.models.generate({
      model: node.config.model,
      instructions,
      memory,
      tools: node.config.tools,
      maxSteps: node.config.maxSteps,
      outputSchema,
      signal,
      onDelta,
      context: { runId, nodeId: node.id },
    });
    return { status: "done", input: { instructions }, output: { text: result.text, object: result.object ?? null, usage: result.usage }, usage: result.usage };
  },
};

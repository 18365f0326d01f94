import type { z } from "zod";
import type { subWorkflowConfigSchema } from "../../schemas/node-kinds/sub-workflow";
import { resolveTemplate } from "../template/resolve-template";
import { NodeError, type NodeExecutor } from "./executor";

type Config = z.output<typeof subWorkflowConfigSchema>;

export const MAX_DEPTH = 5;

/** Runs a published workflow as a child run (the orchestrator pattern), to a depth of five. */
export const subWorkflowExecutor: NodeExecutor<Config> = {
  async execute({ runId, node, outputs, depth, ports, signal }) {
    if (depth + 1 > MAX_DEPTH) throw new NodeError(`Sub-workflows nest deeper than ${MAX_DEPTH} levels; is a workflow calling itself?`);
    const input = Object.fromEntries(node.config.inputs.map((i) => [i.name, resolveTemplate(i.value, outputs)]));
    const { output } = await ports.subWorkflows.run({ workflowId: node.config.workflowId, input, parentRunId: runId, nodeId: node.id, depth: depth + 1, signal });
    return { status: "done", input, output: { output } };
  },
};

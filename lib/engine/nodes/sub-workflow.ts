import type { z } from "zod";
import type { subWorkflowConfigSchema } from "../../schemas/node-kinds/sub-workflow";
import { resolveTemplate } from "../template/resolve-template";
import type { ChildRunResult } from "../ports";
import { NodeError, type NodeExecutor, type NodeResult } from "./executor";

type Config = z.output<typeof subWorkflowConfigSchema>;

export const MAX_DEPTH = 5;

function settle(child: ChildRunResult, input: unknown): NodeResult {
  if (child.status === "waiting") return { status: "waiting", waitingOn: `run:${child.runId}`, input };
  if (child.status === "failed") throw new NodeError(`The sub-workflow run failed: ${child.error}`);
  return { status: "done", input, output: { output: child.output, runId: child.runId } };
}

/**
 * Runs a published workflow as a child run (the orchestrator pattern), to a depth of five.
 * A child that pauses (for a review) pauses this step too; when the child finishes, this step
 * is visited again and takes its output.
 */
export const subWorkflowExecutor: NodeExecutor<Config> = {
  async execute({ runId, node, outputs, vars, depth, previous, ports, signal }) {
    if (previous?.status === "waiting" && previous.waitingOn?.startsWith("run:")) {
      return settle(await ports.subWorkflows.result(previous.waitingOn.slice(4)), previous.input);
    }
    if (depth + 1 > MAX_DEPTH)
      throw new NodeError(`Sub-workflows nest deeper than ${MAX_DEPTH} levels; is a workflow calling itself?`);
    const input = Object.fromEntries(
      node.config.inputs.map((i) => [i.name, resolveTemplate(i.value, outputs, { vars })]),
    );
    return settle(
      await ports.subWorkflows.run({
        workflowId: node.config.workflowId,
        input,
        parentRunId: runId,
        nodeId: node.id,
        depth: depth + 1,
        signal,
      }),
      input,
    );
  },
};

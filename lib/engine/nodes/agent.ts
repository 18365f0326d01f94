import type { z } from "zod";
import type { agentConfigSchema } from "../../schemas/node-kinds/agent";
import type { PendingApproval } from "../ports";
import { resolveText } from "../template/resolve-template";
import type { NodeExecutor } from "./executor";

type Config = z.output<typeof agentConfigSchema>;

/**
 * One agent: instructions resolved against earlier outputs, then the model loop through the
 * gateway port. When the loop reaches a tool call that needs a person's approval, the step
 * files a review with the tool and its arguments and waits (the conversation is kept with the
 * step); on resume the decision goes back into the loop, which goes on (a denial is told to
 * the agent with the reviewer's reason).
 */
export const agentExecutor: NodeExecutor<Config> = {
  async execute({ runId, node, outputs, labels, ports, signal, onDelta, previous }) {
    const reviewId = previous?.status === "waiting" ? previous.waitingOn : undefined;
    const waiting = reviewId ? (previous!.input as { instructions: string; pending: PendingApproval }) : null;
    let resume: { pending: PendingApproval; approved: boolean; reason: string; approver: string } | undefined;
    if (waiting && reviewId) {
      const decision = await ports.reviews.decision(reviewId);
      if (!decision) return { status: "waiting", waitingOn: reviewId, input: previous!.input };
      resume = { pending: waiting.pending, approved: decision.outcome === "approved", reason: decision.comment, approver: decision.reviewer };
    }
    const instructions = waiting?.instructions ?? resolveText(node.config.instructions, outputs);
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
      resume,
    });
    if (result.approval) {
      const review = await ports.reviews.request({
        runId,
        nodeId: node.id,
        stepLabel: node.label || node.id,
        instructions: `The agent **${node.label || node.id}** wants to call the tool **${result.approval.toolName}** with the arguments below. Approve the call, or reject it with a reason (the agent is told).`,
        content: JSON.stringify(result.approval.input, null, 2),
        reviewerRole: "REVIEWER",
        reviewerEmail: "",
        editable: false,
        outcomes: ["approved", "rejected"],
      });
      return { status: "waiting", waitingOn: review, input: { instructions, pending: result.approval } };
    }
    return { status: "done", input: { instructions }, output: { text: result.text, object: result.object ?? null, usage: result.usage }, usage: result.usage };
  },
};

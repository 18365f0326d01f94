import type { z } from "zod";
import type { agentConfigSchema } from "../../schemas/node-kinds/agent";
import type { ModelRequest, PendingApproval } from "../ports";
import { resolveText } from "../template/resolve-template";
import { awaitReview } from "./await-review";
import type { NodeExecutor } from "./executor";

type Config = z.output<typeof agentConfigSchema>;

/** What an agent step keeps while it waits for a tool call's approval. */
type Paused = { instructions: string; pending: PendingApproval };

/**
 * One agent: instructions resolved against earlier outputs, then the model loop through the
 * gateway port. When the loop reaches a tool call that needs a person's approval, the step
 * files a review with the tool and its arguments and waits (the conversation is kept with the
 * step); on resume the decision goes back into the loop, which goes on (a denial is told to
 * the agent with the reviewer's reason).
 */
export const agentExecutor: NodeExecutor<Config> = {
  async execute({ runId, node, outputs, vars, labels, ports, signal, onDelta, previous, conversation }) {
    const review = await awaitReview(previous, ports.reviews);
    if (review.status === "pending") return review.result;
    let instructions: string;
    let resume: ModelRequest["resume"];
    if (review.status === "decided") {
      const paused = review.input as Paused;
      instructions = paused.instructions;
      resume = {
        pending: paused.pending,
        approved: review.decision.outcome === "approved",
        reason: review.decision.comment,
        approver: review.decision.reviewer,
      };
    } else instructions = resolveText(node.config.instructions, outputs, { vars });
    const memory = node.config.useRunMemory
      ? Object.entries(outputs).map(([nodeId, output]) => ({ nodeId, label: labels.get(nodeId) ?? nodeId, output }))
      : [];
    const outputSchema = node.config.outputSchema.trim()
      ? (JSON.parse(node.config.outputSchema) as Record<string, unknown>)
      : undefined;
    const result = await ports.models.generate({
      model: node.config.model,
      instructions,
      memory,
      conversation: node.config.useRunMemory ? conversation : null,
      tools: node.config.tools,
      maxSteps: node.config.maxSteps,
      outputSchema,
      signal,
      onDelta,
      context: { runId, nodeId: node.id },
      resume,
    });
    if (result.approval) {
      const reviewId = await ports.reviews.request({
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
      return {
        status: "waiting",
        waitingOn: reviewId,
        input: { instructions, pending: result.approval } satisfies Paused,
      };
    }
    return {
      status: "done",
      input: { instructions },
      output: { text: result.text, object: result.object ?? null, usage: result.usage },
      usage: result.usage,
    };
  },
};

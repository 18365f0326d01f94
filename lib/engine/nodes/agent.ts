import type { z } from "zod";
import type { agentConfigSchema } from "../../schemas/node-kinds/agent";
import { usd } from "../../schemas/money";
import type { ModelRequest, PendingApproval, PendingCostCap, ReviewQueue } from "../ports";
import { resolveText } from "../template/resolve-template";
import { awaitReview } from "./await-review";
import type { NodeExecutor } from "./executor";

type Config = z.output<typeof agentConfigSchema>;

/** What an agent step keeps while it waits for a tool call's approval, or for its run's cost cap to be raised. */
type Paused = { instructions: string; pending: PendingApproval } | { instructions: string; costCap: PendingCostCap };

/** The one field of the review's content: the new cap, which the admin may change. */
const NEW_CAP = "New cost cap for this run (USD)";

/** The cap proposed to the admin: twice the cap, and at least enough for the refused call. */
const proposedCap = (c: PendingCostCap) => {
  const needed = Math.max(c.limitUsd * 2, c.spentUsd + c.amountUsd);
  // Whole cents when the sums are, else two significant digits up.
  if (needed >= 0.01) return Math.ceil(needed * 100) / 100;
  const step = 10 ** (Math.floor(Math.log10(needed)) - 1);
  return Number((Math.ceil(needed / step) * step).toPrecision(2));
};

/** Asks an admin to raise the run's cost cap (the new cap is the content, which they may change). */
function askToRaise(reviews: ReviewQueue, runId: string, label: string, nodeId: string, c: PendingCostCap) {
  return reviews.request({
    runId,
    nodeId,
    stepLabel: label,
    instructions: `This run reached its cost cap: it may spend **${usd(c.limitUsd)}** on models, **${usd(c.spentUsd)}** is spent, and the agent **${label}**'s next call could cost up to **${usd(c.amountUsd)}**. Approve to raise this run's cap to the amount below (change it if you like: more than ${usd(c.limitUsd)}) and go on from where it stopped; reject to stop the run here.`,
    content: JSON.stringify({ [NEW_CAP]: proposedCap(c) }, null, 2),
    contentFormat: "json",
    // The reviewer is told at once when the amount is not a number above the cap.
    contentSchema: {
      type: "object",
      required: [NEW_CAP],
      properties: { [NEW_CAP]: { type: "number", exclusiveMinimum: c.limitUsd } },
    },
    reviewerRole: "ADMIN",
    reviewerEmail: "",
    editable: true,
    outcomes: ["approved", "rejected"],
    // An admin who started the run may raise its cap: they could change the workflow's anyway.
    allowSelfApproval: true,
  });
}

/** The cap an admin approved: the content's amount when it is a number above the old cap, else the one proposed. */
function approvedCap(content: unknown, c: PendingCostCap): number {
  let typed: unknown = content;
  try {
    if (typeof content === "string") typed = JSON.parse(content);
  } catch {
    typed = null;
  }
  const value = typed && typeof typed === "object" ? (typed as Record<string, unknown>)[NEW_CAP] : undefined;
  // The inbox refuses anything else; a decision made another way falls back to the cap proposed.
  return typeof value === "number" && Number.isFinite(value) && value > c.limitUsd ? value : proposedCap(c);
}

/**
 * One agent: instructions resolved against earlier outputs, then the model loop through the
 * gateway port. When the loop reaches a tool call that needs a person's approval, the step
 * files a review with the tool and its arguments and waits (the conversation is kept with the
 * step); on resume the decision goes back into the loop, which goes on (a denial is told to
 * the agent with the reviewer's reason). When the run's cost cap stops the loop and the workflow
 * says to wait, the step asks an admin to raise it (the conversation kept), then goes on from the
 * refused call; a refusal fails the step, naming who refused.
 */
export const agentExecutor: NodeExecutor<Config> = {
  async execute({ runId, node, outputs, vars, labels, ports, signal, onDelta, previous, conversation }) {
    const review = await awaitReview(previous, ports.reviews);
    if (review.status === "pending") return review.result;
    let instructions: string;
    let resume: ModelRequest["resume"];
    let pastCap: ModelRequest["pastCap"];
    if (review.status === "decided") {
      const paused = review.input as Paused;
      instructions = paused.instructions;
      if ("costCap" in paused) {
        const { decision } = review;
        if (decision.outcome !== "approved")
          throw new Error(
            `This run reached its cost cap of ${usd(paused.costCap.limitUsd)}, and ${decision.reviewer || "nobody"} did not raise it${decision.comment ? `: ${decision.comment}` : "."}`,
          );
        pastCap = { pending: paused.costCap, costCapUsd: approvedCap(decision.content, paused.costCap) };
      } else
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
      pastCap,
    });
    if (result.costCap) {
      const reviewId = await askToRaise(ports.reviews, runId, node.label || node.id, node.id, result.costCap);
      return {
        status: "waiting",
        waitingOn: reviewId,
        input: { instructions, costCap: result.costCap } satisfies Paused,
      };
    }
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

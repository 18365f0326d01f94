import type { z } from "zod";
import type { toolConfigSchema } from "../../schemas/node-kinds/tool";
import { resolveTemplate } from "../template/resolve-template";
import { awaitReview } from "./await-review";
import type { NodeExecutor } from "./executor";

type Config = z.output<typeof toolConfigSchema>;

/**
 * Calls one tool through the ToolInvoker port (which checks permissions and audits). A tool
 * that needs approval first files a review with the tool and its arguments and waits; on
 * resume, an approval calls it with the arguments as approved (the reviewer may edit them), a
 * rejection fails the step with the reviewer's reason.
 */
export const toolExecutor: NodeExecutor<Config> = {
  async execute({ runId, node, outputs, vars, ports, signal, previous }) {
    const tool = node.config.tool;
    const context = { runId, nodeId: node.id };
    const review = await awaitReview(previous, ports.reviews);
    if (review.status === "pending") return review.result;
    if (review.status === "decided") {
      const { decision } = review;
      if (decision.outcome !== "approved")
        throw new Error(
          `${decision.reviewer} did not approve the call of ${tool}${decision.comment ? `: ${decision.comment}` : "."}`,
        );
      let args: Record<string, unknown>;
      try {
        args =
          typeof decision.content === "string"
            ? (JSON.parse(decision.content) as Record<string, unknown>)
            : ((decision.content ?? review.input) as Record<string, unknown>);
      } catch {
        throw new Error(`The arguments ${decision.reviewer} approved are not valid JSON.`);
      }
      const { result, text } = await ports.tools.call({
        tool,
        arguments: args,
        signal,
        context,
        approver: decision.reviewer,
      });
      return { status: "done", input: args, output: { result, text, approvedBy: decision.reviewer } };
    }
    const args = Object.fromEntries(
      node.config.arguments.map((a) => [a.name, resolveTemplate(a.value, outputs, { vars })]),
    );
    if (await ports.tools.needsApproval(tool)) {
      const reviewId = await ports.reviews.request({
        runId,
        nodeId: node.id,
        stepLabel: node.label || node.id,
        instructions: `The workflow wants to call the tool **${tool}** with the arguments below. Approve it (you may edit the arguments, as JSON), or reject it with a reason.`,
        content: JSON.stringify(args, null, 2),
        reviewerRole: "REVIEWER",
        reviewerEmail: "",
        editable: true,
        contentFormat: "json",
        outcomes: ["approved", "rejected"],
      });
      return { status: "waiting", waitingOn: reviewId, input: args };
    }
    const { result, text } = await ports.tools.call({ tool, arguments: args, signal, context });
    return { status: "done", input: args, output: { result, text } };
  },
};

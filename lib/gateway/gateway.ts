import "server-only";
import { jsonSchema, Output, stepCountIs, streamText, type ModelMessage, type ToolSet } from "ai";
import type { JSONSchema7 } from "@ai-sdk/provider";
import type { ModelGateway, ModelRequest } from "../engine/ports";
import { GatewayError } from "./errors";
import { governedModel, type Caller } from "./pipeline";

/**
 * The engine's ModelGateway port: an agent step is an AI SDK `streamText` loop on the governed
 * model of its alias (so every model call of the loop passes the gateway pipeline and lands in
 * the ledger), with the run so far as context (and a chat's conversation before the message
 * as earlier messages), live token deltas, and structured output
 * checked against the step's schema.
 */
const SYSTEM =
  "You are one step of a workflow in Flowdeck. Do what the instructions ask, and answer with the result only.";

function memoryMessage(memory: ModelRequest["memory"]): string | null {
  if (!memory.length) return null;
  const lines = memory.map((m) => `## ${m.label} (${m.nodeId})\n${JSON.stringify(m.output, null, 1).slice(0, 8_000)}`);
  return `The run so far (${memory.length} earlier step${memory.length === 1 ? "" : "s"}):\n\n${lines.join("\n\n")}`;
}

/** A chat's older turns, summarized, for the system message. */
const summaryMessage = (conversation: ModelRequest["conversation"]) =>
  conversation?.summary ? `Earlier in this conversation (a summary):\n${conversation.summary}` : null;

/** A chat's recent messages, before the step's own prompt. */
const conversationMessages = (conversation: ModelRequest["conversation"]): ModelMessage[] =>
  (conversation?.messages ?? []).map((m) => ({ role: m.role, content: m.content }));

/**
 * The AI SDK tools for an agent step's tool names (from lib/mcp, given by the caller);
 * `approver` names who approved the call the loop resumes with.
 */
export type ToolSetFor = (
  names: string[],
  context: { runId: string; nodeId: string },
  approver?: string,
) => Promise<ToolSet>;

export function modelGateway(caller: Omit<Caller, "runId" | "nodeId" | "source">, toolsFor?: ToolSetFor): ModelGateway {
  return {
    async generate(request) {
      const tools =
        request.tools.length && toolsFor
          ? await toolsFor(
              request.tools,
              request.context,
              request.resume?.approved ? request.resume.approver : undefined,
            )
          : undefined;
      // A loop that paused for an approval goes on from its conversation, with the decision.
      const resumed = request.resume
        ? ([
            ...(request.resume.pending.messages as ModelMessage[]),
            {
              role: "tool",
              content: [
                {
                  type: "tool-approval-response",
                  approvalId: request.resume.pending.approvalId,
                  approved: request.resume.approved,
                  reason: request.resume.reason || undefined,
                },
              ],
            },
          ] as ModelMessage[])
        : null;
      // Going on past the run's cost cap: an admin raised it; the loop sends what it was refused.
      if (request.pastCap) await caller.runCostCap?.raise(request.pastCap.costCapUsd);
      let costUsd = 0;
      const model = governedModel(
        request.model,
        { ...caller, runId: request.context.runId, nodeId: request.context.nodeId, source: "workflow" },
        (r) => (costUsd += r.costUsd),
      );
      const system = [SYSTEM, memoryMessage(request.memory), summaryMessage(request.conversation)]
        .filter(Boolean)
        .join("\n\n");
      // A chat's run: the conversation so far, then the step's instructions as the newest message.
      const prompt: ModelMessage[] = [
        ...conversationMessages(request.conversation),
        { role: "user", content: request.instructions },
      ];
      const first: ModelMessage[] =
        (request.pastCap?.pending.messages as ModelMessage[] | undefined) ?? resumed ?? prompt;
      // What each model call of the loop sends: where to go on from if the run's cost cap stops it.
      let sending = first;
      const result = streamText({
        model,
        system,
        messages: first,
        prepareStep: ({ messages }) => {
          sending = messages;
          return undefined;
        },
        maxRetries: 0,
        abortSignal: request.signal,
        // Errors come as parts of the stream below; the SDK's default prints them whole to stderr,
        // past the log's redaction.
        onError: () => undefined,
        stopWhen: stepCountIs(request.maxSteps),
        ...(tools ? { tools } : {}),
        ...(request.outputSchema
          ? { output: Output.object({ schema: jsonSchema(request.outputSchema as JSONSchema7) }) }
          : {}),
      });
      for await (const part of result.fullStream) {
        if (part.type === "text-delta") request.onDelta?.(part.text);
        else if (part.type === "error") {
          const cap = part.error instanceof GatewayError ? part.error.costCap : undefined;
          // The workflow waits at its cost cap for an admin to raise it: the step keeps where it stopped.
          if (cap?.onReach === "REVIEW")
            return {
              text: "",
              usage: { inputTokens: 0, outputTokens: 0, costUsd },
              costCap: { messages: sending, limitUsd: cap.limitUsd, spentUsd: cap.spentUsd, amountUsd: cap.amountUsd },
            };
          throw part.error instanceof Error ? part.error : new Error(String(part.error));
        } else if (part.type === "abort") throw request.signal.reason ?? new Error("Cancelled");
      }
      const [text, usage, content, response] = await Promise.all([
        result.text,
        result.totalUsage,
        result.content,
        result.response,
      ]);
      const spent = { inputTokens: usage.inputTokens ?? 0, outputTokens: usage.outputTokens ?? 0, costUsd };
      const asked = content.find((p) => p.type === "tool-approval-request");
      if (asked && asked.type === "tool-approval-request") {
        const before: ModelMessage[] = first;
        return {
          text,
          usage: spent,
          approval: {
            messages: [...before, ...response.messages],
            approvalId: asked.approvalId,
            toolName: asked.toolCall.toolName,
            input: asked.toolCall.input,
          },
        };
      }
      const object = request.outputSchema ? await result.output : undefined;
      return { text, object, usage: spent };
    },
  };
}

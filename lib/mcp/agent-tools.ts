import "server-only";
import { jsonSchema, tool, type ToolSet } from "ai";
import type { JSONSchema7 } from "@ai-sdk/provider";
import { invokeTool, usableTools, type ToolCaller } from "./tools";

/**
 * The tools an Agent step may call, as AI SDK tools: those it lists and its caller may use.
 * Each call goes through `invokeTool` (permissions, pool, audit). A refusal or a failure is
 * given to the model as the tool's result, so the agent is told why and can go on. A tool that
 * needs approval pauses the loop (AI SDK tool approval) until a person decides.
 */
export async function agentToolSet(caller: ToolCaller, names: string[], approver?: string): Promise<ToolSet> {
  const usable = new Map((await usableTools(caller)).map((t) => [t.name, t]));
  const set: ToolSet = {};
  for (const name of names) {
    const t = usable.get(name);
    set[name] = tool({
      description: t?.description ?? `(not available: ${name})`,
      inputSchema: jsonSchema((t?.inputSchema ?? { type: "object", properties: {} }) as JSONSchema7),
      // The loop pauses here for a person (the step files a review and waits).
      needsApproval: t?.requiresApproval ?? false,
      execute: async (args, { abortSignal }) => {
        try {
          const r = await invokeTool(caller, name, args as Record<string, unknown>, { signal: abortSignal, approver });
          return r.text || r.result;
        } catch (error) {
          if (abortSignal?.aborted) throw error;
          return { error: (error as Error).message };
        }
      },
    });
  }
  return set;
}

import "server-only";
import { jsonSchema, tool, type ToolSet } from "ai";
import type { JSONSchema7 } from "@ai-sdk/provider";
import { invokeTool, usableTools, type ToolCaller } from "./tools";

/**
 * The tools an Agent step may call, as AI SDK tools: those it lists and its caller may use.
 * Each call goes through `invokeTool` (permissions, pool, audit). A refusal or a failure is
 * given to the model as the tool's result, so the agent is told why and can go on.
 */
export async function agentToolSet(caller: ToolCaller, names: string[]): Promise<ToolSet> {
  const usable = new Map((await usableTools(caller)).map((t) => [t.name, t]));
  const set: ToolSet = {};
  for (const name of names) {
    const t = usable.get(name);
    set[name] = tool({
      description: t?.description ?? `(not available: ${name})`,
      inputSchema: jsonSchema((t?.inputSchema ?? { type: "object", properties: {} }) as JSONSchema7),
      execute: async (args, { abortSignal }) => {
        try {
          const r = await invokeTool(caller, name, args as Record<string, unknown>, { signal: abortSignal });
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

import "server-only";
import { processSingleton } from "../process/singleton";
import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModelV3 } from "@ai-sdk/provider";
import { workspaceFetch } from "../egress/destinations";
import type { DeploymentConfig } from "./config";
import { addressRefused } from "./provider-stream";
import { DemoLanguageModel } from "./demo-model";

/**
 * The AI SDK model behind one deployment, made once per provider settings and reused (each
 * holds no connection of its own; fetch keeps connections alive). Retries are the gateway's
 * business (failover), so nothing here retries.
 */
const models = () => processSingleton("provider-models", () => new Map<string, LanguageModelV3>());

export function providerModel(d: DeploymentConfig): LanguageModelV3 {
  const key = `${d.id}|${d.modelId}|${d.provider.version}`;
  let model = models().get(key);
  if (!model) {
    model = makeModel(d);
    models().set(key, model);
  }
  return model;
}

function makeModel(d: DeploymentConfig): LanguageModelV3 {
  const { kind, baseUrl, apiKey, name, workspaceId } = d.provider;
  // A team's own provider is reached through the egress guard (as ./provider-stream.ts does).
  const fetch = workspaceId ? { fetch: refusingAsGateway(workspaceFetch(workspaceId, "models")) } : {};
  switch (kind) {
    case "DEMO":
      return new DemoLanguageModel();
    case "OPENAI":
      return createOpenAI({ apiKey: apiKey ?? "", ...(baseUrl ? { baseURL: baseUrl } : {}), ...fetch }).chat(d.modelId);
    case "ANTHROPIC":
      return createAnthropic({ apiKey: apiKey ?? "", ...(baseUrl ? { baseURL: baseUrl } : {}), ...fetch })(d.modelId);
    case "OPENAI_COMPATIBLE":
      return createOpenAICompatible({
        name: name.replace(/\W+/g, "-").toLowerCase() || "compatible",
        baseURL: baseUrl ?? "",
        apiKey: apiKey ?? undefined,
        includeUsage: true,
        ...fetch,
      })(d.modelId);
  }
}

/** `fetch`, its refusal of an address the team does not allow thrown as the gateway's error. */
function refusingAsGateway(fetch: ReturnType<typeof workspaceFetch>): ReturnType<typeof workspaceFetch> {
  return async (input, init) => {
    try {
      return await fetch(input, init);
    } catch (error) {
      throw addressRefused(error) ?? error;
    }
  };
}

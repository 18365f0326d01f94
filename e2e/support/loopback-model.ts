import type { APIRequestContext } from "@playwright/test";

/**
 * Connects the loopback OpenAI-compatible server (test/support/fake-llm-server) as a provider,
 * once per studio, and defines gateway models on it: `{ alias: modelId }`, open to admins.
 */
export async function addLoopbackModels(
  api: APIRequestContext,
  baseUrl: string,
  models: Record<string, string>,
): Promise<void> {
  const { providers } = (await (await api.get("/api/admin/gateway/providers")).json()) as {
    providers: { id: string; name: string }[];
  };
  let providerId = providers.find((p) => p.name === "Loopback")?.id;
  if (!providerId) {
    const made = await api.post("/api/admin/gateway/providers", {
      data: { name: "Loopback", kind: "OPENAI_COMPATIBLE", baseUrl },
    });
    if (!made.ok()) throw new Error(`The loopback provider was refused: ${made.status()} ${await made.text()}`);
    providerId = ((await made.json()) as { id: string }).id;
  }
  for (const [name, modelId] of Object.entries(models)) {
    const res = await api.post("/api/admin/gateway/models", {
      data: { name, allowedRoles: ["ADMIN"], deployments: [{ providerId, modelId }] },
    });
    if (res.status() !== 201) throw new Error(`The model “${name}” was refused: ${res.status()} ${await res.text()}`);
  }
}

import type { APIRequestContext } from "@playwright/test";

/**
 * Connects the loopback OpenAI-compatible server (test/support/fake-llm-server) as a provider,
 * once per server (named by its port: the studio is shared by every file a Playwright worker
 * runs, each with a server of its own), and defines gateway models on it: `{ alias: modelId }`,
 * open to admins.
 */
export async function addLoopbackModels(
  api: APIRequestContext,
  baseUrl: string,
  models: Record<string, string>,
): Promise<void> {
  const { providers } = (await (await api.get("/api/admin/gateway/providers")).json()) as {
    providers: { id: string; name: string }[];
  };
  const name = `Loopback ${new URL(baseUrl).port}`;
  let providerId = providers.find((p) => p.name === name)?.id;
  if (!providerId) {
    const made = await api.post("/api/admin/gateway/providers", {
      data: { name, kind: "OPENAI_COMPATIBLE", baseUrl },
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

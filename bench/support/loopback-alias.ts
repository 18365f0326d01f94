import type { Viewer } from "../../lib/auth/session";

/**
 * Connects the loopback model server at `baseUrl` as the workspace's provider "Loopback" and
 * defines the alias "fast" on its model "bench" ($1 / $2 per million tokens): the gateway
 * benchmarks' model.
 */
export async function loopbackAlias(viewer: Viewer, baseUrl: string): Promise<void> {
  const admin = await import("../../lib/gateway/admin");
  const { id: providerId } = await admin.saveProvider(viewer, {
    name: "Loopback",
    kind: "OPENAI_COMPATIBLE",
    baseUrl,
    apiKey: "",
  });
  await admin.saveAlias(viewer, {
    name: "fast",
    description: "",
    inputPricePerMTok: 1,
    outputPricePerMTok: 2,
    contextWindow: 128_000,
    maxOutputTokens: 1000,
    supportsTools: true,
    supportsStructured: true,
    allowedRoles: ["ADMIN"],
    allowedUserIds: [],
    cacheTtlSeconds: 0,
    deployments: [{ providerId, modelId: "bench", weight: 1, rpmLimit: null, tpmLimit: null, timeoutSeconds: 30 }],
  });
}

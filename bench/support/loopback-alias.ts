import type { Viewer } from "../../lib/auth/session";

/**
 * Connects the loopback model server at `baseUrl` as the organization's provider "Loopback",
 * defines the model "fast" on its model "bench" ($1 / $2 per million tokens) and grants it to the
 * viewer's workspace under that name, as an installation owner would: the gateway benchmarks'
 * model. The viewer is made an installation owner of the benchmark's scratch database.
 */
export async function loopbackAlias(viewer: Viewer, baseUrl: string): Promise<void> {
  const { db } = await import("../../lib/db/client");
  await (await db()).user.update({ where: { id: viewer.user.id }, data: { installationOwner: true } });
  const admin = await import("../../lib/gateway/admin");
  const { saveTeam } = await import("../../lib/gateway/teams");
  const { id: providerId } = await admin.saveProvider(
    viewer,
    { name: "Loopback", kind: "OPENAI_COMPATIBLE", baseUrl, apiKey: "" },
    undefined,
    "organization",
  );
  const { id: aliasId } = await admin.saveAlias(
    viewer,
    {
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
    },
    undefined,
    "organization",
  );
  await saveTeam(viewer, viewer.workspace.id, {
    grants: [{ aliasId, name: "fast" }],
    ownProviders: false,
    workspaceRpm: null,
    workspaceTpm: null,
    workspaceBudgetUsd: null,
    budgetPeriod: "MONTH",
  });
}

import type { Viewer } from "../../lib/auth/session";
import { aliasInput } from "../../test/support/alias-input";

/**
 * Connects the loopback model server at `baseUrl` as the organization's provider "Loopback",
 * defines the model "fast" on its model "bench" ($1 / $2 per million tokens) and grants it to the
 * viewer's workspace under that name, as an installation owner would: the gateway benchmarks'
 * model. The viewer is made an installation owner of the benchmark's scratch database. A second
 * workspace of the same benchmark is granted the same provider and model.
 */
export async function loopbackAlias(viewer: Viewer, baseUrl: string): Promise<void> {
  const { db } = await import("../../lib/db/client");
  const prisma = await db();
  await prisma.user.update({ where: { id: viewer.user.id }, data: { installationOwner: true } });
  const admin = await import("../../lib/gateway/admin");
  const { saveTeam } = await import("../../lib/gateway/teams");
  const grant = async (aliasId: string) =>
    saveTeam(viewer, viewer.workspace.id, {
      grants: [{ aliasId, name: "fast" }],
      ownProviders: false,
      workspaceRpm: null,
      workspaceTpm: null,
      workspaceBudgetUsd: null,
      budgetPeriod: "MONTH",
    });
  const made = await prisma.modelAlias.findFirst({ where: { workspaceId: null, name: "fast" } });
  if (made) return grant(made.id);
  const { id: providerId } = await admin.saveProvider(
    viewer,
    { name: "Loopback", kind: "OPENAI_COMPATIBLE", baseUrl, apiKey: "" },
    undefined,
    "organization",
  );
  const { id: aliasId } = await admin.saveAlias(
    viewer,
    aliasInput("fast", [{ providerId, modelId: "bench" }], {
      inputPricePerMTok: 1,
      outputPricePerMTok: 2,
      allowedRoles: ["ADMIN"],
    }),
    undefined,
    "organization",
  );
  await grant(aliasId);
}

import type { APIRequestContext } from "@playwright/test";

/**
 * Connects the loopback OpenAI-compatible server (test/support/fake-llm-server) as one of the
 * organization's providers, once per server (named by its port: the studio is shared by every
 * file a Playwright worker runs, each with a server of its own), defines organization models on
 * it (`{ alias: modelId }`) and grants them to the signed-in installation owner's current
 * workspace under the same names, open to its admins.
 */
export async function addLoopbackModels(
  api: APIRequestContext,
  baseUrl: string,
  models: Record<string, string>,
  /** Anything else every model gets (a price, say). */
  extra: { inputPricePerMTok?: number; outputPricePerMTok?: number } = {},
): Promise<void> {
  const { providers } = (await ok(await api.get("/api/organization/providers"), "The providers' list")) as {
    providers: { id: string; name: string }[];
  };
  const name = `Loopback ${new URL(baseUrl).port}`;
  const providerId =
    providers.find((p) => p.name === name)?.id ??
    (
      (await ok(
        await api.post("/api/organization/providers", { data: { name, kind: "OPENAI_COMPATIBLE", baseUrl } }),
        "The loopback provider",
      )) as { id: string }
    ).id;
  const made: { aliasId: string; name: string; allowedRoles: string[] }[] = [];
  for (const [alias, modelId] of Object.entries(models)) {
    const res = await api.post("/api/organization/models", {
      data: { name: alias, allowedRoles: ["ADMIN"], deployments: [{ providerId, modelId }], ...extra },
    });
    const { id } = (await ok(res, `The model “${alias}”`)) as { id: string };
    made.push({ aliasId: id, name: alias, allowedRoles: ["ADMIN"] });
  }
  await changeTeam(api, (team) => ({ grants: [...team.grants, ...made] }));
}

/**
 * Lets the signed-in installation owner's current workspace bring its own providers and models
 * and, given a loopback model server's URL, lets them reach it: a team's own provider reaches a
 * private address only through one of its HTTP destinations (here the server's host and port,
 * private addresses allowed), as its admin would add it.
 */
export async function allowOwnProviders(api: APIRequestContext, loopbackUrl?: string): Promise<void> {
  await changeTeam(api, () => ({ ownProviders: true }));
  if (!loopbackUrl) return;
  const res = await api.post("/api/admin/destinations", {
    data: { pattern: new URL(loopbackUrl).host, allowPrivate: true },
  });
  if (res.status() !== 409) await ok(res, "The loopback server's HTTP destination"); // 409: allowed already
}

/**
 * Takes away the HTTP destinations tests added for loopback servers (`127.0.0.1:<port>`): the
 * workspace is shared by every file a Playwright worker runs, and a later file may expect none.
 */
export async function forgetLoopbackDestinations(api: APIRequestContext): Promise<void> {
  const { destinations } = (await ok(await api.get("/api/admin/destinations"), "The HTTP destinations")) as {
    destinations: { id: string; pattern: string }[];
  };
  for (const d of destinations)
    if (d.pattern.startsWith("127.0.0.1:")) await ok(await api.delete(`/api/admin/destinations/${d.id}`), d.pattern);
}

async function ok(res: Awaited<ReturnType<APIRequestContext["get"]>>, what: string) {
  if (!res.ok()) throw new Error(`${what} was refused: ${res.status()} ${await res.text()}`);
  return res.json();
}

interface Team {
  grants: { aliasId: string; name: string }[];
  ownProviders: boolean;
  workspaceRpm: number | null;
  workspaceTpm: number | null;
  workspaceBudgetUsd: number | null;
  budgetPeriod: string;
}

/** Changes the current workspace's team settings (Organization → Teams), keeping what `change` leaves out. */
async function changeTeam(api: APIRequestContext, change: (team: Team) => Partial<Team>) {
  const me = (await ok(await api.get("/api/me"), "/api/me")) as { workspace: { id: string } };
  const { teams } = (await ok(await api.get("/api/organization/teams"), "The teams' list")) as {
    teams: (Team & { id: string })[];
  };
  const team = teams.find((t) => t.id === me.workspace.id)!;
  const next = { ...team, ...change(team) };
  await ok(
    await api.put(`/api/organization/teams/${team.id}`, {
      data: {
        grants: next.grants.map((g) => ({ aliasId: g.aliasId, name: g.name })),
        ownProviders: next.ownProviders,
        workspaceRpm: next.workspaceRpm,
        workspaceTpm: next.workspaceTpm,
        workspaceBudgetUsd: next.workspaceBudgetUsd,
        budgetPeriod: next.budgetPeriod,
      },
    }),
    "The team's change",
  );
}

import { expect, type APIRequestContext } from "@playwright/test";
import { test as base } from "./fixtures";
import { addMember, newPerson, signedInApi, type Person } from "./people";
import { createReviewWorkflow, runToReview } from "./reviews";
import { demoWorkflowId, waitForRunStatus } from "./runs-api";
import { allowOwnProviders } from "./loopback-model";

/**
 * Two workspaces with real data, and every kind of caller, for the security suite
 * (e2e/security-*.spec.ts). Workspace A ("Acme", the fixture admin's) has an admin, a builder,
 * a reviewer, workflows, runs waiting for a reviewer's and an admin's review, a provider with a
 * key, a model, an MCP server, an invitation, API keys; B has an admin of B only (`outsider`).
 * Everything of A that a stranger must never see is named with `CANARY`.
 */
export const CANARY = "canary-A";

export const CALLERS = ["anonymous", "revokedKey", "outsider", "reviewer", "builder", "admin"] as const;
export type CallerName = (typeof CALLERS)[number];

/** What a caller sends with every request: a session cookie, a bearer key, or nothing. */
export type Callers = Record<CallerName, Record<string, string>>;

export interface World {
  baseURL: string;
  callers: Callers;
  /** The fixture admin of A (the installation's first admin), for making fresh objects. */
  owner: APIRequestContext;
  /** A's second admin, the matrix's "admin" (not the installation's first admin). */
  adminOfA: APIRequestContext;
  ids: {
    workspaceA: string;
    workspaceB: string;
    demoWorkflow: string;
    workflow: string;
    run: string;
    cancelledRun: string;
    reviewerReview: string;
    adminReview: string;
    provider: string;
    model: string;
    server: string;
    invitation: string;
    spareMember: string;
    variable: string;
    trigger: string;
    /** The webhook's secret token. */
    triggerSecret: string;
    /** A members-only chat on the published workflow. */
    chat: string;
  };
}

/** A response as the suite looks at it; an event stream is cut after its headers. */
export interface Answer {
  status: number;
  contentType: string;
  text: string;
}

export type RawBody = { raw: string; contentType?: string };

/** One request with plain fetch (no cookie jar: each caller's headers are all it sends). */
export async function send(
  baseURL: string,
  headers: Record<string, string>,
  method: string,
  path: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<Answer> {
  const raw = body !== null && typeof body === "object" && "raw" in body ? (body as RawBody) : null;
  const abort = new AbortController();
  let res: Response;
  try {
    res = await fetch(baseURL + path, {
      method,
      redirect: "manual",
      signal: abort.signal,
      headers: {
        ...headers,
        ...(body !== undefined ? { "content-type": raw?.contentType ?? "application/json" } : {}),
        ...extraHeaders,
      },
      body: raw ? raw.raw : body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    // The server dropped the connection without an answer: status 0, and why.
    return { status: 0, contentType: "", text: String((error as Error).cause ?? error) };
  }
  const contentType = res.headers.get("content-type") ?? "";
  if (contentType.includes("text/event-stream")) {
    abort.abort();
    return { status: res.status, contentType, text: "" };
  }
  return { status: res.status, contentType, text: await res.text() };
}

async function cookieHeader(api: APIRequestContext): Promise<Record<string, string>> {
  const { cookies } = await api.storageState();
  return { cookie: cookies.map((c) => `${c.name}=${c.value}`).join("; ") };
}

async function created<T = { id: string }>(res: Awaited<ReturnType<APIRequestContext["post"]>>): Promise<T> {
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as T;
}

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** A fresh object of A for a request that uses it up (delete, revoke, restore). */
export const fresh = {
  workflow: async (w: World) =>
    (await created(await w.owner.post("/api/workflows", { data: { name: `${CANARY} doomed ${unique()}` } }))).id,
  deletedWorkflow: async (w: World) => {
    const id = await fresh.workflow(w);
    expect((await w.owner.delete(`/api/workflows/${id}`)).status()).toBe(200);
    return id;
  },
  model: async (w: World) =>
    (
      await created(
        await w.owner.post("/api/admin/gateway/models", {
          data: {
            name: `doomed-${unique()}`,
            deployments: [{ providerId: w.ids.provider, modelId: "m" }],
          },
        }),
      )
    ).id,
  provider: async (w: World) =>
    (
      await created(
        await w.owner.post("/api/admin/gateway/providers", {
          data: { name: `doomed ${unique()}`, kind: "OPENAI_COMPATIBLE", baseUrl: "http://127.0.0.1:9/v1" },
        }),
      )
    ).id,
  server: async (w: World) =>
    (
      await created(
        await w.owner.post("/api/admin/mcp/servers", {
          data: { name: `doomed-${unique()}`, transport: "HTTP", url: "http://127.0.0.1:9/mcp" },
        }),
      )
    ).id,
  invitation: async (w: World) =>
    (
      await created(
        await w.owner.post("/api/admin/invitations", {
          data: { name: "Doomed", email: newPerson("doomed").email, role: "REVIEWER" },
        }),
      )
    ).id,
  destination: async (w: World) =>
    (
      await created(
        await w.owner.post("/api/admin/destinations", { data: { pattern: `doomed-${unique()}.example.com` } }),
      )
    ).id,
  variable: async (w: World) =>
    (
      await created(
        await w.owner.post("/api/admin/variables", { data: { name: `doomed_${unique()}`, value: "doomed" } }),
      )
    ).id,
  trigger: async (w: World) =>
    (
      await created(
        await w.owner.post(`/api/workflows/${w.ids.workflow}/triggers`, { data: { name: `${CANARY} doomed` } }),
      )
    ).id,
  /** A key of A's second admin (the matrix's "admin"): only they may revoke it. */
  adminKey: async (w: World) =>
    (await created(await w.adminOfA.post("/api/api-keys", { data: { name: `${CANARY} doomed` } }))).id,
};

/** Seeds both workspaces through the API, as people would, and signs every caller in. */
export async function seedWorld(baseURL: string, admin: Person): Promise<World> {
  const owner = await signedInApi(baseURL, admin);
  const me = await (await owner.get("/api/me")).json();
  const workspaceA = me.workspace.id as string;
  const [adminPerson, builder, reviewer, spare] = await Promise.all([
    addMember(owner, "ADMIN"),
    addMember(owner, "BUILDER"),
    addMember(owner, "REVIEWER"),
    addMember(owner, "REVIEWER", "spare"),
  ]);

  const workspaceB = (await created(await owner.post("/api/workspaces", { data: { name: "Beta" } }))).id;
  expect((await owner.put("/api/workspaces/current", { data: { workspaceId: workspaceB } })).status()).toBe(200);
  const outsider = await addMember(owner, "ADMIN", "outsider");
  expect((await owner.put("/api/workspaces/current", { data: { workspaceId: workspaceA } })).status()).toBe(200);

  const workflow = await createReviewWorkflow(owner, `${CANARY} review`, {});
  const adminWorkflow = await createReviewWorkflow(owner, `${CANARY} admin review`, { reviewerRole: "ADMIN" });
  const [forReviewer, forAdmin, toCancel] = await Promise.all([
    runToReview(owner, workflow, `${CANARY}-input`),
    runToReview(owner, adminWorkflow, `${CANARY}-admin-only-input`),
    runToReview(owner, workflow, `${CANARY}-cancelled`),
  ]);
  expect((await owner.post(`/api/runs/${toCancel.runId}/cancel`)).status()).toBe(200);
  await waitForRunStatus(owner, toCancel.runId, "CANCELLED");
  const { revision } = await (await owner.get(`/api/workflows/${workflow}`)).json();
  await created(await owner.post(`/api/workflows/${workflow}/versions`, { data: { revision, note: CANARY } }));

  // Workspace A brings its own providers and models (B does not: its admins are refused them).
  await allowOwnProviders(owner);
  const provider = (
    await created(
      await owner.post("/api/admin/gateway/providers", {
        data: {
          name: `${CANARY} provider`,
          kind: "OPENAI_COMPATIBLE",
          baseUrl: "http://127.0.0.1:9/v1",
          apiKey: `sk-${CANARY}-secret`,
        },
      }),
    )
  ).id;
  const model = (
    await created(
      await owner.post("/api/admin/gateway/models", {
        data: { name: "canary-a-model", deployments: [{ providerId: provider, modelId: "m" }] },
      }),
    )
  ).id;
  const server = (
    await created(
      await owner.post("/api/admin/mcp/servers", {
        data: { name: "canary-a", transport: "HTTP", url: "http://127.0.0.1:9/mcp" },
      }),
    )
  ).id;
  const invitation = (
    await created(
      await owner.post("/api/admin/invitations", {
        data: { name: `${CANARY} invitee`, email: newPerson("invitee").email, role: "REVIEWER" },
      }),
    )
  ).id;
  const members = (await (await owner.get("/api/admin/members")).json()).members as { id: string; email: string }[];

  const [adminOfA, builderApi, reviewerApi, outsiderApi] = await Promise.all(
    [adminPerson, builder, reviewer, outsider].map((p) => signedInApi(baseURL, p!)),
  );
  const revoked = await created<{ id: string; key: string }>(
    await adminOfA!.post("/api/api-keys", { data: { name: "revoked" } }),
  );
  expect((await adminOfA!.delete(`/api/api-keys/${revoked.id}`)).status()).toBe(200);

  const hook = await created<{ id: string; secret: string }>(
    await owner.post(`/api/workflows/${workflow}/triggers`, { data: { name: `${CANARY} webhook` } }),
  );
  const callers: Callers = {
    anonymous: {},
    revokedKey: { authorization: `Bearer ${revoked.key}` },
    outsider: await cookieHeader(outsiderApi!),
    reviewer: await cookieHeader(reviewerApi!),
    builder: await cookieHeader(builderApi!),
    admin: await cookieHeader(adminOfA!),
  };
  await Promise.all([builderApi!.dispose(), reviewerApi!.dispose(), outsiderApi!.dispose()]);
  return {
    baseURL,
    callers,
    owner,
    adminOfA: adminOfA!,
    ids: {
      workspaceA,
      workspaceB,
      demoWorkflow: await demoWorkflowId(owner),
      workflow,
      run: forReviewer.runId,
      cancelledRun: toCancel.runId,
      reviewerReview: forReviewer.reviewId,
      adminReview: forAdmin.reviewId,
      provider,
      model,
      server,
      invitation,
      spareMember: members.find((m) => m.email === spare!.email)!.id,
      variable: (
        await created(
          await owner.post("/api/admin/variables", {
            data: { name: "canary_secret", value: `${CANARY}-secret-value`, secret: true },
          }),
        )
      ).id,
      trigger: hook.id,
      triggerSecret: hook.secret,
      chat: (
        await created<{ id: string }>(
          await owner.post(`/api/workflows/${workflow}/triggers`, {
            data: { kind: "chat", name: `${CANARY} chat`, config: { access: "members" } },
          }),
        )
      ).id,
    },
  };
}

/** The fixtures' test with `world`: seeded once per worker, on the worker's studio. */
export const test = base.extend<object, { world: World }>({
  world: [
    async ({ studio, admin }, provide) => {
      const world = await seedWorld(studio.url, admin);
      await provide(world);
      await Promise.all([world.owner.dispose(), world.adminOfA.dispose()]);
    },
    { scope: "worker", timeout: 60_000 },
  ],
});

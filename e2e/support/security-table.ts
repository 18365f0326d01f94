import { newPerson } from "./people";
import { CALLERS, fresh, type CallerName, type World } from "./security-world";
import { adminRoutes } from "./security-table-admin";
import { iterateRoutes } from "./security-table-iterate";
import { organizationRoutes } from "./security-table-organization";
import { triggerRoutes } from "./security-table-triggers";

/**
 * What every route answers to every kind of caller (e2e/security-matrix.spec.ts), and a request
 * of each that gets past every check, with a body where the route takes one (the fuzz in
 * e2e/security-fuzz.spec.ts starts from these bodies).
 */
export type Expected = Record<CallerName, number>;

export interface Case {
  /** The request's path (and query) for this caller; `made` is the fresh object, when there is one. */
  path: (w: World, made: string) => string;
  body?: (w: World) => unknown;
  headers?: Record<string, string>;
  /** Headers the fuzz adds to get past a route's own credentials (a webhook's secret). */
  fuzzHeaders?: (w: World) => Record<string, string>;
  /** Makes a new object of A for each caller (for requests that use it up: delete, revoke, restore). */
  fresh?: (w: World) => Promise<string>;
  expect: Expected;
}

export type Role = "ADMIN" | "BUILDER" | "REVIEWER";
export const ADMINS: Role[] = ["ADMIN"];
export const BUILDERS: Role[] = ["ADMIN", "BUILDER"];
const DECIDERS: Role[] = ["ADMIN", "REVIEWER"];
export const MEMBERS: Role[] = ["ADMIN", "BUILDER", "REVIEWER"];

/**
 * Signed-out callers get 401; A's roles in `roles` get `ok`, the others 403; the admin of B
 * gets `outsider` (404 for an object of A; their own workspace's answer for a list).
 */
export function allow(roles: Role[], ok: number, outsider: number): Expected {
  const as = (role: Role) => (roles.includes(role) ? ok : 403);
  return {
    anonymous: 401,
    revokedKey: 401,
    outsider,
    reviewer: as("REVIEWER"),
    builder: as("BUILDER"),
    admin: as("ADMIN"),
  };
}
/** A public route: the same answer for everybody. */
export const everyone = (status: number): Expected => Object.fromEntries(CALLERS.map((c) => [c, status])) as Expected;

export const unique = (prefix: string) =>
  `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const mcpHeaders = { accept: "application/json, text/event-stream" };

export const table: Record<string, Case | Case[]> = {
  ...adminRoutes(),

  "DELETE /api/api-keys/[id]": {
    // A key of A's admin: only they revoke it; anybody else is told there is no such key.
    fresh: fresh.adminKey,
    path: (_, id) => `/api/api-keys/${id}`,
    expect: { anonymous: 401, revokedKey: 401, outsider: 404, reviewer: 404, builder: 404, admin: 200 },
  },
  "GET /api/api-keys": { path: () => "/api/api-keys", expect: allow(MEMBERS, 200, 200) },
  "POST /api/api-keys": {
    path: () => "/api/api-keys",
    body: () => ({ name: "matrix" }),
    expect: allow(MEMBERS, 201, 201),
  },
  "GET /api/auth/[...nextauth]": { path: () => "/api/auth/providers", expect: everyone(200) },
  "POST /api/auth/[...nextauth]": {
    // Without next-auth's CSRF token a sign-in is turned away, whoever asks.
    path: () => "/api/auth/signin/credentials",
    body: () => ({ raw: "email=x%40example.com&password=x", contentType: "application/x-www-form-urlencoded" }),
    expect: everyone(302),
  },

  "GET /api/dashboard/compare": {
    path: (w) => `/api/dashboard/compare?workflowId=${w.ids.workflow}&a=1&b=2`,
    expect: allow(BUILDERS, 200, 404),
  },
  "GET /api/dashboard": {
    path: (w) => `/api/dashboard?workflowId=${w.ids.workflow}`,
    // Another workspace's workflow id filters B's runs down to none: zeros, nothing of A.
    expect: allow(BUILDERS, 200, 200),
  },
  "POST /api/gateway/v1/chat/completions": {
    path: () => "/api/gateway/v1/chat/completions",
    body: () => ({ model: "demo", messages: [{ role: "user", content: "Say hi" }] }),
    expect: allow(MEMBERS, 200, 200),
  },
  "GET /api/gateway/v1/models": { path: () => "/api/gateway/v1/models", expect: allow(MEMBERS, 200, 200) },
  "GET /api/health": { path: () => "/api/health", expect: everyone(200) },
  "POST /api/invitations/accept": {
    path: () => "/api/invitations/accept",
    body: () => ({ token: "t".repeat(32), password: "a-long-enough-password" }),
    expect: everyone(404),
  },
  "GET /api/live": { path: () => "/api/live", expect: allow(MEMBERS, 200, 200) },
  // The MCP SDK's stateless transport answers GET and DELETE itself. A GET that accepts an event
  // stream gets one whose headers come only after about 15 s; without it, a 406 at once.
  "GET /api/mcp": {
    path: () => "/api/mcp",
    headers: { accept: "application/json" },
    expect: allow(BUILDERS, 406, 406),
  },
  "POST /api/mcp": {
    path: () => "/api/mcp",
    headers: mcpHeaders,
    body: () => ({ jsonrpc: "2.0", id: 1, method: "tools/list", params: {} }),
    expect: allow(BUILDERS, 200, 200),
  },
  "DELETE /api/mcp": { path: () => "/api/mcp", headers: mcpHeaders, expect: allow(BUILDERS, 200, 200) },
  "POST /api/me/password": {
    path: () => "/api/me/password",
    // A wrong current password: refused after every check, so nobody's password changes.
    body: () => ({ currentPassword: "not-the-current-password", newPassword: "tidal-Violet-harbor-9183-quince" }),
    expect: allow(MEMBERS, 400, 400),
  },
  "GET /api/me": { path: () => "/api/me", expect: allow(MEMBERS, 200, 200) },
  "GET /api/models": { path: () => "/api/models", expect: allow(MEMBERS, 200, 200) },
  "POST /api/notifications/read": {
    path: () => "/api/notifications/read",
    body: () => ({ ids: "all" }),
    expect: allow(MEMBERS, 200, 200),
  },
  "GET /api/notifications": { path: () => "/api/notifications", expect: allow(MEMBERS, 200, 200) },

  // Reviews: one for the reviewer role, one only admins may decide. Whoever may not decide a
  // review may not open it, comment on it or claim it either (403 naming whom it is for).
  "POST /api/reviews/[id]/assignment": [
    {
      path: (w) => `/api/reviews/${w.ids.reviewerReview}/assignment`,
      body: () => ({ action: "release" }),
      expect: allow(DECIDERS, 200, 404),
    },
    {
      path: (w) => `/api/reviews/${w.ids.adminReview}/assignment`,
      body: () => ({ action: "release" }),
      expect: { ...allow(DECIDERS, 200, 404), reviewer: 403 },
    },
  ],
  "POST /api/reviews/[id]/comments": [
    {
      path: (w) => `/api/reviews/${w.ids.reviewerReview}/comments`,
      body: () => ({ body: "A question from the matrix" }),
      expect: allow(DECIDERS, 200, 404),
    },
    {
      path: (w) => `/api/reviews/${w.ids.adminReview}/comments`,
      body: () => ({ body: "A question from the matrix" }),
      expect: { ...allow(DECIDERS, 200, 404), reviewer: 403 },
    },
  ],
  "POST /api/reviews/[id]/decision": [
    {
      // Not an outcome of the review: refused after every permission check, so nothing is decided.
      path: (w) => `/api/reviews/${w.ids.reviewerReview}/decision`,
      body: () => ({ outcome: "maybe" }),
      expect: allow(DECIDERS, 400, 404),
    },
    {
      path: (w) => `/api/reviews/${w.ids.adminReview}/decision`,
      body: () => ({ outcome: "maybe" }),
      expect: { ...allow(DECIDERS, 400, 404), reviewer: 403 },
    },
  ],
  "GET /api/reviews/[id]": [
    { path: (w) => `/api/reviews/${w.ids.reviewerReview}`, expect: allow(DECIDERS, 200, 404) },
    { path: (w) => `/api/reviews/${w.ids.adminReview}`, expect: { ...allow(DECIDERS, 200, 404), reviewer: 403 } },
  ],
  "POST /api/reviews/bulk": {
    // Rejecting without a reason is refused before any review is touched.
    path: () => "/api/reviews/bulk",
    body: (w) => ({ ids: [w.ids.adminReview], outcome: "rejected" }),
    expect: allow(DECIDERS, 400, 400),
  },
  "GET /api/reviews": { path: () => "/api/reviews", expect: allow(DECIDERS, 200, 200) },

  "POST /api/runs/[id]/cancel": {
    // A run that has ended: a 409 after the checks, so nothing is cancelled.
    path: (w) => `/api/runs/${w.ids.cancelledRun}/cancel`,
    expect: allow(BUILDERS, 409, 404),
  },
  "GET /api/runs/[id]/events": {
    path: (w) => `/api/runs/${w.ids.run}/events`,
    // Another workspace's run id is a 404 before anything subscribes.
    expect: allow(BUILDERS, 200, 404),
  },
  "POST /api/runs/[id]/retry": {
    // A waiting run cannot be retried: a 409 after the checks.
    path: (w) => `/api/runs/${w.ids.run}/retry`,
    expect: allow(BUILDERS, 409, 404),
  },
  "GET /api/runs/[id]": { path: (w) => `/api/runs/${w.ids.run}`, expect: allow(BUILDERS, 200, 404) },
  "POST /api/setup": {
    path: () => "/api/setup",
    body: () => ({ ...newPerson("setup"), workspaceName: "Mine" }),
    expect: everyone(409),
  },
  "GET /api/tools": { path: () => "/api/tools", expect: allow(BUILDERS, 200, 200) },

  "PUT /api/workflows/[id]/draft": {
    // A revision nobody saw: 409 after the checks, so the draft is not overwritten.
    path: (w) => `/api/workflows/${w.ids.workflow}/draft`,
    body: () => ({ graph: { nodes: [], edges: [] }, revision: 999_999 }),
    expect: allow(BUILDERS, 409, 404),
  },
  "POST /api/workflows/[id]/duplicate": {
    path: (w) => `/api/workflows/${w.ids.workflow}/duplicate`,
    expect: allow(BUILDERS, 201, 404),
  },
  "POST /api/workflows/[id]/expression-preview": {
    path: (w) => `/api/workflows/${w.ids.workflow}/expression-preview`,
    body: () => ({ expression: '{ "topic": input.topic }' }),
    expect: allow(BUILDERS, 200, 404),
  },
  "POST /api/workflows/[id]/code-preview": {
    path: (w) => `/api/workflows/${w.ids.workflow}/code-preview`,
    body: () => ({ code: "return input.topic ?? null", timeLimitSeconds: 1, memoryMb: 16 }),
    expect: allow(BUILDERS, 200, 404),
  },
  "GET /api/workflows/[id]/node-stats": {
    path: (w) => `/api/workflows/${w.ids.workflow}/node-stats`,
    expect: allow(BUILDERS, 200, 404),
  },
  "POST /api/workflows/[id]/restore": {
    fresh: fresh.deletedWorkflow,
    path: (_, id) => `/api/workflows/${id}/restore`,
    expect: allow(BUILDERS, 200, 404),
  },
  "GET /api/workflows/[id]": { path: (w) => `/api/workflows/${w.ids.workflow}`, expect: allow(BUILDERS, 200, 404) },
  "PATCH /api/workflows/[id]": {
    path: (w) => `/api/workflows/${w.ids.workflow}`,
    body: () => ({ description: "Described by the matrix" }),
    expect: allow(BUILDERS, 200, 404),
  },
  "DELETE /api/workflows/[id]": {
    fresh: fresh.workflow,
    path: (_, id) => `/api/workflows/${id}`,
    expect: allow(BUILDERS, 200, 404),
  },
  "GET /api/workflows/[id]/runs": {
    path: (w) => `/api/workflows/${w.ids.workflow}/runs`,
    // Another workspace's workflow is not one of B's: a 404, as for every other object.
    expect: allow(BUILDERS, 200, 404),
  },
  "POST /api/workflows/[id]/runs": {
    // The demo workflow needs a topic: a 400 after the checks, so no run starts.
    path: (w) => `/api/workflows/${w.ids.demoWorkflow}/runs`,
    body: () => ({ input: {}, mode: "draft" }),
    expect: allow(BUILDERS, 400, 404),
  },
  ...triggerRoutes(),
  "GET /api/workflows/[id]/versions/[version]": {
    path: (w) => `/api/workflows/${w.ids.workflow}/versions/1`,
    expect: allow(BUILDERS, 200, 404),
  },
  "GET /api/workflows/[id]/versions": {
    path: (w) => `/api/workflows/${w.ids.workflow}/versions`,
    expect: allow(BUILDERS, 200, 404),
  },
  "POST /api/workflows/[id]/versions": {
    path: (w) => `/api/workflows/${w.ids.workflow}/versions`,
    body: () => ({ revision: 999_999 }),
    expect: allow(BUILDERS, 409, 404),
  },
  ...iterateRoutes(),
  ...organizationRoutes(),
  "GET /api/workflows": { path: () => "/api/workflows", expect: allow(BUILDERS, 200, 200) },
  "POST /api/workflows": {
    path: () => "/api/workflows",
    body: () => ({ name: "Made by the matrix" }),
    expect: allow(BUILDERS, 201, 201),
  },
  "POST /api/workflows/templates/[templateId]": {
    path: () => "/api/workflows/templates/draft-approve-send",
    expect: allow(BUILDERS, 201, 201),
  },
  "PUT /api/workspaces/current": {
    path: () => "/api/workspaces/current",
    body: (w) => ({ workspaceId: w.ids.workspaceA }),
    expect: allow(MEMBERS, 200, 404),
  },
  "POST /api/workspaces": {
    path: () => "/api/workspaces",
    body: () => ({ name: "Made by the matrix" }),
    expect: allow(ADMINS, 201, 201),
  },
};

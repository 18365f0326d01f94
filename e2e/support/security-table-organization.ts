import { allow, ADMINS, type Case } from "./security-table";

/**
 * The security table's rows for the Organization area, and the workspace's application keys
 * (its admins only; an admin of another workspace works on that workspace's keys). The Organization area: Only installation owners may use it, and
 * no caller of the matrix is one (its admin of A is a workspace admin only): every member is
 * refused, whatever their role, and so is an admin of another workspace.
 */
const nobody = allow([], 403, 403);
const policy = () => ({ name: "matrix", workspaceId: null, rules: { blockedTerms: ["kraken"] } });
const provider = () => ({ name: "matrix", kind: "OPENAI_COMPATIBLE", baseUrl: "http://127.0.0.1:9/v1" });
const model = () => ({ name: "matrix", deployments: [{ providerId: "nowhere", modelId: "m" }] });
const toolServer = () => ({ name: "matrix", transport: "HTTP", url: "http://127.0.0.1:9/mcp" });
const team = () => ({
  grants: [],
  ownProviders: true,
  workspaceRpm: null,
  workspaceTpm: null,
  workspaceBudgetUsd: 1,
  budgetPeriod: "MONTH",
});

export const organizationRoutes = (): Record<string, Case | Case[]> => ({
  "GET /api/organization/guardrail-policies": { path: () => "/api/organization/guardrail-policies", expect: nobody },
  "POST /api/organization/guardrail-policies": {
    path: () => "/api/organization/guardrail-policies",
    body: policy,
    expect: nobody,
  },
  "PUT /api/organization/guardrail-policies/[id]": {
    path: () => "/api/organization/guardrail-policies/nowhere",
    body: policy,
    expect: nobody,
  },
  "DELETE /api/organization/guardrail-policies/[id]": {
    path: () => "/api/organization/guardrail-policies/nowhere",
    expect: nobody,
  },
  "POST /api/organization/guardrail-policies/try": {
    path: () => "/api/organization/guardrail-policies/try",
    body: () => ({ rules: { pii: { kinds: ["email"] } }, text: "ada@example.com" }),
    expect: nobody,
  },
  "GET /api/organization/guardrail-violations": {
    path: () => "/api/organization/guardrail-violations",
    expect: nobody,
  },
  "GET /api/organization/spend": { path: () => "/api/organization/spend", expect: nobody },
  "GET /api/admin/application-keys": { path: () => "/api/admin/application-keys", expect: allow(ADMINS, 200, 200) },
  "POST /api/admin/application-keys": {
    // An expiry in the past: a 400 after the checks, so no key is made.
    path: () => "/api/admin/application-keys",
    body: () => ({ name: "matrix", expiresAt: "2000-01-01T00:00:00Z" }),
    expect: allow(ADMINS, 400, 400),
  },
  "PUT /api/admin/application-keys/[id]": {
    path: () => "/api/admin/application-keys/nowhere",
    body: () => ({ name: "matrix" }),
    expect: allow(ADMINS, 404, 404),
  },
  "DELETE /api/admin/application-keys/[id]": {
    path: () => "/api/admin/application-keys/nowhere",
    expect: allow(ADMINS, 404, 404),
  },
  "GET /api/organization/providers": { path: () => "/api/organization/providers", expect: nobody },
  "POST /api/organization/providers": { path: () => "/api/organization/providers", body: provider, expect: nobody },
  "PUT /api/organization/providers/[id]": {
    path: (w) => `/api/organization/providers/${w.ids.provider}`,
    body: provider,
    expect: nobody,
  },
  "DELETE /api/organization/providers/[id]": {
    path: (w) => `/api/organization/providers/${w.ids.provider}`,
    expect: nobody,
  },
  "POST /api/organization/providers/[id]/test": {
    path: (w) => `/api/organization/providers/${w.ids.provider}/test`,
    expect: nobody,
  },
  "GET /api/organization/models": { path: () => "/api/organization/models", expect: nobody },
  "POST /api/organization/models": { path: () => "/api/organization/models", body: model, expect: nobody },
  "PUT /api/organization/models/[id]": {
    path: (w) => `/api/organization/models/${w.ids.model}`,
    body: model,
    expect: nobody,
  },
  "DELETE /api/organization/models/[id]": { path: (w) => `/api/organization/models/${w.ids.model}`, expect: nobody },
  "GET /api/organization/teams": { path: () => "/api/organization/teams", expect: nobody },
  "PUT /api/organization/teams/[id]": {
    // Workspace B's team: nobody but an installation owner may let it bring its own keys.
    path: (w) => `/api/organization/teams/${w.ids.workspaceB}`,
    body: team,
    expect: nobody,
  },
  "GET /api/admin/gateway/grants": { path: () => "/api/admin/gateway/grants", expect: allow(ADMINS, 200, 200) },
  "PUT /api/admin/gateway/grants/[id]": {
    path: () => "/api/admin/gateway/grants/nowhere",
    body: () => ({ allowedRoles: ["ADMIN"] }),
    expect: allow(ADMINS, 404, 404),
  },
  "GET /api/organization/tool-servers": { path: () => "/api/organization/tool-servers", expect: nobody },
  "GET /api/organization/tool-audit": { path: () => "/api/organization/tool-audit", expect: nobody },
  "POST /api/organization/tool-servers": {
    path: () => "/api/organization/tool-servers",
    body: toolServer,
    expect: nobody,
  },
  // Workspace A's own server: not the organization's, and nobody but an owner reaches this door.
  "PUT /api/organization/tool-servers/[id]": {
    path: (w) => `/api/organization/tool-servers/${w.ids.server}`,
    body: toolServer,
    expect: nobody,
  },
  "DELETE /api/organization/tool-servers/[id]": {
    path: (w) => `/api/organization/tool-servers/${w.ids.server}`,
    expect: nobody,
  },
  "POST /api/organization/tool-servers/[id]/test": {
    path: (w) => `/api/organization/tool-servers/${w.ids.server}/test`,
    expect: nobody,
  },
  "PUT /api/organization/tool-servers/[id]/teams": {
    path: (w) => `/api/organization/tool-servers/${w.ids.server}/teams`,
    body: (w) => ({ workspaceIds: [w.ids.workspaceB] }),
    expect: nobody,
  },
  "PUT /api/organization/limits": {
    path: () => "/api/organization/limits",
    body: () => ({ requestsPerMinute: 1, tokensPerMinute: null }),
    expect: nobody,
  },
  "PUT /api/organization/budget": {
    path: () => "/api/organization/budget",
    body: () => ({ budgetUsd: 1, budgetPeriod: "MONTH" }),
    expect: nobody,
  },
});

import { newPerson } from "./people";
import { fresh } from "./security-world";
import { ADMINS, allow, BUILDERS, unique, type Case } from "./security-table";

/**
 * The security table's rows for the workspace admin's routes (/api/admin/…: the gateway, people,
 * invitations, destinations, variables, MCP servers and tools, notifications, usage). A function:
 * the table calls it once its helpers exist (the two files import each other).
 */
export const adminRoutes = (): Record<string, Case | Case[]> => ({
  "GET /api/admin/gateway/limits": { path: () => "/api/admin/gateway/limits", expect: allow(ADMINS, 200, 200) },
  "PUT /api/admin/gateway/limits": {
    path: () => "/api/admin/gateway/limits",
    body: () => ({}),
    expect: allow(ADMINS, 200, 200),
  },
  "PUT /api/admin/gateway/models/[id]": {
    path: (w) => `/api/admin/gateway/models/${w.ids.model}`,
    // B's admin: B may not bring its own models (only A may), whatever the body names.
    body: (w) => ({ name: "canary-a-model", deployments: [{ providerId: w.ids.provider, modelId: "m" }] }),
    expect: allow(ADMINS, 200, 403),
  },
  "DELETE /api/admin/gateway/models/[id]": {
    fresh: fresh.model,
    path: (_, id) => `/api/admin/gateway/models/${id}`,
    expect: allow(ADMINS, 200, 403),
  },
  "GET /api/admin/gateway/models": { path: () => "/api/admin/gateway/models", expect: allow(ADMINS, 200, 200) },
  "POST /api/admin/gateway/models": {
    path: () => "/api/admin/gateway/models",
    // A's provider: B's admin may not route B's model to it.
    body: (w) => ({ name: unique("matrix"), deployments: [{ providerId: w.ids.provider, modelId: "m" }] }),
    expect: allow(ADMINS, 201, 403),
  },
  "PUT /api/admin/gateway/providers/[id]": {
    path: (w) => `/api/admin/gateway/providers/${w.ids.provider}`,
    body: () => ({ name: "Provider of A", kind: "OPENAI_COMPATIBLE", baseUrl: "http://127.0.0.1:9/v1", apiKey: "" }),
    expect: allow(ADMINS, 200, 403),
  },
  "DELETE /api/admin/gateway/providers/[id]": {
    fresh: fresh.provider,
    path: (_, id) => `/api/admin/gateway/providers/${id}`,
    expect: allow(ADMINS, 200, 403),
  },
  "POST /api/admin/gateway/providers/[id]/test": {
    path: (w) => `/api/admin/gateway/providers/${w.ids.provider}/test`,
    expect: allow(ADMINS, 200, 403),
  },
  "GET /api/admin/gateway/providers": { path: () => "/api/admin/gateway/providers", expect: allow(ADMINS, 200, 200) },
  "POST /api/admin/gateway/providers": {
    path: () => "/api/admin/gateway/providers",
    body: () => ({ name: "matrix", kind: "OPENAI_COMPATIBLE", baseUrl: "http://127.0.0.1:9/v1" }),
    expect: allow(ADMINS, 201, 403),
  },
  "DELETE /api/admin/invitations/[id]": {
    fresh: fresh.invitation,
    path: (_, id) => `/api/admin/invitations/${id}`,
    expect: allow(ADMINS, 200, 404),
  },
  "GET /api/admin/invitations": { path: () => "/api/admin/invitations", expect: allow(ADMINS, 200, 200) },
  "POST /api/admin/invitations": {
    path: () => "/api/admin/invitations",
    body: () => ({ name: "Matrix", email: newPerson("matrix").email, role: "REVIEWER" }),
    expect: allow(ADMINS, 201, 201),
  },
  "GET /api/admin/destinations": { path: () => "/api/admin/destinations", expect: allow(ADMINS, 200, 200) },
  "GET /api/admin/audit": { path: () => "/api/admin/audit?days=7&topic=http", expect: allow(ADMINS, 200, 200) },
  "POST /api/admin/destinations": {
    path: () => "/api/admin/destinations",
    body: () => ({ pattern: `${unique("matrix")}.example.com`, allowPrivate: false }),
    expect: allow(ADMINS, 201, 201),
  },
  "DELETE /api/admin/destinations/[id]": {
    fresh: fresh.destination,
    path: (_, id) => `/api/admin/destinations/${id}`,
    expect: allow(ADMINS, 200, 404),
  },
  "POST /api/admin/variables": {
    path: () => "/api/admin/variables",
    body: () => ({ name: unique("matrix").replace(/-/g, "_"), value: "matrix value", secret: true }),
    expect: allow(ADMINS, 201, 201),
  },
  "PUT /api/admin/variables/[id]": {
    path: (w) => `/api/admin/variables/${w.ids.variable}`,
    body: () => ({ value: "canary-A-rotated-secret" }),
    expect: allow(ADMINS, 200, 404),
  },
  "DELETE /api/admin/variables/[id]": {
    fresh: fresh.variable,
    path: (_, id) => `/api/admin/variables/${id}`,
    expect: allow(ADMINS, 200, 404),
  },
  "GET /api/variables": { path: () => "/api/variables", expect: allow(BUILDERS, 200, 200) },
  "GET /api/admin/mcp/audit": { path: () => "/api/admin/mcp/audit", expect: allow(ADMINS, 200, 200) },
  "PUT /api/admin/mcp/servers/[id]": {
    path: (w) => `/api/admin/mcp/servers/${w.ids.server}`,
    body: () => ({ name: "canary-a", transport: "HTTP", url: "http://127.0.0.1:9/mcp" }),
    expect: allow(ADMINS, 200, 404),
  },
  "DELETE /api/admin/mcp/servers/[id]": {
    fresh: fresh.server,
    path: (_, id) => `/api/admin/mcp/servers/${id}`,
    expect: allow(ADMINS, 200, 404),
  },
  "POST /api/admin/mcp/servers/[id]/test": {
    path: (w) => `/api/admin/mcp/servers/${w.ids.server}/test`,
    expect: allow(ADMINS, 200, 404),
  },
  "GET /api/admin/mcp/servers": { path: () => "/api/admin/mcp/servers", expect: allow(ADMINS, 200, 200) },
  "POST /api/admin/mcp/servers": {
    path: () => "/api/admin/mcp/servers",
    body: () => ({ name: unique("matrix"), transport: "HTTP", url: "http://127.0.0.1:9/mcp" }),
    expect: allow(ADMINS, 201, 201),
  },
  "GET /api/admin/mcp/tools": { path: () => "/api/admin/mcp/tools", expect: allow(ADMINS, 200, 200) },
  "PUT /api/admin/mcp/tools/[id]": {
    // No tool is discovered here (that needs a live MCP server): a made-up id, found by nobody.
    path: () => "/api/admin/mcp/tools/no-such-tool",
    body: () => ({ allowedRoles: ["BUILDER"], risk: "LOW", requiresApproval: false }),
    expect: allow(ADMINS, 404, 404),
  },
  "PATCH /api/admin/members/[id]": {
    path: (w) => `/api/admin/members/${w.ids.spareMember}`,
    body: () => ({ role: "REVIEWER" }),
    expect: allow(ADMINS, 200, 404),
  },
  "GET /api/admin/installation-owners": {
    path: () => "/api/admin/installation-owners",
    expect: allow(ADMINS, 200, 200),
  },
  // Only installation owners name owners; the matrix's admin of A is not one (the fixture admin is).
  "PUT /api/admin/installation-owners/[userId]": {
    path: (w) => `/api/admin/installation-owners/${w.ids.spareMember}`,
    body: () => ({ owner: false }),
    expect: allow(ADMINS, 403, 403),
  },
  "GET /api/admin/members": { path: () => "/api/admin/members", expect: allow(ADMINS, 200, 200) },
  "POST /api/admin/members": {
    path: () => "/api/admin/members",
    body: () => ({ ...newPerson("matrix"), role: "REVIEWER" }),
    expect: allow(ADMINS, 201, 201),
  },
  "GET /api/admin/notifications": { path: () => "/api/admin/notifications", expect: allow(ADMINS, 200, 200) },
  "PUT /api/admin/notifications": {
    path: () => "/api/admin/notifications",
    body: () => ({ email: false }),
    expect: allow(ADMINS, 200, 200),
  },
  "POST /api/admin/notifications/test": {
    path: () => "/api/admin/notifications/test",
    expect: allow(ADMINS, 400, 400),
  },
  "GET /api/admin/usage": { path: () => "/api/admin/usage", expect: allow(ADMINS, 200, 200) },
});

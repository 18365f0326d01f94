import { z } from "zod";

/**
 * The workspace's audit log as its admins read it (`/admin/audit`): every change recorded in
 * `AuditLog` (people, keys, secrets, destinations, models, tools, workflows, reviews) and every
 * HTTP request a workflow sent, each said in words, filtered by what it is about.
 */
export const AUDIT_LOG_TOPICS = {
  http: { label: "HTTP requests sent by workflows", prefixes: ["http.request"] },
  workflows: { label: "Workflows and triggers", prefixes: ["workflow.", "trigger."] },
  people: {
    label: "People and sign-in",
    prefixes: ["member.", "invitation.", "user.", "setup.", "installation.", "workspace."],
  },
  access: {
    label: "Keys, secrets and HTTP destinations",
    prefixes: ["api_key.", "application_key.", "secret.", "variable.", "http.destination."],
  },
  models: { label: "Models, limits and guardrails", prefixes: ["gateway.", "guardrail-policy.", "organization."] },
  tools: { label: "Tools", prefixes: ["mcp."] },
  reviews: { label: "Reviews and their notifications", prefixes: ["review.", "notifications."] },
} as const;
export type AuditLogTopic = keyof typeof AUDIT_LOG_TOPICS;
const topics = Object.keys(AUDIT_LOG_TOPICS) as [AuditLogTopic, ...AuditLogTopic[]];

export const auditLogQuerySchema = z.object({
  days: z.coerce.number().int().min(1).max(366).default(7),
  topic: z.enum(topics).optional(),
});
export type AuditLogQuery = z.infer<typeof auditLogQuerySchema>;

export interface AuditLogRow {
  id: string;
  at: string;
  /** Who did it: a person's name, or "Flowdeck" for what the studio did on its own (a review's deadline). */
  actor: string;
  action: string;
  /** The action in words, after the actor: "allowed an HTTP destination". */
  what: string;
  /** A page about what it was done to, where there is one (a run, a workflow). */
  href: string | null;
  /** What the row recorded, as "name: value" (a change as "before → after"); secrets never reach a row. */
  details: string[];
}

/** The most rows a page shows: the newest. */
export const AUDIT_LOG_LIMIT = 500;

const WHAT: Record<string, string> = {
  "http.request": "sent an HTTP request from a run",
  "http.destination.add": "allowed an HTTP destination",
  "http.destination.remove": "removed an HTTP destination",
  "workflow.create": "created a workflow",
  "workflow.create-from-template": "created a workflow from a template",
  "workflow.update": "changed a workflow's name or settings",
  "workflow.delete": "deleted a workflow",
  "workflow.restore": "restored a deleted workflow",
  "workflow.publish": "published a version",
  "workflow.publish-over-gate": "published a version over its evaluation gate",
  "workflow.gate": "changed a workflow's evaluation gate",
  "trigger.created": "added a trigger",
  "trigger.updated": "changed a trigger",
  "trigger.secret_rotated": "replaced a trigger's secret",
  "trigger.deleted": "removed a trigger",
  "member.create": "added a person",
  "member.update": "changed a person's role or access",
  "invitation.create": "invited someone",
  "invitation.accept": "accepted an invitation",
  "invitation.revoke": "revoked an invitation",
  "user.password-change": "changed their password",
  "setup.first-admin": "set up the studio",
  "installation.owner": "changed who owns the installation",
  "workspace.create": "created a workspace",
  "api_key.create": "created a personal API key",
  "api_key.revoke": "revoked a personal API key",
  "application_key.create": "created an application key",
  "application_key.update": "changed an application key",
  "application_key.revoke": "revoked an application key",
  "secret.create": "added a secret",
  "secret.rotate": "replaced a secret's value",
  "secret.delete": "removed a secret",
  "variable.create": "added a variable",
  "variable.update": "changed a variable",
  "variable.delete": "removed a variable",
  "gateway.provider.create": "added a model provider",
  "gateway.provider.update": "changed a model provider",
  "gateway.provider.delete": "removed a model provider",
  "gateway.model.create": "added a model",
  "gateway.model.update": "changed a model",
  "gateway.model.delete": "removed a model",
  "gateway.limits.update": "changed the limits and budgets",
  "gateway.grant.access": "changed who may use a granted model",
  "organization.team": "changed what the organization allows this workspace",
  "organization.budget": "changed the organization's budget",
  "organization.limits": "changed the organization's rate limits",
  "guardrail-policy.create": "added a guardrail policy",
  "guardrail-policy.update": "changed a guardrail policy",
  "guardrail-policy.delete": "removed a guardrail policy",
  "mcp.server.create": "added a tool server",
  "mcp.server.update": "changed a tool server",
  "mcp.server.delete": "removed a tool server",
  "mcp.server.grants": "changed which workspaces a tool server is granted to",
  "mcp.tool.permissions": "changed a tool's permissions",
  "mcp.tool.approve": "approved a tool",
  "mcp.audit.export": "exported the tool audit trail",
  "review.decide": "decided a review",
  "review.escalate": "escalated a review past its deadline",
  "review.claim": "claimed a review",
  "review.release": "let go of a review",
  "review.assign": "assigned a review",
  "review.assign-role": "handed a review to a role",
  "notifications.update": "changed the review notifications",
};

/** An action in words ("allowed an HTTP destination"); one not known yet as its name ("did x.y"). */
export function auditActionText(action: string): string {
  return WHAT[action] ?? `did “${action}”`;
}

/**
 * A field that could hold a secret, were one ever recorded by mistake, at any depth: its value is
 * shown as "[hidden]" (whole names: "token", "apiKey", "webhookSecret"; not "maxOutputTokens").
 * What the studio records of a secret is only whether it was set, kept or removed: that is shown.
 */
const SECRET_FIELD = /^(api_?key|password|authorization|cookie|token|secret)$|(secret|token|password|apikey)$/i;
const SAID_OF_A_SECRET = new Set(["set", "kept", "removed"]);
const MAX_VALUE = 200;

/** A value with every secret-named field hidden, and a URL's credentials and query left out (a token may ride there). */
function masked(value: unknown, field: string, depth = 0): unknown {
  if (SECRET_FIELD.test(field) && typeof value !== "boolean" && !SAID_OF_A_SECRET.has(String(value))) return "[hidden]";
  if (typeof value === "string" && /url$/i.test(field)) return withoutQuery(value);
  if (depth > 8 || !value || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => masked(v, field, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, masked(v, k, depth + 1)]));
}

function withoutQuery(text: string): string {
  try {
    const url = new URL(text);
    return `${url.protocol}//${url.host}${url.pathname}${url.search ? "?…" : ""}`;
  } catch {
    return text;
  }
}

function shown(field: string, value: unknown): string {
  const safe = masked(value, field);
  // A command's arguments may carry a token ("--token=…"): how many, not what.
  if (field === "args" && Array.isArray(safe)) return `${safe.length} argument${safe.length === 1 ? "" : "s"}`;
  const text = typeof safe === "string" ? safe : JSON.stringify(safe);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}…` : text;
}

const asRecord = (value: unknown): Record<string, unknown> =>
  value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** What a row recorded, field by field: a field that changed as "before → after". */
export function auditDetails(before: unknown, after: unknown): string[] {
  const was = asRecord(before);
  const is = asRecord(after);
  const fields = [...new Set([...Object.keys(was), ...Object.keys(is)])];
  return fields.map((field) => {
    const [a, b] = [was[field], is[field]];
    if (field in was && field in is && JSON.stringify(a) !== JSON.stringify(b))
      return `${field}: ${shown(field, a)} → ${shown(field, b)}`;
    return `${field}: ${shown(field, field in is ? b : a)}`;
  });
}

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
  "notifications.update": "changed the review notifications",
};

/** An action in words ("allowed an HTTP destination"); one not known yet as its name ("did x.y"). */
export function auditActionText(action: string): string {
  return WHAT[action] ?? `did “${action}”`;
}

/** A field that could hold a secret, were one ever recorded by mistake: shown masked. */
const SECRET_FIELD = /secret|token|password|apikey|api_key|authorization|cookie/i;
const MAX_VALUE = 200;

function shown(field: string, value: unknown): string {
  if (SECRET_FIELD.test(field) && typeof value !== "boolean") return "[hidden]";
  const text = typeof value === "string" ? value : JSON.stringify(value);
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

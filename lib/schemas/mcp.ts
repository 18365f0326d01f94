import { z } from "zod";
import { roleSchema } from "./identity";

/** MCP administration: servers, tool permissions, the audit trail. */
const pair = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Name it")
    .max(100)
    .regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, "Letters, digits, dashes and underscores"),
  /** Empty on an update: keep the stored value. */
  value: z.string().max(4_000).default(""),
});

export const serverInputSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, "Name the server, such as “files”: its tools are named files__<tool>")
      .max(40)
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Use lower-case letters, digits and single dashes"),
    transport: z.enum(["STDIO", "HTTP"]),
    command: z.string().trim().max(500).default(""),
    args: z.array(z.string().max(1_000)).max(50).default([]),
    env: z.array(pair).max(50).default([]),
    url: z.string().trim().max(1_000).default(""),
    headers: z.array(pair).max(50).default([]),
    enabled: z.boolean().default(true),
  })
  .superRefine((v, ctx) => {
    if (v.transport === "STDIO" && !v.command)
      ctx.addIssue({
        code: "custom",
        path: ["command"],
        message: "A stdio server needs the command that starts it, such as npx or node",
      });
    if (v.transport === "HTTP" && !/^https?:\/\/\S+$/.test(v.url))
      ctx.addIssue({
        code: "custom",
        path: ["url"],
        message: "Enter the server's Streamable HTTP URL, such as http://localhost:3001/mcp",
      });
  });
export type ServerInput = z.infer<typeof serverInputSchema>;

export interface ServerView {
  id: string;
  name: string;
  transport: "STDIO" | "HTTP";
  command: string;
  args: string[];
  url: string;
  /** Names only: values are secrets. */
  envNames: string[];
  headerNames: string[];
  enabled: boolean;
  lastPingAt: string | null;
  lastError: string | null;
  /** In a workspace: the tools in its catalog; the organization's: distinct tools found. */
  tools: number;
  /** The organization's (granted to the team; its admins neither change nor remove it). */
  organization: boolean;
  /** The organization's servers only: the teams it is granted to. */
  teams?: { id: string; name: string }[];
}

/** Whose servers: a workspace's own (and those granted to it), or the organization's. */
export type ServerScope = "workspace" | "organization";

/** Which teams have an organization tool server (the whole list: teams left out lose it). */
export const serverTeamsSchema = z.object({
  workspaceIds: z.array(z.string().trim().min(1).max(64)).max(1_000),
});

export const toolRiskSchema = z.enum(["LOW", "MEDIUM", "HIGH"]);

export const toolUpdateSchema = z.object({
  allowedRoles: z.array(roleSchema).max(3),
  allowedWorkflowIds: z.array(z.string().min(1).max(64)).max(500).default([]),
  risk: toolRiskSchema,
  requiresApproval: z.boolean(),
  /** Approve the tool as the server describes it now (after a change). */
  approve: z.boolean().default(false),
});
export type ToolUpdate = z.infer<typeof toolUpdateSchema>;

export interface ToolView {
  id: string;
  name: string;
  serverName: string;
  description: string;
  inputSchema: unknown;
  status: "ready" | "changed" | "missing" | "server-off";
  allowedRoles: ("ADMIN" | "BUILDER" | "REVIEWER")[];
  allowedWorkflowIds: string[];
  risk: "LOW" | "MEDIUM" | "HIGH";
  requiresApproval: boolean;
}

/** A tool a builder may pick in the editor. */
export interface ToolChoice {
  name: string;
  description: string;
  requiresApproval: boolean;
  inputSchema: unknown;
}

export const auditQuerySchema = z.object({
  days: z.coerce.number().int().min(1).max(366).default(7),
  outcome: z.enum(["ok", "error", "denied", "awaiting_approval", "rejected"]).optional(),
  tool: z.string().max(200).optional(),
  format: z.enum(["json", "csv"]).default("json"),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;
/** The organization's view of every team's tool calls: the same filters, and one team (a workspace id). */
export const organizationAuditQuerySchema = auditQuerySchema.extend({ team: z.string().min(1).max(64).optional() });
export type OrganizationAuditQuery = z.infer<typeof organizationAuditQuerySchema>;

export interface AuditRow {
  id: string;
  at: string;
  /** The team (workspace) the call was made in: in the organization's view only. */
  team?: string;
  user: string;
  serverName: string;
  toolName: string;
  arguments: unknown;
  outcome: string;
  error: string | null;
  resultBytes: number;
  latencyMs: number;
  approver: string | null;
  runId: string | null;
  source: string;
}

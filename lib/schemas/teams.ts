import { z } from "zod";
import { roleSchema } from "./identity";

/**
 * Workspaces as the organization's teams: the organization's models granted to each (under the
 * name its builders pick), the team's own limits and budget, and whether it may bring its own
 * providers. Installation owners set these; a team's admins set who in the team may use a grant.
 */
const modelName = z
  .string()
  .trim()
  .min(1, "Name the model as the team picks it")
  .max(60)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, "Use lower-case letters, digits, dots, dashes and underscores");

const limit = z.number().int().min(1, "At least 1, or leave it empty for no limit").max(100_000_000).nullable();

export const grantAccessSchema = z
  .object({
    allowedRoles: z.array(roleSchema).max(3),
    allowedUserIds: z.array(z.string().min(1).max(64)).max(500).default([]),
  })
  .strict();
export type GrantAccess = z.infer<typeof grantAccessSchema>;

export const teamInputSchema = z
  .object({
    grants: z
      .array(
        z
          .object({
            aliasId: z.string().min(1).max(64),
            name: modelName,
            /** Who in the team may use it; omitted: kept, or the model's default roles for a new grant. */
            allowedRoles: z.array(roleSchema).max(3).optional(),
          })
          .strict(),
      )
      .max(200),
    ownProviders: z.boolean(),
    workspaceRpm: limit,
    workspaceTpm: limit,
    workspaceBudgetUsd: z.number().min(0).max(10_000_000).nullable(),
    budgetPeriod: z.enum(["DAY", "MONTH"]).default("MONTH"),
    /** Save even though workflows or keys of the team call a model name this takes away. */
    force: z.boolean().default(false),
  })
  .strict();
/** As callers give it: `force` and `budgetPeriod` may be left out. */
export type TeamInput = z.input<typeof teamInputSchema>;

export interface GrantView {
  id: string;
  aliasId: string;
  /** The organization model's own name. */
  aliasName: string;
  /** The name the team picks it by. */
  name: string;
  description: string;
  allowedRoles: z.infer<typeof roleSchema>[];
  allowedUserIds: string[];
}

export interface TeamView {
  id: string;
  name: string;
  members: number;
  grants: GrantView[];
  /** The organization's tool servers granted to it (granted under Organization → Tool servers). */
  toolServers: string[];
  ownProviders: boolean;
  /** Models the team defined itself (bring your own key). */
  ownModels: number;
  workspaceRpm: number | null;
  workspaceTpm: number | null;
  workspaceBudgetUsd: number | null;
  budgetPeriod: "DAY" | "MONTH";
  spentUsd: number;
}

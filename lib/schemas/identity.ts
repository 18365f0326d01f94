import { z } from "zod";

/** A member's role in one workspace (mirrors the Prisma enum `Role`). */
export const roleSchema = z.enum(["ADMIN", "BUILDER", "REVIEWER"]);
export type Role = z.infer<typeof roleSchema>;

export const memberStatusSchema = z.enum(["ACTIVE", "DEACTIVATED"]);
export type MemberStatus = z.infer<typeof memberStatusSchema>;

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email("Enter an email address such as ada@example.com"));

export const passwordSchema = z.string().min(10, "Use at least 10 characters").max(200, "Use at most 200 characters");

export const personNameSchema = z.string().trim().min(1, "Enter a name").max(100, "Use at most 100 characters");
export const workspaceNameSchema = z
  .string()
  .trim()
  .min(1, "Enter a workspace name")
  .max(80, "Use at most 80 characters");

/** The "create the first admin" form on an empty installation. */
export const setupInputSchema = z.object({
  name: personNameSchema,
  email: emailSchema,
  password: passwordSchema,
  workspaceName: workspaceNameSchema,
});
export type SetupInput = z.infer<typeof setupInputSchema>;

/** An admin creates a member with a password they hand over. */
export const createMemberInputSchema = z.object({
  name: personNameSchema,
  email: emailSchema,
  role: roleSchema,
  password: passwordSchema,
});
export type CreateMemberInput = z.infer<typeof createMemberInputSchema>;

/** An admin invites someone, who sets their own password through the link. */
export const inviteInputSchema = z.object({
  name: personNameSchema,
  email: emailSchema,
  role: roleSchema,
});
export type InviteInput = z.infer<typeof inviteInputSchema>;

export const acceptInvitationInputSchema = z.object({
  token: z.string().min(20).max(200),
  password: passwordSchema,
});

export const updateMemberInputSchema = z
  .object({ role: roleSchema.optional(), status: memberStatusSchema.optional() })
  .refine((v) => v.role !== undefined || v.status !== undefined, { message: "Give a role or a status to change" });
export type UpdateMemberInput = z.infer<typeof updateMemberInputSchema>;

export const createWorkspaceInputSchema = z.object({ name: workspaceNameSchema });
export const switchWorkspaceInputSchema = z.object({ workspaceId: z.string().min(1).max(64) });

/** What the browser learns about a member; never a password hash. */
export const memberViewSchema = z.object({
  id: z.string(),
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  role: roleSchema,
  status: memberStatusSchema,
  lastSignInAt: z.string().nullable(),
  createdAt: z.string(),
});
export type MemberView = z.infer<typeof memberViewSchema>;

/** An owner names or un-names an installation owner (who may configure host commands). */
export const installationOwnerInputSchema = z.object({ owner: z.boolean() });
/** The installation owners among the current workspace's members, and whether the viewer is one. */
export const installationOwnersViewSchema = z.object({
  viewerIsOwner: z.boolean(),
  ownerUserIds: z.array(z.string()),
});
export type InstallationOwnersView = z.infer<typeof installationOwnersViewSchema>;

/** A signed-in person changes their own password. */
export const changePasswordInputSchema = z.object({
  currentPassword: z.string().min(1, "Enter your current password").max(200, "Use at most 200 characters"),
  newPassword: passwordSchema,
});
export type ChangePasswordInput = z.infer<typeof changePasswordInputSchema>;

import "server-only";
import { recordAudit } from "../audit/record";
import type { Viewer } from "../auth/session";
import { derivedKey } from "../config/secrets";
import { lastFour, open, seal } from "../crypto/secret-box";
import { db } from "../db/client";
import { isUniqueViolation } from "../db/unique-violation";
import { AppError, notFound } from "../errors/app-error";
import type { CreateVariableInput, VariableView } from "../schemas/variables";

/**
 * A workspace's variables ({{vars.name}}, plain text) and secrets ({{secrets.name}}, sealed at
 * rest with a key of their own). Admins write them; every change is audited, without a
 * secret's value. A secret's value is unsealed only for a run that names it (`runValues`).
 */
const secretsKey = () => derivedKey("workspace-secrets");

function view(row: {
  id: string;
  name: string;
  secret: boolean;
  value: string;
  hint: string | null;
  updatedAt: Date;
}): VariableView {
  return {
    id: row.id,
    name: row.name,
    secret: row.secret,
    value: row.secret ? null : row.value,
    hint: row.secret ? row.hint : null,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function listVariables(viewer: Viewer): Promise<VariableView[]> {
  const prisma = await db();
  const rows = await prisma.workspaceVariable.findMany({
    where: { workspaceId: viewer.workspace.id },
    orderBy: [{ secret: "asc" }, { name: "asc" }],
  });
  return rows.map(view);
}

const stored = (secret: boolean, value: string) =>
  secret
    ? { value: seal(value, secretsKey()), hint: value.length >= 12 ? lastFour(value) : null }
    : { value, hint: null };

export async function createVariable(viewer: Viewer, input: CreateVariableInput): Promise<VariableView> {
  const prisma = await db();
  try {
    return await prisma.$transaction(async (tx) => {
      const row = await tx.workspaceVariable.create({
        data: {
          workspaceId: viewer.workspace.id,
          name: input.name,
          secret: input.secret,
          updatedById: viewer.user.id,
          ...stored(input.secret, input.value),
        },
      });
      await recordAudit(tx, {
        workspaceId: viewer.workspace.id,
        actorId: viewer.user.id,
        action: input.secret ? "secret.create" : "variable.create",
        targetType: "WorkspaceVariable",
        targetId: row.id,
        after: { name: row.name },
      });
      return view(row);
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError(
        "conflict",
        `body.name: this workspace already has a variable or secret named “${input.name}”.`,
        {
          fields: [{ path: "body.name", message: "Taken: pick another name, or change the existing one" }],
        },
      );
    throw error;
  }
}

/** A new value (a secret's rotation): runs that start or resume from now on read it; no workflow changes. */
export async function updateVariable(viewer: Viewer, id: string, value: string): Promise<VariableView> {
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const row = await ownVariable(tx, viewer, id);
    if (row.secret && value.length < 8)
      throw new AppError("bad_request", "body.value: a secret has at least 8 characters.", {
        fields: [{ path: "body.value", message: "A secret has at least 8 characters" }],
      });
    const updated = await tx.workspaceVariable.update({
      where: { id },
      data: { ...stored(row.secret, value), updatedById: viewer.user.id },
    });
    await recordAudit(tx, {
      workspaceId: viewer.workspace.id,
      actorId: viewer.user.id,
      action: row.secret ? "secret.rotate" : "variable.update",
      targetType: "WorkspaceVariable",
      targetId: id,
      after: { name: row.name },
    });
    return view(updated);
  });
}

type Tx = Parameters<Parameters<Awaited<ReturnType<typeof db>>["$transaction"]>[0]>[0];

/** The workspace's variable by id; 404 for another workspace's. */
async function ownVariable(tx: Tx, viewer: Viewer, id: string) {
  const row = await tx.workspaceVariable.findFirst({ where: { id, workspaceId: viewer.workspace.id } });
  if (!row) throw notFound("Variable");
  return row;
}

export async function deleteVariable(viewer: Viewer, id: string): Promise<{ deleted: true }> {
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const row = await ownVariable(tx, viewer, id);
    await tx.workspaceVariable.delete({ where: { id } });
    await recordAudit(tx, {
      workspaceId: viewer.workspace.id,
      actorId: viewer.user.id,
      action: row.secret ? "secret.delete" : "variable.delete",
      targetType: "WorkspaceVariable",
      targetId: id,
      before: { name: row.name },
    });
    return { deleted: true as const };
  });
}

/** The values a run of this workspace names, secrets unsealed: the engine's `variables` port. */
export async function runValues(
  workspaceId: string,
  names: { vars: string[]; secrets: string[] },
): Promise<{ vars: Record<string, string>; secrets: Record<string, string> }> {
  const prisma = await db();
  const rows = await prisma.workspaceVariable.findMany({
    where: {
      workspaceId,
      OR: [
        { secret: false, name: { in: names.vars } },
        { secret: true, name: { in: names.secrets } },
      ],
    },
    select: { name: true, secret: true, value: true },
  });
  const values = { vars: {} as Record<string, string>, secrets: {} as Record<string, string> };
  for (const row of rows)
    if (row.secret) values.secrets[row.name] = open(row.value, secretsKey());
    else values.vars[row.name] = row.value;
  return values;
}

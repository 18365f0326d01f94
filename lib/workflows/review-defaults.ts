import "server-only";
import { db } from "../db/client";
import { reviewerDefaults, type RoleCounts } from "../schemas/node-kinds/human-review";

type Client = Pick<Awaited<ReturnType<typeof db>>, "membership">;

/** Whom a new Human Review step of this workspace goes to (`reviewerDefaults` over its active members). */
export async function reviewDefaultsOf(workspaceId: string, client?: Client) {
  const prisma = client ?? (await db());
  const groups = await prisma.membership.groupBy({
    by: ["role"],
    where: { workspaceId, status: "ACTIVE" },
    _count: { _all: true },
  });
  const team: RoleCounts = Object.fromEntries(groups.map((g) => [g.role, g._count._all]));
  return reviewerDefaults(team);
}

import type { PrismaClient } from "../db/generated/client";

/** The ids of every run under these runs: a Loop's items, a Sub-workflow's run, at any depth. */
export async function runIdsUnder(prisma: PrismaClient, runIds: string[]): Promise<Set<string>> {
  const under = new Set<string>();
  for (let level = runIds; level.length;) {
    const rows = await prisma.run.findMany({ where: { parentRunId: { in: level } }, select: { id: true } });
    level = rows.map((r) => r.id).filter((id) => !under.has(id));
    for (const id of level) under.add(id);
  }
  return under;
}

/**
 * An output as a test case compares it: without the ids of child runs, which differ on every run
 * (a Loop's `runs`, a Sub-workflow's `runId`). In an object or a list, a value that is one of
 * `ids`, or a list of them (and nulls), is left out.
 */
export function withoutRunIds(value: unknown, ids: ReadonlySet<string>): unknown {
  if (!ids.size) return value;
  const isId = (v: unknown) => typeof v === "string" && ids.has(v);
  const isIds = (v: unknown) => isId(v) || (Array.isArray(v) && v.some(isId) && v.every((x) => x === null || isId(x)));
  const walk = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.filter((x) => !isIds(x)).map(walk)
      : v !== null && typeof v === "object"
        ? Object.fromEntries(
            Object.entries(v)
              .filter(([, x]) => !isIds(x))
              .map(([k, x]) => [k, walk(x)]),
          )
        : v;
  return walk(value);
}

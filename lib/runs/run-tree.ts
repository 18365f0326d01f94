import "server-only";
import type { Sql } from "../db/client";

/**
 * The run a child run (a loop's body, a sub-workflow) is part of: the top of its tree, the run a
 * person or trigger started, with its workflow.
 */
export async function rootRunOf(sql: Sql, runId: string): Promise<{ runId: string; workflowId: string }> {
  const [root] = await sql.query<{ id: string; workflowId: string }>(
    `WITH RECURSIVE up AS (
       SELECT "id", "workflowId", "parentRunId", 0 AS "depth" FROM "Run" WHERE "id" = $1
       UNION ALL
       SELECT r."id", r."workflowId", r."parentRunId", up."depth" + 1 FROM "Run" AS r
       JOIN up ON r."id" = up."parentRunId" WHERE up."depth" < 100
     )
     SELECT "id", "workflowId" FROM up ORDER BY "depth" DESC LIMIT 1`,
    [runId],
    "flowdeck_root_run",
  );
  if (!root) throw new Error(`run ${runId} is not there`);
  return { runId: root.id, workflowId: root.workflowId };
}

/**
 * The cost cap of a run's tree as an admin raised it (kept on the root run, `Run.costCapUsd`):
 * read once per execution and cached; raising it writes the root run (never lowering it) and
 * is seen at once by this process's calls (another process's running part of the tree reads it
 * when it next claims its run).
 */
export function raisedCostCap(sql: Sql, root: () => Promise<{ runId: string }>) {
  let known: Promise<number | null> | null = null;
  return {
    get(): Promise<number | null> {
      known ??= root().then(async ({ runId }) => {
        const [row] = await sql.query<{ costCapUsd: number | null }>(
          `SELECT "costCapUsd" FROM "Run" WHERE "id" = $1`,
          [runId],
          "flowdeck_raised_cost_cap",
        );
        return row?.costCapUsd ?? null;
      });
      return known;
    },
    async raise(toUsd: number): Promise<void> {
      const { runId } = await root();
      const [row] = await sql.query<{ costCapUsd: number }>(
        `UPDATE "Run" SET "costCapUsd" = GREATEST(COALESCE("costCapUsd", 0), $2) WHERE "id" = $1 RETURNING "costCapUsd"`,
        [runId, toUsd],
        "flowdeck_raise_cost_cap",
      );
      known = Promise.resolve(row?.costCapUsd ?? toUsd);
    },
  };
}

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

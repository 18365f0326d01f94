/**
 * A process of its own that starts an evaluation and drives it, for the takeover test:
 * `tsx --conditions=react-server test/support/evaluation-driver.ts '<json>'` with the scratch
 * database in DATABASE_URL. Prints the evaluation's id as one JSON line, then drives it until
 * it is killed (or for a minute at most).
 */
import type { Viewer } from "../../lib/auth/session";

const { viewer, workflowId } = JSON.parse(process.argv[2]!) as { viewer: Viewer; workflowId: string };

async function main() {
  const { startEvaluation } = await import("../../lib/evaluations/run-evaluation");
  const { id } = await startEvaluation(viewer, workflowId, { on: "draft", concurrency: 1 });
  console.log(JSON.stringify({ id }));
  // Killed by the test; should the test die first, it ends by itself.
  await new Promise((resolve) => setTimeout(resolve, 60_000));
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

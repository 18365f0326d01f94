import { expect, test } from "@playwright/test";
import { newPerson, setUpFirstAdmin, signedInApi } from "./support/people";
import { createReviewWorkflow, runToReview } from "./support/reviews";
import { runOf, waitForRunStatus } from "./support/runs-api";
import { startStudio } from "./support/studio";

/**
 * With no worker processes the studio executes runs itself (its in-process worker): always
 * so on the embedded database, which only the studio's process opens. Worker processes are
 * tested in workers.spec.ts, on PostgreSQL.
 */
test("the studio runs workflows in its own process; a run waiting for review outlives a restart and finishes once decided @smoke", async () => {
  test.setTimeout(120_000);
  const studio = await startStudio({ LOG_LEVEL: "info" });
  try {
    const log = () =>
      studio
        .output()
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map(
          (line) =>
            JSON.parse(line) as { msg?: string; runId?: string; status?: string; worker?: string; database?: string },
        );
    // Health answers as soon as the database does; the ready line follows once the worker runs.
    await expect.poll(() => log().some((l) => l.msg === "flowdeck ready")).toBe(true);
    expect(log().find((l) => l.msg === "flowdeck ready")).toMatchObject({
      database: studio.databaseKind,
      worker: "in-process",
    });

    const admin = newPerson("Admin");
    await setUpFirstAdmin(studio.url, admin);
    const before = await signedInApi(studio.url, admin);
    const workflow = await createReviewWorkflow(before, "Outlives a restart", {
      reviewerRole: "ADMIN",
      allowSelfApproval: true,
    });
    const { runId, reviewId } = await runToReview(before, workflow, "tidal power");
    await before.dispose();

    await studio.restart();
    const api = await signedInApi(studio.url, admin);
    const decided = await api.post(`/api/reviews/${reviewId}/decision`, { data: { outcome: "approved" } });
    expect(decided.status(), await decided.text()).toBe(200);
    await waitForRunStatus(api, runId, "COMPLETED");
    expect((await runOf(api, runId)).output).toBe("approved: Notes on tidal power");
    // The studio's own log: it settled the run itself, before the restart and after it.
    expect(
      log()
        .filter((l) => l.msg === "run settled" && l.runId === runId)
        .map((l) => l.status),
    ).toEqual(["waiting", "completed"]);
    await api.dispose();
  } finally {
    await studio.stop();
  }
});

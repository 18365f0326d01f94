/**
 * Inbox (issue: reviewer inbox): the first page of a reviewer's inbox with 10,000 pending
 * reviews in the workspace, server time (the route's Server-Timing), against the same page with
 * 100 pending reviews measured in the same run; and the time from a review being created to its
 * appearance in an open inbox (the live stream's message, then the list fetched as the page's
 * refresh does), p50 and p99.
 * Needs PostgreSQL (the 10,000 reviews are written into the studio's database directly); on
 * the embedded database it prints a skip.
 */
import { randomUUID } from "node:crypto";
import { Client } from "pg";
import { addMember, signedInApi } from "../e2e/support/people";
import { createReviewWorkflow, runToReview } from "../e2e/support/reviews";
import { withStudio } from "./support/studio-with-admin";
import { pct, r2, serverMs } from "./support/stats";

const BIG = 10_000;
const SMALL = 100;
const ROUNDS = 40;
const LIVE = 40;

async function main() {
  if (!process.env.DATABASE_URL) {
    console.log(
      JSON.stringify({
        benchmark: "inbox",
        skipped: "the bench writes 10,000 reviews into the studio's database directly: set DATABASE_URL",
      }),
    );
    return;
  }
  await withStudio(async (studio, api) => {
    const wf = await createReviewWorkflow(api, "Inbox bench", {});
    const { reviewId } = await runToReview(api, wf, "seed");
    const reviewer = await addMember(api, "REVIEWER");
    const reviewerApi = await signedInApi(studio.url, reviewer);
    const pg = new Client({ connectionString: studio.env.DATABASE_URL });
    await pg.connect();
    try {
      const seed = (await pg.query(`SELECT * FROM "Review" WHERE id = $1`, [reviewId])).rows[0];
      const other = (await pg.query(`SELECT id FROM "User" WHERE email <> $1 LIMIT 1`, [reviewer.email])).rows[0].id;
      /** Adds pending reviews like the seed: most for reviewers, some for admins, some claimed by someone else, a third with deadlines. */
      async function addReviews(count: number) {
        const batch = 1000;
        for (let start = 0; start < count; start += batch) {
          const values: unknown[] = [];
          const rows: string[] = [];
          for (let i = start; i < Math.min(count, start + batch); i++) {
            const role = i % 10 < 7 ? "REVIEWER" : "ADMIN";
            const assignee = i % 10 === 9 ? other : null;
            const due = i % 3 === 0 ? new Date(Date.now() + (i % 97) * 60_000) : null;
            const created = new Date(Date.now() - (count - i) * 1000);
            const p = values.length;
            values.push(
              randomUUID(),
              seed.workspaceId,
              seed.runId,
              `n${i}`,
              seed.payload,
              role,
              assignee,
              seed.requesterId,
              seed.workflowId,
              due,
              due ? "escalate" : null,
              created,
            );
            rows.push(
              `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, 'PENDING', $${p + 6}, '', $${p + 7}, $${p + 8}, false, $${p + 9}, $${p + 10}, $${p + 11}, $${p + 12})`,
            );
          }
          await pg.query(
            `INSERT INTO "Review" (id, "workspaceId", "runId", "nodeId", payload, status, "reviewerRole", "reviewerEmail", "assigneeId", "requesterId", "allowSelfApproval", "workflowId", "dueAt", "onExpiry", "createdAt") VALUES ${rows.join(", ")}`,
            values,
          );
        }
        await pg.query(`ANALYZE "Review"`);
      }
      async function firstPage(query: string) {
        const times: number[] = [];
        for (let i = 0; i < ROUNDS; i++) {
          const res = await reviewerApi.get(`/api/reviews${query}`);
          if (!res.ok()) throw new Error(`GET /api/reviews${query}: ${res.status()} ${await res.text()}`);
          times.push(serverMs(res.headers()));
        }
        return { p50: r2(pct(times, 50)), p95: r2(pct(times, 95)) };
      }
      const queries = {
        oldestFirst: "",
        deadlineFirst: "?sort=deadline",
        unclaimed: "?assignee=unassigned&sort=newest",
        workflow: `?workflow=${wf}&age=60`,
      };
      const measureAll = async () => {
        const out: Record<string, { p50: number; p95: number }> = {};
        for (const [k, q] of Object.entries(queries)) out[k] = await firstPage(q);
        return out;
      };

      await addReviews(SMALL);
      const small = await measureAll();
      await addReviews(BIG - SMALL);
      const total = Number((await pg.query(`SELECT count(*) FROM "Review" WHERE status = 'PENDING'`)).rows[0].count);
      const big = await measureAll();

      // Created → shown: the reviewer's navigation stream hears it, then the list is fetched.
      const cookies = (await reviewerApi.storageState()).cookies.map((c) => `${c.name}=${c.value}`).join("; ");
      const stream = await fetch(`${studio.url}/api/live`, { headers: { cookie: cookies } });
      const reader = stream.body!.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      const nextMessage = async () => {
        for (;;) {
          const end = buffer.indexOf("\n\n");
          if (end >= 0) {
            const chunk = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = chunk.split("\n").find((l) => l.startsWith("data: "));
            if (data) return { at: Date.now(), data: JSON.parse(data.slice(6)) as { inbox: number } };
            continue;
          }
          const { value, done } = await reader.read();
          if (done) throw new Error("the live stream ended");
          buffer += decoder.decode(value, { stream: true });
        }
      };
      await nextMessage(); // the current count
      const heard: number[] = [];
      const shown: number[] = [];
      for (let i = 0; i < LIVE; i++) {
        await api.post(`/api/workflows/${wf}/runs`, { data: { input: { topic: `live ${i}` }, mode: "draft" } });
        const message = await nextMessage();
        const created = (
          await pg.query(`SELECT "createdAt" FROM "Review" WHERE "nodeId" = 'check' ORDER BY "createdAt" DESC LIMIT 1`)
        ).rows[0].createdAt as Date;
        heard.push(message.at - created.getTime());
        await reviewerApi.get("/api/reviews?sort=newest");
        shown.push(Date.now() - created.getTime());
      }
      await reader.cancel();
      console.log(
        JSON.stringify({
          benchmark: "inbox",
          database: studio.databaseKind,
          pendingReviews: total,
          firstPageServerMs: { with100: small, with10000: big },
          ratio10000To100p50: Object.fromEntries(Object.keys(queries).map((k) => [k, r2(big[k]!.p50 / small[k]!.p50)])),
          target: "first page under 200 ms server time",
          createdToLiveMessageMs: { p50: r2(pct(heard, 50)), p99: r2(pct(heard, 99)) },
          createdToListedMs: { p50: r2(pct(shown, 50)), p99: r2(pct(shown, 99)) },
          samples: { pageRequests: ROUNDS, liveReviews: LIVE },
        }),
      );
    } finally {
      await pg.end();
      await reviewerApi.dispose();
    }
  });
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});

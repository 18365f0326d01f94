/**
 * Evaluation benchmark (issue: iterate safely). In one studio, on one machine: 200 test cases of
 * a one-agent workflow on a loopback model, evaluated at 10 cases at once (each scored by
 * "contains"); beside it, the same 200 runs started plainly over the API, 10 at a time, each
 * client waiting for its run's end on the event stream. Figures: cases per second, runs per
 * second, and the evaluation's overhead per case over a plain run.
 * Prints one JSON line.
 */
import type { APIRequestContext } from "@playwright/test";
import { startFakeLlmServer } from "../test/support/fake-llm-server";
import { addLoopbackModels } from "../e2e/support/loopback-model";
import { withStudio } from "./support/studio-with-admin";
import { r2 } from "./support/stats";

const CASES = 200;
const AT_ONCE = 10;

async function workflow(api: APIRequestContext): Promise<string> {
  const made = await api.post("/api/workflows", {
    data: {
      name: "Evaluated",
      graph: {
        nodes: [
          {
            id: "start",
            kind: "start",
            label: "Start",
            position: { x: 0, y: 0 },
            config: { fields: [{ name: "question", type: "text", required: true }] },
          },
          {
            id: "answer",
            kind: "agent",
            label: "Answer",
            position: { x: 260, y: 0 },
            config: { model: "bench", instructions: "{{nodes.start.output.question}}", useRunMemory: false },
          },
          {
            id: "out",
            kind: "output",
            label: "Out",
            position: { x: 520, y: 0 },
            config: { value: "{{nodes.answer.output.text}}" },
          },
        ],
        edges: [
          { id: "e1", source: "start", target: "answer" },
          { id: "e2", source: "answer", target: "out" },
        ],
      },
    },
  });
  if (made.status() !== 201) throw new Error(`workflow: ${made.status()} ${await made.text()}`);
  return ((await made.json()) as { id: string }).id;
}

async function main() {
  const llm = await startFakeLlmServer();
  try {
    await withStudio(async (studio, api) => {
      await addLoopbackModels(api, llm.baseUrl, { bench: "bench-model" });
      const id = await workflow(api);
      const questions = Array.from({ length: CASES }, (_, i) => `question ${i}`);

      // Plain runs: 10 clients, each starting a run and following it to its end.
      let next = 0;
      const plainStart = performance.now();
      await Promise.all(
        Array.from({ length: AT_ONCE }, async () => {
          while (next < CASES) {
            const question = questions[next++]!;
            const res = await fetch(`${studio.url}/api/workflows/${id}/runs`, {
              method: "POST",
              headers: {
                "content-type": "application/json",
                accept: "text/event-stream",
                cookie: (await api.storageState()).cookies.map((c) => `${c.name}=${c.value}`).join("; "),
              },
              body: JSON.stringify({ input: { question }, mode: "draft" }),
            });
            await res.text();
          }
        }),
      );
      const plainSeconds = (performance.now() - plainStart) / 1000;

      for (let i = 0; i < CASES; i += 100) {
        const added = await api.post(`/api/workflows/${id}/cases`, {
          data: { cases: questions.slice(i, i + 100).map((q) => ({ input: { question: q }, expected: q })) },
        });
        if (added.status() !== 201) throw new Error(`cases: ${added.status()} ${await added.text()}`);
      }
      await api.put(`/api/workflows/${id}/suite`, { data: { evaluators: [{ kind: "contains" }], gate: null } });
      const evalStart = performance.now();
      const started = await api.post(`/api/workflows/${id}/evaluations`, {
        data: { on: "draft", concurrency: AT_ONCE },
      });
      const evaluationId = ((await started.json()) as { id: string }).id;
      let evaluation: { status: string; done: number; passed: number };
      for (;;) {
        evaluation = (
          (await (await api.get(`/api/evaluations/${evaluationId}`)).json()) as { evaluation: typeof evaluation }
        ).evaluation;
        if (evaluation.status !== "RUNNING") break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const evalSeconds = (performance.now() - evalStart) / 1000;
      if (evaluation.status !== "COMPLETED" || evaluation.passed !== CASES)
        throw new Error(`evaluation ended ${evaluation.status} with ${evaluation.passed} of ${CASES} passed`);
      console.log(
        JSON.stringify({
          bench: "evaluation",
          cases: CASES,
          concurrency: AT_ONCE,
          casesPerSecond: r2(CASES / evalSeconds),
          baseline: { plainRunsPerSecond: r2(CASES / plainSeconds) },
          overheadMsPerCase: r2(((evalSeconds - plainSeconds) * 1000 * AT_ONCE) / CASES),
          ratio: r2(evalSeconds / plainSeconds),
        }),
      );
    });
  } finally {
    await llm.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

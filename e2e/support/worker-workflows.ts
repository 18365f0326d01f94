import { expect, type APIRequestContext } from "@playwright/test";
import { startFakeLlmServer, type FakeLlmServer } from "../../test/support/fake-llm-server";
import { addLoopbackModels } from "./loopback-model";

/** Workflows for the worker-process tests (e2e/workers.spec.ts): made, published, run and read over the API. */
export type Node = {
  id: string;
  kind: string;
  label: string;
  position: { x: number; y: number };
  config: Record<string, unknown>;
};
export const node = (id: string, kind: string, config: Record<string, unknown>, x: number): Node => ({
  id,
  kind,
  label: id,
  position: { x, y: 0 },
  config,
});
export const agent = (id: string, x: number, words = 1) =>
  node(id, "agent", { model: "demo", instructions: `Step ${id}: ${"write ".repeat(words)}`, useRunMemory: false }, x);

/** Creates and publishes a workflow; returns its id. */
export async function publish(
  api: APIRequestContext,
  name: string,
  nodes: Node[],
  handles: Record<string, string> = {},
): Promise<string> {
  const edges = nodes.slice(1).map((n, i) => ({
    id: `e${i}`,
    source: nodes[i]!.id,
    target: n.id,
    ...(handles[nodes[i]!.id] ? { sourceHandle: handles[nodes[i]!.id] } : {}),
  }));
  const created = await api.post("/api/workflows", { data: { name, graph: { nodes, edges } } });
  expect(created.status(), await created.text()).toBe(201);
  const { id, revision } = await created.json();
  const published = await api.post(`/api/workflows/${id}/versions`, { data: { note: "", revision } });
  expect(published.status(), await published.text()).toBe(201);
  return id;
}

export const start = { fields: [{ name: "topic", type: "string", required: true, description: "" }] };

export async function startRun(api: APIRequestContext, workflowId: string, topic: string): Promise<string> {
  const res = await api.post(`/api/workflows/${workflowId}/runs`, { data: { input: { topic } } });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()).id;
}

export type StepView = { nodeId: string; attempt: number; status: string };
export async function readRun(
  api: APIRequestContext,
  id: string,
): Promise<{ status: string; steps: StepView[]; error: string | null }> {
  return (await api.get(`/api/runs/${id}`)).json();
}

/** Each node's finished attempts: a completed step is never executed again. */
export function doneCounts(steps: StepView[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of steps) if (s.status === "done") counts[s.nodeId] = (counts[s.nodeId] ?? 0) + 1;
  return counts;
}

/** The same, over the API context `api()` gives (set once the file's studio is up). */
export function workflowsVia(api: () => APIRequestContext) {
  return {
    publish: (name: string, nodes: Node[], handles?: Record<string, string>) => publish(api(), name, nodes, handles),
    startRun: (workflowId: string, topic: string) => startRun(api(), workflowId, topic),
    readRun: (id: string) => readRun(api(), id),
  };
}

/** A counting model server on loopback, slow enough to kill a worker mid-step, behind the gateway model "counted". */
export async function startCountingModel(api: APIRequestContext): Promise<FakeLlmServer> {
  const llm = await startFakeLlmServer();
  llm.behave("slow-model", {
    kind: "answer",
    text: "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen",
    chunkDelayMs: 60,
  });
  await addLoopbackModels(api, llm.baseUrl, { counted: "slow-model" });
  return llm;
}

/** An agent step on the counting model. */
export const counted = (id: string, x: number) =>
  node(id, "agent", { model: "counted", instructions: `Step ${id}: write`, useRunMemory: false }, x);

/** How many calls the model server got for a step (each step's instructions name it). */
export const callsOf = (llm: FakeLlmServer, step: string) =>
  llm.requests.filter((r) => JSON.stringify(r.messages).includes(`Step ${step}:`)).length;

/** A published workflow of two agent steps of `seconds` each on the loopback model. */
export async function twoSlowStepsOn(
  api: APIRequestContext,
  llm: FakeLlmServer,
  name: string,
  seconds: number,
): Promise<string> {
  const text = "one two three four five six seven eight";
  llm.behave(`model-${name}`, { kind: "answer", text, chunkDelayMs: (seconds * 1000) / 8 });
  await addLoopbackModels(api, llm.baseUrl, { [`slow-${name}`]: `model-${name}` });
  const slowStep = (id: string, x: number) =>
    node(id, "agent", { model: `slow-${name}`, instructions: `Step ${id}: write`, useRunMemory: false }, x);
  return publish(api, name, [
    node("start", "start", start, 0),
    slowStep("a", 1),
    slowStep("b", 2),
    node("out", "output", { value: "{{nodes.b.output.text}}" }, 3),
  ]);
}

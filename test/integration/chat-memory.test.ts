import { afterAll, expect, it } from "vitest";
import { gatewayWorld } from "../support/gateway-world";

/**
 * A chat's memory on a real database, through the real gateway to a real OpenAI-compatible
 * server on loopback: each message is a run whose agent gets the conversation before it as
 * earlier messages (the last turns), and with a rolling summary the older turns are folded into
 * a summary written by the summary model and handed over in the system message.
 */
const world = gatewayWorld("chatmemory");

afterAll(async () => {
  const { stopQueue } = await import("../../lib/platform/queues");
  await stopQueue();
});

async function publishedAssistant(): Promise<string> {
  const { createWorkflow } = await import("../../lib/workflows/workflows");
  const { publishWorkflow } = await import("../../lib/workflows/versions");
  const ws = world.admin.workspace.id;
  const wf = await createWorkflow(ws, world.admin.user.id, {
    name: "Help desk",
    description: "",
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
          id: "agent",
          kind: "agent",
          label: "Agent",
          position: { x: 260, y: 0 },
          config: { model: "helper", instructions: "{{nodes.start.output.question}}", useRunMemory: true },
        },
        {
          id: "out",
          kind: "output",
          label: "Out",
          position: { x: 520, y: 0 },
          config: { value: "{{nodes.agent.output.text}}" },
        },
      ],
      edges: [
        { id: "e1", source: "start", target: "agent" },
        { id: "e2", source: "agent", target: "out" },
      ],
    },
  });
  await publishWorkflow(ws, world.admin.user.id, wf.id, { note: "", revision: wf.revision });
  return wf.id;
}

/** Sends a message as a member and runs its turn to its end; answers the turn's answer. */
async function say(chatId: string, threadId: string | null, message: string) {
  const { chatAndChatter, sendMessage, readThread } = await import("../../lib/triggers/chat");
  const { executeRun } = await import("../../lib/execution/execute-run");
  const { chat, who } = await chatAndChatter(chatId, { viewer: world.admin, token: null, visitorKey: null });
  const sent = await sendMessage(chat, who, threadId, message, null);
  const prisma = await world.mod.db.db();
  const { runId } = await prisma.chatTurn.findUniqueOrThrow({ where: { id: sent.turn.id } });
  expect(await executeRun(runId)).toMatchObject({ status: "completed" });
  const thread = await readThread(chat, who, sent.thread.id);
  return { threadId: sent.thread.id, turn: thread.turns.at(-1)! };
}

/** The chat messages the helper model got for its last call: role and text. */
const lastAsked = () =>
  world.llm.requests
    .filter((r) => r.model === "helper-model")
    .at(-1)!
    .messages.map((m) => ({
      role: m.role,
      content: typeof m.content === "string" ? m.content : JSON.stringify(m.content),
    }));

it("the last turns come as earlier messages; older ones as a summary the summary model wrote", async () => {
  await world.alias("helper", [{ modelId: "helper-model" }]);
  await world.alias("summarizer", [{ modelId: "summary-model" }]);
  world.llm.behave("summary-model", { kind: "answer", text: "Ada asked about kelp; she likes otters." });
  const { createTrigger } = await import("../../lib/triggers/triggers");
  const workflowId = await publishedAssistant();

  // A window of two turns: the third message's run gets the first two, word for word.
  const windowed = await createTrigger(world.admin, workflowId, {
    kind: "chat",
    name: "Window",
    config: {
      access: "members",
      memory: "window",
      windowTurns: 2,
      summaryModel: "summarizer",
      messageField: "",
      greeting: "Hi",
      perMinute: 100,
      embed: false,
    },
  });
  // The fake model echoes the last user message ("Echo: …").
  const first = await say(windowed.id, null, "I am Ada and I like kelp");
  expect(first.turn).toMatchObject({ status: "answered", answer: "Echo: I am Ada and I like kelp" });
  const asked1 = lastAsked();
  expect(asked1.map((m) => m.role)).toEqual(["system", "user"]);
  await say(windowed.id, first.threadId, "What about otters?");
  await say(windowed.id, first.threadId, "And sharks?");
  expect(lastAsked().filter((m) => m.role !== "system")).toEqual([
    { role: "user", content: "I am Ada and I like kelp" },
    { role: "assistant", content: "Echo: I am Ada and I like kelp" },
    { role: "user", content: "What about otters?" },
    { role: "assistant", content: "Echo: What about otters?" },
    { role: "user", content: "And sharks?" },
  ]);
  await say(windowed.id, first.threadId, "And whales?");
  // The oldest turn left the window; no summary was written.
  expect(lastAsked().filter((m) => m.role !== "system")[0]).toEqual({ role: "user", content: "What about otters?" });
  expect(world.llm.calls("summary-model")).toBe(0);

  // A rolling summary with one turn word for word: older turns are folded in by the summary model.
  const summarized = await createTrigger(world.admin, workflowId, {
    kind: "chat",
    name: "Summary",
    config: {
      access: "members",
      memory: "summary",
      windowTurns: 1,
      summaryModel: "summarizer",
      messageField: "question",
      greeting: "Hi",
      perMinute: 100,
      embed: false,
    },
  });
  const a = await say(summarized.id, null, "I am Ada and I like kelp");
  await say(summarized.id, a.threadId, "Do otters eat kelp?");
  expect(world.llm.calls("summary-model")).toBe(0);
  await say(summarized.id, a.threadId, "What do I like?");
  expect(world.llm.calls("summary-model")).toBe(1);
  const summaryPrompt = JSON.stringify(world.llm.requests.find((r) => r.model === "summary-model")!.messages);
  expect(summaryPrompt).toContain("Person: I am Ada and I like kelp");
  const asked = lastAsked();
  expect(asked[0]!.content).toContain(
    "Earlier in this conversation (a summary):\nAda asked about kelp; she likes otters.",
  );
  expect(asked.slice(1)).toEqual([
    { role: "user", content: "Do otters eat kelp?" },
    { role: "assistant", content: "Echo: Do otters eat kelp?" },
    { role: "user", content: "What do I like?" },
  ]);
  const prisma = await world.mod.db.db();
  const thread = await prisma.chatThread.findUniqueOrThrow({ where: { id: a.threadId } });
  expect(thread).toMatchObject({ summary: "Ada asked about kelp; she likes otters.", summarizedTurns: 1 });
  // The next message folds in only the turn that left the window since.
  await say(summarized.id, a.threadId, "Thanks");
  expect(world.llm.calls("summary-model")).toBe(2);
  const second = JSON.stringify(world.llm.requests.filter((r) => r.model === "summary-model")[1]!.messages);
  expect(second).toContain("The summary so far:\\nAda asked about kelp; she likes otters.");
  expect(second).toContain("Person: Do otters eat kelp?");
  expect(second).not.toContain("Person: I am Ada");
  // Each turn's run kept the conversation it was given, and says it came from the chat.
  const runs = await prisma.run.findMany({ where: { triggerId: summarized.id }, orderBy: { createdAt: "asc" } });
  expect(runs.map((r) => r.trigger)).toEqual(["chat", "chat", "chat", "chat"]);
  expect(runs[0]!.conversation).toEqual({ summary: "", messages: [] });
});

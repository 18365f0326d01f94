import { audit } from "./support/axe";
import { expect, test } from "./support/fixtures";
import { addMember, signedInApi, signInToHome } from "./support/people";
import { expectInInbox, waitForReview } from "./support/reviews";
import { assistant, chatTrigger } from "./support/chat";

/**
 * Chat: a published workflow answering a conversation. Each message is a run of the workflow
 * whose agent gets the conversation so far (here the demo model, which says what the person
 * said before), its tokens streaming; a review inside a turn shows "waiting for approval" and
 * goes on; conversations persist and are reopened; a public chat needs its link's token (the
 * widget that embeds one in another site: chat-widget.spec.ts).
 */
test("a members' chat of two turns: the second answer uses the first, and the conversation survives a reload", async ({
  page,
  admin,
  adminApi,
}, testInfo) => {
  const workflowId = await assistant(adminApi);
  const chat = await chatTrigger(adminApi, workflowId, { access: "members", greeting: "Hi! Ask me anything." });
  expect(chat.path).toBe(`/c/${chat.id}`);

  // Signed out, the chat asks to sign in, and brings the person back to it afterwards.
  await page.goto(chat.path);
  await expect(page.getByRole("heading", { name: "Sign in to use this chat" })).toBeVisible();
  await page.getByRole("link", { name: "Go to sign in" }).click();
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password").fill(admin.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/c/${chat.id}$`));
  await expect(page.getByRole("heading", { level: 1, name: "Help desk" })).toBeVisible();
  await expect(page.getByText("Hi! Ask me anything.")).toBeVisible();
  const log = page.getByRole("log", { name: "Messages" });
  const message = page.getByLabel("Message", { exact: true });

  await message.fill("My name is Ada");
  await message.press("Enter");
  await expect(log.getByText(/Response to: “My name is Ada”\./)).toBeVisible();
  await expect(log.getByText(/Before this you said/)).toHaveCount(0);

  await message.fill("What is my name?");
  await page.getByRole("button", { name: "Send" }).click();
  // The box keeps the focus after the button sent the message.
  await expect(message).toBeFocused();
  // The second run was given the first turn: its answer says what the person said before.
  const recalled = /Response to: “What is my name\?”\..* Before this you said “My name is Ada”\./;
  await expect(log.getByText(recalled)).toBeVisible();
  expect(await audit(page)).toEqual([]);
  await page.screenshot({ path: testInfo.outputPath("chat.png") });

  // A reload keeps the conversation (the address names it), and it is in the list.
  await page.reload();
  await expect(log.getByText(recalled)).toBeVisible();
  await expect(log.getByText("My name is Ada", { exact: true })).toBeVisible();
  const list = page.getByRole("navigation", { name: "Your conversations" });
  await expect(list.getByRole("button", { name: "My name is Ada" })).toHaveAttribute("aria-current", "true");

  // A new conversation remembers nothing of the other; the first is reopened from the list.
  await list.getByRole("button", { name: "New conversation" }).click();
  await expect(log.getByText("My name is Ada", { exact: true })).toHaveCount(0);
  await message.fill("Who am I?");
  await message.press("Enter");
  await expect(log.getByText(/Response to: “Who am I\?”\./)).toBeVisible();
  await expect(log.getByText(/Before this you said/)).toHaveCount(0);
  await expect(list.getByRole("button")).toHaveCount(3);
  await list.getByRole("button", { name: "My name is Ada" }).click();
  await expect(log.getByText("What is my name?", { exact: true })).toBeVisible();
  await expect(log.getByText("Who am I?", { exact: true })).toHaveCount(0);

  // Every turn is a run that says it came from the chat.
  const runs = (await (await adminApi.get(`/api/workflows/${workflowId}/runs?trigger=chat`)).json()).runs;
  expect(runs).toHaveLength(3);
});

test("a public chat: its link's token, each visitor's own conversations, streamed tokens, a rate, off at once", async ({
  browser,
  adminApi,
  baseURL,
}) => {
  const workflowId = await assistant(adminApi);
  const chat = await chatTrigger(adminApi, workflowId, { access: "public", perMinute: 4 });
  const token = new URL(chat.path, baseURL).searchParams.get("t")!;
  expect(token).toMatch(/^chat_/);

  const stranger = await browser.newContext();
  const page = await stranger.newPage();
  // Without the token, or with another, nothing is shown.
  await page.goto(`/c/${chat.id}`);
  await expect(page.getByRole("heading", { name: "This chat is not available" })).toBeVisible();
  await page.goto(`/c/${chat.id}?t=chat_wrong`);
  await expect(page.getByRole("heading", { name: "This chat is not available" })).toBeVisible();
  await page.goto(chat.path);
  await expect(page.getByRole("heading", { level: 1, name: /^Help desk/ })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Your conversations" })).toBeVisible();
  await expect(page.getByText("Acme")).toHaveCount(0);

  // Over HTTP: the answer's tokens stream, then the turn as it ended.
  const ada = { "x-flowdeck-chat-token": token, "x-flowdeck-visitor": "visitor-ada-0123456789abcdef" };
  const api = stranger.request;
  const first = await api.post(`/api/chats/${chat.id}/threads`, {
    headers: ada,
    data: { message: "Tell me a long story about kelp forests and the otters who live there" },
  });
  expect(first.status(), await first.text()).toBe(201);
  const { thread, turn } = await first.json();
  expect(turn.status).toBe("working");
  const stream = await fetch(new URL(`/api/chats/${chat.id}/threads/${thread.id}/turns/${turn.id}/events`, baseURL), {
    headers: ada,
  });
  expect(stream.headers.get("content-type")).toContain("text/event-stream");
  const events = (await stream.text())
    .split("\n\n")
    .filter((b) => b.startsWith("data: "))
    .map((b) => JSON.parse(b.slice(6)));
  const tokens = events.filter((e) => e.type === "token");
  const end = events.at(-1);
  expect(end.type).toBe("end");
  expect(end.turn.status).toBe("answered");
  expect(tokens.length).toBeGreaterThan(1);
  // Opened a moment after the run began: the first token is the text so far, the rest follow.
  expect(tokens[0].reset).toBe(true);
  expect(tokens.reduce((text: string, e) => (e.reset ? e.text : text + e.text), "")).toBe(end.turn.answer);
  // Nothing but the answer: no step output, no run or workspace ids.
  expect(JSON.stringify(events)).not.toContain(workflowId);

  // Another visitor sees none of Ada's conversations, and cannot read hers.
  const grace = { ...ada, "x-flowdeck-visitor": "visitor-grace-0123456789abcdef" };
  expect((await (await api.get(`/api/chats/${chat.id}/threads`, { headers: grace })).json()).threads).toEqual([]);
  expect((await api.get(`/api/chats/${chat.id}/threads/${thread.id}`, { headers: grace })).status()).toBe(404);
  expect((await (await api.get(`/api/chats/${chat.id}/threads`, { headers: ada })).json()).threads).toHaveLength(1);
  // Without the token: 404; without a visitor key: 400 naming it.
  expect(
    (
      await api.get(`/api/chats/${chat.id}/threads`, { headers: { "x-flowdeck-visitor": ada["x-flowdeck-visitor"] } })
    ).status(),
  ).toBe(404);
  const keyless = await api.get(`/api/chats/${chat.id}/threads`, { headers: { "x-flowdeck-chat-token": token } });
  expect(keyless.status()).toBe(400);
  expect((await keyless.json()).error.fields[0].path).toBe("headers.x-flowdeck-visitor");

  // One message at a time in a conversation; past the chat's rate (4 a minute), 429 with Retry-After.
  let refused = null;
  for (let i = 0; i < 5 && !refused; i++) {
    const res = await api.post(`/api/chats/${chat.id}/threads`, { headers: ada, data: { message: `again ${i}` } });
    if (res.status() === 429) refused = res;
    else expect(res.status(), await res.text()).toBe(201);
  }
  expect(refused, "the fifth message in a minute is refused").not.toBeNull();
  expect(Number(refused!.headers()["retry-after"])).toBeGreaterThan(0);

  // Turned off: the page and the API say so at once.
  expect((await adminApi.patch(`/api/triggers/${chat.id}`, { data: { enabled: false } })).status()).toBe(200);
  await page.goto(chat.path);
  await expect(page.getByRole("heading", { name: "This chat is not available" })).toBeVisible();
  expect((await api.get(`/api/chats/${chat.id}/threads`, { headers: ada })).status()).toBe(404);
  await stranger.close();
});

test("a review inside a chat's run: the person sees it waiting for approval, and the answer comes once approved", async ({
  page,
  browser,
  admin,
  adminApi,
  baseURL,
}) => {
  const reviewer = await signedInApi(baseURL!, await addMember(adminApi, "REVIEWER"));
  const workflowId = await assistant(adminApi, true);
  const chat = await chatTrigger(adminApi, workflowId, { access: "members" });
  await signInToHome(page, admin);
  await page.goto(chat.path);
  const message = page.getByLabel("Message", { exact: true });
  await message.fill("Please refund order 42");
  await message.press("Enter");
  const log = page.getByRole("log", { name: "Messages" });
  await expect(log.getByRole("status").filter({ hasText: "Waiting for approval" })).toBeVisible();
  // One message at a time: while it waits, the next is held back, and refused over the API.
  await message.fill("Any news?");
  await expect(page.getByRole("button", { name: "Send" })).toHaveAttribute("aria-disabled", "true");
  const threadId = new URL(page.url()).searchParams.get("thread");
  const early = await page.request.post(`/api/chats/${chat.id}/threads/${threadId}/messages`, {
    data: { message: "Any news?" },
  });
  expect(early.status()).toBe(409);
  expect((await early.json()).error.message).toMatch(/waits for someone's approval/);

  const runs = (await (await adminApi.get(`/api/workflows/${workflowId}/runs?trigger=chat`)).json()).runs;
  const reviewId = await waitForReview(adminApi, runs[0].id);
  // The reviewer's inbox tells this review from the next: what is to be checked, and that a chat started it.
  await expectInInbox(await browser.newContext({ baseURL, storageState: await reviewer.storageState() }), {
    content: "Please refund order 42",
    row: "from a chat",
    meta: /^A run from a chat \(run as .+\) asked/,
  });
  expect((await reviewer.post(`/api/reviews/${reviewId}/decision`, { data: { outcome: "approved" } })).status()).toBe(
    200,
  );
  await expect(log.getByText(/Response to: “Please refund order 42”\./)).toBeVisible();
  await expect(log.getByText(/Waiting for approval/)).toHaveCount(0);
  await message.press("Enter");
  await expect(log.getByText("Any news?", { exact: true })).toBeVisible();
  await expect(log.getByRole("status").filter({ hasText: "Waiting for approval" })).toBeVisible();
});

test("a visitor holds only a few answers open at once: past them, 429 until one is closed", async ({
  adminApi,
  baseURL,
}) => {
  // The answer waits for a person's approval, so its stream stays open.
  const workflowId = await assistant(adminApi, true);
  const chat = await chatTrigger(adminApi, workflowId, { access: "public" });
  const token = new URL(chat.path, baseURL).searchParams.get("t")!;
  const ada = { "x-flowdeck-chat-token": token, "x-flowdeck-visitor": "visitor-ada-streams-0123456789" };
  const sent = await fetch(new URL(`/api/chats/${chat.id}/threads`, baseURL), {
    method: "POST",
    headers: { ...ada, "content-type": "application/json" },
    body: JSON.stringify({ message: "Please refund order 7" }),
  });
  expect(sent.status).toBe(201);
  const { thread, turn } = await sent.json();
  const url = new URL(`/api/chats/${chat.id}/threads/${thread.id}/turns/${turn.id}/events`, baseURL);
  const held: AbortController[] = [];
  const open = async () => {
    const stop = new AbortController();
    const res = await fetch(url, { headers: ada, signal: stop.signal });
    if (res.ok) held.push(stop);
    return res;
  };
  try {
    for (let i = 0; i < 4; i++) expect((await open()).status).toBe(200);
    const refused = await open();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await refused.json()).error.message).toBe(
      "Too many answers of this chat are open at once from here: close another tab of it and try again.",
    );
    // Refused before anything is read: a turn that does not exist gets the same answer, not a 404.
    const noSuchTurn = crypto.randomUUID();
    const unknown = await fetch(new URL(url.pathname.replace(turn.id, noSuchTurn), baseURL), { headers: ada });
    expect(unknown.status).toBe(429);
    // Another visitor, on the same address, is not held back by Ada's tabs: her own answer streams.
    const grace = { ...ada, "x-flowdeck-visitor": "visitor-grace-streams-0123456789" };
    const hers = await fetch(new URL(`/api/chats/${chat.id}/threads`, baseURL), {
      method: "POST",
      headers: { ...grace, "content-type": "application/json" },
      body: JSON.stringify({ message: "Please refund order 8" }),
    });
    expect(hers.status).toBe(201);
    const mine = await hers.json();
    const graceStops = new AbortController();
    held.push(graceStops);
    const graceStream = await fetch(
      new URL(`/api/chats/${chat.id}/threads/${mine.thread.id}/turns/${mine.turn.id}/events`, baseURL),
      { headers: grace, signal: graceStops.signal },
    );
    expect(graceStream.status).toBe(200);
    // One closed, another may open.
    held.shift()!.abort(); // one of Ada's
    await expect.poll(async () => (await open()).status).toBe(200);
  } finally {
    for (const stop of held) stop.abort();
  }
});

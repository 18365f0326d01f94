import path from "node:path";
import { EditorPage } from "./support/editor-page";
import { expect, test } from "./support/fixtures";
import { InboxPage } from "./support/inbox-page";
import { addMember, signedInApi, signInToHome } from "./support/people";

/**
 * MCP tools as people use them, against the real server-everything (stdio) from npm: an admin
 * adds the server and allows a tool for builders; a builder gives it to an agent and runs; a
 * tool that needs approval waits for a reviewer; the audit trail shows every call.
 */
const everything = path.resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js");

test("an admin adds an MCP server and allows a tool; a builder's agent calls it; a risky call waits for approval; the audit trail shows it all", async ({
  page,
  admin,
  adminApi,
  studio,
  browser,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1440, height: 1000 });
  await signInToHome(page, admin);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Tools" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Tools" })).toBeVisible();

  await page.getByRole("button", { name: "Add server" }).click();
  const dialog = page.getByTestId("server-dialog");
  await dialog.getByLabel("Name").fill("Everything!");
  await dialog.getByRole("button", { name: "Add server" }).click();
  await expect(dialog).toContainText("Use lower-case letters, digits and single dashes");
  await dialog.getByLabel("Name").fill("everything");
  await dialog.getByLabel("Command").fill("node");
  await dialog.getByLabel("Arguments").fill(`${everything}\nstdio`);
  await dialog.getByLabel("Environment secrets").fill("DEMO_TOKEN=very-secret-value");
  await dialog.getByRole("button", { name: "Add server" }).click();
  const card = page.getByTestId("server-card").filter({ hasText: "everything" });
  await expect(card).toContainText("secrets: DEMO_TOKEN");
  await card.getByRole("button", { name: "Test and discover" }).click();
  await expect(card.getByTestId("server-test-result")).toContainText(
    /Connected: \d+ tools; \d+ new \(allowed to nobody until you choose roles\)/,
  );
  const echo = page.locator('[data-tool="everything__echo"]');
  await expect(echo).toContainText("allowed to nobody yet");
  await echo.getByLabel("everything__echo builder").check();
  await expect(echo).toContainText("ready");
  const sum = page.locator('[data-tool="everything__get-sum"]');
  await sum.getByLabel("everything__get-sum builder").check();
  await sum.getByLabel("everything__get-sum requires approval").check();
  // It starts at the risk its server's hints give (it only reads), and the admin raises it.
  await expect(sum.getByLabel("everything__get-sum risk")).toHaveValue("LOW");
  await sum.getByLabel("everything__get-sum risk").selectOption("HIGH");
  await expect(sum.getByLabel("everything__get-sum requires approval")).toBeChecked();
  // What was saved is what shows after a reload.
  await expect
    .poll(async () =>
      (await (await adminApi.get("/api/admin/mcp/tools")).json()).tools.find(
        (t: { name: string }) => t.name === "everything__get-sum",
      ),
    )
    .toMatchObject({ allowedRoles: ["BUILDER"], risk: "HIGH", requiresApproval: true });
  await page.reload();
  await expect(sum.getByLabel("everything__get-sum requires approval")).toBeChecked();
  await expect(sum.getByLabel("everything__get-sum risk")).toHaveValue("HIGH");
  await page.screenshot({ path: "test-results/screens/tools.png", fullPage: true });
  expect(await (await adminApi.get("/api/admin/mcp/servers")).text()).not.toContain("very-secret-value");

  // A builder: the pickers offer only the allowed tools.
  const builder = await addMember(adminApi, "BUILDER");
  const reviewer = await addMember(adminApi, "REVIEWER");
  const builderApi = await signedInApi(studio.url, builder);
  const offered = (await (await builderApi.get("/api/tools")).json()).tools.map((t: { name: string }) => t.name);
  expect(offered.sort()).toEqual(["everything__echo", "everything__get-sum"]);
  const wf = await (
    await builderApi.post("/api/workflows", {
      data: {
        name: "Tool check",
        graph: {
          nodes: [
            { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: { fields: [] } },
            {
              id: "helper",
              kind: "agent",
              label: "Helper",
              position: { x: 260, y: 0 },
              config: { model: "demo", instructions: "Use everything__echo to greet the team", tools: [] },
            },
            {
              id: "add",
              kind: "tool",
              label: "Add",
              position: { x: 520, y: 0 },
              config: {
                tool: "",
                arguments: [
                  { name: "a", value: "2" },
                  { name: "b", value: "3" },
                ],
              },
            },
            {
              id: "out",
              kind: "output",
              label: "Out",
              position: { x: 780, y: 0 },
              config: { value: "{{nodes.helper.output.text}} / {{nodes.add.output.text}}" },
            },
          ],
          edges: [
            { id: "e1", source: "start", target: "helper" },
            { id: "e2", source: "helper", target: "add" },
            { id: "e3", source: "add", target: "out" },
          ],
        },
      },
    })
  ).json();
  const builderContext = await browser.newContext({ baseURL: studio.url });
  const builderPage = await builderContext.newPage();
  await builderPage.setViewportSize({ width: 1440, height: 900 });
  await signInToHome(builderPage, builder);
  const editor = new EditorPage(builderPage);
  await editor.open(wf.id);
  await editor.select("helper");
  await editor.inspector().getByRole("checkbox", { name: "everything__echo" }).check();
  await editor.select("add");
  const picker = editor.inspector().getByLabel("Tool", { exact: true });
  await expect(
    picker.locator("option", { hasText: "everything__get-sum (each call approved by a person)" }),
  ).toHaveCount(1);
  await picker.selectOption("everything__get-sum");
  await editor.saved();
  await editor.run.start();
  await editor.run.expectStatus("waiting", { timeout: 30_000 });
  await expect(editor.run.step("helper")).toContainText("The tool everything__echo returned");
  await builderContext.close();

  // The reviewer approves the call with edited arguments.
  const reviewerContext = await browser.newContext({ baseURL: studio.url });
  const reviewerPage = await reviewerContext.newPage();
  await signInToHome(reviewerPage, reviewer);
  const inbox = new InboxPage(reviewerPage);
  await inbox.openFromNavigation();
  const review = await inbox.openReview("Tool check");
  await expect(review.review()).toContainText("everything__get-sum");
  await expect(review.contentView()).toContainText('"2"'); // the arguments, as a tree
  await review.editJson();
  await expect(review.jsonField("a")).toHaveValue("2"); // a form from the arguments
  await review.showJsonText();
  await expect(review.contentEditor()).toHaveValue(/"a": "2"/);
  await review.rewriteContent('{"a": 20, "b": 22}');
  await review.approveWithEdits();
  await review.expectBackInInbox();
  await reviewerContext.close();
  await expect
    .poll(async () => (await (await adminApi.get(`/api/workflows/${wf.id}/runs`)).json()).runs[0].status, {
      timeout: 30_000,
    })
    .toBe("COMPLETED");
  const runId = (await (await adminApi.get(`/api/workflows/${wf.id}/runs`)).json()).runs[0].id;
  const run = await (await adminApi.get(`/api/runs/${runId}`)).json();
  expect(JSON.stringify(run.output)).toContain("42");

  // The audit trail: the agent's echo, the approved sum.
  await page.goto("/admin/tools/audit");
  const rows = page.getByTestId("audit-row");
  await expect(rows.filter({ hasText: "everything__echo" }).first()).toContainText("ok");
  await expect(rows.filter({ hasText: "everything__get-sum" }).first()).toContainText(`approved by ${reviewer.name}`);
  await page.getByLabel("Tool or server").fill("get-sum");
  await expect(rows).toHaveCount(1);
  await page.screenshot({ path: "test-results/screens/tool-audit.png", fullPage: true });
  const csv = await (await adminApi.get("/api/admin/mcp/audit?days=1&format=csv")).text();
  expect(csv.split("\n")[0]).toBe(
    "time,user,source,run,server,tool,arguments,outcome,error,result_bytes,latency_ms,approver",
  );
  expect(csv).toContain(builder.email);
  expect(studio.output()).not.toContain("very-secret-value");
});

test("a published workflow offered as an MCP tool is listed and run by the official MCP SDK client at /api/mcp", async ({
  page,
  admin,
  adminApi,
  studio,
}) => {
  const { Client } = await import("@modelcontextprotocol/sdk/client/index.js");
  const { StreamableHTTPClientTransport } = await import("@modelcontextprotocol/sdk/client/streamableHttp.js");
  const created = await (
    await adminApi.post("/api/workflows", {
      data: {
        name: "Brief writer",
        description: "Writes a short brief about a topic.",
        graph: {
          nodes: [
            {
              id: "start",
              kind: "start",
              label: "Start",
              position: { x: 0, y: 0 },
              config: {
                fields: [{ name: "topic", type: "string", required: true, description: "What the brief is about" }],
              },
            },
            {
              id: "write",
              kind: "agent",
              label: "Write",
              position: { x: 260, y: 0 },
              config: { model: "demo", instructions: "Write a brief about {{nodes.start.output.topic}}" },
            },
            {
              id: "out",
              kind: "output",
              label: "Out",
              position: { x: 520, y: 0 },
              config: { value: "{{nodes.write.output.text}}" },
            },
          ],
          edges: [
            { id: "e1", source: "start", target: "write" },
            { id: "e2", source: "write", target: "out" },
          ],
        },
      },
    })
  ).json();
  expect(
    (
      await adminApi.post(`/api/workflows/${created.id}/versions`, {
        data: { note: "first", revision: created.revision },
      })
    ).status(),
  ).toBe(201);

  // The admin offers it as a tool from the editor's Versions tab.
  await signInToHome(page, admin);
  const editor = new EditorPage(page);
  await editor.open(created.id);
  await editor.versions.show();
  const offer = page.getByLabel(/Offer as an MCP tool/);
  await expect(offer).toBeEnabled(); // once the current setting has loaded
  await offer.check();
  await expect
    .poll(async () => (await (await adminApi.get(`/api/workflows/${created.id}`)).json()).exposeAsTool)
    .toBe(true);

  const { key } = await (await adminApi.post("/api/api-keys", { data: { name: "mcp client" } })).json();
  const client = new Client({ name: "test-client", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${studio.url}/api/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
    }),
  );
  const { tools } = await client.listTools();
  const brief = tools.find((t) => t.name === "brief_writer")!;
  expect(brief.description).toBe("Writes a short brief about a topic.");
  expect(brief.inputSchema).toMatchObject({
    type: "object",
    properties: { topic: { type: "string", description: "What the brief is about" } },
    required: ["topic"],
  });
  const result = await client.callTool({ name: "brief_writer", arguments: { topic: "coral reefs" } });
  expect(result.isError).toBeFalsy();
  expect((result.content as { text: string }[])[0]!.text).toContain(
    "[Simulated demo model] Response to: “Write a brief about coral reefs”",
  );
  const bad = await client.callTool({ name: "brief_writer", arguments: { topic: 12 } });
  expect(bad.isError).toBe(true);
  expect((bad.content as { text: string }[])[0]!.text).toContain("topic");
  // What the database cannot store is named, not a database error (the SDK reads its own body).
  const nul = await client.callTool({ name: "brief_writer", arguments: { topic: "coral \u0000 reefs" } });
  expect(nul.isError).toBe(true);
  expect((nul.content as { text: string }[])[0]!.text).toMatch(/^arguments.topic: contains a NUL character/);
  await client.close();

  const anonymous = await fetch(`${studio.url}/api/mcp`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
  });
  expect(anonymous.status).toBe(401);
  const audit = await (await adminApi.get("/api/admin/mcp/audit?tool=brief_writer")).json();
  expect(
    audit.calls.map((c: { serverName: string; outcome: string }) => `${c.serverName}:${c.outcome}`).sort(),
  ).toEqual(["flowdeck:denied", "flowdeck:error", "flowdeck:ok"]);
});

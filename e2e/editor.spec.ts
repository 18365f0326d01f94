import { expect, test } from "./support/fixtures";
import { command, EditorPage } from "./support/editor-page";
import { signInToHome } from "./support/people";

test.beforeEach(async ({ page, admin }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInToHome(page, admin);
});

test("a builder drags steps onto the canvas, connects them, fills the forms, sees the problems clear, and finds it all after a reload @smoke", async ({
  page,
}) => {
  const editor = new EditorPage(page);
  await editor.createWorkflow(`Summarise ${Date.now()}`);

  await editor.dragStep("agent", 500, 200);
  await expect(editor.node("agent_1")).toBeVisible();
  await editor.dragStep("output", 850, 200); // dropped, a step comes unconnected

  await expect(editor.node("output_1")).toBeVisible();
  await editor.openProblems();
  await expect(editor.problemList()).toContainText("Agent: Write the agent's instructions");
  await expect(editor.problemList()).toContainText("Agent has no incoming connection.");

  await editor.connect("start", "agent_1");
  await editor.connect("agent_1", "output_1");
  await expect(editor.edges()).toHaveCount(2);

  // Clicking a problem selects its step; the form is generated from the step's schema.
  await editor.goToProblem("Agent: Write the agent's instructions");
  await expect(editor.inspector()).toContainText("agent_1");
  await editor.fill("Instructions", "Summarise {{");
  await expect(editor.referenceSuggestions()).toContainText("nodes.start.output.input");
  await editor.acceptReference();
  await expect(editor.field("Instructions")).toHaveValue("Summarise {{nodes.start.output.input}}");

  await editor.select("output_1");
  await editor.fill("Result", "{{nodes.agent_1.output.text}}");
  await editor.openProblems();
  await expect(editor.noProblems()).toBeVisible();
  await editor.saved();
  await page.screenshot({ path: "test-results/screens/editor-built.png" });

  await page.reload();
  await expect(editor.node("agent_1")).toBeVisible();
  await expect(editor.node("output_1")).toBeVisible();
  await expect(editor.edges()).toHaveCount(2);
  await editor.select("agent_1");
  await expect(editor.field("Instructions")).toHaveValue("Summarise {{nodes.start.output.input}}");
});

test("references to steps that do not run earlier are flagged, on the step and in the list", async ({ page }) => {
  const editor = new EditorPage(page);
  await editor.createWorkflow(`Refs ${Date.now()}`);
  await editor.addStep("output");
  await editor.connect("start", "output_1");
  await editor.select("output_1");
  await editor.fill("Result", "{{nodes.ghost.output.text}}");
  await expect(editor.inspector()).toContainText("refers to a node that does not exist");
  await expect(editor.node("output_1")).toHaveAttribute("data-problems", "1");
});

test("undo and redo every change; copy, paste and duplicate steps, also into another workflow", async ({ page }) => {
  const editor = new EditorPage(page);
  await editor.createWorkflow(`Undo ${Date.now()}`);
  await editor.addStep("agent");
  await expect(editor.node("agent_1")).toBeVisible();
  await editor.clickEmptyCanvas();

  await editor.undo();
  await expect(editor.node("agent_1")).toHaveCount(0);
  await editor.redo();
  await expect(editor.node("agent_1")).toBeVisible();

  await editor.select("agent_1");
  await editor.fill("Instructions", "Copy me");
  await editor.clickEmptyCanvas();
  await editor.select("agent_1");
  await editor.copy();
  await editor.paste();
  await expect(editor.node("agent_2")).toBeVisible();
  await editor.duplicate();
  await expect(editor.node("agent_3")).toBeVisible();

  // Deleting with Backspace, then undoing it.
  await editor.select("agent_3");
  await editor.deleteWithBackspace("agent_3");
  await expect(editor.node("agent_3")).toHaveCount(0);
  await editor.undo();
  await expect(editor.node("agent_3")).toBeVisible();
  await editor.saved();

  // The clipboard reaches another workflow.
  await editor.createWorkflow(`Paste target ${Date.now()}`);
  await editor.clickEmptyCanvas();
  await editor.paste();
  await expect(editor.node("agent_1")).toBeVisible();
  await editor.select("agent_1");
  await expect(editor.field("Instructions")).toHaveValue("Copy me");
});

test("the command menu adds steps from the keyboard; a condition has one labelled handle per branch plus else", async ({
  page,
}) => {
  const editor = new EditorPage(page);
  await editor.createWorkflow(`Menu ${Date.now()}`);
  await editor.clickEmptyCanvas();
  await editor.command("condition");
  await expect(editor.node("condition_1")).toBeVisible();
  await expect(editor.sourceHandle("condition_1", "yes")).toBeVisible();
  await expect(editor.sourceHandle("condition_1", "else")).toBeVisible();

  await editor.addListEntry("branch");
  const billing = editor.listEntry("branches", 1);
  await billing.getByLabel("Branch name").fill("billing");
  await billing.getByLabel("When (JSONata)").fill("nodes.start.output.input = ");
  await expect(editor.sourceHandle("condition_1", "billing")).toBeVisible();
  await editor.setting("When it still fails").selectOption("branch");
  await expect(editor.sourceHandle("condition_1", "error")).toBeVisible();
  await editor.setting("Step retries").fill("9");
  await expect(editor.setting("Step retries")).toHaveValue("5");
  await expect(editor.inspector()).toContainText("Unexpected end of expression");
  await editor.openProblems();
  await expect(editor.problemList()).toContainText("Condition, branch “billing”: Unexpected end of expression");
  await editor.command("auto", "Control+k");
  await editor.saved();
  await page.screenshot({ path: "test-results/screens/editor-condition.png" });
});

test("a Condition's branch renamed keeps its connection, drawn and saved; a branch named before connecting is drawn at once; a branch removed takes its connection", async ({
  page,
}) => {
  const editor = new EditorPage(page);
  await editor.createWorkflow(`Branches ${Date.now()}`);
  const palette = editor.paletteList();
  const connection = editor.connection;
  await editor.select("start");
  await palette.getByRole("button", { name: /^Condition/ }).click();
  await palette.getByRole("button", { name: /^Output/ }).click();
  await expect(connection("Condition (yes) to Output")).toBeVisible();

  // Typed over letter by letter, through an empty name: the connection follows the branch.
  await editor.select("condition_1");
  const first = editor.listEntry("branches", 0).getByLabel("Branch name");
  await first.fill("");
  await first.pressSequentially("refund");
  await expect(connection("Condition (refund) to Output")).toBeVisible();
  await expect(connection("Condition (yes) to Output")).toHaveCount(0);
  await editor.openProblems();
  await expect(page.getByText(/reconnect this edge/)).toHaveCount(0);
  await editor.saved();
  await page.reload();
  await expect(connection("Condition (refund) to Output")).toBeVisible();

  // A second branch, named before it is connected: the connection made from it is drawn at once.
  await editor.select("condition_1");
  await editor.addListEntry("branch");
  await editor.listEntry("branches", 1).getByLabel("Branch name").fill("vip");
  await editor.listEntry("branches", 1).getByLabel("When (JSONata)").fill("true");
  await palette.getByRole("button", { name: /^Output/ }).click();
  await expect(connection("Condition (vip) to Output")).toBeVisible();
  await editor.saved();
  await page.screenshot({ path: "test-results/screens/editor-branches-renamed.png" });

  // Removed: the branch's connection goes with it, and nothing is left to reconnect.
  await editor.select("condition_1");
  await editor.inspector().getByRole("button", { name: "Remove branches 2" }).click();
  await expect(connection("Condition (vip) to Output")).toHaveCount(0);
  await expect(connection("Condition (refund) to Output")).toBeVisible();
  await editor.saved();
  await page.reload();
  await expect(editor.edges()).toHaveCount(2);
  await editor.openProblems();
  await expect(page.getByText(/reconnect this edge/)).toHaveCount(0);
});

test("a step's menu connects it to another step, and says when there is none left to connect to", async ({ page }) => {
  const editor = new EditorPage(page);
  await editor.createWorkflow(`Step menu ${Date.now()}`);
  await command(page, "Add Output");
  const connection = page.getByRole("button", { name: "Connection from Start to Output: insert a step or delete" });
  await expect(connection).toHaveCount(0);

  await page.getByRole("button", { name: "Step menu: Start" }).click();
  await page.getByRole("menuitem", { name: "Connect to…" }).click();
  await page.getByRole("menuitem", { name: "Output" }).click();
  await expect(connection).toBeVisible();

  // Connected already: the list says there is nothing left, rather than offering the same again.
  await page.getByRole("button", { name: "Step menu: Start" }).click();
  await page.getByRole("menuitem", { name: "Connect to…" }).click();
  await expect(page.getByRole("menuitem", { name: "No step to connect to" })).toBeDisabled();
  await page.keyboard.press("Escape");
  await editor.saved();
});

test("the command menu gives the keyboard back where it was, unless the person already went on to another field", async ({
  page,
}) => {
  const editor = new EditorPage(page);
  await editor.createWorkflow(`Focus ${Date.now()}`);
  await command(page, "Add Output");
  const name = page.getByLabel("Name", { exact: true });
  const result = page.getByLabel("Result");
  await expect(name).toBeFocused();

  // Closed with Esc: back to the field it was opened from.
  await page.keyboard.press("Control+k");
  await expect(page.getByRole("dialog", { name: "Command menu" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(name).toBeFocused();

  // A command run, and another field taken before the browser gets round to giving focus back
  // (a busy browser handles input first): the field keeps the keyboard, and what is typed.
  await page.keyboard.press("Control+k");
  const menu = page.getByRole("dialog", { name: "Command menu" });
  await menu.getByLabel("Command").fill("Connect “Start” to “Output”");
  await page.evaluate(
    async (field) => {
      document.activeElement!.dispatchEvent(
        new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }),
      );
      await Promise.resolve();
      (field as HTMLElement).focus();
    },
    await result.elementHandle(),
  );
  await expect(menu).toBeHidden();
  await page.waitForTimeout(200); // past the moment focus would have gone back to the name
  await expect(result).toBeFocused();
  await page.keyboard.type("Done");
  await expect(result).toHaveValue("Done");
  await expect(name).toHaveValue("Output");
  await expect(page.getByRole("button", { name: /^Connection from Start to Output:/ })).toBeVisible();
});

test("putting a Human Review between an agent and the Output rewires the Output to read the review, with Undo; another step in between is flagged", async ({
  page,
  adminApi,
}) => {
  const node = (id: string, kind: string, label: string, x: number, config: Record<string, unknown>) => ({
    id,
    kind,
    label,
    position: { x, y: 0 },
    config,
  });
  const graph = {
    nodes: [
      node("start", "start", "Start", 0, { fields: [{ name: "request", type: "string", required: true }] }),
      node("draft", "agent", "Draft reply", 300, {
        model: "demo",
        instructions: "Draft a reply to {{nodes.start.output.request}}",
      }),
      node("out", "output", "Reply", 900, { value: "{{nodes.draft.output.text}}" }),
    ],
    edges: [{ id: "e1", source: "start", target: "draft" }],
  };
  const created = await adminApi.post("/api/workflows", { data: { name: `Insert ${Date.now()}`, graph } });
  expect(created.status(), await created.text()).toBe(201);
  const editor = new EditorPage(page);
  await editor.open((await created.json()).id);

  await editor.dragStep("human-review", 620, 330);
  await expect(editor.node("human_review_1")).toBeVisible();
  await editor.connect("draft", "human_review_1");
  await editor.connect("human_review_1", "out", "approved");
  const notice = page.getByRole("status", { name: "Connection changes" });
  await expect(notice).toContainText(
    "“Reply” now reads “Human Review” instead of “Draft reply”, so what the reviewer approves or edits is what it gets.",
  );
  await page.screenshot({ path: "test-results/screens/insert-review-rewired.png" });
  await editor.select("out");
  await expect(editor.field("Result")).toHaveValue("{{nodes.human_review_1.output.text}}");
  await editor.select("human_review_1");
  await expect(editor.field("Content under review")).toHaveValue("{{nodes.draft.output.text}}");

  // Undo takes back the connection and the rewiring together.
  await notice.getByRole("button", { name: "Undo" }).click();
  await expect(notice).toHaveCount(0);
  await editor.select("out");
  await expect(editor.field("Result")).toHaveValue("{{nodes.draft.output.text}}");

  // Redo it, and it is what is saved.
  await editor.clickEmptyCanvas();
  await editor.redo();
  await editor.select("out");
  await expect(editor.field("Result")).toHaveValue("{{nodes.human_review_1.output.text}}");
  await editor.saved();
  await page.reload();
  await editor.select("out");
  await expect(editor.field("Result")).toHaveValue("{{nodes.human_review_1.output.text}}");

  // A step that does not pass the value on is not rewired: the editor says so right there.
  await editor.dragStep("agent", 620, 120);
  await expect(editor.node("agent_1")).toBeVisible();
  await editor.connect("draft", "agent_1");
  await editor.select("agent_1");
  await editor.fill("Instructions", "Shorten {{nodes.draft.output.text}}");
  await editor.connect("agent_1", "human_review_1");
  await expect(notice).toContainText(
    "“Human Review” still reads “Draft reply” directly, past “Agent” you put before it: change its reference if it should read “Agent”.",
  );
  await page.screenshot({ path: "test-results/screens/insert-agent-warning.png" });
});

test("clicking steps in the palette adds each after the selected one, connected, left to right; the command menu does it too", async ({
  page,
}) => {
  const editor = new EditorPage(page);
  await editor.createWorkflow(`Chain ${Date.now()}`);
  const palette = editor.paletteList();
  const connection = (from: string, to: string) => editor.connection(`${from} to ${to}`);
  await expect(palette.getByText("Click adds it to the middle; select a step to add after it.")).toBeVisible();
  await editor.select("start");
  await expect(palette.getByText("Click adds it after “Start”, connected.")).toBeVisible();
  const x = async (id: string) => (await editor.node(id).boundingBox())!.x;
  await palette.getByRole("button", { name: /^Agent/ }).click();
  await expect(palette.getByText("Click adds it after “Agent”, connected.")).toBeVisible();
  await expect(connection("Start", "Agent")).toBeVisible();
  expect(await x("agent_1")).toBeGreaterThan(await x("start"));
  // Zoomed in, the next step's place is out of view: the view moves to it, at the same zoom.
  for (let i = 0; i < 4; i += 1) await page.getByRole("button", { name: /zoom in/i }).click();
  const before = (await editor.node("agent_1").boundingBox())!;
  // Every animation frame of the move, measured in the page: a straight slide at the same zoom,
  // not a dip out and back in.
  const frames = page.evaluate(
    () =>
      new Promise<{ x: number; width: number }[]>((resolve) => {
        const seen: { x: number; width: number }[] = [];
        const until = performance.now() + 700;
        const frame = () => {
          const box = document.querySelector('[data-testid="node-agent_1"]')?.getBoundingClientRect();
          if (box) seen.push({ x: box.x, width: box.width });
          if (performance.now() < until) requestAnimationFrame(frame);
          else resolve(seen);
        };
        requestAnimationFrame(frame);
      }),
  );
  await palette.getByRole("button", { name: /^Output/ }).click();
  const seen = await frames;
  const after = (await editor.node("agent_1").boundingBox())!;
  expect(after.x).toBeLessThan(before.x - 20);
  // Some frames fell inside the slide, and none of them changed the zoom.
  expect(seen.filter((f) => f.x < before.x - 1 && f.x > after.x + 1).length).toBeGreaterThan(0);
  for (const f of seen) expect(f.width).toBeCloseTo(before.width, 0);
  expect(after.width).toBeCloseTo(before.width, 0);
  await expect(connection("Agent", "Output")).toBeVisible();
  await expect(editor.node("output_1")).toBeInViewport();
  expect(await x("output_1")).toBeGreaterThan(await x("agent_1"));
  // An Output passes nothing on: the next click adds to the middle, unconnected.
  await expect(palette.getByText("passes nothing on: click adds it to the middle.")).toBeVisible();

  // From the keyboard: a Condition after the agent, between it and nothing else (a second branch).
  await editor.select("agent_1");
  await command(page, "Add Condition after “Agent”");
  await expect(connection("Agent", "Condition")).toBeVisible();
  await expect(page.getByLabel("Name", { exact: true })).toBeFocused();
  // Its expression offers the earlier steps' outputs as the path is typed (no braces in JSONata).
  const when = page.getByLabel("When (JSONata)");
  await when.fill("");
  await when.pressSequentially("tex");
  await page.screenshot({ path: "test-results/screens/expression-references.png" });
  await expect(
    editor.referenceSuggestions().getByRole("option", { name: /nodes\.agent_1\.output\.text/ }),
  ).toBeVisible();
  await page.keyboard.press("Enter");
  await when.pressSequentially(' = "text');
  await expect(editor.referenceSuggestions()).toHaveCount(0);
  await expect(when).toHaveValue('nodes.agent_1.output.text = "text');
  await page.screenshot({ path: "test-results/screens/editor-chain.png" });
  await editor.saved();
  await page.reload();
  await expect(connection("Agent", "Condition")).toBeVisible();
  await expect(editor.edges()).toHaveCount(3);

  // Another Output (after an Output: in the middle, unconnected). Two steps of one name read apart in Problems.
  await editor.select("output_1");
  await palette.getByRole("button", { name: /^Output/ }).click();
  await expect(editor.node("output_2")).toBeVisible();
  await expect(editor.edges()).toHaveCount(3);
  await editor.openProblems();
  await expect(
    editor
      .problemList()
      .getByRole("button", { name: /\(output_1\)$/ })
      .first(),
  ).toBeVisible();
  await expect(
    editor
      .problemList()
      .getByRole("button", { name: /\(output_2\)$/ })
      .first(),
  ).toBeVisible();
});

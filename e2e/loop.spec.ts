import { expect, test } from "./support/fixtures";
import { audit } from "./support/axe";
import { command, newWorkflowByKeyboard, pickReference } from "./support/editor-page";
import { signInToHome } from "./support/people";

test("a Loop runs a published workflow for each item of a list; each item's review waits in the inbox, and the loop finishes once they are decided", async ({
  page,
  admin,
  adminApi,
}) => {
  test.slow(); // two workflows, the inbox and a run that waits for people
  const suffix = Date.now().toString(36);
  const n = (id: string, kind: string, label: string, config: Record<string, unknown>, x: number) => ({
    id,
    kind,
    label,
    position: { x: x * 260, y: 0 },
    config,
  });
  // The body: Start(ticket) → Check (a review) → Output, published.
  const created = await adminApi.post("/api/workflows", {
    data: {
      name: `Check a ticket ${suffix}`,
      graph: {
        nodes: [
          n("start", "start", "Start", { fields: [{ name: "ticket", type: "json", required: true }] }, 0),
          n(
            "check",
            "human-review",
            "Check",
            {
              instructions: "Is this ticket urgent?",
              content: "Ticket: {{nodes.start.output.ticket.title}}",
              reviewerRole: "ADMIN",
              allowSelfApproval: true,
            },
            1,
          ),
          n("out", "output", "Output", { value: "checked {{nodes.start.output.ticket.title}}" }, 2),
        ],
        edges: [
          { id: "e1", source: "start", target: "check" },
          { id: "e2", source: "check", target: "out", sourceHandle: "approved" },
        ],
      },
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const body = (await created.json()) as { id: string; revision: number };
  const published = await adminApi.post(`/api/workflows/${body.id}/versions`, {
    data: { note: "", revision: body.revision },
  });
  expect(published.status(), await published.text()).toBeLessThan(300);

  await page.setViewportSize({ width: 1440, height: 900 });
  await signInToHome(page, admin);
  await newWorkflowByKeyboard(page, `Triage ${suffix}`);
  // The Start step takes a list.
  await page.getByRole("group", { name: "Start, Start step" }).click();
  await page.getByLabel("Type").selectOption("json");

  await command(page, "Add Loop");
  await page.getByLabel("Name", { exact: true }).fill("Each ticket");
  await command(page, "Connect “Start” to “Each ticket”");
  await pickReference(page, page.getByLabel("List to go through"), "{{input", /nodes\.start\.output\.input/);
  await page
    .getByLabel("Or, for each item, run a published workflow")
    .selectOption({ label: `Check a ticket ${suffix} (v1)` });
  await page.getByLabel("Start field that receives the item").fill("ticket");
  await page.getByLabel("Items at once").fill("2");
  await command(page, "Add Output");
  await command(page, "Connect “Each ticket” to “Output”");
  await pickReference(page, page.getByLabel("Result"), "{{results", /output\.results/);
  await expect(page.getByText("All changes saved")).toBeVisible();
  await page.screenshot({ path: "test-results/loop-editor.png" });

  await command(page, "Run the workflow");
  const dialog = page.getByRole("dialog", { name: "Run this workflow" });
  await dialog
    .getByLabel("input")
    .fill('[{ "title": "printer jam" }, { "title": "payroll access" }, { "title": "vpn down" }]');
  await dialog.getByRole("button", { name: "Start run" }).click();
  await expect(dialog).toBeHidden();
  const panel = page.getByRole("tabpanel");
  await expect(panel.getByText("waiting", { exact: true }).first()).toBeVisible({ timeout: 20_000 });
  const runPage = await panel.getByRole("link", { name: "Open run page" }).getAttribute("href");

  // One review per item, all in the inbox at once; decided there together.
  await page.goto("/inbox");
  await expect(page.getByTestId("inbox-item").filter({ hasText: `Check a ticket ${suffix}` })).toHaveCount(3);
  await page.getByLabel("Select all").check();
  await page.getByRole("button", { name: "Approve 3" }).click();
  await expect(page.getByTestId("bulk-result")).toBeVisible();

  // The loop goes on as they are decided, and collects the items' results in order.
  await page.goto(runPage!);
  await expect(page.getByText("completed", { exact: true }).first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("run-result")).toContainText('"checked printer jam"');
  await page.getByRole("button", { name: "Each ticket", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Items (3)" })).toBeVisible();
  await page.getByRole("link", { name: "Item 2" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`Check a ticket ${suffix}`);
  await expect(page.getByTestId("run-result")).toContainText("checked payroll access");
  // An item's run says which item it is, and leads back to the run it is part of.
  await expect(page.getByTestId("run-parent")).toHaveText(
    `item 2 of the Loop “Each ticket” in a run of Triage ${suffix}`,
  );
  await expect(page.getByRole("link", { name: `← the run of Triage ${suffix}` })).toBeVisible();
  await page.getByRole("link", { name: `a run of Triage ${suffix}` }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`Triage ${suffix}`);
  await page.screenshot({ path: "test-results/loop-run.png", fullPage: true });
  expect(await audit(page)).toEqual([]);
});

test("a Loop's steps drawn inside it run once per item: a review each, decided in the inbox, results in the list's order", async ({
  page,
  admin,
}) => {
  test.slow(); // the editor, the inbox and a run that waits for people
  const suffix = Date.now().toString(36);
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInToHome(page, admin);
  await newWorkflowByKeyboard(page, `Inline triage ${suffix}`);
  await page.getByRole("group", { name: "Start, Start step" }).click();
  await page.getByLabel("Type").selectOption("json");

  await command(page, "Add Loop");
  await page.getByLabel("Name", { exact: true }).fill("Each ticket");
  await command(page, "Connect “Start” to “Each ticket”");
  await pickReference(page, page.getByLabel("List to go through"), "{{input", /nodes\.start\.output\.input/);
  await expect(page.getByTestId("loop-body")).toContainText("Drag steps in here");
  // Steps drawn inside take the item as it is: no Start field to name (that is for a published workflow).
  await expect(page.getByLabel("Start field that receives the item")).toHaveCount(0);

  // The body, from the keyboard: a review of the item, then the item's result.
  await command(page, "Add Human Review inside “Each ticket”");
  await expect(page.getByLabel("Name", { exact: true })).toBeFocused();
  await page.getByLabel("Name", { exact: true }).fill("Check");
  await page.getByLabel("Instructions for the reviewer").fill("Is this ticket urgent?");
  await pickReference(page, page.getByLabel("Content under review"), "Ticket: {{item", /loop_1\.output\.item/);
  await page.getByLabel("Who reviews (role)").selectOption("ADMIN");
  await page.getByLabel("The person who started the run may approve it").check();
  // Added inside with the review selected: it follows the review, connected.
  await command(page, "Add Output inside “Each ticket”");
  await page.getByLabel("Name", { exact: true }).fill("Checked");
  await expect(page.getByRole("button", { name: /^Connection from Check \(approved\) to Checked/ })).toBeVisible();
  await pickReference(page, page.getByLabel("Result"), "checked {{content", /human_review_1\.output\.content/);
  await command(page, "Add Output");
  await command(page, "Connect “Each ticket” to “Output”");
  await pickReference(page, page.getByLabel("Result"), "{{results", /loop_1\.output\.results/);
  // The Loop connects to the steps beside it (the Output is, already), never to its own steps inside.
  await page.getByRole("button", { name: "Step menu: Each ticket" }).click();
  await page.getByRole("menuitem", { name: /^Connect to…/ }).click();
  const targets = page.getByRole("menu").last();
  await expect(targets.getByRole("menuitem", { name: "No step to connect to" })).toBeVisible();
  await expect(targets.getByRole("menuitem", { name: "Check", exact: true })).toHaveCount(0);
  await expect(targets.getByRole("menuitem", { name: "Checked", exact: true })).toHaveCount(0);
  await page.keyboard.press("Escape");
  await expect(page.getByRole("menu")).toHaveCount(0);
  await expect(page.getByText("All changes saved")).toBeVisible();
  await expect(page.getByTestId("loop-body")).toContainText("Runs once per item");
  await expect(page.getByRole("tab", { name: "Problems" })).toHaveText("Problems");
  await command(page, "Auto-layout");
  await expect(page.getByText("All changes saved")).toBeVisible();
  // Laid out, the body lies in the frame under its header, and the Output after the Loop beside it.
  const box = async (name: string) => (await page.getByRole("group", { name }).boundingBox())!;
  const inside = (await page.getByTestId("loop-body").boundingBox())!;
  for (const name of ["Check, Human Review step", "Checked, Output step"]) {
    const b = await box(name);
    expect(b.x, name).toBeGreaterThanOrEqual(inside.x);
    expect(b.y, name).toBeGreaterThanOrEqual(inside.y);
    expect(b.x + b.width, name).toBeLessThanOrEqual(inside.x + inside.width);
    expect(b.y + b.height, name).toBeLessThanOrEqual(inside.y + inside.height);
  }
  const frame = await box("Each ticket, Loop step");
  const after = await box("Output, Output step");
  expect(after.x).toBeGreaterThan(frame.x + frame.width);
  await page.screenshot({ path: "test-results/loop-body-editor.png" });
  expect(await audit(page)).toEqual([]);

  // A step dragged onto the loop goes inside it; dragged off, it comes out.
  const workflowId = new URL(page.url()).pathname.split("/").at(-1)!;
  const parentOf = async (label: string) => {
    const { graph } = await (await page.request.get(`/api/workflows/${workflowId}`)).json();
    return graph.nodes.find((n: { label: string }) => n.label === label)?.parentId ?? null;
  };
  await command(page, "Add Transform");
  const step = page.getByRole("group", { name: "Transform, Transform step" });
  const drag = async (to: { x: number; y: number }) => {
    const from = (await step.boundingBox())!;
    await page.mouse.move(from.x + 60, from.y + 20);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y, { steps: 12 });
    await page.mouse.up();
    await expect(page.getByText("All changes saved")).toBeVisible();
  };
  const body = (await page.getByTestId("loop-body").boundingBox())!;
  await drag({ x: body.x + body.width - 150, y: body.y + body.height - 60 });
  await expect.poll(() => parentOf("Transform")).toBe("loop_1");
  await drag({ x: body.x + body.width / 2, y: body.y - 220 });
  await expect.poll(() => parentOf("Transform")).toBeNull();
  await page.getByTestId("inspector").getByRole("button", { name: "Delete" }).click();
  await expect(step).toHaveCount(0);

  // Run at once, the deletion maybe not saved yet: the run is of the graph on screen.

  await command(page, "Run the workflow");
  const dialog = page.getByRole("dialog", { name: "Run this workflow" });
  await dialog.getByLabel("input").fill('["printer jam", "payroll access", "vpn down"]');
  await dialog.getByRole("button", { name: "Start run" }).click();
  await expect(dialog).toBeHidden();
  const panel = page.getByRole("tabpanel");
  await expect(panel.getByText("waiting", { exact: true }).first()).toBeVisible({ timeout: 20_000 });
  const runPage = await panel.getByRole("link", { name: "Open run page" }).getAttribute("href");

  await page.goto("/inbox");
  const items = page.getByTestId("inbox-item").filter({ hasText: `Inline triage ${suffix}` });
  await expect(items).toHaveCount(3);
  await page.getByLabel("Select all").check();
  await page.getByRole("button", { name: "Approve 3" }).click();
  await expect(page.getByTestId("bulk-result")).toBeVisible();

  await page.goto(runPage!);
  await expect(page.getByText("completed", { exact: true }).first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("run-result")).toHaveText(
    JSON.stringify(
      ["checked Ticket: printer jam", "checked Ticket: payroll access", "checked Ticket: vpn down"],
      null,
      2,
    ),
  );
  await page.getByRole("button", { name: "Each ticket", exact: true }).click();
  await page.getByRole("link", { name: "Item 3" }).click();
  await expect(page.getByTestId("run-result")).toContainText("checked Ticket: vpn down");
  await page.screenshot({ path: "test-results/loop-body-item.png", fullPage: true });
});

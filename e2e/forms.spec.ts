import type { APIRequestContext } from "@playwright/test";
import { audit } from "./support/axe";
import { expect, test } from "./support/fixtures";
import { signInToHome } from "./support/people";
import { node } from "./support/graph-node";

/**
 * Hosted forms: a page generated from the published version's Start fields that starts a run
 * and shows its answer, or a thank-you when the run takes longer; public or members only;
 * turned off at once; nothing of the workspace on it but the workflow's own.
 */
async function published(api: APIRequestContext, review = false): Promise<string> {
  const graph = {
    nodes: [
      node(
        "start",
        "start",
        {
          fields: [
            { name: "name", type: "string", required: true, description: "Who is asking" },
            { name: "party_size", type: "number", required: false, description: "" },
            { name: "vegetarian", type: "boolean", required: false, description: "" },
          ],
        },
        0,
      ),
      ...(review
        ? [node("check", "human-review", { instructions: "Check", content: "x", reviewerRole: "ADMIN" }, 1)]
        : []),
      node("out", "output", { value: "Table for {{nodes.start.output.name}}: {{nodes.start.output.party_size}}" }, 2),
    ],
    edges: review
      ? [
          { id: "e1", source: "start", target: "check" },
          { id: "e2", source: "check", target: "out", sourceHandle: "approved" },
        ]
      : [{ id: "e1", source: "start", target: "out" }],
  };
  const made = await api.post("/api/workflows", {
    data: { name: `Book a table ${Date.now()}`, description: "We answer at once.", graph },
  });
  expect(made.status(), await made.text()).toBe(201);
  const { id, revision } = await made.json();
  expect((await api.post(`/api/workflows/${id}/versions`, { data: { revision, note: "" } })).status()).toBe(201);
  return id;
}

test("a public form: anyone with the link fills in the Start fields and sees the answer; turned off, it is gone", async ({
  browser,
  adminApi,
}) => {
  const workflowId = await published(adminApi);
  const made = await adminApi.post(`/api/workflows/${workflowId}/triggers`, {
    data: { kind: "form", name: "Bookings", config: { access: "public" } },
  });
  expect(made.status(), await made.text()).toBe(201);
  const form = await made.json();
  expect(form.path).toBe(`/f/${form.id}`);

  const stranger = await browser.newContext(); // signed out
  const page = await stranger.newPage();
  await page.goto(form.path);
  await expect(page.getByRole("heading", { level: 1, name: "Bookings" })).toBeVisible();
  await expect(page.getByText("We answer at once.")).toBeVisible();
  await expect(page.getByText("Who is asking")).toBeVisible();
  // Nothing of the studio: no navigation, no workspace.
  await expect(page.getByRole("navigation")).toHaveCount(0);
  await expect(page.getByText("Acme")).toHaveCount(0);
  expect(await audit(page)).toEqual([]);

  // Fields read as words; a required field left empty is named under the field (the party
  // size takes numbers only).
  await expect(page.getByLabel("Party size")).toHaveAttribute("type", "number");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByText("Fill this in")).toBeVisible();
  await page.getByLabel("Name (required)").fill("Ada");
  await expect(page.getByText("Fill this in")).toHaveCount(0);
  await page.getByLabel("Party size").fill("4");
  await page.getByLabel("Vegetarian").check();
  await page.screenshot({ path: "test-results/form-filled.png" });
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByRole("region", { name: "Answer" })).toContainText("Table for Ada: 4");
  await page.screenshot({ path: "test-results/form-answer.png" });

  const runs = (await (await adminApi.get(`/api/workflows/${workflowId}/runs?trigger=form`)).json()).runs;
  expect(runs).toHaveLength(1);
  const { deliveries } = await (await adminApi.get(`/api/triggers/${form.id}/deliveries`)).json();
  expect(deliveries).toEqual([
    expect.objectContaining({
      status: 200,
      runId: runs[0].id,
      payload: '{"name":"Ada","party_size":4,"vegetarian":true}',
    }),
  ]);

  // The server checks the fields too, naming the one that is wrong.
  const bad = await stranger.request.post(`/api/forms/${form.id}`, { data: { input: { party_size: "x" } } });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error.fields[0].path).toMatch(/^body\.input\./);

  expect((await adminApi.patch(`/api/triggers/${form.id}`, { data: { enabled: false } })).status()).toBe(200);
  await page.goto(form.path);
  await expect(page.getByRole("heading", { name: "This form is not available" })).toBeVisible();
  expect((await stranger.request.post(`/api/forms/${form.id}`, { data: { input: { name: "Ada" } } })).status()).toBe(
    404,
  );
  await stranger.close();
});

test("a members' form asks a stranger to sign in; a member gets a thank-you when the run waits", async ({
  browser,
  page,
  admin,
  adminApi,
}) => {
  const workflowId = await published(adminApi, true);
  const made = await adminApi.post(`/api/workflows/${workflowId}/triggers`, {
    data: {
      kind: "form",
      name: "Bookings",
      config: { access: "members", waitSeconds: 2, thankYou: "Thanks! We will call you." },
    },
  });
  const form = await made.json();

  const stranger = await browser.newContext();
  const outside = await stranger.newPage();
  await outside.goto(form.path);
  await expect(outside.getByRole("heading", { name: "Sign in to use this form" })).toBeVisible();
  expect((await stranger.request.post(`/api/forms/${form.id}`, { data: { input: { name: "Ada" } } })).status()).toBe(
    401,
  );
  await stranger.close();

  await signInToHome(page, admin);
  await page.goto(form.path);
  await page.getByLabel("Name (required)").fill("Grace");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByText("Thanks! We will call you.")).toBeVisible();
});

test("a builder adds a form in the editor and opens its link", async ({ page, admin, adminApi }) => {
  const workflowId = await published(adminApi);
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInToHome(page, admin);
  await page.goto(`/workflows/${workflowId}`);
  await page.getByRole("tab", { name: "Triggers" }).click();
  await page.getByRole("button", { name: "Add form" }).click();
  const add = page.getByRole("form", { name: "New form" });
  await add.getByLabel("Name").fill("Bookings");
  await add.getByLabel("Who may use it").selectOption({ label: "Anyone with the link" });
  await add.getByRole("button", { name: "Add form" }).click();
  const card = page.getByRole("region", { name: "Bookings" });
  await expect(card.getByText(/Form · anyone with the link/)).toBeVisible();
  const link = await card.getByLabel("Link of Bookings").inputValue();
  expect(link).toMatch(/\/f\/[A-Za-z0-9_-]+$/);
  // Its settings change in place, filled in with what it has; the link stays.
  await card.getByRole("button", { name: "Change settings of Bookings" }).click();
  const settings = card.getByRole("form", { name: "Settings of Bookings" });
  await expect(settings.getByLabel("Who may use it")).toHaveValue("public");
  await settings.getByLabel("Wait for the answer at most (seconds)").fill("45");
  await page.screenshot({ path: "test-results/screens/trigger-settings.png" });
  await settings.getByRole("button", { name: "Save" }).click();
  await expect(card.getByText(/Form · anyone with the link · waits up to 45 s/)).toBeVisible();
  await expect(card.getByLabel("Link of Bookings")).toHaveValue(link);
  await page.goto(link);
  await expect(page.getByRole("heading", { level: 1, name: "Bookings" })).toBeVisible();
});

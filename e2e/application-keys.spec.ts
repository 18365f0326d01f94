import { audit } from "./support/axe";
import { expect, test } from "./support/fixtures";
import { signInToHome } from "./support/people";

/**
 * Application keys, as an admin makes one for a service: its role, its one model and its
 * budget; the key shown once; the service calling the gateway with it (it sees only its
 * model); its calls under Usage by key; its limits changed in place; revoked, it stops working.
 */
test("an admin makes an application key for a service, sees its calls under Usage, and revokes it", async ({
  page,
  admin,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInToHome(page, admin);
  await page.goto("/settings/api-keys");
  const form = page.getByRole("form", { name: "New application key" });
  await form.getByLabel("Name").fill("Support bot");
  await form.getByRole("radio", { name: "Only these" }).check();
  await form.getByLabel("demo").check();
  await form.getByLabel("Budget (USD)").fill("5");
  await form.getByRole("button", { name: "Make application key" }).click();
  const made = page.getByTestId("new-application-key");
  await expect(made).toContainText("Copy the new application key “Support bot” now");
  const key = await made.getByLabel("The new application key").inputValue();
  expect(key).toMatch(/^fdk_/);
  const list = page.getByRole("list", { name: "Application keys" });
  await expect(list).toContainText("Support bot");
  await expect(list).toContainText("as a builder · models demo · $5.00 per month · no expiry");
  await page.screenshot({ path: "test-results/application-keys.png", fullPage: true });
  expect(await audit(page)).toEqual([]);

  // The service: it sees its one model, and calls it.
  const headers = { authorization: `Bearer ${key}` };
  const models = await page.request.get("/api/gateway/v1/models", { headers });
  expect(((await models.json()) as { data: { id: string }[] }).data.map((m) => m.id)).toEqual(["demo"]);
  const call = await page.request.post("/api/gateway/v1/chat/completions", {
    headers,
    data: { model: "demo", messages: [{ role: "user", content: "hello" }] },
  });
  expect(call.status(), await call.text()).toBe(200);

  await page.getByRole("link", { name: "Usage" }).click();
  await expect(page.getByRole("list", { name: "Spend by API key" })).toContainText("Support bot (application key)");

  // Its limits changed in place: the same key, a higher budget, and no model of its own any more.
  await page.goto("/settings/api-keys");
  await list.getByRole("button", { name: "Edit Support bot" }).click();
  const edit = list.getByRole("form", { name: "Edit Support bot" });
  await expect(edit.getByLabel("Budget (USD)")).toHaveValue("5");
  await edit.getByLabel("Budget (USD)").fill("12.5");
  // Unticking the last model would not open every model by itself: that is a choice of its own.
  await edit.getByLabel("demo").uncheck();
  await edit.getByRole("button", { name: "Save Support bot" }).click();
  await expect(edit.getByText("Tick at least one model, or choose every model")).toBeVisible();
  await edit.getByRole("radio", { name: "Every model its role may use" }).check();
  await edit.getByRole("button", { name: "Save Support bot" }).click();
  await expect(list).toContainText("as a builder · every model its role may use · $12.50 per month · no expiry");
  await expect(edit).toHaveCount(0);
  const again = await page.request.post("/api/gateway/v1/chat/completions", {
    headers,
    data: { model: "demo", messages: [{ role: "user", content: "hello again" }] },
  });
  expect(again.status(), await again.text()).toBe(200);

  await page.getByRole("button", { name: "Revoke Support bot" }).click();
  await page.getByRole("dialog", { name: "Revoke “Support bot”?" }).getByRole("button", { name: "Revoke" }).click();
  await expect(list).not.toContainText("Support bot");
  await expect.poll(async () => (await page.request.get("/api/gateway/v1/models", { headers })).status()).toBe(401);
});

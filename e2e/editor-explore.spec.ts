import { expect, test } from "./support/fixtures";
import { signInThroughPage } from "./support/people";
import { EditorPage } from "./support/editor";

test("explore", async ({ page, admin, adminApi }) => {
  const list = await (await adminApi.get("/api/workflows")).json();
  await signInThroughPage(page, admin);
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();
  await page.setViewportSize({ width: 1440, height: 900 });
  const editor = new EditorPage(page);
  await editor.open(list.workflows[0].id);
  await page.screenshot({ path: "test-results/screens/editor.png" });
  await editor.select("approve");
  await page.screenshot({ path: "test-results/screens/editor-selected.png" });
});

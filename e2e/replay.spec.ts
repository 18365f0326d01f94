import { audit } from "./support/axe";
import { expect, test } from "./support/fixtures";
import { briefWorkflow } from "./support/brief-workflow";
import { loopbackLlm } from "./support/loopback-llm";
import { addLoopbackModels } from "./support/loopback-model";
import { signInToHome } from "./support/people";
import { waitForRunStatus } from "./support/runs-api";

/**
 * "Replay from here", as a builder uses it: on a run's page, a step's "Replay from here" opens a
 * dialog with what the step read; edited and replayed, the new run copies the steps before it
 * (their model is not called again: counted at a real OpenAI-compatible server on loopback),
 * links to its origin, and shows what changed, word by word.
 */
const server = loopbackLlm();

test("a builder replays a run from a middle step with an edited input and sees what changed", async ({
  page,
  admin,
  adminApi,
}) => {
  const llm = server();
  llm.behave("replay-research", { kind: "answer", text: "Otters eat urchins." });
  await addLoopbackModels(adminApi, llm.baseUrl, { researcher: "replay-research", writer: "replay-writer" });
  const { id, revision } = await briefWorkflow(adminApi, "Replayed brief");
  expect((await adminApi.post(`/api/workflows/${id}/versions`, { data: { revision, note: "" } })).status()).toBe(201);
  const started = await adminApi.post(`/api/workflows/${id}/runs`, { data: { input: { topic: "otters" } } });
  expect(started.status(), await started.text()).toBe(201);
  const runId = (await started.json()).id as string;
  await waitForRunStatus(adminApi, runId, "COMPLETED");

  await page.setViewportSize({ width: 1440, height: 900 });
  await signInToHome(page, admin);
  await page.goto(`/runs/${runId}`);
  await page.getByRole("button", { name: "Write", exact: true }).click();
  await page.getByRole("button", { name: "Replay from here: Write" }).click();
  const dialog = page.getByRole("dialog", { name: "Replay from “Write”" });
  await expect(dialog.getByText("The steps before “Write” are copied from this run")).toBeVisible();
  const read = dialog.getByLabel("Output of Research (JSON)");
  await expect(read).toHaveValue(/Otters eat urchins\./);
  await expect(dialog.getByLabel("Version 1, as this run ran")).toBeChecked();
  await page.screenshot({ path: "test-results/replay-dialog.png" });
  expect(await audit(page, undefined, { heading: false })).toEqual([]);

  // Not JSON: said at the field, and nothing starts.
  await read.fill('{"text": "Kelp forests store carbon."');
  await dialog.getByRole("button", { name: "Replay" }).click();
  await expect(dialog.getByText("Not valid JSON: check the quotes, commas and brackets.")).toBeVisible();
  await expect(read).toHaveAttribute("aria-invalid", "true");
  expect(llm.calls("replay-writer")).toBe(1);

  await read.fill('{"text": "Kelp forests store carbon.", "object": null}');
  await dialog.getByRole("button", { name: "Replay" }).click();
  await expect(page).not.toHaveURL(new RegExp(`/runs/${runId}$`));
  await expect(page.getByTestId("run-detail-status")).toHaveText("completed");
  const origin = page.getByRole("region", { name: /Replay of the run of .* from “Write”/ });
  await expect(origin.getByText("The steps before “Write” were copied from that run, not run again.")).toBeVisible();
  await expect(page.getByTestId("timeline-research")).toContainText("copied from the earlier run, output edited");
  await expect(page.getByTestId("timeline-research")).toContainText("not run");
  await expect(page.getByTestId("timeline-start")).toContainText("copied from the earlier run");
  const changes = origin.getByRole("list", { name: "Changes from the original" });
  await expect(changes.getByTestId("replay-diff-result").locator("ins", { hasText: "Kelp" })).toHaveCount(1);
  await expect(changes.getByTestId("replay-diff-result").locator("del", { hasText: "Otters" })).toHaveCount(1);
  await expect(changes.getByTestId("replay-diff-write").locator("ins", { hasText: "carbon" })).toHaveCount(1);
  // Research was copied: its model was called once, by the original run; Write's twice.
  expect([llm.calls("replay-research"), llm.calls("replay-writer")]).toEqual([1, 2]);
  await page.screenshot({ path: "test-results/replay-run.png", fullPage: true });
  expect(await audit(page)).toEqual([]);

  await origin.getByRole("link", { name: /the run of/ }).click();
  await expect(page).toHaveURL(new RegExp(`/runs/${runId}$`));
  await expect(page.getByTestId("run-result")).toHaveText("Echo: Write about: Otters eat urchins.");
});

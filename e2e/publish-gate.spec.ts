import { audit } from "./support/axe";
import { briefWorkflow } from "./support/brief-workflow";
import { EditorPage } from "./support/editor-page";
import { expect, test } from "./support/fixtures";
import { loopbackLlm } from "./support/loopback-llm";
import { addLoopbackModels } from "./support/loopback-model";
import { signInToHome } from "./support/people";
import { VersionsPanel } from "./support/versions-panel";

/**
 * The publish gate, as an admin meets it: the workflow asks for an evaluation of the draft at
 * 100%; the publish dialog runs it, shows that the draft regresses cases that pass on the
 * current version, refuses to publish, and lets the admin publish anyway with a reason, which
 * the Versions tab shows (and the audit keeps).
 */
const server = loopbackLlm();

test("the gate holds back a draft that regresses, until an admin publishes it anyway with a reason", async ({
  page,
  admin,
  adminApi,
}) => {
  const llm = server();
  await addLoopbackModels(adminApi, llm.baseUrl, { "gate-researcher": "gate-research", "gate-writer": "gate-write" });
  const wf = await briefWorkflow(adminApi, "Gated brief", { research: "gate-researcher", write: "gate-writer" });
  const publish = (revision: number) =>
    adminApi.post(`/api/workflows/${wf.id}/versions`, { data: { revision, note: "" } });
  expect((await publish(wf.revision)).status()).toBe(201);
  const added = await adminApi.post(`/api/workflows/${wf.id}/cases`, {
    data: {
      cases: [
        { input: { topic: "otters" }, expected: "Research otters" },
        { input: { topic: "seals" }, expected: "Research seals" },
      ],
    },
  });
  expect(added.status(), await added.text()).toBe(201);
  const suite = await adminApi.put(`/api/workflows/${wf.id}/suite`, {
    data: { evaluators: [{ kind: "contains" }], gate: { passRate: 100 } },
  });
  expect(suite.status(), await suite.text()).toBe(200);
  // Version 1 passes both cases.
  const first = await adminApi.post(`/api/workflows/${wf.id}/evaluations`, { data: { on: 1, concurrency: 2 } });
  expect(first.status(), await first.text()).toBe(201);
  await expect
    .poll(async () => (await (await adminApi.get(`/api/evaluations/${(await first.json()).id}`)).json()).evaluation)
    .toMatchObject({ status: "COMPLETED", passed: 2 });
  // The draft researches differently: both cases now fail.
  const draft = await (await adminApi.get(`/api/workflows/${wf.id}`)).json();
  draft.graph.nodes.find((n: { id: string }) => n.id === "research").config.instructions =
    "Look up {{nodes.start.output.topic}}";
  const saved = await adminApi.put(`/api/workflows/${wf.id}/draft`, {
    data: { revision: draft.revision, graph: draft.graph },
  });
  expect(saved.status(), await saved.text()).toBe(200);
  // Over the API too, no publish without the gate.
  const refused = await publish((await saved.json()).revision);
  expect(refused.status()).toBe(409);
  expect((await refused.json()).error.message).toMatch(
    /The evaluation gate did not pass: The draft as it is now has not been evaluated/,
  );

  await page.setViewportSize({ width: 1440, height: 900 });
  await signInToHome(page, admin);
  const editor = new EditorPage(page);
  await editor.open(wf.id);
  await editor.publishButton().click();
  const dialog = page.getByTestId("publish-dialog");
  await expect(dialog.getByText("The evaluation gate did not pass.")).toBeVisible();
  await expect(dialog.getByText("The draft as it is now has not been evaluated")).toBeVisible();
  await dialog.getByRole("button", { name: "Run the evaluation" }).click();
  await expect(dialog.getByText(/2 cases that passed on version 1 fail on the draft\./)).toBeVisible({
    timeout: 30_000,
  });
  await expect(dialog.getByText(/The draft passed 0% of its cases; the gate asks for 100%\./)).toBeVisible();
  const publishAnyway = dialog.getByRole("button", { name: "Publish anyway" });
  await expect(publishAnyway).toHaveAttribute("aria-disabled", "true");
  await page.screenshot({ path: "test-results/publish-gate.png" });
  expect(await audit(page, undefined, { heading: false })).toEqual([]);
  await dialog.getByLabel(/Publish anyway, because/).fill("The new wording is what legal asked for.");
  await publishAnyway.click();
  await expect(dialog).toHaveCount(0);
  const versions = new VersionsPanel(page);
  await versions.show();
  await expect(versions.version(2)).toContainText(
    "Published over the evaluation gate: The new wording is what legal asked for.",
  );
});

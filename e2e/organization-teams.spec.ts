import { audit } from "./support/axe";
import { briefWorkflow } from "./support/brief-workflow";
import { expect, test } from "./support/fixtures";
import { loopbackLlm } from "./support/loopback-llm";
import { addLoopbackModels } from "./support/loopback-model";
import { newTeam, signedInApi, signInToHome } from "./support/people";
import { startDraftRun, waitForRunStatus } from "./support/runs-api";

/**
 * Workspaces as the organization's teams, in Chromium: an installation owner grants an
 * organization model to a second team under another name, with a budget of its own; that team's
 * admin (not an owner) finds it on the Models page, cannot change the team's budget or connect a
 * provider, narrows who may use the model, and a workflow of the team's calls it by its name
 * there (the loopback provider answers).
 */
const server = loopbackLlm();

test("an installation owner grants a model to a team, which uses it under its own name within its budget", async ({
  page,
  browser,
  admin,
  adminApi,
  studio,
}) => {
  const llm = server();
  await addLoopbackModels(adminApi, llm.baseUrl, { "team-chat": "team-model" });
  const {
    name: team,
    admin: teamAdmin,
    builder: teamBuilder,
  } = await newTeam(adminApi, `Globex ${Date.now().toString(36)}`);

  // The owner grants "team-chat" to the team as "assistant", with a $5 budget.
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInToHome(page, admin);
  await page.goto("/organization/teams");
  await expect(page.getByRole("link", { name: "Teams" })).toHaveAttribute("aria-current", "page");
  const card = page.getByRole("listitem", { name: team, exact: true });
  await expect(card).toContainText("No models granted: only the built-in demo model.");
  await card.getByRole("button", { name: `Edit ${team}` }).click();
  await card.getByRole("checkbox", { name: /Grant team-chat/ }).check();
  await card.getByLabel(`Name in ${team} for team-chat`).fill("Assistant!");
  await card.getByLabel("Team budget (USD)").fill("5");
  await card.getByRole("button", { name: `Save ${team}` }).click();
  await expect(card.getByText("Use lower-case letters, digits, dots, dashes and underscores")).toBeVisible();
  await card.getByLabel(`Name in ${team} for team-chat`).fill("assistant");
  await card.getByRole("button", { name: `Save ${team}` }).click();
  await expect(card).toContainText("Models: assistant (team-chat)");
  await expect(card).toContainText("$0.00 of $5.00 this month");
  await page.screenshot({ path: "test-results/screens/organization-teams.png", fullPage: true });
  expect(await audit(page)).toEqual([]);

  // The team's admin: the granted model, the budget shown but not theirs to change, no providers.
  const context = await browser.newContext({ baseURL: studio.url });
  const teamPage = await context.newPage();
  await teamPage.setViewportSize({ width: 1440, height: 900 });
  await signInToHome(teamPage, teamAdmin);
  // A new team has made no model calls: its Usage page says so, not an empty table.
  await teamPage.goto("/admin/usage");
  await expect(teamPage.getByTestId("usage-no-calls")).toHaveText("No model calls in this period.");
  await teamPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Models" }).click();
  const granted = teamPage.getByRole("table", { name: "Granted models" });
  // Open to admins, as the organization's model is by default.
  await expect(granted.getByRole("row", { name: /^assistant team-chat/ })).toContainText("admin");
  await expect(teamPage.getByTestId("own-providers-note")).toContainText("uses the organization’s providers");
  // Not an installation owner: told who can (no link to a page they may not open).
  await expect(teamPage.getByTestId("own-providers-note")).toContainText("an installation owner turns on");
  await expect(teamPage.getByTestId("own-providers-note").getByRole("link")).toHaveCount(0);
  await expect(teamPage.getByRole("button", { name: "Add provider" })).toHaveCount(0);
  await expect(teamPage.getByLabel("Budget for the workspace (USD)")).toBeDisabled();
  await expect(teamPage.getByLabel("Budget for the workspace (USD)")).toHaveValue("5");
  await teamPage.getByLabel("Budget per person (USD)").fill("6");
  await teamPage.getByRole("button", { name: "Save limits" }).click();
  // Said at the field, in words (not the API's "body.userBudgetUsd"), and tied to it for screen readers.
  await expect(teamPage.getByLabel("Budget per person (USD)")).toHaveAccessibleDescription("At most the team's 5 USD");
  await expect(teamPage.getByText("Not saved: see the field marked above.")).toBeVisible();
  await expect(teamPage.getByText(/userBudgetUsd/)).toHaveCount(0);
  await teamPage.getByLabel("Requests per minute, per person").fill("0");
  await teamPage.getByRole("button", { name: "Save limits" }).click();
  await expect(teamPage.getByLabel("Requests per minute, per person")).toHaveAccessibleDescription(
    "At least 1, or leave it empty for no limit",
  );
  await teamPage.getByLabel("Requests per minute, per person").fill("");
  await teamPage.getByLabel("Budget per person (USD)").fill("2");
  await teamPage.getByRole("button", { name: "Save limits" }).click();
  await expect(teamPage.getByText("Saved.")).toBeVisible();
  expect(await audit(teamPage)).toEqual([]);
  await teamPage.screenshot({ path: "test-results/screens/team-models.png", fullPage: true });

  // The team's admin lets builders use it too.
  const teamApi = await signedInApi(studio.url, teamAdmin);
  const builderApi = await signedInApi(studio.url, teamBuilder);
  const builderModels = async () =>
    ((await (await builderApi.get("/api/models")).json()).models as { name: string }[]).map((m) => m.name);
  expect(await builderModels()).not.toContain("assistant");
  await granted.getByRole("button", { name: "Change who may use assistant" }).click();
  const who = teamPage.getByRole("form", { name: "Who may use assistant" });
  await who.getByRole("checkbox", { name: "Every builder" }).check();
  await who.getByRole("button", { name: "Save who may use assistant" }).click();
  await expect(granted.getByRole("row", { name: /^assistant team-chat/ })).toContainText("admin, builder");
  expect(await builderModels()).toContain("assistant");

  // A workflow of the team calls the model by the team's name for it.
  const wf = await briefWorkflow(teamApi, "Team brief", { research: "assistant", write: "assistant" });
  const run = await startDraftRun(teamApi, wf.id, { topic: "grants" });
  await waitForRunStatus(teamApi, run, "COMPLETED");
  expect(llm.calls("team-model")).toBe(2);

  // Renaming the grant would break that workflow: the owner is told which, and may save anyway.
  await card.getByRole("button", { name: `Edit ${team}` }).click();
  await card.getByLabel(`Name in ${team} for team-chat`).fill("helper");
  await card.getByRole("button", { name: `Save ${team}` }).click();
  await expect(card.getByRole("alert")).toContainText(
    "This takes “assistant” away from the team, which still calls it: the workflow “Team brief”",
  );
  expect(await audit(page)).toEqual([]);
  await page.screenshot({ path: "test-results/screens/team-grant-in-use.png", fullPage: true });
  await card.getByRole("button", { name: "Save anyway" }).click();
  await expect(card).toContainText("Models: helper (team-chat)");
  await Promise.all([teamApi.dispose(), builderApi.dispose(), context.close()]);
});

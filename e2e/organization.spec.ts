import { audit } from "./support/axe";
import { briefWorkflow } from "./support/brief-workflow";
import { expect, test } from "./support/fixtures";
import { loopbackLlm } from "./support/loopback-llm";
import { addLoopbackModels } from "./support/loopback-model";
import { addMember, fromAccountMenu, signInToHome } from "./support/people";
import { runOf, startDraftRun, waitForRunStatus } from "./support/runs-api";

/**
 * The Organization area, as an installation owner uses it: the organization's budget set and
 * shown against the spend by workspace; a guardrail policy tried on a text,
 * added for one workspace, then seen at work on a real model call (the loopback provider never
 * gets the email address; the run's answer has it redacted), in the area's trail and on the
 * dashboard. A builder sees no Organization link and is turned away from the page.
 */
const server = loopbackLlm();

test("an installation owner adds a guardrail policy, tries it, and sees it redact a real model call", async ({
  page,
  admin,
  adminApi,
}) => {
  // Four pages, two axe audits and a real run: about 25 s alone, near a minute beside another worker.
  test.setTimeout(120_000);
  const llm = server();
  // Priced well above what this worker's earlier tests spent, so this run's calls lead the
  // organization's top-ten spend tables below, whatever ran before.
  await addLoopbackModels(
    adminApi,
    llm.baseUrl,
    { "org-researcher": "org-research", "org-writer": "org-write", "org-judge": "org-judge-model" },
    { inputPricePerMTok: 1000, outputPricePerMTok: 1000 },
  );
  const wf = await briefWorkflow(adminApi, "Guarded brief", { research: "org-researcher", write: "org-writer" });
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInToHome(page, admin);
  await fromAccountMenu(page, "Organization");
  await expect(page.getByRole("heading", { name: "Organization", level: 1 })).toBeVisible();

  // The organization's budget over every workspace: set, and shown against this month's spend.
  const budget = page.getByRole("form", { name: "The organization's budget" });
  await budget.getByLabel("Budget (USD)").fill("250");
  await budget.getByRole("button", { name: "Save budget" }).click();
  await expect(budget.getByRole("status")).toHaveText("Saved.");
  // What this worker's earlier tests spent counts too: the share is whatever that is, said in words and by the bar.
  const { spend } = (await (await adminApi.get("/api/organization/spend")).json()) as { spend: { spentUsd: number } };
  const spentUsd = spend.spentUsd;
  const share = String(Math.min(100, Math.round((spentUsd / 250) * 100)));
  await expect(page.getByTestId("organization-spend")).toContainText(
    `of the organization's budget of $250.00 (${share}%)`,
  );
  await expect(page.getByRole("progressbar", { name: "The organization's budget used" })).toHaveAttribute(
    "aria-valuenow",
    share,
  );
  await expect(
    page.getByRole("table", { name: "Spend by workspace" }).getByRole("rowheader", { name: "Acme" }),
  ).toBeVisible();
  // The organization's rate limits, every team together.
  const rates = page.getByRole("form", { name: "The organization's rate limits" });
  await rates.getByLabel("Requests per minute").fill("ten");
  await rates.getByRole("button", { name: "Save rate limits" }).click();
  await expect(rates.getByText("A whole number, 1 or more (empty: no limit)")).toBeVisible();
  await rates.getByLabel("Requests per minute").fill("6000");
  await rates.getByRole("button", { name: "Save rate limits" }).click();
  await expect(rates.getByRole("status")).toHaveText("Saved.");

  await page.getByRole("button", { name: "New policy" }).click();
  const form = page.getByRole("form", { name: "New guardrail policy" });
  await form.getByLabel("Name").fill("No addresses in prompts");
  await form.getByLabel("Applies to").selectOption({ label: "Only Acme" });
  await expect(form.getByLabel("Email addresses")).toBeChecked();
  await form.getByLabel("Blocked terms, one per line").fill("Project Kraken");
  const tryIt = form.getByRole("region", { name: "Try the policy" });
  await tryIt.getByLabel("Try it on a text").fill("Write to ada.lovelace@example.com today");
  await tryIt.getByRole("button", { name: "Try" }).click();
  await expect(tryIt.getByText("Write to [email] today").first()).toBeVisible();
  await expect(tryIt.getByText("Personal data redacted in prompts: email")).toBeVisible();
  await tryIt.getByLabel("Try it on a text").fill("How is project kraken going?");
  await tryIt.getByRole("button", { name: "Try" }).click();
  await expect(
    tryIt.getByText(/Refused: The guardrail policy “No addresses in prompts” refused this call/),
  ).toBeVisible();
  // Blocked topics: the organization's judge model is asked (here it says "1": the first topic).
  await form.getByLabel("Blocked topics, one per line").fill("Weather: forecasts and rain");
  await form.getByRole("button", { name: "Add policy" }).click();
  await expect(form.getByText("Pick the organization's model that judges what a prompt is about")).toBeVisible();
  await tryIt.getByRole("button", { name: "Try" }).click();
  await expect(tryIt.getByRole("alert")).toContainText(
    "Pick the organization's model that judges what a prompt is about",
  );
  await form.getByLabel("Model that judges topics").selectOption("org-judge");
  llm.behave("org-judge-model", { kind: "answer", text: "1" });
  await tryIt.getByLabel("Try it on a text").fill("Will it rain tomorrow?");
  await tryIt.getByRole("button", { name: "Try" }).click();
  await expect(
    tryIt.getByText(
      "Refused: This request is about “Weather”, a topic the guardrail policy “No addresses in prompts” blocks.",
    ),
  ).toBeVisible();
  llm.behave("org-judge-model", { kind: "answer", text: "0" });
  await page.screenshot({ path: "test-results/organization-policy-form.png", fullPage: true });
  expect(await audit(page)).toEqual([]);
  await form.getByRole("button", { name: "Add policy" }).click();
  const policies = page.getByRole("list", { name: "Policies" });
  await expect(policies.getByRole("listitem")).toHaveCount(1);
  await expect(policies).toContainText("No addresses in prompts ● on");
  await expect(policies).toContainText("Only Acme · redacts email addresses, phone numbers, payment card numbers");
  await expect(policies).toContainText("refuses the topic Weather (judged by org-judge)");

  try {
    // A real call: the provider never sees the address, and the run's answer has it redacted.
    const judgedBefore = llm.calls("org-judge-model");
    const runId = await startDraftRun(adminApi, wf.id, { topic: "ada.lovelace@example.com" });
    await waitForRunStatus(adminApi, runId, "COMPLETED");
    expect(JSON.stringify(llm.requests)).not.toContain("ada.lovelace@example.com");
    expect(llm.calls("org-judge-model")).toBe(judgedBefore + 2); // each of the run's two steps was judged
    expect((await runOf(adminApi, runId)).output).toBe("Echo: Write about: Echo: Research [email]");
    const trail = page.getByRole("table", { name: "Guardrail actions" });
    await expect(
      trail.getByRole("row").filter({ hasText: "Personal data redacted in prompts: email" }).first(),
    ).toBeVisible({
      timeout: 15_000,
    });
    await expect(trail).toContainText("No addresses in prompts");
    await page.screenshot({ path: "test-results/organization.png", fullPage: true });
    expect(await audit(page)).toEqual([]);
    await page.getByRole("link", { name: "Dashboard" }).click();
    await expect(page.getByRole("list", { name: "What guardrail policies did" })).toContainText(
      "Personal data redacted in prompts",
    );

    // Removed (after asking), it stops applying.
    await fromAccountMenu(page, "Organization");
    await page.getByRole("button", { name: "Remove No addresses in prompts" }).click();
    await page
      .getByRole("group", { name: "Remove No addresses in prompts?" })
      .getByRole("button", { name: "Yes, remove" })
      .click();
    await expect(page.getByText("No policy yet: model calls go out as they are asked.")).toBeVisible();
    // The run's calls in the organization's spend: by the organization's model, workflow and person.
    await expect(page.getByRole("table", { name: "Spend by model" })).toContainText("org-researcher");
    await expect(page.getByRole("table", { name: "Spend by workflow" })).toContainText("Guarded brief · Acme");
    await expect(page.getByRole("table", { name: "Spend by person" })).toContainText(admin.name);

    // A builder is no installation owner: no link, and the page says why.
    const builder = await addMember(adminApi, "BUILDER");
    await page.context().clearCookies();
    await signInToHome(page, builder);
    await page.getByRole("button", { name: /account menu$/ }).click();
    const menu = page.getByRole("menu", { name: "Account menu", exact: true });
    await expect(menu.getByRole("menuitem", { name: "API keys" })).toBeVisible();
    await expect(menu.getByRole("menuitem", { name: "Organization" })).toHaveCount(0);
    await page.keyboard.press("Escape");
    await page.goto("/organization");
    await expect(page.getByTestId("access-denied")).toContainText("The Organization area is for installation owners");
    const refused = await page.request.get("/api/organization/guardrail-policies");
    expect(refused.status()).toBe(403);
  } finally {
    await adminApi.put("/api/organization/limits", { data: { requestsPerMinute: null, tokensPerMinute: null } });
    // Policies apply to the whole studio this worker's other tests share: take it away.
    const list = (await (await adminApi.get("/api/organization/guardrail-policies")).json()) as {
      policies: { id: string }[];
    };
    for (const p of list.policies) await adminApi.delete(`/api/organization/guardrail-policies/${p.id}`);
    await adminApi.put("/api/organization/budget", { data: { budgetUsd: null, budgetPeriod: "MONTH" } });
  }
});

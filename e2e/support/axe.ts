import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/**
 * Opens `path` (or checks the page as it is, when no path is given) and returns its serious and
 * critical axe violations (WCAG 2.1 A and AA), each with up to five offending elements; also
 * expects exactly one level-1 heading (unless `heading` is false: a menu or dialog is open).
 */
export async function audit(page: Page, path?: string, options = { heading: true }): Promise<string[]> {
  if (path) await page.goto(path);
  await page.waitForLoadState("networkidle");
  // (A menu or dialog that is open hides the page, its heading included, from assistive technology.)
  if (options.heading) await expect(page.getByRole("heading", { level: 1 })).toHaveCount(1);
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const where = path ?? new URL(page.url()).pathname;
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${where}: ${v.id} (${v.impact}): ${v.help}\n${v.nodes
          .slice(0, 5)
          .map((n) => `    ${n.target.join(" ")}: ${n.failureSummary?.split("\n")[1] ?? ""}`)
          .join("\n")}`,
    );
}

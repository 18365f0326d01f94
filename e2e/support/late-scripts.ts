import type { Page } from "@playwright/test";

/**
 * The page's scripts (not its styles, which hold the first paint) come `ms` late, as on a slow
 * connection: what the page shows can be used before it runs, as a quick person would.
 */
export async function scriptsLate(page: Page, ms = 1_500): Promise<void> {
  await page.route(/\/_next\/static\/chunks\/.*\.js$/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    await route.continue();
  });
}

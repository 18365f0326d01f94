import { expect } from "./support/fixtures";
import { apiRoutes, pathMatchesRoute } from "./support/api-routes";
import { CALLERS, CANARY, send, test } from "./support/security-world";
import { table } from "./support/security-table";

/**
 * The authorization matrix: every route file's every method (read from app/api at test time),
 * asked by every kind of caller, against a real server with two workspaces of real data.
 * Each cell has its expected status below; a route or method without an entry fails, so a new
 * route must be classified here. A refused answer, and anything answered to a caller outside
 * workspace A, must not carry anything of A (its names and inputs carry the CANARY).
 *
 * Callers: nobody signed in; a revoked API key (of A's admin); an admin of another workspace
 * (B), so their role never hides a missing workspace check; A's reviewer, builder and admin
 * (a second admin, not the installation's first).
 */
const routes = apiRoutes();
const keyOf = (r: { method: string; route: string }) => `${r.method} ${r.route}`;

test.describe("authorization matrix @security", () => {
  test("every route file and method has an expected answer, and every entry a route", () => {
    const found = routes.map(keyOf);
    expect(found.length).toBeGreaterThan(50);
    const unclassified = found.filter((k) => !(k in table));
    expect(unclassified, "new routes: add each to the table in e2e/security-matrix.spec.ts").toEqual([]);
    expect(Object.keys(table).filter((k) => !found.includes(k))).toEqual([]);
  });

  for (const r of routes) {
    const key = keyOf(r);
    test(`${key} @security`, async ({ world }) => {
      const entry = table[key];
      expect(entry, `${key} (${r.file}) has no expected answer in the matrix`).toBeDefined();
      const cases = Array.isArray(entry) ? entry : [entry!];
      const wrong: string[] = [];
      for (const c of cases) {
        for (const caller of CALLERS) {
          const made = c.fresh ? await c.fresh(world) : "";
          const path = c.path(world, made);
          expect(pathMatchesRoute(path, r.route), `${path} is not an instance of ${r.route}`).toBe(true);
          const answer = await send(world.baseURL, world.callers[caller], r.method, path, c.body?.(world), c.headers);
          if (answer.status !== c.expect[caller])
            wrong.push(
              `${caller}: ${answer.status} (expected ${c.expect[caller]}) ${path} ${answer.text.slice(0, 200)}`,
            );
          // Nothing of A reaches someone outside A, nor anyone who was refused.
          const outside = caller === "anonymous" || caller === "revokedKey" || caller === "outsider";
          if ((outside || c.expect[caller] >= 400) && answer.text.includes(CANARY))
            wrong.push(`${caller}: the answer to ${path} carries workspace A's data: ${answer.text.slice(0, 300)}`);
        }
      }
      expect(wrong, key).toEqual([]);
    });
  }
});

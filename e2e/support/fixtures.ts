import { test as base, type APIRequestContext } from "@playwright/test";
import { newPerson, setUpFirstAdmin, signedInApi, type Person } from "./people";
import { startStudio, type Studio } from "./studio";

/**
 * `studio`: one server per Playwright worker, set up with a first admin. Tests that need an
 * empty installation or a restart start their own with `startStudio()`.
 */
export const test = base.extend<{ adminApi: APIRequestContext }, { studio: Studio; admin: Person }>({
  studio: [
    async ({}, provide) => {
      const studio = await startStudio();
      await provide(studio);
      await studio.stop();
    },
    { scope: "worker", timeout: 90_000 },
  ],
  admin: [
    async ({ studio }, provide) => {
      const admin = newPerson("Admin");
      await setUpFirstAdmin(studio.url, admin);
      await provide(admin);
    },
    { scope: "worker" },
  ],
  baseURL: async ({ studio }, provide) => provide(studio.url),
  adminApi: async ({ studio, admin }, provide) => {
    const api = await signedInApi(studio.url, admin);
    await provide(api);
    await api.dispose();
  },
});

export { expect } from "@playwright/test";

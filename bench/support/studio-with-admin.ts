import type { APIRequestContext } from "@playwright/test";
import { newPerson, setUpFirstAdmin, signedInApi } from "../../e2e/support/people";
import { startStudio, type Studio } from "../../e2e/support/studio";

/** A fresh server with a first admin, signed in over the API; stopped after `work`. */
export async function withStudio<T>(
  work: (studio: Studio, api: APIRequestContext) => Promise<T>,
  env: Record<string, string> = {},
): Promise<T> {
  const studio = await startStudio(env);
  try {
    const api = await signedInApi(studio.url, await setUp(studio));
    try {
      return await work(studio, api);
    } finally {
      await api.dispose();
    }
  } finally {
    await studio.stop();
  }
}

async function setUp(studio: Studio) {
  const admin = newPerson("Bench");
  await setUpFirstAdmin(studio.url, admin);
  return admin;
}

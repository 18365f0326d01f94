import { expect, request, type APIRequestContext, type Page } from "@playwright/test";

export type Role = "ADMIN" | "BUILDER" | "REVIEWER";

export interface Person {
  name: string;
  email: string;
  password: string;
}

let counter = 0;
export function newPerson(prefix: string): Person {
  counter += 1;
  const tag = `${Date.now().toString(36)}${counter}`;
  return {
    name: `${prefix} ${tag}`,
    email: `${prefix.toLowerCase()}.${tag}@example.com`,
    password: `pw-${tag}-long-enough`,
  };
}

/** Creates the first admin through the API, as the setup form does. */
export async function setUpFirstAdmin(baseURL: string, admin: Person, workspaceName = "Acme"): Promise<void> {
  const ctx = await request.newContext({ baseURL });
  const res = await ctx.post("/api/setup", {
    data: { name: admin.name, email: admin.email, password: admin.password, workspaceName },
  });
  expect(res.status(), await res.text()).toBe(201);
  await ctx.dispose();
}

/** An API client signed in as this person (through next-auth's own credentials flow). */
export async function signedInApi(baseURL: string, person: Person): Promise<APIRequestContext> {
  const ctx = await request.newContext({ baseURL });
  const { csrfToken } = await (await ctx.get("/api/auth/csrf")).json();
  const res = await ctx.post("/api/auth/callback/credentials", {
    form: { csrfToken, email: person.email, password: person.password, json: "true" },
  });
  expect(res.ok(), `sign-in of ${person.email} failed: ${res.status()}`).toBeTruthy();
  const me = await ctx.get("/api/me");
  expect(me.status(), `${person.email} is not signed in after sign-in`).toBe(200);
  return ctx;
}

/** An admin adds a person with a password (what the Members page's "Create with password" does). */
export async function addMember(admin: APIRequestContext, role: Role, prefix = role.toLowerCase()): Promise<Person> {
  const person = newPerson(prefix);
  const res = await admin.post("/api/admin/members", { data: { ...person, role } });
  expect(res.status(), await res.text()).toBe(201);
  return person;
}

/**
 * An admin makes a second workspace (a team of the organization) with an admin and a builder of
 * its own, and goes back to the workspace they were in.
 */
export async function newTeam(
  admin: APIRequestContext,
  name: string,
): Promise<{ id: string; name: string; admin: Person; builder: Person }> {
  const made = await admin.post("/api/workspaces", { data: { name } });
  expect(made.status(), await made.text()).toBe(201);
  const { id } = (await made.json()) as { id: string };
  const { workspace: home } = await (await admin.get("/api/me")).json();
  await admin.put("/api/workspaces/current", { data: { workspaceId: id } });
  const prefix = name.split(" ")[0]!.toLowerCase();
  const people = { admin: await addMember(admin, "ADMIN", prefix), builder: await addMember(admin, "BUILDER") };
  await admin.put("/api/workspaces/current", { data: { workspaceId: home.id } });
  return { id, name, ...people };
}

/** Signs in through the sign-in page, as a person would. */
export async function signInThroughPage(page: Page, person: Pick<Person, "email" | "password">): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** Signs in through the sign-in page and waits for the home page to welcome them. */
export async function signInToHome(page: Page, person: Pick<Person, "email" | "password">): Promise<void> {
  await signInThroughPage(page, person);
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();
}

/** Opens the header's account menu (the person's name) and picks `item` ("Account", "API keys", "Organization", "Sign out"). */
export async function fromAccountMenu(page: Page, item: string): Promise<void> {
  await page.getByRole("button", { name: /account menu$/ }).click();
  await page
    .getByRole("menu", { name: "Account menu", exact: true })
    .getByRole("menuitem", { name: item, exact: true })
    .click();
}

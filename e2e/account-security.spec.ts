import { request, type APIRequestContext } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { addMember, newPerson, setUpFirstAdmin, signedInApi, signInToHome, type Person } from "./support/people";
import { createReviewWorkflow, runToReview } from "./support/reviews";
import { startStudio, type Studio } from "./support/studio";

/** A copy of a signed-in client's cookies, as someone who stole them would hold them. */
async function copyOf(api: APIRequestContext, baseURL: string): Promise<APIRequestContext> {
  return request.newContext({ baseURL, storageState: await api.storageState() });
}

async function signOut(api: APIRequestContext): Promise<void> {
  const { csrfToken } = await (await api.get("/api/auth/csrf")).json();
  const res = await api.post("/api/auth/signout", { form: { csrfToken, json: "true" } });
  expect(res.ok()).toBeTruthy();
}

async function failSignIn(baseURL: string, email: string, headers: Record<string, string> = {}): Promise<string> {
  const ctx = await request.newContext({ baseURL, extraHTTPHeaders: headers });
  const { csrfToken } = await (await ctx.get("/api/auth/csrf")).json();
  const res = await ctx.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password: "a-wrong-password-1", json: "true" },
  });
  const error = new URL((await res.json()).url).searchParams.get("error") ?? "";
  await ctx.dispose();
  return error;
}

/** Signs in with the right password; returns next-auth's error ("" when signed in). */
async function trySignIn(baseURL: string, person: Person, headers: Record<string, string> = {}): Promise<string> {
  const ctx = await request.newContext({ baseURL, extraHTTPHeaders: headers });
  const { csrfToken } = await (await ctx.get("/api/auth/csrf")).json();
  const res = await ctx.post("/api/auth/callback/credentials", {
    form: { csrfToken, email: person.email, password: person.password, json: "true" },
  });
  const error = new URL((await res.json()).url).searchParams.get("error") ?? "";
  await ctx.dispose();
  return error;
}

test.describe("sessions end everywhere at once", () => {
  test("signing out ends the session: a copied cookie stops working", async ({ studio, adminApi }) => {
    const builder = await addMember(adminApi, "BUILDER");
    const api = await signedInApi(studio.url, builder);
    const stolen = await copyOf(api, studio.url);
    expect((await stolen.get("/api/me")).status()).toBe(200);
    expect((await (await stolen.get("/api/auth/session")).json()).user.email).toBe(builder.email);

    await signOut(api);
    expect((await stolen.get("/api/me")).status()).toBe(401);
    expect(await (await stolen.get("/api/auth/session")).json()).toEqual({});
    // Signing in again makes a new session; the old cookie stays dead.
    const again = await signedInApi(studio.url, builder);
    expect((await again.get("/api/me")).status()).toBe(200);
    expect((await stolen.get("/api/me")).status()).toBe(401);
  });

  test("a password change ends every session of that person; the new password works, the old does not", async ({
    studio,
    adminApi,
  }) => {
    const builder = await addMember(adminApi, "BUILDER");
    const laptop = await signedInApi(studio.url, builder);
    const phone = await signedInApi(studio.url, builder);
    const stolen = await copyOf(laptop, studio.url);

    const changed = await laptop.post("/api/me/password", {
      data: { currentPassword: builder.password, newPassword: "tangerine submarine orchestra" },
    });
    expect(changed.status(), await changed.text()).toBe(200);
    for (const client of [laptop, phone, stolen]) expect((await client.get("/api/me")).status()).toBe(401);

    expect(await trySignIn(studio.url, builder)).toBe("Email or password is incorrect.");
    expect(await trySignIn(studio.url, { ...builder, password: "tangerine submarine orchestra" })).toBe("");
  });

  test("deactivation ends the member's sessions, and reactivating does not bring them back", async ({
    studio,
    adminApi,
  }) => {
    const builder = await addMember(adminApi, "BUILDER");
    const api = await signedInApi(studio.url, builder);
    const stolen = await copyOf(api, studio.url);
    const members = (await (await adminApi.get("/api/admin/members")).json()).members as {
      id: string;
      email: string;
    }[];
    const id = members.find((m) => m.email === builder.email)!.id;

    expect((await adminApi.patch(`/api/admin/members/${id}`, { data: { status: "DEACTIVATED" } })).status()).toBe(200);
    expect((await stolen.get("/api/me")).status()).toBe(401);
    expect((await adminApi.patch(`/api/admin/members/${id}`, { data: { status: "ACTIVE" } })).status()).toBe(200);
    expect((await stolen.get("/api/me")).status()).toBe(401);
    expect((await api.get("/api/me")).status()).toBe(401);
  });

  test("the admin of another workspace who adds and removes a person closes that workspace to them, but cannot sign them out of theirs", async ({
    studio,
    adminApi,
  }) => {
    const person = await addMember(adminApi, "BUILDER");
    const home = (await (await adminApi.get("/api/me")).json()).workspace.id as string;
    const api = await signedInApi(studio.url, person);
    // The admin's second workspace adds the same email (they are not told it has an account), then removes it.
    const second = await adminApi.post("/api/workspaces", { data: { name: `Other ${Date.now()}` } });
    const { id: other } = await second.json();
    expect((await adminApi.put("/api/workspaces/current", { data: { workspaceId: other } })).status()).toBe(200);
    const added = await adminApi.post("/api/admin/members", {
      data: { name: "Anyone", email: person.email, password: "a long and unusual passphrase 9", role: "BUILDER" },
    });
    expect(added.status()).toBe(201);
    const { id } = await added.json();
    expect((await adminApi.patch(`/api/admin/members/${id}`, { data: { status: "DEACTIVATED" } })).status()).toBe(200);
    // Before: every session of the person ended, in every workspace.
    const me = await api.get("/api/me");
    expect(me.status()).toBe(200);
    const { workspaces } = await me.json();
    expect(workspaces.map((w: { id: string }) => w.id)).toEqual([home]);
  });
});

test.describe("the sign-in limiter", () => {
  test("X-Forwarded-For is not believed without TRUSTED_PROXIES: rotating it does not get around a lock-out", async ({
    studio,
    adminApi,
  }) => {
    const builder = await addMember(adminApi, "BUILDER");
    for (let i = 0; i < 5; i += 1) {
      expect(await failSignIn(studio.url, builder.email, { "x-forwarded-for": `203.0.113.${i + 1}` })).toBe(
        "Email or password is incorrect.",
      );
    }
    expect(await trySignIn(studio.url, builder, { "x-forwarded-for": "203.0.113.99" })).toBe(
      "Too many failed sign-in attempts. Try again in 1 minute.",
    );
  });

  test("accepting an invitation with an existing account's password goes through the limiter: 12 wrong guesses, then the right one is refused", async ({
    studio,
    adminApi,
  }) => {
    const member = await addMember(adminApi, "BUILDER");
    // The admin's second workspace invites a member of the first.
    const second = await adminApi.post("/api/workspaces", { data: { name: `Second ${Date.now()}` } });
    expect(second.status()).toBe(201);
    const { id: workspaceId } = await second.json();
    expect((await adminApi.put("/api/workspaces/current", { data: { workspaceId } })).status()).toBe(200);
    const invited = await adminApi.post("/api/admin/invitations", {
      data: { name: member.name, email: member.email, role: "BUILDER" },
    });
    expect(invited.status()).toBe(201);
    const { token } = await invited.json();

    const anonymous = await request.newContext({ baseURL: studio.url });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i += 1) {
      const res = await anonymous.post("/api/invitations/accept", {
        data: { token, password: `guess-number-${i}-xyz` },
      });
      statuses.push(res.status());
    }
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429, 429, 429, 429, 429, 429, 429]);
    const right = await anonymous.post("/api/invitations/accept", { data: { token, password: member.password } });
    expect(right.status()).toBe(429);
    expect(right.headers()["retry-after"]).toMatch(/^\d+$/);
    expect((await right.json()).error.message).toMatch(/Too many failed sign-in attempts/);
    await anonymous.dispose();
  });
});

test.describe("one address trying many emails", () => {
  let studio: Studio;
  const admin = newPerson("Admin");
  test.beforeAll(async () => {
    // One free failure per (address, email), so ten per address.
    studio = await startStudio({ SIGNIN_MAX_FAILURES: "1" });
    await setUpFirstAdmin(studio.url, admin);
  });
  test.afterAll(async () => studio?.stop());

  test("is locked out for every email, however it rotates X-Forwarded-For", async () => {
    const person = await addMember(await signedInApi(studio.url, admin), "BUILDER");
    for (let i = 0; i < 10; i += 1) {
      await failSignIn(studio.url, `guess${i}@example.com`, { "x-forwarded-for": `203.0.113.${i + 1}` });
    }
    expect(await trySignIn(studio.url, person, { "x-forwarded-for": "203.0.113.77" })).toMatch(
      /Too many failed sign-in attempts/,
    );
  });
});

test.describe("behind a trusted proxy", () => {
  let proxied: Studio;
  const admin = newPerson("Admin");
  test.beforeAll(async () => {
    proxied = await startStudio({ TRUSTED_PROXIES: "loopback" });
    await setUpFirstAdmin(proxied.url, admin);
  });
  test.afterAll(async () => proxied?.stop());

  test("the address is the proxy's X-Forwarded-For; a lock-out from one address does not affect another", async () => {
    const api = await signedInApi(proxied.url, admin);
    const person = await addMember(api, "BUILDER");
    const attacker = { "x-forwarded-for": "203.0.113.50" };
    for (let i = 0; i < 5; i += 1) await failSignIn(proxied.url, person.email, attacker);
    expect(await trySignIn(proxied.url, person, attacker)).toMatch(/Too many failed sign-in attempts/);
    // The person, from their own address, signs in.
    expect(await trySignIn(proxied.url, person, { "x-forwarded-for": "198.51.100.20" })).toBe("");
    // A client's own X-Forwarded-For is to the left of the proxy's: it chooses nothing.
    expect(await trySignIn(proxied.url, person, { "x-forwarded-for": "198.51.100.21, 203.0.113.50" })).toMatch(
      /Too many failed sign-in attempts/,
    );
  });

  test("an address trying invitation links is refused at once for a wrong one, then locked out; another address is not", async () => {
    // A wrong link used to cost a password hash (32 MiB, ~100 ms) before it was refused, with no limit.
    // Wrong links count against the address alone: 50 (ten times a pair's five), then a lock-out.
    const anonymous = await request.newContext({ baseURL: proxied.url });
    const accept = (i: number, address: string) =>
      anonymous.post("/api/invitations/accept", {
        data: { token: `not-a-real-link-${i}-${"x".repeat(20)}`, password: "a long and unusual passphrase 7" },
        headers: { "x-forwarded-for": address },
      });
    const statuses: number[] = [];
    for (let i = 0; i < 52; i += 1) statuses.push((await accept(i, "203.0.113.61")).status());
    expect(statuses).toEqual([...Array<number>(50).fill(404), 429, 429]);
    const locked = await accept(52, "203.0.113.61");
    expect(locked.headers()["retry-after"]).toMatch(/^\d+$/);
    expect((await accept(53, "198.51.100.61")).status()).toBe(404);
    await anonymous.dispose();
  });
});

test.describe("passwords", () => {
  test("a person changing their password sees why a weak one is refused, then changes it", async ({
    page,
    adminApi,
  }) => {
    test.slow(); // three strength checks and two scrypt hashes on a shared machine
    const builder = await addMember(adminApi, "BUILDER");
    await signInToHome(page, builder);
    await page.goto("/settings/account");
    const form = page.getByTestId("change-password-form");
    await form.getByLabel("Current password").fill(builder.password);
    await form.getByLabel("New password").fill("aaaaaaaaaa");
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(form.getByText('Repeated characters like "aaa" are easy to guess.')).toBeVisible();
    await page.screenshot({ path: "test-results/screens/weak-password.png" });

    await form.getByLabel("New password").fill("password1234");
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(form.getByText(/commonly used password/i)).toBeVisible();

    await form.getByLabel("New password").fill("lantern quietly juggles nine plums");
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(form.getByText("Password changed. Your other sessions were signed out.")).toBeVisible();
    // This browser signed in again with the new password and carries on.
    await page.goto("/");
    await expect(page.getByRole("heading", { name: `Welcome, ${builder.name}` })).toBeVisible();
  });

  test("an admin creating a member with a weak password is told why", async ({ adminApi }) => {
    const res = await adminApi.post("/api/admin/members", {
      data: { ...newPerson("weak"), password: "qwertyuiop", role: "BUILDER" },
    });
    expect(res.status()).toBe(400);
    const { error } = await res.json();
    expect(error.fields[0].path).toBe("body.password");
    expect(error.fields[0].message).toMatch(/keyboard|common/i);
  });
});

test("a new person accepting an invitation with a weak password is told why, and joins with a strong one", async ({
  studio,
  adminApi,
}) => {
  const person = newPerson("invitee");
  const invited = await adminApi.post("/api/admin/invitations", {
    data: { name: person.name, email: person.email, role: "REVIEWER" },
  });
  const { token } = await invited.json();
  const anonymous = await request.newContext({ baseURL: studio.url });
  const weak = await anonymous.post("/api/invitations/accept", { data: { token, password: "password1234" } });
  expect(weak.status()).toBe(400);
  const { error } = await weak.json();
  expect(error.fields).toEqual([{ path: "body.password", message: expect.stringMatching(/commonly used password/i) }]);
  const strong = await anonymous.post("/api/invitations/accept", { data: { token, password: person.password } });
  expect(strong.status()).toBe(200);
  await anonymous.dispose();
});

test("adding a person tells a workspace admin nothing about accounts in other workspaces", async ({
  studio,
  adminApi,
}) => {
  // Someone with an account in another workspace of this installation.
  const other = newPerson("elsewhere");
  const second = await adminApi.post("/api/workspaces", { data: { name: `Elsewhere ${Date.now()}` } });
  const { id: secondId } = await second.json();
  const elsewhereAdmin = await request.newContext({ baseURL: studio.url, storageState: await adminApi.storageState() });
  await elsewhereAdmin.put("/api/workspaces/current", { data: { workspaceId: secondId } });
  expect((await elsewhereAdmin.post("/api/admin/members", { data: { ...other, role: "BUILDER" } })).status()).toBe(201);
  // They use their account there: it has a last sign-in. And they are an installation owner.
  expect(await trySignIn(studio.url, other)).toBe("");
  const { members: there } = (await (await elsewhereAdmin.get("/api/admin/members")).json()) as {
    members: { email: string; userId: string }[];
  };
  const otherId = there.find((m) => m.email === other.email)!.userId;
  const naming = (owner: boolean) =>
    elsewhereAdmin.put(`/api/admin/installation-owners/${otherId}`, { data: { owner } });
  expect((await naming(true)).status()).toBe(200);
  const owners = async () =>
    ((await (await adminApi.get("/api/admin/installation-owners")).json()) as { ownerUserIds: string[] }).ownerUserIds;

  // The admin of the first workspace adds them, and someone with no account, the same way.
  const me = (await (await adminApi.get("/api/me")).json()) as { workspaces: { id: string; name: string }[] };
  const first = me.workspaces.find((w) => w.id !== secondId)!;
  await adminApi.put("/api/workspaces/current", { data: { workspaceId: first.id } });
  const nobody = newPerson("nobody");
  const answers = [];
  for (const person of [
    { ...other, name: "Typed Name" },
    { ...nobody, name: "Typed Name" },
  ]) {
    const res = await adminApi.post("/api/admin/members", { data: { ...person, role: "REVIEWER" } });
    const body = await res.json();
    answers.push({
      status: res.status(),
      keys: Object.keys(body).sort(),
      name: body.name,
      lastSignInAt: body.lastSignInAt,
    });
  }
  expect(answers[0]).toEqual(answers[1]);
  expect(answers[0]!.status).toBe(201);

  // Nor does the workspace afterwards, until they come: the members list and the reviewers a
  // review can be handed to show both as typed, neither with a last sign-in.
  const shown = async () => {
    const { members } = (await (await adminApi.get("/api/admin/members")).json()) as {
      members: { email: string; name: string; lastSignInAt: string | null }[];
    };
    return [other, nobody].map((p) => members.find((m) => m.email === p.email));
  };
  const [otherRow, nobodyRow] = await shown();
  expect({ name: otherRow?.name, lastSignInAt: otherRow?.lastSignInAt }).toEqual({
    name: "Typed Name",
    lastSignInAt: null,
  });
  expect({ name: nobodyRow?.name, lastSignInAt: nobodyRow?.lastSignInAt }).toEqual({
    name: "Typed Name",
    lastSignInAt: null,
  });
  const workflowId = await createReviewWorkflow(adminApi, `Hand over ${Date.now()}`, {});
  const { reviewId } = await runToReview(adminApi, workflowId);
  const review = (await (await adminApi.get(`/api/reviews/${reviewId}`)).json()) as {
    handTo: { email: string; name: string }[];
  };
  const handTo = (p: Person) => review.handTo.find((m) => m.email === p.email)?.name;
  expect([handTo(other), handTo(nobody)]).toEqual(["Typed Name", "Typed Name"]);
  // Nor as an installation owner.
  expect(await owners()).not.toContain(otherId);

  // The existing account keeps its own password; once they sign in, they are themselves here.
  expect(await trySignIn(studio.url, other)).toBe("");
  const [joined] = await shown();
  expect(joined?.name).toBe(other.name);
  expect(joined?.lastSignInAt).not.toBeNull();
  expect(await owners()).toContain(otherId);
  expect((await naming(false)).status()).toBe(200);
  await elsewhereAdmin.dispose();
});

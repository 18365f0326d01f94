import { afterAll, beforeAll, expect, it } from "vitest";
import { pointAtScratchDatabase, seedWorkspace } from "../support/process-database";

/**
 * A person's id, which the members list shows admins, does not say when their account was made.
 * Before, ids were time-ordered (cuid v1: a timestamp first), so an admin who added an email
 * that already had an account on the installation could tell from the answer's id that it was
 * an older account, which the members service otherwise keeps from them. Accounts made before
 * this change keep their time-ordered ids (ids are referred to across tables and settings).
 */
let scratch: Awaited<ReturnType<typeof pointAtScratchDatabase>>;
beforeAll(async () => {
  scratch = await pointAtScratchDatabase("memberids");
});
afterAll(() => scratch.done());

it("gives people ids with no time in them: five made in a row share no prefix", async () => {
  const { db } = await import("../../lib/db/client");
  const { createMember } = await import("../../lib/workspaces/members");
  const [admin] = await seedWorkspace(await db(), "ids", [{ email: "admin@example.com", role: "ADMIN" }]);
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    const member = await createMember(
      { workspaceId: admin.workspace.id, userId: admin.user.id },
      {
        email: `person${i}@example.com`,
        name: `Person ${i}`,
        role: "BUILDER",
        password: "correct horse battery staple 9",
      },
    );
    ids.push(member.userId);
  }
  // Time-ordered ids made within a second share their first characters (the time's high digits).
  expect(new Set(ids.map((id) => id.slice(0, 4))).size).toBeGreaterThan(1);
});

import "server-only";
import { db } from "../db/client";

/** True on an empty installation: nobody has an account yet (the first visit creates the first admin). */
export async function needsSetup(): Promise<boolean> {
  const prisma = await db();
  return (await prisma.user.count()) === 0;
}

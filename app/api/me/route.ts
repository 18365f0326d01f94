import { route } from "@/lib/api/route";

/** The signed-in person, their workspaces and their role in the current one. */
export const GET = route({ permission: "member" }, async ({ ctx }) => ctx);

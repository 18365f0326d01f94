import { z } from "zod";
import { route } from "@/lib/api/route";
import { testProvider } from "@/lib/gateway/admin";

/** "Test connection" of one of the organization's providers (installation owners). */
export const POST = route(
  { permission: "member", params: z.object({ id: z.string().min(1).max(64) }) },
  async ({ ctx, params }) => testProvider(ctx, params.id, "organization"),
);

import { z } from "zod";
import { route } from "@/lib/api/route";
import { testProvider } from "@/lib/gateway/admin";

/** "Test connection": asks the provider for its models with the stored key. */
export const POST = route(
  { permission: "workspace:admin", params: z.object({ id: z.string().min(1).max(64) }) },
  async ({ ctx, params }) => testProvider(ctx, params.id),
);

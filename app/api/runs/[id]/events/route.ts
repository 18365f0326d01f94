import { z } from "zod";
import { route } from "@/lib/api/route";
import { sse } from "@/lib/api/sse";
import { runEventStream } from "@/lib/runs/run-event-stream";

export const dynamic = "force-dynamic";

/** Server-Sent Events of a run, replayed after Last-Event-ID (or ?after=), then live; 404 (before the stream opens) for a run not in this workspace. */
export const GET = route(
  {
    permission: "workflows:read",
    apiKey: true,
    params: z.object({ id: z.string().min(1).max(64) }),
    query: z.object({ after: z.coerce.number().int().min(0).optional() }),
  },
  async ({ ctx, params, query, request }) =>
    sse(
      await runEventStream(
        ctx.workspace.id,
        params.id,
        Number(request.headers.get("last-event-id") ?? query.after ?? 0) || 0,
        request.signal,
      ),
    ),
);

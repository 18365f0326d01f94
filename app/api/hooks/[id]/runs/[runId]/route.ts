import { z } from "zod";
import { publicRoute } from "@/lib/api/route";
import { webhookRunStatus } from "@/lib/triggers/webhook";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.string().min(1).max(64), runId: z.string().min(1).max(64) });

/** The status URL of a run a webhook started: its status, and its output or error once it ended. */
export const GET = publicRoute({ params }, async ({ params, request }) =>
  webhookRunStatus(params.id, params.runId, request.headers),
);

import { z } from "zod";
import { publicRoute } from "@/lib/api/route";
import { addressKey, clientAddress } from "@/lib/auth/client-address";
import { currentViewer } from "@/lib/auth/session";
import { submitForm } from "@/lib/triggers/forms";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.string().min(1).max(64) });
const body = z.object({ input: z.record(z.string(), z.unknown()).default({}) });

/**
 * A hosted form's submission: the Start fields in `input` (400 naming a wrong one), a run
 * started, and its output, or a thank-you when it takes longer than the form waits. A public
 * form takes anyone; a members' form the workspace's signed-in members (401 signed out).
 */
const addressOf = (headers: Headers) => {
  const address = clientAddress(headers);
  return address ? addressKey(address) : null;
};

export const POST = publicRoute({ params, body }, async ({ params, body, request }) =>
  submitForm(params.id, await currentViewer(), body.input, request.signal, addressOf(request.headers)),
);

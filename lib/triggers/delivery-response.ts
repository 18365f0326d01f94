import type { NextRequest } from "next/server";
import "server-only";
import { json } from "../api/route";
import { readBodyOf } from "../api/read-body";
import { AppError } from "../errors/app-error";
import { deliver, MAX_WEBHOOK_BODY_BYTES } from "./webhook";

/** One delivery to a webhook's URL (the production one or the test one), answered as lib/triggers says. */
export async function deliveryResponse(request: NextRequest, triggerId: string, test: boolean): Promise<Response> {
  if (Number(request.headers.get("content-length") ?? 0) > MAX_WEBHOOK_BODY_BYTES)
    throw new AppError(
      "payload_too_large",
      `body: larger than the ${MAX_WEBHOOK_BODY_BYTES / 1_000_000} MB a webhook accepts.`,
    );
  const body = readBodyOf(request) ?? (await request.text());
  const answer = await deliver({ triggerId, test, headers: request.headers, body, signal: request.signal });
  return json(answer.body, answer.status, answer.headers);
}

import { createHmac } from "node:crypto";

/**
 * The webhook signature, as Stripe signs its own: `t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<body>">`. The timestamp is signed with the body, so a receiver that refuses old
 * timestamps (docs/webhooks.md: older than 5 minutes) cannot be fed a recorded delivery
 * again. Each attempt of a retried delivery is signed at the moment it is sent.
 */
export const SIGNATURE_HEADER = "x-flowdeck-signature";

export function signWebhook(secret: string, body: string, at: Date = new Date()): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${createHmac("sha256", secret).update(`${t}.${body}`).digest("hex")}`;
}

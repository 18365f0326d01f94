import { readFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";

/**
 * Webhook signatures stop replays (issue #15, item 13): a real delivery (postWebhook, to an
 * HTTP server on loopback) verifies with the code that docs/webhooks.md documents, run here
 * exactly as written there; the same delivery replayed more than 5 minutes later, or with its
 * body changed, is refused by it.
 */
type Verify = (secret: string, header: string | undefined, rawBody: string, now?: number) => boolean;
const SECRET = "whsec-test-signing-secret";
/** The receiver is on loopback: a workspace's HTTP destination must allow it (see the last test). */
const LOOPBACK_ALLOWED = [{ pattern: "127.0.0.1", allowPrivate: true, requireApproval: false }];
let verify: Verify;
let folder: string;
let server: Server;
let url: string;
const received: { headers: Record<string, string | string[] | undefined>; raw: string; at: number }[] = [];
let notify: typeof import("../../lib/review/notify");
let seal: typeof import("../../lib/crypto/secret-box").seal;

beforeAll(async () => {
  process.env.FLOWDECK_SECRET ??= "w".repeat(40);
  process.env.LOG_LEVEL = "silent";
  // The documented sample, verbatim: the first js block after the marker.
  const doc = readFileSync("docs/webhooks.md", "utf8");
  const sample = /<!-- verify-webhook[^>]*-->\s*```js\n([\s\S]*?)```/.exec(doc)?.[1];
  expect(sample, "docs/webhooks.md has no verification sample after its marker").toBeTruthy();
  folder = mkdtempSync(path.join(tmpdir(), "flowdeck-verify-"));
  writeFileSync(path.join(folder, "verify.mjs"), sample!);
  verify = (await import(/* @vite-ignore */ pathToFileURL(path.join(folder, "verify.mjs")).href))
    .verifyFlowdeckSignature as Verify;

  server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      received.push({ headers: req.headers, raw, at: Date.now() });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  notify = await import("../../lib/review/notify");
  seal = (await import("../../lib/crypto/secret-box")).seal;
});
afterAll(() => {
  server?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

it("signs a delivery so that the documented code verifies it, and refuses it replayed 5 minutes later", async () => {
  const body = JSON.stringify({ event: "review.created", review: { id: "r1", title: "Check the seals" } });
  const stored = { webhookUrl: seal(url, notify.settingsKey()), webhookSecret: seal(SECRET, notify.settingsKey()) };
  const res = await notify.postWebhook(stored, "review.created", body, LOOPBACK_ALLOWED);
  expect(res.status).toBe(204);

  const delivery = received.at(-1)!;
  const header = delivery.headers["x-flowdeck-signature"] as string;
  expect(header).toMatch(/^t=\d{10},v1=[0-9a-f]{64}$/);
  expect(delivery.raw).toBe(body);
  expect(verify(SECRET, header, delivery.raw, delivery.at)).toBe(true);

  // A recorder replays it: within 5 minutes the signature still holds; after, it is refused.
  expect(verify(SECRET, header, delivery.raw, delivery.at + 4 * 60_000)).toBe(true);
  expect(verify(SECRET, header, delivery.raw, delivery.at + 5 * 60_000 + 2_000)).toBe(false);
  // Nor can the recorder move the timestamp forward, change the body, or guess the secret.
  const t = Number(/t=(\d+)/.exec(header)![1]);
  expect(verify(SECRET, header.replace(`t=${t}`, `t=${t + 600}`), delivery.raw, delivery.at + 600_000)).toBe(false);
  expect(verify(SECRET, header, delivery.raw.replace("r1", "r2"), delivery.at)).toBe(false);
  expect(verify("another-secret", header, delivery.raw, delivery.at)).toBe(false);
  expect(verify(SECRET, undefined, delivery.raw, delivery.at)).toBe(false);
});

it("signs each attempt at its own time, so a retried delivery is fresh", async () => {
  const body = JSON.stringify({ event: "test" });
  const stored = { webhookUrl: seal(url, notify.settingsKey()), webhookSecret: seal(SECRET, notify.settingsKey()) };
  const { signWebhook } = await import("../../lib/review/webhook-signature");
  const old = signWebhook(SECRET, body, new Date(Date.now() - 10 * 60_000));
  expect(verify(SECRET, old, body)).toBe(false);
  await notify.postWebhook(stored, "test", body, LOOPBACK_ALLOWED);
  const delivery = received.at(-1)!;
  expect(verify(SECRET, delivery.headers["x-flowdeck-signature"] as string, delivery.raw)).toBe(true);
});

it("refuses a webhook on a private or loopback address that no HTTP destination allows, before sending anything", async () => {
  const body = JSON.stringify({ event: "test" });
  const before = received.length;
  const port = new URL(url).port;
  for (const [target, rules, reason] of [
    [url, [], "private-address"], // an IP literal, no rule
    [url, [{ pattern: "127.0.0.1", allowPrivate: false, requireApproval: false }], "private-address"], // a rule that keeps private out
    [`http://localhost:${port}/hook`, [], "no-public-address"], // a name that resolves to loopback
    [`http://nothing-here.invalid:${port}/hook`, [], "no-public-address"], // a name with no address, refused alike
    ["http://169.254.169.254/latest/meta-data/", [], "private-address"], // a cloud's metadata service
  ] as const) {
    const stored = { webhookUrl: seal(target, notify.settingsKey()), webhookSecret: null };
    const refused = await notify.postWebhook(stored, "test", body, [...rules]).then(
      () => null,
      (error: Error) => (error.cause instanceof Error ? error.cause : error),
    );
    expect(refused, target).toMatchObject({ name: "EgressRefused", reason });
    expect(refused!.message).toContain("HTTP destinations");
  }
  expect(received.length).toBe(before);
});

import { describe, expect, it } from "vitest";
import { auditActionText, auditDetails } from "./audit-log";

describe("the audit log's words", () => {
  it("says a known action in words, an unknown one by its name", () => {
    expect(auditActionText("http.destination.add")).toBe("allowed an HTTP destination");
    expect(auditActionText("something.new")).toBe("did “something.new”");
  });
  it("shows a change as before → after, what was kept or removed as it was", () => {
    expect(auditDetails({ role: "BUILDER", name: "Rita" }, { role: "ADMIN", name: "Rita" })).toEqual([
      "role: BUILDER → ADMIN",
      "name: Rita",
    ]);
    expect(auditDetails({ pattern: "api.example.com" }, null)).toEqual(["pattern: api.example.com"]);
    expect(auditDetails(null, { allowPrivate: false, hosts: ["a", "b"] })).toEqual([
      "allowPrivate: false",
      'hosts: ["a","b"]',
    ]);
  });
  it("never shows a field that could hold a secret, at any depth, and cuts long values", () => {
    expect(auditDetails(null, { apiKey: "sk-123", token: "t", keyChanged: true, maxOutputTokens: 1000 })).toEqual([
      "apiKey: [hidden]",
      "token: [hidden]",
      "keyChanged: true",
      "maxOutputTokens: 1000",
    ]);
    expect(auditDetails(null, { config: { mode: "sync", webhookSecret: "whsec_1" }, secret: "removed" })).toEqual([
      'config: {"mode":"sync","webhookSecret":"[hidden]"}',
      "secret: removed",
    ]);
    // A URL's query and a command's arguments may carry a token: left out, counted.
    expect(
      auditDetails(null, { baseUrl: "https://u:p@llm.example.com/v1?key=abc", args: ["--token=abc", "serve"] }),
    ).toEqual(["baseUrl: https://llm.example.com/v1?…", "args: 2 arguments"]);
    expect(auditDetails(null, { url: "x".repeat(300) })[0]).toHaveLength("url: ".length + 201);
  });
});

it("has words for every action the studio records", async () => {
  const { readFileSync, readdirSync } = await import("node:fs");
  const path = await import("node:path");
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory()
        ? e.name === "generated"
          ? []
          : files(path.join(dir, e.name))
        : e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")
          ? [path.join(dir, e.name)]
          : [],
    );
  const recorded = new Set<string>();
  for (const file of files("lib")) {
    const text = readFileSync(file, "utf8");
    if (!text.includes("recordAudit(")) continue;
    for (const m of text.matchAll(/action: (?:[^,\n]*\? )?"([a-z_.:-]+)"(?: : "([a-z_.:-]+)")?/g))
      for (const action of [m[1], m[2]]) if (action) recorded.add(action);
  }
  // Written from a variable: review assignments (lib/review/assign.ts), the organization's spend settings.
  for (const action of [
    "review.claim",
    "review.release",
    "review.assign",
    "organization.budget",
    "organization.limits",
  ])
    recorded.add(action);
  expect(recorded.size).toBeGreaterThan(40);
  expect([...recorded].filter((a) => auditActionText(a).startsWith("did "))).toEqual([]);
});

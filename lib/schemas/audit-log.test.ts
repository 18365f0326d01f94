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
  it("never shows a field that could hold a secret, and cuts long values", () => {
    expect(auditDetails(null, { apiKey: "sk-123", token: "t", keyChanged: true })).toEqual([
      "apiKey: [hidden]",
      "token: [hidden]",
      "keyChanged: true",
    ]);
    expect(auditDetails(null, { url: "x".repeat(300) })[0]).toHaveLength("url: ".length + 201);
  });
});

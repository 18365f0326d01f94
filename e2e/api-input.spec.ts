import { expect, test } from "./support/fixtures";

test.describe("bad input to an API route", () => {
  test("malformed JSON gets 400 saying the body is not valid JSON", async ({ adminApi }) => {
    const res = await adminApi.post("/api/workflows", {
      headers: { "content-type": "application/json" },
      data: Buffer.from("{ name: oops"),
    });
    expect(res.status()).toBe(400);
    const { error } = await res.json();
    expect(error.code).toBe("bad_request");
    expect(error.message).toMatch(/^body: not valid JSON/);
  });

  test("a wrong type gets 400 naming the field", async ({ adminApi }) => {
    const res = await adminApi.post("/api/workflows", { data: { name: 42 } });
    expect(res.status()).toBe(400);
    const { error } = await res.json();
    expect(error.fields).toEqual([expect.objectContaining({ path: "body.name" })]);
    expect(error.message).toMatch(/^body\.name: /);

    const nested = await adminApi.post("/api/workflows", {
      data: { name: "x", graph: { nodes: [{ id: "1bad", kind: "agent" }], edges: [] } },
    });
    expect(nested.status()).toBe(400);
    expect((await nested.json()).error.fields.map((f: { path: string }) => f.path)).toContain("body.graph.nodes.0.id");
  });

  test("an oversize body is refused with 413 before it is parsed", async ({ adminApi }) => {
    const res = await adminApi.post("/api/workflows", { data: { name: "big", description: "x".repeat(1_100_000) } });
    expect(res.status()).toBe(413);
    expect((await res.json()).error.message).toMatch(/larger than the 1000 kB/);
  });

  test("a body that is not JSON gets 415, and nothing is created", async ({ adminApi }) => {
    const before = (await (await adminApi.get("/api/workflows")).json()).workflows.length;
    const res = await adminApi.post("/api/workflows", {
      headers: { "content-type": "text/plain" },
      data: "name=plain",
    });
    expect(res.status()).toBe(415);
    expect((await (await adminApi.get("/api/workflows")).json()).workflows.length).toBe(before);
  });

  test("a request without a session gets 401, and a cross-site request 403", async ({
    playwright,
    studio,
    adminApi,
  }) => {
    const anonymous = await playwright.request.newContext({ baseURL: studio.url });
    const res = await anonymous.get("/api/workflows");
    expect(res.status()).toBe(401);
    expect((await res.json()).error).toEqual({ code: "unauthorized", message: "Sign in to continue." });
    await anonymous.dispose();

    const cross = await adminApi.post("/api/workflows", {
      headers: { origin: "https://evil.example" },
      data: { name: "csrf" },
    });
    expect(cross.status()).toBe(403);
  });
});

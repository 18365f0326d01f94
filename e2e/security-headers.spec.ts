import { request } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { signInToHome } from "./support/people";

test.describe("security headers", () => {
  test("every page and API response carries the CSP, nosniff and a referrer policy; HSTS and Secure cookies only behind https", async ({
    studio,
    adminApi,
  }) => {
    const anonymous = await request.newContext({ baseURL: studio.url });
    const nonces = new Set<string>();
    for (const path of ["/signin", "/api/health", "/api/me"]) {
      const res = await anonymous.get(path, { maxRedirects: 0 });
      const headers = res.headers();
      expect(headers["content-security-policy"], path).toContain("frame-ancestors 'none'");
      expect(headers["content-security-policy"], path).toMatch(/script-src 'self' 'nonce-[\w+/=]+' 'strict-dynamic'/);
      expect(headers["content-security-policy"], path).not.toContain("unsafe-eval");
      nonces.add(/'nonce-([^']+)'/.exec(headers["content-security-policy"]!)![1]!);
      expect(headers["x-content-type-options"], path).toBe("nosniff");
      expect(headers["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
      expect(headers["strict-transport-security"], path).toBeUndefined();
      expect(headers["x-frame-options"], path).toBe("DENY");
    }
    expect(nonces.size).toBe(3);
    // A chat's embed page is the one page other sites may frame (it shows only a public chat that allows it).
    const embed = await anonymous.get("/c/not-a-chat/embed");
    expect(embed.headers()["content-security-policy"]).toContain("frame-ancestors *");
    expect(embed.headers()["x-frame-options"]).toBeUndefined();
    expect(await embed.text()).toContain("This chat is not available");
    const behindHttps = await anonymous.get("/api/health", { headers: { "x-forwarded-proto": "https" } });
    expect(behindHttps.headers()["strict-transport-security"]).toMatch(/max-age=\d+/);
    // An integration's call taken by the fast lane (not Next.js's router) carries the same.
    const { key, id: keyId } = (await (await adminApi.post("/api/api-keys", { data: { name: "headers" } })).json()) as {
      key: string;
      id: string;
    };
    for (const https of [false, true]) {
      const lane = await anonymous.get("/api/gateway/v1/models", {
        headers: { authorization: `Bearer ${key}`, ...(https && { "x-forwarded-proto": "https" }) },
      });
      const headers = lane.headers();
      expect(lane.status()).toBe(200);
      expect(headers["x-flowdeck-lane"]).toBe("fast");
      // An API answer loads nothing: the strictest policy, with no nonce to make per request.
      expect(headers["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(headers["x-content-type-options"]).toBe("nosniff");
      expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
      expect(headers["x-frame-options"]).toBe("DENY");
      if (https) expect(headers["strict-transport-security"]).toMatch(/max-age=\d+/);
      else expect(headers["strict-transport-security"]).toBeUndefined();
      // Each header once, the body's length declared, and the body whole.
      const names = lane.headersArray().map((h) => h.name.toLowerCase());
      expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
      expect(headers["content-type"]).toBe("application/json");
      expect(Number(headers["content-length"])).toBe((await lane.body()).length);
      expect(((await lane.json()) as { object: string }).object).toBe("list");
    }
    // A malformed bearer header is not the lane's: the route answers it (401), never a 500.
    expect((await anonymous.get("/api/gateway/v1/models", { headers: { authorization: "Bearer " } })).status()).toBe(
      401,
    );
    // The lane caps a body as Next.js does (10 MB), streamed or not, before reading it whole.
    const huge = await anonymous.post("/api/gateway/v1/chat/completions", {
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      data: Buffer.alloc(11_000_000, 32),
    });
    expect(huge.status()).toBe(413);
    // The body the lane read is the one route() checks: each fault answered with a 4xx naming it.
    const door = (data: string | Buffer, type = "application/json") =>
      anonymous.post("/api/gateway/v1/chat/completions", {
        headers: { authorization: `Bearer ${key}`, "content-type": type },
        data: Buffer.from(data), // as sent: a string would be sent JSON-encoded
      });
    const faults: [string | Buffer, string, number, RegExp][] = [
      [
        '{"model":"demo","messages":[{"role":"user","content":"a\\u0000b"}]}',
        "application/json",
        400,
        /body\.messages\.0\.content: contains a NUL/,
      ],
      ['{"model":"demo",', "application/json", 400, /body: not valid JSON/],
      ["", "application/json", 400, /body: the request body is empty/],
      ['{"model":"demo","messages":[]}', "application/json", 400, /body\.messages: Send at least one message/],
      ['{"model":"demo"}', "text/plain", 415, /Content-Type: application\/json/],
      [Buffer.alloc(5_000_000, 32), "application/json", 413, /body: larger than the 4000 kB/],
    ];
    // A well-formed body of many-byte characters is read whole and answered.
    const fine = await door(
      '{"model":"demo","messages":[{"role":"user","content":"Plan a picnic in Zürich — 東京 🌸"}]}',
    );
    expect(fine.status()).toBe(200);
    expect(fine.headers()["x-flowdeck-lane"]).toBe("fast");
    expect((await fine.json()).choices[0].message.content).toContain("[Simulated demo model]");
    for (const [data, type, status, message] of faults) {
      const res = await door(data, type);
      expect(res.status(), String(data).slice(0, 60)).toBe(status);
      expect(res.headers()["x-flowdeck-lane"]).toBe("fast");
      expect((await res.json()).error.message).toMatch(message);
    }
    expect((await anonymous.get("/api/health")).status()).toBe(200);
    // The worker's admin is shared with other files (one of them counts its keys): leave none behind.
    expect((await adminApi.delete(`/api/api-keys/${keyId}`)).status()).toBe(200);
    await anonymous.dispose();

    const me = (await (await adminApi.get("/api/me")).json()) as { workspace: { id: string } };
    const plain = await adminApi.put("/api/workspaces/current", { data: { workspaceId: me.workspace.id } });
    expect(plain.headers()["set-cookie"]).toContain("flowdeck-workspace=");
    expect(plain.headers()["set-cookie"]).not.toMatch(/;\s*Secure/i);
    const secure = await adminApi.put("/api/workspaces/current", {
      data: { workspaceId: me.workspace.id },
      headers: { "x-forwarded-proto": "https" },
    });
    expect(secure.headers()["set-cookie"]).toMatch(/flowdeck-workspace=[^;]+;.*Secure/i);
  });

  test("the studio works in Chromium under the CSP, with no violation on any page; an injected inline handler is refused", async ({
    page,
    admin,
  }) => {
    const problems: string[] = [];
    page.on("console", (m) => {
      if (/Content.Security.Policy|Refused to/i.test(m.text())) problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(String(e)));
    await page.addInitScript(() => {
      const w = window as unknown as { __violations: string[] };
      w.__violations = [];
      document.addEventListener("securitypolicyviolation", (e) =>
        w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`),
      );
    });
    test.slow(); // six pages, the editor among them
    const violations = () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);

    await signInToHome(page, admin);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Workflows" }).click();
    const demo = page.getByTestId("workflow-row").filter({ hasText: "Demo: research brief with approval" });
    await demo.getByRole("link").first().click();
    await expect(page.getByTestId("workflow-editor")).toBeVisible();
    await expect(page.locator(".react-flow__node").first()).toBeVisible();
    expect(await violations()).toEqual([]);
    for (const path of ["/inbox", "/dashboard", "/admin/members", "/admin/models", "/settings/account"]) {
      await page.goto(path);
      await expect(page.getByRole("heading").first()).toBeVisible();
      expect(await violations(), path).toEqual([]);
    }
    expect(problems).toEqual([]);

    // The check can fail: markup an attacker slipped in does not run its inline handler, and is reported.
    await page.evaluate(() => {
      const holder = document.createElement("div");
      holder.innerHTML = '<img src="data:," alt="" onload="window.__injected = true">';
      document.body.appendChild(holder);
    });
    await expect.poll(violations).toEqual([expect.stringMatching(/^script-src/)]);
    expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
  });
});

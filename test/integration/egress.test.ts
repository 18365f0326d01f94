import { describe, expect, it } from "vitest";
import { EgressRefused } from "../../lib/egress/policy";
import { a, b, failure, heard, heardBy, rules, send, startEgressServers } from "../support/egress-servers";

/**
 * The HTTP egress door (lib/egress) against two real HTTP servers on loopback
 * (test/support/egress-servers.ts): what it sends, refuses and follows. Its retries and limits
 * are in egress-limits.test.ts. No database.
 */
startEgressServers();
describe("allowed destinations", () => {
  it("sends a request to an allowed host and returns status, lower-case headers, text body and counts", async () => {
    const res = await send(`${a.origin}/hello?q=1`, { headers: { "X-Trace": "t-1" } });
    expect(res.status).toBe(200);
    expect(res.statusText).toBe("OK");
    expect(res.body).toBe("héllo");
    expect(res.bytes).toBe(Buffer.byteLength("héllo"));
    expect(res.headers["x-mixed-case"]).toBe("yes");
    expect(res.headers["content-type"]).toBe("text/plain");
    expect(res).toMatchObject({ url: `${a.origin}/hello?q=1`, attempts: 1, redirects: 0 });
    expect(res.durationMs).toBeGreaterThanOrEqual(0);
    expect(heardBy("a")).toHaveLength(1);
    expect(heard[0]!.headers["x-trace"]).toBe("t-1");
  });

  it("sends the body of a POST as given, and returns a non-2xx status instead of throwing", async () => {
    const res = await send(`${a.origin}/echo`, {
      method: "POST",
      body: '{"n":1}',
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(201);
    expect(JSON.parse(res.body)).toEqual({ method: "POST", body: '{"n":1}' });
    const missing = await send(`${a.origin}/nowhere`);
    expect(missing.status).toBe(404);
    expect(missing.body).toBe("no such route");
  });
});

describe("refused destinations", () => {
  it("refuses a host no rule allows before connecting", async () => {
    const error = await failure(send(`${a.origin}/hello`, {}, [{ pattern: "api.example.com", allowPrivate: true }]));
    expect(error).toBeInstanceOf(EgressRefused);
    expect((error as EgressRefused).reason).toBe("not-allowed");
    expect(error.message).toBe(
      `127.0.0.1:${a.port} is not an allowed destination of this workspace (an admin allows hosts under HTTP destinations)`,
    );
    // The same host on another port is another destination.
    const otherPort = await failure(send(`${a.origin}/hello`, {}, [{ pattern: "127.0.0.1:1", allowPrivate: true }]));
    expect((otherPort as EgressRefused).reason).toBe("not-allowed");
    expect(heard).toHaveLength(0);
  });

  it("refuses loopback when the rule does not allow private addresses: an IP literal, and a name resolved to one", async () => {
    const literal = await failure(send(`${a.origin}/hello`, {}, [{ pattern: `127.0.0.1`, allowPrivate: false }]));
    expect(literal).toBeInstanceOf(EgressRefused);
    expect((literal as EgressRefused).reason).toBe("private-address");
    expect(literal.message).toContain("127.0.0.1");

    // "localhost" is a name: refused in the connection's own lookup, without saying what it resolved
    // to (whoever reads the refusal could map the studio's network by name).
    const named = await failure(
      send(`http://localhost:${a.port}/hello`, {}, [{ pattern: `localhost:${a.port}`, allowPrivate: false }]),
    );
    expect(named).toBeInstanceOf(EgressRefused);
    expect((named as EgressRefused).reason).toBe("no-public-address");
    expect(named.message).toMatch(/^localhost has no public address: /);
    expect(named.message).not.toMatch(/127\.0\.0\.1|::1/);

    const mapped = await failure(
      send(`http://[::ffff:127.0.0.1]:${a.port}/`, {}, [{ pattern: "[::ffff:7f00:1]", allowPrivate: false }]),
    );
    expect((mapped as EgressRefused).reason).toBe("private-address");
    expect(heard).toHaveLength(0);

    // With allowPrivate the same name goes through.
    const allowed = await send(`http://localhost:${a.port}/hello`, {}, [{ pattern: "localhost", allowPrivate: true }]);
    expect(allowed.status).toBe(200);
  });

  it("refuses a name that does not exist as it refuses one that resolves privately, so names cannot be probed", async () => {
    // A builder whose workspace allows *.corp.example could otherwise learn which names its
    // network's resolver knows: "resolves to a private address" for one, "not found" for another.
    const rule = (host: string) => [{ pattern: host, allowPrivate: false }];
    const privateName = await failure(send(`http://localhost:${a.port}/hello`, {}, rule(`localhost:${a.port}`)));
    const noName = await failure(send(`http://nothing-here.invalid:${a.port}/hello`, {}, rule("nothing-here.invalid")));
    for (const [error, host] of [
      [privateName, "localhost"],
      [noName, "nothing-here.invalid"],
    ] as const) {
      expect(error).toBeInstanceOf(EgressRefused);
      expect((error as EgressRefused).reason).toBe("no-public-address");
      expect(error.message).toBe(
        `${host} has no public address: it does not resolve, or resolves only to a private, loopback or link-local address. Check the name and the studio's network; a private address is reached only when one of this workspace's HTTP destinations names ${host} and allows private addresses`,
      );
    }
    expect(heard).toHaveLength(0);
  });

  it("refuses other schemes and URLs with credentials", async () => {
    const ftp = await failure(send(`ftp://127.0.0.1:${a.port}/file`));
    expect((ftp as EgressRefused).reason).toBe("scheme");
    const file = await failure(send("file:///etc/passwd"));
    expect((file as EgressRefused).reason).toBe("scheme");
    const creds = await failure(send(`http://user:pass@127.0.0.1:${a.port}/hello`));
    expect(creds).toBeInstanceOf(EgressRefused);
    expect(creds.message).not.toContain("pass@");
    expect(heard).toHaveLength(0);
  });

  it("refuses headers that would steer the connection, naming the header and not its value", async () => {
    const error = await failure(send(`${a.origin}/hello`, { headers: { Host: "internal.secret-value" } }));
    expect(error.message).toContain("Host");
    expect(error.message).not.toContain("secret-value");
    expect(heard).toHaveLength(0);
  });
});

describe("redirects", () => {
  it("follows a redirect to an allowed origin, dropping every header that could carry a credential", async () => {
    const to = `${b.origin}/landing`;
    const res = await send(`${a.origin}/redirect/302?to=${encodeURIComponent(to)}`, {
      headers: { Authorization: "Bearer s3cret", Cookie: "session=1", "X-Api-Key": "k3y", Accept: "text/plain" },
    });
    expect(res).toMatchObject({ status: 200, body: "landed", url: to, redirects: 1 });
    const landing = heardBy("b")[0]!;
    expect(landing.headers.authorization).toBeUndefined();
    expect(landing.headers.cookie).toBeUndefined();
    expect(landing.headers["x-api-key"]).toBeUndefined();
    expect(landing.headers.accept).toBe("text/plain");
    // The first hop had them.
    expect(heardBy("a")[0]!.headers.authorization).toBe("Bearer s3cret");
  });

  it("refuses a 307 that would send the request's body to another origin", async () => {
    const to = `${b.origin}/echo`;
    const error = await failure(
      send(`${a.origin}/redirect/307?to=${encodeURIComponent(to)}`, { method: "POST", body: "secret payload" }),
    );
    expect((error as EgressRefused).reason).toBe("redirect");
    expect(heardBy("b")).toHaveLength(0);
  });

  it("keeps Authorization on a redirect within the origin", async () => {
    const res = await send(`${a.origin}/redirect/301?to=/landing`, { headers: { Authorization: "Bearer s3cret" } });
    expect(res).toMatchObject({ status: 200, url: `${a.origin}/landing`, redirects: 1 });
    expect(heardBy("a")[1]!.headers.authorization).toBe("Bearer s3cret");
  });

  it("refuses a redirect to a host no rule allows, naming the host, before connecting to it", async () => {
    const to = `http://localhost:${b.port}/landing`;
    const error = await failure(send(`${a.origin}/redirect/302?to=${encodeURIComponent(to)}`));
    expect(error).toBeInstanceOf(EgressRefused);
    expect((error as EgressRefused).reason).toBe("redirect");
    expect(error.message).toContain(`localhost:${b.port}`);
    expect(heardBy("b")).toHaveLength(0);
  });

  it("refuses a redirect to a private address the redirect's rule does not allow", async () => {
    const to = `http://localhost:${b.port}/landing`;
    const error = await failure(
      send(`${a.origin}/redirect/307?to=${encodeURIComponent(to)}`, {}, [
        ...rules,
        { pattern: "localhost", allowPrivate: false },
      ]),
    );
    expect((error as EgressRefused).reason).toBe("redirect");
    expect(error.message).toMatch(/private/);
    expect(heardBy("b")).toHaveLength(0);
  });

  it("turns a POST into a GET without body on 302 and 303, and keeps it on 307", async () => {
    const post = { method: "POST" as const, body: "payload", headers: { "Content-Type": "text/plain" } };
    for (const status of [302, 303]) {
      heard.length = 0;
      const res = await send(`${a.origin}/redirect/${status}?to=/echo`, post);
      expect(JSON.parse(res.body)).toEqual({ method: "GET", body: "" });
      expect(heard[1]!.headers["content-type"]).toBeUndefined();
    }
    const kept = await send(`${a.origin}/redirect/307?to=/echo`, post);
    expect(JSON.parse(kept.body)).toEqual({ method: "POST", body: "payload" });
  });

  it("stops after maxRedirects, and with 0 returns the redirect itself", async () => {
    const loop = `${a.origin}/redirect/302?to=${encodeURIComponent(`${a.origin}/redirect/302?to=/redirect/302`)}`;
    const error = await failure(send(loop, { maxRedirects: 1 }));
    expect(error.message).toBe(`127.0.0.1:${a.port} redirected too many times (the limit is 1 redirect)`);
    expect(heardBy("a")).toHaveLength(2);
    const none = await send(`${a.origin}/redirect/302?to=/landing`, { maxRedirects: 0 });
    expect(none).toMatchObject({ status: 302, redirects: 0, url: `${a.origin}/redirect/302?to=/landing` });
    expect(none.headers.location).toBe("/landing");
  });
});

describe("destinations that want a person's approval for changes", () => {
  it("let no unapproved change through, not even by a redirect from a host that wants none; an approved one goes", async () => {
    const guarded = [
      { pattern: `127.0.0.1:${a.port}`, allowPrivate: true },
      { pattern: `127.0.0.1:${b.port}`, allowPrivate: true, requireApproval: true },
    ];
    const viaA = `${a.origin}/redirect/307?to=${encodeURIComponent(`${b.origin}/landing`)}`;
    const refused = await failure(send(viaA, { method: "DELETE" }, guarded));
    expect(refused).toBeInstanceOf(EgressRefused);
    expect(refused.message).toBe(
      `the redirect to 127.0.0.1:${b.port} was refused: a DELETE to 127.0.0.1:${b.port} needs a person's approval first`,
    );
    expect(heardBy("b")).toEqual([]);
    expect((await failure(send(`${b.origin}/landing`, { method: "PUT", body: "{}" }, guarded))).message).toMatch(
      /needs a person's approval first/,
    );
    // Reading needs no approval; an approved change goes through.
    expect((await send(viaA, {}, guarded)).body).toBe("landed");
    expect((await send(viaA, { method: "DELETE", approved: true }, guarded)).body).toBe("landed");
  });
});

import { expect } from "./support/fixtures";
import { apiRoutes } from "./support/api-routes";
import { send, test, type Answer, type World } from "./support/security-world";
import { table, type Case } from "./support/security-table";

/**
 * Bad input to every route that takes a body, as A's admin (who gets past every permission
 * check, so the input reaches the parsing and the services): a NUL, unpaired surrogates and
 * wrong types in each field of a good body, JSON nested deeper than the limit where any JSON is
 * taken, bodies of the wrong shape, not JSON, oversize, and `Origin: null`; then NUL and
 * surrogates in every path parameter and a query, and in pages' paths and queries. Never a
 * 500, never an unhandled error in the log, and the server still healthy afterwards. The bodies
 * come from the matrix's table.
 */
const MAX_DEPTH = 64; // lib/schemas/storable.ts

/** `{ a: { a: … 1 } }` with `levels` objects. */
const nested = (levels: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
};

/** Every leaf of a body with its path (`graph.nodes.0.id`). */
function leaves(value: unknown, path: string[] = []): { path: string[]; value: unknown }[] {
  if (value !== null && typeof value === "object")
    return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  return [{ path, value }];
}

/** A copy of `body` with the value at `path` replaced. */
function replaced(body: unknown, path: string[], value: unknown): unknown {
  const copy = structuredClone(body) as Record<string, unknown>;
  let at: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string, unknown>;
  at[path.at(-1)!] = value;
  return copy;
}

const BAD_STRINGS = ["nul\u0000here", "\ud800", "lone\udc00low", "😀\ud83d"];

const wrongType = (v: unknown): unknown =>
  typeof v === "string" ? 42 : typeof v === "number" ? "forty-two" : typeof v === "boolean" ? "yes" : { x: 1 };

/** Routes that read the body themselves (next-auth, the MCP SDK): only "never a 500" holds there. */
const OWN_PARSERS = new Set(["/api/auth/[...nextauth]", "/api/mcp"]);

const firstCase = (key: string): Case => {
  const entry = table[key]!;
  return Array.isArray(entry) ? entry[0]! : entry;
};

const routes = apiRoutes();
const withBody = routes.filter((r) => {
  const entry = table[`${r.method} ${r.route}`];
  return entry && firstCase(`${r.method} ${r.route}`).body && !firstCase(`${r.method} ${r.route}`).fresh;
});

/** Sends as A's admin; records anything that is a 5xx, or not the 400 naming `field` when one is expected. */
function checker(world: World, problems: string[]) {
  return async (
    label: string,
    method: string,
    path: string,
    body: unknown,
    want?: { status: number; field?: string },
    headers?: Record<string, string>,
  ): Promise<Answer> => {
    const answer = await send(world.baseURL, world.callers.admin, method, path, body, headers);
    const what = `${label}: ${method} ${path} → ${answer.status} ${answer.text.slice(0, 160)}`;
    if (answer.status >= 500) problems.push(what);
    else if (want && answer.status !== want.status) problems.push(`${what} (expected ${want.status})`);
    else if (want?.field) {
      const fields = (JSON.parse(answer.text) as { error?: { fields?: { path: string }[] } }).error?.fields ?? [];
      if (!fields.some((f) => f.path.startsWith(want.field!)))
        problems.push(`${what} (expected it to name ${want.field})`);
    }
    return answer;
  };
}

test.describe("bad input never gets a 500 @security", () => {
  test.describe.configure({ mode: "serial" });
  let logBefore = 0;
  test.beforeAll(async ({ studio }) => {
    logBefore = studio.output().length;
  });

  test("the fuzz covers every route with a body", () => {
    expect(withBody.length).toBeGreaterThan(25);
  });

  for (const r of withBody) {
    test(`${r.method} ${r.route}: NUL, surrogates, wrong types, wrong shapes, oversize, Origin: null @security`, async ({
      world,
    }) => {
      const c = firstCase(`${r.method} ${r.route}`);
      const path = c.path(world, "");
      const good = c.body!(world);
      const strict = !OWN_PARSERS.has(r.route) && !(good !== null && typeof good === "object" && "raw" in good);
      const problems: string[] = [];
      const check = checker(world, problems);
      const headers = { ...c.headers, ...c.fuzzHeaders?.(world) };
      const send = (label: string, body: unknown, want?: { status: number; field?: string }) =>
        check(label, r.method, path, body, strict ? want : undefined, headers);

      // Each string field gets one of the bad strings in turn, each field a wrong type.
      let turn = 0;
      for (const leaf of leaves(good)) {
        const field = ["body", ...leaf.path].join(".");
        if (typeof leaf.value === "string") {
          const bad = BAD_STRINGS[turn++ % BAD_STRINGS.length]!;
          await send(`${JSON.stringify(bad)} in ${field}`, replaced(good, leaf.path, bad), { status: 400, field });
        }
        await send(`wrong type in ${field}`, replaced(good, leaf.path, wrongType(leaf.value)));
      }
      await send(
        "a NUL in an extra field",
        { ...(good as object), extra: "\u0000" },
        { status: 400, field: "body.extra" },
      );
      await send(
        "a lone surrogate in an extra field",
        { ...(good as object), extra: "x\udc00" },
        {
          status: 400,
          field: "body.extra",
        },
      );
      if (good !== null && typeof good === "object" && !Array.isArray(good)) {
        await send("NUL in an extra key", { ...good, "k\u0000": 1 }, { status: 400, field: "body.k" });
        await send(
          "deep JSON in an extra field",
          { ...good, extra: nested(MAX_DEPTH + 5) },
          {
            status: 400,
            field: "body.extra.a",
          },
        );
      }
      for (const shape of [[], "text", 42, null, [good]]) await send(`a body of ${JSON.stringify(shape)}`, shape);
      await send("not JSON", { raw: '{"name": "unterminated' }, { status: 400, field: "body" });
      await send("not JSON at all", { raw: "name=x", contentType: "text/plain" });
      await send("6 MB", { raw: JSON.stringify({ name: "x".repeat(6_000_000) }) }, { status: 413 });
      await check("Origin: null", r.method, path, good, strict ? { status: 403 } : undefined, {
        ...headers,
        origin: "null",
      });
      expect(problems).toEqual([]);
    });
  }

  test("JSON nested past the limit where any JSON is taken: run input, node config, decision content, tool parameters @security", async ({
    world,
  }) => {
    const problems: string[] = [];
    const check = checker(world, problems);
    const deep = nested(MAX_DEPTH + 1);
    const node = (config: unknown) => ({ id: "s", kind: "start", label: "Start", position: { x: 0, y: 0 }, config });
    await check(
      "run input",
      "POST",
      `/api/workflows/${world.ids.workflow}/runs`,
      { input: { topic: deep } },
      {
        status: 400,
        field: "body.input.topic",
      },
    );
    await check(
      "node config",
      "POST",
      "/api/workflows",
      { name: "Deep", graph: { nodes: [node({ x: deep })], edges: [] } },
      {
        status: 400,
        field: "body.graph.nodes.0.config",
      },
    );
    await check(
      "decision content",
      "POST",
      `/api/reviews/${world.ids.adminReview}/decision`,
      {
        outcome: "approved",
        content: deep,
      },
      { status: 400, field: "body.content" },
    );
    const tool = { type: "function", function: { name: "f", parameters: deep } };
    await check(
      "tool parameters",
      "POST",
      "/api/gateway/v1/chat/completions",
      {
        model: "demo",
        messages: [{ role: "user", content: "hi" }],
        tools: [tool],
      },
      { status: 400, field: "body.tools.0.function.parameters" },
    );
    // At the limit it is stored: body, graph, nodes, the node, config, then 59 levels.
    await check(
      "node config at the limit",
      "POST",
      "/api/workflows",
      {
        name: "Deep but not too deep",
        graph: { nodes: [node({ x: nested(MAX_DEPTH - 5) })], edges: [] },
      },
      { status: 201 },
    );
    expect(problems).toEqual([]);
  });

  test("NUL and surrogates in path parameters and queries @security", async ({ world }) => {
    const problems: string[] = [];
    const check = checker(world, problems);
    for (const r of routes.filter((r) => r.route.includes("[") && !OWN_PARSERS.has(r.route))) {
      const c = firstCase(`${r.method} ${r.route}`);
      const good = c.path(world, "x");
      for (const bad of ["%00", "a%00b", "%ED%A0%80", "%ED%B0%80x"]) {
        // Each path parameter in turn.
        const parts = good.split("?")[0]!.split("/");
        for (let i = 0; i < parts.length; i++) {
          if (!r.route.split("/")[i]?.startsWith("[")) continue;
          const path = [...parts.slice(0, i), bad, ...parts.slice(i + 1)].join("/");
          await check(`${bad} as a path parameter`, r.method, path, c.body?.(world), { status: 400 }, c.headers);
        }
      }
    }
    for (const r of routes.filter((r) => r.method === "GET" && !OWN_PARSERS.has(r.route))) {
      const path = firstCase(`${r.method} ${r.route}`).path(world, "x");
      const join = path.includes("?") ? "&" : "?";
      await check("NUL in the query", "GET", `${path}${join}fuzz=a%00b`, undefined, {
        status: 400,
        field: "query.fuzz",
      });
    }
    expect(problems).toEqual([]);
  });

  test("NUL and undecodable paths and queries of pages are a 400, not a 500 @security", async ({ world }) => {
    const pages = [
      `/inbox/%00`,
      `/inbox/%ED%A0%80`,
      `/workflows/a%00b`,
      `/runs/%00`,
      `/inbox?workflow=%00`,
      `/inbox/history?outcome=a%00b`,
      `/workflows/${world.ids.workflow}?x=%00`,
    ];
    const answers = await Promise.all(
      pages.map(async (path) => `${path} → ${(await send(world.baseURL, world.callers.admin, "GET", path)).status}`),
    );
    expect(answers).toEqual(pages.map((path) => `${path} → 400`));
  });

  test("numbers past what the database holds, and a name already taken, are a 4xx naming the field @security", async ({
    world,
  }) => {
    const problems: string[] = [];
    const check = checker(world, problems);
    const huge = 99_999_999_999;
    const wf = world.ids.workflow;
    await check("a version past int4", "GET", `/api/workflows/${wf}/versions/2147483648`, undefined, {
      status: 400,
      field: "params.version",
    });
    await check(
      "an evaluation of a huge version",
      "POST",
      `/api/workflows/${wf}/evaluations`,
      { on: huge },
      {
        status: 400,
        field: "body.on",
      },
    );
    const draft = await send(world.baseURL, world.callers.admin, "GET", `/api/workflows/${wf}`);
    const { graph } = JSON.parse(draft.text) as { graph: unknown };
    await check(
      "a huge draft revision",
      "PUT",
      `/api/workflows/${wf}/draft`,
      { graph, revision: huge },
      {
        status: 400,
        field: "body.revision",
      },
    );
    await check("a dashboard of a huge version", "GET", `/api/dashboard?workflowId=${wf}&version=${huge}`, undefined, {
      status: 400,
      field: "query.version",
    });
    await check(
      "a comparison of huge versions",
      "GET",
      `/api/dashboard/compare?workflowId=${wf}&a=${huge}&b=1`,
      undefined,
      {
        status: 400,
        field: "query.a",
      },
    );
    const events = `/api/runs/${world.ids.run}/events`;
    await check("events after a huge number", "GET", `${events}?after=${huge}`, undefined, {
      status: 400,
      field: "query.after",
    });
    for (const id of ["99999999999999999999", "1e400", "x"])
      await check(
        `Last-Event-ID: ${id}`,
        "GET",
        events,
        undefined,
        { status: 400, field: "headers.last-event-id" },
        {
          "last-event-id": id,
        },
      );

    // A name taken: the second of two alike is a 409 naming the name, in a team and in the organization.
    const tag = Date.now().toString(36);
    const taken = async (label: string, path: string, body: Record<string, unknown>) => {
      const first = await world.owner.post(path, { data: body });
      expect(first.status(), `${label}: ${await first.text()}`).toBe(201);
      const second = await world.owner.post(path, { data: body });
      const text = await second.text();
      if (second.status() !== 409 || !text.includes('"path":"body.name"'))
        problems.push(
          `${label}: POST ${path} again → ${second.status()} ${text.slice(0, 160)} (expected a 409 naming body.name)`,
        );
    };
    const url = "http://127.0.0.1:9/mcp";
    await taken("a team's tool server", "/api/admin/mcp/servers", { name: `dup-${tag}`, transport: "HTTP", url });
    await taken("an organization tool server", "/api/organization/tool-servers", {
      name: `orgdup-${tag}`,
      transport: "HTTP",
      url,
    });
    await taken("an organization provider", "/api/organization/providers", {
      name: `Dup ${tag}`,
      kind: "OPENAI_COMPATIBLE",
      baseUrl: "http://127.0.0.1:9/v1",
      apiKey: "sk-duplicate-name-test",
    });
    expect(problems).toEqual([]);
  });

  test("afterwards the server is healthy, answers as before, and logged no unhandled error @security", async ({
    world,
    studio,
  }) => {
    expect((await send(world.baseURL, {}, "GET", "/api/health")).status).toBe(200);
    expect((await send(world.baseURL, world.callers.admin, "GET", "/api/me")).status).toBe(200);
    const log = studio.output().slice(logBefore);
    expect(log).not.toContain("unhandled error in API route");
    expect(log).not.toContain("Internal Server Error");
  });
});

import { describe, expect, it } from "vitest";
import { graph } from "../graph/graph-builder.test-support";
import { validateGraph } from "../graph/validate-graph";
import { runWorkflow } from "../run/run-workflow";
import { memoryPorts } from "../testing/memory-ports";
import { namesUsed, secretRedactor } from "./named-values";
import { resolveTemplate } from "./resolve-template";

const never = new AbortController().signal;

describe("variables and secrets in templates", () => {
  it("resolves {{vars.name}} anywhere, and {{secrets.name}} only where secrets are given", () => {
    const named = { vars: { region: "eu-west" } };
    expect(resolveTemplate("Region: {{vars.region}} / {{ vars.region }}", {}, named)).toBe("Region: eu-west / eu-west");
    expect(() => resolveTemplate("{{vars.missing}}", {}, named)).toThrow(
      "{{vars.missing}}: this workspace has no variable “missing” (an admin adds it under Variables).",
    );
    expect(() => resolveTemplate("Bearer {{secrets.key}}", {}, named)).toThrow(
      "secrets can be used only in an HTTP Request step's URL, headers and body",
    );
    expect(resolveTemplate("Bearer {{secrets.key}}", {}, { ...named, secrets: { key: "sk-123456" } })).toBe(
      "Bearer sk-123456",
    );
  });

  it("never reads a value for references: a variable holding {{…}} is written as it is", () => {
    const outputs = { a: { text: "{{vars.region}}" } };
    expect(
      resolveTemplate("{{nodes.a.output.text}} in {{vars.region}}", outputs, {
        vars: { region: "{{nodes.a.output.text}}" },
      }),
    ).toBe("{{vars.region}} in {{nodes.a.output.text}}");
  });

  it("finds the names a graph uses, and none when it uses none", () => {
    const g = graph()
      .start("start")
      .output("out", "{{vars.region}} {{vars.region}} {{secrets.key}} {{nodes.start.output.input}}")
      .chain("start", "out")
      .build();
    expect(namesUsed(g)).toEqual({ vars: ["region"], secrets: ["key"] });
    expect(namesUsed(graph().start("start").output("out", "plain").chain("start", "out").build())).toEqual({
      vars: [],
      secrets: [],
    });
  });

  it("redacts secret values (and their URL-encoded form) in whatever a step records", () => {
    const redact = secretRedactor({ key: "sk-live-12/34", short: "abc" });
    expect(
      redact({
        text: "the key is sk-live-12/34",
        url: "https://x.test/?k=sk-live-12%2F34",
        list: ["sk-live-12/34"],
        n: 3,
      }),
    ).toEqual({ text: "the key is [secret:key]", url: "https://x.test/?k=[secret:key]", list: ["[secret:key]"], n: 3 });
    expect(redact("abc stays: too short to look for")).toBe("abc stays: too short to look for");
    // The spellings JSON, a URL's query or path, and a form write it in.
    const odd = secretRedactor({ odd: `it's "a" key` });
    expect(
      odd([
        JSON.stringify({ echoed: `it's "a" key` }),
        new URL(`http://x/p?k=it's "a" key`).toString(),
        new URL(`http://x/it's "a" key`).toString(),
        new URLSearchParams({ k: `it's "a" key` }).toString(),
      ]),
    ).toEqual(['{"echoed":"[secret:odd]"}', "http://x/p?k=[secret:odd]", "http://x/[secret:odd]", "k=[secret:odd]"]);
  });

  it("a run loads only the names its graph uses, and redacts a secret that comes back in a step's output", async () => {
    //  start ──> echo (agent) ──> out      (a sticky note names the secret, so the run loads it)
    const g = graph()
      .start("start")
      .agent("echo", "Say {{vars.greeting}}")
      .output("out", "{{nodes.echo.output.text}}")
      .node("note", "note", { text: "uses {{secrets.key}}" })
      .chain("start", "echo", "out")
      .build();
    const asked: unknown[] = [];
    const fake = memoryPorts({
      variables: { vars: { greeting: "hello", unused: "x" }, secrets: { key: "sk-live-98765" } },
      answer: (request) => `${request.instructions}, the key is sk-live-98765`,
    });
    const values = fake.ports.variables.values.bind(fake.ports.variables);
    fake.ports.variables.values = async (names) => (asked.push(names), values(names));
    const result = await runWorkflow({ runId: "r1", graph: g, input: { input: "x" }, depth: 0 }, fake.ports, never);
    expect(asked).toEqual([{ vars: ["greeting"], secrets: ["key"] }]);
    expect(result).toEqual({ status: "completed", output: "Say hello, the key is [secret:key]" });
    const stored = JSON.stringify([await fake.store.steps("r1"), fake.store.events]);
    expect(stored).not.toContain("sk-live-98765");
    expect(stored).toContain("[secret:key]");
  });

  it("is checked before a run: a secret outside an HTTP Request step is a problem on its field", () => {
    const g = graph().start("start").output("out", "Key: {{secrets.key}}").chain("start", "out").build();
    expect(validateGraph(g)).toEqual([
      expect.objectContaining({
        code: "reference",
        nodeId: "out",
        field: "value",
        message: expect.stringContaining("a secret can be used only in an HTTP Request step"),
      }),
    ]);
  });
});

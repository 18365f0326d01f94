import { describe, expect, it } from "vitest";
import { resolveTemplate, resolveText, TemplateError } from "./resolve-template";

const outputs = { start: { topic: "cats", n: 3 }, research: { text: "facts", object: { tags: ["a", "b"] } } };

describe("resolveTemplate", () => {
  it("writes values into text", () => {
    expect(resolveTemplate("About {{nodes.start.output.topic}} ({{ nodes.start.output.n }})", outputs)).toBe(
      "About cats (3)",
    );
  });
  it("gives the value itself for a lone reference, objects included", () => {
    expect(resolveTemplate("{{nodes.research.output.object}}", outputs)).toEqual({ tags: ["a", "b"] });
    expect(resolveText("Tags: {{nodes.research.output.object.tags}}", outputs)).toBe('Tags: ["a","b"]');
  });
  it("names the step and the field that are missing", () => {
    expect(() => resolveTemplate("{{nodes.ghost.output.text}}", outputs)).toThrow(TemplateError);
    expect(() => resolveTemplate("{{nodes.ghost.output.text}}", outputs)).toThrow(
      "step “ghost” has no output in this run",
    );
    expect(() => resolveTemplate("x {{nodes.research.output.object.size}}", outputs)).toThrow(
      "the output of “research” has no field “object.size”",
    );
  });
  it("leaves text without references alone", () => {
    expect(resolveTemplate("no {{braces}} here", outputs)).toBe("no {{braces}} here");
  });
  it("stops at the size limit when many references would multiply a large output", () => {
    const big = { big: { text: "x".repeat(100_000) } };
    const text = Array.from({ length: 20 }, () => "{{nodes.big.output.text}}").join(" ");
    expect(() => resolveTemplate(text, big)).toThrow("longer than the size limit of 1,000,000 characters");
    expect((resolveText(text.split(" ").slice(0, 9).join(" "), big) as string).length).toBe(900_008);
  });
  it("writes values literally, replacement patterns such as $' included", () => {
    const tricky = { a: { text: "$'$'$&" } };
    expect(resolveText("<{{nodes.a.output.text}}> tail", tricky)).toBe("<$'$'$&> tail");
  });
});

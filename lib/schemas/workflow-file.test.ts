import { describe, expect, it } from "vitest";
import { parseWorkflowFile } from "./workflow-file";

const good = {
  flowdeck: 1,
  name: "Imported",
  description: "",
  graph: { nodes: [{ id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: {} }], edges: [] },
};

describe("workflow file import", () => {
  it("reads an exported file", () => {
    expect(parseWorkflowFile(JSON.stringify(good))).toMatchObject({ ok: true, name: "Imported" });
  });
  it("says when the file is not JSON", () => {
    expect(parseWorkflowFile("name: yaml")).toEqual({ ok: false, error: expect.stringMatching(/not JSON/) });
  });
  it("names unknown node kinds", () => {
    const bad = { ...good, graph: { nodes: [{ ...good.graph.nodes[0], kind: "teleport" }], edges: [] } };
    expect(parseWorkflowFile(JSON.stringify(bad))).toEqual({
      ok: false,
      error: expect.stringMatching(/^Unknown node kind: teleport\./),
    });
  });
  it("names the first wrong field", () => {
    expect(parseWorkflowFile(JSON.stringify({ ...good, graph: { nodes: "x", edges: [] } }))).toEqual({
      ok: false,
      error: expect.stringMatching(/graph\.nodes: /),
    });
    expect(parseWorkflowFile(JSON.stringify({ name: "x" }))).toEqual({
      ok: false,
      error: expect.stringMatching(/flowdeck/),
    });
  });
});

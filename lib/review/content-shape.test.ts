import { describe, expect, it } from "vitest";
import { shapeOf } from "./content-shape";

describe("shapeOf", () => {
  it("shows objects, and text holding a JSON object or array, as JSON", () => {
    expect(shapeOf({ a: 1 }).kind).toBe("json");
    expect(shapeOf(' {"a": [1, 2]} ').kind).toBe("json");
    expect(shapeOf("[1, 2]").kind).toBe("json");
  });
  it("treats broken JSON, markdown and prose as text or markdown", () => {
    expect(shapeOf('{"a": ').kind).toBe("text");
    expect(shapeOf("# Title\n\n- one\n- two").kind).toBe("markdown");
    expect(shapeOf("See **this** part").kind).toBe("markdown");
    expect(shapeOf("Just a sentence.").kind).toBe("text");
    expect(shapeOf("").kind).toBe("empty");
    expect(shapeOf(null).kind).toBe("empty");
  });
});

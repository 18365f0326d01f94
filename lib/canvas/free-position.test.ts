import { describe, expect, it } from "vitest";
import { freePosition } from "./free-position";

describe("where a new step is placed", () => {
  it("lands where asked when the spot is free", () => {
    expect(freePosition([{ position: { x: 0, y: 0 } }], { x: 600, y: 0 })).toEqual({ x: 600, y: 0 });
  });

  it("lands below a step it would cover, by that step's measured height", () => {
    const tall = { position: { x: 0, y: 0 }, measured: { width: 240, height: 170 } };
    const spot = freePosition([tall], { x: 0, y: 0 });
    expect(spot.y).toBeGreaterThanOrEqual(190);
    const next = freePosition([tall, { position: spot, measured: { width: 240, height: 90 } }], { x: 0, y: 0 });
    expect(next.y).toBeGreaterThanOrEqual(spot.y + 110);
  });
});

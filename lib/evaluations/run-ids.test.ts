import { describe, expect, it } from "vitest";
import { withoutRunIds } from "./run-ids";

describe("withoutRunIds", () => {
  it("leaves out child run ids, and lists of them, wherever they stand in an object or a list; nothing else", () => {
    const ids = new Set(["run_a", "run_b"]);
    expect(
      withoutRunIds(
        {
          results: [2, 4],
          failures: [],
          count: 2,
          runs: ["run_a", null, "run_b"],
          nested: [{ output: "x", runId: "run_a" }, "run_b", "run_c"],
          other: ["run_c", "run_a"],
          none: [],
        },
        ids,
      ),
    ).toEqual({
      results: [2, 4],
      failures: [],
      count: 2,
      nested: [{ output: "x" }, "run_c"],
      other: ["run_c"],
      none: [],
    });
    expect(withoutRunIds("run_a says hi", ids)).toBe("run_a says hi");
    expect(withoutRunIds({ runs: ["run_a"] }, new Set())).toEqual({ runs: ["run_a"] });
  });
});

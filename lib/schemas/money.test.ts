import { describe, expect, it } from "vitest";
import { usd } from "./money";

describe("usd", () => {
  it("writes nothing spent as cents, not four decimals", () => {
    expect(usd(0)).toBe("$0.00");
  });
  it("keeps a model call's fractions of a cent", () => {
    expect(usd(0.007)).toBe("$0.0070");
    expect(usd(0.0042)).toBe("$0.0042");
    expect(usd(0.5)).toBe("$0.5000");
    expect(usd(0.000012)).toBe("$0.000012");
    expect(usd(0.00000012)).toBe("$0.00000012");
  });
  it("writes a dollar or more in cents, thousands separated", () => {
    expect(usd(1)).toBe("$1.00");
    expect(usd(1234.5)).toBe("$1,234.50");
    expect(usd(-2.5)).toBe("-$2.50");
  });
  it("says no figure as a dash", () => {
    expect(usd(null)).toBe("—");
    expect(usd(Number.NaN)).toBe("—");
  });
});

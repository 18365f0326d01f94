import { describe, expect, it } from "vitest";
import { fieldLabel } from "./start";

describe("a Start field's label on a form", () => {
  it("reads its name as words, keeping words in capitals", () => {
    expect(fieldLabel("input")).toBe("Input");
    expect(fieldLabel("party_size")).toBe("Party size");
    expect(fieldLabel("partySize")).toBe("Party size");
    expect(fieldLabel("order_ID")).toBe("Order ID");
    expect(fieldLabel("customer-email")).toBe("Customer email");
    expect(fieldLabel("x")).toBe("X");
    expect(fieldLabel("myURLField")).toBe("My URL field");
  });
});

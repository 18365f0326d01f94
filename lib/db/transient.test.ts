import { describe, expect, it } from "vitest";
import { againOnDeadlock, isConnectionError, retryTransient } from "./transient";

describe("connection faults", () => {
  it("recognises a dropped connection wherever the driver or Prisma puts it, and nothing else", () => {
    expect(
      isConnectionError(
        Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }),
      ),
    ).toBe(true);
    expect(isConnectionError(Object.assign(new Error("x"), { code: "ECONNRESET" }))).toBe(true);
    expect(
      isConnectionError({ code: "P2010", meta: { driverAdapterError: { cause: { originalCode: "57P01" } } } }),
    ).toBe(true);
    expect(isConnectionError(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(
      isConnectionError(Object.assign(new Error("duplicate key value violates unique constraint"), { code: "23505" })),
    ).toBe(false);
    expect(isConnectionError(new Error("The workflow cannot run"))).toBe(false);
    // A model provider or MCP server that is down is not the database.
    expect(isConnectionError(Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } }))).toBe(
      false,
    );
    expect(isConnectionError(new Error("MCP server “files” is not available: Connection closed"))).toBe(false);
  });

  it("tries a statement again after a dropped connection, and not after any other error", async () => {
    let calls = 0;
    const flaky = async () => {
      calls += 1;
      if (calls < 3)
        throw Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" });
      return "ok";
    };
    expect(await retryTransient(flaky)).toBe("ok");
    expect(calls).toBe(3);
    let other = 0;
    await expect(retryTransient(async () => ((other += 1), Promise.reject(new Error("bad input"))))).rejects.toThrow(
      "bad input",
    );
    expect(other).toBe(1);
  });
});

describe("againOnDeadlock", () => {
  const deadlock = () => Object.assign(new Error("deadlock detected"), { code: "40P01" });

  it("runs what takes the deadlock's cause away before each new try, then gives up after its tries", async () => {
    let runs = 0;
    let before = 0;
    const answer = await againOnDeadlock(
      async () => (++runs < 3 ? Promise.reject(deadlock()) : "granted"),
      4,
      async () => void before++,
    );
    expect([answer, runs, before]).toEqual(["granted", 3, 2]);
    await expect(againOnDeadlock(() => Promise.reject(deadlock()), 2)).rejects.toThrow("deadlock detected");
  });

  it("lets any other error through at once", async () => {
    let runs = 0;
    await expect(againOnDeadlock(() => (runs++, Promise.reject(new Error("no"))))).rejects.toThrow("no");
    expect(runs).toBe(1);
  });
});

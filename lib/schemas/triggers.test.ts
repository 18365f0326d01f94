import { describe, expect, it } from "vitest";
import { createTriggerInputSchema, cronProblem, isTimeZone, nextTicks, scheduleConfigSchema } from "./triggers";

describe("schedules", () => {
  it("reads five- and six-field cron expressions in a time zone", () => {
    const after = new Date("2026-12-04T07:30:00Z"); // a Friday
    // 09:00 on weekdays in Paris (UTC+1 in December) is 08:00 UTC.
    expect(nextTicks("0 9 * * 1-5", "Europe/Paris", 2, after).map((d) => d.toISOString())).toEqual([
      "2026-12-04T08:00:00.000Z",
      "2026-12-07T08:00:00.000Z",
    ]);
    expect(nextTicks("*/5 * * * * *", "UTC", 2, after).map((d) => d.toISOString())).toEqual([
      "2026-12-04T07:30:05.000Z",
      "2026-12-04T07:30:10.000Z",
    ]);
  });

  it("names what is wrong with an expression or a zone", () => {
    expect(cronProblem("0 9 * * 1-5")).toBeNull();
    expect(cronProblem("every morning")).toMatch(/^Not a cron expression/);
    expect(cronProblem("* * * * * *")).toBe("At most one tick every 5 seconds");
    // Every 7 s ticks at :56 and then :00, 4 s apart: refused whenever it is asked, not only near the minute.
    expect(cronProblem("*/7 * * * * *")).toBe("At most one tick every 5 seconds");
    // A year field is not one of ours: five fields, or six with seconds.
    expect(cronProblem("0 0 9 1 1 * 2027")).toMatch(/^Not a cron expression/);
    expect(isTimeZone("Europe/Paris")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
    const bad = scheduleConfigSchema.safeParse({ cron: "61 * * * *", timezone: "Mars/Olympus" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join("."))).toEqual(expect.arrayContaining(["cron", "timezone"]));
  });

  it("a new trigger without a kind is a webhook; a schedule needs its config", () => {
    expect(createTriggerInputSchema.parse({ name: "Orders" })).toMatchObject({
      kind: "webhook",
      config: { auth: "token", mode: "async" },
    });
    expect(createTriggerInputSchema.safeParse({ kind: "schedule", name: "Daily" }).success).toBe(false);
    expect(
      createTriggerInputSchema.parse({
        kind: "schedule",
        name: "Daily",
        config: { cron: "0 9 * * *", timezone: "UTC" },
      }),
    ).toMatchObject({ config: { input: {}, missed: "skip" } });
  });
});

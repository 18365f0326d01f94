/**
 * Runs once when the server starts, before it serves a request: checks the environment and
 * brings the database schema up to date (either failing stops start-up with a message that
 * says what to fix), then opens the fast lane for integrations' most frequent calls.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { boot } = await import("./lib/host/boot");
  await boot();
  // What integrations call most skips Next.js's router (lib/api/fast-lane.ts): the same handlers.
  const [{ openFastLane }, runs, run, events, chat, models, hook] = await Promise.all([
    import("./lib/api/fast-lane"),
    import("./app/api/workflows/[id]/runs/route"),
    import("./app/api/runs/[id]/route"),
    import("./app/api/runs/[id]/events/route"),
    import("./app/api/gateway/v1/chat/completions/route"),
    import("./app/api/gateway/v1/models/route"),
    import("./app/api/hooks/[id]/route"),
  ]);
  openFastLane([
    { method: "POST", path: "/api/workflows/:id/runs", handler: runs.POST },
    { method: "GET", path: "/api/runs/:id", handler: run.GET },
    { method: "GET", path: "/api/runs/:id/events", handler: events.GET },
    { method: "POST", path: "/api/gateway/v1/chat/completions", handler: chat.POST },
    { method: "GET", path: "/api/gateway/v1/models", handler: models.GET },
    { method: "POST", path: "/api/hooks/:id", handler: hook.POST },
  ]);
}

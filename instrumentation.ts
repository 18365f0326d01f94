/**
 * Runs once when the server starts, before it serves a request: checks the environment and
 * brings the database schema up to date. Either failing stops start-up with a message that
 * says what to fix.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { boot } = await import("./lib/host/boot");
  await boot();
}

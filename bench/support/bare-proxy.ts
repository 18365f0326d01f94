/**
 * The floor for the gateway benchmark: the least an OpenAI-compatible proxy can do, in a process
 * of its own as the studio is. It reads the request, asks the provider for a stream (as the
 * gateway does, to meter and cut the answer), reads it whole and answers one JSON completion;
 * no keys, limits, budgets, routing or ledger.
 * Run as a child process: `tsx bench/support/bare-proxy.ts <provider base URL>`; it sends its
 * own URL to its parent when it listens.
 */
import http from "node:http";
import { Agent, request } from "undici";

const upstream = process.argv[2]!;
const agent = new Agent({ keepAliveTimeout: 30_000, pipelining: 1 });

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", async () => {
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { model: string };
    const up = await request(`${upstream}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ ...body, stream: true, stream_options: { include_usage: true } }),
      dispatcher: agent,
    });
    let content = "";
    let usage: unknown = null;
    for (const line of (await up.body.text()).split("\n")) {
      if (!line.startsWith("data: {")) continue;
      const chunk = JSON.parse(line.slice(6)) as { choices?: { delta?: { content?: string } }[]; usage?: unknown };
      content += chunk.choices?.[0]?.delta?.content ?? "";
      usage = chunk.usage ?? usage;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        id: "chatcmpl-floor",
        object: "chat.completion",
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
        usage,
      }),
    );
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, "127.0.0.1", () => {
  const address = server.address() as import("node:net").AddressInfo;
  process.send?.(`http://127.0.0.1:${address.port}`);
});
process.on("disconnect", () => process.exit(0));

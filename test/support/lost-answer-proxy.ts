import { connect, createServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

/**
 * A TCP proxy in front of PostgreSQL that can lose one answer: armed with `loseNextAnswer(tag)`,
 * the next statement whose CommandComplete tag matches (say `INSERT`) runs and commits, and then,
 * at its ReadyForQuery, both connections are cut before the client hears anything: the fault of
 * a connection dropped between a commit and its answer. Everything else passes unchanged (the
 * server's messages are read whole: a type byte and a length, then the body).
 */
export interface LostAnswerProxy {
  /** The database's URL with this proxy's host and port. */
  url: string;
  loseNextAnswer(tag: RegExp): void;
  /** How many answers were lost so far. */
  lost(): number;
  close(): Promise<void>;
}

export async function startLostAnswerProxy(databaseUrl: string): Promise<LostAnswerProxy> {
  const target = new URL(databaseUrl);
  let armed: RegExp | null = null;
  let lost = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => undefined);
    }
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    client.pipe(upstream);
    let rest = Buffer.alloc(0);
    let holding = false;
    upstream.on("data", (chunk: Buffer) => {
      rest = Buffer.concat([rest, chunk]);
      const pass: Buffer[] = [];
      while (rest.length >= 5) {
        const size = 1 + rest.readUInt32BE(1);
        if (rest.length < size) break;
        const message = rest.subarray(0, size);
        rest = rest.subarray(size);
        const type = String.fromCharCode(message[0]!);
        if (!holding && armed && type === "C" && armed.test(message.subarray(5).toString("utf8"))) holding = true;
        if (holding && type === "Z") {
          armed = null;
          lost += 1;
          client.destroy();
          upstream.destroy();
          return;
        }
        if (!holding) pass.push(message);
      }
      if (pass.length) client.write(Buffer.concat(pass));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = new URL(databaseUrl);
  url.hostname = "127.0.0.1";
  url.port = String((server.address() as AddressInfo).port);
  return {
    url: url.toString(),
    loseNextAnswer(tag) {
      armed = tag;
    },
    lost: () => lost,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

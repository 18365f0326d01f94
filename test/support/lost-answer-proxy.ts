import { connect, createServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

/**
 * A TCP proxy in front of PostgreSQL that can lose one answer: armed with
 * `loseNextAnswer(statement)`, the next run of that prepared statement (by name, as its Bind
 * message carries it) runs and commits, and then, at its ReadyForQuery saying the session is idle
 * (so the implicit transaction committed), both connections are cut before the client hears
 * anything: the fault of a connection dropped between a commit and its answer. Everything else
 * passes unchanged. Messages are read whole (a type byte and a length, then the body); the
 * client's first message, the startup message, has no type byte. Plain connections only (no TLS).
 */
export interface LostAnswerProxy {
  /** The database's URL with this proxy's host and port. */
  url: string;
  loseNextAnswer(statement: string): void;
  /** How many answers were lost so far. */
  lost(): number;
  close(): Promise<void>;
}

/** Splits `buffer` into whole messages; returns them and what is left. */
function messages(buffer: Buffer, typed: boolean): { whole: Buffer[]; rest: Buffer } {
  const whole: Buffer[] = [];
  let rest = buffer;
  const head = typed ? 1 : 0;
  while (rest.length >= head + 4) {
    const size = head + rest.readUInt32BE(head);
    if (rest.length < size) break;
    whole.push(rest.subarray(0, size));
    rest = rest.subarray(size);
  }
  return { whole, rest };
}

export async function startLostAnswerProxy(databaseUrl: string): Promise<LostAnswerProxy> {
  const target = new URL(databaseUrl);
  let armed: string | null = null;
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

    let started = false;
    let fromClient: Buffer = Buffer.alloc(0);
    /** This connection runs the armed statement: its answers are held, then the connection is cut. */
    let holding = false;
    client.on("data", (chunk: Buffer) => {
      fromClient = Buffer.concat([fromClient, chunk]);
      const { whole, rest } = messages(fromClient, started);
      fromClient = rest;
      for (const message of whole) {
        if (!started) started = true;
        else if (armed && message[0] === 0x42 /* B: Bind */) {
          const body = message.subarray(5);
          const statement = body.subarray(body.indexOf(0) + 1, body.indexOf(0, body.indexOf(0) + 1)).toString();
          if (statement === armed) {
            armed = null;
            holding = true;
          }
        }
        upstream.write(message);
      }
    });

    let fromServer: Buffer = Buffer.alloc(0);
    upstream.on("data", (chunk: Buffer) => {
      fromServer = Buffer.concat([fromServer, chunk]);
      const { whole, rest } = messages(fromServer, true);
      fromServer = rest;
      const pass: Buffer[] = [];
      for (const message of whole) {
        // Z (ReadyForQuery) with status I: the statement's implicit transaction has committed.
        if (holding && message[0] === 0x5a && message[5] === 0x49) {
          holding = false;
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
    loseNextAnswer(statement) {
      armed = statement;
    },
    lost: () => lost,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A process of its own calling the gateway, for tests of what processes share (leases):
 * `tsx --conditions=react-server test/support/lease-caller.ts '<json>'` with the scratch
 * database in DATABASE_URL. `loops` calls at a time, each loop calling until it is refused;
 * prints `{ answered, refused, other }` as one JSON line, gives back its leases, and exits.
 */
import { generateText } from "ai";

const { caller, alias, loops, maxOutputTokens } = JSON.parse(process.argv[2]!) as {
  caller: { workspaceId: string; userId: string; role: "ADMIN"; source: "api" };
  alias: string;
  loops: number;
  maxOutputTokens: number;
};

async function main() {
  const { governedModel } = await import("../../lib/gateway/pipeline");
  const { releaseLeases } = await import("../../lib/gateway/leases");
  const { flushLedger } = await import("../../lib/gateway/ledger");
  const { database } = await import("../../lib/db/client");
  const tally = { answered: 0, refused: 0, other: [] as string[] };
  await Promise.all(
    Array.from({ length: loops }, async () => {
      for (;;) {
        try {
          await generateText({ model: governedModel(alias, caller), prompt: "count", maxOutputTokens, maxRetries: 0 });
          tally.answered += 1;
        } catch (error) {
          if (/Budget reached/.test(String(error))) tally.refused += 1;
          else tally.other.push(String(error).slice(0, 300));
          return;
        }
      }
    }),
  );
  await releaseLeases();
  await flushLedger();
  console.log(JSON.stringify(tally));
  await (await database()).close();
  process.exit(0);
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});

/**
 * Guardrail policies benchmark (issue: one gateway for the organization). In one run:
 * - the policy work alone: a 2 KB prompt with personal data in it, redacted by a policy that
 *   looks for every kind (p50/p99 per call), and the same prompt's answer redacted as it streams;
 * - through the governed model to an OpenAI-compatible server on loopback, interleaved: a
 *   workspace with no policy vs one whose policy redacts every kind in prompts and answers and
 *   withholds injected tool results (p50/p99 added by the policies).
 * - finding personal data in 600 KB of text: ordinary prose (the baseline), text shaped to make a
 *   careless pattern backtrack, and the worst known for phone numbers (single digits and spaces,
 *   each stretch different, so libphonenumber searches every one);
 * Prints one JSON line. Target: redacting a 2 KB prompt adds under 1 ms p50.
 */
import type { LanguageModelV3, LanguageModelV3CallOptions } from "@ai-sdk/provider";
import { startFakeLlmServer } from "../test/support/fake-llm-server";
import { pointAtScratchDatabase, seedWorkspace } from "../test/support/process-database";
import { loopbackAlias } from "./support/loopback-alias";
import { pct, r2 } from "./support/stats";

const N = 300;
const sentence =
  "Please follow up with ada.lovelace@example.com about the invoice; she is on +1 415 555 0132 and paid with 4111 1111 1111 1111. ";
const prompt2k = sentence.repeat(Math.ceil(2048 / sentence.length)).slice(0, 2048);
const options: LanguageModelV3CallOptions = {
  prompt: [{ role: "user", content: [{ type: "text", text: prompt2k }] }],
  maxOutputTokens: 20,
};
const everyKind = {
  pii: { kinds: ["email", "phone", "card", "iban", "us_ssn", "uk_nino", "ip"], prompts: true, answers: true },
  injection: true,
};

const stat = (xs: number[]) => ({ p50: r2(pct(xs, 50)), p99: r2(pct(xs, 99)) });

async function timeEach(n: number, call: () => unknown): Promise<number[]> {
  for (let i = 0; i < 20; i++) await call();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await call();
    out.push(performance.now() - t);
  }
  return out;
}

async function drain(model: LanguageModelV3) {
  const { stream } = await model.doStream(options);
  const reader = stream.getReader();
  while (!(await reader.read()).done);
}

async function main() {
  const { guardCall } = await import("../lib/gateway/policy-guard");
  const { AnswerRedactor } = await import("../lib/gateway/policy-answers");
  const { policyRulesSchema } = await import("../lib/schemas/guardrail-policy");
  const policy = { id: "bench", name: "bench", rules: policyRulesSchema.parse(everyKind) };
  const promptOnly = stat(await timeEach(N, () => guardCall([policy], options)));
  const answerOnly = stat(
    await timeEach(N, () => {
      const r = new AnswerRedactor([policy]);
      for (let i = 0; i < prompt2k.length; i += 16) r.push(prompt2k.slice(i, i + 16));
      r.flush();
    }),
  );

  const { findPii } = await import("../lib/engine/guardrail/pii");
  const { piiKinds } = await import("../lib/schemas/node-kinds/guardrail");
  let seed = 7;
  const digit = () => String((seed = (seed * 48271) % 2147483647) % 10);
  const long = {
    prose: "Please follow up with the team about the invoice; it was paid last week. ".repeat(8200),
    backtrack: `${"a".repeat(200_000)} ${"1 ".repeat(100_000)} ${"a.".repeat(100_000)}`,
    digitSoup: Array.from({ length: 300_000 }, () => `${digit()} `).join(""),
  };
  const findIn600k = Object.fromEntries(
    Object.entries(long).map(([name, text]) => {
      const t = performance.now();
      findPii(text.slice(0, 600_000), piiKinds);
      return [name, r2(performance.now() - t)];
    }),
  );

  const llm = await startFakeLlmServer();
  const scratch = await pointAtScratchDatabase("benchguard");
  try {
    const { db } = await import("../lib/db/client");
    const policies = await import("../lib/gateway/policies");
    const { governedModel } = await import("../lib/gateway/pipeline");
    const prisma = await db();
    const model = async (slug: string) => {
      const [viewer] = await seedWorkspace(prisma, slug, [
        { email: `${slug}@example.com`, role: "ADMIN", installationOwner: true },
      ]);
      await loopbackAlias(viewer, llm.baseUrl);
      return {
        viewer,
        model: governedModel("fast", {
          workspaceId: viewer.workspace.id,
          userId: viewer.user.id,
          role: "ADMIN",
          source: "api",
        }),
      };
    };
    const off = await model("guards-off");
    const on = await model("guards-on");
    await policies.savePolicy(on.viewer, null, {
      name: "bench",
      workspaceId: on.viewer.workspace.id,
      rules: everyKind as never,
    });
    await timeEach(20, () => drain(off.model));
    await timeEach(20, () => drain(on.model));
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i < N; i++) {
      let t = performance.now();
      await drain(off.model);
      xs.push(performance.now() - t);
      t = performance.now();
      await drain(on.model);
      ys.push(performance.now() - t);
    }
    const seen = JSON.stringify(llm.requests.slice(-1));
    console.log(
      JSON.stringify({
        bench: "guardrails",
        promptBytes: prompt2k.length,
        redactPrompt2kMs: promptOnly,
        redactAnswer2kMs: answerOnly,
        findIn600kMs: { ...findIn600k, ratioWorstToProse: r2(findIn600k.digitSoup! / findIn600k.prose!) },
        gateway: {
          policiesOff: stat(xs),
          policiesOn: stat(ys),
          addedP50Ms: r2(pct(ys, 50) - pct(xs, 50)),
          addedP99Ms: r2(pct(ys, 99) - pct(xs, 99)),
          ratioP50: r2(pct(ys, 50) / pct(xs, 50)),
        },
        providerSawAnAddress: seen.includes("ada.lovelace@example.com"),
        target: "redacting a 2 KB prompt adds under 1 ms p50",
      }),
    );
  } finally {
    await scratch.done();
    await llm.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

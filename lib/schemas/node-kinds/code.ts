import { z } from "zod";
import { singleOutput, type NodeKindSpec } from "./spec";

export const codeConfigSchema = z.object({
  code: z.string().min(1, "Write some code").max(50_000, "At most 50,000 characters").meta({
    title: "JavaScript",
    description:
      "The body of an async function. input is the run's input and nodes.<id>.output an earlier step's output; what you return is this step's output. console.log lines are kept with the step. No network, files or timers.",
    widget: "code",
  }),
  timeLimitSeconds: z.number().min(0.1, "At least 0.1 seconds").max(30, "At most 30 seconds").default(2).meta({
    title: "Code time limit (seconds)",
    description: "The sandbox stops the code past it, and the step fails.",
  }),
  memoryMb: z
    .number()
    .int()
    .min(8, "At least 8 MB")
    .max(256, "At most 256 MB")
    .default(32)
    .meta({ title: "Memory limit (MB)" }),
});

/**
 * The keys of the object literal the code returns last (`return { total, count: n }`), offered
 * as output fields; a guess from the text, never run.
 */
export function returnedKeys(code: string): string[] {
  const at = code.lastIndexOf("return {");
  if (at < 0) return [];
  // The literal's own level, with nested values and strings left out.
  let depth = 0;
  let quote: string | null = null;
  let flat = "";
  for (const char of code.slice(at + "return ".length)) {
    if (quote) {
      if (char === quote) quote = null;
      continue;
    }
    if (char === '"' || char === "'" || char === "`") {
      quote = char;
      if (depth === 1) flat += "#";
    } else if ("{[(".includes(char)) depth += 1;
    else if ("}])".includes(char)) {
      depth -= 1;
      if (depth === 0) break;
    } else if (depth === 1) flat += char;
  }
  const keys = flat.split(",").map((part) => /^\s*([A-Za-z_$][\w$]*)\s*(?::|$)/.exec(part)?.[1]);
  return [...new Set(keys.filter((key): key is string => Boolean(key)))];
}

export const code = {
  kind: "code",
  label: "Code",
  description: "Runs JavaScript in a sandbox",
  icon: "{}",
  accent: "slate",
  configSchema: codeConfigSchema,
  defaultConfig: {
    code: "// `input` is the run's input; `nodes.<id>.output` an earlier step's output.\nreturn { received: input };",
    timeLimitSeconds: 2,
    memoryMb: 32,
  },
  hasInput: true,
  outputs: singleOutput,
  outputFields: (config) => returnedKeys(config.code),
} satisfies NodeKindSpec<typeof codeConfigSchema>;

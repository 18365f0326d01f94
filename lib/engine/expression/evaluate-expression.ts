import jsonata from "jsonata";

/**
 * JSONata with limits, so one expression cannot freeze the process that runs it. JSONata 2
 * evaluates as a chain of promises that never yields to the event loop on its own: a big
 * range (`[1..3000000].($ * 2)`) once blocked the server for 13 to 23 s. Here every evaluation:
 * - yields to the event loop every `sliceMs` of work (through JSONata's evaluation entry hook),
 *   so other requests and runs go on while it works;
 * - stops after `timeMs` of its own work (time spent letting others work does not count), or
 *   deeper than `depth` nested evaluations (JSONata's own guardrail);
 * - stops a sequence longer than `items` (ranges included, before they are allocated), a text
 *   longer than `textChars`, and the builtins that do large work in one synchronous step
 *   ($pad's width, $distinct's list) beyond those sizes.
 * The error names the limit. Not covered: a regular expression that backtracks
 * catastrophically runs inside one step (only a separate thread could cut it short).
 */
export interface ExpressionLimits {
  timeMs: number;
  depth: number;
  items: number;
  textChars: number;
  sliceMs: number;
}

export const EXPRESSION_LIMITS: ExpressionLimits = {
  timeMs: 1_000,
  depth: 200,
  items: 10_000,
  textChars: 1_000_000,
  sliceMs: 10,
};

/** An expression went past one of its limits; the message names it. */
export class ExpressionLimitError extends Error {
  override name = "ExpressionLimitError";
}

/** $distinct compares every pair in one step: 2,000 items are about 2 million comparisons. */
const DISTINCT_ITEMS = 2_000;

const fmt = (n: number) => n.toLocaleString("en-US");

function limitError(error: unknown, limits: ExpressionLimits): Error | null {
  const code = (error as { code?: string } | null)?.code;
  if (code === "D1011" || error instanceof RangeError)
    return new ExpressionLimitError(`the expression nests deeper than the depth limit of ${fmt(limits.depth)}`);
  if (code === "D2014" || code === "D2015")
    return new ExpressionLimitError(
      `the expression makes a list longer than the size limit of ${fmt(limits.items)} items`,
    );
  return null;
}

/** Evaluates `expression` over `data` within `limits`; throws ExpressionLimitError naming the limit passed. */
export async function evaluateExpression(
  expression: string,
  data: unknown,
  limits: ExpressionLimits = EXPRESSION_LIMITS,
): Promise<unknown> {
  const tooLong = () =>
    new ExpressionLimitError(
      `the expression makes a text longer than the size limit of ${fmt(limits.textChars)} characters`,
    );
  const tooMany = () =>
    new ExpressionLimitError(`the expression makes a list longer than the size limit of ${fmt(limits.items)} items`);
  const tooManyToCompare = () =>
    new ExpressionLimitError(`$distinct takes at most ${fmt(DISTINCT_ITEMS)} items (a size limit)`);
  const tooSlow = () =>
    new ExpressionLimitError(`the expression ran longer than the time limit of ${fmt(limits.timeMs)} ms`);
  // Time counts while the expression works, not while it lets others work: on a busy server
  // an ordinary expression must not run out of time waiting for its turn.
  let worked = 0;
  let sliceStarted = performance.now();
  const compiled = jsonata(expression, { stack: limits.depth, sequence: limits.items });
  // The hooks are looked up by symbol in the expression's environment (bindings passed to
  // evaluate() take string keys only), so they are assigned to this compiled expression.
  compiled.assign(Symbol.for("jsonata.__evaluate_entry") as unknown as string, async () => {
    const slice = performance.now() - sliceStarted;
    if (worked + slice > limits.timeMs) throw tooSlow();
    if (slice < limits.sliceMs) return;
    worked += slice;
    await new Promise((resolve) => setTimeout(resolve, 0));
    sliceStarted = performance.now();
  });
  compiled.assign(
    Symbol.for("jsonata.__evaluate_exit") as unknown as string,
    (_expr: unknown, _input: unknown, _env: unknown, result: unknown) => {
      if (typeof result === "string" && result.length > limits.textChars) throw tooLong();
      if (Array.isArray(result) && result.length > limits.items) throw tooMany();
    },
  );
  const bindings = {
    pad: (text: unknown, width: number, char?: string) => {
      if (Math.abs(width) > limits.textChars) throw tooLong();
      return ownPad.evaluate({}, { text, width, char });
    },
    distinct: (list: unknown) => {
      // Compares each item with every one kept so far, in one synchronous step: n² work.
      if (Array.isArray(list) && list.length > DISTINCT_ITEMS) throw tooManyToCompare();
      return ownDistinct.evaluate({}, { list });
    },
  };
  try {
    return await compiled.evaluate(data, bindings);
  } catch (error) {
    throw limitError(error, limits) ?? error;
  }
}

/** JSONata's own $pad and $distinct, called once the sizes are checked. */
const ownPad = jsonata("$pad($text, $width, $char)");
const ownDistinct = jsonata("$distinct($list)");

/** What conditions and mappings read: `{ nodes: { <id>: { output } }, input }`. */
export function expressionData(outputs: Record<string, unknown>, runInput: unknown) {
  return {
    nodes: Object.fromEntries(Object.entries(outputs).map(([id, output]) => [id, { output }])),
    input: runInput,
  };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * What of the data a mapping or a Code step's source read (`expressionData`, as it was when the
 * step began), as its step's input on the run page: the steps it names (`nodes.fetch…`,
 * `nodes["fetch"]`, `` nodes.`fetch` ``) and the run's input if it names `input`. A step reached
 * some other way (`Object.keys(nodes)`) is not listed.
 */
export function dataReadBy(source: string, data: ReturnType<typeof expressionData>) {
  const named = Object.keys(data.nodes).filter((id) =>
    new RegExp(
      `\\bnodes(?:\\s*\\.\\s*(?:${escapeRegExp(id)}\\b|\`${escapeRegExp(id)}\`)|\\s*\\[\\s*["'\`]${escapeRegExp(id)}["'\`]\\s*\\])`,
    ).test(source),
  );
  return {
    ...(named.length > 0 && { nodes: Object.fromEntries(named.map((id) => [id, data.nodes[id]])) }),
    ...(/\binput\b/.test(source) && { input: data.input }),
  };
}

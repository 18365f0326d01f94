import type { EvaluationView } from "@/lib/schemas/evaluations";

const when = new Intl.DateTimeFormat(undefined, {
  day: "numeric",
  month: "short",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

/** How an evaluation is named in lists: what it ran on, and when. */
export const evaluationName = (e: EvaluationView) =>
  `${e.version ? `Version ${e.version}` : "Draft"}, ${when.format(new Date(e.createdAt))}`;

/** The share of finished cases that passed, in percent. */
export const passRate = (e: EvaluationView) => (e.done ? Math.round((e.passed / e.done) * 100) : 0);

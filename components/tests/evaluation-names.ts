import type { EvaluationView } from "@/lib/schemas/evaluations";
import { moment } from "@/components/ui/moment";

/** How an evaluation is named in lists: what it ran on, and when. */
export const evaluationName = (e: EvaluationView) =>
  `${e.version ? `Version ${e.version}` : "Draft"}, ${moment(e.createdAt, { seconds: true })}`;

/** The share of finished cases that passed, in percent. */
export const passRate = (e: EvaluationView) => (e.done ? Math.round((e.passed / e.done) * 100) : 0);

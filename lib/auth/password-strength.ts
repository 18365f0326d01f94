import "server-only";
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as english from "@zxcvbn-ts/language-en";
import { AppError } from "../errors/app-error";
import { processSingleton } from "../process/singleton";

/**
 * zxcvbn's score runs 0 (guessed at once) to 4; 3 means about 10^8 guesses, "safely
 * unguessable" for an online attack that the sign-in limiter slows down.
 */
const MIN_SCORE = 3;

const estimator = () =>
  processSingleton(
    "password-estimator",
    () =>
      new ZxcvbnFactory({
        translations: english.translations,
        graphs: common.adjacencyGraphs,
        dictionary: { ...common.dictionary, ...english.dictionary },
      }),
  );

/**
 * Why this password is too easy to guess, in words for the person choosing it, or null when it
 * is strong enough. `related` are the person's own details (email, name): a password made of
 * them is weak.
 */
export function passwordWeakness(password: string, related: string[] = []): string | null {
  const inputs = related.flatMap((r) => [r, ...r.split(/[@.\s_-]+/)]).filter((r) => r.length >= 3);
  // The estimate costs time that grows with the length (hundreds of ms at 200 characters on a
  // busy machine, on the event loop): the first 100 characters decide.
  const result = estimator().check(password.slice(0, 100), inputs);
  if (result.score >= MIN_SCORE) return null;
  const reason = result.feedback.warning ?? "This password is too easy to guess.";
  const hint = result.feedback.suggestions[0] ?? "Add another word or two; uncommon words are better.";
  return `${reason} ${hint}`;
}

/** Throws a 400 naming `field` (such as "body.password") with the reason, when the password is weak. */
export async function assertStrongPassword(password: string, related: string[], field: string): Promise<void> {
  const weakness = passwordWeakness(password, related);
  if (!weakness) return;
  throw new AppError("bad_request", `${field}: ${weakness}`, { fields: [{ path: field, message: weakness }] });
}

import { z } from "zod";

/** The most a pinned output may weigh, as JSON: a pin is a sample, not a data store. */
export const MAX_PIN_BYTES = 256_000;

/** Pin a step's output: one typed by the person, or the step's output in the workflow's last run that finished it. */
export const pinInputSchema = z.union([
  z.object({ output: z.unknown().refine((v) => v !== undefined, "an output is needed") }).strict(),
  z.object({ fromLastRun: z.literal(true) }).strict(),
]);
export type PinInput = z.infer<typeof pinInputSchema>;

export const storedPinSchema = z.object({
  output: z.unknown(),
  pinnedAt: z.string(),
  pinnedBy: z.string().nullable(),
  /** The run it was taken from; null when typed. */
  fromRunId: z.string().nullable(),
});
export type StoredPin = z.infer<typeof storedPinSchema>;

/** A workflow's pins by node id; anything unreadable counts as no pins. */
export const storedPinsSchema = z.record(z.string(), storedPinSchema).catch({});

/** A pin as the editor shows it: who pinned it, by name. */
export interface PinView extends StoredPin {
  pinnedByName: string | null;
}

import { z } from "zod";

/** A variable's or secret's name, as templates write it ({{vars.name}}, {{secrets.name}}). */
export const variableNameSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, "Use letters, digits and _, starting with a letter (at most 64)");

export const createVariableInputSchema = z
  .object({
    name: variableNameSchema,
    value: z.string().max(10_000, "At most 10,000 characters"),
    secret: z.boolean().default(false),
  })
  .refine((v) => !v.secret || v.value.length >= 8, {
    path: ["value"],
    message: "A secret has at least 8 characters",
  });
export type CreateVariableInput = z.infer<typeof createVariableInputSchema>;

export const updateVariableInputSchema = z.object({ value: z.string().max(10_000, "At most 10,000 characters") });

/** What the studio shows of a variable: a secret's value never, only its last four characters. */
export interface VariableView {
  id: string;
  name: string;
  secret: boolean;
  /** A variable's value; null for a secret. */
  value: string | null;
  /** A secret's last four characters ("…x9Qz") when it is long enough to spare them; null otherwise. */
  hint: string | null;
  updatedAt: string;
}

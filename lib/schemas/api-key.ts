import { z } from "zod";

export const createApiKeyInputSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Name the key after what uses it, such as “CI pipeline”")
    .max(80, "Use at most 80 characters"),
});
export type CreateApiKeyInput = z.infer<typeof createApiKeyInputSchema>;

export interface ApiKeyView {
  id: string;
  name: string;
  /** The key's first characters, to recognise it; the key itself is shown once only. */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

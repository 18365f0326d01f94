import type { Prisma } from "./generated/client";

/**
 * A value parsed by one of our zod schemas, typed for a Json column. The zod schemas only
 * admit JSON-safe shapes, so this is a type assertion, not a conversion; reading goes the
 * other way through the same schema.
 */
export const toJson = <T extends object>(value: T): Prisma.InputJsonValue => value as unknown as Prisma.InputJsonValue;

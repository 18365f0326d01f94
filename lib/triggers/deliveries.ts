import "server-only";
import { db } from "../db/client";

/** Deliveries kept per trigger (the newest); older ones, and their keys, are let go. */
const KEPT_DELIVERIES = 200;

/** Deletes a trigger's deliveries older than its newest 200 (called now and then, not on every one). */
export async function pruneDeliveries(triggerId: string): Promise<void> {
  const prisma = await db();
  const keep = await prisma.triggerDelivery.findMany({
    where: { triggerId },
    orderBy: { at: "desc" },
    skip: KEPT_DELIVERIES,
    take: 1,
    select: { at: true },
  });
  if (keep[0]) await prisma.triggerDelivery.deleteMany({ where: { triggerId, at: { lte: keep[0].at } } });
}

import "server-only";
import { recordAudit } from "../audit/record";
import { db } from "../db/client";
import { isUniqueViolation } from "../db/unique-violation";
import { AppError, notFound } from "../errors/app-error";
import { logger } from "../log/logger";
import { notifiedCache } from "../platform/notified-cache";
import { secretRedactor } from "../engine/template/named-values";
import type { DestinationView } from "../schemas/destination";
import { sendHttpRequest, type HttpRequest, type HttpResponse } from "./http-request";
import { guardedFetch, type Pool } from "./guard";
import { EgressRefused, matchRule, type HostRule } from "./policy";

/**
 * A workspace's HTTP destinations (the hosts its HTTP Request steps may reach; none by default)
 * and the audited send: every request a run makes is one audit row, sent or refused, with its
 * method, host and path (never its query, headers or body) and how it ended.
 */
interface Actor {
  workspaceId: string;
  /** Null for a run whose starter is gone. */
  userId: string | null;
}

const view = (r: {
  id: string;
  pattern: string;
  allowPrivate: boolean;
  requireApproval: boolean;
  createdAt: Date;
}): DestinationView => ({
  id: r.id,
  pattern: r.pattern,
  allowPrivate: r.allowPrivate,
  requireApproval: r.requireApproval,
  createdAt: r.createdAt.toISOString(),
});

/**
 * A workspace's rules, kept in memory (a team's own model provider reads them on every call);
 * adding or removing a destination drops them here and, by NOTIFY, in every other process.
 */
const rules = notifiedCache({
  name: "destinations",
  channel: "destinations",
  ttlMs: 60_000,
  load: async (workspaceId): Promise<HostRule[]> =>
    (await db()).httpDestination.findMany({
      where: { workspaceId },
      select: { pattern: true, allowPrivate: true, requireApproval: true },
    }),
});

/** The rules of a workspace's HTTP destinations, as the door and `outboundDispatcher` (./guard.ts) take them. */
export async function workspaceRules(workspaceId: string): Promise<HostRule[]> {
  if (!workspaceId) return []; // never every workspace's rules
  return rules.get(workspaceId);
}

/**
 * A fetch for the studio's own requests on a workspace's behalf to an address its admin chose
 * (a team's own MCP server over HTTP, its own model providers: `pool` "models"): any public
 * address, a private, loopback or link-local one only when one of the workspace's destinations
 * allows it (`outboundDispatcher`, the rules as cached above); redirects are not followed. A
 * refusal throws EgressRefused, saying why.
 */
export function workspaceFetch(
  workspaceId: string,
  pool: Pool = "egress",
): (input: string | URL | Request, init?: RequestInit) => Promise<Response> {
  return async (input, init) =>
    guardedFetch(
      new URL(input instanceof Request ? input.url : String(input)),
      init ?? {},
      await workspaceRules(workspaceId),
      pool,
    );
}

/** Drops the workspace's cached rules everywhere; the change is saved already, so a failed NOTIFY is logged, not thrown. */
async function rulesChanged(workspaceId: string): Promise<void> {
  try {
    await rules.invalidate(workspaceId);
  } catch (error) {
    logger().warn({ err: error, workspaceId }, "could not tell other processes that HTTP destinations changed");
  }
}

export async function listDestinations(actor: Actor): Promise<DestinationView[]> {
  const prisma = await db();
  const rows = await prisma.httpDestination.findMany({
    where: { workspaceId: actor.workspaceId },
    orderBy: { pattern: "asc" },
  });
  return rows.map(view);
}

export async function addDestination(actor: Actor, rule: HostRule): Promise<DestinationView> {
  const prisma = await db();
  try {
    const added = await prisma.$transaction(async (tx) => {
      const row = await tx.httpDestination.create({
        data: { workspaceId: actor.workspaceId, ...rule, createdById: actor.userId },
      });
      await recordAudit(tx, {
        workspaceId: actor.workspaceId,
        actorId: actor.userId,
        action: "http.destination.add",
        targetType: "HttpDestination",
        targetId: row.id,
        after: { pattern: row.pattern, allowPrivate: row.allowPrivate, requireApproval: row.requireApproval },
      });
      return view(row);
    });
    await rulesChanged(actor.workspaceId);
    return added;
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError("conflict", `body.pattern: “${rule.pattern}” is allowed already.`, {
        fields: [{ path: "body.pattern", message: "Allowed already" }],
      });
    throw error;
  }
}

export async function removeDestination(actor: Actor, id: string): Promise<{ deleted: true }> {
  const prisma = await db();
  const removed = await prisma.$transaction(async (tx) => {
    const row = await tx.httpDestination.findFirst({ where: { id, workspaceId: actor.workspaceId } });
    if (!row) throw notFound("Destination");
    await tx.httpDestination.delete({ where: { id } });
    await recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actorId: actor.userId,
      action: "http.destination.remove",
      targetType: "HttpDestination",
      targetId: id,
      before: { pattern: row.pattern, allowPrivate: row.allowPrivate, requireApproval: row.requireApproval },
    });
    return { deleted: true as const };
  });
  await rulesChanged(actor.workspaceId);
  return removed;
}

/** Methods that change things at the destination, and so may wait for a person's approval. */
export const changingMethods: readonly string[] = ["POST", "PUT", "PATCH", "DELETE"];

/**
 * Whether a request must wait for a person's approval: it changes things (POST, PUT, PATCH,
 * DELETE) and the destination it would reach (its most specific rule) requires approval. A
 * host no rule allows needs none: the door refuses it anyway.
 */
export async function needsApproval(
  workspaceId: string,
  request: { method: string; url: string },
  database: <T>(call: () => Promise<T>) => Promise<T> = (call) => call(),
): Promise<boolean> {
  if (!changingMethods.includes(request.method)) return false;
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return false;
  }
  const rules = await database(() => workspaceRules(workspaceId));
  return rules.some((r) => r.requireApproval) && matchRule(rules, url)?.requireApproval === true;
}

/** Host and path of a URL, for the audit trail: never the query (it may carry a key). */
function shown(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return "(not a URL)";
  }
}

/**
 * Sends a run's request through the door with the workspace's rules, and records it in the
 * audit trail (sent, with its status, or refused, with why), attributed to the run's starter.
 * `database` wraps each of its database calls (the worker hands the run back when the database
 * drops), never the request itself: a destination that refuses a connection is the step's
 * failure, not the database's.
 */
export async function sendFromWorkspace(
  actor: Actor,
  request: HttpRequest,
  context: { runId: string; nodeId: string; secrets?: Record<string, string>; approver?: string },
  database: <T>(call: () => Promise<T>) => Promise<T> = (call) => call(),
): Promise<HttpResponse> {
  const prisma = await db();
  const rules = await database(() => workspaceRules(actor.workspaceId));
  const redact = secretRedactor(context.secrets ?? {});
  const audit = (after: Record<string, string | number | null>) =>
    database(() =>
      recordAudit(prisma, {
        workspaceId: actor.workspaceId,
        actorId: actor.userId,
        action: "http.request",
        targetType: "Run",
        targetId: context.runId,
        after: redact({
          nodeId: context.nodeId,
          method: request.method,
          url: shown(request.url),
          ...(context.approver && { approvedBy: context.approver }),
          ...after,
        }),
      }),
    );
  try {
    const response = await sendHttpRequest({ ...request, approved: !!context.approver }, rules);
    await audit({
      outcome: "sent",
      status: response.status,
      finalUrl: shown(response.url),
      attempts: response.attempts,
      durationMs: Math.round(response.durationMs),
    });
    return response;
  } catch (error) {
    await audit({
      outcome: error instanceof EgressRefused ? "refused" : "failed",
      reason: error instanceof EgressRefused ? error.reason : null,
      error: (error as Error).message?.slice(0, 500) ?? null,
    }).catch(() => undefined);
    throw error;
  }
}

import "server-only";
import { createHash } from "node:crypto";
import type { LanguageModelV3CallOptions } from "@ai-sdk/provider";
import { db } from "../db/client";
import { toJson } from "../db/json";

/**
 * The opt-in answer cache of an alias: identical requests at temperature 0 get the stored
 * answer (text and usage) until it expires, and every hit is counted.
 */
export interface CachedAnswer {
  text: string;
  inputTokens: number;
  outputTokens: number;
}

export function cacheKey(workspaceId: string, alias: string, options: LanguageModelV3CallOptions): string {
  const { prompt, tools, toolChoice, responseFormat, maxOutputTokens, stopSequences, topP, seed } = options;
  return createHash("sha256")
    .update(
      JSON.stringify({
        workspaceId,
        alias,
        prompt,
        tools,
        toolChoice,
        responseFormat,
        maxOutputTokens,
        stopSequences,
        topP,
        seed,
      }),
    )
    .digest("hex");
}

export async function cachedAnswer(key: string): Promise<CachedAnswer | null> {
  const prisma = await db();
  const row = await prisma.gatewayCache.findUnique({ where: { key } });
  if (!row || row.expiresAt.getTime() < Date.now()) return null;
  void prisma.gatewayCache.update({ where: { key }, data: { hits: { increment: 1 } } }).catch(() => undefined);
  return row.response as unknown as CachedAnswer;
}

export async function storeAnswer(
  key: string,
  workspaceId: string,
  alias: string,
  answer: CachedAnswer,
  ttlSeconds: number,
): Promise<void> {
  const prisma = await db();
  const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
  await prisma.gatewayCache.upsert({
    where: { key },
    create: { key, workspaceId, alias, response: toJson(answer), expiresAt },
    update: { response: toJson(answer), expiresAt },
  });
}

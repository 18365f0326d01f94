import type { AliasInput } from "../../lib/schemas/gateway";

/**
 * A model for tests and benchmarks: the given deployments (weight 1, no limits of their own,
 * 30 s to answer unless said), $1 per output token unless `extra` prices it, open to admins and
 * builders unless `extra` says otherwise.
 */
export function aliasInput(
  name: string,
  deployments: { providerId: string; modelId: string; weight?: number; timeoutSeconds?: number }[],
  extra: Partial<AliasInput> = {},
): AliasInput {
  return {
    name,
    description: "",
    inputPricePerMTok: 0,
    outputPricePerMTok: 1_000_000,
    contextWindow: 128_000,
    maxOutputTokens: 1000,
    supportsTools: true,
    supportsStructured: true,
    allowedRoles: ["ADMIN", "BUILDER"],
    allowedUserIds: [],
    cacheTtlSeconds: 0,
    ...extra,
    deployments: deployments.map((d) => ({
      providerId: d.providerId,
      modelId: d.modelId,
      weight: d.weight ?? 1,
      rpmLimit: null,
      tpmLimit: null,
      timeoutSeconds: d.timeoutSeconds ?? 30,
    })),
  };
}

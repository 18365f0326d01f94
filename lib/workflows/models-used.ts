import { z } from "zod";
import { nodeKindSpecs } from "../schemas/node-kinds";
import type { NodeKind } from "../schemas/workflow";

/**
 * Which models a graph's steps name: every config field whose widget is "model" (an Agent's
 * model, a Guardrail's judge…), read from the kinds' own schemas, so a new kind with a model is
 * found without a change here. Before a team loses a model's name (a grant renamed or taken
 * away), the organization is told which of its workflows call it.
 */
const fieldsByKind = new Map<string, string[]>();

function modelFields(kind: string): string[] {
  let fields = fieldsByKind.get(kind);
  if (!fields) {
    const spec = nodeKindSpecs[kind as NodeKind];
    const schema = spec ? (z.toJSONSchema(spec.configSchema, { io: "input" }) as { properties?: object }) : {};
    fields = Object.entries(schema.properties ?? {})
      .filter(([, p]) => (p as { widget?: string }).widget === "model")
      .map(([name]) => name);
    fieldsByKind.set(kind, fields);
  }
  return fields;
}

/** The steps of a stored graph that name a model, with the name. Unreadable graphs name none. */
export function modelsUsed(graph: unknown): { label: string; model: string }[] {
  const nodes = (graph as { nodes?: unknown } | null)?.nodes;
  if (!Array.isArray(nodes)) return [];
  return nodes.flatMap((n: { kind?: unknown; label?: unknown; config?: Record<string, unknown> }) =>
    typeof n?.kind === "string"
      ? modelFields(n.kind)
          .map((f) => n.config?.[f])
          .filter((m): m is string => typeof m === "string" && m !== "")
          .map((model) => ({ label: typeof n.label === "string" ? n.label : "", model }))
      : [],
  );
}

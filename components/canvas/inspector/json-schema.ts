import { z } from "zod";
import { specOf } from "@/lib/schemas/node-kinds";
import { nodeSettingsSchema, type NodeKind } from "@/lib/schemas/workflow";

/** The part of JSON Schema (as z.toJSONSchema writes it) that the inspector renders. */
export interface JsonSchema {
  type?: string;
  title?: string;
  description?: string;
  widget?:
    | "textarea"
    | "template"
    | "expression"
    | "code"
    | "json"
    | "markdown"
    | "workflow"
    | "model"
    | "tool"
    | "tools"
    | "checklist";
  /** Shown only while this other field of the step has a value (a field that only matters with it). */
  shownWith?: string;
  /** For lists: what one entry is called ("branch"), for the Add button. */
  itemLabel?: string;
  enum?: string[];
  /** Words for an enum's values, in selects and checklists. */
  optionLabels?: Record<string, string>;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  default?: unknown;
  minimum?: number;
  minLength?: number;
  maximum?: number;
}

const cache = new Map<NodeKind, JsonSchema>();

/** A node kind's config schema as JSON Schema: the one source of the inspector's form. */
export function formSchemaOf(kind: NodeKind): JsonSchema {
  let schema = cache.get(kind);
  if (!schema) {
    schema = z.toJSONSchema(specOf(kind).configSchema, { io: "input" }) as JsonSchema;
    cache.set(kind, schema);
  }
  return schema;
}

let settingsSchema: JsonSchema | undefined;
/** The step settings (timeout, retries, on error) as JSON Schema, for the same form renderer. */
export function settingsFormSchema(): JsonSchema {
  settingsSchema ??= z.toJSONSchema(nodeSettingsSchema, { io: "input" }) as JsonSchema;
  return settingsSchema;
}

/** A blank value for a new array item, from its schema. */
export function blankValue(schema: JsonSchema): unknown {
  if (schema.default !== undefined) return structuredClone(schema.default);
  if (schema.enum) return schema.enum[0];
  switch (schema.type) {
    case "object":
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, s]) => [k, blankValue(s)]));
    case "array":
      return [];
    case "boolean":
      return false;
    case "number":
    case "integer":
      return schema.minimum ?? 0;
    default:
      return "";
  }
}

/**
 * What the step's form calls one of its fields (as `diffGraphs` names them: a config key,
 * `label`, `kind`, `settings.<key>`, `parentId`), for a person reading what changed.
 */
export function fieldTitle(kind: NodeKind, field: string): string {
  if (field === "label") return "Name";
  if (field === "kind") return "Kind of step";
  if (field === "parentId") return "In or out of a Loop";
  if (field.startsWith("settings.")) {
    const key = field.slice("settings.".length);
    return settingsFormSchema().properties?.[key]?.title ?? key;
  }
  return formSchemaOf(kind).properties?.[field]?.title ?? field;
}

import type { WorkflowGraph } from "../../schemas/workflow";

/**
 * A workspace's named values as a run sees them: variables (`{{vars.name}}`, plain text) and,
 * only where a step sends them out, secrets (`{{secrets.name}}`).
 */
export interface NamedValues {
  vars: Record<string, string>;
  /** Present only for the steps that may use secrets (HTTP Request). */
  secrets?: Record<string, string>;
}

export interface NamedReference {
  space: "vars" | "secrets";
  name: string;
  raw: string;
}

const NAMED = /\{\{\s*(vars|secrets)\.([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;

export function findNamedReferences(text: string): NamedReference[] {
  return [...text.matchAll(NAMED)].map((m) => ({ space: m[1] as "vars" | "secrets", name: m[2]!, raw: m[0] }));
}

const namesOfGraph = new WeakMap<WorkflowGraph, { vars: string[]; secrets: string[] }>();

/**
 * Every variable and secret the graph's steps name, so a run loads only those (and none when it
 * names none); found once per graph object (a published version's graph is shared by its runs).
 */
export function namesUsed(graph: WorkflowGraph): { vars: string[]; secrets: string[] } {
  const known = namesOfGraph.get(graph);
  if (known) return known;
  const found = scanNames(graph);
  namesOfGraph.set(graph, found);
  return found;
}

function scanNames(graph: WorkflowGraph): { vars: string[]; secrets: string[] } {
  const text = JSON.stringify(graph.nodes.map((n) => n.config));
  const used = { vars: new Set<string>(), secrets: new Set<string>() };
  if (text.includes("{{")) for (const ref of findNamedReferences(text)) used[ref.space].add(ref.name);
  return { vars: [...used.vars], secrets: [...used.secrets] };
}

/** The ways a value is written where a step may record it: as is, in JSON, and URL- or form-encoded. */
function spellings(value: string): string[] {
  const out = [value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)];
  out.push(new URLSearchParams({ v: value }).toString().slice(2));
  try {
    out.push(new URL(`http://x/?${value}`).search.slice(1), new URL(`http://x/${value}`).pathname.slice(1));
  } catch {
    // not expressible in a URL: nothing more to look for
  }
  return out.filter((s) => s.length >= SHORTEST_REDACTED);
}

/** Secrets shorter than this are not looked for in what a step records (they would match ordinary text). */
const SHORTEST_REDACTED = 4;

/**
 * Replaces every secret's value, wherever it appears in a value a step records (its output,
 * input, error, console), with `[secret:name]`; also as JSON, URL and form encoding write it. Identity when there
 * are no secrets.
 */
export function secretRedactor(secrets: Record<string, string>): <T>(value: T) => T {
  const needles = Object.entries(secrets)
    .filter(([, value]) => value.length >= SHORTEST_REDACTED)
    .flatMap(([name, value]) => [...new Set(spellings(value))].map((spelling) => [spelling, name]))
    .sort((a, b) => b[0]!.length - a[0]!.length);
  if (!needles.length) return (value) => value;
  const text = (s: string) => {
    let out = s;
    for (const [needle, name] of needles) if (out.includes(needle!)) out = out.split(needle!).join(`[secret:${name}]`);
    return out;
  };
  const walk = (value: unknown, depth: number): unknown => {
    if (typeof value === "string") return text(value);
    if (depth > 100 || value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) return value.map((v) => walk(v, depth + 1));
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [text(k), walk(v, depth + 1)]));
  };
  return <T>(value: T) => walk(value, 0) as T;
}

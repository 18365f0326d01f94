/**
 * References in template text: {{nodes.<id>.output.<path>}}. Anything else between braces is
 * left alone here; the template resolver reports it at run time.
 */
export interface Reference {
  nodeId: string;
  path: string[];
  /** The reference as written, braces included. */
  raw: string;
}

const REFERENCE = /\{\{\s*nodes\.([A-Za-z][A-Za-z0-9_-]*)\.output((?:\.[A-Za-z0-9_]+)*)\s*\}\}/g;

export function findReferences(text: string): Reference[] {
  return [...text.matchAll(REFERENCE)].map((m) => ({
    nodeId: m[1]!,
    path: (m[2] ?? "").split(".").filter(Boolean),
    raw: m[0],
  }));
}

/** Node ids named in a JSONata expression through `nodes.<id>`. */
export function expressionNodeIds(expression: string): string[] {
  return [...expression.matchAll(/\bnodes\.([A-Za-z][A-Za-z0-9_]*)/g)].map((m) => m[1]!);
}

import { kindsUsingSecrets } from "../../schemas/node-kinds/outputs";
import { findNamedReferences } from "../template/named-values";
import jsonata from "jsonata";
import type { z } from "zod";
import { specOf } from "../../schemas/node-kinds";
import { outputsOf } from "../../schemas/node-kinds/outputs";
import type { WorkflowGraph, WorkflowNode } from "../../schemas/workflow";
import { adjacency } from "./adjacency";
import { findCycle } from "./find-cycle";
import { expressionNodeIds, findReferences } from "./references";
import { walk } from "./walk";
import { bodyOf, hasBody, topLevel } from "./loop-body";
import { loopConfigSchema } from "../../schemas/node-kinds/loop";

/** One thing wrong with a graph, pinned to a node (and field) or an edge where it can be. */
export interface GraphProblem {
  code:
    | "config"
    | "no-start"
    | "many-starts"
    | "unconnected"
    | "cycle"
    | "unreachable"
    | "expression"
    | "reference"
    | "handle"
    | "boundary";
  message: string;
  nodeId?: string;
  edgeId?: string;
  /** Config field path, dot-separated ("branches.0.expression"). */
  field?: string;
}

const label = (n: WorkflowNode) => n.label || n.id;

/** Every string in a config value, with its dot path. */
function strings(value: unknown, path: string[] = []): { path: string; text: string }[] {
  if (typeof value === "string") return [{ path: path.join("."), text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, [...path, String(i)]));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => strings(v, [...path, k]));
  return [];
}

/**
 * Everything that stops a graph from running, for the editor's live problem list and for the
 * server's refusal to publish or run. Pure and fast: it runs on every edit. A Loop's body
 * (the steps drawn inside it) is checked as the graph it runs as, once per item
 * (`bodyOf`): a Start that hands it the item, the steps inside and their connections.
 */
export function validateGraph(graph: WorkflowGraph, around?: Map<string, WorkflowNode>): GraphProblem[] {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const top = topLevel(graph);
  const problems = validateFlat(top, around ?? byId);
  for (const edge of graph.edges) {
    const source = byId.get(edge.source);
    const target = byId.get(edge.target);
    if (source && target && source.parentId !== target.parentId)
      problems.push({
        code: "boundary",
        edgeId: edge.id,
        nodeId: target.id,
        message: `The connection from ${label(source)} to ${label(target)} crosses the edge of a loop: steps inside a loop connect only to each other (hand values in as the Loop's other inputs).`,
      });
  }
  for (const loop of top.nodes.filter((n) => n.kind === "loop")) {
    const config = loopConfigSchema.safeParse(loop.config);
    const picked = config.success && config.data.workflowId !== "";
    if (!hasBody(graph, loop.id)) {
      if (config.success && !picked)
        problems.push({
          code: "config",
          nodeId: loop.id,
          field: "workflowId",
          message: `${label(loop)}: draw the steps to repeat inside the loop, or pick a published workflow to run for each item.`,
        });
      continue;
    }
    if (picked)
      problems.push({
        code: "config",
        nodeId: loop.id,
        field: "workflowId",
        message: `${label(loop)}: it has steps inside and a workflow picked: clear the workflow, or move the steps out.`,
      });
    const body = bodyOf(graph, loop, config.success ? config.data.inputs.map((i) => i.name) : []);
    if (!body.nodes.some((n) => n.kind === "output" && n.parentId === undefined))
      problems.push({
        code: "config",
        nodeId: loop.id,
        message: `${label(loop)}: add an Output step inside the loop; it names each item's result.`,
      });
    problems.push(...validateGraph(body, around ?? byId).filter((p) => p.code !== "boundary"));
  }
  return problems;
}

function validateFlat(graph: WorkflowGraph, everywhere: Map<string, WorkflowNode>): GraphProblem[] {
  const problems: GraphProblem[] = [];
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const work = graph.nodes.filter((n) => n.kind !== "note");
  const { out, in: inc } = adjacency(graph);

  const starts = work.filter((n) => n.kind === "start");
  if (starts.length === 0)
    problems.push({ code: "no-start", message: "Add a Start node: it declares the run's inputs." });
  if (starts.length > 1)
    for (const s of starts.slice(1))
      problems.push({ code: "many-starts", nodeId: s.id, message: "A workflow has one Start node; remove this one." });

  const parsed = new Map<string, z.output<z.ZodType>>();
  for (const node of work) {
    const result = specOf(node.kind).configSchema.safeParse(node.config);
    if (result.success) parsed.set(node.id, result.data);
    else
      for (const issue of result.error.issues)
        problems.push({
          code: "config",
          nodeId: node.id,
          field: issue.path.join("."),
          message: `${label(node)}: ${issue.message}`,
        });
  }

  for (const edge of graph.edges) {
    const source = nodes.get(edge.source);
    if (!source || !parsed.has(source.id)) continue;
    const handles = outputsOf(source).map((h) => h.id);
    if (!handles.includes(edge.sourceHandle ?? null)) {
      problems.push({
        code: "handle",
        edgeId: edge.id,
        nodeId: source.id,
        message: `${label(source)} has no output “${edge.sourceHandle ?? "default"}”; reconnect this edge.`,
      });
    }
  }

  for (const node of work) {
    const spec = specOf(node.kind);
    const config = parsed.get(node.id);
    if (spec.hasInput && (inc.get(node.id) ?? []).length === 0)
      problems.push({ code: "unconnected", nodeId: node.id, message: `${label(node)} has no incoming connection.` });
    if (config && outputsOf(node).length > 0 && (out.get(node.id) ?? []).length === 0) {
      problems.push({
        code: "unconnected",
        nodeId: node.id,
        message: `${label(node)} leads nowhere: connect it to a next step or an Output.`,
      });
    }
  }

  const cycle = findCycle(out);
  if (cycle) {
    const names = cycle.map((id) => label(nodes.get(id)!));
    problems.push({
      code: "cycle",
      nodeId: cycle[0],
      message: `These steps form a loop: ${[...names, names[0]].join(" → ")}. Remove one connection.`,
    });
  }

  if (starts[0]) {
    const reachable = walk(starts[0].id, out);
    for (const node of work) {
      if (node.kind !== "start" && !reachable.has(node.id) && (inc.get(node.id) ?? []).length > 0) {
        problems.push({
          code: "unreachable",
          nodeId: node.id,
          message: `${label(node)} can never run: no path leads to it from Start.`,
        });
      }
    }
  }

  for (const node of work) {
    const upstream = walk(node.id, inc);
    const config = parsed.get(node.id) ?? node.config;
    for (const { path, text } of strings(config)) {
      for (const ref of findReferences(text)) {
        if (!nodes.has(ref.nodeId) && everywhere.has(ref.nodeId))
          problems.push({
            code: "reference",
            nodeId: node.id,
            field: path,
            message: `${label(node)}: ${ref.raw} refers to “${label(everywhere.get(ref.nodeId)!)}”, on the other side of a loop's edge: hand the value in as one of the Loop's other inputs.`,
          });
        else if (!nodes.has(ref.nodeId))
          problems.push({
            code: "reference",
            nodeId: node.id,
            field: path,
            message: `${label(node)}: ${ref.raw} refers to a node that does not exist.`,
          });
        else if (!upstream.has(ref.nodeId))
          problems.push({
            code: "reference",
            nodeId: node.id,
            field: path,
            message: `${label(node)}: ${ref.raw} refers to “${label(nodes.get(ref.nodeId)!)}”, which does not run before this step.`,
          });
      }
      if (!kindsUsingSecrets.includes(node.kind))
        for (const ref of findNamedReferences(text).filter((r) => r.space === "secrets"))
          problems.push({
            code: "reference",
            nodeId: node.id,
            field: path,
            message: `${label(node)}: ${ref.raw}: a secret can be used only in an HTTP Request step's URL, headers and body (use a variable, {{vars.name}}, for values that are not secret).`,
          });
    }
    /** An expression that does not parse, or reads a step that does not run before this one. */
    const checkExpression = (expression: string, field: string, where: string) => {
      try {
        jsonata(expression);
      } catch (error) {
        const reason = (error as { message?: string }).message ?? String(error);
        problems.push({ code: "expression", nodeId: node.id, field, message: `${where}: ${reason}` });
      }
      for (const id of expressionNodeIds(expression)) {
        if (!upstream.has(id))
          problems.push({
            code: "reference",
            nodeId: node.id,
            field,
            message: `${where}: nodes.${id} does not run before this step.`,
          });
      }
    };
    if (node.kind === "condition" && parsed.has(node.id)) {
      (config as { branches: { id: string; expression: string }[] }).branches.forEach((b, i) =>
        checkExpression(b.expression, `branches.${i}.expression`, `${label(node)}, branch “${b.id}”`),
      );
    }
    if (node.kind === "transform" && parsed.has(node.id))
      checkExpression((config as { expression: string }).expression, "expression", `${label(node)}, mapping`);
  }
  return problems;
}

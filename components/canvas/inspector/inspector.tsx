"use client";

import Link from "next/link";
import { useMemo } from "react";
import { adjacency } from "@/lib/engine/graph/adjacency";
import type { GraphProblem } from "@/lib/engine/graph/validate-graph";
import { walk } from "@/lib/engine/graph/walk";
import { bodyOf, topLevel } from "@/lib/engine/graph/loop-body";
import { loopConfigSchema } from "@/lib/schemas/node-kinds/loop";
import { useVariables } from "@/lib/queries/variables";
import { specOf } from "@/lib/schemas/node-kinds";
import { kindsUsingSecrets, kindsWithSettings } from "@/lib/schemas/node-kinds/outputs";
import type { NodeSettings, WorkflowGraph, WorkflowNode } from "@/lib/schemas/workflow";
import { PINNABLE_KINDS } from "@/lib/engine/graph/pinned-steps";
import { ExpressionPreview } from "./expression-preview";
import { OpenOutputs } from "./open-outputs";
import { PinOutput } from "./pin-output";
import { formSchemaOf, settingsFormSchema } from "./json-schema";
import { SchemaField } from "./schema-field";
import type { ReferenceOption } from "./template-input";

/**
 * References a node may use: the known output fields of every node that runs before it. Inside
 * a Loop, that is the steps before it inside and the Loop's item, index and other inputs.
 */
/** The Loops a step is drawn inside, outermost first. */
function loopsAround(graph: WorkflowGraph, node: WorkflowNode): string[] {
  const loops: string[] = [];
  for (let at = node.parentId; at && loops.length < 10; at = graph.nodes.find((n) => n.id === at)?.parentId)
    loops.unshift(at);
  return loops;
}

function referencesFor(graph: WorkflowGraph, nodeId: string): ReferenceOption[] {
  const node = graph.nodes.find((n) => n.id === nodeId);
  const loop = node?.parentId ? graph.nodes.find((n) => n.id === node.parentId) : undefined;
  const inputs = loop ? loopConfigSchema.safeParse(loop.config) : undefined;
  const scope = topLevel(
    loop ? bodyOf(graph, loop, inputs?.success ? inputs.data.inputs.map((i) => i.name) : []) : graph,
  );
  const upstream = walk(nodeId, adjacency(scope).in);
  return scope.nodes
    .filter((n) => upstream.has(n.id))
    .flatMap((n) => {
      // A step not filled in yet (an Agent without instructions) still offers what it will give.
      const parsed = specOf(n.kind).configSchema.safeParse(n.config);
      const fields = outputFieldsOf(n.kind, parsed.success ? parsed.data : n.config);
      return fields.map((f) => ({ value: `nodes.${n.id}.output.${f}`, nodeLabel: n.label }));
    });
}

function outputFieldsOf(kind: WorkflowNode["kind"], config: unknown): string[] {
  try {
    return specOf(kind).outputFields(config as never);
  } catch {
    return []; // a config too far from its schema to tell
  }
}

/** The form of the selected node, generated from its kind's config schema. */
export function Inspector({
  node,
  graph,
  workflowId,
  problems,
  readOnly,
  canAdmin = false,
  onChange,
  onDelete,
}: {
  node: WorkflowNode;
  /** The person may open HTTP destinations (an admin's page); others are told to ask an admin. */
  canAdmin?: boolean;
  graph: WorkflowGraph;
  workflowId: string;
  problems: GraphProblem[];
  readOnly: boolean;
  onChange: (patch: { label?: string; config?: Record<string, unknown>; settings?: NodeSettings }) => void;
  onDelete: () => void;
}) {
  const spec = specOf(node.kind);
  const schema = formSchemaOf(node.kind);
  const variables = useVariables();
  const references = useMemo(
    () => [
      ...referencesFor(graph, node.id),
      // The workspace's variables; its secrets only where a step may send them out.
      ...(variables.data ?? [])
        .filter((v) => !v.secret || kindsUsingSecrets.includes(node.kind))
        .map((v) => ({
          value: `${v.secret ? "secrets" : "vars"}.${v.name}`,
          nodeLabel: v.secret ? "Secret" : "Variable",
        })),
    ],
    [graph, node.id, node.kind, variables.data],
  );
  const errors = useMemo(() => {
    const byField = new Map<string, string>();
    for (const p of problems) {
      if (!p.field) continue;
      const message = p.message.replace(/^[^:]+: /, "");
      byField.set(p.field, byField.has(p.field) ? `${byField.get(p.field)} ${message}` : message);
    }
    return byField;
  }, [problems]);
  const general = problems.filter((p) => !p.field);

  return (
    <div className="space-y-4" data-testid="inspector">
      <div className="flex items-start justify-between gap-2">
        <div>
          <div className="text-xs font-medium tracking-wide text-slate-500 uppercase">
            {spec.icon} {spec.label}
          </div>
          <div className="font-mono text-xs text-slate-500">{node.id}</div>
        </div>
        {!readOnly && (
          <button type="button" onClick={onDelete} className="rounded px-2 py-1 text-xs text-red-600 hover:bg-red-50">
            Delete
          </button>
        )}
      </div>
      {general.length > 0 && (
        <ul className="space-y-1 rounded-md bg-amber-50 p-2 text-xs text-amber-800 ring-1 ring-amber-200">
          {general.map((p, i) => (
            <li key={i}>{p.message}</li>
          ))}
        </ul>
      )}
      <OpenOutputs node={node} graph={graph} />
      <fieldset disabled={readOnly} className="space-y-4">
        {node.kind !== "note" && (
          <div className="space-y-1">
            <label htmlFor="node-label" className="block text-xs font-medium text-slate-700">
              Name
            </label>
            <input
              id="node-label"
              value={node.label}
              maxLength={120}
              onChange={(e) => onChange({ label: e.target.value })}
              className="block w-full rounded-md border-0 px-2.5 py-1.5 text-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-brand-500"
            />
          </div>
        )}
        {Object.entries(schema.properties ?? {})
          .filter(([, field]) => !field.shownWith || !!node.config[field.shownWith])
          .map(([key, fieldSchema]) => (
            <SchemaField
              key={`${node.id}.${key}`}
              name={key}
              path={key}
              schema={fieldSchema}
              value={node.config[key]}
              onChange={(v) => onChange({ config: { ...node.config, [key]: v } })}
              ctx={{ errors, references, workflowId }}
            />
          ))}
      </fieldset>
      {node.kind === "http" &&
        (canAdmin ? (
          <p className="text-xs text-slate-600">
            The hosts it may call are listed under{" "}
            <Link href="/admin/destinations" className="font-medium text-brand-700 underline">
              HTTP destinations
            </Link>
            , where you allow more.
          </p>
        ) : (
          <p className="text-xs text-slate-600">
            It may call only the hosts an admin of this workspace allowed (under HTTP destinations): ask one to add a
            host.
          </p>
        ))}
      {node.kind === "transform" && (
        <ExpressionPreview
          workflowId={workflowId}
          expression={String(node.config.expression ?? "")}
          insideLoops={loopsAround(graph, node)}
        />
      )}
      {node.kind === "code" && (
        <ExpressionPreview
          workflowId={workflowId}
          insideLoops={loopsAround(graph, node)}
          code={{
            code: String(node.config.code ?? ""),
            timeLimitSeconds: Number(node.config.timeLimitSeconds ?? 2),
            memoryMb: Number(node.config.memoryMb ?? 32),
          }}
        />
      )}
      {PINNABLE_KINDS.includes(node.kind) && !node.parentId && (
        <PinOutput
          key={node.id}
          workflowId={workflowId}
          nodeId={node.id}
          label={node.label || spec.label}
          readOnly={readOnly}
        />
      )}
      {kindsWithSettings.includes(node.kind) && (
        <fieldset disabled={readOnly} className="space-y-3 border-t border-slate-200 pt-4" data-testid="step-settings">
          <legend className="text-xs font-semibold tracking-wide text-slate-500 uppercase">When things go wrong</legend>
          {Object.entries(settingsFormSchema().properties ?? {}).map(([key, fieldSchema]) => (
            <SchemaField
              key={`${node.id}.settings.${key}`}
              name={key}
              path={`settings.${key}`}
              schema={fieldSchema}
              value={(node.settings as Record<string, unknown> | undefined)?.[key]}
              onChange={(v) => onChange({ settings: clampSettings({ ...node.settings, [key]: v }) })}
              ctx={{ errors, references: [], workflowId }}
            />
          ))}
        </fieldset>
      )}
    </div>
  );
}

/** Keeps typed numbers inside the settings' bounds, so a draft never holds an invalid setting. */
function clampSettings(s: Record<string, unknown>): NodeSettings {
  const int = (v: unknown, min: number, max: number) =>
    typeof v === "number" && Number.isFinite(v) ? Math.min(max, Math.max(min, Math.round(v))) : undefined;
  const out: NodeSettings = {};
  const timeout = int(s.timeoutSeconds, 1, 3600);
  const retries = int(s.retries, 0, 5);
  if (timeout !== undefined) out.timeoutSeconds = timeout;
  if (retries !== undefined) out.retries = retries;
  if (s.onError === "fail" || s.onError === "branch") out.onError = s.onError;
  return out;
}

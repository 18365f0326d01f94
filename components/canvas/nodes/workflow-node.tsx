"use client";

import { Handle, NodeResizer, Position, useStore, useUpdateNodeInternals, type NodeProps } from "@xyflow/react";
import { memo, useEffect, useRef } from "react";
import type { FlowNode } from "@/lib/canvas/flow-mapping";
import { specOf } from "@/lib/schemas/node-kinds";
import { outputsOf } from "@/lib/schemas/node-kinds/outputs";
import { zoomedFarOut } from "../zoom";
import { accentClasses } from "./accents";
import { useDecorations, type NodeStat } from "./decorations";
import { FarNode } from "./far-node";
import { runBadge, runRing } from "./run-marks";
import { StepMenu } from "./step-menu";
import { usd } from "@/lib/schemas/money";

function summary(kind: string, config: Record<string, unknown>, workflowNames: Map<string, string>): string {
  switch (kind) {
    case "agent":
      return `${config.model ?? "?"} · ${String(config.instructions ?? "").slice(0, 60) || "no instructions yet"}`;
    case "tool":
      return String(config.tool || "no tool picked");
    case "start":
      return `inputs: ${((config.fields as { name: string }[]) ?? []).map((f) => f.name).join(", ") || "none"}`;
    case "human-review":
      return `reviewed by ${String(config.reviewerEmail || config.reviewerRole || "").toLowerCase()}`;
    case "output":
      return String(config.value ?? "").slice(0, 60) || "no result yet";
    case "transform":
      return String(config.expression ?? "").slice(0, 60) || "no mapping yet";
    case "loop": {
      const each = `for each of ${String(config.items || "a list")}`.slice(0, 60);
      return config.workflowId
        ? `${each} · runs ${workflowNames.get(String(config.workflowId)) ?? "a workflow"}`
        : each;
    }
    case "http":
      return `${String(config.method ?? "GET")} ${String(config.url ?? "") || "no address yet"}`.slice(0, 60);
    case "guardrail": {
      const checks = [
        (config.pii as string[] | undefined)?.length ? "personal data" : "",
        (config.blockList as string[] | undefined)?.length ? "blocked words" : "",
        (config.patterns as unknown[] | undefined)?.length ? "patterns" : "",
        String(config.jsonSchema ?? "").trim() ? "schema" : "",
        config.judgeModel ? `judged by ${String(config.judgeModel)}` : "",
      ].filter(Boolean);
      return `checks ${checks.join(", ") || "nothing yet"}`.slice(0, 60);
    }
    case "code": {
      // The first line that is not a comment says most about what the code does.
      const line = String(config.code ?? "")
        .split("\n")
        .map((l) => l.trim())
        .find((l) => l && !l.startsWith("//"));
      return line?.slice(0, 60) ?? "no code yet";
    }
    case "sub-workflow":
      return config.workflowId
        ? `runs ${workflowNames.get(String(config.workflowId)) ?? "a workflow"}`
        : "no workflow picked";
    default:
      return "";
  }
}

const handleClass = "!size-4 !border-2 !border-white";

/** A workflow step on the canvas: kind, name, a one-line summary, its run state, problems, its menu and handles. */
export const WorkflowNodeView = memo(function WorkflowNodeView({ id, data, selected }: NodeProps<FlowNode>) {
  const spec = specOf(data.kind);
  const outputs = outputsOf(data);
  const { problems, diff, run, stats, workflowNames, pinned } = useDecorations();
  const stat = stats?.get(id);
  const mine = problems.get(id) ?? [];
  const change = diff.get(id);
  const runStatus = run.get(id);
  const accent = accentClasses[spec.accent];
  const name = data.label || spec.label;
  // Zoomed far out, text is unreadable anyway: draw a plain box, which keeps panning smooth.
  const far = useStore(zoomedFarOut);
  // A Loop is a frame: the steps drawn inside it are its body, run once per item.
  const frame = data.kind === "loop";
  const hasBody = useStore((s) => frame && [...s.nodeLookup.values()].some((n) => n.parentId === id));
  // React Flow measures a step's handles when the step changes size: an output renamed in its
  // form (a Condition's branch) is measured at once, or its connections are not drawn.
  const updateNodeInternals = useUpdateNodeInternals();
  const handleIds = outputs.map((o) => o.id ?? "").join("\n");
  const measured = useRef(handleIds);
  useEffect(() => {
    if (measured.current === handleIds) return;
    measured.current = handleIds;
    updateNodeInternals(id);
  }, [id, handleIds, updateNodeInternals]);

  if (far)
    return (
      <FarNode
        id={id}
        kind={data.kind}
        name={name}
        frame={frame}
        selected={!!selected}
        runStatus={runStatus}
        problems={mine.length}
        outputs={outputs}
      />
    );

  const badge = runStatus ? runBadge[runStatus] : null;
  return (
    <div
      data-testid={`node-${id}`}
      data-kind={data.kind}
      data-problems={mine.length}
      data-diff={change}
      data-run-status={runStatus}
      className={`relative ${frame ? "flex h-full w-full flex-col bg-violet-50/40" : "w-[240px] bg-white"} rounded-lg text-left shadow-sm ring-1 ${
        runStatus
          ? runRing[runStatus]
          : selected
            ? "shadow-md ring-2 ring-brand-500"
            : mine.length
              ? "ring-amber-400"
              : "ring-slate-300"
      } ${change === "added" ? "outline-2 outline-offset-2 outline-emerald-400" : change === "changed" ? "outline-2 outline-offset-2 outline-sky-400 outline-dashed" : ""}`}
    >
      <div className={`absolute inset-x-0 top-0 h-1.5 rounded-t-lg ${accent.bar}`} />
      {frame && (
        <NodeResizer
          isVisible={selected}
          minWidth={300}
          minHeight={200}
          lineClassName="!border-brand-400"
          handleClassName="!size-2.5 !rounded-sm !border-brand-500 !bg-white"
        />
      )}
      {spec.hasInput && (
        <Handle
          type="target"
          position={Position.Left}
          className={`${handleClass} !bg-slate-500`}
          style={frame ? { top: 44 } : undefined}
          role="button"
          aria-label={`Input of ${name}: drag a connection here`}
        />
      )}
      <div className="flex items-center gap-2 px-3 pt-3.5 pb-1">
        <span className={`grid size-8 shrink-0 place-items-center rounded-md text-base ${accent.icon}`} aria-hidden>
          {spec.icon}
        </span>
        <div className="min-w-0 flex-1">
          <div className="truncate text-[15px] leading-5 font-semibold text-slate-900">{name}</div>
          <div className="text-xs tracking-wide text-slate-600 uppercase">{spec.label}</div>
        </div>
        {mine.length > 0 && (
          <span
            title={mine.join("\n")}
            className="grid h-6 min-w-6 place-items-center rounded-full bg-amber-100 px-1 text-xs font-semibold text-amber-900"
            aria-label={`${mine.length} problem${mine.length === 1 ? "" : "s"}`}
          >
            {mine.length}
          </span>
        )}
        <StepMenu id={id} label={name} outputs={outputs} deletable={data.kind !== "start"} />
      </div>
      {pinned.has(id) && (
        <div className="px-3 pt-1">
          <span
            className="inline-flex items-center gap-1 rounded-full bg-violet-100 px-2 py-0.5 text-xs font-semibold text-violet-900"
            title="Test runs use its pinned output instead of running it"
          >
            Pinned
          </span>
        </div>
      )}
      {badge && (
        <div className="px-3 pt-1">
          <span
            className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-semibold ${badge.tone} ${runStatus === "running" ? "motion-safe:animate-pulse" : ""}`}
            data-testid="node-run-state"
          >
            <span aria-hidden>{badge.icon}</span>
            {badge.word}
          </span>
        </div>
      )}
      <div className="truncate px-3 pt-1 pb-3 text-[13px] text-slate-600">
        {summary(data.kind, data.config, workflowNames)}
      </div>
      {stats && data.kind !== "start" && data.kind !== "output" && data.kind !== "note" && (
        <StatStrip stat={stat} kind={data.kind} />
      )}
      {frame && (
        <div
          className="mx-3 mb-3 flex flex-1 items-end rounded-md border border-dashed border-violet-300 p-2 text-xs text-slate-600"
          data-testid="loop-body"
        >
          {hasBody
            ? `Runs once per item. Inside, {{nodes.${id}.output.item}} is the item and …output.index its place.`
            : data.config.workflowId
              ? "Runs the published workflow for each item. Or drag steps in here to draw them instead."
              : `Drag steps in here (or “Add … inside ${name}” in the command menu): they run once per item, which they read as {{nodes.${id}.output.item}}.`}
        </div>
      )}
      {outputs.length === 1 && outputs[0]!.id === null && (
        <Handle
          type="source"
          position={Position.Right}
          className={`${handleClass} !bg-slate-500`}
          style={frame ? { top: 44 } : undefined}
          role="button"
          aria-label={`Output of ${name}: drag to connect it to another step`}
        />
      )}
      {(outputs.length > 1 || (outputs.length === 1 && outputs[0]!.id !== null)) && (
        <div className="space-y-1.5 border-t border-slate-100 py-2">
          {outputs.map((o) => (
            <div
              key={o.id ?? "next"}
              className={`relative pr-5 text-right text-xs font-medium ${o.id === "error" ? "text-red-700" : "text-slate-700"}`}
            >
              {o.label || "next"}
              <Handle
                id={o.id ?? undefined}
                type="source"
                position={Position.Right}
                role="button"
                aria-label={`Output “${o.label || "next"}” of ${name}: drag to connect it to another step`}
                className={`!-right-[9px] ${handleClass} ${o.id === "error" ? "!bg-red-500" : o.id === null ? "!bg-slate-500" : "!bg-orange-500"}`}
              />
            </div>
          ))}
        </div>
      )}
    </div>
  );
});

const seconds = (ms: number) =>
  ms < 1000
    ? `${ms} ms`
    : ms < 60_000
      ? `${(ms / 1000).toFixed(1)} s`
      : ms < 3_600_000
        ? `${Math.round(ms / 60_000)} min`
        : `${(ms / 3_600_000).toFixed(1)} h`;

/** The stats overlay on a step: median time (a review's: its wait) and cost per run, and failures. */
function StatStrip({ stat, kind }: { stat: NodeStat | undefined; kind: string }) {
  if (!stat || stat.runs + stat.failed === 0) {
    return (
      <div
        className="border-t border-dashed border-slate-200 px-3 py-1 text-xs text-slate-600"
        data-testid="node-stats"
      >
        no runs yet
      </div>
    );
  }
  return (
    <div
      className="flex items-center gap-2 border-t border-dashed border-slate-200 bg-slate-50 px-3 py-1 text-xs text-slate-700 tabular-nums"
      data-testid="node-stats"
      title={`Over the last runs: ${stat.runs} finished, ${stat.failed} failed; median ${stat.p50Ms ?? "—"} ms, p95 ${stat.p95Ms ?? "—"} ms; median ${stat.medianTokens} tokens`}
    >
      <span>
        {kind === "human-review" ? "waits " : "median "}
        {stat.p50Ms === null ? "—" : seconds(stat.p50Ms)}
      </span>
      {kind === "agent" && <span>· {usd(stat.medianCostUsd)}</span>}
      {stat.failed > 0 && <span className="font-medium text-red-600">· {stat.failed} failed</span>}
      <span className="ml-auto text-slate-600">{stat.runs + stat.failed} runs</span>
    </div>
  );
}

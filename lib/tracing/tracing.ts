import "server-only";
import { createHash } from "node:crypto";
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  trace,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, SimpleSpanProcessor, TracerProvider, type SpanExporter } from "@opentelemetry/sdk-trace";
import type { UsageEntry } from "../schemas/usage";
import { onShutdown } from "../platform/shutdown";
import { processSingleton } from "../process/singleton";
import { logger } from "../log/logger";

/**
 * OpenTelemetry spans for runs, steps, model calls (GenAI semantic conventions) and tool calls,
 * exported over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set (off otherwise: every
 * function here is then a no-op costing one check).
 *
 * A run may execute in several pieces (before and after a review, on different workers), so
 * its trace id is derived from the run id: every piece, every step, the review wait and every
 * model and tool call of a run land in one trace, whichever process made them.
 */
interface State {
  provider: TracerProvider;
  tracer: Tracer;
  runs: Map<string, Span>;
  steps: Map<string, Span>;
}
/** `state` undefined: not set up yet; null: tracing is off. */
const holder = () => processSingleton<{ state?: State | null }>("tracing", () => ({}));

function state(): State | null {
  const h = holder();
  if (h.state === undefined) {
    h.state = process.env.OTEL_EXPORTER_OTLP_ENDPOINT ? build(new OTLPTraceExporter(), false) : null;
    if (h.state) logger().info({ endpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT }, "exporting traces over OTLP");
  }
  return h.state;
}

function build(exporter: SpanExporter, immediate: boolean): State {
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": process.env.OTEL_SERVICE_NAME ?? "flowdeck" }),
    spanProcessors: [
      immediate
        ? new SimpleSpanProcessor({ exporter })
        : new BatchSpanProcessor({ exporter, scheduledDelayMillis: 500 }),
    ],
  });
  return { provider, tracer: provider.getTracer("flowdeck"), runs: new Map(), steps: new Map() };
}

/** Sends spans to this exporter from now on (tests: an in-memory exporter, exported at once). */
export function configureTracing(exporter: SpanExporter | null): void {
  holder().state = exporter ? build(exporter, true) : null;
}

onShutdown("traces", "flush", () => flushTraces());

export async function flushTraces(): Promise<void> {
  await holder()
    .state?.provider.forceFlush()
    .catch(() => undefined);
}

const hex = (s: string, chars: number) => createHash("sha256").update(s).digest("hex").slice(0, chars);

/** The trace every span of this run belongs to. */
export function traceIdOf(runId: string): string {
  return hex(`run:${runId}`, 32);
}

/** A parent for the run's spans: its trace, under a root span id that is never exported itself. */
function runContext(runId: string): Context {
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: traceIdOf(runId),
    spanId: hex(`root:${runId}`, 16),
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
  });
}

const key = (runId: string, nodeId: string) => `${runId}/${nodeId}`;

/** A piece of a run's execution starts (first start, or a resume). */
export function runStarted(run: {
  id: string;
  workflowId: string;
  workflowName?: string;
  version: number | null;
  workspaceId: string;
  parentRunId?: string | null;
}): void {
  const s = state();
  if (!s) return;
  const span = s.tracer.startSpan(
    `workflow.run ${run.workflowName ?? run.workflowId}`,
    {
      kind: SpanKind.INTERNAL,
      attributes: {
        "flowdeck.run.id": run.id,
        "flowdeck.workflow.id": run.workflowId,
        "flowdeck.workspace.id": run.workspaceId,
        ...(run.version !== null && { "flowdeck.workflow.version": run.version }),
        ...(run.parentRunId && { "flowdeck.run.parent_id": run.parentRunId }),
      },
    },
    runContext(run.id),
  );
  s.runs.set(run.id, span);
}

/** That piece ended: completed, failed, waiting (for a review), cancelled or interrupted. */
export function runEnded(runId: string, status: string, error?: string): void {
  const s = state();
  const span = s?.runs.get(runId);
  if (!s || !span) return;
  span.setAttribute("flowdeck.run.status", status);
  if (status === "failed") span.setStatus({ code: SpanStatusCode.ERROR, message: error });
  span.end();
  s.runs.delete(runId);
  for (const [k, step] of s.steps) {
    if (k.startsWith(`${runId}/`)) {
      step.end();
      s.steps.delete(k);
    }
  }
}

/** Folds a run event into step spans: started, then completed, failed, waiting or skipped. */
export function runEvent(
  runId: string,
  e: { type: string; nodeId?: string | null; payload?: unknown },
  kindOf: (nodeId: string) => { kind: string; label: string } | undefined,
): void {
  const s = state();
  if (!s || !e.nodeId || !e.type.startsWith("step.")) return;
  const k = key(runId, e.nodeId);
  const payload = (e.payload ?? {}) as {
    attempt?: number;
    error?: string;
    usage?: { inputTokens?: number; outputTokens?: number; costUsd?: number };
    retrying?: boolean;
  };
  const open = (resumed: boolean) => {
    const node = kindOf(e.nodeId!);
    const parent = s.runs.get(runId);
    return s.tracer.startSpan(
      `step ${node?.label ?? e.nodeId}`,
      {
        attributes: {
          "flowdeck.run.id": runId,
          "flowdeck.step.id": e.nodeId!,
          "flowdeck.step.kind": node?.kind ?? "unknown",
          "flowdeck.step.attempt": payload.attempt ?? 1,
          ...(resumed && { "flowdeck.step.resumed": true }),
        },
      },
      parent ? trace.setSpan(runContext(runId), parent) : runContext(runId),
    );
  };
  if (e.type === "step.started") {
    s.steps.get(k)?.end();
    s.steps.set(k, open(false));
    return;
  }
  if (e.type === "step.delta") return;
  // A step that waited (for a review, a child run) finishes in a later piece of the run.
  const span = s.steps.get(k) ?? open(true);
  const status = e.type.slice("step.".length);
  span.setAttribute("flowdeck.step.status", status);
  if (payload.usage) {
    span.setAttributes({
      "gen_ai.usage.input_tokens": payload.usage.inputTokens ?? 0,
      "gen_ai.usage.output_tokens": payload.usage.outputTokens ?? 0,
      "flowdeck.cost_usd": payload.usage.costUsd ?? 0,
    });
  }
  if (status === "failed") {
    span.setStatus({ code: SpanStatusCode.ERROR, message: payload.error });
    if (payload.error) span.recordException({ name: "StepError", message: payload.error });
  }
  span.end();
  s.steps.delete(k);
}

function parentFor(runId: string | null | undefined, nodeId: string | null | undefined): Context | undefined {
  const s = state();
  if (!s || !runId) return undefined;
  const step = nodeId ? s.steps.get(key(runId, nodeId)) : undefined;
  const parent = step ?? s.runs.get(runId);
  return parent ? trace.setSpan(runContext(runId), parent) : runContext(runId);
}

/** A model call through the gateway, after the fact (it knows its latency), with GenAI attributes. */
export function modelCallSpan(
  call: Pick<
    UsageEntry,
    | "runId"
    | "nodeId"
    | "alias"
    | "providerKind"
    | "modelId"
    | "inputTokens"
    | "outputTokens"
    | "costUsd"
    | "latencyMs"
    | "ttftMs"
    | "status"
    | "error"
    | "cacheHit"
  >,
): void {
  const s = state();
  if (!s) return;
  const end = Date.now();
  const attributes: Attributes = {
    "gen_ai.operation.name": "chat",
    "gen_ai.provider.name": (call.providerKind ?? "flowdeck").toLowerCase(),
    "gen_ai.request.model": call.alias,
    ...(call.modelId && { "gen_ai.response.model": call.modelId }),
    "gen_ai.usage.input_tokens": call.inputTokens,
    "gen_ai.usage.output_tokens": call.outputTokens,
    "flowdeck.cost_usd": call.costUsd,
    "flowdeck.gateway.status": call.status,
    "flowdeck.gateway.cache_hit": call.cacheHit,
    ...(call.ttftMs !== null && { "flowdeck.gateway.ttft_ms": call.ttftMs }),
    ...(call.runId && { "flowdeck.run.id": call.runId }),
    ...(call.nodeId && { "flowdeck.step.id": call.nodeId }),
  };
  const span = s.tracer.startSpan(
    `chat ${call.alias}`,
    { kind: SpanKind.CLIENT, startTime: end - call.latencyMs, attributes },
    parentFor(call.runId, call.nodeId),
  );
  if (call.status !== "ok") {
    span.setStatus({ code: SpanStatusCode.ERROR, message: call.error ?? call.status });
    span.setAttribute("error.type", call.status);
  }
  span.end(end);
}

/** A tool call through the MCP layer, after the fact. */
export function toolCallSpan(call: {
  runId?: string | null;
  nodeId?: string | null;
  serverName: string;
  toolName: string;
  outcome: string;
  error?: string | null;
  latencyMs: number;
}): void {
  const s = state();
  if (!s) return;
  const end = Date.now();
  const span = s.tracer.startSpan(
    `execute_tool ${call.toolName}`,
    {
      kind: SpanKind.CLIENT,
      startTime: end - call.latencyMs,
      attributes: {
        "gen_ai.operation.name": "execute_tool",
        "gen_ai.tool.name": call.toolName,
        "flowdeck.tool.server": call.serverName,
        "flowdeck.tool.outcome": call.outcome,
        ...(call.runId && { "flowdeck.run.id": call.runId }),
        ...(call.nodeId && { "flowdeck.step.id": call.nodeId }),
      },
    },
    parentFor(call.runId, call.nodeId),
  );
  if (call.outcome === "error" || call.outcome === "denied")
    span.setStatus({ code: SpanStatusCode.ERROR, message: call.error ?? call.outcome });
  span.end(end);
}

/** The time a run waited for a person, as its own span in the run's trace. */
export function reviewWaitSpan(review: {
  runId: string;
  nodeId: string;
  reviewId: string;
  createdAt: Date;
  decidedAt: Date;
  outcome: string;
  decidedBy: string;
}): void {
  const s = state();
  if (!s) return;
  const span = s.tracer.startSpan(
    "review.wait",
    {
      startTime: review.createdAt,
      attributes: {
        "flowdeck.run.id": review.runId,
        "flowdeck.step.id": review.nodeId,
        "flowdeck.review.id": review.reviewId,
        "flowdeck.review.outcome": review.outcome,
        "flowdeck.review.decided_by": review.decidedBy,
      },
    },
    runContext(review.runId),
  );
  span.end(review.decidedAt);
}

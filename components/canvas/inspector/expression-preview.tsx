"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { api } from "@/lib/queries/api-client";
import type { ExpressionPreview as Preview } from "@/lib/runs/expression-preview";
import { moment } from "@/components/ui/moment";

/**
 * A Transform step's mapping, or a Code step's JavaScript (run in the sandbox), tried as it is
 * typed on the data of the workflow's last run.
 */
export function ExpressionPreview({
  workflowId,
  expression,
  code,
  insideLoops,
}: {
  workflowId: string;
  expression?: string;
  code?: { code: string; timeLimitSeconds: number; memoryMb: number };
  /** The Loops the step is drawn inside, outermost first: the preview reads their first items of the last run. */
  insideLoops?: string[];
}) {
  const source = code?.code ?? expression ?? "";
  const request = code
    ? { path: "code-preview", body: { ...code, insideLoops } }
    : { path: "expression-preview", body: { expression, insideLoops } };
  const key = JSON.stringify(request);
  const [settled, setSettled] = useState(key);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(key), code ? 700 : 400);
    return () => clearTimeout(timer);
  }, [key, code]);
  const preview = useQuery({
    queryKey: ["expression-preview", workflowId, settled],
    queryFn: () => {
      const { path, body } = JSON.parse(settled) as typeof request;
      return api<Preview>(`/api/workflows/${workflowId}/${path}`, { method: "POST", body });
    },
    enabled: source.trim().length > 0,
    staleTime: 5_000,
  });
  const data = preview.data;
  return (
    <section aria-labelledby="expression-preview-title" className="space-y-1.5 border-t border-slate-200 pt-4">
      <h3 id="expression-preview-title" className="text-xs font-semibold tracking-wide text-slate-500 uppercase">
        Preview on the last run
      </h3>
      <div aria-live="polite" className="space-y-1.5 text-xs">
        {!source.trim() ? (
          <p className="text-slate-500">{code ? "Write some code" : "Write a mapping"} to see what it makes.</p>
        ) : preview.isPending ? (
          <p className="text-slate-500">Working it out…</p>
        ) : preview.isError ? (
          <p className="text-red-700">✕ The preview is not available: {preview.error.message}</p>
        ) : (
          data && (
            <>
              <p className="text-slate-500">
                {!data.run
                  ? "This workflow has not run yet: the preview uses no step outputs. Run it once to preview on its data."
                  : data.item === null
                    ? `The run of ${moment(data.run.createdAt)} went through no item of this Loop: the preview uses no item. Run it with a list to preview on an item.`
                    : data.item
                      ? `Data of item ${data.item.index + 1} of the run of ${moment(data.run.createdAt)} (${data.run.status.toLowerCase()}).`
                      : `Data of the run of ${moment(data.run.createdAt)} (${data.run.status.toLowerCase()}).`}
              </p>
              {data.error ? (
                <p className="rounded-md bg-red-50 p-2 text-red-800 ring-1 ring-red-200">✕ {data.error}</p>
              ) : (
                <pre
                  aria-label="Preview result"
                  className="max-h-64 overflow-auto rounded-md bg-slate-50 p-2 font-mono text-[11px] text-slate-800 ring-1 ring-slate-200"
                >
                  {data.json}
                  {data.truncated ? "\n… (cut at 20,000 characters)" : ""}
                </pre>
              )}
              {data.logs && (
                <pre
                  aria-label="Preview console"
                  className="max-h-32 overflow-auto rounded-md bg-slate-900 p-2 font-mono text-[11px] whitespace-pre-wrap text-slate-100"
                >
                  {data.logs.join("\n")}
                </pre>
              )}
            </>
          )
        )}
      </div>
    </section>
  );
}

"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { api } from "@/lib/queries/api-client";
import type { ExpressionPreview as Preview } from "@/lib/runs/expression-preview";

/** A Transform step's mapping tried, as it is typed, on the data of the workflow's last run. */
export function ExpressionPreview({ workflowId, expression }: { workflowId: string; expression: string }) {
  const [settled, setSettled] = useState(expression);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(expression), 400);
    return () => clearTimeout(timer);
  }, [expression]);
  const preview = useQuery({
    queryKey: ["expression-preview", workflowId, settled],
    queryFn: () =>
      api<Preview>(`/api/workflows/${workflowId}/expression-preview`, {
        method: "POST",
        body: { expression: settled },
      }),
    enabled: settled.trim().length > 0,
    staleTime: 5_000,
  });
  const data = preview.data;
  return (
    <section aria-labelledby="expression-preview-title" className="space-y-1.5 border-t border-slate-200 pt-4">
      <h3 id="expression-preview-title" className="text-xs font-semibold tracking-wide text-slate-500 uppercase">
        Preview on the last run
      </h3>
      <div aria-live="polite" className="space-y-1.5 text-xs">
        {!settled.trim() ? (
          <p className="text-slate-500">Write a mapping to see what it makes.</p>
        ) : preview.isPending ? (
          <p className="text-slate-500">Working it out…</p>
        ) : preview.isError ? (
          <p className="text-red-700">✕ The preview is not available: {preview.error.message}</p>
        ) : (
          data && (
            <>
              <p className="text-slate-500">
                {data.run
                  ? `Data of the run of ${new Date(data.run.createdAt).toLocaleString()} (${data.run.status.toLowerCase()}).`
                  : "This workflow has not run yet: the preview uses no step outputs. Run it once to preview on its data."}
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
            </>
          )
        )}
      </div>
    </section>
  );
}

"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "@/lib/queries/api-client";

/** Offers the published version as an MCP tool at /api/mcp (for API keys of this workspace). */
export function ExposeAsTool({ workflowId }: { workflowId: string }) {
  const client = useQueryClient();
  const key = ["workflow-expose", workflowId];
  const current = useQuery({
    queryKey: key,
    queryFn: () => api<{ exposeAsTool: boolean }>(`/api/workflows/${workflowId}`).then((w) => w.exposeAsTool),
  });
  // The person's choice shows at once (a controlled checkbox must change in the same event).
  const [chosen, setChosen] = useState<boolean | null>(null);
  const save = useMutation({
    meta: { showsError: true },
    mutationFn: (exposeAsTool: boolean) =>
      api(`/api/workflows/${workflowId}`, { method: "PATCH", body: { exposeAsTool } }),
    onError: () => setChosen(null),
    onSettled: () => client.invalidateQueries({ queryKey: key }),
  });
  return (
    <label className="flex items-start gap-2 rounded-md bg-slate-50 p-2.5 text-xs ring-1 ring-slate-200">
      <input
        type="checkbox"
        className="mt-0.5"
        checked={chosen ?? current.data ?? false}
        disabled={current.isPending}
        onChange={(e) => {
          setChosen(e.target.checked);
          save.mutate(e.target.checked);
        }}
      />
      <span>
        <span className="font-medium text-slate-800">Offer as an MCP tool</span>
        <span className="block text-slate-500">
          Other agents can call the published version at /api/mcp with an API key; its inputs come from the Start step.
        </span>
        {save.error && <span className="block text-red-700">{save.error.message}</span>}
      </span>
    </label>
  );
}

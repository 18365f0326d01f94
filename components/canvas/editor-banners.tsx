import type { NodeStats } from "@/lib/schemas/dashboard";

/**
 * The editor's banners under its toolbar: what the step statistics cover (while they are
 * shown), and which published version is open read-only, with the way back to the draft.
 */
export function EditorBanners({
  stats,
  viewing,
  onBackToDraft,
}: {
  /** The statistics' query while they are shown, else null. */
  stats: { isLoading: boolean; data?: NodeStats } | null;
  viewing: number | null;
  onBackToDraft: () => void;
}) {
  return (
    <>
      {stats && (
        <div
          className="flex items-center gap-3 border-b border-slate-200 bg-slate-50 px-4 py-1.5 text-xs text-slate-600"
          data-testid="stats-banner"
        >
          {stats.isLoading
            ? "Loading step statistics…"
            : stats.data
              ? stats.data.runs
                ? `Median time and cost per step over the last ${stats.data.runs} run${stats.data.runs === 1 ? "" : "s"} (every version).`
                : "No runs yet: run the workflow to see each step's time and cost here."
              : "Could not load step statistics."}
        </div>
      )}
      {viewing !== null && (
        <div
          className="flex items-center gap-3 border-b border-brand-100 bg-brand-50 px-4 py-2 text-sm text-brand-700"
          data-testid="viewing-banner"
        >
          Viewing version {viewing} (read-only).
          <button className="font-medium underline" onClick={onBackToDraft}>
            Back to draft
          </button>
        </div>
      )}
    </>
  );
}

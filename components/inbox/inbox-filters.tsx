import type { InboxPage } from "@/lib/review/reviews";
import type { InboxQuery } from "@/lib/schemas/review";

const select = "rounded-md bg-white px-2 py-1.5 ring-1 ring-slate-300";

/** The inbox's filters and order (kept in the URL by `setFilter`), with how many reviews they show. */
export function InboxFilters({
  page,
  query,
  setFilter,
}: {
  page: InboxPage;
  query: InboxQuery;
  setFilter: (patch: Partial<InboxQuery>) => void;
}) {
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm" data-testid="inbox-filters">
      <select
        aria-label="Workflow"
        className={select}
        value={query.workflow ?? ""}
        onChange={(e) => setFilter({ workflow: e.target.value || undefined })}
      >
        <option value="">Every workflow</option>
        {page.workflows.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name}
          </option>
        ))}
      </select>
      <select
        aria-label="Assignee"
        className={select}
        value={query.assignee}
        onChange={(e) => setFilter({ assignee: e.target.value as InboxQuery["assignee"] })}
      >
        <option value="any">Anyone&apos;s</option>
        <option value="me">Mine (claimed or handed to me)</option>
        <option value="unassigned">Not claimed</option>
        <option value="others">Someone else has it</option>
      </select>
      <select
        aria-label="Waiting for"
        className={select}
        value={query.age}
        onChange={(e) => setFilter({ age: Number(e.target.value) })}
      >
        <option value={0}>Waiting any time</option>
        <option value={3600}>Waiting over an hour</option>
        <option value={86_400}>Waiting over a day</option>
      </select>
      <select
        aria-label="Deadline"
        className={select}
        value={query.due}
        onChange={(e) => setFilter({ due: e.target.value as InboxQuery["due"] })}
      >
        <option value="any">Any deadline</option>
        <option value="soon">Due within a day</option>
        <option value="overdue">Overdue</option>
      </select>
      <select
        aria-label="Order"
        className={select}
        value={query.sort}
        onChange={(e) => setFilter({ sort: e.target.value as InboxQuery["sort"] })}
      >
        <option value="oldest">Oldest first</option>
        <option value="newest">Newest first</option>
        <option value="deadline">Deadline first</option>
      </select>
      <span className="text-slate-500" data-testid="inbox-total">
        {page.total === page.all ? `${page.all} waiting` : `${page.total} of ${page.all} shown`}
      </span>
      <span className="ml-auto hidden text-xs text-slate-500 md:inline">Keys: J/K move · X select · Enter open</span>
    </div>
  );
}

import { useId } from "react";
import type { InboxPage } from "@/lib/review/reviews";
import type { InboxQuery } from "@/lib/schemas/review";

/** One filter: a list of choices (as value and what it says) under its visible name. */
function Choice({
  label,
  value,
  choices,
  onPick,
}: {
  label: string;
  value: string | number;
  choices: [value: string | number, text: string][];
  onPick: (value: string) => void;
}) {
  const id = useId();
  return (
    <div className="flex flex-col gap-0.5">
      <label htmlFor={id} className="text-xs font-medium text-slate-600">
        {label}
      </label>
      <select
        id={id}
        className="rounded-md bg-white px-2 py-1.5 text-sm font-normal text-slate-900 ring-1 ring-slate-300"
        value={value}
        onChange={(e) => onPick(e.target.value)}
      >
        {choices.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

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
    <div className="flex flex-wrap items-end gap-2 text-sm" data-testid="inbox-filters">
      <Choice
        label="Workflow"
        value={query.workflow ?? ""}
        choices={[["", "Every workflow"], ...page.workflows.map((w): [string, string] => [w.id, w.name])]}
        onPick={(v) => setFilter({ workflow: v || undefined })}
      />
      <Choice
        label="Assignee"
        value={query.assignee}
        choices={[
          ["any", "Anyone's"],
          ["me", "Mine (claimed or handed to me)"],
          ["unassigned", "Not claimed"],
          ["others", "Someone else has it"],
        ]}
        onPick={(v) => setFilter({ assignee: v as InboxQuery["assignee"] })}
      />
      <Choice
        label="Waiting for"
        value={query.age}
        choices={[
          [0, "Waiting any time"],
          [3600, "Waiting over an hour"],
          [86_400, "Waiting over a day"],
        ]}
        onPick={(v) => setFilter({ age: Number(v) })}
      />
      <Choice
        label="Deadline"
        value={query.due}
        choices={[
          ["any", "Any deadline"],
          ["soon", "Due within a day"],
          ["overdue", "Overdue"],
        ]}
        onPick={(v) => setFilter({ due: v as InboxQuery["due"] })}
      />
      <Choice
        label="Order"
        value={query.sort}
        choices={[
          ["oldest", "Oldest first"],
          ["newest", "Newest first"],
          ["deadline", "Deadline first"],
        ]}
        onPick={(v) => setFilter({ sort: v as InboxQuery["sort"] })}
      />
      <span className="py-1.5 text-slate-500" data-testid="inbox-total">
        {page.total === page.all ? `${page.all} waiting` : `${page.total} of ${page.all} shown`}
      </span>
      <span className="ml-auto hidden py-1.5 text-xs text-slate-500 md:inline">
        Keys: J/K move · X select · Enter open
      </span>
    </div>
  );
}

"use client";

import { useSearchParams } from "next/navigation";
import { useEffect } from "react";

export type PanelTab = "inspector" | "problems" | "versions" | "run" | "triggers";

const PANELS: readonly string[] = ["inspector", "problems", "versions", "run", "triggers"];

/**
 * Asks the editor to show one of its panels: `?panel=versions` in the address, which the side
 * panel follows once and then removes (a link such as `/workflows/:id?panel=versions` does the
 * same from elsewhere). Next.js passes a history change like this on to useSearchParams
 * without loading the page again (given state null: with its own state it would not).
 */
export function showPanel(tab: PanelTab) {
  const url = new URL(window.location.href);
  url.searchParams.set("panel", tab);
  window.history.replaceState(null, "", url);
}

/** The right-hand panel with its tabs; the body is the chosen tab's content. */
export function SidePanel({
  tab,
  onTab,
  problemCount,
  children,
}: {
  tab: PanelTab;
  onTab: (t: PanelTab) => void;
  problemCount: number;
  children: React.ReactNode;
}) {
  const requested = useSearchParams().get("panel");
  useEffect(() => {
    if (!requested || !PANELS.includes(requested)) return;
    onTab(requested as PanelTab);
    const url = new URL(window.location.href);
    url.searchParams.delete("panel");
    window.history.replaceState(null, "", url);
  }, [requested, onTab]);

  const tabs: { id: PanelTab; label: string }[] = [
    { id: "inspector", label: "Inspector" },
    { id: "problems", label: problemCount ? `Problems (${problemCount})` : "Problems" },
    { id: "versions", label: "Versions" },
    { id: "run", label: "Run" },
    { id: "triggers", label: "Triggers" },
  ];
  return (
    <aside aria-label="Details" className="flex w-80 shrink-0 flex-col border-l border-slate-200 bg-white">
      <div role="tablist" className="flex border-b border-slate-200 px-1">
        {tabs.map((t) => (
          <button
            key={t.id}
            role="tab"
            id={`panel-tab-${t.id}`}
            aria-controls="panel-body"
            aria-selected={tab === t.id}
            onClick={() => onTab(t.id)}
            className={`-mb-px border-b-2 px-1.5 py-2.5 text-xs font-medium whitespace-nowrap ${tab === t.id ? "border-brand-600 text-brand-700" : "border-transparent text-slate-500 hover:text-slate-800"} ${
              t.id === "problems" && problemCount ? "text-amber-700" : ""
            }`}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id="panel-body"
        aria-labelledby={`panel-tab-${tab}`}
        tabIndex={-1}
        className="flex-1 overflow-y-auto p-4"
      >
        {children}
      </div>
    </aside>
  );
}

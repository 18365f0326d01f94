"use client";

import { CopyField } from "@/components/ui/copy-field";
import type { FormConfig } from "@/lib/schemas/triggers";

/** A hosted form's link and who may use it. */
export function FormDetails({ config, path, name }: { config: FormConfig; path: string; name: string }) {
  const origin = typeof window === "undefined" ? "" : window.location.origin;
  return (
    <>
      <p className="text-xs text-slate-600">
        Form · {config.access === "public" ? "anyone with the link" : "members of this workspace, signed in"} · waits up
        to {config.waitSeconds} s for the answer · {config.perMinute} a minute
      </p>
      <div className="space-y-1">
        <p className="text-xs font-medium text-slate-700">Link (runs the published version)</p>
        <CopyField value={`${origin}${path}`} label={`Link of ${name}`} confirmation="Link copied" />
        <a href={path} target="_blank" rel="noreferrer" className="text-xs font-medium text-brand-700 hover:underline">
          Open the form in a new tab<span className="sr-only">: {name}</span>
        </a>
      </div>
    </>
  );
}

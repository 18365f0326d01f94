"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextAreaField } from "@/components/ui/field";
import { useTryPolicy } from "@/lib/queries/organization";
import type { PolicyRules } from "@/lib/schemas/guardrail-policy";

/** Tries the rules as they stand in the form on a text: nothing is saved, and only a topic judge is called. */
export function TryPolicy({ rules, name }: { rules: PolicyRules; name: string }) {
  const [text, setText] = useState("");
  const tryIt = useTryPolicy();
  const result = tryIt.data?.result;
  return (
    <section aria-label="Try the policy" className="space-y-2 rounded-lg bg-white p-3 ring-1 ring-slate-200">
      <TextAreaField
        label="Try it on a text"
        rows={3}
        value={text}
        onChange={(e) => setText(e.target.value)}
        hint="Nothing is saved. No model is called, but for the judge of blocked topics."
      />
      <Button
        type="button"
        size="sm"
        variant="secondary"
        busy={tryIt.isPending}
        onClick={() => tryIt.mutate({ rules, text, name: name.trim() || undefined })}
      >
        Try
      </Button>
      <div aria-live="polite">
        {tryIt.error && <Alert>{tryIt.error.message}</Alert>}
        {result && !tryIt.error && (
          <dl className="space-y-2 text-sm">
            {result.refused ? (
              <div>
                <dt className="font-medium text-slate-700">As a prompt</dt>
                <dd className="text-red-800">✕ Refused: {result.refused}</dd>
              </div>
            ) : (
              <div>
                <dt className="font-medium text-slate-700">As a prompt, a provider sees</dt>
                <dd className="font-mono text-xs break-words whitespace-pre-wrap">{result.prompt}</dd>
              </div>
            )}
            <div>
              <dt className="font-medium text-slate-700">As an answer, the caller sees</dt>
              <dd className="font-mono text-xs break-words whitespace-pre-wrap">{result.answer}</dd>
            </div>
            <div>
              <dt className="font-medium text-slate-700">Found</dt>
              <dd>{result.findings.length ? result.findings.join("; ") : "nothing"}</dd>
            </div>
          </dl>
        )}
      </div>
    </section>
  );
}

"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { ApiError } from "@/lib/queries/api-client";
import { useSaveOrganizationLimits } from "@/lib/queries/organization";
import type { OrganizationLimits } from "@/lib/schemas/guardrail-policy";

/** A whole number of 1 or more, or empty; what is wrong with it otherwise. */
/** As typed, with the separators people write in large numbers ("100,000", "100 000") taken out. */
const digits = (typed: string) => typed.trim().replace(/[,_\s]/g, "");
const problemOf = (typed: string) =>
  digits(typed) !== "" && !/^[1-9]\d*$/.test(digits(typed)) ? "A whole number, 1 or more (empty: no limit)" : undefined;

/**
 * The organization's requests and tokens per minute over every team's model calls together, on
 * top of each team's own (installation owners; every process counts against the same limit).
 */
export function OrganizationLimitsForm({ limits }: { limits: OrganizationLimits }) {
  const save = useSaveOrganizationLimits();
  const [rpm, setRpm] = useState(limits.requestsPerMinute?.toString() ?? "");
  const [tpm, setTpm] = useState(limits.tokensPerMinute?.toString() ?? "");
  const [rpmProblem, tpmProblem] = [problemOf(rpm), problemOf(tpm)];
  const server = save.error instanceof ApiError ? save.error : null;
  const asNumber = (typed: string) => (digits(typed) === "" ? null : Number(digits(typed)));
  return (
    <form
      aria-label="The organization's rate limits"
      noValidate
      className="flex flex-wrap items-end gap-3 rounded-xl bg-slate-50 p-4 ring-1 ring-slate-200"
      onSubmit={(e) => {
        e.preventDefault();
        if (rpmProblem || tpmProblem) return;
        save.mutate({ requestsPerMinute: asNumber(rpm), tokensPerMinute: asNumber(tpm) });
      }}
    >
      <div className="w-56">
        <TextField
          label="Requests per minute"
          inputMode="numeric"
          value={rpm}
          onChange={(e) => (setRpm(e.target.value), save.reset())}
          hint="Empty: no limit"
          error={rpmProblem ?? server?.field("requestsPerMinute")}
        />
      </div>
      <div className="w-56">
        <TextField
          label="Tokens per minute"
          inputMode="numeric"
          value={tpm}
          onChange={(e) => (setTpm(e.target.value), save.reset())}
          hint="Empty: no limit"
          error={tpmProblem ?? server?.field("tokensPerMinute")}
        />
      </div>
      <Button type="submit" size="sm" busy={save.isPending}>
        Save rate limits
      </Button>
      <p className="basis-full text-xs text-slate-600">
        Every team&rsquo;s model calls together, on top of each team&rsquo;s own limits: a call past either is refused,
        naming the organization&rsquo;s limit and when to try again.
      </p>
      {save.error && !server?.fields.length && <Alert>{save.error.message}</Alert>}
      {save.isSuccess && (
        <p role="status" className="basis-full text-sm text-emerald-800">
          Saved.
        </p>
      )}
    </form>
  );
}

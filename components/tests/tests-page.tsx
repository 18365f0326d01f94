"use client";

import Link from "next/link";
import { CaseTable } from "./case-table";
import { EvaluationPanel } from "./evaluation-panel";
import { EvaluatorsForm } from "./evaluators-form";
import { GateForm } from "./gate-form";
import { ReviewsForm, type ReviewStep } from "./reviews-form";
import type { StartFieldView } from "./case-table";

/**
 * A workflow's tests: its cases (each an input and what a good answer is), the evaluators that
 * judge an answer, and evaluations of the draft or a version over every case.
 */
export function TestsPage({
  workflow,
  reviewSteps,
  startFields,
}: {
  workflow: { id: string; name: string; publishedVersion: number | null };
  /** The draft's steps that ask a person. */
  reviewSteps: ReviewStep[];
  /** The draft's Start fields: a new case's input is written for them. */
  startFields: StartFieldView[];
}) {
  return (
    <div className="space-y-8">
      <div>
        <Link href={`/workflows/${workflow.id}`} className="text-sm text-brand-600 hover:underline">
          ← {workflow.name}
        </Link>
        <h1 className="mt-1 text-2xl font-semibold tracking-tight">Tests of {workflow.name}</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">
          Run every case on the draft or a version and see which pass. Steps that reach outside (tools, HTTP requests,
          sub-workflows, loops, agents with tools) never run in an evaluation: they answer with what the case’s run
          recorded, or with their pinned output. Reviews are decided as set below, without asking anyone.
        </p>
      </div>
      <CaseTable workflowId={workflow.id} startFields={startFields} />
      <EvaluatorsForm workflowId={workflow.id} />
      <ReviewsForm workflowId={workflow.id} steps={reviewSteps} />
      <GateForm workflowId={workflow.id} />
      <EvaluationPanel workflowId={workflow.id} publishedVersion={workflow.publishedVersion} />
    </div>
  );
}

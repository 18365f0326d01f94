"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { RunDialog } from "@/components/canvas/run-dialog";
import { Button } from "@/components/ui/button";
import type { FirstSteps } from "@/lib/observability/first-steps";

const link =
  "inline-flex items-center rounded-md bg-white px-3.5 py-2 text-sm font-medium text-slate-800 shadow-sm ring-1 ring-slate-300 hover:bg-slate-50";

function Item({
  done,
  title,
  children,
  action,
}: {
  done: boolean;
  title: string;
  children: React.ReactNode;
  action: React.ReactNode;
}) {
  return (
    <li className="flex flex-wrap items-center gap-4 px-5 py-4 sm:flex-nowrap">
      {done ? (
        <svg viewBox="0 0 24 24" className="size-6 shrink-0 text-emerald-600" aria-hidden>
          <circle cx="12" cy="12" r="10" fill="currentColor" />
          <path d="M7.5 12.5l3 3 6-6.5" fill="none" stroke="white" strokeWidth={2.2} strokeLinecap="round" />
        </svg>
      ) : (
        <svg viewBox="0 0 24 24" className="size-6 shrink-0 text-slate-500" aria-hidden>
          <circle cx="12" cy="12" r="9.5" fill="none" stroke="currentColor" strokeWidth={2} strokeDasharray="3 2.6" />
        </svg>
      )}
      <div className="min-w-0 flex-1">
        <h3 className={`font-medium ${done ? "text-slate-500" : "text-slate-900"}`}>{title}</h3>
        <p className="text-sm text-slate-600">{children}</p>
      </div>
      <span
        className={`shrink-0 rounded-full px-2.5 py-0.5 text-xs font-semibold ${done ? "bg-emerald-50 text-emerald-800" : "bg-slate-100 text-slate-700"}`}
      >
        {done ? "Done" : "To do"}
      </span>
      <div className="w-40 shrink-0 text-right">{action}</div>
    </li>
  );
}

/**
 * The home page's first steps for a new workspace, each ticked from what the workspace holds:
 * run the demo workflow, decide the review it stops at, invite a reviewer. Each says its state
 * in words as well as by its mark. "Hide" sets `hideCookie`, which the home page reads to leave
 * it out.
 */
export function GetStarted({ steps, hideCookie }: { steps: FirstSteps; hideCookie: string }) {
  const router = useRouter();
  const [running, setRunning] = useState(false);
  const done = [steps.ranARun, steps.decidedAReview, steps.hasAReviewer].filter(Boolean).length;

  const hide = () => {
    document.cookie = `${hideCookie}=1; path=/; max-age=31536000; samesite=lax`;
    router.refresh();
  };

  return (
    <section
      aria-labelledby="get-started"
      className="overflow-hidden rounded-xl bg-white shadow-sm ring-1 ring-slate-200"
    >
      <div className="flex items-center justify-between gap-4 border-b border-slate-100 px-5 py-3">
        <div>
          <h2 id="get-started" className="font-semibold">
            Get started
          </h2>
          <p className="text-sm text-slate-600">{done} of 3 done. Each ticks itself when it has happened.</p>
        </div>
        <Button variant="ghost" onClick={hide}>
          Hide
        </Button>
      </div>
      <ol className="divide-y divide-slate-100">
        <Item
          done={steps.ranARun}
          title="Run the demo workflow"
          action={
            steps.demo ? (
              <Button variant={steps.ranARun ? "secondary" : "primary"} onClick={() => setRunning(true)}>
                {steps.ranARun ? "Run it again" : "Run the demo"}
              </Button>
            ) : (
              <Link href="/workflows" className={link}>
                Open Workflows
              </Link>
            )
          }
        >
          {steps.demo
            ? "An agent researches a topic and drafts a brief, then the run waits for a person to approve it."
            : "The demo workflow is gone from this workspace: run any workflow from its editor instead."}
        </Item>
        <Item
          done={steps.decidedAReview}
          title="Decide a review in the inbox"
          action={
            <Link href="/inbox" className={link}>
              Open the inbox
            </Link>
          }
        >
          Steps that wait for a person land in the inbox: approve or reject the demo&apos;s brief there.
        </Item>
        <Item
          done={steps.hasAReviewer}
          title="Invite a reviewer"
          action={
            <Link href="/admin/members" className={link}>
              Invite on Members
            </Link>
          }
        >
          Reviewers decide the steps that wait for a person, and see nothing else.
        </Item>
      </ol>
      {running && steps.demo && (
        <RunDialog
          workflowId={steps.demo.id}
          graph={steps.demo.graph}
          title="Run the demo workflow"
          description="A test run of the demo: pick a topic; you follow the run on its own page as each step finishes."
          onClose={() => setRunning(false)}
          onStarted={(id) => router.push(`/runs/${id}`)}
        />
      )}
    </section>
  );
}

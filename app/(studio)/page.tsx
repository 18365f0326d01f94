import { cookies } from "next/headers";
import Link from "next/link";
import { GetStarted } from "@/components/home/get-started";
import { Page } from "@/components/ui/page";
import { pageViewer } from "@/lib/auth/page-access";
import { firstSteps } from "@/lib/observability/first-steps";
import { can } from "@/lib/schemas/permissions";

export const metadata = { title: "Home" };

/**
 * Where everyone lands: what this role can do here, with a way into each part. An admin also
 * gets the first steps of a workspace, until all three are done or they hide them.
 */
export default async function HomePage() {
  const { viewer } = await pageViewer();
  const hideCookie = `flowdeck-get-started-hidden-${viewer.workspace.id}`;
  const checklist =
    can(viewer.role, "workspace:admin") && !(await cookies()).has(hideCookie)
      ? await firstSteps(viewer.workspace.id)
      : null;
  const allDone = checklist && checklist.ranARun && checklist.decidedAReview && checklist.hasAReviewer;
  const cards = [
    can(viewer.role, "workflows:read") && {
      href: "/workflows",
      title: "Workflows",
      body: "Build agent workflows on a canvas, run them and read their traces.",
    },
    can(viewer.role, "reviews:decide") && {
      href: "/inbox",
      title: "Inbox",
      body: "Pending human-review steps of every workflow land here as runs reach them.",
    },
    can(viewer.role, "workspace:admin") && {
      href: "/admin/members",
      title: "Members",
      body: "Create and invite people, change their roles, deactivate accounts.",
    },
  ].filter(Boolean) as { href?: string; title: string; body: string }[];
  return (
    <Page>
      <div className="space-y-8">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Welcome, {viewer.user.name}</h1>
          <p className="mt-1 text-sm text-slate-600">
            You are <span className="font-medium">{viewer.role.toLowerCase()}</span> in{" "}
            <span className="font-medium">{viewer.workspace.name}</span>.
          </p>
        </div>
        {checklist && !allDone && <GetStarted steps={checklist} hideCookie={hideCookie} />}
        <div className="grid gap-4 sm:grid-cols-3">
          {cards.map((card) => {
            const inner = (
              <>
                <h2 className="font-semibold text-slate-900">{card.title}</h2>
                <p className="mt-1 text-sm text-slate-600">{card.body}</p>
              </>
            );
            return card.href ? (
              <Link
                key={card.title}
                href={card.href}
                className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200 transition hover:ring-brand-500"
              >
                {inner}
              </Link>
            ) : (
              <div key={card.title} className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
                {inner}
              </div>
            );
          })}
        </div>
      </div>
    </Page>
  );
}

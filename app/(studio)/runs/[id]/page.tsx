import { notFound } from "next/navigation";
import { RunDetail } from "@/components/runs/run-detail";
import { AccessDenied } from "@/components/ui/access-denied";
import { Page } from "@/components/ui/page";
import { pageViewer } from "@/lib/auth/page-access";
import { AppError } from "@/lib/errors/app-error";
import { getRun } from "@/lib/runs/read-runs";

export const metadata = { title: "Run" };

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { viewer, allowed } = await pageViewer("workflows:read");
  if (!allowed) {
    return (
      <Page>
        <AccessDenied role={viewer.role} need="builders and admins" />
      </Page>
    );
  }
  const { id } = await params;
  const run = await getRun(viewer.workspace.id, id).catch((e: unknown) => {
    if (e instanceof AppError && e.code === "not_found") notFound();
    throw e;
  });
  return (
    <Page>
      <RunDetail initial={run} />
    </Page>
  );
}

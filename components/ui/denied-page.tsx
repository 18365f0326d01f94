import { AccessDenied } from "./access-denied";
import { Page } from "./page";

/** A whole page saying the person's role may not see it. */
export function DeniedPage({ role, need, reason }: { role: string; need: string; reason?: string }) {
  return (
    <Page>
      <AccessDenied role={role} need={need} reason={reason} />
    </Page>
  );
}

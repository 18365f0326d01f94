import { AccessDenied } from "./access-denied";
import { Page } from "./page";

/** A whole page saying the person's role may not see it. */
export function DeniedPage({ role, need }: { role: string; need: string }) {
  return (
    <Page>
      <AccessDenied role={role} need={need} />
    </Page>
  );
}

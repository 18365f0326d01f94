import { OrganizationPage } from "@/components/organization/organization-page";

export const metadata = { title: "Organization" };

/** Spend and guardrail policies (the layout lets installation owners only in). */
export default function Organization() {
  return <OrganizationPage />;
}

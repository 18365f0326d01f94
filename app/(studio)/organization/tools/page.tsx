import { ToolServersSection } from "@/components/organization/tool-servers-section";

export const metadata = { title: "Organization tool servers" };

/** The organization's tool servers and the teams each is granted to (the layout lets installation owners only in). */
export default function OrganizationTools() {
  return <ToolServersSection />;
}

import { ToolAudit } from "@/components/mcp/tool-audit";

export const metadata = { title: "Organization tool calls" };

/** Every team's tool calls in one list (the layout lets installation owners only in). */
export default function OrganizationToolAudit() {
  return <ToolAudit organization />;
}

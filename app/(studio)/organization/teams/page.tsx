import { TeamsSection } from "@/components/organization/teams-section";

export const metadata = { title: "Teams" };

/** Each workspace as a team: its granted models, limits and budget (installation owners only, by the layout). */
export default function OrganizationTeams() {
  return <TeamsSection />;
}

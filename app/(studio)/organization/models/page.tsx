import { ModelsSection } from "@/components/gateway/models-section";
import { ProvidersSection } from "@/components/gateway/providers-section";

export const metadata = { title: "Organization models" };

/** The organization's models and providers (the layout lets installation owners only in). */
export default function OrganizationModels() {
  return (
    <div className="space-y-8">
      <ProvidersSection scope="organization" />
      <ModelsSection scope="organization" />
    </div>
  );
}

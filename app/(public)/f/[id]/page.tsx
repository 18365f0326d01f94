import { HostedFormView } from "@/components/forms/hosted-form";
import { currentViewer } from "@/lib/auth/session";
import { describeForm } from "@/lib/triggers/forms";

export const metadata = { title: "Form" };
export const dynamic = "force-dynamic";

/** A hosted form: generated from the workflow's Start fields; it starts a run and shows the answer. */
export default async function FormPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const found = await describeForm(id, await currentViewer());
  if (!found)
    return (
      <div className="space-y-2 text-sm">
        <h1 className="text-lg font-semibold">This form is not available</h1>
        <p className="text-slate-600">It was turned off or removed, or the link is not right.</p>
      </div>
    );
  if ("signIn" in found)
    return (
      <div className="space-y-3 text-sm">
        <h1 className="text-lg font-semibold">Sign in to use this form</h1>
        <p className="text-slate-600">It is for the members of a workspace. Sign in, then open this link again.</p>
        <a
          className="font-medium text-brand-700 hover:underline"
          href={`/signin?next=${encodeURIComponent(`/f/${id}`)}`}
        >
          Go to sign in
        </a>
      </div>
    );
  return <HostedFormView form={found.form} />;
}

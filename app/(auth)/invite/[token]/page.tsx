import Link from "next/link";
import { AcceptInvitationForm } from "@/components/auth/accept-invitation-form";
import { describeInvitation } from "@/lib/workspaces/invitations";

export const metadata = { title: "Join a workspace" };
export const dynamic = "force-dynamic";

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invitation = await describeInvitation(token);
  if (!invitation) {
    return (
      <div className="space-y-4 text-sm">
        <h1 className="text-lg font-semibold">This invitation is not valid any more</h1>
        <p className="text-slate-600">It was used, revoked or has expired. Ask your admin for a new link.</p>
        <Link className="font-medium text-brand-600 hover:underline" href="/signin">
          Go to sign in
        </Link>
      </div>
    );
  }
  return <AcceptInvitationForm token={token} invitation={invitation} />;
}

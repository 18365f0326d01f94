"use client";

import { AddMemberForm } from "./add-member-form";
import { InstallationOwners } from "./installation-owners";
import { InvitationList } from "./invitation-list";
import { MembersTable } from "./members-table";

/** Admin page: everyone in the workspace, adding people, pending invitations. */
export function MembersPanel({ selfUserId, workspaceName }: { selfUserId: string; workspaceName: string }) {
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Members</h1>
        <p className="text-sm text-slate-600">People in {workspaceName} and what they may do.</p>
      </div>
      <div className="grid gap-8 lg:grid-cols-[1fr_20rem]">
        <MembersTable selfUserId={selfUserId} />
        <div className="space-y-8">
          <AddMemberForm />
          <InvitationList />
          <InstallationOwners selfUserId={selfUserId} />
        </div>
      </div>
    </div>
  );
}

-- A person an admin adds by email (with a password) shows in the workspace as the admin typed
-- them until they first sign in or open it: adding an email that already had an account
-- elsewhere on this installation shows nothing of that account (lib/workspaces/member-names.ts).
-- Everyone already in a workspace has joined it.
ALTER TABLE "Membership" ADD COLUMN "addedAs" TEXT;
ALTER TABLE "Membership" ADD COLUMN "joinedAt" TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP;
UPDATE "Membership" SET "joinedAt" = "createdAt";

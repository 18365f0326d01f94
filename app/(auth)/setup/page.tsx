import { redirect } from "next/navigation";
import { SetupForm } from "@/components/auth/setup-form";
import { needsSetup } from "@/lib/auth/needs-setup";

export const metadata = { title: "Set up Flowdeck" };
export const dynamic = "force-dynamic";

/** Shown only on an empty installation; afterwards it sends people to sign in. */
export default async function SetupPage() {
  if (!(await needsSetup())) redirect("/signin");
  return <SetupForm />;
}

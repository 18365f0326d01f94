import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/signin-form";
import { oidcEnabled } from "@/lib/auth/options";
import { currentViewer } from "@/lib/auth/session";
import { env } from "@/lib/config/env";
import { needsSetup } from "@/lib/auth/needs-setup";

export const metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function SignInPage() {
  if (await needsSetup()) redirect("/setup");
  if (await currentViewer()) redirect("/");
  return <SignInForm oidcName={oidcEnabled() ? env().OIDC_NAME : null} />;
}

import Link from "next/link";

/**
 * What a person sees on a page their role may not use (its API answers 403 too). With a
 * `reason` (a review that is another person's), that reason replaces the sentence about roles.
 */
export function AccessDenied({ role, need, reason }: { role: string; need: string; reason?: string }) {
  return (
    <div
      className="mx-auto max-w-md rounded-xl bg-white p-8 text-center shadow-sm ring-1 ring-slate-200"
      data-testid="access-denied"
    >
      <h1 className="text-lg font-semibold">You don’t have access to this page</h1>
      <p className="mt-2 text-sm text-slate-600">
        {reason ?? (
          <>
            Your role in this workspace is <strong>{role.toLowerCase()}</strong>; this page is for {need}.
          </>
        )}{" "}
        Ask an admin if you need it.
      </p>
      <Link href="/" className="mt-4 inline-block text-sm font-medium text-brand-600 hover:underline">
        Back to home
      </Link>
    </div>
  );
}

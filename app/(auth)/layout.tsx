import { Logo } from "@/components/ui/logo";

/**
 * Sign-in, set-up and invitation pages: one card under the logo, held at a fixed distance from the
 * top (not centred), so an error appearing in a form grows the card downward and nothing jumps.
 */
export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <main className="flex min-h-full flex-col items-center bg-gradient-to-b from-brand-50 to-slate-50 px-4 pt-[12vh] pb-12">
      <Logo className="mb-8 text-xl" />
      <div className="w-full max-w-sm rounded-xl bg-white p-8 shadow-sm ring-1 ring-slate-200">{children}</div>
      <p className="mt-6 max-w-sm text-center text-xs text-slate-500">A visual studio for AI agent workflows.</p>
    </main>
  );
}

import { Logo } from "@/components/ui/logo";

/** Pages anyone with their link may open (a hosted form): no studio navigation, nothing of the workspace. */
export default function PublicLayout({ children }: { children: React.ReactNode }) {
  return (
    <main className="flex min-h-full flex-col items-center bg-gradient-to-b from-brand-50 to-slate-50 px-4 py-12">
      <div className="w-full max-w-lg rounded-xl bg-white p-8 shadow-sm ring-1 ring-slate-200">{children}</div>
      <p className="mt-6 flex items-center gap-1.5 text-xs text-slate-500">
        Made with <Logo className="text-xs" />
      </p>
    </main>
  );
}

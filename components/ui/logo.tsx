/** The Flowdeck mark: three connected nodes. */
export function Logo({ className = "" }: { className?: string }) {
  return (
    <span className={`inline-flex items-center gap-2 font-semibold tracking-tight text-slate-900 ${className}`}>
      <svg viewBox="0 0 24 24" className="size-6" aria-hidden>
        <rect width="24" height="24" rx="6" className="fill-brand-600" />
        <circle cx="7" cy="8" r="2.2" fill="white" />
        <circle cx="17" cy="8" r="2.2" fill="white" />
        <circle cx="12" cy="16.5" r="2.2" fill="white" />
        <path d="M7 8h10M7 8l5 8.5M17 8l-5 8.5" stroke="white" strokeWidth="1.2" fill="none" />
      </svg>
      Flowdeck
    </span>
  );
}

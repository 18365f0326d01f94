/** Chat pages (a hosted chat, and the same in another site's frame): the whole window, nothing of the studio. */
export default function ChatLayout({ children }: { children: React.ReactNode }) {
  return <main className="flex h-dvh flex-col bg-slate-50">{children}</main>;
}

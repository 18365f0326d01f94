"use client";

import { useEffect, useRef } from "react";

/**
 * The studio's header, which wraps onto a second line on narrow screens: its height is kept in
 * `--shell-header` for pages that fill the rest of the window (the workflow editor).
 */
export function ShellHeader({ children }: { children: React.ReactNode }) {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    const header = ref.current;
    if (!header) return;
    const measure = () =>
      document.documentElement.style.setProperty("--shell-header", `${header.getBoundingClientRect().height}px`);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(header);
    return () => observer.disconnect();
  }, []);
  return (
    <header ref={ref} className="border-b border-slate-200 bg-white">
      {children}
    </header>
  );
}

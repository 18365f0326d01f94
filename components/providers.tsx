"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { z } from "zod";

// zod compiles object parsers with `new Function` when it may; the CSP (proxy.ts) forbids eval,
// and zod's probe for it would be reported as a violation. Parse without compiling instead.
z.config({ jitless: true });

/** Client-side providers: server data lives in TanStack Query (STYLE.md, 10). */
export function Providers({ children }: { children: React.ReactNode }) {
  const [client] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: 10_000, retry: 1 } } }));
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

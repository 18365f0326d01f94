"use client";

import { MutationCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { Tooltip } from "radix-ui";
import { useState } from "react";
import { toast, Toaster } from "sonner";
import { z } from "zod";
import { ConfirmProvider } from "./ui/confirm";

// zod compiles object parsers with `new Function` when it may; the CSP (proxy.ts) forbids eval,
// and zod's probe for it would be reported as a violation. Parse without compiling instead.
z.config({ jitless: true });

/**
 * Client-side providers: server data lives in TanStack Query (STYLE.md, 10); toasts (sonner);
 * tooltips (Radix, one provider so moving between them skips the delay); the dialog that asks
 * before something cannot be undone (`useConfirm`).
 * Every failed action is shown: a mutation whose caller does not show its error itself (no
 * `meta.showsError`) gets a toast with the server's message.
 */
export function Providers({ children }: { children: React.ReactNode }) {
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: { queries: { staleTime: 10_000, retry: 1 } },
        mutationCache: new MutationCache({
          onError: (error, _variables, _context, mutation) => {
            if (mutation.meta?.showsError) return;
            toast.error(error instanceof Error ? error.message : String(error));
          },
        }),
      }),
  );
  return (
    <QueryClientProvider client={client}>
      <Tooltip.Provider delayDuration={300}>
        <ConfirmProvider>{children}</ConfirmProvider>
        <Toaster position="bottom-right" richColors closeButton duration={6000} />
      </Tooltip.Provider>
    </QueryClientProvider>
  );
}

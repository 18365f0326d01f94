"use client";

import { createContext, useCallback, useContext, useState } from "react";
import { Button } from "./button";
import { DialogFrame } from "./dialog";

/** What to ask: the dialog's title (the action, as a question), what follows from it, and the button that does it. */
export interface Question {
  title: string;
  message: string;
  action: string;
  /** The button that changes nothing, where "Cancel" would read as the action itself ("Keep running"). */
  keep?: string;
}

type Ask = (question: Question) => Promise<boolean>;

const Asker = createContext<Ask | null>(null);

/**
 * Asks before something that cannot be undone (deleting, revoking, making a new secret), in the
 * studio's own dialog rather than the browser's: named, styled, and focus kept as every dialog
 * keeps it. Mounted once (components/providers.tsx); `useConfirm()` asks, and resolves to whether
 * the person went ahead.
 */
export function ConfirmProvider({ children }: { children: React.ReactNode }) {
  const [asking, setAsking] = useState<(Question & { answer: (yes: boolean) => void }) | null>(null);
  const ask = useCallback<Ask>((question) => new Promise((answer) => setAsking({ ...question, answer })), []);
  const answer = (yes: boolean) => {
    asking?.answer(yes);
    setAsking(null);
  };
  return (
    <Asker.Provider value={ask}>
      {children}
      {asking && (
        <DialogFrame title={asking.title} onClose={() => answer(false)} className="space-y-4 p-5">
          <p className="text-sm text-slate-700">{asking.message}</p>
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => answer(false)}>
              {asking.keep ?? "Cancel"}
            </Button>
            <Button variant="danger" onClick={() => answer(true)}>
              {asking.action}
            </Button>
          </div>
        </DialogFrame>
      )}
    </Asker.Provider>
  );
}

/** Asks a question in the studio's dialog; true when the person chose the action. */
export function useConfirm(): Ask {
  const ask = useContext(Asker);
  if (!ask) throw new Error("useConfirm needs ConfirmProvider (components/providers.tsx)");
  return ask;
}

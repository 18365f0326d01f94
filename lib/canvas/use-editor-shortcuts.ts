"use client";

import { useEffect } from "react";

export interface ShortcutHandlers {
  undo: () => void;
  redo: () => void;
  copy: () => void;
  paste: () => void;
  duplicate: () => void;
  commandMenu: () => void;
}

const typing = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));

/**
 * The editor's keyboard: Ctrl/⌘+Z undo, Ctrl/⌘+Shift+Z or Ctrl+Y redo, Ctrl/⌘+C/V copy and
 * paste, Ctrl/⌘+D duplicate, / or Ctrl/⌘+K the command menu. Not while typing in a field,
 * where those keys belong to the text. (Backspace/Delete are React Flow's.)
 */
export function useEditorShortcuts(handlers: ShortcutHandlers, enabled: boolean) {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === "k") return (e.preventDefault(), handlers.commandMenu());
      if (typing(e.target)) return;
      const key = e.key.toLowerCase();
      if (!mod && e.key === "/") return (e.preventDefault(), handlers.commandMenu());
      if (!mod) return;
      if (key === "z" && e.shiftKey) handlers.redo();
      else if (key === "z") handlers.undo();
      else if (key === "y") handlers.redo();
      else if (key === "c") handlers.copy();
      else if (key === "v") handlers.paste();
      else if (key === "d") handlers.duplicate();
      else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [handlers, enabled]);
}

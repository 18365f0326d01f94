"use client";

import { copyToClipboard, readClipboard } from "@/lib/canvas/clipboard";
import { selectionGraph, type EditorAction, type EditorState } from "@/lib/canvas/editor-state";
import type { ShortcutHandlers } from "@/lib/canvas/use-editor-shortcuts";

/** What the editor's keys do (`useEditorShortcuts`): undo, redo, copy, paste, duplicate, the command menu. */
export function editorShortcuts(
  state: EditorState,
  dispatch: (action: EditorAction) => void,
  openCommandMenu: () => void,
): ShortcutHandlers {
  return {
    undo: () => dispatch({ type: "undo" }),
    redo: () => dispatch({ type: "redo" }),
    copy: () => {
      const g = selectionGraph(state);
      if (g.nodes.length) copyToClipboard(g);
    },
    paste: () => {
      const g = readClipboard();
      if (g) dispatch({ type: "paste", graph: g, offset: { x: 40, y: 40 } });
    },
    duplicate: () => {
      const g = selectionGraph(state);
      if (g.nodes.length) dispatch({ type: "paste", graph: g, offset: { x: 40, y: 40 } });
    },
    commandMenu: openCommandMenu,
  };
}

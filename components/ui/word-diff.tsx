import { diffWords } from "diff";

/**
 * Two texts' difference by words: removed words struck through on red, added ones underlined
 * on green, each also named for screen readers (never by colour alone).
 */
export function WordDiff({ before, after, testId }: { before: string; after: string; testId?: string }) {
  return (
    <pre
      className="max-h-48 overflow-auto rounded-md bg-slate-50 p-2 font-sans text-xs whitespace-pre-wrap ring-1 ring-slate-200"
      data-testid={testId}
    >
      {diffWords(before, after).map((part, i) =>
        part.added ? (
          <ins key={i} className="bg-emerald-100 text-emerald-900">
            <span className="sr-only">added: </span>
            {part.value}
          </ins>
        ) : part.removed ? (
          <del key={i} className="bg-red-100 text-red-800">
            <span className="sr-only">removed: </span>
            {part.value}
          </del>
        ) : (
          <span key={i}>{part.value}</span>
        ),
      )}
    </pre>
  );
}

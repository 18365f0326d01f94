"use client";

import { useState } from "react";
import ReactMarkdown from "react-markdown";
import { JsonView, collapseAllNested, defaultStyles } from "react-json-view-lite";
import "react-json-view-lite/dist/index.css";
import remarkGfm from "remark-gfm";
import { shapeOf } from "@/lib/review/content-shape";

/** Rendered markdown (GitHub flavour; no raw HTML), for instructions and content. */
export function Markdown({ text, testId }: { text: string; testId?: string }) {
  return (
    <div className="markdown" data-testid={testId}>
      <ReactMarkdown remarkPlugins={[remarkGfm]}>{text}</ReactMarkdown>
    </div>
  );
}

const jsonStyle = { ...defaultStyles, container: "fd-json" };

/** A value shown readably (JSON as a tree, markdown rendered, text as text), with its raw form a click away. */
export function ContentView({
  value,
  testId,
  compact = false,
}: {
  value: unknown;
  testId?: string;
  compact?: boolean;
}) {
  const shape = shapeOf(value);
  const [raw, setRaw] = useState(false);
  if (shape.kind === "empty") return <p className="text-sm text-slate-500 italic">(empty)</p>;
  const rawText = shape.kind === "json" ? JSON.stringify(shape.value, null, 2) : shape.text;
  return (
    <div className="space-y-1" data-testid={testId} data-shape={shape.kind}>
      {shape.kind !== "text" && (
        <div className="flex justify-end">
          <button type="button" className="text-xs text-brand-700 hover:underline" onClick={() => setRaw((r) => !r)}>
            {raw ? (shape.kind === "json" ? "Show as a tree" : "Show formatted") : "Show raw"}
          </button>
        </div>
      )}
      {raw || shape.kind === "text" ? (
        <pre
          className={`overflow-auto whitespace-pre-wrap text-slate-700 ${shape.kind === "text" && !raw ? `font-sans ${compact ? "text-xs" : "text-sm"}` : "font-mono text-xs"} ${compact ? "max-h-40" : "max-h-[28rem]"}`}
        >
          {rawText}
        </pre>
      ) : shape.kind === "json" ? (
        <div className={`overflow-auto text-xs ${compact ? "max-h-40" : "max-h-[28rem]"}`}>
          <JsonView
            data={shape.value}
            style={jsonStyle}
            shouldExpandNode={compact ? collapseAllNested : (level) => level < 3}
          />
        </div>
      ) : (
        <div className={`overflow-auto ${compact ? "max-h-40" : "max-h-[28rem]"}`}>
          <Markdown text={shape.text} />
        </div>
      )}
    </div>
  );
}

"use client";

import { useState } from "react";
import { toast } from "sonner";
import { Button } from "./button";

/**
 * Copies a value to the clipboard: the button then says "Copied" (for as long as it shows that
 * value) and a toast confirms it; when the browser refuses, a toast says to copy by hand. `what`
 * completes the button's name for screen readers ("Copy run id") without showing it.
 */
export function CopyButton({
  value,
  what,
  confirmation,
  size,
}: {
  value: string;
  what?: string;
  /** The toast's words, such as "Link copied". */
  confirmation: string;
  size?: "sm" | "md";
}) {
  const [copied, setCopied] = useState<string | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(value);
      toast.success(confirmation);
    } catch {
      toast.error("Could not copy: select the text and copy it yourself.");
    }
  };
  return (
    <Button type="button" variant="secondary" size={size} onClick={() => void copy()}>
      {copied === value ? "Copied" : "Copy"}
      {what && <span className="sr-only"> {what}</span>}
    </Button>
  );
}

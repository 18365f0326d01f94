import type { NodeKind, WorkflowNode } from "../workflow";
import { specOf } from "./index";

/** Kinds whose steps do work that can fail or hang, and so take timeout, retries and an error branch. */
export const kindsWithSettings: readonly NodeKind[] = [
  "agent",
  "tool",
  "http",
  "guardrail",
  "condition",
  "code",
  "sub-workflow",
  "loop",
];

/** Kinds whose templates may use the workspace's secrets ({{secrets.name}}): the ones that send them out. */
export const kindsUsingSecrets: readonly NodeKind[] = ["http"];

/**
 * A node's outgoing handles: its kind's (from its config, or the defaults while the config is
 * invalid), plus "error" when failures continue along an error branch.
 */
export function outputsOf(
  node: Pick<WorkflowNode, "kind" | "config" | "settings">,
): { id: string | null; label: string }[] {
  const spec = specOf(node.kind);
  const parsed = spec.configSchema.safeParse(node.config);
  const outputs = spec.outputs(parsed.success ? parsed.data : spec.defaultConfig);
  return node.settings?.onError === "branch" && kindsWithSettings.includes(node.kind)
    ? [...outputs, { id: "error", label: "error" }]
    : outputs;
}

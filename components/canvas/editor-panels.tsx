import type { Dispatch } from "react";
import type { GraphDiff } from "@/lib/canvas/diff-graphs";
import type { EditorAction } from "@/lib/canvas/editor-state";
import type { GraphProblem } from "@/lib/engine/graph/validate-graph";
import { api } from "@/lib/queries/api-client";
import type { LiveRun } from "@/lib/queries/runs";
import type { WorkflowGraph, WorkflowNode } from "@/lib/schemas/workflow";
import { Inspector } from "./inspector/inspector";
import { ProblemsPanel } from "./problems-panel";
import { RunPanel } from "./run-panel";
import { SidePanel, type PanelTab } from "./side-panel";
import { TriggersPanel } from "./triggers/triggers-panel";
import { VersionsPanel } from "./versions-panel";

/**
 * The editor's side panel, one tab at a time: the selected step's form, runs, problems,
 * triggers and versions (open one read-only, compare it with the draft, restore it).
 */
export function EditorPanels({
  tab,
  onTab,
  workflowId,
  graph,
  viewedGraph,
  problems,
  selected,
  selectedNode,
  readOnly,
  dispatch,
  onDelete,
  run,
  onSelectProblem,
  versions,
  canAdmin,
}: {
  canAdmin: boolean;
  tab: PanelTab;
  onTab: (tab: PanelTab) => void;
  workflowId: string;
  /** The draft. */
  graph: WorkflowGraph;
  /** The published version open read-only, if any (null: the draft is shown). */
  viewedGraph: WorkflowGraph | null;
  problems: GraphProblem[];
  /** How many steps are selected. */
  selected: number;
  selectedNode: WorkflowNode | undefined;
  readOnly: boolean;
  dispatch: Dispatch<EditorAction>;
  onDelete: (nodeId: string) => void;
  run: { runId: string | null; live: LiveRun | null; canDecide: boolean; onPick: (runId: string) => void };
  onSelectProblem: (nodeId: string) => void;
  versions: {
    viewing: number | null;
    comparing: number | null;
    diff: GraphDiff | null;
    onOpen: (version: number | null) => void;
    onCompare: (version: number | null) => void;
  };
}) {
  const viewing = versions.viewing;
  return (
    <SidePanel tab={tab} onTab={onTab} problemCount={problems.length}>
      {tab === "inspector" &&
        (selectedNode ? (
          <Inspector
            node={selectedNode}
            workflowId={workflowId}
            graph={viewedGraph ?? graph}
            problems={viewing === null ? problems.filter((p) => p.nodeId === selectedNode.id) : []}
            readOnly={readOnly}
            canAdmin={canAdmin}
            onChange={(patch) => dispatch({ type: "updateNode", id: selectedNode.id, ...patch, at: Date.now() })}
            onDelete={() => onDelete(selectedNode.id)}
          />
        ) : (
          <p className="text-sm text-slate-500">
            {selected > 1
              ? `${selected} steps selected. Ctrl+C copies them, Ctrl+D duplicates them.`
              : "Select a step to configure it."}
          </p>
        ))}
      {tab === "run" && (
        <RunPanel
          workflowId={workflowId}
          graph={graph}
          runId={run.runId}
          live={run.live}
          canDecide={run.canDecide}
          onPick={run.onPick}
        />
      )}
      {tab === "problems" && <ProblemsPanel problems={problems} graph={graph} onSelect={onSelectProblem} />}
      {tab === "triggers" && <TriggersPanel workflowId={workflowId} graph={graph} />}
      {tab === "versions" && (
        <VersionsPanel
          workflowId={workflowId}
          viewing={viewing}
          comparing={versions.comparing}
          diff={versions.diff}
          onOpen={versions.onOpen}
          onCompare={versions.onCompare}
          onRestore={async (v) => {
            const version = await api<{ graph: WorkflowGraph }>(`/api/workflows/${workflowId}/versions/${v}`);
            versions.onOpen(null);
            dispatch({ type: "replaceGraph", graph: version.graph });
          }}
        />
      )}
    </SidePanel>
  );
}

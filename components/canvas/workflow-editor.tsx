"use client";

import { ReactFlowProvider, useReactFlow, useStoreApi } from "@xyflow/react";
import { useCallback, useDeferredValue, useMemo, useReducer, useState } from "react";
import { autoLayout } from "@/lib/canvas/auto-layout";
import { editorReducer, graphOf, initialEditorState } from "@/lib/canvas/editor-state";
import { toFlow, type FlowEdge, type FlowNode } from "@/lib/canvas/flow-mapping";
import { useSteadyGraph } from "@/lib/canvas/steady-graph";
import { useAutosave } from "@/lib/canvas/use-autosave";
import { useEditorShortcuts } from "@/lib/canvas/use-editor-shortcuts";
import { validateGraph } from "@/lib/engine/graph/validate-graph";
import { useRunStream } from "@/lib/queries/runs";
import { useWorkflowVersion, useWorkflowVersions } from "@/lib/queries/workflow-editor";
import type { NodeKind, WorkflowDetail } from "@/lib/schemas/workflow";
import { useWorkflows } from "@/lib/queries/workflows";
import { CanvasActionsContext } from "./canvas-actions";
import { CanvasView } from "./canvas-view";
import { FIT_VIEW, showWorkflow } from "./zoom";
import { useConflictResolution } from "./use-conflict-resolution";
import { useFreshDraft } from "./use-fresh-draft";
import { useCanvasEditing } from "./use-canvas-editing";
import { CommandMenu } from "./command-menu";
import { editorCommands } from "./editor-commands";
import { useLoopBodies } from "./use-loop-bodies";
import { useAddStep } from "./use-add-step";
import { ConflictDialog } from "./conflict-dialog";
import { ConnectionNotices } from "./connection-notices";
import { EditorToolbar } from "./editor-toolbar";
import { downloadWorkflow } from "./export-workflow";
import { DecorationsContext, nodeDecorations } from "./nodes/decorations";
import { editorShortcuts } from "./editor-shortcuts";
import { useNodeStats } from "@/lib/queries/node-stats";
import { usePins } from "@/lib/queries/pins";
import { Palette } from "./palette";
import { PublishDialog } from "./publish-dialog";
import { RunDialog } from "./run-dialog";
import type { PanelTab } from "./side-panel";
import { EditorBanners } from "./editor-banners";
import { EditorPanels } from "./editor-panels";
import { useDraftAgainstVersions } from "./use-draft-against-versions";

/** The workflow editor: palette, canvas, inspector, problems and versions, saving as you go. */
export interface EditorProps {
  workflow: WorkflowDetail;
  canWrite: boolean;
  canDecide: boolean;
  /** May open the workspace's admin pages (HTTP destinations, ...) the forms point to. */
  canAdmin?: boolean;
  /** Settings a new step of a kind starts with, where this workspace differs from the kind's defaults. */
  newStepDefaults?: Partial<Record<NodeKind, Record<string, unknown>>>;
}

export function WorkflowEditor(props: EditorProps) {
  return (
    <ReactFlowProvider>
      <Editor {...props} />
    </ReactFlowProvider>
  );
}

const NO_DEFAULTS = {};
const FIT = { ...FIT_VIEW, duration: 300 };

function Editor({ workflow, canWrite, canDecide, canAdmin = false, newStepDefaults = NO_DEFAULTS }: EditorProps) {
  const flow = useReactFlow<FlowNode, FlowEdge>();
  const store = useStoreApi();
  const [state, dispatch] = useReducer(editorReducer, workflow.graph, initialEditorState);
  const [tab, setTab] = useState<PanelTab>("inspector");
  const [menuOpen, setMenuOpen] = useState(false);
  const [publishing, setPublishing] = useState(false);
  const [viewing, setViewing] = useState<number | null>(null);
  const [comparing, setComparing] = useState<number | null>(null);
  const [runOpen, setRunOpen] = useState(false);
  const [runId, setRunId] = useState<string | null>(null);
  const live = useRunStream(runId);

  // While steps are dragged, the graph is the one from before the drag: saving, checking and
  // comparing wait for the drop instead of running on every frame.
  const graphSource = state.dragOrigin ?? state;
  const graph = useSteadyGraph(useMemo(() => graphOf(graphSource), [graphSource]));
  const settled = useDeferredValue(graph);
  const problems = useMemo(() => validateGraph(settled), [settled]);
  const save = useAutosave(workflow.id, graph, workflow.revision, canWrite && viewing === null);
  const name = useFreshDraft(workflow, save, dispatch);
  const versions = useWorkflowVersions(workflow.id);
  const viewed = useWorkflowVersion(workflow.id, viewing);
  const { diff, liveVersion, unchangedSince } = useDraftAgainstVersions(
    workflow.id,
    { live: versions.data?.[0]?.version ?? null, comparing },
    settled,
  );
  const readOnly = !canWrite || viewing !== null;
  const [showStats, setShowStats] = useState(false);
  const stats = useNodeStats(workflow.id, showStats);
  const statsData = stats.data;

  const editing = useCanvasEditing(state, dispatch, { readOnly, newStepDefaults });
  const allWorkflows = useWorkflows();
  const workflowNames = useMemo(
    () => new Map((allWorkflows.data ?? []).map((w) => [w.id, w.name])),
    [allWorkflows.data],
  );

  const viewedFlow = useMemo(() => (viewed.data ? toFlow(viewed.data.graph) : null), [viewed.data]);
  const shown = viewing !== null && viewedFlow ? viewedFlow : state;
  const pins = usePins(workflow.id);
  const decorations = useMemo(
    () =>
      nodeDecorations({
        problems: viewing === null ? problems : [],
        diff: viewing === null ? diff : null,
        live: viewing === null ? live : null,
        stats: showStats ? (statsData ?? null) : undefined,
        workflowNames,
        pinned: viewing === null ? Object.keys(pins.data ?? {}) : [],
      }),
    [problems, diff, viewing, live, showStats, statsData, workflowNames, pins.data],
  );

  const selected = shown.nodes.filter((n) => n.selected);
  const selectedNode = selected.length === 1 ? graphOf({ nodes: selected, edges: [] }).nodes[0] : undefined;

  /** After a step is added from the keyboard: its form, the keyboard's next stop (after the menu returns focus). */
  const focusNewStep = useCallback(() => {
    setTab("inspector");
    setTimeout(() => document.getElementById("node-label")?.focus(), 50);
  }, []);

  const adding = useAddStep(state, dispatch, flow, newStepDefaults);
  const addFromPalette = (kind: NodeKind) => (adding.add(kind), setTab("inspector"));
  const labelOfNode = (n: FlowNode) => n.data.label || n.id;

  const shortcuts = useMemo(() => editorShortcuts(state, dispatch, () => setMenuOpen(true)), [state]);
  useEditorShortcuts(shortcuts, !readOnly && !menuOpen && !publishing);

  const selectNode = (id: string) => {
    dispatch({ type: "select", nodeIds: [id] });
    const node = state.nodes.find((n) => n.id === id);
    if (node)
      void flow.setCenter(node.position.x + 120, node.position.y + 50, {
        zoom: Math.max(flow.getZoom(), 0.9),
        duration: 300,
      });
    setTab("inspector");
  };

  const layout = () => {
    // Steps as drawn (a Condition with many branches is taller than a plain step).
    const drawn = new Map(
      state.nodes.flatMap((n) =>
        n.measured?.width && n.measured.height
          ? [[n.id, { width: n.measured.width, height: n.measured.height }] as const]
          : [],
      ),
    );
    dispatch({ type: "positions", ...autoLayout(graph, drawn) });
    requestAnimationFrame(() => void showWorkflow(flow, store, { duration: 300 }));
  };

  const loopBodies = useLoopBodies(state, dispatch, flow, selectedNode?.id, focusNewStep, newStepDefaults);
  // Listed only while the command menu is open (a large graph has many "Connect" commands).
  const commands = menuOpen
    ? editorCommands({
        connect: editing.connectCommands(selectedNode?.id),
        deletable: selectedNode && selectedNode.kind !== "start" && !readOnly ? selectedNode : undefined,
        canWrite,
        add: (kind) => (adding.add(kind, "center"), focusNewStep()),
        after:
          adding.after && !readOnly
            ? { label: labelOfNode(adding.after), add: (kind) => (adding.add(kind), focusNewStep()) }
            : undefined,
        remove: (id) => editing.removeNodes([id]),
        run: () => setRunOpen(true),
        publish: () => setPublishing(true),
        layout,
        fit: () => void flow.fitView(FIT),
        show: setTab,
      }).concat(readOnly ? [] : loopBodies.commands)
    : [];

  const conflict = useConflictResolution(workflow, graph, dispatch, save);

  return (
    <div className="flex h-[calc(100vh-var(--shell-header,3.5rem))] flex-col" data-testid="workflow-editor">
      <h1 className="sr-only">Workflow editor: {name}</h1>
      <EditorToolbar
        key={name}
        workflowId={workflow.id}
        name={name}
        readOnly={readOnly}
        save={save}
        canUndo={state.past.length > 0}
        canRedo={state.future.length > 0}
        problemCount={problems.length}
        onUndo={shortcuts.undo}
        onRedo={shortcuts.redo}
        onLayout={layout}
        onExport={() => downloadWorkflow(workflow.name, workflow.description, graph)}
        onPublish={() => setPublishing(true)}
        unchangedSince={unchangedSince}
        onRun={() => setRunOpen(true)}
        showStats={showStats}
        onToggleStats={() => setShowStats((v) => !v)}
      />
      <EditorBanners stats={showStats ? stats : null} viewing={viewing} onBackToDraft={() => setViewing(null)} />
      {state.notices && viewing === null && (
        <ConnectionNotices
          notices={state.notices}
          onUndo={shortcuts.undo}
          onDismiss={() => dispatch({ type: "dismissNotices" })}
        />
      )}
      <div className="flex min-h-0 flex-1">
        {!readOnly && (
          <Palette
            onAdd={addFromPalette}
            after={adding.after && labelOfNode(adding.after)}
            endsHere={adding.endsHere && labelOfNode(adding.endsHere)}
            disabled={readOnly}
          />
        )}
        <DecorationsContext.Provider value={decorations}>
          <CanvasActionsContext.Provider value={editing.actions}>
            <CanvasView
              nodes={shown.nodes}
              edges={shown.edges}
              readOnly={readOnly}
              onNodesChange={(changes) => (viewing === null ? editing.onNodesChange(changes) : undefined)}
              onEdgesChange={(changes) => (viewing === null ? editing.onEdgesChange(changes) : undefined)}
              onConnect={(connection) => dispatch({ type: "connect", connection })}
              onDropKind={(kind, position) => (
                dispatch({
                  type: "addNode",
                  kind,
                  ...loopBodies.placeDropped(position),
                  config: newStepDefaults[kind],
                }),
                setTab("inspector")
              )}
              onNodeDragStop={loopBodies.onNodeDragStop}
              onDropOnEdge={(kind, edgeId) => (editing.actions.insertOnEdge(edgeId, kind), setTab("inspector"))}
              onNodeClick={() => setTab("inspector")}
            />
          </CanvasActionsContext.Provider>
        </DecorationsContext.Provider>
        <EditorPanels
          canAdmin={canAdmin}
          tab={tab}
          onTab={setTab}
          workflowId={workflow.id}
          graph={graph}
          viewedGraph={viewing !== null && viewed.data ? viewed.data.graph : null}
          problems={problems}
          selected={selected.length}
          selectedNode={selectedNode}
          readOnly={readOnly}
          dispatch={dispatch}
          onDelete={(id) => editing.removeNodes([id])}
          run={{ runId, live, canDecide, onPick: setRunId }}
          onSelectProblem={selectNode}
          versions={{ viewing, comparing, diff, onOpen: setViewing, onCompare: setComparing }}
        />
      </div>
      {runOpen && (
        <RunDialog
          workflowId={workflow.id}
          graph={graph}
          beforeStart={save.flush}
          onClose={() => setRunOpen(false)}
          onStarted={(id) => {
            setRunOpen(false);
            setRunId(id);
            setTab("run");
          }}
        />
      )}
      {menuOpen && <CommandMenu commands={commands} onClose={() => setMenuOpen(false)} />}
      {publishing && (
        <PublishDialog
          workflowId={workflow.id}
          revision={save.revision}
          nextVersion={(liveVersion ?? 0) + 1}
          unchangedSince={unchangedSince}
          onClose={() => setPublishing(false)}
        />
      )}
      {save.status === "conflict" && (
        <ConflictDialog
          message={save.error ?? ""}
          busy={conflict.resolving}
          onKeepMine={conflict.keepMine}
          onReload={conflict.reloadTheirs}
          onKeepCopy={conflict.keepCopy}
        />
      )}
    </div>
  );
}

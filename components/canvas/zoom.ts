import type { ReactFlowState } from "@xyflow/react";

/**
 * Zoomed out so far that text and small controls are unreadable (under 35%): steps are drawn as
 * plain boxes and connections without their "+" menu, which keeps zooming to fit a large graph
 * and panning it quick.
 */
export const zoomedFarOut = (s: ReactFlowState) => s.transform[2] < 0.35;

import type { Viewer } from "../../lib/auth/session";

/**
 * Lets the viewer's workspace reach this machine's loopback servers from its own model providers
 * and tool servers, as its admin would: an HTTP destination for 127.0.0.1 that allows private
 * addresses (without one, the egress guard refuses them). Call after the scratch database is set.
 */
export async function allowLoopback(viewer: Viewer): Promise<void> {
  const { addDestination } = await import("../../lib/egress/destinations");
  await addDestination(
    { workspaceId: viewer.workspace.id, userId: viewer.user.id },
    { pattern: "127.0.0.1", allowPrivate: true, requireApproval: false },
  );
}

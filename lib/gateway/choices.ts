import "server-only";
import type { Viewer } from "../auth/session";
import type { ModelChoice } from "../schemas/gateway";
import { allowedAliases } from "./pipeline";

/** The models a person (or an application key) may use: what editor pickers and `GET /v1/models` list. */
export async function modelChoices(viewer: Viewer): Promise<ModelChoice[]> {
  const aliases = await allowedAliases({ workspaceId: viewer.workspace.id, userId: viewer.user.id, role: viewer.role });
  // An application key lists only the models it may call.
  const only = viewer.applicationKey?.models.length ? new Set(viewer.applicationKey.models) : null;
  return aliases
    .filter((a) => !only || only.has(a.name))
    .map((a) => ({
      name: a.name,
      description: a.description,
      builtIn: a.builtIn,
      supportsTools: a.supportsTools,
      supportsStructured: a.supportsStructured,
    }))
    .sort((a, b) => Number(a.builtIn) - Number(b.builtIn) || a.name.localeCompare(b.name));
}

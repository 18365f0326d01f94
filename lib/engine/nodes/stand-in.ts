import type { StandIn } from "../../schemas/run";
import { NodeError, type NodeExecutor } from "./executor";

/**
 * A step answered without running it (`RunSpec.standIns`): done with the output given before
 * the run (and its branch), or failed with the reason nothing answers it. Nothing outside the
 * run sees it, so it is pure.
 */
export function standInExecutor(standIn: StandIn): NodeExecutor {
  return {
    pure: true,
    execute() {
      if (standIn.as === "refused") return Promise.reject(new NodeError(standIn.reason));
      return Promise.resolve({ status: "done", output: standIn.output, handle: standIn.handle });
    },
  };
}

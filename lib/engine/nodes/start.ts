import type { z } from "zod";
import type { startConfigSchema } from "../../schemas/node-kinds/start";
import { checkRunInput, type InputProblem } from "../graph/check-run-input";
import { NodeError, type NodeExecutor } from "./executor";

type Config = z.output<typeof startConfigSchema>;

const sentence = (p: InputProblem) =>
  p.kind === "missing" ? `The run needs the input “${p.field}”.` : `Input “${p.field}” ${p.message}.`;

/**
 * Checks the run's input against the declared fields (the check the server made before the
 * run started); its output is the declared input. Undeclared keys are dropped here, not
 * refused: a retried test run carries its earlier input into a draft that may have lost a field.
 */
export const startExecutor: NodeExecutor<Config> = {
  pure: true,
  async execute({ node, runInput }) {
    const { value, problems } = checkRunInput(node.config.fields, runInput);
    const wrong = problems.filter((p) => p.kind !== "undeclared");
    if (wrong.length) throw new NodeError(wrong.map(sentence).join(" "));
    return { status: "done", output: value, input: runInput };
  },
};

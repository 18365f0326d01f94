import "server-only";
import type { ModelGateway } from "../engine/ports";
import { demoGenerate } from "./demo-model";

/**
 * The one door to language models. For now it knows only the built-in demo model; providers,
 * aliases, access rules, limits, budgets and routing are the gateway issue's work, and any
 * other alias is refused with a message that says so.
 */
export function modelGateway(): ModelGateway {
  return {
    async generate(request) {
      if (request.model === "demo") return demoGenerate(request);
      throw new Error(
        `Model “${request.model}” is not available: only the built-in simulated model “demo” exists until an admin configures providers (the LLM gateway is not built yet).`,
      );
    },
  };
}

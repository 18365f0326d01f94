import type { z } from "zod";
import type { httpConfigSchema } from "../../schemas/node-kinds/http";
import { resolveText } from "../template/resolve-template";
import { NodeError, type NodeExecutor } from "./executor";

type Config = z.output<typeof httpConfigSchema>;

const contentTypes = { json: "application/json", form: "application/x-www-form-urlencoded", text: "text/plain" };

/**
 * Sends one request through the HTTP door (the `http` port: the workspace's destinations,
 * private addresses refused, every call audited). Its templates may use the workspace's
 * secrets; the engine redacts their values from everything the step records. The output is
 * `{ status, statusText, headers, body, url }`, the body parsed when it is JSON.
 */
export const httpExecutor: NodeExecutor<Config> = {
  async execute({ runId, node, outputs, vars, secrets, ports, signal }) {
    const { config } = node;
    const named = { vars, secrets };
    const field = (name: string, run: () => string) => {
      try {
        return run();
      } catch (error) {
        throw new NodeError(`${name}: ${(error as Error).message}`);
      }
    };
    const url = field("URL", () => resolveText(config.url, outputs, named).trim());
    const headers: Record<string, string> = {};
    for (const h of config.headers)
      headers[h.name] = field(`Header ${h.name}`, () => resolveText(h.value, outputs, named));
    let body: string | undefined;
    if (config.bodyType !== "none" && config.method !== "GET" && config.method !== "HEAD") {
      body = field("Body", () => resolveText(config.body, outputs, named));
      if (config.bodyType === "json")
        try {
          JSON.parse(body);
        } catch (error) {
          throw new NodeError(`Body: not valid JSON once filled in (${(error as Error).message})`);
        }
      if (!Object.keys(headers).some((h) => h.toLowerCase() === "content-type"))
        headers["content-type"] = contentTypes[config.bodyType];
    }
    const sent = { method: config.method, url, headers, ...(body !== undefined && { body }) };
    let response;
    try {
      response = await ports.http.send({
        ...sent,
        timeoutMs: config.timeoutSeconds * 1000,
        maxResponseBytes: config.maxResponseKb * 1024,
        retries: config.retries,
        signal,
        context: { runId, nodeId: node.id },
        secrets,
      });
    } catch (error) {
      if (signal.aborted) throw error;
      throw new NodeError((error as Error).message);
    }
    const json = /\bjson\b/i.test(response.headers["content-type"] ?? "");
    let parsed: unknown = response.body;
    if (json && response.body)
      try {
        parsed = JSON.parse(response.body);
      } catch {
        // not JSON after all: kept as text
      }
    const output = {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
      body: parsed,
      url: response.url,
    };
    if (config.failOnErrorStatus && response.status >= 400)
      throw new NodeError(
        `${config.method} ${new URL(response.url).host} answered ${response.status} ${response.statusText}`.trim(),
      );
    return { status: "done", output, input: sent };
  },
};

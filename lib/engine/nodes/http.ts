import { z } from "zod";
import type { httpConfigSchema } from "../../schemas/node-kinds/http";
import type { HttpCall } from "../ports";
import { findNamedReferences, secretRedactor } from "../template/named-values";
import { resolveText, type Outputs } from "../template/resolve-template";
import { awaitReview } from "./await-review";
import { NodeError, type NodeExecutor } from "./executor";

type Config = z.output<typeof httpConfigSchema>;

const contentTypes = { json: "application/json", form: "application/x-www-form-urlencoded", text: "text/plain" };

/** A request as filled in: what is sent, and which of its parts carry a secret. */
interface Filled {
  request: Pick<HttpCall, "method" | "url" | "headers" | "body">;
  /** "url", "body", or a header's name: parts a reviewer cannot change. */
  withSecrets: Set<string>;
}

/** What a reviewer sees and may edit: the request without the parts that carry a secret. */
const reviewedSchema = z.object({
  url: z.string().max(8_000).optional(),
  headers: z.record(z.string().max(200), z.string().max(20_000)).optional(),
  body: z.string().max(200_000).optional(),
});
type Reviewed = z.infer<typeof reviewedSchema>;

const usesSecret = (template: string) => findNamedReferences(template).some((r) => r.space === "secrets");

function fill(
  config: Config,
  outputs: Outputs,
  named: { vars: Record<string, string>; secrets: Record<string, string> },
): Filled {
  const field = (name: string, run: () => string) => {
    try {
      return run();
    } catch (error) {
      throw new NodeError(`${name}: ${(error as Error).message}`);
    }
  };
  const withSecrets = new Set<string>();
  if (usesSecret(config.url)) withSecrets.add("url");
  const url = field("URL", () => resolveText(config.url, outputs, named).trim());
  const headers: Record<string, string> = {};
  for (const h of config.headers) {
    headers[h.name] = field(`Header ${h.name}`, () => resolveText(h.value, outputs, named));
    if (usesSecret(h.value)) withSecrets.add(h.name.toLowerCase());
  }
  let body: string | undefined;
  if (config.bodyType !== "none" && config.method !== "GET" && config.method !== "HEAD") {
    body = field("Body", () => resolveText(config.body, outputs, named));
    if (usesSecret(config.body)) withSecrets.add("body");
    withContentType(headers, config);
  }
  return { request: { method: config.method, url, headers, ...(body !== undefined && { body }) }, withSecrets };
}

/** A body's content type, unless a header sets it. */
function withContentType(headers: Record<string, string>, config: Config) {
  if (config.bodyType !== "none" && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type"))
    headers["content-type"] = contentTypes[config.bodyType];
}

/** The parts of the request a reviewer may see and change. */
function editable({ request, withSecrets }: Filled): Reviewed {
  return {
    ...(!withSecrets.has("url") && { url: request.url }),
    headers: Object.fromEntries(
      Object.entries(request.headers).filter(([name]) => !withSecrets.has(name.toLowerCase())),
    ),
    ...(request.body !== undefined && !withSecrets.has("body") && { body: request.body }),
  };
}

/** The request as approved: the reviewer's edits, and the parts carrying a secret as the step filled them. */
function approved(config: Config, filled: Filled, content: unknown, reviewer: string): Filled["request"] {
  let edited: Reviewed;
  try {
    edited = reviewedSchema.parse(typeof content === "string" ? JSON.parse(content) : (content ?? {}));
  } catch {
    throw new NodeError(
      `The request ${reviewer} approved is not valid: it must be JSON with url, headers and body as text.`,
    );
  }
  const { request, withSecrets } = filled;
  const headers = Object.fromEntries(
    Object.entries(edited.headers ?? editable(filled).headers ?? {}).filter(
      ([name]) => !withSecrets.has(name.toLowerCase()),
    ),
  );
  for (const [name, value] of Object.entries(request.headers))
    if (withSecrets.has(name.toLowerCase())) headers[name] = value;
  const url = withSecrets.has("url") ? request.url : (edited.url ?? request.url).trim();
  if (withSecrets.size && originOf(url) !== originOf(request.url))
    throw new NodeError(
      `${reviewer} changed where the request goes (${hostOf(url)}): a request carrying a secret goes only where the step sends it (${hostOf(request.url)}).`,
    );
  const body = withSecrets.has("body")
    ? request.body
    : request.body === undefined
      ? undefined
      : (edited.body ?? request.body);
  if (body !== undefined) withContentType(headers, config);
  return {
    method: request.method,
    url,
    headers,
    ...(body !== undefined && { body }),
  };
}

/**
 * Sends one request through the HTTP door (the `http` port: the workspace's destinations,
 * private addresses refused, every call audited). Its templates may use the workspace's
 * secrets; the engine redacts their values from everything the step records. When the step
 * asks for it, or the destination requires it for a request that changes things, a person
 * approves the request first: they see it without the parts that carry a secret and may edit
 * the rest; on approval it is filled in again (a rotated secret is the new one) with their
 * edits. The output is `{ status, statusText, headers, body, url }`, the body parsed when JSON.
 */
export const httpExecutor: NodeExecutor<Config> = {
  async execute({ runId, node, outputs, vars, secrets, ports, signal, previous }) {
    const { config } = node;
    const review = await awaitReview(previous, ports.reviews);
    if (review.status === "pending") return review.result;
    const filled = fill(config, outputs, { vars, secrets });
    let sent = filled.request;
    let approver: string | undefined;
    if (review.status === "decided") {
      const { decision } = review;
      if (decision.outcome !== "approved")
        throw new NodeError(
          `${decision.reviewer} did not approve the request${decision.comment ? `: ${decision.comment}` : "."}`,
        );
      sent = approved(config, filled, decision.content, decision.reviewer);
      approver = decision.reviewer;
    }
    checkJsonBody(config, sent);
    // A destination that requires approval wants a second person: the step cannot waive that.
    const required = review.status === "not-filed" && (await ports.http.needsApproval(sent));
    if (review.status === "not-filed" && (config.askApproval || required)) {
      const shown = editable(filled);
      const header = (lower: string) => Object.keys(sent.headers).find((h) => h.toLowerCase() === lower) ?? lower;
      const fixed = [...filled.withSecrets].map((p) =>
        p === "url" ? "the URL" : p === "body" ? "the body" : `the ${header(p)} header`,
      );
      const said = fixed.join(", ");
      // Nothing a reviewer sees may carry a secret: not even the host, when the URL holds one.
      const redact = secretRedactor(secrets);
      const reviewId = await ports.reviews.request({
        runId,
        nodeId: node.id,
        stepLabel: node.label || node.id,
        instructions: redact(
          `The workflow wants to send **${sent.method}** to **${hostOf(sent.url)}**. Approve it (you may edit the URL, headers and body below, as JSON), or reject it with a reason.` +
            (fixed.length
              ? ` ${said[0]!.toUpperCase()}${said.slice(1)} ${fixed.length === 1 ? "carries" : "carry"} a secret: sent as the step sets it, and not shown.`
              : ""),
        ),
        content: redact(JSON.stringify({ method: sent.method, ...shown }, null, 2)),
        reviewerRole: "REVIEWER",
        reviewerEmail: "",
        editable: true,
        contentFormat: "json",
        outcomes: ["approved", "rejected"],
        allowSelfApproval: config.allowSelfApproval && !required,
      });
      return { status: "waiting", waitingOn: reviewId, input: { method: sent.method, ...shown } };
    }
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
        ...(approver && { approver }),
      });
    } catch (error) {
      if (signal.aborted) throw error;
      throw new NodeError((error as Error).message, { input: sent });
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
      ...(approver && { approvedBy: approver }),
    };
    if (config.failOnErrorStatus && response.status >= 400)
      throw new NodeError(
        `${config.method} ${new URL(response.url).host} answered ${response.status} ${response.statusText}`.trim(),
        { input: sent },
      );
    return { status: "done", output, input: sent };
  },
};

/** A JSON body must be JSON once filled in (or edited): true, or a failure naming the problem. */
function checkJsonBody(config: Config, request: Filled["request"]): true {
  if (request.body !== undefined && config.bodyType === "json")
    try {
      JSON.parse(request.body);
    } catch (error) {
      throw new NodeError(`Body: not valid JSON once filled in (${(error as Error).message})`);
    }
  return true;
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url.slice(0, 100);
  }
}

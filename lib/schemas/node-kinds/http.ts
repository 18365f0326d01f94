import { z } from "zod";
import { singleOutput, templateSchema, type NodeKindSpec } from "./spec";

export const httpMethods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"] as const;

export const httpConfigSchema = z.object({
  // Methods read as they are written everywhere: in capitals (other lists read in lower case).
  method: z
    .enum(httpMethods)
    .default("GET")
    .meta({ title: "Method", optionLabels: Object.fromEntries(httpMethods.map((m) => [m, m])) }),
  url: z.string().trim().min(1, "Write the address").max(8_000).meta({
    title: "URL",
    description:
      "Only hosts an admin allowed under HTTP destinations. {{…}} takes earlier outputs, {{vars.name}} and {{secrets.name}}.",
    widget: "template",
  }),
  headers: z
    .array(
      z.object({
        name: z
          .string()
          .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/, "A header name: letters, digits and - (no spaces or colons)")
          .meta({ title: "Header" }),
        value: templateSchema("Value"),
      }),
    )
    .max(50)
    .default([])
    .meta({
      title: "Headers",
      itemLabel: "header",
      description: "For example Authorization: Bearer {{secrets.api_key}}.",
    }),
  bodyType: z.enum(["none", "json", "form", "text"]).default("none").meta({ title: "Body" }),
  body: z.string().max(200_000).default("").meta({
    title: "Body content",
    description: "JSON (checked before sending), form fields (a=1&b=2) or text; not sent with GET or HEAD.",
    widget: "template",
  }),
  timeoutSeconds: z.number().int().min(1).max(300).default(30).meta({
    title: "Request time limit (seconds)",
    description: "Each request is stopped past it; a request sent again has its own.",
  }),
  retries: z.number().int().min(0).max(5).default(2).meta({
    title: "Request retries",
    description:
      "The request is sent again on 429, 502, 503, 504 and dropped connections, waiting longer each time (within one try of the step).",
  }),
  maxResponseKb: z.number().int().min(1).max(10_240).default(1_024).meta({ title: "Largest response (KB)" }),
  askApproval: z.boolean().default(false).meta({
    title: "Ask a person before sending",
    description:
      "A reviewer sees the request and may edit it; parts carrying a secret are sent as set here. Admins can require this for a destination's POST, PUT, PATCH and DELETE.",
  }),
  allowSelfApproval: z.boolean().default(false).meta({
    title: "The person who started the run may approve it",
    description:
      "When this step asks for approval (never when a destination requires it). A new step has it on in a workspace of one admin and no reviewers.",
  }),
  failOnErrorStatus: z
    .boolean()
    .default(true)
    .meta({ title: "Fail on 4xx and 5xx", description: "Off: the step succeeds and its output carries the status." }),
});

export const http = {
  kind: "http",
  label: "HTTP Request",
  description: "Calls an allowed web address",
  icon: "⇅",
  accent: "indigo",
  configSchema: httpConfigSchema,
  defaultConfig: {
    method: "GET",
    url: "",
    headers: [],
    bodyType: "none",
    body: "",
    timeoutSeconds: 30,
    retries: 2,
    maxResponseKb: 1_024,
    askApproval: false,
    allowSelfApproval: false,
    failOnErrorStatus: true,
  },
  hasInput: true,
  outputs: singleOutput,
  outputFields: () => ["status", "body", "headers", "url"],
} satisfies NodeKindSpec<typeof httpConfigSchema>;

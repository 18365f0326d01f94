import "server-only";
import type { Viewer } from "../auth/session";
import { db } from "../db/client";
import { AppError } from "../errors/app-error";
import { logger } from "../log/logger";
import { awaitRun } from "../runs/await-run";
import { startRun } from "../runs/start-run";
import { formConfigSchema, type FormConfig, type HostedForm } from "../schemas/triggers";
import { pruneDeliveries } from "./deliveries";
import { publishedTrigger } from "./published";
import { takeRates } from "./rate";
import { starter } from "./starter";

/**
 * Hosted forms: a page at `/f/:id` generated from the published version's Start fields (types,
 * required, help texts) that starts a run and shows its output, or a thank-you when the run
 * takes longer than the form waits. Public (anyone with the link: the id is unguessable) or
 * for the workspace's members only. Nothing of the workspace is shown but the workflow's name,
 * description and fields, and the run's output; a run that fails says so without its error.
 * Turned off, the page and its submissions answer "not available" at once.
 */
const unavailable = () => new AppError("not_found", "This form is not available.");
/** Answers one sender (one address) may send a form in a minute. */
const PER_SENDER_PER_MINUTE = 10;

interface Form {
  id: string;
  workspaceId: string;
  workflowId: string;
  createdById: string;
  config: FormConfig;
  title: string;
  description: string;
  fields: HostedForm["fields"];
}

async function enabledForm(id: string): Promise<Form> {
  const found = await publishedTrigger(id, "form");
  if (!found) throw unavailable();
  const { row, ...shown } = found;
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    workflowId: row.workflowId,
    createdById: row.createdById,
    config: formConfigSchema.parse(row.config),
    ...shown,
    // The name its builder gave the form ("Bookings"), as a chat's, not the workflow's.
    title: row.name,
  };
}

/** Whether this person may use the form: anyone for a public one, a member of its workspace otherwise. */
const mayUse = (form: Form, viewer: Viewer | null) =>
  form.config.access === "public" || !!viewer?.workspaces.some((w) => w.id === form.workspaceId);

/** What the form page shows, or why it cannot (not available; sign in first). */
export async function describeForm(
  id: string,
  viewer: Viewer | null,
): Promise<{ form: HostedForm } | { signIn: true } | null> {
  const form = await enabledForm(id).catch((e: unknown) => (e instanceof AppError ? null : Promise.reject(e)));
  if (!form) return null;
  if (!mayUse(form, viewer)) return viewer ? null : { signIn: true };
  return {
    form: {
      id: form.id,
      title: form.title,
      description: form.description,
      fields: form.fields,
      access: form.config.access,
    },
  };
}

export type FormAnswer =
  | { status: "COMPLETED"; output: unknown }
  | { status: "PENDING"; message: string }
  | { status: "FAILED"; message: string };

/** A submission: checked against the Start fields (400 naming the field), run, and answered. */
export async function submitForm(
  id: string,
  viewer: Viewer | null,
  input: Record<string, unknown>,
  signal: AbortSignal,
  /** Who is sending (their address, or null when unknown): one sender cannot use up the form's rate. */
  client: string | null = null,
): Promise<FormAnswer> {
  const form = await enabledForm(id);
  if (!mayUse(form, viewer)) {
    if (viewer) throw unavailable();
    throw new AppError("unauthorized", "Sign in to use this form: it is for the workspace's members.");
  }
  const perSender = Math.min(PER_SENDER_PER_MINUTE, form.config.perMinute);
  await takeRates(
    [
      ...(client ? [["form-sender", perSender, `${form.id}:${client}`] as [string, number, string]] : []),
      ["form", form.config.perMinute, form.id],
    ],
    "This form takes only so many answers a minute",
  );
  const started = performance.now();
  const prisma = await db();
  const record = (status: number, runId: string | null, error: string | null) =>
    prisma.triggerDelivery
      .create({
        data: {
          triggerId: form.id,
          status,
          runId,
          error,
          payload: JSON.stringify(input).slice(0, 4_000),
          ms: Math.round(performance.now() - started),
        },
      })
      .catch((e: unknown) => logger().warn({ err: e, triggerId: form.id }, "could not record a form submission"));
  if (Math.random() < 0.05) void pruneDeliveries(form.id).catch(() => undefined);
  let runId: string;
  try {
    ({ id: runId } = await startRun(
      await starter(form),
      form.workflowId,
      { input, mode: "published" },
      { trigger: "form", triggerId: form.id },
    ));
  } catch (error) {
    await record(
      error instanceof AppError ? error.status : 500,
      null,
      error instanceof AppError ? error.message : "internal error",
    );
    // The person filling it in learns which field to fix, never more of the workspace.
    if (
      error instanceof AppError &&
      error.code === "bad_request" &&
      error.extra.fields?.[0]?.path.startsWith("body.input.")
    )
      throw error;
    if (error instanceof AppError) throw unavailable();
    throw error;
  }
  const run = await awaitRun(runId, form.config.waitSeconds * 1000, signal);
  if (run.status === "COMPLETED") {
    await record(200, runId, null);
    return { status: "COMPLETED", output: run.output };
  }
  if (run.status === "FAILED" || run.status === "CANCELLED") {
    await record(200, runId, run.error ?? `The run ${run.status.toLowerCase()}.`);
    return { status: "FAILED", message: "Something went wrong while handling your answers; the team can see what." };
  }
  await record(202, runId, null);
  return { status: "PENDING", message: form.config.thankYou };
}

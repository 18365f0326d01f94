import proxyaddr from "proxy-addr";
import { z } from "zod";
import { processSingleton } from "../process/singleton";

/**
 * Every environment variable Flowdeck reads, parsed once. A missing or malformed variable
 * stops start-up with a message naming it (see `loadEnv`).
 */
export const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// connection URL")
      .optional(),
    FLOWDECK_DATA_DIR: z.string().min(1).default(".data"),
    FLOWDECK_SECRET: z
      .string()
      .min(32, "must be at least 32 characters (for example: openssl rand -base64 32)")
      .optional(),
    NEXTAUTH_URL: z.url("must be an absolute URL such as http://localhost:3000").optional(),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    /** Failed sign-ins from one address for one email before the first lock-out (ten times as many per address). */
    SIGNIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
    /** The first lock-out; each further failure doubles it, up to SIGNIN_BLOCK_SECONDS. */
    SIGNIN_FIRST_BLOCK_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
    /** The longest lock-out. */
    SIGNIN_BLOCK_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
    /**
     * The reverse proxies in front of the studio, whose X-Forwarded-For is believed: addresses,
     * CIDR ranges or "loopback", "linklocal", "uniquelocal", comma-separated. Unset: the
     * address is the socket's, and X-Forwarded-For is ignored.
     */
    TRUSTED_PROXIES: z
      .string()
      .refine((list) => {
        try {
          proxyaddr.compile(list.split(",").map((s) => s.trim()));
          return true;
        } catch {
          return false;
        }
      }, "must be addresses, CIDR ranges or loopback/linklocal/uniquelocal, comma-separated (such as 10.0.0.0/8,loopback)")
      .optional(),
    OIDC_ISSUER: z.url("must be the issuer URL of your OpenID Connect provider").optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    OIDC_NAME: z.string().min(1).default("Single sign-on"),
    /** Runs one server process executes at once (its in-process worker), and each `npm run worker`. */
    FLOWDECK_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(20),
    /** "false" keeps the web server from executing runs, when separate workers do it. */
    FLOWDECK_IN_PROCESS_WORKER: z.enum(["true", "false"]).default("true"),
    /** How long a worker's hold on a run lasts without renewal: how soon a dead worker's run is taken over. */
    FLOWDECK_RUN_LEASE_SECONDS: z.coerce.number().min(1).max(3600).default(3),
    /** On SIGTERM, how long a worker may finish the runs it holds before it hands the rest to another worker. */
    FLOWDECK_SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(3600).default(10),
    /** How long a model deployment that keeps failing is left alone before it is tried again. */
    FLOWDECK_GATEWAY_COOLDOWN_SECONDS: z.coerce.number().min(0.1).max(3600).default(30),
    /** Outgoing mail for review notifications, such as smtp://user:password@mail.example.com:587. */
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL such as smtp://user:password@mail.example.com:587")
      .optional(),
    SMTP_FROM: z.string().min(3).default("Flowdeck <flowdeck@localhost>"),
    /** Where to send OpenTelemetry traces (OTLP over HTTP), such as http://collector:4318. */
    OTEL_EXPORTER_OTLP_ENDPOINT: z
      .url("must be the URL of an OTLP/HTTP collector, such as http://localhost:4318")
      .optional(),
  })
  .superRefine((env, ctx) => {
    const oidc = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET];
    if (oidc.some(Boolean) && !oidc.every(Boolean)) {
      for (const key of ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"] as const) {
        if (!env[key])
          ctx.addIssue({ code: "custom", path: [key], message: "is required when any OIDC_* variable is set" });
      }
    }
    if (env.NODE_ENV === "production" && env.DATABASE_URL && !env.FLOWDECK_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["FLOWDECK_SECRET"],
        message:
          "is required in production with DATABASE_URL: it encrypts stored credentials and signs sessions, and every process must share it",
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

/** Thrown when the environment is unusable; its message lists every bad variable. */
export class EnvError extends Error {
  override name = "EnvError";
}

/** Parses `source` (normally process.env), or throws an EnvError naming each bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const blankless = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = envSchema.safeParse(blankless);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
  throw new EnvError(`Flowdeck cannot start: fix these environment variables:\n${lines.join("\n")}`);
}

/** The process's environment, parsed on first use. */
export function env(): Env {
  return processSingleton("env", () => parseEnv(process.env));
}

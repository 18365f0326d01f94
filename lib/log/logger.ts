import "server-only";
import pino, { type Logger } from "pino";
import { env } from "../config/env";
import { processSingleton } from "../process/singleton";

/**
 * The process's structured logger (JSON lines on stdout). Secrets never reach it: known
 * secret-bearing fields are redacted wherever they appear.
 */
export function logger(): Logger {
  return processSingleton<Logger>("logger", () =>
    pino({
      level: env().LOG_LEVEL,
      base: { service: "flowdeck" },
      redact: {
        paths: [
          "password",
          "*.password",
          "passwordHash",
          "*.passwordHash",
          "apiKey",
          "*.apiKey",
          "token",
          "*.token",
          "secret",
          "*.secret",
          "headers.authorization",
          "headers.cookie",
          'headers["x-flowdeck-token"]',
          'headers["x-flowdeck-signature"]',
        ],
        censor: "[redacted]",
      },
    }),
  );
}

import { fresh } from "./security-world";
import { allow, BUILDERS, everyone, MEMBERS, unique, type Case } from "./security-table";

/**
 * The security table's rows for triggers: their management routes, and the URLs of webhooks and
 * forms. A function: the table calls it once its helpers exist (the two files import each other).
 */
export const triggerRoutes = (): Record<string, Case | Case[]> => ({
  "GET /api/workflows/[id]/triggers": {
    path: (w) => `/api/workflows/${w.ids.workflow}/triggers`,
    expect: allow(BUILDERS, 200, 404),
  },
  "POST /api/workflows/[id]/triggers": {
    path: (w) => `/api/workflows/${w.ids.workflow}/triggers`,
    body: () => ({ name: unique("matrix") }),
    expect: allow(BUILDERS, 201, 404),
  },
  "PATCH /api/triggers/[id]": {
    path: (w) => `/api/triggers/${w.ids.trigger}`,
    body: () => ({ enabled: true }),
    expect: allow(BUILDERS, 200, 404),
  },
  "DELETE /api/triggers/[id]": {
    fresh: fresh.trigger,
    path: (_, id) => `/api/triggers/${id}`,
    expect: allow(BUILDERS, 200, 404),
  },
  "POST /api/triggers/[id]/secret": {
    path: (w) => `/api/triggers/${w.ids.trigger}/secret`,
    expect: allow(BUILDERS, 200, 404),
  },
  "GET /api/triggers/[id]/deliveries": {
    path: (w) => `/api/triggers/${w.ids.trigger}/deliveries`,
    expect: allow(BUILDERS, 200, 404),
  },
  // A webhook's own URLs take its secret, never a session or an API key: 401 for every caller.
  "POST /api/hooks/[id]": {
    path: (w) => `/api/hooks/${w.ids.trigger}`,
    body: () => ({ topic: "matrix" }),
    fuzzHeaders: (w) => ({ authorization: `Bearer ${w.ids.triggerSecret}` }),
    expect: everyone(401),
  },
  "POST /api/hooks/[id]/test": {
    path: (w) => `/api/hooks/${w.ids.trigger}/test`,
    body: () => ({ topic: "matrix" }),
    fuzzHeaders: (w) => ({ authorization: `Bearer ${w.ids.triggerSecret}` }),
    expect: everyone(401),
  },
  // A form that is not there: the same 404 for everybody (its body is checked before, 400 on bad input).
  "POST /api/forms/[id]": {
    path: () => "/api/forms/not-a-form",
    body: () => ({ input: { topic: "matrix" } }),
    expect: everyone(404),
  },
  // A members' chat: its members read their own conversations; signed out, 401; another workspace's admin, 404.
  "GET /api/chats/[id]/threads": {
    path: (w) => `/api/chats/${w.ids.chat}/threads`,
    expect: allow(MEMBERS, 200, 404),
  },
  // A chat that is not there: the same 404 for everybody (bodies are checked before: 400 on bad input).
  "POST /api/chats/[id]/threads": {
    path: () => "/api/chats/not-a-chat/threads",
    body: () => ({ message: "matrix" }),
    expect: everyone(404),
  },
  "GET /api/chats/[id]/threads/[threadId]": {
    path: (w) => `/api/chats/${w.ids.chat}/threads/00000000-0000-4000-8000-000000000000`,
    expect: allow(MEMBERS, 404, 404),
  },
  "POST /api/chats/[id]/threads/[threadId]/messages": {
    path: () => "/api/chats/not-a-chat/threads/00000000-0000-4000-8000-000000000000/messages",
    body: () => ({ message: "matrix" }),
    expect: everyone(404),
  },
  "GET /api/chats/[id]/threads/[threadId]/turns/[turnId]/events": {
    path: (w) =>
      `/api/chats/${w.ids.chat}/threads/00000000-0000-4000-8000-000000000000/turns/00000000-0000-4000-8000-000000000000/events`,
    expect: allow(MEMBERS, 404, 404),
  },
  // The widget only for a public chat that may be embedded, with its token: a members' chat
  // gets the script that only says so in the console (200: a browser runs no script of an error).
  "GET /api/chats/[id]/widget.js": {
    path: (w) => `/api/chats/${w.ids.chat}/widget.js`,
    expect: everyone(200),
  },
  "GET /api/hooks/[id]/runs/[runId]": {
    path: (w) => `/api/hooks/${w.ids.trigger}/runs/${w.ids.run}`,
    expect: everyone(401),
  },
});

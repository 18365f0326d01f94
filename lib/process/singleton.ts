/**
 * Process-scoped values. Next.js may load one module more than once in a process (the
 * instrumentation bundle and each route bundle, or again after a hot reload), so a plain
 * module-level `let` would give one process two database pools, two queues, two caches. These
 * live on `globalThis` under one key each, and every part of Flowdeck keeps its process-wide
 * state here rather than in a hand-made holder.
 */
const store = ((globalThis as unknown as { __flowdeck?: Map<string, unknown> }).__flowdeck ??= new Map<
  string,
  unknown
>());

/**
 * The process's one value under `key`, made by `create` on first use. When `create` returns a
 * promise that rejects (a database not reachable yet), the value is forgotten, so the next call
 * tries again instead of failing for the life of the process.
 */
export function processSingleton<T>(key: string, create: () => T): T {
  if (store.has(key)) return store.get(key) as T;
  const value = create();
  store.set(key, value);
  if (value instanceof Promise) {
    value.catch(() => {
      if (store.get(key) === value) store.delete(key);
    });
  }
  return value;
}

/** The value under `key` if it was made, without making it. */
export function existingSingleton<T>(key: string): T | undefined {
  return store.get(key) as T | undefined;
}

/** Forgets the value under `key` (after closing what it held), so the next use makes a new one. */
export function forgetSingleton(key: string): void {
  store.delete(key);
}

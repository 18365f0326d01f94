import { useSyncExternalStore } from "react";

const never = () => () => {};

/**
 * False while the page is as the server sent it (its scripts not run yet), then true. A form
 * whose submit button waits for it cannot be sent by the browser itself before then (a native
 * GET would put the fields, a password among them, in the address); what was typed stays.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
}

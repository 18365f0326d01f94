import type { Question } from "@/components/ui/confirm";

/** What revoking a key (personal or an application's) asks first. */
export const revokeQuestion = (name: string): Question => ({
  title: `Revoke “${name}”?`,
  message: "Anything using it stops working at once.",
  action: "Revoke",
});

import type { Role } from "./identity";

/**
 * What each role may do (DESIGN.md, "Who uses it"). One table, read by the route wrapper,
 * the pages and the navigation, so the UI and the API can never disagree.
 */
export const permissions = {
  "workflows:read": ["ADMIN", "BUILDER"],
  "workflows:write": ["ADMIN", "BUILDER"],
  "reviews:decide": ["ADMIN", "REVIEWER"],
  "workspace:admin": ["ADMIN"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissions;

export function can(role: Role, permission: Permission): boolean {
  return (permissions[permission] as readonly Role[]).includes(role);
}

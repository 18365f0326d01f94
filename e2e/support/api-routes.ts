import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

/** One HTTP method of one route file, such as `POST /api/workflows/[id]/runs`. */
export interface ApiRoute {
  /** The URL pattern as the folders name it: `/api/workflows/[id]/runs`. */
  route: string;
  method: string;
  file: string;
}

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name === "route.ts" ? [full] : [];
  });
}

/** The HTTP methods a route file exports (`export const GET`, `export function POST`, `export { h as GET }`). */
function exportedMethods(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, false);
  const names: string[] = [];
  const exported = (node: ts.Node) =>
    ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  for (const statement of source.statements) {
    if (ts.isVariableStatement(statement) && exported(statement))
      for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) names.push(d.name.text);
    if (ts.isFunctionDeclaration(statement) && exported(statement) && statement.name) names.push(statement.name.text);
    if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause))
      for (const e of statement.exportClause.elements) names.push(e.name.text);
  }
  return names.filter((n) => METHODS.has(n));
}

/** Every route file under app/api and each method it exports, read from the source now. */
export function apiRoutes(root = process.cwd()): ApiRoute[] {
  const app = path.join(root, "app");
  return routeFiles(path.join(app, "api"))
    .sort()
    .flatMap((file) => {
      const route = "/" + path.relative(app, path.dirname(file)).split(path.sep).join("/");
      return exportedMethods(file).map((method) => ({ route, method, file: path.relative(root, file) }));
    });
}

/** Whether a concrete path is an instance of a route pattern (`[id]` one segment, `[...x]` one or more). */
export function pathMatchesRoute(urlPath: string, route: string): boolean {
  const pattern = route
    .split("/")
    .map((segment) =>
      segment.startsWith("[...")
        ? ".+"
        : segment.startsWith("[")
          ? "[^/]+"
          : segment.replace(/[.*+?^${}()|\\]/g, "\\$&"),
    )
    .join("/");
  return new RegExp(`^${pattern}$`).test(urlPath.split("?")[0]!);
}

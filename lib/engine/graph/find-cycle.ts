/** One cycle of the graph as a list of node ids (first = last omitted), or null when acyclic. */
export function findCycle(out: Map<string, string[]>): string[] | null {
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  for (const root of out.keys()) {
    if (state.has(root)) continue;
    // Iterative DFS: a stack of (node, next child index).
    const stack: [string, number][] = [[root, 0]];
    state.set(root, "open");
    path.push(root);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const children = out.get(top[0]) ?? [];
      if (top[1] < children.length) {
        const child = children[top[1]++]!;
        const s = state.get(child);
        if (s === "open") return path.slice(path.indexOf(child));
        if (!s) {
          state.set(child, "open");
          path.push(child);
          stack.push([child, 0]);
        }
      } else {
        state.set(top[0], "done");
        path.pop();
        stack.pop();
      }
    }
  }
  return null;
}

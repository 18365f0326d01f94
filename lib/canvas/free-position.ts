/** A new node's size before it is measured (a step with one output). */
const W = 260;
const H = 130;
const GAP = 20;

type Placed = { position: { x: number; y: number }; measured?: { width?: number; height?: number } };

/**
 * The first spot at or below `p` where a new node does not cover an existing one, so a step
 * added by click or command never lands on top of another. Existing nodes count at their
 * measured size: a step with several outputs (a Condition, a Guardrail) is taller than most.
 */
export function freePosition(taken: Placed[], p: { x: number; y: number }): { x: number; y: number } {
  const at = { x: Math.round(p.x / 20) * 20, y: Math.round(p.y / 20) * 20 };
  for (let i = 0; i < 50; i += 1) {
    const hits = taken.filter((n) => {
      const w = n.measured?.width ?? W;
      const h = n.measured?.height ?? H;
      return (
        at.x < n.position.x + w + GAP &&
        n.position.x < at.x + W + GAP &&
        at.y < n.position.y + h + GAP &&
        n.position.y < at.y + H + GAP
      );
    });
    if (!hits.length) return at;
    at.y = Math.ceil((Math.max(...hits.map((n) => n.position.y + (n.measured?.height ?? H))) + GAP) / 20) * 20;
  }
  return at;
}

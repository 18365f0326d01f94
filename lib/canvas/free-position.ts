const W = 260;
const H = 130;

/**
 * The first spot at or below `p` where a new node does not cover an existing one, so a step
 * added by click or command never lands on top of another.
 */
export function freePosition(
  taken: { position: { x: number; y: number } }[],
  p: { x: number; y: number },
): { x: number; y: number } {
  const at = { x: Math.round(p.x / 20) * 20, y: Math.round(p.y / 20) * 20 };
  for (let i = 0; i < 50; i += 1) {
    const hit = taken.some((n) => Math.abs(n.position.x - at.x) < W && Math.abs(n.position.y - at.y) < H);
    if (!hit) return at;
    at.y += H + 10;
  }
  return at;
}

/** A step for a graph made over the API: named by its id, placed `x` columns along one row. */
export const node = (id: string, kind: string, config: Record<string, unknown>, x: number) => ({
  id,
  kind,
  label: id,
  position: { x: x * 260, y: 0 },
  config,
});

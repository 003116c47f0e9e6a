import type { PathElements } from '../../shared/graph/types';

/**
 * The order the tour lights a path up: the source, then breadth-first along the path's edges (each
 * step = the edges leaving the frontier and their targets), then anything left over.
 */
export function pathSteps(
  path: PathElements,
  sourceId: string,
  ends: (edgeId: string) => { readonly source: string; readonly target: string } | null,
): readonly (readonly string[])[] {
  const steps: string[][] = [[sourceId]];
  const placed = new Set<string>([sourceId]);
  let frontier = new Set<string>([sourceId]);
  const edges = path.edgeIds.flatMap((id) => {
    const e = ends(id);
    return e ? [{ id, ...e }] : [];
  });
  while (frontier.size > 0) {
    const out = edges.filter((e) => !placed.has(e.id) && frontier.has(e.source));
    if (out.length === 0) break;
    const step: string[] = [];
    const next = new Set<string>();
    for (const e of out) {
      placed.add(e.id);
      step.push(e.id);
      if (!placed.has(e.target)) { placed.add(e.target); step.push(e.target); next.add(e.target); }
    }
    steps.push(step);
    frontier = next;
  }
  const rest = [...path.nodeIds, ...path.edgeIds].filter((id) => !placed.has(id));
  if (rest.length > 0) steps.push(rest);
  return steps;
}

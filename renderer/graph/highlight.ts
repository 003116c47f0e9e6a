/**
 * The selected path's classes on the graph, apart from the canvas (GraphCanvas.highlight and
 * animatePath call these; they run on a headless cytoscape too): `path` on its elements (lit, with
 * a halo round its nodes), `dim` on the rest, and `path-bypassed` on the nodes the path reaches
 * only by its own bypassed edge (an attached NAT gateway its route overrides), which stay on screen
 * with it but never read as one of its hops, even when another path uses them.
 */
import type { CollectionReturnValue, Core } from 'cytoscape';
import type { PathElements } from '../../shared/graph/types';

/** Class of a node the selected path reaches only by its bypassed edge: no hop halo (style.ts). */
export const PATH_BYPASSED = 'path-bypassed';

/** The path's elements, plus the VNet boxes that contain them (so they do not dim). */
export function collectPath(cy: Core, path: PathElements): CollectionReturnValue {
  const ids = new Set<string>([...path.nodeIds, ...path.edgeIds]);
  for (const id of path.nodeIds) {
    const box: unknown = cy.getElementById(id).data('box');
    if (typeof box === 'string') ids.add(box);
  }
  let keep = cy.collection();
  for (const id of ids) keep = keep.union(cy.getElementById(id));
  return keep;
}

/** Marks the path's bypassed-only nodes (`PATH_BYPASSED`), clearing the previous path's. Call inside a batch. */
export function markBypassed(cy: Core, path: PathElements | null): void {
  cy.nodes(`.${PATH_BYPASSED}`).removeClass(PATH_BYPASSED);
  for (const id of path?.bypassedNodeIds ?? []) cy.getElementById(id).addClass(PATH_BYPASSED);
}

/**
 * Dims everything except the path; `null` clears. Only the difference to the previous highlight
 * is restyled, so moving from one path to the next touches tens of elements, not the whole graph.
 * Returns the number of highlighted elements.
 */
export function highlightPath(cy: Core, path: PathElements | null): number {
  const keep = path === null ? cy.collection() : collectPath(cy, path);
  cy.batch(() => {
    markBypassed(cy, path);
    if (path === null) {
      cy.elements('.dim, .path').removeClass('dim path');
      return;
    }
    const before = cy.elements('.path');
    if (before.empty() && cy.elements('.dim').empty()) {
      cy.elements().not(keep).addClass('dim');
    } else {
      before.not(keep).removeClass('path').addClass('dim');
    }
    keep.removeClass('dim').addClass('path');
  });
  return keep.length;
}

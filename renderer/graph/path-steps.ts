import type { Hop, HopKind } from '../../shared/egress/types';
import type { GraphNodeKind, PathElements } from '../../shared/graph/types';

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

/** A node on the graph that a hop can number: its ID, kind and Azure resource. */
export interface NumberableNode {
  readonly id: string;
  readonly kind: GraphNodeKind;
  readonly resourceId: string | null;
}

/** Which explanation hops describe a node of each kind (route, NSG and DNS hops have no node of their own). */
const HOP_KINDS_OF: Readonly<Record<GraphNodeKind, readonly HopKind[]>> = {
  'vnet': [],
  'subnet': ['source'],
  'nic': ['source'],
  'azure-firewall': ['azure-firewall', 'firewall-rule'],
  'nva': ['virtual-appliance'],
  'internal-load-balancer': ['internal-load-balancer'],
  'virtual-network-gateway': ['virtual-network-gateway'],
  'virtual-hub': ['virtual-hub'],
  'nat-gateway': ['nat-gateway'],
  'load-balancer': ['load-balancer'],
  'default-outbound': ['default-outbound'],
  'public-ip': ['public-ip'],
  'internet': ['internet'],
  'on-premises': ['on-premises'],
  'private': ['private'],
  'unknown': ['drop'],
  'dropped': ['drop'],
};

/** The hop kinds a node of this kind is numbered with (the e2e test checks the panel against these). */
export function hopKindsOf(kind: GraphNodeKind): readonly HopKind[] {
  return HOP_KINDS_OF[kind];
}

function idMatches(hopId: string, node: NumberableNode): boolean {
  const hop = hopId.toLowerCase();
  if (hop === '') return false;
  const ids = [node.id, node.resourceId ?? ''].map((s) => s.toLowerCase()).filter((s) => s !== '');
  // A hop may cite a child of the node's resource (an IP configuration of a firewall): a prefix at a `/`.
  return ids.some((id) => hop === id || hop.startsWith(`${id}/`));
}

/**
 * The explanation's step numbers (1-based, the details panel's hop numbers) of each node on the
 * selected path: each hop numbers the nodes of its kind that it cites; a hop that cites none of
 * them (a firewall policy, a pseudo-node such as the internet or an IP text) numbers every node of
 * its kind on the path. Nodes no hop describes (VNet boxes) get none; route, NSG and DNS hops have
 * no node of their own, so their numbers appear only in the explanation.
 */
export function hopNumbers(hops: readonly Pick<Hop, 'kind' | 'id'>[], nodes: readonly NumberableNode[]): ReadonlyMap<string, readonly number[]> {
  const out = new Map<string, number[]>();
  hops.forEach((hop, i) => {
    const candidates = nodes.filter((n) => HOP_KINDS_OF[n.kind].includes(hop.kind));
    // The nodes the hop cites; a hop that cites none of them (a policy, a pseudo-ID) is about all of them.
    const cited = candidates.filter((n) => idMatches(hop.id, n));
    for (const n of cited.length > 0 ? cited : candidates) out.set(n.id, [...(out.get(n.id) ?? []), i + 1]);
  });
  return out;
}

/**
 * The label prefix of a numbered node, "4. " or "4,5. ": plain digits, the details panel's own
 * numbering (circled digits drew at ~6 px inside an 11 px label).
 */
export function stepPrefix(steps: readonly number[]): string {
  return steps.length === 0 ? '' : `${steps.join(',')}. `;
}

/** The step numbers a numbered node's label leads with (inverse of stepPrefix), or [] when it has none. */
export function parseStepPrefix(label: string): readonly number[] {
  const m = /^(\d+(?:,\d+)*)\. /.exec(label);
  return m?.[1] ? m[1].split(',').map(Number) : [];
}

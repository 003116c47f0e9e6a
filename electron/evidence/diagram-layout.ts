/**
 * The positioned diagram the PDF draws: boxes, compound boxes (VNets), edges with routed points
 * and labels, in layout units (the app's graph layout converts to this, see graph-adapter.ts).
 * When no layout is given, `buildPathDiagram` lays the resolver's paths out in one band per VNet.
 */
import { explainPath } from '../../shared/egress/explain';
import type { EgressPath, HopKind, Verdict } from '../../shared/egress/types';
import { nameFromResourceId } from '../../shared/model/ids';
import type { NetworkModel } from '../../shared/model/topology';
import { indexResources, virtualNetworkOf, type ResourceIndex } from './facts';

export type DiagramTone = 'internet' | 'private' | 'on-premises' | 'blocked' | 'unknown' | 'inspection' | 'exit' | 'neutral';

export interface DiagramPoint { readonly x: number; readonly y: number }

/** A positioned line of text, as the app's layout placed it (absolute layout units). */
export interface DiagramText {
  readonly text: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly fontSize: number;
  readonly bold: boolean;
  readonly align: 'center' | 'left';
}

export interface DiagramNode {
  readonly id: string;
  readonly label: string;
  readonly sublabel: string | null;
  /** `group` = a compound box (VNet) drawn behind its children. */
  readonly role: 'group' | 'node';
  readonly tone: DiagramTone;
  /** Top-left corner. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly parentId: string | null;
  /** Pre-placed label lines (from the app's layout); absent: `label` and `sublabel` are centred. */
  readonly lines?: readonly DiagramText[];
  /**
   * The full text of each of `lines`, same order, where the app's layout cut it short with "…"
   * (it keeps the full text in the graph node only); absent when not known.
   */
  readonly fullLines?: readonly string[];
  /** A NAT gateway attached to a subnet that a route overrides, reached by bypassed edges only: drawn dashed. */
  readonly bypassed?: true;
}

export interface DiagramEdge {
  readonly id: string;
  readonly sourceId: string;
  readonly targetId: string;
  /** At least two points, source end first. */
  readonly points: readonly DiagramPoint[];
  readonly label: string | null;
  readonly tone: DiagramTone;
  /** Pre-placed label (from the app's layout). */
  readonly labelLine?: DiagramText;
  /** An edge no traffic takes (subnet → its attached NAT gateway a route overrides): dashed, no arrowhead. */
  readonly bypassed?: true;
}

export interface DiagramLayout {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly DiagramNode[];
  readonly edges: readonly DiagramEdge[];
  /** Font size of node labels in layout units (scaled with the drawing). */
  readonly labelSize: number;
}

export function verdictTone(verdict: Verdict): DiagramTone {
  switch (verdict) {
    case 'internet': return 'internet';
    case 'on-premises': return 'on-premises';
    case 'private': return 'private';
    case 'dropped': case 'denied': case 'no-outbound': return 'blocked';
    case 'unknown': return 'unknown';
  }
}

const NODE_W = 190;
const NODE_H = 34;
const GAP = 12;
const GROUP_PAD = 14;
const GROUP_HEADER = 22;
const COLUMN_X = [0, 300, 530, 760] as const;
const BAND_GAP = 40;

const INSPECTION_HOPS: readonly HopKind[] = ['azure-firewall', 'virtual-appliance', 'internal-load-balancer', 'virtual-hub'];
const EXIT_HOPS: readonly HopKind[] = ['nat-gateway', 'public-ip', 'load-balancer', 'default-outbound', 'virtual-network-gateway'];

function nameOf(index: ResourceIndex, id: string): string {
  return index.get(id.toLowerCase())?.name ?? nameFromResourceId(id);
}

interface ColumnEntry { readonly key: string; readonly label: string; readonly sublabel: string; readonly tone: DiagramTone }

function hopEntry(kind: HopKind, id: string, index: ResourceIndex): ColumnEntry {
  const label = kind === 'default-outbound' ? 'Default outbound access' : nameOf(index, id);
  const tone: DiagramTone = INSPECTION_HOPS.includes(kind) ? 'inspection' : 'exit';
  return { key: `${kind}:${id.toLowerCase()}`, label, sublabel: kind.replace(/-/g, ' '), tone };
}

function sinkEntry(verdict: Verdict): ColumnEntry {
  switch (verdict) {
    case 'internet': return { key: 'sink:internet', label: 'Internet', sublabel: 'destination', tone: 'internet' };
    case 'on-premises': return { key: 'sink:on-premises', label: 'On-premises', sublabel: 'forced tunnel', tone: 'on-premises' };
    case 'private': return { key: 'sink:private', label: 'Private', sublabel: 'never internet', tone: 'private' };
    case 'unknown': return { key: 'sink:unknown', label: 'Unknown', sublabel: 'see gaps', tone: 'unknown' };
    case 'dropped': case 'denied': case 'no-outbound': return { key: `sink:${verdict}`, label: verdict === 'no-outbound' ? 'No way out' : verdict === 'denied' ? 'Denied' : 'Dropped', sublabel: 'traffic stops', tone: 'blocked' };
  }
}

/** One chain per path: source → inspection hops → exit → sink. */
function chainOf(path: EgressPath, index: ResourceIndex): readonly ColumnEntry[][] {
  const hops = explainPath(path);
  const inspection = hops.filter((h) => INSPECTION_HOPS.includes(h.kind)).map((h) => hopEntry(h.kind, h.id, index));
  const exit = hops.filter((h) => EXIT_HOPS.includes(h.kind)).slice(-1).map((h) => hopEntry(h.kind, h.id, index));
  return [dedupe(inspection), exit, [sinkEntry(path.verdict)]];
}

function dedupe(entries: readonly ColumnEntry[]): ColumnEntry[] {
  const seen = new Set<string>();
  return entries.filter((e) => (seen.has(e.key) ? false : (seen.add(e.key), true)));
}

function rightMiddle(n: DiagramNode): DiagramPoint { return { x: n.x + n.width, y: n.y + n.height / 2 } }
function leftMiddle(n: DiagramNode): DiagramPoint { return { x: n.x, y: n.y + n.height / 2 } }

/**
 * Lays the paths out in one horizontal band per VNet: the VNet box with its subnets and NICs, then
 * the inspection hops, exits and sinks that band's paths use. Shared exits (one hub firewall) are
 * repeated per band, so each band reads on its own page.
 */
export function buildPathDiagram(paths: readonly EgressPath[], model: NetworkModel): DiagramLayout {
  const index = indexResources(model);
  const bands = new Map<string, EgressPath[]>();
  for (const path of paths) {
    const vnet = virtualNetworkOf(path, model) ?? '(no virtual network)';
    const list = bands.get(vnet) ?? [];
    list.push(path);
    bands.set(vnet, list);
  }
  const nodes: DiagramNode[] = [];
  const edges: DiagramEdge[] = [];
  const edgeIds = new Set<string>();
  let top = 0;
  for (const [vnetId, bandPaths] of [...bands.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const bandKey = vnetId;
    const groupId = `group:${bandKey}`;
    const sources = bandPaths.map((p, i): DiagramNode => ({
      id: `${bandKey}|src:${p.source.id.toLowerCase()}`,
      label: p.source.name,
      sublabel: p.source.type === 'nic' ? 'NIC exception' : 'subnet',
      role: 'node',
      tone: verdictTone(p.verdict),
      x: COLUMN_X[0] + GROUP_PAD,
      y: top + GROUP_HEADER + GROUP_PAD + i * (NODE_H + GAP),
      width: NODE_W,
      height: NODE_H,
      parentId: groupId,
    }));
    const groupHeight = GROUP_HEADER + 2 * GROUP_PAD + sources.length * (NODE_H + GAP) - GAP;
    nodes.push({
      id: groupId,
      label: vnetId.startsWith('/') ? nameOf(index, vnetId) : vnetId,
      sublabel: 'virtual network',
      role: 'group',
      tone: 'neutral',
      x: COLUMN_X[0],
      y: top,
      width: NODE_W + 2 * GROUP_PAD,
      height: groupHeight,
      parentId: null,
    }, ...sources);
    const chains = bandPaths.map((p) => chainOf(p, index));
    const columns: Map<string, DiagramNode>[] = [new Map(), new Map(), new Map()];
    // Column 1 holds every inspection hop; a chain with two (firewall then NVA) draws left to right inside it.
    chains.forEach((chain) => chain.forEach((entries, c) => {
      const column = columns[c];
      if (!column) return;
      for (const e of entries) {
        if (column.has(e.key)) continue;
        const x = COLUMN_X[c + 1] ?? 0;
        column.set(e.key, {
          id: `${bandKey}|${e.key}`, label: e.label, sublabel: e.sublabel, role: 'node', tone: e.tone,
          x, y: top + GROUP_HEADER + GROUP_PAD + column.size * (NODE_H + GAP), width: NODE_W, height: NODE_H, parentId: null,
        });
      }
    }));
    for (const column of columns) nodes.push(...column.values());
    chains.forEach((chain, i) => {
      const source = sources[i];
      if (!source) return;
      const sequence = [source, ...chain.flatMap((entries, c) => entries.map((e) => columns[c]?.get(e.key))).filter((n): n is DiagramNode => n !== undefined)];
      for (let k = 0; k + 1 < sequence.length; k++) {
        const from = sequence[k];
        const to = sequence[k + 1];
        if (!from || !to) continue;
        const id = `${from.id}->${to.id}`;
        if (edgeIds.has(id)) continue;
        edgeIds.add(id);
        edges.push({ id, sourceId: from.id, targetId: to.id, points: [rightMiddle(from), leftMiddle(to)], label: null, tone: source.tone });
      }
    });
    const columnHeights = columns.map((c) => GROUP_HEADER + 2 * GROUP_PAD + c.size * (NODE_H + GAP) - GAP);
    top += Math.max(groupHeight, ...columnHeights) + BAND_GAP;
  }
  const width = (COLUMN_X[3] ?? 0) + NODE_W;
  return { width, height: Math.max(top - BAND_GAP, 1), nodes, edges, labelSize: 10 };
}

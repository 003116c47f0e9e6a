/**
 * ResolveResult → EgressGraph. Each path becomes a small chain of nodes:
 *
 *   source → [virtual hub] → via hops (firewall / NVA / ILB, in order) → [gateway]
 *          → exit (NAT gateway | load balancer | default outbound) → egress public IP(s) → sink
 *
 * The exit part is drawn only when traffic reaches the internet (verdict `internet` or `unknown`):
 * a denied path that would have used a NAT gateway ends at the `denied` node after its last hop.
 * Identical edges from different paths are merged (weight = number of paths).
 */
import { stepResourceIds } from '../egress/explain';
import type { StepKind } from '../egress/steps';
import type { EgressPath, ResolveResult, Verdict } from '../egress/types';
import { toResourceId } from '../model/ids';
import type { NetworkModel } from '../model/topology';
import { emptyNetworkModel } from '../model/topology';
import {
  applianceNode, buildModelLookup, DEFAULT_OUTBOUND_ID, emptyVerdictCounts, exitNode, nicNode, nicSubnetId,
  publicIpNode, sinkNode, subnetNode, topLevelResourceId, vnetNode,
} from './graph-nodes';
import { verdictCountsText } from './palette';
import type { ModelLookup } from './graph-nodes';
import type { EgressGraph, GraphEdge, GraphNode, GraphView, PathElements, VnetNode } from './types';

/** One path, as nodes and directed edges (a fan when it leaves from several public IPs). */
interface PathSketch {
  readonly path: EgressPath;
  /** The VNet the source sits in, when known (used by the overview). */
  readonly vnetId: string | null;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly (readonly [string, string])[];
  /** Attached NAT gateways a route overrides, and the (bypassed) edges to them from the source. */
  readonly bypassNodes: readonly GraphNode[];
  readonly bypassEdges: readonly (readonly [string, string])[];
}

/** What to draw beyond the paths themselves. */
export interface GraphOptions {
  /**
   * Draw a NAT gateway attached to a source subnet that a route overrides (finding
   * `nat-gateway-bypassed`), with a `bypassed` edge no traffic takes. On by default, so every
   * picture of the graph shows it (the app, the diagram exports and the PDF draw it dashed:
   * `bypassedNodeIds`); `false` draws only what traffic takes.
   */
  readonly bypassedNat?: boolean;
}

/**
 * The NAT gateway a `nat-gateway-bypassed` finding names (the engine lists the subnet, then its
 * NAT gateway, then the route) [NAT] https://learn.microsoft.com/azure/nat-gateway/nat-overview
 */
function bypassedNatIds(path: EgressPath): string[] {
  return path.findings
    .filter((f) => f.code === 'nat-gateway-bypassed')
    .flatMap((f) => f.resourceIds ?? [])
    .filter((id) => /\/providers\/microsoft\.network\/natgateways\/[^/]+$/i.test(id))
    .map((id) => topLevelResourceId(toResourceId(id)));
}

const EXIT_VERDICTS: ReadonlySet<Verdict> = new Set<Verdict>(['internet', 'unknown']);

export function edgeId(source: string, target: string): string {
  return `edge:${source}|${target}`;
}

/** Resource IDs of the path's steps of one kind (typed steps: no guessing from IDs). */
function hopIds(path: EgressPath, kind: StepKind): string[] {
  return path.steps.filter((s) => s.kind === kind).flatMap((s) => stepResourceIds(s)).filter((id) => id.length > 0).map((id) => topLevelResourceId(toResourceId(id)));
}

function sourceSubnetId(lookup: ModelLookup, path: EgressPath): string | null {
  return path.source.type === 'subnet' ? path.source.id : nicSubnetId(lookup, path.source.id);
}

function natGatewayId(lookup: ModelLookup, path: EgressPath): string {
  const fromHop = hopIds(path, 'nat-gateway')[0];
  if (fromHop !== undefined) return fromHop;
  const subnetId = sourceSubnetId(lookup, path);
  return (subnetId === null ? null : lookup.subnets.get(subnetId)?.natGatewayId) ?? 'nat-gateway:unknown';
}

function loadBalancerId(lookup: ModelLookup, path: EgressPath): string {
  const fromHop = hopIds(path, 'load-balancer')[0];
  if (fromHop !== undefined) return fromHop;
  const nic = lookup.networkInterfaces.get(path.source.id);
  const poolId = nic?.ipConfigurations.flatMap((c) => c.loadBalancerBackendAddressPoolIds)[0];
  return poolId === undefined ? 'load-balancer:unknown' : topLevelResourceId(poolId);
}

/** The exit node, when the exit method has one (a `public-ip` exit is just its IPs). */
function exitNodeOf(lookup: ModelLookup, path: EgressPath): GraphNode | null {
  switch (path.exit) {
    case null: return null;
    case 'public-ip': return null;
    case 'nat-gateway': return exitNode(lookup, 'nat-gateway', natGatewayId(lookup, path));
    case 'load-balancer': return exitNode(lookup, 'load-balancer', loadBalancerId(lookup, path));
    case 'default-outbound': return exitNode(lookup, 'default-outbound', DEFAULT_OUTBOUND_ID);
    case 'virtual-network': case 'peering': case 'private-endpoint': case 'service-endpoint': return null;
  }
}

/** Hubs, then the via hops, then gateways: the order traffic meets them (vWAN hub first; a gateway last, on the way on-premises). */
function middleNodes(lookup: ModelLookup, path: EgressPath): GraphNode[] {
  const hubs = new Set(hopIds(path, 'virtual-hub'));
  // A private endpoint is drawn as the private sink's neighbour by the sink itself, not as an inspection hop.
  const vias = path.via.flatMap((via) => {
    if (via.kind === 'private-endpoint') return [];
    const id = topLevelResourceId(via.id.startsWith('/') ? toResourceId(via.id) : via.id);
    return [applianceNode(lookup, via.kind, id)];
  });
  // A secured hub's firewall implies its hub even when the hops do not name it [VWAN]
  // https://learn.microsoft.com/azure/virtual-wan/how-to-routing-policies
  for (const via of vias) {
    const hubId = lookup.azureFirewalls.get(via.id)?.virtualHubId;
    if (hubId !== null && hubId !== undefined) hubs.add(hubId);
  }
  const gateways = [...new Set(hopIds(path, 'virtual-network-gateway'))];
  return [
    ...[...hubs].map((id) => applianceNode(lookup, 'virtual-hub', id)),
    ...vias,
    ...gateways.map((id) => applianceNode(lookup, 'virtual-network-gateway', id)),
  ];
}

function sourceNode(lookup: ModelLookup, path: EgressPath, nicCountBySubnet: ReadonlyMap<string, number>): GraphNode {
  return path.source.type === 'subnet'
    ? subnetNode(lookup, path, path.source.id, path.source.name, nicCountBySubnet.get(path.source.id) ?? 0)
    : nicNode(lookup, path);
}

function sketchPath(lookup: ModelLookup, path: EgressPath, nicCountBySubnet: ReadonlyMap<string, number>, options: GraphOptions = {}): PathSketch {
  const source = sourceNode(lookup, path, nicCountBySubnet);
  const chain: GraphNode[] = [source, ...middleNodes(lookup, path)];
  const showExit = EXIT_VERDICTS.has(path.verdict);
  const exit = showExit ? exitNodeOf(lookup, path) : null;
  if (exit !== null) chain.push(exit);
  const edges: (readonly [string, string])[] = [];
  for (let i = 1; i < chain.length; i++) {
    const from = chain[i - 1];
    const to = chain[i];
    if (from !== undefined && to !== undefined && from.id !== to.id) edges.push([from.id, to.id]);
  }
  const sink = sinkNode(path.verdict);
  const last = chain[chain.length - 1] ?? source;
  const ips = showExit && path.exit !== null ? [...new Set(path.egressIps)].map((ip) => publicIpNode(lookup, ip)) : [];
  for (const ip of ips) edges.push([last.id, ip.id], [ip.id, sink.id]);
  if (ips.length === 0) edges.push([last.id, sink.id]);
  const vnetId = source.kind === 'subnet' || source.kind === 'nic' ? source.parent : null;
  const used = new Set([...chain, ...ips, sink].map((n) => n.id));
  const bypassNodes = options.bypassedNat !== false
    ? [...new Set(bypassedNatIds(path))].filter((id) => !used.has(id)).map((id) => exitNode(lookup, 'nat-gateway', id))
    : [];
  const bypassEdges = bypassNodes.map((n) => [source.id, n.id] as const);
  return { path, vnetId, nodes: [...chain, ...ips, sink], edges, bypassNodes, bypassEdges };
}

function countNicsBySubnet(lookup: ModelLookup, result: ResolveResult): Map<string, number> {
  const counts = new Map<string, number>();
  for (const path of result.paths) {
    if (path.source.type !== 'nic') continue;
    const subnetId = nicSubnetId(lookup, path.source.id);
    if (subnetId !== null) counts.set(subnetId, (counts.get(subnetId) ?? 0) + 1);
  }
  return counts;
}

/** One source's path elements while the graph is built (PathElements). */
interface PathEntry {
  readonly nodeIds: Set<string>;
  readonly edgeIds: Set<string>;
  bypassedNodeIds?: Set<string>;
}

/** Accumulates nodes and aggregated edges. */
class GraphAccumulator {
  readonly nodes = new Map<string, GraphNode>();
  private readonly edges = new Map<string, { source: string; target: string; sourceIds: Set<string>; labels: Set<string>; bypassed: boolean }>();
  private readonly index = new Map<string, PathEntry>();

  addNode(node: GraphNode): void {
    if (!this.nodes.has(node.id)) this.nodes.set(node.id, node);
  }

  addEdge(sourceId: string, from: string, to: string, labels: readonly string[], bypassed = false): void {
    const id = edgeId(from, to);
    const known = this.edges.get(id);
    // An edge some path takes is a real edge, even if another path only bypasses it.
    const edge = known ? { ...known, bypassed: known.bypassed && bypassed } : { source: from, target: to, sourceIds: new Set<string>(), labels: new Set<string>(), bypassed };
    edge.sourceIds.add(sourceId);
    for (const label of labels) edge.labels.add(label);
    this.edges.set(id, edge);
    const entry = this.entry(sourceId);
    entry.edgeIds.add(id);
    entry.nodeIds.add(from).add(to);
  }

  addPathNode(sourceId: string, nodeId: string): void {
    this.entry(sourceId).nodeIds.add(nodeId);
  }

  /** A node on the source's path only as the end of its bypassed edge (never one of its hops: sketchPath). */
  addBypassedPathNode(sourceId: string, nodeId: string): void {
    const entry = this.entry(sourceId);
    entry.nodeIds.add(nodeId);
    (entry.bypassedNodeIds ??= new Set<string>()).add(nodeId);
  }

  private entry(sourceId: string): PathEntry {
    const existing = this.index.get(sourceId);
    if (existing !== undefined) return existing;
    const created: PathEntry = { nodeIds: new Set<string>(), edgeIds: new Set<string>() };
    this.index.set(sourceId, created);
    return created;
  }

  finish(view: GraphView, lookup: ModelLookup, compoundVnets: boolean): EgressGraph {
    if (compoundVnets) this.addCompoundParents(lookup);
    const nodes = [...this.nodes.values()].sort(compareNodes);
    const edges: GraphEdge[] = [...this.edges.entries()]
      .sort(([a], [b]) => compareText(a, b))
      .map(([id, e]) => ({
        id, source: e.source, target: e.target, weight: e.sourceIds.size,
        sourceIds: [...e.sourceIds].sort(compareText), label: foldedLabel(e.labels),
        ...(e.bypassed ? { bypassed: true as const } : {}),
      }));
    const pathIndex: Record<string, PathElements> = {};
    for (const sourceId of [...this.index.keys()].sort(compareText)) {
      const entry = this.index.get(sourceId);
      if (entry === undefined) continue;
      pathIndex[sourceId] = {
        nodeIds: [...entry.nodeIds].sort(compareText), edgeIds: [...entry.edgeIds].sort(compareText),
        ...(entry.bypassedNodeIds === undefined ? {} : { bypassedNodeIds: [...entry.bypassedNodeIds].sort(compareText) }),
      };
    }
    return { view, nodes, edges, pathIndex };
  }

  /** Every node with a `parent` gets its VNet compound (created from the model or the ID). */
  private addCompoundParents(lookup: ModelLookup): void {
    for (const node of [...this.nodes.values()]) {
      if (node.parent !== null && !this.nodes.has(node.parent)) this.nodes.set(node.parent, vnetNode(lookup, node.parent));
    }
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** VNets (the only parents) first, so consumers can add nodes in order; then by ID. */
function compareNodes(a: GraphNode, b: GraphNode): number {
  const rank = (n: GraphNode): number => (n.kind === 'vnet' ? 0 : 1);
  return rank(a) - rank(b) || compareText(a.id, b.id);
}

const MAX_FOLDED_LABELS = 3;

/** Folded names in the order the first path met them (paths are visited in source ID order). */
function foldedLabel(labels: ReadonlySet<string>): string {
  const sorted = [...labels];
  if (sorted.length <= MAX_FOLDED_LABELS) return sorted.join(', ');
  return `${sorted.slice(0, MAX_FOLDED_LABELS).join(', ')} +${sorted.length - MAX_FOLDED_LABELS}`;
}

function addDetailedPath(acc: GraphAccumulator, sketch: PathSketch): void {
  const sourceId = sketch.path.source.id;
  for (const node of sketch.nodes) {
    acc.addNode(node);
    acc.addPathNode(sourceId, node.id);
  }
  for (const [from, to] of sketch.edges) acc.addEdge(sourceId, from, to, []);
  for (const node of sketch.bypassNodes) {
    acc.addNode(node);
    acc.addBypassedPathNode(sourceId, node.id);
  }
  for (const [from, to] of sketch.bypassEdges) acc.addEdge(sourceId, from, to, [], true);
}

// ---------------------------------------------------------------------------------------------
// Overview: sources fold into their VNet; exits used by one VNet only fold into the edge label.

const FOLDABLE_KINDS: ReadonlySet<GraphNode['kind']> = new Set<GraphNode['kind']>(['nat-gateway', 'load-balancer', 'public-ip']);

/** Exit nodes used by sources of at most one VNet. */
function privateExitIds(sketches: readonly PathSketch[]): Set<string> {
  const vnetsByNode = new Map<string, Set<string>>();
  for (const sketch of sketches) {
    for (const node of sketch.nodes) {
      if (!FOLDABLE_KINDS.has(node.kind)) continue;
      const vnets = vnetsByNode.get(node.id) ?? new Set<string>();
      vnets.add(sketch.vnetId ?? `no-vnet:${sketch.path.source.id}`);
      vnetsByNode.set(node.id, vnets);
    }
  }
  return new Set([...vnetsByNode.entries()].filter(([, vnets]) => vnets.size <= 1).map(([id]) => id));
}

/** Contracts folded nodes out of a path's edges: a → X → b becomes a → b, labelled with X. */
function contractEdges(sketch: PathSketch, folded: ReadonlySet<string>, labelOf: ReadonlyMap<string, string>): { from: string; to: string; labels: string[] }[] {
  const outgoing = new Map<string, string[]>();
  for (const [from, to] of sketch.edges) outgoing.set(from, [...(outgoing.get(from) ?? []), to]);
  const result: { from: string; to: string; labels: string[] }[] = [];
  const walk = (from: string, at: string, labels: readonly string[], seen: ReadonlySet<string>): void => {
    for (const next of outgoing.get(at) ?? []) {
      if (seen.has(next)) continue;
      if (folded.has(next)) walk(from, next, [...labels, labelOf.get(next) ?? next], new Set([...seen, next]));
      else result.push({ from, to: next, labels: [...labels] });
    }
  };
  for (const node of sketch.nodes) if (!folded.has(node.id)) walk(node.id, node.id, [], new Set([node.id]));
  return result;
}

const UNKNOWN_VNET_ID = 'vnet:unknown';

function overviewVnetId(sketch: PathSketch): string {
  return sketch.vnetId ?? UNKNOWN_VNET_ID;
}

/** Sources whose VNet the model does not know (a NIC out of scope) share one overview node. */
function unknownVnetNode(): VnetNode {
  return {
    kind: 'vnet', id: UNKNOWN_VNET_ID, label: 'Unknown VNet', sublabel: '', parent: null, resourceId: null,
    compound: false, subnetCount: 0, nicCount: 0, verdictCounts: emptyVerdictCounts(),
  };
}

function buildOverview(lookup: ModelLookup, sketches: readonly PathSketch[], view: GraphView): EgressGraph {
  const acc = new GraphAccumulator();
  const folded = privateExitIds(sketches);
  const vnets = new Map<string, { node: VnetNode; subnets: number; nics: number; counts: Record<Verdict, number> }>();
  for (const sketch of sketches) {
    const vnetId = overviewVnetId(sketch);
    const entry = vnets.get(vnetId) ?? {
      node: sketch.vnetId === null ? unknownVnetNode() : vnetNode(lookup, vnetId),
      subnets: 0, nics: 0, counts: emptyVerdictCounts(),
    };
    if (sketch.path.source.type === 'subnet') entry.subnets += 1;
    else entry.nics += 1;
    entry.counts[sketch.path.verdict] += 1;
    vnets.set(vnetId, entry);
  }
  for (const [id, entry] of vnets) {
    const sources = [
      entry.subnets > 0 ? `${entry.subnets} subnet${entry.subnets === 1 ? '' : 's'}` : '',
      entry.nics > 0 ? `${entry.nics} NIC${entry.nics === 1 ? '' : 's'}` : '',
    ].filter((part) => part.length > 0).join(', ');
    // The overview folds the sources into their VNet: its box says how their paths end ("2 subnets
    // · 2 denied"), or past a shared firewall a VNet whose every path is denied reads like one that
    // reaches the internet (the app, the PDF and the exports draw this label alike).
    const sublabel = [sources, verdictCountsText(entry.counts)].filter((part) => part.length > 0).join(' \u00b7 ');
    acc.addNode({
      ...entry.node, id, sublabel, parent: null, compound: false,
      subnetCount: entry.subnets, nicCount: entry.nics, verdictCounts: entry.counts,
    });
  }
  const labelOf = new Map<string, string>();
  for (const sketch of sketches) for (const node of sketch.nodes) labelOf.set(node.id, node.label);
  for (const sketch of sketches) {
    const sourceId = sketch.path.source.id;
    const vnetId = overviewVnetId(sketch);
    const rename = (id: string): string => (id === sourceId ? vnetId : id);
    acc.addPathNode(sourceId, vnetId);
    for (const node of sketch.nodes) {
      if (node.id === sourceId || folded.has(node.id)) continue;
      acc.addNode({ ...node, parent: null });
    }
    for (const edge of contractEdges(sketch, folded, labelOf)) {
      const from = rename(edge.from);
      const to = rename(edge.to);
      if (from !== to) acc.addEdge(sourceId, from, to, edge.labels);
    }
  }
  return acc.finish(view, lookup, false);
}

/**
 * Builds the graph for a view of the result. Pure and deterministic: nodes, edges and the path
 * index come out sorted, and IDs do not depend on input order.
 */
export function buildEgressGraph(model: NetworkModel, result: ResolveResult, view: GraphView, options: GraphOptions = {}): EgressGraph {
  const lookup = buildModelLookup(model);
  const nicCountBySubnet = countNicsBySubnet(lookup, result);
  const wanted = view.kind === 'path' ? new Set(view.sourceIds) : null;
  const paths = wanted === null ? result.paths : result.paths.filter((p) => wanted.has(p.source.id));
  const sketches = [...paths]
    .sort((a, b) => compareText(a.source.id, b.source.id))
    // The overview folds sources into VNets: no per-subnet bypassed NAT there.
    .map((p) => sketchPath(lookup, p, nicCountBySubnet, view.kind === 'overview' ? { bypassedNat: false } : options));
  switch (view.kind) {
    case 'overview':
      return buildOverview(lookup, sketches, view);
    case 'full':
    case 'path': {
      const acc = new GraphAccumulator();
      for (const sketch of sketches) addDetailedPath(acc, sketch);
      return acc.finish(view, lookup, true);
    }
  }
}

const EMPTY_PATH_ELEMENTS: PathElements = { nodeIds: [], edgeIds: [] };

/** The nodes and edges of one path source's path in this graph (empty when the source is not drawn). */
export function pathElementIds(graph: EgressGraph, sourceId: string): PathElements {
  return Object.hasOwn(graph.pathIndex, sourceId) ? (graph.pathIndex[sourceId] ?? EMPTY_PATH_ELEMENTS) : EMPTY_PATH_ELEMENTS;
}

/**
 * Nodes only `bypassed` edges lead to (an attached NAT gateway a route overrides): drawn dashed,
 * never as a hop. A node some path really uses stays solid even when another path bypasses it;
 * its bypassed edge is still dashed. Whether a node is a hop of one selected path is per path:
 * `pathElementIds(graph, sourceId).bypassedNodeIds`.
 */
export function bypassedNodeIds(graph: EgressGraph): ReadonlySet<string> {
  const real = new Set<string>();
  const bypassed = new Set<string>();
  for (const e of graph.edges) {
    if (e.bypassed === true) bypassed.add(e.target);
    else { real.add(e.source); real.add(e.target); }
  }
  return new Set([...bypassed].filter((id) => !real.has(id)));
}

/** Nodes + edges: what a graph costs to lay out and render. */
export function graphElementCount(graph: EgressGraph): number {
  return graph.nodes.length + graph.edges.length;
}

export const DEFAULT_ELEMENT_BUDGET = 1_500;

/**
 * `full` when the full graph has at most `elementBudget` nodes + edges, else `overview`. Needs no
 * model: the count is the full graph built from the result alone (VNet compounds derived from
 * subnet IDs), which is within a few elements of the real one.
 */
export function chooseDefaultView(result: ResolveResult, elementBudget: number = DEFAULT_ELEMENT_BUDGET): GraphView {
  const full = buildEgressGraph(emptyNetworkModel(), result, { kind: 'full' });
  return graphElementCount(full) <= elementBudget ? { kind: 'full' } : { kind: 'overview' };
}

/**
 * The default view together with its graph, for callers that draw it: the full graph is built once
 * (with the model, so the count is exact) and kept when it fits the budget; otherwise the overview.
 */
export function buildDefaultGraph(
  model: NetworkModel, result: ResolveResult, elementBudget: number = DEFAULT_ELEMENT_BUDGET, options: GraphOptions = {},
): { readonly view: GraphView; readonly graph: EgressGraph } {
  const full = buildEgressGraph(model, result, { kind: 'full' }, options);
  if (graphElementCount(full) <= elementBudget) return { view: { kind: 'full' }, graph: full };
  const view: GraphView = { kind: 'overview' };
  return { view, graph: buildEgressGraph(model, result, view) };
}


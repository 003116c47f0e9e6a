/**
 * The flow overview: a whole estate as four columns, sources → inspection → exit → internet, with
 * one band per (group, firewall/NVA, exit) combination whose width is the number of sources on it.
 * It reads at any scale because it draws bands, not nodes per subnet: 100,000 sources make the same
 * few dozen bands as 100.
 *
 * Pure: `flowFacts` classifies each path once (model + result → one small record per source);
 * `aggregateFlow` groups those records for one grouping choice; `bandMembers` answers "which
 * sources are on this band" for the list. The main side computes all three for large estates (the
 * page then never receives the snapshot or every path); the renderer computes them itself for
 * estates it already holds.
 *
 * Bypass: a source that reaches the internet with no firewall/NVA on its path while another
 * workload source of its VNet goes through one, or while its VNet hosts an Azure Firewall, takes
 * a path around inspection. Same rule as the engine's `firewall-bypass` finding (findings.ts),
 * applied per source (NICs included) so every band can say how many of its sources bypass.
 * https://learn.microsoft.com/azure/firewall/forced-tunneling and
 * https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#default
 */
import type { EgressPath, ResolveResult, Verdict } from '../egress/types';
import type { Step } from '../egress/steps';
import { nameFromResourceId, toResourceId } from '../model/ids';
import { effectiveTags } from '../model/tags';
import type { NetworkModel, NetworkResource } from '../model/topology';
import { VERDICT_TONE, type Tone } from './palette';

export type FlowGrouping = 'subscription' | 'virtual-network' | 'owner' | 'verdict';

export const FLOW_GROUPINGS: readonly { readonly grouping: FlowGrouping; readonly label: string }[] = [
  { grouping: 'virtual-network', label: 'Virtual network' },
  { grouping: 'subscription', label: 'Subscription' },
  { grouping: 'owner', label: 'Owner tag' },
  { grouping: 'verdict', label: 'Verdict' },
];

export function isFlowGrouping(value: unknown): value is FlowGrouping {
  return FLOW_GROUPINGS.some((g) => g.grouping === value);
}

/** A key (stable, lower case for resources) and what to call it on screen. */
export interface FlowRef {
  readonly key: string;
  readonly label: string;
}

/** What one source contributes to the overview. */
export interface FlowFact {
  readonly sourceId: string;
  readonly name: string;
  readonly type: 'subnet' | 'nic';
  readonly verdict: Verdict;
  readonly groups: Readonly<Record<FlowGrouping, FlowRef>>;
  /** The first Azure Firewall or NVA passed; key `none` when nothing inspects the path. */
  readonly inspection: FlowRef;
  /** Where the path leaves: a NAT gateway, public IP, LB, default outbound, or a non-internet end. */
  readonly exit: FlowRef & { readonly tone: Tone };
  readonly toInternet: boolean;
  readonly bypass: boolean;
}

export type FlowColumn = 'source' | 'inspection' | 'exit' | 'sink';

export interface FlowNode {
  /** `s:<group key>`, `i:<key>`, `e:<key>`, or `internet`. */
  readonly id: string;
  readonly column: FlowColumn;
  readonly label: string;
  readonly count: number;
  readonly tone: Tone;
  /** Where it is (resource group, subscription) when another node of its column has the same name. */
  readonly detail: string | null;
}

export interface FlowBand {
  /** `<from>><to>` plus `!` for the bypass part of a pair. */
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly count: number;
  readonly bypass: boolean;
}

export interface FlowOverview {
  readonly grouping: FlowGrouping;
  /** Every source in the result. */
  readonly total: number;
  readonly bypassCount: number;
  /** Per column, largest first; the `other` source node gathers the groups past `maxGroups`. */
  readonly nodes: readonly FlowNode[];
  readonly bands: readonly FlowBand[];
  /**
   * Keys drawn as their own node, per column; the rest are merged into `s:*other*`, `i:*other*`,
   * `e:*other*` (non-internet ends are always drawn).
   */
  readonly shown: Readonly<Record<'source' | 'inspection' | 'exit', readonly string[]>>;
}

export const NO_INSPECTION = 'none';
export const OTHER_GROUPS = 's:*other*';
export const OTHER_INSPECTION = 'i:*other*';
export const OTHER_EXITS = 'e:*other*';
export const INTERNET_NODE = 'internet';
/** Source groups drawn one by one; beyond this the smallest are merged (labels stay ≥ 11 px). */
export const DEFAULT_MAX_GROUPS = 24;
/** Firewalls/NVAs and internet exits drawn one by one (a tenant has a NAT gateway per spoke). */
export const MAX_INSPECTION_NODES = 12;
export const MAX_EXIT_NODES = 16;
const NON_INTERNET_EXITS: ReadonlySet<string> = new Set(['private', 'on-premises', 'dropped', 'unknown']);

const VERDICT_WORDS: Readonly<Record<Verdict, string>> = {
  internet: 'Internet', private: 'Private (never internet)', 'on-premises': 'On-premises (forced tunnel)',
  dropped: 'Dropped', denied: 'Denied', 'no-outbound': 'No outbound', unknown: 'Unknown',
};

function subscriptionOf(id: string): string {
  return /^\/subscriptions\/([^/]+)/i.exec(id)?.[1]?.toLowerCase() ?? 'unknown';
}

/** Subnet ID → VNet ID by cutting `/subnets/<name>` (for sources the model does not hold). */
function vnetIdFromSubnetId(subnetId: string): string {
  const lower = subnetId.toLowerCase();
  const at = lower.lastIndexOf('/subnets/');
  return at < 0 ? lower : lower.slice(0, at);
}

function lastStep<K extends Step['kind']>(steps: readonly Step[], kind: K): Extract<Step, { kind: K }> | null {
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i];
    if (step?.kind === kind) return step as Extract<Step, { kind: K }>;
  }
  return null;
}

/** The exit node a path ends at: the resource that sends it to the internet, or its non-internet end. */
export function exitOf(path: EgressPath): FlowFact['exit'] {
  const tone = VERDICT_TONE[path.verdict];
  switch (path.verdict) {
    case 'internet': break;
    case 'private': return { key: 'private', label: 'Private (never internet)', tone };
    case 'on-premises': return { key: 'on-premises', label: 'On-premises (tunnel)', tone };
    case 'dropped': case 'denied': case 'no-outbound': return { key: 'dropped', label: 'Dropped / denied', tone };
    case 'unknown': return { key: 'unknown', label: 'Unknown', tone };
  }
  switch (path.exit) {
    case 'nat-gateway': {
      const step = lastStep(path.steps, 'nat-gateway');
      return step ? { key: step.natGateway.id.toLowerCase(), label: `NAT ${step.natGateway.name}`, tone: 'exit' } : { key: 'nat-gateway', label: 'NAT gateway', tone: 'exit' };
    }
    case 'public-ip': {
      const step = lastStep(path.steps, 'public-ip');
      if (!step) return { key: 'public-ip', label: 'Public IP', tone: 'exit' };
      // A firewall's public IP names the firewall (one node per firewall, not per VM IP).
      const shared = step.owner !== 'instance';
      return shared
        ? { key: `public-ip:${step.ownerId.toLowerCase()}`, label: `Public IP of ${step.ownerName}`, tone: 'exit' }
        : { key: 'public-ip:instance', label: 'Instance public IPs', tone: 'exit' };
    }
    case 'load-balancer': {
      const step = lastStep(path.steps, 'load-balancer');
      return step ? { key: step.loadBalancer.id.toLowerCase(), label: `LB ${step.loadBalancer.name}`, tone: 'exit' } : { key: 'load-balancer', label: 'Load balancer', tone: 'exit' };
    }
    case 'default-outbound':
      return { key: 'default-outbound', label: 'Default outbound', tone: 'exit' };
    default:
      return { key: 'internet-exit', label: 'Internet exit', tone: 'exit' };
  }
}

function inspectionOf(path: EgressPath): FlowRef {
  const via = path.via.find((v) => v.kind === 'azure-firewall' || v.kind === 'nva');
  if (!via) return { key: NO_INSPECTION, label: 'No inspection' };
  const kind = via.kind === 'azure-firewall' ? 'Firewall' : 'NVA';
  return { key: via.id.toLowerCase(), label: `${kind} ${nameFromResourceId(via.id)}` };
}

function ownerTag(tags: Readonly<Record<string, string>>): string | null {
  for (const [k, v] of Object.entries(tags)) if (k.toLowerCase() === 'owner' && v.trim() !== '') return v.trim();
  return null;
}

/** One record per path of `result`, in the result's order. */
export function flowFacts(model: NetworkModel, result: ResolveResult): FlowFact[] {
  const byId = new Map<string, NetworkResource>();
  for (const list of [model.virtualNetworks, model.subnets, model.networkInterfaces] as readonly (readonly NetworkResource[])[]) {
    for (const r of list) byId.set(r.id, r);
  }
  const find = (id: string): NetworkResource | null => byId.get(id) ?? null;
  // Tags are mostly inherited (a subnet has none; its VNet does): look each owner up once.
  const owners = new Map<string, string | null>();
  const ownerOf = (r: NetworkResource): string | null => {
    if (Object.keys(r.tags).length > 0) return ownerTag(r.tags);
    const hit = owners.get(r.id);
    if (hit !== undefined) return hit;
    const owner = ownerTag(effectiveTags(r, find).tags);
    owners.set(r.id, owner);
    return owner;
  };
  // VNets that host an Azure Firewall (its AzureFirewallSubnet is in them).
  const firewallVnets = new Set<string>();
  for (const fw of model.azureFirewalls) {
    for (const c of fw.ipConfigurations) if (c.subnetId) firewallVnets.add(vnetIdFromSubnetId(c.subnetId));
  }

  const subnetOfNic = (id: string): string | null => {
    const r = find(toResourceId(id));
    if (r?.kind !== 'networkInterface') return null;
    const config = r.ipConfigurations.find((c) => c.primary) ?? r.ipConfigurations[0];
    return config?.subnetId ? config.subnetId.toLowerCase() : null;
  };
  const vnetOfSource = (path: EgressPath): string => {
    const r = find(toResourceId(path.source.id));
    if (r?.kind === 'subnet') return r.virtualNetworkId;
    const nicSubnet = subnetOfNic(path.source.id);
    return vnetIdFromSubnetId(nicSubnet ?? path.source.id);
  };
  // The NVAs others pass, and their subnets, are the inspection itself, not a way around it (as in findings.ts).
  const appliances = new Set<string>();
  for (const p of result.paths) for (const v of p.via) if (v.kind === 'nva') appliances.add(v.id.toLowerCase());
  const applianceSubnets = new Set<string>();
  for (const id of appliances) {
    const subnet = subnetOfNic(id);
    if (subnet !== null) applianceSubnets.add(subnet);
  }
  const isAppliance = (path: EgressPath): boolean => {
    const id = path.source.id.toLowerCase();
    return appliances.has(id) || applianceSubnets.has(id) || applianceSubnets.has(subnetOfNic(id) ?? '');
  };

  const drafts = result.paths.map((path) => {
    const vnetId = vnetOfSource(path);
    const subscription = subscriptionOf(path.source.id);
    const r = find(toResourceId(path.source.id));
    const owner = r ? ownerOf(r) : null;
    const inspection = inspectionOf(path);
    return {
      path, vnetId, inspection,
      workload: (path.source.role ?? 'workload') === 'workload' && !isAppliance(path),
      groups: {
        'subscription': { key: subscription, label: `Subscription ${subscription}` },
        'virtual-network': { key: vnetId, label: find(vnetId)?.name ?? nameFromResourceId(vnetId) },
        'owner': owner === null ? { key: '(none)', label: 'No owner tag' } : { key: owner.toLowerCase(), label: `Owner ${owner}` },
        'verdict': { key: path.verdict, label: VERDICT_WORDS[path.verdict] },
      } satisfies Record<FlowGrouping, FlowRef>,
    };
  });
  const inspectedVnets = new Set<string>();
  for (const d of drafts) if (d.workload && d.path.verdict === 'internet' && d.inspection.key !== NO_INSPECTION) inspectedVnets.add(d.vnetId);

  return drafts.map(({ path, vnetId, inspection, workload, groups }) => ({
    sourceId: path.source.id,
    name: path.source.name,
    type: path.source.type,
    verdict: path.verdict,
    groups,
    inspection,
    exit: exitOf(path),
    toInternet: path.verdict === 'internet',
    bypass: workload && path.verdict === 'internet' && inspection.key === NO_INSPECTION
      && (inspectedVnets.has(vnetId) || firewallVnets.has(vnetId)),
  }));
}

interface ShownSets { readonly source: ReadonlySet<string>; readonly inspection: ReadonlySet<string>; readonly exit: ReadonlySet<string> }

function shownSets(shown: FlowOverview['shown']): ShownSets {
  return { source: new Set(shown.source), inspection: new Set(shown.inspection), exit: new Set(shown.exit) };
}

/** The node IDs a fact passes for a grouping, given which keys are drawn on their own. */
function nodeIdsOf(fact: FlowFact, grouping: FlowGrouping, shown: ShownSets): { source: string; inspection: string; exit: string } {
  const key = fact.groups[grouping].key;
  return {
    source: shown.source.has(key) ? `s:${key}` : OTHER_GROUPS,
    inspection: shown.inspection.has(fact.inspection.key) ? `i:${fact.inspection.key}` : OTHER_INSPECTION,
    exit: shown.exit.has(fact.exit.key) ? `e:${fact.exit.key}` : OTHER_EXITS,
  };
}

/** The `max` largest keys (ties by key); all of them when only one more would be merged. */
function largest(counts: ReadonlyMap<string, { readonly label: string; readonly count: number }>, max: number): string[] {
  const ranked = [...counts.entries()].sort(([ka, a], [kb, b]) => b.count - a.count || a.label.localeCompare(b.label) || ka.localeCompare(kb));
  return ranked.slice(0, ranked.length <= max + 1 ? ranked.length : max).map(([key]) => key);
}

function countBy(facts: readonly FlowFact[], pick: (f: FlowFact) => FlowRef | null): Map<string, { label: string; count: number }> {
  const counts = new Map<string, { label: string; count: number }>();
  for (const f of facts) {
    const ref = pick(f);
    if (ref === null) continue;
    const entry = counts.get(ref.key);
    if (entry) entry.count++; else counts.set(ref.key, { label: ref.label, count: 1 });
  }
  return counts;
}

function bandId(from: string, to: string, bypass: boolean): string {
  return `${from}>${to}${bypass ? '!' : ''}`;
}

const COLUMN_ORDER: Readonly<Record<FlowColumn, number>> = { source: 0, inspection: 1, exit: 2, sink: 3 };

/** Groups the facts for one grouping. Deterministic: nodes by column, then count (largest first), then label. */
export function aggregateFlow(facts: readonly FlowFact[], grouping: FlowGrouping, maxGroups: number = DEFAULT_MAX_GROUPS): FlowOverview {
  const groupCounts = countBy(facts, (f) => f.groups[grouping]);
  const inspectionCounts = countBy(facts, (f) => f.inspection);
  const exitCounts = countBy(facts, (f) => (NON_INTERNET_EXITS.has(f.exit.key) ? null : f.exit));
  const shownKeys: FlowOverview['shown'] = {
    source: largest(groupCounts, maxGroups),
    inspection: largest(inspectionCounts, MAX_INSPECTION_NODES),
    exit: [...largest(exitCounts, MAX_EXIT_NODES), ...NON_INTERNET_EXITS],
  };
  const shown = shownSets(shownKeys);
  const otherCounts = {
    source: groupCounts.size - shownKeys.source.length,
    inspection: inspectionCounts.size - shownKeys.inspection.length,
    exit: exitCounts.size - (shownKeys.exit.length - NON_INTERNET_EXITS.size),
  };

  const nodes = new Map<string, { column: FlowColumn; label: string; count: number; tone: Tone }>();
  const bands = new Map<string, { from: string; to: string; count: number; bypass: boolean }>();
  const addNode = (id: string, column: FlowColumn, label: string, tone: Tone): void => {
    const n = nodes.get(id);
    if (n) n.count++; else nodes.set(id, { column, label, count: 1, tone });
  };
  const addBand = (from: string, to: string, bypass: boolean): void => {
    const id = bandId(from, to, bypass);
    const b = bands.get(id);
    if (b) b.count++; else bands.set(id, { from, to, count: 1, bypass });
  };
  let bypassCount = 0;
  for (const f of facts) {
    const ids = nodeIdsOf(f, grouping, shown);
    const groupLabel = ids.source === OTHER_GROUPS ? `${otherCounts.source} other groups` : f.groups[grouping].label;
    const sourceTone: Tone = grouping === 'verdict' ? VERDICT_TONE[f.verdict] : 'neutral';
    addNode(ids.source, 'source', groupLabel, sourceTone);
    addNode(ids.inspection, 'inspection', ids.inspection === OTHER_INSPECTION ? `${otherCounts.inspection} other firewalls/NVAs` : f.inspection.label,
      f.inspection.key === NO_INSPECTION ? 'neutral' : 'inspection');
    addNode(ids.exit, 'exit', ids.exit === OTHER_EXITS ? `${otherCounts.exit} other exits` : f.exit.label, f.exit.tone);
    addBand(ids.source, ids.inspection, f.bypass);
    addBand(ids.inspection, ids.exit, f.bypass);
    if (f.toInternet) {
      addNode(INTERNET_NODE, 'sink', 'Internet', 'internet');
      addBand(ids.exit, INTERNET_NODE, f.bypass);
    }
    if (f.bypass) bypassCount++;
  }
  // Two firewalls (or NAT gateways, VNets) of one name in different resource groups or
  // subscriptions must not read as one: their labels say where each is.
  const sameName = new Map<string, string[]>();
  for (const [id, n] of nodes) {
    const key = `${n.column}\u0000${n.label}`;
    sameName.set(key, [...(sameName.get(key) ?? []), id]);
  }
  const detailOf = new Map<string, string>();
  for (const ids of sameName.values()) {
    if (ids.length < 2) continue;
    const places = ids.map((id) => whereIs(id.slice(2)));
    // The resource group when that tells them apart, else the subscription (a hub per subscription).
    const byGroup = new Set(places.map((p) => p.resourceGroup)).size === ids.length;
    ids.forEach((id, i) => {
      const p = places[i];
      if (p) detailOf.set(id, byGroup ? p.resourceGroup : `sub ${p.subscription.slice(0, 8)}`);
    });
  }
  const nodeList: FlowNode[] = [...nodes.entries()]
    .map(([id, n]) => ({ id, ...n, detail: detailOf.get(id) ?? null }))
    .sort((a, b) => COLUMN_ORDER[a.column] - COLUMN_ORDER[b.column]
      || Number(a.id === OTHER_GROUPS || a.id === OTHER_INSPECTION || a.id === OTHER_EXITS) - Number(b.id === OTHER_GROUPS || b.id === OTHER_INSPECTION || b.id === OTHER_EXITS)
      || Number(a.id === `i:${NO_INSPECTION}`) - Number(b.id === `i:${NO_INSPECTION}`)
      || b.count - a.count || a.label.localeCompare(b.label) || a.id.localeCompare(b.id));
  const order = new Map(nodeList.map((n, i) => [n.id, i]));
  const bandList: FlowBand[] = [...bands.entries()]
    .map(([id, b]) => ({ id, ...b }))
    .sort((a, b) => (order.get(a.from) ?? 0) - (order.get(b.from) ?? 0) || (order.get(a.to) ?? 0) - (order.get(b.to) ?? 0) || Number(a.bypass) - Number(b.bypass));
  return { grouping, total: facts.length, bypassCount, nodes: nodeList, bands: bandList, shown: shownKeys };
}

/** Resource group and subscription of a resource ID (the key itself for anything else). */
function whereIs(key: string): { readonly resourceGroup: string; readonly subscription: string } {
  const m = /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\//.exec(key);
  return m ? { resourceGroup: m[2] ?? '', subscription: m[1] ?? '' } : { resourceGroup: key, subscription: key };
}

/** The facts on one band of `overview` (same grouping), in the facts' order; empty for an unknown band. */
export function bandMembers<F extends FlowFact>(facts: readonly F[], overview: FlowOverview, id: string): F[] {
  const band = overview.bands.find((b) => b.id === id);
  if (!band) return [];
  const shown = shownSets(overview.shown);
  return facts.filter((f) => {
    if (f.bypass !== band.bypass) return false;
    const ids = nodeIdsOf(f, overview.grouping, shown);
    if (band.to === INTERNET_NODE) return f.toInternet && ids.exit === band.from;
    if (band.from === ids.source) return ids.inspection === band.to;
    return ids.inspection === band.from && ids.exit === band.to;
  });
}

/** A band in words: `vnet-a → Azure Firewall fw-hub (120 sources, bypasses firewall)`. */
export function describeBand(overview: FlowOverview, band: FlowBand): string {
  const label = (id: string): string => {
    const node = overview.nodes.find((n) => n.id === id);
    return node ? `${node.label}${node.detail === null ? '' : ` (${node.detail})`}` : id;
  };
  return `${label(band.from)} → ${label(band.to)}: ${band.count} source${band.count === 1 ? '' : 's'}${band.bypass ? ', bypasses firewall' : ''}`;
}

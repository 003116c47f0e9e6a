/**
 * Everything the evidence PDF states, derived from the snapshot and the resolver output without
 * recomputing any verdict: which paths are in scope, the summary counts, the owner tags of each
 * hop, the SNAT metrics of each exit. Pure, so it is tested without drawing a PDF.
 */
import { explainPath, stepResourceIds } from '../../shared/egress/explain';
import { EVERY_DESTINATION_EXCEPT, terminalOf } from '../../shared/egress/steps';
import { EXITS, VERDICTS as VERDICT_LABELS } from '../../shared/egress/types';
import type { EgressPath, Finding, FindingSeverity, Hop, PathSource, ResolveResult, Verdict } from '../../shared/egress/types';
import { assertNever } from '../../shared/model/assert';
import type { Gap } from '../../shared/model/gaps';
import { parseResourceId, toResourceId } from '../../shared/model/ids';
import type { ResourceMetric, Snapshot } from '../../shared/model/snapshot';
import { effectiveTags } from '../../shared/model/tags';
import type { CapturedEffectiveRoutes, NetworkModel, NetworkResource } from '../../shared/model/topology';
import type { EvidenceSelection } from './types';

export const VERDICTS = Object.keys(VERDICT_LABELS) as readonly Verdict[];
export const SEVERITIES: readonly FindingSeverity[] = ['error', 'warning', 'info'];

/** The destination the resolver reports when no what-if IP was given. */
export const DEFAULT_ROUTE = '0.0.0.0/0';

/** Resource IDs compare in the model's one canonical form (ARM IDs are case-insensitive). */
const canonical = (id: string): string => toResourceId(id);

/** Every resource of the model by canonical ID. */
export type ResourceIndex = ReadonlyMap<string, NetworkResource>;

export function indexResources(model: NetworkModel): ResourceIndex {
  const index = new Map<string, NetworkResource>();
  const lists: readonly (readonly NetworkResource[])[] = [
    model.virtualNetworks, model.subnets, model.routeTables, model.natGateways, model.publicIpAddresses,
    model.publicIpPrefixes, model.networkInterfaces, model.azureFirewalls, model.firewallPolicies,
    model.networkSecurityGroups, model.loadBalancers, model.virtualNetworkGateways, model.virtualHubs,
    model.virtualWans, model.ipGroups, model.privateEndpoints, model.privateDnsZones,
  ];
  for (const list of lists) for (const resource of list) index.set(canonical(resource.id), resource);
  return index;
}

/**
 * The resource a hop ID belongs to. Hops often cite a child (a route of a route table, an IP
 * configuration of a NIC, a rule of an NSG), so walk up `/{type}/{name}` pairs until a modelled
 * resource is found.
 */
export function findOwningResource(index: ResourceIndex, id: string): NetworkResource | null {
  let current = canonical(id);
  while (current.includes('/providers/')) {
    const hit = index.get(current);
    if (hit) return hit;
    const parts = current.split('/');
    if (parts.length < 3) break;
    current = parts.slice(0, -2).join('/');
  }
  return null;
}

export interface OwnerTags {
  readonly owner: string | null;
  readonly costCentre: string | null;
}

const OWNER_KEYS = ['owner', 'owners', 'ownedby', 'team', 'contact'];
const COST_KEYS = ['costcenter', 'costcentre', 'cc', 'billingcode', 'chargecode'];

function normalizedKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function pickTag(tags: Readonly<Record<string, string>>, keys: readonly string[]): string | null {
  const entries = Object.entries(tags).map(([k, v]) => [normalizedKey(k), v] as const);
  for (const wanted of keys) {
    const hit = entries.find(([k]) => k === wanted);
    if (hit) return hit[1];
  }
  return null;
}

/** Owner / cost-centre tags, matched case- and punctuation-insensitively (`Cost-Center`, `costCentre`). */
export function ownerTagsOf(resource: NetworkResource | null): OwnerTags {
  if (!resource) return { owner: null, costCentre: null };
  return { owner: pickTag(resource.tags, OWNER_KEYS), costCentre: pickTag(resource.tags, COST_KEYS) };
}

export interface HopOwnerTags extends OwnerTags {
  /** Name of the parent resource the tags come from, when the hop's own resource has none. */
  readonly inheritedFrom: string | null;
}

/**
 * Owner tags for a hop. ARM child resources carry no tags of their own (a subnet has none; its
 * VNet does), so a resource without owner or cost-centre tags inherits its nearest tagged parent's,
 * and the evidence says so.
 */
export function ownerTagsForHop(index: ResourceIndex, id: string): HopOwnerTags {
  const resource = findOwningResource(index, id);
  if (!resource) return { owner: null, costCentre: null, inheritedFrom: null };
  const { tags, inheritedFrom } = effectiveTags(resource, (parentId) => index.get(parentId));
  return { owner: pickTag(tags, OWNER_KEYS), costCentre: pickTag(tags, COST_KEYS), inheritedFrom: inheritedFrom?.name ?? null };
}

/**
 * Whether a source is in the export: every source, or the selected ones plus NICs inside selected
 * subnets. One predicate for the paths, the reach block and the destinations matrix, so they agree.
 */
export function inSelection(model: NetworkModel, selection: EvidenceSelection | null): (source: PathSource) => boolean {
  if (!selection) return () => true;
  const wanted = new Set(selection.sourceIds.map(canonical));
  const nicSubnets = new Map<string, readonly string[]>();
  for (const nic of model.networkInterfaces) {
    nicSubnets.set(canonical(nic.id), nic.ipConfigurations.flatMap((c) => (c.subnetId ? [canonical(c.subnetId)] : [])));
  }
  return (source) => {
    const id = canonical(source.id);
    if (wanted.has(id)) return true;
    return source.type === 'nic' && (nicSubnets.get(id) ?? []).some((s) => wanted.has(s));
  };
}

/** The paths the export covers: all, or the selected sources plus NIC exceptions inside selected subnets. */
export function selectPaths(result: ResolveResult, model: NetworkModel, selection: EvidenceSelection | null): readonly EgressPath[] {
  if (!selection) return result.paths;
  const keep = inSelection(model, selection);
  return result.paths.filter((path) => keep(path.source));
}

export interface SourceLine {
  readonly id: string;
  readonly name: string;
  readonly type: 'subnet' | 'nic';
  readonly detail: string;
}

export interface EvidenceSummary {
  readonly pathCount: number;
  readonly verdictCounts: ReadonlyMap<Verdict, number>;
  readonly severityCounts: ReadonlyMap<FindingSeverity, number>;
  /** Reach the internet with no Azure Firewall, NVA or internal LB in `via`. */
  readonly uninspected: readonly SourceLine[];
  /** Leave through Azure's default outbound access (being retired for new VNets). */
  readonly defaultOutbound: readonly SourceLine[];
  /** Verdict `no-outbound`: no way out at all. */
  readonly noOutbound: readonly SourceLine[];
  /**
   * Verdict `unknown`, with the fact that is missing. Without this list an estate whose paths are
   * all undecided shows "None." under every risk heading, which reads as a clean bill of health.
   */
  readonly undecided: readonly SourceLine[];
}

/** Findings of the selected paths plus the estate-level ones. */
export function allFindings(paths: readonly EgressPath[], result: ResolveResult): readonly Finding[] {
  return [...paths.flatMap((p) => p.findings), ...result.findings];
}

function sourceLine(path: EgressPath, detail: string): SourceLine {
  return { id: path.source.id, name: path.source.name, type: path.source.type, detail };
}

export function summarize(paths: readonly EgressPath[], result: ResolveResult): EvidenceSummary {
  const verdictCounts = new Map<Verdict, number>(VERDICTS.map((v) => [v, 0]));
  for (const p of paths) verdictCounts.set(p.verdict, (verdictCounts.get(p.verdict) ?? 0) + 1);
  const severityCounts = new Map<FindingSeverity, number>(SEVERITIES.map((s) => [s, 0]));
  for (const f of allFindings(paths, result)) severityCounts.set(f.severity, (severityCounts.get(f.severity) ?? 0) + 1);
  return {
    pathCount: paths.length,
    verdictCounts,
    severityCounts,
    uninspected: paths
      // Platform subnets (AzureFirewallSubnet is the inspection point itself, GatewaySubnet holds
      // no workloads) are not "uninspected workloads".
      .filter((p) => p.verdict === 'internet' && p.via.length === 0 && (p.source.role ?? 'workload') === 'workload')
      .map((p) => sourceLine(p, `${exitLabel(p)}${p.egressIps.length > 0 ? ` · ${p.egressIps.join(', ')}` : ''}`)),
    defaultOutbound: paths
      .filter((p) => p.exit === 'default-outbound')
      .map((p) => sourceLine(p, p.egressIps.length > 0 ? p.egressIps.join(', ') : 'IP chosen by Azure, not owned by you')),
    noOutbound: paths
      .filter((p) => p.verdict === 'no-outbound')
      .map((p) => sourceLine(p, p.findings[0]?.message ?? 'no route, NAT gateway, public IP or default outbound access')),
    undecided: paths
      .filter((p) => p.verdict === 'unknown')
      .map((p) => sourceLine(p, undecidedBecause(p))),
  };
}

/**
 * Why an unknown path is unknown, in one sentence: the engine's named missing fact when it gave
 * one, else the words of the last hop (which states what is not in the snapshot).
 */
export function undecidedBecause(path: EgressPath): string {
  if (path.steps.length === 0) return 'a fact the verdict depends on is missing (see the gaps)';
  const reason = terminalOf(path.steps).reason;
  if (reason.kind === 'undecided') return `${reason.rule}. Missing: ${reason.missingFact.replace(/\.$/, '')}.`;
  const hops = explainPath(path);
  return hops[hops.length - 1]?.explanation ?? 'a fact the verdict depends on is missing (see the gaps)';
}

/**
 * How a hop is labelled. The engine ends an unknown path with a `drop` hop: printed as "drop" it
 * would tell an auditor the traffic is dropped, when in truth nobody knows where it goes.
 */
export function hopKindLabel(hop: Hop, isLast: boolean, verdict: Verdict): string {
  return isLast && verdict === 'unknown' && hop.kind === 'drop' ? 'not decided' : hop.kind.replace(/-/g, ' ');
}

/**
 * Names earlier deny rules keep out of an otherwise open internet path (`exceptFqdns`), as the
 * engine lists them after "every destination except ", or null. "Any public destination" alone
 * would contradict the hop that names the exceptions.
 */
export function exceptionsOf(path: EgressPath): string | null {
  if (path.verdict !== 'internet' || path.steps.length === 0) return null;
  const reason = terminalOf(path.steps).reason;
  if (reason.kind !== 'egress' || reason.restrictedTo === null) return null;
  const item = reason.restrictedTo.find((r) => r.startsWith(EXCEPT_PREFIX));
  return item === undefined ? null : item.slice(EXCEPT_PREFIX.length);
}

/** How the engine words an open path's exceptions (shared/egress/steps.ts, `restrictedTo`). */
const EXCEPT_PREFIX = EVERY_DESTINATION_EXCEPT;

/** Labels are declared once, with the verdicts and exits (shared/egress/types.ts). */
export function exitLabel(path: EgressPath): string {
  return path.exit === null ? 'none' : EXITS[path.exit];
}

export function verdictLabel(verdict: Verdict): string {
  return VERDICT_LABELS[verdict];
}

/** Snapshot gaps and resolver gaps, de-duplicated (the resolver usually repeats the snapshot's). */
export function mergeGaps(snapshot: Snapshot, result: ResolveResult): readonly Gap[] {
  const seen = new Set<string>();
  const out: Gap[] = [];
  for (const gap of [...snapshot.gaps, ...result.gaps]) {
    const key = `${gap.code}\u0000${canonical(gap.scope)}\u0000${gap.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(gap);
  }
  return out;
}

/** Metrics captured for any resource the path passes (NAT gateway, load balancer, firewall, public IP). */
export function metricsForPath(path: EgressPath, metrics: readonly ResourceMetric[]): readonly ResourceMetric[] {
  const ids = new Set(path.steps.flatMap((s) => stepResourceIds(s)).map(canonical));
  for (const v of path.via) ids.add(canonical(v.id));
  return metrics.filter((m) => ids.has(canonical(m.resourceId)));
}

/** Resource groups the export covers: those of the selected sources, or of every subnet. */
export function scopeResourceGroups(paths: readonly EgressPath[]): readonly string[] {
  const groups = new Set<string>();
  for (const p of paths) {
    const parts = parseResourceId(p.source.id);
    if (parts?.resourceGroup) groups.add(`${parts.subscriptionId}/${parts.resourceGroup}`.toLowerCase());
  }
  return [...groups].sort();
}

/** Effective routes captured for the NICs in scope (or all, for a whole-estate export). */
export function routesInScope(snapshot: Snapshot, paths: readonly EgressPath[], selection: EvidenceSelection | null): readonly CapturedEffectiveRoutes[] {
  if (!selection) return snapshot.effectiveRoutes;
  const subnets = new Set(paths.filter((p) => p.source.type === 'subnet').map((p) => canonical(p.source.id)));
  const nics = new Set(paths.filter((p) => p.source.type === 'nic').map((p) => canonical(p.source.id)));
  for (const nic of snapshot.model.networkInterfaces) {
    if (nic.ipConfigurations.some((c) => c.subnetId && subnets.has(canonical(c.subnetId)))) nics.add(canonical(nic.id));
  }
  return snapshot.effectiveRoutes.filter((r) => nics.has(canonical(r.networkInterfaceId)));
}

/** Every resource ID the selected paths cite (sources, hops, via, findings), sorted, with a pseudo-ID filter. */
export function citedResourceIds(paths: readonly EgressPath[], result: ResolveResult): readonly string[] {
  const ids = new Set<string>();
  const add = (id: string): void => {
    if (id.startsWith('/')) ids.add(canonical(id));
  };
  for (const p of paths) {
    add(p.source.id);
    for (const s of p.steps) for (const id of stepResourceIds(s)) add(id);
    for (const v of p.via) add(v.id);
    for (const f of p.findings) for (const r of f.resourceIds ?? []) add(r);
  }
  for (const f of result.findings) for (const r of f.resourceIds ?? []) add(r);
  return [...ids].sort();
}

export function describeDestination(destination: string): string {
  return destination === DEFAULT_ROUTE ? 'Default route 0.0.0.0/0 (any internet destination)' : `What-if destination ${destination}`;
}

export function describeSource(source: Snapshot['metadata']['source']): string {
  switch (source) {
    case 'live-pull': return 'Live pull from Azure';
    case 'import': return 'Imported files';
    case 'demo': return 'Demo estate';
    case 'synthetic': return 'Synthetic estate';
    default: return assertNever(source);
  }
}

/** The VNet a path's source sits in, by canonical ID (subnet: its parent; NIC: its first IP configuration's subnet's parent). */
export function virtualNetworkOf(path: EgressPath, model: NetworkModel): string | null {
  if (path.source.type === 'subnet') {
    const parts = canonical(path.source.id).split('/');
    return parts.length > 2 ? parts.slice(0, -2).join('/') : null;
  }
  const subnetId = nicSubnets(model).get(canonical(path.source.id));
  return subnetId ? subnetId.split('/').slice(0, -2).join('/') : null;
}

const nicSubnetCache = new WeakMap<NetworkModel, ReadonlyMap<string, string>>();

/** NIC ID → the subnet of its first IP configuration that has one (canonical IDs), built once per model. */
export function nicSubnets(model: NetworkModel): ReadonlyMap<string, string> {
  let map = nicSubnetCache.get(model);
  if (!map) {
    const built = new Map<string, string>();
    for (const nic of model.networkInterfaces) {
      const subnetId = nic.ipConfigurations.find((c) => c.subnetId)?.subnetId;
      if (subnetId) built.set(canonical(nic.id), canonical(subnetId));
    }
    map = built;
    nicSubnetCache.set(model, map);
  }
  return map;
}

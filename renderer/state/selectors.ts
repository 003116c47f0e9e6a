/**
 * Derived views of the state: the grouped, filtered subnet list, counts, keyboard order, the
 * changed sources of a comparison and resource details. Pure functions of the state.
 */
import type { EgressPath, FindingSeverity, ResolveResult } from '../../shared/egress/types';
import { estateFindingsBySource, sourceFindings } from '../../shared/egress/source-findings';
import { nameFromResourceId } from '../../shared/model/ids';
import { effectiveTags } from '../../shared/model/tags';
import type { NetworkModel, NetworkResource } from '../../shared/model/topology';
import type { AppState } from './app-state';
import { isNetworkChange } from './compare';
import { type Badge, type BadgeKind, badgeFor } from './badges';
import { parseDestinationSpec } from '../../shared/egress/destination-spec';
import { isPublicIp, parseCidr, parseIp } from '../../shared/model/ip';
import { specialAddress } from '../../shared/egress/host-addresses';

export interface SourceEntry {
  readonly sourceId: string;
  readonly name: string;
  readonly type: 'subnet' | 'nic';
  readonly badge: Badge;
  /** Address prefixes (subnet) or private IPs (NIC), for the list's second line. */
  readonly addresses: readonly string[];
  readonly worstSeverity: FindingSeverity | null;
  readonly findingCount: number;
  /** Changed in the current comparison. */
  readonly changed: boolean;
  /** NIC exceptions nested under their subnet (empty for NICs). */
  readonly nics: readonly SourceEntry[];
}

export interface VnetGroup {
  readonly virtualNetworkId: string;
  readonly name: string;
  readonly entries: readonly SourceEntry[];
}

export interface SubscriptionGroup {
  readonly subscriptionId: string;
  readonly vnets: readonly VnetGroup[];
}

export interface SourceList {
  readonly groups: readonly SubscriptionGroup[];
  /** Displayed sources in display order (subnets, each followed by its NICs): arrow-key order. */
  readonly visibleSourceIds: readonly string[];
  readonly shownCount: number;
  readonly totalCount: number;
  /** Sources per badge kind over the whole result (filter chips show these). */
  readonly badgeCounts: ReadonlyMap<BadgeKind, number>;
  readonly severityCounts: ReadonlyMap<FindingSeverity, number>;
}

const SEVERITY_RANK: Readonly<Record<FindingSeverity, number>> = { info: 1, warning: 2, error: 3 };

export function worstSeverity(path: Pick<EgressPath, 'findings'>): FindingSeverity | null {
  let worst: FindingSeverity | null = null;
  for (const f of path.findings) {
    if (worst === null || SEVERITY_RANK[f.severity] > SEVERITY_RANK[worst]) worst = f.severity;
  }
  return worst;
}

interface ModelIndex {
  readonly byId: ReadonlyMap<string, NetworkResource>;
  /** NIC ID → subnet ID of its primary (or first) IP configuration. */
  readonly nicSubnet: ReadonlyMap<string, string>;
}

const INDEX_CACHE = new WeakMap<NetworkModel, ModelIndex>();

export function indexModel(model: NetworkModel): ModelIndex {
  const cached = INDEX_CACHE.get(model);
  if (cached) return cached;
  const byId = new Map<string, NetworkResource>();
  const nicSubnet = new Map<string, string>();
  const all: readonly (readonly NetworkResource[])[] = [
    model.virtualNetworks, model.subnets, model.routeTables, model.natGateways, model.publicIpAddresses,
    model.publicIpPrefixes, model.networkInterfaces, model.azureFirewalls, model.firewallPolicies,
    model.networkSecurityGroups, model.loadBalancers, model.virtualNetworkGateways, model.virtualHubs, model.virtualWans,
    model.ipGroups, model.privateEndpoints, model.privateDnsZones,
  ];
  for (const list of all) for (const r of list) byId.set(r.id.toLowerCase(), r);
  for (const nic of model.networkInterfaces) {
    const config = nic.ipConfigurations.find((c) => c.primary) ?? nic.ipConfigurations[0];
    if (config?.subnetId) nicSubnet.set(nic.id.toLowerCase(), config.subnetId.toLowerCase());
  }
  const index = { byId, nicSubnet };
  INDEX_CACHE.set(model, index);
  return index;
}

export function findResource(model: NetworkModel, id: string): NetworkResource | null {
  return indexModel(model).byId.get(id.toLowerCase()) ?? null;
}

function matchesSearch(path: EgressPath, badge: Badge, addresses: readonly string[], needle: string): boolean {
  if (needle === '') return true;
  const haystack = [path.source.name, badge.text, ...addresses, ...path.egressIps].join('\n').toLowerCase();
  return haystack.includes(needle);
}

function sourceAddresses(model: NetworkModel, path: EgressPath): readonly string[] {
  const r = findResource(model, path.source.id);
  if (!r) return [];
  if (r.kind === 'subnet') return r.addressPrefixes;
  if (r.kind === 'networkInterface') return r.ipConfigurations.flatMap((c) => (c.privateIpAddress ? [c.privateIpAddress] : []));
  return [];
}

function subscriptionOf(id: string): string {
  const m = /^\/subscriptions\/([^/]+)/i.exec(id);
  return m?.[1] ?? 'unknown subscription';
}

/** Subnet ID → VNet ID by cutting `/subnets/<name>` off the resource ID. */
function vnetIdOf(subnetId: string): string {
  const at = subnetId.toLowerCase().lastIndexOf('/subnets/');
  return at < 0 ? subnetId : subnetId.slice(0, at);
}

// Moved to shared/egress so compare judges a source by the findings the list shows on it.
export { estateFindingsBySource, sourceFindings } from '../../shared/egress/source-findings';

/**
 * Sources marked as changed in the list and on the graph: not those one snapshot could not see
 * (`not-captured`) or decide (`not-compared`), which are missing data, not a change in the network.
 * A NIC that follows its subnet in the shown snapshot is marked on that subnet, the entry it is in.
 */
export function changedSourceIds(state: Pick<AppState, 'compare'>): ReadonlySet<string> {
  return new Set((state.compare?.changes ?? []).filter(isNetworkChange).map((c) => (c.shownSourceId ?? c.sourceId).toLowerCase()));
}

export function buildSourceList(state: Pick<AppState, 'estate' | 'result' | 'search' | 'badgeFilter' | 'severityFilter' | 'compare'>): SourceList {
  const badgeCounts = new Map<BadgeKind, number>();
  const severityCounts = new Map<FindingSeverity, number>();
  if (!state.estate || !state.result) {
    return { groups: [], visibleSourceIds: [], shownCount: 0, totalCount: 0, badgeCounts, severityCounts };
  }
  const model = state.estate.snapshot.model;
  const index = indexModel(model);
  const changed = changedSourceIds(state);
  const needle = state.search.trim().toLowerCase();

  interface Draft { entry: SourceEntry; matches: boolean; nics: { entry: SourceEntry; matches: boolean }[] }
  const subnets = new Map<string, Draft>();
  const nicsBySubnet = new Map<string, { entry: SourceEntry; matches: boolean }[]>();

  const estateFindings = estateFindingsBySource(state.result.findings);
  for (const path of state.result.paths) {
    const badge = badgeFor(path);
    const findings = sourceFindings(path, estateFindings);
    const severity = worstSeverity({ findings });
    badgeCounts.set(badge.kind, (badgeCounts.get(badge.kind) ?? 0) + 1);
    for (const sev of new Set(findings.map((f) => f.severity))) severityCounts.set(sev, (severityCounts.get(sev) ?? 0) + 1);
    const addresses = sourceAddresses(model, path);
    const entry: SourceEntry = {
      sourceId: path.source.id,
      name: path.source.name,
      type: path.source.type,
      badge,
      addresses,
      worstSeverity: severity,
      findingCount: findings.length,
      changed: changed.has(path.source.id.toLowerCase()),
      nics: [],
    };
    const matches = matchesSearch(path, badge, addresses, needle)
      && (state.badgeFilter.length === 0 || state.badgeFilter.includes(badge.kind))
      && (state.severityFilter.length === 0 || findings.some((f) => state.severityFilter.includes(f.severity)));
    if (path.source.type === 'subnet') {
      subnets.set(path.source.id.toLowerCase(), { entry, matches, nics: [] });
    } else {
      const subnetId = index.nicSubnet.get(path.source.id.toLowerCase()) ?? `orphan:${path.source.id.toLowerCase()}`;
      const list = nicsBySubnet.get(subnetId) ?? [];
      list.push({ entry, matches });
      nicsBySubnet.set(subnetId, list);
    }
  }
  // NICs whose subnet has no path of its own are listed as top-level entries of their VNet.
  for (const [subnetId, nics] of nicsBySubnet) {
    const parent = subnets.get(subnetId);
    if (parent) parent.nics.push(...nics);
    else for (const nic of nics) subnets.set(nic.entry.sourceId.toLowerCase(), { ...nic, nics: [] });
  }

  const bySubscription = new Map<string, Map<string, { name: string; entries: SourceEntry[] }>>();
  const visibleSourceIds: string[] = [];
  let shownCount = 0;
  const sorted = [...subnets.entries()].sort(([a], [b]) => a.localeCompare(b));
  for (const [key, draft] of sorted) {
    const shownNics = draft.nics.filter((n) => n.matches).map((n) => n.entry);
    if (!draft.matches && shownNics.length === 0) continue;
    const subnetResource = index.byId.get(key);
    const vnetId = subnetResource?.kind === 'subnet' ? subnetResource.virtualNetworkId.toLowerCase() : vnetIdOf(key);
    const vnetName = index.byId.get(vnetId)?.name ?? nameFromResourceId(vnetId);
    const subscriptionId = subnetResource?.subscriptionId ?? subscriptionOf(key);
    const vnets = bySubscription.get(subscriptionId) ?? new Map<string, { name: string; entries: SourceEntry[] }>();
    bySubscription.set(subscriptionId, vnets);
    const group = vnets.get(vnetId) ?? { name: vnetName, entries: [] };
    vnets.set(vnetId, group);
    group.entries.push({ ...draft.entry, nics: shownNics });
  }
  const groups: SubscriptionGroup[] = [...bySubscription.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([subscriptionId, vnets]) => ({
      subscriptionId,
      vnets: [...vnets.entries()]
        .sort(([, a], [, b]) => a.name.localeCompare(b.name))
        .map(([virtualNetworkId, g]) => ({ virtualNetworkId, name: g.name, entries: [...g.entries].sort((a, b) => a.name.localeCompare(b.name)) })),
    }));
  for (const s of groups) for (const v of s.vnets) for (const e of v.entries) {
    visibleSourceIds.push(e.sourceId);
    shownCount++;
    for (const n of e.nics) { visibleSourceIds.push(n.sourceId); shownCount++; }
  }
  return { groups, visibleSourceIds, shownCount, totalCount: state.result.paths.length, badgeCounts, severityCounts };
}

export function selectedPath(state: Pick<AppState, 'result' | 'selectedSourceId'>): EgressPath | null {
  if (!state.result || state.selectedSourceId === null) return null;
  const id = state.selectedSourceId.toLowerCase();
  return state.result.paths.find((p) => p.source.id.toLowerCase() === id) ?? null;
}

/** The tour names lessons by subnet name; find that subnet's path. */
export function sourceIdForSubnetName(result: ResolveResult | null, subnetName: string): string | null {
  const wanted = subnetName.toLowerCase();
  const path = result?.paths.find((p) => p.source.type === 'subnet' && p.source.name.toLowerCase() === wanted);
  return path?.source.id ?? null;
}

export interface DetailRow { readonly label: string; readonly value: string }

export interface ResourceDetails {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly rows: readonly DetailRow[];
  readonly tags: readonly DetailRow[];
  /** Name of the parent whose tags are shown, when the resource has none of its own (ARM subnets carry no tags). */
  readonly tagsFrom: string | null;
}

const KIND_LABEL: Readonly<Record<NetworkResource['kind'], string>> = {
  virtualNetwork: 'Virtual network',
  subnet: 'Subnet',
  routeTable: 'Route table',
  natGateway: 'NAT gateway',
  publicIpAddress: 'Public IP address',
  publicIpPrefix: 'Public IP prefix',
  networkInterface: 'Network interface',
  azureFirewall: 'Azure Firewall',
  firewallPolicy: 'Firewall policy',
  networkSecurityGroup: 'Network security group',
  loadBalancer: 'Load balancer',
  virtualNetworkGateway: 'Virtual network gateway',
  virtualHub: 'Virtual hub',
  virtualWan: 'Virtual WAN',
  ipGroup: 'IP group',
  privateEndpoint: 'Private endpoint',
  privateDnsZone: 'Private DNS zone',
};

function addressRows(model: NetworkModel, r: NetworkResource): readonly DetailRow[] {
  const row = (label: string, values: readonly (string | null)[]): DetailRow[] => {
    const shown = values.filter((v): v is string => v !== null && v !== '');
    return shown.length === 0 ? [] : [{ label, value: shown.join(', ') }];
  };
  const publicIps = (ids: readonly string[]): (string | null)[] => ids.map((id) => {
    const pip = findResource(model, id);
    return pip?.kind === 'publicIpAddress' ? (pip.ipAddress ?? pip.name) : null;
  });
  switch (r.kind) {
    case 'virtualNetwork': return row('Address space', r.addressPrefixes);
    case 'subnet': return row('Address prefixes', r.addressPrefixes);
    case 'networkInterface': return [
      ...row('Private IPs', r.ipConfigurations.map((c) => c.privateIpAddress)),
      ...row('Public IPs', publicIps(r.ipConfigurations.flatMap((c) => (c.publicIpAddressId ? [c.publicIpAddressId] : [])))),
      ...row('IP forwarding', [r.enableIPForwarding === null ? 'not in the input' : r.enableIPForwarding ? 'enabled' : 'disabled']),
    ];
    case 'natGateway': return [...row('SKU', [r.skuName]), ...row('Public IPs', publicIps(r.publicIpAddressIds))];
    case 'publicIpAddress': return [...row('Address', [r.ipAddress]), ...row('SKU', [r.skuName])];
    case 'publicIpPrefix': return row('Prefix', [r.ipPrefix]);
    case 'azureFirewall': return [
      ...row('SKU', [`${r.skuName} ${r.skuTier}`]),
      ...row('Private IPs', [...r.ipConfigurations.map((c) => c.privateIpAddress), r.hubPrivateIpAddress]),
      ...row('Public IPs', [...publicIps(r.ipConfigurations.flatMap((c) => (c.publicIpAddressId ? [c.publicIpAddressId] : []))), ...r.hubPublicIpAddresses]),
    ];
    case 'loadBalancer': return [
      ...row('SKU', [r.skuName]),
      ...row('Frontend IPs', [...r.frontendIpConfigurations.map((f) => f.privateIpAddress), ...publicIps(r.frontendIpConfigurations.flatMap((f) => (f.publicIpAddressId ? [f.publicIpAddressId] : [])))]),
    ];
    case 'virtualNetworkGateway': return [...row('Type', [r.gatewayType, r.vpnType]), ...row('Public IPs', publicIps(r.publicIpAddressIds))];
    case 'virtualHub': return row('Address prefix', [r.addressPrefix]);
    case 'ipGroup': return row('Addresses', r.ipAddresses);
    case 'privateEndpoint': return [
      ...row('Targets', r.connections.map((c) => (c.privateLinkServiceId === null ? null : `${c.privateLinkServiceId.split('/').pop() ?? ''} (${c.groupIds.join(', ')}, ${c.status})`))),
      ...row('Private IPs', r.customDnsConfigs.flatMap((c) => c.ipAddresses)),
    ];
    case 'privateDnsZone': return row('Linked VNets', r.virtualNetworkLinks.map((l) => l.virtualNetworkId?.split('/').pop() ?? null));
    case 'routeTable': return row('Routes', r.routes.map((route) => `${route.addressPrefix} → ${route.nextHopType}${route.nextHopIpAddress ? ` ${route.nextHopIpAddress}` : ''}`));
    case 'firewallPolicy':
    case 'networkSecurityGroup':
    case 'virtualWan':
      return [];
    default: {
      const never: never = r;
      return never;
    }
  }
}

export function resourceDetails(model: NetworkModel, id: string): ResourceDetails | null {
  const r = findResource(model, id);
  if (!r) return null;
  return {
    id: r.id,
    name: r.name,
    type: KIND_LABEL[r.kind],
    rows: [
      ...(r.location ? [{ label: 'Region', value: r.location }] : []),
      { label: 'Resource group', value: r.resourceGroup },
      { label: 'Subscription', value: r.subscriptionId },
      ...addressRows(model, r),
    ],
    ...tagRows(model, r),
  };
}

function tagRows(model: NetworkModel, r: NetworkResource): Pick<ResourceDetails, 'tags' | 'tagsFrom'> {
  const { tags, inheritedFrom } = effectiveTags(r, (id) => findResource(model, id));
  return {
    tags: Object.entries(tags).sort(([a], [b]) => a.localeCompare(b)).map(([label, value]) => ({ label, value })),
    tagsFrom: inheritedFrom?.name ?? null,
  };
}

/**
 * What-if input: an IP address, a CIDR, an FQDN, a URL or a service tag, optionally with `:port`
 * and `/tcp|udp`; empty for the default route. The same parser as the CLI and the resolver.
 */
export function validateDestination(text: string): { readonly ok: true; readonly destination: string | null } | { readonly ok: false; readonly message: string } {
  const t = text.trim();
  if (t === '') return { ok: true, destination: null };
  const parsed = parseDestinationSpec(t);
  return parsed.kind === 'ok' ? { ok: true, destination: t } : { ok: false, message: parsed.message };
}

/**
 * The banner's note for the destinations Azure decides before any route (shared/egress/host-addresses.ts):
 * the host's platform addresses, multicast and broadcast. `host`: an address, or a /32 of one.
 */
function platformNote(host: string): string | null {
  const single = host.endsWith('/32') ? host.slice(0, -3) : host;
  const ip = parseIp(single);
  if (ip === null || ip.version !== 4) return null;
  const kind = specialAddress(ip);
  switch (kind) {
    case 'instance-metadata':
      return `${single} is the Azure Instance Metadata Service on each VM's host: traffic to it never leaves the host, so no route, firewall or appliance sees it ("Private (never internet)"); only an NSG rule on the AzurePlatformIMDS service tag can block it.`;
    case 'wireserver':
      return `${single} is the host node's virtual IP (Azure DNS, DHCP, the VM agent, health probes): it is not subject to routes, so no firewall or appliance sees the traffic ("Private (never internet)"); only DNS to it can be blocked, by an NSG rule on the AzurePlatformDNS service tag.`;
    case 'multicast':
    case 'limited-broadcast':
      return `${single} is a ${kind === 'multicast' ? 'multicast' : 'broadcast'} address: Azure blocks multicast and broadcast in virtual networks, so every source's traffic to it is "Dropped".`;
    case null:
      return null;
  }
}

/** What the `private` verdict means, in the words the what-if banner uses. */
export const PRIVATE_VERDICT_MEANING = '"Private (never internet)" means Azure delivers the traffic inside its own network (the virtual network, a peering or a private endpoint); it never leaves for the internet';

/**
 * The what-if banner's note when the destination is not on the internet: a private (RFC 1918,
 * RFC 6598, link-local…) address or range, or a name some sources reach privately. Null when there
 * is nothing to explain.
 */
export function whatIfPrivateNote(result: Pick<ResolveResult, 'destinationInfo' | 'paths'>): string | null {
  const info = result.destinationInfo;
  if (!info || info.kind === 'default-route') return null;
  const privateCount = result.paths.filter((p) => p.verdict === 'private').length;
  const host = info.label.replace(/:\d+\/(tcp|udp)$/i, '').replace(/\/(tcp|udp)$/i, '');
  const platform = info.kind === 'address' || info.kind === 'cidr' ? platformNote(host) : null;
  if (platform !== null) return platform;
  let nonPublic = false;
  if (info.kind === 'address') {
    const ip = parseIp(host);
    nonPublic = ip !== null && !isPublicIp(ip);
  } else if (info.kind === 'cidr') {
    const cidr = parseCidr(host);
    nonPublic = cidr !== null && cidr.version === 4 && !isPublicIp({ version: 4, value: cidr.network });
  }
  if (nonPublic) {
    return `${host} is a private (non-internet) address: traffic to it never reaches the internet. ${PRIVATE_VERDICT_MEANING}; "On-premises" means a gateway carries it to your own network; "Dropped" or "No outbound" means nothing delivers it.`;
  }
  if (privateCount > 0) {
    return `${privateCount} source${privateCount === 1 ? '' : 's'} reach ${host} privately. ${PRIVATE_VERDICT_MEANING}.`;
  }
  return null;
}

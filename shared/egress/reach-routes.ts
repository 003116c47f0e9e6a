/**
 * Routes other than the default route that may send public destinations out (reach.ts only).
 * The default route (0.0.0.0/0, TCP 443) is one what-if; a more specific route for a public prefix
 * wins over it for that prefix by longest-prefix match [UDR]
 * https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#how-azure-selects-a-route
 * so 0.0.0.0/0 → firewall with 20.1.0.0/16 → Internet sends 20.1.0.0/16 around the firewall. Reach
 * asks the engine about each such prefix as it asks about the default route: these are the
 * prefixes, per route table (the UDRs of the subnet's table, a service tag UDR by its tag) and per
 * captured effective route table (the NICs' captures, which hold routes learned over BGP), with
 * where they lead. Whether and how a prefix gets out is the engine's answer, never decided here.
 */
import { parseCidr } from '../model/ip';
import { Ipv4Set, publicIpv4 } from '../model/ip-set';
import { nameFromResourceId } from '../model/ids';
import type { ResourceId } from '../model/ids';
import type { ModelIndex } from '../model/model-index';
import type { CapturedEffectiveRoutes, RouteTable } from '../model/topology';
import { primaryIpConfiguration } from './outbound';
import type { EgressPath } from './types';

/** A route for a public prefix (or a service tag), other than 0.0.0.0/0. */
export interface DivertingRoute {
  /** As the route writes it: a CIDR, or a service tag (`AzureCloud`, `Storage.WestEurope`). */
  readonly prefix: string;
  readonly kind: 'cidr' | 'service-tag';
  /** Next hop type as written (`Internet`, `VirtualAppliance`, `VirtualNetworkGateway`, ...). */
  readonly nextHopType: string;
  /** Its next hop addresses (several for a captured ECMP route); empty when the type takes none. */
  readonly nextHopIps: readonly string[];
  /** How reach names it: `route rt-spoke/bypass: 20.1.0.0/16 → Internet`. */
  readonly label: string;
}

/**
 * Next hops that never send a packet out to a public destination: `None` drops it [UDR]; service
 * endpoint routes are listed by reach as the subnet's service endpoints; VNet and peering system
 * routes deliver inside the (peered) VNet (a captured one is the VNet's own range).
 */
const NOT_OUT = new Set(['none', 'virtualnetworkserviceendpoint', 'vnetlocal', 'vnetpeering', 'vnetglobalpeering', 'interfaceendpoint']);

/** An IPv4 prefix's addresses and length (an address alone is a /32), or null (IPv6, a service tag, malformed). */
function ipv4Block(prefix: string): { readonly addresses: Ipv4Set; readonly length: number } | null {
  const cidr = parseCidr(prefix);
  return cidr?.version === 4 ? { addresses: Ipv4Set.fromCidr(cidr), length: cidr.prefixLength } : null;
}

/** Whether a route's prefix can hold a public destination: a CIDR overlapping public IPv4 space that is not 0.0.0.0/0, or a service tag. */
function divertingPrefix(prefix: string): 'cidr' | 'service-tag' | null {
  const text = prefix.trim();
  if (text === '' || text.includes(':')) return null;
  const set = Ipv4Set.tryFromCidr(text);
  if (set) {
    const slash = text.indexOf('/');
    if (slash >= 0 && Number(text.slice(slash + 1)) === 0) return null;
    return set.overlaps(publicIpv4()) ? 'cidr' : null;
  }
  // Not an IPv4 CIDR: a service tag (UDRs may name one [UDR]); an IPv6 prefix holds a colon.
  return /^[A-Za-z][A-Za-z0-9.-]*$/.test(text) ? 'service-tag' : null;
}

function routeOf(prefix: string, nextHopType: string, nextHopIps: readonly string[], where: string): DivertingRoute | null {
  if (NOT_OUT.has(nextHopType.trim().toLowerCase())) return null;
  const kind = divertingPrefix(prefix);
  if (!kind) return null;
  const hop = nextHopIps.length > 0 ? `${nextHopType} ${nextHopIps.join(', ')}` : nextHopType;
  return { prefix: prefix.trim(), kind, nextHopType: nextHopType.trim(), nextHopIps, label: `route ${where}: ${prefix.trim()} → ${hop}` };
}

interface Cache {
  readonly byTable: Map<RouteTable, readonly DivertingRoute[]>;
  /** Subnet → the diverting routes of its NICs' captures (built once per captured route list). */
  readonly captured: WeakMap<readonly CapturedEffectiveRoutes[], ReadonlyMap<string, readonly DivertingRoute[]>>;
  readonly bySubnet: Map<string, readonly DivertingRoute[]>;
  /** Subnet → the public prefixes its routes drop (droppedPrefixes). */
  readonly droppedBySubnet: Map<string, readonly string[]>;
  /** Subnet → the public prefixes its NICs' captures drop; null until asked. */
  capturedDrops: ReadonlyMap<string, readonly string[]> | null;
}

const caches = new WeakMap<ModelIndex, WeakMap<readonly CapturedEffectiveRoutes[], Cache>>();

function cacheOf(index: ModelIndex, captured: readonly CapturedEffectiveRoutes[]): Cache {
  let byCaptures = caches.get(index);
  if (!byCaptures) {
    byCaptures = new WeakMap();
    caches.set(index, byCaptures);
  }
  let cache = byCaptures.get(captured);
  if (!cache) {
    cache = { byTable: new Map(), captured: new WeakMap(), bySubnet: new Map(), droppedBySubnet: new Map(), capturedDrops: null };
    byCaptures.set(captured, cache);
  }
  return cache;
}

function tableRoutes(cache: Cache, table: RouteTable): readonly DivertingRoute[] {
  let found = cache.byTable.get(table);
  if (!found) {
    found = table.routes.flatMap((r) => routeOf(r.addressPrefix, r.nextHopType, r.nextHopIpAddress ? [r.nextHopIpAddress] : [], `${table.name}/${r.name}`) ?? []);
    cache.byTable.set(table, found);
  }
  return found;
}

/** Per subnet: the diverting routes of the captures of its NICs (primary IP configuration there). */
function capturedRoutes(index: ModelIndex, cache: Cache, captured: readonly CapturedEffectiveRoutes[]): ReadonlyMap<string, readonly DivertingRoute[]> {
  let found = cache.captured.get(captured);
  if (found) return found;
  const out = new Map<string, DivertingRoute[]>();
  for (const capture of captured) {
    const nic = index.networkInterfaces.get(capture.networkInterfaceId);
    const subnetId = nic ? primaryIpConfiguration(nic)?.subnetId ?? null : null;
    if (!subnetId) continue;
    const list = out.get(subnetId) ?? [];
    for (const r of capture.routes) {
      if (r.state.trim().toLowerCase() === 'invalid') continue;
      const where = `captured on NIC ${nameFromResourceId(capture.networkInterfaceId)}${r.name ? ` (${r.name})` : ''}`;
      for (const prefix of r.addressPrefixes) {
        const route = routeOf(prefix, r.nextHopType, r.nextHopIpAddresses, where);
        if (route) list.push(route);
      }
    }
    out.set(subnetId, list);
  }
  found = out;
  cache.captured.set(captured, found);
  return found;
}

/** Where a route leads, comparable across a route table's UDR and a capture's route. */
function hopKey(type: string, ips: readonly string[]): string {
  return `${type.trim().toLowerCase()}|${[...ips].map((ip) => ip.trim()).sort().join(',')}`;
}

/**
 * The routes of a subnet (its route table's, its NICs' captured ones) that may send a public prefix
 * elsewhere than 0.0.0.0/0: each prefix with its next hop once. Cached per route table and capture
 * list, then per subnet.
 */
export function divertingRoutes(index: ModelIndex, captured: readonly CapturedEffectiveRoutes[], subnetId: string): readonly DivertingRoute[] {
  const cache = cacheOf(index, captured);
  let found = cache.bySubnet.get(subnetId);
  if (found) return found;
  const subnet = index.subnets.get(subnetId as ResourceId);
  const table = subnet?.routeTableId ? index.routeTables.get(subnet.routeTableId) : undefined;
  const fromTable = table ? tableRoutes(cache, table) : [];
  const fromCaptures = captured.length > 0 ? capturedRoutes(index, cache, captured).get(subnetId) ?? [] : [];
  if (fromCaptures.length === 0) found = fromTable;
  else {
    const seen = new Set<string>();
    found = [...fromTable, ...fromCaptures].filter((r) => {
      const key = `${r.prefix.toLowerCase()}|${hopKey(r.nextHopType, r.nextHopIps)}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
  cache.bySubnet.set(subnetId, found);
  return found;
}

/**
 * Whether a route leads where the default route's path went (the same next hop type and address):
 * then the default route's answer, and the rules on its way that reach lists, already speak for the
 * prefix. False when the path names no route (stopped before routing): the prefix is asked about.
 */
export function leadsLikeDefaultRoute(route: DivertingRoute, defaultRoute: EgressPath): boolean {
  const step = defaultRoute.steps.find((s) => s.kind === 'route');
  if (step?.kind !== 'route') return false;
  const hop = step.route.nextHop.kind === 'known' ? step.route.nextHop.type : step.route.nextHop.raw;
  return hopKey(hop, step.route.nextHopIpAddress ? [step.route.nextHopIpAddress] : []) === hopKey(route.nextHopType, route.nextHopIps);
}

/** Per subnet: the public prefixes its NICs' captured routes drop (built once per captured route list). */
function capturedDrops(index: ModelIndex, cache: Cache, captured: readonly CapturedEffectiveRoutes[]): ReadonlyMap<string, readonly string[]> {
  if (cache.capturedDrops !== null) return cache.capturedDrops;
  const out = new Map<string, string[]>();
  for (const capture of captured) {
    const nic = index.networkInterfaces.get(capture.networkInterfaceId);
    const subnetId = nic ? primaryIpConfiguration(nic)?.subnetId ?? null : null;
    if (!subnetId) continue;
    for (const r of capture.routes) {
      if (r.state.trim().toLowerCase() === 'invalid' || r.nextHopType.trim().toLowerCase() !== 'none') continue;
      for (const prefix of r.addressPrefixes) {
        if (divertingPrefix(prefix) === null) continue;
        const list = out.get(subnetId) ?? [];
        list.push(prefix.trim());
        out.set(subnetId, list);
      }
    }
  }
  cache.capturedDrops = out;
  return out;
}

/**
 * The public prefixes (and service tags) a subnet's routes send to next hop `None`: dropped [UDR],
 * whatever the default route does, so an "any public destination" entry excepts them. From its
 * route table and its NICs' captured routes (a captured route applies to its NIC's subnet, as the
 * engine reads it); private ranges' system `None` routes hold no public address.
 */
export function droppedPrefixes(index: ModelIndex, captured: readonly CapturedEffectiveRoutes[], subnetId: string): readonly string[] {
  const cache = cacheOf(index, captured);
  const known = cache.droppedBySubnet.get(subnetId);
  if (known) return known;
  const out = new Set<string>();
  const subnet = index.subnets.get(subnetId as ResourceId);
  const table = subnet?.routeTableId ? index.routeTables.get(subnet.routeTableId) : undefined;
  for (const r of table?.routes ?? []) {
    if (r.nextHopType.trim().toLowerCase() === 'none' && divertingPrefix(r.addressPrefix) !== null) out.add(r.addressPrefix.trim());
  }
  for (const prefix of capturedDrops(index, cache, captured).get(subnetId) ?? []) out.add(prefix);
  // Longest prefix match [UDR]: a more specific route inside a dropped prefix that leads out (30.0.0.0/8
  // → None with 30.1.0.0/16 → the firewall) takes its addresses from the drop.
  const carried = divertingRoutes(index, captured, subnetId).flatMap((r) => (r.kind === 'cidr' ? [ipv4Block(r.prefix)] : []))
    .filter((b) => b !== null);
  const found = [...out].flatMap((prefix) => {
    const dropped = ipv4Block(prefix);
    if (dropped === null) return [prefix];
    let rest = dropped.addresses;
    for (const inside of carried) {
      if (inside.length > dropped.length && inside.addresses.subtract(dropped.addresses).size() === 0) rest = rest.subtract(inside.addresses);
    }
    return rest === dropped.addresses ? [prefix] : rest.toCidrs();
  });
  cache.droppedBySubnet.set(subnetId, found);
  return found;
}

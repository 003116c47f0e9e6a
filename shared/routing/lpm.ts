/**
 * Longest-prefix match with Azure's tie rules, Batfish style: the winner and every candidate that
 * matched, each with the reason it lost, so explanations can show what was overridden and why.
 * [UDR] https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#how-azure-selects-a-route
 */
import { cidrContainsIp } from '../model/ip';
import type { Cidr } from '../model/ip';
import type { IpAddress } from '../model/ip';
import type { ComputedRoute, RouteSource, ServiceTagRouteKind } from './route';

/** What is being routed: the default route (generic internet traffic) or one address (what-if). */
export type RouteDestination =
  | { readonly kind: 'default-route' }
  | { readonly kind: 'address'; readonly ip: IpAddress };

export interface RouteCandidate {
  readonly route: ComputedRoute;
  /** Null for the winner. */
  readonly lostBecause: string | null;
}

export interface RouteLookup {
  readonly winner: ComputedRoute | null;
  /** The winner first, then the losers in preference order. */
  readonly candidates: readonly RouteCandidate[];
  /**
   * Routes that tie with the winner on every rule (same prefix, same source and tie rank) but lead
   * to another next hop. Azure spreads flows across all of them (ECMP): "Azure Route Server will
   * program multiple copies of the route, each with a different next hop ... the VM hosts will do
   * Equal-Cost Multi-Path (ECMP) routing" [RS] https://learn.microsoft.com/azure/route-server/route-server-faq
   * so the winner alone does not say where a flow goes. Empty (nearly always) when there is none.
   */
  readonly equalCost: readonly ComputedRoute[];
}

const NO_ROUTES: readonly ComputedRoute[] = Object.freeze([]);
const NO_CANDIDATES: readonly RouteCandidate[] = Object.freeze([]);

const SOURCE_RANK: Readonly<Record<RouteSource, number>> = { User: 3, VirtualNetworkGateway: 2, Default: 1 };

/** Whether a route covers the destination. For the default route only /0 routes do (see splitDefaultRoutes). */
export function routeMatches(route: ComputedRoute, destination: RouteDestination): boolean {
  if (!route.active || route.cidr === null) return false;
  if (destination.kind === 'default-route') return route.cidr.version === 4 && route.cidr.prefixLength === 0;
  return cidrContainsIp(route.cidr, destination.ip);
}

/** The longest prefix that can take part in a split default route (0.0.0.0/1 + 128.0.0.0/1 and the like). */
const SPLIT_MAX_PREFIX_LENGTH = 8;

/** First octets of /8 blocks that hold no internet destinations (RFC 1918 10/8, loopback, "this network", multicast and reserved). */
function isNonPublicSlashEight(firstOctet: number): boolean {
  return firstOctet === 0 || firstOctet === 10 || firstOctet === 127 || firstOctet >= 224;
}

/**
 * Routes longer than /0 that together cover every public /8 block: then the /0 route never
 * carries internet traffic (the longest prefix wins for every public address [UDR]), as with the
 * common 0.0.0.0/1 + 128.0.0.0/1 split some NVAs and VPN clients install. Empty when they don't.
 */
export function splitDefaultRoutes(routes: readonly ComputedRoute[]): readonly ComputedRoute[] {
  // A route set is looked up for many destinations (what-ifs, the matrix): its split is found once.
  let found = splitCache.get(routes);
  if (!found) {
    found = findSplitDefaultRoutes(routes);
    splitCache.set(routes, found);
  }
  return found;
}

const splitCache = new WeakMap<readonly ComputedRoute[], readonly ComputedRoute[]>();

function findSplitDefaultRoutes(routes: readonly ComputedRoute[]): readonly ComputedRoute[] {
  const broad = routes.filter((r) => r.active && r.cidr !== null && r.cidr.version === 4
    && r.cidr.prefixLength >= 1 && r.cidr.prefixLength <= SPLIT_MAX_PREFIX_LENGTH);
  if (broad.length === 0) return [];
  // hasBgpOverride: the UDR "overrides overlapping BGP routes regardless of LPM" [ROUTEAPI]
  // https://learn.microsoft.com/javascript/api/@azure-rest/arm-network/routepropertiesformat
  // so a BGP part of a split never carries the addresses such a UDR covers.
  const overrides = routes.filter((r) => r.active && r.source === 'User' && r.hasBgpOverride && r.cidr !== null && r.cidr.version === 4);
  const covering = new Set<ComputedRoute>();
  for (let firstOctet = 0; firstOctet < 256; firstOctet++) {
    if (isNonPublicSlashEight(firstOctet)) continue;
    const probe: IpAddress = { version: 4, value: firstOctet * 0x1000000 };
    const overridden = overrides.some((o) => o.cidr !== null && cidrContainsIp(o.cidr, probe));
    const cover = broad.filter((r) => r.cidr !== null && cidrContainsIp(r.cidr, probe) && !(overridden && r.source === 'VirtualNetworkGateway'));
    if (cover.length === 0) return [];
    for (const r of cover) covering.add(r);
  }
  // Only routes that carry public addresses (not the system None route for 10.0.0.0/8).
  return broad.filter((r) => covering.has(r));
}

function isProtectedSystemRoute(route: ComputedRoute): boolean {
  return route.source === 'Default' && route.nextHop.kind === 'known'
    && (route.nextHop.type === 'VnetLocal' || route.nextHop.type === 'VNetPeering' || route.nextHop.type === 'VirtualNetworkServiceEndpoint');
}

function isServiceEndpointRoute(route: ComputedRoute): boolean {
  return route.nextHop.kind === 'known' && route.nextHop.type === 'VirtualNetworkServiceEndpoint';
}

function prefixLength(route: ComputedRoute): number {
  return route.cidr?.prefixLength ?? -1;
}

/**
 * UDRs with exactly the same prefix [UDR]: "If there are exact prefix matches between a route with
 * an explicit IP prefix and a route with a Service Tag, then preference is given to the route with
 * the explicit prefix. If multiple routes with Service Tags have matching IP prefixes, routes are
 * evaluated in the following order: Regional tags, Top level tags, AzureCloud regional tags, The
 * AzureCloud tag."
 * https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#service-tags-for-user-defined-routes
 */
const UDR_PREFIX_RANK: Readonly<Record<ServiceTagRouteKind | 'explicit', number>> = {
  explicit: 5, regional: 4, 'top-level': 3, 'azurecloud-regional': 2, azurecloud: 1,
};

function udrPrefixRank(route: ComputedRoute): number {
  return UDR_PREFIX_RANK[route.serviceTag ?? 'explicit'];
}

/**
 * The tie rule above, for two UDRs on exactly the same prefix; 0 otherwise (then the first listed
 * wins, as before). Only reached when prefix length and source already tie: off the hot path.
 */
function compareSamePrefixUdrs(a: ComputedRoute, b: ComputedRoute): number {
  if (a.source !== 'User' || b.source !== 'User' || a.cidr === null || b.cidr === null || a.cidr.network !== b.cidr.network) return 0;
  return udrPrefixRank(b) - udrPrefixRank(a);
}

/** Standard order: longer prefix first, then User > BGP > System, then the same-prefix UDR tie rule. */
function compareRoutes(a: ComputedRoute, b: ComputedRoute): number {
  return prefixLength(b) - prefixLength(a) || SOURCE_RANK[b.source] - SOURCE_RANK[a.source] || compareSamePrefixUdrs(a, b);
}

function sameCidr(a: ComputedRoute, b: ComputedRoute): boolean {
  return a.cidr !== null && b.cidr !== null && a.cidr.version === b.cidr.version && a.cidr.network === b.cidr.network && a.cidr.prefixLength === b.cidr.prefixLength;
}

/** Whether `route` ties with `winner` (exactly the same prefix, equal under `compare`) and leads elsewhere. */
function isEqualCost(route: ComputedRoute, winner: ComputedRoute, compare: (a: ComputedRoute, b: ComputedRoute) => number): boolean {
  // Ties that leave the next hop open: one prefix learned over BGP with several next hops (ECMP:
  // several NVAs through Route Server, several gateway instances) [RS]
  // https://learn.microsoft.com/azure/route-server/route-server-faq, and two system routes on one
  // prefix (a reserved `None` range that a peered VNet's address space equals, or two peerings
  // carrying the same range), whose order Azure does not document [UDR]. Peered address spaces may
  // not overlap ("The address spaces of the peered virtual networks don't overlap"
  // https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-different-region), so such a tie means
  // the input is inconsistent, never that the first listed peering wins. A route table holds one
  // route per prefix, so user routes never tie.
  return route !== winner && route.source === winner.source && route.source !== 'User'
    && sameCidr(route, winner) && compare(route, winner) === 0 && nextHopSignature(route) !== nextHopSignature(winner);
}

/** The winner's equal-cost alternatives among `routes` (already eligible), one per next hop. */
function equalCostOf(winner: ComputedRoute, routes: readonly ComputedRoute[], compare: (a: ComputedRoute, b: ComputedRoute) => number): readonly ComputedRoute[] {
  let found: ComputedRoute[] | null = null;
  for (const r of routes) {
    if (!isEqualCost(r, winner, compare) || found?.some((f) => nextHopSignature(f) === nextHopSignature(r))) continue;
    (found ??= []).push(r);
  }
  return found ?? NO_ROUTES;
}

function whyLost(loser: ComputedRoute, winner: ComputedRoute): string {
  if (isServiceEndpointRoute(winner)) return 'service-endpoint routes cannot be overridden, not even by a route table';
  if (loser.source === 'VirtualNetworkGateway' && isProtectedSystemRoute(winner)) {
    return 'system routes for the virtual network, peerings and service endpoints beat BGP routes, even more specific ones';
  }
  if (loser.source === 'VirtualNetworkGateway' && winner.hasBgpOverride) return 'the UDR has hasBgpOverride, which beats overlapping BGP routes';
  if (prefixLength(loser) < prefixLength(winner)) return `less specific (/${prefixLength(loser)} vs /${prefixLength(winner)}): longest prefix wins`;
  if (SOURCE_RANK[loser.source] < SOURCE_RANK[winner.source]) {
    return `same prefix: a ${winner.source === 'User' ? 'user-defined' : 'BGP'} route beats a ${loser.source === 'Default' ? 'system' : 'BGP'} route`;
  }
  if (compareSamePrefixUdrs(winner, loser) < 0) {
    return winner.serviceTag === undefined
      ? `same prefix: a UDR on an explicit prefix beats one on service tag ${loser.addressPrefix}`
      : `same prefix: service tag ${winner.addressPrefix} goes before ${loser.addressPrefix} (regional tag > top-level tag > AzureCloud.<region> > AzureCloud)`;
  }
  if (isEqualCost(loser, winner, compareRoutes)) {
    return winner.source === 'Default'
      ? 'same prefix, both system routes: Azure documents no order between them'
      : 'equal cost (ECMP): same prefix and source as the route shown, to another next hop; Azure spreads flows across both';
  }
  return 'an equal route listed earlier won';
}

/** Picks the route Azure would use for the destination; `winner` is null when nothing matches. */
/** Split parts: the widest part first (then User > BGP > System), as lookupRoute orders them. */
function compareSplit(a: ComputedRoute, b: ComputedRoute): number {
  return prefixLength(a) - prefixLength(b) || SOURCE_RANK[b.source] - SOURCE_RANK[a.source] || compareSamePrefixUdrs(a, b);
}

/**
 * lookupRoute's winner (and equal-cost routes) without its candidates, in one pass and no sorting:
 * the same rules (service endpoints first; protected system routes and BGP overrides shut out
 * gateway routes; a split default route speaks for the internet) and the same tie-break, since the
 * first of equally ranked routes wins in both (Array.prototype.sort is stable).
 */
function winnerOnly(routes: readonly ComputedRoute[], destination: RouteDestination, split: readonly ComputedRoute[]): RouteLookup {
  if (split.length > 0) {
    let best: ComputedRoute | null = null;
    for (const r of split) if (best === null || compareSplit(r, best) < 0) best = r;
    return { winner: best, candidates: NO_CANDIDATES, equalCost: best === null ? NO_ROUTES : equalCostOf(best, split, compareSplit) };
  }
  let anyMatch = false;
  let serviceEndpoint = false;
  let shutOutGateway = false;
  for (const r of routes) {
    if (!routeMatches(r, destination)) continue;
    anyMatch = true;
    if (isServiceEndpointRoute(r)) serviceEndpoint = true;
    if (isProtectedSystemRoute(r) || (r.source === 'User' && r.hasBgpOverride)) shutOutGateway = true;
  }
  if (!anyMatch) return { winner: null, candidates: NO_CANDIDATES, equalCost: NO_ROUTES };
  let best: ComputedRoute | null = null;
  // Routes tying with the current best (kept only while it stays best): rare, so no list until one.
  let ties: ComputedRoute[] | null = null;
  for (const r of routes) {
    if (!routeMatches(r, destination)) continue;
    if (serviceEndpoint ? !isServiceEndpointRoute(r) : shutOutGateway && r.source === 'VirtualNetworkGateway') continue;
    if (best === null) {
      best = r;
      continue;
    }
    const order = compareRoutes(r, best);
    if (order < 0) {
      best = r;
      ties = null;
    } else if (order === 0 && isEqualCost(r, best, compareRoutes)) {
      (ties ??= []).push(r);
    }
  }
  return { winner: best, candidates: NO_CANDIDATES, equalCost: best === null || ties === null ? NO_ROUTES : equalCostOf(best, ties, compareRoutes) };
}

export function lookupRoute(routes: readonly ComputedRoute[], destination: RouteDestination, options: { readonly candidates?: boolean } = {}): RouteLookup {
  const split = destination.kind === 'default-route' ? splitDefaultRoutes(routes) : [];
  if (options.candidates === false) return winnerOnly(routes, destination, split);
  const matching = [...routes.filter((r) => routeMatches(r, destination)), ...split];
  if (matching.length === 0) return { winner: null, candidates: NO_CANDIDATES, equalCost: NO_ROUTES };
  const serviceEndpoint = matching.filter(isServiceEndpointRoute).sort(compareRoutes);
  const protectedSystem = matching.some(isProtectedSystemRoute);
  const bgpOverride = matching.some((r) => r.source === 'User' && r.hasBgpOverride);
  let eligible = matching;
  if (serviceEndpoint.length > 0) eligible = serviceEndpoint;
  else if (protectedSystem || bgpOverride) eligible = matching.filter((r) => r.source !== 'VirtualNetworkGateway');
  // In a split default route the widest part speaks for "the internet" (it carries the most
  // addresses); what-ifs inside narrower parts are decided by plain longest-prefix match.
  const ordered = split.length > 0 ? [...split].sort(compareSplit) : [...eligible].sort(compareRoutes);
  const winner = ordered[0] ?? null;
  if (!winner) return { winner: null, candidates: NO_CANDIDATES, equalCost: NO_ROUTES };
  const losers = matching.filter((r) => r !== winner).sort(compareRoutes);
  return {
    winner,
    equalCost: equalCostOf(winner, ordered, split.length > 0 ? compareSplit : compareRoutes),
    candidates: [{ route: winner, lostBecause: null }, ...losers.map((route) => ({
      route,
      lostBecause: split.length > 0 && prefixLength(route) === 0
        ? `never used for internet traffic: ${split.map((r) => r.addressPrefix).join(' + ')} together cover every public address, and the longest prefix wins`
        : split.includes(route)
          ? `the other part of the split default route: it carries ${route.addressPrefix} (ask a what-if for an address there to see that path)`
          : whyLost(route, winner),
    }))],
  };
}

/** A range destination (a CIDR, a service tag's prefixes): one route decides it, or routes split it. */
export type RangeLookup =
  | { readonly kind: 'uniform'; readonly lookup: RouteLookup }
  | { readonly kind: 'split'; readonly parts: readonly { readonly prefix: string; readonly route: ComputedRoute | null }[] };

/**
 * Where a route leads, as one comparable text: next-hop type and IP, and for a computed peering
 * route the peering itself. Two VNetPeering routes have the same type and no IP, yet lead to
 * different virtual networks: "the system adds a route for each address range within the address
 * space of each virtual network involved in the peering" [UDR]
 * https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#optional-default-routes
 * so two peerings carrying one prefix are two routes to two places, never one route listed twice.
 * (A captured route does not say which peering it belongs to: its type and IP are all there is.)
 */
function nextHopSignature(route: ComputedRoute | null): string {
  if (!route) return 'none';
  const hop = `${route.nextHop.kind === 'known' ? route.nextHop.type : route.nextHop.raw}|${route.nextHopIpAddress ?? ''}`;
  return route.origin === 'peering' ? `${hop}|${route.resourceId ?? ''}` : hop;
}

function cidrWithin(inner: Cidr, outer: Cidr): boolean {
  return inner.version === outer.version && inner.prefixLength >= outer.prefixLength
    && cidrContainsIp(outer, inner.version === 4 ? { version: 4, value: inner.network } : { version: 6, value: inner.network });
}

/**
 * Longest-prefix match for every address of a range: each prefix is decided by the route that
 * wins for its addresses, and a more specific route inside a prefix decides that part. When every
 * part leaves through the same next hop the range is uniform (the first part's lookup explains
 * it); otherwise the range is split and no single path describes it [UDR].
 */
export function lookupRange(routes: readonly ComputedRoute[], prefixes: readonly Cidr[], options: { readonly candidates?: boolean } = {}): RangeLookup {
  const parts: { prefix: string; route: ComputedRoute | null }[] = [];
  let first: RouteLookup | null = null;
  for (const prefix of prefixes) {
    const probe: IpAddress = prefix.version === 4 ? { version: 4, value: prefix.network } : { version: 6, value: prefix.network };
    const lookup = lookupRoute(routes, { kind: 'address', ip: probe }, options);
    first ??= lookup;
    const text = `${prefix.version === 4 ? ipv4Text(prefix.network) : String(prefix.network)}/${prefix.prefixLength}`;
    parts.push({ prefix: text, route: lookup.winner });
    // Routes more specific than the prefix that sit inside it decide those addresses.
    for (const inner of routes) {
      if (!inner.active || inner.cidr === null || inner.cidr.prefixLength <= prefix.prefixLength || !cidrWithin(inner.cidr, prefix)) continue;
      parts.push({ prefix: inner.addressPrefix, route: lookupRoute(routes, { kind: 'address', ip: inner.cidr.version === 4 ? { version: 4, value: inner.cidr.network } : { version: 6, value: inner.cidr.network } }, { candidates: false }).winner });
    }
  }
  const signatures = new Set(parts.map((p) => nextHopSignature(p.route)));
  if (first && signatures.size <= 1) return { kind: 'uniform', lookup: first };
  return { kind: 'split', parts };
}

function ipv4Text(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/**
 * Longest-prefix match with Azure's tie rules, Batfish style: the winner and every candidate that
 * matched, each with the reason it lost, so explanations can show what was overridden and why.
 * [UDR] https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#how-azure-selects-a-route
 */
import { cidrContainsIp } from '../model/ip';
import type { IpAddress } from '../model/ip';
import type { ComputedRoute, RouteSource } from './route';

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
}

const SOURCE_RANK: Readonly<Record<RouteSource, number>> = { User: 3, VirtualNetworkGateway: 2, Default: 1 };

/** Whether a route covers the destination. For the default route only /0 routes do. */
export function routeMatches(route: ComputedRoute, destination: RouteDestination): boolean {
  if (!route.active || route.cidr === null) return false;
  if (destination.kind === 'default-route') return route.cidr.version === 4 && route.cidr.prefixLength === 0;
  return cidrContainsIp(route.cidr, destination.ip);
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

/** Standard order: longer prefix first, then User > BGP > System. */
function compareRoutes(a: ComputedRoute, b: ComputedRoute): number {
  return prefixLength(b) - prefixLength(a) || SOURCE_RANK[b.source] - SOURCE_RANK[a.source];
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
  return 'an equal route listed earlier won';
}

/** Picks the route Azure would use for the destination; `winner` is null when nothing matches. */
export function lookupRoute(routes: readonly ComputedRoute[], destination: RouteDestination): RouteLookup {
  const matching = routes.filter((r) => routeMatches(r, destination));
  if (matching.length === 0) return { winner: null, candidates: [] };
  const serviceEndpoint = matching.filter(isServiceEndpointRoute).sort(compareRoutes);
  const protectedSystem = matching.some(isProtectedSystemRoute);
  const bgpOverride = matching.some((r) => r.source === 'User' && r.hasBgpOverride);
  let eligible = matching;
  if (serviceEndpoint.length > 0) eligible = serviceEndpoint;
  else if (protectedSystem || bgpOverride) eligible = matching.filter((r) => r.source !== 'VirtualNetworkGateway');
  const ordered = [...eligible].sort(compareRoutes);
  const winner = ordered[0] ?? null;
  if (!winner) return { winner: null, candidates: [] };
  const losers = matching.filter((r) => r !== winner).sort(compareRoutes);
  return {
    winner,
    candidates: [{ route: winner, lostBecause: null }, ...losers.map((route) => ({ route, lostBecause: whyLost(route, winner) }))],
  };
}

/**
 * One route as the resolver sees it: computed from the model (system, peering, service endpoint,
 * gateway, UDR) or taken from captured effective routes. Same shape either way, so longest-prefix
 * match and explanations do not care where a route came from.
 */
import type { Cidr } from '../model/ip';

/** Route source as Azure names it in effective routes [UDR]. Ties: User > VirtualNetworkGateway > Default. */
export type RouteSource = 'User' | 'VirtualNetworkGateway' | 'Default';

/** Next-hop types the resolver understands; anything else is kept raw and becomes `unknown`. */
export type KnownNextHopType =
  | 'VnetLocal' | 'Internet' | 'VirtualAppliance' | 'VirtualNetworkGateway' | 'None'
  | 'VNetPeering' | 'VirtualNetworkServiceEndpoint'
  /** A private endpoint's /32 (IPv6 /128) system route, in its VNet and peered VNets [PENP]. */
  | 'InterfaceEndpoint';

export type NextHop =
  | { readonly kind: 'known'; readonly type: KnownNextHopType }
  | { readonly kind: 'unknown'; readonly raw: string };

/** Where a route came from, for explanations and `verify` commands. */
export type RouteOrigin =
  | 'system'            // VnetLocal per VNet range, 0/0 Internet, reserved None ranges
  | 'peering'           // VNetPeering routes
  | 'service-endpoint'  // VirtualNetworkServiceEndpoint (per service, prefixes not modelled)
  | 'udr'               // a route in the subnet's route table
  | 'gateway'           // BGP/static routes learned by the VNet's gateway (only from captures)
  | 'default-site'      // a VPN gateway's GatewayDefaultSite forcing 0/0 on-premises [DEFSITE]
  | 'vwan-hub'          // the 0/0 a secured vWAN hub advertises to a connection [VWAN]
  | 'private-endpoint'  // a private endpoint's /32 InterfaceEndpoint route; resourceId = the endpoint [PENP]
  | 'captured';         // a route of a captured effective route table

export interface ComputedRoute {
  readonly source: RouteSource;
  readonly origin: RouteOrigin;
  /** UDR name, or a descriptive label for system routes. */
  readonly name: string;
  /** As written: a CIDR, a service tag, or a service name for service-endpoint routes. */
  readonly addressPrefix: string;
  /** Null when the prefix is not a CIDR (service tag, service endpoint): such routes never match an IP here. */
  readonly cidr: Cidr | null;
  readonly nextHop: NextHop;
  readonly nextHopIpAddress: string | null;
  readonly hasBgpOverride: boolean;
  /** The resource behind the route: route (UDR), route table, peering, hub, gateway, NIC (captured). */
  readonly resourceId: string | null;
  /** Captured `state`: only `Active` routes can win. Computed routes are always active. */
  readonly active: boolean;
  /**
   * Set on a UDR written on a service tag (one route per prefix of the tag): which kind of tag, for
   * Azure's tie rule between UDRs with exactly the same prefix (see lpm.ts). Absent on every other
   * route, explicit-prefix UDRs included [UDR]
   * https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#service-tags-for-user-defined-routes
   */
  readonly serviceTag?: ServiceTagRouteKind;
}

/**
 * The kinds of service tag a UDR may name, in Azure's order for routes with the same prefix:
 * "Regional tags (for example, Storage.EastUS ...), Top level tags (for example, Storage ...),
 * AzureCloud regional tags (...), The AzureCloud tag" [UDR].
 */
export type ServiceTagRouteKind = 'regional' | 'top-level' | 'azurecloud-regional' | 'azurecloud';

/** All routes that apply to one subnet. */
export interface RouteSet {
  /** Cache key: equal keys mean equal route sets. */
  readonly key: string;
  readonly routes: readonly ComputedRoute[];
  readonly routeTableId: string | null;
  /** Set when the routes are a captured effective route table (they override computed ones). */
  readonly capturedFromNicId: string | null;
}

const KNOWN_NEXT_HOPS: ReadonlyMap<string, KnownNextHopType> = new Map<string, KnownNextHopType>([
  ['vnetlocal', 'VnetLocal'], ['virtualnetwork', 'VnetLocal'],
  ['internet', 'Internet'],
  ['virtualappliance', 'VirtualAppliance'],
  ['virtualnetworkgateway', 'VirtualNetworkGateway'],
  ['none', 'None'],
  ['vnetpeering', 'VNetPeering'], ['virtualnetworkpeering', 'VNetPeering'], ['vnetglobalpeering', 'VNetPeering'],
  ['virtualnetworkserviceendpoint', 'VirtualNetworkServiceEndpoint'],
  ['interfaceendpoint', 'InterfaceEndpoint'],
]);

/** Narrows ARM's open next-hop string; unknown values stay visible as `{ kind: 'unknown' }`. */
export function toNextHop(raw: string): NextHop {
  const type = KNOWN_NEXT_HOPS.get(raw.trim().toLowerCase());
  return type ? { kind: 'known', type } : { kind: 'unknown', raw };
}

export function nextHopLabel(nextHop: NextHop): string {
  return nextHop.kind === 'known' ? nextHop.type : nextHop.raw;
}

export function toRouteSource(raw: string): RouteSource {
  const s = raw.trim().toLowerCase();
  if (s === 'user') return 'User';
  if (s === 'virtualnetworkgateway') return 'VirtualNetworkGateway';
  return 'Default';
}

/** `UDR default-to-fw 0.0.0.0/0 → VirtualAppliance 10.0.1.4` style summary. */
export function describeRoute(route: Pick<ComputedRoute, 'source' | 'name' | 'addressPrefix' | 'nextHop' | 'nextHopIpAddress'>): string {
  const label = route.source === 'User' ? 'UDR' : route.source === 'VirtualNetworkGateway' ? 'Gateway route' : 'System route';
  const ip = route.nextHopIpAddress ? ` ${route.nextHopIpAddress}` : '';
  const name = route.name ? ` ${route.name}` : '';
  return `${label}${name} ${route.addressPrefix} → ${nextHopLabel(route.nextHop)}${ip}`;
}

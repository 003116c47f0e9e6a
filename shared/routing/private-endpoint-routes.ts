/**
 * Private endpoint routes [PENP] https://learn.microsoft.com/azure/private-link/disable-private-endpoint-network-policy
 *
 *  - A private endpoint adds a /32 system route for its IP (next hop `InterfaceEndpoint`) to its own
 *    VNet and to the VNets peered with it; longest-prefix match then sends traffic for the endpoint
 *    straight to it, past any firewall a broader UDR points at.
 *  - A UDR "invalidates" that route only when network policies for route tables are enabled on the
 *    endpoint's subnet (`privateEndpointNetworkPolicies` `Enabled` or `RouteTableEnabled`) and the
 *    UDR's prefix is equal to or more specific than the address space of the VNet where the
 *    endpoint is provisioned: "a UDR default route (0.0.0.0/0) doesn't invalidate Private Endpoint
 *    routes" [PENP]. An invalidated route stays in the set, inactive (as effective routes show it:
 *    state Invalid), so explanations can still cite it.
 */
import { privateEndpointAddresses } from '../dns/private-endpoints';
import type { ResourceId } from '../model/ids';
import { cidrContainsIp, parseCidr, parseIp } from '../model/ip';
import type { Cidr, IpAddress } from '../model/ip';
import type { ModelIndex } from '../model/model-index';
import type { PrivateEndpoint, VirtualNetwork } from '../model/topology';
import { carriedRemotePrefixes } from './peering';
import { toNextHop } from './route';
import type { ComputedRoute } from './route';

/** Only a Connected peering carries routes [PEER]. */
function connected(state: string): boolean {
  return state === 'Connected';
}

function containsAddress(prefixes: readonly string[], ip: IpAddress): boolean {
  return prefixes.some((p) => {
    const cidr = parseCidr(p);
    return cidr !== null && cidrContainsIp(cidr, ip);
  });
}

function endpointRoute(endpoint: PrivateEndpoint, address: string, via: string | null): ComputedRoute | null {
  const ip = parseIp(address);
  if (!ip) return null;
  const addressPrefix = `${address}/${ip.version === 4 ? 32 : 128}`;
  return {
    source: 'Default', origin: 'private-endpoint', name: via === null ? `Private endpoint ${endpoint.name}` : `Private endpoint ${endpoint.name} (over peering ${via})`,
    addressPrefix, cidr: parseCidr(addressPrefix), nextHop: toNextHop('InterfaceEndpoint'), nextHopIpAddress: null, hasBgpOverride: false,
    resourceId: endpoint.id, active: true,
  };
}

/**
 * The InterfaceEndpoint routes a VNet has: one per address of each private endpoint in the VNet and
 * in each VNet it has a Connected peering with (when the peering carries that address). Not
 * transitive: a spoke does not get the routes of another spoke's endpoints through the hub.
 */
export function privateEndpointRoutes(index: ModelIndex, vnet: VirtualNetwork): ComputedRoute[] {
  const routes: ComputedRoute[] = [];
  const seen = new Set<string>();
  const add = (endpoint: PrivateEndpoint, via: { readonly name: string; readonly carried: readonly string[] | null } | null): void => {
    for (const { address } of privateEndpointAddresses(index, endpoint)) {
      const ip = parseIp(address);
      if (!ip || seen.has(address)) continue;
      // A peering carries only its remoteAddressSpace (an unsynced range is not peered) [PEERSYNC].
      if (via !== null && via.carried !== null && !containsAddress(via.carried, ip)) continue;
      const route = endpointRoute(endpoint, address, via?.name ?? null);
      if (route === null) continue;
      seen.add(address);
      routes.push(route);
    }
  };
  for (const endpoint of index.privateEndpointsByVirtualNetwork.get(vnet.id) ?? []) add(endpoint, null);
  for (const { peering } of index.peerings.get(vnet.id) ?? []) {
    if (!connected(peering.peeringState) || !peering.remoteVirtualNetworkId) continue;
    const carried = carriedRemotePrefixes(index, peering);
    for (const endpoint of index.privateEndpointsByVirtualNetwork.get(peering.remoteVirtualNetworkId) ?? []) add(endpoint, { name: peering.name, carried });
  }
  return routes;
}

/** `Enabled` (NSG and UDR) or `RouteTableEnabled`: route tables apply to the subnet's private endpoints [PENP]. */
export function routeTablePoliciesEnabled(privateEndpointNetworkPolicies: string | null): boolean {
  const value = privateEndpointNetworkPolicies?.trim().toLowerCase();
  return value === 'enabled' || value === 'routetableenabled';
}

/** The endpoint's VNet address range holding the address (its prefix length is the bar a UDR must meet). */
function endpointVnetRange(index: ModelIndex, endpoint: PrivateEndpoint, ip: IpAddress): Cidr | null {
  const subnetId = endpoint.subnetId;
  const vnet = subnetId ? index.subnetVirtualNetwork.get(subnetId) : undefined;
  for (const prefix of vnet?.addressPrefixes ?? []) {
    const cidr = parseCidr(prefix);
    if (cidr && cidrContainsIp(cidr, ip)) return cidr;
  }
  return null;
}

/**
 * `routes` with each private endpoint route that one of the subnet's `udrs` invalidates marked
 * inactive, its name saying which UDR and why. Unknown facts (the endpoint's subnet or VNet not in
 * the snapshot) leave the route active: the endpoint route is what Azure installs by default.
 */
export function applyPrivateEndpointRoutePolicies(index: ModelIndex, routes: readonly ComputedRoute[], udrs: readonly ComputedRoute[]): ComputedRoute[] {
  if (udrs.length === 0) return [...routes];
  return routes.map((route) => {
    if (route.origin !== 'private-endpoint' || !route.active || route.cidr === null || route.resourceId === null) return route;
    const endpoint = index.privateEndpoints.get(route.resourceId as ResourceId);
    const subnet = endpoint?.subnetId ? index.subnets.get(endpoint.subnetId) : undefined;
    if (!endpoint || !subnet || !routeTablePoliciesEnabled(subnet.privateEndpointNetworkPolicies)) return route;
    const ip = parseIp(route.addressPrefix.slice(0, route.addressPrefix.indexOf('/')));
    const range = ip === null ? null : endpointVnetRange(index, endpoint, ip);
    if (ip === null || range === null) return route;
    const udr = udrs.find((u) => u.active && u.cidr !== null && u.cidr.version === ip.version && u.cidr.prefixLength >= range.prefixLength && cidrContainsIp(u.cidr, ip));
    if (!udr) return route;
    return {
      ...route, active: false,
      name: `${route.name} (invalidated by UDR ${udr.name} ${udr.addressPrefix}: route-table network policies are enabled on subnet ${subnet.name}`
        + ` and the UDR is at least as specific as the endpoint's VNet range /${range.prefixLength})`,
    };
  });
}

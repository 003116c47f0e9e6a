/**
 * The default system routes every subnet has [UDR]
 * https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#system-routes
 */
import { cidrContainsCidr, cidrEquals, parseCidr } from '../model/ip';
import type { Cidr } from '../model/ip';
import { toNextHop } from './route';
import type { ComputedRoute } from './route';

const RESERVED_PREFIXES: readonly { readonly text: string; readonly cidr: Cidr }[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10']
  .map((text) => ({ text, cidr: parseCidr(text) as Cidr }));
const DEFAULT_ROUTE = parseCidr('0.0.0.0/0');

function systemRoute(addressPrefix: string, cidr: Cidr | null, nextHopType: string, name: string, resourceId: string | null): ComputedRoute {
  return {
    source: 'Default', origin: 'system', name, addressPrefix, cidr, nextHop: toNextHop(nextHopType),
    nextHopIpAddress: null, hasBgpOverride: false, resourceId, active: true,
  };
}

/**
 * VnetLocal per VNet address range, 0.0.0.0/0 → Internet, and `None` for the reserved private
 * ranges. A reserved range equal to a VNet range becomes VnetLocal; one contained in a VNet range is
 * removed (the VNet's VnetLocal route covers it) [UDR].
 */
export function buildSystemRoutes(virtualNetworkId: string, addressPrefixes: readonly string[]): ComputedRoute[] {
  const vnetCidrs = addressPrefixes.map((p) => ({ text: p, cidr: parseCidr(p) }));
  const routes: ComputedRoute[] = [];
  for (const { text, cidr } of vnetCidrs) {
    if (cidr) routes.push(systemRoute(text, cidr, 'VnetLocal', 'Virtual network', virtualNetworkId));
  }
  routes.push(systemRoute('0.0.0.0/0', DEFAULT_ROUTE, 'Internet', 'Default route to the internet', null));
  for (const { text, cidr } of RESERVED_PREFIXES) {
    const coveredByVnet = vnetCidrs.some((v) => v.cidr !== null && (cidrEquals(v.cidr, cidr) || cidrContainsCidr(v.cidr, cidr)));
    if (!coveredByVnet) routes.push(systemRoute(text, cidr, 'None', 'Reserved private range', null));
  }
  return routes;
}

/**
 * Private endpoint /32 routes and when a UDR invalidates them:
 * [PENP] https://learn.microsoft.com/azure/private-link/disable-private-endpoint-network-policy
 *   "To invalidate a Private Endpoint route, UDRs must have a prefix equal to or larger than the
 *   VNet address space where the Private Endpoint is provisioned. For example, a UDR default route
 *   (0.0.0.0/0) doesn't invalidate Private Endpoint routes. Network policies should be enabled in
 *   the subnet that hosts the private endpoint." (larger = prefix length at least the VNet's)
 * The /32 propagates to the endpoint's VNet and peered VNets [PENP][PE]
 * https://learn.microsoft.com/azure/private-link/private-endpoint-overview
 */
import { describe, expect, it } from 'vitest';
import type { ResourceId } from '../../../shared/model/ids';
import { parseIp } from '../../../shared/model/ip';
import { buildModelIndex } from '../../../shared/model/model-index';
import type { Subnet } from '../../../shared/model/topology';
import { lookupRoute } from '../../../shared/routing/lpm';
import { routeTablePoliciesEnabled } from '../../../shared/routing/private-endpoint-routes';
import { nextHopLabel, toNextHop } from '../../../shared/routing/route';
import { RouteSetBuilder } from '../../../shared/routing/subnet-routes';
import { ModelBuilder } from '../../support/model-builder';

const PE_IP = '10.0.1.4';

function hubAndSpoke(opts: { readonly policies?: string | null; readonly spokeUdrPrefix?: string; readonly peering?: 'Connected' | 'Disconnected' } = {}) {
  const b = new ModelBuilder();
  const hub = b.vnet('hub', ['10.0.0.0/16']);
  const spoke = b.vnet('spoke', ['10.1.0.0/16']);
  const other = b.vnet('other', ['10.2.0.0/16']);
  b.peer(spoke, hub, { state: opts.peering ?? 'Connected' });
  b.peer(other, spoke);
  const peSubnet = b.subnet(hub, 'pe', '10.0.1.0/24', { privateEndpointNetworkPolicies: opts.policies ?? null });
  b.subnet(hub, 'AzureFirewallSubnet', '10.0.0.0/26');
  const rt = b.routeTable('rt-spoke', [
    { name: 'default-to-fw', prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.0.4' },
    ...(opts.spokeUdrPrefix ? [{ name: 'hub-to-fw', prefix: opts.spokeUdrPrefix, nextHopType: 'VirtualAppliance', nextHopIp: '10.0.0.4' }] : []),
  ]);
  const app = b.subnet(spoke, 'app', '10.1.1.0/24', { routeTableId: rt });
  const hubApp = b.subnet(hub, 'hub-app', '10.0.2.0/24');
  const otherApp = b.subnet(other, 'other-app', '10.2.1.0/24');
  const pe = b.privateEndpoint(peSubnet, 'pe-mystg', PE_IP);
  const model = b.build();
  const index = buildModelIndex(model);
  const routes = new RouteSetBuilder(index, []);
  const subnet = (id: ResourceId): Subnet => model.subnets.find((s) => s.id === id) as Subnet;
  const winnerFor = (subnetId: ResourceId, ip = PE_IP) => {
    const address = parseIp(ip);
    if (!address) throw new Error(ip);
    return lookupRoute(routes.routesFor(subnet(subnetId)).routes, { kind: 'address', ip: address }).winner;
  };
  return { pe, app, hubApp, otherApp, routes, subnet, winnerFor };
}

describe('private endpoint /32 routes [PENP]', () => {
  it('the endpoint VNet and peered VNets get an InterfaceEndpoint /32 route to the endpoint; a VNet two peerings away does not', () => {
    const { pe, app, hubApp, otherApp, winnerFor } = hubAndSpoke();
    for (const subnetId of [hubApp, app]) {
      expect(winnerFor(subnetId)).toMatchObject({
        source: 'Default', origin: 'private-endpoint', addressPrefix: '10.0.1.4/32', nextHop: { kind: 'known', type: 'InterfaceEndpoint' }, resourceId: pe, active: true,
      });
    }
    // Peering is not transitive: `other` peers with the spoke, not the hub.
    expect(winnerFor(otherApp)?.origin).not.toBe('private-endpoint');
  });

  it('a Disconnected peering carries no endpoint route', () => {
    const { app, winnerFor } = hubAndSpoke({ peering: 'Disconnected' });
    // Only the reserved-range system route (10.0.0.0/8 → None) is left for the address.
    expect(winnerFor(app)).toMatchObject({ origin: 'system', addressPrefix: '10.0.0.0/8' });
  });

  it('the /32 wins over a 0.0.0.0/0 UDR to the firewall, even with network policies enabled (0/0 never invalidates it)', () => {
    for (const policies of [null, 'Disabled', 'Enabled', 'RouteTableEnabled']) {
      const { app, winnerFor } = hubAndSpoke({ policies });
      expect(winnerFor(app)).toMatchObject({ origin: 'private-endpoint', nextHop: { type: 'InterfaceEndpoint' } });
      // Internet-bound traffic still takes the UDR.
      expect(winnerFor(app, '20.1.2.3')).toMatchObject({ origin: 'udr', name: 'default-to-fw' });
    }
  });

  it('a UDR as specific as the endpoint VNet space (10.0.0.0/16) overrides the /32 only with route-table network policies on the endpoint subnet', () => {
    const disabled = hubAndSpoke({ policies: 'Disabled', spokeUdrPrefix: '10.0.0.0/16' });
    expect(disabled.winnerFor(disabled.app)).toMatchObject({ origin: 'private-endpoint' });
    const nsgOnly = hubAndSpoke({ policies: 'NetworkSecurityGroupEnabled', spokeUdrPrefix: '10.0.0.0/16' });
    expect(nsgOnly.winnerFor(nsgOnly.app)).toMatchObject({ origin: 'private-endpoint' });
    for (const policies of ['Enabled', 'RouteTableEnabled']) {
      const enabled = hubAndSpoke({ policies, spokeUdrPrefix: '10.0.0.0/16' });
      expect(enabled.winnerFor(enabled.app)).toMatchObject({ origin: 'udr', name: 'hub-to-fw', nextHopIpAddress: '10.0.0.4' });
      const invalidated = enabled.routes.routesFor(enabled.subnet(enabled.app)).routes.find((r) => r.origin === 'private-endpoint');
      expect(invalidated).toMatchObject({ active: false, addressPrefix: '10.0.1.4/32' });
      expect(invalidated?.name).toContain('invalidated by UDR hub-to-fw 10.0.0.0/16');
      // A subnet without that UDR (the hub's own) keeps the route.
      expect(enabled.winnerFor(enabled.hubApp)).toMatchObject({ origin: 'private-endpoint', active: true });
    }
  });

  it('a more specific UDR (10.0.1.0/24) also invalidates it; a broader one (10.0.0.0/8) does not', () => {
    const specific = hubAndSpoke({ policies: 'Enabled', spokeUdrPrefix: '10.0.1.0/24' });
    expect(specific.winnerFor(specific.app)).toMatchObject({ origin: 'udr', name: 'hub-to-fw' });
    const broad = hubAndSpoke({ policies: 'Enabled', spokeUdrPrefix: '10.0.0.0/8' });
    expect(broad.winnerFor(broad.app)).toMatchObject({ origin: 'private-endpoint' });
  });

  it('an endpoint known only from its static ipConfigurations still gets its route', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.5.0.0/16']);
    const s = b.subnet(v, 'pe', '10.5.1.0/24');
    const app = b.subnet(v, 'app', '10.5.2.0/24');
    const pe = b.privateEndpoint(s, 'pe-kv', '10.5.1.8', { withNic: false, groupIds: ['vault'] });
    const model = b.build();
    const set = new RouteSetBuilder(buildModelIndex(model), []).routesFor(model.subnets.find((x) => x.id === app) as Subnet);
    expect(set.routes.filter((r) => r.origin === 'private-endpoint').map((r) => `${r.addressPrefix} ${nextHopLabel(r.nextHop)} ${r.resourceId ?? ''}`))
      .toEqual([`10.5.1.8/32 InterfaceEndpoint ${pe}`]);
  });

  it('InterfaceEndpoint is a known next hop (effective routes show it for endpoint /32s)', () => {
    expect(toNextHop('InterfaceEndpoint')).toEqual({ kind: 'known', type: 'InterfaceEndpoint' });
    expect(toNextHop('interfaceendpoint')).toEqual({ kind: 'known', type: 'InterfaceEndpoint' });
  });

  it('reads privateEndpointNetworkPolicies in any casing', () => {
    expect(['Enabled', 'routetableenabled', ' RouteTableEnabled '].map(routeTablePoliciesEnabled)).toEqual([true, true, true]);
    expect(['Disabled', 'NetworkSecurityGroupEnabled', null].map(routeTablePoliciesEnabled)).toEqual([false, false, false]);
  });
});

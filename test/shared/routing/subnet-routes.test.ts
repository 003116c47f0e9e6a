import { describe, expect, it } from 'vitest';
import type { ResourceId } from '../../../shared/model/ids';
import { buildModelIndex } from '../../../shared/model/model-index';
import type { Subnet } from '../../../shared/model/topology';
import { nextHopLabel } from '../../../shared/routing/route';
import { RouteSetBuilder } from '../../../shared/routing/subnet-routes';
import { effectiveRoute, ModelBuilder } from '../../support/model-builder';

function routesOf(b: ModelBuilder, subnetId: ResourceId, captured: ConstructorParameters<typeof RouteSetBuilder>[1] = []) {
  const model = b.build();
  const builder = new RouteSetBuilder(buildModelIndex(model), captured);
  const subnet = model.subnets.find((s) => s.id === subnetId) as Subnet;
  const set = builder.routesFor(subnet);
  return { set, builder, subnet, lines: set.routes.map((r) => `${r.source} ${r.origin} ${r.addressPrefix} ${nextHopLabel(r.nextHop)}${r.nextHopIpAddress ? ` ${r.nextHopIpAddress}` : ''}${r.active ? '' : ' (invalid)'}`) };
}

const SYSTEM = ['Default system 0.0.0.0/0 Internet', 'Default system 10.0.0.0/8 None', 'Default system 172.16.0.0/12 None', 'Default system 192.168.0.0/16 None', 'Default system 100.64.0.0/10 None'];

describe('RouteSetBuilder', () => {
  it('adds peering routes for Connected peerings only (remote VNet prefixes, or the peering\'s prefixes when out of scope)', () => {
    const b = new ModelBuilder();
    const a = b.vnet('a', ['192.168.1.0/24']);
    const c = b.vnet('c', ['192.168.2.0/24']);
    const d = b.vnet('d', ['192.168.3.0/24']);
    b.peer(a, c);
    b.peer(a, d, { state: 'Disconnected' });
    b.peerOutOfScope(a, '/subscriptions/other/resourcegroups/rg/providers/microsoft.network/virtualnetworks/far' as ResourceId, ['172.31.0.0/16']);
    const s = b.subnet(a, 's', '192.168.1.0/25');
    expect(routesOf(b, s).lines).toEqual([
      'Default system 192.168.1.0/24 VnetLocal', ...SYSTEM,
      'Default peering 192.168.2.0/24 VNetPeering', 'Default peering 172.31.0.0/16 VNetPeering',
    ]);
  });

  it('lists service-endpoint routes by service name, then UDRs; a service-tag UDR becomes one not-modelled gap per table', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['192.168.0.0/24']);
    const rt = b.routeTable('rt', [{ name: 'tag', prefix: 'AzureCloud.westeurope', nextHopType: 'Internet' }, { name: 'tag2', prefix: 'Storage', nextHopType: 'Internet' }, { name: 'fw', prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '192.168.0.4' }]);
    const s = b.subnet(v, 's', '192.168.0.0/25', { routeTableId: rt, serviceEndpoints: [{ service: 'Microsoft.Storage', locations: [] }] });
    const { lines, builder } = routesOf(b, s);
    expect(lines.slice(-4)).toEqual([
      'Default service-endpoint Microsoft.Storage VirtualNetworkServiceEndpoint',
      'User udr AzureCloud.westeurope Internet', 'User udr Storage Internet', 'User udr 0.0.0.0/0 VirtualAppliance 192.168.0.4',
    ]);
    expect(builder.gaps.map((g) => [g.code, g.scope])).toEqual([['not-modelled', rt]]);
  });

  it('shares gateway routes learned in one captured subnet with the VNet\'s other subnets, unless propagation is disabled', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['192.168.0.0/16']);
    b.gateway('vpn', v);
    const captured = b.subnet(v, 'captured', '192.168.1.0/24');
    const nic = b.nic(captured, 'nic', '192.168.1.4');
    const plain = b.subnet(v, 'plain', '192.168.2.0/24');
    const isolated = b.subnet(v, 'isolated', '192.168.3.0/24', { routeTableId: b.routeTable('rt', [], { disableBgpRoutePropagation: true }) });
    const effectiveRoutes = [{ networkInterfaceId: nic, routes: [
      effectiveRoute('192.168.0.0/16', 'VnetLocal'),
      effectiveRoute('0.0.0.0/0', 'Internet', { state: 'Invalid' }),
      effectiveRoute('0.0.0.0/0', 'VirtualNetworkGateway', { source: 'VirtualNetworkGateway', nextHopIpAddresses: ['192.168.255.4'] }),
    ] }];
    expect(routesOf(b, plain, effectiveRoutes).lines.at(-1)).toBe('VirtualNetworkGateway gateway 0.0.0.0/0 VirtualNetworkGateway 192.168.255.4');
    expect(routesOf(b, isolated, effectiveRoutes).lines.some((l) => l.startsWith('VirtualNetworkGateway'))).toBe(false);
    const own = routesOf(b, captured, effectiveRoutes);
    expect(own.set.capturedFromNicId).toBe(nic);
    expect(own.lines).toEqual([
      'Default captured 192.168.0.0/16 VnetLocal', 'Default captured 0.0.0.0/0 Internet (invalid)', 'VirtualNetworkGateway captured 0.0.0.0/0 VirtualNetworkGateway 192.168.255.4',
    ]);
  });

  it('shares a learned route the captured subnet shows Invalid (its own UDR beat it there), but nothing from a capture taken with propagation off', () => {
    // "The state of this route is still Active for all other subnets"
    // https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#routing-example
    const b = new ModelBuilder();
    const v = b.vnet('v', ['192.168.0.0/16']);
    b.gateway('er', v, { type: 'ExpressRoute' });
    const captured = b.subnet(v, 'captured', '192.168.1.0/24', { routeTableId: b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '192.168.9.4' }]) });
    const nic = b.nic(captured, 'nic', '192.168.1.4');
    const plain = b.subnet(v, 'plain', '192.168.2.0/24');
    const routes = (off: boolean) => [{ networkInterfaceId: nic, routes: [
      effectiveRoute('192.168.0.0/16', 'VnetLocal', { disableBgpRoutePropagation: off }),
      effectiveRoute('0.0.0.0/0', 'VirtualNetworkGateway', { source: 'VirtualNetworkGateway', state: 'Invalid', nextHopIpAddresses: ['192.168.255.4', '192.168.255.5'], disableBgpRoutePropagation: off }),
      effectiveRoute('0.0.0.0/0', 'VirtualAppliance', { source: 'User', nextHopIpAddresses: ['192.168.9.4'], disableBgpRoutePropagation: off }),
    ] }];
    // One route per next-hop IP (equal cost), both active in the other subnet.
    expect(routesOf(b, plain, routes(false)).lines.slice(-2)).toEqual([
      'VirtualNetworkGateway gateway 0.0.0.0/0 VirtualNetworkGateway 192.168.255.4', 'VirtualNetworkGateway gateway 0.0.0.0/0 VirtualNetworkGateway 192.168.255.5',
    ]);
    // With propagation off the capture cannot show learned routes: the other subnet's stay unknown.
    const off = routesOf(b, plain, routes(true));
    expect(off.lines.some((l) => l.startsWith('VirtualNetworkGateway'))).toBe(false);
    expect(off.builder.unknownLearnedRoutes(off.subnet)?.name).toBe('er');
  });

  it('a vWAN spoke\'s capture speaks for its own VNet only: the hub gives each connection its own routes', () => {
    const b = new ModelBuilder();
    const a = b.vnet('a', ['192.168.0.0/24']);
    const c = b.vnet('c', ['192.168.1.0/24']);
    b.virtualHub('hub', { connections: [{ vnetId: a, enableInternetSecurity: true }, { vnetId: c, enableInternetSecurity: false }] });
    const nic = b.nic(b.subnet(a, 's', '192.168.0.0/25'), 'nic', '192.168.0.4');
    const sibling = b.subnet(a, 'sibling', '192.168.0.128/25');
    const other = b.subnet(c, 's', '192.168.1.0/25');
    const effectiveRoutes = [{ networkInterfaceId: nic, routes: [effectiveRoute('0.0.0.0/0', 'VirtualNetworkGateway', { source: 'VirtualNetworkGateway', nextHopIpAddresses: ['10.100.0.4'] })] }];
    expect(routesOf(b, sibling, effectiveRoutes).lines.at(-1)).toBe('VirtualNetworkGateway gateway 0.0.0.0/0 VirtualNetworkGateway 10.100.0.4');
    expect(routesOf(b, other, effectiveRoutes).lines.some((l) => l.startsWith('VirtualNetworkGateway'))).toBe(false);
  });

  it('a NIC with its own capture gets it; the subnet gets the lowest NIC ID\'s, and every capture is listed', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['192.168.0.0/24']), 's', '192.168.0.0/25');
    const first = b.nic(s, 'a-nic', '192.168.0.4');
    const second = b.nic(s, 'b-nic', '192.168.0.5');
    const model = b.build();
    const builder = new RouteSetBuilder(buildModelIndex(model), [
      { networkInterfaceId: second, routes: [effectiveRoute('0.0.0.0/0', 'None')] }, { networkInterfaceId: first, routes: [effectiveRoute('0.0.0.0/0', 'Internet')] },
    ]);
    const subnet = model.subnets.find((x) => x.id === s) as Subnet;
    const nicOf = (id: ResourceId) => model.networkInterfaces.find((n) => n.id === id) ?? null;
    expect(builder.routesFor(subnet).capturedFromNicId).toBe(first);
    expect(builder.routesFor(subnet, nicOf(second)).capturedFromNicId).toBe(second);
    expect(builder.capturedRouteSetsOf(subnet).map((x) => x.capturedFromNicId)).toEqual([first, second]);
    expect(builder.gaps.map((g) => [g.code, g.scope])).toEqual([['not-modelled', s]]);
  });

  it('adds the GatewayDefaultSite 0/0 to subnets of the gateway VNet and of spokes using its gateway', () => {
    const b = new ModelBuilder();
    const hub = b.vnet('hub', ['192.168.0.0/24']);
    const spoke = b.vnet('spoke', ['192.168.1.0/24']);
    b.peer(spoke, hub, { useRemoteGateways: true });
    b.gateway('vpn', hub, { defaultSiteId: '/lng/hq' as ResourceId });
    const s = b.subnet(spoke, 's', '192.168.1.0/25');
    expect(routesOf(b, s).lines.at(-1)).toBe('VirtualNetworkGateway default-site 0.0.0.0/0 VirtualNetworkGateway');
  });

  it('adds the vWAN hub 0/0 only for connections with enableInternetSecurity and a hub Internet routing policy', () => {
    const b = new ModelBuilder();
    const on = b.vnet('on', ['192.168.0.0/24']);
    const off = b.vnet('off', ['192.168.1.0/24']);
    b.virtualHub('hub', { internetPolicy: true, connections: [{ vnetId: on, enableInternetSecurity: true }, { vnetId: off, enableInternetSecurity: false }] });
    const sOn = b.subnet(on, 's', '192.168.0.0/25');
    const sOff = b.subnet(off, 's', '192.168.1.0/25');
    expect(routesOf(b, sOn).lines.at(-1)).toBe('VirtualNetworkGateway vwan-hub 0.0.0.0/0 VirtualNetworkGateway');
    expect(routesOf(b, sOff).lines).toEqual(['Default system 192.168.1.0/24 VnetLocal', ...SYSTEM]);
  });

  it('caches route sets by signature: subnets with the same VNet, route table and endpoints share one', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['192.168.0.0/16']);
    const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'None' }]);
    const s1 = b.subnet(v, 's1', '192.168.1.0/24', { routeTableId: rt });
    const s2 = b.subnet(v, 's2', '192.168.2.0/24', { routeTableId: rt });
    const s3 = b.subnet(v, 's3', '192.168.3.0/24');
    const model = b.build();
    const builder = new RouteSetBuilder(buildModelIndex(model), []);
    const [a, c, d] = [s1, s2, s3].map((id) => builder.routesFor(model.subnets.find((s) => s.id === id) as Subnet));
    expect(a).toBe(c);
    expect(a).not.toBe(d);
  });

  it('reports captured routes of a NIC that is not in the model as a gap and ignores them', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['192.168.0.0/24']), 's', '192.168.0.0/25');
    const { builder, set } = routesOf(b, s, [{ networkInterfaceId: '/nic/ghost' as ResourceId, routes: [effectiveRoute('0.0.0.0/0', 'None')] }]);
    expect(set.capturedFromNicId).toBeNull();
    expect(builder.gaps.map((g) => g.code)).toEqual(['missing-reference']);
  });
});

describe('gateway transit', () => {
  it('a spoke with useRemoteGateways gets no gateway routes when the hub side does not allow gateway transit', () => {
    const b = new ModelBuilder();
    const hub = b.vnet('hub', ['192.168.0.0/24']);
    const spoke = b.vnet('spoke', ['192.168.1.0/24']);
    b.peer(spoke, hub, { useRemoteGateways: true });
    b.gateway('vpn', hub, { defaultSiteId: '/lng/hq' as ResourceId });
    const s = b.subnet(spoke, 's', '192.168.1.0/25');
    const model = b.build();
    const hubVnet = model.virtualNetworks.find((v) => v.id === hub);
    const noTransit = { ...model, virtualNetworks: model.virtualNetworks.map((v) => (v === hubVnet ? { ...v, peerings: v.peerings.map((p) => ({ ...p, allowGatewayTransit: false })) } : v)) };
    const subnet = model.subnets.find((x) => x.id === s) as Subnet;
    const lines = (m: typeof model) => new RouteSetBuilder(buildModelIndex(m), []).routesFor(subnet).routes.map((r) => r.origin);
    expect(lines(model)).toContain('default-site');
    expect(lines(noTransit)).not.toContain('default-site');
  });
});

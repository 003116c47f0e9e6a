/**
 * Routes learned over BGP are not in the configuration: with a BGP gateway in a subnet's gateway
 * domain and no captured effective routes there, on-premises may advertise 0.0.0.0/0 (forced
 * tunnelling, common over ExpressRoute), which beats the system default route [UDR][S2SFT][ERROUTE].
 * The engine must then say `unknown` and name the missing fact, never "internet".
 */
import { describe, expect, it } from 'vitest';
import { explainPath } from '../../../shared/egress/explain';
import { resolveMatrix, parseDestinationList } from '../../../shared/egress/matrix';
import type { ResourceId } from '../../../shared/model/ids';
import type { NetworkModel } from '../../../shared/model/topology';
import { effectiveRoute, ModelBuilder } from '../../support/model-builder';
import { pathOf, resolve, summary } from './support';

function hubAndSpoke(opts: { readonly gatewayType?: 'ExpressRoute' | 'Vpn'; readonly enableBgp?: boolean; readonly spokeRoutes?: 'none' | 'udr-internet' | 'no-propagation' } = {}) {
  const b = new ModelBuilder();
  const hub = b.vnet('hub', ['10.0.0.0/22']);
  b.subnet(hub, 'GatewaySubnet', '10.0.1.0/27');
  const gateway = b.gateway('gw-hub', hub, { type: opts.gatewayType ?? 'ExpressRoute', ...(opts.enableBgp === undefined ? {} : { enableBgp: opts.enableBgp }) });
  const shared = b.subnet(hub, 'snet-shared', '10.0.2.0/24');
  const sharedNic = b.nic(shared, 'vm-shared-nic', '10.0.2.4');
  const spoke = b.vnet('spoke', ['10.1.0.0/22']);
  const routeTableId = opts.spokeRoutes === 'udr-internet' ? b.routeTable('rt-spoke', [{ name: 'internet', prefix: '0.0.0.0/0', nextHopType: 'Internet' }])
    : opts.spokeRoutes === 'no-propagation' ? b.routeTable('rt-spoke', [], { disableBgpRoutePropagation: true }) : undefined;
  const app = b.subnet(spoke, 'snet-app', '10.1.0.0/24', routeTableId === undefined ? {} : { routeTableId });
  b.peer(spoke, hub, { useRemoteGateways: true });
  return { model: b.build(), hub, gateway, shared, sharedNic, app };
}

describe('BGP-learned routes that are not in the input', () => {
  it('an ExpressRoute gateway and no capture: the spoke (gateway transit) and the hub subnet are unknown, with a gap naming the gateway', () => {
    const { model, gateway, shared, app } = hubAndSpoke();
    const result = resolve(model);
    for (const id of [app, shared]) {
      const path = pathOf(result, id);
      expect(summary(path)).toMatchObject({ verdict: 'unknown', exit: null, egressIps: [] });
      const last = explainPath(path).at(-1);
      expect(last?.rule).toBe('Unknown: Routes learned over BGP through gw-hub');
      expect(last?.explanation).toContain('whether on-premises advertises 0.0.0.0/0 over BGP through gw-hub');
      expect(last?.docs).toBe('https://learn.microsoft.com/azure/expressroute/expressroute-routing');
      // The evidence to fetch: what the gateway learned.
      expect(last?.verify).toBe("az network vnet-gateway list-learned-routes -n 'gw-hub' -g 'rg-net' -o table");
    }
    expect(result.gaps).toContainEqual(expect.objectContaining({ code: 'not-modelled', scope: gateway, message: expect.stringContaining('Routes learned over BGP through gw-hub are not in the input') }));
  });

  it('a capture anywhere in the gateway domain makes the learned routes known: no 0/0 learned, the system route decides', () => {
    const { model, shared, sharedNic, app } = hubAndSpoke();
    // What a pull captures from one running VM: the data centre is learned, no default route.
    const effectiveRoutes = [{
      networkInterfaceId: sharedNic,
      routes: [effectiveRoute('10.0.0.0/22', 'VnetLocal'), effectiveRoute('10.1.0.0/22', 'VNetPeering'), effectiveRoute('0.0.0.0/0', 'Internet'),
        effectiveRoute('172.20.0.0/16', 'VirtualNetworkGateway', { source: 'VirtualNetworkGateway', nextHopIpAddresses: ['10.0.1.4'] })],
    }];
    const result = resolve(model, {}, { effectiveRoutes });
    expect(summary(pathOf(result, app))).toMatchObject({ verdict: 'internet', exit: 'default-outbound' });
    expect(summary(pathOf(result, shared))).toMatchObject({ verdict: 'internet', exit: 'default-outbound' });
    expect(result.gaps.filter((g) => g.code === 'not-modelled')).toEqual([]);
    // …and a learned 0/0 in the capture sends the spoke on-premises.
    const tunnel = [{ ...effectiveRoutes[0], networkInterfaceId: sharedNic, routes: [...(effectiveRoutes[0]?.routes ?? []),
      effectiveRoute('0.0.0.0/0', 'VirtualNetworkGateway', { source: 'VirtualNetworkGateway', nextHopIpAddresses: ['10.0.1.4'] })] }];
    expect(pathOf(resolve(model, {}, { effectiveRoutes: tunnel }), app).verdict).toBe('on-premises');
  });

  it('a 0/0 UDR (user beats BGP for the same prefix) or propagation turned off decides it without a capture', () => {
    for (const spokeRoutes of ['udr-internet', 'no-propagation'] as const) {
      const { model, app } = hubAndSpoke({ spokeRoutes });
      const result = resolve(model);
      expect(summary(pathOf(result, app))).toMatchObject({ verdict: 'internet', exit: 'default-outbound' });
    }
  });

  it('a what-if behind a UDR is decided, and the gap says a more specific learned prefix is not known', () => {
    const { model, app, gateway } = hubAndSpoke({ spokeRoutes: 'udr-internet' });
    const result = resolve(model, { destination: '8.8.8.8' });
    expect(pathOf(result, app).verdict).toBe('internet');
    expect(result.gaps).toContainEqual(expect.objectContaining({ code: 'not-modelled', scope: gateway, message: expect.stringContaining('and a more specific prefix, traffic to it') }));
    // The default-route question: the UDR beats any learned 0/0, so only the hub subnet (no UDR) is left unknown.
    const whole = resolve(model);
    expect(pathOf(whole, app).verdict).toBe('internet');
    expect(whole.gaps.find((g) => g.scope === gateway)?.message).toBeDefined();
  });

  it('a VPN gateway with static routing (no BGP) learns no default route: decided; with BGP on, unknown', () => {
    expect(pathOf(resolve(hubAndSpoke({ gatewayType: 'Vpn', enableBgp: false }).model), hubAndSpoke().app).verdict).toBe('internet');
    expect(pathOf(resolve(hubAndSpoke({ gatewayType: 'Vpn', enableBgp: true }).model), hubAndSpoke().app).verdict).toBe('unknown');
  });

  it('gateway transit to a hub that is not in the input: its gateway is not known either', () => {
    const { model, hub, app } = hubAndSpoke();
    const spokeOnly: NetworkModel = {
      ...model,
      virtualNetworks: model.virtualNetworks.filter((v) => v.id !== hub),
      subnets: model.subnets.filter((s) => s.virtualNetworkId !== hub),
      virtualNetworkGateways: [],
      networkInterfaces: [],
    };
    const result = resolve(spokeOnly);
    expect(pathOf(result, app).verdict).toBe('unknown');
    expect(result.gaps).toContainEqual(expect.objectContaining({ code: 'not-modelled', scope: hub as ResourceId, message: expect.stringContaining('the gateway of hub (not in the input)') }));
  });

  it('the destinations matrix says unknown where resolve does', () => {
    const { model, app } = hubAndSpoke();
    const input = { model, effectiveRoutes: [], metrics: [], gaps: [] };
    const matrix = resolveMatrix(input, parseDestinationList('8.8.8.8\napi.stripe.com\n', 'list.txt'), { resolve: { 'api.stripe.com': '54.187.174.169' } });
    const row = matrix.rows.find((r) => r.source.id === app);
    expect(row?.results.map((c) => c.verdict)).toEqual(['unknown', 'unknown']);
    expect(pathOf(resolve(model, { destination: '8.8.8.8' }), app).verdict).toBe('unknown');
  });

  it('Azure Route Server: the routes NVAs advertise to it are not known either, in its VNet and in spokes that use it', () => {
    const b = new ModelBuilder();
    const hub = b.vnet('hub', ['10.0.0.0/22']);
    const routeServer = b.subnet(hub, 'RouteServerSubnet', '10.0.1.0/27');
    const local = b.subnet(hub, 'snet-local', '10.0.2.0/24');
    const localNic = b.nic(local, 'vm-local-nic', '10.0.2.4');
    const result = resolve(b.build());
    expect(pathOf(result, local).verdict).toBe('unknown');
    expect(explainPath(pathOf(result, local)).at(-1)?.rule).toBe('Unknown: Routes learned over BGP through the Azure Route Server of hub');
    expect(result.gaps).toContainEqual(expect.objectContaining({ code: 'not-modelled', scope: routeServer }));
    // The subnet's own capture decides it.
    const effectiveRoutes = [{ networkInterfaceId: localNic, routes: [effectiveRoute('10.0.0.0/22', 'VnetLocal'), effectiveRoute('0.0.0.0/0', 'Internet')] }];
    expect(pathOf(resolve(b.build(), {}, { effectiveRoutes }), local).verdict).toBe('internet');
    // A spoke that uses the hub's Route Server (gateway transit) is unknown too.
    const spoke = b.vnet('spoke', ['10.1.0.0/22']);
    const app = b.subnet(spoke, 'snet-app', '10.1.0.0/24');
    b.peer(spoke, hub, { useRemoteGateways: true });
    expect(pathOf(resolve(b.build()), app).verdict).toBe('unknown');
  });

  it('a what-if to an on-premises range: the system None route for 172.16.0.0/12 loses to a learned route, so without a capture it is unknown', () => {
    const { model, app, sharedNic } = hubAndSpoke();
    const path = pathOf(resolve(model, { destination: '172.20.1.10' }), app);
    expect(path.verdict).toBe('unknown');
    expect(explainPath(path).at(-1)?.explanation).toContain('whether a route for 172.20.1.10 is learned over BGP through gw-hub');
    // With the capture, the learned 172.20.0.0/16 decides: on-premises through the gateway.
    const effectiveRoutes = [{
      networkInterfaceId: sharedNic,
      routes: [effectiveRoute('10.0.0.0/22', 'VnetLocal'), effectiveRoute('0.0.0.0/0', 'Internet'), effectiveRoute('172.16.0.0/12', 'None'),
        effectiveRoute('172.20.0.0/16', 'VirtualNetworkGateway', { source: 'VirtualNetworkGateway', nextHopIpAddresses: ['10.0.1.4'] })],
    }];
    expect(pathOf(resolve(model, { destination: '172.20.1.10' }, { effectiveRoutes }), app).verdict).toBe('on-premises');
    // Inside the VNet: its own system route beats every learned route [UDR], decided without a capture.
    expect(pathOf(resolve(model, { destination: '10.1.0.10' }), app).verdict).toBe('private');
  });

  it('a hub firewall whose subnet learns over BGP without a 0/0 → Internet UDR: unknown, and a warning to add the UDR', () => {
    const b = new ModelBuilder();
    const hub = b.vnet('hub', ['10.0.0.0/22']);
    b.subnet(hub, 'GatewaySubnet', '10.0.1.0/27');
    b.gateway('gw-hub', hub, { type: 'ExpressRoute' });
    const firewallSubnet = b.subnet(hub, 'AzureFirewallSubnet', '10.0.0.0/26');
    const firewall = b.firewall('afw', { subnetId: firewallSubnet, privateIp: '10.0.0.4', publicIpIds: [b.publicIp('afw-pip', '20.0.0.4')] });
    const result = resolve(b.build());
    const path = pathOf(result, firewallSubnet);
    expect(path.verdict).toBe('unknown');
    expect(path.findings).toContainEqual(expect.objectContaining({ code: 'firewall-subnet-default-route', severity: 'warning', resourceIds: [firewall, firewallSubnet] }));
    // With the UDR Microsoft asks for, the firewall's egress is decided.
    const b2 = new ModelBuilder();
    const hub2 = b2.vnet('hub', ['10.0.0.0/22']);
    b2.subnet(hub2, 'GatewaySubnet', '10.0.1.0/27');
    b2.gateway('gw-hub', hub2, { type: 'ExpressRoute' });
    const rt = b2.routeTable('rt-afw', [{ prefix: '0.0.0.0/0', nextHopType: 'Internet' }]);
    const firewallSubnet2 = b2.subnet(hub2, 'AzureFirewallSubnet', '10.0.0.0/26', { routeTableId: rt });
    b2.firewall('afw', { subnetId: firewallSubnet2, privateIp: '10.0.0.4', publicIpIds: [b2.publicIp('afw-pip', '20.0.0.4')] });
    expect(summary(pathOf(resolve(b2.build()), firewallSubnet2))).toMatchObject({ verdict: 'internet', exit: 'public-ip', findings: [] });
  });
});


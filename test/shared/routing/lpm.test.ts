import { describe, expect, it } from 'vitest';
import { parseCidr, parseIp } from '../../../shared/model/ip';
import type { Cidr, IpAddress } from '../../../shared/model/ip';
import { lookupRange, lookupRoute } from '../../../shared/routing/lpm';
import type { RouteDestination } from '../../../shared/routing/lpm';
import { describeRoute, toNextHop } from '../../../shared/routing/route';
import type { ComputedRoute, RouteSource } from '../../../shared/routing/route';

function r(prefix: string, nextHopType: string, source: RouteSource, opts: Partial<ComputedRoute> = {}): ComputedRoute {
  return {
    source, origin: source === 'User' ? 'udr' : source === 'VirtualNetworkGateway' ? 'gateway' : 'system', name: opts.name ?? '', addressPrefix: prefix,
    cidr: parseCidr(prefix), nextHop: toNextHop(nextHopType), nextHopIpAddress: opts.nextHopIpAddress ?? null, hasBgpOverride: opts.hasBgpOverride ?? false,
    resourceId: null, active: opts.active ?? true,
  };
}

const to = (ip: string): RouteDestination => ({ kind: 'address', ip: parseIp(ip) as IpAddress });
const DEFAULT: RouteDestination = { kind: 'default-route' };

function decide(routes: readonly ComputedRoute[], destination: RouteDestination): { winner: string | null; losers: [string, string][] } {
  const result = lookupRoute(routes, destination);
  return {
    winner: result.winner ? describeRoute(result.winner) : null,
    losers: result.candidates.filter((c) => c.lostBecause !== null).map((c) => [describeRoute(c.route), c.lostBecause ?? '']),
  };
}

describe('lookupRoute', () => {
  it('longest prefix wins and the loser says why', () => {
    expect(decide([r('0.0.0.0/0', 'Internet', 'Default'), r('8.8.8.0/24', 'None', 'User', { name: 'block' })], to('8.8.8.8'))).toEqual({
      winner: 'UDR block 8.8.8.0/24 → None',
      losers: [['System route 0.0.0.0/0 → Internet', 'less specific (/0 vs /24): longest prefix wins']],
    });
  });

  it('same prefix: User beats BGP beats System, all kept as candidates', () => {
    const routes = [r('0.0.0.0/0', 'Internet', 'Default'), r('0.0.0.0/0', 'VirtualNetworkGateway', 'VirtualNetworkGateway'), r('0.0.0.0/0', 'VirtualAppliance', 'User', { nextHopIpAddress: '10.0.1.4' })];
    expect(decide(routes, DEFAULT)).toEqual({
      winner: 'UDR 0.0.0.0/0 → VirtualAppliance 10.0.1.4',
      losers: [
        ['Gateway route 0.0.0.0/0 → VirtualNetworkGateway', 'same prefix: a user-defined route beats a BGP route'],
        ['System route 0.0.0.0/0 → Internet', 'same prefix: a user-defined route beats a system route'],
      ],
    });
    expect(decide(routes.slice(0, 2), DEFAULT).winner).toBe('Gateway route 0.0.0.0/0 → VirtualNetworkGateway');
  });

  it('VNet and peering system routes beat a more specific BGP route', () => {
    const routes = [r('10.0.0.0/16', 'VnetLocal', 'Default'), r('10.0.1.0/24', 'VirtualNetworkGateway', 'VirtualNetworkGateway')];
    expect(decide(routes, to('10.0.1.5'))).toEqual({
      winner: 'System route 10.0.0.0/16 → VnetLocal',
      losers: [['Gateway route 10.0.1.0/24 → VirtualNetworkGateway', 'system routes for the virtual network, peerings and service endpoints beat BGP routes, even more specific ones']],
    });
    expect(decide([r('10.2.0.0/16', 'VNetPeering', 'Default'), r('10.2.3.0/24', 'VirtualNetworkGateway', 'VirtualNetworkGateway')], to('10.2.3.4')).winner).toBe('System route 10.2.0.0/16 → VNetPeering');
  });

  it('a more specific UDR still beats a VnetLocal route', () => {
    expect(decide([r('10.0.0.0/16', 'VnetLocal', 'Default'), r('10.0.2.0/24', 'VirtualAppliance', 'User', { nextHopIpAddress: '10.0.1.4' })], to('10.0.2.9')).winner)
      .toBe('UDR 10.0.2.0/24 → VirtualAppliance 10.0.1.4');
  });

  it('service-endpoint routes cannot be overridden, even by a more specific UDR', () => {
    const routes = [r('20.60.0.0/16', 'VirtualNetworkServiceEndpoint', 'Default'), r('20.60.1.0/24', 'VirtualAppliance', 'User', { nextHopIpAddress: '10.0.1.4' })];
    expect(decide(routes, to('20.60.1.1'))).toEqual({
      winner: 'System route 20.60.0.0/16 → VirtualNetworkServiceEndpoint',
      losers: [['UDR 20.60.1.0/24 → VirtualAppliance 10.0.1.4', 'service-endpoint routes cannot be overridden, not even by a route table']],
    });
  });

  it('a UDR with hasBgpOverride beats an overlapping, more specific BGP route', () => {
    const routes = [r('8.0.0.0/8', 'Internet', 'User', { hasBgpOverride: true }), r('8.8.0.0/16', 'VirtualNetworkGateway', 'VirtualNetworkGateway')];
    expect(decide(routes, to('8.8.8.8')).winner).toBe('UDR 8.0.0.0/8 → Internet');
    expect(decide([r('8.0.0.0/8', 'Internet', 'User'), r('8.8.0.0/16', 'VirtualNetworkGateway', 'VirtualNetworkGateway')], to('8.8.8.8')).winner)
      .toBe('Gateway route 8.8.0.0/16 → VirtualNetworkGateway');
  });

  it('the default-route view only considers /0 routes; invalid (captured) routes never win; service tags never match', () => {
    const routes = [r('0.0.0.0/1', 'None', 'User'), r('0.0.0.0/0', 'Internet', 'Default'), r('0.0.0.0/0', 'None', 'User', { active: false }), r('AzureCloud', 'Internet', 'User')];
    expect(decide(routes, DEFAULT)).toEqual({ winner: 'System route 0.0.0.0/0 → Internet', losers: [] });
    expect(decide(routes, to('1.1.1.1')).winner).toBe('UDR 0.0.0.0/1 → None');
  });

  it('a split default route (0.0.0.0/1 + 128.0.0.0/1) replaces the /0 for internet traffic', () => {
    const fw = { nextHopIpAddress: '10.0.1.4' };
    const routes = [r('0.0.0.0/0', 'Internet', 'Default'), r('0.0.0.0/1', 'VirtualAppliance', 'User', fw), r('128.0.0.0/1', 'VirtualAppliance', 'User', fw)];
    expect(decide(routes, DEFAULT)).toEqual({
      winner: 'UDR 0.0.0.0/1 → VirtualAppliance 10.0.1.4',
      losers: [
        ['UDR 128.0.0.0/1 → VirtualAppliance 10.0.1.4', 'the other part of the split default route: it carries 128.0.0.0/1 (ask a what-if for an address there to see that path)'],
        ['System route 0.0.0.0/0 → Internet', 'never used for internet traffic: 0.0.0.0/1 + 128.0.0.0/1 together cover every public address, and the longest prefix wins'],
      ],
    });
    // Partial coverage changes nothing for the generic internet: only what-ifs inside it.
    expect(decide(routes.slice(0, 2), DEFAULT).winner).toBe('System route 0.0.0.0/0 → Internet');
    // /8s covering every public block count too; private and reserved blocks need no cover.
    const eights = Array.from({ length: 223 }, (_, i) => i + 1).filter((o) => o !== 10 && o !== 127).map((o) => r(`${o}.0.0.0/8`, 'None', 'User'));
    expect(decide([r('0.0.0.0/0', 'Internet', 'Default'), ...eights], DEFAULT).winner).toBe('UDR 1.0.0.0/8 → None');
    expect(decide([r('0.0.0.0/0', 'Internet', 'Default'), ...eights.filter((e) => e.addressPrefix !== '8.0.0.0/8')], DEFAULT).winner).toBe('System route 0.0.0.0/0 → Internet');
  });

  it('no matching route → no winner', () => {
    expect(lookupRoute([r('10.0.0.0/8', 'None', 'Default')], to('8.8.8.8'))).toEqual({ winner: null, candidates: [], equalCost: [] });
  });
});

describe('lookupRoute: equal-cost routes (ECMP)', () => {
  // "Azure Route Server will program multiple copies of the route, each with a different next hop ...
  // the VM hosts will do Equal-Cost Multi-Path (ECMP) routing." https://learn.microsoft.com/azure/route-server/route-server-faq
  const nva = (ip: string): ComputedRoute => r('0.0.0.0/0', 'VirtualNetworkGateway', 'VirtualNetworkGateway', { nextHopIpAddress: ip });

  it('routes tying on every rule with other next hops are kept as equal cost, with and without candidates', () => {
    const routes = [r('0.0.0.0/0', 'Internet', 'Default', { active: false }), nva('10.0.2.4'), nva('10.0.2.5'), nva('10.0.2.4')];
    for (const candidates of [true, false]) {
      const result = lookupRoute(routes, DEFAULT, { candidates });
      expect(result.winner?.nextHopIpAddress).toBe('10.0.2.4');
      // One per next hop: the duplicate of the winner is not an alternative.
      expect(result.equalCost.map((x) => x.nextHopIpAddress)).toEqual(['10.0.2.5']);
    }
    expect(decide(routes, DEFAULT).losers).toContainEqual(['Gateway route 0.0.0.0/0 → VirtualNetworkGateway 10.0.2.5',
      'equal cost (ECMP): same prefix and source as the route shown, to another next hop; Azure spreads flows across both']);
  });

  it('a better route, another prefix or another source is no tie', () => {
    const udr = r('0.0.0.0/0', 'VirtualAppliance', 'User', { nextHopIpAddress: '10.0.9.4' });
    expect(lookupRoute([nva('10.0.2.4'), nva('10.0.2.5'), udr], DEFAULT).equalCost).toEqual([]);
    expect(lookupRoute([nva('10.0.2.4'), nva('10.0.2.5'), udr], DEFAULT, { candidates: false }).equalCost).toEqual([]);
    const split = [r('0.0.0.0/1', 'VirtualAppliance', 'User', { nextHopIpAddress: '10.0.2.4' }), r('128.0.0.0/1', 'VirtualAppliance', 'User', { nextHopIpAddress: '10.0.2.5' })];
    expect(lookupRoute(split, DEFAULT).equalCost).toEqual([]);
    expect(lookupRoute([r('8.8.0.0/16', 'None', 'User'), nva('10.0.2.4')], to('8.8.8.8')).equalCost).toEqual([]);
  });
});

describe('lookupRoute: two peerings on the same prefix', () => {
  /**
   * "The system adds a route for each address range within the address space of each virtual
   * network involved in the peering" [UDR] https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#optional-default-routes
   * Two peerings carrying 10.2.0.0/16 are two system routes to two VNets on one prefix; Azure
   * documents no order between two system routes on one prefix, and peered address spaces may not
   * overlap (https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-different-region). Their next
   * hop type and IP are the same ("VNetPeering", none): the peering tells them apart, so the tie is
   * reported (equalCost), never "an equal route listed earlier won".
   */
  const peeringRoute = (id: string, prefix = '10.2.0.0/16'): ComputedRoute => ({ ...r(prefix, 'VNetPeering', 'Default', { name: `Peering ${id}` }), origin: 'peering', resourceId: `/vnets/hub/virtualnetworkpeerings/${id}` });

  it('are equal cost, with and without candidates, and the loser says Azure documents no order', () => {
    const routes = [r('10.0.0.0/8', 'None', 'Default'), peeringRoute('to-s1'), peeringRoute('to-s2')];
    for (const candidates of [true, false]) {
      const result = lookupRoute(routes, to('10.2.1.5'), { candidates });
      expect(result.winner?.name).toBe('Peering to-s1');
      expect(result.equalCost.map((x) => x.name)).toEqual(['Peering to-s2']);
    }
    expect(decide(routes, to('10.2.1.5')).losers).toContainEqual(['System route Peering to-s2 10.2.0.0/16 → VNetPeering', 'same prefix, both system routes: Azure documents no order between them']);
  });

  it('one peering\'s route listed twice is no tie, and a range across two peerings is split', () => {
    expect(lookupRoute([peeringRoute('to-s1'), peeringRoute('to-s1')], to('10.2.1.5')).equalCost).toEqual([]);
    const range = lookupRange([peeringRoute('to-s1'), peeringRoute('to-s2', '10.2.1.0/24')], [parseCidr('10.2.0.0/16') as Cidr]);
    expect(range.kind).toBe('split');
  });
});

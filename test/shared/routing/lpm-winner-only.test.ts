/**
 * lookupRoute without candidates (the destinations matrix asks for the winner only) picks the same
 * route object as the full lookup, for random route sets mixing every source, next hop, BGP
 * override, inactive routes, service endpoints and split default routes, and for the default route,
 * addresses inside and outside them. Deterministic pseudo-random generator: a failure reproduces.
 */
import { describe, expect, it } from 'vitest';
import { parseCidr } from '../../../shared/model/ip';
import type { IpAddress } from '../../../shared/model/ip';
import { lookupRange, lookupRoute } from '../../../shared/routing/lpm';
import type { RouteDestination } from '../../../shared/routing/lpm';
import { toNextHop } from '../../../shared/routing/route';
import type { ComputedRoute, RouteSource } from '../../../shared/routing/route';

function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 0x100000000;
  };
}

const SOURCES: readonly RouteSource[] = ['User', 'VirtualNetworkGateway', 'Default'];
const NEXT_HOPS = ['Internet', 'VirtualAppliance', 'VnetLocal', 'VNetPeering', 'VirtualNetworkGateway', 'None', 'VirtualNetworkServiceEndpoint'] as const;
const PREFIXES = [
  '0.0.0.0/0', '0.0.0.0/1', '128.0.0.0/1', '10.0.0.0/8', '10.1.0.0/16', '10.1.2.0/24', '52.0.0.0/8', '52.168.0.0/16',
  '52.168.10.0/24', '52.168.10.20/32', '40.112.0.0/24', '20.60.0.0/16', '192.168.0.0/16', '100.64.0.0/10',
];
const ADDRESSES = ['52.168.10.20', '52.168.99.1', '10.1.2.3', '10.9.9.9', '40.112.0.7', '20.60.1.1', '8.8.8.8', '192.168.1.1', '200.1.1.1'];

function route(next: () => number, i: number): ComputedRoute {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const prefix = pick(PREFIXES);
  const source = pick(SOURCES);
  return {
    source, origin: source === 'User' ? 'udr' : source === 'VirtualNetworkGateway' ? 'gateway' : 'system', name: `r${i}`, addressPrefix: prefix,
    cidr: parseCidr(prefix), nextHop: toNextHop(pick(NEXT_HOPS)), nextHopIpAddress: null, hasBgpOverride: next() < 0.2,
    resourceId: null, active: next() < 0.9,
  };
}

function address(text: string): IpAddress {
  const cidr = parseCidr(`${text}/32`);
  if (!cidr || cidr.version !== 4) throw new Error(text);
  return { version: 4, value: cidr.network };
}

describe('lookupRoute({ candidates: false })', () => {
  it('picks the same winner as the full lookup on 2,000 random route sets', () => {
    const next = generator(20261205);
    let decided = 0;
    for (let set = 0; set < 2000; set++) {
      const routes = Array.from({ length: 1 + Math.floor(next() * 9) }, (_, i) => route(next, i));
      const destinations: RouteDestination[] = [{ kind: 'default-route' }, ...ADDRESSES.map((a) => ({ kind: 'address' as const, ip: address(a) }))];
      for (const destination of destinations) {
        const full = lookupRoute(routes, destination);
        const lean = lookupRoute(routes, destination, { candidates: false });
        expect(lean.winner).toBe(full.winner);
        expect(lean.candidates).toEqual([]);
        if (full.winner) decided += 1;
      }
      const range = [parseCidr('52.168.10.0/24'), parseCidr('10.1.0.0/16')].filter((c) => c !== null);
      const fullRange = lookupRange(routes, range);
      const leanRange = lookupRange(routes, range, { candidates: false });
      expect(leanRange.kind).toBe(fullRange.kind);
      if (fullRange.kind === 'uniform' && leanRange.kind === 'uniform') expect(leanRange.lookup.winner).toBe(fullRange.lookup.winner);
      if (fullRange.kind === 'split' && leanRange.kind === 'split') expect(leanRange.parts).toEqual(fullRange.parts);
    }
    // The sets are not degenerate: most lookups find a route.
    expect(decided).toBeGreaterThan(10_000);
  });

  it('a split default route speaks for the internet in both', () => {
    const routes: ComputedRoute[] = ['0.0.0.0/0', '0.0.0.0/1', '128.0.0.0/1'].map((prefix, i) => ({
      source: i === 0 ? 'Default' : 'User', origin: i === 0 ? 'system' : 'udr', name: `r${i}`, addressPrefix: prefix, cidr: parseCidr(prefix),
      nextHop: toNextHop(i === 0 ? 'Internet' : 'VirtualAppliance'), nextHopIpAddress: i === 0 ? null : '10.0.0.4', hasBgpOverride: false, resourceId: null, active: true,
    }));
    const full = lookupRoute(routes, { kind: 'default-route' });
    expect(full.winner?.addressPrefix).toBe('0.0.0.0/1');
    expect(lookupRoute(routes, { kind: 'default-route' }, { candidates: false }).winner).toBe(full.winner);
  });
});

/**
 * A route that drops a public prefix (next hop None) on the source subnet: an `any` entry, judged on
 * the default route, excepts the prefix, so reach never claims addresses resolve says are dropped
 * (the per-address agreement of reach-denies-and-routes.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { ResolveInput } from '../../../shared/egress/index';
import type { ReachEntry, ReachSource } from '../../../shared/egress/reach';
import { toResourceId } from '../../../shared/model/ids';
import { cidrContainsIp, parseCidr, parseIp } from '../../../shared/model/ip';
import { ModelBuilder, networkRule } from '../../support/model-builder';
import { entryCovers, inputOf, pathTo, reachOf, type Transport } from './reach-agreement';
import { HUB_FIREWALL_IP, hubSpokeFirewall } from './support';

/** Whether an entry's `except` (CIDRs) holds the address. */
function excepted(e: ReachEntry, ip: string): boolean {
  const a = parseIp(ip);
  return (e.except ?? []).some((x) => {
    const c = parseCidr(x);
    return c !== null && a !== null && cidrContainsIp(c, a);
  });
}

/** Entries claiming the flow gets out: verdict internet, covering it, no `except` holding it. */
function claims(reach: ReachSource, ip: string, port: number, t: Transport): string[] {
  return reach.allowed.filter((e) => e.verdict === 'internet' && entryCovers(e, ip, port, t) && !excepted(e, ip))
    .map((e) => `${e.kind} ${e.value} ${e.protocols.join('/')} ${e.ports.join(',')}${e.except ? ` except ${e.except.join(',')}` : ''}`);
}

const FLOWS: readonly (readonly [number, Transport])[] = [[443, 'Tcp'], [80, 'Tcp'], [53, 'Udp']];

/** Flows an entry claims that resolve stops (neither internet nor unknown). */
function wrongClaims(input: ResolveInput, sourceId: string, ips: readonly string[]): string[] {
  const reach = reachOf(input, sourceId);
  const problems: string[] = [];
  for (const ip of ips) {
    for (const [port, t] of FLOWS) {
      const verdict = pathTo(input, `${ip}:${port}/${t.toLowerCase()}`, sourceId).verdict;
      const claimed = claims(reach, ip, port, t);
      if (claimed.length > 0 && verdict !== 'internet' && verdict !== 'unknown') problems.push(`${ip}:${port}/${t}: resolve ${verdict}, claimed by ${claimed.join('; ')}`);
    }
  }
  return problems;
}

describe('a route to None under an open path is excepted from `any`', () => {
  /**
   * Spoke subnet `app`: 0/0 → the hub Azure Firewall, whose network rule allows everything (Any,
   * `*`), and 30.0.0.0/8 → None. resolve: 30.1.1.1 dropped on every port; reach's `any` entry
   * excepts 30.0.0.0/8.
   */
  it('open path through a firewall, UDR 30.0.0.0/8 → None: `any` must not claim 30.1.1.1', () => {
    const { b, app } = hubSpokeFirewall([networkRule('all', { destinationAddresses: ['*'], destinationPorts: ['*'], protocols: ['Any'] })]);
    b.updateSubnet(app, { routeTableId: b.routeTable('rt-x', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: HUB_FIREWALL_IP }, { prefix: '30.0.0.0/8', nextHopType: 'None' }]) });
    const input = inputOf(b);
    expect(pathTo(input, '30.1.1.1:443/tcp', app).verdict).toBe('dropped');
    expect(pathTo(input, '9.9.9.9:80/tcp', app).verdict).toBe('internet');
    expect(wrongClaims(input, app, ['30.1.1.1', '9.9.9.9'])).toEqual([]);
  });

  /** Direct default route (NAT gateway, no 0/0 UDR) and 30.0.0.0/8 → None: excepted the same way. */
  it('direct default route (NAT gateway), UDR 30.0.0.0/8 → None: `any` must not claim 30.1.1.1', () => {
    const b = new ModelBuilder();
    const v = b.vnet('spoke', ['10.1.0.0/16']);
    const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.0.0.1')] });
    const app = b.subnet(v, 'app', '10.1.1.0/24', { natGatewayId: nat, routeTableId: b.routeTable('rt', [{ prefix: '30.0.0.0/8', nextHopType: 'None' }]) });
    const input = inputOf(b);
    expect(pathTo(input, '30.1.1.1:80/tcp', app).verdict).toBe('dropped');
    expect(wrongClaims(input, app, ['30.1.1.1', '9.9.9.9'])).toEqual([]);
  });

  /**
   * Restricted path: the firewall allows `*` on TCP 443 (and UDP 123) only. reach's
   * `any * Tcp 443 internet` excepts 30.0.0.0/8, which the None route drops.
   */
  it('firewall rule allowing `*` on TCP 443, UDR 30.0.0.0/8 → None: `any * TCP 443` must not claim 30.1.1.1:443', () => {
    const { b, app } = hubSpokeFirewall([
      networkRule('https', { destinationAddresses: ['*'], destinationPorts: ['443'] }),
      networkRule('ntp', { destinationAddresses: ['*'], destinationPorts: ['123'], protocols: ['UDP'] }),
    ]);
    b.updateSubnet(app, { routeTableId: b.routeTable('rt-x', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: HUB_FIREWALL_IP }, { prefix: '30.0.0.0/8', nextHopType: 'None' }]) });
    const input = inputOf(b);
    expect(pathTo(input, '30.1.1.1:443/tcp', app).verdict).toBe('dropped');
    expect(wrongClaims(input, app, ['30.1.1.1', '9.9.9.9'])).toEqual([]);
  });
});

describe('a route to None under entries reach can only say "may reach"', () => {
  /**
   * Spoke subnet `app`: 0/0 → the hub Azure Firewall, whose network rules allow ICMP to `*` (not
   * modelled: "may reach") and TCP 443 to an IP group the input lacks (it could hold any address:
   * "may reach"), and 30.0.0.0/8 → None, which drops 30.1.1.1 whatever the firewall allows
   * [UDR] https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview
   * Those `any` entries except 30.0.0.0/8, so a mustNotReach control on it is proven, not open.
   */
  it('"may reach" `any` entries except 30.0.0.0/8; an address outside it stays in them', () => {
    const { b, app } = hubSpokeFirewall([
      networkRule('ping', { destinationAddresses: ['*'], destinationPorts: ['*'], protocols: ['ICMP'] }),
      networkRule('partners', { destinationAddresses: [], destinationIpGroupIds: [toResourceId('/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-net/providers/Microsoft.Network/ipGroups/ipg-absent')] }),
    ]);
    b.updateSubnet(app, { routeTableId: b.routeTable('rt-x', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: HUB_FIREWALL_IP }, { prefix: '30.0.0.0/8', nextHopType: 'None' }]) });
    const input = inputOf(b);
    expect(pathTo(input, '30.1.1.1:443/tcp', app).verdict).toBe('dropped');
    const mayReach = reachOf(input, app).allowed.filter((e) => e.kind === 'any' && e.verdict === 'unknown');
    expect(mayReach.map((e) => e.rule)).toEqual([expect.stringMatching(/ping/), expect.stringMatching(/partners \(IP group ipg-absent is not in the input\)/)]);
    for (const e of mayReach) {
      expect(excepted(e, '30.1.1.1')).toBe(true);
      expect(excepted(e, '9.9.9.9')).toBe(false);
    }
  });
});

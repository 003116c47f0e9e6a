/**
 * Address spellings and private ranges (shared/traffic/attribute.ts canonicalIp, analyze.ts add /
 * ownAddressSpaces). From the review of 80baada (each scenario failed before its fix).
 *
 * [RFC4291] §2.5.5.2: the IPv4-mapped IPv6 address `::ffff:a.b.c.d` denotes the IPv4 node a.b.c.d;
 *           §2.2 / RFC 5952: 2001:db8::10 and 2001:DB8:0:0:0:0:0:10 are one address.
 */
import { describe, expect, it } from 'vitest';
import { analyzeTraffic } from '../../../shared/traffic/index';
import type { ResolveInput } from '../../../shared/egress/index';
import { canonicalIp } from '../../../shared/traffic/attribute';
import type { TrafficRecord } from '../../../shared/traffic/index';
import { ModelBuilder } from '../../support/model-builder';
import { inlineLog, natEstate } from './support';

/** A firewall-log record as the readers produce it (the fields analyzeTraffic reads). */
function record(partial: Partial<TrafficRecord> & Pick<TrafficRecord, 'sourceIp' | 'destination' | 'log'>): TrafficRecord {
  return {
    time: '2024-05-01T10:00:00.000Z', until: null, destinationIp: partial.destination, port: 443, protocol: 'TCP', action: 'allow',
    flows: 1, bytes: null, bytesSent: null, rule: null, firewallId: null, ...partial,
  };
}

describe('IPv6 spellings', () => {
  it('an IPv4-mapped source ::ffff:10.0.1.4 is the NIC holding 10.0.1.4', () => {
    const { input, nicId } = natEstate();
    expect([canonicalIp('::ffff:10.0.1.4'), canonicalIp('::FFFF:a00:104'), canonicalIp('::a00:104')]).toEqual(['10.0.1.4', '10.0.1.4', '::a00:104']);
    const result = analyzeTraffic(input, [inlineLog([record({ sourceIp: '::ffff:10.0.1.4', destination: '203.0.113.70', log: 'azfw-network' })])]);
    expect(result.sources.map((s) => s.source.id)).toEqual([nicId]);
  });

  it('one IPv6 destination in two spellings is one observed destination', () => {
    const { input } = natEstate();
    const result = analyzeTraffic(input, [inlineLog([
      record({ sourceIp: '10.0.1.4', destination: '2001:db8::10', log: 'azfw-network', action: 'deny' }),
      record({ sourceIp: '10.0.1.4', destination: '2001:DB8:0:0:0:0:0:10', log: 'azfw-network', action: 'deny' }),
    ])]);
    expect(result.sources.flatMap((s) => s.observed).map((o) => [o.destination, o.flows])).toEqual([['2001:db8::10', 2]]);
  });
});

/** vnet-a (NIC 10.0.1.4 behind a NAT gateway) peered to vnet-b, whose address space is the public 20.60.0.0/24. */
function peeredToPublicRange(state?: 'Disconnected', withSubnet = true): ResolveInput {
  const b = new ModelBuilder();
  const vnetA = b.vnet('vnet-a', ['10.0.0.0/16']);
  const vnetB = b.vnet('vnet-b', ['20.60.0.0/24']);
  const pip = b.publicIp('pip-nat', '20.10.0.1');
  const nat = b.natGateway('nat-a', { publicIpIds: [pip] });
  const apps = b.subnet(vnetA, 'snet-apps', '10.0.1.0/24', { natGatewayId: nat });
  if (withSubnet) b.subnet(vnetB, 'snet-b', '20.60.0.0/24');
  b.nic(apps, 'nic-app-01', '10.0.1.4');
  if (state) b.peer(vnetA, vnetB, { state });
  else b.peer(vnetA, vnetB);
  return { model: b.build(), effectiveRoutes: [], metrics: [], gaps: [] };
}

describe('private ranges without a port (staysPrivate)', () => {
  it('ICMP to a peered VNet\'s own public range is VNet traffic, not uninspected public traffic', () => {
    // README / analyze.ts: private = "inside the VNet's own address space (public ranges included) or
    // what a peering carries". For ICMP (no port: no engine answer) the fallback must read the
    // connected peerings' remote prefixes too.
    const input = peeredToPublicRange();
    const tcp = analyzeTraffic(input, [inlineLog([record({ sourceIp: '10.0.1.4', destination: '20.60.0.6', log: 'vnet-flow' })])]);
    // Control: the engine already calls the TCP flow private (no finding).
    expect(tcp.findings.filter((f) => f.code === 'uninspected-public-traffic')).toEqual([]);
    const icmp = analyzeTraffic(input, [inlineLog([record({ sourceIp: '10.0.1.4', destination: '20.60.0.5', port: null, protocol: 'ICMP', log: 'vnet-flow' })])]);
    expect(icmp.findings.filter((f) => f.code === 'uninspected-public-traffic').map((f) => f.message)).toEqual([]);
  });

  it('a disconnected peering carries nothing: ICMP to its range is public traffic', () => {
    const input = peeredToPublicRange('Disconnected', false);
    const icmp = analyzeTraffic(input, [inlineLog([record({ sourceIp: '10.0.1.4', destination: '20.60.0.5', port: null, protocol: 'ICMP', log: 'vnet-flow' })])]);
    expect(icmp.findings.map((f) => f.code)).toEqual(['uninspected-public-traffic']);
  });
});

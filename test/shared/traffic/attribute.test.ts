/**
 * Attribution by private IP (shared/traffic/attribute.ts): address spellings, and addresses that
 * overlapping address spaces make ambiguous (a gap naming them, never a silent pick).
 */
import { describe, expect, it } from 'vitest';
import type { ResolveInput } from '../../../shared/egress/index';
import { analyzeTraffic, buildAttributionIndex } from '../../../shared/traffic/index';
import { ModelBuilder } from '../../support/model-builder';
import { inlineLog, natEstate } from './support';

describe('address spellings', () => {
  it('finds a NIC by an IPv6 address spelled another way (RFC 5952 / RFC 4291 §2.2 equivalents)', () => {
    const { input, nicId } = natEstate();
    const index = buildAttributionIndex(input.model);
    for (const spelling of ['fd00:db8:0:1::4', 'fd00:db8:0:1:0:0:0:4', 'FD00:0DB8:0000:0001:0000:0000:0000:0004', ' fd00:db8:0:1::4 ']) {
      expect(index.attribute(spelling), spelling).toMatchObject({ kind: 'nic', nic: { id: nicId } });
    }
    expect(index.attribute('fd00:db8:0:1::5')).toMatchObject({ kind: 'subnet', subnet: { name: 'snet-apps' } });
  });
});

describe('overlapping address spaces', () => {
  function twoVnets(): ResolveInput {
    // Two unpeered copies of one landing-zone template: identical spoke ranges.
    const b = new ModelBuilder();
    const dev = b.vnet('vnet-dev', ['10.0.0.0/16']);
    const prod = b.vnet('vnet-prod', ['10.0.0.0/16']);
    b.subnet(dev, 'snet-dev-app', '10.0.1.0/24');
    b.subnet(prod, 'snet-prod-app', '10.0.0.0/23');
    return { model: b.build(), effectiveRoutes: [], metrics: [], gaps: [] };
  }

  it('an address two VNets\' subnets both hold, and no NIC does, is attributed with a gap naming both subnets', () => {
    // As for a private IP two NICs hold: the address alone does not say which VNet sent it, whatever
    // the prefix lengths (subnets of one VNet never overlap, so two holders are two VNets).
    const input = twoVnets();
    const result = analyzeTraffic(input, [inlineLog([{
      time: '2024-05-01T10:00:00.000Z', until: null, sourceIp: '10.0.1.99', destination: '203.0.113.50', destinationIp: '203.0.113.50', port: 443,
      protocol: 'TCP', action: 'allow', flows: 1, bytes: 100, bytesSent: 40, rule: null, firewallId: null, log: 'vnet-flow',
    }])]);
    const gap = result.gaps.find((g) => g.scope === '10.0.1.99');
    expect(gap?.code).toBe('not-modelled');
    expect(gap?.message).toMatch(/^Private IP 10\.0\.1\.99 \(held by no NIC of the snapshot\) is inside 2 subnets of VNets with overlapping address spaces \(.*snet-dev-app, .*snet-prod-app\); which sent its traffic is not in the logs: it is attributed to .*snet-dev-app\.$/);
  });

  it('an address only one subnet holds raises no gap', () => {
    const result = analyzeTraffic(twoVnets(), [inlineLog([{
      time: '2024-05-01T10:00:00.000Z', until: null, sourceIp: '10.0.0.7', destination: '203.0.113.50', destinationIp: '203.0.113.50', port: 443,
      protocol: 'TCP', action: 'allow', flows: 1, bytes: null, rule: null, firewallId: null, log: 'vnet-flow',
    }])]);
    expect(result.gaps.filter((g) => g.scope === '10.0.0.7')).toEqual([]);
    expect(result.sources.map((s) => s.source.name)).toEqual(['snet-prod-app']);
  });
});

/**
 * The source side of NSG rules: source ports (an outbound client flow has an ephemeral source port)
 * and source prefixes that cover part of a subnet (the subnet entry stands for every VM in it).
 * "Security rules are evaluated and applied based on the five-tuple (source, source port,
 * destination, destination port, and protocol) information."
 * https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#security-rules
 */
import { describe, expect, it } from 'vitest';
import type { EgressPath, ResolveResult } from '../../../shared/egress/types';
import { evaluateNsgForDestination } from '../../../shared/egress/nsg';
import { terminalOf } from '../../../shared/egress/steps';
import { buildModelIndex } from '../../../shared/model/model-index';
import { ModelBuilder, securityRule } from '../../support/model-builder';
import { resolve } from './support';
import { INTERNET, RG, from, nicJson, normalize, nsgJson, onlyNsg, type JsonObject, type RuleJson } from './nsg-support';

/** The answer the result gives for a NIC: its own path, or (no entry of its own) its subnet's. */
function answerFor(result: ResolveResult, subnetId: string, nicId: string): EgressPath {
  const path = result.paths.find((p) => p.source.id === nicId) ?? result.paths.find((p) => p.source.id === subnetId);
  if (!path) throw new Error('no path');
  return path;
}

function missingFactOf(path: EgressPath | undefined): string {
  const reason = path ? terminalOf(path.steps).reason : null;
  return reason?.kind === 'undecided' ? reason.missingFact : '';
}

const VNET = `${RG}/virtualNetworks/vnet-app`;
const SUBNET = `${VNET}/subnets/snet-app`;

function vnetJson(nsgId: string): JsonObject {
  return {
    name: 'vnet-app', id: VNET, type: 'Microsoft.Network/virtualNetworks', location: 'westeurope',
    properties: { addressSpace: { addressPrefixes: ['10.1.0.0/16'] }, subnets: [
      { name: 'snet-app', id: SUBNET, properties: { addressPrefix: '10.1.1.0/24', networkSecurityGroup: { id: nsgId } } },
    ] },
  };
}

type PortRule = RuleJson & { readonly sourcePortRange?: string; readonly sourcePortRanges?: readonly string[] };
const withSourcePorts = (r: PortRule): RuleJson => r;

/** The subnet entry's path for TCP 443 to 8.8.8.8 behind an NSG with these rules (normalized from ARM JSON). */
function subnetPathBehind(rules: readonly PortRule[]): EgressPath | undefined {
  const nsg = nsgJson('nsg-app', rules.map(withSourcePorts));
  const model = normalize([vnetJson(String(nsg.id)), nsg, nicJson('vm-nic', SUBNET, '10.1.1.4')], 'rest');
  return resolve(model, { destination: '8.8.8.8:443' }).paths.find((p) => p.source.type === 'subnet');
}

describe('NSG source ports: an outbound client flow has an ephemeral source port', () => {
  it('the normalizer keeps sourcePortRange / sourcePortRanges, and leaves `*` out (older rule shape)', () => {
    const nsg = nsgJson('nsg-app', [
      withSourcePorts({ name: 'one', priority: 100, direction: 'Outbound', access: 'Allow', sourcePortRange: '443' }),
      withSourcePorts({ name: 'many', priority: 110, direction: 'Outbound', access: 'Allow', sourcePortRange: '', sourcePortRanges: ['80', '1000-2000'] }),
    ]);
    const rules = onlyNsg(normalize([nsg], 'rest'), 'nsg-app').securityRules;
    expect(rules.find((r) => r.name === 'one')?.sourcePortRanges).toEqual(['443']);
    expect(rules.find((r) => r.name === 'many')?.sourcePortRanges).toEqual(['80', '1000-2000']);
    expect(rules.find((r) => r.name === 'AllowInternetOutBound')).not.toHaveProperty('sourcePortRanges');
    // The az CLI shape carries the same fields.
    const az = onlyNsg(normalize([nsg], 'az'), 'nsg-app').securityRules;
    expect(az.find((r) => r.name === 'one')?.sourcePortRanges).toEqual(['443']);
  });

  it('an allow rule that only matches source port 443 does not let a client flow out', () => {
    const path = subnetPathBehind([
      { name: 'allow-https-srcport', priority: 100, direction: 'Outbound', access: 'Allow', protocol: 'Tcp',
        destinationAddressPrefix: 'Internet', destinationPortRange: '443', sourcePortRange: '443' },
      { name: 'deny-internet', priority: 200, direction: 'Outbound', access: 'Deny', destinationAddressPrefix: 'Internet' },
    ]);
    expect(path?.verdict).toBe('denied');
  });

  it('a deny rule that only matches source port 80 does not deny a client flow', () => {
    const path = subnetPathBehind([
      { name: 'deny-srcport-80', priority: 100, direction: 'Outbound', access: 'Deny', protocol: 'Tcp', destinationAddressPrefix: 'Internet', sourcePortRange: '80' },
    ]);
    expect(path?.verdict).toBe('internet');
  });

  it('a rule on source ports 1024-65535 (or more) matches every client flow', () => {
    const path = subnetPathBehind([
      { name: 'deny-high', priority: 100, direction: 'Outbound', access: 'Deny', destinationAddressPrefix: 'Internet', sourcePortRanges: ['0-1023', '1024-40000', '40001-65535'] },
    ]);
    expect(path?.verdict).toBe('denied');
  });

  it('a rule on part of the ephemeral range (49152-65535) is unknown: it depends on the OS', () => {
    const path = subnetPathBehind([
      { name: 'deny-iana-dynamic', priority: 100, direction: 'Outbound', access: 'Deny', destinationAddressPrefix: 'Internet', sourcePortRange: '49152-65535' },
    ]);
    expect(path?.verdict).toBe('unknown');
    expect(missingFactOf(path)).toMatch(/deny-iana-dynamic \(100\) matches source ports 49152-65535 only: .*ephemeral port/);
  });

  it('a partial source-port rule that cannot change the outcome leaves the verdict certain', () => {
    const path = subnetPathBehind([
      { name: 'allow-some-ports', priority: 100, direction: 'Outbound', access: 'Allow', destinationAddressPrefix: 'Internet', sourcePortRange: '49152-65535' },
    ]);
    // Matched or not, AllowInternetOutBound (65001) allows the rest.
    expect(path?.verdict).toBe('internet');
  });
});

describe('NSG source prefixes and the subnet entry', () => {
  // Rules match on the source address of the packet (five-tuple, above); a rule whose source is one
  // VM's private IP applies to that VM.
  it('subnet NSG denies source 10.0.1.4/32 to Internet: the VM at 10.0.1.4 (no PIP, no LB) has its own entry, denied', () => {
    const b = new ModelBuilder();
    const nsg = b.nsg('nsg', [securityRule('deny-vm4', 100, 'Deny', 'Internet', { sourceAddressPrefixes: ['10.0.1.4/32'] })]);
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24', { networkSecurityGroupId: nsg });
    const nic = b.nic(s, 'vm4-nic', '10.0.1.4');
    const other = b.nic(s, 'vm5-nic', '10.0.1.5');
    const result = resolve(b.build());
    expect(result.paths.find((p) => p.source.id === nic)?.verdict).toBe('denied');
    // The VM the rule does not name follows the subnet entry, which cannot answer for every VM.
    expect(result.paths.some((p) => p.source.id === other)).toBe(false);
    const subnetPath = result.paths.find((p) => p.source.id === s);
    expect(subnetPath?.verdict).toBe('unknown');
    expect(missingFactOf(subnetPath)).toMatch(/deny-vm4 \(100\) applies only to sources in 10\.0\.1\.4\/32, part of 10\.0\.1\.0\/24: .*VM's private IP address/);
  });

  it('subnet NSG allows only source 10.0.1.4/32 to Internet, denies the rest: the VM at 10.0.1.4 is allowed', () => {
    const b = new ModelBuilder();
    const nsg = b.nsg('nsg', [
      securityRule('allow-vm4', 100, 'Allow', 'Internet', { sourceAddressPrefixes: ['10.0.1.4/32'] }),
      securityRule('deny-internet', 200, 'Deny', 'Internet'),
    ]);
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24', { networkSecurityGroupId: nsg });
    const nic = b.nic(s, 'vm4-nic', '10.0.1.4');
    expect(answerFor(resolve(b.build()), s, nic).verdict).toBe('internet');
  });

  // Augmented rules: "The ability to specify multiple individual IP addresses and ranges ... in a rule"
  // (NSG overview, Augmented security rules): the rule matches a source in any of its prefixes.
  it('augmented deny rule with sources 10.0.1.0/25 + 10.0.1.128/25 covers the whole subnet: the subnet entry is denied', () => {
    const b = new ModelBuilder();
    const nsg = b.nsg('nsg', [securityRule('deny-both-halves', 100, 'Deny', 'Internet', { sourceAddressPrefixes: ['10.0.1.0/25', '10.0.1.128/25'] })]);
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24', { networkSecurityGroupId: nsg });
    expect(resolve(b.build()).paths.find((p) => p.source.id === s)?.verdict).toBe('denied');
  });

  it('subnet NSG denies source 10.0.1.0/25: the subnet entry is unknown, naming the VM address it depends on', () => {
    const b = new ModelBuilder();
    const nsg = b.nsg('nsg', [securityRule('deny-low-half', 100, 'Deny', 'Internet', { sourceAddressPrefixes: ['10.0.1.0/25'] })]);
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24', { networkSecurityGroupId: nsg });
    const path = resolve(b.build()).paths.find((p) => p.source.id === s);
    expect(path?.verdict).toBe('unknown');
    expect(missingFactOf(path)).toMatch(/10\.0\.1\.0\/25, part of 10\.0\.1\.0\/24/);
  });

  it('a source prefix disjoint from the subnet does not match it', () => {
    const b = new ModelBuilder();
    const nsg = b.nsg('nsg', [securityRule('deny-other-subnet', 100, 'Deny', 'Internet', { sourceAddressPrefixes: ['10.0.2.0/24'] })]);
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24', { networkSecurityGroupId: nsg });
    const nic = b.nic(s, 'vm-nic', '10.0.1.4');
    const model = b.build();
    expect(resolve(model).paths.find((p) => p.source.id === s)?.verdict).toBe('internet');
    expect(buildModelIndex(model).subnetNicsWithOwnEgress.get(s)?.some((n) => n.id === nic) ?? false).toBe(false);
  });

  it('the range evaluator says Unknown (never Partial) for a subnet source a rule covers in part, and decides for one VM', () => {
    const nsg = onlyNsg(normalize([nsgJson('nsg-app', [
      { name: 'deny-low-half', priority: 100, direction: 'Outbound', access: 'Deny', sourceAddressPrefix: '10.1.1.0/25', destinationAddressPrefix: 'Internet' },
    ])], 'rest'), 'nsg-app');
    const subnet = evaluateNsgForDestination(nsg, INTERNET, from('10.1.1.0/24'), 'Outbound');
    expect(subnet).toMatchObject({ access: 'Unknown', missing: [{ kind: 'source-address', rule: 'deny-low-half', covered: ['10.1.1.0/25'], source: ['10.1.1.0/24'] }] });
    expect(evaluateNsgForDestination(nsg, INTERNET, from('10.1.1.4/32'), 'Outbound').access).toBe('Deny');
    expect(evaluateNsgForDestination(nsg, INTERNET, from('10.1.1.200/32'), 'Outbound').access).toBe('Allow');
  });
});

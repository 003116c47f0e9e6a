/**
 * One malformed value in an otherwise valid real input (the demo estates' ARM REST JSON) never turns
 * a source's verdict into a different confident verdict. The project rule: a malformed value either
 * raises an InputError (file, field, expected), or its resource is left out with a `skipped-input`
 * gap and every verdict that depended on it is `unknown`, naming the missing fact; a subnet whose
 * VNet is left out has no path at all, and the gap says where and why. Each case names the mutation
 * and the confident verdict it would otherwise give. Found by a mutation loop over the demo estates
 * (about 32,000 single-value mutations compared with the unmutated verdicts).
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm';
import { resolveEgress } from '../../../shared/egress';
import { InputError } from '../../../shared/model/errors';
import { demoBundle as bundleOf, demoEstate as estate, resourceNamed as resource, type MutableJson as Json } from '../../support/demo-bundle';

type EstateName = 'training' | 'bank';

const LESSONS = 'vnet-training-lessons';

function subnet(json: Json, vnet: string, name: string): Json {
  const found = (resource(json, vnet).properties.subnets as Json[]).find((s) => s.name === name);
  if (found === undefined) throw new Error(`no subnet ${vnet}/${name}`);
  return found;
}

interface Outcome {
  /** `input-error` when normalizeArm threw an InputError, `left-out` when the source has no path, else `verdict/exit`. */
  readonly said: string;
  /** Codes of the gaps normalizeArm recorded. */
  readonly inputGaps: readonly string[];
  readonly gapMessages: readonly string[];
}

/** What the tool says of `source` (a subnet or NIC name) for the default route. */
function outcome(name: EstateName, json: Json, source: string): Outcome {
  let normalized;
  try {
    normalized = normalizeArm([{ fileName: `${name}.json`, json }]);
  } catch (error) {
    if (error instanceof InputError) return { said: 'input-error', inputGaps: [], gapMessages: [] };
    throw error;
  }
  const result = resolveEgress({
    model: normalized.model, effectiveRoutes: normalized.effectiveRoutes, metrics: [], gaps: normalized.gaps, serviceTags: estate(name).serviceTags,
  }, {});
  const suffix = `/${source.toLowerCase()}`;
  const path = result.paths.find((p) => p.source.id.toLowerCase().endsWith(suffix));
  const inputGaps = normalized.gaps.map((g) => g.code);
  if (path === undefined) return { said: 'left-out', inputGaps, gapMessages: normalized.gaps.map((g) => g.message) };
  return { said: `${path.verdict}/${path.exit ?? '-'}`, inputGaps, gapMessages: normalized.gaps.map((g) => g.message) };
}

/** Either way the project rule allows: refused with an InputError, or the verdict is unknown. */
const HONEST = /^(input-error|unknown\/)/;
/** The same, or the source's VNet left out (no path) with a gap naming the malformed field. */
const HONEST_OR_LEFT_OUT = /^(input-error|unknown\/|left-out$)/;

interface Case {
  readonly label: string;
  readonly estate: EstateName;
  readonly source: string;
  /** The unmutated verdict/exit (checked first, so a case cannot pass by accident). */
  readonly before: string;
  readonly mutate: (json: Json) => void;
}

function check({ estate: name, source, before, mutate }: Case): Outcome {
  expect(outcome(name, bundleOf(name), source).said).toBe(before);
  const json = bundleOf(name);
  mutate(json);
  return outcome(name, json, source);
}

describe('junk values never yield a different confident verdict', () => {
  // Class A: a reference present but holding no ID (`{}`, `{ "id": null }`, `""`) is not "no
  // reference": ARM and az print an unset reference as null or leave it out. Read as none, the subnet,
  // firewall or peering would be judged without its NSG / route table / policy / remote VNet.
  it.each<Case>([
    // NSG `{}` on snet-17 → otherwise internet/nat-gateway (deny-internet rule gone) (unmutated: denied)
    { label: 'subnet networkSecurityGroup {}', estate: 'training', source: 'snet-17-nsg-deny-internet', before: 'denied/-',
      mutate: (j) => { subnet(j, LESSONS, 'snet-17-nsg-deny-internet').properties.networkSecurityGroup = {}; } },
    // NSG "" → otherwise internet/nat-gateway (unmutated: denied)
    { label: 'subnet networkSecurityGroup ""', estate: 'training', source: 'snet-17-nsg-deny-internet', before: 'denied/-',
      mutate: (j) => { subnet(j, LESSONS, 'snet-17-nsg-deny-internet').properties.networkSecurityGroup = ''; } },
    // routeTable { id: null } on snet-08 (0.0.0.0/0 → None) → otherwise internet/default-outbound (unmutated: dropped)
    { label: 'subnet routeTable { id: null }', estate: 'training', source: 'snet-08-udr-none', before: 'dropped/-',
      mutate: (j) => { subnet(j, LESSONS, 'snet-08-udr-none').properties.routeTable = { id: null }; } },
    // routeTable {} on snet-12 (0.0.0.0/0 → firewall) → otherwise internet/default-outbound (unmutated: internet/nat-gateway via the firewall)
    { label: 'subnet routeTable {}', estate: 'training', source: 'snet-12-firewall-with-nat', before: 'internet/nat-gateway',
      mutate: (j) => { subnet(j, LESSONS, 'snet-12-firewall-with-nat').properties.routeTable = {}; } },
    // Firewall firewallPolicy {} → firewall read as having no rules at all → otherwise denied (unmutated: internet/nat-gateway)
    { label: 'azureFirewall firewallPolicy {}', estate: 'training', source: 'snet-12-firewall-with-nat', before: 'internet/nat-gateway',
      mutate: (j) => { resource(j, 'afw-training').properties.firewallPolicy = {}; } },
    // Spoke peering remoteVirtualNetwork {} → peering to nowhere → otherwise dropped (unmutated: internet/nat-gateway via the hub firewall)
    { label: 'peering remoteVirtualNetwork {}', estate: 'bank', source: 'snet-card-auth', before: 'internet/nat-gateway',
      mutate: (j) => { resource(j, 'vnet-card-auth-weu').properties.virtualNetworkPeerings[0].properties.remoteVirtualNetwork = {}; } },
  ])('A. an empty reference is not "none": $label', (c) => {
    const after = check(c);
    expect(after.said).toMatch(HONEST_OR_LEFT_OUT);
    if (after.said === 'left-out') {
      expect(after.inputGaps).toContain('skipped-input');
      expect(after.gapMessages.join('\n')).toMatch(/expected a reference|resource ID/);
    }
  });

  // Class B: a `properties` envelope that is not an object (`[]`, `"junk"`) is no flattened object
  // with no fields: read so, the resource would keep its ID and silently get every default (no
  // routes, no rules, no private IP, no frontends).
  it.each<Case>([
    // NSG properties [] → no rules → otherwise internet/nat-gateway (unmutated: denied)
    { label: 'NSG properties []', estate: 'training', source: 'snet-17-nsg-deny-internet', before: 'denied/-',
      mutate: (j) => { resource(j, 'nsg-lesson17-deny-internet').properties = []; } },
    // NSG properties "junk" → otherwise internet/nat-gateway (unmutated: denied)
    { label: 'NSG properties "junk"', estate: 'training', source: 'snet-17-nsg-deny-internet', before: 'denied/-',
      mutate: (j) => { resource(j, 'nsg-lesson17-deny-internet').properties = 'junk'; } },
    // Route table properties [] → no routes → otherwise internet/default-outbound (unmutated: dropped, 0.0.0.0/0 → None)
    { label: 'route table properties []', estate: 'training', source: 'snet-08-udr-none', before: 'dropped/-',
      mutate: (j) => { resource(j, 'rt-lesson08-none').properties = []; } },
    // Firewall ipConfigurations[0].properties [] → firewall has no private IP → otherwise dropped (unmutated: internet/nat-gateway)
    { label: 'firewall ipConfigurations[0].properties []', estate: 'training', source: 'snet-12-firewall-with-nat', before: 'internet/nat-gateway',
      mutate: (j) => { resource(j, 'afw-training').properties.ipConfigurations[0].properties = []; } },
    // LB outboundRules[0].properties "junk" → outbound rule with no pool → otherwise no-outbound (unmutated: internet/load-balancer)
    { label: 'load balancer outboundRules[0].properties "junk"', estate: 'training', source: 'nic-vm-lesson05-01', before: 'internet/load-balancer',
      mutate: (j) => { resource(j, 'lbe-training-outbound-rule').properties.outboundRules[0].properties = 'junk'; } },
  ])('B. a properties envelope that is no object is not an empty resource: $label', (c) => {
    expect(check(c).said).toMatch(HONEST);
  });

  // Class C: NSG rule values outside what Azure accepts (priority 100–4096 for custom rules;
  // protocol Tcp/Udp/Icmp/Esp/Ah/*; ports 0–65535; prefixes a CIDR, IP, range or tag [NSG overview])
  // would silently stop the deny rule of nsg-lesson17 from applying: internet via the NAT gateway
  // instead of denied.
  const rule = (j: Json): Json => resource(j, 'nsg-lesson17-deny-internet').properties.securityRules[0].properties;
  it.each<Case>([
    { label: 'priority 70000', estate: 'training', source: 'snet-17-nsg-deny-internet', before: 'denied/-', mutate: (j) => { rule(j).priority = 70000; } },
    { label: 'priority 1e9', estate: 'training', source: 'snet-17-nsg-deny-internet', before: 'denied/-', mutate: (j) => { rule(j).priority = 1e9; } },
    { label: 'protocol "Tpc"', estate: 'training', source: 'snet-17-nsg-deny-internet', before: 'denied/-', mutate: (j) => { rule(j).protocol = 'Tpc'; } },
    { label: 'protocol ""', estate: 'training', source: 'snet-17-nsg-deny-internet', before: 'denied/-', mutate: (j) => { rule(j).protocol = ''; } },
    { label: 'destinationPortRange "44x"', estate: 'training', source: 'snet-17-nsg-deny-internet', before: 'denied/-', mutate: (j) => { rule(j).destinationPortRange = '44x'; } },
    { label: 'destinationAddressPrefix "0.0.0.0/33"', estate: 'training', source: 'snet-17-nsg-deny-internet', before: 'denied/-', mutate: (j) => { rule(j).destinationAddressPrefix = '0.0.0.0/33'; } },
    { label: 'destinationAddressPrefix ""', estate: 'training', source: 'snet-17-nsg-deny-internet', before: 'denied/-', mutate: (j) => { rule(j).destinationAddressPrefix = ''; } },
  ])('C. an NSG rule value outside Azure\'s domain does not silently stop the rule: $label', (c) => {
    expect(check(c).said).toMatch(HONEST);
  });

  // Class D: a UDR addressPrefix that is an address without a prefix length ("0.0.0.0") is not a
  // service tag: read as one, the 0.0.0.0/0 → None route of rt-lesson08 would never match (default
  // outbound instead of dropped). A UDR prefix is a CIDR or a service tag.
  it.each<Case>([
    { label: 'route addressPrefix "0.0.0.0"', estate: 'training', source: 'snet-08-udr-none', before: 'dropped/-',
      mutate: (j) => { resource(j, 'rt-lesson08-none').properties.routes[0].properties.addressPrefix = '0.0.0.0'; } },
  ])('D. a route prefix that is a bare address is no service tag: $label', (c) => {
    expect(check(c).said).toMatch(HONEST);
  });

  // Class E: an Azure Firewall's private IP is checked as a NIC's is: unchecked, the UDR's next hop
  // 10.60.254.4 would match no owner and the spoke would be confidently dropped.
  it.each<Case>([
    { label: 'privateIPAddress "10.60.254.300"', estate: 'training', source: 'snet-12-firewall-with-nat', before: 'internet/nat-gateway',
      mutate: (j) => { resource(j, 'afw-training').properties.ipConfigurations[0].properties.privateIPAddress = '10.60.254.300'; } },
    { label: 'privateIPAddress "junk"', estate: 'training', source: 'snet-12-firewall-with-nat', before: 'internet/nat-gateway',
      mutate: (j) => { resource(j, 'afw-training').properties.ipConfigurations[0].properties.privateIPAddress = 'junk'; } },
  ])('E. a firewall private IP that is no address: $label', (c) => {
    expect(check(c).said).toMatch(HONEST);
  });

  // Class F: a load balancer rule protocol Azure does not have ("Tpc") is no rule that covers
  // nothing: read so, the pool would confidently have no outbound instead of the LB's frontend IP.
  it.each<Case>([
    { label: 'outboundRules[0].protocol "Tpc"', estate: 'training', source: 'nic-vm-lesson05-01', before: 'internet/load-balancer',
      mutate: (j) => { resource(j, 'lbe-training-outbound-rule').properties.outboundRules[0].properties.protocol = 'Tpc'; } },
    { label: 'loadBalancingRules[0].protocol "Tpc"', estate: 'training', source: 'nic-vm-lesson06-01', before: 'internet/load-balancer',
      mutate: (j) => { resource(j, 'lbe-training-implicit-snat').properties.loadBalancingRules[0].properties.protocol = 'Tpc'; } },
  ])('F. a protocol Azure does not have is no confident no-outbound: $label', (c) => {
    expect(check(c).said).toMatch(HONEST);
  });

  // Class G: a resource left out with a skipped-input gap leaves what found it by address or by "is
  // there one" unknown: a next hop nobody else owns is not "dropped", a VNet whose gateway was left
  // out does not lose its forced tunnel.
  it.each<Case>([
    // Firewall sku "junk" → firewall left out → spoke otherwise dropped (unmutated: internet/nat-gateway)
    { label: 'azureFirewall sku "junk"', estate: 'training', source: 'snet-12-firewall-with-nat', before: 'internet/nat-gateway',
      mutate: (j) => { resource(j, 'afw-training').properties.sku = 'junk'; } },
    // NVA NIC enableIPForwarding "yes" → NIC left out → subnet routed to it otherwise dropped (unmutated: internet/public-ip)
    { label: 'NVA NIC enableIPForwarding "yes"', estate: 'training', source: 'snet-11-nva-with-forwarding', before: 'internet/public-ip',
      mutate: (j) => { resource(j, 'nic-vm-nva-forward-01').properties.enableIPForwarding = 'yes'; } },
    // VPN gateway with a tag value {} → gateway left out → forced-tunnel subnet otherwise internet/default-outbound (unmutated: on-premises)
    { label: 'VPN gateway tag value {}', estate: 'training', source: 'snet-14-vpn-forced-tunnel', before: 'on-premises/-',
      mutate: (j) => { resource(j, 'vgw-training-branch').tags = { owner: {} }; } },
  ])('G. a resource left out with a gap leaves its dependants unknown: $label', (c) => {
    const after = check(c);
    if (after.said !== 'input-error') expect(after.inputGaps).toContain('skipped-input');
    expect(after.said).toMatch(HONEST);
  });
});

/**
 * `reach` against `resolve --destination`: for the same estate and source, every flow a reach entry
 * claims gets out (verdict internet) must be one the single-destination resolve lets out, and every
 * flow that resolve lets out must be covered by some entry (internet, or "may reach"). A reach@1
 * entry is read as ports × protocols, as `mayReach` judges it (README: "for `mayReach` the entry's
 * `ports` and `protocols`"). A confident wrong entry is the worst answer: `check` then passes a
 * `mayReach` control on a false premise; where reach is not sure it says "may reach" (verdict
 * unknown), never drops the flow and never claims it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveEgress, type ResolveInput } from '../../../shared/egress/index';
import { computeReach, type ReachSource } from '../../../shared/egress/reach';
import type { EgressPath } from '../../../shared/egress/types';
import type { FirewallRule, SecurityRule } from '../../../shared/model/topology';
import type { ResourceId } from '../../../shared/model/ids';
import { applicationRule, ModelBuilder, networkRule, securityRule } from '../../support/model-builder';
import { entryCovers, inputOf, listing, pathTo, reachOf, type Transport } from './reach-agreement';
import { HUB_FIREWALL_IP, hubSpokeFirewall, nvaHubSpoke } from './support';

/** The entries that claim this flow gets out (verdict internet), as `kind value protocols ports (rule)`. */
function claims(reach: ReachSource, ip: string, port: number, transport: Transport): string[] {
  return reach.allowed.filter((e) => e.verdict === 'internet' && entryCovers(e, ip, port, transport))
    .map((e) => `${e.kind} ${e.value} ${e.protocols.join('/')} ${e.ports.join(',')} (${e.rule})`);
}


describe('reach: a firewall rule for two protocols, one of them denied by the source NSG', () => {
  /**
   * Spoke subnet `app` routes 0/0 to the hub firewall, whose network rule allows 20.0.0.0/8 on port
   * 53 for TCP and UDP; the subnet's NSG denies TCP 53 to 20.0.0.0/8. The rule used to be judged on
   * its first protocol (TCP 53), which the NSG denies, and the whole entry was dropped, UDP 53
   * included, although UDP 53 gets out. README (mayReach): a rule's "other protocols are "may
   * reach", never dropped". Expected: the part of the rule the NSG lets out (UDP 53) is judged on
   * its own flow and listed as reached; TCP 53 is not claimed.
   */
  function estate() {
    const { b, app } = hubSpokeFirewall([
      networkRule('dns-20', { destinationAddresses: ['20.0.0.0/8'], destinationPorts: ['53'], protocols: ['TCP', 'UDP'] }),
      applicationRule('stripe', ['api.stripe.com']),
    ]);
    b.updateSubnet(app, { networkSecurityGroupId: b.nsg('nsg-app', [securityRule('deny-tcp-53', 100, 'Deny', '20.0.0.0/8', { protocol: 'Tcp', destinationPortRanges: ['53'] })]) });
    return { input: inputOf(b), app };
  }

  it('lists UDP 53 to 20.0.0.0/8 as reached, as resolve says, and does not claim TCP 53', () => {
    const { input, app } = estate();
    expect(pathTo(input, '20.1.2.3:53/udp', app).verdict).toBe('internet');
    expect(pathTo(input, '20.1.2.3:53/tcp', app).verdict).toBe('denied');
    const reach = reachOf(input, app);
    expect(claims(reach, '20.1.2.3', 53, 'Udp')).toEqual(['cidr 20.0.0.0/8 UDP 53 (fw-policy/net/dns-20)']);
    expect(claims(reach, '20.1.2.3', 53, 'Tcp')).toEqual([]);
  });
});

describe('reach: a firewall rule for two protocols, the other one denied by the source NSG', () => {
  /**
   * The firewall rule allows 8.8.8.0/24 on TCP and UDP 53; the subnet's NSG denies UDP 53. Reach
   * used to state the rule as it is written (TCP/UDP 53, internet) because its judged flow (TCP 53)
   * gets out. README (mayReach): "when it gets out the entry states the rule's ports within those
   * its NSGs let out". Expected: the entry states TCP 53 alone.
   */
  it('states TCP 53 only', () => {
    const { b, app } = hubSpokeFirewall([networkRule('dns', { destinationAddresses: ['8.8.8.0/24'], destinationPorts: ['53'], protocols: ['TCP', 'UDP'] })]);
    b.updateSubnet(app, { networkSecurityGroupId: b.nsg('nsg-app', [securityRule('deny-udp-dns', 100, 'Deny', '*', { protocol: 'Udp', destinationPortRanges: ['53'] })]) });
    const input = inputOf(b);
    expect(pathTo(input, '8.8.8.8:53/udp', app).verdict).toBe('denied');
    expect(pathTo(input, '8.8.8.8:53/tcp', app).verdict).toBe('internet');
    const reach = reachOf(input, app);
    expect(claims(reach, '8.8.8.8', 53, 'Udp')).toEqual([]);
    expect(claims(reach, '8.8.8.8', 53, 'Tcp')).toEqual(['cidr 8.8.8.0/24 TCP 53 (fw-policy/net/dns)']);
  });
});

describe('reach: per-protocol port sets are not merged', () => {
  /**
   * No firewall: subnet `app` (NAT gateway) whose NSG allows 20.0.0.0/8 on every port and denies
   * the rest; NIC vm1's own NSG denies TCP 80. vm1's class of TCP 443 holds TCP 0-79, 81-65535 and
   * every UDP port; merged into one port list ("0-79, 81-65535, *") read against TCP and UDP it
   * claimed TCP 80 again. Expected: one entry per protocol when their ports differ.
   */
  it('vm1 reaches 20.0.0.0/8 on TCP but 80 and on every UDP port, in two entries', () => {
    const b = new ModelBuilder();
    const vnet = b.vnet('spoke', ['10.1.0.0/16']);
    const subnetNsg = b.nsg('nsg-subnet', [securityRule('allow-20', 100, 'Allow', '20.0.0.0/8'), securityRule('deny-all', 4000, 'Deny', '*')]);
    const app = b.subnet(vnet, 'app', '10.1.1.0/24', { networkSecurityGroupId: subnetNsg, natGatewayId: b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.0.1.1')] }) });
    const vm1 = b.nic(app, 'vm1', '10.1.1.4', { nsgId: b.nsg('nsg-nic', [securityRule('deny-http', 100, 'Deny', '*', { protocol: 'Tcp', destinationPortRanges: ['80'] })]) });
    const input = inputOf(b);
    expect(pathTo(input, '20.1.2.3:80/tcp', vm1, app).verdict).toBe('denied');
    const reach = reachOf(input, vm1);
    expect(reach.allowed.map((e) => `${e.kind} ${e.value} ${e.protocols.join('/')} ${e.ports.join(',')} ${e.verdict}`)).toEqual([
      'cidr 20.0.0.0/8 Tcp 0-79,81-65535 internet',
      'cidr 20.0.0.0/8 Udp * internet',
    ]);
    expect(claims(reach, '20.1.2.3', 80, 'Tcp')).toEqual([]);
  });
});

describe('reach: a firewall rule found on another NSG class\'s what-if', () => {
  /**
   * The firewall allows every TCP port to every address; NIC vm1's NSG denies ports 1000-2000 and
   * TCP to 8.8.8.0/24. The rule, found again on the what-if of vm1's UDP class (which it does not
   * cover), used to be judged on TCP 443 and listed with all its ports (TCP `*`), TCP 1500 included.
   * Expected: a class's what-if lists a rule only on its ports within that class; the UDP class
   * holds none of this rule's, so TCP 1000-2000 stays unclaimed (README: "what both allow").
   */
  it('no entry claims TCP 1500, which the NIC NSG denies', () => {
    const { b, app } = hubSpokeFirewall([networkRule('all-tcp', { destinationAddresses: ['*'], destinationPorts: ['*'], protocols: ['TCP'] })]);
    const vm1 = b.nic(app, 'vm1', '10.1.1.4', { nsgId: b.nsg('nsg-nic', [
      securityRule('deny-range', 100, 'Deny', '0.0.0.0/0', { destinationPortRanges: ['1000-2000'] }),
      securityRule('deny-8', 110, 'Deny', '8.8.8.0/24', { protocol: 'Tcp' }),
    ]) });
    const input = inputOf(b);
    expect(pathTo(input, '9.9.9.9:1500/tcp', vm1, app).verdict).toBe('denied');
    expect(pathTo(input, '9.9.9.9:2500/tcp', vm1, app).verdict).toBe('internet');
    const reach = reachOf(input, vm1);
    expect(claims(reach, '9.9.9.9', 1500, 'Tcp')).toEqual([]);
    expect(claims(reach, '9.9.9.9', 2500, 'Tcp')).toEqual(['cidr 9.0.0.0/8 TCP 0-999,2001-65535 (fw-policy/net/all-tcp, within nsg-nic/AllowInternetOutBound)']);
  });
});

describe('reach: an NSG\'s allow through a firewall that decides by port', () => {
  /**
   * The firewall's only rule is an application rule for `*` on Https:443; the subnet's NSG denies
   * TCP to 8.8.8.0/24, so its TCP class lets out every other address on every port. That class's
   * answer on its probe (TCP 443) used to be stated for every TCP port, although Azure Firewall
   * denies what no rule allows (TCP 1500 here) [FWRULES]. Expected: through a firewall the NSG's
   * allow speaks for the probed flow alone; the firewall's rules are listed on their own ports.
   */
  it('no entry claims TCP 1500 to 1.1.1.1; HTTPS to it is reached', () => {
    const { b, app } = hubSpokeFirewall([applicationRule('web', ['*'])]);
    b.updateSubnet(app, { networkSecurityGroupId: b.nsg('nsg-app', [securityRule('deny-8', 100, 'Deny', '8.8.8.0/24', { protocol: 'Tcp' })]) });
    const input = inputOf(b);
    expect(pathTo(input, '1.1.1.1:1500/tcp', app).verdict).toBe('denied');
    expect(pathTo(input, 'internet:1500', app).verdict).toBe('denied');
    const reach = reachOf(input, app);
    expect(claims(reach, '1.1.1.1', 1500, 'Tcp')).toEqual([]);
    expect(claims(reach, '1.1.1.1', 443, 'Tcp')).toEqual([
      'cidr 1.0.0.0/8 Https 443 (fw-policy/app/web, within nsg-app/AllowInternetOutBound)',
      'cidr 1.0.0.0/8 Tcp 443 (nsg-app/AllowInternetOutBound)',
    ]);
  });

  /**
   * An NSG port class open to the internet (its what-if gets out restricted by nothing) through a
   * firewall whose rule allows every address on UDP 1-100 only: the class (every UDP port) is open
   * on its probe, UDP 1, and not on UDP 500. Expected: the rule's ports within the class (UDP
   * 1-100), not every UDP port.
   */
  it('an open class through a firewall states the opening rule\'s ports', () => {
    const { b, app } = hubSpokeFirewall([networkRule('udp-low', { destinationAddresses: ['*'], destinationPorts: ['1-100'], protocols: ['UDP'] })]);
    b.updateSubnet(app, { networkSecurityGroupId: b.nsg('nsg-app', [securityRule('deny-tcp', 100, 'Deny', '*', { protocol: 'Tcp' })]) });
    const input = inputOf(b);
    expect(pathTo(input, '9.9.9.9:500/udp', app).verdict).toBe('denied');
    const reach = reachOf(input, app);
    expect(reach.allowed.map((e) => `${e.kind} ${e.value} ${e.protocols.join('/')} ${e.ports.join(',')} ${e.verdict}`)).toEqual(['any * UDP 1-100 internet']);
    expect(claims(reach, '9.9.9.9', 500, 'Udp')).toEqual([]);
  });
});

describe('reach: both NSGs of a NIC split its addresses', () => {
  /**
   * No firewall: subnet `app`'s NSG denies port 53 to 8.8.8.0/24; NIC vm1's own NSG denies UDP 53 to
   * 20.0.0.0/8. vm1's UDP 53 what-if passes two restricting NSGs; reach listed each one's allowed
   * prefixes on its own (their union), so the subnet's 16.0.0.0/4 claimed UDP 53 to 20.1.2.3.
   * Outbound, a packet needs the allow of the NIC's NSG and of the subnet's [NSGHOW]
   * https://learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works
   * Expected: the prefixes both allow (their intersection).
   */
  it('no entry of vm1 claims UDP 53 to 20.1.2.3; 8.8.4.4 is reached', () => {
    const b = new ModelBuilder();
    const vnet = b.vnet('spoke', ['10.1.0.0/16']);
    const app = b.subnet(vnet, 'app', '10.1.1.0/24', { networkSecurityGroupId: b.nsg('nsg-app', [securityRule('deny-8-53', 100, 'Deny', '8.8.8.0/24', { destinationPortRanges: ['53'] })]) });
    const vm1 = b.nic(app, 'vm1', '10.1.1.4', { nsgId: b.nsg('nsg-nic', [securityRule('deny-20-dns', 100, 'Deny', '20.0.0.0/8', { protocol: 'Udp', destinationPortRanges: ['53'] })]) });
    const input = inputOf(b);
    expect(pathTo(input, '20.1.2.3:53/udp', vm1, app).verdict).toBe('denied');
    const reach = reachOf(input, vm1);
    expect(claims(reach, '20.1.2.3', 53, 'Udp')).toEqual([]);
    expect(claims(reach, '8.8.8.8', 53, 'Udp')).toEqual([]);
    expect(claims(reach, '8.8.4.4', 53, 'Udp')).toEqual(['cidr 8.8.0.0/21 Udp 53 (nsg-nic/AllowInternetOutBound, nsg-app/AllowInternetOutBound)']);
  });

  /**
   * The same for a firewall rule's range: the firewall allows 16.0.0.0/4 on UDP 53 and vm1's NSG
   * denies UDP 53 to 20.0.0.0/8. The engine answers a range `internet` when part of it gets out,
   * restricted to that part; reach stated the whole range. Expected: the part the path is
   * restricted to.
   */
  it('a firewall rule\'s range is stated as the part the NIC NSG lets out', () => {
    const { b, app } = hubSpokeFirewall([networkRule('dns16', { destinationAddresses: ['16.0.0.0/4'], destinationPorts: ['53'], protocols: ['UDP'] })]);
    const vm1 = b.nic(app, 'vm1', '10.1.1.4', { nsgId: b.nsg('nsg-nic', [securityRule('deny-20-dns', 100, 'Deny', '20.0.0.0/8', { protocol: 'Udp', destinationPortRanges: ['53'] })]) });
    const input = inputOf(b);
    const reach = reachOf(input, vm1);
    expect(claims(reach, '20.1.2.3', 53, 'Udp')).toEqual([]);
    expect(claims(reach, '21.1.2.3', 53, 'Udp')).toContain('cidr 21.0.0.0/8 UDP 53 (fw-policy/net/dns16, within nsg-nic/AllowInternetOutBound)');
  });
});

describe('reach: a hop past the source that decides by port', () => {
  /**
   * Spoke subnet `app` routes 0/0 to an NVA whose subnet NSG denies TCP 443 out and lets the rest
   * out. The default route (TCP 443) is denied there; TCP 80 gets out. Reach judged the class of
   * TCP 443 (every port, here) on that one answer and listed nothing. README: past a hop that
   * decides by port "only TCP 443 is resolved and it "may reach" anything on the other ports".
   */
  it('the other ports "may reach" anything, never dropped', () => {
    const { b, spoke, rt } = nvaHubSpoke([securityRule('deny-https-out', 100, 'Deny', '*', { protocol: 'Tcp', destinationPortRanges: ['443'] })]);
    const app = b.subnet(spoke, 'app', '10.1.1.0/24', { routeTableId: rt });
    const input = inputOf(b);
    expect(pathTo(input, '9.9.9.9:443/tcp', app).verdict).toBe('denied');
    expect(pathTo(input, '9.9.9.9:80/tcp', app).verdict).toBe('internet');
    const reach = reachOf(input, app);
    expect(claims(reach, '9.9.9.9', 443, 'Tcp')).toEqual([]);
    expect(listing(reach, '9.9.9.9', 80, 'Tcp')).toEqual(['any * Tcp 0-442,444-65535 unknown']);
    expect(listing(reach, '9.9.9.9', 53, 'Udp')).toEqual(['any * Udp * unknown']);
  });
});

// ---- property: random small hub-and-spoke estates -------------------------------------------

const FIREWALL_DESTINATIONS = ['8.8.8.0/24', '16.0.0.0/4', '20.0.0.0/8', '20.1.0.0/16', '*', '1.1.1.1'];
const FIREWALL_PORTS: readonly (readonly string[])[] = [['443'], ['80'], ['53'], ['1000-2000'], ['*'], ['53', '123'], ['50-60']];
const FIREWALL_PROTOCOLS: readonly (readonly string[])[] = [['TCP'], ['UDP'], ['Any'], ['TCP', 'UDP'], ['ICMP'], ['TCP', 'ICMP']];
const NSG_DESTINATIONS = ['Internet', '8.8.8.0/24', '20.0.0.0/8', '20.1.0.0/16', '16.0.0.0/4', '*', '0.0.0.0/0'];
const NSG_PORTS = ['443', '80', '22', '1000-2000', '*', '53', '123', '50-60'];
/** The flows every source is asked about: addresses inside and across the rules' prefixes, ports inside and across their ranges. */
const PROBED_IPS = ['8.8.8.8', '20.1.2.3', '20.2.0.1', '16.0.0.1', '1.1.1.1', '9.9.9.9'];
const PROBED_PORTS: readonly (readonly [number, Transport])[] = [[443, 'Tcp'], [80, 'Tcp'], [22, 'Tcp'], [1500, 'Tcp'], [53, 'Udp'], [53, 'Tcp'], [123, 'Udp'], [443, 'Udp'], [55, 'Udp'], [3000, 'Tcp']];

const nsgRuleArb = fc.record({
  deny: fc.boolean(), destination: fc.constantFrom(...NSG_DESTINATIONS), protocol: fc.constantFrom('Tcp', 'Udp', '*'), ports: fc.constantFrom(...NSG_PORTS),
});
const nsgArb = fc.record({ rules: fc.array(nsgRuleArb, { minLength: 1, maxLength: 3 }), denyAll: fc.boolean() });
const firewallRuleArb = fc.oneof(
  fc.record({
    kind: fc.constant('network' as const), deny: fc.boolean(), destination: fc.constantFrom(...FIREWALL_DESTINATIONS),
    ports: fc.constantFrom(...FIREWALL_PORTS), protocols: fc.constantFrom(...FIREWALL_PROTOCOLS),
  }),
  fc.record({
    kind: fc.constant('application' as const), deny: fc.boolean(), target: fc.constantFrom('example.com', '*', 'api.stripe.com'),
    protocols: fc.constantFrom(['Https:443'], ['Http:80'], ['Https:8443'], ['Http:80', 'Https:443']),
  }),
);
const subnetArb = fc.record({
  /** How it leaves: through the hub firewall, the hub NVA, a NAT gateway, or default outbound access. */
  exit: fc.constantFrom('firewall', 'firewall', 'nva', 'nat', 'default'),
  nsg: fc.option(nsgArb, { nil: null }),
  nicNsg: fc.option(nsgArb, { nil: null }),
  /** A UDR for a public prefix beside the default route: straight to the Internet (around the firewall), or to the firewall. */
  bypass: fc.option(fc.record({ prefix: fc.constantFrom('20.1.0.0/16', '16.0.0.0/4', '8.8.8.0/24', '1.1.1.1/32'), nextHop: fc.constantFrom('Internet', 'Internet', 'firewall') }), { nil: null }),
});
/** A Deny network rule processed before every other rule (its own collection, priority 50), often before an allow that opens the path. */
const earlyDenyArb = fc.record({ ports: fc.constantFrom(...FIREWALL_PORTS), protocols: fc.constantFrom(['TCP'], ['UDP'], ['Any']), destination: fc.constantFrom('*', '*', '20.0.0.0/8', '8.8.8.0/24') });
const estateArb = fc.record({
  earlyDeny: fc.option(earlyDenyArb, { nil: null }),
  firewallRules: fc.array(firewallRuleArb, { maxLength: 3 }),
  nvaNsg: fc.option(fc.record({ inbound: nsgRuleArb, outbound: nsgRuleArb }), { nil: null }),
  subnets: fc.array(subnetArb, { minLength: 1, maxLength: 3 }),
});

type NsgRuleSpec = typeof nsgRuleArb extends fc.Arbitrary<infer T> ? T : never;
type NsgSpec = typeof nsgArb extends fc.Arbitrary<infer T> ? T : never;
type EstateSpec = typeof estateArb extends fc.Arbitrary<infer T> ? T : never;

function nsgRules(spec: NsgSpec): SecurityRule[] {
  return [
    ...spec.rules.map((r, i) => securityRule(`r${i}`, 100 + i * 10, r.deny ? 'Deny' : 'Allow', r.destination, { protocol: r.protocol, destinationPortRanges: [r.ports] })),
    ...(spec.denyAll ? [securityRule('deny-all', 4000, 'Deny', '*')] : []),
  ];
}

function estateOf(spec: EstateSpec): ResolveInput {
  const rules: FirewallRule[] = spec.firewallRules.map((r, i) => {
    const common = { priority: 100 + i * 10, collection: `c${i}`, action: r.deny ? 'Deny' as const : 'Allow' as const };
    return r.kind === 'network'
      ? networkRule(`n${i}`, { ...common, destinationAddresses: [r.destination], destinationPorts: r.ports, protocols: r.protocols })
      : applicationRule(`a${i}`, [r.target], { ...common, protocols: r.protocols });
  });
  if (spec.earlyDeny) {
    const d = spec.earlyDeny;
    rules.unshift(networkRule('early-deny', { action: 'Deny', collection: 'deny-first', priority: 50, destinationAddresses: [d.destination], destinationPorts: d.ports, protocols: d.protocols }));
  }
  const { b, hub, spoke } = hubSpokeFirewall(rules);
  const firewallRoutes = b.routeTable('rt-fw', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: HUB_FIREWALL_IP }]);
  const nvaRule = (r: NsgRuleSpec, name: string, direction: 'Inbound' | 'Outbound'): SecurityRule =>
    securityRule(name, 100, r.deny ? 'Deny' : 'Allow', r.destination, { direction, protocol: r.protocol, destinationPortRanges: [r.ports] });
  const nvaNsg = spec.nvaNsg ? b.nsg('nsg-nva', [nvaRule(spec.nvaNsg.inbound, 'in0', 'Inbound'), securityRule('in1', 110, 'Allow', '*', { direction: 'Inbound' }), nvaRule(spec.nvaNsg.outbound, 'out0', 'Outbound')]) : undefined;
  b.nic(b.subnet(hub, 'nva', '10.0.2.0/24', nvaNsg ? { networkSecurityGroupId: nvaNsg } : {}), 'nva-nic', '10.0.2.4', { ipForwarding: true, publicIpId: b.publicIp('nva-pip', '20.0.0.20') });
  const nvaRoutes = b.routeTable('rt-nva', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.2.4' }]);
  spec.subnets.forEach((s, i) => {
    const shared: ResourceId | null = s.exit === 'firewall' ? firewallRoutes : s.exit === 'nva' ? nvaRoutes : null;
    const defaultRoute = s.exit === 'firewall' ? [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: HUB_FIREWALL_IP }]
      : s.exit === 'nva' ? [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.2.4' }] : [];
    const bypass = s.bypass === null ? []
      : [s.bypass.nextHop === 'Internet' ? { prefix: s.bypass.prefix, nextHopType: 'Internet' } : { prefix: s.bypass.prefix, nextHopType: 'VirtualAppliance', nextHopIp: HUB_FIREWALL_IP }];
    const routeTableId: ResourceId | null = bypass.length > 0 ? b.routeTable(`rt-s${i}`, [...defaultRoute, ...bypass]) : shared;
    const natGatewayId = s.exit === 'nat' ? b.natGateway(`nat${i}`, { publicIpIds: [b.publicIp(`nat-pip${i}`, `20.0.1.${i + 1}`)] }) : null;
    const id = b.subnet(spoke, `s${i}`, `10.1.${10 + i}.0/24`, {
      ...(routeTableId ? { routeTableId } : {}), ...(natGatewayId ? { natGatewayId } : {}), ...(s.nsg ? { networkSecurityGroupId: b.nsg(`nsg${i}`, nsgRules(s.nsg)) } : {}),
    });
    b.nic(id, `vm${i}`, `10.1.${10 + i}.4`, s.nicNsg ? { nsgId: b.nsg(`nic-nsg${i}`, nsgRules(s.nicNsg)) } : {});
  });
  return inputOf(b);
}

describe('property: reach agrees with resolve --destination on random small hub-and-spoke estates', () => {
  /**
   * For every source reach lists and every probed flow: when resolve lets the flow out, some entry
   * covers it (internet or "may reach": never dropped); when an entry claims it gets out (verdict
   * internet, no names excepted), resolve does not stop it (internet, or unknown where it cannot
   * decide). Estates: a hub Azure Firewall (random network and application rules, allows and
   * denies), a hub NVA whose NSG may decide by port, and spoke subnets leaving through either, a
   * NAT gateway or default outbound, with random subnet and NIC NSGs.
   */
  it('never drops a flow resolve lets out, never claims one it stops', () => {
    fc.assert(fc.property(estateArb, (spec) => {
      const input = estateOf(spec);
      const reach = computeReach(input);
      const answers = new Map<string, ReadonlyMap<string, EgressPath>>();
      const answer = (destination: string): ReadonlyMap<string, EgressPath> => {
        let byKey = answers.get(destination);
        if (!byKey) {
          byKey = new Map(resolveEgress(input, { destination }).paths.map((p) => [`${p.source.type}|${p.source.id}`, p]));
          answers.set(destination, byKey);
        }
        return byKey;
      };
      const problems: string[] = [];
      for (const source of reach.sources) {
        const own = `${source.source.type}|${source.source.id}`;
        const subnet = source.source.type === 'nic' ? `subnet|${source.source.subnetId ?? ''}` : own;
        for (const ip of PROBED_IPS) {
          for (const [port, transport] of PROBED_PORTS) {
            const byKey = answer(`${ip}:${port}/${transport.toLowerCase()}`);
            const path = byKey.get(own) ?? byKey.get(subnet);
            if (!path) continue;
            const covering = source.allowed.filter((e) => entryCovers(e, ip, port, transport));
            if (path.verdict === 'internet' && covering.length === 0) problems.push(`${source.source.name} ${ip}:${port}/${transport}: resolve internet, no entry covers it`);
            const claimed = covering.filter((e) => e.verdict === 'internet' && (e.except ?? []).length === 0);
            if (claimed.length > 0 && path.verdict !== 'internet' && path.verdict !== 'unknown') {
              problems.push(`${source.source.name} ${ip}:${port}/${transport}: resolve ${path.verdict}, reach claims ${claimed.map((e) => `${e.kind} ${e.value} ${e.protocols.join('/')} ${e.ports.join(',')}`).join('; ')}`);
            }
          }
        }
      }
      expect(problems).toEqual([]);
    }), { numRuns: 40, seed: 20261127 });
  });
});

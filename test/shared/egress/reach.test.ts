/**
 * computeReach beyond the default route's one flow and the rule fields it used to read: ports an
 * NSG treats differently from TCP 443, firewall network rules to IP groups, and Premium
 * application rules with target URLs. README (reach): each source lists "each destination the
 * firewall or NSG rules on its path allow"; a destination left out is one `check`'s mayReach
 * would silently pass.
 */
import { describe, expect, it } from 'vitest';
import type { ResolveInput } from '../../../shared/egress/index';
import { resolveEgress } from '../../../shared/egress/index';
import { computeReach, entriesBeyondSubnet, nicsFollowingSubnet, reachDestinationText } from '../../../shared/egress/reach';
import type { ReachEntry, ReachSource } from '../../../shared/egress/reach';
import type { SecurityRule } from '../../../shared/model/topology';
import { applicationRule, ModelBuilder, networkId, networkRule, securityRule } from '../../support/model-builder';
import { hubSpokeFirewall, jumpHostModel, nvaWithNsgModel, webDeniesHttpsModel } from './support';

const input = (model: ResolveInput['model']): ResolveInput => ({ model, effectiveRoutes: [], metrics: [], gaps: [] });

/** Subnet `app` behind a NAT gateway (20.0.0.1), its NSG holding these outbound rules. */
function natSubnet(rules: readonly SecurityRule[]): ResolveInput {
  const b = new ModelBuilder();
  const vnet = b.vnet('spoke', ['10.1.0.0/16']);
  const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.0.0.1')] });
  b.subnet(vnet, 'app', '10.1.1.0/24', { natGatewayId: nat, networkSecurityGroupId: b.nsg('nsg-app', rules) });
  return input(b.build());
}

function reachOf(estate: ResolveInput, name = 'app'): ReachSource {
  const found = computeReach(estate).sources.find((s) => s.source.name === name);
  if (!found) throw new Error(`no reach for ${name}`);
  return found;
}

/** What decides a mayReach judgement, entry by entry. */
const entries = (reach: ReachSource): unknown[] => reach.allowed.map((e) => [e.kind, e.value, e.ports, e.protocols, e.verdict, e.rule]);

describe('reach: ports an NSG treats differently from TCP 443', () => {
  it('an NSG that allows Internet on TCP 80 and denies the rest: everything on TCP 80 is reachable', () => {
    // egress-rules.md §7: NSG rules are matched per flow, first match wins, so TCP 80 to any public
    // address is allowed. The default route (TCP 443) is denied, and used to be all reach looked at.
    const estate = natSubnet([
      securityRule('allow-http-out', 100, 'Allow', 'Internet', { protocol: 'Tcp', destinationPortRanges: ['80'] }),
      securityRule('deny-internet', 200, 'Deny', 'Internet'),
    ]);
    const reach = reachOf(estate);
    expect(reach.defaultRoute).toBe('denied');
    expect(entries(reach)).toEqual([['any', '*', ['80'], ['Tcp'], 'internet', 'no inspection; NSG nsg-app rule allow-http-out allows it']]);
    expect(reach.allowed[0]).toMatchObject({ exit: 'nat-gateway', egressIps: ['20.0.0.1'] });
    // Any public destination on a port: unrestricted, as a firewall rule allowing `*` is.
    expect(reach.unrestricted).toBe(true);
  });

  it('the prefixes an NSG allows carry the ports and protocols it allows them on, not only TCP 443', () => {
    const allPorts = reachOf(natSubnet([securityRule('allow-partner', 100, 'Allow', '203.0.113.0/24'), securityRule('deny-internet', 200, 'Deny', 'Internet')]));
    expect(entries(allPorts)).toEqual([['cidr', '203.0.113.0/24', ['*'], ['Tcp', 'Udp'], 'internet', 'nsg-app/allow-partner']]);
    const https = reachOf(natSubnet([
      securityRule('allow-partner', 100, 'Allow', '203.0.113.0/24', { protocol: 'Tcp', destinationPortRanges: ['443'] }),
      securityRule('deny-internet', 200, 'Deny', 'Internet'),
    ]));
    expect(entries(https)).toEqual([['cidr', '203.0.113.0/24', ['443'], ['Tcp'], 'internet', 'nsg-app/allow-partner']]);
    // Denied on TCP 443, allowed on TCP 22 and 8000-8100: found through those ports' own what-if.
    const ssh = reachOf(natSubnet([
      securityRule('allow-partner-ssh', 100, 'Allow', '203.0.113.0/24', { protocol: 'Tcp', destinationPortRanges: ['22', '8000-8100'] }),
      securityRule('deny-internet', 200, 'Deny', 'Internet'),
    ]));
    expect(ssh.defaultRoute).toBe('denied');
    expect(entries(ssh)).toEqual([['cidr', '203.0.113.0/24', ['22', '8000-8100'], ['Tcp'], 'internet', 'nsg-app/allow-partner-ssh']]);
    expect(ssh.unrestricted).toBe(false);
  });
});

describe('reach: firewall rules', () => {
  it('a network rule to an IP group reaches the group\'s addresses (ranges as CIDRs); a group not in the input may let anything out', () => {
    // destinations.md §5.3: network rules match the destination "IP/CIDR/service tag/IP group/FQDN→IPs".
    const ipg = networkId('ipgroups', 'ipg-partners');
    const { b } = hubSpokeFirewall([networkRule('to-partners', { destinationAddresses: [], destinationIpGroupIds: [ipg] })]);
    b.ipGroup('ipg-partners', ['198.51.100.0/24', '192.0.2.10-192.0.2.13']);
    const estate = input(b.build());
    expect(resolveEgress(estate, { destination: '198.51.100.7' }).paths.find((p) => p.source.name === 'app')?.verdict).toBe('internet');
    expect(entries(reachOf(estate))).toEqual([
      ['cidr', '198.51.100.0/24', ['443'], ['TCP'], 'internet', 'fw-policy/net/to-partners'],
      ['cidr', '192.0.2.10/31', ['443'], ['TCP'], 'internet', 'fw-policy/net/to-partners'],
      ['cidr', '192.0.2.12/31', ['443'], ['TCP'], 'internet', 'fw-policy/net/to-partners'],
    ]);
    // A group listed without its addresses (a stub: id, name, type) is as unknown, never empty.
    const model = b.build();
    const stub = input({ ...model, ipGroups: model.ipGroups.map((g) => ({ ...g, ipAddresses: [], ipAddressesCaptured: false })) });
    expect(entries(reachOf(stub))).toEqual([
      ['any', '*', ['443'], ['TCP'], 'unknown', 'fw-policy/net/to-partners (IP group ipg-partners is in the input without its addresses)'],
    ]);
    const gone = hubSpokeFirewall([networkRule('to-partners', { destinationAddresses: [], destinationIpGroupIds: [networkId('ipgroups', 'ipg-gone')] })]);
    expect(entries(reachOf(input(gone.b.build())))).toEqual([
      ['any', '*', ['443'], ['TCP'], 'unknown', 'fw-policy/net/to-partners (IP group ipg-gone is not in the input)'],
    ]);
  });

  it('a Premium application rule with targetUrls reaches the URL\'s host, as the engine answers for it', () => {
    // destinations.md §5.1/§5.3: application rules match "targetFqdns | fqdnTags | webCategories | targetUrls".
    const { b } = hubSpokeFirewall([applicationRule('paste', [], { targetUrls: ['www.pastebin.example/upload'] })], { skuTier: 'Premium' });
    const estate = input(b.build());
    // The engine does not prove the URL's host blocked: some of its paths are allowed.
    expect(resolveEgress(estate, { destination: 'www.pastebin.example' }).paths.find((p) => p.source.name === 'app')?.verdict).toBe('unknown');
    expect(entries(reachOf(estate))).toEqual([['fqdn', 'www.pastebin.example', ['443'], ['Https'], 'unknown', 'fw-policy/app/paste']]);
  });
});

describe('reach: a firewall rule allowing any address is judged on its own port and protocol', () => {
  it('NTP (UDP 123) to `*`: any public destination on UDP 123, though the default route (TCP 443) is denied', () => {
    // A locked-down spoke: 0.0.0.0/0 to the hub firewall, whose policy allows only UDP 123 to `*` (a
    // common "NTP anywhere" network rule). Azure Firewall network rules match protocol, port and
    // address (https://learn.microsoft.com/azure/firewall/rule-processing): any public address is
    // reachable on UDP 123. The rule's `any` candidate used to take the default route's verdict,
    // resolved on TCP 443 (denied), and was dropped: reach listed nothing.
    const { b } = hubSpokeFirewall([networkRule('ntp-anywhere', { protocols: ['UDP'], destinationAddresses: ['*'], destinationPorts: ['123'] })]);
    const reach = reachOf(input(b.build()));
    expect(reach.defaultRoute).toBe('denied');
    expect(entries(reach)).toEqual([['any', '*', ['123'], ['UDP'], 'internet', 'fw-policy/net/ntp-anywhere']]);
    expect(reach.allowed[0]).toMatchObject({ exit: 'public-ip', egressIps: ['20.0.0.10'] });
    expect(reach.unrestricted).toBe(true);
  });

  it('TCP 22 to `*` and an application rule allowing `*` on Http:80 alike', () => {
    // Checked during review: the same happened for SSH anywhere and for plain HTTP to any name.
    const ssh = hubSpokeFirewall([networkRule('ssh-anywhere', { destinationAddresses: ['*'], destinationPorts: ['22'] })]);
    expect(entries(reachOf(input(ssh.b.build())))).toEqual([['any', '*', ['22'], ['TCP'], 'internet', 'fw-policy/net/ssh-anywhere']]);
    const http = hubSpokeFirewall([applicationRule('web-anywhere', ['*'], { protocols: ['Http:80'] })]);
    expect(entries(reachOf(input(http.b.build())))).toEqual([['any', '*', ['80'], ['Http'], 'internet', 'fw-policy/app/web-anywhere']]);
  });

  it('a rule on every port, found on the what-if of an NSG port class, is judged on that class\'s port, not on TCP 443', () => {
    // web's NSG denies TCP 443 and lets the other ports out to the firewall, which allows every TCP
    // port to every address but one name. The rule is found on the what-if of TCP 1-442/444-65535;
    // judged on TCP 443, where the NSG denies, it was dropped and reach listed nothing.
    const web = reachOf(input(webDeniesHttpsModel()), 'web');
    expect(web.defaultRoute).toBe('denied');
    // The entry states the ports the NSG lets out (every TCP port but 443), not the rule's `*`.
    expect(web.allowed.map((e) => [e.kind, e.ports, e.protocols, e.verdict, e.rule, e.except])).toEqual([['any', ['0-442', '444-65535'], ['TCP'], 'internet', 'fw-policy/net/all-tcp', ['evil.example']]]);
    expect(web.unrestricted).toBe(true);
  });
});

describe('reach: a rule with several ports or protocols, judged on one of them', () => {
  // Azure Firewall matches a network rule per flow (protocol, port, address) and processes rule
  // collections by priority, Deny and Allow alike, first match wins
  // (https://learn.microsoft.com/azure/firewall/rule-processing): an earlier Deny on one port of a
  // later Allow leaves the Allow's other ports open. Reach resolves a rule on one flow (one
  // whole-estate resolve per destination); when that flow is stopped, the rule's other ports and
  // protocols are "may reach" (unknown), never dropped: a control must not pass on a port nobody resolved.
  const partner = '203.0.113.0/24';
  const stopped = (rule: string, on: string): string => `fw-policy/net/${rule} (judged on ${on}, which is stopped; these ports are not resolved)`;

  it('an earlier Deny on the port judged does not hide the rule\'s other ports: they may reach', () => {
    // Judged on TCP 22 (denied), the rule used to be dropped: reach listed nothing, and a mayReach
    // control that forbids the partner range passed although TCP 3389 reaches it.
    const { b } = hubSpokeFirewall([
      networkRule('deny-partner-ssh', { action: 'Deny', priority: 100, collection: 'deny', destinationAddresses: [partner], destinationPorts: ['22'] }),
      networkRule('partner-admin', { priority: 200, destinationAddresses: [partner], destinationPorts: ['22', '3389'] }),
    ]);
    const estate = input(b.build());
    expect(resolveEgress(estate, { destination: '203.0.113.5:3389/tcp' }).paths.find((p) => p.source.name === 'app')?.verdict).toBe('internet');
    expect(entries(reachOf(estate))).toEqual([['cidr', partner, ['3389'], ['TCP'], 'unknown', stopped('partner-admin', 'TCP 22')]]);
  });

  it('a range or `*` whose judged port an earlier Deny stops: the whole item may reach', () => {
    const range = hubSpokeFirewall([
      networkRule('deny-1000', { action: 'Deny', priority: 100, collection: 'deny', destinationAddresses: [partner], destinationPorts: ['1000'] }),
      networkRule('partner-range', { priority: 200, destinationAddresses: [partner], destinationPorts: ['1000-2000'] }),
    ]);
    expect(entries(reachOf(input(range.b.build())))).toEqual([['cidr', partner, ['1000-2000'], ['TCP'], 'unknown', stopped('partner-range', 'TCP 1000')]]);
    const all = hubSpokeFirewall([
      networkRule('deny-https', { action: 'Deny', priority: 100, collection: 'deny', destinationAddresses: [partner], destinationPorts: ['443'] }),
      networkRule('partner-any-port', { priority: 200, destinationAddresses: [partner], destinationPorts: ['*'] }),
    ]);
    expect(entries(reachOf(input(all.b.build())))).toEqual([['cidr', partner, ['*'], ['TCP'], 'unknown', stopped('partner-any-port', 'TCP 443')]]);
  });

  it('TCP and UDP on one rule, the judged TCP stopped: both protocols may reach', () => {
    const { b } = hubSpokeFirewall([
      networkRule('deny-tcp-dns', { action: 'Deny', priority: 100, collection: 'deny', protocols: ['TCP'], destinationAddresses: ['*'], destinationPorts: ['53'] }),
      networkRule('dns-out', { priority: 200, protocols: ['TCP', 'UDP'], destinationAddresses: [partner], destinationPorts: ['53'] }),
    ]);
    expect(entries(reachOf(input(b.build())))).toEqual([['cidr', partner, ['53'], ['TCP', 'UDP'], 'unknown', stopped('dns-out', 'TCP 53')]]);
  });

  it('an ICMP rule: not modelled, so it may reach (never left out)', () => {
    const { b } = hubSpokeFirewall([networkRule('ping-partner', { protocols: ['ICMP'], destinationAddresses: [partner], destinationPorts: ['*'] })]);
    expect(entries(reachOf(input(b.build())))).toEqual([['cidr', partner, ['*'], ['ICMP'], 'unknown', 'fw-policy/net/ping-partner']]);
  });

  it('the judged port gets out, but an earlier Deny names another of its ports: that port may reach, never claimed', () => {
    // First match wins (https://learn.microsoft.com/azure/firewall/rule-processing): TCP 3389 to the
    // partner meets deny-rdp before partner-admin. Judged on TCP 22 (allowed), the entry used to
    // claim TCP 22 and 3389 both reached the partner.
    const { b } = hubSpokeFirewall([
      networkRule('deny-rdp', { action: 'Deny', priority: 100, collection: 'deny', destinationAddresses: ['*'], destinationPorts: ['3389'] }),
      networkRule('partner-admin', { priority: 200, destinationAddresses: [partner], destinationPorts: ['22', '3389'] }),
    ]);
    const estate = input(b.build());
    expect(resolveEgress(estate, { destination: '203.0.113.5:3389/tcp' }).paths.find((p) => p.source.name === 'app')?.verdict).toBe('denied');
    expect(entries(reachOf(estate))).toEqual([
      ['cidr', partner, ['22'], ['TCP'], 'internet', 'fw-policy/net/partner-admin'],
      ['cidr', partner, ['3389'], ['TCP'], 'unknown', 'fw-policy/net/partner-admin (judged on TCP 22; Deny rule deny/deny-rdp (processed before it) may stop these ports, which are not resolved)'],
    ]);
  });

  it('a Deny processed after the allow, or one that names the judged port too, leaves the entry whole', () => {
    // After: the allow has matched first. Both ports: the judged flow met it as the others do.
    const after = hubSpokeFirewall([
      networkRule('partner-admin', { priority: 100, destinationAddresses: [partner], destinationPorts: ['22', '3389'] }),
      networkRule('deny-rdp', { action: 'Deny', priority: 200, collection: 'deny', destinationAddresses: ['*'], destinationPorts: ['3389'] }),
    ]);
    expect(entries(reachOf(input(after.b.build())))).toEqual([['cidr', partner, ['22', '3389'], ['TCP'], 'internet', 'fw-policy/net/partner-admin']]);
    const both = hubSpokeFirewall([
      networkRule('deny-other', { action: 'Deny', priority: 100, collection: 'deny', destinationAddresses: ['198.51.100.0/24'], destinationPorts: ['22', '3389'] }),
      networkRule('partner-admin', { priority: 200, destinationAddresses: [partner], destinationPorts: ['22', '3389'] }),
    ]);
    expect(entries(reachOf(input(both.b.build())))).toEqual([['cidr', partner, ['22', '3389'], ['TCP'], 'internet', 'fw-policy/net/partner-admin']]);
  });

  it('ports that all get out stay one entry, as the rule states them', () => {
    const { b } = hubSpokeFirewall([networkRule('partner-admin', { protocols: ['TCP', 'UDP'], destinationAddresses: [partner], destinationPorts: ['22', '3389'] })]);
    expect(entries(reachOf(input(b.build())))).toEqual([['cidr', partner, ['22', '3389'], ['TCP', 'UDP'], 'internet', 'fw-policy/net/partner-admin']]);
  });
});

describe('reach: an open path\'s entries say the ports its NSGs let out like TCP 443', () => {
  it('"HTTPS out only": any public destination on TCP 443 and nothing else', () => {
    // Every port class is evaluated (sourceFlows): all but TCP 443 are denied, and a NAT gateway
    // treats every port alike, so the open path's entry is exactly TCP 443 (it used to be TCP 443
    // because nothing else was looked at, and could not be told from "the rest is not evaluated").
    const reach = reachOf(natSubnet([
      securityRule('allow-https-out', 100, 'Allow', 'Internet', { protocol: 'Tcp', destinationPortRanges: ['443'] }),
      securityRule('deny-internet-out', 4000, 'Deny', 'Internet'),
    ]));
    expect(entries(reach)).toEqual([['any', '*', ['443'], ['Tcp'], 'internet', 'no inspection; NSG nsg-app rule allow-https-out allows it']]);
    expect(reach.allowed[0]).toMatchObject({ exit: 'nat-gateway', egressIps: ['20.0.0.1'] });
  });

  it('TCP 443 and UDP 123 allowed by two rules: one entry each, naming its own rule (not TCP on 123 nor UDP on 443)', () => {
    const reach = reachOf(natSubnet([
      securityRule('allow-https-out', 100, 'Allow', 'Internet', { protocol: 'Tcp', destinationPortRanges: ['443'] }),
      securityRule('allow-ntp-out', 110, 'Allow', 'Internet', { protocol: 'Udp', destinationPortRanges: ['123'] }),
      securityRule('deny-internet-out', 4000, 'Deny', 'Internet'),
    ]));
    expect(entries(reach)).toEqual([
      ['any', '*', ['443'], ['Tcp'], 'internet', 'no inspection; NSG nsg-app rule allow-https-out allows it'],
      ['any', '*', ['123'], ['Udp'], 'internet', 'no inspection; NSG nsg-app rule allow-ntp-out allows it'],
    ]);
  });

  it('no port-specific NSG rule: every port of both protocols', () => {
    const reach = reachOf(natSubnet([]));
    expect(entries(reach)).toEqual([['any', '*', ['*'], ['Tcp', 'Udp'], 'internet', 'no inspection; NSG nsg-app rule AllowInternetOutBound allows it']]);
  });

  it('through a firewall: what the rule that opens the path allows within the NSG\'s ports', () => {
    // The firewall allows every TCP port to every address; app has no NSG (TCP on every port gets
    // out), web's NSG lets out TCP 443 only. The rule is the open entry, not listed a second time.
    const { b, spoke } = hubSpokeFirewall([networkRule('all-tcp', { destinationPorts: ['*'] })]);
    const rt = b.routeTable('rt-web', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.1.4' }]);
    b.subnet(spoke, 'web', '10.1.2.0/24', { routeTableId: rt, networkSecurityGroupId: b.nsg('nsg-web', [
      securityRule('allow-https-out', 100, 'Allow', 'Internet', { protocol: 'Tcp', destinationPortRanges: ['443'] }),
      securityRule('deny-internet-out', 4000, 'Deny', 'Internet'),
    ]) });
    const estate = input(b.build());
    expect(entries(reachOf(estate))).toEqual([['any', '*', ['*'], ['Tcp'], 'internet', 'fw: net/all-tcp']]);
    expect(entries(reachOf(estate, 'web'))).toEqual([['any', '*', ['443'], ['Tcp'], 'internet', 'fw: net/all-tcp']]);
  });

  it('past an NVA whose subnet\'s NSG has port rules only TCP 443 is resolved: the other ports are "may reach"', () => {
    // The engine passes an NVA alike on every port (its own rules are not in the snapshot, and the
    // open entry says so), so without port rules on the way the answer holds for the whole class.
    // nsg-nva decides by port at the NVA (TCP 80 and 443 out): TCP 443's answer is not the others'.
    const nva = (portRules: boolean): ResolveInput => input(nvaWithNsgModel(portRules));
    const byNva = 'NVA nva-nic: its own rules are not visible to Azure';
    expect(entries(reachOf(nva(false)))).toEqual([['any', '*', ['*'], ['Tcp', 'Udp'], 'internet', byNva]]);
    const ported = nva(true);
    expect(entries(reachOf(ported))).toEqual([
      ['any', '*', ['443'], ['Tcp'], 'internet', byNva],
      ['any', '*', ['*'], ['Tcp', 'Udp'], 'unknown', 'only TCP 443 is resolved past NSG nsg-nva'],
    ]);
    // web's own NSG lets out TCP 443 alone: nothing is left unresolved.
    expect(entries(reachOf(ported, 'web'))).toEqual([['any', '*', ['443'], ['Tcp'], 'internet', byNva]]);
  });
  it('a load balancer rule that SNATs TCP only: UDP is not TCP 443\'s answer; one for All protocols holds for both', () => {
    // Outbound rules name their protocol (https://learn.microsoft.com/azure/load-balancer/outbound-rules):
    // a TCP rule gives UDP no SNAT through it, so the UDP ports are "may reach", not "can reach".
    const behindLb = (protocol: 'Tcp' | 'All'): ReachSource => {
      const b = new ModelBuilder();
      const vnet = b.vnet('spoke', ['10.1.0.0/16']);
      const app = b.subnet(vnet, 'app', '10.1.1.0/24');
      const lb = b.loadBalancer('lb-out', { frontends: [{ name: 'fe', publicIpId: b.publicIp('lb-pip', '20.0.0.30') }], pools: [{ name: 'pool' }], outboundRules: [{ name: 'out', frontends: ['fe'], pool: 'pool', protocol }] });
      b.nic(app, 'nic-vm', '10.1.1.4', { poolIds: [ModelBuilder.poolId(lb, 'pool')] });
      return reachOf(input(b.build()), 'nic-vm');
    };
    const byLb = 'no inspection and no NSG on the path';
    expect(entries(behindLb('All'))).toEqual([['any', '*', ['*'], ['Tcp', 'Udp'], 'internet', byLb]]);
    expect(entries(behindLb('Tcp'))).toEqual([
      ['any', '*', ['443'], ['Tcp'], 'internet', byLb],
      ['any', '*', ['*'], ['Tcp', 'Udp'], 'unknown', 'only TCP 443 is resolved past load balancer lb-out (its rule SNATs TCP only)'],
    ]);
  });
  it('load-balancing rules to one pool, one of them for All protocols: UDP is SNATed too', () => {
    // A step names every load-balancing rule that SNATs the flow ("https, any"): the protocol is read
    // from each of them, not from a rule of that joined name (none), which read UDP as not SNATed.
    const b = new ModelBuilder();
    const vnet = b.vnet('spoke', ['10.1.0.0/16']);
    const app = b.subnet(vnet, 'app', '10.1.1.0/24');
    const lb = b.loadBalancer('lb-out', {
      frontends: [{ name: 'fe1', publicIpId: b.publicIp('lb-pip1', '20.0.0.30') }, { name: 'fe2', publicIpId: b.publicIp('lb-pip2', '20.0.0.31') }],
      pools: [{ name: 'pool' }],
      rules: [{ name: 'https', frontend: 'fe1', pool: 'pool', protocol: 'Tcp' }, { name: 'any', frontend: 'fe2', pool: 'pool', protocol: 'All', port: 0 }],
    });
    b.nic(app, 'nic-vm', '10.1.1.4', { poolIds: [ModelBuilder.poolId(lb, 'pool')] });
    expect(entries(reachOf(input(b.build()), 'nic-vm'))).toEqual([['any', '*', ['*'], ['Tcp', 'Udp'], 'internet', 'no inspection and no NSG on the path']]);
  });
});

describe('reach: a NIC whose NSG rules treat ports otherwise than its subnet\'s', () => {
  function jumpHost(): ResolveInput {
    return input(jumpHostModel());
  }

  it('an ASG rule opening TCP 22 to Internet: the NIC is a source of its own; its subnet and the other NIC are unchanged', () => {
    // NSG rules apply to the members of the ASGs they name
    // (https://learn.microsoft.com/azure/virtual-network/application-security-groups). nic-jump's
    // TCP 443 path is its subnet's, so the default-route resolve has no entry for it, and reach,
    // which walked only those entries, never looked at its ports.
    const estate = jumpHost();
    expect(resolveEgress(estate).paths.map((p) => p.source.name)).toEqual(['app']);
    const reach = computeReach(estate);
    expect(reach.sources.map((s) => [s.source.type, s.source.name, s.unrestricted])).toEqual([['subnet', 'app', false], ['nic', 'nic-jump', true]]);
    const partner = ['cidr', '198.51.100.0/24', ['443'], ['Tcp'], 'internet', 'nsg-app/allow-partner'];
    expect(entries(reachOf(estate))).toEqual([partner]);
    expect(entries(reachOf(estate, 'nic-jump'))).toEqual([partner, ['any', '*', ['22'], ['Tcp'], 'internet', 'no inspection; NSG nsg-app rule allow-ssh-jump allows it']]);
    expect(reachOf(estate, 'nic-jump').source).toMatchObject({ type: 'nic', role: 'workload', subnetId: reachOf(estate).source.id });
    // Asked about the NIC alone (the app's "Can reach" for a NIC), reach answers for it.
    const jump = reachOf(estate, 'nic-jump').source.id;
    expect(computeReach(estate, { source: (s) => s.id === jump }).sources.map((s) => s.source.name)).toEqual(['nic-jump']);
  });

  it('such a NIC says it follows its subnet, and what it reaches beyond the subnet is its TCP 22 entry alone', () => {
    // The app and the evidence PDF list it under its subnet (it has no path of its own to show it under).
    const estate = jumpHost();
    const reach = computeReach(estate);
    expect(reach.sources.map((s) => [s.source.name, s.followsSubnet])).toEqual([['app', undefined], ['nic-jump', true]]);
    const app = reachOf(estate);
    const following = nicsFollowingSubnet(reach, app.source.id.toUpperCase());
    expect(following.map((s) => s.source.name)).toEqual(['nic-jump']);
    expect(entriesBeyondSubnet(following[0] as ReachSource, app).map((e) => [e.kind, e.ports, e.protocols, e.rule])).toEqual([
      ['any', ['22'], ['Tcp'], 'no inspection; NSG nsg-app rule allow-ssh-jump allows it'],
    ]);
  });
});

describe('reach: what rules before the allow keep out', () => {
  /** hubSpokeFirewall's estate with an NSG of these outbound rules on subnet `app`. */
  function behindNsg(firewallRules: Parameters<typeof hubSpokeFirewall>[0], nsgRules: readonly SecurityRule[]): ResolveInput {
    const b = new ModelBuilder();
    const hub = b.vnet('hub', ['10.0.0.0/16']);
    const spoke = b.vnet('spoke', ['10.1.0.0/16']);
    b.peer(spoke, hub);
    b.peer(hub, spoke);
    const policy = b.firewallPolicy('fw-policy', firewallRules);
    b.firewall('fw', { subnetId: b.subnet(hub, 'AzureFirewallSubnet', '10.0.1.0/26'), privateIp: '10.0.1.4', publicIpIds: [b.publicIp('fw-pip', '20.0.0.10')], policyId: policy });
    const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.1.4' }]);
    b.subnet(spoke, 'app', '10.1.1.0/24', { routeTableId: rt, networkSecurityGroupId: b.nsg('nsg-app', nsgRules) });
    return input(b.build());
  }

  it('a firewall rule allowing any address, behind an NSG that allows one prefix: the prefix the firewall lets through, not any public destination', () => {
    // NSG rules match the packet's original destination, so they still apply to traffic routed to
    // the firewall (https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview):
    // the subnet reaches 203.0.113.0/24 less what the firewall denies first. Reach used to list the
    // firewall rule as "any public destination" and call the subnet unrestricted, while every
    // address outside 203.0.113.0/24 is denied.
    const estate = behindNsg([
      networkRule('deny-upper', { destinationAddresses: ['203.0.113.128/25'], action: 'Deny', collection: 'deny', priority: 100 }),
      networkRule('all', { destinationAddresses: ['*'] }),
    ], [securityRule('allow-partner', 100, 'Allow', '203.0.113.0/24'), securityRule('deny-internet', 200, 'Deny', 'Internet')]);
    expect(resolveEgress(estate, { destination: '198.51.100.1' }).paths.find((p) => p.source.name === 'app')?.verdict).toBe('denied');
    const reach = reachOf(estate);
    expect(reach.unrestricted).toBe(false);
    expect(reach.allowed.filter((e) => e.kind === 'any')).toEqual([]);
    expect(reach.allowed[0]).toMatchObject({ kind: 'cidr', value: '203.0.113.0/25', ports: ['443'], verdict: 'internet', exit: 'public-ip', egressIps: ['20.0.0.10'], rule: 'fw-policy/net/all, within nsg-app/allow-partner' });
  });

  it('behind an NSG that allows a service tag the input has no prefixes for: the tag, not any public destination', () => {
    const estate = behindNsg([networkRule('all', { destinationAddresses: ['*'] })],
      [securityRule('allow-storage', 100, 'Allow', 'Storage'), securityRule('deny-internet', 200, 'Deny', 'Internet')]);
    const reach = reachOf(estate);
    expect(reach.unrestricted).toBe(false);
    expect(entries(reach)).toContainEqual(['service-tag', 'Storage', ['443'], ['TCP'], 'internet', 'fw-policy/net/all, within nsg-app/allow-storage']);
    expect(reach.allowed.filter((e) => e.kind === 'any')).toEqual([]);
  });

  it('a prefix an NSG allows after denying a service tag carries the tag as its exception', () => {
    // "Once traffic matches a rule, processing stops" (NSG overview): the Storage addresses inside
    // 20.0.0.0/8 are denied. The entry used to read "20.0.0.0/8" alone.
    const reach = reachOf(natSubnet([
      securityRule('deny-storage', 100, 'Deny', 'Storage'),
      securityRule('allow-20', 200, 'Allow', '20.0.0.0/8'),
      securityRule('deny-internet', 300, 'Deny', 'Internet'),
    ]));
    expect(reach.allowed.map((e) => [e.kind, e.value, e.verdict, e.except])).toEqual([['cidr', '20.0.0.0/8', 'internet', ['service tag Storage']]]);
    expect(reachDestinationText(reach.allowed[0] as ReachEntry)).toBe('20.0.0.0/8 except service tag Storage');
  });
});

describe('reach: flows that leave Azure to on-premises (onPremisesFlows)', () => {
  /** Subnet `app` forced-tunnelled (0.0.0.0/0 → VirtualNetworkGateway), its NSG denying `deny` to Internet. */
  function forced(deny: readonly SecurityRule[]): ResolveInput {
    const b = new ModelBuilder();
    const vnet = b.vnet('spoke', ['10.1.0.0/16']);
    b.subnet(vnet, 'GatewaySubnet', '10.1.255.0/27');
    b.gateway('vpngw', vnet);
    const rt = b.routeTable('rt-forced', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualNetworkGateway' }]);
    const nsg = b.nsg('nsg-app', [...deny]);
    b.subnet(vnet, 'app', '10.1.1.0/24', { routeTableId: rt, networkSecurityGroupId: nsg });
    return { model: b.build(), effectiveRoutes: [], metrics: [], gaps: [] };
  }
  const app = (input: ResolveInput): ReachSource | undefined => computeReach(input, {}).sources.find((s) => s.source.name === 'app');

  it('an NSG that denies only TCP 443: the default route is denied, and every other port is said to go on-premises', () => {
    // The default route is judged on TCP 443 (denied here); the NSG port classes that let something
    // out are what-ifs of their own, which end on-premises. `allowed` lists none of them (what the
    // source reaches beyond the tunnel is not in the input), so without this field a caller (check's
    // mayReach) could not tell this source from one that reaches nothing at all.
    const reach = app(forced([securityRule('deny-https-out', 100, 'Deny', 'Internet', { protocol: 'Tcp', destinationPortRanges: ['443'] })]));
    expect(reach?.defaultRoute).toBe('denied');
    expect(reach?.allowed).toEqual([]);
    expect(reach?.onPremisesFlows).toEqual([{ protocols: ['Tcp'], ports: ['0-442', '444-65535'] }, { protocols: ['Udp'], ports: ['*'] }]);
  });

  it('the default route on-premises: its own port class; a source whose flows stay in Azure or are denied has none', () => {
    expect(app(forced([]))?.onPremisesFlows).toEqual([{ protocols: ['Tcp', 'Udp'], ports: ['*'] }]);
    expect(app(forced([securityRule('deny-all-out', 100, 'Deny', 'Internet')]))?.onPremisesFlows).toBeUndefined();
    const b = new ModelBuilder();
    const vnet = b.vnet('spoke', ['10.1.0.0/16']);
    b.subnet(vnet, 'app', '10.1.1.0/24');
    expect(app({ model: b.build(), effectiveRoutes: [], metrics: [], gaps: [] })?.onPremisesFlows).toBeUndefined();
  });

  it('an NSG rule to an on-premises range over the VPN is private traffic, not a forced tunnel', () => {
    // No 0.0.0.0/0 to the gateway: only 192.168.0.0/16 goes there, and the NSG lets out only that
    // range on TCP 1433. What reaches on-premises is a private range, not the internet.
    const b = new ModelBuilder();
    const vnet = b.vnet('spoke', ['10.1.0.0/16']);
    b.subnet(vnet, 'GatewaySubnet', '10.1.255.0/27');
    b.gateway('vpngw', vnet);
    const rt = b.routeTable('rt-onprem', [{ prefix: '192.168.0.0/16', nextHopType: 'VirtualNetworkGateway' }]);
    const nsg = b.nsg('nsg-app', [
      securityRule('allow-sql-onprem', 100, 'Allow', '192.168.0.0/16', { protocol: 'Tcp', destinationPortRanges: ['1433'] }),
      securityRule('deny-internet', 200, 'Deny', 'Internet'),
    ]);
    b.subnet(vnet, 'app', '10.1.1.0/24', { routeTableId: rt, networkSecurityGroupId: nsg });
    const reach = app({ model: b.build(), effectiveRoutes: [], metrics: [], gaps: [] });
    expect(reach?.defaultRoute).toBe('denied');
    expect(reach?.onPremisesFlows).toBeUndefined();
    // A firewall rule allowing that range: its what-if ends on-premises, and is no forced tunnel either.
    const estate = hubSpokeFirewall([networkRule('sql-onprem', { destinationAddresses: ['192.168.0.0/16'], destinationPorts: ['1433'] })]);
    estate.b.subnet(estate.spoke, 'GatewaySubnet', '10.1.255.0/27');
    estate.b.gateway('vpngw', estate.spoke);
    const both = estate.b.routeTable('rt-both', [
      { prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.1.4' },
      { prefix: '192.168.0.0/16', nextHopType: 'VirtualNetworkGateway' },
    ]);
    estate.b.subnet(estate.spoke, 'app2', '10.1.2.0/24', { routeTableId: both });
    const input: ResolveInput = { model: estate.b.build(), effectiveRoutes: [], metrics: [], gaps: [] };
    expect(resolveEgress(input, { destination: '192.168.1.1:1433/tcp' }).paths.find((p) => p.source.name === 'app2')?.verdict).toBe('on-premises');
    const viaFirewall = computeReach(input, {}).sources.find((s) => s.source.name === 'app2');
    expect(viaFirewall?.defaultRoute).toBe('denied');
    expect(viaFirewall?.onPremisesFlows).toBeUndefined();
  });
});

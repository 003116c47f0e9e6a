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
import { computeReach } from '../../../shared/egress/reach';
import type { ReachSource } from '../../../shared/egress/reach';
import type { SecurityRule } from '../../../shared/model/topology';
import { applicationRule, ModelBuilder, networkId, networkRule, securityRule } from '../../support/model-builder';
import { hubSpokeFirewall } from './support';

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

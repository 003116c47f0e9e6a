/**
 * NSG evaluation over ranges of destinations (the default route = all public IPv4 space), tags
 * without prefix data, and inbound evaluation at an appliance.
 * [NSG] https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview
 * [NSGHOW] https://learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works
 * [TAG] https://learn.microsoft.com/azure/virtual-network/service-tags-overview
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateNsg, evaluateNsgChain, evaluateNsgForDestination, type NsgVerdict } from '../../../shared/egress/nsg';
import { Ipv4Set, publicIpv4 } from '../../../shared/model/ip-set';
import type { NetworkSecurityGroup, SecurityRule } from '../../../shared/model/topology';
import { securityRule } from '../../support/model-builder';
import { INTERNET, SHAPES, from, normalize, nsgJson, onlyNsg, to, type RuleJson } from './nsg-support';

const APP = from('10.1.1.4/32');

function nsgOf(rules: readonly RuleJson[], shape: 'rest' | 'az' = 'rest'): NetworkSecurityGroup {
  return onlyNsg(normalize([nsgJson('nsg', rules)], shape), 'nsg');
}

function bare(rules: readonly SecurityRule[]): NetworkSecurityGroup {
  return { id: '/nsg' as NetworkSecurityGroup['id'], name: 'nsg', subscriptionId: 's', resourceGroup: 'rg', location: null, tags: {}, kind: 'networkSecurityGroup', securityRules: rules };
}

const out = (name: string, priority: number, access: 'Allow' | 'Deny', destination: string, extra: Partial<RuleJson> = {}): RuleJson =>
  ({ name, priority, direction: 'Outbound', access, destinationAddressPrefix: destination, ...extra });

function partial(v: NsgVerdict): Extract<NsgVerdict, { access: 'Partial' }> {
  if (v.access !== 'Partial') throw new Error(`expected Partial, got ${v.access}: ${v.reason}`);
  return v;
}

function unknown(v: NsgVerdict): Extract<NsgVerdict, { access: 'Unknown' }> {
  if (v.access !== 'Unknown') throw new Error(`expected Unknown, got ${v.access}: ${v.reason}`);
  return v;
}

describe('default route: coverage of the public IPv4 space', () => {
  for (const shape of SHAPES) {
    // [NSG] default rules: AllowInternetOutBound (65001) allows the Internet tag.
    it(`an NSG with only Azure's default rules allows the internet (${shape})`, () => {
      const v = evaluateNsgForDestination(nsgOf([], shape), INTERNET, APP, 'Outbound');
      expect(v.access).toBe('Allow');
      expect(v.rules.map((r) => r.rule.name)).toContain('AllowInternetOutBound');
      expect(v.defaultsAssumed).toBe(false);
    });

    // [NSG] priority order, first match wins: two half-space denies cover the whole default route,
    // although neither alone is 0.0.0.0/0.
    it(`deny 0.0.0.0/1 + deny 128.0.0.0/1 deny the default route (${shape})`, () => {
      const nsg = nsgOf([out('deny-low', 100, 'Deny', '0.0.0.0/1'), out('deny-high', 110, 'Deny', '128.0.0.0/1')], shape);
      const v = evaluateNsgForDestination(nsg, INTERNET, APP, 'Outbound');
      expect(v.access).toBe('Deny');
      expect(v.rules.map((r) => r.rule.name)).toEqual(['deny-low', 'deny-high']);
    });
  }

  // [NSG] a deny on part of the space leaves the rest to the default allow: a partial allow.
  it('a deny on 20.0.0.0/8 makes the internet a partial allow without 20.0.0.0/8', () => {
    const v = partial(evaluateNsgForDestination(nsgOf([out('deny-20', 100, 'Deny', '20.0.0.0/8')]), INTERNET, APP, 'Outbound'));
    const allowed = v.allowedPrefixes.reduce((acc, c) => acc.union(Ipv4Set.fromCidr(c)), Ipv4Set.empty());
    expect(allowed.equals(publicIpv4().subtract(Ipv4Set.fromCidr('20.0.0.0/8')))).toBe(true);
    expect(v.rules.find((r) => r.rule.name === 'deny-20')?.prefixes).toEqual(['20.0.0.0/8']);
    expect(v.allowedServiceTags).toEqual([]);
  });

  // [NSG] allow a few prefixes, deny Internet: only those prefixes are allowed.
  it('allow 20.0.0.0/8 and a range, then deny Internet: partial allow naming exactly those', () => {
    const nsg = nsgOf([
      out('allow-20', 100, 'Allow', '20.0.0.0/8', { protocol: 'Tcp', destinationPortRange: '443' }),
      out('allow-range', 110, 'Allow', '52.0.0.0-52.0.0.255'),
      out('deny-internet', 200, 'Deny', 'Internet'),
    ], 'az');
    const v = partial(evaluateNsgForDestination(nsg, INTERNET, APP, 'Outbound'));
    expect(v.allowedPrefixes).toEqual(['20.0.0.0/8', '52.0.0.0/24']);
    expect(v.rules.filter((r) => r.rule.access === 'Allow').map((r) => r.rule.name)).toEqual(['allow-20', 'allow-range']);
    // Port 80 does not match allow-20 (port 443 only): only the range is allowed.
    expect(partial(evaluateNsgForDestination(nsg, { ...INTERNET, port: 80 }, APP, 'Outbound')).allowedPrefixes).toEqual(['52.0.0.0/24']);
    // UDP does not match the TCP rule either.
    expect(partial(evaluateNsgForDestination(nsg, { ...INTERNET, protocol: 'Udp' }, APP, 'Outbound')).allowedPrefixes).toEqual(['52.0.0.0/24']);
  });

  // [NSG] "0.0.0.0/0 ... represents all IP addresses. Clients ... can use * or Any for this expression."
  it('*, Any and 0.0.0.0/0 all cover the whole space; classic INTERNET spelling works [TAG]', () => {
    for (const all of ['*', 'Any', '0.0.0.0/0', 'INTERNET', 'Internet']) {
      expect(evaluateNsgForDestination(nsgOf([out('deny', 100, 'Deny', all)]), INTERNET, APP, 'Outbound').access).toBe('Deny');
    }
  });

  // [NSGHOW] outbound: the NIC's NSG, then the subnet's; both must allow.
  it('a chain of NSGs allows only what every NSG allows', () => {
    const nic = nsgOf([out('deny-low', 100, 'Deny', '0.0.0.0/1')]);
    const subnet = nsgOf([out('deny-high', 100, 'Deny', '128.0.0.0/2')]);
    const v = partial(evaluateNsgChain([nic, subnet], INTERNET, APP, 'Outbound'));
    // What neither denies: the public part of 192.0.0.0/2.
    expect(v.allowedPrefixes).toEqual(publicIpv4().intersect(Ipv4Set.fromCidr('192.0.0.0/2')).toCidrs());
    expect(v.allowedPrefixes).toContain('193.0.0.0/8');
    expect(v.allowedPrefixes.some((c) => c.startsWith('192.168.'))).toBe(false);
    expect(v.rules.map((r) => r.rule.name)).toEqual(['deny-low', 'AllowInternetOutBound', 'deny-high', 'AllowInternetOutBound']);
    expect(evaluateNsgChain([], INTERNET, APP, 'Outbound').access).toBe('Allow');
  });
});

describe('specific address: first match', () => {
  // [NSG] "Once traffic matches a rule, processing stops."
  it('the first matching rule by priority decides, whatever the listing order', () => {
    const nsg = bare([securityRule('allow-all', 300, 'Allow', '*'), securityRule('deny-8', 200, 'Deny', '8.8.8.0/24')]);
    expect(evaluateNsgForDestination(nsg, to('8.8.8.8'), APP, 'Outbound')).toMatchObject({ access: 'Deny', rules: [{ rule: { name: 'deny-8' }, prefixes: ['8.8.8.8/32'] }] });
    expect(evaluateNsgForDestination(nsg, to('1.1.1.1'), APP, 'Outbound')).toMatchObject({ access: 'Allow', rules: [{ rule: { name: 'allow-all' } }] });
    expect(evaluateNsgForDestination(nsg, to('2001:db8::1'), APP, 'Outbound')).toMatchObject({ access: 'Unknown', missing: [{ kind: 'ipv6-destination' }] });
  });

  // Property: for CIDR-only rule sets the range result and the single-address result agree with
  // Azure's first match (the legacy evaluateNsg) at every address.
  it('property: the default-route result contains an address exactly when first match allows it', () => {
    const prefix = fc.constantFrom('0.0.0.0/1', '128.0.0.0/1', '20.0.0.0/8', '20.1.0.0/16', '8.8.8.0/24', '52.0.0.0/6', 'Internet', '*');
    const rule = fc.record({ p: fc.integer({ min: 100, max: 4096 }), a: fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Deny'), d: prefix });
    const address = fc.constantFrom('20.1.2.3', '20.9.9.9', '8.8.8.8', '52.1.1.1', '1.1.1.1', '200.1.1.1', '126.0.0.1');
    fc.assert(fc.property(fc.array(rule, { maxLength: 6 }), address, (rs, ip) => {
      const nsg = bare(rs.map((r, i) => securityRule(`r${i}`, r.p, r.a, r.d)));
      const legacy = evaluateNsg(nsg, to(ip), APP).access;
      expect(evaluateNsgForDestination(nsg, to(ip), APP, 'Outbound').access).toBe(legacy);
      const range = evaluateNsgForDestination(nsg, INTERNET, APP, 'Outbound');
      const allowedHere = range.access === 'Allow' || (range.access === 'Partial' && range.allowedPrefixes.some((c) => Ipv4Set.fromCidr(c).contains(ip)));
      expect(allowedHere).toBe(legacy === 'Allow');
    }), { numRuns: 300 });
  });
});

describe('service tags without prefix data', () => {
  // [TAG] Storage is a set of Azure prefixes the snapshot does not hold: an allow on it allows that
  // part of the internet, which can only be named.
  it('allow Storage, deny Internet: a partial allow naming the tag', () => {
    const v = partial(evaluateNsgForDestination(nsgOf([out('allow-storage', 100, 'Allow', 'Storage'), out('deny-internet', 200, 'Deny', 'Internet')]), INTERNET, APP, 'Outbound'));
    expect(v.allowedServiceTags).toEqual(['Storage']);
    expect(v.allowedPrefixes).toEqual([]);
    expect(v.rules.find((r) => r.kind === 'uncertain-tag')).toMatchObject({ tag: 'Storage', rule: { name: 'allow-storage' } });
  });

  // [TAG] a deny on a regional tag carves an unknown part out of the allowed internet.
  it('deny AzureCloud.WestEurope then the default allow: partial, all public space except the tag', () => {
    const v = partial(evaluateNsgForDestination(nsgOf([out('deny-azure-we', 100, 'Deny', 'AzureCloud.WestEurope')], 'az'), INTERNET, APP, 'Outbound'));
    expect(v.exceptServiceTags).toEqual(['AzureCloud.WestEurope']);
    expect(Ipv4Set.fromIntervals([]).union(v.allowedPrefixes.reduce((acc, c) => acc.union(Ipv4Set.fromCidr(c)), Ipv4Set.empty())).equals(publicIpv4())).toBe(true);
  });

  // Never a confident answer that depends on tag data we do not have.
  it('a deny on a tag for a specific public IP is Unknown, naming the tag', () => {
    const v = unknown(evaluateNsgForDestination(nsgOf([out('deny-storage', 100, 'Deny', 'Storage.WestEurope')]), to('20.60.1.1'), APP, 'Outbound'));
    expect(v.missing).toEqual([{ kind: 'service-tag-prefixes', tag: 'Storage.WestEurope' }]);
    expect(v.reason).toContain('Storage.WestEurope');
  });

  it('an allow on a tag followed by a deny of everything is Unknown for a specific IP; followed by an allow it is Allow', () => {
    expect(unknown(evaluateNsgForDestination(nsgOf([out('allow-storage', 100, 'Allow', 'Storage'), out('deny-all', 200, 'Deny', '*')]), to('20.60.1.1'), APP, 'Outbound')).missing)
      .toEqual([{ kind: 'service-tag-prefixes', tag: 'Storage' }]);
    // Either way the address is allowed: no tag data needed.
    expect(evaluateNsgForDestination(nsgOf([out('allow-storage', 100, 'Allow', 'Storage')]), to('20.60.1.1'), APP, 'Outbound').access).toBe('Allow');
    // Service tags hold public Azure space: a private address is decided without them.
    const denyStorageAllowRest = nsgOf([out('deny-storage', 100, 'Deny', 'Storage'), out('allow-all', 200, 'Allow', '*')]);
    expect(evaluateNsgForDestination(denyStorageAllowRest, to('10.9.9.9'), APP, 'Outbound').access).toBe('Allow');
    expect(evaluateNsgForDestination(denyStorageAllowRest, to('20.60.1.1'), APP, 'Outbound').access).toBe('Unknown');
  });

  // [NSG] AzureLoadBalancer is the host's virtual IP 168.63.129.16: known, not uncertain.
  it('AzureLoadBalancer is 168.63.129.16', () => {
    const nsg = nsgOf([out('deny-lb', 100, 'Deny', 'AzureLoadBalancer')]);
    expect(evaluateNsgForDestination(nsg, to('168.63.129.16'), APP, 'Outbound').access).toBe('Deny');
    expect(evaluateNsgForDestination(nsg, to('8.8.8.8'), APP, 'Outbound').access).toBe('Allow');
  });
});

describe('the VirtualNetwork tag', () => {
  // [TAG] VirtualNetwork includes "address prefixes used on user-defined routes. This tag might also
  // contain default routes." Whether it covers a public destination is not settled by the docs.
  it('outbound: allow VirtualNetwork before deny Internet is Unknown for the internet, naming the tag', () => {
    const nsg = nsgOf([out('allow-vnet', 100, 'Allow', 'VirtualNetwork'), out('deny-internet', 200, 'Deny', 'Internet')]);
    const v = unknown(evaluateNsgForDestination(nsg, INTERNET, APP, 'Outbound'));
    expect(v.missing).toEqual([{ kind: 'virtual-network-tag-contents', tag: 'VirtualNetwork' }]);
    expect(v.reason).toContain('might also contain default routes');
    // Given the tag's expansion (as `az network nic list-effective-nsg` shows it), the answer is certain.
    expect(evaluateNsgForDestination(nsg, INTERNET, APP, 'Outbound', { virtualNetworkPrefixes: ['10.1.0.0/16'] }).access).toBe('Deny');
    expect(evaluateNsgForDestination(nsg, INTERNET, APP, 'Outbound', { virtualNetworkPrefixes: ['10.1.0.0/16', '0.0.0.0/0'] }).access).toBe('Allow');
  });

  // [NSG] the default AllowVnetOutBound (65000) and AllowInternetOutBound (65001) both allow: the
  // tag's contents cannot change the answer, so no Unknown.
  it('default outbound rules stay a confident Allow', () => {
    expect(evaluateNsgForDestination(bare([]), INTERNET, APP, 'Outbound')).toMatchObject({ access: 'Allow', defaultsAssumed: true });
  });
});

describe('inbound at an appliance (forwarded traffic)', () => {
  // Traffic entering an NVA is checked against the NVA's inbound rules with the original sender
  // as source and the internet address as destination [NSG][NSGHOW].
  const SENDER = from('10.2.1.4/32');
  for (const shape of SHAPES) {
    // [NSG] default inbound rules: AllowVnetInBound (VirtualNetwork → VirtualNetwork) 65000,
    // AllowAzureLoadBalancerInBound 65001, DenyAllInBound 65500. Whether AllowVnetInBound admits
    // an internet destination depends on the VirtualNetwork tag's contents [TAG]: Unknown.
    it(`default inbound rules only: Unknown, naming the VirtualNetwork tag (${shape})`, () => {
      const v = unknown(evaluateNsgForDestination(nsgOf([], shape), INTERNET, SENDER, 'Inbound'));
      expect(v.missing).toEqual([{ kind: 'virtual-network-tag-contents', tag: 'VirtualNetwork' }]);
      expect(v.rules.map((r) => r.rule.name)).toEqual(['AllowVnetInBound', 'DenyAllInBound']);
      expect(unknown(evaluateNsgForDestination(nsgOf([], shape), to('8.8.8.8'), SENDER, 'Inbound')).missing[0]?.kind).toBe('virtual-network-tag-contents');
    });
  }

  it('with the tag known: a 0.0.0.0/0 UDR prefix in it admits the traffic, otherwise DenyAllInBound drops it', () => {
    const nsg = nsgOf([]);
    expect(evaluateNsgForDestination(nsg, INTERNET, SENDER, 'Inbound', { virtualNetworkPrefixes: ['10.0.0.0/8', '0.0.0.0/0'] }))
      .toMatchObject({ access: 'Allow', rules: [{ rule: { name: 'AllowVnetInBound' } }] });
    expect(evaluateNsgForDestination(nsg, INTERNET, SENDER, 'Inbound', { virtualNetworkPrefixes: ['10.0.0.0/8'] }))
      .toMatchObject({ access: 'Deny', rules: [{ rule: { name: 'DenyAllInBound' } }] });
  });

  // [NSG] a custom inbound rule with an explicit destination decides before the defaults.
  it('an explicit inbound allow from the spokes to Internet admits it; an explicit deny drops it', () => {
    const allow = nsgOf([{ name: 'allow-spokes-out', priority: 100, direction: 'Inbound', access: 'Allow', sourceAddressPrefix: '10.2.0.0/16', destinationAddressPrefix: 'Internet' }]);
    expect(evaluateNsgForDestination(allow, INTERNET, SENDER, 'Inbound').access).toBe('Allow');
    // Another sender is not covered by the source prefix: back to the (unknown) defaults.
    expect(evaluateNsgForDestination(allow, INTERNET, from('10.3.1.4/32'), 'Inbound').access).toBe('Unknown');
    const deny = nsgOf([{ name: 'deny-forwarded', priority: 100, direction: 'Inbound', access: 'Deny', sourceAddressPrefix: 'VirtualNetwork', destinationAddressPrefix: '*' }], 'az');
    expect(evaluateNsgForDestination(deny, INTERNET, SENDER, 'Inbound').access).toBe('Deny');
    // Outbound rules are not consulted inbound.
    expect(evaluateNsgForDestination(nsgOf([out('deny-all-out', 100, 'Deny', '*')]), INTERNET, SENDER, 'Inbound', { virtualNetworkPrefixes: ['0.0.0.0/0'] }).access).toBe('Allow');
  });

  // [NSG] AllowAzureLoadBalancerInBound has source AzureLoadBalancer (168.63.129.16): not a VNet sender.
  it('AllowAzureLoadBalancerInBound does not admit a VNet sender', () => {
    const v = evaluateNsgForDestination(nsgOf([]), INTERNET, SENDER, 'Inbound', { virtualNetworkPrefixes: ['10.0.0.0/8'] });
    expect(v.rules.map((r) => r.rule.name)).not.toContain('AllowAzureLoadBalancerInBound');
  });
});

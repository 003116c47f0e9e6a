/**
 * Firewall settings that change what the rules mean, read from the snapshot:
 * - threat intelligence in Deny mode drops known-malicious traffic before any rule; the feed is not
 *   in the snapshot, so it is reported (info), never evaluated
 *   https://learn.microsoft.com/azure/firewall/threat-intel, https://learn.microsoft.com/azure/firewall/rule-processing
 * - Basic SKU has no DNS proxy, so FQDNs in network rules are not available, and its threat
 *   intelligence only alerts https://learn.microsoft.com/azure/firewall/basic-features
 * - FQDN network rules hold only with DNS proxy on and the client's VNet using the firewall as its
 *   DNS server: "You must enable DNS Proxy to use FQDNs in your network rules"; otherwise the
 *   firewall and the client may resolve a name differently, so a decision by such a rule is
 *   `unknown` (with an info finding saying why) https://learn.microsoft.com/azure/firewall/fqdn-filtering-network-rules,
 *   https://learn.microsoft.com/azure/firewall/dns-settings
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm';
import type { SourceAddress, TrafficSpec } from '../../../shared/egress/destination';
import { evaluateFirewallRules, firewallRuleSet, prepareRuleSet } from '../../../shared/egress/firewall-rules';
import { computeReach } from '../../../shared/egress/reach';
import type { FirewallRuleSet } from '../../../shared/egress/firewall-rules';
import { toResourceId } from '../../../shared/model/ids';
import { parseCidr } from '../../../shared/model/ip';
import type { Cidr } from '../../../shared/model/ip';
import { buildModelIndex } from '../../../shared/model/model-index';
import type { FirewallRule, FirewallSkuTier, NetworkModel } from '../../../shared/model/topology';
import { applicationRule, ModelBuilder, networkRule } from '../../support/model-builder';
import { explainPath } from '../../../shared/egress/explain';
import { hubSpokeFirewall, HUB_FIREWALL_IP, pathOf, resolve } from './support';

const NTP = networkRule('ntp', { protocols: ['UDP'], destinationAddresses: [], destinationFqdns: ['time.windows.com'], destinationPorts: ['123'] });

interface Settings {
  readonly skuTier?: FirewallSkuTier;
  readonly threatIntelMode?: string;
  readonly dnsProxyEnabled?: boolean;
  /** The spoke VNet's DNS servers (absent: Azure-provided DNS). */
  readonly spokeDnsServers?: readonly string[];
}

/** Hub and spoke, the spoke's internet traffic through a policy-based firewall with these settings. */
function estate(rules: readonly FirewallRule[], settings: Settings = {}): { readonly model: NetworkModel; readonly app: string } {
  const { b, app } = hubSpokeFirewall(rules, { skuTier: settings.skuTier ?? 'Standard' });
  const built = b.build();
  const model: NetworkModel = {
    ...built,
    firewallPolicies: built.firewallPolicies.map((p) => ({
      ...p,
      ...(settings.threatIntelMode !== undefined ? { threatIntelMode: settings.threatIntelMode } : {}),
      ...(settings.dnsProxyEnabled !== undefined ? { dnsProxyEnabled: settings.dnsProxyEnabled } : {}),
    })),
    virtualNetworks: built.virtualNetworks.map((v) => (v.name === 'spoke' && settings.spokeDnsServers ? { ...v, dnsServers: settings.spokeDnsServers } : v)),
  };
  return { model, app };
}

const codes = (findings: readonly { readonly code: string }[]): string[] => findings.map((f) => f.code);

describe('threat intelligence in Deny mode', () => {
  it('adds one info finding to an internet path: known-malicious destinations are dropped before the rules', () => {
    const { model, app } = estate([networkRule('all', { destinationPorts: ['*'] })], { threatIntelMode: 'Deny' });
    const path = pathOf(resolve(model), app);
    expect(path.verdict).toBe('internet');
    const found = path.findings.filter((f) => f.code === 'firewall-threat-intel-deny');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'info', docs: 'https://learn.microsoft.com/azure/firewall/threat-intel' });
    expect(found[0]?.message).toContain('dropped before any rule is processed');
  });

  it('a what-if keeps the rules\' verdict and says so, naming the destination', () => {
    const { model, app } = estate([applicationRule('stripe', ['api.stripe.com'])], { threatIntelMode: 'deny' });
    const path = pathOf(resolve(model, { destination: 'api.stripe.com' }), app);
    expect(path.verdict).toBe('internet');
    const finding = path.findings.find((f) => f.code === 'firewall-threat-intel-deny');
    expect(finding?.message).toContain('api.stripe.com');
    expect(finding?.message).toContain('the verdict shows what the rules decide');
  });

  it('says nothing for Alert mode, for a denied path, or on Basic (alert-only there)', () => {
    const allowAll = [networkRule('all', { destinationPorts: ['*'] })];
    const alert = estate(allowAll, { threatIntelMode: 'Alert' });
    expect(codes(pathOf(resolve(alert.model), alert.app).findings)).not.toContain('firewall-threat-intel-deny');
    const denied = estate([], { threatIntelMode: 'Deny' });
    const deniedPath = pathOf(resolve(denied.model), denied.app);
    expect(deniedPath.verdict).toBe('denied');
    expect(codes(deniedPath.findings)).not.toContain('firewall-threat-intel-deny');
    const basic = estate(allowAll, { threatIntelMode: 'Deny', skuTier: 'Basic' });
    expect(codes(pathOf(resolve(basic.model), basic.app).findings)).not.toContain('firewall-threat-intel-deny');
  });

  it('a base policy in Deny mode makes the chain Deny (a child may only be stricter)', () => {
    // https://learn.microsoft.com/azure/firewall-manager/policy-overview
    const b = new ModelBuilder();
    const base = b.firewallPolicy('base', [networkRule('all')]);
    const child = b.firewallPolicy('child', [], { basePolicyId: base });
    const v = b.vnet('hub', ['10.0.0.0/16']);
    b.firewall('fw', { subnetId: b.subnet(v, 'AzureFirewallSubnet', '10.0.0.0/26'), privateIp: '10.0.0.4', policyId: child });
    const built = b.build();
    const model: NetworkModel = { ...built, firewallPolicies: built.firewallPolicies.map((p) => (p.id === base ? { ...p, threatIntelMode: 'Deny' } : p)) };
    const index = buildModelIndex(model);
    const [firewall] = index.azureFirewalls.values();
    if (!firewall) throw new Error('no firewall');
    expect(firewallRuleSet(index, firewall)).toMatchObject({ kind: 'rules', threatIntelDeny: true });
  });
});

describe('FQDN network rules and DNS proxy', () => {
  it('Basic SKU: an FQDN network rule matches nothing (no DNS proxy), with a warning naming the rule', () => {
    const { model, app } = estate([NTP], { skuTier: 'Basic' });
    const path = pathOf(resolve(model, { destination: 'time.windows.com:123/udp' }), app);
    expect(path.verdict).toBe('denied');
    const finding = path.findings.find((f) => f.code === 'firewall-fqdn-network-rule');
    expect(finding).toMatchObject({ severity: 'warning', docs: 'https://learn.microsoft.com/azure/firewall/basic-features' });
    expect(finding?.message).toContain('net/ntp');
    // The same rule on Standard (DNS proxy on, the spoke's DNS server the firewall) allows it, without a caveat.
    const standard = estate([NTP], { dnsProxyEnabled: true, spokeDnsServers: [HUB_FIREWALL_IP] });
    const allowed = pathOf(resolve(standard.model, { destination: 'time.windows.com:123/udp' }), standard.app);
    expect(allowed.verdict).toBe('internet');
    expect(codes(allowed.findings)).not.toContain('firewall-fqdn-network-rule');
  });

  it('Basic SKU, default route: the FQDN allow is not counted as allowing names', () => {
    const { model, app } = estate([networkRule('names', { destinationAddresses: [], destinationFqdns: ['api.contoso.com'] })], { skuTier: 'Basic' });
    const path = pathOf(resolve(model), app);
    expect(path.verdict).toBe('denied');
    expect(codes(path.findings)).toContain('firewall-fqdn-network-rule');
  });

  it('Basic SKU: reach lists no name from an FQDN network rule, alone or before an allow-all', () => {
    for (const tail of [[], [networkRule('all', { destinationPorts: ['*'] })]]) {
      const { model, app } = estate([NTP, ...tail], { skuTier: 'Basic' });
      const reach = computeReach({ model, effectiveRoutes: [], metrics: [], gaps: [] });
      const allowed = reach.sources.find((s) => s.source.id === app)?.allowed ?? [];
      expect(allowed.filter((e) => e.kind === 'fqdn')).toEqual([]);
      // The allow-all still lets everything out; the NTP rule is not what allows it.
      expect(allowed.map((e) => e.rule)).toEqual(tail.length === 0 ? [] : ['fw: net/all']);
    }
  });

  // "You must enable DNS Proxy to use FQDNs in your network rules" [FWFQDNNET]; without it "DNS
  // requests from the client may travel to a DNS server at a different time or return a different
  // response compared to that of the firewall" [FWDNS]: the client may connect to addresses the rule
  // does not hold, so the allow is not known (it was a confident `internet` with an info note).
  it('without DNS proxy an FQDN network allow is unknown, naming DNS proxy, and an info finding says why', () => {
    for (const dnsProxyEnabled of [false, undefined]) {
      const { model, app } = estate([NTP], dnsProxyEnabled === undefined ? {} : { dnsProxyEnabled });
      const path = pathOf(resolve(model, { destination: 'time.windows.com:123/udp' }), app);
      expect(path.verdict).toBe('unknown');
      expect(explainPath(path).at(-1)?.explanation).toContain('DNS proxy is not enabled');
      const finding = path.findings.find((f) => f.code === 'firewall-fqdn-network-rule');
      expect(finding).toMatchObject({ severity: 'info', docs: 'https://learn.microsoft.com/azure/firewall/fqdn-filtering-network-rules' });
      expect(finding?.message).toContain('DNS proxy is not enabled');
      expect(finding?.message).toContain('different addresses');
    }
  });

  // [FWDNS] "To enable DNS proxy, you must configure your virtual network DNS servers setting to use
  // the firewall private IP address. Then, enable DNS Proxy in Azure Firewall DNS settings." With the
  // proxy on but the spoke on Azure-provided DNS (or other servers), its clients do not ask the
  // firewall, and the mismatch [FWDNS] describes applies in full (it was a confident `internet` with
  // no caveat at all).
  // The fact names whose servers they are (the VNet's, or the NIC's own), not the VNet by name: one
  // decision is shared by every source whose servers are the same (the memo keys on the servers).
  it('DNS proxy on, but the spoke VNet does not use the firewall as DNS server: unknown, naming the VNet\'s DNS servers', () => {
    const api = networkRule('api', { destinationAddresses: [], destinationFqdns: ['api.contoso.com'] });
    const azureDns = estate([api], { dnsProxyEnabled: true });
    const path = pathOf(resolve(azureDns.model, { destination: 'api.contoso.com' }), azureDns.app);
    expect(path.verdict).toBe('unknown');
    expect(explainPath(path).at(-1)?.explanation).toContain(`the DNS servers of the source's virtual network (Azure-provided DNS) are not the firewall's private IP (${HUB_FIREWALL_IP})`);
    // The caveat is also an info finding, with the fix (the VNet's DNS servers) [FWDNS].
    expect(path.findings.find((f) => f.code === 'firewall-fqdn-network-rule')).toMatchObject({ severity: 'info', docs: 'https://learn.microsoft.com/azure/firewall/dns-settings' });
    const otherDns = estate([api], { dnsProxyEnabled: true, spokeDnsServers: ['10.0.2.4'] });
    expect(pathOf(resolve(otherDns.model, { destination: 'api.contoso.com' }), otherDns.app).verdict).toBe('unknown');
    // The firewall's private IP as the spoke's DNS server: the name resolves as the firewall resolves it.
    const proxied = estate([api], { dnsProxyEnabled: true, spokeDnsServers: [HUB_FIREWALL_IP] });
    expect(pathOf(resolve(proxied.model, { destination: 'api.contoso.com' }), proxied.app).verdict).toBe('internet');
  });

  // The default route. Without DNS proxy the rule may not work at all ("You must enable DNS Proxy
  // to use FQDNs in your network rules" [FWFQDNNET]): unknown. With the proxy on (this test asserted
  // `unknown` for that case too, until the review of 0c96c2a) the firewall lets through TCP 443 only
  // to the addresses it resolves api.contoso.com to, whatever the client resolves [FWFQDNNET]: a
  // client with another answer is denied, never let through elsewhere. So "internet, restricted to
  // api.contoso.com" holds whether or not the spoke resolves through the proxy; when it does not,
  // an info finding says its connections may not match. Client DNS matters for a what-if on the
  // name (above), not for "where can internet-bound traffic go".
  it('default route: an FQDN network allow restricts the internet when DNS proxy is on, whatever the client\'s DNS servers', () => {
    const api = networkRule('api', { destinationAddresses: [], destinationFqdns: ['api.contoso.com'] });
    const { model, app } = estate([api]);
    expect(pathOf(resolve(model), app).verdict).toBe('unknown');
    for (const spokeDnsServers of [undefined, [HUB_FIREWALL_IP]]) {
      const proxied = estate([api], { dnsProxyEnabled: true, ...(spokeDnsServers ? { spokeDnsServers } : {}) });
      const path = pathOf(resolve(proxied.model), proxied.app);
      expect(path.verdict).toBe('internet');
      expect(explainPath(path).at(-1)?.explanation).toContain('api.contoso.com');
      expect(codes(path.findings).includes('firewall-fqdn-network-rule')).toBe(spokeDnsServers === undefined);
    }
  });

  // As hubSpokeFirewall builds it (the spoke on Azure-provided DNS), with DNS proxy on: the answer
  // names api.contoso.com (from the review of 0c96c2a, which answered `unknown`).
  it('default route: DNS proxy on, client on Azure DNS: an FQDN network allow still restricts the internet to its names', () => {
    const api = networkRule('api', { destinationAddresses: [], destinationFqdns: ['api.contoso.com'] });
    const { b, app } = hubSpokeFirewall([api]);
    const built = b.build();
    const model = { ...built, firewallPolicies: built.firewallPolicies.map((p) => ({ ...p, dnsProxyEnabled: true })) };
    const path = pathOf(resolve(model), app);
    expect(path.verdict).toBe('internet');
    expect(explainPath(path).at(-1)?.explanation).toContain('api.contoso.com');
  });

  it('a decision not made by an FQDN network rule carries no caveat', () => {
    const { model, app } = estate([NTP, applicationRule('stripe', ['api.stripe.com'])]);
    const path = pathOf(resolve(model, { destination: 'api.stripe.com' }), app);
    expect(path.verdict).toBe('internet');
    expect(codes(path.findings)).not.toContain('firewall-fqdn-network-rule');
  });

  it('the rule evaluator attaches the caveat to the decision (rule sets built by hand have no caveat)', () => {
    const source: SourceAddress = { cidrs: [parseCidr('10.1.1.0/24') as Cidr] };
    const ntp: TrafficSpec = { destination: { kind: 'name', name: 'time.windows.com', address: null, text: 'time.windows.com' }, port: 123, protocol: 'Udp' };
    const base: FirewallRuleSet = { kind: 'rules', rules: [NTP], policyIds: [] };
    expect(evaluateFirewallRules(prepareRuleSet(base), ntp, source)).toEqual({ kind: 'allow', rule: NTP, rules: [NTP] });
    const noProxy = evaluateFirewallRules(prepareRuleSet({ ...base, fqdnNetworkRules: 'no-proxy' }), ntp, source);
    expect(noProxy).toMatchObject({ kind: 'unknown', rule: NTP, notes: [{ kind: 'fqdn-no-dns-proxy', rule: NTP }] });
    // The same on TCP 443 for a name an FQDN network rule allows: no confident allow without DNS proxy [FWFQDNNET].
    const api = networkRule('api', { destinationAddresses: [], destinationFqdns: ['api.contoso.com'] });
    const https: TrafficSpec = { destination: { kind: 'name', name: 'api.contoso.com', address: null, text: 'api.contoso.com' }, port: 443, protocol: 'Tcp' };
    const apiNoProxy = evaluateFirewallRules(prepareRuleSet({ kind: 'rules', rules: [api], policyIds: [], fqdnNetworkRules: 'no-proxy' }), https, source);
    expect(apiNoProxy).toMatchObject({ kind: 'unknown', rule: api, reason: expect.stringContaining('DNS proxy is not enabled') });
    const basic = evaluateFirewallRules(prepareRuleSet({ ...base, fqdnNetworkRules: 'unavailable' }), ntp, source);
    expect(basic).toMatchObject({ kind: 'default-deny', notes: [{ kind: 'fqdn-basic-sku', rule: NTP }] });
  });
});

describe('reading the settings from ARM', () => {
  const NET = '/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-hub/providers/Microsoft.Network';

  it('policy dnsSettings.enableProxy and threatIntelMode, classic threatIntelMode and Network.DNS.EnableProxy', () => {
    const policyId = `${NET}/firewallPolicies/fwp`;
    const { model } = normalizeArm([{ fileName: 'estate.json', json: [
      { id: policyId, name: 'fwp', type: 'Microsoft.Network/firewallPolicies', location: 'westeurope',
        properties: { sku: { tier: 'Standard' }, threatIntelMode: 'Deny', dnsSettings: { enableProxy: true, servers: [] } } },
      { id: `${NET}/firewallPolicies/plain`, name: 'plain', type: 'Microsoft.Network/firewallPolicies', location: 'westeurope', properties: { threatIntelMode: 'Alert' } },
      { id: `${NET}/azureFirewalls/classic`, name: 'classic', type: 'Microsoft.Network/azureFirewalls', location: 'westeurope',
        properties: {
          sku: { name: 'AZFW_VNet', tier: 'Basic' }, threatIntelMode: 'Deny', additionalProperties: { 'Network.DNS.EnableProxy': 'true' },
          // As `az network firewall show` prints them (without them the rules are not captured).
          networkRuleCollections: [], applicationRuleCollections: [], natRuleCollections: [],
        } },
    ] }]);
    const policy = model.firewallPolicies.find((p) => p.name === 'fwp');
    expect(policy).toMatchObject({ threatIntelMode: 'Deny', dnsProxyEnabled: true });
    expect(model.firewallPolicies.find((p) => p.name === 'plain')?.dnsProxyEnabled).toBeUndefined();
    const classic = model.azureFirewalls[0];
    expect(classic).toMatchObject({ skuTier: 'Basic', threatIntelMode: 'Deny', dnsProxyEnabled: true });
    // Basic: no FQDN network rules, threat intelligence alert-only, whatever the settings say.
    const index = buildModelIndex(model);
    const firewall = index.azureFirewalls.get(toResourceId(`${NET}/azureFirewalls/classic`));
    if (!firewall) throw new Error('no firewall');
    expect(firewallRuleSet(index, firewall)).toMatchObject({ kind: 'rules', threatIntelDeny: false, fqdnNetworkRules: 'unavailable' });
  });
});

/**
 * Azure Firewall rules whose match the snapshot cannot fully decide: FQDN network rules against a
 * bare IP, FQDN tags, web categories, target URLs, application rules against an IP, Deny rules on
 * names for the default route, and rules naming part of a subnet's addresses. Each test states
 * what Azure does, or that the answer is `unknown` where it depends on data the snapshot lacks.
 * https://learn.microsoft.com/azure/firewall/rule-processing,
 * https://learn.microsoft.com/azure/firewall/fqdn-filtering-network-rules,
 * https://learn.microsoft.com/azure/firewall/fqdn-tags, https://learn.microsoft.com/azure/firewall/web-categories
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm';
import type { SourceAddress, TrafficSpec } from '../../../shared/egress/destination';
import { evaluateFirewallRules, firewallRuleSet, prepareRuleSet } from '../../../shared/egress/firewall-rules';
import type { FirewallDecision, FirewallRuleSet } from '../../../shared/egress/firewall-rules';
import { toResourceId } from '../../../shared/model/ids';
import { parseCidr, parseIp } from '../../../shared/model/ip';
import type { Cidr, IpAddress } from '../../../shared/model/ip';
import { buildModelIndex } from '../../../shared/model/model-index';
import type { FirewallRule } from '../../../shared/model/topology';
import { applicationRule, networkRule } from '../../support/model-builder';
import { computeReach } from '../../../shared/egress/reach';
import { hubSpokeFirewall, pathOf, resolve, withFirewallDns } from './support';

const NET = '/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-hub/providers/Microsoft.Network';
const POLICY_ID = `${NET}/firewallPolicies/fwp-hub`;
const FIREWALL_ID = `${NET}/azureFirewalls/afw-hub`;

const INTERNET: TrafficSpec = { destination: { kind: 'default-route' }, port: 443, protocol: 'Tcp' };
const toIp = (ip: string, port = 443): TrafficSpec => ({ destination: { kind: 'address', ip: parseIp(ip) as IpAddress, text: ip }, port, protocol: 'Tcp' });
const toName = (name: string, port = 443): TrafficSpec => ({ destination: { kind: 'name', name, address: null, text: name }, port, protocol: 'Tcp' });
/** A host name with the address the client resolved it to (what-if `NAME --resolve NAME=IP`). */
const toResolvedName = (name: string, ip: string, port = 443): TrafficSpec => ({
  destination: { kind: 'name', name, address: parseIp(ip) as IpAddress, text: name }, port, protocol: 'Tcp',
});
const from = (cidr: string): SourceAddress => ({ cidrs: [parseCidr(cidr) as Cidr] });
const FROM_APP = from('10.1.1.0/24');

function rules(list: readonly FirewallRule[]): FirewallRuleSet {
  return prepareRuleSet({ kind: 'rules', rules: list, policyIds: [] });
}
const decide = (set: FirewallRuleSet, traffic: TrafficSpec, source: SourceAddress = FROM_APP): FirewallDecision => evaluateFirewallRules(set, traffic, source);

// ARM JSON (REST shape), run through the real normalizer ----------------------------------------

function firewallRest(): unknown {
  return {
    id: FIREWALL_ID, name: 'afw-hub', type: 'Microsoft.Network/azureFirewalls', location: 'westeurope',
    properties: {
      sku: { name: 'AZFW_VNet', tier: 'Premium' },
      firewallPolicy: { id: POLICY_ID },
      ipConfigurations: [{
        id: `${FIREWALL_ID}/azureFirewallIpConfigurations/ipconfig1`, name: 'ipconfig1',
        properties: { privateIPAddress: '10.0.1.4', subnet: { id: `${NET}/virtualNetworks/vnet-hub/subnets/AzureFirewallSubnet` } },
      }],
    },
  };
}
const groupId = (name: string) => `${POLICY_ID}/ruleCollectionGroups/${name}`;
function policyWithGroup(ruleCollections: readonly unknown[]): unknown[] {
  return [
    firewallRest(),
    { id: POLICY_ID, name: 'fwp-hub', type: 'Microsoft.Network/firewallPolicies', location: 'westeurope',
      properties: { sku: { tier: 'Premium' }, ruleCollectionGroups: [{ id: groupId('rcg') }] } },
    { id: groupId('rcg'), name: 'rcg', type: 'Microsoft.Network/firewallPolicies/ruleCollectionGroups', properties: { priority: 300, ruleCollections } },
  ];
}
function filterCollection(name: string, priority: number, action: 'Allow' | 'Deny', list: readonly unknown[]): unknown {
  return { ruleCollectionType: 'FirewallPolicyFilterRuleCollection', name, priority, action: { type: action }, rules: list };
}
function appRuleJson(name: string, fields: Readonly<Record<string, unknown>>): unknown {
  return {
    ruleType: 'ApplicationRule', name, protocols: [{ protocolType: 'Https', port: 443 }], sourceAddresses: ['10.0.0.0/8'],
    targetFqdns: [], targetUrls: [], fqdnTags: [], webCategories: [], terminateTLS: false, ...fields,
  };
}
function loadRuleSet(resources: readonly unknown[]): FirewallRuleSet {
  const { model } = normalizeArm([{ fileName: 'estate.json', json: resources }]);
  const index = buildModelIndex(model);
  const firewall = index.azureFirewalls.get(toResourceId(FIREWALL_ID));
  if (!firewall) throw new Error('firewall not normalized');
  return prepareRuleSet(firewallRuleSet(index, firewall));
}

// -----------------------------------------------------------------------------------------------

describe('FQDN network rules when the destination is a bare IP', () => {
  // "Network rules can list destinationFqdns; the firewall resolves them
  // itself ... and matches on the resulting IPs" (learn.microsoft.com/azure/firewall/fqdn-filtering-network-rules).
  // Rules are terminating, first match wins [FWRULES]. If 20.1.2.3 is an address of api.example.com,
  // the FQDN allow (priority 100) matches first and the flow is allowed; whether it is, the snapshot
  // does not say. The engine must not answer a confident deny.
  it('an FQDN network allow before a deny-all: a what-if IP is not confidently denied', () => {
    const set = rules([
      networkRule('allow-api', { collection: 'c100', priority: 100, destinationAddresses: [], destinationFqdns: ['api.example.com'] }),
      networkRule('deny-all', { collection: 'c200', priority: 200, action: 'Deny', destinationAddresses: ['*'] }),
    ]);
    expect(decide(set, toIp('20.1.2.3')).kind).not.toBe('deny');
  });

  // Same source: a network Deny on an FQDN stops the FQDN's resolved IPs. If 20.1.2.3 is one of
  // them, the deny (priority 100) decides. The engine skips the FQDN deny and answers a confident allow.
  it('an FQDN network deny before an allow-all: a what-if IP is not confidently allowed', () => {
    const set = rules([
      networkRule('deny-bad', { collection: 'c100', priority: 100, action: 'Deny', destinationAddresses: [], destinationFqdns: ['bad.example.com'] }),
      networkRule('allow-all', { collection: 'c200', priority: 200, destinationAddresses: ['*'] }),
    ]);
    expect(decide(set, toIp('20.1.2.3')).kind).not.toBe('allow');
  });

  // For the default route, the engine already reports an IP-prefix deny before an allow-all as
  // a restricted allow ("a deny before an allow-all leaves the internet allowed except the denied
  // prefix", firewall-policy.test.ts). An FQDN deny likewise stops part of the internet (the
  // addresses bad.example.com resolves to), so "the whole internet is allowed" is wrong.
  it('an FQDN network deny before an allow-all: the default route is allowed except that name', () => {
    const set = rules([
      networkRule('deny-bad', { collection: 'c100', priority: 100, action: 'Deny', destinationAddresses: [], destinationFqdns: ['bad.example.com'] }),
      networkRule('allow-all', { collection: 'c200', priority: 200, destinationAddresses: ['*'] }),
    ]);
    expect(decide(set, INTERNET)).toMatchObject({ kind: 'allow', rule: { name: 'allow-all' }, exceptFqdns: ['bad.example.com'] });
    // Without the deny the internet is allowed with no exception.
    expect(decide(rules([networkRule('allow-all', { destinationAddresses: ['*'] })]), INTERNET)).not.toHaveProperty('exceptFqdns');
  });
});

describe('FQDN network rules and a named destination: they match addresses, not names', () => {
  // [FWFQDNNET] "FQDN filtering in application rules ... can discern between two FQDNs that are
  // resolved to the same IP address. This is not the case with FQDN filtering in network rules."
  // A network Deny on bad.example.com is a deny on the addresses that name resolves to: if
  // good.example.com shares one (shared hosting, CDN), the deny (priority 100) decides. The bare IP
  // was already unknown; giving the name must not make the answer more certain (it was `allow`).
  const denyThenAllow = (): FirewallRuleSet => rules([
    networkRule('deny-bad', { collection: 'c100', priority: 100, action: 'Deny', destinationAddresses: [], destinationFqdns: ['bad.example.com'] }),
    networkRule('allow-all', { collection: 'c200', priority: 200, destinationAddresses: ['*'] }),
  ]);

  it('an FQDN network deny on another name: a named destination at an address is not confidently allowed', () => {
    const set = denyThenAllow();
    expect(decide(set, toIp('20.1.2.3')).kind).toBe('unknown');
    const named = decide(set, toResolvedName('good.example.com', '20.1.2.3'));
    expect(named).toMatchObject({ kind: 'unknown', rule: { name: 'deny-bad' } });
    expect(named.kind === 'unknown' ? named.reason : '').toContain('cannot tell apart names that resolve to one address');
  });

  it('an FQDN network deny on another name: a name with no known address is not confidently allowed', () => {
    expect(decide(denyThenAllow(), toName('good.example.com'))).toMatchObject({ kind: 'unknown', rule: { name: 'deny-bad' } });
  });

  // The mirror case: an allow of contoso.com allows the addresses contoso.com resolves to, which
  // www.contoso.com commonly shares; the bare IP was already not a default deny (it was `default-deny`).
  it('an FQDN network allow on another name: a named destination at an address is not confidently denied', () => {
    const set = rules([networkRule('allow-apex', { destinationAddresses: [], destinationFqdns: ['contoso.com'] })]);
    expect(decide(set, toIp('20.1.2.3')).kind).not.toBe('default-deny');
    expect(decide(set, toResolvedName('www.contoso.com', '20.1.2.3'))).toMatchObject({ kind: 'unknown', rule: { name: 'allow-apex' } });
  });

  // Rules that agree whatever the FQDN rule matches still decide: the deny on bad.example.com before
  // a deny-all denies good.example.com either way.
  it('an FQDN rule on another name decides nothing only where the outcome could differ', () => {
    const set = rules([
      networkRule('deny-bad', { collection: 'c100', priority: 100, action: 'Deny', destinationAddresses: [], destinationFqdns: ['bad.example.com'] }),
      networkRule('deny-all', { collection: 'c200', priority: 200, action: 'Deny', destinationAddresses: ['*'] }),
    ]);
    expect(decide(set, toName('good.example.com'))).toMatchObject({ kind: 'deny', rule: { name: 'deny-all' } });
    expect(decide(set, toResolvedName('good.example.com', '20.1.2.3'))).toMatchObject({ kind: 'deny', rule: { name: 'deny-all' } });
  });
});

describe('service tags Azure Firewall does not document in rules', () => {
  // [TAG] "Available service tags", column "Usable in Azure Firewall rules":
  //   "| **Internet** | ... | Both | No | No |", "| **VirtualNetwork** | ... | Both | No | No |"
  // [FWTAG] "Azure Firewall service tags can be used in the network rules destination field."
  // What a firewall does with a rule naming them is not documented: it was read as "every address"
  // (a confident allow of the internet) and "every source".
  it('a network rule to the `Internet` tag does not confidently allow the internet', () => {
    const set = rules([networkRule('to-internet', { destinationAddresses: ['Internet'] })]);
    const internet = decide(set, INTERNET);
    expect(internet).toMatchObject({ kind: 'unknown', rule: { name: 'to-internet' } });
    expect(internet.kind === 'unknown' ? internet.reason : '').toContain('destination service tag Internet, which Azure\'s service tags table marks as not usable in Azure Firewall rules');
    expect(decide(set, toIp('20.1.2.3')).kind).toBe('unknown');
    expect(decide(set, toName('www.contoso.com')).kind).toBe('unknown');
  });

  // Even under the NSG meaning ("outside the virtual network and reachable by the public internet"
  // [TAG]) a private address is not in `Internet` (it was `allow`).
  it('a network rule to the `Internet` tag does not allow a private (RFC 1918) destination', () => {
    const set = rules([networkRule('to-internet', { destinationAddresses: ['Internet'] })]);
    expect(decide(set, toIp('10.2.0.4'))).toEqual({ kind: 'default-deny' });
  });

  // A Deny on `Internet` with nothing allowed after it: denied whatever the tag matches.
  it('a Deny on the `Internet` tag decides nothing only where something is allowed after it', () => {
    const deny = networkRule('deny-internet', { collection: 'c100', priority: 100, action: 'Deny', destinationAddresses: ['Internet'] });
    expect(decide(rules([deny]), INTERNET)).toEqual({ kind: 'default-deny' });
    const allowAll = networkRule('allow-all', { collection: 'c200', priority: 200, destinationAddresses: ['*'] });
    expect(decide(rules([deny, allowAll]), INTERNET)).toMatchObject({ kind: 'unknown', rule: { name: 'deny-internet' } });
  });

  // [FWTAG]: service tags are for the destination field; `VirtualNetwork` as a source matched every
  // source (a confident allow).
  it('a `VirtualNetwork` source tag does not confidently match the subnet; an address that covers it still does', () => {
    const set = rules([networkRule('from-vnet', { sourceAddresses: ['VirtualNetwork'], destinationAddresses: ['*'] })]);
    const internet = decide(set, INTERNET);
    expect(internet).toMatchObject({ kind: 'unknown', rule: { name: 'from-vnet' } });
    expect(internet.kind === 'unknown' ? internet.reason : '').toContain('source service tag VirtualNetwork');
    expect(decide(set, toIp('20.1.2.3')).kind).toBe('unknown');
    const covered = rules([networkRule('from-vnet', { sourceAddresses: ['VirtualNetwork', '10.1.0.0/16'], destinationAddresses: ['*'] })]);
    expect(decide(covered, INTERNET)).toMatchObject({ kind: 'allow', rule: { name: 'from-vnet' } });
  });
});

describe('application rules on a port that is not their protocol\'s own', () => {
  // [FWRULES] "If there is no network rule match, and if the protocol is HTTP, HTTPS, or MSSQL, then
  // the packet is then evaluated by the application rules". A flow is TCP and a port: on 443 it is
  // read as HTTPS (the default route question, "TCP 443 to the internet"), but whether a TCP 22 flow
  // speaks TLS (not SSH) is not in the snapshot. `Https:22` gave a confident allow.
  it('an `Https:22` application rule does not confidently allow TCP 22', () => {
    const set = rules([applicationRule('git-by-name', ['git.contoso.com'], { protocols: ['Https:22'] })]);
    const decision = decide(set, toName('git.contoso.com', 22));
    expect(decision).toMatchObject({ kind: 'unknown', rule: { name: 'git-by-name' } });
    expect(decision.kind === 'unknown' ? decision.reason : '').toContain('application protocol Https on TCP 22');
    expect(decide(set, { ...INTERNET, port: 22 }).kind).toBe('unknown');
    expect(decide(set, toIp('20.1.2.3', 22)).kind).toBe('unknown');
    // Another name is not matched by the rule whatever the protocol: default deny.
    expect(decide(set, toName('other.contoso.com', 22))).toEqual({ kind: 'default-deny' });
  });

  // The admin declared HTTPS on TCP 8443 (HTTP on 8080): a bare `host:8443` is read as that
  // protocol, as TCP 443 is read as HTTPS. Unknown stays for a port that is another protocol's own:
  // an application protocol's (Http:443, Https:80) or a well-known one (22 SSH, 3389 RDP, 25 SMTP,
  // 1433 MSSQL ...), where the flow most likely speaks that protocol, which no application rule
  // matches [FWRULES]. A URL's scheme (applicationProtocol) states the protocol outright.
  it('an `Https:8443` / `Http:8080` rule decides a bare flow on its port; another protocol\'s port stays open', () => {
    const partner = rules([applicationRule('partner', ['partner.example'], { protocols: ['Https:8443'] })]);
    expect(decide(partner, toName('partner.example', 8443))).toMatchObject({ kind: 'allow', rule: { name: 'partner' } });
    expect(decide(partner, { ...INTERNET, port: 8443 })).toMatchObject({ kind: 'allow-partial', fqdns: ['partner.example'] });
    const legacy = rules([applicationRule('legacy', ['legacy.example'], { protocols: ['Http:8080'] })]);
    expect(decide(legacy, toName('legacy.example', 8080))).toMatchObject({ kind: 'allow', rule: { name: 'legacy' } });
    for (const [protocols, port] of [[['Http:443'], 443], [['Https:80'], 80], [['Https:3389'], 3389], [['Https:25'], 25], [['Https:1433'], 1433], [['Mssql:11000'], 11000]] as const) {
      const set = rules([applicationRule('odd', ['odd.example'], { protocols })]);
      expect(decide(set, toName('odd.example', port))).toMatchObject({ kind: 'unknown', rule: { name: 'odd' } });
    }
    // Stated by a URL: `https://git.contoso.com:22` is HTTPS on TCP 22, which `Https:22` matches.
    const git = rules([applicationRule('git-by-name', ['git.contoso.com'], { protocols: ['Https:22'] })]);
    expect(decide(git, { ...toName('git.contoso.com', 22), applicationProtocol: 'Https' })).toMatchObject({ kind: 'allow', rule: { name: 'git-by-name' } });
    expect(decide(partner, { ...toName('partner.example', 8443), applicationProtocol: 'Http' }).kind).toBe('unknown');
  });

  it('`Https:443` (and a rule with no protocols) on TCP 443 keeps its answers', () => {
    for (const protocols of [['Https:443'], []]) {
      const set = rules([applicationRule('web', ['www.contoso.com'], { protocols })]);
      expect(decide(set, toName('www.contoso.com'))).toMatchObject({ kind: 'allow', rule: { name: 'web' } });
      expect(decide(set, INTERNET)).toMatchObject({ kind: 'allow-partial', fqdns: ['www.contoso.com'] });
    }
  });
});

describe('application rules with FQDN tags', () => {
  // "The FQDNs behind a tag are not published in machine-readable form ...
  // treat a tag match as 'allowed by tag X (contents opaque)'". Rules are terminating [FWRULES]: if
  // download.windowsupdate.com is in the WindowsUpdate tag, the Allow at priority 100 wins and the
  // later Deny-all never applies. The engine answers a confident deny.
  it('an FQDN-tag allow before a deny-all: a name that may be in the tag is unknown, not denied', () => {
    const set = rules([
      applicationRule('wu', [], { collection: 'c100', priority: 100, fqdnTags: ['WindowsUpdate'] }),
      applicationRule('deny-all', ['*'], { collection: 'c200', priority: 200, action: 'Deny' }),
    ]);
    expect(decide(set, toName('download.windowsupdate.com')).kind).toBe('unknown');
  });

  // The mirror case: a Deny collection naming an FQDN tag, then an allow-all. If the name is in the
  // tag, the deny (priority 100) decides. The engine ignores Deny rules' FQDN tags and answers allow.
  it('an FQDN-tag deny before an allow-all: a name that may be in the tag is unknown, not allowed', () => {
    const set = rules([
      applicationRule('no-wu', [], { collection: 'c100', priority: 100, action: 'Deny', fqdnTags: ['WindowsUpdate'] }),
      applicationRule('allow-all', ['*'], { collection: 'c200', priority: 200 }),
    ]);
    expect(decide(set, toName('download.windowsupdate.com')).kind).toBe('unknown');
  });
});

describe('application Deny rules for the default route', () => {
  // "rules are terminating — first match wins". api.example.com matches the
  // Deny `*.example.com` at priority 100 first; it can never be allowed by the later Allow. The
  // engine nevertheless lists api.example.com among the names the internet is restricted to.
  it('a name denied by an earlier wildcard Deny is not reported as allowed', () => {
    const set = rules([
      applicationRule('deny-example', ['*.example.com'], { collection: 'c100', priority: 100, action: 'Deny' }),
      applicationRule('allow-api', ['api.example.com'], { collection: 'c200', priority: 200 }),
    ]);
    expect(decide(set, INTERNET)).toEqual({ kind: 'default-deny' });
  });

  it('an application allow-all after a wildcard deny allows the internet except the denied names', () => {
    const set = rules([
      applicationRule('deny-example', ['*.example.com'], { collection: 'c100', priority: 100, action: 'Deny' }),
      applicationRule('allow-api', ['api.other.com'], { collection: 'c150', priority: 150 }),
      applicationRule('allow-all', ['*'], { collection: 'c200', priority: 200 }),
    ]);
    expect(decide(set, INTERNET)).toMatchObject({ kind: 'allow', rule: { name: 'allow-all' }, exceptFqdns: ['*.example.com'] });
  });

  it('a wildcard allow that a narrower deny carves into stays allowed, with the exception named', () => {
    const set = rules([
      applicationRule('deny-api', ['api.example.com'], { collection: 'c100', priority: 100, action: 'Deny' }),
      applicationRule('allow-example', ['*.example.com'], { collection: 'c200', priority: 200 }),
    ]);
    expect(decide(set, INTERNET)).toMatchObject({ kind: 'allow-partial', fqdns: ['*.example.com'], exceptFqdns: ['api.example.com'] });
    expect(decide(set, toName('api.example.com'))).toMatchObject({ kind: 'deny', rule: { name: 'deny-api' } });
    expect(decide(set, toName('www.example.com'))).toMatchObject({ kind: 'allow', rule: { name: 'allow-example' } });
  });
});

describe('application-rule match conditions decided at run time (web categories, target URLs)', () => {
  // "Application rules can list webCategories ... Implementer note: category
  // membership of a given FQDN is determined by a Microsoft service at runtime — statically, Egress
  // Atlas can only say 'allowed if D is categorised as C'." §5.2 step 5: application rules match
  // "(targetFqdns wildcard match on D | fqdnTags | webCategories | targetUrls)".
  // A category-only allow rule must not become "matches nothing" (a confident default deny).
  it('a web-category allow makes a name unknown, not default-denied', () => {
    const set = loadRuleSet(policyWithGroup([
      filterCollection('allow-search', 100, 'Allow', [appRuleJson('search', { webCategories: ['SearchEnginesAndPortals'] })]),
    ]));
    expect(decide(set, toName('www.bing.com'))).toMatchObject({ kind: 'unknown', reason: expect.stringContaining('web category SearchEnginesAndPortals') });
    // For the default route the category is listed among what is allowed.
    expect(decide(set, INTERNET)).toMatchObject({ kind: 'allow-partial', fqdns: ['web category SearchEnginesAndPortals'] });
  });

  it('web categories and target URLs are read from the ARM rule (both kept in the model)', () => {
    const set = loadRuleSet(policyWithGroup([
      filterCollection('allow-urls', 100, 'Allow', [appRuleJson('docs', { targetUrls: ['www.example.com/docs/*'], webCategories: ['Arts'], terminateTLS: true })]),
    ]));
    expect(set.kind === 'rules' ? set.rules[0] : null).toMatchObject({ kind: 'application', webCategories: ['Arts'], targetUrls: ['www.example.com/docs/*'] });
  });

  it('a web-category deny before an allow-all makes a name unknown, not allowed', () => {
    const set = loadRuleSet(policyWithGroup([
      filterCollection('deny-gambling', 100, 'Deny', [appRuleJson('gambling', { webCategories: ['Gambling'] })]),
      filterCollection('allow-all', 200, 'Allow', [appRuleJson('all', { targetFqdns: ['*'] })]),
    ]));
    expect(decide(set, toName('www.casino.example')).kind).toBe('unknown');
  });

  // "Premium adds targetUrls (path-level) and terminateTLS ... Needed for
  // targetUrls on HTTPS". An allow on https URLs of www.example.com lets (some) traffic to that
  // host through; the engine drops targetUrls and answers a confident default deny.
  it('a TLS-inspected target-URL allow on a host is not a default deny for that host', () => {
    const set = loadRuleSet(policyWithGroup([
      filterCollection('allow-urls', 100, 'Allow', [appRuleJson('docs', { targetUrls: ['www.example.com/docs/*'], terminateTLS: true })]),
    ]));
    expect(decide(set, toName('www.example.com'))).toMatchObject({ kind: 'unknown', reason: expect.stringContaining('URL www.example.com/docs/*') });
    // Another host is not matched by the URL rule: default deny stands.
    expect(decide(set, toName('www.other.com'))).toEqual({ kind: 'default-deny' });
  });
});

describe('application rules and a bare-IP destination', () => {
  // "Connecting to a bare IP over HTTP/HTTPS: there is no FQDN to match
  // (Host/SNI is an IP or absent) → application rules can't allow it; only a network rule with
  // that IP/prefix/service tag can." and "HTTPS without SNI is denied by application rules".
  // The engine answers a confident allow for a what-if IP from an application rule `*`.
  it('an application allow `*` does not confidently allow a what-if IP', () => {
    const set = rules([applicationRule('all', ['*'])]);
    expect(decide(set, toIp('20.1.2.3'))).toMatchObject({ kind: 'allow-partial', fqdns: ['*'] });
    // With the host name the application rule decides.
    expect(decide(set, toName('www.example.com'))).toMatchObject({ kind: 'allow' });
  });
});

describe('rules whose source covers part of the source subnet', () => {
  // The subnet entry is any NIC in the subnet (resolve.ts: "the subnet entry describes a NIC with
  // no public IP of its own"). A Deny whose source is 10.1.1.0/25 stops half of 10.1.1.0/24;
  // Azure matches per packet source IP (rule-processing: rules match the source IP, CIDR or IP group).
  // The engine skips the partially covering deny and answers a confident allow for the whole subnet.
  it('a deny on half of the source subnet before an allow-all is not an allow for the subnet', () => {
    const set = rules([
      networkRule('deny-half', { collection: 'c100', priority: 100, action: 'Deny', sourceAddresses: ['10.1.1.0/25'], destinationAddresses: ['*'] }),
      networkRule('allow-all', { collection: 'c200', priority: 200, destinationAddresses: ['*'] }),
    ]);
    expect(decide(set, toIp('20.1.2.3'))).toMatchObject({ kind: 'unknown', reason: expect.stringContaining('only part of 10.1.1.0/24') });
    // A VM inside the denied half is denied; one outside it is allowed.
    expect(decide(set, toIp('20.1.2.3'), from('10.1.1.5/32'))).toMatchObject({ kind: 'deny', rule: { name: 'deny-half' } });
    expect(decide(set, toIp('20.1.2.3'), from('10.1.1.200/32'))).toMatchObject({ kind: 'allow', rule: { name: 'allow-all' } });
  });

  // An FQDN network Allow for another name (time.windows.com) may match any name's address
  // [FWFQDNNET]; for one VM (10.1.1.4) of subnet 10.1.1.0/24 it decided the subnet's answer for
  // api.stripe.com (`unknown`) before the check that drops a maybe agreeing with the outcome, though
  // the application rule allows api.stripe.com for every source (from the review of 0c96c2a; it was
  // `internet` before 0c96c2a). The maybe decides only if its action disagrees.
  it('a partial-source FQDN network allow for another name does not make a name every rule allows unknown', () => {
    const ntp = networkRule('vm-ntp', { sourceAddresses: ['10.1.1.4'], destinationAddresses: [], destinationFqdns: ['time.windows.com'], destinationPorts: ['443'] });
    const { b, app } = hubSpokeFirewall([ntp, applicationRule('stripe', ['api.stripe.com'])]);
    const model = withFirewallDns(b.build());
    expect(pathOf(resolve(model, { destination: 'api.stripe.com' }), app).verdict).toBe('internet');
    expect(pathOf(resolve(model, { destination: 'api.stripe.com', resolve: { 'api.stripe.com': '203.0.113.9' } }), app).verdict).toBe('internet');
    // Where the outcome disagrees (nothing else allows the name), the VM's rule may still decide it: unknown.
    const alone = rules([ntp]);
    expect(decide(alone, toName('api.stripe.com')).kind).toBe('unknown');
    expect(decide(alone, toResolvedName('api.stripe.com', '203.0.113.9')).kind).toBe('unknown');
    // A partial-source FQDN Deny before an allow for everyone: the VM may be denied.
    const deny = networkRule('vm-deny', { action: 'Deny', sourceAddresses: ['10.1.1.4'], destinationAddresses: [], destinationFqdns: ['time.windows.com'], destinationPorts: ['443'] });
    expect(decide(rules([deny, applicationRule('stripe', ['api.stripe.com'])]), toResolvedName('api.stripe.com', '203.0.113.9')).kind).toBe('unknown');
  });

  it('a rule on part of the source that agrees with the rest decides nothing new', () => {
    const set = rules([
      networkRule('deny-half', { collection: 'c100', priority: 100, action: 'Deny', sourceAddresses: ['10.1.1.0/25'], destinationAddresses: ['*'] }),
      networkRule('deny-all', { collection: 'c200', priority: 200, action: 'Deny', destinationAddresses: ['*'] }),
    ]);
    expect(decide(set, toIp('20.1.2.3'))).toMatchObject({ kind: 'deny', rule: { name: 'deny-all' } });
  });
});

describe('passing checks (ordering, inheritance, wildcards)', () => {
  // "Parent-policy groups always win [FWRULES]"; "Application rules ... are
  // reached only if no network rule matched".
  function inherited(parentGroupPriority: number, parentCollections: readonly unknown[], childGroupPriority: number, childCollections: readonly unknown[]): FirewallRuleSet {
    const parentId = `${NET}/firewallPolicies/fwp-parent`;
    return loadRuleSet([
      firewallRest(),
      { id: parentId, name: 'fwp-parent', type: 'Microsoft.Network/firewallPolicies', location: 'westeurope',
        properties: { ruleCollectionGroups: [{ id: `${parentId}/ruleCollectionGroups/p` }] } },
      { id: `${parentId}/ruleCollectionGroups/p`, name: 'p', type: 'Microsoft.Network/firewallPolicies/ruleCollectionGroups', properties: { priority: parentGroupPriority, ruleCollections: parentCollections } },
      { id: POLICY_ID, name: 'fwp-hub', type: 'Microsoft.Network/firewallPolicies', location: 'westeurope',
        properties: { basePolicy: { id: parentId }, ruleCollectionGroups: [{ id: groupId('c') }] } },
      { id: groupId('c'), name: 'c', type: 'Microsoft.Network/firewallPolicies/ruleCollectionGroups', properties: { priority: childGroupPriority, ruleCollections: childCollections } },
    ]);
  }
  const netJson = (name: string) => ({ ruleType: 'NetworkRule', name, ipProtocols: ['TCP'], sourceAddresses: ['*'], destinationAddresses: ['*'], destinationPorts: ['443'] });

  it('a parent network allow at RCG 65000 beats a child network deny at RCG 100', () => {
    const set = inherited(65000, [filterCollection('p', 65000, 'Allow', [netJson('p-allow')])], 100, [filterCollection('c', 100, 'Deny', [netJson('c-deny')])]);
    expect(decide(set, toIp('20.1.2.3'))).toMatchObject({ kind: 'allow', rule: { name: 'p-allow' } });
  });

  it('a child network allow beats a parent application deny (network before application)', () => {
    const set = inherited(100, [filterCollection('p', 100, 'Deny', [appRuleJson('p-deny', { targetFqdns: ['*'], sourceAddresses: ['*'] })])],
      65000, [filterCollection('c', 65000, 'Allow', [netJson('c-allow')])]);
    expect(decide(set, { destination: { kind: 'name', name: 'x.example.com', address: parseIp('20.1.2.3') as IpAddress, text: 'x.example.com' }, port: 443, protocol: 'Tcp' }))
      .toMatchObject({ kind: 'allow', rule: { name: 'c-allow' } });
  });

  it('RCG priority orders before collection priority', () => {
    const set = loadRuleSet([
      firewallRest(),
      { id: POLICY_ID, name: 'fwp-hub', type: 'Microsoft.Network/firewallPolicies', location: 'westeurope',
        properties: { ruleCollectionGroups: [{ id: groupId('a') }, { id: groupId('b') }] } },
      { id: groupId('a'), name: 'a', type: 'Microsoft.Network/firewallPolicies/ruleCollectionGroups', properties: { priority: 200, ruleCollections: [filterCollection('a', 100, 'Deny', [netJson('a-deny')])] } },
      { id: groupId('b'), name: 'b', type: 'Microsoft.Network/firewallPolicies/ruleCollectionGroups', properties: { priority: 100, ruleCollections: [filterCollection('b', 60000, 'Allow', [netJson('b-allow')])] } },
    ]);
    expect(decide(set, toIp('20.1.2.3'))).toMatchObject({ kind: 'allow', rule: { name: 'b-allow' } });
  });

  it('wildcard *.contoso.com matches a.b.contoso.com but not contoso.com; HTTPS rule does not match port 80', () => {
    const set = rules([applicationRule('contoso', ['*.contoso.com'])]);
    expect(decide(set, toName('a.b.contoso.com')).kind).toBe('allow');
    expect(decide(set, toName('contoso.com')).kind).toBe('default-deny');
    expect(decide(set, toName('a.contoso.com', 80)).kind).toBe('default-deny');
  });
});

describe('end to end: the verdict a user sees', () => {
  /** Spoke `app` routes 0/0 to a hub firewall with these policy rules. */
  function hubAndSpoke(list: readonly FirewallRule[]) {
    const { b, app } = hubSpokeFirewall(list);
    return { model: b.build(), app };
  }

  // Same facts as 'an FQDN-tag allow before a deny-all' above .
  it('E2E: FQDN-tag allow then deny-all: download.windowsupdate.com is unknown, not denied', () => {
    const { model, app } = hubAndSpoke([
      applicationRule('wu', [], { collection: 'c100', priority: 100, fqdnTags: ['WindowsUpdate'] }),
      applicationRule('deny-all', ['*'], { collection: 'c200', priority: 200, action: 'Deny' }),
    ]);
    expect(pathOf(resolve(model, { destination: 'download.windowsupdate.com' }), app).verdict).toBe('unknown');
  });

  // Same facts as 'an FQDN network allow before a deny-all' above .
  it('E2E: FQDN network allow then deny-all: a what-if IP is unknown, not denied', () => {
    const { model, app } = hubAndSpoke([
      networkRule('allow-api', { collection: 'c100', priority: 100, destinationAddresses: [], destinationFqdns: ['api.example.com'] }),
      networkRule('deny-all', { collection: 'c200', priority: 200, action: 'Deny', destinationAddresses: ['*'] }),
    ]);
    expect(pathOf(resolve(model, { destination: '20.1.2.3:443' }), app).verdict).toBe('unknown');
  });

  it('FQDN network deny then allow-all: the default route is internet, restricted, naming the exception', () => {
    const { model, app } = hubAndSpoke([
      networkRule('deny-bad', { collection: 'c100', priority: 100, action: 'Deny', destinationAddresses: [], destinationFqdns: ['bad.example.com'] }),
      networkRule('allow-all', { collection: 'c200', priority: 200, destinationAddresses: ['*'] }),
    ]);
    const path = pathOf(resolve(model), app);
    expect(path.verdict).toBe('internet');
    const text = JSON.stringify(path);
    expect(text).toContain('every destination except bad.example.com');
    expect(text).toContain('"exceptFqdns":["bad.example.com"]');
  });

  it('reach: an allow-all after a Deny on names is unrestricted, except those names', () => {
    const { model, app } = hubAndSpoke([
      applicationRule('deny-paste', ['pastebin.com'], { collection: 'c100', priority: 100, action: 'Deny' }),
      applicationRule('allow-all', ['*'], { collection: 'c200', priority: 200 }),
    ]);
    const source = computeReach({ model, effectiveRoutes: [], metrics: [], gaps: [] }).sources.find((s) => s.source.id === app);
    expect(source?.unrestricted).toBe(true);
    expect(source?.allowed).toContainEqual(expect.objectContaining({ kind: 'any', except: ['pastebin.com'] }));
  });

  it('reach lists a web category an application rule allows, as a web-category destination', () => {
    const { model, app } = hubAndSpoke([applicationRule('search', [], { collection: 'c100', priority: 100, webCategories: ['SearchEnginesAndPortals'] })]);
    const reach = computeReach({ model, effectiveRoutes: [], metrics: [], gaps: [] });
    const source = reach.sources.find((s) => s.source.id === app);
    expect(source?.unrestricted).toBe(false);
    expect(source?.allowed).toContainEqual(expect.objectContaining({ kind: 'web-category', value: 'SearchEnginesAndPortals' }));
  });

  // Same facts as 'an FQDN-tag deny before an allow-all' above.
  it('E2E: FQDN-tag deny then allow-all: download.windowsupdate.com is unknown, not internet', () => {
    const { model, app } = hubAndSpoke([
      applicationRule('no-wu', [], { collection: 'c100', priority: 100, action: 'Deny', fqdnTags: ['WindowsUpdate'] }),
      applicationRule('allow-all', ['*'], { collection: 'c200', priority: 200 }),
    ]);
    expect(pathOf(resolve(model, { destination: 'download.windowsupdate.com' }), app).verdict).toBe('unknown');
  });

  // Same facts as 'an application allow `*` does not confidently allow a what-if IP' .
  it('E2E: application allow * only: a what-if IP:443 is not a confident internet verdict', () => {
    const { model, app } = hubAndSpoke([applicationRule('all', ['*'])]);
    const path = pathOf(resolve(model, { destination: '20.1.2.3:443' }), app);
    expect(path.verdict).toBe('unknown');
    expect(JSON.stringify(path)).toContain('a connection to the bare IP without a name is denied');
  });
});

/**
 * What a log proves, and no more: a DNS proxy line is a question, not a connection (§1.4, §2.1);
 * a network-rule export says nothing about application rules (§1.1, §1.2); a flow log's "allowed"
 * is the NSG's word, the firewall on the path decides after it (§2.1, §1.3).
 * References: /work/shared/reference/destinations.md.
 */
import { describe, expect, it } from 'vitest';
import { analyzeTraffic, parseLogFile } from '../../../shared/traffic/index';
import { policy } from '../policy/support';
import { demoInput } from './support';

const FW_ID = '/SUBSCRIPTIONS/6B1F3C2A-8D4E-4F7A-9C15-2E8B7D0A4C91/RESOURCEGROUPS/RG-HUB-NETWORK-WEU/PROVIDERS/MICROSOFT.NETWORK/AZUREFIREWALLS/AFW-HUB-WEU';

const PAYMENTS_POLICY = `version: 1
controls:
  - id: payments-list
    effect: deny
    scope: { subnets: [snet-payments-*] }
    mayReach: ["api.stripe.com:443"]
`;

describe('legacy DNS proxy lines are questions, not connections', () => {
  // §1.4: the AzureDiagnostics DNS proxy line "DNS Request: 10.12.3.5:7943 - 8951 AAAA IN <name>. udp ...";
  // §2.1: "firewall DNS logs only tell you names asked, not answers". Excluded from the policy
  // comparison like the structured AZFWDnsQuery row.
  it('traffic --policy raises no observed-outside-policy for a DNS question (here one that got NXDOMAIN)', () => {
    const log = parseLogFile('diag.json', JSON.stringify([{
      TimeGenerated: '2024-05-01T12:05:00Z', Category: 'AzureFirewallDnsProxy', OperationName: 'AzureFirewallDnsProxyLog', Type: 'AzureDiagnostics', ResourceId: FW_ID,
      msg_s: 'DNS Request: 10.110.0.4:7943 - 8951 A IN pastebin.com. udp 58 false 512 NXDOMAIN qr,rd,ra 135 0.004987569s',
    }]));
    const result = analyzeTraffic(demoInput('bank'), [log], { policy: policy(PAYMENTS_POLICY, 'p.yaml') });
    expect(result.findings.filter((f) => f.code === 'observed-outside-policy').map((f) => f.message)).toEqual([]);
    expect(result.gaps.filter((g) => /mayReach/.test(g.message))).toEqual([]);
  });
});

describe('unused-allow-rule judges only the rule kinds whose logs were given', () => {
  // §1.1 / §1.2: AZFWNetworkRule ("network-rule allow/deny per flow") and AZFWApplicationRule
  // ("application-rule allow/deny") are separate tables / diagnostic categories: an application
  // rule's hits are never in AZFWNetworkRule.
  const networkRow = { TimeGenerated: '2024-05-02T06:00:00Z', Type: 'AZFWNetworkRule', SourceIp: '10.130.0.4', DestinationIp: '185.40.56.10', DestinationPort: 22, Protocol: 'TCP', Action: 'Allow',
    Policy: 'afwp-bank-egress', RuleCollectionGroup: 'rcg-payments-egress', RuleCollection: 'allow-clearing-house', Rule: 'clearing-sftp', _ResourceId: FW_ID };
  const unusedOf = (rows: readonly unknown[]): readonly string[] => analyzeTraffic(demoInput('bank'), [parseLogFile('fw.json', JSON.stringify(rows))]).findings
    .filter((f) => f.code === 'unused-allow-rule').map((f) => f.message.split(' ')[0] ?? '');

  it('with only AZFWNetworkRule rows, network rules are judged and no application rule is', () => {
    const kinds = unusedOf([networkRow]);
    expect(kinds).not.toContain('Application');
    expect(kinds).toContain('Network');
  });

  it('with only AZFWApplicationRule rows, no network rule is judged', () => {
    const kinds = unusedOf([{ TimeGenerated: '2024-05-02T06:00:00Z', Type: 'AZFWApplicationRule', SourceIp: '10.110.0.4', Fqdn: 'api.stripe.com', DestinationPort: 443, Protocol: 'HTTPS', Action: 'Allow',
      Policy: 'afwp-bank-egress', RuleCollectionGroup: 'rcg-payments-egress', RuleCollection: 'allow-approved-psp-apis', Rule: 'stripe', _ResourceId: FW_ID }]);
    expect(kinds).not.toContain('Network');
    expect(kinds).toContain('Application');
  });

  it('legacy rows speak for the category they were exported under (§1.4)', () => {
    const kinds = unusedOf([{ TimeGenerated: '2024-05-02T06:00:00Z', Type: 'AzureDiagnostics', Category: 'AzureFirewallNetworkRule', ResourceId: FW_ID,
      msg_s: 'TCP request from 10.130.0.4:50000 to 185.40.56.10:22. Action: Allow. Policy: afwp-bank-egress. Rule Collection Group: rcg-payments-egress. Rule Collection: allow-clearing-house. Rule: clearing-sftp' }]);
    expect(kinds).not.toContain('Application');
    expect(kinds).toContain('Network');
  });

  it('a DNS proxy line alone judges no rule at all', () => {
    expect(unusedOf([{ TimeGenerated: '2024-05-01T12:05:00Z', Category: 'AzureFirewallDnsProxy', Type: 'AzureDiagnostics', ResourceId: FW_ID,
      msg_s: 'DNS Request: 10.110.0.4:7943 - 8951 A IN pastebin.com. udp 58 false 512 NXDOMAIN qr,rd,ra 135 0.004987569s' }])).toEqual([]);
  });
});

describe('a flow log "allowed" behind a firewall is the NSG\'s word only', () => {
  // §2.1: flowGroups[].rule is the NSG / ACL "rule name that allowed/denied"; "When traffic is
  // forced through Azure Firewall, the VM-side tuple shows the real destination IP": the firewall
  // decides after the tuple is logged. §1.3: its default deny is an AZFWNetworkRule row, Action Deny,
  // ActionReason "Default Action".
  const vnet = parseLogFile('PT1H.json', JSON.stringify({ records: [{ time: '2024-05-01T10:00:00Z', flowLogVersion: 4, category: 'FlowLogFlowEvent', macAddress: '112233445566', flowRecords: { flows: [{ aclID: 'x', flowGroups: [{
    rule: 'DefaultRule_AllowInternetOutBound', flowTuples: ['1714557600000,10.110.0.4,198.51.100.7,40000,25,6,O,B,NX,0,0,0,0', '1714557600500,10.110.0.4,198.51.100.7,40000,25,6,O,E,NX,3,180,0,0'] }] }] } }] }));
  const denied = parseLogFile('nw.json', JSON.stringify([{ TimeGenerated: '2024-05-01T10:00:00Z', Type: 'AZFWNetworkRule', SourceIp: '10.110.0.4', DestinationIp: '198.51.100.7', DestinationPort: 25, Protocol: 'TCP',
    Action: 'Deny', Policy: '', RuleCollectionGroup: '', RuleCollection: '', Rule: '', ActionReason: 'Default Action', _ResourceId: FW_ID }]));
  const p = policy('version: 1\ncontrols:\n  - id: payments-list\n    effect: deny\n    scope: { subnets: [snet-payments-*] }\n    mayReach: ["168.61.215.0/24", "20.0.0.0/8"]\n', 'p.yaml');
  const claims = (result: ReturnType<typeof analyzeTraffic>): readonly string[] =>
    result.findings.filter((f) => f.code === 'observed-outside-policy' && f.policy?.destination === '198.51.100.7').map((f) => f.message);

  it('the firewall\'s deny for the same flow decides: no "was allowed", no gap', () => {
    const result = analyzeTraffic(demoInput('bank'), [vnet, denied], { policy: p });
    expect(claims(result)).toEqual([]);
    expect(result.gaps.filter((g) => /passed the NSG/.test(g.message))).toEqual([]);
  });

  it('without a firewall record, a gap says it passed the NSG and the firewall\'s decision is not in the logs', () => {
    const result = analyzeTraffic(demoInput('bank'), [vnet], { policy: p });
    expect(claims(result)).toEqual([]);
    const gaps = result.gaps.filter((g) => /passed the NSG/.test(g.message));
    expect(gaps).toHaveLength(1);
    expect(gaps[0]?.message).toMatch(/198\.51\.100\.7:25\/TCP.*but its path goes through afw-hub-weu, and whether that allowed them is not in the logs given/);
  });
});

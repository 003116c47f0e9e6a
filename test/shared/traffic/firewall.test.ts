/**
 * Azure Firewall log semantics (shared/traffic/firewall.ts): which rows are connections, who
 * decided a deny, and which rule kind a legacy export speaks for.
 *
 * References:
 *  [REF]   /work/shared/reference/destinations.md §1 (firewall logs)
 *  [ASIM]  Azure/Azure-Sentinel Parsers/ASimNetworkSession/Parsers/vimNetworkSessionAzureFirewall.yaml
 */
import { describe, expect, it } from 'vitest';
import { analyzeTraffic, parseFirewallMessage, parseLogFile } from '../../../shared/traffic/index';
import { natEstate, totalFlows } from './support';

describe('alert rows are not connections', () => {
  it('an AZFWThreatIntel row with Action "Alert" does not add a second flow to the connection AZFWNetworkRule logged', () => {
    // [ASIM] unions AZFWNetworkRule with AZFWThreatIntel / AZFWIdpsSignature and filters
    // `UpperAction != "ALERT"`: "IDPS Signature and ThreatIntel tables contain alerts, exclude these
    // to avoid duplicate network session logs". In Alert mode the connection continues to rule
    // processing and the rule table logs it too ([REF] §1.1). One connection, one flow.
    const { input } = natEstate();
    const rows = JSON.stringify({ tables: [{ name: 'PrimaryResult', columns: [
      { name: 'TimeGenerated', type: 'datetime' }, { name: 'Type', type: 'string' }, { name: 'SourceIp', type: 'string' }, { name: 'SourcePort', type: 'int' },
      { name: 'DestinationIp', type: 'string' }, { name: 'DestinationPort', type: 'int' }, { name: 'Protocol', type: 'string' }, { name: 'Action', type: 'string' },
      { name: 'Fqdn', type: 'string' }, { name: 'ThreatDescription', type: 'string' }, { name: 'Rule', type: 'string' }, { name: 'RuleCollection', type: 'string' },
    ], rows: [
      ['2024-05-01T10:00:00Z', 'AZFWThreatIntel', '10.0.1.4', 50111, '203.0.113.50', 443, 'TCP', 'Alert', '', 'Known malicious IP', null, null],
      ['2024-05-01T10:00:00Z', 'AZFWNetworkRule', '10.0.1.4', 50111, '203.0.113.50', 443, 'TCP', 'Allow', null, null, 'allow-https', 'net-allow'],
    ] }] });
    const parsed = parseLogFile('fw.json', rows);
    const result = analyzeTraffic(input, [parsed]);
    expect(totalFlows(result, '203.0.113.50')).toBe(1);
    // Not lost silently: counted, and a skipped-input gap names it.
    // The firewall the rows name (none here) decides, at the end of the run, how the gap is worded (analyze.ts alertGaps).
    expect(parsed.skipped).toEqual([{ reason: 'AZFWThreatIntel rows with Action Alert: alerts on a connection the rule logs record (ASIM excludes them as duplicate sessions)', count: 1, alert: { firewallId: null } }]);
    expect(result.gaps).toContainEqual(expect.objectContaining({ code: 'skipped-input', scope: 'fw.json', count: 1 }));
  });

  it('a legacy IDPS row (OperationName AzureFirewallIDSLog) does not add a second flow', () => {
    // [REF] §1.4: OperationName AzureFirewallIDSLog, msg_s "... Action: <a>. Signature: <id>. IDS: ...".
    // [ASIM] reads legacy sessions from OperationName AzureFirewallNetworkRuleLog / ThreatIntelLog only.
    const { input } = natEstate();
    const rows = JSON.stringify([
      { TimeGenerated: '2024-05-01T10:00:00Z', Type: 'AzureDiagnostics', Category: 'AzureFirewallNetworkRule', OperationName: 'AzureFirewallNetworkRuleLog',
        msg_s: 'TCP request from 10.0.1.4:50111 to 203.0.113.50:443. Action: Allow. Rule Collection: net-allow. Rule: allow-https' },
      { TimeGenerated: '2024-05-01T10:00:00Z', Type: 'AzureDiagnostics', Category: 'AzureFirewallNetworkRule', OperationName: 'AzureFirewallIDSLog',
        msg_s: 'TCP request from 10.0.1.4:50111 to 203.0.113.50:443. Action: Alert. Signature: 2008983. IDS: USER_AGENTS Suspicious User Agent. Priority: 2. Classification: A Network Trojan was detected' },
    ]);
    const parsed = parseLogFile('legacy.json', rows);
    expect(totalFlows(analyzeTraffic(input, [parsed]), '203.0.113.50')).toBe(1);
    expect(parsed.skipped.map((s) => [s.reason.slice(0, s.reason.indexOf(': alerts')), s.count])).toEqual([['legacy IDPS rows with "Action: Alert"', 1]]);
  });

  it('a legacy threat-intel "Action: Alert" line is skipped; its "Action: Deny" line is read', () => {
    const rows = JSON.stringify([
      { TimeGenerated: '2024-05-01T10:00:00Z', Category: 'AzureFirewallNetworkRule', OperationName: 'AzureFirewallThreatIntelLog',
        msg_s: 'TCP request from 10.0.1.4:50111 to 203.0.113.50:443. Action: Alert. ThreatIntel: Known malicious IP' },
      { TimeGenerated: '2024-05-01T10:00:00Z', Category: 'AzureFirewallNetworkRule', OperationName: 'AzureFirewallThreatIntelLog',
        msg_s: 'TCP request from 10.0.1.4:50112 to 203.0.113.51:443. Action: Deny. ThreatIntel: Bot Networks' },
    ]);
    const parsed = parseLogFile('ti.json', rows);
    expect(parsed.records.map((r) => [r.destination, r.action, r.rule?.rule])).toEqual([['203.0.113.51', 'deny', 'threat intelligence: Bot Networks']]);
    expect(parsed.skipped.map((s) => s.count)).toEqual([1]);
  });

  it('AZFWIdpsSignature Alert rows exported without Type are not read as AZFWNetworkRule connections', () => {
    // [REF] §1.2 AZFWIdpsSignature: SignatureId, Severity, Description (no rule table has them): read
    // as the typed table is, so its Alert rows are skipped as alerts (its Deny / Drop rows are read).
    const rows = JSON.stringify([
      { TimeGenerated: '2024-05-01T10:00:00Z', SourceIp: '10.0.1.4', SourcePort: '50111', DestinationIp: '203.0.113.50', DestinationPort: '443', Protocol: 'TCP',
        Action: 'alert', Category: 'A Network Trojan was detected', Description: 'ET MALWARE Suspicious User Agent', SignatureId: '2008983', Severity: '1' },
    ]);
    const parsed = parseLogFile('idps.json', rows);
    expect(parsed.records).toEqual([]);
    expect(parsed.skipped).toEqual([{ reason: 'AZFWIdpsSignature rows with Action Alert: alerts on a connection the rule logs record (ASIM excludes them as duplicate sessions)', count: 1, alert: { firewallId: null } }]);
  });
});

describe('who decided a deny', () => {
  it('a threat-intelligence deny is named as such, not as the firewall\'s "default action"', () => {
    // [REF] §1.3: the default-deny record is an AZFWNetworkRule / AZFWApplicationRule row with empty
    // names and ActionReason "Default Action"; an AZFWThreatIntel Deny is the TI filter's decision.
    const { input } = natEstate();
    const row = (i: number): Record<string, string> => ({
      TimeGenerated: `2024-05-01T10:0${i}:00Z`, Type: 'AZFWThreatIntel', SourceIp: '10.0.1.4', SourcePort: String(50000 + i), DestinationIp: '203.0.113.66',
      DestinationPort: '443', Protocol: 'TCP', Action: 'Deny', Fqdn: '', ThreatDescription: 'Bot Networks',
    });
    const result = analyzeTraffic(input, [parseLogFile('ti.json', JSON.stringify([0, 1, 2, 3, 4].map(row)))]);
    const finding = result.findings.find((f) => f.code === 'denied-traffic');
    expect(finding?.message).toBe('NIC nic-app-01 (snet-apps): 5 denied flow(s) to 203.0.113.66:443/TCP between 2024-05-01T10:00:00.000Z and 2024-05-01T10:04:00.000Z (threat intelligence: Bot Networks).');
  });
});

describe('which rule kind a legacy export speaks for', () => {
  it('a legacy NAT-only export (Category AzureFirewallNetworkRule, OperationName AzureFirewallNatRuleLog) calls no network rule unused', () => {
    // [REF] §1.4: Category AzureFirewallNetworkRule holds network, NAT, threat-intel and IDS rows;
    // OperationName tells them apart. [ASIM] splits NAT rows out by OperationName. A DNAT log holds no
    // network-rule hit, so it must not make every network allow rule "a candidate for clean-up".
    const { input, firewallId } = natEstate();
    const rows = JSON.stringify([
      { TimeGenerated: '2024-05-01T10:00:00Z', Type: 'AzureDiagnostics', Category: 'AzureFirewallNetworkRule', OperationName: 'AzureFirewallNatRuleLog',
        ResourceId: firewallId.toUpperCase(), msg_s: 'TCP request from 198.51.100.7:50123 to 20.50.0.10:3389 was DNAT\'ed to 10.0.1.4:3389' },
    ]);
    const result = analyzeTraffic(input, [parseLogFile('nat.json', rows)]);
    expect(result.findings.filter((f) => f.code === 'unused-allow-rule')).toEqual([]);
  });

  it('a network-rule row of the same export still speaks for the network rules', () => {
    const { input, firewallId } = natEstate();
    const rows = JSON.stringify([
      { TimeGenerated: '2024-05-01T10:00:00Z', Type: 'AzureDiagnostics', Category: 'AzureFirewallNetworkRule', OperationName: 'AzureFirewallNetworkRuleLog',
        ResourceId: firewallId.toUpperCase(), msg_s: 'TCP request from 10.0.1.4:50111 to 203.0.113.50:25. Action: Deny' },
    ]);
    const result = analyzeTraffic(input, [parseLogFile('net.json', rows)]);
    expect(result.findings.filter((f) => f.code === 'unused-allow-rule').map((f) => f.subject.split('/').slice(-2).join('/'))).toEqual(['net-allow/allow-https']);
  });

  it('keeps the rule of a policy DNAT line ("... was DNAT\'ed to A:p. Policy: ... Rule: ...")', () => {
    const at = { file: 'f', path: '$[0].msg_s' };
    expect(parseFirewallMessage('TCP request from 198.51.100.7:50123 to 20.50.0.10:3389 was DNAT\'ed to 10.0.1.4:3389. Policy: afwp. Rule Collection Group: rcg-dnat. Rule Collection: dnat-rdp. Rule: rdp-jump', at))
      .toMatchObject({ sourceIp: '198.51.100.7', destination: '20.50.0.10', port: 3389, rule: { policy: 'afwp', collectionGroup: 'rcg-dnat', collection: 'dnat-rdp', rule: 'rdp-jump' } });
  });
});

/**
 * Threat-intel and IDPS rows (shared/traffic/firewall.ts firewallSkipReason / firewallTable,
 * parse.ts Rows, analyze.ts alertGaps). From the review of 80baada (each scenario failed before its fix).
 *
 * References:
 *  [REF]  /work/shared/reference/destinations.md §1.1 (diagnostic categories), §1.4 (legacy msg_s), §1.5 (summarize rows)
 *  [ASIM] Azure/Azure-Sentinel Parsers/ASimNetworkSession/Parsers/vimNetworkSessionAzureFirewall.yaml:
 *         `AZFWNetworkRule | union AZFWNatRule | union AZFWIdpsSignature | union AZFWThreatIntel
 *         | where UpperAction != "ALERT"` with DvcActionLookup "DENY"/"DROP" → Failure: IDPS and TI
 *         rows whose action is Deny / Drop ARE network sessions there; only Alert rows are dropped.
 */
import { describe, expect, it } from 'vitest';
import { analyzeTraffic, parseLogFile } from '../../../shared/traffic/index';
import { natEstate, observedTo, totalFlows } from './support';

const FW = '/subscriptions/s/resourcegroups/rg/providers/microsoft.network/azurefirewalls/afw-a';
const tiColumns = ['TimeGenerated', 'Type', 'SourceIp', 'SourcePort', 'DestinationIp', 'DestinationPort', 'Protocol', 'Action', 'Fqdn', 'ThreatDescription'];

describe('threat-intel Alert rows: skipped only where the rule logs of that firewall were read', () => {
  it('an export of AZFWThreatIntel alone: the gap says the alerted connections are not counted, and why', () => {
    // When the input holds no rule-log row (only the AZFWThreatIntel category ticked, [REF] §1.1, or a
    // TI-only KQL export), the Alert row is the only evidence that 10.0.1.4 reached 203.0.113.50:443:
    // the gap must not claim "a connection the rule logs record".
    const { input } = natEstate();
    const parsed = parseLogFile('ti.json', JSON.stringify({ tables: [{ name: 'PrimaryResult', columns: tiColumns.map((name) => ({ name, type: 'string' })), rows: [
      ['2024-05-01T10:00:00Z', 'AZFWThreatIntel', '10.0.1.4', '50111', '203.0.113.50', '443', 'TCP', 'Alert', '', 'Known malicious IP'],
    ] }] }));
    const gaps = analyzeTraffic(input, [parsed]).gaps.filter((g) => /AZFWThreatIntel/.test(g.message));
    expect(gaps.map((g) => [g.code, g.count, g.message])).toEqual([['skipped-input', 1,
      '1 AZFWThreatIntel rows with Action Alert: not counted, and no network- or application-rule rows of any firewall were in the input, '
      + 'so these alerts may be the only record of their connections, which are missing from the counts (give the AZFWNetworkRule / AZFWApplicationRule logs of the same window).']]);
  });

  it('with that firewall\'s AZFWNetworkRule rows in another file of the run (read after it), the Alert rows are duplicates, worded so', () => {
    const { input } = natEstate();
    const ti = parseLogFile('ti.json', JSON.stringify([
      { TimeGenerated: '2024-05-01T10:00:00Z', Type: 'AZFWThreatIntel', _ResourceId: FW, SourceIp: '10.0.1.4', DestinationIp: '203.0.113.50', DestinationPort: '443', Protocol: 'TCP', Action: 'Alert', ThreatDescription: 'x' },
    ]));
    const rules = parseLogFile('net.json', JSON.stringify([
      { TimeGenerated: '2024-05-01T10:00:00Z', Type: 'AZFWNetworkRule', _ResourceId: FW.toUpperCase(), SourceIp: '10.0.1.4', DestinationIp: '203.0.113.50', DestinationPort: '443', Protocol: 'TCP', Action: 'Allow', Rule: 'allow-https', RuleCollection: 'net-allow' },
    ]));
    const result = analyzeTraffic(input, [ti, rules]);
    expect(totalFlows(result, '203.0.113.50')).toBe(1);
    expect(result.gaps.filter((g) => /AZFWThreatIntel/.test(g.message)).map((g) => g.message))
      .toEqual(['1 AZFWThreatIntel rows with Action Alert: alerts on a connection the rule logs record (ASIM excludes them as duplicate sessions).']);
  });

  it('rule logs of another firewall only: the Alert rows of this one are not counted, and the gap names it', () => {
    const { input } = natEstate();
    const ti = parseLogFile('ti.json', JSON.stringify([
      { TimeGenerated: '2024-05-01T10:00:00Z', Type: 'AZFWThreatIntel', _ResourceId: FW, SourceIp: '10.0.1.4', DestinationIp: '203.0.113.50', DestinationPort: '443', Protocol: 'TCP', Action: 'Alert', ThreatDescription: 'x' },
      { TimeGenerated: '2024-05-01T10:00:00Z', Type: 'AZFWNetworkRule', _ResourceId: `${FW}-other`, SourceIp: '10.0.1.4', DestinationIp: '203.0.113.60', DestinationPort: '443', Protocol: 'TCP', Action: 'Allow', Rule: 'r', RuleCollection: 'c' },
    ]));
    const gap = analyzeTraffic(input, [ti]).gaps.find((g) => /AZFWThreatIntel/.test(g.message));
    expect(gap?.message).toContain(`not counted, and no network- or application-rule rows of firewall ${FW} were in the input`);
  });

  it('a skipped summarised Alert row (count_ 250) is reported with its 250 flows, not as 1', () => {
    // [REF] §1.5: users export `summarize count_ ...` rows; count_ is the flows of a row.
    const { input } = natEstate();
    const parsed = parseLogFile('ti-summary.json', JSON.stringify([
      { Type: 'AZFWThreatIntel', SourceIp: '10.0.1.4', DestinationIp: '203.0.113.50', DestinationPort: '443', Protocol: 'TCP', Action: 'Alert', ThreatDescription: 'Known malicious IP',
        count_: '250', firstSeen: '2024-05-01T10:00:00Z', lastSeen: '2024-05-01T11:00:00Z' },
    ]));
    expect(parsed.skipped.map((s) => [s.count, s.flows])).toEqual([[1, 250]]);
    const gap = analyzeTraffic(input, [parsed]).gaps.find((g) => /AZFWThreatIntel/.test(g.message));
    expect(gap?.message).toMatch(/^1 AZFWThreatIntel rows with Action Alert \(standing for 250 flow\(s\): summarised rows' counts\): not counted/);
  });
});

describe('IDPS rows: only Alert rows are skipped; Deny / Drop rows are the record of a blocked connection', () => {
  it('a legacy IDPS row with "Action: Drop" is read as a deny, decided by its signature', () => {
    // [REF] §1.4 "... Action: drop. Signature: ... IDS: ...". In "Alert and deny" mode IDPS stops a
    // connection the network rule allowed: the rule log says Allow, only the IDS row says it was dropped.
    const { input } = natEstate();
    const parsed = parseLogFile('diag.json', JSON.stringify([
      { TimeGenerated: '2024-05-01T10:00:00Z', Type: 'AzureDiagnostics', Category: 'AzureFirewallNetworkRule', OperationName: 'AzureFirewallNetworkRuleLog',
        msg_s: 'TCP request from 10.0.1.4:50111 to 203.0.113.50:443. Action: Allow. Rule Collection: net-allow. Rule: allow-https' },
      { TimeGenerated: '2024-05-01T10:00:01Z', Type: 'AzureDiagnostics', Category: 'AzureFirewallNetworkRule', OperationName: 'AzureFirewallIDSLog',
        msg_s: 'TCP request from 10.0.1.4:50111 to 203.0.113.50:443. Action: Drop. Signature: 2028816. IDS: ET MALWARE Suspicious. Priority: 1. Classification: A Network Trojan was detected' },
    ]));
    const result = analyzeTraffic(input, [parsed]);
    expect(observedTo(result, '203.0.113.50').map((o) => [o.action, o.flows, o.rule?.rule])).toEqual([
      ['allow', 1, 'allow-https'], ['deny', 1, 'IDPS signature 2028816: ET MALWARE Suspicious'],
    ]);
  });

  it('an AZFWIdpsSignature row with Action Deny exported without Type is read as a deny', () => {
    const { input } = natEstate();
    const parsed = parseLogFile('idps.json', JSON.stringify([
      { TimeGenerated: '2024-05-01T10:00:00Z', SourceIp: '10.0.1.4', SourcePort: '50111', DestinationIp: '203.0.113.51', DestinationPort: '443', Protocol: 'TCP',
        Action: 'Deny', SignatureId: '2028816', Category: 'A Network Trojan was detected', Description: 'ET MALWARE Suspicious', Severity: '1' },
    ]));
    expect(parsed.records.map((r) => [r.log, r.action, r.rule?.rule])).toEqual([['azfw-idps', 'deny', 'IDPS signature 2028816: ET MALWARE Suspicious']]);
    expect(observedTo(analyzeTraffic(input, [parsed]), '203.0.113.51').map((o) => o.action)).toEqual(['deny']);
  });

  it('a typed AZFWIdpsSignature Drop row is read as a deny; its Alert row is skipped as an alert', () => {
    const row = (action: string, port: string): Record<string, string> => ({
      TimeGenerated: '2024-05-01T10:00:00Z', Type: 'AZFWIdpsSignature', SourceIp: '10.0.1.4', SourcePort: '50111', DestinationIp: '203.0.113.52', DestinationPort: port,
      Protocol: 'TCP', Action: action, SignatureId: '2008983', Description: 'USER_AGENTS Suspicious User Agent', Severity: '2',
    });
    const parsed = parseLogFile('idps.json', JSON.stringify([row('Drop', '443'), row('alert', '80')]));
    expect(parsed.records.map((r) => [r.port, r.action])).toEqual([[443, 'deny']]);
    expect(parsed.skipped.map((s) => s.reason.slice(0, s.reason.indexOf(': alerts')))).toEqual(['AZFWIdpsSignature rows with Action Alert']);
  });
});

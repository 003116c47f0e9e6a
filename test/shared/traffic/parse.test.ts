/**
 * Every log export shape users have (destinations.md §1-2), read into one record shape: shape
 * detection, string-valued az output, pre-aggregated counts, legacy msg_s, flow-log tuples, and
 * errors that name the file, the row or JSON path and what was expected.
 */
import { describe, expect, it } from 'vitest';
import { parseFirewallMessage, parseLogFile, UNDERSTOOD_FORMATS } from '../../../shared/traffic/index';
import type { TrafficRecord } from '../../../shared/traffic/index';
import { fixture, LOGS, NSG_BLOB, VNET_BLOB_10, VNET_BLOB_11 } from './support';
import { inputError } from '../../support/errors';
import { timeValue } from '../../../shared/traffic/values';

const FW = '/subscriptions/6b1f3c2a-8d4e-4f7a-9c15-2e8b7d0a4c91/resourcegroups/rg-hub-network-weu/providers/microsoft.network/azurefirewalls/afw-hub-weu';


describe('Azure Firewall structured logs', () => {
  it('reads az monitor log-analytics query output, where every value is a string', () => {
    const log = fixture(`${LOGS}/azfw/app-rule-az-cli.json`);
    expect(log.shape).toBe('az-cli');
    expect(log.records).toHaveLength(7);
    expect(log.records[0]).toEqual<TrafficRecord>({
      time: '2024-05-01T10:00:01.123Z', until: null, sourceIp: '10.110.0.4', destination: 'api.stripe.com', destinationIp: null,
      port: 443, protocol: 'HTTPS', action: 'allow', flows: 1, bytes: null,
      rule: { policy: 'afwp-bank-egress', collectionGroup: 'rcg-payments-egress', collection: 'allow-approved-psp-apis', rule: 'stripe' },
      firewallId: FW, log: 'azfw-application',
    });
    // The default action logs empty rule names: no rule.
    const deny = log.records.find((r) => r.destination === 'example.org');
    expect(deny).toMatchObject({ action: 'deny', rule: null });
  });

  it('reads pre-aggregated summarize rows: hits as the flow count, firstSeen / lastSeen as the time span', () => {
    const log = fixture(`${LOGS}/azfw/app-rule-summarize-az.json`);
    expect(log.records.map((r) => [r.sourceIp, r.destination, r.action, r.flows])).toEqual([
      ['10.120.0.5', 'www.visa.com', 'allow', 120], ['10.110.0.4', 'pypi.org', 'deny', 12], ['10.130.0.4', 'www.visa.com', 'allow', 3],
    ]);
    expect(log.records[0]).toMatchObject({ time: '2024-05-01T00:02:11.000Z', until: '2024-05-07T23:58:40.000Z' });
  });

  it('reads the Log Analytics REST tables/columns/rows shape with numbers or numeric strings and nulls', () => {
    const log = fixture(`${LOGS}/azfw/network-rule-rest.json`);
    expect(log.shape).toBe('log-analytics-rest');
    expect(log.records).toHaveLength(9);
    expect(log.records.slice(0, 2).map((r) => [r.destination, r.port, r.protocol, r.action, r.rule?.rule])).toEqual([
      ['185.40.56.10', 22, 'TCP', 'allow', 'clearing-sftp'], ['185.40.56.10', 22, 'TCP', 'allow', 'clearing-sftp'],
    ]);
    const icmp = log.records.find((r) => r.protocol === 'ICMP');
    expect(icmp).toMatchObject({ destination: '8.8.8.8', port: null, action: 'deny', rule: null });
  });

  it('reads the SDK shape (columnDescriptors) too', () => {
    const text = JSON.stringify({ status: 'Success', tables: [{ name: 'PrimaryResult', columnDescriptors: [{ name: 'SourceIp', type: 'string' }, { name: 'DestinationIp', type: 'string' }, { name: 'DestinationPort', type: 'int' }, { name: 'Protocol', type: 'string' }, { name: 'Action', type: 'string' }, { name: 'count_', type: 'long' }], rows: [['10.110.0.4', '20.1.2.3', 443, 'TCP', 'Deny', 7]] }] });
    const log = parseLogFile('sdk.json', text);
    expect(log.records[0]).toMatchObject({ log: 'azfw-network', flows: 7, time: null, action: 'deny' });
  });

  it('reads the portal CSV export, with [UTC] headers and display-format datetimes, and count_', () => {
    const log = fixture(`${LOGS}/azfw/network-rule-portal.csv`);
    expect(log.shape).toBe('csv');
    expect(log.records.map((r) => [r.sourceIp, r.destination, r.port, r.protocol, r.flows, r.time, r.until])).toEqual([
      ['10.110.0.4', '168.61.215.74', 123, 'UDP', 48, '2024-05-02T00:00:00.000Z', '2024-05-02T23:45:00.000Z'],
      ['10.130.0.4', '168.61.215.74', 123, 'UDP', 48, '2024-05-02T00:00:10.000Z', '2024-05-02T23:45:10.000Z'],
    ]);
  });

  it('reads diagnostic-setting blobs of every table, and counts rows of tables it does not read', () => {
    const log = fixture(`${LOGS}/azfw/diagnostic-blob.json`);
    expect(log.shape).toBe('diagnostic-records');
    expect(log.records.map((r) => [r.log, r.sourceIp, r.destination, r.port, r.action])).toEqual([
      ['azfw-application', '10.110.0.5', 'fe2.update.microsoft.com', 443, 'allow'],
      ['azfw-network', '10.130.1.4', '203.0.113.10', 22, 'deny'],
      ['azfw-dns', '10.110.0.4', 'api.stripe.com', 53, 'allow'],
      // Threat intel in alert mode is an alert on a connection the rule logs record: counted as skipped, not a flow.
      ['azfw-nat', '203.0.113.50', '20.61.14.10', 3389, 'allow'],
    ]);
    // Alert rows of threat intel and IDPS alike (their Deny / Drop rows are read), with the firewall they name.
    const alert = { firewallId: '/subscriptions/6b1f3c2a-8d4e-4f7a-9c15-2e8b7d0a4c91/resourcegroups/rg-hub-network-weu/providers/microsoft.network/azurefirewalls/afw-hub-weu' };
    expect(log.skipped).toEqual([
      { reason: 'AZFWThreatIntel rows with Action Alert: alerts on a connection the rule logs record (ASIM excludes them as duplicate sessions)', count: 1, alert },
      { reason: 'AZFWIdpsSignature rows with Action Alert: alerts on a connection the rule logs record (ASIM excludes them as duplicate sessions)', count: 1, alert },
    ]);
  });
});

describe('legacy AzureDiagnostics msg_s', () => {
  it('reads every documented line form from an AzureDiagnostics export', () => {
    const log = fixture(`${LOGS}/azfw/azure-diagnostics-msg.json`);
    expect(log.records.map((r) => [r.sourceIp, r.destination, r.port, r.protocol, r.action, r.rule ? `${r.rule.policy ?? ''}|${r.rule.collectionGroup ?? ''}|${r.rule.collection ?? ''}|${r.rule.rule}` : null])).toEqual([
      ['10.110.0.4', 'api.stripe.com', 443, 'HTTPS', 'allow', 'afwp-bank-egress|rcg-payments-egress|allow-approved-psp-apis|stripe'],
      ['10.110.0.5', 'ocsp.msocsp.com', 80, 'HTTP', 'deny', null],
      ['10.110.0.5', '(no SNI)', 443, 'HTTPS', 'deny', null],
      ['10.130.0.4', '185.40.56.12', 22, 'TCP', 'allow', 'afwp-bank-egress|rcg-payments-egress|allow-clearing-house|clearing-sftp'],
      ['10.130.0.4', '8.8.8.8', null, 'ICMP', 'deny', null],
      ['10.110.0.4', 'api.stripe.com', 53, 'DNS', 'allow', null],
      ['10.120.0.5', 'www.mastercard.com', 443, 'HTTPS', 'allow', '||allow-approved-psp-apis|card-networks'],
      // The threat-intelligence filter decided ("ThreatIntel: Bot Networks"), not the default action.
      ['10.110.0.5', 'malicious.example', 80, 'HTTP', 'deny', '|||threat intelligence: Bot Networks'],
    ]);
    expect(log.records.every((r) => r.log === 'azure-diagnostics' && r.firewallId === FW)).toBe(true);
    expect(log.skipped).toEqual([{ reason: 'rows of ApplicationGatewayAccessLog (not read)', count: 1 }]);
  });

  it('reads the IDPS drop and the DNS error forms', () => {
    const at = { file: 'f', path: '$[0].msg_s' };
    expect(parseFirewallMessage('TCP request from 10.0.0.4:5000 to 20.1.2.3:443. Action: drop. Signature: 2028816. IDS: ET POLICY. Priority: 3. Classification: Misc', at))
      .toMatchObject({ action: 'deny', destination: '20.1.2.3', port: 443 });
    expect(parseFirewallMessage("DNS Request: 10.0.1.5:49126 – 1234 A IN time.windows.com.reddog.microsoft.com. udp 60 false 512 SERVFAIL qr,rd 60 2.0s Error: 2 time.windows.com.reddog.microsoft.com. A: read udp 10.0.1.5:49126->168.63.129.160:53: i/o timeout", at))
      .toMatchObject({ sourceIp: '10.0.1.5', destination: 'time.windows.com.reddog.microsoft.com', protocol: 'DNS' });
  });

  it('names the row and says what was expected for a line it cannot read', () => {
    const text = JSON.stringify([{ Category: 'AzureFirewallNetworkRule', TimeGenerated: '2024-05-01T00:00:00Z', msg_s: 'something else entirely' }]);
    const error = inputError(() => parseLogFile('diag.json', text));
    expect(error.file).toBe('diag.json');
    expect(error.path).toBe('$[0].msg_s');
    expect(error.expected).toContain('request from');
  });
});

describe('flow logs', () => {
  it('reads VNet flow log v4 tuples: outbound only, flows from B and D tuples, bytes summed both ways', () => {
    const log = fixture(VNET_BLOB_10);
    expect(log.shape).toBe('vnet-flow-log');
    expect(log.skipped).toEqual([{ reason: 'inbound flow tuples (egress reads outbound flows only)', count: 1 }]);
    const github = log.records.filter((r) => r.destination === '140.82.112.3');
    expect(github.reduce((n, r) => n + r.flows, 0)).toBe(1);
    expect(github.reduce((n, r) => n + (r.bytes ?? 0), 0)).toBe(20000 + 900000 + 2000 + 90000);
    // Bytes sent (src→dst, the 11th field) kept apart: internet data transfer out bills only those (destinations.md §2.1, §8.1).
    expect(github.reduce((n, r) => n + (r.bytesSent ?? 0), 0)).toBe(20000 + 2000);
    expect(github[0]).toMatchObject({ time: '2024-05-01T10:00:02.000Z', protocol: 'TCP', port: 443, action: 'allow', rule: { rule: 'DefaultRule_AllowInternetOutBound' }, log: 'vnet-flow' });
    const denied = log.records.filter((r) => r.action === 'deny');
    expect(denied.map((r) => [r.destination, r.port, r.flows])).toEqual([['203.0.113.99', 3389, 1], ['203.0.113.99', 3389, 1]]);
    expect(fixture(VNET_BLOB_11).records.filter((r) => r.port === 25)).toHaveLength(6);
  });

  it('reads NSG flow log v2 tuples (and v1 tuples without state), epoch seconds, T/U protocols', () => {
    const log = fixture(NSG_BLOB);
    expect(log.shape).toBe('nsg-flow-log');
    expect(log.records.map((r) => [r.time, r.destination, r.port, r.protocol, r.action, r.flows, r.bytes])).toEqual([
      ['2024-05-02T09:00:10.000Z', '185.40.56.10', 22, 'TCP', 'allow', 1, 0],
      ['2024-05-02T09:01:10.000Z', '185.40.56.10', 22, 'TCP', 'allow', 0, 5200 + 1048576],
      ['2024-05-02T09:01:20.000Z', '185.40.56.11', 22, 'TCP', 'allow', 1, null],
    ]);
    expect(log.skipped[0]?.count).toBe(1);
    // Version 2 counts bytes source → destination apart (§2.2); version 1 has no counters.
    expect(log.records.map((r) => r.bytesSent)).toEqual([0, 5200, null]);
  });

  it('names the tuple path of a malformed tuple', () => {
    const text = JSON.stringify({ records: [{ flowLogVersion: 4, flowRecords: { flows: [{ aclID: 'x', flowGroups: [{ rule: 'r', flowTuples: ['1663146003599,10.0.0.6,192.0.2.180,23956,443,6,O,Q,NX,0,0,0,0'] }] }] } }] });
    const error = inputError(() => parseLogFile('PT1H.json', text));
    expect(error.path).toBe('$.records[0].flowRecords.flows[0].flowGroups[0].flowTuples[0]');
    expect(error.expected).toContain('flow state');
  });
});

describe('bad input', () => {
  it('names the file, the row and the column of a bad value', () => {
    const error = inputError(() => parseLogFile('q.json', JSON.stringify([{ SourceIp: '10.0.0.4', Fqdn: 'a.example', DestinationPort: 'https', Action: 'Allow', Protocol: 'HTTPS' }])));
    expect(error.message).toBe('q.json: $[0].DestinationPort: expected a non-negative whole number (a number or a numeric string like "443"), found "https"');
    const ip = inputError(() => parseLogFile('q.json', JSON.stringify([{ SourceIp: 'ten', DestinationIp: '1.2.3.4', DestinationPort: 1, Action: 'Allow', Protocol: 'TCP' }])));
    expect(ip.path).toBe('$[0].SourceIp');
    const action = inputError(() => parseLogFile('q.csv', 'SourceIp,DestinationIp,DestinationPort,Protocol,Action\n10.0.0.4,1.2.3.4,443,TCP,Maybe\n'));
    expect(action.path).toBe('row 1.Action');
  });

  it('says which formats are understood for a file it does not recognise', () => {
    for (const text of ['{"value": []}', 'hello world', '']) {
      const error = inputError(() => parseLogFile('mystery.txt', text));
      expect(error.file).toBe('mystery.txt');
      expect(error.expected).toContain(UNDERSTOOD_FORMATS);
    }
    expect(inputError(() => parseLogFile('rows.json', '[{"a": 1}]')).expected).toContain('an Azure Firewall log row');
    expect(inputError(() => parseLogFile('broken.json', '{"records": [')).expected).toBe('valid JSON');
  });
});

describe('portal CSV datetimes', () => {
  const csv = (header: string, time: string): string => [
    `${header},SourceIp,DestinationIp,DestinationPort,Protocol,Action,Type`,
    `"${time}",10.0.1.4,203.0.113.50,443,TCP,Allow,AZFWNetworkRule`,
  ].join('\n');

  it('refuses a display datetime that is no US month/day, naming the file, the cell and the form expected, instead of rolling it to another date', () => {
    // values.ts reads the display form as US order M/D/YYYY (§1.5: the format "depends on UI
    // settings"). "13/5/2024" is 13 May in a D/M locale and no date in M/D; Date.UTC(2024, 12, 5)
    // silently rolled it to 2025-01-05. README: a log it cannot read exits 2 naming the file, the row
    // and what was expected.
    const error = inputError(() => parseLogFile('query_data.csv', csv('TimeGenerated [UTC]', '13/5/2024, 10:00:00.000 AM')));
    expect([error.file, error.path, error.found]).toEqual(['query_data.csv', 'row 1.TimeGenerated [UTC]', '"13/5/2024, 10:00:00.000 AM"']);
    expect(error.expected).toContain('the portal CSV form "5/1/2024, 10:00:00.000 AM" (month/day/year, UTC)');
  });

  it('refuses impossible calendar dates and clock times in either form', () => {
    for (const bad of ['2/30/2024, 10:00:00.000 AM', '5/1/2024, 13:00:00.000 PM', '5/1/2024, 10:61:00.000 AM', '2024-02-30T10:00:00Z', '2023-02-29 10:00:00']) {
      expect(timeValue(bad), bad).toBeNull();
    }
    expect(timeValue('2/29/2024, 12:30:00.000 AM')).toBe('2024-02-29T00:30:00.000Z');
    expect(timeValue('2024-02-29T23:59:59.1234567Z')).toBe('2024-02-29T23:59:59.123Z');
  });

  it('refuses a "[Local Time]" column: the zone of its values is not in the file', () => {
    // The header suffix names the zone of the rendered values; "[Local Time]" is the browser's, which
    // the file does not record, so reading them as UTC would shift every time by an unknown offset.
    const error = inputError(() => parseLogFile('query_data.csv', csv('TimeGenerated [Local Time]', '5/1/2024, 10:00:00.000 AM')));
    expect([error.file, error.path, error.found]).toEqual(['query_data.csv', 'line 1, column 1 (TimeGenerated [Local Time])', 'TimeGenerated [Local Time]']);
    expect(error.expected).toContain('datetimes in UTC');
    expect(parseLogFile('query_data.csv', csv('TimeGenerated [UTC]', '5/1/2024, 10:00:00.000 AM')).records[0]?.time).toBe('2024-05-01T10:00:00.000Z');
  });
});

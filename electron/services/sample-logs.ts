/**
 * Sample logs for the bank demo (issue 13, "Load sample logs"): one day of egress from its
 * workload NICs, written in the export shapes users hand us, so a demonstration shows the same
 * parsing and analysis as real files:
 *   - AZFWApplicationRule as `az monitor log-analytics query -o json` prints it (flat rows, every value a string);
 *   - AZFWNetworkRule as the Log Analytics REST API answers (`{ tables: [{ columns, rows }] }`);
 *   - a VNet flow log blob (PT1H.json, flowLogVersion 4) for the reporting subnet, whose path
 *     leaves by default outbound access (no firewall to log it), with byte counts.
 * Generated deterministically (no clock, no randomness): the same demo always shows the same traffic.
 * Addresses, rule names and the firewall are the bank demo's (shared/demo/bank.ts).
 */
import type { ImportedFile } from '../../shared/ipc/contract';

const TENANT = 'b5e1c7d2-0f3a-4c8e-9d61-3a2f7e9b1c40';
const FIREWALL = '/SUBSCRIPTIONS/6B1F3C2A-8D4E-4F7A-9C15-2E8B7D0A4C91/RESOURCEGROUPS/RG-HUB-NETWORK-WEU/PROVIDERS/MICROSOFT.NETWORK/AZUREFIREWALLS/AFW-HUB-WEU';
const POLICY = 'afwp-bank-egress';
/** The day the sample covers (UTC). */
const DAY = Date.parse('2024-05-01T00:00:00Z');

interface RuleRef { readonly group: string; readonly collection: string; readonly rule: string }

interface Conversation {
  readonly sourceIp: string;
  readonly destination: string;
  readonly port: number;
  readonly protocol: string;
  /** Null: denied by the firewall's default action. */
  readonly rule: RuleRef | null;
  /** Rows over the day. */
  readonly count: number;
}

const PSP: RuleRef = { group: 'rcg-payments-egress', collection: 'allow-approved-psp-apis', rule: 'stripe' };
const CARDS: RuleRef = { group: 'rcg-payments-egress', collection: 'allow-approved-psp-apis', rule: 'card-networks' };
const UPDATES: RuleRef = { group: 'rcg-platform', collection: 'allow-platform-updates', rule: 'windows-update' };
const NTP: RuleRef = { group: 'rcg-platform', collection: 'allow-platform-updates', rule: 'ntp' };
const SFTP: RuleRef = { group: 'rcg-payments-egress', collection: 'allow-clearing-house', rule: 'clearing-sftp' };

const APPLICATION: readonly Conversation[] = [
  { sourceIp: '10.110.0.4', destination: 'api.stripe.com', port: 443, protocol: 'HTTPS', rule: PSP, count: 180 },
  { sourceIp: '10.110.0.5', destination: 'api.stripe.com', port: 443, protocol: 'HTTPS', rule: PSP, count: 140 },
  { sourceIp: '10.110.0.4', destination: 'pypi.org', port: 443, protocol: 'HTTPS', rule: null, count: 24 },
  { sourceIp: '10.110.0.5', destination: 'fe2.update.microsoft.com', port: 443, protocol: 'HTTPS', rule: UPDATES, count: 6 },
  { sourceIp: '10.120.0.4', destination: 'www.visa.com', port: 443, protocol: 'HTTPS', rule: CARDS, count: 36 },
  { sourceIp: '10.120.0.5', destination: 'www.visa.com', port: 443, protocol: 'HTTPS', rule: CARDS, count: 30 },
  { sourceIp: '10.130.0.4', destination: 'github.com', port: 443, protocol: 'HTTPS', rule: null, count: 4 },
];

const NETWORK: readonly Conversation[] = [
  { sourceIp: '10.130.0.4', destination: '185.40.56.10', port: 22, protocol: 'TCP', rule: SFTP, count: 12 },
  { sourceIp: '10.110.0.4', destination: '168.61.215.74', port: 123, protocol: 'UDP', rule: NTP, count: 24 },
  { sourceIp: '10.120.0.4', destination: '203.0.113.10', port: 22, protocol: 'TCP', rule: null, count: 9 },
  { sourceIp: '10.130.1.4', destination: '203.0.113.10', port: 22, protocol: 'TCP', rule: null, count: 2 },
];

/** Row `i` of `count`, spread over the day, to the second (az prints 7 fractional digits). */
function timeOf(i: number, count: number, offsetSeconds: number): string {
  const seconds = Math.floor(((i + 0.5) * 86_400) / count) + offsetSeconds;
  return new Date(DAY + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '.0000000Z');
}

function applicationRows(): string {
  const rows: Record<string, string>[] = [];
  APPLICATION.forEach((c, k) => {
    for (let i = 0; i < c.count; i++) {
      rows.push({
        TableName: 'PrimaryResult',
        TenantId: TENANT,
        TimeGenerated: timeOf(i, c.count, k * 7),
        Action: c.rule === null ? 'Deny' : 'Allow',
        ActionReason: c.rule === null ? 'Default Action' : '',
        DestinationPort: String(c.port),
        Fqdn: c.destination,
        IsExplicitProxyRequest: 'False',
        IsTlsInspected: 'False',
        Policy: c.rule === null ? '' : POLICY,
        Protocol: c.protocol,
        Rule: c.rule?.rule ?? '',
        RuleCollection: c.rule?.collection ?? '',
        RuleCollectionGroup: c.rule?.group ?? '',
        SourceIp: c.sourceIp,
        SourcePort: String(49_152 + ((i * 37 + k * 101) % 16_000)),
        TargetUrl: '',
        WebCategory: '',
        SourceSystem: 'Azure',
        Type: 'AZFWApplicationRule',
        _ResourceId: FIREWALL,
        _SubscriptionId: '6b1f3c2a-8d4e-4f7a-9c15-2e8b7d0a4c91',
        _BilledSize: '612',
        _IsBillable: 'True',
      });
    }
  });
  rows.sort((a, b) => ((a['TimeGenerated'] ?? '') < (b['TimeGenerated'] ?? '') ? -1 : 1));
  return `${JSON.stringify(rows, null, 2)}\n`;
}

function networkRows(): string {
  const columns = [
    ['TenantId', 'string'], ['TimeGenerated', 'datetime'], ['Action', 'string'], ['ActionReason', 'string'],
    ['DestinationIp', 'string'], ['DestinationPort', 'int'], ['Policy', 'string'], ['Protocol', 'string'], ['Rule', 'string'],
    ['RuleCollection', 'string'], ['RuleCollectionGroup', 'string'], ['SourceIp', 'string'], ['SourcePort', 'int'],
    ['SourceSystem', 'string'], ['Type', 'string'], ['_ResourceId', 'string'],
  ].map(([name, type]) => ({ name, type }));
  const rows: (string | number)[][] = [];
  NETWORK.forEach((c, k) => {
    for (let i = 0; i < c.count; i++) {
      rows.push([
        TENANT, timeOf(i, c.count, k * 11).replace(/\.0000000Z$/, 'Z'), c.rule === null ? 'Deny' : 'Allow', c.rule === null ? 'Default Action' : '',
        c.destination, c.port, c.rule === null ? '' : POLICY, c.protocol, c.rule?.rule ?? '', c.rule?.collection ?? '', c.rule?.group ?? '',
        c.sourceIp, 50_000 + i, 'Azure', 'AZFWNetworkRule', FIREWALL,
      ]);
    }
  });
  rows.sort((a, b) => (String(a[1]) < String(b[1]) ? -1 : 1));
  return `${JSON.stringify({ tables: [{ name: 'PrimaryResult', columns, rows }] }, null, 2)}\n`;
}

/**
 * One hour of the reporting VM's VNet flow log: its path has no firewall, so only the flow log sees
 * it. Tuples are `time,src,dst,srcPort,dstPort,protocol(6=TCP),direction,state,encryption,
 * packetsOut,bytesOut,packetsIn,bytesIn` (flowLogVersion 4; counts on C and E states).
 */
function reportingFlowLog(): string {
  const hour = DAY + 10 * 3_600_000;
  const tuples: string[] = [];
  const flow = (minute: number, dst: string, port: number, bytesOut: number, bytesIn: number, i: number): void => {
    const t = hour + minute * 60_000 + i * 1000;
    const srcPort = 23_000 + i;
    tuples.push(`${t},10.110.1.4,${dst},${srcPort},${port},6,O,B,NX,0,0,0,0`);
    tuples.push(`${t + 45_000},10.110.1.4,${dst},${srcPort},${port},6,O,E,NX,${Math.ceil(bytesOut / 1200)},${bytesOut},${Math.ceil(bytesIn / 1400)},${bytesIn}`);
  };
  for (let i = 0; i < 20; i++) flow(i * 3, '52.239.10.20', 443, 2_400_000 + i * 10_000, 180_000, i);
  for (let i = 0; i < 6; i++) flow(i * 9 + 1, '140.82.112.3', 443, 40_000, 900_000, 100 + i);
  const record = {
    time: new Date(hour + 3_599_000).toISOString().replace(/Z$/, '5085Z'),
    flowLogVersion: 4,
    flowLogGUID: '66aa66aa-bb77-cc88-dd99-00ee00ee00ee',
    macAddress: '000D3A6E1F01',
    category: 'FlowLogFlowEvent',
    flowLogResourceID: '/SUBSCRIPTIONS/A0D9E5C7-3B2F-4E18-8A6D-71C4F9B2E305/RESOURCEGROUPS/NETWORKWATCHERRG/PROVIDERS/MICROSOFT.NETWORK/NETWORKWATCHERS/NETWORKWATCHER_WESTEUROPE/FLOWLOGS/FL-VNET-PAYMENTS-API',
    targetResourceID: '/subscriptions/a0d9e5c7-3b2f-4e18-8a6d-71c4f9b2e305/resourceGroups/rg-payments-api-weu/providers/Microsoft.Network/virtualNetworks/vnet-payments-api-weu',
    operationName: 'FlowLogFlowEvent',
    flowRecords: {
      flows: [{
        aclID: '00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
        flowGroups: [
          { rule: 'DefaultRule_AllowInternetOutBound', flowTuples: tuples },
          {
            rule: 'UserRule_Deny-RDP-Out',
            flowTuples: [0, 1, 2].map((i) => `${hour + 1_200_000 + i * 500},10.110.1.4,203.0.113.99,${40_000 + i},3389,6,O,D,NX,0,0,0,0`),
          },
        ],
      }],
    },
  };
  return `${JSON.stringify({ records: [record] }, null, 2)}\n`;
}

/** Sample log files for a demo estate by name; empty when the demo has none. */
export function sampleLogsFor(demoName: string): readonly ImportedFile[] {
  if (demoName !== 'bank') return [];
  return [
    { name: 'AZFWApplicationRule-2024-05-01.json', text: applicationRows() },
    { name: 'AZFWNetworkRule-2024-05-01.json', text: networkRows() },
    { name: 'flowlog-vnet-payments-api-2024-05-01-h10-PT1H.json', text: reportingFlowLog() },
  ];
}

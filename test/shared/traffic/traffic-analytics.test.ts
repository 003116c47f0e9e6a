/**
 * Traffic Analytics NTANetAnalytics raw rows (shared/traffic/traffic-analytics.ts): internet flows
 * whose addresses are in DestPublicIps, rows without a source address, and flows captured again at
 * a UDR hop.
 *
 * Reference:
 *  [TA] MicrosoftDocs/azure-docs articles/network-watcher/traffic-analytics-schema.md (virtual network flow logs tab)
 */
import { describe, expect, it } from 'vitest';
import { analyzeTraffic, parseLogFile } from '../../../shared/traffic/index';
import { inputError } from '../../support/errors';
import { natEstate, observedTo } from './support';

function raw(partial: Readonly<Record<string, string>>): Record<string, string> {
  return {
    TimeGenerated: '2024-05-01T11:00:00Z', Type: 'NTANetAnalytics', SubType: 'FlowLog', FlowType: 'ExternalPublic', FlowDirection: 'O', FlowStatus: 'A',
    SrcIp: '10.0.1.4', DestIp: '', DestPort: '443', L4Protocol: 'T', NsgRule: 'DefaultRule_AllowInternetOutBound',
    AllowedOutFlows: '2', DeniedOutFlows: '0', FlowStartTime: '2024-05-01T10:01:00Z', FlowEndTime: '2024-05-01T10:59:00Z', ...partial,
  };
}

describe('internet flows: DestIp blank, the addresses in DestPublicIps', () => {
  it('reads an outbound ExternalPublic row from DestPublicIps, one record per entry, with its own counters', () => {
    // [TA] "DestIP | Destination IP address | Blank in AzurePublic and ExternalPublic flows";
    // "DestPublicIPs | <DESTINATION_PUBLIC_IP>|<FLOW_STARTED_COUNT>|<FLOW_ENDED_COUNT>|<OUTBOUND_PACKETS>|
    // <INBOUND_PACKETS>|<OUTBOUND_BYTES>|<INBOUND_BYTES>". Entries space-separated (UNCONFIRMED, §2.3).
    const parsed = parseLogFile('nta.json', JSON.stringify([raw({ DestPublicIps: '203.0.113.9|2|2|10|8|1200|3400 198.51.100.20|1|0|3|2|300|150' })]));
    expect(parsed.records.map((r) => [r.sourceIp, r.destination, r.port, r.flows, r.bytes, r.bytesSent, r.action])).toEqual([
      ['10.0.1.4', '203.0.113.9', 443, 2, 4600, 1200, 'allow'],
      ['10.0.1.4', '198.51.100.20', 443, 1, 450, 300, 'allow'],
    ]);
  });

  it('refuses a malformed DestPublicIps entry, and a row with neither DestIp nor DestPublicIps, naming the cell', () => {
    const bad = inputError(() => parseLogFile('nta.json', JSON.stringify([raw({ DestPublicIps: '203.0.113.9|2|2|10' })])));
    expect([bad.path, bad.found]).toEqual(['$[0].DestPublicIps', '"203.0.113.9|2|2|10"']);
    const none = inputError(() => parseLogFile('nta.json', JSON.stringify([raw({})])));
    expect(none.path).toBe('$[0].DestIp');
    expect(none.expected).toContain('DestPublicIps');
  });

  it('counts a row with a blank SrcIp and no SrcNic / SrcSubnet as skipped (a gap), never drops it silently or guesses its source', () => {
    // [TA] "SrcIP | Source IP address | Blank in AzurePublic and ExternalPublic flows".
    const { input } = natEstate();
    const parsed = parseLogFile('nta.json', JSON.stringify([raw({ SrcIp: '', DestPublicIps: '203.0.113.9|2|2|10|8|1200|3400' })]));
    expect(parsed.records).toEqual([]);
    expect(parsed.skipped).toEqual([{ reason: expect.stringMatching(/^Traffic Analytics rows with a blank SrcIp, SrcNic and SrcSubnet \(SrcIp is blank in AzurePublic and ExternalPublic flows/), count: 1, flows: 2 }]);
    expect(analyzeTraffic(input, [parsed]).gaps).toContainEqual(expect.objectContaining({ code: 'skipped-input', scope: 'nta.json', count: 1 }));
  });
});

describe('flows captured at a UDR hop', () => {
  it('a flow captured again at the NVA (IsFlowCapturedAtUdrHop True) is not counted a second time', () => {
    // [TA] "MACAddress | MAC address of the NIC at which the flow was captured"; "AllowedOutFlows |
    // ... Outbound to the network interface at which the flow was captured"; "IsFlowCapturedAtUDRHop |
    // If the flow was captured at a UDR hop, the value is True". A spoke VM's flow routed through a
    // hub NVA is captured at the VM's NIC and again at the NVA's, both rows with the VM's SrcIp.
    const { input } = natEstate();
    const row = (mac: string, udrHop: string): Record<string, string> => raw({
      FlowType: 'InterVNet', DestIp: '10.2.0.5', DestPort: '1433', NsgRule: 'AllowVnetOutBound', MacAddress: mac, IsFlowCapturedAtUdrHop: udrHop,
      AllowedOutFlows: '1', BytesSrcToDest: '200', BytesDestToSrc: '300', FlowEndTime: '2024-05-01T10:02:00Z',
    });
    const parsed = parseLogFile('nta.json', JSON.stringify([row('000D3A000001', 'False'), row('000D3A0000AA', 'True')]));
    const result = analyzeTraffic(input, [parsed]);
    expect(observedTo(result, '10.2.0.5').map((o) => [o.flows, o.bytes])).toEqual([[1, 500]]);
    expect(parsed.skipped).toEqual([{ reason: expect.stringMatching(/^Traffic Analytics rows captured at a UDR hop \(IsFlowCapturedAtUdrHop True: the same flow/), count: 1 }]);
  });

  it('refuses an IsFlowCapturedAtUdrHop that is neither True nor False', () => {
    expect(inputError(() => parseLogFile('nta.json', JSON.stringify([raw({ DestIp: '10.2.0.5', IsFlowCapturedAtUdrHop: 'maybe' })]))).path).toBe('$[0].IsFlowCapturedAtUdrHop');
  });
});

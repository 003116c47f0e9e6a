/**
 * Traffic Analytics rows: their own log kind (the flow-log overlap gap covers blobs + TA) and
 * internet rows with a blank SrcIp attributed by SrcNic / SrcSubnet (shared/traffic/traffic-analytics.ts,
 * attribute.ts attributeByName, analyze.ts flowLogOverlap). From the review of 80baada.
 *
 * [TA] MicrosoftDocs/azure-docs articles/network-watcher/traffic-analytics-schema.md (VNet tab):
 *      "SrcIP | Blank in AzurePublic and ExternalPublic flows"; SrcNIC "NIC associated with the source
 *      IP in the flow" (<resourcegroup_Name>/<NetworkInterfaceName>); TA is computed FROM the flow-log
 *      blobs ("traffic analytics picks blobs from the storage account"). Column names as the table has
 *      them: SrcNic, SrcSubnet (azure-reference-other ntanetanalytics-include.md).
 */
import { describe, expect, it } from 'vitest';
import { analyzeTraffic, parseLogFile } from '../../../shared/traffic/index';
import { TEST_RESOURCE_GROUP } from '../../support/model-builder';
import { natEstate, totalFlows, vnetBlob } from './support';

function taRow(partial: Readonly<Record<string, string>>): Record<string, string> {
  return {
    TimeGenerated: '2024-05-01T11:00:00Z', Type: 'NTANetAnalytics', SubType: 'FlowLog', FlowType: 'ExternalPublic', FlowDirection: 'O', FlowStatus: 'A',
    SrcIp: '10.0.1.4', DestIp: '', DestPort: '443', L4Protocol: 'T', NsgRule: 'DefaultRule_AllowInternetOutBound',
    AllowedOutFlows: '1', DeniedOutFlows: '0', FlowStartTime: '2024-05-01T10:00:00Z', FlowEndTime: '2024-05-01T10:01:00Z', ...partial,
  };
}

describe('VNet flow-log blobs and the Traffic Analytics rows computed from them', () => {
  it('given together, are summed with a gap saying the same connections may be counted twice', () => {
    const { input, nicId } = natEstate();
    const blob = parseLogFile('vnet/PT1H.json', vnetBlob([
      '1714557600000,10.0.1.4,203.0.113.9,40001,443,6,O,B,NX,0,0,0,0',
      '1714557660000,10.0.1.4,203.0.113.9,40001,443,6,O,E,NX,10,1200,8,3400',
    ]));
    const ta = parseLogFile('nta.json', JSON.stringify([taRow({ DestPublicIps: '203.0.113.9|1|1|10|8|1200|3400' })]));
    expect(ta.records.map((r) => r.log)).toEqual(['traffic-analytics']);
    const result = analyzeTraffic(input, [blob, ta]);
    expect(totalFlows(result, '203.0.113.9')).toBe(2);
    expect(result.gaps.filter((g) => g.scope === nicId).map((g) => g.message)).toEqual([expect.stringMatching(
      /^NIC nic-app-01 \(snet-apps\): VNet flow logs \(1 flow\(s\), 4600 bytes, .*\) and Traffic Analytics \(1 flow\(s\), 4600 bytes, .*\) recorded its traffic over overlapping times; .*twice/,
    )]);
  });
});

describe('internet rows with a blank SrcIp', () => {
  it('are attributed by SrcNic when it names a NIC of the snapshot', () => {
    const { input, nicId } = natEstate();
    const parsed = parseLogFile('nta.json', JSON.stringify([taRow({
      SrcIp: '', SrcNic: `${TEST_RESOURCE_GROUP}/nic-app-01`, SrcSubnet: `${TEST_RESOURCE_GROUP}/vnet-a/snet-apps`, DestPublicIps: '203.0.113.9|3|3|10|8|1200|3400',
    })]));
    const result = analyzeTraffic(input, [parsed]);
    expect(totalFlows(result, '203.0.113.9')).toBe(3);
    expect(result.sources.map((s) => s.source.id)).toEqual([nicId]);
  });

  it('else by SrcSubnet', () => {
    const { input } = natEstate();
    const parsed = parseLogFile('nta.json', JSON.stringify([taRow({
      SrcIp: '', SrcNic: `${TEST_RESOURCE_GROUP}/nic-gone`, SrcSubnet: `${TEST_RESOURCE_GROUP}/vnet-a/snet-apps`, DestPublicIps: '203.0.113.9|3|3|10|8|1200|3400',
    })]));
    const result = analyzeTraffic(input, [parsed]);
    expect(result.sources.map((s) => [s.source.type, s.source.name, s.observed.map((o) => o.flows)])).toEqual([['subnet', 'snet-apps', [3]]]);
  });

  it('naming nothing the snapshot holds, are listed as unattributed by those names, never dropped', () => {
    const { input } = natEstate();
    const parsed = parseLogFile('nta.json', JSON.stringify([taRow({ SrcIp: '', SrcNic: 'rg-x/nic-x', DestPublicIps: '203.0.113.9|3|3|10|8|1200|3400' })]));
    expect(analyzeTraffic(input, [parsed]).unattributed.map((u) => [u.sourceIp, u.reason, u.flows])).toEqual([['SrcNic rg-x/nic-x / SrcSubnet -', 'unknown-private', 3]]);
  });
});

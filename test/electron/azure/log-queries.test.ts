/**
 * The KQL `pull --logs` sends for Traffic Analytics (electron/azure/logs.ts) keeps what the reader
 * needs to be honest: rows with a blank SrcIp (traffic-analytics-schema.md: "Blank in AzurePublic and
 * ExternalPublic flows") are not filtered away, and IsFlowCapturedAtUdrHop stays a column so a flow
 * captured again at an NVA is skipped and counted, not summed.
 */
import { describe, expect, it } from 'vitest';
import { LOG_QUERIES } from '../../../electron/azure/logs';

describe('NTANetAnalytics pull query', () => {
  const kql = LOG_QUERIES.find((q) => q.table === 'NTANetAnalytics')?.kql ?? '';

  it('does not drop rows with a blank SrcIp (the internet flows may be exactly those)', () => {
    expect(kql).toContain('| where SubType == "FlowLog" and FlowDirection == "O"\n');
    expect(kql).not.toMatch(/isnotempty\(SrcIp\)/);
  });

  it('expands DestPublicIps for rows whose DestIp is blank, and keeps IsFlowCapturedAtUdrHop as a group key', () => {
    expect(kql).toContain('split(DestPublicIps, " ")');
    expect(kql).toMatch(/by Type, SrcIp, SrcNic, SrcSubnet, DestIp = Dest, DestPort, L4Protocol, FlowStatus, NsgRule, IsFlowCapturedAtUdrHop$/);
  });

  it('keeps SrcNic and SrcSubnet as group keys: a row with a blank SrcIp is attributed by them (traffic-analytics.ts)', () => {
    // NTANetAnalytics columns (azure-reference-other ntanetanalytics-include.md): SrcNic "NIC associated
    // with the source IP in the flow", SrcSubnet "Subnet associated with the source IP in the flow".
    expect(kql).toMatch(/by Type, SrcIp, SrcNic, SrcSubnet, /);
  });
});

/** Shared by the traffic tests: the log fixtures (written from the documented schemas) and the bank demo. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ResolveInput } from '../../../shared/egress/index';
import { parseLogFile } from '../../../shared/traffic/index';
import type { ObservedDestination, ParsedLog, TrafficRecord, TrafficResult } from '../../../shared/traffic/index';
import { ModelBuilder, networkRule } from '../../support/model-builder';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
export const LOGS = 'test/fixtures/logs';
export const NSG_BLOB = `${LOGS}/flowlogs/nsg/resourceId=/SUBSCRIPTIONS/A0D9E5C7-3B2F-4E18-8A6D-71C4F9B2E305/RESOURCEGROUPS/RG-SETTLEMENT-WEU/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/NSG-SNET-SETTLEMENT/y=2024/m=05/d=02/h=09/m=00/macAddress=000D3A7A2B03/PT1H.json`;
const VNET_DAY = `${LOGS}/flowlogs/vnet/flowLogResourceID=/A0D9E5C7-3B2F-4E18-8A6D-71C4F9B2E305_NETWORKWATCHERRG/NETWORKWATCHER_WESTEUROPE_FL-VNET-PAYMENTS-API/y=2024/m=05/d=01`;
export const VNET_BLOB_10 = `${VNET_DAY}/h=10/m=00/macAddress=000D3A6E1F01/PT1H.json`;
export const VNET_BLOB_11 = `${VNET_DAY}/h=11/m=00/macAddress=000D3A6E1F02/PT1H.json`;

export function fixture(path: string): ParsedLog {
  return parseLogFile(path, readFileSync(join(ROOT, path), 'utf8'));
}

export const ALL_FIXTURES: readonly string[] = [
  `${LOGS}/azfw/app-rule-az-cli.json`, `${LOGS}/azfw/app-rule-summarize-az.json`, `${LOGS}/azfw/network-rule-rest.json`,
  `${LOGS}/azfw/network-rule-portal.csv`, `${LOGS}/azfw/diagnostic-blob.json`, `${LOGS}/azfw/azure-diagnostics-msg.json`,
  VNET_BLOB_10, VNET_BLOB_11, NSG_BLOB,
];

export { demoInput } from '../policy/support';

/**
 * A small estate for the log-semantics scenarios: NIC nic-app-01 (10.0.1.4, and fd00:db8:0:1::4 on
 * a secondary configuration) in snet-apps behind a NAT gateway (an uninspected internet path);
 * vnet-a also holds the public range 20.40.0.0/24 as address space (snet-internal); an Azure
 * Firewall afw-a with the classic network rule net-allow/allow-https.
 */
export function natEstate(): { readonly input: ResolveInput; readonly nicId: string; readonly firewallId: string } {
  const b = new ModelBuilder();
  const vnet = b.vnet('vnet-a', ['10.0.0.0/16', '20.40.0.0/24']);
  const pip = b.publicIp('pip-nat', '20.10.0.1');
  const nat = b.natGateway('nat-a', { publicIpIds: [pip] });
  const apps = b.subnet(vnet, 'snet-apps', '10.0.1.0/24', { natGatewayId: nat, extraPrefixes: ['fd00:db8:0:1::/64'] });
  b.subnet(vnet, 'snet-internal', '20.40.0.0/24');
  const nicId = b.nic(apps, 'nic-app-01', '10.0.1.4', { secondary: [{ privateIp: 'fd00:db8:0:1::4' }] });
  const fwSubnet = b.subnet(vnet, 'AzureFirewallSubnet', '10.0.250.0/26');
  const fwPip = b.publicIp('pip-fw', '20.50.0.10');
  const firewallId = b.firewall('afw-a', { subnetId: fwSubnet, privateIp: '10.0.250.4', publicIpIds: [fwPip], rules: [networkRule('allow-https', { collection: 'net-allow' })] });
  return { input: { model: b.build(), effectiveRoutes: [], metrics: [], gaps: [] }, nicId, firewallId };
}

/** Flows to one destination over every source. */
export function totalFlows(result: TrafficResult, destination: string): number {
  return observedTo(result, destination).reduce((n, o) => n + o.flows, 0);
}

/** Every observed entry to one destination, over every source. */
export function observedTo(result: TrafficResult, destination: string): readonly ObservedDestination[] {
  return result.sources.flatMap((s) => s.observed).filter((o) => o.destination === destination);
}

/** An allowed TCP 443 flow record of a VNet flow log at 2024-05-01 10:00 UTC, with the fields given. */
export function flowRecord(partial: Partial<TrafficRecord> & Pick<TrafficRecord, 'sourceIp' | 'destination'>): TrafficRecord {
  return {
    time: '2024-05-01T10:00:00.000Z', until: null, destinationIp: null, port: 443, protocol: 'TCP', action: 'allow', flows: 1, bytes: null,
    rule: null, firewallId: null, log: 'vnet-flow', ...partial,
  };
}

/** Records handed over as one parsed file. */
export function inlineLog(records: readonly TrafficRecord[], file = 'inline.json'): ParsedLog {
  return { file, shape: 'rows', records, skipped: [] };
}

/** A VNet flow log (version 4) blob of one record with one flow group. */
export function vnetBlob(tuples: readonly string[], rule = 'DefaultRule_AllowInternetOutBound', mac = '000D3A000001'): string {
  return JSON.stringify({ records: [{
    time: '2024-05-01T10:01:00Z', flowLogVersion: 4, macAddress: mac, category: 'FlowLogFlowEvent', operationName: 'FlowLogFlowEvent',
    flowRecords: { flows: [{ aclID: '00aa00aa-bb11-cc22-dd33-44ee44ee44ee', flowGroups: [{ rule, flowTuples: tuples }] }] },
  }] });
}

/** An NSG flow log (version 2) blob of one record with one rule and one MAC. */
export function nsgBlob(tuples: readonly string[], rule = 'DefaultRule_AllowInternetOutBound', mac = '000D3A000001'): string {
  return JSON.stringify({ records: [{
    time: '2024-05-01T10:01:00Z', category: 'NetworkSecurityGroupFlowEvent', operationName: 'NetworkSecurityGroupFlowEvents',
    resourceId: '/SUBSCRIPTIONS/X/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/NSG-A',
    properties: { Version: 2, flows: [{ rule, flows: [{ mac, flowTuples: tuples }] }] },
  }] });
}

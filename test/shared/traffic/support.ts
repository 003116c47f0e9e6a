/** Shared by the traffic tests: the log fixtures (written from the documented schemas) and the bank demo. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseLogFile } from '../../../shared/traffic/index';
import type { ParsedLog } from '../../../shared/traffic/index';

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

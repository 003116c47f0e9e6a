/**
 * Traffic Analytics `NTANetAnalytics` rows → TrafficRecords [destinations.md §2.3]: what
 * `pull --logs` asks Log Analytics for when flow logs go to a workspace, summarised on the server
 * per source, destination, port, protocol, status and NSG rule (see electron/azure/logs.ts for the
 * KQL). Columns as the table names them: SrcIp, DestIp, DestPort, L4Protocol (T/U), FlowStatus
 * (A/D), NsgRule, plus the summarize's Flows, Bytes, FirstSeen, LastSeen. A row is flow-log
 * evidence (the NSG's word, as a VNet flow log tuple is), so it is logged as `vnet-flow`.
 */
import type { LoggedRule, TrafficRecord } from './types';
import { fail, integer, ipAddress, requiredText, text, time } from './values';
import type { CellAt, Row } from './values';

/** A Traffic Analytics row: `Type` says so, or the columns only NTANetAnalytics has. */
export function isTrafficAnalyticsRow(row: Row): boolean {
  const type = text(row, 'type');
  if (type !== null) return type.toLowerCase() === 'ntanetanalytics';
  return 'srcip' in row && 'l4protocol' in row && 'flowstatus' in row;
}

function protocolOf(value: string, at: CellAt): string {
  switch (value.toUpperCase()) {
    case 'T': case 'TCP': return 'TCP';
    case 'U': case 'UDP': return 'UDP';
    default: return fail(at, 'l4protocol', 'an L4Protocol T (TCP) or U (UDP)', value);
  }
}

export function trafficAnalyticsRecord(row: Row, at: CellAt): TrafficRecord {
  const sourceIp = ipAddress(row, 'srcip', at);
  const destination = ipAddress(row, 'destip', at);
  const protocol = protocolOf(requiredText(row, 'l4protocol', at, 'an L4Protocol (T or U)'), at);
  const status = requiredText(row, 'flowstatus', at, 'a FlowStatus (A or D)').toUpperCase();
  if (status !== 'A' && status !== 'D') fail(at, 'flowstatus', 'a FlowStatus A (allowed) or D (denied)', status);
  const ruleName = text(row, 'nsgrule') ?? text(row, 'aclrule');
  const rule: LoggedRule | null = ruleName === null ? null : { policy: null, collectionGroup: null, collection: null, rule: ruleName };
  const flows = 'flows' in row ? integer(row, 'flows', at) ?? 0 : 1;
  const bytes = 'bytes' in row ? integer(row, 'bytes', at) : null;
  const first = ['firstseen', 'flowstarttime', 'timegenerated'].find((c) => c in row);
  const last = ['lastseen', 'flowendtime'].find((c) => c in row);
  return {
    time: first === undefined ? null : time(row, first, at), until: last === undefined ? null : time(row, last, at),
    sourceIp, destination, destinationIp: destination, port: integer(row, 'destport', at), protocol,
    action: status === 'D' ? 'deny' : 'allow', flows, bytes, rule, firewallId: null, log: 'vnet-flow',
  };
}

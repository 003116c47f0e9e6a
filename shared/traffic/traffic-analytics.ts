/**
 * Traffic Analytics `NTANetAnalytics` rows → TrafficRecords [destinations.md §2.3]: what
 * `pull --logs` asks Log Analytics for when flow logs go to a workspace, summarised on the server
 * per source, destination, port, protocol, status and NSG rule (see electron/azure/logs.ts for the
 * KQL). Columns as the table names them: SrcIp, DestIp, DestPort, L4Protocol (T/U), FlowStatus
 * (A/D), NsgRule, plus the summarize's Flows, Bytes, FirstSeen, LastSeen. A raw row (exported
 * from the table itself) is read too: FlowDirection decides whether it is egress, and its counters
 * AllowedOutFlows / DeniedOutFlows / BytesSrcToDest / BytesDestToSrc how much it stands for.
 * A row is flow-log evidence (the NSG's word, as a VNet flow log tuple is), so it is logged as `vnet-flow`.
 */
import type { LoggedRule, TrafficRecord } from './types';
import { fail, integer, ipAddress, requiredText, text, time } from './values';
import type { CellAt, Row } from './values';

/** A Traffic Analytics row: `Type` says so, or the columns only NTANetAnalytics has. Outbound rows only: see isInboundTrafficAnalyticsRow. */
export function isTrafficAnalyticsRow(row: Row): boolean {
  const type = text(row, 'type');
  if (type !== null) return type.toLowerCase() === 'ntanetanalytics';
  return 'srcip' in row && 'l4protocol' in row && 'flowstatus' in row;
}

/**
 * Whether a row is inbound. A raw NTANetAnalytics row has FlowDirection I / O (§2.3) and an inbound
 * row's SrcIp is the remote side: it is skipped (counted), as flow-logs.ts skips inbound tuples.
 * The `pull --logs` summary has no FlowDirection: its KQL keeps `FlowDirection == "O"` rows only and
 * names its count `Flows` (electron/azure/logs.ts). A row with neither cannot be read as egress.
 */
export function isInboundTrafficAnalyticsRow(row: Row, at: CellAt): boolean {
  const direction = text(row, 'flowdirection');
  if (direction === null) {
    if ('flows' in row) return false;
    return fail(at, 'flowdirection', 'a FlowDirection I (inbound) or O (outbound), or the Flows column of an egress-atlas pull --logs summary (outbound rows only)', row.flowdirection ?? null);
  }
  switch (direction.toUpperCase()) {
    case 'I': return true;
    case 'O': return false;
    default: return fail(at, 'flowdirection', 'a FlowDirection I (inbound) or O (outbound)', direction);
  }
}

/**
 * Flows a row stands for: the summary's `Flows`, else the raw row's outbound counters
 * AllowedOutFlows + DeniedOutFlows (§2.3: one row per aggregated flow, counted there; the same sum
 * the pull's KQL takes), else 1 (a row holds at least one flow).
 */
function flowsOf(row: Row, at: CellAt): number {
  if ('flows' in row) return integer(row, 'flows', at) ?? 0;
  if ('allowedoutflows' in row || 'deniedoutflows' in row) return (integer(row, 'allowedoutflows', at) ?? 0) + (integer(row, 'deniedoutflows', at) ?? 0);
  return 1;
}

/**
 * Bytes: the summary's `Bytes` (one total: the direction split is unknown), else the raw row's
 * BytesSrcToDest + BytesDestToSrc (§2.3) with BytesSrcToDest as the sent ones (an outbound row's
 * source is the Azure side), else unknown. Internet data transfer out bills the sent ones (§8.1).
 */
function bytesOf(row: Row, at: CellAt): { readonly bytes: number | null; readonly bytesSent: number | null } {
  if ('bytes' in row) return { bytes: integer(row, 'bytes', at), bytesSent: null };
  if (!('bytessrctodest' in row) && !('bytesdesttosrc' in row)) return { bytes: null, bytesSent: null };
  const sent = integer(row, 'bytessrctodest', at);
  const received = integer(row, 'bytesdesttosrc', at);
  if (sent === null && received === null) return { bytes: null, bytesSent: null };
  // A missing BytesSrcToDest leaves the sent share unknown, not 0.
  return { bytes: (sent ?? 0) + (received ?? 0), bytesSent: sent };
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
  const flows = flowsOf(row, at);
  const { bytes, bytesSent } = bytesOf(row, at);
  const first = ['firstseen', 'flowstarttime', 'timegenerated'].find((c) => c in row);
  const last = ['lastseen', 'flowendtime'].find((c) => c in row);
  return {
    time: first === undefined ? null : time(row, first, at), until: last === undefined ? null : time(row, last, at),
    sourceIp, destination, destinationIp: destination, port: integer(row, 'destport', at), protocol,
    action: status === 'D' ? 'deny' : 'allow', flows, bytes, bytesSent, rule, firewallId: null, log: 'vnet-flow',
  };
}

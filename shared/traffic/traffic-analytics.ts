/**
 * Traffic Analytics `NTANetAnalytics` rows → TrafficRecords [destinations.md §2.3]: what
 * `pull --logs` asks Log Analytics for when flow logs go to a workspace, summarised on the server
 * per source, destination, port, protocol, status and NSG rule (see electron/azure/logs.ts for the
 * KQL). Columns as the table names them: SrcIp, DestIp, DestPort, L4Protocol (T/U), FlowStatus
 * (A/D), NsgRule, plus the summarize's Flows, Bytes, FirstSeen, LastSeen. A raw row (exported
 * from the table itself) is read too: FlowDirection decides whether it is egress, and its counters
 * AllowedOutFlows / DeniedOutFlows / BytesSrcToDest / BytesDestToSrc how much it stands for.
 * A row is flow-log evidence (the NSG's word, as a VNet flow log tuple is), logged as `traffic-analytics`:
 * a kind of its own, not `vnet-flow`, because Traffic Analytics is computed FROM the flow-log blobs
 * (traffic-analytics-schema.md: "traffic analytics picks blobs from the storage account"), so blobs
 * and rows given together are the same connections twice (analyze.ts flowLogOverlap says so).
 */
import { parseIp } from '../model/ip';
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
/** The flows a row stands for (also for a skipped row's gap: a UDR-hop row of 40 flows is 40 left out). */
export function trafficAnalyticsFlows(row: Row, at: CellAt): number {
  return flowsOf(row, at);
}

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

/** What a Traffic Analytics row gives: its records (one per destination), or why it is skipped (counted, a gap names it). */
export type TrafficAnalyticsRead =
  | { readonly kind: 'records'; readonly records: readonly TrafficRecord[] }
  | { readonly kind: 'skipped'; readonly reason: string };

/**
 * traffic-analytics-schema.md (virtual network flow logs tab): "MACAddress | MAC address of the NIC
 * at which the flow was captured", "AllowedOutFlows | ... Outbound to the network interface at which
 * the flow was captured", "IsFlowCapturedAtUDRHop | If the flow was captured at a UDR hop, the value
 * is True". A spoke VM's flow that a UDR sends through a hub NVA is captured at the VM's NIC and
 * again at the NVA's, both rows with the VM's SrcIp: the hop's row is the same flow a second time,
 * so it is skipped and counted (a gap names how many), never summed. Where only the NVA's subnet is
 * flow-logged, those flows are in that gap, not lost silently.
 */
const UDR_HOP = 'Traffic Analytics rows captured at a UDR hop (IsFlowCapturedAtUdrHop True: the same flow as captured at the sending NIC, not counted twice; if only the appliance is flow-logged, these flows are missing from the counts)';
/**
 * traffic-analytics-schema.md: "SrcIP | Source IP address | Blank in AzurePublic and ExternalPublic
 * flows" — exactly the internet egress rows. Such a row still names its sender: "SrcNIC | NIC
 * associated with the source IP in the flow" (`<resourcegroup_Name>/<NetworkInterfaceName>`) and
 * SrcSubnet (`<resourcegroup_Name>/<VirtualNetwork_Name>/<SubnetName>`), so it is read with those
 * (`sourceNames`, attributed by name: attribute.ts) and skipped only when all three are blank.
 */
const NO_SOURCE = 'Traffic Analytics rows with a blank SrcIp, SrcNic and SrcSubnet (SrcIp is blank in AzurePublic and ExternalPublic flows, traffic-analytics-schema.md): the sender is not in the row, so their flows are attributed to no NIC or subnet and not counted';

function capturedAtUdrHop(row: Row, at: CellAt): boolean {
  const value = text(row, 'isflowcapturedatudrhop');
  if (value === null) return false;
  switch (value.toLowerCase()) {
    case 'true': case '1': return true;
    case 'false': case '0': return false;
    default: return fail(at, 'isflowcapturedatudrhop', 'IsFlowCapturedAtUdrHop True or False', value);
  }
}

function whole(value: string | undefined): number | null {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : null;
}

/**
 * One `DestPublicIps` entry `IP|FLOW_STARTED_COUNT|FLOW_ENDED_COUNT|OUTBOUND_PACKETS|INBOUND_PACKETS|
 * OUTBOUND_BYTES|INBOUND_BYTES` (traffic-analytics-schema.md) as the destination, flows (started, as
 * the pull's KQL counts them) and bytes (outbound bytes the sent ones) of a record.
 */
function publicEntry(entry: string, at: CellAt): Pick<TrafficRecord, 'destination' | 'destinationIp' | 'flows' | 'bytes' | 'bytesSent'> {
  const f = entry.split('|');
  const [ip = '', started, , , , outBytes, inBytes] = f;
  const counts = [whole(started), whole(outBytes), whole(inBytes)];
  if (f.length !== 7 || parseIp(ip) === null || counts.some((n) => n === null) || f.slice(1).some((n) => whole(n) === null)) {
    fail(at, 'destpublicips', 'DestPublicIps entries "IP|started|ended|outPackets|inPackets|outBytes|inBytes" (7 fields, whole-number counters), space-separated', entry);
  }
  const [flows = 0, sent = 0, received = 0] = counts.map((n) => n ?? 0);
  return { destination: ip, destinationIp: ip, flows, bytes: sent + received, bytesSent: sent };
}

/**
 * The records of an outbound row: one for its DestIp, or, for AzurePublic / ExternalPublic flows
 * whose DestIp is blank (traffic-analytics-schema.md: "DestIP ... Blank in AzurePublic and
 * ExternalPublic flows"), one per `DestPublicIps` entry. The entry separator is taken as a space
 * (UNCONFIRMED, destinations.md §2.3; the `|` fields are documented), as the pull's KQL splits it.
 */
export function readTrafficAnalyticsRow(row: Row, at: CellAt): TrafficAnalyticsRead {
  if (capturedAtUdrHop(row, at)) return { kind: 'skipped', reason: UDR_HOP };
  const srcNic = text(row, 'srcnic');
  const srcSubnet = text(row, 'srcsubnet');
  const named = text(row, 'srcip') === null;
  if (named && srcNic === null && srcSubnet === null) return { kind: 'skipped', reason: NO_SOURCE };
  const sourceIp = named ? '' : ipAddress(row, 'srcip', at);
  const protocol = protocolOf(requiredText(row, 'l4protocol', at, 'an L4Protocol (T or U)'), at);
  const status = requiredText(row, 'flowstatus', at, 'a FlowStatus (A or D)').toUpperCase();
  if (status !== 'A' && status !== 'D') fail(at, 'flowstatus', 'a FlowStatus A (allowed) or D (denied)', status);
  const ruleName = text(row, 'nsgrule') ?? text(row, 'aclrule');
  const rule: LoggedRule | null = ruleName === null ? null : { policy: null, collectionGroup: null, collection: null, rule: ruleName };
  const first = ['firstseen', 'flowstarttime', 'timegenerated'].find((c) => c in row);
  const last = ['lastseen', 'flowendtime'].find((c) => c in row);
  const base = {
    time: first === undefined ? null : time(row, first, at), until: last === undefined ? null : time(row, last, at),
    sourceIp, port: integer(row, 'destport', at), protocol, action: status === 'D' ? 'deny' as const : 'allow' as const, rule, firewallId: null, log: 'traffic-analytics' as const,
    ...(named ? { sourceNames: { nic: srcNic, subnet: srcSubnet } } : {}),
  };
  const publicIps = text(row, 'destip') === null ? text(row, 'destpublicips') : null;
  if (publicIps === null) {
    const destination = text(row, 'destip') === null
      ? fail(at, 'destip', 'an IP address in DestIp, or DestPublicIps entries "IP|started|ended|outPackets|inPackets|outBytes|inBytes" (AzurePublic / ExternalPublic flows)', row.destip ?? null)
      : ipAddress(row, 'destip', at);
    return { kind: 'records', records: [{ ...base, destination, destinationIp: destination, flows: flowsOf(row, at), ...bytesOf(row, at) }] };
  }
  const entries = publicIps.split(/\s+/).filter((e) => e !== '');
  return { kind: 'records', records: entries.map((e) => ({ ...base, ...publicEntry(e, at) })) };
}

/**
 * Observed traffic (issue 13): log records normalised from every export shape users have, and the
 * `egress-atlas/traffic@1` contract that reconciles them with the model. Pure types.
 */
import type { Gap } from '../model/gaps';

export const TRAFFIC_SCHEMA = 'egress-atlas/traffic@1' as const;

/** Which log a record came from: the parser that read it, so a reader can weigh the evidence. */
export type LogKind =
  | 'azfw-application'   // AZFWApplicationRule (structured)
  | 'azfw-network'       // AZFWNetworkRule
  | 'azfw-nat'           // AZFWNatRule (DNAT: inbound)
  | 'azfw-dns'           // AZFWDnsQuery (the name asked, not a connection)
  | 'azfw-threat-intel'  // AZFWThreatIntel
  | 'azfw-idps'          // AZFWIdpsSignature (Deny / Drop rows only: Alert rows annotate a rule-log row)
  | 'azure-diagnostics'  // legacy AzureDiagnostics, parsed from msg_s
  | 'vnet-flow'          // VNet flow logs, version 4
  | 'nsg-flow'           // NSG flow logs, version 1 / 2
  // Traffic Analytics (NTANetAnalytics): computed FROM the flow-log blobs (traffic-analytics-schema.md,
  // "traffic analytics picks blobs from the storage account"), so a kind of its own: given with the
  // blobs, the same connections are in both (analyze.ts flowLogOverlap).
  | 'traffic-analytics';

export type TrafficAction = 'allow' | 'deny';

/** The rule the log says decided; firewall logs name all four, flow logs only the NSG / ACL rule. */
export interface LoggedRule {
  readonly policy: string | null;
  readonly collectionGroup: string | null;
  readonly collection: string | null;
  readonly rule: string;
}

export interface TrafficRecord {
  /**
   * ISO 8601 UTC. For a pre-aggregated row, the first time seen; null only when a `summarize`
   * result carries no time column at all (then `--since` cannot filter it: a gap says so).
   */
  readonly time: string | null;
  /** Last time seen, for pre-aggregated rows that carry it (`lastSeen`, `max_TimeGenerated`); else null. */
  readonly until: string | null;
  readonly sourceIp: string;
  /** What was asked for: the FQDN (application rules, DNS, threat intel) or the destination IP. */
  readonly destination: string;
  /** The destination address when the log has it (application-rule logs do not). */
  readonly destinationIp: string | null;
  /** Null where the protocol has no ports (ICMP) or the log lost it (TLS without SNI). */
  readonly port: number | null;
  /** Upper case as logged: TCP, UDP, ICMP, HTTP, HTTPS, MSSQL, DNS. */
  readonly protocol: string;
  readonly action: TrafficAction;
  /** Connections (or log rows) this record stands for: 1, or the row's `count_` / `hits`. */
  readonly flows: number;
  /** Bytes both ways, where the log has them (flow logs); null for firewall logs. */
  readonly bytes: number | null;
  /**
   * Of `bytes`, those sent source → destination: out of Azure for an outbound flow. Flow logs count
   * the two directions separately (destinations.md §2.1 v4 "Bytes sent (src→dst)" / "Bytes received
   * (dst→src)", §2.3 BytesSrcToDest), and internet data transfer out bills this direction only
   * (§8.1). Null or absent when the log gives one total only (a summary's `Bytes`).
   */
  readonly bytesSent?: number | null;
  readonly rule: LoggedRule | null;
  /** The firewall's ARM ID (lower case) when the log names it. */
  readonly firewallId: string | null;
  readonly log: LogKind;
  /**
   * Legacy AzureDiagnostics rows only: the diagnostic category they were exported under
   * (AzureFirewallApplicationRule / AzureFirewallNetworkRule, destinations.md §1.4), i.e. which rule
   * kind's log this row proves was given. Absent when the row names neither (then it proves none).
   */
  readonly ruleLog?: FirewallRuleLog;
  /**
   * Flow logs: on a C / E tuple of a connection already counted (flows 0), the time of that
   * connection's previous tuple read. With `--since`, a connection whose earlier tuple (its B) fell
   * before the window is counted once in the window by the first of its tuples inside it (analyze.ts).
   */
  readonly continuesFrom?: string | null;
  /**
   * Traffic Analytics rows whose SrcIp is blank (traffic-analytics-schema.md: "Blank in AzurePublic and
   * ExternalPublic flows"): the sender as the row names it, SrcNIC / SrcSubnet
   * (`<resourcegroup>/<nic>`, `<resourcegroup>/<vnet>/<subnet>`). `sourceIp` is then ''.
   */
  readonly sourceNames?: { readonly nic: string | null; readonly subnet: string | null };
}

/** A skipped-input entry of a parsed file: what was read but not turned into records, counted. */
export interface SkippedInput {
  readonly reason: string;
  /** Rows (or tuples). */
  readonly count: number;
  /** Flows those rows stand for, where it differs from `count` (summarised rows with count_ / hits). */
  readonly flows?: number;
  /**
   * Threat-intel / IDPS Alert rows: skipped as annotations of a connection the rule logs record, which
   * holds only if rule-log rows of that firewall were read in the same run: the aggregator decides the
   * gap's wording at the end (analyze.ts). `firewallId` lower case, null when the rows do not name it.
   */
  readonly alert?: { readonly firewallId: string | null };
}

/** Which kind of firewall rule a log speaks for: AZFWApplicationRule or AZFWNetworkRule (§1.1 / §1.2). */
export type FirewallRuleLog = 'application' | 'network';

/** The export shape a file was recognised as (reported, so a user sees how a file was read). */
export type LogShape =
  | 'az-cli'            // `az monitor log-analytics query`: flat array, every value a string
  | 'rows'              // a JSON array of row objects with typed values
  | 'log-analytics-rest'// `{ tables: [{ columns, rows }] }` (REST) or `columnDescriptors` (SDK)
  | 'csv'               // the portal's CSV export
  | 'diagnostic-records'// a diagnostic-setting blob `{ records: [{ category, properties }] }`
  | 'vnet-flow-log'     // PT1H.json, flowLogVersion 4
  | 'nsg-flow-log';     // PT1H.json, NetworkSecurityGroupFlowEvent

export interface ParsedLog {
  readonly file: string;
  readonly shape: LogShape;
  readonly records: readonly TrafficRecord[];
  /** What the parser read but did not turn into records (inbound flow tuples, rows of other tables), counted. */
  readonly skipped: readonly SkippedInput[];
  /**
   * Gaps the file itself records: a `pull --logs` result names the queries that failed (403, 429,
   * no such table), so a partial pull is never read as a complete one. Absent for other files.
   */
  readonly gaps?: readonly Gap[];
}

/** Receives records one by one as a file is parsed (`parseLogFileInto`). */
export type RecordSink = (record: TrafficRecord) => void;

/** A parsed file without its records (they went to a sink): what the gaps and the progress need. */
export interface ParsedLogSummary {
  readonly file: string;
  readonly shape: LogShape;
  readonly recordCount: number;
  readonly skipped: ParsedLog['skipped'];
  readonly gaps?: readonly Gap[];
}

/** What the configuration says about an observed destination, from this source. */
export type ModelView = 'allowed' | 'denied' | 'not-modelled';

export interface TrafficSourceRef {
  readonly type: 'subnet' | 'nic';
  readonly id: string;
  readonly name: string;
}

export interface ObservedDestination {
  readonly destination: string;
  readonly port: number | null;
  readonly protocol: string;
  readonly action: TrafficAction;
  readonly flows: number;
  /** Bytes both ways (TrafficRecord.bytes, summed); null when no record of this destination carries bytes. */
  readonly bytes: number | null;
  /**
   * Of `bytes`, those sent source → destination (TrafficRecord.bytesSent, summed); null or absent
   * when a record with bytes did not split them, so the outbound share is unknown.
   */
  readonly bytesSent?: number | null;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  readonly rule: LoggedRule | null;
  readonly model: ModelView;
}

export interface TrafficSource {
  readonly source: TrafficSourceRef;
  /** The subnet the source sits in (the source itself for a subnet). */
  readonly subnet: { readonly id: string; readonly name: string };
  /** Sorted by flows, most first. */
  readonly observed: readonly ObservedDestination[];
}

/** A source IP no NIC or subnet of the snapshot holds: listed, never dropped. */
export interface UnattributedSource {
  readonly sourceIp: string;
  /** `public`: an internet address (inbound DNAT, a scanner); `unknown-private`: an address outside every modelled prefix. */
  readonly reason: 'public' | 'unknown-private';
  readonly flows: number;
  readonly bytes: number | null;
  readonly destinations: number;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  readonly logs: readonly LogKind[];
}

export type TrafficFindingCode =
  | 'uninspected-public-traffic'
  | 'denied-traffic'
  | 'unused-allow-rule'
  | 'model-disagrees'
  | 'observed-outside-policy';  // with a policy: allowed traffic outside a control's mayReach

export interface TrafficFinding {
  readonly code: TrafficFindingCode;
  readonly severity: 'info' | 'warning' | 'error';
  /** A source ID, a firewall rule (`policy/collection/rule`) or a firewall policy ID. */
  readonly subject: string;
  readonly message: string;
  /**
   * `observed-outside-policy` only: the control whose `mayReach` the traffic is outside, where it is
   * written (the mayReach line of the policy file), and the destination as observed.
   */
  readonly policy?: {
    readonly file: string;
    readonly control: string;
    readonly line: number;
    readonly destination: string;
    readonly port: number | null;
    readonly protocol: string;
  };
}

export interface TrafficResult {
  readonly schema: typeof TRAFFIC_SCHEMA;
  readonly window: { readonly from: string | null; readonly to: string | null };
  readonly sources: readonly TrafficSource[];
  readonly unattributed: readonly UnattributedSource[];
  readonly findings: readonly TrafficFinding[];
  readonly gaps: readonly Gap[];
}

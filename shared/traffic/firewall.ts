/**
 * Azure Firewall log rows → TrafficRecords. One reader for every export shape: the shape readers
 * (parse.ts) turn a file into rows keyed by lower-case column name, and this decides the table of
 * each row and reads its columns [destinations.md §1.2-1.5]. Legacy AzureDiagnostics rows are read
 * from `msg_s` with the patterns of §1.4.
 */
import { parseIp } from '../model/ip';
import type { FirewallRuleLog, LogKind, LoggedRule, TrafficAction, TrafficRecord } from './types';
import { fail, integer, ipAddress, requiredText, text, time } from './values';
import type { CellAt, Row } from './values';

/** The log kinds of firewall rows. */
export type FirewallLogKind = Exclude<LogKind, 'vnet-flow' | 'nsg-flow' | 'traffic-analytics'>;

/** Which firewall table a row belongs to, or why it is not read. */
export type FirewallTable =
  | { readonly kind: 'read'; readonly log: FirewallLogKind }
  | { readonly kind: 'other'; readonly table: string };

const TABLES: Readonly<Record<string, FirewallLogKind>> = {
  azfwapplicationrule: 'azfw-application',
  azfwnetworkrule: 'azfw-network',
  azfwnatrule: 'azfw-nat',
  azfwdnsquery: 'azfw-dns',
  azfwthreatintel: 'azfw-threat-intel',
  azfwidpssignature: 'azfw-idps',
  azurediagnostics: 'azure-diagnostics',
  // Legacy diagnostic categories, as a storage blob's `category` names them.
  azurefirewallapplicationrule: 'azure-diagnostics',
  azurefirewallnetworkrule: 'azure-diagnostics',
  azurefirewalldnsproxy: 'azure-diagnostics',
};

/** The columns a `summarize` names its count, from the KQL users write (§1.5) or the default `count_`. */
const COUNT_COLUMNS = ['count_', 'hits', 'count', 'flows', 'applicationrulecount', 'networkrulecount'] as const;
const FIRST_COLUMNS = ['timegenerated', 'time', 'firstseen', 'min_timegenerated', 'starttime'] as const;
const LAST_COLUMNS = ['lastseen', 'max_timegenerated', 'endtime'] as const;

/**
 * The table of a row: its `Type` (every Log Analytics table has it) or `category` (diagnostic
 * blobs), else inferred from the columns a `project` / `summarize` kept.
 */
export function firewallTable(row: Row): FirewallTable | null {
  const named = text(row, 'type') ?? text(row, 'category');
  if (named !== null) {
    const log = TABLES[named.toLowerCase()];
    if (log) return { kind: 'read', log };
    if (/^(azfw|azurefirewall)/i.test(named)) return { kind: 'other', table: named };
  }
  if ('msg_s' in row || 'msg' in row) return { kind: 'read', log: 'azure-diagnostics' };
  if (!('sourceip' in row)) return null;
  // AZFWIdpsSignature (§1.2: SignatureId, Severity, Description; no rule table has them) exported
  // without Type: read as a row typed so is (its Deny / Drop rows are connections; firewallSkipReason).
  if ('signatureid' in row) return { kind: 'read', log: 'azfw-idps' };
  if ('translatedip' in row) return { kind: 'read', log: 'azfw-nat' };
  if ('queryname' in row) return { kind: 'read', log: 'azfw-dns' };
  if ('threatdescription' in row) return { kind: 'read', log: 'azfw-threat-intel' };
  if ('destinationip' in row) return { kind: 'read', log: 'azfw-network' };
  if ('fqdn' in row) return { kind: 'read', log: 'azfw-application' };
  return null;
}

/**
 * Allow / Deny, any case. Threat intel and IDPS in alert mode log `Alert`: the traffic passed.
 * IDPS logs `drop` for what it stopped [§1.3].
 */
function actionOf(value: string, at: CellAt, column: string): TrafficAction {
  switch (value.toLowerCase()) {
    case 'allow': case 'alert': return 'allow';
    case 'deny': case 'drop': return 'deny';
    default: return fail(at, column, 'an action: Allow, Deny, Alert or Drop', value);
  }
}

/** `ICMP Type=8` → ICMP; protocols upper case, so TCP from one log equals Tcp from another. */
function protocolOf(value: string): string {
  return value.trim().split(/\s+/)[0]?.toUpperCase() ?? value.toUpperCase();
}

function ruleOf(policy: string | null, collectionGroup: string | null, collection: string | null, rule: string | null): LoggedRule | null {
  // The default action (no rule matched) logs empty names [§1.3].
  return rule === null ? null : { policy, collectionGroup, collection, rule };
}

function first(row: Row, columns: readonly string[]): string | null {
  for (const c of columns) if (c in row) return c;
  return null;
}

/** The flows a row stands for: its `count_` / `hits` (a summarised row), else 1. Also for a skipped row's gap. */
export function firewallFlows(row: Row, at: CellAt): number {
  return flowsOf(row, at);
}

function flowsOf(row: Row, at: CellAt): number {
  const column = first(row, COUNT_COLUMNS);
  if (column === null) return 1;
  return integer(row, column, at) ?? fail(at, column, 'a row count (a whole number)', row[column] ?? null);
}

/** A DNS name as asked (`name.` in DNS logs), lower case, no trailing dot. */
function hostName(value: string): string {
  return value.replace(/\.$/, '').toLowerCase();
}

/** The port a protocol implies, for summarised rows that dropped the port column. */
function portOf(row: Row, at: CellAt, protocol: string): number | null {
  const port = integer(row, 'destinationport', at);
  if (port !== null) return port === 0 && protocol === 'ICMP' ? null : port;
  return protocol === 'HTTPS' ? 443 : protocol === 'HTTP' ? 80 : protocol === 'MSSQL' ? 1433 : null;
}

/**
 * The legacy category of an AzureDiagnostics row (destinations.md §1.4: Category
 * AzureFirewallApplicationRule | AzureFirewallNetworkRule | AzureFirewallDnsProxy; OperationName
 * AzureFirewall{ApplicationRule,NetworkRule,NatRule,ThreatIntel,IDS,DnsProxy}Log): which rule kind's
 * log was exported. OperationName first: Category AzureFirewallNetworkRule holds network, NAT,
 * threat-intel and IDS rows alike (§1.4; the ASIM parser splits NAT rows out by OperationName
 * == "AzureFirewallNatRuleLog"), and only network-rule rows prove the network rules' log was given.
 * Category decides only for a row without OperationName.
 */
function legacyRuleLog(row: Row): FirewallRuleLog | null {
  const operation = text(row, 'operationname');
  const name = (operation ?? text(row, 'category') ?? '').toLowerCase();
  if (operation !== null) return name === 'azurefirewallapplicationrulelog' ? 'application' : name === 'azurefirewallnetworkrulelog' ? 'network' : null;
  if (name.startsWith('azurefirewallapplicationrule')) return 'application';
  if (name.startsWith('azurefirewallnetworkrule')) return 'network';
  return null;
}

/**
 * Why a firewall row is not a connection of its own, or null. Only Alert rows: alert-mode
 * threat-intel and IDPS rows annotate a connection the rule logs record too (threat intel in Alert
 * mode lets the connection continue to rule processing; §1.1 "threat-intel alert/deny"): the
 * Sentinel ASIM parser (Azure/Azure-Sentinel Parsers/ASimNetworkSession/Parsers/
 * vimNetworkSessionAzureFirewall.yaml) unions AZFWNetworkRule, AZFWNatRule, AZFWIdpsSignature and
 * AZFWThreatIntel and filters `UpperAction != "ALERT"` ("IDPS Signature and ThreatIntel tables contain
 * alerts, exclude these to avoid duplicate network session logs"), keeping their Deny / Drop rows as
 * failed sessions (DvcActionLookup "DENY" / "DROP"). So a Deny or Drop IDPS / threat-intel row, typed,
 * untyped or legacy (`Action: Drop. Signature: ... IDS: ...`, §1.4), is read as a deny: in "Alert and
 * deny" mode IDPS stops a connection the network rule allowed, and only its row says so. Alert rows
 * are counted as skipped; whether rule-log rows of the same firewall were in the input, i.e. whether
 * they really duplicate a connection the counts hold, is the aggregator's to say (analyze.ts).
 */
export function firewallSkipReason(row: Row, log: FirewallLogKind): string | null {
  const alert = 'alerts on a connection the rule logs record (ASIM excludes them as duplicate sessions)';
  if (log === 'azfw-threat-intel') return text(row, 'action')?.toLowerCase() === 'alert' ? `AZFWThreatIntel rows with Action Alert: ${alert}` : null;
  if (log === 'azfw-idps') return text(row, 'action')?.toLowerCase() === 'alert' ? `AZFWIdpsSignature rows with Action Alert: ${alert}` : null;
  if (log !== 'azure-diagnostics') return null;
  const message = text(row, 'msg_s') ?? text(row, 'msg') ?? '';
  if (!/Action: Alert\b/i.test(message)) return null;
  const operation = text(row, 'operationname')?.toLowerCase() ?? null;
  // An IDS line logged without OperationName (a projected export) still names its signature.
  if (operation === 'azurefirewallidslog' || IDS.test(message)) return `legacy IDPS rows with "Action: Alert": ${alert}`;
  if (operation === 'azurefirewallthreatintellog' || /\bThreatIntel: /.test(message)) return `legacy threat-intel rows with "Action: Alert": ${alert}`;
  return null;
}

/** The IDPS signature as the decider of a Deny / Drop IDPS row: it names no rule of the policy. */
function idpsRule(signature: string | null, description: string | null): LoggedRule {
  return { policy: null, collectionGroup: null, collection: null, rule: `IDPS signature${signature === null ? '' : ` ${signature}`}${description === null ? '' : `: ${description}`}` };
}

/**
 * The threat-intelligence filter as the decider of an AZFWThreatIntel row: it names no rule, and
 * "no rule" reads as the default action (§1.3: that is an empty-rule AZFWNetworkRule /
 * AZFWApplicationRule row with ActionReason "Default Action"), a wrong reason for a TI deny.
 */
function threatIntelRule(description: string | null): LoggedRule {
  return { policy: null, collectionGroup: null, collection: null, rule: description === null ? 'threat intelligence' : `threat intelligence: ${description}` };
}

/** One structured (AZFW*) or legacy row as a record. */
export function firewallRecord(row: Row, at: CellAt, log: FirewallLogKind): TrafficRecord {
  const firstColumn = first(row, FIRST_COLUMNS);
  const lastColumn = first(row, LAST_COLUMNS);
  const base = {
    time: firstColumn === null ? null : time(row, firstColumn, at),
    until: lastColumn === null ? null : time(row, lastColumn, at),
    flows: flowsOf(row, at),
    bytes: null,
    firewallId: (text(row, '_resourceid') ?? text(row, 'resourceid'))?.toLowerCase() ?? null,
  };
  if (log === 'azure-diagnostics') {
    const column = 'msg_s' in row ? 'msg_s' : 'msg';
    const message = requiredText(row, column, at, 'the AzureDiagnostics message text (msg_s)');
    const ruleLog = legacyRuleLog(row);
    return { ...base, ...parseFirewallMessage(message, { file: at.file, path: `${at.path}.${at.columns?.[column] ?? column}` }), log, ...(ruleLog ? { ruleLog } : {}) };
  }
  const sourceIp = ipAddress(row, 'sourceip', at);
  if (log === 'azfw-dns') {
    // The name asked of the DNS proxy: evidence of intent, not a connection to port 53 of that name.
    const name = requiredText(row, 'queryname', at, 'the DNS query name (QueryName)');
    return { ...base, sourceIp, destination: hostName(name), destinationIp: null, port: 53, protocol: 'DNS', action: 'allow', rule: null, log };
  }
  // AZFWNatRule has no Action column: every row is a DNAT translation that happened.
  const action = log === 'azfw-nat' ? 'allow' : actionOf(requiredText(row, 'action', at, 'an action (Allow or Deny)'), at, 'action');
  const rule = ruleOf(text(row, 'policy'), text(row, 'rulecollectiongroup'), text(row, 'rulecollection'), text(row, 'rule'));
  const destinationIp = text(row, 'destinationip');
  if (destinationIp !== null && !parseIp(destinationIp)) fail(at, 'destinationip', 'an IP address', destinationIp);
  if (log === 'azfw-application' || log === 'azfw-threat-intel') {
    const protocol = protocolOf(text(row, 'protocol') ?? (integer(row, 'destinationport', at) === 80 ? 'HTTP' : 'HTTPS'));
    const fqdn = text(row, 'fqdn');
    // Threat intel on an IP has no FQDN; an application rule without SNI has neither (§1.4).
    const destination = fqdn !== null ? hostName(fqdn) : destinationIp ?? '(no SNI)';
    const decided = log === 'azfw-threat-intel' ? threatIntelRule(text(row, 'threatdescription')) : rule;
    return { ...base, sourceIp, destination, destinationIp, port: portOf(row, at, protocol), protocol, action, rule: decided, log };
  }
  const protocol = protocolOf(requiredText(row, 'protocol', at, 'a protocol (TCP, UDP, ICMP)'));
  const destination = destinationIp ?? fail(at, 'destinationip', 'the destination IP address', row.destinationip ?? null);
  const decided = log === 'azfw-idps' ? idpsRule(text(row, 'signatureid'), text(row, 'description')) : rule;
  return { ...base, sourceIp, destination, destinationIp, port: portOf(row, at, protocol), protocol, action, rule: decided, log };
}

type MessageFields = Pick<TrafficRecord, 'sourceIp' | 'destination' | 'destinationIp' | 'port' | 'protocol' | 'action' | 'rule'>;

// The msg_s forms of destinations.md §1.4 (Learn and the Sentinel sample datasets).
const DNS_REQUEST = /^DNS Request: (\S+?):(\d+) [-–] \d+ \S+ \S+ (\S+) (\S+) /;
/** UNCONFIRMED exact text (§1.4): read when it appears, never required. */
const DNAT = /^(\S+) request from (\S+?):(\d+) to (\S+?):(\d+) was DNAT'ed to (\S+?):(\d+)/i;
const REQUEST = /^([A-Za-z]+(?: Type=\d+)?)\s+request from ([0-9A-Fa-f.:]+?)(?::(\d+))?(?: to (\S+?)(?::(\d+))?)?(?:\.\s+|\.?$)(.*)$/;
const ACTION = /Action: (\w+)/i;
const POLICY_RULE = /Policy: (.+?)\. Rule Collection Group: (.+?)\. Rule Collection: (.+?)\. Rule: (.+?)(?:\.\s|\.?$)/;
const CLASSIC_RULE = /Rule Collection: (.+?)\. Rule: (.+?)(?:\.\s|\.?$)/;
/** `... Action: Deny. ThreatIntel: Bot Networks` (§1.4): the threat-intelligence filter decided. */
const THREAT_INTEL = /ThreatIntel: (.+?)(?:\.\s|\.?$)/;
/** `... Action: drop. Signature: 2028816. IDS: <description>. Priority: ...` (§1.4): an IDPS signature decided. */
const IDS = /\bSignature: (\d+)\. IDS: (.+?)(?:\.\s|\.?$)/;

/** The rule a message's tail names: policy form, classic form, the threat-intel filter, or none. */
function messageRule(rest: string): LoggedRule | null {
  const policy = POLICY_RULE.exec(rest);
  if (policy) return { policy: policy[1] ?? null, collectionGroup: policy[2] ?? null, collection: policy[3] ?? null, rule: policy[4] ?? '' };
  const classic = CLASSIC_RULE.exec(rest);
  if (classic) return { policy: null, collectionGroup: null, collection: classic[1] ?? null, rule: classic[2] ?? '' };
  const threat = THREAT_INTEL.exec(rest);
  if (threat) return threatIntelRule(threat[1] ?? null);
  const ids = IDS.exec(rest);
  return ids ? idpsRule(ids[1] ?? null, ids[2] ?? null) : null;
}

const MESSAGE_FORMS = 'an Azure Firewall log line like "TCP request from 10.0.0.4:5000 to 20.1.2.3:443. Action: Allow. ..." or "DNS Request: 10.0.0.4:53000 - ..."';

/** Reads one legacy `msg_s` line; anything else is an InputError naming the row. */
export function parseFirewallMessage(message: string, at: CellAt): MessageFields {
  const dns = DNS_REQUEST.exec(message);
  if (dns) {
    const sourceIp = dns[1] ?? '';
    if (!parseIp(sourceIp)) fail(at, '', 'a client IP address in the DNS Request line', message);
    return { sourceIp, destination: hostName(dns[3] ?? ''), destinationIp: null, port: 53, protocol: 'DNS', action: 'allow', rule: null };
  }
  const dnat = DNAT.exec(message);
  if (dnat) {
    // A policy DNAT line goes on ". Policy: P. Rule Collection Group: G. Rule Collection: C. Rule: R" (§1.4).
    const rule = messageRule(message.slice(dnat[0].length));
    return { sourceIp: dnat[2] ?? '', destination: dnat[4] ?? '', destinationIp: dnat[4] ?? null, port: Number(dnat[5]), protocol: protocolOf(dnat[1] ?? ''), action: 'allow', rule };
  }
  const request = REQUEST.exec(message);
  if (!request) return fail(at, '', MESSAGE_FORMS, message);
  const sourceIp = request[2] ?? '';
  if (!parseIp(sourceIp)) fail(at, '', MESSAGE_FORMS, message);
  const action = ACTION.exec(request[6] ?? '');
  if (!action) return fail(at, '', `"Action: Allow" or "Action: Deny" in the message`, message);
  const protocol = protocolOf(request[1] ?? '');
  const target = request[4] ?? null;
  const destinationIp = target !== null && parseIp(target) ? target : null;
  const rule = messageRule(request[6] ?? '');
  const port = request[5] !== undefined ? Number(request[5]) : protocol === 'HTTPS' ? 443 : protocol === 'HTTP' ? 80 : null;
  return {
    sourceIp,
    destination: target === null ? '(no SNI)' : destinationIp ?? hostName(target),
    destinationIp, port, protocol, action: actionOf(action[1] ?? '', at, ''), rule,
  };
}

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

/** Which firewall table a row belongs to, or why it is not read. */
export type FirewallTable =
  | { readonly kind: 'read'; readonly log: Exclude<LogKind, 'vnet-flow' | 'nsg-flow'> }
  | { readonly kind: 'other'; readonly table: string };

const TABLES: Readonly<Record<string, Exclude<LogKind, 'vnet-flow' | 'nsg-flow'>>> = {
  azfwapplicationrule: 'azfw-application',
  azfwnetworkrule: 'azfw-network',
  azfwnatrule: 'azfw-nat',
  azfwdnsquery: 'azfw-dns',
  azfwthreatintel: 'azfw-threat-intel',
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
 * AzureFirewall{ApplicationRule,NetworkRule,...}Log): which rule kind's log was exported.
 */
function legacyRuleLog(row: Row): FirewallRuleLog | null {
  const name = (text(row, 'category') ?? text(row, 'operationname') ?? '').toLowerCase();
  if (name.startsWith('azurefirewallapplicationrule')) return 'application';
  if (name.startsWith('azurefirewallnetworkrule')) return 'network';
  return null;
}

/** One structured (AZFW*) or legacy row as a record. */
export function firewallRecord(row: Row, at: CellAt, log: Exclude<LogKind, 'vnet-flow' | 'nsg-flow'>): TrafficRecord {
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
    return { ...base, sourceIp, destination, destinationIp, port: portOf(row, at, protocol), protocol, action, rule: log === 'azfw-threat-intel' ? null : rule, log };
  }
  const protocol = protocolOf(requiredText(row, 'protocol', at, 'a protocol (TCP, UDP, ICMP)'));
  const destination = destinationIp ?? fail(at, 'destinationip', 'the destination IP address', row.destinationip ?? null);
  return { ...base, sourceIp, destination, destinationIp, port: portOf(row, at, protocol), protocol, action, rule, log };
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
    return { sourceIp: dnat[2] ?? '', destination: dnat[4] ?? '', destinationIp: dnat[4] ?? null, port: Number(dnat[5]), protocol: protocolOf(dnat[1] ?? ''), action: 'allow', rule: null };
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
  const rest = request[6] ?? '';
  const policy = POLICY_RULE.exec(rest);
  const classic = policy ? null : CLASSIC_RULE.exec(rest);
  const rule: LoggedRule | null = policy
    ? { policy: policy[1] ?? null, collectionGroup: policy[2] ?? null, collection: policy[3] ?? null, rule: policy[4] ?? '' }
    : classic ? { policy: null, collectionGroup: null, collection: classic[1] ?? null, rule: classic[2] ?? '' } : null;
  const port = request[5] !== undefined ? Number(request[5]) : protocol === 'HTTPS' ? 443 : protocol === 'HTTP' ? 80 : null;
  return {
    sourceIp,
    destination: target === null ? '(no SNI)' : destinationIp ?? hostName(target),
    destinationIp, port, protocol, action: actionOf(action[1] ?? '', at, ''), rule,
  };
}

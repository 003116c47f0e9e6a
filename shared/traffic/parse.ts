/**
 * One log file → records. The shape is detected from the content, never from the file name
 * (downloads are all called PT1H.json or query_data.csv): the readers below say what they
 * recognise, and a file none recognises is an InputError listing the formats understood.
 */
import { InputError } from '../model/errors';
import type { Gap, GapCode } from '../model/gaps';
import { readNestedJson } from '../model/nesting';
import { firewallFlows, firewallRecord, firewallSkipReason, firewallTable } from './firewall';
import { isInboundTrafficAnalyticsRow, isTrafficAnalyticsRow, readTrafficAnalyticsRow, trafficAnalyticsFlows } from './traffic-analytics';
import { flowConnections, flowLogMemo, OPEN_CONNECTION_LIMIT, readNsgTuple, readVnetTuple } from './flow-logs';
import type { FlowConnections, FlowLogRead } from './flow-logs';
import type { LogShape, ParsedLog, ParsedLogSummary, RecordSink, SkippedInput, TrafficRecord } from './types';
import { fail, parseCsv, text } from './values';
import type { CellAt, Row } from './values';

export const UNDERSTOOD_FORMATS =
  'Azure Firewall logs (AZFWApplicationRule, AZFWNetworkRule, AZFWNatRule, AZFWDnsQuery, AZFWThreatIntel, AZFWIdpsSignature, or AzureDiagnostics msg_s) as '
  + '`az monitor log-analytics query` JSON, Log Analytics REST / SDK JSON ({"tables": [...]}), portal CSV export, '
  + 'a diagnostic-setting blob ({"records": [...]}) or summarize rows with count_ / hits; '
  + 'Traffic Analytics NTANetAnalytics rows (as egress-atlas pull --logs summarises them, or raw rows with FlowDirection and the AllowedOutFlows / DeniedOutFlows counters); '
  + 'VNet flow logs (version 4 PT1H.json) or NSG flow logs (version 1 / 2 PT1H.json)';

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function notRecognised(file: string, path: string, found: string): never {
  throw new InputError(file, path, `one of the log formats understood: ${UNDERSTOOD_FORMATS}`, found);
}

/**
 * Column names as lookup keys: lower case (REST, az and CSV agree on the names, not always on
 * case across tools), without the portal's ` [UTC]` / ` [Local Time]` header suffix.
 */
function columnKey(name: string): string {
  return name.replace(/\s*\[[^\]]*\]\s*$/, '').trim().toLowerCase();
}

/** A row keyed by lookup key, and the names as written (for error messages). */
function keyed(entries: Iterable<readonly [string, unknown]>): { readonly row: Row; readonly columns: Readonly<Record<string, string>> } {
  const row: Record<string, unknown> = {};
  const columns: Record<string, string> = {};
  for (const [k, v] of entries) {
    const key = columnKey(k);
    row[key] = v;
    columns[key] = k;
  }
  return { row, columns };
}

class Rows {
  readonly other = new Map<string, number>();
  /**
   * Rows read but not counted as connections, by reason and firewall (alert rows, UDR-hop captures,
   * no source address), with the flows they stand for: a summarised row with count_ 250 is 250
   * connections left out, not 1.
   */
  readonly notConnections = new Map<string, { readonly reason: string; count: number; flows: number; readonly alert?: { readonly firewallId: string | null } }>();
  /** Inbound Traffic Analytics rows (FlowDirection I): counted, not read, as inbound flow tuples are. */
  inbound = 0;
  records = 0;
  constructor(readonly file: string, private readonly sink: RecordSink) {}

  add(keyedRow: ReturnType<typeof keyed>, where: CellAt): void {
    const { row } = keyedRow;
    const at: CellAt = { ...where, columns: keyedRow.columns };
    if (isTrafficAnalyticsRow(row)) {
      if (isInboundTrafficAnalyticsRow(row, at)) {
        this.inbound += 1;
        return;
      }
      const read = readTrafficAnalyticsRow(row, at);
      if (read.kind === 'skipped') {
        this.skip(read.reason, trafficAnalyticsFlows(row, at), null);
        return;
      }
      for (const record of read.records) {
        this.records += 1;
        this.sink(record);
      }
      return;
    }
    const table = firewallTable(row);
    if (table === null) {
      fail(at, '', 'an Azure Firewall log row: a SourceIp column with Fqdn, DestinationIp, QueryName or TranslatedIp (AZFW* tables), or msg_s (AzureDiagnostics)', Object.keys(row).slice(0, 8).join(', '));
    }
    if (table.kind === 'other') {
      this.other.set(table.table, (this.other.get(table.table) ?? 0) + 1);
      return;
    }
    // AzureDiagnostics also holds other services' rows: only firewall categories carry a firewall msg_s.
    const category = text(row, 'category');
    if (table.log === 'azure-diagnostics' && ((category !== null && !/^azurefirewall/i.test(category)) || (!('msg_s' in row) && !('msg' in row)))) {
      const name = category ?? 'AzureDiagnostics';
      this.other.set(name, (this.other.get(name) ?? 0) + 1);
      return;
    }
    const skip = firewallSkipReason(row, table.log);
    if (skip !== null) {
      // Every firewall skip is an Alert row: whether it duplicates a counted connection depends on the
      // rule logs of its firewall in the whole run, which the aggregator knows (analyze.ts alertGaps).
      const firewallId = (text(row, '_resourceid') ?? text(row, 'resourceid'))?.toLowerCase() ?? null;
      this.skip(skip, firewallFlows(row, at), { firewallId });
      return;
    }
    this.records += 1;
    this.sink(firewallRecord(row, at, table.log));
  }

  private skip(reason: string, flows: number, alert: { readonly firewallId: string | null } | null): void {
    const key = alert === null ? reason : `${reason}\n${alert.firewallId ?? ''}`;
    const held = this.notConnections.get(key) ?? { reason, count: 0, flows: 0, ...(alert ? { alert } : {}) };
    held.count += 1;
    held.flows += flows;
    this.notConnections.set(key, held);
  }

  result(shape: LogShape, gaps: readonly Gap[] = []): ParsedLogSummary {
    const skipped: SkippedInput[] = [
      ...(this.inbound > 0 ? [{ reason: 'inbound Traffic Analytics rows (FlowDirection I; egress reads outbound flows only)', count: this.inbound }] : []),
      ...[...this.other].map(([table, count]) => ({ reason: `rows of ${table} (not read)`, count })),
      ...[...this.notConnections.values()].map(({ reason, count, flows, alert }) => ({ reason, count, ...(flows !== count ? { flows } : {}), ...(alert ? { alert } : {}) })),
    ];
    return { file: this.file, shape, recordCount: this.records, skipped, ...(gaps.length > 0 ? { gaps } : {}) };
  }
}

/** `{ tables: [{ name, columns: [{name,type}], rows: [[...]] }] }` (REST) or `columnDescriptors` (SDK). */
function readTables(file: string, json: Readonly<Record<string, unknown>>, sink: RecordSink): ParsedLogSummary {
  const tables = json.tables ?? json.partialTables;
  if (!Array.isArray(tables)) notRecognised(file, '$.tables', 'not an array');
  const rows = new Rows(file, sink);
  tables.forEach((table: unknown, t) => {
    const at = `$.tables[${t}]`;
    if (!isObject(table)) fail({ file, path: at }, '', 'a table object with columns and rows', table);
    const columns = table.columns ?? table.columnDescriptors;
    if (!Array.isArray(columns)) fail({ file, path: at }, 'columns', 'an array of { name, type }', columns ?? null);
    const names = columns.map((c: unknown, i) => {
      const name = isObject(c) ? c.name : undefined;
      if (typeof name !== 'string') fail({ file, path: `${at}.columns[${i}]` }, 'name', 'a column name', name ?? null);
      return name;
    });
    if (!Array.isArray(table.rows)) fail({ file, path: at }, 'rows', 'an array of rows (arrays of cells)', table.rows ?? null);
    table.rows.forEach((cells: unknown, r) => {
      const path = `${at}.rows[${r}]`;
      if (!Array.isArray(cells) || cells.length !== names.length) fail({ file, path }, '', `an array of ${names.length} cells (one per column)`, cells);
      rows.add(keyed(names.map((n, i) => [n, cells[i]] as const)), { file, path });
    });
  });
  return rows.result('log-analytics-rest', [...partialGaps(file, json, rows.records), ...pulledGaps(file, json.egressAtlas)]);
}

/** `code: message` of a Log Analytics error object (`{ code, message, details? }`), or the value as text. */
function errorText(error: unknown): string {
  if (isObject(error)) {
    const code = typeof error.code === 'string' ? error.code : null;
    const message = typeof error.message === 'string' ? error.message : null;
    if (code !== null || message !== null) return [code, message].filter((p): p is string => p !== null).join(': ');
  }
  return typeof error === 'string' ? error : JSON.stringify(error) ?? String(error);
}

/**
 * A saved partial result: the SDK's `{ status: "PartialFailure", partialTables, partialError }` or
 * the REST response's `{ tables, error }` (destinations.md §1.5). Its rows are kept and read, and a
 * gap names the error, so a truncated or partly failed query is never read as the whole window.
 */
function partialGaps(file: string, json: Readonly<Record<string, unknown>>, records: number): readonly Gap[] {
  const sdkPartial = json.status === 'PartialFailure' || 'partialTables' in json;
  const error = sdkPartial ? json.partialError ?? json.error : json.error;
  if (!sdkPartial && (error === undefined || error === null)) return [];
  const why = error === undefined || error === null ? 'no error given' : errorText(error);
  return [{
    code: 'request-failed', scope: file, count: records,
    message: `Log Analytics returned a partial result (${why}): ${records} record(s) read, the rest of the query's rows are missing.`,
  }];
}

const GAP_CODES: ReadonlySet<string> = new Set<GapCode>([
  'unsupported-resource-type', 'access-denied', 'throttled', 'timeout', 'request-failed', 'effective-routes-unavailable',
  'metrics-unavailable', 'missing-reference', 'skipped-input', 'not-modelled',
]);

/**
 * `egressAtlas.gaps` of a file `pull --logs` wrote: the queries that failed. Carried into the
 * analysis so "no rows" from a refused or missing table is never read as "no traffic".
 */
function pulledGaps(file: string, meta: unknown): readonly Gap[] {
  if (meta === undefined) return [];
  const path = '$.egressAtlas';
  if (!isObject(meta) || !Array.isArray(meta.gaps)) fail({ file, path }, 'gaps', 'the pull record of egress-atlas pull --logs, with a gaps array', meta ?? null);
  return meta.gaps.map((g: unknown, i) => {
    const at = { file, path: `${path}.gaps[${i}]` };
    if (!isObject(g) || typeof g.code !== 'string' || !GAP_CODES.has(g.code) || typeof g.scope !== 'string' || typeof g.message !== 'string') {
      fail(at, '', 'a gap { code, scope, message }', g);
    }
    return { code: g.code as GapCode, scope: g.scope, message: g.message, ...(typeof g.count === 'number' ? { count: g.count } : {}) };
  });
}

/** `az monitor log-analytics query` output or any array of row objects. */
function readRowArray(file: string, json: readonly unknown[], sink: RecordSink): ParsedLogSummary {
  const rows = new Rows(file, sink);
  let allStrings = true;
  json.forEach((row, i) => {
    const path = `$[${i}]`;
    if (!isObject(row)) fail({ file, path }, '', 'a row object keyed by column name', row);
    if (allStrings && Object.values(row).some((v) => v !== null && typeof v !== 'string')) allStrings = false;
    rows.add(keyed(Object.entries(row)), { file, path });
  });
  // az stringifies every value (Python str()): the shape is reported so a user sees how it was read.
  return rows.result(allStrings && json.length > 0 ? 'az-cli' : 'rows');
}

function isVnetFlowRecord(record: Readonly<Record<string, unknown>>): boolean {
  return 'flowRecords' in record || String(record.flowLogVersion ?? '') === '4';
}

function isNsgFlowRecord(record: Readonly<Record<string, unknown>>): boolean {
  return String(record.category ?? '').toLowerCase() === 'networksecuritygroupflowevent'
    || (isObject(record.properties) && Array.isArray(record.properties.flows) && 'Version' in record.properties);
}

function arrayAt(value: unknown, at: CellAt, column: string, expected: string): readonly unknown[] {
  if (!Array.isArray(value)) fail(at, column, expected, value ?? null);
  return value;
}

/** `records[].flowRecords.flows[].flowGroups[].flowTuples[]` [§2.1]. */
function readVnetRecord(file: string, record: Readonly<Record<string, unknown>>, path: string, out: FlowLogRead): void {
  const flowRecords = record.flowRecords;
  if (!isObject(flowRecords)) fail({ file, path }, 'flowRecords', 'an object with flows[] (VNet flow log version 4)', flowRecords ?? null);
  // The capturing NIC (§2.1 `macAddress`): part of every connection key (flow-logs.ts connectionKey).
  out.connectionPrefix = `v${typeof record.macAddress === 'string' ? record.macAddress.toUpperCase() : ''},`;
  arrayAt(flowRecords.flows, { file, path: `${path}.flowRecords` }, 'flows', 'an array of ACL entries').forEach((flow, f) => {
    const flowPath = `${path}.flowRecords.flows[${f}]`;
    if (!isObject(flow)) fail({ file, path: flowPath }, '', 'an object with aclID and flowGroups[]', flow);
    arrayAt(flow.flowGroups, { file, path: flowPath }, 'flowGroups', 'an array of { rule, flowTuples }').forEach((group, g) => {
      const groupPath = `${flowPath}.flowGroups[${g}]`;
      if (!isObject(group)) fail({ file, path: groupPath }, '', 'an object with rule and flowTuples[]', group);
      const rule = typeof group.rule === 'string' && group.rule !== '' ? group.rule : null;
      arrayAt(group.flowTuples, { file, path: groupPath }, 'flowTuples', 'an array of flow tuple strings').forEach((tuple, i) => {
        // The path is built only when an error needs it: millions of tuples per blob.
        const at: CellAt = { file, get path() { return `${groupPath}.flowTuples[${i}]`; } };
        if (typeof tuple !== 'string') fail(at, '', 'a flow tuple string', tuple);
        readVnetTuple(tuple, at, rule, out);
      });
    });
  });
}

/** `records[].properties.flows[].flows[].flowTuples[]` [§2.2]. */
function readNsgRecord(file: string, record: Readonly<Record<string, unknown>>, path: string, out: FlowLogRead): void {
  const properties = record.properties;
  if (!isObject(properties)) fail({ file, path }, 'properties', 'an object with Version and flows[] (NSG flow log)', properties ?? null);
  arrayAt(properties.flows, { file, path: `${path}.properties` }, 'flows', 'an array of { rule, flows }').forEach((ruleEntry, r) => {
    const rulePath = `${path}.properties.flows[${r}]`;
    if (!isObject(ruleEntry)) fail({ file, path: rulePath }, '', 'an object with rule and flows[]', ruleEntry);
    const rule = typeof ruleEntry.rule === 'string' && ruleEntry.rule !== '' ? ruleEntry.rule : null;
    arrayAt(ruleEntry.flows, { file, path: rulePath }, 'flows', 'an array of { mac, flowTuples }').forEach((macEntry, m) => {
      const macPath = `${rulePath}.flows[${m}]`;
      if (!isObject(macEntry)) fail({ file, path: macPath }, '', 'an object with mac and flowTuples[]', macEntry);
      // The capturing NIC (§2.2 `flows[].mac`): part of every connection key (flow-logs.ts connectionKey).
      out.connectionPrefix = `n${typeof macEntry.mac === 'string' ? macEntry.mac.toUpperCase() : ''},`;
      arrayAt(macEntry.flowTuples, { file, path: macPath }, 'flowTuples', 'an array of flow tuple strings').forEach((tuple, i) => {
        const at: CellAt = { file, get path() { return `${macPath}.flowTuples[${i}]`; } };
        if (typeof tuple !== 'string') fail(at, '', 'a flow tuple string', tuple);
        readNsgTuple(tuple, at, rule, out);
      });
    });
  });
}

/**
 * What one read of several files shares: the flow-log connections begun and not ended, so a
 * connection whose B tuple is in one hour's blob and whose E tuple is in the next is counted once.
 * Create one per read (per pass) and give it to every parseLogFileInto / parseLogFile of that read.
 */
export interface LogReadSession {
  readonly connections: FlowConnections;
}

export function createLogReadSession(): LogReadSession {
  return { connections: flowConnections() };
}

/**
 * The gaps of a flow-log file: connections seen without their B tuple (counted once each, see
 * flow-logs.ts flowCount), and connections the bounded open set stopped tracking while reading it.
 */
function connectionGaps(file: string, orphans: number, evicted: number, forgotten: number): readonly Gap[] {
  return [
    ...(orphans === 0 ? [] : [{
      code: 'not-modelled' as const, scope: file, count: orphans,
      message: `${orphans} connection(s) were seen only by C (continuing) or E (end) tuples, without a B (begin) tuple read before them `
        + '(their B tuple is in an hour not given or read later, or the flow log\'s recordTypes leave B out): each is counted as one flow; '
        + 'a B tuple of one of them in a file read later is recognised and counts 0.',
    }]),
    ...(evicted === 0 ? [] : [{
      code: 'not-modelled' as const, scope: file, count: evicted,
      message: `More than ${OPEN_CONNECTION_LIMIT.toLocaleString('en-US')} connections were open at once while reading this file: ${evicted} were no longer tracked, `
        + `and a later C or E tuple of each counts as a connection again (flows overcounted by at most ${evicted}).`,
    }]),
    ...(forgotten === 0 ? [] : [{
      code: 'not-modelled' as const, scope: file, count: forgotten,
      message: `More than ${OPEN_CONNECTION_LIMIT.toLocaleString('en-US')} connections counted without their B tuple were remembered while reading this file: ${forgotten} were forgotten, `
        + `and if the B tuple of one of them is in a file read after this one, that connection is counted twice (flows overcounted by at most ${forgotten}).`,
    }]),
  ];
}

/**
 * `{ records: [...] }`: a flow log blob, or a firewall diagnostic-setting blob whose records are
 * `{ time, resourceId, category, properties: { <columns> } }` (legacy categories: `properties.msg`).
 * The first record decides; every record must then be of that kind.
 */
function readRecords(file: string, records: readonly unknown[], sink: RecordSink, session: LogReadSession): ParsedLogSummary {
  const first = records.find(isObject);
  if (first !== undefined && (isVnetFlowRecord(first) || isNsgFlowRecord(first))) {
    const vnet = isVnetFlowRecord(first);
    let count = 0;
    const { connections } = session;
    const before = { orphans: connections.orphans, evicted: connections.evicted, forgotten: connections.forgotten };
    const out: FlowLogRead = { emit: (record) => { count += 1; sink(record); }, inbound: 0, memo: flowLogMemo(), connections };
    records.forEach((record, i) => {
      const path = `$.records[${i}]`;
      if (!isObject(record)) fail({ file, path }, '', 'a flow log record object', record);
      if (vnet) readVnetRecord(file, record, path, out);
      else readNsgRecord(file, record, path, out);
    });
    const skipped = out.inbound > 0 ? [{ reason: 'inbound flow tuples (egress reads outbound flows only)', count: out.inbound }] : [];
    const gaps = connectionGaps(file, connections.orphans - before.orphans, connections.evicted - before.evicted, connections.forgotten - before.forgotten);
    return { file, shape: vnet ? 'vnet-flow-log' : 'nsg-flow-log', recordCount: count, skipped, ...(gaps.length > 0 ? { gaps } : {}) };
  }
  const rows = new Rows(file, sink);
  records.forEach((record, i) => {
    const path = `$.records[${i}]`;
    if (!isObject(record)) fail({ file, path }, '', 'a diagnostic record { time, resourceId, category, properties }', record);
    const properties = record.properties;
    if (!isObject(properties)) fail({ file, path }, 'properties', 'an object of log columns (diagnostic-setting record)', properties ?? null);
    const envelope = Object.entries(record).filter(([k]) => k !== 'properties');
    // The envelope last: its `category` names the table, and IDPS rows have a `Category` column of their own.
    rows.add(keyed([...Object.entries(properties), ...envelope]), { file, path: `${path}.properties` });
  });
  return rows.result('diagnostic-records');
}

/**
 * The portal writes the zone of its rendered datetimes into the header: `TimeGenerated [UTC]`, or
 * `[Local Time]` when the user's display zone is the browser's. The file does not say which zone
 * that was, so such values cannot be placed in time (every first / last seen and the --since
 * window would shift by an unknown offset): refused, naming the column. Any suffix but `[UTC]` too.
 */
function refuseLocalTimes(file: string, header: readonly string[]): void {
  header.forEach((name, i) => {
    const suffix = /\[([^\]]*)\]\s*$/.exec(name);
    if (suffix && (suffix[1] ?? '').trim().toUpperCase() !== 'UTC') {
      throw new InputError(file, `line 1, column ${i + 1} (${name.trim()})`,
        'datetimes in UTC (a "[UTC]" header): the file does not record the zone of a "[Local Time]" export; export again with the portal\'s display time zone set to UTC', name.trim());
    }
  });
}

function readCsv(file: string, content: string, sink: RecordSink): ParsedLogSummary {
  const table = parseCsv(content, file);
  const header = table[0];
  if (!header || header.length < 2) notRecognised(file, 'line 1', 'no CSV header');
  refuseLocalTimes(file, header);
  const rows = new Rows(file, sink);
  for (let r = 1; r < table.length; r++) {
    const cells = table[r] ?? [];
    if (cells.length !== header.length) fail({ file, path: `row ${r} (line ${r + 1})` }, '', `${header.length} CSV fields, as the header has`, `${cells.length} fields`);
    rows.add(keyed(header.map((h, i) => [h, cells[i]] as const)), { file, path: `row ${r}` });
  }
  return rows.result('csv');
}

/**
 * Parses one log file of any understood shape. Throws InputError naming the file and where. Give
 * the files of one read one `session` (createLogReadSession), so a flow-log connection crossing two
 * hourly blobs is counted once; without one, the file is read on its own.
 */
export function parseLogFile(file: string, content: string, session: LogReadSession = createLogReadSession()): ParsedLog {
  const records: TrafficRecord[] = [];
  const summary = parseLogFileInto(file, content, (r) => records.push(r), session);
  return { file: summary.file, shape: summary.shape, records, skipped: summary.skipped, ...(summary.gaps ? { gaps: summary.gaps } : {}) };
}

/**
 * The same parse, handing each record to `sink` as it is read instead of collecting them: the
 * streaming path (`traffic` / `cost` over a directory tree) keeps no record once it is counted.
 */
export function parseLogFileInto(file: string, content: string, sink: RecordSink, session: LogReadSession = createLogReadSession()): ParsedLogSummary {
  const trimmed = content.replace(/^\uFEFF/, '').trimStart();
  if (trimmed === '') notRecognised(file, '$', 'an empty file');
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch (error) {
      throw new InputError(file, '$', 'valid JSON', error instanceof Error ? error.message : String(error));
    }
    const parsed: unknown = json;
    // A text nested too deep to read is an InputError saying so, as for snapshot inputs.
    return readNestedJson(file, trimmed, () => {
      if (Array.isArray(parsed)) return readRowArray(file, parsed, sink);
      if (isObject(parsed)) {
        if ('tables' in parsed || 'partialTables' in parsed) return readTables(file, parsed, sink);
        if (Array.isArray(parsed.records)) return readRecords(file, parsed.records, sink, session);
      }
      return notRecognised(file, '$', 'a JSON object without "tables" or "records"');
    });
  }
  const firstLine = trimmed.slice(0, trimmed.search(/\r?\n|$/));
  if (firstLine.includes(',')) return readCsv(file, trimmed, sink);
  return notRecognised(file, '$', 'neither JSON nor CSV');
}

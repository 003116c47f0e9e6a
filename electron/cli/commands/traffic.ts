/**
 * `egress-atlas traffic`: observed traffic (firewall logs, flow logs) attributed to subnets and
 * NICs and reconciled with what the configuration allows. Reading files is here; everything else
 * is shared/traffic (pure), so the app and the PDF can render the same result.
 */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve as resolvePath } from 'node:path';
import { readInstantOption, type InstantOption } from '../../../shared/model/dates';
import type { Policy } from '../../../shared/policy/index';
import type { ResolveInput } from '../../../shared/egress/index';
import {
  bytesText, createLogReadSession, createTrafficAggregator, DEFAULT_DENIED_THRESHOLD, finishTraffic, parseLogFile, parseLogFileInto, ruleLabel,
} from '../../../shared/traffic/index';
import type { ParsedLog, ParsedLogSummary, TrafficRecord, TrafficResult } from '../../../shared/traffic/index';
import { oneOf, parseArgs, refuseEmpty, stringOption, UsageError } from '../args';
import { pad, safe, safeTable, wroteLine } from '../format-table';
import type { CliCommand, CliIo } from '../command';
import { outFile } from '../out';
import { InputPathError, loadEstate } from '../estate';
import { readPolicyFile } from './check';

const USAGE = `Usage: egress-atlas traffic <input...> --logs <file-or-directory...> [options]
       egress-atlas traffic --demo [name] --logs <file-or-directory...> [options]

Attributes observed traffic to the subnets and NICs of the estate (by private IP: every IP
configuration of every NIC, then subnet prefixes), and compares each observed destination with
what the configuration allows from that source. Source IPs the estate does not hold are listed,
never dropped. Log formats (detected from the content):
  Azure Firewall AZFWApplicationRule, AZFWNetworkRule, AZFWNatRule, AZFWDnsQuery, AZFWThreatIntel
  as az monitor log-analytics query JSON, Log Analytics REST/SDK JSON, portal CSV export,
  diagnostic-setting blobs {"records": [...]} or summarize rows (count_ / hits); legacy
  AzureDiagnostics msg_s; VNet flow logs (v4) and NSG flow logs (v1/v2) PT1H.json.
Directories are read recursively (.json and .csv files), as downloaded from storage. Files are
read one at a time and folded into per-source counters as they are parsed (no record is kept),
so a multi-GB tree of PT1H.json blobs runs in memory bounded by the largest single file plus the
distinct source/destination pairs; progress (files, MB, records, elapsed) goes to stderr.
--since with a duration (7d) reads the files twice: once for the newest time, once to count.

Options:
  --logs <path>            a log file or directory (repeatable; also several paths after --logs)
  --since <when>           only records from this time on: 7d / 12h / 30m count back from the newest
                           record; or a day (YYYY-MM-DD, UTC) or a date-time with a time zone
  --denied-threshold <n>   denied flows per source and destination that raise denied-traffic (default ${DEFAULT_DENIED_THRESHOLD})
  --format table|json      output format (default: table); json is the egress-atlas/traffic@1 contract
  --top <n>                destinations per source in the table (default 10)
  --policy <file>          a policy file (as egress-atlas check reads): allowed traffic from a
                           source in a control's scope to a destination outside its mayReach is
                           an observed-outside-policy finding (error for deny, warning for audit);
                           what the logs cannot decide (an address against host names) is a gap
  --demo [name]            use an embedded demo estate (default: bank)
  --service-tags <file>    service tag prefixes (ServiceTags_Public_*.json)
  --out <file>             write the output to a file instead of stdout (- for stdout)
  --help                   this text

Exit codes: 0 ok, 1 an operational failure such as an unwritable --out, 2 bad input (a log file
that cannot be read names the file, the row or JSON path and what was expected), a bad policy
(every problem with file, line and field) or usage. Findings never change the exit code
(egress-atlas check gates a pipeline).
`;

const SPEC = {
  demo: 'optional-value', format: 'value', since: 'value', 'denied-threshold': 'value', top: 'value',
  policy: 'value', 'service-tags': 'value', out: 'value', help: 'flag',
} as const;

/**
 * `--logs a b c` takes every following argument up to the next option (log directories are
 * usually several); estate inputs go before `--logs`.
 */
export function takeLogs(args: readonly string[]): { readonly logs: readonly string[]; readonly rest: readonly string[] } {
  const logs: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    // Every path through refuseEmpty, as every other option's value: `--logs "$LOGDIR"` with the
    // variable unset would otherwise be the path '', read as the working directory, and the
    // evidence would count whatever logs lie there.
    if (arg.startsWith('--logs=')) {
      logs.push(refuseEmpty('logs', arg.slice('--logs='.length)));
    } else if (arg === '--logs') {
      const start = logs.length;
      while (i + 1 < args.length && !(args[i + 1] ?? '').startsWith('--')) logs.push(refuseEmpty('logs', args[++i] ?? ''));
      if (logs.length === start) throw new UsageError('--logs needs a file or directory');
    } else rest.push(arg);
  }
  return { logs, rest };
}

function positiveInteger(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`--${name} must be a whole number of at least 1 (got "${text}")`);
  return Number(text);
}

/** How `--since` is named in its refusals (traffic, report): durations count back from the newest record. */
const SINCE_OPTION: InstantOption = { option: '--since', example: '2024-05-01T10:00:00Z', durations: '7d, 12h or 30m back from the newest record' };

/** A `--since` duration (`7d`, `12h`, `30m`), or null for an absolute time. */
export function sinceDuration(text: string): RegExpExecArray | null {
  return /^(\d+)([dhm])$/i.exec(text.trim());
}

/** The farthest a Date reaches from 1970 either way (ECMA-262 time values): ±8.64e15 ms, about 273,790 years. */
const DATE_RANGE_MS = 8.64e15;

function sinceTooFar(text: string): UsageError {
  return new UsageError(`--since ${text.trim()} reaches back past the earliest date there is: give a shorter duration (7d, 12h or 30m) or a day (YYYY-MM-DD)`);
}

/**
 * A `--since` duration in milliseconds, or null for an absolute time (traffic, report, pull). A
 * zero window is refused: it would count nothing and still print a window as if it were evidence.
 * A window longer than any date reaches is refused by name too, not left to fail as an
 * "Invalid time value" (exit 1, an operational failure it is not).
 */
export function sinceDurationMs(text: string): number | null {
  const duration = sinceDuration(text);
  if (duration === null) return null;
  const count = Number(duration[1]);
  if (count < 1) throw new UsageError(`--since ${text.trim()}: the window must be at least 1`);
  const unit = (duration[2] ?? 'd').toLowerCase();
  const ms = count * (unit === 'd' ? 86_400_000 : unit === 'h' ? 3_600_000 : 60_000);
  if (!(ms <= DATE_RANGE_MS)) throw sinceTooFar(text);
  return ms;
}

function newer(newest: string | null, record: TrafficRecord): string | null {
  const end = record.until ?? record.time;
  return end !== null && (newest === null || end > newest) ? end : newest;
}

/** `--since`: an ISO date/time, or a duration (`7d`, `12h`, `30m`) back from the newest record. */
export function parseSince(text: string | undefined, logs: readonly ParsedLog[]): string | null {
  return sinceFrom(text, () => {
    let newest: string | null = null;
    for (const log of logs) for (const r of log.records) newest = newer(newest, r);
    return newest;
  });
}

/**
 * The start of the `--since` window (ISO), or null for none. Called with `() => null` before any
 * log is read, it checks the value alone: every usage error comes before the reading.
 */
export function sinceFrom(text: string | undefined, newestRecord: () => string | null): string | null {
  if (text === undefined) return null;
  const ms = sinceDurationMs(text);
  if (ms !== null) {
    // Relative to the newest record, not to the clock: an export from last month still has a last week.
    const newest = newestRecord();
    if (newest === null) return null;
    const start = Date.parse(newest) - ms;
    if (!(start >= -DATE_RANGE_MS)) throw sinceTooFar(text);
    return new Date(start).toISOString();
  }
  // Strictly read: a window that silently starts on another day (2024-02-30 as 1 March, "7" as
  // 2001, a zone-less time in the runner's zone) would put wrong counts in the evidence.
  const read = readInstantOption(text, SINCE_OPTION);
  if (!read.ok) throw new UsageError(read.message);
  return new Date(read.at).toISOString();
}

/** A log file to read: its path, the name errors use, and its size (for progress). */
export interface LogFile {
  readonly path: string;
  readonly shown: string;
  readonly bytes: number;
}

/** The log files under the inputs, and the files of their directories that are not read. */
export interface LogFileList {
  readonly files: readonly LogFile[];
  /** Files in a log directory that are not .json or .csv (shown paths): named in a gap, never skipped silently. */
  readonly ignored: readonly string[];
}

async function collectFiles(path: string, shown: string, out: LogFile[], ignored: string[]): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new InputPathError(`${shown}: no such file or directory`);
  }
  if (!info.isDirectory()) {
    out.push({ path, shown, bytes: info.size });
    return;
  }
  const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) await collectFiles(child, join(shown, entry.name), out, ignored);
    // In a directory only log-shaped files: storage downloads also hold .md5 / .tmp companions
    // (checksums, partial downloads: never logs). Any other file is listed, and a gap names it: a
    // log saved as .txt, .log or .gz would otherwise vanish from the counts unnoticed.
    else if (/\.(json|csv)$/i.test(entry.name)) await collectFiles(child, join(shown, entry.name), out, ignored);
    else if (!/\.(md5|tmp)$/i.test(entry.name)) ignored.push(join(shown, entry.name));
  }
}

/** Every log file under the inputs (directories recursively, in name order), and the files of those directories not read. */
export async function listLogInputs(inputs: readonly string[], cwd: string): Promise<LogFileList> {
  const files: LogFile[] = [];
  const ignored: string[] = [];
  for (const input of inputs) await collectFiles(isAbsolute(input) ? input : resolvePath(cwd, input), input, files, ignored);
  if (files.length === 0) throw new InputPathError(`${inputs.join(', ')}: no .json or .csv log files found`);
  return { files, ignored };
}

/** Every log file under the inputs (directories recursively, in name order): names and sizes only. */
export async function listLogFiles(inputs: readonly string[], cwd: string): Promise<readonly LogFile[]> {
  return (await listLogInputs(inputs, cwd)).files;
}

/** The `skipped` entry (a skipped-input gap) naming the files of the log directories not read. */
export function ignoredFilesSkipped(ignored: readonly string[]): ParsedLog['skipped'] {
  if (ignored.length === 0) return [];
  const names = `${ignored.slice(0, 5).join(', ')}${ignored.length > 5 ? `, … (${ignored.length - 5} more)` : ''}`;
  return [{ reason: `file(s) in the log directories not read (only .json and .csv files are): ${names}`, count: ignored.length }];
}

async function readLogText(file: LogFile): Promise<string> {
  try {
    return await readFile(file.path, 'utf8');
  } catch {
    throw new InputPathError(`${file.shown}: cannot be read`);
  }
}

/**
 * All files parsed and held in memory (small inputs; tests). `analyzeLogFiles` streams, and also
 * records as a gap the files of the log directories it does not read (see listLogInputs).
 */
export async function readLogs(inputs: readonly string[], cwd: string): Promise<ParsedLog[]> {
  const logs: ParsedLog[] = [];
  // One session: a flow-log connection whose B and E tuples are in two hourly blobs is counted once.
  const session = createLogReadSession();
  for (const file of await listLogFiles(inputs, cwd)) logs.push(parseLogFile(file.shown, await readLogText(file), session));
  return logs;
}

/** How far a streamed read has got (progress on stderr). */
export interface LogReadProgress {
  /** 1, or 2 of 2 when a relative --since needed a first pass for the newest time. */
  readonly pass: number;
  readonly passes: number;
  readonly files: number;
  readonly totalFiles: number;
  readonly bytes: number;
  readonly totalBytes: number;
  /** Records parsed: flow tuples, log rows. */
  readonly records: number;
  readonly elapsedMs: number;
  readonly done: boolean;
}

export interface AnalyzeLogFilesOptions {
  /** `--since` as typed (ISO or a duration back from the newest record). */
  readonly since?: string;
  readonly deniedThreshold?: number;
  readonly policy?: Policy | null;
  readonly onProgress?: (p: LogReadProgress) => void;
  readonly now?: () => number;
}

/**
 * The streaming path of `traffic` and `cost`: one file at a time is read, parsed and folded into
 * the aggregator (shared/traffic), and dropped before the next is read. Memory: the largest file
 * (its text and its JSON) plus the counters per distinct source and destination; independent of
 * the number of files and of the number of records.
 */
export async function analyzeLogFiles(input: ResolveInput, inputs: readonly string[], cwd: string, options: AnalyzeLogFilesOptions = {}): Promise<TrafficResult> {
  const { files, ignored } = await listLogInputs(inputs, cwd);
  const now = options.now ?? Date.now;
  const started = now();
  const totalBytes = files.reduce((n, f) => n + f.bytes, 0);
  const relative = options.since !== undefined && sinceDuration(options.since) !== null;
  const passes = relative ? 2 : 1;
  const report = (pass: number, files_: number, bytes: number, records: number, done: boolean): void => {
    options.onProgress?.({ pass, passes, files: files_, totalFiles: files.length, bytes, totalBytes, records, elapsedMs: now() - started, done });
  };
  const readAll = async (pass: number, sink: (record: TrafficRecord) => void, endFile: (file: LogFile, summary: ParsedLogSummary) => void): Promise<void> => {
    let bytes = 0;
    let records = 0;
    const counted = (record: TrafficRecord): void => {
      records += 1;
      sink(record);
    };
    // One session per pass: a flow-log connection whose B and E tuples are in two hourly blobs is counted once.
    const session = createLogReadSession();
    for (const [i, file] of files.entries()) {
      const summary = parseLogFileInto(file.shown, await readLogText(file), counted, session);
      endFile(file, summary);
      bytes += file.bytes;
      report(pass, i + 1, bytes, records, pass === passes && i + 1 === files.length);
    }
  };
  let newest: string | null = null;
  if (relative) await readAll(1, (r) => { newest = newer(newest, r); }, () => undefined);
  const since = sinceFrom(options.since, () => newest);
  const aggregator = createTrafficAggregator(input.model, { since });
  aggregator.endFile(inputs.join(', '), ignoredFilesSkipped(ignored));
  await readAll(passes, aggregator.add, (file, summary) => aggregator.endFile(file.shown, summary.skipped, summary.gaps));
  return finishTraffic(input, aggregator, {
    ...(options.deniedThreshold === undefined ? {} : { deniedThreshold: options.deniedThreshold }),
    policy: options.policy ?? null,
  });
}

function mb(bytes: number): string {
  return (bytes / 1_048_576).toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

export function logProgressLine(p: LogReadProgress): string {
  const pass = p.passes > 1 ? ` (pass ${p.pass}/${p.passes}${p.pass === 1 ? ': newest time for --since' : ''})` : '';
  return `reading logs${pass}: ${p.files.toLocaleString('en-US')}/${p.totalFiles.toLocaleString('en-US')} files, `
    + `${mb(p.bytes)}/${mb(p.totalBytes)} MB, ${p.records.toLocaleString('en-US')} records, ${(p.elapsedMs / 1000).toFixed(1)} s`;
}

/**
 * Progress of a streamed read on stderr: redrawn in place on a terminal (at most 10 times a
 * second); otherwise a plain line every 5 s, and a last line when any was printed, so a short
 * read in a pipeline prints nothing and a long one shows it is alive.
 */
export function createLogProgress(io: CliIo, now: () => number = Date.now): (p: LogReadProgress) => void {
  let last = -Infinity;
  let printed = false;
  let width = 0;
  return (p) => {
    const t = now();
    if (io.isTTY) {
      if (!p.done && t - last < 100) return;
      const line = logProgressLine(p);
      io.stderr(`\r${line}${' '.repeat(Math.max(0, width - line.length))}${p.done ? '\n' : ''}`);
      width = line.length;
      last = t;
      return;
    }
    if (p.done ? printed : t - last >= 5_000 && p.elapsedMs >= 5_000) {
      io.stderr(`${logProgressLine(p)}\n`);
      printed = true;
      last = t;
    }
  };
}

/** Per source its top destinations, observed vs allowed; then findings; then unattributed sources. */
export function formatTrafficTable(result: TrafficResult, top: number): string {
  const lines: string[] = [`Observed traffic ${result.window.from ?? '?'} → ${result.window.to ?? '?'}`, ''];
  for (const s of result.sources) {
    const total = s.observed.reduce((n, o) => n + o.flows, 0);
    lines.push(`${s.source.name} (${s.source.type}${s.source.type === 'nic' ? ` in ${s.subnet.name}` : ''})  ${total} flow(s), ${s.observed.length} destination(s)`);
    const rows: string[][] = [['    DESTINATION', 'ACTION', 'MODEL', 'FLOWS', 'BYTES', 'RULE']];
    for (const o of s.observed.slice(0, top)) {
      const mark = (o.action === 'allow' && o.model === 'denied') || (o.action === 'deny' && o.model === 'allowed') ? ' !' : '';
      rows.push([`    ${o.destination}${o.port === null ? '' : `:${o.port}`}/${o.protocol}`, o.action, `${o.model}${mark}`, String(o.flows), bytesText(o.bytes), ruleLabel(o.rule, o.action)]);
    }
    lines.push(...pad(rows.map((row) => row.map(safe))));
    if (s.observed.length > top) lines.push(`    … ${s.observed.length - top} more (--top, or --format json)`);
    lines.push('');
  }
  lines.push(result.findings.length === 0 ? 'Findings: none' : 'Findings');
  for (const f of result.findings) lines.push(`  ${f.severity} ${f.code}: ${f.message}`);
  lines.push('');
  if (result.unattributed.length > 0) {
    lines.push('Unattributed sources (no NIC or subnet in the snapshot holds them)');
    lines.push(...pad([['  SOURCE IP', 'REASON', 'FLOWS', 'BYTES', 'DESTINATIONS', 'LOGS'],
      ...result.unattributed.map((u) => [`  ${u.sourceIp}`, u.reason, String(u.flows), bytesText(u.bytes), String(u.destinations), u.logs.join(', ')].map(safe))]));
    lines.push('');
  }
  if (result.gaps.length > 0) {
    lines.push('Gaps');
    for (const g of result.gaps) lines.push(`  ${g.code} ${g.scope}: ${g.message}`);
    lines.push('');
  }
  const flows = result.sources.reduce((n, s) => n + s.observed.reduce((m, o) => m + o.flows, 0), 0);
  lines.push(`${result.sources.length} source(s), ${flows} attributed flow(s) | ${result.unattributed.length} unattributed source IP(s) | findings: ${result.findings.length} | gaps: ${result.gaps.length}`, '');
  // Each row escaped on its own (safe): a line break in a log's destination or a name cannot add a row.
  return lines.map(safe).join('\n');
}

export const trafficCommand: CliCommand = {
  name: 'traffic',
  summary: 'Attribute firewall and flow logs to subnets and NICs, and compare them with what the configuration allows',
  usage: USAGE,
  async run(args, io) {
    // takeLogs consumes every --logs form (`--logs a b`, `--logs=a`), as report does.
    const { logs: allLogs, rest } = takeLogs(args);
    const parsed = parseArgs(rest, SPEC, ['logs']);
    if (parsed.options.help === true) {
      io.stdout(USAGE);
      return 0;
    }
    if (allLogs.length === 0) throw new UsageError('--logs <file-or-directory> is required');
    const format = oneOf(parsed, 'format', ['table', 'json'] as const, 'table');
    const threshold = positiveInteger(stringOption(parsed, 'denied-threshold'), 'denied-threshold', DEFAULT_DENIED_THRESHOLD);
    const top = positiveInteger(stringOption(parsed, 'top'), 'top', 10);
    const out = outFile(stringOption(parsed, 'out'));
    const sinceText = stringOption(parsed, 'since');
    // A broken policy is reported first (file:line: field: problem), as egress-atlas check does.
    const policyFile = stringOption(parsed, 'policy');
    // Its PolicyError goes to main.ts reportError, the one path that prints every issue (escaped, exit 2).
    const policy: Policy | null = policyFile === undefined ? null : await readPolicyFile(policyFile, io.cwd);
    if (sinceText !== undefined) sinceFrom(sinceText, () => null); // a bad --since is a usage error before any reading
    // The estate first (attribution needs it), then the logs streamed file by file into counters.
    const snapshot = await loadEstate(parsed.positionals, parsed.options.demo, io.cwd, stringOption(parsed, 'service-tags'));
    const result = await analyzeLogFiles(snapshot, allLogs, io.cwd, {
      ...(sinceText === undefined ? {} : { since: sinceText }), deniedThreshold: threshold, policy, onProgress: createLogProgress(io),
    });
    const text = format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : safeTable(formatTrafficTable(result, top));
    if (out === undefined) io.stdout(text);
    else {
      const target = isAbsolute(out) ? out : resolvePath(io.cwd, out);
      await writeFile(target, text, 'utf8');
      io.stderr(wroteLine(`${relative(io.cwd, target) || out}`));
    }
    return 0;
  },
};

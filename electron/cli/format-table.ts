/**
 * The CLI's human views of a ResolveResult: an aligned table grouped by subscription and VNet (by ID), a
 * summary line, the gaps, and (with --explain) each path's hops. A view only: every verdict, exit
 * and finding is read from the result, never recomputed.
 */
import { explainPath } from '../../shared/egress/explain';
import { snatCapacityOf, snatPortsText } from '../../shared/egress/outbound';
import { ANY_PUBLIC_DESTINATION, VERDICTS as VERDICT_LABELS } from '../../shared/egress/types';
import type { EgressPath, Finding, FindingSeverity, ResolveResult, Verdict } from '../../shared/egress/types';
import { nameFromResourceId } from '../../shared/model/ids';
import type { NetworkModel } from '../../shared/model/topology';
import type { MatrixResult } from '../../shared/egress/matrix';
import {
  forcedTunnelListedText, nothingListedText, privateEndpointReachText, reachDestinationText, reachPortsText, unrestrictedOn, type ReachEntry, type ReachResult,
} from '../../shared/egress/reach';
// The same words as the evidence PDF for an unknown path and an open path's exceptions.
import { exceptionsOf, hopKindLabel, undecidedBecause } from '../evidence/facts';

export interface TableOptions {
  /** ANSI colours (only on a TTY, and never with NO_COLOR). */
  readonly color: boolean;
  /**
   * `--destination` was given: print how the engine read it (`interpretation: host name
   * github.com, TCP 443: …`) under the summary line, so an ambiguous text (`GitHub.com`, a host
   * name or a service tag?) is never read silently one way.
   */
  readonly interpretation?: boolean;
}

const VERDICTS = Object.keys(VERDICT_LABELS) as readonly Verdict[];
const SEVERITIES: readonly FindingSeverity[] = ['error', 'warning', 'info'];

type Paint = (text: string) => string;
const ansi = (code: number): Paint => (text) => `\u001b[${code}m${text}\u001b[0m`;

/**
 * What a terminal must never receive raw from input: the C0 and C1 control characters (an escape
 * sequence in a resource name or tag would recolour or rewrite the terminal; a line break in one
 * would forge a line of its own, an `error:` line or a table row) and the bidirectional embedding,
 * override and isolate controls U+202A-U+202E and U+2066-U+2069, which make a terminal show text
 * in another order than it is (CVE-2021-42574, "Trojan Source").
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const TERMINAL_CONTROLS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
// As TERMINAL_CONTROLS, but for a whole text laid out by us: its line breaks and tabs are the layout.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS_BUT_LAYOUT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** A control character as text: `\x1b` (the form the tables have always shown), `\u202e` above U+00FF. */
function escaped(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * One line of user data (a name, a message quoting input, a table row), every control character
 * shown escaped, line breaks included: the result is always exactly one line.
 */
export function safe(text: string): string {
  return text.replace(TERMINAL_CONTROLS, escaped);
}

/**
 * A whole plain-text table (no colours of ours in it): every control character but the line
 * breaks and tabs the layout uses is shown escaped, whichever cell it came from. It cannot tell a
 * line break in a cell from one of the layout: the formatters escape each row with `safe` first.
 */
export function safeTable(text: string): string {
  return text.replace(CONTROLS_BUT_LAYOUT, escaped);
}

/** `error: <message>` as one stderr line: the message escaped whole (safe), so input it quotes cannot add a line. */
export function errorLine(message: string): string {
  return `error: ${safe(message)}\n`;
}

/** `wrote <path …>` as one stderr line: a path (a file name may hold any byte but `/` and NUL) cannot add a line or recolour the terminal. */
export function wroteLine(text: string): string {
  return `wrote ${safe(text)}\n`;
}

/** Rows as lines of columns two spaces apart, each column as wide as its widest cell (the last one unpadded). */
export function pad(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, cell.length); });
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
}

const plain: Paint = (text) => text;

function verdictPaint(verdict: Verdict, color: boolean): Paint {
  if (!color) return plain;
  switch (verdict) {
    case 'internet': return ansi(32);
    case 'private': return ansi(34);
    case 'on-premises': return ansi(36);
    case 'dropped': return ansi(31);
    case 'denied': return ansi(31);
    case 'no-outbound': return ansi(33);
    case 'unknown': return ansi(35);
  }
}

function severityPaint(severity: FindingSeverity, color: boolean): Paint {
  if (!color) return plain;
  switch (severity) {
    case 'error': return ansi(31);
    case 'warning': return ansi(33);
    case 'info': return ansi(2);
  }
}

interface Placement {
  readonly subscriptionId: string;
  /**
   * The VNet's resource ID ('' when the source is in none): the group key. Names are not unique
   * (every team has a `vnet-hub`), so two VNets that share one in different resource groups are
   * two headings.
   */
  readonly vnetId: string;
  readonly vnetName: string;
  readonly resourceGroup: string;
  /** Sort key inside the VNet: the subnet name, then the NIC name. */
  readonly order: string;
}

/** Where each source sits (subscription, VNet), read from the model. */
export function placeSources(model: NetworkModel): ReadonlyMap<string, Placement> {
  const vnets = new Map(model.virtualNetworks.map((v) => [v.id, v]));
  const subnets = new Map(model.subnets.map((s) => [s.id, s]));
  const placements = new Map<string, Placement>();
  for (const s of model.subnets) {
    const vnet = vnets.get(s.virtualNetworkId);
    placements.set(s.id, { subscriptionId: s.subscriptionId, vnetId: s.virtualNetworkId, vnetName: vnet?.name ?? nameFromResourceId(s.virtualNetworkId), resourceGroup: vnet?.resourceGroup ?? s.resourceGroup, order: `${s.name.toLowerCase()}\u0000` });
  }
  for (const nic of model.networkInterfaces) {
    const config = nic.ipConfigurations.find((c) => c.primary) ?? nic.ipConfigurations[0];
    const subnet = config?.subnetId === null || config === undefined ? undefined : subnets.get(config.subnetId);
    const vnet = subnet === undefined ? undefined : vnets.get(subnet.virtualNetworkId);
    placements.set(nic.id, {
      subscriptionId: nic.subscriptionId,
      vnetId: subnet?.virtualNetworkId ?? '',
      vnetName: vnet?.name ?? '(no VNet)',
      resourceGroup: vnet?.resourceGroup ?? nic.resourceGroup,
      order: `${(subnet?.name ?? '').toLowerCase()}\u0001${nic.name.toLowerCase()}`,
    });
  }
  return placements;
}


/**
 * `at least 4,992` for a firewall (a floor: the instance count is not in the input), `no SNAT (1:1
 * NAT)` for an instance-level public IP (the EXIT column says public-ip), or `-` when not known.
 */
function formatPorts(path: EgressPath): string {
  return snatCapacityOf(path).kind === 'no-snat' ? 'no SNAT (1:1 NAT)' : snatPortsText(path, '-');
}

function findingsCell(findings: readonly Finding[]): string {
  if (findings.length === 0) return '-';
  return findings.map((f) => `${f.code}(${f.severity[0]})`).join(', ');
}

const MAX_IPS_SHOWN = 3;

function ipsCell(ips: readonly string[]): string {
  if (ips.length === 0) return '-';
  const shown = ips.slice(0, MAX_IPS_SHOWN).join(', ');
  return ips.length > MAX_IPS_SHOWN ? `${shown} +${ips.length - MAX_IPS_SHOWN}` : shown;
}

interface Row {
  readonly cells: readonly string[];
  readonly paints: readonly Paint[];
}

/** Shown after the name of a platform subnet (Azure-managed instances only: firewall, gateway, Bastion, Route Server). */
export const PLATFORM_MARKER = '(platform)';

function isPlatformPath(path: EgressPath): boolean {
  return path.source.role !== undefined && path.source.role !== 'workload';
}

/** Dims only the marker, so the name keeps its normal weight. */
function platformPaint(color: boolean): Paint {
  if (!color) return plain;
  const dim = ansi(2);
  return (text) => text.replace(` ${PLATFORM_MARKER}`, ` ${dim(PLATFORM_MARKER)}`);
}

function pathRow(path: EgressPath, color: boolean): Row {
  const name = path.source.type === 'nic' ? `  ${path.source.name}` : path.source.name;
  const platform = isPlatformPath(path);
  const source = platform ? `${name} ${PLATFORM_MARKER}` : name;
  const worst = SEVERITIES.find((s) => path.findings.some((f) => f.severity === s));
  return {
    cells: [safe(source), path.verdict, path.exit ?? '-', path.via.length === 0 ? '-' : safe(path.via.map((v) => nameFromResourceId(v.id)).join(' > ')), safe(ipsCell(path.egressIps)), formatPorts(path), findingsCell(path.findings)],
    paints: [platform ? platformPaint(color) : plain, verdictPaint(path.verdict, color), plain, plain, plain, plain, worst === undefined ? plain : severityPaint(worst, color)],
  };
}

const HEADER = ['SOURCE', 'VERDICT', 'EXIT', 'VIA', 'EGRESS IPS', 'SNAT PORTS', 'FINDINGS'];

function renderRows(rows: readonly Row[], widths: readonly number[], indent: string): string[] {
  return rows.map((row) => indent + row.cells.map((cell, i) => {
    const last = i === row.cells.length - 1;
    const padded = last ? cell : cell.padEnd(widths[i] ?? 0);
    // Right-align the numeric column.
    const aligned = i === 5 ? cell.padStart(widths[i] ?? 0) : padded;
    return (row.paints[i] ?? plain)(aligned);
  }).join('  ').trimEnd());
}

/** All findings in the result: each path's and the estate-level ones. */
export function allFindings(result: ResolveResult): readonly Finding[] {
  return [...result.paths.flatMap((p) => p.findings), ...result.findings];
}

export function summaryLine(result: ResolveResult): string {
  const verdicts = VERDICTS.map((v) => [v, result.paths.filter((p) => p.verdict === v).length] as const).filter(([, n]) => n > 0);
  const findings = allFindings(result);
  const severities = SEVERITIES.map((s) => `${findings.filter((f) => f.severity === s).length} ${s}`);
  const verdictText = verdicts.length === 0 ? 'none' : verdicts.map(([v, n]) => `${n} ${v}`).join(', ');
  return `${result.paths.length} path${result.paths.length === 1 ? '' : 's'} to ${result.destination}: ${verdictText} | findings: ${severities.join(', ')} | gaps: ${result.gaps.length}`;
}

export function formatTable(result: ResolveResult, model: NetworkModel, options: TableOptions): string {
  const placements = placeSources(model);
  const groups = new Map<string, { readonly title: string; readonly paths: EgressPath[] }>();
  for (const path of result.paths) {
    const place = placements.get(path.source.id);
    // Sorted by subscription and name; the ID keeps same-named VNets apart.
    const key = place === undefined ? '\uffff' : `${place.subscriptionId}\u0000${place.vnetName.toLowerCase()}\u0000${place.vnetId}`;
    const title = place === undefined ? 'Not placed in a VNet' : `Subscription ${place.subscriptionId} / VNet ${place.vnetName} (${place.resourceGroup})`;
    const group = groups.get(key) ?? { title, paths: [] };
    group.paths.push(path);
    groups.set(key, group);
  }
  const order = (p: EgressPath): string => placements.get(p.source.id)?.order ?? p.source.name.toLowerCase();
  const sortedGroups = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => ({
    title: g.title,
    rows: [...g.paths].sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0)).map((p) => pathRow(p, options.color)),
  }));
  // One set of column widths for the whole table, so groups line up.
  const widths = HEADER.map((h, i) => Math.max(h.length, ...sortedGroups.flatMap((g) => g.rows.map((r) => (r.cells[i] ?? '').length))));
  const bold: Paint = options.color ? ansi(1) : plain;
  const lines: string[] = [];
  lines.push(renderRows([{ cells: HEADER, paints: HEADER.map(() => bold) }], widths, '  ')[0] ?? '');
  for (const group of sortedGroups) {
    lines.push('', bold(safe(group.title)));
    lines.push(...renderRows(group.rows, widths, '  '));
  }
  if (result.paths.length === 0) lines.push('', '  (no paths)');
  if (result.findings.length > 0) {
    lines.push('', bold('Estate findings'));
    for (const f of result.findings) lines.push(`  ${severityPaint(f.severity, options.color)(f.severity.padEnd(7))} ${f.code}: ${safe(f.message)}`);
  }
  lines.push('', summaryLine(result));
  const interpretation = options.interpretation === true ? result.destinationInfo?.interpretation : undefined;
  if (interpretation !== undefined) lines.push(`interpretation: ${safe(interpretation)}`);
  if (result.gaps.length > 0) {
    lines.push('', bold('Gaps (what could not be seen or modelled)'));
    for (const g of result.gaps) lines.push(`  ${g.code}  ${safe(g.scope)}${g.count === undefined ? '' : ` (x${g.count})`}: ${safe(g.message)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `--explain`: every path's hops with the rule, the reason, the docs and the command that verifies it. */
export function formatExplain(result: ResolveResult, options: TableOptions): string {
  const bold: Paint = options.color ? ansi(1) : plain;
  const lines: string[] = [];
  for (const path of result.paths) {
    const exit = path.exit === null ? '' : ` via ${path.exit}`;
    lines.push('', bold(`${safe(path.source.name)} (${path.source.type}) → ${verdictPaint(path.verdict, options.color)(path.verdict)}${exit}`));
    const hops = explainPath(path);
    // An unknown path's missing fact sits in its last hop, below every other: say it under the heading too.
    if (path.verdict === 'unknown') lines.push(`      not decided: ${safe(undecidedBecause(path))}`);
    const exceptions = exceptionsOf(path);
    if (exceptions !== null) lines.push(`      allows every destination except: ${safe(exceptions)}`);
    hops.forEach((hop, i) => {
      lines.push(`  ${String(i + 1).padStart(2)}. ${hopKindLabel(hop, i === hops.length - 1, path.verdict)}: ${safe(hop.rule)}`);
      lines.push(`      why:    ${safe(hop.explanation)}`);
      if (hop.docs.length > 0) lines.push(`      docs:   ${hop.docs}`);
      if (hop.verify.length > 0) lines.push(`      verify: ${safe(hop.verify)}`);
    });
    for (const f of path.findings) {
      lines.push(`      ${severityPaint(f.severity, options.color)(f.severity)} ${f.code}: ${safe(f.message)}${f.advice === undefined ? '' : ` Advice: ${safe(f.advice)}`}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Short verdict marks for a matrix cell (the legend says what each means). */
const MATRIX_MARK: Readonly<Record<Verdict, string>> = {
  internet: 'internet', private: 'private', 'on-premises': 'on-prem', dropped: 'dropped', denied: 'denied', 'no-outbound': 'no-out', unknown: 'unknown',
};

/** `resolve --destinations`: one row per source, one column per destination, in the list's order. */
export function formatMatrix(matrix: MatrixResult, options: TableOptions): string {
  const bold: Paint = options.color ? ansi(1) : plain;
  const columns = matrix.destinations.map((d, i) => `[${i + 1}]`);
  const names = matrix.rows.map((r) => safe(r.source.type === 'nic' ? `  ${r.source.name}` : r.source.name));
  const width = Math.max('SOURCE'.length, ...names.map((n) => n.length));
  const cellWidth = Math.max(...columns.map((c) => c.length), ...Object.values(MATRIX_MARK).map((m) => m.length));
  const lines: string[] = [];
  lines.push(bold('Destinations'));
  // Each column with how the engine read it (host name or address, ports), as `--destination` prints it.
  matrix.destinations.forEach((d, i) => {
    lines.push(`  [${i + 1}] ${safe(d.destination)}${d.label ? ` (${safe(d.label)})` : ''}`);
    if (d.interpretation !== '') lines.push(`      interpretation: ${safe(d.interpretation)}`);
  });
  lines.push('', bold(`  ${'SOURCE'.padEnd(width)}  ${columns.map((c) => c.padEnd(cellWidth)).join('  ')}`.trimEnd()));
  matrix.rows.forEach((row, r) => {
    const cells = row.results.map((c) => verdictPaint(c.verdict, options.color)(MATRIX_MARK[c.verdict].padEnd(cellWidth)));
    lines.push(`  ${(names[r] ?? '').padEnd(width)}  ${cells.join('  ')}`.trimEnd());
  });
  const counts = VERDICTS.map((v) => [v, matrix.rows.reduce((n, row) => n + row.results.filter((c) => c.verdict === v).length, 0)] as const).filter(([, n]) => n > 0);
  lines.push('', `${matrix.rows.length} source${matrix.rows.length === 1 ? '' : 's'} x ${matrix.destinations.length} destination${matrix.destinations.length === 1 ? '' : 's'}: ${counts.map(([v, n]) => `${n} ${v}`).join(', ') || 'none'} | gaps: ${matrix.gaps.length}`);
  return `${lines.join('\n')}\n`;
}

/**
 * An entry's verdict as the table prints it. Unknown is "may reach" (a reach gap: neither allowed
 * nor denied), so it never reads as one more allowed entry.
 */
function reachVerdictText(entry: ReachEntry): string {
  return `-> ${entry.verdict}${entry.verdict === 'unknown' ? ' (may reach: see gaps)' : ''}`;
}

/** `reach`: per source, whether anything public gets out, then each allowed destination with the rule that allows it. */
export function formatReach(reach: ReachResult, options: TableOptions): string {
  const bold: Paint = options.color ? ansi(1) : plain;
  const lines: string[] = [];
  for (const s of reach.sources) {
    const head = `${safe(s.source.name)} (${s.source.type === 'nic' ? 'NIC' : 'subnet'})`;
    // An undecided default route is not a restriction: what the source reaches is not known.
    const undecided = !s.unrestricted && s.defaultRoute === 'unknown';
    const except = s.allowed.find((e) => e.kind === 'any' && e.except !== undefined)?.except ?? [];
    // The ports it is open on: TCP 443 when the default route gets out, else those of the rules that open it (NTP: UDP 123).
    const verdict = s.unrestricted ? `UNRESTRICTED: ${ANY_PUBLIC_DESTINATION}${except.length > 0 ? ` except ${except.join(', ')}` : ''} (${unrestrictedOn(s) ?? 'TCP 443'})`
      : undecided ? 'UNKNOWN: the default route could not be decided (see gaps)'
        // A forced tunnel is not a restriction: what the on-premises network lets out is not in the input.
        : s.defaultRoute === 'on-premises' ? 'FORCED TUNNEL: beyond Azure not known (default route: on-premises)' : `restricted (default route: ${s.defaultRoute})`;
    // A blank line between sources, none before the first: the output starts with what it is about.
    if (lines.length > 0) lines.push('');
    lines.push(`${bold(head)}  ${s.unrestricted && options.color ? ansi(33)(verdict) : verdict}`);
    // A forced tunnel that lists entries: the rest goes on-premises, as the app and the PDF say it.
    if (!s.unrestricted && s.defaultRoute === 'on-premises' && s.allowed.length > 0) lines.push(`  (${forcedTunnelListedText(s.allowed)})`);
    for (const e of s.allowed) {
      if (e.kind === 'any' && s.unrestricted) {
        // With its verdict: an unrestricted source's other `any` entry may be Unknown ("may reach"),
        // and printed like the opening one it read as a second allowed entry.
        lines.push(safe(`  any             ${reachPortsText(e)}  ${reachVerdictText(e)}  via ${e.via.length === 0 ? 'no inspection' : e.via.map(nameFromResourceId).join(' > ')}, exit ${e.exit ?? '-'}: ${e.rule}`));
        continue;
      }
      // Ports as the PDF and the app print them (reachPortsText: ranges merged, `*` as "any port").
      lines.push(safe(`  ${e.kind.padEnd(14)}  ${reachDestinationText(e, '*')}  ${reachPortsText(e)}  ${reachVerdictText(e)}${e.exit ? ` (${e.exit})` : ''}  rule ${e.rule}`));
    }
    if (s.allowed.length === 0) lines.push(undecided ? '  (what it can reach is not known until the gaps are closed)' : `  (${nothingListedText(s.defaultRoute)})`);
    // A private endpoint with its verdict: "may reach" (Unknown) must not read as reached.
    for (const p of s.private) lines.push(safe(`  ${p.kind.padEnd(14)}  ${p.value}${p.target ? `  -> ${nameFromResourceId(p.target)}` : ''}${p.kind === 'private-endpoint' ? `  ${privateEndpointReachText(p)}` : p.note ? `  (${p.note})` : ''}`));
  }
  const open = reach.sources.filter((s) => s.unrestricted).length;
  const unknown = reach.sources.filter((s) => !s.unrestricted && s.defaultRoute === 'unknown').length;
  // A forced tunnel is counted apart, as its heading says: not a restriction (what the on-premises
  // network lets out is not in the input), so not among the restricted.
  const tunnelled = reach.sources.filter((s) => !s.unrestricted && s.defaultRoute === 'on-premises').length;
  const restricted = reach.sources.length - open - unknown - tunnelled;
  lines.push('', `${reach.sources.length} source${reach.sources.length === 1 ? '' : 's'}: ${open} unrestricted, ${restricted} restricted${tunnelled > 0 ? `, ${tunnelled} forced tunnel${tunnelled === 1 ? '' : 's'}` : ''}${unknown > 0 ? `, ${unknown} unknown` : ''} | gaps: ${reach.gaps.length}`);
  return `${lines.join('\n')}\n`;
}

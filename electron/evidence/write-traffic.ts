/**
 * The "Observed destinations" section of the evidence PDF (`report --logs`, issue 13): what the
 * logs say actually left, per source its top destinations against what the configuration allows,
 * then the traffic findings, the source IPs no NIC or subnet holds, and what the logs could not
 * tell. It draws the TrafficResult (`analyzeTraffic`) as it is: nothing is re-attributed or
 * re-evaluated here.
 */
import type { Gap } from '../../shared/model/gaps';
import type { ModelView, ObservedDestination, TrafficFinding, TrafficResult, TrafficSource } from '../../shared/traffic/types';
import { bytesText } from '../../shared/traffic/format';
import { COLORS, type EvidenceDocument, type TableCell } from './evidence-document';
import { SEVERITY_COLOR, VERDICT_COLOR } from './palette';
import { plural } from './reach-facts';

/** Destinations per source in the PDF; the JSON (`egress-atlas traffic --format json`) has them all. */
export const TOP_DESTINATIONS = 10;
/** Sources with a table of their own; past this, the ones with the most flows (a big estate's PDF stays readable). */
export const MAX_TRAFFIC_SOURCES = 100;

const SEVERITY_RANK: Readonly<Record<TrafficFinding['severity'], number>> = { error: 0, warning: 1, info: 2 };

/** ed.table's cell padding. */
const CELL_PAD = 3;

const MODEL_LABEL: Readonly<Record<ModelView, string>> = { allowed: 'allowed', denied: 'denied', 'not-modelled': 'not modelled' };
const MODEL_COLOR: Readonly<Record<ModelView, string>> = { allowed: VERDICT_COLOR.internet, denied: VERDICT_COLOR.denied, 'not-modelled': COLORS.muted };

export function trafficSourceAnchor(index: number): string {
  return `traffic-source-${index + 1}`;
}

function flowsOf(source: TrafficSource): number {
  return source.observed.reduce((n, o) => n + o.flows, 0);
}

/** A source's bookmark and contents line: its name, what it is, and how much traffic. */
export function trafficSourceTitle(source: TrafficSource): string {
  return `${source.source.name} (${source.source.type === 'nic' ? `NIC in ${source.subnet.name}` : 'subnet'}): ${plural(flowsOf(source), 'flow')}`;
}

/** The sources drawn, in the result's (name) order: all, or the ones with the most flows past the cap. */
export function trafficSourcesShown(result: TrafficResult): readonly TrafficSource[] {
  if (result.sources.length <= MAX_TRAFFIC_SOURCES) return result.sources;
  const kept = new Set([...result.sources].sort((a, b) => flowsOf(b) - flowsOf(a)).slice(0, MAX_TRAFFIC_SOURCES));
  return result.sources.filter((s) => kept.has(s));
}

/** Where the log and the model contradict each other (the model-disagrees finding's rule, per row). */
export function disagrees(o: ObservedDestination): boolean {
  return (o.action === 'allow' && o.model === 'denied') || (o.action === 'deny' && o.model === 'allowed');
}

/** `2024-05-01 12:06:00` (UTC, said in the column header): fits the column where the ISO form wraps. */
function timeText(iso: string | null): string {
  return iso === null ? '-' : iso.replace('T', ' ').replace(/(\.\d+)?Z$/, '');
}

function seenText(first: string | null, last: string | null): string {
  if (first === null && last === null) return 'not logged';
  if (last === null || timeText(first) === timeText(last)) return timeText(first);
  return `${timeText(first)}\n${timeText(last)}`;
}

/** The rule as the log names it, with room to wrap between its parts (policy / group / collection / rule). */
function ruleText(o: ObservedDestination): string {
  if (o.rule === null) return o.action === 'deny' ? 'default action (no rule named)' : '-';
  return [o.rule.policy, o.rule.collectionGroup, o.rule.collection, o.rule.rule].filter((p): p is string => p !== null && p !== '').join(' / ');
}

/**
 * Line breaks where a long name or rule has natural ones (after `_ . / :`, else `-`), for a word wider than
 * the column: the table would otherwise cut it between any two characters (`UserRule_Deny-SMTP-Ou`).
 */
export function softWrap(ed: EvidenceDocument, text: string, width: number, size: number): string {
  ed.setFont('Sans', size);
  const fits = (t: string): boolean => ed.doc.widthOfString(t) <= width;
  return text.split('\n').map((paragraph) => paragraph.split(' ').map((word) => {
    const lines: string[] = [];
    let rest = word;
    while (!fits(rest)) {
      // After `_ . / :` first; after a hyphen only when nothing else fits (text extraction drops a hyphen that ends a line).
      const cutAfter = (separators: string): number => {
        let cut = -1;
        for (let i = 1; i < rest.length; i++) if (separators.includes(rest[i - 1] ?? '') && fits(rest.slice(0, i))) cut = i;
        return cut;
      };
      const preferred = cutAfter('_./:');
      const cut = preferred > 0 ? preferred : cutAfter('-');
      if (cut < 0) break;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    return [...lines, rest].join('\n');
  }).join(' ')).join('\n');
}

function portText(o: ObservedDestination): string {
  return o.port === null ? o.protocol : `${o.port}/${o.protocol}`;
}

function modelCell(o: ObservedDestination): TableCell {
  if (disagrees(o)) return { text: `${MODEL_LABEL[o.model]} (disagrees)`, color: SEVERITY_COLOR.warning, font: 'Sans-Bold' };
  return { text: MODEL_LABEL[o.model], color: MODEL_COLOR[o.model] };
}

function destinationsTable(ed: EvidenceDocument, source: TrafficSource): void {
  const w = ed.contentWidth;
  const shown = source.observed.slice(0, TOP_DESTINATIONS);
  // The seen column fits `2024-05-01 12:06:00` on one line at 7 pt; names and rules wrap at their own separators.
  const columns = [
    { header: 'Destination', width: w * 0.21 },
    { header: 'Port / protocol', width: w * 0.09 },
    { header: 'Action', width: w * 0.07 },
    { header: 'Flows', width: w * 0.06 },
    { header: 'Bytes', width: w * 0.08 },
    { header: 'First / last seen (UTC)', width: w * 0.18 },
    { header: 'Rule (from the log)', width: w * 0.20 },
    { header: 'Model', width: w * 0.11 },
  ] as const;
  const inner = (i: number): number => (columns[i]?.width ?? 0) - 2 * CELL_PAD;
  ed.table(columns, shown.map((o) => [
    softWrap(ed, o.destination, inner(0), 7),
    portText(o),
    o.action === 'deny' ? { text: 'deny', color: SEVERITY_COLOR.error, font: 'Sans-Bold' } : 'allow',
    o.flows.toLocaleString('en-US'),
    bytesText(o.bytes),
    seenText(o.firstSeen, o.lastSeen),
    softWrap(ed, ruleText(o), inner(6), 7),
    modelCell(o),
  ]), 7);
  if (source.observed.length > shown.length) {
    ed.paragraph(`… and ${plural(source.observed.length - shown.length, 'more destination')} (fewer flows); egress-atlas traffic --format json lists them all.`, { size: 7.5, color: COLORS.muted, gapAfter: 4 });
  }
}

function findingsTable(ed: EvidenceDocument, findings: readonly TrafficFinding[]): void {
  const w = ed.contentWidth;
  ed.table([
    // Wide enough for "WARNING" in bold on one line.
    { header: 'Severity', width: w * 0.12 },
    { header: 'Finding', width: w * 0.88 },
  ], findings.map((f) => [
    { text: f.severity.toUpperCase(), color: SEVERITY_COLOR[f.severity], font: 'Sans-Bold' },
    `${f.code}: ${f.message}`,
  ]), 7.5);
}

function unattributedTable(ed: EvidenceDocument, result: TrafficResult): void {
  const w = ed.contentWidth;
  ed.table([
    { header: 'Source IP', width: w * 0.17 },
    { header: 'Why unattributed', width: w * 0.22 },
    { header: 'Flows', width: w * 0.08 },
    { header: 'Bytes', width: w * 0.09 },
    { header: 'Destinations', width: w * 0.12 },
    { header: 'First / last seen (UTC)', width: w * 0.17 },
    { header: 'Logs', width: w * 0.15 },
  ], result.unattributed.map((u) => [
    u.sourceIp,
    u.reason === 'public' ? 'a public address (inbound, DNAT)' : 'a private address outside every modelled prefix',
    u.flows.toLocaleString('en-US'),
    bytesText(u.bytes),
    String(u.destinations),
    seenText(u.firstSeen, u.lastSeen),
    u.logs.join(', '),
  ]), 7);
}

function gapsTable(ed: EvidenceDocument, gaps: readonly Gap[]): void {
  const w = ed.contentWidth;
  ed.table([
    { header: 'Gap', width: w * 0.14 },
    { header: 'Where', width: w * 0.30, font: 'Mono' },
    { header: 'Why', width: w * 0.49 },
    { header: 'Count', width: w * 0.07 },
  ], gaps.map((g) => [g.code, g.scope, g.message, g.count === undefined ? '' : String(g.count)]), 7);
}

/**
 * The section: the window and how to read it, an overview (one row per source), each source's top
 * destinations, then findings, unattributed sources and the traffic's own gaps.
 */
export function writeTraffic(ed: EvidenceDocument, title: string, anchor: string, result: TrafficResult, options: { readonly selection: boolean }): void {
  ed.newPage();
  ed.heading(title, 0, { anchor });
  const window = `${result.window.from ?? 'the first record'} to ${result.window.to ?? 'the last record'}`;
  ed.paragraph(`What the firewall and flow logs say left, from ${window}. Each record is attributed by private IP to a NIC (any of its IP configurations) or else its subnet; `
    + 'per source, its destinations with the most flows. Action and rule are the log\'s; Model is what the configuration in this snapshot says about that destination from that source '
    + '(allowed, denied, or not modelled: ICMP, DNS questions, on-premises). "disagrees" marks a row where the log and the model contradict each other: drift since the snapshot, or a modelling gap.',
  { size: 8.5, color: COLORS.muted, gapAfter: 4 });
  if (options.selection) {
    ed.paragraph('Only the sources selected for this export are listed; unattributed sources and rule findings cover every log given.', { size: 8.5, color: COLORS.muted, gapAfter: 4 });
  }
  const flows = result.sources.reduce((n, s) => n + flowsOf(s), 0);
  const bySeverity = (['error', 'warning', 'info'] as const).map((s) => [s, result.findings.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
  ed.paragraph(`${plural(result.sources.length, 'source')}, ${plural(flows, 'attributed flow')}; ${plural(result.unattributed.length, 'unattributed source IP')}; `
    + `${plural(result.findings.length, 'finding')}${bySeverity.length > 0 ? ` (${bySeverity.map(([s, n]) => `${n} ${s}`).join(', ')})` : ''}.`,
  { font: 'Sans-Bold', size: 9, color: result.findings.some((f) => f.severity === 'error') ? SEVERITY_COLOR.error : COLORS.text, gapAfter: 6 });

  const shown = trafficSourcesShown(result);
  if (shown.length === 0) {
    ed.paragraph('No record was attributed to a NIC or subnet of this snapshot.', { size: 8.5, color: COLORS.muted, gapAfter: 6 });
  } else {
    const w = ed.contentWidth;
    ed.table([
      { header: 'Source', width: w * 0.30 },
      { header: 'Subnet', width: w * 0.24 },
      { header: 'Flows', width: w * 0.09 },
      { header: 'Destinations', width: w * 0.13 },
      { header: 'Denied flows', width: w * 0.12 },
      { header: 'Disagree', width: w * 0.12 },
    ], shown.map((s) => {
      const disagreeing = s.observed.filter(disagrees).length;
      return [
        `${s.source.name}${s.source.type === 'nic' ? ' (NIC)' : ''}`,
        s.subnet.name,
        flowsOf(s).toLocaleString('en-US'),
        String(s.observed.length),
        s.observed.filter((o) => o.action === 'deny').reduce((n, o) => n + o.flows, 0).toLocaleString('en-US'),
        disagreeing > 0 ? { text: String(disagreeing), color: SEVERITY_COLOR.warning, font: 'Sans-Bold' } : '0',
      ];
    }), 7.5);
    if (shown.length < result.sources.length) {
      ed.paragraph(`${plural(result.sources.length - shown.length, 'source')} with fewer flows are not listed here; egress-atlas traffic --format json lists them all.`, { size: 8, color: COLORS.muted, gapAfter: 4 });
    }
  }
  shown.forEach((source, i) => {
    // The heading, its two lines, the table header and a first row together: never a header alone at a page foot.
    ed.ensureSpace(150);
    ed.anchor(trafficSourceAnchor(i), trafficSourceTitle(source), 1);
    ed.heading(`${source.source.name}${source.source.type === 'nic' ? ` (NIC in ${source.subnet.name})` : ' (subnet)'}`, 2, { keepWith: 60 });
    ed.paragraph(`${plural(flowsOf(source), 'flow')} to ${plural(source.observed.length, 'destination')}${source.observed.length > TOP_DESTINATIONS ? `; the ${TOP_DESTINATIONS} with the most flows` : ''}.`, { size: 7.5, color: COLORS.muted, gapAfter: 1 });
    ed.paragraph(source.source.id, { font: 'Mono', size: 6, color: COLORS.muted, gapAfter: 3 });
    destinationsTable(ed, source);
  });

  ed.ensureSpace(80);
  ed.anchor('traffic-findings', `Traffic findings (${result.findings.length})`, 1);
  ed.heading(`Traffic findings (${result.findings.length})`, 1);
  if (result.findings.length === 0) ed.paragraph('None.', { size: 8.5, color: COLORS.muted, gapAfter: 6 });
  // Errors first (a deny control's observed-outside-policy), then warnings, then information; otherwise as analysed.
  else findingsTable(ed, [...result.findings].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]));

  ed.ensureSpace(80);
  ed.anchor('traffic-unattributed', `Unattributed sources (${result.unattributed.length})`, 1);
  ed.heading(`Unattributed sources (${result.unattributed.length})`, 1);
  ed.paragraph('Source IPs no NIC or subnet of the snapshot holds: listed, never dropped (inbound NAT from the internet, an address space the snapshot does not cover).', { size: 8, color: COLORS.muted });
  if (result.unattributed.length === 0) ed.paragraph('None.', { size: 8.5, color: COLORS.muted, gapAfter: 6 });
  else unattributedTable(ed, result);

  if (result.gaps.length > 0) {
    ed.ensureSpace(80);
    ed.anchor('traffic-gaps', `What the logs could not tell (${result.gaps.length})`, 1);
    ed.heading(`What the logs could not tell (${result.gaps.length})`, 1);
    ed.paragraph('Rows skipped while reading, and destinations a policy could not be judged against from the logs alone.', { size: 8, color: COLORS.muted });
    gapsTable(ed, result.gaps);
  }
}

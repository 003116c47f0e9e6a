/**
 * The "What this source can reach" block of each path section and the destinations-matrix
 * appendix. Both draw the answers of `computeReach` and `resolveMatrix` as they are; the words
 * and the row order come from reach-facts.ts.
 */
import type { MatrixResult, MatrixRow } from '../../shared/egress/matrix';
import {
  coversEveryPort, forcedTunnelListedText, nothingListedText, openingExceptions, privateEndpointReachText, reachDestinationText, unrestrictedOn, type ReachEntry,
} from '../../shared/egress/reach';
import { EXITS } from '../../shared/egress/types';
import { COLORS, type EvidenceDocument } from './evidence-document';
import { SEVERITY_COLOR, VERDICT_COLOR } from './palette';
import {
  columnChunks, matrixCounts, openEntry, plural, portsLabel, privateTargetLabel, REACH_KIND_LABEL, SHORT_VERDICT, verdictWithExit,
  type NicReach, type PathReach,
} from './reach-facts';

const INDENT = 10;
/** More columns than this make verdict cells too narrow to read on a portrait page. */
export const DESTINATIONS_PER_TABLE = 8;
/** The source column never gets narrower than this; a short list gives the spare width to the cells. */
const MIN_SOURCE_WIDTH = 140;
const MAX_CELL_WIDTH = 72;

function allowedTable(ed: EvidenceDocument, entries: readonly ReachEntry[]): void {
  const w = ed.contentWidth;
  ed.table([
    // Sized so "*.delivery.mp.microsoft.com", "Internet via NAT gateway" and a policy/collection
    // prefix each fit one line at 7 pt: rule names wrap at their slashes.
    { header: 'Kind', width: w * 0.09 },
    { header: 'Destination', width: w * 0.25, font: 'Mono' },
    { header: 'Ports', width: w * 0.10 },
    { header: 'Verdict', width: w * 0.21 },
    { header: 'Allowed by (rule)', width: w * 0.35, font: 'Mono' },
  ], entries.map((e) => [
    REACH_KIND_LABEL[e.kind],
    reachDestinationText(e),
    portsLabel(e),
    { text: verdictWithExit(e.verdict, e.exit), color: VERDICT_COLOR[e.verdict] },
    e.rule,
  ]), 7);
}

function privateTable(ed: EvidenceDocument, reach: PathReach['reach']): void {
  const entries = reach.private;
  if (entries.length === 0) {
    // Private endpoints are judged by the engine for this source: one it does not reach is not listed.
    ed.paragraph('Private reach: none (no service endpoint on the subnet; no private endpoint in its VNet or a peered VNet that its path reaches, or may reach, on TCP 443).', { size: 8, color: COLORS.muted, x: ed.left + INDENT, gapAfter: 4 });
    return;
  }
  ed.paragraph(`Private reach (${plural(entries.length, 'endpoint')})`, { font: 'Sans-Bold', size: 8.5, x: ed.left + INDENT, gapAfter: 2 });
  const w = ed.contentWidth;
  ed.table([
    { header: 'Kind', width: w * 0.12 },
    { header: 'FQDN or service', width: w * 0.26, font: 'Mono' },
    { header: 'Target', width: w * 0.29 },
    { header: 'Verdict', width: w * 0.33 },
  ], entries.map((e) => e.kind === 'private-endpoint'
    // A "may reach" entry (verdict Unknown) says so in its own words, never as reached.
    ? ['Private endpoint', e.value, e.target === '' ? 'target not recorded' : privateTargetLabel(e.target), { text: privateEndpointReachText(e), color: VERDICT_COLOR[e.verdict] }]
    : ['Service endpoint', e.value, `locations: ${e.target}`, `Configured on the subnet (its service's prefixes are not resolved)${e.note ? `; ${e.note}` : ''}`]), 7.5);
}

/**
 * How many entries the rules on the path allow, told apart from those the source "may reach": an
 * entry whose verdict is Unknown (a reach gap: the firewall resolves a name itself, an IP group the
 * input lacks) is neither allowed nor denied, so it is never counted among the destinations
 * "allowed". `noun` names what is counted: "public destination", "more entry".
 */
export function splitByKnown(entries: readonly ReachEntry[]): { readonly allowed: number; readonly mayReach: number } {
  const mayReach = entries.filter((e) => e.verdict === 'unknown').length;
  return { allowed: entries.length - mayReach, mayReach };
}

/** ", and 1 public destination it may reach (verdict Unknown: see the gaps)", or "" when there is none. */
function mayReachClause(mayReach: number, noun: string, nounPlural = `${noun}s`): string {
  return mayReach === 0 ? '' : `, and ${plural(mayReach, noun, nounPlural)} it may reach (verdict Unknown: see the gaps)`;
}

/** The "Also allowed" heading over the entries beside the one that opens a source. */
export function alsoAllowedText(entries: readonly ReachEntry[]): string {
  const { allowed, mayReach } = splitByKnown(entries);
  if (allowed === 0) return `Also ${plural(mayReach, 'more entry', 'more entries')} it may reach (verdict Unknown: see the gaps)`;
  return `Also allowed (${plural(allowed, 'more entry', 'more entries')})${mayReachClause(mayReach, 'more entry', 'more entries')}`;
}

/** "6 public destinations allowed by the rules on this path, and 1 public destination it may reach (…)". */
export function allowedCountText(entries: readonly ReachEntry[]): string {
  const { allowed, mayReach } = splitByKnown(entries);
  return `${plural(allowed, 'public destination')} allowed by the rules on this path${mayReachClause(mayReach, 'public destination')}`;
}

/**
 * "What this source can reach": unrestricted in one line, or the allowed destinations; then private reach.
 * `exceptions`: the names earlier deny rules keep out of the path (`exceptFqdns`), or null; an open
 * path with exceptions must not read "any public destination — no restriction".
 */
export function writeReachBlock(ed: EvidenceDocument, pathReach: PathReach | undefined, resourceName: (id: string) => string, exceptions: string | null = null): void {
  ed.ensureSpace(70);
  ed.paragraph('What this source can reach', { font: 'Sans-Bold', size: 9, gapAfter: 3 });
  const x = ed.left + INDENT;
  if (!pathReach) {
    // A source the default-route resolve does not list (it should not happen): say so, never guess.
    ed.paragraph('Not computed: the default-route resolve has no path for this source.', { size: 8, color: COLORS.muted, x, gapAfter: 4 });
    return;
  }
  const { reach, sameAsSubnet } = pathReach;
  if (sameAsSubnet !== null) {
    ed.paragraph(`As for its subnet ${sameAsSubnet}: this NIC's default route takes the subnet's path.`, { size: 8, color: COLORS.muted, x, gapAfter: 2 });
  }
  const open = openEntry(reach);
  const others = reach.allowed.filter((e) => e !== open);
  // The default path's exceptions, or, when another port opens the source, its opening entry's own.
  const excepted = openingExceptions(reach);
  const headlineExceptions = exceptions ?? (excepted.length > 0 ? excepted.join(', ') : null);
  if (reach.unrestricted) {
    // Every port and protocol of the entries that open it (TCP/UDP any port for a subnet no NSG narrows;
    // UDP 123 for an NTP rule on `*`): the opening entry is not in the table below, so this is where they are said.
    const on = unrestrictedOn(reach) ?? 'TCP 443';
    // "No restriction on this path" was said whenever the ports were TCP 443 (a relic of the headline
    // that always said TCP 443): for a firewall letting out TCP 443 alone, filed evidence then said it
    // restricts nothing. The headline speaks of its own ports only, and when they are not every port
    // it says what holds on the rest: the entries listed below (some may be Unknown, "may reach"), or
    // none at all.
    const otherPorts = open !== null && coversEveryPort(open) ? ''
      : others.length > 0 ? ' Other ports: only as listed below.' : ' Only on these ports: no other public destination is listed for this source.';
    const headline = headlineExceptions === null
      ? `Any public destination (${on}) — no restriction on these ports.${otherPorts}`
      : `Any public destination (${on}) except ${headlineExceptions}, which rules processed earlier deny.`;
    ed.paragraph(headline, { font: 'Sans-Bold', size: 8.5, color: SEVERITY_COLOR.warning, x, gapAfter: 2 });
    if (open) {
      const via = open.via.length > 0 ? ` through ${open.via.map(resourceName).join(' → ')}` : '';
      const ips = open.egressIps.length > 0 ? ` from ${open.egressIps.join(', ')}` : '';
      ed.paragraph(`Allowed by: ${open.rule}. Leaves${via}${open.exit === null ? '' : ` via ${EXITS[open.exit]}`}${ips}.`, { size: 8, x, gapAfter: 3 });
    }
    if (others.length > 0) {
      ed.paragraph(alsoAllowedText(others), { font: 'Sans-Bold', size: 8.5, x, gapAfter: 2 });
      allowedTable(ed, others);
    }
  } else if (others.length === 0) {
    // Nothing listed: what that means depends on how the default route ends (a forced tunnel is not
    // "nothing allowed", an undecided route is not a restriction).
    ed.paragraph(nothingListedText(reach.defaultRoute), { size: 8, x, gapAfter: 4 });
  } else if (reach.defaultRoute === 'unknown') {
    // An undecided default route is not a restriction: say what is not known, never "nothing is allowed".
    ed.paragraph(`Not known in full: the default route (0.0.0.0/0, TCP 443) could not be decided (see the gaps); the rules on this path allow ${plural(others.length, 'public destination')}, each with its own verdict:`, { size: 8, x, gapAfter: 3 });
    allowedTable(ed, others);
  } else if (reach.defaultRoute === 'on-premises') {
    // A forced tunnel with some destinations let out in Azure (a route or firewall rule of their own):
    // the rest goes on-premises, where what happens to it is not in the input.
    // The sentence is shared (shared/egress/reach.ts) so the app and the CLI say the same.
    ed.paragraph(forcedTunnelListedText(others), { size: 8, x, gapAfter: 3 });
    allowedTable(ed, others);
  } else {
    ed.paragraph(`Restricted: ${allowedCountText(others)}, each with the rule that allows it; any other public destination is not.`, { size: 8, x, gapAfter: 3 });
    allowedTable(ed, others);
  }
  // The subnet's whole list first (its private reach too): the NICs' entries are stated against it.
  privateTable(ed, reach);
  nicsBeyondSubnet(ed, pathReach.nics);
}

/**
 * NICs of this subnet that reach answers for on their own: they take the subnet's path on TCP 443,
 * but their NSG rules (their own NSG, a rule for their application security group) let out other
 * ports, so they reach more (or otherwise) than the subnet does [ASG].
 */
function nicsBeyondSubnet(ed: EvidenceDocument, nics: readonly NicReach[]): void {
  if (nics.length === 0) return;
  const x = ed.left + INDENT;
  ed.paragraph(`NICs in this subnet with reach of their own (${nics.length})`, { font: 'Sans-Bold', size: 8.5, x, gapAfter: 2 });
  ed.paragraph('They take this subnet\'s path on TCP 443, but their own NSG rules (their NIC\'s NSG, rules for their application security groups) treat other ports or private endpoints otherwise, or their own DNS servers answer private endpoint names. Each lists what it reaches that the subnet\'s list above does not, and the subnet\'s private endpoints it does not reach.', { size: 8, color: COLORS.muted, x, gapAfter: 3 });
  for (const { reach, beyondSubnet, endpoints } of nics) {
    ed.paragraph(`${reach.source.name}${reach.unrestricted ? ` — any public destination (${unrestrictedOn(reach) ?? 'TCP 443'})` : ''}`, { font: 'Mono', size: 8, x, gapAfter: 2 });
    if (beyondSubnet.length > 0) allowedTable(ed, beyondSubnet);
    else if (endpoints.own.length === 0 && endpoints.notReached.length === 0) ed.paragraph('Nothing beyond the subnet\'s list: on its other ports it reaches less than the subnet, or the same.', { size: 8, color: COLORS.muted, x, gapAfter: 3 });
    if (endpoints.own.length > 0) privateTable(ed, { ...reach, private: endpoints.own });
    if (endpoints.notReached.length > 0) {
      ed.paragraph(`Not reached from this NIC (an NSG rule that applies to it and not to the subnet's other NICs stops it): ${endpoints.notReached.map((e) => e.value).join('; ')}`, { size: 8, x, gapAfter: 3 });
    }
  }
}

/**
 * The destinations matrix: sources down, numbered destinations across, the verdict as a word in
 * every cell (colour only repeats it). At most `DESTINATIONS_PER_TABLE` columns per table, each
 * table preceded by the key to its numbers; rows paginate with the header repeated.
 */
export function writeMatrixAppendix(
  ed: EvidenceDocument, title: string, anchor: string, matrix: MatrixResult, rows: readonly MatrixRow[], labels: readonly string[],
): void {
  ed.newPage();
  ed.heading(title, 0, { anchor });
  const count = matrix.destinations.length;
  ed.paragraph(`${plural(rows.length, 'source')} × ${plural(count, 'destination')} from the destinations list given at export. Each cell is the engine's verdict for that source and destination, evaluated like a single what-if (routes, NSGs, firewall rules, name resolution); columns are numbered, and the table above each grid says what each number stands for and how it was read.`, { size: 8.5, color: COLORS.muted, gapAfter: 4 });
  const counts = matrixCounts(rows);
  ed.paragraph(`Cells: ${counts.length === 0 ? 'none' : counts.map(([v, n]) => `${n.toLocaleString('en-US')} ${SHORT_VERDICT[v].toLowerCase()}`).join(', ')}.`, { size: 8.5, gapAfter: 6 });
  const w = ed.contentWidth;
  const chunks = columnChunks(count, DESTINATIONS_PER_TABLE);
  for (const [start, end] of chunks) {
    ed.heading(chunks.length === 1 ? (count === 1 ? 'Destination' : 'Destinations') : `Destinations ${start + 1}–${end} of ${count}`, 2, { keepWith: 80 });
    ed.table([
      { header: '#', width: w * 0.06 },
      { header: 'Destination', width: w * 0.27, font: 'Mono' },
      { header: 'Label', width: w * 0.18 },
      { header: 'Read as', width: w * 0.49 },
    ], matrix.destinations.slice(start, end).map((d, i) => [`[${start + i + 1}]`, d.destination, d.label ?? '', d.interpretation]), 7.5);
    if (rows.length === 0) {
      ed.paragraph('No source of this export is in the matrix.', { size: 8.5, color: COLORS.muted });
      continue;
    }
    ed.y += 4;
    const columns = end - start;
    const cellWidth = Math.min(MAX_CELL_WIDTH, (w - MIN_SOURCE_WIDTH) / columns);
    ed.table([
      { header: 'Source', width: w - columns * cellWidth },
      ...Array.from({ length: columns }, (_, i) => ({ header: `[${start + i + 1}]`, width: cellWidth })),
    ], rows.map((row, r) => [
      labels[r] ?? row.source.name,
      ...row.results.slice(start, end).map((c) => ({ text: SHORT_VERDICT[c.verdict], color: VERDICT_COLOR[c.verdict] })),
    ]), 7);
  }
}

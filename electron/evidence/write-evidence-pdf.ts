/**
 * The evidence PDF: cover, contents, summary, controls (when a policy was checked), gaps, diagrams,
 * one section per path, appendices.
 * One writer for the main process and the CLI. It renders the resolver's `ResolveResult` as is:
 * verdicts, hops, rules and findings are never recomputed here. What each source can reach, and
 * the optional destinations matrix, are asked of the shared engine once per export.
 */
import type { EgressPath, Finding, Hop } from '../../shared/egress/types';
import { resolveMatrix, type MatrixResult, type MatrixRow } from '../../shared/egress/matrix';
import { computeReach, type ReachResult } from '../../shared/egress/reach';
import type { Gap } from '../../shared/model/gaps';
import { nameFromResourceId } from '../../shared/model/ids';
import type { Snapshot, SnapshotInputFile } from '../../shared/model/snapshot';
import type { CheckResult } from '../../shared/policy/types';
import { buildDiagramSheets, type DiagramSheets } from './diagram-sheets';
import { drawDiagramPage, shortenedTexts } from './draw-diagram';
import { COLORS, EvidenceDocument, PAGE, type TableCell, type TableColumn } from './evidence-document';
import {
  allFindings, citedResourceIds, describeDestination, describeSource, exceptionsOf, exitLabel, findOwningResource,
  hopKindLabel, indexResources, inSelection, mergeGaps, metricsForPath, ownerTagsForHop, routesInScope, scopeResourceGroups, selectPaths,
  summarize, undecidedBecause, verdictLabel, SEVERITIES, VERDICTS, type ResourceIndex, type SourceLine,
} from './facts';
import { SEVERITY_COLOR, VERDICT_COLOR } from './palette';
import { additionalGaps, matrixRowLabels, matrixRowsInScope, plural, reachByPath, reachScope, sourceKey, type PathReach } from './reach-facts';
import { writeMatrixAppendix, writeReachBlock } from './write-reach';
import { controlAnchor, controlTocTitle, writeControls } from './write-controls';
import { trafficSourceAnchor, trafficSourcesShown, trafficSourceTitle, writeTraffic } from './write-traffic';
import { costInScope, writeCost } from './write-cost';
import type { TrafficResult } from '../../shared/traffic/types';
import type { EvidenceInput } from './types';
import { explainPath } from '../../shared/egress/explain';
import { snatCapacityOf, snatPortsText } from '../../shared/egress/outbound';

const TOC_LINE = 12;
const MAX_COVER_LIST = 6;

/** Top-level sections that always get a bookmark and a contents line. */
const SECTIONS = {
  summary: 'Summary',
  controls: 'Controls',
  traffic: 'Observed destinations',
  cost: 'Cost by owner',
  gaps: 'Gaps: what could not be read or modelled',
  diagrams: 'Path diagrams',
  paths: 'Egress paths',
  routes: 'Appendix A: captured effective routes',
  ids: 'Appendix B: resource IDs cited',
  matrix: 'Appendix C: destinations matrix',
} as const;

/** The engine's answers to the questions beyond `result`, computed once per export. */
interface Extras {
  readonly reach: ReadonlyMap<string, PathReach>;
  /** Gaps the reach and matrix resolves met that the snapshot and `result` do not already list. */
  readonly gaps: readonly Gap[];
  readonly matrix: { readonly result: MatrixResult; readonly rows: readonly MatrixRow[]; readonly labels: readonly string[] } | null;
}

function computeExtras(input: EvidenceInput, paths: readonly EgressPath[], knownGaps: readonly Gap[]): Extras {
  const { snapshot } = input;
  const resolve = input.resolve ?? {};
  // One reach computation for every path in scope: each candidate destination is one resolve of
  // the estate, shared by all sources.
  const reach: ReachResult = computeReach(snapshot, { resolve, source: reachScope(paths, snapshot.model) });
  const list = input.destinations ?? [];
  let matrix: Extras['matrix'] = null;
  if (list.length > 0) {
    const result = resolveMatrix(snapshot, list, { resolve });
    const rows = matrixRowsInScope(result, paths, snapshot.model, inSelection(snapshot.model, input.selection));
    matrix = { result, rows, labels: matrixRowLabels(rows, snapshot.model) };
  }
  return {
    reach: reachByPath(reach, paths, snapshot.model),
    gaps: additionalGaps(knownGaps, reach.gaps, matrix?.result.gaps ?? []),
    matrix,
  };
}

function listOrNone(items: readonly string[], limit = MAX_COVER_LIST): string {
  if (items.length === 0) return 'none';
  const shown = items.slice(0, limit).join(', ');
  return items.length > limit ? `${shown} … and ${items.length - limit} more` : shown;
}

/** The cover's line for a checked policy: the file and how its controls came out. */
function policyLine(check: CheckResult): TableCell | string {
  const s = check.summary;
  const text = `${check.policy}: ${plural(s.controls, 'control')}, ${s.passed} pass, ${s.failed} fail, ${s.notApplicable} not applicable (see "${SECTIONS.controls}")`;
  return s.denyFailed.length > 0 ? { text, color: SEVERITY_COLOR.error } : text;
}

/** The cover's line for observed traffic: the window and how much of it, pointing to the section. */
function trafficLine(traffic: TrafficResult): string {
  const flows = traffic.sources.reduce((n, s) => n + s.observed.reduce((m, o) => m + o.flows, 0), 0);
  return `${traffic.window.from ?? '?'} to ${traffic.window.to ?? '?'}: ${plural(traffic.sources.length, 'source')}, ${plural(flows, 'attributed flow')}, `
    + `${plural(traffic.unattributed.length, 'unattributed source IP')}, ${plural(traffic.findings.length, 'finding')} (see "${SECTIONS.traffic}")`;
}

/**
 * The traffic as this export shows it: with a selection, only the selected sources (and the findings
 * about them; rule findings and unattributed sources stay); gaps the Gaps section already lists are
 * left out (the default-route resolve's).
 */
function trafficInScope(traffic: TrafficResult, input: EvidenceInput, knownGaps: readonly Gap[]): TrafficResult {
  const known = new Set(knownGaps.map((g) => `${g.code}|${g.scope}|${g.message}`));
  const selected = inSelection(input.snapshot.model, input.selection);
  const sources = traffic.sources.filter((s) => selected({ type: s.source.type, id: s.source.id, name: s.source.name } as Parameters<typeof selected>[0]));
  const all = new Set(traffic.sources.map((s) => s.source.id));
  const kept = new Set(sources.map((s) => s.source.id));
  return {
    ...traffic,
    sources,
    findings: traffic.findings.filter((f) => !all.has(f.subject) || kept.has(f.subject)),
    gaps: traffic.gaps.filter((g) => !known.has(`${g.code}|${g.scope}|${g.message}`)),
  };
}

function pathTitle(path: EgressPath): string {
  return `${path.source.name} (${path.source.type === 'nic' ? 'NIC exception' : 'subnet'}): ${verdictLabel(path.verdict)}`;
}


/**
 * Said on the cover, where the hashes are cited, because a hash is easily taken for more than it
 * is: it shows that a file is unchanged and which content it holds, not who made it.
 */
const HASHES_NOTE = 'The snapshot SHA-256 is over the snapshot\'s canonical JSON (keys sorted, no whitespace; every member but the two hashes), '
  // Not over the file's bytes: `sha256sum snap.json` prints another value, and an auditor comparing
  // the two must be told why (README "Snapshot format"). Loading a snapshot recomputes and checks it.
  + 'not the file\'s bytes: sha256sum of the file prints another value; loading a snapshot recomputes it and refuses a mismatch. '
  + 'The content SHA-256 (only the model, effective routes, metrics and service tags) is the same for the same input files whenever they are captured. '
  + 'Input files are hashed byte for byte as read (what sha256sum prints). '
  + 'A SHA-256 detects accidental change and identifies content. It is not a signature: whoever edits a file can compute a new one. '
  + 'To show who produced a snapshot or this PDF, sign it with --sign KEY.pem (egress-atlas snapshot or report) and check the signature with '
  + 'egress-atlas verify FILE --public-key KEY.pub.pem.';

/**
 * The files the cover lists: those the snapshot was built from (`metadata.inputs`), else those the
 * caller read to get it (a snapshot file given as is records no inputs of its own).
 */
function coverInputs(input: EvidenceInput): { readonly files: readonly SnapshotInputFile[]; readonly readForExport: boolean } {
  const recorded = input.snapshot.metadata.inputs ?? [];
  if (recorded.length > 0 || input.readFiles === undefined || input.readFiles.length === 0) return { files: recorded, readForExport: false };
  return { files: input.readFiles, readForExport: true };
}

/** The cover's summary of the input files, pointing to the appendix when they do not all fit. */
function inputFilesLine(inputs: readonly SnapshotInputFile[], readForExport: boolean, appendix: string | null): string {
  // "none recorded" must not read as "no file was read": a snapshot file read as is is identified
  // by the snapshot SHA-256 above (canonical JSON), not by a file hash, unless the caller passed it.
  if (inputs.length === 0) return 'none recorded (a live pull, a demo, or a snapshot file read as is, which records none)';
  const listed = readForExport
    ? `${plural(inputs.length, 'file')} read for this export (the snapshot records no input files of its own): name, size and SHA-256 of the bytes read`
    : `${plural(inputs.length, 'file')}: name, size and SHA-256 of the bytes read`;
  return appendix === null ? listed : `${listed}; the first ${MAX_COVER_LIST} below, all in "${appendix}"`;
}

/** One input file: name and size, then its SHA-256 on a line of its own (a hash is never wrapped mid-way). */
function inputFileLines(ed: EvidenceDocument, file: SnapshotInputFile, x: number): void {
  ed.paragraph(`${file.name} (${file.size.toLocaleString('en-US')} bytes)`, { size: 8, x, gapAfter: 0.5 });
  ed.paragraph(file.sha256, { font: 'Mono', size: 7, x: x + 8, color: COLORS.muted, gapAfter: 2 });
}

function writeInputFiles(ed: EvidenceDocument, title: string, inputs: readonly SnapshotInputFile[], readForExport: boolean): void {
  ed.newPage();
  ed.heading(title, 0, { anchor: 'inputs' });
  ed.paragraph(`${readForExport ? 'The files read for this export' : 'The files the snapshot was built from'}, as read: name, size in bytes and SHA-256 of the bytes.`, { size: 8.5, color: COLORS.muted });
  for (const file of inputs) inputFileLines(ed, file, ed.left);
}

/** The input files appendix's title when the cover cannot list them all, else null. */
function inputsAppendixTitle(input: EvidenceInput, hasMatrix: boolean): string | null {
  const count = coverInputs(input).files.length;
  // Lettered after the appendices before it: C when there is no destinations matrix.
  return count > MAX_COVER_LIST ? `Appendix ${hasMatrix ? 'D' : 'C'}: input files` : null;
}

/**
 * The cover's gap count: every gap the Gaps section lists, those the reach and matrix resolves met
 * included (`extraGaps`), so the cover never states fewer than the document holds.
 */
function writeCover(
  ed: EvidenceDocument, input: EvidenceInput, paths: readonly EgressPath[], gaps: readonly Gap[], extraGaps: readonly Gap[], trafficGaps: number, inputsAppendix: string | null,
): void {
  const { snapshot, result, selection } = input;
  const meta = snapshot.metadata;
  const inputs = coverInputs(input);
  const allGaps = [...gaps, ...extraGaps];
  ed.newPage();
  ed.y = 90;
  ed.drawText('Egress evidence', ed.left, ed.y, { font: 'Sans-Bold', size: 26, color: COLORS.accent });
  ed.y += 36;
  ed.drawText('Where internet-bound traffic leaves Azure, through what, out of which public IPs, and why.', ed.left, ed.y, { size: 10.5, color: COLORS.muted, width: ed.contentWidth });
  ed.y += 34;
  const subnets = paths.filter((p) => p.source.type === 'subnet').length;
  const nics = paths.length - subnets;
  const groups = scopeResourceGroups(paths);
  ed.keyValues([
    ['Tenant', meta.scope.tenantId ?? 'not recorded'],
    ['Subscriptions', listOrNone(meta.scope.subscriptionIds)],
    ['Management group', meta.scope.managementGroupId ?? 'none'],
    ['Cloud', meta.scope.cloud ?? 'not recorded'],
    ['Resource groups', `${groups.length}: ${listOrNone(groups)}`],
    ['Sources in this export', selection
      ? `Selected: ${listOrNone(paths.map((p) => p.source.name), 12)} (${plural(subnets, 'subnet')}, ${plural(nics, 'NIC exception')})`
      : `Whole estate: ${plural(subnets, 'subnet')}, ${plural(nics, 'NIC exception')}`],
    ['Destination evaluated', describeDestination(result.destination)],
    ...(input.destinations && input.destinations.length > 0
      ? [['Destinations list', `${plural(input.destinations.length, 'destination')}, every source against each in "${SECTIONS.matrix}"`] as const]
      : []),
    ...(input.check ? [['Policy checked', policyLine(input.check)] as const] : []),
    ...(input.traffic ? [['Observed traffic', trafficLine(input.traffic)] as const] : []),
  ], 130, 9.5);
  ed.y += 10;
  ed.keyValues([
    ['Data captured at', meta.capturedAt],
    ['Captured by', `${describeSource(meta.source)}${meta.capturedBy ? ` by ${meta.capturedBy}` : ''}${meta.origin.length > 0 ? ` (${listOrNone(meta.origin)})` : ''}`],
    ['Tool version', `Egress Atlas ${meta.toolVersion}`],
    ['Snapshot SHA-256', { text: snapshot.sha256, font: 'Mono' }],
    ['Content SHA-256', snapshot.contentSha256 === undefined ? 'not recorded' : { text: snapshot.contentSha256, font: 'Mono' }],
    ['Input files', inputFilesLine(inputs.files, inputs.readForExport, inputsAppendix)],
  ], 130, 9.5);
  for (const file of inputs.files.slice(0, MAX_COVER_LIST)) inputFileLines(ed, file, ed.left + 130);
  ed.y += 4;
  ed.paragraph(HASHES_NOTE, { size: 8, x: ed.left + 130, color: COLORS.muted });
  ed.y += 10;
  ed.keyValues([
    ['Exported by', input.exportedBy],
    ['Exported at', input.exportedAt.toISOString()],
    ['Gaps', allGaps.length === 0 ? 'none: everything in scope was read and modelled' : { text: gapsLine(gaps, extraGaps, (input.destinations ?? []).length > 0), color: SEVERITY_COLOR.warning }],
    // What the logs could not tell is listed in its own section: counted here too, apart.
    ...(trafficGaps > 0 ? [['Log gaps', `${trafficGaps} (listed under "${SECTIONS.traffic}")`] as const] : []),
  ], 130, 9.5);
  const closing = 'This document renders the resolver output for the snapshot identified above. Every verdict cites the rule that decided each hop, a Microsoft Learn reference and a read-only az command that shows the same evidence in Azure. Re-running the export on the same snapshot, options and export time gives a byte-identical file.';
  // The cover is one page: gaps are listed while they fit above the closing paragraph; the count
  // above says how many there are, and the Gaps section lists them all.
  const reserve = 18 + ed.measure(closing, { size: 8.5, width: ed.contentWidth }) + 14;
  const gapWidth = ed.contentWidth - 130;
  let shown = 0;
  for (const gap of allGaps.slice(0, MAX_COVER_LIST)) {
    const text = `${gap.code}${gap.count === undefined ? '' : ` (${gap.count})`}: ${gap.message} (${gap.scope})`;
    if (ed.y + ed.measure(text, { size: 8, width: gapWidth }) + 1.5 + reserve > ed.bottom) break;
    ed.paragraph(text, { size: 8, x: ed.left + 130, color: COLORS.muted, gapAfter: 1.5 });
    shown += 1;
  }
  if (allGaps.length > shown) ed.paragraph(`… and ${allGaps.length - shown} more under "${SECTIONS.gaps}"`, { size: 8, x: ed.left + 130, color: COLORS.muted });
  ed.y += 18;
  ed.paragraph(closing, { size: 8.5, color: COLORS.muted });
}

/** "2 (all listed under "Gaps: …"; 1 of them met while checking what sources can reach)". */
function gapsLine(gaps: readonly Gap[], extraGaps: readonly Gap[], withDestinations: boolean): string {
  const total = gaps.length + extraGaps.length;
  const where = `met while checking what sources can reach${withDestinations ? ' and the destinations list' : ''}`;
  const extra = extraGaps.length === 0 ? '' : `; ${gaps.length === 0 ? (extraGaps.length === 1 ? 'it was' : 'all were') : `${extraGaps.length} of them`} ${where}`;
  return `${total} (all listed under "${SECTIONS.gaps}"${extra})`;
}

interface TocItem {
  readonly destination: string;
  readonly title: string;
  readonly level: number;
}

/** Contents pages, written before the sections exist: page numbers are filled in at the end. */
function writeContents(ed: EvidenceDocument, items: readonly TocItem[]): void {
  ed.newPage();
  ed.doc.outline.addItem('Contents');
  ed.drawText('Contents', ed.left, ed.y, { font: 'Sans-Bold', size: 17, color: COLORS.accent });
  let y = ed.y + 40;
  for (const item of items) {
    if (y + TOC_LINE > ed.bottom) {
      ed.newPage();
      y = ed.y;
    }
    ed.tocLine(item.destination, item.title, item.level, y);
    y += TOC_LINE;
  }
}

function sourceTable(ed: EvidenceDocument, lines: readonly SourceLine[], detailHeader: string): void {
  if (lines.length === 0) {
    ed.paragraph('None.', { size: 8.5, color: COLORS.muted, gapAfter: 6 });
    return;
  }
  const w = ed.contentWidth;
  ed.table([
    { header: 'Source', width: w * 0.3 },
    { header: 'Type', width: w * 0.1 },
    { header: detailHeader, width: w * 0.6 },
  ], lines.map((l) => [l.name, l.type === 'nic' ? 'NIC' : 'subnet', l.detail]));
}

function findingsTable(ed: EvidenceDocument, findings: readonly Finding[]): void {
  const w = ed.contentWidth;
  ed.table([
    // Wide enough for "WARNING" in bold on one line.
    { header: 'Severity', width: w * 0.13 },
    { header: 'Finding', width: w * 0.45 },
    { header: 'Advice', width: w * 0.42 },
  ], findings.map((f) => [
    { text: f.severity.toUpperCase(), color: SEVERITY_COLOR[f.severity], font: 'Sans-Bold' },
    `${f.code}: ${f.message}`,
    f.advice ?? '',
  ]));
}

function writeSummary(ed: EvidenceDocument, input: EvidenceInput, paths: readonly EgressPath[]): void {
  const summary = summarize(paths, input.result);
  ed.newPage();
  ed.heading(SECTIONS.summary, 0, { anchor: 'summary' });
  ed.paragraph(`${plural(summary.pathCount, 'path')} evaluated for ${describeDestination(input.result.destination).toLowerCase()}.`, { size: 9, gapAfter: 8 });
  const half = (ed.contentWidth - 20) / 2;
  const top = ed.y;
  const cols: readonly TableColumn[] = [{ header: 'Verdict', width: half * 0.7 }, { header: 'Paths', width: half * 0.3 }];
  ed.table(cols, VERDICTS.map((v) => [{ text: verdictLabel(v), color: VERDICT_COLOR[v] }, String(summary.verdictCounts.get(v) ?? 0)]), 8.5);
  const leftBottom = ed.y;
  ed.y = top;
  const savedLeft = ed.doc.x;
  // The severity table sits beside the verdict table.
  const offset = half + 20;
  const sevRows = SEVERITIES.map((s) => [s, String(summary.severityCounts.get(s) ?? 0)] as const);
  ed.drawText('Findings by severity', ed.left + offset, ed.y - 1, { font: 'Sans-Bold', size: 8.5, width: half * 0.7 });
  ed.drawText('Count', ed.left + offset + half * 0.7, ed.y - 1, { font: 'Sans-Bold', size: 8.5, width: half * 0.3 });
  let y = ed.y + 14;
  for (const [severity, count] of sevRows) {
    ed.drawText(severity.toUpperCase(), ed.left + offset + 3, y, { font: 'Sans-Bold', size: 8.5, color: SEVERITY_COLOR[severity] });
    ed.drawText(count, ed.left + offset + half * 0.7 + 3, y, { size: 8.5 });
    y += 14;
  }
  ed.doc.x = savedLeft;
  ed.y = Math.max(leftBottom, y) + 6;

  ed.heading(`Reach the internet without inspection (${summary.uninspected.length})`, 1);
  ed.paragraph('No Azure Firewall, network virtual appliance or internal load balancer is on the path: traffic leaves unfiltered.', { size: 8, color: COLORS.muted });
  sourceTable(ed, summary.uninspected, 'Exit and egress IPs');
  ed.heading(`On default outbound access (${summary.defaultOutbound.length})`, 1);
  ed.paragraph('Azure picks the public IP; it is not owned by you and can change. New VNets get private subnets by default after 31 March 2026.', { size: 8, color: COLORS.muted });
  sourceTable(ed, summary.defaultOutbound, 'Egress IPs');
  ed.heading(`No way out (${summary.noOutbound.length})`, 1);
  sourceTable(ed, summary.noOutbound, 'Why');
  // Unknown paths are in none of the lists above: without their own list, "None." there reads as a pass.
  ed.heading(`Not decided: a fact is missing (${summary.undecided.length})`, 1);
  ed.paragraph('These paths may reach the internet, with or without inspection; the lists above cannot include or exclude them until the missing fact is captured.', { size: 8, color: COLORS.muted });
  sourceTable(ed, summary.undecided, 'What is missing');
  const estate = input.result.findings;
  ed.heading(`Estate-level findings (${estate.length})`, 1);
  if (estate.length === 0) ed.paragraph('None.', { size: 8.5, color: COLORS.muted });
  else findingsTable(ed, estate);
  const total = allFindings(paths, input.result).length;
  ed.paragraph(`${plural(total, 'finding')} in all; path findings are listed in each path's section.`, { size: 8, color: COLORS.muted });
}

function gapTable(ed: EvidenceDocument, gaps: readonly Gap[]): void {
  const w = ed.contentWidth;
  ed.table([
    { header: 'Gap', width: w * 0.17 },
    { header: 'Scope', width: w * 0.38, font: 'Mono' },
    { header: 'Why', width: w * 0.37 },
    { header: 'Count', width: w * 0.08 },
  ], gaps.map((g) => [g.code, g.scope, g.message, g.count === undefined ? '' : String(g.count)]), 7.5);
}

function writeGaps(ed: EvidenceDocument, snapshot: Snapshot, input: EvidenceInput, extraGaps: readonly Gap[]): void {
  const gaps = mergeGaps(snapshot, input.result);
  ed.heading(SECTIONS.gaps, 0, { anchor: 'gaps' });
  if (gaps.length === 0) {
    ed.paragraph('None: every resource in scope was read and modelled.', { size: 9 });
  } else {
    ed.paragraph('A result is only as complete as what could be read. These items were not read or not modelled; paths that depend on them may be incomplete.', { size: 8.5, color: COLORS.muted });
    gapTable(ed, gaps);
  }
  if (extraGaps.length === 0) return;
  // Kept apart from the gaps above: they qualify the reach and matrix answers, not the paths' verdicts.
  ed.heading(`Met while checking what sources can reach${input.destinations && input.destinations.length > 0 ? ' and the destinations list' : ''} (${extraGaps.length})`, 1);
  ed.paragraph('Reach entries and matrix cells that depend on these show the verdict Unknown, or hold only under the stated condition.', { size: 8.5, color: COLORS.muted });
  gapTable(ed, extraGaps);
}

/** The page after the diagrams that gives in full every name a diagram page draws cut short. */
const DIAGRAM_KEY = 'Diagram key: names shortened';

function writeDiagrams(ed: EvidenceDocument, plan: DiagramSheets, shortened: readonly (readonly string[])[]): void {
  plan.sheets.forEach(({ layout, page }, i) => {
    ed.newPage('landscape');
    if (i === 0) ed.anchor('diagrams', SECTIONS.diagrams, 0);
    ed.anchor(`diagram-${i + 1}`, `Diagram: ${page.title}`, 1);
    ed.drawText(`Diagram: ${page.title}`, ed.left, PAGE.marginTop - 14, { font: 'Sans-Bold', size: 13, color: COLORS.accent, width: ed.contentWidth, height: 18 });
    const cut = (shortened[i] ?? []).length > 0 ? ` Names ending in … are given in full under "${DIAGRAM_KEY}".` : '';
    const caption = i === 0 && !page.showLabels
      ? `The whole estate at ${Math.round(page.scale * 100)}%: too small for labels, which are on the per-VNet pages that follow.`
      : `Scale ${Math.round(page.scale * 100)}%. Boxes are coloured by verdict; arrows follow the path from the source to its exit.${cut}`;
    drawDiagramPage(ed, layout, page, caption);
  });
  // The key promises "the diagram page that shows it": the title alone names a VNet that may span
  // several parts, so each row gives the page number too (every diagram page is written above, so
  // its anchor's page is already known).
  const rows = plan.sheets.flatMap(({ page }, i) => (shortened[i] ?? []).map((name) => [page.title, String(ed.anchorPages.get(`diagram-${i + 1}`) ?? '?'), name]));
  if (rows.length > 0) {
    ed.newPage();
    ed.anchor('diagram-key', DIAGRAM_KEY, 1);
    ed.heading(DIAGRAM_KEY, 1);
    ed.paragraph('Names too long for their box are drawn cut short, ending in "…". Each is given here in full, with the diagram page that shows it.', { size: 8.5, color: COLORS.muted, gapAfter: 4 });
    const w = ed.contentWidth;
    ed.table([{ header: 'Diagram', width: w * 0.3 }, { header: 'Page', width: w * 0.07 }, { header: 'Full name', width: w * 0.63, font: 'Mono' }], rows, 7.5);
  }
  if (plan.omittedGroups.length > 0) {
    ed.newPage();
    ed.paragraph(`${plan.omittedGroups.length} virtual networks are not drawn on their own page (page cap): ${listOrNone(plan.omittedGroups, 30)}. Each of their paths has its own section below.`, { size: 9 });
  }
}

function resourceLabel(index: ResourceIndex, id: string): string {
  const resource = findOwningResource(index, id);
  return resource ? resource.name : nameFromResourceId(id);
}

function hopBlock(ed: EvidenceDocument, hop: Hop, n: number, index: ResourceIndex, kindLabel: string): void {
  const resource = findOwningResource(index, hop.id);
  const tags = ownerTagsForHop(index, hop.id);
  const labelW = 56;
  const x = ed.left + 10;
  const valueW = ed.contentWidth - 10 - labelW;
  const title = `${n}. ${kindLabel} · ${resource ? resource.name : hop.id}`;
  const rows: readonly { readonly label: string; readonly text: string; readonly font: 'Sans' | 'Mono'; readonly size: number; readonly link?: string }[] = [
    { label: 'Rule', text: hop.rule, font: 'Mono', size: 7.5 },
    { label: 'Why', text: hop.explanation, font: 'Sans', size: 8 },
    ...(hop.docs ? [{ label: 'Docs', text: hop.docs, font: 'Sans' as const, size: 7.5, link: hop.docs }] : []),
    ...(hop.verify ? [{ label: 'Verify', text: hop.verify, font: 'Mono' as const, size: 7 }] : []),
    // Pseudo-hops (`internet`, `default-outbound`) have no Azure resource, hence no tags. The full
    // resource ID is in the az command and in Appendix B.
    ...(hop.id.startsWith('/') ? [
      { label: 'Owner', text: `${tags.owner ?? 'no owner tag'} · cost centre: ${tags.costCentre ?? 'no cost-centre tag'}${tags.inheritedFrom ? ` (tags of ${tags.inheritedFrom})` : ''}`, font: 'Sans' as const, size: 8 },
    ] : []),
  ];
  const titleH = ed.measure(title, { font: 'Sans-Bold', size: 8.5, width: ed.contentWidth - 10 });
  const heights = rows.map((r) => ed.measure(r.text, { font: r.font, size: r.size, width: valueW }));
  const total = titleH + 3 + heights.reduce((s, h) => s + h + 2, 0);
  ed.ensureSpace(total + 4);
  const top = ed.y;
  ed.drawText(title, x, ed.y, { font: 'Sans-Bold', size: 8.5, width: ed.contentWidth - 10 });
  ed.y += titleH + 3;
  rows.forEach((r, i) => {
    ed.drawText(r.label, x, ed.y + 0.5, { font: 'Sans-Bold', size: 7, color: COLORS.muted, width: labelW - 4 });
    ed.drawText(r.text, x + labelW, ed.y, { font: r.font, size: r.size, width: valueW, link: r.link });
    ed.y += (heights[i] ?? 0) + 2;
  });
  ed.doc.moveTo(ed.left + 3, top).lineTo(ed.left + 3, ed.y - 2).lineWidth(1.5).strokeColor(COLORS.rule).stroke();
  ed.y += 5;
}

/**
 * A firewall's count is a floor (two instances; the instance count is not in the input), and an
 * instance-level public IP uses no SNAT at all ("stateless 1:1 NAT", every ephemeral port) [LBOUT].
 */
function snatPortsCell(path: EgressPath): string {
  const capacity = snatCapacityOf(path);
  switch (capacity.kind) {
    case 'ports': return `${snatPortsText(path, '')} available to this source${capacity.atLeast ? ' (2,496 per public IP per firewall instance, two instances at minimum: the instance count is not in the input)' : ''}`;
    case 'no-snat': return 'no SNAT (instance public IP): a stateless 1:1 NAT with every ephemeral port';
    case 'unknown': return 'not known';
  }
}

function writePath(ed: EvidenceDocument, path: EgressPath, n: number, snapshot: Snapshot, index: ResourceIndex, reach: PathReach | undefined): void {
  ed.heading(pathTitle(path), 1, { keepWith: 90, anchor: `path-${n}` });
  const metrics = metricsForPath(path, snapshot.metrics);
  const via = path.via.map((v) => resourceLabel(index, v.id));
  ed.keyValues([
    ['Verdict', { text: `${verdictLabel(path.verdict)}${path.exit ? ` via ${exitLabel(path)}` : ''}`, color: VERDICT_COLOR[path.verdict], font: 'Sans-Bold' }],
    // An unknown verdict names its missing fact right under it: the hop that says so can be pages below.
    ...(path.verdict === 'unknown' ? [['Why unknown', undecidedBecause(path)] as const] : []),
    ['Source', { text: path.source.id, font: 'Mono' }],
    ['Inspected by', via.length > 0 ? via.join(' → ') : 'nothing (no firewall, NVA or internal load balancer)'],
    ['Egress IPs', path.egressIps.length > 0 ? path.egressIps.join(', ') : path.verdict === 'unknown' ? 'not known (the verdict is unknown)' : 'none known'],
    ['SNAT ports', snatPortsCell(path)],
    ...metrics.map((m): readonly [string, string] => [
      m.unit === 'Bytes' ? 'Bytes metric' : 'SNAT metric',
      `${m.metricName}${m.filter ? ` (${m.filter})` : ''} ${m.aggregation}: ${m.value.toLocaleString('en-US')} ${m.unit}, ${m.windowStart} to ${m.windowEnd} on ${resourceLabel(index, m.resourceId)}`,
    ]),
  ], 90, 8.5);
  ed.y += 3;
  writeReachBlock(ed, reach, (id) => resourceLabel(index, id), exceptionsOf(path));
  ed.y += 3;
  ed.ensureSpace(90);
  const hops = explainPath(path);
  ed.paragraph(`Hops (${hops.length})`, { font: 'Sans-Bold', size: 9, gapAfter: 4 });
  hops.forEach((hop, i) => hopBlock(ed, hop, i + 1, index, hopKindLabel(hop, i === hops.length - 1, path.verdict)));
  if (path.findings.length > 0) {
    ed.paragraph(`Findings (${path.findings.length})`, { font: 'Sans-Bold', size: 9, gapAfter: 3 });
    for (const f of path.findings) {
      const text = `${f.severity.toUpperCase()}  ${f.code}: ${f.message}`;
      ed.paragraph(text, { size: 8, color: SEVERITY_COLOR[f.severity], x: ed.left + 10, gapAfter: 1 });
      if (f.advice) ed.paragraph(`Advice: ${f.advice}`, { size: 8, x: ed.left + 20, gapAfter: 1 });
      if (f.docs) ed.paragraph(f.docs, { size: 7.5, x: ed.left + 20, link: f.docs, gapAfter: 1 });
      ed.y += 3;
    }
  }
  ed.y += 8;
}

function writeRoutes(ed: EvidenceDocument, input: EvidenceInput, paths: readonly EgressPath[], index: ResourceIndex): void {
  const captured = routesInScope(input.snapshot, paths, input.selection);
  ed.newPage();
  ed.heading(SECTIONS.routes, 0, { anchor: 'routes' });
  if (captured.length === 0) {
    ed.paragraph('No effective routes were captured for the sources in scope; routes were computed from the route tables and system routes.', { size: 9 });
    return;
  }
  ed.paragraph('Effective routes as Azure reported them (NetworkInterfaces_GetEffectiveRouteTable) at capture time.', { size: 8.5, color: COLORS.muted });
  const w = ed.contentWidth;
  for (const nic of captured) {
    ed.paragraph(`${resourceLabel(index, nic.networkInterfaceId)}  ·  ${nic.networkInterfaceId}`, { font: 'Mono', size: 7, gapAfter: 2 });
    ed.table([
      { header: 'Source', width: w * 0.22 },
      { header: 'State', width: w * 0.09 },
      { header: 'Address prefixes', width: w * 0.29 },
      { header: 'Next hop type', width: w * 0.24 },
      { header: 'Next hop IP', width: w * 0.16 },
    ], nic.routes.map((r) => [r.source, r.state, r.addressPrefixes.join(', '), r.nextHopType, r.nextHopIpAddresses.join(', ')]), 7.5);
  }
}

function writeResourceIds(ed: EvidenceDocument, input: EvidenceInput, paths: readonly EgressPath[]): void {
  const ids = citedResourceIds(paths, input.result);
  ed.newPage();
  ed.heading(SECTIONS.ids, 0, { anchor: 'ids' });
  ed.paragraph(`${ids.length} resources, lower-cased as ARM compares them.`, { size: 8.5, color: COLORS.muted });
  for (const id of ids) ed.paragraph(id, { font: 'Mono', size: 6.5, gapAfter: 1.5 });
}

export async function writeEvidencePdf(input: EvidenceInput): Promise<Uint8Array> {
  const { snapshot, result } = input;
  const paths = selectPaths(result, snapshot.model, input.selection);
  const index = indexResources(snapshot.model);
  const gaps = mergeGaps(snapshot, result);
  const extras = computeExtras(input, paths, gaps);
  const plan = await buildDiagramSheets(input, paths);
  const scopeName = snapshot.metadata.scope.tenantId ?? snapshot.metadata.origin[0] ?? 'Azure estate';
  const ed = new EvidenceDocument({
    title: `Egress evidence: ${scopeName}`,
    subject: `Internet egress paths for ${describeDestination(result.destination).toLowerCase()}; snapshot SHA-256 ${snapshot.sha256}`,
    author: input.exportedBy,
    keywords: 'Azure, egress, NAT gateway, firewall, evidence',
    createdAt: input.exportedAt,
    producer: `Egress Atlas ${snapshot.metadata.toolVersion}`,
  });
  ed.setRunningTitle(`Egress evidence · snapshot ${snapshot.sha256.slice(0, 16)}… · exported ${input.exportedAt.toISOString()}`);
  const inputsAppendix = inputsAppendixTitle(input, extras.matrix !== null);
  const traffic = input.traffic ? trafficInScope(input.traffic, input, [...gaps, ...extras.gaps]) : null;
  const trafficSources = traffic ? trafficSourcesShown(traffic) : [];
  writeCover(ed, input, paths, gaps, extras.gaps, traffic?.gaps.length ?? 0, inputsAppendix);
  // Measured before the contents are written (and once a page exists to measure on): the key page
  // has a contents line when a name is cut.
  const shortened = plan.sheets.map(({ layout, page }) => shortenedTexts(ed, layout, page));
  writeContents(ed, [
    { destination: 'summary', title: SECTIONS.summary, level: 0 },
    ...(input.check ? [{ destination: 'controls', title: SECTIONS.controls, level: 0 }] : []),
    ...(input.check?.controls ?? []).map((control, i) => ({ destination: controlAnchor(i), title: controlTocTitle(control), level: 1 })),
    ...(traffic ? [
      { destination: 'traffic', title: SECTIONS.traffic, level: 0 },
      ...trafficSources.map((source, i) => ({ destination: trafficSourceAnchor(i), title: trafficSourceTitle(source), level: 1 })),
      { destination: 'traffic-findings', title: `Traffic findings (${traffic.findings.length})`, level: 1 },
      { destination: 'traffic-unattributed', title: `Unattributed sources (${traffic.unattributed.length})`, level: 1 },
      ...(traffic.gaps.length > 0 ? [{ destination: 'traffic-gaps', title: `What the logs could not tell (${traffic.gaps.length})`, level: 1 }] : []),
    ] : []),
    ...(input.cost ? [{ destination: 'cost', title: SECTIONS.cost, level: 0 }] : []),
    { destination: 'gaps', title: SECTIONS.gaps, level: 0 },
    ...(plan.sheets.length > 0 ? [{ destination: 'diagrams', title: SECTIONS.diagrams, level: 0 }] : []),
    ...plan.sheets.map((sheet, i) => ({ destination: `diagram-${i + 1}`, title: `Diagram: ${sheet.page.title}`, level: 1 })),
    ...(shortened.some((names) => names.length > 0) ? [{ destination: 'diagram-key', title: DIAGRAM_KEY, level: 1 }] : []),
    { destination: 'paths', title: SECTIONS.paths, level: 0 },
    ...paths.map((path, i) => ({ destination: `path-${i + 1}`, title: pathTitle(path), level: 1 })),
    { destination: 'routes', title: SECTIONS.routes, level: 0 },
    { destination: 'ids', title: SECTIONS.ids, level: 0 },
    ...(extras.matrix ? [{ destination: 'matrix', title: SECTIONS.matrix, level: 0 }] : []),
    ...(inputsAppendix === null ? [] : [{ destination: 'inputs', title: inputsAppendix, level: 0 }]),
  ]);
  writeSummary(ed, input, paths);
  if (input.check) {
    // Violations cite their source's path section, written further on: paths are numbered in this order.
    const anchors = new Map(paths.map((path, i) => [path.source.id.toLowerCase(), `path-${i + 1}`] as const));
    writeControls(ed, SECTIONS.controls, 'controls', input.check, {
      pathAnchor: (id) => anchors.get(id.toLowerCase()) ?? null,
      selection: input.selection !== null,
    });
  }
  if (traffic) writeTraffic(ed, SECTIONS.traffic, 'traffic', traffic, { selection: input.selection !== null });
  if (input.cost) writeCost(ed, SECTIONS.cost, 'cost', input.selection === null ? input.cost : costInScope(input.cost, paths), { selection: input.selection !== null });
  ed.y += 10;
  writeGaps(ed, snapshot, input, extras.gaps);
  writeDiagrams(ed, plan, shortened);
  ed.newPage();
  ed.heading(SECTIONS.paths, 0, { anchor: 'paths' });
  ed.paragraph('One section per subnet and per NIC exception: the verdict, the egress IPs and SNAT capacity, what the source can reach, each hop with the rule that decided it, and the findings.', { size: 8.5, color: COLORS.muted, gapAfter: 6 });
  paths.forEach((path, i) => {
    writePath(ed, path, i + 1, snapshot, index, extras.reach.get(sourceKey(path.source)));
    ed.trimFontCaches();
  });
  writeRoutes(ed, input, paths, index);
  writeResourceIds(ed, input, paths);
  if (extras.matrix) writeMatrixAppendix(ed, SECTIONS.matrix, 'matrix', extras.matrix.result, extras.matrix.rows, extras.matrix.labels);
  if (inputsAppendix !== null) {
    const { files, readForExport } = coverInputs(input);
    writeInputFiles(ed, inputsAppendix, files, readForExport);
  }
  return ed.finish();
}

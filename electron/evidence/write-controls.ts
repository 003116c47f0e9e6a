/**
 * The Controls section of the evidence PDF: a policy's controls checked against the estate
 * (`checkPolicy`, egress-atlas/check@1), right after the summary, so a quarterly review is one
 * file. It draws the CheckResult as it is: no control is re-evaluated here, and every violation
 * shows the path the check gave as its proof.
 */
import type { Hop } from '../../shared/egress/types';
import type { CheckResult, ControlResult, ControlStatus, Effect, Violation } from '../../shared/policy/index';
import { COLORS, type EvidenceDocument } from './evidence-document';
import { SEVERITY_COLOR, VERDICT_COLOR } from './palette';
import { plural } from './reach-facts';

/** Said as words: the colour only repeats them (a greyscale print must still read). */
export const STATUS_LABEL: Readonly<Record<ControlStatus, string>> = { pass: 'Pass', fail: 'Fail', 'not-applicable': 'Not applicable' };

const STATUS_COLOR: Readonly<Record<ControlStatus, string>> = {
  pass: VERDICT_COLOR.internet, fail: SEVERITY_COLOR.error, 'not-applicable': COLORS.muted,
};

const EFFECT_LABEL: Readonly<Record<Effect, string>> = {
  deny: 'deny: a violation fails the check',
  audit: 'audit: violations are reported; they never fail the check',
  disabled: 'disabled: not evaluated',
};

const PAD = 3;
/** The violations table's columns as shares of the content width; the proof spans the last two. */
const SOURCE_SHARE = 0.25;
const REQUIREMENT_SHARE = 0.15;
/** Between hops in a proof line: not `→`, which route rules already use inside one hop. */
const HOP_SEPARATOR = '  ›  ';
/** No hop's rule is cut shorter than this: below it the rule no longer names anything. */
const MIN_HOP = 20;

export function controlAnchor(index: number): string {
  return `control-${index + 1}`;
}

/**
 * A control's status in words, with the sources in scope no requirement could judge: "Pass, 1 not
 * judged". Said alike in the overview table, the contents line, the bookmark and the control's
 * Status row; a bare "Pass" there claimed sources met a requirement nothing showed they meet.
 */
export function controlStatusText(control: ControlResult): string {
  const notJudged = (control.notJudged ?? []).length;
  return `${STATUS_LABEL[control.status]}${notJudged > 0 ? `, ${notJudged} not judged` : ''}`;
}

/** A control's bookmark and contents line: its id and status, what a reviewer scans for. */
export function controlTocTitle(control: ControlResult): string {
  return `${control.id}: ${controlStatusText(control)}`;
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/**
 * The path's hops in at most two lines: every hop's rule when they fit; else the longest rules cut
 * to the longest length that fits (a binary search: a few measures per violation, as a big estate
 * has thousands); else the first hop, a count, and the last two (the exit and where it leads). The
 * full rules are in the source's path section.
 */
function proofText(ed: EvidenceDocument, hops: readonly Hop[], width: number, size: number): string {
  const twoLines = 2 * ed.measure('M', { size, width }) + 0.5;
  const fits = (text: string): boolean => ed.measure(text, { size, width }) <= twoLines;
  const capped = (max: number): string => hops.map((h) => shorten(h.rule, max)).join(HOP_SEPARATOR);
  const longest = Math.max(0, ...hops.map((h) => h.rule.length));
  if (fits(capped(longest))) return capped(longest);
  if (fits(capped(MIN_HOP))) {
    let [lo, hi] = [MIN_HOP, longest];
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (fits(capped(mid))) lo = mid;
      else hi = mid;
    }
    return capped(lo);
  }
  const short = hops.map((h) => shorten(h.rule, MIN_HOP));
  if (short.length <= 4) return short.join(HOP_SEPARATOR);
  return [short[0], `… ${plural(short.length - 3, 'hop')} …`, ...short.slice(-2)].join(HOP_SEPARATOR);
}

/** Where each violating source's path section is, when this export has one (a selection may leave it out). */
export type PathAnchor = (sourceId: string) => string | null;

/**
 * Violations as a table whose rows carry a second part: the proof (the path's hops) across the
 * row, and under the source a link to its path section. Drawn here rather than with `ed.table`
 * because a row there cannot span columns.
 */
function violationsTable(ed: EvidenceDocument, violations: readonly Violation[], pathAnchor: PathAnchor): void {
  const w = ed.contentWidth;
  const columns = [
    { header: 'Source', x: ed.left, width: w * SOURCE_SHARE },
    { header: 'Requirement', x: ed.left + w * SOURCE_SHARE, width: w * REQUIREMENT_SHARE },
    { header: 'Reason (the proof below: the path the check evaluated)', x: ed.left + w * (SOURCE_SHARE + REQUIREMENT_SHARE), width: w * (1 - SOURCE_SHARE - REQUIREMENT_SHARE) },
  ] as const;
  const [sourceCol, requirementCol, reasonCol] = columns;
  // The proof spans the whole row, indented: at full width most paths fit two lines uncut.
  const proofX = ed.left + PAD + 8;
  const proofWidth = w - 2 * PAD - 8;
  const header = (): void => {
    const height = ed.measure('Source', { font: 'Sans-Bold', size: 7.5 }) + 2 * PAD;
    ed.doc.rect(ed.left, ed.y, w, height).fillColor(COLORS.headerFill).fill();
    for (const c of columns) ed.drawText(c.header, c.x + PAD, ed.y + PAD, { font: 'Sans-Bold', size: 7.5, width: c.width - 2 * PAD });
    ed.y += height;
  };
  ed.ensureSpace(60);
  header();
  for (const v of violations) {
    const name = v.source.type === 'nic' ? `${v.source.name} (NIC)` : v.source.name;
    const anchor = pathAnchor(v.source.id);
    const proof = `Path: ${proofText(ed, v.path.hops, proofWidth, 7)}`;
    const nameH = ed.measure(name, { font: 'Sans-Bold', size: 7.5, width: sourceCol.width - 2 * PAD });
    const refH = anchor === null ? 0 : ed.measure('section, p. 0', { size: 6.5 }) + 1;
    const requirementH = ed.measure(v.requirement, { font: 'Mono', size: 7, width: requirementCol.width - 2 * PAD })
      + (v.subject === null ? 0 : ed.measure(v.subject, { font: 'Mono', size: 6.5, width: requirementCol.width - 2 * PAD }) + 1);
    const reasonH = ed.measure(v.reason, { size: 7.5, width: reasonCol.width - 2 * PAD });
    const proofH = ed.measure(proof, { size: 7, width: proofWidth });
    const topH = Math.max(nameH + refH, requirementH, reasonH);
    const height = topH + 2 + proofH + 2 * PAD;
    if (ed.y + height > ed.bottom) {
      ed.newPage();
      header();
    }
    const y = ed.y + PAD;
    ed.drawText(name, sourceCol.x + PAD, y, { font: 'Sans-Bold', size: 7.5, width: sourceCol.width - 2 * PAD });
    if (anchor !== null) {
      // The default-route section of this source: every hop's rule, docs link and az command.
      const label = 'section, p. ';
      ed.drawText(label, sourceCol.x + PAD, y + nameH + 1, { size: 6.5, color: COLORS.muted, lineBreak: false });
      ed.setFont('Sans', 6.5, COLORS.muted);
      ed.pageRef(anchor, sourceCol.x + PAD + ed.doc.widthOfString(label), y + nameH + 1, 6.5);
    }
    ed.drawText(v.requirement, requirementCol.x + PAD, y, { font: 'Mono', size: 7, width: requirementCol.width - 2 * PAD });
    if (v.subject !== null) {
      const subjectY = y + ed.measure(v.requirement, { font: 'Mono', size: 7, width: requirementCol.width - 2 * PAD }) + 1;
      ed.drawText(v.subject, requirementCol.x + PAD, subjectY, { font: 'Mono', size: 6.5, color: COLORS.muted, width: requirementCol.width - 2 * PAD });
    }
    ed.drawText(v.reason, reasonCol.x + PAD, y, { size: 7.5, width: reasonCol.width - 2 * PAD });
    ed.drawText(proof, proofX, y + topH + 2, { size: 7, color: COLORS.muted, width: proofWidth });
    ed.y += height;
    ed.doc.moveTo(ed.left, ed.y).lineTo(ed.left + w, ed.y).lineWidth(0.4).strokeColor(COLORS.rule).stroke();
  }
  ed.y += 6;
}

/**
 * An exception's expiry with its time zone. A bare day lasts until the end of that day in UTC
 * (README, "exceptions"): printed alone it reads as local time to a reader east or west of UTC.
 * A date-time carries its own zone (`Z` or an offset) and is printed as written.
 */
export function expiryText(expires: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(expires.trim()) ? `${expires.trim()} (end of day UTC)` : expires;
}

function exceptionsTables(ed: EvidenceDocument, control: ControlResult): void {
  const w = ed.contentWidth;
  if (control.exceptionsApplied.length > 0) {
    ed.paragraph(`Exceptions applied (${control.exceptionsApplied.length})`, { font: 'Sans-Bold', size: 9, gapAfter: 3 });
    // Source columns fit a 24-character subnet name on one line; the policy line is cited with the expiry.
    ed.table([
      { header: 'Source', width: w * 0.22 },
      { header: 'Violations waived', width: w * 0.28 },
      { header: 'Exception reason', width: w * 0.17 },
      { header: 'Ticket', width: w * 0.09 },
      // Wide enough for "2027-12-31 (end of day UTC)" on one line.
      { header: 'Expires (line)', width: w * 0.24 },
    ], control.exceptionsApplied.map((a) => [
      a.source.name,
      a.waived.map((x) => `${x.requirement}: ${x.reason}`).join('; '),
      a.exception.reason,
      a.exception.ticket ?? 'none',
      `${expiryText(a.exception.expires)} (line ${a.exception.line})`,
    ]), 7.5);
  }
  if (control.exceptionsExpired.length > 0) {
    ed.paragraph(`Expired exceptions (${control.exceptionsExpired.length}): no longer applied`, { font: 'Sans-Bold', size: 9, color: SEVERITY_COLOR.error, gapAfter: 3 });
    ed.table([
      { header: 'Status', width: w * 0.11 },
      { header: 'Source', width: w * 0.23 },
      { header: 'Exception reason', width: w * 0.31 },
      { header: 'Ticket', width: w * 0.11 },
      { header: 'Expired (line)', width: w * 0.24 },
    ], control.exceptionsExpired.map(({ exception: e }) => [
      { text: 'EXPIRED', color: SEVERITY_COLOR.error, font: 'Sans-Bold' },
      e.source,
      e.reason,
      e.ticket ?? 'none',
      `${expiryText(e.expires)} (line ${e.line})`,
    ]), 7.5);
  }
}

/** Sources in scope that no requirement could judge, by name (with "(NIC)" for a NIC), as `check` lists them in notJudged. */
function notJudgedList(ed: EvidenceDocument, check: CheckResult, notJudged: readonly string[]): void {
  if (notJudged.length === 0) return;
  const byId = new Map(check.sources.map((s) => [s.id.toLowerCase(), s] as const));
  const names = notJudged.map((id) => {
    const source = byId.get(id.toLowerCase());
    return source === undefined ? id : source.type === 'nic' ? `${source.name} (NIC)` : source.name;
  });
  ed.paragraph(`Not judged (${notJudged.length}): no requirement could judge these sources, so they neither pass nor fail`, { font: 'Sans-Bold', size: 9, color: SEVERITY_COLOR.warning, gapAfter: 3 });
  ed.paragraph(names.join(', '), { size: 8.5, gapAfter: 4 });
}

function writeControl(ed: EvidenceDocument, check: CheckResult, control: ControlResult, index: number, pathAnchor: PathAnchor): void {
  // The bookmark says the status, as the contents line does; the heading gives the full title.
  ed.ensureSpace(130);
  ed.anchor(controlAnchor(index), controlTocTitle(control), 1);
  ed.heading(`${control.id}: ${control.title}`, 1, { keepWith: 80 });
  const sources = new Set(control.violations.map((v) => v.source.id)).size;
  const waived = control.exceptionsApplied.length;
  ed.keyValues([
    ['Status', { text: controlStatusText(control), color: STATUS_COLOR[control.status], font: 'Sans-Bold' }],
    ['Effect', EFFECT_LABEL[control.effect]],
    ['Policy', `${check.policy}, line ${control.line}`],
    ['Counts', control.effect === 'disabled' ? 'not evaluated'
      : `${plural(control.inScope.length, 'source')} in scope; ${plural(control.violations.length, 'violation')}${control.violations.length > 0 ? ` in ${plural(sources, 'source')}` : ''}; `
        + `${plural(waived, 'source')} waived by an exception; ${plural(control.exceptionsExpired.length, 'expired exception')}`
        + `${(control.notJudged ?? []).length > 0 ? `; ${plural((control.notJudged ?? []).length, 'source')} not judged` : ''}`],
    ...control.notes.map((note): readonly [string, string] => ['Note', note]),
  ], 80, 8.5);
  ed.y += 3;
  const notJudged = control.notJudged ?? [];
  if (control.violations.length > 0) {
    ed.paragraph(`Violations (${control.violations.length})`, { font: 'Sans-Bold', size: 9, gapAfter: 3 });
    violationsTable(ed, control.violations, pathAnchor);
  } else if (control.status === 'pass' && notJudged.length === 0) {
    ed.paragraph(`No violation: every source in scope meets every requirement${waived > 0 ? ' or is waived by an exception below' : ''}.`, { size: 8.5, color: COLORS.muted });
  } else if (control.status === 'pass') {
    // A source no requirement could judge (no SNAT metric on its path) is not shown to meet anything:
    // `check` lists it in notJudged and JUnit skips it, never a pass (README, "check").
    ed.paragraph(`No violation among the ${plural(control.inScope.length - notJudged.length, 'source')} judged${waived > 0 ? ' (or waived by an exception below)' : ''}; ${plural(notJudged.length, 'source')} in scope could not be judged (listed below): nothing shows that they meet the requirements.`, { size: 8.5, color: COLORS.muted });
  }
  notJudgedList(ed, check, notJudged);
  exceptionsTables(ed, control);
  ed.y += 4;
}

/**
 * The Controls section: what was checked and as of when, an overview table (one row per control,
 * the quarterly review's first page), then each control with its violations and exceptions.
 */
export function writeControls(
  ed: EvidenceDocument, title: string, anchor: string, check: CheckResult, options: { readonly pathAnchor: PathAnchor; readonly selection: boolean },
): void {
  ed.newPage();
  ed.heading(title, 0, { anchor });
  const read = check.destinationInterpretation === undefined ? '' : ` (read as: ${check.destinationInterpretation})`;
  const against = check.destination === '0.0.0.0/0' ? 'the default route (0.0.0.0/0)' : `the what-if destination ${check.destination}${read}`;
  ed.paragraph(`Policy ${check.policy} checked against ${against} for ${plural(check.sources.length, 'source')}. Exceptions are judged as of ${check.evaluatedAt}, the export time, so a re-export gives the same result. Each violation cites the path that proves it; its section has every hop's rule, Learn link and az command.`, { size: 8.5, color: COLORS.muted, gapAfter: 4 });
  if (options.selection) {
    ed.paragraph('The controls cover the whole estate, not only the sources selected for this export; a source outside the selection has no path section here.', { size: 8.5, color: COLORS.muted, gapAfter: 4 });
  }
  const s = check.summary;
  ed.paragraph(`${plural(s.controls, 'control')}: ${s.passed} pass, ${s.failed} fail, ${s.notApplicable} not applicable.${s.denyFailed.length > 0 ? ` Deny controls failed: ${s.denyFailed.join(', ')} (egress-atlas check exits 1).` : ' No deny control failed.'}`,
    { font: 'Sans-Bold', size: 9, color: s.denyFailed.length > 0 ? SEVERITY_COLOR.error : COLORS.text, gapAfter: 6 });
  const w = ed.contentWidth;
  ed.table([
    // Numeric columns wide enough for their bold header on one line at 7.5 pt.
    { header: 'Status', width: w * 0.14 },
    { header: 'Effect', width: w * 0.08 },
    { header: 'Control', width: w * 0.42 },
    { header: 'Line', width: w * 0.06 },
    { header: 'In scope', width: w * 0.09 },
    { header: 'Violations', width: w * 0.11 },
    { header: 'Waived', width: w * 0.10 },
  ], check.controls.map((c) => [
    // A pass with sources not judged says so where a reviewer scans first.
    { text: controlStatusText(c), color: STATUS_COLOR[c.status], font: 'Sans-Bold' },
    c.effect,
    `${c.id}: ${c.title}`,
    String(c.line),
    String(c.inScope.length),
    String(c.violations.length),
    String(c.exceptionsApplied.length),
  ]), 7.5);
  check.controls.forEach((control, i) => writeControl(ed, check, control, i, options.pathAnchor));
}

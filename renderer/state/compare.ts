/**
 * A comparison of two resolve results (`compareResults` in shared/egress), reduced to what the UI
 * lists: the sources that changed, are in one snapshot only, are Unknown in one of them (so could
 * not be compared), or could not be seen by one of them, each side as badge text.
 */
import { compareResults, describeDecision, describeDifferences, describeNotCapturedBecause } from '../../shared/egress/compare';
import type { ComparableResult, ComparedSource, SourceChange as ComparedChange } from '../../shared/egress/compare';
import { explainPath } from '../../shared/egress/explain';
import type { EgressPath } from '../../shared/egress/types';
import type { SourceChange } from './app-state';
import { badgeFor } from './badges';

/**
 * An unknown path's last hop names what could not be decided ("Routes learned over BGP through
 * vgw-hub-weu"): the compared snapshot's paths are shown nowhere else, so the row has to say it.
 */
function unknownBecause(path: EgressPath): string | null {
  const hops = path.steps.length > 0 ? explainPath(path) : [];
  const last = hops[hops.length - 1];
  return last ? last.rule.replace(/^Unknown: /, '') : null;
}

function describe(path: EgressPath | null): string | null {
  if (!path) return null;
  const ips = path.egressIps.length > 0 ? ` (${path.egressIps.join(', ')})` : '';
  const because = path.verdict === 'unknown' ? unknownBecause(path) : null;
  return `${badgeFor(path).text}${because === null ? '' : ` — not decided: ${because}`}${ips}`;
}

/** A NIC with no entry of its own on a side follows its subnet there: say so, or the row reads as the subnet's. */
function describeSide(path: EgressPath, followsSubnet: boolean): string {
  const text = describe(path) ?? '';
  return followsSubnet ? `Follows subnet ${path.source.name}: ${text}` : text;
}

/** Why a row Unknown in a snapshot is not counted as a change (`before` is the shown snapshot). */
function notComparedText(c: ComparedSource): string {
  switch (c.unknownIn) {
    case 'before': return 'Could not compare: Unknown in the shown snapshot (a fact needed to decide is missing there)';
    case 'after': return 'Could not compare: Unknown in the compared snapshot (a fact needed to decide is missing there)';
    case 'both':
    case null:
      return c.missingFact === null
        ? 'Could not compare: Unknown in both snapshots, for the same missing fact'
        : `Could not compare: Unknown in both snapshots, and what is missing differs: ${describeDecision(c.missingFact.was)} \u2192 ${describeDecision(c.missingFact.now)}`;
  }
}

function rowOf(c: ComparedChange): SourceChange | null {
  const base = { sourceId: c.sourceId, name: c.source.name };
  switch (c.kind) {
    case 'unchanged':
      return null;
    case 'changed':
    case 'not-compared': {
      // A NIC with no entry of its own in the shown snapshot is there only as its subnet: mark and select that.
      const shown = c.followsSubnet === 'before' ? { shownSourceId: c.before.source.id } : {};
      const sides = { was: describeSide(c.before, c.followsSubnet === 'before'), now: describeSide(c.after, c.followsSubnet === 'after') };
      return c.kind === 'changed'
        ? { ...base, ...shown, ...sides, kind: 'changed', difference: describeDifferences(c.before, c.after, c.differences) }
        : { ...base, ...shown, ...sides, kind: 'not-compared', difference: notComparedText(c) };
    }
    case 'added':
    case 'removed':
      return { ...base, kind: 'absent', was: describe(c.before), now: describe(c.after) };
    case 'not-captured': {
      const missing = `Not captured: ${describeNotCapturedBecause(c.because)}`;
      return { ...base, kind: 'not-captured', was: c.before === null ? missing : describe(c.before), now: c.after === null ? missing : describe(c.after) };
    }
  }
}

/** A network change: changed, or in one snapshot only. Not rows one snapshot could not decide or see. */
export function isNetworkChange(c: SourceChange): boolean {
  return c.kind === 'changed' || c.kind === 'absent';
}

/**
 * `before` is the snapshot the graph shows, `after` the compared one. Network changes first, then
 * the sources that could not be compared (Unknown in a snapshot), then those one snapshot could
 * not see (each group in source ID order).
 */
export function sourceChanges(before: ComparableResult, after: ComparableResult): readonly SourceChange[] {
  const rows = compareResults(before, after).changes.flatMap((c) => {
    const row = rowOf(c);
    return row === null ? [] : [row];
  });
  return [...rows.filter(isNetworkChange), ...rows.filter((r) => r.kind === 'not-compared'), ...rows.filter((r) => r.kind === 'not-captured')];
}

/** Rows that are a change in the network (changed, or in one snapshot only). */
export function networkChanges(changes: readonly SourceChange[]): readonly SourceChange[] {
  return changes.filter(isNetworkChange);
}

/** How many rows are missing from one snapshot because it could not have seen them. */
export function notCapturedCount(changes: readonly SourceChange[]): number {
  return changes.filter((c) => c.kind === 'not-captured').length;
}

/** How many rows could not be compared because a snapshot says Unknown for them. */
export function notComparedCount(changes: readonly SourceChange[]): number {
  return changes.filter((c) => c.kind === 'not-compared').length;
}

/** Which of the two snapshots the graph shows, relative to the other. */
export type ShownRole = 'newer' | 'older' | 'same capture time' | 'capture times unknown';

export interface SnapshotRef {
  readonly title: string;
  /** ISO 8601, or null when the snapshot does not say. */
  readonly capturedAt: string | null;
}

export function shownRole(shown: SnapshotRef, other: SnapshotRef): ShownRole {
  const a = shown.capturedAt === null ? NaN : Date.parse(shown.capturedAt);
  const b = other.capturedAt === null ? NaN : Date.parse(other.capturedAt);
  if (Number.isNaN(a) || Number.isNaN(b)) return 'capture times unknown';
  return a > b ? 'newer' : a < b ? 'older' : 'same capture time';
}

/**
 * The comparison banner's first line: "Showing: A (newer) — 12 sources changed against B", then
 * " · 2 could not be compared (Unknown)" and " · 3 not captured in one snapshot" when there are
 * such sources (never counted as changed).
 */
export function compareHeadline(shown: SnapshotRef, other: SnapshotRef, changed: number, notCaptured = 0, notCompared = 0): string {
  const headline = `Showing: ${shown.title} (${shownRole(shown, other)}) — ${changed} source${changed === 1 ? '' : 's'} changed against ${other.title}`;
  return [
    headline,
    ...(notCompared === 0 ? [] : [`${notCompared} could not be compared (Unknown)`]),
    ...(notCaptured === 0 ? [] : [`${notCaptured} not captured in one snapshot`]),
  ].join(' \u00b7 ');
}

/**
 * A comparison of two resolve results (`compareResults` in shared/egress), reduced to what the UI
 * lists: the sources that changed, are in one snapshot only, or could not be seen by one of them,
 * each side as badge text.
 */
import { compareResults, describeDifferences, describeNotCapturedBecause } from '../../shared/egress/compare';
import type { ComparableResult, SourceChange as ComparedChange } from '../../shared/egress/compare';
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

function rowOf(c: ComparedChange): SourceChange | null {
  const base = { sourceId: c.sourceId, name: c.source.name };
  // Set only when true: a verdict that turned unknown is missing data, not (by itself) a network change.
  const unknown = c.before?.verdict === 'unknown' || c.after?.verdict === 'unknown' ? { unknown: true as const } : {};
  switch (c.kind) {
    case 'unchanged':
      return null;
    case 'changed':
      return {
        ...base, kind: 'changed', ...unknown,
        was: describeSide(c.before, c.followsSubnet === 'before'), now: describeSide(c.after, c.followsSubnet === 'after'),
        difference: describeDifferences(c.before, c.after, c.differences),
      };
    case 'added':
    case 'removed':
      return { ...base, kind: 'absent', ...unknown, was: describe(c.before), now: describe(c.after) };
    case 'not-captured': {
      const missing = `Not captured: ${describeNotCapturedBecause(c.because)}`;
      return { ...base, kind: 'not-captured', was: c.before === null ? missing : describe(c.before), now: c.after === null ? missing : describe(c.after) };
    }
  }
}

/**
 * `before` is the snapshot the graph shows, `after` the compared one. Network changes first, then
 * the sources one snapshot could not see (each group in source ID order).
 */
export function sourceChanges(before: ComparableResult, after: ComparableResult): readonly SourceChange[] {
  const rows = compareResults(before, after).changes.flatMap((c) => {
    const row = rowOf(c);
    return row === null ? [] : [row];
  });
  return [...rows.filter((r) => r.kind !== 'not-captured'), ...rows.filter((r) => r.kind === 'not-captured')];
}

/** Rows that are a change in the network (changed, or in one snapshot only): not those one snapshot could not see. */
export function networkChanges(changes: readonly SourceChange[]): readonly SourceChange[] {
  return changes.filter((c) => c.kind !== 'not-captured');
}

/** How many rows are missing from one snapshot because it could not have seen them. */
export function notCapturedCount(changes: readonly SourceChange[]): number {
  return changes.filter((c) => c.kind === 'not-captured').length;
}

/** How many changed rows are unknown on one side or both. */
export function unknownChangeCount(changes: readonly SourceChange[]): number {
  return changes.filter((c) => c.unknown === true).length;
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
 * " · 3 not captured in one snapshot" when one could not see some sources (never counted as changed).
 */
export function compareHeadline(shown: SnapshotRef, other: SnapshotRef, changed: number, notCaptured = 0): string {
  const headline = `Showing: ${shown.title} (${shownRole(shown, other)}) — ${changed} source${changed === 1 ? '' : 's'} changed against ${other.title}`;
  return notCaptured === 0 ? headline : `${headline} · ${notCaptured} not captured in one snapshot`;
}

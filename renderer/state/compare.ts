/**
 * A comparison of two resolve results (`compareResults` in shared/egress), reduced to what the UI
 * lists: the sources that changed, added or removed, as badge text was → now.
 */
import { compareResults } from '../../shared/egress/compare';
import { explainPath } from '../../shared/egress/explain';
import type { EgressPath, ResolveResult } from '../../shared/egress/types';
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

export function sourceChanges(before: ResolveResult, after: ResolveResult): readonly SourceChange[] {
  return compareResults(before, after).changes
    .filter((c) => c.kind !== 'unchanged')
    .map((c) => {
      // Set only when true: a verdict that turned unknown is missing data, not (by itself) a network change.
      const unknown = c.before?.verdict === 'unknown' || c.after?.verdict === 'unknown';
      return { sourceId: c.sourceId, name: c.source.name, was: describe(c.before), now: describe(c.after), ...(unknown ? { unknown: true as const } : {}) };
    });
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

/** The comparison banner's first line: "Showing: A (newer) — 12 changed against B". */
export function compareHeadline(shown: SnapshotRef, other: SnapshotRef, changed: number): string {
  return `Showing: ${shown.title} (${shownRole(shown, other)}) — ${changed} source${changed === 1 ? '' : 's'} changed against ${other.title}`;
}

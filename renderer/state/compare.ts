/**
 * A comparison of two resolve results (`compareResults` in shared/egress), reduced to what the UI
 * lists: the sources that changed, added or removed, as badge text was → now.
 */
import { compareResults } from '../../shared/egress/compare';
import type { EgressPath, ResolveResult } from '../../shared/egress/types';
import type { SourceChange } from './app-state';
import { badgeFor } from './badges';

function describe(path: EgressPath | null): string | null {
  if (!path) return null;
  const ips = path.egressIps.length > 0 ? ` (${path.egressIps.join(', ')})` : '';
  return `${badgeFor(path).text}${ips}`;
}

export function sourceChanges(before: ResolveResult, after: ResolveResult): readonly SourceChange[] {
  return compareResults(before, after).changes
    .filter((c) => c.kind !== 'unchanged')
    .map((c) => ({ sourceId: c.sourceId, name: c.source.name, was: describe(c.before), now: describe(c.after) }));
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

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

/**
 * A source's findings as the app lists them: its path's own, then the estate-level findings
 * (`ResolveResult.findings`, e.g. firewall-bypass, nat-gateway-on-gateway-subnet) whose
 * `resourceIds` name it. One home for the list, the details panel and compare, so a finding the
 * list shows on a source is also one compare sees change.
 */
import type { EgressPath, Finding } from './types';

/** Estate-level findings per source they name: lower-cased resource ID → findings. */
export function estateFindingsBySource(findings: readonly Finding[]): ReadonlyMap<string, readonly Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const f of findings) {
    for (const id of new Set((f.resourceIds ?? []).map((r) => r.toLowerCase()))) {
      const list = out.get(id);
      if (list === undefined) out.set(id, [f]);
      else list.push(f);
    }
  }
  return out;
}

/** A source's findings: its path's own, then the estate findings that name it. */
export function sourceFindings(path: EgressPath, estate: ReadonlyMap<string, readonly Finding[]>): readonly Finding[] {
  const extra = estate.get(path.source.id.toLowerCase()) ?? [];
  return extra.length === 0 ? path.findings : [...path.findings, ...extra];
}

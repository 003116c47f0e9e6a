/**
 * README (Verdicts, `unknown`): "the last hop names the missing fact, and `gaps` lists it". Gaps are
 * kept once per resource; when sources stop at one resource for different facts (the bank demo's
 * hub firewall allows each spoke other names), the resource's gap lists each, never one source's
 * fact standing for another's path.
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm/index';
import { findDemo } from '../../../shared/demo/index';
import { resolveEgress } from '../../../shared/egress';
import { terminalOf } from '../../../shared/egress/steps';

describe('the gap of a resource where unknown paths stop', () => {
  it('lists every distinct missing fact of the paths that stop there (bank demo, what-if 8.8.8.8)', () => {
    const demo = findDemo('bank');
    if (!demo) throw new Error('no bank demo');
    const result = resolveEgress({ ...normalizeArm(demo.documents), metrics: [], serviceTags: demo.serviceTags }, { destination: '8.8.8.8' });
    const facts = result.paths.flatMap((p) => {
      const reason = terminalOf(p.steps).reason;
      return p.verdict === 'unknown' && reason.kind === 'undecided' ? [{ source: p.source.name, scope: reason.resourceId, fact: reason.missingFact }] : [];
    });
    // Spokes with different allow-lists stop at the same firewall policy.
    const scopes = new Set(facts.map((f) => f.scope));
    expect(facts.length).toBeGreaterThan(scopes.size);
    expect(new Set(facts.map((f) => f.fact)).size).toBeGreaterThan(1);
    for (const f of facts) {
      const gap = result.gaps.find((g) => g.scope === f.scope);
      expect(gap?.message, f.source).toContain(f.fact);
    }
    const policyGap = result.gaps.find((g) => g.scope === facts[0]?.scope);
    expect(policyGap?.message).toMatch(/^\d+ missing facts here, each for the sources whose unknown path ends on it: \(1\) /);
  });
});

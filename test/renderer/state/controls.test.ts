import { describe, expect, it } from 'vitest';
import type { ResolveJsonPath } from '../../../shared/egress/explain';
import type { CheckResult, ControlResult, Violation } from '../../../shared/policy/types';
import { INITIAL_STATE, perform, type AppState } from '../../../renderer/state/app-state';
import {
  controlBadge, controlCounts, countsText, selectedControl, summaryText, violatingSourceIds, violationsBySource,
} from '../../../renderer/state/controls';
import { APP, DB, LEGACY, estate, result } from '../fixtures';

/** The violation's proof path is not read by these views. */
const PATH = {} as ResolveJsonPath;

function violation(id: string, name: string, requirement: Violation['requirement'], reason: string): Violation {
  return { source: { type: 'subnet', id, name }, requirement, subject: null, reason, path: PATH };
}

function control(id: string, fields: Partial<ControlResult> = {}): ControlResult {
  return {
    id, title: `Title of ${id}`, effect: 'deny', status: 'pass', line: 3, inScope: [APP, DB, LEGACY],
    violations: [], exceptionsApplied: [], exceptionsExpired: [], notes: [], ...fields,
  };
}

function check(): CheckResult {
  return {
    schema: 'egress-atlas/check@1', policy: 'egress.yaml', evaluatedAt: '2026-12-01T00:00:00.000Z', destination: '0.0.0.0/0', sources: [],
    controls: [
      control('no-default-outbound', {
        status: 'fail',
        violations: [
          violation(LEGACY, 'snet-legacy', 'forbidExits', 'reaches the internet through default-outbound'),
          violation(LEGACY.toUpperCase(), 'snet-legacy', 'egressIpsWithin', 'egress IPs unknown'),
          violation(DB, 'snet-db', 'forbidExits', 'reaches the internet through default-outbound'),
        ],
      }),
      control('snat', { effect: 'audit', status: 'fail', violations: [violation(APP, 'snet-app', 'maxSnatUtilisation', '91 % > 80 %')] }),
      control('inspected'),
      control('off', { effect: 'disabled', status: 'not-applicable', inScope: [], notes: ['disabled'] }),
    ],
    summary: { controls: 4, passed: 1, failed: 2, notApplicable: 1, denyFailed: ['no-default-outbound'] },
  };
}

function withPolicy(): AppState {
  const opened = perform(INITIAL_STATE, { kind: 'estate-opened', estate: estate(), result: result() });
  return perform(opened, { kind: 'policy-checked', policy: { fileName: 'egress.yaml', result: check() } });
}

describe('control badges and counts', () => {
  it('tells pass, deny failures, audit failures and not applicable apart', () => {
    expect(controlBadge({ status: 'pass', effect: 'deny' })).toEqual({ text: 'Pass', tone: 'good' });
    expect(controlBadge({ status: 'fail', effect: 'deny' })).toEqual({ text: 'Fail', tone: 'bad' });
    expect(controlBadge({ status: 'fail', effect: 'audit' })).toEqual({ text: 'Fail (audit)', tone: 'warn' });
    expect(controlBadge({ status: 'not-applicable', effect: 'disabled' })).toEqual({ text: 'Not applicable', tone: 'neutral' });
  });

  it('counts violations, sources in scope and exceptions; expired only when there are some', () => {
    const [first] = check().controls;
    if (!first) throw new Error('fixture');
    const counts = controlCounts(first);
    expect(counts).toEqual({ violations: 3, violatingSources: 2, inScope: 3, exceptionsApplied: 0, exceptionsExpired: 0 });
    expect(countsText(counts)).toBe('3 violations · 3 in scope · 0 exceptions');
    expect(countsText({ ...counts, violations: 1, exceptionsApplied: 1, exceptionsExpired: 2 })).toBe('1 violation · 3 in scope · 1 exception · 2 expired');
    expect(summaryText(check())).toBe('2 fail · 1 pass · 1 not applicable');
  });

  it('groups a control\'s violations by source (IDs in any letter case), in the reported order', () => {
    const [first] = check().controls;
    if (!first) throw new Error('fixture');
    const groups = violationsBySource(first);
    expect(groups.map((g) => [g.name, g.violations.map((v) => v.requirement)])).toEqual([
      ['snet-legacy', ['forbidExits', 'egressIpsWithin']],
      ['snet-db', ['forbidExits']],
    ]);
  });
});

describe('selecting a control', () => {
  it('marks its violating sources (lower-cased IDs); selecting it again or clearing removes the marks', () => {
    const loaded = withPolicy();
    expect(violatingSourceIds(loaded).size).toBe(0);
    const selected = perform(loaded, { kind: 'select-control', controlId: 'no-default-outbound' });
    expect(selectedControl(selected)?.id).toBe('no-default-outbound');
    expect([...violatingSourceIds(selected)].sort()).toEqual([DB.toLowerCase(), LEGACY.toLowerCase()].sort());
    expect(perform(selected, { kind: 'select-control', controlId: 'no-default-outbound' }).selectedControlId).toBeNull();
    expect(perform(selected, { kind: 'select-control', controlId: null }).selectedControlId).toBeNull();
    expect(perform(loaded, { kind: 'select-control', controlId: 'no-such-control' }).selectedControlId).toBeNull();
    // A passing control marks nothing.
    expect(violatingSourceIds(perform(loaded, { kind: 'select-control', controlId: 'inspected' })).size).toBe(0);
  });

  it('keeps the selection when the policy is reloaded with that control, and drops it otherwise; closing clears', () => {
    const selected = perform(withPolicy(), { kind: 'select-control', controlId: 'snat' });
    const reloaded = perform(selected, { kind: 'policy-checked', policy: { fileName: 'egress.yaml', result: check() } });
    expect(reloaded.selectedControlId).toBe('snat');
    const other = { ...check(), controls: [control('inspected')] };
    expect(perform(selected, { kind: 'policy-checked', policy: { fileName: 'other.yaml', result: other } }).selectedControlId).toBeNull();
    const closed = perform(selected, { kind: 'close-policy' });
    expect(closed.policy).toBeNull();
    expect(closed.selectedControlId).toBeNull();
  });

  it('opening another estate drops the policy', () => {
    const selected = perform(withPolicy(), { kind: 'select-control', controlId: 'snat' });
    const reopened = perform(selected, { kind: 'estate-opened', estate: estate(), result: result() });
    expect(reopened.policy).toBeNull();
    expect(reopened.selectedControlId).toBeNull();
  });
});

/**
 * Derived views for the Controls panel: each control's status badge and counts, its violations
 * grouped by source, and the sources to mark on the graph and in the list. Pure functions of a
 * check result (egress-atlas/check@1, computed on the main side).
 */
import type { CheckResult, ControlResult, Violation } from '../../shared/policy/types';
import type { AppState } from './app-state';
import type { BadgeTone } from './badges';

export interface ControlBadge {
  readonly text: string;
  readonly tone: BadgeTone;
}

/**
 * Pass / Fail / Not applicable. A failing `audit` control is reported, not enforced: it gets the
 * warning tone and says so, while a failing `deny` control is red; a disabled one is not applicable.
 */
export function controlBadge(control: Pick<ControlResult, 'status' | 'effect'>): ControlBadge {
  switch (control.status) {
    case 'pass':
      return { text: 'Pass', tone: 'good' };
    case 'fail':
      return control.effect === 'audit' ? { text: 'Fail (audit)', tone: 'warn' } : { text: 'Fail', tone: 'bad' };
    case 'not-applicable':
      return { text: 'Not applicable', tone: 'neutral' };
    default: {
      const never: never = control.status;
      return never;
    }
  }
}

export interface ControlCounts {
  readonly violations: number;
  /** Distinct sources with at least one violation. */
  readonly violatingSources: number;
  readonly inScope: number;
  readonly exceptionsApplied: number;
  readonly exceptionsExpired: number;
}

export function controlCounts(control: ControlResult): ControlCounts {
  return {
    violations: control.violations.length,
    violatingSources: new Set(control.violations.map((v) => v.source.id.toLowerCase())).size,
    inScope: control.inScope.length,
    exceptionsApplied: control.exceptionsApplied.length,
    exceptionsExpired: control.exceptionsExpired.length,
  };
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** `1 violation · 7 in scope · 0 exceptions · 1 expired`: the expired count only when there is one. */
export function countsText(counts: ControlCounts): string {
  const parts = [
    plural(counts.violations, 'violation'),
    `${counts.inScope.toLocaleString('en-US')} in scope`,
    plural(counts.exceptionsApplied, 'exception'),
  ];
  if (counts.exceptionsExpired > 0) parts.push(`${counts.exceptionsExpired.toLocaleString('en-US')} expired`);
  return parts.join(' · ');
}

/** A summary line for the panel heading: `2 fail · 1 pass · 1 not applicable`. */
export function summaryText(result: CheckResult): string {
  const { failed, passed, notApplicable } = result.summary;
  const parts = [`${failed} fail`, `${passed} pass`];
  if (notApplicable > 0) parts.push(`${notApplicable} not applicable`);
  return parts.join(' · ');
}

/** One source's violations of a control, in the order the check reported them. */
export interface SourceViolations {
  readonly sourceId: string;
  readonly name: string;
  readonly type: Violation['source']['type'];
  readonly violations: readonly Violation[];
}

export function violationsBySource(control: ControlResult): readonly SourceViolations[] {
  const bySource = new Map<string, { sourceId: string; name: string; type: Violation['source']['type']; violations: Violation[] }>();
  for (const v of control.violations) {
    const key = v.source.id.toLowerCase();
    const entry = bySource.get(key);
    if (entry) entry.violations.push(v);
    else bySource.set(key, { sourceId: v.source.id, name: v.source.name, type: v.source.type, violations: [v] });
  }
  return [...bySource.values()];
}

export function selectedControl(state: Pick<AppState, 'policy' | 'selectedControlId'>): ControlResult | null {
  if (state.policy === null || state.selectedControlId === null) return null;
  return state.policy.result.controls.find((c) => c.id === state.selectedControlId) ?? null;
}

const NONE: ReadonlySet<string> = new Set();

/** Lower-cased IDs of the selected control's violating sources (the graph and list mark them). */
export function violatingSourceIds(state: Pick<AppState, 'policy' | 'selectedControlId'>): ReadonlySet<string> {
  const control = selectedControl(state);
  if (control === null || control.violations.length === 0) return NONE;
  return new Set(control.violations.map((v) => v.source.id.toLowerCase()));
}

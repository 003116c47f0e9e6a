/**
 * Compares two resolver results (e.g. two snapshots of the same estate, or before/after a change),
 * source by source: what now leaves differently, and how. Pure; reads only the result contract.
 */
import { nameFromResourceId } from '../model/ids';
import type { EgressPath, ExitMethod, FindingCode, PathSource, ResolveResult, Verdict } from './types';

/** A `ResolveResult` (only its destination and paths are read). */
export type ComparableResult = Pick<ResolveResult, 'destination' | 'paths'>;

export type SourceChangeKind = 'unchanged' | 'changed' | 'added' | 'removed';

export interface FieldChange<T> {
  readonly was: T;
  readonly now: T;
}

/** What changed for one source. Each field is null when that aspect did not change (always null unless `changed`). */
export interface PathDifferences {
  readonly verdict: FieldChange<Verdict> | null;
  readonly exit: FieldChange<ExitMethod | null> | null;
  /** Ordered: the same hops in another order is a change. */
  readonly via: FieldChange<readonly string[]> | null;
  /** Compared as sets; the lists are sorted. */
  readonly egressIps: FieldChange<readonly string[]> | null;
  /** Compared as sets of codes; the lists are sorted and de-duplicated. */
  readonly findings: FieldChange<readonly FindingCode[]> | null;
}

export interface SourceChange {
  readonly sourceId: string;
  /** The source as the `after` result names it (the `before` one when removed). */
  readonly source: PathSource;
  readonly kind: SourceChangeKind;
  readonly before: EgressPath | null;
  readonly after: EgressPath | null;
  readonly differences: PathDifferences;
}

export interface ComparisonSummary {
  readonly unchanged: number;
  readonly changed: number;
  readonly added: number;
  readonly removed: number;
  readonly total: number;
}

export interface ResultComparison {
  /** One entry per source ID in either result, sorted by source ID. */
  readonly changes: readonly SourceChange[];
  readonly summary: ComparisonSummary;
  /** Set when the two results answer different destinations (then every path may differ for that reason alone). */
  readonly destination: FieldChange<string> | null;
}

const NO_DIFFERENCES: PathDifferences = { verdict: null, exit: null, via: null, egressIps: null, findings: null };

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

function sortedUnique<T extends string>(items: readonly T[]): T[] {
  return [...new Set(items)].sort(compareText);
}

function changeOf<T>(was: T, now: T, same: (a: T, b: T) => boolean): FieldChange<T> | null {
  return same(was, now) ? null : { was, now };
}

function findingCodes(path: EgressPath): FindingCode[] {
  return sortedUnique(path.findings.map((f) => f.code));
}

export function diffPaths(before: EgressPath, after: EgressPath): PathDifferences {
  return {
    verdict: changeOf(before.verdict, after.verdict, (a, b) => a === b),
    exit: changeOf(before.exit, after.exit, (a, b) => a === b),
    via: changeOf<readonly string[]>(before.via.map((v) => v.id), after.via.map((v) => v.id), sameList),
    egressIps: changeOf<readonly string[]>(sortedUnique(before.egressIps), sortedUnique(after.egressIps), sameList),
    findings: changeOf<readonly FindingCode[]>(findingCodes(before), findingCodes(after), sameList),
  };
}

function hasDifferences(d: PathDifferences): boolean {
  return d.verdict !== null || d.exit !== null || d.via !== null || d.egressIps !== null || d.findings !== null;
}

/** ARM IDs are case-insensitive; results normally carry canonical lower-case IDs already. */
function sourceKey(path: EgressPath): string {
  return path.source.id.toLowerCase();
}

function bySource(paths: readonly EgressPath[]): Map<string, EgressPath> {
  return new Map(paths.map((p) => [sourceKey(p), p]));
}

function compareSource(sourceId: string, before: EgressPath | undefined, after: EgressPath | undefined): SourceChange | null {
  if (before !== undefined && after !== undefined) {
    const differences = diffPaths(before, after);
    const kind = hasDifferences(differences) ? 'changed' : 'unchanged';
    return { sourceId, source: after.source, kind, before, after, differences };
  }
  if (after !== undefined) return { sourceId, source: after.source, kind: 'added', before: null, after, differences: NO_DIFFERENCES };
  if (before !== undefined) return { sourceId, source: before.source, kind: 'removed', before, after: null, differences: NO_DIFFERENCES };
  return null;
}

/** Source-by-source comparison of two results, with summary counts. */
export function compareResults(before: ComparableResult, after: ComparableResult): ResultComparison {
  const was = bySource(before.paths);
  const now = bySource(after.paths);
  const keys = [...new Set([...was.keys(), ...now.keys()])].sort(compareText);
  const changes = keys.flatMap((key) => {
    const change = compareSource(key, was.get(key), now.get(key));
    return change === null ? [] : [change];
  });
  const count = (kind: SourceChangeKind): number => changes.filter((c) => c.kind === kind).length;
  return {
    changes,
    summary: { unchanged: count('unchanged'), changed: count('changed'), added: count('added'), removed: count('removed'), total: changes.length },
    destination: changeOf(before.destination, after.destination, (a, b) => a === b),
  };
}

// ---------------------------------------------------------------------------------------------
// One-line descriptions

/** `internet (nat-gateway)`, or just the verdict when there is no exit. */
export function describeOutcome(verdict: Verdict, exit: ExitMethod | null): string {
  return exit === null ? verdict : `${verdict} (${exit})`;
}

/** The name part of resource IDs, so a line stays short: `fw-hub, nva-1`; `none` when empty. */
function describeIds(ids: readonly string[]): string {
  return ids.length === 0 ? 'none' : ids.map(nameFromResourceId).join(', ');
}

function describeList(items: readonly string[]): string {
  return items.length === 0 ? 'none' : items.join(', ');
}

function describeFindings(change: FieldChange<readonly FindingCode[]>): string {
  const added = change.now.filter((c) => !change.was.includes(c)).map((c) => `+${c}`);
  const removed = change.was.filter((c) => !change.now.includes(c)).map((c) => `\u2212${c}`);
  return `findings ${[...added, ...removed].join(' ')}`;
}

function describeDifferences(before: EgressPath, after: EgressPath, d: PathDifferences): string {
  const parts: string[] = [];
  // The exit rides along with a verdict change (`internet (nat-gateway) → denied`), else stands alone.
  if (d.verdict !== null) parts.push(`verdict ${describeOutcome(before.verdict, before.exit)} \u2192 ${describeOutcome(after.verdict, after.exit)}`);
  else if (d.exit !== null) parts.push(`exit ${d.exit.was ?? 'none'} \u2192 ${d.exit.now ?? 'none'}`);
  if (d.via !== null) parts.push(`via ${describeIds(d.via.was)} \u2192 ${describeIds(d.via.now)}`);
  if (d.egressIps !== null) parts.push(`egress IPs ${describeList(d.egressIps.was)} \u2192 ${describeList(d.egressIps.now)}`);
  if (d.findings !== null) parts.push(describeFindings(d.findings));
  return parts.join('; ');
}

/** One line, e.g. `verdict internet (nat-gateway) → denied; findings +firewall-default-deny`. */
export function describeChange(change: SourceChange): string {
  switch (change.kind) {
    case 'unchanged':
      return change.after === null ? 'unchanged' : `unchanged: ${describeOutcome(change.after.verdict, change.after.exit)}`;
    case 'added':
      return change.after === null ? 'added' : `added: ${describeOutcome(change.after.verdict, change.after.exit)}`;
    case 'removed':
      return change.before === null ? 'removed' : `removed (was ${describeOutcome(change.before.verdict, change.before.exit)})`;
    case 'changed':
      return change.before === null || change.after === null ? 'changed' : describeDifferences(change.before, change.after, change.differences);
  }
}

/**
 * Compares two resolver results (e.g. two snapshots of the same estate, or before/after a change),
 * source by source: what now leaves differently, and how. Pure; reads only the result contract
 * (and, when the caller has them, what each snapshot held: `CaptureExtent`).
 *
 * Three things make "present on one side only" subtler than added / removed:
 * - a NIC has an entry only while its path differs from its subnet's; where it has none it
 *   follows its subnet, so its subnet's path stands in for it on that side;
 * - a side that could not read part of the estate (its gaps: 403, throttling, a skipped file, …)
 *   or did not look at a subscription at all says nothing about what is there: such a source is
 *   "not captured" on that side, which is missing data, not a change in the network;
 * - a finding keeps its code but changes severity (default outbound access no VM uses yet is
 *   `info`; once a VM uses it, `warning`): that is a change;
 * - a source Unknown on either side cannot be compared: its egress there is not known, so neither
 *   "unchanged" nor "changed" would be true. It gets its own outcome, `not-compared`, and when both
 *   sides are Unknown, whether the missing fact is the same.
 *
 * A path is compared by everything it decides: verdict, exit, via, egress IPs, SNAT ports, the
 * findings on its source (its own and the estate-level ones naming it, as the app lists them) and
 * the decision its terminal step records (which gateway a forced tunnel uses, which peered VNet
 * delivers, which NSG denies): two paths alike in all but the last send traffic to different places.
 */
import type { Gap, GapCode } from '../model/gaps';
import { nameFromResourceId, parseResourceId } from '../model/ids';
import type { CaptureScope } from '../model/snapshot';
import type { NetworkModel } from '../model/topology';
import { estateFindingsBySource, sourceFindings } from './source-findings';
import type { TerminalReason } from './steps';
import type { EgressPath, ExitMethod, Finding, FindingCode, FindingSeverity, PathSource, ResolveResult, Verdict } from './types';

/** Which of the two compared results. */
export type Side = 'before' | 'after';

/**
 * What a side's snapshot held beyond its paths, for callers that have the snapshot (the app has
 * both). Without it compare judges from the paths and gaps alone: a NIC without an entry whose
 * subnet is there is taken to follow its subnet, and no subscription is taken as out of scope.
 */
export interface CaptureExtent {
  /** Subscriptions the capture covered (`metadata.scope.subscriptionIds`); empty = not known. */
  readonly subscriptionIds: readonly string[];
  /**
   * Every NIC in the snapshot's model, whether or not it has an entry of its own, with the subnet
   * of its primary (else first) IP configuration in that snapshot: a NIC can move to another
   * subnet between captures, and on each side it follows the subnet it was in there.
   */
  readonly nics: readonly CapturedNic[];
}

export interface CapturedNic {
  readonly id: string;
  /** Null when no IP configuration names a subnet. */
  readonly subnetId: string | null;
}

/** A `ResolveResult` (only its destination, paths, estate findings and gaps are read), with what its snapshot held when known. */
export interface ComparableResult extends Pick<ResolveResult, 'destination' | 'paths' | 'findings' | 'gaps'> {
  readonly capture?: CaptureExtent;
}

/** The capture extent of a snapshot, for `ComparableResult.capture` (only its scope's subscriptions and its NICs are read). */
export function captureExtentOf(snapshot: {
  readonly metadata: { readonly scope: Pick<CaptureScope, 'subscriptionIds'> };
  readonly model: Pick<NetworkModel, 'networkInterfaces'>;
}): CaptureExtent {
  return {
    subscriptionIds: snapshot.metadata.scope.subscriptionIds,
    nics: snapshot.model.networkInterfaces.map((n) => {
      // The same choice as the resolver and the source list: the primary IP configuration decides.
      const config = n.ipConfigurations.find((c) => c.primary) ?? n.ipConfigurations[0];
      return { id: n.id, subnetId: config?.subnetId ?? null };
    }),
  };
}

/**
 * `not-captured`: the source is in one result only, and the other could not have seen it (its gaps,
 * or a subscription outside its scope). Missing data, not a change: neither added nor removed.
 * `not-compared`: both results answer for the source but at least one says Unknown: whether its
 * egress changed is not known, so it is neither unchanged nor changed.
 */
export type SourceChangeKind = 'unchanged' | 'changed' | 'not-compared' | 'added' | 'removed' | 'not-captured';

export interface FieldChange<T> {
  readonly was: T;
  readonly now: T;
}

/** A finding as compare sees it: its code and how severe it is (`info` also marks a hypothetical one). */
export interface FindingKey {
  readonly code: FindingCode;
  readonly severity: FindingSeverity;
}

/** What changed for one source. Each field is null when that aspect did not change (always null unless `changed`). */
export interface PathDifferences {
  readonly verdict: FieldChange<Verdict> | null;
  readonly exit: FieldChange<ExitMethod | null> | null;
  /** Ordered: the same hops in another order is a change. */
  readonly via: FieldChange<readonly string[]> | null;
  /** Compared as sets; the lists are sorted. */
  readonly egressIps: FieldChange<readonly string[]> | null;
  /**
   * Compared as sets of (code, severity); the lists are sorted by code, then severity, and
   * de-duplicated. Severity counts: default-outbound going from `info` (no VM uses it) to
   * `warning` (a VM now egresses through this deprecated path) is a change.
   */
  readonly findings: FieldChange<readonly FindingKey[]> | null;
  /** SNAT ports available at the exit (null: not known); fewer ports is a higher exhaustion risk. */
  readonly snatPorts: FieldChange<number | null> | null;
  /** What the path's terminal step decided, when only that differs or along with the rest. */
  readonly decision: FieldChange<Decision | null> | null;
}

/**
 * The identity of a terminal step's decision: its kind and the resources it names (lower-cased,
 * sorted; the path's own source stands as `SELF`, so a NIC and the subnet it follows compare
 * alike). Text fields (rule names, messages) are left out: they describe, the resources decide.
 */
export interface Decision {
  readonly kind: TerminalReason['kind'];
  readonly resourceIds: readonly string[];
  /**
   * For an unknown end (missingFactOf): the words that name the missing fact. Two facts about one
   * resource (a route without a next hop, the same route with a next hop of the other IP version)
   * are different facts.
   */
  readonly fact?: string;
}

/** Stands for the path's own source among a decision's resources. */
export const SELF = 'self';

interface SourceChangeBase {
  readonly sourceId: string;
  /** The source as the `after` result names it (the `before` one when only that has it). */
  readonly source: PathSource;
  readonly differences: PathDifferences;
}

/** Both sides answer for the source. */
export interface ComparedSource extends SourceChangeBase {
  readonly kind: 'unchanged' | 'changed' | 'not-compared';
  readonly before: EgressPath;
  readonly after: EgressPath;
  /**
   * Set for a NIC with an entry of its own on one side only: on this side it had none, so it
   * followed its subnet, and `before` / `after` there is the subnet's path (source: the subnet).
   */
  readonly followsSubnet: Side | null;
  /** Where the verdict is Unknown (set exactly when `not-compared`). */
  readonly unknownIn: Side | 'both' | null;
  /** Unknown on both sides: the missing fact's decision on each, when they differ (else null). */
  readonly missingFact: FieldChange<Decision | null> | null;
}

export interface AddedSource extends SourceChangeBase {
  readonly kind: 'added';
  readonly before: null;
  readonly after: EgressPath;
}

export interface RemovedSource extends SourceChangeBase {
  readonly kind: 'removed';
  readonly before: EgressPath;
  readonly after: null;
}

/** Why the side without the source could not have seen it. */
export type NotCapturedBecause =
  /** That side's gaps that could hide it (read failures over its subscription, type, VNet, file, …). */
  | { readonly kind: 'gaps'; readonly gaps: readonly Gap[] }
  /** That side's capture did not cover the source's subscription at all. */
  | { readonly kind: 'outside-scope'; readonly subscriptionId: string };

export type NotCapturedSource = SourceChangeBase & { readonly kind: 'not-captured'; readonly because: NotCapturedBecause } & (
  | { readonly missingFrom: 'after'; readonly before: EgressPath; readonly after: null }
  | { readonly missingFrom: 'before'; readonly before: null; readonly after: EgressPath }
);

/** What changed for one source. */
export type SourceChange = ComparedSource | AddedSource | RemovedSource | NotCapturedSource;

export interface ComparisonSummary {
  readonly unchanged: number;
  readonly changed: number;
  /** Unknown on one side or both: not counted as unchanged nor as changed. */
  readonly notCompared: number;
  readonly added: number;
  readonly removed: number;
  /** In one result only because the other could not have seen it: not counted as added or removed. */
  readonly notCaptured: number;
  readonly total: number;
}

export interface ResultComparison {
  /** One entry per source ID in either result, sorted by source ID. */
  readonly changes: readonly SourceChange[];
  readonly summary: ComparisonSummary;
  /** Set when the two results answer different destinations (then every path may differ for that reason alone). */
  readonly destination: FieldChange<string> | null;
}

const NO_DIFFERENCES: PathDifferences = { verdict: null, exit: null, via: null, egressIps: null, findings: null, snatPorts: null, decision: null };

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

const SEVERITY_ORDER: Readonly<Record<FindingSeverity, number>> = { info: 0, warning: 1, error: 2 };

function findingKeys(findings: readonly Finding[]): FindingKey[] {
  const byKey = new Map<string, FindingKey>();
  for (const f of findings) byKey.set(`${f.code}|${f.severity}`, { code: f.code, severity: f.severity });
  return [...byKey.values()].sort((a, b) => compareText(a.code, b.code) || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

function sameFindings(a: readonly FindingKey[], b: readonly FindingKey[]): boolean {
  return a.length === b.length && a.every((k, i) => k.code === b[i]?.code && k.severity === b[i]?.severity);
}

/** Every string under an `id` or `resourceId` key of a terminal reason, at any depth (Named, RouteRef, …). */
function namedResources(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) namedResources(item, out);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if ((key === 'id' || key === 'resourceId') && typeof item === 'string') out.add(item.toLowerCase());
      else namedResources(item, out);
    }
  }
}

/** The decision of a path's terminal step; null for a path without steps (results written before steps existed). */
export function decisionOf(path: EgressPath): Decision | null {
  const last = path.steps[path.steps.length - 1];
  if (last?.kind !== 'terminal') return null;
  const ids = new Set<string>();
  namedResources(last.reason, ids);
  // A NIC's own subnet stands as SELF too: the subnet's path names the subnet as its own source, so a
  // NIC that followed it and one with an entry of its own ending at the same subnet compare alike.
  const self = path.source.id.toLowerCase();
  const ownSubnet = path.source.type === 'nic' ? path.source.subnetId?.toLowerCase() : undefined;
  return { kind: last.reason.kind, resourceIds: sortedUnique([...ids].map((id) => (id === self || id === ownSubnet ? SELF : id))) };
}

/** The text fields of a terminal reason that name what is missing, in the order they say the most. */
const FACT_FIELDS = ['missingFact', 'what', 'consequence', 'reason', 'rule'] as const;

/** The decision of an unknown path's end with the words that name its missing fact. */
function missingFactOf(path: EgressPath): Decision | null {
  const decision = decisionOf(path);
  const last = path.steps[path.steps.length - 1];
  if (decision === null || last?.kind !== 'terminal') return decision;
  const reason: Readonly<Record<string, unknown>> = last.reason;
  const fact = FACT_FIELDS.map((key) => reason[key]).find((value): value is string => typeof value === 'string' && value !== '');
  return fact === undefined ? decision : { ...decision, fact };
}

function sameDecision(a: Decision | null, b: Decision | null): boolean {
  return a === null || b === null ? a === b : a.kind === b.kind && sameList(a.resourceIds, b.resourceIds) && a.fact === b.fact;
}

/** Estate-level findings per source (`estateFindingsBySource`) of each side, when the caller has them. */
export interface EstateFindings {
  readonly before: ReadonlyMap<string, readonly Finding[]>;
  readonly after: ReadonlyMap<string, readonly Finding[]>;
}

const NO_ESTATE_FINDINGS: EstateFindings = { before: new Map(), after: new Map() };

export function diffPaths(before: EgressPath, after: EgressPath, estate: EstateFindings = NO_ESTATE_FINDINGS): PathDifferences {
  return {
    verdict: changeOf(before.verdict, after.verdict, (a, b) => a === b),
    exit: changeOf(before.exit, after.exit, (a, b) => a === b),
    via: changeOf<readonly string[]>(before.via.map((v) => v.id), after.via.map((v) => v.id), sameList),
    egressIps: changeOf<readonly string[]>(sortedUnique(before.egressIps), sortedUnique(after.egressIps), sameList),
    findings: changeOf<readonly FindingKey[]>(
      findingKeys(sourceFindings(before, estate.before)), findingKeys(sourceFindings(after, estate.after)), sameFindings,
    ),
    snatPorts: changeOf(before.snatPorts, after.snatPorts, (a, b) => a === b),
    decision: changeOf(decisionOf(before), decisionOf(after), sameDecision),
  };
}

function hasDifferences(d: PathDifferences): boolean {
  return d.verdict !== null || d.exit !== null || d.via !== null || d.egressIps !== null || d.findings !== null
    || d.snatPorts !== null || d.decision !== null;
}

// ---------------------------------------------------------------------------------------------
// Each side, indexed

/** ARM IDs are case-insensitive; results normally carry canonical lower-case IDs already. */
function sourceKey(path: EgressPath): string {
  return path.source.id.toLowerCase();
}

function bySource(paths: readonly EgressPath[]): Map<string, EgressPath> {
  return new Map(paths.map((p) => [sourceKey(p), p]));
}

interface SideIndex {
  readonly paths: ReadonlyMap<string, EgressPath>;
  /** Lower-cased NIC ID → lower-cased subnet ID (null: none) in the side's model, when its capture extent is known. */
  readonly nicSubnets: ReadonlyMap<string, string | null> | null;
  /** Lower-cased subscriptions of its capture scope; empty = not known. */
  readonly subscriptionIds: ReadonlySet<string>;
  /** Its gaps that mean something was not read, indexed by what they cover (an estate can have thousands of gaps). */
  readonly unread: UnreadIndex;
  readonly findings: ReadonlyMap<string, readonly Finding[]>;
}

function indexSide(result: ComparableResult): SideIndex {
  return {
    paths: bySource(result.paths),
    nicSubnets: result.capture ? new Map(result.capture.nics.map((n) => [n.id.toLowerCase(), n.subnetId?.toLowerCase() ?? null])) : null,
    subscriptionIds: new Set(result.capture?.subscriptionIds.map((id) => id.toLowerCase()) ?? []),
    unread: indexUnread(result.gaps),
    findings: estateFindingsBySource(result.findings),
  };
}

// ---------------------------------------------------------------------------------------------
// What a side could not have seen

/**
 * Gap codes meaning part of the input was not read, so what they cover may exist unseen. Not the
 * others: `unsupported-resource-type` and `not-modelled` were read (subnets and NICs are modelled),
 * and `effective-routes-unavailable` / `metrics-unavailable` concern a resource that was read.
 */
const UNREAD: ReadonlySet<GapCode> = new Set<GapCode>(['access-denied', 'throttled', 'timeout', 'request-failed', 'skipped-input', 'missing-reference']);

/** The resource types a source's entry is built from: subnets come with their VNet; a NIC needs its own read and its subnet's. */
const SUBNET_TYPES: readonly string[] = ['microsoft.network/virtualnetworks', 'microsoft.network/virtualnetworks/subnets'];
const NIC_TYPE = 'microsoft.network/networkinterfaces';

/** One source as the gap and scope checks see it: lower-cased IDs. */
export interface SourceFacts {
  readonly ids: readonly string[];
  readonly types: readonly string[];
  readonly subscriptionId: string | null;
}

/**
 * `subnetSeen`: the side has the NIC's subnet. A NIC is only resolved through its subnet, so
 * whatever hid the subnet (its VNet, a VNet list that failed) hid the NIC too; but when the subnet
 * was read, a gap about it (say a route table it names is missing) says nothing about the NIC.
 */
function factsOf(source: PathSource, subnetSeen: boolean): SourceFacts {
  const id = source.id.toLowerCase();
  const subscriptionId = parseResourceId(id)?.subscriptionId ?? null;
  if (source.type === 'subnet') return { ids: [id], types: SUBNET_TYPES, subscriptionId };
  const subnetId = subnetSeen ? undefined : source.subnetId?.toLowerCase();
  return {
    ids: subnetId === undefined ? [id] : [id, subnetId],
    types: subnetSeen ? [NIC_TYPE] : [NIC_TYPE, ...SUBNET_TYPES],
    subscriptionId,
  };
}

/** `/subscriptions/{s}/providers/{namespace}/{type}`: one type listed in one subscription (the live pull's ARM lists). */
const TYPE_IN_SUBSCRIPTION = /^\/subscriptions\/([^/]+)\/providers\/([^/]+\/[^/]+)$/;
/** A bare resource type: the same read over several subscriptions. */
const BARE_TYPE = /^microsoft\.[a-z0-9]+(?:\/[a-z0-9]+)+$/;

/**
 * What a gap says was not read. Its scope names a resource ID (and so its children: a VNet's
 * subnets), a resource group or a subscription; or a type, in one subscription or in several.
 * Any other scope (a skipped file, a refused tenant or management group) does not say which
 * resources it held, so it could hold any.
 */
type UnreadPart =
  | { readonly kind: 'under'; readonly gap: Gap; readonly id: string }
  | { readonly kind: 'type'; readonly gap: Gap; readonly type: string; readonly subscriptionId: string | null }
  | { readonly kind: 'anything'; readonly gap: Gap };

function unreadPart(gap: Gap): UnreadPart {
  const scope = gap.scope.trim().replace(/\/+$/, '').toLowerCase();
  const typed = TYPE_IN_SUBSCRIPTION.exec(scope);
  if (typed) return { kind: 'type', gap, type: typed[2] ?? '', subscriptionId: typed[1] ?? null };
  if (scope.startsWith('/subscriptions/')) return { kind: 'under', gap, id: scope };
  if (BARE_TYPE.test(scope)) return { kind: 'type', gap, type: scope, subscriptionId: null };
  return { kind: 'anything', gap };
}

/**
 * A side's unread parts, keyed by what a source is looked up under, so finding the gaps that could
 * hide one source costs its ID's depth and its few types, not the number of gaps: comparing
 * against a capture that missed a subscription looks up every source of it.
 */
export interface UnreadIndex {
  /** Scope ID → its gaps: they hide that resource and everything under it. */
  readonly under: ReadonlyMap<string, readonly Positioned[]>;
  /** `subscription|type` (`*|type` for a type read over several subscriptions) → its gaps. */
  readonly byType: ReadonlyMap<string, readonly Positioned[]>;
  /** Gaps whose scope does not say what it held: they could hide any source. */
  readonly anything: readonly Positioned[];
}

/** A gap with its position among the side's gaps, so the gaps found for a source keep the side's order. */
interface Positioned {
  readonly at: number;
  readonly gap: Gap;
}

function push(map: Map<string, Positioned[]>, key: string, item: Positioned): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [item]);
  else list.push(item);
}

const typeKey = (subscriptionId: string | null, type: string): string => `${subscriptionId ?? '*'}|${type}`;

export function indexUnread(gaps: readonly Gap[]): UnreadIndex {
  const under = new Map<string, Positioned[]>();
  const byType = new Map<string, Positioned[]>();
  const anything: Positioned[] = [];
  gaps.forEach((gap, at) => {
    if (!UNREAD.has(gap.code)) return;
    const part = unreadPart(gap);
    switch (part.kind) {
      case 'under': push(under, part.id, { at, gap }); break;
      case 'type': push(byType, typeKey(part.subscriptionId, part.type), { at, gap }); break;
      case 'anything': anything.push({ at, gap }); break;
    }
  });
  return { under, byType, anything };
}

/** `/a/b/c` → `/a`, `/a/b`, `/a/b/c`: the scopes a gap on which covers the ID. */
function idAndAncestors(id: string): string[] {
  const out: string[] = [];
  for (let at = id.indexOf('/', 1); at > 0; at = id.indexOf('/', at + 1)) out.push(id.slice(0, at));
  out.push(id);
  return out;
}

/** The side's gaps that could hide the source, in the side's order. */
export function gapsHiding(index: UnreadIndex, source: SourceFacts): readonly Gap[] {
  const found = new Map<number, Gap>();
  const add = (items: readonly Positioned[] | undefined): void => {
    for (const item of items ?? []) found.set(item.at, item.gap);
  };
  for (const id of source.ids) for (const scope of idAndAncestors(id)) add(index.under.get(scope));
  for (const type of source.types) {
    add(index.byType.get(typeKey(null, type)));
    if (source.subscriptionId !== null) add(index.byType.get(typeKey(source.subscriptionId, type)));
  }
  add(index.anything);
  return [...found.entries()].sort(([a], [b]) => a - b).map(([, gap]) => gap);
}

/** Why `side` could not have seen the source, or null when it could have (then absent means absent). */
function notCapturedBecause(source: PathSource, side: SideIndex): NotCapturedBecause | null {
  const subnetSeen = source.type === 'nic' && source.subnetId !== undefined && side.paths.has(source.subnetId.toLowerCase());
  const facts = factsOf(source, subnetSeen);
  // An empty scope is an unknown scope (older snapshots), not "nothing captured".
  if (side.subscriptionIds.size > 0 && facts.subscriptionId !== null && !side.subscriptionIds.has(facts.subscriptionId)) {
    return { kind: 'outside-scope', subscriptionId: facts.subscriptionId };
  }
  const gaps = gapsHiding(side.unread, facts);
  return gaps.length > 0 ? { kind: 'gaps', gaps } : null;
}

// ---------------------------------------------------------------------------------------------
// Source by source

function unknownIn(before: EgressPath, after: EgressPath): Side | 'both' | null {
  const was = before.verdict === 'unknown';
  const now = after.verdict === 'unknown';
  return was && now ? 'both' : was ? 'before' : now ? 'after' : null;
}

function compared(sourceId: string, source: PathSource, before: EgressPath, after: EgressPath, followsSubnet: Side | null, estate: EstateFindings): ComparedSource {
  const unknown = unknownIn(before, after);
  if (unknown !== null) {
    // Unknown means a fact needed to decide is missing on that side: no claim either way.
    // The words of a missing fact name the path's own source ("from NIC vm1", "from subnet app"): for a
    // NIC that follows its subnet on one side they differ by that name alone, so only the decision counts.
    const factOf = followsSubnet === null ? missingFactOf : decisionOf;
    const missingFact = unknown === 'both' ? changeOf(factOf(before), factOf(after), sameDecision) : null;
    return { sourceId, source, kind: 'not-compared', before, after, differences: NO_DIFFERENCES, followsSubnet, unknownIn: unknown, missingFact };
  }
  const differences = diffPaths(before, after, estate);
  return {
    sourceId, source, kind: hasDifferences(differences) ? 'changed' : 'unchanged', before, after, differences, followsSubnet,
    unknownIn: null, missingFact: null,
  };
}

/**
 * The path a NIC without an entry of its own on `side` follows there: the subnet it is in on that
 * side, unless that side's model is known not to hold the NIC (then it is gone, not following
 * anything). Without the side's capture extent, the subnet the other side names is the best guess.
 */
function subnetStandIn(source: PathSource, side: SideIndex): EgressPath | null {
  if (source.type !== 'nic') return null;
  const subnetId = side.nicSubnets === null ? source.subnetId?.toLowerCase() : side.nicSubnets.get(source.id.toLowerCase());
  if (subnetId === undefined || subnetId === null) return null;
  return side.paths.get(subnetId) ?? null;
}

function compareSource(sourceId: string, was: SideIndex, now: SideIndex): SourceChange | null {
  const before = was.paths.get(sourceId);
  const after = now.paths.get(sourceId);
  const estate: EstateFindings = { before: was.findings, after: now.findings };
  if (before !== undefined && after !== undefined) return compared(sourceId, after.source, before, after, null, estate);
  if (after !== undefined) {
    const standIn = subnetStandIn(after.source, was);
    if (standIn !== null) return compared(sourceId, after.source, standIn, after, 'before', estate);
    const because = notCapturedBecause(after.source, was);
    if (because !== null) return { sourceId, source: after.source, kind: 'not-captured', missingFrom: 'before', because, before: null, after, differences: NO_DIFFERENCES };
    return { sourceId, source: after.source, kind: 'added', before: null, after, differences: NO_DIFFERENCES };
  }
  if (before !== undefined) {
    const standIn = subnetStandIn(before.source, now);
    if (standIn !== null) return compared(sourceId, before.source, before, standIn, 'after', estate);
    const because = notCapturedBecause(before.source, now);
    if (because !== null) return { sourceId, source: before.source, kind: 'not-captured', missingFrom: 'after', because, before, after: null, differences: NO_DIFFERENCES };
    return { sourceId, source: before.source, kind: 'removed', before, after: null, differences: NO_DIFFERENCES };
  }
  return null;
}

/** Source-by-source comparison of two results, with summary counts. */
export function compareResults(before: ComparableResult, after: ComparableResult): ResultComparison {
  const was = indexSide(before);
  const now = indexSide(after);
  const keys = [...new Set([...was.paths.keys(), ...now.paths.keys()])].sort(compareText);
  const changes = keys.flatMap((key) => {
    const change = compareSource(key, was, now);
    return change === null ? [] : [change];
  });
  const counts = new Map<SourceChangeKind, number>();
  for (const c of changes) counts.set(c.kind, (counts.get(c.kind) ?? 0) + 1);
  const count = (kind: SourceChangeKind): number => counts.get(kind) ?? 0;
  return {
    changes,
    summary: {
      unchanged: count('unchanged'), changed: count('changed'), notCompared: count('not-compared'), added: count('added'), removed: count('removed'),
      notCaptured: count('not-captured'), total: changes.length,
    },
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

function severitiesOf(keys: readonly FindingKey[], code: FindingCode): string {
  return keys.filter((k) => k.code === code).map((k) => k.severity).join(', ');
}

/** `forced-tunnel vgw-hub1`: the decision's kind and the names of the resources it names (the source itself left out). */
export function describeDecision(decision: Decision | null): string {
  if (decision === null) return 'none';
  const named = decision.resourceIds.filter((id) => id !== SELF).map(nameFromResourceId);
  const head = named.length === 0 ? decision.kind : `${decision.kind} ${named.join(', ')}`;
  return decision.fact === undefined ? head : `${head} ("${decision.fact}")`;
}

/** `1,024`; `unknown` when the result does not say. */
function describePorts(ports: number | null): string {
  return ports === null ? 'unknown' : ports.toLocaleString('en-US');
}

/** `findings +firewall-default-deny −default-outbound`; a code on both sides whose severity moved: `default-outbound info → warning`. */
function describeFindings(change: FieldChange<readonly FindingKey[]>): string {
  const was = sortedUnique(change.was.map((k) => k.code));
  const now = sortedUnique(change.now.map((k) => k.code));
  const added = now.filter((c) => !was.includes(c)).map((c) => `+${c}`);
  const removed = was.filter((c) => !now.includes(c)).map((c) => `\u2212${c}`);
  const moved = now.filter((c) => was.includes(c) && severitiesOf(change.was, c) !== severitiesOf(change.now, c))
    .map((c) => `${c} ${severitiesOf(change.was, c)} \u2192 ${severitiesOf(change.now, c)}`);
  return `findings ${[...added, ...removed, ...moved].join(' ')}`;
}

/**
 * What differs, in one line, without saying which side is which beyond before → after:
 * `exit public-ip → default-outbound; egress IPs 20.0.0.9 → none`. Empty when nothing does.
 */
export function describeDifferences(before: EgressPath, after: EgressPath, d: PathDifferences): string {
  const parts: string[] = [];
  // The exit rides along with a verdict change (`internet (nat-gateway) → denied`), else stands alone.
  if (d.verdict !== null) parts.push(`verdict ${describeOutcome(before.verdict, before.exit)} \u2192 ${describeOutcome(after.verdict, after.exit)}`);
  else if (d.exit !== null) parts.push(`exit ${d.exit.was ?? 'none'} \u2192 ${d.exit.now ?? 'none'}`);
  if (d.via !== null) parts.push(`via ${describeIds(d.via.was)} \u2192 ${describeIds(d.via.now)}`);
  if (d.egressIps !== null) parts.push(`egress IPs ${describeList(d.egressIps.was)} \u2192 ${describeList(d.egressIps.now)}`);
  if (d.findings !== null) parts.push(describeFindings(d.findings));
  if (d.snatPorts !== null) parts.push(`SNAT ports ${describePorts(d.snatPorts.was)} \u2192 ${describePorts(d.snatPorts.now)}`);
  // A verdict change already says the decision changed (its kind fixes the verdict): named only when the verdict holds.
  if (d.decision !== null && d.verdict === null) parts.push(`decision ${describeDecision(d.decision.was)} \u2192 ${describeDecision(d.decision.now)}`);
  return parts.join('; ');
}

const MAX_GAPS_NAMED = 3;

/** Why a source is not captured, in words: `access-denied on /subscriptions/…`, or the subscription outside the scope. */
export function describeNotCapturedBecause(because: NotCapturedBecause): string {
  switch (because.kind) {
    case 'outside-scope':
      return `subscription ${because.subscriptionId} is outside that capture's scope`;
    case 'gaps': {
      const named = because.gaps.slice(0, MAX_GAPS_NAMED).map((g) => `${g.code} on ${g.scope}`);
      const more = because.gaps.length - named.length;
      return `${named.join(', ')}${more > 0 ? ` (+${more} more gap${more === 1 ? '' : 's'})` : ''}`;
    }
  }
}

/** `(after: no entry of its own, follows subnet app)`: the subnet's path stood in on that side. */
function describeFollows(change: ComparedSource): string {
  if (change.followsSubnet === null) return '';
  const standIn = change.followsSubnet === 'before' ? change.before : change.after;
  return ` (${change.followsSubnet}: no entry of its own, follows subnet ${standIn.source.name})`;
}

/**
 * Why a source Unknown on a side could not be compared: `unknown after (was internet (nat-gateway))`,
 * or on both sides, with the missing fact when it differs: `unknown in both; missing fact
 * missing-resource rt-old ("route table rt-old") → not-evaluated ("next hop type not modelled")`.
 */
export function describeNotCompared(change: ComparedSource): string {
  switch (change.unknownIn) {
    case 'before': return `unknown before (now ${describeOutcome(change.after.verdict, change.after.exit)})`;
    case 'after': return `unknown after (was ${describeOutcome(change.before.verdict, change.before.exit)})`;
    case 'both':
    case null: {
      const fact = change.missingFact === null ? 'the same missing fact'
        : `missing fact ${describeDecision(change.missingFact.was)} \u2192 ${describeDecision(change.missingFact.now)}`;
      return `unknown in both; ${fact}`;
    }
  }
}

/** One line, e.g. `verdict internet (nat-gateway) → denied; findings +firewall-default-deny`. */
export function describeChange(change: SourceChange): string {
  switch (change.kind) {
    case 'unchanged':
      return `unchanged: ${describeOutcome(change.after.verdict, change.after.exit)}${describeFollows(change)}`;
    case 'added':
      return `added: ${describeOutcome(change.after.verdict, change.after.exit)}`;
    case 'removed':
      return `removed (was ${describeOutcome(change.before.verdict, change.before.exit)})`;
    case 'changed':
      return `${describeDifferences(change.before, change.after, change.differences)}${describeFollows(change)}`;
    case 'not-compared':
      return `could not compare: ${describeNotCompared(change)}${describeFollows(change)}`;
    case 'not-captured': {
      const present = change.missingFrom === 'after' ? `was ${describeOutcome(change.before.verdict, change.before.exit)}` : `now ${describeOutcome(change.after.verdict, change.after.exit)}`;
      return `not captured ${change.missingFrom} (${present}): ${describeNotCapturedBecause(change.because)}`;
    }
  }
}

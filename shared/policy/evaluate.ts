/**
 * `checkPolicy(input, policy, options)`: every control of a policy against one estate, the
 * `egress-atlas/check@1` result. Pure and deterministic (the clock is an option), built only on
 * the engine's answers: the default-route resolve for route-level requirements, one what-if resolve
 * per distinct destination (shared by every control that names it), and `computeReach` for
 * `mayReach`. A path the engine calls `unknown` never passes a must / forbid requirement: it is a
 * violation saying it could not be proven, because an auditor needs a pass they can rely on.
 *
 * Each requirement judges the entries of the resolve it is about: a NIC whose path differs from its
 * subnet's only for one destination (an NSG rule for its ASG) has an entry in that destination's
 * resolve and none in the default route's, and is judged there under its own name.
 */
import { fqdnPatternMatches, parseDestinationSpec } from '../egress/destination-spec';
import { normalizeRegion, pairedRegionsOf } from '../model/region-pairs';
import { SERVICE_ENDPOINT_TAGS } from '../routing/subnet-routes';
import { stepResourceIds, toResolveJson } from '../egress/explain';
import type { ResolveJsonPath } from '../egress/explain';
import type { ResolveInput } from '../egress/index';
import { primaryIpConfiguration } from '../egress/outbound';
import { computeReach, coversEveryPort, nsgPortClassesTo, reachPortsText } from '../egress/reach';
import type { NsgPortClass, OnPremisesFlow, PortClassDestination, ReachEntry, ReachResult, ReachSource } from '../egress/reach';
import { resolveEgress } from '../egress/resolve';
import { EXITS } from '../egress/types';
import type { EgressPath, PathSource, ResolveResult } from '../egress/types';
import type { DestinationSpec } from '../egress/destination-spec';
import type { GapCode } from '../model/gaps';
import { nameFromResourceId, namesOf, parseResourceId, toResourceId } from '../model/ids';
import type { ResourceId } from '../model/ids';
import { cidrContainsCidr, parseCidr } from '../model/ip';
import { Ipv4Set } from '../model/ip-set';
import { buildServiceTagIndex } from '../model/service-tags';
import type { ServiceTagIndex, ServiceTagSet } from '../model/service-tags';
import { effectiveTags } from '../model/tags';
import type { NetworkModel, NetworkResource, Subnet, VirtualNetwork } from '../model/topology';
import { anyMatches, idSelectorMayMatch, selectorMatches } from './glob';
import { CHECK_SCHEMA } from './types';
import type {
  CheckGap, CheckResult, CheckSource, Control, ControlResult, ControlStatus, ExceptionApplied, ExceptionExpired, ExceptionRef, Policy, PolicyException,
  ReachPattern, Requirement, RequirementKind, Scope, Selector, UnmatchedScopeEntry, Violation,
} from './types';

export interface CheckOptions {
  /** The instant exception expiry is judged against (injected: the same inputs give the same result). */
  readonly now: Date;
  /** Evaluate route-level requirements against this destination instead of the default route (what-if). */
  readonly destination?: string | null;
  /** `--resolve name=ip`: the public address a host name resolves to. */
  readonly resolve?: Readonly<Record<string, string>>;
}

/** Where a source sits: what scopes and exceptions are matched against. */
export interface SourceInfo {
  readonly source: CheckSource;
  readonly path: EgressPath;
  readonly workload: boolean;
  /** Name and ID of the source itself. */
  readonly own: readonly string[];
  /** Name and ID of its subnet (for a NIC, the subnet it sits in). */
  readonly subnet: readonly string[];
  readonly vnet: readonly string[];
  readonly resourceGroup: readonly string[];
  readonly subscription: readonly string[];
  /** Effective subnet tags, keys lower-cased (tag names are case-insensitive in Azure). */
  readonly tags: ReadonlyMap<string, string>;
}

/** A violation before exceptions, with the engine path that proves it. */
interface Finding {
  readonly requirement: RequirementKind;
  readonly subject: string | null;
  readonly reason: string;
  readonly path: EgressPath;
  /** mayReach: the ports and protocols of the reach entry (two entries on one destination differ by them). */
  readonly ports?: readonly string[];
  readonly protocols?: readonly string[];
}

const key = (source: Pick<PathSource, 'type' | 'id'>): string => `${source.type}|${source.id}`;

/**
 * What a destination's resolve depends on: its label, and the application protocol a URL states
 * (`https://git.example:22` is HTTPS on TCP 22, `git.example:22` only TCP 22: application rules
 * may answer them differently), so the two never share a resolve.
 */
const destinationKey = (spec: DestinationSpec): string => (spec.applicationProtocol ? `${spec.label}|${spec.applicationProtocol}` : spec.label);
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function checkSource(source: PathSource): CheckSource {
  return { type: source.type, id: source.id, name: source.name };
}

export function buildSources(input: ResolveInput, base: ResolveResult, nicSubnet: ReadonlyMap<string, string>): SourceInfo[] {
  const subnets = new Map<string, Subnet>(input.model.subnets.map((s) => [s.id, s]));
  const vnets = new Map<string, VirtualNetwork>(input.model.virtualNetworks.map((v) => [v.id, v]));
  const find = (id: ResourceId): NetworkResource | undefined => vnets.get(id) ?? subnets.get(id);
  const tagCache = new Map<string, ReadonlyMap<string, string>>();
  const tagsOf = (subnet: Subnet): ReadonlyMap<string, string> => {
    let found = tagCache.get(subnet.id);
    if (!found) {
      found = new Map(Object.entries(effectiveTags(subnet, find).tags).map(([k, v]) => [k.toLowerCase(), v]));
      tagCache.set(subnet.id, found);
    }
    return found;
  };
  return base.paths.map((path): SourceInfo => {
    const subnetId = path.source.type === 'subnet' ? path.source.id : nicSubnet.get(path.source.id);
    const subnet = subnetId === undefined ? undefined : subnets.get(subnetId);
    const vnet = subnet ? vnets.get(subnet.virtualNetworkId) : undefined;
    const subscriptionId = subnet?.subscriptionId ?? '';
    const resourceGroup = subnet?.resourceGroup ?? '';
    return {
      source: checkSource(path.source), path,
      workload: (path.source.role ?? 'workload') === 'workload',
      own: [...namesOf(path.source), path.source.id],
      subnet: subnet ? [subnet.name, subnet.id] : [],
      vnet: subnet ? [vnet?.name ?? nameFromResourceId(subnet.virtualNetworkId), subnet.virtualNetworkId] : [],
      resourceGroup: subnet ? [resourceGroup, `/subscriptions/${subscriptionId}/resourcegroups/${resourceGroup}`] : [],
      subscription: subnet ? [subscriptionId, `/subscriptions/${subscriptionId}`] : [],
      tags: subnet ? tagsOf(subnet) : new Map(),
    };
  });
}

/**
 * A NIC that has an entry of its own only in some other resolve (a destination's, or the default
 * route's under --destination): its route-level path is its subnet's, and it is scoped and
 * waived through its subnet like any NIC.
 */
function nicInfo(subnet: SourceInfo, nic: PathSource): SourceInfo {
  return { ...subnet, source: checkSource(nic), workload: (nic.role ?? 'workload') === 'workload', own: [...namesOf(nic), nic.id] };
}

export function inScope(scope: Scope, info: SourceInfo): boolean {
  if (!info.workload && !scope.includePlatform) return false;
  if (scope.subscriptions.length > 0 && !anyMatches(scope.subscriptions, info.subscription)) return false;
  if (scope.resourceGroups.length > 0 && !anyMatches(scope.resourceGroups, info.resourceGroup)) return false;
  if (scope.vnets.length > 0 && !anyMatches(scope.vnets, info.vnet)) return false;
  if (scope.subnets.length > 0 && !anyMatches(scope.subnets, info.subnet)) return false;
  for (const tag of scope.tags) {
    const value = info.tags.get(tag.key.toLowerCase());
    if (value === undefined || !selectorMatches(tag.value, value)) return false;
  }
  return true;
}

// ---- what the input did not read, and scope entries that select nothing ---------------------

/** Read failures: the codes a read of Azure (or of an export) that did not succeed is given (shared/model/gaps.ts). */
const READ_FAILURES: ReadonlySet<GapCode> = new Set<GapCode>(['access-denied', 'throttled', 'timeout', 'request-failed']);

/** Service tag data (a pull's `…/locations/<region>/serviceTags`, the merged inputs' `service tags`): prefixes, not resources of the estate. */
function isServiceTagData(scope: string): boolean {
  return scope.trim().toLowerCase() === 'service tags' || /\/servicetags\/?$/i.test(scope.trim());
}

/**
 * Whether a gap means part of the estate was NOT read, so sources in a control's scope (or what
 * their paths cross) may be missing from the input. Decided by what the gap is about, not by its
 * code alone:
 * - a read failure (access-denied, throttled, timeout, request-failed) is, when its scope is where
 *   resources are listed: the tenant, a management group, the subscription list, a subscription, a
 *   resource group, a resource type listed in a subscription, the child resources of a firewall
 *   policy or virtual hub. It is not when its scope is one network interface (the only read made
 *   per NIC is its effective routes: the engine computes them from configuration instead) or the
 *   service tag data (prefixes, not resources: rules on tags are the engine's unknowns);
 * - `skipped-input` is, when what it names is not in the input: a file that was skipped, one page
 *   of a longer list, a resource left out (malformed, or copies that disagree with no way to
 *   choose). It is not when the input holds the resource it names: two inputs held copies of it
 *   and one was used, a partial copy was set aside for a whole one, or a second effective-route
 *   capture was left out; the resource was read and is judged;
 * - no other code is: modelling gaps (not-modelled, missing-reference, …) concern what was read,
 *   and the engine makes the verdicts they touch unknown.
 * @param holds whether the input holds a resource of this (canonical, lower-case) ID
 */
export function leavesEstateUnread(gap: Pick<CheckGap, 'code' | 'scope'>, holds: (id: ResourceId) => boolean): boolean {
  if (isServiceTagData(gap.scope)) return false;
  if (READ_FAILURES.has(gap.code)) return parseResourceId(gap.scope)?.type !== 'microsoft.network/networkinterfaces';
  if (gap.code === 'skipped-input') return !holds(toResourceId(gap.scope));
  return false;
}

/** Every resource ID the model holds (canonical), for {@link leavesEstateUnread}. */
function heldIds(model: NetworkModel): ReadonlySet<string> {
  const ids = new Set<string>();
  for (const list of Object.values(model)) for (const r of list) ids.add(toResourceId(r.id));
  return ids;
}

/** The input's gaps that say part of the estate was not read ({@link leavesEstateUnread}), once each. */
export function unreadGaps(input: Pick<ResolveInput, 'gaps' | 'model'>): readonly CheckGap[] {
  let held: ReadonlySet<string> | null = null;
  const holds = (id: ResourceId): boolean => (held ??= heldIds(input.model)).has(id);
  const seen = new Set<string>();
  const out: CheckGap[] = [];
  for (const g of input.gaps) {
    const id = `${g.code}\u0000${g.scope}\u0000${g.message}`;
    if (seen.has(id) || !leavesEstateUnread(g, holds)) continue;
    seen.add(id);
    out.push({ code: g.code, scope: g.scope, message: g.message });
  }
  return out;
}

interface ArmScope {
  readonly subscription: string;
  readonly resourceGroup?: string;
  readonly vnet?: string;
  readonly subnet?: string;
  /** The ID is the subscription, group, VNet or subnet itself, not some other resource in it. */
  readonly container: boolean;
}

/** A gap's scope read as an ARM ID (null: a file, a resource type, the tenant). */
function armScope(text: string): ArmScope | null {
  const segments = text.replace(/\/+$/, '').split('/');
  const at = (i: number): string => (segments[i] ?? '').toLowerCase();
  const subscription = segments[2];
  if (segments[0] !== '' || at(1) !== 'subscriptions' || !subscription) return null;
  if (segments.length === 3) return { subscription, container: true };
  const resourceGroup = segments[4];
  if (at(3) !== 'resourcegroups' || !resourceGroup) return { subscription, container: false };
  if (segments.length === 5) return { subscription, resourceGroup, container: true };
  const vnet = segments[8];
  if (at(5) !== 'providers' || at(6) !== 'microsoft.network' || at(7) !== 'virtualnetworks' || !vnet) return { subscription, resourceGroup, container: false };
  if (segments.length === 9) return { subscription, resourceGroup, vnet, container: true };
  const subnet = segments[10];
  return at(9) === 'subnets' && subnet && segments.length === 11 ? { subscription, resourceGroup, vnet, subnet, container: true } : { subscription, resourceGroup, vnet, container: false };
}

/** The scope lists that name an ID's containers, outermost first: list i names depth i + 1. */
const CONTAINER_LISTS = ['subscriptions', 'resourceGroups', 'vnets', 'subnets'] as const;

/** The segments of a container's ID at a depth (1 subscription … 4 subnet); null where its name is not known. */
function containerSegments(names: readonly (string | null)[], depth: number): readonly (string | null)[] {
  const [subscription, group, vnet, subnet] = names;
  const all = ['', 'subscriptions', subscription ?? null, 'resourceGroups', group ?? null, 'providers', 'Microsoft.Network', 'virtualNetworks', vnet ?? null, 'subnets', subnet ?? null];
  return all.slice(0, [3, 5, 9, 11][depth - 1]);
}

/**
 * Whether a selector of the scope list at `depth` may select a container that an unread one is,
 * is inside, or holds: by name or by ID, as written. At the unread container's own level or above
 * it, the name (or ID) it has must match; below it, any name may be there, and an ID selector must
 * have that level's segments with the unread container's names in them.
 */
function mayBeWithin(unread: ArmScope, depth: number, selector: Selector): boolean {
  const known = [unread.subscription, unread.resourceGroup, unread.vnet, unread.subnet].filter((n): n is string => n !== undefined);
  const names = [0, 1, 2, 3].map((i) => known[i] ?? null);
  const segments = containerSegments(names, depth);
  const name = known[depth - 1];
  if (name !== undefined) return anyMatches([selector], [name, segments.join('/')]);
  return selector.matches !== 'id' || idSelectorMayMatch(selector, segments);
}

/**
 * Whether a part of the estate that was not read may hold sources in a control's scope. Only what
 * the scope rules out for certain is left out: another subscription, and for a resource group,
 * VNet or subnet that was not read, another group, VNet or subnet (by name or ID, as written). Any
 * other unread resource (an NSG, a NIC) may serve subnets of other groups of its subscription, and
 * a gap that is no ARM ID (a skipped file, the tenant, a resource type) may hold anything. Tags are
 * never known there.
 */
export function gapMayBeInScope(scope: Scope, gap: CheckGap): boolean {
  const arm = armScope(gap.scope);
  if (!arm) return true;
  const unread: ArmScope = arm.container ? arm : { subscription: arm.subscription, container: true };
  return CONTAINER_LISTS.every((list, i) => scope[list].length === 0 || scope[list].some((s) => mayBeWithin(unread, i + 1, s)));
}

/** `not judged where the input was not read: /subscriptions/… (access-denied)`, for a control's notes. */
function notReadNote(gaps: readonly CheckGap[]): string {
  const shown = gaps.slice(0, 3).map((g) => `${g.scope} (${g.code})`).join(', ');
  return `not judged where the input was not read: ${shown}${gaps.length > 3 ? `, and ${gaps.length - 3} more` : ''}; sources there, if any, may be in scope`;
}

/**
 * Scope entries that select no source of the input, platform subnets included (a typo selects
 * nothing at all, whatever includePlatform says). Every list is ANDed, so a typo next to real names
 * silently narrows the scope: the control passes on fewer sources than its author listed. An entry
 * that names a subscription, group, VNet or subnet the input could not read, or one that may be
 * inside it (a group, VNet or subnet of a subscription that answered 403), by name or by ID, is no
 * typo: the control's not-read note already says why it selects nothing.
 */
function unmatchedScope(scope: Scope, sources: readonly SourceInfo[], gaps: readonly CheckGap[]): UnmatchedScopeEntry[] {
  const unread = gaps.flatMap((g) => {
    const arm = armScope(g.scope);
    return arm?.container ? [arm] : [];
  });
  const values: readonly ((s: SourceInfo) => readonly string[])[] = [(s) => s.subscription, (s) => s.resourceGroup, (s) => s.vnet, (s) => s.subnet];
  const out: UnmatchedScopeEntry[] = [];
  CONTAINER_LISTS.forEach((list, i) => {
    const valuesOf = values[i];
    for (const selector of scope[list]) {
      if (valuesOf && sources.some((s) => anyMatches([selector], valuesOf(s)))) continue;
      // What an unread subscription, group, VNet or subnet may hold (or is): by name or ID form.
      if (unread.some((a) => mayBeWithin(a, i + 1, selector))) continue;
      out.push({ list, entry: selector.text });
    }
  });
  for (const tag of scope.tags) {
    const found = sources.some((s) => {
      const value = s.tags.get(tag.key.toLowerCase());
      return value !== undefined && selectorMatches(tag.value, value);
    });
    if (!found) out.push({ list: `tags.${tag.key}`, entry: tag.value.text });
  }
  return out;
}

/** The last hop's rule: how the path ends, in the engine's own words. */
function ending(path: EgressPath, json: (p: EgressPath) => ResolveJsonPath): string {
  const hops = json(path).hops;
  return hops[hops.length - 1]?.rule ?? path.verdict;
}

function viaNames(path: EgressPath): string {
  return path.via.length === 0 ? 'no firewall or NVA' : path.via.map((v) => nameFromResourceId(v.id)).join(' > ');
}

/** `default outbound access`, `NAT gateway via afw-hub-weu`: how a path leaves. */
function describeExit(path: EgressPath): string {
  const via = path.via.length > 0 ? ` via ${viaNames(path)}` : '';
  return `${path.exit ? EXITS[path.exit] : 'no exit'}${via}`;
}

// ---- mayReach coverage ------------------------------------------------------------------------

/** Whether FQDN pattern `outer` allows everything pattern `inner` does (`*.com` covers `*.visa.com`). */
function fqdnCovers(outer: string, inner: string): boolean {
  if (!inner.startsWith('*')) return fqdnPatternMatches(outer, inner);
  const o = outer.toLowerCase();
  if (o === '*') return true;
  if (!o.startsWith('*')) return false;
  return inner.slice(1).toLowerCase().endsWith(o.slice(1));
}

/**
 * The transport a rule's or a log's protocol runs on: application protocols (Http, Https, Mssql)
 * are TCP; `Any`, ICMP, a DNS question or an unknown protocol are neither one nor the other.
 */
export function transportOf(protocol: string): 'Tcp' | 'Udp' | null {
  switch (protocol.trim().toLowerCase()) {
    case 'tcp': case 'http': case 'https': case 'mssql': return 'Tcp';
    case 'udp': return 'Udp';
    default: return null;
  }
}

/**
 * Whether a pattern allows one port of an entry on one of its protocols. A `:port` pattern allows
 * that port alone, not a range or `*`; a `/tcp` or `/udp` pattern only that protocol
 * (policy.schema.json: a destination "optionally with :port and /tcp or /udp"; destinations.md
 * §6.6: header space = ports AND protocols), so `Any` is not within a UDP-only pattern. Null: the
 * entry names none, which only a pattern without one allows.
 */
function flowCovered(pattern: ReachPattern, port: string | null, protocol: string | null): boolean {
  return (pattern.port === null || (port !== null && port.trim() === String(pattern.port)))
    && (pattern.protocol === null || (protocol !== null && transportOf(protocol) === pattern.protocol));
}

/**
 * Whether a CIDR lies wholly inside a service tag's prefixes, by the tag data the input carries.
 * With tag data, reach lists what an NSG rule on a tag lets out as the tag's prefixes; a policy
 * naming that tag must then cover them, or a control stating exactly what the estate enforces
 * would fail because better data was given. A CIDR only partly inside is not covered: its other
 * addresses are not the tag's. Without data (or a tag the data does not list), nothing is.
 */
function tagContains(tags: ServiceTagIndex | null, tag: string, value: string): boolean {
  const prefixes = tags?.prefixes(tag) ?? null;
  const cidr = prefixes ? Ipv4Set.tryFromCidr(value) : null;
  return prefixes !== null && cidr !== null && !cidr.isEmpty() && prefixes.containsSet(cidr);
}

/** Whether a pattern allows an entry's destination, whatever its ports. */
function destinationCovered(pattern: ReachPattern, entry: ReachEntry, tags: ServiceTagIndex | null): boolean {
  if (pattern.kind === 'any') return true;
  switch (entry.kind) {
    case 'any': return false;
    case 'fqdn': return pattern.kind === 'fqdn' && fqdnCovers(pattern.pattern, entry.value);
    case 'cidr': {
      if (pattern.kind === 'service-tag') return tagContains(tags, pattern.tag, entry.value);
      const cidr = parseCidr(entry.value);
      return pattern.kind === 'cidr' && cidr !== null && cidrContainsCidr(pattern.cidr, cidr);
    }
    // Tags, FQDN tags and web categories are covered only by naming them: their contents change without notice.
    case 'service-tag': case 'fqdn-tag': case 'web-category':
      return pattern.kind === 'service-tag' && pattern.tag.toLowerCase() === entry.value.toLowerCase();
  }
}

/** `*`, `0.0.0.0/0` or `internet` with neither port nor protocol: everything is allowed. */
function allowsEverything(pattern: ReachPattern): boolean {
  return pattern.kind === 'any' && pattern.port === null && pattern.protocol === null;
}

/**
 * Whether a reach entry (or an observed destination put as one: `traffic --policy`) is within a
 * mayReach list: each of its ports on each of its protocols, by patterns that allow its
 * destination. They add up: `0.0.0.0/0:80/tcp` and `0.0.0.0/0:443/tcp` together allow an entry
 * on TCP 80 and 443 (an NSG that lets out both), while `0.0.0.0/0:443` alone allows only 443.
 * With `tags` (the input's service tag data, see {@link serviceTagIndexOf}), a service tag pattern
 * also covers a CIDR entry wholly inside the tag's prefixes.
 */
export function entryCovered(entry: ReachEntry, patterns: readonly ReachPattern[], tags: ServiceTagIndex | null = null): boolean {
  const allowing = patterns.filter((pattern) => destinationCovered(pattern, entry, tags));
  const ports = entry.ports.length > 0 ? entry.ports : [null];
  const protocols = entry.protocols.length > 0 ? entry.protocols : [null];
  return allowing.length > 0 && ports.every((port) => protocols.every((protocol) => allowing.some((pattern) => flowCovered(pattern, port, protocol))));
}

const tagIndexes = new WeakMap<ServiceTagSet, ServiceTagIndex>();

/** The input's service tag data as an index, built once per data set (null: the input has none). */
export function serviceTagIndexOf(input: Pick<ResolveInput, 'serviceTags'>): ServiceTagIndex | null {
  const set = input.serviceTags ?? null;
  if (!set) return null;
  let found = tagIndexes.get(set);
  if (!found) {
    found = buildServiceTagIndex(set);
    tagIndexes.set(set, found);
  }
  return found;
}

function entryLabel(entry: ReachEntry): string {
  const ports = entry.ports.length > 0 ? ` ${entry.protocols.join('/')} ${entry.ports.join(',')}` : '';
  return `${entry.kind === 'any' ? 'any destination' : entry.value}${ports}`;
}

/** A reach entry standing for what a service endpoint carries on one port class: its tag, or one of the tag's prefixes. */
function endpointEntry(kind: 'service-tag' | 'cidr', value: string, flows: PortRanges): ReachEntry {
  return { kind, value, ports: flows.ports, protocols: flows.protocols, verdict: 'private', exit: null, via: [], egressIps: [], rule: '' };
}

/** Ports and protocols as a reach entry states them. */
type PortRanges = Pick<NsgPortClass, 'ports' | 'protocols'>;

/** ` on TCP 445`; nothing for every port of TCP and UDP. */
function portsWords(flows: PortRanges): string {
  return coversEveryPort(flows) ? '' : ` on ${reachPortsText(flows)}`;
}

/** A port item (`443`, `8000-8080`, `*`) as an interval; null for one that is neither. */
function portInterval(item: string): readonly [number, number] | null {
  const t = item.trim();
  if (t === '*' || t.toLowerCase() === 'any') return [0, 65535];
  const dash = t.indexOf('-');
  const low = Number(dash < 0 ? t : t.slice(0, dash));
  const high = Number(dash < 0 ? t : t.slice(dash + 1));
  return Number.isInteger(low) && Number.isInteger(high) && low <= high ? [low, high] : null;
}

function portItem(low: number, high: number): string {
  if (low === 0 && high === 65535) return '*';
  return low === high ? String(low) : `${low}-${high}`;
}

/**
 * The part of an NSG port class a mayReach list does not allow (`covered` judges a part), so a
 * violation names only what is not in the list: with `Storage:443` listed and one rule letting out
 * TCP 443 and 445, TCP 445. Each protocol of the class is judged apart, and each port item is cut
 * at the ports the patterns name (a `:port` pattern allows that port alone, flowCovered), so
 * `Storage:443` leaves 8000-8080 and `*` less 443 open; adjacent open pieces are joined again. The
 * class's probe stays (one what-if per tag and port for every control and source): the NSGs treat
 * every port of a class alike (nsgPortClassesTo), and the endpoint's route takes every port [SE].
 * Empty when every piece is allowed.
 */
function uncoveredPart(flows: NsgPortClass, patterns: readonly ReachPattern[], covered: (part: PortRanges) => boolean): NsgPortClass[] {
  if (covered(flows)) return [];
  const cuts = [...new Set(patterns.flatMap((p) => (p.port === null ? [] : [p.port])))];
  const open = new Map<'Tcp' | 'Udp', (readonly [number, number])[]>();
  for (const protocol of flows.protocols) {
    const pieces: (readonly [number, number])[] = [];
    for (const item of flows.ports) {
      const interval = portInterval(item);
      if (interval === null) {
        if (!covered({ ports: [item], protocols: [protocol] })) return [flows];
        continue;
      }
      const [low, high] = interval;
      const bounds = [...new Set([low, high + 1, ...cuts.filter((c) => c > low && c <= high), ...cuts.filter((c) => c >= low && c < high).map((c) => c + 1)])].sort((a, b) => a - b);
      for (let i = 0; i + 1 < bounds.length; i++) {
        const from = bounds[i] ?? low;
        const to = (bounds[i + 1] ?? high + 1) - 1;
        if (!covered({ ports: [portItem(from, to)], protocols: [protocol] })) pieces.push([from, to]);
      }
    }
    pieces.sort((a, b) => a[0] - b[0]);
    const joined: (readonly [number, number])[] = [];
    for (const piece of pieces) {
      const last = joined.at(-1);
      if (last && piece[0] <= last[1] + 1) joined[joined.length - 1] = [last[0], Math.max(last[1], piece[1])];
      else joined.push(piece);
    }
    if (joined.length > 0) open.set(protocol, joined);
  }
  const texts = [...open].map(([protocol, intervals]) => ({ protocol, ports: intervals.map(([l, h]) => portItem(l, h)) }));
  const [first, second] = texts;
  if (first && second && first.ports.join(',') === second.ports.join(',')) return [{ ...flows, protocols: texts.map((t) => t.protocol), ports: first.ports }];
  return texts.map((t) => ({ ...flows, protocols: [t.protocol], ports: t.ports }));
}

/**
 * Whether a mayReach list allows what a service endpoint carries for `tag` on one port class: the
 * tag, or the service's top-level tag `top`, on those ports; or, with tag data, patterns (CIDRs,
 * `*`, `0.0.0.0/0:443`) that hold each of the tag's prefixes on them. Never the service's host
 * names: the endpoint's routes are routes to address prefixes ([SE] effective routes "Show a more
 * specific default route to address prefix ranges of each service", and "DNS entries for Azure
 * services remain as-is today and continue to resolve to public IP addresses"), and names in no
 * list reach the same addresses: a custom domain CNAMEd to anyone's blob endpoint [SCD] or App
 * Service app [ASCD], a storage account's Azure DNS zone endpoint
 * `<account>.z[00-50].blob.storage.azure.net` [SAO].
 * https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoints-overview
 * https://learn.microsoft.com/azure/storage/blobs/storage-custom-domain-name
 * https://learn.microsoft.com/azure/app-service/app-service-web-tutorial-custom-domain
 * https://learn.microsoft.com/azure/storage/common/storage-account-overview
 */
function endpointCovered(patterns: readonly ReachPattern[], tag: string, top: string | null, flows: PortRanges, tags: ServiceTagIndex | null): boolean {
  if (entryCovered(endpointEntry('service-tag', tag, flows), patterns)) return true;
  if (top !== null && entryCovered(endpointEntry('service-tag', top, flows), patterns)) return true;
  const prefixes = tags?.prefixes(tag) ?? null;
  return prefixes !== null && !prefixes.isEmpty() && prefixes.toCidrs().every((cidr) => entryCovered(endpointEntry('cidr', cidr, flows), patterns, tags));
}

const NO_SUBNETS: ReadonlySet<string> = new Set();

/** The services of Azure Storage: their endpoints "also extend to include paired regions" [SE]. */
const STORAGE_ENDPOINT_SERVICES: readonly string[] = ['microsoft.storage', 'microsoft.storage.global'];

/** The top-level tags service endpoints carry (SERVICE_ENDPOINT_TAGS), once each. */
const ENDPOINT_TOP_TAGS: readonly string[] = [...new Set(Object.values(SERVICE_ENDPOINT_TAGS))];

/** What a source reaches over a service endpoint, to be judged per port class: a tag, in words. */
interface EndpointSubject {
  /** The tag whose prefixes it reaches (`Storage`, `Storage.westeurope`). */
  readonly tag: string;
  /** The service's top-level tag, which covers `tag` too. */
  readonly top: string;
  /** `every Microsoft.Storage resource in westeurope`. */
  readonly what: string;
  /** `subnet app's service endpoint for Microsoft.Storage`. */
  readonly where: string;
}

/**
 * What a subnet's configured service endpoints carry, as tags to judge (one per location, or the
 * top-level tag for `*` and for locations the input lacks). A Storage endpoint whose locations
 * leave out the VNet's paired region adds that region's tag: for Azure Storage "endpoints also
 * extend to include paired regions where you deploy the virtual network" [SE] (older text of the
 * page; whether it holds for a list that leaves the pair out is not documented), so the engine
 * answers that region's addresses unknown (subnet-routes.ts pairedRegionScope) and mayReach must
 * not pass on them. A VNet whose region, or its pair, is not known: the top-level tag [PAIRS]
 * https://learn.microsoft.com/azure/reliability/regions-paired (each region's own pair, region-pairs.ts)
 * `unmapped` hears of each endpoint whose service no tag is known for (its finding is the caller's:
 * Evaluation also lists the subjects of every subnet, to know which subnets ask for a tag).
 */
function configuredEndpointSubjects(subnet: Subnet, region: string | null, unmapped: (service: string, where: string) => void): EndpointSubject[] {
  const subjects: EndpointSubject[] = [];
  for (const endpoint of subnet.serviceEndpoints) {
    const service = endpoint.service.trim();
    const top = SERVICE_ENDPOINT_TAGS[service.toLowerCase()];
    const where = `subnet ${subnet.name}'s service endpoint for ${service}`;
    if (top === undefined) {
      unmapped(service, where);
      continue;
    }
    // The portal's "West Europe" is ARM's `westeurope`: one tag name (`Storage.westeurope`) and one
    // pair lookup for both spellings (normalizeRegion).
    const locations = endpoint.locations.map(normalizeRegion).filter((l) => l !== '');
    if (locations.length === 0 || locations.includes('*')) {
      subjects.push({ tag: top, top, what: `every ${service} resource`, where });
      continue;
    }
    for (const l of locations) subjects.push({ tag: `${top}.${l}`, top, what: `every ${service} resource in ${l}`, where });
    if (!STORAGE_ENDPOINT_SERVICES.includes(service.toLowerCase())) continue;
    const pairs = region === null ? null : pairedRegionsOf(region);
    const listed = new Set(locations);
    if (pairs === null) {
      subjects.push({ tag: top, top, what: `${service} resources outside ${locations.join(', ')} (its virtual network's region, or that region's pair, is not known)`, where });
    } else {
      for (const pair of pairs) {
        if (!listed.has(pair)) subjects.push({ tag: `${top}.${pair}`, top, what: `${service} resources in ${pair}, its virtual network's paired region`, where });
      }
    }
  }
  return subjects;
}

/**
 * What captured effective routes send over a service endpoint (next hop
 * VirtualNetworkServiceEndpoint), as tags to judge: Azure's word, whether or not the exported
 * subnet lists the endpoint (it may have been exported before the endpoint was added) [SE]
 * ("Viewing the effective routes on any network interface in a subnet"). A top-level tag whose
 * prefixes the routes hold all of, else each regional tag they hold all of, and the top-level tag
 * again for the rest of it (its what-if is then not decided: "could not be proven"). Prefixes no
 * such tag holds (or all of them, without tag data) are judged as addresses: what the source's
 * NSGs let out to them on ports the list does not cover is "could not be proven".
 */
function capturedEndpointSubjects(patterns: readonly ReachPattern[], source: PathSource, ev: Evaluation, findings: Finding[]): EndpointSubject[] {
  const captured = ev.capturedEndpointRoutes(source);
  if (captured === null) return [];
  const tags = ev.tags();
  const where = `the captured effective routes of NIC ${captured.nics.join(', ')} (next hop VirtualNetworkServiceEndpoint)`;
  const subjects: EndpointSubject[] = [];
  let attributed = Ipv4Set.empty();
  for (const top of ENDPOINT_TOP_TAGS) {
    const prefixes = tags?.prefixes(top) ?? null;
    if (prefixes === null || !captured.set.overlaps(prefixes)) continue;
    attributed = attributed.union(prefixes);
    if (captured.set.containsSet(prefixes)) {
      subjects.push({ tag: top, top, what: `every ${top} resource`, where });
      continue;
    }
    let regional = Ipv4Set.empty();
    for (const { name, region } of ev.regionalTagsOf(top)) {
      const set = tags?.prefixes(name) ?? null;
      if (set === null || set.isEmpty() || !captured.set.containsSet(set)) continue;
      subjects.push({ tag: name, top, what: `every ${top} resource in ${region}`, where });
      regional = regional.union(set);
    }
    if (!captured.set.intersect(prefixes).subtract(regional).isEmpty()) subjects.push({ tag: top, top, what: `part of ${top}'s resources`, where });
  }
  const rest = captured.set.subtract(attributed);
  if (!rest.isEmpty()) {
    const cidrs = rest.toCidrs();
    const path = ev.defaultRoutePath(source);
    const open = ev.endpointClasses(source, { key: `captured:${cidrs.join(',')}`, set: rest })
      .flatMap((flows) => uncoveredPart(flows, patterns, (part) => cidrs.every((cidr) => entryCovered(endpointEntry('cidr', cidr, part), patterns, tags))));
    const listed = cidrs.length > 4 ? `${cidrs.slice(0, 4).join(', ')} and ${cidrs.length - 4} more` : cidrs.join(', ');
    const why = tags ? 'no service tag of a service endpoint holds them' : 'without service tag data (--service-tags) which service they belong to is not known';
    if (path) {
      for (const flows of open) {
        findings.push({ requirement: 'mayReach', subject: cidrs[0] ?? '', path, ports: flows.ports, protocols: flows.protocols,
          reason: `could not be proven: ${where} send ${listed} over a service endpoint around the default route${portsWords(flows)}, and ${why}: what the source reaches there cannot be shown to be within mayReach` });
      }
    }
  }
  return subjects;
}

/**
 * mayReach and a source's service endpoints. The endpoint's route carries its service's prefixes
 * in its locations around whatever the default route passes through ("Service endpoint routes
 * override any BGP or UDR routes"), on every port, and "if no policies are attached to a subnet
 * with endpoints, you can access all resources in the service" [SE][SEP]: a storage account of
 * anyone's, however short the firewall's allow-list.
 * https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoints-overview
 * https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoint-policies-overview
 * What the endpoint carries (configuredEndpointSubjects, capturedEndpointSubjects) is judged on
 * each port class the source's NSGs let out to the tag's addresses (nsgPortClassesTo, as reach
 * judges NSG ports: an NSG that lets out TCP 445 to Storage and denies TCP 443 leaves SMB open over
 * the endpoint): a class the list covers (endpointCovered: `Storage:443` when only TCP 443 gets
 * out) adds nothing; any other is a what-if of the tag on the class's probe port, as mustNotReach
 * judges one of the service's names: over the endpoint, a violation; unknown (policies whose
 * accounts are not read, a state other than Succeeded, locations, tag data or the paired region
 * the input does not settle), "could not be proven"; denied, dropped, or not over the endpoint
 * (through a firewall or NVA, even undecided there: the path's own rules, judged above, decide),
 * nothing. The what-ifs are shared per tag and
 * port by every control and source (Evaluation.pathTo).
 */
function serviceEndpointReach(patterns: readonly ReachPattern[], source: PathSource, ev: Evaluation): Finding[] {
  if (patterns.some(allowsEverything)) return [];
  const subnet = ev.subnetOf(source);
  const findings: Finding[] = [];
  const unmapped = new Set<string>();
  const unmappedFinding = (service: string, where: string): void => {
    const path = ev.defaultRoutePath(source);
    if (!path || unmapped.has(service.toLowerCase())) return;
    unmapped.add(service.toLowerCase());
    findings.push({ requirement: 'mayReach', subject: service, path,
      reason: `could not be proven: ${where} reaches that service around the default route, and no service tag is known to hold its prefixes, so what it reaches cannot be shown to be within mayReach` });
  };
  const subjects = [
    ...(subnet ? configuredEndpointSubjects(subnet, ev.regionOf(subnet), unmappedFinding) : []),
    ...capturedEndpointSubjects(patterns, source, ev, findings),
  ];
  const judged = new Set<string>();
  for (const subject of subjects) {
    if (judged.has(subject.tag.toLowerCase())) continue;
    judged.add(subject.tag.toLowerCase());
    const allow = subject.tag === subject.top ? subject.tag : `${subject.tag} or ${subject.top}`;
    const classes = ev.endpointClasses(source, { key: `tag:${subject.tag.toLowerCase()}`, set: ev.tags()?.prefixes(subject.tag) ?? null });
    for (const flows of classes.flatMap((c) => uncoveredPart(c, patterns, (part) => ev.endpointCovered(patterns, subject.tag, subject.top, part)))) {
      const ports = { ports: flows.ports, protocols: flows.protocols };
      const on = portsWords(flows);
      const parsed = parseDestinationSpec(`tag:${subject.tag}:${flows.probe.port}/${flows.probe.protocol.toLowerCase()}`);
      const to = parsed.kind === 'ok' ? ev.endpointPathTo(parsed.spec, subject.tag, source) : null;
      if (!to) {
        const fallback = ev.defaultRoutePath(source);
        if (fallback) findings.push({ requirement: 'mayReach', subject: subject.tag, path: fallback, ...ports, reason: `could not be proven: no path to ${subject.tag}${on} for this source (${subject.where})` });
        continue;
      }
      if (to.verdict === 'private' && to.exit === 'service-endpoint') {
        findings.push({ requirement: 'mayReach', subject: subject.tag, path: to, ...ports,
          reason: `can reach ${subject.what} (${subject.tag})${on} over ${subject.where}, with no service endpoint policy, around the default route: not in mayReach (allow ${allow}${on === '' ? '' : ' on those ports'}, or CIDRs holding its prefixes, or attach a service endpoint policy)` });
      } else if (to.verdict === 'unknown' && to.via.length === 0) {
        // Undecided before any appliance: at the source's own routes (the endpoint's), NSGs or DNS.
        // One that reached a firewall or NVA took the route there, not the endpoint's: what the
        // appliance lets out is reach's to list, judged above.
        findings.push({ ...unproven('mayReach', to, subject.tag, `whether it reaches ${subject.tag}${on} over ${subject.where}`, ev), ...ports });
      } else if (to.verdict === 'on-premises') {
        findings.push({ requirement: 'mayReach', subject: subject.tag, path: to, ...ports, reason: `could not be proven: traffic to ${subject.tag}${on} leaves Azure to on-premises, where the model ends` });
      }
    }
  }
  return findings;
}

// ---- the evaluator ----------------------------------------------------------------------------

/** A source judged for a requirement beyond the base resolve's, and the destinations it is judged for (null: all). */
interface OwnEntry {
  readonly info: SourceInfo;
  readonly destinations: ReadonlySet<string> | null;
}

class Evaluation {
  private readonly jsonCache = new WeakMap<EgressPath, ResolveJsonPath>();
  private readonly destinationCache = new Map<string, ReadonlyMap<string, EgressPath>>();
  /** Service endpoint what-ifs walked from some subnets only (endpointPathTo): their paths, and the subnets walked. */
  private readonly partialDestinations = new Map<string, { readonly paths: Map<string, EgressPath>; readonly subnets: Set<string> }>();
  private endpointTagSubnets: ReadonlyMap<string, ReadonlySet<string>> | null = null;
  private defaultRouteCache: ReadonlyMap<string, EgressPath> | null = null;
  private defaultRouteResult: ResolveResult | null = null;
  private reach: ReadonlyMap<string, ReachSource> | null = null;
  private snatMetrics: ReadonlyMap<string, { readonly value: number; readonly window: string }> | null = null;
  private subnetsById: ReadonlyMap<string, Subnet> | null = null;
  private vnetsById: ReadonlyMap<string, VirtualNetwork> | null = null;
  private readonly regionalTags = new Map<string, readonly { readonly name: string; readonly region: string }[]>();
  private capturedEndpoints: {
    readonly byNic: ReadonlyMap<string, { readonly nics: readonly string[]; readonly set: Ipv4Set }>;
    readonly bySubnet: ReadonlyMap<string, { readonly nics: readonly string[]; readonly set: Ipv4Set }>;
    readonly capturedNics: ReadonlySet<string>;
  } | null = null;
  private readonly endpointCoverage = new WeakMap<readonly ReachPattern[], Map<string, boolean>>();
  private readonly nicInfos = new Map<string, SourceInfo>();
  private readonly ownNicCache = new Map<string, readonly EgressPath[]>();
  readonly nicSubnet = new Map<string, string>();
  /** The base resolve's sources by key, set once they are built. */
  private sources: ReadonlyMap<string, SourceInfo> = new Map();

  constructor(private readonly input: ResolveInput, private readonly options: CheckOptions, private readonly base: ResolveResult) {
    for (const nic of input.model.networkInterfaces) {
      const subnetId = primaryIpConfiguration(nic)?.subnetId;
      if (subnetId) this.nicSubnet.set(nic.id, subnetId);
    }
  }

  /** The input's service tag data (mayReach: a tag pattern covers the tag's prefixes). */
  tags(): ServiceTagIndex | null {
    return serviceTagIndexOf(this.input);
  }

  /** The subnet a source is (or a NIC's, by its primary IP configuration); null when it is not in the input. */
  subnetOf(source: Pick<PathSource, 'type' | 'id'>): Subnet | null {
    if (!this.subnetsById) this.subnetsById = new Map(this.input.model.subnets.map((s) => [s.id, s]));
    const id = source.type === 'subnet' ? source.id : source.type === 'nic' ? this.nicSubnet.get(source.id) : undefined;
    return id === undefined ? null : this.subnetsById.get(id) ?? null;
  }

  /** The region a subnet's VNet is deployed in (a Storage endpoint's paired region depends on it); null when the input does not say. */
  regionOf(subnet: Subnet): string | null {
    if (!this.vnetsById) this.vnetsById = new Map(this.input.model.virtualNetworks.map((v) => [v.id, v]));
    const location = this.vnetsById.get(subnet.virtualNetworkId)?.location ?? subnet.location;
    return location === null || location.trim() === '' ? null : location;
  }

  /** The regional tags of a top-level tag in the input's tag data (`Storage.WestEurope`), with their regions. */
  regionalTagsOf(top: string): readonly { readonly name: string; readonly region: string }[] {
    let found = this.regionalTags.get(top);
    if (!found) {
      const prefix = `${top.toLowerCase()}.`;
      found = (this.input.serviceTags?.tags ?? []).filter((t) => t.name.toLowerCase().startsWith(prefix)).map((t) => ({ name: t.name, region: t.region || t.name.slice(prefix.length) }));
      this.regionalTags.set(top, found);
    }
    return found;
  }

  /**
   * The IPv4 prefixes that captured effective routes send over a service endpoint (next hop
   * VirtualNetworkServiceEndpoint, state not Invalid) for a source: a NIC's own capture when it
   * has one, else its subnet's; for a subnet, what any of its NICs' captures shows (they share one
   * route table [UDR]: one that differs is out of date, and either may be Azure's current word).
   * Null when no capture applies or none shows such a route.
   */
  capturedEndpointRoutes(source: Pick<PathSource, 'type' | 'id'>): { readonly nics: readonly string[]; readonly set: Ipv4Set } | null {
    if (!this.capturedEndpoints) {
      const byNic = new Map<string, { readonly nics: readonly string[]; readonly set: Ipv4Set }>();
      const bySubnet = new Map<string, { nics: string[]; set: Ipv4Set }>();
      const nics = new Map(this.input.model.networkInterfaces.map((n) => [n.id, n]));
      for (const table of this.input.effectiveRoutes) {
        const nic = nics.get(table.networkInterfaceId);
        const subnetId = nic ? (primaryIpConfiguration(nic) ?? nic.ipConfigurations[0])?.subnetId : undefined;
        if (!nic || !subnetId) continue;
        let set = Ipv4Set.empty();
        for (const r of table.routes) {
          if (r.nextHopType.trim().toLowerCase() !== 'virtualnetworkserviceendpoint' || r.state.trim().toLowerCase() === 'invalid') continue;
          for (const p of r.addressPrefixes) set = set.union(Ipv4Set.tryFromCidr(p) ?? Ipv4Set.empty());
        }
        if (set.isEmpty()) continue;
        byNic.set(nic.id, { nics: [nic.name], set });
        const entry = bySubnet.get(subnetId) ?? { nics: [], set: Ipv4Set.empty() };
        entry.nics.push(nic.name);
        entry.set = entry.set.union(set);
        bySubnet.set(subnetId, entry);
      }
      this.capturedEndpoints = { byNic, bySubnet, capturedNics: new Set(this.input.effectiveRoutes.map((t) => t.networkInterfaceId)) };
    }
    const { byNic, bySubnet, capturedNics } = this.capturedEndpoints;
    if (source.type === 'nic') {
      const own = byNic.get(source.id);
      if (own) return own;
      // A NIC with a capture of its own that shows no endpoint route follows it, not its subnet's.
      if (capturedNics.has(source.id)) return null;
    }
    const subnet = this.subnetOf(source);
    return subnet ? bySubnet.get(subnet.id) ?? null : null;
  }

  /** The port classes a source's NSGs let out to a tag's addresses (see nsgPortClassesTo). */
  endpointClasses(source: PathSource, destination: PortClassDestination): readonly NsgPortClass[] {
    return nsgPortClassesTo(this.input, source, this.subnetOf(source)?.id ?? null, destination, this.tags());
  }

  /** endpointCovered, once per list, tag and port class (the same control judges many sources alike). */
  endpointCovered(patterns: readonly ReachPattern[], tag: string, top: string | null, flows: PortRanges): boolean {
    let byList = this.endpointCoverage.get(patterns);
    if (!byList) {
      byList = new Map();
      this.endpointCoverage.set(patterns, byList);
    }
    const cacheKey = `${tag.toLowerCase()}|${top ?? ''}|${flows.protocols.join('/')}|${flows.ports.join(',')}`;
    let covered = byList.get(cacheKey);
    if (covered === undefined) {
      covered = endpointCovered(patterns, tag, top, flows, this.tags());
      byList.set(cacheKey, covered);
    }
    return covered;
  }

  useSources(sources: readonly SourceInfo[]): void {
    this.sources = new Map(sources.map((s) => [key(s.source), s]));
  }

  readonly json = (path: EgressPath): ResolveJsonPath => {
    let found = this.jsonCache.get(path);
    if (!found) {
      // toResolveJson renders whole results; a one-path result renders exactly this path's hops.
      found = toResolveJson({ schema: 'egress-atlas/resolve@1', destination: '', paths: [path], findings: [], gaps: [] }).paths[0];
      if (!found) throw new Error('toResolveJson dropped a path');
      this.jsonCache.set(path, found);
    }
    return found;
  };

  /** A source's entry in a resolve, or (a NIC without one) its subnet's, which it follows. */
  private entryIn(byKey: ReadonlyMap<string, EgressPath>, source: Pick<PathSource, 'type' | 'id'>): EgressPath | null {
    const own = byKey.get(key(source));
    if (own) return own;
    const subnetId = source.type === 'nic' ? this.nicSubnet.get(source.id) : undefined;
    return subnetId ? byKey.get(`subnet|${subnetId}`) ?? null : null;
  }

  /** One resolve per distinct destination, shared across controls. */
  private destination(spec: DestinationSpec): ReadonlyMap<string, EgressPath> {
    let byKey = this.destinationCache.get(destinationKey(spec));
    if (!byKey) {
      const result = resolveEgress(this.input, { destination: spec.text, resolve: this.options.resolve, estateFindings: false });
      byKey = new Map(result.paths.map((p) => [key(p.source), p]));
      this.destinationCache.set(destinationKey(spec), byKey);
    }
    return byKey;
  }

  pathTo(spec: DestinationSpec, source: PathSource): EgressPath | null {
    return this.entryIn(this.destination(spec), source);
  }

  /** Per tag (lower case): the subnets whose configured service endpoints carry it (configuredEndpointSubjects). */
  private subnetsWithEndpointTag(tag: string): ReadonlySet<string> {
    if (!this.endpointTagSubnets) {
      const byTag = new Map<string, Set<string>>();
      for (const subnet of this.input.model.subnets) {
        if (subnet.serviceEndpoints.length === 0) continue;
        for (const subject of configuredEndpointSubjects(subnet, this.regionOf(subnet), () => undefined)) {
          const tagKey = subject.tag.toLowerCase();
          const found = byTag.get(tagKey);
          if (found) found.add(subnet.id);
          else byTag.set(tagKey, new Set([subnet.id]));
        }
      }
      this.endpointTagSubnets = byTag;
    }
    return this.endpointTagSubnets.get(tag.toLowerCase()) ?? NO_SUBNETS;
  }

  /**
   * pathTo for the what-if of what a service endpoint carries (serviceEndpointReach): the same
   * paths, walked only from the subnets that ask for them. A tag's what-if is asked by the subnets
   * with an endpoint to it, a handful of an estate's; walking it from every source made `check`
   * with endpoints ten times slower than without. The first source that asks walks every subnet
   * with an endpoint carrying `tag` (and its own), so the rest find their paths made.
   */
  endpointPathTo(spec: DestinationSpec, tag: string, source: PathSource): EgressPath | null {
    const whole = this.destinationCache.get(destinationKey(spec));
    if (whole) return this.entryIn(whole, source);
    const subnetId = this.subnetOf(source)?.id;
    if (subnetId === undefined) return this.pathTo(spec, source);
    let partial = this.partialDestinations.get(destinationKey(spec));
    if (!partial) {
      partial = { paths: new Map(), subnets: new Set() };
      this.partialDestinations.set(destinationKey(spec), partial);
    }
    if (!partial.subnets.has(subnetId)) {
      const done = partial.subnets;
      const batch = new Set([subnetId, ...this.subnetsWithEndpointTag(tag)].filter((id) => !done.has(id)));
      const result = resolveEgress(this.input, { destination: spec.text, resolve: this.options.resolve, estateFindings: false, sorted: false, subnetIds: batch });
      for (const p of result.paths) partial.paths.set(key(p.source), p);
      for (const id of batch) done.add(id);
    }
    return this.entryIn(partial.paths, source);
  }

  /** The default-route resolve: mayReach is about it whatever --destination the route-level requirements follow. */
  private defaultRoute(): ResolveResult {
    if (!this.defaultRouteResult) {
      this.defaultRouteResult = (this.options.destination ?? null) === null
        ? this.base
        : resolveEgress(this.input, { destination: null, resolve: this.options.resolve });
    }
    return this.defaultRouteResult;
  }

  defaultRoutePath(source: PathSource): EgressPath | null {
    if (!this.defaultRouteCache) this.defaultRouteCache = new Map(this.defaultRoute().paths.map((p) => [key(p.source), p]));
    return this.entryIn(this.defaultRouteCache, source);
  }

  private reachSources(): ReadonlyMap<string, ReachSource> {
    if (!this.reach) {
      const result: ReachResult = computeReach(this.input, { resolve: this.options.resolve, defaultRoute: this.defaultRoute() });
      this.reach = new Map(result.sources.map((s) => [key(s.source), s]));
    }
    return this.reach;
  }

  reachOf(source: PathSource): ReachSource | null {
    const reach = this.reachSources();
    const own = reach.get(key(source));
    if (own) return own;
    // A NIC with an entry of its own only under --destination follows its subnet on the default route.
    const subnetId = source.type === 'nic' ? this.nicSubnet.get(source.id) : undefined;
    return subnetId ? reach.get(`subnet|${subnetId}`) ?? null : null;
  }

  /** The NIC as a source of its own, scoped through its subnet (null when the subnet is not a source). */
  private nic(nic: PathSource): SourceInfo | null {
    const found = this.nicInfos.get(nic.id);
    if (found) return found;
    const subnetId = this.nicSubnet.get(nic.id);
    const subnet = subnetId ? this.sources.get(`subnet|${subnetId}`) : undefined;
    if (!subnet) return null;
    const info = nicInfo(subnet, nic);
    this.nicInfos.set(nic.id, info);
    return info;
  }

  /** NIC entries of a resolve that the base resolve has none for (their path differs only there). */
  private ownNics(paths: Iterable<EgressPath>): EgressPath[] {
    return [...paths].filter((p) => p.source.type === 'nic' && !this.sources.has(key(p.source)));
  }

  /** {@link ownNics} of a destination's resolve, once per destination however many controls name it. */
  private ownNicsTo(spec: DestinationSpec): readonly EgressPath[] {
    let found = this.ownNicCache.get(destinationKey(spec));
    if (!found) {
      found = this.ownNics(this.destination(spec).values());
      this.ownNicCache.set(destinationKey(spec), found);
    }
    return found;
  }

  /**
   * The sources a requirement judges beyond the base resolve's: for a destination requirement, the
   * NICs with an entry of their own in that destination's resolve (judged for those destinations
   * only: elsewhere they follow their subnet, already judged); for mayReach, the NICs with a reach
   * of their own: an entry in the default route's (under --destination), or NSG port classes of
   * their own (a rule for their ASG opens TCP 22 while their TCP 443 path is their subnet's).
   */
  ownEntries(requirement: Requirement): readonly OwnEntry[] {
    switch (requirement.kind) {
      case 'mustReach': case 'mustNotReach': case 'privateOnly': {
        const labels = new Map<string, { readonly info: SourceInfo; readonly destinations: Set<string> }>();
        for (const { spec } of requirement.destinations) {
          for (const path of this.ownNicsTo(spec)) {
            const info = this.nic(path.source);
            if (!info) continue;
            const entry = labels.get(info.source.id) ?? { info, destinations: new Set<string>() };
            entry.destinations.add(spec.label);
            labels.set(info.source.id, entry);
          }
        }
        return [...labels.values()].sort((a, b) => compareText(a.info.source.id, b.info.source.id));
      }
      case 'mayReach': {
        return [...this.reachSources().values()].flatMap((r) => {
          const info = r.source.type === 'nic' && !this.sources.has(key(r.source)) ? this.nic(r.source) : null;
          return info ? [{ info, destinations: null }] : [];
        });
      }
      default: return [];
    }
  }

  /** The NICs judged as sources of their own beyond the base resolve, by ID. */
  nicSources(): ReadonlyMap<string, SourceInfo> {
    return this.nicInfos;
  }

  snat(): ReadonlyMap<string, { readonly value: number; readonly window: string }> {
    if (!this.snatMetrics) {
      const map = new Map<string, { value: number; window: string }>();
      for (const m of this.input.metrics) {
        if (m.metricName.toLowerCase() !== 'snatportutilization') continue;
        const previous = map.get(m.resourceId);
        if (!previous || m.value > previous.value) map.set(m.resourceId, { value: m.value, window: `${m.windowStart} – ${m.windowEnd}` });
      }
      this.snatMetrics = map;
    }
    return this.snatMetrics;
  }
}

interface RequirementOutcome {
  readonly findings: readonly Finding[];
  /** False when the requirement could not be judged for this source (no metric on its path). */
  readonly applicable: boolean;
}

const PASS: RequirementOutcome = { findings: [], applicable: true };
const fail = (findings: readonly Finding[]): RequirementOutcome => ({ findings, applicable: true });

/** No path to a destination for this source: the requirement is unproven, never passed. */
function noPathTo(requirement: RequirementKind, subject: string, path: EgressPath): Finding {
  return { requirement, subject, path, reason: `could not be proven: no path to ${subject} for this source` };
}

function unproven(requirement: RequirementKind, path: EgressPath, subject: string | null, what: string, ev: Evaluation): Finding {
  return { requirement, subject, path, reason: `could not be proven: ${what} is unknown (${ending(path, ev.json)})` };
}

/** `Tcp 0-442,444-65535`, `Udp *`: a flow's protocols and ports. */
function flowText(flow: OnPremisesFlow): string {
  return `${flow.protocols.join('/')} ${flow.ports.join(',')}`;
}

/** `on Tcp 80`, `on Tcp/Udp *`: the ports and protocols of an entry that allows every destination. */
function onPorts(entry: ReachEntry): string {
  return entry.ports.length > 0 ? ` on ${entry.protocols.join('/')} ${entry.ports.join(',')}` : '';
}

/**
 * @param only for a destination requirement, judge only these destinations (labels): a NIC judged
 * beyond the base resolve has an entry of its own for them, and follows its subnet for the rest.
 */
function evaluate(requirement: Requirement, info: SourceInfo, ev: Evaluation, only: ReadonlySet<string> | null = null): RequirementOutcome {
  const path = info.path;
  const kind = requirement.kind;
  switch (requirement.kind) {
    case 'forbidExits': {
      if (path.verdict === 'unknown') return fail([unproven(kind, path, null, 'the path', ev)]);
      if (path.exit === null || !requirement.exits.includes(path.exit)) return PASS;
      return fail([{ requirement: kind, subject: path.exit, path, reason: `leaves through ${EXITS[path.exit]} (forbidden exit ${path.exit})` }]);
    }
    case 'forbidVerdicts': {
      if (requirement.verdicts.includes(path.verdict)) {
        return fail([{ requirement: kind, subject: path.verdict, path, reason: `verdict ${path.verdict} is forbidden (${ending(path, ev.json)})` }]);
      }
      return path.verdict === 'unknown' ? fail([unproven(kind, path, null, 'the verdict', ev)]) : PASS;
    }
    case 'requireVerdicts': {
      if (requirement.verdicts.includes(path.verdict)) return PASS;
      if (path.verdict === 'unknown') return fail([unproven(kind, path, null, 'the verdict', ev)]);
      return fail([{ requirement: kind, subject: path.verdict, path, reason: `verdict ${path.verdict}, not ${requirement.verdicts.join(' or ')} (${ending(path, ev.json)})` }]);
    }
    case 'requireVia': {
      if (path.verdict === 'unknown') return fail([unproven(kind, path, null, 'whether the path reaches the internet', ev)]);
      if (path.verdict !== 'internet') return PASS;
      const passed = path.via.some((v) => anyMatches(requirement.via, [v.id, nameFromResourceId(v.id)]));
      if (passed) return PASS;
      return fail([{ requirement: kind, subject: null, path, reason: `reaches the internet via ${viaNames(path)}, not through ${requirement.via.map((s) => s.text).join(' or ')}` }]);
    }
    case 'egressIpsWithin': {
      if (path.verdict === 'unknown') return fail([unproven(kind, path, null, 'whether the path reaches the internet', ev)]);
      if (path.verdict === 'on-premises') {
        // The public IPs of a forced tunnel are those of the on-premises network's own internet
        // edge, which the input does not describe: never shown to be within the list.
        return fail([{ requirement: kind, subject: null, path,
          reason: `could not be proven: the default route (0.0.0.0/0) leaves Azure to on-premises (forced tunnel), so the public IPs it reaches the internet from are not in the input and cannot be shown to be within ${requirement.texts.join(', ')}` }]);
      }
      if (path.verdict !== 'internet') return PASS;
      if (path.egressIps.length === 0) {
        const why = path.exit === 'default-outbound' ? 'default outbound access: Azure picks the IP and it can change' : 'the input does not say which public IPs it leaves from';
        return fail([{ requirement: kind, subject: null, path, reason: `egress IPs unknown (${why}), so they cannot be shown to be within ${requirement.texts.join(', ')}` }]);
      }
      // An egress IP the input names but whose address it lacks (a public IP not exported, one listed
      // without ipAddress, a hub firewall's IPs beyond those listed) is shown by name: it may be inside
      // the list or not, so it is never called outside.
      const unnamed = path.egressIps.filter((ip) => parseCidr(ip) === null);
      const outside = path.egressIps.filter((ip) => {
        const cidr = parseCidr(ip);
        return cidr !== null && !requirement.cidrs.some((allowed) => cidrContainsCidr(allowed, cidr));
      });
      if (outside.length > 0) return fail([{ requirement: kind, subject: outside.join(','), path, reason: `egress IP(s) ${outside.join(', ')} outside ${requirement.texts.join(', ')}` }]);
      if (unnamed.length === 0) return PASS;
      return fail([{ requirement: kind, subject: null, path,
        reason: `could not be proven: the address of egress IP ${unnamed.join(', ')} is not in the input, so it cannot be shown to be within ${requirement.texts.join(', ')}` }]);
    }
    case 'mayReach': {
      // Reach is about the default route whatever --destination is: so is every judgement here.
      const defaultPath = ev.defaultRoutePath(info.source) ?? path;
      const reach = ev.reachOf(info.source);
      if (!reach) return fail([{ requirement: kind, subject: null, path: defaultPath, reason: 'could not be proven: no reach answer for this source' }]);
      if (reach.defaultRoute === 'unknown' && !requirement.patterns.some(allowsEverything)) return fail([unproven(kind, defaultPath, null, 'the default route', ev)]);
      const findings: Finding[] = [];
      // A forced tunnel hands internet-bound traffic to a network the input does not describe:
      // reach lists only what rules on the Azure side let out, so its list is no upper bound, and
      // only a list that allows everything is certain to hold (as mustNotReach is never proven there).
      // Any judged flow counts, not only the default route's: an NSG that denies TCP 443 leaves the
      // default route `denied` while every other port goes on-premises.
      const tunnelled = reach.onPremisesFlows ?? [];
      if ((reach.defaultRoute === 'on-premises' || tunnelled.length > 0) && !requirement.patterns.some(allowsEverything)) {
        const what = reach.defaultRoute === 'on-premises' ? 'the default route (0.0.0.0/0)' : `traffic on ${tunnelled.map(flowText).join('; ')}`;
        findings.push({ requirement: kind, subject: null, path: defaultPath,
          reason: `could not be proven: ${what} leaves Azure to on-premises (forced tunnel), where the model ends; what the source reaches from there is not in the input, so it cannot be shown to stay within mayReach` });
      }
      const tags = ev.tags();
      // An unrestricted path's entries say the ports its answer holds for (the NSG port class of TCP
      // 443), and the ports it was not resolved on (past an NVA) as "may reach": judged like any other.
      for (const entry of reach.allowed) {
        const flow = { ports: entry.ports, protocols: entry.protocols };
        if (entryCovered(entry, requirement.patterns, tags)) continue;
        const prefix = entry.verdict === 'unknown' ? 'may reach (not proven blocked)' : 'can reach';
        const subject = entry.kind === 'any' ? '*' : entry.value;
        findings.push({
          requirement: kind, subject, path: defaultPath, ...flow,
          reason: entry.kind === 'any'
            ? `${prefix} any public destination${onPorts(entry)} (${entry.rule}), not only the mayReach list`
            : `${prefix} ${entryLabel(entry)} (rule ${entry.rule}), which is not in mayReach`,
        });
      }
      findings.push(...serviceEndpointReach(requirement.patterns, info.source, ev));
      return fail(findings);
    }
    case 'mustReach': {
      const findings: Finding[] = [];
      for (const { spec } of requirement.destinations) {
        if (only && !only.has(spec.label)) continue;
        const to = ev.pathTo(spec, info.source);
        if (!to) {
          findings.push(noPathTo(kind, spec.label, path));
          continue;
        }
        if (to.verdict === 'internet' || to.verdict === 'private') continue;
        findings.push(to.verdict === 'unknown'
          ? unproven(kind, to, spec.label, `whether it reaches ${spec.label}`, ev)
          : { requirement: kind, subject: spec.label, path: to, reason: `cannot reach ${spec.label}: ${to.verdict} (${ending(to, ev.json)})` });
      }
      return fail(findings);
    }
    case 'mustNotReach': {
      const findings: Finding[] = [];
      for (const { spec } of requirement.destinations) {
        if (only && !only.has(spec.label)) continue;
        const to = ev.pathTo(spec, info.source);
        if (!to) {
          findings.push(noPathTo(kind, spec.label, path));
          continue;
        }
        if (to.verdict === 'denied' || to.verdict === 'dropped' || to.verdict === 'no-outbound') continue;
        if (to.verdict === 'internet' || to.verdict === 'private') {
          findings.push({ requirement: kind, subject: spec.label, path: to, reason: `reaches ${spec.label}: ${to.verdict}, ${describeExit(to)}` });
        } else if (to.verdict === 'on-premises') {
          // Forced tunnelling hands the traffic to a network the snapshot does not describe.
          findings.push({ requirement: kind, subject: spec.label, path: to, reason: `could not be proven blocked: traffic to ${spec.label} leaves Azure to on-premises, where the model ends` });
        } else {
          findings.push(unproven(kind, to, spec.label, `whether it reaches ${spec.label}`, ev));
        }
      }
      return fail(findings);
    }
    case 'privateOnly': {
      const findings: Finding[] = [];
      for (const { spec } of requirement.destinations) {
        if (only && !only.has(spec.label)) continue;
        const to = ev.pathTo(spec, info.source);
        if (!to) {
          findings.push(noPathTo(kind, spec.label, path));
          continue;
        }
        if (to.verdict === 'private' && to.exit === 'private-endpoint') continue;
        if (to.verdict === 'unknown') findings.push(unproven(kind, to, spec.label, `how it reaches ${spec.label}`, ev));
        else if (to.verdict === 'internet') findings.push({ requirement: kind, subject: spec.label, path: to, reason: `reaches ${spec.label} over the internet (${describeExit(to)}), not through a private endpoint` });
        else if (to.verdict === 'private') findings.push({ requirement: kind, subject: spec.label, path: to, reason: `reaches ${spec.label} privately but not through a private endpoint (${to.exit ? EXITS[to.exit] : 'no exit'})` });
        // Denied, dropped, no way out: nothing reaches it publicly either, but nothing proves the private endpoint works.
        else findings.push({ requirement: kind, subject: spec.label, path: to, reason: `does not reach ${spec.label} through a private endpoint: ${to.verdict} (${ending(to, ev.json)})` });
      }
      return fail(findings);
    }
    case 'maxSnatUtilisation': {
      // Only internet traffic is SNATed; an unknown path may be (through what it passed so far).
      if (path.verdict !== 'internet' && path.verdict !== 'unknown') return PASS;
      const metrics = ev.snat();
      const resources = new Set<string>([...path.via.map((v) => v.id), ...path.steps.flatMap((s) => stepResourceIds(s))]);
      const measured = [...resources].flatMap((id) => {
        const m = metrics.get(id);
        return m ? [{ id, ...m }] : [];
      });
      // Before "no metric on its path": an unknown path may go on through a metered device the
      // walk never reached, so the absence of a metric proves nothing about it.
      if (path.verdict === 'unknown') {
        const by = measured.length > 0 ? measured.map((m) => `${nameFromResourceId(m.id)} at ${m.value}%`).join(', ') : 'a device with a SNAT port utilisation metric';
        return fail([{ requirement: kind, subject: null, path,
          reason: `could not be proven: the path is unknown (${ending(path, ev.json)}), so whether its traffic is SNATed by ${by} is not known` }]);
      }
      if (measured.length === 0) return { findings: [], applicable: false };
      const over = measured.filter((m) => m.value > requirement.percent);
      return fail(over.map((m) => ({
        requirement: kind, subject: m.id, path,
        reason: `${nameFromResourceId(m.id)} SNAT port utilisation reached ${m.value}% (${m.window}), above ${requirement.percent}%`,
      })));
    }
  }
}

function exceptionRef(e: PolicyException): ExceptionRef {
  return { source: e.source.text, reason: e.reason, ticket: e.ticket, expires: e.expires, line: e.line };
}

function evaluateControl(control: Control, sources: readonly SourceInfo[], policy: Policy, now: number, ev: Evaluation, gaps: readonly CheckGap[]): ControlResult {
  const active = control.exceptions.filter((e) => now < e.expiresAt);
  const exceptionsExpired: ExceptionExpired[] = control.exceptions.filter((e) => now >= e.expiresAt).map((e) => ({
    exception: exceptionRef(e),
    message: `${policy.fileName}:${e.line}: ${e.field}.expires: the exception for "${e.source.text}"${e.ticket ? ` (${e.ticket})` : ''} expired on ${e.expires}; it no longer applies`,
  }));
  const base = { id: control.id, title: control.title, effect: control.effect, line: control.line, exceptionsExpired };
  if (control.effect === 'disabled') {
    return { ...base, status: 'not-applicable', inScope: [], violations: [], exceptionsApplied: [], notes: ['the control is disabled'] };
  }
  const notRead = gaps.filter((g) => gapMayBeInScope(control.scope, g));
  const unmatched = unmatchedScope(control.scope, sources, gaps);
  // Said on every result of an enabled control, whatever its status: what was read passing says
  // nothing about what was not, and a scope entry that selects nothing is a typo until shown otherwise.
  const extra = { ...(notRead.length > 0 ? { notRead } : {}), ...(unmatched.length > 0 ? { unmatchedScope: unmatched } : {}) };
  const scoped = sources.filter((s) => inScope(control.scope, s));
  if (scoped.length === 0) {
    const notes = notRead.length > 0 ? [`no source that was read is in scope; ${notReadNote(notRead)}`] : ['no source is in scope'];
    return { ...base, status: 'not-applicable', inScope: [], violations: [], exceptionsApplied: [], notes, ...extra };
  }
  const violations: Violation[] = [];
  const applied: ExceptionApplied[] = [];
  const notes: string[] = notRead.length > 0 ? [notReadNote(notRead)] : [];
  let applicable = 0;
  const snatNoMetric: string[] = [];
  const hasSnatMetrics = ev.snat().size > 0;
  /** Sources some requirement judged; the others in scope were not judged at all (JUnit skips them). */
  const judged = new Set<string>();
  /** NICs judged beyond the base resolve (their path differs only for what a requirement resolves), in scope. */
  const ownScoped = new Map<string, SourceInfo>();
  const record = (info: SourceInfo, findings: readonly Finding[]): void => {
    judged.add(info.source.id);
    if (findings.length === 0) return;
    const waiver = active.find((e) => anyMatches([e.source], info.own) || anyMatches([e.source], info.subnet));
    if (waiver) {
      const existing = applied.findIndex((a) => a.source.id === info.source.id && a.exception.line === waiver.line);
      const waived = findings.map((f) => ({ requirement: f.requirement, subject: f.subject, reason: f.reason, ...portsOf(f) }));
      if (existing >= 0) {
        const previous = applied[existing];
        if (previous) applied[existing] = { ...previous, waived: [...previous.waived, ...waived] };
      } else applied.push({ exception: exceptionRef(waiver), source: info.source, waived });
      return;
    }
    for (const f of findings) violations.push({ source: info.source, requirement: f.requirement, subject: f.subject, reason: f.reason, path: ev.json(f.path), ...portsOf(f) });
  };
  for (const requirement of control.requirements) {
    if (requirement.kind === 'maxSnatUtilisation' && !hasSnatMetrics) {
      notes.push('maxSnatUtilisation: not applicable: the input has no SNAT port utilisation metrics (capture them with egress-atlas pull --metrics)');
      continue;
    }
    let judgedHere = false;
    for (const info of scoped) {
      const outcome = evaluate(requirement, info, ev);
      if (!outcome.applicable) {
        snatNoMetric.push(info.source.name);
        continue;
      }
      judgedHere = true;
      record(info, outcome.findings);
    }
    for (const own of ev.ownEntries(requirement)) {
      if (!inScope(control.scope, own.info)) continue;
      ownScoped.set(own.info.source.id, own.info);
      const outcome = evaluate(requirement, own.info, ev, own.destinations);
      if (!outcome.applicable) continue;
      judgedHere = true;
      record(own.info, outcome.findings);
    }
    if (judgedHere) applicable += 1;
  }
  if (snatNoMetric.length > 0) {
    const names = [...new Set(snatNoMetric)];
    notes.push(`maxSnatUtilisation: not applicable to ${names.length} source(s) with no SNAT port utilisation metric on their path (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''})`);
  }
  // ownEntries never returns a base source, so the two lists do not overlap.
  const covered = [...scoped.map((s) => s.source.id), ...[...ownScoped.keys()].sort(compareText)];
  const status: ControlStatus = violations.length > 0 ? 'fail' : applicable > 0 ? 'pass' : 'not-applicable';
  // A not-applicable control judged none of them: its status says so for all.
  const notJudged = status === 'not-applicable' ? [] : covered.filter((id) => !judged.has(id));
  return { ...base, status, inScope: covered, violations, exceptionsApplied: applied, notes, ...(notJudged.length > 0 ? { notJudged } : {}), ...extra };
}

/** A finding's ports and protocols, when it has them (mayReach), as the result carries them. */
function portsOf(f: Finding): { readonly ports?: readonly string[]; readonly protocols?: readonly string[] } {
  return f.ports && f.protocols ? { ports: f.ports, protocols: f.protocols } : {};
}

/** Checks every control of the policy against the estate. */
export function checkPolicy(input: ResolveInput, policy: Policy, options: CheckOptions): CheckResult {
  const base = resolveEgress(input, { destination: options.destination ?? null, resolve: options.resolve });
  const ev = new Evaluation(input, options, base);
  const sources = buildSources(input, base, ev.nicSubnet);
  ev.useSources(sources);
  const now = options.now.getTime();
  const gaps = unreadGaps(input);
  const controls = policy.controls.map((c) => evaluateControl(c, sources, policy, now, ev, gaps));
  const notJudgedUnread = controls.filter((c) => (c.notRead?.length ?? 0) > 0).map((c) => c.id);
  const failed = controls.filter((c) => c.status === 'fail');
  // NICs judged on their own for some destination are sources too (JUnit and the app name them).
  const inAnyScope = new Set(controls.flatMap((c) => c.inScope));
  const own = [...ev.nicSources().values()].filter((s) => inAnyScope.has(s.source.id)).map((s) => s.source).sort((a, b) => compareText(a.id, b.id));
  return {
    schema: CHECK_SCHEMA,
    policy: policy.fileName,
    evaluatedAt: options.now.toISOString(),
    destination: base.destination,
    ...((options.destination ?? null) !== null && base.destinationInfo ? { destinationInterpretation: base.destinationInfo.interpretation } : {}),
    sources: [...sources.map((s) => s.source), ...own],
    ...(gaps.length > 0 ? { gaps } : {}),
    controls,
    summary: {
      controls: controls.length,
      passed: controls.filter((c) => c.status === 'pass').length,
      failed: failed.length,
      notApplicable: controls.filter((c) => c.status === 'not-applicable').length,
      denyFailed: failed.filter((c) => c.effect === 'deny').map((c) => c.id),
      ...(notJudgedUnread.length > 0 ? { notJudgedUnread } : {}),
    },
  };
}

/** The CLI's exit code for a result: 1 when a deny control failed, else 0 (audit never changes it). */
export function checkExitCode(result: CheckResult): 0 | 1 {
  return result.summary.denyFailed.length > 0 ? 1 : 0;
}


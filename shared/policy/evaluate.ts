/**
 * `checkPolicy(input, policy, options)`: every control of a policy against one estate, the
 * `egress-atlas/check@1` result. Pure and deterministic (the clock is an option), built only on
 * the engine's answers: the default-route resolve for route-level requirements, one what-if resolve
 * per distinct destination (shared by every control that names it), and `computeReach` for
 * `mayReach`. A path the engine calls `unknown` never passes a must / forbid requirement: it is a
 * violation saying it could not be proven, because an auditor needs a pass they can rely on.
 */
import { fqdnPatternMatches } from '../egress/destination-spec';
import { stepResourceIds, toResolveJson } from '../egress/explain';
import type { ResolveJsonPath } from '../egress/explain';
import type { ResolveInput } from '../egress/index';
import { primaryIpConfiguration } from '../egress/outbound';
import { computeReach } from '../egress/reach';
import type { ReachEntry, ReachResult, ReachSource } from '../egress/reach';
import { resolveEgress } from '../egress/resolve';
import { terminalOf } from '../egress/steps';
import { EXITS } from '../egress/types';
import type { EgressPath, PathSource, ResolveResult } from '../egress/types';
import { nameFromResourceId } from '../model/ids';
import type { ResourceId } from '../model/ids';
import { cidrContainsCidr, parseCidr } from '../model/ip';
import { effectiveTags } from '../model/tags';
import type { NetworkResource, Subnet, VirtualNetwork } from '../model/topology';
import { anyMatches } from './glob';
import { CHECK_SCHEMA } from './types';
import type {
  CheckResult, CheckSource, Control, ControlResult, ControlStatus, ExceptionApplied, ExceptionExpired, ExceptionRef, Policy, PolicyException,
  ReachPattern, Requirement, RequirementKind, Scope, Violation,
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
}

const key = (source: Pick<PathSource, 'type' | 'id'>): string => `${source.type}|${source.id}`;

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
      own: [path.source.name, path.source.id],
      subnet: subnet ? [subnet.name, subnet.id] : [],
      vnet: subnet ? [vnet?.name ?? nameFromResourceId(subnet.virtualNetworkId), subnet.virtualNetworkId] : [],
      resourceGroup: subnet ? [resourceGroup, `/subscriptions/${subscriptionId}/resourcegroups/${resourceGroup}`] : [],
      subscription: subnet ? [subscriptionId, `/subscriptions/${subscriptionId}`] : [],
      tags: subnet ? tagsOf(subnet) : new Map(),
    };
  });
}

export function inScope(scope: Scope, info: SourceInfo): boolean {
  if (!info.workload && !scope.includePlatform) return false;
  if (scope.subscriptions.length > 0 && !anyMatches(scope.subscriptions, info.subscription)) return false;
  if (scope.resourceGroups.length > 0 && !anyMatches(scope.resourceGroups, info.resourceGroup)) return false;
  if (scope.vnets.length > 0 && !anyMatches(scope.vnets, info.vnet)) return false;
  if (scope.subnets.length > 0 && !anyMatches(scope.subnets, info.subnet)) return false;
  for (const tag of scope.tags) {
    const value = info.tags.get(tag.key.toLowerCase());
    if (value === undefined || !tag.value.pattern.test(value)) return false;
  }
  return true;
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

function portsCovered(pattern: ReachPattern, entry: ReachEntry): boolean {
  if (pattern.port === null) return true;
  return entry.ports.length > 0 && entry.ports.every((p) => p.trim() === String(pattern.port));
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
 * A `/tcp` or `/udp` pattern covers only entries on that protocol (policy.schema.json: a destination
 * "optionally with :port and /tcp or /udp"; destinations.md §6.6: header space = ports AND
 * protocols); a rule allowing `Any` or TCP and UDP is not within a UDP-only pattern.
 */
function protocolsCovered(pattern: ReachPattern, entry: ReachEntry): boolean {
  if (pattern.protocol === null) return true;
  return entry.protocols.length > 0 && entry.protocols.every((p) => transportOf(p) === pattern.protocol);
}

/** `*`, `0.0.0.0/0` or `internet` with neither port nor protocol: everything is allowed. */
function allowsEverything(pattern: ReachPattern): boolean {
  return pattern.kind === 'any' && pattern.port === null && pattern.protocol === null;
}

/** Whether a reach entry (or an observed destination put as one: `traffic --policy`) is within a mayReach list. */
export function entryCovered(entry: ReachEntry, patterns: readonly ReachPattern[]): boolean {
  return patterns.some((pattern) => {
    // The port and protocol first: `0.0.0.0/0:443` allows any destination on port 443 only.
    if (!portsCovered(pattern, entry) || !protocolsCovered(pattern, entry)) return false;
    if (pattern.kind === 'any') return true;
    switch (entry.kind) {
      case 'any': return false;
      case 'fqdn': return pattern.kind === 'fqdn' && fqdnCovers(pattern.pattern, entry.value);
      case 'cidr': {
        const cidr = parseCidr(entry.value);
        return pattern.kind === 'cidr' && cidr !== null && cidrContainsCidr(pattern.cidr, cidr);
      }
      // Tags, FQDN tags and web categories are covered only by naming them: their contents change without notice.
      case 'service-tag': case 'fqdn-tag': case 'web-category':
        return pattern.kind === 'service-tag' && pattern.tag.toLowerCase() === entry.value.toLowerCase();
    }
  });
}

function entryLabel(entry: ReachEntry): string {
  const ports = entry.ports.length > 0 ? ` ${entry.protocols.join('/')} ${entry.ports.join(',')}` : '';
  return `${entry.kind === 'any' ? 'any destination' : entry.value}${ports}`;
}

// ---- the evaluator ----------------------------------------------------------------------------

class Evaluation {
  private readonly jsonCache = new WeakMap<EgressPath, ResolveJsonPath>();
  private readonly destinationCache = new Map<string, ReadonlyMap<string, EgressPath>>();
  private reach: ReadonlyMap<string, ReachSource> | null = null;
  private snatMetrics: ReadonlyMap<string, { readonly value: number; readonly window: string }> | null = null;
  readonly nicSubnet = new Map<string, string>();

  constructor(private readonly input: ResolveInput, private readonly options: CheckOptions) {
    for (const nic of input.model.networkInterfaces) {
      const subnetId = primaryIpConfiguration(nic)?.subnetId;
      if (subnetId) this.nicSubnet.set(nic.id, subnetId);
    }
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

  /** One resolve per distinct destination, shared across controls. */
  pathTo(label: string, text: string, source: PathSource): EgressPath | null {
    let byKey = this.destinationCache.get(label);
    if (!byKey) {
      const result = resolveEgress(this.input, { destination: text, resolve: this.options.resolve, estateFindings: false });
      byKey = new Map(result.paths.map((p) => [key(p.source), p]));
      this.destinationCache.set(label, byKey);
    }
    const own = byKey.get(key(source));
    if (own) return own;
    // A NIC without an entry of its own for this destination follows its subnet's path.
    const subnetId = source.type === 'nic' ? this.nicSubnet.get(source.id) : undefined;
    return subnetId ? byKey.get(`subnet|${subnetId}`) ?? null : null;
  }

  reachOf(source: PathSource): ReachSource | null {
    if (!this.reach) {
      const result: ReachResult = computeReach(this.input, { resolve: this.options.resolve });
      this.reach = new Map(result.sources.map((s) => [key(s.source), s]));
    }
    return this.reach.get(key(source)) ?? null;
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

function evaluate(requirement: Requirement, info: SourceInfo, ev: Evaluation): RequirementOutcome {
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
      if (path.verdict !== 'internet') return PASS;
      if (path.egressIps.length === 0) {
        const why = path.exit === 'default-outbound' ? 'default outbound access: Azure picks the IP and it can change' : 'the input does not say which public IPs it leaves from';
        return fail([{ requirement: kind, subject: null, path, reason: `egress IPs unknown (${why}), so they cannot be shown to be within ${requirement.texts.join(', ')}` }]);
      }
      const outside = path.egressIps.filter((ip) => {
        const cidr = parseCidr(ip);
        return cidr === null || !requirement.cidrs.some((allowed) => cidrContainsCidr(allowed, cidr));
      });
      if (outside.length === 0) return PASS;
      return fail([{ requirement: kind, subject: outside.join(','), path, reason: `egress IP(s) ${outside.join(', ')} outside ${requirement.texts.join(', ')}` }]);
    }
    case 'mayReach': {
      const reach = ev.reachOf(info.path.source);
      if (!reach) return fail([{ requirement: kind, subject: null, path, reason: 'could not be proven: no reach answer for this source' }]);
      const everything = requirement.patterns.some(allowsEverything);
      if (reach.defaultRoute === 'unknown' && !everything) return fail([unproven(kind, path, null, 'the default route', ev)]);
      // reach.ts lists an unrestricted path as one `any` entry on TCP 443, the port the default route
      // is resolved on: other ports are not evaluated, so only a pattern allowing everything covers it
      // (`0.0.0.0/0:443` cannot be shown to hold there; a confident pass would be a guess).
      const terminal = terminalOf(info.path.steps).reason;
      const open = info.path.verdict === 'internet' && terminal.kind === 'egress' && terminal.restrictedTo === null;
      const findings: Finding[] = [];
      for (const entry of reach.allowed) {
        if (entryCovered(entry, requirement.patterns)) {
          if (!(open && entry.kind === 'any' && !everything)) continue;
          findings.push({
            requirement: kind, subject: '*', path,
            reason: `can reach any public destination (${entry.rule}); only TCP 443 is evaluated on this unrestricted path, so it cannot be shown to stay within the mayReach list`,
          });
          continue;
        }
        const prefix = entry.verdict === 'unknown' ? 'may reach (not proven blocked)' : 'can reach';
        const subject = entry.kind === 'any' ? '*' : entry.value;
        findings.push({
          requirement: kind, subject, path,
          reason: entry.kind === 'any'
            ? `can reach any public destination (${entry.rule}), not only the mayReach list`
            : `${prefix} ${entryLabel(entry)} (rule ${entry.rule}), which is not in mayReach`,
        });
      }
      return fail(findings);
    }
    case 'mustReach': {
      const findings: Finding[] = [];
      for (const { spec } of requirement.destinations) {
        const to = ev.pathTo(spec.label, spec.text, info.path.source);
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
        const to = ev.pathTo(spec.label, spec.text, info.path.source);
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
        const to = ev.pathTo(spec.label, spec.text, info.path.source);
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
      if (measured.length === 0) return { findings: [], applicable: false };
      if (path.verdict === 'unknown') {
        const load = measured.map((m) => `${nameFromResourceId(m.id)} at ${m.value}%`).join(', ');
        return fail([{ requirement: kind, subject: null, path,
          reason: `could not be proven: the path is unknown (${ending(path, ev.json)}), so whether its traffic is SNATed by ${load} is not known` }]);
      }
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

function evaluateControl(control: Control, sources: readonly SourceInfo[], policy: Policy, now: number, ev: Evaluation): ControlResult {
  const active = control.exceptions.filter((e) => now < e.expiresAt);
  const exceptionsExpired: ExceptionExpired[] = control.exceptions.filter((e) => now >= e.expiresAt).map((e) => ({
    exception: exceptionRef(e),
    message: `${policy.fileName}:${e.line}: ${e.field}.expires: the exception for "${e.source.text}"${e.ticket ? ` (${e.ticket})` : ''} expired on ${e.expires}; it no longer applies`,
  }));
  const base = { id: control.id, title: control.title, effect: control.effect, line: control.line, exceptionsExpired };
  if (control.effect === 'disabled') {
    return { ...base, status: 'not-applicable', inScope: [], violations: [], exceptionsApplied: [], notes: ['the control is disabled'] };
  }
  const scoped = sources.filter((s) => inScope(control.scope, s));
  if (scoped.length === 0) {
    return { ...base, status: 'not-applicable', inScope: [], violations: [], exceptionsApplied: [], notes: ['no source is in scope'] };
  }
  const violations: Violation[] = [];
  const applied: ExceptionApplied[] = [];
  const notes: string[] = [];
  let applicable = 0;
  const snatNoMetric: string[] = [];
  const hasSnatMetrics = ev.snat().size > 0;
  for (const requirement of control.requirements) {
    if (requirement.kind === 'maxSnatUtilisation' && !hasSnatMetrics) {
      notes.push('maxSnatUtilisation: not applicable: the input has no SNAT port utilisation metrics (capture them with egress-atlas pull --metrics)');
      continue;
    }
    let judged = false;
    for (const info of scoped) {
      const outcome = evaluate(requirement, info, ev);
      if (!outcome.applicable) {
        snatNoMetric.push(info.source.name);
        continue;
      }
      judged = true;
      if (outcome.findings.length === 0) continue;
      const waiver = active.find((e) => anyMatches([e.source], info.own) || anyMatches([e.source], info.subnet));
      if (waiver) {
        const existing = applied.findIndex((a) => a.source.id === info.source.id && a.exception.line === waiver.line);
        const waived = outcome.findings.map((f) => ({ requirement: f.requirement, subject: f.subject, reason: f.reason }));
        if (existing >= 0) {
          const previous = applied[existing];
          if (previous) applied[existing] = { ...previous, waived: [...previous.waived, ...waived] };
        } else applied.push({ exception: exceptionRef(waiver), source: info.source, waived });
        continue;
      }
      for (const f of outcome.findings) violations.push({ source: info.source, requirement: f.requirement, subject: f.subject, reason: f.reason, path: ev.json(f.path) });
    }
    if (judged) applicable += 1;
  }
  if (snatNoMetric.length > 0) {
    const names = [...new Set(snatNoMetric)];
    notes.push(`maxSnatUtilisation: not applicable to ${names.length} source(s) with no SNAT port utilisation metric on their path (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''})`);
  }
  const status: ControlStatus = violations.length > 0 ? 'fail' : applicable > 0 ? 'pass' : 'not-applicable';
  return { ...base, status, inScope: scoped.map((s) => s.source.id), violations, exceptionsApplied: applied, notes };
}

/** Checks every control of the policy against the estate. */
export function checkPolicy(input: ResolveInput, policy: Policy, options: CheckOptions): CheckResult {
  const base = resolveEgress(input, { destination: options.destination ?? null, resolve: options.resolve });
  const ev = new Evaluation(input, options);
  const sources = buildSources(input, base, ev.nicSubnet);
  const now = options.now.getTime();
  const controls = policy.controls.map((c) => evaluateControl(c, sources, policy, now, ev));
  const failed = controls.filter((c) => c.status === 'fail');
  return {
    schema: CHECK_SCHEMA,
    policy: policy.fileName,
    evaluatedAt: options.now.toISOString(),
    destination: base.destination,
    sources: sources.map((s) => s.source),
    controls,
    summary: {
      controls: controls.length,
      passed: controls.filter((c) => c.status === 'pass').length,
      failed: failed.length,
      notApplicable: controls.filter((c) => c.status === 'not-applicable').length,
      denyFailed: failed.filter((c) => c.effect === 'deny').map((c) => c.id),
    },
  };
}

/** The CLI's exit code for a result: 1 when a deny control failed, else 0 (audit never changes it). */
export function checkExitCode(result: CheckResult): 0 | 1 {
  return result.summary.denyFailed.length > 0 ? 1 : 0;
}


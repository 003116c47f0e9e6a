/**
 * What one resolve accumulates: the per-path trail (hops, appliances passed, findings) and the
 * per-resolve caches that let thousands of sources share what does not depend on them.
 */
import type { Gap } from '../model/gaps';
import type { ServiceTagIndex } from '../model/service-tags';
import type { ModelIndex, PeeringRef, PrivateIpOwner } from '../model/model-index';
import type { AzureFirewall, Subnet, VirtualNetwork } from '../model/topology';
import type { RouteLookup } from '../routing/lpm';
import type { RouteSet } from '../routing/route';
import type { RouteSetBuilder } from '../routing/subnet-routes';
import type { SourceAddress, TrafficSpec } from './destination';
import type { FirewallRuleSet } from './firewall-rules';
import type { LeftOutResource } from './left-out';
import type { Flow, Named, Step, TerminalReason } from './steps';
import type { ExitMethod, Finding, FindingCode, FindingSeverity, Via } from './types';

/** Who owns a next-hop IP, as seen from a VNet. */
export type OwnerLookup =
  | { readonly kind: 'found'; readonly owner: PrivateIpOwner; readonly viaPeering: PeeringRef | null }
  | { readonly kind: 'out-of-scope'; readonly peering: PeeringRef }
  /** The address is in a peered VNet whose peering state the input does not give. */
  | { readonly kind: 'peering-state-unknown'; readonly peering: PeeringRef }
  /** Nobody owns it; `holder` is the VNet (own, or Connected peered in the input) whose address space holds it. */
  | { readonly kind: 'unowned'; readonly holder: VirtualNetwork | null };

export interface EngineContext {
  readonly index: ModelIndex;
  readonly routes: RouteSetBuilder;
  readonly traffic: TrafficSpec;
  /** Gaps found while resolving, keyed by code + scope so each is reported once. */
  readonly gaps: Map<string, Gap>;
  readonly lookups: Map<RouteSet, RouteLookup>;
  /** What happens after an appliance, by subnet + sender: the same for every source behind it (see forwardFromAppliance). */
  readonly continuations: Map<Subnet, Map<unknown, Continuation>>;
  /** Per-resolve memo of next-hop owners and firewall rule sets (many spokes share a few appliances). */
  readonly owners: Map<VirtualNetwork, Map<string, OwnerLookup>>;
  readonly firewallRules: Map<AzureFirewall, FirewallRuleSet>;
  /** The flow as steps cite it (one object shared by every step). */
  readonly flow: Flow;
  /** Service tag data, when given: NSG, firewall and route matching use real prefixes. */
  readonly serviceTags: ServiceTagIndex | undefined;
  /** A step every path from this subnet starts with after its source (how a destination name resolved from its VNet). */
  readonly prelude: ((subnet: Subnet) => Step | null) | null;
  /** Steps and exits that do not depend on the source, shared by every path that passes them (memory and GC at estate scale). */
  readonly memo: Map<unknown, MemoEntry>;
  /** Whether trails record their steps: false where only verdicts are wanted (the matrix), which never look at them. */
  readonly recordSteps: boolean;
  /** Resources the input held but the normalizer left out as malformed (left-out.ts): empty nearly always. */
  readonly leftOut: readonly LeftOutResource[];
}

/**
 * The values cached for one owner: most owners have one variant, kept inline (a Map per owner
 * would be tens of thousands of Maps per resolve at estate scale); further variants in `more`.
 */
export interface MemoEntry {
  readonly variant: string;
  readonly value: unknown;
  more: Map<string, unknown> | null;
}

/** Returns the value cached under (owner, variant), making it once. `owner` is a model object or ID. */
export function memoize<T>(ctx: EngineContext, owner: unknown, variant: string, make: () => T): T {
  const entry = ctx.memo.get(owner);
  if (!entry) {
    const value = make();
    ctx.memo.set(owner, { variant, value, more: null });
    return value;
  }
  if (entry.variant === variant) return entry.value as T;
  if (entry.more?.has(variant)) return entry.more.get(variant) as T;
  const value = make();
  (entry.more ??= new Map<string, unknown>()).set(variant, value);
  return value;
}

/** A recorded walk from an appliance's subnet onwards, replayed for the next source that reaches the same appliance. */
export interface Continuation {
  readonly outcome: Outcome;
  readonly steps: readonly Step[];
  readonly via: readonly Via[];
  readonly findings: readonly Finding[];
  /** Appliances passed (for loop detection when replayed). */
  readonly visited: readonly string[];
  readonly depth: number;
}

export function newEngineContext(
  index: ModelIndex, routes: RouteSetBuilder, traffic: TrafficSpec, flow: Flow,
  extra: { readonly serviceTags?: ServiceTagIndex; readonly prelude?: (subnet: Subnet) => Step | null; readonly recordSteps?: boolean; readonly leftOut?: readonly LeftOutResource[] } = {},
): EngineContext {
  return {
    index, routes, traffic, flow, serviceTags: extra.serviceTags, prelude: extra.prelude ?? null, recordSteps: extra.recordSteps ?? true, leftOut: extra.leftOut ?? [],
    gaps: new Map(), lookups: new Map(), continuations: new Map(), owners: new Map(), firewallRules: new Map(), memo: new Map(),
  };
}

/**
 * How a walk ended: the terminal step (which fixes the verdict) and, for internet and private
 * exits, the exit data. Handlers return one only through `Trail.end`, which records the step.
 */
export interface Outcome {
  readonly terminal: TerminalReason;
  readonly exit: ExitMethod | null;
  readonly egressIps: readonly string[];
  readonly snatPorts: number | null;
}

/**
 * One source address traffic may carry after an appliance on the path: one private IP of an NVA's
 * VM (any NIC, any IP configuration, a floating next-hop address included), which the NVA uses if
 * it SNATs to it, or an Azure Firewall's addresses in AzureFirewallSubnet, which it SNATs to
 * (see Trail.nvaSources, Trail.snatSource).
 */
export interface NvaSource {
  /** The appliance: the NVA's NIC the traffic reached it on, or the Azure Firewall. */
  readonly nic: Named;
  /** Words naming the appliance (`NVA nva-a`, `Azure Firewall fw`). */
  readonly who: string;
  readonly source: SourceAddress;
  /** The address and where it is (`10.0.3.4 (NIC nva-untrust)`), for the words that name it. */
  readonly label: string;
  /**
   * For an Azure Firewall whose SNAT the input does not decide: why (its SNAT settings). Absent
   * for an NVA, whose SNAT is its own configuration, never in the input.
   */
  readonly snatFact?: string;
}

/** The address an Azure Firewall SNATed the packet to for certain, and the source it had arrived with. */
export interface SnatSource extends NvaSource {
  readonly arriving: SourceAddress;
}

const NO_NVA_SOURCES: readonly NvaSource[] = Object.freeze([]);

/**
 * Builds the SnatSource of one Azure Firewall subnet for a packet that arrived with `arriving`
 * (one per firewall subnet, shared by every walk through it).
 */
export interface SnatMaker {
  make(arriving: SourceAddress, dns: SourceAddress['dns']): SnatSource;
}

/** Everything one path accumulates while it is walked. */
/** The steps of a trail that records none (never written: add, end and append check `recording`). */
const NO_STEPS: Step[] = Object.freeze([]) as unknown as Step[];

/** What a trail that records no steps has passed, until it passes something (shared, never written). */
const NOTHING_YET: readonly never[] = Object.freeze([]);

export class Trail {
  readonly steps: Step[];
  /**
   * Appliances on the path, findings, appliances passed (a path passes at most a few: an array is
   * cheaper than a Set per path at estate scale). A recording trail owns its lists from the start
   * (they become the path's); one that does not makes them when first written (most walks of a
   * verdicts-only matrix write none).
   */
  private viaList: Via[] | null;
  private findingList: Finding[] | null;
  private visitedList: string[] | null;
  /** Firewall or NSG rules restricted the path to these destinations (FQDNs, prefixes, service tags). */
  restrictedTo: readonly string[] | null = null;
  depth = 0;
  /** Set when an NSG or firewall rule looked at the source address: such a walk is not shared between sources. */
  sourceConsulted = false;
  /** Set when the walk came back to an appliance it passed (loopGuard): what it met depends on what was passed before, so it is not shared. */
  loopMet = false;
  /**
   * The sources a rule further on may see besides the original one: every private address of every
   * NVA passed so far (each NVA may keep the source it received or SNAT to any of its VM's
   * addresses, which is its own configuration, not in the input), deduplicated. Rules after them
   * (a firewall's, an NSG's) must decide alike for all of these and the original source.
   */
  nvaSources: readonly NvaSource[] = NO_NVA_SOURCES;
  /**
   * Set when an Azure Firewall on the path SNATs the packet for certain: it then carries one of the
   * firewall's private addresses in AzureFirewallSubnet, not `source` ("Internet-bound traffic is
   * SNATed to one of the firewall's private IP addresses in AzureFirewallSubnet" in forced-tunnel
   * mode; network rules outside the SNAT private ranges and application rules likewise) [FWSNAT]
   * https://learn.microsoft.com/azure/firewall/snat-private-range. Rules further on see it in place
   * of `source` (and nvaSources are cleared: the firewall replaced whatever source they gave).
   */
  get snatSource(): SnatSource | null {
    // Built when a rule further on first asks: most walks through a firewall end at the internet
    // with no rule after it, and building one per walk cost ~10% of a destinations matrix.
    if (this.snatMade === null && this.snatMaker !== null && this.snatArriving !== null) {
      this.snatMade = this.snatMaker.make(this.snatArriving, this.source.dns);
    }
    return this.snatMade;
  }

  set snatSource(value: SnatSource | null) {
    this.snatMade = value;
    this.snatMaker = null;
    this.snatArriving = null;
  }

  private snatMade: SnatSource | null = null;
  private snatMaker: SnatMaker | null = null;
  private snatArriving: SourceAddress | null = null;

  /** An Azure Firewall SNATs the packet for certain (see snatSource): it replaces whatever NVAs' addresses came before. */
  snatBy(maker: SnatMaker, arriving: SourceAddress): void {
    this.snatMade = null;
    this.snatMaker = maker;
    this.snatArriving = arriving;
    this.nvaSources = NO_NVA_SOURCES;
  }

  /**
   * `recording` false: steps are not kept (the walk and its verdict are the same; only the hops
   * that explain it are left out). Handlers skip building a step when a trail does not record.
   */
  constructor(readonly source: SourceAddress, readonly recording = true) {
    this.steps = recording ? [] : NO_STEPS;
    this.viaList = recording ? [] : null;
    this.findingList = recording ? [] : null;
    this.visitedList = recording ? [] : null;
  }

  get via(): readonly Via[] {
    return this.viaList ?? NOTHING_YET;
  }

  get findings(): readonly Finding[] {
    return this.findingList ?? NOTHING_YET;
  }

  get visited(): readonly string[] {
    return this.visitedList ?? NOTHING_YET;
  }

  /** The path passes an appliance (or ends at a private endpoint) that the path's `via` names. */
  passVia(via: Via): void {
    // First write: a one-element list (a path passes one or two appliances), not an empty list grown by push.
    if (this.viaList) this.viaList.push(via);
    else this.viaList = [via];
  }

  /** An appliance passed, for loop detection. */
  visit(id: string): void {
    if (this.visitedList) this.visitedList.push(id);
    else this.visitedList = [id];
  }

  /** An empty trail that continues this one (same source, appliances passed, depth). */
  fork(): Trail {
    const child = new Trail(this.source, this.recording);
    for (const id of this.visited) child.visit(id);
    child.depth = this.depth;
    child.restrictedTo = this.restrictedTo;
    child.nvaSources = this.nvaSources;
    child.snatMade = this.snatMade;
    child.snatMaker = this.snatMaker;
    child.snatArriving = this.snatArriving;
    return child;
  }

  /** Appends a continuation walked elsewhere. */
  append(part: Continuation): Outcome {
    if (this.recording) this.steps.push(...part.steps);
    for (const v of part.via) this.passVia(v);
    for (const f of part.findings) {
      if (!this.findings.some((g) => g.code === f.code && g.message === f.message)) (this.findingList ??= []).push(f);
    }
    for (const id of part.visited) if (!this.visited.includes(id)) this.visit(id);
    this.depth += part.depth;
    return part.outcome;
  }

  /** Appends a step (possibly shared with other paths: steps are never mutated). */
  add(step: Step): void {
    if (this.recording) this.steps.push(step);
  }

  /** Ends the walk: records the terminal step; the verdict follows from its reason. */
  end(reason: TerminalReason, exit: { readonly exit: ExitMethod; readonly egressIps: readonly string[]; readonly snatPorts: number | null } | null = null): Outcome {
    if (this.recording) this.steps.push({ kind: 'terminal', reason });
    return { terminal: reason, exit: exit?.exit ?? null, egressIps: exit?.egressIps ?? [], snatPorts: exit?.snatPorts ?? null };
  }

  /** Ends the walk with a terminal step shared between paths (memoized elsewhere). */
  endShared(step: Extract<Step, { kind: 'terminal' }>, exit: { readonly exit: ExitMethod; readonly egressIps: readonly string[]; readonly snatPorts: number | null } | null): Outcome {
    if (this.recording) this.steps.push(step);
    return { terminal: step.reason, exit: exit?.exit ?? null, egressIps: exit?.egressIps ?? [], snatPorts: exit?.snatPorts ?? null };
  }

  finding(code: FindingCode, severity: FindingSeverity, message: string, advice: string, resourceIds: readonly string[], docs: string): void {
    if (this.findings.some((f) => f.code === code && f.message === message)) return;
    (this.findingList ??= []).push({ code, severity, message, advice, resourceIds: [...resourceIds], docs });
  }
}

export function addGap(ctx: EngineContext, gap: Gap): void {
  const key = `${gap.code}|${gap.scope}`;
  if (!ctx.gaps.has(key)) ctx.gaps.set(key, gap);
}


/**
 * Egress intent as code: the policy file (`version: 1`, YAML or JSON) and the result of checking an
 * estate against it, `egress-atlas/check@1`. The CLI (`egress-atlas check`), the app's Controls
 * panel and the evidence PDF all read these shapes; nothing downstream re-evaluates a control.
 */
import type { DestinationSpec } from '../egress/destination-spec';
import type { ResolveJsonPath } from '../egress/explain';
import type { ExitMethod, PathSource, Verdict } from '../egress/types';
import type { GapCode } from '../model/gaps';
import type { Cidr } from '../model/ip';

export const CHECK_SCHEMA = 'egress-atlas/check@1' as const;
export const POLICY_VERSION = 1 as const;

/** Azure Policy's vocabulary: `deny` fails the check, `audit` reports only, `disabled` skips the control. */
export type Effect = 'deny' | 'audit' | 'disabled';
export const EFFECTS: readonly Effect[] = ['deny', 'audit', 'disabled'];

/**
 * A name, a resource ID or a glob (`*` any run of characters, `?` one character), matched
 * case-insensitively, as Azure treats names and IDs. Compiled once at parse time (glob.ts).
 */
export interface Selector {
  readonly text: string;
  /**
   * What it is matched against: `name` (it does not start with `/`) a resource's name only; `id`
   * (it starts with `/`) the resource ID, where `*` stays within one segment; `value` a tag value.
   * A glob on names must not select a resource through the resource group or VNet in its ID.
   */
  readonly matches: 'name' | 'id' | 'value';
  readonly pattern: RegExp;
}

/** Which sources a control covers. Every non-empty selector list must match (AND); within a list any entry may (OR). */
export interface Scope {
  readonly subscriptions: readonly Selector[];
  readonly resourceGroups: readonly Selector[];
  readonly vnets: readonly Selector[];
  readonly subnets: readonly Selector[];
  /** Subnet tags (inherited from the VNet when the subnet has none): every key must be present with a matching value. */
  readonly tags: readonly { readonly key: string; readonly value: Selector }[];
  /**
   * Whether platform subnets (AzureFirewallSubnet, GatewaySubnet, Bastion, Route Server) are
   * covered. Default false: their egress is Azure-managed, and a firewall cannot be routed through
   * itself, so `subnets: ["*"]` means "every workload subnet".
   */
  readonly includePlatform: boolean;
}

/** One destination a control resolves (mustReach, mustNotReach, privateOnly), parsed once (see destination-spec.ts). */
export interface PolicyDestination {
  readonly spec: DestinationSpec;
}

/**
 * One entry of a `mayReach` allow-list. Unlike a resolved destination it may be an FQDN pattern
 * (`*.riskapi.example`, Azure Firewall's wildcard rules) and its port is optional: without one,
 * any port of that destination is allowed. Likewise the protocol: policy.schema.json's destination
 * is "optionally with :port and /tcp or /udp", and a header space is ports AND protocols
 * (destinations.md §6.6), so `/udp` allows UDP only; without a suffix both are allowed.
 */
export type ReachPattern = { readonly text: string; readonly port: number | null; readonly protocol: 'Tcp' | 'Udp' | null } & (
  | { readonly kind: 'fqdn'; readonly pattern: string }
  | { readonly kind: 'cidr'; readonly cidr: Cidr }
  | { readonly kind: 'service-tag'; readonly tag: string }
  /** `*`, `0.0.0.0/0` or `internet` allow every destination (on the port / protocol given, if one is: `0.0.0.0/0:443`). */
  | { readonly kind: 'any' }
);

/** One requirement of a control, with the line it was written on (reports point at it). */
export type Requirement = { readonly line: number } & (
  | { readonly kind: 'forbidExits'; readonly exits: readonly ExitMethod[] }
  | { readonly kind: 'forbidVerdicts'; readonly verdicts: readonly Verdict[] }
  | { readonly kind: 'requireVerdicts'; readonly verdicts: readonly Verdict[] }
  | { readonly kind: 'requireVia'; readonly via: readonly Selector[] }
  | { readonly kind: 'egressIpsWithin'; readonly cidrs: readonly Cidr[]; readonly texts: readonly string[] }
  | { readonly kind: 'mayReach'; readonly patterns: readonly ReachPattern[] }
  | { readonly kind: 'mustReach'; readonly destinations: readonly PolicyDestination[] }
  | { readonly kind: 'mustNotReach'; readonly destinations: readonly PolicyDestination[] }
  | { readonly kind: 'privateOnly'; readonly destinations: readonly PolicyDestination[] }
  | { readonly kind: 'maxSnatUtilisation'; readonly percent: number }
);

export type RequirementKind = Requirement['kind'];

export const REQUIREMENT_KINDS: readonly RequirementKind[] = [
  'forbidExits', 'forbidVerdicts', 'requireVerdicts', 'requireVia', 'egressIpsWithin',
  'mayReach', 'mustReach', 'mustNotReach', 'privateOnly', 'maxSnatUtilisation',
];

/** A time-boxed waiver (Azure Policy exemptions): it applies to matching sources until the end of `expires` (UTC). */
export interface PolicyException {
  readonly source: Selector;
  readonly reason: string;
  readonly ticket: string | null;
  /** `YYYY-MM-DD` (or a full ISO date-time) as written. */
  readonly expires: string;
  /** The first instant the exception no longer applies, epoch ms. */
  readonly expiresAt: number;
  readonly line: number;
  /** `controls[0].exceptions[1]`: where it is written (an expired exception is reported there). */
  readonly field: string;
}

export interface Control {
  readonly id: string;
  readonly title: string;
  readonly description: string | null;
  readonly effect: Effect;
  /** 1-based line of the control in the policy file (SARIF locations point here). */
  readonly line: number;
  readonly scope: Scope;
  readonly requirements: readonly Requirement[];
  readonly exceptions: readonly PolicyException[];
}

export interface Policy {
  readonly version: typeof POLICY_VERSION;
  /** The file name as given (reports and SARIF cite it). */
  readonly fileName: string;
  readonly controls: readonly Control[];
}

// ---- the result: egress-atlas/check@1 -------------------------------------------------------

export type ControlStatus = 'pass' | 'fail' | 'not-applicable';

export interface CheckSource {
  readonly type: PathSource['type'];
  readonly id: string;
  readonly name: string;
}

export interface Violation {
  readonly source: CheckSource;
  /** Which requirement it breaks. */
  readonly requirement: RequirementKind;
  /** The destination, via or CIDR concerned, when the requirement lists several (stable: fingerprints use it). */
  readonly subject: string | null;
  readonly reason: string;
  /** The resolve@1 path that proves it (for reach requirements: the path to that destination). */
  readonly path: ResolveJsonPath;
  /**
   * mayReach: the ports and protocols of the reach entry, as reach lists them. Two violations on
   * one destination (TCP 22 and TCP 443 to the same CIDR) differ only by them, so fingerprints use
   * them too. Absent for the other requirements.
   */
  readonly ports?: readonly string[];
  readonly protocols?: readonly string[];
}

export interface ExceptionRef {
  readonly source: string;
  readonly reason: string;
  readonly ticket: string | null;
  readonly expires: string;
  readonly line: number;
}

export interface ExceptionApplied {
  readonly exception: ExceptionRef;
  readonly source: CheckSource;
  /** The violations it waived (reasons only: the paths are in no auditor's interest once waived). */
  readonly waived: readonly {
    readonly requirement: RequirementKind; readonly subject: string | null; readonly reason: string;
    /** As in {@link Violation}: mayReach only. */
    readonly ports?: readonly string[]; readonly protocols?: readonly string[];
  }[];
}

export interface ExceptionExpired {
  readonly exception: ExceptionRef;
  /** `policy.yaml:14: controls[0].exceptions[0].expires: …`: says where, and that it no longer applies. */
  readonly message: string;
}

export interface ControlResult {
  readonly id: string;
  readonly title: string;
  readonly effect: Effect;
  readonly status: ControlStatus;
  readonly line: number;
  /**
   * IDs of the sources the control covers (JUnit writes one testcase per source; the app highlights
   * them): the scope's subnets and NICs, then NICs judged on their own for a destination.
   */
  readonly inScope: readonly string[];
  /**
   * IDs of sources in scope that no requirement could judge (no SNAT metric on their path) in a
   * control that judged others: not a pass, and JUnit writes them as skipped. Absent when every
   * source was judged, when the control is not applicable (it judged none), and in results written
   * before the field existed.
   */
  readonly notJudged?: readonly string[];
  /**
   * Parts of the estate the input did not read (its {@link CheckGap}s) that may hold sources in
   * this control's scope: the control was not judged there, whatever its status says about what
   * was read. Absent when there are none, and in results written before the field existed.
   */
  readonly notRead?: readonly CheckGap[];
  /**
   * Scope entries that match no source of the input (a typo such as `snet-card-auht` next to real
   * names narrows the scope without a word otherwise). Absent when every entry matches one.
   */
  readonly unmatchedScope?: readonly UnmatchedScopeEntry[];
  readonly violations: readonly Violation[];
  readonly exceptionsApplied: readonly ExceptionApplied[];
  readonly exceptionsExpired: readonly ExceptionExpired[];
  /** Why a control or a requirement was not applicable (disabled, nothing in scope, no SNAT metrics), and what it did not judge. */
  readonly notes: readonly string[];
}

/** A scope entry that selects nothing: `{ list: 'subnets', entry: 'snet-card-auht' }`. */
export interface UnmatchedScopeEntry {
  /** `subscriptions`, `resourceGroups`, `vnets`, `subnets` or `tags.<key>`. */
  readonly list: string;
  /** The entry as written. */
  readonly entry: string;
}

/**
 * A part of the estate the input could not read (a 403 on a subscription, a throttled resource
 * type, a file that was skipped): the snapshot's gap, as `check` reports it. What is behind it is
 * not in the input, so no control can be judged there.
 */
export interface CheckGap {
  readonly code: GapCode;
  /** What was not read: a subscription or resource ID, a resource type, a file. */
  readonly scope: string;
  readonly message: string;
}

export interface CheckSummary {
  readonly controls: number;
  readonly passed: number;
  readonly failed: number;
  readonly notApplicable: number;
  /** Deny controls that failed: non-empty means exit 1. */
  readonly denyFailed: readonly string[];
  /**
   * Enabled controls whose scope may include a part of the estate that was not read (see
   * {@link ControlResult.notRead}): none of them is a clean pass. Absent when there are none.
   */
  readonly notJudgedUnread?: readonly string[];
}

export interface CheckResult {
  readonly schema: typeof CHECK_SCHEMA;
  readonly policy: string;
  /** The evaluation instant (ISO): exception expiry is judged against it. */
  readonly evaluatedAt: string;
  /** What the route-level requirements were evaluated against (`0.0.0.0/0` unless `--destination`). */
  readonly destination: string;
  /**
   * With `--destination`: how the engine read it (host name or address, ports, how the name
   * resolves), the resolve@1 `destinationInfo.interpretation`, so a verdict is never about a silent guess.
   */
  readonly destinationInterpretation?: string;
  /**
   * Every source considered, once: subnets and NICs whose path differs (the base resolve's
   * entries), then NICs whose path differs only for a destination a control resolves.
   */
  readonly sources: readonly CheckSource[];
  /**
   * What the input did not read (the gaps that leave part of the estate unread, see
   * `leavesEstateUnread`: a subscription that answered 403, a listing that was throttled or timed
   * out, a skipped file; not a copy chosen between two, nor one NIC's effective routes): every
   * control's result holds only for what was read. Absent when the input read everything.
   */
  readonly gaps?: readonly CheckGap[];
  readonly controls: readonly ControlResult[];
  readonly summary: CheckSummary;
}

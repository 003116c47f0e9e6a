/**
 * The egress engine. Entry point contract (implemented in resolve.ts):
 *   resolveEgress(input, options) → ResolveResult
 * Pure and deterministic: same input, same output (paths sorted by source ID).
 */
import type { Gap } from '../model/gaps';
import type { ServiceTagSet } from '../model/service-tags';
import type { ResourceMetric } from '../model/snapshot';
import type { CapturedEffectiveRoutes, NetworkModel } from '../model/topology';

/** Structurally satisfied by a Snapshot. */
export interface ResolveInput {
  readonly model: NetworkModel;
  readonly effectiveRoutes: readonly CapturedEffectiveRoutes[];
  readonly metrics: readonly ResourceMetric[];
  readonly gaps: readonly Gap[];
  /**
   * Service tag prefix data (download file or Service Tag Discovery API), when the input has it:
   * NSG rules, firewall network rules and UDRs naming a listed tag then match its prefixes.
   * Absent / null: a verdict that depends on a tag's contents stays unknown.
   */
  readonly serviceTags?: ServiceTagSet | null;
}

export interface ResolveOptions {
  /**
   * What to evaluate (what-if): an IP address, a CIDR, an FQDN, a URL or a service tag, optionally
   * with `:port` and `/tcp|udp` (see destination-spec.ts). Absent: the default route, 0.0.0.0/0.
   */
  readonly destination?: string | null;
  /** Destination port when the destination text gives none; default 443. */
  readonly destinationPort?: number;
  /** Default `Tcp`. */
  readonly protocol?: 'Tcp' | 'Udp';
  /** `--resolve name=ip`: the public address a host name resolves to, when the user knows it. */
  readonly resolve?: Readonly<Record<string, string>>;
  /**
   * Which NICs get an entry of their own: every NIC whose path may differ from its subnet's (the
   * default), or only these (traffic analysis asks only for the NICs that differ on the default
   * route, which is most of the cost at estate scale; the destinations matrix does the same
   * through verdictColumns).
   */
  readonly nicIds?: ReadonlySet<string>;
  /**
   * Which subnets (with their NICs) to walk: all (the default), or only these. `check` asks a
   * service endpoint's what-if only of the subnets with that endpoint: each of the service's tags
   * would otherwise be walked from every source of the estate.
   */
  readonly subnetIds?: ReadonlySet<string>;
  /** Estate-level findings (firewall bypass, SNAT metrics); false where only verdicts are wanted. */
  readonly estateFindings?: boolean;
  /** Paths sorted by source ID (the default); false where the caller orders them itself. */
  readonly sorted?: boolean;
}

export * from './types';
export { resolveEgress } from './resolve';

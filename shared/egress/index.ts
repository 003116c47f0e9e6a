/**
 * The egress engine. Entry point contract (implemented in resolve.ts):
 *   resolveEgress(input, options) → ResolveResult
 * Pure and deterministic: same input, same output (paths sorted by source ID).
 */
import type { Gap } from '../model/gaps';
import type { ResourceMetric } from '../model/snapshot';
import type { CapturedEffectiveRoutes, NetworkModel } from '../model/topology';

/** Structurally satisfied by a Snapshot. */
export interface ResolveInput {
  readonly model: NetworkModel;
  readonly effectiveRoutes: readonly CapturedEffectiveRoutes[];
  readonly metrics: readonly ResourceMetric[];
  readonly gaps: readonly Gap[];
}

export interface ResolveOptions {
  /** A public IPv4/IPv6 address to evaluate (what-if). Absent: the default route, 0.0.0.0/0. */
  readonly destination?: string | null;
  /** Destination port for NSG and firewall rules; default 443. */
  readonly destinationPort?: number;
  /** Default `Tcp`. */
  readonly protocol?: 'Tcp' | 'Udp';
}

export * from './types';
export { resolveEgress } from './resolve';

/** Shared state of one pull: clients, counters, gaps, cancellation. */
import type { NetworkManagementClient } from '@azure/arm-network';
import type { ResourceGraphClient } from '@azure/arm-resourcegraph';
import type { Gap } from '../../shared/model/gaps';
import type { Clock } from './clock';
import { PullCancelledError } from './clock';
import { createNetworkClient, createResourceGraphClient, type ArmGetter, type ClientContext, createArmGetter } from './clients';
import { createLimiter, type Limiter } from './limiter';
import type { PullStats } from './policies';

export interface PullRuntime {
  readonly ctx: ClientContext;
  readonly clock: Clock;
  readonly stats: PullStats;
  readonly signal: AbortSignal | undefined;
  readonly limiter: Limiter;
  /** Rows per Resource Graph page (1,000 in production; smaller in tests to exercise paging). */
  readonly graphPageSize: number;
  readonly graph: ResourceGraphClient;
  readonly arm: ArmGetter;
  network(subscriptionId: string): NetworkManagementClient;
  addGap(gap: Gap): void;
  readonly gaps: readonly Gap[];
  /** Subscriptions Resource Graph refused: go straight to ARM lists for them. */
  readonly graphDeniedSubscriptions: Set<string>;
  /** Subscriptions ARM refused (403, already a gap): not asked again. */
  readonly armDeniedSubscriptions: Set<string>;
  /** The first ARM list per subscription (the access probe), shared by concurrent groups. */
  readonly armProbes: Map<string, Promise<void>>;
  /**
   * Per subscription (lower case), the resource types whose ARM list failed after the probe read
   * the subscription (a 403 on that type alone, throttling, a timeout): already gaps; what they
   * would have held is unknown (e.g. the NVAs of a Virtual WAN hub, see pull.ts withUnreadHubParts).
   */
  readonly armFailedLists: Map<string, Set<string>>;
  note(message: string): void;
  checkCancelled(): void;
}

export function createRuntime(ctx: ClientContext, clock: Clock, stats: PullStats, signal: AbortSignal | undefined, concurrency: number, graphPageSize: number, note: (m: string) => void): PullRuntime {
  const networkClients = new Map<string, NetworkManagementClient>();
  const gaps: Gap[] = [];
  const gapKeys = new Set<string>();
  return {
    ctx, clock, stats, signal,
    limiter: createLimiter(concurrency),
    graphPageSize,
    graph: createResourceGraphClient(ctx),
    arm: createArmGetter(ctx),
    network(subscriptionId) {
      const key = subscriptionId.toLowerCase();
      let client = networkClients.get(key);
      if (!client) {
        client = createNetworkClient(ctx, subscriptionId);
        networkClients.set(key, client);
      }
      return client;
    },
    addGap(gap) {
      const key = `${gap.code}|${gap.scope.toLowerCase()}|${gap.message}`;
      if (gapKeys.has(key)) return;
      gapKeys.add(key);
      gaps.push(gap);
    },
    gaps,
    graphDeniedSubscriptions: new Set(),
    armDeniedSubscriptions: new Set(),
    armProbes: new Map(),
    armFailedLists: new Map(),
    note,
    checkCancelled() {
      if (signal?.aborted) throw new PullCancelledError();
    },
  };
}

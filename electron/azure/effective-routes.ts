/**
 * Effective routes, sampled: every NIC of a subnet shares the subnet's effective routes, and subnets
 * with the same route signature (route table, VNet, its peerings, gateway presence) get the same
 * routes, so one NIC per signature is enough (`sample`). Each read is a POST LRO that only works
 * for a NIC attached to a running VM; a stopped VM is a gap and the next NIC of the signature is tried.
 * [Effective routes] https://learn.microsoft.com/azure/virtual-network/diagnose-network-routing-problem
 */
import type { Gap } from '../../shared/model/gaps';
import { toResourceId, type ResourceId } from '../../shared/model/ids';
import type { CapturedEffectiveRoutes, EffectiveRoute, NetworkModel } from '../../shared/model/topology';
import { createLimiter, type Limiter } from './limiter';
import { codeOf, gapFromError, isCancellation } from './errors';
import { DEFAULT_MAX_RETRY_AFTER_MS } from './policies';
import type { PullRuntime } from './runtime';
import { field, refId, type Item } from './topology';

export type EffectiveRoutesMode = 'none' | 'sample' | 'all';

/** ARM's read bucket is per subscription (250 burst, 25/s); 8 LROs in flight stay well inside it. */
const PER_SUBSCRIPTION_CONCURRENCY = 8;

/** The route signature of each subnet (lower-case subnet ID → signature). */
export function routeSignatures(model: NetworkModel): ReadonlyMap<string, string> {
  const vnets = new Map(model.virtualNetworks.map((v) => [v.id, v]));
  const withGateway = new Set(model.virtualNetworkGateways.map((g) => g.virtualNetworkId).filter((id): id is ResourceId => id !== null));
  const out = new Map<string, string>();
  for (const subnet of model.subnets) {
    const vnet = vnets.get(subnet.virtualNetworkId);
    const peerings = (vnet?.peerings ?? [])
      .map((p) => `${p.remoteVirtualNetworkId ?? p.remoteAddressPrefixes.join('+')}:${p.peeringState}:${p.useRemoteGateways ? 'remote-gw' : ''}`)
      .sort()
      .join(',');
    const gateway = withGateway.has(subnet.virtualNetworkId) || (vnet?.peerings ?? []).some((p) => p.useRemoteGateways);
    out.set(subnet.id, [subnet.routeTableId ?? 'no-route-table', subnet.virtualNetworkId, peerings, gateway ? 'gateway' : 'no-gateway'].join('|'));
  }
  return out;
}

export interface NicRef {
  readonly id: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly name: string;
  readonly subnetId: ResourceId | null;
  readonly hasVm: boolean;
}

/** The few NIC fields sampling needs, from a REST or flattened NIC. */
export function toNicRef(item: Item): NicRef | null {
  const id = typeof item['id'] === 'string' ? item['id'] : null;
  if (id === null) return null;
  const m = /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/providers\/microsoft\.network\/networkinterfaces\/([^/]+)$/i.exec(id);
  if (!m) return null;
  const configs = field(item, 'ipConfigurations');
  let subnetId: string | null = null;
  if (Array.isArray(configs)) {
    const typed = configs.filter((c): c is Item => typeof c === 'object' && c !== null);
    const primary = typed.find((c) => field(c, 'primary') === true) ?? typed[0];
    subnetId = primary === undefined ? null : refId(field(primary, 'subnet'));
  }
  return {
    id, subscriptionId: m[1] ?? '', resourceGroup: m[2] ?? '', name: m[3] ?? '',
    subnetId: subnetId === null ? null : toResourceId(subnetId),
    hasVm: refId(field(item, 'virtualMachine')) !== null,
  };
}

export function mapEffectiveRoutes(nicId: string, value: unknown): CapturedEffectiveRoutes {
  const list = typeof value === 'object' && value !== null && Array.isArray((value as { value?: unknown }).value)
    ? (value as { value: unknown[] }).value : [];
  const strings = (v: unknown): readonly string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);
  const routes: EffectiveRoute[] = list.filter((r): r is Item => typeof r === 'object' && r !== null).map((r) => ({
    name: typeof r['name'] === 'string' ? r['name'] : null,
    source: typeof r['source'] === 'string' ? r['source'] : 'Unknown',
    state: typeof r['state'] === 'string' ? r['state'] : 'Active',
    addressPrefixes: strings(r['addressPrefix']),
    nextHopType: typeof r['nextHopType'] === 'string' ? r['nextHopType'] : 'None',
    nextHopIpAddresses: strings(r['nextHopIpAddress']),
    disableBgpRoutePropagation: typeof r['disableBgpRoutePropagation'] === 'boolean' ? r['disableBgpRoutePropagation'] : null,
  }));
  return { networkInterfaceId: toResourceId(nicId), routes };
}

export interface SamplerOptions {
  readonly mode: EffectiveRoutesMode;
  readonly concurrency: number;
  /** NICs tried per signature before giving up (stopped VMs). */
  readonly attemptsPerSignature: number;
  /** Clock ms between two status polls of one LRO (waited on the pull's clock, cancellable). */
  readonly pollIntervalMs: number;
  /** Status polls one LRO may take before it is given up (a `timeout` gap for that NIC). Default 40. */
  readonly maxPolls?: number;
  /** Clock ms one LRO may take before it is given up. Default 300,000. */
  readonly maxLroMs?: number;
  /** The longest wait (clock ms) between two polls, whatever else asks for more (PullBudgets.maxRetryAfterMs). */
  readonly maxRetryAfterMs?: number;
  /** Subscriptions whose NICs are not asked (Disabled: POST actions are refused there; the pull has its gap). */
  readonly excludedSubscriptions?: ReadonlySet<string>;
  readonly onChange: () => void;
}

/** An effective-route LRO that outlasted its poll or time budget. */
class LroBudgetError extends Error {
  override readonly name = 'LroBudgetError';
}

interface SignatureState {
  readonly candidates: NicRef[];
  status: 'waiting' | 'running' | 'done';
  attempts: number;
  readonly subnetCount: number;
  readonly firstSubnet: string;
}

/**
 * Streams NICs in as topology pages arrive and starts LROs at once, so effective routes overlap
 * the (quota-bound) NIC paging instead of waiting for it.
 */
export class EffectiveRouteSampler {
  readonly captured: CapturedEffectiveRoutes[] = [];
  started = 0;
  finished = 0;
  /** Work units expected (signatures for sample, VM NICs for all); grows while NICs stream in. */
  planned = 0;
  private readonly limiter: Limiter;
  /** At most this many LROs per subscription at once, so one subscription's token bucket cannot hold every slot. */
  private readonly perSubscription = new Map<string, Limiter>();
  private readonly running = new Set<Promise<void>>();
  private signatures: ReadonlyMap<string, string> | null = null;
  private readonly states = new Map<string, SignatureState>();
  private readonly pending: NicRef[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly rt: PullRuntime, private readonly options: SamplerOptions, limiter?: Limiter) {
    this.limiter = limiter ?? createLimiter(options.concurrency);
  }

  /** Called once the core topology (VNets, route tables, gateways) is normalized. */
  setSignatures(signatures: ReadonlyMap<string, string>): void {
    this.signatures = signatures;
    const counts = new Map<string, { n: number; first: string }>();
    for (const [subnet, sig] of signatures) {
      const c = counts.get(sig);
      counts.set(sig, { n: (c?.n ?? 0) + 1, first: c?.first ?? subnet });
    }
    for (const [sig, c] of counts) this.states.set(sig, { candidates: [], status: 'waiting', attempts: 0, subnetCount: c.n, firstSubnet: c.first });
    const queued = this.pending.splice(0);
    this.offer(queued);
  }

  offer(nics: readonly NicRef[]): void {
    if (this.options.mode === 'none') return;
    if (this.signatures === null) {
      this.pending.push(...nics);
      return;
    }
    for (const nic of nics) {
      const key = nic.id.toLowerCase();
      // Effective routes exist only for a NIC attached to a running VM; others cannot answer.
      if (this.seen.has(key) || !nic.hasVm || nic.subnetId === null) continue;
      if (this.options.excludedSubscriptions?.has(nic.subscriptionId.toLowerCase()) === true) continue;
      this.seen.add(key);
      if (this.options.mode === 'all') {
        this.planned += 1;
        this.launch(nic, null);
        continue;
      }
      const sig = this.signatures.get(nic.subnetId);
      const state = sig === undefined ? undefined : this.states.get(sig);
      if (state === undefined) continue;
      state.candidates.push(nic);
      if (state.status === 'waiting') {
        if (state.attempts === 0) this.planned += 1;
        this.next(state);
      }
    }
  }

  private giveUp(state: SignatureState): void {
    state.status = 'done';
    this.rt.addGap({
      code: 'effective-routes-unavailable',
      scope: state.firstSubnet,
      message: `No NIC of this route signature (${state.subnetCount} subnet(s)) gave effective routes after ${state.attempts} attempt(s); routes are computed from configuration only.`,
      count: state.subnetCount,
    });
  }

  private next(state: SignatureState): void {
    if (state.attempts >= this.options.attemptsPerSignature) {
      this.giveUp(state);
      return;
    }
    const nic = state.candidates.shift();
    if (nic === undefined) {
      state.status = 'waiting';
      return;
    }
    state.status = 'running';
    state.attempts += 1;
    this.launch(nic, state);
  }

  private launch(nic: NicRef, state: SignatureState | null): void {
    this.started += 1;
    const key = nic.subscriptionId.toLowerCase();
    let subLimiter = this.perSubscription.get(key);
    if (subLimiter === undefined) {
      subLimiter = createLimiter(PER_SUBSCRIPTION_CONCURRENCY);
      this.perSubscription.set(key, subLimiter);
    }
    const task = subLimiter.run(() => this.limiter.run(() => this.read(nic))).then((ok) => {
      this.finished += 1;
      if (state !== null) {
        if (ok) state.status = 'done';
        else this.next(state);
      }
      this.options.onChange();
    });
    this.running.add(task);
    void task.finally(() => this.running.delete(task));
  }

  /**
   * One POST LRO, its status polls driven here rather than by `pollUntilDone`. core-lro takes the
   * `Retry-After` of every 202 poll answer as its next wait, uncapped, and waits it on a real-time
   * timer that only a `pollUntilDone({ abortSignal })` signal can end (core-lro poller.js: setDelay
   * → delay(currentPollIntervalInMs)); one answer saying "Retry-After: 3600" would hold the pull for
   * an hour whatever the budgets say. So each wait here is `clock.sleep(min(pollIntervalMs, the
   * budget left, maxRetryAfterMs), stop)` on the injected clock, ended by the pull's cancellation,
   * and the LRO is given up after `maxPolls` polls or `maxLroMs` of clock time as a `timeout` gap
   * for that NIC at once (README "Live pull": timeouts are gaps; the standard: no hangs). The
   * server's Retry-After is not honoured above pollIntervalMs (core-lro keeps it private); the ARM
   * read bucket paces the polls like every other read. Then the next NIC of the signature is tried.
   * [ARM async operations] https://learn.microsoft.com/azure/azure-resource-manager/management/async-operations
   */
  private async read(nic: NicRef): Promise<boolean> {
    if (this.rt.signal?.aborted) return false;
    const clock = this.rt.clock;
    const startedAt = clock.now();
    const maxPolls = this.options.maxPolls ?? 40;
    const maxLroMs = this.options.maxLroMs ?? 300_000;
    const maxWaitMs = this.options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
    // Our own stop, following the pull's cancellation; it ends a poll in flight and every wait.
    const stop = new AbortController();
    const outer = this.rt.signal;
    const onOuterAbort = (): void => stop.abort();
    outer?.addEventListener('abort', onOuterAbort, { once: true });
    let polls = 0;
    const overBudget = (): LroBudgetError | null => {
      const elapsedMs = clock.now() - startedAt;
      return polls >= maxPolls || elapsedMs >= maxLroMs
        ? new LroBudgetError(`The effective-route operation did not finish after ${polls} status poll(s) (${Math.round(elapsedMs / 1000)} s); gave up on it.`)
        : null;
    };
    try {
      const poller = this.rt.network(nic.subscriptionId).networkInterfaces.getEffectiveRouteTable(nic.resourceGroup, nic.name, {
        updateIntervalInMs: this.options.pollIntervalMs,
        abortSignal: stop.signal,
      });
      // The initial POST (rejects with its error, e.g. a stopped VM's NIC).
      await poller.submitted();
      while (!poller.isDone) {
        const exceeded = overBudget();
        if (exceeded !== null) throw exceeded;
        // The first poll goes at once (as core-lro's own loop does); later ones wait on the clock.
        if (polls > 0) {
          const leftMs = maxLroMs - (clock.now() - startedAt);
          await clock.sleep(Math.max(0, Math.min(this.options.pollIntervalMs, leftMs, maxWaitMs)), stop.signal);
          const late = overBudget();
          if (late !== null) throw late;
        }
        await poller.poll({ abortSignal: stop.signal });
        polls += 1;
      }
      // Done: no wait left; gives the result, or throws the operation's error.
      const result = await poller.pollUntilDone({ abortSignal: stop.signal });
      this.captured.push(mapEffectiveRoutes(nic.id, result));
      this.rt.stats.effectiveRouteReads += 1;
      this.rt.stats.effectiveRouteTimeMs += clock.now() - startedAt;
      return true;
    } catch (error) {
      if (outer?.aborted === true || isCancellation(error, this.rt.signal)) return false;
      if (error instanceof LroBudgetError) {
        this.rt.addGap({
          code: 'timeout', scope: nic.id,
          message: `Reading effective routes timed out: ${error.message} Routes are computed from configuration where no other NIC of the route signature answered.`,
        });
        return false;
      }
      if (codeOf(error) === 'NicMustBeAttachedToRunningVmToGetEffectiveRoutes') {
        const gap: Gap = {
          code: 'effective-routes-unavailable', scope: nic.id,
          message: 'Azure returns effective routes only for a NIC attached to a running VM (NicMustBeAttachedToRunningVmToGetEffectiveRoutes); the VM is stopped or deallocated.',
        };
        this.rt.addGap(gap);
      } else {
        this.rt.addGap({ ...gapFromError(nic.id, 'Reading effective routes', error), code: 'effective-routes-unavailable' });
      }
      return false;
    } finally {
      stop.abort();
      outer?.removeEventListener('abort', onOuterAbort);
    }
  }

  /** Waits for every LRO; signatures still waiting have no VM NIC and need no call. */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
    if (this.rt.signal?.aborted) return;
    for (const state of this.states.values()) if (state.status === 'waiting' && state.attempts > 0) this.giveUp(state);
  }
}

/**
 * The live pull: sign in, list subscriptions, read the topology in bulk (Resource Graph, ARM lists
 * as fallback), sample effective routes while NIC pages stream in, optionally read SNAT and byte metrics,
 * then normalize into one snapshot. Partial access is normal: every read that fails becomes a gap
 * and the pull completes; only sign-in/listing failures and cancellation stop it.
 */
import { setMaxListeners } from 'node:events';
import type { TokenCredential } from '@azure/core-auth';
import type { HttpClient } from '@azure/core-rest-pipeline';
import { normalizeArm, type NormalizeResult } from '../../shared/arm';
import type { PullProgress, PullRequest } from '../../shared/ipc/contract';
import type { Gap } from '../../shared/model/gaps';
import type { ServiceTagSet } from '../../shared/model/service-tags';
import { SNAPSHOT_FORMAT, type CaptureSource, type ResourceMetric, type Snapshot, type SnapshotContent } from '../../shared/model/snapshot';
import type { CapturedEffectiveRoutes } from '../../shared/model/topology';
import { buildSnapshot } from '../snapshot';
import { TOOL_VERSION } from '../snapshot/tool-version';
import { PullCancelledError, systemClock, type Clock } from './clock';
import { resolveCloudTarget } from './clouds';
import { createCredential, staticTokenCredential } from './credential';
import { startDemoAzure } from './fake-arm/demo';
import { EffectiveRouteSampler, routeSignatures, toNicRef } from './effective-routes';
import { gapFromError, isCancellation, messageOf, statusOf } from './errors';
import { createLimiter } from './limiter';
import { fetchMetrics, metricQueries } from './metrics';
import { DEFAULT_MAX_RETRY_AFTER_MS, MalformedResponseError, pacingPolicy, PullStats, ResourceGraphQuota, TokenBucket } from './policies';
import { createRuntime, type PullRuntime } from './runtime';
import { fetchServiceTags, pickServiceTagLocation } from './service-tags';
import { CORE_TYPES, fetchChildren, fetchGroup, fetchScaleSetInstances, fetchVirtualMachines, GRAPH_PAGE_SIZE, GRAPH_SUBSCRIPTION_BATCH, NIC_TYPES, type GraphScope, type Item } from './topology';

export interface PullBudgets {
  /** Per HTTP request, in clock ms. */
  readonly requestTimeoutMs: number;
  /** Retries for 408/5xx/network errors/timeouts. */
  readonly maxRetries: number;
  /** Retries for 429 (each waits its Retry-After). */
  readonly maxThrottleRetries: number;
  readonly baseRetryDelayMs: number;
  readonly maxRetryDelayMs: number;
  /** Client-side token bucket per subscription, kept below ARM's 250 burst / 25 per second. */
  readonly armReadBurst: number;
  readonly armReadsPerSecond: number;
  /**
   * Effective-route LRO polling interval, in clock ms: waited by the sampler on the pull's clock
   * (cancellable, capped by maxRetryAfterMs), not by core-lro's real-time timer.
   */
  readonly lroPollIntervalMs: number;
  /** Extra clock-time wait before each LRO poll (0: the SDK interval alone paces polls). */
  readonly lroPollDelayMs: number;
  /**
   * Status polls one effective-route LRO may take before it is given up as a `timeout` gap for that
   * NIC (an operation answering 202 for ever must not hold the pull: "no hangs"). Counted, so the
   * budget holds whatever the clock does.
   */
  readonly lroMaxPolls: number;
  /** Clock ms one effective-route LRO may take, as a second bound next to lroMaxPolls. */
  readonly lroTimeoutMs: number;
  /** The longest Retry-After (clock ms) waited out; a longer one is a `throttled` gap at once. */
  readonly maxRetryAfterMs: number;
  /** NICs tried per route signature before giving up (stopped VMs). */
  readonly sampleAttemptsPerSignature: number;
  /** Rows per Resource Graph page (max 1,000). */
  readonly graphPageSize: number;
}

export const DEFAULT_BUDGETS: PullBudgets = {
  requestTimeoutMs: 60_000,
  maxRetries: 4,
  maxThrottleRetries: 10,
  baseRetryDelayMs: 1_000,
  maxRetryDelayMs: 30_000,
  armReadBurst: 200,
  armReadsPerSecond: 20,
  lroPollIntervalMs: 2_000,
  lroPollDelayMs: 0,
  // Azure computes a NIC's effective routes in seconds, sometimes over a minute: 150 polls at 2 s
  // reach the 300 s clock budget, so a slow answer is waited for and only one that never ends is cut.
  lroMaxPolls: 150,
  lroTimeoutMs: 300_000,
  maxRetryAfterMs: DEFAULT_MAX_RETRY_AFTER_MS,
  sampleAttemptsPerSignature: 3,
  graphPageSize: GRAPH_PAGE_SIZE,
};

export interface PullOptions extends PullRequest {
  /** Default: browser sign-in (desktop); `demoAzure` uses the bundled fake Azure and no sign-in. */
  readonly credential?: TokenCredential;
  /** Custom ARM endpoint (Azure Stack Hub, private cloud, the fake server); http only on loopback. */
  readonly armEndpoint?: string | null;
  /** Token scope override (Azure Stack Hub audiences). */
  readonly tokenScope?: string | null;
  /** Scope Resource Graph to a management group instead of subscriptions. */
  readonly managementGroupId?: string | null;
  /** Transport injection (tests, proxies). */
  readonly httpClient?: HttpClient;
  readonly clock?: Clock;
  /** Concurrent ARM list reads. */
  readonly concurrency?: number;
  /** Concurrent effective-route LROs. */
  readonly effectiveRouteConcurrency?: number;
  readonly budgets?: Partial<PullBudgets>;
  readonly capturedBy?: string | null;
  readonly source?: CaptureSource;
  readonly origin?: readonly string[];
}

export interface PullOutcome {
  readonly snapshot: Snapshot;
  readonly stats: PullStats;
  /** Wall time in clock ms. */
  readonly wallMs: number;
}

interface SubscriptionEntry {
  readonly subscriptionId: string;
  readonly tenantId: string | null;
  /** `state` as ARM gives it (Enabled, Warned, PastDue, Disabled, Deleted); null when not known. */
  readonly state: string | null;
}

const SUBSCRIPTIONS_API_VERSION = '2022-12-01';

function asRecord(value: unknown): Readonly<Record<string, unknown>> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Readonly<Record<string, unknown>> : null;
}

function toSubscriptionEntry(value: unknown): SubscriptionEntry | null {
  const rec = asRecord(value);
  if (rec === null || typeof rec['subscriptionId'] !== 'string') return null;
  return {
    subscriptionId: rec['subscriptionId'].toLowerCase(),
    tenantId: typeof rec['tenantId'] === 'string' ? rec['tenantId'] : null,
    state: typeof rec['state'] === 'string' ? rec['state'] : null,
  };
}

/**
 * Every page of `GET /subscriptions`. A subscription that comes on two pages (the list moved while
 * it was paged) is one subscription: kept once, so the snapshot's scope and every Resource Graph
 * batch name it once. A `nextLink` leading back to a page already read makes no progress: listing
 * stops there with a gap (the standard: no hangs, and never silently incomplete). A page that is
 * not a list (no `value` array) is a failed listing, never "no subscriptions".
 */
async function listSubscriptions(rt: PullRuntime): Promise<readonly SubscriptionEntry[]> {
  const byId = new Map<string, SubscriptionEntry>();
  const followed = new Set<string>();
  let next: string | null = `/subscriptions?api-version=${SUBSCRIPTIONS_API_VERSION}`;
  while (next !== null) {
    const body = asRecord(await rt.arm.getJson(next, rt.signal));
    const value = body?.['value'];
    if (body === null || !Array.isArray(value)) {
      throw new MalformedResponseError('Azure answered GET /subscriptions with JSON that is not a subscriptions list (no `value` array).');
    }
    for (const item of value) {
      const entry = toSubscriptionEntry(item);
      if (entry !== null && !byId.has(entry.subscriptionId)) byId.set(entry.subscriptionId, entry);
    }
    const link = typeof body['nextLink'] === 'string' && body['nextLink'].length > 0 ? body['nextLink'] : null;
    if (link !== null && followed.has(link)) {
      rt.addGap({
        code: 'request-failed', scope: '/subscriptions',
        message: `The subscriptions list's nextLink led back to a page already read; listing stopped there after ${byId.size} subscription(s). `
          + 'Subscriptions on later pages, if any, were not read and are not in this snapshot.',
      });
      break;
    }
    if (link !== null) followed.add(link);
    next = link;
  }
  return [...byId.values()];
}

/**
 * `--subscription` IDs, each checked with `GET /subscriptions/{id}` (a read; cheaper than listing a
 * large tenant). Resource Graph answers for the subscriptions it can read and says nothing about
 * the rest, so a requested subscription the account cannot see would otherwise be claimed as read
 * in the snapshot's scope, empty, with no gap (README "Live pull": never silently dropped).
 *  - 404: not visible to the account (or no such subscription): left out of the scope, with a gap.
 *  - 401/403: kept (reads are tried; what is refused is a gap of its own), with a gap saying so.
 *  - anything else: kept as given, with a gap saying visibility could not be checked.
 */
async function checkGivenSubscriptions(rt: PullRuntime, ids: readonly string[], tenantId: string | null): Promise<readonly SubscriptionEntry[]> {
  const checked = await Promise.all(ids.map(async (id): Promise<SubscriptionEntry | null> => {
    const scope = `/subscriptions/${id}`;
    try {
      const entry = toSubscriptionEntry(await rt.arm.getJson(`/subscriptions/${encodeURIComponent(id)}?api-version=${SUBSCRIPTIONS_API_VERSION}`, rt.signal));
      if (entry !== null) return { ...entry, tenantId: entry.tenantId ?? tenantId };
      rt.addGap({ code: 'request-failed', scope, message: `Checking that subscription ${id} (--subscription) is visible to the account gave no subscription; it is read as given, and if the account cannot see it, Resource Graph leaves it out without saying so.` });
      return { subscriptionId: id, tenantId, state: null };
    } catch (error) {
      if (isCancellation(error, rt.signal)) throw error;
      const status = statusOf(error);
      if (status === 404) {
        rt.addGap({ code: 'access-denied', scope, message: `Subscription ${id} was asked for (--subscription) but the signed-in account cannot see it (${messageOf(error)}); nothing of it was read.` });
        return null;
      }
      const gap = gapFromError(scope, `Checking that subscription ${id} (--subscription) is visible to the account`, error);
      rt.addGap({ ...gap, message: `${gap.message} It is read as given; what the account may not read there is left out.` });
      return { subscriptionId: id, tenantId, state: null };
    }
  }));
  return checked.filter((e): e is SubscriptionEntry => e !== null);
}

/**
 * Subscription states [subscription states]
 * https://learn.microsoft.com/azure/cost-management-billing/manage/subscription-states (ms.date
 * 03/21/2024): Enabled and PastDue serve every operation. Warned: "You can retrieve or delete
 * resources (GET/DELETE), but you can't create any resources (PUT/PATCH/POST). Resources in this
 * state go offline", so it is read like Disabled (and Expired): "Operations that take an action
 * (POST) are also disabled ... Your resources are still available, so you can retrieve ... them
 * (GET)", and its VMs are deallocated. Both are read with GETs only (topology; Resource Graph's
 * POST is a tenant-level query, not an operation on the subscription), their effective routes (a
 * POST per NIC) are skipped, and a gap names the state. Deleted: "No operations are available":
 * left out, with a gap. No subscription is dropped without a gap (README "Live pull").
 */
function admitByState(rt: PullRuntime, entries: readonly SubscriptionEntry[]): { readonly admitted: readonly SubscriptionEntry[]; readonly readOnly: ReadonlySet<string> } {
  const admitted: SubscriptionEntry[] = [];
  const readOnly = new Set<string>();
  for (const entry of entries) {
    const state = entry.state ?? '';
    const scope = `/subscriptions/${entry.subscriptionId}`;
    if (/^deleted$/i.test(state)) {
      rt.addGap({ code: 'access-denied', scope, message: `Subscription ${entry.subscriptionId} is ${state}: Azure answers no operation on a deleted subscription, so nothing of it was read.` });
      continue;
    }
    if (/^(disabled|expired|warned)$/i.test(state)) {
      // Lower-case: the sampler compares NIC subscription IDs lower-cased (ARM IDs are case-insensitive).
      readOnly.add(entry.subscriptionId.toLowerCase());
      const offline = /^warned$/i.test(state)
        ? 'it refuses POST actions and its resources may be offline (Warned: GET and DELETE only)'
        : 'it refuses POST actions and its VMs are deallocated';
      rt.addGap({
        code: 'effective-routes-unavailable', scope,
        message: `Subscription ${entry.subscriptionId} is ${state}: Azure still answers reads (GET) there, so its topology was read with GETs only, but ${offline}: `
          + 'no effective routes were read, and its egress paths describe its configuration, not live traffic.',
      });
    }
    admitted.push(entry);
  }
  return { admitted, readOnly };
}

function chunk<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

export async function pullSnapshot(options: PullOptions, onProgress: (p: PullProgress) => void, signal?: AbortSignal): Promise<Snapshot> {
  return (await pullEstate(options, onProgress, signal)).snapshot;
}

/** The pull against the bundled fake Azure on 127.0.0.1 (`demoAzure`): no account needed. */
async function pullDemo(options: PullOptions, onProgress: (p: PullProgress) => void, signal?: AbortSignal): Promise<PullOutcome> {
  const demo = await startDemoAzure(options.clock);
  try {
    return await pullEstate({
      ...options, demoAzure: false, armEndpoint: demo.url, credential: staticTokenCredential('demo-azure'),
      source: 'demo', origin: ['demo-azure: the bundled fake Azure Resource Manager on 127.0.0.1'],
      capturedBy: options.capturedBy ?? 'demo-azure',
      budgets: { lroPollIntervalMs: 50, ...options.budgets },
    }, onProgress, signal);
  } finally {
    await demo.close();
  }
}

export async function pullEstate(options: PullOptions, onProgress: (p: PullProgress) => void, signal?: AbortSignal): Promise<PullOutcome> {
  if (options.demoAzure && !options.armEndpoint) return pullDemo(options, onProgress, signal);
  const clock = options.clock ?? systemClock;
  const budgets: PullBudgets = { ...DEFAULT_BUDGETS, ...options.budgets };
  const target = resolveCloudTarget(options.cloud, options.armEndpoint, options.tokenScope);
  // Every in-flight request and wait listens on the one cancellation signal (listeners are removed).
  if (signal) setMaxListeners(0, signal);
  const credential = options.credential ?? createCredential({ auth: 'browser', tenantId: options.tenantId, target });
  const stats = new PullStats();
  const started = clock.now();
  let phase: PullProgress['phase'] = 'signing-in';
  let message = 'Signing in';
  let completed = 0;
  let total: number | null = null;
  let phaseStarted = started;
  const seenIds = new Set<string>();
  let expectedRows = 0;

  const pacing = pacingPolicy({
    clock, stats,
    armBucket: new TokenBucket(budgets.armReadBurst, budgets.armReadsPerSecond, clock),
    graphQuota: new ResourceGraphQuota(clock, budgets.maxRetryAfterMs),
    requestTimeoutMs: budgets.requestTimeoutMs,
    maxRetries: budgets.maxRetries,
    maxThrottleRetries: budgets.maxThrottleRetries,
    baseRetryDelayMs: budgets.baseRetryDelayMs,
    maxRetryDelayMs: budgets.maxRetryDelayMs,
    maxRetryAfterMs: budgets.maxRetryAfterMs,
    lroPollDelayMs: budgets.lroPollDelayMs,
    ...(signal ? { signal } : {}),
  });
  const rt = createRuntime(
    { credential, target, pacing, ...(options.httpClient ? { httpClient: options.httpClient } : {}) },
    clock, stats, signal, options.concurrency ?? 16, Math.min(GRAPH_PAGE_SIZE, budgets.graphPageSize), (m) => {
      message = m;
      emit();
    },
  );

  function eta(): number | null {
    if (total === null || completed <= 0 || completed >= total) return completed >= (total ?? Infinity) ? 0 : null;
    const elapsed = clock.now() - phaseStarted;
    return Math.round((elapsed / completed) * (total - completed));
  }

  function emit(): void {
    onProgress({
      phase, resourcesFound: seenIds.size, requestsMade: stats.requests, throttleWaitMs: Math.round(stats.throttleWaitMs),
      etaMs: eta(), completed, total, gaps: [...rt.gaps], message,
    });
  }

  function enter(next: PullProgress['phase'], text: string, units: number | null): void {
    phase = next;
    message = text;
    completed = 0;
    total = units;
    phaseStarted = clock.now();
    emit();
  }

  const countRows = (rows: readonly Item[]): void => {
    for (const r of rows) if (typeof r['id'] === 'string') seenIds.add(r['id'].toLowerCase());
    if (phase === 'topology') completed = seenIds.size;
    emit();
  };

  try {
    enter('signing-in', `Signing in to ${target.cloud}`, null);
    try {
      await credential.getToken([target.armScope], { abortSignal: signal });
    } catch (error) {
      if (isCancellation(error, signal) || signal?.aborted) throw new PullCancelledError();
      throw new Error(`Sign-in failed: ${messageOf(error)}`, { cause: error });
    }
    rt.checkCancelled();

    enter('listing-subscriptions', options.subscriptionIds.length > 0 ? 'Using the given subscriptions' : 'Listing subscriptions', null);
    let listed: readonly SubscriptionEntry[];
    if (options.subscriptionIds.length > 0) {
      listed = await checkGivenSubscriptions(rt, [...new Set(options.subscriptionIds.map((s) => s.trim().toLowerCase()))], options.tenantId);
    } else {
      try {
        listed = await listSubscriptions(rt);
      } catch (error) {
        if (isCancellation(error, signal) || signal?.aborted) throw new PullCancelledError();
        throw new Error(`Listing subscriptions failed: ${messageOf(error)}`, { cause: error });
      }
    }
    const { admitted: subscriptions, readOnly: readOnlySubscriptions } = admitByState(rt, listed);
    if (subscriptions.length === 0 && options.subscriptionIds.length === 0) {
      rt.addGap({ code: 'access-denied', scope: options.tenantId ?? 'tenant', message: 'The signed-in account can read no subscription in this tenant.' });
    }
    const subscriptionIds = subscriptions.map((s) => s.subscriptionId);

    enter('topology', `Reading topology of ${subscriptionIds.length} subscription(s)`, null);
    const erLimiter = createLimiter(options.effectiveRouteConcurrency ?? 32);
    const samplers: EffectiveRouteSampler[] = [];
    const documents: Item[] = [];
    // VM rows (slim: Flexible scale set membership only) go to the normalizer alone: they are not
    // network resources, so they count in no progress total and pick no service-tag region.
    const virtualMachines: Item[] = [];
    // Hubs whose VNet connection list could not be read (see fetchChildren), lower-case IDs.
    const hubsWithUnreadConnections = new Set<string>();
    const hubsWithUnreadBgpConnections = new Set<string>();
    const scopes: GraphScope[] = options.managementGroupId
      ? [{ kind: 'managementGroup', managementGroupId: options.managementGroupId, subscriptionIds }]
      : chunk(subscriptionIds, GRAPH_SUBSCRIPTION_BATCH).map((ids) => ({ kind: 'subscriptions', subscriptionIds: ids }));
    // The bar gets a total once every (scope, group) query has reported Resource Graph's
    // totalRecords; ARM fallbacks have none, and then the bar shows counts only.
    let totalsReported = 0;
    const onTotal = (n: number): void => {
      expectedRows += n;
      totalsReported += 1;
      if (totalsReported >= scopes.length * 2 && phase === 'topology') total = expectedRows;
    };

    await Promise.all(scopes.map(async (scope) => {
      const sampler = new EffectiveRouteSampler(rt, {
        mode: options.effectiveRoutes, concurrency: 0, attemptsPerSignature: budgets.sampleAttemptsPerSignature,
        pollIntervalMs: budgets.lroPollIntervalMs, maxPolls: budgets.lroMaxPolls, maxLroMs: budgets.lroTimeoutMs,
        maxRetryAfterMs: budgets.maxRetryAfterMs,
        excludedSubscriptions: readOnlySubscriptions, onChange: () => {
          if (phase === 'effective-routes') {
            completed = samplers.reduce((a, s) => a + s.finished, 0);
            total = samplers.reduce((a, s) => a + s.planned, 0);
          }
          emit();
        },
      }, erLimiter);
      samplers.push(sampler);
      // Core types and NICs page concurrently (the shared quota paces both); the sampler holds
      // NICs back until the core topology gives it the route signatures.
      const corePromise = fetchGroup(rt, scope, CORE_TYPES, countRows, onTotal);
      const nicsPromise = fetchGroup(rt, scope, NIC_TYPES, (rows) => {
        countRows(rows);
        sampler.offer(rows.map(toNicRef).filter((n) => n !== null));
      }, onTotal);
      // When the core query fails first (cancellation, fatal error) the NIC query may reject while
      // nobody awaits it yet: observe it now so it is never an unhandled rejection; the
      // Promise.all below still sees its result or error.
      nicsPromise.catch(() => undefined);
      const core = await corePromise;
      const children = fetchChildren(rt, core);
      children.catch(() => undefined);
      // After the core group: the subscriptions Resource Graph refused are known, and skipped.
      const vms = fetchVirtualMachines(rt, scope);
      vms.catch(() => undefined);
      // Uniform scale set instances' NICs and public IPs (AKS node pools): in neither Resource
      // Graph nor the NIC list; found from the core topology's subnet and backend pool references.
      const scaleSetItems = fetchScaleSetInstances(rt, core);
      scaleSetItems.catch(() => undefined);
      if (options.effectiveRoutes !== 'none') {
        sampler.setSignatures(routeSignatures(normalizeArm([{ fileName: 'azure:core', json: { value: core } }]).model));
      }
      const [nics, { items: childItems, hubsWithUnreadConnections: unreadHubs, hubsWithUnreadBgpConnections: unreadBgp }, vmItems, instanceItems] = await Promise.all([nicsPromise, children, vms, scaleSetItems]);
      countRows(childItems);
      countRows(instanceItems);
      for (const id of unreadHubs) hubsWithUnreadConnections.add(id.toLowerCase());
      for (const id of unreadBgp) hubsWithUnreadBgpConnections.add(id.toLowerCase());
      documents.push(...core, ...childItems, ...nics, ...instanceItems);
      virtualMachines.push(...vmItems);
    }));

    // Service tag prefixes: one GET, alongside the effective-route reads; a failure is a gap.
    const serviceTagsPromise = readServiceTags(rt, documents);
    serviceTagsPromise.catch(() => undefined);

    let effectiveRoutes: CapturedEffectiveRoutes[] = [];
    if (options.effectiveRoutes !== 'none') {
      enter('effective-routes', `Reading effective routes (${options.effectiveRoutes === 'sample' ? 'one NIC per route signature' : 'every VM NIC'})`,
        samplers.reduce((a, s) => a + s.planned, 0));
      completed = samplers.reduce((a, s) => a + s.finished, 0);
      emit();
      await Promise.all(samplers.map((s) => s.drain()));
      rt.checkCancelled();
      effectiveRoutes = samplers.flatMap((s) => s.captured).sort((a, b) => (a.networkInterfaceId < b.networkInterfaceId ? -1 : 1));
    }

    const serviceTags = await serviceTagsPromise;
    rt.checkCancelled();
    const normalized = withUnreadHubParts(normalizeArm([{ fileName: 'azure:live-pull', json: { value: [...documents, ...virtualMachines] } }]), {
      connections: hubsWithUnreadConnections, bgpConnections: hubsWithUnreadBgpConnections, nvaSubscriptions: failedNvaLists(rt),
    });
    let metrics: readonly ResourceMetric[] = [];
    if (options.metrics) {
      enter('metrics', 'Reading SNAT and byte metrics (last 24 h)', metricQueries(normalized.model).length);
      metrics = await fetchMetrics(rt, normalized.model, clock.now(), () => {
        completed += 1;
        emit();
      });
      rt.checkCancelled();
    }

    const gaps: Gap[] = [...rt.gaps, ...normalized.gaps];
    const tenantId = options.tenantId ?? subscriptions.find((s) => s.tenantId !== null)?.tenantId ?? null;
    const content: SnapshotContent = {
      format: SNAPSHOT_FORMAT,
      metadata: {
        capturedAt: new Date(clock.now()).toISOString(),
        source: options.source ?? 'live-pull',
        origin: options.origin ?? [target.armEndpoint],
        capturedBy: options.capturedBy ?? null,
        scope: { tenantId, subscriptionIds: [...subscriptionIds].sort(), managementGroupId: options.managementGroupId ?? null, cloud: target.cloud },
        toolVersion: TOOL_VERSION,
      },
      model: normalized.model,
      effectiveRoutes: mergeEffectiveRoutes(normalized.effectiveRoutes, effectiveRoutes),
      metrics,
      gaps,
      ...(serviceTags === null ? {} : { serviceTags }),
    };
    const snapshot = buildSnapshot(content);
    phase = 'done';
    message = `Done: ${seenIds.size} resources, ${stats.requests} requests, ${gaps.length} gap(s)`;
    completed = total ?? completed;
    emit();
    return { snapshot, stats, wallMs: clock.now() - started };
  } catch (error) {
    if (error instanceof PullCancelledError || isCancellation(error, signal) || signal?.aborted) {
      phase = 'cancelled';
      message = 'Cancelled';
      emit();
      throw error instanceof PullCancelledError ? error : new PullCancelledError();
    }
    phase = 'failed';
    message = messageOf(error);
    emit();
    throw error;
  }
}

/**
 * The service tags, asked of a subscription whose resources were read (so the call is allowed)
 * in the estate's most common region. Null (nothing to ask, or a recorded gap) without data.
 */
async function readServiceTags(rt: PullRuntime, documents: readonly Item[]): Promise<ServiceTagSet | null> {
  const location = pickServiceTagLocation(documents);
  const subscriptionId = documents
    .map((d) => (typeof d['id'] === 'string' ? /^\/subscriptions\/([^/]+)/i.exec(d['id'])?.[1]?.toLowerCase() : undefined))
    .filter((s): s is string => s !== undefined && !rt.armDeniedSubscriptions.has(s))
    .sort()[0];
  if (location === null || subscriptionId === undefined) return null;
  rt.note('Reading service tags');
  return fetchServiceTags(rt, subscriptionId, location);
}

/** What a pull could not read of its virtual hubs (IDs and subscription IDs in lower case). */
interface UnreadHubParts {
  /** Hubs whose VNet connection list failed. */
  readonly connections: ReadonlySet<string>;
  /** Hubs whose BGP connection list failed, their own document not listing them. */
  readonly bgpConnections: ReadonlySet<string>;
  /** Subscriptions whose networkVirtualAppliances list failed (after the subscription was read). */
  readonly nvaSubscriptions: ReadonlySet<string>;
}

/** The subscriptions whose networkVirtualAppliances ARM list failed (see PullRuntime.armFailedLists). */
function failedNvaLists(rt: PullRuntime): ReadonlySet<string> {
  const subs = new Set<string>();
  for (const [sub, types] of rt.armFailedLists) if (types.has('microsoft.network/networkvirtualappliances')) subs.add(sub);
  return subs;
}

/**
 * Marks what a pull could not read of its hubs. A hub whose VNet connection list failed
 * (VirtualHub.connectionsRead false): without it their VNets would read as connected to no hub,
 * and a spoke's internet path as its own outbound method, while the hub may hand it a 0.0.0.0/0
 * [VWAN] https://learn.microsoft.com/azure/virtual-wan/how-to-routing-policies
 * A hub in a subscription whose networkVirtualAppliances list failed (nvasRead false), or whose
 * BGP connections could not be read (bgpConnectionsRead false): an NVA in the hub and the hub
 * router's BGP peers are "supported sources of the default route" [VWAN-INET]
 * https://learn.microsoft.com/azure/virtual-wan/about-internet-routing so whether one exists is a
 * missing fact, not "none" (the engine then asks, as for one it reads).
 * An Azure Route Server is a virtualHubs resource in no virtual WAN (`virtualWan` null, kind
 * RouteServer, https://learn.microsoft.com/azure/route-server/quickstart-create-route-server-cli):
 * it has no VNet connections, NVAs or hub BGP connections to miss.
 */
function withUnreadHubParts(normalized: NormalizeResult, unread: UnreadHubParts): NormalizeResult {
  if (unread.connections.size === 0 && unread.bgpConnections.size === 0 && unread.nvaSubscriptions.size === 0) return normalized;
  const virtualHubs = normalized.model.virtualHubs.map((hub) => {
    if (hub.virtualWanId === null) return hub;
    const id = hub.id.toLowerCase();
    const subscription = /^\/subscriptions\/([^/]+)/i.exec(hub.id)?.[1]?.toLowerCase() ?? '';
    const marks = {
      ...(unread.connections.has(id) ? { connectionsRead: false } : {}),
      ...(unread.bgpConnections.has(id) ? { bgpConnectionsRead: false } : {}),
      ...(unread.nvaSubscriptions.has(subscription) ? { nvasRead: false } : {}),
    };
    return Object.keys(marks).length === 0 ? hub : { ...hub, ...marks };
  });
  return { ...normalized, model: { ...normalized.model, virtualHubs } };
}

function mergeEffectiveRoutes(a: readonly CapturedEffectiveRoutes[], b: readonly CapturedEffectiveRoutes[]): readonly CapturedEffectiveRoutes[] {
  const byNic = new Map<string, CapturedEffectiveRoutes>();
  for (const e of [...a, ...b]) byNic.set(e.networkInterfaceId, e);
  return [...byNic.values()].sort((x, y) => (x.networkInterfaceId < y.networkInterfaceId ? -1 : 1));
}

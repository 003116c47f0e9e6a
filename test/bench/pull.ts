/**
 * Live pull at estate scale, against the fake Azure (electron/azure/fake-arm) with ARM-like
 * behaviour: 100 ms latency on every answer, ARM's read token bucket per subscription (250 burst,
 * 25/s) and Resource Graph's documented quota (15 queries per 5 s). The estate is the synthetic
 * 100 subscriptions / 2,000 VNets / 20,000 subnets / 100,000 NICs.
 *
 * Time model ("simulated" time): the fake and the puller share one discrete-event clock
 * (`virtualClock()`, electron/azure/clock.ts). Every modelled delay takes its full time: 100 ms
 * latency per answer, 100 ms between an effective-route POST and its poll, client pacing,
 * Resource Graph quota windows, ARM token-bucket 429s with Retry-After, backoff. CPU work (JSON,
 * normalizing, hashing) and loopback transport take no simulated time; the real wall time and the
 * CPU time are reported next to it (this machine is shared, so real time varies a lot).
 *
 * Requests vs the floor: the floor is the fewest requests that can read this estate: one
 * subscriptions page, ceil(rows / 1,000) Resource Graph pages, one list per firewall policy's rule
 * collection groups (and per hub child), and 2 requests (POST + one poll) per effective-route read
 * in `sample` mode (one NIC per route signature that has a VM NIC).
 *
 * The per-NIC way (one effective-route LRO per NIC) is measured on a 1/20 sample of the estate
 * (5 subscriptions, 5,000 NICs) with the same throttling model and extrapolated linearly by NIC
 * count: a full run would take hours of simulated time; the per-subscription token bucket alone
 * bounds it from below (reported as the analytic floor).
 */
import { normalizeArm } from '../../shared/arm/index';
import { generateSyntheticEstate } from '../../shared/demo/index';
import { virtualClock } from '../../electron/azure/clock';
import { routeSignatures, toNicRef } from '../../electron/azure/effective-routes';
import { startFakeArm, type FakeEstate, type FakeFaults, type FakeResource } from '../../electron/azure/fake-arm/server';
import { pullEstate, type PullOutcome } from '../../electron/azure/pull';
import type { BenchLine } from './types';

export const ESTATE = { subscriptions: 100, virtualNetworks: 2000, subnets: 20000, networkInterfaces: 100000, seed: 20261126 } as const;
const SAMPLE_FACTOR = 20;
const LATENCY_MS = 100;
const ARM_BUCKET = { burst: 250, perSecond: 25 };
const GRAPH_QUOTA = { queries: 15, windowMs: 5_000 };
const ER_CONCURRENCY = 64;

function toFakeEstate(resources: readonly unknown[]): FakeEstate {
  const typed = resources as readonly FakeResource[];
  const subs = [...new Set(typed.map((r) => r.id.split('/')[2] ?? ''))];
  return { tenantId: '00000000-0000-4000-8000-0000000bench', subscriptions: subs.map((subscriptionId, i) => ({ subscriptionId, displayName: `lz-${i}` })), resources: typed };
}

interface Floor {
  readonly requests: number;
  readonly graphPages: number;
  readonly childLists: number;
  readonly effectiveRouteReads: number;
  readonly vmNics: number;
}

/** The fewest requests that read this estate (see the file comment). */
function requestFloor(resources: readonly unknown[]): Floor {
  const typed = resources as readonly FakeResource[];
  const topLevel = typed.filter((r) => r.type.split('/').length === 2);
  const graphPages = Math.ceil(topLevel.length / 1000);
  const childLists = topLevel.filter((r) => r.type.toLowerCase() === 'microsoft.network/firewallpolicies'
    && Array.isArray(r.properties['ruleCollectionGroups']) && (r.properties['ruleCollectionGroups'] as unknown[]).length > 0).length
    + 2 * topLevel.filter((r) => r.type.toLowerCase() === 'microsoft.network/virtualhubs').length;
  const model = normalizeArm([{ fileName: 'bench', json: { value: topLevel.filter((r) => r.type.toLowerCase() !== 'microsoft.network/networkinterfaces') } }]).model;
  const signatures = routeSignatures(model);
  const sampled = new Set<string>();
  let vmNics = 0;
  for (const r of topLevel) {
    if (r.type.toLowerCase() !== 'microsoft.network/networkinterfaces') continue;
    const nic = toNicRef(r as unknown as Readonly<Record<string, unknown>>);
    if (nic === null || !nic.hasVm || nic.subnetId === null) continue;
    vmNics += 1;
    const sig = signatures.get(nic.subnetId);
    if (sig !== undefined) sampled.add(sig);
  }
  const effectiveRouteReads = sampled.size;
  return { requests: 1 + graphPages + childLists + 2 * effectiveRouteReads, graphPages, childLists, effectiveRouteReads, vmNics };
}

async function timedPull(resources: readonly unknown[], mode: 'sample' | 'all'): Promise<{ outcome: PullOutcome; realMs: number; cpuMs: number }> {
  const clock = virtualClock();
  const faults: Partial<FakeFaults> = { latencyMs: LATENCY_MS, armThrottle: ARM_BUCKET, graphQuota: GRAPH_QUOTA, lroPendingPolls: 1, armPageSize: 1000 };
  const fake = await startFakeArm({ estate: toFakeEstate(resources), faults, clock, keepLog: false });
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  try {
    const outcome = await pullEstate({
      cloud: 'AzurePublicCloud', tenantId: null, subscriptionIds: [], effectiveRoutes: mode, metrics: false, demoAzure: false,
      armEndpoint: fake.url, credential: { getToken: async () => ({ token: 'bench', expiresOnTimestamp: Date.now() + 3_600_000 }) },
      clock, effectiveRouteConcurrency: ER_CONCURRENCY,
      // The SDK's poll timer is real time (1 ms); the 100 ms between POST and poll is on the clock.
      budgets: { lroPollIntervalMs: 1, lroPollDelayMs: 100, requestTimeoutMs: 120_000 },
    }, () => undefined);
    const cpu = process.cpuUsage(cpu0);
    return { outcome, realMs: Date.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 };
  } finally {
    await fake.close();
    clock.dispose();
  }
}

export async function bench(): Promise<readonly BenchLine[]> {
  const estate = generateSyntheticEstate(ESTATE);
  const floor = requestFloor(estate.resources);
  const { outcome, realMs, cpuMs } = await timedPull(estate.resources, 'sample');
  const { stats, snapshot } = outcome;
  const nics = snapshot.model.networkInterfaces.length;
  const gaps = snapshot.gaps.length;
  const byKind = [...stats.byKind.entries()].map(([k, v]) => `${k} ${v}`).join(', ');

  // Per-NIC way on a 1/20 sample, extrapolated by NIC count.
  const sampleSpec = {
    subscriptions: ESTATE.subscriptions / SAMPLE_FACTOR, virtualNetworks: ESTATE.virtualNetworks / SAMPLE_FACTOR,
    subnets: ESTATE.subnets / SAMPLE_FACTOR, networkInterfaces: ESTATE.networkInterfaces / SAMPLE_FACTOR, seed: ESTATE.seed,
  };
  const sample = generateSyntheticEstate(sampleSpec);
  const perNic = await timedPull(sample.resources, 'all');
  const sampleVmNics = requestFloor(sample.resources).vmNics;
  const scale = floor.vmNics / Math.max(1, sampleVmNics);
  const perNicRequests = Math.round(perNic.outcome.stats.requests * scale);
  // Subscriptions run in parallel (each has its own token bucket), so the sample's wall time
  // (same NICs per subscription) holds for the full estate, unless the global LRO concurrency
  // binds first: all LROs x their unthrottled mean duration (measured in the sampled pull, where
  // no LRO waits on a bucket) / concurrency.
  const meanLroMs = stats.effectiveRouteTimeMs / Math.max(1, stats.effectiveRouteReads);
  const concurrencyBoundMs = (floor.vmNics * meanLroMs) / ER_CONCURRENCY;
  const perNicWallMs = Math.max(perNic.outcome.wallMs, concurrencyBoundMs);
  // Analytic bound: each subscription's NIC reads (2 requests each) through a 250-burst, 25/s bucket.
  const perSubRequests = (2 * floor.vmNics) / ESTATE.subscriptions;
  const perNicBucketFloorS = Math.max(0, perSubRequests - ARM_BUCKET.burst) / ARM_BUCKET.perSecond;

  return [
    { name: 'pull requests (sample)', value: stats.requests, unit: 'requests', note: byKind },
    { name: 'pull request floor', value: floor.requests, unit: 'requests', note: `1 subscriptions page + ${floor.graphPages} Resource Graph pages + ${floor.childLists} child lists + 2 x ${floor.effectiveRouteReads} effective-route reads` },
    { name: 'pull requests / floor', value: stats.requests / floor.requests, unit: 'x', target: 1.2 },
    { name: 'pull wall time (simulated)', value: outcome.wallMs / 1000, unit: 's', target: 60, note: `discrete-event clock; ${LATENCY_MS} ms latency; ARM 250 burst 25/s per subscription; ARG 15 per 5 s; CPU time not counted` },
    { name: 'pull wall time (real)', value: realMs / 1000, unit: 's', note: `CPU ${(cpuMs / 1000).toFixed(1)} s (puller + fake in one process)` },
    { name: 'pull throttling waits', value: stats.throttleWaitMs / 1000, unit: 's', note: `summed over concurrent requests (client pacing + Retry-After); ${stats.throttledResponses} 429s, ${stats.retries} retries` },
    { name: 'pull NICs read', value: nics, unit: 'NICs', note: `${snapshot.effectiveRoutes.length} effective-route tables captured; ${gaps} gap(s)` },
    { name: 'per-NIC way requests (extrapolated)', value: perNicRequests, unit: 'requests', note: `${perNic.outcome.stats.requests} measured on 1/${SAMPLE_FACTOR} sample (${sampleVmNics} VM NICs) x ${scale.toFixed(2)}` },
    { name: 'per-NIC way wall time (extrapolated)', value: perNicWallMs / 1000, unit: 's', note: `max(sample wall ${(perNic.outcome.wallMs / 1000).toFixed(0)} s [per-subscription buckets run in parallel], ${floor.vmNics} LROs x ${meanLroMs.toFixed(0)} ms / ${ER_CONCURRENCY} concurrent = ${(concurrencyBoundMs / 1000).toFixed(0)} s); ARM bucket floor alone ${perNicBucketFloorS.toFixed(0)} s` },
    { name: 'per-NIC way / sampled: requests', value: perNicRequests / stats.requests, unit: 'x' },
    { name: 'per-NIC way / sampled: wall time', value: perNicWallMs / outcome.wallMs, unit: 'x' },
  ];
}

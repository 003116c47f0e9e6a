import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpHeaders } from '@azure/core-rest-pipeline';
import { createArmGetter, createNetworkClient } from '../../../electron/azure/clients';
import { scaledClock } from '../../../electron/azure/clock';
import {
  classifyRequest, isReadOnlyRequest, MalformedResponseError, parseTimeSpanMs, ReadOnlyViolationError, ResourceGraphQuota, RETRY_AFTER_TOO_LONG, retryAfterMs, TokenBucket,
} from '../../../electron/azure/policies';
import { gapCodeFor, messageOf } from '../../../electron/azure/errors';
import { forwardingTransport, htmlPage } from '../../support/forwarding-transport';
import { smallEstate, startFakeArm, SUB_APPS, type FakeArm } from '../../fake-arm';
import { manualClock, testContext } from './helpers';

describe('read-only guard', () => {
  it('allows GET and only the two read POST actions', () => {
    const base = 'https://management.azure.com';
    expect(isReadOnlyRequest('GET', `${base}/subscriptions/s/providers/Microsoft.Network/virtualNetworks`)).toBe(true);
    expect(isReadOnlyRequest('POST', `${base}/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01`)).toBe(true);
    expect(isReadOnlyRequest('POST', `${base}/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/nic/effectiveRouteTable?api-version=2026-01-01`)).toBe(true);
    expect(isReadOnlyRequest('POST', `${base}/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/nic/effectiveNetworkSecurityGroups`)).toBe(false);
    expect(isReadOnlyRequest('POST', `${base}/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm/start`)).toBe(false);
    for (const method of ['PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']) {
      expect(isReadOnlyRequest(method, `${base}/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/routeTables/rt`)).toBe(false);
    }
  });

  describe('on real SDK clients against the fake', () => {
    let fake: FakeArm;
    beforeAll(async () => {
      fake = await startFakeArm({ estate: smallEstate() });
    });
    afterAll(() => fake.close());

    it('refuses PUT, PATCH, DELETE and other POSTs before they leave the process', async () => {
      const { ctx } = testContext(fake.url, scaledClock(1));
      const client = createNetworkClient(ctx, SUB_APPS);
      const before = fake.stats.requests;
      await expect(client.routeTables.createOrUpdate('rg-apps', 'rt-apps', { location: 'westeurope' }, { updateIntervalInMs: 5 })).rejects.toBeInstanceOf(ReadOnlyViolationError);
      await expect(client.routeTables.updateTags('rg-apps', 'rt-apps', { tags: { x: 'y' } })).rejects.toBeInstanceOf(ReadOnlyViolationError);
      await expect(client.routeTables.delete('rg-apps', 'rt-apps', { updateIntervalInMs: 5 })).rejects.toBeInstanceOf(ReadOnlyViolationError);
      await expect(client.networkInterfaces.listEffectiveNetworkSecurityGroups('rg-apps', 'nic-web-1', { updateIntervalInMs: 5 })).rejects.toBeInstanceOf(ReadOnlyViolationError);
      expect(fake.stats.requests).toBe(before);
      expect(fake.stats.mutations).toBe(0);
      // Reads still go through the same client.
      const tables = [];
      for await (const t of client.routeTables.listAll()) tables.push(t);
      expect(tables.map((t) => t.name)).toEqual(['rt-apps']);
    });

    it('guards the plain pipeline (subscriptions, metrics) too', async () => {
      const { ctx } = testContext(fake.url, scaledClock(1));
      const getter = createArmGetter(ctx);
      const names = getter.pipeline.getOrderedPolicies().map((p) => p.name);
      expect(names).toContain('egressAtlasReadOnlyPolicy');
      expect(names).toContain('egressAtlasPacingPolicy');
      expect(names).not.toContain('defaultRetryPolicy');
      const body = await getter.getJson('/subscriptions?api-version=2022-12-01') as { value: unknown[] };
      expect(body.value).toHaveLength(3);
    });
  });
});

describe('pacing policy: one retry layer, counted', () => {
  let fake: FakeArm;
  beforeAll(async () => {
    fake = await startFakeArm({ estate: smallEstate() });
  });
  afterAll(() => fake.close());

  it('waits Retry-After on 429 and counts the wait', async () => {
    const clock = scaledClock(100); // Retry-After: 1 s takes 10 ms of real time
    fake.faults.throttles.push({ match: /^GET .*\/routeTables$/i, times: 2 });
    fake.faults.throttleRetryAfterSeconds = 1;
    // Timeout far above any real delay (the clock runs 100x: 600 s here is 6 s of real time).
    const { ctx, stats } = testContext(fake.url, clock, { requestTimeoutMs: 600_000 });
    const client = createNetworkClient(ctx, SUB_APPS);
    const items = [];
    for await (const t of client.routeTables.listAll()) items.push(t);
    expect(items).toHaveLength(1);
    expect(stats.throttledResponses).toBe(2);
    expect(stats.retries).toBe(2);
    expect(stats.requests).toBe(3);
    expect(stats.throttleWaitMs).toBeGreaterThanOrEqual(2000);
  });

  it('retries 5xx with backoff, then gives the error back when retries run out', async () => {
    const { ctx, stats } = testContext(fake.url, scaledClock(1), { maxRetries: 2 });
    const client = createNetworkClient(ctx, SUB_APPS);
    fake.faults.serverErrors.push({ match: /natGateways$/i, times: 2 });
    const ok = [];
    for await (const n of client.natGateways.listAll()) ok.push(n);
    expect(ok).toHaveLength(1);
    expect(stats.retries).toBe(2);
    fake.faults.serverErrors.push({ match: /natGateways$/i, times: 3 });
    await expect((async () => {
      for await (const n of client.natGateways.listAll()) void n;
    })()).rejects.toMatchObject({ statusCode: 503 });
    expect(stats.requests).toBe(6);
  });

  it('a Retry-After beyond maxRetryAfterMs is not waited out: the 429 fails at once, as throttled', async () => {
    const { ctx, stats } = testContext(fake.url, scaledClock(1), { maxRetryAfterMs: 5_000 });
    const client = createNetworkClient(ctx, SUB_APPS);
    fake.faults.throttles.push({ match: /^GET .*\/ipGroups$/i, times: 1 });
    fake.faults.throttleRetryAfterSeconds = 86_400;
    const failed = await (async () => {
      for await (const g of client.ipGroups.list()) void g;
    })().then(() => null, (e: unknown) => e);
    expect(failed).toMatchObject({ statusCode: 429, code: RETRY_AFTER_TOO_LONG });
    expect(gapCodeFor(failed)).toBe('throttled');
    expect(messageOf(failed)).toMatch(/^HTTP 429: Throttled: Azure asked to wait 86400 s before retrying GET .*ipGroups, longer than the pull waits \(5 s\)/);
    expect(stats.throttleWaitMs).toBe(0);
    fake.faults.throttleRetryAfterSeconds = 1;
  });

  it('a 200 answer that is not JSON (a proxy page) is a MalformedResponseError, on SDK clients and the plain GET', async () => {
    const { ctx } = testContext(fake.url, scaledClock(1));
    const httpClient = forwardingTransport((request) => htmlPage(request));
    const client = createNetworkClient({ ...ctx, httpClient }, SUB_APPS);
    const listed = await (async () => {
      for await (const t of client.routeTables.listAll()) void t;
    })().then(() => null, (e: unknown) => e);
    expect(listed).toBeInstanceOf(MalformedResponseError);
    expect(messageOf(listed)).toMatch(/^Azure answered GET \/subscriptions\/.*\/routeTables with HTTP 200 but a text\/html body that is not ARM JSON/);
    await expect(createArmGetter({ ...ctx, httpClient }).getJson('/subscriptions?api-version=2022-12-01')).rejects.toBeInstanceOf(MalformedResponseError);
  });

  it('times out a request that never answers and retries it', async () => {
    const { ctx, stats } = testContext(fake.url, scaledClock(1), { requestTimeoutMs: 400 });
    const client = createNetworkClient(ctx, SUB_APPS);
    fake.faults.hangs.push({ match: /networkSecurityGroups$/i, times: 1 });
    const items = [];
    for await (const n of client.networkSecurityGroups.listAll()) items.push(n);
    expect(items).toHaveLength(1);
    expect(stats.timeouts).toBe(1);
    expect(stats.requests).toBe(2);
  });
});

describe('pacing helpers', () => {
  it('token bucket: a burst is free, then requests wait for refill', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(2, 1, clock);
    expect(bucket.reserve('s')).toBe(0);
    expect(bucket.reserve('s')).toBe(0);
    expect(bucket.reserve('s')).toBe(1000);
    expect(bucket.reserve('s')).toBe(2000);
    expect(bucket.reserve('other')).toBe(0);
    clock.advance(5000);
    expect(bucket.reserve('s')).toBe(0);
  });

  it('Resource Graph quota: queries past a spent window are booked first come first served into later windows, never all at one reset', () => {
    // [ARG throttling] guidance-for-throttled-requests: stagger queries by the quota headers.
    const clock = manualClock();
    const quota = new ResourceGraphQuota(clock);
    const answer = (remaining: number): void => quota.observe(createHttpHeaders({ 'x-ms-user-quota-remaining': String(remaining), 'x-ms-user-quota-resets-after': '00:00:05' }));
    expect(quota.reserve()).toBe(0);
    answer(2); // 3 queries per 5 s window
    expect([quota.reserve(), quota.reserve()]).toEqual([0, 0]);
    // Spent: three per later window, in the order asked (plus the 50 ms margin).
    expect(Array.from({ length: 7 }, () => quota.reserve())).toEqual([5050, 5050, 5050, 10_050, 10_050, 10_050, 15_050]);
    // In the next window, a new query queues behind those booked before it.
    clock.advance(5050);
    expect(quota.reserve()).toBe(10_000);
  });

  it('Resource Graph quota: an answer that does not count queries still in flight is not trusted past them', () => {
    const clock = manualClock();
    const quota = new ResourceGraphQuota(clock);
    // Two queries sent before any answer; the first answer says 14 left, but the second was sent
    // after the server counted the first (or not): 13 are taken as left.
    expect([quota.reserve(), quota.reserve()]).toEqual([0, 0]);
    quota.observe(createHttpHeaders({ 'x-ms-user-quota-remaining': '14', 'x-ms-user-quota-resets-after': '00:00:05' }));
    expect(Array.from({ length: 13 }, () => quota.reserve()).every((ms) => ms === 0)).toBe(true);
    expect(quota.reserve()).toBe(5050);
  });

  it('reads Retry-After, retry-after-ms and the Resource Graph quota reset', () => {
    expect(retryAfterMs(createHttpHeaders({ 'retry-after': '7' }), 0)).toBe(7000);
    expect(retryAfterMs(createHttpHeaders({ 'retry-after-ms': '250' }), 0)).toBe(250);
    expect(retryAfterMs(createHttpHeaders({ 'x-ms-user-quota-resets-after': '00:00:03' }), 0)).toBe(3000);
    expect(retryAfterMs(createHttpHeaders({}), 0)).toBeNull();
    expect(parseTimeSpanMs('00:01:02.5')).toBe(62_500);
    expect(parseTimeSpanMs('soon')).toBeNull();
  });

  it('classifies requests for the counters', () => {
    expect(classifyRequest('POST', 'https://m/providers/Microsoft.ResourceGraph/resources?api-version=1')).toBe('resource-graph');
    expect(classifyRequest('GET', 'https://m/subscriptions?api-version=1')).toBe('subscriptions');
    expect(classifyRequest('GET', 'https://m/subscriptions/s/providers/Microsoft.Network/locations/w/operationResults/1')).toBe('lro-poll');
    expect(classifyRequest('GET', 'https://m/subscriptions/s/rg/x/providers/Microsoft.Insights/metrics?x=1')).toBe('metrics');
  });
});

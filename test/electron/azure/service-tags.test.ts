/**
 * The live pull reads service tags with one read-only GET (Service Tag Discovery API) and stores
 * them in the snapshot; a failure is a recorded gap, never a crash.
 * [TAG] https://learn.microsoft.com/azure/virtual-network/service-tags-overview#use-the-service-tag-discovery-api
 */
import { afterEach, describe, expect, it } from 'vitest';
import { virtualClock } from '../../../electron/azure/clock';
import { pullEstate, type PullOptions, type PullOutcome } from '../../../electron/azure/pull';
import { pickServiceTagLocation, serviceTagsPath, SERVICE_TAGS_API_VERSION } from '../../../electron/azure/service-tags';
import { smallEstate, startFakeArm, SUB_HUB, type FakeArm, type FakeEstate, type FakeFaults } from '../../fake-arm';
import { recordingCredential } from './helpers';

let fake: FakeArm | null = null;
let dispose: (() => void) | null = null;

afterEach(async () => {
  await fake?.close();
  fake = null;
  dispose?.();
  dispose = null;
});

async function pullFrom(estate: FakeEstate, faults: Partial<FakeFaults> = {}, options: Partial<PullOptions> = {}): Promise<{ outcome: PullOutcome; fake: FakeArm }> {
  const clock = virtualClock();
  dispose = clock.dispose;
  fake = await startFakeArm({ estate, faults, clock });
  const outcome = await pullEstate({
    cloud: 'AzurePublicCloud', tenantId: null, subscriptionIds: [], effectiveRoutes: 'none', metrics: false, demoAzure: false,
    armEndpoint: fake.url, credential: recordingCredential(), clock,
    budgets: { lroPollIntervalMs: 5, requestTimeoutMs: 60_000, baseRetryDelayMs: 20, maxRetryDelayMs: 200, graphPageSize: 5 },
    ...options,
  }, () => undefined);
  return { outcome, fake };
}

const SERVICE_TAGS_REQUEST = /^\/subscriptions\/[^/]+\/providers\/Microsoft\.Network\/locations\/westeurope\/serviceTags$/;

describe('pull: service tags', () => {
  it('reads them with one GET in the estate\'s region and stores them (with the change number) in the snapshot', async () => {
    const { outcome, fake: f } = await pullFrom(smallEstate());
    const tags = outcome.snapshot.serviceTags;
    expect(tags?.changeNumber).toBe(63);
    expect(tags?.cloud).toBe('Public');
    expect(tags?.tags.map((t) => t.name)).toEqual(['AzureCloud.WestEurope', 'Storage', 'Storage.WestEurope', 'Sql']);
    // The REST API does not report networkFeatures.
    expect(tags?.tags[0]?.networkFeatures).toBeNull();
    const calls = f.stats.log.filter((l) => SERVICE_TAGS_REQUEST.test(l.path));
    expect(calls).toEqual([{ method: 'GET', path: expect.stringMatching(SERVICE_TAGS_REQUEST) as unknown as string, status: 200 }]);
    expect(f.stats.byKind.get('service-tags')).toBe(1);
    expect(outcome.stats.byKind.get('service-tags')).toBe(1);
    // Read-only by construction: nothing but GET/POST reads reached the server.
    expect(f.stats.mutations).toBe(0);
    expect(outcome.snapshot.gaps.filter((g) => g.scope.includes('serviceTags'))).toEqual([]);
  });

  it('a failed read is a gap: the pull completes without tag data', async () => {
    // More 503s than the retry budget allows.
    const { outcome } = await pullFrom(smallEstate(), { serverErrors: [{ match: /^GET .*\/serviceTags$/i, times: 20 }] });
    expect(outcome.snapshot.serviceTags).toBeUndefined();
    const gap = outcome.snapshot.gaps.find((g) => g.scope.endsWith('/serviceTags'));
    expect(gap).toMatchObject({ code: 'request-failed', message: expect.stringMatching(/^Reading service tags failed: HTTP 503/) as unknown as string });
    expect(outcome.snapshot.model.virtualNetworks.length).toBeGreaterThan(0);
  });

  it('an answer that is not a service tag list is a gap too', async () => {
    const { outcome } = await pullFrom({ ...smallEstate(), serviceTags: { values: [{ name: 'Storage', properties: { addressPrefixes: ['not-a-prefix'] } }] } });
    expect(outcome.snapshot.serviceTags).toBeUndefined();
    expect(outcome.snapshot.gaps.find((g) => g.scope.endsWith('/serviceTags'))?.message).toContain('not a service tag list');
  });

  it('throttling is retried like any other read', async () => {
    const { outcome } = await pullFrom(smallEstate(), { throttles: [{ match: /^GET .*\/serviceTags$/i, times: 1 }], throttleRetryAfterSeconds: 1 });
    expect(outcome.snapshot.serviceTags?.changeNumber).toBe(63);
    expect(outcome.stats.throttledResponses).toBeGreaterThanOrEqual(1);
  });
});

describe('service tag request', () => {
  it('is the Service Tag Discovery API path with a pinned api-version', () => {
    expect(serviceTagsPath(SUB_HUB, 'westeurope')).toBe(`/subscriptions/${SUB_HUB}/providers/Microsoft.Network/locations/westeurope/serviceTags?api-version=${SERVICE_TAGS_API_VERSION}`);
  });

  it('asks in the most common region of the pulled resources (ties alphabetical; global and missing ignored)', () => {
    const items = [{ location: 'northeurope' }, { location: 'West Europe' }, { location: 'westeurope' }, { location: 'global' }, { id: 'x' }, { location: 'eastus' }, { location: 'eastus' }];
    expect(pickServiceTagLocation(items)).toBe('eastus');
    expect(pickServiceTagLocation([{ location: 'westeurope' }, { location: 'northeurope' }])).toBe('northeurope');
    expect(pickServiceTagLocation([{ location: 'global' }])).toBeNull();
  });
});

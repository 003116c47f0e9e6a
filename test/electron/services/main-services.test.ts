import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PullProgress, PullRequest } from '../../../shared/ipc/contract';
import type { Snapshot } from '../../../shared/model/snapshot';
import { createMainServices, type MainServiceDeps, type PullFunction } from '../../../electron/services/main-services';
import { createRecentStore } from '../../../electron/services/recent-store';
import { fakeCheck, fakeImport, fakeMatrix, fakeReach, fakeResolve, fakeSnapshot } from './fakes';

const DEMOS = [{ name: 'bank', title: 'Contoso Bank', description: 'Hub firewall, two mistakes' }];
const PULL: PullRequest = { cloud: 'AzurePublicCloud', tenantId: 'contoso.example', subscriptionIds: [], effectiveRoutes: 'none', metrics: false, demoAzure: false };

let dataDir: string;
beforeEach(async () => { dataDir = await mkdtemp(join(tmpdir(), 'egress-atlas-services-')); });
afterEach(async () => { await rm(dataDir, { recursive: true, force: true }); });

function services(overrides: Partial<MainServiceDeps> = {}) {
  let resolveCalls = 0;
  let reachCalls = 0;
  let matrixCalls = 0;
  let checkCalls = 0;
  const deps: MainServiceDeps = {
    listDemos: () => DEMOS,
    loadDemo: (name) => (name === 'bank' ? fakeSnapshot('bank', ['snet-payments', 'snet-card-auth']) : null),
    importFiles: fakeImport,
    resolve: (snapshot, destination) => {
      resolveCalls += 1;
      return fakeResolve(snapshot, destination);
    },
    reach: (snapshot, sourceId) => {
      reachCalls += 1;
      return fakeReach(snapshot, sourceId);
    },
    matrix: (snapshot, listText, fileName) => {
      matrixCalls += 1;
      return fakeMatrix(snapshot, listText, fileName);
    },
    check: (snapshot, policyText, fileName, now) => {
      checkCalls += 1;
      return fakeCheck(snapshot, policyText, fileName, now);
    },
    formatSnapshot: (snapshot) => JSON.stringify(snapshot),
    recent: createRecentStore({ dataDir }),
    ...overrides,
  };
  return { api: createMainServices(deps), resolveCalls: () => resolveCalls, reachCalls: () => reachCalls, matrixCalls: () => matrixCalls, checkCalls: () => checkCalls };
}

describe('main services', () => {
  it('lists demos and opens one as an estate with a summary', async () => {
    const { api } = services();
    expect(await api.listDemos({})).toEqual({ ok: true, value: DEMOS });
    const opened = await api.openDemo({ name: 'bank' });
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    expect(opened.value.summary).toMatchObject({ title: 'Contoso Bank', subnetCount: 2, networkInterfaceCount: 0, virtualNetworkCount: 0 });
    expect(opened.value.summary.estateId).toMatch(/^estate-/);
    expect(opened.value.snapshot.metadata.origin).toEqual(['bank']);
  });

  it('answers not-found for an unknown demo', async () => {
    const { api } = services();
    expect(await api.openDemo({ name: 'casino' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('imports files, resolves, and caches the answer per estate and destination', async () => {
    const { api, resolveCalls } = services();
    const opened = await api.importFiles({ files: [{ name: 'spoke.json', text: '{"subnets":["a","b","c"]}' }] });
    if (!opened.ok) throw new Error(opened.error.message);
    expect(opened.value.summary).toMatchObject({ title: 'spoke.json', subnetCount: 3 });
    const { estateId } = opened.value.summary;

    const first = await api.resolve({ estateId, destination: null });
    expect(first).toMatchObject({ ok: true, value: { destination: '0.0.0.0/0' } });
    await api.resolve({ estateId, destination: null });
    expect(resolveCalls()).toBe(1);
    expect(await api.resolve({ estateId, destination: '20.1.2.3' })).toMatchObject({ ok: true, value: { destination: '20.1.2.3' } });
    expect(resolveCalls()).toBe(2);
  });

  it('turns an InputError into input-error data naming the file and JSON path', async () => {
    const { api } = services();
    const result = await api.importFiles({ files: [{ name: 'broken.json', text: '{"vnets":1}' }] });
    expect(result).toEqual({
      ok: false,
      error: { code: 'input-error', message: 'broken.json: $.subnets: expected an array of subnet names', file: 'broken.json', path: '$.subnets' },
    });
  });

  it('reports a bad what-if destination from the resolver as input-error', async () => {
    const { api } = services();
    const opened = await api.openDemo({ name: 'bank' });
    if (!opened.ok) throw new Error('demo');
    const result = await api.resolve({ estateId: opened.value.summary.estateId, destination: 'not-an-ip' });
    expect(result).toMatchObject({ ok: false, error: { code: 'input-error', path: '$.destination' } });
  });

  it('answers reach for one source or every source, cached per estate and source', async () => {
    const { api, reachCalls } = services();
    const opened = await api.openDemo({ name: 'bank' });
    if (!opened.ok) throw new Error('demo');
    const { estateId } = opened.value.summary;
    const all = await api.reach({ estateId, sourceId: null });
    if (!all.ok) throw new Error(all.error.message);
    expect(all.value.sources.map((s) => s.source.name)).toEqual(['snet-payments', 'snet-card-auth']);
    const id = opened.value.snapshot.model.subnets[1]?.id ?? '';
    const one = await api.reach({ estateId, sourceId: id });
    expect(one).toMatchObject({ ok: true, value: { sources: [{ source: { name: 'snet-card-auth' }, unrestricted: true }] } });
    await api.reach({ estateId, sourceId: id });
    await api.reach({ estateId, sourceId: null });
    expect(reachCalls()).toBe(2);
    // Another estate has its own cache.
    const other = await api.openDemo({ name: 'bank' });
    if (!other.ok) throw new Error('demo');
    await api.reach({ estateId: other.value.summary.estateId, sourceId: id });
    expect(reachCalls()).toBe(3);
  });

  it('reach is given the estate\'s cached default-route resolve, not left to resolve the whole estate again', async () => {
    // A large estate's list holds the default route already; one source's reach then costs its
    // own what-ifs alone (about 0.1-0.4 s on the 100,000-NIC estate instead of 1.5 s more).
    const given: unknown[] = [];
    const { api, resolveCalls } = services({ reach: (snapshot, sourceId, defaultRoute) => { given.push(defaultRoute); return fakeReach(snapshot, sourceId); } });
    const opened = await api.openDemo({ name: 'bank' });
    if (!opened.ok) throw new Error('demo');
    const { estateId } = opened.value.summary;
    const resolved = await api.resolve({ estateId, destination: null });
    if (!resolved.ok) throw new Error(resolved.error.message);
    const calls = resolveCalls();
    await api.reach({ estateId, sourceId: opened.value.snapshot.model.subnets[0]?.id ?? '' });
    expect(given).toEqual([resolved.value]);
    expect(resolveCalls()).toBe(calls);
  });

  it('resolves a destinations list into a matrix, cached per estate and list text', async () => {
    const { api, matrixCalls } = services();
    const opened = await api.openDemo({ name: 'bank' });
    if (!opened.ok) throw new Error('demo');
    const { estateId } = opened.value.summary;
    const text = 'api.stripe.com\nexfil.example.net,Exfil\n';
    const result = await api.matrix({ estateId, destinations: text, fileName: 'list.csv' });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.destinations.map((d) => [d.destination, d.label])).toEqual([['api.stripe.com', null], ['exfil.example.net', 'Exfil']]);
    expect(result.value.rows).toHaveLength(2);
    await api.matrix({ estateId, destinations: text, fileName: 'renamed.csv' });
    expect(matrixCalls()).toBe(1);
    await api.matrix({ estateId, destinations: 'api.stripe.com\n', fileName: 'list.csv' });
    expect(matrixCalls()).toBe(2);
  });

  it('reports a bad destinations list as input-error naming the file and line, and caches nothing', async () => {
    const { api, matrixCalls } = services();
    const opened = await api.openDemo({ name: 'bank' });
    if (!opened.ok) throw new Error('demo');
    const request = { estateId: opened.value.summary.estateId, destinations: 'api.stripe.com\nnot a destination\n', fileName: 'bad.txt' };
    const result = await api.matrix(request);
    expect(result).toMatchObject({ ok: false, error: { code: 'input-error', file: 'bad.txt', path: 'line 2' } });
    if (result.ok) return;
    expect(result.error.message).toContain('bad.txt: line 2');
    await api.matrix(request);
    expect(matrixCalls()).toBe(2);
    expect(await api.matrix({ ...request, destinations: '# only a comment\n' })).toMatchObject({ ok: false, error: { code: 'input-error', file: 'bad.txt' } });
  });

  it('checks a policy against the estate at the clock\'s time, cached per estate, file, text and day', async () => {
    let clock = new Date('2026-12-01T09:00:00.000Z');
    const { api, checkCalls } = services({ now: () => clock });
    const opened = await api.openDemo({ name: 'bank' });
    if (!opened.ok) throw new Error('demo');
    const { estateId } = opened.value.summary;
    const policy = 'version: 1\ncontrols:\n  - id: no-default-outbound\n    effect: deny\n    scope: { subnets: ["*"] }\n    forbidExits: [default-outbound]\n';
    const result = await api.check({ estateId, policy, fileName: 'egress.yaml' });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value).toMatchObject({ schema: 'egress-atlas/check@1', policy: 'egress.yaml', evaluatedAt: '2026-12-01T09:00:00.000Z' });
    expect(result.value.controls.map((c) => [c.id, c.line, c.inScope.length])).toEqual([['no-default-outbound', 3, 2]]);
    await api.check({ estateId, policy, fileName: 'egress.yaml' });
    expect(checkCalls()).toBe(1);
    // The file name is in the result, so another name is another check; so is another day (expiry).
    await api.check({ estateId, policy, fileName: 'other.yaml' });
    expect(checkCalls()).toBe(2);
    clock = new Date('2026-12-02T00:00:01.000Z');
    const nextDay = await api.check({ estateId, policy, fileName: 'egress.yaml' });
    expect(checkCalls()).toBe(3);
    expect(nextDay).toMatchObject({ ok: true, value: { evaluatedAt: '2026-12-02T00:00:01.000Z' } });
  });

  it('reports a bad policy as input-error listing every file:line: field: problem, and caches nothing', async () => {
    const { api, checkCalls } = services();
    const opened = await api.openDemo({ name: 'bank' });
    if (!opened.ok) throw new Error('demo');
    const request = { estateId: opened.value.summary.estateId, policy: 'version: 2\ncontrols:\n  - id: x\n    effect: deny\n    forbidExitz: [default-outbound]\n', fileName: 'bad.yaml' };
    const result = await api.check(request);
    expect(result).toMatchObject({ ok: false, error: { code: 'input-error', file: 'bad.yaml' } });
    if (result.ok) return;
    const lines = result.error.message.split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines[0]).toMatch(/^bad\.yaml:1: version: /);
    expect(result.error.message).toMatch(/^bad\.yaml:5: controls\[0\]\.forbidExitz: /m);
    await api.check(request);
    expect(checkCalls()).toBe(2);
  });

  it('answers not-found for an unknown estate on check', async () => {
    const { api } = services();
    expect(await api.check({ estateId: 'estate-gone', policy: 'version: 1', fileName: 'p.yaml' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('answers not-found for an unknown estate on reach and matrix', async () => {
    const { api } = services();
    expect(await api.reach({ estateId: 'estate-gone', sourceId: null })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await api.matrix({ estateId: 'estate-gone', destinations: 'api.stripe.com', fileName: 'l.txt' }))
      .toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('answers not-found for an unknown estate on resolve, saveSnapshot and exportEvidence', async () => {
    const { api } = services({ writeEvidence: async () => new Uint8Array([37, 80, 68, 70]) });
    expect(await api.resolve({ estateId: 'estate-nope', destination: null })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await api.saveSnapshot({ estateId: 'estate-nope' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await api.exportEvidence({ estateId: 'estate-nope', destination: null, sourceIds: null })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('turns an unexpected exception into internal error data instead of rejecting', async () => {
    const { api } = services({ importFiles: () => { throw new TypeError('boom'); } });
    expect(await api.importFiles({ files: [{ name: 'a.json', text: '{}' }] })).toEqual({ ok: false, error: { code: 'internal', message: 'boom' } });
  });

  it('saves the snapshot text with a file name from the title and capture time', async () => {
    const { api } = services();
    const opened = await api.openDemo({ name: 'bank' });
    if (!opened.ok) throw new Error('demo');
    const saved = await api.saveSnapshot({ estateId: opened.value.summary.estateId });
    expect(saved).toMatchObject({ ok: true, value: { fileName: 'contoso-bank-20261126-0544.egress-atlas.json' } });
    if (saved.ok) expect((JSON.parse(saved.value.text) as Snapshot).model.subnets).toHaveLength(2);
  });

  it('exports evidence as base64 of the writer bytes, passing the resolved result and selection', async () => {
    const seen: unknown[] = [];
    const { api } = services({
      writeEvidence: async (input) => {
        seen.push({ destination: input.result.destination, sourceIds: input.sourceIds, title: input.title });
        return new Uint8Array([0x25, 0x50, 0x44, 0x46]);
      },
    });
    const opened = await api.openDemo({ name: 'bank' });
    if (!opened.ok) throw new Error('demo');
    const result = await api.exportEvidence({ estateId: opened.value.summary.estateId, destination: '20.1.2.3', sourceIds: ['x'] });
    expect(result).toMatchObject({ ok: true, value: { base64: 'JVBERg==' } });
    if (result.ok) expect(result.value.fileName).toMatch(/^contoso-bank-evidence-\d{8}-\d{4}\.pdf$/);
    expect(seen).toEqual([{ destination: '20.1.2.3', sourceIds: ['x'], title: 'Contoso Bank' }]);
  });

  it('answers unsupported when evidence or live pull are not wired', async () => {
    const { api } = services();
    expect(await api.exportEvidence({ estateId: 'estate-x', destination: null, sourceIds: null })).toMatchObject({ ok: false, error: { code: 'unsupported' } });
    expect(await api.startPull(PULL)).toMatchObject({ ok: false, error: { code: 'unsupported' } });
    expect(await api.pullStatus({ jobId: 'pull-1' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('records opened estates in the recent list and reopens them (demo and files)', async () => {
    const { api } = services();
    await api.openDemo({ name: 'bank' });
    await api.importFiles({ files: [{ name: 'a.json', text: '{"subnets":["x"]}' }, { name: 'b.json', text: '{"subnets":["y"]}' }] });
    const recent = await api.listRecent({});
    if (!recent.ok) throw new Error('recent');
    expect(recent.value.map((e) => [e.kind, e.title])).toEqual([['files', 'a.json + 1 more'], ['demo', 'Contoso Bank']]);

    const [files, demo] = recent.value;
    const reopened = await api.openRecent({ id: files?.id ?? '' });
    expect(reopened).toMatchObject({ ok: true, value: { summary: { title: 'a.json + 1 more', subnetCount: 2 } } });
    expect(await api.openRecent({ id: demo?.id ?? '' })).toMatchObject({ ok: true, value: { summary: { title: 'Contoso Bank' } } });
    expect(await api.openRecent({ id: 'no-such-entry' })).toMatchObject({ ok: false, error: { code: 'not-found' } });

    // A second process on the same data directory sees the same list (it is persisted).
    const again = services();
    expect(await again.api.listRecent({})).toEqual(await api.listRecent({}));
    expect(await again.api.openRecent({ id: files?.id ?? '' })).toMatchObject({ ok: true, value: { summary: { subnetCount: 2 } } });
  });
});

describe('live pull jobs', () => {
  function progress(phase: PullProgress['phase'], completed: number): PullProgress {
    return { phase, resourcesFound: completed * 10, requestsMade: completed, throttleWaitMs: 0, etaMs: 1000, completed, total: 4, gaps: [], message: phase };
  }

  it('runs a pull in the background, reports progress, then the opened estate', async () => {
    let finish: (s: Snapshot) => void = () => undefined;
    const pull: PullFunction = (_request, onProgress) => {
      onProgress(progress('topology', 2));
      return new Promise((resolve) => {
        finish = (snapshot) => {
          // The pull announces `done` before the estate is open: pollers must not see it yet.
          onProgress({ ...progress('done', 4), message: 'Done: 40 resources' });
          resolve(snapshot);
        };
      });
    };
    const { api } = services({ pull });
    const started = await api.startPull(PULL);
    if (!started.ok) throw new Error(started.error.message);
    const { jobId } = started.value;
    await new Promise((r) => setTimeout(r, 0));
    expect(await api.pullStatus({ jobId })).toMatchObject({ ok: true, value: { jobId, progress: { phase: 'topology', completed: 2 }, estate: null, error: null } });

    finish(fakeSnapshot('pull', ['a', 'b', 'c', 'd']));
    expect(await api.pullStatus({ jobId })).toMatchObject({ ok: true, value: { progress: { phase: 'topology', completed: 4 }, estate: null } });
    await api.pullSettled(jobId);
    const status = await api.pullStatus({ jobId });
    expect(status).toMatchObject({ ok: true, value: { progress: { phase: 'done', message: 'Done: 40 resources' }, estate: { summary: { title: 'Live pull contoso.example', subnetCount: 4 } }, error: null } });
    expect(await api.cancelPull({ jobId })).toEqual({ ok: true, value: { cancelled: false } });
    const recent = await api.listRecent({});
    expect(recent.ok && recent.value[0]).toMatchObject({ kind: 'live-pull', title: 'Live pull contoso.example' });
  });

  it('cancels a running pull through its AbortSignal', async () => {
    let seenSignal: AbortSignal | null = null;
    const pull: PullFunction = (_request, _onProgress, signal) => {
      seenSignal = signal;
      return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
    };
    const { api } = services({ pull });
    const started = await api.startPull(PULL);
    if (!started.ok) throw new Error('start');
    const { jobId } = started.value;
    await new Promise((r) => setTimeout(r, 0));
    expect(await api.cancelPull({ jobId })).toEqual({ ok: true, value: { cancelled: true } });
    await api.pullSettled(jobId);
    expect(seenSignal).not.toBeNull();
    expect(seenSignal!.aborted).toBe(true);
    expect(await api.pullStatus({ jobId })).toMatchObject({ ok: true, value: { progress: { phase: 'cancelled' }, estate: null, error: null } });
  });

  it('a recent list that cannot be written does not fail a pull that succeeded: the estate is delivered, with a notice', async () => {
    // Keeping a recent copy is best effort; the data directory here is a file (ENOTDIR; EACCES and
    // ENOSPC take the same path). It is never reported as an Azure error.
    const notADir = join(dataDir, 'data');
    await writeFile(notADir, 'a file, not a directory');
    const pull: PullFunction = async () => fakeSnapshot('pull', ['snet-a', 'snet-b']);
    const { api } = services({ pull, recent: createRecentStore({ dataDir: notADir }) });
    const started = await api.startPull(PULL);
    if (!started.ok) throw new Error('start');
    await api.pullSettled(started.value.jobId);
    const status = await api.pullStatus({ jobId: started.value.jobId });
    if (!status.ok) throw new Error(status.error.message);
    expect(status.value).toMatchObject({ progress: { phase: 'done' }, error: null, estate: { summary: { title: 'Live pull contoso.example', subnetCount: 2 } } });
    expect(status.value.progress.message).toMatch(/no copy could be kept in the recent list \(.*ENOTDIR/);
    // The page opens the estate as soon as the job is done and the pull panel goes with the start
    // screen, so the progress message is never seen: the notice travels with the estate.
    expect(status.value.notice).toMatch(/^The estate is open, but no copy could be kept in the recent list \(.*ENOTDIR.*\): to open it again later, pull again$/);
  });

  // The same best effort for a demo and imported files: a read-only data directory (a locked-down
  // desktop) must not stop the app from opening anything.
  it('a recent list that cannot be written does not stop a demo or imported files from opening: the estate comes with a notice, and no entry is listed', async () => {
    const notADir = join(dataDir, 'data-for-open');
    await writeFile(notADir, 'a file, not a directory');
    const { api } = services({ recent: createRecentStore({ dataDir: notADir }) });
    const demo = await api.openDemo({ name: 'bank' });
    if (!demo.ok) throw new Error(demo.error.message);
    expect(demo.value.summary.title).toMatch(/bank/i);
    expect(demo.value.notice).toMatch(/^The estate is open, but it could not be kept in the recent list \((EEXIST|ENOTDIR)\b.*\): to open it again later, open it the same way$/);
    const imported = await api.importFiles({ files: [{ name: 'spoke.json', text: '{"subnets":["a"]}' }] });
    if (!imported.ok) throw new Error(imported.error.message);
    expect(imported.value.notice).toMatch(/could not be kept in the recent list/);
    // The recent list shows what was kept: neither entry is listed afterwards.
    const recent = await api.listRecent({});
    expect(recent.ok && recent.value.map((e) => e.title)).toEqual([]);
    // Kept: no notice.
    const kept = await services({}).api.openDemo({ name: 'bank' });
    expect(kept.ok && kept.value.notice).toBeUndefined();
  });

  it('a pull whose recent-list copy was kept comes with no notice', async () => {
    const pull: PullFunction = async () => fakeSnapshot('pull', ['snet-a']);
    const { api } = services({ pull });
    const started = await api.startPull(PULL);
    if (!started.ok) throw new Error('start');
    await api.pullSettled(started.value.jobId);
    expect(await api.pullStatus({ jobId: started.value.jobId })).toMatchObject({ ok: true, value: { progress: { phase: 'done' }, notice: null, error: null } });
  });

  it('reports a failed pull as azure-error data', async () => {
    const pull: PullFunction = async () => { throw new Error('AuthorizationFailed on subscription s1'); };
    const { api } = services({ pull });
    const started = await api.startPull(PULL);
    if (!started.ok) throw new Error('start');
    await api.pullSettled(started.value.jobId);
    expect(await api.pullStatus({ jobId: started.value.jobId })).toMatchObject({
      ok: true,
      value: { progress: { phase: 'failed' }, estate: null, error: { code: 'azure-error', message: 'AuthorizationFailed on subscription s1' } },
    });
  });
});

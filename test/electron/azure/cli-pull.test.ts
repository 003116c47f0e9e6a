import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../electron/cli/args';
import type { CliIo } from '../../../electron/cli/command';
import { createProgressRenderer, progressLine, pullCommand } from '../../../electron/cli/commands/pull';
import { pullEstate } from '../../../electron/azure/pull';
import { scaledClock } from '../../../electron/azure/clock';
import { DEMO_FORBIDDEN_SUBSCRIPTION } from '../../../electron/azure/fake-arm/demo';
import type { PullProgress } from '../../../shared/ipc/contract';
import { smallEstate, startFakeArm, SUB_APPS, SUB_LEGACY, type FakeArm } from '../../fake-arm';
import { resolveEgress } from '../../../shared/egress/index';

function captureIo(cwd: string, isTTY = false): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, isTTY, cwd, env: {}, stdout: (t) => out.push(t), stderr: (t) => err.push(t) };
}

const progress = (over: Partial<PullProgress>): PullProgress => ({
  phase: 'topology', resourcesFound: 1234, requestsMade: 56, throttleWaitMs: 0, etaMs: null, completed: 0, total: null, gaps: [], message: 'Reading', ...over,
});

describe('egress-atlas pull', () => {
  let fake: FakeArm;
  let dir: string;
  beforeAll(async () => {
    fake = await startFakeArm({ estate: smallEstate(), faults: { forbiddenSubscriptions: [SUB_LEGACY] } });
    dir = await mkdtemp(join(tmpdir(), 'egress-atlas-pull-'));
  });
  afterAll(async () => {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('--access-token + --arm-endpoint: pulls, writes the snapshot, lists the gaps', async () => {
    const io = captureIo(dir);
    const code = await pullCommand.run(['--arm-endpoint', fake.url, '--access-token', 'token-from-cli', '--effective-routes', 'none', '--out', 'snap.json'], io);
    expect(code).toBe(0);
    expect(fake.stats.authorizations).toEqual(new Set(['Bearer token-from-cli']));
    const written = JSON.parse(await readFile(join(dir, 'snap.json'), 'utf8')) as { format: string; sha256: string; model: { networkInterfaces: unknown[] } };
    expect(written.format).toBe('egress-atlas/snapshot@1');
    expect(written.model.networkInterfaces).toHaveLength(9); // the legacy subscription's NIC is behind the 403
    const summary = io.out.join('');
    expect(summary).toMatch(/Pulled 3 subscription\(s\)/);
    expect(summary).toContain(`access-denied  /subscriptions/${SUB_LEGACY}`);
    // "wrote … (sha256 …)" goes to stderr, as every command's does; stdout is the summary alone.
    expect(summary).not.toContain('sha256');
    expect(io.err.join('')).toContain(`sha256 ${written.sha256}`);
    // Not a terminal: plain progress lines, no carriage returns.
    expect(io.err.join('')).not.toContain('\r');
    expect(io.err.join('')).toMatch(/^gap: access-denied/m);
  });

  it('--access-token - reads the token from stdin; EGRESS_ATLAS_ACCESS_TOKEN is used without the option', async () => {
    const fromStdin = { ...captureIo(dir), readStdin: () => Promise.resolve('token-from-stdin\n') };
    expect(await pullCommand.run(['--arm-endpoint', fake.url, '--access-token', '-', '--effective-routes', 'none', '--out', join(dir, 'stdin.json')], fromStdin)).toBe(0);
    expect(fake.stats.authorizations.has('Bearer token-from-stdin')).toBe(true);

    const fromEnv = { ...captureIo(dir), env: { EGRESS_ATLAS_ACCESS_TOKEN: 'token-from-env' } };
    expect(await pullCommand.run(['--arm-endpoint', fake.url, '--effective-routes', 'none', '--out', join(dir, 'env.json')], fromEnv)).toBe(0);
    expect(fake.stats.authorizations.has('Bearer token-from-env')).toBe(true);

    const empty = { ...captureIo(dir), readStdin: () => Promise.resolve('  \n') };
    await expect(pullCommand.run(['--arm-endpoint', fake.url, '--access-token', '-', '--out', join(dir, 'x.json')], empty)).rejects.toThrow(/stdin was empty/);
    await expect(pullCommand.run(['--arm-endpoint', fake.url, '--access-token', '-', '--out', join(dir, 'x.json')], captureIo(dir))).rejects.toThrow(/no stdin/);
  });

  it('--subscription repeats and comma-separates', async () => {
    const io = captureIo(dir);
    const before = fake.stats.byKind.get('subscriptions') ?? 0;
    expect(await pullCommand.run(['--arm-endpoint', fake.url, '--access-token', 't', '--subscription', SUB_APPS, '--effective-routes', 'none', '--out', join(dir, 'apps.json')], io)).toBe(0);
    expect(fake.stats.byKind.get('subscriptions') ?? 0).toBe(before);
    expect(io.out.join('')).toMatch(/Pulled 1 subscription\(s\)/);
  });

  it('refuses plain http to a non-loopback endpoint, and bad flags, as usage errors', async () => {
    const io = captureIo(dir);
    await expect(pullCommand.run(['--arm-endpoint', 'http://10.1.2.3:8080', '--access-token', 't', '--out', 'x.json'], io)).rejects.toThrow(UsageError);
    await expect(pullCommand.run(['--arm-endpoint', 'http://10.1.2.3:8080', '--access-token', 't', '--out', 'x.json'], io)).rejects.toThrow(/only for loopback/);
    await expect(pullCommand.run(['--cloud', 'mars', '--out', 'x.json'], io)).rejects.toThrow(/--cloud/);
    await expect(pullCommand.run(['--effective-routes', 'some', '--out', 'x.json'], io)).rejects.toThrow(/effective-routes/);
    await expect(pullCommand.run(['--subscription', 'not-a-guid', '--out', 'x.json'], io)).rejects.toThrow(/GUID/);
    await expect(pullCommand.run(['--access-token', 't'], io)).rejects.toThrow(/--out/);
  });
});

describe('progress rendering', () => {
  it('a status line has phase, bar, resources, requests, throttling and ETA', () => {
    expect(progressLine(progress({ phase: 'effective-routes', completed: 5, total: 10, throttleWaitMs: 3_000, etaMs: 65_000 }), 10))
      .toBe('effective-routes [#####.....]  50% | 1,234 resources | 56 requests | throttled 3s | ETA 1m05s');
  });

  it('on a terminal, redraws with \\r at most 10 times a second', () => {
    let now = 0;
    const io = captureIo('/', true);
    const r = createProgressRenderer(io, () => now);
    for (let i = 0; i < 50; i++) {
      r.update(progress({ requestsMade: i }));
      now += 10; // 50 updates over 0.5 s
    }
    r.finish();
    const draws = io.err.filter((t) => t.startsWith('\r'));
    expect(draws.length).toBeLessThanOrEqual(7);
    expect(draws.at(-1)).toContain('49 requests');
    expect(io.err.at(-1)).toBe('\n');
  });
});

describe('--demo-azure', () => {
  it('pulls the bundled fake estate: waits, a 403 subscription and a stopped VM show up as gaps', async () => {
    const outcome = await pullEstate({
      cloud: 'AzurePublicCloud', tenantId: null, subscriptionIds: [], effectiveRoutes: 'sample', metrics: true, demoAzure: true,
      clock: scaledClock(25), budgets: { lroPollIntervalMs: 5 },
    }, () => undefined);
    const { snapshot, stats } = outcome;
    expect(snapshot.metadata.source).toBe('demo');
    expect(snapshot.model.networkInterfaces.length).toBeGreaterThan(200);
    expect(snapshot.gaps).toContainEqual(expect.objectContaining({ code: 'access-denied', scope: `/subscriptions/${DEMO_FORBIDDEN_SUBSCRIPTION}` }));
    expect(snapshot.gaps.some((g) => g.code === 'effective-routes-unavailable')).toBe(true);
    expect(stats.throttledResponses).toBeGreaterThanOrEqual(2);
    expect(stats.throttleWaitMs).toBeGreaterThan(0);
    expect(snapshot.effectiveRoutes.length).toBeGreaterThan(3);
    expect(snapshot.metrics.length).toBeGreaterThan(0);
    // The demo Azure answers effective routes that agree with its own route tables and peerings
    // (UDRs included), as Azure does: no route drift, and the bank's spokes still go through the firewall.
    const result = resolveEgress(snapshot);
    expect(result.findings.filter((f) => f.code === 'route-drift')).toEqual([]);
    const cardAuth = result.paths.find((p) => p.source.name === 'snet-card-auth');
    expect(cardAuth?.via.map((v) => v.id.split('/').pop())).toEqual(['afw-hub-weu']);
    expect(result.paths.filter((p) => p.verdict === 'unknown')).toEqual([]);
    // The bank's VMs are served (slim Resource Graph rows): the reporting VM is a Flexible scale set
    // instance, so its NIC has no outbound access instead of default outbound access [DOA].
    expect(snapshot.model.networkInterfaces.find((n) => n.name === 'nic-vm-payrpt-01')).toMatchObject({ flexibleScaleSetMember: true, virtualMachineCaptured: true });
    expect(snapshot.model.networkInterfaces.find((n) => n.name === 'nic-vm-payapi-02')).toMatchObject({ flexibleScaleSetMember: false, virtualMachineCaptured: true });
    expect(result.paths.find((p) => p.source.name === 'nic-vm-payrpt-01')).toMatchObject({ verdict: 'no-outbound' });
  });
});

describe('egress-atlas pull: a snapshot that cannot be written', () => {
  it('reports the error and leaves no temporary file (the estate topology) behind', async () => {
    // writeSnapshot writes `<out>.<pid>.tmp`, then renames it; here the rename fails (--out names a
    // directory, EISDIR), the path ENOSPC / EACCES take in the middle of the write as well.
    const fake = await startFakeArm({ estate: smallEstate() });
    const dir = await mkdtemp(join(tmpdir(), 'egress-atlas-pull-write-'));
    try {
      const out = join(dir, 'snap.json');
      await mkdir(out);
      const io = captureIo(dir);
      const result = await pullCommand.run(['--arm-endpoint', fake.url, '--access-token', 'tok', '--effective-routes', 'none', '--out', out], io)
        .then((code) => `exit ${code}`, (e: unknown) => `threw: ${String(e)}`);
      expect(result).toMatch(/^threw: .*EISDIR/);
      expect(await readdir(dir)).toEqual(['snap.json']);
    } finally {
      await fake.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

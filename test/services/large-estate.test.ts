/**
 * The main side of a large estate (issue 12, "Open big estates fast") on the real services: a
 * synthetic tenant's ARM bundle written to disk, loaded in the background with progress
 * (`startLoad` / `loadStatus`), then opened as the page does: the flow overview (`estateOverview`),
 * windows of list rows (`flowSources`, all or one band's) and one source's path with only the
 * resources it touches (`sourcePath`). Also the Open dialog operation with a fake chooser, and
 * the request validation in front of the new operations.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSyntheticEstate } from '../../shared/demo/index';
import { LARGE_ESTATE_SOURCES, type EstateOverview, type LoadProgress } from '../../shared/ipc/contract';
import { createDefaultServices } from '../../electron/services/default-services';
import { handleUntrustedRequest } from '../../electron/services/dispatch';
import type { MainServices } from '../../electron/services/main-services';

const ESTATE = { subscriptions: 3, virtualNetworks: 30, subnets: 2200, networkInterfaces: 2600, seed: 41 } as const;

let dir: string;
let file: string;
let services: MainServices;
let estateId: string;
const progress: LoadProgress[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'egress-atlas-large-estate-'));
  file = join(dir, 'tenant.json');
  await writeFile(file, JSON.stringify(generateSyntheticEstate(ESTATE)));
  services = createDefaultServices({ dataDir: null });
  const loadId = services.startLoad([file], (p) => progress.push(p));
  const first = await services.loadStatus({ loadId });
  expect(first).toMatchObject({ ok: true, value: { loadId, estateId: null, error: null } });
  const status = await services.loadSettled(loadId);
  if (status?.estateId == null) throw new Error(`load failed: ${status?.error?.message ?? 'no status'}`);
  estateId = status.estateId;
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function overview(grouping: EstateOverview['overview']['grouping']): Promise<EstateOverview> {
  const r = await services.estateOverview({ estateId, grouping });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('a large estate loaded on the main side', () => {
  it('reports its progress stage by stage, and loadStatus ends with the estate', async () => {
    const stages = progress.map((p) => p.stage);
    expect(stages[0]).toBe('reading');
    expect(stages.slice(-3)).toEqual(['building', 'built', 'resolved']);
    const reading = progress.filter((p): p is Extract<LoadProgress, { stage: 'reading' }> => p.stage === 'reading');
    expect(reading.at(-1)?.bytesRead).toBe(reading.at(-1)?.totalBytes);
    const built = progress.find((p) => p.stage === 'built');
    expect(built).toMatchObject({ subnets: ESTATE.subnets });
    const listed = await services.loadStatus({ loadId: 'load-nope' });
    expect(listed).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('opens as large: the overview accounts for every source, and no snapshot is needed', async () => {
    const o = await overview('virtual-network');
    const resolved = await services.resolve({ estateId, destination: null });
    if (!resolved.ok) throw new Error(resolved.error.message);
    expect(o.sourceCount).toBe(resolved.value.paths.length);
    expect(o.sourceCount).toBeGreaterThan(LARGE_ESTATE_SOURCES);
    expect(o.large).toBe(true);
    expect(o.summary).toMatchObject({ estateId, title: 'tenant.json', subnetCount: ESTATE.subnets });
    const sources = o.overview.nodes.filter((n) => n.column === 'source');
    expect(sources.reduce((s, n) => s + n.count, 0)).toBe(o.sourceCount);
    // The answer is small: a summary and bands, not hundreds of MB of paths.
    expect(JSON.stringify(o).length).toBeLessThan(200_000);
    const owner = await overview('owner');
    expect(owner.overview.grouping).toBe('owner');
    expect(owner.overview.nodes.filter((n) => n.column === 'source').reduce((s, n) => s + n.count, 0)).toBe(o.sourceCount);
  });

  it('serves the list a window at a time, stably ordered, and one band\'s sources exactly', async () => {
    const o = await overview('virtual-network');
    const page1 = await services.flowSources({ estateId, grouping: 'virtual-network', bandId: null, offset: 0, limit: 100 });
    const page2 = await services.flowSources({ estateId, grouping: 'virtual-network', bandId: null, offset: 100, limit: 100 });
    if (!page1.ok || !page2.ok) throw new Error('flowSources failed');
    expect(page1.value.total).toBe(o.sourceCount);
    expect(page1.value.rows).toHaveLength(100);
    const ids = new Set([...page1.value.rows, ...page2.value.rows].map((r) => r.sourceId));
    expect(ids.size).toBe(200);
    const again = await services.flowSources({ estateId, grouping: 'virtual-network', bandId: null, offset: 0, limit: 100 });
    expect(again.ok && again.value.rows.map((r) => r.sourceId)).toEqual(page1.value.rows.map((r) => r.sourceId));
    const end = await services.flowSources({ estateId, grouping: 'virtual-network', bandId: null, offset: o.sourceCount + 50, limit: 100 });
    expect(end).toMatchObject({ ok: true, value: { total: o.sourceCount, offset: o.sourceCount, rows: [] } });

    const bypass = o.overview.bands.find((b) => b.bypass && b.from.startsWith('s:'));
    expect(bypass).toBeDefined();
    if (!bypass) return;
    const rows = await services.flowSources({ estateId, grouping: 'virtual-network', bandId: bypass.id, offset: 0, limit: 2000 });
    if (!rows.ok) throw new Error(rows.error.message);
    expect(rows.value.total).toBe(bypass.count);
    expect(rows.value.rows.every((r) => r.bypass && r.verdict === 'internet' && r.inspection === 'No inspection')).toBe(true);
    const unknownBand = await services.flowSources({ estateId, grouping: 'virtual-network', bandId: 'x>y', offset: 0, limit: 10 });
    expect(unknownBand).toMatchObject({ ok: true, value: { total: 0, rows: [] } });
  });

  it('gives one source\'s path with just the resources it touches', async () => {
    const rows = await services.flowSources({ estateId, grouping: 'verdict', bandId: null, offset: 0, limit: 2000 });
    if (!rows.ok) throw new Error(rows.error.message);
    const nic = rows.value.rows.find((r) => r.type === 'nic' && r.verdict === 'internet');
    expect(nic).toBeDefined();
    if (!nic) return;
    const details = await services.sourcePath({ estateId, sourceId: nic.sourceId.toUpperCase() });
    if (!details.ok) throw new Error(details.error.message);
    expect(details.value.path.source.id).toBe(nic.sourceId);
    expect(details.value.destination).toBe('0.0.0.0/0');
    const m = details.value.model;
    expect(m.networkInterfaces.map((n) => n.id)).toContain(nic.sourceId.toLowerCase());
    const subnetId = m.networkInterfaces.find((n) => n.id === nic.sourceId.toLowerCase())?.ipConfigurations[0]?.subnetId;
    expect(m.subnets.map((s) => s.id)).toContain(subnetId);
    expect(m.virtualNetworks).toHaveLength(m.subnets.some((s) => s.virtualNetworkId !== m.subnets[0]?.virtualNetworkId) ? 2 : 1);
    expect(m.subnets.length).toBeLessThan(10);
    expect(JSON.stringify(details.value).length).toBeLessThan(100_000);
    expect(await services.sourcePath({ estateId, sourceId: '/subscriptions/x/nope' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('refuses malformed requests to the new operations before they reach the services', async () => {
    expect(await handleUntrustedRequest(services, 'flowSources', { estateId, grouping: 'virtual-network', bandId: null, offset: 0, limit: 1_000_000 }))
      .toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(await handleUntrustedRequest(services, 'estateOverview', { estateId, grouping: 'team' })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(await handleUntrustedRequest(services, 'estateOverview', { estateId: 'estate-unknown', grouping: 'owner' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });
});

describe('the Open dialog on the main side', () => {
  it('is unsupported without a chooser (browser mode)', async () => {
    expect(await services.openFileDialog({})).toMatchObject({ ok: false, error: { code: 'unsupported' } });
  });

  it('loads the chosen files on the main side, or nothing when cancelled', async () => {
    let answer: readonly string[] | null = null;
    const desktop = createDefaultServices({ dataDir: null, chooseFiles: async () => answer });
    expect(await desktop.openFileDialog({})).toEqual({ ok: true, value: { loadId: null } });
    answer = [file];
    const chosen = await desktop.openFileDialog({});
    if (!chosen.ok || chosen.value.loadId === null) throw new Error('no load started');
    const status = await desktop.loadSettled(chosen.value.loadId);
    expect(status?.error).toBeNull();
    expect(status?.progress).toMatchObject({ stage: 'resolved' });
    const o = await desktop.estateOverview({ estateId: status?.estateId ?? '', grouping: 'subscription' });
    expect(o).toMatchObject({ ok: true, value: { large: true, summary: { title: 'tenant.json' } } });
    answer = [join(dir, 'missing.json')];
    const missing = await desktop.openFileDialog({});
    if (!missing.ok || missing.value.loadId === null) throw new Error('no load started');
    const failed = await desktop.loadSettled(missing.value.loadId);
    expect(failed?.estateId).toBeNull();
    expect(failed?.error?.message).toMatch(/missing\.json/);
  }, 120_000);
});

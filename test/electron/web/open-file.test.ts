/**
 * Browser mode with a file to open (`egress-atlas ui FILE`, `npm run web -- FILE`): the main side
 * loads it before listening, the URL says `estate=<id>` and `openLoaded` answers that estate
 * (its default route already resolved) without the page uploading anything.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSyntheticEstate } from '../../../shared/demo/index';
import { IPC_OPERATIONS, type EgressAtlasApi } from '../../../shared/ipc/contract';
import { createDefaultServices } from '../../../electron/services/default-services';
import { formatLoadProgress, progressPrinter, type LoadProgress } from '../../../electron/services/load-estate';
import { parseServeArgs } from '../../../electron/web/serve';
import { openUrl, startWebServer, type WebServer } from '../../../electron/web/server';

let root: string;
let dist: string;
let estateFile: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'egress-atlas-open-file-'));
  dist = join(root, 'dist');
  await mkdir(dist, { recursive: true });
  await writeFile(join(dist, 'index.html'), '<!doctype html><title>Egress Atlas</title>');
  estateFile = join(root, 'estate.json');
  await writeFile(estateFile, JSON.stringify(generateSyntheticEstate({ subscriptions: 1, virtualNetworks: 2, subnets: 6, networkInterfaces: 24, seed: 1 })));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

interface Answer {
  readonly ok: boolean;
  readonly value: { readonly summary: Record<string, unknown>; readonly snapshot: { readonly model: { readonly subnets: readonly unknown[] } } };
  readonly error?: { readonly code: string };
}

async function call(server: WebServer, op: string, body: unknown): Promise<Answer> {
  const res = await fetch(`${server.origin}/api/${op}`, {
    method: 'POST', body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', 'X-Egress-Atlas-Token': server.token },
  });
  return await res.json() as Answer;
}

describe('browser mode with a file to open', () => {
  it('loads the file on the main side, reports progress, and the URL names the estate instead of a demo', async () => {
    const progress: LoadProgress[] = [];
    const server = await startWebServer({ staticDir: dist, openPaths: [estateFile], onLoadProgress: (p) => progress.push(p), dataDir: null });
    try {
      expect(server.estateId).toMatch(/^estate-/);
      const url = new URL(server.url);
      const fragment = new URLSearchParams(url.hash.slice(1));
      expect(fragment.get('estate')).toBe(server.estateId);
      expect(fragment.get('demo')).toBeNull();
      expect(fragment.get('code')).toBeTruthy();

      const stages = progress.map((p) => p.stage);
      expect(stages[0]).toBe('reading');
      expect(stages.slice(-3)).toEqual(['building', 'built', 'resolved']);
      const built = progress.find((p) => p.stage === 'built');
      expect(built).toMatchObject({ subnets: 6, networkInterfaces: 24 });
      const resolved = progress.find((p) => p.stage === 'resolved');
      expect(resolved && resolved.stage === 'resolved' ? resolved.sources : 0).toBeGreaterThan(0);

      const opened = await call(server, 'openLoaded', { estateId: server.estateId });
      expect(opened.ok).toBe(true);
      expect(opened.value.summary).toMatchObject({ estateId: server.estateId, title: 'estate.json', subnetCount: 6, networkInterfaceCount: 24 });
      expect(opened.value.snapshot.model.subnets).toHaveLength(6);
      const result = await call(server, 'resolve', { estateId: server.estateId, destination: null });
      expect(result.ok).toBe(true);

      const missing = await call(server, 'openLoaded', { estateId: 'estate-nope' });
      expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
      const malformed = await call(server, 'openLoaded', { estateId: 'has space' });
      expect(malformed).toMatchObject({ ok: false, error: { code: 'invalid-request' } });

      // A second window gets a fresh code for the same estate.
      const again = new URLSearchParams(new URL(server.launchUrl(null, server.estateId)).hash.slice(1));
      expect(again.get('estate')).toBe(server.estateId);
      expect(again.get('code')).not.toBe(fragment.get('code'));
    } finally {
      await server.close();
    }
  });

  it('opens a directory of ARM files too', async () => {
    const dir = join(root, 'bundle');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'estate.json'), JSON.stringify(generateSyntheticEstate({ subscriptions: 1, virtualNetworks: 1, subnets: 2, networkInterfaces: 2, seed: 2 })));
    const server = await startWebServer({ staticDir: dist, openPaths: [dir], dataDir: null });
    try {
      const opened = await call(server, 'openLoaded', { estateId: server.estateId });
      expect(opened.value.summary).toMatchObject({ title: 'bundle', subnetCount: 2 });
    } finally {
      await server.close();
    }
  });

  it('rejects a missing or bad file before listening', async () => {
    await expect(startWebServer({ staticDir: dist, openPaths: [join(root, 'missing.json')], dataDir: null })).rejects.toThrow(/missing\.json/);
    const bad = join(root, 'bad.json');
    await writeFile(bad, '{ not json');
    await expect(startWebServer({ staticDir: dist, openPaths: [bad], dataDir: null })).rejects.toThrow(/bad\.json/);
  });

  it('needs the main services to preload (a bare API cannot keep an estate)', async () => {
    const api = Object.fromEntries(IPC_OPERATIONS.map((op) => [op, async () => ({ ok: true, value: op })])) as unknown as EgressAtlasApi;
    await expect(startWebServer({ services: api, staticDir: dist, openPaths: [estateFile] })).rejects.toThrow(/MainServices/);
    const services = createDefaultServices({ dataDir: null });
    const server = await startWebServer({ services, staticDir: dist, openPaths: [estateFile] });
    try {
      expect((await services.openLoaded({ estateId: server.estateId ?? '' })).ok).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('without a file the URL is as before, and estate wins over demo in openUrl', () => {
    expect(openUrl('http://127.0.0.1:1', 'c', 'bank')).toBe('http://127.0.0.1:1/?launch#code=c&demo=bank');
    expect(openUrl('http://127.0.0.1:1', 'c', 'bank', 'estate-1')).toBe('http://127.0.0.1:1/?launch#code=c&estate=estate-1');
  });

  it('npm run web -- FILE...: positional arguments are the files to open', () => {
    expect(parseServeArgs(['a.json', '--port', '0', 'dir'])).toEqual({ demo: 'bank', port: 0, dataDir: null, quiet: false, paths: ['a.json', 'dir'] });
    expect(parseServeArgs([])).not.toHaveProperty('paths');
    expect(typeof parseServeArgs(['-x'])).toBe('string');
  });

  it('prints progress lines: reading throttled to every 10%, every other stage', () => {
    const lines: string[] = [];
    let t = 0;
    const print = progressPrinter((l) => lines.push(l), () => (t += 100));
    for (let read = 1; read <= 100; read++) print({ stage: 'reading', bytesRead: read * 1024 * 1024, totalBytes: 100 * 1024 * 1024, file: 'big.json' });
    print({ stage: 'building', bytesRead: 100 * 1024 * 1024 });
    print({ stage: 'built', resources: 10, subnets: 2, networkInterfaces: 5 });
    print({ stage: 'resolved', sources: 7 });
    expect(lines.filter((l) => l.includes('reading')).length).toBeLessThanOrEqual(11);
    expect(lines.at(-4)).toContain('reading 100.0 / 100.0 MB (big.json)');
    expect(lines.at(-1)).toMatch(/^\[\d+\.\d s\] 7 sources resolved$/);
    expect(formatLoadProgress({ stage: 'built', resources: 10, subnets: 2, networkInterfaces: 5 })).toBe('10 resources (2 subnets, 5 NICs); resolving…');
  });
});

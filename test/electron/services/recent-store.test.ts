import { chmod, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRecentStore } from '../../../electron/services/recent-store';

let dataDir: string;
beforeEach(async () => { dataDir = await mkdtemp(join(tmpdir(), 'egress-atlas-recent-')); });
afterEach(async () => { await rm(dataDir, { recursive: true, force: true }); });

const clock = () => {
  let t = Date.parse('2026-11-26T06:00:00Z');
  return () => new Date((t += 60_000));
};

describe('recent store', () => {
  it('persists entries newest first and moves a reopened one to the top instead of duplicating it', async () => {
    const store = createRecentStore({ dataDir, now: clock() });
    const bank = await store.add('Contoso Bank', { kind: 'demo', demoName: 'bank' });
    await store.add('vnets.json', { kind: 'files', files: [{ name: 'vnets.json', text: '{}' }] });
    const again = await store.add('Contoso Bank', { kind: 'demo', demoName: 'bank' });
    expect(again.id).toBe(bank.id);
    expect((await store.list()).map((e) => e.title)).toEqual(['Contoso Bank', 'vnets.json']);

    const onDisk = JSON.parse(await readFile(join(dataDir, 'recent.json'), 'utf8')) as { format: string; entries: unknown[] };
    expect(onDisk.format).toBe('egress-atlas/recent@1');
    expect(onDisk.entries).toHaveLength(2);
    expect((await createRecentStore({ dataDir }).list()).map((e) => e.title)).toEqual(['Contoso Bank', 'vnets.json']);
  });

  it('keeps the imported texts so the entry can be reopened', async () => {
    const store = createRecentStore({ dataDir });
    const files = [{ name: 'a.json', text: '{"a":1}' }, { name: 'b.json', text: '{"b":2}' }];
    const entry = await store.add('a.json + 1 more', { kind: 'files', files });
    expect(await createRecentStore({ dataDir }).load(entry.id)).toEqual({ entry, source: { kind: 'files', files } });
  });

  it('writes the list and the file copies owner-only, even under a permissive umask', async () => {
    const appDir = join(dataDir, 'Egress Atlas');
    const previous = process.umask(0o002);
    try {
      const store = createRecentStore({ dataDir: appDir });
      const entry = await store.add('a.json', { kind: 'files', files: [{ name: 'a.json', text: '{"a":1}' }] });
      const mode = async (path: string): Promise<number> => (await stat(path)).mode & 0o777;
      expect(await mode(appDir)).toBe(0o700);
      expect(await mode(join(appDir, 'recent.json'))).toBe(0o600);
      expect(await mode(join(appDir, 'recent'))).toBe(0o700);
      expect(await mode(join(appDir, 'recent', `${entry.id}.json`))).toBe(0o600);
    } finally {
      process.umask(previous);
    }
  });

  it('lists but does not keep texts over the per-entry cap, and evicts old texts over the total budget', async () => {
    const store = createRecentStore({ dataDir, maxEntryChars: 100, maxTotalChars: 150 });
    const huge = await store.add('huge.json', { kind: 'files', files: [{ name: 'huge.json', text: 'x'.repeat(200) }] });
    expect(await store.load(huge.id)).toMatchObject({ entry: { title: 'huge.json' }, source: null });

    const older = await store.add('older.json', { kind: 'files', files: [{ name: 'older.json', text: 'o'.repeat(80) }] });
    const newer = await store.add('newer.json', { kind: 'files', files: [{ name: 'newer.json', text: 'n'.repeat(80) }] });
    expect(await store.load(newer.id)).toMatchObject({ source: { kind: 'files' } });
    expect(await store.load(older.id)).toMatchObject({ source: null });
    expect(await readdir(join(dataDir, 'recent'))).toEqual([`${newer.id}.json`]);
  });

  it('keeps at most maxEntries entries', async () => {
    const store = createRecentStore({ dataDir, maxEntries: 3 });
    for (const name of ['a', 'b', 'c', 'd', 'e']) await store.add(name, { kind: 'files', files: [{ name, text: name }] });
    expect((await store.list()).map((e) => e.title)).toEqual(['e', 'd', 'c']);
    expect(await readdir(join(dataDir, 'recent'))).toHaveLength(3);
  });

  it('starts empty when recent.json is damaged, and drops malformed entries', async () => {
    await writeFile(join(dataDir, 'recent.json'), '{ not json');
    expect(await createRecentStore({ dataDir }).list()).toEqual([]);
    await writeFile(join(dataDir, 'recent.json'), JSON.stringify({
      format: 'egress-atlas/recent@1',
      entries: [
        { id: 'ok-1', title: 'Bank', openedAt: '2026-11-26T06:00:00.000Z', kind: 'demo', contentKey: 'demo:bank', demoName: 'bank', storedChars: 0 },
        { id: '../../etc/passwd', title: 'x', openedAt: 'x', kind: 'files', contentKey: 'k', demoName: null, storedChars: 5 },
        { id: 'bad-kind', title: 'x', openedAt: 'x', kind: 'shell', contentKey: 'k', demoName: null, storedChars: 0 },
      ],
    }));
    expect((await createRecentStore({ dataDir }).list()).map((e) => e.id)).toEqual(['ok-1']);
  });

  it('works in memory when there is no data directory', async () => {
    const store = createRecentStore({ dataDir: null });
    const entry = await store.add('x.json', { kind: 'files', files: [{ name: 'x.json', text: '{}' }] });
    expect(await store.load(entry.id)).toMatchObject({ source: { files: [{ name: 'x.json' }] } });
  });
});

describe('owner-only copies (README: "written owner-only (0600)")', () => {
  // writeFile's and mkdir's modes apply only when they create: a copy an older version left
  // world-readable must become owner-only when the same files are opened again.
  it('re-writes an existing world-readable copy and folder owner-only', async () => {
    const files = [{ name: 'vnets.json', text: '{"value":[]}' }];
    const entry = await createRecentStore({ dataDir }).add('vnets.json', { kind: 'files', files });
    const copy = join(dataDir, 'recent', `${entry.id}.json`);
    await chmod(copy, 0o644);
    await chmod(join(dataDir, 'recent'), 0o755);
    await chmod(dataDir, 0o755);
    const again = await createRecentStore({ dataDir }).add('vnets.json', { kind: 'files', files });
    expect(again.id).toBe(entry.id);
    const mode = async (path: string): Promise<string> => ((await stat(path)).mode & 0o777).toString(8);
    expect(await mode(copy)).toBe('600');
    expect(await mode(join(dataDir, 'recent'))).toBe('700');
    expect(await mode(dataDir)).toBe('700');
    expect((await readdir(join(dataDir, 'recent'))).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});

/**
 * An input directory is read with its direct subdirectories, no deeper. `.json` files further
 * down (`nest/a/b/file.json`) used to be skipped silently: each such directory is now a
 * `skipped-input` gap saying where they are and that only two levels are read.
 * Symbolic links are followed (Dirent describes the link, not what it points to), with real paths
 * tracked so a loop ends; the search below the levels read is bounded for the whole listing, and
 * a directory it could not finish is named as one that may hold .json files.
 */
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSnapshot, loadInputs } from '../../../electron/snapshot';
import { inputFileList } from '../../../electron/snapshot/load';
import { buildDemoSnapshot } from '../../../electron/snapshot/demo-snapshot';
import { findDemo } from '../../../shared/demo/index';
import type { Gap } from '../../../shared/model/gaps';
import { runCliIn } from '../../support/cli-run';
import { createDefaultServices } from '../../../electron/services/default-services';
import { loadEstateFromPaths } from '../../../electron/services/load-estate';

let root = '';
const OPTIONS = { toolVersion: 'test', now: () => new Date('2026-01-01T00:00:00Z') };
const deeperGaps = (gaps: readonly Gap[]): Gap[] => gaps.filter((g) => g.code === 'skipped-input' && /not read: only the directory given/.test(g.message));

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'egress-atlas-deeper-'));
  const demo = findDemo('bank');
  if (!demo) throw new Error('no bank demo');
  const snapshot = formatSnapshot(buildDemoSnapshot(demo, new Date('2026-01-01T00:00:00Z')));
  // nest/bank.json (read), nest/a/sub.json (read: a direct subdirectory), nest/a/b/file.json and
  // nest/a/c/d/x.json (deeper: not read), nest/a/e/notes.txt (deeper, no .json: nothing to say),
  // nest/a/.hidden/y.json (hidden: skipped as hidden files are).
  await mkdir(join(root, 'nest/a/b'), { recursive: true });
  await mkdir(join(root, 'nest/a/c/d'), { recursive: true });
  await mkdir(join(root, 'nest/a/e'), { recursive: true });
  await mkdir(join(root, 'nest/a/.hidden'), { recursive: true });
  await writeFile(join(root, 'nest/bank.json'), snapshot);
  await writeFile(join(root, 'nest/a/sub.json'), snapshot);
  await writeFile(join(root, 'nest/a/b/file.json'), snapshot);
  await writeFile(join(root, 'nest/a/c/d/x.json'), snapshot);
  await writeFile(join(root, 'nest/a/e/notes.txt'), 'not an export');
  await writeFile(join(root, 'nest/a/.hidden/y.json'), snapshot);
  // only-deep: nothing in the two levels read, .json files below them.
  await mkdir(join(root, 'only-deep/x/y'), { recursive: true });
  await writeFile(join(root, 'only-deep/x/y/z.json'), snapshot);
  // flat: a single snapshot with nothing deeper stays the same snapshot, hash and all.
  await mkdir(join(root, 'flat/sub'), { recursive: true });
  await writeFile(join(root, 'flat/sub/bank.json'), snapshot);
  // many: 25 deeper directories with .json files: 20 named, the rest counted.
  for (let i = 0; i < 25; i++) {
    const d = join(root, `many/top/deep${String(i).padStart(2, '0')}`);
    await mkdir(d, { recursive: true });
    await cp(join(root, 'nest/bank.json'), join(d, 'f.json'));
  }
  await writeFile(join(root, 'many/bank.json'), snapshot);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('directories deeper than the two levels read', () => {
  it('lists the files of the two levels, and a gap for each deeper directory holding .json files', async () => {
    const { files, gaps } = await inputFileList([join(root, 'nest')]);
    expect(files.map((f) => f.name)).toEqual(['nest/a/sub.json', 'nest/bank.json']);
    expect(gaps).toEqual([
      { code: 'skipped-input', scope: 'nest/a/b', message: 'nest/a/b holds .json files that were not read: only the directory given (nest) and its direct subdirectories are read. Give nest/a/b (or its files) as an input to read them.' },
      { code: 'skipped-input', scope: 'nest/a/c', message: 'nest/a/c holds .json files that were not read: only the directory given (nest) and its direct subdirectories are read. Give nest/a/c (or its files) as an input to read them.' },
    ]);
  });

  it('loadInputs records those gaps in the snapshot (the depth read is unchanged)', async () => {
    const snapshot = await loadInputs([join(root, 'nest')], OPTIONS);
    expect(deeperGaps(snapshot.gaps).map((g) => g.scope)).toEqual(['nest/a/b', 'nest/a/c']);
    expect(snapshot.metadata.origin).toEqual(['nest/a/sub.json', 'nest/bank.json']);
  });

  it('a directory with nothing deeper gives no such gap, and a lone snapshot in it is returned unchanged', async () => {
    const { gaps } = await inputFileList([join(root, 'flat')]);
    expect(gaps).toEqual([]);
    const snapshot = await loadInputs([join(root, 'flat')], OPTIONS);
    expect(deeperGaps(snapshot.gaps)).toEqual([]);
    expect(snapshot.metadata.source).not.toBe('import');
  });

  it('names at most 20 deeper directories, and counts the rest in one more gap', async () => {
    const { gaps } = await inputFileList([join(root, 'many')]);
    expect(gaps).toHaveLength(21);
    expect(gaps[0]?.scope).toBe('many/top/deep00');
    expect(gaps[19]?.scope).toBe('many/top/deep19');
    expect(gaps[20]).toEqual({ code: 'skipped-input', scope: 'many', message: '5 more directories under many below its direct subdirectories hold .json files that were not read (the first 20 are named in their own gaps): only the directory given (many) and its direct subdirectories are read.' });
  });

  it('a directory whose only files are deeper: the error says where they are and why they were not read', async () => {
    await expect(loadInputs([join(root, 'only-deep')], OPTIONS)).rejects.toThrow(
      /only-deep: \$: expected a directory with at least one file, found none in it or its direct subdirectories \(only those are read; \.json files are deeper, in only-deep\/x\/y\)/);
  });

  it('the app (npm run web -- DIR, egress-atlas ui DIR) opens the directory with the same gaps', async () => {
    const opened = await loadEstateFromPaths(createDefaultServices({ dataDir: null }), [join(root, 'nest')]);
    expect(deeperGaps(opened.snapshot.gaps).map((g) => g.scope)).toEqual(['nest/a/b', 'nest/a/c']);
  });

  it('the CLI prints the gap as it prints every gap', async () => {
    const run = await runCliIn(root, ['resolve', 'nest']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('  skipped-input  nest/a/b: nest/a/b holds .json files that were not read: only the directory given (nest) and its direct subdirectories are read.');
    expect(run.stdout).toContain('  skipped-input  nest/a/c: ');
  });
});

describe('the search below the two levels read is bounded, and never answers "no" for what it did not look at', () => {
  // The search for .json files below the levels read stops after 10,000 entries for the whole
  // listing (a directory of 100,000 logs must not stall an import). Past that it cannot tell, so
  // the directory is named as one that may hold .json files, not taken as holding none.
  it('a deeper directory with more entries than the limit, its .json files further down: named as "may hold"', async () => {
    await mkdir(join(root, 'big/a/b/z'), { recursive: true });
    await cp(join(root, 'nest/bank.json'), join(root, 'big/bank.json'));
    await cp(join(root, 'nest/bank.json'), join(root, 'big/a/b/z/x.json'));
    await Promise.all(Array.from({ length: 10_001 }, (_, i) => writeFile(join(root, `big/a/b/f${i}.log`), '')));
    const { gaps } = await inputFileList([join(root, 'big')]);
    expect(gaps).toEqual([{
      code: 'skipped-input', scope: 'big/a/b',
      message: 'big/a/b may hold .json files; not scanned past 10,000 entries (the search below the directories read stops there), and none there was read: only the directory given (big) and its direct subdirectories are read. Give big/a/b (or its files) as an input to read them.',
    }]);
  }, 60_000);

  it('the limit counts the whole listing: a later deeper directory, once it is spent, is "may hold" too', async () => {
    await mkdir(join(root, 'spent/a/many'), { recursive: true });
    await mkdir(join(root, 'spent/a/nothing-seen/deep'), { recursive: true });
    await cp(join(root, 'nest/bank.json'), join(root, 'spent/bank.json'));
    await Promise.all(Array.from({ length: 10_000 }, (_, i) => writeFile(join(root, `spent/a/many/f${i}.log`), '')));
    await cp(join(root, 'nest/bank.json'), join(root, 'spent/a/nothing-seen/deep/x.json'));
    const { gaps } = await inputFileList([join(root, 'spent')]);
    expect(gaps.map((g) => [g.scope, g.message.split(';')[0]])).toEqual([['spent/a/nothing-seen', 'spent/a/nothing-seen may hold .json files']]);
  }, 60_000);
});

describe('symbolic links in an input directory are followed, never skipped silently', () => {
  // Dirent.isFile() and isDirectory() describe a link itself (both false), so linked files and
  // directories used to be neither read nor said; an evidence folder is often assembled with links.
  it('a linked .json file is read under its name in the directory; a directory holding only one is read', async () => {
    await mkdir(join(root, 'links-only'), { recursive: true });
    await symlink(join(root, 'nest/bank.json'), join(root, 'links-only/linked.json'));
    const { files, gaps } = await inputFileList([join(root, 'links-only')]);
    expect(files.map((f) => f.name)).toEqual(['links-only/linked.json']);
    expect(gaps).toEqual([]);
    const alone = await loadInputs([join(root, 'links-only')], OPTIONS);
    expect(alone.model.virtualNetworks.length).toBeGreaterThan(0);
    // Next to another input, the file read through the link is named in the snapshot's origin.
    const merged = await loadInputs([join(root, 'links-only'), join(root, 'flat')], OPTIONS);
    expect(merged.metadata.origin).toEqual(['links-only/linked.json', 'flat/sub/bank.json']);
  });

  it('a linked direct subdirectory is read as one; a deeper linked directory holding .json files is named', async () => {
    await mkdir(join(root, 'outside/inner'), { recursive: true });
    await cp(join(root, 'nest/bank.json'), join(root, 'outside/o.json'));
    await cp(join(root, 'nest/bank.json'), join(root, 'outside/inner/i.json'));
    await mkdir(join(root, 'linked/a'), { recursive: true });
    await cp(join(root, 'nest/bank.json'), join(root, 'linked/bank.json'));
    await symlink(join(root, 'outside'), join(root, 'linked/sub'));
    await symlink(join(root, 'outside/inner'), join(root, 'linked/a/deep'));
    const { files, gaps } = await inputFileList([join(root, 'linked')]);
    expect(files.map((f) => f.name)).toEqual(['linked/bank.json', 'linked/sub/o.json']);
    // outside/inner is below the levels read under both of its names: each is named.
    expect(gaps.map((g) => g.scope)).toEqual(['linked/a/deep', 'linked/sub/inner']);
    expect(gaps[0]?.message).toMatch(/^linked\/a\/deep holds \.json files that were not read/);
  });

  it('a link loop ends (real paths are tracked): a link back up, a second link to a directory, and a link to nothing are named', async () => {
    await mkdir(join(root, 'loop/a'), { recursive: true });
    await cp(join(root, 'nest/bank.json'), join(root, 'loop/bank.json'));
    await symlink(join(root, 'loop'), join(root, 'loop/a/up'));
    await symlink(join(root, 'loop/a'), join(root, 'loop/a-again'));
    await symlink(join(root, 'no-such-file.json'), join(root, 'loop/gone.json'));
    const { files, gaps } = await inputFileList([join(root, 'loop')]);
    expect(files.map((f) => f.name)).toEqual(['loop/bank.json']);
    expect(gaps).toEqual([
      { code: 'skipped-input', scope: 'loop/a/up', message: 'loop/a/up is a symbolic link to loop, which is listed already (a link back up, or to a directory met before): not read.' },
      { code: 'skipped-input', scope: 'loop/a-again', message: 'loop/a-again is a symbolic link to loop/a, which is listed already (a link back up, or to a directory met before): not read.' },
      { code: 'skipped-input', scope: 'loop/gone.json', message: 'loop/gone.json is a symbolic link to nothing that exists: not read.' },
    ]);
  });

  it('a directory whose only entry is a link to nothing: the error names it, not "found none"', async () => {
    await mkdir(join(root, 'dangling'), { recursive: true });
    await symlink(join(root, 'no-such-file.json'), join(root, 'dangling/x.json'));
    await expect(loadInputs([join(root, 'dangling')], OPTIONS)).rejects.toThrow(
      /dangling: \$: expected a directory with at least one file, found none; not read: dangling\/x\.json is a symbolic link to nothing that exists$/);
  });
});

describe('the gap counting the deeper directories past the first 20', () => {
  // One directory is "1 more directory ... holds", several "N more directories ... hold".
  it('says "holds" for one', async () => {
    for (let i = 0; i < 21; i++) {
      const d = join(root, `one-more/top/deep${String(i).padStart(2, '0')}`);
      await mkdir(d, { recursive: true });
      await cp(join(root, 'nest/bank.json'), join(d, 'f.json'));
    }
    await cp(join(root, 'nest/bank.json'), join(root, 'one-more/bank.json'));
    const { gaps } = await inputFileList([join(root, 'one-more')]);
    expect(gaps[20]?.message).toBe('1 more directory under one-more below its direct subdirectories holds .json files that were not read (the first 20 are named in their own gaps): only the directory given (one-more) and its direct subdirectories are read.');
  });
});

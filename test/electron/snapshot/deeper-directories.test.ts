/**
 * An input directory is read with its direct subdirectories, no deeper. `.json` files further
 * down (`nest/a/b/file.json`) used to be skipped silently: each such directory is now a
 * `skipped-input` gap saying where they are and that only two levels are read.
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
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

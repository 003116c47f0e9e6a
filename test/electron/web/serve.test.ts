import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { parseServeArgs } from '../../../electron/web/serve';
import { newLinkOnEnter } from '../../../electron/web/server';
import { rendererBuildReason } from '../../../electron/web/renderer-build';
import { toRelativeFilePath } from '../../../electron/web/static-files';

describe('npm run web arguments', () => {
  it('defaults to the bank demo on a free port', () => {
    expect(parseServeArgs([])).toEqual({ demo: 'bank', port: 0, dataDir: null, quiet: false });
  });
  it('reads --demo, --port, --data-dir and --quiet in both spellings', () => {
    expect(parseServeArgs(['--demo', 'health', '--port=8123', '--data-dir', '/tmp/x', '--quiet']))
      .toEqual({ demo: 'health', port: 8123, dataDir: '/tmp/x', quiet: true });
    expect(parseServeArgs(['--demo=none'])).toMatchObject({ demo: null });
  });
  it('reports bad usage as a message', () => {
    for (const args of [['--port', 'eighty'], ['--port', '70000'], ['--demo'], ['--demo', '../x'], ['--demo', 'casino'], ['--verbose']]) {
      expect(typeof parseServeArgs(args), args.join(' ')).toBe('string');
    }
  });
});

describe('a new launch link from the terminal', () => {
  // A launch code expires unused after 10 minutes: Enter in the terminal prints a new link, so a
  // server holding a large estate need not be restarted (and the file read again).
  it('prints one new link per line typed, each freshly minted', async () => {
    const input = new PassThrough();
    const lines: string[] = [];
    let minted = 0;
    newLinkOnEnter(input, () => `http://127.0.0.1:1/?launch#code=c${++minted}&demo=bank`, (line) => lines.push(line));
    input.write('\n');
    input.write('x\n\n');
    input.write('no newline yet');
    await new Promise((r) => setImmediate(r));
    expect(lines).toEqual(['Each link opens once, within 10 minutes: press Enter here for a new one.', 'New link: http://127.0.0.1:1/?launch#code=c1&demo=bank', 'New link: http://127.0.0.1:1/?launch#code=c2&demo=bank', 'New link: http://127.0.0.1:1/?launch#code=c3&demo=bank']);
  });
});

describe('static path mapping', () => {
  it('maps / to index.html and keeps plain asset paths', () => {
    expect(toRelativeFilePath('/')).toBe('index.html');
    expect(toRelativeFilePath('/assets/index-abc.js')).toBe('assets/index-abc.js');
  });
  it('refuses traversal, encoded separators and NUL', () => {
    for (const p of ['/../x', '/a/%2e%2e/x', '/a/..%2fx', '/%5c..%5cx', '/a%00.js', '/%zz', 'relative']) expect(toRelativeFilePath(p), p).toBeNull();
  });
});

describe('renderer build check', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'egress-atlas-build-'));
    await mkdir(join(root, 'renderer', 'components'), { recursive: true });
    await mkdir(join(root, 'shared'), { recursive: true });
    await writeFile(join(root, 'renderer', 'components', 'App.tsx'), 'export {}');
    await writeFile(join(root, 'shared', 'x.ts'), 'export {}');
  });
  afterEach(async () => { await rm(root, { recursive: true, force: true }); });

  const at = (iso: string) => new Date(iso);

  it('asks for a build when index.html is missing or older than a renderer or shared source', async () => {
    expect(await rendererBuildReason(root)).toMatch(/missing/);
    await mkdir(join(root, 'renderer', 'dist'), { recursive: true });
    await writeFile(join(root, 'renderer', 'dist', 'index.html'), '<!doctype html>');
    await utimes(join(root, 'renderer', 'components', 'App.tsx'), at('2026-01-01'), at('2026-01-01'));
    await utimes(join(root, 'shared', 'x.ts'), at('2026-01-01'), at('2026-01-01'));
    await utimes(join(root, 'renderer', 'dist', 'index.html'), at('2026-06-01'), at('2026-06-01'));
    expect(await rendererBuildReason(root)).toBeNull();
    await utimes(join(root, 'shared', 'x.ts'), at('2026-07-01'), at('2026-07-01'));
    expect(await rendererBuildReason(root)).toMatch(/changed/);
  });
});

/**
 * readWholeFile: one read of the file's size (an input export can be 175 MB), the same bytes as
 * readFile for a regular file, an empty file, a file with no size (a /proc file) and a pipe.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWholeFile } from '../../../electron/snapshot/files';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'egress-atlas-read-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readWholeFile', () => {
  it('reads a regular file of several MB byte for byte', async () => {
    const bytes = Buffer.alloc(5 * 1024 * 1024 + 17);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) & 0xff;
    const path = join(dir, 'big.json');
    await writeFile(path, bytes);
    expect((await readWholeFile(path)).equals(bytes)).toBe(true);
  });

  it('reads an empty file as no bytes', async () => {
    const path = join(dir, 'empty.json');
    await writeFile(path, '');
    expect((await readWholeFile(path)).length).toBe(0);
  });

  it('reads a file whose stat size is 0 but has content (/proc), as readFile does', async () => {
    const path = '/proc/self/status';
    const text = (await readWholeFile(path)).toString('utf8');
    expect(text).toContain('VmRSS');
    expect(text.split('\n')[0]).toBe((await readFile(path, 'utf8')).split('\n')[0]);
  });

  it('reads a named pipe to its end', async () => {
    const path = join(dir, 'pipe');
    execFileSync('mkfifo', [path]);
    // The writer runs in a shell so the open for reading below does not block the test's own thread.
    const writer = import('node:child_process').then(({ spawn }) => spawn('sh', ['-c', `printf '[{"id":"x"}]' > '${path}'`]));
    const [bytes] = await Promise.all([readWholeFile(path), writer]);
    expect(bytes.toString('utf8')).toBe('[{"id":"x"}]');
  });
});

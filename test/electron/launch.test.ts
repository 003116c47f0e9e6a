import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findElectronBinary } from '../../electron/launch';

describe('npm start: finding the Electron binary without triggering its download', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'egress-atlas-launch-'));
    await mkdir(join(root, 'node_modules', 'electron'), { recursive: true });
  });
  afterEach(async () => { await rm(root, { recursive: true, force: true }); });

  it('is null when path.txt is missing (npm ci without the GitHub download)', () => {
    expect(findElectronBinary(root)).toBeNull();
  });

  it('is null when path.txt names a file that is not there', async () => {
    await writeFile(join(root, 'node_modules', 'electron', 'path.txt'), 'electron');
    expect(findElectronBinary(root)).toBeNull();
  });

  it('is the executable under dist/ when both exist', async () => {
    await writeFile(join(root, 'node_modules', 'electron', 'path.txt'), 'electron');
    await mkdir(join(root, 'node_modules', 'electron', 'dist'));
    await writeFile(join(root, 'node_modules', 'electron', 'dist', 'electron'), '#!/bin/sh\n');
    expect(findElectronBinary(root)).toBe(join(root, 'node_modules', 'electron', 'dist', 'electron'));
  });
});

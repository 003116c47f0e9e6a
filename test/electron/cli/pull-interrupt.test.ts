/**
 * `egress-atlas pull`: Ctrl+C while the snapshot is being written. The SIGINT handler used to be
 * removed before the write, so Ctrl+C there killed the process with `<out>.<pid>.tmp` (the estate's
 * whole topology) left behind. The interrupt is sent from the write itself (after its first piece),
 * so the test needs no timing.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { CliIo } from '../../../electron/cli/command';
import { pullCommand } from '../../../electron/cli/commands/pull';
import type { WriteSnapshotOptions } from '../../../electron/snapshot/files';
import type { Snapshot } from '../../../shared/model/snapshot';
import { smallEstate, startFakeArm } from '../../fake-arm';

const written = vi.hoisted(() => ({ pieces: 0, interrupt: false }));

vi.mock('../../../electron/snapshot/index', async (importOriginal) => {
  const actual = await importOriginal<Record<string, unknown>>();
  const files = await import('../../../electron/snapshot/files');
  return {
    ...actual,
    writeSnapshot: (path: string, snapshot: Snapshot, options: WriteSnapshotOptions = {}) => files.writeSnapshot(path, snapshot, {
      ...options,
      onProgress: (at, total) => {
        written.pieces += 1;
        options.onProgress?.(at, total);
        // What a terminal's Ctrl+C delivers to the process.
        if (written.interrupt) process.emit('SIGINT', 'SIGINT');
      },
    }),
  };
});

function captureIo(cwd: string): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, isTTY: false, cwd, env: {}, stdout: (t) => out.push(t), stderr: (t) => err.push(t) };
}

describe('egress-atlas pull: Ctrl+C while the snapshot is written', () => {
  it('stops the write, removes the temporary file, writes nothing and says so (exit 1)', async () => {
    const fake = await startFakeArm({ estate: smallEstate() });
    const dir = await mkdtemp(join(tmpdir(), 'egress-atlas-pull-interrupt-'));
    const before = process.listenerCount('SIGINT');
    try {
      written.pieces = 0;
      written.interrupt = true;
      const io = captureIo(dir);
      const code = await pullCommand.run(['--arm-endpoint', fake.url, '--access-token', 'tok', '--effective-routes', 'none', '--out', join(dir, 'snap.json')], io);
      expect(written.pieces, 'the write had begun').toBeGreaterThan(0);
      expect(code).toBe(1);
      expect(io.err.join('')).toContain('pull cancelled; nothing written');
      expect(io.out).toEqual([]);
      expect(await readdir(dir)).toEqual([]);
      expect(process.listenerCount('SIGINT'), 'the handler is removed afterwards').toBe(before);
    } finally {
      written.interrupt = false;
      await fake.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('without Ctrl+C the same pull writes the snapshot and no temporary file', async () => {
    const fake = await startFakeArm({ estate: smallEstate() });
    const dir = await mkdtemp(join(tmpdir(), 'egress-atlas-pull-interrupt-'));
    try {
      written.pieces = 0;
      const code = await pullCommand.run(['--arm-endpoint', fake.url, '--access-token', 'tok', '--effective-routes', 'none', '--out', join(dir, 'snap.json')], captureIo(dir));
      expect(code).toBe(0);
      expect(written.pieces).toBeGreaterThan(0);
      expect(await readdir(dir)).toEqual(['snap.json']);
    } finally {
      await fake.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

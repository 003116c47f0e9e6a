/**
 * The installed CLI end to end on the 100,000-NIC estate exported as one ARM JSON file (175 MB):
 * `egress-atlas resolve FILE --format json` in a child process (bundled CLI, output to a file),
 * side by side with reading + `JSON.parse` of the same file in a fresh Node process, and the CLI's
 * start-up on `resolve --demo bank`, and the floor (cli-floor.ts): the same parse plus writing the
 * same output, which any implementation pays before it normalizes or resolves anything. Medians of 3.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSyntheticEstate } from '../../shared/demo/index';
import { ESTATE } from './resolve';
import type { BenchLine } from './types';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'electron', 'cli', 'bin.mjs');
const FLOOR = join(ROOT, 'test', 'bench', 'cli-floor.ts');
const RUNS = 3;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Wall time of a child process, ms; throws with its stderr when it fails. */
function wall(args: readonly string[]): number {
  const start = performance.now();
  const child = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - start;
  if (child.status !== 0) throw new Error(`${args.join(' ')} failed: ${child.stderr}`);
  return ms;
}

export async function bench(): Promise<readonly BenchLine[]> {
  const build = spawnSync('npm', ['run', 'build:cli', '--silent'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build:cli failed: ${build.stderr}`);
  const dir = await mkdtemp(join(tmpdir(), 'egress-atlas-bench-cli-'));
  try {
    const input = join(dir, 'estate.json');
    await writeFile(input, JSON.stringify(generateSyntheticEstate(ESTATE)));
    const size = (await stat(input)).size;
    const parseScript = `const t=require('fs').readFileSync(${JSON.stringify(input)},'utf8');JSON.parse(t);`;
    wall(['-e', parseScript]);
    const parseMs = median(Array.from({ length: RUNS }, () => wall(['-e', parseScript])));
    const out = join(dir, 'out.json');
    const resolveMs = median(Array.from({ length: RUNS }, () => wall([BIN, 'resolve', input, '--format', 'json', '--out', out])));
    const outSize = (await stat(out)).size;
    // The floor: parse the input and write an output of the same bytes, nothing in between.
    const floors = Array.from({ length: RUNS }, () => {
      const child = spawnSync(process.execPath, ['--max-semi-space-size=32', '--import', 'tsx', FLOOR, input, out, join(dir, 'floor.json')], { cwd: ROOT, encoding: 'utf8' });
      if (child.status !== 0) throw new Error(`cli-floor failed: ${child.stderr}`);
      const { parseMs: p, writeMs: w } = JSON.parse(child.stdout) as { parseMs: number; writeMs: number };
      return p + w;
    });
    const floorMs = median(floors);
    wall([BIN, 'resolve', '--demo', 'bank']);
    const startMs = median(Array.from({ length: 5 }, () => wall([BIN, 'resolve', '--demo', 'bank'])));
    const ratio = resolveMs / parseMs;
    return [
      { name: 'node: read + JSON.parse of the ARM export', value: parseMs / 1000, unit: 's', note: `${(size / 1e6).toFixed(0)} MB` },
      { name: 'CLI: resolve FILE --format json --out (same file)', value: resolveMs / 1000, unit: 's', note: `${(outSize / 1e6).toFixed(0)} MB written` },
      { name: 'CLI resolve / (read + JSON.parse)', value: Number(ratio.toFixed(2)), unit: '×', target: 2.5 },
      {
        name: 'floor: read + JSON.parse, then write the same JSON output (no normalize, no resolve)', value: Number((floorMs / parseMs).toFixed(2)), unit: '×',
        note: `${(floorMs / 1000).toFixed(2)} s in-process; leaves ${((resolveMs - floorMs) / 1000).toFixed(2)} s of the CLI's time to start-up, normalize and resolve`,
      },
      { name: 'CLI: resolve --demo bank (start-up to exit)', value: startMs / 1000, unit: 's', target: 0.3 },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

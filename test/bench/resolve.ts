/**
 * Resolve at estate scale: generate the synthetic 100 subscriptions / 2,000 VNets / 20,000 subnets /
 * 100,000 NICs, normalize it, then resolve it in a separate Node process (so its memory is the
 * resolver's and the model's alone, not the generator's): one warm-up, then the median of 3 runs.
 *
 * Memory, stated plainly: `resolve peak RSS` is the child process's lifetime peak resident set
 * (`process.resourceUsage().maxRSS`): it includes loading and parsing the normalized model from
 * JSON, as the app does when it opens a snapshot, so it is an upper bound for resolving.
 * `resolve heap growth` is heapUsed right after the last resolve minus heapUsed before the first
 * one (after a forced GC): the result plus the garbage a run leaves.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { normalizeArm } from '../../shared/arm/index';
import { generateSyntheticEstate } from '../../shared/demo/index';
import { resolveEgress, type ResolveInput } from '../../shared/egress/index';
import type { BenchLine } from './types';
import { peakRssBytes, runChildReport } from './child-report';

export const ESTATE = { subscriptions: 100, virtualNetworks: 2000, subnets: 20000, networkInterfaces: 100000, seed: 20261126 } as const;

const CHILD_ENV = 'EGRESS_ATLAS_BENCH_RESOLVE_INPUT';
const RUNS = 3;
const MB = 1024 * 1024;

interface ChildReport {
  readonly runsMs: readonly number[];
  /** CPU time (user + system) of each run: tells a slow resolver from a busy machine. */
  readonly runsCpuMs: readonly number[];
  readonly warmupMs: number;
  readonly loadMs: number;
  readonly paths: number;
  readonly maxRssBytes: number;
  readonly rssAfterLoadBytes: number;
  readonly heapGrowthBytes: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] ?? 0 : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function timed<T>(work: () => T): { readonly value: T; readonly ms: number } {
  const start = performance.now();
  const value = work();
  return { value, ms: performance.now() - start };
}

/** The child: load the normalized input, warm up, resolve RUNS times, report on stdout. */
async function runChild(inputPath: string): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  const loadStart = performance.now();
  const input = JSON.parse(await readFile(inputPath, 'utf8')) as ResolveInput;
  const loadMs = performance.now() - loadStart;
  gc?.();
  const rssAfterLoadBytes = process.memoryUsage().rss;
  const warmup = timed(() => resolveEgress(input, {}));
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const runsMs: number[] = [];
  const runsCpuMs: number[] = [];
  let last = warmup.value;
  for (let i = 0; i < RUNS; i++) {
    const cpuStart = process.cpuUsage();
    // A fresh model object each run: the resolver caches its index per model (what-ifs on one
    // estate reuse it), and the target is for a whole resolve, indexing included.
    const fresh: ResolveInput = { ...input, model: { ...input.model } };
    const run = timed(() => resolveEgress(fresh, {}));
    const cpu = process.cpuUsage(cpuStart);
    runsMs.push(run.ms);
    runsCpuMs.push((cpu.user + cpu.system) / 1000);
    last = run.value;
  }
  // Measured while `last` is still referenced, so the growth includes one live result.
  const heapGrowthBytes = process.memoryUsage().heapUsed - heapBefore;
  const report: ChildReport = {
    runsMs, runsCpuMs, warmupMs: warmup.ms, loadMs, paths: last.paths.length,
    maxRssBytes: peakRssBytes(), rssAfterLoadBytes, heapGrowthBytes,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

function runChildProcess(inputPath: string): Promise<ChildReport> {
  return runChildReport<ChildReport>(fileURLToPath(import.meta.url), ['--expose-gc'], { [CHILD_ENV]: inputPath }, 'resolve bench child');
}

export async function bench(): Promise<readonly BenchLine[]> {
  const generated = timed(() => generateSyntheticEstate(ESTATE));
  const normalized = timed(() => normalizeArm([{ fileName: 'synthetic', json: generated.value }]));
  const { model, effectiveRoutes, gaps } = normalized.value;
  const input: ResolveInput = { model, effectiveRoutes, metrics: [], gaps };
  const dir = await mkdtemp(join(tmpdir(), 'egress-atlas-bench-'));
  const inputPath = join(dir, 'normalized.json');
  try {
    await writeFile(inputPath, JSON.stringify(input), 'utf8');
    const child = await runChildProcess(inputPath);
    const scale = `${ESTATE.subscriptions} subs / ${ESTATE.virtualNetworks} VNets / ${model.subnets.length} subnets / ${model.networkInterfaces.length} NICs`;
    return [
      { name: 'synthetic generate', value: generated.ms / 1000, unit: 's', note: `${scale}, ${generated.value.resources.length} ARM resources` },
      { name: 'normalize (normalizeArm)', value: normalized.ms / 1000, unit: 's', note: `${gaps.length} gaps` },
      { name: 'resolve (median of 3)', value: median(child.runsMs) / 1000, unit: 's', target: 1, note: `runs ${child.runsMs.map((ms) => (ms / 1000).toFixed(2)).join(' / ')} s after a ${(child.warmupMs / 1000).toFixed(2)} s warm-up; ${child.paths} paths` },
      { name: 'resolve CPU time (median of 3)', value: median(child.runsCpuMs) / 1000, unit: 's', note: 'user + system CPU of the resolve runs; close to wall time on an idle machine' },
      { name: 'resolve peak RSS', value: Math.round(child.maxRssBytes / MB), unit: 'MB', target: 1024, note: `child process lifetime peak, incl. loading the model (${Math.round(child.rssAfterLoadBytes / MB)} MB RSS after load, ${(child.loadMs / 1000).toFixed(2)} s)` },
      { name: 'resolve heap growth', value: Math.round(child.heapGrowthBytes / MB), unit: 'MB', note: 'heapUsed after 3 runs minus before (after GC); includes the last result' },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const childInput = process.env[CHILD_ENV];
if (childInput !== undefined && process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runChild(childInput);
}

/**
 * Bench: a 2,000-subnet synthetic estate to an evidence PDF, timed and with its peak memory.
 * The export runs in a child process so its peak RSS is its own, not that of the bench modules
 * that ran before it in the same process. Run alone: `npx tsx test/bench/pdf.ts --child`.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { writeEvidencePdf } from '../../electron/evidence/index';
import { normalizeArm } from '../../shared/arm/index';
import { generateSyntheticEstate } from '../../shared/demo/index';
import { resolveEgress } from '../../shared/egress/index';
import { SNAPSHOT_FORMAT, type Snapshot, type SnapshotContent } from '../../shared/model/snapshot';
import type { BenchLine } from './types';
import { peakRssBytes } from './child-report';

const OPTIONS = { subscriptions: Number(process.env.BENCH_SUBS ?? 10), virtualNetworks: Number(process.env.BENCH_VNETS ?? 100), subnets: Number(process.env.BENCH_SUBNETS ?? 2_000), networkInterfaces: Number(process.env.BENCH_NICS ?? 4_000), seed: 7, effectiveRoutesEvery: 1 } as const;

interface ChildReport {
  readonly paths: number;
  readonly resolveMs: number;
  readonly pdfMs: number;
  /** CPU time of the export (user + system): wall time is noisy on a shared machine. */
  readonly pdfCpuMs: number;
  readonly pages: number;
  readonly bytes: number;
  readonly peakRssMiB: number;
  readonly rssBeforePdfMiB: number;
}

async function measure(): Promise<ChildReport> {
  const estate = generateSyntheticEstate(OPTIONS);
  const normalized = normalizeArm([{ fileName: '<synthetic>', json: estate }]);
  const content: SnapshotContent = {
    format: SNAPSHOT_FORMAT,
    metadata: {
      capturedAt: '2026-11-26T06:00:00.000Z', source: 'synthetic', origin: ['synthetic seed 7'], capturedBy: null,
      scope: { tenantId: null, subscriptionIds: [...new Set(normalized.model.virtualNetworks.map((v) => v.subscriptionId))].sort(), managementGroupId: null, cloud: null },
      toolVersion: 'bench',
    },
    model: normalized.model, effectiveRoutes: normalized.effectiveRoutes, metrics: [], gaps: normalized.gaps,
  };
  const snapshot: Snapshot = { ...content, sha256: createHash('sha256').update(JSON.stringify(content)).digest('hex') };
  const t0 = performance.now();
  const result = resolveEgress(snapshot, {});
  const t1 = performance.now();
  const rssBeforePdfMiB = process.memoryUsage().rss / 1024 / 1024;
  const cpu = process.cpuUsage();
  const pdf = await writeEvidencePdf({ snapshot, result, selection: null, exportedBy: 'bench', exportedAt: new Date('2026-11-26T06:00:00Z') });
  const t2 = performance.now();
  const cpuUsed = process.cpuUsage(cpu);
  const pages = (Buffer.from(pdf).toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
  return {
    paths: result.paths.length, resolveMs: t1 - t0, pdfMs: t2 - t1, pdfCpuMs: (cpuUsed.user + cpuUsed.system) / 1000, pages, bytes: pdf.length,
    peakRssMiB: peakRssBytes() / (1024 * 1024), rssBeforePdfMiB,
  };
}

export async function bench(): Promise<readonly BenchLine[]> {
  const self = fileURLToPath(import.meta.url);
  const out = execFileSync(process.execPath, ['--import', 'tsx', self, '--child'], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const report = JSON.parse(out.trim().split('\n').pop() ?? '{}') as ChildReport;
  const estate = `${OPTIONS.subnets} subnets, ${OPTIONS.networkInterfaces} NICs, ${report.paths} paths`;
  return [
    { name: 'evidence PDF, 2,000-subnet estate', value: report.pdfMs / 1000, unit: 's', target: 10, note: `${estate}; ${report.pages} pages, ${(report.bytes / 1024 / 1024).toFixed(1)} MiB` },
    { name: 'evidence PDF CPU time', value: report.pdfCpuMs / 1000, unit: 's', note: 'user + system; wall time above depends on machine load' },
    { name: 'evidence PDF peak RSS (whole process)', value: report.peakRssMiB, unit: 'MiB', target: 1024, note: `includes generating, normalizing and resolving the estate (${Math.round(report.rssBeforePdfMiB)} MiB before the export)` },
    { name: 'resolve before the PDF', value: report.resolveMs / 1000, unit: 's', note: 'not part of the PDF target' },
  ];
}

if (process.argv.includes('--child')) {
  const report = await measure();
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

/**
 * Opening a whole-tenant file the way `egress-atlas ui FILE` / `npm run web -- FILE` does (issue
 * 12, "Open big estates fast"): the 100,000-NIC synthetic ARM bundle written as one file, then
 * wall clock from starting the web server with it as `npm run web -- FILE` does (it listens at once
 * and the main side reads, parses, normalizes and resolves the file in the background while the
 * page shows the progress; the page then opens the loaded estate with no upload: for an estate this
 * large, the flow overview aggregated on the main side, never the snapshot or every path) to the
 * page's first drawn picture (flow overview or graph),
 * against a child `node` doing read + JSON.parse of the same file. Target: at most 4× the parse.
 *
 * The server runs in this process (as `ui` runs it in the CLI's) on a private renderer build, and
 * Chromium is already running (the user's browser is): CLI start-up (~0.1 s) is not included.
 * Skipped unless `EGRESS_ATLAS_BENCH_BIG=1` or this module is named (`npm run bench -- open-file`).
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSyntheticEstate } from '../../shared/demo/index';
import type { LoadProgress } from '../../electron/services/load-estate';
import { startWebServer } from '../../electron/web/server';
import { buildRendererOnce, launchChromium } from '../e2e/browser';
import type { BenchLine } from './types';
import { BIG_ESTATE } from './ui';

const PARSE_RUNS = 3;
const TARGET_RATIO = 4;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function parseWallMs(file: string): number {
  const script = `const t=require('fs').readFileSync(${JSON.stringify(file)},'utf8');JSON.parse(t);`;
  const start = performance.now();
  execFileSync(process.execPath, ['--max-old-space-size=8192', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
  return performance.now() - start;
}

export async function bench(): Promise<readonly BenchLine[]> {
  const named = process.argv.slice(2).includes('open-file');
  if (!named && process.env['EGRESS_ATLAS_BENCH_BIG'] !== '1') return [];
  const dir = await mkdtemp(join(tmpdir(), 'egress-atlas-bench-open-'));
  const renderer = await buildRendererOnce();
  const browser = await launchChromium();
  try {
    const file = join(dir, 'tenant-100k-nics.json');
    await writeFile(file, JSON.stringify(generateSyntheticEstate(BIG_ESTATE)));
    const size = (await stat(file)).size;
    parseWallMs(file);
    const parseMs = median(Array.from({ length: PARSE_RUNS }, () => parseWallMs(file)));

    const stages: { stage: LoadProgress['stage']; at: number }[] = [];
    const start = performance.now();
    const server = await startWebServer({
      staticDir: renderer.dir, openPaths: [file], dataDir: null, loadInBackground: true,
      onLoadProgress: (p) => { if (p.stage !== 'reading') stages.push({ stage: p.stage, at: performance.now() - start }); },
    });
    let loadedMs = Number.NaN;
    void server.loaded.then(() => { loadedMs = performance.now() - start; });
    let firstGraphMs = Number.NaN;
    let pageMs = { opened: Number.NaN, resolved: Number.NaN, graph: Number.NaN };
    let progressSeen = false;
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      const gotoAt = performance.now();
      await page.goto(server.url);
      // Watched alongside, not waited for: the clock runs until the first picture either way.
      const progressWatch = page.waitForFunction(() => document.querySelector('[data-testid="load-progress"]') !== null
        || document.querySelector('[data-testid="flow-svg"]') !== null, undefined, { timeout: 600_000, polling: 20 })
        .then(() => page.evaluate(() => document.querySelector('[data-testid="flow-svg"]') === null), () => false);
      await page.waitForFunction(() => window.__egressAtlasTest?.timings.graphRenderedAt !== null
        && (document.querySelector('[data-testid="flow-svg"]') !== null || (window.__egressAtlasTest?.renders ?? 0) >= 1), undefined, { timeout: 600_000, polling: 50 });
      firstGraphMs = performance.now() - start;
      progressSeen = await progressWatch;
      const t = await page.evaluate(() => ({ resultAt: window.__egressAtlasTest?.timings.resultAt ?? Number.NaN, graphAt: window.__egressAtlasTest?.timings.graphRenderedAt ?? Number.NaN }));
      pageMs = { opened: gotoAt - start, resolved: t.resultAt, graph: t.graphAt };
    } finally {
      await server.close();
    }
    const ratio = firstGraphMs / parseMs;
    const stageNote = stages.map((s) => `${s.stage} ${(s.at / 1000).toFixed(1)} s`).join(', ');
    return [
      { name: 'node: read + JSON.parse of the 100k-NIC ARM bundle', value: Number((parseMs / 1000).toFixed(2)), unit: 's', note: `${(size / 1e6).toFixed(0)} MB, one file; median of ${PARSE_RUNS}` },
      { name: 'ui FILE: main side reads, builds, resolves', value: Number((loadedMs / 1000).toFixed(2)), unit: 's', note: stageNote },
      { name: 'ui FILE → first graph (wall clock)', value: Number((firstGraphMs / 1000).toFixed(2)), unit: 's', note: `page opened at ${(pageMs.opened / 1000).toFixed(1)} s, load progress ${progressSeen ? 'shown' : 'NOT shown'}; page clock: overview ${(pageMs.resolved / 1000).toFixed(1)} s, drawn ${(pageMs.graph / 1000).toFixed(1)} s` },
      { name: 'ui FILE → first graph / (read + JSON.parse)', value: Number(ratio.toFixed(2)), unit: '×', target: TARGET_RATIO },
    ];
  } finally {
    await browser.close();
    await renderer.remove();
    await rm(dir, { recursive: true, force: true });
  }
}

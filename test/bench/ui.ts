/**
 * UI at estate scale, in headless Chromium against the loopback web bridge (real services): a
 * synthetic ARM bundle of ~5,000 full-graph elements is imported through the page's own file
 * picker, then we time
 *   - first render, default view (what `chooseDefaultView` picks: the VNet overview here);
 *   - first render, all paths (~5,000 elements: worker layout + cytoscape draw);
 *   - highlight of a selected path in the all-paths view (selection → highlight applied: React
 *     render + cytoscape batch), median of several list clicks.
 * Times come from the page's `window.__egressAtlasTest.timings` (performance.now()).
 *
 * Opt-in (`EGRESS_ATLAS_BENCH_BIG=1`): the same on a big estate (`BIG_ESTATE`), for the windowed
 * source list: import → first graph, import → list painted, rows mounted, ArrowDown → row selected
 * and painted, scroll to the middle → rows painted. The 100-subscription / 100,000-NIC estate is
 * ~175 MB of ARM JSON, imported as several files (IPC_LIMITS: 256 M characters a file, 384 M an import).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizeArm } from '../../shared/arm/index';
import { generateSyntheticEstate } from '../../shared/demo/index';
import { resolveEgress } from '../../shared/egress/index';
import { buildEgressGraph, graphElementCount } from '../../shared/graph/build-egress-graph';
import { buildRendererOnce, launchChromium, screenshot, startServer } from '../e2e/browser';
import type { Page } from 'playwright-core';
import type { BenchLine } from './types';

export const UI_ESTATE = { subscriptions: 4, virtualNetworks: 85, subnets: 1750, networkInterfaces: 2200, seed: 20261126 } as const;
const HIGHLIGHT_RUNS = 7;
/** The resolve bench's enterprise estate: 100 subscriptions / 2,000 VNets / 20,000 subnets / 100,000 NICs. */
export const BIG_ESTATE = { subscriptions: 100, virtualNetworks: 2000, subnets: 20_000, networkInterfaces: 100_000, seed: 20261126 } as const;
/** Well under IPC_LIMITS.maxFileChars per file (Playwright also refuses in-memory uploads over 50 MB, so files are written to disk). */
const BIG_FILE_CHARS = 64 * 1024 * 1024;
const KEY_RUNS = 7;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** The ARM bundle as several bundle files, each under the bridge's per-file limit. */
export function splitBundle(resources: readonly unknown[], effectiveRouteTables: Readonly<Record<string, unknown>>): { readonly name: string; readonly text: string }[] {
  const files: { name: string; text: string }[] = [];
  let chunk: unknown[] = [];
  let chars = 0;
  const flush = (): void => {
    if (chunk.length === 0) return;
    files.push({ name: `big-${files.length + 1}.json`, text: JSON.stringify({ resources: chunk }) });
    chunk = [];
    chars = 0;
  };
  for (const r of resources) {
    const size = JSON.stringify(r).length + 1;
    if (chars + size > BIG_FILE_CHARS) flush();
    chunk.push(r);
    chars += size;
  }
  flush();
  files.push({ name: `big-${files.length + 1}-routes.json`, text: JSON.stringify({ effectiveRouteTables }) });
  return files;
}

/** Rows (sources and group headings) the list has in the DOM. */
function mountedRows(page: Page): Promise<{ readonly sources: number; readonly all: number }> {
  return page.evaluate(() => ({
    sources: document.querySelectorAll('[data-testid="source-list"] [data-testid="source-row"]').length,
    all: document.querySelectorAll('[data-testid="source-list"] :is(.source, .sub-heading, .vnet-heading)').length,
  }));
}

/** ArrowDown on the focused list → the newly selected row shown selected in a painted frame (ms). */
function arrowDownToPaint(page: Page): Promise<{ readonly ms: number; readonly sourceId: string | null }> {
  return page.evaluate(async () => {
    const list = document.querySelector<HTMLElement>('[data-testid="source-list"]');
    const before = window.__egressAtlasTest?.state?.selectedSourceId ?? null;
    const started = performance.now();
    list?.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true, cancelable: true }));
    const frame = (): Promise<number> => new Promise((resolve) => requestAnimationFrame(resolve));
    for (let i = 0; i < 600; i++) {
      await frame();
      const now = window.__egressAtlasTest?.state?.selectedSourceId ?? null;
      const row = now === null ? null : list?.querySelector(`[data-source-id="${CSS.escape(now)}"][aria-selected="true"]`);
      if (now !== before && row) {
        const box = row.getBoundingClientRect();
        const view = list?.getBoundingClientRect();
        if (view && box.top >= view.top - 1 && box.bottom <= view.bottom + 1) return { ms: performance.now() - started, sourceId: now };
      }
    }
    return { ms: Number.NaN, sourceId: null };
  });
}

/** Jump the list to the middle → the frame in which rows are mounted under the list's centre (ms). */
function scrollToMiddleToPaint(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const list = document.querySelector<HTMLElement>('[data-testid="source-list"]');
    if (!list) return Number.NaN;
    const started = performance.now();
    list.scrollTop = Math.floor(list.scrollHeight / 2);
    const frame = (): Promise<number> => new Promise((resolve) => requestAnimationFrame(resolve));
    const box = list.getBoundingClientRect();
    for (let i = 0; i < 600; i++) {
      await frame();
      const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      if (hit?.closest('.source, .sub-heading, .vnet-heading')) {
        await frame();
        return performance.now() - started;
      }
    }
    return Number.NaN;
  });
}

/**
 * The big-estate measures against a built renderer in `staticDir` (a parameter so a throwaway
 * script can run the same against an older build for before/after numbers).
 */
export async function benchBigEstate(staticDir: string, screenshotName = 'big-estate'): Promise<readonly BenchLine[]> {
  const estate = generateSyntheticEstate(BIG_ESTATE);
  const files = splitBundle(estate.resources, estate.effectiveRouteTables);
  const chars = files.reduce((n, f) => n + f.text.length, 0);
  // Playwright hands the page buffers of at most 50 MB; paths have no limit.
  const dir = await mkdtemp(join(tmpdir(), 'egress-atlas-big-'));
  const paths: string[] = [];
  for (const f of files) {
    const path = join(dir, f.name);
    await writeFile(path, f.text);
    paths.push(path);
  }
  const server = await startServer({ staticDir });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // tsx (esbuild keepNames) wraps the named helpers inside the evaluated functions below in
    // `__name(...)`, which only exists in Node: give the page a no-op one.
    await page.addInitScript('globalThis.__name = (f) => f;');
    await page.goto(server.launchUrl(null));
    // From the page's own clock: when the first list row is in a painted frame.
    await page.evaluate(() => {
      const w = window as unknown as { bigListPaintedAt?: number };
      const poll = (): void => {
        if (document.querySelector('[data-testid="source-row"]')) requestAnimationFrame(() => { w.bigListPaintedAt = performance.now(); });
        else requestAnimationFrame(poll);
      };
      requestAnimationFrame(poll);
    });
    const pageStart = await page.evaluate(() => performance.now());
    const importStarted = Date.now();
    await page.getByTestId('file-input').setInputFiles(paths);
    await page.waitForFunction(() => (window.__egressAtlasTest?.renders ?? 0) >= 1 && window.__egressAtlasTest?.timings.graphRenderedAt !== null, undefined, { timeout: 600_000, polling: 250 });
    const importToGraphMs = Date.now() - importStarted;
    await page.waitForFunction(() => (window as unknown as { bigListPaintedAt?: number }).bigListPaintedAt !== undefined, undefined, { timeout: 600_000, polling: 250 });
    const paint = await page.evaluate(() => ({
      listAt: (window as unknown as { bigListPaintedAt?: number }).bigListPaintedAt ?? Number.NaN,
      resultAt: window.__egressAtlasTest?.timings.resultAt ?? Number.NaN,
      paths: window.__egressAtlasTest?.state?.result?.paths.length ?? 0,
      shown: (window.__egressAtlasTest?.visibleSourceIds ?? []).length,
      heapMB: ((performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? Number.NaN) / 1e6,
      domNodes: document.getElementsByTagName('*').length,
    }));
    const rowsAfterOpen = await mountedRows(page);

    await page.getByTestId('source-list').focus();
    const keyMs: number[] = [];
    const highlightMs: number[] = [];
    for (let i = 0; i < KEY_RUNS; i++) {
      const r = await arrowDownToPaint(page);
      keyMs.push(r.ms);
      await page.waitForFunction((id) => window.__egressAtlasTest?.timings.lastHighlightSourceId === id, r.sourceId, { timeout: 60_000 });
      highlightMs.push(await page.evaluate(() => window.__egressAtlasTest?.timings.lastHighlightMs ?? Number.NaN));
    }
    const scrollMs = await scrollToMiddleToPaint(page);
    const rowsAfterScroll = await mountedRows(page);
    // A key press from the middle: the selection jumps back to the top of the list (next source
    // after the selected one), so the list scrolls the whole way and mounts new rows.
    const keyAfterScroll = await arrowDownToPaint(page);
    // Let the graph catch up (the automatic view may lay out the selected path) before the picture.
    await page.waitForFunction((id) => window.__egressAtlasTest?.timings.lastHighlightSourceId === id && window.__egressAtlasTest.layingOut === false,
      keyAfterScroll.sourceId, { timeout: 120_000 });
    await screenshot(page, screenshotName);
    return [
      { name: 'big estate: sources listed', value: paint.paths, unit: 'paths', note: `${BIG_ESTATE.subscriptions} subscriptions, ${BIG_ESTATE.virtualNetworks} VNets, ${BIG_ESTATE.subnets} subnets, ${BIG_ESTATE.networkInterfaces} NICs; ${files.length} files, ${(chars / 1e6).toFixed(0)} MB ARM JSON; ${paint.shown} shown` },
      { name: 'big estate: import → first graph (wall clock)', value: importToGraphMs, unit: 'ms', note: 'file picker → import + resolve on the bridge → layout → paint' },
      { name: 'big estate: import → list painted', value: Math.round(paint.listAt - pageStart), unit: 'ms', note: `result arrived → list painted ${Math.round(paint.listAt - paint.resultAt)} ms` },
      { name: 'big estate: list rows mounted', value: rowsAfterOpen.all, unit: 'rows', note: `${rowsAfterOpen.sources} source rows + headings; after scrolling to the middle ${rowsAfterScroll.all}; ${paint.domNodes} DOM elements, JS heap ${paint.heapMB.toFixed(0)} MB` },
      { name: 'big estate: ArrowDown → row selected (painted)', value: Math.round(median(keyMs) * 10) / 10, unit: 'ms', note: `median of ${KEY_RUNS}; selection → graph highlight median ${median(highlightMs).toFixed(1)} ms; from the middle back to the top ${keyAfterScroll.ms.toFixed(1)} ms` },
      { name: 'big estate: scroll to the middle → rows painted', value: Math.round(scrollMs * 10) / 10, unit: 'ms', note: 'scrollTop = half the list; until a row is under the list centre in a painted frame' },
    ];
  } finally {
    await browser.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function bench(): Promise<readonly BenchLine[]> {
  const lines = await benchDefault();
  if (process.env['EGRESS_ATLAS_BENCH_BIG'] !== '1') return lines;
  const renderer = await buildRendererOnce();
  try {
    return [...lines, ...await benchBigEstate(renderer.dir)];
  } finally {
    await renderer.remove();
  }
}

async function benchDefault(): Promise<readonly BenchLine[]> {
  const estate = generateSyntheticEstate(UI_ESTATE);
  const bundle = { resources: estate.resources, effectiveRouteTables: estate.effectiveRouteTables };
  const text = JSON.stringify(bundle);
  const normalized = normalizeArm([{ fileName: 'synthetic-ui.json', json: bundle }]);
  const fullElements = graphElementCount(buildEgressGraph(normalized.model, resolveEgress({ ...normalized, metrics: [] }), { kind: 'full' }));

  const renderer = await buildRendererOnce();
  const server = await startServer({ staticDir: renderer.dir });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(server.launchUrl(null));
    const importStarted = Date.now();
    await page.getByTestId('file-input').setInputFiles({ name: 'synthetic-ui.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    await page.waitForFunction(() => (window.__egressAtlasTest?.renders ?? 0) >= 1 && window.__egressAtlasTest?.timings.graphRenderedAt !== null, undefined, { timeout: 120_000 });
    const importToGraphMs = Date.now() - importStarted;
    const defaultView = await page.evaluate(() => {
      const t = window.__egressAtlasTest?.timings;
      return { ms: (t?.graphRenderedAt ?? Number.NaN) - (t?.resultAt ?? Number.NaN), elements: window.__egressAtlasTest?.cy?.elements().length ?? 0 };
    });

    await screenshot(page, 'ui-bench-overview');

    // All paths: the full graph (~5,000 elements).
    await page.evaluate(() => {
      const t = window.__egressAtlasTest?.timings;
      if (t) { t.graphRenderedAt = null; t.resultAt = performance.now(); }
    });
    await page.locator('#view-mode').selectOption('full');
    await page.waitForFunction(() => (window.__egressAtlasTest?.renders ?? 0) >= 2 && window.__egressAtlasTest?.timings.graphRenderedAt !== null, undefined, { timeout: 120_000 });
    const fullView = await page.evaluate(() => {
      const t = window.__egressAtlasTest?.timings;
      return {
        ms: (t?.graphRenderedAt ?? Number.NaN) - (t?.resultAt ?? Number.NaN), elements: window.__egressAtlasTest?.cy?.elements().length ?? 0,
        workerMs: t?.lastWorkerMs ?? Number.NaN, setElementsMs: t?.lastSetElementsMs ?? Number.NaN,
      };
    });

    // Highlight: click list rows spread over the list; each selection re-dims the whole graph.
    const rows = page.getByTestId('source-row');
    const rowCount = await rows.count();
    const highlightMs: number[] = [];
    const batchMs: number[] = [];
    let lit = 0;
    for (let i = 0; i < HIGHLIGHT_RUNS; i++) {
      const target = rows.nth(Math.floor(((i + 0.5) / HIGHLIGHT_RUNS) * Math.min(rowCount, 60)));
      const sourceId = await target.getAttribute('data-source-id');
      await target.click();
      await page.waitForFunction((id) => window.__egressAtlasTest?.timings.lastHighlightSourceId === id, sourceId, { timeout: 10_000 });
      const t = await page.evaluate(() => ({
        total: window.__egressAtlasTest?.timings.lastHighlightMs ?? Number.NaN,
        batch: window.__egressAtlasTest?.timings.lastHighlightBatchMs ?? Number.NaN,
        lit: window.__egressAtlasTest?.cy?.$('.path').length ?? 0,
      }));
      highlightMs.push(t.total);
      batchMs.push(t.batch);
      lit = Math.max(lit, t.lit);
    }
    await screenshot(page, 'ui-bench-full-highlight');
    return [
      { name: 'UI estate: full-graph elements', value: fullElements, unit: 'elements', note: `${normalized.model.subnets.length} subnets, ${normalized.model.networkInterfaces.length} NICs, ${(text.length / 1e6).toFixed(1)} MB ARM JSON` },
      { name: 'first render, default view', value: Math.round(defaultView.ms), unit: 'ms', target: 2000, note: `${defaultView.elements} elements drawn (VNet overview); result → graph painted` },
      { name: 'import → first graph (wall clock)', value: importToGraphMs, unit: 'ms', note: 'file picker → import + resolve on the bridge → layout → paint' },
      { name: 'first render, all paths', value: Math.round(fullView.ms), unit: 'ms', target: 2000, note: `${fullView.elements} elements drawn; worker build + layout ${Math.round(fullView.workerMs)} ms, cytoscape add ${Math.round(fullView.setElementsMs)} ms, rest = transfer + first paint` },
      { name: 'highlight a path, all paths view', value: Math.round(median(highlightMs) * 10) / 10, unit: 'ms', target: 50, note: `median of ${HIGHLIGHT_RUNS} list clicks (selection → highlight applied); cytoscape batch median ${median(batchMs).toFixed(1)} ms; up to ${lit} elements lit` },
    ];
  } finally {
    await browser.close();
    await server.close();
    await renderer.remove();
  }
}

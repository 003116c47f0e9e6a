/**
 * UI at estate scale, in headless Chromium against the loopback web bridge (real services): a
 * synthetic ARM bundle of ~5,000 full-graph elements is imported through the page's own file
 * picker, then we time
 *   - first render, default view (what `chooseDefaultView` picks: the VNet overview here);
 *   - first render, all paths (~5,000 elements: worker layout + cytoscape draw);
 *   - highlight of a selected path in the all-paths view (selection → highlight applied: React
 *     render + cytoscape batch), median of several list clicks.
 * Times come from the page's `window.__egressAtlasTest.timings` (performance.now()).
 */
import { normalizeArm } from '../../shared/arm/index';
import { generateSyntheticEstate } from '../../shared/demo/index';
import { resolveEgress } from '../../shared/egress/index';
import { buildEgressGraph, graphElementCount } from '../../shared/graph/build-egress-graph';
import { buildRendererOnce, launchChromium, screenshot, startServer } from '../e2e/browser';
import type { BenchLine } from './types';

export const UI_ESTATE = { subscriptions: 4, virtualNetworks: 85, subnets: 1750, networkInterfaces: 2200, seed: 20261126 } as const;
const HIGHLIGHT_RUNS = 7;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

export async function bench(): Promise<readonly BenchLine[]> {
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
    await page.goto(`${server.origin}/?token=${server.token}`);
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

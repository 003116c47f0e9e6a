/**
 * Observed traffic in the app (issue 13), in headless Chromium at 1440×900 against the real
 * main-side services (the `traffic` and `sampleLogs` operations through the loopback bridge): the
 * bank demo's sample logs added with "Add logs…", a log file dropped on the window, edge widths that
 * follow observed flows, the denied-traffic badges, the details pane's observed-vs-allowed table
 * with its disagreement, the cost-by-owner view, and a log that does not parse. Screenshots go to
 * test-results/screenshots (traffic-*.png).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleLogsFor } from '../../electron/services/sample-logs';
import AxeBuilder from '@axe-core/playwright';
import { openAppSession, screenshot, sourceIdByName, type AppSession } from './browser';

let app: AppSession;
let page: Page;
let pageErrors: string[] = [];
let logDir: string;
let logPaths: string[] = [];

/** axe (WCAG 2.x A/AA, 2.2 included: target size) on this feature's own regions; fails listing every violation. */
async function expectAccessible(p: Page, selectors: readonly string[]): Promise<void> {
  let builder = new AxeBuilder({ page: p }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']);
  for (const s of selectors) builder = builder.include(s);
  const results = await builder.analyze();
  const report = results.violations.map((v) => `${v.id}: ${v.help} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(report, report.join('\n')).toEqual([]);
}

/** Observed edges' drawn widths (px at zoom 1) by edge ID. */
async function observedWidths(p: Page): Promise<Record<string, number>> {
  return p.evaluate(() => {
    const cy = window.__egressAtlasTest?.cy;
    const out: Record<string, number> = {};
    cy?.$('edge.observed').forEach((e) => { out[e.id()] = parseFloat(String(e.style('width'))); });
    return out;
  });
}

/** Badges on the graph: the source node they sit on, their text, whether red (denied). */
async function badges(p: Page): Promise<{ node: string; text: string; denied: boolean }[]> {
  return p.evaluate(() => {
    const cy = window.__egressAtlasTest?.cy;
    return cy ? cy.$('node.traffic-badge').map((n) => ({ node: String(n.data('badgeFor')), text: String(n.data('label')), denied: n.hasClass('traffic-denied') })) : [];
  });
}

beforeAll(async () => {
  logDir = await mkdtemp(join(tmpdir(), 'egress-atlas-logs-'));
  logPaths = [];
  for (const f of sampleLogsFor('bank')) {
    const path = join(logDir, f.name);
    await writeFile(path, f.text);
    logPaths.push(path);
  }
  app = await openAppSession({ demo: 'bank' });
  ({ page, pageErrors } = app);
}, 120_000);

afterAll(async () => {
  await app?.close();
  if (logDir) await rm(logDir, { recursive: true, force: true });
});

describe('observed traffic', () => {
  it('offers the demo sample logs and "Add logs…" before any log is added', async () => {
    await page.getByTestId('sample-logs').waitFor();
    expect(await page.getByTestId('add-logs-button').textContent()).toContain('Add logs');
    expect(await page.getByTestId('traffic-banner').count()).toBe(0);
    expect(await observedWidths(page)).toEqual({});
    await page.screenshot({ path: '/tmp/h4-traffic-start.png' });
    // The top bar still fits one line at 1440 px with the new controls.
    const bar = await page.locator('header.topbar').boundingBox();
    expect(bar?.height ?? 999).toBeLessThan(60);
  });

  it('a log that does not parse is an error naming the file, and nothing is drawn', async () => {
    const bad = join(logDir, 'fw-export.json');
    await writeFile(bad, '{"tables": 42}');
    await page.getByTestId('add-logs-input').setInputFiles(bad);
    await page.getByTestId('error-message').waitFor();
    expect(await page.getByTestId('error-message').textContent()).toContain('fw-export.json');
    expect(await page.getByTestId('traffic-banner').count()).toBe(0);
    await page.getByRole('button', { name: 'Dismiss error' }).click();
  });

  it('"Add logs…" reads the files: banner, widths that follow flows, denied badges', async () => {
    // Two files by the picker, the third dropped on the window: the analysis covers all three.
    await page.getByTestId('add-logs-input').setInputFiles(logPaths.slice(0, 2));
    await page.getByTestId('traffic-banner').waitFor();
    const flowLog = sampleLogsFor('bank')[2]!;
    await page.evaluate(({ name, text }) => {
      const data = new DataTransfer();
      data.items.add(new File([text], name, { type: 'application/json' }));
      document.querySelector('[data-testid="graph"]')!.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    }, { name: flowLog.name, text: flowLog.text });
    await page.waitForFunction(() => document.querySelector('[data-testid="traffic-banner"]')?.textContent?.includes('3 files') ?? false);
    const summary = await page.getByTestId('traffic-summary').textContent();
    expect(summary).toMatch(/^7 sources, [\d,]+ flows$/);

    const api = await sourceIdByName(page, 'snet-payments-api');
    const db = await sourceIdByName(page, 'snet-settlement-db');
    const widths = await observedWidths(page);
    const values = Object.values(widths);
    expect(values.length).toBeGreaterThan(3);
    expect(new Set(values.map((w) => w.toFixed(2))).size).toBeGreaterThan(2);
    // The payments API's first hop (374 flows) is drawn wider than the settlement DB's (2 flows).
    const firstEdge = (id: string) => page.evaluate((sid) => window.__egressAtlasTest?.cy?.edges().filter((e) => e.data('source') === sid).first().id() ?? null, id);
    const apiEdge = await firstEdge(api);
    const dbEdge = await firstEdge(db);
    expect(apiEdge && dbEdge).toBeTruthy();
    expect(widths[apiEdge!]!).toBeGreaterThan(widths[dbEdge!]! + 3);

    const marks = await badges(page);
    const apiBadge = marks.find((b) => b.node === api);
    expect(apiBadge?.denied).toBe(true);
    expect(apiBadge?.text).toMatch(/^374 flows · 24 denied$/);
    expect(marks.find((b) => b.node === db)?.denied).toBe(false);
    expect(await page.getByTestId('legend-traffic').count()).toBe(1);
    expect(await page.getByTestId('observed-source').count()).toBe(5);
    await screenshot(page, 'traffic-graph');
    await page.screenshot({ path: '/tmp/h4-traffic-graph.png' });
  });

  it('the details pane sets observed destinations beside the model, disagreements highlighted', async () => {
    const reporting = await sourceIdByName(page, 'snet-payments-reporting');
    await page.locator(`[data-testid="observed-source"][data-source-id="${reporting}"]`).click();
    await page.getByTestId('observed-table').waitFor();
    const rows = page.getByTestId('observed-row');
    expect(await rows.count()).toBe(3);
    const rdp = page.locator('[data-testid="observed-row"][data-disagrees="true"]');
    expect(await rdp.count()).toBe(1);
    expect(await rdp.getAttribute('data-action')).toBe('deny');
    expect(await rdp.getAttribute('data-model')).toBe('allowed');
    expect(await rdp.textContent()).toContain('203.0.113.99:3389');
    expect(await rdp.textContent()).toContain('UserRule_Deny-RDP-Out');
    expect(await page.locator('[data-testid="traffic-finding"][data-code="model-disagrees"]').count()).toBe(1);
    // Sorted by bytes: the storage account's 48 MB first.
    await page.getByTestId('observed-destinations').getByRole('button', { name: 'bytes' }).click();
    expect(await rows.first().textContent()).toContain('52.239.10.20');
    await expectAccessible(page, ['[data-testid="observed-destinations"]', '[data-testid="observed-sources"]', '[data-testid="traffic-banner"]', '[data-testid="legend-traffic"]']);
    await page.getByTestId('observed-destinations').scrollIntoViewIfNeeded();
    await screenshot(page, 'traffic-details');
    await page.screenshot({ path: '/tmp/h4-traffic-details.png' });

    const api = await sourceIdByName(page, 'snet-payments-api');
    await page.locator(`[data-testid="observed-source"][data-source-id="${api}"]`).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="observed-summary"]')?.textContent?.startsWith('374 flows') ?? false);
    expect(await page.locator('[data-testid="traffic-finding"][data-code="denied-traffic"]').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="observed-row"][data-action="deny"]').first().textContent()).toContain('pypi.org');
  });

  it('the cost view rolls the estimate up by owner, with the price date and bytes used, gaps as gaps', async () => {
    await page.getByTestId('show-cost').click();
    await page.getByTestId('cost-view').waitFor();
    const owners = await page.locator('[data-testid="cost-by-owner"] [data-testid="cost-rollup-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));
    expect(owners.length).toBeGreaterThan(0);
    const basis = await page.getByTestId('cost-basis').textContent();
    expect(basis).toMatch(/as of \d{4}-\d{2}-\d{2}/);
    expect(basis).toContain('flow logs');
    expect(await page.getByTestId('cost-total').textContent()).toMatch(/^\$[\d,]+\.\d{2}$/);
    const bytes = await page.getByTestId('cost-bytes').allTextContents();
    expect(bytes.some((b) => /flow log/i.test(b))).toBe(true);
    // A missing figure reads "missing" with its reason, never $0.00.
    const missing = page.locator('[data-testid="cost-line"][data-missing="true"]');
    for (const text of await missing.allTextContents()) expect(text).not.toContain('$0.00');
    await expectAccessible(page, ['[data-testid="cost-view"]']);
    await screenshot(page, 'traffic-cost');
    await page.screenshot({ path: '/tmp/h4-traffic-cost.png' });
    await page.getByTestId('cost-back').click();
    expect(await page.getByTestId('cost-view').count()).toBe(0);
  });

  it('removing the logs clears the marks', async () => {
    await page.getByRole('button', { name: 'Remove the logs' }).click();
    expect(await page.getByTestId('traffic-banner').count()).toBe(0);
    expect(await observedWidths(page)).toEqual({});
    expect(await badges(page)).toEqual([]);
  });

  it('"Sample logs" loads the demo\'s sample set in one step', async () => {
    await page.getByTestId('sample-logs').click();
    await page.getByTestId('traffic-banner').waitFor();
    expect(await page.getByTestId('traffic-banner').textContent()).toContain('3 files (az-cli, log-analytics-rest, vnet-flow-log)');
    expect((await badges(page)).filter((b) => b.denied).length).toBe(2);
    expect(await page.getByTestId('sample-logs').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  // WCAG 2.2 AA 2.5.8: the sidebar's observed sources are buttons packed one under another; each
  // must be 24 px high at least (they were 22-23.9 px), in either scheme and on a small laptop.
  it.each(['light', 'dark'] as const)('the observed-source buttons meet the 24 px target size (%s scheme)', async (scheme) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 1280, height: 720 });
    try {
      await page.getByTestId('observed-source').first().waitFor();
      await screenshot(page, `traffic-sample-logs-${scheme}-1280`);
      const heights = await page.getByTestId('observed-source').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height));
      expect(heights.length).toBeGreaterThan(1);
      for (const h of heights) expect(h).toBeGreaterThanOrEqual(24);
      const results = await new AxeBuilder({ page }).withRules(['target-size']).analyze();
      expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
      await expectAccessible(page, ['[data-testid="observed-sources"]', '[data-testid="traffic-banner"]']);
    } finally {
      await page.emulateMedia({ colorScheme: 'light' });
      await page.setViewportSize({ width: 1440, height: 900 });
    }
  });
});

// Keep the sample's texts honest: what the test wrote is what the services generate.
describe('sample files on disk', () => {
  it('match the generator', async () => {
    for (const [i, f] of sampleLogsFor('bank').entries()) expect(await readFile(logPaths[i]!, 'utf8')).toBe(f.text);
  });
});

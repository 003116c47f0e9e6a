/**
 * The flow overview at 1440×900 (issue 12): a large synthetic tenant opened as `npm run web -- FILE`
 * does (the main side loads it in the background, the page shows the progress, then opens the flow
 * overview without ever receiving the snapshot), a band click (and Enter on a focused band) filters
 * the list to the band's sources and opens the first, grouping by owner tag, both themes, axe; and
 * on a small estate, the flow overview picked in the View menu filters the ordinary source list.
 * Screenshots: test-results/screenshots/flow-overview-*.png (and /tmp/h6-*.png).
 */
import AxeBuilder from '@axe-core/playwright';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSyntheticEstate } from '../../shared/demo/index';
import { startWebServer, type WebServer } from '../../electron/web/server';
import { buildRendererOnce, launchChromium, screenshot, SCREENSHOT_DIR, waitForRenders } from './browser';

const ESTATE = { subscriptions: 4, virtualNetworks: 40, subnets: 2400, networkInterfaces: 3000, seed: 5 } as const;

let renderer: Awaited<ReturnType<typeof buildRendererOnce>>;
let dir: string;
let file: string;
let browser: Browser;

beforeAll(async () => {
  renderer = await buildRendererOnce();
  dir = await mkdtemp(join(tmpdir(), 'egress-atlas-e2e-flow-'));
  file = join(dir, 'tenant-export.json');
  await writeFile(file, JSON.stringify(generateSyntheticEstate(ESTATE)));
  browser = await launchChromium();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await renderer?.remove();
  await rm(dir, { recursive: true, force: true });
});

async function shot(page: Page, name: string): Promise<void> {
  await screenshot(page, `flow-overview-${name}`);
  await copyFile(join(SCREENSHOT_DIR, `flow-overview-${name}.png`), `/tmp/h6-${name}.png`).catch(() => undefined);
}

async function expectNoAxeViolations(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
  const report = results.violations.map((v) => `${v.id}: ${v.help} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(report, `${label}: axe violations`).toEqual([]);
}

/** Clicks a band where it is drawn: a point on its outline just after it leaves its bar (a band's box centre may lie on another). */
async function clickBand(page: Page, bandId: string): Promise<void> {
  const point = await page.locator(`[data-testid="flow-band"][data-band-id="${bandId}"] path`).evaluate((el) => {
    const path = el as SVGPathElement;
    const p = path.getPointAtLength(Math.min(12, path.getTotalLength() / 4));
    const m = path.getScreenCTM();
    return m ? { x: p.x * m.a + m.e, y: p.y * m.d + m.f + 0.5 } : null;
  });
  if (!point) throw new Error(`band ${bandId} is not drawn`);
  await page.mouse.click(point.x, point.y);
}

/** Band labels whose box meets the box of a bar's name or count. */
function labelCollisions(page: Page): Promise<string[]> {
  return page.locator('[data-testid="flow-svg"]').evaluate((svg) => {
    const boxes = (selector: string) => Array.from(svg.querySelectorAll<SVGTextElement>(selector)).map((t) => ({ text: t.textContent ?? '', box: t.getBoundingClientRect() }));
    const names = boxes('g.flow-nodes text');
    const hits: string[] = [];
    for (const label of boxes('.flow-band-label')) {
      for (const name of names) {
        const a = label.box;
        const b = name.box;
        if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) hits.push(`${label.text} × ${name.text}`);
      }
    }
    return hits;
  });
}

/** Sum of the counts written on the bands leaving the source column. */
async function sourceBandTotal(page: Page): Promise<number> {
  return page.locator('[data-testid="flow-band"][data-band-id^="s:"]').evaluateAll((els) => els.reduce((s, e) => s + Number(e.getAttribute('data-count')), 0));
}

describe('a large estate opened from a file: the flow overview', () => {
  let server: WebServer;
  let page: Page;
  const operations: string[] = [];
  const pageErrors: string[] = [];

  let loadStartedAt = 0;
  beforeAll(async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith('/api/')) operations.push(path.slice('/api/'.length));
    });
    // Every progress line the page shows, however briefly (the load takes a second or two).
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { __progressSeen: string[] }).__progressSeen = seen;
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid="load-progress"]')?.textContent;
        if (text && seen.at(-1) !== text) seen.push(text);
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    // The page opens as soon as the server listens, as a user does with the printed URL.
    loadStartedAt = performance.now();
    server = await startWebServer({ staticDir: renderer.dir, openPaths: [file], dataDir: null, loadInBackground: true });
    await page.goto(server.url);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  it('shows the load progress, then the flow overview, without the snapshot or every path', async () => {
    await page.getByTestId('flow-svg').waitFor({ timeout: 60_000 });
    const openedMs = performance.now() - loadStartedAt;
    const seen = await page.evaluate(() => (window as unknown as { __progressSeen: string[] }).__progressSeen);
    expect(seen.length, `progress lines seen (opened in ${Math.round(openedMs)} ms)`).toBeGreaterThan(0);
    expect(seen.join('\n')).toMatch(/Reading [\d.]+ of [\d.]+ MB|resources \(2,400 subnets|sources resolved/);
    expect(operations).toContain('loadStatus');
    expect(operations).toContain('estateOverview');
    for (const op of ['openLoaded', 'resolve', 'importFiles']) expect(operations).not.toContain(op);
    await expect(page.getByTestId('estate-title').textContent()).resolves.toBe('tenant-export.json');
    const summary = await page.getByTestId('large-estate-summary').textContent();
    const total = Number(/^([\d,]+) sources/.exec(summary ?? '')?.[1]?.replace(/,/g, ''));
    expect(total).toBeGreaterThan(2000);
    // Bands out of the sources add up to every source; every band carries its count.
    expect(await sourceBandTotal(page)).toBe(total);
    const labels = await page.locator('.flow-band-label').allTextContents();
    expect(labels.length).toBe(await page.getByTestId('flow-band').count());
    expect(labels.every((l) => /^[\d,]+( · bypasses firewall| · bypass)?$/.test(l))).toBe(true);
    // Bypass bands stand out: hatched, dashed, labelled.
    const bypass = page.locator('[data-testid="flow-band"][data-bypass="true"]').first();
    await expect(bypass.locator('path').getAttribute('stroke-dasharray')).resolves.toBe('6 3');
    await expect(bypass.locator('path').getAttribute('fill')).resolves.toBe('url(#flow-hatch)');
    expect(labels.some((l) => l.includes(' · bypass'))).toBe(true);
    // No band's label runs into a bar's name or count in the next column: in this narrower pane a
    // bypass leaving its sources says "· bypass"; the legend above says what the hatching means.
    expect(await labelCollisions(page)).toEqual([]);
    await expect(page.locator('.flow-key').textContent()).resolves.toContain('bypasses firewall');
    await page.setViewportSize({ width: 1920, height: 1080 });
    try {
      await expect.poll(async () => (await page.locator('.flow-band-label').allTextContents()).some((l) => l.endsWith(' · bypasses firewall'))).toBe(true);
      expect(await labelCollisions(page)).toEqual([]);
    } finally {
      await page.setViewportSize({ width: 1440, height: 900 });
    }
    // Labels are never drawn below 11 px.
    const sizes = await page.locator('[data-testid="flow-svg"] text').evaluateAll((els) => els.map((e) => parseFloat(getComputedStyle(e).fontSize)));
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(11);
    await expect(page.getByTestId('source-count').textContent()).resolves.toBe(`${total.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} sources`);
    await shot(page, 'large-light');
    await expectNoAxeViolations(page, 'flow overview (light)');
  }, 90_000);

  it('a band click filters the list to its sources and opens the first; Esc returns, × clears', async () => {
    const band = page.locator('[data-testid="flow-band"][data-bypass="true"][data-band-id^="s:"]').first();
    const count = Number(await band.getAttribute('data-count'));
    await clickBand(page, await band.getAttribute('data-band-id') ?? '');
    await page.getByTestId('band-chip').waitFor();
    await expect(page.getByTestId('band-chip').textContent()).resolves.toMatch(/^Filtered by band .+ → No inspection: [\d,]+ sources?, bypasses firewall×$/);
    await expect.poll(() => page.getByTestId('source-count').textContent()).toMatch(new RegExp(`^${count.toLocaleString('en-US')} of `));
    const badges = await page.locator('[data-testid="source-row"] .badge').allTextContents();
    expect(badges.length).toBeGreaterThan(0);
    expect(badges.every((b) => b === 'Internet · bypass')).toBe(true);
    // The first source is opened: its path drawn and explained.
    await expect.poll(() => page.locator('[data-testid="source-row"][aria-selected="true"]').count(), { timeout: 30_000 }).toBe(1);
    await page.getByTestId('graph').waitFor({ timeout: 30_000 });
    await waitForRenders(page, 1, 60_000);
    await expect(page.getByTestId('flow-svg').count()).resolves.toBe(0);
    // "Can reach", asked of the main side for the opened source as in the whole workspace: a
    // source that bypasses every firewall reaches any public destination.
    await expect.poll(() => page.getByTestId('can-reach').getAttribute('aria-busy'), { timeout: 30_000 }).toBe('false');
    await expect(page.getByTestId('reach-unrestricted').textContent()).resolves.toMatch(/^Unrestricted: any public destination/);
    expect(operations).toContain('reach');
    await shot(page, 'large-band-opened');
    await page.keyboard.press('Escape');
    await page.getByTestId('flow-svg').waitFor();
    await expect(page.locator('[data-testid="flow-band"][aria-pressed="true"]').count()).resolves.toBe(1);
    await page.getByTestId('band-chip-clear').click();
    await expect.poll(() => page.getByTestId('band-chip').count()).toBe(0);
    await expect.poll(() => page.getByTestId('source-count').textContent()).toMatch(/^([\d,]+) of \1 sources$/);
  }, 90_000);

  it('keyboard: Tab reaches the bands and Enter opens one; grouping by owner tag regroups the sources', async () => {
    await page.getByTestId('flow-grouping').selectOption('owner');
    await expect.poll(() => page.locator('[data-testid="flow-node"][data-node-id^="s:"]').first().textContent()).toMatch(/^Owner |^No owner tag/);
    const total = Number((await page.getByTestId('large-estate-summary').textContent())?.match(/^([\d,]+)/)?.[1]?.replace(/,/g, ''));
    expect(await sourceBandTotal(page)).toBe(total);
    await page.getByTestId('flow-grouping').focus();
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
    expect(focused).toBe('flow-band');
    const id = await page.evaluate(() => document.activeElement?.getAttribute('data-band-id'));
    await page.keyboard.press('Enter');
    await page.getByTestId('band-chip').waitFor();
    // The overview gives way to the first source's path.
    await expect.poll(() => page.locator(`[data-testid="flow-band"][data-band-id="${id ?? ''}"]`).count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => page.locator('[data-testid="source-row"][aria-selected="true"]').count()).toBe(1);
    await page.keyboard.press('Escape');
    await page.getByTestId('flow-svg').waitFor();
    await page.getByTestId('band-chip-clear').click();
  }, 90_000);

  it('dark theme: the same overview, readable', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByTestId('flow-grouping').selectOption('virtual-network');
    await page.getByTestId('flow-svg').waitFor();
    // The regrouped overview replaces the owner one: wait for it before reading a label's colour.
    await expect.poll(() => page.locator('[data-testid="flow-node"][data-node-id^="s:"]').first().textContent()).not.toMatch(/^Owner |^No owner tag/);
    await expect.poll(() => page.locator('.flow-label').first().evaluate((e) => getComputedStyle(e).getPropertyValue('fill'))).toBe('rgb(227, 232, 238)');
    await shot(page, 'large-dark');
    await expectNoAxeViolations(page, 'flow overview (dark)');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('"All features…" opens the same estate whole: what-if, destinations, policies, exports', async () => {
    const total = Number((await page.getByTestId('large-estate-summary').textContent())?.match(/^([\d,]+)/)?.[1]?.replace(/,/g, ''));
    await page.getByTestId('open-full-workspace').click();
    await page.getByRole('textbox', { name: /what if/i }).waitFor({ timeout: 120_000 });
    expect(operations).toContain('openLoaded');
    expect(operations).toContain('resolve');
    await expect(page.getByTestId('estate-title').textContent()).resolves.toBe('tenant-export.json');
    for (const name of [/^Policy/, /^Destinations/, /^Export/]) await expect(page.getByRole('button', { name }).count()).resolves.toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('source-count').textContent(), { timeout: 60_000 }).toMatch(new RegExp(`of (${total}|${total.toLocaleString('en-US')}) sources`));
    expect(pageErrors).toEqual([]);
  }, 180_000);
});

describe('a small estate: the flow overview from the View menu', () => {
  it('filters the ordinary list by band, with a chip to clear', async () => {
    const server = await startWebServer({ staticDir: renderer.dir, demo: null, dataDir: null });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    try {
      await page.goto(server.launchUrl('training'));
      await waitForRenders(page, 1);
      // Small enough for the node graph: no flow overview until it is picked.
      await expect(page.getByTestId('flow-svg').count()).resolves.toBe(0);
      await page.locator('#view-mode').selectOption('flow');
      await page.getByTestId('flow-svg').waitFor();
      const total = await page.evaluate(() => window.__egressAtlasTest?.state?.result?.paths.length ?? 0);
      expect(await sourceBandTotal(page)).toBe(total);
      const band = page.locator('[data-testid="flow-band"][data-bypass="true"][data-band-id^="s:"]').first();
      const count = Number(await band.getAttribute('data-count'));
      await clickBand(page, await band.getAttribute('data-band-id') ?? '');
      await expect(page.getByTestId('band-chip').textContent()).resolves.toContain('bypasses firewall');
      const shown = await page.evaluate(() => window.__egressAtlasTest?.visibleSourceIds.length ?? 0);
      expect(shown).toBeGreaterThanOrEqual(count);
      const selected = await page.evaluate(() => window.__egressAtlasTest?.state?.selectedSourceId ?? null);
      expect(selected).not.toBeNull();
      await page.keyboard.press('Escape');
      await page.getByTestId('flow-svg').waitFor();
      await shot(page, 'training-flow');
      await page.getByTestId('band-chip-clear').click();
      await expect.poll(() => page.evaluate(() => window.__egressAtlasTest?.visibleSourceIds.length ?? 0)).toBe(total);
    } finally {
      await context.close();
      await server.close();
    }
  }, 90_000);
});

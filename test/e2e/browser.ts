/**
 * E2E plumbing shared by the renderer e2e test and the UI bench: the loopback web server (the real
 * main-side services, which also builds renderer/dist when stale) and one headless Chromium.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { EgressAtlasApi } from '../../shared/ipc/contract';
import { startWebServer, type WebServer } from '../../electron/web/server';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export const SCREENSHOT_DIR = 'test-results/screenshots';

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/**
 * Builds the renderer once into a private temporary directory. The shared renderer/dist is rebuilt
 * by any web server that finds it stale (other suites start servers too), and a rebuild empties it
 * under a running page; a private copy keeps this suite independent of that.
 */
export async function buildRendererOnce(): Promise<{ readonly dir: string; readonly remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'egress-atlas-renderer-'));
  // vitest sets NODE_ENV=test, which would make vite bundle React's development build; test and
  // measure what ships.
  const nodeEnv = process.env['NODE_ENV'];
  process.env['NODE_ENV'] = 'production';
  try {
    await build({ configFile: 'renderer/vite.config.ts', mode: 'production', logLevel: 'error', build: { outDir: dir, emptyOutDir: true } });
  } finally {
    process.env['NODE_ENV'] = nodeEnv;
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export async function startServer(options: {
  readonly staticDir: string;
  readonly services?: EgressAtlasApi;
  /** Where the real services keep the recent list; absent or null: memory only. */
  readonly dataDir?: string | null;
}): Promise<WebServer> {
  return startWebServer({ ...(options.services ? { services: options.services } : {}), staticDir: options.staticDir, demo: null, dataDir: options.dataDir ?? null });
}

/** One browser-mode app for a test file: a private renderer build, the real services, Chromium and a page. */
export interface AppSession {
  readonly server: WebServer;
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Uncaught page errors, for `expect(pageErrors).toEqual([])`. */
  readonly pageErrors: string[];
  close(): Promise<void>;
}

/** A server, Chromium and a page; with `demo`, the page has opened that demo and drawn it once. */
export async function openAppSession(options: { readonly dataDir?: string | null; readonly demo?: string } = {}): Promise<AppSession> {
  const renderer = await buildRendererOnce();
  const server = await startServer({ staticDir: renderer.dir, dataDir: options.dataDir ?? null });
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  if (options.demo !== undefined) {
    await page.goto(server.launchUrl(options.demo));
    await waitForRenders(page, 1);
  }
  return {
    server, browser, context, page, pageErrors,
    close: async () => {
      await browser.close();
      await server.close();
      await renderer.remove();
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOT_DIR}/${name}.png` });
}

/** Waits until the graph has been laid out and drawn `count` times in total. */
export async function waitForRenders(page: Page, count: number, timeoutMs = 30_000): Promise<void> {
  await page.waitForFunction((n) => (window.__egressAtlasTest?.renders ?? 0) >= n && window.__egressAtlasTest?.layingOut === false, count, { timeout: timeoutMs });
}

export async function renders(page: Page): Promise<number> {
  return page.evaluate(() => window.__egressAtlasTest?.renders ?? 0);
}

/** IDs of the elements the current highlight keeps (class `path`). */
export async function highlightedIds(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const cy = window.__egressAtlasTest?.cy;
    return cy ? cy.$('.path').map((e) => e.id()).sort() : [];
  });
}

/** Clicks a graph node where cytoscape drew it. */
export async function clickGraphNode(page: Page, nodeId: string): Promise<void> {
  const point = await page.evaluate((id) => {
    const cy = window.__egressAtlasTest?.cy;
    const node = cy?.getElementById(id);
    if (!cy || !node || node.empty()) return null;
    const box = cy.container()?.getBoundingClientRect();
    const p = node.renderedPosition();
    return box ? { x: box.left + p.x, y: box.top + p.y } : null;
  }, nodeId);
  if (!point) throw new Error(`Node ${nodeId} is not on the graph`);
  await page.mouse.click(point.x, point.y);
}

/** The source ID of the path whose source has this name, from the page's current result. */
export async function sourceIdByName(page: Page, name: string): Promise<string> {
  const id = await page.evaluate((n) => window.__egressAtlasTest?.state?.result?.paths.find((x) => x.source.name === n)?.source.id ?? null, name);
  if (id === null) throw new Error(`No path for ${name}`);
  return id;
}

/** A source's row in the source list (other panels tag elements with the same data-source-id). */
export function sourceRow(page: Page, sourceId: string): Locator {
  return page.locator(`[data-testid="source-row"][data-source-id="${sourceId.replace(/["\\]/g, '\\$&')}"]`);
}

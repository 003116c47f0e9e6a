/**
 * `egress-atlas ui FILE` / `npm run web -- FILE` in headless Chromium: the server loads the file on
 * the main side and the printed URL opens it with no click and no upload (no `importFiles` call).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSyntheticEstate } from '../../shared/demo/index';
import { startWebServer, type WebServer } from '../../electron/web/server';
import { buildRendererOnce, launchChromium, screenshot, waitForRenders } from './browser';

let renderer: Awaited<ReturnType<typeof buildRendererOnce>>;
let dir: string;
let server: WebServer;
let browser: Browser;

beforeAll(async () => {
  renderer = await buildRendererOnce();
  dir = await mkdtemp(join(tmpdir(), 'egress-atlas-e2e-open-file-'));
  const file = join(dir, 'tenant-export.json');
  await writeFile(file, JSON.stringify(generateSyntheticEstate({ subscriptions: 2, virtualNetworks: 4, subnets: 16, networkInterfaces: 40, seed: 7 })));
  server = await startWebServer({ staticDir: renderer.dir, openPaths: [file], dataDir: null });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await renderer?.remove();
  await rm(dir, { recursive: true, force: true });
});

describe('opening a file given on the command line', () => {
  it('shows the estate title and its graph straight away, without any click or upload', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const operations: string[] = [];
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith('/api/')) operations.push(path.slice('/api/'.length));
    });
    await page.goto(server.url);
    await expect.poll(() => page.getByTestId('estate-title').textContent(), { timeout: 30_000 }).toBe('tenant-export.json');
    await waitForRenders(page, 1);
    expect(operations).toContain('openLoaded');
    expect(operations).not.toContain('importFiles');
    expect(operations).not.toContain('openDemo');
    // The launch code is gone from the address bar; the estate reference stays (harmless without the token).
    expect(page.url()).not.toContain('code=');
    await screenshot(page, 'open-file-ui');
    expect(pageErrors).toEqual([]);
    await context.close();
  }, 60_000);
});

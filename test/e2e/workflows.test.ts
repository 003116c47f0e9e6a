/**
 * Whole user workflows in headless Chromium against the real main-side services: drag-and-drop
 * import, the recent list (on disk, in a fresh data directory), PNG / JSON exports, cancelling a
 * demo-Azure pull, and keyboard navigation with zoom onto the path.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { virtualNetwork, type Scope } from '../../shared/demo/arm-builders';
import type { IpcResult, OpenedEstate, PullProgress, PullStatus } from '../../shared/ipc/contract';
import { API_PATH_PREFIX, TOKEN_HEADER } from '../../shared/ipc/security';
import type { WebServer } from '../../electron/web/server';
import { clickGraphNode, highlightedIds, openAppSession, renders, screenshot, waitForRenders, type AppSession } from './browser';

let app: AppSession;
let dataDir: string;
/** Where the test keeps files it drags from disk. */
let dropDir: string;
let server: WebServer;
let context: BrowserContext;
let page: Page;
let pageErrors: string[] = [];

const DROPPED_FILE = 'legacy-vnet.json';
const DROPPED_SUBNET = 'snet-legacy-batch';

/**
 * One VNet, one subnet with `defaultOutboundAccess` not set: an older-API subnet whose VMs get
 * Azure's implicit default outbound IP.
 * [DOA] https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access
 */
function legacyBundleText(): string {
  const scope: Scope = { subscriptionId: '00000000-0000-0000-0000-0000000000d1', resourceGroup: 'rg-legacy', location: 'westeurope', tags: {} };
  const vnet = virtualNetwork(scope, 'vnet-legacy', ['10.40.0.0/16'], [{ name: DROPPED_SUBNET, addressPrefix: '10.40.1.0/24' }]);
  return JSON.stringify({ resources: [vnet] });
}

async function goToStart(): Promise<void> {
  await page.goto(server.launchUrl(null));
  await page.getByTestId('dropzone').waitFor();
  // The demo cards arrive after the first paint and push the drop zone down: measure after them.
  await page.locator('button.card[data-demo]').first().waitFor();
}

/** The ← button in the top bar. */
async function backToStart(): Promise<void> {
  await page.getByTitle('Back to the start screen').click();
  await page.getByTestId('dropzone').waitFor();
}

function selectedSourceId(p: Page): Promise<string | null> {
  return p.evaluate(() => window.__egressAtlasTest?.state?.selectedSourceId ?? null);
}

function viewport(p: Page): Promise<{ readonly zoom: number; readonly x: number; readonly y: number }> {
  return p.evaluate(() => {
    const cy = window.__egressAtlasTest?.cy;
    if (!cy) throw new Error('No graph');
    const pan = cy.pan();
    return { zoom: cy.zoom(), x: pan.x, y: pan.y };
  });
}

/**
 * Fires HTML drag events at the drop zone with a DataTransfer holding one file, as a drag from
 * the file manager would. Answers, per event, whether a handler cancelled it (for dragover and
 * drop that is how the page says it accepts the files).
 */
async function dragFileOntoDropzone(name: string, text: string, types: readonly string[]): Promise<boolean[]> {
  return page.evaluate(({ name: fileName, text: fileText, types: eventTypes }) => {
    const zone = document.querySelector('[data-testid="dropzone"]');
    if (!zone) throw new Error('No drop zone');
    const transfer = new DataTransfer();
    transfer.items.add(new File([fileText], fileName, { type: 'application/json' }));
    return eventTypes.map((type) => !zone.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true })));
  }, { name, text, types });
}

/** One operation straight from the bridge, as the page would send it. */
async function callBridge<T>(op: string, request: unknown): Promise<T> {
  const response = await fetch(`${server.origin}${API_PATH_PREFIX}${op}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', [TOKEN_HEADER]: server.token },
    body: JSON.stringify(request),
  });
  const result = await response.json() as IpcResult<T>;
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/** A pull job's status straight from the bridge, as the page would ask for it. */
function pullStatus(jobId: string): Promise<PullStatus> {
  return callBridge<PullStatus>('pullStatus', { jobId });
}

/** The list entry of a recent item, by its title. */
function recentItem(title: string) {
  return page.locator('ul.recent li').filter({ has: page.getByText(title, { exact: true }) });
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'egress-atlas-data-'));
  dropDir = await mkdtemp(join(tmpdir(), 'egress-atlas-drop-'));
  app = await openAppSession({ dataDir });
  ({ server, context, page, pageErrors } = app);
}, 120_000);

afterAll(async () => {
  await app?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  if (dropDir) await rm(dropDir, { recursive: true, force: true });
});

describe('workflows in the browser', () => {
  it('a dropped file that is not JSON is reported on the start screen and opens nothing', async () => {
    await goToStart();
    const accepted = await dragFileOntoDropzone('notes.json', 'these are not the bytes you are looking for', ['dragenter', 'dragover', 'drop']);
    expect(accepted).toEqual([true, true, true]);
    await page.getByRole('alert').waitFor();
    await expect(page.getByTestId('error-message').textContent()).resolves.toMatch(/JSON/i);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('notes.json');
    expect(await page.getByTestId('dropzone').getAttribute('class')).toBe('dropzone');
    expect(await page.getByTestId('estate-title').count()).toBe(0);
    await screenshot(page, 'workflow-drop-error');
    await page.getByRole('button', { name: 'Dismiss error' }).click();
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  it('a snapshot edited after capture is refused in plain language', async () => {
    await goToStart();
    const [{ buildDemoSnapshot }, { formatSnapshot }, { DEMO_ESTATES }] = await Promise.all([
      import('../../electron/snapshot/demo-snapshot'), import('../../electron/snapshot/snapshot'), import('../../shared/demo/index'),
    ]);
    const bank = DEMO_ESTATES.find((d) => d.name === 'bank');
    if (!bank) throw new Error('no bank demo');
    const text = formatSnapshot(buildDemoSnapshot(bank)).replace('"snet-payments-reporting"', '"snet-payments-reportinh"');
    await dragFileOntoDropzone('evidence-2026.json', text, ['dragenter', 'dragover', 'drop']);
    await page.getByRole('alert').waitFor();
    const alert = await page.getByRole('alert').textContent();
    expect(alert).toContain('This snapshot cannot be trusted');
    expect(alert).toContain('evidence-2026.json was changed after it was captured, or damaged');
    expect(alert).not.toMatch(/[0-9a-f]{64}/);
    expect(await page.getByTestId('estate-title').count()).toBe(0);
    await page.getByRole('button', { name: 'Dismiss error' }).click();
  });

  it('drag-and-drop of an ARM bundle on the start screen opens it', async () => {
    await goToStart();
    const before = await renders(page);
    const [, overAccepted] = await dragFileOntoDropzone(DROPPED_FILE, legacyBundleText(), ['dragenter', 'dragover']);
    expect(overAccepted).toBe(true);
    // React re-renders after the event: the zone shows it will take the files.
    await expect.poll(() => page.getByTestId('dropzone').getAttribute('class')).toContain('over');
    const [dropAccepted] = await dragFileOntoDropzone(DROPPED_FILE, legacyBundleText(), ['drop']);
    expect(dropAccepted).toBe(true);
    await waitForRenders(page, before + 1);
    await expect(page.getByTestId('estate-title').textContent()).resolves.toBe(DROPPED_FILE);
    const row = page.getByTestId('source-row').filter({ has: page.getByText(DROPPED_SUBNET, { exact: true }) });
    await expect(row.count()).resolves.toBe(1);
    await expect(row.locator('.badge').textContent()).resolves.toBe('Default outbound');
    await row.click();
    await expect(page.getByTestId('explanation').locator('h2').textContent()).resolves.toBe(DROPPED_SUBNET);
    await expect(page.getByTestId('verdict-badge').textContent()).resolves.toBe('Default outbound');
    await screenshot(page, 'workflow-drag-drop');
  });

  it('recent files: the demo and the imported file are listed, and the import reopens', async () => {
    // The dropped file is already in the recent list; now a demo too.
    await backToStart();
    const bankCard = page.locator('button.card[data-demo="bank"]');
    const bankTitle = (await bankCard.locator('.title').textContent()) ?? '';
    expect(bankTitle).not.toBe('');
    let before = await renders(page);
    await bankCard.click();
    await waitForRenders(page, before + 1);
    await expect(page.getByTestId('estate-title').textContent()).resolves.toBe(bankTitle);
    await backToStart();
    await recentItem(DROPPED_FILE).waitFor();
    await recentItem(bankTitle).waitFor();
    await expect(recentItem(DROPPED_FILE).locator('.when').textContent()).resolves.toMatch(/^files · /);
    await expect(recentItem(bankTitle).locator('.when').textContent()).resolves.toMatch(/^demo · /);
    // Newest first.
    const titles = await page.locator('ul.recent li > span:not(.when)').allTextContents();
    expect(titles.slice(0, 2)).toEqual([bankTitle, DROPPED_FILE]);
    // Kept on disk in the data directory, not only in the page.
    const stored = await readFile(join(dataDir, 'recent.json'), 'utf8');
    expect(stored).toContain(DROPPED_FILE);
    expect(stored).toContain(bankTitle);
    await screenshot(page, 'workflow-recent');
    before = await renders(page);
    await recentItem(DROPPED_FILE).getByRole('button', { name: 'Open' }).click();
    await waitForRenders(page, before + 1);
    await expect(page.getByTestId('estate-title').textContent()).resolves.toBe(DROPPED_FILE);
    await expect(page.getByTestId('source-row').filter({ has: page.getByText(DROPPED_SUBNET, { exact: true }) }).count()).resolves.toBe(1);
  });

  it('says the demo estates are loading until the main side has listed them, never that there are none', async () => {
    let release: () => void = () => undefined;
    const answered = new Promise<void>((resolve) => { release = resolve; });
    await page.route(`**${API_PATH_PREFIX}listDemos`, async (route) => { await answered; await route.continue(); });
    try {
      await page.goto(server.launchUrl(null));
      await page.getByTestId('dropzone').waitFor();
      await expect(page.locator('.cards').textContent()).resolves.toBe('Loading demo estates…');
      expect(await page.locator('.cards').getAttribute('aria-busy')).toBe('true');
      release();
      await page.locator('button.card[data-demo="bank"]').waitFor();
      await expect(page.locator('.cards').textContent()).resolves.not.toMatch(/Loading|No demo estates/);
      expect(await page.locator('.cards').getAttribute('aria-busy')).toBe('false');
    } finally {
      release();
      await page.unroute(`**${API_PATH_PREFIX}listDemos`);
    }
  });

  it('the start screen at 1280 and 1440 px: every field shows its whole placeholder, no demo card text runs past its card', async () => {
    try {
      for (const width of [1280, 1440]) {
        await page.setViewportSize({ width, height: 900 });
        await goToStart();
        const misfits = await page.evaluate(() => {
          const ctx = document.createElement('canvas').getContext('2d');
          if (!ctx) return ['no canvas'];
          const out: string[] = [];
          for (const input of Array.from(document.querySelectorAll<HTMLInputElement>('main.start input[placeholder]'))) {
            const cs = getComputedStyle(input);
            ctx.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
            const room = input.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
            if (Math.ceil(ctx.measureText(input.placeholder).width) > Math.floor(room)) out.push(`placeholder: ${input.placeholder}`);
          }
          for (const card of Array.from(document.querySelectorAll<HTMLElement>('button.card'))) {
            for (const part of Array.from(card.querySelectorAll<HTMLElement>('.title, .desc'))) {
              if (part.scrollWidth > part.clientWidth) out.push(`card ${card.dataset.demo ?? ''}: ${part.className}`);
            }
          }
          return out;
        });
        expect(misfits, `${width} px`).toEqual([]);
      }
    } finally {
      await page.setViewportSize({ width: 1440, height: 900 });
    }
  });

  it('a browser-level drag of a file from disk (Chromium drag pipeline, not DOM events) opens it too', async () => {
    // Input.dispatchDragEvent drives Chromium's own drag and drop, as the OS would: the page must
    // accept the drag through its dragenter / dragover handling for the drop to reach it at all.
    const file = join(dropDir, 'legacy-vnet-from-disk.json');
    await writeFile(file, legacyBundleText());
    await goToStart();
    const box = await page.getByTestId('dropzone').boundingBox();
    if (!box) throw new Error('No drop zone on screen');
    const at = { x: box.x + box.width / 2, y: box.y + 12 };
    const data = { items: [], files: [file], dragOperationsMask: 1 };
    const cdp = await context.newCDPSession(page);
    const before = await renders(page);
    await cdp.send('Input.dispatchDragEvent', { type: 'dragEnter', ...at, data });
    await cdp.send('Input.dispatchDragEvent', { type: 'dragOver', ...at, data });
    await expect.poll(() => page.getByTestId('dropzone').getAttribute('class')).toBe('dropzone over');
    await cdp.send('Input.dispatchDragEvent', { type: 'drop', ...at, data });
    await waitForRenders(page, before + 1);
    await cdp.detach();
    await expect(page.getByTestId('estate-title').textContent()).resolves.toBe('legacy-vnet-from-disk.json');
    const row = page.getByTestId('source-row').filter({ has: page.getByText(DROPPED_SUBNET, { exact: true }) });
    await expect(row.locator('.badge').textContent()).resolves.toBe('Default outbound');
  });

  it('exports the current view as PNG and the paths as JSON', async () => {
    await page.goto(server.launchUrl('bank'));
    await waitForRenders(page, 1);
    await page.getByTestId('export-menu').click();
    const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-png').click()]);
    expect(png.suggestedFilename()).toMatch(/\.png$/);
    const bytes = await readFile(await png.path());
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // The first chunk is IHDR: length (4), type (4), width (4), height (4).
    expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
    expect(bytes.readUInt32BE(16)).toBeGreaterThan(0);
    expect(bytes.readUInt32BE(20)).toBeGreaterThan(0);

    await page.getByTestId('export-menu').click();
    const [json] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
    expect(json.suggestedFilename()).toMatch(/\.json$/);
    const exported = JSON.parse(await readFile(await json.path(), 'utf8')) as { schema?: unknown; paths?: { source: { id: string } }[] };
    expect(exported.schema).toBe('egress-atlas/resolve@1');
    const pathSources = (exported.paths ?? []).map((p) => p.source.id);
    // The list is windowed (only rows in view are mounted): compare with the list's own source IDs.
    const listed = await page.evaluate(() => [...(window.__egressAtlasTest?.visibleSourceIds ?? [])]);
    expect(listed.length).toBeGreaterThan(3);
    expect([...pathSources].sort()).toEqual([...listed].sort());
    expect(new Set(pathSources).size).toBe(pathSources.length);
    await screenshot(page, 'workflow-export');
  });

  it('a demo-Azure pull on a short window brings its progress and Cancel into view', async () => {
    const viewport = page.viewportSize();
    await page.setViewportSize({ width: 1280, height: 560 });
    try {
      await goToStart();
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.getByRole('button', { name: 'Connect' }).click();
      const progress = page.getByTestId('pull-progress');
      await progress.waitFor();
      await expect.poll(async () => {
        const box = await progress.boundingBox();
        return box !== null && box.y >= 0 && box.y + box.height <= 560;
      }, { timeout: 5_000 }).toBe(true);
      await expect(progress.getByText(/^ETA /).textContent()).resolves.toMatch(/^ETA (estimating…|\d+ s|\d+ min \d+ s)$/);
      const cancel = page.getByRole('button', { name: 'Cancel' });
      if (await cancel.count() > 0) await cancel.click().catch(() => undefined);
    } finally {
      if (viewport) await page.setViewportSize(viewport);
    }
  });

  it('cancelling a demo-Azure pull shows it cancelled and leaves a usable start screen', async () => {
    await goToStart();
    await page.getByRole('button', { name: 'Connect' }).click();
    const progress = page.getByTestId('pull-progress');
    await progress.waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => progress.locator('b').first().textContent(), { timeout: 10_000 }).toBe('cancelled');
    await expect(progress.textContent()).resolves.toContain('Pull cancelled');
    await page.getByRole('button', { name: 'Connect' }).waitFor();
    await expect(page.getByRole('button', { name: 'Connect' }).isEnabled()).resolves.toBe(true);
    await expect(page.getByPlaceholder('Tenant ID (optional)').isEnabled()).resolves.toBe(true);
    // No estate opens later: polling has stopped and the start screen stays.
    await page.waitForTimeout(1_500);
    expect(await page.getByTestId('estate-title').count()).toBe(0);
    expect(await page.evaluate(() => window.__egressAtlasTest?.state?.estate ?? null)).toBeNull();
    expect(await page.locator('.banner.error').count()).toBe(0);
    await screenshot(page, 'workflow-pull-cancel');
    // Still usable: a demo opens from the same page.
    const before = await renders(page);
    await page.locator('button.card[data-demo="bank"]').click();
    await waitForRenders(page, before + 1);
    expect(await page.getByTestId('source-row').count()).toBeGreaterThan(3);
  });

  it('opening a demo while a pull runs cancels the pull instead of leaving it running unseen', async () => {
    await goToStart();
    const [started] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/startPull')),
      page.getByRole('button', { name: 'Connect' }).click(),
    ]);
    const startBody = await started.json() as { ok: boolean; value?: { jobId: string } };
    const jobId = startBody.value?.jobId;
    expect(typeof jobId).toBe('string');
    await page.getByTestId('pull-progress').waitFor();
    const before = await renders(page);
    await page.locator('button.card[data-demo="bank"]').click();
    await waitForRenders(page, before + 1);
    // The pull panel is gone with the start screen: nothing could show or cancel that job any more.
    await expect.poll(async () => (await pullStatus(jobId ?? '')).progress.phase, { timeout: 10_000 }).toBe('cancelled');
    await expect(page.getByTestId('estate-title').textContent()).resolves.toContain('Bank');
  });

  it('a pull whose recent-list copy failed opens with that notice in the workspace, until dismissed', async () => {
    // The services give the notice with the estate (test/electron/services/main-services.test.ts);
    // here the page's part: the pull panel goes with the start screen as soon as the estate opens,
    // so the notice must reach the workspace. The bridge's pull answers are replaced by a finished
    // job holding an estate the main side really holds (the bank demo) and the notice.
    const estate = await callBridge<OpenedEstate>('openDemo', { name: 'bank' });
    const notice = 'The estate is open, but no copy could be kept in the recent list (ENOSPC: no space left on device): to open it again later, pull again';
    const done: PullProgress = {
      phase: 'done', resourcesFound: 1, requestsMade: 1, throttleWaitMs: 0, etaMs: 0, completed: 1, total: 1, gaps: [], message: `Pull complete. ${notice}`,
    };
    const status: PullStatus = { jobId: 'pull-e2e-notice', progress: done, estate, notice, error: null };
    await page.route('**/api/startPull', (route) => route.fulfill({ json: { ok: true, value: { jobId: status.jobId } } }));
    await page.route('**/api/pullStatus', (route) => route.fulfill({ json: { ok: true, value: status } }));
    try {
      await goToStart();
      const before = await renders(page);
      await page.getByRole('button', { name: 'Connect' }).click();
      await waitForRenders(page, before + 1);
      const banner = page.getByTestId('estate-notice');
      await expect(banner.locator('.grow').textContent()).resolves.toBe(notice);
      await screenshot(page, 'workflow-pull-notice');
      await page.getByRole('button', { name: 'Dismiss the notice' }).click();
      await expect.poll(() => banner.count()).toBe(0);
      expect(await page.getByTestId('source-row').count()).toBeGreaterThan(3);
    } finally {
      await page.unroute('**/api/startPull');
      await page.unroute('**/api/pullStatus');
    }
  });

  it('a demo whose recent-list entry could not be kept opens with the notice in the workspace', async () => {
    // The services' part is in test/electron/services/main-services.test.ts; here the page shows the
    // notice that comes with an opened estate (a read-only data directory).
    const notice = 'The estate is open, but it could not be kept in the recent list (EACCES: permission denied): to open it again later, open it the same way';
    await page.route('**/api/openDemo', async (route) => {
      const response = await route.fetch();
      const body = await response.json() as { ok: boolean; value?: OpenedEstate };
      await route.fulfill({ response, json: body.ok && body.value ? { ok: true, value: { ...body.value, notice } } : body });
    });
    try {
      await goToStart();
      const before = await renders(page);
      await page.locator('button.card[data-demo="bank"]').click();
      await waitForRenders(page, before + 1);
      await expect(page.getByTestId('estate-notice').locator('.grow').textContent()).resolves.toBe(notice);
    } finally {
      await page.unroute('**/api/openDemo');
    }
  });

  it('keyboard: arrows select the second source, Enter zooms onto its path, Esc clears', async () => {
    await page.goto(server.launchUrl('bank'));
    await waitForRenders(page, 1);
    // The whole graph, fitted, before any selection (every selection now zooms onto its path; Enter does again).
    const fitted = await viewport(page);
    await page.getByTestId('source-list').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const second = page.getByTestId('source-row').nth(1);
    const secondId = await second.getAttribute('data-source-id');
    const secondName = await second.locator('.name').textContent();
    await expect.poll(() => selectedSourceId(page)).toBe(secondId);
    await expect(page.getByTestId('explanation').locator('h2').textContent()).resolves.toBe(secondName);
    await expect.poll(() => highlightedIds(page)).toContain(secondId);
    await page.keyboard.press('Enter');
    // The zoom animates (300 ms): wait for it to settle away from the fitted view. Both may be at
    // the readable zoom (labels never under 11 px), so the pan tells them apart.
    await expect.poll(async () => {
      const now = await viewport(page);
      return now.zoom >= fitted.zoom && (Math.abs(now.x - fitted.x) > 1 || Math.abs(now.y - fitted.y) > 1);
    }, { timeout: 5_000 }).toBe(true);
    // Every element of the path is in view after the zoom, or (a path too long for the pane at the
    // readable zoom) its source end is, and the view label says only part is shown.
    const pathInView = await page.evaluate(() => {
      const cy = window.__egressAtlasTest?.cy;
      if (!cy) return 'no graph';
      const ext = cy.extent();
      // VNet boxes are compound parents as big as the whole VNet: only leaf nodes count.
      const leaves = cy.nodes('.path:childless');
      if (leaves.empty()) return 'no path';
      const inside = (bb: { x1: number; x2: number; y1: number; y2: number }) => bb.x1 >= ext.x1 && bb.x2 <= ext.x2 && bb.y1 >= ext.y1 && bb.y2 <= ext.y2;
      if (inside(leaves.boundingBox({ includeLabels: false }))) return 'whole';
      const id = window.__egressAtlasTest?.state?.selectedSourceId ?? '';
      return inside(cy.getElementById(id).boundingBox({ includeLabels: false })) && document.querySelector('[data-testid="partial-view"]') !== null ? 'source end' : 'lost';
    });
    expect(['whole', 'source end']).toContain(pathInView);
    await page.waitForTimeout(400);
    await screenshot(page, 'workflow-keyboard');
    await page.keyboard.press('Escape');
    await expect.poll(() => selectedSourceId(page)).toBeNull();
    await expect.poll(() => highlightedIds(page)).toEqual([]);
  });

  it('keyboard: Esc leaves the path view after a click on the graph, as the view label says', async () => {
    const before = await renders(page);
    await page.locator('#view-mode').selectOption('overview');
    await waitForRenders(page, before + 1);
    const id = await page.evaluate(() => window.__egressAtlasTest?.state?.result?.paths.find((p) => p.source.name === 'snet-card-auth')?.source.id ?? null);
    if (id === null) throw new Error('No snet-card-auth');
    await page.locator(`[data-source-id="${id}"]`).click();
    await waitForRenders(page, before + 2);
    // In the path view the user clicks the subnet on the graph to read its details...
    await clickGraphNode(page, id);
    await page.getByTestId('resource-details').waitFor();
    await expect(page.locator('.view-label').textContent()).resolves.toMatch(/^Selected path · Esc for the overview/);
    // ...then presses Esc, wherever the keyboard focus now is.
    await page.keyboard.press('Escape');
    await expect.poll(() => selectedSourceId(page)).toBeNull();
    await waitForRenders(page, before + 3);
    await expect(page.locator('.view-label').textContent()).resolves.toContain('VNet overview');
    await screenshot(page, 'workflow-keyboard-graph-esc');
    expect(pageErrors).toEqual([]);
  });

  // The hint under the what-if field is a row at the top of the banners (in the flow), shown while
  // the field has the focus: it used to lie over the banners (z-index 30), hiding the inline
  // validation error while the user typed and the what-if result banner after Enter.
  it('the what-if hint never covers the validation error or the what-if banner', async () => {
    /**
     * Whether something else is drawn over the centre of the element's box (its own banner, where
     * a wrapped inline span's box takes in the text around it, does not count).
     */
    const covered = (testId: string) => page.getByTestId(testId).evaluate((el) => {
      const b = el.getBoundingClientRect();
      const hit = document.elementFromPoint((b.left + b.right) / 2, (b.top + b.bottom) / 2);
      return hit !== null && !el.contains(hit) && !hit.contains(el);
    });
    /** Whether the two elements' boxes overlap (both displayed). */
    const overlap = (a: string, b: string) => page.evaluate(([x, y]) => {
      const ea = document.querySelector(`[data-testid="${x}"]`);
      const eb = document.querySelector(`[data-testid="${y}"]`);
      if (!ea || !eb) return false;
      const ra = ea.getBoundingClientRect();
      const rb = eb.getBoundingClientRect();
      if (ra.height === 0 || rb.height === 0) return false;
      return Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left) >= 1 && Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top) >= 1;
    }, [a, b] as const);
    const input = page.getByTestId('what-if-input');
    const hint = page.getByTestId('what-if-hint');
    for (const [width, height] of [[1280, 720], [1920, 1080]] as const) {
      await page.setViewportSize({ width, height });
      try {
        await page.goto(server.launchUrl('bank'));
        await waitForRenders(page, 1);
        // Focused and empty: the hint shows, pushing the banners down rather than covering them.
        await input.click();
        await expect.poll(() => hint.isVisible()).toBe(true);
        await expect(covered('what-if-hint')).resolves.toBe(false);
        // Typing something that is no destination: the error replaces the hint, uncovered.
        await input.fill('not a destination!!');
        await page.getByTestId('what-if-error').waitFor();
        await screenshot(page, `workflow-what-if-hint-error-${width}x${height}`);
        await expect(overlap('what-if-error', 'what-if-hint')).resolves.toBe(false);
        await expect(covered('what-if-error')).resolves.toBe(false);
        // Enter resolves; the focus stays in the field, the hint stays away from the result banner.
        await input.fill('api.stripe.com');
        await input.press('Enter');
        await page.getByTestId('what-if-banner').waitFor();
        await expect.poll(() => input.evaluate((el) => el === document.activeElement)).toBe(true);
        await screenshot(page, `workflow-what-if-hint-banner-${width}x${height}`);
        await expect(overlap('what-if-interpretation', 'what-if-hint')).resolves.toBe(false);
        await expect(covered('what-if-interpretation')).resolves.toBe(false);
        await input.blur();
      } finally {
        await page.setViewportSize({ width: 1440, height: 900 });
      }
    }
    expect(pageErrors).toEqual([]);
  });

  // The what-if field's placeholder is read whole at 1280 px, also in the fullest one-line bar
  // (Matrix and Guided tour shown); every accepted form is in the hint shown while it has the focus.
  // It used to be cut to "0.0.0.0/0, IP, CIDR," (and "0.0.0.0/0, IP, C"), the rest only in a tooltip.
  it('at 1280 px the what-if field shows its whole placeholder, and its hint lists every form', async () => {
    /** The placeholder's drawn width and the room for text in the field, in px. */
    const placeholderFit = () => page.getByTestId('what-if-input').evaluate((el) => {
      const input = el as HTMLInputElement;
      const cs = getComputedStyle(input);
      const ctx = document.createElement('canvas').getContext('2d');
      if (!ctx) return null;
      ctx.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
      return { text: Math.ceil(ctx.measureText(input.placeholder).width), room: Math.floor(input.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight)) };
    });
    await page.setViewportSize({ width: 1280, height: 720 });
    try {
      for (const demo of ['bank', 'training']) {
        await page.goto(server.launchUrl(demo));
        await waitForRenders(page, 1);
        if (demo === 'training') {
          await page.getByTestId('start-tour').waitFor();
          await page.getByTestId('destinations-input').setInputFiles({ name: 'list.txt', mimeType: 'text/plain', buffer: Buffer.from('8.8.8.8\n') });
          await page.getByTestId('show-matrix').waitFor();
        }
        const fit = await placeholderFit();
        expect(fit, demo).not.toBe(null);
        expect(fit?.text ?? Infinity, `${demo}: placeholder width vs room`).toBeLessThanOrEqual(fit?.room ?? 0);
        // Still one line, nothing pushed past the right edge.
        const bar = await page.locator('header.topbar').boundingBox();
        expect(bar?.height ?? 999).toBeLessThan(60);
        const right = await page.getByTestId('export-menu').boundingBox();
        expect((right?.x ?? 9999) + (right?.width ?? 0)).toBeLessThanOrEqual(1280);
        const resolve = await page.getByTestId('what-if-run').boundingBox();
        const view = await page.locator('label[for="view-mode"]').boundingBox();
        expect((resolve?.x ?? 0) + (resolve?.width ?? 0), `${demo}: Resolve overlaps View`).toBeLessThanOrEqual(view?.x ?? 0);
      }
      const hint = page.getByTestId('what-if-hint');
      await expect(hint.isVisible()).resolves.toBe(false);
      await page.getByTestId('what-if-input').focus();
      await expect.poll(() => hint.isVisible()).toBe(true);
      for (const form of ['0.0.0.0/0', 'IP address', 'CIDR', 'FQDN', 'URL', 'service tag']) await expect(hint.textContent()).resolves.toContain(form);
      await expect(page.getByTestId('what-if-input').getAttribute('aria-describedby')).resolves.toBe('what-if-hint');
      await screenshot(page, 'workflow-what-if-hint-1280');
      await page.getByTestId('what-if-input').blur();
    } finally {
      await page.setViewportSize({ width: 1440, height: 900 });
    }
    expect(pageErrors).toEqual([]);
  });
});

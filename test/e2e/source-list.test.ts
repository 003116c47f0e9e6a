/**
 * The windowed source list in headless Chromium: on an estate of ~700 sources only the rows in
 * view are mounted, yet scrolling, keyboard moves to rows that were not mounted, ARIA positions and
 * filters behave as on a fully rendered list. And the list keeps a usable height whatever panels
 * sit above it (Observed traffic, Controls) on a 1280×720 laptop and at 1440×900.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSyntheticEstate } from '../../shared/demo/index';
import type { WebServer } from '../../electron/web/server';
import { openAppSession, screenshot, waitForRenders, type AppSession } from './browser';

const ESTATE = { subscriptions: 3, virtualNetworks: 24, subnets: 500, networkInterfaces: 1500, seed: 7 } as const;

let app: AppSession;
let server: WebServer;
let page: Page;
let pageErrors: string[] = [];

function visibleSourceIds(): Promise<string[]> {
  return page.evaluate(() => [...(window.__egressAtlasTest?.visibleSourceIds ?? [])]);
}

function selectedSourceId(): Promise<string | null> {
  return page.evaluate(() => window.__egressAtlasTest?.state?.selectedSourceId ?? null);
}

/** Whether the row of `sourceId` is mounted and lies wholly inside the list's viewport. */
function rowInView(sourceId: string): Promise<boolean> {
  return page.evaluate((id) => {
    const list = document.querySelector('[data-testid="source-list"]');
    const row = list?.querySelector(`[data-source-id="${CSS.escape(id)}"]`);
    if (!list || !row) return false;
    const r = row.getBoundingClientRect();
    const v = list.getBoundingClientRect();
    return r.top >= v.top - 1 && r.bottom <= v.bottom + 1;
  }, sourceId);
}

function mountedSourceRows(): Promise<number> {
  return page.getByTestId('source-row').count();
}

beforeAll(async () => {
  app = await openAppSession();
  ({ server, page, pageErrors } = app);
  const estate = generateSyntheticEstate(ESTATE);
  const text = JSON.stringify({ resources: estate.resources, effectiveRouteTables: estate.effectiveRouteTables });
  await page.goto(server.launchUrl(null));
  await page.getByTestId('file-input').setInputFiles({ name: 'synthetic.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  await waitForRenders(page, 1, 60_000);
}, 180_000);

afterAll(async () => {
  await app?.close();
});

describe('windowed source list', () => {
  it('mounts only the rows in view, with their place in the whole list for assistive tech', async () => {
    const ids = await visibleSourceIds();
    expect(ids.length).toBeGreaterThan(500);
    const mounted = await mountedSourceRows();
    expect(mounted).toBeGreaterThan(5);
    expect(mounted).toBeLessThan(80);
    const first = page.getByTestId('source-row').first();
    await expect(first.getAttribute('data-source-id')).resolves.toBe(ids[0]);
    await expect(first.getAttribute('aria-posinset')).resolves.toBe('1');
    await expect(first.getAttribute('aria-setsize')).resolves.toBe(String(ids.length));
    await expect(page.getByTestId('source-count').textContent()).resolves.toBe(`${ids.length} of ${ids.length} sources`);
  });

  it('mounts the last rows when scrolled to the bottom, and the spacer keeps the full height', async () => {
    const ids = await visibleSourceIds();
    const last = ids.at(-1) ?? '';
    expect(await rowInView(last)).toBe(false);
    await page.getByTestId('source-list').evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await expect.poll(() => rowInView(last)).toBe(true);
    await expect(page.locator(`[data-source-id="${last}"]`).getAttribute('aria-posinset')).resolves.toBe(String(ids.length));
    expect(await mountedSourceRows()).toBeLessThan(80);
    expect(pageErrors).toEqual([]);
  });

  it('keeps the selected row in view when the keyboard moves it to a row that was not mounted', async () => {
    const ids = await visibleSourceIds();
    const last = ids.at(-1) ?? '';
    await page.locator(`[data-source-id="${last}"]`).click();
    await expect.poll(selectedSourceId).toBe(last);
    // Back to the top: the selected row is unmounted; ArrowUp must bring its neighbour back.
    await page.getByTestId('source-list').evaluate((el) => { el.scrollTop = 0; });
    await expect.poll(() => page.locator(`[data-source-id="${last}"]`).count()).toBe(0);
    await page.getByTestId('source-list').focus();
    await page.keyboard.press('ArrowUp');
    const previous = ids.at(-2) ?? '';
    await expect.poll(selectedSourceId).toBe(previous);
    await expect.poll(() => rowInView(previous)).toBe(true);
    await expect(page.locator(`[data-source-id="${previous}"]`).getAttribute('aria-selected')).resolves.toBe('true');
    await expect(page.getByTestId('source-list').getAttribute('aria-activedescendant'))
      .resolves.toBe(`source-option-${ids.length - 1}`);
  });

  // Names of one workload differ at the end (nic-vm-payments-00101-000, …-001): an ellipsis at the
  // end made such rows look identical in a narrow sidebar. A long name is cut in the middle.
  it('cuts a long name in the middle: rows whose names differ at the end look different when truncated', async () => {
    await page.setViewportSize({ width: 1024, height: 768 });
    try {
      await page.getByTestId('source-list').evaluate((el) => { el.scrollTop = 0; });
      const nicRow = page.locator('[data-testid="source-row"].nic').first();
      await nicRow.waitFor();
      // At 1024 px the sidebar leaves NIC names about 100 px beside their badge.
      await screenshot(page, 'source-list-middle-ellipsis');
      const rows = await page.evaluate(() => Array.from(document.querySelectorAll('[data-testid="source-row"].nic')).map((row) => {
        const name = row.querySelector('.name') as HTMLElement;
        const head = name.querySelector('.head') as HTMLElement | null;
        const tail = name.querySelector('.tail') as HTMLElement | null;
        const text = tail?.querySelector('bdi')?.firstChild ?? null;
        // The last three characters of the name: where a workload's names differ.
        let endShown = false;
        if (tail !== null && text !== null && text.textContent !== null) {
          const range = document.createRange();
          range.setStart(text, text.textContent.length - 3);
          range.setEnd(text, text.textContent.length);
          const end = range.getBoundingClientRect();
          const box = tail.getBoundingClientRect();
          endShown = end.left >= box.left - 0.5 && end.right <= box.right + 0.5 && box.right <= name.getBoundingClientRect().right + 0.5;
        }
        return { full: name.textContent ?? '', headCut: head !== null && head.scrollWidth > head.clientWidth, endShown };
      }));
      expect(rows.length).toBeGreaterThan(3);
      // Truncated (the start ellipsised), yet the end of every name is on screen, so NICs of one
      // subnet (names differing in their last characters) no longer look the same.
      expect(rows.filter((r) => !(r.headCut && r.endShown))).toEqual([]);
    } finally {
      await page.setViewportSize({ width: 1440, height: 900 });
    }
  });

  it('filters, counts and numbers the filtered list like a full one', async () => {
    await page.getByTestId('source-list').evaluate((el) => { el.scrollTop = el.scrollHeight / 2; });
    const before = (await visibleSourceIds()).length;
    await page.getByTestId('search').fill('nic-');
    await expect.poll(async () => (await visibleSourceIds()).length).toBeLessThan(before);
    const ids = await visibleSourceIds();
    expect(ids.length).toBeGreaterThan(0);
    await expect(page.getByTestId('source-count').textContent()).resolves.toMatch(new RegExp(`^${ids.length} of \\d+ sources$`));
    const rows = page.getByTestId('source-row');
    // Whatever scroll position the shorter list clamped to, the mounted rows are a run of the list.
    const mounted = await rows.evaluateAll((els) => els.map((e) => [e.getAttribute('data-source-id') ?? '', Number(e.getAttribute('aria-posinset'))] as const));
    expect(mounted.length).toBeGreaterThan(5);
    for (const [id, position] of mounted) expect(ids[position - 1]).toBe(id);
    // Matching NICs stay nested under their subnet, which is listed for them.
    expect(mounted.some(([id]) => id.toLowerCase().includes('/networkinterfaces/'))).toBe(true);
    await page.getByTestId('search').fill('');
    await expect.poll(async () => (await visibleSourceIds()).length).toBeGreaterThan(500);
    expect(pageErrors).toEqual([]);
  });
});

describe('the source list keeps a visible area under the sidebar panels', () => {
  const BANK_POLICY = 'shared/policy/starters/bank.yaml';

  /** Source rows wholly visible in the list and in the window, and the list's visible height. */
  function visibleRows(): Promise<{ readonly rows: number; readonly listHeight: number }> {
    return page.evaluate(() => {
      const list = document.querySelector('[data-testid="source-list"]');
      if (!list) return { rows: -1, listHeight: 0 };
      const box = list.getBoundingClientRect();
      const top = Math.max(box.top, 0);
      const bottom = Math.min(box.bottom, window.innerHeight);
      const rows = Array.from(document.querySelectorAll('[data-testid="source-row"]')).filter((row) => {
        const r = row.getBoundingClientRect();
        return r.height > 0 && r.top >= top - 1 && r.bottom <= bottom + 1;
      }).length;
      return { rows, listHeight: Math.max(0, bottom - top) };
    });
  }

  /**
   * How a sidebar panel shows: 'row' when it is open and its first row lies wholly inside its
   * scrolling list (and the list inside the window), 'collapsed' when its toggle says closed (▸,
   * aria-expanded false) and it shows its count, else what is wrong (a sliver under a ▾).
   */
  function panelShows(panel: string, toggle: string, list: string, row: string): Promise<string> {
    return page.evaluate(({ panel, toggle, list, row }) => {
      const root = document.querySelector(panel);
      const button = root?.querySelector(toggle);
      if (!root || !button) return 'missing';
      // The header itself is drawn whole (not clipped by the panel's own box).
      const box = root.getBoundingClientRect();
      const head = button.getBoundingClientRect();
      if (head.top < box.top - 1 || head.bottom > box.bottom + 1) return `header clipped: ${Math.round(head.top)}-${Math.round(head.bottom)} in ${Math.round(box.top)}-${Math.round(box.bottom)}`;
      const ul = root.querySelector(list);
      if (button.getAttribute('aria-expanded') === 'false') {
        return ul === null && /▸.*\d/.test(button.textContent ?? '') ? 'collapsed' : `collapsed badly: ${button.textContent ?? ''}`;
      }
      const first = ul?.querySelector(row);
      if (!ul || !first) return 'open without rows';
      const r = first.getBoundingClientRect();
      const v = ul.getBoundingClientRect();
      const inside = r.height > 0 && r.top >= v.top - 1 && r.bottom <= v.bottom + 1 && r.bottom <= box.bottom + 1 && r.bottom <= window.innerHeight + 1;
      return inside ? 'row' : `sliver: row ${Math.round(r.top)}-${Math.round(r.bottom)}, list ${Math.round(v.top)}-${Math.round(v.bottom)}`;
    }, { panel, toggle, list, row });
  }

  // With a policy loaded (a control selected, as a user does to see its violations) and the sample
  // logs added, Observed traffic + Controls + search + chips used to fill the whole sidebar at
  // 1280×720, leaving the list no height at all. The panels now give up height first (each scrolls
  // its own list), so rows stay in view and a row can be clicked.
  // Each panel shows at least its first row whole (inside its own scrolling list), or, when the
  // window is too short even for that (a what-if banner as well), is collapsed to its header with
  // its count: never a sliver of a row under a ▾ that says it is open.
  it.each([
    [1280, 720, false], [1440, 900, false], [1024, 768, false], [1366, 768, false],
    [1280, 720, true], [1024, 768, true], [1366, 768, true],
  ] as const)('at %i×%i with a policy, a selected control and the sample logs (what-if banner: %s)', async (width, height, whatIf) => {
    await page.setViewportSize({ width, height });
    try {
      await page.goto(server.launchUrl('bank'));
      await waitForRenders(page, 1);
      await page.getByTestId('policy-input').setInputFiles({ name: 'bank.yaml', mimeType: 'application/yaml', buffer: Buffer.from(await readFile(BANK_POLICY, 'utf8')) });
      await page.getByTestId('controls-panel').waitFor();
      await page.getByTestId('control').first().locator('button').first().click();
      await page.getByTestId('sample-logs').click();
      await page.getByTestId('traffic-banner').waitFor();
      await page.getByTestId('observed-sources').waitFor();
      if (whatIf) {
        await page.getByTestId('what-if-input').fill('api.stripe.com');
        await page.getByTestId('what-if-input').press('Enter');
        await page.getByTestId('what-if-banner').waitFor();
        await page.getByTestId('what-if-input').blur();
      }
      await screenshot(page, `source-list-sidebar-panels-${width}x${height}${whatIf ? '-what-if' : ''}`);
      const seen = await visibleRows();
      // About three rows (46 px each) and their headings.
      expect(seen.listHeight).toBeGreaterThanOrEqual(190);
      expect(seen.rows).toBeGreaterThanOrEqual(2);
      // The panels are still there, each showing at least its first entry whole, or collapsed.
      const observed = await panelShows('[data-testid="observed-sources"]', '.observed-toggle', 'ul', '[data-testid="observed-source"]');
      const controls = await panelShows('[data-testid="controls-panel"]', '.controls-head > button[aria-expanded]', '[data-testid="controls-list"]', '.control-main');
      expect([observed, controls]).toEqual([expect.stringMatching(/^(row|collapsed)$/), expect.stringMatching(/^(row|collapsed)$/)]);
      // Without a what-if banner the panels have room: both are open.
      if (!whatIf && height >= 720) expect([observed, controls]).toEqual(['row', 'row']);
      // A visible row can be clicked where it is (no "outside of the viewport").
      const first = page.getByTestId('source-row').first();
      const id = await first.getAttribute('data-source-id');
      await first.click({ timeout: 5_000 });
      await expect.poll(selectedSourceId).toBe(id);
      expect(pageErrors).toEqual([]);
    } finally {
      await page.setViewportSize({ width: 1440, height: 900 });
    }
  });
});

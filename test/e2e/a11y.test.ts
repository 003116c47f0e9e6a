/**
 * Accessibility in headless Chromium at 1440×900: axe-core (WCAG 2.x A/AA rules) on the start
 * screen, the bank workspace with a selected source, the policy controls and the destinations
 * matrix, in the light and the dark colour scheme; and keyboard navigation of the graph.
 *
 * axe is injected with `page.evaluate` (what @axe-core/playwright does), which the page's CSP
 * (`script-src 'self'`) does not apply to, so the production CSP stays as it is.
 */
import { readFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebServer } from '../../electron/web/server';
import { openAppSession, screenshot, waitForRenders, type AppSession } from './browser';

let app: AppSession;
let server: WebServer;
let page: Page;
let pageErrors: string[] = [];

const BANK_POLICY = 'shared/policy/starters/bank.yaml';
const LIST_TEXT = 'api.stripe.com\nexfil.example.net\n';
const SCHEMES = ['light', 'dark'] as const;

/** Runs axe on the page; fails listing every violation with its nodes. */
async function expectNoViolations(label: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze();
  const report = results.violations.map((v) => `${v.id} (${v.impact ?? '?'}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary?.replace(/\n/g, ' ') ?? ''}`).join('\n')}`);
  expect(report, `${label}: axe violations\n${report.join('\n')}`).toEqual([]);
  await expectDistinctControlNames(label);
}

/**
 * No two buttons or links share an accessible name (two "Open" or "Copy" buttons doing different
 * things read the same to a screen reader). Names are computed by axe (injected by `analyze`).
 */
async function expectDistinctControlNames(label: string): Promise<void> {
  const duplicates = await page.evaluate(() => {
    interface Axe { setup(): void; teardown(): void; commons: { text: { accessibleText(e: Element): string } } }
    const axe = (window as unknown as { axe?: Axe }).axe;
    if (!axe) throw new Error('axe is not on the page');
    const byName = new Map<string, number>();
    axe.setup();
    try {
      for (const el of Array.from(document.querySelectorAll('button, a[href], [role="button"], [role="menuitem"], [role="link"]'))) {
        const name = axe.commons.text.accessibleText(el).trim().replace(/\s+/g, ' ').toLowerCase();
        byName.set(name, (byName.get(name) ?? 0) + 1);
      }
    } finally {
      axe.teardown();
    }
    return [...byName].filter(([, n]) => n > 1).map(([name, n]) => `"${name}" ×${n}`);
  });
  expect(duplicates, `${label}: controls sharing an accessible name`).toEqual([]);
}

async function selectedSourceId(): Promise<string | null> {
  return page.evaluate(() => window.__egressAtlasTest?.state?.selectedSourceId ?? null);
}

async function openBank(): Promise<void> {
  await page.goto(server.launchUrl('bank'));
  await waitForRenders(page, 1);
}

beforeAll(async () => {
  app = await openAppSession();
  ({ server, page, pageErrors } = app);
}, 120_000);

afterAll(async () => {
  await app?.close();
});

describe.each(SCHEMES)('axe, %s colour scheme', (scheme) => {
  beforeAll(async () => {
    await page.emulateMedia({ colorScheme: scheme });
  });

  it('start screen', async () => {
    await page.goto(server.launchUrl(null));
    await page.locator('[data-demo="bank"]').waitFor();
    await screenshot(page, `a11y-start-${scheme}`);
    await expectNoViolations(`start screen (${scheme})`);
  });

  it('bank workspace with a selected source', async () => {
    await openBank();
    await page.getByTestId('source-row').nth(2).click();
    await expect.poll(selectedSourceId).not.toBe(null);
    await page.getByTestId('explanation').waitFor();
    await screenshot(page, `a11y-bank-selected-${scheme}`);
    await expectNoViolations(`bank workspace (${scheme})`);
  });

  it('the gaps list and the Export menu open', async () => {
    const gaps = page.getByTestId('gaps-banner').locator('button[aria-expanded]');
    if (await gaps.count() > 0) await gaps.click();
    await page.getByTestId('export-menu').click();
    await page.getByRole('menu').waitFor();
    await screenshot(page, `a11y-menus-${scheme}`);
    await expectNoViolations(`menus (${scheme})`);
    await page.getByTestId('export-menu').click();
    if (await gaps.count() > 0) await gaps.click();
  });

  it('policy controls with a selected control', async () => {
    await page.getByTestId('policy-input').setInputFiles({ name: 'bank.yaml', mimeType: 'application/yaml', buffer: Buffer.from(await readFile(BANK_POLICY, 'utf8')) });
    await page.getByTestId('controls-panel').waitFor();
    await page.getByTestId('control').first().locator('button').first().click();
    await screenshot(page, `a11y-controls-${scheme}`);
    await expectNoViolations(`policy controls (${scheme})`);
  });

  it('destinations matrix', async () => {
    await page.getByTestId('destinations-input').setInputFiles({ name: 'destinations.txt', mimeType: 'text/plain', buffer: Buffer.from(LIST_TEXT) });
    await page.getByTestId('matrix-view').waitFor();
    await screenshot(page, `a11y-matrix-${scheme}`);
    await expectNoViolations(`matrix (${scheme})`);
  });
});

describe('keyboard', () => {
  it('the graph takes focus, arrow keys move between sources and Enter selects one', async () => {
    await page.emulateMedia({ colorScheme: 'light' });
    await openBank();
    const graph = page.getByTestId('graph');
    await expect(graph.getAttribute('tabindex')).resolves.toBe('0');
    await expect(graph.getAttribute('aria-label')).resolves.toMatch(/graph/i);
    await graph.focus();
    expect(await selectedSourceId()).toBe(null);
    await page.keyboard.press('ArrowRight');
    const first = await page.evaluate(() => window.__egressAtlasTest?.cy?.$('node.kb-focus').map((n) => n.id()) ?? []);
    expect(first).toHaveLength(1);
    // Moving shows where the focus is but selects nothing yet; Enter opens the details.
    expect(await selectedSourceId()).toBe(null);
    await page.keyboard.press('Enter');
    await expect.poll(selectedSourceId).toBe(first[0]);
    await expect(page.getByTestId('explanation').locator('h2').textContent()).resolves.toBeTruthy();
    await page.keyboard.press('ArrowRight');
    const second = await page.evaluate(() => window.__egressAtlasTest?.cy?.$('node.kb-focus').map((n) => n.id()) ?? []);
    expect(second).toHaveLength(1);
    expect(second[0]).not.toBe(first[0]);
    await page.keyboard.press('Enter');
    await expect.poll(selectedSourceId).toBe(second[0]);
    // ArrowLeft goes back to the first.
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Enter');
    await expect.poll(selectedSourceId).toBe(first[0]);
    // The graph keeps the keyboard focus and shows it.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('graph');
    const outline = await graph.evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(outline).not.toBe('none');
    await screenshot(page, 'a11y-graph-keyboard');
  });

  it('file pickers (hidden inputs in button-styled labels) show the keyboard focus on the label', async () => {
    await page.getByTestId('policy-input').focus();
    const ring = await page.getByTestId('policy-button').evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(ring).toBe('solid');
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});

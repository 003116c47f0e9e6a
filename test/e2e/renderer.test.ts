/**
 * The renderer in headless Chromium against the loopback web bridge: open a demo, select subnets
 * (list and graph), what-if, compare, SVG export, trainee tour, and hostile resource names.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDemo } from '../../shared/demo';
import { networkInterface, publicIp, virtualNetwork, type Scope } from '../../shared/demo/arm-builders';
import type { WebServer } from '../../electron/web/server';
import { clickGraphNode, highlightedIds, openAppSession, renders, screenshot, sourceIdByName, sourceRow, waitForRenders, type AppSession } from './browser';

let app: AppSession;
let server: WebServer;
let page: Page;
let pageErrors: string[] = [];

/** The bank demo's ARM bundle as the user would have it on disk. */
function bankBundleText(mutate: (bundle: { resources: Record<string, unknown>[] }) => void = () => {}): string {
  const demo = findDemo('bank');
  const json = structuredClone(demo?.documents[0]?.json) as { resources: Record<string, unknown>[] };
  mutate(json);
  return JSON.stringify(json);
}

/** A fresh page load (the render counter starts again at 0) that opens a demo. */
async function openDemo(name: string): Promise<void> {
  await page.goto(server.launchUrl(name));
  await waitForRenders(page, 1);
}

/** The list row of a source; IDs may hold quotes and angle brackets (hostile names). */
beforeAll(async () => {
  app = await openAppSession();
  ({ server, page, pageErrors } = app);
}, 120_000);

afterAll(async () => {
  await app?.close();
});

describe('renderer in the browser', () => {
  it('opens the bank demo from #demo=bank and strips the launch code from the address bar', async () => {
    await openDemo('bank');
    await expect(page.getByTestId('estate-title').textContent()).resolves.toContain('Bank');
    expect(page.url()).not.toContain('code=');
    expect(page.url()).not.toContain(server.token);
    expect(page.url()).toContain('#demo=bank');
    const rows = await page.getByTestId('source-row').count();
    expect(rows).toBeGreaterThan(3);
    await screenshot(page, 'bank-overview');
  });

  it('the launch URL opens once: a reload keeps the session, the same URL in another tab opens nothing', async () => {
    const url = server.launchUrl('bank');
    await page.goto(url);
    await waitForRenders(page, 1);
    await page.reload();
    await expect(page.getByTestId('estate-title').textContent({ timeout: 10_000 })).resolves.toContain('Bank');
    const other = await page.context().newPage();
    try {
      await other.goto(url);
      await other.getByText(/already used/).first().waitFor({ timeout: 10_000 });
      expect(await other.getByTestId('estate-title').count()).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('selecting a subnet in the list highlights its path and explains it', async () => {
    const id = await sourceIdByName(page, 'snet-payments-reporting');
    await sourceRow(page, id).click();
    await expect.poll(() => highlightedIds(page)).toContain(id);
    const lit = await highlightedIds(page);
    expect(lit).toContain('default-outbound');
    expect(lit).toContain('internet');
    expect(lit.some((e) => e.startsWith('edge:'))).toBe(true);
    // The rest of the estate is dimmed.
    const dimmed = await page.evaluate(() => window.__egressAtlasTest?.cy?.$('.dim').length ?? 0);
    expect(dimmed).toBeGreaterThan(0);
    const explanation = page.getByTestId('explanation');
    await expect(explanation.locator('h2').textContent()).resolves.toBe('snet-payments-reporting');
    await expect(page.getByTestId('verdict-badge').textContent()).resolves.toBe('Default outbound');
    expect(await page.getByTestId('hop').count()).toBeGreaterThan(1);
    await screenshot(page, 'bank-selected-list');
  });

  it('clicking a subnet on the graph selects it and shows its details', async () => {
    const id = await sourceIdByName(page, 'snet-card-auth');
    await page.keyboard.press('Escape');
    await clickGraphNode(page, id);
    await expect.poll(() => page.evaluate(() => window.__egressAtlasTest?.state?.selectedSourceId ?? null)).toBe(id);
    await expect.poll(() => highlightedIds(page)).toContain(id);
    await expect(page.getByTestId('explanation').locator('h2').textContent()).resolves.toBe('snet-card-auth');
    await expect(page.getByTestId('resource-details').textContent()).resolves.toContain('Subnet');
    await screenshot(page, 'bank-selected-graph');
  });

  it('arrow keys move through the list and Esc clears the selection', async () => {
    await page.getByTestId('source-list').focus();
    await page.keyboard.press('Escape');
    await page.keyboard.press('ArrowDown');
    const first = await page.evaluate(() => window.__egressAtlasTest?.state?.selectedSourceId ?? null);
    const firstRow = await page.getByTestId('source-row').first().getAttribute('data-source-id');
    expect(first).toBe(firstRow);
    await page.keyboard.press('ArrowDown');
    const second = await page.getByTestId('source-row').nth(1).getAttribute('data-source-id');
    await expect.poll(() => page.evaluate(() => window.__egressAtlasTest?.state?.selectedSourceId ?? null)).toBe(second);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.evaluate(() => window.__egressAtlasTest?.state?.selectedSourceId ?? null)).toBe(null);
    await expect.poll(() => highlightedIds(page)).toEqual([]);
  });

  it('what-if: rejects text that is no destination as data, then re-resolves every path for 8.8.8.8 and for a host name', async () => {
    await page.getByTestId('what-if-input').fill('not-an-ip');
    await page.getByTestId('what-if-run').click();
    await expect(page.getByTestId('what-if-error').textContent()).resolves.toContain('expected an IP address, a CIDR');
    await page.getByTestId('what-if-input').fill('api.stripe.com');
    await page.getByTestId('what-if-run').click();
    await expect.poll(() => page.evaluate(() => window.__egressAtlasTest?.state?.result?.destination ?? null)).toBe('api.stripe.com');
    await expect(page.getByTestId('what-if-interpretation').textContent()).resolves.toContain('application rules match the name');
    await page.getByTestId('what-if-input').fill('8.8.8.8');
    await page.getByTestId('what-if-run').click();
    await expect.poll(() => page.evaluate(() => window.__egressAtlasTest?.state?.result?.destination ?? null)).toBe('8.8.8.8');
    const paths = await page.evaluate(() => window.__egressAtlasTest?.state?.result?.paths.length ?? 0);
    expect(paths).toBeGreaterThan(3);
    expect(await page.getByTestId('what-if-error').count()).toBe(0);
  });

  it('compare: a second snapshot lists the changed subnets and marks them on the graph', async () => {
    // The card-auth spoke loses its route table: it no longer goes through the hub firewall.
    const changed = bankBundleText((bundle) => {
      for (const r of bundle.resources) {
        const props = r['properties'] as { subnets?: { name: string; properties: Record<string, unknown> }[] } | undefined;
        for (const s of props?.subnets ?? []) if (s.name === 'snet-card-auth') delete s.properties['routeTable'];
      }
    });
    // Back to the default route first, so both sides answer the same destination.
    await page.getByRole('button', { name: 'Back to 0.0.0.0/0' }).click();
    await expect.poll(() => page.evaluate(() => ({ destination: window.__egressAtlasTest?.state?.destination }))).toEqual({ destination: null });
    await page.getByTestId('compare-input').setInputFiles({ name: 'bank-changed.json', mimeType: 'application/json', buffer: Buffer.from(changed) });
    await page.getByTestId('compare-banner').waitFor();
    const rows = await page.getByTestId('compare-row').allTextContents();
    expect(rows.length).toBe(1);
    expect(rows[0]).toContain('snet-card-auth');
    expect(rows[0]).toContain('Internet via firewall');
    const cardAuth = await sourceIdByName(page, 'snet-card-auth');
    await expect.poll(() => page.evaluate(() => window.__egressAtlasTest?.cy?.$('node.changed').map((n) => n.id()) ?? [])).toEqual([cardAuth]);
    // The row selects its source from the keyboard too (a button in its first cell).
    const other = await sourceIdByName(page, 'snet-payments-api');
    await sourceRow(page, other).click();
    await expect.poll(() => page.evaluate(() => window.__egressAtlasTest?.state?.selectedSourceId)).toBe(other);
    await page.getByTestId('compare-row').getByRole('button', { name: 'snet-card-auth' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => window.__egressAtlasTest?.state?.selectedSourceId)).toBe(cardAuth);
    await screenshot(page, 'bank-compare');
  });

  it('exports the current view as SVG with the node labels in it', async () => {
    await page.getByTestId('export-menu').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-svg').click()]);
    expect(download.suggestedFilename()).toMatch(/\.svg$/);
    const svg = await readFile(await download.path(), 'utf8');
    expect(svg).toContain('<svg');
    expect(svg).toContain('snet-card-auth');
    expect(svg).toContain('Internet');
  });

  it('saves the snapshot and exports the evidence PDF of the selection as downloads', async () => {
    await page.getByTestId('export-menu').click();
    const [snapshot] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-snapshot').click()]);
    const snapshotJson = JSON.parse(await readFile(await snapshot.path(), 'utf8')) as { format?: string };
    expect(snapshotJson.format).toBe('egress-atlas/snapshot@1');
    const id = await sourceIdByName(page, 'snet-card-auth');
    await sourceRow(page, id).click();
    await page.getByTestId('export-menu').click();
    const [pdf] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.getByRole('menuitem', { name: 'Evidence PDF (selection)' }).click()]);
    expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
    const bytes = await readFile(await pdf.path());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('trainee mode steps through the lessons, selecting each lesson subnet', async () => {
    await openDemo('training');
    await page.getByTestId('start-tour').click();
    const tour = page.getByTestId('tour');
    await expect(tour.textContent()).resolves.toContain('Lesson 1 of');
    await expect.poll(() => page.evaluate(() => window.__egressAtlasTest?.state?.result?.paths.find((p) => p.source.id === window.__egressAtlasTest?.state?.selectedSourceId)?.source.name ?? null))
      .toBe('snet-01-default-outbound');
    await tour.getByRole('button', { name: 'Next' }).click();
    await expect(tour.textContent()).resolves.toContain('Lesson 2 of');
    await expect.poll(() => page.evaluate(() => window.__egressAtlasTest?.state?.result?.paths.find((p) => p.source.id === window.__egressAtlasTest?.state?.selectedSourceId)?.source.name ?? null))
      .toBe('snet-02-private-no-method');
    // The lesson text and the resolver's explanation are side by side.
    await page.getByTestId('explanation').waitFor();
    await page.waitForTimeout(1200); // let the hop-by-hop animation finish for the screenshot
    await screenshot(page, 'training-tour');
  });

  it('connects to the demo Azure: shows pull progress, then opens the pulled estate', async () => {
    await page.goto(server.launchUrl(null));
    await page.getByRole('button', { name: 'Connect' }).click();
    const progress = page.getByTestId('pull-progress');
    await progress.waitFor();
    await expect(progress.textContent()).resolves.toMatch(/Phase/);
    await waitForRenders(page, 1, 60_000);
    await expect(page.getByTestId('estate-title').textContent()).resolves.toContain('Live pull');
    expect(await page.getByTestId('source-row').count()).toBeGreaterThan(0);
  }, 90_000);

  it('follows a dark OS colour scheme, in the page and in the graph stylesheet', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await openDemo('bank');
    const colours = await page.evaluate(() => ({
      body: getComputedStyle(document.body).backgroundColor,
      subnetText: window.__egressAtlasTest?.cy?.$('node.k-subnet').first().style('color') ?? '',
    }));
    expect(colours.body).toBe('rgb(18, 21, 25)');
    expect(colours.subnetText).toBe('rgb(227,232,238)');
    await screenshot(page, 'bank-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => page.evaluate(() => window.__egressAtlasTest?.cy?.$('node.k-subnet').first().style('color') ?? '')).toBe('rgb(29,37,48)');
  });

  it('shows HTML/script payloads in resource names as text and never runs them', async () => {
    const scope: Scope = {
      subscriptionId: '00000000-0000-0000-0000-0000000000aa', resourceGroup: 'rg-xss', location: 'westeurope',
      tags: { owner: '<b onmouseover=window.__pwned=4>owner</b>' },
    };
    const vnetName = '"><svg onload=window.__pwned=3>';
    const subnetName = '<img src=x onerror=window.__pwned=1>';
    const vnet = virtualNetwork(scope, vnetName, ['10.9.0.0/16'], [{ name: subnetName, addressPrefix: '10.9.1.0/24' }]);
    const vnetJson = vnet as unknown as { id: string };
    const nicName = '<iframe srcdoc=x onload=window.__pwned=2>';
    const pip = publicIp(scope, 'pip-<img src=y onerror=window.__pwned=5>', { ipAddress: '20.9.9.9' });
    const nic = networkInterface(scope, nicName, { subnetId: `${vnetJson.id}/subnets/${subnetName}`, privateIp: '10.9.1.4', publicIp: pip, vmName: 'vm-xss' });
    const bundle = JSON.stringify({ resources: [vnet, nic, pip] });
    await page.goto(server.launchUrl(null));
    const before = await renders(page);
    await page.getByTestId('file-input').setInputFiles({ name: 'hostile.json', mimeType: 'application/json', buffer: Buffer.from(bundle) });
    await waitForRenders(page, before + 1);
    await expect(page.getByText(subnetName, { exact: true }).first().isVisible()).resolves.toBe(true);
    await expect(page.getByText(vnetName, { exact: true }).first().isVisible()).resolves.toBe(true);
    await expect(page.getByText(nicName, { exact: true }).first().isVisible()).resolves.toBe(true);
    const id = await sourceIdByName(page, subnetName);
    await sourceRow(page, id).click();
    await expect(page.getByTestId('explanation').locator('h2').textContent()).resolves.toBe(subnetName);
    // The NIC (a per-NIC exception: it has its own public IP) carries the hostile owner tag.
    const nicId = await sourceIdByName(page, nicName);
    // A selected path that does not fit readable in the estate layout is drawn alone (the path
    // view, GraphPane.tsx): Esc goes back to the whole graph, fitted, where the NIC is.
    await page.keyboard.press('Escape');
    await page.waitForTimeout(400);
    await clickGraphNode(page, nicId);
    await page.getByTestId('resource-details').waitFor();
    await expect(page.getByTestId('resource-details').textContent()).resolves.toContain('<b onmouseover=window.__pwned=4>owner</b>');
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(await page.locator('#root img, #root svg[onload], #root script').count()).toBe(0);
    await screenshot(page, 'hostile-names');
    expect(pageErrors).toEqual([]);
  });
});

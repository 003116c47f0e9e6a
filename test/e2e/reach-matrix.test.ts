/**
 * "Can reach" in the details pane and the destinations matrix, in headless Chromium against the
 * real main-side services (the `reach` and `matrix` operations through the loopback bridge).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebServer } from '../../electron/web/server';
import { highlightedIds, openAppSession, renders, screenshot, sourceIdByName, sourceRow, waitForRenders, type AppSession } from './browser';

let app: AppSession;
let server: WebServer;
let page: Page;
let pageErrors: string[] = [];
/** Where the test keeps the list files it hands to the file picker. */
let listDir: string;

const LIST_FILE = 'destinations.txt';
const LIST_TEXT = '# what the payments team asked about\napi.stripe.com\nexfil.example.net\n';

function cell(sourceId: string, destination: string) {
  return page.locator(`[data-testid="matrix-cell"][data-source-id="${sourceId.replace(/["\\]/g, '\\$&')}"][data-destination="${destination}"]`);
}

beforeAll(async () => {
  listDir = await mkdtemp(join(tmpdir(), 'egress-atlas-lists-'));
  app = await openAppSession({ demo: 'bank' });
  ({ server, page, pageErrors } = app);
}, 120_000);

afterAll(async () => {
  await app?.close();
  if (listDir) await rm(listDir, { recursive: true, force: true });
});

describe('Can reach', () => {
  it('lists what snet-payments-api may reach, each entry with its verdict and the rule that allows it', async () => {
    const id = await sourceIdByName(page, 'snet-payments-api');
    await sourceRow(page, id).click();
    const section = page.getByTestId('can-reach');
    await section.getByTestId('reach-entry').first().waitFor();
    expect(await section.getByTestId('reach-unrestricted').count()).toBe(0);
    await expect(section.getByTestId('reach-restricted').textContent()).resolves.toContain('Only what these rules allow');
    const stripe = section.locator('[data-testid="reach-entry"][data-value="api.stripe.com"]');
    expect(await stripe.getAttribute('data-kind')).toBe('fqdn');
    await expect(stripe.getByTestId('reach-rule').textContent()).resolves.toMatch(/\/stripe$/);
    await expect(stripe.getByTestId('reach-verdict').textContent()).resolves.toBe('Internet via firewall');
    await expect(stripe.textContent()).resolves.toContain('Https 443');
    // Grouped by kind: every entry here is an FQDN allowed by an application rule.
    await expect(section.textContent()).resolves.toContain('FQDN (');
    await screenshot(page, 'reach-payments-api');
  });

  it('says snet-payments-reporting is unrestricted, and why', async () => {
    const id = await sourceIdByName(page, 'snet-payments-reporting');
    await sourceRow(page, id).click();
    const badge = page.getByTestId('can-reach').getByTestId('reach-unrestricted');
    await badge.waitFor();
    // Its opening entry (AllowInternetOutBound, no narrower NSG rule) is every port of TCP and UDP.
    await expect(badge.textContent()).resolves.toBe('Unrestricted: any public destination (TCP/UDP any port)');
    await expect(page.getByTestId('can-reach').textContent()).resolves.toContain('AllowInternetOutBound');
    await screenshot(page, 'reach-payments-reporting');
  });

  it('a subnet whose default route is unknown (its VNet not exported) is "unknown", never "nothing is allowed"', async () => {
    // Microsoft's Subnets_Get REST example, as published: the subnet without its virtual network.
    const example = await readFile(new URL('../fixtures/arm-examples/SubnetGet.json', import.meta.url));
    await page.goto(server.launchUrl(null));
    await page.getByTestId('file-input').setInputFiles({ name: 'SubnetGet.json', mimeType: 'application/json', buffer: example });
    await waitForRenders(page, 1, 60_000);
    await sourceRow(page, await sourceIdByName(page, 'subnet1')).click();
    const section = page.getByTestId('can-reach');
    await section.getByTestId('reach-unknown').waitFor();
    await expect(section.getByTestId('reach-unknown').textContent()).resolves.toContain('Unknown: the default route could not be decided');
    expect(await section.getByTestId('reach-restricted').count()).toBe(0);
    expect(await section.getByTestId('reach-unrestricted').count()).toBe(0);
    await screenshot(page, 'reach-unknown-default-route');
    await page.goto(server.launchUrl('bank'));
    await waitForRenders(page, 1);
  });
});

describe('destinations matrix', () => {
  it('a list that does not parse is an input error naming the file and line', async () => {
    const bad = join(listDir, 'bad-list.txt');
    await writeFile(bad, 'api.stripe.com\nnot a destination\n');
    await page.getByTestId('destinations-input').setInputFiles(bad);
    await page.getByTestId('error-message').waitFor();
    const alert = page.getByRole('alert');
    await expect(alert.textContent()).resolves.toContain('bad-list.txt');
    await expect(alert.textContent()).resolves.toContain('line 2');
    expect(await page.getByTestId('matrix-view').count()).toBe(0);
    await page.getByRole('button', { name: 'Dismiss error' }).click();
  });

  // An empty text list was refused as "empty.txt: $: expected at least one destination", a JSON path
  // for a plain-text file; a binary file had its raw bytes quoted back as a bad destination.
  it('an empty or binary list is refused in plain words naming the file, with a JSON path only for JSON', async () => {
    const refusal = async (name: string, content: Buffer | string): Promise<string> => {
      const file = join(listDir, name);
      await writeFile(file, content);
      await page.getByTestId('destinations-input').setInputFiles(file);
      const alert = page.getByRole('alert');
      await alert.waitFor();
      const text = (await alert.innerText()).replace('✕', '').trim();
      await page.getByRole('button', { name: 'Dismiss error' }).click();
      await expect.poll(() => page.getByRole('alert').count()).toBe(0);
      return text;
    };
    const jsonPath = /(^|[\s:·])\$(?=[\s:[]|$)/m;
    for (const [name, content] of [['empty.txt', ''], ['blank.csv', '\n# only a comment\n\n']] as const) {
      const text = await refusal(name, content);
      expect(text).toContain(name);
      expect(text).toContain('at least one destination');
      expect(text).not.toMatch(jsonPath);
    }
    expect(await refusal('empty.txt', '')).toContain('an empty file');
    // A binary file (here a zip's header) is "not a text file", its bytes never quoted.
    const binary = await refusal('list.txt', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x61, 0x62]));
    expect(binary).toContain('list.txt');
    expect(binary).toContain('binary data');
    expect([...binary].filter((c) => c.charCodeAt(0) < 0x09)).toEqual([]);
    // A JSON list keeps its JSON path.
    expect(await refusal('empty.json', '[]')).toMatch(jsonPath);
    expect(await page.getByTestId('matrix-view').count()).toBe(0);
  });

  it('loads a list through the file picker and shows every source against each destination', async () => {
    const file = join(listDir, LIST_FILE);
    await writeFile(file, LIST_TEXT);
    await page.getByTestId('destinations-input').setInputFiles(file);
    const matrix = page.getByTestId('matrix-view');
    await matrix.waitFor();
    await expect(matrix.getByTestId('matrix-column').allTextContents()).resolves.toEqual(['api.stripe.com', 'exfil.example.net']);
    await expect(matrix.textContent()).resolves.toContain(LIST_FILE);

    const api = await sourceIdByName(page, 'snet-payments-api');
    const reporting = await sourceIdByName(page, 'snet-payments-reporting');
    // The firewall allows the PSP and denies everything else; the reporting subnet goes around it.
    expect(await cell(api, 'api.stripe.com').getAttribute('data-verdict')).toBe('internet');
    await expect(cell(api, 'api.stripe.com').textContent()).resolves.toBe('Internet via firewall');
    expect(await cell(api, 'exfil.example.net').getAttribute('data-verdict')).toBe('denied');
    await expect(cell(api, 'exfil.example.net').textContent()).resolves.toBe('Denied');
    expect(await cell(reporting, 'exfil.example.net').getAttribute('data-verdict')).toBe('internet');
    await expect(cell(reporting, 'exfil.example.net').textContent()).resolves.toBe('Default outbound');
    // Rows are grouped like the source list: VNet headings above their subnets.
    await expect(matrix.locator('.matrix-vnet').allTextContents()).resolves.toContain('vnet-payments-api-weu');
    await screenshot(page, 'matrix-view');
  });

  it('clicking a cell runs the what-if for that destination and highlights that source\'s path', async () => {
    const reporting = await sourceIdByName(page, 'snet-payments-reporting');
    const before = await renders(page);
    await cell(reporting, 'exfil.example.net').click();
    await page.getByTestId('what-if-banner').waitFor();
    await waitForRenders(page, before + 1);
    expect(await page.getByTestId('matrix-view').count()).toBe(0);
    await expect.poll(() => page.evaluate(() => window.__egressAtlasTest?.state?.destination ?? null)).toBe('exfil.example.net');
    await expect.poll(() => page.evaluate(() => window.__egressAtlasTest?.state?.selectedSourceId ?? null)).toBe(reporting);
    await expect.poll(() => highlightedIds(page)).toContain(reporting);
    const lit = await highlightedIds(page);
    expect(lit).toContain('default-outbound');
    expect(lit).toContain('internet');
    await expect(page.getByTestId('what-if-input').inputValue()).resolves.toBe('exfil.example.net');
    await expect(page.getByTestId('explanation').locator('h2').textContent()).resolves.toBe('snet-payments-reporting');
    await screenshot(page, 'matrix-cell-path');
  });

  it('switches back to the matrix, and accepts a list dropped on the Destinations control', async () => {
    await page.getByTestId('show-matrix').click();
    await page.getByTestId('matrix-view').waitFor();
    await page.getByTestId('matrix-back').click();
    expect(await page.getByTestId('matrix-view').count()).toBe(0);
    // The top bar's toggle goes both ways.
    await page.getByTestId('show-matrix').click();
    await page.getByTestId('matrix-view').waitFor();
    await page.getByTestId('show-matrix').click();
    expect(await page.getByTestId('matrix-view').count()).toBe(0);
    const accepted = await page.evaluate((text) => {
      const target = document.querySelector('[data-testid="destinations-button"]');
      if (!target) throw new Error('No destinations control');
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], 'dropped.csv', { type: 'text/csv' }));
      return ['dragenter', 'dragover', 'drop'].map((type) => !target.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true })));
    }, 'destination,label\napi.stripe.com,Stripe API\n');
    expect(accepted).toEqual([true, true, true]);
    const matrix = page.getByTestId('matrix-view');
    await matrix.waitFor();
    await expect(matrix.getByTestId('matrix-column').allTextContents()).resolves.toEqual(['Stripe APIapi.stripe.com']);
    await expect(matrix.textContent()).resolves.toContain('dropped.csv');
    expect(pageErrors).toEqual([]);
  });
});

/**
 * The Controls panel, in headless Chromium against the real main-side services (the `check`
 * operation through the loopback bridge): the bank starter policy on the bank demo, a control's
 * violating sources marked on the graph and in the list, and a bad policy's file:line errors.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { highlightedIds, openAppSession, screenshot, sourceIdByName, sourceRow, type AppSession } from './browser';

let app: AppSession;
let page: Page;
let pageErrors: string[] = [];
/** Where the test keeps the policy files it hands to the file picker. */
let policyDir: string;

const BANK_POLICY = join(process.cwd(), 'shared/policy/starters/bank.yaml');

function control(id: string) {
  return page.locator(`[data-testid="control"][data-control-id="${id}"]`);
}

/** Lower-cased IDs of the graph elements marked as violating the selected control. */
async function violatingGraphIds(p: Page): Promise<string[]> {
  return p.evaluate(() => {
    const cy = window.__egressAtlasTest?.cy;
    return cy ? cy.$('node.violating').map((e) => e.id().toLowerCase()).sort() : [];
  });
}

beforeAll(async () => {
  policyDir = await mkdtemp(join(tmpdir(), 'egress-atlas-policies-'));
  app = await openAppSession({ demo: 'bank' });
  ({ page, pageErrors } = app);
}, 120_000);

afterAll(async () => {
  await app?.close();
  if (policyDir) await rm(policyDir, { recursive: true, force: true });
});

describe('policy controls', () => {
  it('a policy that does not parse is an input error listing each file:line: field: problem', async () => {
    const bad = join(policyDir, 'bad.yaml');
    await writeFile(bad, 'version: 1\ncontrols:\n  - id: no-default-outbound\n    effect: deny\n    scope: { subnets: ["*"] }\n    forbidExitz: [default-outbound]\n');
    await page.getByTestId('policy-input').setInputFiles(bad);
    await page.getByTestId('error-message').waitFor();
    const message = await page.getByTestId('error-message').textContent();
    expect(message).toMatch(/bad\.yaml:6: controls\[0\]\.forbidExitz: /);
    expect(await page.getByTestId('controls-panel').count()).toBe(0);
    await screenshot(page, 'policy-error');
    await page.getByRole('button', { name: 'Dismiss error' }).click();
  });

  it('loads the bank starter policy: each control with its status and counts', async () => {
    const file = join(policyDir, 'bank.yaml');
    await writeFile(file, await readFile(BANK_POLICY, 'utf8'));
    await page.getByTestId('policy-input').setInputFiles(file);
    const panel = page.getByTestId('controls-panel');
    await panel.waitFor();
    await expect(panel.getByTestId('control').evaluateAll((els) => els.map((e) => e.getAttribute('data-control-id'))))
      .resolves.toEqual(['no-default-outbound', 'payments-inspected', 'psp-allow-list', 'hub-snat-headroom']);
    await expect(control('no-default-outbound').getByTestId('control-status').textContent()).resolves.toBe('Fail');
    await expect(control('no-default-outbound').getByTestId('control-counts').textContent()).resolves.toBe('1 violation · 5 in scope · 0 exceptions');
    await expect(control('psp-allow-list').getByTestId('control-status').textContent()).resolves.toBe('Pass');
    await expect(control('psp-allow-list').getByTestId('control-counts').textContent()).resolves.toBe('0 violations · 2 in scope · 0 exceptions');
    await expect(control('hub-snat-headroom').getByTestId('control-status').textContent()).resolves.toBe('Not applicable');
    await expect(panel.getByTestId('controls-summary').textContent()).resolves.toBe('2 fail · 1 pass · 1 not applicable');
    await expect(panel.textContent()).resolves.toContain('bank.yaml');
    // Nothing is marked until a control is selected.
    expect(await violatingGraphIds(page)).toEqual([]);
  });

  it('selecting a failing control marks snet-payments-reporting on the graph and in the list; its violation shows why', async () => {
    const reporting = await sourceIdByName(page, 'snet-payments-reporting');
    const api = await sourceIdByName(page, 'snet-payments-api');
    await control('no-default-outbound').getByRole('button', { pressed: false }).first().click();
    await expect.poll(() => violatingGraphIds(page)).toEqual([reporting.toLowerCase()]);
    expect(await sourceRow(page, reporting).getAttribute('data-violating')).toBe('true');
    expect(await sourceRow(page, api).getAttribute('data-violating')).toBeNull();
    const violations = control('no-default-outbound').getByTestId('violation');
    await expect(violations.allTextContents()).resolves.toEqual(['snet-payments-reportingforbidExits']);

    await violations.first().getByRole('button').click();
    await expect.poll(() => page.evaluate(() => window.__egressAtlasTest?.state?.selectedSourceId ?? null)).toBe(reporting);
    await expect.poll(() => highlightedIds(page)).toContain(reporting);
    const reasons = control('no-default-outbound').getByTestId('violation-reasons');
    await expect(reasons.textContent()).resolves.toContain('default outbound access');
    await screenshot(page, 'policy-controls');
  });

  it('another control marks its own sources; Clear removes the marks', async () => {
    await control('psp-allow-list').locator('.control-main').click({ timeout: 5000 });
    await expect.poll(() => violatingGraphIds(page)).toEqual([]);
    await expect(control('psp-allow-list').textContent()).resolves.toContain('No violations.');
    // Esc clears the source selection: the marks stand out on the undimmed graph.
    await page.keyboard.press('Escape');
    await expect.poll(() => highlightedIds(page)).toEqual([]);
    await control('payments-inspected').locator('.control-main').click({ timeout: 5000 });
    const reporting = await sourceIdByName(page, 'snet-payments-reporting');
    await expect.poll(() => violatingGraphIds(page)).toEqual([reporting.toLowerCase()]);
    await expect(control('payments-inspected').getByTestId('control-counts').textContent()).resolves.toBe('2 violations · 5 in scope · 0 exceptions');
    await screenshot(page, 'policy-control-marks');
    await page.getByTestId('clear-control').click({ timeout: 5000 });
    await expect.poll(() => violatingGraphIds(page)).toEqual([]);
    expect(await page.locator('[data-testid="source-row"][data-violating]').count()).toBe(0);
  });

  it('accepts a policy dropped on the Policy control, and closes', async () => {
    const text = 'version: 1\ncontrols:\n  - id: only-nat\n    title: Every subnet leaves through a NAT gateway\n    effect: audit\n    scope: { subnets: ["*"] }\n    requireVerdicts: [internet]\n';
    const accepted = await page.evaluate((t) => {
      const target = document.querySelector('[data-testid="policy-button"]');
      if (!target) throw new Error('No policy control');
      const transfer = new DataTransfer();
      transfer.items.add(new File([t], 'dropped.yml', { type: 'text/yaml' }));
      return ['dragenter', 'dragover', 'drop'].map((type) => !target.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true })));
    }, text);
    expect(accepted).toEqual([true, true, true]);
    await expect.poll(() => page.getByTestId('control').evaluateAll((els) => els.map((e) => e.getAttribute('data-control-id')))).toEqual(['only-nat']);
    await expect(page.getByTestId('controls-panel').textContent()).resolves.toContain('dropped.yml');
    await page.getByTestId('close-policy').click();
    expect(await page.getByTestId('controls-panel').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});

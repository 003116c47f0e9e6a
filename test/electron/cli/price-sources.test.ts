/**
 * `egress-atlas prices` and `egress-atlas cost` cite only sources a user can open: the table's
 * listed sources (title, URL, date) and Microsoft's pricing pages, never the private research
 * notes the table was compiled from.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliIn } from '../../support/cli-run';
import { MICROSOFT_PRICING_PAGES, PRICE_TABLE } from '../../../shared/cost/index';
import { ROOT } from '../../shared/traffic/support';

const UNREACHABLE = /destinations\.md|shared\/reference|§|[Tt]he reference|UNCONFIRMED/;
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'egress-atlas-price-sources-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('price sources in the CLI', () => {
  it('prices: "from:" names the table and its listed sources; each source has its title; Microsoft\'s pages listed', async () => {
    const run = await runCliIn(ROOT, ['prices']);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(UNREACHABLE);
    expect(run.stdout).toContain('  from: Egress Atlas price table of 2026-09-24, compiled from the sources listed below (each figure names its source)\n');
    for (const s of PRICE_TABLE.sources) expect(run.stdout).toContain(`      ${s.title}`);
    for (const page of Object.values(MICROSOFT_PRICING_PAGES)) expect(run.stdout).toContain(`${page.title}: ${page.url}`);
    expect(run.stdout).toContain('(not confirmed against Microsoft\'s pricing page)');
  });

  it('prices --format json cites no private file', async () => {
    const run = await runCliIn(ROOT, ['prices', '--format', 'json']);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(UNREACHABLE);
  });

  it.each(['bank', 'manufacturer'])('cost --demo %s (table and JSON, with logs) cites no private file', async (demo) => {
    for (const format of ['table', 'json']) {
      const run = await runCliIn(ROOT, ['cost', '--demo', demo, '--logs', 'test/fixtures/logs', '--fallback-region', 'eastus', '--format', format]);
      expect(run.code).toBe(0);
      expect(run.stdout).not.toMatch(UNREACHABLE);
      expect(run.stdout).toContain(MICROSOFT_PRICING_PAGES.bandwidth.url);
    }
  });

  it('cost table: the price sources block lists titles and Microsoft\'s pricing pages', async () => {
    const run = await runCliIn(ROOT, ['cost', '--demo', 'bank']);
    expect(run.code).toBe(0);
    const block = run.stdout.slice(run.stdout.indexOf('Price sources'));
    for (const s of PRICE_TABLE.sources) expect(block).toContain(s.title);
    expect(block).toContain(`Microsoft, Virtual Network pricing: ${MICROSOFT_PRICING_PAGES.virtualNetwork.url}`);
  });

  it('cost --prices with no tiers for a zone: the gap points to Microsoft\'s Bandwidth pricing page', async () => {
    const file = join(dir, 'no-tiers.json');
    await writeFile(file, JSON.stringify({ ...PRICE_TABLE, internetEgress: { ...PRICE_TABLE.internetEgress, zones: {} } }));
    const run = await runCliIn(ROOT, ['cost', '--demo', 'bank', '--logs', 'test/fixtures/logs', '--fallback-region', 'eastus', '--prices', file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`internet data transfer: the price table has no zone-1 tiers (Microsoft's tiers per zone: Microsoft, Bandwidth pricing, ${MICROSOFT_PRICING_PAGES.bandwidth.url})`);
    expect(run.stdout).not.toMatch(UNREACHABLE);
  });
});

/**
 * `egress-atlas prices` and `egress-atlas cost` cite only sources a user can open: the table's
 * listed sources (title, URL, date) and Microsoft's pricing pages, never the private research
 * notes the table was compiled from. An address is one that keeps showing what was read (a
 * repository file at a commit, not a branch); where none is recorded the line says so, with the
 * full title to search for. The evidence PDF prints the same block (shared/cost/sources-text.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliIn } from '../../support/cli-run';
import { MICROSOFT_PRICING_PAGES, PRICE_TABLE, priceSourceText } from '../../../shared/cost/index';
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
    for (const s of PRICE_TABLE.sources) expect(run.stdout).toContain(s.url ? `      ${s.title}` : `      address not recorded; title: ${s.title}`);
    for (const page of Object.values(MICROSOFT_PRICING_PAGES)) expect(run.stdout).toContain(`${page.title}: ${page.url}`);
    expect(run.stdout).toContain('(not confirmed against Microsoft\'s pricing page)');
  });

  it('prices: the figures, regions and dates of the per-meter lines start in the same columns', async () => {
    const run = await runCliIn(ROOT, ['prices']);
    const figures = run.stdout.split('\n').filter((l) => /^ {2}(NAT gateway|Azure Firewall|Standard static public IP) /.test(l));
    expect(figures).toHaveLength(9);
    for (const column of [/\$\d/, / (Global|eastus|all-commercial) /, /\((no date|\d{4}-\d{2}-\d{2})\)$/]) {
      expect(new Set(figures.map((l) => l.search(column))).size, String(column)).toBe(1);
    }
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

describe('addresses a user can check', () => {
  // A branch (blob/master) moves: what a user opens later is not what the figures were read from.
  it('every recorded address is https and pinned: GitHub files at a commit, never a branch', () => {
    for (const s of PRICE_TABLE.sources) {
      if (s.url === null) continue;
      expect(s.url, s.id).toMatch(/^https:\/\//);
      expect(s.url, s.id).not.toMatch(/\/blob\/(master|main|HEAD)\//);
      if (s.url.startsWith('https://github.com/')) expect(s.url, s.id).toMatch(/\/blob\/[0-9a-f]{8,40}\//);
    }
  });

  // The Firewall Basic note read the Retail Prices API; the API's root is not where the note is.
  it('no source gives the Retail Prices API root as its own address', () => {
    for (const s of PRICE_TABLE.sources) expect(s.url ?? '', s.id).not.toMatch(/prices\.azure\.com/);
  });

  // A title cut short ("A hidden lever…") cannot be searched for; with no address it is all there is.
  it('every title is whole (no "…"), and a source without an address says so with its title', () => {
    for (const s of PRICE_TABLE.sources) expect(s.title, s.id).not.toMatch(/…|\.\.\./);
    const text = priceSourceText(PRICE_TABLE.sources).join('\n');
    for (const s of PRICE_TABLE.sources.filter((x) => x.url === null)) expect(text).toContain(`      address not recorded; title: ${s.title}`);
    expect(text).toContain('Azure routing preference: A hidden lever for performance vs. cost trade-offs');
  });
});

describe('prices, cost and the evidence PDF print the same price sources block', () => {
  it('prices and cost: the block line for line', async () => {
    const block = priceSourceText(PRICE_TABLE.sources).join('\n');
    expect((await runCliIn(ROOT, ['prices'])).stdout).toContain(`Sources\n${block}\n`);
    expect((await runCliIn(ROOT, ['cost', '--demo', 'bank'])).stdout).toContain(`Price sources\n${block}\n`);
  });

  // The PDF is what an auditor files: it must let them check the figures as cost's output does
  // (titles, addresses or "address not recorded", Microsoft's pricing pages).
  it('report --logs: the PDF\'s "Price sources" holds every line of the block', async () => {
    const run = await runCliIn(dir, ['report', '--demo', 'bank', '--logs', resolve(ROOT, 'test/fixtures/logs'), '--timestamp', '2026-11-26T06:00:00Z', '--out', 'cost.pdf']);
    expect(run.code).toBe(0);
    // Text as pdftotext gives it, without the line breaks the PDF wraps long lines at (and the
    // hyphens pdftotext drops where an address wraps after one).
    const flat = (t: string): string => t.replace(/[\s-]+/g, '');
    const text = flat(execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'cost.pdf'), '-'], { encoding: 'utf8' }));
    const section = text.slice(text.indexOf('Pricesources'));
    for (const line of priceSourceText(PRICE_TABLE.sources)) expect(section.includes(flat(line)), line).toBe(true);
    expect(text.includes('unconfirmedagainsttheMicrosoftpricingpage'), 'the old wording').toBe(false);
  }, 120_000);
});

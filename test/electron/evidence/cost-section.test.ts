/**
 * The "Cost by owner" section of the evidence PDF (`report --logs`): the bank demo with every log
 * fixture, checked through pdftotext against `estimateCost`'s own result (the same traffic the
 * report analyses) so the test follows the engine: after "Observed destinations" in the contents,
 * the price table and its date, where the bytes came from, every owner and cost-centre roll-up with
 * its figure, each path's lines, and missing figures printed as "missing" with their reason, never
 * $0.00. Without --logs there is no such section. Pages are rendered to PNG under test-results/pdf.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../../electron/cli/command';
import { readLogs } from '../../../electron/cli/commands/traffic';
import { reportCommand } from '../../../electron/cli/commands/report';
import { demoSnapshot, pickDemo } from '../../../electron/cli/estate';
import { runCli } from '../../../electron/cli/main';
import { costPathsShown, MAX_COST_PATHS } from '../../../electron/evidence/write-cost';
import { usdText as usd } from '../../../shared/cost/types';
import { estimateCost } from '../../../shared/cost/index';
import { resolveEgress } from '../../../shared/egress/index';
import { analyzeTraffic } from '../../../shared/traffic/index';
import { EXPORTED_AT } from './fixture';
import { pageText, pdfText, renderPages, savePdf } from './poppler';

const ROOT = resolve(import.meta.dirname, '../../..');
const LOGS = join(ROOT, 'test/fixtures/logs');
const TIMESTAMP = '2026-11-26T06:00:00Z';
const dir = mkdtempSync(join(tmpdir(), 'egress-atlas-cost-pdf-'));

async function report(...args: string[]): Promise<number> {
  const io: CliIo = { stdout: () => undefined, stderr: () => undefined, isTTY: false, cwd: dir, env: {} };
  return runCli(['report', ...args], io, [reportCommand]);
}

/** The contents' top-level titles, in order, and the page each gives (layout text: the number ends the line). */
function contents(layout: string): readonly { readonly title: string; readonly page: number }[] {
  return (layout.split('\f')[1] ?? '').split('\n').filter((l) => /^\S.*\s\d+\s*$/.test(l))
    .map((l) => ({ title: l.replace(/\s+\d+\s*$/, ''), page: Number(/(\d+)\s*$/.exec(l)?.[1] ?? -1) }));
}

const squash = (s: string): string => s.replace(/\s+/g, '');

describe('evidence PDF: Cost by owner (report --logs)', async () => {
  expect(await report('--demo', 'bank', '--logs', LOGS, '--timestamp', TIMESTAMP, '--exported-by', 'Ana Auditor', '--out', 'cost.pdf')).toBe(0);
  const file = savePdf('bank-cost', readFileSync(join(dir, 'cost.pdf')));
  const pngs = renderPages(file, 'bank-cost', 60);
  const layout = pdfText(file, true);
  const toc = contents(layout);
  const costPage = toc.find((c) => c.title === 'Cost by owner')?.page ?? -1;
  const nextPage = toc[toc.findIndex((c) => c.title === 'Cost by owner') + 1]?.page ?? -1;
  let section = '';
  for (let p = costPage; p <= nextPage; p++) section += pageText(file, p);
  section = section.slice(0, section.indexOf('Gaps: what could not be read or modelled'));
  const flat = squash(section);
  // The engine's own answer for the same inputs: the report's snapshot, every log, default route.
  const snapshot = demoSnapshot(pickDemo('bank'), EXPORTED_AT);
  const traffic = analyzeTraffic(snapshot, await readLogs([LOGS], ROOT), { since: null, policy: null });
  const expected = estimateCost(snapshot, resolveEgress(snapshot), { traffic });

  it('comes right after Observed destinations, in the contents and the bookmarks', () => {
    expect(toc.map((c) => c.title).slice(0, 4)).toEqual(['Summary', 'Observed destinations', 'Cost by owner', 'Gaps: what could not be read or modelled']);
    expect(costPage).toBeGreaterThan(toc.find((c) => c.title === 'Observed destinations')?.page ?? Infinity);
    expect(pageText(file, costPage)).toMatch(/^Cost by owner\n/);
    expect(readFileSync(file).toString('latin1')).toContain('/Title (Cost by owner)');
    expect(pngs.length).toBeGreaterThanOrEqual(nextPage);
    expect(pngs.every((size) => size > 1000)).toBe(true);
  });

  it('names the price table and its date, the bytes source and the logs\' window', () => {
    expect(expected.bytesFrom).toMatch(/flow-logs/);
    expect(flat).toContain(squash(`price table ${expected.prices.table} (as of ${expected.prices.asOf};`));
    // Squashed as the other phrases are: where the PDF breaks the line depends on the text before it.
    expect(flat).toContain(squash('Bytes from flow logs'));
    expect(flat).toContain(squash(`Logs from ${expected.window?.from} to ${expected.window?.to}`));
    expect(flat).toContain(squash(`Estimated total ${usd(expected.total.monthlyUsd)} per month`));
  });

  it('lists every owner and cost-centre roll-up with its figure, in the engine\'s order', () => {
    expect(expected.rollups.owner.length).toBeGreaterThan(1);
    for (const rows of [expected.rollups.owner, expected.rollups.costCentre]) {
      for (const r of rows) {
        // One layout line per row: key, paths, figure, complete (wrapped cells continue below).
        expect(layout).toMatch(new RegExp(`\\n\\s*${r.key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+${r.sources}\\s+${usd(r.monthlyUsd).replace(/[$.]/g, '\\$&')}\\s+${r.complete ? 'yes' : 'no: a figure is'}`));
      }
      const at = rows.map((r) => section.indexOf(r.key));
      expect(at.every((i) => i >= 0)).toBe(true);
      expect([...at].sort((a, b) => a - b)).toEqual(at);
    }
  });

  it('gives each path its bytes, its lines, and prints a missing figure as missing with the reason, never $0.00', () => {
    for (const s of expected.sources) {
      expect(flat).toContain(squash(`${s.source.name} (${s.source.type === 'nic' ? 'NIC' : 'subnet'}): ${usd(s.monthlyUsd)} per month`));
      expect(flat).toContain(squash(`Bytes used: ${s.bytes.description}`));
    }
    const missing = expected.sources.flatMap((s) => s.lines).filter((l) => l.monthlyUsd === null);
    expect(missing.length).toBeGreaterThan(0);
    for (const l of missing) expect(flat).toContain(squash(l.missing ?? 'missing'));
    // Every table row whose figure is missing ends "missing", not a dollar amount.
    const missingRows = layout.split('\n').filter((line) => /\s(missing)\s*$/.test(line));
    expect(missingRows.length).toBeGreaterThanOrEqual(new Set(missing.map((l) => `${l.item}|${l.resource?.id ?? ''}`)).size);
    expect(expected.total.complete).toBe(false);
    expect(section).toContain('not counting the missing figures listed below');
  });

  it('keeps the most expensive paths past the cap, in the result\'s order', () => {
    const base = expected.sources[0]!;
    const many = { ...expected, sources: Array.from({ length: MAX_COST_PATHS + 5 }, (_, i) => ({ ...base, source: { ...base.source, id: `s-${i}` }, monthlyUsd: (i * 37) % 101 })) };
    const shown = costPathsShown(many);
    expect(shown).toHaveLength(MAX_COST_PATHS);
    const cheapest = Math.min(...shown.map((s) => s.monthlyUsd));
    expect(many.sources.filter((s) => !shown.includes(s)).every((s) => s.monthlyUsd <= cheapest)).toBe(true);
    expect(shown.map((s) => s.source.id)).toEqual(many.sources.filter((s) => shown.includes(s)).map((s) => s.source.id));
    expect(costPathsShown(expected)).toBe(expected.sources);
  });

  it('says under each path what it passes that no line prices (the JSON leftOut): a load balancer, an NVA', async () => {
    expect(await report('--demo', 'training', '--logs', LOGS, '--timestamp', TIMESTAMP, '--out', 'training-cost.pdf')).toBe(0);
    const text = squash(pdfText(join(dir, 'training-cost.pdf')));
    const trainingSnapshot = demoSnapshot(pickDemo('training'), EXPORTED_AT);
    const trainingCost = estimateCost(trainingSnapshot, resolveEgress(trainingSnapshot), { traffic: analyzeTraffic(trainingSnapshot, await readLogs([LOGS], ROOT), { since: null, policy: null }) });
    const leaving = trainingCost.sources.filter((s) => s.leftOut.length > 0);
    expect(leaving.map((s) => s.source.name)).toContain('nic-vm-lesson05-01');
    for (const s of leaving) expect(text).toContain(squash(`Not priced on this path: ${s.leftOut.join('; ')}.`));
    // Bank's paths price everything they pass: no such line.
    expect(expected.sources.every((s) => s.leftOut.length === 0)).toBe(true);
    expect(flat).not.toContain('Notpricedonthispath');
  });

  it('has no Cost by owner section without --logs', async () => {
    expect(await report('--demo', 'bank', '--timestamp', TIMESTAMP, '--out', 'plain.pdf')).toBe(0);
    const plain = pdfText(join(dir, 'plain.pdf'));
    expect(plain).not.toContain('Cost by owner');
  });
});

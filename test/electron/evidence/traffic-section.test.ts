/**
 * The "Observed destinations" section of the evidence PDF (`report --logs`): the bank demo with
 * every log fixture, checked through pdftotext against `analyzeTraffic`'s own result so the test
 * follows the engine; placed after Controls (with --policy) or else after the summary; byte-
 * identical with --timestamp; long names and rules wrap at their separators; the top-N cap.
 * The pages are also rendered to PNG under test-results/pdf to be looked at.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../../electron/cli/command';
import { readLogs } from '../../../electron/cli/commands/traffic';
import { reportCommand } from '../../../electron/cli/commands/report';
import { demoSnapshot, pickDemo } from '../../../electron/cli/estate';
import { runCli } from '../../../electron/cli/main';
import { writeEvidencePdf } from '../../../electron/evidence';
import { TOP_DESTINATIONS } from '../../../electron/evidence/write-traffic';
import { bytesText } from '../../../shared/traffic/format';
import { resolveEgress } from '../../../shared/egress/index';
import { parsePolicy } from '../../../shared/policy/index';
import { analyzeTraffic } from '../../../shared/traffic/index';
import type { ObservedDestination, TrafficResult } from '../../../shared/traffic/index';
import { EXPORTED_AT } from './fixture';
import { pageText, pdfText, renderPages, savePdf } from './poppler';

const ROOT = resolve(import.meta.dirname, '../../..');
const LOGS = join(ROOT, 'test/fixtures/logs');
const TIMESTAMP = '2026-11-26T06:00:00Z';
const dir = mkdtempSync(join(tmpdir(), 'egress-atlas-traffic-pdf-'));
const POLICY = [
  'version: 1',
  'controls:',
  '  - id: card-networks-only',
  '    title: Card authorisation reaches only Visa and Stripe',
  '    effect: deny',
  '    scope: { subnets: [snet-card-auth] }',
  '    mayReach: ["*.visa.com", api.stripe.com]',
  '',
].join('\n');
writeFileSync(join(dir, 'policy.yaml'), POLICY);

async function report(...args: string[]): Promise<{ readonly code: number; readonly stderr: string }> {
  const err: string[] = [];
  const io: CliIo = { stdout: () => undefined, stderr: (t) => err.push(t), isTTY: false, cwd: dir, env: {} };
  const code = await runCli(['report', ...args], io, [reportCommand]);
  return { code, stderr: err.join('') };
}

/** The page the contents give for a title (layout text: the number ends the line). */
function contentsPage(layout: string, title: string): number {
  const line = layout.split('\f')[1]?.split('\n').find((l) => new RegExp(`^\\s*${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+\\d+\\s*$`).test(l)) ?? '';
  return Number(/(\d+)\s*$/.exec(line)?.[1] ?? -1);
}

/** The contents' top-level titles, in order. */
function contentsTitles(layout: string): readonly string[] {
  return (layout.split('\f')[1] ?? '').split('\n').filter((l) => /^\S.*\s\d+\s*$/.test(l)).map((l) => l.replace(/\s+\d+\s*$/, ''));
}

const squash = (s: string): string => s.replace(/\s+/g, '');

/** The pages from `from` up to (not including) `to`, as plain text. */
function pagesText(file: string, from: number, to: number): string {
  let text = '';
  for (let p = from; p < to; p++) text += pageText(file, p);
  return text;
}

describe('evidence PDF: Observed destinations (report --logs --policy)', async () => {
  const args = ['--demo', 'bank', '--logs', LOGS, '--policy', 'policy.yaml', '--timestamp', TIMESTAMP, '--exported-by', 'Ana Auditor'];
  const first = await report(...args, '--out', 'a.pdf');
  const second = await report(...args, '--out', 'b.pdf');
  const bytes = readFileSync(join(dir, 'a.pdf'));
  // Kept under test-results/pdf (gitignored) with its pages as PNGs, to be looked at.
  const file = savePdf('bank-traffic', bytes);
  const pngs = renderPages(file, 'bank-traffic', 60);
  const layout = pdfText(file, true);
  const trafficPage = contentsPage(layout, 'Observed destinations');
  const gapsPage = contentsPage(layout, 'Gaps: what could not be read or modelled');
  const section = pagesText(file, trafficPage, gapsPage + 1);
  const sectionText = section.slice(0, section.indexOf('Gaps: what could not be read or modelled'));
  const expected = analyzeTraffic(demoSnapshot(pickDemo('bank'), EXPORTED_AT), await readLogs([LOGS], ROOT), { policy: parsePolicy(POLICY, 'policy.yaml') });

  it('writes the PDF byte-identically when --timestamp pins the time', () => {
    expect(first).toEqual({ code: 0, stderr: expect.stringContaining('wrote a.pdf') as string });
    expect(second.code).toBe(0);
    expect(bytes.equals(readFileSync(join(dir, 'b.pdf')))).toBe(true);
    expect(pngs.length).toBeGreaterThan(trafficPage);
    expect(pngs.every((size) => size > 1000)).toBe(true);
  });

  it('comes after Controls, in the contents and the bookmarks, one entry per source', () => {
    expect(contentsTitles(layout).slice(0, 5)).toEqual(['Summary', 'Controls', 'Observed destinations', 'Cost by owner', 'Gaps: what could not be read or modelled']);
    expect(trafficPage).toBeGreaterThan(contentsPage(layout, 'Controls'));
    expect(pageText(file, trafficPage)).toMatch(/^Observed destinations\n/);
    const raw = bytes.toString('latin1');
    expect(raw).toContain('/Title (Observed destinations)');
    for (const s of expected.sources) {
      const flows = s.observed.reduce((n, o) => n + o.flows, 0);
      const title = `${s.source.name} (NIC in ${s.subnet.name}): ${flows} flow${flows === 1 ? '' : 's'}`;
      // pdfkit escapes the parentheses of a bookmark title.
      expect(raw).toContain(`/Title (${title.replace(/[()]/g, '\\$&')})`);
      expect(contentsPage(layout, title)).toBeGreaterThanOrEqual(trafficPage);
    }
    expect(contentsPage(layout, `Traffic findings (${expected.findings.length})`)).toBeGreaterThanOrEqual(trafficPage);
    expect(contentsPage(layout, 'Unattributed sources (2)')).toBeGreaterThanOrEqual(trafficPage);
  });

  it('lists every source\'s destinations as analyzeTraffic gives them: port/protocol, action, flows, bytes, seen, rule, model', () => {
    expect(expected.sources.length).toBe(7);
    const flat = squash(sectionText);
    for (const s of expected.sources) {
      expect(sectionText).toContain(`${s.source.name} (NIC in ${s.subnet.name})`);
      expect(squash(sectionText)).toContain(s.source.id);
      // One table row per destination: in layout text its first line holds every column's first line, in column order.
      for (const o of s.observed.slice(0, TOP_DESTINATIONS)) expect(layout).toMatch(rowPattern(o));
      // Every cell in full (multi-line cells squashed): the seen times and the rule as logged.
      for (const o of s.observed.slice(0, TOP_DESTINATIONS)) expect(flat).toContain(squash(ruleText(o)));
    }
    // The seen column: first and last on lines of their own, UTC, to the second.
    expect(sectionText).toContain('2024-05-01 00:02:11\n2024-05-07 23:58:40');
  });

  it('marks where the log and the model disagree', () => {
    const payrpt = expected.sources.find((s) => s.source.name === 'nic-vm-payrpt-01');
    expect(payrpt?.observed.find((o) => o.destination === '203.0.113.99')).toMatchObject({ action: 'deny', model: 'allowed' });
    expect(squash(sectionText)).toContain(squash('203.0.113.99 3389/TCP deny 2 0 B 2024-05-01 10:00:04 UserRule_Deny-RDP-Out allowed (disagrees)'));
    expect(squash(sectionText)).toContain(squash('www.visa.com 443/HTTPS allow 3 - 2024-05-06 12:00:00 2024-05-06 12:30:00'));
    expect(sectionText.match(/\(disagrees\)/g)?.length).toBe(2);
    // The overview counts them per source.
    expect(layout).toMatch(/nic-vm-payrpt-01 \(NIC\)\s+snet-payments-reporting\s+5\s+3\s+2\s+1\n/);
  });

  it('lists the traffic findings, errors first, with observed-outside-policy from the policy', () => {
    const outside = expected.findings.filter((f) => f.code === 'observed-outside-policy');
    expect(outside.map((f) => [f.severity, f.policy?.destination])).toEqual([['error', 'www.mastercard.com']]);
    const findings = squash(sectionText.slice(sectionText.indexOf('Traffic findings')));
    for (const f of expected.findings) expect(findings).toContain(squash(`${f.code}: ${f.message}`));
    expect(findings.indexOf(squash(`ERROR observed-outside-policy: ${outside[0]?.message ?? '?'}`))).toBe(findings.indexOf('SeverityFinding') + 'SeverityFinding'.length);
    // 271: the AZFWThreatIntel Alert row of the diagnostic blob is an alert on a connection, not a flow (ASIM).
    expect(sectionText).toMatch(/7 sources, 271 attributed flows; 2 unattributed source IPs; 8 findings \(1 error, 6 warning, 1 info\)\./);
  });

  it('lists the unattributed sources and what the logs could not tell', () => {
    const unattributed = squash(sectionText.slice(sectionText.indexOf('Unattributed sources (2)')));
    expect(unattributed).toContain(squash('10.200.5.9 a private address outside every modelled prefix 1 - 1 2024-05-05 20:00:00 azfw-network'));
    expect(unattributed).toContain(squash('203.0.113.50 a public address (inbound, DNAT) 1 - 1 2024-05-02 02:14:00 azfw-nat'));
    // Gaps the Gaps section already lists (the default-route resolve's) are not repeated here.
    const snapshot = demoSnapshot(pickDemo('bank'), EXPORTED_AT);
    const modelGaps = new Set(resolveEgress(snapshot).gaps.map((g) => `${g.code}|${g.scope}|${g.message}`));
    const trafficOnly = expected.gaps.filter((g) => !modelGaps.has(`${g.code}|${g.scope}|${g.message}`));
    expect(trafficOnly.length).toBeGreaterThan(0);
    expect(sectionText).toContain(`What the logs could not tell (${trafficOnly.length})`);
    expect(squash(sectionText)).toContain(squash('1 inbound flow tuples (egress reads outbound flows only).'));
  });

  it('wraps long rules at their own separators, never inside a word', () => {
    // NSG rule names have no spaces: cut after the underscore, not between two letters.
    expect(sectionText).toMatch(/\nDefaultRule_\nAllowInternetOutBound\n/);
    expect(sectionText).toMatch(/\nUserRule_\nDeny-SMTP-Outbound\n/);
    expect(sectionText).toMatch(/\nafwp-bank-egress \/\nrcg-payments-egress \/\nallow-approved-psp-apis \/\nstripe\n/);
  });
});

const escape = (t: string): string => t.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

function ruleText(o: ObservedDestination): string {
  return o.rule === null ? (o.action === 'deny' ? 'default action (no rule named)' : '-')
    : [o.rule.policy, o.rule.collectionGroup, o.rule.collection, o.rule.rule].filter((p) => p !== null && p !== '').join(' / ');
}

/** A row's first line in layout text: destination, port/protocol, action, flows, bytes, first seen, the rule's start, the model. */
function rowPattern(o: ObservedDestination): RegExp {
  const cells = [o.destination, o.port === null ? o.protocol : `${o.port}/${o.protocol}`, o.action, String(o.flows), bytesText(o.bytes), time(o.firstSeen)];
  const rule = ruleText(o).split(/[ _]/)[0] ?? '';
  const model = o.model === 'not-modelled' ? 'not modelled' : o.model;
  // Layout text may drop the space inside a cell (`0 B` as `0B`).
  return new RegExp(`\\n\\s*${cells.map((c) => escape(c).replace(/ /g, '\\s*')).join('\\s+')}\\s+${escape(rule)}.*\\s${escape(model)}\\n`);
}

function time(iso: string | null): string {
  return iso === null ? '-' : iso.replace('T', ' ').replace(/(\.\d+)?Z$/, '');
}

describe('evidence PDF: Observed destinations without a policy, and the top-N cap', async () => {
  const snapshot = demoSnapshot(pickDemo('bank'), EXPORTED_AT);
  const logs = await readLogs([LOGS], ROOT);
  const traffic = analyzeTraffic(snapshot, logs);
  const base = traffic.sources[0];
  if (!base) throw new Error('no source');
  // One source with more destinations than the section shows.
  const many: TrafficResult = {
    ...traffic,
    sources: [{
      ...base,
      observed: Array.from({ length: TOP_DESTINATIONS + 3 }, (_, i): ObservedDestination => ({
        destination: `svc-${String(i).padStart(2, '0')}.a-rather-long-service-name.example.com`, port: 443, protocol: 'HTTPS', action: 'allow', flows: 100 - i,
        bytes: null, firstSeen: '2024-05-01T10:00:00.000Z', lastSeen: '2024-05-02T10:00:00.000Z', rule: null, model: 'allowed',
      })),
    }],
  };
  const file = savePdf('bank-traffic-top', await writeEvidencePdf({ snapshot, result: resolveEgress(snapshot, {}), selection: null, exportedBy: 'Ana Auditor', exportedAt: EXPORTED_AT, traffic: many }));
  renderPages(file, 'bank-traffic-top', 60);
  const layout = pdfText(file, true);
  const text = pdfText(file);

  it('comes right after the summary when no policy is checked', () => {
    expect(contentsTitles(layout).slice(0, 3)).toEqual(['Summary', 'Observed destinations', 'Gaps: what could not be read or modelled']);
    expect(text).not.toContain('observed-outside-policy');
  });

  it('shows the top destinations by flows and says how many more there are', () => {
    expect(text).toContain('the 10 with the most flows');
    expect(layout).toMatch(/\n\s*svc-09\.\s+443\/HTTPS\s+allow\s+91\s/);
    expect(layout).not.toContain('svc-10.');
    expect(text).toContain('… and 3 more destinations (fewer flows); egress-atlas traffic --format json lists them all.');
    // A long host name wraps after a dot, never inside a label: its lines in the destination column.
    expect(layout).toMatch(/\n\s*svc-00\.\s+443\/HTTPS[^\n]*\n\s*a-rather-long-service-name\.[^\n]*\n\s*example\.com\n/);
  });
});

describe('report --logs: usage and bad input', () => {
  it('exits 2 for --since without --logs, and for a log it cannot read, writing no PDF', async () => {
    const since = await report('--demo', 'bank', '--since', '7d', '--out', 'none.pdf');
    expect(since.code).toBe(2);
    expect(since.stderr).toMatch(/^error: --since needs --logs\n/);
    writeFileSync(join(dir, 'bad-log.json'), '{"value": []}');
    const bad = await report('--demo', 'bank', '--logs', 'bad-log.json', '--out', 'bad.pdf');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bad-log.json');
    expect(existsSync(join(dir, 'bad.pdf'))).toBe(false);
  });

  it('--since narrows the window the section reports, and --subnet the sources it lists', async () => {
    const run = await report('--demo', 'bank', '--logs', LOGS, '--since', '2d', '--subnet', 'snet-card-auth', '--timestamp', TIMESTAMP, '--out', 'since.pdf');
    expect(run.code).toBe(0);
    const text = pdfText(savePdf('bank-traffic-since', readFileSync(join(dir, 'since.pdf'))));
    expect(text).toContain('from 2024-05-05T23:58:40.000Z to 2024-05-07T23:58:40.000Z');
    expect(text).toContain('Only the sources selected for this export are listed');
    expect(text).toContain('nic-vm-cardauth-02 (NIC in snet-card-auth)');
    expect(text).not.toContain('nic-vm-settle-batch-01 (NIC in');
  });
});

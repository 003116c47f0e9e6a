/**
 * The Controls section of the evidence PDF (`report --policy`): the bank demo against its starter
 * policy, checked through pdftotext against `checkPolicy`'s own result so the test follows the
 * engine; byte-identical with --timestamp; a bad policy stops the report before any work.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../../electron/cli/command';
import { reportCommand } from '../../../electron/cli/commands/report';
import { demoSnapshot, pickDemo } from '../../../electron/cli/estate';
import { runCli } from '../../../electron/cli/main';
import { writeEvidencePdf } from '../../../electron/evidence';
import { resolveEgress } from '../../../shared/egress/index';
import { checkPolicy, parsePolicy } from '../../../shared/policy/index';
import { EXPORTED_AT } from './fixture';
import { pageText, pdfText, renderPages, savePdf } from './poppler';

const BANK_POLICY = resolve(import.meta.dirname, '../../../shared/policy/starters/bank.yaml');
const TIMESTAMP = '2026-11-26T06:00:00Z';
const dir = mkdtempSync(join(tmpdir(), 'egress-atlas-controls-'));

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

const squash = (s: string): string => s.replace(/\s+/g, '');

describe('evidence PDF: Controls section (report --policy)', async () => {
  const args = ['--demo', 'bank', '--policy', BANK_POLICY, '--timestamp', TIMESTAMP, '--exported-by', 'Ana Auditor'];
  const first = await report(...args, '--out', 'a.pdf');
  const second = await report(...args, '--out', 'b.pdf');
  const bytes = readFileSync(join(dir, 'a.pdf'));
  // Kept under test-results/pdf (gitignored) with its pages as PNGs, to be looked at.
  const file = savePdf('bank-controls', bytes);
  renderPages(file, 'bank-controls', 60);
  const layout = pdfText(file, true);
  const summaryPage = contentsPage(layout, 'Summary');
  const controlsPage = contentsPage(layout, 'Controls');
  const controlsText = pageText(file, controlsPage);
  const expected = checkPolicy(demoSnapshot(pickDemo('bank'), EXPORTED_AT), parsePolicy(readFileSync(BANK_POLICY, 'utf8'), BANK_POLICY), { now: EXPORTED_AT });

  it('writes the PDF byte-identically when --timestamp pins the time', () => {
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    expect(bytes.equals(readFileSync(join(dir, 'b.pdf')))).toBe(true);
  });

  it('comes right after the summary, in the contents and the bookmarks', () => {
    expect(summaryPage).toBeGreaterThan(0);
    expect(controlsPage).toBe(summaryPage + 1);
    expect(controlsText).toMatch(/^Controls\n/);
    expect(contentsPage(layout, 'no-default-outbound: Fail')).toBe(controlsPage);
    expect(contentsPage(layout, 'psp-allow-list: Pass')).toBeGreaterThanOrEqual(controlsPage);
    const raw = bytes.toString('latin1');
    for (const title of ['Controls', 'no-default-outbound: Fail', 'psp-allow-list: Pass', 'hub-snat-headroom: Not applicable']) {
      expect(raw).toContain(`/Title (${title})`);
    }
  });

  it('shows no-default-outbound failing on snet-payments-reporting, with the path that proves it', () => {
    const control = expected.controls.find((c) => c.id === 'no-default-outbound');
    expect(control?.status).toBe('fail');
    expect(control?.violations.map((v) => v.source.name)).toEqual(['snet-payments-reporting']);
    // The overview table names it first; its section heading is the second occurrence.
    const text = controlsText.slice(controlsText.lastIndexOf('no-default-outbound: No workload subnet'));
    // Layout text keeps each label beside its value.
    expect(layout.split('\f')[controlsPage - 1]).toMatch(/no-default-outbound: No workload subnet relies on default outbound\s+access\s+Status\s+Fail\n/);
    expect(text).toContain(`${BANK_POLICY}, line ${control?.line}`);
    const own = squash(text.slice(0, text.indexOf('payments-inspected:')));
    expect(own).toContain('snet-payments-reporting');
    expect(own).toContain(squash(control?.violations[0]?.reason ?? '?'));
    // Every hop's rule of the proof, source to terminal, in order.
    const hops = control?.violations[0]?.path.hops ?? [];
    expect(hops.length).toBeGreaterThan(2);
    expect(own).toContain(squash(`Path: ${hops.map((h) => h.rule).join('  ›  ')}`));
  });

  it('cites the page of the violating source\'s path section', () => {
    const section = contentsPage(layout, 'snet-payments-reporting (subnet): Internet');
    expect(section).toBeGreaterThan(controlsPage);
    expect(controlsText).toContain(`section, p. ${section}`);
    expect(pageText(file, section)).toContain('snet-payments-reporting (subnet): Internet');
  });

  it('shows a passing control and the overview of every control with its status in words', () => {
    const pass = expected.controls.find((c) => c.status === 'pass');
    expect(pass?.id).toBe('psp-allow-list');
    const all = pdfText(file);
    const overview = controlsText.slice(controlsText.indexOf('Status'), controlsText.lastIndexOf('no-default-outbound: No workload'));
    for (const c of expected.controls) expect(squash(overview)).toContain(squash(`${c.id}: ${c.title}`));
    expect(layout).toMatch(/psp-allow-list: Payment APIs reach only the approved payment\s+service providers and platform updates\s+Status\s+Pass\n/);
    expect(all).toContain('No violation: every source in scope meets every requirement.');
    expect(all).toContain('Not applicable');
    expect(all).toContain('maxSnatUtilisation: not applicable');
    // The cover says which policy was checked and how it came out (the long path wraps).
    expect(squash(layout)).toContain(squash(`Policy checked ${BANK_POLICY}: 4 controls, 1 pass, 2 fail, 1 not applicable`));
  });
});

describe('evidence PDF: exceptions in the Controls section', async () => {
  const snapshot = demoSnapshot(pickDemo('bank'), EXPORTED_AT);
  const policy = parsePolicy([
    'version: 1',
    'controls:',
    '  - id: no-default-outbound',
    '    title: No workload subnet relies on default outbound access',
    '    effect: deny',
    '    scope: { subnets: ["*"] }',
    '    forbidExits: [default-outbound]',
    '    exceptions:',
    '      - { source: snet-payments-reporting, reason: "moves behind the hub firewall in Q1", ticket: CHG-1234, expires: 2027-03-31 }',
    '  - id: payments-inspected',
    '    title: Payment workloads reach the internet only through the hub firewall',
    '    effect: audit',
    '    scope: { vnets: [vnet-payments-*] }',
    '    requireVia: [afw-hub-weu]',
    '    exceptions:',
    '      - { source: snet-payments-reporting, reason: "legacy batch export", ticket: CHG-0999, expires: 2026-06-30 }',
    '',
  ].join('\n'), 'exceptions.yaml');
  const check = checkPolicy(snapshot, policy, { now: EXPORTED_AT });
  const input = { snapshot, result: resolveEgress(snapshot, {}), selection: null, exportedBy: 'Ana Auditor', exportedAt: EXPORTED_AT, check } as const;
  const file = savePdf('bank-controls-exceptions', await writeEvidencePdf(input));
  renderPages(file, 'bank-controls-exceptions', 60);
  const text = pdfText(file, true);

  it('lists an applied exception with its ticket and expiry, and the control passes', () => {
    expect(check.controls[0]?.status).toBe('pass');
    // The expiry names its zone: a bare day lasts until the end of that day in UTC.
    expect(text).toMatch(/snet-payments-reporting\s+forbidExits: leaves through default\s+moves behind the\s+CHG-1234\s+2027-03-31 \(end of day UTC\)[^]{0,200}?\(line 9\)/);
  });

  it('flags an expired exception, which no longer applies', () => {
    expect(check.controls[1]?.exceptionsExpired).toHaveLength(1);
    expect(text).toContain('Expired exceptions (1): no longer applied');
    expect(text).toMatch(/EXPIRED\s+snet-payments-reporting\s+legacy batch export\s+CHG-0999\s+2026-06-30 \(end of day UTC\)[^]{0,200}?\(line 16\)/);
    expect(text).toMatch(/payments-inspected: Fail/);
  });

  it('leaves the PDF without a Controls section when no policy is given', async () => {
    const plain = pdfText(savePdf('bank-no-controls', await writeEvidencePdf({ ...input, check: undefined })));
    expect(plain).not.toMatch(/^Controls$/m);
    expect(plain).not.toContain('Policy checked');
  });
});

describe('evidence PDF: controls checked against a what-if destination', async () => {
  const snapshot = demoSnapshot(pickDemo('bank'), EXPORTED_AT);
  const policy = parsePolicy(readFileSync(BANK_POLICY, 'utf8'), BANK_POLICY);
  const check = checkPolicy(snapshot, policy, { now: EXPORTED_AT, destination: 'GitHub.com' });
  const result = resolveEgress(snapshot, { destination: 'GitHub.com' });
  const text = pdfText(savePdf('bank-controls-what-if', await writeEvidencePdf({ snapshot, result, selection: null, exportedBy: 'Ana Auditor', exportedAt: EXPORTED_AT, check })));

  it('says how the destination was read (a dotted name: host name or service tag)', () => {
    expect(check.destinationInterpretation).toMatch(/^host name github\.com, TCP 443: /);
    expect(squash(text)).toContain(squash(`checked against the what-if destination github.com (read as: ${check.destinationInterpretation ?? ''})`));
  });
});

describe('report --policy: a bad policy', () => {
  it('exits 2 naming file:line before loading the estate, and writes nothing', async () => {
    writeFileSync(join(dir, 'bad.yaml'), 'version: 1\ncontrols:\n  - id: x\n    effect: deny\n    scope: { subnets: ["*"] }\n    forbidExits: [teleport]\n');
    // The input does not exist: had the estate been loaded first, that would be the error.
    const { code, stderr } = await report('missing-estate.json', '--policy', 'bad.yaml', '--out', 'bad.pdf');
    expect(code).toBe(2);
    expect(stderr).toMatch(/^error: bad\.yaml:6: controls\[0\]\.forbidExits\[0\]: "teleport" is not an exit/);
    expect(stderr).not.toContain('missing-estate.json');
    expect(existsSync(join(dir, 'bad.pdf'))).toBe(false);
  });

  it('exits 2 when the policy file does not exist', async () => {
    const { code, stderr } = await report('--demo', 'bank', '--policy', 'nope.yaml', '--out', 'nope.pdf');
    expect(code).toBe(2);
    expect(stderr).toContain('nope.yaml: no such file or directory');
  });
});

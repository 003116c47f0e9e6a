/**
 * How the evidence PDF and the CLI's --explain state an `unknown` verdict and a firewall's
 * "every destination except …", on real engine output for the bank demo: without its captured
 * routes (the BGP routes through vgw-hub-weu are then the missing fact), and with deny rules ahead
 * of an allow-all application rule for snet-card-auth.
 */
import { describe, expect, it } from 'vitest';
import { writeEvidencePdf } from '../../../electron/evidence';
import { exceptionsOf, hopKindLabel, summarize, undecidedBecause } from '../../../electron/evidence/facts';
import { formatExplain } from '../../../electron/cli/format-table';
import { explainPath } from '../../../shared/egress/explain';
import { resolveEgress, type EgressPath, type ResolveResult } from '../../../shared/egress/index';
import type { Snapshot } from '../../../shared/model/snapshot';
import { pdfText, savePdf } from './poppler';
import { bankWithExceptions, bankWithoutCapture } from '../../support/bank-variants';

/** The export time the PDFs cite (fixed, so the files are the same every run). */
const NOW = new Date('2026-12-01T00:00:00Z');
const noCapture = bankWithoutCapture();

function resolve(snapshot: Snapshot): ResolveResult {
  return resolveEgress(snapshot, {});
}

function pathOf(result: ResolveResult, name: string): EgressPath {
  const path = result.paths.find((p) => p.source.name === name);
  if (!path) throw new Error(`no path for ${name}`);
  return path;
}

const unknownResult = resolve(noCapture);
const exceptResult = resolve(bankWithExceptions());
const options = { color: false } as const;

describe('an unknown verdict', () => {
  const cardAuth = pathOf(unknownResult, 'snet-card-auth');

  it('is what the engine answers without captured routes (the premise of these tests)', () => {
    expect(cardAuth.verdict).toBe('unknown');
    expect(explainPath(cardAuth).at(-1)?.kind).toBe('drop');
  });

  it('labels its last hop "not decided", not "drop"', () => {
    const hops = explainPath(cardAuth);
    const last = hops.at(-1);
    if (!last) throw new Error('no hops');
    expect(hopKindLabel(last, true, 'unknown')).toBe('not decided');
    // A real drop on a dropped path keeps its word.
    expect(hopKindLabel(last, true, 'dropped')).toBe('drop');
  });

  it('names the missing fact', () => {
    expect(undecidedBecause(cardAuth)).toContain('Missing: whether on-premises advertises 0.0.0.0/0 over BGP through vgw-hub-weu');
  });

  it('is listed in the summary with what is missing, not left out of every list', () => {
    const summary = summarize(unknownResult.paths, unknownResult);
    expect(summary.undecided.map((l) => l.name)).toContain('snet-card-auth');
    expect(summary.undecided.every((l) => l.detail.includes('Missing:'))).toBe(true);
  });

  it('--explain says "not decided" under the heading and on the last hop, never "drop"', () => {
    const text = formatExplain({ ...unknownResult, paths: [cardAuth] }, options);
    expect(text).toContain('snet-card-auth (subnet) → unknown\n      not decided: Routes learned over BGP through vgw-hub-weu. Missing: whether on-premises');
    expect(text).toMatch(/\d\. not decided: Unknown: Routes learned over BGP/);
    expect(text).not.toMatch(/\d\. drop:/);
  });

  it('the PDF says why under the verdict, lists it in the summary and labels the last hop "not decided"', async () => {
    const file = savePdf('unknown-verdicts', await writeEvidencePdf({ snapshot: noCapture, result: unknownResult, selection: null, exportedBy: 'test', exportedAt: NOW }));
    const text = pdfText(file).replace(/\s+/g, ' ');
    expect(text).toContain(`Not decided: a fact is missing (${unknownResult.paths.filter((p) => p.verdict === 'unknown').length})`);
    // Labels and values of the key-value block come out of pdftotext in separate runs.
    expect(text).toContain('Why unknown');
    expect(text).toContain('Routes learned over BGP through vgw-hub-weu. Missing:');
    expect(text).toMatch(/\d\. not decided · vgw-hub-weu/);
    expect(text).not.toMatch(/\d\. drop · vgw-hub-weu/);
    expect(text).toContain('not known (the verdict is unknown)');
  });
});

describe('a firewall that allows every destination except some names', () => {
  const cardAuth = pathOf(exceptResult, 'snet-card-auth');

  it('exposes the exceptions the engine states (the premise of these tests)', () => {
    expect(cardAuth.verdict).toBe('internet');
    expect(exceptionsOf(cardAuth)).toBe('pastebin.com, *.ngrok.io');
    expect(exceptionsOf(pathOf(exceptResult, 'snet-payments-reporting'))).toBeNull();
  });

  it('--explain states the exceptions under the heading', () => {
    expect(formatExplain({ ...exceptResult, paths: [cardAuth] }, options)).toContain('allows every destination except: pastebin.com, *.ngrok.io');
  });

  it('the PDF does not say "no restriction" for that path', async () => {
    const snapshot = bankWithExceptions();
    const file = savePdf('except-fqdns', await writeEvidencePdf({ snapshot, result: exceptResult, selection: null, exportedBy: 'test', exportedAt: NOW }));
    const text = pdfText(file).replace(/\s+/g, ' ');
    const section = text.slice(text.indexOf('snet-card-auth (subnet): Internet Verdict'));
    const reach = section.slice(section.indexOf('What this source can reach'), section.indexOf('Hops ('));
    // The opening entry is the application rule card-auth-any-https: HTTPS on 443, as reach states it.
    expect(reach).toContain('Any public destination (Https 443) except pastebin.com, *.ngrok.io, which rules processed earlier deny.');
    expect(reach).not.toContain('no restriction');
  });
});

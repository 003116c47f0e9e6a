/**
 * The reach block of each path section and the destinations-matrix appendix, on the bank demo:
 * checked through pdftotext against the engine's own answers (`computeReach`, `resolveMatrix`), so
 * the test follows the engine and catches a PDF that says something else.
 */
import { describe, expect, it } from 'vitest';
import { demoSnapshot, pickDemo } from '../../../electron/cli/estate';
import { writeEvidencePdf } from '../../../electron/evidence';
import { SHORT_VERDICT } from '../../../electron/evidence/reach-facts';
import { resolveEgress } from '../../../shared/egress/index';
import { parseDestinationList, resolveMatrix } from '../../../shared/egress/matrix';
import { computeReach } from '../../../shared/egress/reach';
import { bankResources } from '../../../shared/demo/bank';
import { snapshotFromTexts } from '../../../electron/snapshot/index';
import { EXPORTED_AT } from './fixture';
import { pageText, pdfInfo, pdfText, renderPages, savePdf } from './poppler';

const snapshot = demoSnapshot(pickDemo('bank'), EXPORTED_AT);
const result = resolveEgress(snapshot, {});
const destinations = parseDestinationList('destination,label\napi.stripe.com,Stripe API\n203.0.113.7:22/tcp,SFTP partner\nStorage.WestEurope\n', 'destinations.csv');
const input = { snapshot, result, selection: null, exportedBy: 'Ana Auditor', exportedAt: EXPORTED_AT, destinations } as const;

/** The text of one path section: from its heading to the next section's heading. */
function section(text: string, title: string): string {
  // The contents page lists the same titles: the section is the last occurrence.
  const start = text.lastIndexOf(title);
  const rest = text.slice(start + title.length);
  const next = rest.search(/\n[^\n]+ \((subnet|NIC exception)\): |\nAppendix A: /);
  return start < 0 ? '' : rest.slice(0, next < 0 ? undefined : next);
}

const squash = (s: string): string => s.replace(/\s+/g, '');

describe('evidence PDF: what each source can reach', async () => {
  const file = savePdf('bank-reach', await writeEvidencePdf(input));
  const text = pdfText(file);
  const reach = computeReach(snapshot);

  it('lists the stripe rule in the sections of the payment subnets', () => {
    for (const name of ['snet-card-auth', 'snet-payments-api']) {
      const own = section(text, `${name} (subnet): Internet`);
      expect(own).toContain('What this source can reach');
      expect(own).toMatch(/Restricted: \d+ public destinations allowed by the rules on this path/);
      expect(own).toContain('api.stripe.com');
      // Mono rule names wrap at their slashes: compare without whitespace.
      expect(squash(own)).toContain('afwp-bank-egress/rcg-payments-egress/allow-approved-psp-apis/stripe');
      expect(own).not.toContain('no restriction on this path');
    }
  });

  it('lists every allowed destination the engine computes, with its verdict', () => {
    for (const source of reach.sources.filter((s) => !s.unrestricted)) {
      const own = squash(section(text, `${source.source.name} (subnet): `));
      for (const entry of source.allowed) {
        expect(own).toContain(squash(entry.value));
        expect(own).toContain(squash(entry.rule));
      }
      expect(own).toContain(squash(`${SHORT_VERDICT.internet} via NAT gateway`));
    }
  });

  it('states plainly that an uninspected subnet can reach any public destination', () => {
    const own = section(text, 'snet-payments-reporting (subnet): Internet');
    // AllowInternetOutBound is not narrowed: every port of TCP and UDP, not only the default route's TCP 443.
    expect(own).toContain('Any public destination (TCP/UDP any port) — no restriction on these ports.');
    expect(own).toContain('Allowed by: no inspection; NSG nsg-snet-payments-reporting rule AllowInternetOutBound allows it.');
    expect(own).toContain('Private reach: none');
  });
});

describe('evidence PDF: destinations matrix appendix', async () => {
  const bytes = await writeEvidencePdf(input);
  const file = savePdf('bank-reach-matrix', bytes);
  const pages = Number(pdfInfo(file).Pages);
  const layout = pdfText(file, true);
  const contentsLine = layout.split('\f')[1]?.split('\n').find((l) => l.includes('Appendix C: destinations matrix')) ?? '';
  const appendixPage = Number(/(\d+)\s*$/.exec(contentsLine)?.[1] ?? -1);
  const appendix = pageText(file, appendixPage);
  const matrix = resolveMatrix(snapshot, destinations);

  it('is in the contents and the bookmarks, and starts on the page the contents give', () => {
    expect(appendixPage).toBe(pages);
    expect(appendix).toContain('Appendix C: destinations matrix');
    expect(Buffer.from(bytes).toString('latin1')).toContain('/Title (Appendix C: destinations matrix)');
  });

  it('numbers the destinations with their labels and how each was read', () => {
    expect(appendix).toContain('7 sources × 3 destinations');
    expect(appendix).toContain('[1]');
    expect(appendix).toContain('Stripe API');
    expect(appendix).toContain('SFTP partner');
    expect(appendix).toContain('one address, 203.0.113.7, TCP 22');
    for (const d of matrix.destinations) expect(squash(appendix)).toContain(squash(d.interpretation));
  });

  it('writes the verdict of every cell as a word, row by row', () => {
    const lines = pdfText(file, true).split('\f')[appendixPage - 1]?.split('\n') ?? [];
    for (const row of matrix.rows) {
      const line = lines.find((l) => l.trimStart().startsWith(`${row.source.name} `)) ?? '';
      expect(line.trim().split(/\s{2,}/).slice(1)).toEqual(row.results.map((c) => SHORT_VERDICT[c.verdict]));
    }
    // Anchors that do not depend on the engine's finer points: an inspected path that allows only
    // named destinations does not reach an arbitrary SFTP server; an uninspected one does.
    const cell = (name: string, i: number): string | undefined => matrix.rows.find((r) => r.source.name === name)?.results[i]?.verdict;
    expect(cell('snet-card-auth', 1)).toBe('denied');
    expect(cell('snet-payments-reporting', 1)).toBe('internet');
  });

  it('names the destinations list on the cover, in the singular for one', async () => {
    expect(pageText(file, 1)).toContain('3 destinations, every source against each');
    const one = savePdf('bank-matrix-one', await writeEvidencePdf({ ...input, destinations: destinations.slice(0, 1) }));
    const oneText = pdfText(one);
    expect(oneText).toContain('1 destination, every source against each');
    expect(oneText).toContain('7 sources × 1 destination from');
    expect(oneText).not.toMatch(/\b1 destinations\b/);
  });

  it('splits many destinations into tables of eight columns', async () => {
    const many = parseDestinationList(Array.from({ length: 19 }, (_, i) => `203.0.113.${i + 1}:${1000 + i}/tcp,partner ${i + 1}`).join('\n'), 'many.txt');
    const manyFile = savePdf('bank-matrix-many', await writeEvidencePdf({ ...input, destinations: many }));
    const manyText = pdfText(manyFile);
    expect(manyText).toContain('Destinations 1–8 of 19');
    expect(manyText).toContain('Destinations 9–16 of 19');
    expect(manyText).toContain('Destinations 17–19 of 19');
    expect(manyText).toContain('[19]');
    expect(renderPages(manyFile, 'bank-matrix-many', 60).every((size) => size > 1000)).toBe(true);
  });

  it('is byte-identical for the same input and export time', async () => {
    const again = await writeEvidencePdf(input);
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
  });
});

describe('evidence PDF: a source whose default route is undecided', async () => {
  // The bank's resources without the reporting VM's capture: the hub gateway speaks BGP and nothing
  // shows what it learned, so every path but the gateway's own is unknown.
  const undecided = snapshotFromTexts([{ name: 'bank-resources.json', text: JSON.stringify(bankResources()) }], { toolVersion: 'test', now: () => EXPORTED_AT });
  const undecidedResult = resolveEgress(undecided, {});
  const file = savePdf('bank-reach-undecided', await writeEvidencePdf({ snapshot: undecided, result: undecidedResult, selection: null, exportedBy: 'Ana Auditor', exportedAt: EXPORTED_AT }));
  const text = pdfText(file);

  it('says what is not known, never that nothing is allowed', () => {
    expect(undecidedResult.paths.find((p) => p.source.name === 'snet-payments-reporting')?.verdict).toBe('unknown');
    const own = squash(section(text, 'snet-payments-reporting (subnet): Unknown'));
    expect(own).toContain(squash('Not known: the default route (0.0.0.0/0, TCP 443) could not be decided (see the gaps), so what this source can reach is not known.'));
    expect(squash(text)).not.toContain(squash('No public destination is allowed: the default route (0.0.0.0/0, TCP 443) ends Unknown'));
  });
});


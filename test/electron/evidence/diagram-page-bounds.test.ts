/**
 * Diagram pages keep what they draw readable: the legend wraps instead of running past the page
 * edge (it ended at x = 846 pt on an 841.89 pt page: "Firewall / NVA / hu"), and tiles of a big
 * VNet are cut between boxes, never through one (egress-IP boxes were cut in half), with no page
 * for a tile that holds no box. From an audit of the PDF (test/audit/pdf.test.ts) and a look at it.
 */
import { describe, expect, it } from 'vitest';
import { demoSnapshot, pickDemo } from '../../../electron/cli/estate';
import { writeEvidencePdf } from '../../../electron/evidence';
import { buildDiagramSheets } from '../../../electron/evidence/diagram-sheets';
import { tileCuts } from '../../../electron/evidence/draw-diagram';
import { selectPaths, virtualNetworkOf } from '../../../electron/evidence/facts';
import { resolveEgress } from '../../../shared/egress/index';
import { buildEgressGraph } from '../../../shared/graph';
import { nameFromResourceId } from '../../../shared/model/ids';
import { EXPORTED_AT } from './fixture';
import { pdfText, savePdf, wordBoxes } from './poppler';

describe('tileCuts', () => {
  it('splits evenly (no thin last tile) and never wider than a tile', () => {
    const cuts = tileCuts(0, 250, 100, []);
    expect(cuts).toHaveLength(4);
    [0, 250 / 3, 500 / 3, 250].forEach((at, i) => expect(cuts[i]).toBeCloseTo(at, 6));
    expect(tileCuts(0, 80, 100, [])).toEqual([0, 80]);
  });

  it('moves a cut back to the near edge of a box it would cut, so the box is whole on the next tile', () => {
    // An even cut at 100 falls inside the box 90-120: the cut moves to 90; the 110 left take two tiles.
    expect(tileCuts(0, 200, 100, [[90, 120]])).toEqual([0, 90, 145, 200]);
    // Moved twice when the new cut lands inside an overlapping box.
    expect(tileCuts(0, 160, 100, [[70, 120], [60, 75]])).toEqual([0, 60, 160]);
  });

  it('keeps a cut through a box longer than a tile (it cannot be whole on any)', () => {
    const cuts = tileCuts(0, 300, 100, [[0, 250]]);
    expect(cuts[0]).toBe(0);
    expect(cuts.at(-1)).toBe(300);
    for (let i = 1; i < cuts.length; i++) expect((cuts[i] ?? 0) - (cuts[i - 1] ?? 0)).toBeLessThanOrEqual(100);
  });
});

describe.each(['bank', 'training'] as const)('diagram pages of the %s demo', async (demo) => {
  const snapshot = demoSnapshot(pickDemo(demo), EXPORTED_AT);
  const result = resolveEgress(snapshot, {});
  const input = { snapshot, result, selection: null, exportedBy: 'Ana Auditor', exportedAt: EXPORTED_AT } as const;
  const file = savePdf(`diagram-page-bounds-${demo}`, await writeEvidencePdf(input));

  it('keeps every word inside its page, the legend\'s last item included', () => {
    expect(pdfText(file)).toContain('Firewall / NVA / hub');
    const outside = wordBoxes(file).filter((w) => w.xMax > w.pageWidth || w.xMin < 0).map((w) => `p.${w.page} "${w.text}" ends at x=${w.xMax} of ${w.pageWidth}`);
    expect(outside).toEqual([]);
  });

  it('gives in full, in the key after the diagrams, every name a diagram page cuts short', () => {
    const pages = pdfText(file).split('\f');
    const cut = [...new Set(pages.filter((p) => p.startsWith('Diagram: ')).flatMap((p) => p.split('\n').filter((l) => !l.startsWith('Egress evidence · snapshot')).flatMap((l) => [...l.matchAll(/(\S+)…/g)].map((m) => m[1] ?? ''))))];
    if (demo === 'training') expect(cut).toContain('snet-10-nva-without-forwar');
    const key = pages.find((p) => p.startsWith('Diagram key: names shortened')) ?? '';
    if (cut.length > 0) expect(key).not.toBe('');
    const full = key.split('\n').map((l) => l.trim());
    for (const prefix of cut) expect(full.some((l) => l.startsWith(prefix) && l.length > prefix.length), prefix).toBe(true);
  });

  it('draws every box whole on a tile that shows it, and gives no page to a tile without a box', async () => {
    const plan = await buildDiagramSheets(input, selectPaths(result, snapshot.model, null));
    for (const { layout, page } of plan.sheets.filter((s) => s.page.title.includes('(part '))) {
      const v = page.viewport;
      const boxes = layout.nodes.filter((n) => n.role !== 'group' && n.x < v.x + v.width && v.x < n.x + n.width && n.y < v.y + v.height && v.y < n.y + n.height);
      expect(boxes.length, page.title).toBeGreaterThan(0);
      const cut = boxes.filter((n) => n.x < v.x - 0.01 || n.x + n.width > v.x + v.width + 0.01 || n.y < v.y - 0.01 || n.y + n.height > v.y + v.height + 0.01);
      expect(cut.map((n) => `${page.title}: ${n.label}`)).toEqual([]);
    }
  });
});

describe('a VNet too big for one page gets tiles of its own paths (training)', async () => {
  // Tiles of the shared layout grew a VNet's region to every box its edge passed through, and again
  // for the grown region: on training, the one-subnet VNets vnet-training-vwan-spoke-a / -b got 4
  // pages each, some drawing no box of their own paths (another VNet's NICs, afw-training), and an
  // empty VNet box with arrows from off-page. Such a VNet is now laid out alone (the app's path view
  // of its own sources), as the fallback does: 6 + 4 + 4 detail pages became 2 + 1 + 1.
  const snapshot = demoSnapshot(pickDemo('training'), EXPORTED_AT);
  const result = resolveEgress(snapshot, {});
  const input = { snapshot, result, selection: null, exportedBy: 'Ana Auditor', exportedAt: EXPORTED_AT } as const;
  const plan = await buildDiagramSheets(input, selectPaths(result, snapshot.model, null));

  it('plans the overview, then each VNet on as few pages as keep labels legible', () => {
    expect(plan.sheets.map((s) => s.page.title)).toEqual([
      'Overview',
      'vnet-training-branch',
      'vnet-training-lessons (part 1 of 2)',
      'vnet-training-lessons (part 2 of 2)',
      'vnet-training-vwan-spoke-a',
      'vnet-training-vwan-spoke-b',
    ]);
    expect(plan.omittedGroups).toEqual([]);
  });

  it('every page of a VNet\'s diagram draws at least one box on that VNet\'s own paths, and none of another\'s', () => {
    const foreign: string[] = [];
    for (const { layout, page } of plan.sheets.filter((s) => s.page.title.includes(' (part '))) {
      const vnet = page.title.replace(/ \(part .*$/, '');
      const sources = result.paths.filter((p) => {
        const id = virtualNetworkOf(p, snapshot.model);
        return id !== null && nameFromResourceId(id) === vnet;
      }).map((p) => p.source.id);
      const own = new Set(buildEgressGraph(snapshot.model, result, { kind: 'path', sourceIds: sources }).nodes.map((n) => n.id));
      const v = page.viewport;
      const shown = layout.nodes.filter((n) => n.role !== 'group' && n.x < v.x + v.width && v.x < n.x + n.width && n.y < v.y + v.height && v.y < n.y + n.height);
      if (!shown.some((n) => own.has(n.id)) || shown.some((n) => !own.has(n.id))) foreign.push(`${page.title}: ${shown.map((n) => n.label).join(', ')}`);
    }
    expect(foreign).toEqual([]);
  });

  it('the key to shortened names gives the page number of the diagram page that shows each', async () => {
    const file = savePdf('diagram-key-pages-training', await writeEvidencePdf(input));
    const pages = pdfText(file).split('\f');
    const keyAt = pages.findIndex((p) => p.startsWith('Diagram key: names shortened'));
    const key = pdfText(file, true).split('\f')[keyAt] ?? '';
    const rows = [...key.matchAll(/^(vnet-\S+(?: \(part \d+ of \d+\))?) +(\d+) +(\S+)$/gm)].map((m) => [m[1] ?? '', Number(m[2]), m[3] ?? '']);
    expect(rows.length).toBeGreaterThan(0);
    for (const [title, page, name] of rows) {
      // That page is the diagram page titled so, and it draws the name cut short.
      const shown = pages[Number(page) - 1] ?? '';
      expect(shown.startsWith(`Diagram: ${String(title)}\n`), `${String(title)} on p. ${String(page)}`).toBe(true);
      expect(shown).toContain(String(name).slice(0, 16));
    }
  });
});

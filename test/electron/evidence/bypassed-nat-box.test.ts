/**
 * The PDF's diagram says in the bypassed NAT gateway's box that a route bypasses it, in the words
 * every other writer (SVG/PNG, draw.io, Mermaid: exportGraph) puts in that box, and the box is
 * sized for the whole text. The other boxes keep the app's texts. Bank: ng-card-auth-weu, attached
 * to snet-card-auth, whose route sends its traffic to afw-hub-weu.
 */
import { describe, expect, it } from 'vitest';
import { demoSnapshot, pickDemo } from '../../../electron/cli/estate';
import { writeEvidencePdf } from '../../../electron/evidence';
import { buildDiagramSheets } from '../../../electron/evidence/diagram-sheets';
import { resolveEgress } from '../../../shared/egress/index';
import { buildDefaultGraph, layoutEgressGraph } from '../../../shared/graph';
import { BYPASSED_NAT_TEXT, exportGraph } from '../../../shared/graph/export/labels';
import { estimateTextWidth } from '../../../shared/graph/text-width';
import { EXPORTED_AT } from './fixture';
import { pdfText, savePdf } from './poppler';

describe('the PDF diagram\'s bypassed NAT gateway (bank)', async () => {
  const snapshot = demoSnapshot(pickDemo('bank'), EXPORTED_AT);
  const result = resolveEgress(snapshot, {});
  const input = { snapshot, result, selection: null, exportedBy: 'Ana Auditor', exportedAt: EXPORTED_AT } as const;
  const graph = buildDefaultGraph(snapshot.model, result).graph;
  const { sheets } = await buildDiagramSheets(input, result.paths);
  const layout = sheets[0]?.layout;

  it('says "attached, bypassed by a route" in its box, as the other writers do, in a box wide enough for it', () => {
    const nat = (layout?.nodes ?? []).filter((n) => n.bypassed === true);
    expect(nat).toHaveLength(1);
    const box = nat[0];
    const [name, sub] = box?.lines ?? [];
    expect(name?.text).toBe('ng-card-auth-weu');
    // The exports' text for this box, whole.
    const exported = exportGraph(graph).nodes.find((n) => n.id === box?.id);
    expect(sub?.text).toBe(exported?.sublabel);
    expect(sub?.text).toBe(`NAT gateway · ${BYPASSED_NAT_TEXT}`);
    // Longer than the app's 200 px label limit, so its box grew for it instead of cutting it.
    expect(estimateTextWidth(sub?.text ?? '', sub?.fontSize ?? 10, 'regular')).toBeGreaterThan(200);
    expect(sub?.width ?? 0).toBeGreaterThanOrEqual(estimateTextWidth(sub?.text ?? '', sub?.fontSize ?? 10, 'regular'));
    expect((sub?.x ?? 0) + (sub?.width ?? 0)).toBeLessThanOrEqual((box?.x ?? 0) + (box?.width ?? 0));
    expect(sub?.x ?? 0).toBeGreaterThanOrEqual(box?.x ?? 0);
    // The full text the key compares with is the same: nothing to list there.
    expect(box?.fullLines?.[1]).toBe(sub?.text);
  });

  it('leaves every other box with the app\'s texts', async () => {
    const app = await layoutEgressGraph(graph, { engine: 'auto' });
    const texts = new Map(app.nodes.map((b) => [b.id, b.lines.map((l) => l.text)]));
    for (const n of layout?.nodes ?? []) {
      if (n.bypassed === true) continue;
      expect(n.lines?.map((l) => l.text), n.id).toEqual(texts.get(n.id));
    }
  });

  it('draws the text whole on the diagram page', async () => {
    const file = savePdf('bypassed-nat-box-bank', await writeEvidencePdf(input));
    const pages = pdfText(file).split('\f');
    const diagram = pages.find((p) => p.startsWith('Diagram: Overview')) ?? '';
    expect(diagram.split('\n')).toContain(`NAT gateway · ${BYPASSED_NAT_TEXT}`);
    expect(pages.find((p) => p.startsWith('Diagram key: names shortened')) ?? '').not.toContain(BYPASSED_NAT_TEXT);
  });
});

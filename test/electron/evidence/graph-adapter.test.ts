import { describe, expect, it } from 'vitest';
import { writeEvidencePdf } from '../../../electron/evidence';
import { monoLines } from '../../../electron/evidence/evidence-document';
import { toDiagramLayout } from '../../../electron/evidence/graph-adapter';
import type { GraphLayout, NodeBox, TextLine } from '../../../shared/graph/layout-types';
import { EXPORTED_AT, fixtureResult, fixtureSnapshot, IDS } from './fixture';
import { pageText, pdfText, savePdf } from './poppler';

function line(text: string, x: number, y: number, width: number, fontSize = 12): TextLine {
  return { text, x, y, width, fontSize, weight: fontSize >= 12 ? 'bold' : 'regular', align: 'center' };
}

function box(id: string, kind: NodeBox['kind'], x: number, y: number, label: string, parent: string | null = null, compound = false): NodeBox {
  return { id, kind, x, y, width: 210, height: 40, compound, parent, lines: [line(label, x + 5, y + 6, 200), line('sub', x + 5, y + 22, 200, 10)] };
}

/** A hand-made layout in the shape shared/graph produces. */
const layout: GraphLayout = {
  engine: 'quick', width: 800, height: 200, fontFamily: 'DejaVu Sans',
  nodes: [
    { ...box(IDS.spoke, 'vnet', 10, 10, 'vnet-spoke (from layout)', null, true), width: 250, height: 180 },
    box(IDS.isolated, 'subnet', 30, 50, 'snet-isolated (from layout)', IDS.spoke),
    box(IDS.web, 'subnet', 30, 120, 'snet-web (from layout)', IDS.spoke),
    box(IDS.natGateway, 'nat-gateway', 300, 120, 'ng-web (from layout)'),
    box('internet', 'internet', 580, 120, 'Internet (from layout)'),
    box('no-outbound', 'dropped', 580, 50, 'No outbound (from layout)'),
  ],
  edges: [
    { id: 'e1', source: IDS.web, target: IDS.natGateway, points: [{ x: 240, y: 140 }, { x: 300, y: 140 }], label: null },
    { id: 'e2', source: IDS.natGateway, target: 'internet', points: [{ x: 510, y: 140 }, { x: 580, y: 140 }], label: line('folded exit', 515, 125, 60, 10) },
    { id: 'e3', source: IDS.isolated, target: 'no-outbound', points: [{ x: 240, y: 70 }, { x: 580, y: 70 }], label: null },
  ],
};

describe('graph layout in the PDF', () => {
  it('keeps positions and labels and colours nodes by the resolver verdicts', () => {
    const d = toDiagramLayout(layout, fixtureResult());
    const byId = new Map(d.nodes.map((n) => [n.id, n]));
    expect(byId.get(IDS.spoke)?.role).toBe('group');
    expect(byId.get(IDS.isolated)?.tone).toBe('blocked');
    expect(byId.get(IDS.web)?.tone).toBe('internet');
    expect(byId.get(IDS.natGateway)?.tone).toBe('exit');
    expect(byId.get('no-outbound')?.tone).toBe('blocked');
    expect(byId.get(IDS.web)?.x).toBe(30);
    expect(d.edges.find((e) => e.id === 'e3')?.tone).toBe('blocked');
    expect(d.edges.find((e) => e.id === 'e2')?.labelLine?.text).toBe('folded exit');
    expect(d.labelSize).toBe(10);
  });

  it('draws the layout it is given, labels included', async () => {
    const pdf = await writeEvidencePdf({ snapshot: fixtureSnapshot(), result: fixtureResult(), selection: null, exportedBy: 'x', exportedAt: EXPORTED_AT, layout });
    const file = savePdf('fixture-layout', pdf);
    // The first diagram page follows the summary and gaps, whose length varies: find it by its title.
    const pages = pdfText(file).split('\f');
    const page = pages.findIndex((p, i) => i > 1 && p.includes('Diagram: Overview')) + 1;
    const diagram = pageText(file, page);
    expect(diagram).toContain('Diagram: Overview');
    expect(diagram).toContain('snet-web (from layout)');
    expect(diagram).toContain('ng-web (from layout)');
    expect(diagram).toContain('folded exit');
  });
});

describe('monospace wrapping', () => {
  it('breaks long IDs after a slash and never exceeds the width', () => {
    const id = IDS.route;
    const lines = monoLines(`az network route show --ids ${id}`, 7, 200);
    const max = Math.floor(200 / (7 * (1233 / 2048)));
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(max);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join('').replace(/ /g, '')).toBe(`az network route show --ids ${id}`.replace(/ /g, ''));
    expect(lines.slice(0, -1).every((l) => /[ /]$/.test(l) || l.length === max)).toBe(true);
  });
});

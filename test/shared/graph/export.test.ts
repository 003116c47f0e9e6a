/**
 * The diagram exports (shared/graph/export): draw.io XML is well-formed and nests subnets in their
 * VNet containers with draw.io's Azure icons; Mermaid is syntactically sane; SVG has its title
 * block and legend and no text wider than its box. Hostile names (user data) survive as text in
 * every format.
 */
import { describe, expect, it } from 'vitest';
import { buildEgressGraph, estimateTextWidth, layoutLayeredQuick } from '../../../shared/graph';
import type { EgressGraph, GraphLayout, GraphNode } from '../../../shared/graph';
import {
  DEFAULT_OUTBOUND_LEGEND, EXPORT_LAYOUT_OPTIONS, mermaidText, toDrawio, toMermaid, toSvg, type DiagramMeta,
} from '../../../shared/graph/export';
import { KIND_PALETTE, TONE_COLORS, TONE_COLORS_DARK, VERDICT_COLOR } from '../../../shared/graph/palette';
import { childrenNamed, parseXml, type XmlElement } from '../policy/xml';
import { hubSpokeModel, hubSpokeResult, ids, path, result } from './hub-spoke-fixture';

const HOSTILE = 'a"><script>alert(1)</script> & end %% ;|[x]{y} `#1\' \u0007';
const HOSTILE_VNET = 'vnet <b>hub</b> "&amp;" subgraph end';

const META: DiagramMeta = {
  title: 'Egress paths: <tenant & "co">',
  scope: 'tenant t1; 1 subscription; all sources',
  destination: '0.0.0.0/0 (default route)',
  capturedAt: '2026-11-26T06:00:00.000Z',
  snapshotSha256: 'ab'.repeat(32),
};

/** The hub-spoke graph with hostile names on one subnet and one VNet (names are user data). */
function hostileGraph(): EgressGraph {
  const graph = buildEgressGraph(hubSpokeModel, hubSpokeResult, { kind: 'full' });
  const rename = (node: GraphNode): GraphNode => {
    if (node.id === ids.app) return { ...node, label: HOSTILE };
    if (node.id === ids.hub) return { ...node, label: HOSTILE_VNET };
    return node;
  };
  return { ...graph, nodes: graph.nodes.map(rename) };
}

function layoutOf(graph: EgressGraph): GraphLayout {
  return layoutLayeredQuick(graph, EXPORT_LAYOUT_OPTIONS);
}

function all(element: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = element.name === name ? [element] : [];
  for (const child of element.children) found.push(...all(child, name));
  return found;
}

/** A draw.io cell's attributes merged with its UserObject wrapper's (id, label, data). */
interface Cell {
  readonly id: string;
  readonly label: string;
  readonly style: string;
  readonly parent: string;
  readonly vertex: boolean;
  readonly edge: boolean;
  readonly source: string;
  readonly target: string;
  readonly armId: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

function cells(root: XmlElement): Cell[] {
  const rootElement = all(root, 'root')[0];
  if (rootElement === undefined) throw new Error('no <root>');
  return rootElement.children.map((child) => {
    const cell = child.name === 'UserObject' ? childrenNamed(child, 'mxCell')[0] : child;
    if (cell === undefined) throw new Error('UserObject without mxCell');
    const a = { ...cell.attributes, ...(child.name === 'UserObject' ? child.attributes : {}) };
    const geometry = childrenNamed(cell, 'mxGeometry')[0]?.attributes ?? {};
    return {
      id: a['id'] ?? '', label: a['label'] ?? a['value'] ?? '', style: a['style'] ?? '', parent: a['parent'] ?? '',
      vertex: a['vertex'] === '1', edge: a['edge'] === '1', source: a['source'] ?? '', target: a['target'] ?? '', armId: a['armId'] ?? '',
      x: Number(geometry['x'] ?? 0), y: Number(geometry['y'] ?? 0), width: Number(geometry['width'] ?? 0), height: Number(geometry['height'] ?? 0),
    };
  });
}

describe('toDrawio', () => {
  const graph = hostileGraph();
  const xml = toDrawio(graph, layoutOf(graph), META);
  const doc = parseXml(xml);
  const list = cells(doc);
  const byArm = new Map(list.filter((c) => c.armId !== '').map((c) => [c.armId, c]));

  it('is plain, well-formed mxGraph XML with the two mandatory root cells first', () => {
    expect(doc.name).toBe('mxfile');
    expect(all(doc, 'diagram')).toHaveLength(1);
    expect(all(doc, 'mxGraphModel')).toHaveLength(1);
    expect(list.slice(0, 2).map((c) => [c.id, c.parent])).toEqual([['0', ''], ['1', '0']]);
    expect(new Set(list.map((c) => c.id)).size).toBe(list.length);
  });

  it('draws each VNet as one container holding its subnets, with coordinates relative to it', () => {
    const vnets = graph.nodes.filter((n) => n.kind === 'vnet');
    expect(vnets.length).toBe(3);
    for (const vnet of vnets) {
      const container = byArm.get(vnet.id);
      expect(container?.style).toMatch(/^swimlane;.*container=1;/);
      expect(container?.parent).toBe('1');
      for (const subnet of graph.nodes.filter((n) => n.kind === 'subnet' && n.parent === vnet.id)) {
        const cell = byArm.get(subnet.id);
        expect(cell?.parent, subnet.label).toBe(container?.id);
        // Relative: inside the container's own width and height, not at absolute page coordinates.
        expect(cell!.x).toBeGreaterThanOrEqual(0);
        expect(cell!.y).toBeGreaterThan(0);
        expect(cell!.x + cell!.width).toBeLessThanOrEqual(container!.width);
        expect(cell!.y + cell!.height).toBeLessThanOrEqual(container!.height);
      }
    }
    expect(list.filter((c) => c.style.startsWith('swimlane;'))).toHaveLength(3);
  });

  it('uses draw.io\'s built-in Azure icons and colours subnets by verdict', () => {
    expect(byArm.get(ids.firewall)?.style).toContain('image;aspect=fixed;');
    expect(byArm.get(ids.firewall)?.style).toContain('image=img/lib/azure2/networking/Firewalls.svg;');
    expect(byArm.get(ids.nat)?.style).toContain('image=img/lib/azure2/networking/NAT.svg;');
    expect(byArm.get(ids.gateway)?.style).toContain('image=img/lib/azure2/networking/Virtual_Network_Gateways.svg;');
    expect(list.filter((c) => c.style.includes('image=img/lib/azure2/networking/Public_IP_Addresses.svg;')).length).toBeGreaterThan(0);
    expect(byArm.get(ids.web)?.style).toContain(`strokeColor=${TONE_COLORS.internet.stroke};`);
    expect(byArm.get(ids.locked)?.style).toContain(`strokeColor=${TONE_COLORS.blocked.stroke};`);
    expect(byArm.get(ids.mgmt)?.style).toContain(`strokeColor=${TONE_COLORS['on-premises'].stroke};`);
    // Labels are user data: never interpreted as HTML.
    expect(list.some((c) => /(^|;)html=1/.test(c.style))).toBe(false);
  });

  it('connects every graph edge as an edge cell between existing cells', () => {
    const ids = new Set(list.map((c) => c.id));
    const edges = list.filter((c) => c.edge);
    expect(edges).toHaveLength(graph.edges.length);
    for (const e of edges) {
      expect(ids.has(e.source) && ids.has(e.target)).toBe(true);
      expect(e.parent).toBe('1');
    }
  });

  it('escapes hostile names and keeps them intact as labels', () => {
    expect(xml).not.toContain('<script>');
    expect(xml).not.toContain('<b>');
    expect(byArm.get(ids.app)?.label.split('\n')[0]).toBe(HOSTILE.replace('\u0007', ''));
    expect(byArm.get(ids.hub)?.label.split('\n')[0]).toBe(HOSTILE_VNET);
  });

  it('has a title block with scope, destination, capture time and snapshot hash', () => {
    const title = list.find((c) => c.id === 'title');
    expect(title?.label.split('\n')).toEqual([
      META.title, `Scope: ${META.scope}`, `Destination: ${META.destination}`, `Captured: ${META.capturedAt}`, `Snapshot SHA-256: ${META.snapshotSha256}`,
    ]);
  });

  it('is deterministic', () => {
    expect(toDrawio(graph, layoutOf(graph), META)).toBe(xml);
  });
});

describe('toMermaid', () => {
  const graph = hostileGraph();
  const text = toMermaid(graph, META);
  const lines = text.split('\n');

  it('is a flowchart with balanced subgraphs, one per VNet, and generated ids only', () => {
    expect(lines.slice(0, 4)).toEqual(['---', `title: ${JSON.stringify(META.title)}`, '---', 'flowchart LR']);
    const opened = lines.filter((l) => /^\s*subgraph /.test(l)).length;
    const closed = lines.filter((l) => /^\s*end$/.test(l)).length;
    expect(opened).toBe(3);
    expect(closed).toBe(opened);
    for (const line of lines.slice(4)) {
      if (line.trim() === '' || line.trim().startsWith('%%') || line.trim() === 'end') continue;
      // Every statement starts with a keyword or a generated id.
      expect(line, line).toMatch(/^\s*(subgraph v\d+\[|style v\d+ |n\d+[[({]|n\d+ -->|linkStyle \d+ |classDef [a-z_]+ |class [n\d,]+ [a-z_]+$)/);
    }
  });

  it('quotes every label and escapes everything that could end a quote or a statement', () => {
    expect(text).not.toContain('<script>');
    expect(text).not.toContain('<b>');
    const body = lines.slice(4).join('\n');
    const labels = [...body.matchAll(/"([^"\n]*)"/g)].map((m) => m[1] ?? '');
    expect(labels.length).toBeGreaterThan(graph.nodes.length - 1);
    // With entity codes and the line breaks this writer adds taken out, nothing with a meaning is left.
    for (const label of labels) expect(label.replace(/#\d+;/g, '').replace(/<br\/>/g, ''), label).not.toMatch(/[[\]{}|;`%&<>#]/);
    expect(text).toContain(mermaidText(HOSTILE));
    expect(mermaidText('a"b')).toBe('a#34;b');
    expect(mermaidText('50%%')).toBe('50#37;#37;');
  });

  it('colours sources by verdict with classDefs from the shared palette', () => {
    expect(text).toContain(`classDef t_internet fill:${TONE_COLORS.internet.fill},stroke:${VERDICT_COLOR.internet}`);
    expect(text).toContain(`classDef t_blocked fill:${TONE_COLORS.blocked.fill},stroke:${VERDICT_COLOR.denied}`);
    expect(text).toMatch(/%% Snapshot SHA-256: (ab){32}/);
  });
});

describe('toSvg', () => {
  const graph = hostileGraph();
  const layout = layoutOf(graph);
  const svg = toSvg(graph, layout, META);
  const doc = parseXml(svg);
  const texts = all(doc, 'text').map((t) => t.text);

  it('is well-formed, light by default, with title, scope, capture time, hash and legend', () => {
    expect(doc.name).toBe('svg');
    expect(svg).toContain('fill="#ffffff"');
    expect(texts).toContain(META.title);
    expect(texts).toContain(`Snapshot SHA-256: ${META.snapshotSha256}`);
    expect(texts).toContain(`Captured: ${META.capturedAt}`);
    expect(texts).toContain(TONE_COLORS.internet.legend);
    expect(texts).toContain(TONE_COLORS.blocked.legend);
  });

  it('draws every name in full, escaped', () => {
    expect(svg).not.toContain('<script>');
    expect(texts).toContain(HOSTILE.replace('\u0007', ''));
    expect(texts).toContain(HOSTILE_VNET);
    expect(texts.some((t) => t.includes('\u2026'))).toBe(false);
  });

  it('has no label wider than its box and nothing outside the canvas', () => {
    const width = Number(doc.attributes['width']);
    for (const box of layout.nodes) {
      for (const line of box.lines) {
        expect(estimateTextWidth(line.text, line.fontSize, line.weight), line.text).toBeLessThanOrEqual(line.width + 0.5);
        expect(line.x >= box.x && line.x + line.width <= box.x + box.width, line.text).toBe(true);
      }
    }
    for (const t of all(doc, 'text')) {
      const size = Number(t.attributes['font-size']);
      const w = estimateTextWidth(t.text, size, t.attributes['font-weight'] === 'bold' ? 'bold' : 'regular');
      const x = Number(t.attributes['x']);
      const left = t.attributes['text-anchor'] === 'middle' ? x - w / 2 : x;
      expect(left, t.text).toBeGreaterThanOrEqual(0);
      expect(left + w, t.text).toBeLessThanOrEqual(width);
    }
  });

  it('marks default outbound with a dashed border and says so in the legend', () => {
    const doa = result([path({ id: ids.web, verdict: 'internet', exit: 'default-outbound' })]);
    const g = buildEgressGraph(hubSpokeModel, doa, { kind: 'full' });
    const out = toSvg(g, layoutOf(g), META);
    expect(out).toContain('stroke-dasharray="6 3"');
    expect(out).toContain(DEFAULT_OUTBOUND_LEGEND);
  });

  it('has a dark theme on request', () => {
    const dark = toSvg(graph, layout, META, { theme: 'dark' });
    expect(dark).toContain('fill="#0d1117"');
    expect(dark).toContain(TONE_COLORS_DARK.internet.stroke);
  });
});

describe('palette', () => {
  it('names an Azure 2 icon for every appliance and exit resource kind', () => {
    for (const kind of ['azure-firewall', 'nat-gateway', 'public-ip', 'load-balancer', 'internal-load-balancer', 'virtual-network-gateway', 'virtual-hub'] as const) {
      expect(KIND_PALETTE[kind].drawioIcon, kind).toMatch(/^img\/lib\/azure2\/networking\/[A-Za-z_]+\.svg$/);
    }
  });
});

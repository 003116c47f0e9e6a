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
  DEFAULT_OUTBOUND_LEGEND, EXPORT_LAYOUT_OPTIONS, exportGraph, mermaidText, toDrawio, toMermaid, toSvg, type DiagramMeta,
} from '../../../shared/graph/export';
import { KIND_PALETTE, SOURCE_GLYPHS, TONE_COLORS, TONE_COLORS_DARK, VERDICT_COLOR, type SourceEncodingKey } from '../../../shared/graph/palette';
import { toResourceId } from '../../../shared/model/ids';
import type { NetworkModel } from '../../../shared/model/topology';
import { SOURCE_ENCODINGS } from '../../../renderer/graph/style';
import { childrenNamed, parseXml, type XmlElement } from '../policy/xml';
import { hop, hubSpokeModel, hubSpokeResult, ids, path, result } from './hub-spoke-fixture';

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

/** Laid out as the CLI and the app lay out an export: the graph with the exports' texts (so boxes fit them). */
function layoutOf(graph: EgressGraph): GraphLayout {
  return layoutLayeredQuick(exportGraph(graph), EXPORT_LAYOUT_OPTIONS);
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
    // One per VNet, the title block and the legend.
    expect(lines.filter((l) => /^\s*subgraph v\d+\[/.test(l))).toHaveLength(3);
    expect(opened).toBe(5);
    expect(closed).toBe(opened);
    for (const line of lines.slice(4)) {
      if (line.trim() === '' || line.trim().startsWith('%%') || line.trim() === 'end') continue;
      // Every statement starts with a keyword or a generated id.
      expect(line, line).toMatch(/^\s*(subgraph (v\d+|meta_block|key_block)\[|style (v\d+|meta_block|meta_lines|key_block) |(n\d+|meta_lines|key_\d+)[[({]|n\d+ -->|linkStyle \d+ |direction TB$|classDef [a-z_]+ |class [a-z\d_,]+ [a-z_]+$)/);
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

/**
 * Mermaid's directive pattern, verbatim from mermaid-js/mermaid
 * packages/mermaid/src/diagram-api/regexes.ts (`directiveRegex`). `utils.detectDirective` runs it
 * over the whole text (not only at line starts), and `preprocessDiagram` (preprocess.ts) calls
 * `processDirectives` BEFORE `cleanupComments`, so a `%%{init: …}%%` inside a `%%` comment line is
 * still applied.
 */
const MERMAID_DIRECTIVE = /%{2}{\s*(?:(\w+)\s*:|(\w+))\s*(?:(\w+)|((?:(?!}%{2}).|\r?\n)*))?\s*(?:}%{2})?/gi;

/**
 * What Mermaid keeps of the text: front matter removed (frontmatter.ts) and every line starting with
 * `%%` removed (diagram-api/comments.ts `cleanupComments`: `/^\s*%%(?!{)[^\n]+\n?/gm`). Only this
 * part can reach the rendered diagram (plus the front matter `title`).
 */
function mermaidRenderedPart(text: string): string {
  return text.replace(/^---\n[\s\S]*?\n---\n/, '').replace(/^\s*%%(?!{)[^\n]+\n?/gm, '');
}

/**
 * What Mermaid shows of one node's first label line: its `encodeEntities` (mermaidAPI.ts, run on the
 * whole text before parsing), verbatim, then the entity codes decoded as the label's HTML would be.
 * `encodeEntities` first deletes the LAST `;` of any line matching `/style.*:\S*#.*;/`.
 */
function mermaidFirstLabelLine(line: string): string {
  let txt = line.replace(/style.*:\S*#.*;/g, (m) => m.substring(0, m.length - 1));
  txt = txt.replace(/classDef.*:\S*#.*;/g, (m) => m.substring(0, m.length - 1));
  txt = txt.replace(/#\w+;/g, (m) => {
    const inner = m.substring(1, m.length - 1);
    return /^\+?\d+$/.test(inner) ? `\ufb02\u00b0\u00b0${inner}\u00b6\u00df` : `\ufb02\u00b0${inner}\u00b6\u00df`;
  });
  const label = /"([^"]*)"/.exec(txt)?.[1] ?? '';
  const decoded = label.replace(/\ufb02\u00b0\u00b0/g, '&#').replace(/\ufb02\u00b0/g, '&').replace(/\u00b6\u00df/g, ';');
  return (decoded.split('<br/>')[0] ?? '').replace(/&#(\d+);/g, (_m, code: string) => String.fromCodePoint(Number(code)));
}

/** The Mermaid label (inside `["…"]`) of a graph node, by its generated `n<i>` id. */
function mermaidLabelOf(text: string, graph: EgressGraph, nodeId: string): string {
  const index = graph.nodes.findIndex((n) => n.id === nodeId);
  if (index < 0) throw new Error(`no node ${nodeId}`);
  const line = text.split('\n').find((l) => l.includes(`n${index + 1}[`)) ?? '';
  return /\["(.*)"\]/.exec(line)?.[1] ?? '';
}

function renamed(graph: EgressGraph, id: string, patch: Partial<Pick<GraphNode, 'label' | 'resourceId'>>): EgressGraph {
  return { ...graph, nodes: graph.nodes.map((n: GraphNode): GraphNode => (n.id === id ? { ...n, ...patch } : n)) };
}

describe('toMermaid: text Mermaid rewrites before it parses', () => {
  it('a %%{init}%% directive in a title-block value (file name, tenant, source name) is not applied', () => {
    // An ARM export saved as `export %%{init: {"theme":"dark"}}%%.json` is a legal file name, and
    // diagramMeta puts file names, tenant IDs and --source names in the scope line.
    const meta: DiagramMeta = {
      ...META,
      scope: 'from export %%{init: {"theme":"dark","themeVariables":{"primaryColor":"#00ff00"},"flowchart":{"htmlLabels":false}}}%%.json; all sources',
    };
    const text = toMermaid(buildEgressGraph(hubSpokeModel, hubSpokeResult, { kind: 'full' }), meta);
    const afterFrontMatter = text.replace(/^---\n[\s\S]*?\n---\n/, '');
    expect([...afterFrontMatter.matchAll(MERMAID_DIRECTIVE)].map((m) => m[0])).toEqual([]);
    // The comment line still says what the scope is.
    expect(text).toContain('%% Scope: from export % %{init:');
  });

  it('a name with "style", a colon and an escaped character keeps its text (encodeEntities)', () => {
    const name = 'style:a&b';
    const graph = renamed(buildEgressGraph(hubSpokeModel, hubSpokeResult, { kind: 'full' }), ids.app, { label: name });
    const text = toMermaid(graph, META);
    const id = `n${graph.nodes.findIndex((n) => n.id === ids.app) + 1}`;
    const line = text.split('\n').find((l) => l.trim().startsWith(`${id}[`)) ?? '';
    expect(line).not.toBe('');
    // The simulation decodes an entity code on a line without "style" correctly.
    expect(mermaidFirstLabelLine('    n1["a#38;b<br/>10.1.1.0/24"]')).toBe('a&b');
    expect(mermaidFirstLabelLine(line)).toBe(name);
    expect(mermaidText('classDef:x;')).toBe('classDef#58;x#59;');
    // Without a trigger word `:` stays readable.
    expect(mermaidText('Captured: 2026-11-26T06:00:00.000Z')).toBe('Captured: 2026-11-26T06:00:00.000Z');
  });
});

describe('toMermaid: the title block and legend are rendered', () => {
  const graph = buildEgressGraph(hubSpokeModel, hubSpokeResult, { kind: 'full' });
  const text = toMermaid(graph, META);
  const rendered = mermaidRenderedPart(text);

  it('carries scope, destination, capture time and snapshot hash outside %% comments', () => {
    // The hash shown is its first 16 characters and "…" (#8230;), as the PDF's footer shows it; the
    // full value is in the %% comment lines, and the block says so.
    expect(rendered).toContain(`Snapshot SHA-256: ${META.snapshotSha256.slice(0, 16)}#8230;`);
    expect(text).toContain(`  %% Snapshot SHA-256: ${META.snapshotSha256}\n`);
    expect(rendered).toContain(META.capturedAt);
    expect(rendered).toContain('Destination: 0.0.0.0/0 (default route)');
    expect(rendered).toMatch(/subgraph meta_block\["Title block"\]\n {4}meta_lines\["Scope: tenant t1#59; 1 subscription#59; all sources<br\/>/);
  });

  it('wraps the title block: one fact a line, no line wider than 56 characters, hashes shortened and said to be', () => {
    // Mermaid does not wrap a plain label: the block was one node as wide as a 64-character hash
    // line or a long scope, beside a much smaller graph.
    const long: DiagramMeta = {
      ...META, contentSha256: 'cd'.repeat(32), exportedAt: '2026-11-26T06:00:00.000Z',
      scope: 'tenant 8f2d6c1e-3b4a-4e5f-9a0b-1c2d3e4f5a6b; 3 subscriptions; sources: snet-payments-api, snet-payments-reporting, snet-settlement-batch',
    };
    const out = toMermaid(graph, long);
    const block = /meta_lines\["([^"]*)"\]/.exec(out)?.[1] ?? '';
    const shown = block.split('<br/>').map((line) => line.replace(/#\d+;/g, '_'));
    expect(shown).toEqual([
      'Scope: tenant 8f2d6c1e-3b4a-4e5f-9a0b-1c2d3e4f5a6b_',
      '3 subscriptions_',
      'sources: snet-payments-api, snet-payments-reporting,',
      'snet-settlement-batch',
      'Destination: 0.0.0.0/0 (default route)',
      'Captured: 2026-11-26T06:00:00.000Z',
      `Snapshot SHA-256: ${'ab'.repeat(8)}_`,
      `Content SHA-256: ${'cd'.repeat(8)}_`,
      'Exported: 2026-11-26T06:00:00.000Z',
      'SHA-256 values shortened here: the full values',
      'are in the __ comment lines at the top of the file.',
    ]);
    // The full values, and every fact unwrapped, stay in the comment lines Mermaid does not show.
    expect(out).toContain(`  %% Content SHA-256: ${'cd'.repeat(32)}\n`);
    expect(out).toContain(`  %% Scope: ${long.scope}\n`);
  });

  it('ends with a newline (a .mmd file is a text file; git and cat expect one)', () => {
    expect(text.endsWith('\n')).toBe(true);
    expect(text.endsWith('\n\n')).toBe(false);
  });

  it('has a legend of the colours it uses, each swatch in its colour', () => {
    expect(rendered).toContain(TONE_COLORS.internet.legend);
    expect(rendered).toContain(TONE_COLORS.blocked.legend);
    expect(rendered).toContain(TONE_COLORS['on-premises'].legend);
    const swatch = /(key_\d+)\["Dropped \/ denied \/ no way out"\]/.exec(text)?.[1] ?? '';
    expect(text).toMatch(new RegExp(`class [a-z\\d_,]*\\b${swatch}\\b[a-z\\d_,]* t_blocked\\n`));
  });
});

describe('toDrawio: no tooltip attribute (draw.io renders it as HTML)', () => {
  it('a resource ID holding markup is never in an HTML-rendered attribute', () => {
    // jgraph/drawio Graph.js getTooltipForCell: a `tooltip` attribute is shown through
    // sanitizeHtml, i.e. as HTML; without it draw.io lists the attributes through htmlEntities.
    const hostile = '<img src=x onerror=alert(1)>';
    const hostileId = `${ids.spoke1}/subnets/${hostile}`;
    const graph = renamed(buildEgressGraph(hubSpokeModel, hubSpokeResult, { kind: 'full' }), ids.app, { label: hostile, resourceId: hostileId });
    const doc = parseXml(toDrawio(graph, layoutOf(graph), META));
    const objects = all(doc, 'UserObject');
    const cell = objects.find((o) => o.attributes['armId'] === hostileId);
    expect(cell?.attributes['label']?.split('\n')[0]).toBe(hostile);
    expect(objects.filter((o) => o.attributes['tooltip'] !== undefined)).toEqual([]);
  });
});

describe('exports: a source\'s verdict in text, not only in colour (WCAG 2.2 SC 1.4.1)', () => {
  const graph = buildEgressGraph(hubSpokeModel, hubSpokeResult, { kind: 'full' });
  const layout = layoutOf(graph);

  it('a denied subnet says so in words and the app\'s glyph in draw.io, SVG and Mermaid', () => {
    const drawio = cells(parseXml(toDrawio(graph, layout, META)));
    expect(drawio.find((c) => c.armId === ids.locked)?.label).toBe('locked\n10.1.3.0/24 \u00b7 \u2715 denied');
    const texts = all(parseXml(toSvg(graph, layout, META)), 'text').map((t) => t.text);
    const at = texts.indexOf('locked');
    expect(texts.slice(at, at + 2)).toEqual(['locked', '10.1.3.0/24 \u00b7 \u2715 denied']);
    expect(mermaidLabelOf(toMermaid(graph, META), graph, ids.locked)).toBe('locked<br/>10.1.3.0/24 \u00b7 \u2715 denied');
  });

  it('says whether internet traffic is inspected, and names on-premises, as the app does', () => {
    const text = toMermaid(graph, META);
    expect(mermaidLabelOf(text, graph, ids.app)).toBe('app<br/>10.1.1.0/24 \u00b7 \u2713 internet, inspected');
    expect(mermaidLabelOf(text, graph, ids.web)).toBe('web<br/>10.2.1.0/24 \u00b7 \u2197 internet, not inspected');
    expect(mermaidLabelOf(text, graph, ids.mgmt)).toBe('mgmt<br/>10.0.2.0/24 \u00b7 \u21c4 on-premises');
  });

  it('uses the app\'s glyphs (renderer/graph/style.ts SOURCE_ENCODINGS)', () => {
    const keys = Object.keys(SOURCE_ENCODINGS) as SourceEncodingKey[];
    expect(Object.fromEntries(keys.map((k) => [k, SOURCE_GLYPHS[k]]))).toEqual(Object.fromEntries(keys.map((k) => [k, SOURCE_ENCODINGS[k].glyph])));
    expect(Object.keys(SOURCE_GLYPHS).sort()).toEqual([...keys].sort());
  });
});

describe('exports: overview VNets by their sources\' verdicts', () => {
  // vnet-spoke1's subnets are all denied at fw-hub; vnet-spoke2's reaches the internet through it.
  const res = result([
    path({ id: ids.app, verdict: 'denied', exit: null, via: [ids.firewall] }),
    path({ id: ids.data, verdict: 'denied', exit: null, via: [ids.firewall] }),
    path({ id: ids.web, verdict: 'internet', exit: 'public-ip', via: [ids.firewall], egressIps: ['20.0.0.1'], hops: [hop('source', ids.web)] }),
  ]);
  const graph = buildEgressGraph(hubSpokeModel, res, { kind: 'overview' });

  it('an all-denied VNet is drawn blocked and says "2 denied"; one that reaches the internet says so', () => {
    const text = toMermaid(graph, META);
    expect(mermaidLabelOf(text, graph, ids.spoke1)).toBe('vnet-spoke1<br/>2 subnets \u00b7 2 denied');
    expect(mermaidLabelOf(text, graph, ids.spoke2)).toBe('vnet-spoke2<br/>1 subnet \u00b7 1 internet');
    const id = `n${graph.nodes.findIndex((n) => n.id === ids.spoke1) + 1}`;
    expect(text).toMatch(new RegExp(`class [a-z\\d_,]*\\b${id}\\b[a-z\\d_,]* t_blocked\\n`));
    const layout = layoutOf(graph);
    const drawio = cells(parseXml(toDrawio(graph, layout, META)));
    expect(drawio.find((c) => c.armId === ids.spoke1)?.style).toContain(`strokeColor=${TONE_COLORS.blocked.stroke};`);
    expect(drawio.find((c) => c.armId === ids.spoke2)?.style).toContain(`strokeColor=${TONE_COLORS.internet.stroke};`);
    expect(all(parseXml(toSvg(graph, layout, META)), 'text').map((t) => t.text)).toContain('2 subnets \u00b7 2 denied');
  });

  it('a VNet with mixed verdicts keeps the VNet tone and lists each verdict', () => {
    const mixed = buildEgressGraph(hubSpokeModel, hubSpokeResult, { kind: 'overview' });
    const text = toMermaid(mixed, META);
    expect(mermaidLabelOf(text, mixed, ids.spoke1)).toBe('vnet-spoke1<br/>3 subnets, 1 NIC \u00b7 3 internet, 1 denied');
  });
});

describe('exports: same names in different subscriptions', () => {
  // Landing zones repeat names per subscription: `vnet-spoke1` / `app` in s1 (reaches the internet)
  // and a copy in s2 (denied). Node IDs differ, the names do not.
  const s2 = '/subscriptions/s2/resourcegroups/rg/providers/microsoft.network';
  const vnet2 = toResourceId(`${s2}/virtualnetworks/vnet-spoke1`);
  const app2 = toResourceId(`${s2}/virtualnetworks/vnet-spoke1/subnets/app`);
  const vnet1 = hubSpokeModel.virtualNetworks.find((v) => v.id === ids.spoke1);
  const app1 = hubSpokeModel.subnets.find((x) => x.id === ids.app);
  if (vnet1 === undefined || app1 === undefined) throw new Error('fixture changed');
  const model: NetworkModel = {
    ...hubSpokeModel,
    virtualNetworks: [...hubSpokeModel.virtualNetworks, { ...vnet1, id: vnet2, subscriptionId: 's2', subnetIds: [app2] }],
    subnets: [...hubSpokeModel.subnets, { ...app1, id: app2, subscriptionId: 's2', virtualNetworkId: vnet2 }],
  };
  const graph = buildEgressGraph(model, result([...hubSpokeResult.paths, path({ id: app2, verdict: 'denied', exit: null, via: [ids.firewall] })]), { kind: 'full' });

  it('labels carry the subscription where names collide, and only there (Mermaid, SVG, draw.io)', () => {
    const text = toMermaid(graph, META);
    expect(mermaidLabelOf(text, graph, ids.app)).toBe('app (subscription s1)<br/>10.1.1.0/24 \u00b7 \u2713 internet, inspected');
    expect(mermaidLabelOf(text, graph, app2)).toBe('app (subscription s2)<br/>10.1.1.0/24 \u00b7 \u2715 denied');
    expect(mermaidLabelOf(text, graph, ids.data)).toBe('data<br/>10.1.2.0/24 \u00b7 \u2713 internet, inspected');
    const subgraphs = text.split('\n').filter((l) => /^\s*subgraph v\d+/.test(l)).map((l) => l.replace(/^\s*subgraph v\d+/, ''));
    expect(subgraphs).toContain('["vnet-spoke1 (subscription s1)<br/>10.1.0.0/16"]');
    expect(subgraphs).toContain('["vnet-spoke1 (subscription s2)<br/>10.1.0.0/16"]');
    expect(subgraphs).toContain('["vnet-hub<br/>10.0.0.0/16"]');
    const layout = layoutOf(graph);
    const texts = all(parseXml(toSvg(graph, layout, META)), 'text').map((t) => t.text);
    expect(texts).toEqual(expect.arrayContaining(['vnet-spoke1 (subscription s1)', 'vnet-spoke1 (subscription s2)']));
    expect(texts).not.toContain('vnet-spoke1');
    const drawio = cells(parseXml(toDrawio(graph, layout, META)));
    expect(drawio.find((c) => c.armId === vnet2)?.label.split('\n')[0]).toBe('vnet-spoke1 (subscription s2)');
  });

  it('falls back to the resource group when the copies share a subscription', () => {
    const rg2 = toResourceId('/subscriptions/s1/resourcegroups/rg-b/providers/microsoft.network/virtualnetworks/vnet-spoke1');
    const copy: EgressGraph = {
      ...graph,
      nodes: graph.nodes.map((n: GraphNode): GraphNode => (n.id === vnet2 ? { ...n, resourceId: rg2 } : n)),
    };
    const subgraphs = toMermaid(copy, META).split('\n').filter((l) => /^\s*subgraph v\d+/.test(l)).map((l) => l.replace(/^\s*subgraph v\d+/, ''));
    expect(subgraphs).toContain('["vnet-spoke1 (resource group rg)<br/>10.1.0.0/16"]');
    expect(subgraphs).toContain('["vnet-spoke1 (resource group rg-b)<br/>10.1.0.0/16"]');
  });
});

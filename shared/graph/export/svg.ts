/**
 * The egress graph as a standalone SVG for documents and tickets: a light background by default
 * (a dark-mode OS must not give a dark export), a title block (scope, destination, capture time,
 * snapshot hash), the graph exactly as laid out, and a legend of the encodings used.
 *
 * Nothing is clipped: boxes come from the layout, which sizes them to their text with the same
 * DejaVu Sans metrics this file declares first in `font-family`; lay out with
 * `EXPORT_LAYOUT_OPTIONS` so no label is truncated either. The canvas is sized to the widest of
 * the graph, the title lines and the legend rows.
 *
 * Box texts are the exports' (labels.ts: a source's verdict in words and glyph, an overview VNet's
 * verdict counts, a subscription where names collide), placed as the layout places lines. Lay out
 * `exportGraph(graph)` so the boxes are sized for them; a box laid out for shorter texts is widened
 * here (about its centre; a VNet box to the right) rather than let its text spill out.
 *
 * A bypassed edge (subnet → the attached NAT gateway a route overrides) is dashed, grey, without an
 * arrowhead, and a NAT gateway only such edges reach has a dashed border, as in the app.
 */
import type { GraphLayout, NodeBox, Point, TextLine } from '../layout-types';
import { COMPOUND_PADDING, displayTexts, LEAF_PADDING_X, resolveLayoutOptions, textLines } from '../node-sizes';
import { bypassedNodeIds } from '../build-egress-graph';
import { BYPASSED_EDGE_TONE, edgeTone, nodeTone, TONE_COLORS, TONE_COLORS_DARK, usesDefaultOutbound, type Tone, type ToneColors } from '../palette';
import { estimateTextWidth, GRAPH_FONT_FAMILY } from '../text-width';
import type { EgressGraph, GraphNode } from '../types';
import { EXPORT_LAYOUT_OPTIONS, exportGraph } from './labels';
import { legendEntries } from './legend';
import { metaLines, type DiagramMeta } from './meta';
import { num, xmlAttributes, xmlEscape } from './xml';

export type SvgTheme = 'light' | 'dark';

export interface SvgOptions {
  readonly theme?: SvgTheme;
}

interface Ink {
  readonly background: string;
  readonly text: string;
  readonly muted: string;
  readonly rule: string;
  readonly tones: Readonly<Record<Tone, ToneColors>>;
}

const INK: Readonly<Record<SvgTheme, Ink>> = {
  light: { background: '#ffffff', text: '#1f2328', muted: '#57606a', rule: '#d0d7de', tones: TONE_COLORS },
  dark: { background: '#0d1117', text: '#e6edf3', muted: '#9da7b3', rule: '#30363d', tones: TONE_COLORS_DARK },
};

const MARGIN = 24;
const TITLE_SIZE = 18;
const META_SIZE = 11;
const LEGEND_SIZE = 11;
const LEGEND_SWATCH = 22;
const LEGEND_GAP = 18;
/** Baseline below the top of a text line box (DejaVu Sans ascent ≈ 0.93 em, line box 1.25 em). */
const BASELINE = 0.98;

/** A placed line of text; `halo` outlines it in that colour so lines crossing it do not hide it. */
function text(line: TextLine, fill: string, dx: number, dy: number, halo?: string): string {
  const x = line.align === 'center' ? line.x + line.width / 2 : line.x;
  return `<text ${xmlAttributes({
    'x': num(x + dx), 'y': num(line.y + dy + line.fontSize * BASELINE), 'font-size': line.fontSize,
    'font-weight': line.weight === 'bold' ? 'bold' : undefined, 'text-anchor': line.align === 'center' ? 'middle' : undefined, fill,
    'stroke': halo, 'stroke-width': halo === undefined ? undefined : 4, 'stroke-linejoin': halo === undefined ? undefined : 'round',
    'paint-order': halo === undefined ? undefined : 'stroke',
  })}>${xmlEscape(line.text)}</text>`;
}

function rect(box: { x: number; y: number; width: number; height: number }, radius: number, fill: string, stroke: string, strokeWidth: number, dashed: boolean): string {
  return `<rect ${xmlAttributes({
    x: num(box.x), y: num(box.y), width: num(box.width), height: num(box.height), rx: radius, fill, stroke,
    'stroke-width': strokeWidth, 'stroke-dasharray': dashed ? '6 3' : undefined,
  })}/>`;
}

/** An edge; `marker` null: no arrowhead, dashed (a bypassed edge, which no traffic takes). */
function polyline(points: readonly Point[], dx: number, dy: number, stroke: string, width: number, marker: string | null): string {
  return `<polyline ${xmlAttributes({
    'points': points.map((p) => `${num(p.x + dx)},${num(p.y + dy)}`).join(' '), 'fill': 'none', stroke, 'stroke-width': num(width),
    'stroke-dasharray': marker === null ? '6 3' : undefined,
    'marker-end': marker === null ? undefined : `url(#${marker})`,
  })}/>`;
}

/** One wrapped row layout of the legend: entries left to right, a new row when the next would pass `maxWidth`. */
function legendRows(entries: readonly { readonly text: string }[], maxWidth: number): { x: number; row: number }[] {
  const placed: { x: number; row: number }[] = [];
  let x = 0;
  let row = 0;
  for (const entry of entries) {
    const width = LEGEND_SWATCH + 6 + estimateTextWidth(entry.text, LEGEND_SIZE);
    if (x > 0 && x + width > maxWidth) {
      x = 0;
      row++;
    }
    placed.push({ x, row });
    x += width + LEGEND_GAP;
  }
  return placed;
}

/**
 * The box as drawn and its text lines: the export texts placed like the layout's lines, in a box
 * widened when the layout sized it for shorter texts (font sizes as the layout used).
 */
function placedBox(box: NodeBox, node: GraphNode | undefined): { readonly box: NodeBox; readonly lines: readonly TextLine[] } {
  if (node === undefined) return { box, lines: box.lines };
  const o = resolveLayoutOptions({
    ...EXPORT_LAYOUT_OPTIONS,
    ...(box.lines[0] === undefined ? {} : { labelFontSize: box.lines[0].fontSize }),
    ...(box.lines[1] === undefined ? {} : { sublabelFontSize: box.lines[1].fontSize }),
  });
  const { label, sublabel } = displayTexts(node, o);
  const inset = box.compound ? COMPOUND_PADDING : LEAF_PADDING_X;
  const needed = Math.ceil(Math.max(estimateTextWidth(label, o.labelFontSize, 'bold'), estimateTextWidth(sublabel, o.sublabelFontSize))) + 2 * inset;
  const grow = Math.max(0, needed - box.width);
  const x = box.compound ? box.x : box.x - grow / 2;
  const drawn: NodeBox = grow === 0 ? box : { ...box, x, width: box.width + grow };
  return { box: drawn, lines: textLines(node, box.compound, drawn.x, box.y, drawn.width, o) };
}

export function toSvg(given: EgressGraph, layout: GraphLayout, meta: DiagramMeta, options: SvgOptions = {}): string {
  const graph = exportGraph(given);
  const ink = INK[options.theme ?? 'light'];
  const nodes = new Map<string, GraphNode>(graph.nodes.map((n) => [n.id, n]));
  const placed = new Map(layout.nodes.map((b) => [b.id, placedBox(b, nodes.get(b.id))]));
  const boxesOf = (compound: boolean): { readonly box: NodeBox; readonly lines: readonly TextLine[] }[] =>
    layout.nodes.filter((b) => b.compound === compound).map((b) => placed.get(b.id) ?? { box: b, lines: b.lines });
  const drawnWidth = Math.max(layout.width, ...[...placed.values()].map((p) => p.box.x + p.box.width));
  const drawnLeft = Math.min(0, ...[...placed.values()].map((p) => p.box.x));
  const tones = new Map(graph.nodes.map((n) => [n.id, nodeTone(n)]));
  const weights = new Map(graph.edges.map((e) => [e.id, e.weight]));
  const bypassedEdges = new Set(graph.edges.filter((e) => e.bypassed === true).map((e) => e.id));
  const bypassedNodes = bypassedNodeIds(graph);
  const lines = metaLines(meta);
  const legend = legendEntries(graph);

  const headerWidth = Math.max(estimateTextWidth(meta.title, TITLE_SIZE, 'bold'), ...lines.map((l) => estimateTextWidth(l, META_SIZE)));
  const legendWidest = Math.max(0, ...legend.map((e) => LEGEND_SWATCH + 6 + estimateTextWidth(e.text, LEGEND_SIZE)));
  const width = Math.ceil(Math.max(drawnWidth - drawnLeft, headerWidth, legendWidest, 480) + 2 * MARGIN);
  const headerHeight = MARGIN + TITLE_SIZE * 1.3 + 6 + lines.length * META_SIZE * 1.45 + 14;
  const graphTop = headerHeight + 10;
  const legendPlaces = legendRows(legend, width - 2 * MARGIN);
  const legendRowsCount = legendPlaces.length === 0 ? 0 : Math.max(...legendPlaces.map((p) => p.row)) + 1;
  const legendTop = graphTop + layout.height + 20;
  const height = Math.ceil(legendTop + legendRowsCount * 20 + MARGIN);

  const out: string[] = [];
  out.push(`<svg ${xmlAttributes({ xmlns: 'http://www.w3.org/2000/svg', width, height, viewBox: `0 0 ${width} ${height}`, 'font-family': GRAPH_FONT_FAMILY })}>`);
  out.push(`<title>${xmlEscape(meta.title)}</title>`);
  // One arrow marker per tone colour: SVG 1.1 markers cannot inherit the line's stroke.
  out.push('<defs>');
  for (const [tone, colors] of Object.entries(ink.tones)) {
    out.push(`<marker ${xmlAttributes({ id: `arrow-${tone}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse', markerUnits: 'userSpaceOnUse' })}><path d="M0,0 L10,5 L0,10 z" fill="${colors.stroke}"/></marker>`);
  }
  out.push('</defs>');
  out.push(rect({ x: 0, y: 0, width, height }, 0, ink.background, 'none', 0, false));

  // Title block.
  out.push(`<g class="title-block">`);
  out.push(`<text ${xmlAttributes({ 'x': MARGIN, 'y': num(MARGIN + TITLE_SIZE), 'font-size': TITLE_SIZE, 'font-weight': 'bold', 'fill': ink.text })}>${xmlEscape(meta.title)}</text>`);
  lines.forEach((line, i) => {
    out.push(`<text ${xmlAttributes({ 'x': MARGIN, 'y': num(MARGIN + TITLE_SIZE * 1.3 + 6 + (i + 1) * META_SIZE * 1.45), 'font-size': META_SIZE, 'fill': ink.muted })}>${xmlEscape(line)}</text>`);
  });
  out.push(`<line ${xmlAttributes({ x1: MARGIN, y1: num(headerHeight), x2: width - MARGIN, y2: num(headerHeight), stroke: ink.rule })}/>`);
  out.push('</g>');

  // The graph, offset so its origin sits under the title; compounds first, then edges, then leaves on top.
  const dx = MARGIN - drawnLeft;
  const dy = graphTop;
  out.push('<g class="graph">');
  const at = (box: NodeBox): { x: number; y: number; width: number; height: number } => ({ x: box.x + dx, y: box.y + dy, width: box.width, height: box.height });
  for (const { box } of boxesOf(true)) {
    const colors = ink.tones[tones.get(box.id) ?? 'neutral'];
    out.push(rect(at(box), 6, colors.fill, colors.stroke, 1, true));
  }
  for (const edge of layout.edges) {
    if (bypassedEdges.has(edge.id)) {
      out.push(polyline(edge.points, dx, dy, ink.tones[BYPASSED_EDGE_TONE].stroke, 1.2, null));
      continue;
    }
    const tone = edgeTone(tones.get(edge.source) ?? 'exit', tones.get(edge.target) ?? 'exit');
    const weight = weights.get(edge.id) ?? 1;
    out.push(polyline(edge.points, dx, dy, ink.tones[tone].stroke, Math.min(4, 1.2 + Math.log2(weight) / 2), `arrow-${tone}`));
    if (edge.label !== null) {
      const w = estimateTextWidth(edge.label.text, edge.label.fontSize) + 6;
      out.push(rect({ x: edge.label.x + dx - 3, y: edge.label.y + dy - 1, width: Math.max(w, edge.label.width + 6), height: edge.label.fontSize * 1.4 }, 3, ink.background, 'none', 0, false));
      out.push(text(edge.label, ink.muted, dx, dy));
    }
  }
  // VNet titles after the edges, on a halo of the background: edges may cross a VNet box's title
  // band (in and out of the box, or through its padding), and a title under lines could not be read.
  for (const { lines: boxLines } of boxesOf(true)) {
    boxLines.forEach((line, i) => out.push(text(line, i === 0 ? ink.text : ink.muted, dx, dy, ink.tones.neutral.fill)));
  }
  for (const { box, lines: boxLines } of boxesOf(false)) {
    const node = nodes.get(box.id);
    const tone = tones.get(box.id) ?? 'neutral';
    const colors = ink.tones[tone];
    const source = node?.kind === 'subnet' || node?.kind === 'nic';
    const dashed = (node !== undefined && usesDefaultOutbound(node)) || bypassedNodes.has(box.id);
    out.push(rect(at(box), 4, colors.fill, colors.stroke, source || bypassedNodes.has(box.id) ? 2 : 1.2, dashed));
    boxLines.forEach((line, i) => out.push(text(line, i === 0 ? ink.text : ink.muted, dx, dy)));
  }
  out.push('</g>');

  // Legend.
  out.push('<g class="legend">');
  legend.forEach((entry, i) => {
    const place = legendPlaces[i] ?? { x: 0, row: 0 };
    const x = MARGIN + place.x;
    const y = legendTop + place.row * 20;
    const colors = ink.tones[entry.tone];
    out.push(rect({ x, y, width: LEGEND_SWATCH, height: 12 }, 2, colors.fill, colors.stroke, entry.dashed ? 2 : 1, entry.dashed));
    out.push(`<text ${xmlAttributes({ 'x': num(x + LEGEND_SWATCH + 6), 'y': num(y + 10), 'font-size': LEGEND_SIZE, 'fill': ink.muted })}>${xmlEscape(entry.text)}</text>`);
  });
  out.push('</g>');
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

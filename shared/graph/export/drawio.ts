/**
 * The egress graph as a draw.io file: plain, uncompressed mxGraph XML (`<mxfile><diagram>
 * <mxGraphModel><root>…`), which draw.io, diagrams.net and the VS Code draw.io extension open
 * and which diffs in a pull request. See docs reference destinations.md §7.
 *
 * - VNets are swimlane containers; their subnets (and appliances, NICs) are cells whose `parent`
 *   is the VNet cell, with coordinates relative to it, so moving a VNet moves what is in it.
 * - Azure resources with a built-in draw.io icon are image cells of draw.io's Azure 2 set
 *   (palette.ts); the rest are boxes filled with their tone (sources: their verdict).
 * - Edges are edge cells between cell IDs with no waypoints: draw.io routes them, and keeps
 *   routing them as the architect moves things.
 * - Every cell is a `UserObject` carrying the resource ID, kind and verdict, visible in draw.io's
 *   "Edit Data", so the file stays traceable after editing.
 * - Labels are plain text (no `html=1`): names are user data and must not be read as HTML. For
 *   the same reason no cell has a `tooltip` attribute: draw.io shows that attribute as HTML
 *   (jgraph/drawio Graph.js `getTooltipForCell`: `this.sanitizeHtml(tooltip)`), so a name such as
 *   `<img src=x onerror=…>` would become markup. Without it draw.io lists the cell's attributes
 *   (armId, kind, verdict) as its tooltip through `mxUtils.htmlEntities`, i.e. as text.
 * - Box texts are the exports' (labels.ts): a source's verdict in words and glyph, an overview
 *   VNet's verdict counts, a subscription where names collide, "bypassed by a route".
 * - A bypassed edge (subnet → attached NAT gateway a route overrides) is dashed with no arrowhead,
 *   and a NAT gateway only such edges reach gets a dashed border round its icon, as in the app.
 *
 * The app's layout places text boxes tightly (16 px between rows); an icon with its label below
 * needs more room, so positions are spread by `SPREAD` around each box's centre while boxes keep
 * their size. Spreading keeps every child inside its container and every pair of boxes apart
 * (both only grow apart), so no overlap is introduced.
 */
import type { GraphLayout, NodeBox } from '../layout-types';
import { bypassedNodeIds } from '../build-egress-graph';
import { BYPASSED_EDGE_TONE, drawioImageStyle, edgeTone, KIND_PALETTE, nodeTone, TONE_COLORS, usesDefaultOutbound, type Tone } from '../palette';
import { estimateTextWidth } from '../text-width';
import type { EgressGraph, GraphNode } from '../types';
import { exportGraph } from './labels';
import { legendEntries } from './legend';
import { metaLines, type DiagramMeta } from './meta';
import { num, xmlAttributes } from './xml';

const SPREAD = 1.6;
const MARGIN = 20;
const FONT_SIZE = 11;
const LINE = 14;
const ICON = 40;
const TEXT_COLOR = '#1f2328';
const TITLE_FONT_SIZE = 14;

interface Geometry {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

function labelOf(node: GraphNode): string {
  return node.sublabel.length > 0 ? `${node.label}\n${node.sublabel}` : node.label;
}

function textWidth(text: string, fontSize: number, bold = false): number {
  return Math.max(0, ...text.split('\n').map((line) => estimateTextWidth(line, fontSize, bold ? 'bold' : 'regular')));
}

function userObject(id: string, label: string, data: Readonly<Record<string, string | undefined>>, cell: Readonly<Record<string, string | undefined>>, geometry: Geometry): string {
  return `<UserObject ${xmlAttributes({ id, label, ...data })}><mxCell ${xmlAttributes(cell)}>`
    + `<mxGeometry x="${num(geometry.x)}" y="${num(geometry.y)}" width="${num(geometry.width)}" height="${num(geometry.height)}" as="geometry"/>`
    + '</mxCell></UserObject>';
}

function plainCell(id: string, value: string, style: string, parent: string, geometry: Geometry): string {
  return `<mxCell ${xmlAttributes({ id, value, style, vertex: '1', parent })}>`
    + `<mxGeometry x="${num(geometry.x)}" y="${num(geometry.y)}" width="${num(geometry.width)}" height="${num(geometry.height)}" as="geometry"/></mxCell>`;
}

function boxStyle(tone: Tone, dashed: boolean, bold: boolean): string {
  const colors = TONE_COLORS[tone];
  return `rounded=1;arcSize=12;fillColor=${colors.fill};strokeColor=${colors.stroke};strokeWidth=${bold ? 2 : 1};`
    + `${dashed ? 'dashed=1;dashPattern=6 3;' : ''}fontColor=${TEXT_COLOR};fontSize=${FONT_SIZE};align=center;verticalAlign=middle;`;
}

function vnetStyle(startSize: number): string {
  const colors = TONE_COLORS.neutral;
  return `swimlane;startSize=${num(startSize)};container=1;collapsible=0;recursiveResize=0;rounded=1;arcSize=4;`
    + `fillColor=${colors.fill};swimlaneFillColor=${colors.fill};strokeColor=${colors.stroke};dashed=1;`
    + `fontColor=${TEXT_COLOR};fontSize=${FONT_SIZE};fontStyle=1;align=left;spacingLeft=10;verticalAlign=top;spacingTop=4;`;
}

/** Spread coordinates: top-left corner of a box of (new) size w×h centred where `box`'s centre lands. */
function spreadCentre(box: NodeBox, width: number, height: number, top: number): Geometry {
  const cx = (box.x + box.width / 2) * SPREAD;
  const cy = (box.y + box.height / 2) * SPREAD;
  return { x: MARGIN + cx - width / 2, y: top + cy - height / 2, width, height };
}

export function toDrawio(given: EgressGraph, layout: GraphLayout, meta: DiagramMeta): string {
  const graph = exportGraph(given);
  const boxes = new Map(layout.nodes.map((b) => [b.id, b]));
  const childBoxes = new Map<string, NodeBox[]>();
  for (const b of layout.nodes) {
    if (b.parent === null) continue;
    const list = childBoxes.get(b.parent) ?? [];
    list.push(b);
    childBoxes.set(b.parent, list);
  }
  const cellIds = new Map(graph.nodes.map((n, i) => [n.id, `n${i + 1}`]));
  const tones = new Map(graph.nodes.map((n) => [n.id, nodeTone(n)]));
  const bypassed = bypassedNodeIds(graph);
  const cells: string[] = ['<mxCell id="0"/>', '<mxCell id="1" parent="0"/>'];

  // Title block, then the legend under it, then the graph.
  const title = [meta.title, ...metaLines(meta)].join('\n');
  const titleWidth = Math.ceil(Math.max(textWidth(meta.title, TITLE_FONT_SIZE, true), textWidth(metaLines(meta).join('\n'), FONT_SIZE)) + 24);
  const titleHeight = TITLE_FONT_SIZE + 8 + metaLines(meta).length * LINE + 16;
  cells.push(plainCell('title', title, `text;align=left;verticalAlign=top;spacingLeft=10;spacingTop=6;fontSize=${FONT_SIZE};fontColor=${TEXT_COLOR};fillColor=#ffffff;strokeColor=#8c959f;rounded=0;`,
    '1', { x: MARGIN, y: MARGIN, width: titleWidth, height: titleHeight }));
  let legendY = MARGIN + titleHeight + 10;
  legendEntries(graph).forEach((entry, i) => {
    const colors = TONE_COLORS[entry.tone];
    cells.push(plainCell(`legend-${i + 1}`, '', `rounded=1;fillColor=${colors.fill};strokeColor=${colors.stroke};strokeWidth=${entry.dashed ? 2 : 1};${entry.dashed ? 'dashed=1;dashPattern=6 3;' : ''}`,
      '1', { x: MARGIN, y: legendY + 2, width: 24, height: 12 }));
    cells.push(plainCell(`legend-${i + 1}-text`, entry.text, `text;align=left;verticalAlign=middle;fontSize=${FONT_SIZE};fontColor=${TEXT_COLOR};`,
      '1', { x: MARGIN + 30, y: legendY, width: Math.ceil(estimateTextWidth(entry.text, FONT_SIZE) + 12), height: 16 }));
    legendY += 18;
  });
  const top = legendY + 20;

  const absolute = new Map<string, Geometry>();
  for (const node of graph.nodes) {
    const box = boxes.get(node.id);
    const id = cellIds.get(node.id);
    if (box === undefined || id === undefined) continue;
    const tone = tones.get(node.id) ?? 'neutral';
    const icon = KIND_PALETTE[node.kind].drawioIcon;
    const label = labelOf(node);
    let geometry: Geometry;
    let style: string;
    if (box.compound) {
      // The whole box spreads, so its children (which spread about their own centres) stay inside.
      geometry = { x: MARGIN + box.x * SPREAD, y: top + box.y * SPREAD, width: box.width * SPREAD, height: box.height * SPREAD };
      // The header (title bar) ends just above the first child, as the layout reserved room for two title lines there.
      const firstChild = Math.min(...(childBoxes.get(node.id) ?? []).map((b) => (b.y + b.height / 2) * SPREAD - b.height / 2 - box.y * SPREAD));
      const header = Math.max(2 * LINE + 8, Number.isFinite(firstChild) ? Math.min(firstChild - 10, 3 * LINE) : 2 * LINE + 8);
      style = vnetStyle(header);
    } else if (icon !== null) {
      // Icon with its label below: the block (icon + two lines) is centred where the box was.
      const block = spreadCentre(box, ICON, ICON + 2 * LINE + 4, top);
      geometry = { x: block.x, y: block.y, width: ICON, height: ICON };
      // A bypassed NAT gateway: a dashed border round the icon (draw.io strokes `imageBorder` with the cell's dash style).
      const border = bypassed.has(node.id) ? `imageBorder=${TONE_COLORS[tone].stroke};strokeWidth=2;dashed=1;dashPattern=6 3;` : '';
      style = `${drawioImageStyle(icon)}${border}fontColor=${TEXT_COLOR};labelBackgroundColor=#ffffff;`;
    } else {
      const width = Math.max(box.width, Math.ceil(textWidth(label, FONT_SIZE, true) + 16));
      geometry = spreadCentre(box, width, Math.max(box.height, LINE * (label.includes('\n') ? 2 : 1) + 12), top);
      style = boxStyle(tone, usesDefaultOutbound(node) || bypassed.has(node.id), node.kind === 'subnet' || node.kind === 'nic');
    }
    absolute.set(node.id, geometry);
    const parentGeometry = node.parent === null ? undefined : absolute.get(node.parent);
    const parentId = node.parent === null ? undefined : cellIds.get(node.parent);
    const relative = parentGeometry === undefined ? geometry
      : { ...geometry, x: geometry.x - parentGeometry.x, y: geometry.y - parentGeometry.y };
    const verdict = node.kind === 'subnet' || node.kind === 'nic' ? (node.verdict ?? undefined) : undefined;
    const exit = node.kind === 'subnet' || node.kind === 'nic' ? (node.exit ?? undefined) : undefined;
    cells.push(userObject(id, label, {
      kind: KIND_PALETTE[node.kind].label, armId: node.resourceId ?? undefined, verdict, exit,
    }, { style, vertex: '1', parent: parentGeometry === undefined || parentId === undefined ? '1' : parentId }, relative));
  }

  graph.edges.forEach((edge, i) => {
    const source = cellIds.get(edge.source);
    const target = cellIds.get(edge.target);
    if (source === undefined || target === undefined) return;
    const isBypassed = edge.bypassed === true;
    const colors = TONE_COLORS[isBypassed ? BYPASSED_EDGE_TONE : edgeTone(tones.get(edge.source) ?? 'exit', tones.get(edge.target) ?? 'exit')];
    const width = isBypassed ? 1 : Math.min(4, 1 + Math.log2(Math.max(1, edge.weight)) / 2);
    // A bypassed edge carries no traffic: dashed, no arrowhead (the app's `edge.bypassed`).
    const arrow = isBypassed ? 'endArrow=none;dashed=1;dashPattern=6 3;' : 'endArrow=block;endFill=1;';
    const style = `edgeStyle=orthogonalEdgeStyle;rounded=1;orthogonalLoop=1;jettySize=auto;${arrow}strokeColor=${colors.stroke};strokeWidth=${num(width)};fontSize=10;fontColor=${TEXT_COLOR};labelBackgroundColor=#ffffff;`;
    // Edges belong to the default layer even when both ends sit in a container: draw.io accepts that, and it keeps them visible above containers.
    cells.push(`<mxCell ${xmlAttributes({ id: `e${i + 1}`, value: edge.label, style, edge: '1', parent: '1', source, target })}><mxGeometry relative="1" as="geometry"/></mxCell>`);
  });

  const pageWidth = Math.ceil(Math.max(MARGIN * 2 + layout.width * SPREAD, titleWidth + 2 * MARGIN));
  const pageHeight = Math.ceil(top + layout.height * SPREAD + MARGIN + ICON);
  const model = xmlAttributes({
    dx: 0, dy: 0, grid: 1, gridSize: 10, guides: 1, tooltips: 1, connect: 1, arrows: 1, fold: 1, page: 1, pageScale: 1,
    pageWidth, pageHeight, math: 0, shadow: 0,
  });
  return [
    `<mxfile ${xmlAttributes({ host: 'egress-atlas', modified: meta.exportedAt, type: 'device' })}>`,
    `  <diagram ${xmlAttributes({ id: 'egress-atlas', name: 'Egress paths' })}>`,
    `    <mxGraphModel ${model}>`,
    '      <root>',
    ...cells.map((c) => `        ${c}`),
    '      </root>',
    '    </mxGraphModel>',
    '  </diagram>',
    '</mxfile>',
    '',
  ].join('\n');
}

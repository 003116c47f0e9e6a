/**
 * Draws a `DiagramLayout` as vectors on landscape pages: one overview scaled to fit, then one
 * page per VNet (tiled when a VNet is too big), so labels never drop below `MIN_LABEL_PT`.
 * Pages are planned first (pure) so the table of contents knows how many there will be.
 */
import { BYPASSED_NAT_LEGEND } from '../../shared/graph/export/legend';
import { BYPASSED_EDGE_TONE, TONE_COLORS, type ToneColors } from '../../shared/graph/palette';
import { COLORS, EvidenceDocument, LANDSCAPE, PAGE } from './evidence-document';
import type { DiagramEdge, DiagramLayout, DiagramNode, DiagramText, DiagramTone } from './diagram-layout';

/** Smallest label size on paper; below this a page is split instead of shrunk. */
export const MIN_LABEL_PT = 6;
/** Detail pages are capped so a 2,000-subnet estate does not become thousands of diagram pages. */
export const MAX_DETAIL_PAGES = 40;

export interface Viewport { readonly x: number; readonly y: number; readonly width: number; readonly height: number }

export interface DiagramPagePlan {
  readonly title: string;
  readonly viewport: Viewport;
  readonly scale: number;
  readonly showLabels: boolean;
}

export interface DiagramPlan {
  readonly pages: readonly DiagramPagePlan[];
  /** VNets not drawn on a detail page because of the cap (their paths still have sections). */
  readonly omittedGroups: readonly string[];
}

const HEADER_H = 40;
/** Room for two legend rows (the eight tones do not fit one row of a landscape page). */
const LEGEND_H = 26;
const LEGEND_ROW = 11;

/** The drawable area of a landscape page, below the title and above the legend and footer. */
export const DIAGRAM_AREA = {
  x: PAGE.marginX,
  y: PAGE.marginTop - 14 + HEADER_H,
  width: LANDSCAPE.width - 2 * PAGE.marginX,
  height: LANDSCAPE.height - (PAGE.marginTop - 14 + HEADER_H) - LEGEND_H - 44,
} as const;

/** Fill, stroke and legend per tone: the palette the app's exports share (shared/graph/palette.ts). */
const TONES: Readonly<Record<DiagramTone, ToneColors>> = TONE_COLORS;

function union(boxes: readonly Viewport[]): Viewport {
  const x1 = Math.min(...boxes.map((b) => b.x));
  const y1 = Math.min(...boxes.map((b) => b.y));
  const x2 = Math.max(...boxes.map((b) => b.x + b.width));
  const y2 = Math.max(...boxes.map((b) => b.y + b.height));
  return { x: x1, y: y1, width: x2 - x1, height: y2 - y1 };
}

function fitScale(view: Viewport): number {
  return Math.min(DIAGRAM_AREA.width / Math.max(view.width, 1), DIAGRAM_AREA.height / Math.max(view.height, 1), 1.4);
}

function pad(view: Viewport, by: number): Viewport {
  return { x: view.x - by, y: view.y - by, width: view.width + 2 * by, height: view.height + 2 * by };
}

/** The region a VNet's detail page shows: the VNet box plus every node its members connect to. */
function groupRegion(layout: DiagramLayout, group: DiagramNode, byId: ReadonlyMap<string, DiagramNode>, children: ReadonlyMap<string, readonly DiagramNode[]>): Viewport {
  const members = new Set<string>([group.id]);
  const stack = [group.id];
  while (stack.length > 0) {
    const id = stack.pop() ?? '';
    for (const c of children.get(id) ?? []) if (!members.has(c.id)) { members.add(c.id); stack.push(c.id) }
  }
  const boxes: Viewport[] = [group];
  // Follow edges out of the VNet transitively, so the page shows the whole way to the sink.
  const reached = new Set<string>(members);
  let frontier = new Set(members);
  while (frontier.size > 0) {
    const next = new Set<string>();
    for (const e of layout.edges) {
      if (frontier.has(e.sourceId) && !reached.has(e.targetId)) {
        reached.add(e.targetId);
        next.add(e.targetId);
        const target = byId.get(e.targetId);
        if (target) boxes.push(target);
      }
    }
    frontier = next;
  }
  return union(boxes);
}

/**
 * Where tiles split one axis of a region, start to end. Each tile takes an even share of what is
 * left (no thin, nearly empty last tile) and at most `tile`; a cut that would pass through a box is
 * moved back to the box's near edge, so the box is drawn whole on the next tile. (Fixed-size tiles
 * cut egress-IP boxes in half at tile edges.) A box longer than a tile cannot be kept whole: it is cut.
 */
export function tileCuts(start: number, end: number, tile: number, boxes: readonly (readonly [number, number])[]): readonly number[] {
  const cuts = [start];
  let from = start;
  while (end - from > 0.5) {
    const parts = Math.ceil((end - from) / tile - 1e-9);
    let cut = parts <= 1 ? end : from + (end - from) / parts;
    for (let moved = true; moved && cut < end;) {
      moved = false;
      for (const [low, high] of boxes) {
        // Only to a box edge past the previous cut: a box starting before it is longer than a tile.
        if (low < cut && cut < high && low > from + 1) {
          cut = low;
          moved = true;
        }
      }
    }
    cuts.push(cut);
    from = cut;
  }
  return cuts;
}

/** One region of a layout on as few pages as keep labels legible: fitted, or tiled at the minimum label size. */
export function planRegion(layout: DiagramLayout, region: Viewport, title: string): readonly DiagramPagePlan[] {
  const scale = fitScale(region);
  if (scale * layout.labelSize >= MIN_LABEL_PT) return [{ title, viewport: region, scale, showLabels: true }];
  const pageScale = MIN_LABEL_PT / layout.labelSize;
  // A box the region's edge passes through (another VNet's sink beside this one) is taken whole,
  // and so is one the grown region then reaches, until no edge passes through a box. In a layout
  // shared by many VNets this chains across the estate (pages of other VNets' boxes only), so the
  // evidence PDF tiles a VNet in a layout of its own paths (diagram-sheets.ts groupSheets), where
  // every box it grows to is one of them.
  let whole = region;
  let boxes = layout.nodes.filter((n) => n.role !== 'group' && intersects(n, whole));
  for (let count = -1; boxes.length > 0 && boxes.length !== count;) {
    count = boxes.length;
    whole = union([whole, ...boxes]);
    boxes = layout.nodes.filter((n) => n.role !== 'group' && intersects(n, whole));
  }
  const xs = tileCuts(whole.x, whole.x + whole.width, DIAGRAM_AREA.width / pageScale, boxes.map((n) => [n.x, n.x + n.width] as const));
  const ys = tileCuts(whole.y, whole.y + whole.height, DIAGRAM_AREA.height / pageScale, boxes.map((n) => [n.y, n.y + n.height] as const));
  const tiles: Viewport[] = [];
  for (let j = 0; j + 1 < ys.length; j++) {
    for (let i = 0; i + 1 < xs.length; i++) {
      const [x1, x2, y1, y2] = [xs[i] ?? 0, xs[i + 1] ?? 0, ys[j] ?? 0, ys[j + 1] ?? 0];
      const tile = { x: x1, y: y1, width: x2 - x1, height: y2 - y1 };
      // A tile with no box on it only repeats bits of arrows drawn in full elsewhere: no page for it.
      if (boxes.length === 0 || boxes.some((n) => intersects(n, tile))) tiles.push(tile);
    }
  }
  return tiles.map((viewport, i) => ({ title: tiles.length === 1 ? title : `${title} (part ${i + 1} of ${tiles.length})`, viewport, scale: pageScale, showLabels: true }));
}

export function wholeLayout(layout: DiagramLayout): Viewport {
  return pad({ x: 0, y: 0, width: layout.width, height: layout.height }, 8);
}

/** True when the whole layout fits one page with legible labels. */
export function fitsOnePage(layout: DiagramLayout): boolean {
  return fitScale(wholeLayout(layout)) * layout.labelSize >= MIN_LABEL_PT;
}

export function hasGroups(layout: DiagramLayout): boolean {
  return layout.nodes.some((n) => n.role === 'group' && n.parentId === null);
}

/** One top-level VNet box of a layout and the pages its region takes (before any page cap). */
export interface GroupPages {
  readonly id: string;
  readonly label: string;
  readonly pages: readonly DiagramPagePlan[];
}

/** The overview page of a layout: fitted, labels only when legible. */
export function overviewPage(layout: DiagramLayout): DiagramPagePlan {
  const whole = wholeLayout(layout);
  const scale = fitScale(whole);
  return { title: 'Overview', viewport: whole, scale, showLabels: scale * layout.labelSize >= MIN_LABEL_PT };
}

/** Each top-level VNet box's region (the box and everything its members lead to), planned as pages. */
export function planGroupPages(layout: DiagramLayout): readonly GroupPages[] {
  const byId = new Map(layout.nodes.map((n) => [n.id, n]));
  const children = new Map<string, DiagramNode[]>();
  for (const n of layout.nodes) {
    if (n.parentId === null) continue;
    const list = children.get(n.parentId) ?? [];
    list.push(n);
    children.set(n.parentId, list);
  }
  return layout.nodes.filter((n) => n.role === 'group' && n.parentId === null).map((group) => ({
    id: group.id, label: group.label, pages: planRegion(layout, pad(groupRegion(layout, group, byId, children), 8), group.label),
  }));
}

/**
 * The overview (fitted, labels only when legible), then, when the overview is too small to read,
 * one page (or tiles) per VNet box of the same layout, up to `maxDetailPages`.
 */
export function planDiagramPages(layout: DiagramLayout, maxDetailPages = MAX_DETAIL_PAGES): DiagramPlan {
  if (layout.nodes.length === 0) return { pages: [], omittedGroups: [] };
  const pages: DiagramPagePlan[] = [overviewPage(layout)];
  if (pages[0]?.showLabels === true) return { pages, omittedGroups: [] };
  const omittedGroups: string[] = [];
  let detail = 0;
  for (const group of planGroupPages(layout)) {
    if (detail + group.pages.length > maxDetailPages) {
      omittedGroups.push(group.label);
      continue;
    }
    detail += group.pages.length;
    pages.push(...group.pages);
  }
  return { pages, omittedGroups };
}

function drawArrow(doc: PDFKit.PDFDocument, edge: DiagramEdge, color: string, unit: number): void {
  const pts = edge.points;
  const first = pts[0];
  if (!first || pts.length < 2) return;
  doc.moveTo(first.x, first.y);
  for (const p of pts.slice(1)) doc.lineTo(p.x, p.y);
  if (edge.bypassed === true) {
    // No traffic takes it (an attached NAT gateway a route overrides): dashed, no arrowhead, as in the app.
    doc.lineWidth(1.1 * unit).dash(4 * unit, { space: 3 * unit }).strokeColor(color).stroke();
    doc.undash();
    return;
  }
  doc.lineWidth(1.1 * unit).strokeColor(color).stroke();
  const end = pts[pts.length - 1];
  const before = pts[pts.length - 2];
  if (!end || !before) return;
  const angle = Math.atan2(end.y - before.y, end.x - before.x);
  const size = 7 * unit;
  const left = { x: end.x - size * Math.cos(angle - 0.4), y: end.y - size * Math.sin(angle - 0.4) };
  const right = { x: end.x - size * Math.cos(angle + 0.4), y: end.y - size * Math.sin(angle + 0.4) };
  doc.polygon([end.x, end.y], [left.x, left.y], [right.x, right.y]).fillColor(color).fill();
}

function intersects(a: Viewport, b: Viewport): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Whether a placed line fits its width on one line; else pdfkit draws it cut, ending in "…". */
function fitsOneLine(ed: EvidenceDocument, text: string, font: 'Sans' | 'Sans-Bold', size: number, width: number, height: number): boolean {
  return ed.measure(text, { font, size, width }) <= height + 0.01;
}

/**
 * The names a planned page draws cut short ("snet-10-nva-without-forwar…"), each once, in layout
 * order: the key after the diagrams gives them in full, since a cut name on a filed page may match
 * several resources, or none.
 */
export function shortenedTexts(ed: EvidenceDocument, layout: DiagramLayout, page: DiagramPagePlan): readonly string[] {
  if (!page.showLabels) return [];
  const out = new Set<string>();
  for (const n of layout.nodes) {
    if (!intersects(n, page.viewport)) continue;
    if (n.lines) {
      n.lines.forEach((line, i) => {
        // Cut by the app's layout (the graph node keeps the full text), or too long for its width here.
        const fullText = n.fullLines?.[i];
        if (fullText !== undefined && fullText !== '' && fullText !== line.text) out.add(fullText);
        else if (!fitsOneLine(ed, line.text, line.bold ? 'Sans-Bold' : 'Sans', line.fontSize, line.width, line.fontSize * 1.3)) out.add(line.text);
      });
    } else {
      // As drawDiagramPage draws a label without placed lines.
      const width = n.role === 'group' ? n.width - 16 : n.width - 12;
      if (!fitsOneLine(ed, n.label, 'Sans-Bold', layout.labelSize, width, layout.labelSize * (n.role === 'group' ? 1.3 : 1.25))) out.add(n.label);
    }
  }
  return [...out];
}

function drawPlacedText(ed: EvidenceDocument, line: DiagramText, color: string = COLORS.text): void {
  ed.drawText(line.text, line.x, line.y, { font: line.bold ? 'Sans-Bold' : 'Sans', size: line.fontSize, width: line.width, height: line.fontSize * 1.3, align: line.align, color });
}

/**
 * The key to the colours, wrapped onto a new row when an item would pass the diagram's right edge:
 * in one row the last item ran past the page edge (x = 846 pt on an 841.89 pt page), and a clipped
 * "Firewall / NVA / hu" is no key.
 */
function drawLegend(ed: EvidenceDocument, layout: DiagramLayout): void {
  let y = DIAGRAM_AREA.y + DIAGRAM_AREA.height + 8;
  let x = DIAGRAM_AREA.x;
  const right = DIAGRAM_AREA.x + DIAGRAM_AREA.width;
  const entries: { readonly colors: ToneColors; readonly text: string; readonly dashed: boolean }[] = Object.values(TONES).map((tone) => ({ colors: tone, text: tone.legend, dashed: false }));
  // The app's entry for a NAT gateway a route bypasses, when the diagram draws one (dashed).
  if (layout.edges.some((e) => e.bypassed === true)) entries.push({ colors: TONES[BYPASSED_EDGE_TONE], text: BYPASSED_NAT_LEGEND, dashed: true });
  for (const entry of entries) {
    ed.setFont('Sans', 7);
    const width = 18 + ed.doc.widthOfString(entry.text);
    if (x > DIAGRAM_AREA.x && x + width > right) {
      x = DIAGRAM_AREA.x;
      y += LEGEND_ROW;
    }
    ed.doc.roundedRect(x, y, 14, 9, 2).fillColor(entry.colors.fill).fill();
    if (entry.dashed) ed.doc.dash(2, { space: 1.5 });
    ed.doc.roundedRect(x, y, 14, 9, 2).lineWidth(entry.dashed ? 1 : 0.8).strokeColor(entry.colors.stroke).stroke();
    if (entry.dashed) ed.doc.undash();
    ed.drawText(entry.text, x + 18, y + 0.5, { size: 7, color: COLORS.muted, lineBreak: false });
    x += width + 14;
  }
}

/** Draws one planned page on a new landscape page. */
export function drawDiagramPage(ed: EvidenceDocument, layout: DiagramLayout, page: DiagramPagePlan, caption: string): void {
  const { doc } = ed;
  ed.drawText(caption, DIAGRAM_AREA.x, PAGE.marginTop - 14 + 22, { size: 8, color: COLORS.muted, width: DIAGRAM_AREA.width, lineBreak: false, height: 12 });
  doc.rect(DIAGRAM_AREA.x, DIAGRAM_AREA.y, DIAGRAM_AREA.width, DIAGRAM_AREA.height).lineWidth(0.5).strokeColor(COLORS.rule).stroke();
  const view = page.viewport;
  const unit = 1 / Math.max(page.scale, 0.05);
  // Centre the drawing in the area when it is smaller than the area.
  const offsetX = Math.max(0, (DIAGRAM_AREA.width - view.width * page.scale) / 2);
  const offsetY = Math.max(0, (DIAGRAM_AREA.height - view.height * page.scale) / 2);
  doc.save();
  doc.rect(DIAGRAM_AREA.x, DIAGRAM_AREA.y, DIAGRAM_AREA.width, DIAGRAM_AREA.height).clip();
  doc.translate(DIAGRAM_AREA.x + offsetX, DIAGRAM_AREA.y + offsetY);
  doc.scale(page.scale);
  doc.translate(-view.x, -view.y);
  const visible = (n: Viewport): boolean => intersects(n, view);
  for (const n of layout.nodes) {
    if (n.role !== 'group' || !visible(n)) continue;
    const tone = TONES[n.tone];
    doc.roundedRect(n.x, n.y, n.width, n.height, 6).fillColor(tone.fill).fill();
    doc.roundedRect(n.x, n.y, n.width, n.height, 6).lineWidth(0.8 * Math.min(unit, 3)).dash(4, { space: 3 }).strokeColor(tone.stroke).stroke();
    doc.undash();
    if (page.showLabels && n.lines) {
      n.lines.forEach((line) => drawPlacedText(ed, line));
    } else if (page.showLabels) {
      ed.drawText(n.label, n.x + 8, n.y + 5, { font: 'Sans-Bold', size: layout.labelSize, width: n.width - 16, height: layout.labelSize * 1.3, color: COLORS.text });
    }
  }
  for (const e of layout.edges) {
    const box = union(e.points.map((p) => ({ x: p.x, y: p.y, width: 0, height: 0 })));
    if (!intersects(pad(box, 1), view)) continue;
    drawArrow(doc, e, TONES[e.tone].stroke, Math.min(unit, 3) * 0.9);
    if (page.showLabels && e.labelLine) {
      drawPlacedText(ed, e.labelLine, COLORS.muted);
    } else if (page.showLabels && e.label) {
      const mid = e.points[Math.floor(e.points.length / 2)];
      if (mid) ed.drawText(e.label, mid.x + 3, mid.y - layout.labelSize, { size: layout.labelSize * 0.85, color: COLORS.muted, lineBreak: false });
    }
  }
  for (const n of layout.nodes) {
    if (n.role === 'group' || !visible(n)) continue;
    const tone = TONES[n.tone];
    doc.roundedRect(n.x, n.y, n.width, n.height, 4).fillColor(tone.fill).fill();
    // A NAT gateway a route bypasses: dashed border, as in the app.
    const border = Math.min(unit, 3);
    if (n.bypassed === true) doc.dash(4 * border, { space: 3 * border });
    doc.roundedRect(n.x, n.y, n.width, n.height, 4).lineWidth(border * (n.bypassed === true ? 1.5 : 1)).strokeColor(tone.stroke).stroke();
    if (n.bypassed === true) doc.undash();
    if (page.showLabels && n.lines) {
      n.lines.forEach((line, i) => drawPlacedText(ed, line, i === 0 ? COLORS.text : COLORS.muted));
    } else if (page.showLabels) {
      const lines = n.sublabel ? 2 : 1;
      const textTop = n.y + (n.height - lines * layout.labelSize * 1.2) / 2;
      ed.drawText(n.label, n.x + 6, textTop, { font: 'Sans-Bold', size: layout.labelSize, width: n.width - 12, height: layout.labelSize * 1.25, align: 'center' });
      if (n.sublabel) ed.drawText(n.sublabel, n.x + 6, textTop + layout.labelSize * 1.2, { size: layout.labelSize * 0.8, color: COLORS.muted, width: n.width - 12, height: layout.labelSize * 1.1, align: 'center' });
    }
  }
  doc.restore();
  ed.invalidateColor();
  drawLegend(ed, layout);
}

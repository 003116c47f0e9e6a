/**
 * The cytoscape instance behind the graph panel: create it with precomputed (`preset`) positions,
 * highlight / animate a path, fit, export PNG and SVG, draw the minimap. cytoscape is imported only
 * in renderer/graph/.
 */
import cytoscape, { type Core, type ElementDefinition, type EventObject } from 'cytoscape';
import svg from 'cytoscape-svg';
import type { EgressGraph, PathElements } from '../../shared/graph/types';
import { estimateTextWidth } from '../../shared/graph/text-width';
import { collectPath, highlightPath, markBypassed } from './highlight';
import { pathSteps, stepPrefix } from './path-steps';
import { graphStylesheet, NODE_FONT_SIZE, READABLE_ZOOM, type Theme } from './style';
import { readableViewport, type Viewport } from './viewport';
import { pathFocusLayout } from './path-focus';
import { TRAFFIC_BADGE_CLASS } from './traffic-marks';

cytoscape.use(svg);

export interface CanvasEvents {
  /** A node was tapped: its ID and kind. */
  readonly onTapNode: (nodeId: string, kind: string) => void;
  /** The background was tapped. */
  readonly onTapBackground: () => void;
  /** The viewport moved (minimap redraw). */
  readonly onViewport: () => void;
}

/** The closest a selection zooms in (labels are 11 px at zoom 1). */
const FOCUS_MAX_ZOOM = 1.75;
/** Margin around a path zoom, px: room for the view label and the Legend / Fit buttons over the graph. */
const FOCUS_PADDING = 60;

/** Class of what the path view hides (everything but the path); styled `display: none` in style.ts. */
export const FOCUS_HIDDEN = 'focus-hidden';
/** Class of the path's edges in the path view: straight, not the estate layout's bend points. */
const FOCUS_EDGE = 'focus-edge';

/**
 * How the selected path is shown: `fits` (whole and readable in the drawn layout), `path-view`
 * (it did not, so only the path is drawn, laid out to fit: path-focus.ts), `estate-window` (the
 * user asked for the estate layout: a readable window of the path, from its source end).
 */
export type PathLayoutMode = 'fits' | 'path-view' | 'estate-window';

/**
 * Turns off cytoscape's label texture cache (canvas renderer internals, guarded: a renderer without
 * it is left alone). The cache keeps a label's bitmap clipped to the bounds it had when first
 * cached: after a class change (dim, path) or a label change (the hop numbers) labels were drawn cut
 * at the old box edges ("‥ snet-card-autl") until the next zoom level. Labels are hidden below
 * 11 px on screen anyway, so drawing them directly costs little on big, zoomed-out graphs, and
 * pans and zooms still draw the viewport texture (`textureOnViewport`).
 */
function disableLabelTextureCache(cy: Core): void {
  const renderer = (cy as unknown as { renderer?: () => { data?: { lblTxrCache?: { getElement?: unknown } } } }).renderer?.();
  const cache = renderer?.data?.lblTxrCache;
  if (cache && typeof cache.getElement === 'function') cache.getElement = () => null;
}

export class GraphCanvas {
  readonly cy: Core;
  private animationTimers: number[] = [];
  private extent: { readonly width: number; readonly height: number } = { width: 1, height: 1 };
  /** Whether the last fit / focus showed all of what it was asked to (false: a readable window of it). */
  private wholeInView = true;
  private onWholeChange: ((whole: boolean) => void) | null = null;
  private onPathLayoutChange: ((mode: PathLayoutMode) => void) | null = null;
  /** The path view's saved estate positions (null: the estate layout is drawn). */
  private pathView: Map<string, { readonly x: number; readonly y: number }> | null = null;

  constructor(container: HTMLElement, theme: Theme, events: CanvasEvents) {
    this.cy = cytoscape({
      container,
      style: graphStylesheet(theme),
      layout: { name: 'preset' },
      minZoom: 0.05,
      maxZoom: 4,
      boxSelectionEnabled: false,
      // Big estates: draw a cached texture while panning / zooming instead of every element.
      textureOnViewport: true,
      pixelRatio: 'auto',
    });
    disableLabelTextureCache(this.cy);
    this.cy.on('tap', 'node', (e: EventObject) => {
      const node = e.target as cytoscape.NodeSingular;
      events.onTapNode(node.id(), String(node.data('kind')));
    });
    this.cy.on('tap', (e: EventObject) => {
      if (e.target === this.cy) events.onTapBackground();
    });
    this.cy.on('viewport resize', () => events.onViewport());
  }

  setTheme(theme: Theme): void {
    this.cy.style(graphStylesheet(theme));
  }

  /**
   * Replaces every element; positions come from the layout worker. No cytoscape layout runs and the
   * viewport is fitted from the layout's own extent: a `preset` layout with `fit` measures every
   * label for the bounding box, which took seconds at 5,000 elements.
   */
  setElements(elements: readonly ElementDefinition[], extent: { readonly width: number; readonly height: number }): void {
    this.stopAnimation();
    const cy = this.cy;
    cy.stop(true, false);
    // The path view's positions belong to the elements being replaced.
    this.pathView = null;
    cy.startBatch();
    cy.elements().remove();
    cy.add([...elements]);
    cy.endBatch();
    // Fresh elements carry no highlight classes: highlight() starts from scratch.
    this.extent = extent;
    this.fitExtent(extent);
  }

  /** The viewport the last fit set (null once another view replaced it), for refitting on resize. */
  private fitted: { readonly zoom: number; readonly x: number; readonly y: number } | null = null;

  private fitExtent(extent: { readonly width: number; readonly height: number }): void {
    const cy = this.cy;
    const v = readableViewport({ x1: 0, y1: 0, w: extent.width, h: extent.height }, cy.width(), cy.height(), { padding: 30, maxZoom: cy.maxZoom() });
    cy.viewport({ zoom: v.zoom, pan: v.pan });
    this.fitted = { zoom: v.zoom, x: v.pan.x, y: v.pan.y };
    this.setWhole(v.whole);
  }

  /**
   * The drawing area changed size (the legend strip grew or shrank): tell cytoscape, and fit again
   * if the view is still the fit it had (a view the user or a selection moved stays where it is).
   */
  resized(): void {
    const cy = this.cy;
    const f = this.fitted;
    const untouched = f !== null && Math.abs(cy.zoom() - f.zoom) < 1e-9 && Math.abs(cy.pan().x - f.x) < 0.5 && Math.abs(cy.pan().y - f.y) < 0.5;
    cy.resize();
    if (untouched) this.fitExtent(this.extent);
  }

  /** Called with false when a fit or a path zoom shows only a readable window of what it was asked for. */
  onWholeInView(listener: ((whole: boolean) => void) | null): void {
    this.onWholeChange = listener;
    listener?.(this.wholeInView);
  }

  /** Called with how each selection's path is drawn (focus, animatePath): the pane's "Path view | Show in estate" toggle. */
  onPathLayout(listener: ((mode: PathLayoutMode) => void) | null): void {
    this.onPathLayoutChange = listener;
  }

  private setWhole(whole: boolean): void {
    this.wholeInView = whole;
    this.onWholeChange?.(whole);
  }

  /** Marks the nodes and edges of changed sources (comparison). */
  markChanged(changedSourceIds: ReadonlySet<string>, graph: EgressGraph): void {
    const cy = this.cy;
    cy.batch(() => {
      cy.elements('.changed').removeClass('changed');
      for (const node of graph.nodes) {
        if (changedSourceIds.has(node.id.toLowerCase())) cy.getElementById(node.id).addClass('changed');
      }
      for (const edge of graph.edges) {
        if (edge.sourceIds.some((id) => changedSourceIds.has(id.toLowerCase()))) cy.getElementById(edge.id).addClass('changed');
      }
    });
  }

  /** Marks the nodes and edges of the selected policy control's violating sources (lower-cased IDs). */
  markViolating(violatingSourceIds: ReadonlySet<string>, graph: EgressGraph): void {
    const cy = this.cy;
    cy.batch(() => {
      cy.elements('.violating').removeClass('violating');
      if (violatingSourceIds.size === 0) return;
      for (const node of graph.nodes) {
        if (violatingSourceIds.has(node.id.toLowerCase())) cy.getElementById(node.id).addClass('violating');
      }
      for (const edge of graph.edges) {
        if (edge.sourceIds.some((id) => violatingSourceIds.has(id.toLowerCase()))) cy.getElementById(edge.id).addClass('violating');
      }
    });
  }

  /** Zoom to fit, from the layout's extent (no label measuring); in the path view, the path's. */
  fit(): void {
    this.cy.stop(true, false);
    const box = this.pathViewBox;
    if (this.pathView !== null && box !== null) {
      const cy = this.cy;
      const v = readableViewport(box, cy.width(), cy.height(), { padding: FOCUS_PADDING, maxZoom: FOCUS_MAX_ZOOM });
      cy.viewport({ zoom: v.zoom, pan: v.pan });
      this.setWhole(v.whole);
      return;
    }
    this.fitExtent(this.extent);
  }

  /** The path view's extent (model units), for Fit. */
  private pathViewBox: { readonly x1: number; readonly y1: number; readonly w: number; readonly h: number } | null = null;

  /** Dims everything except the path; `null` clears (highlight.ts). Returns the number of highlighted elements. */
  highlight(path: PathElements | null): number {
    this.stopAnimation();
    return highlightPath(this.cy, path);
  }

  /** VNet boxes of a collection (their size is the whole VNet: keep them out of zoom-to-path). */
  private withoutBoxes(eles: cytoscape.CollectionReturnValue): cytoscape.CollectionReturnValue {
    return eles.filter((e) => !e.hasClass('vnet-box'));
  }

  /** Highlights the path hop by hop from its source, for the guided tour. */
  animatePath(path: PathElements, sourceId: string, stepMs = 280, inEstate = false): void {
    this.highlight(null);
    const cy = this.cy;
    const keep = collectPath(this.cy, path);
    cy.batch(() => {
      cy.elements().not(keep.filter('.vnet-box')).addClass('dim');
      // Lit step by step below; the path's bypassed-only nodes without the hop halo.
      markBypassed(cy, path);
    });
    const steps = pathSteps(path, sourceId, (edgeId) => {
      const edge = cy.getElementById(edgeId);
      return edge.nonempty() ? { source: String(edge.data('source')), target: String(edge.data('target')) } : null;
    });
    steps.forEach((ids, i) => {
      this.animationTimers.push(window.setTimeout(() => {
        for (const id of ids) cy.getElementById(id).removeClass('dim').addClass('path');
      }, i * stepMs));
    });
    // Like a selection (focus): a path that does not fit readable in the estate layout gets the path view.
    this.exitPathView();
    let v = this.pathViewport(path, sourceId);
    const whole = v?.whole ?? true;
    if (v && !v.whole && !inEstate) v = this.enterPathView(path, sourceId) ?? v;
    if (v) cy.animate({ zoom: v.zoom, pan: v.pan, duration: 350 });
    this.onPathLayoutChange?.(this.pathView !== null ? 'path-view' : whole ? 'fits' : 'estate-window');
  }

  /** The readable viewport onto a path (see readableViewport), anchored on its source. */
  private pathViewport(path: PathElements, sourceId: string | null): Viewport | null {
    const keep = this.withoutBoxes(collectPath(this.cy, path));
    if (keep.empty()) return null;
    const cy = this.cy;
    const bb = keep.boundingBox({ includeLabels: true, includeOverlays: false });
    const source = sourceId === null ? null : cy.getElementById(sourceId);
    const anchorY = source && source.nonempty() ? source.position('y') : undefined;
    const v = readableViewport(bb, cy.width(), cy.height(), { padding: 60, maxZoom: FOCUS_MAX_ZOOM, ...(anchorY === undefined ? {} : { anchorY }) });
    this.setWhole(v.whole);
    return v;
  }

  /**
   * Numbers the selected path's nodes with the explanation's step numbers (path-steps.ts
   * `hopNumbers`): "③ afw-hub-weu". An empty map clears them.
   */
  setHopNumbers(numbers: ReadonlyMap<string, readonly number[]>): void {
    const cy = this.cy;
    cy.batch(() => {
      cy.nodes('.hop').forEach((n) => {
        n.removeClass('hop');
        n.data('width', n.data('baseWidth') as number);
        n.removeData('hopLabel hops baseWidth');
      });
      for (const [id, steps] of numbers) {
        const node = cy.getElementById(id);
        if (node.empty() || steps.length === 0) continue;
        const prefix = stepPrefix(steps);
        const width = Number(node.data('width'));
        // The box grows by the prefix (centred), so the number never pushes the name out of it.
        node.data({ hopLabel: `${prefix}${String(node.data('shownLabel') ?? '')}`, hops: steps.join(' '), baseWidth: width, width: width + Math.ceil(estimateTextWidth(prefix, NODE_FONT_SIZE, 'bold')) });
        node.addClass('hop');
      }
    });

  }

  /**
   * Fades what the list's filters hide: source nodes not in `visible` (lower-cased IDs), edges no
   * visible source uses, and the nodes only such edges touch. `null`: no filter, nothing faded.
   */
  markFiltered(visible: ReadonlySet<string> | null, graph: EgressGraph): number {
    const cy = this.cy;
    let faded = 0;
    cy.batch(() => {
      cy.elements('.filtered').removeClass('filtered');
      if (visible === null) return;
      const liveNodes = new Set<string>();
      for (const edge of graph.edges) {
        if (edge.sourceIds.some((id) => visible.has(id.toLowerCase()))) { liveNodes.add(edge.source); liveNodes.add(edge.target); continue; }
        cy.getElementById(edge.id).addClass('filtered');
        faded++;
      }
      for (const node of graph.nodes) {
        if (node.kind === 'vnet' && node.compound) continue;
        const shown = node.kind === 'subnet' || node.kind === 'nic' ? visible.has(node.id.toLowerCase()) : liveNodes.has(node.id);
        if (shown) continue;
        cy.getElementById(node.id).addClass('filtered');
        faded++;
      }
    });
    return faded;
  }

  /**
   * Zooms onto the elements of a path (every selection, and Enter in the list): fitted with a margin,
   * from whatever zoom the view had, but no closer than FOCUS_MAX_ZOOM (a two-hop path would
   * otherwise fill the pane at 4×) and no further out than READABLE_ZOOM (a long path then shows its
   * source end, readable). A running zoom is cut short so the last selection wins.
   */
  focus(path: PathElements, sourceId: string | null = null, inEstate = false): void {
    this.exitPathView();
    const v = this.pathViewport(path, sourceId);
    if (!v) return;
    const cy = this.cy;
    cy.stop(true, false);
    if (!v.whole && !inEstate && sourceId !== null) {
      const focused = this.enterPathView(path, sourceId);
      if (focused) {
        cy.viewport({ zoom: focused.zoom, pan: focused.pan });
        this.onPathLayoutChange?.('path-view');
        return;
      }
    }
    cy.animate({ zoom: v.zoom, pan: v.pan, duration: 300 });
    this.onPathLayoutChange?.(v.whole ? 'fits' : 'estate-window');
  }

  /**
   * Draws only the path, laid out top to bottom to fit the pane (path-focus.ts): the estate layout
   * spreads a path left to right over the whole estate's columns, often wider than the pane at a
   * readable zoom. The other elements are hidden (not removed: classes, hop numbers and traffic
   * marks stay as they are) and the estate positions saved for exitPathView. Returns the viewport
   * onto the path, or null when there is nothing to lay out.
   */
  private enterPathView(path: PathElements, sourceId: string): Viewport | null {
    const cy = this.cy;
    const nodes = this.withoutBoxes(collectPath(this.cy, path)).nodes();
    if (nodes.empty()) return null;
    let pathEdges = cy.collection();
    for (const id of path.edgeIds) {
      const edge = cy.getElementById(id);
      if (edge.nonempty() && edge.isEdge()) pathEdges = pathEdges.union(edge);
    }
    const started = performance.now();
    const layout = pathFocusLayout(
      nodes.map((n) => ({ id: n.id(), width: Number(n.data('width') ?? n.width()), height: Number(n.data('height') ?? n.height()) })),
      pathEdges.map((e) => ({ source: String(e.data('source')), target: String(e.data('target')) })),
      sourceId,
      { width: Math.max(1, cy.width() - 2 * FOCUS_PADDING), height: Math.max(1, cy.height() - 2 * FOCUS_PADDING) },
      { min: READABLE_ZOOM, max: FOCUS_MAX_ZOOM },
    );
    const saved = new Map<string, { x: number; y: number }>();
    const badges = this.badgeOffsets();
    cy.batch(() => {
      const keep = nodes.union(pathEdges);
      cy.elements().not(keep).addClass(FOCUS_HIDDEN);
      pathEdges.addClass(FOCUS_EDGE);
      nodes.forEach((n) => {
        const p = layout.positions.get(n.id());
        if (!p) return;
        saved.set(n.id(), { ...n.position() });
        n.position({ x: p.x, y: p.y });
      });
      this.placeBadges(badges, true);
    });
    this.pathView = saved;
    // For the e2e tests (window.__egressAtlasTest.cy.scratch('pathViewMs')).
    cy.scratch('pathViewMs', performance.now() - started);
    this.pathViewBox = { x1: 0, y1: 0, w: layout.width, h: layout.height };
    const v = readableViewport(this.pathViewBox, cy.width(), cy.height(), { padding: FOCUS_PADDING, maxZoom: FOCUS_MAX_ZOOM });
    this.setWhole(v.whole);
    return v;
  }

  /** Back to the estate layout from the path view (no viewport change); false when it was not drawn. */
  exitPathView(): boolean {
    const saved = this.pathView;
    if (saved === null) return false;
    const cy = this.cy;
    const badges = this.badgeOffsets();
    cy.batch(() => {
      for (const [id, p] of saved) cy.getElementById(id).position({ x: p.x, y: p.y });
      cy.elements(`.${FOCUS_HIDDEN}`).removeClass(FOCUS_HIDDEN);
      cy.elements(`.${FOCUS_EDGE}`).removeClass(FOCUS_EDGE);
      this.placeBadges(badges, false);
    });
    this.pathView = null;
    return true;
  }

  /** Each traffic badge's offset from the node it sits on, so it can follow the node when it moves. */
  private badgeOffsets(): { readonly badge: cytoscape.NodeSingular; readonly node: cytoscape.NodeSingular; readonly dx: number; readonly dy: number }[] {
    const cy = this.cy;
    return cy.nodes(`.${TRAFFIC_BADGE_CLASS}`).map((badge) => {
      const node = cy.getElementById(String(badge.data('badgeFor'))) as cytoscape.NodeSingular;
      return { badge, node, dx: badge.position('x') - node.position('x'), dy: badge.position('y') - node.position('y') };
    }).filter((b) => b.node.nonempty());
  }

  private placeBadges(offsets: ReturnType<GraphCanvas['badgeOffsets']>, pathView: boolean): void {
    for (const { badge, node, dx, dy } of offsets) {
      badge.position({ x: node.position('x') + dx, y: node.position('y') + dy });
      // A badge on a node the path view hides is hidden with it (it is not on the path).
      if (pathView && node.hasClass(FOCUS_HIDDEN)) badge.addClass(FOCUS_HIDDEN);
      else badge.removeClass(FOCUS_HIDDEN);
    }
  }

  private stopAnimation(): void {
    for (const t of this.animationTimers) window.clearTimeout(t);
    this.animationTimers = [];
  }

  png(background: string): Blob {
    return this.cy.png({ full: true, scale: 2, output: 'blob', bg: background });
  }

  /** The whole graph as a PNG data URL (every element, at `scale`), for the titled export. */
  pngDataUrl(background: string, scale = 2): string {
    return this.cy.png({ full: true, scale, output: 'base64uri', bg: background });
  }

  svg(background: string): string {
    return (this.cy as Core & { svg(options: { full: boolean; scale: number; bg: string }): string }).svg({ full: true, scale: 1, bg: background });
  }

  destroy(): void {
    this.stopAnimation();
    this.cy.destroy();
  }
}

/** Draws the minimap: every leaf node as a dot, the viewport as a rectangle. */
export function drawMinimap(canvas: HTMLCanvasElement, cy: Core, colors: { readonly node: string; readonly path: string; readonly viewport: string }): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  if (canvas.width !== width * ratio) { canvas.width = width * ratio; canvas.height = height * ratio; }
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  if (cy.elements().empty()) return;
  // Node positions only (no label measuring): cheap on big graphs.
  // What the path view hides is not on the map either: the map shows the drawing.
  const nodes = cy.nodes().not(`.${FOCUS_HIDDEN}`);
  const bb = nodes.boundingBox({ includeLabels: false, includeOverlays: false });
  const scale = Math.min((width - 8) / Math.max(bb.w, 1), (height - 8) / Math.max(bb.h, 1));
  const ox = (width - bb.w * scale) / 2 - bb.x1 * scale;
  const oy = (height - bb.h * scale) / 2 - bb.y1 * scale;
  nodes.forEach((n) => {
    if (n.hasClass('vnet-box')) return;
    const p = n.position();
    ctx.fillStyle = n.hasClass('path') ? colors.path : colors.node;
    const size = n.hasClass('path') ? 3 : 2;
    ctx.fillRect(p.x * scale + ox - size / 2, p.y * scale + oy - size / 2, size, size);
  });
  // The visible part, clipped to the map: a view wider than the graph on some sides (the usual
  // case when only part of it is readable) would otherwise draw as a single stray line.
  const ext = cy.extent();
  const inset = 1;
  const x1 = Math.max(inset, ext.x1 * scale + ox);
  const y1 = Math.max(inset, ext.y1 * scale + oy);
  const x2 = Math.min(width - inset, ext.x2 * scale + ox);
  const y2 = Math.min(height - inset, ext.y2 * scale + oy);
  ctx.strokeStyle = colors.viewport;
  ctx.lineWidth = 1.5;
  if (x2 > x1 && y2 > y1) ctx.strokeRect(x1, y1, x2 - x1, y2 - y1);
  canvas.dataset['viewport'] = x2 > x1 && y2 > y1 ? [x1, y1, x2 - x1, y2 - y1].map((v) => v.toFixed(1)).join(',') : '';
  canvas.dataset['scale'] = String(scale);
  canvas.dataset['ox'] = String(ox);
  canvas.dataset['oy'] = String(oy);
}

/** Centres the main view on the model point under a minimap click. */
export function panFromMinimap(canvas: HTMLCanvasElement, cy: Core, offsetX: number, offsetY: number): void {
  const scale = Number(canvas.dataset['scale'] ?? '0');
  if (!(scale > 0)) return;
  const x = (offsetX - Number(canvas.dataset['ox'] ?? '0')) / scale;
  const y = (offsetY - Number(canvas.dataset['oy'] ?? '0')) / scale;
  const zoom = cy.zoom();
  cy.pan({ x: cy.width() / 2 - x * zoom, y: cy.height() / 2 - y * zoom });
}


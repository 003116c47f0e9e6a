/**
 * The cytoscape instance behind the graph panel: create it with precomputed (`preset`) positions,
 * highlight / animate a path, fit, export PNG and SVG, draw the minimap. cytoscape is imported only
 * in renderer/graph/.
 */
import cytoscape, { type Core, type ElementDefinition, type EventObject } from 'cytoscape';
import svg from 'cytoscape-svg';
import type { EgressGraph, PathElements } from '../../shared/graph/types';
import { pathSteps } from './path-steps';
import { graphStylesheet, type Theme } from './style';

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

export class GraphCanvas {
  readonly cy: Core;
  private animationTimers: number[] = [];
  private extent: { readonly width: number; readonly height: number } = { width: 1, height: 1 };

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
    cy.startBatch();
    cy.elements().remove();
    cy.add([...elements]);
    cy.endBatch();
    // Fresh elements carry no highlight classes: highlight() starts from scratch.
    this.extent = extent;
    this.fitExtent(extent);
  }

  private fitExtent(extent: { readonly width: number; readonly height: number }): void {
    const cy = this.cy;
    const padding = 30;
    const w = Math.max(1, cy.width() - 2 * padding);
    const h = Math.max(1, cy.height() - 2 * padding);
    const zoom = Math.min(cy.maxZoom(), Math.max(cy.minZoom(), Math.min(w / Math.max(1, extent.width), h / Math.max(1, extent.height))));
    cy.viewport({
      zoom,
      pan: { x: (cy.width() - extent.width * zoom) / 2, y: (cy.height() - extent.height * zoom) / 2 },
    });
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

  /** Zoom to fit, from the layout's extent (no label measuring). */
  fit(): void {
    this.cy.stop(true, false);
    this.fitExtent(this.extent);
  }

  /**
   * Dims everything except the path; `null` clears. Only the difference to the previous highlight
   * is restyled, so moving from one path to the next touches tens of elements, not the whole graph.
   * Returns the number of highlighted elements.
   */
  highlight(path: PathElements | null): number {
    this.stopAnimation();
    const cy = this.cy;
    const keep = path === null ? cy.collection() : this.collect(path);
    cy.batch(() => {
      if (path === null) {
        cy.elements('.dim, .path').removeClass('dim path');
        return;
      }
      const before = cy.elements('.path');
      if (before.empty() && cy.elements('.dim').empty()) {
        cy.elements().not(keep).addClass('dim');
      } else {
        before.not(keep).removeClass('path').addClass('dim');
      }
      keep.removeClass('dim').addClass('path');
    });
    return keep.length;
  }

  /** The path's elements, plus the VNet boxes that contain them (so they do not dim). */
  private collect(path: PathElements): cytoscape.CollectionReturnValue {
    const cy = this.cy;
    const ids = new Set<string>([...path.nodeIds, ...path.edgeIds]);
    for (const id of path.nodeIds) {
      const box: unknown = cy.getElementById(id).data('box');
      if (typeof box === 'string') ids.add(box);
    }
    let keep = cy.collection();
    for (const id of ids) keep = keep.union(cy.getElementById(id));
    return keep;
  }

  /** VNet boxes of a collection (their size is the whole VNet: keep them out of zoom-to-path). */
  private withoutBoxes(eles: cytoscape.CollectionReturnValue): cytoscape.CollectionReturnValue {
    return eles.filter((e) => !e.hasClass('vnet-box'));
  }

  /** Highlights the path hop by hop from its source, for the guided tour. */
  animatePath(path: PathElements, sourceId: string, stepMs = 280): void {
    this.highlight(null);
    const cy = this.cy;
    const keep = this.collect(path);
    cy.batch(() => {
      cy.elements().not(keep.filter('.vnet-box')).addClass('dim');
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
    cy.animate({ fit: { eles: this.withoutBoxes(keep), padding: 60 }, duration: 350 });
  }

  /**
   * Zooms onto the elements of a path (every selection, and Enter in the list): fitted with a margin,
   * from whatever zoom the view had, but no closer than FOCUS_MAX_ZOOM (a two-hop path would
   * otherwise fill the pane at 4×). A running zoom is cut short so the last selection wins.
   */
  focus(path: PathElements): void {
    const keep = this.withoutBoxes(this.collect(path));
    if (keep.empty()) return;
    const cy = this.cy;
    const padding = 60;
    const bb = keep.boundingBox({ includeLabels: true, includeOverlays: false });
    const w = Math.max(1, cy.width() - 2 * padding);
    const h = Math.max(1, cy.height() - 2 * padding);
    const zoom = Math.max(cy.minZoom(), Math.min(FOCUS_MAX_ZOOM, w / Math.max(1, bb.w), h / Math.max(1, bb.h)));
    const pan = { x: cy.width() / 2 - (bb.x1 + bb.w / 2) * zoom, y: cy.height() / 2 - (bb.y1 + bb.h / 2) * zoom };
    cy.stop(true, false);
    cy.animate({ zoom, pan, duration: 300 });
  }

  private stopAnimation(): void {
    for (const t of this.animationTimers) window.clearTimeout(t);
    this.animationTimers = [];
  }

  png(background: string): Blob {
    return this.cy.png({ full: true, scale: 2, output: 'blob', bg: background });
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
  const bb = cy.nodes().boundingBox({ includeLabels: false, includeOverlays: false });
  const scale = Math.min((width - 8) / Math.max(bb.w, 1), (height - 8) / Math.max(bb.h, 1));
  const ox = (width - bb.w * scale) / 2 - bb.x1 * scale;
  const oy = (height - bb.h * scale) / 2 - bb.y1 * scale;
  cy.nodes().forEach((n) => {
    if (n.hasClass('vnet-box')) return;
    const p = n.position();
    ctx.fillStyle = n.hasClass('path') ? colors.path : colors.node;
    const size = n.hasClass('path') ? 3 : 2;
    ctx.fillRect(p.x * scale + ox - size / 2, p.y * scale + oy - size / 2, size, size);
  });
  const ext = cy.extent();
  ctx.strokeStyle = colors.viewport;
  ctx.lineWidth = 1.5;
  ctx.strokeRect(ext.x1 * scale + ox, ext.y1 * scale + oy, ext.w * scale, ext.h * scale);
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


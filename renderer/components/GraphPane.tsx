/**
 * Centre pane: the cytoscape graph. Layout runs in the Web Worker (the page shows "Laying out…"),
 * then the elements are drawn with a `preset` layout. Selection dims everything but the path.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { Core } from 'cytoscape';
import { explainPath } from '../../shared/egress/explain';
import { pathElementIds } from '../../shared/graph/build-egress-graph';
import { BYPASSED_NAT_LEGEND } from '../../shared/graph/export/legend';
import type { ResolveResult } from '../../shared/egress/types';
import type { EgressGraph, GraphView } from '../../shared/graph/types';
import type { NetworkModel } from '../../shared/model/topology';
import { drawMinimap, FOCUS_HIDDEN, GraphCanvas, panFromMinimap, type PathLayoutMode } from '../graph/canvas';
import { graphEncodings, legendKinds, toCytoscapeElements } from '../graph/elements';
import { hopNumbers, type NumberableNode } from '../graph/path-steps';
import { KIND_LOOK, SOURCE_ENCODINGS, verdictColors, type Theme } from '../graph/style';
import { graphInWorker } from '../layout-client';
import { applyTrafficMarks, type TrafficMarks } from '../graph/traffic-marks';
import type { ViewMode } from '../state/app-state';
import { testHook } from '../test-hook';

function viewLabel(view: GraphView): string {
  switch (view.kind) {
    case 'full': return 'All paths';
    case 'overview': return 'VNet overview · select a subnet for its path';
    case 'path': return 'Selected path · Esc for the overview';
    default: {
      const never: never = view;
      return never;
    }
  }
}

interface Drawn {
  readonly graph: EgressGraph;
  readonly baseView: GraphView['kind'];
  readonly result: ResolveResult;
  readonly mode: ViewMode;
  readonly selection: string | null;
}

export interface GraphPaneProps {
  readonly model: NetworkModel;
  readonly result: ResolveResult;
  readonly mode: ViewMode;
  readonly theme: Theme;
  readonly selectedSourceId: string | null;
  readonly changedSourceIds: ReadonlySet<string>;
  /** Lower-cased IDs of the selected policy control's violating sources. */
  readonly violatingSourceIds?: ReadonlySet<string>;
  /** The sources the list's filters show (null: no filter): the rest are faded on the graph too. */
  readonly visibleSourceIds?: readonly string[] | null;
  /** Increments on Enter: zoom onto the selected path. */
  readonly focusRequest: number;
  /** Tour mode: animate the highlight hop by hop. */
  readonly animate: boolean;
  readonly onTapNode: (nodeId: string, kind: string) => void;
  readonly onTapBackground: () => void;
  /** The canvas, for exports. */
  readonly onCanvas: (canvas: GraphCanvas | null) => void;
  /** Observed traffic (TrafficPanel.tsx): edge widths and source badges for the drawn graph, and their legend entry. */
  readonly trafficMarks?: ((graph: EgressGraph) => TrafficMarks) | null;
  readonly trafficLegend?: ReactNode;
}

const NO_IDS: ReadonlySet<string> = new Set();

/** Class of the node the keyboard focus is on (arrow keys in the graph); styled in graph/style.ts. */
const KB_FOCUS = 'kb-focus';

/** The sources on the graph (subnets and NICs) in reading order: top to bottom, then left to right. */
function keyboardOrder(cy: Core): string[] {
  return cy.nodes('.k-subnet, .k-nic').not(`.filtered, .${FOCUS_HIDDEN}`).nodes()
    .map((n) => ({ id: n.id(), x: n.position('x'), y: n.position('y') }))
    .sort((a, b) => a.y - b.y || a.x - b.x)
    .map((n) => n.id);
}

const MINIMAP_COLORS: Readonly<Record<Theme, { node: string; path: string; viewport: string }>> = {
  light: { node: '#9aa6b4', path: '#2c6bd6', viewport: '#1d2530' },
  dark: { node: '#5b6676', path: '#6c9ef8', viewport: '#e3e8ee' },
};

export function GraphPane(props: GraphPaneProps) {
  const { model, result, mode, theme, selectedSourceId, changedSourceIds, focusRequest, animate, onCanvas } = props;
  const violatingSourceIds = props.violatingSourceIds ?? NO_IDS;
  const visibleList = props.visibleSourceIds ?? null;
  const visibleSet = useMemo(() => (visibleList === null ? null : new Set(visibleList.map((id) => id.toLowerCase()))), [visibleList]);
  /** False when the fit / path zoom shows a readable window of the graph, not all of it. */
  const [wholeInView, setWholeInView] = useState(true);
  const [filteredCount, setFilteredCount] = useState(0);
  /** How the selected path is drawn: whole in the layout, in the path view, or as a window onto it in the estate. */
  const [pathLayout, setPathLayout] = useState<PathLayoutMode>('fits');
  /** The source whose path the user asked to see in the estate layout ("Show in estate"); any other selection gets the path view. */
  const [estateFor, setEstateFor] = useState<string | null>(null);
  const inEstate = selectedSourceId !== null && estateFor === selectedSourceId;
  const containerRef = useRef<HTMLDivElement>(null);
  const minimapRef = useRef<HTMLCanvasElement>(null);
  const canvasRef = useRef<GraphCanvas | null>(null);
  const themeRef = useRef(theme);
  const handlers = useRef({ onTapNode: props.onTapNode, onTapBackground: props.onTapBackground });
  const [drawnState, setDrawn] = useState<Drawn | null>(null);
  const [layoutError, setLayoutError] = useState<string | null>(null);
  const [legendOpen, setLegendOpen] = useState(true);
  /** The source the arrow keys are on (not yet selected: Enter selects it), and its name for screen readers. */
  const kbFocusRef = useRef<string | null>(null);
  const [kbAnnouncement, setKbAnnouncement] = useState('');
  // The legend is a strip under the drawing area (never over the graph): the canvas ends above it.
  const legendRef = useRef<HTMLDivElement>(null);
  const [legendHeight, setLegendHeight] = useState(0);
  // What was drawn for this very result and mode (a stale drawing is still shown while laying out).
  const current = drawnState !== null && drawnState.result === result && drawnState.mode === mode ? drawnState : null;
  const drawn = drawnState?.graph ?? null;
  // A selection changes the graph only when the base view is the overview (then: path-only view).
  const baseView = current?.baseView ?? (mode === 'overview' ? 'overview' : mode === 'full' ? 'full' : null);
  const graphSelection = baseView === 'overview' ? selectedSourceId : null;
  const layingOut = layoutError === null
    && !(drawnState !== null && drawnState.result === result && drawnState.mode === mode && drawnState.selection === graphSelection);

  useEffect(() => {
    handlers.current = { onTapNode: props.onTapNode, onTapBackground: props.onTapBackground };
  }, [props.onTapNode, props.onTapBackground]);

  // One cytoscape instance for the pane's lifetime.
  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    let frame = 0;
    const canvas = new GraphCanvas(container, theme, {
      onTapNode: (id, kind) => handlers.current.onTapNode(id, kind),
      onTapBackground: () => handlers.current.onTapBackground(),
      onViewport: () => {
        cancelAnimationFrame(frame);
        frame = requestAnimationFrame(() => {
          if (minimapRef.current) drawMinimap(minimapRef.current, canvas.cy, MINIMAP_COLORS[themeRef.current]);
        });
      },
    });
    canvasRef.current = canvas;
    canvas.onWholeInView(setWholeInView);
    canvas.onPathLayout(setPathLayout);
    testHook.cy = canvas.cy;
    onCanvas(canvas);
    return () => {
      cancelAnimationFrame(frame);
      onCanvas(null);
      testHook.cy = null;
      canvasRef.current = null;
      canvas.destroy();
    };
    // The instance is created once; theme changes are applied by the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    themeRef.current = theme;
    canvasRef.current?.setTheme(theme);
    if (minimapRef.current && canvasRef.current) drawMinimap(minimapRef.current, canvasRef.current.cy, MINIMAP_COLORS[theme]);
  }, [theme]);

  // Build + lay out in the worker, then draw. A newer request makes an older answer stale.
  useEffect(() => {
    let live = true;
    testHook.layingOut = true;
    graphInWorker(model, result, { mode, selectedSourceId: graphSelection }).then((answer) => {
      if (!live) return;
      const canvas = canvasRef.current;
      if (!canvas) return;
      const drawStarted = performance.now();
      canvas.setElements(toCytoscapeElements(answer.graph, answer.layout), answer.layout);
      testHook.timings.lastSetElementsMs = performance.now() - drawStarted;
      testHook.timings.lastWorkerMs = answer.workerMs;
      canvas.cy.one('render', () => {
        testHook.timings.graphRenderedAt = performance.now();
      });
      testHook.layingOut = false;
      testHook.renders += 1;
      setLayoutError(null);
      setDrawn({ graph: answer.graph, baseView: answer.baseView, result, mode, selection: graphSelection });
    }, (e: unknown) => {
      if (!live) return;
      testHook.layingOut = false;
      setLayoutError(e instanceof Error ? e.message : String(e));
    });
    return () => { live = false; };
  }, [model, result, mode, graphSelection]);

  // Compare: mark the changed sources and the edges they use.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || drawn === null) return;
    canvas.markChanged(changedSourceIds, drawn);
  }, [changedSourceIds, drawn]);

  // Policy control: mark its violating sources and the edges they use.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || drawn === null) return;
    canvas.markViolating(violatingSourceIds, drawn);
  }, [violatingSourceIds, drawn]);

  // Observed traffic: edge widths and badges, redrawn with every new graph (setElements replaces them).
  const trafficMarksFor = props.trafficMarks ?? null;
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || drawn === null) return;
    applyTrafficMarks(canvas.cy, trafficMarksFor === null ? null : trafficMarksFor(drawn), drawn);
  }, [trafficMarksFor, drawn]);

  // The legend strip sets the drawing area's bottom: resize (and refit an untouched fit) when it changes.
  useEffect(() => {
    canvasRef.current?.resized();
  }, [legendHeight]);

  // The list's filters: what they hide is faded on the graph as well.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || drawn === null) return;
    setFilteredCount(canvas.markFiltered(visibleSet, drawn));
  }, [visibleSet, drawn]);

  useEffect(() => {
    const legend = legendRef.current;
    if (!legendOpen || !legend) { setLegendHeight(0); return; }
    const observer = new ResizeObserver(() => setLegendHeight(legend.offsetHeight));
    observer.observe(legend);
    setLegendHeight(legend.offsetHeight);
    return () => observer.disconnect();
  }, [legendOpen]);

  // Selection → highlight (or the tour's hop-by-hop animation).
  // The graph drawn for the current selection (in the overview, a selection draws a new path-only graph).
  const drawnForSelection = drawnState !== null && drawnState.selection === graphSelection;
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || drawn === null) return;
    const started = performance.now();
    if (selectedSourceId === null) {
      canvas.highlight(null);
      canvas.setHopNumbers(new Map());
      // Esc / clear: back to the whole graph, in its own layout ("Esc for the overview").
      const wasPathView = canvas.exitPathView();
      if (drawnForSelection || wasPathView) canvas.fit();
    } else {
      const path = pathElementIds(drawn, selectedSourceId);
      // Hop numbers first: they widen the numbered boxes, which the path view lays out.
      canvas.setHopNumbers(pathHopNumbers(drawn, result, selectedSourceId));
      if (animate) canvas.animatePath(path, selectedSourceId, undefined, inEstate);
      else canvas.highlight(path);
      const done = performance.now();
      // Every selection fits its path, whatever the zoom before (the tour's animation fits by itself):
      // whole in the layout drawn, else in the path view (only the path, laid out to fit the pane).
      // Not on a stale graph: in the overview the path's own graph is on its way and is fitted when it lands.
      if (!animate && drawnForSelection) canvas.focus(path, selectedSourceId, inEstate);
      testHook.timings.lastHighlightBatchMs = done - started;
      const selectedAt = testHook.timings.selectedAt;
      testHook.timings.lastHighlightMs = selectedAt === null ? null : done - selectedAt;
      testHook.timings.lastHighlightSourceId = selectedSourceId;
    }
    // The minimap shows the path too; redraw it after this frame, off the selection's critical path.
    const frame = requestAnimationFrame(() => {
      if (minimapRef.current) drawMinimap(minimapRef.current, canvas.cy, MINIMAP_COLORS[themeRef.current]);
    });
    return () => cancelAnimationFrame(frame);
    // `result` is read for the hop numbers; a new result redraws the graph (`drawn`) anyway.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selectedSourceId, drawn, animate, drawnForSelection, inEstate]);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || drawn === null || focusRequest === 0 || selectedSourceId === null) return;
    canvas.focus(pathElementIds(drawn, selectedSourceId), selectedSourceId, inEstate);
    // Only a new Enter press should zoom, not every selection change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focusRequest]);

  // Keyboard: arrow keys move between the sources on the graph (reading order), Enter selects the
  // one the focus is on (as a click would: the details pane explains it).
  const onGraphKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const cy = canvas.cy;
    const step = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 0;
    if (step !== 0) {
      e.preventDefault();
      // The arrow keys browse the sources of the whole graph: leave the path view (only the selected
      // path) for the graph's own layout, the path still highlighted; Enter then shows the new path.
      if (canvas.exitPathView()) setPathLayout('estate-window');
      const ids = keyboardOrder(cy);
      if (ids.length === 0) return;
      let at = kbFocusRef.current === null ? -1 : ids.indexOf(kbFocusRef.current);
      if (at < 0 && selectedSourceId !== null) at = ids.indexOf(selectedSourceId);
      const next = ids[at < 0 ? (step > 0 ? 0 : ids.length - 1) : (at + step + ids.length) % ids.length] ?? null;
      if (next === null) return;
      cy.$(`.${KB_FOCUS}`).removeClass(KB_FOCUS);
      const node = cy.getElementById(next);
      node.addClass(KB_FOCUS);
      kbFocusRef.current = next;
      // Keep it in view without changing the zoom.
      const box = node.renderedBoundingBox();
      if (box.x1 < 0 || box.y1 < 0 || box.x2 > cy.width() || box.y2 > cy.height()) cy.center(node);
      setKbAnnouncement(`${String(node.data('label') ?? next)}, ${ids.indexOf(next) + 1} of ${ids.length}. Enter shows its path.`);
    } else if (e.key === 'Enter' && kbFocusRef.current !== null) {
      const node = cy.getElementById(kbFocusRef.current);
      if (node.empty()) return;
      e.preventDefault();
      handlers.current.onTapNode(node.id(), String(node.data('kind')));
    }
  };

  // The legend explains the encodings this graph uses (not every one there is).
  const legendEncodings = useMemo(() => (drawn === null ? [] : graphEncodings(drawn)), [drawn]);

  return (
    <section className="graph-pane" aria-label="Egress graph">
      <div className="graph-canvas" ref={containerRef} data-testid="graph" tabIndex={0} role="application"
        aria-label="Egress graph. Arrow keys move between sources, Enter shows the path of the focused one."
        aria-roledescription="graph" onKeyDown={onGraphKeyDown}
        onBlur={() => { canvasRef.current?.cy.$(`.${KB_FOCUS}`).removeClass(KB_FOCUS); kbFocusRef.current = null; }} style={{ bottom: legendHeight }} />
      <div className="sr-only" aria-live="polite" data-testid="graph-announcement">{kbAnnouncement}</div>
      {layingOut ? <div className="graph-overlay" role="status" data-testid="laying-out"><span className="laying-out">Laying out…</span></div> : null}
      {layoutError !== null ? <div className="graph-overlay" role="alert">Layout failed: {layoutError}</div> : null}
      {drawn ? (
        <div className="view-label" data-testid="view-label">
          {selectedSourceId !== null && pathLayout === 'path-view' && drawn.view.kind !== 'path' ? 'Path view · Esc for the whole graph' : viewLabel(drawn.view)}
          {wholeInView ? null : <span data-testid="partial-view"> · part of it, at a readable size (drag, or use the map)</span>}
          {visibleSet !== null && filteredCount > 0 ? <span data-testid="graph-filtered"> · list filter applied</span> : null}
        </div>
      ) : null}
      <div className="graph-tools">
        {selectedSourceId !== null && pathLayout !== 'fits' ? (
          // The path did not fit readable in the estate layout: the path view is the default, the estate one click away.
          <div className="segmented" role="group" aria-label="Selected path layout" data-testid="path-layout-toggle">
            <button type="button" className="btn small" aria-pressed={pathLayout === 'path-view'} data-testid="path-view"
              title="Only the selected path, laid out to fit the pane" onClick={() => setEstateFor(null)}>Path view</button>
            <button type="button" className="btn small" aria-pressed={pathLayout === 'estate-window'} data-testid="show-in-estate"
              title="The path highlighted in the graph's own layout (part of it in view, at a readable size)" onClick={() => setEstateFor(selectedSourceId)}>
              {/* The overview's path-only graph is not the estate: say what the other layout is. */}
              {drawn?.view.kind === 'path' ? 'Left to right' : 'Show in estate'}
            </button>
          </div>
        ) : null}
        <button type="button" className="btn small" aria-pressed={legendOpen} onClick={() => setLegendOpen(!legendOpen)}>Legend</button>
        <button type="button" className="btn small" onClick={() => canvasRef.current?.fit()} title="Zoom to fit" data-testid="fit">Fit</button>
      </div>
      {legendOpen ? (
        <div className="legend" aria-label="Legend" ref={legendRef} data-testid="legend"
          style={{ left: 0, right: 0, bottom: 0, borderRadius: 0, boxShadow: 'none', borderWidth: '1px 0 0', display: 'flex', flexWrap: 'wrap', gap: '3px 14px' }}>
          {legendEncodings.map((k) => {
            const e = SOURCE_ENCODINGS[k];
            return (
              <span key={k} data-testid="legend-encoding" data-encoding={k}>
                <b className="legend-source" style={{ borderColor: verdictColors(theme)[e.tone], borderStyle: e.border }} aria-hidden="true">{e.glyph}</b>{e.text}
              </span>
            );
          })}
          {props.trafficLegend}
          {drawn !== null && drawn.edges.some((e) => e.bypassed === true) ? (
            <span data-testid="legend-bypassed"><b className="legend-source" style={{ borderColor: KIND_LOOK['nat-gateway'].color, borderStyle: 'dashed' }} aria-hidden="true">&nbsp;</b>{BYPASSED_NAT_LEGEND}</span>
          ) : null}
          {selectedSourceId !== null ? <span data-testid="legend-hops"><b className="legend-glyph" aria-hidden="true">1.</b>Step number of the explanation (e.g. "4,5." = steps 4 and 5)</span> : null}
          {legendKinds(drawn).map((k) => (
            <span key={k} data-testid="legend-kind" data-kind={k}><i style={{ background: KIND_LOOK[k].color }} />{KIND_LOOK[k].label}</span>
          ))}
        </div>
      ) : null}
      {/* Not in the path view: the whole path is in view, and the map would cover its last hops. */}
      <canvas className="minimap" ref={minimapRef} aria-label="Overview map" data-testid="minimap"
        style={{ bottom: legendHeight + 10, ...(selectedSourceId !== null && pathLayout === 'path-view' ? { display: 'none' } : {}) }}
        onClick={(e) => {
          const canvas = canvasRef.current;
          if (canvas && minimapRef.current) panFromMinimap(minimapRef.current, canvas.cy, e.nativeEvent.offsetX, e.nativeEvent.offsetY);
        }} />
    </section>
  );
}

/** The selected path's hop numbers on the drawn graph: the explanation's step numbers (DetailsPanel). */
function pathHopNumbers(graph: EgressGraph, result: ResolveResult, sourceId: string): ReadonlyMap<string, readonly number[]> {
  const wanted = sourceId.toLowerCase();
  const path = result.paths.find((p) => p.source.id.toLowerCase() === wanted);
  if (!path) return new Map();
  // Not the nodes this path only bypasses (its attached NAT gateway a route overrides), even when another path uses them.
  const elements = pathElementIds(graph, sourceId);
  const bypassed = new Set(elements.bypassedNodeIds ?? []);
  const onPath = new Set(elements.nodeIds.filter((id) => !bypassed.has(id)));
  const nodes: NumberableNode[] = graph.nodes.filter((n) => onPath.has(n.id)).map((n) => ({ id: n.id, kind: n.kind, resourceId: n.resourceId }));
  return hopNumbers(explainPath(path), nodes);
}

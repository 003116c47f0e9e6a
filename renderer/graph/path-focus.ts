/**
 * The path-focus layout: a selected path that does not fit the pane at a readable zoom in the
 * estate's left-to-right layout is drawn on its own, compactly: left to right (one column per hop
 * distance from the source, the estate's reading direction) when that is readable, else top to
 * bottom (one row per hop distance), wrapped into side-by-side columns when that fits the pane
 * better. Pure geometry, deterministic, no cytoscape (unit-tested in node); canvas.ts moves the
 * path's nodes there and hides the rest.
 */

export interface FocusNode {
  readonly id: string;
  /** The drawn box, model units (labels sit inside it). */
  readonly width: number;
  readonly height: number;
}

export interface FocusEdge {
  readonly source: string;
  readonly target: string;
}

export interface PathFocusLayout {
  /** Node centres, model units; every node of the input has one. */
  readonly positions: ReadonlyMap<string, { readonly x: number; readonly y: number }>;
  /** Extent of the boxes: all lie in [0, width] × [0, height]. */
  readonly width: number;
  readonly height: number;
  /** `right`: one column per hop distance; `down`: one row per hop distance, in `columns` columns. */
  readonly direction: 'right' | 'down';
  readonly columns: number;
  /** The zoom at which this layout fills the pane (before any zoom cap). */
  readonly fitZoom: number;
}

/** The zooms the pane will draw at: labels are hidden below `min`, and a short path is not blown up past `max`. */
export interface ZoomLimits {
  readonly min: number;
  readonly max: number;
}

export interface PathFocusOptions {
  /** Between nodes of one row. */
  readonly nodeGap: number;
  /** Between rows: room for the edge and its arrow. */
  readonly rowGap: number;
  /** Between wrapped columns. */
  readonly columnGap: number;
}

export const PATH_FOCUS_OPTIONS: PathFocusOptions = { nodeGap: 28, rowGap: 40, columnGap: 64 };

/**
 * Rows of the path: breadth-first distance from the source along the path's edges (a bypassed NAT
 * gateway shares the row of the hop the route took instead); nodes the source does not reach go
 * in a last row. Within a row, the input order (the graph's, already sorted) is kept.
 */
export function pathRows(nodes: readonly FocusNode[], edges: readonly FocusEdge[], sourceId: string): readonly (readonly FocusNode[])[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const depth = new Map<string, number>();
  if (byId.has(sourceId)) depth.set(sourceId, 0);
  let frontier = byId.has(sourceId) ? [sourceId] : [];
  for (let d = 1; frontier.length > 0; d++) {
    const from = new Set(frontier);
    const next: string[] = [];
    for (const e of edges) {
      if (!from.has(e.source) || depth.has(e.target) || !byId.has(e.target)) continue;
      depth.set(e.target, d);
      next.push(e.target);
    }
    frontier = next;
  }
  const rows: FocusNode[][] = [];
  const unreached: FocusNode[] = [];
  for (const n of nodes) {
    const d = depth.get(n.id);
    if (d === undefined) { unreached.push(n); continue; }
    (rows[d] ??= []).push(n);
  }
  const out = rows.filter((r) => r !== undefined && r.length > 0);
  if (unreached.length > 0) out.push(unreached);
  return out;
}

interface RowBox { readonly nodes: readonly FocusNode[]; readonly width: number; readonly height: number }

function rowBox(nodes: readonly FocusNode[], gap: number): RowBox {
  return {
    nodes,
    width: nodes.reduce((s, n) => s + n.width, 0) + gap * Math.max(0, nodes.length - 1),
    height: nodes.reduce((m, n) => Math.max(m, n.height), 0),
  };
}

/** Rows split into `columns` consecutive runs (reading order: down the first column, then the next). */
function columnsOf(rows: readonly RowBox[], columns: number): readonly (readonly RowBox[])[] {
  const per = Math.ceil(rows.length / columns);
  const out: RowBox[][] = [];
  for (let i = 0; i < rows.length; i += per) out.push(rows.slice(i, i + per));
  return out;
}

function place(rows: readonly RowBox[], columns: number, o: PathFocusOptions): PathFocusLayout {
  const cols = columnsOf(rows, columns);
  const positions = new Map<string, { x: number; y: number }>();
  let x = 0;
  let height = 0;
  for (const col of cols) {
    const colWidth = col.reduce((m, r) => Math.max(m, r.width), 0);
    let y = 0;
    for (const row of col) {
      // Each row centred in its column, its nodes centred on the row's midline.
      let nx = x + (colWidth - row.width) / 2;
      for (const n of row.nodes) {
        positions.set(n.id, { x: nx + n.width / 2, y: y + row.height / 2 });
        nx += n.width + o.nodeGap;
      }
      y += row.height + o.rowGap;
    }
    height = Math.max(height, y - o.rowGap);
    x += colWidth + o.columnGap;
  }
  const width = Math.max(0, x - o.columnGap);
  return { positions, width, height, direction: 'down', columns: cols.length, fitZoom: 0 };
}

/** Left to right: each row of pathRows becomes a column, its nodes stacked and centred. */
function placeRight(rows: readonly (readonly FocusNode[])[], o: PathFocusOptions): PathFocusLayout {
  const positions = new Map<string, { x: number; y: number }>();
  const heights = rows.map((r) => r.reduce((s, n) => s + n.height, 0) + o.nodeGap * Math.max(0, r.length - 1));
  const height = Math.max(0, ...heights);
  let x = 0;
  rows.forEach((row, i) => {
    const colWidth = row.reduce((m, n) => Math.max(m, n.width), 0);
    let y = (height - (heights[i] ?? 0)) / 2;
    for (const n of row) {
      positions.set(n.id, { x: x + colWidth / 2, y: y + n.height / 2 });
      y += n.height + o.nodeGap;
    }
    x += colWidth + o.columnGap;
  });
  return { positions, width: Math.max(0, x - o.columnGap), height, direction: 'right', columns: rows.length, fitZoom: 0 };
}

/**
 * Which of two layouts draws the path better: readable first (fits at `min` or more), then the
 * one that fills more of the pane at the zoom it gets (capped at `max`: a 3-hop column blown up to
 * the cap still leaves half the pane empty), then the larger zoom. Ties keep `a` (the earlier,
 * plainer candidate).
 */
function better(a: PathFocusLayout, b: PathFocusLayout, zoom: ZoomLimits): PathFocusLayout {
  const readable = (l: PathFocusLayout) => l.fitZoom >= zoom.min - 1e-9;
  if (readable(a) !== readable(b)) return readable(a) ? a : b;
  const shown = (l: PathFocusLayout) => Math.min(l.fitZoom, zoom.max);
  const fill = (l: PathFocusLayout) => shown(l) / Math.max(l.fitZoom, 1e-9);
  if (Math.abs(fill(a) - fill(b)) > 1e-6) return fill(a) > fill(b) ? a : b;
  return shown(b) > shown(a) + 1e-9 ? b : a;
}

/**
 * Lays the path out to fill a `pane.width` × `pane.height` area (model units at zoom 1 = CSS px):
 * left to right or top to bottom in one column, whichever `better` picks among the readable ones;
 * wrapped into 2, 3, … columns only when neither is readable. O(rows²) for a path of a few tens of
 * nodes: microseconds.
 */
export function pathFocusLayout(
  nodes: readonly FocusNode[], edges: readonly FocusEdge[], sourceId: string,
  pane: { readonly width: number; readonly height: number }, zoom: ZoomLimits, options: PathFocusOptions = PATH_FOCUS_OPTIONS,
): PathFocusLayout {
  const plain = pathRows(nodes, edges, sourceId);
  const rows = plain.map((r) => rowBox(r, options.nodeGap));
  const fitted = (l: PathFocusLayout): PathFocusLayout => ({ ...l, fitZoom: Math.min(pane.width / Math.max(1, l.width), pane.height / Math.max(1, l.height)) });
  // Unwrapped first: a straight line (left to right, or one column) reads best; wrapping (an edge
  // jumping from the bottom of one column to the top of the next) only when neither is readable.
  const straight = [placeRight(plain, options), place(rows, 1, options)].map(fitted);
  const wrapped: PathFocusLayout[] = [];
  for (let c = 2; c <= rows.length; c++) {
    // Only distinct wrappings: 5 rows in 4 columns is the same as in 3 (2 + 2 + 1).
    if (Math.ceil(rows.length / c) === Math.ceil(rows.length / (c - 1))) continue;
    wrapped.push(fitted(place(rows, c, options)));
  }
  const readable = straight.filter((l) => l.fitZoom >= zoom.min - 1e-9);
  const pool = readable.length > 0 ? readable : [...straight, ...wrapped];
  let best: PathFocusLayout | null = null;
  for (const laid of pool) best = best === null ? laid : better(best, laid, zoom);
  return best ?? { positions: new Map(), width: 0, height: 0, direction: 'down', columns: 0, fitZoom: 1 };
}

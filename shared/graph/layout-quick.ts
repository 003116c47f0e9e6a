/**
 * A cheap synchronous layered layout, O((nodes + edges) · log): for graphs too big for ELK, and for
 * fast tests. Same output shape as `layoutEgressGraph`; edges are orthogonal polylines through the
 * free channels the packing leaves (see `routeEdge`), so no edge runs through a node box.
 *
 * Layering works on "units": a VNet compound (with all its children) or a top-level leaf. Units get
 * a longest-path layer from the sources (sinks alone in the last layer); children get a layer of
 * their own inside their compound. Each layer is a block of sub-columns: a big layer (2,000 spoke
 * VNets) wraps into a grid instead of one 100,000 px column. The column height is chosen so the
 * whole picture comes out near 16:10, which is what zoom-to-fit and a PDF page can show. Blocks
 * sit left → right, so every unit of layer k lies right of every unit of layer k − 1.
 * Within a layer, units are ordered by subscription, then name, with a wider gap where the
 * subscription changes, so each landing zone reads as a group.
 */
import type { EdgeRoute, GraphLayout, LayoutOptions, NodeBox, Point } from './layout-types';
import type { ResolvedLayoutOptions } from './node-sizes';
import { COMPOUND_PADDING, compoundMinWidth, compoundTopPadding, leafSize, resolveLayoutOptions, round2, textLines } from './node-sizes';
import { GRAPH_FONT_FAMILY } from './text-width';
import type { EgressGraph, GraphNode } from './types';

const MARGIN = 16;
/** Between layers when no layer wraps (the same spacing ELK uses). */
const COLUMN_GAP = 48;
/** Between layers when one of them wraps: room for the fan of edges leaving a grid. */
const WRAPPED_COLUMN_GAP = 120;
/** Between the sub-columns of one wrapped layer. */
const SUBCOLUMN_GAP = 24;
const ROW_GAP = 16;
/** Vertical gap where the subscription changes inside a sub-column. */
const SUBSCRIPTION_GAP = 40;
/** Width / height the wrapped picture aims at (a 16:10 screen). */
const TARGET_ASPECT = 1.6;
/** Inside a compound, a layer with up to this many children stays one column. */
const MIN_INNER_ROWS = 8;
const SINK_KINDS: ReadonlySet<GraphNode['kind']> = new Set<GraphNode['kind']>(['internet', 'private', 'on-premises', 'dropped', 'unknown']);

interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** A child's box relative to its compound's top-left corner. */
interface Offset {
  readonly id: string;
  readonly dx: number;
  readonly dy: number;
  readonly width: number;
  readonly height: number;
  /** Index of the compound's inner column the child sits in. */
  readonly column: number;
}

/** What the outer grid places: a compound with its children, or a top-level leaf. */
interface Unit {
  readonly node: GraphNode;
  readonly subscription: string;
  readonly width: number;
  readonly height: number;
  readonly children: readonly Offset[];
  /**
   * Compounds only: x (relative) of the free vertical strip left of inner column i (index i) and
   * right of the last one (index = column count), and y (relative) of the free band under all
   * children (inside the bottom padding).
   */
  readonly channels: readonly number[];
  readonly bandDy: number;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Lower-cased subscription GUID from an ARM ID; '' for pseudo-nodes (sinks, `public-ip:…`). */
function subscriptionOf(id: string): string {
  const match = /^\/subscriptions\/([^/]+)/i.exec(id);
  return match?.[1]?.toLowerCase() ?? '';
}

function byName(a: GraphNode, b: GraphNode): number {
  return compareText(a.label, b.label) || compareText(a.id, b.id);
}

/**
 * Longest-path layer per ID; edges closing a cycle (route loops) are ignored, found by a DFS in ID
 * order. `outgoing` holds each ID's targets, all within `ids`.
 */
function longestPathLayers(ids: readonly string[], outgoing: ReadonlyMap<string, readonly string[]>): Map<string, number> {
  const state = new Map<string, 'open' | 'done'>();
  const order: string[] = [];
  const forward = new Map<string, string[]>();
  // Iterative DFS: post-order gives a reverse topological order of the acyclic part.
  for (const root of [...ids].sort(compareText)) {
    if (state.has(root)) continue;
    const stack: { id: string; next: number }[] = [{ id: root, next: 0 }];
    state.set(root, 'open');
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top === undefined) break;
      const targets = outgoing.get(top.id) ?? [];
      const target = targets[top.next];
      top.next += 1;
      if (target === undefined) {
        state.set(top.id, 'done');
        order.push(top.id);
        stack.pop();
        continue;
      }
      const seen = state.get(target);
      if (seen === 'open') continue; // back edge: a loop, drop it for layering
      pushTo(forward, top.id, target);
      if (seen === undefined) {
        state.set(target, 'open');
        stack.push({ id: target, next: 0 });
      }
    }
  }
  const layer = new Map<string, number>();
  for (const id of order.reverse()) {
    const own = layer.get(id) ?? 0;
    layer.set(id, own);
    for (const target of forward.get(id) ?? []) layer.set(target, Math.max(layer.get(target) ?? 0, own + 1));
  }
  return layer;
}

/** Adds `source → target` once. */
function addLink(outgoing: Map<string, string[]>, seen: Set<string>, source: string, target: string): void {
  if (source === target) return;
  const key = `${source}\n${target}`;
  if (seen.has(key)) return;
  seen.add(key);
  pushTo(outgoing, source, target);
}

/** Rows per sub-column inside a compound: roughly square blocks (leaves are ~4× wider than tall). */
function innerRowCap(count: number): number {
  return Math.max(MIN_INNER_ROWS, Math.ceil(Math.sqrt(count * 3)));
}

/** Lays a compound's children out in their own little layers; returns the compound unit. */
function compoundUnit(compound: GraphNode, children: readonly GraphNode[], outgoing: ReadonlyMap<string, readonly string[]>, o: ResolvedLayoutOptions): Unit {
  const layers = longestPathLayers(children.map((c) => c.id), outgoing);
  const byLayer = new Map<number, GraphNode[]>();
  for (const child of children) pushTo(byLayer, layers.get(child.id) ?? 0, child);
  const top = compoundTopPadding(o);
  const offsets: Offset[] = [];
  let x = COMPOUND_PADDING;
  let bottom = top;
  const channels: number[] = [COMPOUND_PADDING / 2];
  let previousRight: number | null = null;
  for (const layer of [...byLayer.keys()].sort((a, b) => a - b)) {
    const members = (byLayer.get(layer) ?? []).sort(byName);
    const cap = innerRowCap(members.length);
    for (let start = 0; start < members.length; start += cap) {
      const column = members.slice(start, start + cap).map((node) => ({ node, ...leafSize(node, o) }));
      const width = column.reduce((max, c) => Math.max(max, c.width), 0);
      if (previousRight !== null) channels.push((previousRight + x) / 2);
      previousRight = x + width;
      const index = channels.length - 1;
      let y = top;
      for (const c of column) {
        offsets.push({ id: c.node.id, dx: x + (width - c.width) / 2, dy: y, width: c.width, height: c.height, column: index });
        y += c.height + ROW_GAP;
      }
      bottom = Math.max(bottom, y - ROW_GAP);
      x += width + SUBCOLUMN_GAP;
    }
    x += COLUMN_GAP - SUBCOLUMN_GAP;
  }
  const contentRight = x - COLUMN_GAP;
  channels.push(contentRight + COMPOUND_PADDING / 2);
  return {
    node: compound,
    subscription: subscriptionOf(compound.id),
    width: Math.max(contentRight + COMPOUND_PADDING, compoundMinWidth(compound, o)),
    height: bottom + COMPOUND_PADDING,
    children: offsets,
    channels,
    bandDy: bottom + COMPOUND_PADDING / 2,
  };
}

/** One sub-column of a layer: its units with their y relative to the column top. */
interface SubColumn {
  readonly units: readonly { readonly unit: Unit; readonly dy: number }[];
  readonly width: number;
  readonly height: number;
}

/** Height of each run of same-subscription units, keyed by the run's first unit. */
function subscriptionRuns(units: readonly Unit[]): Map<Unit, number> {
  const runs = new Map<Unit, number>();
  let first: Unit | null = null;
  let height = 0;
  for (const unit of units) {
    if (first !== null && first.subscription === unit.subscription) {
      height += ROW_GAP + unit.height;
    } else {
      if (first !== null) runs.set(first, height);
      [first, height] = [unit, unit.height];
    }
  }
  if (first !== null) runs.set(first, height);
  return runs;
}

/**
 * Fills sub-columns top to bottom, starting a new one when the next unit would pass `maxHeight`,
 * or when a subscription that fits in one sub-column would otherwise be split over two.
 */
function wrapLayer(units: readonly Unit[], runs: ReadonlyMap<Unit, number>, maxHeight: number): SubColumn[] {
  const columns: SubColumn[] = [];
  let current: { unit: Unit; dy: number }[] = [];
  let width = 0;
  let y = 0;
  let previous: Unit | null = null;
  for (const unit of units) {
    const gap = previous === null ? 0 : previous.subscription === unit.subscription ? ROW_GAP : SUBSCRIPTION_GAP;
    const run = runs.get(unit);
    const keepTogether = run !== undefined && run <= maxHeight && y + gap + run > maxHeight;
    if (current.length > 0 && (keepTogether || y + gap + unit.height > maxHeight)) {
      columns.push({ units: current, width, height: y });
      [current, width, y] = [[], 0, 0];
    }
    const dy = current.length === 0 ? 0 : y + gap;
    current.push({ unit, dy });
    width = Math.max(width, unit.width);
    y = dy + unit.height;
    previous = unit;
  }
  if (current.length > 0) columns.push({ units: current, width, height: y });
  return columns;
}

interface Packing {
  readonly layers: readonly SubColumn[][];
  readonly width: number;
  readonly height: number;
}

function layerGap(left: readonly SubColumn[], right: readonly SubColumn[]): number {
  return left.length > 1 || right.length > 1 ? WRAPPED_COLUMN_GAP : COLUMN_GAP;
}

/** The whole picture's size (margins included) when no sub-column may be taller than `maxHeight`. */
function pack(layers: readonly (readonly Unit[])[], runs: ReadonlyMap<Unit, number>, maxHeight: number): Packing {
  const wrapped = layers.map((units) => wrapLayer(units, runs, maxHeight));
  let width = 0;
  let height = 0;
  wrapped.forEach((columns, i) => {
    const previous = wrapped[i - 1];
    if (previous !== undefined) width += layerGap(previous, columns);
    columns.forEach((c, j) => {
      width += c.width + (j > 0 ? SUBCOLUMN_GAP : 0);
      height = Math.max(height, c.height);
    });
  });
  return { layers: wrapped, width: width + 2 * MARGIN, height: height + 2 * MARGIN };
}

/**
 * The smallest column height whose picture is no wider than 16:10, found by bisection (the width
 * only shrinks as columns grow taller). A graph that is wide even with one column per layer keeps
 * one column per layer.
 */
function packNearAspect(layers: readonly (readonly Unit[])[]): Packing {
  const all = layers.flat();
  if (all.length === 0) return { layers: [], width: 2 * MARGIN, height: 2 * MARGIN };
  const tallest = all.reduce((max, u) => Math.max(max, u.height), 0);
  const single = layers.reduce((max, units) => Math.max(max, units.reduce((sum, u) => sum + u.height + SUBSCRIPTION_GAP, 0)), 0);
  const runs = new Map(layers.flatMap((units) => [...subscriptionRuns(units)]));
  const fits = (p: Packing): boolean => p.width <= TARGET_ASPECT * p.height;
  const unwrapped = pack(layers, runs, single);
  if (!fits(unwrapped)) return unwrapped;
  let [low, high] = [tallest, single];
  let best = unwrapped;
  // 1 px is finer than anything visible; at most ~25 rounds for a 10,000,000 px column.
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    const candidate = pack(layers, runs, middle);
    if (fits(candidate)) {
      [high, best] = [middle, candidate];
    } else {
      low = middle;
    }
  }
  return best;
}

/** Where a node sits for routing: its unit's global sub-column, and for a compound's child, the compound's inner grid. */
interface Placed {
  readonly column: number;
  readonly compound: {
    readonly id: string;
    /** The child's inner column. */
    readonly column: number;
    readonly columns: number;
    /** Absolute x of the free strip left of inner column i; the last one is right of all. */
    readonly channels: readonly number[];
    /** Absolute y of the free band under the compound's children. */
    readonly bandY: number;
  } | null;
}

/** The picture's free corridors: vertical strips between sub-columns, the margin bands above and below everything. */
interface Grid {
  readonly channels: readonly number[];
  readonly top: number;
  readonly bottom: number;
  /** Whether a horizontal line at `y` crosses global sub-column `column` clear of its units. */
  readonly clear: (column: number, y: number) => boolean;
}

/** Space kept between a horizontal run and a unit it passes (less than half the smallest row gap). */
const RUN_CLEARANCE = 3;
/** A run straight across at most this many sub-columns is tried before the margin band (keeps routing O(edges · log)). */
const MAX_STRAIGHT_COLUMNS = 64;

/** Units of one sub-column, top to bottom (they never overlap), as parallel lists of tops and bottoms. */
interface Stack {
  readonly tops: number[];
  readonly bottoms: number[];
}

/** Binary search: is `y` at least RUN_CLEARANCE away from every unit in the stack? */
function stackClear(stack: Stack | undefined, y: number): boolean {
  if (stack === undefined) return true;
  let [low, high] = [0, stack.tops.length - 1];
  let candidate = -1; // the last unit whose top is at or above y + clearance
  while (low <= high) {
    const middle = (low + high) >> 1;
    if ((stack.tops[middle] ?? Infinity) <= y + RUN_CLEARANCE) [candidate, low] = [middle, middle + 1];
    else high = middle - 1;
  }
  return candidate < 0 || (stack.bottoms[candidate] ?? -Infinity) < y - RUN_CLEARANCE;
}

/** Can a horizontal run at `y` cross sub-columns first..last (inclusive)? */
function runClear(grid: Grid, first: number, last: number, y: number): boolean {
  if (last - first + 1 > MAX_STRAIGHT_COLUMNS) return false;
  for (let c = first; c <= last; c++) if (!grid.clear(c, y)) return false;
  return true;
}

function at(list: readonly number[], index: number): number {
  const value = list[index];
  if (value === undefined) throw new Error(`quick layout: no routing channel ${index}`);
  return value;
}

/**
 * An orthogonal route from the source's right border to the target's left border that only uses
 * space the packing keeps free of leaf boxes:
 * - the strip between two inner columns of a compound and the band under its children (children
 *   of one compound stay inside it; a child leaves through that band unless it is in the last
 *   inner column, whose right padding is free, and enters the same way);
 * - the strip between two global sub-columns (sub-columns never overlap in x, units stack without
 *   overlapping in y inside one, so a horizontal line at a unit's own height meets only that unit);
 * - the margin band above or below everything, to cross columns that are not adjacent.
 */
function routeEdge(source: { readonly box: Box; readonly at: Placed }, target: { readonly box: Box; readonly at: Placed }, grid: Grid): Point[] {
  const start = { x: source.box.x + source.box.width, y: source.box.y + source.box.height / 2 };
  const end = { x: target.box.x, y: target.box.y + target.box.height / 2 };
  const inner = source.at.compound;
  const innerTarget = target.at.compound;
  if (inner !== null && innerTarget !== null && inner.id === innerTarget.id) {
    const right = at(inner.channels, inner.column + 1);
    const left = at(innerTarget.channels, innerTarget.column);
    if (inner.column + 1 === innerTarget.column) return [start, { x: right, y: start.y }, { x: right, y: end.y }, end];
    return [start, { x: right, y: start.y }, { x: right, y: inner.bandY }, { x: left, y: inner.bandY }, { x: left, y: end.y }, end];
  }
  // Out of the source's compound (if any) to a point at height `exitY` in the unit's own sub-column.
  const exit: Point[] = [start];
  let exitY = start.y;
  if (inner !== null && inner.column + 1 < inner.columns) {
    const right = at(inner.channels, inner.column + 1);
    exit.push({ x: right, y: start.y }, { x: right, y: inner.bandY });
    exitY = inner.bandY;
  }
  const entry: Point[] = [end];
  let entryY = end.y;
  if (innerTarget !== null && innerTarget.column > 0) {
    const left = at(innerTarget.channels, innerTarget.column);
    entry.unshift({ x: left, y: innerTarget.bandY }, { x: left, y: end.y });
    entryY = innerTarget.bandY;
  }
  return [...exit, ...crossing(source.at.column, target.at.column, exitY, entryY, grid), ...entry];
}

/**
 * From height `exitY` in the strip right of sub-column `from` to height `entryY` in the strip left
 * of sub-column `to`: straight down the shared strip when they are neighbours; else straight across
 * at the exit or entry height when no unit of the sub-columns in between is in the way; else
 * through the margin band above or below everything (always free; the nearer one).
 */
function crossing(from: number, to: number, exitY: number, entryY: number, grid: Grid): Point[] {
  const out = at(grid.channels, from + 1);
  const into = at(grid.channels, to);
  if (from + 1 === to) return [{ x: out, y: exitY }, { x: out, y: entryY }];
  if (from + 1 < to) {
    if (runClear(grid, from + 1, to - 1, exitY)) return [{ x: out, y: exitY }, { x: into, y: exitY }, { x: into, y: entryY }];
    if (runClear(grid, from + 1, to - 1, entryY)) return [{ x: out, y: exitY }, { x: out, y: entryY }, { x: into, y: entryY }];
  }
  const viaTop = Math.abs(exitY - grid.top) + Math.abs(entryY - grid.top);
  const viaBottom = Math.abs(exitY - grid.bottom) + Math.abs(entryY - grid.bottom);
  const band = viaTop <= viaBottom ? grid.top : grid.bottom;
  return [{ x: out, y: exitY }, { x: out, y: band }, { x: into, y: band }, { x: into, y: entryY }];
}

/** Drops repeated points and the middle of three collinear ones. */
function simplify(points: readonly Point[]): Point[] {
  const out: Point[] = [];
  for (const p of points) {
    const last = out[out.length - 1];
    if (last !== undefined && last.x === p.x && last.y === p.y) continue;
    const before = out[out.length - 2];
    if (before !== undefined && last !== undefined && ((before.x === last.x && last.x === p.x) || (before.y === last.y && last.y === p.y))) out.pop();
    out.push(p);
  }
  return out;
}

/** Synchronous layered layout: same output shape as `layoutEgressGraph`. */
export function layoutLayeredQuick(graph: EgressGraph, options?: LayoutOptions): GraphLayout {
  const o: ResolvedLayoutOptions = resolveLayoutOptions(options);
  const nodeIds = new Set(graph.nodes.map((n) => n.id));
  const compoundIds = new Set(graph.nodes.flatMap((n) => (n.parent !== null && nodeIds.has(n.parent) ? [n.parent] : [])));
  // A leaf belongs to its compound's unit; compounds and top-level leaves are units of their own.
  const unitOf = new Map<string, string>();
  const childrenOf = new Map<string, GraphNode[]>();
  for (const node of graph.nodes) {
    if (compoundIds.has(node.id)) continue;
    const parent = node.parent !== null && compoundIds.has(node.parent) ? node.parent : null;
    unitOf.set(node.id, parent ?? node.id);
    if (parent !== null) pushTo(childrenOf, parent, node);
  }
  for (const id of compoundIds) unitOf.set(id, id);

  const unitLinks = new Map<string, string[]>();
  const innerLinks = new Map<string, string[]>();
  const seen = new Set<string>();
  for (const edge of graph.edges) {
    const [from, to] = [unitOf.get(edge.source), unitOf.get(edge.target)];
    if (from === undefined || to === undefined) continue;
    if (from !== to) addLink(unitLinks, seen, from, to);
    else if (from !== edge.source) addLink(innerLinks, seen, edge.source, edge.target);
  }

  const units = new Map<string, Unit>();
  for (const node of graph.nodes) {
    if (unitOf.get(node.id) !== node.id) continue;
    const children = childrenOf.get(node.id);
    units.set(node.id, children === undefined
      ? { node, subscription: subscriptionOf(node.id), ...leafSize(node, o), children: [], channels: [], bandDy: 0 }
      : compoundUnit(node, children, innerLinks, o));
  }
  const layer = longestPathLayers([...units.keys()], unitLinks);
  // Sinks get a layer of their own, right of everything else.
  const isSink = (node: GraphNode): boolean => SINK_KINDS.has(node.kind) && node.parent === null;
  let lastOther = -1;
  for (const unit of units.values()) if (!isSink(unit.node)) lastOther = Math.max(lastOther, layer.get(unit.node.id) ?? 0);
  const layerCount = units.size === 0 ? 0 : lastOther + 2;
  const layers: Unit[][] = Array.from({ length: layerCount }, () => []);
  for (const unit of units.values()) layers[isSink(unit.node) ? lastOther + 1 : layer.get(unit.node.id) ?? 0]?.push(unit);
  for (const members of layers) members.sort((a, b) => compareText(a.subscription, b.subscription) || byName(a.node, b.node));
  const packing = packNearAspect(layers.filter((members) => members.length > 0));

  const boxes = new Map<string, Box>();
  const placed = new Map<string, Placed>();
  const stacks: Stack[] = [];
  // Free vertical strips: channel c runs left of global sub-column c, the last one right of all.
  const channels: number[] = [MARGIN / 2];
  let column = 0;
  const contentHeight = packing.height - 2 * MARGIN;
  let x = MARGIN;
  packing.layers.forEach((columns, i) => {
    const previous = packing.layers[i - 1];
    if (previous !== undefined) x += layerGap(previous, columns);
    // Each layer's block is centred vertically, so a lone firewall sits where the fan of edges
    // meets; the sub-columns of a wrapped layer share their top edge, so the grid's rows line up.
    const blockTop = MARGIN + (contentHeight - columns.reduce((max, c) => Math.max(max, c.height), 0)) / 2;
    columns.forEach((sub, j) => {
      if (j > 0) x += SUBCOLUMN_GAP;
      if (column > 0) {
        const right = channels.pop() ?? x;
        channels.push((right + x) / 2);
      }
      const top = columns.length === 1 ? MARGIN + (contentHeight - sub.height) / 2 : blockTop;
      const stack: Stack = { tops: [], bottoms: [] };
      stacks.push(stack);
      for (const { unit, dy } of sub.units) {
        const ux = x + (sub.width - unit.width) / 2;
        const uy = top + dy;
        boxes.set(unit.node.id, { x: ux, y: uy, width: unit.width, height: unit.height });
        placed.set(unit.node.id, { column, compound: null });
        stack.tops.push(uy);
        stack.bottoms.push(uy + unit.height);
        const inner = { channels: unit.channels.map((c) => ux + c), bandY: uy + unit.bandDy, columns: unit.channels.length - 1 };
        for (const child of unit.children) {
          boxes.set(child.id, { x: ux + child.dx, y: uy + child.dy, width: child.width, height: child.height });
          placed.set(child.id, { column, compound: { id: unit.node.id, column: child.column, ...inner } });
        }
      }
      x += sub.width;
      // Provisional: the right edge, turned into the gap's middle once the next sub-column starts.
      channels.push(x);
      column += 1;
    });
  });
  if (column > 0) channels.push((channels.pop() ?? x) + MARGIN / 2);
  const grid: Grid = { channels, top: MARGIN / 2, bottom: packing.height - MARGIN / 2, clear: (c, y) => stackClear(stacks[c], y) };

  const nodes: NodeBox[] = graph.nodes.map((node) => {
    const box = boxes.get(node.id) ?? { x: 0, y: 0, width: 0, height: 0 };
    const compound = compoundIds.has(node.id);
    const [bx, by, bw, bh] = [round2(box.x), round2(box.y), round2(box.width), round2(box.height)];
    return { id: node.id, kind: node.kind, x: bx, y: by, width: bw, height: bh, compound, parent: node.parent, lines: textLines(node, compound, bx, by, bw, o) };
  });
  const edges: EdgeRoute[] = graph.edges.map((edge) => {
    const from = boxes.get(edge.source);
    const to = boxes.get(edge.target);
    const fromAt = placed.get(edge.source);
    const toAt = placed.get(edge.target);
    const points = from === undefined || to === undefined || fromAt === undefined || toAt === undefined ? []
      : simplify(routeEdge({ box: from, at: fromAt }, { box: to, at: toAt }, grid)).map((p) => ({ x: round2(p.x), y: round2(p.y) }));
    return { id: edge.id, source: edge.source, target: edge.target, points, label: null };
  });
  return { engine: 'quick', width: round2(packing.width), height: round2(packing.height), nodes, edges, fontFamily: GRAPH_FONT_FAMILY };
}

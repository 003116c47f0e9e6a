/**
 * Issue 12: in the quick layered layout (big graphs, big diagram exports) no edge may run through a
 * node box. Property over real estates: every edge is an orthogonal polyline from the source's
 * border to the target's border whose segments stay out of every other leaf box.
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm, type ArmDocument } from '../../../shared/arm/index';
import { DEMO_ESTATES, generateSyntheticEstate, type SyntheticEstateOptions } from '../../../shared/demo/index';
import { resolveEgress, type ResolveResult } from '../../../shared/egress/index';
import { buildDefaultGraph, buildEgressGraph, layoutLayeredQuick } from '../../../shared/graph';
import type { EgressGraph, GraphLayout, GraphView, NodeBox } from '../../../shared/graph';
import type { NetworkModel } from '../../../shared/model/topology';
import { emptyNetworkModel } from '../../../shared/model/topology';
import { syntheticHubSpoke } from './synthetic-estate';

interface Resolved { readonly model: NetworkModel; readonly result: ResolveResult }

function resolve(documents: readonly ArmDocument[]): Resolved {
  const normalized = normalizeArm(documents);
  return { model: normalized.model, result: resolveEgress({ ...normalized, metrics: [] }, {}) };
}

function demo(name: string): Resolved {
  const d = DEMO_ESTATES.find((e) => e.name === name);
  if (d === undefined) throw new Error(`no demo ${name}`);
  return resolve(d.documents);
}

function synthetic(options: SyntheticEstateOptions): Resolved {
  return resolve([{ fileName: '<synthetic>', json: generateSyntheticEstate(options) }]);
}

/** The app's graph options (renderer/layout.worker.ts). */
const APP = { bypassedNat: true } as const;

const EPS = 0.05;
const CELL = 256;

interface Violation { readonly edge: string; readonly problem: string }

/** Leaf boxes bucketed on a coarse grid, so a segment only tests the boxes near it. */
function leafIndex(layout: GraphLayout): { readonly near: (x1: number, y1: number, x2: number, y2: number) => Set<NodeBox> } {
  const cells = new Map<string, NodeBox[]>();
  for (const b of layout.nodes) {
    if (b.compound) continue;
    for (let cx = Math.floor(b.x / CELL); cx <= Math.floor((b.x + b.width) / CELL); cx++) {
      for (let cy = Math.floor(b.y / CELL); cy <= Math.floor((b.y + b.height) / CELL); cy++) {
        const key = `${cx},${cy}`;
        const list = cells.get(key);
        if (list === undefined) cells.set(key, [b]);
        else list.push(b);
      }
    }
  }
  return {
    near(x1, y1, x2, y2) {
      const found = new Set<NodeBox>();
      for (let cx = Math.floor(Math.min(x1, x2) / CELL); cx <= Math.floor(Math.max(x1, x2) / CELL); cx++) {
        for (let cy = Math.floor(Math.min(y1, y2) / CELL); cy <= Math.floor(Math.max(y1, y2) / CELL); cy++) {
          for (const b of cells.get(`${cx},${cy}`) ?? []) found.add(b);
        }
      }
      return found;
    },
  };
}

function onBorder(p: { x: number; y: number }, b: NodeBox): boolean {
  const inside = p.x >= b.x - EPS && p.x <= b.x + b.width + EPS && p.y >= b.y - EPS && p.y <= b.y + b.height + EPS;
  const strictlyInside = p.x > b.x + EPS && p.x < b.x + b.width - EPS && p.y > b.y + EPS && p.y < b.y + b.height - EPS;
  return inside && !strictlyInside;
}

/** Does the axis-aligned segment meet the box's interior shrunk by 1 px? */
function crossesInterior(x1: number, y1: number, x2: number, y2: number, b: NodeBox): boolean {
  const [left, right, top, bottom] = [b.x + 1, b.x + b.width - 1, b.y + 1, b.y + b.height - 1];
  return Math.max(x1, x2) > left && Math.min(x1, x2) < right && Math.max(y1, y2) > top && Math.min(y1, y2) < bottom;
}

/** Every way an edge of `layout` breaks the issue-12 rule. */
function routeViolations(layout: GraphLayout): Violation[] {
  const boxes = new Map(layout.nodes.map((b) => [b.id, b]));
  const index = leafIndex(layout);
  const violations: Violation[] = [];
  for (const edge of layout.edges) {
    const [source, target] = [boxes.get(edge.source), boxes.get(edge.target)];
    const { points } = edge;
    const first = points[0];
    const last = points[points.length - 1];
    if (source === undefined || target === undefined || first === undefined || last === undefined || points.length < 2) {
      violations.push({ edge: edge.id, problem: 'no route' });
      continue;
    }
    if (!onBorder(first, source)) violations.push({ edge: edge.id, problem: `starts at ${first.x},${first.y} off the source border` });
    if (!onBorder(last, target)) violations.push({ edge: edge.id, problem: `ends at ${last.x},${last.y} off the target border` });
    for (let i = 1; i < points.length; i++) {
      const a = points[i - 1];
      const b = points[i];
      if (a === undefined || b === undefined) continue;
      if (a.x !== b.x && a.y !== b.y) violations.push({ edge: edge.id, problem: `diagonal segment ${a.x},${a.y} → ${b.x},${b.y}` });
      for (const box of index.near(a.x, a.y, b.x, b.y)) {
        if (box.id === edge.source || box.id === edge.target) continue;
        if (crossesInterior(a.x, a.y, b.x, b.y, box)) violations.push({ edge: edge.id, problem: `runs through ${box.id}` });
      }
    }
  }
  return violations;
}

function check(graph: EgressGraph): GraphLayout {
  const layout = layoutLayeredQuick(graph);
  expect(layout.edges.length).toBe(graph.edges.length);
  expect(routeViolations(layout).slice(0, 5)).toEqual([]);
  for (const edge of layout.edges) {
    for (const p of edge.points) {
      expect(p.x).toBeGreaterThanOrEqual(0);
      expect(p.y).toBeGreaterThanOrEqual(0);
      expect(p.x).toBeLessThanOrEqual(layout.width);
      expect(p.y).toBeLessThanOrEqual(layout.height);
    }
  }
  return layout;
}

describe('quick layout edge routes (issue 12)', () => {
  it('flags a straight edge that runs through another box (the checker can fail)', () => {
    const box = (id: string, x: number): NodeBox => ({ id, kind: 'subnet', x, y: 0, width: 50, height: 20, compound: false, parent: null, lines: [] });
    const layout: GraphLayout = {
      engine: 'quick', width: 300, height: 40, fontFamily: 'x',
      nodes: [box('a', 0), box('b', 100), box('c', 200)],
      edges: [{ id: 'a→c', source: 'a', target: 'c', points: [{ x: 50, y: 10 }, { x: 200, y: 10 }], label: null }],
    };
    expect(routeViolations(layout).map((v) => v.problem)).toEqual(['runs through b']);
  });

  for (const name of DEMO_ESTATES.map((d) => d.name)) {
    it(`routes around every box in the ${name} demo (full, overview, default)`, () => {
      const { model, result } = demo(name);
      for (const view of [{ kind: 'full' }, { kind: 'overview' }] as const) check(buildEgressGraph(model, result, view, APP));
      check(buildDefaultGraph(model, result, undefined, APP).graph);
    });
  }

  for (const name of ['bank', 'training']) {
    it(`routes around every box in ${name} path views`, () => {
      const { model, result } = demo(name);
      const sources = [...new Set(result.paths.map((p) => p.source.id))];
      const views: GraphView[] = [
        ...sources.slice(0, 4).map((id): GraphView => ({ kind: 'path', sourceIds: [id] })),
        { kind: 'path', sourceIds: sources.slice(0, Math.ceil(sources.length / 2)) },
        { kind: 'path', sourceIds: sources },
      ];
      for (const view of views) check(buildEgressGraph(model, result, view));
    });
  }

  it('routes around every box in small synthetic estates', () => {
    for (const seed of [1, 2, 3]) {
      const { model, result } = synthetic({ subscriptions: 3, virtualNetworks: 12, subnets: 60, networkInterfaces: 150, seed });
      check(buildEgressGraph(model, result, { kind: 'full' }, APP));
      check(buildEgressGraph(model, result, { kind: 'overview' }, APP));
    }
  });

  it('routes around every box when layers wrap (hundreds of VNets)', () => {
    const { model, result } = synthetic({ subscriptions: 8, virtualNetworks: 300, subnets: 900, networkInterfaces: 1_200, seed: 20261126 });
    const overview = check(buildEgressGraph(model, result, { kind: 'overview' }, APP));
    const full = check(buildDefaultGraph(model, result, undefined, APP).graph);
    // Some edges really had to bend: the property is not vacuous.
    expect(full.edges.some((e) => e.points.length > 2)).toBe(true);
    expect(overview.nodes.length).toBeGreaterThan(300);
    // 600 spokes in one layer: it wraps into many sub-columns of VNet boxes.
    const wrapped = check(buildEgressGraph(emptyNetworkModel(), syntheticHubSpoke(600, 2), { kind: 'full' }));
    expect(new Set(wrapped.nodes.filter((b) => b.compound).map((b) => b.x)).size).toBeGreaterThan(5);
    expect(new Set(overview.nodes.filter((b) => b.parent === null).map((b) => b.x)).size).toBeGreaterThan(20);
  });
});

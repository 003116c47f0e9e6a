/**
 * Which diagrams the PDF draws. The layout is the app's own (`buildEgressGraph` +
 * `layoutEgressGraph`, deterministic), so the PDF shows the picture the user saw: the caller's
 * layout when it passes one, else the app's default view (`full`, or `overview` for big estates)
 * or the `path` view of the selection. When the overview is too small to read and has no VNet
 * boxes to zoom into, each VNet gets the app's `path` view of its own sources; so does a VNet box
 * too big for one page (its tiles show its own paths only, see `groupSheets`).
 */
import type { EgressPath } from '../../shared/egress/types';
import { nameFromResourceId } from '../../shared/model/ids';
import { buildDefaultGraph, buildEgressGraph, bypassedNodeIds, layoutEgressGraph, type EgressGraph, type GraphView } from '../../shared/graph';
import { withBypassedNatText } from '../../shared/graph/export/labels';
import { buildPathDiagram, type DiagramLayout } from './diagram-layout';
import {
  fitsOnePage, hasGroups, MAX_DETAIL_PAGES, overviewPage, planDiagramPages, planGroupPages, planRegion, wholeLayout, type DiagramPagePlan,
} from './draw-diagram';
import { indexResources, virtualNetworkOf } from './facts';
import { toDiagramLayout } from './graph-adapter';
import type { EvidenceInput } from './types';

export interface DiagramSheet {
  readonly layout: DiagramLayout;
  readonly page: DiagramPagePlan;
}

export interface DiagramSheets {
  readonly sheets: readonly DiagramSheet[];
  /** VNets without a detail page because of the page cap. */
  readonly omittedGroups: readonly string[];
  readonly view: GraphView['kind'] | 'caller' | 'fallback';
}

/**
 * Above this many paths the writer lays graphs out with the app's quick layered layout instead of
 * ELK: ELK took 5.7 s for the 564-element overview of a 2,000-subnet estate, and ~0.45 s per VNet,
 * which alone would break the 10 s export budget. The app makes the same switch for big graphs.
 */
export const QUICK_LAYOUT_ABOVE_PATHS = 300;

async function appLayout(input: EvidenceInput, view: GraphView): Promise<DiagramLayout> {
  return layoutGraph(input, buildEgressGraph(input.snapshot.model, input.result, view));
}

/**
 * The app's layout of `graph`, but a bypassed NAT gateway's box says so in words, as every other
 * writer's does (`withBypassedNatText`: "NAT gateway · attached, bypassed by a route"; a filed page
 * is read without the app, often in greyscale), whole: its box is sized for the text, which the
 * app's 200 px label limit would cut. Every other box is the app's.
 */
async function layoutGraph(input: EvidenceInput, graph: EgressGraph): Promise<DiagramLayout> {
  const engine = input.result.paths.length > QUICK_LAYOUT_ABOVE_PATHS ? 'quick' : 'auto';
  const drawn = withBypassedNatText(graph);
  return toDiagramLayout(await layoutEgressGraph(drawn, { engine, wholeTextIds: bypassedNodeIds(graph) }), input.result, drawn);
}

function sourcesByVnet(paths: readonly EgressPath[], input: EvidenceInput): ReadonlyMap<string, readonly string[]> {
  const byVnet = new Map<string, string[]>();
  for (const path of paths) {
    const vnet = virtualNetworkOf(path, input.snapshot.model);
    if (vnet === null) continue;
    const list = byVnet.get(vnet) ?? [];
    list.push(path.source.id);
    byVnet.set(vnet, list);
  }
  return new Map([...byVnet.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * The overview, then a page per VNet box zoomed into the overview's own layout (the picture the
 * app shows), up to `maxDetailPages`. A VNet whose region needs tiles gets the app's `path` view of
 * its own sources laid out alone, as the fallback below does: in the shared layout its region holds
 * other VNets' boxes, and tiles grown to keep those whole chained across the estate (training:
 * one-subnet VNets on 4 pages, some drawing none of their own paths' boxes, an empty VNet box with
 * arrows from off-page). Alone, every box on its tiles is on its own paths, so growing a tile to
 * keep a box whole (planRegion) never reaches another VNet's.
 */
async function groupSheets(
  input: EvidenceInput, overview: DiagramLayout, byVnet: ReadonlyMap<string, readonly string[]>, maxDetailPages: number,
): Promise<Omit<DiagramSheets, 'view'>> {
  const sheets: DiagramSheet[] = [{ layout: overview, page: overviewPage(overview) }];
  const sourcesOf = new Map([...byVnet].map(([id, sources]) => [id.toLowerCase(), sources] as const));
  const omittedGroups: string[] = [];
  let detail = 0;
  for (const group of planGroupPages(overview)) {
    let layout = overview;
    let pages = group.pages;
    const sourceIds = sourcesOf.get(group.id.toLowerCase()) ?? [];
    if (pages.length > 1 && sourceIds.length > 0) {
      try {
        layout = await appLayout(input, { kind: 'path', sourceIds });
        pages = planRegion(layout, wholeLayout(layout), group.label);
      } catch {
        // A layout engine failing must not fail the export: keep the tiles of the overview's layout.
        layout = overview;
        pages = group.pages;
      }
    }
    if (detail + pages.length > maxDetailPages) {
      omittedGroups.push(group.label);
      continue;
    }
    detail += pages.length;
    sheets.push(...pages.map((page) => ({ layout, page })));
  }
  return { sheets, omittedGroups };
}

export async function buildDiagramSheets(input: EvidenceInput, paths: readonly EgressPath[], maxDetailPages = MAX_DETAIL_PAGES): Promise<DiagramSheets> {
  if (paths.length === 0) return { sheets: [], omittedGroups: [], view: 'caller' };
  // The caller's layout (the app's) is drawn as is; otherwise the selection's paths, or the default
  // view, whose graph is built once while choosing it.
  const initial = input.layout || input.selection ? null : buildDefaultGraph(input.snapshot.model, input.result);
  const view: GraphView = initial?.view ?? { kind: 'path', sourceIds: paths.map((p) => p.source.id) };
  let overview: DiagramLayout;
  let viewName: DiagramSheets['view'] = input.layout ? 'caller' : view.kind;
  try {
    overview = input.layout ? toDiagramLayout(input.layout, input.result)
      : initial ? await layoutGraph(input, initial.graph) : await appLayout(input, view);
  } catch {
    // An evidence export must not fail because a layout engine did; draw the simple band layout instead.
    overview = buildPathDiagram(paths, input.snapshot.model);
    viewName = 'fallback';
  }
  if (fitsOnePage(overview)) {
    const plan = planDiagramPages(overview, maxDetailPages);
    return { sheets: plan.pages.map((page) => ({ layout: overview, page })), omittedGroups: plan.omittedGroups, view: viewName };
  }
  const byVnet = sourcesByVnet(paths, input);
  if (hasGroups(overview)) return { ...(await groupSheets(input, overview, byVnet, maxDetailPages)), view: viewName };
  // The overview alone (cap 0): detail pages come from per-VNet layouts below.
  const sheets: DiagramSheet[] = planDiagramPages(overview, 0).pages.map((page) => ({ layout: overview, page }));
  const index = indexResources(input.snapshot.model);
  const omittedGroups: string[] = [];
  let detail = 0;
  for (const [vnetId, sourceIds] of byVnet) {
    const name = index.get(vnetId)?.name ?? nameFromResourceId(vnetId);
    if (detail >= maxDetailPages) {
      omittedGroups.push(name);
      continue;
    }
    const layout = await appLayout(input, { kind: 'path', sourceIds });
    const pages = planRegion(layout, wholeLayout(layout), name);
    if (detail + pages.length > maxDetailPages) {
      omittedGroups.push(name);
      continue;
    }
    detail += pages.length;
    sheets.push(...pages.map((page) => ({ layout, page })));
  }
  return { sheets, omittedGroups, view: viewName };
}

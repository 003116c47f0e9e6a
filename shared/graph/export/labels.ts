/**
 * What the exports write in each box, beyond the app's name and sublabel. A filed diagram is read
 * without the app (printed, often in greyscale, pasted into a wiki), so its text must say what the
 * app shows by other means:
 *
 * - a source's verdict as the app's glyph plus a word ("✕ denied"), after its prefix: colour alone
 *   must not carry information (WCAG 2.2 SC 1.4.1 Use of Color); the app says it three ways
 *   (colour, border style, glyph: renderer/graph/style.ts `SOURCE_ENCODINGS`);
 * - where two resources of one kind have the same name (in VNets of the same name), the
 *   subscription (short ID) or resource group that tells them apart: landing zones repeat names
 *   per subscription, and node IDs (resource IDs) are not shown;
 * - on a NAT gateway only bypassed edges lead to (attached to a subnet, overridden by a route),
 *   that it is bypassed: the app says so by its dashed border and legend only.
 *
 * The name stays the first line, whole: draw.io's "Edit Data" and the tests read it there.
 *
 * `exportGraph` is pure and applied by every exporter to the graph it is given. Callers that lay
 * the graph out for draw.io or SVG lay out `exportGraph(graph)` instead of `graph`, so the boxes
 * are sized for these longer texts (the SVG writer widens a box that is too narrow otherwise).
 */
import type { ExitMethod, Verdict } from '../../egress/types';
import { parseResourceId } from '../../model/ids';
import { bypassedNodeIds } from '../build-egress-graph';
import type { LayoutOptions } from '../layout-types';
import { SOURCE_GLYPHS, sourceEncodingKey, VERDICT_WORDS } from '../palette';
import type { EgressGraph, GraphNode } from '../types';

/**
 * Layout options for an export: labels are never truncated (the app truncates at 200 px to keep
 * a dense screen readable; a filed diagram must show every name in full).
 */
export const EXPORT_LAYOUT_OPTIONS: LayoutOptions = { maxLabelWidth: 100_000 };


/** What a bypassed NAT gateway's box adds to its sublabel. */
export const BYPASSED_NAT_TEXT = 'attached, bypassed by a route';

/** Separator between a sublabel and what the export adds to it. */
const JOIN = ' \u00b7 ';

function joined(first: string, second: string): string {
  return first.length === 0 ? second : `${first}${JOIN}${second}`;
}

/** "✕ denied", "✓ internet, inspected": the glyph the app leads the label with, and what it means in words. */
export function sourceVerdictText(verdict: Verdict, exit: ExitMethod | null, inspected: boolean): string {
  const key = sourceEncodingKey(verdict, exit, inspected);
  const words = key === 'inspected' ? 'internet, inspected'
    : key === 'direct' ? 'internet, not inspected'
      : key === 'default-outbound' ? 'internet, default outbound'
        : VERDICT_WORDS[verdict];
  return `${SOURCE_GLYPHS[key]} ${words}`;
}

/** Shortest prefix length (from 8) at which the subscription IDs differ, or the whole IDs. */
function shortSubscriptions(subscriptions: readonly string[]): (id: string) => string {
  for (let length = 8; length < 36; length += 4) {
    if (new Set(subscriptions.map((s) => s.slice(0, length).toLowerCase())).size === new Set(subscriptions.map((s) => s.toLowerCase())).size) {
      return (id) => id.slice(0, length);
    }
  }
  return (id) => id;
}

/**
 * Qualifiers for nodes that would read the same: same kind, same name, in a parent of the same
 * name. The subscription when the copies differ there, else the resource group.
 */
function collisionQualifiers(graph: EgressGraph): ReadonlyMap<string, string> {
  const names = new Map(graph.nodes.map((n) => [n.id, n.label]));
  const groups = new Map<string, GraphNode[]>();
  for (const node of graph.nodes) {
    if (node.resourceId === null) continue;
    const key = JSON.stringify([node.kind, node.label, node.parent === null ? null : (names.get(node.parent) ?? node.parent)]);
    const list = groups.get(key) ?? [];
    list.push(node);
    groups.set(key, list);
  }
  const out = new Map<string, string>();
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const parts = group.map((n) => ({ node: n, id: parseResourceId(n.resourceId ?? '') }));
    const subscriptions = [...new Set(parts.map((p) => (p.id?.subscriptionId ?? '').toLowerCase()))];
    const groupsOf = new Set(parts.map((p) => `${p.id?.subscriptionId ?? ''}/${p.id?.resourceGroup ?? ''}`.toLowerCase()));
    const short = shortSubscriptions(subscriptions);
    for (const { node, id } of parts) {
      if (id === null) continue;
      if (subscriptions.length > 1) out.set(node.id, `subscription ${short(id.subscriptionId)}`);
      else if (groupsOf.size > 1) out.set(node.id, `resource group ${id.resourceGroup}`);
    }
  }
  return out;
}

/** A bypassed NAT gateway's sublabel ("NAT gateway · attached, bypassed by a route"): its box in every picture filed. */
function bypassedNatSublabel(sublabel: string): string {
  return joined(sublabel, BYPASSED_NAT_TEXT);
}

/**
 * The graph with only the bypassed NAT gateways' texts of `exportGraph` (nodes in
 * `bypassedNodeIds`): for the PDF, which keeps the app's other texts (its key and legend say the rest).
 */
export function withBypassedNatText(graph: EgressGraph): EgressGraph {
  const bypassed = bypassedNodeIds(graph);
  if (bypassed.size === 0) return graph;
  return { ...graph, nodes: graph.nodes.map((node) => (bypassed.has(node.id) ? { ...node, sublabel: bypassedNatSublabel(node.sublabel) } : node)) };
}

/** The graph with the labels every export draws (see the module comment). Node IDs, kinds and edges are unchanged. */
export function exportGraph(graph: EgressGraph): EgressGraph {
  const qualifiers = collisionQualifiers(graph);
  const bypassed = bypassedNodeIds(graph);
  const nodes = graph.nodes.map((node): GraphNode => {
    const qualifier = qualifiers.get(node.id);
    const label = qualifier === undefined ? node.label : `${node.label} (${qualifier})`;
    switch (node.kind) {
      case 'subnet': case 'nic':
        return node.verdict === null ? { ...node, label }
          : { ...node, label, sublabel: joined(node.sublabel, sourceVerdictText(node.verdict, node.exit, node.inspected)) };
      // An overview VNet's sublabel already counts its paths per verdict (build-egress-graph.ts).
      default:
        return bypassed.has(node.id) ? { ...node, label, sublabel: bypassedNatSublabel(node.sublabel) } : { ...node, label };
    }
  });
  return { ...graph, nodes };
}

/**
 * Attached-but-bypassed NAT gateways (the engine's `nat-gateway-bypassed` finding) in the egress
 * graph: drawn only when asked for (the app's graph), as a `bypassed` edge from the subnet that no
 * traffic takes; never in the exports' graphs, never as a hop of the path.
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm/index';
import { findDemo } from '../../../shared/demo/index';
import { resolveEgress } from '../../../shared/egress/index';
import { buildDefaultGraph, buildEgressGraph, pathElementIds } from '../../../shared/graph/build-egress-graph';

function bank() {
  const d = findDemo('bank');
  if (!d) throw new Error('no bank demo');
  const normalized = normalizeArm(d.documents);
  return { model: normalized.model, result: resolveEgress({ ...normalized, metrics: [] }, {}) };
}

describe('bypassed NAT gateways', () => {
  const { model, result } = bank();
  const cardAuth = result.paths.find((p) => p.source.name === 'snet-card-auth');
  const natId = model.subnets.find((s) => s.name === 'snet-card-auth')?.natGatewayId ?? '';

  it('the bank demo has one: snet-card-auth’s own NAT gateway, overridden by the route to the firewall', () => {
    expect(cardAuth?.findings.map((f) => f.code)).toContain('nat-gateway-bypassed');
    expect(cardAuth?.exit).toBe('nat-gateway');
    expect(natId).not.toBe('');
  });

  it('is drawn, with a bypassed edge from the subnet, only in graphs built with bypassedNat', () => {
    const plain = buildEgressGraph(model, result, { kind: 'full' });
    expect(plain.edges.some((e) => e.bypassed === true)).toBe(false);
    expect(plain.nodes.some((n) => n.id.toLowerCase() === natId.toLowerCase())).toBe(false);

    const app = buildEgressGraph(model, result, { kind: 'full' }, { bypassedNat: true });
    const bypassed = app.edges.filter((e) => e.bypassed === true);
    expect(bypassed.map((e) => [e.source, e.target.toLowerCase()])).toEqual([[cardAuth?.source.id, natId.toLowerCase()]]);
    const nat = app.nodes.find((n) => n.id.toLowerCase() === natId.toLowerCase());
    expect(nat?.kind).toBe('nat-gateway');
    // No traffic leaves the bypassed NAT gateway: it has no outgoing edge.
    expect(app.edges.some((e) => e.source === nat?.id)).toBe(false);
    // It stays lit with its subnet's path (not dimmed away), as a bypassed edge.
    const lit = pathElementIds(app, cardAuth?.source.id ?? '');
    expect(lit.edgeIds).toContain(bypassed[0]?.id);
    // Everything else is the same graph.
    expect(app.edges.filter((e) => e.bypassed !== true).map((e) => e.id)).toEqual(plain.edges.map((e) => e.id));
  });

  it('the default graph passes the option on; the overview (sources folded into VNets) never draws it', () => {
    expect(buildDefaultGraph(model, result, undefined, { bypassedNat: true }).graph.edges.some((e) => e.bypassed === true)).toBe(true);
    expect(buildEgressGraph(model, result, { kind: 'overview' }, { bypassedNat: true }).edges.some((e) => e.bypassed === true)).toBe(false);
  });
});

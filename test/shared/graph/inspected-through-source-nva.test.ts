/**
 * "Inspected" means the same in every output: a path whose `via` holds an Azure Firewall, NVA or
 * internal load balancer. The training demo's snet-11 sends 0.0.0.0/0 to an NVA whose NIC is also a
 * source of its own (its public IP), so the graph draws that NIC once, as a NIC node: the path has
 * no node of an appliance kind, yet resolve, the table and the PDF say "inspected by" the NVA. The
 * diagrams (Mermaid, SVG, draw.io) and the app's graph must say so too, not "internet, not inspected".
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm';
import { findDemo } from '../../../shared/demo/index';
import { resolveEgress } from '../../../shared/egress/index';
import { buildEgressGraph } from '../../../shared/graph/build-egress-graph';
import { exportGraph } from '../../../shared/graph/export/labels';
import { toCytoscapeElements } from '../../../renderer/graph/elements';
import { runCliIn } from '../../support/cli-run';

const SOURCE = 'snet-11-nva-with-forwarding';
const NVA = 'nic-vm-nva-forward-01';

function training() {
  const demo = findDemo('training');
  if (!demo) throw new Error('no training demo');
  const normalized = normalizeArm(demo.documents);
  const result = resolveEgress({ ...normalized, metrics: [], serviceTags: demo.serviceTags }, {});
  const path = result.paths.find((p) => p.source.name === SOURCE);
  if (!path) throw new Error(`no path for ${SOURCE}`);
  return { model: normalized.model, result, path };
}

describe('a subnet routed through an NVA whose NIC is also a source', () => {
  const { model, result, path } = training();
  const graph = buildEgressGraph(model, result, { kind: 'full' });

  it('resolves through the NVA (via), and the NVA NIC is a source node of its own in the graph', () => {
    expect(path.verdict).toBe('internet');
    expect(path.via.map((v) => [v.kind, v.id.split('/').pop()])).toEqual([['nva', NVA]]);
    expect(graph.nodes.find((n) => n.label === NVA)?.kind).toBe('nic');
  });

  it('its graph node is inspected, and the exports label it "internet, inspected"', () => {
    const node = graph.nodes.find((n) => n.id === path.source.id);
    expect(node?.kind === 'subnet' && node.inspected).toBe(true);
    const labelled = exportGraph(graph).nodes.find((n) => n.id === path.source.id);
    expect(labelled?.sublabel).toContain('internet, inspected');
    expect(labelled?.sublabel).not.toContain('not inspected');
  });

  it('the app draws it as inspected (solid), not dashed as "not inspected"', () => {
    const element = toCytoscapeElements(graph, null).find((e) => e.data.id === path.source.id);
    expect(element?.classes).toContain('v-internet');
    expect(String(element?.classes).split(' ')).not.toContain('direct');
  });

  it.each([
    ['mermaid', (text: string) => new RegExp(`\\["${SOURCE}<br/>[^"]*"\\]`).exec(text)?.[0] ?? ''],
    ['drawio', (text: string) => new RegExp(`label="${SOURCE}&#xa;[^"]*"`).exec(text)?.[0] ?? ''],
    ['svg', (text: string) => {
      const at = text.indexOf(`>${SOURCE}<`);
      return at < 0 ? '' : `${SOURCE} ${/<text[^>]*>([^<]*)<\/text>/.exec(text.slice(at + SOURCE.length + 2))?.[1] ?? ''}`;
    }],
  ] as const)('diagram --format %s labels it "internet, inspected"', async (format, labelOf) => {
    const run = await runCliIn(process.cwd(), ['diagram', '--demo', 'training', '--format', format, '--out', '-', '--timestamp', '2026-12-01T00:00:00Z', '--view', 'full']);
    expect(run.code).toBe(0);
    const label = labelOf(run.stdout);
    expect(label).toContain(SOURCE);
    expect(label).toContain('internet, inspected');
    expect(label).not.toContain('not inspected');
  });
});

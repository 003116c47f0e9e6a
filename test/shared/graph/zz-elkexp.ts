import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkNode } from 'elkjs/lib/elk-api';
import { buildEgressGraph, toElkGraph } from '/work/main/shared/graph';
import { emptyNetworkModel } from '/work/main/shared/model/topology';
import { syntheticHubSpoke } from '/work/main/test/shared/graph/synthetic-estate';
const elk = new ELK();
const [kind, spokes, per] = [process.argv[2] as 'full'|'overview', Number(process.argv[3]), Number(process.argv[4])];
const g = buildEgressGraph(emptyNetworkModel(), syntheticHubSpoke(spokes, per), { kind });
const variants: Record<string, (e: ElkNode) => void> = {
  base: () => {},
  polyline: (e) => { e.layoutOptions!['elk.edgeRouting'] = 'POLYLINE'; },
  nolabels: (e) => { for (const ed of e.edges ?? []) ed.labels = []; },
  noModelOrder: (e) => { delete e.layoutOptions!['elk.layered.considerModelOrder.strategy']; },
  separate: (e) => { e.layoutOptions!['elk.hierarchyHandling'] = 'SEPARATE_CHILDREN'; },
  splines: (e) => { e.layoutOptions!['elk.edgeRouting'] = 'SPLINES'; },
  noMOnolabels: (e) => { delete e.layoutOptions!['elk.layered.considerModelOrder.strategy']; for (const ed of e.edges ?? []) ed.labels = []; },
  noMOthor1: (e) => { delete e.layoutOptions!['elk.layered.considerModelOrder.strategy']; e.layoutOptions!['elk.layered.thoroughness'] = '1'; },
  noMOnodesOnly: (e) => { e.layoutOptions!['elk.layered.considerModelOrder.strategy'] = 'NODES_AND_EDGES'; e.layoutOptions!['elk.layered.considerModelOrder.crossingCounterNodeInfluence'] = '0.001'; },
  cmNone: (e) => { delete e.layoutOptions!['elk.layered.considerModelOrder.strategy']; e.layoutOptions!['elk.layered.crossingMinimization.strategy'] = 'NONE'; },
  placeSimple: (e) => { delete e.layoutOptions!['elk.layered.considerModelOrder.strategy']; e.layoutOptions!['elk.layered.nodePlacement.strategy'] = 'SIMPLE'; },
  placeLinear: (e) => { delete e.layoutOptions!['elk.layered.considerModelOrder.strategy']; e.layoutOptions!['elk.layered.nodePlacement.strategy'] = 'LINEAR_SEGMENTS'; },
  longestPath: (e) => { delete e.layoutOptions!['elk.layered.considerModelOrder.strategy']; e.layoutOptions!['elk.layered.layering.strategy'] = 'LONGEST_PATH'; },
  all: (e) => { e.layoutOptions!['elk.edgeRouting'] = 'POLYLINE'; delete e.layoutOptions!['elk.layered.considerModelOrder.strategy']; },
};
for (const name of process.argv.slice(5)) {
  const e = toElkGraph(g);
  variants[name]!(e);
  const t = performance.now();
  const r = await elk.layout(e);
  console.log(kind, spokes, per, name, (performance.now() - t).toFixed(0), 'ms', r.width, r.height);
}

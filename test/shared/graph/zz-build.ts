import { buildEgressGraph } from '/work/main/shared/graph';
import { emptyNetworkModel } from '/work/main/shared/model/topology';
import { syntheticHubSpoke } from '/work/main/test/shared/graph/synthetic-estate';
const r = syntheticHubSpoke(2000, 4);
for (const kind of ['full', 'overview', 'full', 'overview'] as const) {
  const c0 = process.cpuUsage(); const t = performance.now();
  const g = buildEgressGraph(emptyNetworkModel(), r, { kind });
  const cpu = process.cpuUsage(c0);
  console.log(kind, g.nodes.length, g.edges.length, (performance.now() - t).toFixed(0), 'ms wall', ((cpu.user + cpu.system) / 1000).toFixed(0), 'ms cpu');
}

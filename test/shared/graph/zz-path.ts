import { buildEgressGraph, layoutEgressGraph } from '/work/main/shared/graph';
import { emptyNetworkModel } from '/work/main/shared/model/topology';
import { syntheticHubSpoke } from '/work/main/test/shared/graph/synthetic-estate';
import { hubSpokeModel, hubSpokeResult } from '/work/main/test/shared/graph/hub-spoke-fixture';
const r = syntheticHubSpoke(2000, 4);
const ids = r.paths.map((p) => p.source.id);
async function t(label: string, f: () => Promise<unknown>) {
  const c0 = process.cpuUsage(); const w = performance.now(); await f(); const c = process.cpuUsage(c0);
  console.log(label, (performance.now() - w).toFixed(0), 'ms wall', ((c.user + c.system) / 1000).toFixed(0), 'ms cpu');
}
await t('warm-up hub-spoke full', () => layoutEgressGraph(buildEgressGraph(hubSpokeModel, hubSpokeResult, { kind: 'full' })));
await t('hub-spoke full', () => layoutEgressGraph(buildEgressGraph(hubSpokeModel, hubSpokeResult, { kind: 'full' })));
for (const i of [0, 5, 8, 1001]) await t(`path view build+layout (2000-VNet result) ${i}`, () => layoutEgressGraph(buildEgressGraph(emptyNetworkModel(), r, { kind: 'path', sourceIds: [ids[i]!] })));
await t('path view 4 sources', () => layoutEgressGraph(buildEgressGraph(emptyNetworkModel(), r, { kind: 'path', sourceIds: ids.slice(0, 4) })));
const med = syntheticHubSpoke(8, 4);
await t('medium (~50 nodes) full', () => layoutEgressGraph(buildEgressGraph(hubSpokeModel, { ...hubSpokeResult, paths: [...hubSpokeResult.paths, ...med.paths] }, { kind: 'full' })));

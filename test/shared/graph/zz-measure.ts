import { buildEgressGraph, layoutEgressGraph, layoutLayeredQuick, graphElementCount } from '/work/main/shared/graph';
import { emptyNetworkModel } from '/work/main/shared/model/topology';
import { syntheticHubSpoke } from '/work/main/test/shared/graph/synthetic-estate';
const m = emptyNetworkModel();
async function time(name: string, spokes: number, per: number, kind: 'full'|'overview', engine: 'elk'|'quick' = 'elk') {
  const r = syntheticHubSpoke(spokes, per);
  let t = performance.now();
  const g = buildEgressGraph(m, r, { kind });
  const tb = performance.now() - t;
  t = performance.now();
  const c0 = process.cpuUsage();
  const l = engine === 'elk' ? await layoutEgressGraph(g, { engine: 'elk' }) : layoutLayeredQuick(g);
  const tl = performance.now() - t;
  const cpu = process.cpuUsage(c0);
  console.log(`${name}: paths=${r.paths.length} nodes=${g.nodes.length} edges=${g.edges.length} elements=${graphElementCount(g)} build=${tb.toFixed(0)}ms layout(${engine})=${tl.toFixed(0)}ms cpu=${((cpu.user+cpu.system)/1000).toFixed(0)}ms size=${l.width}x${l.height}`);
}
const which = process.argv[2] ?? 'small';
if (which === 'small') { await time('full 10x4', 10, 4, 'full'); await time('full 10x4 again', 10, 4, 'full'); await time('full 50x4', 50, 4, 'full'); await time('overview 200', 200, 4, 'overview'); }
if (which === 'mid') { await time('full 150x4', 150, 4, 'full'); await time('overview 500', 500, 4, 'overview'); }
if (which === 'big') { await time('overview 2000', 2000, 4, 'overview'); await time('overview 2000 quick', 2000, 4, 'overview', 'quick'); await time('full 2000x4 quick', 2000, 4, 'full', 'quick'); }

/**
 * Graph building and layout off the UI thread. ELK blocks for seconds on big graphs (and even
 * building the graph of a 2,000-subnet estate takes a few hundred ms), so both run here and the
 * page only draws the positions.
 */
import { buildDefaultGraph, buildEgressGraph, graphElementCount } from '../shared/graph/build-egress-graph';
import { EXPORT_LAYOUT_OPTIONS, exportGraph } from '../shared/graph/export/index';
import { layoutEgressGraph } from '../shared/graph/layout';
import type { ResolveResult } from '../shared/egress/types';
import type { EgressGraph, GraphView } from '../shared/graph/types';
import type { NetworkModel } from '../shared/model/topology';
import type { DiagramRequest, GraphRequest, WorkerRequest, WorkerResponse } from './layout-client';

/** Above this many elements ELK takes seconds; the quick layered layout takes milliseconds. */
export const ELK_MAX_ELEMENTS = 200;

const scope = self as unknown as {
  addEventListener(type: 'message', listener: (e: MessageEvent<WorkerRequest>) => void): void;
  postMessage(message: WorkerResponse): void;
};

let current: { readonly resultId: number; readonly model: NetworkModel; readonly result: ResolveResult; baseView: GraphView | null } | null = null;

function viewFor(request: GraphRequest, baseView: GraphView): GraphView {
  if (baseView.kind === 'overview' && request.selectedSourceId !== null) return { kind: 'path', sourceIds: [request.selectedSourceId] };
  return baseView;
}

async function answer(requestId: number, resultId: number, request: GraphRequest): Promise<WorkerResponse> {
  const started = performance.now();
  if (!current || current.resultId !== resultId) return { requestId, ok: false, message: 'The estate changed before the layout started.' };
  const est = current;
  // Choosing the default view builds its graph; keep it rather than building the same graph again.
  let chosen: EgressGraph | null = null;
  if (request.mode === 'auto' && est.baseView === null) {
    const initial = buildDefaultGraph(est.model, est.result);
    est.baseView = initial.view;
    chosen = initial.graph;
  }
  const baseView: GraphView = request.mode === 'full' ? { kind: 'full' }
    : request.mode === 'overview' ? { kind: 'overview' }
      : (est.baseView ?? { kind: 'full' });
  const view = viewFor(request, baseView);
  const graph = chosen !== null && view === baseView ? chosen : buildEgressGraph(est.model, est.result, view);
  const layout = await layoutEgressGraph(graph, { engine: graphElementCount(graph) <= ELK_MAX_ELEMENTS ? 'elk' : 'quick' });
  return { requestId, ok: true, graph, layout, baseView: baseView.kind, workerMs: performance.now() - started };
}

/** Same switch as `egress-atlas diagram` (QUICK_LAYOUT_ABOVE_PATHS), so the app's export matches the CLI's. */
const DIAGRAM_QUICK_LAYOUT_ABOVE_PATHS = 300;

/** A diagram export's graph: the selected sources' paths, or the estate in the chosen view mode, laid out like the CLI does. */
async function diagram(requestId: number, resultId: number, request: DiagramRequest): Promise<WorkerResponse> {
  const started = performance.now();
  if (!current || current.resultId !== resultId) return { requestId, ok: false, message: 'The estate changed before the export started.' };
  const { model, result } = current;
  const built = request.sourceIds.length > 0 ? { graph: buildEgressGraph(model, result, { kind: 'path', sourceIds: request.sourceIds }), view: null }
    : request.mode === 'auto' ? buildDefaultGraph(model, result)
      : { graph: buildEgressGraph(model, result, { kind: request.mode }), view: null };
  const graph = built.graph;
  // Laid out with the texts the exports draw (verdict words, collision qualifiers: export/labels.ts),
  // so draw.io and SVG boxes fit them; the plain graph is answered, the exporters label it.
  const layout = request.withLayout
    ? await layoutEgressGraph(exportGraph(graph), { ...EXPORT_LAYOUT_OPTIONS, engine: result.paths.length > DIAGRAM_QUICK_LAYOUT_ABOVE_PATHS ? 'quick' : 'auto' })
    : { engine: 'quick' as const, width: 0, height: 0, nodes: [], edges: [], fontFamily: '' };
  return { requestId, ok: true, graph, layout, baseView: graph.view.kind, workerMs: performance.now() - started };
}

// addEventListener, not `self.onmessage`: elkjs's bundled build, once instantiated inside a worker,
// installs its own `self.onmessage` (its worker mode), which silently replaced ours after the
// first layout.
scope.addEventListener('message', (e: MessageEvent<WorkerRequest>) => {
  const msg = e.data;
  if (typeof msg !== 'object' || msg === null || !('kind' in msg)) return;
  switch (msg.kind) {
    case 'load':
      current = { resultId: msg.resultId, model: msg.model, result: msg.result, baseView: null };
      return;
    case 'layout': {
      const { requestId } = msg;
      answer(requestId, msg.resultId, msg.request).then(
        (response) => scope.postMessage(response),
        (error: unknown) => scope.postMessage({ requestId, ok: false, message: error instanceof Error ? error.message : String(error) }),
      );
      return;
    }
    case 'diagram': {
      const { requestId } = msg;
      diagram(requestId, msg.resultId, msg.request).then(
        (response) => scope.postMessage(response),
        (error: unknown) => scope.postMessage({ requestId, ok: false, message: error instanceof Error ? error.message : String(error) }),
      );
      return;
    }
    default:
      return;
  }
});

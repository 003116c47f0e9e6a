/**
 * Graph layout off the UI thread: ELK (or the quick layered layout for huge graphs) blocks for
 * seconds on big estates, so it runs here and the page only applies the positions.
 */
import { layoutEgressGraph } from '../shared/graph/layout';
import type { LayoutRequest, LayoutResponse } from './layout-client';

const scope = self as unknown as {
  addEventListener(type: 'message', listener: (e: MessageEvent<LayoutRequest>) => void): void;
  postMessage(message: LayoutResponse): void;
};

// addEventListener, not `self.onmessage`: elkjs's bundled build, once instantiated inside a worker,
// installs its own `self.onmessage` (its worker mode), which silently replaced ours after the
// first layout.
scope.addEventListener('message', (e: MessageEvent<LayoutRequest>) => {
  if (typeof e.data !== 'object' || e.data === null || typeof e.data.requestId !== 'number') return;
  const { requestId, graph } = e.data;
  layoutEgressGraph(graph).then(
    (layout) => scope.postMessage({ requestId, ok: true, layout }),
    (error: unknown) => scope.postMessage({ requestId, ok: false, message: error instanceof Error ? error.message : String(error) }),
  );
});

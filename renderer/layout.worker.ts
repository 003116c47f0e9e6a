/**
 * Graph layout off the UI thread: ELK (or the quick layered layout for huge graphs) blocks for
 * seconds on big estates, so it runs here and the page only applies the positions.
 */
import { layoutEgressGraph } from '../shared/graph/layout';
import type { LayoutRequest, LayoutResponse } from './layout-client';

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<LayoutRequest>) => void) | null;
  postMessage(message: LayoutResponse): void;
};

scope.onmessage = (e: MessageEvent<LayoutRequest>) => {
  const { requestId, graph } = e.data;
  layoutEgressGraph(graph).then(
    (layout) => scope.postMessage({ requestId, ok: true, layout }),
    (error: unknown) => scope.postMessage({ requestId, ok: false, message: error instanceof Error ? error.message : String(error) }),
  );
};

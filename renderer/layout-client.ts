/** Talks to the layout Web Worker: one worker for the page, requests matched by ID. */
import type { GraphLayout } from '../shared/graph/layout-types';
import type { EgressGraph } from '../shared/graph/types';

export interface LayoutRequest {
  readonly requestId: number;
  readonly graph: EgressGraph;
}

export type LayoutResponse =
  | { readonly requestId: number; readonly ok: true; readonly layout: GraphLayout }
  | { readonly requestId: number; readonly ok: false; readonly message: string };

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, { resolve: (l: GraphLayout) => void; reject: (e: Error) => void }>();

function getWorker(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (e: MessageEvent<LayoutResponse>) => {
    // Anything without our request ID (e.g. elkjs's own worker chatter) is not for us.
    if (typeof e.data !== 'object' || e.data === null || typeof e.data.requestId !== 'number') return;
    const waiter = pending.get(e.data.requestId);
    if (!waiter) return;
    pending.delete(e.data.requestId);
    if (e.data.ok) waiter.resolve(e.data.layout);
    else waiter.reject(new Error(e.data.message));
  };
  worker.onerror = (e: ErrorEvent) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`Layout worker failed: ${e.message}`));
    pending.clear();
    worker = null;
  };
  return worker;
}

export function layoutInWorker(graph: EgressGraph): Promise<GraphLayout> {
  const requestId = nextId++;
  return new Promise<GraphLayout>((resolve, reject) => {
    pending.set(requestId, { resolve, reject });
    getWorker().postMessage({ requestId, graph } satisfies LayoutRequest);
  });
}

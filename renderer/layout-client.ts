/**
 * Talks to the graph Web Worker, which builds the egress graph for a view AND lays it out, so
 * neither blocks the UI thread on big estates. The estate (model + result) is sent once per result;
 * each request then names only the view. One worker for the page, requests matched by ID.
 */
import type { ResolveResult } from '../shared/egress/types';
import type { GraphLayout } from '../shared/graph/layout-types';
import type { EgressGraph, GraphView } from '../shared/graph/types';
import type { NetworkModel } from '../shared/model/topology';
import type { ViewMode } from './state/app-state';

export interface GraphRequest {
  /** `auto`: `chooseDefaultView`; `overview` becomes the path-only view while a source is selected. */
  readonly mode: ViewMode;
  readonly selectedSourceId: string | null;
}

export type WorkerRequest =
  | { readonly kind: 'load'; readonly resultId: number; readonly model: NetworkModel; readonly result: ResolveResult }
  | { readonly kind: 'layout'; readonly requestId: number; readonly resultId: number; readonly request: GraphRequest }
  | { readonly kind: 'diagram'; readonly requestId: number; readonly resultId: number; readonly request: DiagramRequest };

/** A graph for a diagram export: the estate (as the view mode shows it) or the selected sources' paths. */
export interface DiagramRequest {
  readonly mode: ViewMode;
  /** Empty: the whole estate. */
  readonly sourceIds: readonly string[];
  /** false: the graph only (Mermaid needs no positions). */
  readonly withLayout: boolean;
}

export interface GraphAnswer {
  readonly graph: EgressGraph;
  readonly layout: GraphLayout;
  /** The view chosen before any selection (tells whether a selection changes the graph). */
  readonly baseView: GraphView['kind'];
  /** Time spent in the worker building and laying out, ms. */
  readonly workerMs: number;
}

export type WorkerResponse =
  | ({ readonly requestId: number; readonly ok: true } & GraphAnswer)
  | { readonly requestId: number; readonly ok: false; readonly message: string };

let worker: Worker | null = null;
let nextId = 1;
let nextResultId = 1;
const pending = new Map<number, { resolve: (a: GraphAnswer) => void; reject: (e: Error) => void }>();
const loaded = new WeakMap<ResolveResult, number>();

function getWorker(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (e: MessageEvent<WorkerResponse>) => {
    // Anything without our request ID (e.g. elkjs's own worker chatter) is not for us.
    if (typeof e.data !== 'object' || e.data === null || typeof e.data.requestId !== 'number') return;
    const waiter = pending.get(e.data.requestId);
    if (!waiter) return;
    pending.delete(e.data.requestId);
    if (e.data.ok) waiter.resolve(e.data);
    else waiter.reject(new Error(e.data.message));
  };
  worker.onerror = (e: ErrorEvent) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`Layout worker failed: ${e.message}`));
    pending.clear();
    worker = null;
  };
  return worker;
}

/** Starts the worker (and its 1.4 MB of layout code) before the first estate needs it. */
export function prewarmGraphWorker(): void {
  getWorker();
}

export function graphInWorker(model: NetworkModel, result: ResolveResult, request: GraphRequest): Promise<GraphAnswer> {
  return ask(model, result, (requestId, resultId) => ({ kind: 'layout', requestId, resultId, request }));
}

/** The graph of a diagram export, laid out with EXPORT_LAYOUT_OPTIONS (no truncated labels) when asked. */
export function diagramInWorker(model: NetworkModel, result: ResolveResult, request: DiagramRequest): Promise<GraphAnswer> {
  return ask(model, result, (requestId, resultId) => ({ kind: 'diagram', requestId, resultId, request }));
}

function ask(model: NetworkModel, result: ResolveResult, message: (requestId: number, resultId: number) => WorkerRequest): Promise<GraphAnswer> {
  const w = getWorker();
  let resultId = loaded.get(result);
  if (resultId === undefined) {
    resultId = nextResultId++;
    loaded.set(result, resultId);
    w.postMessage({ kind: 'load', resultId, model, result } satisfies WorkerRequest);
  }
  const requestId = nextId++;
  return new Promise<GraphAnswer>((resolve, reject) => {
    pending.set(requestId, { resolve, reject });
    w.postMessage(message(requestId, resultId));
  });
}

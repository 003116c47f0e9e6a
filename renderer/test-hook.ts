/**
 * `window.__egressAtlasTest`: read-only accessors the e2e tests and the UI bench use (the cytoscape
 * instance, the reducer state, timings). Exposed in every build because it is harmless: it grants
 * nothing the page's own scripts cannot already reach (no bridge token, no main-side access), and
 * the CSP forbids any foreign script that could use it.
 */
import type { Core } from 'cytoscape';
import type { AppState } from './state/app-state';

export interface UiTimings {
  /** performance.now() when the estate (or a new result) arrived. */
  resultAt: number | null;
  /** performance.now() when the graph for it was first drawn. */
  graphRenderedAt: number | null;
  /** performance.now() of the last selection (list click, key, graph tap). */
  selectedAt: number | null;
  /** ms the worker spent building + laying out the last graph. */
  lastWorkerMs: number | null;
  /** ms cytoscape took to replace the elements (before painting). */
  lastSetElementsMs: number | null;
  /** ms from a selection to its highlight being applied (React render + cytoscape batch). */
  lastHighlightMs: number | null;
  /** ms the cytoscape batch itself took. */
  lastHighlightBatchMs: number | null;
  /** The source whose highlight was applied last. */
  lastHighlightSourceId: string | null;
}

export interface TestHook {
  cy: Core | null;
  state: AppState | null;
  /** Increments each time a graph has been laid out and drawn. */
  renders: number;
  /** The list's displayed sources in display order (the list mounts only the rows in view). */
  visibleSourceIds: readonly string[];
  layingOut: boolean;
  readonly timings: UiTimings;
}

declare global {
  interface Window {
    __egressAtlasTest?: TestHook;
  }
}

export const testHook: TestHook = {
  cy: null,
  state: null,
  renders: 0,
  visibleSourceIds: [],
  layingOut: false,
  timings: { lastWorkerMs: null, lastSetElementsMs: null, selectedAt: null, resultAt: null, graphRenderedAt: null, lastHighlightMs: null, lastHighlightBatchMs: null, lastHighlightSourceId: null },
};

window.__egressAtlasTest = testHook;

/**
 * The app shell: the start screen until an estate is open, then the workspace. Owns the reducer
 * and every call to the main side (through bridge.ts).
 */
import { useCallback, useEffect, useReducer, useState } from 'react';
import type { ResolveResult } from '../../shared/egress/types';
import type { EstateOverview, IpcResult, LoadProgress, OpenedEstate } from '../../shared/ipc/contract';
import { getApi, isDesktop } from '../bridge';
import { INITIAL_STATE, perform } from '../state/app-state';
import { testHook } from '../test-hook';
import { LargeEstate } from './LargeEstate';
import { StartScreen } from './StartScreen';
import { Workspace } from './Workspace';

/**
 * `resolving`: the default-route answer, already requested (when the estate ID is known up front).
 * `notice`: a sentence that came with the estate (a pull whose recent-list copy failed), shown in
 * the workspace until dismissed.
 */
export type OpenEstate = (label: string, load: () => Promise<IpcResult<OpenedEstate>>, resolving?: Promise<IpcResult<ResolveResult>>, notice?: string | null) => Promise<boolean>;

/** `#demo=bank` opens that demo straight away. */
function demoFromHash(hash: string): string | null {
  const m = /(?:^#|&)demo=([A-Za-z0-9_-]+)/.exec(hash);
  return m?.[1] ?? null;
}

/** `#load=<id>`: the main side is loading files (`npm run web -- FILE`): show its progress, then open the estate. */
function loadFromHash(hash: string): string | null {
  const m = /(?:^#|&)load=([A-Za-z0-9._:-]+)/.exec(hash);
  return m?.[1] ?? null;
}

/** How often the page asks for a main-side load's progress. */
const LOAD_POLL_MS = 150;

/** `#estate=<id>` opens an estate the main side already loaded (`egress-atlas ui FILE`). */
function loadedEstateFromHash(hash: string): string | null {
  const m = /(?:^#|&)estate=([A-Za-z0-9._:-]+)/.exec(hash);
  return m?.[1] ?? null;
}

export function App() {
  const api = getApi();
  const [state, dispatch] = useReducer(perform, INITIAL_STATE);
  useEffect(() => { testHook.state = state; }, [state]);
  /** A large estate (flow overview, paths on demand): the reducer's estate stays empty. */
  const [large, setLarge] = useState<EstateOverview | null>(null);
  const [loadProgress, setLoadProgress] = useState<LoadProgress | null>(null);
  /** The notice that came with the open estate (PullStatus.notice); each estate opened replaces it. */
  const [notice, setNotice] = useState<string | null>(null);

  const openEstate = useCallback<OpenEstate>(async (label, load, resolving, withNotice) => {
    dispatch({ kind: 'busy', label });
    const opened = await load();
    if (!opened.ok) { dispatch({ kind: 'failed', error: opened.error }); return false; }
    const resolved = await (resolving ?? api.resolve({ estateId: opened.value.summary.estateId, destination: null }));
    if (!resolved.ok) { dispatch({ kind: 'failed', error: resolved.error }); return false; }
    testHook.timings.resultAt = performance.now();
    setNotice(withNotice ?? opened.value.notice ?? null);
    dispatch({ kind: 'estate-opened', estate: opened.value, result: resolved.value });
    return true;
  }, [api]);

  /**
   * An estate the main side holds: its overview first; a large one stays on the main side (flow
   * overview, list rows and paths on demand), a small one is opened whole as before.
   */
  /** The whole estate in the page (every feature), as a small estate always opens. */
  const openWhole = useCallback(async (estateId: string): Promise<void> => {
    // Both at once: the bridge serializes one answer while the page parses the other.
    const resolving = api.resolve({ estateId, destination: null });
    await openEstate('Opening the estate…', () => api.openLoaded({ estateId }), resolving);
  }, [api, openEstate]);

  const openLoaded = useCallback(async (estateId: string): Promise<void> => {
    dispatch({ kind: 'busy', label: 'Opening the estate…' });
    const overview = await api.estateOverview({ estateId, grouping: 'virtual-network' });
    if (!overview.ok) { dispatch({ kind: 'failed', error: overview.error }); return; }
    if (overview.value.large) {
      testHook.timings.resultAt = performance.now();
      dispatch({ kind: 'idle' });
      setLarge(overview.value);
      return;
    }
    await openWhole(estateId);
  }, [api, openWhole]);

  /** Follows a main-side load (`npm run web -- FILE`, the Open dialog), then opens what it loaded. */
  const followLoad = useCallback(async (loadId: string): Promise<void> => {
    dispatch({ kind: 'busy', label: 'Loading the files on the main side…' });
    for (;;) {
      const status = await api.loadStatus({ loadId });
      if (!status.ok) { setLoadProgress(null); dispatch({ kind: 'failed', error: status.error }); return; }
      setLoadProgress(status.value.progress);
      if (status.value.error) { setLoadProgress(null); dispatch({ kind: 'failed', error: status.value.error }); return; }
      if (status.value.estateId !== null) {
        setLoadProgress(null);
        await openLoaded(status.value.estateId);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, LOAD_POLL_MS));
    }
  }, [api, openLoaded]);

  const openDialog = useCallback(async (): Promise<void> => {
    const chosen = await api.openFileDialog({});
    if (!chosen.ok) { dispatch({ kind: 'failed', error: chosen.error }); return; }
    if (chosen.value.loadId !== null) await followLoad(chosen.value.loadId);
  }, [api, followLoad]);

  useEffect(() => {
    const loading = loadFromHash(window.location.hash);
    if (loading !== null) {
      // In a callback: the progress arrives over time, as an external system's updates do.
      void Promise.resolve().then(() => followLoad(loading));
      return;
    }
    const loaded = loadedEstateFromHash(window.location.hash);
    if (loaded !== null) {
      void Promise.resolve().then(() => openLoaded(loaded));
      return;
    }
    const demo = demoFromHash(window.location.hash);
    // In a callback too: opening sets state (the estate's notice) once the answer is in.
    if (demo !== null) void Promise.resolve().then(() => openEstate(`Opening demo ${demo}…`, () => api.openDemo({ name: demo })));
  }, [api, openEstate, openLoaded, followLoad]);

  if (large) {
    return <LargeEstate api={api} estate={large} onClose={() => setLarge(null)}
      onOpenFull={() => { const estateId = large.summary.estateId; setLarge(null); void openWhole(estateId); }} />;
  }
  if (!state.estate || !state.result) {
    return (
      <StartScreen api={api} busy={state.busy} error={state.error} dispatch={dispatch} openEstate={openEstate}
        loadProgress={loadProgress} {...(isDesktop() ? { onOpenDialog: () => void openDialog() } : {})} />
    );
  }
  return <Workspace api={api} state={state} dispatch={dispatch} notice={notice} onDismissNotice={() => setNotice(null)} />;
}

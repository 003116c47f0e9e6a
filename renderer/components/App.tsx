/**
 * The app shell: the start screen until an estate is open, then the workspace. Owns the reducer
 * and every call to the main side (through bridge.ts).
 */
import { useCallback, useEffect, useReducer } from 'react';
import type { ResolveResult } from '../../shared/egress/types';
import type { IpcResult, OpenedEstate } from '../../shared/ipc/contract';
import { getApi } from '../bridge';
import { INITIAL_STATE, perform } from '../state/app-state';
import { testHook } from '../test-hook';
import { StartScreen } from './StartScreen';
import { Workspace } from './Workspace';

/** `resolving`: the default-route answer, already requested (when the estate ID is known up front). */
export type OpenEstate = (label: string, load: () => Promise<IpcResult<OpenedEstate>>, resolving?: Promise<IpcResult<ResolveResult>>) => Promise<boolean>;

/** `#demo=bank` opens that demo straight away. */
function demoFromHash(hash: string): string | null {
  const m = /(?:^#|&)demo=([A-Za-z0-9_-]+)/.exec(hash);
  return m?.[1] ?? null;
}

/** `#estate=<id>` opens an estate the main side already loaded (`egress-atlas ui FILE`). */
function loadedEstateFromHash(hash: string): string | null {
  const m = /(?:^#|&)estate=([A-Za-z0-9._:-]+)/.exec(hash);
  return m?.[1] ?? null;
}

export function App() {
  const api = getApi();
  const [state, dispatch] = useReducer(perform, INITIAL_STATE);
  useEffect(() => { testHook.state = state; }, [state]);

  const openEstate = useCallback<OpenEstate>(async (label, load, resolving) => {
    dispatch({ kind: 'busy', label });
    const opened = await load();
    if (!opened.ok) { dispatch({ kind: 'failed', error: opened.error }); return false; }
    const resolved = await (resolving ?? api.resolve({ estateId: opened.value.summary.estateId, destination: null }));
    if (!resolved.ok) { dispatch({ kind: 'failed', error: resolved.error }); return false; }
    testHook.timings.resultAt = performance.now();
    dispatch({ kind: 'estate-opened', estate: opened.value, result: resolved.value });
    return true;
  }, [api]);

  useEffect(() => {
    const loaded = loadedEstateFromHash(window.location.hash);
    if (loaded !== null) {
      // Both at once: the bridge serializes one answer while the page parses the other.
      const resolving = api.resolve({ estateId: loaded, destination: null });
      void openEstate('Opening the estate…', () => api.openLoaded({ estateId: loaded }), resolving);
      return;
    }
    const demo = demoFromHash(window.location.hash);
    if (demo !== null) void openEstate(`Opening demo ${demo}…`, () => api.openDemo({ name: demo }));
  }, [api, openEstate]);

  if (!state.estate || !state.result) {
    return <StartScreen api={api} busy={state.busy} error={state.error} dispatch={dispatch} openEstate={openEstate} />;
  }
  return <Workspace api={api} state={state} dispatch={dispatch} />;
}

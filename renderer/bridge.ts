/**
 * The ONLY module that reaches the main side. In Electron the preload exposes `window.egressAtlas`;
 * in browser mode (`npm run web`) the loopback bridge serves this page with `?token=…` and we speak
 * `POST /api/<operation>` with that token. Either way the rest of the renderer sees one typed
 * `EgressAtlasApi` whose answers are `IpcResult`s: errors are data.
 */
import {
  IPC_OPERATIONS, type EgressAtlasApi, type IpcOperation, type IpcRequest, type IpcResponse, type IpcResult,
} from '../shared/ipc/contract';
import { API_PATH_PREFIX, TOKEN_HEADER } from '../shared/ipc/security';

declare global {
  interface Window {
    readonly egressAtlas?: EgressAtlasApi;
  }
}

/** Reads `?token=` once and strips it from the address bar (keeps the `#demo=` fragment). */
function takeToken(): string | null {
  const url = new URL(window.location.href);
  const token = url.searchParams.get('token');
  if (token !== null) {
    url.searchParams.delete('token');
    window.history.replaceState(null, '', `${url.pathname}${url.search}${url.hash}`);
  }
  return token;
}

function httpCall<Op extends IpcOperation>(token: string, op: Op) {
  return async (request: IpcRequest<Op>): Promise<IpcResult<IpcResponse<Op>>> => {
    try {
      const response = await fetch(`${API_PATH_PREFIX}${op}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', [TOKEN_HEADER]: token },
        body: JSON.stringify(request),
      });
      const body: unknown = await response.json();
      if (typeof body === 'object' && body !== null && 'ok' in body) return body as IpcResult<IpcResponse<Op>>;
      return { ok: false, error: { code: 'internal', message: `Unexpected answer from the local bridge (HTTP ${response.status}).` } };
    } catch (e) {
      return { ok: false, error: { code: 'internal', message: `The local bridge did not answer: ${e instanceof Error ? e.message : String(e)}` } };
    }
  };
}

function httpApi(token: string): EgressAtlasApi {
  const entries = IPC_OPERATIONS.map((op) => [op, httpCall(token, op)] as const);
  return Object.fromEntries(entries) as unknown as EgressAtlasApi;
}

function unavailableApi(): EgressAtlasApi {
  const fail = async (): Promise<IpcResult<never>> => ({
    ok: false,
    error: { code: 'unsupported', message: 'No main side: open this page from the Egress Atlas app or `npm run web`.' },
  });
  return Object.fromEntries(IPC_OPERATIONS.map((op) => [op, fail])) as unknown as EgressAtlasApi;
}

let api: EgressAtlasApi | null = null;

export function getApi(): EgressAtlasApi {
  if (api) return api;
  if (window.egressAtlas) api = window.egressAtlas;
  else {
    const token = takeToken();
    api = token === null ? unavailableApi() : httpApi(token);
  }
  return api;
}

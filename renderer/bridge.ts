/**
 * The ONLY module that reaches the main side. In Electron the preload exposes `window.egressAtlas`;
 * in browser mode (`npm run web`) the page is opened with a one-time launch code in its fragment,
 * trades it for the session token (`POST /session`) and speaks `POST /api/<operation>` with it. Either way the rest of the renderer sees one typed
 * `EgressAtlasApi` whose answers are `IpcResult`s: errors are data.
 */
import {
  IPC_OPERATIONS, type EgressAtlasApi, type IpcOperation, type IpcRequest, type IpcResponse, type IpcResult,
} from '../shared/ipc/contract';
import { API_PATH_PREFIX, LAUNCH_CODE_HEADER, SESSION_PATH, TOKEN_HEADER } from '../shared/ipc/security';

declare global {
  interface Window {
    readonly egressAtlas?: EgressAtlasApi;
  }
}

const SESSION_KEY = 'egress-atlas-session-token';

/**
 * Takes `code=` out of the fragment before anything renders (keeps `demo=`), so the address bar
 * and history never show a usable secret; the code itself is spent on first use.
 */
function takeLaunchCode(): string | null {
  const hash = window.location.hash.replace(/^#/, '');
  const params = new URLSearchParams(hash);
  const code = params.get('code');
  if (code === null) return null;
  params.delete('code');
  const rest = params.toString();
  // `?launch` only marks a launch URL (a full load each time); it goes with the code.
  window.history.replaceState(null, '', `${window.location.pathname}${rest === '' ? '' : `#${rest}`}`);
  return code;
}

/** The session token: from this tab's earlier exchange (a reload), or by trading the launch code. */
async function sessionToken(code: string | null): Promise<string> {
  if (code === null) {
    const kept = window.sessionStorage.getItem(SESSION_KEY);
    if (kept !== null) return kept;
    throw new Error('No launch code: open the URL printed by `npm run web` (each URL opens once).');
  }
  const response = await fetch(SESSION_PATH, { method: 'POST', headers: { [LAUNCH_CODE_HEADER]: code } });
  if (!response.ok) throw new Error((await response.text()).trim() || `The local bridge refused the launch code (HTTP ${response.status}).`);
  const body: unknown = await response.json();
  const token = typeof body === 'object' && body !== null && 'token' in body && typeof body.token === 'string' ? body.token : null;
  if (token === null) throw new Error('The local bridge answered the launch code without a token.');
  // Per tab and gone when it closes: a reload keeps working, history and other tabs get nothing.
  window.sessionStorage.setItem(SESSION_KEY, token);
  return token;
}

function httpCall<Op extends IpcOperation>(tokenPromise: Promise<string>, op: Op) {
  return async (request: IpcRequest<Op>): Promise<IpcResult<IpcResponse<Op>>> => {
    let token: string;
    try {
      token = await tokenPromise;
    } catch (e) {
      return { ok: false, error: { code: 'unsupported', message: e instanceof Error ? e.message : String(e) } };
    }
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

function httpApi(tokenPromise: Promise<string>): EgressAtlasApi {
  // Failure is reported per call (an IpcResult); this keeps the browser from also logging it as unhandled.
  tokenPromise.catch(() => undefined);
  const entries = IPC_OPERATIONS.map((op) => [op, httpCall(tokenPromise, op)] as const);
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

/** The desktop app (Electron's preload is present): files are opened by the main side's Open dialog. */
export function isDesktop(): boolean {
  return window.egressAtlas !== undefined;
}

export function getApi(): EgressAtlasApi {
  if (api) return api;
  if (window.egressAtlas) api = window.egressAtlas;
  else {
    const code = takeLaunchCode();
    api = code === null && window.sessionStorage.getItem(SESSION_KEY) === null ? unavailableApi() : httpApi(sessionToken(code));
  }
  return api;
}

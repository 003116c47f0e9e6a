/**
 * Browser mode: the renderer served as a web page on 127.0.0.1, talking to the same main-side
 * services as Electron through a small HTTP bridge, `POST /api/<operation>` with a JSON body.
 *
 * Only this machine's user should be able to drive it, so:
 * - it listens on 127.0.0.1 only;
 * - every API call carries a per-launch random token (header `X-Egress-Atlas-Token`, compared in
 *   constant time). The URL the user opens holds only a one-time launch code, in its fragment
 *   (not sent in requests or Referers); the page trades it once at `POST /session` for the token,
 *   so a URL left in browser history or a screenshot opens nothing;
 * - the `Host` header must name 127.0.0.1 or localhost on our port (DNS rebinding: a hostile page
 *   whose name resolves to 127.0.0.1 sends its own name as Host);
 * - a cross-origin `Origin` is refused, bodies are size-capped, and every response carries the
 *   app's CSP and `X-Content-Type-Options: nosniff`.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EgressAtlasApi, IpcResult, LoadStatus } from '../../shared/ipc/contract';
import { API_PATH_PREFIX, CONTENT_SECURITY_POLICY_HEADER, LAUNCH_CODE_HEADER, SESSION_PATH, TOKEN_HEADER } from '../../shared/ipc/security';
import { isIpcOperation } from '../../shared/ipc/validate';
import { handleUntrustedRequest } from '../services/dispatch';
import type { LoadProgress } from '../services/load-estate';
import type { MainServices } from '../services/main-services';
import { ensureRendererBuilt } from './renderer-build';
import { findStaticFile } from './static-files';

/** JSON text of the largest import the validator allows, with headroom for string escaping. */
/** IPC_LIMITS.maxImportChars plus JSON escaping headroom, below V8's ~536 M-character string limit (the body is decoded as one string). */
export const DEFAULT_MAX_BODY_BYTES = 480 * 1024 * 1024;

export interface WebServerOptions {
  /** The operations to serve. Absent: the app's real services (electron/services/default-services). */
  readonly services?: EgressAtlasApi | MainServices;
  /** Where the real services keep the recent list (ignored when `services` is given). Absent: memory only. */
  readonly dataDir?: string | null;
  /** Directory of the built renderer (index.html + assets). Absent: `renderer/dist`, built first if stale. */
  readonly staticDir?: string;
  /** Progress lines (renderer build); absent: silent. */
  readonly log?: (line: string) => void;
  /** 0 or absent: an OS-assigned free port. */
  readonly port?: number;
  /** Demo to open first, put in the URL fragment. Default `bank`; null: none. */
  readonly demo?: string | null;
  /** Fixed token (tests); absent: 24 random bytes, base64url. */
  readonly token?: string;
  readonly maxBodyBytes?: number;
  /**
   * Snapshot / ARM files or directories to open on the main side before listening (`ui FILE`):
   * the URL then says `estate=<id>` instead of a demo, and the page opens it without uploading it.
   * Needs the real services (or `MainServices`). Bad input rejects (InputError) and nothing listens.
   */
  readonly openPaths?: readonly string[];
  /** Progress of loading `openPaths`. */
  readonly onLoadProgress?: (progress: LoadProgress) => void;
  /**
   * Listen first and load `openPaths` in the background: the URL then says `load=<id>` and the page
   * shows the load's progress (`loadStatus`) before opening the estate. Bad input is then reported
   * to the page (and by `WebServer.loaded`), not by a rejection.
   */
  readonly loadInBackground?: boolean;
}

export interface WebServer {
  /** The URL to open: `http://127.0.0.1:<port>/?launch#code=<one-time code>&demo=<name>` (or `&estate=<id>`). */
  readonly url: string;
  /** A further URL with a fresh one-time code (tests, a second window). */
  launchUrl(demo: string | null, estateId?: string | null, loadId?: string | null): string;
  /** A URL like `url` (the same demo, estate or load) with a fresh one-time code: `url`'s expires unused. */
  freshUrl(): string;
  /** The estate loaded from `openPaths`, or null (also while it loads in the background). */
  readonly estateId: string | null;
  /** The background load of `openPaths` (`loadInBackground`), or null. */
  readonly loadId: string | null;
  /** Settles with the background load's outcome (null without one). */
  readonly loaded: Promise<LoadStatus | null>;
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

export const LISTEN_HOST = '127.0.0.1';

/** How long a background load waits for the page's first `loadStatus` before starting anyway. */
export const BACKGROUND_LOAD_GRACE_MS = 1500;

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Constant-time comparison; hashing first makes both sides the same length. */
export function tokensMatch(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

export function isAllowedHost(host: string | undefined, port: number): boolean {
  if (host === undefined) return false;
  const h = host.toLowerCase();
  return h === `127.0.0.1:${port}` || h === `localhost:${port}`;
}

function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  return origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY_HEADER);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  // Belt and braces: nothing secret is in a URL now, but no page needs to send a Referer.
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

function sendText(res: ServerResponse, status: number, text: string, extraHeaders: Readonly<Record<string, string>> = {}): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  for (const [name, value] of Object.entries(extraHeaders)) res.setHeader(name, value);
  res.end(`${text}\n`);
}

function sendJson(res: ServerResponse, status: number, body: IpcResult<unknown>): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(JSON.stringify(body));
}

class BodyTooLargeError extends Error {}

/** Reads the body up to `maxBytes`; rejects with BodyTooLargeError beyond that. */
function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(headerValue(req, 'content-length') ?? '0');
    if (Number.isFinite(declared) && declared > maxBytes) {
      reject(new BodyTooLargeError());
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

interface Context {
  readonly services: EgressAtlasApi;
  readonly staticDir: string;
  readonly token: string;
  /** Launch codes not yet traded for the token, each with the time (ms since the epoch) it expires. */
  readonly launchCodes: Map<string, number>;
  readonly maxBodyBytes: number;
  port: number;
}

async function handleApi(ctx: Context, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
  if (req.method !== 'POST') {
    sendText(res, 405, 'Method not allowed', { Allow: 'POST' });
    return;
  }
  if (!tokensMatch(ctx.token, headerValue(req, TOKEN_HEADER))) {
    sendText(res, 401, 'Missing or wrong token: open the URL printed in the terminal');
    return;
  }
  if (!isAllowedOrigin(headerValue(req, 'origin'), ctx.port)) {
    sendText(res, 403, 'Cross-origin request refused');
    return;
  }
  const op = pathname.slice(API_PATH_PREFIX.length);
  if (!isIpcOperation(op)) {
    sendText(res, 404, 'No such operation');
    return;
  }
  if (!(headerValue(req, 'content-type') ?? '').toLowerCase().startsWith('application/json')) {
    sendText(res, 415, 'Expected Content-Type: application/json');
    return;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(await readBody(req, ctx.maxBodyBytes));
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      res.setHeader('Connection', 'close');
      sendText(res, 413, 'Request body too large');
      return;
    }
    sendJson(res, 400, { ok: false, error: { code: 'invalid-request', message: 'The request body is not valid JSON' } });
    return;
  }
  sendJson(res, 200, await handleUntrustedRequest(ctx.services, op, raw));
}

async function handleStatic(ctx: Context, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendText(res, 405, 'Method not allowed', { Allow: 'GET, HEAD' });
    return;
  }
  const file = await findStaticFile(ctx.staticDir, pathname);
  if (!file && pathname === '/favicon.ico') {
    // Browsers ask for it unprompted; an empty answer keeps their console free of 404 noise.
    res.statusCode = 204;
    res.end();
    return;
  }
  if (!file) {
    sendText(res, 404, 'Not found');
    return;
  }
  res.statusCode = 200;
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('Content-Length', String(file.size));
  res.setHeader('Cache-Control', 'no-cache');
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file.path);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

async function handleRequest(ctx: Context, req: IncomingMessage, res: ServerResponse): Promise<void> {
  setSecurityHeaders(res);
  if (!isAllowedHost(headerValue(req, 'host'), ctx.port)) {
    sendText(res, 403, 'Host not allowed');
    return;
  }
  const rawUrl = req.url ?? '/';
  // Only origin-form request targets (`/path?query`); absolute-form is for proxies.
  if (!rawUrl.startsWith('/')) {
    sendText(res, 400, 'Bad request target');
    return;
  }
  const pathname = rawUrl.split('?')[0] ?? '/';
  if (pathname === SESSION_PATH) {
    handleSession(ctx, req, res);
  } else if (pathname.startsWith(API_PATH_PREFIX)) {
    await handleApi(ctx, req, res, pathname);
  } else {
    await handleStatic(ctx, req, res, pathname);
  }
}

/**
 * Prints a new launch URL for every line typed in the terminal: a launch code expires unused after
 * LAUNCH_CODE_TTL_MS, and a server holding a large estate loaded from a file should not have to be
 * restarted (and the file read again) for a new one. `npm run web`, `npm start` and `ui` use it.
 */
export function newLinkOnEnter(input: NodeJS.ReadableStream, mint: () => string, out: (line: string) => void): () => void {
  out(`Each link opens once, within ${LAUNCH_CODE_TTL_MS / 60_000} minutes: press Enter here for a new one.`);
  input.setEncoding('utf8');
  const onData = (chunk: string): void => {
    for (let i = 0; i < chunk.split('\n').length - 1; i++) out(`New link: ${mint()}`);
  };
  input.on('data', onData);
  // Stops listening: a terminal read left flowing would keep the process alive after the server stops.
  return () => {
    input.off('data', onData);
    input.pause();
  };
}

/**
 * How long a launch code can be traded. The code buys the session token; it is printed to the
 * terminal (scroll-back, session logs) and handed to the browser on its command line, so an unused
 * one must not stay good for as long as the server runs: one-time codes are short-lived (RFC 6749
 * §4.1.2 recommends at most 10 minutes for authorization codes).
 */
export const LAUNCH_CODE_TTL_MS = 10 * 60_000;

function dropExpiredCodes(ctx: Context): void {
  const now = Date.now();
  for (const [code, expires] of ctx.launchCodes) if (expires <= now) ctx.launchCodes.delete(code);
}

/** Trades a launch code (once, within LAUNCH_CODE_TTL_MS) for the session token. */
function handleSession(ctx: Context, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'POST') {
    sendText(res, 405, 'Method not allowed', { Allow: 'POST' });
    return;
  }
  if (!isAllowedOrigin(headerValue(req, 'origin'), ctx.port)) {
    sendText(res, 403, 'Cross-origin request refused');
    return;
  }
  const given = headerValue(req, LAUNCH_CODE_HEADER);
  dropExpiredCodes(ctx);
  const code = given === undefined ? undefined : [...ctx.launchCodes.keys()].find((c) => tokensMatch(c, given));
  if (code === undefined) {
    sendText(res, 401, `This launch link was already used, is older than ${LAUNCH_CODE_TTL_MS / 60_000} minutes, or is not ours: press Enter in the terminal where Egress Atlas runs for a new one`);
    return;
  }
  ctx.launchCodes.delete(code);
  res.statusCode = 200;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(JSON.stringify({ token: ctx.token }));
  req.resume();
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LISTEN_HOST, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Imported on demand so the bridge (and its tests) load without the whole app behind it. */
async function createDefaultServicesLazily(dataDir: string | null): Promise<EgressAtlasApi> {
  const { createDefaultServices } = await import('../services/default-services');
  return createDefaultServices({ dataDir });
}

export function openUrl(origin: string, launchCode: string, demo: string | null, estateId: string | null = null, loadId: string | null = null): string {
  const demoPart = loadId !== null ? `&load=${encodeURIComponent(loadId)}`
    : estateId !== null ? `&estate=${encodeURIComponent(estateId)}` : demo === null ? '' : `&demo=${encodeURIComponent(demo)}`;
  // `?launch` makes every launch URL a full page load: the page strips it with the code, so
  // opening the printed URL again is not a same-document fragment change.
  return `${origin}/?launch#code=${encodeURIComponent(launchCode)}${demoPart}`;
}

function hasAddLoaded(services: EgressAtlasApi | MainServices): services is MainServices {
  return typeof (services as Partial<MainServices>).addLoaded === 'function';
}

/** Starts the bridge on 127.0.0.1; resolves once it is listening. */
export async function startWebServer(options: WebServerOptions = {}): Promise<WebServer> {
  const token = options.token ?? newToken();
  const services = options.services ?? await createDefaultServicesLazily(options.dataDir ?? null);
  let estateId: string | null = null;
  let loadId: string | null = null;
  let loaded: Promise<LoadStatus | null> = Promise.resolve(null);
  if (options.openPaths !== undefined && options.openPaths.length > 0 && options.loadInBackground === true) {
    if (!hasAddLoaded(services)) throw new Error('openPaths needs the main services (MainServices)');
    // Starts when the page first asks for its progress (or after a moment without a page).
    const id = services.startLoad(options.openPaths, options.onLoadProgress, { startWhenPolledOrAfterMs: BACKGROUND_LOAD_GRACE_MS });
    loadId = id;
    loaded = services.loadSettled(id);
  } else if (options.openPaths !== undefined && options.openPaths.length > 0) {
    if (!hasAddLoaded(services)) throw new Error('openPaths needs the main services (MainServices)');
    const { loadEstateFromPaths } = await import('../services/load-estate');
    const opened = await loadEstateFromPaths(services, options.openPaths, options.onLoadProgress ? { onProgress: options.onLoadProgress } : {});
    estateId = opened.summary.estateId;
  }
  // After loading: a bad file fails before any renderer build.
  const staticDir = options.staticDir ?? await ensureRendererBuilt({ log: options.log ?? (() => undefined) });
  const ctx: Context = { services, staticDir, token, launchCodes: new Map(), maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, port: 0 };
  const server = createServer((req, res) => {
    handleRequest(ctx, req, res).catch(() => {
      if (!res.headersSent) sendText(res, 500, 'Internal error');
      else res.destroy();
    });
  });
  ctx.port = await listen(server, options.port ?? 0);
  const origin = `http://${LISTEN_HOST}:${ctx.port}`;
  const launchUrl = (demo: string | null, estate: string | null = null, load: string | null = null): string => {
    const code = newToken();
    dropExpiredCodes(ctx);
    ctx.launchCodes.set(code, Date.now() + LAUNCH_CODE_TTL_MS);
    return openUrl(origin, code, demo, estate, load);
  };
  const firstTarget = (): string => (loadId !== null ? launchUrl(null, null, loadId) : launchUrl(options.demo === undefined ? 'bank' : options.demo, estateId));
  const url = firstTarget();
  return {
    url,
    launchUrl,
    freshUrl: firstTarget,
    estateId,
    loadId,
    loaded,
    origin,
    port: ctx.port,
    token,
    close: () => new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    }),
  };
}

/**
 * Serves the packaged renderer (renderer/dist) under `app://egress-atlas/`. A standard, secure
 * custom scheme gives the page a real origin (so CSP `'self'`, module scripts and workers behave as
 * on https) without a local web server, and it can only ever serve files from that one directory.
 * [protocol] https://www.electronjs.org/docs/latest/api/protocol#protocolhandlescheme-handler
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { protocol } from 'electron';
import { CONTENT_SECURITY_POLICY_HEADER } from '../../shared/ipc/security';
import { contentTypeFor, findStaticFile, toRelativeFilePath } from '../web/static-files';
import { APP_HOST, APP_SCHEME } from './app-url';

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } },
  ]);
}

/** A path inside an asar archive (`…/app.asar/…`). */
const ASAR_PATH = /\.asar([\\/]|$)/i;

function notFound(): Response {
  return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
}

/** The response for one `app://` request (exported for tests). */
export async function serveAppRequest(rendererDir: string, requestUrl: string): Promise<Response> {
  const url = new URL(requestUrl);
  if (url.host !== APP_HOST) return notFound();
  let filePath: string;
  if (ASAR_PATH.test(rendererDir)) {
    // Inside app.asar (built by us, checked by the ASAR integrity fuse): toRelativeFilePath refuses
    // `..` and encoded tricks; Electron's asar layer is not relied on for realpath.
    const relative = toRelativeFilePath(url.pathname);
    if (relative === null) return notFound();
    filePath = join(rendererDir, relative);
  } else {
    // An unpacked tree (`npm start`, a dev build) may hold symlinks: as in browser mode, only a file
    // whose real path stays inside renderer/dist is served.
    const found = await findStaticFile(rendererDir, url.pathname);
    if (found === null) return notFound();
    filePath = found.path;
  }
  try {
    const body = await readFile(filePath);
    return new Response(body, {
      status: 200,
      headers: {
        'Content-Type': contentTypeFor(filePath),
        'Content-Security-Policy': CONTENT_SECURITY_POLICY_HEADER,
        'X-Content-Type-Options': 'nosniff',
      },
    });
  } catch {
    return notFound();
  }
}

/** Must run after the app is ready. */
export function handleAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(rendererDir, request.url));
}

/**
 * The app's own page lives at `app://egress-atlas/…`, a privileged custom scheme served from the
 * packaged renderer/dist (never a remote URL). No Electron import here: the IPC sender check, the
 * protocol handler and tests share these definitions.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'egress-atlas';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** The page the window loads; `#demo=<name>` tells the renderer what to open first. */
export function startPageUrl(demo: string | null): string {
  return `${APP_ORIGIN}/index.html${demo === null ? '' : `#demo=${encodeURIComponent(demo)}`}`;
}

/** True only for a URL on our own scheme and host (a frame of our renderer). */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

/**
 * Links the renderer may open in the user's browser (resolver hops cite Microsoft Learn). Anything
 * else is refused: `shell.openExternal` on an arbitrary URL can launch local handlers.
 * [openExternal] https://www.electronjs.org/docs/latest/tutorial/security#15-do-not-use-shellopenexternal-with-untrusted-content
 */
const EXTERNAL_HOSTS: readonly string[] = ['learn.microsoft.com', 'docs.microsoft.com', 'azure.microsoft.com', 'portal.azure.com'];

export function isAllowedExternalUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '' && parsed.port === ''
      && EXTERNAL_HOSTS.includes(parsed.hostname.toLowerCase());
  } catch {
    return false;
  }
}

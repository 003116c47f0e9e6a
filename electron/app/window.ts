/**
 * The ONE window factory, with Electron's security checklist applied in one place:
 * https://www.electronjs.org/docs/latest/tutorial/security
 * - renderer isolated and sandboxed, no Node in the page (2, 3, 4);
 * - web security on, no insecure content (5, 6);
 * - a strict CSP on every response (7);
 * - no navigation, no new windows, no webviews (13, 14, 12); only allow-listed https links go to
 *   the user's browser (15);
 * - every permission request denied (5);
 * - only our own page is loaded; any http(s)/ws request from the renderer is cancelled (1).
 */
import { BrowserWindow, shell, type Session, type WebContents, type WebPreferences } from 'electron';
import { CONTENT_SECURITY_POLICY_HEADER } from '../../shared/ipc/security';
import { isAllowedExternalUrl, isAppUrl } from './app-url';

export function secureWebPreferences(preloadPath: string, devTools: boolean): WebPreferences {
  return {
    preload: preloadPath,
    // A packaged build has no DevTools: an auditor's machine offers no console into the page.
    devTools,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  };
}

function openExternally(url: string): void {
  if (isAllowedExternalUrl(url)) void shell.openExternal(url);
}

/** Applied once per web contents: both `web-contents-created` and the factory call this. */
const hardened = new WeakSet<WebContents>();

/** Navigation and window-opening rules for any web contents the app creates. */
export function hardenWebContents(contents: WebContents): void {
  if (hardened.has(contents)) return;
  hardened.add(contents);
  // In-page (hash) navigation does not fire will-navigate, so the single-page renderer is unaffected.
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    openExternally(url);
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url);
    return { action: 'deny' };
  });
}

/** Session-wide rules: deny permissions, CSP on every response, no remote requests. */
export function hardenSession(ses: Session): void {
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY_HEADER] } });
  });
  ses.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] }, (_details, callback) => {
    callback({ cancel: true });
  });
}

export interface MainWindowOptions {
  readonly preloadPath: string;
  /** Must be our own `app://` page. */
  readonly startUrl: string;
  /** `!app.isPackaged`: DevTools only in development. */
  readonly devTools: boolean;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  if (!isAppUrl(options.startUrl)) throw new Error(`Refusing to load a page that is not the app's own: ${options.startUrl}`);
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Egress Atlas',
    backgroundColor: '#ffffff',
    webPreferences: secureWebPreferences(options.preloadPath, options.devTools),
  });
  hardenWebContents(window.webContents);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(options.startUrl);
  return window;
}

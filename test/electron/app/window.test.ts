import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY_HEADER } from '../../../shared/ipc/security';

type Listener = (...args: unknown[]) => unknown;

const { windows, openExternal, FakeBrowserWindow } = vi.hoisted(() => {
  class FakeWebContents {
    readonly listeners = new Map<string, Listener>();
    windowOpenHandler: Listener | null = null;
    on(name: string, listener: Listener) { this.listeners.set(name, listener); return this; }
    setWindowOpenHandler(handler: Listener) { this.windowOpenHandler = handler; }
  }
  const windows: FakeBrowserWindow[] = [];
  class FakeBrowserWindow {
    readonly webContents = new FakeWebContents();
    loadedUrl: string | null = null;
    constructor(readonly options: Record<string, unknown>) { windows.push(this); }
    once() { return this; }
    loadURL(url: string) { this.loadedUrl = url; return Promise.resolve(); }
  }
  return { windows, openExternal: vi.fn(async () => undefined), FakeBrowserWindow };
});
vi.mock('electron', () => ({ BrowserWindow: FakeBrowserWindow, shell: { openExternal } }));

const { createMainWindow, hardenSession, hardenWebContents } = await import('../../../electron/app/window');

function preventable() {
  return { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
}

describe('main window', () => {
  beforeEach(() => {
    windows.length = 0;
    openExternal.mockClear();
  });

  it('applies the security checklist to webPreferences', () => {
    createMainWindow({ preloadPath: '/app/electron/dist/preload.cjs', startUrl: 'app://egress-atlas/index.html#demo=bank', devTools: false });
    expect(windows).toHaveLength(1);
    expect(windows[0]?.options.webPreferences).toMatchObject({
      preload: '/app/electron/dist/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    });
    expect(windows[0]?.loadedUrl).toBe('app://egress-atlas/index.html#demo=bank');
  });

  it('refuses to load anything but the app page', () => {
    for (const url of ['https://example.com/', 'file:///etc/passwd', 'http://127.0.0.1:5173/']) {
      expect(() => createMainWindow({ preloadPath: '/p.cjs', startUrl: url, devTools: false })).toThrow(/not the app's own/);
    }
    expect(windows).toHaveLength(0);
  });

  it('denies navigation and new windows; only allow-listed https docs links go to the browser', () => {
    createMainWindow({ preloadPath: '/p.cjs', startUrl: 'app://egress-atlas/index.html', devTools: false });
    const contents = windows[0]!.webContents;

    const navigate = contents.listeners.get('will-navigate')!;
    const toEvil = preventable();
    navigate(toEvil, 'https://evil.example/phish');
    expect(toEvil.defaultPrevented).toBe(true);
    const toDocs = preventable();
    navigate(toDocs, 'https://learn.microsoft.com/azure/nat-gateway/nat-overview');
    expect(toDocs.defaultPrevented).toBe(true);
    expect(openExternal).toHaveBeenCalledExactlyOnceWith('https://learn.microsoft.com/azure/nat-gateway/nat-overview');

    openExternal.mockClear();
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'http://learn.microsoft.com/x', 'ms-settings:', 'https://learn.microsoft.com/azure/firewall/overview']) {
      expect(contents.windowOpenHandler?.({ url })).toEqual({ action: 'deny' });
    }
    expect(openExternal).toHaveBeenCalledExactlyOnceWith('https://learn.microsoft.com/azure/firewall/overview');

    const attach = preventable();
    contents.listeners.get('will-attach-webview')?.(attach);
    expect(attach.defaultPrevented).toBe(true);
  });

  it('hardens a web contents once even when called again (app-wide hook and factory)', () => {
    createMainWindow({ preloadPath: '/p.cjs', startUrl: 'app://egress-atlas/index.html', devTools: false });
    const contents = windows[0]!.webContents;
    const navigate = contents.listeners.get('will-navigate');
    contents.listeners.clear();
    hardenWebContents(contents as never);
    expect(contents.listeners.size).toBe(0);
    expect(navigate).toBeDefined();
  });
});

describe('session hardening', () => {
  it('denies every permission, sets the CSP header and cancels remote requests', () => {
    let permissionHandler: Listener = () => undefined;
    let permissionCheck: Listener = () => true;
    let headers: Listener = () => undefined;
    let beforeRequest: { filter: { urls: string[] }; listener: Listener } | null = null;
    const session = {
      setPermissionRequestHandler: (h: Listener) => { permissionHandler = h; },
      setPermissionCheckHandler: (h: Listener) => { permissionCheck = h; },
      webRequest: {
        onHeadersReceived: (h: Listener) => { headers = h; },
        onBeforeRequest: (filter: { urls: string[] }, listener: Listener) => { beforeRequest = { filter, listener }; },
      },
    };
    hardenSession(session as never);

    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      const callback = vi.fn();
      permissionHandler({}, permission, callback);
      expect(callback).toHaveBeenCalledExactlyOnceWith(false);
    }
    expect(permissionCheck({}, 'media')).toBe(false);

    const callback = vi.fn();
    headers({ responseHeaders: { 'Content-Type': ['text/html'] } }, callback);
    expect(callback).toHaveBeenCalledWith({ responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY_HEADER] } });

    expect(beforeRequest!.filter.urls).toEqual(expect.arrayContaining(['http://*/*', 'https://*/*']));
    const cancel = vi.fn();
    beforeRequest!.listener({ url: 'https://evil.example/x.js' }, cancel);
    expect(cancel).toHaveBeenCalledWith({ cancel: true });
  });
});

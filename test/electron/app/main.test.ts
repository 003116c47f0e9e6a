import { describe, expect, it, vi } from 'vitest';
import { IPC_OPERATIONS } from '../../../shared/ipc/contract';

type Listener = (...args: unknown[]) => unknown;

const { calls, app, FakeBrowserWindow, windows, fakeServices } = vi.hoisted(() => {
  const calls: string[] = [];
  const appListeners = new Map<string, Listener>();
  let ready: () => void = () => undefined;
  const whenReady = new Promise<void>((resolve) => { ready = resolve; });
  const app = {
    listeners: appListeners,
    fireReady: () => ready(),
    enableSandbox: () => calls.push('enableSandbox'),
    requestSingleInstanceLock: () => true,
    quit: () => calls.push('quit'),
    on: (name: string, listener: Listener) => { appListeners.set(name, listener); return app; },
    whenReady: () => whenReady,
    getAppPath: () => '/opt/egress-atlas',
    isPackaged: true,
    getPath: (name: string) => `/home/ops/.config/Egress Atlas/${name}`,
  };
  const windows: FakeBrowserWindow[] = [];
  let nextId = 1;
  class FakeBrowserWindow {
    static getAllWindows = () => windows;
    static fromWebContents = (contents: { id: number }) => windows.find((w) => w.webContents.id === contents.id) ?? null;
    readonly webContents = { id: nextId++, on: () => undefined, setWindowOpenHandler: () => undefined };
    loadedUrl = '';
    constructor(readonly options: { webPreferences: { preload: string; devTools?: boolean } }) { windows.push(this); calls.push('window'); }
    once() { return this; }
    on() { return this; }
    loadURL(url: string) { this.loadedUrl = url; return Promise.resolve(); }
  }
  return { calls, app, FakeBrowserWindow, windows, fakeServices: { fake: true } };
});

vi.mock('electron', () => ({
  app,
  BrowserWindow: FakeBrowserWindow,
  shell: { openExternal: vi.fn() },
  session: {
    defaultSession: {
      setPermissionRequestHandler: () => calls.push('permissions'),
      setPermissionCheckHandler: () => undefined,
      webRequest: { onHeadersReceived: () => calls.push('csp'), onBeforeRequest: () => calls.push('block-remote') },
    },
  },
  protocol: {
    registerSchemesAsPrivileged: (schemes: { scheme: string }[]) => calls.push(`registerScheme:${schemes.map((s) => s.scheme).join()}`),
    handle: (scheme: string) => calls.push(`handle:${scheme}`),
  },
  ipcMain: { handle: (channel: string) => calls.push(`ipc:${channel}`), removeHandler: vi.fn() },
}));
vi.mock('../../../electron/services/default-services', () => ({
  createDefaultServices: (options: { dataDir: string }) => {
    calls.push(`services:${options.dataDir}`);
    return fakeServices;
  },
}));

describe('Electron main', () => {
  it('hardens before ready, then wires protocol, IPC and opens the demo in one window', async () => {
    await import('../../../electron/app/main');
    expect(calls).toEqual(['registerScheme:app', 'enableSandbox']);
    expect(app.listeners.has('web-contents-created')).toBe(true);

    app.fireReady();
    await vi.waitFor(() => expect(windows).toHaveLength(1));
    expect(calls).toContain('permissions');
    expect(calls).toContain('csp');
    expect(calls).toContain('block-remote');
    expect(calls).toContain('handle:app');
    expect(calls).toContain('services:/home/ops/.config/Egress Atlas/userData');
    // One handler per operation of the contract (14 with reach, matrix and check), no more.
    expect(calls.filter((c) => c.startsWith('ipc:'))).toHaveLength(IPC_OPERATIONS.length);
    expect(IPC_OPERATIONS).toHaveLength(22);
    // Every IPC handler exists before the window (and its page) does.
    expect(calls.indexOf('window')).toBeGreaterThan(calls.lastIndexOf('ipc:egress-atlas:cancelPull'));
    expect(calls.indexOf('window')).toBeGreaterThan(calls.indexOf('handle:app'));
    expect(windows[0]?.loadedUrl).toBe('app://egress-atlas/index.html#demo=bank');
    expect(windows[0]?.options.webPreferences.preload).toBe('/opt/egress-atlas/electron/dist/preload.cjs');
    // Packaged: no DevTools.
    expect(windows[0]?.options.webPreferences.devTools).toBe(false);
  });
});

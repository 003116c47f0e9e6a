/**
 * Electron main process: app lifecycle, the `app://` protocol, IPC handlers and the one window.
 * Bundled to electron/dist/main.cjs (electron/app/build.ts); package.json `main` points there.
 * Opens the demo estate by default (`--demo=<name>` picks another, `--demo=` none).
 */
import { join } from 'node:path';
import { app, BrowserWindow, session, type WebContents } from 'electron';
import { createDefaultServices } from '../services/default-services';
import { handleAppProtocol, registerAppScheme } from './app-protocol';
import { startPageUrl } from './app-url';
import { registerIpcHandlers } from './ipc';
import { chooseFilesDialog } from './open-dialog';
import { createMainWindow, hardenSession, hardenWebContents } from './window';

const DEFAULT_DEMO = 'bank';

function demoFromArgs(argv: readonly string[]): string | null {
  const flag = argv.find((a) => a.startsWith('--demo='));
  if (flag === undefined) return DEFAULT_DEMO;
  const name = flag.slice('--demo='.length);
  return /^[a-z0-9-]{1,64}$/.test(name) ? name : null;
}

/** WebContents IDs of the windows this process created: the only trusted IPC senders. */
const ownWindows = new Set<number>();

function openWindow(appPath: string, demo: string | null): BrowserWindow {
  const window = createMainWindow({
    preloadPath: join(appPath, 'electron', 'dist', 'preload.cjs'),
    startUrl: startPageUrl(demo),
    devTools: !app.isPackaged,
  });
  const id = window.webContents.id;
  ownWindows.add(id);
  window.on('closed', () => ownWindows.delete(id));
  return window;
}

function isOwnWindow(sender: WebContents): boolean {
  return ownWindows.has(sender.id) && BrowserWindow.fromWebContents(sender) !== null;
}

function main(): void {
  // Before ready: the scheme's privileges, the sandbox for every renderer, one instance only.
  registerAppScheme();
  app.enableSandbox();
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  const demo = demoFromArgs(process.argv);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  void app.whenReady().then(() => {
    const appPath = app.getAppPath();
    hardenSession(session.defaultSession);
    handleAppProtocol(join(appPath, 'renderer', 'dist'));
    registerIpcHandlers({ services: createDefaultServices({ dataDir: app.getPath('userData'), chooseFiles: chooseFilesDialog }), isOwnWindow });
    openWindow(appPath, demo);
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openWindow(appPath, demo);
    });
  });
}

main();

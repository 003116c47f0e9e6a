/**
 * `npm start`: the desktop app when Electron's binary is installed, browser mode otherwise.
 * Electron's npm package downloads its binary from GitHub on first use; `require('electron')` in
 * plain Node would try that download, so the binary is looked up on disk instead:
 * node_modules/electron/path.txt names the executable under node_modules/electron/dist/.
 * Extra arguments go to browser mode (`npm start -- --port 8080`).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildElectron } from './app/build';
import { ensureRendererBuilt, newestMtimeMs } from './web/renderer-build';
import { parseServeArgs, SERVE_HELP, serveBrowserMode, serveHelpRequested } from './web/serve';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export const NO_ELECTRON_MESSAGE = "Electron's binary is not installed here (it downloads from GitHub); starting browser mode instead.";

/** The Electron executable, or null when the binary was never downloaded. */
export function findElectronBinary(root: string = ROOT): string | null {
  const packageDir = join(root, 'node_modules', 'electron');
  try {
    const relative = readFileSync(join(packageDir, 'path.txt'), 'utf8').trim();
    if (relative.length === 0) return null;
    const binary = join(packageDir, 'dist', relative);
    return existsSync(binary) && statSync(binary).isFile() ? binary : null;
  } catch {
    return null;
  }
}

function mtimeMs(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

async function electronBuildIsStale(): Promise<boolean> {
  const built = Math.min(mtimeMs(join(ROOT, 'electron', 'dist', 'main.cjs')), mtimeMs(join(ROOT, 'electron', 'dist', 'preload.cjs')));
  if (built === 0) return true;
  const sources = Math.max(
    await newestMtimeMs(join(ROOT, 'electron')),
    await newestMtimeMs(join(ROOT, 'shared')),
  );
  return sources > built;
}

async function startElectron(binary: string, args: readonly string[]): Promise<void> {
  await ensureRendererBuilt({ log: console.log });
  if (await electronBuildIsStale()) {
    console.log('Building the Electron main process and preload...');
    await buildElectron({ quiet: true });
  }
  const child = spawn(binary, [ROOT, ...args], { stdio: 'inherit' });
  child.on('exit', (code) => {
    process.exitCode = code ?? 0;
  });
}

async function main(args: readonly string[]): Promise<void> {
  const binary = findElectronBinary();
  if (binary !== null) {
    await startElectron(binary, args);
    return;
  }
  if (serveHelpRequested(args)) {
    process.stdout.write(SERVE_HELP);
    return;
  }
  console.log(NO_ELECTRON_MESSAGE);
  const options = parseServeArgs(args);
  if (typeof options === 'string') {
    console.error(options);
    process.exitCode = 2;
    return;
  }
  await serveBrowserMode(options);
}

const invokedDirectly = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (invokedDirectly) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(`Could not start Egress Atlas: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}

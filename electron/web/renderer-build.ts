/**
 * Browser mode and `npm start` serve `renderer/dist`. So that `npm ci && npm run web` works with no
 * separate build step, the renderer is built here when its index.html is missing or older than any
 * renderer or shared source file (the renderer bundles shared/ code).
 */
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository (or unpacked app) root: this file lives in electron/web/, but the CLI bundle
 * (electron/cli/dist) inlines it elsewhere, so look upwards for the folder holding renderer/.
 */
function findRoot(): string {
  const fallback = fileURLToPath(new URL('../..', import.meta.url));
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'renderer'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return fallback;
}

export const REPO_ROOT = findRoot();

export function rendererDistDir(root: string = REPO_ROOT): string {
  return join(root, 'renderer', 'dist');
}

const SKIPPED_DIRS = new Set(['dist', 'node_modules']);

/** Newest modification time (ms) of any file under `dir`, skipping build output and dot-folders. */
export async function newestMtimeMs(dir: string): Promise<number> {
  let newest = 0;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.') || SKIPPED_DIRS.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      newest = Math.max(newest, await newestMtimeMs(path));
    } else if (entry.isFile()) {
      newest = Math.max(newest, (await stat(path)).mtimeMs);
    }
  }
  return newest;
}

/** Why the renderer must be (re)built, or null when renderer/dist is up to date. */
export async function rendererBuildReason(root: string = REPO_ROOT): Promise<string | null> {
  let builtMs: number;
  try {
    builtMs = (await stat(join(rendererDistDir(root), 'index.html'))).mtimeMs;
  } catch {
    return 'renderer/dist/index.html is missing';
  }
  const sourcesMs = Math.max(await newestMtimeMs(join(root, 'renderer')), await newestMtimeMs(join(root, 'shared')));
  return sourcesMs > builtMs ? 'renderer sources changed since the last build' : null;
}

export interface RendererBuildOptions {
  readonly root?: string;
  readonly log: (line: string) => void;
}

/** One build at a time per process (the e2e suite may start several servers). */
let building: Promise<void> | null = null;

async function runViteBuild(root: string, log: (line: string) => void): Promise<void> {
  const started = Date.now();
  // A computed specifier: the CLI bundle (esbuild) must not try to inline vite.
  const viteModule = 'vite';
  const { build } = await import(viteModule) as typeof import('vite');
  // Same as `npm run build:renderer` (`vite build --config renderer/vite.config.ts`).
  await build({
    configFile: join(root, 'renderer', 'vite.config.ts'),
    logLevel: 'warn',
    // Timing advice about plugins is noise for someone who just wants the app to start.
    build: { rolldownOptions: { checks: { bundlerTimings: false } } },
  });
  log(`Renderer built in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

/** Builds the renderer if needed; resolves to the directory to serve. */
export async function ensureRendererBuilt(options: RendererBuildOptions): Promise<string> {
  const root = options.root ?? REPO_ROOT;
  const reason = await rendererBuildReason(root);
  if (reason !== null) {
    options.log(`Building the renderer (${reason})...`);
    building ??= runViteBuild(root, options.log).finally(() => { building = null; });
    await building;
  }
  return rendererDistDir(root);
}

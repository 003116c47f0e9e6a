/**
 * `npm run build:electron`: bundles the main process and the preload to CommonJS with Vite's
 * programmatic build (SSR mode: Node resolution, no browser shims).
 * - electron/dist/main.cjs: `electron`, Node built-ins and the runtime `dependencies` stay
 *   external (electron-builder packs node_modules; pdfkit reads its font data from disk).
 * - electron/dist/preload.cjs: ONE self-contained file requiring only `electron`, because a
 *   sandboxed preload cannot require anything else.
 *   [sandbox] https://www.electronjs.org/docs/latest/tutorial/sandbox#preload-scripts
 */
import { readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const ELECTRON_DIST = join(ROOT, 'electron', 'dist');

const NODE_BUILTINS: readonly string[] = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

async function runtimeDependencies(): Promise<readonly string[]> {
  const pkg: unknown = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
  const deps = typeof pkg === 'object' && pkg !== null ? (pkg as Record<string, unknown>).dependencies : undefined;
  return typeof deps === 'object' && deps !== null ? Object.keys(deps) : [];
}

/** `pkg` and `pkg/sub/path` of every listed package. */
function isExternal(id: string, packages: readonly string[]): boolean {
  return packages.some((name) => id === name || id.startsWith(`${name}/`));
}

async function bundle(entry: string, fileName: string, external: readonly string[], quiet: boolean): Promise<void> {
  await build({
    configFile: false,
    root: ROOT,
    logLevel: quiet ? 'error' : 'warn',
    mode: 'production',
    build: {
      ssr: join(ROOT, entry),
      outDir: ELECTRON_DIST,
      emptyOutDir: false,
      minify: false,
      sourcemap: false,
      // Electron 45 ships Node 22.
      target: 'node22',
      copyPublicDir: false,
      rolldownOptions: {
        external: (id: string) => isExternal(id, external),
        output: { format: 'cjs', entryFileNames: fileName, codeSplitting: false },
      },
    },
    // Bundle everything that is not explicitly external (SSR mode would externalize node_modules).
    ssr: { noExternal: true, target: 'node' },
  });
}

export async function buildElectron(options: { readonly quiet?: boolean } = {}): Promise<void> {
  const quiet = options.quiet ?? false;
  const dependencies = await runtimeDependencies();
  await bundle('electron/app/main.ts', 'main.cjs', ['electron', ...NODE_BUILTINS, ...dependencies], quiet);
  await bundle('electron/app/preload.ts', 'preload.cjs', ['electron'], quiet);
}

const invokedDirectly = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (invokedDirectly) {
  const started = Date.now();
  buildElectron().then(
    () => console.log(`Built electron/dist/main.cjs and electron/dist/preload.cjs in ${((Date.now() - started) / 1000).toFixed(1)} s.`),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}

#!/usr/bin/env node
// The `egress-atlas` launcher (package.json "bin"). It starts from the JavaScript bundle that
// `npm ci` builds (`prepare` → `npm run build:cli`, esbuild, commands split so a command loads only
// what it needs): about 0.1 s to a result instead of compiling TypeScript at every start. When the
// bundle is missing or older than a source file (a developer edited one), it falls back to running
// the TypeScript sources through tsx, so the CLI is never stale. The exit code goes through
// process.exitCode so pending output is flushed.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const bundle = join(here, 'dist', 'main.js');

/** Newest modification time of the TypeScript sources the bundle is built from. */
function newestSource(dir, newest = 0) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = newestSource(path, newest);
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function bundleIsFresh() {
  if (!existsSync(bundle)) return false;
  const built = statSync(bundle).mtimeMs;
  return newestSource(join(root, 'shared')) <= built && newestSource(join(root, 'electron')) <= built;
}

let main;
if (bundleIsFresh()) {
  main = await import('./dist/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  main = await import('./main.ts');
}
process.exitCode = await main.runFromProcess();

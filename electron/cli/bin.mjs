#!/usr/bin/env node
// The `egress-atlas` launcher (package.json "bin"). It starts from the JavaScript bundle that
// `npm ci` builds (`prepare` → `npm run build:cli`, esbuild, commands split so a command loads only
// what it needs): about 0.1 s to a result instead of compiling TypeScript at every start. When the
// bundle is missing or older than a source file (a developer edited one), it falls back to running
// the TypeScript sources through tsx, so the CLI is never stale. The exit code goes through
// process.exitCode so pending output is flushed.
//
// A large input runs in a child process with a larger young generation (see `LARGE_INPUT_BYTES`).
import { spawn } from 'node:child_process';
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

/**
 * Inputs at least this large (a 100,000-NIC estate is one 175 MB ARM file) run in a child Node
 * with `SEMI_SPACE` MB semi-spaces instead of V8's 16 MB: parsing and normalizing keep nearly all
 * they allocate, so every scavenge of a small young generation copies live data, and resolving
 * allocates short-lived objects by the million. The flag only works at start-up, hence the child.
 * On that estate: ~40% fewer scavenges, best-of-5 wall time 5.7 s instead of 6.7 s on a loaded
 * 2-core machine (the same CPU time: the pauses shrink), for one more Node start (about 0.05 s)
 * and ~40 MB more RSS; 64 MB gained no more and cost ~100 MB.
 */
const LARGE_INPUT_BYTES = 32 * 1024 * 1024;
const SEMI_SPACE = 32;
const SEMI_SPACE_FLAG = '--max-semi-space-size';

/** Bytes of a file, or of the files of a directory and its direct subdirectories (what loadInputs reads). */
function bytesAt(path, depth = 1) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (stat.isFile()) return stat.size;
  if (!stat.isDirectory() || depth < 0) return 0;
  let total = 0;
  try {
    for (const entry of readdirSync(path)) total += bytesAt(join(path, entry), depth - 1);
  } catch {
    return total;
  }
  return total;
}

/** Size of what the arguments name as input: every existing path except the one `--out` writes. */
function inputBytes(args) {
  let total = 0;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--out') i++;
    else if (!arg.startsWith('-')) total += bytesAt(arg);
  }
  return total;
}

/** Whether to run as this process: the young generation was chosen already, or a debugger is attached to this one. */
function keepThisProcess() {
  const options = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  return options.some((a) => a.startsWith(SEMI_SPACE_FLAG) || a.startsWith('--inspect'));
}

/** Runs this launcher again with a larger young generation; resolves to the child's exit code. */
function runWithLargerYoungGeneration(args, bytes) {
  if ((process.env.EGRESS_ATLAS_DEBUG ?? '') !== '') {
    process.stderr.write(`egress-atlas: ${Math.round(bytes / 1e6)} MB of input: running with ${SEMI_SPACE_FLAG}=${SEMI_SPACE}\n`);
  }
  const child = spawn(process.execPath, [...process.execArgv, `${SEMI_SPACE_FLAG}=${SEMI_SPACE}`, fileURLToPath(import.meta.url), ...args], { stdio: 'inherit' });
  // Ctrl-C reaches the child too (same process group); a signal sent to this process alone is passed on.
  const forward = (signal) => child.kill(signal);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, forward);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.off(name, forward);
      if (signal !== null) process.kill(process.pid, signal);
      resolve(code ?? 1);
    });
  });
}

const args = process.argv.slice(2);
const bytes = keepThisProcess() ? 0 : inputBytes(args);
if (bytes >= LARGE_INPUT_BYTES) {
  process.exitCode = await runWithLargerYoungGeneration(args, bytes);
} else {
  process.exitCode = await (await loadMain()).runFromProcess();
}

async function loadMain() {
  if (bundleIsFresh()) return import('./dist/main.js');
  const { register } = await import('tsx/esm/api');
  register();
  return import('./main.ts');
}

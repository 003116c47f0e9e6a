/**
 * Bench modules that measure in a fresh Node (peak RSS, no JIT or heap state from the runner) run
 * their own file again as a child with a job in an environment variable; the child prints one JSON
 * report as its last stdout line.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Runs `script` under tsx with the Node `flags` and `env`; resolves to the JSON of its last stdout line. */
export function runChildReport<T>(script: string, flags: readonly string[], env: Readonly<Record<string, string>>, label: string): Promise<T> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...flags, '--import', 'tsx', script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => { out += chunk; });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`${label} exited with ${code}`));
        return;
      }
      try {
        resolvePromise(JSON.parse(out.trim().split('\n').pop() ?? '') as T);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}

/**
 * This process's peak resident set size, in bytes. On Linux `getrusage` (Node's
 * `resourceUsage().maxRSS`) keeps the high-water mark across `fork` + `exec`, so a child spawned
 * by a bench runner that already holds 500 MB reports at least that much; `VmHWM` in
 * /proc/self/status belongs to the process's own address space, created at `exec`
 * (https://man7.org/linux/man-pages/man5/proc_pid_status.5.html). Elsewhere, maxRSS.
 */
export function peakRssBytes(): number {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = /^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1];
    if (kb !== undefined) return Number(kb) * 1024;
  } catch {
    // Not Linux: fall back below.
  }
  return process.resourceUsage().maxRSS * 1024;
}

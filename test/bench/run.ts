/**
 * `npm run bench [-- <module>...]`: runs the bench modules (resolve, then pull, ui and pdf when
 * their files exist), prints one table, and exits 1 when any line with a target misses it.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchLine, BenchModule } from './types';

const MODULES = ['resolve', 'destinations', 'check', 'compare', 'cli', 'pull', 'ui', 'open-file', 'pdf', 'traffic'] as const;
const here = dirname(fileURLToPath(import.meta.url));

interface Row extends BenchLine {
  readonly module: string;
}

function passOf(line: BenchLine): boolean | undefined {
  if (line.target === undefined) return line.pass;
  return line.pass ?? line.value <= line.target;
}

function formatValue(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return value >= 100 ? value.toFixed(0) : value >= 1 ? value.toFixed(2) : value.toFixed(3);
}

function printTable(rows: readonly Row[]): void {
  const header = ['MODULE', 'MEASURE', 'VALUE', 'UNIT', 'TARGET', 'RESULT', 'NOTE'];
  const cells = rows.map((r) => {
    const pass = passOf(r);
    return [r.module, r.name, formatValue(r.value), r.unit, r.target === undefined ? '-' : `<= ${formatValue(r.target)}`, pass === undefined ? '-' : pass ? 'pass' : 'FAIL', r.note ?? ''];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: readonly string[]): string => c.map((x, i) => (i === 2 ? x.padStart(widths[i] ?? 0) : i === c.length - 1 ? x : x.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  console.log(line(header));
  for (const c of cells) console.log(line(c));
}

async function main(): Promise<number> {
  const requested = process.argv.slice(2);
  const unknown = requested.filter((m) => !(MODULES as readonly string[]).includes(m));
  if (unknown.length > 0) {
    console.error(`unknown bench module(s): ${unknown.join(', ')}; choose from ${MODULES.join(', ')}`);
    return 2;
  }
  const names = requested.length > 0 ? requested : [...MODULES];
  const rows: Row[] = [];
  let failedModules = 0;
  for (const name of names) {
    const file = join(here, `${name}.ts`);
    if (!existsSync(file)) {
      if (requested.length > 0) {
        console.error(`bench module ${name} does not exist (${file})`);
        return 2;
      }
      continue;
    }
    console.error(`bench: running ${name}...`);
    try {
      const mod = (await import(pathToFileURL(file).href)) as BenchModule;
      for (const line of await mod.bench()) rows.push({ ...line, module: name });
    } catch (error) {
      failedModules++;
      console.error(`bench ${name} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    }
  }
  printTable(rows);
  const misses = rows.filter((r) => passOf(r) === false);
  if (misses.length > 0 || failedModules > 0) {
    console.error(`\n${misses.length} target(s) missed, ${failedModules} module(s) failed.`);
    return 1;
  }
  return 0;
}

process.exitCode = await main();

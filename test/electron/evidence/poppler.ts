/** Runs poppler-utils on a PDF written under test-results/pdf (gitignored) so failures can be opened. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const PDF_DIR = resolve(import.meta.dirname, '../../../test-results/pdf');

export function savePdf(name: string, bytes: Uint8Array): string {
  mkdirSync(PDF_DIR, { recursive: true });
  const file = join(PDF_DIR, `${name}.pdf`);
  writeFileSync(file, bytes);
  return file;
}

export function pdfText(file: string, layout = false): string {
  return execFileSync('pdftotext', [...(layout ? ['-layout'] : []), '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

/** pdftotext of one page (1-based). */
export function pageText(file: string, page: number): string {
  return execFileSync('pdftotext', ['-f', String(page), '-l', String(page), '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

export function pdfInfo(file: string): Readonly<Record<string, string>> {
  const out = execFileSync('pdfinfo', ['-isodates', file], { encoding: 'utf8' });
  const info: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const at = line.indexOf(':');
    if (at > 0) info[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return info;
}

/** Renders every page to PNG at `dpi`; returns the PNG sizes in bytes, page order. */
export function renderPages(file: string, name: string, dpi = 50): readonly number[] {
  const dir = join(PDF_DIR, `${name}-png`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('pdftoppm', ['-r', String(dpi), '-png', file, join(dir, 'page')]);
  return readdirSync(dir).filter((f) => f.endsWith('.png')).sort().map((f) => statSync(join(dir, f)).size);
}

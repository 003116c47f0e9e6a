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

export interface PdfFont {
  readonly name: string;
  readonly embedded: boolean;
  readonly subset: boolean;
  readonly unicode: boolean;
}

/** `pdffonts`: the fonts each page uses, with their emb / sub / uni columns. */
export function pdfFonts(file: string): readonly PdfFont[] {
  const out = execFileSync('pdffonts', [file], { encoding: 'utf8' });
  return out.split('\n').slice(2).filter((l) => l.trim().length > 0).map((line) => {
    const cols = line.trim().split(/\s+/);
    // name ... emb sub uni objectId gen: the yes/no columns are fifth to third from the end.
    const flag = (fromEnd: number): boolean => cols[cols.length - fromEnd] === 'yes';
    return { name: cols[0] ?? '', embedded: flag(5), subset: flag(4), unicode: flag(3) };
  });
}

/** A region of one page (in pixels at `dpi`; 72 dpi: PDF points) rendered to a greyscale PGM. */
export function renderGray(file: string, page: number, crop: { readonly x: number; readonly y: number; readonly width: number; readonly height: number }, dpi = 72): Buffer {
  const region = ['-x', String(crop.x), '-y', String(crop.y), '-W', String(crop.width), '-H', String(crop.height)];
  return execFileSync('pdftoppm', ['-gray', '-r', String(dpi), '-f', String(page), '-l', String(page), ...region, file]);
}

/** One word of `pdftotext -bbox` with its box (PDF points, origin top-left) and its page's size. */
export interface WordBox { readonly page: number; readonly pageWidth: number; readonly pageHeight: number; readonly xMin: number; readonly xMax: number; readonly text: string }

/** Every word with its box, page by page (1-based): to find text drawn past a page edge. */
export function wordBoxes(file: string): readonly WordBox[] {
  const html = execFileSync('pdftotext', ['-bbox', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const out: WordBox[] = [];
  html.split('<page ').slice(1).forEach((page, i) => {
    const size = /width="([\d.]+)" height="([\d.]+)"/.exec(page);
    const pageWidth = Number(size?.[1]);
    const pageHeight = Number(size?.[2]);
    for (const m of page.matchAll(/<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g)) {
      out.push({ page: i + 1, pageWidth, pageHeight, xMin: Number(m[1]), xMax: Number(m[2]), text: m[3] ?? '' });
    }
  });
  return out;
}

/** A path section's "What this source can reach" block, whitespace collapsed: from its heading to its "Hops (" line, running footers removed. */
export function reachBlock(layout: string, source: string, type: 'subnet' | 'NIC exception' = 'subnet'): string {
  // A section may start a page: after a form feed rather than a newline.
  const start = layout.search(new RegExp(`[\\n\\f]${source.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(${type}\\): `));
  if (start < 0) throw new Error(`no section for ${source}`);
  const rest = layout.slice(start + 1);
  const end = rest.search(/[\n\f]Hops \(/);
  const block = rest.slice(0, end < 0 ? undefined : end).replace(/\n?Egress evidence · snapshot[^\n]*\n/g, '\n').replace(/\f/g, '');
  return block.slice(block.indexOf('What this source can reach')).replace(/\s+/g, ' ');
}

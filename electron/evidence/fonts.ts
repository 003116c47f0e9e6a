/**
 * The fonts embedded in every evidence PDF. The 14 standard PDF fonts are WinAnsi only, so
 * resource names and tags like `subnet-zürich` need an embedded TTF: DejaVu (from the
 * `dejavu-fonts-ttf` package) covers Latin, Greek and Cyrillic. It has no CJK glyphs; such text is
 * drawn as missing-glyph boxes but keeps its real characters in the text layer (see `needsActualText`).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type EvidenceFont = 'Sans' | 'Sans-Bold' | 'Mono';


export function evidenceFontFiles(): Readonly<Record<EvidenceFont, string>> {
  const require = createRequire(import.meta.url);
  const ttf = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  return {
    'Sans': join(ttf, 'DejaVuSans.ttf'),
    'Sans-Bold': join(ttf, 'DejaVuSans-Bold.ttf'),
    'Mono': join(ttf, 'DejaVuSansMono.ttf'),
  };
}

/**
 * DejaVu has no glyphs from U+2E80 (CJK radicals) upward, apart from a few presentation forms.
 * Text with such characters is wrapped in an `/ActualText` span so copy, search and pdftotext
 * still give the real name even where the page shows boxes.
 */
export function needsActualText(text: string): boolean {
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp >= 0x2e80) return true;
  }
  return false;
}

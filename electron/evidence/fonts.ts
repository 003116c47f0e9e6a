/**
 * The fonts embedded in evidence PDFs. The 14 standard PDF fonts are WinAnsi only, so
 * resource names and tags like `subnet-zürich` need an embedded TTF: DejaVu (from the
 * `dejavu-fonts-ttf` package) covers Latin, Greek and Cyrillic. It has no CJK glyphs, so characters
 * DejaVu lacks are drawn with Noto Sans JP (`@expo-google-fonts/noto-sans-jp`: kana and common Han),
 * embedded (subset) only in PDFs that use it. Characters neither font has are drawn as
 * missing-glyph boxes but keep their real characters in the text layer (see `needsActualText`).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type EvidenceFont = 'Sans' | 'Sans-Bold' | 'Mono';

/** The pdfkit name of the fallback font; bold and monospace text fall back to it too. */
export const FALLBACK_FONT = 'Fallback-JP';

export function evidenceFontFiles(): Readonly<Record<EvidenceFont, string>> {
  const require = createRequire(import.meta.url);
  const ttf = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  return {
    'Sans': join(ttf, 'DejaVuSans.ttf'),
    'Sans-Bold': join(ttf, 'DejaVuSans-Bold.ttf'),
    'Mono': join(ttf, 'DejaVuSansMono.ttf'),
  };
}

/** Noto Sans JP Regular. The package has no `exports` map, so its files resolve directly. */
export function fallbackFontFile(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@expo-google-fonts/noto-sans-jp/package.json')), '400Regular', 'NotoSansJP_400Regular.ttf');
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

/**
 * A thin layer over pdfkit for flowing, paginated evidence: a cursor, blocks that never split
 * across a page, tables with repeated headers, bookmarks plus table-of-contents entries, and
 * the "Page n of N" footer. pdfkit breaks pages on its own when text overflows; every block here
 * is measured first and placed explicitly so that never happens mid-row.
 *
 * Pages are streamed out as soon as they are complete (pdfkit's `bufferPages` kept ~0.5 MB per
 * page alive, 1.5 GB for a 2,000-subnet estate). Numbers that are only known at the end, the page
 * total and the contents page numbers, are drawn as small form XObjects filled in by `finish`.
 */
import PDFDocument from 'pdfkit';
import { evidenceFontFiles, fallbackFontFile, FALLBACK_FONT, needsActualText, type EvidenceFont } from './fonts';

export const PAGE = { width: 595.28, height: 841.89, marginX: 48, marginTop: 54, marginBottom: 54 } as const;
export const LANDSCAPE = { width: 841.89, height: 595.28 } as const;

export const COLORS = {
  text: '#1b1f24',
  muted: '#57606a',
  rule: '#d0d7de',
  accent: '#0b5cad',
  headerFill: '#eef2f6',
  link: '#0b5cad',
} as const;

/** A number drawn now and written at the end: a form XObject placed on the page. */
interface Placeholder {
  readonly ref: PDFKit.PDFKitReference & { write(chunk: string): void; end(): void };
  readonly name: string;
  readonly width: number;
  readonly size: number;
  readonly bold: boolean;
  readonly align: 'left' | 'right';
  readonly color: readonly [number, number, number];
}

/** The slice of pdfkit's embedded font this file needs (not in @types/pdfkit). */
interface GlyphPosition {
  readonly xAdvance: number;
  readonly advanceWidth: number;
  readonly xOffset: number;
  readonly yOffset: number;
}

interface EmbeddedFontInternals {
  readonly id: string;
  readonly font: {
    glyphForCodePoint(codePoint: number): { readonly id: number; readonly advanceWidth: number };
    hasGlyphForCodePoint(codePoint: number): boolean;
  };
  readonly subset: { includeGlyph(glyphId: number): number };
  readonly widths: (number | undefined)[];
  readonly unicode: (readonly number[] | undefined)[];
  readonly scale: number;
  ref(): PDFKit.PDFKitReference;
  encode(text: string): [readonly string[], readonly GlyphPosition[]];
  widthOfString(text: string, size: number): number;
  readonly ascender: number;
}

export interface DocumentInfo {
  readonly title: string;
  readonly subject: string;
  readonly author: string;
  readonly keywords: string;
  readonly createdAt: Date;
  readonly producer: string;
}

export interface TextStyle {
  readonly font?: EvidenceFont;
  readonly size?: number;
  readonly color?: string;
  readonly x?: number;
  readonly width?: number;
  readonly link?: string;
  readonly gapAfter?: number;
  readonly align?: 'left' | 'center' | 'right';
}

export interface TableColumn {
  readonly header: string;
  readonly width: number;
  readonly font?: EvidenceFont;
}

export interface TableCell {
  readonly text: string;
  readonly color?: string;
  readonly font?: EvidenceFont;
  readonly link?: string;
}

type Cell = string | TableCell;

/** A font a run of text is drawn in: one of the evidence fonts, or the CJK fallback. */
type RunFont = EvidenceFont | typeof FALLBACK_FONT;

/** Part of a line drawn in one font. */
interface Segment {
  readonly font: RunFont;
  readonly text: string;
}

/**
 * Anything past Latin Extended-A (U+017F), up to which all three DejaVu faces have every glyph: only
 * such text is looked up glyph by glyph. Other control characters match too; the lookup passes them.
 */
const BEYOND_LATIN = /[^\t\n\r\u0020-\u017f]/;

/**
 * Text without shaping: one cmap lookup per character, cached, instead of a fontkit layout per word
 * (the biggest cost of a big export). Registers each glyph in the font subset with its width and
 * Unicode value exactly as pdfkit's own `encode` does, so both paths share one subset. No kerning
 * here: pairs like "AV" sit a little wider than pdfkit would set them.
 */
class SimpleGlyphs {
  private readonly glyphs = new Map<number, { readonly hex: string; readonly width: number } | null>();

  constructor(private readonly font: EmbeddedFontInternals) {}

  private load(code: number): { readonly hex: string; readonly width: number } | null {
    const glyph = this.font.font.glyphForCodePoint(code);
    // No glyph in the font: leave it to pdfkit (and ActualText), never map it to .notdef here.
    if (glyph.id === 0) return null;
    const gid = this.font.subset.includeGlyph(glyph.id);
    const width = glyph.advanceWidth * this.font.scale;
    this.font.widths[gid] ??= width;
    this.font.unicode[gid] ??= [code];
    return { hex: gid.toString(16).padStart(4, '0'), width };
  }

  private glyph(code: number): { readonly hex: string; readonly width: number } | null {
    if (!isSimpleCodePoint(code)) return null;
    let entry = this.glyphs.get(code);
    if (entry === undefined) {
      entry = this.load(code);
      this.glyphs.set(code, entry);
    }
    return entry;
  }

  /** Hex glyph string and width in thousandths of an em, or null when the text needs shaping. */
  encode(text: string): { readonly hex: string; readonly width: number } | null {
    let hex = '';
    let width = 0;
    for (const ch of text) {
      const glyph = this.glyph(ch.codePointAt(0) ?? 0);
      if (glyph === null) return null;
      hex += glyph.hex;
      width += glyph.width;
    }
    return { hex, width };
  }

  width(text: string): number | null {
    let width = 0;
    for (const ch of text) {
      const glyph = this.glyph(ch.codePointAt(0) ?? 0);
      if (glyph === null) return null;
      width += glyph.width;
    }
    return width;
  }
}

/**
 * Characters that are one glyph each with no shaping: printable ASCII, Latin-1, Latin Extended,
 * Greek, Cyrillic, general punctuation, arrows. Combining marks and complex scripts are excluded.
 */
function isSimpleCodePoint(code: number): boolean {
  if (code >= 32 && code <= 126) return true;
  if (code < 160 || code >= 0x2e80) return false;
  if (code >= 0x0300 && code <= 0x036f) return false;
  if (code >= 0x0483 && code <= 0x0489) return false;
  if (code >= 0x0590 && code <= 0x1cff) return false;
  if (code >= 0x1dc0 && code <= 0x1dff) return false;
  if (code >= 0x200b && code <= 0x200f) return false;
  if (code >= 0x20d0 && code <= 0x20ff) return false;
  return true;
}

interface PageInternals {
  write(chunk: string | Uint8Array): unknown;
  end(): unknown;
  readonly content: { write(chunk: string | Uint8Array): unknown };
}

/**
 * pdfkit turns every content operator into its own Uint8Array (`chunk + '\n'`). Collect a page's
 * operators and hand them over once when the page ends: the same bytes (joined with the same
 * newlines), a fraction of the allocations.
 */
function batchPageWrites(pdfPage: PDFKit.PDFPage): void {
  const page = pdfPage as unknown as PageInternals;
  const pending: string[] = [];
  const flush = (): void => {
    if (pending.length === 0) return;
    page.content.write(pending.join('\n'));
    pending.length = 0;
  };
  const end = page.end.bind(page);
  page.write = (chunk) => {
    if (typeof chunk === 'string') {
      pending.push(chunk);
      return undefined;
    }
    flush();
    return page.content.write(chunk);
  };
  page.end = () => {
    flush();
    return end();
  };
}

function pdfNumber(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

/** DejaVu Sans Mono: advance 1233/2048 em for every glyph; pdfkit's default line gap for it. */
const MONO_ADVANCE = 1233 / 2048;

export function monoLineHeight(size: number): number {
  return size * 1.164;
}

/**
 * East Asian wide characters (Hangul Jamo, CJK, kana, Hangul, compatibility and full-width forms,
 * supplementary ideographs) take two monospace columns: the fallback glyph is one em wide, wider
 * than DejaVu Sans Mono's 0.6 em.
 */
function monoColumns(ch: string): number {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x1100) return 1;
  const wide = (cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff)
    || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) || cp >= 0x20000;
  return wide ? 2 : 1;
}

/** Closing punctuation that must not start a line (Japanese line-breaking rules, kinsoku). */
const NO_BREAK_BEFORE = new Set([...'、。，．・：；？！ー）」』】〕〉》〙〗ゝゞヽヾぁぃぅぇぉっゃゅょァィゥェォッャュョ']);

/**
 * A space-free word cut where a line may break: before and after each wide character, except
 * before closing punctuation and small kana, which stay with the character before them.
 */
function breakPieces(word: string): readonly string[] {
  const pieces: string[] = [];
  let previousWide = false;
  for (const ch of word) {
    const wide = monoColumns(ch) === 2;
    const last = pieces.length - 1;
    if (last >= 0 && !NO_BREAK_BEFORE.has(ch) && (wide || previousWide)) pieces.push(ch);
    else if (last >= 0) pieces[last] += ch;
    else pieces.push(ch);
    previousWide = wide;
  }
  return pieces.length > 0 ? pieces : [''];
}

/** How many of `chars` fit in `max` monospace columns. */
function monoFit(chars: readonly string[], max: number): number {
  let columns = 0;
  for (let i = 0; i < chars.length; i++) {
    columns += monoColumns(chars[i] ?? '');
    if (columns > max) return i;
  }
  return chars.length;
}

/** The cut position after the last of `chars` in the second half of the first `max` characters. */
function breakAfter(chars: readonly string[], max: number, breakChars: readonly string[]): number | null {
  for (let i = max; i > max / 2; i--) if (breakChars.includes(chars[i - 1] ?? '')) return i;
  return null;
}

/**
 * Greedy wrap for monospace text: lines of at most `width / advance` characters, broken after a
 * space or `/` (else `,`, `-`, `.`) when one falls in the second half of the line, else hard at the limit.
 */
export function monoLines(text: string, size: number, width: number): readonly string[] {
  const max = Math.max(8, Math.floor(width / (size * MONO_ADVANCE)));
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let rest = [...paragraph];
    for (let fit = monoFit(rest, max); fit < rest.length; fit = monoFit(rest, max)) {
      const cut = breakAfter(rest, fit, [' ', '/']) ?? breakAfter(rest, fit, [',', '-', '.']) ?? Math.max(1, fit);
      lines.push(rest.slice(0, cut).join('').trimEnd());
      rest = rest.slice(cut);
      while (rest[0] === ' ') rest = rest.slice(1);
    }
    lines.push(rest.join(''));
  }
  return lines;
}

function cellOf(cell: Cell | undefined): TableCell {
  if (cell === undefined) return { text: '' };
  return typeof cell === 'string' ? { text: cell } : cell;
}

export class EvidenceDocument {
  readonly doc: PDFKit.PDFDocument;
  y: number = PAGE.marginTop;
  /** Page number (1-based) of each anchor, by destination name. */
  readonly anchorPages = new Map<string, number>();
  private readonly outlineStack: PDFKit.PDFOutline[] = [];
  private pageCount = 0;
  private placeholderCount = 0;
  private readonly tocNumbers = new Map<string, Placeholder>();
  /** Page numbers cited in the text (`pageRef`), filled in with their anchor's page by `finish`. */
  private readonly pageRefs: (readonly [string, Placeholder])[] = [];
  private totalPages: Placeholder | null = null;
  private runningTitle = '';
  private currentFont: EvidenceFont = 'Sans';
  private currentSize = 9;
  private readonly widths = new Map<string, number>();
  private lastColor: string | null = null;
  private lastFillState: unknown = undefined;
  private readonly ascii = new Map<string, SimpleGlyphs>();
  private readonly fontObjects = new Map<RunFont, EmbeddedFontInternals>();
  /** Per font: whether it has a glyph for a code point (fontkit cmap lookups, cached). */
  private readonly coverage = new Map<RunFont, Map<number, boolean>>();
  private readonly chunks: Buffer[] = [];
  private readonly finished: Promise<void>;

  constructor(info: DocumentInfo) {
    this.doc = new PDFDocument({
      autoFirstPage: false,
      bufferPages: false,
      compress: true,
      size: 'A4',
      displayTitle: true,
      lang: 'en',
      // CreationDate also seeds the trailer /ID, so pinning it makes the bytes reproducible.
      info: {
        Title: info.title,
        Subject: info.subject,
        Author: info.author,
        Creator: 'Egress Atlas',
        Producer: info.producer,
        Keywords: info.keywords,
        CreationDate: info.createdAt,
        ModDate: info.createdAt,
      },
    });
    this.doc.on('data', (chunk: Buffer) => this.chunks.push(chunk));
    this.finished = new Promise<void>((resolve, reject) => {
      this.doc.on('end', () => resolve());
      this.doc.on('error', (e: unknown) => reject(e instanceof Error ? e : new Error(String(e))));
    });
    for (const [name, file] of Object.entries(evidenceFontFiles())) this.doc.registerFont(name, file);
    // Registering only records the path: the font is read when first used and embedded (subset)
    // only when a page draws with it, so Latin-only evidence stays as small as before.
    this.doc.registerFont(FALLBACK_FONT, fallbackFontFile());
  }

  get left(): number { return PAGE.marginX }
  get pageWidth(): number { return this.doc.page.width }
  get pageHeight(): number { return this.doc.page.height }
  get contentWidth(): number { return this.pageWidth - 2 * PAGE.marginX }
  get bottom(): number { return this.pageHeight - PAGE.marginBottom }
  /** 1-based number of the current page. */
  get pageNumber(): number { return this.pageCount }

  setRunningTitle(title: string): void {
    this.runningTitle = title;
  }

  newPage(layout: 'portrait' | 'landscape' = 'portrait'): void {
    if (this.pageCount > 0) this.drawFooter();
    this.pageCount++;
    this.invalidateColor();
    this.doc.addPage({ size: 'A4', layout, margins: { top: PAGE.marginTop, bottom: 0, left: PAGE.marginX, right: PAGE.marginX } });
    batchPageWrites(this.doc.page);
    this.y = PAGE.marginTop;
  }

  /** Starts a new page unless `height` more points fit below the cursor. */
  ensureSpace(height: number): void {
    if (this.y + height > this.bottom) this.newPage();
  }

  /** A new page, or a restored graphics state, starts from pdfkit's idea of the colour again. */
  invalidateColor(): void {
    this.lastColor = null;
  }

  setFont(font: EvidenceFont, size: number, color: string = COLORS.text): void {
    this.doc.font(font).fontSize(size);
    // pdfkit writes a colour operator on every fillColor call. Skip it when this colour is still in
    // force: pdfkit replaces its `_fillColor` array on every change, so identity tells.
    const state = (this.doc as unknown as { readonly _fillColor?: unknown })._fillColor;
    if (color !== this.lastColor || state === undefined || state !== this.lastFillState) {
      this.doc.fillColor(color);
      this.lastColor = color;
      this.lastFillState = (this.doc as unknown as { readonly _fillColor?: unknown })._fillColor;
    }
    this.currentFont = font;
    this.currentSize = size;
  }

  measure(text: string, style: TextStyle = {}): number {
    if (style.font === 'Mono') return monoLines(text, style.size ?? 9, style.width ?? this.contentWidth).length * monoLineHeight(style.size ?? 9);
    this.setFont(style.font ?? 'Sans', style.size ?? 9);
    const width = style.width ?? this.contentWidth;
    if (this.fallbackSegments(text) !== null) return this.wrapMixed(text, width).length * this.doc.currentLineHeight(true);
    if (this.fitsOneLine(text, width)) return this.doc.currentLineHeight(true);
    const lines = this.wrapSimple(text, width);
    if (lines !== null) return lines.length * this.doc.currentLineHeight(true);
    return this.doc.heightOfString(text.length > 0 ? text : ' ', { width });
  }

  /**
   * Greedy word wrap of unshaped text (see SimpleGlyphs) with the cached glyph widths (pdfkit's wrapper lays
   * out every word with fontkit, twice: once to measure, once to draw). Words wider than a line are
   * cut between characters. Null for other text, which pdfkit wraps.
   */
  private wrapSimple(text: string, width: number): readonly string[] | null {
    const glyphs = this.simpleGlyphs();
    const unit = this.currentSize / 1000;
    const space = (glyphs.width(' ') ?? 0) * unit;
    const lines: string[] = [];
    for (const paragraph of text.split('\n')) {
      let line = '';
      let lineWidth = 0;
      for (const word of paragraph.split(' ')) {
        const measured = glyphs.width(word);
        if (measured === null) return null;
        let wordWidth = measured * unit;
        let rest = word;
        if (line.length > 0 && lineWidth + space + wordWidth <= width) {
          line += ` ${rest}`;
          lineWidth += space + wordWidth;
          continue;
        }
        if (line.length > 0) lines.push(line);
        // Cut a word longer than the line into line-sized pieces.
        while (wordWidth > width && rest.length > 1) {
          let cut = rest.length - 1;
          while (cut > 1 && (glyphs.width(rest.slice(0, cut)) ?? 0) * unit > width) cut--;
          lines.push(rest.slice(0, cut));
          rest = rest.slice(cut);
          wordWidth = (glyphs.width(rest) ?? 0) * unit;
        }
        line = rest;
        lineWidth = wordWidth;
      }
      lines.push(line);
    }
    return lines;
  }

  /** Most cells are one short line: measuring once and skipping pdfkit's word wrapper halves the work. */
  private fitsOneLine(text: string, width: number): boolean {
    if (text.includes('\n')) return false;
    // measure() then drawText() ask for the same width: remember it (cleared with the font caches).
    const key = `${this.currentFont}|${this.currentSize}|${text}`;
    let measured = this.widths.get(key);
    if (measured === undefined) {
      const ascii = this.simpleGlyphs().width(text);
      measured = ascii === null ? this.doc.widthOfString(text) : (ascii * this.currentSize) / 1000;
      this.widths.set(key, measured);
    }
    return measured <= width;
  }

  /** Draws text at an explicit position without moving the cursor. */
  drawText(text: string, x: number, y: number, style: TextStyle & { readonly height?: number; readonly lineBreak?: boolean } = {}): void {
    this.setFont(style.font ?? 'Sans', style.size ?? 9, style.color ?? (style.link ? COLORS.link : COLORS.text));
    if (this.fallbackSegments(text) !== null) {
      this.drawMixed(text, x, y, style);
      return;
    }
    const options: { -readonly [K in keyof PDFKit.Mixins.TextOptions]: PDFKit.Mixins.TextOptions[K] } = {
      width: style.width,
      height: style.height,
      ellipsis: style.height !== undefined ? '…' : undefined,
      lineBreak: style.lineBreak,
      align: style.align,
      link: style.link,
      underline: style.link !== undefined,
    };
    if (style.font === 'Mono' && style.lineBreak !== false && style.height === undefined && style.width !== undefined) {
      this.drawMono(text, x, y, style.size ?? 9, style.width, options);
      return;
    }
    if (style.width !== undefined && (style.align ?? 'left') === 'left' && style.lineBreak !== false && !needsActualText(text)) {
      const lines = this.wrapSimple(text, style.width);
      const lineHeight = this.doc.currentLineHeight(true);
      if (lines !== null && lines.length > 1 && (style.height === undefined || lines.length * lineHeight <= style.height + 0.01)) {
        lines.forEach((line, i) => {
          if (style.link !== undefined) this.doc.text(line, x, y + i * lineHeight, { link: style.link, underline: true, lineBreak: false });
          else this.fastText(line, x, y + i * lineHeight);
        });
        return;
      }
    }
    if (style.link !== undefined && (style.align ?? 'left') === 'left' && style.width !== undefined && !needsActualText(text)
      && this.fitsOneLine(text, style.width) && this.linkText(text, x, y, style.link)) return;
    const simple = style.link === undefined && (style.align ?? 'left') === 'left' && style.width !== undefined && this.fitsOneLine(text, style.width);
    if (simple) {
      options.width = undefined;
      options.height = undefined;
      options.ellipsis = undefined;
      options.lineBreak = false;
    }
    if (simple && !needsActualText(text) && this.fastText(text, x, y)) return;
    if (needsActualText(text)) {
      this.doc.markContent('Span', { actual: text } as PDFKit.Mixins.MarkingOptions);
      this.doc.text(text, x, y, options);
      this.doc.endMarkedContent();
    } else {
      this.doc.text(text, x, y, options);
    }
  }

  /**
   * One line of left-aligned text in a single content-stream write. pdfkit's `text()` costs ~8
   * writes, two width layouts and an options merge per call; a 2,000-subnet estate makes ~200,000
   * calls. Same operators as pdfkit's `_fragment` (kerning as TJ adjustments); returns false for
   * glyphs with offsets (combining marks), which are left to pdfkit.
   */
  private simpleGlyphs(font: EmbeddedFontInternals = this.currentFontObject()): SimpleGlyphs {
    let table = this.ascii.get(font.id);
    if (!table) {
      table = new SimpleGlyphs(font);
      this.ascii.set(font.id, table);
    }
    return table;
  }

  /** One line of linked text: the text, a thin underline and a URI annotation over it. */
  private linkText(text: string, x: number, y: number, url: string): boolean {
    const width = this.widths.get(`${this.currentFont}|${this.currentSize}|${text}`);
    if (width === undefined || !this.fastText(text, x, y)) return false;
    const height = this.doc.currentLineHeight();
    this.doc.link(x, y, width, height, url);
    const color = this.lastColor ?? COLORS.link;
    this.doc.moveTo(x, y + height - 0.5).lineTo(x + width, y + height - 0.5).lineWidth(0.5).strokeColor(color).stroke();
    return true;
  }

  private fastText(text: string, x: number, y: number): boolean {
    if (text.length === 0) return true;
    const font = this.currentFontObject();
    const baseline = this.doc.page.height - y - (font.ascender / 1000) * this.currentSize;
    return this.glyphRun(font, text, x, baseline);
  }

  /** `text` in `font` at the current size, starting at `x` on `baseline` (PDF space, y up). */
  private glyphRun(font: EmbeddedFontInternals, text: string, x: number, baseline: number): boolean {
    const page = this.doc.page;
    const size = this.currentSize;
    const ascii = this.simpleGlyphs(font).encode(text);
    if (ascii !== null) {
      page.fonts[font.id] ??= font.ref();
      this.doc.addContent(`q 1 0 0 -1 0 ${pdfNumber(page.height)} cm BT 1 0 0 1 ${pdfNumber(x)} ${pdfNumber(baseline)} Tm /${font.id} ${pdfNumber(size)} Tf <${ascii.hex}> Tj ET Q`);
      return true;
    }
    const [encoded, positions] = font.encode(text);
    if (positions.some((p) => p.xOffset !== 0 || p.yOffset !== 0)) return false;
    page.fonts[font.id] ??= font.ref();
    const commands: string[] = [];
    let last = 0;
    positions.forEach((p, i) => {
      const adjust = p.xAdvance - p.advanceWidth;
      if (adjust !== 0 || i === positions.length - 1) {
        commands.push(`<${encoded.slice(last, i + 1).join('')}> ${pdfNumber(-adjust)}`);
        last = i + 1;
      }
    });
    // The page's user space is flipped (y down); undo the flip for the text object, as pdfkit does.
    this.doc.addContent(`q 1 0 0 -1 0 ${pdfNumber(page.height)} cm BT 1 0 0 1 ${pdfNumber(x)} ${pdfNumber(baseline)} Tm /${font.id} ${pdfNumber(size)} Tf [${commands.join(' ')}] TJ ET Q`);
    return true;
  }

  private currentFontObject(): EmbeddedFontInternals {
    return (this.doc as unknown as { readonly _font: EmbeddedFontInternals })._font;
  }

  /**
   * pdfkit's font object for `name`, leaving the current font as it was (`doc.font` would make it
   * current). Opening a font does not embed it: only drawing with it on a page does.
   */
  private fontObject(name: RunFont): EmbeddedFontInternals {
    const cached = this.fontObjects.get(name);
    if (cached) return cached;
    const state = this.doc as unknown as { _font: EmbeddedFontInternals; _fontSource: unknown; _fontFamily: unknown };
    const saved = { font: state._font, source: state._fontSource, family: state._fontFamily };
    this.doc.font(name);
    const font = state._font;
    state._font = saved.font;
    state._fontSource = saved.source;
    state._fontFamily = saved.family;
    this.fontObjects.set(name, font);
    return font;
  }

  private hasGlyph(name: RunFont, codePoint: number): boolean {
    let known = this.coverage.get(name);
    if (!known) {
      known = new Map();
      this.coverage.set(name, known);
    }
    let has = known.get(codePoint);
    if (has === undefined) {
      has = this.fontObject(name).font.hasGlyphForCodePoint(codePoint);
      known.set(codePoint, has);
    }
    return has;
  }

  /**
   * `text` cut into runs of the current font and of the CJK fallback, each character going to the
   * current font when it has the glyph, else to the fallback when that has it. Null when nothing
   * needs the fallback: Latin text returns at the regex, before any lookup.
   */
  private fallbackSegments(text: string): readonly Segment[] | null {
    if (!BEYOND_LATIN.test(text)) return null;
    const primary = this.currentFont;
    const segments: Segment[] = [];
    let run = '';
    let runFont: RunFont = primary;
    let fallback = false;
    for (const ch of text) {
      const cp = ch.codePointAt(0) ?? 0;
      const font: RunFont = cp < 0x180 || this.hasGlyph(primary, cp) || !this.hasGlyph(FALLBACK_FONT, cp) ? primary : FALLBACK_FONT;
      if (font !== runFont && run.length > 0) {
        segments.push({ font: runFont, text: run });
        run = '';
      }
      runFont = font;
      run += ch;
      fallback ||= font === FALLBACK_FONT;
    }
    if (run.length > 0) segments.push({ font: runFont, text: run });
    return fallback ? segments : null;
  }

  /** Whether a character has a glyph in neither the current font nor the fallback (drawn as a box). */
  private hasUndrawable(text: string): boolean {
    for (const ch of text) {
      const cp = ch.codePointAt(0) ?? 0;
      if (cp >= 0x180 && !this.hasGlyph(this.currentFont, cp) && !this.hasGlyph(FALLBACK_FONT, cp)) return true;
    }
    return false;
  }

  private segmentWidth(segment: Segment): number {
    const font = this.fontObject(segment.font);
    const simple = this.simpleGlyphs(font).width(segment.text);
    return simple === null ? font.widthOfString(segment.text, this.currentSize) : (simple * this.currentSize) / 1000;
  }

  /** Width in points at the current size, each run measured in the font it is drawn in. */
  private mixedWidth(text: string): number {
    const segments = this.fallbackSegments(text) ?? [{ font: this.currentFont, text }];
    return segments.reduce((sum, segment) => sum + this.segmentWidth(segment), 0);
  }

  /**
   * Greedy wrap with mixed-font widths. Lines break at spaces and, as CJK text has none, between
   * wide (CJK) characters, never before closing punctuation (、。」). A piece wider than the line is
   * cut between characters.
   */
  private wrapMixed(text: string, width: number): readonly string[] {
    const space = this.mixedWidth(' ');
    const lines: string[] = [];
    for (const paragraph of text.split('\n')) {
      let line = '';
      let lineWidth = 0;
      for (const word of paragraph.split(' ')) {
        breakPieces(word).forEach((piece, i) => {
          const gap = i === 0 ? space : 0;
          const glue = i === 0 ? ' ' : '';
          let rest = piece;
          let pieceWidth = this.mixedWidth(rest);
          if (line.length > 0 && lineWidth + gap + pieceWidth <= width) {
            line += glue + rest;
            lineWidth += gap + pieceWidth;
            return;
          }
          if (line.length > 0 || i > 0) lines.push(line);
          for (let chars = [...rest]; pieceWidth > width && chars.length > 1; chars = [...rest]) {
            let cut = chars.length - 1;
            while (cut > 1 && this.mixedWidth(chars.slice(0, cut).join('')) > width) cut--;
            lines.push(chars.slice(0, cut).join(''));
            rest = chars.slice(cut).join('');
            pieceWidth = this.mixedWidth(rest);
          }
          line = rest;
          lineWidth = pieceWidth;
        });
      }
      lines.push(line);
    }
    return lines;
  }

  /** The longest start of `line` that fits `width` with an ellipsis after it. */
  private ellipsize(line: string, width: number): string {
    const chars = [...line];
    while (chars.length > 0 && this.mixedWidth(`${chars.join('').trimEnd()}…`) > width) chars.pop();
    return `${chars.join('').trimEnd()}…`;
  }

  /**
   * Text with characters the current font lacks: wrapped, truncated, aligned and linked here, each
   * line drawn run by run in the font that has the glyphs, all runs on the current font's baseline.
   * Bold and monospace text fall back to the same regular face.
   */
  private drawMixed(text: string, x: number, y: number, style: TextStyle & { readonly height?: number; readonly lineBreak?: boolean }): void {
    const size = this.currentSize;
    const lineHeight = this.currentFont === 'Mono' ? monoLineHeight(size) : this.doc.currentLineHeight(true);
    const wrap = style.width !== undefined && style.lineBreak !== false;
    let lines: readonly string[] = [text.replace(/\n/g, ' ')];
    if (wrap) lines = this.currentFont === 'Mono' ? monoLines(text, size, style.width ?? 0) : this.wrapMixed(text, style.width ?? 0);
    if (wrap && style.height !== undefined) {
      const max = Math.max(1, Math.floor((style.height + 0.01) / lineHeight));
      if (lines.length > max) lines = [...lines.slice(0, max - 1), this.ellipsize(lines[max - 1] ?? '', style.width ?? 0)];
    }
    const undrawable = this.hasUndrawable(text);
    if (undrawable) this.doc.markContent('Span', { actual: text } as PDFKit.Mixins.MarkingOptions);
    lines.forEach((line, i) => {
      const lineY = y + i * lineHeight;
      const lineWidth = this.mixedWidth(line);
      const free = (style.width ?? lineWidth) - lineWidth;
      const lineX = style.align === 'center' ? x + free / 2 : style.align === 'right' ? x + free : x;
      this.drawRuns(line, lineX, lineY);
      if (style.link !== undefined && lineWidth > 0) {
        const height = this.doc.currentLineHeight();
        this.doc.link(lineX, lineY, lineWidth, height, style.link);
        this.doc.moveTo(lineX, lineY + height - 0.5).lineTo(lineX + lineWidth, lineY + height - 0.5).lineWidth(0.5).strokeColor(this.lastColor ?? COLORS.link).stroke();
      }
    });
    if (undrawable) this.doc.endMarkedContent();
  }

  /** One line, run by run; the top of the line is at `y`. */
  private drawRuns(line: string, x: number, y: number): void {
    const primary = this.currentFontObject();
    const size = this.currentSize;
    const baseline = this.doc.page.height - y - (primary.ascender / 1000) * size;
    let cursor = x;
    for (const segment of this.fallbackSegments(line) ?? [{ font: this.currentFont, text: line }]) {
      const font = this.fontObject(segment.font);
      if (!this.glyphRun(font, segment.text, cursor, baseline)) {
        // Glyphs with offsets (combining marks): pdfkit places them, its top moved so the baselines meet.
        this.doc.font(segment.font).text(segment.text, cursor, y + ((primary.ascender - font.ascender) / 1000) * size, { lineBreak: false });
        this.doc.font(this.currentFont);
      }
      cursor += this.segmentWidth(segment);
    }
  }

  /**
   * Monospace text (IDs, rules, az commands) is wrapped here, not by pdfkit: every glyph has the
   * same advance, and pdfkit's word wrapper re-measures long unbroken IDs one character at a time.
   */
  private drawMono(text: string, x: number, y: number, size: number, width: number, options: PDFKit.Mixins.TextOptions): void {
    const lineHeight = monoLineHeight(size);
    monoLines(text, size, width).forEach((line, i) => {
      const lineOptions = { ...options, width: undefined, lineBreak: false };
      if (options.link === undefined && !needsActualText(line) && this.fastText(line, x, y + i * lineHeight)) return;
      if (needsActualText(line)) {
        this.doc.markContent('Span', { actual: line } as PDFKit.Mixins.MarkingOptions);
        this.doc.text(line, x, y + i * lineHeight, lineOptions);
        this.doc.endMarkedContent();
      } else {
        this.doc.text(line, x, y + i * lineHeight, lineOptions);
      }
    });
  }

  /** A paragraph kept on one page (capped at one page height, with an ellipsis). */
  paragraph(text: string, style: TextStyle = {}): void {
    const width = style.width ?? this.contentWidth - ((style.x ?? this.left) - this.left);
    const maxHeight = this.bottom - PAGE.marginTop;
    const height = Math.min(this.measure(text, { ...style, width }), maxHeight);
    this.ensureSpace(height);
    this.drawText(text, style.x ?? this.left, this.y, { ...style, width, height: height >= maxHeight ? maxHeight : undefined });
    this.y += height + (style.gapAfter ?? 3);
  }

  /** A bookmark and a named destination (the contents page links to it) at the cursor. */
  anchor(destination: string, title: string, level: number): void {
    this.doc.addNamedDestination(destination, 'XYZ', 0, this.pageHeight - this.y + 12, null);
    const parent = level === 0 ? this.doc.outline : this.outlineStack[level - 1] ?? this.doc.outline;
    this.outlineStack[level] = parent.addItem(title);
    this.outlineStack.length = level + 1;
    this.anchorPages.set(destination, this.pageNumber);
  }

  private fontInternals(font: EvidenceFont): EmbeddedFontInternals {
    this.doc.font(font);
    return (this.doc as unknown as { readonly _font: EmbeddedFontInternals })._font;
  }

  /** A form XObject for a number known only at the end; `fill` writes it, `place` draws it. */
  private placeholder(width: number, size: number, bold: boolean, align: 'left' | 'right', color: readonly [number, number, number]): Placeholder {
    const font = this.fontInternals(bold ? 'Sans-Bold' : 'Sans');
    const ref = this.doc.ref({ Type: 'XObject', Subtype: 'Form', BBox: [0, -size, Math.max(width, 60), size * 1.5], Resources: { Font: { [font.id]: font.ref() } } }) as Placeholder['ref'];
    return { ref, name: `EA${++this.placeholderCount}`, width, size, bold, align, color };
  }

  private place(placeholder: Placeholder, x: number, y: number): void {
    const font = this.fontInternals(placeholder.bold ? 'Sans-Bold' : 'Sans');
    this.doc.page.xobjects[placeholder.name] = placeholder.ref;
    // pdfkit's user space is flipped (y down); flip back so the form draws upright, origin on the baseline.
    const baseline = y + (font.ascender / 1000) * placeholder.size;
    this.doc.addContent(`q 1 0 0 -1 ${x.toFixed(2)} ${baseline.toFixed(2)} cm /${placeholder.name} Do Q`);
  }

  private fill(placeholder: Placeholder, text: string): void {
    const font = this.fontInternals(placeholder.bold ? 'Sans-Bold' : 'Sans');
    const [glyphs] = font.encode(text);
    const width = font.widthOfString(text, placeholder.size);
    const x = placeholder.align === 'right' ? placeholder.width - width : 0;
    const [r, g, b] = placeholder.color;
    placeholder.ref.write(`${r} ${g} ${b} rg BT /${font.id} ${placeholder.size} Tf ${x.toFixed(2)} 0 Td <${glyphs.join('')}> Tj ET`);
    placeholder.ref.end();
  }

  /** A contents line: title, a page number filled in at the end, and a link to the section. */
  tocLine(destination: string, title: string, level: number, y: number): void {
    const indent = level * 14;
    const font = level === 0 ? 'Sans-Bold' : 'Sans';
    const size = level === 0 ? 9 : 8.5;
    const numberWidth = 40;
    this.drawText(title, this.left + indent, y, { font, size, width: this.contentWidth - indent - numberWidth - 6, height: size * 1.3 });
    const number = this.placeholder(numberWidth, size, level === 0, 'right', [0.106, 0.122, 0.141]);
    this.place(number, this.left + this.contentWidth - numberWidth, y);
    this.tocNumbers.set(destination, number);
    this.doc.goTo(this.left, y - 1, this.contentWidth, size * 1.3, destination);
  }

  /**
   * The page number of `destination`'s anchor at (x, y), linked to it. The anchor may come later in
   * the document (a control cites the path section that proves it), so the number is a placeholder.
   */
  pageRef(destination: string, x: number, y: number, size: number, width = 30): void {
    const ref = this.placeholder(width, size, false, 'left', [0.043, 0.361, 0.678]);
    this.place(ref, x, y);
    this.pageRefs.push([destination, ref]);
    this.doc.goTo(x, y - 1, width, size * 1.3, destination);
  }

  /** A heading; with `anchor`, also a bookmark and the target of a contents line. */
  heading(title: string, level: 0 | 1 | 2, options: { readonly anchor?: string; readonly keepWith?: number } = {}): void {
    const size = level === 0 ? 17 : level === 1 ? 12.5 : 10.5;
    const before = level === 0 ? 0 : 8;
    const height = this.measure(title, { font: 'Sans-Bold', size });
    this.ensureSpace(before + height + (options.keepWith ?? 40));
    if (this.y > PAGE.marginTop) this.y += before;
    if (options.anchor !== undefined) this.anchor(options.anchor, title, level);
    this.drawText(title, this.left, this.y, { font: 'Sans-Bold', size, color: level === 0 ? COLORS.accent : COLORS.text, width: this.contentWidth });
    this.y += height + (level === 0 ? 8 : 4);
    if (level === 0) {
      this.doc.moveTo(this.left, this.y - 4).lineTo(this.left + this.contentWidth, this.y - 4).lineWidth(0.8).strokeColor(COLORS.accent).stroke();
      this.y += 4;
    }
  }

  /** Label/value rows; long values wrap in their column. */
  keyValues(rows: readonly (readonly [string, Cell])[], labelWidth = 130, size = 9): void {
    for (const [label, value] of rows) {
      const cell = cellOf(value);
      const valueWidth = this.contentWidth - labelWidth;
      const height = Math.max(this.measure(label, { font: 'Sans-Bold', size, width: labelWidth - 6 }), this.measure(cell.text, { font: cell.font ?? 'Sans', size, width: valueWidth }));
      this.ensureSpace(height);
      this.drawText(label, this.left, this.y, { font: 'Sans-Bold', size, color: COLORS.muted, width: labelWidth - 6 });
      this.drawText(cell.text, this.left + labelWidth, this.y, { font: cell.font ?? 'Sans', size, width: valueWidth, color: cell.color, link: cell.link });
      this.y += height + 2.5;
    }
  }

  /** A table whose header repeats on every page it spans; rows never split. */
  table(columns: readonly TableColumn[], rows: readonly (readonly Cell[])[], size = 8): void {
    const pad = 3;
    const drawHeader = (): void => {
      const height = Math.max(...columns.map((c) => this.measure(c.header, { font: 'Sans-Bold', size, width: c.width - 2 * pad }))) + 2 * pad;
      this.doc.rect(this.left, this.y, columns.reduce((s, c) => s + c.width, 0), height).fillColor(COLORS.headerFill).fill();
      let x = this.left;
      for (const c of columns) {
        this.drawText(c.header, x + pad, this.y + pad, { font: 'Sans-Bold', size, width: c.width - 2 * pad });
        x += c.width;
      }
      this.y += height;
    };
    this.ensureSpace(40);
    drawHeader();
    const totalWidth = columns.reduce((s, c) => s + c.width, 0);
    for (const row of rows) {
      const cells = columns.map((_, i) => cellOf(row[i]));
      const height = Math.max(...cells.map((cell, i) => this.measure(cell.text, { font: cell.font ?? columns[i]?.font ?? 'Sans', size, width: (columns[i]?.width ?? 0) - 2 * pad }))) + 2 * pad;
      if (this.y + height > this.bottom) {
        this.newPage();
        drawHeader();
      }
      let x = this.left;
      cells.forEach((cell, i) => {
        const column = columns[i];
        if (!column) return;
        this.drawText(cell.text, x + pad, this.y + pad, { font: cell.font ?? column.font ?? 'Sans', size, width: column.width - 2 * pad, color: cell.color, link: cell.link });
        x += column.width;
      });
      this.y += height;
      this.doc.moveTo(this.left, this.y).lineTo(this.left + totalWidth, this.y).lineWidth(0.4).strokeColor(COLORS.rule).stroke();
    }
    this.y += 6;
  }

  /**
   * pdfkit caches the glyph layout of every distinct word it has drawn, for the life of the
   * document. Evidence is full of distinct words (resource IDs, az commands), so on a 2,000-subnet
   * estate that cache grew by hundreds of megabytes; dropping it once it is large bounds memory.
   */
  trimFontCaches(): void {
    if (this.widths.size < 20_000) return;
    this.widths.clear();
    const fonts = (this.doc as unknown as { readonly _fontFamilies?: Readonly<Record<string, { layoutCache?: unknown }>> })._fontFamilies ?? {};
    for (const font of Object.values(fonts)) {
      if (font.layoutCache !== undefined) font.layoutCache = Object.create(null);
    }
  }

  /** The running title and "Page n of N" on the current page; N is one shared placeholder. */
  private drawFooter(): void {
    const y = this.doc.page.height - 34;
    const width = this.doc.page.width - 2 * PAGE.marginX;
    this.drawText(this.runningTitle, PAGE.marginX, y, { size: 7, color: COLORS.muted, width: width - 100, height: 10 });
    const label = `Page ${this.pageNumber} of `;
    this.setFont('Sans', 7, COLORS.muted);
    const labelWidth = this.doc.widthOfString(label);
    const x = PAGE.marginX + width - 70;
    this.drawText(label, x, y, { size: 7, color: COLORS.muted, lineBreak: false });
    this.totalPages ??= this.placeholder(60, 7, false, 'left', [0.341, 0.376, 0.416]);
    this.place(this.totalPages, x + labelWidth, y);
  }

  async finish(): Promise<Uint8Array> {
    if (this.pageCount > 0) this.drawFooter();
    if (this.totalPages) this.fill(this.totalPages, String(this.pageCount));
    for (const [destination, placeholder] of this.tocNumbers) this.fill(placeholder, String(this.anchorPages.get(destination) ?? '?'));
    for (const [destination, placeholder] of this.pageRefs) this.fill(placeholder, String(this.anchorPages.get(destination) ?? '?'));
    this.doc.end();
    await this.finished;
    return new Uint8Array(Buffer.concat(this.chunks));
  }
}

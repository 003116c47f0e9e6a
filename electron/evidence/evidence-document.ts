/**
 * A thin layer over pdfkit for flowing, paginated evidence: a cursor, blocks that never split
 * across a page, tables with repeated headers, bookmarks plus table-of-contents entries, and
 * the "Page n of N" footer. pdfkit breaks pages on its own when text overflows; every block here
 * is measured first and placed explicitly so that never happens mid-row.
 */
import PDFDocument from 'pdfkit';
import { evidenceFontFiles, needsActualText, type EvidenceFont } from './fonts';

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

export interface TocEntry {
  readonly title: string;
  readonly level: number;
  readonly pageIndex: number;
  readonly destination: string;
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

function cellOf(cell: Cell | undefined): TableCell {
  if (cell === undefined) return { text: '' };
  return typeof cell === 'string' ? { text: cell } : cell;
}

export class EvidenceDocument {
  readonly doc: PDFKit.PDFDocument;
  readonly toc: TocEntry[] = [];
  y: number = PAGE.marginTop;
  private readonly outlineStack: PDFKit.PDFOutline[] = [];
  private destinationCount = 0;
  private readonly chunks: Buffer[] = [];
  private readonly finished: Promise<void>;

  constructor(info: DocumentInfo) {
    this.doc = new PDFDocument({
      autoFirstPage: false,
      bufferPages: true,
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
  }

  get left(): number { return PAGE.marginX }
  get pageWidth(): number { return this.doc.page.width }
  get pageHeight(): number { return this.doc.page.height }
  get contentWidth(): number { return this.pageWidth - 2 * PAGE.marginX }
  get bottom(): number { return this.pageHeight - PAGE.marginBottom }
  get pageIndex(): number { return this.doc.bufferedPageRange().count - 1 }

  newPage(layout: 'portrait' | 'landscape' = 'portrait'): void {
    this.doc.addPage({ size: 'A4', layout, margins: { top: PAGE.marginTop, bottom: 0, left: PAGE.marginX, right: PAGE.marginX } });
    this.y = PAGE.marginTop;
  }

  /** Starts a new page unless `height` more points fit below the cursor. */
  ensureSpace(height: number): void {
    if (this.y + height > this.bottom) this.newPage();
  }

  setFont(font: EvidenceFont, size: number, color: string = COLORS.text): void {
    this.doc.font(font).fontSize(size).fillColor(color);
  }

  measure(text: string, style: TextStyle = {}): number {
    this.setFont(style.font ?? 'Sans', style.size ?? 9);
    return this.doc.heightOfString(text.length > 0 ? text : ' ', { width: style.width ?? this.contentWidth });
  }

  /** Draws text at an explicit position without moving the cursor. */
  drawText(text: string, x: number, y: number, style: TextStyle & { readonly height?: number; readonly lineBreak?: boolean } = {}): void {
    this.setFont(style.font ?? 'Sans', style.size ?? 9, style.color ?? (style.link ? COLORS.link : COLORS.text));
    const options: PDFKit.Mixins.TextOptions = {
      width: style.width,
      height: style.height,
      ellipsis: style.height !== undefined ? '…' : undefined,
      lineBreak: style.lineBreak,
      align: style.align,
      link: style.link,
      underline: style.link !== undefined,
    };
    if (needsActualText(text)) {
      this.doc.markContent('Span', { actual: text } as PDFKit.Mixins.MarkingOptions);
      this.doc.text(text, x, y, options);
      this.doc.endMarkedContent();
    } else {
      this.doc.text(text, x, y, options);
    }
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

  /** A bookmark, a named destination for links and a table-of-contents entry at the cursor. */
  anchor(title: string, level: number): void {
    const destination = `sec-${++this.destinationCount}`;
    this.doc.addNamedDestination(destination, 'XYZ', 0, this.pageHeight - this.y + 12, null);
    const parent = level === 0 ? this.doc.outline : this.outlineStack[level - 1] ?? this.doc.outline;
    this.outlineStack[level] = parent.addItem(title);
    this.outlineStack.length = level + 1;
    this.toc.push({ title, level, pageIndex: this.pageIndex, destination });
  }

  heading(title: string, level: 0 | 1 | 2, options: { readonly bookmark?: boolean; readonly keepWith?: number } = {}): void {
    const size = level === 0 ? 17 : level === 1 ? 12.5 : 10.5;
    const before = level === 0 ? 0 : 8;
    const height = this.measure(title, { font: 'Sans-Bold', size });
    this.ensureSpace(before + height + (options.keepWith ?? 40));
    if (this.y > PAGE.marginTop) this.y += before;
    if (options.bookmark !== false) this.anchor(title, level);
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

  /** Writes "Page n of N" and a running title on every page, once all pages exist. */
  addFooters(runningTitle: string): void {
    const { start, count } = this.doc.bufferedPageRange();
    for (let i = start; i < start + count; i++) {
      this.doc.switchToPage(i);
      const y = this.doc.page.height - 34;
      const width = this.doc.page.width - 2 * PAGE.marginX;
      this.drawText(runningTitle, PAGE.marginX, y, { size: 7, color: COLORS.muted, width: width - 90, lineBreak: false, height: 10 });
      this.drawText(`Page ${i + 1} of ${count}`, PAGE.marginX + width - 90, y, { size: 7, color: COLORS.muted, width: 90, align: 'right', lineBreak: false });
    }
  }

  async finish(): Promise<Uint8Array> {
    this.doc.end();
    await this.finished;
    return new Uint8Array(Buffer.concat(this.chunks));
  }
}

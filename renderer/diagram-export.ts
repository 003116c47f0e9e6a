/**
 * The Export menu's diagrams (draw.io, SVG, Mermaid): the same shared exporters as
 * `egress-atlas diagram`, fed from what the renderer already has (the opened snapshot for the title
 * block, the resolve result, the graph built and laid out in the layout worker). Nothing crosses
 * the IPC bridge.
 */
import type { ResolveResult } from '../shared/egress/types';
import { diagramMeta, mermaidLimitProblem, toDrawio, toMermaid, toSvg } from '../shared/graph/export/index';
import type { Snapshot } from '../shared/model/snapshot';
import { diagramInWorker } from './layout-client';
import type { ViewMode } from './state/app-state';
import { fileStem } from './util';

export type DiagramFormat = 'drawio' | 'svg' | 'png' | 'mermaid';

export const DIAGRAM_FORMATS: readonly { readonly format: DiagramFormat; readonly label: string }[] = [
  { format: 'drawio', label: 'draw.io' },
  { format: 'svg', label: 'SVG' },
  { format: 'png', label: 'PNG' },
  { format: 'mermaid', label: 'Mermaid' },
];

const EXTENSION: Readonly<Record<DiagramFormat, string>> = { drawio: 'drawio', svg: 'svg', png: 'png', mermaid: 'mmd' };
const MIME: Readonly<Record<DiagramFormat, string>> = {
  drawio: 'application/vnd.jgraph.mxfile', svg: 'image/svg+xml', png: 'image/png', mermaid: 'text/vnd.mermaid',
};

export interface DiagramFile {
  readonly fileName: string;
  /** The file's text; empty for a PNG, whose bytes are in `blob`. */
  readonly text: string;
  readonly mimeType: string;
  readonly blob?: Blob;
  /** Something the user must know about the file (it is still written), e.g. GitHub will not render it. */
  readonly warning?: string;
}

/**
 * The CLI's warning (`egress-atlas diagram`, mermaidLimitProblem) for the app: past Mermaid's
 * default maxTextSize or maxEdges, which GitHub does not raise, GitHub shows an error instead of
 * the diagram. The advice names what the app offers for the view drawn.
 */
export function mermaidWarning(text: string, edgeCount: number, view: 'full' | 'overview' | 'path'): string | undefined {
  const problem = mermaidLimitProblem(text, edgeCount);
  if (problem === null) return undefined;
  const advice = view === 'full' ? 'export the VNet overview (View: VNet overview) or a selection instead, or use draw.io or SVG'
    : view === 'overview' ? 'this is already the VNet overview: export a selection instead, or use draw.io or SVG'
      : 'use draw.io or SVG for this selection';
  return `The Mermaid file was saved, but ${problem}: GitHub will not render it; ${advice}.`;
}

/** PNG pixels per SVG unit: sharp when printed, as the CLI's PNG. */
export const PNG_SCALE = 2;
/** Chromium refuses canvases beyond ~16k px a side or ~268 M px; stay well inside, lowering the scale for huge estates. */
const MAX_CANVAS_SIDE = 16_384;
const MAX_CANVAS_AREA = 120_000_000;

/** The scale a `width` × `height` SVG is rasterised at: PNG_SCALE, or less when the canvas would be too big. */
export function pngScale(width: number, height: number): number {
  const bySide = MAX_CANVAS_SIDE / Math.max(width, height, 1);
  const byArea = Math.sqrt(MAX_CANVAS_AREA / Math.max(width * height, 1));
  return Math.min(PNG_SCALE, bySide, byArea);
}

/**
 * The SVG export (title block, legend, date, hash; every label whole) drawn onto a canvas on a
 * white background: the PNG is the same picture as the SVG, never the on-screen viewport.
 */
export async function svgToPng(svgText: string): Promise<Blob> {
  const root = new DOMParser().parseFromString(svgText, 'image/svg+xml').documentElement;
  const width = Number(root.getAttribute('width'));
  const height = Number(root.getAttribute('height'));
  if (!(width > 0 && height > 0)) throw new Error('the SVG has no size');
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.decoding = 'sync';
    image.src = url;
    await image.decode();
    const scale = pngScale(width, height);
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(width * scale);
    canvas.height = Math.ceil(height * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) => {
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the canvas gave no PNG'))), 'image/png');
    });
  } finally {
    URL.revokeObjectURL(url);
  }
}

export interface DiagramInput {
  readonly snapshot: Snapshot;
  readonly result: ResolveResult;
  /** The estate's title (the file is named after it). */
  readonly title: string;
  readonly destination: string | null;
  readonly mode: ViewMode;
  /** The selected source, or null for the whole estate. */
  readonly sourceId: string | null;
}

export async function buildDiagram(format: DiagramFormat, input: DiagramInput): Promise<DiagramFile> {
  const { snapshot, result } = input;
  const source = input.sourceId === null ? null : (result.paths.find((p) => p.source.id === input.sourceId)?.source ?? null);
  if (format === 'png') {
    const svgFile = await buildDiagram('svg', input);
    return { fileName: svgFile.fileName.replace(/\.svg$/, '.png'), text: '', mimeType: MIME.png, blob: await svgToPng(svgFile.text) };
  }
  const answer = await diagramInWorker(snapshot.model, result, {
    mode: input.mode, sourceIds: source === null ? [] : [source.id], withLayout: format !== 'mermaid',
  });
  const meta = diagramMeta(snapshot, {
    destination: input.destination, sources: source === null ? [] : [source.name], exportedAt: new Date().toISOString(),
  });
  // Light by default whatever the OS theme: a filed diagram is printed and pasted into documents.
  const text = format === 'drawio' ? toDrawio(answer.graph, answer.layout, meta)
    : format === 'svg' ? toSvg(answer.graph, answer.layout, meta, { theme: 'light' })
      : toMermaid(answer.graph, meta);
  const stem = source === null ? fileStem(input.title) : `${fileStem(input.title)}-${fileStem(source.name)}`;
  const warning = format === 'mermaid' ? mermaidWarning(text, answer.graph.edges.length, answer.graph.view.kind) : undefined;
  return { fileName: `${stem}-diagram.${EXTENSION[format]}`, text, mimeType: MIME[format], ...(warning === undefined ? {} : { warning }) };
}

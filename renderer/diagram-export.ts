/**
 * The Export menu's diagrams (draw.io, SVG, Mermaid): the same shared exporters as
 * `egress-atlas diagram`, fed from what the renderer already has (the opened snapshot for the title
 * block, the resolve result, the graph built and laid out in the layout worker). Nothing crosses
 * the IPC bridge.
 */
import type { ResolveResult } from '../shared/egress/types';
import { diagramMeta, toDrawio, toMermaid, toSvg } from '../shared/graph/export/index';
import type { Snapshot } from '../shared/model/snapshot';
import { diagramInWorker } from './layout-client';
import type { ViewMode } from './state/app-state';
import { fileStem } from './util';

export type DiagramFormat = 'drawio' | 'svg' | 'mermaid';

export const DIAGRAM_FORMATS: readonly { readonly format: DiagramFormat; readonly label: string }[] = [
  { format: 'drawio', label: 'draw.io' },
  { format: 'svg', label: 'SVG' },
  { format: 'mermaid', label: 'Mermaid' },
];

const EXTENSION: Readonly<Record<DiagramFormat, string>> = { drawio: 'drawio', svg: 'svg', mermaid: 'mmd' };
const MIME: Readonly<Record<DiagramFormat, string>> = {
  drawio: 'application/vnd.jgraph.mxfile', svg: 'image/svg+xml', mermaid: 'text/vnd.mermaid',
};

export interface DiagramFile {
  readonly fileName: string;
  readonly text: string;
  readonly mimeType: string;
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
  return { fileName: `${stem}-diagram.${EXTENSION[format]}`, text, mimeType: MIME[format] };
}

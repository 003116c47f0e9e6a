/**
 * Opens an estate from files on disk on the main side (`egress-atlas ui FILE`,
 * `npm run web -- FILE`): reads the snapshot or ARM / az JSON files (directories expanded as the
 * CLI does), builds the snapshot, keeps it as an open estate and resolves the default route once
 * so the page's first `resolve` is a cache hit. The page then opens it by ID (`openLoaded`): the
 * file is never uploaded from the page. Progress is reported per stage.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { LoadProgress, OpenedEstate } from '../../shared/ipc/contract';
import type { Snapshot } from '../../shared/model/snapshot';
import { decodeText, snapshotFromTexts, type InputText } from '../snapshot/index';
import { inputFileList } from '../snapshot/load';
import { TOOL_VERSION } from '../snapshot/tool-version';
import type { MainServices } from './main-services';

/** Declared in the IPC contract: the page shows it too (`loadStatus`). */
export type { LoadProgress } from '../../shared/ipc/contract';

export interface LoadEstateOptions {
  readonly onProgress?: (progress: LoadProgress) => void;
  /** Title of the estate; default: the first path's name (`+ n more`). */
  readonly title?: string;
  /** Awaited after reading, before the synchronous build (main-services: until the page follows the load). */
  readonly beforeBuild?: () => Promise<void>;
}

/** Every resource the normalized model holds (each array in `snapshot.model`). */
export function countResources(snapshot: Snapshot): number {
  let n = 0;
  for (const value of Object.values(snapshot.model) as unknown[]) if (Array.isArray(value)) n += value.length;
  return n;
}

function titleForPaths(paths: readonly string[]): string {
  const [first, ...rest] = paths;
  if (first === undefined) return 'Opened files';
  const name = basename(first);
  return rest.length === 0 ? name : `${name} + ${rest.length} more`;
}

async function readWithProgress(path: string, onChunk: (bytes: number) => void): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * 1024 * 1024 })) {
    const buffer = chunk as Buffer;
    chunks.push(buffer);
    onChunk(buffer.length);
  }
  return chunks.length === 1 ? chunks[0] as Buffer : Buffer.concat(chunks);
}

/** One macrotask later: pending I/O callbacks (HTTP requests, IPC) run first. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Reads `paths` into an open estate of `services`. Throws InputError for bad input (as the CLI's loader). */
export async function loadEstateFromPaths(services: Pick<MainServices, 'addLoaded' | 'resolve'>, paths: readonly string[], options: LoadEstateOptions = {}): Promise<OpenedEstate> {
  const report = options.onProgress ?? (() => undefined);
  // Directories are read as the CLI reads them, deeper `.json` files named in gaps, not lost silently.
  const { files, gaps: inputGaps } = await inputFileList(paths);
  let totalBytes = 0;
  for (const file of files) totalBytes += (await stat(file.path)).size;
  let bytesRead = 0;
  const texts: InputText[] = [];
  for (const file of files) {
    const bytes = await readWithProgress(file.path, (n) => {
      bytesRead += n;
      report({ stage: 'reading', bytesRead, totalBytes, file: file.name });
    });
    texts.push({ name: file.name, text: decodeText(bytes), bytes, ...(file.directory === undefined ? {} : { directory: file.directory }) });
  }
  await options.beforeBuild?.();
  report({ stage: 'building', bytesRead });
  // Building and resolving are synchronous: let the event loop answer what queued up in between
  // (the page's `loadStatus` polls in browser mode, IPC in Electron) so each stage is seen.
  await nextTurn();
  const snapshot = snapshotFromTexts(texts, { toolVersion: TOOL_VERSION, ...(inputGaps.length === 0 ? {} : { inputGaps }) });
  report({ stage: 'built', resources: countResources(snapshot), subnets: snapshot.model.subnets.length, networkInterfaces: snapshot.model.networkInterfaces.length });
  await nextTurn();
  const opened = services.addLoaded(options.title ?? titleForPaths(paths), snapshot);
  const resolved = await services.resolve({ estateId: opened.summary.estateId, destination: null });
  if (resolved.ok) report({ stage: 'resolved', sources: resolved.value.paths.length });
  return opened;
}

/** One line of progress for a terminal, e.g. `reading 12.5 / 125.0 MB`. */
export function formatLoadProgress(progress: LoadProgress): string {
  const mb = (n: number): string => (n / (1024 * 1024)).toFixed(1);
  switch (progress.stage) {
    case 'reading':
      return `reading ${mb(progress.bytesRead)} / ${mb(progress.totalBytes)} MB (${progress.file})`;
    case 'building':
      return `read ${mb(progress.bytesRead)} MB; parsing and building the model…`;
    case 'built':
      return `${progress.resources} resources (${progress.subnets} subnets, ${progress.networkInterfaces} NICs); resolving…`;
    case 'resolved':
      return `${progress.sources} sources resolved`;
  }
}

/**
 * A progress callback that writes lines to `write` (a terminal's stderr): every stage, but the
 * reading stage only every 10% of the bytes (and at the end), with the elapsed time.
 */
export function progressPrinter(write: (line: string) => void, clock: () => number = () => performance.now()): (progress: LoadProgress) => void {
  const start = clock();
  let nextReadingStep = 0;
  return (progress) => {
    if (progress.stage === 'reading') {
      const step = progress.totalBytes === 0 ? 10 : Math.floor((progress.bytesRead / progress.totalBytes) * 10);
      if (step < nextReadingStep && progress.bytesRead < progress.totalBytes) return;
      nextReadingStep = step + 1;
    }
    write(`[${((clock() - start) / 1000).toFixed(1)} s] ${formatLoadProgress(progress)}`);
  };
}

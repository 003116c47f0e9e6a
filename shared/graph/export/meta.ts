/**
 * What every exported diagram states about itself (the "title block"): scope, destination,
 * capture time and snapshot hash, so a diagram filed on its own can be traced to the snapshot it
 * was drawn from.
 */
import type { Snapshot } from '../../model/snapshot';

export interface DiagramMeta {
  readonly title: string;
  /** Which estate (tenant / subscriptions / files or demo) and which sources. */
  readonly scope: string;
  /** The destination the paths were resolved for. */
  readonly destination: string;
  /** ISO 8601, from the snapshot. */
  readonly capturedAt: string;
  /**
   * False when no input recorded a capture time: ARM / `az` exports carry none, so an import of
   * exports alone is stamped with the time it was read (electron/snapshot/load.ts, README
   * "exports alone get the import time"). The title block then says so rather than call the read
   * time a capture time. Absent: `capturedAt` is a capture time.
   */
  readonly captureTimeRecorded?: false;
  /** Hex SHA-256 of the snapshot (changes with the capture time: an import made twice gets two). */
  readonly snapshotSha256: string;
  /** Hex SHA-256 of the snapshot's content alone (the same for the same resources), when known. */
  readonly contentSha256?: string;
  /** ISO 8601 export time; left out of the output when absent, so tests and pinned exports are byte-stable. */
  readonly exportedAt?: string;
}

export interface DiagramMetaOptions {
  /** The what-if destination, or null for the default route. */
  readonly destination: string | null;
  /** Names of the sources drawn, when not the whole estate. */
  readonly sources?: readonly string[];
  readonly exportedAt?: string;
}

/** Default route when no what-if destination is given (what `resolve` evaluates). */
export const DEFAULT_DESTINATION_TEXT = '0.0.0.0/0 (default route)';

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * Whether the snapshot's `capturedAt` is only its import time: an import whose every input file is
 * an export (`metadata.inputs` records a snapshot input's own capture time, never an export's).
 */
function importedFromExportsAlone(snapshot: Snapshot): boolean {
  const { source, inputs } = snapshot.metadata;
  return source === 'import' && inputs !== undefined && inputs.length > 0 && inputs.every((input) => input.capturedAt === undefined);
}

export function diagramMeta(snapshot: Snapshot, options: DiagramMetaOptions): DiagramMeta {
  const { scope, origin } = snapshot.metadata;
  const estate = [
    scope.tenantId === null ? null : `tenant ${scope.tenantId}`,
    scope.managementGroupId === null ? null : `management group ${scope.managementGroupId}`,
    scope.subscriptionIds.length === 0 ? null : plural(scope.subscriptionIds.length, 'subscription'),
    origin.length === 0 ? null : `${snapshot.metadata.source === 'demo' ? 'demo' : 'from'} ${origin.join(', ')}`,
  ].filter((part): part is string => part !== null);
  const sources = options.sources === undefined || options.sources.length === 0
    ? 'all sources' : `sources: ${options.sources.join(', ')}`;
  const name = scope.tenantId ?? origin[0] ?? 'Azure estate';
  return {
    title: `Egress paths: ${name}`,
    scope: `${estate.length === 0 ? 'estate' : estate.join('; ')}; ${sources}`,
    destination: options.destination ?? DEFAULT_DESTINATION_TEXT,
    capturedAt: snapshot.metadata.capturedAt,
    ...(importedFromExportsAlone(snapshot) ? { captureTimeRecorded: false as const } : {}),
    snapshotSha256: snapshot.sha256,
    ...(snapshot.contentSha256 === undefined ? {} : { contentSha256: snapshot.contentSha256 }),
    ...(options.exportedAt === undefined ? {} : { exportedAt: options.exportedAt }),
  };
}

/** The title block's lines after the title, in the order every format prints them. */
export function metaLines(meta: DiagramMeta): readonly string[] {
  return [
    `Scope: ${meta.scope}`,
    `Destination: ${meta.destination}`,
    meta.captureTimeRecorded === false ? `Captured: not recorded in the input files; read at ${meta.capturedAt}` : `Captured: ${meta.capturedAt}`,
    `Snapshot SHA-256: ${meta.snapshotSha256}`,
    ...(meta.contentSha256 === undefined ? [] : [`Content SHA-256: ${meta.contentSha256}`]),
    ...(meta.exportedAt === undefined ? [] : [`Exported: ${meta.exportedAt}`]),
  ];
}

/**
 * A snapshot as `egress-atlas snapshot` writes one for an imported model, then read back as JSON:
 * what the snapshot field tests load, malformed or not (the model is taken as given, unchecked).
 */
import { buildSnapshot } from '../../electron/snapshot/snapshot';
import { SNAPSHOT_FORMAT, type SnapshotContent } from '../../shared/model/snapshot';

/** The content of an import of `model` from the file `origin`, nothing else captured. */
export function importedContent(model: unknown, origin: string): SnapshotContent {
  return {
    format: SNAPSHOT_FORMAT,
    metadata: { capturedAt: '2026-01-01T00:00:00.000Z', source: 'import', origin: [origin], capturedBy: null,
      scope: { tenantId: null, subscriptionIds: [], managementGroupId: null, cloud: null }, toolVersion: '0.1.0' },
    model, effectiveRoutes: [], metrics: [], gaps: [],
  } as unknown as SnapshotContent;
}

/** That snapshot, hashed and written, as the JSON a reader parses. */
export function writtenSnapshot(model: unknown, origin: string): unknown {
  return JSON.parse(JSON.stringify(buildSnapshot(importedContent(model, origin)))) as unknown;
}

/**
 * A bundled demo estate as a snapshot, exactly as if the user had imported its ARM documents.
 * The CLI and the app's services both open demos through this one function.
 */
import { normalizeArm } from '../../shared/arm/index';
import type { DemoEstate } from '../../shared/demo/index';
import { SNAPSHOT_FORMAT, type Snapshot } from '../../shared/model/snapshot';
import { buildSnapshot } from './snapshot';
import { TOOL_VERSION } from './tool-version';

/** Capture time = `now`; everything else is deterministic, so a pinned `now` pins the hash. */
export function buildDemoSnapshot(demo: DemoEstate, now: Date = new Date()): Snapshot {
  const normalized = normalizeArm(demo.documents);
  const subscriptionIds = [...new Set(normalized.model.virtualNetworks.map((v) => v.subscriptionId))].sort();
  return buildSnapshot({
    format: SNAPSHOT_FORMAT,
    metadata: {
      capturedAt: now.toISOString(),
      source: 'demo',
      origin: [demo.name],
      capturedBy: null,
      scope: { tenantId: null, subscriptionIds, managementGroupId: null, cloud: null },
      toolVersion: TOOL_VERSION,
    },
    model: normalized.model,
    effectiveRoutes: normalized.effectiveRoutes,
    metrics: [],
    gaps: normalized.gaps,
    serviceTags: demo.serviceTags,
  });
}

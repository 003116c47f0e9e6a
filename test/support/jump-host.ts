/**
 * The jump-host estate (test/shared/egress/support.ts jumpHostModel) as a snapshot: subnet `app`
 * lets out TCP 443 to a partner range only, while nic-jump's application security group may SSH
 * anywhere. nic-jump follows its subnet's path on TCP 443 and is a reach source of its own.
 */
import { buildSnapshot, formatSnapshot } from '../../electron/snapshot/snapshot';
import { SNAPSHOT_FORMAT, type Snapshot } from '../../shared/model/snapshot';
import type { NetworkModel } from '../../shared/model/topology';
import { jumpHostModel } from '../shared/egress/support';

export function jumpHostSnapshot(): Snapshot {
  return snapshotOfModel(jumpHostModel());
}

/** A live-pull snapshot of a built model (no captured routes, metrics or gaps). */
export function snapshotOfModel(model: NetworkModel): Snapshot {
  return buildSnapshot({
    format: SNAPSHOT_FORMAT,
    metadata: {
      capturedAt: '2026-12-01T00:00:00Z', source: 'live-pull', origin: ['auditor@contoso.com'], capturedBy: 'auditor@contoso.com',
      scope: { tenantId: 'tenant-1', subscriptionIds: ['00000000-0000-0000-0000-000000000001'], managementGroupId: null, cloud: 'AzurePublicCloud' },
      toolVersion: '0.1.0',
    },
    model, effectiveRoutes: [], metrics: [], gaps: [],
  });
}

/** The snapshot file's text, as `Save snapshot` writes it. */
export function jumpHostSnapshotText(): string {
  return formatSnapshot(jumpHostSnapshot());
}

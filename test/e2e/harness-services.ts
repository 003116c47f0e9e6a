/**
 * An in-memory `EgressAtlasApi` built only from shared/ (demos, normalizeArm, resolveEgress): the
 * renderer's development harness, and the e2e fallback when the real main-side services cannot
 * load. Imports are ARM bundles or plain resource arrays (no snapshot files).
 */
import { normalizeArm } from '../../shared/arm';
import { DEMO_ESTATES, findDemo } from '../../shared/demo';
import { resolveEgress } from '../../shared/egress';
import type { EgressAtlasApi, IpcResult, OpenedEstate } from '../../shared/ipc/contract';
import { SNAPSHOT_FORMAT, type Snapshot } from '../../shared/model/snapshot';
import type { ArmDocument } from '../../shared/arm';

function ok<T>(value: T): IpcResult<T> {
  return { ok: true, value };
}

function fail(code: 'not-found' | 'input-error' | 'unsupported', message: string): IpcResult<never> {
  return { ok: false, error: { code, message } };
}

export function createHarnessServices(): EgressAtlasApi {
  const estates = new Map<string, Snapshot>();
  let next = 1;
  const open = (title: string, documents: readonly ArmDocument[], origin: string): OpenedEstate => {
    const normalized = normalizeArm(documents);
    const snapshot: Snapshot = {
      format: SNAPSHOT_FORMAT,
      metadata: {
        capturedAt: '2026-01-01T00:00:00.000Z', source: 'import', origin: [origin], capturedBy: null,
        scope: { tenantId: null, subscriptionIds: [], managementGroupId: null, cloud: null }, toolVersion: 'harness',
      },
      model: normalized.model,
      effectiveRoutes: normalized.effectiveRoutes,
      metrics: [],
      gaps: normalized.gaps,
      sha256: '',
    };
    const estateId = `estate-${next++}`;
    estates.set(estateId, snapshot);
    return {
      summary: {
        estateId, title,
        subnetCount: snapshot.model.subnets.length,
        networkInterfaceCount: snapshot.model.networkInterfaces.length,
        virtualNetworkCount: snapshot.model.virtualNetworks.length,
      },
      snapshot,
    };
  };
  return {
    listDemos: async () => ok(DEMO_ESTATES.map(({ name, title, description }) => ({ name, title, description }))),
    openDemo: async ({ name }) => {
      const demo = findDemo(name);
      return demo ? ok(open(demo.title, demo.documents, demo.name)) : fail('not-found', `No demo named ${name}.`);
    },
    importFiles: async ({ files }) => {
      try {
        const documents = files.map((f) => ({ fileName: f.name, json: JSON.parse(f.text) as unknown }));
        return ok(open(files.map((f) => f.name).join(', '), documents, 'files'));
      } catch (e) {
        return fail('input-error', e instanceof Error ? e.message : String(e));
      }
    },
    listRecent: async () => ok([]),
    openRecent: async () => fail('not-found', 'No recent entries in the harness.'),
    resolve: async ({ estateId, destination }) => {
      const snapshot = estates.get(estateId);
      if (!snapshot) return fail('not-found', `No estate ${estateId}.`);
      try {
        return ok(resolveEgress(snapshot, { destination }));
      } catch (e) {
        return fail('input-error', e instanceof Error ? e.message : String(e));
      }
    },
    saveSnapshot: async ({ estateId }) => {
      const snapshot = estates.get(estateId);
      return snapshot ? ok({ fileName: 'snapshot.json', text: JSON.stringify(snapshot) }) : fail('not-found', `No estate ${estateId}.`);
    },
    exportEvidence: async () => fail('unsupported', 'Evidence PDFs are not available in the harness.'),
    startPull: async () => fail('unsupported', 'Live pulls are not available in the harness.'),
    pullStatus: async () => fail('unsupported', 'Live pulls are not available in the harness.'),
    cancelPull: async () => fail('unsupported', 'Live pulls are not available in the harness.'),
  };
}

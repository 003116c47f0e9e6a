/**
 * `serviceGatewayId` on subnets (API 2025-05-01): new snapshots keep it, snapshots written before
 * the field existed still load, and a value that is not a resource ID is refused naming the field.
 */
import { describe, expect, it } from 'vitest';
import { parseSnapshotJson } from '../../../electron/snapshot/snapshot';
import type { NetworkModel } from '../../../shared/model/topology';
import { writtenSnapshot } from '../../support/snapshot-files';
import { ModelBuilder } from '../../support/model-builder';

const SERVICE_GATEWAY = '/subscriptions/x/resourcegroups/rg/providers/microsoft.network/servicegateways/sgw1';

const written = (model: NetworkModel): unknown => writtenSnapshot(model, 'net.json');

function model(serviceGatewayId: unknown): NetworkModel {
  const b = new ModelBuilder();
  b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24');
  const built = b.build();
  return serviceGatewayId === undefined ? built : { ...built, subnets: built.subnets.map((s) => ({ ...s, serviceGatewayId: serviceGatewayId as never })) };
}

describe('snapshots and subnet serviceGatewayId', () => {
  it('keeps the field; an older snapshot without it loads unchanged', () => {
    expect(parseSnapshotJson(written(model(SERVICE_GATEWAY)), 'new.snapshot.json').model.subnets[0]?.serviceGatewayId).toBe(SERVICE_GATEWAY);
    expect(parseSnapshotJson(written(model(undefined)), 'old.snapshot.json').model.subnets[0]).not.toHaveProperty('serviceGatewayId');
  });

  it('refuses a value that is not a resource ID', () => {
    expect(() => parseSnapshotJson(written(model(42)), 'bad.snapshot.json')).toThrow(/serviceGatewayId/);
  });
});

/**
 * `virtualMachineCaptured` on NICs (the VM resource was read, so "not a Flexible scale set
 * instance" is known): new snapshots keep it, snapshots written before the field existed still load,
 * and a value that is not a boolean is refused.
 */
import { describe, expect, it } from 'vitest';
import { parseSnapshotJson } from '../../../electron/snapshot/snapshot';
import type { ResourceId } from '../../../shared/model/ids';
import type { NetworkModel } from '../../../shared/model/topology';
import { writtenSnapshot } from '../../support/snapshot-files';
import { ModelBuilder } from '../../support/model-builder';

const written = (model: NetworkModel): unknown => writtenSnapshot(model, 'vm.json');

function model(captured: unknown): NetworkModel {
  const b = new ModelBuilder();
  const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24');
  b.nic(s, 'nic-vm', '10.0.1.4', { vmId: '/subscriptions/x/resourcegroups/rg/providers/microsoft.compute/virtualmachines/vm1' as ResourceId });
  const built = b.build();
  return captured === undefined ? built : { ...built, networkInterfaces: built.networkInterfaces.map((n) => ({ ...n, virtualMachineCaptured: captured as boolean })) };
}

describe('snapshots and NIC virtualMachineCaptured', () => {
  it('keeps the field; an older snapshot without it loads unchanged', () => {
    expect(parseSnapshotJson(written(model(true)), 'new.snapshot.json').model.networkInterfaces[0]?.virtualMachineCaptured).toBe(true);
    expect(parseSnapshotJson(written(model(undefined)), 'old.snapshot.json').model.networkInterfaces[0]).not.toHaveProperty('virtualMachineCaptured');
  });

  it('refuses a value that is not a boolean', () => {
    expect(() => parseSnapshotJson(written(model('yes')), 'bad.snapshot.json')).toThrow(/virtualMachineCaptured/);
  });
});

describe('snapshots and NIC defaultOutboundConnectivityEnabled', () => {
  // Whether a default outbound IP is allocated to the NIC's VM [DOA]: optional, older snapshots lack it.
  function withFlag(flag: unknown): NetworkModel {
    const built = model(undefined);
    return flag === undefined ? built : { ...built, networkInterfaces: built.networkInterfaces.map((n) => ({ ...n, defaultOutboundConnectivityEnabled: flag as boolean })) };
  }

  it('keeps the field; a snapshot without it loads unchanged; a value that is not a boolean is refused', () => {
    expect(parseSnapshotJson(written(withFlag(true)), 'new.snapshot.json').model.networkInterfaces[0]?.defaultOutboundConnectivityEnabled).toBe(true);
    expect(parseSnapshotJson(written(withFlag(undefined)), 'old.snapshot.json').model.networkInterfaces[0]).not.toHaveProperty('defaultOutboundConnectivityEnabled');
    expect(() => parseSnapshotJson(written(withFlag('yes')), 'bad.snapshot.json')).toThrow(/defaultOutboundConnectivityEnabled/);
  });
});

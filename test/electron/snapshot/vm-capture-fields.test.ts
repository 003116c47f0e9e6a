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

describe('snapshots and NIC availabilitySet', () => {
  // The VM's availability set and the set's VMs in the input: a load balancer's outbound answer
  // depends on them ("All virtual machines within an availability set must be added to the backend
  // pool for outbound connectivity", https://learn.microsoft.com/azure/load-balancer/outbound-rules#limitations).
  const SET = '/subscriptions/x/resourcegroups/rg/providers/microsoft.compute/availabilitysets/avset' as ResourceId;
  const VM = '/subscriptions/x/resourcegroups/rg/providers/microsoft.compute/virtualmachines/vm1' as ResourceId;
  function withSet(value: unknown): NetworkModel {
    const built = model(undefined);
    return value === undefined ? built : { ...built, networkInterfaces: built.networkInterfaces.map((n) => ({ ...n, availabilitySet: value as never })) };
  }

  it('keeps the set and its members; a snapshot without it loads unchanged; a malformed one is refused naming the field', () => {
    expect(parseSnapshotJson(written(withSet({ id: SET, virtualMachineIds: [VM] })), 'new.snapshot.json').model.networkInterfaces[0]?.availabilitySet).toEqual({ id: SET, virtualMachineIds: [VM] });
    expect(parseSnapshotJson(written(withSet(undefined)), 'old.snapshot.json').model.networkInterfaces[0]).not.toHaveProperty('availabilitySet');
    expect(() => parseSnapshotJson(written(withSet({ id: SET })), 'bad.snapshot.json')).toThrow(/availabilitySet\.virtualMachineIds/);
    expect(() => parseSnapshotJson(written(withSet('avset')), 'bad.snapshot.json')).toThrow(/availabilitySet/);
  });
});

describe('snapshots and a NAT gateway\'s IPv6 lists', () => {
  // StandardV2 lists IPv6 addresses and prefixes apart (publicIpAddressesV6 / publicIpPrefixesV6).
  const PIP = '/subscriptions/x/resourcegroups/rg/providers/microsoft.network/publicipaddresses/nat-v6' as ResourceId;
  function withV6(value: unknown): NetworkModel {
    const b = new ModelBuilder();
    const nat = b.natGateway('nat');
    b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24', { natGatewayId: nat });
    const built = b.build();
    return value === undefined ? built : { ...built, natGateways: built.natGateways.map((n) => ({ ...n, publicIpAddressV6Ids: value as never, publicIpPrefixV6Ids: [] })) };
  }

  it('keeps them; a snapshot without them loads unchanged; a list that is not IDs is refused', () => {
    expect(parseSnapshotJson(written(withV6([PIP])), 'new.snapshot.json').model.natGateways[0]).toMatchObject({ publicIpAddressV6Ids: [PIP], publicIpPrefixV6Ids: [] });
    expect(parseSnapshotJson(written(withV6(undefined)), 'old.snapshot.json').model.natGateways[0]).not.toHaveProperty('publicIpAddressV6Ids');
    expect(() => parseSnapshotJson(written(withV6('nat-v6')), 'bad.snapshot.json')).toThrow(/publicIpAddressV6Ids/);
  });
});

describe('snapshots and the newer optional fields of availability sets and NAT gateways', () => {
  const SET = '/subscriptions/x/resourcegroups/rg/providers/microsoft.compute/availabilitysets/avset' as ResourceId;
  const VM = '/subscriptions/x/resourcegroups/rg/providers/microsoft.compute/virtualmachines/vm1' as ResourceId;
  const NIC = '/subscriptions/x/resourcegroups/rg/providers/microsoft.network/networkinterfaces/vm2-nic' as ResourceId;
  const VNET = '/subscriptions/x/resourcegroups/rg/providers/microsoft.network/virtualnetworks/v' as ResourceId;
  const withMissing = (value: unknown): NetworkModel => {
    const built = model(undefined);
    return { ...built, networkInterfaces: built.networkInterfaces.map((n) => ({ ...n, availabilitySet: { id: SET, virtualMachineIds: [VM], missingNetworkInterfaceIds: value as never } })) };
  };
  const withSource = (value: unknown): NetworkModel => {
    const b = new ModelBuilder();
    const nat = b.natGateway('nat');
    b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24', { natGatewayId: nat });
    const built = b.build();
    return { ...built, natGateways: built.natGateways.map((n) => ({ ...n, sourceVirtualNetworkId: value as never })) };
  };

  it('keeps an availability set\'s missingNetworkInterfaceIds (per VM, the NICs the input lacks) and refuses one that is not lists of IDs', () => {
    expect(parseSnapshotJson(written(withMissing([[NIC]])), 'new.snapshot.json').model.networkInterfaces[0]?.availabilitySet?.missingNetworkInterfaceIds).toEqual([[NIC]]);
    expect(() => parseSnapshotJson(written(withMissing([NIC])), 'bad.snapshot.json')).toThrow(/missingNetworkInterfaceIds\[0\]/);
  });

  it('keeps a NAT gateway\'s sourceVirtualNetworkId and refuses one that is not a resource ID', () => {
    expect(parseSnapshotJson(written(withSource(VNET)), 'new.snapshot.json').model.natGateways[0]?.sourceVirtualNetworkId).toBe(VNET);
    expect(() => parseSnapshotJson(written(withSource(42)), 'bad.snapshot.json')).toThrow(/sourceVirtualNetworkId/);
  });
});

/**
 * Which VMs the input carried. A Flexible-orchestration scale set instance never gets default
 * outbound access, and only its VM resource says it is one [DOA]
 * https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access
 * so a NIC is marked `virtualMachineCaptured` when its VM was read with its properties (in any of
 * the shapes tools print, the pull's slim Resource Graph row included), and never when it was not.
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm';
import type { NetworkInterface } from '../../../shared/model/topology';

const RG = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg1/providers';
const S = `${RG}/Microsoft.Network`;
const SUBNET_ID = `${S}/virtualNetworks/vnet1/subnets/app`;
const VM_ID = `${RG}/Microsoft.Compute/virtualMachines/vm1`;
const VMSS_ID = `${RG}/Microsoft.Compute/virtualMachineScaleSets/vmss-flex`;

const vnet = {
  id: `${S}/virtualNetworks/vnet1`, name: 'vnet1', type: 'Microsoft.Network/virtualNetworks', location: 'westeurope',
  properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] }, subnets: [{ id: SUBNET_ID, name: 'app', properties: { addressPrefix: '10.0.1.0/24' } }] },
};

function nic(name: string, vmId: string | null): unknown {
  return {
    id: `${S}/networkInterfaces/${name}`, name, type: 'Microsoft.Network/networkInterfaces', location: 'westeurope',
    properties: {
      ...(vmId === null ? {} : { virtualMachine: { id: vmId } }),
      ipConfigurations: [{ id: `${S}/networkInterfaces/${name}/ipConfigurations/ipconfig1`, name: 'ipconfig1',
        properties: { primary: true, privateIPAddress: '10.0.1.4', privateIPAllocationMethod: 'Dynamic', subnet: { id: SUBNET_ID } } }],
    },
  };
}

/** The NIC `nic1` (of vm1) after normalizing the VNet, the NIC and the given VM objects. */
function nicWith(...vms: readonly unknown[]): NetworkInterface {
  const { model, gaps } = normalizeArm([{ fileName: 'in.json', json: [vnet, nic('nic1', VM_ID), ...vms] }]);
  expect(gaps.filter((g) => g.code === 'skipped-input')).toEqual([]);
  const found = model.networkInterfaces.find((n) => n.name === 'nic1');
  if (found === undefined) throw new Error('nic1 not in the model');
  return found;
}

/** A row of the pull's VM query: `properties = pack('virtualMachineScaleSet', properties.virtualMachineScaleSet, 'networkProfile', …)`. */
function projectedRow(properties: Record<string, unknown>): unknown {
  return { id: VM_ID.toLowerCase(), name: 'vm1', type: 'microsoft.compute/virtualmachines', location: 'westeurope', subscriptionId: '00000000-0000-0000-0000-000000000001', resourceGroup: 'rg1', properties };
}

describe('VM captured: its NIC says the VM was read', () => {
  it('ARM GET (REST) of a VM not in a scale set: captured, not Flexible', () => {
    const vm = { id: VM_ID, name: 'vm1', type: 'Microsoft.Compute/virtualMachines', location: 'westeurope', properties: { hardwareProfile: { vmSize: 'Standard_D2s_v5' }, provisioningState: 'Succeeded' } };
    expect(nicWith(vm)).toMatchObject({ virtualMachineCaptured: true, flexibleScaleSetMember: false });
  });

  it('the pull\'s slim Resource Graph row (only virtualMachineScaleSet, null or left out of the bag): captured, not Flexible', () => {
    expect(nicWith(projectedRow({ virtualMachineScaleSet: null }))).toMatchObject({ virtualMachineCaptured: true, flexibleScaleSetMember: false });
    expect(nicWith(projectedRow({}))).toMatchObject({ virtualMachineCaptured: true, flexibleScaleSetMember: false });
  });

  it('the slim row of a Flexible instance: captured and Flexible', () => {
    expect(nicWith(projectedRow({ virtualMachineScaleSet: { id: VMSS_ID } }))).toMatchObject({ virtualMachineCaptured: true, flexibleScaleSetMember: true });
  });

  it('flattened az (`virtualMachineScaleSet: null`) and PowerShell (`VirtualMachineScaleSet: null`) VMs: captured', () => {
    const az = { id: VM_ID, name: 'vm1', type: 'Microsoft.Compute/virtualMachines', location: 'westeurope', hardwareProfile: { vmSize: 'Standard_D2s_v5' }, virtualMachineScaleSet: null };
    expect(nicWith(az)).toMatchObject({ virtualMachineCaptured: true, flexibleScaleSetMember: false });
    const ps = { Id: VM_ID, Name: 'vm1', Type: 'Microsoft.Compute/virtualMachines', Location: 'westeurope', VirtualMachineScaleSet: null };
    expect(nicWith(ps)).toMatchObject({ virtualMachineCaptured: true, flexibleScaleSetMember: false });
  });
});

describe('VM not captured: nothing is assumed', () => {
  it('a VM listed without its properties (`az resource list`: "properties": null) says nothing either way', () => {
    const listed = { id: VM_ID, name: 'vm1', type: 'Microsoft.Compute/virtualMachines', location: 'westeurope', properties: null, resourceGroup: 'rg1', tags: {} };
    const n = nicWith(listed);
    expect(n.flexibleScaleSetMember).toBe(false);
    expect(n).not.toHaveProperty('virtualMachineCaptured');
  });

  it('another VM in the input does not capture this one; a NIC without a VM and inputs without VMs carry no field', () => {
    const other = { id: `${RG}/Microsoft.Compute/virtualMachines/vm2`, name: 'vm2', type: 'Microsoft.Compute/virtualMachines', properties: {} };
    expect(nicWith(other)).not.toHaveProperty('virtualMachineCaptured');
    expect(nicWith()).not.toHaveProperty('virtualMachineCaptured');
    const { model } = normalizeArm([{ fileName: 'in.json', json: [vnet, nic('nic-pe', null), projectedRow({})] }]);
    expect(model.networkInterfaces[0]).not.toHaveProperty('virtualMachineCaptured');
  });
});

describe('NIC defaultOutboundConnectivityEnabled', () => {
  // [DOA] default-outbound-access.md (01/30/2026): "There's a NIC-level parameter
  // (defaultOutboundConnectivityEnabled) which tracks if default outbound IP is allocated to a VM";
  // existing VMs keep their state until "stopped and deallocated". Read as ARM (camelCase) and
  // PowerShell (PascalCase) print it; absent = not said (no field).
  function nicFlag(properties: Record<string, unknown>): NetworkInterface {
    const base = nic('nic1', VM_ID) as { properties: Record<string, unknown> };
    const { model } = normalizeArm([{ fileName: 'in.json', json: [vnet, { ...base, properties: { ...base.properties, ...properties } }] }]);
    const found = model.networkInterfaces.find((n) => n.name === 'nic1');
    if (found === undefined) throw new Error('nic1 not in the model');
    return found;
  }

  it('keeps true and false in either casing; absent or null carries no field', () => {
    expect(nicFlag({ defaultOutboundConnectivityEnabled: true }).defaultOutboundConnectivityEnabled).toBe(true);
    expect(nicFlag({ defaultOutboundConnectivityEnabled: false }).defaultOutboundConnectivityEnabled).toBe(false);
    expect(nicFlag({ DefaultOutboundConnectivityEnabled: true }).defaultOutboundConnectivityEnabled).toBe(true);
    expect(nicFlag({})).not.toHaveProperty('defaultOutboundConnectivityEnabled');
    expect(nicFlag({ defaultOutboundConnectivityEnabled: null })).not.toHaveProperty('defaultOutboundConnectivityEnabled');
  });
});

describe('a Uniform scale set instance needs no VM document to be known not Flexible', () => {
  // Its VM ID (`…/virtualMachineScaleSets/{s}/virtualMachines/{i}`) says it is a Uniform instance;
  // Flexible instances are plain virtualMachines [DOA]. Its subnet's default outbound answer needs
  // no "VMs not read" gap for it (the pull reads instance NICs, never their VM documents).
  it('a subnet whose only NIC is a Uniform instance\'s: no Flexible-membership gap; a plain VM NIC keeps it', async () => {
    const { resolveEgress } = await import('../../../shared/egress');
    const instance = `${RG}/Microsoft.Compute/virtualMachineScaleSets/vmss-uniform/virtualMachines/0`;
    const vmssGaps = (vmId: string) => {
      const { model, gaps } = normalizeArm([{ fileName: 'in.json', json: [vnet, nic('nic1', vmId)] }]);
      return resolveEgress({ model, effectiveRoutes: [], metrics: [], gaps }).gaps.filter((g) => g.code === 'not-modelled' && g.scope === 'Microsoft.Compute/virtualMachines');
    };
    expect(vmssGaps(instance)).toEqual([]);
    expect(vmssGaps(VM_ID)).toHaveLength(1);
  });
});

/** The fake Resource Graph answers projected queries with the projected columns only. */
import { describe, expect, it } from 'vitest';
import { buildGraphQuery, buildVirtualMachineQuery } from '../../electron/azure/topology';
import { parseGraphProjection, parseGraphQueryTypes } from './index';

const vm = {
  id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1', name: 'vm1', type: 'Microsoft.Compute/virtualMachines',
  location: 'westeurope', subscriptionId: 's', resourceGroup: 'rg', tenantId: 't', tags: { a: 'b' },
  properties: { hardwareProfile: { vmSize: 'Standard_D2s_v5' }, virtualMachineScaleSet: { id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/flex' } },
};

describe('fake Resource Graph projection', () => {
  it('the VM query keeps the envelope, virtualMachineScaleSet, availabilitySet and the NIC references alone (null when the VM has none)', () => {
    const query = buildVirtualMachineQuery();
    expect(parseGraphQueryTypes(query)).toEqual(new Set(['microsoft.compute/virtualmachines']));
    const project = parseGraphProjection(query);
    expect(project?.(vm)).toEqual({
      id: vm.id, name: 'vm1', type: vm.type, location: 'westeurope', subscriptionId: 's', resourceGroup: 'rg',
      properties: { virtualMachineScaleSet: vm.properties.virtualMachineScaleSet, availabilitySet: null, networkProfile: { networkInterfaces: null } },
    });
    const inSet = { id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/availabilitySets/avset' };
    expect(project?.({ ...vm, properties: { ...vm.properties, availabilitySet: inSet } })?.['properties']).toMatchObject({ availabilitySet: inSet });
    expect(project?.({ ...vm, properties: { hardwareProfile: {} } })).toMatchObject({ properties: { virtualMachineScaleSet: null } });
    const nics = [{ id: `${vm.id}-nic1`, properties: { primary: true } }, { id: `${vm.id}-nic2`, properties: { primary: false } }];
    const withNics = project?.({ ...vm, properties: { ...vm.properties, networkProfile: { networkInterfaces: nics, networkApiVersion: '2020-11-01' } } });
    expect(withNics?.['properties']).toEqual({ virtualMachineScaleSet: vm.properties.virtualMachineScaleSet, availabilitySet: null, networkProfile: { networkInterfaces: nics } });
  });

  it('the network query keeps whole properties; a column the row lacks stays absent', () => {
    const row = parseGraphProjection(buildGraphQuery(['microsoft.network/virtualnetworks']))?.({ ...vm, sku: undefined });
    expect(row).toEqual({ id: vm.id, name: 'vm1', type: vm.type, location: 'westeurope', subscriptionId: 's', resourceGroup: 'rg', tags: vm.tags, properties: vm.properties });
  });
});

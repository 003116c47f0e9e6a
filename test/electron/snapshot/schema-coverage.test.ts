/**
 * Every member the normalizer writes into a model is checked when a snapshot is read back
 * (validateSnapshotShape): a field added to the model without a schema would let a hand-edited
 * snapshot carry any value in it. Run over every fixture the project reads (Microsoft's REST
 * examples, az outputs, saved inputs, the demos, a synthetic estate) and a model holding the
 * optional fields the fixtures leave out (availability sets, StandardV2 NAT gateway lists).
 */
import { describe, expect, it } from 'vitest';
import { fieldsWithoutSchema } from '../../../electron/snapshot/validate';
import { buildDemoSnapshot, loadInputs, TOOL_VERSION } from '../../../electron/snapshot/index';
import { normalizeArm } from '../../../shared/arm';
import { DEMO_ESTATES, generateSyntheticEstate } from '../../../shared/demo/index';
import type { ResourceId } from '../../../shared/model/ids';
import type { NetworkModel } from '../../../shared/model/topology';
import { ModelBuilder } from '../../support/model-builder';

describe('snapshot schema coverage', () => {
  it.each(['test/fixtures/arm-examples', 'test/fixtures/inputs', 'test/fixtures/az-outputs', 'test/fixtures/private-link'])('%s: every member has a schema', async (dir) => {
    const { model } = await loadInputs([dir], { toolVersion: TOOL_VERSION });
    expect(fieldsWithoutSchema(model)).toEqual([]);
  });

  it('Microsoft\'s NAT gateway examples exercise the StandardV2 fields (so the check above covers them)', async () => {
    const { model } = await loadInputs(['test/fixtures/arm-examples'], { toolVersion: TOOL_VERSION });
    expect(model.natGateways.some((n) => n.sourceVirtualNetworkId !== undefined)).toBe(true);
    expect(model.natGateways.some((n) => (n.publicIpAddressV6Ids ?? []).length > 0)).toBe(true);
  });

  it('the demos and a synthetic estate: every member has a schema', () => {
    for (const demo of DEMO_ESTATES) expect(fieldsWithoutSchema(buildDemoSnapshot(demo, new Date('2026-12-06T00:00:00Z')).model), demo.name).toEqual([]);
    const synthetic = normalizeArm([{ fileName: 'synthetic.json', json: generateSyntheticEstate({ subscriptions: 2, virtualNetworks: 4, subnets: 40, networkInterfaces: 80, seed: 1 }) }]).model;
    expect(fieldsWithoutSchema(synthetic)).toEqual([]);
  });

  it('optional fields the fixtures leave out have schemas; a member without one is named', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24');
    b.nic(s, 'nic-vm', '10.0.1.4');
    const built = b.build();
    const vm = '/subscriptions/x/resourcegroups/rg/providers/microsoft.compute/virtualmachines/vm1' as ResourceId;
    const model: NetworkModel = {
      ...built,
      networkInterfaces: built.networkInterfaces.map((n) => ({ ...n, availabilitySet: { id: '/subscriptions/x/resourcegroups/rg/providers/microsoft.compute/availabilitysets/a' as ResourceId, virtualMachineIds: [vm], missingNetworkInterfaceIds: [[]] } })),
    };
    expect(fieldsWithoutSchema(model)).toEqual([]);
    const unknownField = { ...model, networkInterfaces: model.networkInterfaces.map((n) => ({ ...n, availabilitySet: { ...n.availabilitySet, zone: '1' } as never, futureField: true } as never)) };
    expect(fieldsWithoutSchema(unknownField)).toEqual(['networkInterfaces[].availabilitySet.zone', 'networkInterfaces[].futureField']);
  });

  it('a resource list no schema knows is named too (an optional list added to the model later type-checks without one)', () => {
    const model = { ...new ModelBuilder().build(), applicationGateways: [{ id: '/subscriptions/x/resourcegroups/rg/providers/microsoft.network/applicationgateways/agw' }] };
    expect(fieldsWithoutSchema(model as unknown as NetworkModel)).toEqual(['applicationGateways']);
  });
});

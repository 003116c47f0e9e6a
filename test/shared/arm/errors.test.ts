/**
 * Malformed input is reported naming the file, the JSON path and what was expected; never a stack
 * trace, never a silently dropped resource. A malformed resource is left out with a `skipped-input`
 * gap carrying that message; a document that holds no resources at all is an InputError.
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm';
import { inputText, problemOf, type Problem } from './helpers';

const NET = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network';

function errorOf(json: unknown, fileName = 'net.json'): Problem {
  return problemOf(json, fileName);
}

describe('malformed ARM input', () => {
  it('names file, path and expectation for a subnet prefix that is not a CIDR (REST shape)', () => {
    const error = errorOf(JSON.parse(inputText('bad-cidr.json')), 'bad-cidr.json');
    expect(error.message).toBe(
      'bad-cidr.json: $.resources[3].properties.subnets[0].properties.addressPrefix: expected a CIDR string like "10.0.1.0/24", found 42',
    );
    expect(error).toMatchObject({ file: 'bad-cidr.json', path: '$.resources[3].properties.subnets[0].properties.addressPrefix' });
  });

  it('gives flattened paths for flattened input', () => {
    const error = errorOf([{ id: `${NET}/virtualNetworks/v`, type: 'Microsoft.Network/virtualNetworks',
      addressSpace: { addressPrefixes: ['10.0.0.0/16'] }, subnets: [{ name: 'a', addressPrefix: '10.0.300.0/24' }] }]);
    expect(error.path).toBe('$[0].subnets[0].addressPrefix');
    expect(error.found).toBe('"10.0.300.0/24"');
  });

  it.each([
    ['an id that is not a string', [{ id: 42, type: 'Microsoft.Network/virtualNetworks' }], '$[0].id', 'an ARM resource ID like'],
    ['an id that is not an ARM ID', { value: [{ id: 'vnet1' }] }, '$.value[0].id', 'an ARM resource ID like'],
    ['routes that are not an array', [{ id: `${NET}/routeTables/rt`, type: 'Microsoft.Network/routeTables', properties: { routes: { r: 1 } } }],
      '$[0].properties.routes', 'an array'],
    ['a route without a next hop type', [{ id: `${NET}/routeTables/rt`, type: 'Microsoft.Network/routeTables',
      properties: { routes: [{ name: 'r', properties: { addressPrefix: '0.0.0.0/0' } }] } }],
    '$[0].properties.routes[0].properties.nextHopType', 'a next hop type string'],
    ['a route prefix that looks like a CIDR but is not', [{ id: `${NET}/routeTables/rt`, type: 'Microsoft.Network/routeTables',
      routes: [{ name: 'r', addressPrefix: '0.0.0.0/33', nextHopType: 'Internet' }] }], '$[0].routes[0].addressPrefix', 'a CIDR string'],
    ['a reference that is not { id }', [{ id: `${NET}/virtualNetworks/v/subnets/s`, type: 'Microsoft.Network/virtualNetworks/subnets',
      properties: { addressPrefix: '10.0.0.0/24', routeTable: 5 } }], '$[0].properties.routeTable', 'a reference like { "id"'],
    ['a boolean that is not one', [{ id: `${NET}/networkInterfaces/n`, type: 'Microsoft.Network/networkInterfaces',
      properties: { enableIPForwarding: 'yes' } }], '$[0].properties.enableIPForwarding', 'true or false'],
    ['a public IP that is not an address', [{ id: `${NET}/publicIPAddresses/p`, type: 'Microsoft.Network/publicIPAddresses',
      properties: { ipAddress: '20.1.2' } }], '$[0].properties.ipAddress', 'an IP address'],
    ['an NSG rule without a priority', [{ id: `${NET}/networkSecurityGroups/n`, type: 'Microsoft.Network/networkSecurityGroups',
      properties: { securityRules: [{ name: 'r', properties: { direction: 'Outbound', access: 'Allow' } }] } }],
    '$[0].properties.securityRules[0].properties.priority', 'a rule priority number'],
    ['an NSG rule with an unknown direction', [{ id: `${NET}/networkSecurityGroups/n`, type: 'Microsoft.Network/networkSecurityGroups',
      securityRules: [{ name: 'r', priority: 100, direction: 'Sideways', access: 'Allow' }] }], '$[0].securityRules[0].direction', '"Inbound" or "Outbound"'],
    ['a resource that is not an object', { resources: ['vnet'] }, '$.resources[0]', 'an ARM resource object'],
    ['resources that are not an array', { resources: {} }, '$.resources', 'an array of ARM resources'],
    ['a document of the wrong kind', 'hello', '$', 'an ARM resource, an array of resources'],
    ['an ARM deployment template', { $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#', resources: [] },
      '$', 'not an ARM deployment template'],
    ['an effective route table given on its own', { value: [{ source: 'Default', state: 'Active', addressPrefix: ['0.0.0.0/0'], nextHopType: 'Internet' }] },
      '$', 'wrap it as { "effectiveRouteTables"'],
    ['an effective route table keyed by something else than a NIC ID', { effectiveRouteTables: { 'my-nic': [] } },
      '$.effectiveRouteTables["my-nic"]', 'a NIC resource ID as the key'],
    ['effective routes that are not a list', { effectiveRouteTables: { [`${NET}/networkInterfaces/n`]: 'none' } },
      `$.effectiveRouteTables["${NET}/networkInterfaces/n"]`, 'an effective route list'],
    ['an effective route without a next hop type', { effectiveRouteTables: { [`${NET}/networkInterfaces/n`]: { value: [{ addressPrefix: ['0.0.0.0/0'] }] } } },
      `$.effectiveRouteTables["${NET}/networkInterfaces/n"].value[0].nextHopType`, 'a next hop type string'],
  ])('%s', (_label, json, path, expected) => {
    const error = errorOf(json);
    expect(error.file).toBe('net.json');
    expect(error.path).toBe(path);
    expect(error.expected).toContain(expected);
    expect(error.message.startsWith(`net.json: ${path}: expected `)).toBe(true);
  });

  it('tolerates missing optional fields (absent → null / [] / defaults)', () => {
    const { model } = normalizeArm([{ fileName: 'min.json', json: [
      { id: `${NET}/virtualNetworks/v/subnets/s`, type: 'Microsoft.Network/virtualNetworks/subnets' },
      { id: `${NET}/networkInterfaces/n`, type: 'Microsoft.Network/networkInterfaces', properties: {} },
    ] }]);
    expect(model.subnets[0]).toMatchObject({ name: 's', addressPrefixes: [], routeTableId: null, defaultOutboundAccess: null, location: null });
    // enableIPForwarding: not in the input is null (not known), never false (an NVA next hop through it is unknown).
    expect(model.networkInterfaces[0]).toMatchObject({ name: 'n', ipConfigurations: [], enableIPForwarding: null, primary: null, virtualMachineId: null });
  });

  // `"properties": null` is how az resource list (ARM's cache) prints every resource: nothing of
  // it was captured, so it is left out with a gap, unless a full copy is in the input too.
  it('a resource with "properties": null is not read as an empty one', () => {
    const bare = { id: `${NET}/networkInterfaces/n`, type: 'Microsoft.Network/networkInterfaces', properties: null };
    const alone = normalizeArm([{ fileName: 'resources.json', json: [bare] }]);
    expect(alone.model.networkInterfaces).toEqual([]);
    expect(alone.gaps).toEqual([expect.objectContaining({ code: 'skipped-input', scope: `${NET}/networkInterfaces/n`.toLowerCase(), message: expect.stringContaining('without its properties') })]);
    const full = { id: `${NET}/networkInterfaces/n`, type: 'Microsoft.Network/networkInterfaces', properties: { enableIPForwarding: true } };
    const both = normalizeArm([{ fileName: 'resources.json', json: [bare] }, { fileName: 'nics.json', json: [full] }]);
    expect(both.model.networkInterfaces[0]).toMatchObject({ enableIPForwarding: true });
    expect(both.gaps).toEqual([]);
  });

  // A child listed on its own without properties would read as an empty one: a rule collection
  // group with no rules leaves its policy "complete" and denying everything. It is malformed, and
  // its parent is left out with it (what references the policy is then unknown, never denied).
  it('a child resource with "properties": null is malformed and takes its parent out', () => {
    const policyId = `${NET}/firewallPolicies/pol`;
    const policy = { id: policyId, type: 'Microsoft.Network/firewallPolicies', location: 'westeurope', properties: { ruleCollectionGroups: [{ id: `${policyId}/ruleCollectionGroups/rcg` }] } };
    const group = { id: `${policyId}/ruleCollectionGroups/rcg`, name: 'rcg', type: 'Microsoft.Network/firewallPolicies/ruleCollectionGroups', properties: null };
    const out = normalizeArm([{ fileName: 'policy.json', json: [policy, group] }]);
    expect(out.model.firewallPolicies).toEqual([]);
    expect(out.gaps.map((g) => [g.code, g.scope])).toEqual(expect.arrayContaining([
      ['skipped-input', `${policyId}/ruleCollectionGroups/rcg`.toLowerCase()],
      ['skipped-input', policyId.toLowerCase()],
    ]));
    expect(out.gaps.find((g) => g.scope === `${policyId}/ruleCollectionGroups/rcg`.toLowerCase())?.message).toMatch(/listed without them/);
  });
});

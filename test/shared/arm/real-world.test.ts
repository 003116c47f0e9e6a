/**
 * Real-world inputs (issue 10): az outputs as the CLI prints them (`az … create` wrappers,
 * SDK casing, children created on their own), malformed resources that must cost only themselves,
 * and documents that hold no resources at all.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { normalizeArm, UNDERSTOOD_TYPES } from '../../../shared/arm';
import type { ArmDocument } from '../../../shared/arm';
import { problemOf } from './helpers';

const AZ_DIR = fileURLToPath(new URL('../../fixtures/az-outputs/', import.meta.url));
const S = '/subscriptions/6b3a1f52-8a61-4c3e-9b2e-2f1d0c7a9e11/resourcegroups/rg-net/providers/microsoft.network';

function az(name: string): ArmDocument {
  return { fileName: name, json: JSON.parse(readFileSync(`${AZ_DIR}${name}`, 'utf8')) as unknown };
}

function normalize(...names: readonly string[]) {
  return normalizeArm(names.map(az));
}

describe('az … create outputs', () => {
  it('unwraps {"newVNet"}, {"NewNSG"}, {"NewNIC"}, {"publicIp"} and reads SDK casing (privateIpAddress, enableIpForwarding)', () => {
    const { model, gaps } = normalize('vnet-create.json', 'nsg-create.json', 'nic-create.json', 'public-ip-create.json');
    expect(gaps).toEqual([]);
    expect(model.virtualNetworks.map((v) => v.name)).toEqual(['vnet-app']);
    expect(model.subnets.map((s) => s.name)).toEqual(['AzureFirewallSubnet', 'snet-app']);
    expect(model.networkSecurityGroups[0]?.securityRules.map((r) => r.name)).toEqual(['AllowVnetOutBound', 'AllowInternetOutBound']);
    expect(model.publicIpAddresses[0]).toMatchObject({ name: 'pip-fw', ipAddress: '20.61.14.203', skuName: 'Standard' });
    const nic = model.networkInterfaces[0];
    expect(nic).toMatchObject({ name: 'nic-nva', enableIPForwarding: true, networkSecurityGroupId: `${S}/networksecuritygroups/nsg-app` });
    expect(nic?.ipConfigurations[0]).toMatchObject({ privateIpAddress: '10.20.1.4', primary: true, subnetId: `${S}/virtualnetworks/vnet-app/subnets/snet-app` });
  });

  it('gives {"loadBalancer": <properties>} (a deployment output without an id) the ID its sub-resources name', () => {
    const { model, gaps } = normalize('lb-create.json');
    expect(gaps).toEqual([]);
    expect(model.loadBalancers.map((lb) => lb.id)).toEqual([`${S}/loadbalancers/lb-out`]);
    expect(model.loadBalancers[0]).toMatchObject({
      name: 'lb-out', resourceGroup: 'rg-net',
      frontendIpConfigurations: [expect.objectContaining({ name: 'LoadBalancerFrontEnd', publicIpAddressId: `${S}/publicipaddresses/pip-lb` })],
    });
  });

  it('attaches children created on their own: firewall ip-config (SDK casing), route, NSG rule', () => {
    const { model, gaps } = normalize('firewall-create.json', 'firewall-ip-config-create.json', 'route-table-create.json', 'route-create.json',
      'nsg-create.json', 'nsg-rule-create.json');
    expect(gaps).toEqual([]);
    expect(model.azureFirewalls[0]?.ipConfigurations).toEqual([{
      id: `${S}/azurefirewalls/fw-app/azurefirewallipconfigurations/fw-ipconfig`, name: 'fw-ipconfig', privateIpAddress: '10.20.0.4',
      subnetId: `${S}/virtualnetworks/vnet-app/subnets/azurefirewallsubnet`, publicIpAddressId: `${S}/publicipaddresses/pip-fw`,
    }]);
    expect(model.routeTables[0]?.routes).toEqual([expect.objectContaining({ name: 'default-to-fw', addressPrefix: '0.0.0.0/0', nextHopIpAddress: '10.20.0.4' })]);
    expect(model.networkSecurityGroups[0]?.securityRules.map((r) => r.name).sort()).toEqual(['AllowInternetOutBound', 'AllowVnetOutBound', 'deny-internet']);
  });

  it('matches field names in any casing, PowerShell\'s `Id` and `PrivateIpAddress` included', () => {
    const { model } = normalizeArm([{ fileName: 'ps.json', json: [{
      Id: `${S}/networkInterfaces/nic-ps`, Name: 'nic-ps', Type: 'Microsoft.Network/networkInterfaces',
      IpConfigurations: [{ Id: `${S}/networkInterfaces/nic-ps/ipConfigurations/ipconfig1`, Name: 'ipconfig1', PrivateIpAddress: '10.20.1.9',
        Subnet: { Id: `${S}/virtualNetworks/vnet-app/subnets/snet-app` }, Primary: true }],
    }] }]);
    expect(model.networkInterfaces[0]?.ipConfigurations[0]).toMatchObject({
      name: 'ipconfig1', privateIpAddress: '10.20.1.9', subnetId: `${S}/virtualnetworks/vnet-app/subnets/snet-app`, primary: true,
    });
  });
});

describe('a malformed resource costs only itself', () => {
  const vnet = (name: string, prefix: string): unknown => ({
    id: `${S}/virtualNetworks/${name}`, type: 'Microsoft.Network/virtualNetworks', addressSpace: { addressPrefixes: ['10.0.0.0/8'] },
    subnets: [{ id: `${S}/virtualNetworks/${name}/subnets/s1`, name: 's1', addressPrefix: prefix }],
  });

  it('drops the bad resource with a gap (file, JSON path, expectation) and reads the rest', () => {
    const { model, gaps } = normalizeArm([{ fileName: 'vnets.json', json: [vnet('good', '10.1.0.0/24'), vnet('bad', '10.2.0.0/33')] }]);
    expect(model.virtualNetworks.map((v) => v.name)).toEqual(['good']);
    // Nothing of the bad VNet stays behind, not even its (valid-looking) subnets.
    expect(model.subnets.map((s) => s.id)).toEqual([`${S}/virtualnetworks/good/subnets/s1`]);
    expect(gaps).toEqual([{
      code: 'skipped-input', scope: `${S}/virtualnetworks/bad`,
      message: 'vnets.json: $[1].subnets[0].addressPrefix: expected a CIDR string like "10.0.1.0/24", found "10.2.0.0/33". This resource was left out; the rest of the input was read.',
    }]);
  });

  it('a VNet that fails after its subnets were read (a bad peering) leaves no subnet behind', () => {
    const json = { ...(vnet('v', '10.1.0.0/24') as object), virtualNetworkPeerings: [{ name: 'p', remoteVirtualNetwork: 7 }] };
    const { model, gaps } = normalizeArm([{ fileName: 'v.json', json }]);
    expect(model.virtualNetworks).toEqual([]);
    expect(model.subnets).toEqual([]);
    expect(gaps.map((g) => g.code)).toEqual(['skipped-input']);
  });

  it('a malformed child listed on its own drops its parent too: a route table missing a route is not read as complete', () => {
    const table = az('route-table-create.json');
    const badRoute = { ...(az('route-create.json').json as object), nextHopType: null, id: `${S}/routeTables/rt-app/routes/broken` };
    const { model, gaps } = normalizeArm([table, az('route-create.json'), { fileName: 'broken-route.json', json: badRoute }]);
    expect(model.routeTables).toEqual([]);
    expect(gaps.map((g) => [g.code, g.scope])).toEqual([
      ['skipped-input', `${S}/routetables/rt-app`],
      ['skipped-input', `${S}/routetables/rt-app/routes/broken`],
    ]);
    expect(gaps[0]?.message).toContain('because its child');
  });

  it('a malformed effective route list leaves out that NIC\'s capture only', () => {
    const nic = `${S}/networkInterfaces/nic-nva`;
    const { effectiveRoutes, gaps } = normalizeArm([{ fileName: 'routes.json', json: { effectiveRouteTables: {
      [nic]: { value: [{ source: 'Default', state: 'Active', addressPrefix: ['0.0.0.0/0'], nextHopType: 'Internet' }] },
      [`${nic}-2`]: { value: [{ addressPrefix: ['0.0.0.0/0'] }] },
    } } }]);
    expect(effectiveRoutes.map((e) => e.networkInterfaceId)).toEqual([nic.toLowerCase()]);
    expect(gaps).toEqual([expect.objectContaining({ code: 'skipped-input', scope: `${nic}-2` })]);
  });
});

describe('documents that hold no Azure resources', () => {
  it('az account show: an InputError named explicitly, a skipped file (with a gap) when found in a directory', () => {
    const thrown = problemOf(az('account-show.json').json, 'account-show.json');
    expect(thrown).toMatchObject({ how: 'thrown', path: '$' });
    expect(thrown.message).toContain('az account show');
    const skipped = normalizeArm([{ ...az('account-show.json'), skippable: true }, az('route-table-create.json')]);
    expect(skipped.model.routeTables).toHaveLength(1);
    expect(skipped.gaps).toEqual([expect.objectContaining({ code: 'skipped-input', scope: 'account-show.json' })]);
    expect(skipped.gaps[0]?.message).toMatch(/The file was skipped\.$/);
  });

  it('a list of which no item is a resource (az account list, a --query projection) is one problem, not one per item', () => {
    const problem = problemOf([{ id: '6b3a1f52-8a61-4c3e-9b2e-2f1d0c7a9e11', name: 'sub' }, { id: 'x' }], 'accounts.json');
    expect(problem).toMatchObject({ how: 'thrown', path: '$[0].id' });
    expect(problem.expected).toContain('none of the 2 items has one');
  });

  it('[] and a VM are read (no error here); the loader reports that nothing was found', () => {
    expect(normalizeArm([{ fileName: 'empty.json', json: [] }]).model.virtualNetworks).toEqual([]);
    expect(normalizeArm([az('vm-show.json')]).gaps).toEqual([]);
  });

  it('lists the understood top-level types', () => {
    expect(UNDERSTOOD_TYPES).toContain('virtualNetworks');
    expect(UNDERSTOOD_TYPES).toContain('azureFirewalls');
    expect(UNDERSTOOD_TYPES).not.toContain('virtualNetworks/subnets');
  });
});

/**
 * Inputs as Azure tools really print them: `az resource list` (no properties), `az vm show` (a
 * resource with its children in "resources"), one page of a paged list, PowerShell's list-valued
 * AddressPrefix. Each is read as what it is, never as an empty or complete resource.
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm';
import type { ArmDocument } from '../../../shared/arm';
import { resolveEgress } from '../../../shared/egress';
import { exampleBody } from './helpers';

const SUB = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg1/providers';
const S = `${SUB}/Microsoft.Network`;
const SUBNET_ID = `${S}/virtualNetworks/vnet1/subnets/app`;

/** REST / `az network vnet list` shape: one VNet, one subnet with the given subnet properties. */
function vnet(subnetProps: Record<string, unknown> = {}): unknown {
  return {
    id: `${S}/virtualNetworks/vnet1`, name: 'vnet1', type: 'Microsoft.Network/virtualNetworks', location: 'westeurope',
    properties: {
      addressSpace: { addressPrefixes: ['10.0.0.0/16'] },
      subnets: [{ id: SUBNET_ID, name: 'app', properties: { addressPrefix: '10.0.1.0/24', ...subnetProps } }],
    },
  };
}

/**
 * One item of `az resource list -o json` (ARM Resources_List): ARM serves it from its own cache,
 * which holds no `properties`, so az prints `"properties": null` for every resource.
 * Source: Azure/azure-cli#3457 (az resource list output with "properties": null) and
 * Azure/azure-sdk-for-python#3766 ("ARM does NOT store 'Properties' field in its cache … 'list by RG'
 * … no properties field for resources in the response").
 */
function azResourceListItem(collection: string, name: string): unknown {
  return {
    changedTime: '2026-01-10T09:12:01.000000+00:00', createdTime: '2025-11-02T14:40:17.000000+00:00', extendedLocation: null,
    id: `${S}/${collection}/${name}`, identity: null, kind: null, location: 'westeurope', managedBy: null, name, plan: null,
    properties: null, provisioningState: 'Succeeded', resourceGroup: 'rg1', sku: null, tags: {}, type: `Microsoft.Network/${collection}`,
  };
}

function resolveDocs(docs: readonly ArmDocument[]) {
  const normalized = normalizeArm(docs);
  const result = resolveEgress({ model: normalized.model, effectiveRoutes: normalized.effectiveRoutes, metrics: [], gaps: normalized.gaps }, {});
  return { normalized, result };
}

function subnetPath(docs: readonly ArmDocument[]) {
  const { normalized, result } = resolveDocs(docs);
  const path = result.paths.find((p) => p.source.id === SUBNET_ID.toLowerCase());
  if (path === undefined) throw new Error(`no path for the subnet; have ${result.paths.map((p) => p.source.id).join(', ')}`);
  return { path, gaps: normalized.gaps, model: normalized.model };
}

describe('az resource list: "properties": null is not an empty resource', () => {
  it('a route table from `az resource list` (properties null) does not read as a table with no routes', () => {
    const rtRef = { routeTable: { id: `${S}/routeTables/rt-fw` } };
    // Control: the route table absent altogether gives `unknown` (what is known: a table exists, its routes are not).
    expect(subnetPath([{ fileName: 'vnets.json', json: [vnet(rtRef)] }]).path.verdict).toBe('unknown');
    const { path, gaps } = subnetPath([
      { fileName: 'vnets.json', json: [vnet(rtRef)] },
      { fileName: 'resources.json', json: [azResourceListItem('routeTables', 'rt-fw')] },
    ]);
    // The real table may hold 0.0.0.0/0 → firewall or None; nothing in the input says it is empty.
    expect(path.verdict).toBe('unknown');
    expect(gaps.some((g) => g.scope.toLowerCase() === `${S}/routeTables/rt-fw`.toLowerCase())).toBe(true);
  });

  it('an NSG from `az resource list` (properties null) is not read as an NSG with only the default rules', () => {
    const nsgRef = { networkSecurityGroup: { id: `${S}/networkSecurityGroups/nsg-app` } };
    const { path, gaps } = subnetPath([
      { fileName: 'vnets.json', json: [vnet(nsgRef)] },
      { fileName: 'resources.json', json: [azResourceListItem('networkSecurityGroups', 'nsg-app')] },
    ]);
    // Its custom rules (a DenyInternetOutbound, say) were never captured: "internet" is not known.
    expect(path.verdict).not.toBe('internet');
    expect(gaps.some((g) => g.scope.toLowerCase() === `${S}/networkSecurityGroups/nsg-app`.toLowerCase())).toBe(true);
  });
});

describe('a single resource that carries a top-level "resources" array (az vm show)', () => {
  it('reads the VM of `az vm show` (VirtualMachines_Get carries its extensions in "resources"), so its NIC is a Flexible scale set member', () => {
    // VirtualMachines_Get returns `resources: [ <extension> ]` next to `properties`:
    // Azure/azure-rest-api-specs specification/compute/.../stable/2024-07-01/examples/virtualMachineExamples/VirtualMachine_Get.json
    // `az vm show -o json` prints the same (flattened). A Flexible-orchestration member never gets
    // default outbound access [DOA] https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access
    const vmId = `${SUB}/Microsoft.Compute/virtualMachines/vm1`;
    const nic = {
      id: `${S}/networkInterfaces/nic1`, name: 'nic1', type: 'Microsoft.Network/networkInterfaces', location: 'westeurope',
      properties: {
        virtualMachine: { id: vmId },
        ipConfigurations: [{ id: `${S}/networkInterfaces/nic1/ipConfigurations/ipconfig1`, name: 'ipconfig1',
          properties: { primary: true, privateIPAddress: '10.0.1.4', privateIPAllocationMethod: 'Dynamic', subnet: { id: SUBNET_ID } } }],
      },
    };
    const vmShow = {
      id: vmId, name: 'vm1', type: 'Microsoft.Compute/virtualMachines', location: 'westeurope', resourceGroup: 'rg1',
      hardwareProfile: { vmSize: 'Standard_D2s_v5' },
      networkProfile: { networkInterfaces: [{ id: `${S}/networkInterfaces/nic1`, primary: true }] },
      virtualMachineScaleSet: { id: `${SUB}/Microsoft.Compute/virtualMachineScaleSets/vmss-flex` },
      provisioningState: 'Succeeded',
      resources: [{
        id: `${vmId}/extensions/AzureMonitorLinuxAgent`, name: 'AzureMonitorLinuxAgent', type: 'Microsoft.Compute/virtualMachines/extensions',
        location: 'westeurope', publisher: 'Microsoft.Azure.Monitor', typeHandlerVersion: '1.0', autoUpgradeMinorVersion: true, provisioningState: 'Succeeded',
      }],
    };
    const { normalized, result } = resolveDocs([
      { fileName: 'net.json', json: [vnet(), nic] },
      { fileName: 'vm1.json', json: vmShow },
    ]);
    expect(normalized.model.networkInterfaces[0]?.flexibleScaleSetMember).toBe(true);
    const nicPath = result.paths.find((p) => p.source.id === `${S}/networkInterfaces/nic1`.toLowerCase());
    expect(nicPath?.verdict).toBe('no-outbound');
  });
});

describe('one page of a paged list is not the whole estate', () => {
  it('`az graph query` output with a skip_token (more rows exist) is flagged as incomplete', () => {
    // azure-cli resource-graph `execute_arg_query` returns {data, count, total_records, skip_token};
    // Resource Graph returns 100 rows by default ("By default, Resource Graph limits any query to
    // returning only 100 records", MicrosoftDocs/azure-docs articles/governance/resource-graph/concepts/work-with-data.md).
    const { gaps } = normalizeArm([{ fileName: 'graph.json', json: {
      count: 1, data: [vnet()], skip_token: 'ew0KICAiJGlkIjogIjEiLA0KICAiTWF4Um93cyI6IDEwMA0KfQ==', total_records: 742,
    } }]);
    expect(gaps.some((g) => /skip_?token|total_records|truncat|incomplete|more (rows|results|resources)|page/i.test(g.message))).toBe(true);
  });

  it('an ARM list response with a nextLink (`az rest` GET of one page) is flagged as incomplete', () => {
    // ARM list responses page with `nextLink` (arm-api.md §3.2; VirtualNetworks_ListAll); `az rest`
    // prints the single page it fetched.
    const { gaps } = normalizeArm([{ fileName: 'vnets-page1.json', json: {
      value: [vnet()],
      nextLink: 'https://management.azure.com/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.Network/virtualNetworks?api-version=2024-05-01&$skiptoken=eyJuZXh0TWFya2VyIjoiMSJ9',
    } }]);
    expect(gaps.some((g) => /nextLink|truncat|incomplete|more (rows|results|resources)|page/i.test(g.message))).toBe(true);
  });
});

describe('PowerShell (the reader claims PowerShell casing support)', () => {
  it('reads `Get-AzVirtualNetwork | ConvertTo-Json -Depth 10`, where a subnet AddressPrefix is a list', () => {
    // PSSubnet: `public List<string> AddressPrefix { get; set; }` (Azure/azure-powershell
    // src/Network/Network/Models/PSSubnet.cs), so ConvertTo-Json prints an array.
    const { model, gaps } = normalizeArm([{ fileName: 'vnet-ps.json', json: {
      Id: `${S}/virtualNetworks/vnet1`, Name: 'vnet1', Type: 'Microsoft.Network/virtualNetworks', Location: 'westeurope', ResourceGroupName: 'rg1',
      AddressSpace: { AddressPrefixes: ['10.0.0.0/16'] },
      Subnets: [{ Id: SUBNET_ID, Name: 'app', Etag: 'W/"1"', AddressPrefix: ['10.0.1.0/24'], IpConfigurations: [], NetworkSecurityGroup: null,
        RouteTable: null, NatGateway: null, ServiceEndpoints: [], Delegations: [], PrivateEndpointNetworkPolicies: 'Disabled', DefaultOutboundAccess: false }],
      VirtualNetworkPeerings: [],
    } }]);
    expect(gaps.filter((g) => g.code === 'skipped-input')).toEqual([]);
    expect(model.subnets.map((s) => s.addressPrefixes)).toEqual([['10.0.1.0/24']]);
  });
});

describe('a NAT gateway on the virtual network (defaultPublicNatGateway, API 2025+)', () => {
  // VirtualNetworks_Get (Microsoft's example, API 2026-01-01) names a defaultPublicNatGateway; its
  // subnet has no NAT gateway of its own. Whether the VNet's NAT gateway carries that subnet is not
  // documented in our sources: the subnet is unknown, never "default outbound".
  it('a subnet without its own NAT gateway in a VNet with one is unknown, naming the NAT gateway', () => {
    const normalized = normalizeArm([{ fileName: 'VirtualNetworkGet.json', json: exampleBody('VirtualNetworkGet') }]);
    expect(normalized.model.virtualNetworks[0]?.defaultPublicNatGatewayId).toBe('/subscriptions/subid/resourcegroups/rg1/providers/microsoft.network/natgateways/test-ngw');
    const result = resolveEgress({ model: normalized.model, effectiveRoutes: normalized.effectiveRoutes, metrics: [], gaps: normalized.gaps }, {});
    const path = result.paths.find((p) => p.source.name === 'subnet1');
    expect(path?.verdict).toBe('unknown');
    expect(JSON.stringify(path)).toContain('NAT gateway test-ngw, associated with the whole virtual network');
  });

  it('without it the same subnet keeps default outbound access', () => {
    const body = structuredClone(exampleBody('VirtualNetworkGet')) as { properties: Record<string, unknown> };
    delete body.properties.defaultPublicNatGateway;
    const normalized = normalizeArm([{ fileName: 'VirtualNetworkGet.json', json: body }]);
    const result = resolveEgress({ model: normalized.model, effectiveRoutes: normalized.effectiveRoutes, metrics: [], gaps: normalized.gaps }, {});
    expect(result.paths.find((p) => p.source.name === 'subnet1')?.exit).toBe('default-outbound');
  });
});

describe('a subnet associated with a service gateway (serviceGateway, API 2025-05-01)', () => {
  // A service gateway's outbound services name a NAT gateway or load balancer pools
  // (serviceGateway.json in Microsoft's REST specs); how the association changes the subnet's
  // internet traffic is not documented in our sources: unknown, naming it, never "default outbound".
  const SERVICE_GATEWAY = `${S}/serviceGateways/sgw1`;

  it('REST shape: the subnet is unknown, and the missing fact names the service gateway', () => {
    const { result } = resolveDocs([{ fileName: 'vnets.json', json: [vnet({ serviceGateway: { id: SERVICE_GATEWAY } })] }]);
    const path = result.paths.find((p) => p.source.id === SUBNET_ID.toLowerCase());
    expect(path?.verdict).toBe('unknown');
    expect(path?.exit).toBeNull();
    expect(JSON.stringify(path)).toContain('how service gateway sgw1, associated with subnet app, changes its outbound traffic');
    expect(result.gaps.some((g) => g.message.includes('service gateway sgw1'))).toBe(true);
  });

  it('az shape (flattened, as `az network vnet subnet show` prints it) is read the same way', () => {
    const subnet = {
      id: SUBNET_ID, name: 'app', addressPrefix: '10.0.1.0/24', serviceGateway: { id: SERVICE_GATEWAY, resourceGroup: 'rg1' },
      resourceGroup: 'rg1', type: 'Microsoft.Network/virtualNetworks/subnets',
    };
    expect(normalizeArm([{ fileName: 'subnet.json', json: subnet }]).model.subnets[0]?.serviceGatewayId).toBe(SERVICE_GATEWAY.toLowerCase());
  });

  it('the subnet\'s own NAT gateway does not decide it either', () => {
    // The NAT gateway and its public IP as `az network nat gateway show` / `az network public-ip show` print them.
    const natGateway = {
      id: `${S}/natGateways/ng1`, name: 'ng1', type: 'Microsoft.Network/natGateways', location: 'westeurope', resourceGroup: 'rg1',
      sku: { name: 'Standard' }, publicIpAddresses: [{ id: `${S}/publicIPAddresses/pip-ng1`, resourceGroup: 'rg1' }], idleTimeoutInMinutes: 4,
    };
    const pip = {
      id: `${S}/publicIPAddresses/pip-ng1`, name: 'pip-ng1', type: 'Microsoft.Network/publicIPAddresses', location: 'westeurope', resourceGroup: 'rg1',
      sku: { name: 'Standard', tier: 'Regional' }, ipAddress: '20.1.2.3', publicIPAddressVersion: 'IPv4', publicIPAllocationMethod: 'Static',
    };
    const nat = { natGateway: { id: natGateway.id } };
    const withGateway = subnetPath([{ fileName: 'net.json', json: [vnet({ ...nat, serviceGateway: { id: SERVICE_GATEWAY } }), natGateway, pip] }]);
    expect(withGateway.path.verdict).toBe('unknown');
    // Control: the same subnet without the service gateway leaves through its NAT gateway.
    const without = subnetPath([{ fileName: 'net.json', json: [vnet(nat), natGateway, pip] }]);
    expect(without.path).toMatchObject({ verdict: 'internet', exit: 'nat-gateway', egressIps: ['20.1.2.3'] });
  });

  it('without it the same subnet keeps default outbound access, and carries no serviceGatewayId', () => {
    const { path } = subnetPath([{ fileName: 'vnets.json', json: [vnet({ serviceGateway: null })] }]);
    expect(path.exit).toBe('default-outbound');
    expect(normalizeArm([{ fileName: 'vnets.json', json: [vnet()] }]).model.subnets[0]).not.toHaveProperty('serviceGatewayId');
  });
});

describe('Get-AzResource -ExpandProperties | ConvertTo-Json: the envelope spelled "Properties"', () => {
  // PowerShell prints the REST envelope with its own casing. Read as a flattened object, a route
  // table would have no routes and a VNet no subnets: a confident wrong verdict from full data.
  const psResource = (collection: string, name: string, properties: Record<string, unknown>): unknown => ({
    Name: name, ResourceGroupName: 'rg1', Type: `Microsoft.Network/${collection}`, ResourceType: `Microsoft.Network/${collection}`,
    Location: 'westeurope', ResourceId: `${S}/${collection}/${name}`, Id: `${S}/${collection}/${name}`, Properties: properties,
  });

  it('reads a route table\'s routes and a VNet\'s subnets from under "Properties"', () => {
    const { model, gaps } = normalizeArm([{ fileName: 'ps.json', json: [
      psResource('virtualNetworks', 'vnet1', {
        addressSpace: { addressPrefixes: ['10.0.0.0/16'] },
        subnets: [{ id: SUBNET_ID, name: 'app', properties: { addressPrefix: '10.0.1.0/24', routeTable: { id: `${S}/routeTables/rt-none` } } }],
      }),
      psResource('routeTables', 'rt-none', { routes: [{ name: 'blackhole', properties: { addressPrefix: '0.0.0.0/0', nextHopType: 'None' } }] }),
    ] }]);
    expect(gaps.filter((g) => g.code === 'skipped-input' || g.code === 'missing-reference')).toEqual([]);
    expect(model.subnets.map((s) => s.addressPrefixes)).toEqual([['10.0.1.0/24']]);
    expect(model.routeTables.flatMap((t) => t.routes.map((r) => [r.addressPrefix, r.nextHopType]))).toEqual([['0.0.0.0/0', 'None']]);
    const result = resolveEgress({ model, effectiveRoutes: [], metrics: [], gaps }, {});
    expect(result.paths.find((p) => p.source.id === SUBNET_ID.toLowerCase())?.verdict).toBe('dropped');
  });

  it('names the envelope as the input spells it when a field under it is malformed', () => {
    const { gaps } = normalizeArm([{ fileName: 'ps.json', json: [
      psResource('routeTables', 'rt-bad', { routes: 'not-a-list' }),
    ] }]);
    const messages = gaps.map((g) => g.message).join('\n');
    expect(messages).toContain('ps.json');
    expect(messages).toContain('Properties.routes');
  });
});

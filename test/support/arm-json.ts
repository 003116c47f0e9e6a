/**
 * ARM resources as ARM GET, `az rest` and Resource Graph return them (REST `properties` shape, child
 * resources inline, back-references as Azure prints them), for tests that run real input shapes
 * through normalizeArm: one subscription, resource group rg-app, West Europe.
 */
export type Json = Record<string, unknown>;

export const SUB = '/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-app/providers';
export const NET = `${SUB}/Microsoft.Network`;
export const COMPUTE = `${SUB}/Microsoft.Compute`;

export const subnetId = (vnet: string, subnet: string): string => `${NET}/virtualNetworks/${vnet}/subnets/${subnet}`;
export const pipId = (name: string): string => `${NET}/publicIPAddresses/${name}`;
export const nicId = (name: string): string => `${NET}/networkInterfaces/${name}`;
export const ipConfigId = (nic: string, config = 'ipconfig1'): string => `${nicId(nic)}/ipConfigurations/${config}`;
export const poolId = (lb: string, pool: string): string => `${NET}/loadBalancers/${lb}/backendAddressPools/${pool}`;
export const frontendId = (lb: string, fe: string): string => `${NET}/loadBalancers/${lb}/frontendIPConfigurations/${fe}`;
export const vmId = (name: string): string => `${COMPUTE}/virtualMachines/${name}`;
export const availabilitySetId = (name: string): string => `${COMPUTE}/availabilitySets/${name}`;

export function vnetJson(name: string, prefix: string, subnets: readonly { name: string; prefix: string; props?: Json }[]): Json {
  const id = `${NET}/virtualNetworks/${name}`;
  return {
    id, name, type: 'Microsoft.Network/virtualNetworks', location: 'westeurope',
    properties: {
      provisioningState: 'Succeeded', addressSpace: { addressPrefixes: [prefix] }, virtualNetworkPeerings: [],
      subnets: subnets.map((s) => ({
        id: `${id}/subnets/${s.name}`, name: s.name, type: 'Microsoft.Network/virtualNetworks/subnets',
        properties: { provisioningState: 'Succeeded', addressPrefix: s.prefix, ...(s.props ?? {}) },
      })),
    },
  };
}

export function pipJson(name: string, ip: string | null, opts: { sku?: string; version?: 'IPv4' | 'IPv6'; props?: Json } = {}): Json {
  return {
    id: pipId(name), name, type: 'Microsoft.Network/publicIPAddresses', location: 'westeurope',
    sku: { name: opts.sku ?? 'Standard', tier: 'Regional' },
    properties: { provisioningState: 'Succeeded', ...(ip === null ? {} : { ipAddress: ip }), publicIPAddressVersion: opts.version ?? 'IPv4', publicIPAllocationMethod: 'Static', idleTimeoutInMinutes: 4, ...(opts.props ?? {}) },
  };
}

export interface ConfigSpec { readonly ip: string; readonly subnet: string; readonly pip?: string; readonly pools?: readonly string[] }

export const natGatewayId = (name: string): string => `${NET}/natGateways/${name}`;

/** A NAT gateway as ARM GET returns it (REST `properties` shape); `props` adds or replaces properties (publicIpAddresses, subnets, …). */
export function natGatewayJson(name: string, sku: 'Standard' | 'StandardV2', props: Json): Json {
  return {
    id: natGatewayId(name), name, type: 'Microsoft.Network/natGateways', location: 'westeurope', sku: { name: sku },
    properties: { provisioningState: 'Succeeded', idleTimeoutInMinutes: 4, ...props },
  };
}

export function nicJson(name: string, configs: readonly ConfigSpec[], vm?: string): Json {
  const id = nicId(name);
  return {
    id, name, type: 'Microsoft.Network/networkInterfaces', location: 'westeurope',
    properties: {
      provisioningState: 'Succeeded', enableIPForwarding: false, primary: true,
      ...(vm ? { virtualMachine: { id: vmId(vm) } } : {}),
      ipConfigurations: configs.map((c, i) => ({
        id: `${id}/ipConfigurations/ipconfig${i + 1}`, name: `ipconfig${i + 1}`, type: 'Microsoft.Network/networkInterfaces/ipConfigurations',
        properties: {
          provisioningState: 'Succeeded', privateIPAddress: c.ip, privateIPAllocationMethod: 'Dynamic', privateIPAddressVersion: 'IPv4', primary: i === 0,
          subnet: { id: c.subnet },
          ...(c.pip ? { publicIPAddress: { id: pipId(c.pip) } } : {}),
          ...(c.pools ? { loadBalancerBackendAddressPools: c.pools.map((p) => ({ id: p })) } : {}),
        },
      })),
    },
  };
}

/** A VM document (ARM GET shape) naming its NIC and, when given, its availability set. */
export function vmJson(name: string, nic: string, availabilitySet?: string): Json {
  return {
    id: vmId(name), name, type: 'Microsoft.Compute/virtualMachines', location: 'westeurope',
    properties: {
      ...(availabilitySet ? { availabilitySet: { id: availabilitySetId(availabilitySet) } } : {}),
      networkProfile: { networkInterfaces: [{ id: nicId(nic), properties: { primary: true } }] },
    },
  };
}

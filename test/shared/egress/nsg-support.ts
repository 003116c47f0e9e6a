/**
 * NSGs and NICs as Azure returns them (REST `properties` shape, as from ARM / `az rest` / Resource
 * Graph), run through the real normalizer; `asAz` turns them into what `az ... -o json` prints.
 * Default rules are included the way ARM lists them under `defaultSecurityRules`.
 * https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#default-security-rules
 */
import { normalizeArm } from '../../../shared/arm';
import type { SourceAddress, TrafficSpec } from '../../../shared/egress/destination';
import { parseCidr, parseIp, type Cidr, type IpAddress } from '../../../shared/model/ip';
import type { NetworkModel, NetworkSecurityGroup } from '../../../shared/model/topology';
import { asAzOutput } from '../arm/helpers';

export const RG = '/subscriptions/33333333-3333-3333-3333-333333333333/resourceGroups/RG-App/providers/Microsoft.Network';

export type JsonObject = Record<string, unknown>;

export interface RuleJson {
  readonly name: string;
  readonly priority: number;
  readonly direction: 'Inbound' | 'Outbound';
  readonly access: 'Allow' | 'Deny';
  readonly protocol?: string;
  readonly sourceAddressPrefix?: string;
  readonly destinationAddressPrefix?: string;
  readonly destinationAddressPrefixes?: readonly string[];
  readonly destinationPortRange?: string;
  readonly sourceApplicationSecurityGroups?: readonly { readonly id: string }[];
  readonly destinationApplicationSecurityGroups?: readonly { readonly id: string }[];
}

function ruleJson(nsgId: string, kind: 'securityRules' | 'defaultSecurityRules', r: RuleJson): JsonObject {
  const { name, ...props } = r;
  return {
    name, id: `${nsgId}/${kind}/${name}`, etag: 'W/"00000000-0000-0000-0000-000000000000"',
    type: `Microsoft.Network/networkSecurityGroups/${kind}`,
    properties: {
      provisioningState: 'Succeeded', protocol: '*', sourcePortRange: '*', destinationPortRange: '*',
      sourceAddressPrefixes: [], destinationAddressPrefixes: [], sourcePortRanges: [], destinationPortRanges: [],
      ...(r.sourceApplicationSecurityGroups ? {} : { sourceAddressPrefix: '*' }),
      ...(r.destinationApplicationSecurityGroups || r.destinationAddressPrefixes ? {} : { destinationAddressPrefix: '*' }),
      ...props,
    },
  };
}

const AZURE_DEFAULTS: readonly RuleJson[] = [
  { name: 'AllowVnetInBound', priority: 65000, direction: 'Inbound', access: 'Allow', sourceAddressPrefix: 'VirtualNetwork', destinationAddressPrefix: 'VirtualNetwork' },
  { name: 'AllowAzureLoadBalancerInBound', priority: 65001, direction: 'Inbound', access: 'Allow', sourceAddressPrefix: 'AzureLoadBalancer', destinationAddressPrefix: '*' },
  { name: 'DenyAllInBound', priority: 65500, direction: 'Inbound', access: 'Deny', sourceAddressPrefix: '*', destinationAddressPrefix: '*' },
  { name: 'AllowVnetOutBound', priority: 65000, direction: 'Outbound', access: 'Allow', sourceAddressPrefix: 'VirtualNetwork', destinationAddressPrefix: 'VirtualNetwork' },
  { name: 'AllowInternetOutBound', priority: 65001, direction: 'Outbound', access: 'Allow', sourceAddressPrefix: '*', destinationAddressPrefix: 'Internet' },
  { name: 'DenyAllOutBound', priority: 65500, direction: 'Outbound', access: 'Deny', sourceAddressPrefix: '*', destinationAddressPrefix: '*' },
];

/** `GET .../networkSecurityGroups/{name}` as ARM returns it (REST shape). */
export function nsgJson(name: string, rules: readonly RuleJson[], opts: { readonly subnetIds?: readonly string[] } = {}): JsonObject {
  const id = `${RG}/networkSecurityGroups/${name}`;
  return {
    name, id, type: 'Microsoft.Network/networkSecurityGroups', location: 'westeurope',
    properties: {
      provisioningState: 'Succeeded', resourceGuid: '00000000-0000-0000-0000-000000000001',
      securityRules: rules.map((r) => ruleJson(id, 'securityRules', r)),
      defaultSecurityRules: AZURE_DEFAULTS.map((r) => ruleJson(id, 'defaultSecurityRules', r)),
      ...(opts.subnetIds ? { subnets: opts.subnetIds.map((s) => ({ id: s })) } : {}),
    },
  };
}

/** `GET .../networkInterfaces/{name}` (REST shape) with one IP configuration. */
export function nicJson(name: string, subnetId: string, privateIp: string, asgIds: readonly string[] = [], nsgId?: string): JsonObject {
  const id = `${RG}/networkInterfaces/${name}`;
  return {
    name, id, type: 'Microsoft.Network/networkInterfaces', location: 'westeurope',
    properties: {
      provisioningState: 'Succeeded', enableIPForwarding: false,
      ...(nsgId ? { networkSecurityGroup: { id: nsgId } } : {}),
      ipConfigurations: [{
        name: 'ipconfig1', id: `${id}/ipConfigurations/ipconfig1`, type: 'Microsoft.Network/networkInterfaces/ipConfigurations',
        properties: {
          provisioningState: 'Succeeded', privateIPAddress: privateIp, privateIPAllocationMethod: 'Dynamic', privateIPAddressVersion: 'IPv4', primary: true,
          subnet: { id: subnetId },
          ...(asgIds.length > 0 ? { applicationSecurityGroups: asgIds.map((a) => ({ id: a })) } : {}),
        },
      }],
    },
  };
}

export type Shape = 'rest' | 'az';
export const SHAPES: readonly Shape[] = ['rest', 'az'];

/** Runs resources through the real normalizer, in the REST shape or as az prints them. */
export function normalize(resources: readonly JsonObject[], shape: Shape): NetworkModel {
  const json = shape === 'rest' ? resources : resources.map((r) => asAzOutput(r));
  return normalizeArm([{ fileName: `nsg-${shape}.json`, json }]).model;
}

export function onlyNsg(model: NetworkModel, name: string): NetworkSecurityGroup {
  const nsg = model.networkSecurityGroups.find((n) => n.name === name);
  if (!nsg) throw new Error(`NSG ${name} not in the model`);
  return nsg;
}

export const INTERNET: TrafficSpec = { destination: { kind: 'default-route' }, port: 443, protocol: 'Tcp' };

export function to(ip: string, port = 443, protocol: 'Tcp' | 'Udp' = 'Tcp'): TrafficSpec {
  return { destination: { kind: 'address', ip: parseIp(ip) as IpAddress, text: ip }, port, protocol };
}

export function from(cidr: string, asgIds?: SourceAddress['applicationSecurityGroupIds']): SourceAddress {
  return { cidrs: [parseCidr(cidr) as Cidr], ...(asgIds ? { applicationSecurityGroupIds: asgIds } : {}) };
}

/**
 * Describes graph nodes from the network model: labels, sublabels and compound parents. The model
 * may lack a resource the result refers to (out of scope, unreadable): then the node is still drawn,
 * named after the last segment of its resource ID.
 */
import type { EgressPath } from '../egress/types';
import { nameFromResourceId, parentResourceId, parseResourceId, toResourceId } from '../model/ids';
import type {
  AzureFirewall, LoadBalancer, NatGateway, NetworkInterface, NetworkModel, PublicIpAddress,
  PublicIpPrefix, Subnet, VirtualHub, VirtualNetwork, VirtualNetworkGateway,
} from '../model/topology';
import type {
  ApplianceNode, DroppedNode, DroppedReason, ExitNode, NicNode, PublicIpNode, SinkNode,
  SubnetNode, VnetNode,
} from './types';
import type { Verdict } from '../egress/types';

export const INTERNET_ID = 'internet';
export const ON_PREMISES_ID = 'on-premises';
export const PRIVATE_ID = 'private';
export const UNKNOWN_SINK_ID = 'unknown';
export const DEFAULT_OUTBOUND_ID = 'default-outbound';
export const PUBLIC_IP_PREFIX = 'public-ip:';

/** Lookups over the model, built once per graph. */
export interface ModelLookup {
  readonly virtualNetworks: ReadonlyMap<string, VirtualNetwork>;
  readonly subnets: ReadonlyMap<string, Subnet>;
  readonly networkInterfaces: ReadonlyMap<string, NetworkInterface>;
  readonly azureFirewalls: ReadonlyMap<string, AzureFirewall>;
  readonly loadBalancers: ReadonlyMap<string, LoadBalancer>;
  readonly natGateways: ReadonlyMap<string, NatGateway>;
  readonly virtualNetworkGateways: ReadonlyMap<string, VirtualNetworkGateway>;
  readonly virtualHubs: ReadonlyMap<string, VirtualHub>;
  readonly publicIpsById: ReadonlyMap<string, PublicIpAddress>;
  readonly publicIpsByAddress: ReadonlyMap<string, PublicIpAddress>;
  readonly prefixesById: ReadonlyMap<string, PublicIpPrefix>;
  readonly prefixesByText: ReadonlyMap<string, PublicIpPrefix>;
}

function byId<T extends { readonly id: string }>(items: readonly T[]): ReadonlyMap<string, T> {
  return new Map(items.map((item) => [item.id, item]));
}

export function buildModelLookup(model: NetworkModel): ModelLookup {
  const publicIpsByAddress = new Map<string, PublicIpAddress>();
  for (const pip of model.publicIpAddresses) if (pip.ipAddress !== null) publicIpsByAddress.set(pip.ipAddress, pip);
  const prefixesByText = new Map<string, PublicIpPrefix>();
  for (const prefix of model.publicIpPrefixes) if (prefix.ipPrefix !== null) prefixesByText.set(prefix.ipPrefix, prefix);
  return {
    virtualNetworks: byId(model.virtualNetworks),
    subnets: byId(model.subnets),
    networkInterfaces: byId(model.networkInterfaces),
    azureFirewalls: byId(model.azureFirewalls),
    loadBalancers: byId(model.loadBalancers),
    natGateways: byId(model.natGateways),
    virtualNetworkGateways: byId(model.virtualNetworkGateways),
    virtualHubs: byId(model.virtualHubs),
    publicIpsById: byId(model.publicIpAddresses),
    publicIpsByAddress,
    prefixesById: byId(model.publicIpPrefixes),
    prefixesByText,
  };
}


export { topLevelResourceId } from '../model/ids';

function isResourceId(text: string): boolean {
  return text.toLowerCase().startsWith('/subscriptions/');
}

function vnetOfSubnetId(subnetId: string | null): string | null {
  if (subnetId === null) return null;
  return parseResourceId(subnetId)?.type === 'microsoft.network/virtualnetworks/subnets'
    ? parentResourceId(toResourceId(subnetId))
    : null;
}

function primaryIpConfiguration(nic: NetworkInterface): NetworkInterface['ipConfigurations'][number] | undefined {
  return nic.ipConfigurations.find((c) => c.primary) ?? nic.ipConfigurations[0];
}

export function nicSubnetId(lookup: ModelLookup, nicId: string): string | null {
  const nic = lookup.networkInterfaces.get(nicId);
  return nic === undefined ? null : (primaryIpConfiguration(nic)?.subnetId ?? null);
}

export function emptyVerdictCounts(): Record<Verdict, number> {
  return { internet: 0, private: 0, 'on-premises': 0, dropped: 0, denied: 0, 'no-outbound': 0, unknown: 0 };
}

export function vnetNode(lookup: ModelLookup, vnetId: string): VnetNode {
  const vnet = lookup.virtualNetworks.get(vnetId);
  return {
    kind: 'vnet', id: vnetId, label: vnet?.name ?? nameFromResourceId(vnetId),
    sublabel: vnet?.addressPrefixes.join(', ') ?? '', parent: null, resourceId: vnetId,
    compound: true, subnetCount: 0, nicCount: 0, verdictCounts: emptyVerdictCounts(),
  };
}

export function subnetNode(lookup: ModelLookup, path: EgressPath | null, subnetId: string, name: string, nicExceptionCount: number): SubnetNode {
  const subnet = lookup.subnets.get(subnetId);
  return {
    kind: 'subnet', id: subnetId, label: subnet?.name ?? name, sublabel: subnet?.addressPrefixes.join(', ') ?? '',
    parent: subnet?.virtualNetworkId ?? vnetOfSubnetId(subnetId), resourceId: subnetId,
    verdict: path?.verdict ?? null, exit: path?.exit ?? null, inspected: (path?.via.length ?? 0) > 0,
    pathCount: (path === null ? 0 : 1) + nicExceptionCount, nicExceptionCount,
  };
}

export function nicNode(lookup: ModelLookup, path: EgressPath): NicNode {
  const nic = lookup.networkInterfaces.get(path.source.id);
  const ipConfiguration = nic === undefined ? undefined : primaryIpConfiguration(nic);
  const subnetId = ipConfiguration?.subnetId ?? null;
  return {
    kind: 'nic', id: path.source.id, label: nic?.name ?? path.source.name,
    sublabel: ipConfiguration?.privateIpAddress ?? '', parent: vnetOfSubnetId(subnetId),
    resourceId: path.source.id, verdict: path.verdict, exit: path.exit, inspected: path.via.length > 0, subnetId,
  };
}


function firewallPrivateIp(firewall: AzureFirewall): string {
  return firewall.ipConfigurations.find((c) => c.privateIpAddress !== null)?.privateIpAddress
    ?? firewall.hubPrivateIpAddress ?? '';
}

export function applianceNode(lookup: ModelLookup, kind: ApplianceNode['kind'], id: string): ApplianceNode {
  switch (kind) {
    case 'azure-firewall': {
      const firewall = lookup.azureFirewalls.get(id);
      if (firewall === undefined) return { kind, id, label: nameFromResourceId(id), sublabel: 'Azure Firewall', parent: null, resourceId: id };
      const subnetId = firewall.ipConfigurations.find((c) => c.subnetId !== null)?.subnetId ?? null;
      return { kind, id, label: firewall.name, sublabel: firewallPrivateIp(firewall), parent: vnetOfSubnetId(subnetId), resourceId: id };
    }
    case 'nva': {
      if (!isResourceId(id)) return { kind, id, label: id, sublabel: 'virtual appliance', parent: null, resourceId: null };
      const nic = lookup.networkInterfaces.get(id);
      const ipConfiguration = nic === undefined ? undefined : primaryIpConfiguration(nic);
      return {
        kind, id, label: nic?.name ?? nameFromResourceId(id), sublabel: ipConfiguration?.privateIpAddress ?? 'virtual appliance',
        parent: vnetOfSubnetId(ipConfiguration?.subnetId ?? null), resourceId: id,
      };
    }
    case 'internal-load-balancer': {
      const lb = lookup.loadBalancers.get(id);
      const frontend = lb?.frontendIpConfigurations.find((f) => f.privateIpAddress !== null);
      return {
        kind, id, label: lb?.name ?? nameFromResourceId(id), sublabel: frontend?.privateIpAddress ?? 'internal load balancer',
        parent: vnetOfSubnetId(frontend?.subnetId ?? null), resourceId: id,
      };
    }
    case 'virtual-network-gateway': {
      const gateway = lookup.virtualNetworkGateways.get(id);
      return {
        kind, id, label: gateway?.name ?? nameFromResourceId(id),
        sublabel: gateway === undefined ? 'gateway' : `${gateway.gatewayType} gateway`,
        parent: gateway?.virtualNetworkId ?? null, resourceId: id,
      };
    }
    case 'virtual-hub': {
      const hub = lookup.virtualHubs.get(id);
      return { kind, id, label: hub?.name ?? nameFromResourceId(id), sublabel: hub?.addressPrefix ?? 'Virtual WAN hub', parent: null, resourceId: id };
    }
  }
}

export function exitNode(lookup: ModelLookup, kind: ExitNode['kind'], id: string): ExitNode {
  switch (kind) {
    case 'nat-gateway': {
      const natGateway = lookup.natGateways.get(id);
      const known = isResourceId(id);
      return {
        kind, id, label: natGateway?.name ?? (known ? nameFromResourceId(id) : 'NAT gateway'), sublabel: 'NAT gateway',
        parent: null, resourceId: known ? id : null,
      };
    }
    case 'load-balancer': {
      const lb = lookup.loadBalancers.get(id);
      const known = isResourceId(id);
      return {
        kind, id, label: lb?.name ?? (known ? nameFromResourceId(id) : 'Load balancer'),
        sublabel: lb === undefined ? 'outbound rules' : `${lb.skuName} load balancer`, parent: null, resourceId: known ? id : null,
      };
    }
    case 'default-outbound':
      return { kind, id, label: 'Default outbound', sublabel: 'Azure-owned IP, no SLA', parent: null, resourceId: null };
  }
}

/** An egress IP text (address, prefix or resource ID) → its node; the resource ID is the node ID when the model knows it. */
export function publicIpNode(lookup: ModelLookup, text: string): PublicIpNode {
  if (isResourceId(text)) {
    const id = toResourceId(text);
    const pip = lookup.publicIpsById.get(id);
    if (pip !== undefined) return { kind: 'public-ip', id, label: pip.ipAddress ?? pip.name, sublabel: pip.name, parent: null, resourceId: id, address: pip.ipAddress };
    const prefix = lookup.prefixesById.get(id);
    if (prefix !== undefined) return { kind: 'public-ip', id, label: prefix.ipPrefix ?? prefix.name, sublabel: prefix.name, parent: null, resourceId: id, address: prefix.ipPrefix };
    return { kind: 'public-ip', id, label: nameFromResourceId(id), sublabel: 'public IP', parent: null, resourceId: id, address: null };
  }
  const pip = lookup.publicIpsByAddress.get(text);
  if (pip !== undefined) return { kind: 'public-ip', id: pip.id, label: text, sublabel: pip.name, parent: null, resourceId: pip.id, address: text };
  const prefix = lookup.prefixesByText.get(text);
  if (prefix !== undefined) return { kind: 'public-ip', id: prefix.id, label: text, sublabel: prefix.name, parent: null, resourceId: prefix.id, address: text };
  return { kind: 'public-ip', id: `${PUBLIC_IP_PREFIX}${text}`, label: text, sublabel: text.includes('/') ? 'public IP prefix' : 'public IP', parent: null, resourceId: null, address: text };
}

const droppedLabels: Readonly<Record<DroppedReason, string>> = {
  dropped: 'Dropped', denied: 'Denied', 'no-outbound': 'No outbound',
};

const droppedSublabels: Readonly<Record<DroppedReason, string>> = {
  // Not only routes: Azure also drops multicast and broadcast, unresolvable names, forwarded traffic a peering refuses.
  dropped: 'nothing delivers it', denied: 'NSG or firewall deny', 'no-outbound': 'no outbound method',
};

export function sinkNode(verdict: Verdict): SinkNode | DroppedNode {
  switch (verdict) {
    case 'internet': return { kind: 'internet', id: INTERNET_ID, label: 'Internet', sublabel: '', parent: null, resourceId: null };
    case 'on-premises': return { kind: 'on-premises', id: ON_PREMISES_ID, label: 'On-premises', sublabel: '', parent: null, resourceId: null };
    case 'private': return { kind: 'private', id: PRIVATE_ID, label: 'Private', sublabel: 'never internet', parent: null, resourceId: null };
    case 'unknown': return { kind: 'unknown', id: UNKNOWN_SINK_ID, label: 'Unknown', sublabel: 'not enough data', parent: null, resourceId: null };
    case 'dropped':
    case 'denied':
    case 'no-outbound':
      return { kind: 'dropped', id: verdict, reason: verdict, label: droppedLabels[verdict], sublabel: droppedSublabels[verdict], parent: null, resourceId: null };
  }
}


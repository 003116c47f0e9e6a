/**
 * The private IPs of private endpoints and the endpoint behind a private IP. An endpoint's IPs are
 * on its platform-managed NIC; inputs without that NIC still carry them in the endpoint's own
 * `ipConfigurations` (static IPs), `customDnsConfigs` and DNS zone group record sets [PE]
 * https://learn.microsoft.com/azure/private-link/private-endpoint-overview
 */
import type { ResourceId } from '../model/ids';
import { formatIp, parseIp } from '../model/ip';
import type { ModelIndex } from '../model/model-index';
import type { PrivateEndpoint, PrivateLinkServiceConnection } from '../model/topology';

/** Where an endpoint's address was read, most authoritative first. */
export type PrivateEndpointAddressSource = 'nic' | 'ip-configuration' | 'custom-dns-config' | 'dns-zone-group';

export interface PrivateEndpointAddress {
  readonly address: string;
  readonly source: PrivateEndpointAddressSource;
  readonly networkInterfaceId: ResourceId | null;
  /** The sub-resource served on this address (`blob`, `sqlServer`) when the input says. */
  readonly groupId: string | null;
}

export interface PrivateEndpointMatch {
  readonly privateEndpoint: PrivateEndpoint;
  readonly address: string;
  readonly source: PrivateEndpointAddressSource;
  readonly networkInterfaceId: ResourceId | null;
  /** The connection serving the address: the one for its group, else the first approved, else the first. */
  readonly connection: PrivateLinkServiceConnection | null;
  /** `privateLinkServiceId` of that connection: the storage account, SQL server, private link service... */
  readonly target: ResourceId | null;
  readonly groupIds: readonly string[];
}

/** Canonical text of an IP (IPv6 spellings compare equal), or null for anything else. */
function canonicalIp(text: string): string | null {
  const ip = parseIp(text.trim());
  return ip ? formatIp(ip) : null;
}

/** Every distinct address of the endpoint, each from its most authoritative source. */
export function privateEndpointAddresses(index: ModelIndex, endpoint: PrivateEndpoint): readonly PrivateEndpointAddress[] {
  const found = new Map<string, PrivateEndpointAddress>();
  const add = (text: string | null, source: PrivateEndpointAddressSource, networkInterfaceId: ResourceId | null, groupId: string | null): void => {
    const address = text === null ? null : canonicalIp(text);
    if (address === null || found.has(address)) return;
    found.set(address, { address, source, networkInterfaceId, groupId });
  };
  const nics = [...(index.privateEndpointNics.get(endpoint.id) ?? [])];
  // NICs the endpoint lists but that do not name it back (hand-made bundles): looked up by ID, only then.
  for (const nicId of endpoint.networkInterfaceIds) {
    if (nics.some((n) => n.id === nicId)) continue;
    const nic = index.networkInterfaces.get(nicId);
    if (nic) nics.push(nic);
  }
  for (const nic of nics) {
    for (const config of nic.ipConfigurations) add(config.privateIpAddress, 'nic', nic.id, null);
  }
  for (const config of endpoint.ipConfigurations) add(config.privateIpAddress, 'ip-configuration', null, config.groupId);
  for (const dns of endpoint.customDnsConfigs) for (const ip of dns.ipAddresses) add(ip, 'custom-dns-config', null, null);
  for (const group of endpoint.privateDnsZoneGroups) {
    for (const config of group.privateDnsZoneConfigs) for (const set of config.recordSets) for (const ip of set.ipAddresses) add(ip, 'dns-zone-group', null, null);
  }
  return [...found.values()];
}

function connectionFor(endpoint: PrivateEndpoint, groupId: string | null): PrivateLinkServiceConnection | null {
  const group = groupId?.toLowerCase();
  return (group === undefined ? undefined : endpoint.connections.find((c) => c.groupIds.some((g) => g.toLowerCase() === group)))
    ?? endpoint.connections.find((c) => c.status === 'Approved')
    ?? endpoint.connections[0]
    ?? null;
}

/** Address → matches, built once per index (endpoints are few; addresses repeat across VNets). */
const BY_ADDRESS = new WeakMap<ModelIndex, ReadonlyMap<string, readonly PrivateEndpointMatch[]>>();

function addressMap(index: ModelIndex): ReadonlyMap<string, readonly PrivateEndpointMatch[]> {
  const cached = BY_ADDRESS.get(index);
  if (cached) return cached;
  const map = new Map<string, PrivateEndpointMatch[]>();
  for (const endpoint of index.privateEndpoints.values()) {
    for (const entry of privateEndpointAddresses(index, endpoint)) {
      const connection = connectionFor(endpoint, entry.groupId);
      const match: PrivateEndpointMatch = {
        privateEndpoint: endpoint, address: entry.address, source: entry.source, networkInterfaceId: entry.networkInterfaceId,
        connection, target: connection?.privateLinkServiceId ?? null, groupIds: connection?.groupIds ?? [],
      };
      const list = map.get(entry.address);
      if (list) list.push(match);
      else map.set(entry.address, [match]);
    }
  }
  for (const list of map.values()) list.sort((a, b) => (a.privateEndpoint.id < b.privateEndpoint.id ? -1 : a.privateEndpoint.id > b.privateEndpoint.id ? 1 : 0));
  BY_ADDRESS.set(index, map);
  return map;
}

/** The VNet an endpoint sits in (from its subnet; null when unknown). */
export function privateEndpointVirtualNetworkId(index: ModelIndex, endpoint: PrivateEndpoint): ResourceId | null {
  for (const [vnetId, endpoints] of index.privateEndpointsByVirtualNetwork) if (endpoints.includes(endpoint)) return vnetId;
  return null;
}

/**
 * The private endpoint that owns a private IP. Private IPs repeat across VNets, so pass the
 * client's VNet when known: then only endpoints in that VNet or in a VNet it peers with count
 * (an endpoint's /32 route reaches exactly those [PENP]). Without it, the first match by endpoint ID.
 * Null when no endpoint in the snapshot has the address.
 */
export function privateEndpointForAddress(index: ModelIndex, ip: string, virtualNetworkId?: ResourceId): PrivateEndpointMatch | null {
  const address = canonicalIp(ip);
  if (address === null) return null;
  const matches = addressMap(index).get(address) ?? [];
  if (virtualNetworkId === undefined) return matches[0] ?? null;
  const reachable = new Set<ResourceId>([virtualNetworkId]);
  for (const { peering } of index.peerings.get(virtualNetworkId) ?? []) if (peering.remoteVirtualNetworkId) reachable.add(peering.remoteVirtualNetworkId);
  return matches.find((m) => {
    const vnetId = privateEndpointVirtualNetworkId(index, m.privateEndpoint);
    return vnetId !== null && reachable.has(vnetId);
  }) ?? null;
}

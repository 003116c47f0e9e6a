/**
 * Private endpoints, their private DNS zone groups, private DNS zones, VNet links and record sets:
 * ARM JSON (REST or az-flattened) → drafts. Every one of them may arrive embedded in its parent or
 * listed apart (`az network private-dns record-set a list`, `az network private-dns link vnet list`,
 * Resource Graph rows, `PrivateDnsZoneGroups_Get`); children listed apart are attached once every
 * parent is merged (see draft-store.ts).
 *
 * Property names are matched case-insensitively here: REST and az print `privateIPAddress`,
 * `aRecords`, `cnameRecord`, while PowerShell and some exporters print `PrivateIpAddress`,
 * `ARecords`, `CNAMERecord` (the public Azure DNS spelling) — the same field either way.
 * [PE] https://learn.microsoft.com/azure/private-link/private-endpoint-overview
 * [PEDNS] https://learn.microsoft.com/azure/private-link/private-endpoint-dns
 */
import { parsePrivateDnsResolutionPolicy, parsePrivateLinkConnectionStatus } from '../model/arm-values';
import { nameFromResourceId, parentResourceId, toResourceId, type ResourceId } from '../model/ids';
import type {
  PrivateDnsRecordSet, PrivateDnsZoneConfig, PrivateDnsZoneGroup, PrivateDnsZoneGroupRecordSet, PrivateDnsZoneLink,
  PrivateEndpointDnsConfig, PrivateEndpointIpConfiguration, PrivateLinkServiceConnection,
} from '../model/topology';
import { upsert, type DraftStore } from './draft-store';
import type { BaseFields } from './map-network';
import {
  canonicalId, childId, field, isIpText, isResourceIdText, mapNodes, optArray, optBool, optNumber, optObject, optRef, optRefs, optString, optStrings, type JsonNode,
} from './reader';

/** The key as the input spells it (`properties` first, then the top level), matched case-insensitively. */
function ci(node: JsonNode, key: string): string {
  if (node.props?.[key] !== undefined || node.raw[key] !== undefined) return key;
  const wanted = key.toLowerCase();
  for (const source of [node.props, node.raw]) {
    if (source === null) continue;
    for (const candidate of Object.keys(source)) {
      if (candidate.toLowerCase() === wanted && source[candidate] !== null && source[candidate] !== undefined) return candidate;
    }
  }
  return key;
}

/** `childId` with `Id` / `Name` accepted too; anything malformed goes to `childId` for its error. */
function subResourceId(node: JsonNode, parentId: ResourceId, segment: string): { id: ResourceId; name: string } {
  const idKey = Object.keys(node.raw).find((k) => k.toLowerCase() === 'id');
  const rawId = idKey === undefined ? undefined : node.raw[idKey];
  const name = optString(node, ci(node, 'name'));
  if (typeof rawId === 'string' && isResourceIdText(rawId)) return { id: canonicalId(rawId), name: name ?? nameFromResourceId(rawId) };
  if ((rawId === undefined || rawId === null) && name !== undefined && name !== '') return { id: canonicalId(`${parentId}/${segment}/${name}`), name };
  return childId(node, parentId, segment);
}

/** DNS names compare case-insensitively and ARM writes record FQDNs with the root dot: `a.b.` → `a.b`. */
export function normalizeDnsName(name: string): string {
  return name.trim().toLowerCase().replace(/\.+$/, '');
}

/** IP strings as written (trimmed); anything that is not an IP is dropped (a DNS config may carry junk). */
function ipList(node: JsonNode, key: string): readonly string[] {
  return (optStrings(node, ci(node, key)) ?? []).map((ip) => ip.trim()).filter(isIpText);
}

// ---------------------------------------------------------------------------------------------
// Private endpoints

function mapConnection(node: JsonNode, arg: { readonly endpointId: ResourceId; readonly manual: boolean }): PrivateLinkServiceConnection {
  const segment = arg.manual ? 'manualPrivateLinkServiceConnections' : 'privateLinkServiceConnections';
  const { id, name } = subResourceId(node, arg.endpointId, segment);
  const state = optObject(node, ci(node, 'privateLinkServiceConnectionState'));
  return {
    id,
    name,
    privateLinkServiceId: optRef(node, ci(node, 'privateLinkServiceId')) ?? null,
    groupIds: optStrings(node, ci(node, 'groupIds')) ?? [],
    status: parsePrivateLinkConnectionStatus(state === undefined ? undefined : optString(state, ci(state, 'status'))),
    manual: arg.manual,
  };
}

function mapDnsConfig(node: JsonNode): PrivateEndpointDnsConfig {
  return { fqdn: normalizeDnsName(optString(node, ci(node, 'fqdn')) ?? ''), ipAddresses: ipList(node, 'ipAddresses') };
}

function mapEndpointIpConfiguration(node: JsonNode): PrivateEndpointIpConfiguration {
  const ip = optString(node, ci(node, 'privateIPAddress'))?.trim();
  return {
    name: optString(node, ci(node, 'name')) ?? '',
    groupId: optString(node, ci(node, 'groupId')) ?? null,
    memberName: optString(node, ci(node, 'memberName')) ?? null,
    privateIpAddress: ip !== undefined && isIpText(ip) ? ip : null,
  };
}

function mapZoneGroupRecordSet(node: JsonNode): PrivateDnsZoneGroupRecordSet {
  const fqdn = optString(node, ci(node, 'fqdn'));
  return {
    recordType: optString(node, ci(node, 'recordType')) ?? 'A',
    recordSetName: optString(node, ci(node, 'recordSetName')) ?? '',
    fqdn: fqdn === undefined ? null : normalizeDnsName(fqdn),
    ipAddresses: ipList(node, 'ipAddresses'),
  };
}

function mapZoneConfig(node: JsonNode): PrivateDnsZoneConfig {
  const zoneId = optRef(node, ci(node, 'privateDnsZoneId')) ?? null;
  return {
    // Microsoft's own example omits the config name; the zone's name is what the portal shows.
    name: optString(node, ci(node, 'name')) ?? (zoneId === null ? '' : nameFromResourceId(zoneId)),
    privateDnsZoneId: zoneId,
    recordSets: mapNodes(node, ci(node, 'recordSets'), mapZoneGroupRecordSet, null) ?? [],
  };
}

function mapZoneGroup(node: JsonNode, endpointId: ResourceId): PrivateDnsZoneGroup {
  const { id, name } = subResourceId(node, endpointId, 'privateDnsZoneGroups');
  return { id, name, privateDnsZoneConfigs: mapNodes(node, ci(node, 'privateDnsZoneConfigs'), mapZoneConfig, null) ?? [] };
}

function concatDefined<T>(a: readonly T[] | undefined, b: readonly T[] | undefined): readonly T[] | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  return [...a, ...b];
}

export function mapPrivateEndpoint(store: DraftStore, node: JsonNode, base: BaseFields): void {
  const auto = mapNodes(node, ci(node, 'privateLinkServiceConnections'), mapConnection, { endpointId: base.id, manual: false });
  const manual = mapNodes(node, ci(node, 'manualPrivateLinkServiceConnections'), mapConnection, { endpointId: base.id, manual: true });
  store.put('privateEndpoint', {
    id: base.id, name: base.name, subscriptionId: base.subscriptionId, resourceGroup: base.resourceGroup, location: base.location, tags: base.tags,
    kind: 'privateEndpoint',
    subnetId: optRef(node, ci(node, 'subnet')),
    networkInterfaceIds: optRefs(node, ci(node, 'networkInterfaces')),
    connections: concatDefined(auto, manual),
    customDnsConfigs: mapNodes(node, ci(node, 'customDnsConfigs'), mapDnsConfig, null)?.filter((c) => c.fqdn !== ''),
    ipConfigurations: mapNodes(node, ci(node, 'ipConfigurations'), mapEndpointIpConfiguration, null),
    // Not part of the REST GET of an endpoint, but bundles and exporters may embed the groups.
    privateDnsZoneGroups: mapNodes(node, ci(node, 'privateDnsZoneGroups'), mapZoneGroup, base.id),
  });
}

/** `privateEndpoints/privateDnsZoneGroups` listed apart (`PrivateDnsZoneGroups_Get` / `_List`). */
export function standalonePrivateDnsZoneGroup(store: DraftStore, node: JsonNode, id: ResourceId, type: string): void {
  const parentId = parentResourceId(id);
  const group = mapZoneGroup(node, parentId);
  store.child({
    id, type, parentId, writes: { kind: 'privateEndpoint', field: 'privateDnsZoneGroups', items: [group] },
    attach: (s) => s.update('privateEndpoint', parentId, (pe) => ({ ...pe, privateDnsZoneGroups: upsert(pe.privateDnsZoneGroups, group, (g) => g.id) })),
  });
}

// ---------------------------------------------------------------------------------------------
// Private DNS zones, VNet links, record sets

function mapLink(node: JsonNode, zoneId: ResourceId): PrivateDnsZoneLink {
  const { id, name } = subResourceId(node, zoneId, 'virtualNetworkLinks');
  const policy = optString(node, ci(node, 'resolutionPolicy'));
  return {
    id,
    name,
    virtualNetworkId: optRef(node, ci(node, 'virtualNetwork')) ?? null,
    registrationEnabled: optBool(node, ci(node, 'registrationEnabled')) ?? false,
    // The property is returned from API 2024-06-01 on [PDNSFALLBACK]: an export made with an older
    // API version omits it even for a link set to NxDomainRedirect, so its absence says nothing.
    resolutionPolicy: policy === undefined ? 'Unknown' : parsePrivateDnsResolutionPolicy(policy),
    linkState: optString(node, ci(node, 'virtualNetworkLinkState')) ?? null,
  };
}

/** Record types that decide where a name resolves; the others (SOA, MX, TXT, ...) only show the zone's records were read. */
type RecordKind = 'a' | 'cname' | 'other';

/** The record type from `type` (`Microsoft.Network/privateDnsZones/A`), the ID (`.../A/name`), or the record fields present. */
function recordKind(node: JsonNode): RecordKind {
  const type = field(node.raw, 'type');
  const rawId = field(node.raw, 'id');
  const fromType = typeof type === 'string' && type.includes('/') ? type.slice(type.lastIndexOf('/') + 1)
    : typeof rawId === 'string' ? rawId.split('/').filter((p) => p !== '').slice(-2)[0] : undefined;
  const lower = fromType?.trim().toLowerCase();
  if (lower === 'a') return 'a';
  if (lower === 'cname') return 'cname';
  if (lower !== undefined && lower !== '' && lower !== 'privatednszones') return 'other';
  if ((optArray(node, ci(node, 'aRecords')) ?? []).length > 0) return 'a';
  if (optObject(node, ci(node, 'cnameRecord')) !== undefined) return 'cname';
  return 'other';
}

function ipv4Of(node: JsonNode): string | undefined {
  const ip = optString(node, ci(node, 'ipv4Address'))?.trim();
  return ip !== undefined && isIpText(ip) ? ip : undefined;
}

function mapRecordSet(node: JsonNode, zoneId: ResourceId, kind: 'a' | 'cname'): PrivateDnsRecordSet {
  const segment = kind === 'a' ? 'A' : 'CNAME';
  const { id, name } = subResourceId(node, zoneId, segment);
  const zoneName = normalizeDnsName(nameFromResourceId(zoneId));
  const given = optString(node, ci(node, 'fqdn'));
  const relative = normalizeDnsName(name);
  const fqdn = given !== undefined && given.trim() !== '' ? normalizeDnsName(given) : relative === '@' || relative === '' ? zoneName : `${relative}.${zoneName}`;
  if (kind === 'a') {
    const ips = (mapNodes(node, ci(node, 'aRecords'), ipv4Of, null) ?? []).filter((ip): ip is string => ip !== undefined);
    return { id, name, fqdn, recordType: 'A', ipv4Addresses: ips };
  }
  const record = optObject(node, ci(node, 'cnameRecord'));
  const cname = record === undefined ? undefined : optString(record, ci(record, 'cname'));
  return { id, name, fqdn, recordType: 'CNAME', cname: cname === undefined || cname.trim() === '' ? null : normalizeDnsName(cname) };
}

function mapEmbeddedRecordSet(node: JsonNode, zoneId: ResourceId): PrivateDnsRecordSet | null {
  const kind = recordKind(node);
  return kind === 'other' ? null : mapRecordSet(node, zoneId, kind);
}

/** The ID of an embedded record set of a type not modelled (SOA, TXT...), to count what was read. */
function otherRecordSetId(node: JsonNode, _zoneId: ResourceId): ResourceId | null {
  if (recordKind(node) !== 'other') return null;
  const rawId = field(node.raw, 'id');
  return typeof rawId === 'string' && rawId.trim() !== '' ? toResourceId(rawId) : null;
}

export function mapPrivateDnsZone(store: DraftStore, node: JsonNode, base: BaseFields): void {
  const records = mapNodes(node, ci(node, 'recordSets'), mapEmbeddedRecordSet, base.id);
  const others = (mapNodes(node, ci(node, 'recordSets'), otherRecordSetId, base.id) ?? []).filter((r): r is ResourceId => r !== null);
  store.put('privateDnsZone', {
    id: base.id, name: base.name, subscriptionId: base.subscriptionId, resourceGroup: base.resourceGroup, location: base.location, tags: base.tags,
    kind: 'privateDnsZone',
    virtualNetworkLinks: mapNodes(node, ci(node, 'virtualNetworkLinks'), mapLink, base.id),
    recordSets: records?.filter((r): r is PrivateDnsRecordSet => r !== null),
    numberOfRecordSets: optNumber(node, ci(node, 'numberOfRecordSets')),
    // Left unset when absent, so a sparse copy of the zone never erases records another copy carried.
    recordSetsCaptured: records === undefined ? undefined : true,
    ...(others.length > 0 ? { otherRecordSetIds: others } : {}),
  });
}

/** `privateDnsZones/virtualNetworkLinks` listed apart (`az network private-dns link vnet list`, Resource Graph). */
export function standalonePrivateDnsZoneLink(store: DraftStore, node: JsonNode, id: ResourceId, type: string): void {
  const parentId = parentResourceId(id);
  const link = mapLink(node, parentId);
  store.child({
    id, type, parentId, writes: { kind: 'privateDnsZone', field: 'virtualNetworkLinks', items: [link] },
    attach: (s) => s.update('privateDnsZone', parentId, (zone) => ({ ...zone, virtualNetworkLinks: upsert(zone.virtualNetworkLinks, link, (l) => l.id) })),
  });
}

/**
 * `privateDnsZones/{A,CNAME,...}` listed apart (`az network private-dns record-set a list`,
 * `RecordSets_List`). A and CNAME records are modelled; any record set (SOA included) shows that
 * the zone's records were read, so a name missing from them is a real NXDOMAIN.
 */
export function standalonePrivateDnsRecordSet(store: DraftStore, node: JsonNode, id: ResourceId, type: string): void {
  const parentId = parentResourceId(id);
  const kind = recordKind(node);
  const record = kind === 'other' ? null : mapRecordSet(node, parentId, kind);
  store.child({
    id, type, parentId, writes: { kind: 'privateDnsZone', field: 'recordSets', items: record === null ? [] : [record] },
    attach: (s) => s.update('privateDnsZone', parentId, (zone) => ({
      ...zone,
      recordSetsCaptured: true,
      recordSets: record === null ? (zone.recordSets ?? []) : upsert(zone.recordSets, record, (r) => r.id),
      ...(record === null ? { otherRecordSetIds: [...new Set([...zone.otherRecordSetIds ?? [], id])] } : {}),
    })),
  });
}

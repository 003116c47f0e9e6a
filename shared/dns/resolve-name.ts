/**
 * How a name resolves from a VNet, following the documented private endpoint DNS model [PEDNS]
 * https://learn.microsoft.com/azure/private-link/private-endpoint-dns
 *
 *  - A VNet without custom DNS servers uses Azure-provided DNS (168.63.129.16), which answers from
 *    the private DNS zones linked to that VNet. With custom servers the answer is whatever those
 *    servers do: not knowable from the topology (→ `unknown`).
 *  - A name inside a linked zone (a privatelink zone or a custom zone like `corp.contoso.internal`)
 *    is answered by that zone: its A record, a CNAME followed, or NXDOMAIN when it has no record.
 *  - A private-link service name (`mystg.blob.core.windows.net`) is not in any private zone: public
 *    DNS CNAMEs it to `mystg.privatelink.blob.core.windows.net` (for a resource with private
 *    endpoint connections), and that name is answered by the linked `privatelink.*` zone if there is
 *    one, else publicly (→ the service's public endpoint).
 *  - A linked privatelink zone without the record answers NXDOMAIN, unless the VNet link has
 *    `resolutionPolicy: NxDomainRedirect`, which retries the query publicly [PDNSFALLBACK]
 *    https://learn.microsoft.com/azure/dns/private-dns-fallback
 *
 * Pure: reads the model index only. Never throws.
 */
import type { ResourceId } from '../model/ids';
import type { ModelIndex, PrivateDnsZoneLinkRef } from '../model/model-index';
import type { PrivateDnsZone, PrivateEndpoint } from '../model/topology';
import { isPrivateLinkZoneName, privateLinkMappingFor, privateLinkName } from './zones';

export interface NamedRef {
  readonly id: ResourceId;
  readonly name: string;
}

export type NameResolution =
  /** Answered by a linked private DNS zone: the addresses are private (a private endpoint, a VM...). */
  | {
      readonly kind: 'private'; readonly addresses: readonly string[];
      readonly zone: NamedRef; readonly link: NamedRef; readonly record: NamedRef;
      /** Names followed, the asked name first (CNAMEs, the privatelink alias). */
      readonly chain: readonly string[];
    }
  /** Public DNS answers: the path is the service's public endpoint. */
  | { readonly kind: 'public'; readonly chain: readonly string[]; readonly reason: string }
  /** A linked zone holds the name's zone but not the name, and its link does not fall back: clients get NXDOMAIN. */
  | { readonly kind: 'nxdomain'; readonly zone: NamedRef; readonly link: NamedRef; readonly chain: readonly string[]; readonly reason: string }
  /**
   * The snapshot cannot tell (custom DNS servers, VNet or zone records not captured).
   * `privateAnswer`: with custom DNS servers, a private answer for the name that the snapshot
   * knows (a private endpoint serving it, a private zone's record): the servers may return it.
   */
  | { readonly kind: 'unknown'; readonly reason: string; readonly chain: readonly string[]; readonly privateAnswer?: PrivateAnswer };

/** A private address a name has somewhere in the snapshot, and what holds it. */
export interface PrivateAnswer {
  /** The private endpoint serving the name, else the private DNS zone holding its record. */
  readonly source: NamedRef;
  readonly kind: 'private-endpoint' | 'zone-record';
  readonly addresses: readonly string[];
}

/** Azure-provided DNS: listing it as a "custom" server changes nothing. */
export const AZURE_DNS_IP = '168.63.129.16';

/** CNAME hops followed before giving up (real resolvers stop around 8–16; loops end here too). */
const MAX_CNAME_HOPS = 8;

const DNS_NAME_RE = /^(?=.{1,253}$)(?:[a-z0-9_*](?:[a-z0-9_-]{0,61}[a-z0-9_])?)(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

function normalizeName(name: string): string {
  return name.trim().toLowerCase().replace(/\.+$/, '');
}

function isUnder(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}

function named(resource: { readonly id: ResourceId; readonly name: string }): NamedRef {
  return { id: resource.id, name: resource.name };
}

/**
 * Links through which Azure DNS answers: `Completed`, or state not reported. A link still
 * `InProgress` is not effective yet.
 */
function effectiveLinks(index: ModelIndex, vnetId: ResourceId): readonly PrivateDnsZoneLinkRef[] {
  return (index.privateDnsZoneLinks.get(vnetId) ?? []).filter((ref) => ref.link.linkState === null || ref.link.linkState.trim().toLowerCase() === 'completed');
}

/** The linked zone that holds the name: the longest zone name the name is under (the most specific zone answers). */
function holdingZone(links: readonly PrivateDnsZoneLinkRef[], name: string): PrivateDnsZoneLinkRef | null {
  let best: PrivateDnsZoneLinkRef | null = null;
  let bestLength = -1;
  for (const ref of links) {
    const zoneName = normalizeName(ref.zone.name);
    if (!isUnder(name, zoneName) || zoneName.length <= bestLength) continue;
    // Equal names (two zones of one name cannot both be linked to a VNet): the first by zone ID stays.
    best = ref;
    bestLength = zoneName.length;
  }
  return best;
}

type RecordAnswer =
  | { readonly kind: 'a'; readonly record: NamedRef; readonly addresses: readonly string[] }
  | { readonly kind: 'cname'; readonly record: NamedRef; readonly target: string }
  | { readonly kind: 'missing' };

/** A record the zone group of a private endpoint manages (read-only output of the group), for zones whose record sets were not captured. */
interface ZoneGroupRecord {
  readonly recordSetName: string;
  readonly ipAddresses: readonly string[];
}

const ZONE_GROUP_RECORDS = new WeakMap<ModelIndex, ReadonlyMap<ResourceId, ReadonlyMap<string, ZoneGroupRecord>>>();

function zoneGroupRecords(index: ModelIndex): ReadonlyMap<ResourceId, ReadonlyMap<string, ZoneGroupRecord>> {
  const cached = ZONE_GROUP_RECORDS.get(index);
  if (cached) return cached;
  const byZone = new Map<ResourceId, Map<string, ZoneGroupRecord>>();
  for (const endpoint of index.privateEndpoints.values()) {
    for (const group of endpoint.privateDnsZoneGroups) {
      for (const config of group.privateDnsZoneConfigs) {
        if (config.privateDnsZoneId === null) continue;
        const zoneName = normalizeName(config.privateDnsZoneId.slice(config.privateDnsZoneId.lastIndexOf('/') + 1));
        const records = byZone.get(config.privateDnsZoneId) ?? new Map<string, ZoneGroupRecord>();
        for (const set of config.recordSets) {
          if (set.recordType.trim().toUpperCase() !== 'A' || set.ipAddresses.length === 0) continue;
          const relative = normalizeName(set.recordSetName);
          const fqdn = set.fqdn ?? (relative === '@' || relative === '' ? zoneName : `${relative}.${zoneName}`);
          if (!records.has(fqdn)) records.set(fqdn, { recordSetName: set.recordSetName, ipAddresses: set.ipAddresses });
        }
        byZone.set(config.privateDnsZoneId, records);
      }
    }
  }
  ZONE_GROUP_RECORDS.set(index, byZone);
  return byZone;
}

function lookupRecord(index: ModelIndex, zone: PrivateDnsZone, name: string): RecordAnswer {
  const record = zone.recordSets.find((r) => r.fqdn === name);
  if (record?.recordType === 'A') return { kind: 'a', record: named(record), addresses: record.ipv4Addresses };
  if (record?.recordType === 'CNAME' && record.cname !== null) return { kind: 'cname', record: named(record), target: record.cname };
  // The zone group's record sets mirror the A records it manages in the zone [PEDNS].
  const fromGroup = zoneGroupRecords(index).get(zone.id)?.get(name);
  if (fromGroup) {
    return {
      kind: 'a',
      record: { id: `${zone.id}/a/${normalizeName(fromGroup.recordSetName) || '@'}` as ResourceId, name: fromGroup.recordSetName },
      addresses: fromGroup.ipAddresses,
    };
  }
  return { kind: 'missing' };
}

/** Whether the zone's records are all known: captured, or the zone reports only its SOA. */
function recordsKnown(zone: PrivateDnsZone): boolean {
  return zone.recordSetsCaptured || (zone.numberOfRecordSets !== null && zone.numberOfRecordSets <= 1);
}

/** A private endpoint in the snapshot that serves this name (by its DNS configs or zone group records). */
function knownEndpointFor(index: ModelIndex, names: readonly string[]): PrivateEndpoint | null {
  for (const endpoint of index.privateEndpoints.values()) {
    if (endpoint.customDnsConfigs.some((c) => names.includes(c.fqdn))) return endpoint;
    for (const group of endpoint.privateDnsZoneGroups) {
      for (const config of group.privateDnsZoneConfigs) if (config.recordSets.some((r) => r.fqdn !== null && names.includes(r.fqdn))) return endpoint;
    }
  }
  return null;
}

/**
 * A private answer the snapshot holds for `asked` (or its privatelink alias), wherever it is linked:
 * a private endpoint that serves the name, else an A record in a private DNS zone. Null: none known.
 */
function privateAnswerFor(index: ModelIndex, asked: string): PrivateAnswer | null {
  const mapping = privateLinkMappingFor(asked);
  const alias = mapping === null ? null : privateLinkName(asked, mapping);
  const names = alias === null || alias === asked ? [asked] : [asked, alias];
  const endpoint = knownEndpointFor(index, names);
  if (endpoint) {
    const addresses = [...new Set([
      ...endpoint.customDnsConfigs.filter((c) => names.includes(c.fqdn)).flatMap((c) => c.ipAddresses),
      ...endpoint.privateDnsZoneGroups.flatMap((g) => g.privateDnsZoneConfigs.flatMap((z) => z.recordSets.filter((r) => r.fqdn !== null && names.includes(r.fqdn)).flatMap((r) => r.ipAddresses))),
    ])];
    return { source: named(endpoint), kind: 'private-endpoint', addresses };
  }
  for (const zone of index.privateDnsZones.values()) {
    const zoneName = normalizeName(zone.name);
    for (const name of names) {
      if (!isUnder(name, zoneName)) continue;
      const answer = lookupRecord(index, zone, name);
      if (answer.kind === 'a') return { source: named(zone), kind: 'zone-record', addresses: answer.addresses };
    }
  }
  return null;
}

/**
 * How `fqdn` resolves for clients in `vnetId` (see the module comment). `chain` lists every name
 * followed, the asked name first.
 */
export function resolveName(index: ModelIndex, vnetId: ResourceId, fqdn: string): NameResolution {
  const asked = normalizeName(fqdn);
  if (!DNS_NAME_RE.test(asked)) return { kind: 'unknown', reason: `"${fqdn}" is not a DNS name.`, chain: [] };
  const vnet = index.virtualNetworks.get(vnetId);
  if (!vnet) {
    return { kind: 'unknown', reason: `Virtual network ${vnetId} is not in the snapshot: its DNS servers and linked private DNS zones are unknown.`, chain: [asked] };
  }
  const custom = (vnet.dnsServers ?? []).filter((s) => s.trim() !== AZURE_DNS_IP);
  if (custom.length > 0) {
    const reason = `Virtual network ${vnet.name} uses custom DNS servers (${custom.join(', ')}): the answer is whatever those servers do (a forwarder to Azure DNS uses the private DNS zones linked to the forwarder's VNet), which the topology does not show.`;
    // A forwarder that resolves through Azure DNS in a VNet linked to the privatelink zone returns the
    // endpoint's private address [PEDNS] https://learn.microsoft.com/azure/private-link/private-endpoint-dns
    const privateAnswer = privateAnswerFor(index, asked);
    return privateAnswer === null ? { kind: 'unknown', chain: [asked], reason } : { kind: 'unknown', chain: [asked], reason, privateAnswer };
  }
  const links = effectiveLinks(index, vnet.id);
  const chain: string[] = [asked];
  let current = asked;
  for (let hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
    const holder = holdingZone(links, current);
    if (holder) {
      const answer = lookupRecord(index, holder.zone, current);
      if (answer.kind === 'a') {
        return { kind: 'private', addresses: answer.addresses, zone: named(holder.zone), link: named(holder.link), record: answer.record, chain };
      }
      if (answer.kind === 'cname') {
        if (chain.includes(answer.target)) return { kind: 'unknown', reason: `CNAME loop: ${[...chain, answer.target].join(' → ')}.`, chain };
        chain.push(answer.target);
        current = answer.target;
        continue;
      }
      return missingRecord(index, vnet.name, holder, chain);
    }
    // Not in a linked zone: public DNS answers. A private-link service name is CNAMEd into its privatelink zone.
    const mapping = privateLinkMappingFor(current);
    const alias = mapping === null ? null : privateLinkName(current, mapping);
    if (mapping === null || alias === null) {
      return { kind: 'public', chain, reason: `${current} is not in a private DNS zone linked to virtual network ${vnet.name}: public DNS answers.` };
    }
    if (alias === current) {
      return {
        kind: 'public', chain,
        reason: `No private DNS zone ${mapping.privateLinkZone} is linked to virtual network ${vnet.name}: Azure DNS follows the public CNAME chain to the ${mapping.service} public endpoint.`,
      };
    }
    if (holdingZone(links, alias) === null) {
      // The public chain goes through the alias only for resources with private endpoint connections; say so when the snapshot knows one.
      const endpoint = knownEndpointFor(index, [current, alias]);
      return {
        kind: 'public', chain: endpoint ? [...chain, alias] : chain,
        reason: `No private DNS zone ${mapping.privateLinkZone} is linked to virtual network ${vnet.name}: Azure DNS follows the public CNAME chain to the ${mapping.service} public endpoint`
          + (endpoint ? `, not to private endpoint ${endpoint.name}.` : '.'),
      };
    }
    chain.push(alias);
    current = alias;
  }
  return { kind: 'unknown', reason: `More than ${MAX_CNAME_HOPS} CNAMEs: ${chain.join(' → ')}.`, chain };
}

function missingRecord(index: ModelIndex, vnetName: string, holder: PrivateDnsZoneLinkRef, chain: readonly string[]): NameResolution {
  const { zone, link } = holder;
  const name = chain[chain.length - 1] ?? '';
  if (!recordsKnown(zone)) {
    return { kind: 'unknown', chain, reason: `Zone ${zone.name} is linked to virtual network ${vnetName}, but its record sets are not in the snapshot, so whether it holds ${name} is unknown.` };
  }
  // NxDomainRedirect applies to privatelink zones only [PDNSFALLBACK].
  if (isPrivateLinkZoneName(normalizeName(zone.name))) {
    if (link.resolutionPolicy === 'NxDomainRedirect') {
      return {
        kind: 'public', chain,
        reason: `Zone ${zone.name} has no record for ${name}, and link ${link.name} has resolutionPolicy NxDomainRedirect: Azure DNS retries the query publicly and gets the public endpoint.`,
      };
    }
    if (link.resolutionPolicy === 'Unknown') {
      return { kind: 'unknown', chain, reason: `Zone ${zone.name} has no record for ${name}, and the resolution policy of link ${link.name} is not one this tool knows.` };
    }
  }
  const endpoint = knownEndpointFor(index, chain);
  return {
    kind: 'nxdomain', zone: named(zone), link: named(link), chain,
    reason: `Zone ${zone.name} is linked to virtual network ${vnetName} (link ${link.name}) and has no record for ${name}: Azure DNS answers NXDOMAIN.`
      + (endpoint
        ? ` Private endpoint ${endpoint.name} serves the name, but its address was never registered in this zone.`
        : ' (A resource with no private endpoint connection at all is not CNAMEd into privatelink and would still resolve publicly.)'),
  };
}

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
 *    That fallback exists for privatelink zones only: a custom zone without the record is NXDOMAIN.
 *  - A wildcard record set (`*`) answers names under it that have no record of their own [DNSREC]
 *    https://learn.microsoft.com/azure/dns/dns-zones-records#wildcard-records
 *  - Where the snapshot lacks the fact that decides the answer (a linked zone's records, whether a
 *    resource has private endpoint connections elsewhere), the answer is `unknown` with `undecided`
 *    naming that fact: the name may not resolve publicly, so the public path is not the answer.
 *
 * Pure: reads the model index only. Never throws.
 */
import type { ResourceId } from '../model/ids';
import type { ModelIndex, PrivateDnsZoneLinkRef } from '../model/model-index';
import type { PrivateDnsRecordSet, PrivateDnsZone, PrivateEndpoint } from '../model/topology';
import { privateEndpointForAddress } from './private-endpoints';
import { isPrivateLinkZoneName, privateLinkMappingFor, privateLinkName, privateLinkZoneMayHold, privateLinkZoneOf } from './zones';

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
  /**
   * A linked zone holds the name's zone but not the name, and its link does not fall back: clients get NXDOMAIN.
   * `conditional`: the name reached the zone only through the public CNAME into privatelink, which
   * public DNS has only for a resource with private endpoint connections [PEDNS], and the snapshot
   * knows no endpoint serving it: NXDOMAIN if it has connections elsewhere (another subscription
   * or tenant), the public answer if it has none. Null when the NXDOMAIN is certain.
   */
  | {
      readonly kind: 'nxdomain'; readonly zone: NamedRef; readonly link: NamedRef; readonly chain: readonly string[]; readonly reason: string;
      readonly conditional: DnsUndecided | null;
    }
  /**
   * The snapshot cannot tell (custom DNS servers, VNet or zone records not captured).
   * `privateAnswer`: a private answer for the name that the snapshot knows (a private endpoint
   * serving it, a private zone's record): the resolver may return it.
   * `undecided`: a linked private DNS zone, not public DNS, may answer (or the answer is not
   * usable): the public path is not known to be the answer. Absent: custom DNS servers decide.
   * `customDnsServers`: the VNet's custom DNS servers, when they are the reason.
   */
  | {
      readonly kind: 'unknown'; readonly reason: string; readonly chain: readonly string[]; readonly privateAnswer?: PrivateAnswer;
      readonly undecided?: DnsUndecided; readonly customDnsServers?: readonly string[];
    };

/** The fact a DNS answer waits for, as the path's unknown ending names it. */
export interface DnsUndecided {
  /** The resource the gap is about (a zone, a private endpoint, the VNet). */
  readonly resourceId: ResourceId;
  readonly rule: string;
  readonly missingFact: string;
  readonly docs: string;
}

const PEDNS = 'https://learn.microsoft.com/azure/private-link/private-endpoint-dns';
const PE_OVERVIEW = 'https://learn.microsoft.com/azure/private-link/private-endpoint-overview#network-security-of-private-endpoints';

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
  /** Only a wildcard would answer, but the zone holds record sets of types the snapshot does not carry, one of which may sit at the name. */
  | { readonly kind: 'wildcard-uncertain'; readonly record: NamedRef }
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

function parentOf(name: string): string | null {
  const dot = name.indexOf('.');
  return dot < 0 ? null : name.slice(dot + 1);
}

function answerOf(record: PrivateDnsRecordSet): RecordAnswer {
  if (record.recordType === 'A') return { kind: 'a', record: named(record), addresses: record.ipv4Addresses };
  return record.cname !== null ? { kind: 'cname', record: named(record), target: record.cname } : { kind: 'missing' };
}

/**
 * The wildcard record set that answers `name`, which has no record set of its own. "Wildcard
 * records are returned in response to any query with a matching name, unless there's a closer
 * match from a non-wildcard record set" [DNSREC]
 * https://learn.microsoft.com/azure/dns/dns-zones-records#wildcard-records
 * i.e. (RFC 4592) the `*` directly under the name's closest existing ancestor; a name that exists
 * itself (an empty non-terminal above other records) gets no wildcard answer.
 */
function wildcardFor(index: ModelIndex, zone: PrivateDnsZone, name: string): PrivateDnsRecordSet | null {
  const zoneName = normalizeName(zone.name);
  const owners = [...zone.recordSets.map((r) => r.fqdn), ...(zoneGroupRecords(index).get(zone.id)?.keys() ?? [])];
  // Every owner name and its ancestors up to the apex exist (a wildcard's owner `*.x` makes `x` exist too).
  const existing = new Set<string>([zoneName]);
  for (const owner of owners) {
    for (let node: string | null = owner; node !== null && isUnder(node, zoneName) && !existing.has(node); node = parentOf(node)) existing.add(node);
  }
  if (existing.has(name)) return null;
  for (let ancestor = parentOf(name); ancestor !== null && isUnder(ancestor, zoneName); ancestor = parentOf(ancestor)) {
    if (existing.has(ancestor)) return zone.recordSets.find((r) => r.fqdn === `*.${ancestor}`) ?? null;
  }
  return null;
}

/** Whether the zone reports more record sets than the input carried (A and CNAME, and the others read, at least its SOA). */
function unreadRecordSets(zone: PrivateDnsZone): boolean {
  return zone.numberOfRecordSets !== null && zone.numberOfRecordSets > zone.recordSets.length + Math.max(zone.otherRecordSetIds?.length ?? 0, 1);
}

function lookupRecord(index: ModelIndex, zone: PrivateDnsZone, name: string): RecordAnswer {
  const record = zone.recordSets.find((r) => r.fqdn === name);
  if (record) {
    const answer = answerOf(record);
    if (answer.kind !== 'missing') return answer;
  }
  // The zone group's record sets mirror the A records it manages in the zone [PEDNS].
  const fromGroup = zoneGroupRecords(index).get(zone.id)?.get(name);
  if (fromGroup) {
    return {
      kind: 'a',
      record: { id: `${zone.id}/a/${normalizeName(fromGroup.recordSetName) || '@'}` as ResourceId, name: fromGroup.recordSetName },
      addresses: fromGroup.ipAddresses,
    };
  }
  if (record) return { kind: 'missing' };
  const wildcard = wildcardFor(index, zone, name);
  if (wildcard === null) return { kind: 'missing' };
  // A TXT or AAAA record set at the name (or a closer ancestor) would take the query from the wildcard.
  if (unreadRecordSets(zone)) return { kind: 'wildcard-uncertain', record: named(wildcard) };
  return answerOf(wildcard);
}

/** Whether the zone's records are all known: captured, or the zone reports only its SOA. */
/**
 * Whether the zone's records are all known: the input carried record sets, as many as the zone
 * reports (when it reports a count; its SOA counted when not read), or the zone reports only its
 * SOA. A list of one type (`record-set cname list`) is not all of a zone that reports more.
 */
function recordsKnown(zone: PrivateDnsZone): boolean {
  if (zone.numberOfRecordSets !== null && zone.numberOfRecordSets <= 1) return true;
  return zone.recordSetsCaptured && !unreadRecordSets(zone);
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

/** The names a private endpoint serves, as its DNS configs and zone group records list them (lower case). */
function servedNames(endpoint: PrivateEndpoint): readonly string[] {
  return [
    ...endpoint.customDnsConfigs.map((c) => c.fqdn),
    ...endpoint.privateDnsZoneGroups.flatMap((g) => g.privateDnsZoneConfigs.flatMap((z) => z.recordSets.map((r) => r.fqdn))),
  ].flatMap((n) => (n === null ? [] : [normalizeName(n)]));
}

/** A service name and the privatelink alias public DNS gives it (`mystg.blob…` and `mystg.privatelink.blob…`). */
function withAliases(names: readonly string[]): ReadonlySet<string> {
  const out = new Set<string>();
  for (const name of names) {
    out.add(name);
    const mapping = privateLinkMappingFor(name);
    const alias = mapping === null ? null : privateLinkName(name, mapping);
    if (alias !== null) out.add(alias);
  }
  return out;
}

function sameId(a: string | null, b: string | null): boolean {
  return a !== null && b !== null && a.toLowerCase() === b.toLowerCase();
}

/**
 * A private answer that lands on the private endpoint of another resource: "the platform validates
 * network connections, allowing only those that reach the specified private-link resource" [PE]
 * https://learn.microsoft.com/azure/private-link/private-endpoint-overview#network-security-of-private-endpoints
 * Traffic for `mystg` sent to `otherstg`'s endpoint reaches otherstg, or nothing: which is not
 * documented. Judged only for private-link service names in the chain (they name one resource);
 * the endpoint serves another when its DNS configs list names and none of the chain's, or when
 * the snapshot's endpoint for the name targets a different resource.
 */
function foreignEndpoint(index: ModelIndex, vnetId: ResourceId, chain: readonly string[], addresses: readonly string[]): { readonly endpoint: PrivateEndpoint; readonly address: string; readonly target: string | null; readonly served: readonly string[]; readonly owner: PrivateEndpoint | null } | null {
  const serviceNames = chain.filter((n) => privateLinkMappingFor(n) !== null);
  if (serviceNames.length === 0) return null;
  const names = withAliases(serviceNames);
  const owner = knownEndpointFor(index, [...names]);
  for (const address of addresses) {
    const match = privateEndpointForAddress(index, address, vnetId);
    if (match === null) continue;
    const endpoint = match.privateEndpoint;
    if (owner !== null && owner.id === endpoint.id) continue;
    const served = servedNames(endpoint);
    const servesName = [...withAliases(served)].some((n) => names.has(n));
    if (servesName) continue;
    const ownerTarget = owner?.connections.find((c) => c.privateLinkServiceId !== null)?.privateLinkServiceId ?? null;
    const otherTarget = served.length === 0 && owner !== null && match.target !== null && !sameId(ownerTarget, match.target);
    if (served.length > 0 || otherTarget) return { endpoint, address: match.address, target: match.target, served, owner };
  }
  return null;
}

/** Unknown: a linked zone or the snapshot's gap decides, not public DNS. */
function undecided(chain: readonly string[], reason: string, fact: DnsUndecided, privateAnswer: PrivateAnswer | null = null): NameResolution {
  return privateAnswer === null ? { kind: 'unknown', chain, reason, undecided: fact } : { kind: 'unknown', chain, reason, undecided: fact, privateAnswer };
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
    return privateAnswer === null ? { kind: 'unknown', chain: [asked], reason, customDnsServers: custom } : { kind: 'unknown', chain: [asked], reason, privateAnswer, customDnsServers: custom };
  }
  const links = effectiveLinks(index, vnet.id);
  const chain: string[] = [asked];
  let current = asked;
  // Whether the chain went through the public CNAME into privatelink, which public DNS has only for
  // a resource with private endpoint connections [PEDNS].
  let viaAlias = false;
  for (let hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
    const holder = holdingZone(links, current);
    if (holder) {
      const answer = lookupRecord(index, holder.zone, current);
      if (answer.kind === 'a') {
        const foreign = foreignEndpoint(index, vnet.id, chain, answer.addresses);
        if (foreign !== null) return foreignAnswer(vnet.name, holder, answer.record, chain, foreign);
        return { kind: 'private', addresses: answer.addresses, zone: named(holder.zone), link: named(holder.link), record: answer.record, chain };
      }
      if (answer.kind === 'cname') {
        if (chain.includes(answer.target)) {
          const loop = [...chain, answer.target].join(' → ');
          return undecided(chain, `CNAME loop: ${loop}.`, {
            resourceId: holder.zone.id, rule: `CNAME ${answer.record.name} in private DNS zone ${holder.zone.name}`, docs: PEDNS,
            missingFact: `what clients in virtual network ${vnet.name} get for ${asked}: the CNAMEs loop (${loop}), and Azure DNS's answer to a loop is not documented (a resolver fails the query)`,
          });
        }
        chain.push(answer.target);
        current = answer.target;
        continue;
      }
      if (answer.kind === 'wildcard-uncertain') {
        return undecided(chain, `Only wildcard ${answer.record.name} of zone ${holder.zone.name} would answer ${current}, and the zone holds record sets the snapshot does not carry.`, {
          resourceId: holder.zone.id, rule: `Wildcard ${answer.record.name} in private DNS zone ${holder.zone.name}`, docs: 'https://learn.microsoft.com/azure/dns/dns-zones-records#wildcard-records',
          missingFact: `whether zone ${holder.zone.name} has a record set of another type (AAAA, TXT, MX...) at ${current}: it reports ${holder.zone.numberOfRecordSets ?? '?'} record sets, the snapshot has ${holder.zone.recordSets.length} A/CNAME ones besides the SOA, and a record set at the name takes the query from the wildcard (no address then)`,
        });
      }
      return missingRecord(index, vnet.name, holder, chain, viaAlias);
    }
    // Not in a linked zone: public DNS answers. A private-link service name is CNAMEd into its privatelink zone.
    const mapping = privateLinkMappingFor(current);
    const alias = mapping === null ? null : privateLinkName(current, mapping);
    const zoneName = mapping === null ? null : privateLinkZoneOf(current, mapping);
    // Before answering "public": a linked privatelink zone the table does not send this name to may
    // still be where public DNS CNAMEs it (a region-scoped zone, a service the table lacks) [PEDNS].
    const maybe = mayHold(links, current);
    if (maybe !== null && (zoneName === null || alias === null || alias === current || holdingZone(links, alias) === null)) {
      return undecided(chain, `${current} may be CNAMEd by public DNS into linked private DNS zone ${maybe.zone.name}, which this tool's zone table does not map it to.`, {
        resourceId: maybe.zone.id, rule: `${current} and private DNS zone ${maybe.zone.name}`, docs: PEDNS,
        missingFact: `whether public DNS CNAMEs ${current} into ${maybe.zone.name}, linked to virtual network ${vnet.name} (link ${maybe.link.name}): if it does (the resource has private endpoint connections and that is its privatelink zone), that zone answers (its record, or NXDOMAIN); if not, public DNS answers`,
      });
    }
    if (mapping === null || alias === null || zoneName === null) {
      return { kind: 'public', chain, reason: `${current} is not in a private DNS zone linked to virtual network ${vnet.name}: public DNS answers.` };
    }
    if (alias === current) {
      return {
        kind: 'public', chain,
        reason: `No private DNS zone ${zoneName} is linked to virtual network ${vnet.name}: Azure DNS follows the public CNAME chain to the ${mapping.service} public endpoint.`,
      };
    }
    if (holdingZone(links, alias) === null) {
      // The public chain goes through the alias only for resources with private endpoint connections; say so when the snapshot knows one.
      const endpoint = knownEndpointFor(index, [current, alias]);
      return {
        kind: 'public', chain: endpoint ? [...chain, alias] : chain,
        reason: `No private DNS zone ${zoneName} is linked to virtual network ${vnet.name}: Azure DNS follows the public CNAME chain to the ${mapping.service} public endpoint`
          + (endpoint ? `, not to private endpoint ${endpoint.name}.` : '.'),
      };
    }
    chain.push(alias);
    current = alias;
    viaAlias = true;
  }
  return undecided(chain, `More than ${MAX_CNAME_HOPS} CNAMEs: ${chain.join(' → ')}.`, {
    resourceId: vnet.id, rule: `CNAME chain of ${asked}`, docs: PEDNS,
    missingFact: `what clients in virtual network ${vnet.name} get for ${asked}: more than ${MAX_CNAME_HOPS} CNAMEs (${chain.join(' → ')}), where resolvers give up`,
  });
}

/** A linked privatelink zone (other than the name's own) that public DNS may CNAME the name into. */
function mayHold(links: readonly PrivateDnsZoneLinkRef[], name: string): PrivateDnsZoneLinkRef | null {
  return links.find((ref) => privateLinkZoneMayHold(normalizeName(ref.zone.name), name)) ?? null;
}

function foreignAnswer(vnetName: string, holder: PrivateDnsZoneLinkRef, record: NamedRef, chain: readonly string[], foreign: NonNullable<ReturnType<typeof foreignEndpoint>>): NameResolution {
  const asked = chain[0] ?? '';
  const serves = foreign.served.length > 0 ? `serves ${foreign.served.join(', ')}` : 'serves another resource';
  const target = foreign.target === null ? '' : ` (resource ${foreign.target})`;
  const own = foreign.owner === null ? '' : `; ${asked} is served by private endpoint ${foreign.owner.name}`;
  return undecided(chain,
    `Record ${record.name} of zone ${holder.zone.name} (linked to virtual network ${vnetName}) points ${asked} at ${foreign.address}, the address of private endpoint ${foreign.endpoint.name}, which ${serves}${target}.`,
    {
      resourceId: foreign.endpoint.id, rule: `${asked} → ${foreign.address} (record ${record.name} in private DNS zone ${holder.zone.name})`, docs: PE_OVERVIEW,
      missingFact: `what private endpoint ${foreign.endpoint.name}${target} does with traffic for ${asked}: record ${record.name} of zone ${holder.zone.name} points the name at the endpoint's address ${foreign.address}, but the endpoint ${serves}${own}, and a private endpoint admits connections to its own resource only; what happens to a connection meant for another resource is not documented`,
    },
    { source: named(foreign.endpoint), kind: 'private-endpoint', addresses: [foreign.address] });
}

function missingRecord(index: ModelIndex, vnetName: string, holder: PrivateDnsZoneLinkRef, chain: readonly string[], viaAlias: boolean): NameResolution {
  const { zone, link } = holder;
  const name = chain[chain.length - 1] ?? '';
  const asked = chain[0] ?? name;
  const endpoint = knownEndpointFor(index, chain);
  if (!recordsKnown(zone)) {
    const read = zone.recordSetsCaptured ? `only ${zone.recordSets.length + (zone.otherRecordSetIds?.length ?? 0)} of its ${zone.numberOfRecordSets ?? ''} record sets are` : 'its record sets are not';
    const reason = `Zone ${zone.name} is linked to virtual network ${vnetName}, but ${read} in the snapshot, so whether it holds ${name} is unknown.`;
    // Azure DNS answers the name from the linked zone, not from public DNS [PEDNSI]
    // https://learn.microsoft.com/azure/private-link/private-endpoint-dns-integration#virtual-network-workloads-without-custom-dns-server
    const privateAnswer = privateAnswerFor(index, asked);
    const likely = privateAnswer === null ? '' : `; ${privateAnswer.kind === 'private-endpoint' ? 'private endpoint' : 'private DNS zone'} ${privateAnswer.source.name}${privateAnswer.addresses.length > 0 ? ` (${privateAnswer.addresses.join(', ')})` : ''} serves ${asked}, so its record is likely there`;
    const count = zone.numberOfRecordSets === null ? '' : ` (it reports ${zone.numberOfRecordSets} record sets)`;
    return undecided(chain, reason, {
      resourceId: zone.id, rule: `Private DNS zone ${zone.name} (records not captured)`, docs: PEDNS,
      missingFact: `the record sets of private DNS zone ${zone.name}${count}, linked to virtual network ${vnetName} (link ${link.name}): Azure DNS answers ${name} from it (a record, or NXDOMAIN), not from public DNS${likely}`,
    }, privateAnswer);
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
      return undecided(chain, `Zone ${zone.name} has no record for ${name}, and the resolution policy of link ${link.name} is not in the input (exports made with API versions before 2024-06-01 do not return it) or is not one this tool knows.`, {
        resourceId: link.id, rule: `Link ${link.name} of private DNS zone ${zone.name}`, docs: 'https://learn.microsoft.com/azure/dns/private-dns-fallback',
        missingFact: `the resolution policy of link ${link.name} (virtual network ${vnetName} to zone ${zone.name}), which has no record for ${name}: NxDomainRedirect resolves it publicly, Default answers NXDOMAIN`,
      });
    }
  }
  const reason = `Zone ${zone.name} is linked to virtual network ${vnetName} (link ${link.name}) and has no record for ${name}: Azure DNS answers NXDOMAIN.`;
  if (endpoint) return { kind: 'nxdomain', zone: named(zone), link: named(link), chain, conditional: null, reason: `${reason} Private endpoint ${endpoint.name} serves the name, but its address was never registered in this zone.` };
  // Only the public CNAME into privatelink brought the name here, and public DNS has it only for a
  // resource with private endpoint connections, which may exist outside the snapshot [PEDNS].
  const conditional: DnsUndecided | null = viaAlias ? {
    resourceId: zone.id, rule: `${asked} through private DNS zone ${zone.name}`, docs: PEDNS,
    missingFact: `whether the resource behind ${asked} has private endpoint connections outside the snapshot (another subscription or tenant): if it has, public DNS CNAMEs it to ${name} and zone ${zone.name}, linked to virtual network ${vnetName} (link ${link.name}) with no record for it, answers NXDOMAIN; if it has none, the name resolves publicly`,
  } : null;
  return {
    kind: 'nxdomain', zone: named(zone), link: named(link), chain, conditional,
    reason: conditional === null ? reason : `${reason} (A resource with no private endpoint connection at all is not CNAMEd into privatelink and would still resolve publicly.)`,
  };
}

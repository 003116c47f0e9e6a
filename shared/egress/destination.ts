/**
 * The destination being evaluated, and the source address matched by NSG and firewall rules.
 */
import type { ResourceId } from '../model/ids';
import { cidrContainsCidr, cidrContainsIp, parseCidr } from '../model/ip';
import type { Cidr, IpAddress } from '../model/ip';
import { Ipv4Set, publicIpv4 } from '../model/ip-set';
import type { ServiceTagIndex } from '../model/service-tags';
import type { RouteDestination } from '../routing/lpm';
import type { ApplicationProtocol } from './destination-spec';

export type EgressDestination =
  | { readonly kind: 'default-route' }
  | { readonly kind: 'address'; readonly ip: IpAddress; readonly text: string }
  /** A CIDR, or a service tag's IPv4 prefixes: every address in it. */
  | { readonly kind: 'range'; readonly cidrs: readonly Cidr[]; readonly set: Ipv4Set; readonly text: string }
  /**
   * A host name. Application rules match the name (SNI / Host header); routing, NSGs and network
   * rules see the address it resolves to, when the snapshot (private DNS) or the user tells it.
   */
  | {
      readonly kind: 'name'; readonly name: string; readonly address: IpAddress | null; readonly text: string;
      /**
       * Set when the name's answer is not knowable (custom DNS servers) but the snapshot has a
       * private answer for it (a private endpoint, a private zone record): the servers may return
       * that address or the public one, so the path is not known [PEDNS]
       * https://learn.microsoft.com/azure/private-link/private-endpoint-dns
       */
      readonly mayResolvePrivately?: MayResolvePrivately;
    };

/** Why a name may resolve to a private address: the resolver and the private answer it may give. */
export interface MayResolvePrivately {
  /** What holds the private answer (a private endpoint, else a private DNS zone). */
  readonly resourceId: string;
  /** Words for explanations: `private endpoint pe-st (10.0.5.6)`. */
  readonly what: string;
  readonly addresses: readonly string[];
}

/** The address a destination is routed by, when it has exactly one. */
export function destinationAddress(destination: EgressDestination): IpAddress | null {
  switch (destination.kind) {
    case 'address': return destination.ip;
    case 'name': return destination.address;
    case 'default-route': case 'range': return null;
  }
}

export interface TrafficSpec {
  readonly destination: EgressDestination;
  readonly port: number;
  readonly protocol: 'Tcp' | 'Udp';
  /**
   * The application protocol the user stated (a URL's scheme: `https://partner.example:8443`);
   * absent when only a port was given. Application rules match HTTP, HTTPS and MSSQL only [FWRULES]
   * https://learn.microsoft.com/azure/firewall/rule-processing, so a rule on another port than its
   * protocol's own is decided by it (see openApplicationProtocol).
   */
  readonly applicationProtocol?: ApplicationProtocol;
}

/** What longest-prefix match looks up: one address, or the default route (a range is looked up part by part: lookupRange). */
export function toRouteDestination(destination: EgressDestination): RouteDestination {
  const ip = destinationAddress(destination);
  return ip ? { kind: 'address', ip } : { kind: 'default-route' };
}

export function describeDestination(destination: EgressDestination): string {
  return destination.kind === 'default-route' ? 'the internet (0.0.0.0/0)' : destination.text;
}

/** The original source of the traffic: a NIC's private IP or a subnet's prefixes (for the subnet entry). */
export interface SourceAddress {
  readonly cidrs: readonly Cidr[];
  /**
   * Application security groups of the sender's IP configuration. Absent for the subnet entry,
   * which stands for a NIC in no ASG: rules naming an ASG then never match it [ASG]
   * https://learn.microsoft.com/azure/virtual-network/application-security-groups
   */
  readonly applicationSecurityGroupIds?: readonly ResourceId[];
  /**
   * Where the sender's names are resolved: its VNet (whose `dnsServers` apply) and the NIC's own
   * DNS servers, which replace the VNet's for its VM [NICDNS]. Read for FQDN network rules, which
   * hold only when the client resolves through the firewall's DNS proxy [FWDNS]
   * https://learn.microsoft.com/azure/firewall/dns-settings. Absent for platform senders (a gateway
   * forwarding on-premises clients, a firewall's own traffic) and sources built by hand: the engine
   * then does not assume they resolve through the firewall (see clientDns in engine.ts).
   */
  readonly dns?: { readonly virtualNetworkId: ResourceId; readonly nicDnsServers?: readonly string[] };
}

/** A rule's address entry, parsed once: `*`/`Any`, a service tag, or a CIDR / IP. */
type AddressEntry =
  | { readonly kind: 'any' }
  | { readonly kind: 'tag'; readonly tag: string }
  | { readonly kind: 'cidr'; readonly cidr: Cidr };

/** Parsed per rule array: NSG and firewall rules are evaluated for every source, so parse once. */
const parsedEntries = new WeakMap<readonly string[], readonly AddressEntry[]>();

function entriesOf(entries: readonly string[]): readonly AddressEntry[] {
  let parsed = parsedEntries.get(entries);
  if (!parsed) {
    parsed = entries.map((entry): AddressEntry => {
      const e = entry.trim();
      const lower = e.toLowerCase();
      if (lower === '*' || lower === 'any') return { kind: 'any' };
      const cidr = parseCidr(e);
      return cidr ? { kind: 'cidr', cidr } : { kind: 'tag', tag: lower };
    });
    parsedEntries.set(entries, parsed);
  }
  return parsed;
}

/**
 * Whether any of a rule's address entries (`*`, CIDR, IP, service tag) covers the public
 * destination. For the default route only entries that cover the whole internet count; a rule on
 * 20.0.0.0/8 does not decide "the internet" [NSG][FWRULES].
 */
export function entriesCoverDestination(entries: readonly string[], destination: EgressDestination): boolean {
  return entriesOf(entries).some((e) => {
    switch (e.kind) {
      case 'any': return true;
      case 'tag': return e.tag === 'internet';
      case 'cidr': {
        const ip = destinationAddress(destination);
        if (ip) return cidrContainsIp(e.cidr, ip);
        return destination.kind === 'range' ? destination.cidrs.every((c) => cidrContainsCidr(e.cidr, c)) : e.cidr.prefixLength === 0;
      }
    }
  });
}

/** Whether any source entry covers the source. `VirtualNetwork` covers any private source in a VNet. */
export function entriesCoverSource(entries: readonly string[], source: SourceAddress): boolean {
  return entriesOf(entries).some((e) => {
    switch (e.kind) {
      case 'any': return true;
      case 'tag': return e.tag === 'virtualnetwork';
      case 'cidr': return source.cidrs.length > 0 && source.cidrs.every((s) => cidrContainsCidr(e.cidr, s));
    }
  });
}

/** `*`, `443`, `1000-2000`, `Any`. */
export function portRangeCovers(range: string, port: number): boolean {
  const r = range.trim();
  if (r === '*' || r.toLowerCase() === 'any') return true;
  const dash = r.indexOf('-');
  if (dash < 0) return Number(r) === port;
  const low = Number(r.slice(0, dash));
  const high = Number(r.slice(dash + 1));
  return Number.isFinite(low) && Number.isFinite(high) && port >= low && port <= high;
}

// ---------------------------------------------------------------------------------------------
// Coverage of the IPv4 space by a rule's destination entries (for range questions such as
// "which part of the internet does this NSG allow?").

/**
 * A service tag whose addresses the model does not have, so it may or may not cover an address
 * within `scope`. `virtual-network` is the `VirtualNetwork` tag: besides the VNet, peered and
 * on-premises space it holds "address prefixes used on user-defined routes" and "might also
 * contain default routes" [TAG] https://learn.microsoft.com/azure/virtual-network/service-tags-overview
 */
export interface UncertainTag {
  readonly kind: 'virtual-network' | 'service-tag';
  /** As written in the rule, e.g. `Storage.WestEurope`. */
  readonly tag: string;
  readonly scope: Ipv4Set;
}

export interface DestinationCoverage {
  /** IPv4 addresses the entries certainly cover. */
  readonly certain: Ipv4Set;
  readonly uncertainTags: readonly UncertainTag[];
}

export interface CoverageOptions {
  /**
   * The `VirtualNetwork` tag's actual prefixes where known (e.g. `expandedAddressPrefix` of
   * `az network nic list-effective-nsg`); otherwise the tag is uncertain outside the address space
   * the caller has no data for.
   */
  readonly virtualNetworkPrefixes?: readonly string[];
  /**
   * Prefixes the `VirtualNetwork` tag certainly holds where its full expansion is not known: the
   * VNet's own address space and what its connected peerings carry ("the virtual network address
   * space ... peered virtual networks" [TAG]). Outside them the tag stays uncertain. The
   * `Internet` tag ("outside the virtual network" [TAG]) leaves them out.
   */
  readonly virtualNetworkKnown?: readonly string[];
  /**
   * Service tag prefix data (the download file or the Service Tag Discovery API): a tag listed
   * there covers exactly its IPv4 prefixes [TAG]; a tag it does not list stays uncertain.
   */
  readonly serviceTags?: ServiceTagIndex;
}

/** The IPv4 addresses of a list of prefixes (IPv6 and unreadable entries add nothing). */
function prefixSet(prefixes: readonly string[]): Ipv4Set {
  return prefixes.reduce((set, p) => set.union(Ipv4Set.tryFromCidr(p) ?? Ipv4Set.empty()), Ipv4Set.empty());
}

/** 168.63.129.16: the `AzureLoadBalancer` tag is the host's virtual IP [TAG][NSG]. */
const AZURE_LOAD_BALANCER = Ipv4Set.fromCidr('168.63.129.16/32');

/** Per tag-data index (or none): a rule's coverage differs with the data it is read against. */
const coverageCache = new WeakMap<object, WeakMap<readonly string[], DestinationCoverage>>();
const NO_SERVICE_TAGS = {};

/**
 * What a rule's address entries cover of the IPv4 space: `*`/`Any`/`0.0.0.0/0` all of it, the
 * `Internet` tag all public space outside `options.virtualNetworkKnown` [TAG], CIDRs, addresses and `a-b` ranges exactly (IPv6 entries
 * nothing), `AzureLoadBalancer` 168.63.129.16, every other service tag its IPv4 prefixes when
 * `options.serviceTags` lists it, else an uncertain part of the public space (no prefix data).
 * Classic spellings (`INTERNET`, `VIRTUAL_NETWORK`,
 * `AZURE_LOADBALANCER`) are accepted [TAG].
 */
export function destinationCoverage(entries: readonly string[], options: CoverageOptions = {}): DestinationCoverage {
  const cacheable = options.virtualNetworkPrefixes === undefined && options.virtualNetworkKnown === undefined;
  const cacheKey = options.serviceTags ?? NO_SERVICE_TAGS;
  let cache = cacheable ? coverageCache.get(cacheKey) : undefined;
  if (cacheable && !cache) {
    cache = new WeakMap();
    coverageCache.set(cacheKey, cache);
  }
  const cached = cache?.get(entries);
  if (cached) return cached;
  let certain = Ipv4Set.empty();
  const uncertainTags: UncertainTag[] = [];
  const virtualNetworkKnown = options.virtualNetworkKnown === undefined ? null : prefixSet(options.virtualNetworkKnown);
  for (const raw of entries) {
    const entry = raw.trim();
    const lower = entry.toLowerCase();
    if (lower === '*' || lower === 'any') { certain = Ipv4Set.all(); continue; }
    const exact = entry.includes('-') ? Ipv4Set.tryFromRange(entry) : Ipv4Set.tryFromCidr(entry);
    if (exact) { certain = certain.union(exact); continue; }
    if (parseCidr(entry)) continue; // IPv6: nothing of the IPv4 space
    switch (lower) {
      case 'internet':
        // "The IP address space that's outside the virtual network and reachable by the public
        // internet" [TAG]: a VNet using public ranges as its address space (and the peered VNets it
        // reaches) is inside the VirtualNetwork tag, not this one.
        certain = certain.union(virtualNetworkKnown === null ? publicIpv4() : publicIpv4().subtract(virtualNetworkKnown));
        break;
      case 'azureloadbalancer': case 'azure_loadbalancer':
        certain = certain.union(AZURE_LOAD_BALANCER);
        break;
      case 'virtualnetwork': case 'virtual_network':
        if (options.virtualNetworkPrefixes) {
          for (const p of options.virtualNetworkPrefixes) certain = certain.union(Ipv4Set.tryFromCidr(p) ?? Ipv4Set.empty());
        } else {
          const known = virtualNetworkKnown ?? Ipv4Set.empty();
          certain = certain.union(known);
          uncertainTags.push({ kind: 'virtual-network', tag: entry, scope: Ipv4Set.all().subtract(known) });
        }
        break;
      default: {
        if (entry === '') break;
        // With prefix data the tag is exactly its prefixes [TAG]; without, Azure service tags list
        // public Azure ranges, so the tag may cover any public address.
        const known = options.serviceTags?.prefixes(entry) ?? null;
        if (known) certain = certain.union(known);
        else uncertainTags.push({ kind: 'service-tag', tag: entry, scope: publicIpv4() });
      }
    }
  }
  const coverage: DestinationCoverage = { certain, uncertainTags };
  cache?.set(entries, coverage);
  return coverage;
}

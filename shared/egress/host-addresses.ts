/**
 * Destinations Azure decides before any route: the host node's platform addresses, which no route,
 * firewall or appliance ever sees, and multicast and broadcast, which virtual networks block. Pure:
 * the engine (engine.ts platformDestination) turns the answer into a path.
 */
import { cidrContainsIp, formatIp, parseCidr } from '../model/ip';
import type { Cidr, IpAddress } from '../model/ip';
import { destinationAddress } from './destination';
import type { EgressDestination } from './destination';

/** The two platform services on virtualized host addresses, see HostAddress. */
export type HostService = 'instance-metadata' | 'wireserver';

/**
 * A virtualized IP address of the host node: "Basic infrastructure services like DHCP, DNS, IMDS,
 * and health monitoring are provided through the virtualized host IP addresses 168.63.129.16 and
 * 169.254.169.254" [NSGOV]
 * https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#azure-platform-considerations
 * - 169.254.169.254, the Instance Metadata Service: "a well-known, non-routable IP address … You can
 *   only access it from within the VM. Communication between the VM and IMDS never leaves the host"
 *   https://learn.microsoft.com/azure/virtual-machines/instance-metadata-service
 * - 168.63.129.16 (WireServer: Azure DNS, DHCP, the VM agent, health probes): "a virtual IP of the
 *   host node and as such it isn't subject to user defined routes"
 *   https://learn.microsoft.com/azure/virtual-network/what-is-ip-address-168-63-129-16
 * NSGs: "By default, these services aren't subject to the configured network security groups
 * unless targeted by service tags specific to each service" (AzurePlatformDNS, AzurePlatformIMDS)
 * [NSGOV]; the VM agent's ports 80 and 32526 to 168.63.129.16 "isn't subject to the configured
 * network security groups", and DNS "isn't subject to the configured network security groups unless
 * targeted using the AzurePlatformDNS service tag" [WIRE]. `nsgTags`: the tags whose rules apply to
 * this flow (empty: no NSG rule applies).
 */
export interface HostAddress {
  readonly kind: 'host';
  readonly service: HostService;
  readonly address: string;
  readonly nsgTags: readonly string[];
}

/**
 * Multicast or broadcast: "Multicast, broadcast, IP-in-IP encapsulated packets, and Generic Routing
 * Encapsulation (GRE) packets are blocked in virtual networks"; "Do virtual networks support
 * multicast or broadcast? No." https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq
 * `words`: why, for the explanation (`224.0.0.5 is a multicast address (224.0.0.0/4)`).
 */
export interface BlockedInVnet {
  readonly kind: 'blocked';
  readonly what: 'multicast' | 'broadcast';
  readonly words: string;
}

export type PlatformDestination = HostAddress | BlockedInVnet;

export const IMDS_ADDRESS = '169.254.169.254';
export const WIRESERVER_ADDRESS = '168.63.129.16';
/** The DNS port: the one flow to 168.63.129.16 an NSG rule can reach, through AzurePlatformDNS [WIRE]. */
const DNS_PORT = 53;

function cidr(text: string): Cidr {
  const parsed = parseCidr(text);
  if (parsed === null) throw new Error(`bad constant CIDR ${text}`);
  return parsed;
}

const MULTICAST_V4 = cidr('224.0.0.0/4');
const MULTICAST_V6 = cidr('ff00::/8');
const LIMITED_BROADCAST = '255.255.255.255';

/** The one address of a range that is a single host prefix (/32, /128), else null. */
function singleAddress(cidrs: readonly Cidr[]): IpAddress | null {
  if (cidrs.length !== 1) return null;
  const [only] = cidrs;
  if (only === undefined) return null;
  if (only.version === 4) return only.prefixLength === 32 ? { version: 4, value: only.network } : null;
  return only.prefixLength === 128 ? { version: 6, value: only.network } : null;
}

/** Whether a CIDR lies wholly in 224.0.0.0/4 (the range is the union of its CIDRs: all inside = all multicast). */
function insideMulticastV4(c: Cidr): boolean {
  return c.version === 4 && c.prefixLength >= 4 && c.network >>> 28 === 0xe;
}

/** An IPv4 constant as its 32-bit value. */
function ipv4Value(text: string): number {
  const parsed = parseCidr(`${text}/32`);
  if (parsed === null || parsed.version !== 4) throw new Error(`bad constant address ${text}`);
  return parsed.network;
}

const IMDS_VALUE = ipv4Value(IMDS_ADDRESS);
const WIRESERVER_VALUE = ipv4Value(WIRESERVER_ADDRESS);
const LIMITED_BROADCAST_VALUE = ipv4Value(LIMITED_BROADCAST);

/** What an address is before any route: one of the host's platform addresses, multicast, the limited broadcast address, or null. */
export type SpecialAddress = HostService | 'multicast' | 'limited-broadcast';

/** The address-only part of platformDestination (no subnet broadcast, which depends on the source); also the app's what-if banner words. */
export function specialAddress(ip: IpAddress): SpecialAddress | null {
  if (ip.version === 6) return cidrContainsIp(MULTICAST_V6, ip) ? 'multicast' : null;
  if (ip.value === IMDS_VALUE) return 'instance-metadata';
  if (ip.value === WIRESERVER_VALUE) return 'wireserver';
  if (cidrContainsIp(MULTICAST_V4, ip)) return 'multicast';
  return ip.value === LIMITED_BROADCAST_VALUE ? 'limited-broadcast' : null;
}

/**
 * What Azure does with the destination before routing, or null (nearly always: routing decides).
 * `subnetBroadcast`: whether an IPv4 address is the broadcast address (last address) of a subnet
 * of the source's virtual network or of one peered with it, which Azure reserves ("x.x.x.255: Network broadcast address")
 * https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq
 */
export function platformDestination(destination: EgressDestination, port: number, subnetBroadcast: (ip: IpAddress) => boolean): PlatformDestination | null {
  let ip: IpAddress | null;
  if (destination.kind === 'range') {
    // A range of one address (`168.63.129.16/32`) is that address: decided as it is.
    ip = singleAddress(destination.cidrs);
    if (ip === null) {
      // A wider range is decided here only when all of it is multicast; otherwise routing decides its parts.
      if (destination.cidrs.length > 0 && destination.cidrs.every(insideMulticastV4)) {
        return { kind: 'blocked', what: 'multicast', words: `${destination.text} is multicast address space (224.0.0.0/4)` };
      }
      return null;
    }
  } else {
    ip = destinationAddress(destination);
  }
  if (ip === null) return null;
  const address = ip;
  // Words only for the rare destination decided here (this runs for every source of a resolve).
  const shown = (): string => (destination.kind === 'name' ? `${destination.name} resolves to ${formatIp(address)}, which` : formatIp(address));
  switch (specialAddress(ip)) {
    case 'instance-metadata': return { kind: 'host', service: 'instance-metadata', address: IMDS_ADDRESS, nsgTags: ['AzurePlatformIMDS'] };
    case 'wireserver': return { kind: 'host', service: 'wireserver', address: WIRESERVER_ADDRESS, nsgTags: port === DNS_PORT ? ['AzurePlatformDNS'] : [] };
    case 'multicast':
      return { kind: 'blocked', what: 'multicast', words: `${shown()} is ${ip.version === 4 ? 'a multicast address (224.0.0.0/4)' : 'an IPv6 multicast address (ff00::/8)'}` };
    case 'limited-broadcast': return { kind: 'blocked', what: 'broadcast', words: `${shown()} is the limited broadcast address` };
    case null: break;
  }
  if (ip.version === 4 && subnetBroadcast(ip)) return { kind: 'blocked', what: 'broadcast', words: `${shown()} is the broadcast address of a subnet of this or a peered virtual network` };
  return null;
}


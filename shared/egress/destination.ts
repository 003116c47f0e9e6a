/**
 * The destination being evaluated, and the source address matched by NSG and firewall rules.
 */
import { cidrContainsCidr, cidrContainsIp, parseCidr } from '../model/ip';
import type { Cidr, IpAddress } from '../model/ip';
import type { RouteDestination } from '../routing/lpm';

export type EgressDestination =
  | { readonly kind: 'default-route' }
  | { readonly kind: 'address'; readonly ip: IpAddress; readonly text: string };

export interface TrafficSpec {
  readonly destination: EgressDestination;
  readonly port: number;
  readonly protocol: 'Tcp' | 'Udp';
}

export function toRouteDestination(destination: EgressDestination): RouteDestination {
  return destination.kind === 'default-route' ? { kind: 'default-route' } : { kind: 'address', ip: destination.ip };
}

export function describeDestination(destination: EgressDestination): string {
  return destination.kind === 'default-route' ? 'the internet (0.0.0.0/0)' : destination.text;
}

/** The original source of the traffic: a NIC's private IP or a subnet's prefixes (for the subnet entry). */
export interface SourceAddress {
  readonly cidrs: readonly Cidr[];
}

/**
 * Whether a rule's address entry (`*`, CIDR, IP, service tag) covers the public destination.
 * For the default route only entries that cover the whole internet count; a rule on 20.0.0.0/8
 * does not decide "the internet" [NSG][FWRULES].
 */
export function addressCoversDestination(entry: string, destination: EgressDestination): boolean {
  const e = entry.trim();
  const lower = e.toLowerCase();
  if (lower === '*' || lower === 'any' || lower === 'internet') return true;
  const cidr = parseCidr(e);
  if (!cidr) return false;
  if (destination.kind === 'default-route') return cidr.prefixLength === 0;
  return cidrContainsIp(cidr, destination.ip);
}

/** Whether a rule's source entry covers the source. `VirtualNetwork` covers any private source in a VNet. */
export function addressCoversSource(entry: string, source: SourceAddress): boolean {
  const lower = entry.trim().toLowerCase();
  if (lower === '*' || lower === 'any' || lower === 'virtualnetwork') return true;
  const cidr = parseCidr(entry);
  if (!cidr || source.cidrs.length === 0) return false;
  return source.cidrs.every((s) => cidrContainsCidr(cidr, s));
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

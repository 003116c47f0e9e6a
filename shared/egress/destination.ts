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
      case 'cidr': return destination.kind === 'default-route' ? e.cidr.prefixLength === 0 : cidrContainsIp(e.cidr, destination.ip);
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

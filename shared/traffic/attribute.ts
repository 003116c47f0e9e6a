/**
 * Which subnet / NIC sent a record: by private IP, as the snapshot knows it. Every IP
 * configuration of every NIC (secondary configurations too: a VM with several IPs sends from any
 * of them), then the longest subnet prefix that holds the address. Pure; built once per model.
 */
import { cidrContainsIp, isPublicIp, parseCidr, parseIp } from '../model/ip';
import type { Cidr } from '../model/ip';
import type { NetworkInterface, NetworkModel, Subnet } from '../model/topology';

export type Attribution =
  | { readonly kind: 'nic'; readonly nic: NetworkInterface; readonly subnet: Subnet }
  | { readonly kind: 'subnet'; readonly subnet: Subnet }
  | { readonly kind: 'unattributed'; readonly reason: 'public' | 'unknown-private' };

export interface AttributionIndex {
  readonly attribute: (ip: string) => Attribution;
  /** Private IPs held by more than one NIC (overlapping address spaces): attributed to the first by ID, listed as a gap. */
  readonly ambiguous: ReadonlyMap<string, readonly string[]>;
}

/** Canonical text of an address, so `10.0.0.04`-style variants and IPv6 spellings meet. */
function canonical(ip: string): string {
  return ip.trim().toLowerCase();
}

export function buildAttributionIndex(model: NetworkModel): AttributionIndex {
  const subnetsById = new Map<string, Subnet>(model.subnets.map((s) => [s.id, s]));
  const prefixes: { readonly cidr: Cidr; readonly subnet: Subnet }[] = [];
  for (const subnet of model.subnets) {
    for (const prefix of subnet.addressPrefixes) {
      const cidr = parseCidr(prefix);
      if (cidr) prefixes.push({ cidr, subnet });
    }
  }
  // Longest prefix first: the first containing prefix is the most specific.
  prefixes.sort((a, b) => b.cidr.prefixLength - a.cidr.prefixLength || (a.subnet.id < b.subnet.id ? -1 : 1));
  const bySubnetPrefix = (ip: string): Subnet | null => {
    const address = parseIp(ip);
    if (!address) return null;
    for (const p of prefixes) if (cidrContainsIp(p.cidr, address)) return p.subnet;
    return null;
  };

  const nicIps = new Map<string, { readonly nic: NetworkInterface; readonly subnet: Subnet | null }>();
  const ambiguous = new Map<string, string[]>();
  const nics = [...model.networkInterfaces].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const nic of nics) {
    for (const config of nic.ipConfigurations) {
      if (!config.privateIpAddress) continue;
      const ip = canonical(config.privateIpAddress);
      const held = nicIps.get(ip);
      if (held) {
        if (held.nic.id !== nic.id) ambiguous.set(ip, [...(ambiguous.get(ip) ?? [held.nic.id]), nic.id]);
        continue;
      }
      const subnet = (config.subnetId ? subnetsById.get(config.subnetId) : undefined) ?? bySubnetPrefix(ip);
      nicIps.set(ip, { nic, subnet });
    }
  }

  // Logs repeat a few thousand sources millions of times: one answer per address.
  const cache = new Map<string, Attribution>();
  const attribute = (raw: string): Attribution => {
    const ip = canonical(raw);
    const cached = cache.get(ip);
    if (cached) return cached;
    let answer: Attribution;
    const nic = nicIps.get(ip);
    if (nic?.subnet) answer = { kind: 'nic', nic: nic.nic, subnet: nic.subnet };
    else {
      const subnet = bySubnetPrefix(ip);
      const address = parseIp(ip);
      answer = subnet ? { kind: 'subnet', subnet } : { kind: 'unattributed', reason: address && isPublicIp(address) ? 'public' : 'unknown-private' };
    }
    cache.set(ip, answer);
    return answer;
  };
  return { attribute, ambiguous };
}

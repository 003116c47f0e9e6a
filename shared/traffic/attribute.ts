/**
 * Which subnet / NIC sent a record: by private IP, as the snapshot knows it. Every IP
 * configuration of every NIC (secondary configurations too: a VM with several IPs sends from any
 * of them), then the longest subnet prefix that holds the address. Pure; built once per model.
 */
import { cidrContainsIp, formatIp, isPublicIp, parseCidr, parseIp } from '../model/ip';
import type { Cidr } from '../model/ip';
import type { NetworkInterface, NetworkModel, Subnet } from '../model/topology';

export type Attribution =
  | { readonly kind: 'nic'; readonly nic: NetworkInterface; readonly subnet: Subnet }
  | { readonly kind: 'subnet'; readonly subnet: Subnet }
  | { readonly kind: 'unattributed'; readonly reason: 'public' | 'unknown-private' };

export interface AttributionIndex {
  readonly attribute: (ip: string) => Attribution;
  /**
   * By the names a Traffic Analytics row gives when its SrcIp is blank: SrcNIC
   * (`<resourcegroup>/<nic>`, or a NIC resource ID), else SrcSubnet (`<resourcegroup>/<vnet>/<subnet>`,
   * or a subnet resource ID), traffic-analytics-schema.md. Null when the snapshot holds neither.
   * Names compare case-insensitively (ARM names are); a name two subscriptions both hold is
   * attributed to the first by ID, as an IP two NICs hold is.
   */
  readonly attributeByName: (nic: string | null, subnet: string | null) => Attribution | null;
  /** Private IPs held by more than one NIC (overlapping address spaces): attributed to the first by ID, listed as a gap. */
  readonly ambiguous: ReadonlyMap<string, readonly string[]>;
  /**
   * Addresses no NIC holds that the prefixes of more than one subnet contain (VNets with overlapping
   * address spaces, e.g. two copies of one landing-zone template): subnet IDs, the one attributed
   * first. Filled as addresses are attributed (a log names them, the model does not), so read it
   * after the records were added. Bounded by the distinct source addresses, as the answer cache is.
   */
  readonly ambiguousSubnets: ReadonlyMap<string, readonly string[]>;
}

/**
 * Canonical text of an address, so the spellings of one address meet: IPv6 in its RFC 5952 form
 * (`fd00:db8:0:1:0:0:0:4` and `fd00:db8:0:1::4` are one address, RFC 4291 §2.2), IPv4 dotted
 * decimal. An IPv4-mapped IPv6 address `::ffff:a.b.c.d` is the IPv4 node a.b.c.d (RFC 4291
 * §2.5.5.2; dual-stack sockets report IPv4 peers so): it becomes `a.b.c.d`. Text that is not an
 * address is only trimmed and lower-cased.
 */
export function canonicalIp(ip: string): string {
  const text = ip.trim().toLowerCase();
  const parsed = parseIp(text);
  if (parsed === null) return text;
  if (parsed.version === 6 && parsed.value >> 32n === 0xffffn) return formatIp({ version: 4, value: Number(parsed.value & 0xffffffffn) });
  return formatIp(parsed);
}

/** `<resourcegroup>/<name>...` of a resource ID (`/subscriptions/s/resourceGroups/rg/providers/p/t/name/...`), or the text itself, lower case. */
function rgName(text: string): string {
  const t = text.trim().toLowerCase();
  const m = /\/resourcegroups\/([^/]+)\/providers\/microsoft\.network\/(?:networkinterfaces|virtualnetworks)\/(.+)$/.exec(t);
  return m ? `${m[1] ?? ''}/${(m[2] ?? '').replace('/subnets/', '/')}` : t;
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
  /**
   * Every subnet whose prefixes hold the address, most specific first. Subnets of one VNet never
   * overlap (Azure refuses it), so more than one means VNets with overlapping address spaces: the
   * address alone does not say which sent the traffic, whatever the prefix lengths.
   */
  const subnetsHolding = (ip: string): readonly Subnet[] => {
    const address = parseIp(ip);
    if (!address) return [];
    const found: Subnet[] = [];
    for (const p of prefixes) if (cidrContainsIp(p.cidr, address) && !found.includes(p.subnet)) found.push(p.subnet);
    return found;
  };
  const bySubnetPrefix = (ip: string): Subnet | null => subnetsHolding(ip)[0] ?? null;

  const nicIps = new Map<string, { readonly nic: NetworkInterface; readonly subnet: Subnet | null }>();
  const ambiguous = new Map<string, string[]>();
  const nics = [...model.networkInterfaces].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const nic of nics) {
    for (const config of nic.ipConfigurations) {
      if (!config.privateIpAddress) continue;
      const ip = canonicalIp(config.privateIpAddress);
      const held = nicIps.get(ip);
      if (held) {
        if (held.nic.id !== nic.id) ambiguous.set(ip, [...(ambiguous.get(ip) ?? [held.nic.id]), nic.id]);
        continue;
      }
      const subnet = (config.subnetId ? subnetsById.get(config.subnetId) : undefined) ?? bySubnetPrefix(ip);
      nicIps.set(ip, { nic, subnet });
    }
  }

  const nicsByName = new Map<string, { readonly nic: NetworkInterface; readonly subnet: Subnet | null }>();
  for (const nic of nics) {
    const key = rgName(nic.id);
    const subnetId = nic.ipConfigurations.find((c) => c.subnetId)?.subnetId;
    if (!nicsByName.has(key)) nicsByName.set(key, { nic, subnet: subnetId ? subnetsById.get(subnetId) ?? null : null });
  }
  const subnetsByName = new Map<string, Subnet>();
  for (const subnet of [...model.subnets].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const key = rgName(subnet.id);
    if (!subnetsByName.has(key)) subnetsByName.set(key, subnet);
  }
  const attributeByName = (nicName: string | null, subnetName: string | null): Attribution | null => {
    const nic = nicName === null ? undefined : nicsByName.get(rgName(nicName));
    const subnet = subnetName === null ? undefined : subnetsByName.get(rgName(subnetName));
    if (nic) {
      const held = nic.subnet ?? subnet;
      if (held) return { kind: 'nic', nic: nic.nic, subnet: held };
    }
    return subnet ? { kind: 'subnet', subnet } : null;
  };

  // Logs repeat a few thousand sources millions of times: one answer per address.
  const cache = new Map<string, Attribution>();
  const ambiguousSubnets = new Map<string, readonly string[]>();
  const attribute = (raw: string): Attribution => {
    // The raw text first: logs repeat one spelling millions of times, and parsing each is the cost.
    const seen = cache.get(raw);
    if (seen) return seen;
    const ip = canonicalIp(raw);
    const cached = cache.get(ip);
    if (cached) {
      cache.set(raw, cached);
      return cached;
    }
    let answer: Attribution;
    const nic = nicIps.get(ip);
    if (nic?.subnet) answer = { kind: 'nic', nic: nic.nic, subnet: nic.subnet };
    else {
      const holding = subnetsHolding(ip);
      const subnet = holding[0];
      // As for an IP two NICs hold: attributed to one (the most specific, then by ID) and listed as a gap.
      if (holding.length > 1) ambiguousSubnets.set(ip, holding.map((s) => s.id));
      const address = parseIp(ip);
      answer = subnet ? { kind: 'subnet', subnet } : { kind: 'unattributed', reason: address && isPublicIp(address) ? 'public' : 'unknown-private' };
    }
    cache.set(ip, answer);
    cache.set(raw, answer);
    return answer;
  };
  return { attribute, attributeByName, ambiguous, ambiguousSubnets };
}

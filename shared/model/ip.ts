/**
 * IPv4 / IPv6 addresses and CIDR prefixes. IPv4 values are unsigned 32-bit numbers (fast path for
 * route lookups at estate scale); IPv6 values are bigints.
 */
export type IpVersion = 4 | 6;

export interface Ipv4Address { readonly version: 4; readonly value: number }
export interface Ipv6Address { readonly version: 6; readonly value: bigint }
export type IpAddress = Ipv4Address | Ipv6Address;

export interface Ipv4Cidr { readonly version: 4; readonly network: number; readonly prefixLength: number }
export interface Ipv6Cidr { readonly version: 6; readonly network: bigint; readonly prefixLength: number }
export type Cidr = Ipv4Cidr | Ipv6Cidr;

const IPV4_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function parseIpv4(text: string): Ipv4Address | null {
  const m = IPV4_RE.exec(text.trim());
  if (!m) return null;
  let value = 0;
  for (let i = 1; i <= 4; i++) {
    const octet = Number(m[i]);
    if (octet > 255) return null;
    value = value * 256 + octet;
  }
  return { version: 4, value };
}

export function parseIpv6(text: string): Ipv6Address | null {
  let s = text.trim().toLowerCase();
  if (s.length === 0 || s.includes('%')) return null;
  // Embedded IPv4 tail (::ffff:1.2.3.4)
  const lastColon = s.lastIndexOf(':');
  if (lastColon >= 0 && s.slice(lastColon + 1).includes('.')) {
    const v4 = parseIpv4(s.slice(lastColon + 1));
    if (!v4) return null;
    s = `${s.slice(0, lastColon + 1)}${(v4.value >>> 16).toString(16)}:${(v4.value & 0xffff).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let value = 0n;
  for (const g of groups) {
    if (!/^[0-9a-f]{1,4}$/.test(g)) return null;
    value = (value << 16n) | BigInt(parseInt(g, 16));
  }
  return { version: 6, value };
}

export function parseIp(text: string): IpAddress | null {
  return text.includes(':') ? parseIpv6(text) : parseIpv4(text);
}

/** Parses `a.b.c.d/n`, `x::/n`, or a bare address (as /32 or /128). Host bits are cleared. */
export function parseCidr(text: string): Cidr | null {
  const [addrText, lenText, extra] = text.trim().split('/');
  if (addrText === undefined || extra !== undefined) return null;
  const addr = parseIp(addrText);
  if (!addr) return null;
  const max = addr.version === 4 ? 32 : 128;
  const prefixLength = lenText === undefined ? max : Number(lenText);
  if (!Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > max || (lenText !== undefined && !/^\d+$/.test(lenText))) return null;
  if (addr.version === 4) {
    return { version: 4, network: maskIpv4(addr.value, prefixLength), prefixLength };
  }
  return { version: 6, network: maskIpv6(addr.value, prefixLength), prefixLength };
}

/** An inclusive IPv4 address range, `start` <= `end`. */
export interface Ipv4Range { readonly start: Ipv4Address; readonly end: Ipv4Address }

/**
 * `a.b.c.d-e.f.g.h`, the range form Azure Firewall rules and IP Groups accept (e.g.
 * `10.2.0.0-10.2.0.31`) https://learn.microsoft.com/azure/firewall/ip-groups. Null for anything
 * else, or when the start is above the end.
 */
export function parseIpv4Range(text: string): Ipv4Range | null {
  const parts = text.trim().split('-');
  if (parts.length !== 2) return null;
  const start = parseIpv4(parts[0] ?? '');
  const end = parseIpv4(parts[1] ?? '');
  if (!start || !end || start.value > end.value) return null;
  return { start, end };
}

function maskIpv4(value: number, prefixLength: number): number {
  if (prefixLength === 0) return 0;
  const mask = (0xffffffff << (32 - prefixLength)) >>> 0;
  return (value & mask) >>> 0;
}

function maskIpv6(value: bigint, prefixLength: number): bigint {
  if (prefixLength === 0) return 0n;
  const hostBits = BigInt(128 - prefixLength);
  return (value >> hostBits) << hostBits;
}

export function cidrContainsIp(cidr: Cidr, ip: IpAddress): boolean {
  if (cidr.version === 4 && ip.version === 4) return maskIpv4(ip.value, cidr.prefixLength) === cidr.network;
  if (cidr.version === 6 && ip.version === 6) return maskIpv6(ip.value, cidr.prefixLength) === cidr.network;
  return false;
}

/** True when `inner` lies entirely inside `outer` (equal prefixes count). */
export function cidrContainsCidr(outer: Cidr, inner: Cidr): boolean {
  if (outer.prefixLength > inner.prefixLength) return false;
  if (outer.version === 4 && inner.version === 4) return maskIpv4(inner.network, outer.prefixLength) === outer.network;
  if (outer.version === 6 && inner.version === 6) return maskIpv6(inner.network, outer.prefixLength) === outer.network;
  return false;
}

export function cidrEquals(a: Cidr, b: Cidr): boolean {
  return a.version === b.version && a.prefixLength === b.prefixLength && a.network === b.network;
}

export function formatIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

export function formatIpv6(value: bigint): string {
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((value >> BigInt(i * 16)) & 0xffffn).toString(16));
  // Compress the longest run of zero groups (RFC 5952).
  let bestStart = -1, bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  if (bestStart < 0) return groups.join(':');
  return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLen).join(':')}`;
}

export function formatIp(ip: IpAddress): string {
  return ip.version === 4 ? formatIpv4(ip.value) : formatIpv6(ip.value);
}

export function formatCidr(cidr: Cidr): string {
  return `${cidr.version === 4 ? formatIpv4(cidr.network) : formatIpv6(cidr.network)}/${cidr.prefixLength}`;
}

/** RFC 1918 private address space. */
export const RFC1918_CIDRS: readonly string[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

/** RFC 1918, RFC 6598 (shared address space) and other non-internet IPv4 space. */
export const NON_PUBLIC_IPV4_CIDRS: readonly string[] = [...RFC1918_CIDRS, '100.64.0.0/10', '127.0.0.0/8',
  '169.254.0.0/16', '0.0.0.0/8', '224.0.0.0/4', '240.0.0.0/4'];
const NON_PUBLIC_V4 = NON_PUBLIC_IPV4_CIDRS.map((c) => parseCidr(c) as Cidr);

/** Whether an address is publicly routable (an internet destination). */
export function isPublicIp(ip: IpAddress): boolean {
  if (ip.version === 4) return !NON_PUBLIC_V4.some((c) => cidrContainsIp(c, ip));
  // Global unicast 2000::/3 only.
  return ip.value >> 125n === 1n;
}

/**
 * An immutable set of IPv4 addresses, stored as sorted, disjoint, non-adjacent closed intervals of
 * unsigned 32-bit numbers (0 .. 2^32-1). Used where a question is about a *range* of destinations
 * rather than one address — e.g. "which part of the internet does this NSG allow?", where rules
 * like deny 0.0.0.0/1 + deny 128.0.0.0/1 together cover everything and a single-address lookup
 * would miss it.
 *
 * Every operation returns a new set; instances are frozen.
 */
import { formatIpv4, parseCidr, parseIpv4, type Cidr } from './ip';

const MAX = 0xffffffff;

/** A closed interval [start, end] of IPv4 numbers, start <= end. */
export interface Ipv4Interval { readonly start: number; readonly end: number }

export class Ipv4Set {
  /** Sorted, disjoint, non-adjacent intervals. */
  readonly intervals: readonly Ipv4Interval[];

  private constructor(intervals: readonly Ipv4Interval[]) {
    this.intervals = Object.freeze(intervals.map((i) => Object.freeze({ start: i.start, end: i.end })));
    Object.freeze(this);
  }

  /** Builds a set from arbitrary (possibly overlapping, unsorted) intervals. */
  static fromIntervals(intervals: readonly Ipv4Interval[]): Ipv4Set {
    return new Ipv4Set(normalize(intervals));
  }

  static empty(): Ipv4Set { return EMPTY; }

  /** 0.0.0.0/0 — every IPv4 address. */
  static all(): Ipv4Set { return ALL; }

  /**
   * The addresses of an IPv4 CIDR (or bare address, as /32). Throws on unparsable text or IPv6 —
   * callers that handle untrusted input should use {@link Ipv4Set.tryFromCidr}.
   */
  static fromCidr(cidr: Cidr | string): Ipv4Set {
    const set = Ipv4Set.tryFromCidr(cidr);
    if (!set) throw new Error(`Not an IPv4 CIDR: ${typeof cidr === 'string' ? cidr : `${String(cidr.network)}/${cidr.prefixLength}`}`);
    return set;
  }

  /** Like {@link Ipv4Set.fromCidr} but returns null for unparsable text or IPv6. */
  static tryFromCidr(cidr: Cidr | string): Ipv4Set | null {
    const parsed = typeof cidr === 'string' ? parseCidr(cidr) : cidr;
    if (!parsed || parsed.version !== 4) return null;
    const size = 2 ** (32 - parsed.prefixLength);
    return new Ipv4Set([{ start: parsed.network, end: parsed.network + size - 1 }]);
  }

  /**
   * An inclusive range. Accepts numbers or dotted-quad text. Throws when an end is invalid or
   * start > end.
   */
  static fromRange(start: number | string, end: number | string): Ipv4Set {
    const set = Ipv4Set.tryFromRange(start, end);
    if (!set) throw new Error(`Not an IPv4 range: ${String(start)}-${String(end)}`);
    return set;
  }

  /** Like {@link Ipv4Set.fromRange} but returns null for invalid input. Also parses "a.b.c.d-e.f.g.h". */
  static tryFromRange(start: number | string, end?: number | string): Ipv4Set | null {
    if (end === undefined) {
      if (typeof start !== 'string') return null;
      const parts = start.split('-');
      if (parts.length !== 2) return null;
      return Ipv4Set.tryFromRange(parts[0] ?? '', parts[1] ?? '');
    }
    const s = toNumber(start);
    const e = toNumber(end);
    if (s === null || e === null || s > e) return null;
    return new Ipv4Set([{ start: s, end: e }]);
  }

  isEmpty(): boolean { return this.intervals.length === 0; }

  /** Whether the set is the whole IPv4 space (0.0.0.0/0). */
  coversAll(): boolean {
    const first = this.intervals[0];
    return this.intervals.length === 1 && first !== undefined && first.start === 0 && first.end === MAX;
  }

  /** Number of addresses in the set. */
  size(): number {
    return this.intervals.reduce((n, i) => n + (i.end - i.start + 1), 0);
  }

  contains(address: number | string): boolean {
    const v = toNumber(address);
    if (v === null) return false;
    return this.intervals.some((i) => i.start <= v && v <= i.end);
  }

  /** Whether every address of `other` is in this set. */
  containsSet(other: Ipv4Set): boolean { return other.subtract(this).isEmpty(); }

  /** Whether the sets share at least one address. */
  overlaps(other: Ipv4Set): boolean { return !this.intersect(other).isEmpty(); }

  union(other: Ipv4Set): Ipv4Set {
    if (other.isEmpty()) return this;
    if (this.isEmpty()) return other;
    return new Ipv4Set(normalize([...this.intervals, ...other.intervals]));
  }

  intersect(other: Ipv4Set): Ipv4Set {
    const out: Ipv4Interval[] = [];
    let i = 0, j = 0;
    const a = this.intervals, b = other.intervals;
    while (i < a.length && j < b.length) {
      const x = a[i] as Ipv4Interval, y = b[j] as Ipv4Interval;
      const start = Math.max(x.start, y.start);
      const end = Math.min(x.end, y.end);
      if (start <= end) out.push({ start, end });
      if (x.end < y.end) i++; else j++;
    }
    return new Ipv4Set(out);
  }

  subtract(other: Ipv4Set): Ipv4Set {
    return this.intersect(other.complement());
  }

  /** Every IPv4 address not in this set. */
  complement(): Ipv4Set {
    const out: Ipv4Interval[] = [];
    let next = 0;
    for (const i of this.intervals) {
      if (i.start > next) out.push({ start: next, end: i.start - 1 });
      next = i.end + 1;
    }
    if (next <= MAX) out.push({ start: next, end: MAX });
    return new Ipv4Set(out);
  }

  equals(other: Ipv4Set): boolean {
    if (this.intervals.length !== other.intervals.length) return false;
    return this.intervals.every((x, k) => {
      const y = other.intervals[k] as Ipv4Interval;
      return x.start === y.start && x.end === y.end;
    });
  }

  /** The minimal list of CIDR blocks covering exactly this set, sorted by address. */
  toCidrs(): string[] {
    const out: string[] = [];
    for (const { start, end } of this.intervals) {
      let cur = start;
      while (cur <= end) {
        // Largest block aligned at `cur` that still fits in [cur, end].
        let len = 32;
        while (len > 0) {
          const size = 2 ** (33 - len);
          if (cur % size !== 0 || cur + size - 1 > end) break;
          len--;
        }
        out.push(`${formatIpv4(cur)}/${len}`);
        cur += 2 ** (32 - len);
      }
    }
    return out;
  }

  toString(): string {
    return this.isEmpty() ? '∅' : this.toCidrs().join(', ');
  }
}

function toNumber(v: number | string): number | null {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v <= MAX ? v : null;
  return parseIpv4(v)?.value ?? null;
}

function normalize(intervals: readonly Ipv4Interval[]): Ipv4Interval[] {
  const sorted = intervals
    .filter((i) => Number.isInteger(i.start) && Number.isInteger(i.end) && i.start <= i.end && i.start >= 0 && i.end <= MAX)
    .map((i) => ({ start: i.start, end: i.end }))
    .sort((x, y) => x.start - y.start);
  const out: Ipv4Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    // Merge overlapping and adjacent intervals so equality is structural.
    if (last && i.start <= last.end + 1) out[out.length - 1] = { start: last.start, end: Math.max(last.end, i.end) };
    else out.push(i);
  }
  return out;
}

const EMPTY = Ipv4Set.fromIntervals([]);
const ALL = Ipv4Set.fromIntervals([{ start: 0, end: MAX }]);

/** Functional aliases, for callers that prefer them to the static methods. */
export const fromCidr = (cidr: Cidr | string): Ipv4Set => Ipv4Set.fromCidr(cidr);
export const fromRange = (start: number | string, end: number | string): Ipv4Set => Ipv4Set.fromRange(start, end);
export const emptySet = (): Ipv4Set => Ipv4Set.empty();
export const allIpv4 = (): Ipv4Set => Ipv4Set.all();

/**
 * Non-internet IPv4 space: RFC 1918, RFC 6598 shared space, loopback, link-local, "this network",
 * multicast and reserved — the same list `isPublicIp` (ip.ts) uses; a test keeps them in step.
 */
const NON_PUBLIC_IPV4 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '127.0.0.0/8',
  '169.254.0.0/16', '0.0.0.0/8', '224.0.0.0/4', '240.0.0.0/4'];

const PUBLIC_IPV4 = NON_PUBLIC_IPV4.reduce((acc, c) => acc.subtract(Ipv4Set.fromCidr(c)), Ipv4Set.all());

/** The publicly routable IPv4 space: what "the internet" (the default route's destinations) means. */
export const publicIpv4 = (): Ipv4Set => PUBLIC_IPV4;

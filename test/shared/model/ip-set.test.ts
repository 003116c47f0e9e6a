import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPublicIp, parseCidr, parseIp, type IpAddress } from '../../../shared/model/ip';
import { Ipv4Set, fromCidr, fromRange, publicIpv4 } from '../../../shared/model/ip-set';

describe('Ipv4Set', () => {
  it('builds from CIDRs, bare addresses, parsed Cidr values and ranges', () => {
    expect(fromCidr('10.0.0.0/8').toCidrs()).toEqual(['10.0.0.0/8']);
    expect(fromCidr('10.1.2.3').toCidrs()).toEqual(['10.1.2.3/32']);
    expect(fromCidr('10.1.2.3/24').toCidrs()).toEqual(['10.1.2.0/24']); // host bits cleared
    const parsed = parseCidr('192.168.0.0/16');
    if (!parsed) throw new Error('parse');
    expect(Ipv4Set.fromCidr(parsed).toCidrs()).toEqual(['192.168.0.0/16']);
    expect(fromRange('10.0.0.0', '10.0.0.255').toCidrs()).toEqual(['10.0.0.0/24']);
    expect(fromRange('10.0.0.1', '10.0.0.6').toCidrs()).toEqual(['10.0.0.1/32', '10.0.0.2/31', '10.0.0.4/31', '10.0.0.6/32']);
    expect(Ipv4Set.tryFromRange('10.0.0.0-10.0.0.3')?.toCidrs()).toEqual(['10.0.0.0/30']);
    expect(Ipv4Set.tryFromCidr('2001:db8::/32')).toBeNull();
    expect(Ipv4Set.tryFromCidr('nonsense')).toBeNull();
    expect(Ipv4Set.tryFromRange('10.0.0.9', '10.0.0.1')).toBeNull();
    expect(() => fromCidr('x')).toThrow();
  });

  it('all() is 0.0.0.0/0 and empty() is empty', () => {
    expect(Ipv4Set.all().coversAll()).toBe(true);
    expect(Ipv4Set.all().toCidrs()).toEqual(['0.0.0.0/0']);
    expect(fromCidr('0.0.0.0/0').equals(Ipv4Set.all())).toBe(true);
    expect(Ipv4Set.empty().isEmpty()).toBe(true);
    expect(Ipv4Set.empty().toCidrs()).toEqual([]);
  });

  it('two halves cover everything (deny 0.0.0.0/1 + deny 128.0.0.0/1 = the default route)', () => {
    const halves = fromCidr('0.0.0.0/1').union(fromCidr('128.0.0.0/1'));
    expect(halves.coversAll()).toBe(true);
    expect(Ipv4Set.all().subtract(halves).isEmpty()).toBe(true);
  });

  it('subtracts, intersects and produces a minimal sorted CIDR cover', () => {
    const publicish = Ipv4Set.all().subtract(fromCidr('10.0.0.0/8'));
    expect(publicish.toCidrs()).toEqual([
      '0.0.0.0/5', '8.0.0.0/7', '11.0.0.0/8', '12.0.0.0/6', '16.0.0.0/4', '32.0.0.0/3', '64.0.0.0/2', '128.0.0.0/1',
    ]);
    expect(publicish.contains('10.1.2.3')).toBe(false);
    expect(publicish.contains('8.8.8.8')).toBe(true);
    expect(fromCidr('10.0.0.0/8').intersect(fromCidr('10.1.0.0/16')).toCidrs()).toEqual(['10.1.0.0/16']);
    expect(fromCidr('10.0.0.0/24').union(fromCidr('10.0.1.0/24')).toCidrs()).toEqual(['10.0.0.0/23']); // adjacent merge
    expect(fromCidr('10.0.0.0/8').intersect(fromCidr('11.0.0.0/8')).isEmpty()).toBe(true);
    expect(fromCidr('255.255.255.255/32').toCidrs()).toEqual(['255.255.255.255/32']);
  });

  it('is immutable', () => {
    const s = fromCidr('10.0.0.0/8');
    expect(Object.isFrozen(s)).toBe(true);
    expect(Object.isFrozen(s.intervals)).toBe(true);
    s.union(fromCidr('11.0.0.0/8'));
    expect(s.toCidrs()).toEqual(['10.0.0.0/8']);
  });

  const arbCidr = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }))
    .map(([n, len]) => Ipv4Set.fromCidr({ version: 4, network: len === 0 ? 0 : ((n >>> (32 - len)) * 2 ** (32 - len)), prefixLength: len }));
  const arbSet = fc.array(arbCidr, { maxLength: 6 }).map((xs) => xs.reduce((acc, x) => acc.union(x), Ipv4Set.empty()));
  const arbAddr = fc.integer({ min: 0, max: 0xffffffff });

  it('property: set algebra agrees with per-address membership, and toCidrs round-trips', () => {
    fc.assert(fc.property(arbSet, arbSet, arbAddr, (a, b, x) => {
      expect(a.union(b).contains(x)).toBe(a.contains(x) || b.contains(x));
      expect(a.intersect(b).contains(x)).toBe(a.contains(x) && b.contains(x));
      expect(a.subtract(b).contains(x)).toBe(a.contains(x) && !b.contains(x));
      expect(a.union(b).equals(b.union(a))).toBe(true);
      expect(a.subtract(b).union(a.intersect(b)).equals(a)).toBe(true);
      const cidrs = a.toCidrs();
      expect(cidrs.map((c) => fromCidr(c)).reduce((acc, s) => acc.union(s), Ipv4Set.empty()).equals(a)).toBe(true);
      // Blocks are disjoint and sorted, hence the cover has no redundancy.
      expect(cidrs.map((c) => fromCidr(c).size()).reduce((n, k) => n + k, 0)).toBe(a.size());
    }), { numRuns: 300 });
  });

  it('property: every CIDR block in the cover is maximal (no two could merge into a larger aligned block)', () => {
    fc.assert(fc.property(arbSet, (a) => {
      const cidrs = a.toCidrs();
      for (let k = 0; k + 1 < cidrs.length; k++) {
        const x = parseCidr(cidrs[k] as string), y = parseCidr(cidrs[k + 1] as string);
        if (!x || !y || x.version !== 4 || y.version !== 4) throw new Error('parse');
        if (x.prefixLength === y.prefixLength && x.prefixLength > 0) {
          const parentSize = 2 ** (33 - x.prefixLength);
          const mergeable = x.network % parentSize === 0 && y.network === x.network + parentSize / 2;
          expect(mergeable).toBe(false);
        }
      }
    }), { numRuns: 300 });
  });
});

describe('publicIpv4', () => {
  it('agrees with isPublicIp (ip.ts) on every address', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), (x) => {
      expect(publicIpv4().contains(x)).toBe(isPublicIp({ version: 4, value: x }));
    }), { numRuns: 2000 });
    for (const edge of ['9.255.255.255', '10.0.0.0', '11.0.0.0', '100.63.255.255', '100.64.0.0', '100.128.0.0', '223.255.255.255', '224.0.0.0']) {
      expect(publicIpv4().contains(edge)).toBe(isPublicIp(parseIp(edge) as IpAddress));
    }
  });
});

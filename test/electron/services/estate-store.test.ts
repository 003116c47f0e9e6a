import { describe, expect, it } from 'vitest';
import { createEstateStore } from '../../../electron/services/estate-store';
import { fakeResolve, fakeSnapshot } from './fakes';

function counter() {
  let n = 0;
  return () => `estate-${++n}`;
}

describe('estate store', () => {
  it('forgets the least recently used estate beyond its bound', () => {
    const store = createEstateStore({ newId: counter(), maxEstates: 2 });
    const a = store.add('a', fakeSnapshot('a'));
    const b = store.add('b', fakeSnapshot('b'));
    store.get(a.summary.estateId); // a is now more recent than b
    store.add('c', fakeSnapshot('c'));
    expect(store.size).toBe(2);
    expect(store.get(a.summary.estateId)?.summary.title).toBe('a');
    expect(store.get(b.summary.estateId)).toBeUndefined();
  });

  it('caches resolve answers per destination and bounds the cache', () => {
    const store = createEstateStore({ newId: counter(), maxResolvesPerEstate: 2 });
    const { summary } = store.add('a', fakeSnapshot('a'));
    let computed = 0;
    const compute = (destination: string | null) => (snapshot: Parameters<typeof fakeResolve>[0]) => {
      computed += 1;
      return fakeResolve(snapshot, destination);
    };
    store.resolve(summary.estateId, null, compute(null));
    store.resolve(summary.estateId, null, compute(null));
    expect(computed).toBe(1);
    store.resolve(summary.estateId, '1.1.1.1', compute('1.1.1.1'));
    store.resolve(summary.estateId, '8.8.8.8', compute('8.8.8.8')); // evicts the default route answer
    store.resolve(summary.estateId, null, compute(null));
    expect(computed).toBe(4);
    expect(store.resolve('estate-unknown', null, compute(null))).toBeUndefined();
  });

  it('caches reach and matrix answers per estate, each map bounded on its own', () => {
    const store = createEstateStore({ newId: counter(), maxReachesPerEstate: 1, maxMatricesPerEstate: 1 });
    const { summary } = store.add('a', fakeSnapshot('a'));
    let reaches = 0;
    let matrices = 0;
    const reach = () => { reaches += 1; return { schema: 'egress-atlas/reach@1' as const, sources: [], gaps: [] }; };
    const matrix = () => { matrices += 1; return { schema: 'egress-atlas/matrix@1' as const, destinations: [], rows: [], gaps: [] }; };
    store.reach(summary.estateId, null, reach);
    store.reach(summary.estateId, null, reach);
    expect(reaches).toBe(1);
    store.reach(summary.estateId, 'subnet-a', reach); // evicts "every source"
    store.reach(summary.estateId, null, reach);
    expect(reaches).toBe(3);
    store.matrix(summary.estateId, 'a.example', matrix);
    store.matrix(summary.estateId, 'a.example', matrix);
    expect(matrices).toBe(1);
    expect(() => store.matrix(summary.estateId, 'bad', () => { throw new Error('bad list'); })).toThrow('bad list');
    store.matrix(summary.estateId, 'a.example', matrix); // a throw cached nothing and evicted nothing
    expect(matrices).toBe(1);
    expect(store.reach('estate-unknown', null, reach)).toBeUndefined();
    expect(store.matrix('estate-unknown', 'x', matrix)).toBeUndefined();
  });
});

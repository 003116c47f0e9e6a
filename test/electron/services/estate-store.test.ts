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
});

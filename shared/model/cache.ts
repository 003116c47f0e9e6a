/**
 * Two-level caches: what a resolve works out once per model index, subnet, pool or destination,
 * keyed by that object in a WeakMap (dropped with it) or a Map, then by a second key.
 */

/** A map of maps, keyed like a WeakMap or a Map; the inner map a Map or (innerWeakMap) a WeakMap. */
export interface NestedCache<O, I> {
  get(owner: O): I | undefined;
  set(owner: O, inner: I): unknown;
}

/** The inner map `caches` keeps for `owner`, made by `make` on first use. */
function inner<O, I>(caches: NestedCache<O, I>, owner: O, make: () => I): I {
  let map = caches.get(owner);
  if (!map) {
    map = make();
    caches.set(owner, map);
  }
  return map;
}

/** The inner Map `caches` keeps for `owner`, made on first use. */
export function innerMap<O, K, V>(caches: NestedCache<O, Map<K, V>>, owner: O): Map<K, V> {
  return inner(caches, owner, () => new Map<K, V>());
}

/** The inner WeakMap `caches` keeps for `owner` (a second key that is an object), made on first use. */
export function innerWeakMap<O, K extends object, V>(caches: NestedCache<O, WeakMap<K, V>>, owner: O): WeakMap<K, V> {
  return inner(caches, owner, () => new WeakMap<K, V>());
}

/** What `cache` holds for `key`, computed by `compute` on first use. */
export function cached<K, V>(cache: NestedCache<K, V>, key: K, compute: () => V): V {
  let value = cache.get(key);
  if (value === undefined) {
    value = compute();
    cache.set(key, value);
  }
  return value;
}

/**
 * Two-level caches: what a resolve works out once per model index, subnet, pool or destination,
 * keyed by that object in a WeakMap (dropped with it) or a Map, then by a second key.
 */

/** A map of maps, keyed like a WeakMap or a Map. */
export interface NestedCache<O, K, V> {
  get(owner: O): Map<K, V> | undefined;
  set(owner: O, map: Map<K, V>): unknown;
}

/** The inner map `caches` keeps for `owner`, made on first use. */
export function innerMap<O, K, V>(caches: NestedCache<O, K, V>, owner: O): Map<K, V> {
  let map = caches.get(owner);
  if (!map) {
    map = new Map<K, V>();
    caches.set(owner, map);
  }
  return map;
}

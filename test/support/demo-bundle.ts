/**
 * The demo estates' ARM bundles as tests mutate them: a fresh deep copy of a demo's one bundle
 * document, and its resources by name. Arbitrary JSON paths are changed in place (a value made
 * malformed, a resource or child deleted), so the copy is typed loosely: a typed walk would hide
 * each mutation behind casts.
 */
import { DEMO_ESTATES, type DemoEstate } from '../../shared/demo';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type MutableJson = any;

export type DemoName = 'bank' | 'manufacturer' | 'health' | 'training';

export function demoEstate(name: DemoName): DemoEstate {
  const found = DEMO_ESTATES.find((d) => d.name === name);
  if (found === undefined) throw new Error(`no demo ${name}`);
  return found;
}

/** A fresh copy of the demo's bundle document (`{ resources: [...] }`), to mutate. */
export function demoBundle(name: DemoName): MutableJson {
  return structuredClone(demoEstate(name).documents[0]?.json);
}

/** The bundle's top-level resource of that name (throws when there is none: a test must not pass on a typo). */
export function resourceNamed(json: MutableJson, name: string): MutableJson {
  const found = (json.resources as MutableJson[]).find((r) => r.name === name);
  if (found === undefined) throw new Error(`no resource ${name}`);
  return found;
}

/**
 * Whatever the input, normalizeArm either returns a model or throws an InputError: never a
 * TypeError from deep inside. Random JSON, and real bundles with one value swapped for junk.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm';
import { InputError } from '../../../shared/model/errors';
import { exampleBody, exampleNames, inputText } from './helpers';

function outcome(json: unknown): 'ok' | 'input-error' {
  try {
    normalizeArm([{ fileName: 'fuzz.json', json }]);
    return 'ok';
  } catch (error) {
    if (error instanceof InputError) return 'input-error';
    throw error;
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path to a value inside `json`. */
function paths(json: Json, prefix: readonly (string | number)[] = []): (readonly (string | number)[])[] {
  const here = [prefix];
  if (Array.isArray(json)) return [...here, ...json.flatMap((v, i) => paths(v, [...prefix, i]))];
  if (json !== null && typeof json === 'object') return [...here, ...Object.entries(json).flatMap(([k, v]) => paths(v, [...prefix, k]))];
  return here;
}

function replaceAt(json: Json, path: readonly (string | number)[], value: Json): Json {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  if (Array.isArray(json)) return json.map((v, i) => (i === head ? replaceAt(v, rest, value) : v));
  if (json !== null && typeof json === 'object') return { ...json, [head]: replaceAt(json[head as string] ?? null, rest, value) };
  return json;
}

const CORPUS: readonly Json[] = [
  JSON.parse(inputText('bundle-spoke.json')) as Json,
  JSON.parse(inputText('arm-list-firewall.json')) as Json,
  JSON.parse(inputText('az-vnet-list.json')) as Json,
  ...exampleNames().map((name) => exampleBody(name) as Json),
];

describe('normalizeArm never throws anything but InputError', () => {
  it('on arbitrary JSON', () => {
    fc.assert(fc.property(fc.jsonValue(), (json) => {
      expect(['ok', 'input-error']).toContain(outcome(json));
    }), { numRuns: 300 });
  });

  it('on real bundles with one value replaced by arbitrary JSON', () => {
    const cases = fc.integer({ min: 0, max: CORPUS.length - 1 }).chain((doc) => {
      const json = CORPUS[doc] ?? null;
      const all = paths(json);
      return fc.tuple(fc.constant(json), fc.constantFrom(...all), fc.jsonValue({ maxDepth: 2 }));
    });
    fc.assert(fc.property(cases, ([json, path, junk]) => {
      expect(['ok', 'input-error']).toContain(outcome(replaceAt(json, path, junk as Json)));
    }), { numRuns: 500 });
  });
});

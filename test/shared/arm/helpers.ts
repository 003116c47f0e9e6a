/**
 * Test helpers: Microsoft's ARM examples (response bodies) and a flattener that turns a REST-shaped
 * resource into what `az ... -o json` / the JS SDK print (every `properties` lifted one level,
 * recursively for sub-resources; az adds `resourceGroup`).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { normalizeArm } from '../../../shared/arm';
import { InputError } from '../../../shared/model/errors';
import type { Gap } from '../../../shared/model/gaps';

export const EXAMPLES_DIR = fileURLToPath(new URL('../../fixtures/arm-examples/', import.meta.url));
export const INPUTS_DIR = fileURLToPath(new URL('../../fixtures/inputs/', import.meta.url));

export function exampleNames(): string[] {
  return readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).sort();
}

/** `responses["200"].body`, else the 201 body (what a GET / the finished PUT returns). */
export function exampleBody(name: string): unknown {
  const example = JSON.parse(readFileSync(`${EXAMPLES_DIR}${name}.json`, 'utf8')) as {
    responses: Record<string, { body?: unknown } | undefined>;
  };
  const body = example.responses['200']?.body ?? example.responses['201']?.body;
  if (body === undefined) throw new Error(`${name} has no 200/201 body`);
  return body;
}

export function inputText(name: string): string {
  return readFileSync(`${INPUTS_DIR}${name}`, 'utf8');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** REST shape → flattened shape (SDK / az). */
export function flattenRest(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(flattenRest);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (key !== 'properties' && key !== 'tags') out[key] = flattenRest(v);
  if (value.tags !== undefined) out.tags = value.tags;
  if (isRecord(value.properties)) for (const [key, v] of Object.entries(value.properties)) out[key] = flattenRest(v);
  return out;
}

/** Like az: flattened, plus `resourceGroup` taken from the ID, on each top-level resource. */
export function asAzOutput(resource: unknown): unknown {
  const flat = flattenRest(resource);
  if (!isRecord(flat) || typeof flat.id !== 'string') return flat;
  const rg = /\/resourceGroups\/([^/]+)/i.exec(flat.id)?.[1];
  return { ...flat, resourceGroup: rg };
}

/** What normalizeArm said about a malformed input: a thrown InputError, or the first `skipped-input` gap. */
export interface Problem {
  readonly file: string;
  readonly path: string;
  readonly expected: string;
  readonly found: string | undefined;
  /** `file: path: expected …, found …`: the InputError message, thrown or carried by the gap. */
  readonly message: string;
  readonly how: 'thrown' | 'skipped';
}

/** Runs normalizeArm on one document and returns its complaint (the test fails when there is none). */
export function problemOf(json: unknown, fileName: string, options: { readonly skippable?: boolean } = {}): Problem {
  let gaps: readonly Gap[];
  try {
    gaps = normalizeArm([{ fileName, json, ...options }]).gaps;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return { file: error.file, path: error.path, expected: error.expected, found: error.found, message: error.message, how: 'thrown' };
  }
  const gap = gaps.find((g) => g.code === 'skipped-input');
  if (gap === undefined) throw new Error(`expected an InputError or a skipped-input gap, got gaps ${JSON.stringify(gaps)}`);
  // The gap message is the InputError message followed by ". This resource was left out…" (or similar).
  const message = gap.message.replace(/\. (This resource was left out|These effective routes were left out|The file was skipped)[^]*$/, '');
  const [file = '', path = ''] = message.split(': ', 2);
  const rest = message.slice(file.length + path.length + 4);
  const foundAt = rest.lastIndexOf(', found ');
  const expected = (foundAt < 0 ? rest : rest.slice(0, foundAt)).replace(/^expected /, '');
  return { file, path, expected, found: foundAt < 0 ? undefined : rest.slice(foundAt + 8), message, how: 'skipped' };
}

/**
 * Test helpers: Microsoft's ARM examples (response bodies) and a flattener that turns a REST-shaped
 * resource into what `az ... -o json` / the JS SDK print (every `properties` lifted one level,
 * recursively for sub-resources; az adds `resourceGroup`).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

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

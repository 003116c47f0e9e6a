/**
 * Reading untrusted ARM JSON with a JSON path at hand, so every complaint names the file, the path
 * and what was expected. A `JsonNode` is one JSON object in either shape: REST (fields under
 * `properties`, as ARM, `az rest` and Resource Graph return them) or flattened (`az ... -o json`,
 * the JS SDK). Readers look under `properties` first, then at the top level, so one normalizer
 * handles both shapes, and a bundle may mix them object by object.
 */
import { InputError } from '../model/errors';
import { parseCidr, parseIp } from '../model/ip';
import { nameFromResourceId, toResourceId, type ResourceId } from '../model/ids';

export type JsonRecord = Readonly<Record<string, unknown>>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * One JSON object of the input. Its JSON path is built only when an error needs it: a large
 * estate has millions of fields and almost never a bad one.
 */
export class JsonNode {
  /** The `properties` envelope of a REST-shaped object; null for a flattened one. */
  readonly props: JsonRecord | null;

  constructor(
    readonly file: string,
    readonly raw: JsonRecord,
    private readonly parent: JsonNode | string,
    /** Field name under the parent (already including `properties.` when it was there), or `''`. */
    private readonly key: string,
    /** Array index under `key`, or -1. */
    private readonly index: number,
  ) {
    // Get-AzResource -ExpandProperties (PowerShell) prints the envelope as `Properties`: read
    // as a flattened object, everything under it would be silently "not set".
    const props = raw.properties !== undefined ? raw.properties : raw.Properties;
    // `null` is how az resource list prints "properties not included" (normalize.ts handles it).
    // Anything else that is no object (`[]`, a string) is no envelope ARM writes: read as a
    // flattened object, every field would be silently "not set" and the resource all defaults.
    if (props !== undefined && props !== null && !isRecord(props)) fail(file, `${this.path}.${this.propsKey}`, 'a JSON object', props);
    this.props = isRecord(props) ? props : null;
  }

  /** The envelope's key as the input spells it (for error paths). */
  get propsKey(): string {
    return this.raw.properties !== undefined || this.raw.Properties === undefined ? 'properties' : 'Properties';
  }

  /** JSON path, e.g. `$.resources[3].properties.subnets[0]`. */
  get path(): string {
    const base = typeof this.parent === 'string' ? this.parent : this.parent.path;
    const withKey = this.key === '' ? base : `${base}.${this.key}`;
    return this.index < 0 ? withKey : `${withKey}[${this.index}]`;
  }
}

/** Short, single-line rendering of a bad value for error messages. */
export function describeFound(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function fail(file: string, path: string, expected: string, value: unknown): never {
  throw new InputError(file, path, expected, describeFound(value));
}

/** A root object (a document or a top-level resource) at a known path. */
export function toNode(file: string, path: string, value: unknown, expected = 'a JSON object'): JsonNode {
  if (!isRecord(value)) fail(file, path, expected, value);
  return new JsonNode(file, value, path, '', -1);
}

/**
 * Lower-cased lookup keys, computed once per distinct key: the readers ask for a few dozen
 * distinct field names, millions of times over a large estate.
 */
const LOWER_KEYS = new Map<string, string>();

/**
 * The key under which `obj` holds `key`, matched exactly or else case-insensitively; undefined
 * when absent (or null). Azure tools spell the same field differently: REST and the newer az
 * commands print `privateIPAddress`, the SDK-based az commands (`az network firewall ip-config
 * create`, …) print `privateIpAddress`, PowerShell prints `PrivateIpAddress` and `Id`. One rule
 * here instead of a patch per field. The exact spelling is tried first, so the common case costs
 * one property read; a miss scans the object's keys, comparing lengths before lower-casing.
 */
export function keyIn(obj: JsonRecord, key: string): string | undefined {
  const exact = obj[key];
  if (exact !== undefined && exact !== null) return key;
  // Looked up only when some key has the length: most misses (an absent optional field) never need it.
  let lower: string | undefined;
  for (const candidate in obj) {
    if (candidate.length !== key.length || candidate === key) continue;
    if (lower === undefined) {
      lower = LOWER_KEYS.get(key);
      if (lower === undefined) {
        lower = key.toLowerCase();
        LOWER_KEYS.set(key, lower);
      }
    }
    if (candidate.toLowerCase() !== lower) continue;
    const value = obj[candidate];
    if (value !== undefined && value !== null) return candidate;
  }
  return undefined;
}

/** `obj[key]` matched as `keyIn` matches it; null counts as absent. */
export function field(obj: JsonRecord, key: string): unknown {
  const found = keyIn(obj, key);
  return found === undefined ? undefined : obj[found];
}

/** `null` counts as absent: az prints unset fields as null. `properties` first, then the top level. */
function find(node: JsonNode, key: string): unknown {
  if (node.props !== null) {
    const fromProps = field(node.props, key);
    if (fromProps !== undefined) return fromProps;
  }
  return field(node.raw, key);
}

/** Where `key` was read from (or, when absent, where it belongs), as the input spells it: for error messages only. */
function keyOf(node: JsonNode, key: string): string {
  const inProps = node.props === null ? undefined : keyIn(node.props, key);
  if (inProps !== undefined) return `${node.propsKey}.${inProps}`;
  const atTop = keyIn(node.raw, key);
  if (atTop !== undefined) return atTop;
  return node.props !== null ? `${node.propsKey}.${key}` : key;
}

export function pathOf(node: JsonNode, key: string): string {
  return `${node.path}.${keyOf(node, key)}`;
}

function itemPath(node: JsonNode, key: string, index: number): string {
  return `${pathOf(node, key)}[${index}]`;
}

export function optString(node: JsonNode, key: string): string | undefined {
  const value = find(node, key);
  if (value === undefined || typeof value === 'string') return value;
  return fail(node.file, pathOf(node, key), 'a string', value);
}

export function optBool(node: JsonNode, key: string): boolean | undefined {
  const value = find(node, key);
  if (value === undefined || typeof value === 'boolean') return value;
  // Some exporters write booleans as strings; accept the two unambiguous spellings.
  if (value === 'true' || value === 'True') return true;
  if (value === 'false' || value === 'False') return false;
  return fail(node.file, pathOf(node, key), 'true or false', value);
}

export function optNumber(node: JsonNode, key: string): number | undefined {
  const value = find(node, key);
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value);
  return fail(node.file, pathOf(node, key), 'a number', value);
}

export function optObject(node: JsonNode, key: string): JsonNode | undefined {
  const value = find(node, key);
  if (value === undefined) return undefined;
  if (!isRecord(value)) fail(node.file, pathOf(node, key), 'a JSON object', value);
  return new JsonNode(node.file, value, node, keyOf(node, key), -1);
}

/** The raw array at `key`; a non-array is an error. */
export function optArray(node: JsonNode, key: string): readonly unknown[] | undefined {
  const value = find(node, key);
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) fail(node.file, pathOf(node, key), 'an array', value);
  return value as readonly unknown[];
}

export function optNodes(node: JsonNode, key: string): readonly JsonNode[] | undefined {
  const items = optArray(node, key);
  if (items === undefined) return undefined;
  // Plain loops, no per-call closures, in the readers the 100,000-NIC path runs through: tsx
  // (esbuild keepNames) wraps every arrow function it creates in a `__name` call.
  const step = keyOf(node, key);
  const out: JsonNode[] = [];
  for (let i = 0; i < items.length; i++) {
    const value = items[i];
    if (!isRecord(value)) fail(node.file, itemPath(node, key, i), 'a JSON object', value);
    out.push(new JsonNode(node.file, value, node, step, i));
  }
  return out;
}

/** `optNodes(node, key)` mapped through `map(child, arg)`, without allocating a closure per call. */
export function mapNodes<T, A>(node: JsonNode, key: string, map: (child: JsonNode, arg: A) => T, arg: A): T[] | undefined {
  const items = optArray(node, key);
  if (items === undefined) return undefined;
  const step = keyOf(node, key);
  const out: T[] = [];
  for (let i = 0; i < items.length; i++) {
    const value = items[i];
    if (!isRecord(value)) fail(node.file, itemPath(node, key, i), 'a JSON object', value);
    out.push(map(new JsonNode(node.file, value, node, step, i), arg));
  }
  return out;
}

export function optStrings(node: JsonNode, key: string): readonly string[] | undefined {
  const items = optArray(node, key);
  if (items === undefined) return undefined;
  const out: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const value = items[i];
    if (value === null || value === undefined) continue;
    if (typeof value !== 'string') fail(node.file, itemPath(node, key, i), 'a string', value);
    out.push(value);
  }
  return out;
}

/**
 * The shape `parseResourceId` accepts (`/subscriptions/{s}/{x}/{y}…`), checked without splitting:
 * references are validated for every NIC of a 100,000-NIC estate.
 */
const RESOURCE_ID_RE = /^\s*\/*subscriptions\/+[^/]+\/+[^/]+\/+[^/]/i;

export function isResourceIdText(value: string): boolean {
  return isPlainResourceIdText(value) || RESOURCE_ID_RE.test(value);
}

/**
 * The usual spelling, `/subscriptions/{s}/{x}/{y…}` with single slashes, recognised without the
 * regex (a regex call per reference was ~50 ms of a 100,000-NIC estate). True only when
 * RESOURCE_ID_RE matches too; anything else (other casing, doubled slashes, leading spaces) is
 * left to the regex.
 */
function isPlainResourceIdText(value: string): boolean {
  if (value.charCodeAt(0) !== 47 || !value.startsWith('subscriptions/', 1)) return false;
  const subscriptionEnd = value.indexOf('/', 15);
  if (subscriptionEnd <= 15) return false;
  const nextEnd = value.indexOf('/', subscriptionEnd + 1);
  if (nextEnd <= subscriptionEnd + 1) return false;
  return nextEnd + 1 < value.length && value.charCodeAt(nextEnd + 1) !== 47;
}

/**
 * `toResourceId` without its trim/regex work in the common case (no surrounding whitespace, no
 * trailing slash), which is nearly every reference of a large estate; same result either way.
 */
export function canonicalId(raw: string): ResourceId {
  const last = raw.charCodeAt(raw.length - 1);
  if (last !== 47 && last > 32 && raw.charCodeAt(0) > 32) return raw.toLowerCase() as ResourceId;
  return toResourceId(raw);
}

const ID_EXPECTED = 'an ARM resource ID like "/subscriptions/…/resourceGroups/…/providers/…"';

/**
 * A reference: `{ "id": "…" }` (ARM, SDK, az) or, leniently, a bare ID string. `index` is the
 * array position (-1 for a single reference); the path is only built for an error.
 *
 * An unset reference is `null` or absent in what ARM, Resource Graph, az and PowerShell print
 * (the SubResource schema of the Microsoft.Network REST specs has `id` as its one field, and ARM
 * refuses `{ "id": null }` in a request: "Value for the id property is invalid. Expecting a
 * string", Azure/bicep-registry-modules#1681). An empty object, `{ "id": null }` or a blank string
 * is no shape an Azure tool prints for "no reference" (none in the REST examples or az recordings
 * of test/fixtures, nor in public az/ARM outputs searched), so it is malformed like `{ "id": 5 }`:
 * read as "none", a subnet's NSG or route table would silently disappear.
 */
function refFrom(node: JsonNode, key: string, index: number, value: unknown): ResourceId {
  if (typeof value === 'string') {
    if (!isResourceIdText(value)) fail(node.file, refPath(node, key, index), ID_EXPECTED, value);
    return canonicalId(value);
  }
  if (!isRecord(value)) return fail(node.file, refPath(node, key, index), 'a reference like { "id": "/subscriptions/…" }', value);
  const idKey = keyIn(value, 'id');
  if (idKey !== undefined) {
    const id = value[idKey];
    if (typeof id === 'string' && isResourceIdText(id)) return canonicalId(id);
  }
  // The key as written (`Id` in PowerShell output), null included: `keyIn` passes over a null.
  const written = idKey ?? Object.keys(value).find((k) => k.toLowerCase() === 'id');
  return fail(node.file, `${refPath(node, key, index)}.${written ?? 'id'}`, ID_EXPECTED, written === undefined ? undefined : value[written]);
}

function refPath(node: JsonNode, key: string, index: number): string {
  return index < 0 ? pathOf(node, key) : itemPath(node, key, index);
}

export function optRef(node: JsonNode, key: string): ResourceId | undefined {
  const value = find(node, key);
  return value === undefined ? undefined : refFrom(node, key, -1, value);
}

export function optRefs(node: JsonNode, key: string): readonly ResourceId[] | undefined {
  const items = optArray(node, key);
  if (items === undefined) return undefined;
  const out: ResourceId[] = [];
  for (let i = 0; i < items.length; i++) {
    const value = items[i];
    if (value === null || value === undefined) continue;
    out.push(refFrom(node, key, i, value));
  }
  return out;
}

const CIDR_EXPECTED = 'a CIDR string like "10.0.1.0/24"';

/** A CIDR prefix (IPv4 or IPv6), kept as written (trimmed). */
export function toCidrText(file: string, path: string, value: unknown): string {
  if (!isCidrText(value)) fail(file, path, CIDR_EXPECTED, value);
  return value.trim();
}

const IPV4_OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4_RE = new RegExp(`^${IPV4_OCTET}(?:\\.${IPV4_OCTET}){3}$`);

/** An IPv4 or IPv6 address; IPv4 checked without allocating (every NIC has one). */
export function isIpText(text: string): boolean {
  return IPV4_RE.test(text) || (text.includes(':') && parseIp(text) !== null);
}

function isCidrText(value: unknown): value is string {
  return typeof value === 'string' && value.includes('/') && parseCidr(value) !== null;
}

export function optCidr(node: JsonNode, key: string): string | undefined {
  const value = find(node, key);
  if (value === undefined) return undefined;
  if (!isCidrText(value)) fail(node.file, pathOf(node, key), CIDR_EXPECTED, value);
  return value.trim();
}

/**
 * A field that REST and az print as one CIDR and Azure PowerShell as a list (`PSSubnet.AddressPrefix`
 * is a `List<string>`, so `ConvertTo-Json` prints an array): either shape, as a list.
 */
export function optCidrOrList(node: JsonNode, key: string): readonly string[] | undefined {
  return Array.isArray(find(node, key)) ? optCidrs(node, key) : mapOptional(optCidr(node, key));
}

function mapOptional(value: string | undefined): readonly string[] | undefined {
  return value === undefined ? undefined : [value];
}

export function optCidrs(node: JsonNode, key: string): readonly string[] | undefined {
  const items = optArray(node, key);
  if (items === undefined) return undefined;
  const out: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const value = items[i];
    if (!isCidrText(value)) fail(node.file, itemPath(node, key, i), CIDR_EXPECTED, value);
    out.push(value.trim());
  }
  return out;
}

/** Tags: an object of strings (numbers and booleans are stringified, as the portal shows them). */
export function readTags(node: JsonNode): Readonly<Record<string, string>> | undefined {
  const value = find(node, 'tags');
  if (value === undefined) return undefined;
  if (!isRecord(value)) fail(node.file, pathOf(node, 'tags'), 'an object of tag names to values', value);
  // The usual case, all strings, is kept as it is: the model never mutates it.
  let allStrings = true;
  for (const k in value) {
    if (typeof value[k] !== 'string') {
      allStrings = false;
      break;
    }
  }
  if (allStrings) return value as Readonly<Record<string, string>>;
  const tags: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null || v === undefined) continue;
    if (typeof v === 'object') fail(node.file, `${pathOf(node, 'tags')}.${k}`, 'a tag value string', v);
    tags[k] = String(v);
  }
  return tags;
}


/** A top-level (envelope) string field: `id`, `name`, `type`, `location` never sit under `properties`. */
export function topString(node: JsonNode, key: string): string | undefined {
  const found = keyIn(node.raw, key);
  if (found === undefined) return undefined;
  const value = node.raw[found];
  if (typeof value !== 'string') fail(node.file, `${node.path}.${found}`, 'a string', value);
  return value;
}

/** Child IDs when ARM omitted them (e.g. hand-written bundles): `{parent}/{segment}/{name}`. */
export function childId(node: JsonNode, parentId: ResourceId, segment: string): { id: ResourceId; name: string } {
  const rawId = field(node.raw, 'id');
  const name = optString(node, 'name');
  if (rawId !== undefined) {
    if (typeof rawId !== 'string' || !isResourceIdText(rawId)) fail(node.file, `${node.path}.id`, ID_EXPECTED, rawId);
    return { id: canonicalId(rawId), name: name ?? nameFromResourceId(rawId) };
  }
  if (name === undefined || name === '') fail(node.file, node.path, 'a sub-resource with an "id" or a "name"', node.raw);
  return { id: canonicalId(`${parentId}/${segment}/${name}`), name };
}

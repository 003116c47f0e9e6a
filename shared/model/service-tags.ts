/**
 * Azure service tags as data: the prefixes behind names such as `Storage`, `Storage.WestEurope`
 * or `AzureCloud.WestEurope` that NSG rules, Azure Firewall network rules and UDRs may name
 * instead of addresses [TAG] https://learn.microsoft.com/azure/virtual-network/service-tags-overview
 *
 * Three input shapes are accepted (all JSON):
 * - Microsoft's weekly download `ServiceTags_Public_YYYYMMDD.json`: `{ changeNumber: 376,
 *   cloud: "Public", values: [{ name, id, properties: { changeNumber, region, systemService,
 *   addressPrefixes, networkFeatures } }] }`;
 * - the Service Tag Discovery API `GET .../locations/{location}/serviceTags`: the same, but
 *   `changeNumber` is a string and `networkFeatures` absent;
 * - the newer paged `GET .../locations/{location}/serviceTagDetails`: `{ value: [...], nextLink }`
 *   (one page, no top-level change number or cloud);
 * - and the normalized {@link ServiceTagSet} this module writes into snapshots.
 *
 * Pure (no Node / DOM). Prefix sets are built lazily, per tag, on first use: a 4 MB file holds
 * ~3,000 tags and ~70,000 IPv4 prefixes, and a resolve touches only the few tags rules name.
 */
import { InputError } from './errors';
import { parseCidr, parseIp } from './ip';
import type { IpAddress } from './ip';
import { Ipv4Set } from './ip-set';
import { shortJson } from './nesting';

export interface ServiceTag {
  /** As published, e.g. `Storage.WestEurope`. Matched case-insensitively. */
  readonly name: string;
  /** Lower-case region (`westeurope`), `''` for a global tag. */
  readonly region: string;
  /** e.g. `AzureStorage`; `''` when the input does not say. */
  readonly systemService: string;
  /** IPv4 and IPv6 prefixes as published. */
  readonly addressPrefixes: readonly string[];
  /** `API`, `NSG`, `UDR`, `FW`, `VSE` where the input says (download file); null when it does not (REST API). */
  readonly networkFeatures: readonly string[] | null;
}

export interface ServiceTagSet {
  /** The data's iteration number (0 when the input has none): recorded so reports are reproducible. */
  readonly changeNumber: number;
  /** `Public`, `AzureGovernment`, `AzureChinaCloud`, ...; `''` when the input does not say. */
  readonly cloud: string;
  readonly tags: readonly ServiceTag[];
}

// ---------------------------------------------------------------------------------------------
// Parsing

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Short, single-line rendering of a bad value (as shared/arm/reader does; the model layer does not
 * import arm/). shortJson, not JSON.stringify: a value nested 20,000 levels deep would overflow the stack.
 */
function describeFound(value: unknown): string {
  return value === undefined ? 'nothing' : shortJson(value);
}

function fail(file: string, path: string, expected: string, value: unknown): never {
  throw new InputError(file, path, expected, describeFound(value));
}

/** Numbers may be strings in the REST API (`"changeNumber": "63"`); absent = 0. */
function changeNumberOf(value: unknown, file: string, path: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) return Number(value.trim());
  return fail(file, path, 'a non-negative integer (or its decimal string)', value);
}

function optionalString(value: unknown, file: string, path: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  return fail(file, path, 'a string', value);
}

function stringList(value: unknown, file: string, path: string, expected: string): readonly string[] {
  if (!Array.isArray(value)) fail(file, path, expected, value);
  const items: readonly unknown[] = value;
  return items.map((item, i) => {
    if (typeof item !== 'string') fail(file, `${path}[${i}]`, 'a string', item);
    return item;
  });
}

/** Every published prefix must parse: a typo would otherwise silently shrink a tag. */
function prefixList(value: unknown, file: string, path: string): readonly string[] {
  const prefixes = stringList(value, file, path, 'an array of CIDR prefixes');
  prefixes.forEach((p, i) => {
    if (parseCidr(p) === null) fail(file, `${path}[${i}]`, 'an IPv4 or IPv6 CIDR prefix like "13.69.40.0/24"', p);
  });
  return prefixes;
}

/** One entry of `values` / `value`: `{ name, id, properties: { ... } }`. */
function parseEntry(entry: unknown, file: string, path: string): ServiceTag {
  if (!isRecord(entry)) fail(file, path, 'a service tag object { name, properties }', entry);
  const name = entry.name ?? entry.id;
  if (typeof name !== 'string' || name.trim() === '') fail(file, `${path}.name`, 'the service tag name (a non-empty string)', entry.name);
  const props = entry.properties;
  if (!isRecord(props)) fail(file, `${path}.properties`, 'an object with addressPrefixes', props);
  const at = `${path}.properties`;
  changeNumberOf(props.changeNumber, file, `${at}.changeNumber`);
  const features = props.networkFeatures;
  return {
    name: name.trim(),
    region: optionalString(props.region, file, `${at}.region`).toLowerCase(),
    systemService: optionalString(props.systemService, file, `${at}.systemService`),
    // serviceTagDetails with noAddressPrefixes=true omits them: a tag without prefixes covers nothing.
    addressPrefixes: props.addressPrefixes === undefined || props.addressPrefixes === null ? [] : prefixList(props.addressPrefixes, file, `${at}.addressPrefixes`),
    networkFeatures: features === undefined || features === null ? null : stringList(features, file, `${at}.networkFeatures`, 'an array of strings or null'),
  };
}

function entries(list: unknown, file: string, path: string): readonly ServiceTag[] {
  if (!Array.isArray(list)) fail(file, path, 'an array of service tags', list);
  const items: readonly unknown[] = list;
  return items.map((entry, i) => parseEntry(entry, file, `${path}[${i}]`));
}

/** Duplicate names would make lookups ambiguous: the input is refused rather than one copy guessed. */
function checkUnique(tags: readonly ServiceTag[], file: string, path: string): void {
  const seen = new Set<string>();
  tags.forEach((tag, i) => {
    const key = tag.name.toLowerCase();
    if (seen.has(key)) fail(file, `${path}[${i}].name`, 'a service tag name not listed before', tag.name);
    seen.add(key);
  });
}

/**
 * The normalized shape stored in snapshots (`$.serviceTags`): strict, every field present. Throws
 * an InputError naming the file, the JSON path and what was expected.
 */
export function validateServiceTagSet(json: unknown, file: string, path = '$'): ServiceTagSet {
  if (!isRecord(json)) fail(file, path, 'a service tag set { changeNumber, cloud, tags }', json);
  const changeNumber = json.changeNumber;
  if (typeof changeNumber !== 'number' || !Number.isInteger(changeNumber) || changeNumber < 0) {
    fail(file, `${path}.changeNumber`, 'a non-negative integer', changeNumber);
  }
  if (typeof json.cloud !== 'string') fail(file, `${path}.cloud`, 'a string', json.cloud);
  if (!Array.isArray(json.tags)) fail(file, `${path}.tags`, 'an array of service tags', json.tags);
  const list: readonly unknown[] = json.tags;
  const tags = list.map((item, i): ServiceTag => {
    const at = `${path}.tags[${i}]`;
    if (!isRecord(item)) fail(file, at, 'a service tag { name, region, systemService, addressPrefixes, networkFeatures }', item);
    if (typeof item.name !== 'string' || item.name === '') fail(file, `${at}.name`, 'a non-empty string', item.name);
    if (typeof item.region !== 'string') fail(file, `${at}.region`, 'a string', item.region);
    if (typeof item.systemService !== 'string') fail(file, `${at}.systemService`, 'a string', item.systemService);
    const features = item.networkFeatures;
    return {
      name: item.name,
      region: item.region,
      systemService: item.systemService,
      addressPrefixes: prefixList(item.addressPrefixes, file, `${at}.addressPrefixes`),
      networkFeatures: features === null ? null : stringList(features, file, `${at}.networkFeatures`, 'an array of strings or null'),
    };
  });
  checkUnique(tags, file, `${path}.tags`);
  return { changeNumber, cloud: json.cloud, tags };
}

/**
 * Reads service tag JSON in any of the accepted shapes (see the module comment). Throws the
 * project's InputError (file, JSON path, expectation) on anything else.
 */
export function parseServiceTags(json: unknown, file: string, path = '$'): ServiceTagSet {
  if (!isRecord(json)) fail(file, path, 'a service tags document (ServiceTags_Public_*.json, or the serviceTags REST response)', json);
  if (Array.isArray(json.values)) {
    const tags = entries(json.values, file, `${path}.values`);
    checkUnique(tags, file, `${path}.values`);
    return {
      changeNumber: changeNumberOf(json.changeNumber, file, `${path}.changeNumber`),
      cloud: optionalString(json.cloud, file, `${path}.cloud`),
      tags,
    };
  }
  if (Array.isArray(json.value)) {
    const tags = entries(json.value, file, `${path}.value`);
    checkUnique(tags, file, `${path}.value`);
    // serviceTagDetails pages carry no top-level change number: the highest per-tag one stands for the data.
    const list: readonly unknown[] = json.value;
    let changeNumber = changeNumberOf(json.changeNumber, file, `${path}.changeNumber`);
    list.forEach((entry, i) => {
      if (!isRecord(entry)) return;
      const props = entry.properties;
      const perTag = entry.serviceTagChangeNumber ?? (isRecord(props) ? props.changeNumber : undefined);
      changeNumber = Math.max(changeNumber, changeNumberOf(perTag, file, `${path}.value[${i}].serviceTagChangeNumber`));
    });
    return { changeNumber, cloud: optionalString(json.cloud, file, `${path}.cloud`), tags };
  }
  if (Array.isArray(json.tags)) return validateServiceTagSet(json, file, path);
  return fail(file, `${path}.values`, 'an array of service tags (the "values" of ServiceTags_Public_*.json or of the serviceTags REST response)', json.values);
}

// ---------------------------------------------------------------------------------------------
// Index

export interface ServiceTagIndex {
  readonly changeNumber: number;
  readonly cloud: string;
  /** The tag by name (any casing), or null when the data does not list it. */
  tag(name: string): ServiceTag | null;
  /**
   * The tag's IPv4 addresses (IPv6 prefixes are left out: the range model is IPv4), or null when
   * the tag is not in the data: callers then keep the tag uncertain instead of guessing.
   */
  prefixes(name: string): Ipv4Set | null;
  /** Names of the tags whose prefixes contain the address, most specific first; IPv6: none. */
  tagsContaining(ip: IpAddress | string): readonly string[];
}

interface TagEntry {
  readonly tag: ServiceTag;
  set: Ipv4Set | null;
  /** Addresses the IPv4 prefixes span (overlaps counted twice): a cheap specificity rank. */
  readonly span: number;
}

/**
 * Builds the lookup structure. Cheap: names are indexed now, Ipv4Sets per tag on first
 * `prefixes()`, and the address → tags table on first `tagsContaining()`.
 */
export function buildServiceTagIndex(set: ServiceTagSet): ServiceTagIndex {
  const byName = new Map<string, TagEntry>();
  for (const tag of set.tags) {
    let span = 0;
    for (const p of tag.addressPrefixes) {
      const cidr = parseCidr(p);
      if (cidr?.version === 4) span += 2 ** (32 - cidr.prefixLength);
    }
    // First copy wins: parseServiceTags refuses duplicates, so this only matters for hand-built sets.
    if (!byName.has(tag.name.toLowerCase())) byName.set(tag.name.toLowerCase(), { tag, set: null, span });
  }
  /** Per prefix length: network address → entries with a prefix of that length there. */
  let byLength: Map<number, TagEntry[]>[] | null = null;

  const entryOf = (name: string): TagEntry | undefined => byName.get(name.trim().toLowerCase());

  const buildByLength = (): Map<number, TagEntry[]>[] => {
    const tables = Array.from({ length: 33 }, () => new Map<number, TagEntry[]>());
    for (const entry of byName.values()) {
      for (const p of entry.tag.addressPrefixes) {
        const cidr = parseCidr(p);
        if (cidr?.version !== 4) continue;
        const table = tables[cidr.prefixLength] as Map<number, TagEntry[]>;
        const list = table.get(cidr.network);
        if (!list) table.set(cidr.network, [entry]);
        else if (!list.includes(entry)) list.push(entry);
      }
    }
    return tables;
  };

  return {
    changeNumber: set.changeNumber,
    cloud: set.cloud,
    tag: (name) => entryOf(name)?.tag ?? null,
    prefixes(name) {
      const entry = entryOf(name);
      if (!entry) return null;
      if (entry.set === null) {
        const intervals: { start: number; end: number }[] = [];
        for (const p of entry.tag.addressPrefixes) {
          const cidr = parseCidr(p);
          if (cidr?.version === 4) intervals.push({ start: cidr.network, end: cidr.network + 2 ** (32 - cidr.prefixLength) - 1 });
        }
        // One normalisation for the whole tag (AzureCloud has ~13,000 prefixes), not a union per prefix.
        entry.set = Ipv4Set.fromIntervals(intervals);
      }
      return entry.set;
    },
    tagsContaining(ip) {
      const address = typeof ip === 'string' ? parseIp(ip) : ip;
      if (address?.version !== 4) return [];
      byLength ??= buildByLength();
      const best = new Map<TagEntry, number>();
      // Longest prefix first: the first length a tag is found at is its most specific match.
      for (let length = 32; length >= 0; length--) {
        const mask = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
        const hits = byLength[length]?.get((address.value & mask) >>> 0);
        if (!hits) continue;
        for (const entry of hits) if (!best.has(entry)) best.set(entry, length);
      }
      // Ties (Storage and Storage.WestEurope share a /24): the smaller tag is the more specific.
      return [...best].sort(([a, la], [b, lb]) => lb - la || a.span - b.span || (a.tag.name < b.tag.name ? -1 : 1)).map(([e]) => e.tag.name);
    },
  };
}

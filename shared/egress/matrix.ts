/**
 * Many destinations at once: every source against every destination of a list, in the list's
 * order (`egress-atlas resolve --destinations FILE`, the app's destinations matrix, the PDF
 * appendix). Each destination is one resolve of the whole estate, so the engine's answers and
 * explanations are the same as for a single what-if.
 */
import { InputError } from '../model/errors';
import type { Gap } from '../model/gaps';
import { parseDestinationSpec } from './destination-spec';
import { resolveEgress } from './resolve';
import type { ResolveInput, ResolveOptions } from './index';
import type { EgressPath, ExitMethod, PathSource, Verdict } from './types';

export const MATRIX_SCHEMA = 'egress-atlas/matrix@1' as const;

export interface DestinationListEntry {
  /** As written (any destination kind, with optional :port and /proto). */
  readonly destination: string;
  readonly label: string | null;
}

export interface MatrixCell {
  readonly destination: string;
  readonly verdict: Verdict;
  readonly exit: ExitMethod | null;
  readonly via: readonly string[];
  readonly egressIps: readonly string[];
}

export interface MatrixRow {
  readonly source: PathSource;
  readonly results: readonly MatrixCell[];
}

export interface MatrixResult {
  readonly schema: typeof MATRIX_SCHEMA;
  readonly destinations: readonly (DestinationListEntry & { readonly interpretation: string })[];
  readonly rows: readonly MatrixRow[];
  readonly gaps: readonly Gap[];
}

/** Most destination lists are short; a bound keeps a pasted log from becoming a day-long run. */
export const MAX_DESTINATIONS = 1_000;

function csvCells(line: string): string[] {
  const cells: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] ?? '';
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { current += '"'; i++; } else if (ch === '"') quoted = false; else current += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { cells.push(current.trim()); current = ''; } else current += ch;
  }
  cells.push(current.trim());
  return cells;
}

function checked(entry: DestinationListEntry, file: string, where: string): DestinationListEntry {
  const parsed = parseDestinationSpec(entry.destination);
  if (parsed.kind === 'error') throw new InputError(file, where, 'a destination (IP, CIDR, FQDN, URL or service tag, optionally :port and /tcp|udp)', parsed.message);
  return entry;
}

/**
 * A destinations file: a JSON array (of strings, or of `{ "destination", "label" }`), or text with
 * one destination per line (`#` comments, blank lines ignored), optionally CSV `destination,label`
 * with or without a header. Errors name the file and the line or JSON path.
 */
export function parseDestinationList(text: string, file: string): readonly DestinationListEntry[] {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  let entries: DestinationListEntry[];
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch (error) {
      throw new InputError(file, '$', 'a JSON array of destinations', error instanceof Error ? error.message : String(error));
    }
    const list = Array.isArray(json) ? json : (json as { destinations?: unknown }).destinations;
    if (!Array.isArray(list)) throw new InputError(file, '$', 'a JSON array of destinations (or { "destinations": [...] })');
    entries = list.map((item: unknown, i) => {
      if (typeof item === 'string') return checked({ destination: item.trim(), label: null }, file, `$[${i}]`);
      if (item !== null && typeof item === 'object' && typeof (item as { destination?: unknown }).destination === 'string') {
        const obj = item as { destination: string; label?: unknown };
        return checked({ destination: obj.destination.trim(), label: typeof obj.label === 'string' ? obj.label : null }, file, `$[${i}].destination`);
      }
      throw new InputError(file, `$[${i}]`, 'a destination string or { "destination": "...", "label": "..." }');
    });
  } else {
    entries = [];
    const lines = trimmed.split(/\r?\n/);
    lines.forEach((raw, i) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const cells = csvCells(line);
      const first = cells[0] ?? '';
      if (i === 0 && first.toLowerCase() === 'destination') return; // CSV header
      entries.push(checked({ destination: first, label: cells[1] !== undefined && cells[1] !== '' ? cells[1] : null }, file, `line ${i + 1}`));
    });
  }
  if (entries.length === 0) throw new InputError(file, '$', 'at least one destination');
  if (entries.length > MAX_DESTINATIONS) throw new InputError(file, '$', `at most ${MAX_DESTINATIONS} destinations`, String(entries.length));
  return entries;
}

function cell(destination: string, path: EgressPath | undefined): MatrixCell {
  if (!path) return { destination, verdict: 'unknown', exit: null, via: [], egressIps: [] };
  return { destination, verdict: path.verdict, exit: path.exit, via: path.via.map((v) => v.id), egressIps: path.egressIps };
}

function pathKey(source: PathSource): string {
  return `${source.type}|${source.id}`;
}

/**
 * Resolves every destination for the whole estate. Rows are the sources of the default-route
 * resolve (each subnet, and each NIC whose path differs) plus any NIC that differs only for some
 * destination; a source without a path of its own for a destination takes its subnet's.
 */
export function resolveMatrix(
  input: ResolveInput, destinations: readonly DestinationListEntry[], options: Pick<ResolveOptions, 'resolve'> = {},
): MatrixResult {
  // The rows: every source of the default-route resolve. Only the NICs that have an entry of their
  // own there are resolved for each destination (the others follow their subnet's path).
  const base = resolveEgress(input, { destination: null, resolve: options.resolve });
  const nicIds = new Set(base.paths.filter((p) => p.source.type === 'nic').map((p) => p.source.id));
  const sources = new Map<string, PathSource>();
  for (const path of base.paths) sources.set(pathKey(path.source), path.source);
  // Each destination's result is reduced to its cells straight away and then dropped: holding 100
  // whole results of a 100,000-NIC estate (every hop of every path) does not fit in memory.
  const seen = new Set<string>();
  const gaps: Gap[] = [];
  const interpretations: string[] = [];
  const cellsByDestination = destinations.map((d, i) => {
    const result = resolveEgress(input, { destination: d.destination, resolve: options.resolve, nicIds, estateFindings: false, sorted: false });
    interpretations[i] = result.destinationInfo?.interpretation ?? '';
    for (const gap of result.gaps) {
      const key = `${gap.code}|${gap.scope}|${gap.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      gaps.push(gap);
    }
    const cells = new Map<string, MatrixCell>();
    for (const path of result.paths) {
      const key = pathKey(path.source);
      sources.set(key, path.source);
      cells.set(key, cell(d.destination, path));
    }
    return cells;
  });
  const nicSubnets = new Map(input.model.networkInterfaces.map((nic) => [nic.id as string, nic.ipConfigurations.find((c) => c.primary)?.subnetId ?? nic.ipConfigurations[0]?.subnetId ?? null]));
  const missing = destinations.map((d) => cell(d.destination, undefined));
  const rows = [...sources.values()]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.type < b.type ? -1 : 1))
    .map((source): MatrixRow => {
      const key = pathKey(source);
      const subnetId = source.type === 'nic' ? nicSubnets.get(source.id) : undefined;
      // A NIC without a path of its own for a destination follows its subnet's (shared cell).
      const subnetKey = subnetId ? `subnet|${subnetId}` : null;
      return {
        source,
        results: destinations.map((d, i) => {
          const cells = cellsByDestination[i];
          return cells?.get(key) ?? (subnetKey === null ? undefined : cells?.get(subnetKey)) ?? missing[i] ?? cell(d.destination, undefined);
        }),
      };
    });
  return {
    schema: MATRIX_SCHEMA,
    destinations: destinations.map((d, i) => ({ ...d, interpretation: interpretations[i] ?? '' })),
    rows, gaps,
  };
}

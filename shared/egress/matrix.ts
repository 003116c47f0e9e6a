/**
 * Many destinations at once: every source against every destination of a list, in the list's
 * order (`egress-atlas resolve --destinations FILE`, the app's destinations matrix, the PDF
 * appendix). Each destination is walked by the same engine as a single what-if, so each cell is
 * exactly that what-if's verdict, exit, appliances and egress IPs for the source (the matrix
 * shows no explanations: its walks skip building them).
 */
import { InputError } from '../model/errors';
import type { Gap } from '../model/gaps';
import { parseDestinationSpec } from './destination-spec';
import { hasOwnDns, VerdictInterner, verdictColumn, verdictColumns, verdictSources } from './resolve';
import type { SourceVerdict } from './resolve';
import type { ResolveInput, ResolveOptions } from './index';
import type { ExitMethod, PathSource, Verdict } from './types';

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

/** Destinations walked together, source by source (see verdictColumns): enough to keep each source's data in cache, few enough to bound memory. */
const MATRIX_BATCH = 25;

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
    // The CSV header, if any, is the first line that is not blank or a `#` comment.
    let first = true;
    lines.forEach((raw, i) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const cells = csvCells(line);
      const destination = cells[0] ?? '';
      const header = first && destination.toLowerCase() === 'destination';
      first = false;
      if (header) return;
      entries.push(checked({ destination, label: cells[1] !== undefined && cells[1] !== '' ? cells[1] : null }, file, `line ${i + 1}`));
    });
  }
  if (entries.length === 0) throw new InputError(file, '$', 'at least one destination');
  if (entries.length > MAX_DESTINATIONS) throw new InputError(file, '$', `at most ${MAX_DESTINATIONS} destinations`, String(entries.length));
  return entries;
}

/**
 * Resolves every destination for the whole estate. Rows are the sources of the default-route
 * resolve (each subnet, and each NIC whose path differs there); a NIC without a path of its own for
 * a destination takes its subnet's answer, as it would in that destination's resolveEgress.
 *
 * Each destination is walked as resolveEgress walks it (verdictColumn: same engine, same sources,
 * same gaps), reduced to the cells as it goes: no path objects, explanations or estate findings,
 * which a matrix of 100 destinations over 30,000 sources has no room or use for.
 */
export function resolveMatrix(
  input: ResolveInput, destinations: readonly DestinationListEntry[], options: Pick<ResolveOptions, 'resolve'> = {},
): MatrixResult {
  // The rows: every source of the default-route resolve. Only the NICs that have an entry of their
  // own there are walked for each destination (the others follow their subnet's path).
  const candidates = verdictSources(input);
  const base = verdictColumn(input, { destination: null, resolve: options.resolve }, candidates);
  const nicIds = new Set<string>();
  candidates.sources.forEach((source, i) => {
    // A NIC with DNS servers of its own differs for host names only: a row of its own too.
    const nic = candidates.nics[i];
    if (source.type === 'nic' && (base.own[i] || (nic && hasOwnDns(nic)))) nicIds.add(source.id);
  });
  const sources = verdictSources(input, nicIds);
  // Answers do not name the destination: one interner for every column, so equal answers are one object throughout.
  const interner = new VerdictInterner();
  const seen = new Set<string>();
  const gaps: Gap[] = [];
  const interpretations: string[] = [];
  // Destinations are walked a batch at a time, source by source (verdictColumns): the batch bounds
  // the memory of the sessions held at once (each keeps its route lookups and decisions).
  const columns: (readonly MatrixCell[])[] = [];
  for (let first = 0; first < destinations.length; first += MATRIX_BATCH) {
    const batch = destinations.slice(first, first + MATRIX_BATCH);
    const results = verdictColumns(input, batch.map((d) => ({ destination: d.destination, resolve: options.resolve })), sources, interner);
    results.forEach((column, k) => {
      const i = first + k;
      const d = batch[k] as DestinationListEntry;
      interpretations[i] = column.destinationInfo?.interpretation ?? '';
      for (const gap of column.gaps) {
        const key = `${gap.code}|${gap.scope}|${gap.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        gaps.push(gap);
      }
      // Equal answers are one object (interned, numbered): one cell each.
      const cells: (MatrixCell | undefined)[] = new Array<MatrixCell | undefined>(interner.size);
      const cellOf = (v: SourceVerdict): MatrixCell => {
        let found = cells[v.id];
        if (!found) {
          found = { destination: d.destination, verdict: v.verdict, exit: v.exit, via: v.via, egressIps: v.egressIps };
          cells[v.id] = found;
        }
        return found;
      };
      const out: MatrixCell[] = new Array<MatrixCell>(column.verdicts.length);
      column.verdicts.forEach((v, row) => {
        out[row] = cellOf(v);
      });
      columns.push(out);
    });
  }
  const order = sources.sources.map((_, i) => i)
    .sort((x, y) => {
      const a = sources.sources[x] as PathSource;
      const b = sources.sources[y] as PathSource;
      return a.id < b.id ? -1 : a.id > b.id ? 1 : a.type < b.type ? -1 : a.type > b.type ? 1 : x - y;
    });
  const rows = order.map((row): MatrixRow => {
    const results: MatrixCell[] = new Array<MatrixCell>(columns.length);
    for (let i = 0; i < columns.length; i++) {
      results[i] = columns[i]?.[row] ?? { destination: destinations[i]?.destination ?? '', verdict: 'unknown', exit: null, via: [], egressIps: [] };
    }
    return { source: sources.sources[row] as PathSource, results };
  });
  return {
    schema: MATRIX_SCHEMA,
    destinations: destinations.map((d, i) => ({ ...d, interpretation: interpretations[i] ?? '' })),
    rows, gaps,
  };
}

/**
 * Many destinations at once: every source against every destination of a list, in the list's
 * order (`egress-atlas resolve --destinations FILE`, the app's destinations matrix, the PDF
 * appendix). Each destination is walked by the same engine as a single what-if, so each cell is
 * exactly that what-if's verdict, exit, appliances and egress IPs for the source (the matrix
 * shows no explanations: its walks skip building them).
 */
import { InputError } from '../model/errors';
import type { Gap } from '../model/gaps';
import { DESTINATION_FORMS, parseDestinationSpec } from './destination-spec';
import { VerdictInterner, verdictColumns, verdictSources } from './resolve';
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
  if (parsed.kind === 'error') {
    // The forms are listed once per line: for a text of no known form the spec's message is only
    // that list (the value alone is shown), a message that lists them itself (a resource ID) keeps
    // its words, and a specific reason (a bad port) is kept after the list.
    if (parsed.message.endsWith(DESTINATION_FORMS)) throw new InputError(file, where, `a destination: ${DESTINATION_FORMS}`, `"${entry.destination}"`);
    if (parsed.message.includes(DESTINATION_FORMS)) throw new InputError(file, where, 'a destination', parsed.message);
    throw new InputError(file, where, `a destination: ${DESTINATION_FORMS}`, parsed.message);
  }
  return entry;
}

/**
 * NUL bytes: the mark of a binary file (UTF-8 text never holds them; lists are read as UTF-8).
 * Other control characters stay quoted as found: the CLI's error path escapes them and the app
 * shows messages as text.
 */
function hasBinaryBytes(text: string): boolean {
  return text.includes('\u0000');
}

/**
 * A destinations file: a JSON array (of strings, or of `{ "destination", "label" }`), or text with
 * one destination per line (`#` comments, blank lines ignored), optionally CSV `destination,label`
 * with or without a header. Errors name the file and the line or JSON path.
 */
export function parseDestinationList(text: string, file: string): readonly DestinationListEntry[] {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  // A binary file (a spreadsheet, an archive) is no list of any form: say so, rather than quote its
  // first "line" of raw bytes (NULs among them) back as a bad destination.
  if (hasBinaryBytes(trimmed)) {
    throw new InputError(file, 'whole file', 'a text file (one destination per line, CSV destination,label, or a JSON array)', 'binary data');
  }
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
  // A JSON path ("$") means something only in a JSON list; a text list's whole-list problems name
  // the file as a whole (and what was in it), as its line problems name the line.
  const json = trimmed.startsWith('[') || trimmed.startsWith('{');
  if (entries.length === 0) {
    if (json) throw new InputError(file, '$', 'at least one destination');
    throw new InputError(file, 'whole file', 'at least one destination', trimmed === '' ? 'an empty file' : 'only blank lines and # comments');
  }
  if (entries.length > MAX_DESTINATIONS) throw new InputError(file, json ? '$' : 'whole file', `at most ${MAX_DESTINATIONS} destinations`, String(entries.length));
  return entries;
}

/**
 * Resolves every destination for the whole estate. Per destination, the NICs with an entry of their
 * own are exactly those of that destination's resolveEgress: its candidates (verdictSources, the
 * NICs resolveEgress may give an entry: own NSG, ASG membership, public IP, LB pool, own DNS
 * servers, own captured routes) are walked for every destination, and each keeps an entry where its
 * walk differs from its subnet's, as resolveEgress decides it (verdictColumns' `own`). A NIC's own
 * NSG or ASG may open or close one destination and not another (NSG rules match destination and
 * port [NSG] https://learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works),
 * so whether it differs is a question per destination, never settled by the default route.
 *
 * Rows: every subnet, and every NIC with an entry of its own for at least one destination of the
 * list. In a column where such a NIC has no entry of its own, its cell is its subnet's answer, as
 * resolveEgress's missing NIC entry means for that destination.
 *
 * Each destination is walked as resolveEgress walks it (verdictColumns: same engine, same sources,
 * same gaps), reduced to the cells as it goes: no path objects, explanations or estate findings,
 * which a matrix of 100 destinations over 30,000 sources has no room or use for. Plain NICs (no
 * entry possible) are never walked: their subnet's row speaks for them.
 */
export function resolveMatrix(
  input: ResolveInput, destinations: readonly DestinationListEntry[], options: Pick<ResolveOptions, 'resolve'> = {},
): MatrixResult {
  // Every subnet and every NIC that may differ from it for some destination, as resolveEgress walks them.
  const sources = verdictSources(input);
  // Per source: whether it has an entry of its own for at least one destination (subnets always do).
  const kept = sources.nics.map((nic) => nic === null);
  // Answers do not name the destination: one interner for every column, so equal answers are one object throughout.
  const interner = new VerdictInterner();
  const seen = new Set<string>();
  const gaps: Gap[] = [];
  const interpretations: string[] = [];
  // Each subnet's place among the subnets (-1 for a NIC): a column keeps a cell per subnet and only
  // the NICs' own cells, so its memory follows the subnets and the NICs that differ, not every NIC
  // that may differ (an estate with an NSG on every NIC walks them all, and most say what their subnet says).
  const subnetOrdinal = new Int32Array(sources.sources.length).fill(-1);
  let subnetCount = 0;
  sources.nics.forEach((nic, i) => {
    if (nic === null) subnetOrdinal[i] = subnetCount++;
  });
  interface Column { readonly subnets: readonly MatrixCell[]; readonly own: ReadonlyMap<number, MatrixCell> }
  // Destinations are walked a batch at a time, source by source (verdictColumns): the batch bounds
  // the memory of the sessions held at once (each keeps its route lookups and decisions).
  const columns: Column[] = [];
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
      const subnets: MatrixCell[] = new Array<MatrixCell>(subnetCount);
      const own = new Map<number, MatrixCell>();
      column.verdicts.forEach((v, row) => {
        const ordinal = subnetOrdinal[row] ?? -1;
        if (ordinal >= 0) subnets[ordinal] = cellOf(v);
        else if (column.own[row]) {
          // A NIC with an entry of its own for this destination (as in its resolveEgress): a row.
          own.set(row, cellOf(v));
          kept[row] = true;
        }
      });
      columns.push({ subnets, own });
    });
  }
  // resolveEgress's order (source ID, then type), over the sources kept.
  const order = sources.sources.map((_, i) => i).filter((i) => kept[i])
    .sort((x, y) => {
      const a = sources.sources[x] as PathSource;
      const b = sources.sources[y] as PathSource;
      return a.id < b.id ? -1 : a.id > b.id ? 1 : a.type < b.type ? -1 : a.type > b.type ? 1 : x - y;
    });
  const rows = order.map((row): MatrixRow => {
    const results: MatrixCell[] = new Array<MatrixCell>(columns.length);
    // Where a NIC has no entry of its own, its subnet's answer is its answer (resolveEgress gives it no path).
    const subnetAt = subnetOrdinal[sources.subnetRow[row] ?? row] ?? -1;
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i];
      results[i] = column?.own.get(row) ?? column?.subnets[subnetAt]
        ?? { destination: destinations[i]?.destination ?? '', verdict: 'unknown', exit: null, via: [], egressIps: [] };
    }
    return { source: sources.sources[row] as PathSource, results };
  });
  return {
    schema: MATRIX_SCHEMA,
    destinations: destinations.map((d, i) => ({ ...d, interpretation: interpretations[i] ?? '' })),
    rows, gaps,
  };
}

/**
 * Observed traffic in the app (issue 13), pure: the main side's answer (`traffic` operation:
 * `analyzeTraffic` + `estimateCost`, the same as `egress-atlas traffic` / `cost --logs`) mapped onto
 * what the workspace draws: per graph source its observed volume and denied flows, edge widths,
 * the details pane's "observed vs allowed" rows, and the cost tables. Nothing is re-analysed here.
 */
import { COST_ITEM_LABEL, type CostLine, type CostResult } from '../../shared/cost/types';
export { usdText } from '../../shared/cost/types';
import type { EgressPath, ResolveResult } from '../../shared/egress/types';
import { pathElementIds } from '../../shared/graph/build-egress-graph';
import type { EgressGraph } from '../../shared/graph/types';
import type { ImportedFile, TrafficAnswer } from '../../shared/ipc/contract';
import type { ObservedDestination, TrafficFinding, TrafficResult, TrafficSource } from '../../shared/traffic/types';

/** Logs added to the open estate, and the main side's answer for them. */
export interface TrafficState {
  /** The estate the answer belongs to: a different estate's traffic is never shown. */
  readonly estateId: string;
  /** Every file added so far (sent again with each addition: the analysis is over all of them). */
  readonly files: readonly ImportedFile[];
  readonly answer: TrafficAnswer;
}

/**
 * The files to analyse after an addition. A browser gives a dropped or picked file's base name only
 * (File.name), and every flow-log blob is called PT1H.json (destinations.md §2.1: one per hour and
 * NIC, `.../h=HH/m=00/macAddress=.../PT1H.json`), so a name says nothing of which file it is: hour 11
 * added after hour 10 is another file, never a replacement. A file replaces an earlier one only when
 * it is the same file again: same text (compared in full, length first, so no hash collision can
 * merge two hours). Another file of a name already listed is kept under a name made distinct,
 * `PT1H.json (2)`, so the answer's file list and every gap naming a file tell them apart.
 */
export function mergeLogFiles(existing: readonly ImportedFile[], added: readonly ImportedFile[]): readonly ImportedFile[] {
  const files: ImportedFile[] = [];
  const push = (file: ImportedFile): void => {
    const same = files.findIndex((f) => f.text.length === file.text.length && f.text === file.text);
    if (same >= 0) files.splice(same, 1);
    const taken = new Set(files.map((f) => f.name));
    let name = file.name;
    for (let n = 2; taken.has(name); n++) name = `${file.name} (${n})`;
    files.push(name === file.name ? file : { ...file, name });
  };
  for (const file of existing) push(file);
  for (const file of added) push(file);
  return files;
}

/** One graph source's (a path's source) observed traffic: its own, and its NICs' when they have no path of their own. */
export interface SourceVolume {
  /** The path's source ID, as the resolve result has it. */
  readonly pathSourceId: string;
  readonly flows: number;
  /** Null when no record of it carried bytes (firewall logs do not). */
  readonly bytes: number | null;
  readonly deniedFlows: number;
  /** `denied-traffic` findings (denied flows at or above the threshold, per destination). */
  readonly deniedFindings: number;
  /** Rows where the log and the model contradict each other. */
  readonly disagreements: number;
  readonly sources: readonly TrafficSource[];
}

/** Where the log and the model contradict each other (as the PDF and the CLI mark it). */
export function disagrees(o: ObservedDestination): boolean {
  return (o.action === 'allow' && o.model === 'denied') || (o.action === 'deny' && o.model === 'allowed');
}

function addBytes(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : a + b;
}

/**
 * The path a traffic source belongs to: its own (a NIC with a path of its own, or a subnet), else
 * its subnet's. Null when the result has neither (a platform subnet, a NIC outside every path).
 */
function pathFor(source: TrafficSource, paths: ReadonlyMap<string, EgressPath>): EgressPath | null {
  return paths.get(source.source.id.toLowerCase()) ?? paths.get(source.subnet.id.toLowerCase()) ?? null;
}

/** Observed volume per graph source, keyed by the lower-cased path source ID. */
export function volumesBySource(result: ResolveResult, traffic: TrafficResult): ReadonlyMap<string, SourceVolume> {
  const paths = new Map(result.paths.map((p) => [p.source.id.toLowerCase(), p] as const));
  const deniedFindings = new Map<string, number>();
  for (const f of traffic.findings) {
    if (f.code === 'denied-traffic') deniedFindings.set(f.subject.toLowerCase(), (deniedFindings.get(f.subject.toLowerCase()) ?? 0) + 1);
  }
  const out = new Map<string, SourceVolume>();
  for (const s of traffic.sources) {
    const path = pathFor(s, paths);
    if (path === null) continue;
    const key = path.source.id.toLowerCase();
    const before = out.get(key);
    let flows = 0;
    let bytes: number | null = null;
    let deniedFlows = 0;
    let disagreements = 0;
    for (const o of s.observed) {
      flows += o.flows;
      bytes = addBytes(bytes, o.bytes);
      if (o.action === 'deny') deniedFlows += o.flows;
      if (disagrees(o)) disagreements += 1;
    }
    out.set(key, {
      pathSourceId: path.source.id,
      flows: (before?.flows ?? 0) + flows,
      bytes: addBytes(before?.bytes ?? null, bytes),
      deniedFlows: (before?.deniedFlows ?? 0) + deniedFlows,
      deniedFindings: (before?.deniedFindings ?? 0) + (deniedFindings.get(s.source.id.toLowerCase()) ?? 0),
      disagreements: (before?.disagreements ?? 0) + disagreements,
      sources: [...(before?.sources ?? []), s],
    });
  }
  return out;
}

/** Thinnest and thickest observed edge (px at zoom 1); unobserved edges keep the graph's own width. */
export const MIN_OBSERVED_WIDTH = 1.5;
export const MAX_OBSERVED_WIDTH = 12;

/**
 * Edge width for `flows` observed flows: log scale, so 10 flows and 10,000 flows both read (a
 * linear scale would make every edge but the busiest a hairline). 1 flow → 1.5 px, 10 → 4,
 * 100 → 6.5, 1,000 → 9, capped at 12.
 */
export function widthForFlows(flows: number): number {
  if (flows <= 0) return 0;
  return Math.min(MAX_OBSERVED_WIDTH, MIN_OBSERVED_WIDTH + 2.5 * Math.log10(flows));
}

/** Flow counts the legend shows with their widths. */
export const LEGEND_FLOWS: readonly number[] = [1, 10, 100, 1000];

/**
 * Edge ID → width for every edge on an observed source's path. An edge shared by several paths (a
 * firewall's way out) carries the sum of their flows.
 */
export function edgeWidths(graph: EgressGraph, volumes: ReadonlyMap<string, SourceVolume>): ReadonlyMap<string, number> {
  const flowsByEdge = new Map<string, number>();
  for (const v of volumes.values()) {
    if (v.flows <= 0) continue;
    for (const edgeId of pathElementIds(graph, v.pathSourceId).edgeIds) flowsByEdge.set(edgeId, (flowsByEdge.get(edgeId) ?? 0) + v.flows);
  }
  return new Map([...flowsByEdge].map(([id, flows]) => [id, widthForFlows(flows)] as const));
}

/** A details-pane row: one observed destination of one traffic source. */
export interface ObservedRow {
  readonly sourceName: string;
  readonly sourceType: 'subnet' | 'nic';
  readonly observed: ObservedDestination;
  readonly disagrees: boolean;
}

export type ObservedSort = 'flows' | 'bytes';

/** The rows for a graph source, most flows (or bytes; unknown bytes last) first. */
export function observedRows(volume: SourceVolume, sort: ObservedSort): readonly ObservedRow[] {
  const rows = volume.sources.flatMap((s) => s.observed.map((o) => ({ sourceName: s.source.name, sourceType: s.source.type, observed: o, disagrees: disagrees(o) })));
  const key = (r: ObservedRow): number => (sort === 'flows' ? r.observed.flows : (r.observed.bytes ?? -1));
  return rows.sort((a, b) => key(b) - key(a) || b.observed.flows - a.observed.flows || a.observed.destination.localeCompare(b.observed.destination));
}

/** The traffic findings about a graph source (its own and its NICs'). */
export function findingsFor(volume: SourceVolume, traffic: TrafficResult): readonly TrafficFinding[] {
  const ids = new Set(volume.sources.map((s) => s.source.id.toLowerCase()));
  return traffic.findings.filter((f) => ids.has(f.subject.toLowerCase()));
}

/** Total attributed flows. */
export function totalFlows(traffic: TrafficResult): number {
  return traffic.sources.reduce((n, s) => n + s.observed.reduce((m, o) => m + o.flows, 0), 0);
}

/** `1,234` */
export function countText(n: number): string {
  return n.toLocaleString('en-US');
}

export function costItemLabel(line: CostLine): string {
  return line.resource === null ? COST_ITEM_LABEL[line.item] : `${COST_ITEM_LABEL[line.item]} · ${line.resource.name}`;
}

export function costQuantityText(line: CostLine): string {
  if (line.quantity === null) return '—';
  return line.unit === 'hour' ? `${line.quantity.toFixed(1)} h` : `${line.quantity.toFixed(4)} GB`;
}

/** The price a line used: rate, meter region, source date, and how a shared cost was split. */
export function costPriceText(line: CostLine): string {
  if (line.price === null) return '—';
  const p = line.price;
  const split = line.split ? ` · 1/${line.split.among} share${line.split.method === 'bytes' ? ' by bytes' : ''}` : '';
  return `$${p.usdPerUnit}/${line.unit} · ${p.pricedAt}${p.substituted ? ' (substituted)' : ''} · ${p.priceDate}${split}`;
}

/** The cost view's heading line: price table and its date, and where the bytes came from. */
export function costBasisText(cost: CostResult): string {
  const bytes = {
    'flow-logs': 'flow logs', 'metrics': 'NAT gateway / firewall metrics', 'flow-logs+metrics': 'flow logs and metrics', 'none': 'no byte counts (data lines are gaps)',
  }[cost.bytesFrom];
  const window = cost.window ? `, logs ${cost.window.from ?? '?'} → ${cost.window.to ?? '?'}` : '';
  return `List ${cost.currency} per month · prices ${cost.prices.table} as of ${cost.prices.asOf} · bytes from ${bytes}${window}`;
}

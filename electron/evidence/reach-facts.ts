/**
 * What the "What this source can reach" block and the destinations-matrix appendix state, derived
 * from `computeReach` and `resolveMatrix` without drawing: which reach answer belongs to which
 * path, the labels, the order of the matrix rows and how its columns are split into tables. Pure,
 * so it is tested without a PDF. No verdict is recomputed here.
 */
import type { MatrixResult, MatrixRow } from '../../shared/egress/matrix';
import { endpointsBeyondSubnet, entriesBeyondSubnet, nicsFollowingSubnet, openingEntry, reachPortsText } from '../../shared/egress/reach';
import type { ReachEntry, ReachKind, ReachResult, ReachSource } from '../../shared/egress/reach';
import { EXITS, VERDICTS as VERDICT_LABELS } from '../../shared/egress/types';
import type { EgressPath, ExitMethod, PathSource, Verdict } from '../../shared/egress/types';
import type { Gap } from '../../shared/model/gaps';
import { nameFromResourceId, parseResourceId, toResourceId } from '../../shared/model/ids';
import type { NetworkModel } from '../../shared/model/topology';
import { nicSubnets } from './facts';

/** "1 destination", "3 destinations", "1,000 sources". */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? singular : pluralForm}`;
}

export const REACH_KIND_LABEL: Readonly<Record<ReachKind, string>> = {
  'fqdn': 'FQDN', 'fqdn-tag': 'FQDN tag', 'cidr': 'CIDR', 'service-tag': 'Service tag', 'web-category': 'Web category', 'any': 'Any',
};

/** Verdicts for narrow cells: the full labels ("Private (never internet)") do not fit a matrix column. */
export const SHORT_VERDICT: Readonly<Record<Verdict, string>> = {
  'internet': 'Internet', 'private': 'Private', 'on-premises': 'On-premises', 'dropped': 'Dropped', 'denied': 'Denied', 'no-outbound': 'No outbound', 'unknown': 'Unknown',
};

/** Verdicts in their declared order, for counts that read the same in every report. */
const VERDICT_ORDER = Object.keys(VERDICT_LABELS) as readonly Verdict[];

/**
 * Rules write "*" and "Any"; an auditor reads words. Ports as `reachPortsText` says them (ranges
 * that touch merged: reach's `0-442`, `443`, `444-65535` is "any port"), so the table, the headline,
 * the app and the CLI say one thing.
 */
export function portsLabel(entry: Pick<ReachEntry, 'ports' | 'protocols'>): string {
  const protocols = entry.protocols.map((p) => (p === '*' || p.toLowerCase() === 'any' ? 'any protocol' : p));
  const ports = entry.ports.map((p) => (p.toLowerCase() === 'any' ? '*' : p));
  return `${protocols.join('/') || 'any protocol'} ${ports.length === 0 ? 'any port' : reachPortsText({ ports, protocols: [] })}`;
}

export function verdictWithExit(verdict: Verdict, exit: ExitMethod | null): string {
  return `${SHORT_VERDICT[verdict]}${exit === null ? '' : ` via ${EXITS[exit]}`}`;
}

/** Sources compare as type plus canonical ID (ARM IDs are case-insensitive). */
export function sourceKey(source: PathSource): string {
  return `${source.type}|${toResourceId(source.id)}`;
}

/**
 * The sources `computeReach` is asked about: the paths in scope and the subnets of their NICs. A NIC
 * has a default-route path of its own only when it differs from its subnet's; a NIC path that exists
 * only for a what-if destination takes its subnet's reach.
 */
export function reachScope(paths: readonly EgressPath[], model: NetworkModel): (source: PathSource) => boolean {
  const sections = new Set(paths.map((p) => sourceKey(p.source)));
  const keys = new Set(sections);
  const subnets = nicSubnets(model);
  for (const p of paths) {
    const subnetId = p.source.type === 'nic' ? subnets.get(toResourceId(p.source.id)) : undefined;
    if (subnetId) keys.add(`subnet|${subnetId}`);
  }
  // A NIC reach answers for on its own while it follows its subnet's path (see `followsSubnet`):
  // its subnet's section states it, so it is in scope with that section.
  return (source) => keys.has(sourceKey(source)) || (source.type === 'nic' && source.subnetId !== undefined && sections.has(`subnet|${toResourceId(source.subnetId)}`));
}

export interface PathReach {
  readonly reach: ReachSource;
  /** Name of the subnet whose reach a NIC path shows, when the NIC has no default-route path of its own. */
  readonly sameAsSubnet: string | null;
  /**
   * For a subnet: its NICs that reach answers for on their own and that have no path section (they
   * follow the subnet on TCP 443; their NSG rules, an ASG's, open other ports), each with the
   * entries the subnet's reach does not have.
   */
  readonly nics: readonly NicReach[];
}

export interface NicReach {
  readonly reach: ReachSource;
  /** The NIC's entries that its subnet's reach does not list alike. */
  readonly beyondSubnet: readonly ReachEntry[];
  /** Its private endpoint entries the subnet does not state alike, and the subnet's it does not reach. */
  readonly endpoints: ReturnType<typeof endpointsBeyondSubnet>;
}

/** The reach answer for each path in scope, by `sourceKey`. */
export function reachByPath(reach: ReachResult, paths: readonly EgressPath[], model: NetworkModel): ReadonlyMap<string, PathReach> {
  const bySource = new Map(reach.sources.map((s) => [sourceKey(s.source), s]));
  const subnets = nicSubnets(model);
  const out = new Map<string, PathReach>();
  for (const path of paths) {
    const key = sourceKey(path.source);
    const own = bySource.get(key);
    if (own) {
      const nics = path.source.type === 'subnet'
        ? nicsFollowingSubnet(reach, path.source.id).map((nic): NicReach => ({ reach: nic, beyondSubnet: entriesBeyondSubnet(nic, own), endpoints: endpointsBeyondSubnet(nic, own) }))
        : [];
      out.set(key, { reach: own, sameAsSubnet: null, nics });
      continue;
    }
    const subnetId = path.source.type === 'nic' ? subnets.get(toResourceId(path.source.id)) : undefined;
    const subnet = subnetId ? bySource.get(`subnet|${subnetId}`) : undefined;
    if (subnet) out.set(key, { reach: subnet, sameAsSubnet: subnet.source.name, nics: [] });
  }
  return out;
}

/** The entry that makes a source unrestricted, every public destination allowed to the internet. */
export const openEntry = openingEntry;

/**
 * Matrix rows in the export, in the order of the path sections (a NIC that differs only for some
 * destination sits after its subnet); rows of sources without a section keep the matrix's order at
 * the end.
 */
export function matrixRowsInScope(matrix: MatrixResult, paths: readonly EgressPath[], model: NetworkModel, keep: (source: PathSource) => boolean): readonly MatrixRow[] {
  const position = new Map(paths.map((p, i) => [sourceKey(p.source), i]));
  const subnets = nicSubnets(model);
  const rank = (row: MatrixRow): number => {
    const own = position.get(sourceKey(row.source));
    if (own !== undefined) return own;
    const subnetId = row.source.type === 'nic' ? subnets.get(toResourceId(row.source.id)) : undefined;
    const parent = subnetId ? position.get(`subnet|${subnetId}`) : undefined;
    return parent === undefined ? paths.length : parent + 0.5;
  };
  // Array.prototype.sort is stable: equal ranks keep the matrix's (ID-sorted) order.
  return matrix.rows.filter((r) => keep(r.source)).map((row) => ({ row, rank: rank(row) })).sort((a, b) => a.rank - b.rank).map((r) => r.row);
}

/**
 * Row labels: the source's name, "(NIC)" for NICs, and the VNet's name for a subnet whose name is
 * not unique among the rows (every hub has a GatewaySubnet).
 */
export function matrixRowLabels(rows: readonly MatrixRow[], model: NetworkModel): readonly string[] {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.source.name.toLowerCase(), (counts.get(r.source.name.toLowerCase()) ?? 0) + 1);
  const vnetNames = new Map(model.virtualNetworks.map((v) => [toResourceId(v.id), v.name]));
  return rows.map(({ source }) => {
    if (source.type === 'nic') return `${source.name} (NIC)`;
    if ((counts.get(source.name.toLowerCase()) ?? 0) < 2) return source.name;
    const vnetId = toResourceId(source.id).split('/').slice(0, -2).join('/');
    return `${source.name} · ${vnetNames.get(toResourceId(vnetId)) ?? nameFromResourceId(vnetId)}`;
  });
}

/** Column ranges [start, end) of at most `perTable` destinations each. */
export function columnChunks(count: number, perTable: number): readonly (readonly [number, number])[] {
  const out: (readonly [number, number])[] = [];
  for (let start = 0; start < count; start += perTable) out.push([start, Math.min(count, start + perTable)]);
  return out;
}

/** Cells per verdict over the rows shown, non-zero only, in the declared verdict order. */
export function matrixCounts(rows: readonly MatrixRow[]): readonly (readonly [Verdict, number])[] {
  const counts = new Map<Verdict, number>();
  for (const row of rows) for (const cell of row.results) counts.set(cell.verdict, (counts.get(cell.verdict) ?? 0) + 1);
  return VERDICT_ORDER.flatMap((v) => {
    const n = counts.get(v) ?? 0;
    return n > 0 ? [[v, n] as const] : [];
  });
}

/** A private endpoint's target as "name (type)"; the full ID is long and says little more to a reader. */
export function privateTargetLabel(target: string): string {
  if (!target.startsWith('/')) return target;
  const parts = parseResourceId(target);
  const type = parts?.type.split('/').pop();
  return `${nameFromResourceId(target)}${type ? ` (${type})` : ''}`;
}

/**
 * Gaps the reach and matrix resolves met that the main gaps list does not already state: one list,
 * de-duplicated the way `mergeGaps` does it, in first-seen order (deterministic output).
 */
export function additionalGaps(known: readonly Gap[], ...lists: readonly (readonly Gap[])[]): readonly Gap[] {
  const key = (g: Gap): string => `${g.code}\u0000${toResourceId(g.scope)}\u0000${g.message}`;
  const seen = new Set(known.map(key));
  const out: Gap[] = [];
  for (const gap of lists.flat()) {
    const k = key(gap);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(gap);
  }
  return out;
}

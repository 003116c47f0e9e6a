/**
 * Derived views for "Can reach" and the destinations matrix: entries grouped by kind, matrix rows
 * grouped like the source list (subscription → VNet → subnet, NICs under their subnet), and the
 * verdict badge of a cell. Pure functions; the verdicts come from the engine, the UI only names them.
 */
import type { MatrixCell, MatrixResult } from '../../shared/egress/matrix';
import type { ReachEntry, ReachKind } from '../../shared/egress/reach';
import type { ExitMethod, PathSource, Verdict, Via, ViaKind } from '../../shared/egress/types';
import { nameFromResourceId } from '../../shared/model/ids';
import type { NetworkModel } from '../../shared/model/topology';
import { type Badge, badgeFor } from './badges';
import { findResource, indexModel } from './selectors';

/** The order and headings of "Can reach" groups: named destinations first, the catch-all last. */
export const REACH_KIND_ORDER: readonly { readonly kind: ReachKind; readonly label: string }[] = [
  { kind: 'fqdn', label: 'FQDN' },
  { kind: 'fqdn-tag', label: 'FQDN tag' },
  { kind: 'cidr', label: 'CIDR' },
  { kind: 'service-tag', label: 'Service tag' },
  { kind: 'web-category', label: 'Web category' },
  { kind: 'any', label: 'Any destination' },
];

export interface ReachGroup {
  readonly kind: ReachKind;
  readonly label: string;
  readonly entries: readonly ReachEntry[];
}

export function groupReachEntries(entries: readonly ReachEntry[]): readonly ReachGroup[] {
  return REACH_KIND_ORDER
    .map(({ kind, label }) => ({ kind, label, entries: entries.filter((e) => e.kind === kind) }))
    .filter((g) => g.entries.length > 0);
}

/** `Https 443`, `UDP 123`, `TCP 22, 2222`: the protocols, then the ports. */
/** An entry's protocols and ports in words (one wording for the app, the CLI and the PDF headline). */
export { reachPortsText as portsText } from '../../shared/egress/reach';

/**
 * Reach entries and matrix cells carry the appliances passed as resource IDs only; the badge needs
 * their kind (a firewall on the path is what "Internet via firewall" says), so look it up in the model.
 */
function viaKindOf(model: NetworkModel, id: string): ViaKind | null {
  const r = findResource(model, id);
  switch (r?.kind) {
    case 'azureFirewall': return 'azure-firewall';
    case 'networkInterface': return 'nva';
    case 'loadBalancer': return 'internal-load-balancer';
    case 'privateEndpoint': return 'private-endpoint';
    default: return null;
  }
}

export function viaFromIds(model: NetworkModel, ids: readonly string[]): readonly Via[] {
  return ids.flatMap((id) => {
    const kind = viaKindOf(model, id);
    return kind === null ? [] : [{ kind, id }];
  });
}

/** The same badge (label and tone) the source list gives a path with this verdict, exit and appliances. */
export function verdictBadge(
  model: NetworkModel,
  answer: { readonly verdict: Verdict; readonly exit: ExitMethod | null; readonly via: readonly string[] },
  source?: Pick<PathSource, 'role'>,
): Badge {
  return badgeFor({ verdict: answer.verdict, exit: answer.exit, via: viaFromIds(model, answer.via), ...(source ? { source } : {}) });
}

export interface MatrixCellView {
  readonly destination: string;
  readonly badge: Badge;
  readonly cell: MatrixCell;
}

export interface MatrixRowView {
  readonly source: PathSource;
  /** NICs are listed under their subnet, indented. */
  readonly nested: boolean;
  readonly cells: readonly MatrixCellView[];
}

export interface MatrixVnetGroup {
  readonly virtualNetworkId: string;
  readonly name: string;
  readonly rows: readonly MatrixRowView[];
}

export interface MatrixSubscriptionGroup {
  readonly subscriptionId: string;
  readonly vnets: readonly MatrixVnetGroup[];
}

export interface MatrixColumn {
  readonly destination: string;
  readonly label: string | null;
  readonly interpretation: string;
}

export interface MatrixView {
  readonly columns: readonly MatrixColumn[];
  readonly groups: readonly MatrixSubscriptionGroup[];
  readonly rowCount: number;
}

function subscriptionOf(id: string): string {
  return /^\/subscriptions\/([^/]+)/i.exec(id)?.[1] ?? 'unknown subscription';
}

function vnetIdOf(subnetId: string): string {
  const at = subnetId.toLowerCase().lastIndexOf('/subnets/');
  return at < 0 ? subnetId : subnetId.slice(0, at);
}

/** Matrix rows in the source list's order: subscription, VNet by name, subnet by name, its NICs after it. */
export function buildMatrixView(model: NetworkModel, matrix: MatrixResult): MatrixView {
  const index = indexModel(model);
  interface Draft { row: MatrixRowView; nics: MatrixRowView[] }
  const subnets = new Map<string, Draft>();
  const nics: { subnetKey: string; row: MatrixRowView }[] = [];
  for (const r of matrix.rows) {
    // Cells name the verdict for that destination, without the list's platform label (which would
    // read the same in every column); the row header marks platform subnets instead.
    const row: MatrixRowView = {
      source: r.source,
      nested: false,
      cells: r.results.map((cell) => ({ destination: cell.destination, cell, badge: verdictBadge(model, cell) })),
    };
    const key = r.source.id.toLowerCase();
    if (r.source.type === 'subnet') subnets.set(key, { row, nics: [] });
    else nics.push({ subnetKey: index.nicSubnet.get(key) ?? `orphan:${key}`, row: { ...row, nested: true } });
  }
  for (const { subnetKey, row } of nics) {
    const parent = subnets.get(subnetKey);
    if (parent) parent.nics.push(row);
    else subnets.set(row.source.id.toLowerCase(), { row: { ...row, nested: false }, nics: [] });
  }
  const bySubscription = new Map<string, Map<string, { name: string; drafts: Draft[] }>>();
  for (const [key, draft] of subnets) {
    const resource = index.byId.get(key);
    const vnetId = resource?.kind === 'subnet' ? resource.virtualNetworkId.toLowerCase() : vnetIdOf(key);
    const subscriptionId = resource?.subscriptionId ?? subscriptionOf(key);
    const vnets = bySubscription.get(subscriptionId) ?? new Map<string, { name: string; drafts: Draft[] }>();
    bySubscription.set(subscriptionId, vnets);
    const group = vnets.get(vnetId) ?? { name: index.byId.get(vnetId)?.name ?? nameFromResourceId(vnetId), drafts: [] };
    vnets.set(vnetId, group);
    group.drafts.push(draft);
  }
  const byName = (a: MatrixRowView, b: MatrixRowView) => a.source.name.localeCompare(b.source.name);
  const groups: MatrixSubscriptionGroup[] = [...bySubscription.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([subscriptionId, vnets]) => ({
      subscriptionId,
      vnets: [...vnets.entries()]
        .sort(([, a], [, b]) => a.name.localeCompare(b.name))
        .map(([virtualNetworkId, g]) => ({
          virtualNetworkId,
          name: g.name,
          rows: [...g.drafts].sort((a, b) => byName(a.row, b.row)).flatMap((d) => [d.row, ...[...d.nics].sort(byName)]),
        })),
    }));
  return {
    columns: matrix.destinations.map((d) => ({ destination: d.destination, label: d.label, interpretation: d.interpretation })),
    groups,
    rowCount: matrix.rows.length,
  };
}

/**
 * The source to select for a matrix row once the what-if has resolved: the row's own path, or (a
 * NIC that only differs for another destination) its subnet's; null when neither has a path.
 */
export function sourceToSelect(model: NetworkModel, paths: readonly { readonly source: PathSource }[], sourceId: string): string | null {
  const wanted = sourceId.toLowerCase();
  const own = paths.find((p) => p.source.id.toLowerCase() === wanted);
  if (own) return own.source.id;
  const subnetId = indexModel(model).nicSubnet.get(wanted);
  return subnetId === undefined ? null : paths.find((p) => p.source.id.toLowerCase() === subnetId)?.source.id ?? null;
}

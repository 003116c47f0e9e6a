/**
 * Topology in bulk: Azure Resource Graph first (1,000 rows a page, `$skipToken` paging, paced by
 * the quota headers), ARM `listAll` per subscription as the fallback when Resource Graph refuses a
 * scope (403), is down, or returns an incomplete answer. Never silently incomplete: an incomplete
 * Resource Graph answer is re-read through ARM; a failed ARM read becomes a gap.
 * [ARG paging] https://learn.microsoft.com/azure/governance/resource-graph/concepts/paging-results
 */
import type { NetworkManagementClient } from '@azure/arm-network';
import { gapFromError, isCancellation, PagingLoopError, statusOf } from './errors';
import { MalformedResponseError } from './policies';
import type { PullRuntime } from './runtime';

/** Resource types read for the egress model (lower case, as Resource Graph compares them). */
export const CORE_TYPES: readonly string[] = [
  'microsoft.network/virtualnetworks', 'microsoft.network/routetables', 'microsoft.network/natgateways',
  'microsoft.network/publicipaddresses', 'microsoft.network/publicipprefixes', 'microsoft.network/azurefirewalls',
  'microsoft.network/firewallpolicies', 'microsoft.network/networksecuritygroups', 'microsoft.network/loadbalancers',
  'microsoft.network/virtualnetworkgateways', 'microsoft.network/virtualhubs', 'microsoft.network/virtualwans',
  // Firewall rules name IP groups; without them such rules cannot be decided.
  'microsoft.network/ipgroups',
  // NVAs deployed in a Virtual WAN hub: a source of the hub's 0.0.0.0/0, a routing-intent next hop.
  'microsoft.network/networkvirtualappliances',
];
export const NIC_TYPES: readonly string[] = ['microsoft.network/networkinterfaces'];
/**
 * VMs, read only for `properties.virtualMachineScaleSet`: a Flexible-orchestration scale set
 * instance never gets default outbound access, and only its VM resource says it is one [DOA]
 * https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access
 * and for `properties.networkProfile.networkInterfaces`: the NICs of a multi-NIC VM (an NVA), so
 * one the pull did not read makes the appliance's answer unknown (NetworkInterface.missingSiblingNicIds),
 * and for `properties.availabilitySet`: "All virtual machines within an availability set must be
 * added to the backend pool for outbound connectivity" (load balancer outbound rules, Limitations)
 * https://learn.microsoft.com/azure/load-balancer/outbound-rules#limitations
 */
export const VM_TYPES: readonly string[] = ['microsoft.compute/virtualmachines'];

/** Resource Graph's maximum page. */
export const GRAPH_PAGE_SIZE = 1000;
/** Microsoft: pass subscriptions to Resource Graph in groups under 300. */
export const GRAPH_SUBSCRIPTION_BATCH = 250;

/** Slim, projected, ordered query: `id` is a string column, so Resource Graph returns `$skipToken`. */
export function buildGraphQuery(types: readonly string[]): string {
  return [
    'resources',
    `| where type in~ (${types.map((t) => `'${t}'`).join(', ')})`,
    '| project id, name, type, location, subscriptionId, resourceGroup, tags, sku, zones, properties',
    '| order by id asc',
  ].join('\n');
}

/**
 * The VM query: the envelope, `properties.virtualMachineScaleSet`, `properties.availabilitySet` and the NIC references of
 * `properties.networkProfile` alone, packed back under `properties` so the row keeps the REST
 * shape. A VM's full properties (profiles, instance view fragments) are most of its bytes and none
 * of the answer. Ordered by `id` for `$skipToken` paging.
 * [ARG query language] https://learn.microsoft.com/azure/governance/resource-graph/concepts/query-language
 */
export function buildVirtualMachineQuery(): string {
  return [
    'resources',
    `| where type in~ (${VM_TYPES.map((t) => `'${t}'`).join(', ')})`,
    "| project id, name, type, location, subscriptionId, resourceGroup, properties = pack('virtualMachineScaleSet', properties.virtualMachineScaleSet, 'availabilitySet', properties.availabilitySet, 'networkProfile', pack('networkInterfaces', properties.networkProfile.networkInterfaces))",
    '| order by id asc',
  ].join('\n');
}

export type GraphScope =
  | { readonly kind: 'subscriptions'; readonly subscriptionIds: readonly string[] }
  | { readonly kind: 'managementGroup'; readonly managementGroupId: string; readonly subscriptionIds: readonly string[] };

export type Item = Readonly<Record<string, unknown>>;

interface GraphOutcome {
  readonly rows: readonly Item[];
  readonly complete: boolean;
  readonly reason: string;
}

/**
 * arm-api.md §5.2: tenant and management-group scopes stop at 10,000 subscriptions and say so with
 * this header; the answer then covers part of the scope, and nothing else in it says so.
 */
const SUBSCRIPTION_LIMIT_HEADER = 'x-ms-tenant-subscription-limit-hit';

function scopeName(scope: GraphScope): string {
  return scope.kind === 'managementGroup' ? `/providers/Microsoft.Management/managementGroups/${scope.managementGroupId}` : 'tenant';
}

/** Rows by distinct resource ID (ARM IDs are case-insensitive); a row without an ID counts alone. */
function distinctRows(rows: readonly Item[]): number {
  const ids = new Set<string>();
  let withoutId = 0;
  for (const row of rows) {
    if (typeof row['id'] === 'string') ids.add(row['id'].toLowerCase());
    else withoutId += 1;
  }
  return ids.size + withoutId;
}

function isItem(value: unknown): value is Item {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads every page of one query; `complete` is false when rows went missing on the way. Paging is
 * complete only when the last page has no `$skipToken` and the DISTINCT rows read equal
 * `totalRecords` (arm-api.md §5.2, [ARG paging]): a row repeated on a later page (the result moved
 * under paging) keeps the row count right while a resource was never sent.
 */
async function queryAllPages(rt: PullRuntime, scope: GraphScope, query: string, onPage: (rows: readonly Item[]) => void, onTotal: (totalRecords: number) => void): Promise<GraphOutcome> {
  const pageSize = rt.graphPageSize;
  const rows: Item[] = [];
  let skipToken: string | undefined;
  let shortPageRetries = 0;
  let totalReported = false;
  // Every token already followed: one handed back again makes no progress, and following it
  // would never end (the standard: no hangs). Its page is then incomplete, re-read through ARM.
  const tokensFollowed = new Set<string>();
  for (;;) {
    rt.checkCancelled();
    const header = { limitHit: false };
    const response = await rt.graph.resources(
      {
        ...(scope.kind === 'subscriptions' ? { subscriptions: [...scope.subscriptionIds] } : { managementGroups: [scope.managementGroupId] }),
        query,
        options: { top: pageSize, resultFormat: 'objectArray', ...(skipToken === undefined ? {} : { skipToken }) },
      },
      {
        abortSignal: rt.signal,
        onResponse: (raw) => {
          header.limitHit = raw.headers.get(SUBSCRIPTION_LIMIT_HEADER)?.trim().toLowerCase() === 'true';
        },
      },
    );
    if (header.limitHit) {
      rt.addGap({
        code: 'request-failed', scope: scopeName(scope),
        message: `Resource Graph stopped at its limit of 10,000 subscriptions for a ${scope.kind === 'managementGroup' ? 'management-group' : 'tenant'} scope `
          + `(${SUBSCRIPTION_LIMIT_HEADER}: true): its answers cover only part of the scope, and resources in the subscriptions beyond the limit were not read. `
          + 'Pull with --subscription (batches under the limit) to read them.',
      });
    }
    // The SDK takes any 200 JSON object as a result; one without `totalRecords` and `data` is not one.
    const totalRecords: unknown = response.totalRecords;
    const data: unknown = response.data;
    if (typeof totalRecords !== 'number' || !Number.isFinite(totalRecords) || !Array.isArray(data)) {
      return { rows, complete: false, reason: `Resource Graph answered with something that is not a Resource Graph result (no totalRecords or data) after ${rows.length} rows` };
    }
    if (!totalReported) {
      totalReported = true;
      onTotal(totalRecords);
    }
    const page = data.filter(isItem);
    if (response.resultTruncated === 'true') {
      return { rows, complete: false, reason: `Resource Graph truncated the result (resultTruncated) after ${rows.length + page.length} of ${totalRecords} rows` };
    }
    // A page with a skipToken must be full; a short one lost rows. Ask for it again.
    const expected = response.skipToken ? pageSize : totalRecords - rows.length;
    if (page.length < expected) {
      if (shortPageRetries < 2) {
        shortPageRetries += 1;
        rt.stats.retries += 1;
        continue;
      }
      return { rows, complete: false, reason: `a Resource Graph page came back with ${page.length} of ${expected} rows` };
    }
    shortPageRetries = 0;
    rows.push(...page);
    onPage(page);
    if (!response.skipToken) {
      const distinct = distinctRows(rows);
      if (rows.length === totalRecords && distinct === totalRecords) return { rows, complete: true, reason: '' };
      return {
        rows, complete: false,
        reason: distinct === rows.length
          ? `Resource Graph returned ${rows.length} of ${totalRecords} rows`
          : `Resource Graph returned ${rows.length} rows but only ${distinct} distinct resources for totalRecords ${totalRecords} (a row came twice: the result changed while it was paged)`,
      };
    }
    if (tokensFollowed.has(response.skipToken)) {
      return { rows, complete: false, reason: `Resource Graph handed back a $skipToken it had already been asked with, after ${rows.length} of ${totalRecords} rows (paging made no progress)` };
    }
    tokensFollowed.add(response.skipToken);
    skipToken = response.skipToken;
  }
}

function halves<T>(list: readonly T[]): [readonly T[], readonly T[]] {
  const mid = Math.ceil(list.length / 2);
  return [list.slice(0, mid), list.slice(mid)];
}

/**
 * One group of types over a set of subscriptions: Resource Graph, splitting the scope on 403 to
 * isolate the subscription(s) it refuses (they go to ARM lists), falling back to ARM lists on any
 * other failure or incomplete answer.
 */
export async function fetchGroup(
  rt: PullRuntime, scope: GraphScope, types: readonly string[],
  onPage: (rows: readonly Item[], source: 'resource-graph' | 'arm') => void,
  onTotal: (totalRecords: number) => void = () => undefined,
): Promise<readonly Item[]> {
  const graphSubs = scope.subscriptionIds.filter((s) => !rt.graphDeniedSubscriptions.has(s.toLowerCase()));
  const viaArm = scope.subscriptionIds.filter((s) => rt.graphDeniedSubscriptions.has(s.toLowerCase()));
  const results: Item[] = [];
  if (viaArm.length > 0) results.push(...await listWithArm(rt, viaArm, types, (r) => onPage(r, 'arm')));
  if (scope.kind === 'subscriptions' && graphSubs.length === 0) return results;
  const graphScope: GraphScope = scope.kind === 'subscriptions' ? { kind: 'subscriptions', subscriptionIds: graphSubs } : scope;

  const attempt = async (s: GraphScope): Promise<{ rows: readonly Item[] } | { error: unknown; forbidden: boolean } | { incomplete: string }> => {
    try {
      const outcome = await queryAllPages(rt, s, buildGraphQuery(types), (r) => onPage(r, 'resource-graph'), onTotal);
      return outcome.complete ? { rows: outcome.rows } : { incomplete: outcome.reason };
    } catch (error) {
      if (isCancellation(error, rt.signal)) throw error;
      return { error, forbidden: statusOf(error) === 403 || statusOf(error) === 401 };
    }
  };

  const fallback = async (subs: readonly string[], why: string): Promise<readonly Item[]> => {
    rt.note(`${why}; reading ${subs.length} subscription(s) with ARM list calls instead.`);
    return listWithArm(rt, subs, types, (r) => onPage(r, 'arm'));
  };

  const isDenied = (sub: string): boolean => rt.graphDeniedSubscriptions.has(sub.toLowerCase());

  /**
   * A 403 on a batch says only that SOME subscription in it is refused. Bisect until every refused
   * subscription is asked alone: a subscription is recorded as refused only when Resource Graph
   * refused it alone (README "Live pull": a gap names the subscription and why; one never refused
   * must not be reported as refused, nor lose its VMs, which have no ARM fallback). Depth is at most
   * ceil(log2 n) levels; k refused subscriptions cost at most 2k·ceil(log2 n) queries, and a
   * subscription another group has already isolated is not asked again.
   */
  const solve = async (s: GraphScope): Promise<readonly Item[]> => {
    const known = s.kind === 'subscriptions' ? s.subscriptionIds.filter(isDenied) : [];
    if (s.kind === 'subscriptions' && known.length > 0) {
      const rest = s.subscriptionIds.filter((sub) => !isDenied(sub));
      const [viaList, viaGraph] = await Promise.all([
        fallback(known, `Resource Graph refused ${known.length === 1 ? `subscription ${known[0] ?? ''}` : `${known.length} subscriptions`}`),
        rest.length === 0 ? Promise.resolve([]) : solve({ kind: 'subscriptions', subscriptionIds: rest }),
      ]);
      return [...viaList, ...viaGraph];
    }
    const result = await attempt(s);
    if ('rows' in result) return result.rows;
    if ('incomplete' in result) return fallback(s.subscriptionIds, result.incomplete);
    if (!result.forbidden || s.kind === 'managementGroup' || s.subscriptionIds.length === 1) {
      if (result.forbidden) for (const sub of s.subscriptionIds) rt.graphDeniedSubscriptions.add(sub.toLowerCase());
      const why = result.forbidden && s.subscriptionIds.length === 1
        ? `Resource Graph refused subscription ${s.subscriptionIds[0] ?? ''}`
        : `Resource Graph failed (${String(statusOf(result.error) ?? 'network')})`;
      return fallback(s.subscriptionIds, why);
    }
    // One half after the other, not both at once: with many refused subscriptions a level of the
    // bisection is dozens of queries, and Resource Graph's quota (15 per 5 s per user) answers a
    // burst with 429s ([ARG throttling] guidance-for-throttled-requests: stagger queries). The
    // right half also profits from what the left one isolated (isDenied).
    const [left, right] = halves(s.subscriptionIds);
    const a = await solve({ kind: 'subscriptions', subscriptionIds: left });
    const b = await solve({ kind: 'subscriptions', subscriptionIds: right });
    return [...a, ...b];
  };

  results.push(...await solve(graphScope));
  return results;
}

/**
 * The VMs of one scope through Resource Graph (slim rows, see buildVirtualMachineQuery), for
 * Flexible scale set membership. Run after the core group, so subscriptions Resource Graph already
 * refused are not asked again. There is no ARM fallback (the pull has no compute client): a refusal
 * or failure is a gap, rows read before an incomplete answer are kept, and the engine keeps its own
 * gap for every NIC whose VM was not read. Resource Graph leaves out VMs the account may not read
 * (no 403): those NICs simply stay "not captured".
 * [ARG paging] https://learn.microsoft.com/azure/governance/resource-graph/concepts/paging-results
 */
export async function fetchVirtualMachines(rt: PullRuntime, scope: GraphScope): Promise<readonly Item[]> {
  const refused = scope.subscriptionIds.filter((s) => rt.graphDeniedSubscriptions.has(s.toLowerCase()));
  // A subscription ARM refused too already has its gap, and none of its NICs were read.
  const unread = refused.filter((s) => !rt.armDeniedSubscriptions.has(s.toLowerCase()));
  if (unread.length > 0) {
    rt.addGap({
      ...vmGapScope(unread), code: 'access-denied',
      message: `Resource Graph refused ${unread.length === 1 ? `subscription ${unread[0] ?? ''}` : `${unread.length} subscriptions (${listSome(unread)})`}: `
        + `its VMs (Microsoft.Compute/virtualMachines) were not read, and there is no ARM list fallback for them, so whether a VM is a Flexible scale set instance (no default outbound access) is not known there.`,
    });
  }
  const rest = scope.subscriptionIds.filter((s) => !rt.graphDeniedSubscriptions.has(s.toLowerCase()));
  if (rest.length === 0) return [];
  const graphScope: GraphScope = scope.kind === 'subscriptions' ? { kind: 'subscriptions', subscriptionIds: rest } : scope;
  const where = scope.kind === 'managementGroup' ? { scope: `/providers/Microsoft.Management/managementGroups/${scope.managementGroupId}` } : vmGapScope(rest);
  const what = 'Reading the VMs (Microsoft.Compute/virtualMachines, for Flexible scale set membership and the NICs of each VM) through Resource Graph';
  try {
    const outcome = await queryAllPages(rt, graphScope, buildVirtualMachineQuery(), () => undefined, () => undefined);
    if (!outcome.complete) {
      rt.addGap({ ...where, code: 'request-failed', message: `${what} was incomplete: ${outcome.reason}; there is no ARM list fallback for VMs, so the VMs not read count as not known.` });
    }
    return outcome.rows;
  } catch (error) {
    if (isCancellation(error, rt.signal)) throw error;
    const gap = gapFromError(where.scope, what, error, 'count' in where ? where.count : undefined);
    rt.addGap({ ...gap, message: `${gap.message} There is no ARM list fallback for VMs: whether they are Flexible scale set instances is not known.` });
    return [];
  }
}

/** One subscription: its VM type scope; several: the type, with how many subscriptions. */
function vmGapScope(subscriptionIds: readonly string[]): { readonly scope: string; readonly count?: number } {
  return subscriptionIds.length === 1
    ? { scope: `/subscriptions/${subscriptionIds[0] ?? ''}/providers/Microsoft.Compute/virtualMachines` }
    : { scope: 'Microsoft.Compute/virtualMachines', count: subscriptionIds.length };
}

function listSome(ids: readonly string[]): string {
  return ids.length <= 5 ? ids.join(', ') : `${ids.slice(0, 5).join(', ')}, …`;
}

// ---------------------------------------------------------------------------------------------
// ARM list fallback (the SDK returns flattened objects; normalizeArm accepts both shapes)

/** An SDK list, read a page at a time (each page carries the `nextLink` it continues with). */
interface Pager {
  byPage(): AsyncIterable<readonly unknown[] & { readonly continuationToken?: string }>;
}

type Lister = (client: NetworkManagementClient, signal: AbortSignal | undefined) => Pager;

const LISTERS: Readonly<Record<string, Lister>> = {
  'microsoft.network/virtualnetworks': (c, abortSignal) => c.virtualNetworks.listAll({ abortSignal }),
  'microsoft.network/routetables': (c, abortSignal) => c.routeTables.listAll({ abortSignal }),
  'microsoft.network/natgateways': (c, abortSignal) => c.natGateways.listAll({ abortSignal }),
  'microsoft.network/publicipaddresses': (c, abortSignal) => c.publicIPAddresses.listAll({ abortSignal }),
  'microsoft.network/publicipprefixes': (c, abortSignal) => c.publicIPPrefixes.listAll({ abortSignal }),
  'microsoft.network/azurefirewalls': (c, abortSignal) => c.azureFirewalls.listAll({ abortSignal }),
  'microsoft.network/firewallpolicies': (c, abortSignal) => c.firewallPolicies.listAll({ abortSignal }),
  'microsoft.network/networksecuritygroups': (c, abortSignal) => c.networkSecurityGroups.listAll({ abortSignal }),
  'microsoft.network/loadbalancers': (c, abortSignal) => c.loadBalancers.listAll({ abortSignal }),
  'microsoft.network/virtualhubs': (c, abortSignal) => c.virtualHubs.list({ abortSignal }),
  'microsoft.network/virtualwans': (c, abortSignal) => c.virtualWans.list({ abortSignal }),
  'microsoft.network/ipgroups': (c, abortSignal) => c.ipGroups.list({ abortSignal }),
  'microsoft.network/networkvirtualappliances': (c, abortSignal) => c.networkVirtualAppliances.list({ abortSignal }),
  'microsoft.network/networkinterfaces': (c, abortSignal) => c.networkInterfaces.listAll({ abortSignal }),
};

/**
 * Every page of one ARM list. A `nextLink` that leads back to a page already read makes no
 * progress and would be followed for ever (the standard: no hangs): the list stops with a
 * PagingLoopError, a gap for that list. A TypeError thrown inside the SDK pager means a page that
 * is not an ARM list at all; it becomes a MalformedResponseError so the gap says that.
 */
async function drain(pager: Pager): Promise<Item[]> {
  const out: Item[] = [];
  const followed = new Set<string>();
  try {
    for await (const page of pager.byPage()) {
      for (const item of page) if (isItem(item)) out.push(item);
      const next = page.continuationToken;
      if (next === undefined || next.length === 0) continue;
      if (followed.has(next)) {
        throw new PagingLoopError(`The list's nextLink (${pathOf(next)}) led back to a page already read; following it would never end, so the list was stopped after ${out.length} item(s) and is incomplete.`);
      }
      followed.add(next);
    }
  } catch (error) {
    if (error instanceof TypeError) {
      // The TypeError's own text ("Cannot read properties of undefined") says nothing to an auditor.
      throw new MalformedResponseError('Azure answered with a list page that is not an ARM list (no `value` array); the list was not read.');
    }
    throw error;
  }
  return out;
}

function pathOf(url: string): string {
  try {
    return new URL(url, 'https://management.azure.com').pathname;
  } catch {
    return url;
  }
}

/** Reads a value from REST (`properties.x`) or flattened (`x`) shape. */
export function field(item: Item, key: string): unknown {
  const props = item['properties'];
  if (isItem(props) && props[key] !== undefined && props[key] !== null) return props[key];
  return item[key];
}

export function refId(value: unknown): string | null {
  return isItem(value) && typeof value['id'] === 'string' ? value['id'] : null;
}

/**
 * Resource groups that may hold VNet gateways (there is no listAll for them): the groups named by
 * the GatewaySubnet's ipConfigurations back-references, plus the VNet's own group.
 */
export function gatewayResourceGroups(vnets: readonly Item[]): readonly string[] {
  const groups = new Set<string>();
  for (const vnet of vnets) {
    const subnets = field(vnet, 'subnets');
    if (!Array.isArray(subnets)) continue;
    for (const subnet of subnets) {
      if (!isItem(subnet) || String(subnet['name']).toLowerCase() !== 'gatewaysubnet') continue;
      const vnetGroup = /\/resourcegroups\/([^/]+)\//i.exec(typeof vnet['id'] === 'string' ? vnet['id'] : '')?.[1];
      if (vnetGroup) groups.add(vnetGroup.toLowerCase());
      const configs = field(subnet, 'ipConfigurations');
      if (!Array.isArray(configs)) continue;
      for (const config of configs) {
        const m = /\/resourcegroups\/([^/]+)\/providers\/microsoft\.network\/virtualnetworkgateways\//i.exec(refId(config) ?? '');
        if (m?.[1]) groups.add(m[1].toLowerCase());
      }
    }
  }
  return [...groups].sort();
}

async function listWithArm(rt: PullRuntime, subscriptionIds: readonly string[], types: readonly string[], onPage: (rows: readonly Item[]) => void): Promise<readonly Item[]> {
  const perSub = await Promise.all(subscriptionIds.map((sub) => listSubscription(rt, sub, types, onPage)));
  return perSub.flat();
}

async function listSubscription(rt: PullRuntime, subscriptionId: string, types: readonly string[], onPage: (rows: readonly Item[]) => void): Promise<readonly Item[]> {
  const client = rt.network(subscriptionId);
  const scope = `/subscriptions/${subscriptionId}`;
  const key = subscriptionId.toLowerCase();
  let denied = rt.armDeniedSubscriptions.has(key);
  const out: Item[] = [];
  const failed = (type: string): void => {
    const types = rt.armFailedLists.get(key) ?? new Set<string>();
    types.add(type);
    rt.armFailedLists.set(key, types);
  };
  // `probe`: the first list of the subscription. Refused, the subscription is taken as refused (the
  // other types are not asked). A later list refused is that type's alone: the probe read the
  // subscription, so the gap names the type, and the other types (VNet gateways among them) are read.
  const readType = async (type: string, list: () => Pager, probe = false): Promise<void> => {
    if (denied) return;
    try {
      const items = await rt.limiter.run(() => drain(list()));
      out.push(...items);
      onPage(items);
    } catch (error) {
      if (isCancellation(error, rt.signal)) throw error;
      const status = statusOf(error);
      if (probe && (status === 403 || status === 401)) {
        if (!denied) rt.addGap(gapFromError(scope, `Reading subscription ${subscriptionId} (its first list, ${type}, was refused, so no other type was asked)`, error));
        denied = true;
        rt.armDeniedSubscriptions.add(key);
        return;
      }
      failed(type);
      rt.addGap(gapFromError(`${scope}/providers/${type}`, `Listing ${type} in subscription ${subscriptionId}`, error));
    }
  };
  const listable = types.filter((t) => LISTERS[t] !== undefined);
  // Probe with one type alone so a subscription that answers 403 costs one request, not twelve;
  // groups listing the same subscription at the same time share the probe.
  let rest = listable;
  const probe = rt.armProbes.get(key);
  if (probe !== undefined) {
    await probe;
  } else if (listable[0] !== undefined) {
    const first = listable[0];
    rest = listable.slice(1);
    const probing = readType(first, () => (LISTERS[first] as Lister)(client, rt.signal), true);
    rt.armProbes.set(key, probing);
    await probing;
  }
  denied = denied || rt.armDeniedSubscriptions.has(key);
  await Promise.all(rest.map((t) => readType(t, () => (LISTERS[t] as Lister)(client, rt.signal))));
  if (types.includes('microsoft.network/virtualnetworkgateways') && !denied) {
    const vnets = out.filter((i) => String(i['type']).toLowerCase() === 'microsoft.network/virtualnetworks');
    await Promise.all(gatewayResourceGroups(vnets).map((rg) =>
      readType('microsoft.network/virtualnetworkgateways', () => client.virtualNetworkGateways.list(rg, { abortSignal: rt.signal }))));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Child resources Resource Graph's `resources` table does not hold

function parseParent(id: string): { subscriptionId: string; resourceGroup: string; name: string } | null {
  const m = /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/providers\/[^/]+\/[^/]+\/([^/]+)$/i.exec(id);
  return m ? { subscriptionId: m[1] ?? '', resourceGroup: m[2] ?? '', name: m[3] ?? '' } : null;
}

/** What fetchChildren read, and the hubs whose VNet connections (or BGP connections) it could not read (their IDs as ARM gave them). */
export interface ChildItems {
  readonly items: readonly Item[];
  readonly hubsWithUnreadConnections: readonly string[];
  /** Hubs whose bgpConnections list failed and whose own document does not list them (VirtualHub.bgpConnectionsRead). */
  readonly hubsWithUnreadBgpConnections: readonly string[];
}

/**
 * Firewall policy rule collection groups and, per virtual hub, its VNet connections, routing
 * intent, route tables and BGP peerings: separate ARM resources that normalizeArm merges into
 * their parents. A hub whose connection list fails is reported apart: which VNets it connects is
 * then a missing fact (VirtualHub.connectionsRead), not "none".
 */
export async function fetchChildren(rt: PullRuntime, core: readonly Item[]): Promise<ChildItems> {
  const items: Item[] = [];
  const hubsWithUnreadConnections: string[] = [];
  const hubsWithUnreadBgpConnections: string[] = [];
  const read = async (scope: string, what: string, list: () => Pager, onFailure?: () => void): Promise<void> => {
    try {
      items.push(...await rt.limiter.run(() => drain(list())));
    } catch (error) {
      if (isCancellation(error, rt.signal)) throw error;
      rt.addGap(gapFromError(scope, what, error));
      onFailure?.();
    }
  };
  const tasks: Promise<void>[] = [];
  for (const item of core) {
    const type = String(item['type']).toLowerCase();
    const id = typeof item['id'] === 'string' ? item['id'] : '';
    const parent = parseParent(id);
    if (!parent) continue;
    const client = rt.network(parent.subscriptionId);
    const abortSignal = rt.signal;
    if (type === 'microsoft.network/firewallpolicies') {
      const groups = field(item, 'ruleCollectionGroups');
      if (!Array.isArray(groups) || groups.length === 0) continue;
      tasks.push(read(id, `Reading the rule collection groups of firewall policy ${parent.name}`,
        () => client.firewallPolicyRuleCollectionGroups.list(parent.resourceGroup, parent.name, { abortSignal })));
    } else if (type === 'microsoft.network/virtualhubs') {
      tasks.push(read(id, `Reading the VNet connections of virtual hub ${parent.name}`,
        () => client.hubVirtualNetworkConnections.list(parent.resourceGroup, parent.name, { abortSignal }),
        () => hubsWithUnreadConnections.push(id)));
      tasks.push(read(id, `Reading the routing intent of virtual hub ${parent.name}`,
        () => client.routingIntentOperations.list(parent.resourceGroup, parent.name, { abortSignal })));
      // The hub's route tables say whether it hands its connections a 0.0.0.0/0 without routing
      // intent (a classic secured hub, forced tunnelling): without them that answer is unknown.
      tasks.push(read(id, `Reading the route tables of virtual hub ${parent.name}`,
        () => client.hubRouteTables.list(parent.resourceGroup, parent.name, { abortSignal })));
      // BGP peerings of the hub router with NVAs: a source of the hub's 0.0.0.0/0 [VWAN-INET]. A
      // failed list leaves them unknown unless the hub's own document lists them (bgpConnections,
      // references that name each peering: the engine then asks about each one it names).
      const listed = Array.isArray(field(item, 'bgpConnections'));
      tasks.push(read(id, `Reading the BGP connections of virtual hub ${parent.name}`,
        () => client.virtualHubBgpConnections.list(parent.resourceGroup, parent.name, { abortSignal }),
        listed ? undefined : () => hubsWithUnreadBgpConnections.push(id)));
    }
  }
  await Promise.all(tasks);
  return { items, hubsWithUnreadConnections, hubsWithUnreadBgpConnections };
}

// ---------------------------------------------------------------------------------------------
// Uniform scale set instances: NICs and public IPs under the Compute provider's path

/** A Uniform-orchestration scale set some IP configuration names (`…/virtualMachineScaleSets/{name}/virtualMachines/{i}/…`). */
export interface ScaleSetRef {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly name: string;
  /** `/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachineScaleSets/{name}`, casing as found. */
  readonly id: string;
  /** Names of the subnets whose `ipConfigurations` list one of its instances (for the gap text). */
  readonly subnets: readonly string[];
}

const SCALE_SET_MEMBER = /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/providers\/microsoft\.compute\/virtualmachinescalesets\/([^/]+)\/virtualmachines\/[^/]+\//i;

/**
 * The Uniform scale sets whose instances the core topology names: subnets' `ipConfigurations`
 * back-references (every IP configuration using the subnet, Subnets - Get
 * https://learn.microsoft.com/rest/api/virtualnetwork/subnets/get) and load balancer backend
 * pools' `backendIPConfigurations`. Their instance NICs are in neither Resource Graph's `resources`
 * table nor `networkInterfaces.listAll` (AKS node pools are such scale sets). Sorted, one per
 * scale set (IDs compared case-insensitively), as gatewayResourceGroups finds gateways' groups.
 */
export function uniformScaleSets(core: readonly Item[]): readonly ScaleSetRef[] {
  const found = new Map<string, { subscriptionId: string; resourceGroup: string; name: string; id: string; subnets: Set<string> }>();
  const note = (configId: string | null, subnet: string | null): void => {
    const m = SCALE_SET_MEMBER.exec(configId ?? '');
    if (!m?.[1] || !m[2] || !m[3]) return;
    const id = `/subscriptions/${m[1]}/resourceGroups/${m[2]}/providers/Microsoft.Compute/virtualMachineScaleSets/${m[3]}`;
    const key = id.toLowerCase();
    const entry = found.get(key) ?? { subscriptionId: m[1], resourceGroup: m[2], name: m[3], id, subnets: new Set<string>() };
    if (subnet !== null) entry.subnets.add(subnet);
    found.set(key, entry);
  };
  for (const item of core) {
    const type = String(item['type']).toLowerCase();
    if (type === 'microsoft.network/virtualnetworks') {
      const subnets = field(item, 'subnets');
      if (!Array.isArray(subnets)) continue;
      for (const subnet of subnets) {
        if (!isItem(subnet)) continue;
        const configs = field(subnet, 'ipConfigurations');
        const name = typeof subnet['name'] === 'string' ? subnet['name'] : null;
        if (Array.isArray(configs)) for (const config of configs) note(refId(config), name);
      }
    } else if (type === 'microsoft.network/loadbalancers') {
      const pools = field(item, 'backendAddressPools');
      if (!Array.isArray(pools)) continue;
      for (const pool of pools) {
        const configs = isItem(pool) ? field(pool, 'backendIPConfigurations') : null;
        if (Array.isArray(configs)) for (const config of configs) note(refId(config), null);
      }
    }
  }
  return [...found.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, e]) => ({ subscriptionId: e.subscriptionId, resourceGroup: e.resourceGroup, name: e.name, id: e.id, subnets: [...e.subnets].sort() }));
}

/** The list an item came from names its type; Microsoft's VMSS list examples carry none (VmssPublicIpListAll.json). */
function typed(item: Item, type: string): Item {
  return typeof item['type'] === 'string' && item['type'].includes('/') ? item : { ...item, type };
}

/** Public IP IDs the NICs' IP configurations name (REST or flattened shape). */
function publicIpIdsOf(nics: readonly Item[]): readonly string[] {
  const ids: string[] = [];
  for (const nic of nics) {
    const configs = field(nic, 'ipConfigurations');
    if (!Array.isArray(configs)) continue;
    for (const config of configs) {
      const pip = isItem(config) ? refId(field(config, 'publicIPAddress')) : null;
      if (pip !== null) ids.push(pip);
    }
  }
  return ids;
}

const scaleSetsAsked = new WeakMap<PullRuntime, Set<string>>();

function whereListed(set: ScaleSetRef): string {
  return set.subnets.length === 0
    ? 'the entries of the subnets they are in stand for them'
    : `subnet ${set.subnets.join(', ')}'s entry stands for them`;
}

/**
 * The instance NICs and instance-level public IPs of each Uniform scale set the core topology
 * names (uniformScaleSets), read-only, one paged list each per scale set, through the limiter:
 * NetworkInterfaces_ListVirtualMachineScaleSetNetworkInterfaces (what `az vmss nic list` calls: "Get all
 * network interfaces in a virtual machine scale set. This command is Uniform-specific"
 * https://learn.microsoft.com/cli/azure/vmss/nic) and, only when one of those NICs names a public IP,
 * PublicIPAddresses_ListVirtualMachineScaleSetPublicIPAddresses (the SDK asks both with api-version
 * 2018-10-01; Flexible instances' NICs are plain NICs, read with the others). Items are typed after their list. A failed list
 * (403, 5xx, throttling or a timeout past their retries) is a gap naming the scale set and what is
 * then unknown; the subnet then lists IP configurations the snapshot lacks (Subnet.unreadIpConfigurations).
 */
export async function fetchScaleSetInstances(rt: PullRuntime, core: readonly Item[]): Promise<readonly Item[]> {
  const items: Item[] = [];
  // Scopes (Resource Graph batches) run side by side: a scale set named by two of them is read once.
  const asked = scaleSetsAsked.get(rt) ?? new Set<string>();
  scaleSetsAsked.set(rt, asked);
  const sets = uniformScaleSets(core).filter((set) => {
    const key = set.id.toLowerCase();
    if (asked.has(key)) return false;
    asked.add(key);
    return true;
  });
  const abortSignal = rt.signal;
  const read = async (set: ScaleSetRef): Promise<void> => {
    const what = `Uniform virtual machine scale set ${set.name} (resource group ${set.resourceGroup})`;
    if (rt.armDeniedSubscriptions.has(set.subscriptionId.toLowerCase())) {
      rt.addGap({
        code: 'access-denied', scope: set.id,
        message: `The instance NICs and public IPs of ${what} were not read: subscription ${set.subscriptionId} refused the pull's reads. `
          + `How its instances reach the internet (load balancer outbound, their own public IPs) is not known; ${whereListed(set)}, and its verdict does not account for them.`,
      });
      return;
    }
    const client = rt.network(set.subscriptionId);
    let nics: readonly Item[];
    try {
      nics = await rt.limiter.run(() => drain(client.networkInterfaces.listVirtualMachineScaleSetNetworkInterfaces(set.resourceGroup, set.name, { abortSignal })));
    } catch (error) {
      if (isCancellation(error, rt.signal)) throw error;
      const gap = gapFromError(set.id, `Reading the instance NICs of ${what}`, error);
      rt.addGap({
        ...gap,
        message: `${gap.message} Its instances' NICs and instance-level public IPs are unknown, so how they reach the internet (load balancer outbound rules, their own public IPs) is not known; `
          + `${whereListed(set)}, and its verdict does not account for them.`,
      });
      return;
    }
    items.push(...nics.map((n) => typed(n, 'Microsoft.Network/networkInterfaces')));
    // Instance-level public IPs live under the instance's IP configuration; only a NIC naming one needs the list.
    const prefix = `${set.id.toLowerCase()}/virtualmachines/`;
    const named = publicIpIdsOf(nics).filter((id) => id.toLowerCase().startsWith(prefix));
    if (named.length === 0) return;
    try {
      const pips = await rt.limiter.run(() => drain(client.publicIPAddresses.listVirtualMachineScaleSetPublicIPAddresses(set.resourceGroup, set.name, { abortSignal })));
      items.push(...pips.map((p) => typed(p, 'Microsoft.Network/publicIPAddresses')));
    } catch (error) {
      if (isCancellation(error, rt.signal)) throw error;
      const gap = gapFromError(set.id, `Reading the instance-level public IPs of ${what}`, error);
      rt.addGap({
        ...gap,
        message: `${gap.message} ${named.length} of its instances' IP configurations name a public IP that was not read: the address they leave from is unknown.`,
      });
    }
  };
  await Promise.all(sets.map(read));
  return items;
}

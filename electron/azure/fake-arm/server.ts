/**
 * A fake Azure Resource Manager + Resource Graph + Azure Monitor on 127.0.0.1, good enough for the
 * REAL `@azure/arm-network` / `@azure/arm-resourcegraph` clients: ARM list endpoints with
 * `nextLink` paging, per-RG and child lists, Resource Graph `POST /providers/Microsoft.ResourceGraph/resources`
 * (type filters, `$top`/`$skipToken` paging, quota headers), the effective-route-table LRO
 * (202 + `Location`, then 200), metrics, and the NICs and public IPs of Uniform scale set
 * instances (`.../virtualMachineScaleSets/{name}/networkInterfaces` and `/publicipaddresses`,
 * which neither Resource Graph nor the subscription NIC list returns). Faults are injectable and
 * mutable between requests.
 *
 * Time runs on an injected Clock, shared with the puller, so the bench can compress time.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { systemClock, type Clock } from '../clock';
import { parseGraphProjection, parseGraphQueryTypes } from './graph-query';
import { handleWorkspaceQuery, type FakeWorkspace } from './log-analytics';

export interface FakeSubscription {
  readonly subscriptionId: string;
  readonly displayName: string;
}

/** A REST-shaped ARM resource (fields under `properties`). Child resources are separate entries. */
export interface FakeResource {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly location?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly sku?: unknown;
  readonly zones?: readonly string[];
  readonly properties: Readonly<Record<string, unknown>>;
}

export interface FakeEstate {
  readonly tenantId: string;
  readonly subscriptions: readonly FakeSubscription[];
  readonly resources: readonly FakeResource[];
  /** NIC ID (any casing) → effective routes (REST items). Missing NICs get the system routes. */
  readonly effectiveRoutes?: ReadonlyMap<string, readonly unknown[]>;
  /** NICs whose VM is stopped: the LRO fails with NicMustBeAttachedToRunningVmToGetEffectiveRoutes. */
  readonly stoppedVmNicIds?: readonly string[];
  /**
   * `${resourceId lower}|${metricName lower}` → data points (hourly), or per dimension value
   * `${resourceId lower}|${metricName lower}|${dimension lower}=${Value}` (e.g. `…|bytecount|direction=Out`):
   * answered as one series per value when the query splits by that dimension (`Direction eq '*'`),
   * summed into one series otherwise.
   */
  readonly metrics?: ReadonlyMap<string, readonly number[]>;
  /** Resources whose metrics answer 403 (a role without Microsoft.Insights/metrics/read). */
  readonly forbiddenMetrics?: readonly string[];
  /**
   * The body of `GET .../locations/{location}/serviceTags` (REST shape). Absent: a small document
   * shaped like the REST API's example ({@link defaultServiceTagsBody}).
   */
  readonly serviceTags?: unknown;
  /** Log Analytics workspaces (ID lower case) for `POST /v1/workspaces/{id}/query` (log-analytics.ts). */
  readonly workspaces?: ReadonlyMap<string, FakeWorkspace>;
}

export interface CountedFault {
  /** Matched against `METHOD path` (path without query), e.g. /^GET .*\/networkInterfaces$/i. */
  readonly match: RegExp;
  /** How many matching requests get the fault (then it is spent). */
  times: number;
}

export interface FakeFaults {
  /** Added to every answer, in clock ms. */
  latencyMs: number;
  /** ARM read token bucket per subscription (ARM: 250 burst, 25/s); null = no throttling. */
  armThrottle: { readonly burst: number; readonly perSecond: number } | null;
  /** Resource Graph per-user quota (documented example: 15 per 5 s); null = unlimited. */
  graphQuota: { readonly queries: number; readonly windowMs: number } | null;
  /** Subscriptions that answer 403 AuthorizationFailed (ARM) and make a Resource Graph query over them 403. */
  forbiddenSubscriptions: readonly string[];
  /**
   * ARM scopes (resource IDs, any casing) under which every GET answers 403 AuthorizationFailed, as
   * a role assignment that leaves one resource group or scale set out does, e.g.
   * `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/vmss`.
   */
  forbiddenScopes: readonly string[];
  /** Resource Graph refuses every query (403) or is down (503). */
  resourceGraph: 'ok' | 'forbidden' | 'unavailable';
  /** Resource Graph answers 403 to a query filtering on any of these types (lower case), e.g. the VM query alone. */
  forbiddenGraphTypes: readonly string[];
  /** Forced 429s with this Retry-After (seconds). */
  throttles: CountedFault[];
  throttleRetryAfterSeconds: number;
  /** Requests that are never answered (the client must time out). */
  hangs: CountedFault[];
  /** Requests answered with 503 ServerBusy. */
  serverErrors: CountedFault[];
  /** Resource Graph pages cut short: half the rows are dropped, the skipToken still moves a full page on. */
  truncatedGraphPages: number;
  /** The next Resource Graph answer says `resultTruncated: "true"` and carries no skipToken. */
  graphResultTruncated: number;
  /** ARM list page size (nextLink paging). */
  armPageSize: number;
  /** How many 202 polls an effective-route LRO answers before its 200. */
  lroPendingPolls: number;
}

export type FakeRequestKind =
  | 'subscriptions' | 'arm-list' | 'arm-get' | 'resource-graph' | 'effective-routes' | 'lro-poll' | 'metrics' | 'service-tags' | 'log-analytics'
  | 'scale-set-list' | 'refused';

export interface FakeStats {
  requests: number;
  readonly byKind: Map<FakeRequestKind, number>;
  readonly byMethod: Map<string, number>;
  /** 429s the fake sent. */
  throttled: number;
  /** Non-GET/POST requests that reached the server (must stay 0: the client is read-only). */
  mutations: number;
  /** Distinct Authorization headers seen. */
  readonly authorizations: Set<string>;
  /** Scope of each Resource Graph query: `subscriptions:<n>` or `managementGroups:<ids>`. */
  readonly graphScopes: string[];
  /** The KQL of each Resource Graph query. */
  readonly graphQueries: string[];
  readonly log: { method: string; path: string; status: number }[];
}

export interface FakeArm {
  readonly url: string;
  readonly port: number;
  readonly stats: FakeStats;
  readonly faults: FakeFaults;
  close(): Promise<void>;
}

export interface FakeArmOptions {
  readonly estate: FakeEstate;
  readonly faults?: Partial<FakeFaults>;
  readonly clock?: Clock;
  /** Keep the request log (off for the bench: 100k+ entries). */
  readonly keepLog?: boolean;
}

const NETWORK_API = '2026-01-01';

/** Units and display names Azure Monitor gives the metrics the pull reads (supported-metrics reference). */
const METRIC_UNITS: Readonly<Record<string, string>> = { SNATPortUtilization: 'Percent', ByteCount: 'Bytes', DataProcessed: 'Bytes' };
const METRIC_DISPLAY_NAMES: Readonly<Record<string, string>> = {
  SNATConnectionCount: 'SNAT Connection Count', PacketDropCount: 'Dropped Packets', ByteCount: 'Bytes',
  SNATPortUtilization: 'SNAT port utilization', DataProcessed: 'Data processed',
};

/**
 * A Service Tag Discovery answer in the shape of Microsoft's REST example (`ServiceTagsList.json`:
 * `changeNumber` as a string, per-tag `properties`, no `networkFeatures`), with a few West Europe
 * tags. An excerpt: real answers list ~3,000 tags.
 */
export function defaultServiceTagsBody(subscriptionId: string): unknown {
  const tag = (name: string, changeNumber: string, region: string, systemService: string, addressPrefixes: readonly string[]): unknown =>
    ({ name, id: name, properties: { changeNumber, region, systemService, addressPrefixes } });
  return {
    name: 'public',
    id: `/subscriptions/${subscriptionId}/providers/Microsoft.Network/serviceTags/public`,
    type: 'Microsoft.Network/serviceTags',
    changeNumber: '63',
    cloud: 'Public',
    values: [
      tag('AzureCloud.WestEurope', '12', 'westeurope', '', ['13.69.0.0/17', '20.50.0.0/18', '52.166.0.0/16', '2603:1020:200::/46']),
      tag('Storage', '20', '', 'AzureStorage', ['13.69.40.0/24', '20.60.26.0/23', '52.239.140.0/22', '2603:1020:201::/48']),
      tag('Storage.WestEurope', '7', 'westeurope', 'AzureStorage', ['13.69.40.0/24', '20.60.26.0/23']),
      tag('Sql', '15', '', 'AzureSQL', ['13.69.105.0/27', '104.40.168.0/26']),
    ],
  };
}

export function defaultFaults(): FakeFaults {
  return {
    latencyMs: 0, armThrottle: null, graphQuota: null, forbiddenSubscriptions: [], forbiddenScopes: [], resourceGraph: 'ok', forbiddenGraphTypes: [],
    throttles: [], throttleRetryAfterSeconds: 1, hangs: [], serverErrors: [], truncatedGraphPages: 0,
    graphResultTruncated: 0, armPageSize: 100, lroPendingPolls: 1,
  };
}

interface Indexed {
  readonly byId: Map<string, FakeResource>;
  /** `${sub}|${type}` → top-level resources, sorted by id. */
  readonly bySubType: Map<string, FakeResource[]>;
  /** parent ID lower + '/' + child type segment lower → children. */
  readonly byParentChild: Map<string, FakeResource[]>;
  /** Top-level resources sorted by lower-case id (Resource Graph rows). */
  readonly graphRows: readonly GraphRow[];
  /** `/subscriptions/{s}/resourcegroups/{rg}/providers/microsoft.compute/virtualmachinescalesets/{name}` (lower) → its instances' NICs and public IPs. */
  readonly scaleSets: Map<string, ScaleSetResources>;
}

interface ScaleSetResources {
  readonly networkInterfaces: FakeResource[];
  readonly publicIpAddresses: FakeResource[];
}

/**
 * The scale set a Uniform instance's NIC or public IP belongs to, from its ID
 * (`…/virtualMachineScaleSets/{name}/virtualMachines/{i}/networkInterfaces/{nic}[/ipConfigurations/{c}/publicIPAddresses/{p}]`),
 * in lower case; null for anything else. These resources live under the Compute provider's path:
 * Resource Graph's `resources` table and the subscription NIC / public IP lists do not return them.
 */
function scaleSetOf(id: string): { readonly key: string; readonly kind: keyof ScaleSetResources } | null {
  const m = /^(\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.compute\/virtualmachinescalesets\/[^/]+)\/virtualmachines\/[^/]+\/networkinterfaces\/[^/]+(\/ipconfigurations\/[^/]+\/publicipaddresses\/[^/]+)?$/.exec(id.toLowerCase());
  if (!m?.[1]) return null;
  return { key: m[1], kind: m[2] === undefined ? 'networkInterfaces' : 'publicIpAddresses' };
}

interface GraphRow {
  readonly row: Readonly<Record<string, unknown>>;
  readonly typeLower: string;
  readonly subscriptionLower: string;
}

function segments(id: string): string[] {
  return id.split('/').filter((s) => s.length > 0);
}

/** `/subscriptions/s/resourceGroups/rg/providers/ns/type/name[/child/name]` → is it a child? */
function isChildResource(r: FakeResource): boolean {
  return r.type.split('/').length > 2;
}

/**
 * ARM returns read-only back-references on a subnet (`ipConfigurations`: every IP configuration
 * using it); the builders do not write them, so the fake adds them for VNet gateways and for the
 * NICs of Uniform scale set instances (the pull finds gateways' resource groups and the scale sets
 * it lists from them). Not for plain NICs: bench VNets would be huge, and nothing reads them.
 */
function withGatewayBackReferences(resources: readonly FakeResource[]): readonly FakeResource[] {
  const refs = new Map<string, { id: string }[]>();
  for (const r of resources) {
    const scaleSetNic = scaleSetOf(r.id)?.kind === 'networkInterfaces';
    if (r.type.toLowerCase() !== 'microsoft.network/virtualnetworkgateways' && !scaleSetNic) continue;
    const configs = r.properties['ipConfigurations'];
    if (!Array.isArray(configs)) continue;
    for (const c of configs as { id?: string; properties?: { subnet?: { id?: string } } }[]) {
      const subnet = c.properties?.subnet?.id?.toLowerCase();
      if (subnet === undefined || c.id === undefined) continue;
      refs.set(subnet, [...(refs.get(subnet) ?? []), { id: c.id }]);
    }
  }
  if (refs.size === 0) return resources;
  return resources.map((r) => {
    if (r.type.toLowerCase() !== 'microsoft.network/virtualnetworks' || !Array.isArray(r.properties['subnets'])) return r;
    const subnets = (r.properties['subnets'] as { id?: string; properties?: Record<string, unknown> }[]).map((sn) => {
      const back = refs.get((sn.id ?? '').toLowerCase());
      return back === undefined ? sn : { ...sn, properties: { ...sn.properties, ipConfigurations: back } };
    });
    return { ...r, properties: { ...r.properties, subnets } };
  });
}

function indexEstate(estate: FakeEstate): Indexed {
  const byId = new Map<string, FakeResource>();
  const bySubType = new Map<string, FakeResource[]>();
  const byParentChild = new Map<string, FakeResource[]>();
  const scaleSets = new Map<string, ScaleSetResources>();
  const rows: GraphRow[] = [];
  const sorted = [...withGatewayBackReferences(estate.resources)].sort((a, b) => (a.id.toLowerCase() < b.id.toLowerCase() ? -1 : 1));
  for (const r of sorted) {
    const lower = r.id.toLowerCase();
    byId.set(lower, r);
    const seg = segments(r.id);
    const sub = (seg[1] ?? '').toLowerCase();
    const rg = seg[3] ?? '';
    const scaleSet = scaleSetOf(r.id);
    if (scaleSet !== null) {
      const held = scaleSets.get(scaleSet.key) ?? { networkInterfaces: [], publicIpAddresses: [] };
      held[scaleSet.kind].push(r);
      scaleSets.set(scaleSet.key, held);
      continue;
    }
    if (isChildResource(r)) {
      const parentKey = seg.slice(0, -1).join('/').toLowerCase();
      const list = byParentChild.get(parentKey) ?? [];
      list.push(r);
      byParentChild.set(parentKey, list);
      continue;
    }
    const key = `${sub}|${r.type.toLowerCase()}`;
    const list = bySubType.get(key) ?? [];
    list.push(r);
    bySubType.set(key, list);
    rows.push({
      row: { ...r, subscriptionId: seg[1] ?? '', resourceGroup: rg.toLowerCase(), tenantId: estate.tenantId },
      typeLower: r.type.toLowerCase(),
      subscriptionLower: sub,
    });
  }
  return { byId, bySubType, byParentChild, graphRows: rows, scaleSets };
}

function takeFault(list: CountedFault[], signature: string): boolean {
  for (const f of list) {
    if (f.times > 0 && f.match.test(signature)) {
      f.times -= 1;
      return true;
    }
  }
  return false;
}

function timeSpan(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

function armError(status: number, code: string, message: string): Reply {
  return { status, body: { error: { code, message } } };
}

export async function startFakeArm(options: FakeArmOptions): Promise<FakeArm> {
  const clock = options.clock ?? systemClock;
  const faults: FakeFaults = { ...defaultFaults(), ...options.faults };
  const index = indexEstate(options.estate);
  const stats: FakeStats = {
    requests: 0, byKind: new Map(), byMethod: new Map(), throttled: 0, mutations: 0, authorizations: new Set(), graphScopes: [], graphQueries: [], log: [],
  };
  const stopped = new Set((options.estate.stoppedVmNicIds ?? []).map((s) => s.toLowerCase()));
  const effective = new Map([...(options.estate.effectiveRoutes ?? new Map<string, readonly unknown[]>())].map(([k, v]) => [k.toLowerCase(), v]));
  const armBuckets = new Map<string, { tokens: number; at: number }>();
  let graphWindow = { start: 0, used: 0 };
  const operations = new Map<string, { nicId: string; polls: number }>();
  let opCounter = 0;
  let base = '';
  const sockets = new Set<Socket>();
  const hanging = new Set<ServerResponse>();

  const count = (kind: FakeRequestKind): void => {
    stats.byKind.set(kind, (stats.byKind.get(kind) ?? 0) + 1);
  };

  /** ARM's token bucket per subscription: null when allowed, else the 429 reply. */
  const armThrottle = (sub: string): Reply | null => {
    if (faults.armThrottle === null) return null;
    const { burst, perSecond } = faults.armThrottle;
    const now = clock.now();
    const b = armBuckets.get(sub) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * perSecond);
    b.at = now;
    armBuckets.set(sub, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return null;
    }
    const waitS = Math.max(1, Math.ceil((1 - b.tokens) / perSecond));
    return {
      status: 429,
      headers: { 'retry-after': String(waitS), 'x-ms-ratelimit-remaining-subscription-reads': '0' },
      body: { error: { code: 'SubscriptionRequestsThrottled', message: `Number of read requests for subscription '${sub}' exceeded the limit. Retry after ${waitS} seconds.` } },
    };
  };

  const graphQuotaHeaders = (): { headers: Record<string, string>; exhausted: boolean } => {
    if (faults.graphQuota === null) return { headers: { 'x-ms-user-quota-remaining': '1000', 'x-ms-user-quota-resets-after': '00:00:05' }, exhausted: false };
    const { queries, windowMs } = faults.graphQuota;
    const now = clock.now();
    if (now - graphWindow.start >= windowMs) graphWindow = { start: now, used: 0 };
    const resetsMs = graphWindow.start + windowMs - now;
    if (graphWindow.used >= queries) {
      return { headers: { 'x-ms-user-quota-remaining': '0', 'x-ms-user-quota-resets-after': timeSpan(resetsMs), 'retry-after': String(Math.max(1, Math.ceil(resetsMs / 1000))) }, exhausted: true };
    }
    graphWindow.used += 1;
    return { headers: { 'x-ms-user-quota-remaining': String(queries - graphWindow.used), 'x-ms-user-quota-resets-after': timeSpan(resetsMs) }, exhausted: false };
  };

  const forbidden = (sub: string): boolean => faults.forbiddenSubscriptions.some((s) => s.toLowerCase() === sub.toLowerCase());
  /** The forbidden scope a path lies in (itself or below it), if any. */
  const forbiddenScope = (path: string): string | undefined => {
    const lower = path.toLowerCase().replace(/\/+$/, '');
    return faults.forbiddenScopes.find((scope) => {
      const s = scope.toLowerCase().replace(/\/+$/, '');
      return lower === s || lower.startsWith(`${s}/`);
    });
  };

  const pageOf = <T>(items: readonly T[], url: URL, pathForNext: string): { value: readonly T[]; nextLink?: string } => {
    const skip = Number(url.searchParams.get('$skiptoken') ?? '0');
    const value = items.slice(skip, skip + faults.armPageSize);
    const next = skip + faults.armPageSize;
    return next < items.length
      ? { value, nextLink: `${base}${pathForNext}?api-version=${url.searchParams.get('api-version') ?? NETWORK_API}&$skiptoken=${next}` }
      : { value };
  };

  const handleGraph = (bodyText: string): Reply => {
    count('resource-graph');
    if (faults.resourceGraph === 'forbidden') return armError(403, 'AuthorizationFailed', 'The client does not have authorization to perform action Microsoft.ResourceGraph/resources/read.');
    if (faults.resourceGraph === 'unavailable') return armError(503, 'ServiceUnavailable', 'Resource Graph is unavailable.');
    const quota = graphQuotaHeaders();
    if (quota.exhausted) {
      stats.throttled += 1;
      return { status: 429, headers: quota.headers, body: { error: { code: 'RateLimiting', message: 'Please provide below info when asking for support: ... Rate limit exceeded.' } } };
    }
    let request: { subscriptions?: string[]; managementGroups?: string[]; query?: string; options?: { $top?: number; $skipToken?: string } };
    try {
      request = JSON.parse(bodyText) as typeof request;
    } catch {
      return armError(400, 'BadRequest', 'Body is not JSON.');
    }
    stats.graphScopes.push(request.managementGroups ? `managementGroups:${request.managementGroups.join(',')}` : `subscriptions:${request.subscriptions?.length ?? 0}`);
    // A management group scope sees every subscription of the (single-group) fake tenant.
    const subs = new Set((request.subscriptions ?? options.estate.subscriptions.map((s) => s.subscriptionId)).map((s) => s.toLowerCase()));
    const denied = [...subs].filter((s) => forbidden(s));
    if (denied.length > 0) {
      return { status: 403, headers: quota.headers, body: { error: { code: 'AuthorizationFailed', message: `Authorization failed for subscriptions ${denied.join(', ')}.` } } };
    }
    stats.graphQueries.push(request.query ?? '');
    const types = parseGraphQueryTypes(request.query ?? '');
    if ([...(types ?? [])].some((t) => faults.forbiddenGraphTypes.includes(t))) {
      return armError(403, 'AuthorizationFailed', 'The client does not have authorization to perform action Microsoft.ResourceGraph/resources/read (injected fault for this query).');
    }
    // Rows carry only the projected columns (the pull's slim VM query packs one property).
    const project = parseGraphProjection(request.query ?? '');
    const matched = index.graphRows.filter((r) => subs.has(r.subscriptionLower) && (types === null || types.has(r.typeLower)));
    const top = Math.min(1000, request.options?.$top ?? 1000);
    const offset = request.options?.$skipToken ? Number(Buffer.from(request.options.$skipToken, 'base64').toString('utf8').replace(/^offset:/, '')) : 0;
    let data = matched.slice(offset, offset + top).map((r) => (project === null ? r.row : project(r.row)));
    const nextOffset = offset + top;
    if (faults.graphResultTruncated > 0) {
      faults.graphResultTruncated -= 1;
      return { status: 200, headers: quota.headers, body: { totalRecords: matched.length, count: data.length, resultTruncated: 'true', data } };
    }
    if (faults.truncatedGraphPages > 0 && data.length > 1) {
      faults.truncatedGraphPages -= 1;
      data = data.slice(0, Math.floor(data.length / 2));
    }
    return {
      status: 200,
      headers: quota.headers,
      body: {
        totalRecords: matched.length,
        count: data.length,
        resultTruncated: 'false',
        ...(nextOffset < matched.length ? { $skipToken: Buffer.from(`offset:${nextOffset}`).toString('base64') } : {}),
        data,
      },
    };
  };

  const handleEffectiveRoutes = (nicPath: string, sub: string, url: URL): Reply => {
    count('effective-routes');
    const nicId = nicPath.replace(/\/effectiveRouteTable$/i, '');
    const nic = index.byId.get(nicId.toLowerCase());
    if (!nic) return armError(404, 'NotFound', `Network interface ${nicId} not found.`);
    if (stopped.has(nic.id.toLowerCase())) {
      return armError(400, 'NicMustBeAttachedToRunningVmToGetEffectiveRoutes', `Network interface ${nic.name} must be attached to a running VM to get effective routes.`);
    }
    opCounter += 1;
    const opId = `op-${opCounter}`;
    operations.set(opId, { nicId: nic.id, polls: 0 });
    // No Retry-After: a non-zero value overrides the client's updateIntervalInMs (toolchain.md §6).
    return { status: 202, headers: { location: `${base}/subscriptions/${sub}/providers/Microsoft.Network/locations/${nic.location ?? 'westeurope'}/operationResults/${opId}?api-version=${url.searchParams.get('api-version') ?? NETWORK_API}` } };
  };

  const handlePoll = (opId: string, selfUrl: string): Reply => {
    count('lro-poll');
    const op = operations.get(opId);
    if (!op) return armError(404, 'NotFound', `Operation ${opId} not found.`);
    if (op.polls < faults.lroPendingPolls - 1) {
      op.polls += 1;
      return { status: 202, headers: { location: selfUrl } };
    }
    operations.delete(opId);
    const nic = index.byId.get(op.nicId.toLowerCase());
    const routes = effective.get(op.nicId.toLowerCase()) ?? systemRoutesFor(nic, index);
    return { status: 200, body: { value: routes } };
  };

  const handleMetrics = (resourcePath: string, url: URL): Reply => {
    count('metrics');
    if ((options.estate.forbiddenMetrics ?? []).some((id) => id.toLowerCase() === resourcePath.toLowerCase())) {
      return armError(403, 'AuthorizationFailed', `The client 'user@contoso.example' does not have authorization to perform action 'Microsoft.Insights/metrics/read' over scope '${resourcePath}/providers/Microsoft.Insights' or the scope is invalid.`);
    }
    const names = (url.searchParams.get('metricnames') ?? '').split(',').filter((n) => n.length > 0);
    const aggregation = url.searchParams.get('aggregation') ?? 'Total';
    const field = aggregation.toLowerCase();
    const timespan = url.searchParams.get('timespan') ?? '';
    // `<dimension> eq '*'` splits the answer: one series per dimension value, named in metadatavalues
    // (lower case, as Azure Monitor answers).
    const split = /(\w+)\s+eq\s+'\*'/i.exec(url.searchParams.get('$filter') ?? '')?.[1]?.toLowerCase() ?? null;
    const startMs = Date.parse(timespan.split('/')[0] ?? '');
    const stamp = (i: number): string => new Date((Number.isFinite(startMs) ? startMs : Date.UTC(2026, 0, 1)) + i * 3_600_000).toISOString();
    const data = (points: readonly number[]): unknown[] => points.map((v, i) => ({ timeStamp: stamp(i), [field]: v }));
    const all = options.estate.metrics ?? new Map<string, readonly number[]>();
    return {
      status: 200,
      body: {
        timespan, interval: 'PT1H', namespace: 'Microsoft.Network', resourceregion: 'westeurope',
        value: names.map((name) => {
          const key = `${resourcePath.toLowerCase()}|${name.toLowerCase()}`;
          const dimensioned = [...all.entries()].filter(([k]) => k.startsWith(`${key}|`)).map(([k, points]) => {
            const [dimension = '', value = ''] = k.slice(key.length + 1).split('=');
            return { dimension: dimension.toLowerCase(), value, points };
          });
          let timeseries: unknown[];
          if (split !== null) {
            timeseries = dimensioned.filter((d) => d.dimension === split).map((d) => ({ metadatavalues: [{ name: { value: d.dimension, localizedValue: d.dimension }, value: d.value }], data: data(d.points) }));
          } else {
            const plain = all.get(key);
            const summed = dimensioned.length === 0 ? [] : Array.from({ length: Math.max(...dimensioned.map((d) => d.points.length)) }, (_, i) => dimensioned.reduce((n, d) => n + (d.points[i] ?? 0), 0));
            timeseries = [{ metadatavalues: [], data: data(plain ?? summed) }];
          }
          return {
            id: `${resourcePath}/providers/Microsoft.Insights/metrics/${name}`,
            type: 'Microsoft.Insights/metrics',
            name: { value: name, localizedValue: METRIC_DISPLAY_NAMES[name] ?? name },
            unit: METRIC_UNITS[name] ?? 'Count',
            timeseries,
            errorCode: 'Success',
          };
        }),
      },
    };
  };

  const handleGet = (path: string, url: URL): Reply => {
    const seg = segments(path);
    const lowerPath = path.toLowerCase().replace(/\/+$/, '');
    if (lowerPath === '/subscriptions') {
      count('subscriptions');
      const items = options.estate.subscriptions.map((s) => ({
        id: `/subscriptions/${s.subscriptionId}`, subscriptionId: s.subscriptionId, displayName: s.displayName,
        state: 'Enabled', tenantId: options.estate.tenantId,
      }));
      return { status: 200, body: pageOf(items, url, '/subscriptions') };
    }
    // GET /subscriptions/{id}: one subscription (how the pull checks `--subscription` IDs); ARM
    // answers 404 SubscriptionNotFound for one the caller cannot see.
    const oneSubscription = /^\/subscriptions\/([^/]+)$/.exec(lowerPath)?.[1];
    if (oneSubscription !== undefined) {
      count('arm-get');
      const s = options.estate.subscriptions.find((x) => x.subscriptionId.toLowerCase() === oneSubscription);
      return s === undefined
        ? armError(404, 'SubscriptionNotFound', `The subscription '${oneSubscription}' could not be found.`)
        : { status: 200, body: { id: `/subscriptions/${s.subscriptionId}`, subscriptionId: s.subscriptionId, displayName: s.displayName, state: 'Enabled', tenantId: options.estate.tenantId } };
    }
    if (/\/operationresults\/[^/]+$/.test(lowerPath)) return handlePoll(seg[seg.length - 1] ?? '', `${base}${url.pathname}${url.search}`);
    if (lowerPath.endsWith('/providers/microsoft.insights/metrics')) return handleMetrics(path.replace(/\/providers\/microsoft\.insights\/metrics$/i, ''), url);
    // /subscriptions/{s}/providers/Microsoft.Network/locations/{location}/serviceTags
    if (/^\/subscriptions\/[^/]+\/providers\/microsoft\.network\/locations\/[^/]+\/servicetags$/.test(lowerPath)) {
      count('service-tags');
      return { status: 200, body: options.estate.serviceTags ?? defaultServiceTagsBody(seg[1] ?? '') };
    }
    // A Uniform scale set's instance NICs or public IPs (NetworkInterfaces_ListVirtualMachineScaleSetNetworkInterfaces,
    // PublicIPAddresses_ListVirtualMachineScaleSetPublicIPAddresses: api-version 2018-10-01 in the SDK).
    const scaleSetList = /^(\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.compute\/virtualmachinescalesets\/[^/]+)\/(networkinterfaces|publicipaddresses)$/.exec(lowerPath);
    if (scaleSetList?.[1] !== undefined) {
      count('scale-set-list');
      const held = index.scaleSets.get(scaleSetList[1]);
      if (held === undefined && !index.byId.has(scaleSetList[1])) {
        return armError(404, 'ResourceNotFound', `The Resource 'Microsoft.Compute/virtualMachineScaleSets/${seg[7] ?? ''}' under resource group '${seg[3] ?? ''}' was not found.`);
      }
      const items = scaleSetList[2] === 'networkinterfaces' ? (held?.networkInterfaces ?? []) : (held?.publicIpAddresses ?? []).map(scaleSetPublicIpShape);
      return { status: 200, body: pageOf(items, url, path) };
    }
    // /subscriptions/{s}/providers/Microsoft.Network/{type}
    if (seg.length === 5 && seg[2]?.toLowerCase() === 'providers') {
      count('arm-list');
      const items = index.bySubType.get(`${(seg[1] ?? '').toLowerCase()}|${`${seg[3]}/${seg[4]}`.toLowerCase()}`) ?? [];
      return { status: 200, body: pageOf(items, url, path) };
    }
    // /subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Network/{type}
    if (seg.length === 7 && seg[2]?.toLowerCase() === 'resourcegroups' && seg[4]?.toLowerCase() === 'providers') {
      count('arm-list');
      const rg = (seg[3] ?? '').toLowerCase();
      const items = (index.bySubType.get(`${(seg[1] ?? '').toLowerCase()}|${`${seg[5]}/${seg[6]}`.toLowerCase()}`) ?? [])
        .filter((r) => (segments(r.id)[3] ?? '').toLowerCase() === rg);
      return { status: 200, body: pageOf(items, url, path) };
    }
    const one = index.byId.get(lowerPath);
    if (one) {
      count('arm-get');
      return { status: 200, body: one };
    }
    // A child collection: {parentId}/{childType}
    const children = index.byParentChild.get(lowerPath.slice(1));
    if (children !== undefined || (seg.length % 2 === 1 && index.byId.has(`/${seg.slice(0, -1).join('/').toLowerCase()}`))) {
      count('arm-list');
      return { status: 200, body: pageOf(children ?? [], url, path) };
    }
    count('arm-get');
    return armError(404, 'ResourceNotFound', `The resource '${path}' was not found.`);
  };

  const route = async (req: IncomingMessage): Promise<Reply | 'hang'> => {
    const url = new URL(req.url ?? '/', base);
    const path = decodeURIComponent(url.pathname);
    const method = (req.method ?? 'GET').toUpperCase();
    const signature = `${method} ${path}`;
    const body = method === 'POST' ? await readBody(req) : '';
    if (method !== 'GET' && method !== 'POST') {
      stats.mutations += 1;
      count('refused');
      return armError(405, 'MethodNotAllowed', 'The fake ARM server is read-only.');
    }
    if (takeFault(faults.hangs, signature)) return 'hang';
    if (takeFault(faults.serverErrors, signature)) return armError(503, 'ServerBusy', 'The server is busy (injected fault).');
    if (takeFault(faults.throttles, signature)) {
      stats.throttled += 1;
      return { status: 429, headers: { 'retry-after': String(faults.throttleRetryAfterSeconds) }, body: { error: { code: 'TooManyRequests', message: 'Throttled (injected fault).' } } };
    }
    if (method === 'POST' && /^\/providers\/microsoft\.resourcegraph\/resources$/i.test(path)) return handleGraph(body);
    const workspaceQuery = /^\/v1\/workspaces\/([^/]+)\/query$/i.exec(path);
    if (workspaceQuery && method === 'POST') {
      count('log-analytics');
      return handleWorkspaceQuery(options.estate.workspaces, workspaceQuery[1] ?? '', body, clock.now());
    }
    const sub = /^\/subscriptions\/([^/]+)/i.exec(path)?.[1];
    if (sub !== undefined) {
      if (forbidden(sub)) {
        count('arm-list');
        return armError(403, 'AuthorizationFailed', `The client 'user@contoso.example' does not have authorization to perform action 'Microsoft.Network/*/read' over scope '/subscriptions/${sub}' or the scope is invalid.`);
      }
      const throttled = armThrottle(sub.toLowerCase());
      if (throttled) {
        stats.throttled += 1;
        count('arm-list');
        return throttled;
      }
      const scope = forbiddenScope(path);
      if (scope !== undefined) {
        count('refused');
        return armError(403, 'AuthorizationFailed', `The client 'user@contoso.example' with object id '0f0e0d0c-0b0a-4909-8807-060504030201' does not have authorization to perform action 'read' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`);
      }
    }
    if (method === 'POST') {
      if (/\/effectiveRouteTable$/i.test(path) && sub !== undefined) return handleEffectiveRoutes(path, sub, url);
      count('refused');
      return armError(405, 'MethodNotAllowed', `POST ${path} is not supported by the fake.`);
    }
    return handleGet(path, url);
  };

  const server = createServer((req, res) => {
    clock.touch?.();
    stats.requests += 1;
    const method = (req.method ?? 'GET').toUpperCase();
    stats.byMethod.set(method, (stats.byMethod.get(method) ?? 0) + 1);
    stats.authorizations.add(req.headers.authorization ?? '(none)');
    void (async () => {
      const reply = await route(req);
      if (reply === 'hang') {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      if (faults.latencyMs > 0) await clock.sleep(faults.latencyMs);
      if (options.keepLog !== false) stats.log.push({ method, path: new URL(req.url ?? '/', base).pathname, status: reply.status });
      const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
      res.writeHead(reply.status, {
        'content-type': 'application/json; charset=utf-8',
        'x-ms-request-id': `fake-${stats.requests}`,
        ...reply.headers,
      });
      res.end(text);
      clock.touch?.();
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'FakeArmError', message: String(error) } }));
    });
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
  return {
    url: base, port, stats, faults,
    close: () => new Promise<void>((resolve) => {
      for (const res of hanging) res.destroy();
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

/**
 * A scale set instance's public IP as VmssPublicIpListAll.json (Microsoft's REST API example) gives
 * it: name, id and properties, no `type` (the list names what it holds).
 */
function scaleSetPublicIpShape(r: FakeResource): unknown {
  return { name: r.name, id: r.id, ...(r.location === undefined ? {} : { location: r.location }), ...(r.sku === undefined ? {} : { sku: r.sku }), properties: r.properties };
}

/** The system routes of the NIC's VNet (what Azure shows with no UDR). */
/**
 * The effective routes Azure would return for a NIC not given explicitly: the VNet's system routes,
 * one route per peered prefix, and the subnet's route table (a user 0.0.0.0/0 makes the system one
 * `Invalid`), so the demo's captures agree with its own configuration. Gateway-learned routes: none.
 */
function systemRoutesFor(nic: FakeResource | undefined, index: Indexed): readonly unknown[] {
  const ipConfigs = nic?.properties['ipConfigurations'];
  const first = Array.isArray(ipConfigs) ? (ipConfigs[0] as { properties?: { subnet?: { id?: string } } } | undefined) : undefined;
  const subnetId = first?.properties?.subnet?.id ?? '';
  const vnet = index.byId.get(subnetId.toLowerCase().replace(/\/subnets\/[^/]+$/, ''));
  const space = vnet?.properties['addressSpace'] as { addressPrefixes?: string[] } | undefined;
  const prefixes = space?.addressPrefixes ?? [];
  const subnets = (vnet?.properties['subnets'] ?? []) as readonly { id?: string; properties?: { routeTable?: { id?: string } } }[];
  const routeTableId = subnets.find((sn) => (sn.id ?? '').toLowerCase() === subnetId.toLowerCase())?.properties?.routeTable?.id ?? '';
  const routeTable = routeTableId === '' ? undefined : index.byId.get(routeTableId.toLowerCase());
  const udrs = ((routeTable?.properties['routes'] ?? []) as readonly { name?: string; properties?: { addressPrefix?: string; nextHopType?: string; nextHopIpAddress?: string } }[])
    .map((r) => ({ name: r.name ?? null, source: 'User', state: 'Active', addressPrefix: [r.properties?.addressPrefix ?? ''], nextHopType: r.properties?.nextHopType ?? 'None', nextHopIpAddress: r.properties?.nextHopIpAddress ? [r.properties.nextHopIpAddress] : [] }));
  const peerings = (vnet?.properties['virtualNetworkPeerings'] ?? []) as readonly { properties?: { remoteAddressSpace?: { addressPrefixes?: string[] } } }[];
  const peered = peerings.flatMap((pe) => pe.properties?.remoteAddressSpace?.addressPrefixes ?? []);
  const overridden = new Set(udrs.map((u) => u.addressPrefix[0]));
  const route = (addressPrefix: string, nextHopType: string): unknown => ({ source: 'Default', state: overridden.has(addressPrefix) ? 'Invalid' : 'Active', addressPrefix: [addressPrefix], nextHopType, nextHopIpAddress: [] });
  return [
    ...prefixes.map((p) => route(p, 'VnetLocal')),
    ...peered.map((p) => route(p, 'VNetPeering')),
    route('0.0.0.0/0', 'Internet'), route('10.0.0.0/8', 'None'), route('172.16.0.0/12', 'None'),
    route('192.168.0.0/16', 'None'), route('100.64.0.0/10', 'None'),
    ...udrs,
  ];
}

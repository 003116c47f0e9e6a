/**
 * `pull --logs WORKSPACE_ID`: observed traffic read live from a Log Analytics workspace, summarised
 * on the server (one row per source, destination, port, protocol, action and rule, with counts and
 * first/last times), written as the Log Analytics REST shape `{ tables: [{ name, columns, rows }] }`
 * that `egress-atlas traffic --logs` reads. One query per table, so a table the workspace lacks, a
 * refused workspace or throttling costs that table only, and each failure is a gap recorded in the
 * file (`egressAtlas.gaps`): a partial pull is never read as a complete one.
 *
 * Read-only: the only request this pipeline sends is `POST {endpoint}/workspaces/{id}/query` (the
 * Log Analytics query API; a POST because the KQL is the body) to the cloud's Log Analytics
 * endpoint; anything else is refused before it leaves the process, and the token goes nowhere else.
 * [Query API] https://learn.microsoft.com/azure/azure-monitor/logs/api/request-format
 * [SDK] @azure/monitor-query-logs 1.0.0 (destinations.md §1.5)
 */
import type { TokenCredential } from '@azure/core-auth';
import { bearerTokenAuthenticationPolicyName, isRestError } from '@azure/core-rest-pipeline';
import type { HttpClient, PipelinePolicy } from '@azure/core-rest-pipeline';
import { LogsQueryClient, LogsQueryResultStatus } from '@azure/monitor-query-logs';
import type { LogsTable } from '@azure/monitor-query-logs';
import type { CloudName } from '../../shared/ipc/contract';
import type { Gap } from '../../shared/model/gaps';
import { systemClock, type Clock } from './clock';
import { ArmEndpointError, isLoopbackHost } from './clouds';
import { staticTokenCredential } from './credential';
import { gapFromError, isCancellation, maskIdentities } from './errors';
import { DEMO_WORKSPACE_ID, startDemoAzure } from './fake-arm/demo';
import { jsonResponsePolicy, loopbackBearerPolicy, pacingPolicy, PullStats, ReadOnlyViolationError, ResourceGraphQuota, TokenBucket, ForeignOriginError } from './policies';

export const LOGS_PULL_SCHEMA = 'egress-atlas/logs-pull@1' as const;

/** The Log Analytics query endpoint per cloud (with the API version path the SDK expects). */
export const LOGS_ENDPOINTS: Readonly<Record<CloudName, string>> = {
  AzurePublicCloud: 'https://api.loganalytics.io/v1',
  AzureUSGovernment: 'https://api.loganalytics.us/v1',
  AzureChinaCloud: 'https://api.loganalytics.azure.cn/v1',
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isWorkspaceId(text: string): boolean {
  return GUID.test(text.trim());
}

/** A custom endpoint (sovereign clouds, the fake): https, or http on loopback only (the token travels). */
export function parseLogsEndpoint(text: string): { readonly url: string; readonly insecureLoopback: boolean } {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new ArmEndpointError(`--logs-endpoint: "${text}" is not a URL (expected e.g. https://api.loganalytics.io/v1).`);
  }
  const clean = url.origin + url.pathname.replace(/\/+$/, '');
  if (url.protocol === 'https:') return { url: clean, insecureLoopback: false };
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return { url: clean, insecureLoopback: true };
  throw new ArmEndpointError(`--logs-endpoint: only https://, or http:// on a loopback address, may receive a token (got "${text}").`);
}

/**
 * The one request the logs pipeline may send: POST `{endpoint path}/workspaces/{GUID}/query` on the
 * endpoint's origin. Not a batch (`/$batch`), not a resource-centric query, no other method.
 */
export function isLogsQueryRequest(method: string, url: string, endpoint: string): boolean {
  if (method.toUpperCase() !== 'POST') return false;
  let target: URL;
  let base: URL;
  try {
    target = new URL(url);
    base = new URL(endpoint);
  } catch {
    return false;
  }
  if (target.origin !== base.origin) return false;
  const prefix = base.pathname.replace(/\/+$/, '');
  const path = target.pathname.replace(/\/+$/, '');
  if (!path.toLowerCase().startsWith(`${prefix.toLowerCase()}/workspaces/`)) return false;
  const rest = path.slice(prefix.length + '/workspaces/'.length).split('/');
  return rest.length === 2 && GUID.test(decodeURIComponent(rest[0] ?? '')) && rest[1]?.toLowerCase() === 'query';
}

export const LOGS_READ_ONLY_POLICY_NAME = 'egressAtlasLogsReadOnlyPolicy';

/** Refuses every request but the workspace query, before it leaves the process (and again after signing). */
export function logsReadOnlyPolicy(endpoint: string, name = LOGS_READ_ONLY_POLICY_NAME): PipelinePolicy {
  const origin = new URL(endpoint).origin;
  return {
    name,
    sendRequest(request, next) {
      if (isLogsQueryRequest(request.method, request.url, endpoint)) return next(request);
      let target: string | null;
      try {
        target = new URL(request.url).origin;
      } catch {
        target = null;
      }
      if (target !== origin) {
        return Promise.reject(new ForeignOriginError(`Refused ${request.method} to ${target ?? 'an unparsable URL'}: only ${origin} (the Log Analytics endpoint) receives the token.`));
      }
      let path = request.url;
      try {
        path = new URL(request.url).pathname;
      } catch {
        // keep the raw text
      }
      return Promise.reject(new ReadOnlyViolationError(`Egress Atlas is read-only: refused ${request.method} ${path} before sending it (only POST .../workspaces/{id}/query is allowed).`));
    },
  };
}

/** One server-side summary per table [destinations.md §1.2, §1.5, §2.3]. */
export interface LogTableQuery {
  readonly table: string;
  readonly kql: string;
}

const FIREWALL_SUMMARY = 'count_ = count(), firstSeen = min(TimeGenerated), lastSeen = max(TimeGenerated)';
const RULE = 'Policy, RuleCollectionGroup, RuleCollection, Rule';

/**
 * The KQL: summarised on the server so the answer is one row per distinct flow, not per log line
 * (Log Analytics caps a result at 500,000 rows / 64 MB; the summaries stay far below on real
 * estates, and a truncated answer comes back as a partial error, recorded as a gap).
 * NTANetAnalytics: outbound FlowLog rows; for public flows the public address is in
 * DestPublicIps (`IP|started|ended|outPkts|inPkts|outBytes|inBytes`, entries space-separated:
 * the separator is UNCONFIRMED, §2.3), so those are expanded and their own counters used.
 * Rows with a blank SrcIp are kept, not filtered: traffic-analytics-schema.md says SrcIP is "Blank
 * in AzurePublic and ExternalPublic flows", so `isnotempty(SrcIp)` could drop exactly the internet
 * flows without a trace; SrcNic and SrcSubnet are grouped by too, and the reader attributes such
 * rows by them (traffic-analytics.ts), or lists them as unattributed under those names.
 * IsFlowCapturedAtUdrHop is kept as a group key: a flow captured again at an NVA's NIC (True) is
 * the same flow as at the sending NIC, and the reader skips and counts those rows (traffic-analytics.ts).
 */
export const LOG_QUERIES: readonly LogTableQuery[] = [
  {
    table: 'AZFWApplicationRule',
    kql: `AZFWApplicationRule\n| summarize ${FIREWALL_SUMMARY}\n    by Type, _ResourceId, SourceIp, Fqdn, DestinationPort, Protocol, Action, ${RULE}`,
  },
  {
    table: 'AZFWNetworkRule',
    kql: `AZFWNetworkRule\n| summarize ${FIREWALL_SUMMARY}\n    by Type, _ResourceId, SourceIp, DestinationIp, DestinationPort, Protocol, Action, ${RULE}`,
  },
  {
    table: 'AZFWNatRule',
    kql: `AZFWNatRule\n| summarize ${FIREWALL_SUMMARY}\n    by Type, _ResourceId, SourceIp, DestinationIp, DestinationPort, Protocol, TranslatedIp, TranslatedPort, ${RULE}`,
  },
  {
    table: 'AZFWDnsQuery',
    kql: `AZFWDnsQuery\n| summarize ${FIREWALL_SUMMARY}\n    by Type, _ResourceId, SourceIp, QueryName, QueryType, ResponseCode`,
  },
  {
    table: 'NTANetAnalytics',
    kql: [
      'NTANetAnalytics',
      '| where SubType == "FlowLog" and FlowDirection == "O"',
      '| mv-expand PublicIp = iff(isempty(DestIp), split(DestPublicIps, " "), dynamic([""])) to typeof(string)',
      '| extend Fields = split(PublicIp, "|")',
      '| extend Dest = iff(isempty(DestIp), tostring(Fields[0]), DestIp)',
      '| extend RowFlows = iff(isempty(DestIp), tolong(Fields[1]), tolong(AllowedOutFlows + DeniedOutFlows))',
      '| extend RowBytes = iff(isempty(DestIp), tolong(Fields[5]) + tolong(Fields[6]), tolong(BytesSrcToDest + BytesDestToSrc))',
      '| where isnotempty(Dest)',
      '| summarize Flows = sum(RowFlows), Bytes = sum(RowBytes), FirstSeen = min(FlowStartTime), LastSeen = max(FlowEndTime)',
      '    by Type, SrcIp, SrcNic, SrcSubnet, DestIp = Dest, DestPort, L4Protocol, FlowStatus, NsgRule, IsFlowCapturedAtUdrHop',
    ].join('\n'),
  },
];

/** `7d` / `12h` / `30m` → ISO 8601 duration; an ISO date/time → that time until now. */
export function logsTimespan(since: string, now: Date): { readonly duration: string } | { readonly startTime: Date; readonly endTime: Date } {
  const m = /^(\d+)([dhm])$/i.exec(since.trim());
  if (m) {
    const n = Number(m[1]);
    if (n < 1) throw new RangeError(`--since ${since}: the window must be at least 1 ${m[2]}`);
    const unit = (m[2] ?? 'd').toLowerCase();
    return { duration: unit === 'd' ? `P${n}D` : `PT${n}${unit.toUpperCase()}` };
  }
  const at = /^\d{4}-\d{2}-\d{2}$/.test(since.trim()) ? Date.parse(`${since.trim()}T00:00:00Z`) : Date.parse(since);
  if (Number.isNaN(at)) throw new RangeError(`--since "${since}" is not a date (ISO 8601) or a duration like 7d, 12h`);
  if (at >= now.getTime()) throw new RangeError(`--since "${since}" is not in the past`);
  return { startTime: new Date(at), endTime: now };
}

export interface LogsPullOptions {
  readonly workspaceId: string;
  /** `7d` (default), `12h`, or an ISO date/time. */
  readonly since?: string;
  readonly cloud: CloudName;
  /** A custom endpoint (with its `/v1`); default: the cloud's. */
  readonly endpoint?: string | null;
  /** The pull's credential; its token is asked for the Log Analytics audience. */
  readonly credential?: TokenCredential;
  /** The bundled fake Azure: its workspace endpoint on 127.0.0.1, no sign-in. */
  readonly demoAzure?: boolean;
  readonly queries?: readonly LogTableQuery[];
  readonly httpClient?: HttpClient;
  readonly clock?: Clock;
  readonly now?: () => Date;
  readonly maxThrottleRetries?: number;
  readonly maxRetries?: number;
  readonly requestTimeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly onQuery?: (table: string, index: number, total: number) => void;
}

export interface LogsPullQueryRecord {
  readonly table: string;
  readonly status: 'ok' | 'partial' | 'failed';
  readonly rows: number;
  readonly kql: string;
}

/** The file `pull --logs` writes: the REST shape the traffic parser reads, plus what was asked and what failed. */
export interface LogsPullFile {
  readonly tables: readonly { readonly name: string; readonly columns: readonly { readonly name: string; readonly type: string }[]; readonly rows: readonly (readonly unknown[])[] }[];
  readonly egressAtlas: {
    readonly schema: typeof LOGS_PULL_SCHEMA;
    readonly workspaceId: string;
    readonly endpoint: string;
    readonly timespan: string;
    readonly pulledAt: string;
    readonly queries: readonly LogsPullQueryRecord[];
    readonly gaps: readonly Gap[];
  };
}

export interface LogsPullOutcome {
  readonly file: LogsPullFile;
  readonly rows: number;
  readonly gaps: readonly Gap[];
  readonly stats: PullStats;
}

function cellOf(value: unknown): unknown {
  // The SDK turns datetime cells into Date and dynamic into objects: written back as the REST API sends them.
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return value ?? null;
}

function restTable(table: LogsTable, name: string): LogsPullFile['tables'][number] {
  return {
    name,
    columns: table.columnDescriptors.map((c, i) => ({ name: c.name ?? `Column${i + 1}`, type: c.type ?? 'string' })),
    rows: table.rows.map((row) => row.map(cellOf)),
  };
}

/** Log Analytics' innermost message ("Failed to resolve table or column expression named 'X'"). */
function innermostMessage(error: unknown): string | null {
  if (!isRestError(error)) return null;
  // The SDK keeps the parsed error body in `details` (the response text is gone by then).
  const details: unknown = (error as { details?: unknown }).details;
  const text = error.response?.bodyAsText;
  try {
    const body: unknown = typeof details === 'object' && details !== null ? details : typeof text === 'string' ? JSON.parse(text) : null;
    let node: unknown = typeof body === 'object' && body !== null && 'error' in body ? body.error : null;
    let message: string | null = null;
    while (typeof node === 'object' && node !== null) {
      const n = node as { message?: unknown; innererror?: unknown; innerError?: unknown };
      if (typeof n.message === 'string') message = n.message;
      node = n.innererror ?? n.innerError;
    }
    return message;
  } catch {
    return null;
  }
}

/** A query failure as a gap; a missing table says so in words (its rows are not "none"). */
function queryGap(workspaceId: string, table: string, error: unknown): Gap {
  const inner = innermostMessage(error);
  if (isRestError(error) && error.statusCode === 400 && inner !== null && /failed to resolve table|could not be found|'.*' is not a table/i.test(inner)) {
    return {
      code: 'not-modelled', scope: `${workspaceId}/${table}`,
      message: `Table ${table} does not exist in workspace ${workspaceId} (${maskIdentities(inner)}): no ${table} rows were read; enable its diagnostic setting or Traffic Analytics to have them.`,
    };
  }
  const gap = gapFromError(`${workspaceId}/${table}`, `Log Analytics query of ${table}`, error);
  return inner === null || gap.message.includes(inner) ? gap : { ...gap, message: `${gap.message} (${maskIdentities(inner)})` };
}

export async function pullLogs(options: LogsPullOptions): Promise<LogsPullOutcome> {
  if (options.demoAzure && !options.endpoint) {
    const demo = await startDemoAzure(options.clock);
    try {
      return await pullLogs({ ...options, demoAzure: false, endpoint: `${demo.url}/v1`, credential: staticTokenCredential('demo-azure') });
    } finally {
      await demo.close();
    }
  }
  const workspaceId = options.workspaceId.trim().toLowerCase();
  if (!isWorkspaceId(workspaceId)) throw new RangeError(`"${options.workspaceId}" is not a Log Analytics workspace ID (the workspace's GUID, "Workspace ID" on its overview page)`);
  const now = options.now ?? (() => new Date());
  const clock = options.clock ?? systemClock;
  const since = options.since ?? '7d';
  const timespan = logsTimespan(since, now());
  const endpoint = options.endpoint ? parseLogsEndpoint(options.endpoint) : { url: LOGS_ENDPOINTS[options.cloud], insecureLoopback: false };
  const scope = `${new URL(endpoint.url).origin}/.default`;
  const credential = options.credential;
  if (credential === undefined) throw new Error('pullLogs needs the pull\'s credential');
  const stats = new PullStats();
  const client = new LogsQueryClient(credential, {
    endpoint: endpoint.url, credentials: { scopes: [scope] }, allowInsecureConnection: endpoint.insecureLoopback,
    retryOptions: { maxRetries: 0 }, ...(options.httpClient ? { httpClient: options.httpClient } : {}),
  });
  // The same hardening as the ARM pipelines: the guard, the one retry layer (Retry-After on 429), loopback auth.
  client.pipeline.removePolicy({ name: 'defaultRetryPolicy' });
  client.pipeline.removePolicy({ name: 'exponentialRetryPolicy' });
  client.pipeline.removePolicy({ name: 'throttlingRetryPolicy' });
  client.pipeline.removePolicy({ name: 'systemErrorRetryPolicy' });
  client.pipeline.addPolicy(logsReadOnlyPolicy(endpoint.url));
  // Outside the retry layer, as in hardenPipeline: a proxy's or sign-in page's 200 fails as "not
  // JSON" (MalformedResponseError, a gap saying so), not inside the SDK as a TypeError ("Cannot read
  // properties of undefined") that tells an auditor nothing. The Log Analytics query API answers
  // JSON only ([Log Analytics query API] https://learn.microsoft.com/azure/azure-monitor/logs/api/response-format).
  client.pipeline.addPolicy(jsonResponsePolicy('Log Analytics', 'JSON'));
  client.pipeline.addPolicy(pacingPolicy({
    clock, stats, armBucket: new TokenBucket(10, 5, clock), graphQuota: new ResourceGraphQuota(clock),
    requestTimeoutMs: options.requestTimeoutMs ?? 200_000, maxRetries: options.maxRetries ?? 3, maxThrottleRetries: options.maxThrottleRetries ?? 6,
    baseRetryDelayMs: 1_000, maxRetryDelayMs: 30_000, ...(options.signal ? { signal: options.signal } : {}),
  }), { phase: 'Retry' });
  if (endpoint.insecureLoopback) {
    client.pipeline.removePolicy({ name: bearerTokenAuthenticationPolicyName });
    client.pipeline.addPolicy(loopbackBearerPolicy(credential, [scope]), { phase: 'Sign' });
  }
  client.pipeline.addPolicy(logsReadOnlyPolicy(endpoint.url, `${LOGS_READ_ONLY_POLICY_NAME}AfterSign`), { afterPhase: 'Sign' });

  const queries = options.queries ?? LOG_QUERIES;
  const tables: LogsPullFile['tables'][number][] = [];
  const records: LogsPullQueryRecord[] = [];
  const gaps: Gap[] = [];
  let refused: Gap | null = null;
  for (const [i, query] of queries.entries()) {
    if (refused !== null) {
      // The workspace refused the caller: every other table would be refused the same way.
      records.push({ table: query.table, status: 'failed', rows: 0, kql: query.kql });
      gaps.push({ ...refused, scope: `${workspaceId}/${query.table}`, message: `Log Analytics query of ${query.table} not sent: the workspace refused ${refused.scope.split('/').pop() ?? 'the first query'} (${refused.message}).` });
      continue;
    }
    options.onQuery?.(query.table, i, queries.length);
    try {
      const result = await client.queryWorkspace(workspaceId, query.kql, timespan, {
        serverTimeoutInSeconds: 180, ...(options.signal ? { abortSignal: options.signal } : {}),
      });
      if (result.status === LogsQueryResultStatus.PartialFailure) {
        const partial = result.partialTables.map((t) => restTable(t, query.table));
        tables.push(...partial);
        const rows = partial.reduce((n, t) => n + t.rows.length, 0);
        records.push({ table: query.table, status: 'partial', rows, kql: query.kql });
        gaps.push({
          code: 'request-failed', scope: `${workspaceId}/${query.table}`, count: rows,
          message: `Log Analytics returned a partial result for ${query.table} (${result.partialError.code ?? 'error'}: ${maskIdentities(result.partialError.message ?? '')}): ${rows} row(s) kept, the rest is missing.`,
        });
      } else {
        const full = result.tables.map((t) => restTable(t, query.table));
        tables.push(...full);
        records.push({ table: query.table, status: 'ok', rows: full.reduce((n, t) => n + t.rows.length, 0), kql: query.kql });
      }
    } catch (error) {
      if (isCancellation(error, options.signal) || error instanceof ReadOnlyViolationError || error instanceof ForeignOriginError) throw error;
      records.push({ table: query.table, status: 'failed', rows: 0, kql: query.kql });
      const gap = queryGap(workspaceId, query.table, error);
      gaps.push(gap);
      if (gap.code === 'access-denied') refused = gap;
    }
  }
  const file: LogsPullFile = {
    tables,
    egressAtlas: {
      schema: LOGS_PULL_SCHEMA, workspaceId, endpoint: endpoint.url,
      timespan: 'duration' in timespan ? timespan.duration : `${timespan.startTime.toISOString()}/${timespan.endTime.toISOString()}`,
      pulledAt: now().toISOString(), queries: records, gaps,
    },
  };
  return { file, rows: records.reduce((n, r) => n + r.rows, 0), gaps, stats };
}

export { ArmEndpointError, DEMO_WORKSPACE_ID };

/**
 * The fake Log Analytics query API (`POST /v1/workspaces/{id}/query`), served by the fake ARM
 * server for `pull --demo-azure --logs` and the tests. It does not run KQL: it reads the table the
 * query starts with and answers with the rows Egress Atlas's server-side summary of that table
 * would return, in the REST shape `{ tables: [{ name: "PrimaryResult", columns, rows }] }`. What a
 * real workspace does wrong is here too: a table it lacks (400 SemanticError "Failed to resolve
 * table ..."), a workspace the caller may not read (403 InsufficientAccessError), and malformed
 * bodies (400 BadArgumentError). Throttling (429 + Retry-After) comes from the server's faults.
 * [Errors] https://learn.microsoft.com/azure/azure-monitor/logs/api/errors
 */

export interface FakeLogColumn {
  readonly name: string;
  readonly type: 'string' | 'int' | 'long' | 'datetime' | 'real' | 'bool' | 'dynamic';
}

export interface FakeLogTable {
  readonly columns: readonly FakeLogColumn[];
  /** The summary rows; datetimes may be functions of "now" (ms) so the demo's window is always recent. */
  readonly rows: readonly (readonly (unknown | ((nowMs: number) => string))[])[];
}

export interface FakeWorkspace {
  readonly access: 'ok' | 'forbidden';
  /** Table name (as the KQL names it) → its summary. A table not here "does not exist". */
  readonly tables: ReadonlyMap<string, FakeLogTable>;
  /**
   * Tables answered 200 with their rows AND an `error` (Log Analytics' partial result, e.g. a
   * result set over the size limit): the rows are a part of the answer.
   */
  readonly partial?: ReadonlySet<string>;
}

export interface FakeLogsReply {
  readonly status: number;
  readonly body: unknown;
}

function error(status: number, code: string, message: string, inner?: unknown): FakeLogsReply {
  return { status, body: { error: { message, code, correlationId: '00000000-0000-4000-8000-00000000fa4e', ...(inner ? { innererror: inner } : {}) } } };
}

const ISO_DURATION = /^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;

function validTimespan(text: string): boolean {
  if (ISO_DURATION.test(text)) return true;
  const [start, end] = text.split('/');
  return start !== undefined && end !== undefined && !Number.isNaN(Date.parse(start)) && (ISO_DURATION.test(end) || !Number.isNaN(Date.parse(end)));
}

export function handleWorkspaceQuery(workspaces: ReadonlyMap<string, FakeWorkspace> | undefined, workspaceId: string, bodyText: string, nowMs: number): FakeLogsReply {
  const workspace = workspaces?.get(workspaceId.toLowerCase());
  if (!workspace) {
    return error(404, 'WorkspaceNotFoundError', `The workspace could not be found`, { code: 'ResourceNotFoundError', message: `Workspace ${workspaceId} not found.` });
  }
  if (workspace.access === 'forbidden') {
    return error(403, 'InsufficientAccessError', 'The provided credentials have insufficient access to perform the requested operation');
  }
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return error(400, 'BadArgumentError', 'The request had some invalid properties', { code: 'InvalidJson', message: 'The body is not JSON.' });
  }
  const query = typeof body === 'object' && body !== null && 'query' in body ? (body as { query: unknown }).query : undefined;
  const timespan = typeof body === 'object' && body !== null && 'timespan' in body ? (body as { timespan: unknown }).timespan : undefined;
  if (typeof query !== 'string' || query.trim() === '') {
    return error(400, 'BadArgumentError', 'The request had some invalid properties', { code: 'QueryMissing', message: 'A query is required.' });
  }
  if (timespan !== undefined && (typeof timespan !== 'string' || !validTimespan(timespan))) {
    return error(400, 'BadArgumentError', 'The request had some invalid properties', { code: 'InvalidTimespan', message: `Invalid timespan ${JSON.stringify(timespan)}.` });
  }
  const tableName = /^\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(query)?.[1] ?? '';
  const table = [...workspace.tables.entries()].find(([name]) => name.toLowerCase() === tableName.toLowerCase())?.[1];
  if (!table) {
    return error(400, 'BadArgumentError', 'The request had some invalid properties', {
      code: 'SemanticError', message: 'A semantic error occurred.',
      innererror: { code: 'SEM0100', message: `'summarize' operator: Failed to resolve table or column expression named '${tableName}'` },
    });
  }
  const partial = [...(workspace.partial ?? [])].some((name) => name.toLowerCase() === tableName.toLowerCase());
  return {
    status: 200,
    body: {
      ...(partial ? {
        error: {
          code: 'PartialError', message: 'There were some errors when processing your query.',
          details: [{ code: 'EngineError', message: 'Query result set has exceeded the internal data size limit 8388608 (E_QUERY_RESULT_SET_TOO_LARGE).' }],
        },
      } : {}),
      tables: [{
        name: 'PrimaryResult',
        columns: table.columns,
        rows: table.rows.map((row) => row.map((cell) => (typeof cell === 'function' ? (cell as (n: number) => string)(nowMs) : cell))),
      }],
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The demo workspace: the bank estate's firewall and Traffic Analytics, summarised

const HOUR = 3_600_000;
const ago = (hours: number) => (nowMs: number): string => new Date(Math.floor(nowMs / HOUR) * HOUR - hours * HOUR).toISOString();
const FIREWALL_ID = '/subscriptions/6b1f3c2a-8d4e-4f7a-9c15-2e8b7d0a4c91/resourceGroups/rg-hub-network-weu/providers/Microsoft.Network/azureFirewalls/afw-hub-weu';
const RULE_COLUMNS: readonly FakeLogColumn[] = [
  { name: 'Policy', type: 'string' }, { name: 'RuleCollectionGroup', type: 'string' }, { name: 'RuleCollection', type: 'string' }, { name: 'Rule', type: 'string' },
];
const SUMMARY_COLUMNS: readonly FakeLogColumn[] = [{ name: 'count_', type: 'long' }, { name: 'firstSeen', type: 'datetime' }, { name: 'lastSeen', type: 'datetime' }];
const col = (name: string, type: FakeLogColumn['type'] = 'string'): FakeLogColumn => ({ name, type });

export function demoWorkspaceTables(): ReadonlyMap<string, FakeLogTable> {
  const psp = ['afwp-bank-egress', 'rcg-payments-egress', 'allow-approved-psp-apis'];
  const platform = ['afwp-bank-egress', 'rcg-platform', 'allow-platform-updates'];
  const none = ['', '', '', ''];
  return new Map<string, FakeLogTable>([
    ['AZFWApplicationRule', {
      columns: [col('Type'), col('_ResourceId'), col('SourceIp'), col('Fqdn'), col('DestinationPort', 'int'), col('Protocol'), col('Action'), ...RULE_COLUMNS, ...SUMMARY_COLUMNS],
      rows: [
        ['AZFWApplicationRule', FIREWALL_ID, '10.120.0.4', 'www.visa.com', 443, 'HTTPS', 'Allow', ...psp, 'card-networks', 1840, ago(150), ago(1)],
        ['AZFWApplicationRule', FIREWALL_ID, '10.110.0.4', 'api.stripe.com', 443, 'HTTPS', 'Allow', ...psp, 'stripe', 9120, ago(160), ago(1)],
        ['AZFWApplicationRule', FIREWALL_ID, '10.110.0.5', 'pypi.org', 443, 'HTTPS', 'Deny', ...none, 37, ago(70), ago(69)],
        ['AZFWApplicationRule', FIREWALL_ID, '10.130.0.4', 'download.windowsupdate.com', 80, 'HTTP', 'Allow', ...platform, 'windows-update', 210, ago(140), ago(20)],
      ],
    }],
    ['AZFWNetworkRule', {
      columns: [col('Type'), col('_ResourceId'), col('SourceIp'), col('DestinationIp'), col('DestinationPort', 'int'), col('Protocol'), col('Action'), ...RULE_COLUMNS, ...SUMMARY_COLUMNS],
      rows: [
        ['AZFWNetworkRule', FIREWALL_ID, '10.130.0.4', '203.0.113.40', 22, 'TCP', 'Allow', 'afwp-bank-egress', 'rcg-payments-egress', 'allow-clearing-house', 'clearing-sftp', 96, ago(150), ago(3)],
        ['AZFWNetworkRule', FIREWALL_ID, '10.120.0.5', '203.0.113.99', 3389, 'TCP', 'Deny', ...none, 14, ago(40), ago(38)],
        ['AZFWNetworkRule', FIREWALL_ID, '10.110.1.4', '40.119.6.228', 123, 'UDP', 'Allow', ...platform, 'ntp', 672, ago(160), ago(1)],
      ],
    }],
    // DNAT is not used in the demo estate: the table exists, the summary is empty.
    ['AZFWNatRule', {
      columns: [col('Type'), col('_ResourceId'), col('SourceIp'), col('DestinationIp'), col('DestinationPort', 'int'), col('Protocol'), col('TranslatedIp'), col('TranslatedPort', 'int'), ...RULE_COLUMNS, ...SUMMARY_COLUMNS],
      rows: [],
    }],
    // AZFWDnsQuery is absent: DNS proxy logging is off, so the pull records "no such table".
    ['NTANetAnalytics', {
      columns: [col('Type'), col('SrcIp'), col('DestIp'), col('DestPort', 'int'), col('L4Protocol'), col('FlowStatus'), col('NsgRule'), col('Flows', 'long'), col('Bytes', 'long'), col('FirstSeen', 'datetime'), col('LastSeen', 'datetime')],
      rows: [
        ['NTANetAnalytics', '10.110.1.4', '52.239.148.4', 443, 'T', 'A', 'AllowInternetOutBound', 412, 9_874_120_448, ago(166), ago(1)],
        ['NTANetAnalytics', '10.130.1.4', '20.42.65.92', 1433, 'T', 'D', 'DenyInternetOutBound', 28, 0, ago(90), ago(88)],
      ],
    }],
  ]);
}

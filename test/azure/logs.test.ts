/**
 * `pull --logs WORKSPACE_ID` (electron/azure/logs.ts) end to end: the REAL @azure/monitor-query-logs
 * LogsQueryClient against the fake Log Analytics endpoint of the fake ARM server on 127.0.0.1, the
 * read-only guard (exactly POST .../workspaces/{id}/query, nothing else), partial failures as
 * recorded gaps (403 workspace, 429 + Retry-After, a table the workspace lacks), and the file it
 * writes read back by the `traffic --logs` parser.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPipelineRequest } from '@azure/core-rest-pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../electron/cli/command';
import { runCli } from '../../electron/cli/main';
import { DEMO_FORBIDDEN_WORKSPACE_ID, DEMO_WORKSPACE_ID, demoEstate } from '../../electron/azure/fake-arm/demo';
import { demoWorkspaceTables } from '../../electron/azure/fake-arm/log-analytics';
import { startFakeArm, type FakeArm } from '../../electron/azure/fake-arm/server';
import {
  isLogsQueryRequest, LOG_QUERIES, LOGS_ENDPOINTS, LOGS_PULL_SCHEMA, logsReadOnlyPolicy, logsTimespan, parseLogsEndpoint, pullLogs,
} from '../../electron/azure/logs';
import { ForeignOriginError, isReadOnlyRequest, ReadOnlyViolationError } from '../../electron/azure/policies';
import { analyzeTraffic, parseLogFile } from '../../shared/traffic/index';
import { demoInput } from '../shared/traffic/support';
import { recordingCredential } from '../electron/azure/helpers';

const WS = DEMO_WORKSPACE_ID;
const ENDPOINT = 'https://api.loganalytics.io/v1';

describe('the logs read-only guard', () => {
  it('allows exactly POST {endpoint}/workspaces/{GUID}/query', () => {
    expect(isLogsQueryRequest('POST', `${ENDPOINT}/workspaces/${WS}/query`, ENDPOINT)).toBe(true);
    expect(isLogsQueryRequest('post', `${ENDPOINT}/workspaces/${WS.toUpperCase()}/query?timespan=P1D`, ENDPOINT)).toBe(true);
  });

  it.each([
    ['GET', `${ENDPOINT}/workspaces/${WS}/query`],
    ['PUT', `${ENDPOINT}/workspaces/${WS}/query`],
    ['DELETE', `${ENDPOINT}/workspaces/${WS}/query`],
    ['PATCH', `${ENDPOINT}/workspaces/${WS}/query`],
    ['POST', `${ENDPOINT}/$batch`],
    ['POST', `${ENDPOINT}/workspaces/${WS}/query/extra`],
    ['POST', `${ENDPOINT}/workspaces/${WS}/purge`],
    ['POST', `${ENDPOINT}/workspaces/not-a-guid/query`],
    ['POST', `${ENDPOINT}/subscriptions/x/resourceGroups/y/providers/Microsoft.OperationalInsights/workspaces/z/query`],
    ['POST', `https://api.loganalytics.io/v2/workspaces/${WS}/query`],
    ['POST', `https://evil.example/v1/workspaces/${WS}/query`],
    ['POST', `https://management.azure.com/providers/Microsoft.ResourceGraph/resources`],
    ['POST', 'not a url'],
  ])('refuses %s %s', (method, url) => {
    expect(isLogsQueryRequest(method, url, ENDPOINT)).toBe(false);
  });

  it('the ARM guard still refuses the workspace query and every other POST it refused before', () => {
    expect(isReadOnlyRequest('POST', `https://management.azure.com/v1/workspaces/${WS}/query`)).toBe(false);
    expect(isReadOnlyRequest('POST', `${ENDPOINT}/workspaces/${WS}/query`)).toBe(false);
    expect(isReadOnlyRequest('POST', 'https://management.azure.com/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/networkSecurityGroups/n/delete')).toBe(false);
    expect(isReadOnlyRequest('POST', 'https://management.azure.com/providers/Microsoft.ResourceGraph/resources')).toBe(true);
  });

  it('as a pipeline policy: refuses before sending, names the foreign origin', async () => {
    const policy = logsReadOnlyPolicy(ENDPOINT);
    let sent = 0;
    const next = async (): Promise<never> => {
      sent += 1;
      throw new Error('reached the wire');
    };
    const request = (method: 'POST' | 'GET' | 'DELETE', url: string) => createPipelineRequest({ url, method });
    await expect(policy.sendRequest(request('DELETE', `${ENDPOINT}/workspaces/${WS}/query`), next)).rejects.toBeInstanceOf(ReadOnlyViolationError);
    await expect(policy.sendRequest(request('POST', `${ENDPOINT}/$batch`), next)).rejects.toThrow(/read-only: refused POST \/v1\/\$batch/);
    await expect(policy.sendRequest(request('POST', `https://evil.example/v1/workspaces/${WS}/query`), next)).rejects.toBeInstanceOf(ForeignOriginError);
    expect(sent).toBe(0);
    await expect(policy.sendRequest(request('POST', `${ENDPOINT}/workspaces/${WS}/query`), next)).rejects.toThrow('reached the wire');
    expect(sent).toBe(1);
  });

  it('per-cloud endpoints and custom ones: https, or http on loopback only', () => {
    expect(LOGS_ENDPOINTS).toEqual({
      AzurePublicCloud: 'https://api.loganalytics.io/v1', AzureUSGovernment: 'https://api.loganalytics.us/v1', AzureChinaCloud: 'https://api.loganalytics.azure.cn/v1',
    });
    expect(parseLogsEndpoint('http://127.0.0.1:8080/v1/')).toEqual({ url: 'http://127.0.0.1:8080/v1', insecureLoopback: true });
    expect(() => parseLogsEndpoint('http://logs.contoso.example/v1')).toThrow(/loopback/);
  });

  it('turns --since into the query timespan', () => {
    const now = new Date('2026-12-05T10:00:00Z');
    expect(logsTimespan('7d', now)).toEqual({ duration: 'P7D' });
    expect(logsTimespan('12h', now)).toEqual({ duration: 'PT12H' });
    expect(logsTimespan('30m', now)).toEqual({ duration: 'PT30M' });
    expect(logsTimespan('2026-12-01', now)).toEqual({ startTime: new Date('2026-12-01T00:00:00Z'), endTime: now });
    expect(() => logsTimespan('2027-01-01', now)).toThrow(/not in the past/);
    expect(() => logsTimespan('last week', now)).toThrow(/not a date/);
  });
});

describe('pullLogs with the real SDK against the fake workspace', () => {
  let fake: FakeArm;
  beforeAll(async () => {
    fake = await startFakeArm({ estate: demoEstate(), faults: { throttleRetryAfterSeconds: 1 } });
  });
  afterAll(async () => {
    await fake.close();
  });

  it('summarises every table on the server, writes the REST shape, records the missing table as a gap', async () => {
    const credential = recordingCredential('logs-token');
    const before = fake.stats.requests;
    const seen: string[] = [];
    const outcome = await pullLogs({
      workspaceId: WS, since: '7d', cloud: 'AzurePublicCloud', endpoint: `${fake.url}/v1`, credential, onQuery: (t) => seen.push(t),
    });
    expect(seen).toEqual(LOG_QUERIES.map((q) => q.table));
    expect(fake.stats.requests - before).toBe(LOG_QUERIES.length);
    expect(fake.stats.mutations).toBe(0);
    expect(fake.stats.authorizations).toContain('Bearer logs-token');
    // The token is asked for the Log Analytics audience of the endpoint, not ARM's.
    expect(credential.scopes).toContainEqual([`${fake.url}/.default`]);
    const meta = outcome.file.egressAtlas;
    expect(meta).toMatchObject({ schema: LOGS_PULL_SCHEMA, workspaceId: WS, timespan: 'P7D' });
    expect(meta.queries.map((q) => [q.table, q.status, q.rows])).toEqual([
      ['AZFWApplicationRule', 'ok', 4], ['AZFWNetworkRule', 'ok', 3], ['AZFWNatRule', 'ok', 0], ['AZFWDnsQuery', 'failed', 0], ['NTANetAnalytics', 'ok', 2],
    ]);
    expect(meta.gaps).toHaveLength(1);
    expect(meta.gaps[0]).toMatchObject({ code: 'not-modelled', scope: `${WS}/AZFWDnsQuery` });
    expect(meta.gaps[0]?.message).toMatch(/Table AZFWDnsQuery does not exist in workspace .*Failed to resolve table/);
    // Datetimes come back from the SDK as Date and are written as ISO text.
    const app = outcome.file.tables.find((t) => t.name === 'AZFWApplicationRule');
    expect(app?.columns.map((c) => c.name)).toContain('lastSeen');
    expect(typeof app?.rows[0]?.[app.columns.findIndex((c) => c.name === 'lastSeen')]).toBe('string');

    // The traffic parser reads the file as written, and the analysis carries the recorded gap.
    const log = parseLogFile('ws.logs.json', JSON.stringify(outcome.file));
    expect(log.shape).toBe('log-analytics-rest');
    expect(log.records).toHaveLength(4 + 3 + 2);
    expect(log.records.filter((r) => r.log === 'traffic-analytics').map((r) => [r.sourceIp, r.destination, r.port, r.protocol, r.action, r.flows, r.bytes])).toEqual([
      ['10.110.1.4', '52.239.148.4', 443, 'TCP', 'allow', 412, 9_874_120_448], ['10.130.1.4', '20.42.65.92', 1433, 'TCP', 'deny', 28, 0],
    ]);
    const result = analyzeTraffic(demoInput('bank'), [log]);
    expect(result.unattributed).toEqual([]);
    expect(result.sources.map((s) => s.source.name)).toContain('nic-vm-payapi-01');
    expect(result.gaps.filter((g) => g.scope === `${WS}/AZFWDnsQuery`)).toHaveLength(1);
  });

  it('a workspace that refuses the caller (403): one query sent, every table a gap, no rows', async () => {
    const before = fake.stats.byKind.get('log-analytics') ?? 0;
    const outcome = await pullLogs({ workspaceId: DEMO_FORBIDDEN_WORKSPACE_ID, cloud: 'AzurePublicCloud', endpoint: `${fake.url}/v1`, credential: recordingCredential() });
    expect((fake.stats.byKind.get('log-analytics') ?? 0) - before).toBe(1);
    expect(outcome.rows).toBe(0);
    expect(outcome.file.tables).toEqual([]);
    expect(outcome.gaps.map((g) => g.code)).toEqual(LOG_QUERIES.map(() => 'access-denied'));
    expect(outcome.gaps[0]?.message).toMatch(/HTTP 403 InsufficientAccessError/);
    expect(outcome.gaps[1]?.message).toMatch(/not sent: the workspace refused AZFWApplicationRule/);
    const log = parseLogFile('refused.json', JSON.stringify(outcome.file));
    expect(log.records).toEqual([]);
    expect(log.gaps).toHaveLength(LOG_QUERIES.length);
  });

  it('429 with Retry-After: waits and retries; when retries run out the table is a throttled gap', async () => {
    fake.faults.throttles = [{ match: new RegExp(`^POST /v1/workspaces/${WS}/query$`), times: 1 }];
    const throttledBefore = fake.stats.throttled;
    const started = Date.now();
    const once = await pullLogs({ workspaceId: WS, cloud: 'AzurePublicCloud', endpoint: `${fake.url}/v1`, credential: recordingCredential(), queries: LOG_QUERIES.slice(0, 1) });
    expect(fake.stats.throttled - throttledBefore).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(once.stats.throttledResponses).toBe(1);
    expect(once.gaps).toEqual([]);
    expect(once.rows).toBe(4);

    fake.faults.throttles = [{ match: new RegExp(`^POST /v1/workspaces/${WS}/query$`), times: 2 }];
    fake.faults.throttleRetryAfterSeconds = 0;
    const exhausted = await pullLogs({
      workspaceId: WS, cloud: 'AzurePublicCloud', endpoint: `${fake.url}/v1`, credential: recordingCredential(), queries: LOG_QUERIES.slice(0, 2), maxThrottleRetries: 1,
    });
    expect(exhausted.gaps.map((g) => [g.code, g.scope])).toEqual([['throttled', `${WS}/AZFWApplicationRule`]]);
    expect(exhausted.file.egressAtlas.queries.map((q) => q.status)).toEqual(['failed', 'ok']);
    expect(exhausted.rows).toBe(3);
    fake.faults.throttleRetryAfterSeconds = 1;
  });

  it('a partial result (200 with an error: result set over the size limit) keeps its rows and is a gap', async () => {
    const partialFake = await startFakeArm({
      estate: { ...demoEstate(), workspaces: new Map([[WS, { access: 'ok' as const, tables: demoWorkspaceTables(), partial: new Set(['AZFWNetworkRule']) }]]) },
    });
    try {
      const outcome = await pullLogs({ workspaceId: WS, cloud: 'AzurePublicCloud', endpoint: `${partialFake.url}/v1`, credential: recordingCredential(), queries: LOG_QUERIES.slice(0, 2) });
      expect(outcome.file.egressAtlas.queries.map((q) => [q.table, q.status, q.rows])).toEqual([['AZFWApplicationRule', 'ok', 4], ['AZFWNetworkRule', 'partial', 3]]);
      expect(outcome.gaps).toHaveLength(1);
      expect(outcome.gaps[0]).toMatchObject({ code: 'request-failed', scope: `${WS}/AZFWNetworkRule`, count: 3 });
      expect(outcome.gaps[0]?.message).toMatch(/partial result for AZFWNetworkRule \(PartialError: There were some errors.*3 row\(s\) kept, the rest is missing/);
      expect(parseLogFile('p.json', JSON.stringify(outcome.file)).records).toHaveLength(7);
    } finally {
      await partialFake.close();
    }
  });

  it('refuses a workspace ID that is not a GUID before sending anything', async () => {
    const before = fake.stats.requests;
    await expect(pullLogs({ workspaceId: 'my-workspace', cloud: 'AzurePublicCloud', endpoint: `${fake.url}/v1`, credential: recordingCredential() })).rejects.toThrow(/not a Log Analytics workspace ID/);
    expect(fake.stats.requests).toBe(before);
  });

  it('never sends the token to a non-loopback http endpoint', async () => {
    await expect(pullLogs({ workspaceId: WS, cloud: 'AzurePublicCloud', endpoint: 'http://logs.contoso.example/v1', credential: recordingCredential() })).rejects.toThrow(/loopback/);
  });
});

describe('egress-atlas pull --demo-azure --logs', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'egress-atlas-logs-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const cli = async (args: readonly string[]): Promise<{ code: number; out: string; err: string }> => {
    let out = '';
    let err = '';
    const io: CliIo = { stdout: (t) => { out += t; }, stderr: (t) => { err += t; }, isTTY: false, cwd: dir, env: {} };
    return { code: await runCli(args, io), out, err };
  };

  it('writes the log file, names it and its gaps; traffic --logs reads it and reports the gap', async () => {
    const pulled = await cli(['pull', '--demo-azure', '--logs', WS, '--since', '3d', '--logs-out', 'bank.logs.json']);
    expect(pulled.code).toBe(0);
    expect(pulled.out).toContain(`Read workspace ${WS} (P3D)`);
    expect(pulled.out).toMatch(/AZFWDnsQuery: not read/);
    expect(pulled.out).toMatch(/gaps: 1\n {4}not-modelled {2}.*\/AZFWDnsQuery: Table AZFWDnsQuery does not exist/);
    // As every command's "wrote" line: on stderr, so stdout is only the summary.
    expect(pulled.err).toContain('wrote bank.logs.json (read it with: egress-atlas traffic <snapshot> --logs bank.logs.json)');
    expect(pulled.out).not.toMatch(/^wrote /m);
    expect(pulled.err).toContain('logs: querying NTANetAnalytics (5/5)');
    const file = JSON.parse(await readFile(join(dir, 'bank.logs.json'), 'utf8')) as { egressAtlas: { timespan: string } };
    expect(file.egressAtlas.timespan).toBe('P3D');
    const traffic = await cli(['traffic', '--demo', 'bank', '--logs', 'bank.logs.json', '--format', 'json']);
    expect(traffic.code).toBe(0);
    const result = JSON.parse(traffic.out) as { gaps: { scope: string; message: string }[]; sources: unknown[] };
    expect(result.sources.length).toBeGreaterThan(3);
    expect(result.gaps.find((g) => g.scope.endsWith('/AZFWDnsQuery'))?.message).toMatch(/recorded in bank\.logs\.json/);
  });

  it('usage errors: a workspace name instead of its GUID, --since without --logs, --logs without any output', async () => {
    expect((await cli(['pull', '--demo-azure', '--logs', 'law-bank', '--logs-out', 'x.json'])).err).toMatch(/not a Log Analytics workspace ID/);
    expect((await cli(['pull', '--demo-azure', '--out', 's.json', '--since', '7d'])).err).toMatch(/--since needs --logs/);
    const noOut = await cli(['pull', '--demo-azure', '--logs', WS]);
    expect(noOut.code).toBe(2);
    expect(noOut.err).toMatch(/needs --logs-out/);
  });
});

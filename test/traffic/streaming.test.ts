/**
 * Streaming observed traffic (issue 13): the file-by-file path (`analyzeLogFiles`: parse each file
 * into the aggregator, keep no record) must give exactly the result of the in-memory path
 * (`readLogs` + `analyzeTraffic`) on the fixtures and on a generated tree of PT1H.json blobs, and
 * report its progress (files, bytes, records) as it goes.
 */
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../electron/cli/command';
import { analyzeLogFiles, createLogProgress, listLogFiles, readLogs } from '../../electron/cli/commands/traffic';
import type { LogReadProgress } from '../../electron/cli/commands/traffic';
import { runCli } from '../../electron/cli/main';
import { analyzeTraffic, createTrafficAggregator, finishTraffic, parseLogFile, parseLogFileInto } from '../../shared/traffic/index';
import type { TrafficRecord, TrafficResult } from '../../shared/traffic/index';
import { demoInput, LOGS, ROOT } from '../shared/traffic/support';

const bank = demoInput('bank');
let dir = '';
let tree = '';
let tupleCount = 0;

/** Bank NIC addresses (they attribute), one unknown private and one public source. */
function sources(): readonly string[] {
  const ips = bank.model.networkInterfaces.flatMap((n) => n.ipConfigurations.map((c) => c.privateIpAddress).filter((ip): ip is string => ip !== null));
  return [...ips.slice(0, 12), '10.200.9.9', '198.51.100.23'];
}

/** A VNet flow log v4 blob as storage holds it: records per minute, B/E pairs, a denied and an inbound tuple. */
function blob(src: string, hour: number, seed: number): { readonly text: string; readonly tuples: number } {
  const records: unknown[] = [];
  let tuples = 0;
  for (let minute = 0; minute < 3; minute++) {
    const t = hour + minute * 60_000 + seed;
    const dst = ['20.42.65.92', '52.239.148.4', '13.107.42.14'][(seed + minute) % 3] ?? '';
    const port = [443, 80, 1433][(seed + minute) % 3] ?? 443;
    const flowTuples = [
      `${t},${src},${dst},${40000 + minute},${port},6,O,B,NX,0,0,0,0`,
      `${t + 999},${src},${dst},${40000 + minute},${port},6,O,E,NX,${3 + minute},${767 + seed},2,${1580 + minute}`,
      `${t + 5},${src},203.0.113.99,${41000 + minute},3389,6,O,D,NX,0,0,0,0`,
      `${t + 7},198.51.100.7,${src},${42000 + minute},443,6,I,B,NX,0,0,0,0`,
      `${t + 9},${src},168.63.129.16,${43000 + minute},53,17,O,B,NX,0,0,0,0`,
    ];
    tuples += flowTuples.length;
    records.push({
      time: new Date(t).toISOString(), flowLogVersion: 4, flowLogGUID: '66aa66aa-bb77-cc88-dd99-00ee00ee00ee', macAddress: '000D3A6E1F01',
      category: 'FlowLogFlowEvent',
      flowLogResourceID: '/SUBSCRIPTIONS/A0D9E5C7-3B2F-4E18-8A6D-71C4F9B2E305/RESOURCEGROUPS/NETWORKWATCHERRG/PROVIDERS/MICROSOFT.NETWORK/NETWORKWATCHERS/NETWORKWATCHER_WESTEUROPE/FLOWLOGS/FL-VNET',
      targetResourceID: '/subscriptions/a0d9e5c7-3b2f-4e18-8a6d-71c4f9b2e305/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet',
      operationName: 'FlowLogFlowEvent',
      flowRecords: { flows: [{ aclID: '00aa00aa-bb11-cc22-dd33-44ee44ee44ee', flowGroups: [{ rule: minute === 2 ? 'DefaultRule_DenyAllOutBound' : 'DefaultRule_AllowInternetOutBound', flowTuples }] }] },
    });
  }
  return { text: JSON.stringify({ records }), tuples };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'egress-atlas-stream-'));
  tree = join(dir, 'insights-logs-flowlogflowevent');
  const ips = sources();
  let n = 0;
  for (let h = 0; h < 6; h++) {
    for (const [i, src] of ips.entries()) {
      const hour = Date.UTC(2024, 4, 1 + Math.floor(h / 3), (h % 3) * 7);
      const d = new Date(hour);
      const path = join(tree, 'flowLogResourceID=', 'A0D9E5C7_NETWORKWATCHERRG', 'NETWORKWATCHER_WESTEUROPE_FL-VNET', `y=${d.getUTCFullYear()}`, 'm=05',
        `d=0${d.getUTCDate()}`, `h=${String(d.getUTCHours()).padStart(2, '0')}`, 'm=00', `macAddress=000D3A6E1F${String(i).padStart(2, '0')}`);
      await mkdir(path, { recursive: true });
      const b = blob(src, hour, n++);
      tupleCount += b.tuples;
      await writeFile(join(path, 'PT1H.json'), b.text);
      // Storage downloads carry other files too: never read.
      await writeFile(join(path, 'PT1H.json.md5'), 'not a log');
    }
  }
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function inMemory(paths: readonly string[], since?: string): Promise<TrafficResult> {
  const logs = await readLogs(paths, ROOT);
  return analyzeTraffic(bank, logs, since === undefined ? {} : { since });
}

describe('streaming aggregation (file by file, no records kept)', () => {
  it('gives the in-memory result on every fixture (firewall logs in all shapes, VNet and NSG flow logs)', async () => {
    const streamed = await analyzeLogFiles(bank, [LOGS], ROOT);
    expect(streamed).toEqual(await inMemory([LOGS]));
    expect(streamed.sources.length).toBeGreaterThan(3);
    expect(streamed.gaps.some((g) => g.code === 'skipped-input')).toBe(true);
  });

  it('gives the in-memory result with an absolute and a relative --since (two passes)', async () => {
    const passes: number[] = [];
    const relative = await analyzeLogFiles(bank, [LOGS], ROOT, { since: '2d', onProgress: (p) => passes.push(p.pass) });
    expect(relative.window.from).toBe('2024-05-05T23:58:40.000Z');
    expect(new Set(passes)).toEqual(new Set([1, 2]));
    const logs = await readLogs([LOGS], ROOT);
    expect(relative).toEqual(analyzeTraffic(bank, logs, { since: '2024-05-05T23:58:40.000Z' }));
    expect(await analyzeLogFiles(bank, [LOGS], ROOT, { since: '2024-05-03' })).toEqual(analyzeTraffic(bank, logs, { since: '2024-05-03T00:00:00.000Z' }));
  });

  it('gives the in-memory result on a generated tree of PT1H.json blobs, counting every outbound tuple once', async () => {
    const streamed = await analyzeLogFiles(bank, [tree], ROOT);
    expect(streamed).toEqual(await inMemory([tree]));
    // Per blob: 3 minutes × (B + D + DNS B) flows, E carries bytes only, the inbound tuple is skipped.
    const flows = streamed.sources.reduce((n, s) => n + s.observed.reduce((m, o) => m + o.flows, 0), 0) + streamed.unattributed.reduce((n, u) => n + u.flows, 0);
    const files = (await listLogFiles([tree], ROOT)).length;
    expect(files).toBe(6 * sources().length);
    expect(flows).toBe(files * 3 * 3);
    expect(streamed.unattributed.map((u) => [u.sourceIp, u.reason])).toEqual([['10.200.9.9', 'unknown-private'], ['198.51.100.23', 'public']]);
    expect(streamed.gaps.filter((g) => g.code === 'skipped-input')).toHaveLength(files);
  });

  it('the aggregator fed record by record equals analyzeTraffic over the same parsed files', async () => {
    const files = await listLogFiles([tree, LOGS], ROOT);
    const aggregator = createTrafficAggregator(bank.model, { since: '2024-05-01T10:00:00.000Z' });
    const { readFile } = await import('node:fs/promises');
    const parsed = [];
    for (const file of files) {
      const text = await readFile(file.path, 'utf8');
      const summary = parseLogFileInto(file.shown, text, aggregator.add);
      aggregator.endFile(file.shown, summary.skipped);
      const log = parseLogFile(file.shown, text);
      expect(summary.recordCount).toBe(log.records.length);
      parsed.push(log);
    }
    expect(aggregator.recordCount()).toBe(parsed.reduce((n, l) => n + l.records.length, 0));
    expect(finishTraffic(bank, aggregator, { deniedThreshold: 2 })).toEqual(analyzeTraffic(bank, parsed, { since: '2024-05-01T10:00:00.000Z', deniedThreshold: 2 }));
  });

  it('reports progress per file: files, bytes and records up to the totals, done once at the end', async () => {
    const seen: LogReadProgress[] = [];
    let clock = 0;
    await analyzeLogFiles(bank, [tree], ROOT, { onProgress: (p) => seen.push(p), now: () => (clock += 10) });
    const files = await listLogFiles([tree], ROOT);
    const totalBytes = (await Promise.all(files.map(async (f) => (await stat(f.path)).size))).reduce((a, b) => a + b, 0);
    expect(seen).toHaveLength(files.length);
    expect(seen.map((p) => p.files)).toEqual(files.map((_, i) => i + 1));
    const last = seen[seen.length - 1];
    expect(last).toMatchObject({ files: files.length, totalFiles: files.length, bytes: totalBytes, totalBytes, records: tupleCount - files.length * 3, done: true, pass: 1, passes: 1 });
    expect(seen.filter((p) => p.done)).toHaveLength(1);
    expect(seen.every((p, i) => i === 0 || p.elapsedMs > (seen[i - 1]?.elapsedMs ?? 0))).toBe(true);
  });

  it('keeps ISO times exact (the per-minute prefix cache) for v4 milliseconds and NSG seconds', () => {
    const stamps = [0, 999, 1_000, 59_999, 60_000, 1_663_146_003_599, 1_714_557_731_007, 4_102_444_799_999, 1_714_557_720_000];
    const v4 = stamps.map((ts) => `${ts},10.0.0.6,192.0.2.180,23956,443,6,O,B,NX,0,0,0,0`);
    const log = parseLogFile('PT1H.json', JSON.stringify({ records: [{ flowLogVersion: 4, flowRecords: { flows: [{ aclID: 'a', flowGroups: [{ rule: 'r', flowTuples: v4 }] }] } }] }));
    expect(log.records.map((r: TrafficRecord) => r.time)).toEqual(stamps.map((ts) => new Date(ts).toISOString()));
    const seconds = [0, 59, 1_542_110_377, 1_542_110_437];
    const nsg = parseLogFile('PT1H.json', JSON.stringify({ records: [{ category: 'NetworkSecurityGroupFlowEvent', properties: { Version: 2, flows: [{ rule: 'r', flows: [{ mac: 'm', flowTuples: seconds.map((s) => `${s},10.0.0.4,13.67.143.118,44931,443,T,O,A,B,,,,`) }] }] } }] }));
    expect(nsg.records.map((r) => r.time)).toEqual(seconds.map((s) => new Date(s * 1000).toISOString()));
  });

  it('a bad tuple deep in a blob still names its exact JSON path', () => {
    const tuples = ['1663146003599,10.0.0.6,192.0.2.180,23956,443,6,O,B,NX,0,0,0,0', '1663146003599,10.0.0.6,not-an-ip,23956,443,6,O,B,NX,0,0,0,0'];
    expect(() => parseLogFileInto('PT1H.json', JSON.stringify({ records: [{ flowLogVersion: 4, flowRecords: { flows: [{ aclID: 'a', flowGroups: [{ rule: 'r', flowTuples: tuples }] }] } }] }), () => undefined))
      .toThrow('$.records[0].flowRecords.flows[0].flowGroups[0].flowTuples[1]');
  });
});

describe('progress on stderr', () => {
  const progress = (over: Partial<LogReadProgress>): LogReadProgress => ({
    pass: 1, passes: 1, files: 1, totalFiles: 10, bytes: 1_048_576, totalBytes: 10_485_760, records: 5000, elapsedMs: 100, done: false, ...over,
  });
  const io = (isTTY: boolean): { io: CliIo; err: () => string } => {
    let err = '';
    return { io: { stdout: () => undefined, stderr: (t) => { err += t; }, isTTY, cwd: ROOT, env: {} }, err: () => err };
  };

  it('prints nothing for a short read in a pipeline, a line every 5 s and a last line for a long one', () => {
    const short = io(false);
    let t = 0;
    const quick = createLogProgress(short.io, () => t);
    quick(progress({}));
    t = 300;
    quick(progress({ files: 10, done: true, elapsedMs: 300 }));
    expect(short.err()).toBe('');

    const long = io(false);
    const slow = createLogProgress(long.io, () => t);
    for (let i = 1; i <= 12; i++) {
      t = i * 1_000;
      slow(progress({ files: i, elapsedMs: t, done: i === 12, records: i * 5000, bytes: i * 1_048_576, totalFiles: 12 }));
    }
    const lines = long.err().trimEnd().split('\n');
    expect(lines).toEqual([
      'reading logs: 5/12 files, 5.0/10.0 MB, 25,000 records, 5.0 s',
      'reading logs: 10/12 files, 10.0/10.0 MB, 50,000 records, 10.0 s',
      'reading logs: 12/12 files, 12.0/10.0 MB, 60,000 records, 12.0 s',
    ]);
  });

  it('redraws one line on a terminal and ends it', () => {
    const tty = io(true);
    let t = 0;
    const draw = createLogProgress(tty.io, () => t);
    draw(progress({ pass: 1, passes: 2 }));
    t = 50;
    draw(progress({ files: 2 }));
    t = 200;
    draw(progress({ files: 10, done: true, pass: 2, passes: 2 }));
    expect(tty.err()).toMatch(/^\rreading logs \(pass 1\/2: newest time for --since\): 1\/10 files.*\r.*reading logs \(pass 2\/2\): 10\/10 files, 1\.0\/10\.0 MB, 5,000 records, 0\.1 s\s*\n$/s);
    expect(tty.err().split('\r')).toHaveLength(3);
  });

  it('the CLI streams a tree and stays silent on stderr when the read is quick', async () => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(['traffic', '--demo', 'bank', '--logs', tree, '--format', 'json'], { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, isTTY: false, cwd: ROOT, env: {} });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(await inMemory([tree]));
  });
});

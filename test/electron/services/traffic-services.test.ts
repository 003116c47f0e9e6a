/**
 * The `traffic` and `sampleLogs` operations (issue 13, "drop log files next to an estate"), through
 * the same path as the Electron IPC handlers and the HTTP bridge (handleUntrustedRequest: validate,
 * then call the real services): the answer is what `egress-atlas traffic` / `cost --logs` compute
 * for the same files (the CLI's own readers and the shared functions), the bank demo's sample logs
 * analyse to per-source volumes that differ and denied-traffic findings, and bad requests and
 * unreadable logs are errors naming the field or the file.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readLogs } from '../../../electron/cli/commands/traffic';
import { analyseLogs, createDefaultServices } from '../../../electron/services/default-services';
import { handleUntrustedRequest } from '../../../electron/services/dispatch';
import type { MainServices } from '../../../electron/services/main-services';
import { sampleLogsFor } from '../../../electron/services/sample-logs';
import { buildDemoSnapshot } from '../../../electron/snapshot';
import { estimateCost } from '../../../shared/cost/index';
import { findDemo } from '../../../shared/demo';
import { resolveEgress } from '../../../shared/egress';
import type { ImportedFile, IpcResult, TrafficAnswer } from '../../../shared/ipc/contract';
import { IPC_LIMITS, validateRequest } from '../../../shared/ipc/validate';
import { analyzeTraffic, parseLogFile } from '../../../shared/traffic/index';
import { snapshotOfModel } from '../../support/jump-host';
import { natEstate, observedTo, vnetBlob } from '../../shared/traffic/support';

const ROOT = join(import.meta.dirname, '../../..');

let api: MainServices;
let bankId: string;

beforeAll(async () => {
  api = createDefaultServices({ dataDir: null });
  const opened = await api.openDemo({ name: 'bank' });
  if (!opened.ok) throw new Error(opened.error.message);
  bankId = opened.value.summary.estateId;
});

function call(op: 'traffic' | 'sampleLogs' | 'exportEvidence', raw: unknown): Promise<IpcResult<unknown>> {
  return handleUntrustedRequest(api, op, raw);
}

function answerOf(r: IpcResult<unknown>): TrafficAnswer {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as TrafficAnswer;
}

function flowsOf(answer: TrafficAnswer, nicName: string): number {
  return answer.traffic.sources.find((s) => s.source.name === nicName)?.observed.reduce((n, o) => n + o.flows, 0) ?? 0;
}

describe('sampleLogs', () => {
  it('gives the bank demo its sample files and another demo none', async () => {
    const bank = await call('sampleLogs', { estateId: bankId });
    expect(bank.ok).toBe(true);
    const files = bank.ok ? (bank.value as { files: readonly ImportedFile[] }).files : [];
    expect(files.map((f) => f.name)).toEqual(sampleLogsFor('bank').map((f) => f.name));
    expect(files).toHaveLength(3);

    const other = await api.openDemo({ name: 'health' });
    if (!other.ok) throw new Error(other.error.message);
    const none = await call('sampleLogs', { estateId: other.value.summary.estateId });
    expect(none.ok && (none.value as { files: readonly ImportedFile[] }).files).toEqual([]);
  });

  it('answers not-found for an estate that is not open', async () => {
    const r = await call('sampleLogs', { estateId: 'estate-gone' });
    expect(r.ok ? null : r.error.code).toBe('not-found');
  });
});

describe('traffic', () => {
  it('answers what the CLI computes for the log fixtures (every export shape)', async () => {
    // The CLI's reader walks the directory; the app gets the same files' texts from the picker.
    const parsed = await readLogs(['test/fixtures/logs'], ROOT);
    const files: ImportedFile[] = await Promise.all(parsed.map(async (l) => ({ name: l.file, text: await readFile(join(ROOT, l.file), 'utf8') })));
    const answer = answerOf(await call('traffic', { estateId: bankId, files }));

    const snapshot = buildDemoSnapshot(findDemo('bank')!);
    const resolved = resolveEgress(snapshot);
    const traffic = analyzeTraffic(snapshot, parsed);
    expect(answer.traffic).toEqual(traffic);
    expect(answer.cost).toEqual(estimateCost(snapshot, resolved, { traffic, split: 'even', fallbackRegion: null }));
    expect(answer.files.map((f) => f.shape)).toEqual(parsed.map((l) => l.shape));
    expect(answer.files.map((f) => f.records)).toEqual(parsed.map((l) => l.records.length));
    expect(answer.traffic.findings.some((f) => f.code === 'denied-traffic')).toBe(true);
  });

  it('reads the bank sample logs: volumes differ per source, denied traffic found, cost bytes from the flow log', async () => {
    const files = sampleLogsFor('bank');
    expect(files.map((f) => parseLogFile(f.name, f.text).shape)).toEqual(['az-cli', 'log-analytics-rest', 'vnet-flow-log']);
    const answer = answerOf(await call('traffic', { estateId: bankId, files }));
    expect(answer.traffic.unattributed).toEqual([]);
    // The busy payments API and the quiet settlement database, as generated (rows per conversation).
    expect(flowsOf(answer, 'nic-vm-payapi-01')).toBe(180 + 24 + 24);
    expect(flowsOf(answer, 'nic-vm-settle-db-01')).toBe(2);
    const denied = answer.traffic.findings.filter((f) => f.code === 'denied-traffic').map((f) => f.subject.split('/').pop());
    expect(denied).toEqual(expect.arrayContaining(['nic-vm-payapi-01', 'nic-vm-cardauth-01']));
    // The reporting subnet leaves by default outbound access: only its flow log has bytes, and cost uses them.
    const reporting = answer.cost.sources.find((s) => s.source.name === 'snet-payments-reporting');
    expect(reporting?.bytes.kind).toBe('flow-logs');
    expect(answer.cost.bytesFrom).toMatch(/flow-logs/);
    expect(answer.cost.rollups.owner.length).toBeGreaterThan(0);
    // Same answer as the function the services wrap (no hidden options).
    const snapshot = buildDemoSnapshot(findDemo('bank')!);
    expect(answer).toEqual(analyseLogs(snapshot, resolveEgress(snapshot), files));
  });

  it('log files added together are read in one session: a connection whose B and E tuples are in two hourly blobs counts once, whatever order they are given in', () => {
    // The CLI reads a directory tree in one read session (shared/traffic/parse.ts createLogReadSession);
    // the app's Add logs used to parse each file on its own, counting such a connection twice.
    const { input } = natEstate();
    const snapshot = snapshotOfModel(input.model);
    const files: ImportedFile[] = [
      { name: 'y=2024/m=05/d=01/h=11/PT1H.json', text: vnetBlob(['1714561260000,10.0.1.4,203.0.113.8,40001,443,6,O,E,NX,2,300,2,400']) },
      { name: 'y=2024/m=05/d=01/h=10/PT1H.json', text: vnetBlob(['1714557590000,10.0.1.4,203.0.113.8,40001,443,6,O,B,NX,0,0,0,0']) },
    ];
    const answer = analyseLogs(snapshot, resolveEgress(snapshot), files);
    expect(observedTo(answer.traffic, '203.0.113.8').map((o) => [o.flows, o.bytes])).toEqual([[1, 700]]);
  });

  it('a log that does not parse is an input error naming the file', async () => {
    const r = await call('traffic', { estateId: bankId, files: [...sampleLogsFor('bank'), { name: 'fw-export.json', text: '{"tables": 42}' }] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('input-error');
    expect(r.error.file).toBe('fw-export.json');
    expect(r.error.message).toContain('fw-export.json');
  });

  it('answers not-found for an estate that is not open', async () => {
    const r = await call('traffic', { estateId: 'estate-gone', files: sampleLogsFor('bank') });
    expect(r.ok ? null : r.error.code).toBe('not-found');
  });
});

describe('evidence export with the added logs', () => {
  function pdfText(base64: string): string {
    const file = join(mkdtempSync(join(tmpdir(), 'egress-atlas-traffic-export-')), 'e.pdf');
    writeFileSync(file, Buffer.from(base64, 'base64'));
    return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  }

  it('adds Observed destinations and Cost by owner when asked, and only then', async () => {
    const opened = await api.openDemo({ name: 'bank' });
    if (!opened.ok) throw new Error(opened.error.message);
    const estateId = opened.value.summary.estateId;
    // Asked before any log was added: a clear error, not a PDF silently without the sections.
    const early = await call('exportEvidence', { estateId, destination: null, sourceIds: null, withTraffic: true });
    expect(early.ok ? null : early.error).toMatchObject({ code: 'not-found', message: expect.stringContaining('No logs were added') as string });
    answerOf(await call('traffic', { estateId, files: sampleLogsFor('bank') }));
    const withLogs = await call('exportEvidence', { estateId, destination: null, sourceIds: null, withTraffic: true });
    if (!withLogs.ok) throw new Error(withLogs.error.message);
    const text = pdfText((withLogs.value as { base64: string }).base64);
    expect(text).toContain('Observed destinations');
    expect(text).toContain('Cost by owner');
    expect(text).toContain('nic-vm-payapi-01');
    const plain = await call('exportEvidence', { estateId, destination: null, sourceIds: null });
    if (!plain.ok) throw new Error(plain.error.message);
    expect(pdfText((plain.value as { base64: string }).base64)).not.toContain('Cost by owner');
    expect((await call('exportEvidence', { estateId, destination: null, sourceIds: null, withTraffic: 'yes' })).ok).toBe(false);
  }, 60_000);
});

describe('traffic request validation', () => {
  const file = { name: 'PT1H.json', text: '{}' };
  const cases: readonly (readonly [string, unknown, RegExp, string])[] = [
    ['no files field', { estateId: 'estate-1' }, /\$\.files: expected an array/, '$.files'],
    ['no files', { estateId: 'estate-1', files: [] }, /\$\.files: expected at least one log file/, '$.files'],
    ['a file without text', { estateId: 'estate-1', files: [file, { name: 'AZFWNetworkRule.csv' }] }, /\$\.files\[1\]\.text: expected the text of log file "AZFWNetworkRule\.csv"/, '$.files[1].text'],
    ['text that is not a string', { estateId: 'estate-1', files: [{ name: 'flow.json', text: 7 }] }, /log file "flow\.json"/, '$.files[0].text'],
    ['a nameless file', { estateId: 'estate-1', files: [{ name: '', text: '{}' }] }, /\$\.files\[0\]\.name: expected at least 1 character/, '$.files[0].name'],
    ['an unknown field in a file', { estateId: 'estate-1', files: [{ ...file, path: '/etc/passwd' }] }, /\$\.files\[0\]\.path: expected no such field/, '$.files[0].path'],
    ['an unknown top-level field', { estateId: 'estate-1', files: [file], since: '7d' }, /\$\.since: expected no such field/, '$.since'],
    ['a bad estate ID', { estateId: 'has space', files: [file] }, /\$\.estateId: expected an ID/, '$.estateId'],
    ['not an object', [file], /\$: expected an object/, '$'],
  ];
  for (const [what, raw, message, path] of cases) {
    it(`rejects ${what}`, async () => {
      const r = await call('traffic', raw);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.code).toBe('invalid-request');
      expect(r.error.message).toMatch(/^Invalid traffic request: /);
      expect(r.error.message).toMatch(message);
      expect(r.error.path).toBe(path);
    });
  }

  it('bounds the number of files and names an oversized file', () => {
    const many = Array.from({ length: IPC_LIMITS.maxLogFiles + 1 }, (_, i) => ({ name: `f${i}.json`, text: '' }));
    const tooMany = validateRequest('traffic', { estateId: 'e', files: many });
    expect(tooMany.ok ? null : tooMany.error.message).toMatch(/at most 5000 items/);
    const big = validateRequest('traffic', { estateId: 'e', files: [{ name: 'huge-PT1H.json', text: 'x'.repeat(IPC_LIMITS.maxFileChars + 1) }] });
    expect(big.ok ? null : big.error.message).toMatch(/characters in log file "huge-PT1H\.json"/);
  });

  it('keeps only the validated fields, as a new object', () => {
    const raw = { estateId: 'estate-1', files: [{ name: 'a.csv', text: 'x' }] };
    const v = validateRequest('traffic', raw);
    expect(v.ok && v.value).toEqual(raw);
    expect(v.ok && v.value).not.toBe(raw);
    expect(validateRequest('sampleLogs', { estateId: 'estate-1', extra: 1 }).ok).toBe(false);
  });
});

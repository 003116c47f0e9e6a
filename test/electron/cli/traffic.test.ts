/**
 * `egress-atlas traffic`, run in-process: the JSON contract, the table, directories read
 * recursively, --since, and exit codes (0 ok, 2 bad log / usage).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliIn, type CliRun } from '../../support/cli-run';
import { TRAFFIC_SCHEMA } from '../../../shared/traffic/index';
import type { TrafficResult } from '../../../shared/traffic/index';
import { ROOT } from '../../shared/traffic/support';

let dir = '';
const APP_RULE_LOG = 'test/fixtures/logs/azfw/app-rule-az-cli.json';

function cli(args: readonly string[], cwd = ROOT): Promise<CliRun> {
  return runCliIn(cwd, args);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'egress-atlas-traffic-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('egress-atlas traffic', () => {
  it('prints the egress-atlas/traffic@1 JSON for a demo and a directory tree of logs', async () => {
    const run = await cli(['traffic', '--demo', 'bank', '--logs', 'test/fixtures/logs', '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as TrafficResult;
    expect(result.schema).toBe(TRAFFIC_SCHEMA);
    expect(result.window).toEqual({ from: '2024-05-01T00:02:11.000Z', to: '2024-05-07T23:58:40.000Z' });
    const source = result.sources[0];
    expect(Object.keys(source?.source ?? {})).toEqual(['type', 'id', 'name']);
    expect(Object.keys(source?.observed[0] ?? {})).toEqual(['destination', 'port', 'protocol', 'action', 'flows', 'bytes', 'bytesSent', 'firstSeen', 'lastSeen', 'rule', 'model']);
    expect(Object.keys(result.findings[0] ?? {})).toEqual(['code', 'severity', 'subject', 'message']);
    expect(new Set(result.findings.map((f) => f.code))).toEqual(new Set(['uninspected-public-traffic', 'denied-traffic', 'unused-allow-rule', 'model-disagrees']));
    // The flow logs in the nested PT1H.json tree were read.
    expect(result.sources.find((s) => s.source.name === 'nic-vm-payrpt-01')?.observed.some((o) => o.bytes !== null)).toBe(true);
    expect(result.unattributed.map((u) => u.sourceIp)).toEqual(['10.200.5.9', '203.0.113.50']);
  });

  it('prints a table: per source observed vs allowed, then findings, then unattributed', async () => {
    const run = await cli(['traffic', '--demo', 'bank', '--logs', 'test/fixtures/logs/azfw', 'test/fixtures/logs/flowlogs', '--top', '2']);
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out).toContain('nic-vm-payrpt-01 (nic in snet-payments-reporting)');
    expect(out).toMatch(/203\.0\.113\.99:3389\/TCP\s+deny\s+allowed !/);
    expect(out).toContain('… 5 more (--top, or --format json)');
    const findings = out.indexOf('Findings');
    const unattributed = out.indexOf('Unattributed sources');
    expect(findings).toBeGreaterThan(out.indexOf('nic-vm-settle-db-01'));
    expect(unattributed).toBeGreaterThan(findings);
    expect(out).toContain('warning uninspected-public-traffic');
  });

  it('filters by --since, relative to the newest record', async () => {
    const run = await cli(['traffic', '--demo', 'bank', '--logs', 'test/fixtures/logs', '--since', '2d', '--format', 'json']);
    const result = JSON.parse(run.stdout) as TrafficResult;
    expect(result.window.from).toBe('2024-05-05T23:58:40.000Z');
    expect(result.sources.map((s) => s.source.name)).toEqual(['nic-vm-cardauth-02', 'nic-vm-settle-batch-01']);
  });

  it('reads an absolute --since as a UTC day or a date-time in its own zone (with or without the offset colon)', async () => {
    for (const since of ['2024-05-05', '2024-05-05T00:00:00Z', '2024-05-05T02:00:00+02:00', '2024-05-05T02:00:00+0200', '2024-05-04T19:00:00-05:00']) {
      const run = await cli(['traffic', '--demo', 'bank', '--logs', APP_RULE_LOG, '--since', since, '--format', 'json']);
      expect({ since, code: run.code }).toEqual({ since, code: 0 });
      // Every form names the same instant: the window starts there, whatever zone the runner is in.
      expect((JSON.parse(run.stdout) as TrafficResult).window.from).toBe('2024-05-05T00:00:00.000Z');
    }
  });
});

describe('egress-atlas traffic --since: read strictly, as check --now is', () => {
  const since = (value: string): Promise<CliRun> => cli(['traffic', '--demo', 'bank', '--logs', APP_RULE_LOG, '--since', value, '--format', 'json']);
  const FORMS = 'expected a duration (7d, 12h or 30m back from the newest record), a day (YYYY-MM-DD, read as UTC) or an ISO 8601 date-time with a time zone (2024-05-01T10:00:00Z)';

  it('a date-time without a time zone is refused, not read in the runner\'s zone', async () => {
    const run = await since('2024-05-02T10:00:00');
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
    expect(run.stderr).toBe(`error: --since "2024-05-02T10:00:00" has no time zone, so the runner's local zone would decide the instant: add Z (UTC) or an offset, like 2024-05-02T10:00:00Z; ${FORMS}\n(see "egress-atlas traffic --help")\n`);
  });

  it('a number without a unit ("7", meant as 7d) is a usage error, not July 2001', async () => {
    const run = await since('7');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--since "7" is not an ISO 8601 date-time or a duration (a duration needs its unit: 7d, 7h or 7m); ${FORMS}`);
  });

  it('a day or time the calendar does not have is a usage error, not the next month', async () => {
    for (const value of ['2024-02-30', '2023-02-29', '2024-13-01', '2024-05-01T24:01:00Z', '2024-05-01T10:60:00Z', '2024-05-01T10:00:00+25:00']) {
      const run = await since(value);
      expect({ value, code: run.code }).toEqual({ value, code: 2 });
      expect(run.stderr).toContain(`--since "${value}" names a day or a time of day that does not exist; ${FORMS}`);
    }
    // 24:00 and a leap second exist but are not read: "not supported", never "does not exist".
    for (const [value, why] of [['2024-05-01T24:00:00Z', 'uses 24:00 (the end of the day), which is not supported: write 00:00 of the next day'], ['2024-06-30T23:59:60Z', 'has a leap second (:60), which is not supported: write :59']] as const) {
      const run = await since(value);
      expect({ value, code: run.code }).toEqual({ value, code: 2 });
      expect(run.stderr).toContain(`--since "${value}" ${why}; ${FORMS}`);
    }
  });

  it('exits 2 naming the file and path of a bad log', async () => {
    await writeFile(join(dir, 'bad.json'), JSON.stringify([{ SourceIp: '10.110.0.4', DestinationIp: '20.1.2.3', DestinationPort: '443', Protocol: 'TCP', Action: 'Perhaps' }]));
    const run = await cli(['traffic', '--demo', 'bank', '--logs', 'bad.json'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('error: bad.json: $[0].Action: expected an action: Allow, Deny, Alert or Drop, found "Perhaps"\n');
  });

  it('exits 2 for an unrecognised file, saying which formats are understood', async () => {
    await writeFile(join(dir, 'notes.csv'), 'just,a,csv\n1,2,3\n');
    const run = await cli(['traffic', '--demo', 'bank', '--logs', 'notes.csv'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('notes.csv: row 1: expected an Azure Firewall log row');
    await writeFile(join(dir, 'other.json'), '{"value": []}');
    const other = await cli(['traffic', '--demo', 'bank', '--logs', 'other.json'], dir);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('VNet flow logs (version 4 PT1H.json)');
  });

  it('--policy: allowed traffic outside a control\'s mayReach is observed-outside-policy, in the table and the JSON', async () => {
    await writeFile(join(dir, 'traffic-policy.yaml'), [
      'version: 1',
      'controls:',
      '  - id: card-networks-only',
      '    title: Card authorisation reaches only Visa',
      '    effect: deny',
      '    scope: { subnets: [snet-card-auth] }',
      '    mayReach: ["*.visa.com", api.stripe.com]',
      '',
    ].join('\n'));
    const logs = join(ROOT, 'test/fixtures/logs');
    const table = await cli(['traffic', '--demo', 'bank', '--logs', logs, '--policy', 'traffic-policy.yaml'], dir);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('  error observed-outside-policy: NIC nic-vm-cardauth-02 (snet-card-auth): www.mastercard.com:443/HTTPS was allowed (1 flow(s) at 2024-05-01T12:06:00.000Z, '
      + 'rule allow-approved-psp-apis/card-networks) but is not within mayReach of control card-networks-only (traffic-policy.yaml:7).');
    const json = JSON.parse((await cli(['traffic', '--demo', 'bank', '--logs', logs, '--policy', 'traffic-policy.yaml', '--format', 'json'], dir)).stdout) as TrafficResult;
    expect(json.findings.filter((f) => f.code === 'observed-outside-policy')).toEqual([expect.objectContaining({
      severity: 'error', subject: expect.stringMatching(/\/networkinterfaces\/nic-vm-cardauth-02$/),
      policy: { file: 'traffic-policy.yaml', control: 'card-networks-only', line: 7, destination: 'www.mastercard.com', port: 443, protocol: 'HTTPS' },
    })]);
  });

  it('--policy: a bad policy exits 2 naming file, line and field, before the logs are analysed', async () => {
    await writeFile(join(dir, 'bad-policy.yaml'), 'version: 1\ncontrols:\n  - id: x\n    title: x\n    effect: deny\n    mayReach: ["*bad*"]\n');
    const run = await cli(['traffic', '--demo', 'bank', '--logs', join(ROOT, 'test/fixtures/logs'), '--policy', 'bad-policy.yaml'], dir);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^error: bad-policy\.yaml:6: controls\[0\]\.mayReach\[0\]: /);
    expect((await cli(['traffic', '--demo', 'bank', '--logs', join(ROOT, 'test/fixtures/logs'), '--policy', 'missing.yaml'], dir)).stderr).toBe('error: missing.yaml: no such file or directory\n');
  });

  it('names the files of a log directory it does not read in a gap (a log saved as .txt or .gz never vanishes), but not .md5 / .tmp companions', async () => {
    const tree = join(dir, 'mixed');
    await mkdir(join(tree, 'h=10'), { recursive: true });
    await writeFile(join(tree, 'h=10', 'PT1H.json'), JSON.stringify({ records: [{ time: '2024-05-01T10:01:00Z', flowLogVersion: 4, macAddress: '000D3A000001', category: 'FlowLogFlowEvent',
      flowRecords: { flows: [{ aclID: 'a', flowGroups: [{ rule: 'DefaultRule_AllowInternetOutBound', flowTuples: ['1714557600000,10.110.1.4,203.0.113.5,40000,443,6,O,B,NX,0,0,0,0'] }] }] } }] }));
    await writeFile(join(tree, 'h=10', 'PT1H.json.md5'), 'checksum');
    await writeFile(join(tree, 'h=10', 'PT1H.txt'), 'a log saved under another name');
    await writeFile(join(tree, 'firewall.json.gz'), 'compressed');
    const run = await cli(['traffic', '--demo', 'bank', '--logs', tree, '--format', 'json']);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as TrafficResult;
    expect(result.gaps.filter((g) => g.scope === tree)).toEqual([{
      code: 'skipped-input', scope: tree, count: 2,
      message: `2 file(s) in the log directories not read (only .json and .csv files are): ${join(tree, 'firewall.json.gz')}, ${join(tree, 'h=10', 'PT1H.txt')}.`,
    }]);
  });

  it('exits 2 for usage mistakes and missing paths', async () => {
    expect((await cli(['traffic', '--demo', 'bank'])).code).toBe(2);
    expect((await cli(['traffic', '--demo', 'bank', '--logs', 'no/such/dir'])).stderr).toBe('error: no/such/dir: no such file or directory\n');
    expect((await cli(['traffic', '--demo', 'bank', '--logs', 'test/fixtures/logs', '--since', 'yesterday'])).code).toBe(2);
    expect((await cli(['traffic', '--demo', 'bank', '--logs', 'test/fixtures/logs', '--format', 'xml'])).code).toBe(2);
    const help = await cli(['traffic', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: egress-atlas traffic');
  });
});

describe('egress-atlas traffic: --logs and --since values that are mistakes', () => {
  const LOGS = join(ROOT, 'test/fixtures/logs');

  // `--logs "$LOGDIR"` with the variable unset: takeLogs bypassed refuseEmpty, and the working
  // directory was read recursively as the log set (the evidence counted whatever logs lay there).
  it.each([
    [['traffic', '--demo', 'bank', '--logs', '']],
    [['traffic', '--demo', 'bank', '--logs=']],
    [['traffic', '--demo', 'bank', '--logs', LOGS, '']],
  ])('%j is a usage error, not a read of the working directory', async (args) => {
    const run = await cli(args, LOGS);
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
    expect(run.stderr).toMatch(/^error: --logs is empty/);
  });

  // A duration past the Date range built an Invalid Date: exit 1 "Invalid time value" (an
  // operational failure, by traffic's help), not a usage error naming the option.
  it.each([
    [['traffic', '--demo', 'bank', '--logs', LOGS, '--since', '999999999d']],
    [['report', '--demo', 'bank', '--logs', LOGS, '--since', '999999999d', '--timestamp', '2026-01-01T00:00:00Z', '--out', 'since.pdf']],
  ])('%j is a usage error naming --since', async (args) => {
    const run = await cli(args, dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: --since 999999999d reaches back past the earliest date there is/);
    expect(run.stderr).not.toMatch(/Invalid time value/);
  }, 60_000);

  // pull refuses a zero window; traffic printed "Observed traffic T → T" for one.
  it.each(['0d', '0h', '00m'])('--since %s is refused as pull refuses it', async (value) => {
    const run = await cli(['traffic', '--demo', 'bank', '--logs', LOGS, '--since', value], dir);
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
    expect(run.stderr.split('\n')[0]).toBe(`error: --since ${value}: the window must be at least 1`);
  });

  // RFC 3339 §5.6: "T" and "Z" may be lower case, and a space may separate date and time.
  it('--since with lower-case t and z, or a space for the T, reads as the upper-case form', async () => {
    const upper = await cli(['traffic', '--demo', 'bank', '--logs', LOGS, '--since', '2024-05-05T00:00:00Z', '--format', 'json'], dir);
    expect(upper.code).toBe(0);
    for (const value of ['2024-05-05t00:00:00z', '2024-05-05 00:00:00Z']) {
      const other = await cli(['traffic', '--demo', 'bank', '--logs', LOGS, '--since', value, '--format', 'json'], dir);
      expect({ value, code: other.code, stderr: other.stderr }).toEqual({ value, code: 0, stderr: upper.stderr });
      expect(other.stdout).toBe(upper.stdout);
    }
  });

  // `T25:00` was told to add Z, and `T25:00Z` is then refused as a time that does not exist.
  it('an impossible zone-less time is named impossible, not advised to add Z', async () => {
    const run = await cli(['traffic', '--demo', 'bank', '--logs', LOGS, '--since', '2024-05-02T25:00'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toContain('like 2024-05-02T25:00Z');
    expect(run.stderr.split('\n')[0]).toMatch(/^error: --since "2024-05-02T25:00" names a day or a time of day that does not exist; /);
  });
});

/**
 * `egress-atlas cost`, run in-process on the bank demo with the log fixtures (test/fixtures/logs):
 * the egress-atlas/cost@1 JSON, the table, --out, and exit codes (0 ok, 2 usage / bad input).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliIn, type CliRun } from '../../support/cli-run';
import { COST_SCHEMA } from '../../../shared/cost/index';
import type { CostResult } from '../../../shared/cost/index';
import { ROOT } from '../../shared/traffic/support';

let dir = '';

function cli(args: readonly string[], cwd = ROOT): Promise<CliRun> {
  return runCliIn(cwd, args);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'egress-atlas-cost-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// The fixtures' window: 2024-05-01T00:02:11Z → 2024-05-07T23:58:40Z (every log). Bytes are scaled by
// the span of the records that carry bytes, the VNet and NSG flow logs: 2024-05-01T10:00:01Z →
// 2024-05-02T09:01:10Z = 23:01:09 = 82,869 s (the firewall logs run to 05-07 but carry no bytes,
// destinations.md §1), so bytes per month = bytes × 730 × 3,600 / 82,869 (= × 31.7127).
const SCALE = (730 * 3600) / 82_869;
const GB = 1024 ** 3;

describe('egress-atlas cost', () => {
  it('prints egress-atlas/cost@1 JSON with flow-log bytes from the fixtures', async () => {
    const run = await cli(['cost', '--demo', 'bank', '--logs', 'test/fixtures/logs', '--fallback-region', 'eastus', '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as CostResult;
    expect(result.schema).toBe(COST_SCHEMA);
    expect(result.bytesFrom).toBe('flow-logs');
    expect(result.window).toEqual({ from: '2024-05-01T00:02:11.000Z', to: '2024-05-07T23:58:40.000Z' });
    expect(result.method).toMatchObject({ split: 'even', fallbackRegion: 'eastus' });

    // snet-settlement-batch: the flow logs have 1,053,776 B (both directions) from nic-vm-settle-batch-01
    // to 185.40.56.10 (allowed) → × SCALE / 2^30 GB per month, charged NAT 0.045 + firewall 0.016 per GB;
    // 5,200 B of them sent (internet egress bills those only, §8.1). Its share of internet egress is
    // missing: snet-card-auth and snet-settlement-db have no bytes, so the account's total is unknown.
    const batch = result.sources.find((s) => s.source.name === 'snet-settlement-batch');
    expect(batch?.bytes).toMatchObject({ kind: 'flow-logs', observedBytes: 1_053_776, egressBytes: 5_200, egressUpperBound: false });
    const gb = (1_053_776 * SCALE) / GB;
    expect(batch?.monthlyGb).toBeCloseTo(gb, 6);
    expect(batch?.lines.find((l) => l.item === 'nat-gateway-data')?.monthlyUsd).toBeCloseTo(gb * 0.045, 6);
    expect(batch?.lines.find((l) => l.item === 'internet-egress')?.quantity).toBeCloseTo((5_200 * SCALE) / GB, 6);
    expect(batch?.lines.find((l) => l.item === 'internet-egress')?.monthlyUsd).toBeNull();
    // Fixed pool (730 h): NAT 32.85 + 2 IPs 7.30 + firewall Premium 1,277.50 + its IP 3.65 = 1,321.30 ÷ 4 = 330.325
    expect(batch?.monthlyUsd).toBeCloseTo(330.325 + gb * (0.045 + 0.016), 6);

    // snet-payments-reporting: nic-vm-payrpt-01 sent 168,017 + 1,012,000 B to public addresses
    // (its denied 203.0.113.99 flow carries none); default outbound: internet egress only.
    const reporting = result.sources.find((s) => s.source.name === 'snet-payments-reporting');
    expect(reporting?.bytes).toMatchObject({ kind: 'flow-logs', observedBytes: 1_180_017 });
    expect(reporting?.contributors.map((c) => [c.source.name, c.owner])).toEqual([['nic-vm-payrpt-01', 'payments-bi@contoso-bank.example']]);

    // Firewall logs carry no bytes: the subnets seen only there have their per-GB figures missing.
    const cardAuth = result.sources.find((s) => s.source.name === 'snet-card-auth');
    expect(cardAuth?.bytes.kind).toBe('none');
    expect(cardAuth?.lines.find((l) => l.item === 'nat-gateway-data')?.monthlyUsd).toBeNull();
    // Two sources without bytes, and zone 1's egress figure that depends on them.
    expect(result.gaps.filter((g) => g.code === 'bytes-missing').map((g) => g.scope.split('/').pop()).sort()).toEqual(['snet-card-auth', 'snet-settlement-db', 'zone-1']);

    // Total: 4 × 330.325 + the bypassed ng-card-auth-weu (32.85 + 3.65) + batch's per-GB figure.
    expect(result.total.monthlyUsd).toBeCloseTo(1321.3 + 36.5 + gb * 0.061, 5);
    expect(result.rollups.owner.map((r) => r.key)).toContain('card-auth-team@contoso-bank.example');
    expect(result.prices.sources.every((p) => p.id.length > 0)).toBe(true);
  });

  it('prints a table per source, by owner and cost centre, with method, sources and gaps', async () => {
    const run = await cli(['cost', '--demo', 'bank', '--logs', 'test/fixtures/logs']);
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out).toMatch(/^Estimated monthly egress cost \(list USD, egress-atlas\/prices@2026-09-24; bytes from flow-logs/);
    expect(out).toContain('snet-settlement-batch (subnet, westeurope)');
    expect(out).toMatch(/NAT gateway hours ng-hub-egress-weu\s+182\.5 h\s+\$8\.21\s+\$0\.045\/hour Global, no date/);
    expect(out).toMatch(/firewall hours afw-hub-weu\s+182\.5 h\s+missing\s+no westeurope price for Azure Firewall Premium deployment/);
    expect(out).toContain('By owner');
    expect(out).toContain('By cost centre');
    expect(out).toMatch(/ng-card-auth-weu \(nat-gateway\)\s+\$32\.85/);
    expect(out).toContain('1 GB = 1073741824 bytes; 730 hours per month.');
    // The Firewall Basic note's own address is not recorded (the Retail Prices API it read is not where it can be read).
    expect(out).toContain('      address not recorded; title: Third-party note "Azure retail prices (USD, prices.azure.com, checked 2026-09-10)"');
    // Without a fallback region only Global meters price: 4 × 8.2125 + 32.85 + batch's NAT data.
    expect(out).toMatch(/Total \$65\.70\/month \(incomplete: see gaps\) \| 5 costed source\(s\) \| not costed: 2 \| gaps: \d+\n$/);
  });

  it('says on the source what its path passes that no line prices (a load balancer, an NVA), as the JSON leftOut does', async () => {
    const run = await cli(['cost', '--demo', 'training']);
    expect(run.code).toBe(0);
    const block = (name: string): string => run.stdout.split('\n\n').find((b) => b.startsWith(`${name} (`)) ?? '';
    expect(block('nic-vm-lesson05-01')).toContain('\n    not priced: load balancer outbound: the load balancer and its frontend public IPs are not priced (not in the price table)\n');
    expect(block('snet-11-nva-with-forwarding')).toContain('\n    not priced: the path passes a network virtual appliance / internal load balancer: their VMs and rules are not priced\n');
    // A NAT gateway path prices all it passes (its per-GB figure is missing for want of bytes, not left out).
    expect(block('snet-03-nat-gateway')).not.toContain('not priced:');
    const json = JSON.parse((await cli(['cost', '--demo', 'training', '--format', 'json'])).stdout) as CostResult;
    const shown = json.sources.filter((s) => block(s.source.name).includes('not priced:')).map((s) => s.source.name).sort();
    expect(shown).toEqual(json.sources.filter((s) => s.leftOut.length > 0).map((s) => s.source.name).sort());
    expect(shown.length).toBeGreaterThan(2);
  });

  it('works without logs (no bytes: per-GB figures missing) and writes --out with a wrote line', async () => {
    const target = join(dir, 'cost.json');
    const run = await cli(['cost', '--demo', 'bank', '--format', 'json', '--split', 'bytes', '--out', target]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^wrote .*cost\.json\n$/);
    const result = JSON.parse(await readFile(target, 'utf8')) as CostResult;
    expect(result.bytesFrom).toBe('none');
    expect(result.window).toBeNull();
    expect(result.sources.every((s) => s.bytes.kind === 'none' && !s.complete)).toBe(true);
    // --split bytes without bytes falls back to even, and says so.
    expect(result.method.notes.some((n) => n.includes('split evenly, not by bytes'))).toBe(true);
  });

  it('exits 2 on usage mistakes and unreadable log paths', async () => {
    const split = await cli(['cost', '--demo', 'bank', '--split', 'nope']);
    expect(split.code).toBe(2);
    expect(split.stderr).toMatch(/--split must be one of even, bytes/);
    const region = await cli(['cost', '--demo', 'bank', '--fallback-region', 'east us!']);
    expect(region.code).toBe(2);
    const missing = await cli(['cost', '--demo', 'bank', '--logs', 'test/fixtures/no-such-dir']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file or directory');
    expect((await cli(['cost', '--demo', 'bank', '--logs'])).code).toBe(2);
  });
});

describe('egress-atlas cost --logs ""', () => {
  // The shared --logs reader (takeLogs) refuses an empty path, as every option's reader does: an
  // unset `$LOGDIR` would otherwise read the working directory as the logs.
  it('is a usage error, not a read of the working directory', async () => {
    const run = await cli(['cost', '--demo', 'bank', '--logs', ''], join(ROOT, 'test/fixtures/logs'));
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
    expect(run.stderr).toMatch(/^error: --logs is empty/);
  });
});

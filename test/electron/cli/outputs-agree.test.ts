/**
 * Outputs of one snapshot agree, and never state more than the result supports: an unknown path
 * never passes a control (check, JUnit, the evidence PDF) and shows as unknown in the app.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../electron/cli/command';
import { runCli } from '../../../electron/cli/main';
import { buildDemoSnapshot } from '../../../electron/snapshot/demo-snapshot';
import { writeSnapshot } from '../../../electron/snapshot/files';
import { buildSnapshot } from '../../../electron/snapshot/snapshot';
import { findDemo } from '../../../shared/demo/index';
import { resolveEgress } from '../../../shared/egress/index';
import { badgeFor } from '../../../renderer/state/badges';
import { sourceChanges } from '../../../renderer/state/compare';
import { pdfText } from '../evidence/poppler';

interface Run { readonly code: number; readonly stdout: string; readonly stderr: string }

let dir = '';

async function cli(args: readonly string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, isTTY: false, cwd: dir, env: {} };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

const NOW = new Date('2026-12-01T00:00:00Z');

function bankSnapshot() {
  const demo = findDemo('bank');
  if (!demo) throw new Error('no bank demo');
  return buildDemoSnapshot(demo, NOW);
}

/**
 * The bank demo without its captured effective routes: the BGP routes learned through vgw-hub-weu
 * are then unknown, so every path that uses the system default route is `unknown`. With a
 * SNATPortUtilization metric of 93% on the hub firewall afw-hub-weu.
 */
function noCaptureWithHotFirewall() {
  const bank = bankSnapshot();
  const firewall = bank.model.azureFirewalls.find((f) => f.name === 'afw-hub-weu');
  if (!firewall) throw new Error('no afw-hub-weu');
  const { sha256: _s, contentSha256: _c, ...rest } = bank;
  return buildSnapshot({
    ...rest,
    effectiveRoutes: [],
    metrics: [{ resourceId: firewall.id, metricName: 'SNATPortUtilization', filter: null, aggregation: 'Maximum', windowStart: '2026-11-25T09:00:00Z', windowEnd: '2026-11-26T09:00:00Z', value: 93, unit: 'Percent' }],
  });
}

const SNAT_POLICY = `version: 1
controls:
  - id: hub-snat-headroom
    title: The hub firewall keeps SNAT headroom
    effect: deny
    scope: { subnets: [snet-payments-api, snet-card-auth, snet-settlement-batch, snet-settlement-db] }
    maxSnatUtilisation: 80
`;

const ONE_CONTROL = `version: 1
controls:
  - id: no-default-outbound
    effect: deny
    forbidExits: [default-outbound]
`;

let nocapture = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'egress-audit-'));
  nocapture = join(dir, 'bank-nocapture-hot.json');
  await writeSnapshot(nocapture, noCaptureWithHotFirewall());
  writeFileSync(join(dir, 'snat.yaml'), SNAT_POLICY);
  writeFileSync(join(dir, 'one.yaml'), ONE_CONTROL);
});

describe('check: an unknown path never passes maxSnatUtilisation', () => {
  it('check (json + exit code) does not pass the SNAT headroom control on unknown paths through a firewall at 93%', async () => {
    // The fixture: snet-payments-api's default-route verdict is unknown (BGP routes not captured).
    const resolved = JSON.parse((await cli(['resolve', nocapture, '--format', 'json'])).stdout) as { paths: { source: { name: string }; verdict: string }[] };
    expect(resolved.paths.find((p) => p.source.name === 'snet-payments-api')?.verdict).toBe('unknown');
    const run = await cli(['check', nocapture, '--policy', 'snat.yaml', '--format', 'json', '--now', '2026-12-01']);
    const result = JSON.parse(run.stdout) as { controls: { id: string; status: string; violations: unknown[] }[] };
    const control = result.controls.find((c) => c.id === 'hub-snat-headroom');
    // The four sources' verdicts are unknown and the firewall on their way is at 93% (> 80%):
    // a pass here is not supported by the result.
    expect(control?.status).not.toBe('pass');
    expect(control?.violations.length).toBeGreaterThan(0);
    expect(run.code).toBe(1);
  });

  it('report --policy: the Controls section does not say Pass for the SNAT control while the same PDF reports snat-capacity 93% on those paths', async () => {
    const out = join(dir, 'snat.pdf');
    const run = await cli(['report', nocapture, '--policy', 'snat.yaml', '--out', out, '--timestamp', '2026-12-01T00:00:00Z']);
    expect(run.code).toBe(0);
    const text = pdfText(out, true);
    expect(text).toMatch(/snat-capacity: Azure Firewall afw-hub-weu: SNAT port utilization reached 93%/);
    expect(text).not.toMatch(/hub-snat-headroom: Pass/);
    expect(text).not.toMatch(/1 control, 1 pass/);
  });
});

describe('check --format junit: a control that could not be evaluated is not reported as passed', () => {
  it('the not-applicable SNAT control of the bank starter policy has no passing test cases', async () => {
    const run = await cli(['check', '--demo', 'bank', '--policy', join(process.cwd(), 'shared/policy/starters/bank.yaml'), '--format', 'junit', '--now', '2026-12-01']);
    const suite = /<testsuite name="hub-snat-headroom:[^"]*" tests="(\d+)" failures="(\d+)" errors="\d+" skipped="(\d+)"[\s\S]*?<\/testsuite>/.exec(run.stdout);
    expect(suite).not.toBeNull();
    const [, tests, failures, skipped] = suite ?? [];
    expect(suite?.[0]).toMatch(/<property name="status" value="not-applicable"\/>/);
    // Every test case of a not-applicable control is skipped (or not there): none may count as passed.
    expect(Number(tests) - Number(failures) - Number(skipped)).toBe(0);
  });
});

describe('check table: singular and plural', () => {
  it('says "1 control", not "1 controls"', async () => {
    const run = await cli(['check', '--demo', 'bank', '--policy', 'one.yaml', '--now', '2026-12-01']);
    expect(run.stdout).toMatch(/^1 control: /m);
    expect(run.stdout).not.toMatch(/\b1 controls\b/);
  });
});

describe('app: an unknown verdict shows as unknown', () => {
  const bank = bankSnapshot();
  const noRoutes = noCaptureWithHotFirewall();
  const before = resolveEgress(bank, {});
  const after = resolveEgress(noRoutes, {});
  const firewallSubnet = after.paths.find((p) => p.source.name === 'AzureFirewallSubnet');

  it('the AzureFirewallSubnet badge says Unknown, as the CLI table and the PDF do', () => {
    expect(firewallSubnet?.verdict).toBe('unknown');
    if (!firewallSubnet) return;
    expect(badgeFor(firewallSubnet).kind).toBe('unknown');
  });

  it('the compare banner row for AzureFirewallSubnet says the verdict became unknown', () => {
    const row = sourceChanges(before, after).find((c) => c.name === 'AzureFirewallSubnet');
    expect(row).toBeDefined();
    expect(row?.now ?? '').toMatch(/unknown/i);
  });
});

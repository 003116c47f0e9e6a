/**
 * The egress-atlas CLI, run in-process with a capturing CliIo (plus one real spawn of bin.mjs).
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm/index';
import { findDemo, generateSyntheticEstate } from '../../../shared/demo/index';
import { RESOLVE_SCHEMA, resolveEgress, type ResolveResult } from '../../../shared/egress/index';
import type { CliIo } from '../../../electron/cli/command';
import { runCli } from '../../../electron/cli/main';
import { TOOL_VERSION } from '../../../electron/cli/estate';
import { toResolveJson, type ResolveJson } from '../../../shared/egress/explain';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

let dir = '';

async function cli(args: readonly string[], options: { readonly isTTY?: boolean; readonly env?: Record<string, string> } = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => { stdout += t; },
    stderr: (t) => { stderr += t; },
    isTTY: options.isTTY ?? false,
    cwd: dir,
    env: options.env ?? {},
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

/** What `resolve --format json` prints for a demo: the resolve@1 contract (steps rendered as hops, via as IDs + viaKinds). */
function demoResult(name: string, destination: string | null = null): ResolveJson {
  const demo = findDemo(name);
  if (demo === undefined) throw new Error(name);
  return toResolveJson(resolveEgress({ ...normalizeArm(demo.documents), metrics: [] }, { destination }));
}

const ESC = '\u001b[';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'egress-atlas-cli-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('egress-atlas (dispatch)', () => {
  it('--help lists the commands and exits 0', async () => {
    const run = await cli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Usage: egress-atlas <command>/);
    for (const name of ['resolve', 'snapshot', 'demos']) expect(run.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
  });

  it('--version prints the package version', async () => {
    const run = await cli(['--version']);
    expect(run).toEqual({ code: 0, stdout: `egress-atlas ${TOOL_VERSION}\n`, stderr: '' });
  });

  it('an unknown command prints the usage to stderr and exits 2', async () => {
    const run = await cli(['resolv']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: unknown command "resolv"/);
    expect(run.stderr).toMatch(/Usage: egress-atlas <command>/);
    expect(run.stdout).toBe('');
  });

  it('an unexpected failure is one line and exit 1, never a stack trace', async () => {
    let stderr = '';
    const io: CliIo = { stdout: () => undefined, stderr: (t) => { stderr += t; }, isTTY: false, cwd: dir, env: {} };
    const boom = { name: 'boom', summary: 'fails', usage: 'Usage: egress-atlas boom\n', run: () => Promise.reject(new TypeError('cannot read properties of undefined\n    at somewhere')) };
    expect(await runCli(['boom'], io, [boom])).toBe(1);
    expect(stderr).toBe('error: cannot read properties of undefined\n');
  });

  it('no command at all is a usage error', async () => {
    expect((await cli([])).code).toBe(2);
  });

  it('an unknown option is a usage error naming it, pointing at the command help', async () => {
    const run = await cli(['resolve', '--demo', '--colour']);
    expect(run).toEqual({ code: 2, stdout: '', stderr: 'error: unknown option --colour\n(see "egress-atlas resolve --help")\n' });
    const help = await cli(['resolve', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: egress-atlas resolve <input\.\.\.> \[options\]/);
  });

  it('demos lists the four demo estates, bank as the default', async () => {
    const run = await cli(['demos']);
    expect(run.code).toBe(0);
    const names = run.stdout.split('\n').filter((l) => /^\S/.test(l)).map((l) => l.split(/\s+/)[0]);
    expect(names).toEqual(['bank', 'manufacturer', 'health', 'training']);
    expect(run.stdout).toMatch(/^bank .*\(default\)$/m);
  });
});

describe('egress-atlas resolve', () => {
  it('--demo --format json prints exactly the resolve@1 result of the default demo (bank)', async () => {
    const run = await cli(['resolve', '--demo', '--format', 'json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const parsed = JSON.parse(run.stdout) as ResolveResult;
    expect(parsed.schema).toBe(RESOLVE_SCHEMA);
    expect(parsed.destination).toBe('0.0.0.0/0');
    expect(parsed).toEqual(demoResult('bank'));
  });

  it('the table groups paths by subscription and VNet, aligns columns, and sums up verdicts and findings', async () => {
    const run = await cli(['resolve', '--demo', 'bank']);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^ {2}SOURCE +VERDICT +EXIT +VIA +EGRESS IPS +SNAT PORTS +FINDINGS$/);
    expect(run.stdout).toContain('Subscription a0d9e5c7-3b2f-4e18-8a6d-71c4f9b2e305 / VNet vnet-payments-api-weu (rg-payments-api-weu)');
    const row = (source: string): string => lines.find((l) => l.trimStart().startsWith(`${source} `)) ?? '';
    expect(row('snet-payments-reporting')).toMatch(/snet-payments-reporting +internet +default-outbound +- +- +- +default-outbound\(w\)$/);
    expect(row('snet-card-auth')).toMatch(/internet +nat-gateway +afw-hub-weu +20\.61\.14\.21, 20\.61\.14\.22 +129,024 +nat-gateway-bypassed\(w\)$/);
    // Every row's verdict starts in the header's VERDICT column.
    const verdictColumn = (lines[0] ?? '').indexOf('VERDICT');
    for (const source of ['snet-payments-api', 'snet-payments-reporting', 'snet-card-auth', 'snet-settlement-db']) {
      expect(row(source).indexOf(' internet ') + 1).toBe(verdictColumn);
    }
    const result = demoResult('bank');
    const warnings = [...result.paths.flatMap((p) => p.findings), ...result.findings].filter((f) => f.severity === 'warning').length;
    expect(run.stdout).toContain(`${result.paths.length} paths to 0.0.0.0/0: ${result.paths.length} internet | findings: 0 error, ${warnings} warning, 0 info | gaps: 1`);
    // The one gap: the demo has no VM resources, so the reporting VMs' Flexible scale set membership
    // (which would end their default outbound access [DOA]) is not in the input.
    expect(run.stdout).toMatch(/Gaps \(what could not be seen or modelled\)\n {2}not-modelled {2}Microsoft\.Compute\/virtualMachines: .*Flexible/);
    expect(run.stdout).toMatch(/Estate findings\n {2}warning +firewall-bypass: .*snet-payments-reporting/);
    expect(run.stdout).not.toContain(ESC);
  });

  it('colours the table only on a TTY and never with NO_COLOR', async () => {
    expect((await cli(['resolve', '--demo'], { isTTY: true })).stdout).toContain(`${ESC}32minternet`);
    expect((await cli(['resolve', '--demo'], { isTTY: true, env: { NO_COLOR: '1' } })).stdout).not.toContain(ESC);
  });

  it('--explain prints every hop with its rule, docs and verify command', async () => {
    const run = await cli(['resolve', '--demo', 'bank', '--explain', '--source', 'snet-card-auth']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/snet-card-auth \(subnet\) → internet via nat-gateway/);
    expect(run.stdout).toMatch(/^ +\d+\. route: UDR default-to-hub-firewall 0\.0\.0\.0\/0 → VirtualAppliance 10\.100\.0\.4$/m);
    expect(run.stdout).toMatch(/^ +docs: +https:\/\/learn\.microsoft\.com\//m);
    expect(run.stdout).toMatch(/^ +verify: az network /m);
    expect(run.stdout).toMatch(/warning nat-gateway-bypassed: /);
  });

  it('--source filters by subnet or NIC name or resource ID (any casing)', async () => {
    const byName = JSON.parse((await cli(['resolve', '--demo', 'health', '--format', 'json', '--source', 'nic-vm-pacs-gw-01'])).stdout) as ResolveResult;
    expect(byName.paths.map((p) => p.source.name)).toEqual(['nic-vm-pacs-gw-01']);
    const id = byName.paths[0]?.source.id.toUpperCase() ?? '';
    const byId = JSON.parse((await cli(['resolve', '--demo', 'health', '--format', 'json', '--source', id])).stdout) as ResolveResult;
    expect(byId.paths).toEqual(byName.paths);
    const none = await cli(['resolve', '--demo', 'health', '--source', 'snet-nope']);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe('error: --source "snet-nope" matches no subnet or NIC\n');
  });

  it('--destination takes a public IPv4/IPv6 address and evaluates the what-if', async () => {
    const run = await cli(['resolve', '--demo', 'bank', '--format', 'json', '--destination', '8.8.8.8']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(demoResult('bank', '8.8.8.8'));
    expect((await cli(['resolve', '--demo', '--destination', '2606:4700:4700::1111', '--format', 'json'])).code).toBe(0);
  });

  it('--destination takes a private address too: inside a VNet or peered VNet it is delivered privately', async () => {
    const run = await cli(['resolve', '--demo', 'bank', '--format', 'json', '--destination', '10.1.2.3']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(demoResult('bank', '10.1.2.3'));
  });

  it.each([
    ['not a host!', /^error: --destination "not a host!" is not a destination: expected an IP address, a CIDR/],
    ['300.1.1.1', /^error: --destination "300\.1\.1\.1" is not a destination/],
    ['api.stripe.com:99999', /^error: --destination "api\.stripe\.com:99999": port 99999 is outside 1-65535/],
  ])('--destination %s is refused with exit 2', async (destination, message) => {
    const run = await cli(['resolve', '--demo', '--destination', destination]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it('--fail-on exits 1 when a finding at or above the severity exists', async () => {
    // bank: warnings only; health: the private imaging subnet with no way out is an error.
    expect((await cli(['resolve', '--demo', 'bank', '--fail-on', 'warning'])).code).toBe(1);
    expect((await cli(['resolve', '--demo', 'bank', '--fail-on', 'error'])).code).toBe(0);
    expect((await cli(['resolve', '--demo', 'health', '--fail-on', 'error'])).code).toBe(1);
    expect((await cli(['resolve', '--demo', 'health', '--fail-on', 'error', '--source', 'snet-patient-portal-app'])).code).toBe(0);
    expect((await cli(['resolve', '--demo', 'bank', '--fail-on', 'info'])).code).toBe(2);
  });

  it('--out writes the output to a file instead of stdout', async () => {
    const run = await cli(['resolve', '--demo', 'training', '--format', 'json', '--out', 'training.json']);
    expect(run).toEqual({ code: 0, stdout: '', stderr: 'wrote training.json\n' });
    expect(JSON.parse(await readFile(join(dir, 'training.json'), 'utf8'))).toEqual(demoResult('training'));
  });

  it('an unknown demo names the choices', async () => {
    const run = await cli(['resolve', '--demo', 'casino']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: unknown demo "casino"; choose one of: bank, manufacturer, health, training\n/);
  });

  it('inputs and --demo together, or neither, are usage errors', async () => {
    expect((await cli(['resolve', 'a.json', '--demo'])).code).toBe(2);
    const none = await cli(['resolve']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^error: no input/);
  });
});

describe('egress-atlas resolve <files>', () => {
  it('a malformed ARM file exits 2 with one line naming the file and the JSON path, no stack trace', async () => {
    const bad = {
      value: [{
        id: '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet1',
        name: 'vnet1', type: 'Microsoft.Network/virtualNetworks', location: 'westeurope',
        properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] }, subnets: [{ name: 's1', id: '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet1/subnets/s1', properties: { addressPrefix: 'ten.zero/24' } }] },
      }],
    };
    await writeFile(join(dir, 'bad-arm.json'), JSON.stringify(bad), 'utf8');
    const run = await cli(['resolve', 'bad-arm.json']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n').filter((l) => l.length > 0)).toHaveLength(1);
    expect(run.stderr).toMatch(/^error: .*bad-arm\.json: \$\.value\[0\]\.properties\.subnets\[0\]\.properties\.addressPrefix: expected /);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('a file that is not JSON exits 2 with one line naming it', async () => {
    await writeFile(join(dir, 'truncated.json'), '{"value": [ {"id": ', 'utf8');
    const run = await cli(['resolve', 'truncated.json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: .*truncated\.json/);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('lists the gaps: resources it could not model are counted, never dropped silently', async () => {
    const appGateway = {
      id: '/subscriptions/00000000-0000-0000-0000-000000000002/resourceGroups/rg-app/providers/Microsoft.Network/applicationGateways/agw-portal',
      name: 'agw-portal', type: 'Microsoft.Network/applicationGateways', location: 'westeurope', properties: {},
    };
    await writeFile(join(dir, 'with-vm.json'), JSON.stringify({ ...(findDemo('health')?.documents[0]?.json as object), resources: [...((findDemo('health')?.documents[0]?.json as { resources: unknown[] }).resources), appGateway] }), 'utf8');
    const run = await cli(['resolve', 'with-vm.json']);
    expect(run.code).toBe(0);
    // The application gateway, and (no VM resources in the demo) the VMs' Flexible scale set membership.
    expect(run.stdout).toMatch(/\| gaps: 2\n/);
    expect(run.stdout).toMatch(/Gaps \(what could not be seen or modelled\)\n {2}unsupported-resource-type {2}microsoft\.network\/applicationgateways \(x1\): /i);
  });

  it('a missing input exits 2', async () => {
    const run = await cli(['resolve', 'nope.json']);
    expect(run).toEqual({ code: 2, stdout: '', stderr: 'error: nope.json: no such file or directory\n' });
  });

  it('resolves the demo\'s own ARM JSON read from a directory', async () => {
    const folder = join(dir, 'export');
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'manufacturer.json'), JSON.stringify(findDemo('manufacturer')?.documents[0]?.json), 'utf8');
    const run = await cli(['resolve', 'export', '--format', 'json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(demoResult('manufacturer'));
  });
});

describe('egress-atlas snapshot', () => {
  it('writes a snapshot that resolves exactly like the demo it came from', async () => {
    const run = await cli(['snapshot', '--demo', 'training', '--out', 'training.snapshot.json']);
    expect(run.code).toBe(0);
    // "wrote" lines go to stderr everywhere: stdout stays for the command's output.
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^wrote training\.snapshot\.json: 4 VNets, \d+ subnets, \d+ NICs, 0 gaps, sha256 [0-9a-f]{64}\n$/);
    const saved = JSON.parse(await readFile(join(dir, 'training.snapshot.json'), 'utf8')) as { format: string; metadata: { source: string; origin: string[] } };
    expect(saved.format).toBe('egress-atlas/snapshot@1');
    expect(saved.metadata.source).toBe('demo');
    expect(saved.metadata.origin).toEqual(['training']);
    const fromSnapshot = await cli(['resolve', 'training.snapshot.json', '--format', 'json']);
    const fromDemo = await cli(['resolve', '--demo', 'training', '--format', 'json']);
    expect(fromSnapshot.code).toBe(0);
    expect(JSON.parse(fromSnapshot.stdout)).toEqual(JSON.parse(fromDemo.stdout));
  });

  it('snapshots ARM input files too', async () => {
    await writeFile(join(dir, 'health-arm.json'), JSON.stringify(findDemo('health')?.documents[0]?.json), 'utf8');
    const run = await cli(['snapshot', 'health-arm.json', '--out', 'health.snapshot.json']);
    expect(run.code).toBe(0);
    const fromSnapshot = await cli(['resolve', 'health.snapshot.json', '--format', 'json']);
    expect(JSON.parse(fromSnapshot.stdout)).toEqual(demoResult('health'));
  });

  it('needs --out', async () => {
    const run = await cli(['snapshot', '--demo']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: --out <file\.json> is required/);
  });
});

describe('egress-atlas pull', () => {
  it('"wrote ..." goes to stderr and stdout carries only the summary, as for every command that writes a file', async () => {
    const run = await cli(['pull', '--demo-azure', '--out', 'pulled.json']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Pulled \d+ subscription\(s\)/);
    expect(run.stdout).not.toMatch(/^wrote /m);
    expect(run.stderr).toMatch(/^wrote pulled\.json \(sha256 [0-9a-f]{64}\)$/m);
  }, 60_000);
});

describe('bin.mjs (real process)', () => {
  it('node electron/cli/bin.mjs resolve --demo bank --format json exits 0 with the JSON result', () => {
    const repo = join(import.meta.dirname, '..', '..', '..');
    const child = spawnSync(process.execPath, [join(repo, 'electron', 'cli', 'bin.mjs'), 'resolve', '--demo', 'bank', '--format', 'json'], {
      cwd: repo, encoding: 'utf8', timeout: 60_000,
    });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(JSON.parse(child.stdout)).toEqual(demoResult('bank'));
  }, 90_000);

  it('runs an input over 32 MB in a child Node with a larger young generation, passing output and exit codes through', async () => {
    const repo = join(import.meta.dirname, '..', '..', '..');
    const estate = generateSyntheticEstate({ subscriptions: 2, virtualNetworks: 6, subnets: 30, networkInterfaces: 60, seed: 3 });
    // Trailing whitespace is valid JSON: a small estate in a file as large as a big one.
    await writeFile(join(dir, 'large.json'), `${JSON.stringify(estate)}${' '.repeat(33 * 1024 * 1024)}`);
    const run = (args: readonly string[]) => spawnSync(process.execPath, [join(repo, 'electron', 'cli', 'bin.mjs'), ...args], {
      cwd: dir, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, EGRESS_ATLAS_DEBUG: '1' },
    });
    const ok = run(['resolve', 'large.json', '--format', 'json']);
    expect(ok.stderr).toBe('egress-atlas: 35 MB of input: running with --max-semi-space-size=32\n');
    expect(ok.status).toBe(0);
    const normalized = normalizeArm([{ fileName: 'large.json', json: estate }]);
    expect(JSON.parse(ok.stdout)).toEqual(toResolveJson(resolveEgress({ ...normalized, metrics: [] }, {})));
    const failed = run(['resolve', 'large.json', '--source', 'no-such-nic']);
    expect(failed.status).toBe(2);
    expect(failed.stderr).toMatch(/^egress-atlas: 35 MB of input: .*\nerror: --source "no-such-nic" matches no subnet or NIC\n$/);
    // An explicit choice of young generation (or a small input) runs in this process.
    const chosen = spawnSync(process.execPath, ['--max-semi-space-size=16', join(repo, 'electron', 'cli', 'bin.mjs'), 'resolve', 'large.json', '--source', 'no-such-nic'], {
      cwd: dir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, EGRESS_ATLAS_DEBUG: '1' },
    });
    expect(chosen.status).toBe(2);
    expect(chosen.stderr).toBe('error: --source "no-such-nic" matches no subnet or NIC\n');
  }, 180_000);
});

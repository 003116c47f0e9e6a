/**
 * `egress-atlas resolve` on real-world inputs (issue 10): a directory with files that are not
 * Azure exports resolves (they are listed as gaps); YAML / table files and input without network
 * resources exit 2 with one line; the table keeps same-named VNets of different resource groups apart.
 */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliIn, type CliRun } from '../../support/cli-run';
import { formatTable } from '../../../electron/cli/format-table';
import { normalizeArm } from '../../../shared/arm/index';
import { resolveEgress } from '../../../shared/egress/index';

const AZ_DIR = fileURLToPath(new URL('../../fixtures/az-outputs/', import.meta.url));
/** Microsoft's REST API examples (azure-rest-api-specs `x-ms-examples`), as they are published. */
const EXAMPLES_DIR = fileURLToPath(new URL('../../fixtures/arm-examples/', import.meta.url));

let dir = '';

function cli(args: readonly string[]): Promise<CliRun> {
  return runCliIn(dir, args);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'egress-atlas-real-world-cli-'));
  await mkdir(join(dir, 'estate'));
  for (const name of ['vnet-create.json', 'nic-create.json', 'nsg-create.json', 'account-show.json', 'vnets-table.txt', 'vnets.yaml']) {
    await copyFile(join(AZ_DIR, name), join(dir, 'estate', name));
  }
  for (const name of ['vnets.yaml', 'vm-show.json']) await copyFile(join(AZ_DIR, name), join(dir, name));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('resolve on real-world inputs', () => {
  it('a directory resolves; files that are not Azure exports are listed as gaps', async () => {
    const run = await cli(['resolve', 'estate']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/VNet vnet-app \(rg-net\)/);
    expect(run.stdout).toMatch(/skipped-input {2}estate\/vnets\.yaml: estate\/vnets\.yaml is not JSON: it looks like YAML/);
    expect(run.stdout).toMatch(/skipped-input {2}estate\/vnets-table\.txt: /);
    expect(run.stdout).toMatch(/skipped-input {2}estate\/account-show\.json: /);
  });

  it('a YAML file named on the command line exits 2 with one line saying what to export', async () => {
    const run = await cli(['resolve', 'vnets.yaml']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: vnets\.yaml: \$: expected JSON \(export with "az … -o json"\), found YAML \("-o yaml" output\)\n$/);
  });

  // A child listed on its own is attached to its parent; without the parent it cannot be modelled,
  // and the parent is what the user has to export (not "nothing found").
  it('a recorded peering list without its VNet exits 2 naming the missing parent VNet', async () => {
    await copyFile(join(AZ_DIR, 'peering-list-recorded.json'), join(dir, 'peerings.json'));
    const run = await cli(['resolve', 'peerings.json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: no Azure network resource could be modelled from peerings\.json \(1 child resource whose parent is not in the input: \S+virtualnetworkpeerings \S+\/virtualnetworks\/vnet2\/virtualnetworkpeerings\/peering2 belongs to \S+\/virtualnetworks\/vnet2, which is not in the input, so it is not modelled\. Export the parent resources too\); understood types: /);
  });

  it('a VM and nothing else exits 2: no Azure network resources found, with the understood types', async () => {
    const run = await cli(['resolve', 'vm-show.json']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^error: no Azure network resources found in vm-show\.json; understood types: virtualNetworks, .*\n$/);
  });
});

describe('the table groups by VNet resource ID', () => {
  it('two VNets named alike in different resource groups are two headings', () => {
    const vnet = (rg: string, prefix: string): unknown => ({
      id: `/subscriptions/6b3a1f52-8a61-4c3e-9b2e-2f1d0c7a9e11/resourceGroups/${rg}/providers/Microsoft.Network/virtualNetworks/vnet-app`,
      name: 'vnet-app', type: 'Microsoft.Network/virtualNetworks', location: 'westeurope', resourceGroup: rg,
      addressSpace: { addressPrefixes: [`${prefix}.0.0/16`] },
      subnets: [{ name: `snet-${rg}`, addressPrefix: `${prefix}.1.0/24` }],
    });
    const { model } = normalizeArm([{ fileName: 'vnets.json', json: [vnet('rg-team-a', '10.1'), vnet('rg-team-b', '10.2')] }]);
    const table = formatTable(resolveEgress({ model, effectiveRoutes: [], metrics: [], gaps: [] }), model, { color: false });
    const headings = table.split('\n').filter((l) => l.startsWith('Subscription '));
    expect(headings).toEqual([
      'Subscription 6b3a1f52-8a61-4c3e-9b2e-2f1d0c7a9e11 / VNet vnet-app (rg-team-a)',
      'Subscription 6b3a1f52-8a61-4c3e-9b2e-2f1d0c7a9e11 / VNet vnet-app (rg-team-b)',
    ]);
    // Each subnet sits under its own VNet's heading.
    expect(table.indexOf('snet-rg-team-a')).toBeLessThan(table.indexOf('(rg-team-b)'));
    expect(table.indexOf('snet-rg-team-b')).toBeGreaterThan(table.indexOf('(rg-team-b)'));
  });
});

describe('Microsoft REST API examples ({ parameters, responses: { "200": { body } } })', () => {
  it('are read through the body ARM returned: a VNet example resolves its subnet', async () => {
    const run = await runCliIn(EXAMPLES_DIR, ['resolve', 'VirtualNetworkGet.json', '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { paths: { source: { id: string }; verdict: string; exit: string | null }[] };
    expect(result.paths.map((p) => [p.source.id, p.verdict, p.exit])).toEqual([
      // The example's VNet names a defaultPublicNatGateway, whose reach over subnets is not documented.
      ['/subscriptions/subid/resourcegroups/rg1/providers/microsoft.network/virtualnetworks/test-vnet/subnets/subnet1', 'unknown', null],
    ]);
  });

  it('the whole directory resolves; what is not topology is a gap naming the file and the body\'s JSON path', async () => {
    const run = await runCliIn(EXAMPLES_DIR, ['resolve', '.']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('skipped-input  arm-examples/NetworkInterfaceEffectiveRouteTableList.json: arm-examples/NetworkInterfaceEffectiveRouteTableList.json: $.responses["200"].body: expected ARM resources; this is an effective route table');
    expect(run.stdout).toMatch(/not-modelled {2}arm-examples\/NetworkWatcherNextHopGet\.json: .* is a Network Watcher next-hop result/);
    expect(run.stdout).toMatch(/ {2}subnet1 +unknown /);
    // Two subnet examples share one ID and disagree (defaultOutboundAccess false in one, not set in
    // the other): two states of one subnet, so it is left out, naming both files, not mixed into one.
    expect(run.stdout).toContain('skipped-input  /subscriptions/subid/resourcegroups/subnet-test/providers/microsoft.network/virtualnetworks/vnetname/subnets/subnet1: '
      + 'arm-examples/SubnetGetWithDelegation.json and arm-examples/SubnetGetWithSharingScope.json hold copies of');
  });

  it('reach calls a subnet with an undecided default route unknown, not restricted', async () => {
    const run = await runCliIn(EXAMPLES_DIR, ['reach', 'SubnetGet.json']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('subnet1 (subnet)  UNKNOWN: the default route could not be decided (see gaps)\n  (what it can reach is not known until the gaps are closed)\n');
    expect(run.stdout).toContain('1 source: 0 unrestricted, 0 restricted, 1 unknown | gaps: 2');
    expect(run.stdout).not.toContain('no public destination allowed');
  });

  it('an example without a 200 or 201 body (a delete) exits 2 naming what it has', async () => {
    await writeFile(join(dir, 'delete-example.json'), JSON.stringify({ parameters: { 'api-version': '2024-05-01' }, responses: { 200: {}, 202: { headers: {} }, 204: {} } }));
    const run = await cli(['resolve', 'delete-example.json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('error: delete-example.json: $.responses: expected a REST API example with a 200 or 201 response body (the resource ARM returned), found responses 200, 202, 204 without one\n');
  });
});


/**
 * Merging inputs (snapshots + ARM / az exports, directories): a child whose parent is in another
 * input, the same resource in several inputs (which copy stands, and the gap that says the inputs
 * disagree), service tag data, and the merge's metadata (capture time, scope, file names).
 * From the merge audit: each test's comment says what went wrong before.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSnapshot, formatSnapshot, loadInputs, parseSnapshotText, snapshotFromTexts } from '../../../electron/snapshot';
import { resolveEgress } from '../../../shared/egress';
import type { EgressPath, ResolveResult } from '../../../shared/egress/types';
import type { Gap } from '../../../shared/model/gaps';
import { toResourceId } from '../../../shared/model/ids';
import type { ServiceTagSet } from '../../../shared/model/service-tags';
import { SNAPSHOT_FORMAT, type Snapshot } from '../../../shared/model/snapshot';
import type { CapturedEffectiveRoutes, NetworkModel } from '../../../shared/model/topology';
import { shownRole } from '../../../renderer/state/compare';
import { ModelBuilder, networkId, TEST_RESOURCE_GROUP, TEST_SUBSCRIPTION } from '../../support/model-builder';
import { natEstate } from '../../shared/egress/support';

const OPTIONS = { toolVersion: '9.9.9-test', now: () => new Date('2026-11-26T06:00:00.000Z') };
const SUB = TEST_SUBSCRIPTION;
/** An ARM ID as ARM prints it (mixed case; the model lower-cases it). */
const armId = (type: string, name: string): string => `/subscriptions/${SUB}/resourceGroups/${TEST_RESOURCE_GROUP}/providers/Microsoft.Network/${type}/${name}`;

interface SnapshotExtras {
  readonly effectiveRoutes?: readonly CapturedEffectiveRoutes[];
  readonly gaps?: Snapshot['gaps'];
  readonly subscriptionIds?: readonly string[];
  readonly cloud?: string;
  readonly serviceTags?: ServiceTagSet;
}

function snapshotOf(model: NetworkModel, capturedAt: string, extra: SnapshotExtras = {}): Snapshot {
  return buildSnapshot({
    format: SNAPSHOT_FORMAT,
    metadata: {
      capturedAt, source: 'live-pull', origin: ['auditor@contoso.com'], capturedBy: 'auditor@contoso.com',
      scope: { tenantId: 'tenant-1', subscriptionIds: [...(extra.subscriptionIds ?? [SUB])], managementGroupId: null, cloud: extra.cloud ?? 'AzurePublicCloud' },
      toolVersion: '0.1.0',
    },
    model, effectiveRoutes: [...(extra.effectiveRoutes ?? [])], metrics: [], gaps: [...(extra.gaps ?? [])],
    ...(extra.serviceTags ? { serviceTags: extra.serviceTags } : {}),
  });
}

const snapshotText = (name: string, snapshot: Snapshot) => ({ name, text: formatSnapshot(snapshot) });
const jsonText = (name: string, value: unknown) => ({ name, text: JSON.stringify(value) });

function pathOf(result: ResolveResult, id: string): EgressPath {
  const path = result.paths.find((p) => p.source.id === id);
  if (!path) throw new Error(`no path for ${id}: ${result.paths.map((p) => p.source.id).join(', ')}`);
  return path;
}

const APP = `${networkId('virtualnetworks', 'spoke')}/subnets/app`;

/** The gap of two inputs' copies that disagree (load.ts conflictGap), as the user reads it. */
function conflict(scope: string, what: string, fields: string, dropped: string, kept: string, why: string): Gap {
  return { code: 'skipped-input', scope, message: `${dropped} and ${kept} disagree about ${what} (${fields}): ${why}.` };
}

/** The gap of copies in two export files that disagree (normalizeArm). */
function dispute(scope: string, files: string, fields: string): Gap {
  return {
    code: 'skipped-input', scope,
    message: `${files} hold copies of ${scope} that disagree about ${fields} (a value in one and none in the other counts): `
      + 'an export carries no capture time, so nothing says which is current. It was left out, so no verdict rests on either copy (what references it is unknown); give one export of it.',
  };
}

/** Writes the files into a fresh directory, loads it as `egress-atlas resolve DIR` does, removes it. */
async function loadDirectory(files: Readonly<Record<string, unknown>>): Promise<Snapshot> {
  const root = await mkdtemp(join(tmpdir(), 'merge-inputs-'));
  try {
    const dir = join(root, 'estate');
    await mkdir(dir);
    for (const [name, json] of Object.entries(files)) await writeFile(join(dir, name), JSON.stringify(json, null, 2));
    return await loadInputs([dir], OPTIONS);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

const disputes = (gaps: readonly Gap[]): string[] => gaps.filter((g) => / hold copies of /.test(g.message)).map((g) => g.message);

const byOrder = (kept: string, dropped: string): string =>
  `the copy of ${kept}, given later, is used; that of ${dropped} is left out (an export carries no capture time, so the order of the inputs decides)`;

describe('merging inputs: a child resource whose parent is in another input', () => {
  it('a route saved on its own (az network route-table route show) joins its route table from a snapshot', () => {
    // README "Input formats": "children saved on their own (a route, an NSG rule, …) join their parent".
    // normalizeArm used to look for the parent among the ARM files only, so the route was dropped with a
    // false gap ("…which is not in the input") and app resolved confidently to internet via its NAT
    // gateway although its route table now sends 0.0.0.0/0 to an appliance (a UDR 0.0.0.0/0 wins over
    // the system Internet route [egress-rules.md, UDR]).
    const { b, app, rt } = natEstate();
    const snapshot = snapshotOf(b.build(), '2026-11-20T10:00:00.000Z');
    const route = {
      id: `${armId('routeTables', 'rt')}/routes/to-fw`, name: 'to-fw', type: 'Microsoft.Network/routeTables/routes',
      properties: { addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.1.4' },
    };
    const merged = snapshotFromTexts([snapshotText('estate.snapshot.json', snapshot), jsonText('route.json', route)], OPTIONS);
    expect(merged.model.routeTables.find((r) => r.id === rt)?.routes).toEqual([{
      id: `${rt}/routes/to-fw`, name: 'to-fw', addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.1.4', hasBgpOverride: false,
    }]);
    // Joining is no disagreement between the inputs: no gap.
    expect(merged.gaps).toEqual([]);
    // 10.0.1.4 is in no VNet of the input: the appliance cannot be reached.
    expect(pathOf(resolveEgress(merged), app)).toMatchObject({ verdict: 'dropped', exit: null });
  });

  it('an NSG rule saved on its own joins its NSG from a snapshot (an outbound Deny Internet must not be lost)', () => {
    // Same defect for security rules: the Deny rule was dropped and app reported "internet" with
    // confidence, though an outbound Deny to Internet at priority 100 blocks it [egress-rules.md, NSG].
    const { b, app, nsg } = natEstate();
    const snapshot = snapshotOf(b.build(), '2026-11-20T10:00:00.000Z');
    const rule = {
      id: `${armId('networkSecurityGroups', 'nsg')}/securityRules/deny-internet`, name: 'deny-internet', type: 'Microsoft.Network/networkSecurityGroups/securityRules',
      properties: {
        priority: 100, direction: 'Outbound', access: 'Deny', protocol: '*', sourceAddressPrefix: '*', sourcePortRange: '*',
        destinationAddressPrefix: 'Internet', destinationPortRange: '*',
      },
    };
    const merged = snapshotFromTexts([snapshotText('estate.snapshot.json', snapshot), jsonText('rule.json', rule)], OPTIONS);
    expect(merged.model.networkSecurityGroups.find((n) => n.id === nsg)?.securityRules.map((r) => r.name))
      .toEqual(['AllowVnetOutBound', 'AllowInternetOutBound', 'DenyAllOutBound', 'deny-internet']);
    expect(merged.gaps).toEqual([]);
    expect(pathOf(resolveEgress(merged), app)).toMatchObject({ verdict: 'denied', exit: null });
  });

  it('a rule collection group saved on its own joins its firewall policy from a snapshot: the policy\'s rules are then loaded', () => {
    // Rule collection groups take the same path as routes and NSG rules (standaloneRuleCollectionGroup).
    const b = new ModelBuilder();
    const rcg = toResourceId(`${networkId('firewallpolicies', 'fwp')}/rulecollectiongroups/rcg`);
    const policy = b.firewallPolicy('fwp', [], { ruleCollectionGroupIds: [rcg] });
    const snapshot = snapshotOf(b.build(), '2026-11-20T10:00:00.000Z');
    const group = {
      id: `${armId('firewallPolicies', 'fwp')}/ruleCollectionGroups/rcg`, name: 'rcg', type: 'Microsoft.Network/firewallPolicies/ruleCollectionGroups',
      properties: { priority: 200, ruleCollections: [{
        ruleCollectionType: 'FirewallPolicyFilterRuleCollection', name: 'c', priority: 100, action: { type: 'Allow' },
        rules: [{ ruleType: 'NetworkRule', name: 'web', ipProtocols: ['TCP'], sourceAddresses: ['10.1.0.0/16'], destinationAddresses: ['*'], destinationPorts: ['443'] }],
      }] },
    };
    const merged = snapshotFromTexts([snapshotText('estate.snapshot.json', snapshot), jsonText('rcg.json', group)], OPTIONS);
    const joined = merged.model.firewallPolicies.find((p) => p.id === policy);
    expect(joined?.loadedRuleCollectionGroupIds).toEqual([rcg]);
    expect(joined?.rules.map((r) => [r.collection, r.name])).toEqual([['rcg/c', 'web']]);
    expect(merged.gaps).toEqual([]);
  });

  it('a malformed route saved on its own takes its route table from the snapshot with it (as among exports)', () => {
    // The table without the route would be read as complete: app must not resolve from it.
    const { b, app, rt } = natEstate();
    const snapshot = snapshotOf(b.build(), '2026-11-20T10:00:00.000Z');
    const route = { id: `${armId('routeTables', 'rt')}/routes/to-fw`, name: 'to-fw', type: 'Microsoft.Network/routeTables/routes', properties: { addressPrefix: '0.0.0.0/0' } };
    const merged = snapshotFromTexts([snapshotText('estate.snapshot.json', snapshot), jsonText('route.json', route)], OPTIONS);
    expect(merged.model.routeTables.map((r) => r.id)).toEqual([]);
    expect(merged.gaps.map((g) => [g.code, g.scope])).toEqual([['skipped-input', rt], ['skipped-input', `${rt}/routes/to-fw`]]);
    expect(merged.gaps[0]?.message).toBe(`${rt} was left out because its child ${rt}/routes/to-fw was malformed: without it the rest would be read as complete.`);
    expect(pathOf(resolveEgress(merged), app).verdict).toBe('unknown');
  });

  it('a route whose route table is in no input is still a gap naming the table', () => {
    const { b } = natEstate();
    const snapshot = snapshotOf(b.build(), '2026-11-20T10:00:00.000Z');
    const route = { id: `${armId('routeTables', 'other')}/routes/r`, name: 'r', type: 'Microsoft.Network/routeTables/routes', properties: { addressPrefix: '0.0.0.0/0', nextHopType: 'None' } };
    const merged = snapshotFromTexts([snapshotText('estate.snapshot.json', snapshot), jsonText('route.json', route)], OPTIONS);
    const other = networkId('routetables', 'other');
    expect(merged.gaps).toEqual([{
      code: 'missing-reference', scope: `${other}/routes/r`,
      message: `microsoft.network/routetables/routes ${other}/routes/r belongs to ${other}, which is not in the input, so it is not modelled.`,
    }]);
  });
});

describe('merging inputs: the same resource in two inputs', () => {
  it('snapshot given after an ARM export: the later input wins, as load.ts documents, and the disagreement is a gap', () => {
    // load.ts module comment: "same resource ID → the later copy wins". mergeModels always put the ARM
    // model last, so an older export given first overrode a newer snapshot given later: the old subnet
    // copy (no NAT gateway, no route table, no NSG) wiped the snapshot's, and app read
    // "internet (default-outbound)" with no gap.
    const { b, app, nat } = natEstate();
    const snapshot = snapshotOf(b.build(), '2026-11-20T10:00:00.000Z');
    const oldSubnet = { id: `${armId('virtualNetworks', 'spoke')}/subnets/app`, name: 'app', type: 'Microsoft.Network/virtualNetworks/subnets', properties: { addressPrefix: '10.1.1.0/24' } };
    const merged = snapshotFromTexts([jsonText('old-subnet.json', oldSubnet), snapshotText('new.snapshot.json', snapshot)], OPTIONS);
    expect(merged.model.subnets.find((s) => s.id === app)?.natGatewayId).toBe(nat);
    expect(merged.gaps).toEqual([
      conflict(app, app, 'natGatewayId, networkSecurityGroupId, routeTableId', 'old-subnet.json', 'new.snapshot.json', byOrder('new.snapshot.json', 'old-subnet.json')),
    ]);
    expect(pathOf(resolveEgress(merged), app)).toMatchObject({ verdict: 'internet', exit: 'nat-gateway' });
    // The other way round, the export is the later input, and its copy stands.
    const reversed = snapshotFromTexts([snapshotText('new.snapshot.json', snapshot), jsonText('old-subnet.json', oldSubnet)], OPTIONS);
    expect(reversed.model.subnets.find((s) => s.id === app)?.natGatewayId).toBeNull();
    expect(reversed.gaps).toEqual([
      conflict(app, app, 'natGatewayId, networkSecurityGroupId, routeTableId', 'new.snapshot.json', 'old-subnet.json', byOrder('old-subnet.json', 'new.snapshot.json')),
    ]);
  });

  it('effective routes given later in a snapshot win over an earlier ARM bundle (per NIC, later copy wins)', () => {
    // Same ordering defect in mergeEffectiveRoutes: ARM effective routes were always appended last.
    // Captured effective routes override the configuration in the resolver, so the stale capture decided.
    const { b, app } = natEstate();
    const nic = b.nic(app, 'vm1-nic', '10.1.1.4');
    const newer = snapshotOf(b.build(), '2026-11-20T10:00:00.000Z', {
      effectiveRoutes: [{ networkInterfaceId: nic, routes: [
        { name: null, source: 'User', state: 'Active', addressPrefixes: ['0.0.0.0/0'], nextHopType: 'None', nextHopIpAddresses: [], disableBgpRoutePropagation: null },
      ] }],
    });
    const older = { effectiveRouteTables: { [armId('networkInterfaces', 'vm1-nic')]: [
      { source: 'Default', state: 'Active', addressPrefix: ['0.0.0.0/0'], nextHopType: 'Internet', nextHopIpAddress: [] },
    ] } };
    const merged = snapshotFromTexts([jsonText('old-routes.json', older), snapshotText('new.snapshot.json', newer)], OPTIONS);
    expect(merged.effectiveRoutes.map((e) => [e.networkInterfaceId, e.routes.map((r) => r.nextHopType)])).toEqual([[nic, ['None']]]);
    expect(merged.gaps).toEqual([
      conflict(nic, `the effective routes of ${nic}`, 'routes', 'old-routes.json', 'new.snapshot.json', byOrder('new.snapshot.json', 'old-routes.json')),
    ]);
  });

  it('two snapshots disagreeing about a resource: the newer capture wins whatever the order, and a gap names both inputs', () => {
    // The newer snapshot (given first) has app → NAT gateway; the older one (given second) has a
    // 0.0.0.0/0 → None route. Input order used to decide, the capture times were ignored, no gap said
    // the inputs disagree, and the merge was stamped with the import time: an auditor got "dropped"
    // for a subnet that, as last captured, goes out through its NAT gateway.
    const current = natEstate();
    const stale = new ModelBuilder();
    const vnet = stale.vnet('spoke', ['10.1.0.0/16']);
    stale.subnet(vnet, 'app', '10.1.1.0/24', { routeTableId: stale.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'None' }]) });
    const newer = snapshotText('newer.snapshot.json', snapshotOf(current.b.build(), '2026-11-20T00:00:00.000Z'));
    const older = snapshotText('older.snapshot.json', snapshotOf(stale.build(), '2026-01-01T00:00:00.000Z'));
    const merged = snapshotFromTexts([newer, older], OPTIONS);
    expect(pathOf(resolveEgress(merged), current.app)).toMatchObject({ verdict: 'internet', exit: 'nat-gateway' });
    const byCapture = 'the copy of newer.snapshot.json, captured 2026-11-20T00:00:00.000Z, is used; that of older.snapshot.json, captured 2026-01-01T00:00:00.000Z, is left out';
    expect(merged.gaps).toEqual([
      conflict(current.rt, current.rt, 'routes', 'older.snapshot.json', 'newer.snapshot.json', byCapture),
      conflict(current.app, current.app, 'natGatewayId, networkSecurityGroupId', 'older.snapshot.json', 'newer.snapshot.json', byCapture),
    ]);
    // The capture times decide, not the order: the other order gives the same content and gaps.
    const reversed = snapshotFromTexts([older, newer], OPTIONS);
    expect(reversed.contentSha256).toBe(merged.contentSha256);
    expect(reversed.gaps).toEqual(merged.gaps);
  });

  it('two exports of the same VNet that disagree about a subnet: the subnet is left out with a gap, never a mix of the two', () => {
    // ARM omits a reference that is not set (arm-api.md §2.1: subnet properties, "absent = not set").
    // DraftStore merged field by field and treated "absent" as "not said", so the Q1 natGateway
    // survived the Q4 copy that has none (and says defaultOutboundAccess false): the merged subnet never
    // existed (private subnet + NAT gateway) and resolved confidently to internet via NAT, no gap.
    // Exports carry no capture time, so nothing says whether Q1 or Q4 is current; the audit asked for
    // "not via NAT, or a gap". The rule chosen (README "Input formats"): copies from different files
    // that disagree leave the resource out with a gap naming it, the fields and the files, so no
    // verdict rests on either copy. The resolver has no "contested field" to answer unknown from, so
    // the subnet has no path of its own (this test used to look one up): the gap is its answer.
    const nat = { id: armId('natGateways', 'nat'), name: 'nat', type: 'Microsoft.Network/natGateways', location: 'westeurope', sku: { name: 'Standard' },
      properties: { publicIpAddresses: [{ id: armId('publicIPAddresses', 'nat-pip') }] } };
    const pip = { id: armId('publicIPAddresses', 'nat-pip'), name: 'nat-pip', type: 'Microsoft.Network/publicIPAddresses', location: 'westeurope', sku: { name: 'Standard' },
      properties: { ipAddress: '20.0.0.1', publicIPAddressVersion: 'IPv4' } };
    const vnet = (q1: boolean) => ({
      id: armId('virtualNetworks', 'spoke'), name: 'spoke', type: 'Microsoft.Network/virtualNetworks', location: 'westeurope',
      properties: { addressSpace: { addressPrefixes: ['10.1.0.0/16'] }, subnets: [{ id: `${armId('virtualNetworks', 'spoke')}/subnets/app`, name: 'app',
        properties: { addressPrefix: '10.1.1.0/24', ...(q1 ? { natGateway: { id: armId('natGateways', 'nat') } } : { defaultOutboundAccess: false }) } }] },
    });
    const merged = snapshotFromTexts([jsonText('q1/network.json', [vnet(true), nat, pip]), jsonText('q4/network.json', [vnet(false)])], OPTIONS);
    expect(merged.model.subnets).toEqual([]);
    // The VNet copies agree (a subnet list naming app in both): the VNet stays.
    expect(merged.model.virtualNetworks.map((v) => v.name)).toEqual(['spoke']);
    expect(merged.gaps).toEqual([dispute(APP, 'q1/network.json and q4/network.json', 'defaultOutboundAccess, natGatewayId')]);
    expect(resolveEgress(merged).paths.map((p) => p.source.id)).toEqual([]);
  });

  it('a resource the exports dispute is not stood in for by a snapshot\'s copy', () => {
    // The exports contradict each other: a snapshot's third copy does not settle which is current.
    const { b } = natEstate();
    const snapshot = snapshotOf(b.build(), '2026-11-20T10:00:00.000Z');
    const subnet = (properties: object) => ({ id: `${armId('virtualNetworks', 'spoke')}/subnets/app`, name: 'app', type: 'Microsoft.Network/virtualNetworks/subnets', properties });
    const merged = snapshotFromTexts([
      snapshotText('estate.snapshot.json', snapshot),
      jsonText('a.json', subnet({ addressPrefix: '10.1.1.0/24' })),
      jsonText('b.json', subnet({ addressPrefix: '10.1.1.0/24', routeTable: { id: armId('routeTables', 'rt') } })),
    ], OPTIONS);
    expect(merged.model.subnets).toEqual([]);
    expect(merged.gaps).toEqual([dispute(APP, 'a.json and b.json', 'routeTableId')]);
  });

  it('service tag data of different clouds is not applied to the other cloud\'s estate: it is left out with a gap', () => {
    // newestServiceTags picked the highest changeNumber across inputs, whatever their cloud: a
    // China-cloud estate merged with a public-cloud one got Public prefixes (change numbers of
    // different clouds are unrelated series), and nothing said so.
    const pub = natEstate();
    const china = new ModelBuilder();
    china.subnet(china.vnet('cn-vnet', ['10.9.0.0/16']), 'cn-app', '10.9.1.0/24');
    const a = snapshotOf(pub.b.build(), '2026-11-20T00:00:00.000Z', { serviceTags: { changeNumber: 300, cloud: 'Public', tags: [] } });
    const b = snapshotOf(china.build(), '2026-11-20T00:00:00.000Z', { cloud: 'AzureChinaCloud', serviceTags: { changeNumber: 100, cloud: 'AzureChinaCloud', tags: [] } });
    const merged = snapshotFromTexts([snapshotText('public.snapshot.json', a), snapshotText('china.snapshot.json', b)], OPTIONS);
    expect(merged.serviceTags).toBeUndefined();
    expect(merged.gaps).toEqual([{
      code: 'skipped-input', scope: 'service tags',
      message: 'The inputs\' service tag data (public.snapshot.json: Public, change 300; china.snapshot.json: AzureChinaCloud, change 100) was left out: '
        + 'the inputs are of more than one cloud (public.snapshot.json: AzurePublicCloud; china.snapshot.json: AzureChinaCloud), and one cloud\'s tag prefixes '
        + 'and change numbers say nothing of another\'s. Give --service-tags FILE for the estate\'s cloud.',
    }]);
    // One cloud: the highest change number is kept, as before.
    const newer = snapshotOf(china.build(), '2026-11-20T00:00:00.000Z', { serviceTags: { changeNumber: 301, cloud: 'Public', tags: [] } });
    expect(snapshotFromTexts([snapshotText('a.json', a), snapshotText('b.json', newer)], OPTIONS).serviceTags?.changeNumber).toBe(301);
  });
});

describe('merging inputs: copies in two export files that agree are not left out', () => {
  // From the review of 6c1828f: the rule "copies in different export files must agree" counted a
  // field one copy lacks, and a list in another order, as disagreements, and dropped resources on
  // ordinary input. A copy that lacks fields is partial; child lists carry no order.
  const NET = `/subscriptions/${SUB}/resourceGroups/${TEST_RESOURCE_GROUP}/providers/Microsoft.Network`;
  const VM = `/subscriptions/${SUB}/resourceGroups/${TEST_RESOURCE_GROUP}/providers/Microsoft.Compute/virtualMachines/vm-app-01`;
  const rg = TEST_RESOURCE_GROUP;
  /** `az network vnet list -o json`: one VNet, one subnet without NAT gateway (flattened az shape). */
  const VNET = {
    addressSpace: { addressPrefixes: ['10.20.0.0/16'] }, dhcpOptions: { dnsServers: [] }, enableDdosProtection: false, etag: 'W/"0a1b"',
    id: `${NET}/virtualNetworks/vnet-app`, location: 'westeurope', name: 'vnet-app', provisioningState: 'Succeeded', resourceGroup: rg,
    subnets: [{
      addressPrefix: '10.20.1.0/24', delegations: [], etag: 'W/"0a1b"', id: `${NET}/virtualNetworks/vnet-app/subnets/snet-app`, name: 'snet-app',
      natGateway: null, networkSecurityGroup: null, routeTable: null, privateEndpointNetworkPolicies: 'Disabled', privateLinkServiceNetworkPolicies: 'Enabled',
      provisioningState: 'Succeeded', resourceGroup: rg, serviceEndpoints: [], type: 'Microsoft.Network/virtualNetworks/subnets',
    }],
    type: 'Microsoft.Network/virtualNetworks', virtualNetworkPeerings: [],
  };
  const nicId = `${NET}/networkInterfaces/vm-app-01-nic`;
  /** `az network nic list -o json`: the VM's NIC, with an instance-level public IP. */
  const NIC = {
    id: nicId, name: 'vm-app-01-nic', location: 'westeurope', resourceGroup: rg, type: 'Microsoft.Network/networkInterfaces',
    enableAcceleratedNetworking: true, enableIPForwarding: false, networkSecurityGroup: null, primary: true, provisioningState: 'Succeeded',
    virtualMachine: { id: VM, resourceGroup: rg },
    ipConfigurations: [{
      id: `${nicId}/ipConfigurations/ipconfig1`, name: 'ipconfig1', primary: true, privateIPAddress: '10.20.1.4', privateIPAddressVersion: 'IPv4',
      privateIPAllocationMethod: 'Dynamic', provisioningState: 'Succeeded', resourceGroup: rg,
      subnet: { id: `${NET}/virtualNetworks/vnet-app/subnets/snet-app`, resourceGroup: rg },
      publicIPAddress: { id: `${NET}/publicIPAddresses/vm-app-01-pip`, resourceGroup: rg },
    }],
  };
  const PIP = {
    id: `${NET}/publicIPAddresses/vm-app-01-pip`, name: 'vm-app-01-pip', ipAddress: '20.50.1.10', publicIPAddressVersion: 'IPv4', publicIPAllocationMethod: 'Static',
    sku: { name: 'Standard', tier: 'Regional' }, ipConfiguration: { id: `${nicId}/ipConfigurations/ipconfig1`, resourceGroup: rg },
    location: 'westeurope', resourceGroup: rg, type: 'Microsoft.Network/publicIPAddresses', provisioningState: 'Succeeded',
  };

  it('a NIC listed by `az vm nic list` next to `az network nic list` keeps its own public IP (no dispute, no wrong egress IP)', async () => {
    // `az vm nic list --vm-name vm-app-01` prints the VM's networkProfile.networkInterfaces, i.e.
    // NetworkInterfaceReference objects {id, primary, deleteOption} (azure-cli vm/custom.py
    // list_vm_nics; https://learn.microsoft.com/cli/azure/vm/nic#az-vm-nic-list). The normalizer
    // reads it as a NIC (type from the ID) that carries only `primary`: a partial copy, which says
    // nothing of IP forwarding, the VM or the NSG. The rule counted every scalar the full copy has
    // as "a value in one and none in the other" and left the NIC out: the VM's instance-level public
    // IP disappeared and the auditor was shown the subnet's default outbound path instead of
    // 20.50.1.10, a confident wrong egress IP. A partial copy is merged as within one file.
    const snapshot = await loadDirectory({
      'vnets.json': [VNET],
      'public-ips.json': [PIP],
      'nics.json': [NIC],
      'vm-app-01-nics.json': [{ deleteOption: 'Delete', id: nicId, primary: true, resourceGroup: rg }],
    });
    expect(disputes(snapshot.gaps)).toEqual([]);
    expect(snapshot.model.networkInterfaces.map((n) => n.name)).toEqual(['vm-app-01-nic']);
    const path = resolveEgress(snapshot, { destination: null }).paths.find((p) => p.source.name === 'vm-app-01-nic');
    expect(path?.exit).toBe('public-ip');
    expect(path?.egressIps).toEqual(['20.50.1.10']);
  });

  it('a later `az vm nic list` stub does not replace the NIC a snapshot holds whole (its public IP stays)', async () => {
    // The stub {id, primary, deleteOption} says nothing of the NIC's IP configurations, NSG or VM: a
    // partial copy. Given after a snapshot, "the later input wins" replaced the snapshot's NIC with
    // one built from defaults: no IP configuration, so the VM's public IP 20.50.1.10 disappeared.
    // A partial export copy never replaces a whole one; a gap says it was not used.
    const whole = await loadDirectory({ 'vnets.json': [VNET], 'public-ips.json': [PIP], 'nics.json': [NIC] });
    const merged = snapshotFromTexts([
      snapshotText('estate.snapshot.json', whole),
      jsonText('vm-app-01-nics.json', [{ deleteOption: 'Delete', id: nicId, primary: true, resourceGroup: rg }]),
    ], OPTIONS);
    const path = resolveEgress(merged, { destination: null }).paths.find((p) => p.source.name === 'vm-app-01-nic');
    expect(path?.egressIps).toEqual(['20.50.1.10']);
    expect(merged.model.networkInterfaces.find((n) => n.name === 'vm-app-01-nic')?.ipConfigurations).toHaveLength(1);
    const note = merged.gaps.find((g) => g.scope.toLowerCase() === nicId.toLowerCase());
    expect(note?.message).toMatch(/vm-app-01-nics\.json holds a partial copy .* estate\.snapshot\.json/);
  });

  it('two exports of one route table whose routes are listed in another order are the same route table', async () => {
    // finalize.ts sorts a route table's `routes` by ID ("order in the input carries no meaning for
    // these"), so both copies normalize to the identical resource; Azure matches routes by longest
    // prefix, never by list position (https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#how-azure-selects-a-route).
    // The copies' lists were compared in input order, so the route table was left out and every
    // subnet using it (here the forced tunnel to the firewall) was unknown. They are now compared in
    // the order finalize gives them (draft-store.ts SORTED_CHILDREN).
    const rt = (routes: readonly unknown[]) => [{
      id: `${NET}/routeTables/rt-app`, name: 'rt-app', location: 'westeurope', resourceGroup: rg, type: 'Microsoft.Network/routeTables',
      disableBgpRoutePropagation: false, provisioningState: 'Succeeded', routes,
    }];
    const toFirewall = {
      id: `${NET}/routeTables/rt-app/routes/default-to-fw`, name: 'default-to-fw', addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance',
      nextHopIpAddress: '10.0.1.4', hasBgpOverride: false, provisioningState: 'Succeeded', type: 'Microsoft.Network/routeTables/routes',
    };
    const onPrem = {
      id: `${NET}/routeTables/rt-app/routes/onprem`, name: 'onprem', addressPrefix: '192.168.0.0/16', nextHopType: 'VirtualNetworkGateway',
      hasBgpOverride: false, provisioningState: 'Succeeded', type: 'Microsoft.Network/routeTables/routes',
    };
    const vnets = [{ ...VNET, subnets: [{ ...VNET.subnets[0], routeTable: { id: `${NET}/routeTables/rt-app`, resourceGroup: rg } }] }];
    const snapshot = await loadDirectory({
      'vnets.json': vnets,
      'route-tables.json': rt([toFirewall, onPrem]),
      'rt-app.json': rt([onPrem, toFirewall]),
    });
    expect(disputes(snapshot.gaps)).toEqual([]);
    expect(snapshot.model.routeTables.map((r) => [r.name, r.routes.map((x) => x.name)])).toEqual([['rt-app', ['default-to-fw', 'onprem']]]);
  });

  it('a later whole az export without the NAT gateway an older REST export names is still a disagreement (absent = not set)', async () => {
    // The protection the rule is for, across shapes: `az network vnet subnet list` prints a subnet
    // flattened (whole: it has its prefix), `natGateway: null` when none is attached; the older
    // REST copy names one. Neither says which is current: the subnet is left out, with the gap.
    const subnetId = `${NET}/virtualNetworks/vnet-app/subnets/snet-app`;
    const snapshot = await loadDirectory({
      'public-ips.json': [PIP],
      'q1-subnets.json': { value: [{ id: subnetId, name: 'snet-app', type: 'Microsoft.Network/virtualNetworks/subnets',
        properties: { addressPrefix: '10.20.1.0/24', natGateway: { id: `${NET}/natGateways/ngw` }, privateEndpointNetworkPolicies: 'Disabled' } }] },
      'q4-subnets.json': [VNET.subnets[0]],
    });
    const subnet = toResourceId(subnetId);
    expect(snapshot.model.subnets).toEqual([]);
    expect(snapshot.gaps).toEqual([dispute(subnet, 'estate/q1-subnets.json and estate/q4-subnets.json', 'natGatewayId')]);
  });
});

describe('merging inputs: metadata', () => {
  it('capture time of a merge of snapshots is the oldest input\'s, and each input keeps its own (compare must not call June data "older")', () => {
    // Inputs captured 2026-01-01 and 2026-04-01; the merge said capturedAt 2026-11-26 (the clock at
    // import) and kept neither capture time. The compare banner (shownRole) then told the auditor a
    // June snapshot was "older" than data from January–April: a confident wrong statement.
    const jan = snapshotOf(natEstate().b.build(), '2026-01-01T00:00:00.000Z');
    const other = new ModelBuilder();
    other.subnet(other.vnet('hub', ['10.0.0.0/16']), 'shared', '10.0.1.0/24');
    const apr = snapshotOf(other.build(), '2026-04-01T00:00:00.000Z');
    const inputs = [snapshotText('jan.snapshot.json', jan), snapshotText('apr.snapshot.json', apr)];
    const merged = snapshotFromTexts(inputs, OPTIONS);
    expect(merged.metadata.capturedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(merged.metadata.inputs?.map((i) => [i.name, i.capturedAt])).toEqual([['jan.snapshot.json', '2026-01-01T00:00:00.000Z'], ['apr.snapshot.json', '2026-04-01T00:00:00.000Z']]);
    expect(shownRole({ title: 'june', capturedAt: '2026-06-01T00:00:00.000Z' }, { title: 'merged', capturedAt: merged.metadata.capturedAt })).toBe('newer');
    // The snapshot validates (inputs[].capturedAt is part of the shape), and, no clock in it, is the same whenever it is built.
    expect(parseSnapshotText(formatSnapshot(merged), 'merged.json').sha256).toBe(merged.sha256);
    expect(snapshotFromTexts(inputs, { ...OPTIONS, now: () => new Date('2027-03-01T00:00:00.000Z') }).sha256).toBe(merged.sha256);
    // Checked when present (older snapshots lack it and load): a capture time that is no string is refused.
    const { sha256: _sha, contentSha256: _content, ...content } = JSON.parse(formatSnapshot(merged)) as Snapshot;
    const edited = buildSnapshot({ ...content, metadata: { ...content.metadata, inputs: [{ name: 'jan.snapshot.json', size: 1, sha256: '0'.repeat(64), capturedAt: 5 as unknown as string }] } });
    expect(() => parseSnapshotText(formatSnapshot(edited), 'edited.json')).toThrow('edited.json: $.metadata.inputs[0].capturedAt: expected a string, found 5');
    // Exports carry no capture time: alone, they are stamped with the import time, as before.
    const exported = snapshotFromTexts([jsonText('vnet.json', { id: armId('virtualNetworks', 'v'), type: 'Microsoft.Network/virtualNetworks', properties: { addressSpace: { addressPrefixes: ['10.5.0.0/16'] } } })], OPTIONS);
    expect(exported.metadata.capturedAt).toBe('2026-11-26T06:00:00.000Z');
    expect(exported.metadata.inputs?.[0]).not.toHaveProperty('capturedAt');
  });

  it('scope keeps the subscriptions the input snapshots covered, even those without network resources', () => {
    // mergedScope rebuilt subscriptionIds from the merged resources only; the inputs' scopes were
    // dropped, so subscriptions that were read and found empty vanished from the evidence's scope.
    const { b } = natEstate();
    const s1 = snapshotOf(b.build(), '2026-11-20T00:00:00.000Z', { subscriptionIds: [SUB, '99999999-9999-9999-9999-999999999999'] });
    const s2 = snapshotOf(new ModelBuilder().build(), '2026-11-20T00:00:00.000Z', { subscriptionIds: ['88888888-8888-8888-8888-888888888888'] });
    const merged = snapshotFromTexts([snapshotText('a.snapshot.json', s1), snapshotText('b.snapshot.json', s2)], OPTIONS);
    expect(merged.metadata.scope.subscriptionIds).toEqual([SUB, '88888888-8888-8888-8888-888888888888', '99999999-9999-9999-9999-999999999999']);
  });

  it('two directories with the same base name: every file is named apart, and each skipped file has its gap', async () => {
    // inputFiles labelled files by basename(dir): q1/estate and q3/estate both became "estate/…".
    // origin and metadata.inputs named two different files identically, and mergeGaps folded the two
    // skipped README.txt files into one gap: a skipped file silently disappeared from the report.
    const root = await mkdtemp(join(tmpdir(), 'merge-inputs-'));
    try {
      for (const q of ['q1', 'q3']) {
        await mkdir(join(root, q, 'estate'), { recursive: true });
        await writeFile(join(root, q, 'estate', 'README.txt'), 'not json');
        await writeFile(join(root, q, 'estate', 'vnets.json'), JSON.stringify([{
          id: armId('virtualNetworks', `vnet-${q}`), name: `vnet-${q}`, type: 'Microsoft.Network/virtualNetworks', location: 'westeurope',
          properties: { addressSpace: { addressPrefixes: ['10.1.0.0/16'] }, subnets: [] },
        }]));
      }
      const merged = await loadInputs([join(root, 'q1', 'estate'), join(root, 'q3', 'estate')], OPTIONS);
      expect(merged.metadata.origin).toEqual(['q1/estate/vnets.json', 'q3/estate/vnets.json']);
      expect(merged.metadata.inputs?.map((i) => i.name)).toEqual(['q1/estate/README.txt', 'q1/estate/vnets.json', 'q3/estate/README.txt', 'q3/estate/vnets.json']);
      expect(merged.gaps.filter((g) => g.code === 'skipped-input').map((g) => g.scope)).toEqual(['q1/estate/README.txt', 'q3/estate/README.txt']);
      // The same file given twice: read twice (the copies agree), named apart.
      const twice = await loadInputs([join(root, 'q1', 'estate', 'vnets.json'), join(root, 'q1', 'estate', 'vnets.json')], OPTIONS);
      expect(twice.metadata.origin).toEqual(['vnets.json', 'vnets.json (2)']);
      expect(twice.gaps).toEqual([]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

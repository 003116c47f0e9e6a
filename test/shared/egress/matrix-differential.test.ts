/**
 * The destinations matrix against resolveEgress, cell by cell (issue 9). The matrix walks each
 * destination in a verdicts-only mode (no steps, shared firewall decisions per rule signature,
 * cached exits); whatever it skips, every cell must say exactly what the full what-if resolve says
 * for that source: verdict, exit, appliances passed and egress IPs. A NIC without a path of its own
 * for a destination follows its subnet's path, as in the resolve result.
 *
 * Estates: the four demos (with their service tag excerpt, as the app opens them) and a small
 * synthetic tenant (hub firewalls, NAT gateways, NIC public IPs and load balancers), the shape the
 * estate-scale bench resolves. Destinations: every kind the matrix accepts.
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm, type ArmDocument } from '../../../shared/arm/index';
import { DEMO_ESTATES, generateSyntheticEstate } from '../../../shared/demo/index';
import { resolveEgress, type ResolveInput } from '../../../shared/egress/index';
import { parseDestinationSpec } from '../../../shared/egress/destination-spec';
import { resolveMatrix, type DestinationListEntry, type MatrixCell } from '../../../shared/egress/matrix';
import type { EgressPath, PathSource } from '../../../shared/egress/types';
import type { Gap } from '../../../shared/model/gaps';
import type { ServiceTagSet } from '../../../shared/model/service-tags';
import type { ResourceId } from '../../../shared/model/ids';
import { applicationRule, ModelBuilder, networkId, networkRule, securityRule } from '../../support/model-builder';

function inputOf(documents: readonly ArmDocument[], serviceTags: ServiceTagSet | null): ResolveInput {
  const { model, effectiveRoutes, gaps } = normalizeArm(documents);
  return { model, effectiveRoutes, metrics: [], gaps, serviceTags };
}

/**
 * Firewall rules that tell sources apart (a NIC's /32, half a subnet, an IP group that is not in
 * the snapshot): sources behind one firewall get different decisions, so any decision shared
 * between sources the rules can tell apart shows here.
 */
function sourceSensitiveFirewall(): ResolveInput {
  const b = new ModelBuilder();
  const hub = b.vnet('hub', ['10.0.0.0/16']);
  const spoke = b.vnet('spoke', ['10.1.0.0/16']);
  b.peer(spoke, hub);
  b.peer(hub, spoke);
  const fwSubnet = b.subnet(hub, 'AzureFirewallSubnet', '10.0.1.0/26');
  const policy = b.firewallPolicy('fw-policy', [
    networkRule('deny-one-vm', { priority: 100, action: 'Deny', sourceAddresses: ['10.1.1.10/32'], destinationPorts: ['*'], protocols: ['Any'] }),
    networkRule('web-from-a', { priority: 200, sourceAddresses: ['10.1.1.0/24'] }),
    networkRule('web-from-half-b', { priority: 210, sourceAddresses: ['10.1.2.0/25'] }),
    networkRule('dns-from-b', { priority: 220, sourceAddresses: ['10.1.2.0/24'], destinationPorts: ['53'], protocols: ['UDP'] }),
    networkRule('from-missing-group', { priority: 230, sourceAddresses: [], sourceIpGroupIds: ['/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/ipGroups/gone' as ResourceId] }),
    applicationRule('stripe-from-c', ['api.stripe.com', '*.stripe.com'], { sourceAddresses: ['10.1.3.0/24'] }),
  ]);
  b.firewall('fw', { subnetId: fwSubnet, privateIp: '10.0.1.4', publicIpIds: [b.publicIp('fw-pip', '20.0.0.10')], policyId: policy });
  const rt = b.routeTable('rt-spoke', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.1.4' }]);
  const a = b.subnet(spoke, 'a', '10.1.1.0/24', { routeTableId: rt });
  const bSubnet = b.subnet(spoke, 'b', '10.1.2.0/24', { routeTableId: rt });
  const c = b.subnet(spoke, 'c', '10.1.3.0/24', { routeTableId: rt });
  const d = b.subnet(spoke, 'd', '10.1.4.0/24', { routeTableId: rt });
  const open = b.nsg('nsg-open', [securityRule('allow-all-out', 100, 'Allow', '*')]);
  b.nic(a, 'vm-denied', '10.1.1.10', { nsgId: open });
  b.nic(a, 'vm-a', '10.1.1.11', { nsgId: open });
  b.nic(bSubnet, 'vm-b-low', '10.1.2.5', { nsgId: open });
  b.nic(bSubnet, 'vm-b-high', '10.1.2.200', { nsgId: open });
  b.nic(c, 'vm-c', '10.1.3.5', { nsgId: open });
  b.nic(d, 'vm-d', '10.1.4.5', { nsgId: open });
  return { model: b.build(), effectiveRoutes: [], metrics: [], gaps: [] };
}

/**
 * NICs that differ from their subnet for some destinations only: an ASG the subnet's NSG opens TCP 22
 * for (the jump host), a NIC's own NSG that denies a private endpoint and a partner range, a NIC with
 * a public IP of its own (differs on the default route, not for the endpoint), and a plain NIC. The
 * rows of each destination's resolve differ, and so must the matrix's columns.
 */
function nicLevelRules(): ResolveInput {
  const b = new ModelBuilder();
  const v = b.vnet('spoke', ['10.1.0.0/16']);
  const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.0.0.1')] });
  const asg = networkId('applicationsecuritygroups', 'asg-jump');
  const app = b.subnet(v, 'app', '10.1.1.0/24', { natGatewayId: nat, networkSecurityGroupId: b.nsg('nsg-app', [
    securityRule('allow-ssh-jump', 100, 'Allow', 'Internet', { protocol: 'Tcp', destinationPortRanges: ['22'], sourceAddressPrefixes: [], sourceApplicationSecurityGroupIds: [asg] }),
    securityRule('deny-ssh', 110, 'Deny', 'Internet', { protocol: 'Tcp', destinationPortRanges: ['22'] }),
  ]) });
  const data = b.subnet(v, 'data', '10.1.5.0/24');
  b.privateEndpoint(data, 'pe-st', '10.1.5.6');
  b.nic(app, 'nic-jump', '10.1.1.4', { asgIds: [asg] });
  b.nic(app, 'nic-locked', '10.1.1.5', { nsgId: b.nsg('nsg-locked', [securityRule('deny-pe', 100, 'Deny', '10.1.5.6'), securityRule('deny-partner', 110, 'Deny', '198.51.100.0/24')]) });
  // In `data`, which has no NAT gateway (a NAT gateway would take precedence over the instance public IP).
  b.nic(data, 'nic-pip', '10.1.5.10', { publicIpId: b.publicIp('pip-vm', '20.0.0.9') });
  b.nic(app, 'nic-plain', '10.1.1.7');
  return { model: b.build(), effectiveRoutes: [], metrics: [], gaps: [] };
}

const ESTATES: readonly { readonly name: string; readonly input: () => ResolveInput }[] = [
  { name: 'source-sensitive firewall rules', input: sourceSensitiveFirewall },
  { name: 'NIC-level rules that differ per destination', input: nicLevelRules },
  ...DEMO_ESTATES.map((d) => ({ name: d.name, input: () => inputOf(d.documents, d.serviceTags) })),
  {
    name: 'synthetic',
    input: () => inputOf([{ fileName: 'synthetic', json: generateSyntheticEstate({ subscriptions: 3, virtualNetworks: 24, subnets: 160, networkInterfaces: 600, seed: 20261205 }) }], null),
  },
];

/** Fixed destinations of every kind, plus names and addresses taken from the estate itself. */
function destinationsFor(input: ResolveInput): DestinationListEntry[] {
  const { model } = input;
  const privateNames = model.privateDnsZones.flatMap((z) => z.recordSets.filter((r) => r.recordType === 'A').map((r) => r.fqdn)).slice(0, 3);
  const missingInZone = model.privateDnsZones.filter((z) => z.virtualNetworkLinks.length > 0).slice(0, 1).map((z) => `no-such-record.${z.name}`);
  const nicIps = model.networkInterfaces.flatMap((n) => n.ipConfigurations.map((c) => c.privateIpAddress)).filter((ip): ip is string => ip !== null);
  const texts = [
    '52.168.10.20', // public IP
    '40.112.0.0/24', // public CIDR
    '0.0.0.0/0', // the whole internet as a range
    '20.60.1.1', // in the Storage tag of the demo excerpt
    'Storage', // service tag
    'AzureCloud.westeurope', // regional tag
    'stpatients.blob.core.windows.net', // private from the VNet linked to its privatelink zone (health), public elsewhere
    'pypi.org', // named by a firewall application rule (manufacturer)
    'example.com', // not named by any rule
    'api.stripe.com', // bank's PSP
    'unresolvable-name.invalid', // nothing in any zone says what it is
    ...privateNames, // A records in private DNS zones
    ...missingInZone, // NXDOMAIN where the zone is linked
    'https://api.stripe.com:8443/v1/charges', // URL with a port
    'http://pkgs.example.net/simple', // URL, port from the scheme
    '8.8.8.8:53/udp', // UDP
    '203.0.113.9:3389', // another port
    '8.8.8.8:22', // SSH, which an ASG rule may open for one NIC
    '198.51.100.7', // a partner address a NIC's own NSG may deny
    '10.1.5.6', // a private endpoint a NIC's own NSG may deny
    '10.0.1.4', // private address (hub ranges of several demos)
    '192.168.1.10', // private, usually not in any VNet
    ...nicIps.slice(0, 2), // private addresses of real NICs
    ...nicIps.slice(-1),
  ];
  return [...new Set(texts)].filter((t) => parseDestinationSpec(t).kind !== 'error').map((destination) => ({ destination, label: null }));
}

function keyOf(source: PathSource): string {
  return `${source.type}|${source.id}`;
}

function expectedCell(destination: string, path: EgressPath | undefined): MatrixCell {
  if (!path) return { destination, verdict: 'unknown', exit: null, via: [], egressIps: [] };
  return { destination, verdict: path.verdict, exit: path.exit, via: path.via.map((v) => v.id), egressIps: path.egressIps };
}

function dedupe(gaps: readonly Gap[]): Gap[] {
  const seen = new Set<string>();
  return gaps.filter((g) => {
    const key = `${g.code}|${g.scope}|${g.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function compareKeys(a: PathSource, b: PathSource): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : a.type < b.type ? -1 : a.type > b.type ? 1 : 0;
}

/** Every cell of the matrix of `list` against resolveEgress for its destination; returns the number of cells compared. */
function expectMatrixEqualsResolves(input: ResolveInput, list: readonly DestinationListEntry[]): number {
  const matrix = resolveMatrix(input, list);
  const fulls = list.map((entry) => resolveEgress(input, { destination: entry.destination }));
  // Rows: every subnet, and every NIC that has an entry of its own in the resolve of at least one
  // destination of the list (whatever the default route says), in resolveEgress's order.
  const expectedSources = new Map<string, PathSource>();
  for (const full of fulls) for (const p of full.paths) if (!expectedSources.has(keyOf(p.source))) expectedSources.set(keyOf(p.source), p.source);
  const expectedRows = [...expectedSources.values()].sort(compareKeys);
  expect(matrix.rows.map((r) => keyOf(r.source))).toEqual(expectedRows.map(keyOf));
  expect(matrix.rows.map((r) => r.source)).toEqual(expectedRows);

  const nicSubnet = new Map(input.model.networkInterfaces.map((nic) => [nic.id as string, (nic.ipConfigurations.find((c) => c.primary) ?? nic.ipConfigurations[0])?.subnetId ?? null]));
  const expectedGaps: Gap[] = [];
  let compared = 0;
  list.forEach((entry, column) => {
    const full = fulls[column];
    if (!full) throw new Error(`no resolve for ${entry.destination}`);
    const byKey = new Map(full.paths.map((p) => [keyOf(p.source), p]));
    for (const row of matrix.rows) {
      // A NIC without an entry of its own for this destination takes its subnet's answer.
      const own = byKey.get(keyOf(row.source));
      const subnetId = row.source.type === 'nic' ? nicSubnet.get(row.source.id) : null;
      const path = own ?? (subnetId ? byKey.get(`subnet|${subnetId}`) : undefined);
      expect(path, `${entry.destination}: ${row.source.id} has no path in the resolve`).toBeDefined();
      expect(row.results[column], `${entry.destination} from ${row.source.type} ${row.source.id}`).toEqual(expectedCell(entry.destination, path));
      compared += 1;
    }
    expect(matrix.destinations[column]?.interpretation).toBe(full.destinationInfo?.interpretation ?? '');
    // Gaps: each destination's own resolve (every NIC it walks), in list order, once each.
    expectedGaps.push(...resolveEgress(input, { destination: entry.destination, estateFindings: false, sorted: false }).gaps);
  });
  expect(compared).toBe(matrix.rows.length * list.length);
  expect(matrix.gaps).toEqual(dedupe(expectedGaps));
  return compared;
}

describe('destinations matrix = resolveEgress, cell by cell', () => {
  it.each(ESTATES.map((e) => [e.name, e] as const))('%s', (_name, estate) => {
    const input = estate.input();
    const list = destinationsFor(input);
    expect(list.length).toBeGreaterThanOrEqual(18);
    expect(expectMatrixEqualsResolves(input, list)).toBeGreaterThan(0);
  });

  // More destinations than one batch of the matrix walks at once (sources are visited once per
  // batch, every destination of the batch in turn): batches must not leak into each other.
  it('synthetic, 60 destinations (several batches)', () => {
    const estate = ESTATES.find((e) => e.name === 'synthetic');
    if (!estate) throw new Error('no synthetic estate');
    const input = estate.input();
    const kinds = [
      (i: number) => `52.${i % 250}.${(i * 7) % 250}.10`,
      (i: number) => `40.${i % 250}.0.0/24`,
      (i: number) => `api${i}.saas-vendor.example`,
      (i: number) => `https://pkgs${i}.feeds.example:8443/v1`,
      (i: number) => `10.${i % 4}.${i % 3}.4`,
      (i: number) => `8.8.${i}.8:53/udp`,
    ];
    const list = Array.from({ length: 60 }, (_, i) => ({ destination: (kinds[i % kinds.length] ?? String)(i), label: null }));
    expect(expectMatrixEqualsResolves(input, list)).toBeGreaterThan(0);
  });

  // The engine shares one firewall decision between sources whose rule signature is equal (the same
  // match on every rule's source side), in the matrix and in resolveEgress alike: this pins the
  // decisions themselves, worked out from the rules by hand, so a signature that lumps together
  // sources the rules tell apart fails here even though both sides would agree.
  it('source-sensitive firewall rules: each source gets the decision its own address gets', () => {
    const input = sourceSensitiveFirewall();
    const list = ['52.1.2.3', '8.8.8.8:53/udp', 'api.stripe.com'].map((destination) => ({ destination, label: null }));
    const matrix = resolveMatrix(input, list);
    const verdicts = Object.fromEntries(matrix.rows.map((r) => [r.source.name, r.results.map((c) => c.verdict)]));
    expect(verdicts).toEqual({
      'AzureFirewallSubnet': ['internet', 'internet', 'internet'],
      // deny-one-vm names part of a: the subnet's answer depends on the VM's address, except for
      // UDP 53, which nothing allows from a anyway; each VM of a gets its own exact answer.
      'a': ['unknown', 'denied', 'unknown'],
      'vm-a': ['internet', 'denied', 'internet'], // web-from-a; nothing allows UDP 53 from a
      'b': ['unknown', 'internet', 'unknown'], // half of b is allowed, the missing IP group decides the rest; dns-from-b
      'c': ['unknown', 'denied', 'unknown'], // the missing IP group's rule is reached before the application rule
      'd': ['unknown', 'denied', 'unknown'],
      'vm-b-low': ['internet', 'internet', 'internet'], // inside web-from-half-b
      'vm-denied': ['denied', 'denied', 'denied'], // its /32 is denied everything
    });
  });

  // The default-route resolve gives nic-pip an entry of its own and nic-jump / nic-locked none: the
  // matrix's NIC rows come from each destination's resolve, not from the default route.
  it('NIC-level rules: each NIC has a row for the destinations where it differs, and its subnet\'s answer elsewhere', () => {
    const input = nicLevelRules();
    // By resource ID: nic-locked's NSG restricts it, nic-pip has its own public IP.
    expect(resolveEgress(input, {}).paths.filter((p) => p.source.type === 'nic').map((p) => p.source.name)).toEqual(['nic-locked', 'nic-pip']);
    const list = ['8.8.8.8:22', '198.51.100.7', '10.1.5.6'].map((destination) => ({ destination, label: null }));
    const answers = Object.fromEntries(resolveMatrix(input, list).rows.map((r) => [r.source.name, r.results.map((c) => `${c.verdict}/${c.exit ?? '-'}`)]));
    expect(answers).toEqual({
      'app': ['denied/-', 'internet/nat-gateway', 'private/private-endpoint'],
      'data': ['internet/default-outbound', 'internet/default-outbound', 'private/private-endpoint'],
      'nic-jump': ['internet/nat-gateway', 'internet/nat-gateway', 'private/private-endpoint'], // its own entry for 8.8.8.8:22 only
      'nic-locked': ['denied/-', 'denied/-', 'denied/-'], // its own entries for the partner and the endpoint; app's denial of SSH
      'nic-pip': ['internet/public-ip', 'internet/public-ip', 'private/private-endpoint'], // its public IP; data's answer for the endpoint
    });
  });

  it('the cells are not all alike: the estates exercise every verdict the matrix can show', () => {
    const verdicts = new Set<string>();
    for (const estate of ESTATES) {
      const input = estate.input();
      for (const row of resolveMatrix(input, destinationsFor(input)).rows) for (const cell of row.results) verdicts.add(cell.verdict);
    }
    expect([...verdicts].sort()).toEqual(expect.arrayContaining(['denied', 'dropped', 'internet', 'no-outbound', 'on-premises', 'private', 'unknown']));
  });
});

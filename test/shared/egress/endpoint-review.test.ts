/**
 * Review of the private endpoint, peering and reach fixes (584dc04, 302d4f4, 9e5b40b): the cases it found, kept as regression tests.
 *
 * Sources:
 * [PEERMANAGE] Create, change, or delete a virtual network peering
 *          https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-peering
 *          (quoted by 9e5b40b itself, shared/routing/peering.ts): allowVirtualNetworkAccess = false,
 *          "Block all traffic to the remote virtual network", "only changes the definition of the
 *          VirtualNetwork service tag"; the 2018 text (MicrosoftDocs/azure-docs
 *          articles/virtual-network/virtual-network-manage-peering.md): "The VirtualNetwork default tag
 *          for network security groups encompasses the virtual network and peered virtual network" only
 *          when Enabled; "When this setting is disabled, traffic doesn't flow between the peered
 *          virtual networks."
 * [PEERSDK] VirtualNetworkPeering (arm-network-profile-2020-09-01-hybrid): allowVirtualNetworkAccess
 *          "Whether the VMs in the linked virtual network space would be able to access all the VMs
 *          in local Virtual network space."
 * [SUBPEER] Subnet peering: a local subnet not in the subnet peering has the route, "but the packets
 *          are dropped" (the engine's own reading, shared/routing/peering.ts, test/shared/routing).
 * [NSGDEF] Default inbound rules: AllowVnetInBound (VirtualNetwork → VirtualNetwork), 65500
 *          DenyAllInBound https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview
 * [PENP]   https://learn.microsoft.com/azure/private-link/disable-private-endpoint-network-policy
 * [SQLFOG] New-AzSqlDatabaseFailoverGroup (Az.Sql): "Two Azure SQL Database TDS endpoints are created
 *          at FailoverGroupName.SqlDatabaseDnsSuffix (for example, FailoverGroupName.database.windows.net)
 *          and FailoverGroupName.secondary.SqlDatabaseDnsSuffix"
 *          https://learn.microsoft.com/powershell/module/az.sql/new-azsqldatabasefailovergroup
 * [SE]     Service endpoints: Microsoft.Sql for Azure SQL Database
 *          https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoints-overview
 * [VWAN]   https://learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing
 */
import { describe, expect, it } from 'vitest';
import { computeReach } from '../../../shared/egress/reach';
import type { PrivateEndpointReachEntry } from '../../../shared/egress/reach';
import type { NetworkModel } from '../../../shared/model/topology';
import { ModelBuilder } from '../../support/model-builder';
import { pathOf, resolve } from './support';

const PE_NAME = 'stpatients.blob.core.windows.net';
const inputOf = (model: NetworkModel) => ({ model, effectiveRoutes: [], metrics: [], gaps: [] });

describe('allowVirtualNetworkAccess = false after 9e5b40b', () => {
  // shared/routing/peering.ts peeringReach / engine.ts endpointSubnetNsg + virtualNetworkTagKnown.
  // VNet a (10.1/16) → b (10.2/16): a's peering allows access, b's peering back to a has
  // allowVirtualNetworkAccess = false. Private endpoint in b's subnet `data`, network policies
  // Enabled, NSG with the default rules only. By 9e5b40b's own reading [PEERMANAGE], b's
  // VirtualNetwork tag no longer holds a's range, so AllowVnetInBound does not match a's source
  // and DenyAllInBound drops it [NSGDEF][PENP]; by [PEERSDK] b's flag is the one that decides
  // whether a's VMs access b's. Either way a confident "private" is wrong.
  // Expected: not 'private' (denied, or unknown naming the peering). Actual: 'private'
  // (the back peering's allowVirtualNetworkAccess is read nowhere; the NSG model reads a
  // `VirtualNetwork` source as every VNet source).
  it('a peering back that blocks VNet access: the endpoint is not confidently reached', () => {
    const b = new ModelBuilder();
    const a = b.vnet('a', ['10.1.0.0/16']);
    const bv = b.vnet('b', ['10.2.0.0/16']);
    b.peer(bv, a, { allowVirtualNetworkAccess: false });
    const data = b.subnet(bv, 'data', '10.2.5.0/24', { privateEndpointNetworkPolicies: 'Enabled', networkSecurityGroupId: b.nsg('nsg-data', []) });
    b.privateEndpoint(data, 'pe-st', '10.2.5.6', { fqdns: [PE_NAME] });
    const app = b.subnet(a, 'app', '10.1.1.0/24');
    const model = b.build();
    expect(model.virtualNetworks.find((v) => v.name === 'b')?.peerings[0]?.allowVirtualNetworkAccess).toBe(false);
    expect(pathOf(resolve(model, { destination: '10.2.5.6' }), app).verdict).not.toBe('private');
  });

  // shared/routing/peering.ts peeringReach: the allowVirtualNetworkAccess check now returns
  // `unknown` before the subnet-peering, IPv6-only and address-space checks, so a path Azure drops
  // whatever the NSGs say (the subnet is not in the subnet peering [SUBPEER]) became unknown.
  // Before 9e5b40b: dropped. Expected: 'dropped' (next-hop-not-carried). Actual: 'unknown'.
  it('a subnet outside a subnet peering stays dropped when the peering also blocks VNet access', () => {
    const b = new ModelBuilder();
    const a = b.vnet('a', ['10.1.0.0/16']);
    const bv = b.vnet('b', ['10.2.0.0/16']);
    const data = b.subnet(bv, 'data', '10.2.5.0/24');
    b.privateEndpoint(data, 'pe-st', '10.2.5.6');
    const app = b.subnet(a, 'app', '10.1.1.0/24');
    b.subnet(a, 'other', '10.1.2.0/24');
    b.peer(a, bv, { allowVirtualNetworkAccess: false, subnetPeering: { localSubnetNames: ['other'], remoteSubnetNames: ['data'] } });
    const path = pathOf(resolve(b.build(), { destination: '10.2.5.6' }), app);
    expect(path.verdict).toBe('dropped');
  });
});

describe('584dc04: SQL Managed Instance detection by label count', () => {
  // shared/egress/engine.ts isManagedInstanceName: any name with two labels before
  // .database.windows.net is taken for a Managed Instance. An Azure SQL Database failover group's
  // read-only listener is `<fog>.secondary.database.windows.net` [SQLFOG], an Azure SQL Database
  // endpoint, for which Microsoft.Sql service endpoints are documented [SE]; its read-write
  // listener `<fog>.database.windows.net` goes over the endpoint.
  // Expected: as the read-write listener, 'private' over the service endpoint. Actual: 'unknown',
  // with a missing fact calling it "SQL Managed Instance fog1.secondary.database.windows.net".
  it('a SQL Database failover group read-only listener is not a Managed Instance', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.1.0.0/16']);
    const s = b.subnet(v, 'app', '10.1.1.0/24', { serviceEndpoints: [{ service: 'Microsoft.Sql', locations: ['*'] }] });
    const model = b.build();
    expect(pathOf(resolve(model, { destination: 'fog1.database.windows.net' }), s)).toMatchObject({ verdict: 'private', exit: 'service-endpoint' });
    const readOnly = pathOf(resolve(model, { destination: 'fog1.secondary.database.windows.net' }), s);
    expect(JSON.stringify(readOnly.steps.at(-1))).not.toContain('Managed Instance');
    expect(readOnly).toMatchObject({ verdict: 'private', exit: 'service-endpoint' });
  });
});

describe('9e5b40b: reach vs resolve for endpoints reach does not ask about', () => {
  // shared/egress/reach.ts endpointVnetsNear: VNets connected to the same virtual WAN hub are not
  // asked about, so their endpoints are left out of the source's reach with no gap, while resolve
  // for the same source and address is 'unknown' (the hub's routes may carry it [VWAN]). The
  // module promises "an endpoint the engine cannot decide is listed as 'may reach' (verdict
  // Unknown)"; an auditor reading the list sees nothing to check.
  // Expected: pe-st listed as 'unknown' for `app`, or a gap naming it / the hub. Actual: [] and no gap.
  it('an endpoint in a VNet on the same virtual hub is "may reach" (or named in a gap), as resolve says unknown', () => {
    const b = new ModelBuilder();
    const a = b.vnet('a', ['10.1.0.0/16']);
    const c = b.vnet('c', ['10.2.0.0/16']);
    b.virtualHub('vhub', { connections: [{ vnetId: a, enableInternetSecurity: false }, { vnetId: c, enableInternetSecurity: false }] });
    const data = b.subnet(c, 'data', '10.2.5.0/24');
    b.privateEndpoint(data, 'pe-st', '10.2.5.6', { fqdns: [PE_NAME] });
    const app = b.subnet(a, 'app', '10.1.1.0/24');
    const model = b.build();
    expect(pathOf(resolve(model, { destination: '10.2.5.6' }), app).verdict).toBe('unknown');
    const reach = computeReach(inputOf(model));
    const entries = (reach.sources.find((s) => s.source.name === 'app')?.private ?? [])
      .filter((e): e is PrivateEndpointReachEntry => e.kind === 'private-endpoint');
    const listed = entries.some((e) => e.endpointId.endsWith('/pe-st') && e.verdict === 'unknown');
    const gapped = reach.gaps.some((g) => /pe-st|vhub/.test(`${g.scope} ${g.message}`));
    expect(listed || gapped).toBe(true);
  });
});

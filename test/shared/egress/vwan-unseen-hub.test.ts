/**
 * A spoke VNet that Virtual WAN has connected to a hub the input does not hold (a connectivity
 * subscription the user cannot read, a hub not exported, or one left out as malformed). Its own
 * document still says it is connected: Virtual WAN makes a peering `RemoteVnetToHubPeering_<guid>`
 * in it, to the hub's managed VNet (`HV_<hub>_<guid>` in a Microsoft-managed subscription), the
 * name Microsoft's Azure Landing Zone checklist tells a Virtual WAN spoke by. The hub router gives a
 * connected VNet its routes (a 0.0.0.0/0 where the connection propagates the default route):
 * answering such a spoke from its system routes ("default outbound access") would be a confident
 * guess. Shapes as `az network vnet list` prints them (flattened), the hub's parts as the REST API.
 * [VWANROUTING] https://learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm, type ArmDocument } from '../../../shared/arm';
import { resolveEgress } from '../../../shared/egress';
import { explainPath } from '../../../shared/egress/explain';
import type { EgressPath, ResolveResult } from '../../../shared/egress/types';

const SUB = '/subscriptions/00000000-0000-0000-0000-000000000001';
const N = `${SUB}/resourceGroups/rg/providers/Microsoft.Network`;
const HUB = `${N}/virtualHubs/hub1`;
const FW = `${N}/azureFirewalls/fw-hub`;
const POLICY = `${N}/firewallPolicies/pol`;
const SPOKE = `${N}/virtualNetworks/spoke`;
const APP = `${SPOKE}/subnets/app`;
const MANAGED_HUB_VNET = '/subscriptions/8f2a7c1e-55aa-4c3e-9d1f-2b6c0e9a7d41/resourceGroups/RG_hub1_33e8a688-6e34-4fce-8af6-5db929a73890/providers/Microsoft.Network/virtualNetworks/HV_hub1_b48f56c5-f434-4b78-850b-684f3017b53b';

/** The peering Virtual WAN makes in a connected VNet, as `az network vnet peering list` prints it. */
function vwanPeering(): Record<string, unknown> {
  return {
    id: `${SPOKE}/virtualNetworkPeerings/RemoteVnetToHubPeering_2943d591-5557-47dd-aedc-ac1564b09909`, name: 'RemoteVnetToHubPeering_2943d591-5557-47dd-aedc-ac1564b09909',
    resourceGroup: 'rg', type: 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings', etag: 'W/"1"',
    allowForwardedTraffic: false, allowGatewayTransit: false, allowVirtualNetworkAccess: true, useRemoteGateways: true, doNotVerifyRemoteGateways: true,
    peerCompleteVnets: true, peeringState: 'Connected', peeringSyncLevel: 'FullyInSync', provisioningState: 'Succeeded',
    remoteAddressSpace: { addressPrefixes: ['10.100.0.0/23'] }, remoteVirtualNetworkAddressSpace: { addressPrefixes: ['10.100.0.0/23'] },
    remoteVirtualNetwork: { id: MANAGED_HUB_VNET, resourceGroup: 'RG_hub1_33e8a688-6e34-4fce-8af6-5db929a73890' },
  };
}

/** `az network vnet show -o json` (flattened): the spoke VNet with one subnet. */
function azSpokeVnet(peerings: readonly unknown[], subnet: Record<string, unknown> = {}): unknown {
  return {
    id: SPOKE, name: 'spoke', type: 'Microsoft.Network/virtualNetworks', location: 'westeurope', resourceGroup: 'rg',
    addressSpace: { addressPrefixes: ['10.1.0.0/16'] },
    subnets: [{ id: APP, name: 'app', addressPrefix: '10.1.1.0/24', privateEndpointNetworkPolicies: 'Disabled', resourceGroup: 'rg', type: 'Microsoft.Network/virtualNetworks/subnets', ...subnet }],
    virtualNetworkPeerings: peerings,
  };
}

/** `az network vhub connection list` item (flattened). */
function azHubConnection(): unknown {
  return {
    id: `${HUB}/hubVirtualNetworkConnections/spoke-conn`, name: 'spoke-conn', resourceGroup: 'rg',
    type: 'Microsoft.Network/virtualHubs/hubVirtualNetworkConnections', provisioningState: 'Succeeded', enableInternetSecurity: true,
    remoteVirtualNetwork: { id: SPOKE, resourceGroup: 'rg' },
    routingConfiguration: {
      associatedRouteTable: { id: `${HUB}/hubRouteTables/defaultRouteTable` },
      propagatedRouteTables: { ids: [{ id: `${HUB}/hubRouteTables/defaultRouteTable` }], labels: ['default'] },
      vnetRoutes: { staticRoutes: [] },
    },
  };
}

/** A secured hub with Internet routing intent to its Azure Firewall (REST shape), without its connections. */
function securedHub(): Record<string, unknown>[] {
  return [
    { id: HUB, name: 'hub1', type: 'Microsoft.Network/virtualHubs', location: 'westeurope',
      properties: { addressPrefix: '10.100.0.0/23', virtualWan: { id: `${N}/virtualWans/wan` }, azureFirewall: { id: FW }, routeTable: { routes: [] }, virtualHubRouteTableV2s: [], expressRouteGateway: null, vpnGateway: null } },
    { id: FW, name: 'fw-hub', type: 'Microsoft.Network/azureFirewalls', location: 'westeurope',
      properties: { sku: { name: 'AZFW_Hub', tier: 'Standard' }, virtualHub: { id: HUB }, firewallPolicy: { id: POLICY }, hubIPAddresses: { privateIPAddress: '10.100.0.132', publicIPs: { count: 1, addresses: [{ address: '20.5.5.5' }] } } } },
    { id: POLICY, name: 'pol', type: 'Microsoft.Network/firewallPolicies', location: 'westeurope', properties: { ruleCollectionGroups: [{ id: `${POLICY}/ruleCollectionGroups/rcg` }] } },
    { id: `${POLICY}/ruleCollectionGroups/rcg`, name: 'rcg', type: 'Microsoft.Network/firewallPolicies/ruleCollectionGroups',
      properties: { priority: 100, ruleCollections: [{ ruleCollectionType: 'FirewallPolicyFilterRuleCollection', name: 'c', priority: 100, action: { type: 'Allow' }, rules: [{ ruleType: 'NetworkRule', name: 'any', ipProtocols: ['Any'], sourceAddresses: ['*'], destinationAddresses: ['*'], destinationPorts: ['*'] }] }] } },
    { id: `${HUB}/routingIntent/ri`, name: 'ri', type: 'Microsoft.Network/virtualHubs/routingIntent',
      properties: { routingPolicies: [{ name: 'InternetTraffic', destinations: ['Internet'], nextHop: FW }] } },
    { id: `${HUB}/hubRouteTables/defaultRouteTable`, name: 'defaultRouteTable', type: 'Microsoft.Network/virtualHubs/hubRouteTables',
      properties: { labels: ['default'], routes: [{ name: '_policy_InternetTraffic', destinationType: 'CIDR', destinations: ['0.0.0.0/0'], nextHopType: 'ResourceId', nextHop: FW }] } },
  ];
}

function resolveDocs(docs: readonly ArmDocument[], destination?: string): { readonly result: ResolveResult; readonly gaps: readonly { readonly code: string; readonly scope: string; readonly message: string }[] } {
  const n = normalizeArm(docs);
  const result = resolveEgress({ model: n.model, effectiveRoutes: n.effectiveRoutes, metrics: [], gaps: n.gaps }, destination === undefined ? {} : { destination });
  return { result, gaps: [...n.gaps, ...result.gaps] };
}

const resolveOne = (resources: readonly unknown[], destination?: string) => resolveDocs([{ fileName: 'export.json', json: resources }], destination);

function appPath(result: ResolveResult): EgressPath {
  const path = result.paths.find((p) => p.source.id.toLowerCase() === APP.toLowerCase());
  if (!path) throw new Error(`no path for ${APP}`);
  return path;
}

const lastHop = (path: EgressPath) => explainPath(path).at(-1);

describe('a VNet Virtual WAN connected to a hub the input lacks', () => {
  it('alone (the hub in a subscription not exported): unknown through its system 0.0.0.0/0, naming the peering; one gap for the estate', () => {
    const { result, gaps } = resolveOne([azSpokeVnet([vwanPeering()])]);
    const path = appPath(result);
    expect(path.verdict).toBe('unknown');
    expect(lastHop(path)?.rule).toBe('Unknown: Peering RemoteVnetToHubPeering_2943d591-5557-47dd-aedc-ac1564b09909: connected to a Virtual WAN hub not in the input');
    expect(lastHop(path)?.explanation).toMatch(/no hub connection in the input names it/);
    const vwanGaps = gaps.filter((g) => g.scope === 'Microsoft.Network/virtualHubs/hubVirtualNetworkConnections');
    expect(vwanGaps).toHaveLength(1);
    expect(vwanGaps[0]?.message).toMatch(/^Virtual network spoke \(the first found\) is connected to a Virtual WAN hub: its peering RemoteVnetToHubPeering_\S+ to HV_hub1_\S+ is the one Virtual WAN makes/i);
  });

  it('its connection listed on its own, the hub absent: unknown (the orphan connection is a gap too)', () => {
    const { result, gaps } = resolveDocs([
      { fileName: 'vnets.json', json: [azSpokeVnet([vwanPeering()])] },
      { fileName: 'vhub-connections.json', json: [azHubConnection()] },
    ]);
    expect(appPath(result).verdict).toBe('unknown');
    expect(gaps.some((g) => g.code === 'missing-reference' && g.message.includes('hub1'))).toBe(true);
  });

  it('the hub listed without properties (az resource list), its parts apart: unknown, not default outbound', () => {
    const [, ...parts] = securedHub();
    const fromResourceList = { id: HUB, name: 'hub1', type: 'Microsoft.Network/virtualHubs', location: 'westeurope', properties: null, resourceGroup: 'rg', tags: {} };
    const { result } = resolveOne([azSpokeVnet([vwanPeering()]), fromResourceList, ...parts, azHubConnection()]);
    expect(appPath(result).verdict).toBe('unknown');
  });

  it('the hub left out because its routing intent is malformed: unknown, not default outbound', () => {
    const resources = securedHub().map((r) => (String(r['id']).endsWith('/routingIntent/ri')
      ? { ...r, properties: { routingPolicies: [null, { name: 'InternetTraffic', destinations: ['Internet'], nextHop: FW }] } } : r));
    const { result, gaps } = resolveOne([azSpokeVnet([vwanPeering()]), ...resources, azHubConnection()]);
    expect(gaps.some((g) => g.code === 'skipped-input' && g.scope.toLowerCase() === HUB.toLowerCase())).toBe(true);
    expect(appPath(result).verdict).toBe('unknown');
  });

  it('the hub in the input without its connections (not exported): unknown', () => {
    const { result } = resolveOne([azSpokeVnet([vwanPeering()]), ...securedHub()]);
    expect(appPath(result).verdict).toBe('unknown');
  });

  it('control: hub and connection in the input: internet through the hub firewall (the peering is the connection\'s)', () => {
    const { result } = resolveOne([azSpokeVnet([vwanPeering()]), ...securedHub(), azHubConnection()]);
    const path = appPath(result);
    expect(path.verdict).toBe('internet');
    expect(path.via.map((v) => v.kind)).toEqual(['azure-firewall']);
  });

  it('control: an ordinary peering (hub-and-spoke without Virtual WAN) changes nothing: default outbound access', () => {
    const ordinary = { ...vwanPeering(), id: `${SPOKE}/virtualNetworkPeerings/spoke-to-hub`, name: 'spoke-to-hub', useRemoteGateways: false,
      remoteVirtualNetwork: { id: `${N}/virtualNetworks/vnet-hub` } };
    const { result } = resolveOne([azSpokeVnet([ordinary])]);
    expect(appPath(result)).toMatchObject({ verdict: 'internet', exit: 'default-outbound' });
  });

  it('a route table that does not propagate gateway routes: the hub gives the subnet nothing, so its own path stands', () => {
    const rt = { id: `${N}/routeTables/rt-app`, name: 'rt-app', type: 'Microsoft.Network/routeTables', location: 'westeurope', resourceGroup: 'rg', disableBgpRoutePropagation: true, routes: [] };
    const { result } = resolveOne([azSpokeVnet([vwanPeering()], { routeTable: { id: rt.id, resourceGroup: 'rg' } }), rt]);
    expect(appPath(result)).toMatchObject({ verdict: 'internet', exit: 'default-outbound' });
  });

  it('a UDR 0.0.0.0/0 beats any hub 0.0.0.0/0 (user routes win a tie), so it stands', () => {
    const rt = { id: `${N}/routeTables/rt-app`, name: 'rt-app', type: 'Microsoft.Network/routeTables', location: 'westeurope', resourceGroup: 'rg', disableBgpRoutePropagation: false,
      routes: [{ id: `${N}/routeTables/rt-app/routes/blackhole`, name: 'blackhole', addressPrefix: '0.0.0.0/0', nextHopType: 'None' }] };
    const { result } = resolveOne([azSpokeVnet([vwanPeering()], { routeTable: { id: rt.id, resourceGroup: 'rg' } }), rt]);
    expect(appPath(result).verdict).toBe('dropped');
  });

  it('a destination in the VNet itself: VnetLocal beats gateway routes however specific, so it is delivered', () => {
    const { result } = resolveOne([azSpokeVnet([vwanPeering()])], '10.1.1.9');
    expect(appPath(result).verdict).not.toBe('unknown');
  });

  it('a private destination outside the VNet (the system None route): the hub may route it, unknown', () => {
    const { result } = resolveOne([azSpokeVnet([vwanPeering()])], '10.200.0.5');
    expect(appPath(result).verdict).toBe('unknown');
  });
});

describe('a hub connection or routing intent whose provisioningState is not Succeeded', () => {
  // `az network vhub routing-intent list` / `az network vhub connection list` print provisioningState
  // (Succeeded, Updating, Deleting, Failed). What a hub router has programmed for a resource in
  // another state is not documented: a path through the hub firewall would be a confident guess.
  const withState = (suffix: string, state: string) => (r: Record<string, unknown>): Record<string, unknown> =>
    (String(r['id']).endsWith(suffix) ? { ...r, properties: { ...(r['properties'] as Record<string, unknown>), provisioningState: state } } : r);

  it('routing intent Failed: unknown naming its state, with a gap for the hub; not internet through the firewall', () => {
    const { result, gaps } = resolveOne([azSpokeVnet([vwanPeering()]), ...securedHub().map(withState('/routingIntent/ri', 'Failed')), azHubConnection()]);
    const path = appPath(result);
    expect(path.verdict).toBe('unknown');
    expect(lastHop(path)?.rule).toBe('Unknown: Virtual hub hub1 routing intent InternetTraffic (Internet, provisioning state Failed)');
    expect(lastHop(path)?.explanation).toMatch(/its provisioningState is Failed, not Succeeded; in force, the hub advertises 0\.0\.0\.0\/0 to this spoke and its internet traffic goes to fw-hub; otherwise the spoke uses its own outbound method/);
    expect(gaps.find((g) => g.scope === `${HUB.toLowerCase()}/routingintent`)?.message).toMatch(/^The routing intent of virtual hub hub1 is in provisioning state Failed/);
  });

  it('routing intent Updating: unknown too', () => {
    const { result } = resolveOne([azSpokeVnet([vwanPeering()]), ...securedHub().map(withState('/routingIntent/ri', 'Updating')), azHubConnection()]);
    expect(appPath(result).verdict).toBe('unknown');
  });

  it('routing intent Succeeded (as az prints it): internet through the hub firewall', () => {
    const { result } = resolveOne([azSpokeVnet([vwanPeering()]), ...securedHub().map(withState('/routingIntent/ri', 'Succeeded')), azHubConnection()]);
    expect(appPath(result)).toMatchObject({ verdict: 'internet', via: [expect.objectContaining({ kind: 'azure-firewall' })] });
  });

  it('hub connection Failed (az flattened): unknown naming the connection and its state', () => {
    const failed = { ...(azHubConnection() as Record<string, unknown>), provisioningState: 'Failed' };
    const { result, gaps } = resolveOne([azSpokeVnet([vwanPeering()]), ...securedHub(), failed]);
    const path = appPath(result);
    expect(path.verdict).toBe('unknown');
    expect(lastHop(path)?.rule).toBe('Unknown: Hub connection spoke-conn (provisioning state Failed)');
    expect(gaps.some((g) => g.scope === `${HUB.toLowerCase()}/connectionstate` && /provisioning state Failed, not Succeeded/.test(g.message))).toBe(true);
  });

  it('hub connection Failed with "Propagate default route" off: the hub gives it no 0.0.0.0/0 either way, so its own method stands', () => {
    const failed = { ...(azHubConnection() as Record<string, unknown>), provisioningState: 'Failed', enableInternetSecurity: false };
    const { result } = resolveOne([azSpokeVnet([vwanPeering()]), ...securedHub(), failed]);
    expect(appPath(result)).toMatchObject({ verdict: 'internet', exit: 'default-outbound' });
  });
});

describe("a spoke whose Virtual WAN peering is not Connected, its hub and connection in the input", () => {
  // Only a Connected peering carries traffic [PEER] https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-peering
  // What a hub router programs into a spoke whose RemoteVnetToHubPeering is Initiated or Disconnected
  // is not documented: the firewall path through routing intent would be a confident guess.
  const peeringIn = (state: string | undefined): Record<string, unknown> => {
    const { peeringState: _omitted, ...rest } = vwanPeering();
    return state === undefined ? rest : { ...rest, peeringState: state };
  };

  it('Disconnected: unknown naming the peering and its state, with a gap; not internet through the hub firewall', () => {
    const { result, gaps } = resolveOne([azSpokeVnet([peeringIn('Disconnected')]), ...securedHub(), azHubConnection()]);
    const path = appPath(result);
    expect(path.verdict).toBe('unknown');
    expect(lastHop(path)?.rule).toBe('Unknown: Peering RemoteVnetToHubPeering_2943d591-5557-47dd-aedc-ac1564b09909 to virtual hub hub1 (peering state Disconnected)');
    expect(lastHop(path)?.explanation).toMatch(/is Disconnected, not Connected \(only a Connected peering carries traffic\); connected, routing intent InternetTraffic sends its internet traffic to fw-hub/);
    expect(gaps.find((g) => g.scope === `${HUB.toLowerCase()}/peeringstate`)?.message).toMatch(/^Virtual network spoke \(the first found\) is connected to virtual hub hub1 by hub connection spoke-conn, but its Virtual WAN peering \S+ is Disconnected, not Connected/);
  });

  it('Initiated: unknown too', () => {
    const { result } = resolveOne([azSpokeVnet([peeringIn('Initiated')]), ...securedHub(), azHubConnection()]);
    expect(appPath(result).verdict).toBe('unknown');
  });

  it('the state left out of a peering listed apart (ARM shape, no peeringState): unknown, saying the input does not give it', () => {
    const { result } = resolveOne([azSpokeVnet([peeringIn(undefined)]), ...securedHub(), azHubConnection()]);
    const path = appPath(result);
    expect(path.verdict).toBe('unknown');
    expect(lastHop(path)?.rule).toBe('Unknown: Peering RemoteVnetToHubPeering_2943d591-5557-47dd-aedc-ac1564b09909 to virtual hub hub1 (peering state not in the input)');
  });

  it('Connected (as az prints it): internet through the hub firewall, as before', () => {
    const { result } = resolveOne([azSpokeVnet([peeringIn('Connected')]), ...securedHub(), azHubConnection()]);
    expect(appPath(result)).toMatchObject({ verdict: 'internet', via: [expect.objectContaining({ kind: 'azure-firewall' })] });
  });

  it('Disconnected with "Propagate default route" off and no other hub 0.0.0.0/0: the hub gives none either way, so its own method stands', () => {
    const [hub, fw, policy, rcg] = securedHub();
    const off = { ...(azHubConnection() as Record<string, unknown>), enableInternetSecurity: false };
    const { result } = resolveOne([azSpokeVnet([peeringIn('Disconnected')]), hub, fw, policy, rcg, off]);
    expect(appPath(result)).toMatchObject({ verdict: 'internet', exit: 'default-outbound' });
  });
});

describe('a spoke whose Virtual WAN peering is not Connected, asked about a prefix a hub route carries', () => {
  // The hub's route for 10.200.0.0/16 would beat the spoke's system route [UDR], but whether the hub
  // gives this spoke any route depends first on its peering, Disconnected here [PEER]: the answer
  // names the peering and its state, not the hub route.
  it('a what-if to 10.200.0.5: unknown naming the peering state', () => {
    const withBranchRoute = securedHub().map((r) => (String(r['id']).endsWith('/hubRouteTables/defaultRouteTable')
      ? { ...r, properties: { labels: ['default'], routes: [
        { name: '_policy_InternetTraffic', destinationType: 'CIDR', destinations: ['0.0.0.0/0'], nextHopType: 'ResourceId', nextHop: FW },
        { name: 'to-branch', destinationType: 'CIDR', destinations: ['10.200.0.0/16'], nextHopType: 'ResourceId', nextHop: FW },
      ] } }
      : r));
    const { peeringState: _state, ...peering } = vwanPeering();
    const down = { ...peering, peeringState: 'Disconnected' };
    const connected = resolveOne([azSpokeVnet([vwanPeering()]), ...withBranchRoute, azHubConnection()], '10.200.0.5');
    expect(lastHop(appPath(connected.result))?.rule).toMatch(/^Unknown: Virtual hub hub1: route for 10\.200\.0\.0\/16/);
    const { result } = resolveOne([azSpokeVnet([down]), ...withBranchRoute, azHubConnection()], '10.200.0.5');
    expect(appPath(result).verdict).toBe('unknown');
    expect(lastHop(appPath(result))?.rule).toBe('Unknown: Peering RemoteVnetToHubPeering_2943d591-5557-47dd-aedc-ac1564b09909 to virtual hub hub1 (peering state Disconnected)');
  });
});

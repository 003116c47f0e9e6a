/**
 * Three answers that must not depend on how they are asked: a routing loop through an NVA and a
 * firewall (the same verdict whichever appliance a source enters it by, resolved alone or with the
 * estate), a dropped prefix with a more specific route carrying part of it out (reach's `any`
 * entries except only what is dropped), and a Virtual WAN peering that is not Connected, its hub
 * not in the input (named by its state, never called connected).
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm';
import { resolveEgress } from '../../../shared/egress';
import { explainPath } from '../../../shared/egress/explain';
import type { ReachEntry } from '../../../shared/egress/reach';
import { toResourceId, type ResourceId } from '../../../shared/model/ids';
import { cidrContainsIp, parseCidr, parseIp } from '../../../shared/model/ip';
import type { NetworkModel } from '../../../shared/model/topology';
import { networkRule } from '../../support/model-builder';
import { entryCovers, inputOf, pathTo, reachOf } from './reach-agreement';
import { HUB_FIREWALL_IP, hubSpokeFirewall, pathOf, resolve, summary } from './support';

// ---- a loop through an NVA and a firewall ---------------------------------------------------------

const NVA_IP = '10.0.2.4';

/**
 * Hub 10.0.0.0/16 with Azure Firewall fw (10.0.1.4, a network rule allowing 10.50.0.0/16 on any
 * port) and an NVA nva-nic (10.0.2.4, IP forwarding on) in subnet `nva`. AzureFirewallSubnet routes
 * 10.50.0.0/16 to the NVA; the NVA's subnet routes 10.50.0.0/16 to the firewall. Spoke2 subnet `app2`
 * routes 10.50.0.0/16 straight to the NVA (it never passes the firewall before the NVA).
 */
function nvaFirewallLoop(): { readonly model: NetworkModel; readonly app2: ResourceId } {
  const { b, hub } = hubSpokeFirewall([networkRule('to-50', { destinationAddresses: ['10.50.0.0/16'], protocols: ['Any'], destinationPorts: ['*'] })]);
  const fwRt = b.routeTable('rt-fw', [{ prefix: '10.50.0.0/16', nextHopType: 'VirtualAppliance', nextHopIp: NVA_IP }, { prefix: '0.0.0.0/0', nextHopType: 'Internet' }]);
  const nvaRt = b.routeTable('rt-nva', [{ prefix: '10.50.0.0/16', nextHopType: 'VirtualAppliance', nextHopIp: HUB_FIREWALL_IP }]);
  const nvaSubnet = b.subnet(hub, 'nva', '10.0.2.0/24', { routeTableId: nvaRt });
  b.nic(nvaSubnet, 'nva-nic', NVA_IP, { ipForwarding: true });
  const spoke2 = b.vnet('spoke2', ['10.2.0.0/16']);
  b.peer(spoke2, hub, { allowForwardedTraffic: true });
  b.peer(hub, spoke2, { allowForwardedTraffic: true });
  const app2 = b.subnet(spoke2, 'app2', '10.2.1.0/24', { routeTableId: b.routeTable('rt-app2', [{ prefix: '10.50.0.0/16', nextHopType: 'VirtualAppliance', nextHopIp: NVA_IP }]) });
  const model = b.build();
  return { model: { ...model, subnets: model.subnets.map((s) => (s.name === 'AzureFirewallSubnet' ? { ...s, routeTableId: fwRt } : s)) }, app2 };
}

describe('a loop through an NVA and a firewall', () => {
  /**
   * The NVA's continuation is shared between sources (forwardFromAppliance), but a walk that meets a
   * loop depends on what was passed before it: it is not shared, so app2 (which never passes fw
   * before the NVA) gets the answer it gets resolved alone (subnetIds, as reach's what-ifs and
   * `resolve --subnet` do), worded by the loop's members, never by the order a source passed them.
   */
  it('an NVA reached directly, routed to a firewall that routes back: the same answer resolved alone or with the estate, never "the flow passed fw"', () => {
    const { model, app2 } = nvaFirewallLoop();
    const whole = pathOf(resolve(model, { destination: '10.50.3.9' }), app2);
    const alone = pathOf(resolveEgress({ model, effectiveRoutes: [], metrics: [], gaps: [] }, { destination: '10.50.3.9', subnetIds: new Set([app2]) }), app2);
    expect(explainPath(whole).at(-1)?.explanation ?? '').not.toMatch(/which the flow passed on its way to it/);
    expect(whole.verdict).toBe(alone.verdict);
  });

  /**
   * A VM delivers what it holds without routing it (a VPN client pool, containers, a kubenet pod
   * range: "UDR and IP forwarding handle connectivity between pods across nodes"
   * https://learn.microsoft.com/azure/aks/configure-kubenet), so whether nva-nic holds 10.50.0.0/16
   * is in no export. app2 → nva-nic → fw → back to nva-nic closes the loop at the firewall's hop:
   * unknown naming nva-nic, as the mirror image (source → fw → nva-nic → fw) is; never a confident
   * route loop.
   */
  it('an NVA reached directly whose firewall sends a private destination back to it: unknown (it may hold the range), not a confident route loop', () => {
    const { model, app2 } = nvaFirewallLoop();
    const alone = pathOf(resolveEgress({ model, effectiveRoutes: [], metrics: [], gaps: [] }, { destination: '10.50.3.9', subnetIds: new Set([app2]) }), app2);
    expect(summary(alone)).toMatchObject({ verdict: 'unknown', findings: [] });
    expect(explainPath(alone).at(-1)?.explanation).toMatch(/whether nva-nic serves 10\.50\.3\.9 itself/);
  });
});

// ---- a dropped prefix with a sub-range carried out ---------------------------------------------------

/** Whether an entry's `except` (CIDRs) holds the address. */
function excepted(e: ReachEntry, ip: string): boolean {
  const a = parseIp(ip);
  return (e.except ?? []).some((x) => {
    const c = parseCidr(x);
    return c !== null && a !== null && cidrContainsIp(c, a);
  });
}

/**
 * Spoke `app`: 0/0 → hub firewall, 30.0.0.0/8 → None and 30.1.0.0/16 → the same firewall (a
 * blackholed range with a sub-range let through). Longest prefix match sends 30.1.1.1 to the
 * firewall, not to None [UDR] https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#how-azure-selects-a-route
 */
function carvedOutDrop(rules: Parameters<typeof hubSpokeFirewall>[0]) {
  const { b, app } = hubSpokeFirewall(rules);
  b.updateSubnet(app, { routeTableId: b.routeTable('rt-x', [
    { prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: HUB_FIREWALL_IP },
    { prefix: '30.0.0.0/8', nextHopType: 'None' },
    { prefix: '30.1.0.0/16', nextHopType: 'VirtualAppliance', nextHopIp: HUB_FIREWALL_IP },
  ]) });
  return { input: inputOf(b), app };
}

describe('reach excepts only what a None route drops', () => {
  /**
   * resolve says 30.1.1.1:443/tcp is `unknown` (the firewall's rule to an IP group the input lacks
   * may allow it); 30.1.0.0/16 has no entry of its own (it leads like the default route), so the
   * "may reach" `any` entry must not except it with the rest of 30.0.0.0/8.
   */
  it('a "may reach" `any` entry does not except a sub-range a more specific route carries out', () => {
    const { input, app } = carvedOutDrop([networkRule('partners', { destinationAddresses: [], destinationIpGroupIds: [toResourceId('/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-net/providers/Microsoft.Network/ipGroups/ipg-absent')] })]);
    expect(pathTo(input, '30.1.1.1:443/tcp', app).verdict).toBe('unknown');
    const listed = reachOf(input, app).allowed.filter((e) => (e.verdict === 'unknown' || e.verdict === 'internet') && entryCovers(e, '30.1.1.1', 443, 'Tcp') && !excepted(e, '30.1.1.1'));
    expect(listed.length).toBeGreaterThan(0);
  });

  /** With an allow-all rule resolve says 30.1.1.1 reaches the internet: the `internet` entry covers it. */
  it('an `internet` `any` entry does not except a sub-range a more specific route carries out', () => {
    const { input, app } = carvedOutDrop([networkRule('all', { destinationAddresses: ['*'], destinationPorts: ['*'], protocols: ['Any'] })]);
    expect(pathTo(input, '30.1.1.1:443/tcp', app).verdict).toBe('internet');
    const listed = reachOf(input, app).allowed.filter((e) => e.verdict === 'internet' && entryCovers(e, '30.1.1.1', 443, 'Tcp') && !excepted(e, '30.1.1.1'));
    expect(listed.length).toBeGreaterThan(0);
  });
});

// ---- a Virtual WAN peering not Connected, its hub not in the input ---------------------------------

const SUB = '/subscriptions/00000000-0000-0000-0000-000000000001';
const SPOKE = `${SUB}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/spoke`;
const APP = `${SPOKE}/subnets/app`;

describe('a Virtual WAN peering not Connected, its hub not in the input', () => {
  /**
   * Only a Connected peering carries traffic [PEER]
   * https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-peering : a
   * Disconnected RemoteVnetToHubPeering_ is named with its state, never "connected"; the answer is
   * unknown either way (which routes the hub gives it is not in the input).
   */
  it('a Disconnected RemoteVnetToHubPeering is not called "connected"', () => {
    const peering = {
      id: `${SPOKE}/virtualNetworkPeerings/RemoteVnetToHubPeering_2943d591-5557-47dd-aedc-ac1564b09909`, name: 'RemoteVnetToHubPeering_2943d591-5557-47dd-aedc-ac1564b09909',
      resourceGroup: 'rg', type: 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings',
      allowForwardedTraffic: false, allowGatewayTransit: false, allowVirtualNetworkAccess: true, useRemoteGateways: true, peerCompleteVnets: true,
      peeringState: 'Disconnected', peeringSyncLevel: 'FullyInSync', provisioningState: 'Succeeded',
      remoteAddressSpace: { addressPrefixes: ['10.100.0.0/23'] },
      remoteVirtualNetwork: { id: '/subscriptions/8f2a7c1e-55aa-4c3e-9d1f-2b6c0e9a7d41/resourceGroups/RG_hub1/providers/Microsoft.Network/virtualNetworks/HV_hub1_b48f56c5' },
    };
    const vnet = { id: SPOKE, name: 'spoke', type: 'Microsoft.Network/virtualNetworks', location: 'westeurope', resourceGroup: 'rg', addressSpace: { addressPrefixes: ['10.1.0.0/16'] },
      subnets: [{ id: APP, name: 'app', addressPrefix: '10.1.1.0/24', resourceGroup: 'rg', type: 'Microsoft.Network/virtualNetworks/subnets' }], virtualNetworkPeerings: [peering] };
    const n = normalizeArm([{ fileName: 'export.json', json: [vnet] }]);
    const result = resolveEgress({ model: n.model, effectiveRoutes: [], metrics: [], gaps: n.gaps });
    const path = result.paths.find((p) => p.source.id.toLowerCase() === APP.toLowerCase());
    expect(path?.verdict).toBe('unknown');
    const last = path ? explainPath(path).at(-1) : undefined;
    expect(`${last?.rule} ${last?.explanation}`).toMatch(/Disconnected/);
    expect(last?.rule).not.toMatch(/connected to a Virtual WAN hub/);
  });
});

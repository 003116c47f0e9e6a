/**
 * Virtual WAN: where a spoke's 0.0.0.0/0 comes from. The model adds a hub 0/0 only for an Internet
 * routing-intent policy; every other documented source (a static route on a hub VNet connection, a
 * hub route table route, the hub's ExpressRoute / VPN gateway) or a fact the input lacks ("Propagate
 * default route" not given, route tables not exported) makes the spoke's internet path `unknown`
 * naming it, never a confident default outbound. Hub firewall public IPs: count without addresses is
 * a gap; count 0 is not internet. Estates are ARM JSON (REST shape) run through normalizeArm, then
 * resolveEgress; each test cites the Microsoft Learn source of its rule.
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm';
import { resolveEgress } from '../../../shared/egress';
import { terminalOf } from '../../../shared/egress/steps';
import type { EgressPath, ResolveResult } from '../../../shared/egress/types';
import { toResourceId } from '../../../shared/model/ids';

const SUB = '66666666-6666-6666-6666-666666666666';
const NET = `/subscriptions/${SUB}/resourceGroups/rg-vwan/providers/Microsoft.Network`;
type Json = Record<string, unknown>;

const vnetId = (n: string) => `${NET}/virtualNetworks/${n}`;
const subnetId = (v: string, s: string) => `${vnetId(v)}/subnets/${s}`;
const hubId = (n: string) => `${NET}/virtualHubs/${n}`;
const fwId = (n: string) => `${NET}/azureFirewalls/${n}`;
const wanId = `${NET}/virtualWans/vwan`;

function vnetJson(name: string, prefix: string, subnets: readonly { name: string; prefix: string; extra?: Json }[]): Json {
  return {
    id: vnetId(name), name, type: 'Microsoft.Network/virtualNetworks', location: 'westeurope',
    properties: {
      provisioningState: 'Succeeded',
      addressSpace: { addressPrefixes: [prefix] },
      subnets: subnets.map((s) => ({ id: subnetId(name, s.name), name: s.name, type: 'Microsoft.Network/virtualNetworks/subnets', properties: { addressPrefix: s.prefix, ...(s.extra ?? {}) } })),
      virtualNetworkPeerings: [],
    },
  };
}

function hubJson(name: string, extra: Json = {}): Json {
  return {
    id: hubId(name), name, type: 'Microsoft.Network/virtualHubs', location: 'westeurope',
    properties: { provisioningState: 'Succeeded', virtualWan: { id: wanId }, addressPrefix: '10.255.0.0/23', sku: 'Standard', ...extra },
  };
}

function connectionJson(hub: string, name: string, vnet: string, props: Json): Json {
  return {
    id: `${hubId(hub)}/hubVirtualNetworkConnections/${name}`, name, type: 'Microsoft.Network/virtualHubs/hubVirtualNetworkConnections',
    properties: { provisioningState: 'Succeeded', remoteVirtualNetwork: { id: vnetId(vnet) }, allowHubToRemoteVnetTransit: true, allowRemoteVnetToUseHubVnetGateways: true, ...props },
  };
}

function routingConfiguration(hub: string, staticRoutes: readonly Json[] = [], staticRoutePropagation = true): Json {
  return {
    associatedRouteTable: { id: `${hubId(hub)}/hubRouteTables/defaultRouteTable` },
    propagatedRouteTables: { labels: ['default'], ids: [{ id: `${hubId(hub)}/hubRouteTables/defaultRouteTable` }] },
    vnetRoutes: { staticRoutesConfig: { propagateStaticRoutes: staticRoutePropagation, vnetLocalRouteOverrideCriteria: 'Contains' }, staticRoutes },
  };
}

function hubFirewallJson(name: string, hub: string, publicIps: readonly string[]): Json {
  return {
    id: fwId(name), name, type: 'Microsoft.Network/azureFirewalls', location: 'westeurope',
    properties: {
      provisioningState: 'Succeeded', sku: { name: 'AZFW_Hub', tier: 'Standard' }, virtualHub: { id: hubId(hub) }, threatIntelMode: 'Alert',
      hubIPAddresses: { privateIPAddress: '10.255.0.132', publicIPs: { count: publicIps.length, addresses: publicIps.map((address) => ({ address })) } },
      networkRuleCollections: [{ name: 'allow-all', properties: { priority: 100, action: { type: 'Allow' }, rules: [{ name: 'any', protocols: ['Any'], sourceAddresses: ['*'], destinationAddresses: ['*'], destinationPorts: ['*'] }] } }],
      applicationRuleCollections: [], natRuleCollections: [],
    },
  };
}

function routingIntentJson(hub: string, policies: readonly { name: string; destinations: string[]; nextHop: string }[]): Json {
  return {
    id: `${hubId(hub)}/routingIntent/intent`, name: 'intent', type: 'Microsoft.Network/virtualHubs/routingIntent',
    properties: { provisioningState: 'Succeeded', routingPolicies: policies },
  };
}

function resolveArm(resources: readonly Json[]): ResolveResult {
  const { model, effectiveRoutes, gaps } = normalizeArm([{ fileName: 'vwan.json', json: resources }]);
  return resolveEgress({ model, effectiveRoutes, metrics: [], gaps });
}

function at(result: ResolveResult, raw: string): EgressPath {
  const path = result.paths.find((p) => p.source.id === toResourceId(raw));
  if (!path) throw new Error(`no path for ${raw}`);
  return path;
}

function missingFactOf(path: EgressPath): string {
  const reason = terminalOf(path.steps).reason;
  return reason.kind === 'undecided' ? reason.missingFact : `(terminal ${reason.kind})`;
}

const spokeApp = subnetId('vnet-spoke', 'app');

const intentInternet = routingIntentJson('vhub', [{ name: 'InternetTraffic', destinations: ['Internet'], nextHop: fwId('afw-hub') }]);
const intentPrivateOnly = routingIntentJson('vhub', [{ name: 'PrivateTraffic', destinations: ['PrivateTraffic'], nextHop: fwId('afw-hub') }]);
const spokeVnet = vnetJson('vnet-spoke', '10.1.0.0/16', [{ name: 'app', prefix: '10.1.1.0/24' }]);


function defaultRouteTableJson(hub: string, routes: readonly Json[]): Json {
  return {
    id: `${hubId(hub)}/hubRouteTables/defaultRouteTable`, name: 'defaultRouteTable', type: 'Microsoft.Network/virtualHubs/hubRouteTables',
    properties: { provisioningState: 'Succeeded', labels: ['default'], routes },
  };
}

describe('"Propagate default route" (enableInternetSecurity)', () => {
  // [VWAN] https://learn.microsoft.com/azure/virtual-wan/how-to-routing-policies: with an Internet
  // routing policy, 0.0.0.0/0 "is advertised to all connections to the hub ... where the Propagate
  // default route or Enable internet security flag is set to true". An input without the flag does not
  // say which: the spoke goes through the hub firewall or uses its own method.
  it('Internet routing intent, connection without the flag → unknown naming the flag, not default outbound', () => {
    const result = resolveArm([
      spokeVnet, hubJson('vhub', { azureFirewall: { id: fwId('afw-hub') } }),
      connectionJson('vhub', 'conn-spoke', 'vnet-spoke', {}),
      hubFirewallJson('afw-hub', 'vhub', ['20.70.0.1']), intentInternet,
    ]);
    const path = at(result, spokeApp);
    expect(path.verdict).toBe('unknown');
    expect(path.exit).toBeNull();
    expect(missingFactOf(path)).toMatch(/enableInternetSecurity/);
    expect(missingFactOf(path)).toContain('conn-spoke');
  });

  it('the normalizer keeps an absent flag apart from false (null), and reads false as false', () => {
    const { model } = normalizeArm([{ fileName: 'vwan.json', json: [
      spokeVnet, hubJson('vhub'),
      connectionJson('vhub', 'conn-absent', 'vnet-spoke', {}),
      connectionJson('vhub', 'conn-false', 'vnet-spoke', { enableInternetSecurity: false }),
    ] }]);
    const flags = Object.fromEntries((model.virtualHubs[0]?.connections ?? []).map((c) => [c.name, c.enableInternetSecurity]));
    expect(flags).toEqual({ 'conn-absent': null, 'conn-false': false });
  });

  // [VWAN] the hub's 0.0.0.0/0 reaches a connection only when the flag is true: with it false no hub
  // route table can give this spoke 0/0, so its own method (here default outbound) decides.
  it('classic secured hub (firewall, no routing intent), flag false → own method, not unknown', () => {
    const result = resolveArm([
      spokeVnet, hubJson('vhub', { azureFirewall: { id: fwId('afw-hub') } }),
      connectionJson('vhub', 'conn-spoke', 'vnet-spoke', { enableInternetSecurity: false }),
      hubFirewallJson('afw-hub', 'vhub', ['20.70.0.1']),
    ]);
    const path = at(result, spokeApp);
    expect(path.verdict).toBe('internet');
    expect(path.exit).toBe('default-outbound');
  });
});

describe('a 0.0.0.0/0 the hub gives spokes without an Internet routing policy', () => {
  // [VWAN-INDIRECT] https://learn.microsoft.com/azure/virtual-wan/indirect-spoke-architecture ("Basic:
  // Route traffic to indirect spokes or the internet"): a static route 0.0.0.0/0 → 10.3.10.5 on the NVA
  // VNet's connection sends direct spokes' internet traffic "Via Hub 1 NVA". [VWANROUTING]
  // https://learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing: static routes in a VNet
  // connection "steer traffic from the hub through a next hop IP ... of a Network Virtual Appliance
  // (NVA) provisioned in a Spoke". Not modelled as a walk: unknown naming the route and its next hop.
  it('static route 0.0.0.0/0 on the NVA VNet connection (no routing intent) → unknown naming the route and next hop, not default outbound', () => {
    const nvaVnet = vnetJson('vnet-nva', '10.3.0.0/16', [{ name: 'nva', prefix: '10.3.10.0/24' }]);
    const nvaNic = {
      id: `${NET}/networkInterfaces/nva-nic`, name: 'nva-nic', type: 'Microsoft.Network/networkInterfaces', location: 'westeurope',
      properties: { enableIPForwarding: true, ipConfigurations: [{ id: `${NET}/networkInterfaces/nva-nic/ipConfigurations/ipc`, name: 'ipc', properties: { privateIPAddress: '10.3.10.5', privateIPAllocationMethod: 'Static', subnet: { id: subnetId('vnet-nva', 'nva') }, primary: true } }] },
    };
    const result = resolveArm([
      spokeVnet, nvaVnet, nvaNic, hubJson('vhub'),
      connectionJson('vhub', 'conn-spoke', 'vnet-spoke', { enableInternetSecurity: true, routingConfiguration: routingConfiguration('vhub') }),
      connectionJson('vhub', 'conn-nva', 'vnet-nva', { enableInternetSecurity: false, routingConfiguration: routingConfiguration('vhub', [{ name: 'internet', addressPrefixes: ['0.0.0.0/0'], nextHopIpAddress: '10.3.10.5' }]) }),
      defaultRouteTableJson('vhub', []),
    ]);
    const path = at(result, spokeApp);
    expect(path.exit).not.toBe('default-outbound');
    expect(path.findings.map((f) => f.code)).not.toContain('default-outbound');
    expect(path.verdict).toBe('unknown');
    expect(missingFactOf(path)).toContain('static route internet 0.0.0.0/0 → 10.3.10.5 on hub connection conn-nva');
    expect(result.gaps.some((g) => g.code === 'not-modelled' && g.scope === toResourceId(hubId('vhub')))).toBe(true);
  });

  // [VWAN-INET] https://learn.microsoft.com/azure/virtual-wan/about-internet-routing: forced tunnel mode
  // = Private routing policy + 0.0.0.0/0 in "additional prefixes" (a 0/0 route in defaultRouteTable to
  // the security solution). The route table is read: unknown naming its route, not default outbound.
  it('forced-tunnel mode (Private-only routing intent + defaultRouteTable 0/0 → hub firewall) → unknown naming the route table, not default outbound', () => {
    const result = resolveArm([
      spokeVnet, hubJson('vhub', { azureFirewall: { id: fwId('afw-hub') } }),
      connectionJson('vhub', 'conn-spoke', 'vnet-spoke', { enableInternetSecurity: true }),
      hubFirewallJson('afw-hub', 'vhub', ['20.70.0.1']), intentPrivateOnly,
      defaultRouteTableJson('vhub', [
        { name: '_policy_PrivateTraffic', destinationType: 'CIDR', destinations: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'], nextHopType: 'ResourceId', nextHop: fwId('afw-hub') },
        { name: 'private_traffic', destinationType: 'CIDR', destinations: ['0.0.0.0/0'], nextHopType: 'ResourceId', nextHop: fwId('afw-hub') },
      ]),
    ]);
    const path = at(result, spokeApp);
    expect(path.exit).not.toBe('default-outbound');
    expect(path.verdict).toBe('unknown');
    expect(missingFactOf(path)).toContain('route private_traffic 0.0.0.0/0 → afw-hub in hub route table defaultRouteTable');
  });

  // [VWAN] https://learn.microsoft.com/azure/virtual-wan/how-to-routing-policies: "When Private routing
  // policies are configured, you can configure Virtual WAN to route internet-bound traffic to the next
  // hop private routing policy security solution" (a 0/0 in defaultRouteTable [VWAN-INET]). Every hub
  // has a defaultRouteTable [VWANROUTING]: none in the input means not exported, so not known.
  it('Private-only routing intent, hub route tables not in the input, flag true → unknown naming the route tables', () => {
    const result = resolveArm([
      spokeVnet, hubJson('vhub', { azureFirewall: { id: fwId('afw-hub') } }),
      connectionJson('vhub', 'conn-spoke', 'vnet-spoke', { enableInternetSecurity: true }),
      hubFirewallJson('afw-hub', 'vhub', ['20.70.0.1']), intentPrivateOnly,
    ]);
    const path = at(result, spokeApp);
    expect(path.verdict).toBe('unknown');
    expect(missingFactOf(path)).toContain('hub route tables');
  });

  // [VWAN-INET] "Supported sources of the default route": ExpressRoute, Site-to-site VPN, NVA in the hub,
  // NVA in the spoke, static route on a Virtual Network connection; the hub router propagates the 0/0
  // to connections with "Propagate default route" on [VWANROUTING]. What the gateway learns is not in the input.
  it('hub with an ExpressRoute gateway, flag true → unknown naming the gateway', () => {
    const result = resolveArm([
      spokeVnet, hubJson('vhub', { expressRouteGateway: { id: `${NET}/expressRouteGateways/ergw-hub` } }),
      connectionJson('vhub', 'conn-spoke', 'vnet-spoke', { enableInternetSecurity: true, routingConfiguration: routingConfiguration('vhub') }),
      defaultRouteTableJson('vhub', []),
    ]);
    const path = at(result, spokeApp);
    expect(path.verdict).toBe('unknown');
    expect(missingFactOf(path)).toContain('ExpressRoute gateway ergw-hub');
  });

  // The same hub with every source read and none holding 0/0 (no gateway, route tables without 0/0,
  // connection static routes read and empty): no hub 0/0 exists, so the spoke's own method stands
  // [VWAN-INET][VWANROUTING].
  it('route tables read without 0/0, no gateways, no static 0/0, flag true or absent → own method (default outbound)', () => {
    for (const flag of [{ enableInternetSecurity: true }, {}]) {
      const result = resolveArm([
        spokeVnet, hubJson('vhub'),
        connectionJson('vhub', 'conn-spoke', 'vnet-spoke', { ...flag, routingConfiguration: routingConfiguration('vhub') }),
        defaultRouteTableJson('vhub', [{ name: 'to-branch', destinationType: 'CIDR', destinations: ['192.168.0.0/16'], nextHopType: 'ResourceId', nextHop: fwId('afw-hub') }]),
      ]);
      const path = at(result, spokeApp);
      expect(path.verdict).toBe('internet');
      expect(path.exit).toBe('default-outbound');
    }
  });
});

describe('secured hub firewall public IPs', () => {
  // [FWHUB] https://learn.microsoft.com/rest/api/firewall/azure-firewalls/get: hub firewalls list their
  // public IPs in hubIPAddresses.publicIPs.addresses; `count` alone says how many, not which.
  it('publicIPs.count = 2 but no addresses in the input → internet via the hub firewall, no IPs named, a gap names the missing addresses', () => {
    const fw = hubFirewallJson('afw-hub', 'vhub', []);
    ((fw.properties as Json).hubIPAddresses as Json).publicIPs = { count: 2 };
    const result = resolveArm([
      spokeVnet, hubJson('vhub', { azureFirewall: { id: fwId('afw-hub') } }),
      connectionJson('vhub', 'conn-spoke', 'vnet-spoke', { enableInternetSecurity: true }), fw, intentInternet,
    ]);
    const path = at(result, spokeApp);
    expect(path.exit).toBe('public-ip');
    expect(path.egressIps).toEqual([]);
    const gap = result.gaps.find((g) => g.scope === toResourceId(fwId('afw-hub')));
    expect(gap?.message).toMatch(/public IP addresses/);
    expect(gap?.message).toContain('2 by count');
  });

  // [VWAN-INET] https://learn.microsoft.com/azure/virtual-wan/about-internet-routing: "No public IP
  // addresses assigned to Azure Firewall: Azure Firewall processes internet traffic and blackholes"
  // (forced-tunnel mode); for direct access it is not documented → unknown, never internet with no IP.
  it('publicIPs.count = 0 → unknown naming the missing public IP, not "internet via public IP"', () => {
    const result = resolveArm([
      spokeVnet, hubJson('vhub', { azureFirewall: { id: fwId('afw-hub') } }),
      connectionJson('vhub', 'conn-spoke', 'vnet-spoke', { enableInternetSecurity: true }),
      hubFirewallJson('afw-hub', 'vhub', []), intentInternet,
    ]);
    const path = at(result, spokeApp);
    expect(path.verdict).toBe('unknown');
    expect(missingFactOf(path)).toContain('no public IP address');
  });
});

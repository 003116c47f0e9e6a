/**
 * Virtual WAN: where a spoke's 0.0.0.0/0 comes from. The model adds a hub 0/0 for an Internet
 * routing-intent policy, and for a classic secured hub whose only source is a 0/0 → its own firewall
 * in the connection's associated route table; every other documented source (a static route on a hub VNet connection, a
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

function resolveArm(resources: readonly Json[], destination?: string): ResolveResult {
  const { model, effectiveRoutes, gaps } = normalizeArm([{ fileName: 'vwan.json', json: resources }]);
  return resolveEgress({ model, effectiveRoutes, metrics: [], gaps }, destination ? { destination } : {});
}

function at(result: ResolveResult, raw: string): EgressPath {
  const path = result.paths.find((p) => p.source.id === toResourceId(raw) && p.source.type === 'subnet');
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

// ---------------------------------------------------------------------------------------------
// Hub routes for specific prefixes, BGP peerings, NVAs in the hub, pre-existing route tables,
// captured next hops through the hub, a VNet firewall in a spoke (from the Virtual WAN review).
// [VWANROUTING] https://learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing
// [VWAN-INET] https://learn.microsoft.com/azure/virtual-wan/about-internet-routing
// [VWAN-BGP] https://learn.microsoft.com/azure/virtual-wan/scenario-bgp-peering-hub
// [HUBREST] https://learn.microsoft.com/javascript/api/@azure/arm-network/virtualhubproperties
// [FWFT] https://learn.microsoft.com/azure/firewall/forced-tunneling

const securedHub = hubJson('vhub', { azureFirewall: { id: fwId('afw-hub') } });
const hubFw = hubFirewallJson('afw-hub', 'vhub', ['20.70.0.1']);
const nvaVnet = vnetJson('vnet-nva', '10.3.0.0/16', [{ name: 'nva', prefix: '10.3.10.0/24' }]);

function nicJson(name: string, vnet: string, subnet: string, ip: string, extra: Json = {}): Json {
  return { id: `${NET}/networkInterfaces/${name}`, name, type: 'Microsoft.Network/networkInterfaces', location: 'westeurope',
    properties: { ...extra, ipConfigurations: [{ id: `${NET}/networkInterfaces/${name}/ipConfigurations/ipc`, name: 'ipc',
      properties: { privateIPAddress: ip, privateIPAllocationMethod: 'Static', subnet: { id: subnetId(vnet, subnet) }, primary: true } }] } };
}

const nvaNic = nicJson('nva-nic', 'vnet-nva', 'nva', '10.3.10.5', { enableIPForwarding: true });

/** A connection whose routing configuration (static routes included, empty unless given) is in the input, as ARM prints it. */
function readConnection(name: string, vnet: string, props: Json, staticRoutes: readonly Json[] = []): Json {
  return connectionJson('vhub', name, vnet, { routingConfiguration: routingConfiguration('vhub', staticRoutes), ...props });
}

describe('hub routes for prefixes other than 0.0.0.0/0', () => {
  // [VWAN] #staticroute: with routing intent, static routes in the defaultRouteTable that are not
  // 0.0.0.0/0 or the RFC1918 super-nets are consolidated into "private_traffic" → the security
  // solution; [VWANROUTING] "Associating a connection to a route table allows the traffic (from that
  // connection) to be sent to the destination indicated as routes in the route table". Only the 0/0
  // depends on "Propagate default route".
  it('a hub route table route for a non-RFC1918 "private traffic" prefix (40.0.0.0/24 → afw-hub) is applied to the spoke: not "internet via default outbound"', () => {
    const routes = [
      { name: '_policy_PrivateTraffic', destinationType: 'CIDR', destinations: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'], nextHopType: 'ResourceId', nextHop: fwId('afw-hub') },
      { name: 'private_traffic', destinationType: 'CIDR', destinations: ['40.0.0.0/24'], nextHopType: 'ResourceId', nextHop: fwId('afw-hub') },
    ];
    for (const flag of [true, false]) {
      const result = resolveArm([spokeVnet, securedHub, hubFw, intentPrivateOnly,
        readConnection('conn-spoke', 'vnet-spoke', { enableInternetSecurity: flag }), defaultRouteTableJson('vhub', routes)], '40.0.0.10');
      const path = at(result, spokeApp);
      expect(path.exit, `flag ${flag}`).not.toBe('default-outbound');
      expect(path.verdict, `flag ${flag}`).toBe('unknown');
      expect(missingFactOf(path)).toMatch(/40\.0\.0\.0\/24|private_traffic|PrivateTraffic/);
    }
  });

  // [VWANROUTING] static routes on a VNet connection steer hub traffic to a next hop IP; they reach
  // the other connections through the tables the connection propagates to.
  it('a static route for a public prefix on another connection covers the what-if destination → unknown naming it (flag false)', () => {
    const result = resolveArm([spokeVnet, nvaVnet, nvaNic, hubJson('vhub'), defaultRouteTableJson('vhub', []),
      readConnection('conn-spoke', 'vnet-spoke', { enableInternetSecurity: false }),
      readConnection('conn-nva', 'vnet-nva', { enableInternetSecurity: false }, [{ name: 'partner', addressPrefixes: ['52.10.0.0/16'], nextHopIpAddress: '10.3.10.5' }])], '52.10.1.1');
    const path = at(result, spokeApp);
    expect(path.verdict).toBe('unknown');
    expect(missingFactOf(path)).toContain('static route partner 52.10.0.0/16 → 10.3.10.5 on hub connection conn-nva');
  });

  // [HUBREST] virtualHubRouteTableV2s, listed on its own (Microsoft.Network/virtualHubs/routeTables),
  // in lower-case type and PowerShell field casing: the same route.
  it('a pre-existing virtualHubRouteTableV2s route listed on its own (any casing) covers the destination → unknown naming it', () => {
    const v2 = { id: `${hubId('vhub')}/routeTables/legacy-rt`, name: 'legacy-rt', type: 'microsoft.network/virtualhubs/routetables',
      Routes: [{ DestinationType: 'CIDR', Destinations: ['52.20.0.0/16'], NextHopType: 'IPAddress', NextHops: ['10.3.10.5'] }] };
    const result = resolveArm([spokeVnet, hubJson('vhub'), defaultRouteTableJson('vhub', []), readConnection('conn-spoke', 'vnet-spoke', { enableInternetSecurity: true }), v2], '52.20.3.4');
    const path = at(result, spokeApp);
    expect(path.verdict).toBe('unknown');
    expect(missingFactOf(path)).toContain('52.20.0.0/16 → 10.3.10.5');
    expect(missingFactOf(path)).toContain('legacy-rt');
  });

  // The unaffected cases: a destination no hub route covers; a UDR more specific than the hub route;
  // the internet as a whole (a specific prefix says nothing of it, as for a subnet's own UDR).
  it('what no hub route covers, a more specific UDR, and the internet as a whole stay confident', () => {
    const routes = [{ name: 'private_traffic', destinationType: 'CIDR', destinations: ['40.0.0.0/24'], nextHopType: 'ResourceId', nextHop: fwId('afw-hub') }];
    const base = [securedHub, hubFw, intentPrivateOnly, readConnection('conn-spoke', 'vnet-spoke', { enableInternetSecurity: false }), defaultRouteTableJson('vhub', routes)];
    const elsewhere = at(resolveArm([spokeVnet, ...base], '8.8.8.8'), spokeApp);
    expect([elsewhere.verdict, elsewhere.exit]).toEqual(['internet', 'default-outbound']);
    const whole = at(resolveArm([spokeVnet, ...base]), spokeApp);
    expect([whole.verdict, whole.exit]).toEqual(['internet', 'default-outbound']);
    const rt = { id: `${NET}/routeTables/rt-app`, name: 'rt-app', type: 'Microsoft.Network/routeTables', location: 'westeurope',
      properties: { routes: [{ id: `${NET}/routeTables/rt-app/routes/direct`, name: 'direct', properties: { addressPrefix: '40.0.0.0/25', nextHopType: 'Internet' } }] } };
    const withUdr = vnetJson('vnet-spoke', '10.1.0.0/16', [{ name: 'app', prefix: '10.1.1.0/24', extra: { routeTable: { id: `${NET}/routeTables/rt-app` } } }]);
    const udr = at(resolveArm([withUdr, rt, ...base], '40.0.0.10'), spokeApp);
    expect([udr.verdict, udr.exit]).toEqual(['internet', 'default-outbound']);
  });

  // Longest prefix wins for every public address: hub routes that together cover them all (a split
  // default route) take the internet as a whole, whatever "Propagate default route" says (it gates the 0/0).
  it('hub routes 0.0.0.0/1 + 128.0.0.0/1 take the internet as a whole even with the flag false → unknown naming them', () => {
    const routes = [{ name: 'split', destinationType: 'CIDR', destinations: ['0.0.0.0/1', '128.0.0.0/1'], nextHopType: 'ResourceId', nextHop: fwId('afw-hub') }];
    const result = resolveArm([spokeVnet, securedHub, hubFw, readConnection('conn-spoke', 'vnet-spoke', { enableInternetSecurity: false }), defaultRouteTableJson('vhub', routes)]);
    const path = at(result, spokeApp);
    expect(path.verdict).toBe('unknown');
    expect(missingFactOf(path)).toContain('route split 0.0.0.0/1 → afw-hub in hub route table defaultRouteTable');
  });

  // A what-if the spoke's system default route would carry, while the hub's routes for it are not
  // all in the input: its route tables were not exported, or a BGP speaker (an ExpressRoute gateway's
  // branches) may advertise a prefix for it. The flag does not gate specific prefixes.
  it('what-if with the flag false: hub route tables not exported, or a hub ExpressRoute gateway → unknown naming them', () => {
    const unexported = at(resolveArm([spokeVnet, hubJson('vhub'), readConnection('conn-spoke', 'vnet-spoke', { enableInternetSecurity: false })], '52.1.2.3'), spokeApp);
    expect(unexported.verdict).toBe('unknown');
    expect(missingFactOf(unexported)).toContain('hub route tables');
    const er = at(resolveArm([spokeVnet, hubJson('vhub', { expressRouteGateway: { id: `${NET}/expressRouteGateways/ergw-hub` } }), defaultRouteTableJson('vhub', []),
      readConnection('conn-spoke', 'vnet-spoke', { enableInternetSecurity: false })], '52.1.2.3'), spokeApp);
    expect(er.verdict).toBe('unknown');
    expect(missingFactOf(er)).toContain('ExpressRoute gateway ergw-hub');
    // The internet as a whole with the flag false: no hub 0/0 reaches the spoke, its own method stands.
    const whole = at(resolveArm([spokeVnet, hubJson('vhub', { expressRouteGateway: { id: `${NET}/expressRouteGateways/ergw-hub` } }), defaultRouteTableJson('vhub', []),
      readConnection('conn-spoke', 'vnet-spoke', { enableInternetSecurity: false })]), spokeApp);
    expect([whole.verdict, whole.exit]).toEqual(['internet', 'default-outbound']);
  });
});

describe('hub BGP peerings and NVAs in the hub as sources of the hub 0.0.0.0/0', () => {
  const bgpId = `${hubId('vhub')}/bgpConnections/nva-peer`;
  const bgpChild = { id: bgpId, name: 'nva-peer', type: 'Microsoft.Network/virtualHubs/bgpConnections',
    properties: { provisioningState: 'Succeeded', peerIp: '10.3.10.5', peerAsn: 65010, hubVirtualNetworkConnection: { id: `${hubId('vhub')}/hubVirtualNetworkConnections/conn-nva` } } };

  // [VWAN-INET] "Supported sources of the default route": "... NVA in the spoke ..."; [VWAN-BGP] the hub
  // router "exchanges BGP routes with your NVA and propagates them to your virtual network".
  it('hub BGP peering with an NVA in a spoke (bgpConnections) may give the spoke 0.0.0.0/0 → unknown naming it, not default outbound', () => {
    const result = resolveArm([
      spokeVnet, nvaVnet, nvaNic, hubJson('vhub', { bgpConnections: [{ id: bgpId }] }),
      readConnection('conn-spoke', 'vnet-spoke', { enableInternetSecurity: true }),
      readConnection('conn-nva', 'vnet-nva', { enableInternetSecurity: false }),
      defaultRouteTableJson('vhub', []), bgpChild,
    ]);
    const path = at(result, spokeApp);
    expect(path.exit).not.toBe('default-outbound');
    expect(path.verdict).toBe('unknown');
    expect(missingFactOf(path)).toContain('nva-peer');
    expect(missingFactOf(path)).toContain('peer 10.3.10.5, ASN 65010');
  });

  it('the peering read from the hub\'s references alone, or from the child alone in lower-case type and PowerShell casing: unknown; the flag false keeps the own method', () => {
    const common = [spokeVnet, readConnection('conn-spoke', 'vnet-spoke', { enableInternetSecurity: true }), defaultRouteTableJson('vhub', [])];
    const refsOnly = at(resolveArm([...common, hubJson('vhub', { bgpConnections: [{ id: bgpId }] })]), spokeApp);
    expect(refsOnly.verdict).toBe('unknown');
    expect(missingFactOf(refsOnly)).toContain('BGP connection nva-peer');
    const child = { id: bgpId, Name: 'nva-peer', Type: 'microsoft.network/virtualhubs/bgpconnections', PeerIp: '10.3.10.5', PeerAsn: 65010 };
    const childOnly = resolveArm([...common, hubJson('vhub'), child]);
    expect(at(childOnly, spokeApp).verdict).toBe('unknown');
    expect(missingFactOf(at(childOnly, spokeApp))).toContain('nva-peer (peer 10.3.10.5');
    // Read, not ignored: no "not modelled and was ignored" gap for the type.
    expect(childOnly.gaps.some((g) => g.code === 'unsupported-resource-type')).toBe(false);
    const off = at(resolveArm([spokeVnet, readConnection('conn-spoke', 'vnet-spoke', { enableInternetSecurity: false }), defaultRouteTableJson('vhub', []),
      hubJson('vhub', { bgpConnections: [{ id: bgpId }] }), bgpChild]), spokeApp);
    expect([off.verdict, off.exit]).toEqual(['internet', 'default-outbound']);
  });

  it('a hub and its BGP connection exported in two files join without a dispute', () => {
    const { model, gaps } = normalizeArm([
      { fileName: 'hub.json', json: [hubJson('vhub', { bgpConnections: [{ id: bgpId }] })] },
      { fileName: 'bgp.json', json: [bgpChild] },
    ]);
    expect(gaps.filter((g) => g.code === 'skipped-input')).toEqual([]);
    expect(model.virtualHubs[0]?.bgpConnections?.map((c) => c.peerIp)).toEqual(['10.3.10.5']);
    expect(model.virtualHubs[0]?.bgpConnectionIds).toEqual([toResourceId(bgpId)]);
  });

  // [VWAN-INET] "Supported sources of the default route": "... NVA in the hub ...".
  it('an NVA deployed in the hub (networkVirtualAppliances) may give the spoke 0.0.0.0/0 → unknown naming it, not default outbound', () => {
    const nva = { id: `${NET}/networkVirtualAppliances/sdwan`, name: 'sdwan', type: 'Microsoft.Network/networkVirtualAppliances', location: 'westeurope',
      properties: { provisioningState: 'Succeeded', virtualHub: { id: hubId('vhub') }, nvaSku: { vendor: 'barracudasdwanrelease', bundledScaleUnit: '2' }, virtualApplianceAsn: 65222 } };
    const result = resolveArm([spokeVnet, hubJson('vhub'), readConnection('conn-spoke', 'vnet-spoke', { enableInternetSecurity: true }), defaultRouteTableJson('vhub', []), nva]);
    const path = at(result, spokeApp);
    expect(path.exit).not.toBe('default-outbound');
    expect(path.verdict).toBe('unknown');
    expect(missingFactOf(path)).toContain('sdwan');
  });

  it('an NVA flattened in lower-case type joins its hub; flag false keeps the own method; one in no hub, or whose hub is not in the input, is a gap', () => {
    const flat = { id: `${NET}/networkVirtualAppliances/sdwan`, name: 'sdwan', type: 'microsoft.network/networkvirtualappliances', virtualHub: { id: hubId('vhub') } };
    const on = at(resolveArm([spokeVnet, hubJson('vhub'), readConnection('conn-spoke', 'vnet-spoke', {}), defaultRouteTableJson('vhub', []), flat]), spokeApp);
    expect(on.verdict).toBe('unknown');
    expect(missingFactOf(on)).toContain('network virtual appliance sdwan deployed in the hub');
    const off = at(resolveArm([spokeVnet, hubJson('vhub'), readConnection('conn-spoke', 'vnet-spoke', { enableInternetSecurity: false }), defaultRouteTableJson('vhub', []), flat]), spokeApp);
    expect([off.verdict, off.exit]).toEqual(['internet', 'default-outbound']);
    const inVnet = normalizeArm([{ fileName: 'nva.json', json: [{ ...flat, virtualHub: undefined }] }]);
    expect(inVnet.gaps).toEqual([expect.objectContaining({ code: 'not-modelled', scope: toResourceId(flat.id) })]);
    const orphan = normalizeArm([{ fileName: 'nva.json', json: [flat] }]);
    expect(orphan.gaps).toEqual([expect.objectContaining({ code: 'missing-reference', scope: toResourceId(flat.id) })]);
  });

  // [VWAN] an Internet routing policy's next hop may be an NVA or SaaS solution in the hub: in the
  // input, it is not modelled; never "not in the snapshot".
  it('Internet routing intent → NVA in the hub (in the input): unknown naming the NVA, not "not in the snapshot"', () => {
    const nvaId = `${NET}/networkVirtualAppliances/ngfw`;
    const nva = { id: nvaId, name: 'ngfw', type: 'Microsoft.Network/networkVirtualAppliances', location: 'westeurope',
      properties: { provisioningState: 'Succeeded', virtualHub: { id: hubId('vhub') }, nvaSku: { vendor: 'fortinet-ngfw', bundledScaleUnit: '2' } } };
    const result = resolveArm([spokeVnet, hubJson('vhub'), nva, connectionJson('vhub', 'conn-spoke', 'vnet-spoke', { enableInternetSecurity: true, routingConfiguration: routingConfiguration('vhub') }),
      routingIntentJson('vhub', [{ name: 'InternetTraffic', destinations: ['Internet'], nextHop: nvaId }])]);
    const path = at(result, spokeApp);
    expect(path.verdict).toBe('unknown');
    expect(terminalOf(path.steps).reason.kind).toBe('undecided');
    expect(missingFactOf(path)).toContain('ngfw');
    expect(result.gaps.map((g) => g.message).join('\n')).not.toMatch(/not in the snapshot/);
  });
});

describe('pre-existing hub route tables (routeTable, virtualHubRouteTableV2s)', () => {
  // [HUBREST] VirtualHubProperties.routeTable / virtualHubRouteTableV2s; [VWANROUTING] pre-existing
  // route tables are in force until deleted.
  it('a hub whose (pre-existing) routeTable holds 0.0.0.0/0 → 10.3.10.5 is unknown, not default outbound', () => {
    const result = resolveArm([spokeVnet, nvaVnet, nvaNic,
      hubJson('vhub', { routeTable: { routes: [{ addressPrefixes: ['0.0.0.0/0'], nextHopIpAddress: '10.3.10.5' }] } }),
      readConnection('conn-spoke', 'vnet-spoke', { enableInternetSecurity: true }),
      readConnection('conn-nva', 'vnet-nva', { enableInternetSecurity: false }), defaultRouteTableJson('vhub', [])]);
    const path = at(result, spokeApp);
    expect(path.exit).not.toBe('default-outbound');
    expect(path.verdict).toBe('unknown');
    expect(missingFactOf(path)).toContain('10.3.10.5');
  });

  it('an embedded virtualHubRouteTableV2s 0/0 is a source too; empty tables, as ARM prints them on every hub, change nothing', () => {
    const v2 = { name: 'legacy-rt', properties: { routes: [{ destinationType: 'CIDR', destinations: ['0.0.0.0/0'], nextHopType: 'IPAddress', nextHops: ['10.3.10.5'] }] } };
    const withV2 = at(resolveArm([spokeVnet, hubJson('vhub', { virtualHubRouteTableV2s: [v2] }), readConnection('conn-spoke', 'vnet-spoke', { enableInternetSecurity: true }), defaultRouteTableJson('vhub', [])]), spokeApp);
    expect(withV2.verdict).toBe('unknown');
    expect(missingFactOf(withV2)).toContain('route 0.0.0.0/0 → 10.3.10.5 in the hub\'s pre-existing route table legacy-rt');
    const empty = at(resolveArm([spokeVnet, hubJson('vhub', { routeTable: { routes: [] }, virtualHubRouteTableV2s: [] }), readConnection('conn-spoke', 'vnet-spoke', { enableInternetSecurity: true }), defaultRouteTableJson('vhub', [])]), spokeApp);
    expect([empty.verdict, empty.exit]).toEqual(['internet', 'default-outbound']);
  });
});

describe('captured routes through the hub and a VNet firewall in a spoke', () => {
  const capturedSpoke = (nextHop: string, extra: readonly Json[] = []): ResolveResult => {
    const resources = [spokeVnet, nvaVnet, nvaNic, nicJson('vm-nic', 'vnet-spoke', 'app', '10.1.1.4'), securedHub, hubFw,
      readConnection('conn-spoke', 'vnet-spoke', { enableInternetSecurity: true }),
      readConnection('conn-nva', 'vnet-nva', { enableInternetSecurity: false }, [{ name: 'internet', addressPrefixes: ['0.0.0.0/0'], nextHopIpAddress: '10.3.10.5' }]),
      defaultRouteTableJson('vhub', []), ...extra];
    const routes = [
      { source: 'Default', state: 'Active', addressPrefix: ['10.1.0.0/16'], nextHopType: 'VnetLocal', nextHopIpAddress: [] },
      { source: 'Default', state: 'Invalid', addressPrefix: ['0.0.0.0/0'], nextHopType: 'Internet', nextHopIpAddress: [] },
      { source: 'VirtualNetworkGateway', state: 'Active', addressPrefix: ['0.0.0.0/0'], nextHopType: 'VirtualNetworkGateway', nextHopIpAddress: [nextHop] },
    ];
    const { model, effectiveRoutes, gaps } = normalizeArm([{ fileName: 'vwan.json', json: { resources, effectiveRouteTables: { [`${NET}/networkInterfaces/vm-nic`]: routes } } }]);
    return resolveEgress({ model, effectiveRoutes, metrics: [], gaps });
  };

  // [VWANROUTING] static routes on a VNet connection "steer traffic from the hub through a next hop
  // IP, which could be of a Network Virtual Appliance (NVA) provisioned in a Spoke".
  it('captured spoke 0.0.0.0/0 via the hub with next hop 10.3.10.5 (an NVA, static route 0/0 on its connection) is not reported as internet via the hub firewall', () => {
    const path = at(capturedSpoke('10.3.10.5'), spokeApp);
    expect(path.via.map((v) => v.id)).not.toContain(toResourceId(fwId('afw-hub')));
    expect(path.egressIps).not.toContain('20.70.0.1');
    expect(path.via.map((v) => v.id)).toContain(toResourceId(`${NET}/networkInterfaces/nva-nic`));
  });

  it('a captured next hop nothing connected to the hub holds is unknown naming it; the hub firewall\'s own IP still leads to the firewall', () => {
    const elsewhere = at(capturedSpoke('10.255.0.68'), spokeApp);
    expect(elsewhere.verdict).toBe('unknown');
    expect(missingFactOf(elsewhere)).toContain('next hop 10.255.0.68');
    expect(missingFactOf(elsewhere)).toContain('hub\'s own range 10.255.0.0/23');
    const firewall = at(capturedSpoke('10.255.0.132'), spokeApp);
    expect([firewall.exit, firewall.egressIps]).toEqual(['public-ip', ['20.70.0.1']]);
  });

  // [VWAN] #prefixadvertisments and [FWFT]: the firewall must have direct internet connectivity; the
  // hub's 0/0 reaches AzureFirewallSubnet like every other subnet of the connected VNet.
  it('a VNet firewall in a vWAN spoke: when the hub may hand AzureFirewallSubnet 0.0.0.0/0 (flag not in the input, or a route-table 0/0) the path is unknown, not internet via the spoke firewall', () => {
    const rt = { id: `${NET}/routeTables/rt-app`, name: 'rt-app', type: 'Microsoft.Network/routeTables', location: 'westeurope',
      properties: { disableBgpRoutePropagation: false, routes: [{ id: `${NET}/routeTables/rt-app/routes/default`, name: 'default', properties: { addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.1.0.4' } }] } };
    const vnet = vnetJson('vnet-spoke', '10.1.0.0/16', [
      { name: 'app', prefix: '10.1.1.0/24', extra: { routeTable: { id: `${NET}/routeTables/rt-app` } } }, { name: 'AzureFirewallSubnet', prefix: '10.1.0.0/26' }]);
    const pip = { id: `${NET}/publicIPAddresses/fw-pip`, name: 'fw-pip', type: 'Microsoft.Network/publicIPAddresses', location: 'westeurope', sku: { name: 'Standard' }, properties: { ipAddress: '20.60.0.1', publicIPAllocationMethod: 'Static' } };
    const spokeFw = { id: fwId('afw-spoke'), name: 'afw-spoke', type: 'Microsoft.Network/azureFirewalls', location: 'westeurope', properties: { sku: { name: 'AZFW_VNet', tier: 'Standard' },
      ipConfigurations: [{ id: `${fwId('afw-spoke')}/azureFirewallIpConfigurations/ipc`, name: 'ipc', properties: { privateIPAddress: '10.1.0.4', subnet: { id: subnetId('vnet-spoke', 'AzureFirewallSubnet') }, publicIPAddress: { id: `${NET}/publicIPAddresses/fw-pip` } } }],
      networkRuleCollections: [{ name: 'allow-all', properties: { priority: 100, action: { type: 'Allow' }, rules: [{ name: 'any', protocols: ['Any'], sourceAddresses: ['*'], destinationAddresses: ['*'], destinationPorts: ['*'] }] } }],
      applicationRuleCollections: [], natRuleCollections: [] } };
    const allTraffic = defaultRouteTableJson('vhub', [{ name: 'all_traffic', destinationType: 'CIDR', destinations: ['0.0.0.0/0'], nextHopType: 'ResourceId', nextHop: fwId('afw-hub') }]);
    for (const [label, connection, extra] of [
      ['Internet routing intent, flag not in the input', {}, [intentInternet]],
      ['classic secured hub, defaultRouteTable 0/0 → afw-hub, flag true', { enableInternetSecurity: true }, [allTraffic]],
    ] as [string, Json, Json[]][]) {
      const result = resolveArm([vnet, rt, pip, spokeFw, securedHub, hubFw, connectionJson('vhub', 'conn-spoke', 'vnet-spoke', { routingConfiguration: routingConfiguration('vhub'), ...connection }), ...extra]);
      const path = at(result, spokeApp);
      expect(path.egressIps, label).not.toContain('20.60.0.1');
      expect(path.verdict, label).toBe('unknown');
    }
    // The flag false: no hub 0/0 reaches the firewall's subnet, its direct internet access stands.
    const off = at(resolveArm([vnet, rt, pip, spokeFw, securedHub, hubFw, readConnection('conn-spoke', 'vnet-spoke', { enableInternetSecurity: false }), allTraffic]), spokeApp);
    expect([off.verdict, off.egressIps]).toEqual(['internet', ['20.60.0.1']]);
  });
});

describe('a hub whose VNet connections could not be read (connectionsRead false)', () => {
  /** The model as a pull that failed to list vhub's connections leaves it. */
  function unread(resources: readonly Json[], destination?: string): ResolveResult {
    const { model, effectiveRoutes, gaps } = normalizeArm([{ fileName: 'vwan.json', json: resources }]);
    const marked = { ...model, virtualHubs: model.virtualHubs.map((h) => (h.name === 'vhub' ? { ...h, connectionsRead: false } : h)) };
    return resolveEgress({ model: marked, effectiveRoutes, metrics: [], gaps }, destination ? { destination } : {});
  }

  // [VWAN] a connection with the flag gets the hub's 0/0; which VNets the hub connects is the missing fact.
  it('a VNet connected to no read hub is unknown naming the hub (internet, and a private what-if); one connected to a read hub, or with its own gateway, is not', () => {
    const other = vnetJson('vnet-other', '10.2.0.0/16', [{ name: 'app', prefix: '10.2.1.0/24' }]);
    const withGateway = vnetJson('vnet-gw', '10.4.0.0/16', [{ name: 'app', prefix: '10.4.1.0/24' }, { name: 'GatewaySubnet', prefix: '10.4.0.0/27' }]);
    const gateway = { id: `${NET}/virtualNetworkGateways/vgw`, name: 'vgw', type: 'Microsoft.Network/virtualNetworkGateways', location: 'westeurope',
      properties: { gatewayType: 'Vpn', vpnType: 'RouteBased', enableBgp: false, ipConfigurations: [{ id: `${NET}/virtualNetworkGateways/vgw/ipConfigurations/default`, name: 'default', properties: { subnet: { id: subnetId('vnet-gw', 'GatewaySubnet') } } }] } };
    const resources = [spokeVnet, other, withGateway, gateway, securedHub, hubFw, intentInternet, hubJson('vhub-b'), defaultRouteTableJson('vhub-b', []),
      connectionJson('vhub-b', 'conn-other', 'vnet-other', { enableInternetSecurity: false, routingConfiguration: routingConfiguration('vhub-b') })];
    const result = unread(resources);
    const spoke = at(result, spokeApp);
    expect(spoke.verdict).toBe('unknown');
    expect(missingFactOf(spoke)).toContain('connected to virtual hub vhub');
    expect(result.gaps.some((g) => g.code === 'not-modelled' && g.message.includes('VNet connections of virtual hub vhub could not be read'))).toBe(true);
    expect([at(result, subnetId('vnet-other', 'app')).verdict, at(result, subnetId('vnet-other', 'app')).exit]).toEqual(['internet', 'default-outbound']);
    expect([at(result, subnetId('vnet-gw', 'app')).verdict, at(result, subnetId('vnet-gw', 'app')).exit]).toEqual(['internet', 'default-outbound']);
    const onPremises = at(unread(resources, '192.168.5.5'), spokeApp);
    expect(onPremises.verdict).toBe('unknown');
    expect(missingFactOf(onPremises)).toContain('vhub');
    // Read as before when the connections were read (the flag absent: none read).
    expect([at(resolveArm(resources), spokeApp).verdict, at(resolveArm(resources), spokeApp).exit]).toEqual(['internet', 'default-outbound']);
  });
});

/**
 * Second Virtual WAN review (test/audit/vwan-review2.test.ts, copied with the same assertions, and
 * the cases around them). [VWAN] https://learn.microsoft.com/azure/virtual-wan/how-to-routing-policies
 * [VWANROUTING] https://learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing
 * [VWANFAQ] https://learn.microsoft.com/azure/virtual-wan/virtual-wan-faq
 * [UDR] https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview
 */
describe('Virtual WAN review 2: hub routes a branch, another hub or the subnet itself decides', () => {
  const fw = fwId('afw-hub');
  const securedHubWith = (extra: Json = {}): Json => hubJson('vhub', { azureFirewall: { id: fw }, ...extra });
  /** A hub at another address prefix (a second hub of the virtual WAN). */
  const hubAt = (name: string, prefix: string, extra: Json = {}): Json => {
    const hub = hubJson(name, extra);
    const props = hub['properties'] as Json;
    return { ...hub, properties: { ...props, addressPrefix: prefix } };
  };
  /** As ARM prints it: associated with, and propagating to, defaultRouteTable; static routes read. */
  const conn = (hub: string, name: string, vnet: string, props: Json): Json => connectionJson(hub, name, vnet, { routingConfiguration: routingConfiguration(hub), ...props });
  const routeTableJson = (hub: string, name: string, labels: readonly string[], routes: readonly Json[]): Json => ({
    id: `${hubId(hub)}/hubRouteTables/${name}`, name, type: 'Microsoft.Network/virtualHubs/hubRouteTables',
    properties: { provisioningState: 'Succeeded', labels, routes, associatedConnections: [], propagatingConnections: [] },
  });
  const noneTable = (hub: string): Json => routeTableJson(hub, 'noneRouteTable', ['none'], []);
  const publicPolicyRoute = { name: '_policy_PublicTraffic', destinationType: 'CIDR', destinations: ['0.0.0.0/0'], nextHopType: 'ResourceId', nextHop: fw };
  const allTraffic = { name: 'all_traffic', destinationType: 'CIDR', destinations: ['0.0.0.0/0'], nextHopType: 'ResourceId', nextHop: fw };
  const wanJson = (hubs: readonly string[]): Json => ({ id: wanId, name: 'vwan', type: 'Microsoft.Network/virtualWans', location: 'westeurope', properties: { type: 'Standard', virtualHubs: hubs.map((h) => ({ id: hubId(h) })) } });
  const gatewayVariants: readonly [string, Json, string][] = [
    ['site-to-site VPN gateway', { vpnGateway: { id: `${NET}/vpnGateways/vpngw` } }, 'site-to-site VPN gateway vpngw'],
    ['ExpressRoute gateway', { expressRouteGateway: { id: `${NET}/expressRouteGateways/ergw` } }, 'ExpressRoute gateway ergw'],
    ['BGP peering', { bgpConnections: [{ id: `${hubId('vhub')}/bgpConnections/sdwan-peer` }] }, 'BGP connection sdwan-peer'],
  ];

  // Class 1. [VWAN] Internet routing intent: connections propagate to the default label; [VWANROUTING]
  // VPN / ExpressRoute connections propagate their routes; [VWANFAQ] "1. Longest prefix match": a
  // prefix a branch advertises beats the routing-intent 0.0.0.0/0 as it beats the system one.
  it('audit: Internet routing intent (flag true) + hub VPN gateway / ExpressRoute gateway / BGP peer: a public what-if is unknown, not "internet via afw-hub"', () => {
    for (const [label, extra] of gatewayVariants) {
      const result = resolveArm([spokeVnet, securedHubWith(extra), hubFw, intentInternet,
        routeTableJson('vhub', 'defaultRouteTable', ['default'], [publicPolicyRoute]), noneTable('vhub'),
        conn('vhub', 'conn-spoke', 'vnet-spoke', { enableInternetSecurity: true })], '52.1.2.3');
      const path = at(result, spokeApp);
      expect.soft(path.egressIps, label).not.toContain('20.70.0.1');
      expect.soft(path.verdict, label).toBe('unknown');
    }
  });

  it('routing intent (flag true) + a hub gateway or peer: the what-if names it; the whole internet (0.0.0.0/0) still leaves through afw-hub', () => {
    for (const [label, extra, named] of [...gatewayVariants, ['NVA in the hub', {}, 'network virtual appliance sdwan'] as const]) {
      const nva = label === 'NVA in the hub'
        ? [{ id: `${NET}/networkVirtualAppliances/sdwan`, name: 'sdwan', type: 'Microsoft.Network/networkVirtualAppliances', location: 'westeurope', properties: { virtualHub: { id: hubId('vhub') }, nvaSku: { vendor: 'barracudasdwanrelease' } } }]
        : [];
      const resources = [spokeVnet, securedHubWith(extra), hubFw, intentInternet, ...nva,
        routeTableJson('vhub', 'defaultRouteTable', ['default'], [publicPolicyRoute]), noneTable('vhub'),
        conn('vhub', 'conn-spoke', 'vnet-spoke', { enableInternetSecurity: true })];
      const whatIf = at(resolveArm(resources, '52.1.2.3'), spokeApp);
      expect(whatIf.verdict, label).toBe('unknown');
      expect(missingFactOf(whatIf), label).toContain(named);
      expect(missingFactOf(whatIf), label).toContain('Routing intent (vhub)');
      const whole = at(resolveArm(resources), spokeApp);
      expect([whole.verdict, whole.exit, whole.egressIps], label).toEqual(['internet', 'public-ip', ['20.70.0.1']]);
    }
  });

  // Class 2. [VWANROUTING] "When users propagate connection routes to 'Default' label, it automatically
  // applies to all the Default Route Tables across every hub in the virtual WAN"; hubs "announce routes
  // to each other ... this only applies to dynamic routing". [VWAN] the 0/0 does not cross hubs.
  it('audit: a spoke of vhub-a (flag false, all read): a public what-if while vhub-b of the same virtual WAN has an ExpressRoute / VPN gateway is unknown, not default outbound', () => {
    const variants: [string, Json][] = [
      ['ExpressRoute gateway', { expressRouteGateway: { id: `${NET}/expressRouteGateways/ergw-b` } }],
      ['site-to-site VPN gateway', { vpnGateway: { id: `${NET}/vpnGateways/vpngw-b` } }],
    ];
    for (const [label, extra] of variants) {
      const result = resolveArm([spokeVnet, hubJson('vhub'), hubAt('vhub-b', '10.254.0.0/23', extra),
        routeTableJson('vhub', 'defaultRouteTable', ['default'], []), noneTable('vhub'), routeTableJson('vhub-b', 'defaultRouteTable', ['default'], []),
        conn('vhub', 'conn-spoke', 'vnet-spoke', { enableInternetSecurity: false }), wanJson(['vhub', 'vhub-b'])],
      '52.1.2.3');
      const path = at(result, spokeApp);
      expect.soft(path.exit, label).not.toBe('default-outbound');
      expect.soft(path.verdict, label).toBe('unknown');
      expect.soft(missingFactOf(path), label).toMatch(/vhub-b|ergw-b|vpngw-b/);
    }
  });

  it('another hub: its BGP peer counts too; its static routes, its 0.0.0.0/0 sources and a hub of another virtual WAN do not', () => {
    const base = [spokeVnet, routeTableJson('vhub', 'defaultRouteTable', ['default'], []), noneTable('vhub'), routeTableJson('vhub-b', 'defaultRouteTable', ['default'], []),
      conn('vhub', 'conn-spoke', 'vnet-spoke', { enableInternetSecurity: true })];
    const ergwB = { expressRouteGateway: { id: `${NET}/expressRouteGateways/ergw-b` } };
    // A BGP peering of vhub-b's router: dynamic routes, announced to vhub.
    const peered = at(resolveArm([...base, hubJson('vhub'), hubAt('vhub-b', '10.254.0.0/23', { bgpConnections: [{ id: `${hubId('vhub-b')}/bgpConnections/peer-b` }] })], '52.1.2.3'), spokeApp);
    expect(peered.verdict).toBe('unknown');
    expect(missingFactOf(peered)).toContain('virtual hub vhub-b of the same virtual WAN: BGP connection peer-b');
    // The whole internet: vhub-b's gateway may learn a 0/0, which does not cross hubs.
    expect([at(resolveArm([...base, hubJson('vhub'), hubAt('vhub-b', '10.254.0.0/23', ergwB)]), spokeApp).verdict]).toEqual(['internet']);
    // A static route for 52.0.0.0/8 on a connection of vhub-b: static routes stay in their hub.
    const nvaB = vnetJson('vnet-b', '10.2.0.0/16', [{ name: 'app', prefix: '10.2.1.0/24' }]);
    const staticB = connectionJson('vhub-b', 'conn-b', 'vnet-b', { enableInternetSecurity: false, routingConfiguration: routingConfiguration('vhub-b', [{ name: 'partner', addressPrefixes: ['52.0.0.0/8'], nextHopIpAddress: '10.2.1.4' }]) });
    const withStatic = at(resolveArm([...base, nvaB, staticB, hubJson('vhub'), hubAt('vhub-b', '10.254.0.0/23')], '52.1.2.3'), spokeApp);
    expect([withStatic.verdict, withStatic.exit]).toEqual(['internet', 'default-outbound']);
    // A hub of another virtual WAN does not exchange routes with vhub.
    const otherWan = hubAt('vhub-b', '10.254.0.0/23', { ...ergwB, virtualWan: { id: `${NET}/virtualWans/other-wan` } });
    const apart = at(resolveArm([...base, hubJson('vhub'), otherWan], '52.1.2.3'), spokeApp);
    expect([apart.verdict, apart.exit]).toEqual(['internet', 'default-outbound']);
    // A hub whose virtual WAN the input does not give may share vhub's.
    const props = (hubAt('vhub-b', '10.254.0.0/23', ergwB)['properties'] ?? {}) as Json;
    const { virtualWan: _dropped, ...withoutWan } = props;
    const unsure = at(resolveArm([...base, hubJson('vhub'), { ...hubAt('vhub-b', '10.254.0.0/23'), properties: withoutWan }], '52.1.2.3'), spokeApp);
    expect(unsure.verdict).toBe('unknown');
    expect(missingFactOf(unsure)).toContain('the input does not say whether it is in the same virtual WAN');
  });

  // Class 3. [VWAN] "To ensure the spoke Virtual Network learns routes from Virtual WAN, ensure
  // "Propagate gateway routes" is set to "Yes""; [UDR] disableBgpRoutePropagation stops gateway routes.
  it('audit: subnet route table with "Propagate gateway routes" = No: hub routes, hub gateways and an unread hub do not make its path unknown', () => {
    const rt = { id: `${NET}/routeTables/rt-app`, name: 'rt-app', type: 'Microsoft.Network/routeTables', location: 'westeurope', properties: { disableBgpRoutePropagation: true, routes: [] } };
    const vnet = vnetJson('vnet-spoke', '10.1.0.0/16', [{ name: 'app', prefix: '10.1.1.0/24', extra: { routeTable: { id: rt.id } } }]);
    const partner = routeTableJson('vhub', 'defaultRouteTable', ['default'], [{ name: 'partner', destinationType: 'CIDR', destinations: ['52.0.0.0/8'], nextHopType: 'ResourceId', nextHop: fw }]);
    const cases: [string, readonly Json[], string | undefined][] = [
      ['hub route 52.0.0.0/8 → afw-hub, flag false', [securedHubWith(), hubFw, partner, conn('vhub', 'conn-spoke', 'vnet-spoke', { enableInternetSecurity: false })], '52.1.2.3'],
      ['hub route 52.0.0.0/8 → afw-hub, flag true', [securedHubWith(), hubFw, partner, conn('vhub', 'conn-spoke', 'vnet-spoke', { enableInternetSecurity: true })], '52.1.2.3'],
      ['hub VPN gateway, flag false', [hubJson('vhub', { vpnGateway: { id: `${NET}/vpnGateways/vpngw` } }), routeTableJson('vhub', 'defaultRouteTable', ['default'], []),
        conn('vhub', 'conn-spoke', 'vnet-spoke', { enableInternetSecurity: false })], '8.8.8.8'],
    ];
    for (const [label, hubResources, destination] of cases) {
      const path = at(resolveArm([vnet, rt, ...hubResources], destination), spokeApp);
      expect.soft([path.verdict, path.exit], label).toEqual(['internet', 'default-outbound']);
    }
    const { model, effectiveRoutes, gaps } = normalizeArm([{ fileName: 'vwan.json', json: [vnet, rt, securedHubWith(), hubFw, intentInternet] }]);
    const marked = { ...model, virtualHubs: model.virtualHubs.map((h) => ({ ...h, connectionsRead: false })) };
    const whole = at(resolveEgress({ model: marked, effectiveRoutes, metrics: [], gaps }), spokeApp);
    expect.soft([whole.verdict, whole.exit], 'unread hub, internet').toEqual(['internet', 'default-outbound']);
    const none = at(resolveEgress({ model: marked, effectiveRoutes, metrics: [], gaps }, { destination: '10.9.9.9' }), spokeApp);
    expect.soft(none.verdict, 'unread hub, 10.9.9.9 on the system None route').toBe('dropped');
  });

  it('"Propagate gateway routes" = No: no routing-intent 0/0 (flag true or not given), no classic firewall 0/0; a subnet of the same VNet that propagates still asks', () => {
    const rt = { id: `${NET}/routeTables/rt-app`, name: 'rt-app', type: 'Microsoft.Network/routeTables', location: 'westeurope', properties: { disableBgpRoutePropagation: true, routes: [] } };
    const vnet = vnetJson('vnet-spoke', '10.1.0.0/16', [{ name: 'app', prefix: '10.1.1.0/24', extra: { routeTable: { id: rt.id } } }, { name: 'web', prefix: '10.1.2.0/24' }]);
    const intentTables = [routeTableJson('vhub', 'defaultRouteTable', ['default'], [publicPolicyRoute]), noneTable('vhub')];
    for (const [label, resources] of [
      ['routing intent, flag true', [securedHubWith(), hubFw, intentInternet, ...intentTables, conn('vhub', 'conn-spoke', 'vnet-spoke', { enableInternetSecurity: true })]],
      ['routing intent, flag not given', [securedHubWith(), hubFw, intentInternet, ...intentTables, conn('vhub', 'conn-spoke', 'vnet-spoke', {})]],
      ['classic secured hub, all_traffic → afw-hub', [securedHubWith(), hubFw, routeTableJson('vhub', 'defaultRouteTable', ['default'], [allTraffic]), noneTable('vhub'), conn('vhub', 'conn-spoke', 'vnet-spoke', { enableInternetSecurity: true })]],
    ] as const) {
      for (const destination of [undefined, '8.8.8.8']) {
        const path = at(resolveArm([vnet, rt, ...resources], destination), spokeApp);
        expect([path.verdict, path.exit], `${label} ${destination ?? ''}`).toEqual(['internet', 'default-outbound']);
      }
    }
    // The web subnet (no route table) learns the hub's routes: the flag not given is the question.
    const web = at(resolveArm([vnet, rt, securedHubWith(), hubFw, intentInternet, ...intentTables, conn('vhub', 'conn-spoke', 'vnet-spoke', {})]), subnetId('vnet-spoke', 'web'));
    expect(web.verdict).toBe('unknown');
    expect(missingFactOf(web)).toContain('enableInternetSecurity');
  });

  // Class 4. [VWANROUTING] "Associating a connection to a route table allows the traffic (from that
  // connection) to be sent to the destination indicated as routes in the route table"; [VWANFAQ] the
  // hub propagates the default route "if it is already learned by the Virtual WAN hub as a result of
  // deploying a firewall in the hub" to connections with the flag enabled.
  it('audit: classic secured hub, route tables read: defaultRouteTable all_traffic 0.0.0.0/0 → afw-hub, connection associated to it with the flag true → internet via afw-hub', () => {
    const table = routeTableJson('vhub', 'defaultRouteTable', ['default'], [allTraffic]);
    const path = at(resolveArm([spokeVnet, securedHubWith(), hubFw, table, noneTable('vhub'), conn('vhub', 'conn-spoke', 'vnet-spoke', { enableInternetSecurity: true })]), spokeApp);
    expect([path.verdict, path.exit, path.egressIps]).toEqual(['internet', 'public-ip', ['20.70.0.1']]);
  });

  it('classic secured hub: the route shows in the trail and a what-if leaves through afw-hub too', () => {
    const resources = [spokeVnet, securedHubWith(), hubFw, routeTableJson('vhub', 'defaultRouteTable', ['default'], [allTraffic]), noneTable('vhub'), conn('vhub', 'conn-spoke', 'vnet-spoke', { enableInternetSecurity: true })];
    const path = at(resolveArm(resources, '8.8.8.8'), spokeApp);
    expect([path.verdict, path.exit, path.egressIps]).toEqual(['internet', 'public-ip', ['20.70.0.1']]);
    const route = path.steps.find((s) => s.kind === 'route');
    expect(route?.kind === 'route' ? route.route.name : null).toBe('Route all_traffic in hub route table defaultRouteTable (vhub)');
  });

  it('classic secured hub: another 0/0 source, the association elsewhere or not given, the flag not given or false decide otherwise', () => {
    const tables = [routeTableJson('vhub', 'defaultRouteTable', ['default'], [allTraffic]), noneTable('vhub')];
    const associatedTo = (table: string): Json => ({ ...routingConfiguration('vhub'), associatedRouteTable: { id: `${hubId('vhub')}/hubRouteTables/${table}` } });
    const { associatedRouteTable: _associated, ...noAssociation } = routingConfiguration('vhub');
    const run = (hub: Json, connection: Json, extra: readonly Json[] = tables): EgressPath => at(resolveArm([spokeVnet, hub, hubFw, ...extra, connection]), spokeApp);
    // A VPN gateway may learn a 0/0 too: unknown naming both.
    const vpn = run(securedHubWith({ vpnGateway: { id: `${NET}/vpnGateways/vpngw` } }), conn('vhub', 'conn-spoke', 'vnet-spoke', { enableInternetSecurity: true }));
    expect(vpn.verdict).toBe('unknown');
    expect(missingFactOf(vpn)).toContain('route all_traffic 0.0.0.0/0 → afw-hub in hub route table defaultRouteTable');
    expect(missingFactOf(vpn)).toContain('site-to-site VPN gateway vpngw');
    // Associated with noneRouteTable: the defaultRouteTable's 0/0 does not reach it; nothing else may.
    const elsewhere = run(securedHubWith(), connectionJson('vhub', 'conn-spoke', 'vnet-spoke', { enableInternetSecurity: true, routingConfiguration: associatedTo('noneRouteTable') }));
    expect([elsewhere.verdict, elsewhere.exit]).toEqual(['internet', 'default-outbound']);
    // The association not in the input: the 0/0 may reach it.
    const unsaid = run(securedHubWith(), connectionJson('vhub', 'conn-spoke', 'vnet-spoke', { enableInternetSecurity: true, routingConfiguration: noAssociation }));
    expect(unsaid.verdict).toBe('unknown');
    expect(missingFactOf(unsaid)).toContain('route all_traffic 0.0.0.0/0 → afw-hub');
    // Associated with a table that is not in the input: which routes it holds is not known.
    const custom = run(securedHubWith(), connectionJson('vhub', 'conn-spoke', 'vnet-spoke', { enableInternetSecurity: true, routingConfiguration: associatedTo('rt-custom') }));
    expect(custom.verdict).toBe('unknown');
    expect(missingFactOf(custom)).toContain('route table rt-custom, which hub connection conn-spoke is associated with');
    // The flag not given: the question names it; false: the spoke's own method.
    const flagless = run(securedHubWith(), conn('vhub', 'conn-spoke', 'vnet-spoke', {}));
    expect(flagless.verdict).toBe('unknown');
    expect(missingFactOf(flagless)).toContain('enableInternetSecurity');
    const off = run(securedHubWith(), conn('vhub', 'conn-spoke', 'vnet-spoke', { enableInternetSecurity: false }));
    expect([off.verdict, off.exit]).toEqual(['internet', 'default-outbound']);
    // A 0/0 to something other than the hub's own firewall stays a question.
    const toNva = run(securedHubWith(), conn('vhub', 'conn-spoke', 'vnet-spoke', { enableInternetSecurity: true }),
      [routeTableJson('vhub', 'defaultRouteTable', ['default'], [{ ...allTraffic, nextHop: `${hubId('vhub')}/hubVirtualNetworkConnections/conn-nva` }]), noneTable('vhub')]);
    expect(toNva.verdict).toBe('unknown');
  });
});

describe('Virtual WAN review 3: the secured-hub NAT gateway finding, and each spoke\'s own connection', () => {
  const fw = fwId('afw-hub');
  const assocConfiguration = (table: string): Json => ({ associatedRouteTable: { id: `${hubId('vhub')}/hubRouteTables/${table}` },
    propagatedRouteTables: { labels: ['default'], ids: [{ id: `${hubId('vhub')}/hubRouteTables/defaultRouteTable` }] },
    vnetRoutes: { staticRoutesConfig: { propagateStaticRoutes: true, vnetLocalRouteOverrideCriteria: 'Contains' }, staticRoutes: [] } });
  const conn = (name: string, vnet: string, table = 'defaultRouteTable'): Json => connectionJson('vhub', name, vnet, { enableInternetSecurity: true, routingConfiguration: assocConfiguration(table) });
  const table = (name: string, labels: readonly string[], routes: readonly Json[]): Json => ({
    id: `${hubId('vhub')}/hubRouteTables/${name}`, name, type: 'Microsoft.Network/virtualHubs/hubRouteTables',
    properties: { provisioningState: 'Succeeded', labels, routes, associatedConnections: [], propagatingConnections: [] } });
  const allTraffic = { name: 'all_traffic', destinationType: 'CIDR', destinations: ['0.0.0.0/0'], nextHopType: 'ResourceId', nextHop: fw };
  const securedHubJson = hubJson('vhub', { azureFirewall: { id: fw } });
  /** A classic secured hub (Firewall Manager's all_traffic 0/0 → the hub firewall, no routing intent), without the spoke. */
  const classicHub = (): Json[] => [securedHubJson, hubFirewallJson('afw-hub', 'vhub', ['20.70.0.1']), table('defaultRouteTable', ['default'], [allTraffic]), table('noneRouteTable', ['none'], [])];
  const ngPip = { id: `${NET}/publicIPAddresses/pip-ng`, name: 'pip-ng', type: 'Microsoft.Network/publicIPAddresses', location: 'westeurope', sku: { name: 'Standard' }, properties: { ipAddress: '20.9.9.9', publicIPAllocationMethod: 'Static' } };
  const ng = { id: `${NET}/natGateways/ng-spoke`, name: 'ng-spoke', type: 'Microsoft.Network/natGateways', location: 'westeurope', sku: { name: 'Standard' }, properties: { publicIpAddresses: [{ id: ngPip.id }], subnets: [{ id: spokeApp }] } };
  const natSpoke = (extra: Json = {}): Json => vnetJson('vnet-spoke', '10.1.0.0/16', [{ name: 'app', prefix: '10.1.1.0/24', extra: { natGateway: { id: ng.id }, ...extra } }]);

  // [NATRES] https://learn.microsoft.com/azure/nat-gateway/nat-gateway-resource "Azure NAT Gateway isn't
  // supported in a secured virtual hub network (vWAN) architecture": a classic secured hub is one.
  it('classic secured hub + spoke NAT gateway → secured-hub-nat-gateway finding, as with routing intent', () => {
    const result = resolveArm([natSpoke(), ngPip, ng, ...classicHub(), conn('conn-spoke', 'vnet-spoke')]);
    const path = at(result, spokeApp);
    expect([path.verdict, path.exit, path.egressIps]).toEqual(['internet', 'public-ip', ['20.70.0.1']]);
    expect(result.findings.map((f) => f.code)).toContain('secured-hub-nat-gateway');
  });

  // [UDR] a UDR beats a gateway route for the same prefix
  // https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#how-azure-selects-a-route:
  // the hub's 0/0 does not take the subnet's traffic, and the finding must not say it does.
  it('classic secured hub + NAT gateway + a subnet UDR 0/0 to the internet: the NAT gateway is the exit, no finding', () => {
    const rt = { id: `${NET}/routeTables/rt-app`, name: 'rt-app', type: 'Microsoft.Network/routeTables', location: 'westeurope',
      properties: { routes: [{ id: `${NET}/routeTables/rt-app/routes/inet`, name: 'inet', properties: { addressPrefix: '0.0.0.0/0', nextHopType: 'Internet' } }] } };
    const result = resolveArm([natSpoke({ routeTable: { id: rt.id } }), rt, ngPip, ng, ...classicHub(), conn('conn-spoke', 'vnet-spoke')]);
    expect(at(result, spokeApp)).toMatchObject({ verdict: 'internet', exit: 'nat-gateway', egressIps: ['20.9.9.9'] });
    expect(result.findings.map((f) => f.code)).not.toContain('secured-hub-nat-gateway');
  });

  // [VWAN] https://learn.microsoft.com/azure/virtual-wan/how-to-routing-policies "To ensure the spoke
  // Virtual Network learns routes from Virtual WAN, ensure "Propagate gateway routes" is set to "Yes"":
  // the subnet's route table not in the input leaves that open; the path says so, the finding must not assert it.
  it('routing intent + spoke NAT gateway + the subnet route table missing from the input: no confident secured-hub-nat-gateway finding', () => {
    const intent = routingIntentJson('vhub', [{ name: 'InternetTraffic', destinations: ['Internet'], nextHop: fw }]);
    const result = resolveArm([natSpoke({ routeTable: { id: `${NET}/routeTables/rt-missing` } }), ngPip, ng, securedHubJson, hubFirewallJson('afw-hub', 'vhub', ['20.70.0.1']), intent, conn('conn-spoke', 'vnet-spoke')]);
    expect(at(result, spokeApp).verdict).toBe('unknown');
    expect(result.findings.map((f) => f.code)).not.toContain('secured-hub-nat-gateway');
    // With the route table in the input (propagating), the finding stands.
    const rt = { id: `${NET}/routeTables/rt-missing`, name: 'rt-missing', type: 'Microsoft.Network/routeTables', location: 'westeurope', properties: { routes: [], disableBgpRoutePropagation: false } };
    const whole = resolveArm([natSpoke({ routeTable: { id: rt.id } }), rt, ngPip, ng, securedHubJson, hubFirewallJson('afw-hub', 'vhub', ['20.70.0.1']), intent, conn('conn-spoke', 'vnet-spoke')]);
    expect(whole.findings.map((f) => f.code)).toContain('secured-hub-nat-gateway');
  });

  // [VWANROUTING] https://learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing "Associating a
  // connection to a route table allows the traffic (from that connection) to be sent to the destination
  // indicated as routes in the route table": each spoke's missing fact names its own connection.
  it('two spokes associated with the same missing hub route table: each missing fact names its own connection', () => {
    const vnetB = vnetJson('vnet-b', '10.2.0.0/16', [{ name: 'app', prefix: '10.2.1.0/24' }]);
    const result = resolveArm([spokeVnet, ...classicHub(), vnetB, conn('conn-a', 'vnet-spoke', 'rt-custom'), conn('conn-b', 'vnet-b', 'rt-custom')]);
    const a = at(result, spokeApp);
    const b = at(result, subnetId('vnet-b', 'app'));
    expect([a.verdict, b.verdict]).toEqual(['unknown', 'unknown']);
    expect(missingFactOf(a)).toContain('route table rt-custom, which hub connection conn-a is associated with');
    expect(missingFactOf(b)).toContain('route table rt-custom, which hub connection conn-b is associated with');
    expect(missingFactOf(a)).not.toContain('conn-b is associated');
  });

  // [VWAN-INET] https://learn.microsoft.com/azure/virtual-wan/about-internet-routing "Supported sources of
  // the default route" include an NVA in the hub and an NVA in a spoke (a BGP peer of the hub router):
  // a hub whose NVAs or BGP connections a pull could not read may have one.
  it('a classic secured hub whose NVAs or BGP connections could not be read: the spoke is unknown naming them, not the hub firewall', () => {
    const { model, effectiveRoutes, gaps } = normalizeArm([{ fileName: 'vwan.json', json: [spokeVnet, ...classicHub(), conn('conn-spoke', 'vnet-spoke')] }]);
    const withHub = (mark: Json) => resolveEgress({ model: { ...model, virtualHubs: model.virtualHubs.map((h) => ({ ...h, ...mark })) }, effectiveRoutes, metrics: [], gaps });
    expect(at(withHub({}), spokeApp)).toMatchObject({ verdict: 'internet', egressIps: ['20.70.0.1'] });
    const nvas = at(withHub({ nvasRead: false }), spokeApp);
    expect(nvas.verdict).toBe('unknown');
    expect(missingFactOf(nvas)).toContain('network virtual appliances deployed in the hub');
    const bgp = at(withHub({ bgpConnectionsRead: false }), spokeApp);
    expect(bgp.verdict).toBe('unknown');
    expect(missingFactOf(bgp)).toContain('BGP connections of the hub router');
  });
});

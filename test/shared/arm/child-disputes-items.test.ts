/**
 * Copies of child items (a route, an NSG rule, an IP configuration, routing intent) from different
 * files, in the shapes ARM and az print them (see child-disputes.test.ts for the gap's wording):
 * a child item is mapped whole, so a list its mapper omits (source ports that are `*`, no ASGs) is
 * empty, and disagrees with a non-empty one; values differing only as ARM does not tell apart
 * (casing of an enum, a field older api-versions omit) are no disagreement; and agreeing exports
 * keep merging silently.
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm';
import { asAzOutput } from './helpers';

const SUB = '/subscriptions/33333333-3333-3333-3333-333333333333';
const NET = `${SUB}/resourceGroups/rg-Net/providers/Microsoft.Network`;
const RT = `${NET}/routeTables/rt-1`;
const NSG = `${NET}/networkSecurityGroups/nsg-app`;
const NIC = `${NET}/networkInterfaces/vm1-nic`;
const SUBNET = `${NET}/virtualNetworks/vnet-spoke/subnets/app`;
const HUB = `${NET}/virtualHubs/hub-we`;
const FW = `${NET}/azureFirewalls/fw-hub`;

// ---------------------------------------------------------------------------------------------
// Shapes as ARM (REST, Resource Graph) prints them; `asAzOutput` gives what az prints.

function route(name: string, props: Record<string, unknown>, standalone = false) {
  return {
    id: `${RT}/routes/${name}`, name, etag: 'W/"1"',
    ...(standalone ? { type: 'Microsoft.Network/routeTables/routes' } : {}),
    properties: { provisioningState: 'Succeeded', addressPrefix: '0.0.0.0/0', ...props },
  };
}

function routeTable(routes: readonly unknown[]) {
  return {
    id: RT, name: 'rt-1', type: 'Microsoft.Network/routeTables', location: 'westeurope', etag: 'W/"1"',
    properties: { provisioningState: 'Succeeded', disableBgpRoutePropagation: false, routes },
  };
}

function rule(name: string, props: Record<string, unknown>, standalone = false, isDefault = false) {
  const segment = isDefault ? 'defaultSecurityRules' : 'securityRules';
  return {
    id: `${NSG}/${segment}/${name}`, name, etag: 'W/"1"',
    ...(standalone ? { type: `Microsoft.Network/networkSecurityGroups/${segment}` } : {}),
    properties: {
      provisioningState: 'Succeeded', priority: 4000, direction: 'Outbound', access: 'Deny', protocol: '*',
      sourceAddressPrefix: '*', sourceAddressPrefixes: [], sourcePortRange: '*', sourcePortRanges: [],
      destinationAddressPrefix: 'Internet', destinationAddressPrefixes: [], destinationPortRange: '*', destinationPortRanges: [],
      ...props,
    },
  };
}

const DEFAULT_RULES = [
  rule('AllowVnetOutBound', { priority: 65000, access: 'Allow', sourceAddressPrefix: 'VirtualNetwork', destinationAddressPrefix: 'VirtualNetwork' }, false, true),
  rule('AllowInternetOutBound', { priority: 65001, access: 'Allow', destinationAddressPrefix: 'Internet' }, false, true),
  rule('DenyAllOutBound', { priority: 65500, access: 'Deny', destinationAddressPrefix: '*' }, false, true),
];

function nsg(securityRules: readonly unknown[], defaultSecurityRules: readonly unknown[] = DEFAULT_RULES) {
  return {
    id: NSG, name: 'nsg-app', type: 'Microsoft.Network/networkSecurityGroups', location: 'westeurope', etag: 'W/"1"',
    properties: { provisioningState: 'Succeeded', securityRules, defaultSecurityRules },
  };
}

function ipConfig(props: Record<string, unknown>, standalone = false) {
  return {
    id: `${NIC}/ipConfigurations/ipconfig1`, name: 'ipconfig1', etag: 'W/"1"',
    ...(standalone ? { type: 'Microsoft.Network/networkInterfaces/ipConfigurations' } : {}),
    properties: {
      provisioningState: 'Succeeded', privateIPAddress: '10.20.1.4', privateIPAllocationMethod: 'Dynamic', privateIPAddressVersion: 'IPv4',
      primary: true, subnet: { id: SUBNET }, ...props,
    },
  };
}

function nic(configs: readonly unknown[]) {
  return {
    id: NIC, name: 'vm1-nic', type: 'Microsoft.Network/networkInterfaces', location: 'westeurope', etag: 'W/"1"',
    properties: { provisioningState: 'Succeeded', ipConfigurations: configs, enableIPForwarding: false },
  };
}

const skipped = (gaps: readonly { readonly code: string }[]) => gaps.filter((g) => g.code === 'skipped-input');

// ---------------------------------------------------------------------------------------------

describe('child items whose copies disagree about a list one copy omits (none is empty), or a whole intent', () => {
  it('an NSG rule whose source ports changed (* → 1024-65535) in the other file is a disagreement', () => {
    // `sourcePortRanges` is set on the mapped rule only when it restricts the port (map-security.ts):
    // the `*` copy has none, which for a child item mapped whole means "any", not "not said".
    const wide = rule('deny-internet', {});
    const narrow = rule('deny-internet', { sourcePortRange: '1024-65535' }, true);
    const result = normalizeArm([
      { fileName: 'nsgs.json', json: { value: [nsg([wide])] } },
      { fileName: 'rule.json', json: asAzOutput(narrow) },
    ]);
    expect(result.model.networkSecurityGroups).toEqual([]);
    expect(skipped(result.gaps)).toHaveLength(1);
    expect(skipped(result.gaps)[0]).toMatchObject({ message: expect.stringContaining('sourcePortRanges of ') as unknown });
  });

  it('the same rule listed on its own in both files, source ports differing, is a disagreement', () => {
    const result = normalizeArm([
      { fileName: 'nsg.json', json: nsg([]) },
      { fileName: 'rules-a.json', json: [asAzOutput(rule('deny-internet', {}, true))] },
      { fileName: 'rules-b.json', json: [asAzOutput(rule('deny-internet', { sourcePortRange: '1024-65535' }, true))] },
    ]);
    expect(result.model.networkSecurityGroups).toEqual([]);
    expect(skipped(result.gaps)).toHaveLength(1);
  });

  it('an NSG rule whose application security group was removed in the other file is a disagreement', () => {
    const asg = `${NET}/applicationSecurityGroups/asg-web`;
    // ARM omits an ASG list that is empty; the mapper sets `destinationApplicationSecurityGroupIds` only when non-empty.
    const withAsg = rule('deny-internet', { sourceAddressPrefix: undefined, sourceApplicationSecurityGroups: [{ id: asg }] });
    // Azure requires a source on every rule (prefix, prefixes or ASGs): without the ASG, the copy has a prefix.
    const withoutAsg = rule('deny-internet', {}, true);
    const result = normalizeArm([
      { fileName: 'nsgs.json', json: { value: [nsg([withAsg])] } },
      { fileName: 'rule.json', json: withoutAsg },
    ]);
    expect(result.model.networkSecurityGroups).toEqual([]);
    expect(skipped(result.gaps)).toHaveLength(1);
  });

  it('a NIC IP configuration that left its application security group in the other file is a disagreement', () => {
    const asg = `${NET}/applicationSecurityGroups/asg-web`;
    const result = normalizeArm([
      { fileName: 'nics.json', json: [nic([ipConfig({ applicationSecurityGroups: [{ id: asg }] })])] },
      // `az network nic ip-config show` after `--asgs ""`: ARM omits the empty list.
      { fileName: 'ipconfig.json', json: asAzOutput(ipConfig({}, true)) },
    ]);
    expect(result.model.networkInterfaces).toEqual([]);
    expect(skipped(result.gaps)).toHaveLength(1);
  });

  it('routing intent that lost its Internet policy, embedded in the hub in one file and listed on its own in another, is a disagreement', () => {
    const intentId = `${HUB}/routingIntent/hub-intent`;
    const policy = (name: string, destinations: readonly string[]) => ({ name, destinations, nextHop: FW });
    const hub = {
      id: HUB, name: 'hub-we', type: 'Microsoft.Network/virtualHubs', location: 'westeurope',
      properties: {
        addressPrefix: '10.100.0.0/23', virtualWan: { id: `${NET}/virtualWans/wan` }, azureFirewall: { id: FW },
        // Accepted embedded (mapVirtualHub): a Resource Graph / pull export with the intent inlined.
        routingIntent: [{ id: intentId, name: 'hub-intent', properties: { routingPolicies: [policy('InternetTraffic', ['Internet']), policy('PrivateTraffic', ['PrivateTraffic'])] } }],
      },
    };
    // RoutingIntent_Get from the other file: Internet traffic no longer goes to the firewall.
    const intent = {
      id: intentId, name: 'hub-intent', type: 'Microsoft.Network/virtualHubs/routingIntent',
      properties: { routingPolicies: [policy('PrivateTraffic', ['PrivateTraffic'])] },
    };
    const result = normalizeArm([
      { fileName: 'hub.json', json: [hub] },
      { fileName: 'intent.json', json: [intent] },
    ]);
    // The intent is compared whole, not only the policies the standalone copy names: mergePolicies
    // would otherwise keep the dropped InternetTraffic policy.
    expect(result.model.virtualHubs).toEqual([]);
    expect(skipped(result.gaps)).toHaveLength(1);
  });

  it('routing intent: the same copies read the other way round dispute too; the same policies in another order do not', () => {
    const intentId = `${HUB}/routingIntent/hub-intent`;
    const policy = (name: string, destinations: readonly string[]) => ({ name, destinations, nextHop: FW });
    const hub = (policies: readonly unknown[]) => ({
      id: HUB, name: 'hub-we', type: 'Microsoft.Network/virtualHubs', location: 'westeurope',
      properties: {
        addressPrefix: '10.100.0.0/23', virtualWan: { id: `${NET}/virtualWans/wan` }, azureFirewall: { id: FW },
        routingIntent: [{ id: intentId, name: 'hub-intent', properties: { routingPolicies: policies } }],
      },
    });
    const intent = (policies: readonly unknown[]) => ({
      id: intentId, name: 'hub-intent', type: 'Microsoft.Network/virtualHubs/routingIntent', properties: { routingPolicies: policies },
    });
    const both = [policy('InternetTraffic', ['Internet']), policy('PrivateTraffic', ['PrivateTraffic'])];
    const privateOnly = [policy('PrivateTraffic', ['PrivateTraffic'])];
    const reversed = normalizeArm([
      { fileName: 'intent.json', json: [intent(privateOnly)] },
      { fileName: 'hub.json', json: [hub(both)] },
    ]);
    expect(reversed.model.virtualHubs).toEqual([]);
    expect(skipped(reversed.gaps)).toHaveLength(1);
    const standaloneBoth = normalizeArm([
      { fileName: 'intent-a.json', json: [intent(both)] },
      { fileName: 'intent-b.json', json: [intent(privateOnly)] },
      { fileName: 'hub.json', json: [{ ...hub([]), properties: { addressPrefix: '10.100.0.0/23' } }] },
    ]);
    expect(standaloneBoth.model.virtualHubs).toEqual([]);
    const agreeing = normalizeArm([
      { fileName: 'hub.json', json: [hub(both)] },
      { fileName: 'intent.json', json: [intent([...both].reverse())] },
    ]);
    expect(agreeing.gaps).toEqual([]);
    expect(agreeing.model.virtualHubs[0]?.routingPolicies.map((p) => p.name)).toEqual(['InternetTraffic', 'PrivateTraffic']);
  });

  it('a NIC IP configuration that joined an application security group, listed on its own in both files, is a disagreement', () => {
    const asg = `${NET}/applicationSecurityGroups/asg-web`;
    const result = normalizeArm([
      { fileName: 'nics.json', json: [nic([])] },
      { fileName: 'a.json', json: [asAzOutput(ipConfig({}, true))] },
      { fileName: 'b.json', json: [ipConfig({ applicationSecurityGroups: [{ id: asg }] }, true)] },
    ]);
    expect(result.model.networkInterfaces).toEqual([]);
    expect(skipped(result.gaps)[0]).toMatchObject({ message: expect.stringContaining('applicationSecurityGroupIds of ') as unknown });
    // An empty list in one copy and none in the other (ARM omits it when empty) is the same.
    const same = normalizeArm([
      { fileName: 'nics.json', json: [nic([ipConfig({ applicationSecurityGroups: [] })])] },
      { fileName: 'ipconfig.json', json: asAzOutput(ipConfig({}, true)) },
    ]);
    expect(same.gaps).toEqual([]);
  });
});

describe('firewall management IP configuration', () => {
  const vnet = `${NET}/virtualNetworks/vnet-hub`;
  const config = (name: string, subnet: string, pip: string) => ({
    id: `${FW}/azureFirewallIpConfigurations/${name}`, name,
    properties: { privateIPAddress: name === 'fw-ipconfig' ? '10.0.0.4' : undefined, subnet: { id: `${vnet}/subnets/${subnet}` }, publicIPAddress: { id: `${NET}/publicIPAddresses/${pip}` } },
  });
  const firewall = (managementPip: string) => ({
    id: FW, name: 'fw-hub', type: 'Microsoft.Network/azureFirewalls', location: 'westeurope',
    properties: {
      sku: { name: 'AZFW_VNet', tier: 'Standard' }, threatIntelMode: 'Alert',
      ipConfigurations: [config('fw-ipconfig', 'AzureFirewallSubnet', 'pip-fw')],
      managementIpConfiguration: config('fw-mgmt', 'AzureFirewallManagementSubnet', managementPip),
    },
  });

  it('the management configuration with another public IP in the other file is a disagreement (outbound.ts reads its PIP)', () => {
    // `az network firewall ip-config show` of the management configuration: the same type as the others.
    const standalone = { ...asAzOutput(config('fw-mgmt', 'AzureFirewallManagementSubnet', 'pip-mgmt-new')) as object, type: 'Microsoft.Network/azureFirewalls/azureFirewallIpConfigurations' };
    const result = normalizeArm([
      { fileName: 'firewalls.json', json: { value: [firewall('pip-mgmt-old')] } },
      { fileName: 'ipconfig.json', json: [standalone] },
    ]);
    // Compared with the parent's management configuration, which `attach` replaces (same ID).
    expect(result.model.azureFirewalls).toEqual([]);
    expect(skipped(result.gaps)).toHaveLength(1);
  });

  it('the management configuration listed on its own before the firewall is compared too; an agreeing one merges silently', () => {
    const standalone = (pip: string) => ({ ...asAzOutput(config('fw-mgmt', 'AzureFirewallManagementSubnet', pip)) as object, type: 'Microsoft.Network/azureFirewalls/azureFirewallIpConfigurations' });
    const apart = normalizeArm([
      { fileName: 'ipconfig.json', json: [standalone('pip-mgmt-new')] },
      { fileName: 'firewalls.json', json: { value: [firewall('pip-mgmt-old')] } },
    ]);
    expect(apart.model.azureFirewalls).toEqual([]);
    expect(skipped(apart.gaps)[0]).toMatchObject({ message: expect.stringContaining(`publicIpAddressId of ${FW.toLowerCase()}/azurefirewallipconfigurations/fw-mgmt`) as unknown });
    const same = normalizeArm([
      { fileName: 'firewalls.json', json: { value: [firewall('pip-mgmt')] } },
      { fileName: 'ipconfig.json', json: [standalone('pip-mgmt')] },
    ]);
    expect(same.gaps).toEqual([]);
    expect(same.model.azureFirewalls[0]?.managementIpConfiguration?.publicIpAddressId).toMatch(/pip-mgmt$/);
    expect(same.model.azureFirewalls[0]?.ipConfigurations).toHaveLength(1);
  });

  it('the data-path configuration listed on its own, agreeing (az SDK casing), merges silently', () => {
    const standalone = { ...asAzOutput(config('fw-ipconfig', 'AzureFirewallSubnet', 'pip-fw')) as object, type: 'Microsoft.Network/azureFirewalls/azureFirewallIpConfigurations' };
    const result = normalizeArm([
      { fileName: 'firewalls.json', json: { value: [firewall('pip-mgmt')] } },
      { fileName: 'ipconfig.json', json: [standalone] },
    ]);
    expect(result.gaps).toEqual([]);
    expect(result.model.azureFirewalls).toHaveLength(1);
  });
});

describe('values ARM does not tell apart are no disagreement', () => {
  it('a route whose next hop type differs only in casing (read case-insensitively by routing) is no disagreement', () => {
    // routing/route.ts `toNextHop` reads it case-insensitively; mapRoute writes ARM's casing.
    const result = normalizeArm([
      { fileName: 'tables.json', json: { value: [routeTable([route('default', { nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.0.4' })])] } },
      { fileName: 'route.json', json: route('default', { nextHopType: 'virtualAppliance', nextHopIpAddress: '10.0.0.4' }, true) },
    ]);
    expect(skipped(result.gaps)).toEqual([]);
    expect(result.model.routeTables).toHaveLength(1);
  });

  it('two route table copies whose routes differ only in next hop casing are one table, with ARM casing', () => {
    const result = normalizeArm([
      { fileName: 'a.json', json: [routeTable([route('default', { nextHopType: 'virtualappliance', nextHopIpAddress: '10.0.0.4' })])] },
      { fileName: 'b.json', json: [routeTable([route('default', { nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.0.4' })])] },
    ]);
    expect(result.gaps).toEqual([]);
    expect(result.model.routeTables[0]?.routes[0]?.nextHopType).toBe('VirtualAppliance');
    // A value ARM does not define is kept as written, and still compared.
    const unknown = normalizeArm([
      { fileName: 'a.json', json: [routeTable([route('default', { nextHopType: 'SomethingNew' })])] },
      { fileName: 'b.json', json: [route('default', { nextHopType: 'Internet' }, true)] },
    ]);
    expect(unknown.model.routeTables).toEqual([]);
  });
});

describe('a value the mapper fills in for one the input lacked', () => {
  it('a route copy without hasBgpOverride (an older api-version) says nothing of it; the other copy has true', () => {
    // mapRoute writes `hasBgpOverride: ... ?? false` for the model, marked as filled in (withDefaulted).
    const result = normalizeArm([
      { fileName: 'tables.json', json: [routeTable([route('default', { nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.0.4', hasBgpOverride: true })])] },
      { fileName: 'route.json', json: route('default', { nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.0.4' }, true) },
    ]);
    expect(skipped(result.gaps)).toEqual([]);
  });

  it('the other way round (the embedded copy without it), and two whole table copies: no disagreement; false against true is one', () => {
    const hop = { nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.0.4' };
    const reversed = normalizeArm([
      { fileName: 'tables.json', json: [routeTable([route('default', hop)])] },
      { fileName: 'route.json', json: route('default', { ...hop, hasBgpOverride: true }, true) },
    ]);
    expect(reversed.gaps).toEqual([]);
    expect(reversed.model.routeTables[0]?.routes[0]?.hasBgpOverride).toBe(true);
    const tables = normalizeArm([
      { fileName: 'old-api.json', json: [routeTable([route('default', hop)])] },
      { fileName: 'new-api.json', json: [routeTable([route('default', { ...hop, hasBgpOverride: true })])] },
    ]);
    expect(tables.gaps).toEqual([]);
    const apart = normalizeArm([
      { fileName: 'tables.json', json: [routeTable([route('default', { ...hop, hasBgpOverride: false })])] },
      { fileName: 'route.json', json: route('default', { ...hop, hasBgpOverride: true }, true) },
    ]);
    expect(apart.model.routeTables).toEqual([]);
    expect(skipped(apart.gaps)[0]).toMatchObject({ message: expect.stringContaining('hasBgpOverride of ') as unknown });
  });
});

describe('checked: agreeing exports of children merge silently', () => {
  it('route table from Resource Graph/REST, routes from `az network route-table route list` (flattened, resourceGroup added)', () => {
    const routes = [
      route('default', { nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.0.4', hasBgpOverride: false }),
      route('onprem', { addressPrefix: '192.168.0.0/16', nextHopType: 'VirtualNetworkGateway', hasBgpOverride: false }),
    ];
    const result = normalizeArm([
      { fileName: 'rg.json', json: { data: undefined, value: [routeTable(routes)] } },
      { fileName: 'routes.json', json: [...routes].reverse().map((r) => asAzOutput({ ...r, type: 'Microsoft.Network/routeTables/routes' })) },
      // `az network route-table show`: the table flattened, its routes flattened too.
      { fileName: 'table.json', json: asAzOutput(routeTable(routes)) },
    ]);
    expect(result.gaps).toEqual([]);
    expect(result.model.routeTables[0]?.routes.map((r) => r.name)).toEqual(['default', 'onprem']);
  });

  it('a route whose nextHopIpAddress is absent in one copy and null in the other', () => {
    const result = normalizeArm([
      { fileName: 'tables.json', json: [routeTable([route('default', { nextHopType: 'Internet' })])] },
      { fileName: 'route.json', json: asAzOutput(route('default', { nextHopType: 'Internet', nextHopIpAddress: null }, true)) },
    ]);
    expect(result.gaps).toEqual([]);
  });

  it('route and rule IDs that differ only in casing (Resource Graph vs REST)', () => {
    const lowerRoute = route('default', { nextHopType: 'Internet' }, true);
    const result = normalizeArm([
      { fileName: 'tables.json', json: [routeTable([route('default', { nextHopType: 'Internet' })])] },
      { fileName: 'route.json', json: { ...lowerRoute, id: lowerRoute.id.toLowerCase() } },
    ]);
    expect(result.gaps).toEqual([]);
    expect(result.model.routeTables[0]?.routes).toHaveLength(1);
  });

  it('NSG with custom and default rules embedded, and `az network nsg rule list` (custom only) / `--include-default`', () => {
    const custom = rule('deny-internet', {});
    const result = normalizeArm([
      { fileName: 'nsgs.json', json: { value: [nsg([custom])] } },
      { fileName: 'rules.json', json: [asAzOutput({ ...custom, type: 'Microsoft.Network/networkSecurityGroups/securityRules' })] },
      {
        fileName: 'with-defaults.json',
        json: DEFAULT_RULES.map((r) => asAzOutput({ ...r, type: 'Microsoft.Network/networkSecurityGroups/defaultSecurityRules' })),
      },
    ]);
    expect(result.gaps).toEqual([]);
    expect(result.model.networkSecurityGroups[0]?.securityRules).toHaveLength(4);
  });

  it('an NSG without defaultSecurityRules in one copy (a projection) and the default rules listed on their own', () => {
    const result = normalizeArm([
      { fileName: 'nsg.json', json: [{ id: NSG, name: 'nsg-app', securityRules: [asAzOutput(rule('deny-internet', {}))] }] },
      { fileName: 'defaults.json', json: DEFAULT_RULES.map((r) => ({ ...r, type: 'Microsoft.Network/networkSecurityGroups/defaultSecurityRules' })) },
    ]);
    expect(result.gaps).toEqual([]);
  });

  it('ports as destinationPortRange in one copy and destinationPortRanges in the other; priority as number and as string', () => {
    const result = normalizeArm([
      { fileName: 'nsgs.json', json: [nsg([rule('allow-https', { access: 'Allow', destinationPortRange: '443', priority: 300 })])] },
      { fileName: 'rule.json', json: rule('allow-https', { access: 'Allow', destinationPortRange: undefined, destinationPortRanges: ['443'], priority: '300' }, true) },
    ]);
    expect(result.gaps).toEqual([]);
  });

  it('etag and provisioningState differing between the copies', () => {
    const a = route('default', { nextHopType: 'Internet' });
    const b = { ...route('default', { nextHopType: 'Internet', provisioningState: 'Updating' }, true), etag: 'W/"9"' };
    const result = normalizeArm([{ fileName: 'a.json', json: [routeTable([a])] }, { fileName: 'b.json', json: [b] }]);
    expect(result.gaps).toEqual([]);
  });

  it('NIC IP configuration: REST NIC vs `az network nic ip-config list`, subnet ID in another casing', () => {
    const result = normalizeArm([
      { fileName: 'nics.json', json: { value: [nic([ipConfig({})])] } },
      { fileName: 'ipconfigs.json', json: [asAzOutput(ipConfig({ subnet: { id: SUBNET.toLowerCase() } }, true))] },
    ]);
    expect(result.gaps).toEqual([]);
    expect(result.model.networkInterfaces).toHaveLength(1);
  });

  it('the same route within one file embedded (old) and listed on its own (new), the other file agreeing with the new', () => {
    const result = normalizeArm([
      { fileName: 'a.json', json: [routeTable([route('default', { nextHopType: 'Internet' })]), route('default', { nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.0.4' }, true)] },
      { fileName: 'b.json', json: [route('default', { nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.0.4' }, true)] },
    ]);
    expect(result.gaps).toEqual([]);
    expect(result.model.routeTables[0]?.routes[0]?.nextHopType).toBe('VirtualAppliance');
  });

  it('a real route disagreement across three files is still caught when two standalone copies agree', () => {
    const result = normalizeArm([
      { fileName: 'a.json', json: [routeTable([route('default', { nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.0.4' })])] },
      { fileName: 'b.json', json: [route('default', { nextHopType: 'Internet' }, true)] },
      { fileName: 'c.json', json: [asAzOutput(route('default', { nextHopType: 'Internet' }, true))] },
    ]);
    expect(result.model.routeTables).toEqual([]);
    expect(skipped(result.gaps)).toHaveLength(1);
  });
});

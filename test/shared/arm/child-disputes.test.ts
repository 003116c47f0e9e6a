/**
 * Child items (routes, NSG rules, rule collection groups, IP configurations) whose copies in
 * different input files disagree: listed on their own in one file and embedded in the parent in
 * another, or listed on their own in both. As for a disagreeing resource, the parent is left out
 * with a gap naming the child, the fields and the files; within one file the later copy still wins.
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm';
import { resolveEgress } from '../../../shared/egress/index';
import { toResourceId } from '../../../shared/model/ids';
import { asAzOutput } from './helpers';

const NET = '/subscriptions/33333333-3333-3333-3333-333333333333/resourceGroups/rg-Net/providers/Microsoft.Network';
const RT = `${NET}/routeTables/rt-1`;
const NSG = `${NET}/networkSecurityGroups/nsg-app`;
const POLICY = `${NET}/firewallPolicies/fwp-hub`;
const id = (raw: string) => toResourceId(raw);

const TAIL = 'an export carries no capture time, so nothing says which is current. It was left out, so no verdict rests on either copy (what references it is unknown); give one export of it.';

/** The gap of a parent left out because copies of its child disagree (the wording of resource disputes). */
function childDispute(parent: string, files: string, child: string, fields: string) {
  return {
    code: 'skipped-input', scope: id(parent),
    message: `${files} hold copies of ${id(parent)} that disagree about ${fields} of ${id(child)} (a value in one and none in the other counts): ${TAIL}`,
  };
}

/** A route as ARM prints it, inside its table (no `type`) or on its own (`Routes_Get`: with `type`). */
function route(name: string, nextHopType: string, nextHopIpAddress?: string, standalone = false) {
  return {
    id: `${RT}/routes/${name}`, name, ...(standalone ? { type: 'Microsoft.Network/routeTables/routes' } : {}), etag: 'W/"1"',
    properties: {
      provisioningState: 'Succeeded', addressPrefix: name === 'default' ? '0.0.0.0/0' : '10.50.0.0/16', nextHopType,
      ...(nextHopIpAddress === undefined ? {} : { nextHopIpAddress }), hasBgpOverride: false,
    },
  };
}

function routeTable(routes?: readonly unknown[]) {
  return {
    id: RT, name: 'rt-1', type: 'Microsoft.Network/routeTables', location: 'westeurope', etag: 'W/"1"',
    properties: { provisioningState: 'Succeeded', disableBgpRoutePropagation: false, ...(routes === undefined ? {} : { routes }) },
  };
}

const toFirewall = () => route('default', 'VirtualAppliance', '10.0.0.4');
const toInternet = (standalone = true) => route('default', 'Internet', undefined, standalone);

describe('routes whose copies in two files disagree', () => {
  it('embedded in its table in one file, listed on its own in the other: the table is left out, the gap names the route', () => {
    const result = normalizeArm([
      { fileName: 'a.json', json: { value: [routeTable([toFirewall()])] } },
      { fileName: 'b.json', json: toInternet() },
    ]);
    expect(result.model.routeTables).toEqual([]);
    expect(result.gaps).toEqual([childDispute(RT, 'a.json and b.json', `${RT}/routes/default`, 'nextHopIpAddress, nextHopType')]);
    // The other way round: the route on its own first, the table later.
    const reversed = normalizeArm([
      { fileName: 'b.json', json: toInternet() },
      { fileName: 'a.json', json: { value: [routeTable([toFirewall()])] } },
    ]);
    expect(reversed.model.routeTables).toEqual([]);
    expect(reversed.gaps).toEqual([childDispute(RT, 'b.json and a.json', `${RT}/routes/default`, 'nextHopIpAddress, nextHopType')]);
  });

  it('listed on its own in both files (the table in one): the table is left out', () => {
    const result = normalizeArm([
      { fileName: 'tables.json', json: [routeTable([]), route('default', 'VirtualAppliance', '10.0.0.4', true)] },
      // `az network route-table route show`: flattened, the route table's resource group added.
      { fileName: 'route.json', json: asAzOutput(toInternet()) },
    ]);
    expect(result.model.routeTables).toEqual([]);
    expect(result.gaps).toEqual([childDispute(RT, 'tables.json and route.json', `${RT}/routes/default`, 'nextHopIpAddress, nextHopType')]);
  });

  it('copies within one file never dispute (the one listed on its own wins), while the same copies in two files do', () => {
    const other = { fileName: 'other.json', json: [{ id: `${NET}/routeTables/rt-2`, type: 'Microsoft.Network/routeTables', properties: { routes: [] } }] };
    const oneFile = normalizeArm([{ fileName: 'a.json', json: [routeTable([toFirewall()]), toInternet()] }, other]);
    expect(oneFile.gaps).toEqual([]);
    expect(oneFile.model.routeTables.find((t) => t.name === 'rt-1')?.routes.map((r) => r.nextHopType)).toEqual(['Internet']);
    const twoFiles = normalizeArm([{ fileName: 'a.json', json: [routeTable([toFirewall()])] }, { fileName: 'b.json', json: [toInternet()] }, other]);
    expect(twoFiles.model.routeTables.map((t) => t.name)).toEqual(['rt-2']);
    expect(twoFiles.gaps).toHaveLength(1);
  });

  it('identical copies (routes in another order, flattened or REST) merge silently, and a route only one file has is added', () => {
    const result = normalizeArm([
      { fileName: 'a.json', json: [routeTable([toFirewall(), route('spoke', 'VirtualAppliance', '10.0.0.4')])] },
      { fileName: 'b.json', json: [
        routeTable([route('spoke', 'VirtualAppliance', '10.0.0.4'), toFirewall()]),
        asAzOutput(route('default', 'VirtualAppliance', '10.0.0.4', true)),
        route('onprem', 'VirtualNetworkGateway', undefined, true),
      ] },
    ]);
    expect(result.gaps).toEqual([]);
    expect(result.model.routeTables[0]?.routes.map((r) => [r.name, r.nextHopType])).toEqual([
      ['default', 'VirtualAppliance'], ['onprem', 'VirtualNetworkGateway'], ['spoke', 'VirtualAppliance'],
    ]);
    // The same route changed in b.json's table copy is a disagreement again (of the table's routes).
    const changed = normalizeArm([
      { fileName: 'a.json', json: [routeTable([toFirewall()])] },
      { fileName: 'b.json', json: [asAzOutput(route('default', 'VirtualAppliance', '10.0.0.5', true))] },
    ]);
    expect(changed.gaps).toEqual([childDispute(RT, 'a.json and b.json', `${RT}/routes/default`, 'nextHopIpAddress')]);
  });

  it('a table copy without its routes (a --query projection) says nothing of them: the route listed elsewhere is no disagreement', () => {
    // `az network route-table list --query "[].{id:id, name:name, disableBgpRoutePropagation:disableBgpRoutePropagation}"`.
    const projection = { id: RT, name: 'rt-1', disableBgpRoutePropagation: false };
    const result = normalizeArm([
      { fileName: 'projection.json', json: [projection] },
      { fileName: 'routes.json', json: [toInternet()] },
      { fileName: 'later.json', json: [route('spoke', 'VirtualAppliance', '10.0.0.4', true)] },
    ]);
    expect(result.gaps).toEqual([]);
    expect(result.model.routeTables[0]?.routes.map((r) => r.name)).toEqual(['default', 'spoke']);
    // Next to a whole copy that has the route differently, it is one again.
    const apart = normalizeArm([
      { fileName: 'projection.json', json: [projection] },
      { fileName: 'routes.json', json: [toInternet()] },
      { fileName: 'tables.json', json: [routeTable([toFirewall()])] },
    ]);
    expect(apart.gaps).toEqual([childDispute(RT, 'routes.json and tables.json', `${RT}/routes/default`, 'nextHopIpAddress, nextHopType')]);
  });
});

describe('other child items whose copies in two files disagree', () => {
  const rule = (access: string, standalone: boolean) => ({
    id: `${NSG}/securityRules/deny-internet`, name: 'deny-internet',
    ...(standalone ? { type: 'Microsoft.Network/networkSecurityGroups/securityRules' } : {}),
    properties: {
      provisioningState: 'Succeeded', priority: 4000, direction: 'Outbound', access, protocol: '*',
      sourceAddressPrefix: 'VirtualNetwork', sourcePortRange: '*', destinationAddressPrefix: 'Internet', destinationPortRange: '*',
    },
  });
  const nsg = (rules: readonly unknown[]) => ({
    id: NSG, name: 'nsg-app', type: 'Microsoft.Network/networkSecurityGroups', location: 'westeurope', properties: { securityRules: rules },
  });

  it('an NSG rule: the NSG is left out', () => {
    const result = normalizeArm([
      { fileName: 'nsgs.json', json: { value: [nsg([rule('Deny', false)])] } },
      { fileName: 'rule.json', json: rule('Allow', true) },
    ]);
    expect(result.model.networkSecurityGroups).toEqual([]);
    expect(result.gaps).toEqual([childDispute(NSG, 'nsgs.json and rule.json', `${NSG}/securityRules/deny-internet`, 'access')]);
    // The same rule (the direction in another casing, as az prints it) is no disagreement.
    const same = normalizeArm([
      { fileName: 'nsgs.json', json: { value: [nsg([rule('Deny', false)])] } },
      { fileName: 'rule.json', json: { ...asAzOutput(rule('Deny', true)) as object, direction: 'outbound' } },
    ]);
    expect(same.gaps).toEqual([]);
    expect(same.model.networkSecurityGroups[0]?.securityRules.map((r) => r.access)).toEqual(['Deny']);
  });

  it('a firewall policy rule collection group, expanded in the policy and listed on its own: the policy is left out', () => {
    const group = (destinationPorts: readonly string[], standalone: boolean) => ({
      id: `${POLICY}/ruleCollectionGroups/DefaultNetworkRuleCollectionGroup`, name: 'DefaultNetworkRuleCollectionGroup',
      ...(standalone ? { type: 'Microsoft.Network/FirewallPolicies/RuleCollectionGroups' } : {}),
      properties: { priority: 200, ruleCollections: [{
        ruleCollectionType: 'FirewallPolicyFilterRuleCollection', name: 'allow-out', priority: 100, action: { type: 'Allow' },
        rules: [{ ruleType: 'NetworkRule', name: 'dns', ipProtocols: ['UDP'], sourceAddresses: ['10.0.0.0/8'], destinationAddresses: ['*'], destinationPorts }],
      }] },
    });
    const policy = (groups: readonly unknown[]) => ({
      id: POLICY, name: 'fwp-hub', type: 'Microsoft.Network/firewallPolicies', location: 'westeurope',
      properties: { threatIntelMode: 'Alert', ruleCollectionGroups: groups },
    });
    const result = normalizeArm([
      { fileName: 'policy.json', json: policy([group(['53'], false)]) },
      { fileName: 'groups.json', json: { value: [group(['53', '853'], true)] } },
    ]);
    expect(result.model.firewallPolicies).toEqual([]);
    expect(result.gaps).toEqual([childDispute(POLICY, 'policy.json and groups.json', `${POLICY}/ruleCollectionGroups/DefaultNetworkRuleCollectionGroup`, 'rules')]);
    // The policy as ARM usually prints it: its groups as bare references (not loaded), which say nothing of their rules.
    const bare = normalizeArm([
      { fileName: 'policy.json', json: policy([{ id: `${POLICY}/ruleCollectionGroups/DefaultNetworkRuleCollectionGroup` }]) },
      { fileName: 'groups.json', json: { value: [group(['53', '853'], true)] } },
    ]);
    expect(bare.gaps).toEqual([]);
    expect(bare.model.firewallPolicies[0]?.rules).toMatchObject([{ kind: 'network', name: 'dns', destinationPorts: ['53', '853'] }]);
  });

  it('a NIC IP configuration in both ARM casings (privateIPAddress, privateIpAddress) is the same; another address is not', () => {
    const nicId = `${NET}/networkInterfaces/vm1-nic`;
    const subnet = { id: `${NET}/virtualNetworks/vnet-spoke/subnets/app` };
    const nic = {
      id: nicId, name: 'vm1-nic', type: 'Microsoft.Network/networkInterfaces', location: 'westeurope',
      properties: { ipConfigurations: [{ id: `${nicId}/ipConfigurations/ipconfig1`, name: 'ipconfig1', properties: {
        privateIPAddress: '10.20.1.4', privateIPAllocationMethod: 'Dynamic', privateIPAddressVersion: 'IPv4', primary: true, subnet,
      } }] },
    };
    // `az network nic ip-config show`: flattened, SDK casing.
    const config = (privateIpAddress: string) => ({
      id: `${nicId}/ipConfigurations/ipconfig1`, name: 'ipconfig1', type: 'Microsoft.Network/networkInterfaces/ipConfigurations',
      privateIpAddress, privateIpAllocationMethod: 'Dynamic', privateIpAddressVersion: 'IPv4', primary: true, subnet, resourceGroup: 'rg-Net',
    });
    const same = normalizeArm([{ fileName: 'nics.json', json: [nic] }, { fileName: 'ipconfig.json', json: config('10.20.1.4') }]);
    expect(same.gaps).toEqual([]);
    expect(same.model.networkInterfaces).toHaveLength(1);
    const apart = normalizeArm([{ fileName: 'nics.json', json: [nic] }, { fileName: 'ipconfig.json', json: config('10.20.1.9') }]);
    expect(apart.model.networkInterfaces).toEqual([]);
    expect(apart.gaps).toEqual([childDispute(nicId, 'nics.json and ipconfig.json', `${nicId}/ipConfigurations/ipconfig1`, 'privateIpAddress')]);
  });
});

describe('end to end: a subnet whose route table is left out', () => {
  it('resolves to unknown with the missing-resource gap, not a confident verdict from either copy', () => {
    const vnet = {
      id: `${NET}/virtualNetworks/vnet-spoke`, name: 'vnet-spoke', type: 'Microsoft.Network/virtualNetworks', location: 'westeurope',
      properties: { addressSpace: { addressPrefixes: ['10.20.0.0/16'] }, subnets: [{
        id: `${NET}/virtualNetworks/vnet-spoke/subnets/app`, name: 'app', type: 'Microsoft.Network/virtualNetworks/subnets',
        properties: { addressPrefix: '10.20.1.0/24', routeTable: { id: RT } },
      }] },
    };
    const normalized = normalizeArm([
      { fileName: 'a.json', json: { value: [vnet, routeTable([toFirewall()])] } },
      { fileName: 'b.json', json: toInternet() },
    ]);
    const result = resolveEgress({ ...normalized, metrics: [] }, {});
    const path = result.paths.find((p) => p.source.id === id(`${NET}/virtualNetworks/vnet-spoke/subnets/app`));
    expect(path?.verdict).toBe('unknown');
    expect(path?.steps.at(-1)).toMatchObject({ kind: 'terminal', reason: { kind: 'missing-resource', resourceId: id(RT) } });
    expect(result.gaps).toEqual(expect.arrayContaining([
      expect.objectContaining({ code: 'missing-reference', scope: id(RT) }),
      childDispute(RT, 'a.json and b.json', `${RT}/routes/default`, 'nextHopIpAddress, nextHopType'),
    ]));
  });
});

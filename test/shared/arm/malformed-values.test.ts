/**
 * Values no Azure tool prints, inside an otherwise valid resource: the resource is left out with a
 * `skipped-input` gap naming the file, the JSON path and what was expected, never read as "absent"
 * or as a default. Where the verdict rests only on the normalizer and the existing
 * missing-reference handling, it is `unknown` (was a confident wrong one).
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm';
import { resolveEgress } from '../../../shared/egress';
import { demoBundle, demoEstate, type MutableJson as Json } from '../../support/demo-bundle';
import { flattenRest, problemOf } from './helpers';

const NET = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network';
const NSG_ID = `${NET}/networkSecurityGroups/nsg`;

function subnetWith(props: Json): Json {
  return { id: `${NET}/virtualNetworks/v/subnets/s`, name: 's', type: 'Microsoft.Network/virtualNetworks/subnets', properties: { addressPrefix: '10.0.0.0/24', ...props } };
}

function rule(props: Json): Json {
  return {
    name: 'deny-internet',
    properties: {
      protocol: '*', sourcePortRange: '*', destinationPortRange: '*', sourceAddressPrefix: '*', destinationAddressPrefix: 'Internet',
      access: 'Deny', priority: 100, direction: 'Outbound', ...props,
    },
  };
}

function nsgWith(props: Json): Json {
  return { id: NSG_ID, name: 'nsg', type: 'Microsoft.Network/networkSecurityGroups', properties: { securityRules: [rule(props)] } };
}

function lbWith(props: Json): Json {
  const lb = `${NET}/loadBalancers/lb`;
  return {
    id: lb, name: 'lb', type: 'Microsoft.Network/loadBalancers', sku: { name: 'Standard' },
    properties: {
      frontendIPConfigurations: [{ id: `${lb}/frontendIPConfigurations/fe`, name: 'fe', properties: { publicIPAddress: { id: `${NET}/publicIPAddresses/pip` } } }],
      backendAddressPools: [{ id: `${lb}/backendAddressPools/pool`, name: 'pool', properties: {} }],
      loadBalancingRules: [], outboundRules: [], inboundNatRules: [], ...props,
    },
  };
}

/** A rule with every field the REST spec requires of its kind (loadBalancer.json `required` arrays), plus `props`. */
function lbRule(kind: 'loadBalancingRules' | 'outboundRules' | 'inboundNatRules', props: Json): Json {
  const lb = `${NET}/loadBalancers/lb`;
  const frontend = { id: `${lb}/frontendIPConfigurations/fe` };
  const pool = { id: `${lb}/backendAddressPools/pool` };
  const required = kind === 'outboundRules' ? { frontendIPConfigurations: [frontend], backendAddressPool: pool }
    : kind === 'loadBalancingRules' ? { frontendIPConfiguration: frontend, backendAddressPool: pool, frontendPort: 443, backendPort: 443 }
    : { frontendIPConfiguration: frontend, frontendPort: 50001, backendPort: 22 };
  return { id: `${lb}/${kind}/r`, name: 'r', properties: { ...required, protocol: 'Tcp', ...props } };
}

const FIREWALL_ID = `${NET}/azureFirewalls/fw`;

function firewallWith(config: Json, extra: Json = {}): Json {
  return {
    id: FIREWALL_ID, name: 'fw', type: 'Microsoft.Network/azureFirewalls',
    properties: { sku: { name: 'AZFW_VNet', tier: 'Standard' }, ipConfigurations: [{ id: `${FIREWALL_ID}/azureFirewallIpConfigurations/c`, name: 'c', properties: config }], ...extra },
  };
}

function routeTableWith(addressPrefix: string): Json {
  return {
    id: `${NET}/routeTables/rt`, name: 'rt', type: 'Microsoft.Network/routeTables',
    properties: { routes: [{ name: 'r', properties: { addressPrefix, nextHopType: 'None' } }] },
  };
}

/** The complaint, the resource's absence from the model, and the message naming file, path and expectation. */
function expectLeftOut(json: Json, path: string, expected: string, found?: string): void {
  const problem = problemOf(json, 'estate.json');
  expect(problem).toMatchObject({ how: 'skipped', file: 'estate.json', path });
  expect(problem.expected).toContain(expected);
  if (found !== undefined) expect(problem.found).toBe(found);
  expect(problem.message).toBe(`estate.json: ${path}: expected ${problem.expected}, found ${problem.found ?? ''}`);
  const model = normalizeArm([{ fileName: 'estate.json', json }]).model;
  const kept = Object.values(model).flat().map((r) => (r as { id: string }).id);
  const resource = Array.isArray(json) ? json[0] : json;
  const id = (resource.id ?? resource.Id) as string;
  expect(kept).not.toContain(id.toLowerCase());
}

describe('A. a present reference without an ID is malformed, not "no reference"', () => {
  it.each([
    ['{}', {}, '$[0].properties.networkSecurityGroup.id', 'nothing'],
    ['{ "id": null }', { id: null }, '$[0].properties.networkSecurityGroup.id', 'null'],
    ['{ "id": "" }', { id: '' }, '$[0].properties.networkSecurityGroup.id', '""'],
    ['""', '', '$[0].properties.networkSecurityGroup', '""'],
    ['"  "', '  ', '$[0].properties.networkSecurityGroup', '"  "'],
  ])('subnet networkSecurityGroup %s', (_label, value, path, found) => {
    expectLeftOut([subnetWith({ networkSecurityGroup: value })], path, 'an ARM resource ID like', found);
  });

  it('names the key as written ({ "Id": null }, PowerShell casing)', () => {
    expectLeftOut([subnetWith({ routeTable: { Id: null } })], '$[0].properties.routeTable.Id', 'an ARM resource ID like', 'null');
  });

  it('an entry {} in a reference list (flattened shape)', () => {
    expectLeftOut([flattenRest(subnetWith({ serviceEndpointPolicies: [{ id: `${NET}/serviceEndpointPolicies/p` }, {}] }))],
      '$[0].serviceEndpointPolicies[1].id', 'an ARM resource ID like', 'nothing');
  });

  it('null and absent still mean "no reference" (what ARM, az and Resource Graph print)', () => {
    const { model, gaps } = normalizeArm([{ fileName: 'estate.json', json: [subnetWith({ networkSecurityGroup: null })] }]);
    expect(gaps.filter((g) => g.code === 'skipped-input')).toEqual([]);
    expect(model.subnets[0]?.networkSecurityGroupId ?? null).toBeNull();
  });
});

describe('B. a properties envelope that is not an object is malformed, not "flattened and empty"', () => {
  it.each([
    ['[]', []],
    ['"junk"', 'junk'],
    ['42', 42],
  ])('a resource\'s properties %s', (_label, value) => {
    expectLeftOut([{ id: NSG_ID, type: 'Microsoft.Network/networkSecurityGroups', properties: value }], '$[0].properties', 'a JSON object');
  });

  it('PowerShell\'s Properties envelope, named as written', () => {
    expectLeftOut([{ Id: NSG_ID, Type: 'Microsoft.Network/networkSecurityGroups', Properties: 'junk' }], '$[0].Properties', 'a JSON object', '"junk"');
  });

  it('a sub-resource\'s properties (a firewall ipConfiguration)', () => {
    const json = [{ ...firewallWith({}), properties: { ...firewallWith({}).properties, ipConfigurations: [{ id: `${FIREWALL_ID}/azureFirewallIpConfigurations/c`, name: 'c', properties: [] }] } }];
    expectLeftOut(json, '$[0].properties.ipConfigurations[0].properties', 'a JSON object', '[]');
  });

  it('"properties": null is still "listed without its properties" (az resource list), not malformed', () => {
    const { gaps } = normalizeArm([{ fileName: 'estate.json', json: [{ id: NSG_ID, type: 'Microsoft.Network/networkSecurityGroups', properties: null }] }]);
    expect(gaps.map((g) => g.message).join('\n')).toContain('listed without its properties');
  });
});

describe('C. NSG rule values outside Azure\'s domain are malformed', () => {
  const at = (key: string): string => `$[0].properties.securityRules[0].properties.${key}`;
  it.each([
    ['priority 70000', { priority: 70000 }, 'priority', 'a rule priority number (a whole number 100-4096)'],
    ['priority 99', { priority: 99 }, 'priority', 'a rule priority number'],
    ['priority 4097', { priority: 4097 }, 'priority', 'a rule priority number'],
    ['priority 150.5', { priority: 150.5 }, 'priority', 'a rule priority number'],
    ['protocol "Tpc"', { protocol: 'Tpc' }, 'protocol', 'an NSG rule protocol'],
    ['protocol ""', { protocol: '' }, 'protocol', 'an NSG rule protocol'],
    ['destinationPortRange "44x"', { destinationPortRange: '44x' }, 'destinationPortRange', 'a port range'],
    ['destinationPortRange "70000"', { destinationPortRange: '70000' }, 'destinationPortRange', 'a port range'],
    ['destinationPortRange "443-80"', { destinationPortRange: '443-80' }, 'destinationPortRange', 'a port range'],
    ['destinationPortRange "80,443"', { destinationPortRange: '80,443' }, 'destinationPortRange', 'a port range'],
    ['destinationPortRange "" without destinationPortRanges', { destinationPortRange: '' }, 'destinationPortRange', 'a port range'],
    ['sourcePortRange "abc"', { sourcePortRange: 'abc' }, 'sourcePortRange', 'a port range'],
    ['destinationAddressPrefix "0.0.0.0/33"', { destinationAddressPrefix: '0.0.0.0/33' }, 'destinationAddressPrefix', 'an address prefix'],
    ['destinationAddressPrefix "" with no prefixes or ASGs', { destinationAddressPrefix: '' }, 'destinationAddressPrefix', 'an address prefix'],
    ['sourceAddressPrefix "10.0.0.0/x"', { sourceAddressPrefix: '10.0.0.0/x' }, 'sourceAddressPrefix', 'an address prefix'],
  ])('%s', (_label, props, key, expected) => {
    expectLeftOut([nsgWith(props)], at(key), expected);
  });

  it('a malformed entry of a plural list, named by its index', () => {
    expectLeftOut([nsgWith({ destinationPortRange: '', destinationPortRanges: ['443', '8o'] })], at('destinationPortRanges[1]'), 'a port range', '"8o"');
    expectLeftOut([nsgWith({ destinationAddressPrefix: '', destinationAddressPrefixes: ['10.0.0.0/24', ''] })], at('destinationAddressPrefixes[1]'), 'an address prefix', '""');
  });

  /**
   * An address that is no valid IP, CIDR or IPv4 range ("Any, an individual IP address, a CIDR block
   * ..., a service tag" [NSG]) was read as a service tag matching nothing: a deny rule naming it
   * silently stopped applying. Text that starts with a digit or holds `:` or `/` is an address.
   */
  it.each([
    ['destinationAddressPrefix', '10.0.0.256'],
    ['destinationAddressPrefix', '10.0.0'],
    ['destinationAddressPrefix', '10.0.0.9-10.0.0.1'],
    ['sourceAddressPrefix', '10.0.0.1-10.0.0.256'],
    ['sourceAddressPrefix', '10.0.0.1 - 10.0.0.9x'],
    ['destinationAddressPrefix', '2001:db8::g'],
    ['destinationAddressPrefix', 'fe80::1::2'],
  ])('%s "%s": an address that is none is malformed, not a tag', (key, value) => {
    expectLeftOut([nsgWith({ [key]: value })], at(key), 'an address prefix', `"${value}"`);
  });

  it('an invalid address in a plural prefix list, named by its index', () => {
    expectLeftOut([nsgWith({ destinationAddressPrefix: '', destinationAddressPrefixes: ['10.0.0.0/24', '192.168.1.300'] })], at('destinationAddressPrefixes[1]'), 'an address prefix', '"192.168.1.300"');
  });

  it('keeps service tags, *, Any, IPv4 and IPv6 addresses and CIDRs, and IPv4 ranges the engine evaluates', () => {
    const values = ['*', 'Any', 'Internet', 'VirtualNetwork', 'AzureLoadBalancer', 'Storage.WestEurope', 'AzureCloud.EastUS2', 'Sql.EastUS', 'AzureFrontDoor.Backend',
      '10.0.0.4', '10.0.0.0/8', ' 20.1.2.3 ', '2001:db8::1', '2001:db8::/32', '10.0.0.1-10.0.0.9'];
    const json = [{
      id: NSG_ID, type: 'Microsoft.Network/networkSecurityGroups',
      properties: { securityRules: values.map((value, i) => ({ name: `r${i}`, properties: { ...rule({}).properties, priority: 100 + i, destinationAddressPrefix: value, sourceAddressPrefix: value } })) },
    }];
    const { model, gaps } = normalizeArm([{ fileName: 'estate.json', json }]);
    expect(gaps.filter((g) => g.code === 'skipped-input')).toEqual([]);
    expect(model.networkSecurityGroups[0]?.securityRules.map((r) => r.destinationAddressPrefixes[0])).toEqual(values);
  });

  it('a default rule outside 65000-65500', () => {
    const json = [{ id: NSG_ID, type: 'Microsoft.Network/networkSecurityGroups', properties: { defaultSecurityRules: [rule({ priority: 300 })] } }];
    expectLeftOut(json, '$[0].properties.defaultSecurityRules[0].properties.priority', 'a default rule priority number (a whole number 65000-65500)', '300');
  });

  it('keeps every value Azure prints: any casing, *, Any, ranges, CIDRs, IPs, tags, ASG rules with a blank prefix', () => {
    const asg = { id: `${NET}/applicationSecurityGroups/web` };
    const json = [{
      id: NSG_ID, type: 'Microsoft.Network/networkSecurityGroups',
      properties: {
        securityRules: [
          rule({ protocol: 'tcp', priority: 4096, destinationPortRange: '0-65535', destinationAddressPrefix: '20.1.2.3' }),
          { name: 'b', properties: { ...rule({}).properties, protocol: 'ICMP', priority: 100, sourcePortRange: '1024-65535', destinationPortRange: '', destinationPortRanges: ['80', '443'] } },
          { name: 'c', properties: { ...rule({}).properties, protocol: 'Esp', priority: 101, destinationAddressPrefix: '', destinationApplicationSecurityGroups: [asg] } },
          { name: 'd', properties: { ...rule({}).properties, protocol: 'Ah', priority: 102, destinationAddressPrefix: 'Storage.WestEurope', sourceAddressPrefix: '10.0.0.0/8' } },
          { name: 'e', properties: { ...rule({}).properties, protocol: 'Any', priority: 103, destinationAddressPrefix: '2001:db8::/32', destinationPortRange: 'Any' } },
        ],
        defaultSecurityRules: [65000, 65001, 65500].map((priority) => ({ name: `d${priority}`, properties: { ...rule({}).properties, priority } })),
      },
    }];
    const { model, gaps } = normalizeArm([{ fileName: 'estate.json', json }]);
    expect(gaps.filter((g) => g.code === 'skipped-input')).toEqual([]);
    expect(model.networkSecurityGroups[0]?.securityRules).toHaveLength(8);
  });
});

describe('D. a route prefix that is an address without a length is malformed, not a service tag', () => {
  it.each(['0.0.0.0', ' 10.0.0.4 ', '2001:db8::1'])('%s', (prefix) => {
    expectLeftOut([routeTableWith(prefix)], '$[0].properties.routes[0].properties.addressPrefix', 'a CIDR like "0.0.0.0/0" or a service tag');
  });

  it('service tags still work', () => {
    for (const tag of ['Storage', 'AzureCloud.westeurope', 'Storage.WestEurope']) {
      const { model, gaps } = normalizeArm([{ fileName: 'estate.json', json: [routeTableWith(tag)] }]);
      expect(gaps.filter((g) => g.code === 'skipped-input')).toEqual([]);
      expect(model.routeTables[0]?.routes?.[0]?.addressPrefix).toBe(tag);
    }
  });
});

describe('E. a firewall\'s private IP is checked as a NIC\'s is', () => {
  it.each(['10.60.254.300', 'junk', ''])('ipConfigurations privateIPAddress %j', (address) => {
    expectLeftOut([firewallWith({ privateIPAddress: address })], '$[0].properties.ipConfigurations[0].properties.privateIPAddress', 'an IP address like');
  });

  it('the az casing (privateIpAddress), named as written', () => {
    expectLeftOut([firewallWith({ privateIpAddress: 'junk' })], '$[0].properties.ipConfigurations[0].properties.privateIpAddress', 'an IP address like', '"junk"');
  });

  it('the management configuration and a hub firewall\'s hubIPAddresses.privateIPAddress', () => {
    expectLeftOut([firewallWith({ privateIPAddress: '10.0.0.4' }, { managementIpConfiguration: { id: `${FIREWALL_ID}/azureFirewallIpConfigurations/m`, name: 'm', properties: { privateIPAddress: '10.0.1.999' } } })],
      '$[0].properties.managementIpConfiguration.properties.privateIPAddress', 'an IP address like');
    expectLeftOut([firewallWith({ privateIPAddress: '10.0.0.4' }, { hubIPAddresses: { privateIPAddress: 'x' } })],
      '$[0].properties.hubIPAddresses.privateIPAddress', 'an IP address like');
  });

  it('a valid address is kept', () => {
    const { model } = normalizeArm([{ fileName: 'estate.json', json: [firewallWith({ privateIPAddress: '10.0.0.4' })] }]);
    expect(model.azureFirewalls[0]?.ipConfigurations[0]?.privateIpAddress).toBe('10.0.0.4');
  });
});

describe('F. a load balancer rule protocol or port Azure does not have is malformed', () => {
  it.each([
    ['loadBalancingRules', 'Tpc'], ['outboundRules', 'Icmp'], ['inboundNatRules', 'tcpp'], ['loadBalancingRules', ''],
  ] as const)('%s protocol %j', (kind, protocol) => {
    expectLeftOut([lbWith({ [kind]: [lbRule(kind, { protocol })] })], `$[0].properties.${kind}[0].properties.protocol`, 'a load balancer rule protocol: "Tcp", "Udp" or "All"');
  });

  it.each([
    ['frontendPort', 70000], ['frontendPort', 65535], ['backendPort', -1], ['backendPort', 80.5], ['backendPort', 65536],
  ] as const)('loadBalancingRules %s %d', (key, port) => {
    expectLeftOut([lbWith({ loadBalancingRules: [lbRule('loadBalancingRules', { [key]: port })] })], `$[0].properties.loadBalancingRules[0].properties.${key}`, 'a port number (a whole number 0-');
  });

  it('keeps Tcp, Udp, All in any casing, the portal\'s *, and ports 0 (HA ports) to 65534/65535', () => {
    const json = [lbWith({
      loadBalancingRules: [lbRule('loadBalancingRules', { protocol: 'all', frontendPort: 0, backendPort: 0 }), { ...lbRule('loadBalancingRules', { protocol: 'UDP', frontendPort: 65534, backendPort: 65535 }), id: `${NET}/loadBalancers/lb/loadBalancingRules/r2` }],
      outboundRules: [lbRule('outboundRules', { protocol: '*' })],
      inboundNatRules: [lbRule('inboundNatRules', { protocol: 'Tcp' })],
    })];
    const { model, gaps } = normalizeArm([{ fileName: 'estate.json', json }]);
    expect(gaps.filter((g) => g.code === 'skipped-input')).toEqual([]);
    expect(model.loadBalancers[0]?.loadBalancingRules.map((r) => r.protocol)).toEqual(['All', 'Udp']);
    expect(model.loadBalancers[0]?.outboundRules[0]?.protocol).toBe('All');
  });

  it('an internal frontend\'s private IP is checked as a NIC\'s is', () => {
    const lb = `${NET}/loadBalancers/lb`;
    expectLeftOut([lbWith({ frontendIPConfigurations: [{ id: `${lb}/frontendIPConfigurations/fe`, name: 'fe', properties: { privateIPAddress: '10.0.0.256' } }] })],
      '$[0].properties.frontendIPConfigurations[0].properties.privateIPAddress', 'an IP address like');
  });
});

/**
 * A field the REST spec requires (or, for an NSG rule side, one of the fields Azure requires), absent,
 * is malformed: read as a default it would decide the verdict (an NSG rule without `protocol` was
 * `*`; a side without prefixes or ASGs covered nothing; a load-balancing rule without `frontendPort`
 * was port 0, any port; an outbound rule without protocol was `All`, without pool or frontends it gave
 * no outbound; a policy rule collection without `ruleCollectionType` was a filter collection).
 */
describe('G. a field Azure requires, absent, is malformed, not a default', () => {
  const at = (key: string): string => `$[0].properties.securityRules[0].properties.${key}`;
  const lbAt = (kind: string, key: string): string => `$[0].properties.${kind}[0].properties.${key}`;

  it.each([
    ['NSG rule protocol', [nsgWith({ protocol: undefined })], at('protocol'), 'an NSG rule protocol: "Tcp"'],
    ['NSG rule sourceAddressPrefix (no list, no ASGs)', [nsgWith({ sourceAddressPrefix: undefined })], at('sourceAddressPrefix'),
      'an address prefix: "*", an IP address, a CIDR like "10.0.0.0/24" or a service tag (or sourceAddressPrefixes or sourceApplicationSecurityGroups)'],
    ['NSG rule destinationAddressPrefix (no list, no ASGs)', [nsgWith({ destinationAddressPrefix: undefined })], at('destinationAddressPrefix'),
      '(or destinationAddressPrefixes or destinationApplicationSecurityGroups)'],
    ['NSG rule destinationAddressPrefix null, empty list and empty ASG list', [nsgWith({ destinationAddressPrefix: null, destinationAddressPrefixes: [], destinationApplicationSecurityGroups: [] })],
      at('destinationAddressPrefix'), '(or destinationAddressPrefixes or destinationApplicationSecurityGroups)'],
    ['loadBalancingRules protocol', [lbWith({ loadBalancingRules: [lbRule('loadBalancingRules', { protocol: undefined })] })], lbAt('loadBalancingRules', 'protocol'),
      'a load balancer rule protocol: "Tcp", "Udp" or "All"'],
    ['loadBalancingRules frontendPort', [lbWith({ loadBalancingRules: [lbRule('loadBalancingRules', { frontendPort: undefined })] })], lbAt('loadBalancingRules', 'frontendPort'),
      'a port number (a whole number 0-65534)'],
    ['outboundRules protocol', [lbWith({ outboundRules: [lbRule('outboundRules', { protocol: undefined })] })], lbAt('outboundRules', 'protocol'),
      'a load balancer rule protocol: "Tcp", "Udp" or "All"'],
    ['outboundRules backendAddressPool', [lbWith({ outboundRules: [lbRule('outboundRules', { backendAddressPool: undefined })] })], lbAt('outboundRules', 'backendAddressPool'),
      'the outbound rule\'s backendAddressPool'],
    ['outboundRules frontendIPConfigurations', [lbWith({ outboundRules: [lbRule('outboundRules', { frontendIPConfigurations: undefined })] })], lbAt('outboundRules', 'frontendIPConfigurations'),
      'the outbound rule\'s frontendIPConfigurations'],
  ])('%s', (_label, json, path, expected) => {
    expectLeftOut(json, path, expected, 'nothing');
  });

  it('a default security rule without protocol', () => {
    const json = [{ id: NSG_ID, type: 'Microsoft.Network/networkSecurityGroups', properties: { defaultSecurityRules: [rule({ priority: 65500, protocol: undefined })] } }];
    expectLeftOut(json, '$[0].properties.defaultSecurityRules[0].properties.protocol', 'an NSG rule protocol', 'nothing');
  });

  it('the az shape (flattened): paths as written', () => {
    expectLeftOut([flattenRest(nsgWith({ protocol: undefined }))], '$[0].securityRules[0].protocol', 'an NSG rule protocol', 'nothing');
    expectLeftOut([flattenRest(nsgWith({ sourceAddressPrefix: '' }))], '$[0].securityRules[0].sourceAddressPrefix', '(or sourceAddressPrefixes or sourceApplicationSecurityGroups)', '""');
    expectLeftOut([flattenRest(lbWith({ outboundRules: [lbRule('outboundRules', { backendAddressPool: undefined })] }))], '$[0].outboundRules[0].backendAddressPool', 'the outbound rule\'s backendAddressPool', 'nothing');
  });

  it('a firewall policy rule collection without ruleCollectionType', () => {
    const policy = `${NET}/firewallPolicies/p`;
    const json = [{
      id: policy, name: 'p', type: 'Microsoft.Network/firewallPolicies',
      properties: {
        ruleCollectionGroups: [{
          id: `${policy}/ruleCollectionGroups/g`, name: 'g',
          properties: { priority: 100, ruleCollections: [{ name: 'c', priority: 100, action: { type: 'Deny' }, rules: [{ ruleType: 'NetworkRule', name: 'r', ipProtocols: ['Any'], sourceAddresses: ['*'], destinationAddresses: ['*'], destinationPorts: ['*'] }] }] },
        }],
      },
    }];
    expectLeftOut(json, '$[0].properties.ruleCollectionGroups[0].properties.ruleCollections[0].ruleCollectionType',
      '"FirewallPolicyFilterRuleCollection" or "FirewallPolicyNatRuleCollection"', 'nothing');
  });

  /**
   * Guard against over-reach (these shapes loaded before too): what ARM, az and Resource Graph print
   * keeps loading. A blank single prefix with ASGs (`az network nsg rule create --destination-asgs`),
   * a blank single prefix with a list, a load-balancing rule without `backendPort` (not required:
   * Azure reads it as 0, "any port"), an inbound NAT rule without protocol (InboundNatRulePropertiesFormat
   * requires nothing; inbound NAT carries no egress).
   */
  it('keeps what the spec allows and Azure prints', () => {
    const asg = { id: `${NET}/applicationSecurityGroups/web` };
    const nsg = [{
      id: NSG_ID, type: 'Microsoft.Network/networkSecurityGroups',
      properties: {
        securityRules: [
          { name: 'a', properties: { ...rule({}).properties, priority: 100, destinationAddressPrefix: '', destinationAddressPrefixes: [], destinationApplicationSecurityGroups: [asg] } },
          { name: 'b', properties: { ...rule({}).properties, priority: 101, sourceAddressPrefix: undefined, sourceApplicationSecurityGroups: [asg] } },
          { name: 'c', properties: { ...rule({}).properties, priority: 102, destinationAddressPrefix: '', destinationAddressPrefixes: ['10.0.0.0/24'] } },
        ],
      },
    }];
    const lb = [lbWith({
      loadBalancingRules: [lbRule('loadBalancingRules', { protocol: 'All', frontendPort: 0, backendPort: undefined })],
      inboundNatRules: [lbRule('inboundNatRules', { protocol: undefined })],
    })];
    for (const json of [nsg, flattenRest(nsg), lb, flattenRest(lb)]) {
      const { gaps } = normalizeArm([{ fileName: 'estate.json', json }]);
      expect(gaps.filter((g) => g.code === 'skipped-input')).toEqual([]);
    }
    const model = normalizeArm([{ fileName: 'estate.json', json: lb }]).model;
    expect(model.loadBalancers[0]?.loadBalancingRules[0]).toMatchObject({ protocol: 'All', frontendPort: 0, backendPort: 0 });
  });
});

/**
 * The training demo with one value changed: where the normalizer alone decides (the referenced NSG
 * or route table is left out), the subnet's verdict is unknown instead of a different confident one.
 */
describe('the verdict where the left-out resource is referenced', () => {
  const training = demoEstate('training');

  function verdictOf(mutate: (resources: Json[]) => void, source: string): { verdict: string; gaps: readonly string[] } {
    const json = demoBundle('training');
    mutate(json.resources as Json[]);
    const normalized = normalizeArm([{ fileName: 'training.json', json }]);
    const result = resolveEgress({ model: normalized.model, effectiveRoutes: normalized.effectiveRoutes, metrics: [], gaps: normalized.gaps, serviceTags: training.serviceTags }, {});
    const path = result.paths.find((p) => p.source.id.toLowerCase().endsWith(`/${source}`));
    if (path === undefined) throw new Error(`no path for ${source}`);
    return { verdict: path.verdict, gaps: normalized.gaps.filter((g) => g.code === 'skipped-input').map((g) => g.message) };
  }
  const named = (resources: Json[], name: string): Json => resources.find((r) => r.name === name);
  const denyRule = (resources: Json[]): Json => named(resources, 'nsg-lesson17-deny-internet').properties.securityRules[0].properties;
  const outboundRule = (resources: Json[]): Json => named(resources, 'lbe-training-outbound-rule').properties.outboundRules[0].properties;
  const balancingRule = (resources: Json[]): Json => named(resources, 'lbe-training-implicit-snat').properties.loadBalancingRules[0].properties;

  it.each<[string, (resources: Json[]) => void, string, string]>([
    ['NSG properties []', (r) => { named(r, 'nsg-lesson17-deny-internet').properties = []; }, 'snet-17-nsg-deny-internet', '.properties: expected a JSON object'],
    ['NSG rule priority 70000', (r) => { denyRule(r).priority = 70000; }, 'snet-17-nsg-deny-internet', '.priority: expected a rule priority number'],
    ['NSG rule protocol "Tpc"', (r) => { denyRule(r).protocol = 'Tpc'; }, 'snet-17-nsg-deny-internet', '.protocol: expected an NSG rule protocol'],
    ['NSG rule destinationPortRange "44x"', (r) => { denyRule(r).destinationPortRange = '44x'; }, 'snet-17-nsg-deny-internet', '.destinationPortRange: expected a port range'],
    ['NSG rule destinationAddressPrefix ""', (r) => { denyRule(r).destinationAddressPrefix = ''; }, 'snet-17-nsg-deny-internet', '.destinationAddressPrefix: expected an address prefix'],
    ['route table properties []', (r) => { named(r, 'rt-lesson08-none').properties = []; }, 'snet-08-udr-none', '.properties: expected a JSON object'],
    ['route addressPrefix "0.0.0.0"', (r) => { named(r, 'rt-lesson08-none').properties.routes[0].properties.addressPrefix = '0.0.0.0'; }, 'snet-08-udr-none',
      '.addressPrefix: expected a route address prefix (a CIDR like "0.0.0.0/0" or a service tag)'],
    // Required fields absent (section G): each was read as a default that kept a confident verdict.
    ['NSG rule without protocol', (r) => { delete denyRule(r).protocol; }, 'snet-17-nsg-deny-internet', '.protocol: expected an NSG rule protocol'],
    ['NSG rule without destinationAddressPrefix(es)', (r) => { delete denyRule(r).destinationAddressPrefix; delete denyRule(r).destinationAddressPrefixes; }, 'snet-17-nsg-deny-internet',
      '.destinationAddressPrefix: expected an address prefix'],
    ['NSG rule without sourceAddressPrefix(es)', (r) => { delete denyRule(r).sourceAddressPrefix; delete denyRule(r).sourceAddressPrefixes; }, 'snet-17-nsg-deny-internet',
      '.sourceAddressPrefix: expected an address prefix'],
    ['NSG rule without destinationPortRange(s)', (r) => { delete denyRule(r).destinationPortRange; delete denyRule(r).destinationPortRanges; }, 'snet-17-nsg-deny-internet',
      '.destinationPortRange: expected a port range'],
    ['outbound rule without protocol', (r) => { delete outboundRule(r).protocol; }, 'nic-vm-lesson05-01', '.protocol: expected a load balancer rule protocol'],
    ['outbound rule without backendAddressPool', (r) => { delete outboundRule(r).backendAddressPool; }, 'nic-vm-lesson05-01', '.backendAddressPool: expected the outbound rule\'s backendAddressPool'],
    ['outbound rule without frontendIPConfigurations', (r) => { delete outboundRule(r).frontendIPConfigurations; }, 'nic-vm-lesson05-01',
      '.frontendIPConfigurations: expected the outbound rule\'s frontendIPConfigurations'],
    ['load-balancing rule without protocol', (r) => { delete balancingRule(r).protocol; }, 'nic-vm-lesson06-01', '.protocol: expected a load balancer rule protocol'],
    ['load-balancing rule without frontendPort', (r) => { delete balancingRule(r).frontendPort; }, 'nic-vm-lesson06-01', '.frontendPort: expected a port number (a whole number 0-65534)'],
    ['policy rule collection without ruleCollectionType', (r) => { delete named(r, 'rcg-training-web').properties.ruleCollections[0].ruleCollectionType; }, 'snet-12-firewall-with-nat',
      '.ruleCollectionType: expected "FirewallPolicyFilterRuleCollection" or "FirewallPolicyNatRuleCollection"'],
  ])('%s: unknown, the gap naming file, path and expectation', (_label, mutate, source, expected) => {
    expect(verdictOf(() => undefined, source).verdict).not.toBe('unknown');
    const after = verdictOf(mutate, source);
    expect(after.verdict).toBe('unknown');
    expect(after.gaps.some((m) => m.startsWith('training.json: $.resources[') && m.includes(expected))).toBe(true);
  });
});

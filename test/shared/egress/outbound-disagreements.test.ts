/**
 * Outbound method facts that rest on more than one record, with real ARM input shapes (REST
 * `properties` shape, as ARM GET, `az rest` and Resource Graph return it; back-references as Azure
 * prints them): a load balancer's outbound for a VM of an availability set, an IP configuration in
 * several backend pools, a StandardV2 NAT gateway's IPv6 list, and a NAT gateway or public IP whose
 * back-reference disagrees with the record Azure writes the association on. Where Azure's behaviour
 * is not documented, or the records disagree, the answer is unknown naming it, never a guessed exit.
 */
import { describe, expect, it } from 'vitest';
import { explainPath } from '../../../shared/egress/explain';
import { normalizeArm } from '../../../shared/arm';
import { resolveEgress } from '../../../shared/egress';
import type { EgressPath, ResolveResult } from '../../../shared/egress/types';
import { availabilitySetId, frontendId, ipConfigId, natGatewayId, natGatewayJson, NET, nicId, nicJson, pipId, pipJson, poolId, subnetId, vmId, vmJson, vnetJson, type Json } from '../../support/arm-json';



function resolveArm(resources: readonly Json[]): ResolveResult {
  const { model, effectiveRoutes, gaps } = normalizeArm([{ fileName: 'outbound-disagreements.json', json: resources }]);
  return resolveEgress({ model, effectiveRoutes, metrics: [], gaps: [...gaps] });
}

/** VNet v with private subnet app (10.0.1.0/24, defaultOutboundAccess false). */
const PRIVATE_APP_VNET: Json = vnetJson('v', '10.0.0.0/16', [{ name: 'app', prefix: '10.0.1.0/24', props: { defaultOutboundAccess: false } }]);

function pathFor(result: ResolveResult, id: string): EgressPath {
  const path = result.paths.find((p) => p.source.id.toLowerCase() === id.toLowerCase());
  if (!path) throw new Error(`no path for ${id}; have ${result.paths.map((p) => p.source.id).join(', ')}`);
  return path;
}

/** The missing fact an unknown path names ('' for any other end). */
function missingFact(path: EgressPath): string {
  const end = path.steps.at(-1);
  return end?.kind === 'terminal' && end.reason.kind === 'undecided' ? end.reason.missingFact : '';
}

/** A Standard public load balancer `lb-out` with one frontend (20.0.0.9) and an outbound rule on pool `pool`, whose LB-side members are `members`. */
function outboundRuleLb(members: readonly string[]): readonly Json[] {
  const lbId = `${NET}/loadBalancers/lb-out`;
  return [
    pipJson('lb-pip', '20.0.0.9'),
    {
      id: lbId, name: 'lb-out', type: 'Microsoft.Network/loadBalancers', location: 'westeurope', sku: { name: 'Standard', tier: 'Regional' },
      properties: {
        frontendIPConfigurations: [{ id: frontendId('lb-out', 'fe'), name: 'fe', properties: { publicIPAddress: { id: pipId('lb-pip') } } }],
        backendAddressPools: [{ id: poolId('lb-out', 'pool'), name: 'pool', properties: { backendIPConfigurations: members.map((m) => ({ id: ipConfigId(m) })) } }],
        loadBalancingRules: [],
        outboundRules: [{
          id: `${lbId}/outboundRules/ob`, name: 'ob',
          properties: { frontendIPConfigurations: [{ id: frontendId('lb-out', 'fe') }], backendAddressPool: { id: poolId('lb-out', 'pool') }, protocol: 'All', allocatedOutboundPorts: 0, enableTcpReset: false, idleTimeoutInMinutes: 4 },
        }],
      },
    },
  ];
}

/**
 * Subnet app with vm1 (vm1-nic in the outbound-rule pool of lb-out) and vm2. `vm2`: the availability
 * set its VM document names (null: no VM documents at all), whether its NIC is in the pool, and
 * whether its NIC document is exported.
 */
function availabilitySetEstate(vm2: { readonly set: string | null; readonly inPool: boolean; readonly nicExported: boolean }): readonly Json[] {
  const s = subnetId('v', 'app');
  const pool = [poolId('lb-out', 'pool')];
  return [
    vnetJson('v', '10.0.0.0/16', [{ name: 'app', prefix: '10.0.1.0/24' }]),
    ...outboundRuleLb(vm2.inPool ? ['vm1-nic', 'vm2-nic'] : ['vm1-nic']),
    nicJson('vm1-nic', [{ ip: '10.0.1.4', subnet: s, pools: pool }], 'vm1'),
    ...(vm2.nicExported ? [nicJson('vm2-nic', [{ ip: '10.0.1.5', subnet: s, ...(vm2.inPool ? { pools: pool } : {}) }], 'vm2')] : []),
    ...(vm2.set === null ? [] : [vmJson('vm1', 'vm1-nic', 'as-web'), vmJson('vm2', 'vm2-nic', vm2.set)]),
  ];
}

/**
 * vm1-nic's first IP configuration has its own public IP vm1-pip (20.0.0.5), and public IP
 * stale-pip (20.0.0.6) names vm1-nic/ipconfig2 as its ipConfiguration: a configuration the NIC
 * lists (`listsSecond`, without stale-pip) or does not list at all.
 */
function stalePublicIpEstate(listsSecond: boolean): readonly Json[] {
  const s = subnetId('v', 'app');
  return [
    vnetJson('v', '10.0.0.0/16', [{ name: 'app', prefix: '10.0.1.0/24' }]),
    pipJson('vm1-pip', '20.0.0.5'),
    pipJson('stale-pip', '20.0.0.6', { props: { ipConfiguration: { id: ipConfigId('vm1-nic', 'ipconfig2') } } }),
    nicJson('vm1-nic', [{ ip: '10.0.1.4', subnet: s, pip: 'vm1-pip' }, ...(listsSecond ? [{ ip: '10.0.1.5', subnet: s }] : [])], 'vm1'),
  ];
}

describe('load balancer outbound for a VM in an availability set', () => {
  // "All virtual machines within an **availability set** must be added to the backend pool for
  // outbound connectivity." MicrosoftDocs/azure-docs articles/load-balancer/outbound-rules.md
  // (Limitations, ms.date 04/11/2024) https://learn.microsoft.com/azure/load-balancer/outbound-rules#limitations
  // What a pool member gets when another VM of its availability set is not in the pool is not
  // documented: unknown, naming the availability set and the VM outside the pool.
  it('VM vm1 in the outbound-rule pool while vm2 of the same availability set is not: vm1 is unknown, not "internet via the LB frontend"', () => {
    const result = resolveArm(availabilitySetEstate({ set: 'as-web', inPool: false, nicExported: true }));
    const path = pathFor(result, nicId('vm1-nic'));
    expect(path).toMatchObject({ verdict: 'unknown', exit: null, egressIps: [] });
    expect(missingFact(path)).toMatch(/availability set as-web, whose VM vm2 .*not shown in the pool \(no IP configuration of its NIC vm2-nic is in the pool\).*All virtual machines within an availability set/);
    // The evidence to fetch: the availability set's VMs.
    expect(explainPath(path).at(-1)?.verify).toBe(`az vm availability-set show --ids '${availabilitySetId('as-web').toLowerCase()}' --query 'virtualMachines[].id'`);
  });

  it('every VM of the availability set in the pool: internet from the frontend, as before', () => {
    const result = resolveArm(availabilitySetEstate({ set: 'as-web', inPool: true, nicExported: true }));
    for (const nic of ['vm1-nic', 'vm2-nic']) expect(pathFor(result, nicId(nic))).toMatchObject({ verdict: 'internet', exit: 'load-balancer', egressIps: ['20.0.0.9'] });
  });

  it('no VM document in the input: the availability set is not known and the outbound rule decides (VMs not in the input do not make it unknown)', () => {
    const result = resolveArm(availabilitySetEstate({ set: null, inPool: false, nicExported: true }));
    expect(pathFor(result, nicId('vm1-nic'))).toMatchObject({ verdict: 'internet', exit: 'load-balancer', egressIps: ['20.0.0.9'] });
  });

  it('vm2 of the set in the input as a VM document only (its NIC not exported): unknown, saying its pool membership cannot be read', () => {
    const result = resolveArm(availabilitySetEstate({ set: 'as-web', inPool: false, nicExported: false }));
    const path = pathFor(result, nicId('vm1-nic'));
    expect(path.verdict).toBe('unknown');
    expect(missingFact(path)).toContain('VM vm2 (its VM document names the set) is not shown in the pool (its NIC vm2-nic, which its VM document lists, is not in the input and the load balancer\'s pool does not list it, so whether it is in the pool cannot be read)');
  });

  // The load balancer's own record lists vm2-nic/ipconfig1 in the pool (backendIPConfigurations,
  // LoadBalancerCreateWithOutboundRules.json shape) and vm2's document names vm2-nic as its NIC
  // (networkProfile.networkInterfaces, https://learn.microsoft.com/rest/api/compute/virtual-machines/get):
  // a pool member ID names its NIC, so vm2 is in the pool though vm2-nic's own document is not in the
  // input (another resource group not exported), and every VM of the set is in the pool.
  it('vm2 of the set: VM document names vm2-nic, the pool lists vm2-nic/ipconfig1, NIC document absent: internet from the frontend', () => {
    const result = resolveArm(availabilitySetEstate({ set: 'as-web', inPool: true, nicExported: false }));
    const path = pathFor(result, nicId('vm1-nic'));
    expect(missingFact(path)).toBe('');
    expect(path).toMatchObject({ verdict: 'internet', exit: 'load-balancer', egressIps: ['20.0.0.9'] });
  });

  it('the NICs a VM of the set lists that the input lacks are kept on the set (none lacking: no list)', () => {
    const s = subnetId('v', 'app');
    const { model } = normalizeArm([{ fileName: 'vms.json', json: [
      nicJson('vm1-nic', [{ ip: '10.0.1.4', subnet: s }], 'vm1'),
      vmJson('vm1', 'vm1-nic', 'as-web'),
      vmJson('vm2', 'vm2-nic', 'as-web'),
    ] }]);
    expect(model.networkInterfaces[0]?.availabilitySet).toEqual({
      id: availabilitySetId('as-web').toLowerCase(), virtualMachineIds: [vmId('vm1').toLowerCase(), vmId('vm2').toLowerCase()],
      missingNetworkInterfaceIds: [[], [nicId('vm2-nic').toLowerCase()]],
    });
  });

  it('VMs of another availability set outside the pool do not matter', () => {
    const result = resolveArm(availabilitySetEstate({ set: 'as-db', inPool: false, nicExported: true }));
    expect(pathFor(result, nicId('vm1-nic'))).toMatchObject({ verdict: 'internet', exit: 'load-balancer', egressIps: ['20.0.0.9'] });
  });

  // The availability set's own document lists its VMs ("virtualMachines": "A list of references to
  // all virtual machines in the availability set", https://learn.microsoft.com/rest/api/compute/availability-sets/get),
  // so without VM documents the set still shows vm2, whose NIC is not in the pool.
  describe('the availability set\'s own document (no VM documents)', () => {
    const setJson = (vms: readonly string[], casing: 'rest' | 'az'): Json => {
      const list = vms.map((vm) => ({ id: vmId(vm).toUpperCase() }));
      return casing === 'rest'
        ? { id: availabilitySetId('as-web'), name: 'as-web', type: 'Microsoft.Compute/availabilitySets', location: 'westeurope', sku: { name: 'Aligned' }, properties: { platformFaultDomainCount: 2, platformUpdateDomainCount: 5, virtualMachines: list } }
        : { id: availabilitySetId('as-web'), name: 'as-web', type: 'Microsoft.Compute/availabilitySets', location: 'westeurope', platformFaultDomainCount: 2, VirtualMachines: list };
    };

    it.each(['rest', 'az'] as const)('vm2 listed by the set (%s shape), its NIC outside the pool: vm1 is unknown naming the set\'s document', (casing) => {
      const estate = availabilitySetEstate({ set: null, inPool: false, nicExported: true });
      const path = pathFor(resolveArm([...estate, setJson(['vm1', 'vm2'], casing)]), nicId('vm1-nic'));
      expect(path).toMatchObject({ verdict: 'unknown', exit: null });
      expect(missingFact(path)).toContain('whose VM vm2 (the availability set\'s document lists it) is not shown in the pool (no IP configuration of its NIC vm2-nic is in the pool)');
    });

    it('every VM the set lists in the pool: internet from the frontend; a VM whose NIC the input lacks: unknown, its membership cannot be read', () => {
      const inPool = availabilitySetEstate({ set: null, inPool: true, nicExported: true });
      expect(pathFor(resolveArm([...inPool, setJson(['vm1', 'vm2'], 'rest')]), nicId('vm1-nic'))).toMatchObject({ verdict: 'internet', exit: 'load-balancer', egressIps: ['20.0.0.9'] });
      const path = pathFor(resolveArm([...inPool, setJson(['vm1', 'vm2', 'vm3'], 'rest')]), nicId('vm1-nic'));
      expect(path.verdict).toBe('unknown');
      expect(missingFact(path)).toContain('whose VM vm3 (the availability set\'s document lists it) is not shown in the pool (none of its NICs is in the input, so whether it is in the pool cannot be read)');
    });

    it('a VM whose own document names no availability set is not taken into the set by the set\'s document', () => {
      const estate = availabilitySetEstate({ set: null, inPool: false, nicExported: true });
      const vm2Alone = { id: vmId('vm2'), name: 'vm2', type: 'Microsoft.Compute/virtualMachines', location: 'westeurope', properties: { networkProfile: { networkInterfaces: [{ id: nicId('vm2-nic') }] } } };
      expect(pathFor(resolveArm([...estate, setJson(['vm1', 'vm2'], 'rest'), vm2Alone]), nicId('vm1-nic'))).toMatchObject({ verdict: 'internet', exit: 'load-balancer' });
    });
  });

  it('the availability set as az prints a VM (flattened, any casing): read the same', () => {
    const { model } = normalizeArm([{ fileName: 'az-vm.json', json: [
      { id: vmId('vm1'), name: 'vm1', type: 'Microsoft.Compute/virtualMachines', availabilitySet: { id: availabilitySetId('AS-WEB').toUpperCase() }, networkProfile: { networkInterfaces: [{ id: nicId('vm1-nic') }] } },
      nicJson('vm1-nic', [{ ip: '10.0.1.4', subnet: subnetId('v', 'app') }], 'vm1'),
    ] }]);
    expect(model.networkInterfaces[0]?.availabilitySet).toEqual({ id: availabilitySetId('as-web').toLowerCase(), virtualMachineIds: [vmId('vm1').toLowerCase()] });
  });
});

describe('StandardV2 NAT gateway addresses listed under publicIpAddressesV6', () => {
  // ARM lists a StandardV2 NAT gateway's IPv6 addresses apart, under `publicIpAddressesV6`
  // (azure-rest-api-specs Microsoft.Network stable 2026-01-01 examples/NatGatewayListAll.json,
  // test-natGateway3). "A StandardV2 NAT gateway resource can use up to 16 IPv4 and 16 IPv6 public
  // IP addresses" (azure-docs articles/nat-gateway/nat-overview.md, 04/14/2026); an IPv4 flow is
  // translated to an IPv4 address only, and 64,512 SNAT ports are per IPv4 address
  // (articles/nat-gateway/nat-gateway-resource.md). The field name states the address's version
  // even when the public IP resource itself is not in the input.
  it('only an IPv6 address (under publicIpAddressesV6, its resource not exported): IPv4 traffic is unknown, not "internet via the NAT gateway"', () => {
    const s = subnetId('v', 'app');
    const natId = natGatewayId('nat-v2');
    const result = resolveArm([
      vnetJson('v', '10.0.0.0/16', [{ name: 'app', prefix: '10.0.1.0/24', props: { natGateway: { id: natId } } }]),
      natGatewayJson('nat-v2', 'StandardV2', { publicIpAddressesV6: [{ id: pipId('nat-v6') }], subnets: [{ id: s }] }),
      nicJson('vm1-nic', [{ ip: '10.0.1.4', subnet: s }], 'vm1'),
    ]);
    const path = pathFor(result, s);
    expect(path.verdict).toBe('unknown');
    expect(path.snatPorts).toBeNull();
  });

  it('an IPv4 address plus an IPv6 one under publicIpAddressesV6 (not exported): IPv4 traffic leaves from the IPv4 address only, 64,512 ports', () => {
    const s = subnetId('v', 'app');
    const natId = natGatewayId('nat-v2');
    const result = resolveArm([
      vnetJson('v', '10.0.0.0/16', [{ name: 'app', prefix: '10.0.1.0/24', props: { natGateway: { id: natId } } }]),
      pipJson('nat-v4', '20.0.0.1', { sku: 'StandardV2' }),
      natGatewayJson('nat-v2', 'StandardV2', { publicIpAddresses: [{ id: pipId('nat-v4') }], publicIpAddressesV6: [{ id: pipId('nat-v6') }], subnets: [{ id: s }] }),
      nicJson('vm1-nic', [{ ip: '10.0.1.4', subnet: s }], 'vm1'),
    ]);
    expect(pathFor(result, s)).toMatchObject({ verdict: 'internet', exit: 'nat-gateway', egressIps: ['20.0.0.1'], snatPorts: 64_512 });
  });
});

describe('a NIC IP configuration in several backend pools', () => {
  // "Standard Load Balancer uses all candidates for outbound flows at the same time when multiple
  // (public) IP frontends is present. Each frontend multiplies the number of available preallocated
  // SNAT ports if a load balancing rule is enabled for outbound connections."
  // MicrosoftDocs/azure-docs articles/load-balancer/load-balancer-outbound-connections.md
  // ("Multiple frontends for outbound flows"); load-balancing rules "provide automatic programming of
  // outbound NAT" unless disableOutboundSnat (articles/load-balancer/outbound-rules.md). Both rules
  // program SNAT for this IP configuration, so both frontends are candidates: an allowlist built
  // from the answer must hold both addresses.
  const lbId = `${NET}/loadBalancers/lb-web`;
  const rule = (name: string, fe: string, pool: string, port: number): Json => ({
    id: `${lbId}/loadBalancingRules/${name}`, name,
    properties: {
      frontendIPConfiguration: { id: frontendId('lb-web', fe) }, backendAddressPool: { id: poolId('lb-web', pool) },
      protocol: 'Tcp', frontendPort: port, backendPort: port, disableOutboundSnat: false, enableFloatingIP: false, idleTimeoutInMinutes: 4,
    },
  });
  const outboundRule = (name: string, fe: string, pool: string): Json => ({
    id: `${lbId}/outboundRules/${name}`, name,
    properties: { frontendIPConfigurations: [{ id: frontendId('lb-web', fe) }], backendAddressPool: { id: poolId('lb-web', pool) }, protocol: 'All', allocatedOutboundPorts: 0, enableTcpReset: false, idleTimeoutInMinutes: 4 },
  });
  const twoPools = (rules: { readonly loadBalancingRules?: readonly Json[]; readonly outboundRules?: readonly Json[] }): ResolveResult => {
    const s = subnetId('v', 'app');
    return resolveArm([
      vnetJson('v', '10.0.0.0/16', [{ name: 'app', prefix: '10.0.1.0/24' }]),
      pipJson('pip-a', '20.0.0.1'),
      pipJson('pip-b', '20.0.0.2'),
      {
        id: lbId, name: 'lb-web', type: 'Microsoft.Network/loadBalancers', location: 'westeurope', sku: { name: 'Standard', tier: 'Regional' },
        properties: {
          frontendIPConfigurations: [
            { id: frontendId('lb-web', 'fe-a'), name: 'fe-a', properties: { publicIPAddress: { id: pipId('pip-a') } } },
            { id: frontendId('lb-web', 'fe-b'), name: 'fe-b', properties: { publicIPAddress: { id: pipId('pip-b') } } },
          ],
          backendAddressPools: [
            { id: poolId('lb-web', 'pool-a'), name: 'pool-a', properties: { backendIPConfigurations: [{ id: ipConfigId('vm1-nic') }] } },
            { id: poolId('lb-web', 'pool-b'), name: 'pool-b', properties: { backendIPConfigurations: [{ id: ipConfigId('vm1-nic') }] } },
          ],
          loadBalancingRules: rules.loadBalancingRules ?? [],
          outboundRules: rules.outboundRules ?? [],
        },
      },
      nicJson('vm1-nic', [{ ip: '10.0.1.4', subnet: s, pools: [poolId('lb-web', 'pool-a'), poolId('lb-web', 'pool-b')] }], 'vm1'),
    ]);
  };

  it('rule ra (pool-a, frontend 20.0.0.1) and rule rb (pool-b, frontend 20.0.0.2), both SNAT-enabled: both addresses are egress IPs', () => {
    const path = pathFor(twoPools({ loadBalancingRules: [rule('ra', 'fe-a', 'pool-a', 80), rule('rb', 'fe-b', 'pool-b', 443)] }), nicId('vm1-nic'));
    expect(path).toMatchObject({ verdict: 'internet', exit: 'load-balancer' });
    expect([...path.egressIps].sort()).toEqual(['20.0.0.1', '20.0.0.2']);
    // One VM in each pool: 1,024 ports per frontend, capped at 1,024 [LBOUT].
    expect(path.snatPorts).toBe(1_024);
    // The exit step names both pools, as it names both rules.
    expect(path.steps.find((st) => st.kind === 'load-balancer')).toMatchObject({ ruleName: 'ra, rb', poolName: 'pool-a, pool-b' });
    expect(explainPath(path).find((h) => h.kind === 'load-balancer')?.rule).toMatch(/implicit SNAT \(pools pool-a, pool-b\)$/);
  });

  // "An outbound rule configures outbound NAT for all virtual machines identified by the backend pool
  // to be translated to the frontend" (articles/load-balancer/outbound-rules.md): two rules would
  // translate the same IP configuration to different frontends, and Azure documents neither which
  // applies nor that both do.
  it('outbound rules on both pools (different frontends): unknown naming both rules, not the first pool\'s frontend', () => {
    const path = pathFor(twoPools({ outboundRules: [outboundRule('ob-a', 'fe-a', 'pool-a'), outboundRule('ob-b', 'fe-b', 'pool-b')] }), nicId('vm1-nic'));
    expect(path).toMatchObject({ verdict: 'unknown', exit: null, egressIps: [] });
    expect(missingFact(path)).toMatch(/outbound rules ob-a .*20\.0\.0\.1.* and ob-b .*20\.0\.0\.2.* each cover it/);
  });

  it('an outbound rule on one pool only: its frontend, as before', () => {
    const path = pathFor(twoPools({ outboundRules: [outboundRule('ob-b', 'fe-b', 'pool-b')] }), nicId('vm1-nic'));
    expect(path).toMatchObject({ verdict: 'internet', exit: 'load-balancer', egressIps: ['20.0.0.2'] });
  });
});

describe('attachments Azure states on both sides', () => {
  // NAT gateway `subnets` is read-only, "An array of references to the subnets using this nat gateway
  // resource" (azure-rest-api-specs natGateway.json, NatGatewayPropertiesFormat; examples/NatGatewayGet.json
  // shows the back-reference). A NAT gateway "takes precedence over other outbound connectivity methods"
  // (azure-docs articles/nat-gateway/nat-overview.md). When the NAT gateway's record says the subnet uses
  // it and the subnet's record names no NAT gateway (an older api-version's listing, or documents read at
  // different times), the exit is not known: unknown naming which resource says what.
  it('NAT gateway whose subnets[] names subnet app, subnet record without natGateway: unknown naming both records, not "default outbound access"', () => {
    const s = subnetId('v', 'app');
    const result = resolveArm([
      vnetJson('v', '10.0.0.0/16', [{ name: 'app', prefix: '10.0.1.0/24' }]),
      pipJson('nat-pip', '20.0.0.1'),
      natGatewayJson('nat-app', 'Standard', { publicIpAddresses: [{ id: pipId('nat-pip') }], subnets: [{ id: s }] }),
      nicJson('vm1-nic', [{ ip: '10.0.1.4', subnet: s }], 'vm1'),
    ]);
    const path = pathFor(result, s);
    expect(path).toMatchObject({ verdict: 'unknown', exit: null });
    expect(missingFact(path)).toMatch(/NAT gateway's record lists the subnet .*subnet's own record names no NAT gateway.*20\.0\.0\.1/);
    // The evidence to fetch: the NAT gateway's own record of its subnets.
    expect(explainPath(path).at(-1)?.verify).toMatch(/^az network nat gateway show --ids '[^']*natgateways\/nat-app' --query '\{publicIpAddresses:publicIpAddresses\[\]\.id, publicIpPrefixes:publicIpPrefixes\[\]\.id, subnets/);
  });

  // The association is written on the subnet (its `natGateway`); the gateway's list is the derived
  // back-reference, so a gateway list that omits the subnet does not overrule the subnet's record.
  it('subnet record naming the NAT gateway while the gateway\'s subnets[] omits it: the subnet\'s record decides (NAT gateway)', () => {
    const s = subnetId('v', 'app');
    const natId = natGatewayId('nat-app');
    const result = resolveArm([
      vnetJson('v', '10.0.0.0/16', [{ name: 'app', prefix: '10.0.1.0/24', props: { natGateway: { id: natId } } }]),
      pipJson('nat-pip', '20.0.0.1'),
      natGatewayJson('nat-app', 'Standard', { publicIpAddresses: [{ id: pipId('nat-pip') }], subnets: [] }),
      nicJson('vm1-nic', [{ ip: '10.0.1.4', subnet: s }], 'vm1'),
    ]);
    expect(pathFor(result, s)).toMatchObject({ verdict: 'internet', exit: 'nat-gateway', egressIps: ['20.0.0.1'] });
  });

  // Public IP `ipConfiguration` is read-only, "The IP configuration associated with the public IP
  // address" (azure-rest-api-specs publicIpAddress.json; examples/PublicIpAddressGet.json points it at a
  // NIC ipconfig). In a private subnet a VM still reaches the internet through "a Standard public IP
  // [associated] to any of the virtual machine's network interfaces" (azure-docs
  // articles/virtual-network/ip-services/default-outbound-access.md, 01/30/2026). The public IP's record
  // saying it is attached to the NIC is no basis for a confident "no internet egress" error.
  it('public IP whose ipConfiguration names vm1-nic/ipconfig1, NIC record without publicIPAddress, private subnet: unknown naming both records, not "no outbound"', () => {
    const s = subnetId('v', 'app');
    const result = resolveArm([
      PRIVATE_APP_VNET,
      pipJson('vm1-pip', '20.0.0.5', { props: { ipConfiguration: { id: ipConfigId('vm1-nic') } } }),
      nicJson('vm1-nic', [{ ip: '10.0.1.4', subnet: s }], 'vm1'),
    ]);
    const path = pathFor(result, nicId('vm1-nic'));
    expect(path).toMatchObject({ verdict: 'unknown', exit: null, findings: [] });
    expect(missingFact(path)).toMatch(/IP configuration ipconfig1 of NIC vm1-nic has public IP 20\.0\.0\.5: the public IP's record names the configuration .*NIC's record gives it no public IP/);
  });

  // The same disagreement when the NIC's record does not list the named configuration at all (exported
  // before ipconfig2 was added, or after it was removed): "Associate a public IP to any of the virtual
  // machine's network interfaces" ends default outbound access (azure-docs articles/virtual-network/
  // ip-services/default-outbound-access.md), so the NIC has its own entry, unknown naming the public
  // IP and the NIC's record; the subnet's entry then stands for no NIC of the input (no error).
  it('public IP naming vm1-nic/ipconfig2, NIC record listing only ipconfig1 (private subnet): the NIC is unknown naming both records, no "no outbound" error', () => {
    const s = subnetId('v', 'app');
    const result = resolveArm([
      PRIVATE_APP_VNET,
      pipJson('vm1-pip2', '20.0.0.6', { props: { ipConfiguration: { id: ipConfigId('vm1-nic', 'ipconfig2') } } }),
      nicJson('vm1-nic', [{ ip: '10.0.1.4', subnet: s }], 'vm1'),
    ]);
    const path = pathFor(result, nicId('vm1-nic'));
    expect(path).toMatchObject({ verdict: 'unknown', exit: null, findings: [] });
    expect(missingFact(path)).toMatch(/NIC vm1-nic has IP configuration ipconfig2 with public IP vm1-pip2 \(20\.0\.0\.6\): the public IP's record names .*NIC's record lists only IP configuration ipconfig1/);
    const subnet = pathFor(result, s);
    expect(subnet.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(subnet.findings.map((f) => f.message).join(' ')).toMatch(/No NIC here uses it today/);
  });

  // "If there are multiple network interfaces, having a single one with a public IP will prevent
  // default outbound access for the virtual machine" (azure-docs articles/virtual-network/ip-services/
  // default-outbound-access.md): when the records disagree on whether the VM's other NIC has a public
  // IP, this NIC's default outbound access is not known either.
  it.each([
    ['names vm1-nic-b/ipconfig1, whose record gives it no public IP', ipConfigId('vm1-nic-b'), /IP configuration ipconfig1 \(ipConfiguration\)/],
    ['names vm1-nic-b/ipconfig2, which vm1-nic-b\'s record does not list', ipConfigId('vm1-nic-b', 'ipconfig2'), /IP configuration ipconfig2 \(ipConfiguration\)/],
  ])('public IP that %s: the VM\'s other NIC vm1-nic-a is unknown naming both records, not "default outbound access"', (_, configId, named) => {
    const s = subnetId('v', 'app');
    const estate = (pip: Json): ResolveResult => resolveArm([
      vnetJson('v', '10.0.0.0/16', [{ name: 'app', prefix: '10.0.1.0/24' }]),
      pip,
      nicJson('vm1-nic-a', [{ ip: '10.0.1.4', subnet: s }], 'vm1'),
      nicJson('vm1-nic-b', [{ ip: '10.0.1.5', subnet: s }], 'vm1'),
    ]);
    const path = pathFor(estate(pipJson('vm1-pip', '20.0.0.5', { props: { ipConfiguration: { id: configId } } })), nicId('vm1-nic-a'));
    expect(path).toMatchObject({ verdict: 'unknown', exit: null });
    expect(missingFact(path)).toMatch(/^whether NIC vm1-nic-b of the same VM has public IP 20\.0\.0\.5: the public IP's record names its /);
    expect(missingFact(path)).toMatch(named);
    expect(missingFact(path)).toMatch(/without it NIC vm1-nic-a keeps its subnet's default outbound access/);
    // The records agreeing (the public IP attached to no NIC): default outbound access, as before.
    const agreeing = estate(pipJson('vm1-pip', '20.0.0.5'));
    expect(agreeing.paths.find((p) => p.source.id.toLowerCase() === nicId('vm1-nic-a').toLowerCase())).toBeUndefined();
    expect(pathFor(agreeing, s)).toMatchObject({ verdict: 'internet', exit: 'default-outbound' });
  });

  it.each([
    ['an unlisted configuration while the sending configuration has its own public IP: its own decides', false],
    ['the secondary configuration while the primary has its own public IP: the primary leaves from its own', true],
  ])('public IP naming %s', (_, listsSecond) => {
    const result = resolveArm(stalePublicIpEstate(listsSecond));
    expect(pathFor(result, nicId('vm1-nic'))).toMatchObject({ verdict: 'internet', exit: 'public-ip', egressIps: ['20.0.0.5'] });
  });

  it('public IP naming a configuration of a NIC not in the input: nothing to compare, the subnet decides', () => {
    const s = subnetId('v', 'app');
    const result = resolveArm([
      PRIVATE_APP_VNET,
      pipJson('other-pip', '20.0.0.7', { props: { ipConfiguration: { id: ipConfigId('other-nic') } } }),
      nicJson('vm1-nic', [{ ip: '10.0.1.4', subnet: s }], 'vm1'),
    ]);
    expect(result.paths.some((p) => p.source.id === nicId('vm1-nic').toLowerCase())).toBe(false);
    expect(pathFor(result, s).verdict).toBe('no-outbound');
  });

  // Microsoft's NatGateways_ListAll example (azure-rest-api-specs, test/fixtures/arm-examples/
  // NatGatewayListAll.json, test-natGateway3) shows a StandardV2 gateway whose `sourceVirtualNetwork`
  // associates it with the whole VNet (the VNet's `defaultPublicNatGateway`, VirtualNetworkGet.json)
  // and whose `subnets` lists the VNet's subnet, whose own record names no NAT gateway. That is the
  // virtual-network-level association, not a stale record: the missing fact is whether that gateway
  // carries the subnet, never "export both again together", which no new export could satisfy.
  it('VNet defaultPublicNatGateway = nat-v2 (StandardV2, sourceVirtualNetwork = the VNet, subnets [app]), subnet app without natGateway: the missing fact names the VNet-level NAT gateway', () => {
    const s = subnetId('v', 'app');
    const natId = natGatewayId('nat-v2');
    const vnet = vnetJson('v', '10.0.0.0/16', [{ name: 'app', prefix: '10.0.1.0/24' }]);
    (vnet.properties as Json).defaultPublicNatGateway = { id: natId };
    const result = resolveArm([
      vnet,
      pipJson('nat-v4', '20.0.0.1', { sku: 'StandardV2' }),
      natGatewayJson('nat-v2', 'StandardV2', { publicIpAddresses: [{ id: pipId('nat-v4') }], subnets: [{ id: s }], sourceVirtualNetwork: { id: `${NET}/virtualNetworks/v` } }),
      nicJson('vm1-nic', [{ ip: '10.0.1.4', subnet: s }], 'vm1'),
    ]);
    const path = pathFor(result, s);
    expect(path).toMatchObject({ verdict: 'unknown', exit: null });
    const fact = missingFact(path);
    expect(fact).not.toMatch(/out of date|export both again/);
    expect(fact).toMatch(/whether NAT gateway nat-v2, associated with the whole virtual network of subnet app/);
  });

  it('VNet record without defaultPublicNatGateway, NAT gateway naming it as sourceVirtualNetwork and listing subnet app: the same VNet-level missing fact', () => {
    const s = subnetId('v', 'app');
    const result = resolveArm([
      vnetJson('v', '10.0.0.0/16', [{ name: 'app', prefix: '10.0.1.0/24' }]),
      pipJson('nat-v4', '20.0.0.1', { sku: 'StandardV2' }),
      natGatewayJson('nat-v2', 'StandardV2', { publicIpAddresses: [{ id: pipId('nat-v4') }], subnets: [{ id: s }], sourceVirtualNetwork: { id: `${NET}/virtualNetworks/v` } }),
      nicJson('vm1-nic', [{ ip: '10.0.1.4', subnet: s }], 'vm1'),
    ]);
    const path = pathFor(result, s);
    expect(path).toMatchObject({ verdict: 'unknown', exit: null });
    expect(missingFact(path)).toMatch(/whether NAT gateway nat-v2, associated with the whole virtual network of subnet app/);
    expect(path.steps.at(-1)).toMatchObject({ reason: { rule: 'NAT gateway nat-v2 of the virtual network (sourceVirtualNetwork)' } });
  });

  it('a subnet-level NAT gateway listing the subnet of a VNet with a VNet-level gateway: still the records that disagree', () => {
    const s = subnetId('v', 'app');
    const vnet = vnetJson('v', '10.0.0.0/16', [{ name: 'app', prefix: '10.0.1.0/24' }]);
    (vnet.properties as Json).defaultPublicNatGateway = { id: `${NET}/natGateways/nat-v2` };
    const result = resolveArm([
      vnet,
      pipJson('nat-pip', '20.0.0.1'),
      natGatewayJson('nat-app', 'Standard', { publicIpAddresses: [{ id: pipId('nat-pip') }], subnets: [{ id: s }] }),
      nicJson('vm1-nic', [{ ip: '10.0.1.4', subnet: s }], 'vm1'),
    ]);
    expect(missingFact(pathFor(result, s))).toMatch(/whether subnet app uses NAT gateway nat-app: the NAT gateway's record lists the subnet/);
  });


  it('public IP and NIC records agree: the instance-level public IP, as before', () => {
    const s = subnetId('v', 'app');
    const result = resolveArm([
      PRIVATE_APP_VNET,
      pipJson('vm1-pip', '20.0.0.5', { props: { ipConfiguration: { id: ipConfigId('vm1-nic') } } }),
      nicJson('vm1-nic', [{ ip: '10.0.1.4', subnet: s, pip: 'vm1-pip' }], 'vm1'),
    ]);
    expect(pathFor(result, nicId('vm1-nic'))).toMatchObject({ verdict: 'internet', exit: 'public-ip', egressIps: ['20.0.0.5'] });
  });
});

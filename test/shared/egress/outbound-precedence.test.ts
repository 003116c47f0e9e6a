/**
 * Outbound method choice where the configuration is incomplete or dual-stack: a NAT gateway without
 * public IPs, IP versions of NAT gateway and load balancer addresses, pool membership per VM, and
 * the Flexible scale set membership default outbound access rests on. Each case cites the Azure doc.
 */
import { describe, expect, it } from 'vitest';
import type { ResourceId } from '../../../shared/model/ids';
import { buildModelIndex } from '../../../shared/model/model-index';
import type { NicIpConfiguration } from '../../../shared/model/topology';
import { chooseOutboundMethod, methodEgress } from '../../../shared/egress/outbound';
import type { EgressPath, ResolveResult } from '../../../shared/egress/types';
import { terminalOf } from '../../../shared/egress/steps';
import { ModelBuilder } from '../../support/model-builder';
import { resolve } from './support';
import { RG, nicJson, normalize, type JsonObject } from './nsg-support';

/** The answer the result gives for a NIC: its own path, or (no entry of its own) its subnet's. */
function answerFor(result: ResolveResult, subnetId: string, nicId: string): EgressPath {
  const path = result.paths.find((p) => p.source.id === nicId) ?? result.paths.find((p) => p.source.id === subnetId);
  if (!path) throw new Error('no path');
  return path;
}

function missingFactOf(path: EgressPath): string {
  const reason = terminalOf(path.steps).reason;
  return reason.kind === 'undecided' ? reason.missingFact : '';
}

describe('NAT gateway without a public IP address or prefix', () => {
  // "Check that NAT gateway is configured with at least one public IP address or prefix and attached
  // to a subnet. NAT gateway isn't operational until a public IP and subnet attached."
  // https://learn.microsoft.com/azure/nat-gateway/troubleshoot-nat-connectivity (No outbound connectivity to the internet)
  it('is not reported as internet via NAT: an error finding, and unknown naming what the subnet then uses', () => {
    const b = new ModelBuilder();
    const nat = b.natGateway('nat-empty', {});
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24', { natGatewayId: nat });
    const result = resolve(b.build());
    const path = result.paths.find((p) => p.source.id === s);
    expect(path?.verdict).toBe('unknown');
    expect(path?.exit).toBeNull();
    // Not "default outbound" either: what the subnet gets while the NAT gateway is not operational is undocumented.
    expect(path && missingFactOf(path)).toMatch(/nat-empty has no public IP address or prefix/);
    expect(path?.findings).toEqual([expect.objectContaining({ code: 'nat-gateway-no-public-ip', severity: 'error', resourceIds: [nat, s],
      docs: 'https://learn.microsoft.com/azure/nat-gateway/troubleshoot-nat-connectivity' })]);
    expect(result.gaps.some((g) => g.scope === nat)).toBe(true);
  });

  it('a NIC with its own public IP in that subnet is unknown too (the NAT gateway would have taken precedence)', () => {
    const b = new ModelBuilder();
    const nat = b.natGateway('nat-empty', {});
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24', { natGatewayId: nat });
    const nic = b.nic(s, 'vm-nic', '10.0.1.4', { publicIpId: b.publicIp('vm-pip', '20.9.9.9') });
    expect(answerFor(resolve(b.build()), s, nic).verdict).toBe('unknown');
  });
});

describe('IP versions of NAT gateway and load balancer addresses', () => {
  // Standard NAT is IPv4-only; "StandardV2 supports 16 IPv4 + 16 IPv6 addresses" [NATRES]
  // (egress-rules.md §3.2). "IPv4 outbound traffic uses the NAT gateway, and IPv6 outbound traffic
  // uses the load balancer" (azure-docs articles/nat-gateway/tutorial-dual-stack-outbound-nat-load-balancer.md).
  it('StandardV2 NAT gateway with an IPv4 and an IPv6 public IP: IPv4 traffic leaves from the IPv4 address only', () => {
    const b = new ModelBuilder();
    const v4 = b.publicIp('nat-v4', '20.1.1.1', { sku: 'StandardV2' });
    const v6 = b.publicIp('nat-v6', '2603:1030::1', { sku: 'StandardV2', version: 'IPv6' });
    const nat = b.natGateway('nat', { publicIpIds: [v4, v6], sku: 'StandardV2' });
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24', { natGatewayId: nat });
    const path = resolve(b.build(), { destination: '8.8.8.8' }).paths.find((p) => p.source.id === s);
    expect(path).toMatchObject({ verdict: 'internet', exit: 'nat-gateway', egressIps: ['20.1.1.1'], snatPorts: 64_512 });
  });

  it('StandardV2 NAT gateway with only an IPv6 public IP: IPv4 traffic is unknown, never "internet from the IPv6 address"', () => {
    const b = new ModelBuilder();
    const v6 = b.publicIp('nat-v6', '2603:1030::1', { sku: 'StandardV2', version: 'IPv6' });
    const nat = b.natGateway('nat', { publicIpIds: [v6], sku: 'StandardV2' });
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24', { natGatewayId: nat });
    const path = resolve(b.build(), { destination: '8.8.8.8' }).paths.find((p) => p.source.id === s);
    expect(path?.verdict).toBe('unknown');
    expect(path && missingFactOf(path)).toMatch(/IPv4 internet traffic .* other IP version only/);
  });

  // An IPv6 frontend carries IPv6 outbound only (same tutorial); outbound rules serve the primary
  // IPv4 configuration [LBRULES] (egress-rules.md §3.2).
  it('dual-stack LB with an IPv6 and an IPv4 outbound rule on one pool: IPv4 traffic leaves from the IPv4 frontend, whatever the rule order', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24');
    const lb = b.loadBalancer('lb', {
      frontends: [
        { name: 'fe-v6', publicIpId: b.publicIp('lb-v6', '2603:1030::10', { version: 'IPv6' }) },
        { name: 'fe-v4', publicIpId: b.publicIp('lb-v4', '20.2.2.2') },
      ],
      pools: [{ name: 'pool' }],
      // ARM lists children by ID: "a-out-v6" comes before "b-out-v4".
      outboundRules: [{ name: 'a-out-v6', frontends: ['fe-v6'], pool: 'pool' }, { name: 'b-out-v4', frontends: ['fe-v4'], pool: 'pool' }],
    });
    const nic = b.nic(s, 'vm1-nic', '10.0.1.4', { poolIds: [ModelBuilder.poolId(lb, 'pool')] });
    const path = answerFor(resolve(b.build(), { destination: '8.8.8.8' }), s, nic);
    expect(path).toMatchObject({ verdict: 'internet', exit: 'load-balancer', egressIps: ['20.2.2.2'] });
  });

  it('LB whose only outbound rule uses an IPv6 frontend gives IPv4 traffic no exit (and, as a Standard pool member, no default outbound)', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24');
    const lb = b.loadBalancer('lb', {
      frontends: [{ name: 'fe-v6', publicIpId: b.publicIp('lb-v6', '2603:1030::10', { version: 'IPv6' }) }],
      pools: [{ name: 'pool' }],
      outboundRules: [{ name: 'out-v6', frontends: ['fe-v6'], pool: 'pool' }],
    });
    const nic = b.nic(s, 'vm1-nic', '10.0.1.4', { poolIds: [ModelBuilder.poolId(lb, 'pool')] });
    const path = answerFor(resolve(b.build(), { destination: '8.8.8.8' }), s, nic);
    expect(path.exit).not.toBe('load-balancer');
    expect(path.egressIps.some((ip) => ip.includes(':'))).toBe(false);
    expect(path.verdict).toBe('no-outbound');
  });
});

describe('default outbound access is per VM (Standard LB pool membership)', () => {
  // "The default outbound access IP is disabled when one of the following events happens: A public IP
  // address is assigned to the VM. The VM is placed in the back-end pool of a standard load balancer,
  // with or without outbound rules. ..." (azure-docs VM quickstart include, quoted in
  // shared/egress/outbound.ts); outbound rules serve only the primary IPv4 configuration [LBRULES]
  // (egress-rules.md §3.2). What the other configuration then uses is not documented (§13 #51).
  const lbWithOutboundRule = (b: ModelBuilder): ResourceId => b.loadBalancer('lb', {
    frontends: [{ name: 'fe', publicIpId: b.publicIp('lb-pip', '20.2.2.2') }], pools: [{ name: 'pool' }],
    outboundRules: [{ name: 'out', frontends: ['fe'], pool: 'pool' }],
  });

  it('secondary IP configuration in a Standard public LB pool: the primary configuration gets no default outbound IP (unknown, named)', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24');
    const lb = lbWithOutboundRule(b);
    const nic = b.nic(s, 'vm1-nic', '10.0.1.4', { secondary: [{ privateIp: '10.0.1.5', poolIds: [ModelBuilder.poolId(lb, 'pool')] }] });
    const path = answerFor(resolve(b.build()), s, nic);
    expect({ verdict: path.verdict, exit: path.exit }).toEqual({ verdict: 'unknown', exit: null });
    expect(missingFactOf(path)).toMatch(/backend pool pool of Standard load balancer lb, which turns default outbound access off for the whole VM/);
  });

  it('VM with two NICs, NIC2 in a Standard public LB pool: NIC1 gets its own entry, and no default outbound IP', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24');
    const vm = '/subscriptions/x/resourcegroups/rg/providers/microsoft.compute/virtualmachines/vm1' as ResourceId;
    const lb = lbWithOutboundRule(b);
    const nic1 = b.nic(s, 'vm1-nic1', '10.0.1.4', { vmId: vm });
    b.nic(s, 'vm1-nic2', '10.0.1.5', { vmId: vm, poolIds: [ModelBuilder.poolId(lb, 'pool')] });
    b.nic(s, 'vm2-nic', '10.0.1.6');
    const result = resolve(b.build());
    const own = result.paths.find((p) => p.source.id === nic1);
    expect(own).toMatchObject({ verdict: 'unknown', exit: null });
    expect(own && missingFactOf(own)).toMatch(/NIC vm1-nic2 of the same VM is in backend pool pool/);
    // A plain NIC of another VM keeps the subnet's default outbound answer.
    expect(result.paths.find((p) => p.source.id === s)).toMatchObject({ verdict: 'internet', exit: 'default-outbound' });
  });
});

describe('Flexible scale set membership not in the input', () => {
  // "Flexible-orchestration VMSS instances never get default outbound access" [DOA]; the VM's
  // Flexible-VMSS membership is a required input (egress-rules.md §1 "VM: whether it belongs to a
  // Flexible-orchestration VMSS"). The NIC does not say it; only the VM resource does.
  const VNET = `${RG}/virtualNetworks/vnet-app`;
  const SUBNET = `${VNET}/subnets/snet-app`;
  const vnet: JsonObject = {
    name: 'vnet-app', id: VNET, type: 'Microsoft.Network/virtualNetworks', location: 'westeurope',
    properties: { addressSpace: { addressPrefixes: ['10.1.0.0/16'] }, subnets: [{ name: 'snet-app', id: SUBNET, properties: { addressPrefix: '10.1.1.0/24' } }] },
  };
  const vmId = '/subscriptions/33333333-3333-3333-3333-333333333333/resourceGroups/RG-App/providers/Microsoft.Compute/virtualMachines/vmss-flex_1a2b3c4d';
  const nicWithVm = (): JsonObject => {
    const nic = nicJson('vm-nic', SUBNET, '10.1.1.4');
    return { ...nic, properties: { ...(nic.properties as JsonObject), virtualMachine: { id: vmId } } };
  };

  it('a default-outbound verdict for a NIC whose VM resource is absent keeps its verdict and gets one gap naming the missing fact', () => {
    const model = normalize([vnet, nicWithVm()], 'rest');
    const result = resolve(model);
    expect(result.paths.find((p) => p.source.type === 'subnet')).toMatchObject({ verdict: 'internet', exit: 'default-outbound' });
    const vmssGaps = result.gaps.filter((g) => /Flexible-orchestration virtual machine scale set/.test(g.message));
    expect(vmssGaps).toEqual([expect.objectContaining({ code: 'not-modelled', scope: 'Microsoft.Compute/virtualMachines' })]);
  });

  it('with the VM resource in the input (a Flexible instance), the answer is known: no outbound, and no gap', () => {
    const vm: JsonObject = {
      name: 'vmss-flex_1a2b3c4d', id: vmId, type: 'Microsoft.Compute/virtualMachines', location: 'westeurope',
      properties: { virtualMachineScaleSet: { id: '/subscriptions/33333333-3333-3333-3333-333333333333/resourceGroups/RG-App/providers/Microsoft.Compute/virtualMachineScaleSets/vmss-flex' } },
    };
    const model = normalize([vnet, nicWithVm(), vm], 'rest');
    const result = resolve(model);
    const nicPath = result.paths.find((p) => p.source.type === 'nic');
    expect(nicPath).toMatchObject({ verdict: 'no-outbound' });
    expect(result.gaps.filter((g) => g.scope === 'Microsoft.Compute/virtualMachines')).toEqual([]);
  });

  // The normalizer marks a NIC `virtualMachineCaptured` when its VM resource was read: "not a
  // Flexible instance" is then a fact, not an assumption, and needs no gap.
  const plainVm = (properties: JsonObject | null): JsonObject => ({ name: 'vmss-flex_1a2b3c4d', id: vmId, type: 'Microsoft.Compute/virtualMachines', location: 'westeurope', properties });
  const vmssGaps = (result: ResolveResult) => result.gaps.filter((g) => g.scope === 'Microsoft.Compute/virtualMachines');

  it('with the VM resource in the input (not in a scale set, e.g. the pull\'s slim Resource Graph row), the default-outbound verdict stands and there is no gap', () => {
    for (const properties of [{ virtualMachineScaleSet: null }, { hardwareProfile: { vmSize: 'Standard_D2s_v5' } }]) {
      const model = normalize([vnet, nicWithVm(), plainVm(properties)], 'rest');
      expect(model.networkInterfaces[0]).toMatchObject({ virtualMachineCaptured: true, flexibleScaleSetMember: false });
      const result = resolve(model);
      expect(result.paths.find((p) => p.source.type === 'subnet')).toMatchObject({ verdict: 'internet', exit: 'default-outbound' });
      expect(vmssGaps(result)).toEqual([]);
    }
  });

  it('a VM listed without its properties (az resource list) is not captured: the gap stays', () => {
    const model = normalize([vnet, nicWithVm(), plainVm(null)], 'rest');
    expect(vmssGaps(resolve(model))).toEqual([expect.objectContaining({ code: 'not-modelled', message: expect.stringMatching(/whose resource was not read/) })]);
  });

  it('one captured VM does not answer for another NIC of the subnet whose VM was not read', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24');
    const vm = (n: string): ResourceId => `/subscriptions/x/resourcegroups/rg/providers/microsoft.compute/virtualmachines/${n}` as ResourceId;
    b.nic(s, 'nic-a', '10.0.1.4', { vmId: vm('a') });
    b.nic(s, 'nic-b', '10.0.1.5', { vmId: vm('b') });
    const base = b.build();
    const capture = (names: readonly string[]) => ({ ...base, networkInterfaces: base.networkInterfaces.map((n) => (names.includes(n.name) ? { ...n, virtualMachineCaptured: true } : n)) });
    expect(vmssGaps(resolve(capture(['nic-a'])))).toHaveLength(1);
    expect(vmssGaps(resolve(capture(['nic-a', 'nic-b'])))).toEqual([]);
  });

  it('a subnet whose NICs name no VM (and a NAT gateway exit) has no such gap', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24');
    b.nic(s, 'nic', '10.0.1.4');
    const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.1.1.1')] });
    b.subnet(b.vnet('w', ['10.1.0.0/16']), 'app2', '10.1.1.0/24', { natGatewayId: nat });
    const vm = '/subscriptions/x/resourcegroups/rg/providers/microsoft.compute/virtualmachines/vm9' as ResourceId;
    b.nic(s, 'nic-vm9', '10.0.1.9', { vmId: vm, publicIpId: b.publicIp('vm9-pip', '20.3.3.3') });
    expect(resolve(b.build()).gaps.filter((g) => g.scope === 'Microsoft.Compute/virtualMachines')).toEqual([]);
  });
});

const vmIdOf = (n: string) => `/subscriptions/x/resourcegroups/rg/providers/microsoft.compute/virtualmachines/${n}` as ResourceId;

describe('default LB SNAT allocation: every frontend associated with the pool, pool size in VM instances', () => {
  /**
   * [LBOUT] MicrosoftDocs/azure-docs articles/load-balancer/load-balancer-outbound-connections.md
   * (03/06/2023), "Default port allocation table": "Backends will receive the number of ports defined by
   * the table, per frontend IP, up to a maximum of 1024 ports ... MIN(# of default SNAT ports provided
   * based on pool size * number of frontend IPs associated with the pool, 1024)"; table "Pool size (VM
   * instances)": 1-50 → 1,024, 51-100 → 512. Same article, 08/07/2019, "Multiple frontends for outbound
   * flows": "Standard Load Balancer uses all candidates for outbound flows at the same time when multiple
   * (public) IP frontends is present. Each frontend multiplies the number of available preallocated SNAT
   * ports if a load balancing rule is enabled for outbound connections."
   */
  function twoFrontends(secondRuleProtocol: 'Tcp' | 'Udp' = 'Tcp') {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24');
    const lb = b.loadBalancer('lb', {
      frontends: [{ name: 'fe1', publicIpId: b.publicIp('pip1', '20.0.0.1') }, { name: 'fe2', publicIpId: b.publicIp('pip2', '20.0.0.2') }],
      pools: [{ name: 'pool' }],
      rules: [{ name: 'https', frontend: 'fe1', pool: 'pool', port: 443 }, { name: 'dns', frontend: 'fe2', pool: 'pool', port: 53, protocol: secondRuleProtocol }],
    });
    const nics = Array.from({ length: 60 }, (_, i) => b.nic(s, `vm${String(i).padStart(2, '0')}-nic`, `10.0.1.${i + 4}`, { vmId: vmIdOf(`vm${i}`), poolIds: [ModelBuilder.poolId(lb, 'pool')] }));
    return { model: b.build(), s, nic: nics[0] as ResourceId };
  }

  it('60 VMs, two load-balancing rules on two frontends: 512 × 2 = 1,024 ports per VM, both frontend IPs are egress IPs', () => {
    const { model, s, nic } = twoFrontends();
    const path = answerFor(resolve(model), s, nic);
    expect(path).toMatchObject({ verdict: 'internet', exit: 'load-balancer', snatPorts: 1024 });
    expect([...path.egressIps].sort()).toEqual(['20.0.0.1', '20.0.0.2']);
  });

  it('a rule of another protocol carries not this flow: TCP leaves from fe1 only, with its 512 ports; UDP from fe2', () => {
    // "The automatic outbound NAT provided matches the transport protocol of the load-balancing rule" [LBRULES].
    const { model, s, nic } = twoFrontends('Udp');
    expect(answerFor(resolve(model), s, nic)).toMatchObject({ verdict: 'internet', egressIps: ['20.0.0.1'], snatPorts: 512 });
    expect(answerFor(resolve(model, { protocol: 'Udp', destinationPort: 53 }), s, nic)).toMatchObject({ verdict: 'internet', egressIps: ['20.0.0.2'], snatPorts: 512 });
  });

  it('30 VMs with two IP configurations each in the pool count as 30 instances: 1,024 ports, not 512', () => {
    // Same table ("Pool size (VM instances)"); "Secondary IP configurations of a network interface don't
    // provide outbound communication (unless a public IP is associated to it) via a load balancer" [LBOUT].
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.0.0/20');
    const lb = b.loadBalancer('lb', { frontends: [{ name: 'fe', publicIpId: b.publicIp('pip', '20.0.0.1') }], pools: [{ name: 'pool' }],
      rules: [{ name: 'https', frontend: 'fe', pool: 'pool' }] });
    const pool = ModelBuilder.poolId(lb, 'pool');
    const nics = Array.from({ length: 30 }, (_, i) => b.nic(s, `vm${String(i).padStart(2, '0')}-nic`, `10.0.1.${i + 4}`,
      { vmId: vmIdOf(`vm${i}`), poolIds: [pool], secondary: [{ privateIp: `10.0.2.${i + 4}`, poolIds: [pool] }] }));
    expect(answerFor(resolve(b.build()), s, nics[0] as ResourceId)).toMatchObject({ verdict: 'internet', exit: 'load-balancer', snatPorts: 1024 });
  });

  it('two NICs of one VM in the pool are one instance; an outbound rule with default ports reads the same table', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.0.0/20');
    const lb = b.loadBalancer('lb', { frontends: [{ name: 'fe', publicIpId: b.publicIp('pip', '20.0.0.1') }], pools: [{ name: 'pool' }],
      outboundRules: [{ name: 'out', frontends: ['fe'], pool: 'pool' }] });
    const pool = ModelBuilder.poolId(lb, 'pool');
    const nics: ResourceId[] = [];
    for (let i = 0; i < 40; i++) {
      nics.push(b.nic(s, `vm${String(i).padStart(2, '0')}-nic1`, `10.0.1.${i + 4}`, { vmId: vmIdOf(`vm${i}`), poolIds: [pool] }));
      b.nic(s, `vm${String(i).padStart(2, '0')}-nic2`, `10.0.2.${i + 4}`, { vmId: vmIdOf(`vm${i}`), poolIds: [pool] });
    }
    // 40 VMs (80 NICs): 1,024 ports, not the 512 of 80 pool members.
    expect(answerFor(resolve(b.build()), s, nics[0] as ResourceId)).toMatchObject({ verdict: 'internet', exit: 'load-balancer', snatPorts: 1024 });
  });
});

describe('LB outbound is not followed for a VM with an instance-level public IP', () => {
  /**
   * [LBRULES] MicrosoftDocs/azure-docs articles/load-balancer/outbound-rules.md (04/11/2024): "Outbound
   * rules will only be followed if the backend VM doesn't have an instance-level public IP address
   * (ILPIP)." [LBOUT] 08/07/2019, scenario table: "When using Standard Load Balancer, outbound rules are
   * not supported if a public IP is assigned to the Virtual Machine." What the pool member's traffic then
   * uses is not documented (as egress-rules.md §13 #51 says of the sibling-NIC case): unknown, naming the
   * public IP, never "internet via the LB".
   */
  function lbWithOutboundRule(b: ModelBuilder): ResourceId {
    return b.loadBalancer('lb', { frontends: [{ name: 'fe', publicIpId: b.publicIp('lb-pip', '20.0.0.1') }], pools: [{ name: 'pool' }],
      outboundRules: [{ name: 'out', frontends: ['fe'], pool: 'pool' }] });
  }

  it('NIC1 in the outbound-rule pool, NIC2 of the same VM with a public IP: NIC1 is unknown, naming NIC2\'s public IP', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24');
    const lb = lbWithOutboundRule(b);
    const nic1 = b.nic(s, 'vm1-nic1', '10.0.1.4', { vmId: vmIdOf('vm1'), poolIds: [ModelBuilder.poolId(lb, 'pool')] });
    const nic2 = b.nic(s, 'vm1-nic2', '10.0.1.5', { vmId: vmIdOf('vm1'), publicIpId: b.publicIp('vm1-pip', '52.0.0.1') });
    const result = resolve(b.build());
    const path = answerFor(result, s, nic1);
    expect(path).toMatchObject({ verdict: 'unknown', exit: null, egressIps: [] });
    expect(missingFactOf(path)).toMatch(/NIC vm1-nic2 of the same VM has public IP 52\.0\.0\.1/);
    expect(answerFor(result, s, nic2)).toMatchObject({ verdict: 'internet', exit: 'public-ip', egressIps: ['52.0.0.1'] });
  });

  it('primary configuration in the pool, secondary configuration of the same NIC with a public IP: unknown', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24');
    const lb = lbWithOutboundRule(b);
    const nic = b.nic(s, 'vm1-nic', '10.0.1.4', { vmId: vmIdOf('vm1'), poolIds: [ModelBuilder.poolId(lb, 'pool')],
      secondary: [{ privateIp: '10.0.1.9', publicIpId: b.publicIp('vm1-pip', '52.0.0.1') }] });
    const path = answerFor(resolve(b.build()), s, nic);
    expect(path).toMatchObject({ verdict: 'unknown', exit: null, egressIps: [] });
    expect(missingFactOf(path)).toMatch(/IP configuration ipconfig2 of NIC vm1-nic has public IP 52\.0\.0\.1/);
  });

  it('the same holds for load-balancing-rule SNAT; a VM without a public IP still leaves through the LB', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24');
    const lb = b.loadBalancer('lb', { frontends: [{ name: 'fe', publicIpId: b.publicIp('lb-pip', '20.0.0.1') }], pools: [{ name: 'pool' }],
      rules: [{ name: 'https', frontend: 'fe', pool: 'pool' }] });
    const pool = ModelBuilder.poolId(lb, 'pool');
    const withPip = b.nic(s, 'vm1-nic1', '10.0.1.4', { vmId: vmIdOf('vm1'), poolIds: [pool] });
    b.nic(s, 'vm1-nic2', '10.0.1.5', { vmId: vmIdOf('vm1'), publicIpId: b.publicIp('vm1-pip', '52.0.0.1') });
    const plain = b.nic(s, 'vm2-nic', '10.0.1.6', { vmId: vmIdOf('vm2'), poolIds: [pool] });
    const result = resolve(b.build());
    expect(answerFor(result, s, withPip).verdict).toBe('unknown');
    expect(answerFor(result, s, plain)).toMatchObject({ verdict: 'internet', exit: 'load-balancer', egressIps: ['20.0.0.1'] });
  });
});

describe('Basic public load balancer pool without a load-balancing rule', () => {
  /**
   * [LBOUT] load-balancer-outbound-connections.md, 08/07/2019 version, "Scenario 2: Load-balanced VM
   * without a Public IP address": "The Load Balancer resource must be configured with a load balancer rule
   * to create a link between the public IP frontend with the backend pool. If you do not complete this
   * rule configuration, the behavior is as described in the scenario for Standalone VM with no Public IP".
   * [DOA] default-outbound-access.md (01/30/2026) lists "Deployed in the backend pool of a basic public
   * load balancer" as explicit outbound, rule or not. The documents disagree: unknown, never the
   * frontend IP as certain.
   */
  it('a VM in its pool is unknown, naming both readings; with a rule it leaves from the frontend IP', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24');
    const lb = b.loadBalancer('basic-lb', { sku: 'Basic', frontends: [{ name: 'fe', publicIpId: b.publicIp('lb-pip', '20.0.0.1', { sku: 'Basic' }) }],
      pools: [{ name: 'pool' }, { name: 'ruled' }], rules: [{ name: 'r', frontend: 'fe', pool: 'ruled' }] });
    const nic = b.nic(s, 'vm1-nic', '10.0.1.4', { poolIds: [ModelBuilder.poolId(lb, 'pool')] });
    const ruled = b.nic(s, 'vm2-nic', '10.0.1.5', { poolIds: [ModelBuilder.poolId(lb, 'ruled')] });
    const result = resolve(b.build());
    const path = answerFor(result, s, nic);
    expect(path).toMatchObject({ verdict: 'unknown', exit: null, egressIps: [] });
    expect(missingFactOf(path)).toMatch(/no load-balancing rule uses/);
    expect(answerFor(result, s, ruled)).toMatchObject({ verdict: 'internet', exit: 'load-balancer', egressIps: ['20.0.0.1'] });
  });
});

describe('the NIC\'s defaultOutboundConnectivityEnabled against its subnet\'s defaultOutboundAccess', () => {
  /**
   * [DOA] default-outbound-access.md (ms.date 01/30/2026; johntrogan/azure-docs @7551c5e): "Existing
   * virtual machines must be **stopped and deallocated** for the change of a subnet (either from
   * non-private to private, or the reverse) to take effect on their network interfaces." and "There's a
   * NIC-level parameter (defaultOutboundConnectivityEnabled) which tracks if default outbound IP is
   * allocated to a VM". A NIC still saying true in a private subnet keeps its default outbound IP: default
   * outbound with a finding, never "no outbound". One saying false in a subnet that allows it has none
   * allocated (VM deallocated, or not deallocated since the subnet was private): unknown.
   */
  function estate(subnetFlag: boolean | null, nicFlag: boolean | undefined) {
    const vnetId = `${RG}/virtualNetworks/vnet-app`;
    const subnetId = `${vnetId}/subnets/snet-app`;
    const vnet: JsonObject = {
      name: 'vnet-app', id: vnetId, type: 'Microsoft.Network/virtualNetworks', location: 'westeurope',
      properties: { addressSpace: { addressPrefixes: ['10.1.0.0/16'] },
        subnets: [{ name: 'snet-app', id: subnetId, properties: { addressPrefix: '10.1.1.0/24', ...(subnetFlag === null ? {} : { defaultOutboundAccess: subnetFlag }) } }] },
    };
    // Attached to a VM: the flag of a NIC with no VM (or a private endpoint's) speaks of no traffic.
    const base = nicJson('vm1-nic', subnetId, '10.1.1.4');
    const attached: JsonObject = { ...base, properties: { ...(base.properties as JsonObject), virtualMachine: { id: `${RG.replace('/providers/Microsoft.Network', '')}/providers/Microsoft.Compute/virtualMachines/vm1` } } };
    const nic: JsonObject = nicFlag === undefined ? attached : { ...attached, properties: { ...(attached.properties as JsonObject), defaultOutboundConnectivityEnabled: nicFlag } };
    const model = normalize([vnet, nic], 'rest');
    const s = model.subnets[0];
    const n = model.networkInterfaces[0];
    if (!s || !n) throw new Error('model');
    return { result: resolve(model), subnetId: s.id, nicId: n.id };
  }

  it('true in a private subnet: default outbound access with a warning that the VM was not deallocated, not "no outbound"', () => {
    const { result, subnetId, nicId } = estate(false, true);
    const path = answerFor(result, subnetId, nicId);
    expect(path.source.id).toBe(nicId);
    expect(path).toMatchObject({ verdict: 'internet', exit: 'default-outbound' });
    expect(path.findings.map((f) => f.code)).toEqual(['default-outbound']);
    expect(path.findings[0]?.message).toMatch(/vm1-nic still has a default outbound IP/);
    // The subnet entry (its other, deallocated VMs) keeps the subnet's answer.
    expect(result.paths.find((p) => p.source.id === subnetId)?.verdict).toBe('no-outbound');
  });

  it('false in a subnet that allows default outbound access: unknown, naming the field', () => {
    const { result, subnetId, nicId } = estate(null, false);
    const path = answerFor(result, subnetId, nicId);
    expect(path).toMatchObject({ verdict: 'unknown', exit: null });
    expect(missingFactOf(path)).toMatch(/defaultOutboundConnectivityEnabled = false/);
  });

  it('agreeing with the subnet, or absent (older inputs): the subnet decides, no entry of its own', () => {
    for (const [subnetFlag, nicFlag, verdict] of [[false, false, 'no-outbound'], [null, true, 'internet'], [false, undefined, 'no-outbound']] as const) {
      const { result, subnetId, nicId } = estate(subnetFlag, nicFlag);
      expect(result.paths.some((p) => p.source.id === nicId)).toBe(false);
      expect(answerFor(result, subnetId, nicId).verdict).toBe(verdict);
    }
  });
});

describe('IPv6 flows in chooseOutboundMethod / methodEgress (resolve stops IPv6 before the engine today)', () => {
  /**
   * outbound.ts's contract: "a flow leaves only from an address of its own version" (azure-docs
   * articles/nat-gateway/tutorial-dual-stack-outbound-nat-load-balancer.md). [LBOUT] 03/06/2023: "Azure
   * uses the public IP assigned to the IP configuration of the instance's NIC": an IPv4 public IP on the
   * IPv4 configuration cannot translate an IPv6 flow. [DOA @89e9bb8] "The public IPv4 address used for the
   * access is called the default outbound access IP"; IPv6 default outbound is UNCONFIRMED (egress-rules.md
   * §12 #10): never a default-outbound method for IPv6.
   */
  function dualStack(opts: { readonly v6Pip?: boolean } = {}) {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16', 'fd00:db8::/48']), 'app', '10.0.1.0/24', { extraPrefixes: ['fd00:db8::/64'] });
    const n = b.nic(s, 'vm1-nic', '10.0.1.4', { publicIpId: b.publicIp('vm1-pip-v4', '20.0.0.1') });
    const v6 = opts.v6Pip ? b.publicIp('vm1-pip-v6', '2603:1000::1', { version: 'IPv6' }) : null;
    const built = b.build();
    if (!v6) return { index: buildModelIndex(built), s, n };
    // The NIC's IPv6 configuration (ModelBuilder makes IPv4 ones only), with the IPv6 public IP.
    const withV6 = (config: NicIpConfiguration): NicIpConfiguration => ({ ...config, id: `${n}/ipconfigurations/ipv6` as ResourceId, name: 'ipv6', primary: false,
      privateIpAddress: 'fd00:db8::4', privateIpAddressVersion: 'IPv6', publicIpAddressId: v6 });
    const networkInterfaces = built.networkInterfaces.map((nic) => {
      const first = nic.ipConfigurations[0];
      return nic.id !== n || !first ? nic : { ...nic, ipConfigurations: [...nic.ipConfigurations, withV6(first)] };
    });
    return { index: buildModelIndex({ ...built, networkInterfaces }), s, n };
  }

  it('an IPv6 flow from a NIC with an IPv4 public IP and no IPv6 configuration does not leave from the IPv4 address', () => {
    const { index, s, n } = dualStack();
    const nic = index.networkInterfaces.get(n);
    const subnet = index.subnets.get(s);
    const config = nic?.ipConfigurations[0];
    if (!nic || !subnet || !config) throw new Error('model');
    const method = chooseOutboundMethod(index, subnet, { kind: 'nic', nic, ipConfiguration: config }, 'Tcp', 'IPv6');
    expect(method.kind).toBe('none');
    expect(methodEgress(index, method, 'IPv6').egressIps).toEqual([]);
    // methodEgress itself keeps to the flow's version, whatever method it is given.
    expect(methodEgress(index, chooseOutboundMethod(index, subnet, { kind: 'nic', nic, ipConfiguration: config }), 'IPv6')).toEqual({ egressIps: [], snatPorts: null });
    // IPv4 is unchanged.
    expect(methodEgress(index, chooseOutboundMethod(index, subnet, { kind: 'nic', nic, ipConfiguration: config }), 'IPv4').egressIps).toEqual(['20.0.0.1']);
  });

  it('a NIC with an IPv6 configuration holding an IPv6 public IP leaves from that address for IPv6', () => {
    const { index, s, n } = dualStack({ v6Pip: true });
    const nic = index.networkInterfaces.get(n);
    const subnet = index.subnets.get(s);
    const config = nic?.ipConfigurations[0];
    if (!nic || !subnet || !config) throw new Error('model');
    const method = chooseOutboundMethod(index, subnet, { kind: 'nic', nic, ipConfiguration: config }, 'Tcp', 'IPv6');
    expect(methodEgress(index, method, 'IPv6').egressIps).toEqual(['2603:1000::1']);
  });

  it('an IPv6 flow from a subnet with no explicit method is not given default outbound access: unknown', () => {
    const { index, s } = dualStack();
    const subnet = index.subnets.get(s);
    if (!subnet) throw new Error('model');
    const method = chooseOutboundMethod(index, subnet, { kind: 'subnet' }, 'Tcp', 'IPv6');
    expect(method.kind).toBe('undecided');
    expect(chooseOutboundMethod(index, subnet, { kind: 'subnet' }, 'Tcp', 'IPv4').kind).toBe('default-outbound');
  });
});

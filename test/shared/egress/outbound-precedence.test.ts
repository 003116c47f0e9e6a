/**
 * Outbound method choice where the configuration is incomplete or dual-stack: a NAT gateway without
 * public IPs, IP versions of NAT gateway and load balancer addresses, pool membership per VM, and
 * the Flexible scale set membership default outbound access rests on. Each case cites the Azure doc.
 */
import { describe, expect, it } from 'vitest';
import type { ResourceId } from '../../../shared/model/ids';
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

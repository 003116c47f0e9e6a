/**
 * Dual-stack estates end to end: IPv6 flows in traffic analysis, public IPs whose version field is
 * absent, routes whose prefix and next hop differ in IP version, and reach for subnets with an IPv6
 * range. IPv6 paths are not walked by the model; where they would change an answer, it says so.
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm';
import { computeReach } from '../../../shared/egress/reach';
import { analyzeTraffic } from '../../../shared/traffic/index';
import { ModelBuilder, securityRule } from '../../support/model-builder';
import { frontendId, nicJson, pipJson, poolId, subnetId, vnetJson, NET, type Json } from '../../support/arm-json';
import { pathOf, resolve, summary } from './support';
import { flowRecord, inlineLog } from '../traffic/support';


describe('traffic analysis: IPv6 flows judged by the IPv4 default route', () => {
  it('an IPv6 flow routed by ::/0 to an NVA is not reported as "uninspected, exit nat-gateway"', () => {
    // Dual-stack subnet: Standard NAT gateway (IPv4-only: "Standard NAT gateway is IPv4-only"
    // [NATRES], egress-rules.md §IPv6) and a UDR ::/0 → VirtualAppliance (the NVA's IPv6 address):
    // "Customize the routing of IPv6 traffic in your virtual network with User-Defined Routes
    // especially when using Network Virtual Appliances" (ipv6-overview.md). An allowed IPv6 flow
    // from the NIC's IPv6 address to 2001:4860:4860::8888 went through the NVA, not the NAT gateway.
    // uninspected-public-traffic reads the IPv4 default route's path (0.0.0.0/0 → NAT gateway) and
    // would say the IPv6 flow took "a path with no firewall or NVA (exit: nat-gateway)". The engine
    // calls the IPv6 what-if not modelled (model: not-modelled),
    // so the finding is not raised for it.
    const b = new ModelBuilder();
    const vnet = b.vnet('vnet-a', ['10.0.0.0/16', 'fd00:db8::/48']);
    const nat = b.natGateway('nat-a', { publicIpIds: [b.publicIp('pip-nat', '20.10.0.1')] });
    const nvaSubnet = b.subnet(vnet, 'snet-nva', '10.0.2.0/24', { extraPrefixes: ['fd00:db8:0:2::/64'] });
    b.nic(nvaSubnet, 'nic-nva', '10.0.2.4', { ipForwarding: true, secondary: [{ privateIp: 'fd00:db8:0:2::4' }] });
    const rt = b.routeTable('rt-v6', [{ prefix: '::/0', nextHopType: 'VirtualAppliance', nextHopIp: 'fd00:db8:0:2::4' }]);
    const apps = b.subnet(vnet, 'snet-apps', '10.0.1.0/24', { natGatewayId: nat, routeTableId: rt, extraPrefixes: ['fd00:db8:0:1::/64'] });
    b.nic(apps, 'nic-app-01', '10.0.1.4', { secondary: [{ privateIp: 'fd00:db8:0:1::4' }] });
    const input = { model: b.build(), effectiveRoutes: [], metrics: [], gaps: [] };
    const result = analyzeTraffic(input, [inlineLog([flowRecord({ sourceIp: 'fd00:db8:0:1::4', destination: '2001:4860:4860::8888', destinationIp: '2001:4860:4860::8888', flows: 3 })])]);
    // The model's own view of the flow: IPv6 is not modelled.
    expect(result.sources.flatMap((s) => s.observed).map((o) => o.model)).toEqual(['not-modelled']);
    expect(result.findings.filter((f) => f.code === 'uninspected-public-traffic').map((f) => f.message)).toEqual([]);
  });
});

describe('ARM input: a public IP whose address is IPv6 but whose publicIPAddressVersion is absent', () => {
  it('is not read as IPv4: an IPv4 flow never "leaves" from an IPv6 address', () => {
    // publicIPAddressVersion is optional; when it is absent the address (2603:1030:20c::5) says the
    // version. Dual-stack LB: outbound rule on the IPv6 frontend only. "IPv4 outbound traffic uses the NAT
    // gateway, and IPv6 outbound traffic uses the load balancer" / an IPv6 frontend SNATs IPv6 flows
    // only (outbound.ts frontendServes; egress-rules.md scenario 37): for the IPv4 default route the
    // VM has no outbound (Standard pool member, no IPv4 rule), or at least unknown: no IPv6 address
    // is an IPv4 flow's egress IP.
    const pip = pipJson('pip-lb-v6', '2603:1030:20c::5');
    delete (pip.properties as Json).publicIPAddressVersion;
    const vnet = vnetJson('vnet', '10.1.0.0/16', [{ name: 'app', prefix: '10.1.1.0/24' }]);
    const lb: Json = {
      id: `${NET}/loadBalancers/lb`, name: 'lb', type: 'Microsoft.Network/loadBalancers', location: 'westeurope', sku: { name: 'Standard', tier: 'Regional' },
      properties: {
        provisioningState: 'Succeeded',
        frontendIPConfigurations: [{ id: frontendId('lb', 'fe-v6'), name: 'fe-v6', properties: { publicIPAddress: { id: `${NET}/publicIPAddresses/pip-lb-v6` } } }],
        backendAddressPools: [{ id: poolId('lb', 'pool'), name: 'pool', properties: {} }],
        loadBalancingRules: [],
        outboundRules: [{ id: `${NET}/loadBalancers/lb/outboundRules/out-v6`, name: 'out-v6', properties: {
          frontendIPConfigurations: [{ id: frontendId('lb', 'fe-v6') }], backendAddressPool: { id: poolId('lb', 'pool') }, protocol: 'All', allocatedOutboundPorts: 1024 } }],
      },
    };
    const nic = nicJson('nic-vm1', [{ ip: '10.1.1.4', subnet: subnetId('vnet', 'app'), pools: [poolId('lb', 'pool')] }], 'vm1');
    const { model, effectiveRoutes, gaps } = normalizeArm([{ fileName: 'estate.json', json: [vnet, pip, lb, nic] }]);
    const result = resolve({ ...model }, {}, { effectiveRoutes });
    expect(model.publicIpAddresses.map((p) => p.version)).toEqual(['IPv6']);
    expect(gaps.filter((g) => g.code === 'skipped-input')).toEqual([]);
    const path = result.paths.find((p) => p.source.id.endsWith('/networkinterfaces/nic-vm1'));
    expect(path, 'the NIC is in a Standard LB pool: it has a path of its own').toBeDefined();
    const s = summary(path!);
    expect(s.egressIps).not.toContain('2603:1030:20c::5');
    expect(s.verdict === 'internet' && s.exit === 'load-balancer').toBe(false);
  });

  it('a version field the address contradicts leaves the public IP out, naming the field (a prefix alike)', () => {
    const pip = pipJson('pip-odd', '2603:1030:20c::5');
    (pip.properties as Record<string, unknown>).publicIPAddressVersion = 'IPv4';
    const prefix: Json = { id: `${NET}/publicIPPrefixes/pfx`, name: 'pfx', type: 'Microsoft.Network/publicIPPrefixes', location: 'westeurope', sku: { name: 'Standard' },
      properties: { ipPrefix: '20.1.2.0/28', prefixLength: 28, publicIPAddressVersion: 'IPv6' } };
    const { model, gaps } = normalizeArm([{ fileName: 'estate.json', json: [pip, prefix] }]);
    expect(model.publicIpAddresses).toEqual([]);
    expect(model.publicIpPrefixes).toEqual([]);
    expect(gaps.filter((g) => g.code === 'skipped-input').map((g) => g.message).join('\n')).toMatch(/publicIPAddressVersion: expected the version of ipAddress 2603:1030:20c::5 \(IPv6\)[^]*publicIPAddressVersion: expected the version of ipPrefix 20\.1\.2\.0\/28 \(IPv4\)/);
  });
});

describe('routes: an IPv4 prefix whose next hop is an IPv6 address', () => {
  it('0.0.0.0/0 → VirtualAppliance fd00:db8:0:2::4 is not a confident "internet via the NVA"', () => {
    // [UDR] (virtual-networks-udr-overview.md, "Virtual appliance"): the next hop IP is "the private
    // IP address of a network interface attached to a virtual machine" or of an internal load
    // balancer; nothing documents an IPv4 route (0.0.0.0/0) whose next hop is an IPv6 address, and an
    // IPv4 packet cannot be forwarded to an IPv6 next hop address. Whether Azure rejects such a
    // route or what it does with it is not documented: unknown, naming the mismatch, not the NVA's
    // IPv6 configuration's path ("internet, public-ip 20.9.9.9 via the NVA").
    const b = new ModelBuilder();
    const vnet = b.vnet('vnet-a', ['10.0.0.0/16', 'fd00:db8::/48']);
    const nvaSubnet = b.subnet(vnet, 'snet-nva', '10.0.2.0/24', { extraPrefixes: ['fd00:db8:0:2::/64'] });
    b.nic(nvaSubnet, 'nic-nva', '10.0.2.4', { ipForwarding: true, publicIpId: b.publicIp('pip-nva', '20.9.9.9'), secondary: [{ privateIp: 'fd00:db8:0:2::4' }] });
    const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: 'fd00:db8:0:2::4' }]);
    const apps = b.subnet(vnet, 'snet-apps', '10.0.1.0/24', { routeTableId: rt, extraPrefixes: ['fd00:db8:0:1::/64'] });
    const path = pathOf(resolve(b.build()), apps);
    expect(summary(path)).toMatchObject({ verdict: 'unknown', egressIps: [] });
    const end = path.steps.at(-1);
    expect(end?.kind === 'terminal' && end.reason.kind === 'undecided' ? end.reason.rule : '').toBe('Route "UDR route-1 0.0.0.0/0 → VirtualAppliance fd00:db8:0:2::4": an IPv4 prefix with an IPv6 next hop');
  });
});

describe('reach: an NSG rule that opens the IPv6 internet', () => {
  it('a NIC with an IPv6 public IP and an NSG allowing ::/0 on TCP 22 is not reported as reaching nothing, with no gap', () => {
    // ipv6-overview.md: "Instance-level public IP provides IPv6 Internet connectivity directly to
    // individual VMs" and "Protect your resources with IPv6 rules for Network Security Groups". The
    // NIC's IPv6 configuration holds an IPv6 public IP; its NSG allows TCP 22 to ::/0, then denies
    // the (IPv4) Internet. Reach lists IPv4 destinations only, so it says so in a gap rather than
    // list nothing, which would read "this NIC reaches nothing on the internet".
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16', 'fd00:db8::/48']);
    const nsg = b.nsg('nsg', [securityRule('allow-v6-ssh', 100, 'Allow', '::/0', { destinationPortRanges: ['22'], protocol: 'Tcp' }), securityRule('deny-internet', 200, 'Deny', 'Internet')]);
    const s = b.subnet(v, 'app', '10.0.1.0/24', { extraPrefixes: ['fd00:db8::/64'], networkSecurityGroupId: nsg });
    const nicId = b.nic(s, 'vm1', '10.0.1.4');
    const pip6 = b.publicIp('vm1-pip-v6', '2603:1000::1', { version: 'IPv6' });
    const model = b.build();
    const nic = model.networkInterfaces.find((n) => n.id === nicId)!;
    (nic.ipConfigurations as unknown as object[]).push({ id: `${nicId}/ipconfigurations/ipconfig-v6`, name: 'ipconfig-v6', primary: false,
      privateIpAddress: 'fd00:db8::4', privateIpAddressVersion: 'IPv6', subnetId: s, publicIpAddressId: pip6, loadBalancerBackendAddressPoolIds: [] });
    const reach = computeReach({ model, effectiveRoutes: [], metrics: [], gaps: [] });
    const sources = reach.sources.filter((x) => x.source.id === nicId || x.source.id === s);
    const listed = sources.flatMap((x) => x.allowed).map((e) => e.value);
    expect(listed.some((v) => v.includes(':'))).toBe(false);
    expect(reach.gaps.filter((g) => g.scope === s).map((g) => g.message)).toEqual([
      'Subnet app holds IPv6 range fd00:db8::/64: reach lists IPv4 destinations only, so what its sources reach over IPv6 (IPv6 public IPs and load balancer frontends, IPv6 NSG rules, ::/0 routes) is not listed.',
    ]);
  });
});

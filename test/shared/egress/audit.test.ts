/**
 * Independent audit of the resolver's Azure semantics: each test pins a behaviour that the audit
 * found wrong (and fixed), with the Microsoft Learn text it relies on.
 */
import { describe, expect, it } from 'vitest';
import type { ResourceId } from '../../../shared/model/ids';
import { ModelBuilder, networkRule } from '../../support/model-builder';
import { pathOf, resolve, summary } from './support';
import { explainPath } from '../../../shared/egress/explain';

describe('audit: Standard load balancer membership turns default outbound access off', () => {
  // [LBRULES] scenario 5: "Outbound connectivity isn't available for an internal standard load balancer
  // until it has been explicitly declared through instance-level public IPs or Virtual Network NAT, or by
  // associating the backend pool members with an outbound-only load balancer configuration."
  // azure-docs include (VM quickstarts): "The default outbound access IP is disabled when either a public IP
  // address is assigned to the VM or the VM is placed in the back-end pool of a standard load balancer, with
  // or without outbound rules."
  it('a VM in an internal Standard LB pool only, in a non-private subnet, has no outbound (not default outbound)', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24');
    const lb = b.loadBalancer('ilb', { frontends: [{ name: 'fe', privateIp: '10.0.1.100', subnetId: s }], pools: [{ name: 'pool' }], rules: [{ name: 'r', frontend: 'fe', pool: 'pool' }] });
    const nic = b.nic(s, 'vm1-nic', '10.0.1.4', { poolIds: [ModelBuilder.poolId(lb, 'pool')] });
    const result = resolve(b.build());
    const path = pathOf(result, nic);
    expect(summary(path)).toMatchObject({ verdict: 'no-outbound', exit: null, findings: ['no-outbound'] });
    expect(path.findings[0]?.message).toContain('Standard load balancer');
    // A VM outside any pool in the same subnet still gets default outbound access.
    expect(pathOf(result, s).exit).toBe('default-outbound');
  });

  // [LBRULES] "Your virtual machine will not have outbound connectivity if you set this parameter
  // [disableOutboundSnat] to true and do not have an outbound rule to define outbound connectivity."
  it('disableOutboundSnat=true and no outbound rule, non-private subnet → no outbound', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24');
    const lb = b.loadBalancer('lb', { frontends: [{ name: 'fe', publicIpId: b.publicIp('lb-pip', '20.2.2.2') }], pools: [{ name: 'pool' }],
      rules: [{ name: 'https', frontend: 'fe', pool: 'pool', disableOutboundSnat: true }] });
    const nic = b.nic(s, 'vm1-nic', '10.0.1.4', { poolIds: [ModelBuilder.poolId(lb, 'pool')] });
    expect(summary(pathOf(resolve(b.build()), nic))).toMatchObject({ verdict: 'no-outbound', exit: null, egressIps: [], findings: ['no-outbound'] });
  });

  it('a Basic public LB pool and an IP-based Standard pool still leave default outbound on (unchanged)', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24');
    const basic = b.loadBalancer('basic', { sku: 'Basic', frontends: [{ name: 'fe', publicIpId: b.publicIp('b-pip', '20.3.3.3', { sku: 'Basic' }) }], pools: [{ name: 'pool' }],
      rules: [{ name: 'r', frontend: 'fe', pool: 'pool' }] });
    const nic = b.nic(s, 'vm1-nic', '10.0.1.4', { poolIds: [ModelBuilder.poolId(basic, 'pool')] });
    expect(summary(pathOf(resolve(b.build()), nic))).toMatchObject({ verdict: 'internet', exit: 'load-balancer', egressIps: ['20.3.3.3'] });
  });
});

describe('audit: a public IP on any IP configuration of the VM stops default outbound access', () => {
  // [DOA] "Associate a public IP to any of the virtual machine's network interfaces (if there are multiple
  // network interfaces, having a single one with a public IP will prevent default outbound access for the
  // virtual machine)." A NIC whose secondary IP configuration has a public IP is such a network interface.
  // What the primary configuration's traffic then uses (the secondary's public IP, or nothing) the
  // article does not say: unknown naming that fact, no longer the "no outbound" error this test first
  // pinned (whose own reason called it UNCONFIRMED).
  it('secondary IP configuration with a PIP: the primary configuration gets no default outbound, and what it uses instead is unknown', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24');
    const vm = '/subscriptions/x/resourcegroups/rg/providers/microsoft.compute/virtualmachines/vm1' as ResourceId;
    const nic = b.nic(s, 'vm1-nic', '10.0.1.4', { vmId: vm, secondary: [{ privateIp: '10.0.1.5', publicIpId: b.publicIp('sec-pip', '52.0.0.2') }] });
    const path = pathOf(resolve(b.build()), nic);
    expect(summary(path)).toMatchObject({ verdict: 'unknown', exit: null, findings: [] });
    const end = path.steps.at(-1);
    expect(end?.kind === 'terminal' && end.reason.kind === 'undecided' ? end.reason.missingFact : '').toMatch(/IP configuration \S+ of the NIC has public IP 52\.0\.0\.2.*does not document/);
  });

  it('the same NIC in a subnet with a NAT gateway still uses the NAT gateway', () => {
    const b = new ModelBuilder();
    const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.1.1.1')] });
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24', { natGatewayId: nat });
    b.nic(s, 'vm1-nic', '10.0.1.4', { secondary: [{ privateIp: '10.0.1.5', publicIpId: b.publicIp('sec-pip', '52.0.0.2') }] });
    const result = resolve(b.build());
    expect(result.paths.every((p) => p.exit === 'nat-gateway')).toBe(true);
  });
});

describe('audit: load balancer SNAT covers only the protocol its rule names', () => {
  // [LBRULES] scenario 6: "With a public standard load balancer, the automatic outbound NAT provided matches
  // the transport protocol of the load-balancing rule." Outbound rules have a protocol of their own (Tcp, Udp, All).
  function udpOnlyLb(kind: 'lb-rule' | 'outbound-rule') {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24');
    const lb = b.loadBalancer('lb', {
      frontends: [{ name: 'fe', publicIpId: b.publicIp('lb-pip', '20.2.2.2') }], pools: [{ name: 'pool' }],
      ...(kind === 'lb-rule'
        ? { rules: [{ name: 'dns', frontend: 'fe', pool: 'pool', protocol: 'Udp', port: 53 }] }
        : { outboundRules: [{ name: 'out-udp', frontends: ['fe'], pool: 'pool', protocol: 'Udp' as const }] }),
    });
    const nic = b.nic(s, 'vm1-nic', '10.0.1.4', { poolIds: [ModelBuilder.poolId(lb, 'pool')] });
    return { model: b.build(), nic };
  }

  for (const kind of ['lb-rule', 'outbound-rule'] as const) {
    it(`${kind} with protocol Udp: TCP 443 gets no LB SNAT (and no default outbound); UDP does`, () => {
      const { model, nic } = udpOnlyLb(kind);
      expect(summary(pathOf(resolve(model), nic))).toMatchObject({ verdict: 'no-outbound', exit: null });
      expect(summary(pathOf(resolve(model, { protocol: 'Udp', destinationPort: 53 }), nic))).toMatchObject({ verdict: 'internet', exit: 'load-balancer', egressIps: ['20.2.2.2'] });
    });
  }
});

describe('audit: default LB SNAT allocation counts every frontend IP, including those of a public IP prefix', () => {
  // [LBOUT] "Backends receive the number of ports defined by the table, per frontend IP, up to a maximum of
  // 1024 ports." [LBRULES] "The outbound rule will automatically use all public IP addresses contained within
  // the public IP prefix ... Each of the IP addresses within public IP prefix provides an extra 64,000 ephemeral ports".
  it('outbound rule with default ports, frontend = /30 prefix, pool of 60 → min(1,024, 4 × 512) = 1,024 ports', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24');
    const prefix = b.publicIpPrefix('lb-prefix', '20.4.4.0/30');
    const lb = b.loadBalancer('lb', { frontends: [{ name: 'fe', publicIpPrefixId: prefix }], pools: [{ name: 'pool' }], outboundRules: [{ name: 'out', frontends: ['fe'], pool: 'pool' }] });
    const nics = Array.from({ length: 60 }, (_, i) => b.nic(s, `vm${String(i).padStart(2, '0')}-nic`, `10.0.1.${10 + i}`, { poolIds: [ModelBuilder.poolId(lb, 'pool')] }));
    expect(summary(pathOf(resolve(b.build()), nics[0] as ResourceId))).toMatchObject({ exit: 'load-balancer', egressIps: ['20.4.4.0/30'], snatPorts: 1024 });
  });

  it('one public IP frontend, pool of 60 → 512 ports (unchanged)', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24');
    const lb = b.loadBalancer('lb', { frontends: [{ name: 'fe', publicIpId: b.publicIp('lb-pip', '20.2.2.2') }], pools: [{ name: 'pool' }], outboundRules: [{ name: 'out', frontends: ['fe'], pool: 'pool' }] });
    const nics = Array.from({ length: 60 }, (_, i) => b.nic(s, `vm${String(i).padStart(2, '0')}-nic`, `10.0.1.${10 + i}`, { poolIds: [ModelBuilder.poolId(lb, 'pool')] }));
    expect(summary(pathOf(resolve(b.build()), nics[0] as ResourceId))).toMatchObject({ exit: 'load-balancer', snatPorts: 512 });
  });
});

describe('audit: a Basic public LB SNATs through one frontend only', () => {
  // [LBOUT @2019-2020 text] "Load Balancer Basic chooses a single frontend to be used for outbound flows when
  // multiple (public) IP frontends are candidates for outbound flows. This selection is not configurable, and
  // you should consider the selection algorithm to be random."
  it('2 public frontends, pool of 60 → 512 ports (one frontend), not 1,024', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24');
    const lb = b.loadBalancer('basic', { sku: 'Basic', frontends: [{ name: 'fe1', publicIpId: b.publicIp('b1', '20.5.5.1', { sku: 'Basic' }) }, { name: 'fe2', publicIpId: b.publicIp('b2', '20.5.5.2', { sku: 'Basic' }) }],
      pools: [{ name: 'pool' }], rules: [{ name: 'r1', frontend: 'fe1', pool: 'pool' }, { name: 'r2', frontend: 'fe2', pool: 'pool' }] });
    const nics = Array.from({ length: 60 }, (_, i) => b.nic(s, `vm${String(i).padStart(2, '0')}-nic`, `10.0.1.${10 + i}`, { poolIds: [ModelBuilder.poolId(lb, 'pool')] }));
    const path = pathOf(resolve(b.build()), nics[0] as ResourceId);
    expect(summary(path)).toMatchObject({ exit: 'load-balancer', egressIps: ['20.5.5.1', '20.5.5.2'], snatPorts: 512 });
    expect(explainPath(path).find((h) => h.kind === 'load-balancer')?.explanation).toContain('one of them');
  });
});

describe('audit: an NVA forwards from its own (primary) IP configuration', () => {
  // [UDR] "If the appliance needs to route traffic to a public IP address, it must either proxy the traffic or
  // perform network address translation (NAT) from the source's private IP address to its own private IP
  // address. Azure then performs NAT to a public IP address before sending the traffic to the Internet."
  // The next-hop address may be a secondary IP configuration (a floating VIP); the NVA's own address, and the
  // one LB outbound rules and instance public IPs are bound to, is the primary configuration.
  it('next hop = secondary IP of the NVA NIC, public IP on its primary configuration → egress through that public IP', () => {
    const b = new ModelBuilder();
    const hub = b.vnet('hub', ['10.0.0.0/16']);
    const spoke = b.vnet('spoke', ['10.1.0.0/16']);
    b.peer(spoke, hub);
    const nvaSubnet = b.subnet(hub, 'nva', '10.0.2.0/24');
    const nva = b.nic(nvaSubnet, 'nva-nic', '10.0.2.4', { ipForwarding: true, publicIpId: b.publicIp('nva-pip', '52.1.1.1'), secondary: [{ privateIp: '10.0.2.5' }] });
    const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.2.5' }]);
    const app = b.subnet(spoke, 'app', '10.1.1.0/24', { routeTableId: rt });
    expect(summary(pathOf(resolve(b.build()), app))).toMatchObject({ verdict: 'internet', exit: 'public-ip', via: [nva], egressIps: ['52.1.1.1'] });
  });
});

describe('audit: a split default route decides "the internet"', () => {
  // [UDR] "Azure selects the route with the longest prefix": with 0.0.0.0/1 and 128.0.0.0/1 every
  // public address matches a /1, so the /0 (system Internet route) is never used for internet traffic.
  it('0.0.0.0/1 + 128.0.0.0/1 → firewall: the default-route view goes via the firewall and the subnet\'s NAT gateway is bypassed', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const fwSubnet = b.subnet(v, 'AzureFirewallSubnet', '10.0.0.0/26');
    const policyId = b.firewallPolicy('fw-policy', [networkRule('allow-https')]);
    const fw = b.firewall('fw', { subnetId: fwSubnet, privateIp: '10.0.0.4', publicIpIds: [b.publicIp('fw-pip', '20.0.0.10')], policyId });
    const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.9.9.9')] });
    const rt = b.routeTable('rt', [
      { name: 'lower-half', prefix: '0.0.0.0/1', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.0.4' },
      { name: 'upper-half', prefix: '128.0.0.0/1', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.0.4' },
    ]);
    const s = b.subnet(v, 'app', '10.0.1.0/24', { routeTableId: rt, natGatewayId: nat });
    const path = pathOf(resolve(b.build()), s);
    expect(summary(path)).toMatchObject({ verdict: 'internet', via: [fw], egressIps: ['20.0.0.10'], findings: ['nat-gateway-bypassed'] });
    expect(explainPath(path).find((h) => h.kind === 'route')?.rule).toContain('0.0.0.0/1');
    // Only half covered: the generic answer stays the NAT gateway.
    const half = new ModelBuilder();
    const hv = half.vnet('v', ['10.0.0.0/16']);
    const hs = half.subnet(hv, 'app', '10.0.1.0/24', {
      routeTableId: half.routeTable('rt', [{ prefix: '0.0.0.0/1', nextHopType: 'None' }]),
      natGatewayId: half.natGateway('nat', { publicIpIds: [half.publicIp('nat-pip', '20.9.9.9')] }),
    });
    expect(summary(pathOf(resolve(half.build()), hs))).toMatchObject({ verdict: 'internet', exit: 'nat-gateway' });
  });
});

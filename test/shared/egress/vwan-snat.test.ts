/**
 * Virtual WAN secured hubs, forced tunnelling and SNAT port counts: where the input lacks a fact or
 * Azure does not document the behaviour, the answer is unknown (null ports, an `undecided` end),
 * never a confident guess. Each test cites the source key of the egress rules reference.
 */
import { describe, expect, it } from 'vitest';
import type { ResourceId } from '../../../shared/model/ids';
import { defaultLoadBalancerSnatPorts } from '../../../shared/egress/outbound';
import { ModelBuilder, networkId, networkRule } from '../../support/model-builder';
import { pathOf, resolve, summary } from './support';

describe('SNAT port counts', () => {
  it('NAT gateway with a public IP and a public IP prefix that is not in the input: SNAT ports not known (null), not 64,512', () => {
    // [NATRES] "64,512 SNAT ports per public IP"; a prefix adds 64,512 per address it holds. With the
    // prefix's size missing from the input the count is unknown; 64,512 would be a definite undercount.
    const b = new ModelBuilder();
    const pip = b.publicIp('nat-pip', '20.0.0.1');
    const missingPrefix = networkId('publicipprefixes', 'not-exported');
    const nat = b.natGateway('nat', { publicIpIds: [pip], prefixIds: [missingPrefix] });
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24', { natGatewayId: nat });
    const path = pathOf(resolve(b.build()), s);
    expect(path.exit).toBe('nat-gateway');
    expect(path.snatPorts).toBeNull();
  });

  it('load-balancing-rule SNAT for a backend pool of more than 1,000 instances: SNAT ports not known (null), not 0', () => {
    // [LBOUT] the default allocation table ends at "801–1,000 → 32" ports per instance and says nothing
    // for larger pools: the count is undocumented. 0 ports on a path that leaves through LB SNAT contradicts itself.
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const s = b.subnet(v, 'app', '10.0.0.0/20');
    const lb = b.loadBalancer('lb', { frontends: [{ name: 'fe', publicIpId: b.publicIp('lb-pip', '20.1.1.1') }], pools: [{ name: 'pool' }], rules: [{ name: 'web', frontend: 'fe', pool: 'pool' }] });
    const pool = ModelBuilder.poolId(lb, 'pool');
    let first: ResourceId | null = null;
    for (let i = 0; i < 1001; i++) {
      const ip = `10.0.${Math.floor((i + 4) / 256)}.${(i + 4) % 256}`;
      const nic = b.nic(s, `vm${i}-nic`, ip, { poolIds: [pool] });
      first ??= nic;
    }
    const path = pathOf(resolve(b.build()), first as ResourceId);
    expect(path.exit).toBe('load-balancer');
    expect(path.snatPorts).toBeNull();
  });

  it('defaultLoadBalancerSnatPorts: null beyond the documented table and for an unknown frontend count below the 1,024 cap', () => {
    // [LBOUT] table 1–50 → 1,024 … 801–1,000 → 32, per frontend IP, capped at 1,024 per instance.
    expect(defaultLoadBalancerSnatPorts(1000, 1)).toBe(32);
    expect(defaultLoadBalancerSnatPorts(1001, 1)).toBeNull();
    expect(defaultLoadBalancerSnatPorts(1001, 4)).toBeNull();
    // A frontend prefix of unknown size: the cap is reached with any count for pools of up to 50.
    expect(defaultLoadBalancerSnatPorts(50, null)).toBe(1024);
    expect(defaultLoadBalancerSnatPorts(60, null)).toBeNull();
  });
});

describe('Virtual WAN secured hub firewall SNAT private ranges', () => {
  function securedHub(snatPrivateRanges: readonly string[]) {
    const b = new ModelBuilder();
    const spoke = b.vnet('spoke', ['10.1.0.0/16']);
    const s = b.subnet(spoke, 'app', '10.1.1.0/24');
    const policy = b.firewallPolicy('hub-policy', [networkRule('allow-https')], { snatPrivateRanges });
    const fw = b.firewall('hub-fw', { hubId: '/x' as ResourceId, hubPrivateIp: '10.255.0.132', hubPublicIps: ['20.8.8.1'], policyId: policy });
    b.virtualHub('hub', { firewallId: fw, internetPolicy: true, connections: [{ vnetId: spoke, enableInternetSecurity: true }] });
    return { model: b.build(), s, fw };
  }

  it('hub firewall whose policy sets SNAT private ranges to 0.0.0.0/0 (never SNAT): no direct internet egress from its public IPs', () => {
    // [FWSNAT] "To configure Azure Firewall to never SNAT ... use 0.0.0.0/0 as your private IP address range.
    // With this configuration, Azure Firewall can never route traffic directly to the Internet."
    // The setting lives in the firewall policy, which secured-hub firewalls use as VNet firewalls do.
    const { model, s, fw } = securedHub(['0.0.0.0/0']);
    const path = pathOf(resolve(model), s);
    expect(summary(path)).toMatchObject({ verdict: 'dropped', via: [fw] });
    const terminal = path.steps[path.steps.length - 1];
    expect(terminal?.kind === 'terminal' ? terminal.reason.kind : null).toBe('firewall-no-snat');
  });

  it('hub firewall with the default SNAT private ranges: internet from its hub public IPs', () => {
    // [FWSNAT] by default only IANA private destinations keep their source; a public destination is SNATed [VWAN].
    const { model, s } = securedHub([]);
    const path = pathOf(resolve(model), s);
    expect(path.verdict).toBe('internet');
    expect(path.egressIps).toEqual(['20.8.8.1']);
  });
});

describe('forced tunnelling', () => {
  it('GatewayDefaultSite on the VPN gateway of a VNet that also has an ExpressRoute gateway: the forced tunnel is the VPN gateway\'s', () => {
    // [S2SFT][DEFSITE] the Default Site is set on a route-based VPN gateway (Set-AzVirtualNetworkGatewayDefaultSite)
    // and "forces all Internet traffic back to the on-premises location" over that VPN site. The
    // ExpressRoute gateway plays no part in it (the "ExpressRoute wins" rule is for UDR next hops [UDR]).
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const vpn = b.gateway('vpn', v, { enableBgp: false, defaultSiteId: networkId('localnetworkgateways', 'hq') });
    b.gateway('er', v, { type: 'ExpressRoute' });
    const s = b.subnet(v, 'app', '10.0.1.0/24');
    const path = pathOf(resolve(b.build()), s);
    expect(path.verdict).toBe('on-premises');
    const terminal = path.steps[path.steps.length - 1];
    const reason = terminal && terminal.kind === 'terminal' ? terminal.reason : null;
    expect(reason?.kind).toBe('forced-tunnel');
    if (reason?.kind === 'forced-tunnel') {
      expect(reason.gateway?.id).toBe(vpn);
      expect(reason.expressRoute).toBe(false);
    }
  });
});

describe('Azure Firewall without a management NIC (not in forced-tunnel mode)', () => {
  function hubWithFirewallRoute(route: { readonly prefix: string; readonly nextHopType: string; readonly nextHopIp?: string }) {
    const b = new ModelBuilder();
    const hub = b.vnet('hub', ['10.0.0.0/16']);
    b.gateway('vpn', hub, { enableBgp: false });
    const fwRt = b.routeTable('fw-rt', [route]);
    const fwSubnet = b.subnet(hub, 'AzureFirewallSubnet', '10.0.0.0/26', { routeTableId: fwRt });
    const fw = b.firewall('fw', { subnetId: fwSubnet, privateIp: '10.0.0.4', publicIpIds: [b.publicIp('fw-pip', '20.9.9.9')], rules: [networkRule('allow-https')] });
    const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.0.4' }], { disableBgpRoutePropagation: true });
    const s = b.subnet(hub, 'app', '10.0.1.0/24', { routeTableId: rt });
    return { b, s, fw };
  }

  it('AzureFirewallSubnet UDR 0/0 → VirtualNetworkGateway: unknown with the misconfiguration finding, not a confident "on-premises"', () => {
    // [FWDIRECT] "Azure Firewall must have direct Internet connectivity. If your AzureFirewallSubnet learns a
    // default route to your on-premises network via BGP, you must override this with a 0.0.0.0/0 UDR with the
    // NextHopType value set as Internet". [FWFT] forced tunnelling "must be enabled when the firewall is created"
    // (management NIC). Without it, what the firewall does with a non-Internet 0/0 is not documented.
    const { b, s, fw } = hubWithFirewallRoute({ prefix: '0.0.0.0/0', nextHopType: 'VirtualNetworkGateway' });
    const path = pathOf(resolve(b.build()), s);
    expect(summary(path).findings).toContain('firewall-subnet-default-route');
    expect(path.verdict).toBe('unknown');
    const terminal = path.steps[path.steps.length - 1];
    const reason = terminal && terminal.kind === 'terminal' ? terminal.reason : null;
    expect(reason?.kind).toBe('undecided');
    if (reason?.kind === 'undecided') {
      expect(reason.resourceId).toBe(fw);
      expect(reason.missingFact).toMatch(/management NIC/);
    }
  });

  it('AzureFirewallSubnet UDR 0/0 → VirtualAppliance: unknown too (chaining to an NVA is documented only in forced-tunnel mode)', () => {
    // [FWFT] "AzureFirewallSubnet can then carry a UDR or BGP default toward on-premises or another NVA" —
    // only in forced-tunnel mode; otherwise the firewall must have direct internet connectivity [FWDIRECT].
    const { b, s } = hubWithFirewallRoute({ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.1.100' });
    const path = pathOf(resolve(b.build()), s);
    expect(summary(path).findings).toContain('firewall-subnet-default-route');
    expect(path.verdict).toBe('unknown');
  });
});

describe('snat-capacity findings for a secured-hub firewall', () => {
  function hubWithSpokes(count: number) {
    const b = new ModelBuilder();
    const fw = b.firewall('hub-fw', { hubId: '/x' as ResourceId, hubPrivateIp: '10.255.0.132', hubPublicIps: ['20.8.8.1'], rules: [networkRule('allow-https')] });
    const connections = [];
    for (let i = 1; i <= count; i++) {
      const v = b.vnet(`spoke${i}`, [`10.${i}.0.0/16`]);
      b.subnet(v, 'app', `10.${i}.1.0/24`);
      connections.push({ vnetId: v, enableInternetSecurity: true });
    }
    b.virtualHub('hub', { firewallId: fw, internetPolicy: true, connections });
    return { model: b.build(), fw };
  }

  it('static capacity warning for a hub firewall advises public IPs, not a NAT gateway (unsupported in a secured hub)', () => {
    // [NATRES] "Azure NAT Gateway isn't supported in a secured virtual hub network (vWAN) architecture";
    // [FWNAT] NAT gateway integration is not supported in a secured virtual hub.
    const { model, fw } = hubWithSpokes(11);
    const findings = resolve(model).findings.filter((f) => f.code === 'snat-capacity' && f.resourceIds?.includes(fw));
    expect(findings).toHaveLength(1);
    expect(findings[0]?.advice).not.toMatch(/NAT gateway/i);
    expect(findings[0]?.advice).toMatch(/public IPs/);
  });

  it('SNATPortUtilization ≥ 80% on a hub firewall advises public IPs, not a NAT gateway', () => {
    // Same sources as above [NATRES][FWNAT]; the metric is [FWMET] SNATPortUtilization.
    const { model, fw } = hubWithSpokes(1);
    const metrics = [{ resourceId: fw, metricName: 'SNATPortUtilization', filter: null, aggregation: 'Maximum' as const, windowStart: '2026-01-01T00:00:00Z', windowEnd: '2026-01-02T00:00:00Z', value: 92, unit: 'Percent' }];
    const findings = resolve(model, {}, { metrics }).findings.filter((f) => f.code === 'snat-capacity');
    expect(findings).toHaveLength(1);
    expect(findings[0]?.advice).not.toMatch(/NAT gateway/i);
    expect(findings[0]?.advice).toMatch(/public IPs/);
  });
});

describe('metric findings on load balancers', () => {
  it('failed SNAT connections on a load balancer name the load balancer and advise load balancer fixes', () => {
    // [LBMET] Load balancer "SNAT Connection Count" (ConnectionState dimension): the remedy is more
    // frontend IPs / outbound-rule ports [LBOUT][LBRULES], not a NAT gateway's IPs.
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24');
    const lb = b.loadBalancer('lb', { frontends: [{ name: 'fe', publicIpId: b.publicIp('lb-pip', '20.1.1.1') }], pools: [{ name: 'pool' }],
      outboundRules: [{ name: 'out', frontends: ['fe'], pool: 'pool' }] });
    b.nic(s, 'vm1-nic', '10.0.1.4', { poolIds: [ModelBuilder.poolId(lb, 'pool')] });
    const metrics = [{ resourceId: lb, metricName: 'SnatConnectionCount', filter: "ConnectionState eq 'Failed'", aggregation: 'Total' as const, windowStart: '2026-01-01T00:00:00Z', windowEnd: '2026-01-02T00:00:00Z', value: 12, unit: 'Count' }];
    const findings = resolve(b.build(), {}, { metrics }).findings.filter((f) => f.code === 'snat-capacity');
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toMatch(/^Load balancer lb: 12 failed SNAT connections/);
    expect(findings[0]?.advice).not.toMatch(/NAT gateway/i);
    expect(findings[0]?.advice).toMatch(/allocatedOutboundPorts/);
  });
});

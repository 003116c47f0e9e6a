import { describe, expect, it } from 'vitest';
import type { ResourceId } from '../../../shared/model/ids';
import type { ResourceMetric } from '../../../shared/model/snapshot';
import { ModelBuilder, networkRule } from '../../support/model-builder';
import { pathOf, resolve, summary } from './support';

function metric(resourceId: ResourceId, metricName: string, value: number, filter: string | null = null): ResourceMetric {
  return { resourceId, metricName, filter, aggregation: metricName === 'SNATPortUtilization' ? 'Maximum' : 'Total', windowStart: '2026-11-25T00:00:00Z', windowEnd: '2026-11-26T00:00:00Z', value, unit: 'Count' };
}

describe('estate findings', () => {
  it('firewall-bypass: one subnet reaches the internet directly while its neighbours go through the firewall', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const fwSubnet = b.subnet(v, 'AzureFirewallSubnet', '10.0.0.0/26');
    const fw = b.firewall('fw', { subnetId: fwSubnet, privateIp: '10.0.0.4', publicIpIds: [b.publicIp('fw-pip', '20.0.0.10')], rules: [networkRule('web')] });
    const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.0.4' }]);
    b.subnet(v, 'app', '10.0.1.0/24', { routeTableId: rt });
    b.subnet(v, 'db', '10.0.2.0/24', { routeTableId: rt });
    const rogue = b.subnet(v, 'rogue', '10.0.3.0/24');
    const result = resolve(b.build());
    expect(result.findings.map((f) => [f.code, f.severity, f.resourceIds])).toEqual([['firewall-bypass', 'warning', [rogue, fw]]]);
    expect(result.findings[0]?.message).toBe('In virtual network v, rogue reaches the internet directly while 2 other subnet(s) go through 1 firewall/NVA(s): a path around inspection.');
  });

  it('no firewall-bypass when every workload subnet goes through the firewall', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const fwSubnet = b.subnet(v, 'AzureFirewallSubnet', '10.0.0.0/26');
    b.firewall('fw', { subnetId: fwSubnet, privateIp: '10.0.0.4', publicIpIds: [b.publicIp('fw-pip', '20.0.0.10')], rules: [networkRule('web')] });
    const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.0.4' }]);
    b.subnet(v, 'app', '10.0.1.0/24', { routeTableId: rt });
    expect(resolve(b.build()).findings).toEqual([]);
  });

  it('snat-capacity from metrics: failed NAT SNAT connections, dropped packets, firewall utilization ≥ 80%; also on the paths using them', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.9.9.9')] });
    const s = b.subnet(v, 'app', '10.0.1.0/24', { natGatewayId: nat });
    const fwSubnet = b.subnet(v, 'AzureFirewallSubnet', '10.0.0.0/26');
    const fw = b.firewall('fw', { subnetId: fwSubnet, privateIp: '10.0.0.4', publicIpIds: [b.publicIp('fw-pip', '20.0.0.10')], rules: [networkRule('web')] });
    const metrics = [
      metric(nat, 'SNATConnectionCount', 37, "ConnectionState eq 'Failed'"),
      metric(nat, 'SNATConnectionCount', 9000, "ConnectionState eq 'Attempted'"),
      metric(nat, 'PacketDropCount', 5),
      metric(fw, 'SNATPortUtilization', 85),
      metric(fw, 'FirewallHealth', 100),
    ];
    const result = resolve(b.build(), {}, { metrics });
    expect(result.findings.map((f) => [f.code, f.severity, f.resourceIds])).toEqual([
      ['snat-capacity', 'warning', [fw]],
      ['snat-capacity', 'warning', [nat]],
      ['snat-capacity', 'error', [nat]],
    ]);
    expect(summary(pathOf(result, s)).findings).toEqual(['snat-capacity', 'snat-capacity']);
    expect(result.findings[2]?.message).toContain('37 failed SNAT connections');
  });

  it('snat-capacity (static): a firewall with one public IP and no NAT gateway serving more than 10 subnets', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const fwSubnet = b.subnet(v, 'AzureFirewallSubnet', '10.0.0.0/26');
    const fw = b.firewall('fw', { subnetId: fwSubnet, privateIp: '10.0.0.4', publicIpIds: [b.publicIp('fw-pip', '20.0.0.10')], rules: [networkRule('web')] });
    const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.0.4' }]);
    for (let i = 1; i <= 11; i++) b.subnet(v, `s${i}`, `10.0.${i}.0/24`, { routeTableId: rt });
    const findings = resolve(b.build()).findings;
    expect(findings.map((f) => [f.code, f.resourceIds])).toEqual([['snat-capacity', [fw]]]);
    expect(findings[0]?.message).toContain('exit of 11 subnets');
  });

  it('GatewaySubnet misconfigurations: NAT gateway, 0/0 UDR, propagation disabled', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('p', '20.0.0.1')] });
    const rt = b.routeTable('rt-gw', [{ name: 'bad', prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.1.4' }]);
    const gw = b.subnet(v, 'GatewaySubnet', '10.0.255.0/27', { natGatewayId: nat, routeTableId: rt });
    const v2 = b.vnet('v2', ['10.2.0.0/16']);
    const gw2 = b.subnet(v2, 'GatewaySubnet', '10.2.255.0/27', { routeTableId: b.routeTable('rt-gw2', [], { disableBgpRoutePropagation: true }) });
    const codes = resolve(b.build()).findings.map((f) => [f.code, f.resourceIds?.[0]]);
    expect(codes).toEqual([['nat-gateway-on-gateway-subnet', gw], ['gateway-subnet-default-route', gw], ['gateway-subnet-default-route', gw2]]);
  });

  it('secured-hub-nat-gateway: a spoke subnet with a NAT gateway behind a secured hub with internet security on', () => {
    const b = new ModelBuilder();
    const spoke = b.vnet('spoke', ['10.1.0.0/16']);
    const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('p', '20.0.0.1')] });
    const s = b.subnet(spoke, 'app', '10.1.1.0/24', { natGatewayId: nat });
    const fw = b.firewall('hub-fw', { hubId: '/x' as ResourceId, hubPublicIps: ['20.8.8.1'], rules: [networkRule('web')] });
    b.virtualHub('hub', { firewallId: fw, internetPolicy: true, connections: [{ vnetId: spoke, enableInternetSecurity: true }] });
    const result = resolve(b.build());
    expect(result.findings.map((f) => f.code)).toEqual(['secured-hub-nat-gateway']);
    expect(summary(pathOf(result, s))).toMatchObject({ verdict: 'internet', via: [fw], egressIps: ['20.8.8.1'], findings: ['nat-gateway-bypassed'] });
  });

  // "Propagate gateway routes" = No keeps the hub's 0/0 off the subnet ("ensure Propagate gateway
  // routes is set to Yes" https://learn.microsoft.com/azure/virtual-wan/how-to-routing-policies):
  // its NAT gateway is its exit, nothing to flag.
  it('secured-hub-nat-gateway is not raised for a subnet whose route table does not propagate gateway routes', () => {
    const b = new ModelBuilder();
    const spoke = b.vnet('spoke', ['10.1.0.0/16']);
    const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('p', '20.0.0.1')] });
    const s = b.subnet(spoke, 'app', '10.1.1.0/24', { natGatewayId: nat, routeTableId: b.routeTable('rt-app', [], { disableBgpRoutePropagation: true }) });
    const fw = b.firewall('hub-fw', { hubId: '/x' as ResourceId, hubPublicIps: ['20.8.8.1'], rules: [networkRule('web')] });
    b.virtualHub('hub', { firewallId: fw, internetPolicy: true, connections: [{ vnetId: spoke, enableInternetSecurity: true }] });
    const result = resolve(b.build());
    expect(result.findings.map((f) => f.code)).toEqual([]);
    expect(summary(pathOf(result, s))).toMatchObject({ verdict: 'internet', egressIps: ['20.0.0.1'] });
  });

  // Whether the subnet propagates gateway routes is unknown when its route table is not in the input
  // (https://learn.microsoft.com/azure/virtual-wan/how-to-routing-policies): the path is unknown, and
  // the finding, which says the hub's 0/0 takes the traffic, is not raised.
  it('secured-hub-nat-gateway is not raised while the subnet\'s route table is missing from the input', () => {
    const b = new ModelBuilder();
    const spoke = b.vnet('spoke', ['10.1.0.0/16']);
    const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('p', '20.0.0.1')] });
    const s = b.subnet(spoke, 'app', '10.1.1.0/24', { natGatewayId: nat, routeTableId: '/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/rg-net/providers/microsoft.network/routetables/rt-gone' as ResourceId });
    const fw = b.firewall('hub-fw', { hubId: '/x' as ResourceId, hubPublicIps: ['20.8.8.1'], rules: [networkRule('web')] });
    b.virtualHub('hub', { firewallId: fw, internetPolicy: true, connections: [{ vnetId: spoke, enableInternetSecurity: true }] });
    const result = resolve(b.build());
    expect(result.findings.map((f) => f.code)).toEqual([]);
    expect(pathOf(result, s).verdict).toBe('unknown');
  });

  it('basic-sku: a Basic public load balancer still gives outbound but is flagged as retired', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24');
    // With a load-balancing rule: without one, whether the pool gives outbound is not known (outbound-precedence.test.ts).
    const lb = b.loadBalancer('basic-lb', { sku: 'Basic', frontends: [{ name: 'fe', publicIpId: b.publicIp('lb-pip', '20.2.2.2', { sku: 'Basic' }) }], pools: [{ name: 'pool' }],
      rules: [{ name: 'r', frontend: 'fe', pool: 'pool' }] });
    const nic = b.nic(s, 'vm1-nic', '10.0.1.4', { poolIds: [ModelBuilder.poolId(lb, 'pool')] });
    expect(summary(pathOf(resolve(b.build()), nic))).toEqual({
      verdict: 'internet', exit: 'load-balancer', via: [], egressIps: ['20.2.2.2'], snatPorts: 1024, hops: ['source', 'route', 'load-balancer', 'internet'], findings: ['basic-sku'],
    });
  });
});

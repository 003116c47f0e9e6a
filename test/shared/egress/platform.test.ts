/**
 * Platform subnets (AzureFirewallSubnet, AzureFirewallManagementSubnet, GatewaySubnet,
 * AzureBastionSubnet, RouteServerSubnet) host only Azure-managed instances: their paths carry a
 * role, use the platform resource's own public IPs, and never get workload findings.
 */
import { describe, expect, it } from 'vitest';
import { effectiveRoute, ModelBuilder, networkRule } from '../../support/model-builder';
import { pathOf, resolve, summary } from './support';
import { explainPath } from '../../../shared/egress/explain';
import type { EgressPath } from '../../../shared/egress/types';

/** The path as the resolve@1 JSON shows it: steps in words. */
function withHops({ steps, ...rest }: EgressPath): Omit<EgressPath, 'steps'> & { hops: ReturnType<typeof explainPath> } {
  return { ...rest, hops: explainPath({ steps }) };
}

const WORKLOAD_CODES = ['default-outbound', 'no-outbound', 'firewall-bypass'];

/** Hop kind, resource and rule: the structure of a path without its prose. */
const hop = (kind: string, id: string, rule: string) => expect.objectContaining({ kind, id, rule });

function firewallHub(opts: { nat: boolean }) {
  const b = new ModelBuilder();
  const v = b.vnet('hub', ['10.0.0.0/16']);
  const natPip = b.publicIp('fw-nat-pip', '20.0.1.1');
  const nat = opts.nat ? b.natGateway('fw-nat', { publicIpIds: [natPip] }) : undefined;
  const fwSubnet = b.subnet(v, 'AzureFirewallSubnet', '10.0.1.0/26', { natGatewayId: nat });
  const fwPip = b.publicIp('fw-pip', '20.0.0.10');
  const fw = b.firewall('fw', { subnetId: fwSubnet, privateIp: '10.0.1.4', publicIpIds: [fwPip], rules: [networkRule('allow-https')] });
  const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.1.4' }]);
  const app = b.subnet(v, 'app', '10.0.2.0/24', { routeTableId: rt });
  // A workload subnet that goes direct: the estate firewall-bypass finding must name it, not the firewall's subnet.
  const rogue = b.subnet(v, 'rogue', '10.0.3.0/24');
  return { b, fwSubnet, fw, fwPip, nat, app, rogue };
}

describe('platform subnets', () => {
  it('AzureFirewallSubnet without NAT gateway: the firewall\'s own public IPs, exit public-ip', () => {
    const { b, fwSubnet, fw, fwPip, rogue } = firewallHub({ nat: false });
    const result = resolve(b.build());
    expect(withHops(pathOf(result, fwSubnet))).toEqual({
      source: { type: 'subnet', id: fwSubnet, name: 'AzureFirewallSubnet', role: 'azure-firewall' },
      verdict: 'internet', exit: 'public-ip', via: [], egressIps: ['20.0.0.10'], snatPorts: 2 * 2_496,
      hops: [
        hop('source', fwSubnet, 'Subnet AzureFirewallSubnet (10.0.1.0/26)'),
        hop('route', fwSubnet, 'System route Default route to the internet 0.0.0.0/0 → Internet'),
        hop('public-ip', fwPip, 'Azure Firewall fw public IPs (20.0.0.10)'),
        hop('internet', 'internet', 'Internet'),
      ],
      findings: [],
    });
    expect(explainPath(pathOf(result, fwSubnet))[0]?.explanation).toContain(`Platform subnet: it hosts Azure Firewall fw`);
    // Only the workload subnet is a bypass.
    const bypass = result.findings.filter((f) => f.code === 'firewall-bypass');
    expect(bypass.map((f) => f.resourceIds)).toEqual([[rogue, fw]]);
  });

  it('AzureFirewallSubnet with NAT gateway: the NAT gateway\'s public IPs, exit nat-gateway', () => {
    const { b, fwSubnet, nat } = firewallHub({ nat: true });
    expect(withHops(pathOf(resolve(b.build()), fwSubnet))).toEqual({
      source: { type: 'subnet', id: fwSubnet, name: 'AzureFirewallSubnet', role: 'azure-firewall' },
      verdict: 'internet', exit: 'nat-gateway', via: [], egressIps: ['20.0.1.1'], snatPorts: 64_512,
      hops: [
        hop('source', fwSubnet, 'Subnet AzureFirewallSubnet (10.0.1.0/26)'),
        hop('route', fwSubnet, 'System route Default route to the internet 0.0.0.0/0 → Internet'),
        hop('nat-gateway', nat as string, 'NAT gateway fw-nat (20.0.1.1)'),
        hop('internet', 'internet', 'Internet'),
      ],
      findings: [],
    });
  });

  it('AzureFirewallSubnet whose default route is not Internet keeps its misconfiguration finding', () => {
    const b = new ModelBuilder();
    const v = b.vnet('hub', ['10.0.0.0/16']);
    const rt = b.routeTable('rt-fw', [{ prefix: '0.0.0.0/0', nextHopType: 'None' }]);
    const fwSubnet = b.subnet(v, 'AzureFirewallSubnet', '10.0.1.0/26', { routeTableId: rt });
    b.firewall('fw', { subnetId: fwSubnet, privateIp: '10.0.1.4', publicIpIds: [b.publicIp('fw-pip', '20.0.0.10')] });
    expect(summary(pathOf(resolve(b.build()), fwSubnet))).toMatchObject({ verdict: 'dropped', findings: ['firewall-subnet-default-route'] });
  });

  it('GatewaySubnet with a VPN gateway: the gateway\'s public IP, exit public-ip, no workload finding', () => {
    const b = new ModelBuilder();
    const v = b.vnet('hub', ['10.0.0.0/16']);
    const gwSubnet = b.subnet(v, 'GatewaySubnet', '10.0.255.0/27');
    const gwPip = b.publicIp('vpn-pip', '20.5.5.5');
    const gw = b.gateway('vpn', v, { publicIpIds: [gwPip] });
    expect(withHops(pathOf(resolve(b.build()), gwSubnet))).toEqual({
      source: { type: 'subnet', id: gwSubnet, name: 'GatewaySubnet', role: 'gateway' },
      verdict: 'internet', exit: 'public-ip', via: [], egressIps: ['20.5.5.5'], snatPorts: null,
      hops: [
        expect.objectContaining({ kind: 'source', id: gwSubnet, explanation: expect.stringContaining('Platform subnet: it hosts only the Azure-managed instances of Vpn gateway vpn') }),
        hop('route', gwSubnet, 'System route Default route to the internet 0.0.0.0/0 → Internet'),
        hop('public-ip', gwPip, 'Gateway vpn public IPs (20.5.5.5)'),
        hop('internet', 'internet', 'Internet'),
      ],
      findings: [],
    });
    expect(gw).toContain('virtualnetworkgateways/vpn');
  });

  it('GatewaySubnet under a BGP-learned 0/0: the gateway still sends from its own public IP (not "forced tunnel" into itself)', () => {
    const b = new ModelBuilder();
    const v = b.vnet('hub', ['10.0.0.0/16']);
    const gwSubnet = b.subnet(v, 'GatewaySubnet', '10.0.255.0/27');
    b.gateway('vpn', v, { publicIpIds: [b.publicIp('vpn-pip', '20.5.5.5')] });
    const app = b.subnet(v, 'app', '10.0.1.0/24');
    const nic = b.nic(app, 'app-nic', '10.0.1.4');
    const effectiveRoutes = [{ networkInterfaceId: nic, routes: [
      effectiveRoute('0.0.0.0/0', 'VirtualNetworkGateway', { source: 'VirtualNetworkGateway', nextHopIpAddresses: ['10.0.255.4'] }),
    ] }];
    const result = resolve(b.build(), {}, { effectiveRoutes });
    expect(summary(pathOf(result, gwSubnet))).toEqual({
      verdict: 'internet', exit: 'public-ip', via: [], egressIps: ['20.5.5.5'], snatPorts: null, hops: ['source', 'route', 'public-ip', 'internet'], findings: [],
    });
    // The workload subnet is still forced on-premises.
    expect(summary(pathOf(result, app)).verdict).toBe('on-premises');
  });

  it('GatewaySubnet with a NAT gateway: NAT is not supported there, the gateway keeps its IPs and the misconfiguration is reported', () => {
    const b = new ModelBuilder();
    const v = b.vnet('hub', ['10.0.0.0/16']);
    const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.9.9.9')] });
    const gwSubnet = b.subnet(v, 'GatewaySubnet', '10.0.255.0/27', { natGatewayId: nat });
    b.gateway('vpn', v, { publicIpIds: [b.publicIp('vpn-pip', '20.5.5.5')] });
    const result = resolve(b.build());
    expect(summary(pathOf(result, gwSubnet))).toMatchObject({ verdict: 'internet', exit: 'public-ip', egressIps: ['20.5.5.5'], findings: [] });
    expect(result.findings.map((f) => f.code)).toContain('nat-gateway-on-gateway-subnet');
  });

  it('GatewaySubnet with no gateway in the snapshot, or a gateway without public IPs: unknown, never no-outbound', () => {
    const b = new ModelBuilder();
    const empty = b.subnet(b.vnet('a', ['10.0.0.0/16']), 'gatewaysubnet', '10.0.255.0/27', { defaultOutboundAccess: false });
    const v = b.vnet('b', ['10.1.0.0/16']);
    const noPip = b.subnet(v, 'GatewaySubnet', '10.1.255.0/27', { defaultOutboundAccess: false });
    b.gateway('er', v, { type: 'ExpressRoute' });
    const result = resolve(b.build());
    for (const id of [empty, noPip]) {
      const path = pathOf(result, id);
      expect(path.source.role).toBe('gateway');
      expect(summary(path)).toMatchObject({ verdict: 'unknown', exit: null, egressIps: [], findings: [] });
      expect(explainPath(path).at(-1)?.kind).toBe('drop');
    }
    expect(explainPath(pathOf(result, empty))[0]?.explanation).toContain('no virtual network gateway in the snapshot uses it');
    expect(explainPath(pathOf(result, noPip)).at(-1)?.explanation).toContain('no public IP of gateway er is in the snapshot');
  });

  it('AzureFirewallManagementSubnet: the firewall\'s management public IP', () => {
    const b = new ModelBuilder();
    const v = b.vnet('hub', ['10.0.0.0/16']);
    const fwSubnet = b.subnet(v, 'AzureFirewallSubnet', '10.0.1.0/26');
    const mgmt = b.subnet(v, 'AzureFirewallManagementSubnet', '10.0.2.0/26');
    const mgmtPip = b.publicIp('mgmt-pip', '20.0.0.99');
    b.firewall('fw', { subnetId: fwSubnet, privateIp: '10.0.1.4', managementSubnetId: mgmt, managementPublicIpId: mgmtPip });
    const path = pathOf(resolve(b.build()), mgmt);
    expect(path.source).toEqual({ type: 'subnet', id: mgmt, name: 'AzureFirewallManagementSubnet', role: 'firewall-management' });
    expect(summary(path)).toEqual({ verdict: 'internet', exit: 'public-ip', via: [], egressIps: ['20.0.0.99'], snatPorts: null, hops: ['source', 'route', 'public-ip', 'internet'], findings: [] });
    expect(explainPath(path)[2]).toMatchObject({ id: mgmtPip, rule: 'Azure Firewall fw management public IP (20.0.0.99)' });
  });

  it('AzureBastionSubnet and RouteServerSubnet: platform-managed egress (not modelled), verdict unknown with a gap', () => {
    const b = new ModelBuilder();
    const v = b.vnet('hub', ['10.0.0.0/16']);
    const bastion = b.subnet(v, 'azurebastionsubnet', '10.0.3.0/26');
    const routeServer = b.subnet(v, 'RouteServerSubnet', '10.0.4.0/27', { defaultOutboundAccess: false });
    const result = resolve(b.build());
    for (const [id, role] of [[bastion, 'bastion'], [routeServer, 'route-server']] as const) {
      const path = pathOf(result, id);
      expect(path.source.role).toBe(role);
      expect(summary(path)).toEqual({ verdict: 'unknown', exit: null, via: [], egressIps: [], snatPorts: null, hops: ['source', 'drop'], findings: [] });
      expect(explainPath(path)[1]?.rule).toBe('Platform-managed egress (not modelled)');
    }
    expect(explainPath(pathOf(result, bastion))[0]?.docs).toBe('https://learn.microsoft.com/azure/bastion/bastion-nsg');
    expect(result.gaps.map((g) => g.scope).sort()).toEqual([bastion, routeServer].sort());
  });

  it('every path carries a role: workload for normal subnets and NICs', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const app = b.subnet(v, 'app', '10.0.1.0/24');
    const nic = b.nic(app, 'vm-nic', '10.0.1.4', { publicIpId: b.publicIp('vm-pip', '52.0.0.1') });
    b.subnet(v, 'GatewaySubnet', '10.0.255.0/27');
    const result = resolve(b.build());
    expect(result.paths.map((p) => [p.source.name, p.source.role])).toEqual(expect.arrayContaining([['app', 'workload'], ['vm-nic', 'workload'], ['GatewaySubnet', 'gateway']]));
    expect(result.paths.every((p) => p.source.role !== undefined)).toBe(true);
    expect(pathOf(result, nic).source.role).toBe('workload');
  });

  it('no workload finding on any platform path, whatever the subnet settings', () => {
    const b = new ModelBuilder();
    const v = b.vnet('hub', ['10.0.0.0/16']);
    for (const [i, name] of ['AzureFirewallSubnet', 'AzureFirewallManagementSubnet', 'GatewaySubnet', 'AzureBastionSubnet', 'RouteServerSubnet'].entries()) {
      b.subnet(v, name, `10.0.${i}.0/26`, { defaultOutboundAccess: i % 2 === 0 ? false : null });
    }
    const result = resolve(b.build());
    expect(result.paths).toHaveLength(5);
    for (const path of result.paths) {
      expect(path.source.role).not.toBe('workload');
      expect(path.findings.map((f) => f.code).filter((c) => WORKLOAD_CODES.includes(c))).toEqual([]);
    }
    expect(result.findings.map((f) => f.code).filter((c) => WORKLOAD_CODES.includes(c))).toEqual([]);
  });
});

describe('subnet-level severity when every NIC is an exception', () => {
  it('all NICs have their own entry → the subnet\'s default-outbound finding is info and says so', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24');
    const nic = b.nic(s, 'vm1-nic', '10.0.1.4', { publicIpId: b.publicIp('vm-pip', '52.0.0.1') });
    const result = resolve(b.build());
    expect(summary(pathOf(result, nic))).toMatchObject({ exit: 'public-ip', findings: [] });
    const [finding] = pathOf(result, s).findings;
    expect(finding).toMatchObject({ code: 'default-outbound', severity: 'info' });
    expect(finding?.message).toContain('No NIC here uses it today; a new VM without its own public IP or LB membership would use default outbound access.');
  });

  it('private subnet where every NIC is in a load balancer pool → the subnet\'s no-outbound finding is info', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const s = b.subnet(v, 'web', '10.0.1.0/24', { defaultOutboundAccess: false });
    const lb = b.loadBalancer('lb', {
      frontends: [{ name: 'fe', publicIpId: b.publicIp('lb-pip', '20.3.3.3') }], pools: [{ name: 'pool' }],
      outboundRules: [{ name: 'out', frontends: ['fe'], pool: 'pool', allocatedOutboundPorts: 8000 }],
    });
    const pool = `${lb}/backendaddresspools/pool` as typeof lb;
    b.nic(s, 'web-1', '10.0.1.4', { poolIds: [pool] });
    b.nic(s, 'web-2', '10.0.1.5', { poolIds: [pool] });
    const result = resolve(b.build());
    expect(result.paths.filter((p) => p.source.type === 'nic').map((p) => p.exit)).toEqual(['load-balancer', 'load-balancer']);
    const [finding] = pathOf(result, s).findings;
    expect(finding).toMatchObject({ code: 'no-outbound', severity: 'info' });
    expect(finding?.message).toContain('No NIC here uses it today; a new VM without its own public IP or LB membership would have no way out.');
  });

  it('mixed subnet (one NIC follows the subnet path) keeps warning / error', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const open = b.subnet(v, 'open', '10.0.1.0/24');
    b.nic(open, 'pip-nic', '10.0.1.4', { publicIpId: b.publicIp('vm-pip', '52.0.0.1') });
    b.nic(open, 'plain-nic', '10.0.1.5');
    const closed = b.subnet(v, 'closed', '10.0.2.0/24', { defaultOutboundAccess: false });
    b.nic(closed, 'pip-nic-2', '10.0.2.4', { publicIpId: b.publicIp('vm-pip-2', '52.0.0.2') });
    b.nic(closed, 'plain-nic-2', '10.0.2.5');
    const result = resolve(b.build());
    expect(pathOf(result, open).findings.map((f) => [f.code, f.severity])).toEqual([['default-outbound', 'warning']]);
    expect(pathOf(result, closed).findings.map((f) => [f.code, f.severity])).toEqual([['no-outbound', 'error']]);
    expect(pathOf(result, closed).findings[0]?.message).not.toContain('No NIC here');
  });

  it('a NIC listed as a possible exception whose path equals the subnet\'s still follows it: severity unchanged', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const s = b.subnet(v, 'app', '10.0.1.0/24', { defaultOutboundAccess: false });
    // A NIC NSG with only the default rules: the NIC's path is the subnet's, so it gets no entry.
    b.nic(s, 'nsg-nic', '10.0.1.4', { nsgId: b.nsg('nic-nsg', [], { withDefaults: true }) });
    const result = resolve(b.build());
    expect(result.paths.map((p) => p.source.type)).toEqual(['subnet']);
    expect(pathOf(result, s).findings.map((f) => [f.code, f.severity])).toEqual([['no-outbound', 'error']]);
  });

  it('a subnet with no NICs keeps its severity', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'empty', '10.0.1.0/24');
    expect(pathOf(resolve(b.build()), s).findings.map((f) => [f.code, f.severity])).toEqual([['default-outbound', 'warning']]);
  });
});

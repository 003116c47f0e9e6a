/**
 * Host platform addresses and broadcast written in other forms (a /32, a peered subnet's broadcast):
 * the same answer as the bare address. From a review of afbe95b; each cites its source.
 */
import { describe, expect, it } from 'vitest';
import { terminalOf } from '../../../shared/egress/steps';
import type { SecurityRule } from '../../../shared/model/topology';
import { ModelBuilder, networkRule } from '../../support/model-builder';
import { HUB_FIREWALL_IP, pathOf, resolve } from './support';

/**
 * Hub 10.0.0.0/16 (AzureFirewallSubnet 10.0.1.0/26, firewall allowing everything, public IP
 * 20.0.0.10) peered with spoke 10.1.0.0/16, whose subnet `app` (10.1.1.0/24, NIC vm1) routes
 * 0.0.0.0/0 to the firewall. `nsgRules`: an NSG on `app`.
 */
function estate(nsgRules: readonly SecurityRule[] | null = null) {
  const b = new ModelBuilder();
  const hub = b.vnet('hub', ['10.0.0.0/16']);
  const spoke = b.vnet('spoke', ['10.1.0.0/16']);
  b.peer(spoke, hub);
  const fwSubnet = b.subnet(hub, 'AzureFirewallSubnet', '10.0.1.0/26');
  const policy = b.firewallPolicy('fw-policy', [networkRule('any', { destinationAddresses: ['*'], destinationPorts: ['*'], protocols: ['Any'] })]);
  const fw = b.firewall('fw', { subnetId: fwSubnet, privateIp: HUB_FIREWALL_IP, publicIpIds: [b.publicIp('fw-pip', '20.0.0.10')], policyId: policy });
  const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: HUB_FIREWALL_IP }]);
  const nsg = nsgRules === null ? null : b.nsg('nsg-app', nsgRules);
  const app = b.subnet(spoke, 'app', '10.1.1.0/24', { routeTableId: rt, defaultOutboundAccess: false, ...(nsg ? { networkSecurityGroupId: nsg } : {}) });
  b.nic(app, 'vm1', '10.1.1.4');
  return { model: b.build(), fw, app };
}

describe('a host platform address written as a /32 is the same destination', () => {
  /**
   * "168.63.129.16 is a virtual IP of the host node and as such it isn't subject to user defined
   * routes" (MicrosoftDocs/azure-docs articles/virtual-network/what-is-ip-address-168-63-129-16.md).
   * `--destination 168.63.129.16/32` is the one address 168.63.129.16: on afbe95b it is a "range",
   * platformDestination only looks for multicast in ranges, so it follows the UDR to the hub
   * firewall and is reported as INTERNET egress from 20.0.0.10 (the CLI on the bank demo says
   * "internet, nat-gateway 20.61.14.21, 20.61.14.22" for AzureFirewallSubnet), while
   * `168.63.129.16` gives `private` (host-platform-address). A confident wrong verdict.
   */
  it('168.63.129.16/32 from a spoke routed to the firewall is the host address (private), not internet via the firewall', () => {
    const { model, fw, app } = estate();
    const path = pathOf(resolve(model, { destination: '168.63.129.16/32' }), app);
    expect(path.verdict).not.toBe('internet');
    expect(path.via.map((v) => v.id)).not.toContain(fw);
    expect(path.verdict).toBe('private');
    expect(terminalOf(path.steps).reason.kind).toBe('host-platform-address');
  });

  /**
   * Same rule for the other single-address ranges the change decides before routing:
   * 169.254.169.254 (IMDS, "never leaves the host", articles/virtual-machines/instance-metadata-service.md)
   * and limited / subnet broadcast ("Multicast, broadcast ... are blocked in virtual networks",
   * articles/virtual-network/virtual-networks-faq.md). On afbe95b: 169.254.169.254/32 → unknown
   * ("not an internet address" at the firewall's Internet route), 255.255.255.255/32 → unknown,
   * 10.1.1.255/32 → private (delivered in VNet), while the bare addresses give private / dropped / dropped.
   */
  it.each([
    ['169.254.169.254/32', 'private', 'host-platform-address'],
    ['255.255.255.255/32', 'dropped', 'blocked-in-vnet'],
    ['10.1.1.255/32', 'dropped', 'blocked-in-vnet'],
  ])('%s gets the same verdict as the bare address (%s)', (destination, verdict, kind) => {
    const { model, app } = estate();
    const path = pathOf(resolve(model, { destination }), app);
    expect(path.verdict).toBe(verdict);
    expect(terminalOf(path.steps).reason.kind).toBe(kind);
  });
});

describe('broadcast address of a subnet of a peered virtual network', () => {
  /**
   * The VNet FAQ reserves the last address of every subnet ("x.x.x.255: Network broadcast address")
   * and "Multicast, broadcast ... are blocked in virtual networks" (articles/virtual-network/virtual-networks-faq.md).
   * isSubnetBroadcast only looks at the source's own VNet, so 10.0.1.63 (broadcast of the hub's
   * AzureFirewallSubnet 10.0.1.0/26) from the peered spoke is reported "Delivered over peering
   * to-hub" (private) although no host can hold it and broadcast is blocked: dropped, as for the
   * own VNet's subnets.
   */
  it('10.0.1.63 (last address of hub 10.0.1.0/26) from the spoke is dropped, not delivered over peering', () => {
    const { model, app } = estate();
    const path = pathOf(resolve(model, { destination: '10.0.1.63' }), app);
    expect(terminalOf(path.steps).reason.kind).not.toBe('delivered-over-peering');
    expect(path.verdict).toBe('dropped');
  });
});

/**
 * Destinations Azure decides before any route: the host node's virtualized addresses
 * (169.254.169.254, 168.63.129.16), reached on the VM's own host, and multicast / broadcast, which
 * virtual networks block. Each test cites the Microsoft Learn page (MicrosoftDocs/azure-docs) that
 * documents the behaviour.
 */
import { describe, expect, it } from 'vitest';
import { explainPath } from '../../../shared/egress/explain';
import { terminalOf } from '../../../shared/egress/steps';
import type { TerminalReason } from '../../../shared/egress/steps';
import type { EgressPath } from '../../../shared/egress/types';
import type { ResourceId } from '../../../shared/model/ids';
import type { SecurityRule } from '../../../shared/model/topology';
import { ModelBuilder, networkRule, securityRule } from '../../support/model-builder';
import { HUB_FIREWALL_IP, pathOf, resolve } from './support';

const reasonOf = (path: EgressPath): TerminalReason => terminalOf(path.steps).reason;
const shown = (path: EgressPath): string => explainPath(path).map((h) => `${h.rule} :: ${h.explanation}`).join('\n');

/**
 * Hub (10.0.0.0/16) with an Azure Firewall allowing everything (public IP 20.0.0.10); spoke `app`
 * routes 0.0.0.0/0 to it; `private` is a private subnet (no outbound method) in a lone VNet.
 * `nsgRules`: an NSG on `app` with these rules.
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
  const lone = b.vnet('lone', ['10.9.0.0/16']);
  const priv = b.subnet(lone, 'private', '10.9.1.0/24', { defaultOutboundAccess: false });
  b.nic(priv, 'vm2', '10.9.1.4');
  return { model: b.build(), fw, app, priv, nsg, fwSubnet };
}

describe('the Instance Metadata Service (169.254.169.254)', () => {
  /**
   * "IMDS is a REST API that's available at a well-known, non-routable IP address (169.254.169.254).
   * You can only access it from within the VM. Communication between the VM and IMDS never leaves
   * the host." (articles/virtual-machines/instance-metadata-service.md). NSG overview, Azure
   * platform considerations: "Basic infrastructure services like DHCP, DNS, IMDS, and health
   * monitoring are provided through the virtualized host IP addresses 168.63.129.16 and
   * 169.254.169.254 … By default, these services aren't subject to the configured network security
   * groups unless targeted by service tags specific to each service" (AzurePlatformIMDS)
   * (articles/virtual-network/network-security-groups-overview.md). So: reached (private, never
   * internet), no route, firewall or NSG default rule involved.
   */
  it('is reached on the host: not via the firewall, not "undocumented → unknown", verdict private', () => {
    const { model, fw, app, priv } = estate();
    const result = resolve(model, { destination: '169.254.169.254' });
    for (const source of [app, priv]) {
      const path = pathOf(result, source);
      expect(path.via.map((v) => v.id)).not.toContain(fw);
      expect(shown(path)).not.toContain('not documented');
      expect(path.verdict).toBe('private');
      expect(path.exit).toBeNull();
      expect(path.findings.map((f) => f.code)).not.toContain('no-outbound');
      expect(reasonOf(path)).toMatchObject({ kind: 'host-platform-address', service: 'instance-metadata', address: '169.254.169.254', nsgTags: ['AzurePlatformIMDS'] });
      expect(path.steps.some((s) => s.kind === 'route')).toBe(false);
    }
    const hop = explainPath(pathOf(result, app)).at(-1);
    expect(hop?.explanation).toContain('never leaves the host');
    expect(hop?.explanation).toContain('AzurePlatformIMDS');
    expect(hop?.docs).toBe('https://learn.microsoft.com/azure/virtual-machines/instance-metadata-service');
  });

  it('an NSG deny on the AzurePlatformIMDS tag blocks it; a deny-all rule on addresses does not reach it', () => {
    const tagDeny = estate([securityRule('deny-imds', 100, 'Deny', 'AzurePlatformIMDS')]);
    const denied = pathOf(resolve(tagDeny.model, { destination: '169.254.169.254' }), tagDeny.app);
    expect(denied.verdict).toBe('denied');
    expect(reasonOf(denied)).toMatchObject({ kind: 'nsg-deny', rules: ['deny-imds'], direction: 'Outbound' });

    const denyAll = estate([securityRule('deny-all', 100, 'Deny', '*'), securityRule('deny-ip', 110, 'Deny', '169.254.169.254/32')]);
    expect(pathOf(resolve(denyAll.model, { destination: '169.254.169.254' }), denyAll.app).verdict).toBe('private');

    // A higher-priority allow on the tag wins over a later deny on it (NSG priority order).
    const allowFirst = estate([securityRule('allow-imds', 100, 'Allow', 'AzurePlatformIMDS'), securityRule('deny-imds', 200, 'Deny', 'AzurePlatformIMDS')]);
    const allowed = pathOf(resolve(allowFirst.model, { destination: '169.254.169.254' }), allowFirst.app);
    expect(allowed.verdict).toBe('private');
    expect(reasonOf(allowed)).toMatchObject({ allowedBy: [{ nsg: { name: 'nsg-app' }, rule: 'allow-imds' }] });
  });

  it('a tag rule whose source covers only part of the subnet leaves the answer unknown, naming the rule', () => {
    const partial = estate([securityRule('deny-imds-half', 100, 'Deny', 'AzurePlatformIMDS', { sourceAddressPrefixes: ['10.1.1.0/25'] })]);
    const path = pathOf(resolve(partial.model, { destination: '169.254.169.254' }), partial.app);
    expect(path.verdict).toBe('unknown');
    const reason = reasonOf(path);
    expect(reason.kind === 'undecided' && reason.missingFact).toContain('deny-imds-half');
  });
});

describe('the host node virtual IP 168.63.129.16 (Azure DNS, DHCP, VM agent)', () => {
  /**
   * "168.63.129.16 is a virtual IP of the host node and as such it isn't subject to user defined
   * routes"; the VM agent's ports 80/tcp and 32526/tcp to it "isn't subject to the configured network
   * security groups"; "By default DNS communication isn't subject to the configured network security
   * groups unless targeted using the AzurePlatformDNS service tag"
   * (articles/virtual-network/what-is-ip-address-168-63-129-16.md). Not "no outbound" from a private
   * subnet, not internet via the firewall from a spoke routed to it.
   */
  it('is reached from any VM, bypassing UDRs: not "no outbound", not via the firewall', () => {
    const { model, fw, app, priv } = estate();
    const result = resolve(model, { destination: '168.63.129.16' });
    expect(pathOf(result, priv).verdict).toBe('private');
    const spokePath = pathOf(result, app);
    expect(spokePath.via.map((v) => v.id)).not.toContain(fw);
    expect(spokePath.verdict).toBe('private');
    expect(reasonOf(spokePath)).toMatchObject({ kind: 'host-platform-address', service: 'wireserver', nsgTags: [] });
    const hop = explainPath(spokePath).at(-1);
    expect(hop?.explanation).toContain('isn\'t subject to user defined routes');
    expect(hop?.docs).toBe('https://learn.microsoft.com/azure/virtual-network/what-is-ip-address-168-63-129-16');
  });

  it('DNS (53) is subject only to a rule on AzurePlatformDNS; the VM agent ports are subject to no NSG rule', () => {
    const { model, app } = estate([securityRule('deny-azure-dns', 100, 'Deny', 'AzurePlatformDNS'), securityRule('deny-all', 200, 'Deny', '*')]);
    const dns = pathOf(resolve(model, { destination: '168.63.129.16:53/udp' }), app);
    expect(dns.verdict).toBe('denied');
    expect(reasonOf(dns)).toMatchObject({ kind: 'nsg-deny', rules: ['deny-azure-dns'] });
    const agent = pathOf(resolve(model, { destination: '168.63.129.16:32526' }), app);
    expect(agent.verdict).toBe('private');
    expect(shown(agent)).toContain('80 and 32526');
  });

  it('the firewall\'s own subnet reaches it on the host too, not out of the firewall\'s public IP', () => {
    const { model, fwSubnet } = estate();
    const path = pathOf(resolve(model, { destination: '168.63.129.16' }), fwSubnet);
    expect(path.verdict).toBe('private');
    expect(path.egressIps).toEqual([]);
  });
});

describe('multicast and broadcast', () => {
  /**
   * "Multicast, broadcast, IP-in-IP encapsulated packets, and Generic Routing Encapsulation (GRE)
   * packets are blocked in virtual networks"; "Do virtual networks support multicast or broadcast?
   * No." (articles/virtual-network/virtual-networks-faq.md). Documented: dropped, whatever the
   * routes say, not "undocumented → unknown".
   */
  function single() {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.1.0.0/16']);
    const app = b.subnet(v, 'app', '10.1.1.0/24');
    b.nic(app, 'vm1', '10.1.1.4');
    return { model: b.build(), app };
  }

  it.each(['224.0.0.5', '239.255.255.250', '224.0.0.0/24', '255.255.255.255', '10.1.1.255'])('%s is dropped, citing the VNet FAQ', (destination) => {
    const { model, app } = single();
    const path = pathOf(resolve(model, { destination }), app);
    expect(shown(path)).not.toContain('not documented');
    expect(path.verdict).toBe('dropped');
    expect(reasonOf(path).kind).toBe('blocked-in-vnet');
    const hop = explainPath(path).at(-1);
    expect(hop?.explanation).toContain('are blocked in virtual networks');
    expect(hop?.docs).toBe('https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq');
  });

  it('a range only partly multicast, and an ordinary address in the subnet, are routed as before', () => {
    const { model, app } = single();
    expect(reasonOf(pathOf(resolve(model, { destination: '10.1.1.254' }), app)).kind).toBe('delivered-in-vnet');
    expect(reasonOf(pathOf(resolve(model, { destination: '192.0.0.0/2' }), app)).kind).not.toBe('blocked-in-vnet');
  });

  it('a UDR does not change it: multicast through a spoke routed to the firewall is dropped, not via the firewall', () => {
    const { model, fw, app } = estate();
    const path = pathOf(resolve(model, { destination: '224.0.0.5' }), app);
    expect(path.verdict).toBe('dropped');
    expect(path.via.map((v) => v.id)).not.toContain(fw as ResourceId);
  });
});

// Host platform addresses and broadcast written in other forms (a /32, a peered subnet's broadcast):
// the same answer as the bare address (from a review of afbe95b).
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

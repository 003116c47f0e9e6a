/**
 * Network virtual appliances and internal load balancers as UDR next hops: the verdict must never be
 * a confident answer read off one backend, or off a backend the input does not hold.
 *  - Reference: /work/shared/reference/egress-rules.md §2.3, §5.1 ("HA NVAs behind an internal
 *    Standard LB with HA ports ... load-balance every TCP/UDP flow on all ports" [HAP]).
 *  - UDR next hops: https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview
 *  - HA ports: https://learn.microsoft.com/azure/load-balancer/load-balancer-ha-ports-overview
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm';
import { MAX_APPLIANCE_DEPTH } from '../../../shared/egress/engine';
import { toResourceId, type ResourceId } from '../../../shared/model/ids';
import type { NetworkModel } from '../../../shared/model/topology';
import { applicationRule, effectiveRoute, ModelBuilder, networkRule, securityRule } from '../../support/model-builder';
import { explainPath } from '../../../shared/egress/explain';
import { pathOf, resolve, summary } from './support';

/** Hub with an NVA subnet holding an HA-ports ILB at 10.100.0.100; spoke app subnet routes 0/0 to it. */
function ilbEstate(): { b: ModelBuilder; hub: ResourceId; nvaSubnet: ResourceId; pool: ResourceId; app: ResourceId } {
  const b = new ModelBuilder();
  const hub = b.vnet('hub', ['10.100.0.0/16']);
  const spoke = b.vnet('spoke', ['10.1.0.0/16']);
  b.peer(spoke, hub, { allowForwardedTraffic: true });
  b.peer(hub, spoke, { allowForwardedTraffic: true });
  const nvaSubnet = b.subnet(hub, 'nva', '10.100.0.0/24');
  const lb = b.loadBalancer('ilb-nva', {
    frontends: [{ name: 'fe', privateIp: '10.100.0.100', subnetId: nvaSubnet }], pools: [{ name: 'nvas' }],
    rules: [{ name: 'ha', frontend: 'fe', pool: 'nvas', protocol: 'All', port: 0 }],
  });
  const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.100.0.100' }]);
  const app = b.subnet(spoke, 'app', '10.1.1.0/24', { routeTableId: rt });
  return { b, hub, nvaSubnet, pool: ModelBuilder.poolId(lb, 'nvas'), app };
}

describe('internal load balancer next hop with several backend NVAs', () => {
  // The LB hashes each flow to one healthy backend [HAP]; which one is not in the model. When the
  // backends egress differently the answer depends on that choice: unknown, not the first NIC's path.
  it('backends with different egress (different public IPs) → unknown, not the first backend\'s verdict', () => {
    const { b, nvaSubnet, pool, app } = ilbEstate();
    b.nic(nvaSubnet, 'nva-a-nic', '10.100.0.4', { ipForwarding: true, poolIds: [pool], publicIpId: b.publicIp('pip-a', '20.1.1.1') });
    b.nic(nvaSubnet, 'nva-b-nic', '10.100.0.5', { ipForwarding: true, poolIds: [pool], publicIpId: b.publicIp('pip-b', '20.2.2.2') });
    const path = pathOf(resolve(b.build()), app);
    expect(path.verdict).toBe('unknown');
    expect(path.egressIps).toEqual([]);
  });

  it('one backend with IP forwarding off and one with it on → unknown (the flow may hit either)', () => {
    const { b, nvaSubnet, pool, app } = ilbEstate();
    b.nic(nvaSubnet, 'nva-a-nic', '10.100.0.4', { ipForwarding: false, poolIds: [pool], publicIpId: b.publicIp('pip-a', '20.1.1.1') });
    b.nic(nvaSubnet, 'nva-b-nic', '10.100.0.5', { ipForwarding: true, poolIds: [pool], publicIpId: b.publicIp('pip-b', '20.2.2.2') });
    expect(pathOf(resolve(b.build()), app).verdict).toBe('unknown');
  });

  it('backends that egress the same way (one NAT gateway on their subnet) keep the definite verdict', () => {
    const { b, hub, pool, app } = ilbEstate();
    const nat = b.natGateway('hub-nat', { publicIpIds: [b.publicIp('hub-nat-pip', '20.7.7.7')] });
    const nvaSubnet2 = b.subnet(hub, 'nva2', '10.100.1.0/24', { natGatewayId: nat });
    const a = b.nic(nvaSubnet2, 'nva-a-nic', '10.100.1.4', { ipForwarding: true, poolIds: [pool] });
    b.nic(nvaSubnet2, 'nva-b-nic', '10.100.1.5', { ipForwarding: true, poolIds: [pool] });
    const s = summary(pathOf(resolve(b.build()), app));
    expect(s).toMatchObject({ verdict: 'internet', exit: 'nat-gateway', egressIps: ['20.7.7.7'] });
    expect(s.via[1]).toBe(a);
  });
});

describe('internal load balancer next hop whose pool members are not in the input', () => {
  const GHOST = '/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/rg/providers/microsoft.network/networkinterfaces/ghost-nic/ipconfigurations/ipconfig1' as ResourceId;

  function estate(withPresentNva: boolean): { model: ReturnType<ModelBuilder['build']>; app: ResourceId } {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const nvaSubnet = b.subnet(v, 'nva', '10.0.2.0/24');
    const lb = b.loadBalancer('ilb-nva', {
      frontends: [{ name: 'fe', privateIp: '10.0.2.100', subnetId: nvaSubnet }], pools: [{ name: 'nvas' }],
      rules: [{ name: 'ha', frontend: 'fe', pool: 'nvas', protocol: 'All', port: 0 }], lbListedMembers: { nvas: [GHOST] },
    });
    if (withPresentNva) b.nic(nvaSubnet, 'nva-a-nic', '10.0.2.4', { ipForwarding: true, poolIds: [ModelBuilder.poolId(lb, 'nvas')], publicIpId: b.publicIp('pip-a', '20.1.1.1') });
    const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.2.100' }]);
    const app = b.subnet(v, 'app', '10.0.1.0/24', { routeTableId: rt });
    return { model: b.build(), app };
  }

  // The pool lists a member (its LB-side backendIPConfigurations) whose NIC is not in the input: the
  // pool is not empty, so "no backend → dropped" would be a verdict the input does not support.
  it('the only member\'s NIC is missing → unknown (missing resource), not ilb-no-backend', () => {
    const { model, app } = estate(false);
    const result = resolve(model);
    const path = pathOf(result, app);
    expect(path.verdict).toBe('unknown');
    expect(path.findings.map((f) => f.code)).not.toContain('next-hop-unreachable');
    expect(result.gaps).toContainEqual(expect.objectContaining({ code: 'missing-reference' }));
  });

  it('one member present, one missing → unknown (the LB may hash the flow to the missing one)', () => {
    const { model, app } = estate(true);
    expect(pathOf(resolve(model), app).verdict).toBe('unknown');
  });

  it('a really empty pool is still dropped with ilb-no-backend', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const nvaSubnet = b.subnet(v, 'nva', '10.0.2.0/24');
    b.loadBalancer('ilb-nva', { frontends: [{ name: 'fe', privateIp: '10.0.2.100', subnetId: nvaSubnet }], pools: [{ name: 'nvas' }],
      rules: [{ name: 'ha', frontend: 'fe', pool: 'nvas', protocol: 'All', port: 0 }] });
    const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.2.100' }]);
    const app = b.subnet(v, 'app', '10.0.1.0/24', { routeTableId: rt });
    expect(summary(pathOf(resolve(b.build()), app))).toMatchObject({ verdict: 'dropped', findings: ['next-hop-unreachable'] });
  });

  // An IP-address backend pool has members the engine does not resolve to NICs: not an empty pool.
  // https://learn.microsoft.com/azure/load-balancer/backend-pool-management
  it('an IP-based backend pool → unknown, not ilb-no-backend', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const nvaSubnet = b.subnet(v, 'nva', '10.0.2.0/24');
    b.loadBalancer('ilb-nva', { frontends: [{ name: 'fe', privateIp: '10.0.2.100', subnetId: nvaSubnet }], pools: [{ name: 'nvas', ipAddresses: ['10.0.2.4'] }],
      rules: [{ name: 'ha', frontend: 'fe', pool: 'nvas', protocol: 'All', port: 0 }] });
    b.nic(nvaSubnet, 'nva-a-nic', '10.0.2.4', { ipForwarding: true, publicIpId: b.publicIp('pip-a', '20.1.1.1') });
    const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.2.100' }]);
    const app = b.subnet(v, 'app', '10.0.1.0/24', { routeTableId: rt });
    expect(pathOf(resolve(b.build()), app).verdict).toBe('unknown');
  });
});

describe('NVA next hop details', () => {
  it('a next hop on a secondary IP configuration of the NVA NIC is that NVA', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.7.7.7')] });
    const nvaSubnet = b.subnet(v, 'nva', '10.0.2.0/24', { natGatewayId: nat });
    const nva = b.nic(nvaSubnet, 'nva-nic', '10.0.2.4', { ipForwarding: true, secondary: [{ privateIp: '10.0.2.10' }] });
    const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.2.10' }]);
    const s = b.subnet(v, 'app', '10.0.1.0/24', { routeTableId: rt });
    expect(summary(pathOf(resolve(b.build()), s))).toMatchObject({ verdict: 'internet', exit: 'nat-gateway', via: [nva], egressIps: ['20.7.7.7'] });
  });

  it('the NVA subnet routing 0/0 back to the NVA is a routing loop', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.2.4' }]);
    const nvaSubnet = b.subnet(v, 'nva', '10.0.2.0/24', { routeTableId: rt });
    b.nic(nvaSubnet, 'nva-nic', '10.0.2.4', { ipForwarding: true, publicIpId: b.publicIp('pip', '20.1.1.1') });
    const s = b.subnet(v, 'app', '10.0.1.0/24', { routeTableId: rt });
    const path = pathOf(resolve(b.build()), s);
    expect(path.findings.map((f) => f.code)).toContain('route-loop');
  });

  it('a captured VirtualApplianceEcmp route is not read as a definite path', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const s = b.subnet(v, 'app', '10.0.1.0/24');
    const nic = b.nic(s, 'vm-nic', '10.0.1.4', { publicIpId: b.publicIp('pip', '20.1.1.1') });
    const captured = { networkInterfaceId: nic, routes: [effectiveRoute('0.0.0.0/0', 'VirtualApplianceEcmp', { source: 'User', nextHopIpAddresses: ['10.0.2.4', '10.0.2.5'] })] };
    const result = resolve(b.build(), {}, { effectiveRoutes: [captured] as never });
    for (const p of result.paths) expect(p.verdict).toBe('unknown');
  });
});

// ---------------------------------------------------------------------------------------------
// NVA next hops the input does not decide (from the NVA audit; each class with the case that
// must stay confident). ARM documents in REST shape, as `az rest` / Resource Graph return them.
// ---------------------------------------------------------------------------------------------
const NET = '/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg-net/providers/Microsoft.Network';

interface ArmOptions {
  /** The NVA NIC document: present (IP forwarding on), absent, or present without the IP forwarding flag. */
  readonly nvaNic: 'present' | 'absent' | 'no-forwarding-field';
  /** The UDR's nextHopIpAddress; null = the property is not in the route document. */
  readonly nextHop?: string | null;
  /** How the NVA NIC spells the flag (REST `enableIPForwarding`, SDK `enableIpForwarding`) and its value. */
  readonly forwardingKey?: 'enableIPForwarding' | 'enableIpForwarding';
  readonly forwarding?: boolean;
}

/** Hub (jump and nva subnets, which list their NICs' IP configurations) and spoke `app` routing 0/0 to the NVA. */
function armEstate(o: ArmOptions): { readonly model: NetworkModel; readonly app: ResourceId } {
  const peering = (from: string, to: string, prefix: string) => ({
    id: `${NET}/virtualNetworks/${from}/virtualNetworkPeerings/to-${to}`, name: `to-${to}`,
    properties: {
      remoteVirtualNetwork: { id: `${NET}/virtualNetworks/${to}` }, remoteAddressSpace: { addressPrefixes: [prefix] },
      allowVirtualNetworkAccess: true, allowForwardedTraffic: true, allowGatewayTransit: false, useRemoteGateways: false,
      peeringState: 'Connected', peeringSyncLevel: 'FullyInSync',
    },
  });
  const hub = {
    id: `${NET}/virtualNetworks/hub`, name: 'hub', type: 'Microsoft.Network/virtualNetworks', location: 'westeurope',
    properties: {
      addressSpace: { addressPrefixes: ['10.0.0.0/16'] },
      subnets: [
        { id: `${NET}/virtualNetworks/hub/subnets/jump`, name: 'jump', properties: { addressPrefix: '10.0.9.0/24',
          ipConfigurations: [{ id: `${NET}/networkInterfaces/jump-nic/ipConfigurations/ipconfig1` }] } },
        { id: `${NET}/virtualNetworks/hub/subnets/nva`, name: 'nva', properties: { addressPrefix: '10.0.2.0/24',
          ipConfigurations: [{ id: `${NET}/networkInterfaces/nva-nic/ipConfigurations/ipconfig1` }] } },
      ],
      virtualNetworkPeerings: [peering('hub', 'spoke', '10.1.0.0/16')],
    },
  };
  const spoke = {
    id: `${NET}/virtualNetworks/spoke`, name: 'spoke', type: 'Microsoft.Network/virtualNetworks', location: 'westeurope',
    properties: {
      addressSpace: { addressPrefixes: ['10.1.0.0/16'] },
      subnets: [{ id: `${NET}/virtualNetworks/spoke/subnets/app`, name: 'app', properties: { addressPrefix: '10.1.1.0/24', routeTable: { id: `${NET}/routeTables/rt` } } }],
      virtualNetworkPeerings: [peering('spoke', 'hub', '10.0.0.0/16')],
    },
  };
  const routeTable = {
    id: `${NET}/routeTables/rt`, name: 'rt', type: 'Microsoft.Network/routeTables', location: 'westeurope',
    properties: { routes: [{ id: `${NET}/routeTables/rt/routes/default`, name: 'default', properties: {
      addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', ...(o.nextHop === null ? {} : { nextHopIpAddress: o.nextHop ?? '10.0.2.4' }),
    } }] },
  };
  const nic = (name: string, ip: string, subnet: string, forwarding: Readonly<Record<string, boolean>>, pip: string | null) => ({
    id: `${NET}/networkInterfaces/${name}`, name, type: 'Microsoft.Network/networkInterfaces', location: 'westeurope',
    properties: {
      ...forwarding,
      ipConfigurations: [{ id: `${NET}/networkInterfaces/${name}/ipConfigurations/ipconfig1`, name: 'ipconfig1', properties: {
        primary: true, privateIPAddress: ip, privateIPAddressVersion: 'IPv4', subnet: { id: `${NET}/virtualNetworks/hub/subnets/${subnet}` },
        ...(pip ? { publicIPAddress: { id: `${NET}/publicIPAddresses/${pip}` } } : {}),
      } }],
    },
  });
  const nvaPip = {
    id: `${NET}/publicIPAddresses/nva-pip`, name: 'nva-pip', type: 'Microsoft.Network/publicIPAddresses', location: 'westeurope', sku: { name: 'Standard' },
    properties: { ipAddress: '20.0.0.20', publicIPAddressVersion: 'IPv4', ipConfiguration: { id: `${NET}/networkInterfaces/nva-nic/ipConfigurations/ipconfig1` } },
  };
  const resources: unknown[] = [hub, spoke, routeTable, nic('jump-nic', '10.0.9.4', 'jump', { enableIPForwarding: false }, null)];
  const forwarding = o.nvaNic === 'no-forwarding-field' ? {} : { [o.forwardingKey ?? 'enableIPForwarding']: o.forwarding ?? true };
  if (o.nvaNic !== 'absent') resources.push(nic('nva-nic', '10.0.2.4', 'nva', forwarding, 'nva-pip'), nvaPip);
  const { model } = normalizeArm([{ fileName: 'estate.json', json: resources }]);
  return { model, app: toResourceId(`${NET}/virtualNetworks/spoke/subnets/app`) };
}

const codes = (path: { readonly findings: readonly { readonly code: string }[] }): string[] => path.findings.map((f) => f.code);

/** Hub 10.0.0.0/16 and spoke 10.1.0.0/16, peered both ways (Connected, forwarded traffic allowed). */
function hubSpoke() {
  const b = new ModelBuilder();
  const hub = b.vnet('hub', ['10.0.0.0/16']);
  const spoke = b.vnet('spoke', ['10.1.0.0/16']);
  b.peer(spoke, hub);
  b.peer(hub, spoke);
  return { b, hub, spoke };
}

/** Spoke subnet `app` with a route table 0.0.0.0/0 → VirtualAppliance `ip`. */
function spokeToAppliance(b: ModelBuilder, spoke: ResourceId, ip: string): ResourceId {
  const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: ip }]);
  return b.subnet(spoke, 'app', '10.1.1.0/24', { routeTableId: rt });
}

describe('next-hop IP that nothing in the input owns', () => {
  // A VirtualAppliance next hop "can be: The private IP address of a network interface attached to
  // a virtual machine" https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview;
  // the subnet's own record lists the IP configurations using it (Subnets - Get, ipConfigurations).
  it('a next hop in a subnet whose ARM record lists a NIC that the input lacks is unknown, not dropped', () => {
    const control = armEstate({ nvaNic: 'present' });
    expect(pathOf(resolve(control.model), control.app).verdict).toBe('internet');

    const { model, app } = armEstate({ nvaNic: 'absent' });
    const result = resolve(model);
    const path = pathOf(result, app);
    expect(codes(path)).not.toContain('next-hop-unreachable');
    expect(path.verdict).toBe('unknown');
    expect(model.subnets.find((s) => s.name === 'nva')?.unreadIpConfigurations).toEqual({ count: 1, firstOwnerId: toResourceId(`${NET}/networkInterfaces/nva-nic`) });
    expect(result.gaps.some((g) => g.scope === toResourceId(`${NET}/networkInterfaces/nva-nic`))).toBe(true);
  });

  it('a subnet whose listed NICs are all in the input keeps "no owner → dropped"', () => {
    const { model, app } = armEstate({ nvaNic: 'present', nextHop: '10.0.2.9' });
    expect(model.subnets.some((s) => s.unreadIpConfigurations !== undefined)).toBe(false);
    const path = pathOf(resolve(model), app);
    expect(path.verdict).toBe('dropped');
    expect(codes(path)).toContain('next-hop-unreachable');
  });

  // A Cloud NGFW's private IP in its delegated trust subnet is the UDR target ("ipOfTrustSubnetForUdr")
  // https://learn.microsoft.com/javascript/api/@azure/arm-paloaltonetworksngfw/vnetconfiguration
  it('a next hop in a subnet delegated to a third-party firewall service is unknown, not dropped', () => {
    const { b, hub, spoke } = hubSpoke();
    const trust = b.subnet(hub, 'trust', '10.0.2.0/24', { delegations: ['PaloAltoNetworks.Cloudngfw/firewalls'] });
    b.nic(b.subnet(hub, 'jump', '10.0.9.0/24'), 'jump-nic', '10.0.9.4');
    const app = spokeToAppliance(b, spoke, '10.0.2.4');
    const result = resolve(b.build());
    const path = pathOf(result, app);
    expect(codes(path)).not.toContain('next-hop-unreachable');
    expect(path.verdict).toBe('unknown');
    expect(result.gaps.find((g) => g.scope === trust)?.message).toContain('PaloAltoNetworks.Cloudngfw/firewalls');
  });

  // "When you create a route with the virtual appliance hop type, you also specify a next hop IP
  // address" https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview
  it('a VirtualAppliance UDR whose nextHopIpAddress is missing from the input is unknown, not dropped', () => {
    const { model, app } = armEstate({ nvaNic: 'present', nextHop: null });
    const path = pathOf(resolve(model), app);
    expect(codes(path)).not.toContain('next-hop-unreachable');
    expect(path.verdict).toBe('unknown');
  });

  it('a VirtualAppliance UDR whose nextHopIpAddress is not an IP address is unknown, not dropped', () => {
    const { model, app } = armEstate({ nvaNic: 'present', nextHop: 'nva.example' });
    const path = pathOf(resolve(model), app);
    expect(codes(path)).not.toContain('next-hop-unreachable');
    expect(path.verdict).toBe('unknown');
  });
});

describe('NVA NIC IP forwarding', () => {
  // "Any network interface attached to a virtual machine that forwards network traffic to an
  // address other than its own must have the Azure Enable IP forwarding option enabled"
  // https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview
  it('an NVA NIC whose document lacks enableIPForwarding is unknown, not "IP forwarding disabled → dropped"', () => {
    const { model, app } = armEstate({ nvaNic: 'no-forwarding-field' });
    expect(model.networkInterfaces.find((n) => n.name === 'nva-nic')?.enableIPForwarding).toBeNull();
    const path = pathOf(resolve(model), app);
    expect(codes(path)).not.toContain('nva-ip-forwarding-disabled');
    expect(path.verdict).toBe('unknown');
  });

  it('a NIC built with IP forwarding "not in the input" is unknown as well (model level)', () => {
    const { b, hub, spoke } = hubSpoke();
    b.nic(b.subnet(hub, 'nva', '10.0.2.0/24'), 'nva-nic', '10.0.2.4', { ipForwarding: null, publicIpId: b.publicIp('nva-pip', '20.0.0.20') });
    const app = spokeToAppliance(b, spoke, '10.0.2.4');
    const path = pathOf(resolve(b.build()), app);
    expect(path.verdict).toBe('unknown');
    expect(codes(path)).not.toContain('nva-ip-forwarding-disabled');
  });

  it.each([
    ['enableIPForwarding', true, 'internet'], ['enableIpForwarding', true, 'internet'],
    ['enableIPForwarding', false, 'dropped'], ['enableIpForwarding', false, 'dropped'],
  ] as const)('%s: %s in the input decides (%s)', (forwardingKey, forwarding, verdict) => {
    const { model, app } = armEstate({ nvaNic: 'present', forwardingKey, forwarding });
    const path = pathOf(resolve(model), app);
    expect(path.verdict).toBe(verdict);
    expect(codes(path).includes('nva-ip-forwarding-disabled')).toBe(!forwarding);
  });
});

describe('NVA then Azure Firewall: the firewall may see the NVA\'s address', () => {
  // Learn: to route to a public IP the appliance "must either proxy the traffic or perform network
  // address translation (NAT) from the source's private IP address to its own private IP address"
  // https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview; towards a
  // firewall, whether it SNATs is its own configuration, not in the input.
  const run = (ruleSource: string, withNva = true) => {
    const { b, hub, spoke } = hubSpoke();
    const fwSubnet = b.subnet(hub, 'AzureFirewallSubnet', '10.0.1.0/26');
    const policy = b.firewallPolicy('fw-policy', [applicationRule('partner', ['api.partner.example'], { sourceAddresses: [ruleSource] })]);
    b.firewall('fw', { subnetId: fwSubnet, privateIp: '10.0.1.4', publicIpIds: [b.publicIp('fw-pip', '20.0.0.10')], policyId: policy });
    const rtNva = b.routeTable('rt-nva', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.1.4' }]);
    b.nic(b.subnet(hub, 'nva', '10.0.2.0/24', { routeTableId: rtNva }), 'nva-nic', '10.0.2.4', { ipForwarding: true });
    const app = spokeToAppliance(b, spoke, withNva ? '10.0.2.4' : '10.0.1.4');
    return pathOf(resolve(b.build(), { destination: 'https://api.partner.example/', resolve: { 'api.partner.example': '52.1.1.1' } }), app);
  };

  it('a firewall rule on the source is not judged on the pre-NVA source', () => {
    const spokeOnly = run('10.1.0.0/16');
    expect(['unknown', 'denied']).toContain(spokeOnly.verdict);
    expect(spokeOnly.egressIps).toEqual([]);
    const nvaSubnetOnly = run('10.0.2.0/24');
    expect(['unknown', 'internet']).toContain(nvaSubnetOnly.verdict);
  });

  it('rules that answer differently for the two sources make the path unknown, naming the NVA', () => {
    const path = run('10.1.0.0/16');
    expect(path.verdict).toBe('unknown');
    const last = path.steps[path.steps.length - 1];
    expect(last?.kind === 'terminal' && last.reason.kind === 'undecided' ? last.reason.missingFact : '').toContain('whether NVA nva-nic SNATs');
  });

  it('a rule that matches both the spoke and the NVA keeps the confident answer', () => {
    expect(summary(run('10.0.0.0/8'))).toMatchObject({ verdict: 'internet', egressIps: ['20.0.0.10'] });
    expect(summary(run('*'))).toMatchObject({ verdict: 'internet', egressIps: ['20.0.0.10'] });
  });

  it('a rule that matches neither is denied for both: still denied', () => {
    expect(run('192.168.0.0/16').verdict).toBe('denied');
  });

  it('without an NVA the firewall judges the spoke\'s own address', () => {
    expect(summary(run('10.1.0.0/16', false))).toMatchObject({ verdict: 'internet', egressIps: ['20.0.0.10'] });
  });
});

describe('Basic internal load balancer frontend across global peering', () => {
  // "Resources in one virtual network can't communicate with the front-end IP address of a Basic
  // Load Balancer (internal or public) in a globally peered virtual network. Support for Basic Load
  // Balancer only exists within the same region."
  // https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-peering#requirements-and-constraints
  const estate = (sku: 'Basic' | 'Standard' | 'Unknown', hubRegion: string | null) => {
    const { b, hub, spoke } = hubSpoke();
    const nvaSubnet = b.subnet(hub, 'nva', '10.0.2.0/24');
    const lb = b.loadBalancer('ilb-nva', { sku, frontends: [{ name: 'fe', privateIp: '10.0.2.100', subnetId: nvaSubnet }], pools: [{ name: 'nvas' }],
      rules: [{ name: 'https', frontend: 'fe', pool: 'nvas', protocol: 'Tcp', port: 443 }] });
    b.nic(nvaSubnet, 'nva-nic', '10.0.2.4', { ipForwarding: true, poolIds: [ModelBuilder.poolId(lb, 'nvas')], publicIpId: b.publicIp('nva-pip', '20.0.0.20') });
    const app = spokeToAppliance(b, spoke, '10.0.2.100');
    const built = b.build();
    const inHub = (id: string): boolean => id.startsWith(hub) || id === lb || id.includes('/networkinterfaces/nva-nic');
    const model: NetworkModel = {
      ...built,
      virtualNetworks: built.virtualNetworks.map((v) => (v.id === hub ? { ...v, location: hubRegion } : v)),
      subnets: built.subnets.map((s) => (inHub(s.id) ? { ...s, location: hubRegion } : s)),
      loadBalancers: built.loadBalancers.map((l) => (inHub(l.id) ? { ...l, location: hubRegion } : l)),
      networkInterfaces: built.networkInterfaces.map((n) => (inHub(n.id) ? { ...n, location: hubRegion } : n)),
    };
    return pathOf(resolve(model), app);
  };

  it('a Basic internal load balancer frontend across global peering is not a working next hop', () => {
    const path = estate('Basic', 'eastus');
    expect(path.verdict).not.toBe('internet');
    expect(['dropped', 'unknown']).toContain(path.verdict);
    expect(path.egressIps).toEqual([]);
  });

  it('is dropped with a finding citing the peering constraint', () => {
    const path = estate('Basic', 'East US');
    expect(path.verdict).toBe('dropped');
    expect(path.findings.find((f) => f.code === 'next-hop-unreachable')?.docs).toContain('virtual-network-manage-peering#requirements-and-constraints');
  });

  it('in the same region (either spelling), or on Standard across regions, the frontend works', () => {
    expect(summary(estate('Basic', 'West Europe'))).toMatchObject({ verdict: 'internet', egressIps: ['20.0.0.20'] });
    expect(summary(estate('Standard', 'eastus'))).toMatchObject({ verdict: 'internet', egressIps: ['20.0.0.20'] });
  });

  it('a region or the SKU missing from the input, where it decides, is unknown', () => {
    expect(estate('Basic', null).verdict).toBe('unknown');
    expect(estate('Unknown', 'eastus').verdict).toBe('unknown');
    expect(estate('Unknown', 'westeurope').verdict).toBe('internet');
  });
});

describe('multi-NIC NVA: which NIC sends is the appliance\'s own routing', () => {
  const vm = '/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/rg-net/providers/microsoft.compute/virtualmachines/nva' as ResourceId;

  // "Azure assigns a default gateway to the first (primary) network interface attached to the
  // virtual machine. Azure does not assign a default gateway to additional (secondary) network interfaces"
  // https://learn.microsoft.com/azure/virtual-machines/windows/multiple-nics#configure-guest-os-for-multiple-nics
  it('a multi-NIC NVA whose public IP is on its secondary NIC is unknown, not that public IP', () => {
    const { b, hub, spoke } = hubSpoke();
    b.nic(b.subnet(hub, 'nva-trust', '10.0.2.0/24'), 'nva-nic-trust', '10.0.2.4', { ipForwarding: true, vmId: vm });
    const untrust = b.nic(b.subnet(hub, 'nva-untrust', '10.0.3.0/24'), 'nva-nic-untrust', '10.0.3.4', { ipForwarding: true, vmId: vm, publicIpId: b.publicIp('nva-pip', '20.0.0.20') });
    const app = spokeToAppliance(b, spoke, '10.0.2.4');
    const built = b.build();
    const model: NetworkModel = { ...built, networkInterfaces: built.networkInterfaces.map((n) => (n.id === untrust ? { ...n, primary: false } : n)) };
    const result = resolve(model);
    const path = pathOf(result, app);
    expect(path.egressIps).not.toContain('20.0.0.20');
    expect(path.verdict).toBe('unknown');
    expect(result.gaps.some((g) => g.message.includes('nva-nic-trust (primary)'))).toBe(true);
  });

  it('NICs that all leave the same way (one NAT gateway) keep the confident answer', () => {
    const { b, hub, spoke } = hubSpoke();
    const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.0.0.1')] });
    b.nic(b.subnet(hub, 'nva-trust', '10.0.2.0/24', { natGatewayId: nat }), 'nva-nic-trust', '10.0.2.4', { ipForwarding: true, vmId: vm });
    b.nic(b.subnet(hub, 'nva-untrust', '10.0.3.0/24', { natGatewayId: nat }), 'nva-nic-untrust', '10.0.3.4', { ipForwarding: true, vmId: vm, publicIpId: b.publicIp('nva-pip', '20.0.0.20') });
    const app = spokeToAppliance(b, spoke, '10.0.2.4');
    expect(summary(pathOf(resolve(b.build()), app))).toMatchObject({ verdict: 'internet', exit: 'nat-gateway', egressIps: ['20.0.0.1'] });
  });

  it('a secondary NIC whose VM has no other NIC in the input is unknown (the primary NIC is missing)', () => {
    const { b, hub, spoke } = hubSpoke();
    const nva = b.nic(b.subnet(hub, 'nva', '10.0.2.0/24'), 'nva-nic', '10.0.2.4', { ipForwarding: true, vmId: vm, publicIpId: b.publicIp('nva-pip', '20.0.0.20') });
    const app = spokeToAppliance(b, spoke, '10.0.2.4');
    const built = b.build();
    const model: NetworkModel = { ...built, networkInterfaces: built.networkInterfaces.map((n) => (n.id === nva ? { ...n, primary: false } : n)) };
    expect(pathOf(resolve(model), app).verdict).toBe('unknown');
    expect(summary(pathOf(resolve(built), app))).toMatchObject({ verdict: 'internet', egressIps: ['20.0.0.20'] });
  });
});

describe('appliance chains: a loop is an appliance passed twice, not a long chain', () => {
  /** `count` distinct NVAs chained, each subnet routing 0/0 to the next; the last has a public IP. */
  const chain = (count: number) => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    for (let i = 1; i <= count; i++) {
      const rt = b.routeTable(`rt-nva${i}`, i === count ? [] : [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: `10.0.${i + 1}.4` }]);
      b.nic(b.subnet(v, `nva${i}`, `10.0.${i}.0/24`, { routeTableId: rt }), `nva${i}-nic`, `10.0.${i}.4`,
        { ipForwarding: true, ...(i === count ? { publicIpId: b.publicIp(`nva${i}-pip`, `20.0.0.${i}`) } : {}) });
    }
    const rt = b.routeTable('rt-app', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.1.4' }]);
    const app = b.subnet(v, 'app', '10.0.200.0/24', { routeTableId: rt });
    return pathOf(resolve(b.build()), app);
  };

  it('a long chain of distinct appliances is not reported as a routing loop', () => {
    const path = chain(9);
    expect(codes(path)).not.toContain('route-loop');
    expect(['internet', 'unknown']).toContain(path.verdict);
    expect(summary(path)).toMatchObject({ verdict: 'internet', egressIps: ['20.0.0.9'] });
  });

  it('a chain longer than the engine follows is unknown, never a loop', () => {
    const path = chain(MAX_APPLIANCE_DEPTH + 2);
    expect(codes(path)).not.toContain('route-loop');
    expect(path.verdict).toBe('unknown');
  });
});

// ---------------------------------------------------------------------------------------------
// From the NVA review (test/audit/nva-review.test.ts; the audit's assertions, then each class
// with the cases that must stay confident).
//  [UDR] https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview: to route to
//        a public IP the appliance "must either proxy the traffic or perform network address
//        translation (NAT) from the source's private IP address to its own private IP address";
//        which of its addresses, or whether it NATs towards another appliance, is its configuration.
//  [MULTINIC] https://learn.microsoft.com/azure/virtual-machines/windows/multiple-nics#configure-guest-os-for-multiple-nics
//  [NSGHOW] https://learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works
// ---------------------------------------------------------------------------------------------
const NVA_VM = '/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/rg-net/providers/microsoft.compute/virtualmachines/nva' as ResourceId;
const PARTNER = { destination: 'https://api.partner.example/', resolve: { 'api.partner.example': '52.1.1.1' } };

/** Hub AzureFirewallSubnet with firewall `fw` (10.0.1.4, public IP 20.0.0.10) using these policy rules. */
function hubFirewall(b: ModelBuilder, hub: ResourceId, rules: Parameters<ModelBuilder['firewallPolicy']>[1]): void {
  const fwSubnet = b.subnet(hub, 'AzureFirewallSubnet', '10.0.1.0/26');
  b.firewall('fw', { subnetId: fwSubnet, privateIp: '10.0.1.4', publicIpIds: [b.publicIp('fw-pip', '20.0.0.10')], policyId: b.firewallPolicy('fw-policy', rules) });
}

const routeToFirewall = (b: ModelBuilder, name: string): ResourceId => b.routeTable(name, [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.1.4' }]);

const asSecondary = (model: NetworkModel, nicId: ResourceId): NetworkModel => ({
  ...model, networkInterfaces: model.networkInterfaces.map((n) => (n.id === nicId ? { ...n, primary: false } : n)),
});

/** The missing fact an unknown path ends with ('' when it does not end undecided). */
const missingFact = (path: { readonly steps: readonly { readonly kind: string }[] }): string => {
  const last = path.steps[path.steps.length - 1] as { readonly kind: string; readonly reason?: { readonly kind: string; readonly missingFact?: string } } | undefined;
  return last?.kind === 'terminal' && last.reason?.kind === 'undecided' ? last.reason.missingFact ?? '' : '';
};

describe('the sources after an NVA are every address of its VM, and the original one', () => {
  /** Two-NIC NVA (trust 10.0.2.4 primary, the next hop; untrust 10.0.3.4), both subnets routing 0/0 to the firewall. */
  const twoNicToFirewall = (sources: readonly string[]) => {
    const { b, hub, spoke } = hubSpoke();
    hubFirewall(b, hub, [applicationRule('nva-outside', ['api.partner.example'], { sourceAddresses: [...sources] })]);
    const rtNva = routeToFirewall(b, 'rt-nva');
    b.nic(b.subnet(hub, 'nva-trust', '10.0.2.0/24', { routeTableId: rtNva }), 'nva-nic-trust', '10.0.2.4', { ipForwarding: true, vmId: NVA_VM });
    const untrust = b.nic(b.subnet(hub, 'nva-untrust', '10.0.3.0/24', { routeTableId: rtNva }), 'nva-nic-untrust', '10.0.3.4', { ipForwarding: true, vmId: NVA_VM });
    const app = spokeToAppliance(b, spoke, '10.0.2.4');
    return pathOf(resolve(asSecondary(b.build(), untrust), PARTNER), app);
  };

  it('a multi-NIC NVA whose NICs all route to the firewall is judged on its ingress NIC\'s address only', () => {
    const path = twoNicToFirewall(['10.0.3.0/24']);
    expect(path.verdict).not.toBe('denied');
    expect(path.verdict).toBe('unknown');
    expect(missingFact(path)).toContain('10.0.3.4 (NIC nva-nic-untrust)');
  });

  it('a firewall rule that holds every address of the NVA and the spoke stays confident; one that holds none stays denied', () => {
    expect(summary(twoNicToFirewall(['10.0.0.0/8']))).toMatchObject({ verdict: 'internet', egressIps: ['20.0.0.10'] });
    expect(twoNicToFirewall(['192.168.0.0/16']).verdict).toBe('denied');
  });

  /** An NVA whose UDR target is a secondary (floating) IP 10.0.2.10 of its NIC; the firewall rule's sources are given. */
  const floating = (sources: readonly string[]) => {
    const { b, hub, spoke } = hubSpoke();
    hubFirewall(b, hub, [networkRule('nva-vip', { sourceAddresses: [...sources] })]);
    b.nic(b.subnet(hub, 'nva', '10.0.2.0/24', { routeTableId: routeToFirewall(b, 'rt-nva') }), 'nva-nic', '10.0.2.4', { ipForwarding: true, secondary: [{ privateIp: '10.0.2.10' }] });
    const app = spokeToAppliance(b, spoke, '10.0.2.10');
    return pathOf(resolve(b.build()), app);
  };

  it('an NVA that may SNAT to its floating (next-hop) IP is judged on its primary IP only', () => {
    const path = floating(['10.0.2.10']);
    expect(path.verdict).not.toBe('denied');
    expect(path.verdict).toBe('unknown');
    expect(missingFact(path)).toContain('whether NVA nva-nic SNATs the traffic to its own address 10.0.2.10');
  });

  it('a floating IP the rule holds with the other sources keeps the answer', () => {
    expect(summary(floating(['10.0.2.0/24', '10.1.0.0/16']))).toMatchObject({ verdict: 'internet', egressIps: ['20.0.0.10'] });
    expect(floating(['10.0.2.4', '10.1.0.0/16']).verdict).toBe('unknown');
  });

  /** Spoke → NVA1 (10.0.2.4) → NVA2 (10.0.3.4, public IP); NVA2's NIC NSG with these inbound rules. */
  const secondNva = (rules: Parameters<ModelBuilder['nsg']>[1]) => {
    const { b, hub, spoke } = hubSpoke();
    const rt1 = b.routeTable('rt-nva1', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.3.4' }]);
    b.nic(b.subnet(hub, 'nva1', '10.0.2.0/24', { routeTableId: rt1 }), 'nva1-nic', '10.0.2.4', { ipForwarding: true });
    b.nic(b.subnet(hub, 'nva2', '10.0.3.0/24'), 'nva2-nic', '10.0.3.4', { ipForwarding: true, nsgId: b.nsg('nsg-nva2', rules), publicIpId: b.publicIp('nva2-pip', '20.0.0.30') });
    const app = spokeToAppliance(b, spoke, '10.0.2.4');
    return pathOf(resolve(b.build()), app);
  };

  it('the inbound NSG of a second NVA is judged on the original source only: confident denied', () => {
    const path = secondNva([
      securityRule('AllowFromNva1', 100, 'Allow', '*', { direction: 'Inbound', sourceAddressPrefixes: ['10.0.2.0/24'] }),
      securityRule('DenyOtherIn', 200, 'Deny', '*', { direction: 'Inbound' }),
    ]);
    expect(path.verdict).not.toBe('denied');
    expect(path.verdict).toBe('unknown');
    expect(missingFact(path)).toContain('NVA nva1-nic');
    expect(missingFact(path)).toContain('inbound NSG nsg-nva2');
  });

  it('an inbound NSG that answers alike for the spoke and NVA1 keeps the answer (allowed or denied)', () => {
    const allowBoth = secondNva([
      securityRule('AllowPrivate', 100, 'Allow', '*', { direction: 'Inbound', sourceAddressPrefixes: ['10.0.0.0/8'] }),
      securityRule('DenyOtherIn', 200, 'Deny', '*', { direction: 'Inbound' }),
    ]);
    expect(summary(allowBoth)).toMatchObject({ verdict: 'internet', egressIps: ['20.0.0.30'] });
    const denyBoth = secondNva([securityRule('DenyPrivate', 100, 'Deny', '*', { direction: 'Inbound', sourceAddressPrefixes: ['10.0.0.0/8'] })]);
    expect(denyBoth.verdict).toBe('denied');
  });

  /** Spoke → NVA (10.0.2.4) → `next`; the NVA subnet's NSG lets out to Internet only `allowed` sources, then denies. */
  const nvaOutbound = (allowed: readonly string[], next: 'firewall' | 'internet', secondary?: string) => {
    const { b, hub, spoke } = hubSpoke();
    hubFirewall(b, hub, [networkRule('all', { sourceAddresses: ['10.0.0.0/8'] })]);
    const nsg = b.nsg('nsg-nva', [
      securityRule('AllowNvaOut', 100, 'Allow', 'Internet', { sourceAddressPrefixes: [...allowed] }),
      securityRule('DenyOtherOut', 200, 'Deny', 'Internet'),
      securityRule('AllowIn', 100, 'Allow', '*', { direction: 'Inbound' }),
    ]);
    const subnet = b.subnet(hub, 'nva', '10.0.2.0/24', { networkSecurityGroupId: nsg, ...(next === 'firewall' ? { routeTableId: routeToFirewall(b, 'rt-nva') } : {}) });
    b.nic(subnet, 'nva-nic', '10.0.2.4', { ipForwarding: true, ...(next === 'internet' ? { publicIpId: b.publicIp('nva-pip', '20.0.0.20') } : {}),
      ...(secondary ? { secondary: [{ privateIp: secondary }] } : {}) });
    const app = spokeToAppliance(b, spoke, '10.0.2.4');
    return pathOf(resolve(b.build()), app);
  };

  it('the NVA\'s own outbound NSG is judged on its own address only, though before a firewall it may keep the source', () => {
    const path = nvaOutbound(['10.0.2.0/24'], 'firewall');
    expect(path.verdict).not.toBe('internet');
    expect(path.verdict).toBe('unknown');
    expect(missingFact(path)).toContain('outbound NSG nsg-nva');
  });

  it('before a firewall, an outbound NSG that holds the spoke and the NVA keeps the answer; one that holds neither denies', () => {
    expect(summary(nvaOutbound(['10.0.0.0/8'], 'firewall'))).toMatchObject({ verdict: 'internet', egressIps: ['20.0.0.10'] });
    expect(nvaOutbound(['192.168.0.0/16'], 'firewall').verdict).toBe('denied');
  });

  it('straight to the internet the NVA must NAT to its own address: the original source is not weighed, every own address is', () => {
    // [UDR]: the packet leaving the NVA for a public address carries one of the NVA's own addresses.
    expect(summary(nvaOutbound(['10.0.2.0/24'], 'internet'))).toMatchObject({ verdict: 'internet', egressIps: ['20.0.0.20'] });
    expect(summary(nvaOutbound(['10.0.2.0/24'], 'internet', '10.0.2.10'))).toMatchObject({ verdict: 'internet', egressIps: ['20.0.0.20'] });
    const onlyPrimary = nvaOutbound(['10.0.2.4/32'], 'internet', '10.0.2.10');
    expect(onlyPrimary.verdict).toBe('unknown');
    expect(missingFact(onlyPrimary)).toContain('10.0.2.10');
  });

  /** Spoke → NVA (10.0.2.4, floating 10.0.2.10) → private endpoint 10.2.1.5 whose subnet NSG allows `allowed` sources, then denies. */
  const endpointAfterNva = (allowed: readonly string[]) => {
    const b = new ModelBuilder();
    const hub = b.vnet('hub', ['10.0.0.0/16']);
    const spoke = b.vnet('spoke', ['10.1.0.0/16']);
    const data = b.vnet('data', ['10.2.0.0/16']);
    b.peer(spoke, hub);
    b.peer(hub, spoke);
    b.peer(data, hub);
    b.peer(hub, data);
    b.nic(b.subnet(hub, 'nva', '10.0.2.0/24'), 'nva-nic', '10.0.2.4', { ipForwarding: true, secondary: [{ privateIp: '10.0.2.10' }] });
    const peNsg = b.nsg('nsg-pe', [
      securityRule('AllowSome', 100, 'Allow', '*', { direction: 'Inbound', sourceAddressPrefixes: [...allowed] }),
      securityRule('DenyVnetIn', 200, 'Deny', '*', { direction: 'Inbound' }),
    ]);
    b.privateEndpoint(b.subnet(data, 'pe', '10.2.1.0/24', { networkSecurityGroupId: peNsg, privateEndpointNetworkPolicies: 'Enabled' }), 'pe-st', '10.2.1.5');
    const rt = b.routeTable('rt', [{ prefix: '10.2.0.0/16', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.2.4' }]);
    const app = b.subnet(spoke, 'app', '10.1.1.0/24', { routeTableId: rt });
    return pathOf(resolve(b.build(), { destination: '10.2.1.5' }), app);
  };

  it('a private endpoint\'s NSG after an NVA is weighed for every address of the NVA, as a firewall\'s rules are', () => {
    const path = endpointAfterNva(['10.1.0.0/16', '10.0.2.4/32']);
    expect(path.verdict).toBe('unknown');
    expect(missingFact(path)).toContain('10.0.2.10');
    expect(endpointAfterNva(['10.0.0.0/8']).verdict).toBe('private');
    expect(endpointAfterNva(['192.168.0.0/16']).verdict).toBe('denied');
  });
});

describe('multi-NIC NVA: leaving the same way includes each NIC\'s NSGs', () => {
  /** Trust (primary, next hop) and untrust (secondary) NICs in two subnets sharing one NAT gateway; each subnet's NSG given. */
  const sharedNat = (trustNsg: 'deny' | 'allow-own' | null, untrustNsg: 'deny' | 'allow-own' | null) => {
    const { b, hub, spoke } = hubSpoke();
    const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.0.0.1')] });
    const nsgOf = (name: string, kind: 'deny' | 'allow-own' | null): ResourceId | undefined => {
      if (kind === null) return undefined;
      // Inbound allowed outright: Azure's default AllowVnetInBound would leave it unknown (see "NSGs at appliances").
      const allowIn = securityRule('AllowIn', 100, 'Allow', '*', { direction: 'Inbound' });
      return kind === 'deny' ? b.nsg(name, [securityRule('DenyInternet', 100, 'Deny', 'Internet'), allowIn])
        : b.nsg(name, [securityRule('AllowNvaOut', 100, 'Allow', 'Internet', { sourceAddressPrefixes: ['10.0.0.0/16'] }), securityRule('DenyOther', 200, 'Deny', 'Internet'), allowIn]);
    };
    const trustNsgId = nsgOf('nsg-trust', trustNsg);
    const untrustNsgId = nsgOf('nsg-untrust', untrustNsg);
    b.nic(b.subnet(hub, 'nva-trust', '10.0.2.0/24', { natGatewayId: nat, ...(trustNsgId ? { networkSecurityGroupId: trustNsgId } : {}) }),
      'nva-nic-trust', '10.0.2.4', { ipForwarding: true, vmId: NVA_VM });
    const untrust = b.nic(b.subnet(hub, 'nva-untrust', '10.0.3.0/24', { natGatewayId: nat, ...(untrustNsgId ? { networkSecurityGroupId: untrustNsgId } : {}) }),
      'nva-nic-untrust', '10.0.3.4', { ipForwarding: true, vmId: NVA_VM });
    const app = spokeToAppliance(b, spoke, '10.0.2.4');
    const result = resolve(asSecondary(b.build(), untrust));
    return { path: pathOf(result, app), result };
  };

  it('a deny NSG on the other NIC of the NVA does not count: confident internet', () => {
    const { path, result } = sharedNat(null, 'deny');
    expect(path.egressIps).toEqual([]);
    expect(path.verdict).toBe('unknown');
    expect(result.gaps.some((g) => g.message.includes('nva-nic-untrust: denied by NSG nsg-untrust (DenyInternet)'))).toBe(true);
  });

  it('NSGs that answer alike on every NIC keep the answer: both allow, or both deny', () => {
    expect(summary(sharedNat(null, null).path)).toMatchObject({ verdict: 'internet', exit: 'nat-gateway', egressIps: ['20.0.0.1'] });
    expect(summary(sharedNat('allow-own', 'allow-own').path)).toMatchObject({ verdict: 'internet', exit: 'nat-gateway', egressIps: ['20.0.0.1'] });
    expect(sharedNat('deny', 'deny').path.verdict).toBe('denied');
  });
});

describe('next hop in a subnet whose owner is in the input without its address', () => {
  it('a firewall without privateIPAddress in its subnet: the next hop is dropped with an error', () => {
    const { b, hub, spoke } = hubSpoke();
    const fwSubnet = b.subnet(hub, 'AzureFirewallSubnet', '10.0.1.0/26');
    b.firewall('fw', { subnetId: fwSubnet, publicIpIds: [b.publicIp('fw-pip', '20.0.0.10')], rules: [networkRule('all')] });
    const app = spokeToAppliance(b, spoke, '10.0.1.4');
    const path = pathOf(resolve(b.build()), app);
    expect(path.findings.map((f) => f.code)).not.toContain('next-hop-unreachable');
    expect(path.verdict).toBe('unknown');
    expect(missingFact(path)).toContain('the private IP address of Azure Firewall fw');
  });

  it('an NVA NIC whose IP configuration has no private IP in the input: dropped as well', () => {
    const { b, hub, spoke } = hubSpoke();
    const nva = b.nic(b.subnet(hub, 'nva', '10.0.2.0/24'), 'nva-nic', '10.0.2.4', { ipForwarding: true, publicIpId: b.publicIp('nva-pip', '20.0.0.20') });
    const app = spokeToAppliance(b, spoke, '10.0.2.4');
    const built = b.build();
    const model: NetworkModel = {
      ...built,
      networkInterfaces: built.networkInterfaces.map((n) => (n.id === nva ? { ...n, ipConfigurations: n.ipConfigurations.map((c) => ({ ...c, privateIpAddress: null })) } : n)),
    };
    const path = pathOf(resolve(model), app);
    expect(path.findings.map((f) => f.code)).not.toContain('next-hop-unreachable');
    expect(path.verdict).toBe('unknown');
  });

  it('an internal load balancer frontend without its address is unknown too; owners with their addresses leave "no owner → dropped"', () => {
    const { b, hub, spoke } = hubSpoke();
    const nvaSubnet = b.subnet(hub, 'nva', '10.0.2.0/24');
    b.loadBalancer('ilb', { frontends: [{ name: 'fe', privateIp: '10.0.2.100', subnetId: nvaSubnet }], pools: [{ name: 'p' }], rules: [] });
    b.nic(nvaSubnet, 'nva-nic', '10.0.2.4', { ipForwarding: true });
    const app = spokeToAppliance(b, spoke, '10.0.2.9');
    const built = b.build();
    const dropped = pathOf(resolve(built), app);
    expect(dropped.verdict).toBe('dropped');
    expect(codes(dropped)).toContain('next-hop-unreachable');
    const addressless: NetworkModel = {
      ...built,
      loadBalancers: built.loadBalancers.map((l) => ({ ...l, frontendIpConfigurations: l.frontendIpConfigurations.map((f) => ({ ...f, privateIpAddress: null })) })),
    };
    const path = pathOf(resolve(addressless), app);
    expect(codes(path)).not.toContain('next-hop-unreachable');
    expect(path.verdict).toBe('unknown');
    expect(missingFact(path)).toContain('internal load balancer ilb');
  });
});

describe('a VM whose own document lists a NIC the input lacks', () => {
  const NVA_VM_ID = '/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg-net/providers/Microsoft.Compute/virtualMachines/nva';
  type Shape = 'rest' | 'az' | 'powershell';

  /** The VM document listing `nics`, in the shape each tool prints it (REST `properties.networkProfile`, az flattened, PowerShell PascalCase). */
  const vmDoc = (shape: Shape, nics: readonly string[]): unknown => {
    const ids = nics.map((n) => `${NET}/networkInterfaces/${n}`);
    switch (shape) {
      case 'rest': return { id: NVA_VM_ID, name: 'nva', type: 'Microsoft.Compute/virtualMachines', location: 'westeurope',
        properties: { networkProfile: { networkInterfaces: ids.map((id, i) => ({ id, properties: { primary: i === 0 } })) } } };
      case 'az': return { id: NVA_VM_ID, name: 'nva', type: 'Microsoft.Compute/virtualMachines', location: 'westeurope', virtualMachineScaleSet: null,
        networkProfile: { networkInterfaces: ids.map((id, i) => ({ id, primary: i === 0 })) } };
      case 'powershell': return { Id: NVA_VM_ID, Name: 'nva', Type: 'Microsoft.Compute/virtualMachines', Location: 'westeurope',
        NetworkProfile: { NetworkInterfaces: ids.map((id, i) => ({ Id: id.toUpperCase(), Primary: i === 0 })) } };
    }
  };

  /**
   * Hub subnets trust (10.0.2.0/24) and untrust (10.0.3.0/24) sharing a NAT gateway, spoke `app`
   * routing 0/0 to the trust NIC 10.0.2.4; `present`: the NVA NICs in the input; the VM lists both.
   */
  const estate = (shape: Shape, present: readonly ('nva-trust' | 'nva-untrust')[]) => {
    const subnet = (name: string, prefix: string) => ({ id: `${NET}/virtualNetworks/hub/subnets/${name}`, name, properties: { addressPrefix: prefix, natGateway: { id: `${NET}/natGateways/nat` } } });
    const peering = (from: string, to: string, prefix: string) => ({
      id: `${NET}/virtualNetworks/${from}/virtualNetworkPeerings/to-${to}`, name: `to-${to}`,
      properties: { remoteVirtualNetwork: { id: `${NET}/virtualNetworks/${to}` }, remoteAddressSpace: { addressPrefixes: [prefix] },
        allowVirtualNetworkAccess: true, allowForwardedTraffic: true, allowGatewayTransit: false, useRemoteGateways: false, peeringState: 'Connected', peeringSyncLevel: 'FullyInSync' },
    });
    const nic = (name: 'nva-trust' | 'nva-untrust', ip: string, primary: boolean) => ({
      id: `${NET}/networkInterfaces/${name}`, name, type: 'Microsoft.Network/networkInterfaces', location: 'westeurope', properties: {
        enableIPForwarding: true, primary, virtualMachine: { id: NVA_VM_ID },
        ipConfigurations: [{ id: `${NET}/networkInterfaces/${name}/ipConfigurations/ipconfig1`, name: 'ipconfig1', properties: {
          primary: true, privateIPAddress: ip, privateIPAddressVersion: 'IPv4', subnet: { id: `${NET}/virtualNetworks/hub/subnets/${name === 'nva-trust' ? 'trust' : 'untrust'}` } } }] } });
    const docs: unknown[] = [
      { id: `${NET}/virtualNetworks/hub`, name: 'hub', type: 'Microsoft.Network/virtualNetworks', location: 'westeurope', properties: {
        addressSpace: { addressPrefixes: ['10.0.0.0/16'] }, subnets: [subnet('trust', '10.0.2.0/24'), subnet('untrust', '10.0.3.0/24')],
        virtualNetworkPeerings: [peering('hub', 'spoke', '10.1.0.0/16')] } },
      { id: `${NET}/virtualNetworks/spoke`, name: 'spoke', type: 'Microsoft.Network/virtualNetworks', location: 'westeurope', properties: {
        addressSpace: { addressPrefixes: ['10.1.0.0/16'] },
        subnets: [{ id: `${NET}/virtualNetworks/spoke/subnets/app`, name: 'app', properties: { addressPrefix: '10.1.1.0/24', routeTable: { id: `${NET}/routeTables/rt` } } }],
        virtualNetworkPeerings: [peering('spoke', 'hub', '10.0.0.0/16')] } },
      { id: `${NET}/routeTables/rt`, name: 'rt', type: 'Microsoft.Network/routeTables', location: 'westeurope', properties: { routes: [
        { id: `${NET}/routeTables/rt/routes/default`, name: 'default', properties: { addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.2.4' } }] } },
      { id: `${NET}/natGateways/nat`, name: 'nat', type: 'Microsoft.Network/natGateways', location: 'westeurope', sku: { name: 'Standard' },
        properties: { publicIpAddresses: [{ id: `${NET}/publicIPAddresses/nat-pip` }] } },
      { id: `${NET}/publicIPAddresses/nat-pip`, name: 'nat-pip', type: 'Microsoft.Network/publicIPAddresses', location: 'westeurope', sku: { name: 'Standard' },
        properties: { ipAddress: '20.0.0.1', publicIPAddressVersion: 'IPv4' } },
      ...(present.includes('nva-trust') ? [nic('nva-trust', '10.0.2.4', true)] : []),
      ...(present.includes('nva-untrust') ? [nic('nva-untrust', '10.0.3.4', false)] : []),
      vmDoc(shape, ['nva-trust', 'nva-untrust']),
    ];
    const { model } = normalizeArm([{ fileName: 'estate.json', json: docs }]);
    return { model, app: toResourceId(`${NET}/virtualNetworks/spoke/subnets/app`) };
  };

  it('a VM whose document lists a NIC missing from the input is judged on the NICs present: confident no-outbound', () => {
    const NET_ID = '/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg-net/providers/Microsoft.Network';
    const peering = (from: string, to: string, prefix: string) => ({
      id: `${NET_ID}/virtualNetworks/${from}/virtualNetworkPeerings/to-${to}`, name: `to-${to}`,
      properties: { remoteVirtualNetwork: { id: `${NET_ID}/virtualNetworks/${to}` }, remoteAddressSpace: { addressPrefixes: [prefix] },
        allowVirtualNetworkAccess: true, allowForwardedTraffic: true, allowGatewayTransit: false, useRemoteGateways: false, peeringState: 'Connected', peeringSyncLevel: 'FullyInSync' },
    });
    const docs: unknown[] = [
      { id: `${NET_ID}/virtualNetworks/hub`, name: 'hub', type: 'Microsoft.Network/virtualNetworks', location: 'westeurope', properties: {
        addressSpace: { addressPrefixes: ['10.0.0.0/16'] },
        subnets: [{ id: `${NET_ID}/virtualNetworks/hub/subnets/trust`, name: 'trust', properties: { addressPrefix: '10.0.2.0/24', defaultOutboundAccess: false } }],
        virtualNetworkPeerings: [peering('hub', 'spoke', '10.1.0.0/16')] } },
      { id: `${NET_ID}/virtualNetworks/spoke`, name: 'spoke', type: 'Microsoft.Network/virtualNetworks', location: 'westeurope', properties: {
        addressSpace: { addressPrefixes: ['10.1.0.0/16'] },
        subnets: [{ id: `${NET_ID}/virtualNetworks/spoke/subnets/app`, name: 'app', properties: { addressPrefix: '10.1.1.0/24', routeTable: { id: `${NET_ID}/routeTables/rt` } } }],
        virtualNetworkPeerings: [peering('spoke', 'hub', '10.0.0.0/16')] } },
      { id: `${NET_ID}/routeTables/rt`, name: 'rt', type: 'Microsoft.Network/routeTables', location: 'westeurope', properties: { routes: [
        { id: `${NET_ID}/routeTables/rt/routes/default`, name: 'default', properties: { addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.2.4' } }] } },
      { id: `${NET_ID}/networkInterfaces/nva-trust`, name: 'nva-trust', type: 'Microsoft.Network/networkInterfaces', location: 'westeurope', properties: {
        enableIPForwarding: true, primary: true, virtualMachine: { id: NVA_VM_ID },
        ipConfigurations: [{ id: `${NET_ID}/networkInterfaces/nva-trust/ipConfigurations/ipconfig1`, name: 'ipconfig1', properties: {
          primary: true, privateIPAddress: '10.0.2.4', privateIPAddressVersion: 'IPv4', subnet: { id: `${NET_ID}/virtualNetworks/hub/subnets/trust` } } }] } },
      { id: NVA_VM_ID, name: 'nva', type: 'Microsoft.Compute/virtualMachines', location: 'westeurope', properties: {
        networkProfile: { networkInterfaces: [
          { id: `${NET_ID}/networkInterfaces/nva-trust`, properties: { primary: true } },
          { id: `${NET_ID}/networkInterfaces/nva-untrust`, properties: { primary: false } },
        ] } } },
    ];
    const { model } = normalizeArm([{ fileName: 'estate.json', json: docs }]);
    const path = pathOf(resolve(model), toResourceId(`${NET_ID}/virtualNetworks/spoke/subnets/app`));
    expect(path.verdict).not.toBe('no-outbound');
    expect(path.verdict).toBe('unknown');
  });

  it.each(['rest', 'az', 'powershell'] as const)('%s shape: the missing NIC makes the NVA unknown, naming it; both present keep the answer', (shape) => {
    const partial = estate(shape, ['nva-trust']);
    const trust = partial.model.networkInterfaces.find((n) => n.name === 'nva-trust');
    expect(trust?.missingSiblingNicIds).toEqual([toResourceId(`${NET}/networkInterfaces/nva-untrust`)]);
    const result = resolve(partial.model);
    const path = pathOf(result, partial.app);
    expect(path.verdict).toBe('unknown');
    expect(path.egressIps).toEqual([]);
    expect(missingFact(path)).toContain('nva-untrust');
    expect(result.gaps.some((g) => g.scope === toResourceId(`${NET}/networkInterfaces/nva-untrust`))).toBe(true);

    const whole = estate(shape, ['nva-trust', 'nva-untrust']);
    expect(whole.model.networkInterfaces.every((n) => n.missingSiblingNicIds === undefined)).toBe(true);
    expect(summary(pathOf(resolve(whole.model), whole.app))).toMatchObject({ verdict: 'internet', exit: 'nat-gateway', egressIps: ['20.0.0.1'] });
  });

  it('a VM NIC on default outbound access is unknown while another NIC its VM lists is missing (its public IP would turn it off)', () => {
    // "Associate a public IP to any of the virtual machine's network interfaces" turns default
    // outbound access off https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access
    const vmId = '/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/app-vm';
    const docs = (withSecond: boolean): unknown[] => [
      { id: `${NET}/virtualNetworks/v`, name: 'v', type: 'Microsoft.Network/virtualNetworks', location: 'westeurope', properties: {
        addressSpace: { addressPrefixes: ['10.5.0.0/16'] }, subnets: [{ id: `${NET}/virtualNetworks/v/subnets/app`, name: 'app', properties: { addressPrefix: '10.5.1.0/24' } }] } },
      ...['app-nic-1', ...(withSecond ? ['app-nic-2'] : [])].map((name, i) => ({
        id: `${NET}/networkInterfaces/${name}`, name, type: 'Microsoft.Network/networkInterfaces', location: 'westeurope', properties: {
          enableIPForwarding: false, primary: i === 0, virtualMachine: { id: vmId },
          ipConfigurations: [{ id: `${NET}/networkInterfaces/${name}/ipConfigurations/ipconfig1`, name: 'ipconfig1', properties: {
            primary: true, privateIPAddress: `10.5.1.${4 + i}`, privateIPAddressVersion: 'IPv4', subnet: { id: `${NET}/virtualNetworks/v/subnets/app` } } }] } })),
      { id: vmId, name: 'app-vm', type: 'Microsoft.Compute/virtualMachines', location: 'westeurope', properties: {
        virtualMachineScaleSet: null, networkProfile: { networkInterfaces: [{ id: `${NET}/networkInterfaces/app-nic-1` }, { id: `${NET}/networkInterfaces/app-nic-2` }] } } },
    ];
    const nicId = toResourceId(`${NET}/networkInterfaces/app-nic-1`);
    const partial = pathOf(resolve(normalizeArm([{ fileName: 'vm.json', json: docs(false) }]).model), nicId);
    expect(partial.verdict).toBe('unknown');
    expect(missingFact(partial)).toContain('app-nic-2');
    const whole = resolve(normalizeArm([{ fileName: 'vm.json', json: docs(true) }]).model);
    expect(whole.paths.find((p) => p.source.id === nicId)).toBeUndefined();
    expect(pathOf(whole, toResourceId(`${NET}/virtualNetworks/v/subnets/app`)).verdict).toBe('internet');
  });
});

/**
 * The source downstream of an Azure Firewall is the firewall's SNAT address when it SNATs: "If
 * you've enabled forced tunneling, Internet-bound traffic is SNATed to one of the firewall's private
 * IP addresses in AzureFirewallSubnet, hiding the source"; application rules always SNAT; network
 * rules do not SNAT destinations in the SNAT private ranges [FWSNAT]
 * https://learn.microsoft.com/azure/firewall/snat-private-range. Inbound NSG rules match the
 * packet's source [NSGHOW] https://learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works
 */
describe('an NVA after a forced-tunnel Azure Firewall sees the firewall\'s SNAT address', () => {
  /** Spoke → Azure Firewall (forced tunnel) → AzureFirewallSubnet 0/0 → NVA 10.0.2.4 (public IP); the NVA NIC's NSG admits `allowedIn` only. */
  const firewallThenNva = (allowedIn: readonly string[], opts: { readonly snatPrivateRanges?: readonly string[]; readonly autoLearn?: boolean; readonly app?: boolean } = {}) => {
    const b = new ModelBuilder();
    const hub = b.vnet('hub', ['10.0.0.0/16']);
    const spoke = b.vnet('spoke', ['10.1.0.0/16']);
    b.peer(spoke, hub); b.peer(hub, spoke);
    const rtFw = b.routeTable('rt-fw', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.2.4' }]);
    const fwSubnet = b.subnet(hub, 'AzureFirewallSubnet', '10.0.1.0/26', { routeTableId: rtFw });
    const mgmt = b.subnet(hub, 'AzureFirewallManagementSubnet', '10.0.1.64/26');
    const rules = opts.app ? [applicationRule('partner', ['api.partner.example'], { sourceAddresses: ['*'] })] : [networkRule('all', { sourceAddresses: ['*'] })];
    const policy = b.firewallPolicy('fw-policy', rules, {
      ...(opts.snatPrivateRanges ? { snatPrivateRanges: opts.snatPrivateRanges } : {}), ...(opts.autoLearn ? { snatAutoLearnPrivateRanges: true } : {}) });
    b.firewall('fw', { subnetId: fwSubnet, privateIp: '10.0.1.4', policyId: policy, managementSubnetId: mgmt, managementPublicIpId: b.publicIp('fw-mgmt', '20.0.0.11') });
    const nsg = b.nsg('nsg-nva', [
      securityRule('AllowIn', 100, 'Allow', '*', { direction: 'Inbound', sourceAddressPrefixes: [...allowedIn] }),
      securityRule('DenyIn', 200, 'Deny', '*', { direction: 'Inbound' }),
    ]);
    b.nic(b.subnet(hub, 'nva', '10.0.2.0/24'), 'nva-nic', '10.0.2.4', { ipForwarding: true, nsgId: nsg, publicIpId: b.publicIp('nva-pip', '20.0.0.20') });
    const app = b.subnet(spoke, 'app', '10.1.1.0/24', { routeTableId: b.routeTable('rt-app', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.1.4' }]) });
    return pathOf(resolve(b.build(), opts.app ? PARTNER : {}), app);
  };

  it('NVA inbound NSG admitting only the spoke: the firewall-SNATed packet (10.0.1.x) is denied, not internet', () => {
    const path = firewallThenNva(['10.1.0.0/16']);
    expect(path.verdict).not.toBe('internet');
    expect(path.egressIps).toEqual([]);
    expect(path.verdict).toBe('denied');
  });

  it('NVA inbound NSG admitting only AzureFirewallSubnet: the packet gets in (internet via the NVA public IP), not denied', () => {
    const path = firewallThenNva(['10.0.1.0/26']);
    expect(path.verdict).not.toBe('denied');
    expect(summary(path)).toMatchObject({ verdict: 'internet', egressIps: ['20.0.0.20'] });
  });

  it('an application rule always SNATs: the NVA sees AzureFirewallSubnet, not the spoke', () => {
    expect(firewallThenNva(['10.1.0.0/16'], { app: true }).verdict).toBe('denied');
    expect(summary(firewallThenNva(['10.0.1.0/26'], { app: true }))).toMatchObject({ verdict: 'internet', egressIps: ['20.0.0.20'] });
  });

  it('which instance address the firewall SNATs to is not known: a rule admitting one address of AzureFirewallSubnet is not a confident answer', () => {
    const path = firewallThenNva(['10.0.1.4/32']);
    expect(path.verdict).toBe('unknown');
    expect(path.egressIps).toEqual([]);
  });

  it('network rules never SNAT with SNAT private ranges 0.0.0.0/0: the NVA sees the spoke', () => {
    expect(summary(firewallThenNva(['10.1.0.0/16'], { snatPrivateRanges: ['0.0.0.0/0'] }))).toMatchObject({ verdict: 'internet', egressIps: ['20.0.0.20'] });
    expect(firewallThenNva(['10.0.1.0/26'], { snatPrivateRanges: ['0.0.0.0/0'] }).verdict).toBe('denied');
  });

  it('auto-learned SNAT ranges leave the firewall\'s SNAT open: an NSG that answers differently for the spoke and the firewall is unknown, naming SNAT', () => {
    for (const allowed of [['10.1.0.0/16'], ['10.0.1.0/26']]) {
      const path = firewallThenNva(allowed, { autoLearn: true });
      expect(path.verdict).toBe('unknown');
      expect(missingFact(path)).toContain('Azure Firewall fw');
      expect(missingFact(path)).toContain('SNAT');
    }
    // Both admitted: the same answer either way.
    expect(firewallThenNva(['10.1.0.0/16', '10.0.1.0/26'], { autoLearn: true }).verdict).toBe('internet');
  });
});

describe('missingSiblingNicIds for a Uniform scale set instance', () => {
  // A scale set instance (Microsoft.Compute/virtualMachineScaleSets/virtualMachines) carries
  // properties.networkProfile.networkInterfaces like a VM https://learn.microsoft.com/rest/api/compute/virtual-machine-scale-set-vms/get
  const COMPUTE = '/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg-net/providers/Microsoft.Compute';
  const vm = `${COMPUTE}/virtualMachineScaleSets/vmss-nva/virtualMachines/0`;
  const trustId = `${vm}/networkInterfaces/nic-trust`;
  const untrustId = `${vm}/networkInterfaces/nic-untrust`;
  const estate = (present: readonly ('trust' | 'untrust')[]) => {
    const nic = (id: string, sub: string, ip: string, primary: boolean) => ({
      id, name: id.slice(id.lastIndexOf('/') + 1), type: 'Microsoft.Network/networkInterfaces', location: 'westeurope', properties: {
        enableIPForwarding: true, primary, virtualMachine: { id: vm },
        ipConfigurations: [{ id: `${id}/ipConfigurations/ipconfig1`, name: 'ipconfig1', properties: {
          primary: true, privateIPAddress: ip, privateIPAddressVersion: 'IPv4', subnet: { id: `${NET}/virtualNetworks/hub/subnets/${sub}` } } }] } });
    const subnet = (name: string, prefix: string) => ({ id: `${NET}/virtualNetworks/hub/subnets/${name}`, name, properties: { addressPrefix: prefix, natGateway: { id: `${NET}/natGateways/nat` } } });
    const docs: unknown[] = [
      { id: `${NET}/virtualNetworks/hub`, name: 'hub', type: 'Microsoft.Network/virtualNetworks', location: 'westeurope', properties: {
        addressSpace: { addressPrefixes: ['10.0.0.0/16'] }, subnets: [subnet('trust', '10.0.2.0/24'), subnet('untrust', '10.0.3.0/24'),
          { id: `${NET}/virtualNetworks/hub/subnets/app`, name: 'app', properties: { addressPrefix: '10.0.9.0/24', routeTable: { id: `${NET}/routeTables/rt` } } }] } },
      { id: `${NET}/routeTables/rt`, name: 'rt', type: 'Microsoft.Network/routeTables', location: 'westeurope', properties: { routes: [
        { id: `${NET}/routeTables/rt/routes/default`, name: 'default', properties: { addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.2.4' } }] } },
      { id: `${NET}/natGateways/nat`, name: 'nat', type: 'Microsoft.Network/natGateways', location: 'westeurope', sku: { name: 'Standard' },
        properties: { publicIpAddresses: [{ id: `${NET}/publicIPAddresses/nat-pip` }] } },
      { id: `${NET}/publicIPAddresses/nat-pip`, name: 'nat-pip', type: 'Microsoft.Network/publicIPAddresses', location: 'westeurope', sku: { name: 'Standard' },
        properties: { ipAddress: '20.0.0.1', publicIPAddressVersion: 'IPv4' } },
      ...(present.includes('trust') ? [nic(trustId, 'trust', '10.0.2.4', true)] : []),
      ...(present.includes('untrust') ? [nic(untrustId, 'untrust', '10.0.3.4', false)] : []),
      { id: vm, name: '0', type: 'Microsoft.Compute/virtualMachineScaleSets/virtualMachines', location: 'westeurope',
        properties: { networkProfile: { networkInterfaces: [trustId, untrustId].map((id, i) => ({ id, properties: { primary: i === 0 } })) } } },
    ];
    const { model } = normalizeArm([{ fileName: 'estate.json', json: docs }]);
    return { model, app: toResourceId(`${NET}/virtualNetworks/hub/subnets/app`) };
  };

  it('an NVA scale set instance listing a NIC the input lacks is unknown, naming it (as a plain VM is), not the NICs present', () => {
    const partial = estate(['trust']);
    expect(partial.model.networkInterfaces.find((n) => n.name === 'nic-trust (instance 0)')?.missingSiblingNicIds).toEqual([toResourceId(untrustId)]);
    const path = pathOf(resolve(partial.model), partial.app);
    expect(path.egressIps).toEqual([]);
    expect(path.verdict).toBe('unknown');
    expect(missingFact(path)).toContain('nic-untrust');
    const whole = estate(['trust', 'untrust']);
    expect(whole.model.networkInterfaces.every((n) => n.missingSiblingNicIds === undefined)).toBe(true);
    expect(summary(pathOf(resolve(whole.model), whole.app))).toMatchObject({ verdict: 'internet', egressIps: ['20.0.0.1'] });
  });
});

describe('hop words after an NVA', () => {
  // "If the appliance needs to route traffic to a public IP address, it must either proxy the
  // traffic or perform network address translation (NAT) ... to its own private IP address" [UDR]
  // https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview: before a
  // firewall the NVA may keep the source, and the engine weighs both; the words must not claim a SNAT.
  it('the NVA hop does not say the NVA is assumed to SNAT to its own private IP when the verdict turns on whether it does', () => {
    const b = new ModelBuilder();
    const hub = b.vnet('hub', ['10.0.0.0/16']);
    const spoke = b.vnet('spoke', ['10.1.0.0/16']);
    b.peer(spoke, hub); b.peer(hub, spoke);
    const fwSubnet = b.subnet(hub, 'AzureFirewallSubnet', '10.0.1.0/26');
    b.firewall('fw', { subnetId: fwSubnet, privateIp: '10.0.1.4', publicIpIds: [b.publicIp('fw-pip', '20.0.0.10')],
      policyId: b.firewallPolicy('fw-policy', [applicationRule('partner', ['api.partner.example'], { sourceAddresses: ['10.1.0.0/16'] })]) });
    const rtNva = b.routeTable('rt-nva', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.1.4' }]);
    b.nic(b.subnet(hub, 'nva', '10.0.2.0/24', { routeTableId: rtNva }), 'nva-nic', '10.0.2.4', { ipForwarding: true });
    const app = b.subnet(spoke, 'app', '10.1.1.0/24', { routeTableId: b.routeTable('rt-app', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.2.4' }]) });
    const path = pathOf(resolve(b.build(), PARTNER), app);
    expect(path.verdict).toBe('unknown');
    const hop = explainPath(path).find((h) => h.kind === 'virtual-appliance');
    expect(hop?.explanation).not.toMatch(/assumed to forward the traffic and SNAT it to its own private IP/);
    expect(hop?.explanation).toMatch(/keep/);
  });
});

describe('an NVA behind an internal load balancer whose own subnet routes a destination back to the load balancer', () => {
  // A VM delivers an address it holds itself (a VPN client pool, containers, a kubenet pod range)
  // without routing it: "UDR and IP forwarding handle connectivity between pods across nodes"
  // https://learn.microsoft.com/azure/aks/configure-kubenet ; whether the NVA holds the range or
  // forwards it again (a loop) is in no export. Through the load balancer in front of it the question
  // is the same as for an NVA routed straight back to itself (aks.test.ts): not a confident loop.
  function loopEstate(): { readonly model: NetworkModel; readonly app: ResourceId } {
    const { b, hub, pool, app } = ilbEstate();
    const rt = b.routeTable('rt-nva', [{ prefix: '10.50.0.0/16', nextHopType: 'VirtualAppliance', nextHopIp: '10.100.0.100' }]);
    const nvaSubnet = b.subnet(hub, 'nva-out', '10.100.1.0/24', { routeTableId: rt });
    b.nic(nvaSubnet, 'nva-a-nic', '10.100.1.4', { ipForwarding: true, poolIds: [pool] });
    // The spoke sends the range to the load balancer too (past the system route of 10.0.0.0/8 to None).
    const spokeRt = b.routeTable('rt-app', [{ prefix: '10.50.0.0/16', nextHopType: 'VirtualAppliance', nextHopIp: '10.100.0.100' }]);
    b.updateSubnet(app, { routeTableId: spokeRt });
    return { model: b.build(), app };
  }

  it('a private destination: unknown naming the NVA and the load balancer, not a dropped route loop', () => {
    const { model, app } = loopEstate();
    const path = pathOf(resolve(model, { destination: '10.50.3.9' }), app);
    expect(summary(path)).toMatchObject({ verdict: 'unknown', findings: [] });
    const last = explainPath(path).at(-1);
    expect(last?.rule).toBe('Unknown: Routes send 10.50.3.9 round a loop through nva-a-nic');
    expect(last?.explanation).toMatch(/whether nva-a-nic serves 10\.50\.3\.9 itself, .*or forwards it again: the appliances' routes send that address round a loop through ilb-nva, nva-a-nic \(10\.50\.3\.9 is a private address/);
  });

  it('the internet sent back to the load balancer is still a loop (no appliance serves the internet as its own range)', () => {
    const { b, hub, pool, app } = ilbEstate();
    const rt = b.routeTable('rt-nva', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.100.0.100' }]);
    const nvaSubnet = b.subnet(hub, 'nva-out', '10.100.1.0/24', { routeTableId: rt });
    b.nic(nvaSubnet, 'nva-a-nic', '10.100.1.4', { ipForwarding: true, poolIds: [pool] });
    expect(summary(pathOf(resolve(b.build()), app))).toMatchObject({ verdict: 'dropped', findings: ['route-loop'] });
  });
});

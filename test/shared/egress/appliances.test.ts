/**
 * Network virtual appliances and internal load balancers as UDR next hops: the verdict must never be
 * a confident answer read off one backend, or off a backend the input does not hold.
 *  - Reference: /work/shared/reference/egress-rules.md §2.3, §5.1 ("HA NVAs behind an internal
 *    Standard LB with HA ports ... load-balance every TCP/UDP flow on all ports" [HAP]).
 *  - UDR next hops: https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview
 *  - HA ports: https://learn.microsoft.com/azure/load-balancer/load-balancer-ha-ports-overview
 */
import { describe, expect, it } from 'vitest';
import type { ResourceId } from '../../../shared/model/ids';
import { effectiveRoute, ModelBuilder } from '../../support/model-builder';
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

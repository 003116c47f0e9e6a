/**
 * An IPv6 flow by name: `--destination v6.example.com --resolve v6.example.com=<IPv6>`. IPv6 egress
 * is not modelled (no IPv6 system routes, no default outbound access for IPv6, IPv6 instance public
 * IPs and LB outbound rules on secondary configurations), so such a what-if is `unknown` with a
 * not-modelled gap, exactly as an IPv6 address given directly is. Before, the name path walked the
 * estate with IPv4 rules: default outbound, an IPv4 public IP as the exit, "dropped: no route".
 *
 * [IPV6]  https://learn.microsoft.com/azure/virtual-network/ip-services/ipv6-overview
 *         "IPv6 connectivity to the Internet is only established when you explicitly request it"
 * [DOA]   https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access
 *         (the default outbound access IP is a public IPv4 address)
 * [DSNAT] https://learn.microsoft.com/azure/nat-gateway/tutorial-dual-stack-outbound-nat-load-balancer
 * [NATRES] https://learn.microsoft.com/azure/nat-gateway/nat-gateway-resource (StandardV2 holds IPv6 addresses)
 */
import { describe, expect, it } from 'vitest';
import type { ResourceId } from '../../../shared/model/ids';
import type { CapturedEffectiveRoutes, NetworkModel, NicIpConfiguration } from '../../../shared/model/topology';
import { explainPath } from '../../../shared/egress/explain';
import type { EgressPath } from '../../../shared/egress/types';
import { effectiveRoute, ModelBuilder } from '../../support/model-builder';
import { resolve } from './support';

/** A public IPv6 address (Cloudflare DNS) the host name resolves to. */
const V6 = '2606:4700:4700::1111';
const NAME = 'v6.example.com';
const IPV6_WHAT_IF = { destination: NAME, resolve: { [NAME]: V6 } };

/** VNet 10.0.0.0/16 + 2404:f800:8000:122::/63 with one dual-stack subnet (as in [DSNAT]). */
function dualStack(b: ModelBuilder, opts: Parameters<ModelBuilder['subnet']>[3] = {}): { vnet: ResourceId; subnet: ResourceId } {
  const vnet = b.vnet('vnet-1', ['10.0.0.0/16', '2404:f800:8000:122::/63']);
  const subnet = b.subnet(vnet, 'subnet-1', '10.0.0.0/24', { extraPrefixes: ['2404:f800:8000:122::/64'], ...opts });
  return { vnet, subnet };
}

/** Adds a (non-primary) IPv6 IP configuration to a NIC, with its public IP and pool memberships mirrored. */
function withIpv6Config(model: NetworkModel, nicId: ResourceId, opts: { readonly publicIpId?: ResourceId; readonly poolIds?: readonly ResourceId[] } = {}): NetworkModel {
  const configId = `${nicId}/ipconfigurations/ipconfig-ipv6` as ResourceId;
  const poolIds = opts.poolIds ?? [];
  return {
    ...model,
    networkInterfaces: model.networkInterfaces.map((n) => {
      if (n.id !== nicId) return n;
      const config: NicIpConfiguration = {
        id: configId, name: 'ipconfig-ipv6', primary: false, privateIpAddress: '2404:f800:8000:122::4', privateIpAddressVersion: 'IPv6',
        subnetId: n.ipConfigurations[0]?.subnetId ?? null, publicIpAddressId: opts.publicIpId ?? null, loadBalancerBackendAddressPoolIds: poolIds,
      };
      return { ...n, ipConfigurations: [...n.ipConfigurations, config] };
    }),
    loadBalancers: model.loadBalancers.map((lb) => ({
      ...lb, backendAddressPools: lb.backendAddressPools.map((p) => (poolIds.includes(p.id) ? { ...p, backendIpConfigurationIds: [...p.backendIpConfigurationIds, configId] } : p)),
    })),
    publicIpAddresses: model.publicIpAddresses.map((p) => (p.id === opts.publicIpId ? { ...p, ipConfigurationId: configId } : p)),
  };
}

/** Effective routes of a dual-stack NIC as Azure reports them (system routes of both families). */
function dualStackEffectiveRoutes(nicId: ResourceId): CapturedEffectiveRoutes[] {
  return [{
    networkInterfaceId: nicId,
    routes: [
      effectiveRoute('10.0.0.0/16', 'VnetLocal'), effectiveRoute('2404:f800:8000:122::/63', 'VnetLocal'),
      effectiveRoute('0.0.0.0/0', 'Internet'), effectiveRoute('::/0', 'Internet'),
      effectiveRoute('172.16.0.0/12', 'None'), effectiveRoute('192.168.0.0/16', 'None'), effectiveRoute('100.64.0.0/10', 'None'),
    ],
  }];
}


interface Case {
  readonly name: string;
  readonly build: () => { readonly model: NetworkModel; readonly effectiveRoutes: readonly CapturedEffectiveRoutes[] };
}

const CASES: readonly Case[] = [
  {
    // Before: internet via default outbound access (an IPv4 mechanism [DOA]).
    name: 'no explicit IPv6 method, captured ::/0 -> Internet',
    build: () => {
      const b = new ModelBuilder();
      const { subnet } = dualStack(b);
      const nic = b.nic(subnet, 'vm-1-nic', '10.0.0.4');
      return { model: withIpv6Config(b.build(), nic), effectiveRoutes: dualStackEffectiveRoutes(nic) };
    },
  },
  {
    // Before: default outbound behind an IPv4-only Standard NAT gateway.
    name: 'Standard (IPv4-only) NAT gateway',
    build: () => {
      const b = new ModelBuilder();
      const nat = b.natGateway('nat-gateway', { publicIpIds: [b.publicIp('public-ip-nat', '20.230.191.5')] });
      const { subnet } = dualStack(b, { natGatewayId: nat });
      const nic = b.nic(subnet, 'vm-1-nic', '10.0.0.4');
      return { model: withIpv6Config(b.build(), nic), effectiveRoutes: dualStackEffectiveRoutes(nic) };
    },
  },
  {
    // Before: the IPv4 instance public IP 20.5.5.5 as the exit of IPv6 traffic.
    name: 'IPv4 instance public IP',
    build: () => {
      const b = new ModelBuilder();
      const { subnet } = dualStack(b);
      const nic = b.nic(subnet, 'vm-1-nic', '10.0.0.4', { publicIpId: b.publicIp('vm-pip-v4', '20.5.5.5') });
      return { model: withIpv6Config(b.build(), nic), effectiveRoutes: dualStackEffectiveRoutes(nic) };
    },
  },
  {
    // Before: no-outbound (the IPv6 public IP on the IPv6 configuration is the documented exit [IPV6]).
    name: 'IPv6 instance public IP on the IPv6 configuration',
    build: () => {
      const b = new ModelBuilder();
      const { subnet } = dualStack(b);
      const pipV6 = b.publicIp('vm-pip-v6', '2603:1030:c04:3::20', { version: 'IPv6' });
      const nic = b.nic(subnet, 'vm-1-nic', '10.0.0.4');
      return { model: withIpv6Config(b.build(), nic, { publicIpId: pipV6 }), effectiveRoutes: dualStackEffectiveRoutes(nic) };
    },
  },
  {
    // [DSNAT] exactly, without captured routes. Before: "dropped: no route covers the destination".
    name: 'dual-stack tutorial (NAT gateway for IPv4, LB IPv6 outbound rule for IPv6)',
    build: () => {
      const b = new ModelBuilder();
      const nat = b.natGateway('nat-gateway', { publicIpIds: [b.publicIp('public-ip-nat', '20.230.191.5')] });
      const { subnet } = dualStack(b, { natGatewayId: nat });
      const lb = b.loadBalancer('load-balancer', {
        frontends: [{ name: 'frontend-ipv6', publicIpId: b.publicIp('public-ip-ipv6', '2603:1030:c02:8::14', { version: 'IPv6' }) }],
        pools: [{ name: 'backend-pool' }],
        outboundRules: [{ name: 'outbound-rule', frontends: ['frontend-ipv6'], pool: 'backend-pool', allocatedOutboundPorts: 20000 }],
      });
      const nic = b.nic(subnet, 'vm-1-nic', '10.0.0.4');
      return { model: withIpv6Config(b.build(), nic, { poolIds: [ModelBuilder.poolId(lb, 'backend-pool')] }), effectiveRoutes: [] };
    },
  },
  {
    // Before: "dropped" without captured routes, and a route-drift warning on the captured ::/0 system route with them.
    name: 'StandardV2 NAT gateway with an IPv6 public IP',
    build: () => {
      const b = new ModelBuilder();
      const nat = b.natGateway('nat-v2', {
        sku: 'StandardV2',
        publicIpIds: [b.publicIp('nat-v4', '20.1.1.1', { sku: 'StandardV2' }), b.publicIp('nat-v6', '2603:1030::1', { sku: 'StandardV2', version: 'IPv6' })],
      });
      const { subnet } = dualStack(b, { natGatewayId: nat });
      const nic = b.nic(subnet, 'vm-1-nic', '10.0.0.4');
      return { model: withIpv6Config(b.build(), nic), effectiveRoutes: dualStackEffectiveRoutes(nic) };
    },
  },
];

describe('an IPv6 flow by name (--resolve name=IPv6) is not modelled', () => {
  for (const c of CASES) {
    it(`${c.name}: every path unknown, with the not-modelled gap and no route drift`, () => {
      const { model, effectiveRoutes } = c.build();
      const result = resolve(model, IPV6_WHAT_IF, { effectiveRoutes });
      expect(result.paths.length).toBeGreaterThan(0);
      for (const path of result.paths) {
        expect({ verdict: path.verdict, exit: path.exit, egressIps: path.egressIps }).toEqual({ verdict: 'unknown', exit: null, egressIps: [] });
        expect(path.findings.map((f) => f.code)).not.toContain('route-drift');
      }
      expect(explainPath(result.paths[0] as EgressPath).at(-1)?.explanation).toContain(`${NAME} resolves to the IPv6 address ${V6} here, and IPv6 egress is not modelled`);
      expect(result.gaps).toContainEqual(expect.objectContaining({ code: 'not-modelled', scope: `${NAME} (${V6})` }));
    });
  }

  it('the same name resolved to an IPv4 address is still evaluated (control)', () => {
    const { model, effectiveRoutes } = CASES[0]?.build() ?? { model: new ModelBuilder().build(), effectiveRoutes: [] };
    const result = resolve(model, { destination: NAME, resolve: { [NAME]: '20.30.40.50' } }, { effectiveRoutes });
    expect(result.paths.some((p) => p.verdict === 'internet')).toBe(true);
    expect(result.gaps.map((g) => g.scope)).not.toContain(`${NAME} (20.30.40.50)`);
  });
});

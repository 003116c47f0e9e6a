/**
 * Load balancers: rule matching for an internal LB next hop (HA ports vs a protocol/port rule), and
 * backend pool membership read from both sides (the LB pool's `backendIPConfigurations` and the
 * NICs' `loadBalancerBackendAddressPools`), with ARM JSON as Azure returns it (REST and
 * az-flattened) through the real normalizer.
 *  - HA ports: https://learn.microsoft.com/azure/load-balancer/load-balancer-ha-ports-overview
 *  - Outbound rules: https://learn.microsoft.com/azure/load-balancer/outbound-rules
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm';
import { ilbRuleFor, isHaPortsRule } from '../../../shared/egress/load-balancer';
import { chooseOutboundMethod, methodEgress } from '../../../shared/egress/outbound';
import { toResourceId } from '../../../shared/model/ids';
import { buildModelIndex, type ModelIndex } from '../../../shared/model/model-index';
import type { LoadBalancer } from '../../../shared/model/topology';
import { flattenRest } from '../arm/helpers';
import { ModelBuilder } from '../../support/model-builder';

const NET = '/subscriptions/00000000-0000-0000-0000-0000000000cc/resourceGroups/rg-lb/providers/Microsoft.Network';
const ILB = `${NET}/loadBalancers/ilb-nva`;
const FE = `${ILB}/frontendIPConfigurations/fe`;
const POOL = `${ILB}/backendAddressPools/nvas`;

interface RuleSpec { readonly name: string; readonly protocol: string; readonly frontendPort: number; readonly backendPort: number }

/** An internal Standard LB in front of NVAs, as `LoadBalancers_Get` returns it. */
function ilb(rules: readonly RuleSpec[]): unknown {
  return {
    id: ILB, name: 'ilb-nva', type: 'Microsoft.Network/loadBalancers', location: 'westeurope', sku: { name: 'Standard', tier: 'Regional' },
    properties: {
      frontendIPConfigurations: [{ id: FE, name: 'fe', properties: { privateIPAddress: '10.0.1.100', privateIPAllocationMethod: 'Static', subnet: { id: `${NET}/virtualNetworks/hub/subnets/nva` } } }],
      backendAddressPools: [{ id: POOL, name: 'nvas', properties: {} }],
      loadBalancingRules: rules.map((r) => ({
        id: `${ILB}/loadBalancingRules/${r.name}`, name: r.name,
        properties: {
          frontendIPConfiguration: { id: FE }, backendAddressPool: { id: POOL }, protocol: r.protocol, frontendPort: r.frontendPort,
          backendPort: r.backendPort, enableFloatingIP: false, idleTimeoutInMinutes: 4, loadDistribution: 'Default',
        },
      })),
    },
  };
}

function loadLb(rules: readonly RuleSpec[], flattened: boolean): LoadBalancer {
  const resource = ilb(rules);
  const lb = normalizeArm([{ fileName: 'ilb.json', json: flattened ? flattenRest(resource) : resource }]).model.loadBalancers[0];
  if (!lb) throw new Error('no LB');
  return lb;
}

const feId = toResourceId(FE);

for (const flattened of [false, true]) {
  const shape = flattened ? 'az-flattened' : 'REST';

  describe(`ilbRuleFor (${shape} shape)`, () => {
    // "The HA ports load-balancing rules are configured when you set the frontend and backend ports to 0
    // and the protocol to All. The internal load balancer resource then balances all TCP and UDP flows,
    // regardless of port number."
    it('an HA ports rule (protocol All, ports 0) carries every flow, TCP and UDP, any port', () => {
      const lb = loadLb([{ name: 'ha', protocol: 'All', frontendPort: 0, backendPort: 0 }], flattened);
      expect(lb.loadBalancingRules.map(isHaPortsRule)).toEqual([true]);
      for (const [protocol, port] of [['Tcp', 443], ['Udp', 53], ['Tcp', 8080]] as const) {
        expect(ilbRuleFor(lb, feId, protocol, port)).toMatchObject({ kind: 'ha-ports', rule: { name: 'ha' } });
      }
    });

    it('lower-case "all" with ports 0 is still HA ports (the protocol is parsed into the union)', () => {
      const lb = loadLb([{ name: 'ha', protocol: 'all', frontendPort: 0, backendPort: 0 }], flattened);
      expect(ilbRuleFor(lb, feId, 'Udp', 123).kind).toBe('ha-ports');
    });

    it('without HA ports only a rule with the flow\'s protocol and port carries it', () => {
      const lb = loadLb([{ name: 'https', protocol: 'Tcp', frontendPort: 443, backendPort: 443 }, { name: 'dns', protocol: 'udp', frontendPort: 53, backendPort: 53 }], flattened);
      expect(ilbRuleFor(lb, feId, 'Tcp', 443)).toMatchObject({ kind: 'rule', rule: { name: 'https' } });
      expect(ilbRuleFor(lb, feId, 'Udp', 53)).toMatchObject({ kind: 'rule', rule: { name: 'dns' } });
      expect(ilbRuleFor(lb, feId, 'Udp', 443)).toEqual({ kind: 'none' });
      expect(ilbRuleFor(lb, feId, 'Tcp', 80)).toEqual({ kind: 'none' });
    });

    it('a rule on another frontend does not carry the flow', () => {
      const lb = loadLb([{ name: 'https', protocol: 'Tcp', frontendPort: 443, backendPort: 443 }], flattened);
      expect(ilbRuleFor(lb, toResourceId(`${ILB}/frontendIPConfigurations/other`), 'Tcp', 443)).toEqual({ kind: 'none' });
    });

    // The ARM reader refuses a protocol Azure does not have (the LB is left out with a gap:
    // test/shared/arm/malformed-values.test.ts); `Unknown` still reaches the engine from snapshots.
    it('an Unknown protocol carries nothing (no forwarding is claimed on a guess)', () => {
      const read = loadLb([{ name: 'odd', protocol: 'All', frontendPort: 0, backendPort: 0 }], flattened);
      const lb: LoadBalancer = { ...read, loadBalancingRules: read.loadBalancingRules.map((r) => ({ ...r, protocol: 'Unknown' as const })) };
      expect(ilbRuleFor(lb, feId, 'Tcp', 443)).toEqual({ kind: 'none' });
    });
  });
}

/**
 * A public Standard LB with an outbound rule, and a NIC in its pool. `side` says which resource lists
 * the membership: the LB pool (`backendIPConfigurations`), the NIC (`loadBalancerBackendAddressPools`), or both.
 */
function poolEstate(side: 'lb' | 'nic' | 'both'): unknown[] {
  const lbId = `${NET}/loadBalancers/lb-out`;
  const poolId = `${lbId}/backendAddressPools/pool`;
  const configId = `${NET}/networkInterfaces/vm1-nic/ipConfigurations/ipconfig1`;
  return [
    {
      id: `${NET}/virtualNetworks/spoke`, name: 'spoke', type: 'Microsoft.Network/virtualNetworks', location: 'westeurope',
      properties: { addressSpace: { addressPrefixes: ['10.1.0.0/16'] }, subnets: [{ id: `${NET}/virtualNetworks/spoke/subnets/app`, name: 'app', properties: { addressPrefix: '10.1.1.0/24' } }] },
    },
    { id: `${NET}/publicIPAddresses/out-pip`, name: 'out-pip', type: 'Microsoft.Network/publicIPAddresses', sku: { name: 'Standard' }, properties: { ipAddress: '20.0.0.9' } },
    {
      id: lbId, name: 'lb-out', type: 'Microsoft.Network/loadBalancers', sku: { name: 'Standard' },
      properties: {
        frontendIPConfigurations: [{ id: `${lbId}/frontendIPConfigurations/fe`, name: 'fe', properties: { publicIPAddress: { id: `${NET}/publicIPAddresses/out-pip` } } }],
        backendAddressPools: [{ id: poolId, name: 'pool', properties: side === 'nic' ? {} : { backendIPConfigurations: [{ id: configId }] } }],
        outboundRules: [{ id: `${lbId}/outboundRules/out`, name: 'out', properties: { protocol: 'All', frontendIPConfigurations: [{ id: `${lbId}/frontendIPConfigurations/fe` }], backendAddressPool: { id: poolId } } }],
      },
    },
    {
      id: `${NET}/networkInterfaces/vm1-nic`, name: 'vm1-nic', type: 'Microsoft.Network/networkInterfaces',
      properties: {
        ipConfigurations: [{
          id: configId, name: 'ipconfig1',
          properties: {
            primary: true, privateIPAddress: '10.1.1.4', subnet: { id: `${NET}/virtualNetworks/spoke/subnets/app` },
            ...(side === 'lb' ? {} : { loadBalancerBackendAddressPools: [{ id: poolId }] }),
          },
        }],
      },
    },
  ];
}

function loadIndex(resources: readonly unknown[], flattened: boolean): ModelIndex {
  return buildModelIndex(normalizeArm([{ fileName: 'pool.json', json: flattened ? resources.map(flattenRest) : resources }]).model);
}

describe('backend pool membership from both sides', () => {
  for (const flattened of [false, true]) {
    for (const side of ['lb', 'nic', 'both'] as const) {
      it(`finds the member and its outbound rule when ${side === 'both' ? 'both sides list' : `only the ${side.toUpperCase()} lists`} it (${flattened ? 'az-flattened' : 'REST'})`, () => {
        const index = loadIndex(poolEstate(side), flattened);
        const poolId = toResourceId(`${NET}/loadBalancers/lb-out/backendAddressPools/pool`);
        const configId = toResourceId(`${NET}/networkInterfaces/vm1-nic/ipConfigurations/ipconfig1`);
        expect(index.poolMembers(poolId)).toEqual([configId]);
        const nic = index.networkInterfaces.get(toResourceId(`${NET}/networkInterfaces/vm1-nic`));
        const subnet = index.subnets.get(toResourceId(`${NET}/virtualNetworks/spoke/subnets/app`));
        if (!nic || !subnet) throw new Error('fixture');
        const config = nic.ipConfigurations[0] ?? null;
        if (!config) throw new Error('fixture');
        expect(index.poolsOfIpConfiguration(config).map((p) => p.pool.id)).toEqual([poolId]);
        // The NIC's egress differs from its subnet's (it is in a pool), whichever side says so.
        expect(index.subnetNicsWithOwnEgress.get(subnet.id)?.map((n) => n.name)).toEqual(['vm1-nic']);
        const method = chooseOutboundMethod(index, subnet, { kind: 'nic', nic, ipConfiguration: config }, 'Tcp');
        expect(method.kind).toBe('lb-outbound-rule');
        expect(methodEgress(index, method).egressIps).toEqual(['20.0.0.9']);
      });
    }
  }

  it('pool size (default SNAT ports) counts members listed on either side, once', () => {
    const b = new ModelBuilder();
    const vnet = b.vnet('spoke', ['10.1.0.0/16']);
    const app = b.subnet(vnet, 'app', '10.1.1.0/24');
    const pip = b.publicIp('lb-pip', '20.0.0.1');
    const lbId = b.loadBalancer('lb', {
      frontends: [{ name: 'fe', publicIpId: pip }], pools: [{ name: 'pool' }],
      outboundRules: [{ name: 'out', frontends: ['fe'], pool: 'pool' }],
      // One member listed only by the LB (its NIC does not list the pool).
      lbListedMembers: { pool: [toResourceId('/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/rg-net/providers/microsoft.network/networkinterfaces/lb-only/ipconfigurations/ipconfig1')] },
    });
    const poolId = ModelBuilder.poolId(lbId, 'pool');
    b.nic(app, 'lb-only', '10.1.1.5');
    b.nic(app, 'nic-side', '10.1.1.6', { poolIds: [poolId] });
    const index = buildModelIndex(b.build());
    expect(index.poolMembers(poolId)).toHaveLength(2);
  });
});

/**
 * Property: whatever the topology (loops, dangling next hops, chains of NVAs, firewalls, gateways,
 * vWAN, captured routes that disagree), resolveEgress never throws, terminates, and gives exactly
 * one path per subnet plus at most one per NIC.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../../shared/egress/types';
import type { ResourceId } from '../../../shared/model/ids';
import { effectiveRoute, ModelBuilder, networkRule, securityRule } from '../../support/model-builder';
import { resolve } from './support';
import { explainPath } from '../../../shared/egress/explain';
import { VERDICTS as VERDICT_LABELS } from '../../../shared/egress/types';
import { terminalOf, verdictOf } from '../../../shared/egress/steps';

const INTERNET_EXITS = ['nat-gateway', 'public-ip', 'load-balancer', 'default-outbound'];
const PRIVATE_EXITS = ['virtual-network', 'peering', 'private-endpoint', 'service-endpoint'];

const NEXT_HOPS = ['Internet', 'None', 'VirtualAppliance', 'VirtualNetworkGateway', 'VnetLocal', 'Bogus'] as const;
const VERDICTS = Object.keys(VERDICT_LABELS) as readonly Verdict[];

const routeArb = fc.record({
  prefix: fc.constantFrom('0.0.0.0/0', '8.8.8.0/24', '20.0.0.0/8', '10.0.0.0/8', 'AzureCloud', 'not-a-prefix'),
  nextHop: fc.constantFrom(...NEXT_HOPS),
  /** Index into the appliance IPs (NVAs, firewall, unowned). */
  target: fc.nat(9),
});

const subnetArb = fc.record({
  routes: fc.array(routeArb, { maxLength: 3 }),
  nat: fc.boolean(),
  private: fc.boolean(),
  nsgDeny: fc.boolean(),
  nics: fc.array(fc.record({ pip: fc.boolean(), forwarding: fc.boolean(), flexible: fc.boolean(), pool: fc.boolean(), nsg: fc.boolean() }), { maxLength: 3 }),
});

const estateArb = fc.record({
  vnets: fc.array(fc.array(subnetArb, { minLength: 0, maxLength: 4 }), { minLength: 1, maxLength: 4 }),
  peerAll: fc.boolean(),
  firewall: fc.boolean(),
  gateway: fc.constantFrom('none', 'Vpn', 'ExpressRoute'),
  hub: fc.boolean(),
  capture: fc.option(fc.record({ nextHop: fc.constantFrom(...NEXT_HOPS), target: fc.nat(9) })),
  destination: fc.constantFrom(undefined, '8.8.8.8', '20.1.2.3', '10.0.0.1', '2001:db8::1'),
});

type Estate = typeof estateArb extends fc.Arbitrary<infer T> ? T : never;

function build(estate: Estate) {
  const b = new ModelBuilder();
  const vnets = estate.vnets.map((_, v) => b.vnet(`v${v}`, [`10.${v}.0.0/16`]));
  const applianceIps: string[] = ['10.9.9.9'];
  const nics: ResourceId[] = [];
  const lb = b.loadBalancer('lb', { frontends: [{ name: 'fe', publicIpId: b.publicIp('lb-pip', '20.2.2.2') }], pools: [{ name: 'pool' }], outboundRules: [{ name: 'out', frontends: ['fe'], pool: 'pool' }] });
  const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.9.9.9')] });
  const nsg = b.nsg('deny', [securityRule('deny-internet', 100, 'Deny', 'Internet')]);
  if (estate.firewall && vnets[0]) {
    const fwSubnet = b.subnet(vnets[0], 'AzureFirewallSubnet', '10.0.250.0/26');
    b.firewall('fw', { subnetId: fwSubnet, privateIp: '10.0.250.4', publicIpIds: [b.publicIp('fw-pip', '20.0.0.10')], rules: [networkRule('web')] });
    applianceIps.push('10.0.250.4');
  }
  if (estate.gateway !== 'none' && vnets[0]) b.gateway('gw', vnets[0], { type: estate.gateway });
  if (estate.peerAll) for (let i = 1; i < vnets.length; i++) b.peer(vnets[i] as ResourceId, vnets[0] as ResourceId, { useRemoteGateways: i === 1 });
  if (estate.hub && vnets.length > 1) {
    const fw = b.firewall('hub-fw', { hubId: '/hub' as ResourceId, hubPublicIps: ['20.8.8.8'], rules: [networkRule('web')] });
    b.virtualHub('hub', { firewallId: fw, internetPolicy: true, connections: [{ vnetId: vnets[vnets.length - 1] as ResourceId, enableInternetSecurity: true }] });
  }
  estate.vnets.forEach((subnets, v) => subnets.forEach((spec, s) => {
    const prefix = `10.${v}.${s}`;
    subnets.forEach((_, k) => applianceIps.push(`10.${v}.${k}.4`));
    const rt = spec.routes.length > 0 ? b.routeTable(`rt-${v}-${s}`, spec.routes.map((r, i) => ({
      name: `r${i}`, prefix: r.prefix, nextHopType: r.nextHop, nextHopIp: r.nextHop === 'VirtualAppliance' ? applianceIps[r.target % applianceIps.length] : undefined,
    }))) : undefined;
    const subnet = b.subnet(vnets[v] as ResourceId, `s${s}`, `${prefix}.0/24`, {
      routeTableId: rt, natGatewayId: spec.nat ? nat : undefined, defaultOutboundAccess: spec.private ? false : null, networkSecurityGroupId: spec.nsgDeny ? nsg : undefined,
    });
    spec.nics.forEach((n, k) => nics.push(b.nic(subnet, `nic-${v}-${s}-${k}`, `${prefix}.${4 + k}`, {
      ipForwarding: n.forwarding, flexibleScaleSetMember: n.flexible, nsgId: n.nsg ? nsg : undefined,
      publicIpId: n.pip ? b.publicIp(`pip-${v}-${s}-${k}`, `52.${v}.${s}.${k}`) : undefined, poolIds: n.pool ? [ModelBuilder.poolId(lb, 'pool')] : [],
    })));
  }));
  const first = nics[0];
  const effectiveRoutes = estate.capture && first ? [{ networkInterfaceId: first, routes: [effectiveRoute('0.0.0.0/0', estate.capture.nextHop, {
    source: 'User', nextHopIpAddresses: [applianceIps[estate.capture.target % applianceIps.length] ?? ''],
  })] }] : [];
  return { model: b.build(), effectiveRoutes };
}

describe('resolveEgress on random topologies', () => {
  it('always terminates with exactly one path per subnet, at most one per NIC, valid verdicts, and never throws', () => {
    fc.assert(fc.property(estateArb, (estate) => {
      const { model, effectiveRoutes } = build(estate);
      const result = resolve(model, { destination: estate.destination }, { effectiveRoutes });
      const subnetPaths = result.paths.filter((p) => p.source.type === 'subnet').map((p) => p.source.id);
      expect([...subnetPaths].sort()).toEqual(model.subnets.map((s) => s.id).sort());
      const nicPaths = result.paths.filter((p) => p.source.type === 'nic').map((p) => p.source.id);
      expect(new Set(nicPaths).size).toBe(nicPaths.length);
      for (const path of result.paths) {
        expect(VERDICTS).toContain(path.verdict);
        expect(explainPath(path)[0]?.kind).toBe('source');
        expect(path.via.length).toBeLessThanOrEqual(10);
        if (path.verdict !== 'internet') expect(path.egressIps).toEqual([]);
        // The verdict comes from the terminal step, and only from it: steps and verdict cannot disagree.
        const terminal = terminalOf(path.steps);
        expect(path.steps.filter((step) => step.kind === 'terminal')).toHaveLength(1);
        expect(path.verdict).toBe(verdictOf(terminal.reason));
        if (path.verdict === 'internet') expect(INTERNET_EXITS).toContain(path.exit);
        else if (path.verdict === 'private') expect(PRIVATE_EXITS).toContain(path.exit);
        else expect(path.exit).toBeNull();
      }
      expect(JSON.stringify(resolve(model, { destination: estate.destination }, { effectiveRoutes }))).toBe(JSON.stringify(result));
    }), { numRuns: 150, seed: 42 });
  });
});

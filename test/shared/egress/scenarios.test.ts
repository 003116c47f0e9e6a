/**
 * The test scenarios of the egress rules reference (§13), one topology per story: 1–38 and 40–51
 * here (37 and 38 as one test); 44 and 45 (App Service Route All) in delegated-subnets.test.ts.
 *
 * Scenarios NOT covered, and why (known limits):
 *   39      ACA consumption-only environments: the model has no ACA environment metadata, so
 *           service-managed egress is not represented.
 *   52      Secondary IP configurations: a NIC entry describes its primary IP configuration only
 *           (a VM with any configuration in a Standard public LB pool is `unknown` for the others).
 * Covered in part:
 *   15      Application rules decide by name: for the default route the answer is "internet,
 *           restricted to these FQDNs"; a what-if to an IP alone is `unknown`, naming the FQDNs.
 *   37, 38  An IPv6 destination is `unknown` with a `not-modelled` gap; StandardV2 NAT / LB IPv6
 *           outbound rules are not evaluated.
 *   40-43   ACA/AKS intent (`outboundType`, environment type) is not read; the scenarios are covered
 *           through the resources they create (delegated subnet + NAT, UDR to a firewall, LB rule).
 *   44, 45  Route All is a setting of each app, not in the input: for a destination that is not
 *           RFC 1918 the integration subnet is `unknown`, naming Route All and both answers.
 *   46      Service-endpoint routes come from captured effective routes; from configuration alone
 *           the route is listed by service name, and a what-if on a Storage IP follows the others.
 *   47      A private destination is delivered over the peering or inside the VNet (`private`), or
 *           dropped by the system None route when no VNet of the estate holds it.
 */
import { describe, expect, it } from 'vitest';
import type { ResourceId } from '../../../shared/model/ids';
import { applicationRule, effectiveRoute, ModelBuilder, networkRule, securityRule } from '../../support/model-builder';
import { explanations, pathOf, resolve, summary } from './support';
import { explainPath } from '../../../shared/egress/explain';

const FW_IP = '10.0.1.4';

/** Hub 10.0.0.0/16 with AzureFirewallSubnet + firewall (1 PIP, policy allowing TCP 443 to *), spoke 10.1.0.0/16 peered. */
function hubAndSpoke(opts: { rules?: Parameters<ModelBuilder['firewallPolicy']>[1]; fwNat?: boolean } = {}) {
  const b = new ModelBuilder();
  const hub = b.vnet('hub', ['10.0.0.0/16']);
  const spoke = b.vnet('spoke', ['10.1.0.0/16']);
  b.peer(spoke, hub);
  const fwNatPips = opts.fwNat ? [b.publicIp('fw-nat-pip-1', '20.0.1.1'), b.publicIp('fw-nat-pip-2', '20.0.1.2')] : [];
  const fwNat = opts.fwNat ? b.natGateway('fw-nat', { publicIpIds: fwNatPips }) : undefined;
  const fwSubnet = b.subnet(hub, 'AzureFirewallSubnet', '10.0.1.0/26', { natGatewayId: fwNat });
  const fwPip = b.publicIp('fw-pip', '20.0.0.10');
  const policy = b.firewallPolicy('fw-policy', opts.rules ?? [networkRule('allow-https')]);
  const fw = b.firewall('fw', { subnetId: fwSubnet, privateIp: FW_IP, publicIpIds: [fwPip], policyId: policy });
  return { b, hub, spoke, fwSubnet, fw, fwPip, policy, fwNat };
}

describe('egress scenarios (egress-rules.md §13)', () => {
  it('scenario 1: no RT, no NAT, no PIP → default outbound access (warning)', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24');
    b.nic(s, 'vm1-nic', '10.0.1.4');
    const result = resolve(b.build());
    expect(result.paths).toHaveLength(1);
    expect(summary(pathOf(result, s))).toEqual({
      verdict: 'internet', exit: 'default-outbound', via: [], egressIps: [], snatPorts: null,
      hops: ['source', 'route', 'default-outbound', 'internet'], findings: ['default-outbound'],
    });
  });

  it('scenario 2: private subnet (DOA=false) with no method → no outbound (error)', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24', { defaultOutboundAccess: false });
    b.nic(s, 'vm1-nic', '10.0.1.4');
    const path = pathOf(resolve(b.build()), s);
    expect(summary(path)).toEqual({ verdict: 'no-outbound', exit: null, via: [], egressIps: [], snatPorts: null, hops: ['source', 'route', 'drop'], findings: ['no-outbound'] });
    expect(path.findings[0]?.severity).toBe('error');
  });

  it('scenario 3: NAT gateway with 2 PIPs → NAT, 129,024 SNAT ports', () => {
    const b = new ModelBuilder();
    const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('p1', '20.1.1.1'), b.publicIp('p2', '20.1.1.2')] });
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24', { natGatewayId: nat });
    expect(summary(pathOf(resolve(b.build()), s))).toEqual({
      verdict: 'internet', exit: 'nat-gateway', via: [], egressIps: ['20.1.1.1', '20.1.1.2'], snatPorts: 129_024,
      hops: ['source', 'route', 'nat-gateway', 'internet'], findings: [],
    });
  });

  it('scenario 4: NAT gateway and an instance PIP → outbound uses the NAT gateway (no separate NIC entry)', () => {
    const b = new ModelBuilder();
    const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('p1', '20.1.1.1')] });
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24', { natGatewayId: nat });
    b.nic(s, 'vm1-nic', '10.0.1.4', { publicIpId: b.publicIp('vm-pip', '52.0.0.1') });
    const result = resolve(b.build());
    expect(result.paths.map((p) => p.source.type)).toEqual(['subnet']);
    expect(summary(pathOf(result, s)).egressIps).toEqual(['20.1.1.1']);
  });

  it('scenario 5: instance PIP beats the LB outbound rule', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24');
    const lb = b.loadBalancer('lb', { frontends: [{ name: 'fe', publicIpId: b.publicIp('lb-pip', '20.2.2.2') }], pools: [{ name: 'pool' }],
      outboundRules: [{ name: 'out', frontends: ['fe'], pool: 'pool' }] });
    const nic = b.nic(s, 'vm1-nic', '10.0.1.4', { publicIpId: b.publicIp('vm-pip', '52.0.0.1'), poolIds: [ModelBuilder.poolId(lb, 'pool')] });
    // An instance-level public IP is a stateless 1:1 NAT, no SNAT: no port count [LBOUT].
    expect(summary(pathOf(resolve(b.build()), nic))).toEqual({
      verdict: 'internet', exit: 'public-ip', via: [], egressIps: ['52.0.0.1'], snatPorts: null, hops: ['source', 'route', 'public-ip', 'internet'], findings: [],
    });
  });

  it('scenario 6: LB outbound rule with 2 frontends and 12,800 ports per instance', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24');
    const lb = b.loadBalancer('lb', {
      frontends: [{ name: 'fe1', publicIpId: b.publicIp('lb-pip1', '20.2.2.1') }, { name: 'fe2', publicIpId: b.publicIp('lb-pip2', '20.2.2.2') }],
      pools: [{ name: 'pool' }], outboundRules: [{ name: 'out', frontends: ['fe1', 'fe2'], pool: 'pool', allocatedOutboundPorts: 12_800 }],
    });
    const nics = Array.from({ length: 10 }, (_, i) => b.nic(s, `vm${i}-nic`, `10.0.1.${10 + i}`, { poolIds: [ModelBuilder.poolId(lb, 'pool')] }));
    const result = resolve(b.build());
    expect(result.paths).toHaveLength(11);
    for (const nic of nics) {
      expect(summary(pathOf(result, nic))).toEqual({
        verdict: 'internet', exit: 'load-balancer', via: [], egressIps: ['20.2.2.1', '20.2.2.2'], snatPorts: 12_800, hops: ['source', 'route', 'load-balancer', 'internet'], findings: [],
      });
    }
  });

  it('scenario 7: LB rule implicit SNAT, pool of 60, one frontend → 512 ports (default table)', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24');
    const lb = b.loadBalancer('lb', { frontends: [{ name: 'fe', publicIpId: b.publicIp('lb-pip', '20.2.2.2') }], pools: [{ name: 'pool' }],
      rules: [{ name: 'https', frontend: 'fe', pool: 'pool' }] });
    const nics = Array.from({ length: 60 }, (_, i) => b.nic(s, `vm${String(i).padStart(2, '0')}-nic`, `10.0.1.${10 + i}`, { poolIds: [ModelBuilder.poolId(lb, 'pool')] }));
    const path = pathOf(resolve(b.build()), nics[0] as ResourceId);
    expect(summary(path)).toEqual({ verdict: 'internet', exit: 'load-balancer', via: [], egressIps: ['20.2.2.2'], snatPorts: 512, hops: ['source', 'route', 'load-balancer', 'internet'], findings: [] });
    expect(explainPath(path)[2]?.rule).toContain('implicit SNAT');
  });

  it('scenario 8: disableOutboundSnat=true, no outbound rule, private subnet → no outbound', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24', { defaultOutboundAccess: false });
    const lb = b.loadBalancer('lb', { frontends: [{ name: 'fe', publicIpId: b.publicIp('lb-pip', '20.2.2.2') }], pools: [{ name: 'pool' }],
      rules: [{ name: 'https', frontend: 'fe', pool: 'pool', disableOutboundSnat: true }] });
    b.nic(s, 'vm1-nic', '10.0.1.4', { poolIds: [ModelBuilder.poolId(lb, 'pool')] });
    const result = resolve(b.build());
    // The NIC's path equals the subnet's (no outbound), so it gets no entry of its own.
    expect(result.paths.map((p) => summary(p).verdict)).toEqual(['no-outbound']);
  });

  it('scenario 9: internal Standard LB pool only, private subnet → no outbound', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24', { defaultOutboundAccess: false });
    const lb = b.loadBalancer('ilb', { frontends: [{ name: 'fe', privateIp: '10.0.1.100', subnetId: s }], pools: [{ name: 'pool' }], rules: [{ name: 'r', frontend: 'fe', pool: 'pool' }] });
    const nic = b.nic(s, 'vm1-nic', '10.0.1.4', { poolIds: [ModelBuilder.poolId(lb, 'pool')] });
    const result = resolve(b.build());
    expect(result.paths.map((p) => p.source.id)).toEqual([s]);
    expect(result.paths.some((p) => p.source.id === nic)).toBe(false);
    expect(pathOf(result, s).verdict).toBe('no-outbound');
  });

  it('scenario 10: IP-based backend pool with an outbound rule → default outbound, finding ip-based-backend-pool', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24');
    b.loadBalancer('lb', { frontends: [{ name: 'fe', publicIpId: b.publicIp('lb-pip', '20.2.2.2') }], pools: [{ name: 'pool', ipAddresses: ['10.0.1.4'] }],
      outboundRules: [{ name: 'out', frontends: ['fe'], pool: 'pool' }] });
    b.nic(s, 'vm1-nic', '10.0.1.4');
    const result = resolve(b.build());
    expect(summary(pathOf(result, s)).exit).toBe('default-outbound');
    expect(result.findings.map((f) => f.code)).toEqual(['ip-based-backend-pool']);
  });

  it('scenario 11: UDR 0/0 → Azure Firewall (policy allows 443 to *) → firewall PIP, 4,992 ports', () => {
    const { b, spoke, fw } = hubAndSpoke();
    const rt = b.routeTable('rt', [{ name: 'to-fw', prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: FW_IP }]);
    const s = b.subnet(spoke, 'app', '10.1.1.0/24', { routeTableId: rt });
    const path = pathOf(resolve(b.build()), s);
    expect(summary(path)).toEqual({
      verdict: 'internet', exit: 'public-ip', via: [fw], egressIps: ['20.0.0.10'], snatPorts: 4_992,
      hops: ['source', 'route', 'azure-firewall', 'firewall-rule', 'route', 'public-ip', 'internet'], findings: [],
    });
    expect(explainPath(path)[1]?.rule).toBe('UDR to-fw 0.0.0.0/0 → VirtualAppliance 10.0.1.4');
    expect(explainPath(path)[1]?.explanation).toContain('same prefix: a user-defined route beats a system route');
  });

  it('scenario 12: UDR to the firewall and a NAT gateway on the subnet → via firewall, nat-gateway-bypassed', () => {
    const { b, spoke, fw } = hubAndSpoke();
    const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: FW_IP }]);
    const nat = b.natGateway('spoke-nat', { publicIpIds: [b.publicIp('spoke-nat-pip', '20.9.9.9')] });
    const s = b.subnet(spoke, 'app', '10.1.1.0/24', { routeTableId: rt, natGatewayId: nat });
    const path = pathOf(resolve(b.build()), s);
    expect(summary(path)).toMatchObject({ verdict: 'internet', via: [fw], egressIps: ['20.0.0.10'], findings: ['nat-gateway-bypassed'] });
  });

  it('scenario 13: NAT gateway on AzureFirewallSubnet → firewall, then the NAT gateway IPs', () => {
    const { b, spoke, fw, fwNat } = hubAndSpoke({ fwNat: true });
    const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: FW_IP }]);
    const s = b.subnet(spoke, 'app', '10.1.1.0/24', { routeTableId: rt });
    const path = pathOf(resolve(b.build()), s);
    expect(summary(path)).toEqual({
      verdict: 'internet', exit: 'nat-gateway', via: [fw], egressIps: ['20.0.1.1', '20.0.1.2'], snatPorts: 129_024,
      hops: ['source', 'route', 'azure-firewall', 'firewall-rule', 'route', 'nat-gateway', 'internet'], findings: [],
    });
    expect(explainPath(path)[5]?.id).toBe(fwNat);
  });

  it('scenario 14: firewall policy with no matching rule → denied (firewall-default-deny)', () => {
    const { b, spoke, fw } = hubAndSpoke({ rules: [networkRule('dns-only', { protocols: ['UDP'], destinationPorts: ['53'] })] });
    const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: FW_IP }]);
    const s = b.subnet(spoke, 'app', '10.1.1.0/24', { routeTableId: rt });
    expect(summary(pathOf(resolve(b.build()), s))).toEqual({
      verdict: 'denied', exit: null, via: [fw], egressIps: [], snatPorts: null,
      hops: ['source', 'route', 'azure-firewall', 'firewall-rule', 'drop'], findings: ['firewall-default-deny'],
    });
  });

  it('scenario 15: application rule allows *.contoso.com only → internet restricted to that FQDN', () => {
    const { b, spoke } = hubAndSpoke({ rules: [applicationRule('contoso', ['*.contoso.com'])] });
    const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: FW_IP }]);
    const s = b.subnet(spoke, 'app', '10.1.1.0/24', { routeTableId: rt });
    const path = pathOf(resolve(b.build()), s);
    expect(summary(path)).toMatchObject({ verdict: 'internet', exit: 'public-ip', egressIps: ['20.0.0.10'] });
    expect(explainPath(path)[3]?.rule).toBe('Rules app/contoso Allow FQDNs only');
    expect(explainPath(path).at(-1)?.explanation).toContain('Only these destinations are allowed by the rules on the path: *.contoso.com');
  });

  // Application rules match the name (SNI / Host header), which an IP does not tell: the verdict is
  // unknown, naming the FQDNs that would pass, never a confident denial
  // https://learn.microsoft.com/azure/firewall/rule-processing
  it('scenario 15 (what-if to an IP): FQDN-only rules decide by name, so an IP alone is unknown, naming the FQDNs', () => {
    const { b, spoke, fw } = hubAndSpoke({ rules: [applicationRule('contoso', ['*.contoso.com'])] });
    const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: FW_IP }]);
    const s = b.subnet(spoke, 'app', '10.1.1.0/24', { routeTableId: rt });
    const path = pathOf(resolve(b.build(), { destination: '93.184.215.14' }), s);
    expect(summary(path)).toEqual({
      verdict: 'unknown', exit: null, via: [fw], egressIps: [], snatPorts: null,
      hops: ['source', 'route', 'azure-firewall', 'firewall-rule', 'drop'], findings: [],
    });
    expect(explainPath(path)[3]?.rule).toBe('Rules app/contoso Allow FQDNs only: the name decides for 93.184.215.14');
    expect(explainPath(path)[4]?.explanation).toContain('only to *.contoso.com');
  });

  function scenario16(withNat: boolean) {
    const { b, spoke, fw } = hubAndSpoke();
    const rt = b.routeTable('rt', [
      { name: 'to-fw', prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: FW_IP },
      { name: 'bypass', prefix: '20.50.0.0/16', nextHopType: 'Internet' },
    ]);
    const nat = withNat ? b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.9.9.9')] }) : undefined;
    const s = b.subnet(spoke, 'app', '10.1.1.0/24', { routeTableId: rt, natGatewayId: nat, defaultOutboundAccess: withNat ? null : false });
    return { model: b.build(), s, fw };
  }

  it('scenario 16: 0/0 → firewall plus 20.50.0.0/16 → Internet with NAT: 20.50.x.x through NAT, the rest through the firewall', () => {
    const { model, s, fw } = scenario16(true);
    expect(summary(pathOf(resolve(model, { destination: '20.50.1.1' }), s))).toEqual({
      verdict: 'internet', exit: 'nat-gateway', via: [], egressIps: ['20.9.9.9'], snatPorts: 64_512, hops: ['source', 'route', 'nat-gateway', 'internet'], findings: [],
    });
    expect(summary(pathOf(resolve(model, { destination: '8.8.8.8' }), s))).toMatchObject({ verdict: 'internet', via: [fw], egressIps: ['20.0.0.10'], findings: ['nat-gateway-bypassed'] });
  });

  it('scenario 17: as 16 without NAT in a private subnet → 20.50.x.x has no outbound (private-subnet-internet-udr)', () => {
    const { model, s, fw } = scenario16(false);
    expect(summary(pathOf(resolve(model, { destination: '20.50.1.1' }), s))).toEqual({
      verdict: 'no-outbound', exit: null, via: [], egressIps: [], snatPorts: null, hops: ['source', 'route', 'drop'], findings: ['no-outbound', 'private-subnet-internet-udr'],
    });
    expect(pathOf(resolve(model, { destination: '8.8.8.8' }), s).via.map((v) => v.id)).toEqual([fw]);
  });

  it('scenario 18: UDR 0/0 → None → dropped', () => {
    const b = new ModelBuilder();
    const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'None' }]);
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24', { routeTableId: rt });
    expect(summary(pathOf(resolve(b.build()), s))).toEqual({ verdict: 'dropped', exit: null, via: [], egressIps: [], snatPorts: null, hops: ['source', 'route', 'drop'], findings: [] });
  });

  it('scenario 19: 8.8.8.0/24 → None with NAT: 8.8.8.8 dropped, 1.1.1.1 through NAT', () => {
    const b = new ModelBuilder();
    const rt = b.routeTable('rt', [{ prefix: '8.8.8.0/24', nextHopType: 'None' }]);
    const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.9.9.9')] });
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24', { routeTableId: rt, natGatewayId: nat });
    const model = b.build();
    expect(pathOf(resolve(model, { destination: '8.8.8.8' }), s).verdict).toBe('dropped');
    expect(summary(pathOf(resolve(model, { destination: '1.1.1.1' }), s))).toMatchObject({ verdict: 'internet', exit: 'nat-gateway', egressIps: ['20.9.9.9'] });
    // The default-route view is unaffected by the more specific /24.
    expect(pathOf(resolve(model), s).exit).toBe('nat-gateway');
  });

  it('scenario 20: UDR to an IP nobody owns → dropped, next-hop-unreachable', () => {
    const b = new ModelBuilder();
    const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.9.9.9' }]);
    const s = b.subnet(b.vnet('v', ['10.0.0.0/8']), 'app', '10.0.1.0/24', { routeTableId: rt });
    // The VNet's NICs were read (the workload's own), and none owns 10.9.9.9.
    b.nic(s, 'vm-app-nic', '10.0.1.4');
    const path = pathOf(resolve(b.build()), s);
    expect(summary(path)).toEqual({ verdict: 'dropped', exit: null, via: [], egressIps: [], snatPorts: null, hops: ['source', 'route', 'drop'], findings: ['next-hop-unreachable'] });
    expect(explainPath(path)[2]?.explanation).toContain('UNCONFIRMED');
  });

  it('scenario 20, partial input: VNets and route tables exported without NICs, firewalls or load balancers → unknown, not dropped', () => {
    const b = new ModelBuilder();
    const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.9.9.9' }]);
    const v = b.vnet('v', ['10.0.0.0/8']);
    const s = b.subnet(v, 'app', '10.0.1.0/24', { routeTableId: rt });
    const result = resolve(b.build());
    const path = pathOf(result, s);
    expect(summary(path)).toMatchObject({ verdict: 'unknown', findings: [] });
    expect(explainPath(path).at(-1)?.rule).toBe('Not in the snapshot: the NICs, firewalls and internal load balancers of virtual network v (none is in the input; one of them owns next hop 10.9.9.9)');
    expect(result.gaps).toContainEqual(expect.objectContaining({ code: 'missing-reference', scope: v }));
  });

  it('scenario 21: NVA NIC without IP forwarding → dropped, nva-ip-forwarding-disabled', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const nvaSubnet = b.subnet(v, 'nva', '10.0.2.0/24');
    const nva = b.nic(nvaSubnet, 'nva-nic', '10.0.2.4', { ipForwarding: false });
    const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.2.4' }]);
    const s = b.subnet(v, 'app', '10.0.1.0/24', { routeTableId: rt });
    const path = pathOf(resolve(b.build()), s);
    expect(summary(path)).toEqual({ verdict: 'dropped', exit: null, via: [], egressIps: [], snatPorts: null, hops: ['source', 'route', 'drop'], findings: ['nva-ip-forwarding-disabled'] });
    expect(path.findings[0]?.resourceIds).toEqual([nva]);
  });

  it('scenario 22: spoke → hub NVA (IP forwarding) whose subnet has a NAT gateway → NVA then NAT', () => {
    const b = new ModelBuilder();
    const hub = b.vnet('hub', ['10.100.0.0/16']);
    const spoke = b.vnet('spoke', ['10.1.0.0/16']);
    b.peer(spoke, hub);
    const nat = b.natGateway('hub-nat', { publicIpIds: [b.publicIp('hub-nat-pip', '20.7.7.7')] });
    const nvaSubnet = b.subnet(hub, 'nva', '10.100.0.0/24', { natGatewayId: nat });
    const nva = b.nic(nvaSubnet, 'nva-nic', '10.100.0.4', { ipForwarding: true });
    const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.100.0.4' }]);
    const s = b.subnet(spoke, 'app', '10.1.1.0/24', { routeTableId: rt });
    expect(summary(pathOf(resolve(b.build()), s))).toEqual({
      verdict: 'internet', exit: 'nat-gateway', via: [nva], egressIps: ['20.7.7.7'], snatPorts: 64_512,
      hops: ['source', 'route', 'virtual-appliance', 'route', 'nat-gateway', 'internet'], findings: [],
    });
  });

  function vpnEstate(rtOptions: { routes?: Parameters<ModelBuilder['routeTable']>[1]; disableBgp?: boolean } | null) {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    b.subnet(v, 'GatewaySubnet', '10.0.255.0/27');
    const gw = b.gateway('vpn', v);
    const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.9.9.9')] });
    const rt = rtOptions ? b.routeTable('rt', rtOptions.routes ?? [], { disableBgpRoutePropagation: rtOptions.disableBgp ?? false }) : undefined;
    const s = b.subnet(v, 'app', '10.0.1.0/24', { natGatewayId: nat, routeTableId: rt });
    // BGP 0/0 learned from on-premises, seen in the effective routes of a NIC in another subnet.
    const other = b.subnet(v, 'other', '10.0.2.0/24');
    const otherNic = b.nic(other, 'other-nic', '10.0.2.4');
    const effectiveRoutes = [{ networkInterfaceId: otherNic, routes: [
      effectiveRoute('10.0.0.0/16', 'VnetLocal'),
      effectiveRoute('0.0.0.0/0', 'Internet', { state: 'Invalid' }),
      effectiveRoute('0.0.0.0/0', 'VirtualNetworkGateway', { source: 'VirtualNetworkGateway', nextHopIpAddresses: ['10.0.255.4'] }),
    ] }];
    return { model: b.build(), s, other, gw, effectiveRoutes };
  }

  it('scenario 23: VPN gateway learns 0/0 over BGP, NAT on S → forced tunnel to on-premises, NAT unused', () => {
    const { model, s, other, gw, effectiveRoutes } = vpnEstate(null);
    const result = resolve(model, {}, { effectiveRoutes });
    expect(summary(pathOf(result, s))).toEqual({
      verdict: 'on-premises', exit: null, via: [], egressIps: [], snatPorts: null,
      hops: ['source', 'route', 'virtual-network-gateway', 'on-premises'], findings: ['forced-tunnel', 'nat-gateway-bypassed'],
    });
    expect(explainPath(pathOf(result, s))[2]?.id).toBe(gw);
    // The captured subnet itself uses its captured routes: same answer.
    expect(pathOf(result, other).verdict).toBe('on-premises');
  });

  it('scenario 24: as 23 with route propagation disabled on S → NAT gateway', () => {
    const { model, s, effectiveRoutes } = vpnEstate({ disableBgp: true });
    expect(summary(pathOf(resolve(model, {}, { effectiveRoutes }), s))).toMatchObject({ verdict: 'internet', exit: 'nat-gateway', egressIps: ['20.9.9.9'], findings: [] });
  });

  it('scenario 25: as 23 with a UDR 0/0 → Internet (propagation on) → NAT gateway (UDR beats BGP)', () => {
    const { model, s, effectiveRoutes } = vpnEstate({ routes: [{ name: 'direct', prefix: '0.0.0.0/0', nextHopType: 'Internet' }] });
    const path = pathOf(resolve(model, {}, { effectiveRoutes }), s);
    expect(summary(path)).toMatchObject({ verdict: 'internet', exit: 'nat-gateway', findings: [] });
    expect(explainPath(path)[1]?.explanation).toContain('same prefix: a user-defined route beats a BGP route');
  });

  it('scenario 26: ExpressRoute in the hub advertises 0/0, spoke uses remote gateways → on-premises through ER', () => {
    const b = new ModelBuilder();
    const hub = b.vnet('hub', ['10.0.0.0/16']);
    const spoke = b.vnet('spoke', ['10.1.0.0/16']);
    b.peer(spoke, hub, { useRemoteGateways: true });
    b.subnet(hub, 'GatewaySubnet', '10.0.255.0/27');
    const er = b.gateway('er', hub, { type: 'ExpressRoute' });
    const hubSubnet = b.subnet(hub, 'shared', '10.0.1.0/24');
    const hubNic = b.nic(hubSubnet, 'hub-nic', '10.0.1.4');
    const s = b.subnet(spoke, 'app', '10.1.1.0/24');
    const effectiveRoutes = [{ networkInterfaceId: hubNic, routes: [effectiveRoute('0.0.0.0/0', 'VirtualNetworkGateway', { source: 'VirtualNetworkGateway', nextHopIpAddresses: ['10.0.255.12'] })] }];
    const path = pathOf(resolve(b.build(), {}, { effectiveRoutes }), s);
    expect(summary(path)).toEqual({ verdict: 'on-premises', exit: null, via: [], egressIps: [], snatPorts: null, hops: ['source', 'route', 'virtual-network-gateway', 'on-premises'], findings: ['forced-tunnel'] });
    expect(explainPath(path)[2]).toMatchObject({ id: er, rule: 'ExpressRoute gateway er' });
    expect(explainPath(path)[2]?.explanation).toContain('gateway transit');
  });

  it('scenario 27: GatewayDefaultSite: Frontend (UDR 0/0 → Internet) goes direct, Backend is forced on-premises', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    b.gateway('vpn', v, { defaultSiteId: '/subscriptions/x/resourcegroups/rg/providers/microsoft.network/localnetworkgateways/hq' as ResourceId });
    const rt = b.routeTable('rt-frontend', [{ prefix: '0.0.0.0/0', nextHopType: 'Internet' }]);
    const frontend = b.subnet(v, 'Frontend', '10.0.1.0/24', { routeTableId: rt });
    const backend = b.subnet(v, 'Backend', '10.0.2.0/24');
    const result = resolve(b.build());
    expect(summary(pathOf(result, frontend))).toMatchObject({ verdict: 'internet', exit: 'default-outbound' });
    expect(summary(pathOf(result, backend))).toMatchObject({ verdict: 'on-premises', findings: ['forced-tunnel'] });
    expect(explainPath(pathOf(result, backend))[2]?.explanation).toContain('GatewayDefaultSite');
  });

  it('scenario 28: UDR 0/0 → VirtualNetworkGateway with only an ExpressRoute gateway → unknown, unsupported-udr-gateway', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    b.gateway('er', v, { type: 'ExpressRoute' });
    const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualNetworkGateway' }]);
    const s = b.subnet(v, 'app', '10.0.1.0/24', { routeTableId: rt });
    expect(summary(pathOf(resolve(b.build()), s))).toEqual({
      verdict: 'unknown', exit: null, via: [], egressIps: [], snatPorts: null, hops: ['source', 'route', 'virtual-network-gateway', 'drop'], findings: ['unsupported-udr-gateway'],
    });
  });

  function vwan(enableInternetSecurity: boolean, onOtherHub = false) {
    const b = new ModelBuilder();
    const spoke = b.vnet('spoke', ['10.1.0.0/16']);
    const s = b.subnet(spoke, 'app', '10.1.1.0/24');
    const policy = b.firewallPolicy('hub-policy', [networkRule('allow-https')]);
    const fw = b.firewall('hub-fw', { hubId: '/x' as ResourceId, hubPrivateIp: '10.255.0.132', hubPublicIps: ['20.8.8.1', '20.8.8.2'], policyId: policy });
    b.virtualHub('hub-b', { firewallId: fw, internetPolicy: true, connections: onOtherHub ? [] : [{ vnetId: spoke, enableInternetSecurity }] });
    // hub-a's route tables, connection static routes and gateways are read and hold no 0/0: only then
    // is "no internet route from the hub" known (an unread source makes the spoke unknown, see
    // vwan-default-route.test.ts) [VWAN-INET] https://learn.microsoft.com/azure/virtual-wan/about-internet-routing
    if (onOtherHub) b.virtualHub('hub-a', { routingRead: true, connections: [{ vnetId: spoke, enableInternetSecurity: true }] });
    return { model: b.build(), s, fw };
  }

  it('scenario 29: vWAN routing intent Internet → hub firewall, enableInternetSecurity=true', () => {
    const { model, s, fw } = vwan(true);
    expect(summary(pathOf(resolve(model), s))).toEqual({
      verdict: 'internet', exit: 'public-ip', via: [fw], egressIps: ['20.8.8.1', '20.8.8.2'], snatPorts: 9_984,
      hops: ['source', 'route', 'virtual-hub', 'azure-firewall', 'firewall-rule', 'public-ip', 'internet'], findings: [],
    });
  });

  it('scenario 30: as 29 with enableInternetSecurity=false → the spoke uses its own method', () => {
    const { model, s } = vwan(false);
    expect(summary(pathOf(resolve(model), s))).toMatchObject({ verdict: 'internet', exit: 'default-outbound', via: [] });
  });

  it('scenario 31: spoke on a hub without security; another hub has routing intent → own method (0/0 does not cross hubs)', () => {
    const { model, s } = vwan(true, true);
    expect(summary(pathOf(resolve(model), s))).toMatchObject({ verdict: 'internet', exit: 'default-outbound', via: [] });
  });

  it('scenario 32: NIC NSG denies Internet, subnet has NAT → the NIC is denied (NIC NSG first)', () => {
    const b = new ModelBuilder();
    const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.9.9.9')] });
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24', { natGatewayId: nat });
    const nsg = b.nsg('nic-nsg', [securityRule('deny-internet', 100, 'Deny', 'Internet')]);
    const nic = b.nic(s, 'vm1-nic', '10.0.1.4', { nsgId: nsg });
    const result = resolve(b.build());
    expect(summary(pathOf(result, nic))).toEqual({ verdict: 'denied', exit: null, via: [], egressIps: [], snatPorts: null, hops: ['source', 'nsg', 'drop'], findings: [] });
    expect(explainPath(pathOf(result, nic))[1]).toMatchObject({ id: nsg, rule: 'NSG nic-nsg rule deny-internet (100) Deny' });
    expect(pathOf(result, s).exit).toBe('nat-gateway');
  });

  it('scenario 33: subnet NSG denies Internet, UDR to the firewall → denied before the firewall', () => {
    const { b, spoke } = hubAndSpoke();
    const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: FW_IP }]);
    const nsg = b.nsg('subnet-nsg', [securityRule('deny-internet', 100, 'Deny', 'Internet')]);
    const s = b.subnet(spoke, 'app', '10.1.1.0/24', { routeTableId: rt, networkSecurityGroupId: nsg });
    expect(summary(pathOf(resolve(b.build()), s))).toEqual({ verdict: 'denied', exit: null, via: [], egressIps: [], snatPorts: null, hops: ['source', 'nsg', 'drop'], findings: [] });
  });

  it('scenario 34: NSG with only default rules and a PIP → allowed by AllowInternetOutBound, ILPIP', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24');
    const nsg = b.nsg('nsg', []);
    const nic = b.nic(s, 'vm1-nic', '10.0.1.4', { nsgId: nsg, publicIpId: b.publicIp('vm-pip', '52.0.0.1') });
    const path = pathOf(resolve(b.build()), nic);
    expect(summary(path)).toEqual({ verdict: 'internet', exit: 'public-ip', via: [], egressIps: ['52.0.0.1'], snatPorts: null, hops: ['source', 'nsg', 'route', 'public-ip', 'internet'], findings: [] });
    expect(explainPath(path)[1]?.rule).toBe('NSG nsg rule AllowInternetOutBound (65001) Allow');
  });

  it('scenario 35: Flexible VMSS instance with no explicit method → no outbound', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24');
    const nic = b.nic(s, 'vmss-nic', '10.0.1.4', { flexibleScaleSetMember: true });
    const result = resolve(b.build());
    expect(summary(pathOf(result, nic))).toEqual({ verdict: 'no-outbound', exit: null, via: [], egressIps: [], snatPorts: null, hops: ['source', 'route', 'drop'], findings: ['no-outbound'] });
    expect(pathOf(result, s).exit).toBe('default-outbound');
  });

  it('scenario 36: NAT gateway with a Basic PIP on a VM NIC → basic-sku misconfiguration', () => {
    const b = new ModelBuilder();
    const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.9.9.9')] });
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24', { natGatewayId: nat });
    const nic = b.nic(s, 'vm1-nic', '10.0.1.4', { publicIpId: b.publicIp('basic-pip', '52.0.0.9', { sku: 'Basic' }) });
    const path = pathOf(resolve(b.build()), nic);
    expect(summary(path)).toMatchObject({ verdict: 'internet', exit: 'nat-gateway', findings: ['basic-sku'] });
    expect(path.findings[0]?.severity).toBe('error');
  });

  it('scenario 37/38: IPv6 destination → every path unknown, not-modelled gap, ipv6-not-modelled finding', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24');
    const result = resolve(b.build(), { destination: '2001:db8::1' });
    expect(result.destination).toBe('2001:db8::1');
    expect(summary(pathOf(result, s))).toEqual({ verdict: 'unknown', exit: null, via: [], egressIps: [], snatPorts: null, hops: ['source', 'drop'], findings: [] });
    expect(result.gaps.map((g) => g.code)).toEqual(['not-modelled']);
    expect(result.findings.map((f) => f.code)).toEqual(['ipv6-not-modelled']);
  });

  it('scenario 40: delegated (Microsoft.App/environments) subnet with a NAT gateway → NAT gateway', () => {
    const b = new ModelBuilder();
    const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.9.9.9')] });
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'aca', '10.0.0.0/27', { natGatewayId: nat, delegations: ['Microsoft.App/environments'], defaultOutboundAccess: false });
    expect(summary(pathOf(resolve(b.build()), s))).toMatchObject({ verdict: 'internet', exit: 'nat-gateway', egressIps: ['20.9.9.9'] });
  });

  it('scenario 41/42: workload subnet (ACA workload profiles / AKS userDefinedRouting) with UDR 0/0 → firewall', () => {
    const { b, spoke, fw } = hubAndSpoke();
    const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: FW_IP }]);
    const s = b.subnet(spoke, 'aks-nodes', '10.1.4.0/22', { routeTableId: rt, delegations: [] });
    expect(summary(pathOf(resolve(b.build()), s))).toMatchObject({ verdict: 'internet', via: [fw] });
  });

  it('scenario 43: AKS loadBalancer outbound type → nodes leave through the LB outbound rule', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('aks-vnet', ['10.224.0.0/12']), 'aks-nodes', '10.224.0.0/16');
    const lb = b.loadBalancer('kubernetes', { frontends: [{ name: 'fe', publicIpId: b.publicIp('aks-out', '20.3.3.3') }], pools: [{ name: 'aksOutboundBackendPool' }],
      outboundRules: [{ name: 'aksOutboundRule', frontends: ['fe'], pool: 'aksOutboundBackendPool' }] });
    const nic = b.nic(s, 'aks-node-0', '10.224.0.4', { poolIds: [ModelBuilder.poolId(lb, 'aksOutboundBackendPool')] });
    expect(summary(pathOf(resolve(b.build()), nic))).toMatchObject({ verdict: 'internet', exit: 'load-balancer', egressIps: ['20.3.3.3'], snatPorts: 1024 });
  });

  it('scenario 46: service endpoint for Storage and UDR 0/0 → firewall: internet goes to the firewall; the SE route is listed, not overridden', () => {
    const { b, spoke, fw } = hubAndSpoke();
    const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: FW_IP }]);
    const s = b.subnet(spoke, 'app', '10.1.1.0/24', { routeTableId: rt, serviceEndpoints: [{ service: 'Microsoft.Storage', locations: ['westeurope'] }] });
    expect(pathOf(resolve(b.build()), s).via.map((v) => v.id)).toEqual([fw]);
  });

  it('scenario 46 (captured): a what-if on a Storage IP follows the captured service-endpoint route, not the firewall', () => {
    const { b, spoke, fw } = hubAndSpoke();
    const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: FW_IP }]);
    const s = b.subnet(spoke, 'app', '10.1.1.0/24', { routeTableId: rt, serviceEndpoints: [{ service: 'Microsoft.Storage', locations: ['westeurope'] }] });
    const nic = b.nic(s, 'vm-nic', '10.1.1.4');
    const effectiveRoutes = [{ networkInterfaceId: nic, routes: [
      effectiveRoute('10.1.0.0/16', 'VnetLocal'),
      effectiveRoute('0.0.0.0/0', 'VirtualAppliance', { source: 'User', nextHopIpAddresses: [FW_IP] }),
      effectiveRoute('20.60.0.0/16', 'VirtualNetworkServiceEndpoint'),
    ] }];
    const model = b.build();
    const storage = pathOf(resolve(model, { destination: '20.60.1.1' }, { effectiveRoutes }), s);
    // No route-drift: the model cannot know service-endpoint prefixes, so it does not call this a disagreement.
    // The service endpoint route takes it to the service over the backbone: private, exit service-endpoint [SE]
    // https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoints-overview
    expect(summary(storage)).toMatchObject({ verdict: 'private', exit: 'service-endpoint', via: [], hops: ['source', 'route', 'private'], findings: [] });
    expect(explainPath(storage)[2]?.explanation).toContain('whatever the default route says');
    expect(pathOf(resolve(model, { destination: '8.8.8.8' }, { effectiveRoutes }), s).via.map((v) => v.id)).toEqual([fw]);
  });

  // The peering route (10.0.0.0/16 → VNetPeering) beats the UDR 0/0 by longest prefix: the
  // destination is delivered over the peering and never becomes internet traffic [UDR][PEER]
  // https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#how-azure-selects-a-route
  it('scenario 47: a destination in a peered VNet (a private endpoint IP) is delivered over the peering → private', () => {
    const { b, spoke, hub } = hubAndSpoke();
    const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: FW_IP }]);
    const s = b.subnet(spoke, 'app', '10.1.1.0/24', { routeTableId: rt });
    const result = resolve(b.build(), { destination: '10.0.5.6' });
    expect(summary(pathOf(result, s))).toMatchObject({ verdict: 'private', exit: 'peering', via: [], hops: ['source', 'route', 'private'] });
    expect(explainPath(pathOf(result, s))[2]?.rule).toContain(`to ${hub.split('/').pop() ?? ''}`);
    expect(result.gaps).toEqual([]);
  });

  // Azure routes 10/8, 172.16/12, 192.168/16 and 100.64/10 to None unless they are in the address
  // space https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#default
  it('scenario 47b: a private destination in no VNet of the estate follows the system None route → dropped', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24');
    expect(summary(pathOf(resolve(b.build(), { destination: '10.1.5.6' }), s))).toMatchObject({ verdict: 'dropped', hops: ['source', 'route', 'drop'] });
  });

  it('scenario 47c: a destination inside the VNet\'s own address space, public range included, is delivered there → private', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16', '20.30.0.0/24']);
    const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'None' }]);
    const s = b.subnet(v, 'app', '10.0.1.0/24', { routeTableId: rt });
    b.subnet(v, 'public-range', '20.30.0.0/25');
    expect(summary(pathOf(resolve(b.build(), { destination: '20.30.0.9' }), s))).toMatchObject({ verdict: 'private', exit: 'virtual-network', hops: ['source', 'route', 'private'] });
  });

  // §13 #48 states only the misconfiguration ("the firewall loses direct internet"); without forced-tunnel
  // mode (management NIC from creation [FWFT]) what the firewall does with a learned 0/0 is not documented
  // [FWDIRECT]: unknown, with the finding, not a forced tunnel.
  it('scenario 48: AzureFirewallSubnet learns 0/0 over BGP (not forced-tunnel mode) → firewall-subnet-default-route, verdict unknown', () => {
    const { b, hub, spoke, fw, fwSubnet } = hubAndSpoke();
    b.gateway('vpn', hub);
    const hubSubnet = b.subnet(hub, 'shared', '10.0.2.0/24');
    const hubNic = b.nic(hubSubnet, 'hub-nic', '10.0.2.4');
    const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: FW_IP }]);
    const s = b.subnet(spoke, 'app', '10.1.1.0/24', { routeTableId: rt });
    const effectiveRoutes = [{ networkInterfaceId: hubNic, routes: [effectiveRoute('0.0.0.0/0', 'VirtualNetworkGateway', { source: 'VirtualNetworkGateway' })] }];
    const result = resolve(b.build(), {}, { effectiveRoutes });
    expect(summary(pathOf(result, s))).toMatchObject({ verdict: 'unknown', via: [fw], findings: ['firewall-subnet-default-route'] });
    expect(summary(pathOf(result, fwSubnet)).findings).toContain('firewall-subnet-default-route');
  });

  it('scenario 49: forced-tunnel firewall, AzureFirewallSubnet UDR 0/0 → VPN gateway → on-premises (no misconfiguration)', () => {
    const b = new ModelBuilder();
    const hub = b.vnet('hub', ['10.0.0.0/16']);
    const spoke = b.vnet('spoke', ['10.1.0.0/16']);
    b.peer(spoke, hub);
    b.gateway('vpn', hub);
    const fwRt = b.routeTable('rt-fw', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualNetworkGateway' }]);
    const fwSubnet = b.subnet(hub, 'AzureFirewallSubnet', '10.0.1.0/26', { routeTableId: fwRt });
    const mgmt = b.subnet(hub, 'AzureFirewallManagementSubnet', '10.0.2.0/26');
    const fw = b.firewall('fw', { subnetId: fwSubnet, privateIp: FW_IP, rules: [networkRule('allow-https')], managementSubnetId: mgmt, managementPublicIpId: b.publicIp('mgmt-pip', '20.0.0.99') });
    const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: FW_IP }]);
    const s = b.subnet(spoke, 'app', '10.1.1.0/24', { routeTableId: rt });
    expect(summary(pathOf(resolve(b.build()), s))).toEqual({
      verdict: 'on-premises', exit: null, via: [fw], egressIps: [], snatPorts: null,
      hops: ['source', 'route', 'azure-firewall', 'firewall-rule', 'route', 'virtual-network-gateway', 'on-premises'], findings: ['forced-tunnel'],
    });
  });

  it('scenario 50: two subnets on one NAT gateway with 1 PIP share its 64,512 ports', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.9.9.9')] });
    const s1 = b.subnet(v, 'a', '10.0.1.0/24', { natGatewayId: nat });
    const s2 = b.subnet(v, 'b', '10.0.2.0/24', { natGatewayId: nat });
    const result = resolve(b.build());
    for (const s of [s1, s2]) expect(summary(pathOf(result, s))).toMatchObject({ exit: 'nat-gateway', egressIps: ['20.9.9.9'], snatPorts: 64_512 });
    expect(explanations(pathOf(result, s1))).toContain('shared on demand by the 2 subnet(s)');
  });

  // NIC2's public IP turns default outbound access off for the whole VM ("having a single one with a
  // public IP will prevent default outbound access for the virtual machine", azure-docs
  // articles/virtual-network/ip-services/default-outbound-access.md). Whether NIC1's traffic then
  // leaves from NIC2's public IP or has no way out is not documented: unknown naming that fact, not
  // the "no outbound" error this scenario first pinned (its own reason called it UNCONFIRMED).
  it('scenario 51: VM with 2 NICs, only NIC2 has a PIP → NIC2 uses it, NIC1 is unknown (what it uses is not documented)', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24');
    const vm = '/subscriptions/x/resourcegroups/rg/providers/microsoft.compute/virtualmachines/vm1' as ResourceId;
    const nic1 = b.nic(s, 'vm1-nic1', '10.0.1.4', { vmId: vm });
    const nic2 = b.nic(s, 'vm1-nic2', '10.0.1.5', { vmId: vm, publicIpId: b.publicIp('vm-pip', '52.0.0.1') });
    const result = resolve(b.build());
    expect(summary(pathOf(result, nic2))).toMatchObject({ verdict: 'internet', exit: 'public-ip', egressIps: ['52.0.0.1'] });
    expect(summary(pathOf(result, nic1))).toMatchObject({ verdict: 'unknown', exit: null, egressIps: [], findings: [] });
    const end = pathOf(result, nic1).steps.at(-1);
    expect(end?.kind === 'terminal' && end.reason.kind === 'undecided' ? end.reason.missingFact : '').toMatch(/NIC vm1-nic1, which has no public IP.*NIC vm1-nic2 of the same VM has public IP 52\.0\.0\.1.*does not document/);
  });
});

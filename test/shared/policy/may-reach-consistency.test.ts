/**
 * `mayReach` (judged on reach's entries) and `mustNotReach` (judged on resolve --destination) in
 * one `check` run must not contradict each other: a control that passes `mayReach` while
 * `mustNotReach` shows the source reaching a flow outside the list passes on a false premise, and
 * one that fails `mayReach` for a flow `mustNotReach` proves blocked fails on one. README
 * (mayReach): a firewall rule's "other protocols are "may reach", never dropped, and when it gets
 * out the entry states the rule's ports within those its NSGs let out".
 */
import { describe, expect, it } from 'vitest';
import type { ResolveInput } from '../../../shared/egress/index';
import { checkPolicy } from '../../../shared/policy/index';
import type { CheckResult, ControlResult } from '../../../shared/policy/index';
import type { FirewallRule, SecurityRule } from '../../../shared/model/topology';
import { applicationRule, networkRule, securityRule } from '../../support/model-builder';
import { HUB_FIREWALL_IP, hubSpokeFirewall } from '../egress/support';
import { NOW, policy } from './support';

/** The hub firewall with these rules and spoke subnet `app` routed to it, with an NSG of these outbound rules. */
function estate(rules: readonly FirewallRule[], nsgRules: readonly SecurityRule[]): { readonly input: ResolveInput; readonly app: string } {
  const { b, app } = hubSpokeFirewall(rules);
  b.updateSubnet(app, { networkSecurityGroupId: b.nsg('nsg-app', nsgRules) });
  return { input: { model: b.build(), effectiveRoutes: [], metrics: [], gaps: [] }, app };
}

function check(input: ResolveInput, controls: readonly string[]): CheckResult {
  return checkPolicy(input, policy(['version: 1', 'controls:', ...controls.map((c) => `  - ${c}`), ''].join('\n')), { now: NOW, destination: null });
}

function control(result: CheckResult, id: string): ControlResult {
  const found = result.controls.find((c) => c.id === id);
  if (!found) throw new Error(`no control ${id}`);
  return found;
}

describe('check: mayReach and mustNotReach agree on a firewall rule for TCP and UDP', () => {
  /**
   * The firewall allows 20.0.0.0/8 on TCP and UDP 53 (and api.stripe.com); the subnet's NSG denies
   * TCP 53 to 20.0.0.0/8. UDP 53 gets out (mustNotReach 20.1.2.3:53/udp fails), so mayReach
   * [api.stripe.com] must not pass: reach lists UDP 53 to 20.0.0.0/8. It used to drop the rule with
   * its judged flow (TCP 53) and pass.
   */
  it('mayReach [api.stripe.com] fails with UDP 53 to 20.0.0.0/8 while mustNotReach 20.1.2.3:53/udp fails', () => {
    const { input, app } = estate([
      networkRule('dns-20', { destinationAddresses: ['20.0.0.0/8'], destinationPorts: ['53'], protocols: ['TCP', 'UDP'] }),
      applicationRule('stripe', ['api.stripe.com']),
    ], [securityRule('deny-tcp-53', 100, 'Deny', '20.0.0.0/8', { protocol: 'Tcp', destinationPortRanges: ['53'] })]);
    const result = check(input, ['{ id: may, effect: deny, mayReach: [api.stripe.com] }', '{ id: mustnot, effect: deny, mustNotReach: ["20.1.2.3:53/udp"] }']);
    expect(control(result, 'mustnot').violations.filter((v) => v.source.id === app).map((v) => v.path.verdict)).toEqual(['internet']);
    const may = control(result, 'may').violations.filter((v) => v.source.id === app);
    expect(may.map((v) => [v.subject, v.protocols?.join('/'), v.ports?.join(',')])).toEqual([['20.0.0.0/8', 'UDP', '53']]);
  });

  /**
   * The firewall allows 8.8.8.0/24 on TCP and UDP 53; the subnet's NSG denies UDP 53. mustNotReach
   * 8.8.8.8:53/udp passes (denied), so mayReach ["8.8.8.0/24:53/tcp"] must pass too: reach states
   * TCP 53 alone. It used to state TCP/UDP 53 and fail on the UDP the NSG denies.
   */
  it('mayReach ["8.8.8.0/24:53/tcp"] passes while mustNotReach 8.8.8.8:53/udp passes', () => {
    const { input, app } = estate(
      [networkRule('dns', { destinationAddresses: ['8.8.8.0/24'], destinationPorts: ['53'], protocols: ['TCP', 'UDP'] })],
      [securityRule('deny-udp-dns', 100, 'Deny', '*', { protocol: 'Udp', destinationPortRanges: ['53'] })],
    );
    const result = check(input, ['{ id: may, effect: deny, mayReach: ["8.8.8.0/24:53/tcp"] }', '{ id: mustnot, effect: deny, mustNotReach: ["8.8.8.8:53/udp"] }']);
    expect(control(result, 'mustnot').status).toBe('pass');
    expect(control(result, 'may').violations.filter((v) => v.source.id === app).map((v) => v.reason)).toEqual([]);
  });
});

describe('check: mayReach sees a route that sends a public prefix around the firewall', () => {
  /**
   * Spoke subnet `app` routes 0/0 to the hub firewall (which allows 8.8.8.0/24 on TCP 443) and
   * 20.1.0.0/16 straight to the Internet. mustNotReach 20.1.2.3:80/tcp fails (it gets out, uninspected),
   * so mayReach [8.8.8.0/24] must fail too: reach lists the prefix. It used to list only the
   * firewall's allow and pass.
   */
  it('mayReach ["8.8.8.0/24:443/tcp"] fails on 20.1.0.0/16 while mustNotReach 20.1.2.3:80/tcp fails', () => {
    const { b, app } = hubSpokeFirewall([networkRule('r', { destinationAddresses: ['8.8.8.0/24'], destinationPorts: ['443'] })]);
    b.updateSubnet(app, { routeTableId: b.routeTable('rt-bypass', [
      { prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: HUB_FIREWALL_IP },
      { prefix: '20.1.0.0/16', nextHopType: 'Internet' },
    ]) });
    const input: ResolveInput = { model: b.build(), effectiveRoutes: [], metrics: [], gaps: [] };
    const result = check(input, ['{ id: may, effect: deny, mayReach: ["8.8.8.0/24:443/tcp"] }', '{ id: mustnot, effect: deny, mustNotReach: ["20.1.2.3:80/tcp"] }']);
    expect(control(result, 'mustnot').violations.filter((v) => v.source.id === app).map((v) => v.path.verdict)).toEqual(['internet']);
    const may = control(result, 'may').violations.filter((v) => v.source.id === app);
    expect(may.map((v) => [v.subject, v.protocols?.join('/'), v.ports?.join(',')])).toEqual([['20.1.0.0/16', 'Tcp/Udp', '*']]);
  });
});

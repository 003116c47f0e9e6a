/**
 * checkPolicy on subnets delegated to a service: a control judges the engine's answer, so where
 * the subnet does not decide the internet path (shared/egress/delegation.ts) no control passes or
 * reports an exit the subnet does not have.
 *  - App Service VNet integration: "When Route All is disabled ..., only private traffic (RFC1918)
 *    is affected by your route tables" (azure-docs articles/app-service/overview-vnet-integration.md):
 *    a route table to the firewall does not prove the apps' internet traffic goes there.
 *  - Default outbound access is a VM's; for delegated subnets "outbound connectivity is managed by
 *    the individual service" (articles/virtual-network/ip-services/default-outbound-access.md).
 */
import { describe, expect, it } from 'vitest';
import type { ResolveInput } from '../../../shared/egress/index';
import { checkPolicy } from '../../../shared/policy/index';
import { ModelBuilder, networkRule } from '../../support/model-builder';
import { HUB_FIREWALL_IP, hubSpokeFirewall } from '../egress/support';
import { NOW, policy } from './support';

const input = (model: ResolveInput['model']): ResolveInput => ({ model, effectiveRoutes: [], metrics: [], gaps: [] });

describe('check on delegated subnets', () => {
  it('requireVia the hub firewall does not pass for an App Service integration subnet whose UDR points at it (Route All not in the input)', () => {
    const { b, spoke } = hubSpokeFirewall([networkRule('allow-all')]);
    const rt = b.routeTable('rt-web', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: HUB_FIREWALL_IP }]);
    b.subnet(spoke, 'web-int', '10.1.8.0/26', { delegations: ['Microsoft.Web/serverFarms'], routeTableId: rt });
    const result = checkPolicy(input(b.build()), policy('version: 1\ncontrols:\n  - id: via-fw\n    effect: deny\n    scope: { subnets: [web-int] }\n    requireVia: [fw]\n'), { now: NOW, destination: null });
    expect(result.controls.map((c) => [c.id, c.status, c.inScope.length])).toEqual([['via-fw', 'fail', 1]]);
  });

  it('forbidExits [default-outbound] does not report a Container Apps subnet as leaving through default outbound access', () => {
    const b = new ModelBuilder();
    b.subnet(b.vnet('v', ['10.0.0.0/16']), 'aca', '10.0.0.0/27', { delegations: ['Microsoft.App/environments'] });
    const result = checkPolicy(input(b.build()), policy('version: 1\ncontrols:\n  - id: no-dao\n    effect: deny\n    scope: { subnets: ["*"] }\n    forbidExits: [default-outbound]\n'), { now: NOW, destination: null });
    expect(result.controls.map((c) => [c.id, c.inScope.length])).toEqual([['no-dao', 1]]);
    const reasons = result.controls[0]?.violations.map((v) => v.reason) ?? [];
    expect(reasons.filter((r) => /default outbound access/i.test(r))).toEqual([]);
  });
});

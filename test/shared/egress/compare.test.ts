import { describe, expect, it } from 'vitest';
import { resolveEgress } from '../../../shared/egress';
import { captureExtentOf, compareResults, decisionOf, describeChange, gapsHiding, indexUnread, SELF, type SourceFacts, type UnreadIndex } from '../../../shared/egress/compare';
import type { Step } from '../../../shared/egress/steps';
import type { ComparableResult, SourceChange } from '../../../shared/egress/compare';
import type { EgressPath, Finding, ResolveResult } from '../../../shared/egress/types';
import type { Gap } from '../../../shared/model/gaps';
import type { NetworkModel } from '../../../shared/model/topology';
import { ModelBuilder, TEST_RESOURCE_GROUP, TEST_SUBSCRIPTION } from '../../support/model-builder';
import { hop, ids, path, result } from '../graph/hub-spoke-fixture';
import { pathOf } from './support';
import { natEstate } from './support';

const finding = (code: Finding['code']): Finding => ({ code, severity: 'warning', message: code });

const before = result([
  path({ id: ids.app, verdict: 'internet', exit: 'nat-gateway', egressIps: ['20.0.0.2'] }),
  path({ id: ids.data, verdict: 'internet', exit: 'public-ip', via: [ids.firewall], egressIps: ['20.0.0.1', '20.0.0.9'] }),
  path({ id: ids.locked, verdict: 'internet', exit: 'default-outbound', findings: [finding('default-outbound')] }),
  path({ id: ids.mgmt, verdict: 'on-premises', via: [ids.firewall] }),
  path({ type: 'nic', id: ids.nic, verdict: 'internet', exit: 'public-ip', egressIps: ['20.0.0.3'] }),
]);

const after = result([
  path({ id: ids.app, verdict: 'denied', exit: null, findings: [finding('firewall-default-deny')] }),
  // Same IPs in another order: not a change.
  path({ id: ids.data, verdict: 'internet', exit: 'public-ip', via: [ids.firewall], egressIps: ['20.0.0.9', '20.0.0.1'] }),
  path({ id: ids.locked, verdict: 'internet', exit: 'nat-gateway', via: [], egressIps: ['20.0.0.2'] }),
  path({ id: ids.mgmt, verdict: 'on-premises', via: [ids.firewall] }),
  path({ id: ids.web, verdict: 'no-outbound', findings: [finding('no-outbound')] }),
]);

function change(changes: readonly SourceChange[], id: string): SourceChange {
  const found = changes.find((c) => c.sourceId === id);
  if (found === undefined) throw new Error(`no change for ${id}`);
  return found;
}

describe('compareResults', () => {
  const comparison = compareResults(before, after);

  it('classifies every source, sorted by source ID, with summary counts', () => {
    // vm1-nic's source has no subnetId (resolve@1 JSON written before it had one): its subnet
    // cannot stand in for it, so with no gap to explain it, it reads removed.
    expect(comparison.changes.map((c) => [c.source.name, c.kind])).toEqual([
      ['vm1-nic', 'removed'],
      ['mgmt', 'unchanged'],
      ['app', 'changed'],
      ['data', 'unchanged'],
      ['locked', 'changed'],
      ['web', 'added'],
    ]);
    expect(comparison.summary).toEqual({ unchanged: 2, changed: 2, notCompared: 0, added: 1, removed: 1, notCaptured: 0, total: 6 });
    expect(comparison.destination).toBeNull();
  });

  it('records what changed, was → now', () => {
    expect(change(comparison.changes, ids.app).differences).toEqual({
      verdict: { was: 'internet', now: 'denied' },
      exit: { was: 'nat-gateway', now: null },
      via: null,
      egressIps: { was: ['20.0.0.2'], now: [] },
      findings: { was: [], now: [{ code: 'firewall-default-deny', severity: 'warning' }] },
      snatPorts: null,
      // The terminal step's decision: the fixture's firewall-deny names the source itself.
      decision: { was: { kind: 'egress', resourceIds: [] }, now: { kind: 'firewall-deny', resourceIds: [SELF] } },
    });
    expect(change(comparison.changes, ids.locked).differences).toEqual({
      verdict: null,
      exit: { was: 'default-outbound', now: 'nat-gateway' },
      via: null,
      egressIps: { was: [], now: ['20.0.0.2'] },
      findings: { was: [{ code: 'default-outbound', severity: 'warning' }], now: [] },
      snatPorts: null, decision: null,
    });
  });

  it('treats a different via order as a change and flags a different destination', () => {
    const nva = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.network/networkinterfaces/nva-1';
    const a = result([path({ id: ids.app, verdict: 'internet', exit: 'public-ip', via: [ids.firewall, nva] })]);
    const b = { ...result([path({ id: ids.app, verdict: 'internet', exit: 'public-ip', via: [nva, ids.firewall] })]), destination: '8.8.8.8' };
    const comparison2 = compareResults(a, b);
    expect(comparison2.changes[0]?.differences.via).toEqual({ was: [ids.firewall, nva], now: [nva, ids.firewall] });
    expect(comparison2.destination).toEqual({ was: '0.0.0.0/0', now: '8.8.8.8' });
    expect(describeChange(comparison2.changes[0]!)).toBe('via fw-hub, nva-1 \u2192 nva-1, fw-hub');
  });

  it('matches source IDs case-insensitively (ARM IDs are)', () => {
    const upper = result([{ ...before.paths[0]!, source: { ...before.paths[0]!.source, id: before.paths[0]!.source.id.toUpperCase() } }]);
    expect(compareResults(result([before.paths[0]!]), upper).summary).toEqual({ unchanged: 1, changed: 0, notCompared: 0, added: 0, removed: 0, notCaptured: 0, total: 1 });
  });
});

describe('describeChange', () => {
  const comparison = compareResults(before, after);

  it('writes one line per change', () => {
    expect(comparison.changes.map(describeChange)).toEqual([
      'removed (was internet (public-ip))',
      'unchanged: on-premises',
      'verdict internet (nat-gateway) \u2192 denied; egress IPs 20.0.0.2 \u2192 none; findings +firewall-default-deny',
      'unchanged: internet (public-ip)',
      'exit default-outbound \u2192 nat-gateway; egress IPs none \u2192 20.0.0.2; findings \u2212default-outbound',
      'added: no-outbound',
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Resolved estates (ModelBuilder), as two captures of the same estate

const SUB = TEST_SUBSCRIPTION;
const OTHER_SUB = '00000000-0000-0000-0000-000000000002';

/** The estate resolved as a capture with these gaps (what a snapshot hands the resolver). */
function resolved(model: NetworkModel, gaps: readonly Gap[] = []): ResolveResult {
  return resolveEgress({ model, effectiveRoutes: [], metrics: [], gaps });
}

/** The same, with what its snapshot held (scope and NICs), as the app passes it. */
function captured(model: NetworkModel, subscriptionIds: readonly string[], gaps: readonly Gap[] = []): ComparableResult {
  return { ...resolved(model, gaps), capture: captureExtentOf({ metadata: { scope: { subscriptionIds } }, model }) };
}

/** Subnet app (no NAT: default outbound); vm2-nic without a public IP; vm1-nic with 20.0.0.9 or without. */
function pipEstate(withPip: boolean) {
  const b = new ModelBuilder();
  const app = b.subnet(b.vnet('spoke', ['10.1.0.0/16']), 'app', '10.1.1.0/24');
  const pip = b.publicIp('vm-pip', '20.0.0.9');
  b.nic(app, 'vm2-nic', '10.1.1.5');
  const nic = b.nic(app, 'vm1-nic', '10.1.1.4', withPip ? { publicIpId: pip } : {});
  return { model: b.build(), nic, app };
}

describe('a NIC with an entry of its own on one side only', () => {
  it('the resolver names the subnet of every NIC it emits (resolve@1 source.subnetId)', () => {
    const { model, nic, app } = pipEstate(true);
    expect(pathOf(resolved(model), nic).source).toEqual({ type: 'nic', id: nic, name: 'vm1-nic', role: 'workload', subnetId: app });
    // Subnets carry no subnetId.
    expect(pathOf(resolved(model), app).source).toEqual({ type: 'subnet', id: app, name: 'app', role: 'workload' });
  });

  it('a NIC that lost its public IP is a change (public-ip → its subnet\'s exit), not "removed"', () => {
    // The resolver emits a NIC entry only while it differs from its subnet. vm1-nic still exists and
    // now leaves through default outbound access instead of 20.0.0.9; matched by source ID only it
    // read "removed" (UI: "(absent)"), hiding the change of exit and IP. Its subnet's path stands in.
    const before = pipEstate(true);
    const after = pipEstate(false);
    const comparison = compareResults(resolved(before.model), resolved(after.model));
    const nicChange = change(comparison.changes, before.nic);
    expect(nicChange.kind).toBe('changed');
    expect(nicChange.kind === 'changed' ? nicChange.followsSubnet : null).toBe('after');
    expect(nicChange.after?.source.id).toBe(before.app);
    expect(nicChange.differences).toEqual({
      verdict: null,
      exit: { was: 'public-ip', now: 'default-outbound' },
      via: null,
      egressIps: { was: ['20.0.0.9'], now: [] },
      findings: { was: [], now: [{ code: 'default-outbound', severity: 'warning' }] },
      snatPorts: null, decision: null,
    });
    expect(describeChange(nicChange)).toBe(
      'exit public-ip \u2192 default-outbound; egress IPs 20.0.0.9 \u2192 none; findings +default-outbound (after: no entry of its own, follows subnet app)');
    expect(comparison.summary).toEqual({ unchanged: 1, changed: 1, notCompared: 0, added: 0, removed: 0, notCaptured: 0, total: 2 });
  });

  it('a NIC that gained a public IP is compared with the subnet path it followed before', () => {
    const before = pipEstate(false);
    const comparison = compareResults(resolved(before.model), resolved(pipEstate(true).model));
    const nicChange = change(comparison.changes, before.nic);
    expect([nicChange.kind, nicChange.kind === 'changed' ? nicChange.followsSubnet : null]).toEqual(['changed', 'before']);
    expect(nicChange.differences.exit).toEqual({ was: 'default-outbound', now: 'public-ip' });
    expect(nicChange.differences.egressIps).toEqual({ was: [], now: ['20.0.0.9'] });
  });

  it('a NIC the other snapshot does not hold at all is removed, not "follows its subnet"', () => {
    // Without the snapshot a deleted NIC and one that now follows its subnet look alike (no entry
    // either way); the app passes each snapshot's NICs, so a deleted one is told apart.
    const before = pipEstate(true);
    const b = new ModelBuilder();
    const app = b.subnet(b.vnet('spoke', ['10.1.0.0/16']), 'app', '10.1.1.0/24');
    b.nic(app, 'vm2-nic', '10.1.1.5');
    const comparison = compareResults(captured(before.model, [SUB]), captured(b.build(), [SUB]));
    expect(change(comparison.changes, before.nic).kind).toBe('removed');
    expect(comparison.summary).toEqual({ unchanged: 1, changed: 0, notCompared: 0, added: 0, removed: 1, notCaptured: 0, total: 2 });
  });
});

describe('a source the other capture could not have seen is "not captured", not added or removed', () => {
  const denied: Gap = { code: 'access-denied', scope: `/subscriptions/${SUB}`, message: 'No read access.' };

  it('a source missing because the later capture could not read its subscription', () => {
    // The later capture got 403 on the subscription (gap access-denied). Read from paths alone,
    // every subnet of it read "removed": missing data presented as a network change.
    const { b, app } = natEstate();
    const comparison = compareResults(resolved(b.build()), resolved(new ModelBuilder().build(), [denied]));
    const appChange = change(comparison.changes, app);
    expect(appChange).toMatchObject({ kind: 'not-captured', missingFrom: 'after', because: { kind: 'gaps', gaps: [denied] }, after: null });
    expect(describeChange(appChange)).toBe(`not captured after (was internet (nat-gateway)): access-denied on /subscriptions/${SUB}`);
    expect(comparison.summary).toEqual({ unchanged: 0, changed: 0, notCompared: 0, added: 0, removed: 0, notCaptured: 1, total: 1 });
  });

  it('the same when the earlier capture could not read it: not "added"', () => {
    const { b, app } = natEstate();
    const comparison = compareResults(resolved(new ModelBuilder().build(), [denied]), resolved(b.build()));
    expect(change(comparison.changes, app)).toMatchObject({ kind: 'not-captured', missingFrom: 'before', before: null });
    expect(comparison.summary.added).toBe(0);
  });

  const rg = `/subscriptions/${SUB}/resourceGroups/${TEST_RESOURCE_GROUP}`;
  it.each<[string, Gap, boolean]>([
    ['the VNet list of its subscription failed', { code: 'request-failed', scope: `/subscriptions/${SUB}/providers/microsoft.network/virtualNetworks`, message: 'm' }, true],
    ['the VNet list failed over several subscriptions', { code: 'timeout', scope: 'Microsoft.Network/virtualNetworks', message: 'm', count: 3 }, true],
    ['its resource group was throttled (ARM casing)', { code: 'throttled', scope: rg, message: 'm' }, true],
    ['its VNet was skipped as malformed', { code: 'skipped-input', scope: `${rg}/providers/Microsoft.Network/virtualNetworks/spoke`, message: 'm' }, true],
    ['a whole file was skipped (it could have held anything)', { code: 'skipped-input', scope: 'exports/vnets.json', message: 'm' }, true],
    ['the tenant was refused', { code: 'access-denied', scope: 'tenant', message: 'm' }, true],
    ['only route tables failed to list', { code: 'request-failed', scope: `/subscriptions/${SUB}/providers/Microsoft.Network/routeTables`, message: 'm' }, false],
    ['only VMs were refused', { code: 'access-denied', scope: 'Microsoft.Compute/virtualMachines', message: 'm', count: 2 }, false],
    ['another subscription was refused', { code: 'access-denied', scope: `/subscriptions/${OTHER_SUB}`, message: 'm' }, false],
    ['a type was not modelled (it was read)', { code: 'unsupported-resource-type', scope: 'microsoft.network/virtualnetworks', message: 'm' }, false],
    ['effective routes were unavailable (the resource was read)', { code: 'effective-routes-unavailable', scope: rg, message: 'm' }, false],
  ])('a removed subnet: %s (hides it: %j)', (_why, gap, hidden) => {
    const { b, app } = natEstate();
    const kind = change(compareResults(resolved(b.build()), resolved(new ModelBuilder().build(), [gap])).changes, app).kind;
    expect(kind).toBe(hidden ? 'not-captured' : 'removed');
  });

  it('a subscription outside the other capture\'s scope is not captured; an unknown (empty) scope says nothing', () => {
    const { b, app } = natEstate();
    const model = b.build();
    const elsewhere = compareResults(captured(model, [SUB]), captured(new ModelBuilder().build(), [OTHER_SUB]));
    expect(change(elsewhere.changes, app)).toMatchObject({ kind: 'not-captured', because: { kind: 'outside-scope', subscriptionId: SUB } });
    expect(describeChange(change(elsewhere.changes, app))).toBe(`not captured after (was internet (nat-gateway)): subscription ${SUB} is outside that capture's scope`);
    expect(change(compareResults(captured(model, [SUB]), captured(new ModelBuilder().build(), [])).changes, app).kind).toBe('removed');
  });

  it('a NIC is not captured when its subnet could not be read, but a gap about a subnet that was read does not hide a deleted NIC', () => {
    const before = pipEstate(true);
    const vnetsFailed: Gap = { code: 'request-failed', scope: `/subscriptions/${SUB}/providers/Microsoft.Network/virtualNetworks`, message: 'm' };
    const unread = compareResults(resolved(before.model), resolved(new ModelBuilder().build(), [vnetsFailed]));
    expect(change(unread.changes, before.nic)).toMatchObject({ kind: 'not-captured', because: { kind: 'gaps', gaps: [vnetsFailed] } });
    // The subnet was read (it merely names a route table the capture lacks); the NIC is gone from the model.
    const b = new ModelBuilder();
    const app = b.subnet(b.vnet('spoke', ['10.1.0.0/16']), 'app', '10.1.1.0/24');
    b.nic(app, 'vm2-nic', '10.1.1.5');
    const aboutSubnet: Gap = { code: 'missing-reference', scope: app, message: 'Route table … is referenced but not in the snapshot.' };
    const deleted = compareResults(captured(before.model, [SUB]), captured(b.build(), [SUB], [aboutSubnet]));
    expect(change(deleted.changes, before.nic).kind).toBe('removed');
  });
});

describe('findings compare by code and severity', () => {
  it('default outbound access going from hypothetical (no VM uses it) to used by a VM is a change', () => {
    // Before: the only VM has its own public IP, so the subnet's default-outbound finding is "info"
    // (hypothetical). After: a VM without one is added and really egresses via default outbound
    // (deprecated, non-deterministic IP [egress-rules.md, DOA]); the finding is now a "warning".
    // Compared by code only, the comparison reported nothing changed at all.
    const estate = (withSecondVm: boolean) => {
      const b = new ModelBuilder();
      const app = b.subnet(b.vnet('spoke', ['10.1.0.0/16']), 'app', '10.1.1.0/24');
      b.nic(app, 'vm1-nic', '10.1.1.4', { publicIpId: b.publicIp('vm-pip', '20.0.0.9') });
      if (withSecondVm) b.nic(app, 'vm2-nic', '10.1.1.5');
      return { model: b.build(), app };
    };
    const before = estate(false);
    const comparison = compareResults(resolved(before.model), resolved(estate(true).model));
    const appChange = change(comparison.changes, before.app);
    expect(appChange.kind).toBe('changed');
    expect(appChange.differences).toEqual({
      verdict: null, exit: null, via: null, egressIps: null,
      findings: { was: [{ code: 'default-outbound', severity: 'info' }], now: [{ code: 'default-outbound', severity: 'warning' }] },
      snatPorts: null, decision: null,
    });
    expect(describeChange(appChange)).toBe('findings default-outbound info \u2192 warning');
    // vm1-nic keeps its own public IP: unchanged.
    expect(comparison.summary).toEqual({ unchanged: 1, changed: 1, notCompared: 0, added: 0, removed: 0, notCaptured: 0, total: 2 });
  });

  it('lists codes added, removed and re-graded in one line', () => {
    const f = (code: Finding['code'], severity: Finding['severity']): Finding => ({ code, severity, message: code });
    const a = result([path({ id: ids.app, verdict: 'internet', exit: 'default-outbound', findings: [f('default-outbound', 'info'), f('basic-sku', 'warning')] })]);
    const b = result([path({ id: ids.app, verdict: 'internet', exit: 'default-outbound', findings: [f('default-outbound', 'warning'), f('route-drift', 'error')] })]);
    expect(describeChange(compareResults(a, b).changes[0]!)).toBe('findings +route-drift \u2212basic-sku default-outbound info \u2192 warning');
  });
});

const terminal = (reason: Extract<Step, { kind: 'terminal' }>['reason']): Step => ({ kind: 'terminal', reason });

describe('what counts as a change', () => {
  it('SNAT ports that changed with the same exit and IPs are a change', () => {
    // An LB outbound rule whose allocatedOutboundPorts went from 1024 to 64 leaves exit and IPs
    // alike; fewer ports is a higher SNAT exhaustion risk, which auditors compare.
    const a: EgressPath = { ...path({ id: ids.app, verdict: 'internet', exit: 'load-balancer', egressIps: ['20.0.0.4'] }), snatPorts: 1024 };
    const b: EgressPath = { ...a, snatPorts: 64 };
    const c = compareResults(result([a]), result([b]));
    expect(c.changes[0]?.kind).toBe('changed');
    expect(c.changes[0]?.differences.snatPorts).toEqual({ was: 1024, now: 64 });
    expect(describeChange(c.changes[0]!)).toBe('SNAT ports 1,024 \u2192 64');
  });

  it('Unknown on both sides is "could not compare", and says when the missing fact differs', () => {
    // Nothing about egress is known on either side: "unchanged" would be a claim compare cannot make.
    const rtOld = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.network/routetables/rt-old';
    const a = path({ id: ids.app, verdict: 'unknown', hops: [hop('source', ids.app)] });
    const before: EgressPath = { ...a, steps: [hop('source', ids.app), terminal({ kind: 'missing-resource', resourceId: rtOld, what: 'route table rt-old', consequence: 'routes unknown' })] };
    const after: EgressPath = { ...a, steps: [hop('source', ids.app), terminal({ kind: 'not-evaluated', subnet: { id: ids.app, name: 'app' }, reason: 'next hop type not modelled' })] };
    const c = compareResults(result([before]), result([after]));
    expect(c.changes[0]?.kind).toBe('not-compared');
    expect(c.summary).toMatchObject({ unchanged: 0, changed: 0, notCompared: 1 });
    expect(describeChange(c.changes[0]!)).toBe('could not compare: unknown in both; missing fact missing-resource rt-old ("route table rt-old") \u2192 not-evaluated ("next hop type not modelled")');
    const same = compareResults(result([before]), result([before]));
    expect(same.changes[0]?.kind).toBe('not-compared');
    expect(describeChange(same.changes[0]!)).toBe('could not compare: unknown in both; the same missing fact');
  });

  it('a source that turned Unknown is "could not compare", not changed', () => {
    const a = path({ id: ids.app, verdict: 'internet', exit: 'nat-gateway', egressIps: ['20.0.0.2'] });
    const b = path({ id: ids.app, verdict: 'unknown' });
    const c = compareResults(result([a]), result([b]));
    expect(c.summary).toMatchObject({ changed: 0, notCompared: 1 });
    expect(describeChange(c.changes[0]!)).toBe('could not compare: unknown after (was internet (nat-gateway))');
  });

  it('forced tunnelling to a different gateway is a change', () => {
    // Verdict, exit, via (gateways are not in via), egress IPs and findings all match; only the
    // terminal step says traffic now reaches a different on-premises network.
    const gw1 = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.network/virtualnetworkgateways/vgw-hub1';
    const gw2 = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.network/virtualnetworkgateways/vgw-hub2';
    const onPrem = (gw: string, name: string): EgressPath => ({
      ...path({ id: ids.mgmt, verdict: 'on-premises' }),
      steps: [hop('source', ids.mgmt), hop('route', 'r'), hop('virtual-network-gateway', gw), terminal({ kind: 'forced-tunnel', gateway: { id: gw, name }, expressRoute: false })],
    });
    const c = compareResults(result([onPrem(gw1, 'vgw-hub1')]), result([onPrem(gw2, 'vgw-hub2')]));
    expect(c.changes[0]?.kind).toBe('changed');
    expect(describeChange(c.changes[0]!)).toBe('decision forced-tunnel vgw-hub1 \u2192 forced-tunnel vgw-hub2');
  });

  it('an error finding that appears on a source as an estate-level finding naming it is a change', () => {
    // A NAT gateway attached to GatewaySubnet is flagged estate-level (nat-gateway-on-gateway-subnet,
    // resourceIds naming the subnet); the app lists it under GatewaySubnet, so compare counts it there.
    const estate = (withNat: boolean) => {
      const b = new ModelBuilder();
      const hub = b.vnet('hub', ['10.0.0.0/16']);
      const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.0.0.1')] });
      const gws = b.subnet(hub, 'GatewaySubnet', '10.0.0.0/27', withNat ? { natGatewayId: nat } : {});
      b.gateway('vgw', hub, { publicIpIds: [b.publicIp('vgw-pip', '20.0.0.7')] });
      b.subnet(hub, 'app', '10.0.1.0/24', { natGatewayId: nat });
      return { result: resolved(b.build()), gws };
    };
    const before = estate(false);
    const after = estate(true);
    expect(after.result.findings.map((f) => f.code)).toContain('nat-gateway-on-gateway-subnet');
    const c = compareResults(before.result, after.result);
    const gws = change(c.changes, before.gws.toLowerCase());
    expect(gws.kind).toBe('changed');
    expect(gws.differences.findings?.now).toContainEqual({ code: 'nat-gateway-on-gateway-subnet', severity: 'error' });
  });
});

describe('a NIC that moved to another subnet', () => {
  it('is compared on each side with the subnet it was in on that side', () => {
    // Before: vm1-nic sits in nat-sub (NAT gateway 20.0.0.1) with no entry of its own. After: its IP
    // configuration moved to open-sub (same VNet, allowed in Azure) with a public IP. Its "before"
    // path is nat-sub's, not open-sub's (which would read "was default-outbound").
    const estate = (moved: boolean) => {
      const b = new ModelBuilder();
      const vnet = b.vnet('spoke', ['10.1.0.0/16']);
      const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.0.0.1')] });
      const natSub = b.subnet(vnet, 'nat-sub', '10.1.1.0/24', { natGatewayId: nat });
      const openSub = b.subnet(vnet, 'open-sub', '10.1.2.0/24');
      b.nic(natSub, 'keep-nat', '10.1.1.5');
      b.nic(openSub, 'keep-open', '10.1.2.5');
      const pip = b.publicIp('vm-pip', '20.0.0.9');
      const nic = moved ? b.nic(openSub, 'vm1-nic', '10.1.2.4', { publicIpId: pip }) : b.nic(natSub, 'vm1-nic', '10.1.1.4');
      return { model: b.build(), nic, natSub };
    };
    const before = estate(false);
    const after = estate(true);
    const c = compareResults(captured(before.model, [SUB]), captured(after.model, [SUB]));
    const nicChange = change(c.changes, before.nic.toLowerCase());
    expect(nicChange.kind).toBe('changed');
    expect(nicChange.before?.source.id.toLowerCase()).toBe(before.natSub.toLowerCase());
    expect(nicChange.differences.exit).toEqual({ was: 'nat-gateway', now: 'public-ip' });
  });
});

describe('the gaps that could hide a source', () => {
  const nic = '/subscriptions/s1/resourcegroups/rg7/providers/microsoft.network/networkinterfaces/n7';
  const facts: SourceFacts = { ids: [nic], types: ['microsoft.network/networkinterfaces'], subscriptionId: 's1' };
  const gap = (scope: string, code: Gap['code'] = 'access-denied'): Gap => ({ code, scope, message: scope });

  it('are the gaps on the ID or an ancestor, on its type, and those whose scope could hold anything, in gap order', () => {
    const gaps = [
      gap('/subscriptions/s1/resourceGroups/RG7/'), gap('/subscriptions/s1/resourcegroups/rg70'), gap('microsoft.network/networkinterfaces'),
      gap('/subscriptions/s2/providers/microsoft.network/networkinterfaces'), gap('/subscriptions/s1/providers/microsoft.network/networkinterfaces'),
      gap('inputs/nics.json', 'skipped-input'), gap('/subscriptions/s1', 'not-modelled'), gap('/subscriptions/s1'),
    ];
    expect(gapsHiding(indexUnread(gaps), facts).map((g) => g.scope)).toEqual([
      '/subscriptions/s1/resourceGroups/RG7/', 'microsoft.network/networkinterfaces', '/subscriptions/s1/providers/microsoft.network/networkinterfaces',
      'inputs/nics.json', '/subscriptions/s1',
    ]);
  });

  it('are found by looking up the source, with as many lookups whatever the number of gaps', () => {
    // Comparing against a capture that missed a subscription looks up every source of it (100,000
    // in a large estate): a scan of every gap per source is O(sources x gaps). The time is measured
    // by `npm run bench -- compare`; here, that the work per source does not grow with the gaps.
    const lookups = (gapCount: number): number => {
      const gaps = [gap('/subscriptions/s1'), ...Array.from({ length: gapCount }, (_, i) => gap(`/subscriptions/s2/resourcegroups/other${i}`))];
      const index = indexUnread(gaps);
      let count = 0;
      const counted = <K, V>(map: ReadonlyMap<K, V>): ReadonlyMap<K, V> => ({
        size: map.size, has: (k: K) => map.has(k), forEach: map.forEach.bind(map), entries: map.entries.bind(map),
        keys: map.keys.bind(map), values: map.values.bind(map), [Symbol.iterator]: map[Symbol.iterator].bind(map),
        get: (k: K) => { count++; return map.get(k); },
      });
      const probed: UnreadIndex = { under: counted(index.under), byType: counted(index.byType), anything: index.anything };
      expect(gapsHiding(probed, facts).map((g) => g.scope)).toEqual(['/subscriptions/s1']);
      return count;
    };
    expect(lookups(2_000)).toBe(lookups(2));
    expect(lookups(2_000)).toBeLessThan(20);
  });
});


describe('compare: the terminal decision of a NIC and the subnet it follows', () => {
  it('a NIC with an entry of its own that ends exactly as the subnet it followed before is unchanged', () => {
    // The resolver gives a NIC an entry of its own for reasons that do not change its egress
    // (effective routes captured for it alone, its own DNS servers: resolve.ts nicsWithOwnEntry).
    // Before, vm1-nic followed subnet app (private subnet, no outbound method); after, it has an
    // entry of its own ending the same way at the same subnet: unchanged, the NIC's subnet standing
    // as its own place as the subnet's path names itself.
    const subnetNamed = { id: ids.app, name: 'app' };
    const ending = terminal({ kind: 'no-outbound-method', subnet: subnetNamed, reason: 'private subnet, no NAT gateway, public IP or load balancer' });
    const subnetPath: EgressPath = { ...path({ id: ids.app, verdict: 'no-outbound' }), steps: [hop('source', ids.app), ending] };
    const nicPath: EgressPath = {
      ...path({ type: 'nic', id: ids.nic, name: 'vm1-nic', verdict: 'no-outbound' }),
      source: { type: 'nic', id: ids.nic, name: 'vm1-nic', role: 'workload', subnetId: ids.app },
      steps: [hop('source', ids.nic), ending],
    };
    const c = compareResults(result([subnetPath]), result([subnetPath, nicPath]));
    const nic = c.changes.find((x) => x.sourceId === ids.nic.toLowerCase() || x.sourceId === ids.nic);
    expect(nic?.kind === 'changed' ? describeChange(nic) : nic?.kind).toBe('unchanged');
  });
});

describe('compare: Unknown on both sides, "the same missing fact"', () => {
  it('two different missing facts about the same route are not "the same missing fact"', () => {
    // Before: VirtualAppliance route "to-nva" had no nextHopIpAddress in the input; after: it has
    // one, of the other IP version than its prefix. Both end `undecided` at the route, with the same
    // kind and resources: the missing fact is in the words (missingFact), so they take part.
    const route = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.network/routetables/rt/routes/to-nva';
    const base = path({ id: ids.app, verdict: 'unknown' });
    const was: EgressPath = { ...base, steps: [hop('source', ids.app), terminal({ kind: 'undecided', resourceId: route, rule: 'Route "to-nva": no next-hop IP address in the input', docs: 'udr',
      missingFact: 'the next-hop IP address of VirtualAppliance route to-nva (nextHopIpAddress is not in the input)' })] };
    const now: EgressPath = { ...base, steps: [hop('source', ids.app), terminal({ kind: 'undecided', resourceId: route, rule: 'Route "to-nva": an IPv4 prefix with an IPv6 next hop', docs: 'udr',
      missingFact: 'what Azure does with VirtualAppliance route to-nva, whose prefix 0.0.0.0/0 and next-hop IP address fd00::4 are of different IP versions' })] };
    expect(decisionOf(was)).toEqual(decisionOf(now));
    const c = compareResults(result([was]), result([now]));
    expect(c.changes[0]?.kind).toBe('not-compared');
    const change = c.changes[0];
    expect(change ? describeChange(change) : '').toBe('could not compare: unknown in both; missing fact undecided to-nva ("the next-hop IP address of VirtualAppliance route to-nva (nextHopIpAddress is not in the input)") → undecided to-nva ("what Azure does with VirtualAppliance route to-nva, whose prefix 0.0.0.0/0 and next-hop IP address fd00::4 are of different IP versions")');
    // The same words on both sides: the same missing fact.
    expect(describeChange(compareResults(result([was]), result([was])).changes[0]!)).toBe('could not compare: unknown in both; the same missing fact');
  });
});

describe('compare: Unknown in both, a NIC and the subnet it follows', () => {
  // The words of a missing fact name the path's own source ("from NIC vm1-nic", "from subnet app"):
  // when the NIC follows its subnet on one side, they differ by that name alone, so only the
  // decision (kind and resources) decides whether the missing fact is the same.
  it('the same IPv6 default-outbound question, worded from the NIC on one side and from its subnet on the other, is the same missing fact', () => {
    const ipv6Fact = (who: string): string => `whether IPv6 internet traffic from ${who} has a way out at all: no explicit IPv6 method (public IP, load balancer outbound) applies, default outbound access provides a public IPv4 address, and Azure documents no default outbound access for IPv6`;
    const ending = (who: string): Step => terminal({
      kind: 'undecided', resourceId: ids.app, rule: 'Default outbound access for IPv6 traffic (subnet app)', docs: 'https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access',
      missingFact: ipv6Fact(who),
    });
    const subnetPath: EgressPath = { ...path({ id: ids.app, verdict: 'unknown' }), steps: [hop('source', ids.app), ending('subnet app')] };
    const nicPath: EgressPath = {
      ...path({ type: 'nic', id: ids.nic, name: 'vm1-nic', verdict: 'unknown' }),
      source: { type: 'nic', id: ids.nic, name: 'vm1-nic', role: 'workload', subnetId: ids.app },
      steps: [hop('source', ids.nic), ending('NIC vm1-nic')],
    };
    // Shown snapshot: vm1-nic has an entry of its own; compared snapshot: it follows subnet app.
    const c = compareResults(result([subnetPath, nicPath]), result([subnetPath]));
    const nic = c.changes.find((x) => x.sourceId.toLowerCase() === ids.nic.toLowerCase());
    expect(nic?.kind).toBe('not-compared');
    expect(nic ? describeChange(nic) : '').toBe('could not compare: unknown in both; the same missing fact (after: no entry of its own, follows subnet app)');
  });
});

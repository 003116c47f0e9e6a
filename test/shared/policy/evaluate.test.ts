/**
 * checkPolicy on the demo estates: every requirement kind, every scope selector, the effects,
 * exception expiry (a fixed clock), and the rule that an unknown answer never passes.
 */
import { describe, expect, it } from 'vitest';
import type { ResolveInput } from '../../../shared/egress/index';
import { resolveEgress } from '../../../shared/egress/index';
import { computeReach } from '../../../shared/egress/reach';
import type { Gap } from '../../../shared/model/gaps';
import { toResourceId } from '../../../shared/model/ids';
import type { ServiceTagSet } from '../../../shared/model/service-tags';
import type { SecurityRule } from '../../../shared/model/topology';
import { checkExitCode, checkPolicy, CHECK_SCHEMA, gapMayBeInScope, leavesEstateUnread, parsePolicy, readPolicy, unreadGaps } from '../../../shared/policy/index';
import type { CheckResult, ControlResult } from '../../../shared/policy/index';
import { applicationRule, effectiveRoute, ModelBuilder, networkId, networkRule, securityRule } from '../../support/model-builder';
import { HUB_FIREWALL_IP, hubSpokeFirewall, jumpHostModel, nvaWithNsgModel } from '../egress/support';
import { serviceEndpointTags } from '../../support/service-endpoint-tags';
import { demoInput, NOW, policy } from './support';

function run(yaml: string, input: ResolveInput = demoInput('bank'), options: { readonly now?: Date; readonly destination?: string } = {}): CheckResult {
  return checkPolicy(input, policy(yaml), { now: options.now ?? NOW, destination: options.destination ?? null });
}

function only(result: CheckResult): ControlResult {
  const [c] = result.controls;
  if (!c || result.controls.length !== 1) throw new Error('expected one control');
  return c;
}

/** One deny control with this body (scope and requirements, indented by four). */
function one(body: string, input?: ResolveInput, options?: { readonly now?: Date; readonly destination?: string }): ControlResult {
  return only(run(`version: 1\ncontrols:\n  - id: c\n    effect: deny\n${body}`, input, options));
}

const names = (c: ControlResult): string[] => [...new Set(c.violations.map((v) => v.source.name))].sort();
const scopeNames = (c: ControlResult, result?: CheckResult): string[] => c.inScope.map((id) => result?.sources.find((s) => s.id === id)?.name ?? id).sort();

const modelInput = (model: ResolveInput['model']): ResolveInput => ({ model, effectiveRoutes: [], metrics: [], gaps: [] });

function snatMetric(resourceId: string, value: number): ResolveInput['metrics'][number] {
  return {
    resourceId: toResourceId(resourceId), metricName: 'SNATPortUtilization', filter: null, aggregation: 'Maximum',
    windowStart: '2026-11-25T09:00:00Z', windowEnd: '2026-11-26T09:00:00Z', unit: 'Percent', value,
  };
}

function subnetId(input: ResolveInput, name: string): string {
  const subnet = input.model.subnets.find((s) => s.name === name);
  if (!subnet) throw new Error(name);
  return subnet.id;
}

describe('checkPolicy: result shape', () => {
  it('is egress-atlas/check@1 with per-control status, violations carrying the resolve@1 path', () => {
    const result = run('version: 1\ncontrols:\n  - { id: no-dao, title: No default outbound, effect: deny, scope: { subnets: ["*"] }, forbidExits: [default-outbound] }\n');
    expect(result.schema).toBe(CHECK_SCHEMA);
    expect(result.evaluatedAt).toBe(NOW.toISOString());
    expect(result.destination).toBe('0.0.0.0/0');
    const c = only(result);
    expect(c).toMatchObject({ id: 'no-dao', title: 'No default outbound', effect: 'deny', status: 'fail', line: 3 });
    expect(c.violations).toHaveLength(1);
    const v = c.violations[0];
    expect(v?.source).toEqual({ type: 'subnet', id: subnetId(demoInput('bank'), 'snet-payments-reporting'), name: 'snet-payments-reporting' });
    expect(v?.requirement).toBe('forbidExits');
    expect(v?.reason).toMatch(/default outbound access/);
    // The resolve@1 path: via as IDs, viaKinds, hops in words, ending with the internet.
    expect(v?.path).toMatchObject({ verdict: 'internet', exit: 'default-outbound', via: [], viaKinds: [] });
    expect(v?.path.hops[0]).toMatchObject({ kind: 'source' });
    expect(v?.path.hops.at(-1)?.kind).toBe('internet');
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
    expect(result.summary).toEqual({ controls: 1, passed: 0, failed: 1, notApplicable: 0, denyFailed: ['no-dao'] });
    expect(checkExitCode(result)).toBe(1);
  });
});

describe('scope selectors', () => {
  const bank = demoInput('bank');
  const req = '    forbidVerdicts: [dropped]\n';

  it('subnets and vnets by name, ID and glob; platform subnets only when asked', () => {
    const result = run(`version: 1\ncontrols:\n  - id: c\n    effect: deny\n    scope: { subnets: ["*"] }\n${req}`);
    expect(scopeNames(only(result), result)).toEqual(['snet-card-auth', 'snet-payments-api', 'snet-payments-reporting', 'snet-settlement-batch', 'snet-settlement-db']);
    const platform = run(`version: 1\ncontrols:\n  - id: c\n    effect: deny\n    scope: { subnets: ["*"], includePlatform: true }\n${req}`);
    expect(only(platform).inScope).toHaveLength(7);
    const byId = one(`    scope: { subnets: ["${subnetId(bank, 'snet-card-auth').toUpperCase()}"] }\n${req}`);
    expect(byId.inScope).toEqual([subnetId(bank, 'snet-card-auth')]);
    const byGlob = one(`    scope: { subnets: ["snet-settlement-*", "SNET-CARD-AUT?"] }\n${req}`);
    expect(byGlob.inScope).toHaveLength(3);
    const byVnet = one(`    scope: { vnets: [vnet-payments-api-weu] }\n${req}`);
    expect(byVnet.inScope.map((id) => id.split('/').pop())).toEqual(['snet-payments-api', 'snet-payments-reporting']);
    const vnetId = bank.model.virtualNetworks.find((v) => v.name === 'vnet-settlement-weu')?.id ?? '';
    expect(one(`    scope: { vnets: ["${vnetId}"] }\n${req}`).inScope).toHaveLength(2);
  });

  it('subscriptions and resource groups by ID, name and glob; lists are ANDed', () => {
    const sub = bank.model.subnets.find((s) => s.name === 'snet-card-auth')?.subscriptionId ?? '';
    expect(one(`    scope: { subscriptions: ["${sub}"] }\n${req}`).inScope).toHaveLength(5);
    expect(one(`    scope: { subscriptions: ["/subscriptions/${sub}"] }\n${req}`).inScope).toHaveLength(5);
    expect(one(`    scope: { resourceGroups: [rg-settlement-*] }\n${req}`).inScope).toHaveLength(2);
    expect(one(`    scope: { resourceGroups: ["/subscriptions/${sub}/resourceGroups/rg-card-auth-weu"] }\n${req}`).inScope).toHaveLength(1);
    expect(one(`    scope: { resourceGroups: [rg-settlement-weu], subnets: [snet-settlement-db] }\n${req}`).inScope).toHaveLength(1);
    const none = one(`    scope: { resourceGroups: [rg-settlement-weu], subnets: [snet-card-auth] }\n${req}`);
    expect(none).toMatchObject({ status: 'not-applicable', notes: ['no source is in scope'] });
  });

  it('tags: subnets inherit their VNet tags; a subnet with tags of its own uses those', () => {
    const health = demoInput('health');
    // Health subnets carry no tags: they inherit environment=prod and the owner from their VNet.
    expect(one(`    scope: { tags: { environment: prod } }\n${req}`, health).inScope.length).toBeGreaterThanOrEqual(8);
    expect(one(`    scope: { tags: { Environment: PROD, owner: "*@northwind-health.example" } }\n${req}`, health).inScope.length).toBeGreaterThanOrEqual(8);
    expect(one(`    scope: { tags: { environment: dev } }\n${req}`, health).status).toBe('not-applicable');
    // Give one subnet its own tags: it no longer inherits environment=prod.
    const tagged: ResolveInput = { ...health, model: { ...health.model, subnets: health.model.subnets.map((s) => (s.name === 'snet-fhir-api' ? { ...s, tags: { 'data-class': 'phi' } } : s)) } };
    const phi = one(`    scope: { tags: { data-class: phi } }\n${req}`, tagged);
    expect(phi.inScope).toEqual([subnetId(health, 'snet-fhir-api')]);
    expect(one(`    scope: { tags: { environment: prod } }\n${req}`, tagged).inScope).not.toContain(subnetId(health, 'snet-fhir-api'));
  });

  it('a NIC with a path of its own is in scope through its subnet', () => {
    const mfg = demoInput('manufacturer');
    const c = one('    scope: { subnets: [snet-build-agents] }\n    forbidExits: [public-ip]\n', mfg);
    expect(c.inScope).toHaveLength(3);
    expect(names(c)).toEqual(['nic-vm-build-agent-01', 'nic-vm-build-agent-02']);
    expect(c.violations.every((v) => v.source.type === 'nic')).toBe(true);
  });
});

describe('requirements', () => {
  const bank = demoInput('bank');

  it('forbidExits and forbidVerdicts / requireVerdicts', () => {
    expect(names(one('    forbidExits: [default-outbound]\n'))).toEqual(['snet-payments-reporting']);
    expect(one('    forbidExits: [public-ip, load-balancer]\n').status).toBe('pass');
    const mfg = demoInput('manufacturer');
    expect(names(one('    forbidVerdicts: [on-premises]\n', mfg))).toEqual(['snet-plant-floor-line1', 'snet-plant-floor-line2']);
    const required = one('    scope: { subnets: [snet-plant-floor-*, snet-aca-builds] }\n    requireVerdicts: [on-premises]\n', mfg);
    expect(names(required)).toEqual(['snet-aca-builds']);
    expect(required.violations[0]?.reason).toMatch(/^verdict internet, not on-premises/);
  });

  it('requireVia by name, ID or glob; only internet paths need it', () => {
    expect(names(one('    requireVia: [afw-hub-weu]\n'))).toEqual(['snet-payments-reporting']);
    const firewall = bank.model.azureFirewalls.find((f) => f.name === 'afw-hub-weu')?.id ?? '';
    expect(names(one(`    requireVia: ["${firewall}"]\n`))).toEqual(['snet-payments-reporting']);
    expect(one('    scope: { subnets: [snet-payments-api] }\n    requireVia: ["afw-*"]\n').status).toBe('pass');
    const wrong = one('    scope: { subnets: [snet-payments-api] }\n    requireVia: [afw-other]\n');
    expect(wrong.violations[0]?.reason).toBe('reaches the internet via afw-hub-weu, not through afw-other');
    // NVA NICs and internal load balancers count as via.
    const mfg = demoInput('manufacturer');
    expect(one('    scope: { subnets: [snet-aca-jobs] }\n    requireVia: [nic-vm-nva-fw-*]\n', mfg).status).toBe('pass');
    // Forced-tunnelled subnets never reach the internet here: nothing to require.
    expect(one('    scope: { subnets: [snet-plant-floor-*] }\n    requireVia: [afw-mfg-hub-neu]\n', mfg).status).toBe('pass');
  });

  it('egressIpsWithin by CIDR containment; unknown egress IPs are a violation that says so', () => {
    const c = one('    egressIpsWithin: [20.61.14.0/24]\n');
    expect(names(c)).toEqual(['snet-payments-reporting']);
    expect(c.violations[0]?.reason).toMatch(/^egress IPs unknown \(default outbound access/);
    const narrow = one('    scope: { subnets: [snet-payments-api] }\n    egressIpsWithin: [20.61.14.21]\n');
    expect(narrow.violations.map((v) => [v.subject, v.reason])).toEqual([['20.61.14.22', 'egress IP(s) 20.61.14.22 outside 20.61.14.21']]);
    // A /30 prefix must lie wholly inside.
    const mfg = demoInput('manufacturer');
    expect(one('    scope: { subnets: [snet-aca-builds] }\n    egressIpsWithin: [20.166.40.0/24]\n', mfg).status).toBe('pass');
    expect(one('    scope: { subnets: [snet-aca-builds] }\n    egressIpsWithin: [20.166.40.0/31]\n', mfg).status).toBe('fail');
  });

  it('mayReach: reach must be a subset (FQDN patterns, CIDRs, ports); unrestricted sources violate it', () => {
    const allowed = '[api.stripe.com, checkout-live.adyen.com, pal-live.adyen.com, "*.visa.com", "*.mastercard.com", "*.microsoft.com", "*.windowsupdate.com", time.windows.com]';
    expect(one(`    scope: { subnets: [snet-payments-api, snet-card-auth] }\n    mayReach: ${allowed}\n`).status).toBe('pass');
    const narrower = one('    scope: { subnets: [snet-card-auth] }\n    mayReach: [api.stripe.com, "*.microsoft.com", "*.windowsupdate.com", time.windows.com, "*.mastercard.com"]\n');
    expect(narrower.violations.map((v) => v.subject)).toEqual(['*.visa.com']);
    expect(narrower.violations[0]?.reason).toMatch(/^can reach \*\.visa\.com Https 443 \(rule afwp-bank-egress\/rcg-payments-egress\/allow-approved-psp-apis\/card-networks\), which is not in mayReach$/);
    // A pattern is covered only by an equal or wider one: not by `visa.com` or the narrower `*.pay.visa.com`; `*.com` and `*` cover it.
    const base = 'api.stripe.com, "*.microsoft.com", "*.windowsupdate.com", time.windows.com, "*.mastercard.com"';
    expect(one(`    scope: { subnets: [snet-card-auth] }\n    mayReach: [${base}, visa.com, "*.pay.visa.com"]\n`).violations.map((v) => v.subject)).toEqual(['*.visa.com']);
    expect(one(`    scope: { subnets: [snet-card-auth] }\n    mayReach: [${base}, "*.com"]\n`).status).toBe('pass');
    expect(one('    scope: { subnets: [snet-card-auth] }\n    mayReach: ["*"]\n').status).toBe('pass');
    const settlement = '[185.40.0.0/16, "*.microsoft.com", "*.windowsupdate.com", time.windows.com]';
    expect(one(`    scope: { subnets: [snet-settlement-batch] }\n    mayReach: ${settlement}\n`).status).toBe('pass');
    const wrongPort = one('    scope: { subnets: [snet-settlement-batch] }\n    mayReach: ["185.40.56.0/24:443", "*.microsoft.com", "*.windowsupdate.com", time.windows.com]\n');
    expect(wrongPort.violations.map((v) => v.subject)).toEqual(['185.40.56.0/24']);
    const open = one('    scope: { subnets: [snet-payments-reporting] }\n    mayReach: [api.stripe.com]\n');
    expect(open.violations[0]?.reason).toMatch(/^can reach any public destination/);
  });

  it('mustReach / mustNotReach resolve each destination once, and prove it with that path', () => {
    const must = one('    scope: { subnets: [snet-payments-api, snet-settlement-db] }\n    mustReach: ["api.stripe.com:443"]\n');
    expect(names(must)).toEqual(['snet-settlement-db']);
    expect(must.violations[0]?.reason).toMatch(/^cannot reach api\.stripe\.com:443\/tcp: denied/);
    expect(must.violations[0]?.path.verdict).toBe('denied');
    const mustNot = one('    mustNotReach: [exfil.example.net]\n');
    expect(names(mustNot)).toEqual(['snet-payments-reporting']);
    expect(mustNot.violations[0]?.reason).toBe('reaches exfil.example.net:443/tcp: internet, default outbound access');
    // Forced tunnelling is not a proven block: the model ends at the on-premises edge.
    const mfg = demoInput('manufacturer');
    const tunnel = one('    scope: { subnets: [snet-plant-floor-line1] }\n    mustNotReach: [exfil.example.net]\n', mfg);
    expect(tunnel.violations[0]?.reason).toMatch(/^could not be proven blocked: .* on-premises/);
  });

  it('privateOnly: only a private endpoint counts', () => {
    const health = demoInput('health');
    const c = one('    privateOnly: [stpatients.blob.core.windows.net]\n', health);
    expect(names(c)).toEqual(['snet-legacy-hl7']);
    expect(c.violations[0]?.reason).toMatch(/over the internet \(default outbound access\), not through a private endpoint$/);
    expect(c.violations[0]?.path.exit).toBe('default-outbound');
  });

  it('maxSnatUtilisation: metrics when present, otherwise not applicable with the reason', () => {
    const none = one('    maxSnatUtilisation: 80\n');
    expect(none.status).toBe('not-applicable');
    expect(none.notes[0]).toMatch(/no SNAT port utilisation metrics/);
    const firewall = bank.model.azureFirewalls.find((f) => f.name === 'afw-hub-weu')?.id ?? '';
    const metric = { resourceId: toResourceId(firewall), metricName: 'SNATPortUtilization', filter: null, aggregation: 'Maximum' as const, windowStart: '2026-11-25T09:00:00Z', windowEnd: '2026-11-26T09:00:00Z', unit: 'Percent' };
    const hot: ResolveInput = { ...bank, metrics: [{ ...metric, value: 93 }] };
    const c = one('    maxSnatUtilisation: 80\n', hot);
    expect(names(c)).toEqual(['snet-card-auth', 'snet-payments-api', 'snet-settlement-batch', 'snet-settlement-db']);
    expect(c.violations[0]?.reason).toMatch(/^afw-hub-weu SNAT port utilisation reached 93% .*, above 80%$/);
    // The reporting subnet bypasses the firewall: no metric on its path, said in a note.
    expect(c.notes.join(' ')).toMatch(/not applicable to 1 source\(s\) .*snet-payments-reporting/);
    expect(one('    maxSnatUtilisation: 95\n', hot).status).toBe('pass');
  });

  it('an unknown verdict never passes a must / forbid requirement: it could not be proven', () => {
    // IPv6 destinations are not modelled: every path is unknown.
    const options = { destination: '2001:db8::1' };
    for (const body of ['    forbidExits: [default-outbound]\n', '    forbidVerdicts: [internet]\n', '    requireVerdicts: [denied]\n', '    requireVia: [afw-hub-weu]\n', '    egressIpsWithin: [20.61.14.0/24]\n']) {
      const c = one(`    scope: { subnets: [snet-payments-api] }\n${body}`, bank, options);
      expect(c.status, body).toBe('fail');
      expect(c.violations[0]?.reason, body).toMatch(/^could not be proven: .* unknown \(/);
      expect(c.violations[0]?.path.verdict).toBe('unknown');
    }
    for (const body of ['    mustReach: ["2001:db8::1"]\n', '    mustNotReach: ["2001:db8::2"]\n', '    privateOnly: ["2001:db8::3"]\n']) {
      const c = one(`    scope: { subnets: [snet-payments-api] }\n${body}`);
      expect(c.violations[0]?.reason, body).toMatch(/^could not be proven: .* unknown/);
    }
  });
});

describe('effects and exceptions', () => {
  const yaml = (effect: string, expires = '2027-03-31'): string => `version: 1
controls:
  - id: no-dao
    effect: ${effect}
    forbidExits: [default-outbound]
    exceptions:
      - { source: snet-payments-reporting, reason: "moving to the hub in Q1", ticket: CHG-1234, expires: ${expires} }
  - id: via-fw
    effect: audit
    requireVia: [afw-hub-weu]
`;

  it('audit failures never change the exit code; disabled controls are not applicable', () => {
    const audit = run(yaml('audit', '2020-01-01'));
    expect(audit.controls.map((c) => [c.id, c.status])).toEqual([['no-dao', 'fail'], ['via-fw', 'fail']]);
    expect(audit.summary.denyFailed).toEqual([]);
    expect(checkExitCode(audit)).toBe(0);
    const disabled = run(yaml('disabled'));
    expect(disabled.controls[0]).toMatchObject({ status: 'not-applicable', notes: ['the control is disabled'], inScope: [] });
  });

  it('an exception waives a matching source until the end of its expiry day (UTC)', () => {
    const before = run(yaml('deny'), undefined, { now: new Date('2027-03-31T23:59:59Z') });
    expect(before.controls[0]).toMatchObject({ status: 'pass', violations: [], exceptionsExpired: [] });
    expect(before.controls[0]?.exceptionsApplied).toEqual([{
      exception: { source: 'snet-payments-reporting', reason: 'moving to the hub in Q1', ticket: 'CHG-1234', expires: '2027-03-31', line: 7 },
      source: expect.objectContaining({ name: 'snet-payments-reporting' }),
      waived: [expect.objectContaining({ requirement: 'forbidExits' })],
    }]);
    expect(checkExitCode(before)).toBe(0);
  });

  it('an expired exception no longer applies and says so, naming file, line and field', () => {
    const after = run(yaml('deny'), undefined, { now: new Date('2027-04-01T00:00:00Z') });
    const c = after.controls[0];
    expect(c?.status).toBe('fail');
    expect(c?.exceptionsApplied).toEqual([]);
    expect(c?.exceptionsExpired.map((e) => e.message)).toEqual(['policy.yaml:7: controls[0].exceptions[0].expires: the exception for "snet-payments-reporting" (CHG-1234) expired on 2027-03-31; it no longer applies']);
    expect(checkExitCode(after)).toBe(1);
  });

  it('a waiver for a subnet covers its NICs; globs work', () => {
    const mfg = demoInput('manufacturer');
    const c = only(run('version: 1\ncontrols:\n  - id: c\n    effect: deny\n    scope: { subnets: [snet-build-agents] }\n    forbidExits: [public-ip, default-outbound]\n    exceptions:\n      - { source: "snet-build-*", reason: r, expires: 2027-01-01 }\n', mfg));
    expect(c.status).toBe('pass');
    expect(c.exceptionsApplied.map((a) => a.source.name).sort()).toEqual(['nic-vm-build-agent-01', 'nic-vm-build-agent-02', 'snet-build-agents']);
  });
});

describe('--destination', () => {
  it('route-level requirements follow the what-if destination', () => {
    const result = run('version: 1\ncontrols:\n  - { id: c, effect: deny, scope: { subnets: [snet-settlement-db] }, forbidVerdicts: [denied] }\n', demoInput('bank'), { destination: 'api.stripe.com' });
    expect(result.destination).toBe('api.stripe.com');
    expect(only(result).status).toBe('fail');
  });
});

describe('a NIC whose path differs from its subnet\'s only for one destination', () => {
  // Subnet `app` (NAT gateway) holds nic-web, in ASG asg-web, and nic-db. The subnet NSG's rules name
  // the ASG for 203.0.113.10 only: on the default route nic-web's path differs from its subnet's in
  // its restriction alone (the subnet entry excludes 203.0.113.10), which gives it an entry there
  // too; for 203.0.113.10 its verdict differs as well.
  const asg = networkId('applicationsecuritygroups', 'asg-web');
  function estate(rules: readonly SecurityRule[]): ResolveInput {
    const b = new ModelBuilder();
    const vnet = b.vnet('spoke', ['10.1.0.0/16']);
    const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.0.0.1')] });
    const app = b.subnet(vnet, 'app', '10.1.1.0/24', { natGatewayId: nat, networkSecurityGroupId: b.nsg('nsg-app', rules) });
    b.nic(app, 'nic-web', '10.1.1.4', { asgIds: [asg] });
    b.nic(app, 'nic-db', '10.1.1.5');
    return modelInput(b.build());
  }
  const webOnly = (access: 'Allow' | 'Deny'): SecurityRule => securityRule(`${access.toLowerCase()}-web-to-exfil`, 100, access, '203.0.113.10/32', { sourceAddressPrefixes: [], sourceApplicationSecurityGroupIds: [asg] });
  /** Only nic-web may reach 203.0.113.10. */
  const letOut = (): ResolveInput => estate([webOnly('Allow'), securityRule('deny-exfil', 200, 'Deny', '203.0.113.10/32')]);
  const control = (input: ResolveInput, body: string): { readonly result: CheckResult; readonly c: ControlResult } => {
    const result = run(`version: 1\ncontrols:\n  - id: c\n    effect: deny\n${body}`, input);
    return { result, c: only(result) };
  };
  const why = (c: ControlResult): string[][] => c.violations.map((v) => [v.source.name, v.source.type, v.subject ?? '', v.reason]);

  it('fails mustNotReach when an ASG rule lets it reach the forbidden destination (the subnet alone is denied)', () => {
    const input = letOut();
    // The engine itself says nic-web reaches the destination over the internet.
    expect(resolveEgress(input, { destination: '203.0.113.10' }).paths.map((p) => [p.source.name, p.verdict])).toEqual([['nic-web', 'internet'], ['app', 'denied']]);
    // On the default route nic-web is not restricted (the deny on 203.0.113.10 skips it) while the
    // subnet entry is: a different restriction is a different answer, so nic-web has an entry too.
    expect(resolveEgress(input).paths.map((p) => p.source.name)).toEqual(['nic-web', 'app']);
    const { result, c } = control(input, '    mustNotReach: ["203.0.113.10"]\n');
    // README: mustNotReach destinations "must be proven blocked"; before, this passed with no violation.
    expect(c.status).toBe('fail');
    expect(why(c)).toEqual([['nic-web', 'nic', '203.0.113.10:443/tcp', 'reaches 203.0.113.10:443/tcp: internet, NAT gateway']]);
    expect(c.violations[0]?.path.verdict).toBe('internet');
    // Judged under its own name, in scope through its subnet, and listed as a source.
    expect(scopeNames(c, result)).toEqual(['app', 'nic-web']);
    expect(result.sources.map((s) => [s.name, s.type])).toEqual([['nic-web', 'nic'], ['app', 'subnet']]);
  });

  it('fails mustReach when an ASG rule denies it what its subnet reaches, and privateOnly judges it as well', () => {
    const input = estate([webOnly('Deny')]);
    expect(why(control(input, '    mustReach: ["203.0.113.10"]\n').c)).toEqual([['nic-web', 'nic', '203.0.113.10:443/tcp', 'cannot reach 203.0.113.10:443/tcp: denied (Denied by NSG nsg-app)']]);
    expect(why(control(letOut(), '    privateOnly: ["203.0.113.10"]\n').c)).toEqual([
      ['nic-web', 'nic', '203.0.113.10:443/tcp', 'reaches 203.0.113.10:443/tcp over the internet (NAT gateway), not through a private endpoint'],
      ['app', 'subnet', '203.0.113.10:443/tcp', 'does not reach 203.0.113.10:443/tcp through a private endpoint: denied (Denied by NSG nsg-app)'],
    ]);
  });

  it('is waived by an exception for its subnet, like any NIC, and left out by a scope that excludes its subnet', () => {
    const waived = control(letOut(), '    mustNotReach: ["203.0.113.10"]\n    exceptions:\n      - { source: app, reason: r, expires: 2027-01-01 }\n').c;
    expect(waived.status).toBe('pass');
    expect(waived.exceptionsApplied.map((a) => [a.source.name, a.waived.map((w) => w.reason)])).toEqual([['nic-web', ['reaches 203.0.113.10:443/tcp: internet, NAT gateway']]]);
    const elsewhere = control(letOut(), '    scope: { subnets: [other] }\n    mustNotReach: ["203.0.113.10"]\n').c;
    expect(elsewhere).toMatchObject({ status: 'not-applicable', inScope: [], violations: [] });
  });
});

describe('mayReach: what reach lists beyond the default route\'s flow and rule fields', () => {
  it('an unrestricted source fails ["0.0.0.0/0:443"] whatever --destination is (a private or an IPv6 address)', () => {
    // snet-payments-reporting leaves by default outbound access with no inspection, and its NSG has
    // only the default rules: every port of both protocols gets out. mayReach is about reach (the
    // default route) whatever --destination is; the unrestricted-path guard used to read the
    // --destination path instead, and a private or IPv6 destination flipped the verdict to pass.
    const body = '    scope: { subnets: [snet-payments-reporting] }\n    mayReach: ["0.0.0.0/0:443"]\n';
    const expected = [[
      '*', ['*'], ['Tcp', 'Udp'], 'internet',
      'can reach any public destination on Tcp/Udp * (no inspection; NSG nsg-snet-payments-reporting rule AllowInternetOutBound allows it), not only the mayReach list',
    ]];
    for (const destination of [undefined, '10.0.0.5', '2001:db8::1']) {
      const c = one(body, demoInput('bank'), destination === undefined ? {} : { destination });
      expect(c.status, destination).toBe('fail');
      // The proof is the default-route path, not the --destination one.
      expect(c.violations.map((v) => [v.subject, v.ports, v.protocols, v.path.verdict, v.reason]), destination).toEqual(expected);
    }
  });

  it('a firewall network rule to an IP group is something the source can reach', () => {
    // destinations.md §5.3: network rules match the destination "IP/CIDR/service tag/IP group/FQDN→IPs".
    const ipg = networkId('ipgroups', 'ipg-partners');
    const { b } = hubSpokeFirewall([networkRule('to-partners', { destinationAddresses: [], destinationIpGroupIds: [ipg] })]);
    b.ipGroup('ipg-partners', ['198.51.100.0/24']);
    const c = one('    scope: { subnets: [app] }\n    mayReach: [api.stripe.com]\n', modelInput(b.build()));
    // Before: pass with no violation (the rule's IP group was never read).
    expect(c.status).toBe('fail');
    expect(c.violations.map((v) => [v.subject, v.reason])).toEqual([['198.51.100.0/24', 'can reach 198.51.100.0/24 TCP 443 (rule fw-policy/net/to-partners), which is not in mayReach']]);
  });

  // `https://git.contoso.com:22` states HTTPS, which `Https:22` matches; `git.contoso.com:22` is only
  // TCP 22 (SSH, most likely): one label (git.contoso.com:22/tcp), two answers. Sharing one resolve
  // per label gave the bare port the URL's confident answer.
  it('a URL and a bare host:port with one label are resolved apart (the URL states the application protocol)', () => {
    const { b } = hubSpokeFirewall([applicationRule('git', ['git.contoso.com'], { protocols: ['Https:22'] })]);
    const c = one('    scope: { subnets: [app] }\n    mustReach: ["https://git.contoso.com:22", "git.contoso.com:22"]\n', modelInput(b.build()));
    expect(c.violations.map((v) => v.reason)).toEqual(['could not be proven: whether it reaches git.contoso.com:22/tcp is unknown (Unknown: Firewall fw rule app/git)']);
  });

  it('a Premium application rule with targetUrls: the engine\'s unknown for the host is "may reach", not a silent pass', () => {
    // destinations.md §5.1/§5.3: application rules match "targetFqdns | fqdnTags | webCategories | targetUrls".
    const { b } = hubSpokeFirewall([applicationRule('paste', [], { targetUrls: ['www.pastebin.example/upload'] })], { skuTier: 'Premium' });
    const input = modelInput(b.build());
    const c = one('    scope: { subnets: [app] }\n    mayReach: [api.stripe.com]\n', input);
    expect(c.status).toBe('fail');
    expect(c.violations.map((v) => [v.subject, v.reason])).toEqual([['www.pastebin.example', 'may reach (not proven blocked) www.pastebin.example Https 443 (rule fw-policy/app/paste), which is not in mayReach']]);
    // The URL allows some paths of that host: naming the host covers it.
    expect(one('    scope: { subnets: [app] }\n    mayReach: [www.pastebin.example]\n', input).status).toBe('pass');
  });
});

describe('mayReach: ports beyond TCP 443, and NICs whose NSG rules treat ports otherwise', () => {
  /** Subnet `app` behind a NAT gateway (20.0.0.1), its NSG holding these outbound rules. */
  function natSubnet(rules: readonly SecurityRule[]): ResolveInput {
    const b = new ModelBuilder();
    const vnet = b.vnet('spoke', ['10.1.0.0/16']);
    const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.0.0.1')] });
    b.subnet(vnet, 'app', '10.1.1.0/24', { natGatewayId: nat, networkSecurityGroupId: b.nsg('nsg-app', rules) });
    return modelInput(b.build());
  }
  const why = (c: ControlResult): unknown[] => c.violations.map((v) => [v.source.name, v.subject, v.ports, v.protocols, v.reason]);

  it('a firewall rule allowing NTP (UDP 123) to any address fails mayReach [time.windows.com]', () => {
    // 0.0.0.0/0 goes to the hub firewall, whose policy allows only UDP 123 to `*`. Azure Firewall
    // network rules match protocol, port and address (https://learn.microsoft.com/azure/firewall/rule-processing):
    // any public address is reachable on UDP 123. The rule used to be judged on the default route's
    // TCP 443 (denied) and dropped, so reach listed nothing and the control passed.
    const { b } = hubSpokeFirewall([networkRule('ntp-anywhere', { protocols: ['UDP'], destinationAddresses: ['*'], destinationPorts: ['123'] })]);
    const c = one('    scope: { subnets: [app] }\n    mayReach: [time.windows.com]\n', modelInput(b.build()));
    expect(c.status).toBe('fail');
    expect(why(c)).toEqual([['app', '*', ['123'], ['UDP'], 'can reach any public destination on UDP 123 (fw-policy/net/ntp-anywhere), not only the mayReach list']]);
  });

  it('an NSG that allows only TCP 443 to Internet passes ["0.0.0.0/0:443/tcp"]', () => {
    // "HTTPS out only" (allow Internet TCP 443, deny Internet) is the most common outbound NSG. Every
    // NSG port class is evaluated: all ports but TCP 443 are denied, and a NAT gateway treats every
    // port alike, so nothing but TCP 443 gets out. The open path's entry used to be TCP 443 because
    // nothing else was looked at, and evaluate.ts failed it as "only TCP 443 is evaluated on this
    // unrestricted path": a control stating exactly what the estate enforces failed.
    const https = natSubnet([
      securityRule('allow-https-out', 100, 'Allow', 'Internet', { protocol: 'Tcp', destinationPortRanges: ['443'] }),
      securityRule('deny-internet-out', 4000, 'Deny', 'Internet'),
    ]);
    const c = one('    scope: { subnets: [app] }\n    mayReach: ["0.0.0.0/0:443/tcp"]\n', https);
    expect(c.violations).toEqual([]);
    expect(c.status).toBe('pass');
  });

  it('patterns add up: TCP 80 and 443 let out pass [":80/tcp", ":443/tcp"] and fail [":443/tcp"] alone', () => {
    // One NSG rule for both ports makes one reach entry on TCP 80 and 443; each port is allowed by
    // its own pattern.
    const web = natSubnet([
      securityRule('allow-web-out', 100, 'Allow', 'Internet', { protocol: 'Tcp', destinationPortRanges: ['80', '443'] }),
      securityRule('deny-internet-out', 4000, 'Deny', 'Internet'),
    ]);
    expect(one('    scope: { subnets: [app] }\n    mayReach: ["0.0.0.0/0:80/tcp", "0.0.0.0/0:443/tcp"]\n', web).status).toBe('pass');
    expect(why(one('    scope: { subnets: [app] }\n    mayReach: ["0.0.0.0/0:443/tcp"]\n', web))).toEqual([
      ['app', '*', ['80', '443'], ['Tcp'], 'can reach any public destination on Tcp 80,443 (no inspection; NSG nsg-app rule allow-web-out allows it), not only the mayReach list'],
    ]);
  });

  it('still fails where the other ports are not resolved: past an NSG with port rules at an NVA', () => {
    // nsg-nva lets TCP 80 and 443 out at the NVA: TCP 443 is resolved, the other ports "may reach",
    // never a pass for a port-restricted list (the engine itself says TCP 80 gets out).
    const input = modelInput(nvaWithNsgModel(true));
    expect(resolveEgress(input, { destination: '0.0.0.0/0:80/tcp' }).paths.find((p) => p.source.name === 'app')?.verdict).toBe('internet');
    const c = one('    scope: { subnets: [app] }\n    mayReach: ["0.0.0.0/0:443/tcp"]\n', input);
    expect(why(c)).toEqual([['app', '*', ['*'], ['Tcp', 'Udp'], 'may reach (not proven blocked) any public destination on Tcp/Udp * (only TCP 443 is resolved past NSG nsg-nva), not only the mayReach list']]);
    expect(one('    scope: { subnets: [app] }\n    mayReach: ["0.0.0.0/0"]\n', input).status).toBe('pass');
  });

  it('a NIC whose ASG opens TCP 22 to Internet is judged by mayReach under its own name, as mustNotReach judges it', () => {
    // NSG rules apply to the members of the ASGs they name
    // (https://learn.microsoft.com/azure/virtual-network/application-security-groups): the jump host
    // may SSH to any public address. Its TCP 443 path equals its subnet's, so it has no entry in the
    // default-route resolve; reach walked only those entries, and mayReach (partner range only)
    // passed while mustNotReach [203.0.113.9:22/tcp] failed for nic-jump in the same run.
    const input = modelInput(jumpHostModel());
    expect(names(one('    scope: { subnets: [app] }\n    mustNotReach: ["203.0.113.9:22/tcp"]\n', input))).toEqual(['nic-jump']);
    const result = run('version: 1\ncontrols:\n  - id: c\n    effect: deny\n    scope: { subnets: [app] }\n    mayReach: ["198.51.100.0/24"]\n', input);
    const c = only(result);
    expect(c.status).toBe('fail');
    expect(why(c)).toEqual([['nic-jump', '*', ['22'], ['Tcp'], 'can reach any public destination on Tcp 22 (no inspection; NSG nsg-app rule allow-ssh-jump allows it), not only the mayReach list']]);
    // In scope through its subnet, and a source of the result (JUnit names it); nic-web is its subnet.
    expect(scopeNames(c, result)).toEqual(['app', 'nic-jump']);
    expect(result.sources.map((s) => [s.name, s.type])).toEqual([['app', 'subnet'], ['nic-jump', 'nic']]);
    // The same under --destination, and waived by an exception for its subnet like any NIC.
    expect(why(one('    scope: { subnets: [app] }\n    mayReach: ["198.51.100.0/24"]\n', input, { destination: '198.51.100.7' }))).toEqual(why(c));
    const waived = one('    scope: { subnets: [app] }\n    mayReach: ["198.51.100.0/24"]\n    exceptions:\n      - { source: app, reason: r, expires: 2027-01-01 }\n', input);
    expect(waived.status).toBe('pass');
    expect(waived.exceptionsApplied.map((a) => a.source.name)).toEqual(['nic-jump']);
  });
});

describe('maxSnatUtilisation and unknown paths', () => {
  it('an unknown path is "could not be proven", not "no SNAT metric on its path", and does not let the control pass', () => {
    // app goes through the metered firewall (50%); mystery routes 0.0.0.0/0 to an appliance in a
    // VNet outside the input: verdict unknown, so whether a metered device SNATs it is unknown.
    const { b, spoke, fw } = hubSpokeFirewall([networkRule('all')]);
    b.peerOutOfScope(spoke, networkId('virtualnetworks', 'remote'), ['10.9.0.0/16']);
    const rt = b.routeTable('rt-remote-nva', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.9.9.9' }]);
    b.subnet(spoke, 'mystery', '10.1.2.0/24', { routeTableId: rt });
    const input: ResolveInput = { ...modelInput(b.build()), metrics: [snatMetric(fw, 50)] };
    expect(resolveEgress(input).paths.find((p) => p.source.name === 'mystery')?.verdict).toBe('unknown');
    const c = one('    maxSnatUtilisation: 80\n', input);
    // evaluate.ts / README: a path the engine calls unknown never passes a must requirement. Before:
    // status pass, with mystery only in a note claiming it had no metric on its path.
    expect(c.status).toBe('fail');
    expect(c.notes).toEqual([]);
    expect(c.violations.map((v) => [v.source.name, v.reason])).toEqual([[
      'mystery',
      'could not be proven: the path is unknown (Not in the snapshot: peered virtual network remote (holding next hop 10.9.9.9)), so whether its traffic is SNATed by a device with a SNAT port utilisation metric is not known',
    ]]);
  });
});

describe('mayReach on a forced-tunnelled source', () => {
  it('does not pass when the default route goes on-premises (what it reaches there is not in the input)', () => {
    // Manufacturer demo: snet-plant-floor-line1's internet traffic is forced to on-premises.
    // README (Destinations / reach): for such a source reach says "Not known beyond Azure: ... What it
    // reaches from there (through an on-premises proxy or firewall) is not in the input". mustNotReach
    // already treats on-premises as "could not be proven blocked" (evaluate.ts). mayReach ("what
    // reach says the source can reach is within this list") must not then certify that the source
    // reaches only api.stripe.com: that is a pass on data the model does not have. (Audit: it passed,
    // with no violation and no note.)
    const mfg = demoInput('manufacturer');
    const reach = computeReach(mfg, {}).sources.find((s) => s.source.name === 'snet-plant-floor-line1');
    expect(reach?.defaultRoute).toBe('on-premises');
    const mustNot = one('    scope: { subnets: [snet-plant-floor-line1] }\n    mustNotReach: [exfil.example.net]\n', mfg);
    expect(mustNot.status).toBe('fail');
    const may = one('    scope: { subnets: [snet-plant-floor-line1] }\n    mayReach: [api.stripe.com]\n', mfg);
    expect(may.status).toBe('fail');
    expect(may.violations[0]?.reason).toMatch(/could not be proven/);
  });

  it('every requirement that bounds what a forced tunnel reaches says "could not be proven"; a list that allows everything holds', () => {
    // The class, not the one source: both plant-floor subnets, with a port-narrowed pattern too
    // (0.0.0.0/0:443 is not "everything": what leaves on-premises on other ports is unknown).
    const mfg = demoInput('manufacturer');
    for (const list of ['[api.stripe.com]', '["0.0.0.0/0:443"]', '["*.example.com", 20.0.0.0/8]']) {
      const c = one(`    scope: { subnets: [snet-plant-floor-*] }\n    mayReach: ${list}\n`, mfg);
      expect(c.status, list).toBe('fail');
      expect(names(c), list).toEqual(['snet-plant-floor-line1', 'snet-plant-floor-line2']);
      expect(c.violations.every((v) => /^could not be proven: the default route \(0\.0\.0\.0\/0\) leaves Azure to on-premises/.test(v.reason)), list).toBe(true);
    }
    const notProven = one('    scope: { subnets: [snet-plant-floor-*] }\n    mustNotReach: [exfil.example.net]\n    privateOnly: [stpatients.blob.core.windows.net]\n', mfg);
    expect(notProven.violations.map((v) => v.requirement).sort()).toEqual(['mustNotReach', 'mustNotReach', 'privateOnly', 'privateOnly']);
    expect(one('    scope: { subnets: [snet-plant-floor-*] }\n    mayReach: ["*"]\n', mfg).status).toBe('pass');
  });

  // A forced tunnel reaches the internet from the on-premises network's own edge: its public IPs
  // are not in the input, so egressIpsWithin is never proven there (it passed before). requireVia
  // stays about internet paths (the starter's plant floor is forced-tunnelled on purpose).
  it('egressIpsWithin is "could not be proven" on a forced tunnel; requireVia judges only internet paths', () => {
    const mfg = demoInput('manufacturer');
    const ips = one('    scope: { subnets: [snet-plant-floor-*] }\n    egressIpsWithin: [0.0.0.0/0]\n', mfg);
    expect(ips.status).toBe('fail');
    expect(names(ips)).toEqual(['snet-plant-floor-line1', 'snet-plant-floor-line2']);
    expect(ips.violations.every((v) => /^could not be proven: the default route \(0\.0\.0\.0\/0\) leaves Azure to on-premises .*public IPs/.test(v.reason))).toBe(true);
    expect(one('    scope: { subnets: [snet-plant-floor-*] }\n    requireVia: [afw-mfg-hub-neu]\n', mfg).status).toBe('pass');
  });
});

describe('mayReach and service tags', () => {
  /** Subnet `app` behind a NAT gateway, its NSG letting out TCP 443 to Storage.WestEurope only. */
  function storageOnly(serviceTags: ServiceTagSet | null): ResolveInput {
    const b = new ModelBuilder();
    const vnet = b.vnet('spoke', ['10.1.0.0/16']);
    const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.0.0.1')] });
    const rules: SecurityRule[] = [
      securityRule('allow-storage-weu', 100, 'Allow', 'Storage.WestEurope', { protocol: 'Tcp', destinationPortRanges: ['443'] }),
      securityRule('deny-internet-out', 4000, 'Deny', 'Internet'),
    ];
    b.subnet(vnet, 'app', '10.1.1.0/24', { natGatewayId: nat, networkSecurityGroupId: b.nsg('nsg-app', rules) });
    const input = modelInput(b.build());
    return serviceTags ? { ...input, serviceTags } : input;
  }

  const tag = (name: string, addressPrefixes: readonly string[]): ServiceTagSet['tags'][number] => ({ name, region: 'westeurope', systemService: 'AzureStorage', addressPrefixes, networkFeatures: null });
  /** Storage.WestEurope (what the NSG allows) and two tags covering its first /24 wholly (split in halves) or in part. */
  const TAGS: ServiceTagSet = { changeNumber: 1, cloud: 'Public', tags: [
    tag('Storage.WestEurope', ['20.38.108.0/24', '20.60.0.0/16']),
    tag('Halves', ['20.38.108.0/25', '20.38.108.128/25', '20.60.0.0/16']),
    tag('Part', ['20.38.108.0/25', '20.60.0.0/16']),
  ] };

  it('a policy naming exactly the service tag the NSG allows passes, with or without service tag data', () => {
    // README: mayReach lists "FQDNs and *. patterns, CIDRs, service / FQDN tags". The NSG lets out
    // TCP 443 to Storage.WestEurope and nothing else, and the policy allows Storage.WestEurope.
    // Without tag data reach lists the tag and the control passes; with tag data (--service-tags,
    // or what pull stores) reach lists the tag's prefixes, and evaluate.ts only let a tag pattern
    // cover an entry that names the tag, so the same control failed on four CIDRs of that very tag.
    // A control stating exactly what the estate enforces must not fail because better data was given.
    const body = '    scope: { subnets: [app] }\n    mayReach: ["Storage.WestEurope"]\n';
    expect(one(body, storageOnly(null)).status).toBe('pass');
    const withData = one(body, storageOnly(demoInput('bank').serviceTags ?? null));
    expect(withData.violations.map((v) => v.subject)).toEqual([]);
    expect(withData.status).toBe('pass');
  });

  it('a tag covers a CIDR wholly inside its prefixes (their union), never one only partly inside, and keeps its port', () => {
    const input = storageOnly(TAGS);
    const mayReach = (list: string): ControlResult => one(`    scope: { subnets: [app] }\n    mayReach: ${list}\n`, input);
    expect(mayReach('[Storage.WestEurope]').status).toBe('pass');
    expect(mayReach('[storage.westeurope]').status).toBe('pass');
    // Two /25 prefixes together hold the /24 reach lists.
    expect(mayReach('[Halves]').status).toBe('pass');
    // Only half of 20.38.108.0/24 is Part's: its other addresses are not allowed by naming Part.
    const part = mayReach('[Part]');
    expect(part.status).toBe('fail');
    expect(part.violations.map((v) => v.subject)).toEqual(['20.38.108.0/24']);
    // The tag's port narrows it as for any pattern: TCP 443 gets out, the list allows only 22.
    expect(mayReach('["Storage.WestEurope:22"]').violations.map((v) => v.subject)).toEqual(['20.38.108.0/24', '20.60.0.0/16']);
    // A tag the data does not list covers nothing (its contents are not known).
    expect(mayReach('[Storage.NorthEurope]').status).toBe('fail');
  });
});

describe('selectors: names by name, IDs by segment', () => {
  it('a waiver glob on names does not waive a source whose name it does not match (through its VNet or resource group in the ID)', () => {
    // README: "An exception applies to a source (name, ID or glob; a subnet's covers its NICs)";
    // schema: "The subnet or NIC (name, ID or glob) whose violations are waived". The waiver below is
    // meant for snet-payments-api (and anything named *payments-api*). snet-payments-reporting's name
    // does not match it, yet glob.ts let `*` run across the slashes of its resource ID
    // (/…/resourcegroups/rg-payments-api-weu/…/virtualnetworks/vnet-payments-api-weu/subnets/snet-payments-reporting),
    // so its default-outbound violation was waived and the deny control passed: a waiver silently
    // covered a workload nobody named.
    const bank = demoInput('bank');
    const c = one('    forbidExits: [default-outbound]\n    exceptions:\n      - { source: "*payments-api*", reason: "API tier moves in Q1", expires: 2027-01-01 }\n', bank);
    expect(c.exceptionsApplied.map((a) => a.source.name)).not.toContain('snet-payments-reporting');
    expect(c.violations.map((v) => v.source.name)).toEqual(['snet-payments-reporting']);
    expect(c.status).toBe('fail');
  });

  it('scope entries follow the same rule: a name glob sees names only; in an ID, * stays within one segment', () => {
    const bank = demoInput('bank');
    const req = '    forbidVerdicts: [dropped]\n';
    const sub = bank.model.subnets.find((s) => s.name === 'snet-card-auth')?.subscriptionId ?? '';
    // By name: only snet-payments-api, not its neighbour in vnet-payments-api-weu / rg-payments-api-weu.
    expect(scopeNames(one(`    scope: { subnets: ["*payments-api*"] }\n${req}`, bank))).toEqual([subnetId(bank, 'snet-payments-api')]);
    // By ID, one segment per *: every subnet of the group's VNets, and no subnet through a shorter ID.
    const inGroup = `/subscriptions/${sub}/resourceGroups/rg-payments-api-weu/providers/Microsoft.Network/virtualNetworks/*/subnets/*`;
    expect(one(`    scope: { subnets: ["${inGroup}"] }\n${req}`, bank).inScope.map((id) => id.split('/').pop())).toEqual(['snet-payments-api', 'snet-payments-reporting']);
    expect(one(`    scope: { subnets: ["/subscriptions/${sub}/*"] }\n${req}`, bank)).toMatchObject({ status: 'not-applicable', notes: ['no source is in scope'] });
    expect(one(`    scope: { resourceGroups: ["/subscriptions/${sub}/resourceGroups/rg-settlement-*"] }\n${req}`, bank).inScope).toHaveLength(2);
    // A trailing slash on an ID names the same resource.
    expect(one(`    scope: { subnets: ["${subnetId(bank, 'snet-card-auth')}/"] }\n${req}`, bank).inScope).toEqual([subnetId(bank, 'snet-card-auth')]);
    // requireVia is matched the same way: a name glob on the firewall's name (afw-hub-weu), never
    // its resource group (rg-hub-network-weu) in the ID.
    const via = (glob: string): ControlResult => one(`    scope: { subnets: [snet-payments-api] }\n    requireVia: ["${glob}"]\n`, bank);
    expect(via('*hub*').status).toBe('pass');
    expect(via('*network*').status).toBe('fail');
    expect(via('/subscriptions/*/resourcegroups/rg-hub-network-weu/providers/microsoft.network/azurefirewalls/*').status).toBe('pass');
  });

  it('** is refused in an ID (it would read as "any number of segments"); tag values are text, where * matches /', () => {
    const parsed = readPolicy('version: 1\ncontrols:\n  - id: c\n    effect: deny\n    scope: { subnets: ["/subscriptions/**/subnets/snet-a"] }\n    forbidExits: [public-ip]\n', 'p.yaml');
    expect(parsed.kind === 'error' ? parsed.issues.map((i) => `${i.line}: ${i.field}: ${i.message}`) : []).toEqual([
      '5: controls[0].scope.subnets[0]: "/subscriptions/**/subnets/snet-a": ** is not supported in a resource ID: * matches within one segment (between two /); write each segment, or give a name without the leading /',
    ]);
    const health = demoInput('health');
    const tagged: ResolveInput = { ...health, model: { ...health.model, subnets: health.model.subnets.map((s) => (s.name === 'snet-fhir-api' ? { ...s, tags: { path: '/team/fhir' } } : s)) } };
    expect(one('    scope: { tags: { path: "/team/*" } }\n    forbidVerdicts: [dropped]\n', tagged).inScope).toEqual([subnetId(health, 'snet-fhir-api')]);
    expect(parsePolicy('version: 1\ncontrols:\n  - { id: c, effect: deny, scope: { subnets: ["snet-**"] }, forbidExits: [public-ip] }\n', 'p.yaml').controls).toHaveLength(1);
  });
});

describe('a partial capture: what the input did not read', () => {
  const bank = demoInput('bank');
  const denied = '7c2e9a41-0b6d-4f3e-9a85-3d1f6b2c8e07';
  const sub = bank.model.subnets.find((s) => s.name === 'snet-card-auth')?.subscriptionId ?? '';
  const gap: Gap = { code: 'access-denied', scope: `/subscriptions/${denied}`, message: `Subscription ${denied} answered 403 (AuthorizationFailed): nothing of it was read.` };
  const partial: ResolveInput = { ...bank, gaps: [...bank.gaps, gap, gap, { code: 'not-modelled', scope: 'IPv6', message: 'IPv6 egress is not modelled.' }] };

  it('lists the unread parts once each, and a deny control whose scope may include them is not a clean pass', () => {
    // README (Live pull): a 403 on a subscription "is recorded as a gap in the snapshot and shown
    // everywhere, never silently dropped". Here the unscoped control finds no violation in what was
    // read, so it stays a pass (nothing is invented), but it says what it did not judge.
    const result = run('version: 1\ncontrols:\n  - id: c\n    effect: deny\n    forbidExits: [default-outbound]\n    exceptions:\n      - { source: snet-payments-reporting, reason: r, expires: 2027-12-31 }\n', partial);
    expect(result.gaps).toEqual([{ code: 'access-denied', scope: gap.scope, message: gap.message }]);
    const c = only(result);
    expect(c.status).toBe('pass');
    expect(c.notRead).toEqual(result.gaps);
    expect(c.notes).toEqual([`not judged where the input was not read: /subscriptions/${denied} (access-denied); sources there, if any, may be in scope`]);
    expect(result.summary.notJudgedUnread).toEqual(['c']);
    expect(checkExitCode(result)).toBe(0);
  });

  it('a control scoped to the unread subscription says so instead of just "no source is in scope"; one scoped elsewhere is untouched', () => {
    const result = run(`version: 1\ncontrols:\n  - { id: there, effect: deny, scope: { subscriptions: ["${denied}"] }, forbidExits: [default-outbound] }\n  - { id: here, effect: deny, scope: { subscriptions: ["${sub}"] }, forbidExits: [public-ip] }\n`, partial);
    const [there, here] = result.controls;
    expect(there).toMatchObject({ status: 'not-applicable', notRead: result.gaps });
    expect(there?.notes).toEqual([`no source that was read is in scope; not judged where the input was not read: /subscriptions/${denied} (access-denied); sources there, if any, may be in scope`]);
    // The unread subscription explains why the entry selects nothing: it is no typo.
    expect(there?.unmatchedScope).toBeUndefined();
    expect(here).toMatchObject({ status: 'pass', notes: [] });
    expect(here?.notRead).toBeUndefined();
    expect(result.summary.notJudgedUnread).toEqual(['there']);
    // An input that read everything carries none of it (results stay as they were).
    const full = run(`version: 1\ncontrols:\n  - { id: c, effect: deny, forbidExits: [public-ip] }\n`, bank);
    expect(full.gaps).toBeUndefined();
    expect(full.summary.notJudgedUnread).toBeUndefined();
    expect(only(full).notRead).toBeUndefined();
  });

  it('gapMayBeInScope: only what the scope rules out for certain is left out', () => {
    const scope = (yaml: string) => {
      const control = policy(`version: 1\ncontrols:\n  - { id: c, effect: deny, scope: ${yaml}, forbidExits: [public-ip] }\n`).controls[0];
      if (!control) throw new Error('no control');
      return control.scope;
    };
    const g = (s: string): Gap => ({ code: 'access-denied', scope: s, message: '' });
    const rg = `/subscriptions/${sub}/resourceGroups/rg-other`;
    expect(gapMayBeInScope(scope(`{ subscriptions: ["${sub}"] }`), g(`/subscriptions/${denied}`))).toBe(false);
    expect(gapMayBeInScope(scope(`{ subnets: [snet-card-auth] }`), g(`/subscriptions/${denied}`))).toBe(true);
    expect(gapMayBeInScope(scope(`{ resourceGroups: [rg-card-auth-weu] }`), g(rg))).toBe(false);
    expect(gapMayBeInScope(scope(`{ resourceGroups: ["rg-*"] }`), g(rg))).toBe(true);
    // An NSG of another group may serve subnets of rg-card-auth-weu: it is not ruled out.
    expect(gapMayBeInScope(scope(`{ resourceGroups: [rg-card-auth-weu] }`), g(`${rg}/providers/Microsoft.Network/networkSecurityGroups/nsg-a`))).toBe(true);
    expect(gapMayBeInScope(scope(`{ vnets: [vnet-a] }`), g(`${rg}/providers/Microsoft.Network/virtualNetworks/vnet-b`))).toBe(false);
    expect(gapMayBeInScope(scope(`{ subnets: [snet-a] }`), g(`${rg}/providers/Microsoft.Network/virtualNetworks/vnet-b/subnets/snet-b`))).toBe(false);
    expect(gapMayBeInScope(scope(`{ subnets: [snet-b] }`), g(`${rg}/providers/Microsoft.Network/virtualNetworks/vnet-b/subnets/snet-b`))).toBe(true);
    // A skipped file or the tenant may hold anything.
    expect(gapMayBeInScope(scope(`{ subscriptions: ["${sub}"] }`), g('exports/vnets.json'))).toBe(true);
  });
});

describe('scope entries that match no source', () => {
  it('are named per control (a typo next to real names narrows the scope without a word otherwise)', () => {
    const c = one('    scope: { subnets: [snet-payments-api, snet-card-auht], vnets: ["vnet-*"], tags: { data-class: pci } }\n    forbidVerdicts: [dropped]\n');
    expect(c.unmatchedScope).toEqual([{ list: 'subnets', entry: 'snet-card-auht' }, { list: 'tags.data-class', entry: 'pci' }]);
    // Every entry matches: no field (results stay as they were).
    expect(one('    scope: { subnets: [snet-payments-api, snet-card-auth] }\n    forbidVerdicts: [dropped]\n').unmatchedScope).toBeUndefined();
    // A platform subnet is a source too: naming it without includePlatform is not a typo (the control says N/A).
    expect(one('    scope: { subnets: [GatewaySubnet] }\n    forbidVerdicts: [dropped]\n').unmatchedScope).toBeUndefined();
  });
});

describe('mayReach on a source forced-tunnelled on every port but TCP 443 (review of ad0d138)', () => {
  /**
   * Subnet `app`: 0.0.0.0/0 → VirtualNetworkGateway (forced tunnel), its NSG denying only TCP 443
   * to Internet. The default route (judged on TCP 443) is `denied`; every other port and protocol
   * leaves Azure to on-premises.
   */
  function tunnelBut443(): ResolveInput {
    const b = new ModelBuilder();
    const vnet = b.vnet('spoke', ['10.1.0.0/16']);
    b.subnet(vnet, 'GatewaySubnet', '10.1.255.0/27');
    b.gateway('vpngw', vnet);
    const rt = b.routeTable('rt-forced', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualNetworkGateway' }]);
    const nsg = b.nsg('nsg-app', [securityRule('deny-https-out', 100, 'Deny', 'Internet', { protocol: 'Tcp', destinationPortRanges: ['443'] })]);
    b.subnet(vnet, 'app', '10.1.1.0/24', { routeTableId: rt, networkSecurityGroupId: nsg });
    return modelInput(b.build());
  }

  it('is "could not be proven" when TCP 80 (and everything but TCP 443) goes on-premises; a list that allows everything holds', () => {
    // README: a forced tunnel does not pass mayReach, "because what the source reaches beyond Azure
    // is not in the input"; an NSG that denies 443 but allows TCP 80 "lets anything out on 80". The
    // engine knows TCP 80 is forced-tunnelled (mustNotReach on 8.8.8.8:80 is "could not be
    // proven"), but mayReach looked only at reach.defaultRoute (the TCP 443 verdict, `denied`), and
    // reach drops the port classes whose verdict is on-premises, so mayReach: [api.stripe.com]
    // PASSED with no violation and no note. Any flow reach judged that leaves to on-premises counts.
    const input = tunnelBut443();
    const reach = computeReach(input, {}).sources.find((s) => s.source.name === 'app');
    expect(reach?.defaultRoute).toBe('denied');
    const mustNot = one('    scope: { subnets: [app] }\n    mustNotReach: ["8.8.8.8:80/tcp"]\n', input);
    expect(mustNot.status).toBe('fail');
    expect(mustNot.violations[0]?.reason).toMatch(/could not be proven/);
    for (const list of ['[api.stripe.com]', '["0.0.0.0/0:443"]', '["0.0.0.0/0:80/tcp"]']) {
      const may = one(`    scope: { subnets: [app] }\n    mayReach: ${list}\n`, input);
      expect(may.status, list).toBe('fail');
      expect(may.violations.map((v) => v.reason), list).toEqual([
        'could not be proven: traffic on Tcp 0-442,444-65535; Udp * leaves Azure to on-premises (forced tunnel), where the model ends; what the source reaches from there is not in the input, so it cannot be shown to stay within mayReach',
      ]);
    }
    expect(one('    scope: { subnets: [app] }\n    mayReach: ["*"]\n', input).status).toBe('pass');
  });
});

describe('scope entries of an unread subscription are no typos (review of ad0d138)', () => {
  const bank = demoInput('bank');
  const DENIED = '7c2e9a41-0b6d-4f3e-9a85-3d1f6b2c8e07';
  const read = bank.model.subnets.find((s) => s.name === 'snet-card-auth');
  const sub = read?.subscriptionId ?? '';
  const denied: Gap = { code: 'access-denied', scope: `/subscriptions/${DENIED}`, message: `Subscription ${DENIED} answered 403 (AuthorizationFailed): nothing of it was read.` };
  const partial: ResolveInput = { ...bank, gaps: [...bank.gaps, denied] };
  const deniedRg = `/subscriptions/${DENIED}/resourceGroups/rg-trading-weu`;
  const deniedVnet = `${deniedRg}/providers/Microsoft.Network/virtualNetworks/vnet-trading-weu`;

  it('a VNet / resource group / subnet named next to the 403 subscription that holds it is not "unmatched"', () => {
    // README (scope): "one that names a subscription, group, VNet or subnet the input could not
    // read is not a typo, and the control's not-read note covers it". Subscription DENIED answered
    // 403: none of its groups, VNets or subnets were read. unmatchedScope only excused an entry by
    // the unread container's own level, so a subscription gap excused no group, VNet or subnet, and
    // the stderr / SARIF / JUnit told the author to fix correct names.
    const c = one(`    scope: { subscriptions: ["${DENIED}"], resourceGroups: [rg-trading-weu], vnets: [vnet-trading-weu], subnets: [snet-trading-fix] }\n    forbidExits: [default-outbound]\n`, partial);
    expect(c.notRead?.map((g) => g.scope)).toEqual([denied.scope]);
    expect(c.unmatchedScope).toBeUndefined();
  });

  it('a subscription written as /subscriptions/<id> (as the schema documents) is not "unmatched" when that subscription was not read', () => {
    // policy.schema.json (scope.subscriptions): "Subscription IDs (or /subscriptions/<id>) or
    // globs". The bare GUID was excused; the same subscription written as its resource ID was
    // reported as a typo because unmatchedScope compared the unread container by name only.
    const bare = one(`    scope: { subscriptions: ["${DENIED}"] }\n    forbidExits: [default-outbound]\n`, partial);
    expect(bare.unmatchedScope).toBeUndefined();
    const asId = one(`    scope: { subscriptions: ["/subscriptions/${DENIED}"] }\n    forbidExits: [default-outbound]\n`, partial);
    expect(asId.notRead?.map((g) => g.scope)).toEqual([denied.scope]);
    expect(asId.unmatchedScope).toBeUndefined();
  });

  it('the class: entries by ID inside the unread container are excused, entries it cannot hold are still named', () => {
    const c = one([
      `    scope:\n`,
      `      resourceGroups: ["${deniedRg}", "/subscriptions/${sub}/resourceGroups/rg-nope"]\n`,
      `      vnets: ["${deniedVnet}", "/subscriptions/${DENIED}/resourceGroups/*/providers/Microsoft.Network/virtualNetworks/vnet-*"]\n`,
      `      subnets: ["${deniedVnet}/subnets/snet-trading-fix", "/subscriptions/${sub}/resourceGroups/rg-x/providers/Microsoft.Network/virtualNetworks/v/subnets/snet-nope", "${deniedVnet}"]\n`,
      `    forbidExits: [default-outbound]\n`,
    ].join(''), partial);
    // A group of a subscription that was read, a subnet ID in it, and a VNet ID in the subnets list
    // (it has a VNet's segments, so it selects no subnet anywhere): typos, whatever was not read.
    expect(c.unmatchedScope).toEqual([
      { list: 'resourceGroups', entry: `/subscriptions/${sub}/resourceGroups/rg-nope` },
      { list: 'subnets', entry: `/subscriptions/${sub}/resourceGroups/rg-x/providers/Microsoft.Network/virtualNetworks/v/subnets/snet-nope` },
      { list: 'subnets', entry: deniedVnet },
    ]);
    // An unread resource group excuses the names and IDs it may hold and the subscription that holds it, not another group's.
    const rgGap: Gap = { code: 'throttled', scope: deniedRg, message: 'throttled' };
    const inRg = one(`    scope: { subscriptions: ["/subscriptions/${DENIED}"], vnets: [vnet-trading-weu, "${deniedVnet}", "/subscriptions/${DENIED}/resourceGroups/rg-other/providers/Microsoft.Network/virtualNetworks/vnet-trading-weu"] }\n    forbidExits: [default-outbound]\n`, { ...bank, gaps: [rgGap] });
    expect(inRg.notRead?.map((g) => g.scope)).toEqual([deniedRg]);
    expect(inRg.unmatchedScope).toEqual([{ list: 'vnets', entry: `/subscriptions/${DENIED}/resourceGroups/rg-other/providers/Microsoft.Network/virtualNetworks/vnet-trading-weu` }]);
  });

  it('gapMayBeInScope reads ID selectors against the unread container too', () => {
    const scopeOf = (yaml: string) => {
      const control = policy(`version: 1\ncontrols:\n  - { id: c, effect: deny, scope: ${yaml}, forbidExits: [public-ip] }\n`).controls[0];
      if (!control) throw new Error('no control');
      return control.scope;
    };
    expect(gapMayBeInScope(scopeOf(`{ subscriptions: ["/subscriptions/${DENIED}"] }`), denied)).toBe(true);
    expect(gapMayBeInScope(scopeOf(`{ subnets: ["${deniedVnet}/subnets/*"] }`), denied)).toBe(true);
    expect(gapMayBeInScope(scopeOf(`{ vnets: ["/subscriptions/${sub}/resourceGroups/*/providers/Microsoft.Network/virtualNetworks/*"] }`), denied)).toBe(false);
    expect(gapMayBeInScope(scopeOf(`{ resourceGroups: ["/subscriptions/${DENIED}/resourceGroups/rg-trading-*"] }`), { ...denied, scope: deniedVnet })).toBe(true);
    expect(gapMayBeInScope(scopeOf(`{ resourceGroups: ["/subscriptions/${DENIED}/resourceGroups/rg-other"] }`), { ...denied, scope: deniedVnet })).toBe(false);
  });
});

describe('what counts as an unread part of the estate (review of ad0d138)', () => {
  const bank = demoInput('bank');
  const subnetOf = (name: string) => {
    const s = bank.model.subnets.find((x) => x.name === name);
    if (!s) throw new Error(name);
    return s;
  };
  const reporting = subnetOf('snet-payments-reporting');
  const nic = bank.model.networkInterfaces[0];
  const firewallPolicy = bank.model.firewallPolicies[0];
  const sub = reporting.subscriptionId;

  it('a subnet that was read and judged is not also "not read / not judged there" (a skipped duplicate copy)', () => {
    // electron/snapshot/load.ts writes `skipped-input` with the RESOURCE ID as scope when two
    // inputs hold different copies of one resource and one copy is used; normalize.ts does the same
    // for a NIC's second effective-route capture. The resource WAS read. check treated every
    // skipped-input gap as unread: the control that judged (and failed) snet-payments-reporting
    // also listed it in notRead and said it was "not judged" there, which contradicts its verdict.
    const dup: Gap = {
      code: 'skipped-input', scope: reporting.id,
      message: `b.json and a.json disagree about ${reporting.id} (addressPrefixes): the copy of a.json, captured 2026-11-26T08:00:00Z, is used; that of b.json, captured 2026-11-25T08:00:00Z, is left out.`,
    };
    const result = run('version: 1\ncontrols:\n  - { id: c, effect: deny, scope: { subnets: [snet-payments-reporting] }, forbidExits: [default-outbound] }\n', { ...bank, gaps: [...bank.gaps, dup] });
    const c = only(result);
    expect(c.inScope).toEqual([reporting.id]);
    expect(c.violations.map((v) => v.source.id)).toEqual([reporting.id]);
    expect(c.notRead).toBeUndefined();
    expect(c.notes).toEqual([]);
    expect(result.gaps).toBeUndefined();
    expect(result.summary.notJudgedUnread).toBeUndefined();
  });

  it('decided by what the gap is about: read failures where resources are listed, skipped input the input does not hold', () => {
    if (!nic || !firewallPolicy) throw new Error('demo estate changed');
    const gap = (code: Gap['code'], scope: string): Gap => ({ code, scope, message: 'm' });
    const unread = (g: Gap): boolean => unreadGaps({ model: bank.model, gaps: [g] }).length === 1;
    const held = new Set([reporting.id, nic.id, firewallPolicy.id].map((id) => id.toLowerCase()));
    expect(leavesEstateUnread(gap('skipped-input', reporting.id), (id) => held.has(id))).toBe(false);
    // Unread: a subscription, the tenant, a resource type listed in a subscription, a management
    // group, a firewall policy's child resources (rule collection groups), whatever the code.
    for (const [code, scope] of [
      ['access-denied', `/subscriptions/${sub}`], ['throttled', `/subscriptions/${sub}`], ['access-denied', 'tenant'],
      ['timeout', `/subscriptions/${sub}/providers/Microsoft.Network/virtualNetworks`], ['request-failed', '/subscriptions'],
      ['request-failed', '/providers/Microsoft.Management/managementGroups/mg'], ['throttled', firewallPolicy.id],
      // Skipped input the model lacks: a file, a page of a longer list, a resource left out.
      ['skipped-input', 'exports/vnets.json'], ['skipped-input', `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-left-out`],
    ] as const) expect(unread(gap(code, scope)), `${code} ${scope}`).toBe(true);
    // Read: one NIC's effective routes (computed from configuration instead), service tag data, a
    // copy chosen between two of a resource the input holds (casing of the ID aside), modelling gaps.
    for (const [code, scope] of [
      ['timeout', nic.id], ['request-failed', nic.id],
      ['request-failed', `/subscriptions/${sub}/providers/Microsoft.Network/locations/westeurope/serviceTags`], ['access-denied', `/subscriptions/${sub}/providers/Microsoft.Network/locations/westeurope/serviceTags`],
      ['skipped-input', 'service tags'], ['skipped-input', reporting.id.toUpperCase()], ['skipped-input', nic.id],
      ['not-modelled', `/subscriptions/${sub}`], ['missing-reference', `/subscriptions/${sub}`], ['effective-routes-unavailable', `/subscriptions/${sub}`],
    ] as const) expect(unread(gap(code, scope)), `${code} ${scope}`).toBe(false);
  });
});

describe('mayReach and a subnet\'s service endpoints', () => {
  // [SE] "Service endpoint routes override any BGP or UDR routes for the address prefix match of an
  // Azure service"; [SEP] "By default, if no policies are attached to a subnet with endpoints, you
  // can access all resources in the service"; [XREG] Microsoft.Storage.Global reaches "any storage
  // account, including those in another region".
  // https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoints-overview
  // https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoint-policies-overview
  const TAGS: ServiceTagSet = serviceEndpointTags('Storage', 'Storage.WestEurope', 'Storage.NorthEurope', 'Sql');

  /** hubSpokeFirewall letting out api.stripe.com only, `app` with these endpoints. */
  function endpointInput(serviceEndpoints: readonly { service: string; locations: readonly string[]; provisioningState?: string }[], serviceTags: ServiceTagSet | null = TAGS): ResolveInput {
    const { b, app } = hubSpokeFirewall([applicationRule('stripe', ['api.stripe.com'])]);
    b.updateSubnet(app, { serviceEndpoints });
    return { model: b.build(), effectiveRoutes: [], metrics: [], gaps: [], serviceTags };
  }
  const control = (body: string, input: ResolveInput): ControlResult => one(`    scope: { subnets: [app] }\n${body}`, input);
  const why = (c: ControlResult): string[][] => c.violations.map((v) => [v.subject ?? '', v.reason]);

  it('a subnet with a Microsoft.Storage.Global endpoint (no policy) does not pass mayReach [api.stripe.com]', () => {
    const { b, app } = hubSpokeFirewall([applicationRule('stripe', ['api.stripe.com'])]);
    b.updateSubnet(app, { serviceEndpoints: [{ service: 'Microsoft.Storage.Global', locations: ['*'] }] });
    const input = { model: b.build(), effectiveRoutes: [], metrics: [], gaps: [], serviceTags: TAGS };
    const checked = (body: string) => checkPolicy(input, parsePolicy(`version: 1\ncontrols:\n  - id: c\n    effect: deny\n    scope: { subnets: [app] }\n${body}`, 'p.yaml'),
      { now: NOW, destination: null }).controls[0];
    // Resolve sends any storage account over the endpoint, and mustNotReach says so.
    expect(resolveEgress(input, { destination: 'evil.blob.core.windows.net' }).paths.find((p) => p.source.id === app)).toMatchObject({ verdict: 'private', exit: 'service-endpoint' });
    expect(checked('    mustNotReach: [evil.blob.core.windows.net]\n')?.status).toBe('fail');
    // mayReach agrees: the allow-list control is not green.
    expect(checked('    mayReach: [api.stripe.com]\n')?.status).not.toBe('pass');
  });

  it('the violation names the endpoint and the tag; the tag, or CIDRs holding its prefixes, cover it on every port the NSGs let out', () => {
    const input = endpointInput([{ service: 'Microsoft.Storage.Global', locations: ['*'] }]);
    const c = control('    mayReach: [api.stripe.com]\n', input);
    expect(why(c)).toEqual([['Storage', 'can reach every Microsoft.Storage.Global resource (Storage) over subnet app\'s service endpoint for Microsoft.Storage.Global, with no service endpoint policy, around the default route: not in mayReach (allow Storage, or CIDRs holding its prefixes, or attach a service endpoint policy)']]);
    expect(c.violations[0]?.path).toMatchObject({ verdict: 'private', exit: 'service-endpoint' });
    // No NSG: every port of TCP and UDP.
    expect(c.violations[0]).toMatchObject({ ports: ['*'], protocols: ['Tcp', 'Udp'] });
    expect(control('    mayReach: [api.stripe.com, Storage]\n', input).status).toBe('pass');
    expect(control('    mayReach: [api.stripe.com, 20.0.0.0/8, 52.239.0.0/16]\n', input).status).toBe('pass');
    // Names are not addresses: every public name of the service is not all that reaches its prefixes.
    expect(control('    mayReach: [api.stripe.com, "*.core.windows.net", "*.storage.azure.net"]\n', input).status).toBe('fail');
    // Part of the prefixes, or a port, leaves the rest open.
    expect(control('    mayReach: [api.stripe.com, 20.0.0.0/8]\n', input).status).toBe('fail');
    expect(control('    mayReach: [api.stripe.com, "Storage:443"]\n', input).status).toBe('fail');
    expect(control('    mayReach: ["*"]\n', input).status).toBe('pass');
  });

  it('a regional endpoint is judged per location: its regional tag covers it', () => {
    const input = endpointInput([{ service: 'Microsoft.Storage', locations: ['westeurope', 'northeurope'] }]);
    const c = control('    mayReach: [api.stripe.com]\n', input);
    expect(c.violations.map((v) => v.subject)).toEqual(['Storage.westeurope', 'Storage.northeurope']);
    expect(control('    mayReach: [api.stripe.com, Storage.WestEurope]\n', input).violations.map((v) => v.subject)).toEqual(['Storage.northeurope']);
    expect(control('    mayReach: [api.stripe.com, Storage.WestEurope, Storage.NorthEurope]\n', input).status).toBe('pass');
  });

  it('what the product cannot decide is "could not be proven": a policy, a state other than Succeeded, missing locations or tag data', () => {
    const policy = '/subscriptions/00000000-0000-0000-0000-0000000000bb/resourcegroups/rg/providers/microsoft.network/serviceendpointpolicies/only-stapproved';
    const withPolicy = endpointInput([{ service: 'Microsoft.Storage', locations: ['*'] }]);
    const policed: ResolveInput = { ...withPolicy, model: { ...withPolicy.model, subnets: withPolicy.model.subnets.map((s) => (s.name === 'app' ? { ...s, serviceEndpointPolicyIds: [toResourceId(policy)] } : s)) } };
    for (const [label, input] of [
      ['policy', policed],
      ['state', endpointInput([{ service: 'Microsoft.Storage.Global', locations: ['*'], provisioningState: 'Failed' }])],
      ['locations', endpointInput([{ service: 'Microsoft.Storage', locations: [] }])],
      ['tag data', endpointInput([{ service: 'Microsoft.Storage', locations: ['*'] }], null)],
    ] as const) {
      const c = control('    mayReach: [api.stripe.com]\n', input);
      expect(c.status, label).toBe('fail');
      expect(c.violations.map((v) => v.reason.startsWith('could not be proven: whether it reaches Storage over subnet app\'s service endpoint')), label).toEqual([true]);
    }
  });

  it('an endpoint the subnet\'s NSG keeps closed, or none at all, leaves mayReach as it was', () => {
    // An NSG that denies Storage and the internet: nothing gets out, over the endpoint or not.
    const b = new ModelBuilder();
    const v = b.vnet('spoke', ['10.1.0.0/16']);
    const nsg = b.nsg('nsg-app', [securityRule('deny-storage', 100, 'Deny', 'Storage'), securityRule('deny-internet', 200, 'Deny', 'Internet')]);
    b.subnet(v, 'app', '10.1.1.0/24', { networkSecurityGroupId: nsg, serviceEndpoints: [{ service: 'Microsoft.Storage.Global', locations: ['*'] }] });
    const closed: ResolveInput = { ...modelInput(b.build()), serviceTags: TAGS };
    expect(control('    mayReach: [api.stripe.com]\n', closed).status).toBe('pass');
    expect(control('    mayReach: [api.stripe.com]\n', endpointInput([])).status).toBe('pass');
  });
});

describe('mayReach and service endpoints: ports, names, captured routes, the paired region (review of the endpoint fix)', () => {
  // [SE] https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoints-overview
  // [SEP] https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoint-policies-overview
  // [SAO] https://learn.microsoft.com/azure/storage/common/storage-account-overview
  // [SCD] https://learn.microsoft.com/azure/storage/blobs/storage-custom-domain-name
  // [ASCD] https://learn.microsoft.com/azure/app-service/app-service-web-tutorial-custom-domain
  // [PAIRS] https://learn.microsoft.com/azure/reliability/cross-region-replication-azure
  const TAGS: ServiceTagSet = serviceEndpointTags('Storage', 'Storage.WestEurope', 'Storage.NorthEurope', 'Storage.EastUS', 'Sql', 'AppService');
  type Endpoint = { service: string; locations: readonly string[]; provisioningState?: string };
  const control = (body: string, input: ResolveInput): ControlResult => one(`    scope: { subnets: [app] }\n${body}`, input);
  const reasons = (c: ControlResult): string => JSON.stringify(c.violations.map((v) => [v.subject, v.reason]));

  /** Subnet `app` (no route table) with one NSG of these rules and these endpoints. */
  function nsgEstate(rules: readonly SecurityRule[], serviceEndpoints: readonly Endpoint[]): ResolveInput {
    const b = new ModelBuilder();
    const v = b.vnet('spoke', ['10.1.0.0/16']);
    const nsg = b.nsg('nsg-app', rules);
    b.subnet(v, 'app', '10.1.1.0/24', { networkSecurityGroupId: nsg, serviceEndpoints });
    return { ...modelInput(b.build()), serviceTags: TAGS };
  }

  /** hubSpokeFirewall letting out api.stripe.com only; `app` with these endpoints. */
  function firewallEstate(serviceEndpoints: readonly Endpoint[]): ResolveInput {
    const { b, app } = hubSpokeFirewall([applicationRule('stripe', ['api.stripe.com'])]);
    b.updateSubnet(app, { serviceEndpoints });
    return { ...modelInput(b.build()), serviceTags: TAGS };
  }

  /** hubSpokeFirewall with NIC vm1-nic in `app`, whose captured routes add `extra` to VNet, peering and 0/0 → firewall. */
  function capturedEstate(serviceEndpoints: readonly Endpoint[], extra: readonly ReturnType<typeof effectiveRoute>[]): ResolveInput {
    const { b, app } = hubSpokeFirewall([applicationRule('stripe', ['api.stripe.com'])]);
    b.updateSubnet(app, { serviceEndpoints });
    const nic = b.nic(app, 'vm1-nic', '10.1.1.4');
    const routes = [
      effectiveRoute('10.1.0.0/16', 'VnetLocal'), effectiveRoute('10.0.0.0/16', 'VNetPeering'),
      effectiveRoute('0.0.0.0/0', 'VirtualAppliance', { source: 'User', nextHopIpAddresses: [HUB_FIREWALL_IP] }), ...extra,
    ];
    return { model: b.build(), effectiveRoutes: [{ networkInterfaceId: nic, routes }], metrics: [], gaps: [], serviceTags: TAGS };
  }
  const endpointRoutes = (...prefixes: string[]) => prefixes.map((p) => effectiveRoute(p, 'VirtualNetworkServiceEndpoint'));

  const SMB_TO_STORAGE = [
    securityRule('allow-smb-storage', 100, 'Allow', 'Storage', { protocol: 'Tcp', destinationPortRanges: ['445'] }),
    securityRule('deny-internet', 200, 'Deny', 'Internet'),
  ];
  const HTTPS_TO_STORAGE = [
    securityRule('allow-https-storage', 100, 'Allow', 'Storage', { protocol: 'Tcp', destinationPortRanges: ['443'] }),
    securityRule('deny-internet', 200, 'Deny', 'Internet'),
  ];

  // From test/audit/se-review.test.ts ("the endpoint what-if is judged on TCP 443 only"): the
  // endpoint's route takes every port to the service [SE], so what an NSG lets out on TCP 445 goes
  // over it too.
  it('adding a Storage.Global endpoint to a subnet whose NSG lets out TCP 445 to Storage does not turn mayReach [api.stripe.com] green', () => {
    expect(control('    mayReach: [api.stripe.com]\n', nsgEstate(SMB_TO_STORAGE, [])).status).toBe('fail');
    const c = control('    mayReach: [api.stripe.com]\n', nsgEstate(SMB_TO_STORAGE, [{ service: 'Microsoft.Storage.Global', locations: ['*'] }]));
    expect(c.status, reasons(c)).not.toBe('pass');
  });

  it('the endpoint is judged on the ports the NSGs let out to the service: the violation states them, and its path is the what-if on them', () => {
    const c = control('    mayReach: [api.stripe.com]\n', nsgEstate(SMB_TO_STORAGE, [{ service: 'Microsoft.Storage.Global', locations: ['*'] }]));
    const endpoint = c.violations.filter((v) => v.reason.includes('service endpoint'));
    expect(endpoint.map((v) => [v.subject, v.ports, v.protocols])).toEqual([['Storage', ['445'], ['Tcp']]]);
    expect(endpoint[0]?.reason).toContain('(Storage) on TCP 445 over subnet app\'s service endpoint for Microsoft.Storage.Global');
    expect(endpoint[0]?.path).toMatchObject({ verdict: 'private', exit: 'service-endpoint' });
    // A list that allows exactly what gets out passes; TCP 443 alone does not.
    expect(control('    mayReach: ["Storage:445/tcp"]\n', nsgEstate(SMB_TO_STORAGE, [{ service: 'Microsoft.Storage.Global', locations: ['*'] }])).status).toBe('pass');
    expect(control('    mayReach: ["Storage:443"]\n', nsgEstate(SMB_TO_STORAGE, [{ service: 'Microsoft.Storage.Global', locations: ['*'] }])).status).toBe('fail');
  });

  // From test/audit/se-review.test.ts ("a port-qualified tag is never enough").
  it('Storage:443 covers a Storage.Global endpoint whose NSG allows Storage on TCP 443 only', () => {
    const c = control('    mayReach: ["Storage:443"]\n', nsgEstate(HTTPS_TO_STORAGE, [{ service: 'Microsoft.Storage.Global', locations: ['*'] }]));
    expect(c.status, reasons(c)).toBe('pass');
  });

  it('a rule on a tag the data lacks leaves what the NSG lets out not proven, never passed', () => {
    const rules = [securityRule('allow-unlisted', 100, 'Allow', 'AzureMonitor', { protocol: 'Tcp', destinationPortRanges: ['8443'] }), ...HTTPS_TO_STORAGE];
    const c = control('    mayReach: ["Storage:443"]\n', nsgEstate(rules, [{ service: 'Microsoft.Storage.Global', locations: ['*'] }]));
    expect(c.status).toBe('fail');
  });

  // From test/audit/se-review.test.ts ('"every public name of the service" does not cover what the endpoint carries').
  it.each([
    ['Microsoft.Storage.Global', '"*.blob.core.windows.net", "*.file.core.windows.net", "*.queue.core.windows.net", "*.table.core.windows.net", "*.dfs.core.windows.net", "*.web.core.windows.net"'],
    ['Microsoft.Web', '"*.azurewebsites.net"'],
  ])('a %s endpoint is not covered by the service\'s default host names (%s)', (service, names) => {
    const c = control(`    mayReach: [api.stripe.com, ${names}]\n`, firewallEstate([{ service, locations: ['*'] }]));
    expect(c.status, reasons(c)).not.toBe('pass');
  });

  it('the service tag, CIDRs that hold every prefix of it, or `*` cover an endpoint; host names never do', () => {
    const input = firewallEstate([{ service: 'Microsoft.Web', locations: ['*'] }]);
    expect(control('    mayReach: [api.stripe.com, "*.azurewebsites.net", "*.scm.azurewebsites.net"]\n', input).status).toBe('fail');
    expect(control('    mayReach: [api.stripe.com, AppService]\n', input).status).toBe('pass');
    expect(control('    mayReach: [api.stripe.com, 13.72.0.0/16]\n', input).status).toBe('pass');
    expect(control('    mayReach: [api.stripe.com, 13.72.0.0/17]\n', input).status).toBe('fail');
    expect(control('    mayReach: ["*"]\n', input).status).toBe('pass');
  });

  // From test/audit/se-review.test.ts ("captured service endpoint routes the subnet configuration does not list").
  it('mayReach [api.stripe.com] is not green while the capture sends every Storage prefix over the endpoint', () => {
    const input = capturedEstate([], endpointRoutes('20.60.0.0/16', '20.150.0.0/16', '52.239.0.0/16'));
    const app = subnetId(input, 'app');
    expect(resolveEgress(input, { destination: '20.60.1.1' }).paths.find((p) => p.source.id === app)).toMatchObject({ verdict: 'private', exit: 'service-endpoint' });
    const c = control('    mayReach: [api.stripe.com]\n', input);
    expect(c.status, reasons(c)).not.toBe('pass');
  });

  it('captured endpoint routes are judged by the tags they hold all of; prefixes no such tag holds are not proven', () => {
    const regional = control('    mayReach: [api.stripe.com]\n', capturedEstate([], endpointRoutes('20.60.0.0/16')));
    expect(regional.violations.map((v) => v.subject)).toEqual(['Storage.WestEurope']);
    expect(regional.violations[0]?.reason).toContain('over the captured effective routes of NIC vm1-nic (next hop VirtualNetworkServiceEndpoint)');
    expect(control('    mayReach: [api.stripe.com, Storage.WestEurope]\n', capturedEstate([], endpointRoutes('20.60.0.0/16'))).status).toBe('pass');
    const unattributed = control('    mayReach: [api.stripe.com]\n', capturedEstate([], endpointRoutes('99.1.0.0/16')));
    expect(unattributed.violations.map((v) => [v.subject, v.reason.startsWith('could not be proven: the captured effective routes of NIC vm1-nic')])).toEqual([['99.1.0.0/16', true]]);
    expect(control('    mayReach: [api.stripe.com, 99.1.0.0/16]\n', capturedEstate([], endpointRoutes('99.1.0.0/16'))).status).toBe('pass');
    // A capture without endpoint routes: Azure's word that the configured endpoint is not in effect there.
    const cc = control('    mayReach: [api.stripe.com]\n', capturedEstate([{ service: 'Microsoft.Storage.Global', locations: ['*'] }], []));
    expect(cc.status, reasons(cc)).toBe('pass');
  });

  // From test/audit/se-review.test.ts ("a local Microsoft.Storage endpoint and the VNet's paired region").
  it('mayReach [api.stripe.com, Storage.WestEurope] is not green for a westeurope-only Microsoft.Storage endpoint', () => {
    const c = control('    mayReach: [api.stripe.com, Storage.WestEurope]\n', firewallEstate([{ service: 'Microsoft.Storage', locations: ['westeurope'] }]));
    expect(c.status, reasons(c)).not.toBe('pass');
  });

  it('the paired region is "could not be proven", covered when the list allows it; a VNet region with no known pair leaves every region open', () => {
    const input = firewallEstate([{ service: 'Microsoft.Storage', locations: ['westeurope'] }]);
    const c = control('    mayReach: [api.stripe.com, Storage.WestEurope]\n', input);
    expect(c.violations.map((v) => [v.subject, v.reason.startsWith('could not be proven: whether it reaches Storage.northeurope')])).toEqual([['Storage.northeurope', true]]);
    expect(control('    mayReach: [api.stripe.com, Storage.WestEurope, Storage.NorthEurope]\n', input).status).toBe('pass');
    expect(control('    mayReach: [api.stripe.com, Storage.WestEurope]\n', firewallEstate([{ service: 'Microsoft.Storage', locations: ['westeurope', 'northeurope'] }])).violations.map((v) => v.subject)).toEqual(['Storage.northeurope']);
    // A VNet whose region the input does not give: every other region may be its pair.
    const noRegion: ResolveInput = { ...input, model: { ...input.model, virtualNetworks: input.model.virtualNetworks.map((v) => ({ ...v, location: null })), subnets: input.model.subnets.map((s) => ({ ...s, location: null })) } };
    const open = control('    mayReach: [api.stripe.com, Storage.WestEurope]\n', noRegion);
    expect(open.violations.map((v) => [v.subject, v.reason.startsWith('could not be proven')])).toEqual([['Storage', true]]);
    // A region [PAIRS] lists as nonpaired: the listed region is all the endpoint carries.
    const italy: ResolveInput = { ...input, model: { ...input.model, virtualNetworks: input.model.virtualNetworks.map((v) => ({ ...v, location: 'italynorth' })) } };
    expect(control('    mayReach: [api.stripe.com, Storage.WestEurope]\n', italy).status).toBe('pass');
  });

  it('two controls judge one endpoint alike, each on the ports its list leaves open (the what-ifs are shared per tag and port)', () => {
    const input = nsgEstate(SMB_TO_STORAGE, [{ service: 'Microsoft.Storage.Global', locations: ['*'] }]);
    const result = checkPolicy(input, parsePolicy('version: 1\ncontrols:\n  - { id: a, effect: deny, scope: { subnets: [app] }, mayReach: [api.stripe.com] }\n  - { id: b, effect: audit, scope: { subnets: [app] }, mayReach: ["Storage:443"] }\n', 'p.yaml'), { now: NOW });
    expect(result.controls.map((c) => c.violations.filter((v) => v.subject === 'Storage').map((v) => v.ports))).toEqual([[['445']], [['445']]]);
  });
});

describe('mayReach and service endpoints: directional pairs, display names, uncovered ports, many NSGs (review 3 of the endpoint fix)', () => {
  // [SE] https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoints-overview
  // [PAIRS] https://learn.microsoft.com/azure/reliability/regions-paired
  // [LIST] https://learn.microsoft.com/azure/reliability/regions-list ("Paired region" column)
  const st = (name: string, region: string, addressPrefixes: string[]) => ({ name, region, systemService: 'AzureStorage', addressPrefixes, networkFeatures: ['NSG', 'UDR', 'FW'] });
  const TAGS: ServiceTagSet = {
    changeNumber: 5, cloud: 'Public',
    tags: [
      st('Storage', '', ['20.60.0.0/16', '20.150.0.0/16', '52.239.0.0/16', '52.240.0.0/16', '52.241.0.0/16', '52.242.0.0/16', '52.243.0.0/16', '52.244.0.0/16', '52.245.0.0/16', '52.247.0.0/16']),
      st('Storage.WestEurope', 'westeurope', ['20.60.0.0/16']), st('Storage.NorthEurope', 'northeurope', ['20.150.0.0/16']),
      st('Storage.EastUS', 'eastus', ['52.239.0.0/16']), st('Storage.WestUS', 'westus', ['52.240.0.0/16']), st('Storage.WestUS3', 'westus3', ['52.241.0.0/16']),
      st('Storage.SouthCentralUS', 'southcentralus', ['52.242.0.0/16']), st('Storage.NorthCentralUS', 'northcentralus', ['52.243.0.0/16']),
      st('Storage.BrazilSouth', 'brazilsouth', ['52.244.0.0/16']), st('Storage.MexicoCentral', 'mexicocentral', ['52.245.0.0/16']),
      st('Storage.NewZealandNorth', 'newzealandnorth', ['52.247.0.0/16']),
    ],
  };
  type Endpoint = { service: string; locations: readonly string[] };
  const control = (body: string, input: ResolveInput): ControlResult => one(`    scope: { subnets: [app] }\n${body}`, input);
  const reasons = (c: ControlResult): string => JSON.stringify(c.violations.map((v) => [v.subject, v.ports, v.protocols, v.reason]));

  /** hubSpokeFirewall letting out api.stripe.com only; `app` with these endpoints (and NSG rules); every VNet in `region`. */
  function firewallEstate(serviceEndpoints: readonly Endpoint[], region = 'westeurope', rules: readonly SecurityRule[] | null = null): ResolveInput {
    const { b, app } = hubSpokeFirewall([applicationRule('stripe', ['api.stripe.com'])]);
    b.updateSubnet(app, { serviceEndpoints, ...(rules ? { networkSecurityGroupId: b.nsg('nsg-app', rules) } : {}) });
    const model = b.build();
    return { ...modelInput({ ...model, virtualNetworks: model.virtualNetworks.map((v) => ({ ...v, location: region })), subnets: model.subnets.map((s) => ({ ...s, location: region })) }), serviceTags: TAGS };
  }

  // From test/audit/se-review3.test.ts: the region's own pair, not a one-way row naming it.
  it.each([
    ['eastus', ['eastus', 'westus'], 'Storage.EastUS, Storage.WestUS'],
    ['southcentralus', ['southcentralus', 'northcentralus'], 'Storage.SouthCentralUS, Storage.NorthCentralUS'],
    ['brazilsouth', ['brazilsouth', 'southcentralus'], 'Storage.BrazilSouth, Storage.SouthCentralUS'],
  ])('a %s VNet whose Storage endpoint lists its region and its pair %j passes mayReach [%s]', (region, locations, allowed) => {
    const c = control(`    mayReach: [api.stripe.com, ${allowed}]\n`, firewallEstate([{ service: 'Microsoft.Storage', locations }], region));
    expect(c.status, reasons(c)).toBe('pass');
  });

  it('a one-way pair still counts from its own side: a westus3 VNet\'s [westus3] endpoint leaves East US not proven', () => {
    const c = control('    mayReach: [api.stripe.com, Storage.WestUS3]\n', firewallEstate([{ service: 'Microsoft.Storage', locations: ['westus3'] }], 'westus3'));
    expect(c.violations.map((v) => [v.subject, v.reason.startsWith('could not be proven')]), reasons(c)).toEqual([['Storage.eastus', true]]);
  });

  // From test/audit/se-review3.test.ts: [LIST] gives these "N/A".
  it.each([['mexicocentral', 'Storage.MexicoCentral'], ['newzealandnorth', 'Storage.NewZealandNorth']])('a Storage endpoint [%s] in a nonpaired region is covered by %s', (region, tag) => {
    const c = control(`    mayReach: [api.stripe.com, ${tag}]\n`, firewallEstate([{ service: 'Microsoft.Storage', locations: [region] }], region));
    expect(c.status, reasons(c)).toBe('pass');
  });

  // From test/audit/se-review3.test.ts: the portal's spelling of a region.
  it('locations spelled "West Europe" / "North Europe" are judged as Storage.WestEurope / Storage.NorthEurope', () => {
    const input = firewallEstate([{ service: 'Microsoft.Storage', locations: ['West Europe', 'North Europe'] }], 'West Europe');
    const c = control('    mayReach: [api.stripe.com, Storage.WestEurope, Storage.NorthEurope]\n', input);
    expect(c.status, reasons(c)).toBe('pass');
    const without = control('    mayReach: [api.stripe.com, Storage.WestEurope]\n', input);
    expect(without.violations.map((v) => v.subject), reasons(without)).toEqual(['Storage.northeurope']);
  });

  // From test/audit/se-review3.test.ts: a violation names only what the list leaves uncovered.
  it('with "Storage:443" listed and TCP 443 and 445 let out to Storage, the violation names TCP 445 only', () => {
    const rules = [securityRule('st', 100, 'Allow', 'Storage', { protocol: 'Tcp', destinationPortRanges: ['443', '445'] }), securityRule('deny-storage', 200, 'Deny', 'Storage')];
    const c = control('    mayReach: [api.stripe.com, "Storage:443"]\n', firewallEstate([{ service: 'Microsoft.Storage', locations: ['westeurope', 'northeurope'] }], 'westeurope', rules));
    expect(c.status).toBe('fail');
    expect(c.violations.map((v) => [v.subject, v.ports]), reasons(c)).toEqual([['Storage.westeurope', ['445']], ['Storage.northeurope', ['445']]]);
    expect(c.violations.every((v) => v.reason.includes('on TCP 445 ') && !v.reason.includes('443')), reasons(c)).toBe(true);
  });

  it('a port range is cut at the listed port, and each protocol is judged apart', () => {
    const endpoints = [{ service: 'Microsoft.Storage.Global', locations: ['*'] }];
    const range = [securityRule('st', 100, 'Allow', 'Storage', { protocol: 'Tcp', destinationPortRanges: ['440-450'] }), securityRule('deny-storage', 200, 'Deny', 'Storage')];
    const cut = control('    mayReach: [api.stripe.com, "Storage:443"]\n', firewallEstate(endpoints, 'westeurope', range));
    expect(cut.violations.map((v) => [v.subject, v.ports, v.protocols]), reasons(cut)).toEqual([['Storage', ['440-442', '444-450'], ['Tcp']]]);
    // TCP and UDP 445 let out (and nothing else: the internet is denied), TCP 445 listed: UDP 445 named.
    const b = new ModelBuilder();
    const nsg = b.nsg('nsg-app', [securityRule('st', 100, 'Allow', 'Storage', { protocol: '*', destinationPortRanges: ['445'] }), securityRule('deny-internet', 200, 'Deny', 'Internet')]);
    b.subnet(b.vnet('spoke', ['10.1.0.0/16']), 'app', '10.1.1.0/24', { networkSecurityGroupId: nsg, serviceEndpoints: endpoints });
    const nsgOnly: ResolveInput = { ...modelInput(b.build()), serviceTags: TAGS };
    const udp = control('    mayReach: ["Storage:445/tcp"]\n', nsgOnly);
    expect(udp.violations.map((v) => [v.subject, v.ports, v.protocols]), reasons(udp)).toEqual([['Storage', ['445'], ['Udp']]]);
    // Every port the NSG lets out listed: nothing over the endpoint.
    expect(control('    mayReach: ["Storage:445/tcp", "Storage:445/udp"]\n', nsgOnly).status).toBe('pass');
  });

  // The shape of the reviewer's timing case (test/audit/se-review3.test.ts: 990 subnets, an NSG
  // each, endpoints), small: NSGs stamped from one template share their port classes and the
  // endpoint what-ifs are walked only from the subnets with the endpoint; each subnet still gets
  // its own NSG's ports, and the paths of the full what-if.
  it('many subnets, an NSG each from one template with one port varied: each violation names its own NSG\'s ports and the full what-if\'s path', () => {
    const b = new ModelBuilder();
    const v = b.vnet('spoke', ['10.1.0.0/16']);
    for (let i = 0; i < 24; i++) {
      const nsg = b.nsg(`nsg-${i}`, [
        securityRule('allow-web', 130, 'Allow', 'Internet', { protocol: 'Tcp', destinationPortRanges: ['443', '445', `${8000 + (i % 3)}`] }),
        securityRule('deny-internet', 4000, 'Deny', 'Internet'),
      ]);
      b.subnet(v, `app-${i}`, `10.1.${i}.0/24`, { networkSecurityGroupId: nsg, serviceEndpoints: i % 4 === 3 ? [] : [{ service: 'Microsoft.Storage', locations: ['westeurope', 'northeurope'] }] });
    }
    const input: ResolveInput = { ...modelInput(b.build()), serviceTags: TAGS };
    const result = run('version: 1\ncontrols:\n  - { id: a, effect: deny, scope: { subnets: ["*"] }, mayReach: ["0.0.0.0/0:443/tcp", "Storage:443"] }\n', input);
    const endpoint = (result.controls[0]?.violations ?? []).filter((x) => x.reason.includes('service endpoint'));
    const full = new Map(resolveEgress(input, { destination: 'tag:Storage.westeurope:443/tcp' }).paths.map((p) => [p.source.name, p]));
    for (let i = 0; i < 24; i++) {
      const own = endpoint.filter((x) => x.source.name === `app-${i}`);
      if (i % 4 === 3) {
        expect(own, `app-${i}`).toEqual([]);
        continue;
      }
      expect(own.map((x) => [x.subject, x.ports]), `app-${i}`).toEqual([['Storage.westeurope', ['445', `${8000 + (i % 3)}`]], ['Storage.northeurope', ['445', `${8000 + (i % 3)}`]]]);
      expect([own[0]?.path.verdict, own[0]?.path.exit], `app-${i}`).toEqual([full.get(`app-${i}`)?.verdict, full.get(`app-${i}`)?.exit]);
      expect(own[0]?.path.verdict).toBe('private');
    }
  });
});

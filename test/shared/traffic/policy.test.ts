/**
 * `observed-outside-policy` (traffic --policy): allowed traffic from a source in a control's scope
 * to a destination outside its mayReach, judged with the policy module's own matching; what the
 * logs cannot decide is a gap naming the missing fact. The bank demo with every log fixture and
 * small policies written here, plus focused cases on a built model.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_SERVICE_TAGS_EXCERPT } from '../../../shared/demo/service-tags';
import type { ResolveInput } from '../../../shared/egress/index';
import { analyzeTraffic } from '../../../shared/traffic/index';
import type { ParsedLog, TrafficRecord, TrafficResult } from '../../../shared/traffic/index';
import { ModelBuilder } from '../../support/model-builder';
import { policy, starter } from '../policy/support';
import { ALL_FIXTURES, demoInput, fixture, inlineLog, natEstate } from './support';

const BANK_POLICY = `version: 1
controls:
  - id: payments-list
    title: Payment subnets reach only listed destinations
    effect: deny
    scope: { subnets: [snet-payments-*, snet-card-auth] }
    mayReach: [api.stripe.com, "*.update.microsoft.com", 168.61.215.0/24, "*.visa.com:443"]
  - id: settlement-sftp
    title: Settlement batch reaches only the clearing house
    effect: audit
    scope: { subnets: [snet-settlement-batch] }
    mayReach: ["185.40.56.10:22", Storage]
  - id: switched-off
    effect: disabled
    title: Disabled controls say nothing
    mayReach: [nothing.example]
`;

function outside(result: TrafficResult): readonly (readonly [string, string, string | undefined, number | undefined, string])[] {
  return result.findings.filter((f) => f.code === 'observed-outside-policy').map((f) => [
    f.severity, f.policy?.control ?? '', f.policy === undefined ? undefined : `${f.policy.destination}:${f.policy.port ?? ''}/${f.policy.protocol}`, f.policy?.line, f.subject.split('/').pop() ?? '',
  ] as const);
}

describe('traffic --policy on the bank demo and every log fixture', () => {
  const logs = ALL_FIXTURES.map(fixture);
  const result = analyzeTraffic(demoInput('bank'), logs, { policy: policy(BANK_POLICY, 'bank-traffic.yaml') });

  it('raises observed-outside-policy for allowed destinations outside mayReach, error for deny and warning for audit', () => {
    expect(outside(result)).toEqual([
      // www.mastercard.com is no *.visa.com, and a CIDR never covers a host name.
      ['error', 'payments-list', 'www.mastercard.com:443/HTTPS', 7, 'nic-vm-cardauth-02'],
      // Sorted by flows: the NTP flows (48) first; 185.40.56.10:22 is listed, .12 is not (.11: see below).
      ['warning', 'settlement-sftp', '168.61.215.74:123/UDP', 12, 'nic-vm-settle-batch-01'],
      ['warning', 'settlement-sftp', '185.40.56.12:22/TCP', 12, 'nic-vm-settle-batch-01'],
    ]);
    const mastercard = result.findings.find((f) => f.policy?.destination === 'www.mastercard.com');
    expect(mastercard?.message).toBe('NIC nic-vm-cardauth-02 (snet-card-auth): www.mastercard.com:443/HTTPS was allowed (1 flow(s) at 2024-05-01T12:06:00.000Z, '
      + 'rule allow-approved-psp-apis/card-networks) but is not within mayReach of control payments-list (bank-traffic.yaml:7).');
    expect(mastercard?.policy).toEqual({ file: 'bank-traffic.yaml', control: 'payments-list', line: 7, destination: 'www.mastercard.com', port: 443, protocol: 'HTTPS' });
    // The disabled control is never evaluated.
    expect(result.findings.some((f) => f.policy?.control === 'switched-off')).toBe(false);
  });

  it('leaves out what mayReach covers, denied traffic, DNS questions and VNet-internal destinations', () => {
    const judged = new Set(outside(result).map((f) => f[2]));
    // Covered: by name, by *. pattern, by a pattern with the observed port, by a CIDR, by address and port.
    for (const covered of ['api.stripe.com:443/HTTPS', 'fe2.update.microsoft.com:443/HTTPS', 'www.visa.com:443/HTTPS', '185.40.56.10:22/TCP']) expect(judged.has(covered)).toBe(false);
    // Seen from payments sources but denied (pypi.org, SMTP), a DNS query (api.stripe.com:53), private (10.130.1.4:1433).
    for (const skipped of ['pypi.org:443/HTTPS', '198.51.100.7:25/TCP', 'api.stripe.com:53/DNS', '10.130.1.4:1433/TCP']) expect(judged.has(skipped)).toBe(false);
    // 168.61.215.74 is inside 168.61.215.0/24 for the payments NICs (the finding above is the settlement control's).
    expect(result.findings.some((f) => f.policy?.control === 'payments-list' && f.policy.destination === '168.61.215.74')).toBe(false);
  });

  it('records what the logs cannot decide as gaps naming the missing fact, never as violations', () => {
    const gaps = result.gaps.filter((g) => /could not be judged against mayReach/.test(g.message));
    // (45.33.32.156 from nic-vm-payapi-02 is an AZFWThreatIntel Alert row: an alert on a connection,
    // not a connection of its own, so it is no longer judged.)
    expect(gaps.map((g) => [g.scope.split('/').pop(), g.count])).toEqual([
      ['nic-vm-payrpt-01', 2], ['nic-vm-settle-batch-01', 1],
    ]);
    // A flow log's address against a list that names hosts.
    expect(gaps[0]?.message).toContain('(52.239.10.20:443/TCP, 140.82.112.3:443/TCP): '
      + 'the log records only the address, and which host names it serves is not known, so it cannot be matched against the host names in mayReach.');
    // A host name against a service tag: its members are not in the input.
    expect(gaps[1]?.message).toMatch(/^settlement-sftp \(bank-traffic\.yaml:12\): .*\(www\.visa\.com:443\/HTTPS\): the log records only the host name, and mayReach names tags/);
  });

  it('with the bank starter policy: every observed allowed destination of the PSP allow-list is listed or undecidable', () => {
    const starterResult = analyzeTraffic(demoInput('bank'), logs, { policy: starter('bank').policy });
    expect(outside(starterResult)).toEqual([]);
    const gaps = starterResult.gaps.filter((g) => /could not be judged/.test(g.message));
    expect(gaps.map((g) => g.message.match(/\(([^()]*\/(?:TCP|UDP))\)/)?.[1])).toEqual(['168.61.215.74:123/UDP']);
    expect(gaps.every((g) => g.message.startsWith('psp-allow-list (shared/policy/starters/bank.yaml:25)'))).toBe(true);
  });

  it('does not call an NSG flow log\'s allow "allowed" on a path through the firewall: a gap says so', () => {
    // 185.40.56.11:22 is only in the NSG flow log (destinations.md §2.1: flowGroups rule = the NSG's
    // decision; the firewall decides after the tuple is written), and snet-settlement-batch's path
    // goes through afw-hub-weu, whose logs hold no record of that flow.
    expect(result.findings.some((f) => f.policy?.destination === '185.40.56.11')).toBe(false);
    const gap = result.gaps.find((g) => /passed the NSG/.test(g.message));
    expect(gap).toMatchObject({ code: 'not-modelled', count: 1 });
    expect(gap?.message).toBe('settlement-sftp (bank-traffic.yaml:12): NIC nic-vm-settle-batch-01 (snet-settlement-batch) passed the NSG to 1 destination(s) outside mayReach '
      + '(185.40.56.11:22/TCP; 1 flow(s) in flow logs), but its path goes through afw-hub-weu, and whether that allowed them is not in the logs given: '
      + 'a flow log records the NSG\'s decision only, so they are not reported as allowed.');
  });

  it('takes a Traffic Analytics row\'s allow as the NSG\'s word too (TA is computed from the flow logs): the same gap', () => {
    // traffic-analytics.ts logs TA rows as `traffic-analytics`, a kind of their own: still flow-log evidence (policy.ts FLOW_LOGS).
    const asTa = logs.map((l) => ({ ...l, records: l.records.map((r) => (r.log === 'nsg-flow' ? { ...r, log: 'traffic-analytics' as const } : r)) }));
    const ta = analyzeTraffic(demoInput('bank'), asTa, { policy: policy(BANK_POLICY, 'bank-traffic.yaml') });
    expect(ta.findings.some((f) => f.policy?.destination === '185.40.56.11')).toBe(false);
    expect(ta.gaps.find((g) => /passed the NSG/.test(g.message))).toMatchObject({ code: 'not-modelled', count: 1 });
  });

  it('adds nothing without a policy', () => {
    const plain = analyzeTraffic(demoInput('bank'), logs);
    expect(plain.findings.some((f) => f.code === 'observed-outside-policy')).toBe(false);
    expect(plain.gaps.length).toBe(result.gaps.length - 3);
    expect(plain.findings.length).toBe(result.findings.length - 3);
  });
});

describe('observed-outside-policy on a built estate', () => {
  const b = new ModelBuilder();
  const vnet = b.vnet('vnet-app', ['10.0.0.0/16']);
  const app = b.subnet(vnet, 'snet-app', '10.0.1.0/24');
  b.subnet(vnet, 'snet-other', '10.0.2.0/24');
  b.nic(app, 'nic-app-01', '10.0.1.4');
  const model = b.build();
  const withTags: ResolveInput = { model, effectiveRoutes: [], metrics: [], gaps: [], serviceTags: DEMO_SERVICE_TAGS_EXCERPT };
  const withoutTags: ResolveInput = { model, effectiveRoutes: [], metrics: [], gaps: [] };

  function record(partial: Partial<TrafficRecord> & Pick<TrafficRecord, 'destination'>): TrafficRecord {
    return {
      time: '2026-03-01T10:00:00.000Z', until: null, sourceIp: '10.0.1.4', destinationIp: null, port: 443, protocol: 'TCP', action: 'allow', flows: 1, bytes: null,
      rule: null, firewallId: null, log: 'vnet-flow', ...partial,
    };
  }
  const log = (...records: TrafficRecord[]): ParsedLog[] => [{ file: 'inline.json', shape: 'rows', records, skipped: [] }];
  const yaml = (mayReach: string, extra = ''): string => `version: 1
controls:
  - id: app-egress
    title: App egress
    effect: deny
    scope: { subnets: [snet-app] }
    mayReach: ${mayReach}
${extra}`;

  it('judges an address against a service tag with the input\'s prefix data, and names the missing data without it', () => {
    const logs = log(record({ destination: '52.239.140.7' }), record({ destination: '8.8.8.8', port: 53, protocol: 'UDP' }));
    const p = policy(yaml('[Storage]'));
    const judged = analyzeTraffic(withTags, logs, { policy: p });
    // 52.239.140.7 is in Storage's 52.239.140.0/22; 8.8.8.8 is not.
    expect(outside(judged).map((f) => f[2])).toEqual(['8.8.8.8:53/UDP']);
    const blind = analyzeTraffic(withoutTags, logs, { policy: p });
    expect(outside(blind)).toEqual([]);
    const gap = blind.gaps.find((g) => /could not be judged/.test(g.message));
    expect(gap).toMatchObject({ code: 'not-modelled', count: 2 });
    expect(gap?.message).toContain('the input has no prefix data for the service tag(s) Storage in mayReach (give --service-tags ServiceTags_Public_*.json)');
  });

  it('narrows by port, covers a NIC through its subnet, and keeps other subnets out of scope', () => {
    const logs = log(
      record({ destination: 'api.example.com', port: 8443, protocol: 'HTTPS', log: 'azfw-application' }),
      record({ destination: 'api.example.com', port: 443, protocol: 'HTTPS', log: 'azfw-application' }),
      record({ destination: '20.1.2.3', sourceIp: '10.0.2.9' }),
      // An address of snet-app no NIC holds: attributed to the subnet, which the scope names.
      record({ destination: 'other.example.org', sourceIp: '10.0.1.50', protocol: 'HTTPS', log: 'azfw-application' }),
    );
    const result = analyzeTraffic(withTags, logs, { policy: policy(yaml('["api.example.com:443", 20.1.0.0/16]')) });
    expect(outside(result)).toEqual([
      ['error', 'app-egress', 'api.example.com:8443/HTTPS', 7, 'nic-app-01'],
      ['error', 'app-egress', 'other.example.org:443/HTTPS', 7, 'snet-app'],
    ]);
    expect(result.findings.find((f) => f.policy?.destination === 'other.example.org')?.message).toMatch(/^Subnet snet-app: other\.example\.org:443\/HTTPS was allowed/);
  });

  it('waives a finding under an exception in force when the traffic was seen, not under an expired one', () => {
    const logs = log(record({ destination: '198.51.100.20', time: '2026-03-01T10:00:00.000Z' }));
    const exception = (expires: string): string => `    exceptions:\n      - { source: snet-app, reason: "migration", ticket: CHG-7, expires: ${expires} }\n`;
    const waived = analyzeTraffic(withTags, logs, { policy: policy(yaml('[20.1.0.0/16]', exception('2026-06-30'))) });
    expect(outside(waived)).toEqual([['info', 'app-egress', '198.51.100.20:443/TCP', 7, 'nic-app-01']]);
    expect(waived.findings.find((f) => f.code === 'observed-outside-policy')?.message).toContain('waived by the exception for "snet-app" (CHG-7, until 2026-06-30, line 9): migration.');
    const expired = analyzeTraffic(withTags, logs, { policy: policy(yaml('[20.1.0.0/16]', exception('2026-02-28'))) });
    expect(outside(expired)).toEqual([['error', 'app-egress', '198.51.100.20:443/TCP', 7, 'nic-app-01']]);
  });

  it('treats a TLS flow without a name or address as undecidable', () => {
    const result = analyzeTraffic(withTags, log(record({ destination: '(no SNI)', protocol: 'HTTPS', log: 'azfw-application' })), { policy: policy(yaml('[api.example.com]')) });
    expect(outside(result)).toEqual([]);
    expect(result.gaps.find((g) => /could not be judged/.test(g.message))?.message).toContain('the connection named no host (TLS without SNI)');
  });
});

describe('VNet traffic in public ranges is not egress', () => {
  it('traffic to the VNet\'s own (public-range) address space raises no observed-outside-policy', () => {
    // policy.ts comparable(): the policy speaks about egress, "not VNet traffic"; README: private
    // includes "the VNet's own address space (public ranges included)". 20.40.0.0/24 is vnet-a's.
    const { input } = natEstate();
    const p = policy(['version: 1', 'controls:', '  - id: apps-list', '    title: Apps reach only listed destinations', '    effect: deny',
      '    scope: { subnets: [snet-apps] }', '    mayReach: ["198.51.100.0/24"]', ''].join('\n'), 'p.yaml');
    const own: TrafficRecord = {
      time: '2024-05-01T10:00:00.000Z', until: null, sourceIp: '10.0.1.4', destination: '20.40.0.5', destinationIp: '20.40.0.5', port: 443, protocol: 'TCP',
      action: 'allow', flows: 3, bytes: 900, bytesSent: 300, rule: { policy: null, collectionGroup: null, collection: null, rule: 'AllowVnetOutBound' }, firewallId: null, log: 'vnet-flow',
    };
    expect(outside(analyzeTraffic(input, [inlineLog([own])], { policy: p }))).toEqual([]);
    // The same control still judges a public address outside the VNet.
    expect(outside(analyzeTraffic(input, [inlineLog([{ ...own, destination: '20.41.0.5', destinationIp: '20.41.0.5' }])], { policy: p })))
      .toEqual([['error', 'apps-list', '20.41.0.5:443/TCP', 7, 'nic-app-01']]);
  });
});

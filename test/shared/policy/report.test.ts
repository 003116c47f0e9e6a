/**
 * SARIF (validated against the OASIS SARIF 2.1.0 schema with Ajv) and JUnit XML (read back with a
 * strict reader) for a check result with failures, waivers, audit and not-applicable controls.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import type { ResolveInput } from '../../../shared/egress/index';
import type { Gap } from '../../../shared/model/gaps';
import { toResourceId } from '../../../shared/model/ids';
import { checkPolicy, fingerprint, sourceLabel, toJunit, toSarif, xmlEscape } from '../../../shared/policy/index';
import type { CheckResult } from '../../../shared/policy/index';
import { networkRule } from '../../support/model-builder';
import { hubSpokeFirewall } from '../egress/support';
import { demoInput, NOW, policy, ROOT } from './support';
import { childrenNamed, parseXml } from './xml';

const POLICY = `version: 1
controls:
  - id: no-default-outbound
    title: No <default> outbound & "friends"
    effect: deny
    forbidExits: [default-outbound]
  - id: inspected
    title: Through the firewall
    effect: audit
    requireVia: [afw-hub-weu]
    exceptions:
      - { source: snet-payments-reporting, reason: "Q1 move <CHG>", ticket: CHG-1, expires: 2027-03-31 }
      - { source: snet-old, reason: gone, expires: 2026-01-01 }
  - id: off
    effect: disabled
    forbidVerdicts: [unknown]
  - id: snat
    effect: audit
    maxSnatUtilisation: 80
`;

function result(): CheckResult {
  return checkPolicy(demoInput('bank'), policy(POLICY, 'policies/egress.yaml'), { now: NOW });
}

/** One deny control `c` with this flow-mapping body, checked against `input`. */
function checkOne(input: ResolveInput, body: string): CheckResult {
  return checkPolicy(input, policy(`version: 1\ncontrols:\n  - { id: c, effect: deny, ${body} }\n`), { now: NOW });
}

/** The OASIS schema is draft-04; Ajv 8 reads it as draft-07 once `id` is `$id` (see test/fixtures/sarif/SOURCES.md). */
function sarifValidator(): ReturnType<Ajv['compile']> {
  const schema = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8')) as Record<string, unknown>;
  const { id, $schema: _draft, ...rest } = schema;
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat('uri', (s: string) => /^[a-z][a-z0-9+.-]*:/i.test(s));
  ajv.addFormat('uri-reference', (s: string) => !/\s/.test(s));
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
  return ajv.compile({ ...rest, $id: typeof id === 'string' ? id : undefined });
}

describe('SARIF 2.1.0', () => {
  const sarif = toSarif(result(), { policyUri: 'policies/egress.yaml', toolVersion: '1.2.3' });

  it('validates against the SARIF 2.1.0 schema', () => {
    const validate = sarifValidator();
    const ok = validate(JSON.parse(JSON.stringify(sarif)));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    // The validator does reject a broken log (it is really checking).
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false);
  });

  it('one rule per control, one result per violation, located at the control line with the resource as logical location', () => {
    const run = sarif.runs[0];
    expect(run?.tool.driver).toMatchObject({ name: 'egress-atlas', version: '1.2.3' });
    expect(run?.tool.driver.rules.map((r) => [r.id, r.defaultConfiguration.level])).toEqual([['no-default-outbound', 'error'], ['inspected', 'warning'], ['off', 'none'], ['snat', 'warning']]);
    const active = run?.results.filter((r) => !r.suppressions) ?? [];
    expect(active).toHaveLength(1);
    expect(active[0]).toMatchObject({
      ruleId: 'no-default-outbound', ruleIndex: 0, level: 'error',
      message: { text: expect.stringMatching(/^snet-payments-reporting: leaves through default outbound access/) },
      locations: [{
        physicalLocation: { artifactLocation: { uri: 'policies/egress.yaml' }, region: { startLine: 3 } },
        logicalLocations: [{ name: 'snet-payments-reporting', fullyQualifiedName: expect.stringMatching(/\/subnets\/snet-payments-reporting$/), kind: 'resource' }],
      }],
    });
    // The audit violation is waived: a result with an accepted suppression, at the audit control's line.
    const waived = run?.results.filter((r) => r.suppressions) ?? [];
    expect(waived).toHaveLength(1);
    expect(waived[0]).toMatchObject({ ruleId: 'inspected', level: 'warning', locations: [{ physicalLocation: { region: { startLine: 7 } } }] });
    expect(waived[0]?.suppressions?.[0]?.justification).toBe('Q1 move <CHG> (CHG-1), until 2027-03-31');
    // The expired exception is a configuration notification at its own line; so is the SNAT control,
    // which judged nothing (no metrics): a note for an audit control, tied to its rule.
    expect(run?.invocations[0]?.toolConfigurationNotifications).toEqual([
      expect.objectContaining({ level: 'error', locations: [expect.objectContaining({ physicalLocation: expect.objectContaining({ region: { startLine: 13 } }) })] }),
      {
        level: 'note', associatedRule: { id: 'snat', index: 3 },
        message: { text: 'policies/egress.yaml:17: control snat is not applicable, nothing was checked: maxSnatUtilisation: not applicable: the input has no SNAT port utilisation metrics (capture them with egress-atlas pull --metrics)' },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'policies/egress.yaml' }, region: { startLine: 17 } } }],
      },
    ]);
  });

  it('partialFingerprints are stable across runs and distinct per (control, source, requirement, subject)', () => {
    const again = toSarif(result(), { policyUri: 'policies/egress.yaml', toolVersion: '9.9.9' });
    const prints = (log: typeof sarif): string[] => log.runs[0]?.results.map((r) => r.partialFingerprints['egressAtlas/v1'] ?? '') ?? [];
    expect(prints(again)).toEqual(prints(sarif));
    expect(prints(sarif).every((p) => /^[0-9a-f]{16}$/.test(p))).toBe(true);
    expect(new Set(prints(sarif)).size).toBe(prints(sarif).length);
    expect(fingerprint(['a', 'b'])).not.toBe(fingerprint(['ab', '']));
  });
});

describe('SARIF: what a run without results must still say', () => {
  it('a deny control whose scope matches no source is a configuration notification at its line (not an empty, green run)', () => {
    // A typo in a glob (snet-paymnets-*) selects nothing: the table says N/A with a note, JUnit a
    // skipped case, exit 0. SARIF 2.1.0 schema: invocation.toolConfigurationNotifications holds
    // "conditions detected by the tool that are relevant to the tool's configuration".
    const typo = checkOne(demoInput('bank'), 'scope: { subnets: [snet-paymnets-*] }, forbidExits: [default-outbound]');
    expect(typo.controls[0]).toMatchObject({ status: 'not-applicable', notes: ['no source is in scope'] });
    const log = toSarif(typo, { policyUri: 'policy.yaml', toolVersion: '1' });
    expect(log.runs[0]?.results).toEqual([]);
    expect(log.runs[0]?.invocations).toEqual([{
      executionSuccessful: true,
      toolConfigurationNotifications: [{
        level: 'warning', associatedRule: { id: 'c', index: 0 },
        message: { text: 'policy.yaml:3: control c is not applicable, nothing was checked: no source is in scope' },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'policy.yaml' }, region: { startLine: 3 } } }],
      }, {
        // The entry that selects nothing, by name: the notification above does not say which one.
        level: 'warning', associatedRule: { id: 'c', index: 0 },
        message: { text: 'policy.yaml:3: control c: scope.subnets entry "snet-paymnets-*" matches no source in the input (a typo? the other entries still apply)' },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'policy.yaml' }, region: { startLine: 3 } } }],
      }],
    }]);
    const validate = sarifValidator();
    expect(validate(JSON.parse(JSON.stringify(log)))).toBe(true);
  });

  it('partialFingerprints differ for violations that differ only in port (same CIDR reachable on TCP 22 and 443)', () => {
    // SARIF 2.1.0 schema: partialFingerprints "contribute to the stable, unique identity of the result";
    // equal prints made code scanning merge the TCP 22 and TCP 443 findings into one alert.
    const { b } = hubSpokeFirewall([
      networkRule('ssh', { destinationAddresses: ['203.0.113.0/24'], destinationPorts: ['22'] }),
      networkRule('https', { destinationAddresses: ['203.0.113.0/24'], destinationPorts: ['443'] }),
    ]);
    const twoPorts = checkOne({ model: b.build(), effectiveRoutes: [], metrics: [], gaps: [] }, 'scope: { subnets: [app] }, mayReach: [api.stripe.com]');
    expect(twoPorts.controls[0]?.violations.map((v) => [v.subject, v.ports, v.protocols])).toEqual([['203.0.113.0/24', ['22'], ['TCP']], ['203.0.113.0/24', ['443'], ['TCP']]]);
    const prints = toSarif(twoPorts, { policyUri: 'policy.yaml', toolVersion: '1' }).runs[0]?.results.map((r) => r.partialFingerprints['egressAtlas/v1']) ?? [];
    expect(prints).toHaveLength(2);
    expect(new Set(prints).size).toBe(2);
    // Violations without ports (every other requirement) keep the prints they always had.
    const dao = result().controls[0]?.violations[0];
    const daoPrint = toSarif(result(), { policyUri: 'policies/egress.yaml', toolVersion: '1' }).runs[0]?.results[0]?.partialFingerprints['egressAtlas/v1'];
    expect(daoPrint).toBe(fingerprint(['no-default-outbound', dao?.source.id ?? '', 'forbidExits', 'default-outbound']));
  });
});

describe('JUnit XML', () => {
  const r = result();
  const xml = toJunit(r);
  const root = parseXml(xml);

  it('is well-formed, one testsuite per control and one testcase per (control, source in scope)', () => {
    expect(root.name).toBe('testsuites');
    const suites = childrenNamed(root, 'testsuite');
    expect(suites.map((s) => s.attributes.name)).toEqual(['no-default-outbound: No <default> outbound & "friends"', 'inspected: Through the firewall', 'off: off', 'snat: snat']);
    const [dao, inspected, off, snat] = suites;
    expect(childrenNamed(dao ?? root, 'testcase')).toHaveLength(5);
    expect(dao?.attributes).toMatchObject({ tests: '5', failures: '1', errors: '0', skipped: '0', timestamp: '2026-11-26T09:00:00' });
    // The disabled control's one case and the SNAT control's five (no metrics: nothing judged) are skips, not passes.
    expect(root.attributes).toMatchObject({ tests: String(5 + 5 + 1 + 5), failures: '1', skipped: String(1 + 5) });
    expect(snat?.attributes).toMatchObject({ tests: '5', failures: '0', skipped: '5' });
    expect(childrenNamed(snat ?? root, 'testcase').every((t) => t.children[0]?.name === 'skipped')).toBe(true);
    expect(childrenNamed(off ?? root, 'testcase')[0]?.children[0]).toMatchObject({ name: 'skipped', attributes: { message: 'the control is disabled' } });
    expect(childrenNamed(snat ?? root, 'testcase')).toHaveLength(5);
    // A waived source passes, and says why in system-out.
    const reporting = childrenNamed(inspected ?? root, 'testcase').find((t) => t.attributes.name === 'vnet-payments-api-weu/snet-payments-reporting');
    expect(reporting?.children.map((c) => c.name)).toEqual(['system-out']);
    expect(reporting?.children[0]?.text).toMatch(/waived by exception \(line 12, CHG-1, until 2027-03-31\)/);
  });

  it('a source the control could not judge (no SNAT metric on its path) is a skipped test case, not a pass', () => {
    const bank = demoInput('bank');
    const firewall = bank.model.azureFirewalls.find((f) => f.name === 'afw-hub-weu')?.id ?? '';
    const metric = {
      resourceId: toResourceId(firewall), metricName: 'SNATPortUtilization', filter: null, aggregation: 'Maximum' as const,
      windowStart: '2026-11-25T09:00:00Z', windowEnd: '2026-11-26T09:00:00Z', unit: 'Percent', value: 50,
    };
    const snat = checkOne({ ...bank, metrics: [metric] }, 'maxSnatUtilisation: 80');
    const c = snat.controls[0];
    // JSON says snet-payments-reporting was not judged (it bypasses the firewall) ...
    const note = 'maxSnatUtilisation: not applicable to 1 source(s) with no SNAT port utilisation metric on their path (snet-payments-reporting)';
    expect(c?.status).toBe('pass');
    expect(c?.notes).toEqual([note]);
    expect(c?.notJudged?.map((id) => id.split('/').pop())).toEqual(['snet-payments-reporting']);
    // ... and JUnit skips it ("a skip, never a pass CI could count"); before, it was a bare passing case.
    const suite = childrenNamed(parseXml(toJunit(snat)), 'testsuite')[0] ?? root;
    expect(suite.attributes).toMatchObject({ tests: '5', failures: '0', skipped: '1' });
    const cases = childrenNamed(suite, 'testcase').map((t) => [t.attributes.name, t.children.map((ch) => [ch.name, ch.attributes.message])]);
    expect(cases).toEqual([
      ['vnet-card-auth-weu/snet-card-auth', []],
      ['vnet-payments-api-weu/snet-payments-api', []],
      ['vnet-payments-api-weu/snet-payments-reporting', [['skipped', note]]],
      ['vnet-settlement-weu/snet-settlement-batch', []],
      ['vnet-settlement-weu/snet-settlement-db', []],
    ]);
  });

  it('failures carry the reason and the path', () => {
    const failing = childrenNamed(childrenNamed(root, 'testsuite')[0] ?? root, 'testcase').filter((t) => t.children.some((c) => c.name === 'failure'));
    expect(failing.map((t) => [t.attributes.classname, t.attributes.name])).toEqual([['egress-atlas.no-default-outbound', 'vnet-payments-api-weu/snet-payments-reporting']]);
    const failure = failing[0]?.children.find((c) => c.name === 'failure');
    expect(failure?.attributes.type).toBe('deny');
    expect(failure?.attributes.message).toMatch(/^leaves through default outbound access/);
    expect(failure?.text).toMatch(/^forbidExits: leaves through/);
    expect(failure?.text).toMatch(/\n {2}1\. source: /);
  });

  it('escapes everything XML cannot carry raw', () => {
    expect(xmlEscape('a<b>&"c\'\u0001')).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
    expect(parseXml(`<x a="${xmlEscape('<&>"\'')}">${xmlEscape('</x>&amp;')}</x>`)).toMatchObject({ attributes: { a: '<&>"\'' }, text: '</x>&amp;' });
    expect(sourceLabel({ type: 'nic', id: '/x/nic', name: 'nic-1' })).toBe('nic-1');
  });
});

describe('a partial capture (a subscription answered 403) in SARIF and JUnit', () => {
  const denied = '7c2e9a41-0b6d-4f3e-9a85-3d1f6b2c8e07';
  const bank = demoInput('bank');
  const gap = { code: 'access-denied' as const, scope: `/subscriptions/${denied}`, message: `Subscription ${denied} answered 403 (AuthorizationFailed): nothing of it was read.` };
  const partial = checkPolicy({ ...bank, gaps: [...bank.gaps, gap] }, policy(POLICY, 'policies/egress.yaml'), { now: NOW });

  it('SARIF: one toolExecutionNotification per gap at warning, and one per control not judged there, at its line', () => {
    // SARIF 2.1.0 §3.20.21: toolExecutionNotifications report "runtime conditions" of the run;
    // the run completed (executionSuccessful stays true: no error-level notification), on part of the estate.
    const log = toSarif(partial, { policyUri: 'policies/egress.yaml', toolVersion: '1' });
    const invocation = log.runs[0]?.invocations[0];
    expect(invocation?.executionSuccessful).toBe(true);
    const notes = invocation?.toolExecutionNotifications ?? [];
    expect(notes[0]).toEqual({ level: 'warning', descriptor: { id: 'access-denied', index: 0 }, message: { text: `/subscriptions/${denied} was not read (access-denied): ${gap.message} No control was judged there.` } });
    // Deny at warning, audit at note, as for a control that judged nothing; the disabled one says nothing.
    expect(notes.slice(1).map((n) => [n.associatedRule?.id, n.level, n.locations?.[0]?.physicalLocation.region.startLine])).toEqual([
      ['no-default-outbound', 'warning', 3], ['inspected', 'note', 7], ['snat', 'note', 17],
    ]);
    expect(notes[1]?.message.text).toBe(`policies/egress.yaml:3: control no-default-outbound (fail) was not judged where the input was not read: /subscriptions/${denied} (access-denied)`);
    const validate = sarifValidator();
    expect(validate(JSON.parse(JSON.stringify(log))), JSON.stringify(validate.errors)).toBe(true);
    // An input that read everything writes no execution notification at all.
    expect(toSarif(result(), { policyUri: 'p', toolVersion: '1' }).runs[0]?.invocations[0]?.toolExecutionNotifications).toBeUndefined();
  });

  it('JUnit: the unread part is a skipped case and a property of each control not judged there, every gap in system-err; no failure is invented', () => {
    const root = parseXml(toJunit(partial));
    const full = parseXml(toJunit(result()));
    // The same failures as on the full capture, and one more skip per enabled control.
    expect(root.attributes.failures).toBe(full.attributes.failures);
    expect(Number(root.attributes.skipped)).toBe(Number(full.attributes.skipped) + 3);
    const [dao, , off] = childrenNamed(root, 'testsuite');
    const notRead = childrenNamed(dao ?? root, 'testcase').find((t) => t.attributes.name === `not read: /subscriptions/${denied} (access-denied)`);
    expect(notRead?.children.map((c) => [c.name, c.attributes.message])).toEqual([['skipped', `not judged: /subscriptions/${denied} was not read (access-denied): ${gap.message}`]]);
    const properties = childrenNamed(childrenNamed(dao ?? root, 'properties')[0] ?? root, 'property').map((p) => [p.attributes.name, p.attributes.value]);
    expect(properties).toContainEqual(['not-read', `/subscriptions/${denied} (access-denied)`]);
    for (const suite of childrenNamed(root, 'testsuite')) expect(childrenNamed(suite, 'system-err')[0]?.text).toContain(`/subscriptions/${denied} was not read`);
    expect(childrenNamed(off ?? root, 'testcase').map((t) => t.attributes.name)).toEqual(['off']);
  });

  it('JUnit: a scope entry that matches no source is a property of its control', () => {
    const typo = checkOne(bank, 'scope: { subnets: [snet-payments-api, snet-card-auht] }, forbidExits: [default-outbound]');
    const suite = childrenNamed(parseXml(toJunit(typo)), 'testsuite')[0] ?? parseXml('<x/>');
    const properties = childrenNamed(childrenNamed(suite, 'properties')[0] ?? suite, 'property').map((p) => [p.attributes.name, p.attributes.value]);
    expect(properties).toContainEqual(['unmatched-scope', 'scope.subnets: snet-card-auht']);
    const log = toSarif(typo, { policyUri: 'policy.yaml', toolVersion: '1' });
    expect(log.runs[0]?.invocations[0]?.toolConfigurationNotifications.map((n) => n.message.text)).toEqual([
      'policy.yaml:3: control c: scope.subnets entry "snet-card-auht" matches no source in the input (a typo? the other entries still apply)',
    ]);
  });
});

describe('gap notifications and test cases (review of ad0d138)', () => {
  const DENIED = '7c2e9a41-0b6d-4f3e-9a85-3d1f6b2c8e07';
  const bank = demoInput('bank');
  const denied: Gap = { code: 'access-denied', scope: `/subscriptions/${DENIED}`, message: `Subscription ${DENIED} answered 403 (AuthorizationFailed): nothing of it was read.` };
  const timedOut: Gap = { code: 'timeout', scope: `/subscriptions/${DENIED}`, message: 'Listing it timed out.' };
  const throttled: Gap = { code: 'throttled', scope: `/subscriptions/${DENIED}/resourceGroups/rg-x`, message: '429.' };

  it('SARIF: a notification descriptor refers to a reportingDescriptor the log contains', () => {
    // SARIF 2.1.0: notification.descriptor is a reportingDescriptorReference (§3.52) that
    // "identifies the reportingDescriptor" describing the notification; with no guid its `id`
    // (and `index`, when given) locate it in the tool component's `notifications` array (driver
    // when toolComponent is absent). toSarif wrote descriptor: { id: 'access-denied' } with no
    // `notifications` on the driver at all, so the reference dangled.
    const one = toSarif(checkOne({ ...bank, gaps: [...bank.gaps, denied] }, 'forbidExits: [default-outbound]'), { policyUri: 'policy.yaml', toolVersion: '1' });
    const referenced = (one.runs[0]?.invocations[0]?.toolExecutionNotifications ?? []).flatMap((n) => (n.descriptor ? [n.descriptor.id] : []));
    expect(referenced).toEqual(['access-denied']);
    // The class: every code used, once, each reference resolving by id and index; valid SARIF.
    const log = toSarif(checkOne({ ...bank, gaps: [...bank.gaps, denied, throttled, timedOut, { ...denied, scope: `/subscriptions/${DENIED}0` }] }, 'forbidExits: [default-outbound]'), { policyUri: 'policy.yaml', toolVersion: '1' });
    const driver = log.runs[0]?.tool.driver;
    expect(driver?.notifications?.map((d) => d.id)).toEqual(['access-denied', 'throttled', 'timeout']);
    expect(driver?.notifications?.every((d) => d.shortDescription.text.length > 0)).toBe(true);
    const notes = log.runs[0]?.invocations[0]?.toolExecutionNotifications ?? [];
    const references = notes.flatMap((n) => (n.descriptor ? [n.descriptor] : []));
    expect(references.map((d) => d.id)).toEqual(['access-denied', 'throttled', 'timeout', 'access-denied']);
    for (const d of references) expect(driver?.notifications?.[d.index]?.id, d.id).toBe(d.id);
    const validate = sarifValidator();
    expect(validate(JSON.parse(JSON.stringify(log))), JSON.stringify(validate.errors)).toBe(true);
    // A run that read everything describes no notification kinds.
    expect(toSarif(result(), { policyUri: 'p', toolVersion: '1' }).runs[0]?.tool.driver.notifications).toBeUndefined();
  });

  it('JUnit: two gaps on one scope with different codes are two distinct test cases', () => {
    // classname is the control, name was `not read: <scope>`: a 403 and a timeout on one
    // subscription gave two cases CI merges or reports as duplicates. The code is in the name.
    const suite = childrenNamed(parseXml(toJunit(checkOne({ ...bank, gaps: [...bank.gaps, denied, timedOut] }, 'forbidExits: [default-outbound]'))), 'testsuite')[0];
    const names = childrenNamed(suite ?? parseXml('<x/>'), 'testcase').map((t) => `${t.attributes.classname ?? ''}|${t.attributes.name ?? ''}`).filter((n) => n.includes('|not read:'));
    expect(names).toEqual([`egress-atlas.c|not read: /subscriptions/${DENIED} (access-denied)`, `egress-atlas.c|not read: /subscriptions/${DENIED} (timeout)`]);
  });

  it('JUnit: a subnet that was read and judged gets no "not read" case for a skipped duplicate copy of it', () => {
    // load.ts conflictGap: two inputs disagree on a resource, one copy is used (`skipped-input`,
    // scope the resource ID). JUnit added a skipped case "not read: …/snet-payments-reporting"
    // next to that subnet's failing case: the same subnet both judged and not read.
    const reporting = bank.model.subnets.find((x) => x.name === 'snet-payments-reporting');
    if (!reporting) throw new Error('demo estate changed');
    const dup: Gap = { code: 'skipped-input', scope: reporting.id, message: `b.json and a.json disagree about ${reporting.id} (addressPrefixes): the copy of a.json is used; that of b.json is left out.` };
    const checked = checkOne({ ...bank, gaps: [...bank.gaps, dup] }, 'scope: { subnets: [snet-payments-reporting] }, forbidExits: [default-outbound]');
    const suite = childrenNamed(parseXml(toJunit(checked)), 'testsuite')[0] ?? parseXml('<x/>');
    const cases = childrenNamed(suite, 'testcase');
    expect(cases.map((t) => [t.attributes.name, t.children.map((c) => c.name)])).toEqual([['vnet-payments-api-weu/snet-payments-reporting', ['failure']]]);
    expect(childrenNamed(suite, 'system-err')).toEqual([]);
    expect(toSarif(checked, { policyUri: 'p', toolVersion: '1' }).runs[0]?.invocations[0]?.toolExecutionNotifications).toBeUndefined();
  });
});

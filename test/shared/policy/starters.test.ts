/**
 * The starter policies (shared/policy/starters) validate against the shipped JSON Schema and tell
 * each demo's story: what passes, and the real problem that fails. The schema and the parser agree
 * on what is wrong.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { checkExitCode, checkPolicy, readPolicy } from '../../../shared/policy/index';
import type { CheckResult } from '../../../shared/policy/index';
import { demoInput, NOW, ROOT, starter } from './support';

function schemaValidator(): ReturnType<Ajv['compile']> {
  const schema = JSON.parse(readFileSync(join(ROOT, 'shared/policy/policy.schema.json'), 'utf8')) as object;
  return new Ajv({ strict: true, strictRequired: false, allowUnionTypes: true, allErrors: true }).compile(schema);
}

function check(name: string): CheckResult {
  return checkPolicy(demoInput(name), starter(name).policy, { now: NOW });
}

function statuses(result: CheckResult): Record<string, string> {
  return Object.fromEntries(result.controls.map((c) => [c.id, c.status]));
}

function violators(result: CheckResult, id: string): string[] {
  return [...new Set(result.controls.find((c) => c.id === id)?.violations.map((v) => v.source.name) ?? [])].sort();
}

describe('policy JSON Schema', () => {
  const validate = schemaValidator();

  it.each(['bank', 'manufacturer', 'health'])('the %s starter validates', (name) => {
    const ok = validate(parseYaml(starter(name).text));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it.each([
    ['an unknown key', { version: 1, controls: [{ id: 'a', effect: 'deny', forbidExit: ['public-ip'] }] }],
    ['a bad effect', { version: 1, controls: [{ id: 'a', effect: 'block', forbidExits: ['public-ip'] }] }],
    ['no requirement', { version: 1, controls: [{ id: 'a', effect: 'deny' }] }],
    ['a bad glob', { version: 1, controls: [{ id: 'a', effect: 'deny', scope: { subnets: ['snet-[ab]'] }, forbidExits: ['public-ip'] }] }],
    // In an ID `*` stays within one segment; `**` would read as "any number of segments", which it is not.
    ['** in a resource ID', { version: 1, controls: [{ id: 'a', effect: 'deny', forbidExits: ['public-ip'], exceptions: [{ source: '/subscriptions/**/snet-a', reason: 'r', expires: '2027-01-01' }] }] }],
    ['a bad exit', { version: 1, controls: [{ id: 'a', effect: 'deny', forbidExits: ['nat'] }] }],
    ['an exception without expiry', { version: 1, controls: [{ id: 'a', effect: 'deny', forbidExits: ['public-ip'], exceptions: [{ source: 'x', reason: 'y' }] }] }],
    ['a wildcard to resolve', { version: 1, controls: [{ id: 'a', effect: 'deny', mustReach: ['*.example.com'] }] }],
    ['version 2', { version: 2, controls: [{ id: 'a', effect: 'deny', forbidExits: ['public-ip'] }] }],
    ['a percentage over 100', { version: 1, controls: [{ id: 'a', effect: 'deny', maxSnatUtilisation: 120 }] }],
  ])('schema and parser both reject %s', (_what, doc) => {
    expect(validate(doc)).toBe(false);
    expect(readPolicy(JSON.stringify(doc, null, 2), 'p.json').kind).toBe('error');
  });
});

describe('starter policies against the demos', () => {
  it('bank: PSP allow-list passes; snet-payments-reporting on default outbound fails two deny controls', () => {
    const result = check('bank');
    expect(statuses(result)).toEqual({ 'no-default-outbound': 'fail', 'payments-inspected': 'fail', 'psp-allow-list': 'pass', 'hub-snat-headroom': 'not-applicable' });
    expect(violators(result, 'no-default-outbound')).toEqual(['snet-payments-reporting']);
    expect(violators(result, 'payments-inspected')).toEqual(['snet-payments-reporting']);
    expect(result.controls.find((c) => c.id === 'psp-allow-list')?.inScope).toHaveLength(2);
    expect(checkExitCode(result)).toBe(1);
  });

  it('manufacturer: package feeds and the forced tunnel pass; build agents bypass inspection (one NIC waived); ACA jobs audit fails', () => {
    const result = check('manufacturer');
    expect(statuses(result)).toEqual({ 'package-feeds-only': 'pass', 'plant-floor-forced-tunnel': 'pass', 'apps-inspected': 'fail', 'aca-jobs-allow-list': 'fail' });
    expect(violators(result, 'apps-inspected')).toEqual(['nic-vm-build-agent-02', 'snet-build-agents']);
    const apps = result.controls.find((c) => c.id === 'apps-inspected');
    expect(apps?.exceptionsApplied.map((a) => [a.source.name, a.exception.ticket])).toEqual([['nic-vm-build-agent-01', 'CHG-4711']]);
    expect(result.summary.denyFailed).toEqual(['apps-inspected']);
  });

  it('manufacturer: after the waiver expires, the first build agent fails too', () => {
    const later = checkPolicy(demoInput('manufacturer'), starter('manufacturer').policy, { now: new Date('2027-07-01T00:00:00Z') });
    expect(violators(later, 'apps-inspected')).toEqual(['nic-vm-build-agent-01', 'nic-vm-build-agent-02', 'snet-build-agents']);
    expect(later.controls.find((c) => c.id === 'apps-inspected')?.exceptionsExpired[0]?.message).toMatch(/^shared\/policy\/starters\/manufacturer\.yaml:\d+: controls\[2\]\.exceptions\[0\]\.expires: .*expired on 2027-06-30; it no longer applies$/);
  });

  it('health: partner egress IPs pass; the HL7 engine reaches patient records over the internet; imaging has no way out', () => {
    const result = check('health');
    expect(statuses(result)).toEqual({ 'phi-private-only': 'fail', 'outbound-method': 'fail', 'portal-egress-ips': 'pass', 'nat-snat-headroom': 'not-applicable' });
    expect(violators(result, 'phi-private-only')).toEqual(['snet-legacy-hl7']);
    expect(violators(result, 'outbound-method')).toEqual(['snet-imaging-batch', 'snet-legacy-hl7']);
    expect(result.controls.find((c) => c.id === 'outbound-method')?.exceptionsApplied.map((a) => a.source.name).sort()).toEqual(['snet-lab-results-web', 'snet-legacy-pacs']);
  });
});

/**
 * The policy parser: the issue's example reads as written, and every mistake names the file, the
 * line and the field (a policy is fixed in a pull request, from the error alone).
 */
import { describe, expect, it } from 'vitest';
import { checkPolicy, formatIssue, parsePolicy, PolicyError, readPolicy } from '../../../shared/policy/index';
import type { PolicyIssue } from '../../../shared/policy/index';
import { ModelBuilder } from '../../support/model-builder';
import { NOW } from './support';

const ISSUE_EXAMPLE = `version: 1
controls:
  - id: no-default-outbound
    title: No subnet relies on default outbound access
    effect: deny
    scope: { subnets: ["*"] }
    forbidExits: [default-outbound]
  - id: payments-inspected
    effect: deny
    scope: { vnets: [vnet-payments-*] }
    requireVia: [afw-hub-weu]
    egressIpsWithin: [20.61.14.0/24]
    mayReach: [api.stripe.com, "*.riskapi.example", 20.50.0.0/16]
    mustReach: ["api.stripe.com:443"]
    mustNotReach: [exfil.example.net]
    privateOnly: [stpatients.blob.core.windows.net]
    exceptions:
      - { source: snet-legacy, reason: "decommission in Q1", ticket: CHG-1234, expires: 2027-03-31 }
`;

function issues(text: string, file = 'p.yaml'): readonly PolicyIssue[] {
  const parsed = readPolicy(text, file);
  if (parsed.kind === 'ok') throw new Error('expected the policy to be rejected');
  return parsed.issues;
}

function control(body: string): string {
  return `version: 1\ncontrols:\n  - id: c1\n    effect: deny\n${body}`;
}

describe('parsePolicy', () => {
  it('reads the issue example: effects, scope, every requirement kind, exceptions, lines', () => {
    const policy = parsePolicy(ISSUE_EXAMPLE, 'egress.yaml');
    expect(policy.version).toBe(1);
    expect(policy.fileName).toBe('egress.yaml');
    const [a, b] = policy.controls;
    expect(a?.id).toBe('no-default-outbound');
    expect(a?.line).toBe(3);
    expect(a?.scope.subnets.map((s) => s.text)).toEqual(['*']);
    expect(a?.requirements).toEqual([{ kind: 'forbidExits', line: 7, exits: ['default-outbound'] }]);
    expect(b?.title).toBe('payments-inspected'); // no title: the id stands in
    expect(b?.line).toBe(8);
    expect(b?.requirements.map((r) => r.kind)).toEqual(['requireVia', 'egressIpsWithin', 'mayReach', 'mustReach', 'mustNotReach', 'privateOnly']);
    const mayReach = b?.requirements.find((r) => r.kind === 'mayReach');
    expect(mayReach?.kind === 'mayReach' && mayReach.patterns.map((p) => [p.kind, p.port])).toEqual([['fqdn', null], ['fqdn', null], ['cidr', null]]);
    const mustReach = b?.requirements.find((r) => r.kind === 'mustReach');
    expect(mustReach?.kind === 'mustReach' && mustReach.destinations[0]?.spec.label).toBe('api.stripe.com:443/tcp');
    expect(b?.exceptions).toEqual([expect.objectContaining({ reason: 'decommission in Q1', ticket: 'CHG-1234', expires: '2027-03-31', line: 18, field: 'controls[1].exceptions[0]' })]);
    // Valid through the whole of 31 March (UTC).
    expect(b?.exceptions[0]?.expiresAt).toBe(Date.parse('2027-04-01T00:00:00Z'));
  });

  it('reads JSON with the same line numbers', () => {
    const json = JSON.stringify({ version: 1, controls: [{ id: 'a', effect: 'audit', forbidVerdicts: ['unknown'] }, { id: 'b', effect: 'deny', requireVerdicts: ['internet'] }] }, null, 2);
    const policy = parsePolicy(json, 'p.json');
    expect(policy.controls.map((c) => [c.id, c.line])).toEqual([['a', 4], ['b', 11]]);
    const broken = json.replace('"requireVerdicts"', '"requireVerdict"');
    expect(issues(broken, 'p.json')[0]).toMatchObject({ file: 'p.json', line: 14, field: 'controls[1].requireVerdict' });
  });

  it('unknown keys name the file, line and field, with a suggestion', () => {
    const found = issues(control('    forbidExit: [default-outbound]\n'));
    expect(found).toHaveLength(2); // the unknown key, and so no requirement at all
    expect(formatIssue(found[0] as PolicyIssue)).toMatch(/^p\.yaml:5: controls\[0\]\.forbidExit: unknown key "forbidExit" \(did you mean "forbidExits"\?\)/);
    expect(issues('version: 1\ncolntrols: []\n')[0]).toMatchObject({ line: 2, field: 'colntrols' });
    expect(issues(control('    forbidExits: [default-outbound]\n    scope: { subnet: [a] }\n'))[0]).toMatchObject({ line: 6, field: 'controls[0].scope.subnet' });
  });

  it('bad globs, destinations, CIDRs, enums and types are errors at their line', () => {
    const found = issues(control([
      '    scope: { subnets: ["snet-[ab]"] }', // 5
      '    mustReach: [not a destination]', // 6
      '    mustNotReach: ["*.pastebin.com"]', // 7
      '    egressIpsWithin: [20.61.14.0/33]', // 8
      '    forbidExits: [default-outbond]', // 9
      '    maxSnatUtilisation: "80%"', // 10
      '    requireVia: afw-hub', // 11
      '    mayReach: ["api.*.example"]', // 12
      '',
    ].join('\n')));
    expect(found.map((i) => [i.line, i.field])).toEqual([
      [5, 'controls[0].scope.subnets[0]'],
      [6, 'controls[0].mustReach[0]'],
      [7, 'controls[0].mustNotReach[0]'],
      [8, 'controls[0].egressIpsWithin[0]'],
      [9, 'controls[0].forbidExits[0]'],
      [10, 'controls[0].maxSnatUtilisation'],
      [11, 'controls[0].requireVia'],
      [12, 'controls[0].mayReach[0]'],
    ]);
    expect(found[0]?.message).toMatch(/not a supported glob/);
    expect(found[1]?.message).toMatch(/is not a destination/);
    expect(found[2]?.message).toMatch(/wildcard cannot be resolved/);
    expect(found[4]?.message).toMatch(/expected one of: nat-gateway, public-ip/);
    expect(found[5]?.message).toMatch(/percentage from 0 to 100, found "80%"/);
    expect(found[6]?.message).toMatch(/expected a list/);
  });

  it('controls need an id, an effect and a requirement; ids are unique', () => {
    expect(issues('version: 1\ncontrols:\n  - title: x\n    effect: maybe\n').map((i) => i.field)).toEqual(['controls[0].id', 'controls[0].effect', 'controls[0]']);
    const dup = issues('version: 1\ncontrols:\n  - { id: a, effect: deny, forbidExits: [public-ip] }\n  - { id: A, effect: audit, forbidExits: [public-ip] }\n');
    expect(dup[0]).toMatchObject({ line: 4, field: 'controls[1].id' });
    expect(dup[0]?.message).toMatch(/control on line 3/);
    expect(issues(control('    forbidExits: []\n'))[0]?.message).toMatch(/requires nothing/);
  });

  it('exceptions need source, reason and a real expiry date', () => {
    const found = issues(control('    forbidExits: [default-outbound]\n    exceptions:\n      - { source: snet-a, expires: 2027-02-30 }\n      - source: "snet-{a,b}"\n        reason: r\n        expires: 2027-01-01\n'));
    expect(found.map((i) => [i.line, i.field])).toEqual([
      [7, 'controls[0].exceptions[0].reason'],
      [7, 'controls[0].exceptions[0].expires'],
      [8, 'controls[0].exceptions[1].source'],
    ]);
    expect(found[1]?.message).toMatch(/"2027-02-30" is not a date/);
    expect(issues(control('    forbidExits: [default-outbound]\n    exceptions:\n      - { source: a, reason: r }\n'))[0]?.message).toMatch(/time-boxed/);
  });

  it('an exception expiring at a time on a day that does not exist (2027-02-30T…Z) is rejected, not rolled into March', () => {
    // expiryOf rejected 2027-02-30 as a date, but Date.parse rolled the date-time over to 2027-03-02,
    // so the waiver silently ran two days longer than any real date the author could have meant.
    const at = (expires: string): readonly PolicyIssue[] => issues(control(`    forbidExits: [default-outbound]\n    exceptions:\n      - { source: snet-a, reason: r, expires: "${expires}" }\n`));
    for (const expires of ['2027-02-30T12:00:00Z', '2027-04-31T00:00:00+02:00', '2027-03-01T24:30:00Z', '2027-03-01T12:60:00Z', '2027-03-01T12:00:61Z', '2027-03-01T12:00:00+25:00']) {
      expect(at(expires), expires).toEqual([{
        file: 'p.yaml', line: 7, field: 'controls[0].exceptions[0].expires',
        message: `"${expires}" is not a date (YYYY-MM-DD) or an ISO 8601 date-time with a time zone`,
      }]);
    }
    // A real instant with its zone still reads, to the millisecond.
    const ok = parsePolicy(control('    forbidExits: [default-outbound]\n    exceptions:\n      - { source: snet-a, reason: r, expires: "2028-02-29T23:30:00.5-01:00" }\n'), 'p.yaml');
    expect(ok.controls[0]?.exceptions[0]?.expiresAt).toBe(Date.parse('2028-03-01T00:30:00.500Z'));
  });

  it('a numeric-looking tag value keeps its text: costcenter: 0042 selects the subnet tagged "0042"', () => {
    // policy.schema.json allows numbers as tag values; YAML reads 0042 as the integer 42 and the
    // parser made it "42", so the deny control silently selected nothing (not-applicable, exit 0).
    const read = parsePolicy(control('    scope: { tags: { costcenter: 0042, 2024: 1.50 } }\n    forbidExits: [default-outbound]\n    exceptions:\n      - { source: snet-a, reason: r, ticket: 00123, expires: 2027-01-01 }\n'), 'p.yaml');
    expect(read.controls[0]?.scope.tags.map((t) => [t.key, t.value.text])).toEqual([['costcenter', '0042'], ['2024', '1.50']]);
    expect(read.controls[0]?.exceptions[0]?.ticket).toBe('00123');
    const b = new ModelBuilder();
    b.subnet(b.vnet('spoke', ['10.1.0.0/16']), 'app', '10.1.1.0/24');
    const model = b.build();
    const tagged = { ...model, subnets: model.subnets.map((s) => ({ ...s, tags: { costcenter: '0042' } })) };
    const c = checkPolicy({ model: tagged, effectiveRoutes: [], metrics: [], gaps: [] }, parsePolicy(control('    scope: { tags: { costcenter: 0042 } }\n    forbidExits: [default-outbound]\n'), 'p.yaml'), { now: NOW }).controls[0];
    expect(c?.inScope.map((id) => id.split('/').pop())).toEqual(['app']);
    expect(c?.status).toBe('fail');
  });

  it('YAML syntax errors, aliases, wrong versions and empty files are reported, not thrown raw', () => {
    expect(issues('version: 1\ncontrols: [\n')[0]).toMatchObject({ field: '(file)' });
    expect(issues('')[0]?.message).toMatch(/empty/);
    expect(issues('version: 2\ncontrols:\n  - { id: a, effect: deny, forbidExits: [public-ip] }\n')[0]).toMatchObject({ line: 1, field: 'version' });
    expect(issues('version: 1\nx: &s [a]\ncontrols:\n  - { id: a, effect: deny, requireVia: *s }\n').map((i) => i.field)).toContain('controls[0].requireVia');
    expect(issues('version: 1\nversion: 1\ncontrols: []\n')[0]?.message).toMatch(/unique/i);
  });

  it('parsePolicy throws a PolicyError (an InputError: exit 2) listing every issue', () => {
    try {
      parsePolicy(control('    forbidExits: [nope]\n    requireVia: ["["]\n'), 'bad.yaml');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PolicyError);
      expect((error as PolicyError).issues).toHaveLength(2);
      expect((error as Error).message.split('\n')).toEqual([
        expect.stringMatching(/^bad\.yaml:5: controls\[0\]\.forbidExits\[0\]: "nope" is not an exit/),
        expect.stringMatching(/^bad\.yaml:6: controls\[0\]\.requireVia\[0\]: "\[" is not a supported glob/),
      ]);
    }
  });
});

describe('nesting depth', () => {
  /** The issues of a policy text, or none when it parses. */
  function issuesOf(text: string): readonly PolicyIssue[] {
    const parsed = readPolicy(text, 'deep.yaml');
    return parsed.kind === 'error' ? parsed.issues : [];
  }
  const N = 20_000;

  it('a policy nested 20,000 levels (JSON, flow, block or compact YAML) is one issue naming the line, not a stack overflow', () => {
    const cases: readonly (readonly [string, string, number])[] = [
      ['flow sequence', `version: 1\ncontrols: ${'['.repeat(N)}${']'.repeat(N)}\n`, 2],
      ['flow mapping', `version: 1\ncontrols: ${'{a: '.repeat(N)}1${'}'.repeat(N)}\n`, 2],
      ['JSON', `{"version":1,"controls":${'['.repeat(N)}${']'.repeat(N)}}`, 1],
      // A node's anchor or tag comes before its content; the brackets after it still nest.
      ['flow sequence after an anchor', `version: 1\ncontrols: &a ${'['.repeat(N)}${']'.repeat(N)}\n`, 2],
      ['flow sequence right after an anchor', `version: 1\ncontrols: &a${'['.repeat(N)}${']'.repeat(N)}\n`, 2],
      ['flow sequence after a tag', `version: 1\ncontrols: !!seq [${'['.repeat(N)}${']'.repeat(N)}]\n`, 2],
      ['compact block sequences', `version: 1\ncontrols:\n  ${'- '.repeat(N)}x\n`, 3],
      // Each key one space deeper: the parser overflows at about 900 of these.
      ['indented mappings', `version: 1\ncontrols:\n${Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i + 2)}k${i}:`).join('\n')} x\n`, 102],
    ];
    for (const [name, text, line] of cases) {
      expect(issuesOf(text), name).toEqual([{ file: 'deep.yaml', line, field: '(file)', message: 'nested deeper than 100 levels; a policy nests about 6 (controls, a control, its scope, a list)' }]);
    }
    // The app's parsePolicy throws the same, as a PolicyError.
    expect(() => parsePolicy(cases[0]?.[1] ?? '', 'deep.yaml')).toThrow(PolicyError);
    expect(() => parsePolicy(cases[0]?.[1] ?? '', 'deep.yaml')).toThrow(/^deep\.yaml:2: \(file\): nested deeper than 100 levels/);
  });

  it('brackets, quotes and comments that open no collection are not counted', () => {
    const text = [
      'version: 1',
      'controls:',
      '  - id: c1',
      `    title: 'a ${'['.repeat(150)} title' # ${'{'.repeat(150)}`,
      `    description: see [1 ${'['.repeat(150)}`,
      '    effect: deny',
      '    scope: { subnets: ["*"] }',
      '    forbidExits: [default-outbound]',
      '',
    ].join('\n');
    expect(issuesOf(text)).toEqual([]);
  });

  it('100 levels are read (the parser judges the content), 101 are refused', () => {
    const at = (depth: number): readonly PolicyIssue[] => issuesOf(`version: 1\ncontrols: ${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}\n`);
    expect(at(100).map((i) => i.message).join('\n')).not.toContain('nested deeper');
    expect(at(101).map((i) => i.message)).toEqual(['nested deeper than 100 levels; a policy nests about 6 (controls, a control, its scope, a list)']);
  });
});

/**
 * The Controls section against `checkPolicy` (check --format json): a source no requirement could
 * judge is never a pass (README "check": notJudged, JUnit skips it), and an exception's expiry is a
 * UTC instant. From an audit of the PDF (test/audit/pdf.test.ts, now these scenarios).
 */
import { describe, expect, it } from 'vitest';
import { demoSnapshot, pickDemo } from '../../../electron/cli/estate';
import { writeEvidencePdf } from '../../../electron/evidence';
import { controlTocTitle, expiryText } from '../../../electron/evidence/write-controls';
import { buildSnapshot } from '../../../electron/snapshot/snapshot';
import { resolveEgress } from '../../../shared/egress/index';
import type { Snapshot } from '../../../shared/model/snapshot';
import { checkPolicy, parsePolicy } from '../../../shared/policy/index';
import { EXPORTED_AT } from './fixture';
import { pdfText, savePdf } from './poppler';

async function layoutWith(name: string, snapshot: Snapshot, policy: string): Promise<string> {
  const check = checkPolicy(snapshot, parsePolicy(policy, 'policy.yaml'), { now: EXPORTED_AT });
  const bytes = await writeEvidencePdf({ snapshot, result: resolveEgress(snapshot, {}), selection: null, exportedBy: 'Ana Auditor', exportedAt: EXPORTED_AT, check });
  return pdfText(savePdf(`controls-judgement-${name}`, bytes), true);
}

const bank = demoSnapshot(pickDemo('bank'), EXPORTED_AT);

describe('a control that could not judge every source in scope (SNAT metric on the hub NAT gateway only)', async () => {
  const hubNat = bank.model.natGateways.find((n) => n.subnetIds.some((s) => s.toLowerCase().endsWith('/azurefirewallsubnet')));
  if (!hubNat) throw new Error('no hub NAT gateway in the bank demo');
  // A new snapshot of the same content plus one metric (buildSnapshot computes its hashes afresh).
  const { sha256: _sha, contentSha256: _content, ...content } = bank;
  const metered = buildSnapshot({
    ...content,
    metrics: [{ resourceId: hubNat.id, metricName: 'SNATPortUtilization', filter: null, aggregation: 'Maximum', windowStart: '2026-11-25T06:00:00Z', windowEnd: '2026-11-26T06:00:00Z', value: 50, unit: 'Percent' }],
  });
  const policy = 'version: 1\ncontrols:\n  - id: snat-headroom\n    title: SNAT headroom\n    effect: deny\n    maxSnatUtilisation: 80\n';
  const control = checkPolicy(metered, parsePolicy(policy, 'policy.yaml'), { now: EXPORTED_AT }).controls[0];
  const layout = await layoutWith('not-judged', metered, policy);
  const section = layout.slice(layout.lastIndexOf('snat-headroom: SNAT headroom')).replace(/\s+/g, ' ');

  it('premise: the control passes, and snet-payments-reporting (no metered device on its path) was not judged', () => {
    expect(control?.status).toBe('pass');
    expect(control?.notJudged?.length).toBe(1);
    expect(control?.notJudged?.[0]?.toLowerCase()).toMatch(/\/subnets\/snet-payments-reporting$/);
  });

  it('does not claim that every source meets every requirement; it counts and names the sources not judged', () => {
    expect(section).not.toContain('every source in scope meets every requirement');
    const judged = (control?.inScope.length ?? 0) - (control?.notJudged?.length ?? 0);
    expect(section).toContain(`No violation among the ${judged} sources judged; 1 source in scope could not be judged (listed below): nothing shows that they meet the requirements.`);
    expect(section).toContain('Not judged (1): no requirement could judge these sources, so they neither pass nor fail snet-payments-reporting');
    expect(section).toContain('; 1 source not judged');
  });

  it('says so in the overview table too', () => {
    expect(layout.replace(/\s+/g, ' ')).toMatch(/Pass, 1 not deny snat-headroom: SNAT headroom 3 5 0 0 judged/);
  });

  // The contents line, the bookmark and the control's Status row said a bare "Pass" (only the
  // overview table named the sources not judged), although they are what a reviewer scans first.
  it('says so in the contents line and bookmark (controlTocTitle), not a bare "Pass"', () => {
    expect(control ? controlTocTitle(control) : '').toBe('snat-headroom: Pass, 1 not judged');
    expect(layout.replace(/\s+/g, ' ')).toMatch(/snat-headroom: Pass, 1 not judged \d+ /);
  });

  it('says so in the control\'s Status row', () => {
    expect(section).toMatch(/^snat-headroom: SNAT headroom Status Pass, 1 not judged Effect /);
  });
});

describe('an exception\'s expiry names its time zone', async () => {
  const policy = [
    'version: 1',
    'controls:',
    '  - id: no-default-outbound',
    '    title: No workload subnet relies on default outbound access',
    '    effect: deny',
    '    forbidExits: [default-outbound]',
    '    exceptions:',
    '      - { source: snet-payments-reporting, reason: "migration", ticket: CHG-1, expires: 2026-06-30 }',
    '  - id: inspected',
    '    title: Inspected',
    '    effect: audit',
    '    forbidExits: [default-outbound]',
    '    exceptions:',
    '      - { source: snet-payments-reporting, reason: "exempt", ticket: CHG-2, expires: 2027-12-31 }',
    '',
  ].join('\n');
  const check = checkPolicy(bank, parsePolicy(policy, 'policy.yaml'), { now: EXPORTED_AT });
  const layout = (await layoutWith('expiry', bank, policy)).replace(/\s+/g, ' ');

  it('a bare day reads as the end of that day in UTC (README: until the end of its expires day, UTC); a date-time keeps its own zone', () => {
    expect(expiryText('2026-06-30')).toBe('2026-06-30 (end of day UTC)');
    expect(expiryText('2027-03-31T18:00:00Z')).toBe('2027-03-31T18:00:00Z');
    expect(expiryText('2027-03-31T18:00:00+01:00')).toBe('2027-03-31T18:00:00+01:00');
  });

  it('the expired and the applied exception both carry it', () => {
    expect(check.controls[0]?.exceptionsExpired).toHaveLength(1);
    expect(check.controls[1]?.exceptionsApplied).toHaveLength(1);
    expect(layout).toMatch(/CHG-1 2026-06-30 \(end of day UTC\)/);
    expect(layout).toMatch(/CHG-2 2027-12-31 \(end of day UTC\)/);
    expect(layout).not.toMatch(/\d{4}-\d{2}-\d{2} \(line \d+\)/);
  });
});

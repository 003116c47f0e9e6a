import { describe, expect, it } from 'vitest';
import { compareResults, describeChange } from '../../../shared/egress/compare';
import type { SourceChange } from '../../../shared/egress/compare';
import type { Finding } from '../../../shared/egress/types';
import { ids, path, result } from '../graph/hub-spoke-fixture';

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
    expect(comparison.changes.map((c) => [c.source.name, c.kind])).toEqual([
      ['vm1-nic', 'removed'],
      ['mgmt', 'unchanged'],
      ['app', 'changed'],
      ['data', 'unchanged'],
      ['locked', 'changed'],
      ['web', 'added'],
    ]);
    expect(comparison.summary).toEqual({ unchanged: 2, changed: 2, added: 1, removed: 1, total: 6 });
    expect(comparison.destination).toBeNull();
  });

  it('records what changed, was → now', () => {
    expect(change(comparison.changes, ids.app).differences).toEqual({
      verdict: { was: 'internet', now: 'denied' },
      exit: { was: 'nat-gateway', now: null },
      via: null,
      egressIps: { was: ['20.0.0.2'], now: [] },
      findings: { was: [], now: ['firewall-default-deny'] },
    });
    expect(change(comparison.changes, ids.locked).differences).toEqual({
      verdict: null,
      exit: { was: 'default-outbound', now: 'nat-gateway' },
      via: null,
      egressIps: { was: [], now: ['20.0.0.2'] },
      findings: { was: ['default-outbound'], now: [] },
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
    expect(compareResults(result([before.paths[0]!]), upper).summary).toEqual({ unchanged: 1, changed: 0, added: 0, removed: 0, total: 1 });
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

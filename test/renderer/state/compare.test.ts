/**
 * The app's comparison view (`sourceChanges` and the compare banner) on real engine output from
 * two captures of the same estate, built as the app opens them (snapshots, their gaps and scope):
 * a NIC that now follows its subnet, sources one capture could not read, and a finding re-graded.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { buildSnapshot } from '../../../electron/snapshot';
import { resolveEgress } from '../../../shared/egress';
import { captureExtentOf, type ComparableResult } from '../../../shared/egress/compare';
import type { Gap } from '../../../shared/model/gaps';
import { SNAPSHOT_FORMAT, type Snapshot } from '../../../shared/model/snapshot';
import type { NetworkModel } from '../../../shared/model/topology';
import { CompareBanner, MAX_ROWS } from '../../../renderer/components/CompareBanner';
import { buildSourceList, changedSourceIds } from '../../../renderer/state/selectors';
import { compareHeadline, sourceChanges } from '../../../renderer/state/compare';
import { INITIAL_STATE, perform, type SourceChange } from '../../../renderer/state/app-state';
import { ModelBuilder, networkId, TEST_SUBSCRIPTION } from '../../support/model-builder';

const SUB = TEST_SUBSCRIPTION;

function snapshotOf(model: NetworkModel, capturedAt: string, gaps: readonly Gap[] = []): Snapshot {
  return buildSnapshot({
    format: SNAPSHOT_FORMAT,
    metadata: {
      capturedAt, source: 'live-pull', origin: ['auditor@contoso.com'], capturedBy: 'auditor@contoso.com',
      scope: { tenantId: 'tenant-1', subscriptionIds: [SUB], managementGroupId: null, cloud: 'AzurePublicCloud' },
      toolVersion: '0.1.0',
    },
    model, effectiveRoutes: [], metrics: [], gaps: [...gaps],
  });
}

/** What Workspace hands `sourceChanges`: the snapshot's resolve with its scope and NICs. */
function opened(snapshot: Snapshot): ComparableResult {
  return { ...resolveEgress(snapshot), capture: captureExtentOf(snapshot) };
}

function row(changes: readonly SourceChange[], name: string): SourceChange {
  const found = changes.find((c) => c.name === name);
  if (!found) throw new Error(`no row for ${name}: ${changes.map((c) => c.name).join(', ')}`);
  return found;
}

/** Text of rendered markup, tags dropped. */
function text(markup: string): string {
  return markup.replace(/<[^>]+>/g, ' ').replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ');
}

/** Subnet app (default outbound), vm2-nic without a public IP, vm1-nic with 20.0.0.9 or without; `vm1` false drops vm1-nic. */
function estate(vm1: 'with-pip' | 'without-pip' | false): NetworkModel {
  const b = new ModelBuilder();
  const app = b.subnet(b.vnet('spoke', ['10.1.0.0/16']), 'app', '10.1.1.0/24');
  const pip = b.publicIp('vm-pip', '20.0.0.9');
  b.nic(app, 'vm2-nic', '10.1.1.5');
  if (vm1 !== false) b.nic(app, 'vm1-nic', '10.1.1.4', vm1 === 'with-pip' ? { publicIpId: pip } : {});
  return b.build();
}

describe('the compare view', () => {
  it('a NIC that lost its public IP reads as following its subnet, not "(absent)"', () => {
    const changes = sourceChanges(opened(snapshotOf(estate('with-pip'), '2026-01-01T00:00:00.000Z')), opened(snapshotOf(estate('without-pip'), '2026-11-01T00:00:00.000Z')));
    expect(row(changes, 'vm1-nic')).toEqual({
      sourceId: networkId('networkInterfaces', 'vm1-nic'), name: 'vm1-nic', kind: 'changed',
      was: 'Internet via public IP (20.0.0.9)', now: 'Follows subnet app: Default outbound',
      difference: 'exit public-ip \u2192 default-outbound; egress IPs 20.0.0.9 \u2192 none; findings +default-outbound',
    });
    expect(changes).toHaveLength(1);
  });

  it('a NIC gone from the compared snapshot is "(absent)", not following its subnet', () => {
    const changes = sourceChanges(opened(snapshotOf(estate('with-pip'), '2026-01-01T00:00:00.000Z')), opened(snapshotOf(estate(false), '2026-11-01T00:00:00.000Z')));
    expect(row(changes, 'vm1-nic')).toMatchObject({ kind: 'absent', was: 'Internet via public IP (20.0.0.9)', now: null });
  });

  it('sources the compared capture could not read are "not captured", listed last, explained and never marked', () => {
    const b = new ModelBuilder();
    const vnet = b.vnet('spoke', ['10.1.0.0/16']);
    const app = b.subnet(vnet, 'app', '10.1.1.0/24', { natGatewayId: b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.0.0.1')] }) });
    const web = b.subnet(vnet, 'web', '10.1.2.0/24');
    const before = b.build();
    // Later: web got a NAT gateway too; app was malformed in the export and left out (a gap), so it is
    // not in the later capture: that says nothing about whether app still exists or how it egresses.
    const later = new ModelBuilder();
    const laterVnet = later.vnet('spoke', ['10.1.0.0/16']);
    later.subnet(laterVnet, 'web', '10.1.2.0/24', { natGatewayId: later.natGateway('nat', { publicIpIds: [later.publicIp('nat-pip', '20.0.0.1')] }) });
    const gap: Gap = { code: 'skipped-input', scope: app, message: 'Subnet app was malformed and left out.' };
    const changes = sourceChanges(opened(snapshotOf(before, '2026-01-01T00:00:00.000Z')), opened(snapshotOf(later.build(), '2026-11-01T00:00:00.000Z', [gap])));
    expect(changes.map((c) => [c.name, c.kind])).toEqual([['web', 'changed'], ['app', 'not-captured']]);
    expect(row(changes, 'app')).toEqual({
      sourceId: app, name: 'app', kind: 'not-captured', was: 'Internet via NAT (20.0.0.1)', now: `Not captured: skipped-input on ${app}`,
    });
    expect([...changedSourceIds({ compare: { title: 'later', changes } })]).toEqual([web]);

    const shown = { title: 'q1', capturedAt: '2026-01-01T00:00:00.000Z' };
    const banner = text(renderToStaticMarkup(createElement(CompareBanner, {
      compare: { title: 'q4', changes, capturedAt: '2026-11-01T00:00:00.000Z' }, shown, dispatch: () => undefined,
    })));
    expect(banner).toContain('Showing: q1 (older) — 1 source changed against q4 · 1 not captured in one snapshot');
    expect(banner).toContain('1 source is in one snapshot only because the other could not have seen it (a gap such as access denied or a skipped file, or a subscription outside its scope): missing data, not a change in the network, and not marked on the graph.');
    expect(banner).toContain(`app Internet via NAT (20.0.0.1) Not captured: skipped-input on ${app} Not captured in one snapshot: not a change in the network`);
  });

  it('a default-outbound finding going from info (no VM uses it) to warning shows what changed, though the badge reads the same', () => {
    const model = (secondVm: boolean) => {
      const b = new ModelBuilder();
      const app = b.subnet(b.vnet('spoke', ['10.1.0.0/16']), 'app', '10.1.1.0/24');
      b.nic(app, 'vm1-nic', '10.1.1.4', { publicIpId: b.publicIp('vm-pip', '20.0.0.9') });
      if (secondVm) b.nic(app, 'vm2-nic', '10.1.1.5');
      return b.build();
    };
    const changes = sourceChanges(opened(snapshotOf(model(false), '2026-01-01T00:00:00.000Z')), opened(snapshotOf(model(true), '2026-11-01T00:00:00.000Z')));
    expect(changes.map((c) => [c.name, c.kind, c.was, c.now, c.kind === 'changed' ? c.difference : null])).toEqual([
      ['app', 'changed', 'Default outbound', 'Default outbound', 'findings default-outbound info \u2192 warning'],
    ]);
  });

  it('a NIC that changed while following its subnet in the shown snapshot is marked on that subnet, and its row selects it', () => {
    // Shown: vm1-nic has no public IP, so no entry of its own (it follows subnet app). Compared: it
    // has one. The shown list and graph have only app for it: the mark and the selection go there.
    const shownSnapshot = snapshotOf(estate('without-pip'), '2026-01-01T00:00:00.000Z');
    const changes = sourceChanges(opened(shownSnapshot), opened(snapshotOf(estate('with-pip'), '2026-11-01T00:00:00.000Z')));
    const appId = networkId('virtualNetworks', 'spoke/subnets/app');
    expect(changes.map((c) => [c.name, c.kind, c.shownSourceId])).toEqual([['vm1-nic', 'changed', appId]]);
    const state = perform(INITIAL_STATE, {
      kind: 'estate-opened', result: resolveEgress(shownSnapshot),
      estate: { summary: { estateId: 'e1', title: 'q1', subnetCount: 1, networkInterfaceCount: 2, virtualNetworkCount: 1 }, snapshot: shownSnapshot },
    });
    const list = buildSourceList({ ...state, compare: { title: 'q4', changes, capturedAt: null } });
    const entries = list.groups.flatMap((g) => g.vnets.flatMap((v) => v.entries.flatMap((e) => [e, ...e.nics])));
    expect(entries.filter((e) => e.changed).map((e) => e.name)).toEqual(['app']);
  });

  it('Unknown rows are listed after the changes as "could not compare", counted apart and never marked', () => {
    const changes: readonly SourceChange[] = [
      { sourceId: 'a', name: 'a', kind: 'changed', was: 'Internet', now: 'Dropped', difference: 'verdict internet → dropped' },
      { sourceId: 'b', name: 'b', kind: 'not-compared', was: 'Internet', now: 'Unknown', difference: 'Could not compare: Unknown in the compared snapshot' },
    ];
    expect([...changedSourceIds({ compare: { title: 'q4', changes } })]).toEqual(['a']);
    const banner = text(renderToStaticMarkup(createElement(CompareBanner, {
      compare: { title: 'q4', changes }, shown: { title: 'q1', capturedAt: null }, dispatch: () => undefined,
    })));
    expect(banner).toContain('Showing: q1 (capture times unknown) — 1 source changed against q4 · 1 could not be compared (Unknown)');
    expect(banner).toContain('1 source could not be compared: Unknown in one snapshot or both');
  });

  it('the table renders at most MAX_ROWS rows and counts the rest', () => {
    // Two large estates can differ in 100,000 sources: rendering every row would stall the page.
    const changes: readonly SourceChange[] = Array.from({ length: MAX_ROWS + 7 }, (_, i) => ({ sourceId: `s${i}`, name: `s${i}`, kind: 'absent', was: 'Internet', now: null }));
    const markup = renderToStaticMarkup(createElement(CompareBanner, { compare: { title: 'q4', changes }, shown: { title: 'q1', capturedAt: null }, dispatch: () => undefined }));
    expect(markup.match(/data-testid="compare-row"/g)).toHaveLength(MAX_ROWS);
    expect(text(markup)).toContain('7 more rows not shown: 7 changed, marked ● in the list');
    expect(text(markup)).toContain(`${MAX_ROWS + 7} sources changed against q4`);
  });

  // A source only in the compared snapshot is in neither the shown list nor the graph: nothing can
  // mark it, so its row comes before the cap (and, past it, is counted apart).
  it('rows of sources only in the compared snapshot come first, so the cap never hides them unmarked', () => {
    const changes: SourceChange[] = Array.from({ length: MAX_ROWS }, (_, i) => ({ sourceId: `s${String(i).padStart(4, '0')}`, name: `s${i}`, kind: 'changed' as const, was: 'Internet', now: 'Denied', difference: 'verdict internet → denied' }));
    changes.push({ sourceId: 'z-new', name: 'new-subnet-only-in-compared', kind: 'absent', was: null, now: 'Internet' });
    const markup = renderToStaticMarkup(createElement(CompareBanner, { compare: { title: 'q4', changes }, shown: { title: 'q1', capturedAt: null }, dispatch: () => undefined }));
    expect(text(markup)).toContain('new-subnet-only-in-compared');
    expect(text(markup)).toContain('1 more row not shown: 1 changed, marked ● in the list');
    const many: SourceChange[] = Array.from({ length: MAX_ROWS + 3 }, (_, i) => ({ sourceId: `n${i}`, name: `n${i}`, kind: 'absent' as const, was: null, now: 'Internet' }));
    const capped = renderToStaticMarkup(createElement(CompareBanner, { compare: { title: 'q4', changes: [...many, { sourceId: 'u', name: 'u', kind: 'not-captured', was: 'Internet', now: null }] }, shown: { title: 'q1', capturedAt: null }, dispatch: () => undefined }));
    expect(text(capped)).toContain('4 more rows not shown: 0 changed, marked ● in the list; 3 only in the compared snapshot, in neither the list nor the graph; 1 not compared or not captured (counted above)');
  });

  it('the headline leaves out "not captured" when there is none', () => {
    const a = { title: 'a', capturedAt: null };
    expect(compareHeadline(a, { title: 'b', capturedAt: null }, 2, 0)).toBe('Showing: a (capture times unknown) — 2 sources changed against b');
    expect(compareHeadline(a, { title: 'b', capturedAt: null }, 0, 3)).toBe('Showing: a (capture times unknown) — 0 sources changed against b · 3 not captured in one snapshot');
  });
});

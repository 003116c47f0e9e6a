import { describe, expect, it } from 'vitest';
import { INITIAL_STATE, moveSelection, perform, type AppState } from '../../../renderer/state/app-state';
import {
  buildSourceList, changedSourceIds, resourceDetails, selectedPath, sourceIdForSubnetName, validateDestination,
} from '../../../renderer/state/selectors';
import { APP, BUILD_NIC, DB, LEGACY, SUB_A, SUB_B, estate, result, vnetId } from '../fixtures';

function opened(): AppState {
  return perform(INITIAL_STATE, { kind: 'estate-opened', estate: estate(), result: result() });
}

describe('source list', () => {
  it('groups subnets by subscription and VNet, nesting NIC exceptions under their subnet', () => {
    const list = buildSourceList(opened());
    expect(list.groups.map((g) => g.subscriptionId)).toEqual([SUB_A, SUB_B]);
    const spoke = list.groups[0]?.vnets[0];
    expect(spoke?.name).toBe('vnet-spoke');
    expect(spoke?.entries.map((e) => e.name)).toEqual(['snet-app', 'snet-db']);
    expect(spoke?.entries[0]?.nics.map((n) => n.name)).toEqual(['nic-build-01']);
    expect(spoke?.entries[0]?.addresses).toEqual(['10.1.1.0/24']);
    expect(spoke?.entries[0]?.nics[0]?.badge.text).toBe('Internet via public IP');
    expect(list.visibleSourceIds).toEqual([APP, BUILD_NIC, DB, LEGACY]);
    expect(list.shownCount).toBe(4);
    expect(list.totalCount).toBe(4);
  });

  it('counts badges and severities over the whole result', () => {
    const list = buildSourceList(opened());
    expect(Object.fromEntries(list.badgeCounts)).toEqual({ 'via-firewall': 1, 'dropped': 1, 'default-outbound': 1, 'public-ip': 1 });
    expect(Object.fromEntries(list.severityCounts)).toEqual({ error: 1, warning: 1 });
  });

  it('searches names, prefixes, badge text and egress IPs, case-insensitively', () => {
    const byName = buildSourceList(perform(opened(), { kind: 'search', text: 'LEGACY' }));
    expect(byName.visibleSourceIds).toEqual([LEGACY]);
    const byPrefix = buildSourceList(perform(opened(), { kind: 'search', text: '10.1.2.' }));
    expect(byPrefix.visibleSourceIds).toEqual([DB]);
    // A NIC match keeps its subnet visible as the parent row.
    const byIp = buildSourceList(perform(opened(), { kind: 'search', text: '20.9.9.9' }));
    expect(byIp.visibleSourceIds).toEqual([APP, BUILD_NIC]);
    expect(byIp.shownCount).toBe(2);
    const none = buildSourceList(perform(opened(), { kind: 'search', text: 'no-such-thing' }));
    expect(none.shownCount).toBe(0);
    expect(none.groups).toEqual([]);
  });

  it('filters by badge and by finding severity, and clears both', () => {
    let state = perform(opened(), { kind: 'toggle-badge', badge: 'default-outbound' });
    expect(buildSourceList(state).visibleSourceIds).toEqual([LEGACY]);
    state = perform(state, { kind: 'toggle-badge', badge: 'dropped' });
    expect(buildSourceList(state).visibleSourceIds).toEqual([DB, LEGACY]);
    state = perform(state, { kind: 'toggle-severity', severity: 'error' });
    expect(buildSourceList(state).visibleSourceIds).toEqual([DB]);
    state = perform(state, { kind: 'toggle-badge', badge: 'dropped' });
    expect(buildSourceList(state).visibleSourceIds).toEqual([]);
    state = perform(state, { kind: 'clear-filters' });
    expect(buildSourceList(state).shownCount).toBe(4);
    expect(state.badgeFilter).toEqual([]);
  });
});

describe('keyboard navigation', () => {
  it('moves down and up through the visible sources, wrapping, and Esc clears', () => {
    const visible = buildSourceList(opened()).visibleSourceIds;
    let state = perform(opened(), { kind: 'move-selection', delta: 1, visibleSourceIds: visible });
    expect(state.selectedSourceId).toBe(APP);
    state = perform(state, { kind: 'move-selection', delta: 1, visibleSourceIds: visible });
    expect(state.selectedSourceId).toBe(BUILD_NIC);
    state = perform(state, { kind: 'move-selection', delta: -1, visibleSourceIds: visible });
    state = perform(state, { kind: 'move-selection', delta: -1, visibleSourceIds: visible });
    expect(state.selectedSourceId).toBe(LEGACY);
    expect(selectedPath(state)?.source.name).toBe('snet-legacy');
    const focused = perform(state, { kind: 'focus-path' });
    expect(focused.focusRequest).toBe(state.focusRequest + 1);
    state = perform(focused, { kind: 'clear' });
    expect(state.selectedSourceId).toBeNull();
    expect(perform(state, { kind: 'focus-path' })).toBe(state);
  });

  it('starts from the ends when nothing is selected or the selection is filtered out', () => {
    expect(moveSelection(null, ['a', 'b'], -1)).toBe('b');
    expect(moveSelection('gone', ['a', 'b'], 1)).toBe('a');
    expect(moveSelection('a', [], 1)).toBeNull();
  });
});

describe('comparison and tour', () => {
  it('marks changed sources in the list and exposes them for the graph', () => {
    const state = perform(opened(), {
      kind: 'compared',
      compare: {
        title: 'after.json',
        changes: [
          { sourceId: DB, name: 'snet-db', kind: 'changed', was: 'Dropped', now: 'Internet via NAT', difference: 'verdict dropped \u2192 internet (nat-gateway)' },
          // Missing data, not a change in the network: listed in the banner, never marked.
          { sourceId: APP, name: 'snet-app', kind: 'not-captured', was: 'Internet via NAT', now: 'Not captured: access-denied on /subscriptions/s1' },
        ],
      },
    });
    expect([...changedSourceIds(state)]).toEqual([DB]);
    const entries = buildSourceList(state).groups.flatMap((g) => g.vnets.flatMap((v) => v.entries));
    expect(entries.filter((e) => e.changed).map((e) => e.name)).toEqual(['snet-db']);
    expect(changedSourceIds(perform(state, { kind: 'close-compare' })).size).toBe(0);
  });

  it('a what-if for another destination closes the comparison made for the previous one, and says so', () => {
    // The comparison was resolved for the destination in force when it was made: kept, it would
    // mark sources on a graph of another destination with changes never computed for it.
    const compared = perform(opened(), {
      kind: 'compared', compare: { title: 'q4', changes: [{ sourceId: APP, name: 'snet-app', kind: 'absent', was: 'Internet', now: null }], capturedAt: null },
    });
    const whatIf = perform(compared, { kind: 'resolved', destination: '8.8.8.8', result: result() });
    expect(whatIf.compare).toBeNull();
    expect(whatIf.compareClosed).toEqual({ title: 'q4', destination: null });
    const picked = perform(compared, { kind: 'matrix-pick', destination: '1.1.1.1', result: result(), sourceId: APP });
    expect(picked.compare).toBeNull();
    // The same destination resolved again gives the same result: the comparison still holds.
    expect(perform(compared, { kind: 'resolved', destination: null, result: result() }).compare).toBe(compared.compare);
    // Comparing again, or dismissing the note, clears it.
    expect(perform(whatIf, { kind: 'close-compare' }).compareClosed).toBeNull();
    expect(perform(whatIf, { kind: 'compared', compare: { title: 'q4', changes: [] } }).compareClosed).toBeNull();
  });

  it('a tour step selects the lesson subnet', () => {
    const id = sourceIdForSubnetName(result(), 'SNET-DB');
    expect(id).toBe(DB);
    const state = perform(perform(opened(), { kind: 'start-tour' }), { kind: 'tour-step', step: 2, sourceId: id });
    expect(state.tour).toEqual({ step: 2 });
    expect(state.selectedSourceId).toBe(DB);
    expect(perform(state, { kind: 'end-tour' }).tour).toBeNull();
  });

  it('opening another estate resets selection, filters and comparison', () => {
    let state = perform(opened(), { kind: 'select-source', sourceId: APP });
    state = perform(state, { kind: 'search', text: 'x' });
    state = perform(state, { kind: 'estate-opened', estate: estate(), result: result() });
    expect(state.selectedSourceId).toBeNull();
    expect(state.search).toBe('');
  });
});

describe('resource details and what-if input', () => {
  it('looks a resource up in the model with region, addresses and tags', () => {
    const details = resourceDetails(estate().snapshot.model, vnetId(SUB_A, 'vnet-spoke').toUpperCase());
    expect(details?.type).toBe('Virtual network');
    expect(details?.rows).toContainEqual({ label: 'Region', value: 'westeurope' });
    expect(details?.rows).toContainEqual({ label: 'Address space', value: '10.1.0.0/16' });
    expect(details?.tags).toEqual([{ label: 'costCenter', value: 'CC-1234' }, { label: 'owner', value: 'netops@contoso.example' }]);
    expect(details?.tagsFrom).toBeNull();
    expect(resourceDetails(estate().snapshot.model, 'internet')).toBeNull();
  });

  it('shows an untagged subnet its virtual network\'s owner tags, saying where they come from', () => {
    const details = resourceDetails(estate().snapshot.model, APP);
    expect(details?.type).toBe('Subnet');
    expect(details?.tags).toEqual([{ label: 'costCenter', value: 'CC-1234' }, { label: 'owner', value: 'netops@contoso.example' }]);
    expect(details?.tagsFrom).toBe('vnet-spoke');
  });

  it('accepts every destination kind (IP, CIDR, FQDN, URL, service tag) or empty, and explains anything else', () => {
    expect(validateDestination(' 8.8.8.8 ')).toEqual({ ok: true, destination: '8.8.8.8' });
    expect(validateDestination('')).toEqual({ ok: true, destination: null });
    expect(validateDestination('2001:db8::1')).toEqual({ ok: true, destination: '2001:db8::1' });
    expect(validateDestination('10.0.0.0/8')).toEqual({ ok: true, destination: '10.0.0.0/8' });
    expect(validateDestination('api.stripe.com:443/tcp')).toEqual({ ok: true, destination: 'api.stripe.com:443/tcp' });
    expect(validateDestination('https://api.stripe.com/v1/charges').ok).toBe(true);
    expect(validateDestination('Storage.WestEurope').ok).toBe(true);
    expect(validateDestination('300.1.1.1').ok).toBe(false);
    const bad = validateDestination('not a host');
    expect(bad.ok ? '' : bad.message).toContain('expected an IP address, a CIDR');
  });
});

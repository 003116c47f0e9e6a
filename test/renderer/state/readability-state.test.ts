/**
 * The list and banner rules behind the readable graph: estate-level findings in the filter counts,
 * the what-if note for a private destination, the comparison headline and lesson links.
 */
import { describe, expect, it } from 'vitest';
import type { Finding, ResolveResult } from '../../../shared/egress/types';
import { textWithLinks } from '../../../renderer/components/TourCard';
import { INITIAL_STATE } from '../../../renderer/state/app-state';
import { compareHeadline, shownRole } from '../../../renderer/state/compare';
import { buildSourceList, whatIfPrivateNote } from '../../../renderer/state/selectors';
import { APP, DB, estate, LEGACY, result } from '../fixtures';

const bypass: Finding = {
  code: 'firewall-bypass', severity: 'warning', message: 'snet-app reaches the internet directly.',
  resourceIds: [APP.toUpperCase(), '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/azureFirewalls/afw'],
};

describe('estate-level findings in the list', () => {
  it('count in the severity chips and the rows, and keep their sources under a severity filter', () => {
    const withEstate: ResolveResult = { ...result(), findings: [bypass] };
    const base = { ...INITIAL_STATE, estate: estate(), result: withEstate };
    const list = buildSourceList(base);
    // snet-legacy's own warning + snet-app's estate warning.
    expect(list.severityCounts.get('warning')).toBe(2);
    const app = list.groups.flatMap((g) => g.vnets).flatMap((v) => v.entries).find((e) => e.sourceId === APP);
    expect(app?.findingCount).toBe(1);
    expect(app?.worstSeverity).toBe('warning');
    const filtered = buildSourceList({ ...base, severityFilter: ['warning'] });
    expect(new Set(filtered.visibleSourceIds)).toEqual(new Set([APP, LEGACY]));
    // Without the estate finding, snet-app has none.
    expect(buildSourceList({ ...base, result: result(), severityFilter: ['warning'] }).visibleSourceIds).toEqual([LEGACY]);
    expect(filtered.visibleSourceIds).not.toContain(DB);
  });
});

describe('what-if to a private address', () => {
  const info = (kind: 'address' | 'cidr' | 'fqdn', label: string) => ({ kind, label, port: 443, protocol: 'Tcp' as const, interpretation: '' });

  it('says the destination is private and what the private verdict means', () => {
    const note = whatIfPrivateNote({ ...result(), destinationInfo: info('address', '10.20.1.4:443/tcp') });
    expect(note).toContain('10.20.1.4 is a private (non-internet) address');
    expect(note).toContain('"Private (never internet)" means');
    expect(whatIfPrivateNote({ ...result(), destinationInfo: info('cidr', '192.168.0.0/16:443/tcp') })).toContain('192.168.0.0/16 is a private');
  });

  // The destinations Azure decides before any route get their own words, not "a private address".
  it('names the host\'s platform addresses and multicast / broadcast for what they are', () => {
    expect(whatIfPrivateNote({ ...result(), destinationInfo: info('address', '169.254.169.254:443/tcp') })).toMatch(/^169\.254\.169\.254 is the Azure Instance Metadata Service .*AzurePlatformIMDS/);
    expect(whatIfPrivateNote({ ...result(), destinationInfo: info('cidr', '168.63.129.16/32:53/udp') })).toMatch(/^168\.63\.129\.16 is the host node's virtual IP .*AzurePlatformDNS/);
    expect(whatIfPrivateNote({ ...result(), destinationInfo: info('address', '224.0.0.5:443/tcp') })).toMatch(/^224\.0\.0\.5 is a multicast address: Azure blocks/);
    expect(whatIfPrivateNote({ ...result(), destinationInfo: info('address', '255.255.255.255:443/tcp') })).toMatch(/is a broadcast address/);
  });

  it('says nothing for a public address, and counts private deliveries of a name', () => {
    expect(whatIfPrivateNote({ ...result(), destinationInfo: info('address', '20.1.2.3:443/tcp') })).toBeNull();
    const r = result();
    const paths = r.paths.map((p, i) => (i === 0 ? { ...p, verdict: 'private' as const } : p));
    expect(whatIfPrivateNote({ paths, destinationInfo: info('fqdn', 'sa.blob.core.windows.net:443/tcp') })).toMatch(/^1 source reach sa\.blob\.core\.windows\.net privately/);
  });
});

describe('comparison headline', () => {
  it('names the snapshot the graph shows and whether it is the newer one', () => {
    const a = { title: 'prod-2026-03', capturedAt: '2026-03-01T00:00:00Z' };
    const b = { title: 'prod-2026-01', capturedAt: '2026-01-01T00:00:00Z' };
    expect(shownRole(a, b)).toBe('newer');
    expect(shownRole(b, a)).toBe('older');
    expect(shownRole(a, { ...b, capturedAt: null })).toBe('capture times unknown');
    expect(compareHeadline(a, b, 12)).toBe('Showing: prod-2026-03 (newer) — 12 sources changed against prod-2026-01');
  });
});

describe('lesson links', () => {
  it('turns http(s) URLs into links, keeps the sentence’s punctuation out, and everything else text', () => {
    const parts = textWithLinks('Treat it as a finding (https://learn.microsoft.com/azure/nat-gateway/nat-overview). See https://example.org/a, then javascript:alert(1).');
    expect(parts).toEqual([
      { kind: 'text', text: 'Treat it as a finding (' },
      { kind: 'link', href: 'https://learn.microsoft.com/azure/nat-gateway/nat-overview' },
      { kind: 'text', text: '). See ' },
      { kind: 'link', href: 'https://example.org/a' },
      { kind: 'text', text: ', then javascript:alert(1).' },
    ]);
    expect(textWithLinks('no links here')).toEqual([{ kind: 'text', text: 'no links here' }]);
  });
});

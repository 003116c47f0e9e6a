/**
 * "Can reach" of a forced-tunnel source that lists entries (a destination let out in Azure by a
 * route or rule of its own): the rest goes on-premises, whose rules the input does not hold. The app
 * said "Only what these rules allow:", the very claim removed for a forced tunnel listing nothing;
 * it now says the sentence the PDF and the CLI use (forcedTunnelListedText). From a review of the
 * outputs (test/audit, now this scenario).
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { demoSnapshot, pickDemo } from '../../electron/cli/estate';
import { DetailsPanel } from '../../renderer/components/DetailsPanel';
import { resolveEgress } from '../../shared/egress/index';
import { computeReach, forcedTunnelListedText, type ReachEntry, type ReachSource } from '../../shared/egress/reach';

const text = (markup: string): string => markup.replace(/<[^>]+>/g, ' ').replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ');

describe('Can reach of a forced tunnel that lists entries (manufacturer snet-plant-floor-line1 with one entry added)', () => {
  const snapshot = demoSnapshot(pickDemo('manufacturer'), new Date(0));
  const result = resolveEgress(snapshot, {});
  const path = result.paths.find((p) => p.source.name === 'snet-plant-floor-line1');
  const base = computeReach(snapshot).sources.find((s) => s.source.name === 'snet-plant-floor-line1');
  const entry = (over: Partial<ReachEntry>): ReachEntry => ({
    kind: 'fqdn', value: 'packages.example.com', ports: ['443'], protocols: ['Https'], verdict: 'internet', exit: 'public-ip',
    via: [], egressIps: ['20.166.41.99'], rule: 'nsg-plant/AllowPackages', ...over,
  });
  const render = (allowed: readonly ReachEntry[]): string => {
    if (!path || !base) throw new Error('no snet-plant-floor-line1');
    const source: ReachSource = { ...base, allowed };
    const markup = renderToStaticMarkup(createElement(DetailsPanel, {
      path, destination: result.destination, details: null, tour: null, estateFindings: result.findings, model: snapshot.model,
      reach: { status: 'loaded', source, nics: [] },
    }));
    return text(markup.slice(markup.indexOf('data-testid="reach-restricted"')));
  };

  it('premise: its default route goes on-premises and reach lists nothing for it', () => {
    expect(base?.defaultRoute).toBe('on-premises');
    expect(base?.allowed).toEqual([]);
  });

  it('says the rest goes on-premises, not "Only what these rules allow"', () => {
    const allowed = [entry({})];
    const shown = render(allowed);
    expect(shown).not.toContain('Only what these rules allow');
    expect(shown).toContain(forcedTunnelListedText(allowed));
    expect(shown).toContain('any other internet-bound traffic goes to the on-premises network');
  });

  it('counts an Unknown entry as one it may reach, never as allowed', () => {
    const shown = render([entry({}), entry({ value: 'resolved-by-firewall.example.com', verdict: 'unknown', exit: null })]);
    expect(shown).toContain('Forced tunnel: 1 public destination allowed by the rules on this path, and 1 public destination it may reach (verdict Unknown: see the gaps)');
  });
});

/**
 * How the explanation pane, the graph legend and the comparison say an `unknown` verdict, and the
 * firewall's "every destination except …": on real engine output for the bank demo, without its
 * captured routes (the BGP routes through vgw-hub-weu are then the missing fact), with a what-if
 * IP only application rules could allow, and with deny rules ahead of an allow-all rule.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { resolveEgress, type EgressPath, type ResolveResult } from '../../shared/egress/index';
import { computeReach } from '../../shared/egress/reach';
import { buildEgressGraph } from '../../shared/graph/build-egress-graph';
import type { Snapshot } from '../../shared/model/snapshot';
import { DetailsPanel } from '../../renderer/components/DetailsPanel';
import { CompareBanner } from '../../renderer/components/CompareBanner';
import { legendKinds } from '../../renderer/graph/elements';
import { SOURCE_ENCODINGS } from '../../renderer/graph/style';
import { sourceChanges, notComparedCount } from '../../renderer/state/compare';
import type { ReachView } from '../../renderer/components/useReach';
import { bankSnapshot, bankWithExceptions, bankWithoutCapture } from '../support/bank-variants';

const bank = bankSnapshot();
const noCapture = bankWithoutCapture();

function pathOf(result: ResolveResult, name: string): EgressPath {
  const path = result.paths.find((p) => p.source.name === name);
  if (!path) throw new Error(`no path for ${name}`);
  return path;
}

function details(snapshot: Snapshot, result: ResolveResult, name: string, reach: ReachView | null = null): string {
  const path = pathOf(result, name);
  return renderToStaticMarkup(createElement(DetailsPanel, {
    path, destination: result.destination, details: null, tour: null, estateFindings: result.findings, reach, model: snapshot.model,
  }));
}

/** Text in document order, tags dropped (enough to ask what comes before what). */
function text(markup: string): string {
  return markup.replace(/<[^>]+>/g, ' ').replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ');
}

describe('an unknown path in the explanation pane', () => {
  const result = resolveEgress(noCapture, {});
  const markup = details(noCapture, result, 'snet-card-auth');

  it('names the missing fact under the badge, before the findings and the hops', () => {
    expect(pathOf(result, 'snet-card-auth').verdict).toBe('unknown');
    const basis = markup.indexOf('data-testid="verdict-basis"');
    expect(basis).toBeGreaterThan(markup.indexOf('data-testid="verdict-badge"'));
    expect(basis).toBeLessThan(markup.indexOf('data-testid="path-findings"'));
    const all = text(markup);
    expect(all).toMatch(/Why unknown \(step \d+\): The verdict cannot be decided from the snapshot\. Missing: whether on-premises advertises 0\.0\.0\.0\/0/);
  });

  it('does not say the unknown path leaves from no public IP', () => {
    expect(text(markup)).toMatch(/Public IPs not known \(the verdict is unknown\)/);
  });

  it('labels the last hop as not decided, not as a path that ends', () => {
    const hops = [...markup.matchAll(/<li class="hop[^"]*"[^>]*>.*?<div class="kind">([^<]*)<\/div>/g)].map((m) => m[1]);
    expect(hops.at(-1)).toBe('Not decided (unknown)');
    expect(hops).not.toContain('Path ends');
  });
});

describe('what-if to an IP only application rules allow', () => {
  const result = resolveEgress(bank, { destination: '20.1.2.3' });

  it('says the host name is the missing fact, under the Unknown badge', () => {
    const all = text(details(bank, result, 'snet-card-auth'));
    expect(all).toMatch(/Unknown Why unknown \(step \d+\): .*Missing: the host name the client uses for 20\.1\.2\.3/);
  });
});

describe('a firewall that allows every destination except some names', () => {
  const snapshot = bankWithExceptions();
  const result = resolveEgress(snapshot, {});
  const reach = computeReach(snapshot).sources.find((s) => s.source.name === 'snet-card-auth') ?? null;
  const markup = details(snapshot, result, 'snet-card-auth', { status: 'loaded', source: reach, nics: [] });

  it('shows the restriction under the badge', () => {
    expect(pathOf(result, 'snet-card-auth').verdict).toBe('internet');
    expect(text(markup)).toMatch(/Internet via firewall The rules on the path allow: every destination except pastebin\.com, \*\.ngrok\.io/);
  });

  it('does not call the reach "any public destination"', () => {
    expect(reach?.unrestricted).toBe(true);
    // The ports of the opening entry, an application rule on HTTPS 443 (shared/egress/reach.ts unrestrictedOn).
    expect(text(markup)).toContain('Unrestricted: every destination except pastebin.com, *.ngrok.io (Https 443)');
    expect(text(markup)).not.toContain('any public destination');
  });
});

describe('the graph legend and the comparison', () => {
  const before = resolveEgress(bank, {});
  const after = resolveEgress(noCapture, {});

  it('explains the Unknown sink when the graph draws it, and does not send every unknown to the gaps', () => {
    expect(legendKinds(buildEgressGraph(noCapture.model, after, { kind: 'full' }))).toContain('unknown');
    expect(legendKinds(buildEgressGraph(bank.model, before, { kind: 'full' }))).not.toContain('unknown');
    expect(SOURCE_ENCODINGS.unknown.text).not.toMatch(/gaps/);
  });

  it('names what could not be decided in the compared column, and lists Unknown rows as not compared, not as changed', () => {
    const changes = sourceChanges(before, after);
    const row = changes.find((c) => c.name === 'snet-card-auth');
    expect(row?.was).toBe('Internet via firewall (20.61.14.21, 20.61.14.22)');
    expect(row?.now).toBe('Unknown — not decided: Routes learned over BGP through vgw-hub-weu');
    expect(row?.kind).toBe('not-compared');
    expect(row?.kind === 'not-compared' ? row.difference : null).toBe('Could not compare: Unknown in the compared snapshot (a fact needed to decide is missing there)');
    expect(notComparedCount(changes)).toBe(changes.length);
    const banner = text(renderToStaticMarkup(createElement(CompareBanner, {
      compare: { title: 'bank-nocapture.json', changes }, shown: { title: 'bank', capturedAt: null }, dispatch: () => undefined,
    })));
    expect(banner).toContain(`Showing: bank (capture times unknown) — 0 sources changed against bank-nocapture.json · ${changes.length} could not be compared (Unknown)`);
    expect(banner).toContain(`${changes.length} sources could not be compared: Unknown in one snapshot or both, because a fact needed to decide is missing there.`);
  });
});

/**
 * "Can reach" for a subnet lists its NICs that follow its path but reach more on other ports, with
 * what each reaches beyond the subnet (nic-jump: any public destination on TCP 22, by the NSG rule
 * for its ASG); the subnet's own list stays as it was.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DetailsPanel } from '../../renderer/components/DetailsPanel';
import { resolveEgress } from '../../shared/egress/index';
import { computeReach, nicsFollowingSubnet } from '../../shared/egress/reach';
import { jumpHostSnapshot, snapshotOfModel } from '../support/jump-host';
import { networkRule, securityRule } from '../support/model-builder';
import { hubSpokeFirewall } from '../shared/egress/support';

const snapshot = jumpHostSnapshot();
const result = resolveEgress(snapshot, {});
const path = result.paths.find((p) => p.source.name === 'app');
const reach = computeReach(snapshot);
const subnet = reach.sources.find((s) => s.source.name === 'app') ?? null;

function render(nics: ReturnType<typeof nicsFollowingSubnet>): string {
  if (!path) throw new Error('no path for app');
  return renderToStaticMarkup(createElement(DetailsPanel, {
    path, destination: result.destination, details: null, tour: null, estateFindings: result.findings, model: snapshot.model,
    reach: { status: 'loaded', source: subnet, nics },
  }));
}

const text = (markup: string): string => markup.replace(/<[^>]+>/g, ' ').replace(/&#x27;/g, "'").replace(/\s+/g, ' ');
/** Names break at dots and slashes (<wbr>): compare without the spaces the tags leave. */
const squash = (markup: string): string => text(markup).replace(/\s+/g, '');

describe('Can reach: NICs with reach of their own', () => {
  it('names nic-jump under its subnet with its TCP 22 entry and the rule, after the subnet\'s list', () => {
    const markup = render(nicsFollowingSubnet(reach, subnet?.source.id ?? ''));
    const canReach = squash(markup.slice(markup.indexOf('data-testid="can-reach"')));
    const nics = text(markup.slice(markup.indexOf('data-testid="reach-nics"')));
    expect(nics).toContain('NICs with reach of their own (1)');
    expect(nics).toMatch(/nic-jump any TCP 22 Internet[^]*no inspection; NSG nsg-app rule allow-ssh-jump allows it/);
    // The partner range is the subnet's own entry, listed before the NICs and not repeated under them.
    expect(canReach.indexOf('198.51.100.0/24')).toBeGreaterThanOrEqual(0);
    expect(canReach.indexOf('198.51.100.0/24')).toBeLessThan(canReach.indexOf('nic-jump'));
    expect(squash(markup.slice(markup.indexOf('data-testid="reach-nics"')))).not.toContain('198.51.100.0/24');
  });

  it('shows nothing extra when no NIC follows the subnet with reach of its own', () => {
    expect(text(render([]))).not.toContain('NICs with reach of their own');
  });
});

function canReachOf(model: ReturnType<typeof snapshotOfModel>): string {
  const result = resolveEgress(model, {});
  const app = result.paths.find((p) => p.source.name === 'app');
  if (!app) throw new Error('no path for app');
  const markup = renderToStaticMarkup(createElement(DetailsPanel, {
    path: app, destination: result.destination, details: null, tour: null, estateFindings: result.findings, model: model.model,
    reach: { status: 'loaded', source: computeReach(model).sources.find((s) => s.source.name === 'app') ?? null, nics: [] },
  }));
  return text(markup.slice(markup.indexOf('data-testid="can-reach"')));
}

describe('Can reach: unrestricted on which ports', () => {
  it('open on TCP 443 and, by another rule, on UDP 123: the badge says TCP 443 and the UDP 123 entry is listed (as the PDF lists it)', () => {
    const both = snapshotOfModel(hubSpokeFirewall([
      networkRule('https-anywhere', { destinationAddresses: ['*'], destinationPorts: ['443'] }),
      networkRule('ntp-anywhere', { protocols: ['UDP'], destinationAddresses: ['*'], destinationPorts: ['123'] }),
    ]).b.build());
    const shown = canReachOf(both);
    expect(shown).toContain('Unrestricted: any public destination (TCP 443)');
    expect(shown).toMatch(/any UDP 123 Internet via firewall fw-policy\/net\/ntp-anywhere/);
  });

  it('a rule allowing `*` on UDP 123 while TCP 443 is denied: the badge says UDP 123, not TCP 443', () => {
    const ntp = snapshotOfModel(hubSpokeFirewall([networkRule('ntp-anywhere', { protocols: ['UDP'], destinationAddresses: ['*'], destinationPorts: ['123'] })]).b.build());
    const ntpResult = resolveEgress(ntp, {});
    const app = ntpResult.paths.find((p) => p.source.name === 'app');
    if (!app) throw new Error('no path for app');
    const markup = renderToStaticMarkup(createElement(DetailsPanel, {
      path: app, destination: ntpResult.destination, details: null, tour: null, estateFindings: ntpResult.findings, model: ntp.model,
      reach: { status: 'loaded', source: computeReach(ntp).sources.find((s) => s.source.name === 'app') ?? null, nics: [] },
    }));
    expect(app.verdict).toBe('denied');
    expect(text(markup)).toContain('Unrestricted: any public destination (UDP 123)');
    expect(text(markup)).not.toContain('(TCP 443)');
  });
});

describe('Can reach: a NIC that follows its subnet but whose own NSG denies a private endpoint', () => {
  // The subnet reaches the hub's private endpoint; nic-locked's own NSG denies its address [NSG].
  const { b, hub, spoke } = hubSpokeFirewall([networkRule('unrelated', { destinationAddresses: ['1.1.1.1'] })]);
  const data = b.subnet(hub, 'data', '10.0.5.0/24');
  b.privateEndpoint(data, 'pe-st', '10.0.5.6', { fqdns: ['stpatients.blob.core.windows.net'] });
  const zone = b.privateDnsZone('privatelink.blob.core.windows.net');
  b.link(zone, hub, { name: 'link-hub' });
  b.link(zone, spoke, { name: 'link-spoke' });
  b.aRecord(zone, 'stpatients', ['10.0.5.6']);
  const web = b.subnet(spoke, 'web', '10.1.4.0/24');
  b.nic(web, 'nic-locked', '10.1.4.4', { nsgId: b.nsg('nsg-nic-locked', [securityRule('deny-pe', 100, 'Deny', '10.0.5.6')]) });
  const estate = snapshotOfModel(b.build());

  it('lists the NIC under the subnet with the endpoint it does not reach', () => {
    const resolved = resolveEgress(estate, {});
    const webPath = resolved.paths.find((p) => p.source.name === 'web');
    const answer = computeReach(estate);
    const webReach = answer.sources.find((s) => s.source.name === 'web') ?? null;
    if (!webPath || !webReach) throw new Error('no path for web');
    const markup = renderToStaticMarkup(createElement(DetailsPanel, {
      path: webPath, destination: resolved.destination, details: null, tour: null, estateFindings: resolved.findings, model: estate.model,
      reach: { status: 'loaded', source: webReach, nics: nicsFollowingSubnet(answer, webReach.source.id) },
    }));
    const nics = squash(markup.slice(markup.indexOf('data-testid="reach-nics"')));
    expect(nics).toContain('nic-locked');
    expect(nics).toContain(squash('Not reached from this NIC'));
    expect(nics).toContain('stpatients.blob.core.windows.net');
  });
});

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
import { hubEndpointEstate, hubSpokeFirewall } from '../shared/egress/support';

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

/** The "Can reach" NIC group of subnet `web` as the app renders it. */
function webNicGroup(estate: ReturnType<typeof snapshotOfModel>): string {
  const resolved = resolveEgress(estate, {});
  const webPath = resolved.paths.find((p) => p.source.name === 'web');
  const answer = computeReach(estate);
  const webReach = answer.sources.find((s) => s.source.name === 'web') ?? null;
  if (!webPath || !webReach) throw new Error('no path for web');
  const markup = renderToStaticMarkup(createElement(DetailsPanel, {
    path: webPath, destination: resolved.destination, details: null, tour: null, estateFindings: resolved.findings, model: estate.model,
    reach: { status: 'loaded', source: webReach, nics: nicsFollowingSubnet(answer, webReach.source.id) },
  }));
  return markup.slice(markup.indexOf('data-testid="reach-nics"'));
}

describe('Can reach: a NIC that follows its subnet but whose own NSG denies a private endpoint', () => {
  // The subnet reaches the hub's private endpoint; nic-locked's own NSG denies its address [NSG].
  const { b, web } = hubEndpointEstate();
  b.nic(web, 'nic-locked', '10.1.4.4', { nsgId: b.nsg('nsg-nic-locked', [securityRule('deny-pe', 100, 'Deny', '10.0.5.6')]) });
  const estate = snapshotOfModel(b.build());

  it('lists the NIC under the subnet with the endpoint it does not reach', () => {
    const nics = squash(webNicGroup(estate));
    expect(nics).toContain('nic-locked');
    expect(nics).toContain(squash('Not reached from this NIC'));
    expect(nics).toContain('stpatients.blob.core.windows.net');
  });
});

describe('Can reach: a NIC listed for its own DNS servers', () => {
  // A NIC whose own DNS servers [NICDNS] replace the VNet's, with no NSG or ASG of its own, is a
  // source of its own for endpoint names: the group must not attribute it to NSG rules alone.
  // https://learn.microsoft.com/azure/virtual-network/virtual-network-network-interface#change-dns-servers
  it('names the DNS servers as a reason', () => {
    const { b, web } = hubEndpointEstate();
    const nicId = b.nic(web, 'nic-dns', '10.1.4.4');
    const built = b.build();
    const estate = snapshotOfModel({ ...built, networkInterfaces: built.networkInterfaces.map((n) => (n.id === nicId ? { ...n, dnsServers: ['10.9.9.9'] } : n)) });
    const group = text(webNicGroup(estate));
    expect(group).toContain('nic-dns');
    expect(group).toMatch(/DNS server/i);
  });
});

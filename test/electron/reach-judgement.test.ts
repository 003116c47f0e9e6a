/**
 * What reach, the CLI, the app and `check` state about a source, against the engine's own answers
 * (resolveEgress), in the cases a review of the reach changes found wrong: a rule judged on one
 * port whose other ports an earlier Deny does not stop (listed as "may reach", never dropped), a
 * rule on `*` behind an HTTPS-only NSG (only the ports the NSG lets out), ICMP rules (not modelled:
 * "may reach"), the "unrestricted" headline's ports and exceptions, and NICs whose own DNS servers
 * answer a host name (an entry of their own, in resolve and the matrix alike). Azure Firewall
 * matches a rule per flow (protocol, port, address), rule collections by priority, first match
 * wins: https://learn.microsoft.com/azure/firewall/rule-processing
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { formatReach } from '../../electron/cli/format-table';
import { DetailsPanel } from '../../renderer/components/DetailsPanel';
import type { ResolveInput } from '../../shared/egress/index';
import { resolveEgress } from '../../shared/egress/index';
import { resolveMatrix } from '../../shared/egress/matrix';
import { computeReach, unrestrictedOn } from '../../shared/egress/reach';
import type { ReachSource } from '../../shared/egress/reach';
import type { NetworkModel } from '../../shared/model/topology';
import { checkPolicy, parsePolicy } from '../../shared/policy';
import { snapshotOfModel } from '../support/jump-host';
import { ModelBuilder, networkRule, securityRule } from '../support/model-builder';
import { hubSpokeFirewall, webDeniesHttpsModel } from '../shared/egress/support';

const NOW = new Date('2026-12-05T09:00:00Z');
const input = (model: NetworkModel): ResolveInput => ({ model, effectiveRoutes: [], metrics: [], gaps: [] });
const partner = '203.0.113.0/24';

function reachOf(estate: ResolveInput, name = 'app'): ReachSource {
  const found = computeReach(estate).sources.find((s) => s.source.name === name);
  if (!found) throw new Error(`no reach for ${name}`);
  return found;
}

function verdictOf(estate: ResolveInput, destination: string, name = 'app'): string | undefined {
  return resolveEgress(estate, { destination }).paths.find((p) => p.source.name === name)?.verdict;
}

/** One deny control with this body (scope and requirement lines, indented 4), checked against the estate. */
function control(estate: ResolveInput, body: string) {
  const policy = parsePolicy(`version: 1\ncontrols:\n  - id: c\n    effect: deny\n${body}`, 'policy.yaml');
  const [c] = checkPolicy(estate, policy, { now: NOW, destination: null }).controls;
  if (!c) throw new Error('no control');
  return c;
}

const text = (markup: string): string => markup.replace(/<[^>]+>/g, ' ').replace(/&#x27;/g, "'").replace(/\s+/g, ' ');

function withNicDns(model: NetworkModel, nicName: string, servers: readonly string[]): NetworkModel {
  return { ...model, networkInterfaces: model.networkInterfaces.map((n) => (n.name === nicName ? { ...n, dnsServers: servers } : n)) };
}

// -------------------------------------------------------------------------------------------------
// A rule is judged on one flow; an earlier Deny on that port used to drop the whole rule, range or
// `*` included. Its other ports are now "may reach" (not resolved port by port).

describe('reach: a port range or `*` is judged on one port only', () => {
  it('Allow TCP 1000-2000 to a partner range after a Deny on TCP 1000: TCP 1001-2000 still reach it and must be listed', () => {
    const { b } = hubSpokeFirewall([
      networkRule('deny-partner-1000', { action: 'Deny', priority: 100, collection: 'deny', destinationAddresses: [partner], destinationPorts: ['1000'] }),
      networkRule('partner-range', { priority: 200, destinationAddresses: [partner], destinationPorts: ['1000-2000'] }),
    ]);
    const estate = input(b.build());
    // The engine itself says TCP 1500 gets out.
    expect(verdictOf(estate, '203.0.113.5:1500/tcp')).toBe('internet');
    const app = reachOf(estate);
    // Judged on TCP 1000 (stopped), the rest of the range is listed as "may reach" (not resolved port by port).
    expect(app.allowed.filter((e) => e.kind === 'cidr' && e.value === partner && (e.verdict === 'internet' || e.verdict === 'unknown')).map((e) => e.ports)).toEqual([['1000-2000']]);
    // mayReach with no partner entry must fail: TCP 1001-2000 reach the partner.
    expect(control(estate, '    scope: { subnets: [app] }\n    mayReach: ["198.51.100.0/24"]\n').status).toBe('fail');
  });

  it('Allow TCP * to a partner range after a Deny on TCP 443: every other TCP port reaches it and must be listed', () => {
    const { b } = hubSpokeFirewall([
      networkRule('deny-partner-https', { action: 'Deny', priority: 100, collection: 'deny', destinationAddresses: [partner], destinationPorts: ['443'] }),
      networkRule('partner-all', { priority: 200, destinationAddresses: [partner], destinationPorts: ['*'] }),
    ]);
    const estate = input(b.build());
    expect(verdictOf(estate, '203.0.113.5:22/tcp')).toBe('internet');
    expect(reachOf(estate).allowed.filter((e) => e.kind === 'cidr' && e.value === partner && (e.verdict === 'internet' || e.verdict === 'unknown')).map((e) => e.ports)).toEqual([['*']]);
    expect(control(estate, '    scope: { subnets: [app] }\n    mayReach: ["198.51.100.0/24"]\n').status).toBe('fail');
  });

  it('a QUIC block (Deny UDP 443 to *) before Allow Any * to *: UDP on every other port (53, 123) gets out to any address and must be listed', () => {
    const { b } = hubSpokeFirewall([
      networkRule('deny-quic', { action: 'Deny', priority: 100, collection: 'deny', protocols: ['UDP'], destinationAddresses: ['*'], destinationPorts: ['443'] }),
      networkRule('allow-all', { priority: 200, protocols: ['Any'], destinationAddresses: ['*'], destinationPorts: ['*'] }),
    ]);
    const estate = input(b.build());
    expect(verdictOf(estate, '198.51.100.7:123/udp')).toBe('internet');
    const app = reachOf(estate);
    expect(app.allowed.filter((e) => e.kind === 'any' && e.verdict === 'internet' && e.protocols.some((p) => /^(udp|any)$/i.test(p)))).not.toEqual([]);
  });
});

// -------------------------------------------------------------------------------------------------
// An allow-all rule on Any / TCP+UDP behind an HTTPS-only NSG: no entry may read "any public
// destination on TCP any port", since the source's NSG lets out TCP 443 only.

describe('reach: an allow-all rule on several protocols behind an HTTPS-only NSG', () => {
  function httpsOnlyBehindAllowAll(protocols: readonly string[]) {
    const { b, app } = hubSpokeFirewall([networkRule('allow-all', { protocols, destinationAddresses: ['*'], destinationPorts: ['*'] })]);
    b.updateSubnet(app, { networkSecurityGroupId: b.nsg('nsg-app', [
      securityRule('allow-https-out', 100, 'Allow', 'Internet', { protocol: 'Tcp', destinationPortRanges: ['443'] }),
      securityRule('deny-internet-out', 4000, 'Deny', 'Internet'),
    ]) });
    return input(b.build());
  }

  it('Any on *: no entry claims TCP ports the NSG denies (TCP 22 is denied)', () => {
    const estate = httpsOnlyBehindAllowAll(['Any']);
    expect(verdictOf(estate, '198.51.100.7:22/tcp')).toBe('denied');
    const app = reachOf(estate);
    // Actual: ['443'] Tcp (the open path) and ['*'] TCP (the rule's TCP part, judged on TCP 443 only).
    expect(app.allowed.filter((e) => e.verdict === 'internet').map((e) => [e.kind, e.ports, e.protocols.map((p) => p.toUpperCase())]))
      .toEqual([['any', ['443'], ['TCP']]]);
  });

  it('TCP and UDP on *: same, as it reads for a TCP-only allow-all rule', () => {
    const tcpOnly = reachOf(httpsOnlyBehindAllowAll(['TCP']));
    const both = reachOf(httpsOnlyBehindAllowAll(['TCP', 'UDP']));
    expect(both.allowed.map((e) => [e.kind, e.ports, e.verdict])).toEqual(tcpOnly.allowed.map((e) => [e.kind, e.ports, e.verdict]));
  });

  it('check: mayReach ["0.0.0.0/0:443/tcp"] passes where only TCP 443 gets out (it fails on "any public destination on TCP *")', () => {
    const c = control(httpsOnlyBehindAllowAll(['Any']), '    scope: { subnets: [app] }\n    mayReach: ["0.0.0.0/0:443/tcp"]\n');
    expect(c.violations.map((v) => v.reason)).toEqual([]);
    expect(c.status).toBe('pass');
  });
});

// -------------------------------------------------------------------------------------------------
// ICMP is not modelled: an ICMP rule's destination must not disappear from reach (mayReach would
// pass); it is "may reach".

describe('reach: ICMP rules', () => {
  it('Allow ICMP to a partner range: an entry for the partner (ICMP, not resolved: at least "unknown")', () => {
    const { b } = hubSpokeFirewall([networkRule('ping-partner', { protocols: ['ICMP'], destinationAddresses: [partner], destinationPorts: ['*'] })]);
    const app = reachOf(input(b.build()));
    expect(app.allowed.filter((e) => e.kind === 'cidr' && e.value === partner).map((e) => e.protocols)).toEqual([['ICMP']]);
  });

  it('Allow TCP+ICMP on 22 and 3389, 3389 denied earlier: the entry keeps ICMP', () => {
    const { b } = hubSpokeFirewall([
      networkRule('deny-rdp', { action: 'Deny', priority: 100, collection: 'deny', destinationAddresses: [partner], destinationPorts: ['3389'] }),
      networkRule('admin', { protocols: ['TCP', 'ICMP'], destinationAddresses: [partner], destinationPorts: ['22', '3389'] }),
    ]);
    const app = reachOf(input(b.build()));
    expect(app.allowed.filter((e) => e.value === partner).flatMap((e) => e.protocols.map((p) => p.toUpperCase()))).toContain('ICMP');
  });
});

// -------------------------------------------------------------------------------------------------
// The "unrestricted" headline says TCP 443 only when TCP 443 gets out: for a source whose NSG
// denies TCP 443 while a firewall rule on TCP `*` lets the other ports out, it names those ports.

describe('unrestrictedOn: a source whose TCP 443 is denied', () => {
  const webEstate = webDeniesHttpsModel;

  it('the headline does not say TCP 443 when the default route (TCP 443) is denied', () => {
    const estate = input(webEstate());
    expect(verdictOf(estate, '198.51.100.7:443/tcp', 'web')).toBe('denied');
    const web = reachOf(estate, 'web');
    expect(web.defaultRoute).toBe('denied');
    expect(web.unrestricted).toBe(true);
    expect(unrestrictedOn(web)).not.toBe('TCP 443');
  });

  it('the CLI table line for web does not read "(TCP 443)"', () => {
    const table = formatReach(computeReach(input(webEstate())), { color: false });
    const line = table.split('\n').find((l) => l.startsWith('web (subnet)')) ?? '';
    expect(line).toContain('UNRESTRICTED');
    expect(line).not.toContain('TCP 443');
  });

  it('the app badge for web does not read "(TCP 443)"', () => {
    const snapshot = snapshotOfModel(webEstate());
    const result = resolveEgress(snapshot, {});
    const web = result.paths.find((p) => p.source.name === 'web');
    if (!web) throw new Error('no path for web');
    const markup = renderToStaticMarkup(createElement(DetailsPanel, {
      path: web, destination: result.destination, details: null, tour: null, estateFindings: result.findings, model: snapshot.model,
      reach: { status: 'loaded', source: computeReach(snapshot).sources.find((s) => s.source.name === 'web') ?? null, nics: [] },
    }));
    const badge = text(markup.slice(markup.indexOf('data-testid="reach-unrestricted"'))).slice(0, 120);
    expect(badge).toContain('Unrestricted');
    expect(badge).not.toContain('TCP 443');
  });

  it('the app badge for web names the exception evil.example, as the CLI line does (it reads "any public destination")', () => {
    // DetailsPanel takes the exceptions from the default-route path (denied here, so none); the
    // entry that opens web carries except: ['evil.example'] and the CLI prints it.
    const snapshot = snapshotOfModel(webEstate());
    const result = resolveEgress(snapshot, {});
    const web = result.paths.find((p) => p.source.name === 'web');
    if (!web) throw new Error('no path for web');
    const reach = computeReach(snapshot).sources.find((s) => s.source.name === 'web') ?? null;
    expect(reach?.allowed.find((e) => e.kind === 'any')?.except).toEqual(['evil.example']);
    const markup = renderToStaticMarkup(createElement(DetailsPanel, {
      path: web, destination: result.destination, details: null, tour: null, estateFindings: result.findings, model: snapshot.model,
      reach: { status: 'loaded', source: reach, nics: [] },
    }));
    const badge = text(markup.slice(markup.indexOf('data-testid="reach-unrestricted"'))).slice(0, 120);
    expect(badge).toContain('evil.example');
  });
});

// -------------------------------------------------------------------------------------------------
// A NIC's own DNS servers answer host names for its VM: an entry of its own.

describe('a NIC with its own DNS servers', () => {
  it('a name the VNet\'s linked zone answers NXDOMAIN for is not "dropped" for a subnet whose NIC asks other DNS servers', () => {
    // The NXDOMAIN check runs before the own-DNS check (openSession.start): the subnet reads
    // `dropped` and mustNotReach passes, though nic-dns resolves through 10.50.0.4, which may well
    // serve corp.example (an on-premises zone is the usual reason for a NIC's own DNS servers).
    const b = new ModelBuilder();
    const vnet = b.vnet('spoke', ['10.1.0.0/16']);
    const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.0.0.1')] });
    const app = b.subnet(vnet, 'app', '10.1.1.0/24', { natGatewayId: nat });
    b.nic(app, 'nic-dns', '10.1.1.5');
    const zone = b.privateDnsZone('corp.example', { numberOfRecordSets: 1 });
    b.link(zone, vnet);
    const plain = input(b.build());
    expect(verdictOf(plain, 'app.corp.example')).toBe('dropped');
    const estate = input(withNicDns(b.build(), 'nic-dns', ['10.50.0.4']));
    // nic-dns gets an entry of its own (its DNS servers answer for it); the subnet's speaks for its other VMs.
    expect(resolveEgress(estate, { destination: 'app.corp.example' }).paths.find((p) => p.source.name === 'nic-dns')?.verdict).toBe('unknown');
    expect(resolveMatrix(estate, [{ destination: 'app.corp.example', label: null }]).rows.find((r) => r.source.name === 'nic-dns')?.results[0]?.verdict).toBe('unknown');
    expect(control(estate, '    scope: { subnets: [app] }\n    mustNotReach: [app.corp.example]\n').status).toBe('fail');
  });

  it('a NIC with its own public IP keeps its own path for a host name when another NIC of its subnet has its own DNS servers', () => {
    // nic-pip uses the VNet's (Azure) DNS: its answer for www.example.com is known, and is the one
    // it has for the address itself (internet through its public IP 20.0.0.7). Its entry is dropped
    // and it reads "unknown" with nic-dns's DNS servers named as the reason, in resolve and matrix alike.
    const b = new ModelBuilder();
    const vnet = b.vnet('spoke', ['10.1.0.0/16']);
    const app = b.subnet(vnet, 'app', '10.1.1.0/24', { defaultOutboundAccess: false });
    b.nic(app, 'nic-pip', '10.1.1.4', { publicIpId: b.publicIp('pip', '20.0.0.7') });
    b.nic(app, 'nic-dns', '10.1.1.5');
    const estate = input(withNicDns(b.build(), 'nic-dns', ['10.50.0.4']));
    expect(resolveEgress(estate, { destination: '93.184.216.34' }).paths.find((p) => p.source.name === 'nic-pip')).toMatchObject({ verdict: 'internet', egressIps: ['20.0.0.7'] });
    const byName = resolveEgress(estate, { destination: 'www.example.com' }).paths.find((p) => p.source.name === 'nic-pip');
    expect(byName).toMatchObject({ verdict: 'internet', exit: 'public-ip', egressIps: ['20.0.0.7'] });
    const row = resolveMatrix(estate, [{ destination: 'www.example.com', label: null }]).rows.find((r) => r.source.name === 'nic-pip');
    expect(row?.results.map((c) => [c.verdict, c.egressIps])).toEqual([['internet', ['20.0.0.7']]]);
  });
});

import { describe, expect, it } from 'vitest';
import { fqdnPatternMatches, parseDestinationSpec } from '../../../shared/egress/destination-spec';
import type { DestinationSpec } from '../../../shared/egress/destination-spec';

function spec(text: string): DestinationSpec {
  const parsed = parseDestinationSpec(text);
  if (parsed.kind === 'error') throw new Error(parsed.message);
  return parsed.spec;
}

function error(text: string): string {
  const parsed = parseDestinationSpec(text);
  if (parsed.kind === 'ok') throw new Error(`parsed ${text} as ${parsed.spec.label}`);
  return parsed.message;
}

describe('destinations as users write them', () => {
  it('reads IPv4 and IPv6 addresses, with the default TCP 443 or a given port and protocol', () => {
    expect(spec('20.50.1.1')).toMatchObject({ target: { kind: 'address' }, port: 443, protocol: 'Tcp', label: '20.50.1.1:443/tcp' });
    expect(spec('20.50.1.1:53/udp')).toMatchObject({ port: 53, protocol: 'Udp', label: '20.50.1.1:53/udp' });
    expect(spec('2606:4700::1111')).toMatchObject({ target: { kind: 'address' }, port: 443 });
    expect(spec('[2606:4700::1111]:8443')).toMatchObject({ port: 8443, label: '[2606:4700::1111]:8443/tcp' });
  });

  it('reads CIDRs (0.0.0.0/0 is the default route)', () => {
    expect(spec('20.50.0.0/16')).toMatchObject({ target: { kind: 'cidr' }, label: '20.50.0.0/16:443/tcp' });
    expect(spec('20.50.0.0/16:8080/tcp').port).toBe(8080);
    expect(spec('0.0.0.0/0').target).toEqual({ kind: 'default-route' });
    expect(spec('').target).toEqual({ kind: 'default-route' });
  });

  it('reads FQDNs in any case, with or without the trailing dot', () => {
    expect(spec('api.stripe.com')).toMatchObject({ target: { kind: 'fqdn', name: 'api.stripe.com' }, label: 'api.stripe.com:443/tcp' });
    expect(spec('API.Stripe.com.').target).toEqual({ kind: 'fqdn', name: 'api.stripe.com' });
    expect(spec('pkgs.dev.azure.com:22/tcp')).toMatchObject({ port: 22 });
  });

  it('reads URLs: host, scheme port or explicit port; path and query are ignored', () => {
    expect(spec('https://api.stripe.com/v1/charges?x=1')).toMatchObject({ target: { kind: 'fqdn', name: 'api.stripe.com' }, port: 443, protocol: 'Tcp' });
    expect(spec('http://repo.example.org/debian')).toMatchObject({ port: 80 });
    expect(spec('https://registry.npmjs.org:8443/')).toMatchObject({ port: 8443, applicationProtocol: 'Https' });
    // The scheme is the application protocol (application rules read it); a host and port state none.
    expect(spec('http://legacy.example:8080/')).toMatchObject({ port: 8080, applicationProtocol: 'Http' });
    expect(spec('registry.npmjs.org:8443').applicationProtocol).toBeUndefined();
    expect(spec('https://20.1.2.3/health')).toMatchObject({ target: { kind: 'address' }, port: 443 });
    expect(error('ftp://files.example.org/x')).toContain('unknown URL scheme "ftp"');
  });

  it('reads service tags as Azure names them; tag: forces it', () => {
    expect(spec('Storage').target).toEqual({ kind: 'service-tag', tag: 'Storage' });
    expect(spec('Storage.WestEurope').target).toEqual({ kind: 'service-tag', tag: 'Storage.WestEurope' });
    expect(spec('AzureMonitor:443/tcp')).toMatchObject({ target: { kind: 'service-tag', tag: 'AzureMonitor' }, port: 443 });
    expect(spec('tag:sql.westeurope').target).toEqual({ kind: 'service-tag', tag: 'sql.westeurope' });
    // lower-case two-label names are host names
    expect(spec('contoso.com').target).toEqual({ kind: 'fqdn', name: 'contoso.com' });
  });

  it('explains what it expected when the text is not a destination', () => {
    expect(error('not a host')).toContain('expected an IP address, a CIDR');
    expect(error('api.stripe.com:99999')).toContain('port 99999 is outside 1-65535');
    expect(error('api.stripe.com:https')).toContain('"https" is not a port number');
    expect(error('20.50.0.0/40')).toContain('is not a CIDR');
  });
});

// https://learn.microsoft.com/azure/firewall/firewall-faq#how-do-wildcards-work-in-target-urls-and-target-fqdns-in-application-rules
describe('Azure Firewall target FQDN wildcards', () => {
  it('*.contoso.com matches any depth of subdomain, but not contoso.com itself', () => {
    expect(fqdnPatternMatches('*.contoso.com', 'any.contoso.com')).toBe(true);
    expect(fqdnPatternMatches('*.contoso.com', 'sub1.any.contoso.com')).toBe(true);
    expect(fqdnPatternMatches('*.contoso.com', 'contoso.com')).toBe(false);
    expect(fqdnPatternMatches('*.contoso.com', 'anycontoso.com')).toBe(false);
  });

  it('*contoso.com matches contoso.com and any name ending in it (the risky variant)', () => {
    expect(fqdnPatternMatches('*contoso.com', 'contoso.com')).toBe(true);
    expect(fqdnPatternMatches('*contoso.com', 'example.anycontoso.com')).toBe(true);
    expect(fqdnPatternMatches('*contoso.com', 'th3re4lcontoso.com')).toBe(true);
  });

  it('exact names match case-insensitively; * matches all; unsupported placements match nothing', () => {
    expect(fqdnPatternMatches('WWW.Contoso.com', 'www.contoso.com')).toBe(true);
    expect(fqdnPatternMatches('www.contoso.com', 'api.contoso.com')).toBe(false);
    expect(fqdnPatternMatches('*', 'anything.example')).toBe(true);
    expect(fqdnPatternMatches('www.contoso.*', 'www.contoso.com')).toBe(false);
    expect(fqdnPatternMatches('*.contoso.*', 'a.contoso.com')).toBe(false);
  });
});

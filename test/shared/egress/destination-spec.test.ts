import { describe, expect, it } from 'vitest';
import { fqdnPatternMatches, parseDestinationSpec } from '../../../shared/egress/destination-spec';
import type { DestinationSpec } from '../../../shared/egress/destination-spec';
import { resolveEgress } from '../../../shared/egress';
import type { ServiceTagSet } from '../../../shared/model/service-tags';
import { applicationRule } from '../../support/model-builder';
import { hubSpokeFirewall, pathOf, resolve } from './support';

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

/*
 * Service tag or host name, by the real rule: DNS names are case-insensitive [RFC4343]
 * https://www.rfc-editor.org/rfc/rfc4343, and a service tag's suffix is an Azure region [TAG]
 * https://learn.microsoft.com/azure/virtual-network/service-tags-overview. Capitals say nothing.
 */
describe('destination spec: a host name with capitals is a host name', () => {
  it('`GitHub.com` is evaluated as github.com, not as a service tag', () => {
    const { b, app } = hubSpokeFirewall([applicationRule('gh', ['github.com'])]);
    const model = b.build();
    expect(pathOf(resolve(model, { destination: 'github.com' }), app).verdict).toBe('internet');
    const upper = resolve(model, { destination: 'GitHub.com' });
    expect(upper.destinationInfo?.kind).toBe('fqdn');
    expect(pathOf(upper, app).verdict).toBe('internet');
    expect(upper.gaps.map((g) => g.message)).not.toContainEqual(expect.stringContaining('Service tag GitHub.com'));
  });

  it('two-part names with capitals and a top-level domain are host names; region suffixes make tags in any case', () => {
    expect(spec('GitHub.com').target).toEqual({ kind: 'fqdn', name: 'github.com' });
    expect(spec('Contoso.Local:8443').target).toEqual({ kind: 'fqdn', name: 'contoso.local' });
    expect(spec('GitHub.com').reading).toBeUndefined();
    // Region suffixes, as the service tag files spell them (some short), in any case.
    expect(spec('storage.westeurope').target).toEqual({ kind: 'service-tag', tag: 'storage.westeurope' });
    expect(spec('AzureCloud.eastus2').target).toEqual({ kind: 'service-tag', tag: 'AzureCloud.eastus2' });
    expect(spec('Sql.NorwayE').target).toEqual({ kind: 'service-tag', tag: 'Sql.NorwayE' });
    expect(spec('AzureCloud.usgovvirginia').target).toEqual({ kind: 'service-tag', tag: 'AzureCloud.usgovvirginia' });
    // The few dotted tags whose suffix is not a region.
    expect(spec('AzureFrontDoor.Backend').target).toEqual({ kind: 'service-tag', tag: 'AzureFrontDoor.Backend' });
    // One word is a tag (a host name to resolve has a dot); a trailing dot or a third label is a host.
    expect(spec('AzureCloud').target).toEqual({ kind: 'service-tag', tag: 'AzureCloud' });
    expect(spec('Storage.WestEurope.').target).toEqual({ kind: 'fqdn', name: 'storage.westeurope' });
    expect(spec('API.GitHub.com').target).toEqual({ kind: 'fqdn', name: 'api.github.com' });
  });

  it('an ambiguous text says how it was read and how to ask for the other reading', () => {
    // A suffix with a digit is no top-level domain (RFC 1123 section 2.1): a region this version does not know.
    const newRegion = spec('AzureCloud.eastus9');
    expect(newRegion.target).toEqual({ kind: 'service-tag', tag: 'AzureCloud.eastus9' });
    expect(newRegion.reading).toContain('azurecloud.eastus9. (with a trailing dot)');
    // A tag's name with a top-level domain: the host, saying so.
    const grafana = spec('Grafana.com');
    expect(grafana.target).toEqual({ kind: 'fqdn', name: 'grafana.com' });
    expect(grafana.reading).toContain('tag:Grafana.com');
  });

  it('the interpretation shows the reading; service tag data that lists the name settles it as the tag', () => {
    const { b, app } = hubSpokeFirewall([applicationRule('grafana', ['grafana.com'])]);
    const model = b.build();
    const asHost = resolve(model, { destination: 'Grafana.com' });
    expect(asHost.destinationInfo?.kind).toBe('fqdn');
    expect(asHost.destinationInfo?.interpretation).toContain('read as the host name grafana.com');
    expect(pathOf(asHost, app).verdict).toBe('internet');
    // A region this version does not know yet, spelled in letters only: the data lists the tag.
    const tags: ServiceTagSet = {
      changeNumber: 9, cloud: 'Public',
      tags: [{ name: 'AzureCloud.DenmarkEast', region: 'denmarkeast', systemService: '', addressPrefixes: ['20.251.0.0/16'], networkFeatures: ['NSG', 'UDR', 'FW'] }],
    };
    const listed = resolveEgress({ model, effectiveRoutes: [], metrics: [], gaps: [], serviceTags: tags }, { destination: 'AzureCloud.DenmarkEast' });
    expect(listed.destinationInfo?.kind).toBe('service-tag');
    expect(listed.destinationInfo?.interpretation).toContain('which the service tag data lists');
    expect(resolve(model, { destination: 'AzureCloud.DenmarkEast' }).destinationInfo?.kind).toBe('fqdn');
  });

  it('an Azure resource ID is refused with what to give instead; a URL without its scheme is named as such', () => {
    const id = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stpatients';
    const message = error(id);
    expect(message).toContain('is an Azure resource ID, not a destination');
    expect(message).toContain('an IP address, a CIDR');
    expect(message).toContain('stpatients');
    expect(message).not.toContain('is not a CIDR');
    expect(error('api.stripe.com/v1')).toContain('for a URL write its scheme (https://api.stripe.com/v1)');
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

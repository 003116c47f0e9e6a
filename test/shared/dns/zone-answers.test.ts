/**
 * What a linked zone answers, beyond exact records, and the zone table's scoped zones:
 * [DNSREC] https://learn.microsoft.com/azure/dns/dns-zones-records#wildcard-records (wildcards;
 *   "unless there's a closer match from a non-wildcard record set")
 * [PDNSFALLBACK] https://learn.microsoft.com/azure/dns/private-dns-fallback (fallback: privatelink zones only)
 * [PEDNS] https://learn.microsoft.com/azure/private-link/private-endpoint-dns (zone values: SQL MI
 *   `privatelink.{dnsPrefix}.database.windows.net`, Data Explorer `privatelink.{regionName}.kusto.windows.net`;
 *   the CNAME into privatelink exists only for resources with private endpoint connections)
 */
import { describe, expect, it } from 'vitest';
import { privateLinkMappingFor, privateLinkName, privateLinkZoneMayHold, privateLinkZoneOf, resolveName } from '../../../shared/dns';
import { buildModelIndex } from '../../../shared/model/model-index';
import { ModelBuilder } from '../../support/model-builder';

function linkedZone(zoneName: string, opts: { readonly numberOfRecordSets?: number | null } = {}) {
  const b = new ModelBuilder();
  const v = b.vnet('v', ['10.0.0.0/16']);
  const zone = b.privateDnsZone(zoneName, opts);
  const link = b.link(zone, v, { name: 'link-v' });
  return { b, v, zone, link };
}

describe('wildcard records [DNSREC]', () => {
  it('answer a name with no record of its own, at any depth below the closest existing name', () => {
    const { b, v, zone } = linkedZone('apps.contoso.internal');
    const star = b.aRecord(zone, '*', ['10.0.7.10']);
    const index = buildModelIndex(b.build());
    expect(resolveName(index, v, 'orders.apps.contoso.internal')).toMatchObject({ kind: 'private', addresses: ['10.0.7.10'], record: { id: star } });
    expect(resolveName(index, v, 'a.b.apps.contoso.internal')).toMatchObject({ kind: 'private', addresses: ['10.0.7.10'] });
  });

  it('an exact record, or a closer existing name without its own wildcard, takes the query from the wildcard', () => {
    const { b, v, zone } = linkedZone('apps.contoso.internal');
    b.aRecord(zone, '*', ['10.0.7.10']);
    b.aRecord(zone, 'billing', ['10.0.7.20']);
    b.aRecord(zone, 'api.eu', ['10.0.7.30']);
    const index = buildModelIndex(b.build());
    expect(resolveName(index, v, 'billing.apps.contoso.internal')).toMatchObject({ kind: 'private', addresses: ['10.0.7.20'] });
    // `eu` exists (above `api.eu`) and has no `*.eu`: NXDOMAIN below it, and for `eu` itself (no A record: no address).
    expect(resolveName(index, v, 'x.eu.apps.contoso.internal').kind).toBe('nxdomain');
    expect(resolveName(index, v, 'eu.apps.contoso.internal').kind).toBe('nxdomain');
  });

  it('a wildcard CNAME is followed', () => {
    const { b, v, zone } = linkedZone('apps.contoso.internal');
    b.cnameRecord(zone, '*', 'front.apps.contoso.internal');
    b.aRecord(zone, 'front', ['10.0.7.5']);
    expect(resolveName(buildModelIndex(b.build()), v, 'shop.apps.contoso.internal')).toMatchObject({
      kind: 'private', addresses: ['10.0.7.5'], chain: ['shop.apps.contoso.internal', 'front.apps.contoso.internal'],
    });
  });

  it('a zone holding record sets the snapshot does not carry (AAAA, TXT...) leaves a wildcard-only answer unknown', () => {
    // SOA + `*` + two record sets of other types: one may sit at the asked name.
    const { b, v, zone } = linkedZone('apps.contoso.internal', { numberOfRecordSets: 4 });
    b.aRecord(zone, '*', ['10.0.7.10']);
    const result = resolveName(buildModelIndex(b.build()), v, 'orders.apps.contoso.internal');
    expect(result.kind).toBe('unknown');
    expect(result.kind === 'unknown' && result.undecided?.resourceId).toBe(zone);
  });
});

describe('NXDOMAIN: certain or conditional on private endpoint connections [PEDNS][PDNSFALLBACK]', () => {
  it('a custom zone without the record: certain NXDOMAIN', () => {
    const { b, v, zone } = linkedZone('corp.contoso.internal');
    b.aRecord(zone, 'www', ['10.0.9.9']);
    expect(resolveName(buildModelIndex(b.build()), v, 'api.corp.contoso.internal')).toMatchObject({ kind: 'nxdomain', conditional: null });
  });

  it('a service name reaching the privatelink zone through the public CNAME, with no endpoint known for it: conditional', () => {
    const { b, v, zone } = linkedZone('privatelink.blob.core.windows.net');
    b.aRecord(zone, 'stother', ['10.0.5.9']);
    const result = resolveName(buildModelIndex(b.build()), v, 'starchive.blob.core.windows.net');
    expect(result).toMatchObject({ kind: 'nxdomain', conditional: { resourceId: zone } });
    expect(result.kind === 'nxdomain' && result.conditional?.missingFact).toContain('private endpoint connections outside the snapshot (another subscription or tenant)');
  });

  it('the privatelink name asked directly: the linked zone answers it, certain NXDOMAIN', () => {
    const { b, v, zone } = linkedZone('privatelink.blob.core.windows.net');
    b.aRecord(zone, 'stother', ['10.0.5.9']);
    expect(resolveName(buildModelIndex(b.build()), v, 'starchive.privatelink.blob.core.windows.net')).toMatchObject({ kind: 'nxdomain', conditional: null });
  });

  it('a link whose resolution policy is not one this tool knows: unknown, naming the link', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const zone = b.privateDnsZone('privatelink.blob.core.windows.net');
    const link = b.link(zone, v, { resolutionPolicy: 'Unknown' });
    const result = resolveName(buildModelIndex(b.build()), v, 'mystg.blob.core.windows.net');
    expect(result.kind === 'unknown' && result.undecided?.resourceId).toBe(link);
  });

  it('a CNAME loop is unknown with the zone named, not the public path', () => {
    const { b, v, zone } = linkedZone('loop.internal');
    b.cnameRecord(zone, 'a', 'b.loop.internal');
    b.cnameRecord(zone, 'b', 'a.loop.internal');
    const result = resolveName(buildModelIndex(b.build()), v, 'a.loop.internal');
    expect(result.kind === 'unknown' && result.undecided?.resourceId).toBe(zone);
  });
});

describe('scoped privatelink zones [PEDNS]', () => {
  it.each([
    ['sqlmi-core.a1b2c3d4e5f6.database.windows.net', 'privatelink.a1b2c3d4e5f6.database.windows.net', 'sqlmi-core.privatelink.a1b2c3d4e5f6.database.windows.net'],
    ['sql1.database.windows.net', 'privatelink.database.windows.net', 'sql1.privatelink.database.windows.net'],
    ['adxprod.westeurope.kusto.windows.net', 'privatelink.westeurope.kusto.windows.net', 'adxprod.privatelink.westeurope.kusto.windows.net'],
    ['ingest-adxprod.westeurope.kusto.windows.net', 'privatelink.westeurope.kusto.windows.net', 'ingest-adxprod.privatelink.westeurope.kusto.windows.net'],
    ['adxprod.privatelink.westeurope.kusto.windows.net', 'privatelink.westeurope.kusto.windows.net', 'adxprod.privatelink.westeurope.kusto.windows.net'],
  ])('%s → zone %s, name %s', (name, zone, alias) => {
    const mapping = privateLinkMappingFor(name);
    expect(mapping).not.toBeNull();
    expect(mapping && privateLinkZoneOf(name, mapping)).toBe(zone);
    expect(mapping && privateLinkName(name, mapping)).toBe(alias);
  });

  it('names with another label count than the services of a shared suffix have no mapping', () => {
    expect(privateLinkMappingFor('a.b.c.database.windows.net')).toBeNull();
    expect(privateLinkMappingFor('westeurope.kusto.windows.net')).toBeNull();
  });

  it('which linked privatelink zones may hold a name the table does not send there', () => {
    // Unmapped region-scoped zones (AKS, Container Apps), a sub-zone of one, Site Recovery's other suffix.
    expect(privateLinkZoneMayHold('privatelink.westeurope.azmk8s.io', 'aks-1.hcp.westeurope.azmk8s.io')).toBe(true);
    expect(privateLinkZoneMayHold('0f1e.privatelink.westeurope.azmk8s.io', 'aks-1.hcp.westeurope.azmk8s.io')).toBe(true);
    expect(privateLinkZoneMayHold('westeurope.privatelink.siterecovery.windowsazure.com', 'vault-1.westeurope.hypervrecoverymanager.windowsazure.com')).toBe(true);
    // A region-scoped variant of a mapped zone.
    expect(privateLinkZoneMayHold('privatelink.westeurope.batch.azure.com', 'mybatch.westeurope.batch.azure.com')).toBe(true);
    // The name's own zone, a broader zone than the mapping's, or an unrelated one: no.
    expect(privateLinkZoneMayHold('privatelink.westeurope.kusto.windows.net', 'adxprod.westeurope.kusto.windows.net')).toBe(false);
    expect(privateLinkZoneMayHold('privatelink.blob.core.windows.net', 'mystg.blob.core.windows.net')).toBe(false);
    expect(privateLinkZoneMayHold('privatelink.azure.com', 'acct.documents.azure.com')).toBe(false);
    expect(privateLinkZoneMayHold('privatelink.westeurope.azmk8s.io', 'api.stripe.com')).toBe(false);
    expect(privateLinkZoneMayHold('corp.contoso.internal', 'a.corp.contoso.internal')).toBe(false);
  });
});

/**
 * Name resolution from a VNet, per the documented private endpoint DNS model:
 * [PEDNS] https://learn.microsoft.com/azure/private-link/private-endpoint-dns
 *   (Azure-provided DNS answers from the zones linked to the VNet; the public CNAME
 *   `name.blob.core.windows.net` → `name.privatelink.blob.core.windows.net`; Key Vault's
 *   `vault.azure.net` → `privatelink.vaultcore.azure.net`; custom DNS servers decide for themselves)
 * [PEDNSI] https://learn.microsoft.com/azure/private-link/private-endpoint-dns-integration
 * [PDNSFALLBACK] https://learn.microsoft.com/azure/dns/private-dns-fallback (resolutionPolicy NxDomainRedirect)
 */
import { describe, expect, it } from 'vitest';
import { privateEndpointForAddress, privateLinkMappingFor, privateLinkName, resolveName } from '../../../shared/dns';
import type { ResourceId } from '../../../shared/model/ids';
import { buildModelIndex } from '../../../shared/model/model-index';
import { ModelBuilder, storageAccountId } from '../../support/model-builder';

function estate(opts: { readonly policy?: 'Default' | 'NxDomainRedirect'; readonly hubDns?: readonly string[] } = {}) {
  const b = new ModelBuilder();
  const hub = b.vnet('hub', ['10.0.0.0/16'], opts.hubDns ? { dnsServers: opts.hubDns } : {});
  const spoke = b.vnet('spoke', ['10.1.0.0/16']);
  b.peer(spoke, hub);
  const peSubnet = b.subnet(hub, 'pe', '10.0.1.0/24');
  b.subnet(spoke, 'app', '10.1.1.0/24');
  const blobZone = b.privateDnsZone('privatelink.blob.core.windows.net');
  const link = b.link(blobZone, hub, { name: 'hub-link', resolutionPolicy: opts.policy ?? 'Default' });
  const record = b.aRecord(blobZone, 'mystg', ['10.0.1.4']);
  const pe = b.privateEndpoint(peSubnet, 'pe-mystg', '10.0.1.4', { targetId: storageAccountId('mystg'), groupIds: ['blob'], fqdns: ['mystg.blob.core.windows.net'] });
  return { b, hub, spoke, peSubnet, blobZone, link, record, pe };
}

describe('resolveName [PEDNS]', () => {
  it('linked privatelink zone with the record: the service name resolves privately through the privatelink CNAME', () => {
    const { b, hub, blobZone, link, record } = estate();
    expect(resolveName(buildModelIndex(b.build()), hub, 'MyStg.Blob.Core.Windows.Net.')).toEqual({
      kind: 'private', addresses: ['10.0.1.4'],
      zone: { id: blobZone, name: 'privatelink.blob.core.windows.net' }, link: { id: link, name: 'hub-link' }, record: { id: record, name: 'mystg' },
      chain: ['mystg.blob.core.windows.net', 'mystg.privatelink.blob.core.windows.net'],
    });
  });

  it('zone not linked to the VNet (a peered spoke): public, even though the endpoint is reachable', () => {
    const { b, spoke } = estate();
    const result = resolveName(buildModelIndex(b.build()), spoke, 'mystg.blob.core.windows.net');
    expect(result.kind).toBe('public');
    // The snapshot knows the endpoint, so the public chain is known to pass through the privatelink alias.
    expect(result.chain).toEqual(['mystg.blob.core.windows.net', 'mystg.privatelink.blob.core.windows.net']);
    expect(result.kind === 'public' && result.reason).toContain('No private DNS zone privatelink.blob.core.windows.net is linked to virtual network spoke');
  });

  it('linked zone without the record and resolutionPolicy Default: NXDOMAIN', () => {
    const { b, hub, blobZone, link } = estate();
    const result = resolveName(buildModelIndex(b.build()), hub, 'other.blob.core.windows.net');
    expect(result).toMatchObject({
      kind: 'nxdomain', zone: { id: blobZone }, link: { id: link },
      chain: ['other.blob.core.windows.net', 'other.privatelink.blob.core.windows.net'],
    });
  });

  it('linked zone without the record and resolutionPolicy NxDomainRedirect: falls back to public resolution [PDNSFALLBACK]', () => {
    const { b, hub } = estate({ policy: 'NxDomainRedirect' });
    const index = buildModelIndex(b.build());
    expect(resolveName(index, hub, 'other.blob.core.windows.net')).toMatchObject({ kind: 'public', chain: ['other.blob.core.windows.net', 'other.privatelink.blob.core.windows.net'] });
    // A name that is in the zone still resolves privately.
    expect(resolveName(index, hub, 'mystg.blob.core.windows.net').kind).toBe('private');
  });

  it('NxDomainRedirect applies to privatelink zones only: a custom zone without the record is NXDOMAIN [PDNSFALLBACK]', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const zone = b.privateDnsZone('corp.contoso.internal');
    b.link(zone, v, { resolutionPolicy: 'NxDomainRedirect' });
    expect(resolveName(buildModelIndex(b.build()), v, 'missing.corp.contoso.internal').kind).toBe('nxdomain');
  });

  it('custom DNS servers on the VNet: unknown (those servers decide); 168.63.129.16 alone is Azure-provided DNS', () => {
    const custom = estate({ hubDns: ['10.0.0.68'] });
    expect(resolveName(buildModelIndex(custom.b.build()), custom.hub, 'mystg.blob.core.windows.net')).toMatchObject({
      kind: 'unknown', reason: expect.stringContaining('custom DNS servers (10.0.0.68)') as unknown as string,
    });
    const azure = estate({ hubDns: ['168.63.129.16'] });
    expect(resolveName(buildModelIndex(azure.b.build()), azure.hub, 'mystg.blob.core.windows.net').kind).toBe('private');
  });

  it('follows a CNAME chain: custom zone alias → service name → privatelink alias → A record', () => {
    const { b, hub, blobZone } = estate();
    const corp = b.privateDnsZone('corp.contoso.internal');
    b.link(corp, hub);
    b.cnameRecord(corp, 'files', 'mystg.blob.core.windows.net.');
    b.cnameRecord(corp, 'app', 'web.corp.contoso.internal');
    const web = b.aRecord(corp, 'web', ['10.0.2.10']);
    const index = buildModelIndex(b.build());
    expect(resolveName(index, hub, 'files.corp.contoso.internal')).toMatchObject({
      kind: 'private', addresses: ['10.0.1.4'], zone: { id: blobZone },
      chain: ['files.corp.contoso.internal', 'mystg.blob.core.windows.net', 'mystg.privatelink.blob.core.windows.net'],
    });
    // A name directly in a linked non-privatelink zone resolves from that zone.
    expect(resolveName(index, hub, 'app.corp.contoso.internal')).toMatchObject({
      kind: 'private', addresses: ['10.0.2.10'], zone: { id: corp }, record: { id: web },
      chain: ['app.corp.contoso.internal', 'web.corp.contoso.internal'],
    });
  });

  it('a CNAME loop ends as unknown, not a hang', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const zone = b.privateDnsZone('loop.internal');
    b.link(zone, v);
    b.cnameRecord(zone, 'a', 'b.loop.internal');
    b.cnameRecord(zone, 'b', 'a.loop.internal');
    expect(resolveName(buildModelIndex(b.build()), v, 'a.loop.internal').kind).toBe('unknown');
  });

  it('Key Vault: vault.azure.net names are CNAMEd into privatelink.vaultcore.azure.net [PEDNS]', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const zone = b.privateDnsZone('privatelink.vaultcore.azure.net');
    b.link(zone, v);
    b.aRecord(zone, 'kv-prod', ['10.0.3.5']);
    expect(resolveName(buildModelIndex(b.build()), v, 'kv-prod.vault.azure.net')).toMatchObject({
      kind: 'private', addresses: ['10.0.3.5'], chain: ['kv-prod.vault.azure.net', 'kv-prod.privatelink.vaultcore.azure.net'],
    });
  });

  it('a name that is neither in a linked zone nor a private-link service name resolves publicly', () => {
    const { b, hub } = estate();
    expect(resolveName(buildModelIndex(b.build()), hub, 'www.example.com')).toMatchObject({ kind: 'public', chain: ['www.example.com'] });
  });

  it('a link still InProgress is not effective yet', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const zone = b.privateDnsZone('privatelink.database.windows.net');
    b.link(zone, v, { linkState: 'InProgress' });
    b.aRecord(zone, 'sql1', ['10.0.4.4']);
    expect(resolveName(buildModelIndex(b.build()), v, 'sql1.database.windows.net').kind).toBe('public');
  });

  it('zone records not captured (Resource Graph): the endpoint zone group records answer; other names are unknown, not NXDOMAIN [PEDNSI]', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const s = b.subnet(v, 'pe', '10.0.1.0/24');
    const zone = b.privateDnsZone('privatelink.blob.core.windows.net', { recordSetsCaptured: false, numberOfRecordSets: 3 });
    b.link(zone, v);
    b.privateEndpoint(s, 'pe-data', '10.0.1.9', { zoneGroup: [{ zoneId: zone, recordSetName: 'data' }] });
    const index = buildModelIndex(b.build());
    expect(resolveName(index, v, 'data.blob.core.windows.net')).toMatchObject({
      kind: 'private', addresses: ['10.0.1.9'], record: { id: `${zone}/a/data`, name: 'data' },
    });
    expect(resolveName(index, v, 'other.blob.core.windows.net').kind).toBe('unknown');
  });

  it('a VNet not in the snapshot or a non-name is unknown', () => {
    const { b } = estate();
    const index = buildModelIndex(b.build());
    expect(resolveName(index, '/subscriptions/x/resourcegroups/y/providers/microsoft.network/virtualnetworks/gone' as ResourceId, 'a.b').kind).toBe('unknown');
    expect(resolveName(index, index.model.virtualNetworks[0]?.id ?? ('' as ResourceId), 'not a name').kind).toBe('unknown');
  });
});

describe('private-link zone table [PEDNS]', () => {
  it.each([
    ['mystg.blob.core.windows.net', 'mystg.privatelink.blob.core.windows.net'],
    ['mystg.dfs.core.windows.net', 'mystg.privatelink.dfs.core.windows.net'],
    ['sql1.database.windows.net', 'sql1.privatelink.database.windows.net'],
    ['acct.documents.azure.com', 'acct.privatelink.documents.azure.com'],
    ['kv.vaultcore.azure.net', 'kv.privatelink.vaultcore.azure.net'],
    ['reg.azurecr.io', 'reg.privatelink.azurecr.io'],
    ['reg.westeurope.data.azurecr.io', 'reg.westeurope.data.privatelink.azurecr.io'],
    ['ns.servicebus.windows.net', 'ns.privatelink.servicebus.windows.net'],
    ['app.azurewebsites.net', 'app.privatelink.azurewebsites.net'],
    ['ai.cognitiveservices.azure.com', 'ai.privatelink.cognitiveservices.azure.com'],
    ['oai.openai.azure.com', 'oai.privatelink.openai.azure.com'],
    ['ws.agentsvc.azure-automation.net', 'ws.privatelink.agentsvc.azure-automation.net'],
    ['cache.redis.cache.windows.net', 'cache.privatelink.redis.cache.windows.net'],
    ['srch.search.windows.net', 'srch.privatelink.search.windows.net'],
    ['pg.postgres.database.azure.com', 'pg.privatelink.postgres.database.azure.com'],
    ['my.mysql.database.azure.com', 'my.privatelink.mysql.database.azure.com'],
  ])('%s → %s', (name, alias) => {
    const mapping = privateLinkMappingFor(name);
    expect(mapping).not.toBeNull();
    expect(mapping && privateLinkName(name, mapping)).toBe(alias);
  });
});

describe('privateEndpointForAddress [PEDNS]', () => {
  it('finds the endpoint, its target and groups from its NIC; scoped to the client VNet and the VNets it peers with', () => {
    const { b, hub, spoke, pe } = estate();
    const lonely = b.vnet('lonely', ['10.9.0.0/16']);
    const index = buildModelIndex(b.build());
    expect(privateEndpointForAddress(index, '10.0.1.4')).toMatchObject({
      privateEndpoint: { id: pe }, address: '10.0.1.4', source: 'nic', target: storageAccountId('mystg'), groupIds: ['blob'],
    });
    expect(privateEndpointForAddress(index, '10.0.1.4', hub)?.privateEndpoint.id).toBe(pe);
    expect(privateEndpointForAddress(index, '10.0.1.4', spoke)?.privateEndpoint.id).toBe(pe);
    expect(privateEndpointForAddress(index, '10.0.1.4', lonely)).toBeNull();
    expect(privateEndpointForAddress(index, '10.0.1.5')).toBeNull();
  });

  it('without the endpoint NIC in the input, its static ipConfigurations give the address', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const s = b.subnet(v, 'pe', '10.0.1.0/24');
    const pe = b.privateEndpoint(s, 'pe-sql', '10.0.1.7', { withNic: false, groupIds: ['sqlServer'] });
    expect(privateEndpointForAddress(buildModelIndex(b.build()), '10.0.1.7', v)).toMatchObject({
      privateEndpoint: { id: pe }, source: 'ip-configuration', networkInterfaceId: null, groupIds: ['sqlServer'],
    });
  });
});

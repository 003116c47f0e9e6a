/**
 * Snapshots carry private endpoints, private DNS zones and VNet DNS servers; snapshots written
 * before those were modelled still load (no endpoints, no zones, Azure-provided DNS).
 */
import { describe, expect, it } from 'vitest';
import { parseSnapshotJson } from '../../../electron/snapshot/snapshot';
import { InputError } from '../../../shared/model/errors';
import { writtenSnapshot } from '../../support/snapshot-files';
import { ModelBuilder } from '../../support/model-builder';

function roundTrip(model: unknown) {
  return parseSnapshotJson(writtenSnapshot(model, 'x.json'), 'x.snapshot.json');
}

function estate() {
  const b = new ModelBuilder();
  const v = b.vnet('hub', ['10.0.0.0/16'], { dnsServers: ['10.0.0.68'] });
  const s = b.subnet(v, 'pe', '10.0.1.0/24', { privateEndpointNetworkPolicies: 'Enabled' });
  const zone = b.privateDnsZone('privatelink.blob.core.windows.net');
  b.link(zone, v, { resolutionPolicy: 'NxDomainRedirect' });
  b.aRecord(zone, 'mystg', ['10.0.1.4']);
  b.cnameRecord(zone, 'alias', 'mystg.privatelink.blob.core.windows.net');
  b.privateEndpoint(s, 'pe-mystg', '10.0.1.4', { fqdns: ['mystg.blob.core.windows.net'], zoneGroup: [{ zoneId: zone, recordSetName: 'mystg' }] });
  return b.build();
}

describe('snapshots and private endpoints / private DNS', () => {
  it('round-trip unchanged', () => {
    const model = estate();
    expect(roundTrip(model).model).toEqual(model);
  });

  it('parse closed-union values written in other casing', () => {
    const model = JSON.parse(JSON.stringify(estate()).replace('"NxDomainRedirect"', '"nxdomainredirect"').replace('"Approved"', '"approved"')) as unknown;
    const loaded = roundTrip(model).model;
    expect(loaded.privateDnsZones[0]?.virtualNetworkLinks[0]?.resolutionPolicy).toBe('NxDomainRedirect');
    expect(loaded.privateEndpoints[0]?.connections[0]?.status).toBe('Approved');
  });

  it('older snapshots without the lists or dnsServers load with none', () => {
    const dropped = new Set(['privateEndpoints', 'privateDnsZones', 'dnsServers']);
    const older = JSON.parse(JSON.stringify(estate(), (key, value: unknown) => (dropped.has(key) ? undefined : value))) as unknown;
    const loaded = roundTrip(older).model;
    expect(loaded.privateEndpoints).toEqual([]);
    expect(loaded.privateDnsZones).toEqual([]);
    expect(loaded.virtualNetworks[0]?.dnsServers).toBeUndefined();
  });

  it('a record set of an unknown type is an InputError naming its path', () => {
    const bad = JSON.parse(JSON.stringify(estate()).replace('"recordType":"CNAME"', '"recordType":"MX"')) as unknown;
    expect(() => roundTrip(bad)).toThrow(InputError);
    expect(() => roundTrip(bad)).toThrow(/\$\.model\.privateDnsZones\[0\]\.recordSets\[\d\]\.recordType/);
  });
});

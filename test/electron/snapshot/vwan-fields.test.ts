/**
 * Snapshots and the Virtual WAN fields: a connection's "Propagate default route" may be null (not in
 * the input); connection static routes, hub route tables, hub gateways and the hub firewall's public
 * IP count are absent in snapshots written before they were modelled, and such snapshots still load.
 * [VWAN] https://learn.microsoft.com/azure/virtual-wan/how-to-routing-policies
 */
import { describe, expect, it } from 'vitest';
import { buildSnapshot, parseSnapshotJson } from '../../../electron/snapshot/snapshot';
import { SNAPSHOT_FORMAT, type SnapshotContent } from '../../../shared/model/snapshot';
import { ModelBuilder } from '../../support/model-builder';

function content(model: unknown): SnapshotContent {
  return {
    format: SNAPSHOT_FORMAT,
    metadata: { capturedAt: '2026-01-01T00:00:00.000Z', source: 'import', origin: ['vwan.json'], capturedBy: null,
      scope: { tenantId: null, subscriptionIds: [], managementGroupId: null, cloud: null }, toolVersion: '0.1.0' },
    model, effectiveRoutes: [], metrics: [], gaps: [],
  } as unknown as SnapshotContent;
}

function roundTrip(model: unknown): SnapshotContent {
  return parseSnapshotJson(JSON.parse(JSON.stringify(buildSnapshot(content(model)))) as unknown, 'vwan.snapshot.json');
}

describe('snapshots and the Virtual WAN fields', () => {
  it('a connection whose flag is null, with route tables, static routes and gateways, loads as written', () => {
    const b = new ModelBuilder();
    const spoke = b.vnet('spoke', ['10.1.0.0/16']);
    b.virtualHub('hub', { routingRead: true, connections: [{ vnetId: spoke, enableInternetSecurity: null }] });
    const hub = roundTrip(b.build()).model.virtualHubs[0];
    expect(hub?.connections[0]).toMatchObject({ enableInternetSecurity: null, staticRoutes: [] });
    expect(hub?.routeTables?.map((t) => t.name)).toEqual(['defaultRouteTable']);
    expect(hub).toMatchObject({ expressRouteGatewayId: null, vpnGatewayId: null });
  });

  it('an older snapshot (boolean flag, none of the new fields) loads with them absent (= not read)', () => {
    const b = new ModelBuilder();
    const spoke = b.vnet('spoke', ['10.1.0.0/16']);
    b.virtualHub('hub', { connections: [{ vnetId: spoke, enableInternetSecurity: true }] });
    b.firewall('fw', { hubId: b.virtualHub('hub2'), hubPrivateIp: '10.255.0.132', hubPublicIps: ['20.0.0.1'] });
    const hub = roundTrip(b.build()).model.virtualHubs.find((h) => h.name === 'hub');
    expect(hub?.connections[0]?.enableInternetSecurity).toBe(true);
    expect(hub?.connections[0]?.staticRoutes).toBeUndefined();
    expect(hub?.routeTables).toBeUndefined();
    expect(hub?.expressRouteGatewayId).toBeUndefined();
  });
});

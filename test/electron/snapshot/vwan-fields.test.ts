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

  // Pre-existing route tables, BGP peerings, NVAs in the hub and a failed connection list are kept
  // in the snapshot: without them a loaded snapshot would answer confidently where the pull did not.
  it('pre-existing route tables, BGP connections, hub NVAs, connectionsRead, nvasRead and bgpConnectionsRead false load as written', () => {
    const b = new ModelBuilder();
    const spoke = b.vnet('spoke', ['10.1.0.0/16']);
    const hubId = b.virtualHub('hub', { routingRead: true, connections: [{ vnetId: spoke, enableInternetSecurity: true }] });
    const model = b.build();
    const extra = {
      legacyRouteTables: [{ id: `${hubId}/routetable`, name: 'routeTable', routes: [{ destinations: ['0.0.0.0/0'], nextHops: ['10.3.10.5'] }] }],
      bgpConnectionIds: [`${hubId}/bgpconnections/nva-peer`],
      bgpConnections: [{ id: `${hubId}/bgpconnections/nva-peer`, name: 'nva-peer', peerIp: '10.3.10.5', peerAsn: 65010, hubVirtualNetworkConnectionId: null }],
      networkVirtualAppliances: [{ id: `${hubId.split('/virtualhubs/')[0]}/networkvirtualappliances/sdwan`, name: 'sdwan', vendor: null }],
      connectionsRead: false,
      // NVAs and BGP connections a pull could not read: still a missing fact once loaded.
      nvasRead: false,
      bgpConnectionsRead: false,
    };
    const hub = roundTrip({ ...model, virtualHubs: model.virtualHubs.map((h) => ({ ...h, ...extra })) }).model.virtualHubs[0];
    expect(hub).toMatchObject(extra);
  });

  // The route table a connection is associated with decides which table's 0.0.0.0/0 reaches it
  // [VWANROUTING] https://learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing
  it('a connection\'s associated route table loads as written; absent stays absent (= not in the input)', () => {
    const b = new ModelBuilder();
    const spoke = b.vnet('spoke', ['10.1.0.0/16']);
    const hubId = b.virtualHub('hub', { routingRead: true, connections: [{ vnetId: spoke, enableInternetSecurity: true }, { vnetId: b.vnet('other', ['10.2.0.0/16']), enableInternetSecurity: true }] });
    const model = b.build();
    const associated = `${hubId}/hubroutetables/defaultroutetable`;
    const withAssociation = model.virtualHubs.map((h) => ({ ...h, connections: h.connections.map((c, i) => (i === 0 ? { ...c, associatedRouteTableId: associated } : c)) }));
    const connections = roundTrip({ ...model, virtualHubs: withAssociation }).model.virtualHubs[0]?.connections;
    expect(connections?.[0]?.associatedRouteTableId).toBe(associated);
    expect(connections?.[1]).not.toHaveProperty('associatedRouteTableId');
  });
});

/**
 * Private endpoints reached on their service's own port (SQL 1433, PostgreSQL 5432, SMB 445, Redis
 * 6380, Service Bus AMQP 5671) while TCP 443 is denied: the usual hardening of such an endpoint.
 * `resolve --destination <name>:<port>` judges the NSGs and a firewall on the flow's own port and is
 * the reference here. `reach` judges every endpoint on TCP 443 and, where that does not reach it, on
 * its service's port by address (`flow`): an endpoint left out would read as "not reachable".
 *
 * Docs:
 *  - [PENP] https://learn.microsoft.com/azure/private-link/disable-private-endpoint-network-policy
 *    ("You can enable network policies either for network security groups only, for user-defined
 *    routes only, or for both"; a UDR at least as specific as the VNet range invalidates the /32).
 *  - [PEOV] https://learn.microsoft.com/azure/private-link/private-endpoint-overview (network
 *    security of private endpoints: with NSG network policies the subnet NSG filters traffic to the
 *    endpoint; NSG rules are port rules like any other).
 *  - Service ports: SQL TCP 1433, PostgreSQL TCP 5432, Azure Files SMB TCP 445, Redis TLS TCP 6380,
 *    Service Bus AMQP TCP 5671.
 */
import { describe, expect, it } from 'vitest';
import { resolveEgress } from '../../../shared/egress';
import type { ResolveInput } from '../../../shared/egress';
import { computeReach } from '../../../shared/egress/reach';
import type { PrivateEndpointReachEntry } from '../../../shared/egress/reach';
import { checkPolicy, parsePolicy } from '../../../shared/policy';
import type { ResourceId } from '../../../shared/model/ids';
import type { SecurityRule } from '../../../shared/model/topology';
import { ModelBuilder, networkRule, securityRule } from '../../support/model-builder';
import { hubSpokeFirewall, HUB_FIREWALL_IP } from './support';

const NOW = new Date('2026-11-26T09:00:00Z');

interface Service {
  readonly pe: string; readonly ip: string; readonly zone: string; readonly record: string; readonly name: string; readonly port: string; readonly groupId: string;
  /** The target resource, when its provider decides the port (group ID `namespace`). */
  readonly targetId?: string;
}

const SQL: Service = { pe: 'pe-sql', ip: '10.1.5.4', zone: 'privatelink.database.windows.net', record: 'sqlsrv', name: 'sqlsrv.database.windows.net', port: '1433', groupId: 'sqlServer' };
const SERVICES: readonly Service[] = [
  SQL,
  { pe: 'pe-pg', ip: '10.1.5.5', zone: 'privatelink.postgres.database.azure.com', record: 'pgsrv', name: 'pgsrv.postgres.database.azure.com', port: '5432', groupId: 'postgresqlServer' },
  { pe: 'pe-file', ip: '10.1.5.6', zone: 'privatelink.file.core.windows.net', record: 'stfiles', name: 'stfiles.file.core.windows.net', port: '445', groupId: 'file' },
  { pe: 'pe-redis', ip: '10.1.5.7', zone: 'privatelink.redis.cache.windows.net', record: 'cache1', name: 'cache1.redis.cache.windows.net', port: '6380', groupId: 'redisCache' },
  { pe: 'pe-sb', ip: '10.1.5.9', zone: 'privatelink.servicebus.windows.net', record: 'sb1', name: 'sb1.servicebus.windows.net', port: '5671', groupId: 'namespace',
    targetId: '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.ServiceBus/namespaces/sb1' },
];

/** An inbound NSG rule on TCP `port` from anywhere to anywhere. */
function inbound(name: string, priority: number, access: 'Allow' | 'Deny', port: string): SecurityRule {
  return securityRule(name, priority, access, '*', { direction: 'Inbound', protocol: 'Tcp', destinationPortRanges: [port] });
}

/** The endpoint, its privatelink zone linked to `vnet` and its A record. */
function addEndpoint(b: ModelBuilder, vnet: ResourceId, subnet: ResourceId, s: Service): ResourceId {
  const id = b.privateEndpoint(subnet, s.pe, s.ip, { fqdns: [s.name], groupIds: [s.groupId], ...(s.targetId ? { targetId: s.targetId as ResourceId } : {}) });
  const zone = b.privateDnsZone(s.zone);
  b.link(zone, vnet);
  b.aRecord(zone, s.record, [s.ip]);
  return id;
}

function input(b: ModelBuilder): ResolveInput {
  return { model: b.build(), effectiveRoutes: [], metrics: [], gaps: [] };
}

function resolveFor(inp: ResolveInput, destination: string, sourceId: string) {
  const path = resolveEgress(inp, { destination }).paths.find((p) => p.source.id === sourceId);
  if (!path) throw new Error(`no path for ${sourceId}`);
  return path;
}

function reachEntry(inp: ResolveInput, sourceId: string, endpointId: string): PrivateEndpointReachEntry | undefined {
  const source = computeReach(inp).sources.find((s) => s.source.id === sourceId);
  if (!source) throw new Error(`no reach source ${sourceId}`);
  return source.private.find((e): e is PrivateEndpointReachEntry => e.kind === 'private-endpoint' && e.endpointId === endpointId);
}

describe('reach lists a private endpoint that resolve reaches on its service port (not TCP 443)', () => {
  /**
   * Input: VNet 10.1.0.0/16; endpoint subnet `pe` (privateEndpointNetworkPolicies Enabled) whose NSG
   * allows inbound TCP <service port> and denies everything else (TCP 443 included); workload
   * subnet `app` without an NSG; one private endpoint per service with its privatelink zone linked.
   * resolve --destination <name>:<port>: private, at the endpoint (NSG nsg-pe allow rule) — right.
   * mustNotReach <name>:<port>: fails ("reaches ... private endpoint") — right.
   * reach: its TCP 443 what-if is denied by nsg-pe, so it is judged on the service's port: reached
   * there, as resolve and check say (no entry would read as "the source cannot get there").
   * [PENP] NSG network policies make the subnet NSG filter traffic to the endpoint, port by port.
   */
  it.each(SERVICES.map((s) => [s.name, s.port, s] as const))('%s: resolve :%s is private at the endpoint, reach must list it', (_name, _port, s) => {
    const b = new ModelBuilder();
    const vnet = b.vnet('vnet', ['10.1.0.0/16']);
    const nsg = b.nsg('nsg-pe', [inbound('allow-service-port', 100, 'Allow', s.port), inbound('deny-rest', 200, 'Deny', '*')]);
    const peSubnet = b.subnet(vnet, 'pe', '10.1.5.0/24', { networkSecurityGroupId: nsg, privateEndpointNetworkPolicies: 'Enabled' });
    const app = b.subnet(vnet, 'app', '10.1.1.0/24');
    const endpointId = addEndpoint(b, vnet, peSubnet, s);
    const inp = input(b);

    // resolve: the source gets to the endpoint on the service port, not on TCP 443.
    const onPort = resolveFor(inp, `${s.name}:${s.port}`, app);
    expect(onPort.verdict).toBe('private');
    expect(onPort.exit).toBe('private-endpoint');
    expect(resolveFor(inp, `${s.name}:443`, app).verdict).toBe('denied');

    // check agrees with resolve: mustNotReach on name:port fails.
    const policy = parsePolicy(['version: 1', 'controls:', '  - id: no-db', '    title: t', '    effect: deny', '    scope: { subnets: [app] }',
      `    mustNotReach: ["${s.name}:${s.port}"]`, ''].join('\n'), 'p.yaml');
    expect(checkPolicy(inp, policy, { now: NOW, destination: null }).controls[0]?.status).toBe('fail');

    // reach must not hide it (reached on the port, or "may reach").
    expect(reachEntry(inp, app, endpointId), `reach lists no entry for ${s.pe} although resolve reaches it on TCP ${s.port}`).toMatchObject({ verdict: 'private', flow: `TCP ${s.port}` });
  });

  /**
   * Input: as above for SQL, but the endpoint subnet has no NSG; the workload subnet's NSG lets out
   * TCP 1433 to the endpoint subnet and denies the rest of VirtualNetwork (an app tier allowed to
   * talk SQL only).
   * resolve sqlsrv.database.windows.net:1433: private at pe-sql (nsg-app allow-sql) — right.
   * resolve ...:443: denied by nsg-app — right.
   * reach: pe-sql reached on TCP 1433 (its service's port), TCP 443 being denied.
   */
  it('source NSG lets out only TCP 1433 to the endpoint: reach must list pe-sql', () => {
    const b = new ModelBuilder();
    const vnet = b.vnet('vnet', ['10.1.0.0/16']);
    const peSubnet = b.subnet(vnet, 'pe', '10.1.5.0/24', { privateEndpointNetworkPolicies: 'Enabled' });
    const nsgApp = b.nsg('nsg-app', [
      securityRule('allow-sql', 100, 'Allow', '10.1.5.0/24', { protocol: 'Tcp', destinationPortRanges: ['1433'] }),
      securityRule('deny-vnet', 200, 'Deny', 'VirtualNetwork'),
    ]);
    const app = b.subnet(vnet, 'app', '10.1.1.0/24', { networkSecurityGroupId: nsgApp });
    const endpointId = addEndpoint(b, vnet, peSubnet, SQL);
    const inp = input(b);

    expect(resolveFor(inp, 'sqlsrv.database.windows.net:1433', app).verdict).toBe('private');
    expect(resolveFor(inp, 'sqlsrv.privatelink.database.windows.net:1433', app).verdict).toBe('private');
    expect(resolveFor(inp, '10.1.5.4:1433', app).verdict).toBe('private');
    expect(resolveFor(inp, 'sqlsrv.database.windows.net:443', app).verdict).toBe('denied');

    expect(reachEntry(inp, app, endpointId), 'reach lists no entry for pe-sql although resolve reaches it on TCP 1433').toMatchObject({ verdict: 'private', flow: 'TCP 1433' });
  });

  /**
   * Input: hub firewall (hubSpokeFirewall) whose only network rule allows TCP 1433 to
   * 10.1.5.0/24; endpoint subnet `pe` in the spoke with privateEndpointNetworkPolicies
   * RouteTableEnabled; subnet `app`'s route table sends 0.0.0.0/0 and 10.1.5.0/24 to the firewall
   * (the UDR is more specific than the spoke's /16, so it invalidates the endpoint's /32 [PENP]).
   * resolve sqlsrv.database.windows.net:1433: UDR → firewall (rule allows) → private at pe-sql — right.
   * resolve ...:443: denied by the firewall (no rule) — right.
   * reach: pe-sql reached on TCP 1433 through the firewall.
   */
  it('UDR (RouteTableEnabled) sends the endpoint subnet through a firewall that allows only TCP 1433: reach must list pe-sql', () => {
    const { b, spoke, app } = hubSpokeFirewall([networkRule('allow-sql', { destinationAddresses: ['10.1.5.0/24'], destinationPorts: ['1433'], protocols: ['TCP'] })]);
    const peSubnet = b.subnet(spoke, 'pe', '10.1.5.0/24', { privateEndpointNetworkPolicies: 'RouteTableEnabled' });
    const endpointId = addEndpoint(b, spoke, peSubnet, SQL);
    const rt = b.routeTable('rt-app-pe', [
      { name: 'default', prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: HUB_FIREWALL_IP },
      { name: 'pe-subnet', prefix: '10.1.5.0/24', nextHopType: 'VirtualAppliance', nextHopIp: HUB_FIREWALL_IP },
    ]);
    b.updateSubnet(app, { routeTableId: rt });
    const inp = input(b);

    const sql = resolveFor(inp, 'sqlsrv.database.windows.net:1433', app);
    expect(sql.verdict).toBe('private');
    expect(sql.exit).toBe('private-endpoint');
    expect(resolveFor(inp, 'sqlsrv.database.windows.net:443', app).verdict).toBe('denied');

    expect(reachEntry(inp, app, endpointId), 'reach lists no entry for pe-sql although resolve reaches it through the firewall on TCP 1433').toMatchObject({ verdict: 'private', flow: 'TCP 1433', via: [expect.stringContaining('azurefirewalls')] });
  });
});

describe('group ID namespace: the provider decides the port', () => {
  /*
   * Azure Relay (Microsoft.Relay/namespaces) shares group ID `namespace` with Service Bus and Event
   * Hubs (azure-docs private-endpoint-dns: "Azure Relay (Microsoft.Relay/namespaces) | namespace"),
   * but is served on TCP 443 and 9350-9354, never on AMQP 5671: with TCP 443 denied it is not
   * claimed reached on 5671.
   */
  it('an Azure Relay endpoint is not judged on AMQP 5671', () => {
    const b = new ModelBuilder();
    const vnet = b.vnet('vnet', ['10.1.0.0/16']);
    const nsg = b.nsg('nsg-pe', [inbound('allow-5671', 100, 'Allow', '5671'), inbound('deny-rest', 200, 'Deny', '*')]);
    const peSubnet = b.subnet(vnet, 'pe', '10.1.5.0/24', { networkSecurityGroupId: nsg, privateEndpointNetworkPolicies: 'Enabled' });
    const app = b.subnet(vnet, 'app', '10.1.1.0/24');
    const relay = '/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg/providers/microsoft.relay/namespaces/relay1' as ResourceId;
    const endpointId = b.privateEndpoint(peSubnet, 'pe-relay', '10.1.5.9', { fqdns: ['relay1.servicebus.windows.net'], groupIds: ['namespace'], targetId: relay });
    const zone = b.privateDnsZone('privatelink.servicebus.windows.net');
    b.link(zone, vnet);
    b.aRecord(zone, 'relay1', ['10.1.5.9']);
    expect(reachEntry(input(b), app, endpointId)).toBeUndefined();
  });
});

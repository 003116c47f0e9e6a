/**
 * Destinations by name through private DNS: what a linked zone answers (custom zones, wildcards,
 * records not captured), names whose privatelink zone is scoped, answers that wait for a fact the
 * snapshot lacks, and the controls that depend on them. From the DNS / private connectivity audit
 * (each case cites the Microsoft Learn page that states Azure's behaviour):
 * [PEDNS] https://learn.microsoft.com/azure/private-link/private-endpoint-dns
 * [PEDNSI] https://learn.microsoft.com/azure/private-link/private-endpoint-dns-integration
 * [PDNSFALLBACK] https://learn.microsoft.com/azure/dns/private-dns-fallback
 * [DNSREC] https://learn.microsoft.com/azure/dns/dns-zones-records#wildcard-records
 * [PE] https://learn.microsoft.com/azure/private-link/private-endpoint-overview#network-security-of-private-endpoints
 */
import { describe, expect, it } from 'vitest';
import { resolveEgress } from '../../../shared/egress';
import { explainPath } from '../../../shared/egress/explain';
import { terminalOf } from '../../../shared/egress/steps';
import type { ResourceId } from '../../../shared/model/ids';
import { ModelBuilder, storageAccountId } from '../../support/model-builder';
import { control, input, pathFor } from '../dns/support';


/** A VNet `app` (10.1.0.0/16) whose subnet `web` goes out through a NAT gateway (20.0.0.1). */
function natVnet(b: ModelBuilder, opts: { readonly dnsServers?: readonly string[] } = {}) {
  const vnet = b.vnet('app', ['10.1.0.0/16'], opts);
  const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.0.0.1')] });
  const web = b.subnet(vnet, 'web', '10.1.1.0/24', { natGatewayId: nat });
  return { vnet, web };
}

function dnsHop(path: Parameters<typeof explainPath>[0]) {
  return explainPath(path).find((h) => h.kind === 'dns');
}

describe('custom DNS servers and --resolve', () => {
  /*
   * With custom DNS servers the answer is whatever those servers do (AD DNS with conditional
   * forwarders, on-premises DNS) [PEDNSI]
   * https://learn.microsoft.com/azure/virtual-network/virtual-networks-name-resolution-for-vms-and-role-instances#name-resolution-that-uses-your-own-dns-server
   * `--resolve name=ip` is the user's explicit statement of the answer, so the verdict follows it;
   * the DNS hop says that the VNet's servers (named) may answer otherwise.
   */
  it('the user\'s --resolve answer is used, and the DNS hop names the custom DNS servers that may answer otherwise', () => {
    const b = new ModelBuilder();
    const { web } = natVnet(b, { dnsServers: ['10.50.0.4', '10.50.0.5'] });
    const path = pathFor(resolveEgress(input(b.build()), { destination: 'payments.contoso.com', resolve: { 'payments.contoso.com': '52.1.2.3' } }), web);
    expect(path.verdict).toBe('internet');
    const dns = dnsHop(path);
    expect(dns?.rule).toBe('payments.contoso.com → 52.1.2.3 (given)');
    expect(dns?.explanation).toContain('custom DNS servers (10.50.0.4, 10.50.0.5), which may answer otherwise');
    expect(dns?.explanation).toContain('the answer used is the one given with --resolve');
  });
});

describe('what a linked private zone answers', () => {
  /*
   * A private DNS zone linked to the VNet is authoritative for its namespace there: a name under it
   * without a record gets NXDOMAIN. Fallback to public resolution exists only as the link's
   * `resolutionPolicy: NxDomainRedirect`, "only applicable for virtual network links to privatelink
   * zones" [PDNSFALLBACK]. `contoso.com` is a custom zone whose records were read and it has no
   * `api` record: clients in the VNet get NXDOMAIN and never connect, as for a privatelink zone.
   */
  it('a custom (non-privatelink) linked zone without the record answers NXDOMAIN: not the internet', () => {
    const b = new ModelBuilder();
    const { vnet, web } = natVnet(b);
    const zone = b.privateDnsZone('contoso.com');
    b.link(zone, vnet);
    b.aRecord(zone, 'www', ['10.1.9.9']);
    const path = pathFor(resolveEgress(input(b.build()), { destination: 'api.contoso.com' }), web);
    expect(path.verdict).toBe('dropped');
    expect(terminalOf(path.steps).reason.kind).toBe('name-not-resolved');
    expect(explainPath(path).at(-1)?.explanation).toContain('a custom zone never falls back to internet resolution');
  });

  it('even with NxDomainRedirect on its link, a custom zone without the record is NXDOMAIN [PDNSFALLBACK]', () => {
    const b = new ModelBuilder();
    const { vnet, web } = natVnet(b);
    const zone = b.privateDnsZone('corp.contoso.internal');
    b.link(zone, vnet, { resolutionPolicy: 'NxDomainRedirect' });
    b.aRecord(zone, 'www', ['10.1.9.9']);
    const path = pathFor(resolveEgress(input(b.build()), { destination: 'api.corp.contoso.internal' }), web);
    expect(path.verdict).toBe('dropped');
  });

  /*
   * "Wildcard records are returned in response to any query with a matching name, unless there's a
   * closer match from a non-wildcard record set" [DNSREC]; Microsoft's own setup for an internal
   * App Service Environment is an A record `*` in a private zone
   * https://learn.microsoft.com/azure/app-service/environment/networking#dns
   */
  it('a wildcard A record in a linked zone answers the names under it', () => {
    const b = new ModelBuilder();
    const { vnet, web } = natVnet(b);
    b.subnet(vnet, 'apps', '10.1.7.0/24');
    const zone = b.privateDnsZone('apps.contoso.internal');
    b.link(zone, vnet);
    b.aRecord(zone, '*', ['10.1.7.10']);
    const path = pathFor(resolveEgress(input(b.build()), { destination: 'orders.apps.contoso.internal' }), web);
    expect(path.verdict).toBe('private');
    expect(dnsHop(path)?.rule).toContain('10.1.7.10');
  });

  it('an exact record wins over the wildcard [DNSREC]', () => {
    const b = new ModelBuilder();
    const { vnet, web } = natVnet(b);
    const zone = b.privateDnsZone('apps.contoso.internal');
    b.link(zone, vnet);
    b.aRecord(zone, '*', ['10.1.7.10']);
    b.aRecord(zone, 'billing', ['10.1.7.20']);
    const path = pathFor(resolveEgress(input(b.build()), { destination: 'billing.apps.contoso.internal' }), web);
    expect(dnsHop(path)?.rule).toBe('billing.apps.contoso.internal → 10.1.7.20 (private DNS zone apps.contoso.internal)');
  });

  /*
   * The zone is linked to the VNet but its record sets were not exported, and the snapshot has a
   * private endpoint serving exactly this name. Azure DNS answers from the linked zone, not from
   * public DNS [PEDNSI]: the answer is the zone's record, which the snapshot lacks.
   */
  it('a linked zone whose records were not captured, with a known endpoint for the name: unknown, naming the missing records', () => {
    const b = new ModelBuilder();
    const { vnet, web } = natVnet(b);
    const pe = b.subnet(vnet, 'pe', '10.1.5.0/24');
    b.privateEndpoint(pe, 'pe-mystg', '10.1.5.4', { fqdns: ['mystg.blob.core.windows.net'], targetId: storageAccountId('mystg') });
    const zone = b.privateDnsZone('privatelink.blob.core.windows.net', { recordSetsCaptured: false, numberOfRecordSets: 4 });
    b.link(zone, vnet);
    const result = resolveEgress(input(b.build()), { destination: 'mystg.blob.core.windows.net', resolve: { 'mystg.blob.core.windows.net': '52.1.2.3' } });
    const path = pathFor(result, web);
    expect(path.verdict).toBe('unknown');
    expect(terminalOf(path.steps).reason).toMatchObject({ kind: 'undecided', resourceId: zone });
    const gap = result.gaps.find((g) => g.scope === zone)?.message ?? '';
    expect(gap).toContain('the record sets of private DNS zone privatelink.blob.core.windows.net (it reports 4 record sets)');
    expect(gap).toContain('private endpoint pe-mystg (10.1.5.4) serves mystg.blob.core.windows.net');
  });

  it('a linked custom zone whose records were not captured: unknown, not the public path', () => {
    const b = new ModelBuilder();
    const { vnet, web } = natVnet(b);
    const zone = b.privateDnsZone('corp.contoso.internal', { recordSetsCaptured: false, numberOfRecordSets: 12 });
    b.link(zone, vnet);
    const path = pathFor(resolveEgress(input(b.build()), { destination: 'api.corp.contoso.internal' }), web);
    expect(path.verdict).toBe('unknown');
  });
});

describe('service names whose privatelink zone is not `privatelink.` + the public suffix [PEDNS]', () => {
  function sqlEstate() {
    const b = new ModelBuilder();
    const { vnet, web } = natVnet(b);
    const peSubnet = b.subnet(vnet, 'pe', '10.1.5.0/24');
    b.privateEndpoint(peSubnet, 'pe-sqlmi', '10.1.5.10', {
      targetId: '/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/rg-net/providers/microsoft.sql/managedinstances/sqlmi-core' as ResourceId,
      groupIds: ['managedInstance'], fqdns: ['sqlmi-core.a1b2c3d4e5f6.database.windows.net'],
    });
    const sqlDb = b.privateDnsZone('privatelink.database.windows.net');
    b.link(sqlDb, vnet);
    b.aRecord(sqlDb, 'sql-other', ['10.1.5.20']);
    const mi = b.privateDnsZone('privatelink.a1b2c3d4e5f6.database.windows.net');
    b.link(mi, vnet);
    b.aRecord(mi, 'sqlmi-core', ['10.1.5.10']);
    return { model: b.build(), web, mi };
  }

  /*
   * Azure SQL Managed Instance: zone `privatelink.{dnsPrefix}.database.windows.net`, public name
   * `{instanceName}.{dnsPrefix}.database.windows.net` (Databases table of [PEDNS])
   * https://learn.microsoft.com/azure/private-link/private-endpoint-dns#databases
   */
  it('SQL Managed Instance names resolve through privatelink.{dnsPrefix}.database.windows.net', () => {
    const { model, web, mi } = sqlEstate();
    const path = pathFor(resolveEgress(input(model), { destination: 'sqlmi-core.a1b2c3d4e5f6.database.windows.net:1433' }), web);
    expect(path.verdict).toBe('private');
    expect(dnsHop(path)?.id).toBe(mi);
    const c = control(model, '    scope: { subnets: [web] }\n    mustNotReach: ["sqlmi-core.a1b2c3d4e5f6.database.windows.net:1433"]\n');
    expect(c.status).toBe('fail');
  });

  it('a SQL Database server name still resolves through privatelink.database.windows.net', () => {
    const { model, web } = sqlEstate();
    const path = pathFor(resolveEgress(input(model), { destination: 'sql-other.database.windows.net:1433' }), web);
    expect(dnsHop(path)?.rule).toBe('sql-other.database.windows.net → 10.1.5.20 (private DNS zone privatelink.database.windows.net)');
  });

  /*
   * Azure Data Explorer: zone `privatelink.{regionName}.kusto.windows.net`, public zone
   * `{regionName}.kusto.windows.net` https://learn.microsoft.com/azure/private-link/private-endpoint-dns#analytics
   */
  it('Azure Data Explorer names resolve through the linked privatelink.{region}.kusto.windows.net zone', () => {
    const b = new ModelBuilder();
    const { vnet, web } = natVnet(b);
    const peSubnet = b.subnet(vnet, 'pe', '10.1.5.0/24');
    b.privateEndpoint(peSubnet, 'pe-adx', '10.1.5.30', {
      targetId: '/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/rg-net/providers/microsoft.kusto/clusters/adxprod' as ResourceId,
      groupIds: ['cluster'], fqdns: ['adxprod.westeurope.kusto.windows.net'],
    });
    const zone = b.privateDnsZone('privatelink.westeurope.kusto.windows.net');
    b.link(zone, vnet);
    b.aRecord(zone, 'adxprod', ['10.1.5.30']);
    const path = pathFor(resolveEgress(input(b.build()), { destination: 'adxprod.westeurope.kusto.windows.net' }), web);
    expect(path.verdict).toBe('private');
  });

  /*
   * AKS private clusters use `privatelink.{region}.azmk8s.io`, which this tool's table does not map
   * (the record layout varies). With such a zone linked, a `*.westeurope.azmk8s.io` name may be
   * CNAMEd into it by public DNS: not a confident "public".
   */
  it('a name under a linked privatelink zone the table does not map (AKS) is unknown, not public', () => {
    const b = new ModelBuilder();
    const { vnet, web } = natVnet(b);
    const zone = b.privateDnsZone('privatelink.westeurope.azmk8s.io');
    b.link(zone, vnet);
    b.aRecord(zone, 'aks-core-1a2b3c4d.5e6f', ['10.1.5.40']);
    const result = resolveEgress(input(b.build()), { destination: 'aks-core-1a2b3c4d.hcp.westeurope.azmk8s.io' });
    const path = pathFor(result, web);
    expect(path.verdict).toBe('unknown');
    expect(terminalOf(path.steps).reason).toMatchObject({ kind: 'undecided', resourceId: zone });
  });

  it('a region-scoped variant of a mapped zone (Batch) linked without the mapped one: unknown, not public', () => {
    const b = new ModelBuilder();
    const { vnet, web } = natVnet(b);
    const zone = b.privateDnsZone('privatelink.westeurope.batch.azure.com');
    b.link(zone, vnet);
    const path = pathFor(resolveEgress(input(b.build()), { destination: 'mybatch.westeurope.batch.azure.com' }), web);
    expect(path.verdict).toBe('unknown');
  });

  it('an unrelated linked privatelink zone does not make other names unknown', () => {
    const b = new ModelBuilder();
    const { vnet, web } = natVnet(b);
    b.link(b.privateDnsZone('privatelink.westeurope.azmk8s.io'), vnet);
    b.link(b.privateDnsZone('privatelink.blob.core.windows.net'), vnet);
    const result = resolveEgress(input(b.build()), { destination: 'api.stripe.com' });
    expect(pathFor(result, web).verdict).toBe('internet');
  });
});

describe('controls that depend on the answer', () => {
  /*
   * The linked privatelink zone has no record for starchive and the snapshot has no private
   * endpoint for it. Public DNS CNAMEs the name into privatelink only when the resource has private
   * endpoint connections; then the linked zone answers NXDOMAIN ("Private networks already using
   * the private DNS zone for a given type can only connect to public resources if they don't have
   * any private endpoint connections") [PEDNS]. Whether it has such connections outside the
   * snapshot is not known: unknown, and mustReach does not pass.
   */
  it('mustReach does not pass when the name may not resolve at all (linked privatelink zone, no record)', () => {
    const b = new ModelBuilder();
    const { vnet } = natVnet(b);
    const zone = b.privateDnsZone('privatelink.blob.core.windows.net');
    b.link(zone, vnet);
    b.aRecord(zone, 'stother', ['10.1.5.9']);
    const c = control(b.build(), '    scope: { subnets: [web] }\n    mustReach: [starchive.blob.core.windows.net]\n');
    expect(c.status).toBe('fail');
  });

  it('that case with --resolve: the user\'s answer is used, and the DNS hop says the name may not resolve at all', () => {
    const b = new ModelBuilder();
    const { vnet, web } = natVnet(b);
    const zone = b.privateDnsZone('privatelink.blob.core.windows.net');
    b.link(zone, vnet);
    b.aRecord(zone, 'stother', ['10.1.5.9']);
    const path = pathFor(resolveEgress(input(b.build()), { destination: 'starchive.blob.core.windows.net', resolve: { 'starchive.blob.core.windows.net': '20.60.1.1' } }), web);
    expect(path.verdict).toBe('internet');
    expect(dnsHop(path)?.explanation).toContain('not at all (NXDOMAIN) if it has some elsewhere; the answer used is the one given with --resolve');
  });

  /*
   * A private endpoint "maps to an instance of a PaaS resource instead of the entire service"; "the
   * platform validates network connections, allowing only those that reach the specified
   * private-link resource" [PE]. The zone's `mystg` record points at 10.1.5.7, the endpoint of a
   * different storage account (otherstg). What happens to traffic for mystg there is not
   * documented: unknown, naming both, and privateOnly does not pass.
   */
  it('privateOnly does not pass when the name resolves to the private endpoint of another resource', () => {
    const b = new ModelBuilder();
    const { vnet, web } = natVnet(b);
    const peSubnet = b.subnet(vnet, 'pe', '10.1.5.0/24');
    const pe = b.privateEndpoint(peSubnet, 'pe-otherstg', '10.1.5.7', { targetId: storageAccountId('otherstg'), groupIds: ['blob'], fqdns: ['otherstg.blob.core.windows.net'] });
    const zone = b.privateDnsZone('privatelink.blob.core.windows.net');
    b.link(zone, vnet);
    b.aRecord(zone, 'otherstg', ['10.1.5.7']);
    b.aRecord(zone, 'mystg', ['10.1.5.7']);
    const model = b.build();
    const c = control(model, '    scope: { subnets: [web] }\n    privateOnly: [mystg.blob.core.windows.net]\n');
    expect(c.status).toBe('fail');
    const result = resolveEgress(input(model), { destination: 'mystg.blob.core.windows.net' });
    const path = pathFor(result, web);
    expect(path.verdict).toBe('unknown');
    expect(terminalOf(path.steps).reason).toMatchObject({ kind: 'undecided', resourceId: pe });
    const gap = result.gaps.find((g) => g.scope === pe)?.message ?? '';
    expect(gap).toContain('mystg.blob.core.windows.net');
    expect(gap).toContain('otherstg.blob.core.windows.net');
    // The endpoint's own name still resolves to it: private.
    expect(pathFor(resolveEgress(input(model), { destination: 'otherstg.blob.core.windows.net' }), web).verdict).toBe('private');
  });

  it('a record pointing at the endpoint of another resource, known by its target when the endpoint lists no names', () => {
    const b = new ModelBuilder();
    const { vnet, web } = natVnet(b);
    const peSubnet = b.subnet(vnet, 'pe', '10.1.5.0/24');
    b.privateEndpoint(peSubnet, 'pe-otherstg', '10.1.5.7', { targetId: storageAccountId('otherstg'), groupIds: ['blob'] });
    b.privateEndpoint(peSubnet, 'pe-mystg', '10.1.5.8', { targetId: storageAccountId('mystg'), groupIds: ['blob'], fqdns: ['mystg.blob.core.windows.net'] });
    const zone = b.privateDnsZone('privatelink.blob.core.windows.net');
    b.link(zone, vnet);
    b.aRecord(zone, 'mystg', ['10.1.5.7']);
    const path = pathFor(resolveEgress(input(b.build()), { destination: 'mystg.blob.core.windows.net' }), web);
    expect(path.verdict).toBe('unknown');
  });
});

/**
 * Public service suffixes and the privatelink zones their names are CNAMEd into when the resource
 * has private endpoint connections, per Microsoft Learn "Azure Private Endpoint private DNS zone
 * values" [PEDNS] https://learn.microsoft.com/azure/private-link/private-endpoint-dns
 * (public cloud; the Government and China clouds use other zone names and are not listed).
 *
 * `mystg.blob.core.windows.net` CNAME `mystg.privatelink.blob.core.windows.net`: the label before
 * the public suffix is kept and the suffix replaced by the privatelink zone. Key Vault is the one
 * listed service whose zone is not `privatelink.` + its suffix: `vault.azure.net` names go to
 * `privatelink.vaultcore.azure.net`.
 *
 * Scoped zones put a label of the name into the zone: SQL Managed Instance
 * `{instance}.{dnsPrefix}.database.windows.net` → zone `privatelink.{dnsPrefix}.database.windows.net`
 * (record `{instance}`), Azure Data Explorer `{cluster}.{region}.kusto.windows.net` → zone
 * `privatelink.{region}.kusto.windows.net` [PEDNS] (Databases, Analytics).
 *
 * Other zones of that page whose names this table does not map with certainty (AKS
 * `privatelink.{region}.azmk8s.io`, Backup `privatelink.{region}.backup.windowsazure.com`, Site
 * Recovery `{region}.privatelink.siterecovery.windowsazure.com`, Container Apps, Static Web Apps,
 * zones of services added later): a name they may hold is not answered "public" when such a zone
 * is linked (see `privateLinkZoneMayHold`), since public DNS may CNAME it there.
 */

export interface PrivateLinkZoneMapping {
  /** The service's public DNS suffix, e.g. `blob.core.windows.net`. */
  readonly publicSuffix: string;
  /**
   * The private DNS zone Azure DNS consults for it, e.g. `privatelink.blob.core.windows.net`; for a
   * scoped mapping the zone's pattern (`privatelink.{region}.kusto.windows.net`), words only: the
   * zone of one name is `privateLinkZoneOf`.
   */
  readonly privateLinkZone: string;
  /** For explanations. */
  readonly service: string;
  /**
   * `fixed`: the labels before the suffix are kept, the zone is `privateLinkZone`. `scoped`: the
   * label right before the suffix (`{region}`, `{dnsPrefix}`) is part of the zone:
   * `{name}.{scope}.{suffix}` → `{name}.privatelink.{scope}.{suffix}` in zone `privatelink.{scope}.{suffix}`.
   */
  readonly layout: 'fixed' | 'scoped';
  /**
   * How many labels the service's names have before the suffix, where services share a suffix
   * (SQL Database `{server}` = 1, SQL Managed Instance `{instance}.{dnsPrefix}` = 2); null when any number of labels is one of the service's.
   */
  readonly labels: number | null;
}

function same(publicSuffix: string, service: string, labels: number | null = null): PrivateLinkZoneMapping {
  return { publicSuffix, privateLinkZone: `privatelink.${publicSuffix}`, service, layout: 'fixed', labels };
}

function scoped(publicSuffix: string, scope: string, service: string): PrivateLinkZoneMapping {
  return { publicSuffix, privateLinkZone: `privatelink.{${scope}}.${publicSuffix}`, service, layout: 'scoped', labels: 2 };
}

export const PRIVATE_LINK_ZONES: readonly PrivateLinkZoneMapping[] = [
  // Storage (blob, file, queue, table, Data Lake Gen2, static website)
  same('blob.core.windows.net', 'Storage (blob)'),
  same('file.core.windows.net', 'Storage (file)'),
  same('queue.core.windows.net', 'Storage (queue)'),
  same('table.core.windows.net', 'Storage (table)'),
  same('dfs.core.windows.net', 'Storage (Data Lake Gen2)'),
  same('web.core.windows.net', 'Storage (static website)'),
  // Databases
  // A SQL Database server name is one label; a managed instance's is `{instance}.{dnsPrefix}` [PEDNS].
  same('database.windows.net', 'Azure SQL Database', 1),
  scoped('database.windows.net', 'dnsPrefix', 'Azure SQL Managed Instance'),
  same('sql.azuresynapse.net', 'Synapse SQL'),
  same('dev.azuresynapse.net', 'Synapse development'),
  same('documents.azure.com', 'Cosmos DB (NoSQL)'),
  same('mongo.cosmos.azure.com', 'Cosmos DB for MongoDB'),
  same('cassandra.cosmos.azure.com', 'Cosmos DB for Apache Cassandra'),
  same('gremlin.cosmos.azure.com', 'Cosmos DB for Apache Gremlin'),
  same('table.cosmos.azure.com', 'Cosmos DB for Table'),
  same('postgres.database.azure.com', 'Azure Database for PostgreSQL'),
  same('mysql.database.azure.com', 'Azure Database for MySQL'),
  same('mariadb.database.azure.com', 'Azure Database for MariaDB'),
  same('redis.cache.windows.net', 'Azure Cache for Redis'),
  same('redisenterprise.cache.azure.net', 'Azure Cache for Redis Enterprise'),
  // Secrets and containers
  { publicSuffix: 'vault.azure.net', privateLinkZone: 'privatelink.vaultcore.azure.net', service: 'Key Vault', layout: 'fixed', labels: null },
  same('vaultcore.azure.net', 'Key Vault'),
  same('managedhsm.azure.net', 'Key Vault Managed HSM'),
  same('azurecr.io', 'Container Registry'),
  same('azconfig.io', 'App Configuration'),
  // Messaging and integration
  same('servicebus.windows.net', 'Service Bus / Event Hubs / Relay'),
  same('eventgrid.azure.net', 'Event Grid'),
  same('azure-devices.net', 'IoT Hub'),
  same('service.signalr.net', 'SignalR'),
  same('azure-api.net', 'API Management'),
  same('datafactory.azure.net', 'Data Factory'),
  same('adf.azure.com', 'Data Factory (portal)'),
  // Web and AI
  same('azurewebsites.net', 'App Service / Functions'),
  same('cognitiveservices.azure.com', 'Azure AI services'),
  same('openai.azure.com', 'Azure OpenAI'),
  same('search.windows.net', 'Azure AI Search'),
  same('api.azureml.ms', 'Azure Machine Learning'),
  same('notebooks.azure.net', 'Azure Machine Learning notebooks'),
  same('azuredatabricks.net', 'Azure Databricks'),
  // Analytics: cluster `{cluster}.{region}.kusto.windows.net` (and `ingest-{cluster}.{region}`) [PEDNS].
  scoped('kusto.windows.net', 'regionName', 'Azure Data Explorer'),
  // Monitoring and management
  same('monitor.azure.com', 'Azure Monitor'),
  same('oms.opinsights.azure.com', 'Azure Monitor (Log Analytics)'),
  same('ods.opinsights.azure.com', 'Azure Monitor (Log Analytics ingestion)'),
  same('agentsvc.azure-automation.net', 'Azure Monitor (agent service)'),
  same('azure-automation.net', 'Azure Automation'),
  same('purview.azure.com', 'Microsoft Purview'),
  same('batch.azure.com', 'Azure Batch'),
  same('afs.azure.net', 'Azure File Sync'),
  same('digitaltwins.azure.net', 'Azure Digital Twins'),
];

/** Longest suffix first, so `agentsvc.azure-automation.net` wins over `azure-automation.net`. */
const BY_LENGTH: readonly PrivateLinkZoneMapping[] = [...PRIVATE_LINK_ZONES].sort((a, b) => b.publicSuffix.length - a.publicSuffix.length);

function isUnder(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}

/** The labels of `name` before `.suffix` (empty when the name is not strictly under it). */
function labelsBefore(name: string, suffix: string): readonly string[] {
  if (!name.endsWith(`.${suffix}`)) return [];
  const rest = name.slice(0, name.length - suffix.length - 1);
  return rest === '' ? [] : rest.split('.');
}

/** Where a name sits for a mapping: its public form, its privatelink form, or neither. */
function placeOf(name: string, mapping: PrivateLinkZoneMapping): { readonly form: 'public' | 'private-link'; readonly zone: string; readonly record: readonly string[] } | null {
  const labels = labelsBefore(name, mapping.publicSuffix);
  if (mapping.layout === 'fixed') {
    if (isUnder(name, mapping.privateLinkZone)) return { form: 'private-link', zone: mapping.privateLinkZone, record: labelsBefore(name, mapping.privateLinkZone) };
    if (labels.length === 0 || (mapping.labels !== null && labels.length !== mapping.labels)) return null;
    return { form: 'public', zone: mapping.privateLinkZone, record: labels };
  }
  // Scoped: `{record}.privatelink.{scope}.{suffix}` or `{record}.{scope}.{suffix}`.
  const scope = labels[labels.length - 1];
  if (scope === undefined) return null;
  const zone = `privatelink.${scope}.${mapping.publicSuffix}`;
  if (labels.length >= 3 && labels[labels.length - 2] === 'privatelink') return { form: 'private-link', zone, record: labels.slice(0, -2) };
  if (mapping.labels !== null && labels.length !== mapping.labels) return null;
  if (labels.includes('privatelink')) return null;
  return { form: 'public', zone, record: labels.slice(0, -1) };
}

/** The mapping whose public suffix (or privatelink zone) the name sits under; null for other names. */
export function privateLinkMappingFor(name: string): PrivateLinkZoneMapping | null {
  for (const mapping of BY_LENGTH) {
    if (placeOf(name, mapping) !== null) return mapping;
  }
  return null;
}

/**
 * The privatelink zone that holds the name's record for this mapping:
 * `sqlmi.a1b2.database.windows.net` → `privatelink.a1b2.database.windows.net`. Null when the name
 * is not one of the mapping's.
 */
export function privateLinkZoneOf(name: string, mapping: PrivateLinkZoneMapping): string | null {
  return placeOf(name, mapping)?.zone ?? null;
}

/**
 * The name the public CNAME points at: `mystg.blob.core.windows.net` →
 * `mystg.privatelink.blob.core.windows.net`. A name already in the privatelink zone is returned
 * as it is; null when the name is not a service name of the mapping (the bare suffix).
 */
export function privateLinkName(name: string, mapping: PrivateLinkZoneMapping): string | null {
  const place = placeOf(name, mapping);
  if (place === null) return null;
  if (place.form === 'private-link') return name;
  return place.record.length === 0 ? null : `${place.record.join('.')}.${place.zone}`;
}

/** Whether a zone is a private-link zone (`privatelink.` anywhere in it): NxDomainRedirect applies only to those [PDNSFALLBACK]. */
export function isPrivateLinkZoneName(zoneName: string): boolean {
  return zoneName.split('.').includes('privatelink');
}

/**
 * Public suffixes whose privatelink zone is not `privatelink.` + something above the name, from
 * [PEDNS]: Site Recovery names `{region}.hypervrecoverymanager.windowsazure.com` resolve through
 * `{region}.privatelink.siterecovery.windowsazure.com`. Not mapped (the record layout is not
 * documented), only recognised, so a linked such zone makes the answer unknown.
 */
const UNMAPPED_PRIVATE_LINK: readonly { readonly publicSuffix: string; readonly zoneSuffix: string; readonly service: string }[] = [
  { publicSuffix: 'hypervrecoverymanager.windowsazure.com', zoneSuffix: 'privatelink.siterecovery.windowsazure.com', service: 'Azure Site Recovery' },
];

/**
 * Whether public DNS may CNAME `name` into the linked privatelink zone `zoneName` although the table
 * above does not send it there. Azure's pattern is `{name}.privatelink.{public zone}` [PEDNS]: a
 * zone `privatelink.westeurope.azmk8s.io` (or `{sub}.privatelink.westeurope.azmk8s.io`) may hold
 * what `*.westeurope.azmk8s.io` names are CNAMEd to. For a name the table maps, only a zone more
 * specific than the mapping's suffix counts (a region-scoped variant: `privatelink.westeurope.batch.azure.com`
 * for `batch.azure.com`), not a broader one (`privatelink.azure.com` does not hold `documents.azure.com` names).
 */
export function privateLinkZoneMayHold(zoneName: string, name: string): boolean {
  const labels = zoneName.split('.');
  const at = labels.indexOf('privatelink');
  if (at < 0) return false;
  if (UNMAPPED_PRIVATE_LINK.some((u) => isUnder(zoneName, u.zoneSuffix) && name.endsWith(`.${u.publicSuffix}`))) return true;
  const above = labels.slice(at + 1).join('.');
  // A zone `privatelink.net` would claim a whole top-level domain: at least two labels above `privatelink`.
  if (above.split('.').length < 2 || !name.endsWith(`.${above}`)) return false;
  const mapping = privateLinkMappingFor(name);
  if (mapping === null) return true;
  // The name's own zone (a scoped mapping's `privatelink.{region}.kusto.windows.net`) is not another zone.
  return privateLinkZoneOf(name, mapping) !== zoneName && above.endsWith(`.${mapping.publicSuffix}`);
}

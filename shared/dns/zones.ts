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
  /**
   * The service endpoints (service names, lower case) whose routes carry the service's public
   * addresses: "the same prefixes as the service tag" of the endpoint's service, which the [SE]
   * list names per service (Azure Database for PostgreSQL / MySQL / MariaDB and Synapse dedicated
   * SQL pools under Microsoft.Sql, every Cosmos DB API under Microsoft.AzureCosmosDB, Azure OpenAI
   * under Microsoft.CognitiveServices) https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoints-overview
   * Absent: no service endpoint carries it.
   */
  readonly serviceEndpoints?: readonly string[];
  /**
   * Set when a name under the suffix does not tell which of `serviceEndpoints` (if any) carries
   * its address: what the name leaves open, in words. Such a name over one of those endpoints is
   * unknown, never private.
   */
  readonly serviceEndpointUnattributed?: string;
}

function same(publicSuffix: string, service: string, labels: number | null = null): PrivateLinkZoneMapping {
  return { publicSuffix, privateLinkZone: `privatelink.${publicSuffix}`, service, layout: 'fixed', labels };
}

function scoped(publicSuffix: string, scope: string, service: string): PrivateLinkZoneMapping {
  return { publicSuffix, privateLinkZone: `privatelink.{${scope}}.${publicSuffix}`, service, layout: 'scoped', labels: 2 };
}

/** A mapping whose names a service endpoint for one of `services` carries (see `serviceEndpoints`). */
function carried(mapping: PrivateLinkZoneMapping, services: readonly string[]): PrivateLinkZoneMapping {
  return { ...mapping, serviceEndpoints: services };
}

const STORAGE_ENDPOINTS: readonly string[] = ['microsoft.storage', 'microsoft.storage.global'];
const SQL_ENDPOINT: readonly string[] = ['microsoft.sql'];
const COSMOS_ENDPOINT: readonly string[] = ['microsoft.azurecosmosdb'];

export const PRIVATE_LINK_ZONES: readonly PrivateLinkZoneMapping[] = [
  // Storage (blob, file, queue, table, Data Lake Gen2, static website)
  carried(same('blob.core.windows.net', 'Storage (blob)'), STORAGE_ENDPOINTS),
  carried(same('file.core.windows.net', 'Storage (file)'), STORAGE_ENDPOINTS),
  carried(same('queue.core.windows.net', 'Storage (queue)'), STORAGE_ENDPOINTS),
  carried(same('table.core.windows.net', 'Storage (table)'), STORAGE_ENDPOINTS),
  carried(same('dfs.core.windows.net', 'Storage (Data Lake Gen2)'), STORAGE_ENDPOINTS),
  carried(same('web.core.windows.net', 'Storage (static website)'), STORAGE_ENDPOINTS),
  // Databases
  // A SQL Database server name is one label; a managed instance's is `{instance}.{dnsPrefix}` [PEDNS].
  carried(same('database.windows.net', 'Azure SQL Database', 1), SQL_ENDPOINT),
  scoped('database.windows.net', 'dnsPrefix', 'Azure SQL Managed Instance'),
  carried(same('sql.azuresynapse.net', 'Synapse SQL'), SQL_ENDPOINT),
  same('dev.azuresynapse.net', 'Synapse development'),
  carried(same('documents.azure.com', 'Cosmos DB (NoSQL)'), COSMOS_ENDPOINT),
  carried(same('mongo.cosmos.azure.com', 'Cosmos DB for MongoDB'), COSMOS_ENDPOINT),
  carried(same('cassandra.cosmos.azure.com', 'Cosmos DB for Apache Cassandra'), COSMOS_ENDPOINT),
  carried(same('gremlin.cosmos.azure.com', 'Cosmos DB for Apache Gremlin'), COSMOS_ENDPOINT),
  carried(same('table.cosmos.azure.com', 'Cosmos DB for Table'), COSMOS_ENDPOINT),
  carried(same('postgres.database.azure.com', 'Azure Database for PostgreSQL'), SQL_ENDPOINT),
  carried(same('mysql.database.azure.com', 'Azure Database for MySQL'), SQL_ENDPOINT),
  carried(same('mariadb.database.azure.com', 'Azure Database for MariaDB'), SQL_ENDPOINT),
  same('redis.cache.windows.net', 'Azure Cache for Redis'),
  same('redisenterprise.cache.azure.net', 'Azure Cache for Redis Enterprise'),
  // Secrets and containers
  { publicSuffix: 'vault.azure.net', privateLinkZone: 'privatelink.vaultcore.azure.net', service: 'Key Vault', layout: 'fixed', labels: null, serviceEndpoints: ['microsoft.keyvault'] },
  same('vaultcore.azure.net', 'Key Vault'),
  same('managedhsm.azure.net', 'Key Vault Managed HSM'),
  carried(same('azurecr.io', 'Container Registry'), ['microsoft.containerregistry']),
  same('azconfig.io', 'App Configuration'),
  // Messaging and integration
  // One suffix for Service Bus, Event Hubs and Relay namespaces of every tier, while "the endpoint is
  // restricted to Premium tier namespaces only" [SBSE] https://learn.microsoft.com/azure/service-bus-messaging/service-bus-service-endpoints
  // and the ServiceBus tag holds "Azure Service Bus traffic that uses the Premium service tier" [TAG]
  // https://learn.microsoft.com/azure/virtual-network/service-tags-overview: the name does not say
  // which service or tier, so not whether either endpoint carries it.
  { ...carried(same('servicebus.windows.net', 'Service Bus / Event Hubs / Relay'), ['microsoft.servicebus', 'microsoft.eventhub']),
    serviceEndpointUnattributed: 'whether the namespace is a Premium Service Bus namespace (the only tier the Microsoft.ServiceBus endpoint carries), an Event Hubs namespace (the Microsoft.EventHub endpoint), or a Standard / Basic Service Bus or a Relay namespace (no endpoint is documented for them): each is named <namespace>.servicebus.windows.net' },
  same('eventgrid.azure.net', 'Event Grid'),
  same('azure-devices.net', 'IoT Hub'),
  same('service.signalr.net', 'SignalR'),
  same('azure-api.net', 'API Management'),
  same('datafactory.azure.net', 'Data Factory'),
  same('adf.azure.com', 'Data Factory (portal)'),
  // Web and AI
  carried(same('azurewebsites.net', 'App Service / Functions'), ['microsoft.web']),
  carried(same('cognitiveservices.azure.com', 'Azure AI services'), ['microsoft.cognitiveservices']),
  carried(same('openai.azure.com', 'Azure OpenAI'), ['microsoft.cognitiveservices']),
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

/**
 * Names of a service a service endpoint carries that have no privatelink mapping of their own:
 * storage accounts with Azure DNS zone endpoints, `<storage-account>.z[00-50].blob.storage.azure.net`
 * and likewise `.file`, `.queue`, `.table`, `.dfs` and `.web` under `storage.azure.net` [SAO]
 * ("Storage account endpoints", Azure DNS zone endpoints)
 * https://learn.microsoft.com/azure/storage/common/storage-account-overview
 * They are storage accounts' own names, their addresses among the Storage prefixes.
 */
const SERVICE_ENDPOINT_ONLY_NAMES: readonly Pick<PrivateLinkZoneMapping, 'publicSuffix' | 'serviceEndpoints'>[] = ['blob', 'file', 'queue', 'table', 'dfs', 'web']
  .map((service) => ({ publicSuffix: `${service}.storage.azure.net`, serviceEndpoints: STORAGE_ENDPOINTS }));

/**
 * Host-name suffixes (with the leading dot, longest first) → the service endpoints whose routes
 * carry those names' addresses, from the table above (`serviceEndpoints`) and
 * SERVICE_ENDPOINT_ONLY_NAMES: one source for which names a service endpoint covers. A suffix two
 * services share (`database.windows.net`: SQL Database and Managed Instance) is listed once with
 * what either carries.
 */
export const SERVICE_ENDPOINT_SUFFIXES: readonly (readonly [string, readonly string[]])[] = (() => {
  const bySuffix = new Map<string, string[]>();
  const mappings = [...PRIVATE_LINK_ZONES, ...SERVICE_ENDPOINT_ONLY_NAMES].sort((a, b) => b.publicSuffix.length - a.publicSuffix.length);
  for (const mapping of mappings) {
    if (mapping.serviceEndpoints === undefined) continue;
    const suffix = `.${mapping.publicSuffix}`;
    const services = bySuffix.get(suffix) ?? [];
    for (const s of mapping.serviceEndpoints) if (!services.includes(s)) services.push(s);
    bySuffix.set(suffix, services);
  }
  return [...bySuffix.entries()];
})();

/** The service endpoints (lower case) that carry a host name's service (see SERVICE_ENDPOINT_SUFFIXES); null for other names. */
export function serviceEndpointsOfName(name: string): readonly string[] | null {
  const host = name.trim().toLowerCase().replace(/\.$/, '');
  return SERVICE_ENDPOINT_SUFFIXES.find(([suffix]) => host.endsWith(suffix))?.[1] ?? null;
}

/** The public suffixes (no leading dot) of the names the table gives a service endpoint's service. */
export function serviceEndpointSuffixesOf(service: string): readonly string[] {
  const lower = service.trim().toLowerCase();
  return SERVICE_ENDPOINT_SUFFIXES.filter(([, services]) => services.includes(lower)).map(([suffix]) => suffix.slice(1));
}

/**
 * What a host name leaves open about the service endpoint that may carry it (see
 * `serviceEndpointUnattributed`: `*.servicebus.windows.net`), in words; null when the name's
 * suffix tells its service, or no service endpoint carries it.
 */
export function serviceEndpointUnattributedOf(name: string): string | null {
  const host = name.trim().toLowerCase().replace(/\.$/, '');
  return BY_LENGTH.find((m) => m.serviceEndpointUnattributed !== undefined && host.endsWith(`.${m.publicSuffix}`))?.serviceEndpointUnattributed ?? null;
}

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

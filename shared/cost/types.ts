/**
 * Cost attribution (issue 13): the `egress-atlas/cost@1` contract. A monthly list-price estimate
 * per egress path, rolled up by owner and cost-centre tag. Every figure names the price it used
 * (meter, region, source date) and the bytes it used; a figure that cannot be computed is null
 * with the reason, never 0. Pure types.
 */
import type { ExitMethod, Verdict } from '../egress/types';
import type { EgressTier, EgressZone, PriceSource } from './prices';

export const COST_SCHEMA = 'egress-atlas/cost@1' as const;

/** What a line charges for. */
export type CostItem =
  | 'nat-gateway-hours'
  | 'nat-gateway-data'
  | 'firewall-hours'
  | 'firewall-data'
  | 'public-ip-hours'
  | 'internet-egress'
  // A VNet peering (or hub connection) the path crosses: billed per GB both directions
  // (destinations.md §8.1 implementer notes); the price table has no such meter, so always missing.
  | 'vnet-peering-data';

/** How a shared resource's fixed monthly cost is divided among the sources whose path uses it. */
export type SplitMethod = 'even' | 'bytes';

export interface CostPriceRef {
  readonly meter: string;
  readonly usdPerUnit: number;
  /** The meter region used (`Global`, `all-commercial`, an ARM region). */
  readonly pricedAt: string;
  /** The resource's region is not in the table: the fallback region's price stands in. */
  readonly substituted: boolean;
  readonly sourceId: string;
  /** The source's date, or `no date (…)` when the reference gives none. */
  readonly priceDate: string;
}

export interface CostLine {
  readonly item: CostItem;
  /** The resource charged; null for internet egress (an account-wide meter). */
  readonly resource: { readonly id: string; readonly name: string } | null;
  /** This source's quantity: hours (its share of the month's 730) or GB per month. Null when unknown. */
  readonly quantity: number | null;
  readonly unit: 'hour' | 'GB';
  /** Null: the figure is missing (see `missing`), never 0 for want of a price or bytes. */
  readonly monthlyUsd: number | null;
  /** Null when no price applies (a gap). For internet egress, the tiered average rate. */
  readonly price: CostPriceRef | null;
  /** Which bytes the line used, in words; null for hourly lines. */
  readonly bytes: string | null;
  /** For a shared fixed cost: how it was divided. */
  readonly split: { readonly method: SplitMethod; readonly among: number; readonly share: number } | null;
  /** Why `monthlyUsd` is null. */
  readonly missing: string | null;
}

/** Where a source's bytes came from. */
export type BytesBasis =
  | {
      readonly kind: 'flow-logs';
      /** Bytes to public destinations, allowed, in the logs' window (flow logs count both directions). */
      readonly observedBytes: number;
      /**
       * Of observedBytes, those internet data transfer out is priced on: the bytes sent (src→dst,
       * destinations.md §2.1 / §8.1) where the logs split the directions, else both directions.
       */
      readonly egressBytes: number;
      /** Some of egressBytes came from records that give one total only (both directions): an upper bound. */
      readonly egressUpperBound: boolean;
      /** The span of the log records that carry bytes (firewall logs carry none), which `scale` is computed from. */
      readonly window: { readonly from: string | null; readonly to: string | null };
      /** observed × scale = per month. */
      readonly scale: number;
      readonly description: string;
    }
  | {
      readonly kind: 'metrics';
      readonly metric: string;
      readonly resourceId: string;
      /** The resource's bytes over the metric window (a NAT gateway's: both directions). */
      readonly resourceBytes: number;
      /**
       * A NAT gateway's outbound bytes (ByteCount, Direction Out) over the same window: internet
       * egress is priced on these. Null: no Out series (a firewall, an older snapshot), so internet
       * egress uses resourceBytes, an upper bound.
       */
      readonly outboundBytes: number | null;
      /** Number of costed sources the resource's bytes were divided among (evenly). */
      readonly sharedAmong: number;
      readonly scale: number;
      readonly description: string;
    }
  | { readonly kind: 'none'; readonly description: string };

/** A traffic source (NIC or subnet) whose bytes went into a path's figure: its variable cost rolls up to its own tags. */
export interface CostContributor {
  readonly source: { readonly type: 'subnet' | 'nic'; readonly id: string; readonly name: string };
  readonly owner: string | null;
  readonly costCentre: string | null;
  readonly observedBytes: number;
}

export interface SourceCost {
  readonly source: { readonly type: 'subnet' | 'nic'; readonly id: string; readonly name: string };
  readonly verdict: Verdict;
  readonly exit: ExitMethod | null;
  readonly region: string | null;
  readonly owner: string | null;
  readonly costCentre: string | null;
  /** The resource the tags were read from (a subnet has none: its VNet's speak for it). */
  readonly tagsFrom: string | null;
  /** GB per month through this path; null when no bytes are known. */
  readonly monthlyGb: number | null;
  readonly bytes: BytesBasis;
  readonly contributors: readonly CostContributor[];
  readonly lines: readonly CostLine[];
  /** Sum of the lines that have a figure. */
  readonly monthlyUsd: number;
  /**
   * What the path passes that no line prices (a load balancer and its frontend public IPs, an NVA,
   * secured-hub public IPs), each also a `not-costed` gap: monthlyUsd leaves it out.
   */
  readonly leftOut: readonly string[];
  /** Every line has a figure and nothing on the path is left out (`leftOut` empty). */
  readonly complete: boolean;
}

/** A priced resource on the egress side: its whole monthly fixed cost and who shares it. */
export interface CostResource {
  readonly id: string;
  readonly name: string;
  readonly kind: 'nat-gateway' | 'azure-firewall' | 'public-ip' | 'public-ip-prefix';
  readonly region: string | null;
  /** Hours × hourly price; null when the table has no price for it. */
  readonly monthlyFixedUsd: number | null;
  readonly price: CostPriceRef | null;
  readonly missing: string | null;
  /** Costed sources whose path uses it (empty: no modelled path uses it, e.g. a bypassed NAT gateway). */
  readonly usedBy: readonly string[];
}

export interface CostRollup {
  /** The tag value, or `(untagged)`. */
  readonly key: string;
  readonly monthlyUsd: number;
  /** False when a share rolled up here comes from a source with a missing figure. */
  readonly complete: boolean;
  readonly sources: number;
}

export interface InternetEgressZoneCost {
  readonly zone: EgressZone;
  /** GB out per month of the zone's sources that have bytes. */
  readonly monthlyGb: number;
  /** Null when the table has no tiers for the zone. A lower bound when not `complete`. */
  readonly monthlyUsd: number | null;
  /**
   * The part of the account's one free allowance (GB) given to this zone's GB (destinations.md §8.1:
   * account-wide, not per zone).
   */
  readonly freeAllowanceGb: number;
  /**
   * False when a costed source has no bytes: the account's total GB, on which the tiers and the one
   * allowance depend, is unknown, so monthlyUsd (on the known GB) is a lower bound and each source's
   * share of it is missing (a gap says so).
   */
  readonly complete: boolean;
  readonly byTier: readonly { readonly tier: EgressTier; readonly gb: number }[];
  readonly sources: number;
}

export interface CostGap {
  readonly code: 'price-missing' | 'bytes-missing' | 'region-unknown' | 'not-costed';
  readonly scope: string;
  readonly message: string;
}

export interface CostResult {
  readonly schema: typeof COST_SCHEMA;
  readonly currency: 'USD';
  readonly hoursPerMonth: number;
  /** Bytes per billed GB (an assumption: see estimate.ts). */
  readonly bytesPerGb: number;
  readonly prices: {
    readonly table: string;
    readonly asOf: string;
    readonly compiledFrom: string;
    readonly sources: readonly PriceSource[];
  };
  readonly method: {
    readonly split: SplitMethod;
    readonly fallbackRegion: string | null;
    /** In words: how fixed costs were split, how bytes were scaled, how egress tiers were applied. */
    readonly notes: readonly string[];
  };
  readonly bytesFrom: 'flow-logs' | 'metrics' | 'flow-logs+metrics' | 'none';
  /** The logs' window (from the TrafficResult), when bytes came from logs. */
  readonly window: { readonly from: string | null; readonly to: string | null } | null;
  readonly sources: readonly SourceCost[];
  readonly resources: readonly CostResource[];
  readonly internetEgress: readonly InternetEgressZoneCost[];
  /** Fixed costs of priced resources no costed path uses. */
  readonly unattributed: { readonly monthlyUsd: number; readonly resources: readonly string[] };
  readonly rollups: { readonly owner: readonly CostRollup[]; readonly costCentre: readonly CostRollup[] };
  readonly total: { readonly monthlyUsd: number; readonly complete: boolean };
  /** Paths left out (not internet, platform subnets), with why. */
  readonly notCosted: readonly { readonly source: string; readonly reason: string }[];
  readonly gaps: readonly CostGap[];
}

/** The line item as the app, the PDF and the CLI name it. */
export const COST_ITEM_LABEL: Readonly<Record<CostLine['item'], string>> = {
  'nat-gateway-hours': 'NAT gateway hours',
  'nat-gateway-data': 'NAT gateway data processed',
  'firewall-hours': 'Firewall deployment hours',
  'firewall-data': 'Firewall data processed',
  'public-ip-hours': 'Public IP hours',
  'internet-egress': 'Internet data transfer out',
  'vnet-peering-data': 'VNet peering data',
};

/** US dollars for the app and the PDF (`$1,234.56`), or `missing`: a missing figure is never shown as $0. */
export function usdText(usd: number | null): string {
  return usd === null ? 'missing' : `$${usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

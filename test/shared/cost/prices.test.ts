/** The dated price table (reference section 8.1) and its arithmetic helpers. */
import { describe, expect, it } from 'vitest';
import { PRICE_TABLE, priceDateText, priceIn, sourceById, tieredCost } from '../../../shared/cost/index';
import type { ListPrice } from '../../../shared/cost/index';

const allPrices = (): ListPrice[] => [
  PRICE_TABLE.natGateway.hour, PRICE_TABLE.natGateway.dataProcessed, PRICE_TABLE.publicIpStandard,
  ...Object.values(PRICE_TABLE.firewall).flatMap((f) => [f.deployment, f.dataProcessed]),
];

describe('price table', () => {
  it('holds the reference figures, each citing a listed source', () => {
    expect(PRICE_TABLE.natGateway.hour.usd).toBe(0.045);
    expect(PRICE_TABLE.natGateway.dataProcessed.usd).toBe(0.045);
    expect(PRICE_TABLE.firewall.Standard.deployment.usd).toBe(1.25);
    expect(PRICE_TABLE.firewall.Premium.deployment.usd).toBe(1.75);
    expect(PRICE_TABLE.firewall.Basic.deployment.usd).toBe(0.395);
    expect(PRICE_TABLE.firewall.Standard.dataProcessed.usd).toBe(0.016);
    expect(PRICE_TABLE.firewall.Premium.dataProcessed.usd).toBe(0.016);
    expect(PRICE_TABLE.firewall.Basic.dataProcessed.usd).toBe(0.065);
    expect(PRICE_TABLE.publicIpStandard.usd).toBe(0.005);
    for (const p of allPrices()) {
      expect(p.usd).toBeGreaterThan(0);
      expect(sourceById(PRICE_TABLE, p.sourceId)).toBeDefined();
    }
    for (const id of PRICE_TABLE.internetEgress.sourceIds) expect(sourceById(PRICE_TABLE, id)).toBeDefined();
    // Cross-checks the reference gives: 730 h × $0.045 = $32.85; 730 × $1.25 = $912.50; 730 × $1.75 = $1,277.50; 730 × $0.005 = $3.65.
    expect(PRICE_TABLE.hoursPerMonth * 0.045).toBeCloseTo(32.85, 10);
    expect(PRICE_TABLE.hoursPerMonth * 1.25).toBeCloseTo(912.5, 10);
    expect(PRICE_TABLE.hoursPerMonth * 1.75).toBeCloseTo(1277.5, 10);
    expect(PRICE_TABLE.hoursPerMonth * 0.005).toBeCloseTo(3.65, 10);
  });

  it('leaves out what the reference lacks: zone 2/3 internet egress tiers', () => {
    expect(PRICE_TABLE.internetEgress.zones['zone-1']).toBeDefined();
    expect(PRICE_TABLE.internetEgress.zones['zone-2']).toBeUndefined();
    expect(PRICE_TABLE.internetEgress.zones['zone-3']).toBeUndefined();
    expect(PRICE_TABLE.zoneOfRegion.westeurope).toBe('zone-1');
    expect(PRICE_TABLE.zoneOfRegion.japaneast).toBe('zone-2');
    expect(PRICE_TABLE.zoneOfRegion.brazilsouth).toBe('zone-3');
  });

  it('cites the price date, or says there is none', () => {
    expect(priceDateText(PRICE_TABLE, PRICE_TABLE.firewall.Basic.deployment.sourceId)).toBe('2026-09-10');
    expect(priceDateText(PRICE_TABLE, PRICE_TABLE.natGateway.hour.sourceId)).toMatch(/^no date \(commit 027bec33/);
    expect(sourceById(PRICE_TABLE, PRICE_TABLE.natGateway.hour.sourceId)?.url).toContain('nat_gateway_test.golden');
  });
});

describe('priceIn', () => {
  it('applies Global and all-commercial meters everywhere, regional ones in their region only', () => {
    expect(priceIn(PRICE_TABLE.natGateway.hour, 'westeurope', null)).toEqual({ price: PRICE_TABLE.natGateway.hour, pricedAt: 'Global', substituted: false });
    expect(priceIn(PRICE_TABLE.firewall.Basic.deployment, 'japaneast', null)?.pricedAt).toBe('all-commercial');
    expect(priceIn(PRICE_TABLE.firewall.Premium.deployment, 'eastus', null)?.substituted).toBe(false);
    expect(priceIn(PRICE_TABLE.firewall.Premium.deployment, 'westeurope', null)).toBeNull();
    expect(priceIn(PRICE_TABLE.firewall.Premium.deployment, 'westeurope', 'eastus')).toEqual({ price: PRICE_TABLE.firewall.Premium.deployment, pricedAt: 'eastus', substituted: true });
    // A fallback the table has no price for gives nothing either.
    expect(priceIn(PRICE_TABLE.firewall.Premium.deployment, 'westeurope', 'northeurope')).toBeNull();
  });
});

describe('tieredCost (zone 1, Microsoft network routing)', () => {
  const tiers = PRICE_TABLE.internetEgress.zones['zone-1'] ?? [];

  it('is free within the first 100 GB', () => {
    expect(tieredCost(tiers, 50).usd).toBe(0);
    expect(tieredCost(tiers, 100).usd).toBe(0);
  });

  it('charges each tier its own rate', () => {
    // 150 GB: 100 × 0 + 50 × 0.087 = 4.35
    expect(tieredCost(tiers, 150).usd).toBeCloseTo(4.35, 9);
    // 20,000 GB: 100 × 0 + (10,335 − 100) × 0.087 + (20,000 − 10,335) × 0.083
    //          = 0 + 10,235 × 0.087 + 9,665 × 0.083 = 890.445 + 802.195 = 1,692.64
    const big = tieredCost(tiers, 20_000);
    expect(big.usd).toBeCloseTo(1692.64, 6);
    expect(big.byTier.map((b) => b.gb)).toEqual([100, 10_235, 9_665]);
    // 600,000 GB reaches the last, open tier: 100×0 + 10,235×0.087 + 40,960×0.083 + 102,400×0.07
    //   + 358,400×0.05 + 87,905×0.05 = 890.445 + 3,399.68 + 7,168 + 17,920 + 4,395.25 = 33,773.375
    expect(tieredCost(tiers, 600_000).usd).toBeCloseTo(33_773.375, 6);
  });
});

/**
 * Cost attribution (issue 13), pure:
 *   estimateCost(input, resolveResult, { traffic, split, fallbackRegion }) → CostResult (`egress-atlas/cost@1`)
 * Prices come from the dated table in prices.ts (reference section 8.1); the CLI (`egress-atlas
 * cost`), the app and the PDF render the same result.
 */
export * from './types';
export { BYTES_PER_GB, estimateCost } from './estimate';
export type { CostOptions } from './estimate';
export { MICROSOFT_PRICING_PAGES, PRICE_TABLE, priceDateText, priceIn, pricingPageText, sourceById, tieredCost } from './prices';
export type { EgressTier, EgressZone, FirewallTier, ListPrice, PriceSource, PriceTable, PricedAt } from './prices';
export { NO_ADDRESS, NOT_CONFIRMED, priceSourceLines, priceSourceText } from './sources-text';
export type { PriceSourceLine } from './sources-text';
export { parsePriceTable, priceTableFromRetail, RETAIL_PRICES_URL, retailItem, retailQueries } from './retail';
export type { RetailMapping, RetailPriceItem, RetailQuery } from './retail';

/**
 * The Azure Retail Prices API reader behind `egress-atlas prices --refresh` [destinations.md §8.2]:
 * unauthenticated GETs of `https://prices.azure.com/api/retail/prices?$filter=...`, following
 * `NextPageLink` until it is null, on the same origin only (a link elsewhere is refused), with no
 * credential and no other method. Redirects are not followed. Failures (offline, DNS, a non-200,
 * a body that is not the API's shape) throw RetailPricesError; the CLI says the shipped table stays.
 */
import { retailItem, retailQueries, RETAIL_PRICES_URL } from '../../shared/cost/index';
import type { RetailPriceItem } from '../../shared/cost/index';

export class RetailPricesError extends Error {
  override readonly name = 'RetailPricesError';
}

export interface RetailFetchOptions {
  readonly region: string;
  /** Tests only: the fake endpoint (EGRESS_ATLAS_RETAIL_PRICES_URL). */
  readonly baseUrl?: string;
  readonly fetchImpl?: typeof fetch;
  readonly timeoutMs?: number;
  /** Pages per query before giving up (the four filters return a few pages at most). */
  readonly maxPages?: number;
  readonly onPage?: (query: string, page: number, items: number) => void;
}

export interface RetailFetchResult {
  readonly items: readonly RetailPriceItem[];
  readonly pages: number;
  readonly url: string;
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function causeText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  const code = isObject(cause) && typeof cause.code === 'string' ? cause.code : null;
  const inner = cause instanceof Error ? cause.message : null;
  return [error.message, code, inner].filter((p, i, all) => p !== null && all.indexOf(p) === i).join(': ');
}

export async function fetchRetailPrices(options: RetailFetchOptions): Promise<RetailFetchResult> {
  const base = options.baseUrl ?? RETAIL_PRICES_URL;
  const origin = new URL(base).origin;
  const doFetch = options.fetchImpl ?? fetch;
  const maxPages = options.maxPages ?? 50;
  const items: RetailPriceItem[] = [];
  let pages = 0;
  for (const query of retailQueries(options.region)) {
    let next: string | null = `${base}?$filter=${encodeURIComponent(query.filter)}`;
    let page = 0;
    while (next !== null) {
      if (new URL(next).origin !== origin) throw new RetailPricesError(`the API's NextPageLink points to ${new URL(next).origin}, not ${origin}: refused`);
      if (++page > maxPages) throw new RetailPricesError(`more than ${maxPages} pages for ${query.id}: stopped (the filter should return a few)`);
      let response: Response;
      try {
        response = await doFetch(next, { method: 'GET', redirect: 'manual', headers: { accept: 'application/json' }, signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
      } catch (error) {
        throw new RetailPricesError(`cannot reach ${origin} (${causeText(error)})`);
      }
      if (response.status !== 200) {
        const text = await response.text().catch(() => '');
        throw new RetailPricesError(`${origin} answered HTTP ${response.status}${text ? `: ${text.slice(0, 160)}` : ''}`);
      }
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        throw new RetailPricesError(`${origin} answered with a body that is not JSON`);
      }
      if (!isObject(body) || !Array.isArray(body.Items)) throw new RetailPricesError(`${origin} answered without an Items array (not the Retail Prices API shape)`);
      const list = body.Items as unknown[];
      try {
        list.forEach((item, i) => items.push(retailItem(item, `${query.id} page ${page} Items[${i}]`)));
      } catch (error) {
        throw new RetailPricesError(error instanceof Error ? error.message : String(error));
      }
      options.onPage?.(query.id, page, list.length);
      pages += 1;
      const link = body.NextPageLink;
      if (link !== null && link !== undefined && typeof link !== 'string') throw new RetailPricesError('NextPageLink is neither a URL nor null');
      next = typeof link === 'string' && link !== '' ? link : null;
    }
  }
  return { items, pages, url: base };
}

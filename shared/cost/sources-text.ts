/**
 * The price sources block: what `egress-atlas prices` and `egress-atlas cost` print under
 * "Sources" / "Price sources" and what the evidence PDF's cost section prints, from one function,
 * so an auditor reading the PDF can check the same figures against the same sources as a CI log
 * shows. Each source: its id, date and whether it is confirmed against Microsoft's pricing page,
 * then its full title and its address on a line of its own (a long address stays whole), or, where
 * the table has none, "address not recorded; title: …" with the full title to search for; then
 * Microsoft's own pricing pages to hold the figures against.
 */
import { MICROSOFT_PRICING_PAGES } from './prices';
import type { PriceSource } from './prices';

export interface PriceSourceLine {
  /** 0: a source's first line, or the pricing pages' heading; 1: the line under it. */
  readonly depth: 0 | 1;
  readonly text: string;
  /** The address the line gives, for a renderer that can link it (the PDF). */
  readonly url?: string;
}

/** Said after a figure's source that Microsoft's pricing page has not confirmed. */
export const NOT_CONFIRMED = '(not confirmed against Microsoft\'s pricing page)';

/** Said in place of an address the table does not have: the title is then all there is to look for. */
export const NO_ADDRESS = 'address not recorded; title:';

/** The block, line by line (see the module comment). */
export function priceSourceLines(sources: readonly PriceSource[]): PriceSourceLine[] {
  const lines: PriceSourceLine[] = [];
  for (const s of sources) {
    lines.push({ depth: 0, text: `${s.id}: ${s.date ?? 'no date'}${s.unconfirmed ? `  ${NOT_CONFIRMED}` : ''}` });
    const note = s.date === null ? ` (${s.note})` : '';
    if (s.url) lines.push({ depth: 1, text: `${s.title}${note}` }, { depth: 1, text: s.url, url: s.url });
    else lines.push({ depth: 1, text: `${NO_ADDRESS} ${s.title}${note}` });
  }
  lines.push({ depth: 0, text: 'Microsoft\'s pricing pages (free allowance, internet egress tiers, VNet peering per GB):' });
  for (const page of Object.values(MICROSOFT_PRICING_PAGES)) lines.push({ depth: 1, text: `${page.title}: ${page.url}`, url: page.url });
  return lines;
}

/** The block as terminal text: two spaces before a first line, six before the line under it. */
export function priceSourceText(sources: readonly PriceSource[]): string[] {
  return priceSourceLines(sources).map((l) => `${l.depth === 0 ? '  ' : '      '}${l.text}`);
}

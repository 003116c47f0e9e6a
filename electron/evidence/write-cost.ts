/**
 * The "Cost by owner" section of the evidence PDF (`report --logs`, issue 13), after "Observed
 * destinations": the monthly list-price estimate of the internet paths (`estimateCost` with the
 * logs' bytes, as `egress-atlas cost --logs` prints it), rolled up by owner and cost-centre tag,
 * then per path its lines with quantity, price (rate, meter region, price date, split) and the
 * bytes used. A figure without a price or bytes is printed as "missing" with the reason, never as
 * $0.00; a roll-up that includes one says so. It draws the CostResult as it is: nothing is
 * re-priced here.
 */
import { priceSourceLines } from '../../shared/cost/sources-text';
import { COST_ITEM_LABEL, usdText, type CostLine, type CostResult, type CostRollup, type SourceCost } from '../../shared/cost/types';
import { COLORS, type EvidenceDocument, type TableCell } from './evidence-document';
import { SEVERITY_COLOR } from './palette';
import { plural } from './reach-facts';

/** Paths with a block of their own; past this, the most expensive (a big estate's PDF stays readable; the roll-ups cover all). */
export const MAX_COST_PATHS = 100;

function missingCell(text = 'missing'): TableCell {
  return { text, color: SEVERITY_COLOR.warning, font: 'Sans-Bold' };
}

/** The sentence under the heading: price table and date, where the bytes came from, the window. */
export function costBasis(cost: CostResult): string {
  const bytes = {
    // Scaled by the span of the records that carry bytes, not every log's window (shared/cost/estimate.ts).
    'flow-logs': 'flow logs (bytes to public destinations, scaled to a month from the span of the records that carry bytes; internet egress on the bytes sent only)',
    'metrics': 'NAT gateway ByteCount / firewall DataProcessed metrics in the snapshot',
    'flow-logs+metrics': 'flow logs where a path has them, else NAT gateway / firewall metrics',
    'none': 'nowhere: no flow log or metric carried bytes, so every data line is a gap',
  }[cost.bytesFrom];
  const window = cost.window ? ` Logs from ${cost.window.from ?? 'the first record'} to ${cost.window.to ?? 'the last record'}.` : '';
  return `List prices in ${cost.currency} per month from the price table ${cost.prices.table} (as of ${cost.prices.asOf}; ${cost.prices.compiledFrom}). `
    + `Bytes from ${bytes}.${window} Fixed hourly costs of a shared NAT gateway, firewall or public IP are divided ${cost.method.split === 'even' ? 'evenly' : 'by share of bytes'} among the paths that use it.`;
}

function rollupTable(ed: EvidenceDocument, header: string, rows: readonly CostRollup[]): void {
  const w = ed.contentWidth;
  ed.table([
    { header, width: w * 0.52 },
    { header: 'Paths', width: w * 0.12 },
    { header: 'Per month', width: w * 0.16 },
    { header: 'Complete', width: w * 0.20 },
  ], rows.map((r) => [
    r.key,
    String(r.sources),
    usdText(r.monthlyUsd),
    r.complete ? 'yes' : missingCell('no: a figure is missing'),
  ]), 8);
}

function priceText(line: CostLine): string {
  if (line.price === null) return line.missing ?? '-';
  const p = line.price;
  const split = line.split ? `; 1/${line.split.among} share${line.split.method === 'bytes' ? ' by bytes' : ''}` : '';
  return `$${p.usdPerUnit}/${line.unit}, ${p.pricedAt}${p.substituted ? ' (substituted)' : ''}, price date ${p.priceDate}${split}`;
}

function quantityText(line: CostLine): string {
  if (line.quantity === null) return '-';
  return line.unit === 'hour' ? `${line.quantity.toFixed(1)} h` : `${line.quantity.toFixed(4)} GB`;
}

function sourceBlock(ed: EvidenceDocument, s: SourceCost): void {
  ed.ensureSpace(110);
  ed.heading(`${s.source.name} (${s.source.type === 'nic' ? 'NIC' : 'subnet'}): ${usdText(s.monthlyUsd)} per month${s.complete ? '' : ' + missing figures'}`, 2, { keepWith: 60 });
  ed.paragraph(`Owner ${s.owner ?? '(untagged)'} · cost centre ${s.costCentre ?? '(untagged)'}${s.tagsFrom ? ` (tags of ${s.tagsFrom.split('/').pop() ?? s.tagsFrom})` : ''} · region ${s.region ?? 'unknown'}`, { size: 7.5, color: COLORS.muted, gapAfter: 1 });
  ed.paragraph(`Bytes used: ${s.bytes.description}`, { size: 7.5, color: COLORS.muted, gapAfter: s.leftOut.length > 0 ? 1 : 3 });
  if (s.leftOut.length > 0) ed.paragraph(`Not priced on this path: ${s.leftOut.join('; ')}.`, { size: 7.5, color: COLORS.muted, gapAfter: 3 });
  const w = ed.contentWidth;
  ed.table([
    { header: 'Item', width: w * 0.30 },
    { header: 'Quantity / month', width: w * 0.14 },
    { header: 'Price (rate, meter region, price date, split) or why missing', width: w * 0.42 },
    { header: 'Per month', width: w * 0.14 },
  ], s.lines.map((l) => [
    // A line's bytes are named only where they differ from the path's (said once above the table).
    `${COST_ITEM_LABEL[l.item]}${l.resource === null ? '' : `\n${l.resource.name}`}${l.bytes === null || l.bytes === s.bytes.description ? '' : `\nbytes: ${l.bytes}`}`,
    quantityText(l),
    l.price === null ? { text: priceText(l), color: SEVERITY_COLOR.warning } : priceText(l),
    l.monthlyUsd === null ? missingCell() : usdText(l.monthlyUsd),
  ]), 7);
}

/** The section: basis, total, the two roll-ups, each path's lines, unattributed fixed costs, gaps. */
export function writeCost(ed: EvidenceDocument, title: string, anchor: string, cost: CostResult, options: { readonly selection: boolean }): void {
  ed.newPage();
  ed.heading(title, 0, { anchor });
  ed.paragraph(costBasis(cost), { size: 8.5, color: COLORS.muted, gapAfter: 4 });
  ed.paragraph(`Estimated total ${usdText(cost.total.monthlyUsd)} per month${cost.total.complete ? '' : ', not counting the missing figures listed below (a missing price or byte count is a gap, never $0.00)'}; `
    + `${plural(cost.sources.length, 'costed path')}, ${plural(cost.notCosted.length, 'path')} not costed.`,
  { font: 'Sans-Bold', size: 9, color: cost.total.complete ? COLORS.text : SEVERITY_COLOR.warning, gapAfter: 6 });
  if (options.selection) {
    ed.paragraph('Roll-ups and the total cover every costed path of the estate; only the per-path tables are limited to the selection.', { size: 8, color: COLORS.muted, gapAfter: 4 });
  }
  ed.heading('By owner', 1);
  rollupTable(ed, 'Owner tag', cost.rollups.owner);
  ed.ensureSpace(70);
  ed.heading('By cost centre', 1);
  rollupTable(ed, 'Cost-centre tag', cost.rollups.costCentre);

  ed.ensureSpace(80);
  ed.heading('Per path', 1, { keepWith: 60 });
  const shown = costPathsShown(cost);
  if (shown.length < cost.sources.length) {
    ed.paragraph(`The ${MAX_COST_PATHS} most expensive of ${cost.sources.length} costed paths; egress-atlas cost --format json lists them all.`, { size: 8, color: COLORS.muted, gapAfter: 4 });
  }
  for (const s of shown) sourceBlock(ed, s);

  if (cost.unattributed.resources.length > 0) {
    ed.ensureSpace(70);
    ed.heading(`Not on any costed path (${usdText(cost.unattributed.monthlyUsd)} per month)`, 1);
    const w = ed.contentWidth;
    ed.table([
      { header: 'Resource', width: w * 0.34 },
      { header: 'Kind', width: w * 0.16 },
      { header: 'Fixed per month', width: w * 0.16 },
      { header: 'Why missing', width: w * 0.34 },
    ], cost.unattributed.resources.map((id) => {
      const r = cost.resources.find((x) => x.id === id);
      return [r?.name ?? id, r?.kind ?? '-', r?.monthlyFixedUsd === null || r === undefined ? missingCell() : usdText(r.monthlyFixedUsd), r?.missing ?? ''];
    }), 7.5);
  }
  if (cost.gaps.length > 0) {
    ed.ensureSpace(70);
    ed.heading(`What could not be priced (${cost.gaps.length})`, 1);
    const w = ed.contentWidth;
    ed.table([
      { header: 'Gap', width: w * 0.16 },
      { header: 'Where', width: w * 0.26 },
      { header: 'Why', width: w * 0.58 },
    ], cost.gaps.map((g) => [g.code, g.scope, g.message]), 7);
  }
  ed.ensureSpace(60);
  ed.heading('Price sources', 1);
  // The block prices and cost print (shared/cost/sources-text.ts): titles, addresses (linked) or
  // "address not recorded", and Microsoft's pricing pages to check the figures against.
  const lines = priceSourceLines(cost.prices.sources);
  lines.forEach((line, i) => {
    // A source's lines kept together; a little room before the next source.
    const gapAfter = lines[i + 1]?.depth === 0 ? 3 : 1;
    ed.paragraph(line.text, { size: 7.5, color: COLORS.muted, gapAfter, x: ed.left + (line.depth === 0 ? 0 : 14), ...(line.url ? { link: line.url } : {}) });
  });
  ed.paragraph(`1 GB = ${cost.bytesPerGb.toLocaleString('en-US')} bytes; ${cost.hoursPerMonth} hours per month.`, { size: 7.5, color: COLORS.muted, gapAfter: 4 });
}

/** The paths drawn, in the result's order: all, or the most expensive past the cap. */
export function costPathsShown(cost: CostResult): readonly SourceCost[] {
  if (cost.sources.length <= MAX_COST_PATHS) return cost.sources;
  const kept = new Set([...cost.sources].sort((a, b) => b.monthlyUsd - a.monthlyUsd).slice(0, MAX_COST_PATHS));
  return cost.sources.filter((s) => kept.has(s));
}

/** With a selection, the per-path blocks of the paths in this export only (roll-ups stay whole, and say so). */
export function costInScope(cost: CostResult, paths: readonly { readonly source: { readonly id: string } }[]): CostResult {
  const ids = new Set(paths.map((p) => p.source.id.toLowerCase()));
  return { ...cost, sources: cost.sources.filter((s) => ids.has(s.source.id.toLowerCase())) };
}

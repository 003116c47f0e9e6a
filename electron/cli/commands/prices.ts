/**
 * `egress-atlas prices`: the price table cost attribution uses. `--refresh` reads the public Azure
 * Retail Prices API (GET only, no credential, NextPageLink followed on the same host) for the
 * meters the cost model prices, and writes a dated table in the shape shared/cost uses, for
 * `egress-atlas cost --prices FILE`. Without --refresh: the shipped table, its date and sources.
 */
import { writeFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve as resolvePath } from 'node:path';
import { PRICE_TABLE, priceSourceText, priceTableFromRetail, RETAIL_PRICES_URL } from '../../../shared/cost/index';
import type { PriceTable } from '../../../shared/cost/index';
import { oneOf, parseArgs, stringOption, UsageError } from '../args';
import type { CliCommand } from '../command';
import { outFile } from '../out';
import { errorLine, wroteLine } from '../format-table';

/** Tests only: where the fake Retail Prices API listens. */
export const RETAIL_PRICES_URL_ENV = 'EGRESS_ATLAS_RETAIL_PRICES_URL';

/** The table's per-meter figures (NAT gateway, firewall tiers, public IP), in the order the summary prints them. */
function perMeterFigures(table: PriceTable): readonly { readonly sourceId: string }[] {
  return [table.natGateway.hour, table.natGateway.dataProcessed,
    ...(['Standard', 'Premium', 'Basic'] as const).flatMap((tier) => [table.firewall[tier].deployment, table.firewall[tier].dataProcessed]),
    table.publicIpStandard];
}

/** How many of them cite a source without a date. */
function undatedFigures(table: PriceTable): number {
  return perMeterFigures(table).filter((p) => (table.sources.find((s) => s.id === p.sourceId)?.date ?? null) === null).length;
}

const USAGE = `Usage: egress-atlas prices [--format table|json] [--out -]
       egress-atlas prices --refresh [--region <region>] [--out <file>|-]

Without --refresh: the price table shipped with Egress Atlas (${PRICE_TABLE.id}, prices as of
${PRICE_TABLE.asOf}, its newest source's date), each figure with its meter, region and its source's
date, or "(no date)" where the source gives none (${undatedFigures(PRICE_TABLE)} of its ${perMeterFigures(PRICE_TABLE).length} per-meter figures).

--refresh reads the public Azure Retail Prices API (${RETAIL_PRICES_URL}; GET requests only,
no sign-in, no credential sent; NextPageLink followed on the same host only) for the meters the
cost model uses: NAT gateway hours and data processed (Global meters), Azure Firewall Standard /
Premium / Basic deployment hours and data processed, the Standard static public IP, and internet
data transfer out (Microsoft network routing, tiered) in --region. It writes a dated price table
for \`egress-atlas cost --prices <file>\`; every figure the API returned keeps its meter, effective
date and the date it was read. A meter the API does not return keeps the shipped figure, with the
shipped source and its date (or none), and is listed. Consumption list prices in USD.

Options:
  --refresh            read the Retail Prices API
  --region <region>    the ARM region for regional meters (default: eastus)
  --out <file>|-       with --refresh: write the table to this file (- for stdout, the default);
                       without --refresh the table goes to stdout: --out - only
  --format table|json  without --refresh: a summary (default) or the table as JSON
  --help               this text

Exit codes: 0 ok; 1 an operational failure such as an unwritable --out (the prices read are not
saved); 2 usage, or the API could not be read (offline, DNS, a non-200 answer): the shipped table
stays in use and nothing is written.
`;

const SPEC = { refresh: 'flag', region: 'value', out: 'value', format: 'value', help: 'flag' } as const;

function summary(table: PriceTable): string {
  const row = (what: string, p: { usd: number; per: string; region: string; meter: string; sourceId: string }): readonly string[] => {
    const date = table.sources.find((s) => s.id === p.sourceId)?.date ?? 'no date';
    return [what, `$${p.usd}/${p.per}`, p.region, p.meter, `(${date})`];
  };
  const rows = [row('NAT gateway hour', table.natGateway.hour), row('NAT gateway data processed', table.natGateway.dataProcessed)];
  for (const tier of ['Standard', 'Premium', 'Basic'] as const) {
    rows.push(row(`Azure Firewall ${tier} deployment`, table.firewall[tier].deployment), row(`Azure Firewall ${tier} data processed`, table.firewall[tier].dataProcessed));
  }
  rows.push(row('Standard static public IP hour', table.publicIpStandard));
  // Columns as wide as their widest cell, so the figures line up whatever the names.
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  const lines = [`${table.id} (prices as of ${table.asOf}, list ${table.currency})`, `  from: ${table.compiledFrom}`, ''];
  lines.push(...rows.map((r) => `  ${r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')}`));
  // The tiers come from several sources: each line names them with their dates, as the other figures do.
  const egressDates = table.internetEgress.sourceIds.map((id) => `${table.sources.find((s) => s.id === id)?.date ?? 'no date'} ${id}`).join('; ');
  for (const [zone, tiers] of Object.entries(table.internetEgress.zones)) {
    lines.push(`  internet egress ${zone}: ${(tiers ?? []).map((t) => `${t.fromGb}${t.toGb === null ? '+' : `-${t.toGb}`} GB $${t.usdPerGb}`).join(', ')}  ${table.internetEgress.meter}  (${egressDates})`);
  }
  lines.push('', 'Sources');
  lines.push(...priceSourceText(table.sources));
  return `${lines.join('\n')}\n`;
}

export const pricesCommand: CliCommand = {
  name: 'prices',
  summary: 'Show the dated price table, or refresh it from the Azure Retail Prices API (read-only, no sign-in)',
  usage: USAGE,
  async run(args, io) {
    const parsed = parseArgs(args, SPEC);
    if (parsed.options.help === true) {
      io.stdout(USAGE);
      return 0;
    }
    if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument "${parsed.positionals[0] ?? ''}"`);
    const format = oneOf(parsed, 'format', ['table', 'json'] as const, 'table');
    const out = stringOption(parsed, 'out');
    const regionText = stringOption(parsed, 'region');
    if (parsed.options.refresh !== true) {
      // The table is text on stdout: `--out -` names just that (as for every text output); a file
      // is what --refresh writes, so --out FILE and --region still need it.
      if (regionText !== undefined) throw new UsageError('--region goes with --refresh');
      if (outFile(out) !== undefined) throw new UsageError(`--out ${out ?? ''}: a file goes with --refresh (without it the table goes to stdout: leave --out out, or give --out -)`);
      io.stdout(format === 'json' ? `${JSON.stringify(PRICE_TABLE, null, 2)}\n` : summary(PRICE_TABLE));
      return 0;
    }
    // --refresh writes the table as JSON whatever --format says: refused before any request is sent.
    if (stringOption(parsed, 'format') !== undefined) throw new UsageError('--format applies without --refresh only (--refresh writes the price table as JSON)');
    const region = (regionText ?? 'eastus').toLowerCase();
    if (!/^[a-z0-9]+$/.test(region)) throw new UsageError(`--region "${regionText ?? ''}" is not an Azure region name like eastus`);
    const { fetchRetailPrices, RetailPricesError } = await import('../../azure/retail-prices');
    const baseUrl = io.env[RETAIL_PRICES_URL_ENV];
    let fetched;
    try {
      fetched = await fetchRetailPrices({ region, ...(baseUrl ? { baseUrl } : {}) });
    } catch (error) {
      if (!(error instanceof RetailPricesError)) throw error;
      // The message quotes the API's (or a proxy's) answer body: escaped as one line (errorLine).
      io.stderr(errorLine(`could not read the Azure Retail Prices API: ${error.message}`)
        + `The shipped price table ${PRICE_TABLE.id} (prices as of ${PRICE_TABLE.asOf}) stays in use; nothing was written.\n`);
      return 2;
    }
    const readAt = new Date().toISOString();
    const { table, kept } = priceTableFromRetail(fetched.items, { region, readAt, url: fetched.url, base: PRICE_TABLE });
    const text = `${JSON.stringify(table, null, 2)}\n`;
    io.stderr(`read ${fetched.items.length} price item(s) in ${fetched.pages} page(s) from ${fetched.url} for ${region}\n`);
    for (const k of kept) io.stderr(`kept from ${PRICE_TABLE.id} (${PRICE_TABLE.asOf}): ${k} (the API returned no Consumption USD price for it)\n`);
    const file = outFile(out);
    if (file === undefined) io.stdout(text);
    else {
      const target = isAbsolute(file) ? file : resolvePath(io.cwd, file);
      await writeFile(target, text, 'utf8');
      io.stderr(wroteLine(`${relative(io.cwd, target) || file} (${table.id}); use it with: egress-atlas cost ... --prices ${relative(io.cwd, target) || file}`));
    }
    return 0;
  },
};

/**
 * `egress-atlas cost`: a monthly list-price estimate per egress path, rolled up by owner and
 * cost-centre tag. Reading files is here; the arithmetic is shared/cost (pure), so the app and the
 * PDF can render the same result.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve as resolvePath } from 'node:path';
import { resolveEgress } from '../../../shared/egress/index';
import { estimateCost, parsePriceTable, PRICE_TABLE, priceSourceText } from '../../../shared/cost/index';
import type { CostLine, CostResult, PriceTable, SourceCost } from '../../../shared/cost/index';
import { InputError } from '../../../shared/model/errors';
import { oneOf, parseArgs, stringOption, UsageError } from '../args';
import { pad, safe, safeTable, wroteLine } from '../format-table';
import type { CliCommand } from '../command';
import { outFile } from '../out';
import { InputPathError, loadEstate } from '../estate';
import { decodeText } from '../../snapshot/files';
import { analyzeLogFiles, createLogProgress, takeLogs } from './traffic';

const USAGE = `Usage: egress-atlas cost <input...> [--logs <file-or-directory...>] [options]
       egress-atlas cost --demo [name] [--logs <file-or-directory...>] [options]

Estimates the monthly egress cost of every workload subnet's and NIC's internet path at list
prices, and rolls it up by owner and cost-centre tag:
  NAT gateway hours and data processed, Azure Firewall deployment hours and data processed,
  public IP hours, internet data transfer out on the bytes sent (tiers per egress zone, one
  first-100-GB allowance for the whole account), VNet peering where a path crosses VNets (no
  price in the table: reported missing).
A NAT gateway's, firewall's or public IP's fixed hours are divided among the sources whose path
uses it (--split). Bytes come from flow logs (--logs, as for \`egress-atlas traffic\`: bytes to
public destinations, scaled to a month from the span of the records that carry bytes) or from
NAT gateway ByteCount / firewall DataProcessed metrics in the snapshot. Every figure names its
price (meter, region, source date) and its bytes; a missing price or missing bytes is reported
as a gap, never as 0.

Prices: the dated table shipped with Egress Atlas (${PRICE_TABLE.id}; list USD, see
--format json "prices" for each source and date), or a table refreshed from the Azure Retail
Prices API with \`egress-atlas prices --refresh --region <r> --out <file>\` and given with --prices.
Each figure names the price date it used.

Options:
  --logs <path>              log files or directories (repeatable; also several paths after --logs)
  --prices <file>            a price table written by egress-atlas prices --refresh
  --split even|bytes         divide shared fixed costs evenly (default) or by share of bytes
  --fallback-region <region> price resources in regions missing from the table at that region's
                             list price (e.g. eastus); each figure says it was substituted
  --format table|json        output format (default: table); json is the egress-atlas/cost@1 contract
  --demo [name]              use an embedded demo estate (default: bank)
  --service-tags <file>      service tag prefixes (ServiceTags_Public_*.json)
  --out <file>               write the output to a file instead of stdout (- for stdout)
  --help                     this text

Exit codes: 0 ok, 1 an operational failure such as an unwritable --out, 2 bad input or usage.
`;

const SPEC = {
  demo: 'optional-value', format: 'value', split: 'value', 'fallback-region': 'value', 'service-tags': 'value', out: 'value', prices: 'value', help: 'flag',
} as const;

const usd = (n: number | null): string => (n === null ? 'missing' : `$${n.toFixed(2)}`);

function lineLabel(line: CostLine): string {
  const what = {
    'nat-gateway-hours': 'NAT gateway hours', 'nat-gateway-data': 'NAT gateway data', 'firewall-hours': 'firewall hours',
    'firewall-data': 'firewall data', 'public-ip-hours': 'public IP hours', 'internet-egress': 'internet egress',
    'vnet-peering-data': 'VNet peering data',
  }[line.item];
  return line.resource === null ? what : `${what} ${line.resource.name}`;
}

function quantityText(line: CostLine): string {
  if (line.quantity === null) return '-';
  return line.unit === 'hour' ? `${line.quantity.toFixed(1)} h` : `${line.quantity.toFixed(4)} GB`;
}

function priceText(line: CostLine): string {
  if (line.price === null) return line.missing ?? '-';
  const p = line.price;
  const split = line.split ? `, 1/${line.split.among}${line.split.method === 'bytes' ? ' by bytes' : ''}` : '';
  return `$${p.usdPerUnit}/${line.unit} ${p.pricedAt}${p.substituted ? ' (substituted)' : ''}, ${p.priceDate}${split}`;
}

function sourceBlock(s: SourceCost): string[] {
  const lines = [`${s.source.name} (${s.source.type}, ${s.region ?? 'region ?'})  ${usd(s.monthlyUsd)}/month${s.complete ? '' : ' + missing figures'}  owner ${s.owner ?? '-'}  cost centre ${s.costCentre ?? '-'}`];
  lines.push(`    bytes: ${s.bytes.description}`);
  // Charges on the path that no line prices: said on the source itself, not only in the gaps at the end.
  for (const what of s.leftOut) lines.push(`    not priced: ${safe(what)}`);
  lines.push(...pad([['    ITEM', 'QUANTITY', 'MONTHLY', 'PRICE (per unit, region, date, split)'],
    ...s.lines.map((l) => [`    ${lineLabel(l)}`, quantityText(l), usd(l.monthlyUsd), priceText(l)].map(safe))]));
  return lines;
}

export function formatCostTable(result: CostResult): string {
  const out: string[] = [
    `Estimated monthly egress cost (list ${result.currency}, ${result.prices.table}; bytes from ${result.bytesFrom}${result.window ? `, logs ${result.window.from ?? '?'} → ${result.window.to ?? '?'}` : ''})`,
    '',
  ];
  for (const s of result.sources) out.push(...sourceBlock(s), '');
  for (const [title, rows] of [['By owner', result.rollups.owner], ['By cost centre', result.rollups.costCentre]] as const) {
    out.push(title, ...pad([['  KEY', 'SOURCES', 'MONTHLY'], ...rows.map((r) => [`  ${r.key}`, String(r.sources), `${usd(r.monthlyUsd)}${r.complete ? '' : ' + missing'}`].map(safe))]), '');
  }
  if (result.unattributed.resources.length > 0) {
    out.push(`Not on any costed path: ${usd(result.unattributed.monthlyUsd)}/month`);
    for (const id of result.unattributed.resources) {
      const r = result.resources.find((x) => x.id === id);
      out.push(`  ${r?.name ?? id} (${r?.kind ?? '?'})  ${usd(r?.monthlyFixedUsd ?? null)}${r?.missing ? `  ${r.missing}` : ''}`);
    }
    out.push('');
  }
  out.push('Method');
  for (const note of result.method.notes) out.push(`  ${note}`);
  out.push(`  1 GB = ${result.bytesPerGb} bytes; ${result.hoursPerMonth} hours per month.`, '');
  out.push('Price sources');
  out.push(...priceSourceText(result.prices.sources));
  out.push('');
  if (result.gaps.length > 0) {
    out.push('Gaps');
    for (const g of result.gaps) out.push(`  ${g.code} ${g.scope}: ${g.message}`);
    out.push('');
  }
  out.push(`Total ${usd(result.total.monthlyUsd)}/month${result.total.complete ? '' : ' (incomplete: see gaps)'} | ${result.sources.length} costed source(s) | not costed: ${result.notCosted.length} | gaps: ${result.gaps.length}`, '');
  // Each row escaped on its own (safe): a line break in a name or a tag value cannot add a row.
  return out.map(safe).join('\n');
}

export const costCommand: CliCommand = {
  name: 'cost',
  summary: 'Estimate monthly egress cost per path (list prices) and roll it up by owner / cost-centre tag',
  usage: USAGE,
  async run(args, io) {
    // takeLogs consumes every --logs form (`--logs a b`, `--logs=a`), as report does.
    const { logs: allLogs, rest } = takeLogs(args);
    const parsed = parseArgs(rest, SPEC, ['logs']);
    if (parsed.options.help === true) {
      io.stdout(USAGE);
      return 0;
    }
    const format = oneOf(parsed, 'format', ['table', 'json'] as const, 'table');
    const split = oneOf(parsed, 'split', ['even', 'bytes'] as const, 'even');
    const fallbackRegion = stringOption(parsed, 'fallback-region');
    if (fallbackRegion !== undefined && !/^[a-z0-9]+$/i.test(fallbackRegion)) throw new UsageError(`--fallback-region "${fallbackRegion}" is not an Azure region name like eastus`);
    const out = outFile(stringOption(parsed, 'out'));
    const pricesFile = stringOption(parsed, 'prices');
    const prices = pricesFile === undefined ? PRICE_TABLE : await readPriceTable(pricesFile, io.cwd);
    const snapshot = await loadEstate(parsed.positionals, parsed.options.demo, io.cwd, stringOption(parsed, 'service-tags'));
    // Logs streamed file by file into per-source counters (bounded memory, progress on stderr).
    const traffic = allLogs.length === 0 ? null : await analyzeLogFiles(snapshot, allLogs, io.cwd, { onProgress: createLogProgress(io) });
    const resolved = resolveEgress(snapshot);
    const result = estimateCost(snapshot, resolved, { traffic, split, fallbackRegion: fallbackRegion?.toLowerCase() ?? null, prices });
    const text = format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : safeTable(formatCostTable(result));
    if (out === undefined) io.stdout(text);
    else {
      const target = isAbsolute(out) ? out : resolvePath(io.cwd, out);
      await writeFile(target, text, 'utf8');
      io.stderr(wroteLine(`${relative(io.cwd, target) || out}`));
    }
    return 0;
  },
};

/** `--prices FILE`: a table `egress-atlas prices --refresh` wrote (validated: every figure priced, sourced, dated). */
async function readPriceTable(path: string, cwd: string): Promise<PriceTable> {
  let text: string;
  try {
    // Decoded as snapshots, policies and logs are: a UTF-8 BOM (Windows editors, PowerShell
    // Set-Content) is dropped and a UTF-16 file from PowerShell 5 redirection is read.
    text = decodeText(await readFile(isAbsolute(path) ? path : resolvePath(cwd, path)));
  } catch (error) {
    // Named by what went wrong: "no such file" for a directory sends the user looking for a typo.
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file or directory'
      : code === 'EISDIR' ? 'is a directory, expected a price JSON file (egress-atlas prices --refresh --out FILE)'
        : `cannot be read${code === undefined ? '' : ` (${code})`}`;
    throw new InputPathError(`${path}: ${why}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(path, '$', 'a JSON price table (egress-atlas prices --refresh --out FILE)', error instanceof Error ? error.message : String(error));
  }
  return parsePriceTable(json, path);
}

/**
 * `egress-atlas resolve`: where does each subnet's and NIC's internet-bound traffic go?
 */
import { writeFile } from 'node:fs/promises';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { resolveEgress, type EgressPath, type FindingSeverity, type ResolveResult } from '../../../shared/egress/index';
import { toResolveJson } from '../../../shared/egress/explain';
import { toResourceId } from '../../../shared/model/ids';
import { parseIp } from '../../../shared/model/ip';
import { oneOf, parseArgs, stringOption, UsageError } from '../args';
import type { CliCommand, CliIo } from '../command';
import { loadEstate } from '../estate';
import { allFindings, formatExplain, formatTable } from '../format-table';

const USAGE = `Usage: egress-atlas resolve <input...> [options]
       egress-atlas resolve --demo [name] [options]

Resolves the internet egress path of every subnet and NIC.

Inputs: snapshot files, ARM / az / Resource Graph JSON files, or directories of them.

Options:
  --demo [name]            use an embedded demo estate (default: bank; see "egress-atlas demos")
  --format table|json      output format (default: table); json is the egress-atlas/resolve@1 contract
  --destination <ip>       what-if: a public IPv4/IPv6 destination (default: the 0.0.0.0/0 route)
  --source <name-or-id>    only paths whose source (subnet or NIC) name or resource ID matches
  --explain                print each path's hops: rule, explanation, docs and a verify command
  --fail-on warning|error  exit 1 when a finding at or above this severity is present
  --out <file>             write the output to a file instead of stdout
  --service-tags <file>    service tag prefixes (ServiceTags_Public_*.json, or saved az network
                           list-service-tags output): rules and routes on service tags then match
  --help                   this text

Exit codes: 0 ok, 1 findings at or above --fail-on, 2 bad input or usage.
`;

const SPEC = {
  demo: 'optional-value', format: 'value', destination: 'value', source: 'value', explain: 'flag',
  'fail-on': 'value', out: 'value', 'service-tags': 'value', help: 'flag',
} as const;

/**
 * An IPv4/IPv6 address, or a usage error saying why not. Private addresses are accepted: inside a
 * VNet's or a peered VNet's address space they are delivered privately (verdict `private`).
 */
export function validateDestination(text: string): string {
  const ip = parseIp(text);
  if (ip === null) throw new UsageError(`--destination "${text}" is not an IPv4 or IPv6 address`);
  return text.trim();
}

/** Whether a path's source is the one the user named: by name or resource ID, any casing (ARM IDs are case-insensitive). */
export function sourceMatches(path: EgressPath, text: string): boolean {
  return path.source.name.toLowerCase() === text.trim().toLowerCase() || path.source.id === toResourceId(text);
}

/** Keeps the paths whose source name or ID matches. */
export function filterBySource(result: ResolveResult, source: string): ResolveResult {
  return { ...result, paths: result.paths.filter((p) => sourceMatches(p, source)) };
}

const RANK: Readonly<Record<FindingSeverity, number>> = { info: 0, warning: 1, error: 2 };

export function hasFindingsAtOrAbove(result: ResolveResult, threshold: FindingSeverity): boolean {
  return allFindings(result).some((f) => RANK[f.severity] >= RANK[threshold]);
}

async function emit(text: string, out: string | undefined, io: CliIo): Promise<void> {
  if (out === undefined) {
    io.stdout(text);
    return;
  }
  const path = isAbsolute(out) ? out : resolvePath(io.cwd, out);
  await writeFile(path, text, 'utf8');
  io.stderr(`wrote ${out}\n`);
}

export const resolveCommand: CliCommand = {
  name: 'resolve',
  summary: 'Resolve every subnet\'s and NIC\'s internet egress path (table or JSON)',
  usage: USAGE,
  async run(args, io) {
    const parsed = parseArgs(args, SPEC);
    if (parsed.options.help === true) {
      io.stdout(USAGE);
      return 0;
    }
    const format = oneOf(parsed, 'format', ['table', 'json'] as const, 'table');
    const failOn = stringOption(parsed, 'fail-on') === undefined ? null : oneOf(parsed, 'fail-on', ['warning', 'error'] as const, 'error');
    const destinationText = stringOption(parsed, 'destination');
    const destination = destinationText === undefined ? null : validateDestination(destinationText);
    const source = stringOption(parsed, 'source');
    const out = stringOption(parsed, 'out');

    const snapshot = await loadEstate(parsed.positionals, parsed.options.demo, io.cwd, stringOption(parsed, 'service-tags'));
    const full = resolveEgress(snapshot, { destination });
    const result = source === undefined ? full : filterBySource(full, source);
    if (source !== undefined && result.paths.length === 0) {
      io.stderr(`error: --source "${source}" matches no subnet or NIC\n`);
      return 2;
    }

    // Colours only when writing to a terminal, and never with NO_COLOR (https://no-color.org).
    const color = out === undefined && io.isTTY && (io.env.NO_COLOR ?? '') === '';
    let text: string;
    if (format === 'json') text = `${JSON.stringify(toResolveJson(result), null, 2)}\n`;
    else {
      text = formatTable(result, snapshot.model, { color });
      if (parsed.options.explain === true) text += formatExplain(result, { color });
    }
    await emit(text, out, io);
    return failOn !== null && hasFindingsAtOrAbove(result, failOn) ? 1 : 0;
  },
};

/**
 * `egress-atlas resolve`: where does each subnet's and NIC's internet-bound traffic go?
 */
import { readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { resolveEgress, type EgressPath, type FindingSeverity, type PathSource, type ResolveResult } from '../../../shared/egress/index';
import { parseDestinationSpec } from '../../../shared/egress/destination-spec';
import { parseDestinationList, resolveMatrix } from '../../../shared/egress/matrix';
import type { DestinationListEntry } from '../../../shared/egress/matrix';
import { toResolveJson } from '../../../shared/egress/explain';
import { namesOf, toResourceId } from '../../../shared/model/ids';
import { formatIp, parseIp } from '../../../shared/model/ip';
import { oneOf, parseArgs, stringOption, takeRepeated, UsageError } from '../args';
import type { CliCommand, CliIo } from '../command';
import { outFile } from '../out';
import { InputPathError, loadEstate } from '../estate';
import { allFindings, errorLine, formatExplain, formatMatrix, formatTable, wroteLine } from '../format-table';
import { BatchedArray, prettyJsonChunks, writeChunksToFile, writePrettyJson } from '../json-stream';
import { decodeText } from '../../snapshot/files';

const USAGE = `Usage: egress-atlas resolve <input...> [options]
       egress-atlas resolve --demo [name] [options]

Resolves the egress path of every subnet and NIC: to the internet (0.0.0.0/0), or to a destination.

Inputs: snapshot files, ARM / az / Resource Graph JSON files, or directories of them.

Options:
  --demo [name]            use an embedded demo estate (default: bank; see "egress-atlas demos")
  --format table|json      output format (default: table); json is the egress-atlas/resolve@1 contract
  --destination <dest>     what-if: an IP address, a CIDR (20.50.0.0/16), an FQDN (api.stripe.com),
                           a URL (https://api.stripe.com/v1) or a service tag (Storage.WestEurope),
                           optionally with :port and /tcp|/udp (default TCP 443; default: 0.0.0.0/0);
                           the table's "interpretation:" line says how it was read
  --resolve <name=ip>      the public address a host name resolves to (repeatable); private DNS
                           zones linked to a VNet are read from the input
  --destinations <file>    every source against every destination of a list (one per line, CSV
                           destination,label, or a JSON array): the egress-atlas/matrix@1 result
  --source <name-or-id>    only paths whose source (subnet or NIC) name or resource ID matches
  --explain                print each path's hops: rule, explanation, docs and a verify command
                           (the JSON always has them; not with --destinations)
  --fail-on warning|error  exit 1 when a finding at or above this severity is present (not with
                           --destinations: the matrix has verdicts, not findings; gate those
                           with egress-atlas check). A subnet's default-outbound / no-outbound
                           finding is info when it has NICs in the input and each has a path
                           of its own (or they are all private endpoints): no NIC uses it
  --out <file>             write the output to a file instead of stdout (- for stdout)
  --service-tags <file>    service tag prefixes (ServiceTags_Public_*.json, or saved az network
                           list-service-tags output): rules and routes on service tags then match
  --help                   this text

Exit codes: 0 ok, 1 findings at or above --fail-on or an operational failure such as an
unwritable --out (stderr says which), 2 bad input or usage.
`;

const SPEC = {
  demo: 'optional-value', format: 'value', destination: 'value', source: 'value', explain: 'flag',
  'fail-on': 'value', out: 'value', 'service-tags': 'value', destinations: 'value', help: 'flag',
} as const;

/**
 * Any destination kind (see destination-spec.ts), or a usage error saying what was expected. An
 * empty one is refused: parseDestinationSpec reads it as the default route, and a script's unset
 * `$DEST` must not turn a what-if into the plain 0.0.0.0/0 run.
 */
export function validateDestination(text: string): string {
  if (text.trim() === '') throw new UsageError('--destination is empty (an unset shell variable?); give a destination, or leave the option out for the default route 0.0.0.0/0');
  const parsed = parseDestinationSpec(text);
  if (parsed.kind === 'error') throw new UsageError(`--destination ${parsed.message}`);
  return text.trim();
}

/**
 * A `--resolve` name as the engine matches it (destination-plan.ts userAddressFor): case folded and
 * without the root's trailing dot, so `API.Stripe.com.` and `api.stripe.com` are one name here too.
 */
export function resolveNameKey(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

/**
 * `--resolve name=ip`, repeatable: what the user knows a host name resolves to (reach, check,
 * diagram and report read it here too). A name is walked to one address, so two different
 * addresses for one name (in any of its spellings: resolveNameKey) are refused: keeping either
 * would answer for an address the user may not have meant. The same address twice is harmless.
 */
export function parseResolveOptions(values: readonly string[]): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const value of values) {
    const at = value.indexOf('=');
    const name = at < 0 ? '' : resolveNameKey(value.slice(0, at));
    const ip = at < 0 ? '' : value.slice(at + 1).trim();
    const parsed = parseIp(ip);
    if (name === '' || parsed === null) throw new UsageError(`--resolve "${value}" is not name=ip (e.g. --resolve api.stripe.com=54.187.174.169)`);
    const earlier = out[name];
    const before = earlier === undefined ? null : parseIp(earlier);
    if (earlier !== undefined && (before === null || formatIp(before) !== formatIp(parsed))) {
      throw new UsageError(`--resolve gives ${name} two addresses (${earlier} and ${ip}); give one`);
    }
    out[name] = ip;
  }
  return out;
}

/** Reads a destinations file (`--destinations`), relative to the working directory. */
export async function readDestinations(file: string, cwd: string): Promise<readonly DestinationListEntry[]> {
  const path = isAbsolute(file) ? file : resolvePath(cwd, file);
  let text: string;
  try {
    // As snapshots and exports: a list saved by Windows PowerShell 5 (`>`, Out-File) or Excel's
    // "Unicode text" is UTF-16 with a BOM, not binary.
    text = decodeText(await readFile(path));
  } catch (error) {
    throw new InputPathError(`${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : 'cannot be read'}`);
  }
  return parseDestinationList(text, file);
}

/** Whether a path's source is the one the user named: by name or resource ID, any casing (ARM IDs are case-insensitive). */
export function sourceMatches(path: EgressPath, text: string): boolean {
  return sourceMatchesSource(path.source, text);
}

export function sourceMatchesSource(source: PathSource, text: string): boolean {
  const wanted = text.trim().toLowerCase();
  // A scale set instance's NIC answers to the name Azure gives it too (namesOf).
  return namesOf(source).some((name) => name.toLowerCase() === wanted) || source.id === toResourceId(text);
}

/** Keeps the paths whose source name or ID matches. */
export function filterBySource(result: ResolveResult, source: string): ResolveResult {
  return { ...result, paths: result.paths.filter((p) => sourceMatches(p, source)) };
}

const RANK: Readonly<Record<FindingSeverity, number>> = { info: 0, warning: 1, error: 2 };

export function hasFindingsAtOrAbove(result: ResolveResult, threshold: FindingSeverity): boolean {
  return allFindings(result).some((f) => RANK[f.severity] >= RANK[threshold]);
}

/**
 * `toResolveJson(result)`, its paths converted a batch at a time as they are written (see
 * BatchedArray): the same JSON, without all converted paths alive at once.
 */
function resolveJsonBatched(result: ResolveResult): unknown {
  const shell = toResolveJson({ ...result, paths: [] });
  return { ...shell, paths: new BatchedArray(result.paths.length, (start, end) => toResolveJson({ ...result, paths: result.paths.slice(start, end) }).paths) };
}

function* withNewline(value: unknown): Generator<string, void, undefined> {
  yield* prettyJsonChunks(value);
  yield '\n';
}

/** Pretty JSON in pieces (an estate's result can be 180 MB): to stdout, or to `--out` through one file handle. */
async function emitJson(value: unknown, out: string | undefined, io: CliIo): Promise<void> {
  if (out === undefined) {
    writePrettyJson(value, io.stdout);
    io.stdout('\n');
    return;
  }
  await writeChunksToFile(isAbsolute(out) ? out : resolvePath(io.cwd, out), withNewline(value));
  io.stderr(wroteLine(`${out}`));
}

async function emit(text: string, out: string | undefined, io: CliIo): Promise<void> {
  if (out === undefined) {
    io.stdout(text);
    return;
  }
  const path = isAbsolute(out) ? out : resolvePath(io.cwd, out);
  await writeFile(path, text, 'utf8');
  io.stderr(wroteLine(`${out}`));
}

export const resolveCommand: CliCommand = {
  name: 'resolve',
  summary: 'Resolve every subnet\'s and NIC\'s internet egress path (table or JSON)',
  usage: USAGE,
  async run(args, io) {
    const { values: resolveValues, rest } = takeRepeated(args, 'resolve', { splitCommas: false });
    const parsed = parseArgs(rest, SPEC, ['resolve']);
    if (parsed.options.help === true) {
      io.stdout(USAGE);
      return 0;
    }
    const format = oneOf(parsed, 'format', ['table', 'json'] as const, 'table');
    const resolve = parseResolveOptions(resolveValues);
    const destinationsFile = stringOption(parsed, 'destinations');
    if (destinationsFile !== undefined && stringOption(parsed, 'destination') !== undefined) throw new UsageError('give either --destination or --destinations, not both');
    // The matrix holds verdicts only, no findings and no hops (resolveMatrix skips building them):
    // a gate or an explanation asked of it would be silently missing, and a pipeline would
    // believe it gated. Refused instead, with what to use.
    if (destinationsFile !== undefined && parsed.options['fail-on'] !== undefined) {
      throw new UsageError('--fail-on does not apply to --destinations: the matrix has verdicts, not findings; to gate on what may be reached, use "egress-atlas check" with mustNotReach / mustReach controls');
    }
    if (destinationsFile !== undefined && parsed.options.explain === true) {
      throw new UsageError('--explain does not apply to --destinations (the matrix has no hops); explain one cell with --destination <dest> --source <name> --explain');
    }
    // The JSON carries every hop's rule, explanation, docs and verify command already.
    if (format === 'json' && parsed.options.explain === true) io.stderr('note: --explain adds nothing to --format json, which has every hop (rule, explanation, docs, verify) in paths[].hops\n');
    const failOn = stringOption(parsed, 'fail-on') === undefined ? null : oneOf(parsed, 'fail-on', ['warning', 'error'] as const, 'error');
    const destinationText = stringOption(parsed, 'destination');
    const destination = destinationText === undefined ? null : validateDestination(destinationText);
    const source = stringOption(parsed, 'source');
    const out = outFile(stringOption(parsed, 'out'));

    const snapshot = await loadEstate(parsed.positionals, parsed.options.demo, io.cwd, stringOption(parsed, 'service-tags'));
    const color = out === undefined && io.isTTY && (io.env.NO_COLOR ?? '') === '';
    if (destinationsFile !== undefined) {
      const list = await readDestinations(destinationsFile, io.cwd);
      const matrix = resolveMatrix(snapshot, list, { resolve });
      const rows = source === undefined ? matrix.rows : matrix.rows.filter((r) => sourceMatchesSource(r.source, source));
      if (source !== undefined && rows.length === 0) {
        io.stderr(errorLine(`--source "${source}" matches no subnet or NIC`));
        return 2;
      }
      const shown = { ...matrix, rows };
      await emit(format === 'json' ? `${JSON.stringify(shown, null, 2)}\n` : formatMatrix(shown, { color }), out, io);
      return 0;
    }
    const full = resolveEgress(snapshot, { destination, resolve });
    const result = source === undefined ? full : filterBySource(full, source);
    if (source !== undefined && result.paths.length === 0) {
      io.stderr(errorLine(`--source "${source}" matches no subnet or NIC`));
      return 2;
    }

    // Colours only when writing to a terminal, and never with NO_COLOR (https://no-color.org).
    if (format === 'json') await emitJson(resolveJsonBatched(result), out, io);
    else {
      let text = formatTable(result, snapshot.model, { color, interpretation: destination !== null });
      if (parsed.options.explain === true) text += formatExplain(result, { color });
      await emit(text, out, io);
    }
    if (failOn !== null && hasFindingsAtOrAbove(result, failOn)) {
      const at = allFindings(result).filter((f) => RANK[f.severity] >= RANK[failOn]);
      io.stderr(`--fail-on ${failOn}: ${at.length} finding${at.length === 1 ? '' : 's'} at or above ${failOn} (${[...new Set(at.map((f) => f.code))].join(', ')}): exit 1\n`);
      return 1;
    }
    return 0;
  },
};

/**
 * `egress-atlas report`: the evidence PDF an auditor can file, from the same resolver output the
 * app and `resolve` show. `--timestamp` pins the export time (and a demo's capture time), so the
 * same inputs give a byte-identical PDF.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { resolveEgress, type ResolveResult } from '../../../shared/egress/index';
import { readInstantOption } from '../../../shared/model/dates';
import type { Snapshot, SnapshotInputFile } from '../../../shared/model/snapshot';
import { checkPolicy, type Policy } from '../../../shared/policy/index';
import { estimateCost } from '../../../shared/cost/index';
import { parseArgs, stringOption, takeRepeated, UsageError } from '../args';
import type { CliCommand, CliIo } from '../command';
import { refuseStdout } from '../out';
import { loadEstate } from '../estate';
import { readSigningKey, writeSignature } from '../signing';
import { readPolicyFile } from './check';
import { analyzeLogFiles, createLogProgress, sinceFrom, takeLogs } from './traffic';
import { parseResolveOptions, readDestinations, sourceMatches, validateDestination } from './resolve';
import { wroteLine } from '../format-table';

const USAGE = `Usage: egress-atlas report <input...> --out evidence.pdf [options]
       egress-atlas report --demo [name] --out evidence.pdf [options]

Writes an evidence PDF: scope, capture and snapshot SHA-256, a summary, path diagrams, one section
per subnet and NIC exception (verdict, egress IPs, SNAT, each hop with its rule, docs link, az
command, owner tags and what the source can reach), the captured effective routes and the
resource IDs cited; with --destinations, an appendix with every source against each destination;
with --policy, a Controls section after the summary (each control's status, its violations with
the path that proves them, exceptions with ticket and expiry); with --logs, an "Observed
destinations" section (per source its top destinations from firewall and flow logs against what
the model allows, the traffic findings and the unattributed source IPs).

Options:
  --out <file>              the PDF to write (required; not - : a PDF is binary, never stdout)
  --demo [name]             use an embedded demo estate (default: bank)
  --subnet <name-or-id>     only this subnet or NIC (repeatable); NIC exceptions in it are included
  --destination <dest>      what-if: an IP address, a CIDR (20.50.0.0/16), an FQDN (api.stripe.com),
                            a URL (https://api.stripe.com/v1) or a service tag (Storage.WestEurope),
                            optionally with :port and /tcp|/udp, as egress-atlas resolve takes it
                            (default: the 0.0.0.0/0 route)
  --destinations <file>     add the destinations matrix appendix: every source against every
                            destination of a list (one per line, CSV destination,label, or a JSON
                            array), the verdict written in each cell
  --policy <file>           add the Controls section: check this policy (as egress-atlas check
                            does), exception expiry judged as of the export time (--timestamp)
  --logs <path...>          add the Observed destinations section: firewall and flow logs (files
                            or directories, as egress-atlas traffic reads them); with --policy,
                            allowed traffic outside a control's mayReach is a finding too; and
                            the Cost by owner section (as egress-atlas cost --logs estimates it)
  --since <when>            only log records from this time on: 7d / 12h / 30m back from the
                            newest record, a day (YYYY-MM-DD, UTC) or a date-time with a time zone
  --resolve <name=ip>       the public address a host name resolves to (repeatable)
  --timestamp <ISO8601>     export time to record, with a time zone (default: now); pins the output bytes
  --exported-by <name>      who exports (default: the OS user name)
  --service-tags <file>     service tag prefixes (ServiceTags_Public_*.json, or saved az network
                            list-service-tags output): rules and routes on service tags then match
  --sign <key.pem>          also write <out>.sig: an Ed25519 signature over the PDF's bytes with
                            this private key (PEM, PKCS#8: openssl genpkey -algorithm ed25519
                            -out key.pem); check it with egress-atlas verify
  --help                    this text

Exit codes: 0 ok (whatever the controls' status), 1 an operational failure such as an
unwritable --out or .sig file, 2 bad input, a bad policy or usage.
`;

const SPEC = {
  demo: 'optional-value', out: 'value', destination: 'value', destinations: 'value', policy: 'value', since: 'value', timestamp: 'value', 'exported-by': 'value', 'service-tags': 'value', sign: 'value', help: 'flag',
} as const;


/**
 * `--timestamp` (report, diagram): a day (its start, UTC) or an ISO 8601 date-time with a zone
 * (`2026-11-26T06:00:00Z`), read strictly, or a usage error. It is the time the evidence records,
 * so 2026-02-30 is refused, never recorded as 2 March.
 */
export function parseTimestamp(text: string): Date {
  const read = readInstantOption(text, { option: '--timestamp', example: '2026-11-26T06:00:00Z' });
  if (!read.ok) throw new UsageError(read.message);
  return new Date(read.at);
}

/** The source IDs the `--subnet` values name (subnet or NIC, by name or resource ID, any casing). */
export function matchSources(result: ResolveResult, wanted: readonly string[]): readonly string[] {
  const ids: string[] = [];
  for (const text of wanted) {
    const hits = result.paths.filter((p) => sourceMatches(p, text));
    if (hits.length === 0) throw new UsageError(`--subnet "${text}" matches no subnet or NIC`);
    for (const hit of hits) if (!ids.includes(hit.source.id)) ids.push(hit.source.id);
  }
  return ids;
}

function osUser(env: CliIo['env']): string {
  try {
    return userInfo().username;
  } catch {
    // userInfo throws when the uid has no passwd entry (some containers).
    return env.USER ?? env.USERNAME ?? 'unknown user';
  }
}

/**
 * The files a report read, when its snapshot records no inputs of its own (a snapshot file read as
 * is, or one pulled live and saved): name as given, size and SHA-256 of the bytes (what `sha256sum`
 * prints), so the cover identifies the file the evidence came from. Directories are left out: an
 * export read from a directory records its files itself.
 */
async function filesRead(snapshot: Snapshot, paths: readonly string[], cwd: string): Promise<readonly SnapshotInputFile[]> {
  if ((snapshot.metadata.inputs?.length ?? 0) > 0) return [];
  const out: SnapshotInputFile[] = [];
  for (const name of paths) {
    const path = isAbsolute(name) ? name : resolvePath(cwd, name);
    const info = await stat(path);
    if (!info.isFile()) continue;
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
    out.push({ name, size: info.size, sha256: hash.digest('hex') });
  }
  return out;
}

async function loadSnapshot(inputs: readonly string[], demo: string | true | undefined, exportedAt: Date, io: CliIo, serviceTagsPath: string | undefined): Promise<Snapshot> {
  // A demo's or converted ARM export's capture time is "now"; use the export time so a pinned
  // --timestamp pins the whole PDF.
  return loadEstate(inputs, demo, io.cwd, serviceTagsPath, exportedAt);
}

export const reportCommand: CliCommand = {
  name: 'report',
  summary: 'Write an evidence PDF (scope, hash, diagrams, every path with its rules and owners)',
  usage: USAGE,
  async run(args, io) {
    // `--logs a b c` first: it takes every path up to the next option.
    const { logs: logPaths, rest: afterLogs } = takeLogs(args);
    const { values: subnets, rest: afterSubnets } = takeRepeated(afterLogs, 'subnet', { splitCommas: false });
    const { values: resolveValues, rest } = takeRepeated(afterSubnets, 'resolve', { splitCommas: false });
    const parsed = parseArgs(rest, SPEC, ['logs', 'subnet', 'resolve']);
    if (parsed.options.help === true) {
      io.stdout(USAGE);
      return 0;
    }
    const out = stringOption(parsed, 'out');
    if (out === undefined) throw new UsageError('--out <file.pdf> is required');
    refuseStdout(out, 'the report is a PDF, a binary file', '<file>.pdf');
    const destinationText = stringOption(parsed, 'destination');
    const destination = destinationText === undefined ? null : validateDestination(destinationText);
    const timestamp = stringOption(parsed, 'timestamp');
    const exportedAt = timestamp === undefined ? new Date() : parseTimestamp(timestamp);
    const exportedBy = stringOption(parsed, 'exported-by') ?? osUser(io.env);
    const resolve = parseResolveOptions(resolveValues);
    // A bad list fails (exit 2, naming the file and line) before the estate is loaded and resolved.
    const destinationsFile = stringOption(parsed, 'destinations');
    const destinations = destinationsFile === undefined ? undefined : await readDestinations(destinationsFile, io.cwd);
    // Likewise a bad policy: every problem named file:line, as egress-atlas check reports them.
    const policyFile = stringOption(parsed, 'policy');
    // Its PolicyError goes to main.ts reportError, the one path that prints every issue (escaped, exit 2).
    const policy: Policy | undefined = policyFile === undefined ? undefined : await readPolicyFile(policyFile, io.cwd);

    const sinceText = stringOption(parsed, 'since');
    if (sinceText !== undefined && logPaths.length === 0) throw new UsageError('--since needs --logs');
    // A bad --since is a usage error before any reading (a duration is resolved against the logs).
    if (sinceText !== undefined) sinceFrom(sinceText, () => null);

    const signWith = stringOption(parsed, 'sign');
    // The key is read first: a bad key fails (exit 2) before the work, and nothing is written unsigned.
    const key = signWith === undefined ? undefined : await readSigningKey(signWith, io.cwd);

    const snapshot = await loadSnapshot(parsed.positionals, parsed.options.demo, exportedAt, io, stringOption(parsed, 'service-tags'));
    const result = resolveEgress(snapshot, { destination, resolve });
    const selection = subnets.length === 0 ? null : { sourceIds: matchSources(result, subnets) };
    // With logs, the observed traffic and the cost estimate its bytes give (as `egress-atlas cost --logs`;
    // priced on the default route's paths, whatever the what-if destination).
    // Streamed file by file, as `traffic` reads them (memory bounded by the largest file); a log that
    // cannot be read fails (exit 2, naming file and row) before anything is written.
    const traffic = logPaths.length === 0 ? null : await analyzeLogFiles(snapshot, logPaths, io.cwd, {
      ...(sinceText === undefined ? {} : { since: sinceText }), policy: policy ?? null, onProgress: createLogProgress(io),
    });
    const cost = traffic === null ? null : estimateCost(snapshot, destination === null ? result : resolveEgress(snapshot), { traffic });
    // pdfkit is loaded only when a report is written, so other commands start fast.
    const { writeEvidencePdf } = await import('../../evidence/index');
    const readFiles = parsed.options.demo === undefined ? await filesRead(snapshot, parsed.positionals, io.cwd) : [];
    const pdf = await writeEvidencePdf({
      snapshot, result, selection, exportedBy, exportedAt, resolve,
      ...(readFiles.length === 0 ? {} : { readFiles }),
      ...(destinations === undefined ? {} : { destinations }),
      // The export time as `now`: a pinned --timestamp pins which exceptions have expired.
      ...(policy === undefined ? {} : { check: checkPolicy(snapshot, policy, { now: exportedAt, destination, resolve }) }),
      ...(traffic === null ? {} : { traffic }),
      ...(cost === null ? {} : { cost }),
    });
    const path = isAbsolute(out) ? out : resolvePath(io.cwd, out);
    await writeFile(path, pdf);
    io.stderr(wroteLine(`${out} (${Math.round(pdf.length / 1024)} KiB, snapshot ${snapshot.sha256.slice(0, 12)})`));
    if (key !== undefined) {
      // The bytes just written: the signature covers the PDF exactly as the auditor receives it.
      await writeSignature(path, pdf, key);
      io.stderr(wroteLine(`${out}.sig (Ed25519 signature over ${out}; check it with egress-atlas verify)`));
    }
    return 0;
  },
};

/**
 * `egress-atlas check`: egress intent as code. Checks an estate against a policy file and exits 1
 * when a `deny` control fails, so a pipeline stops a change that opens an exfiltration path.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve as resolvePath, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readInstantOption } from '../../../shared/model/dates';
import { checkExitCode, checkPolicy, gapText, parsePolicy, toJunit, toSarif, unmatchedScopeText } from '../../../shared/policy/index';
import type { CheckResult, ControlResult, Policy } from '../../../shared/policy/index';
import { oneOf, parseArgs, stringOption, takeRepeated, UsageError } from '../args';
import { errorLine, safe, safeTable, wroteLine } from '../format-table';
import type { CliCommand } from '../command';
import { outFile } from '../out';
import { InputPathError, loadEstate, TOOL_VERSION } from '../estate';
import { parseResolveOptions, validateDestination } from './resolve';

const USAGE = `Usage: egress-atlas check <input...> --policy <file> [options]
       egress-atlas check --demo [name] --policy <file> [options]

Checks every control of a policy file (YAML or JSON, version 1; schema:
shared/policy/policy.schema.json) against the estate: each control passes, fails or is not
applicable, and every violation comes with the path that proves it.

Options:
  --policy <file>          the policy file (required)
  --format table|json|sarif|junit
                           output (default: table); json is the egress-atlas/check@1 contract,
                           sarif is SARIF 2.1.0 for GitHub code scanning, junit is JUnit XML for
                           Azure Pipelines / Jenkins (one test case per control and source)
  --out <file>             write the output to a file instead of stdout (- for stdout)
  --demo [name]            use an embedded demo estate (default: bank)
  --destination <dest>     evaluate route-level requirements (forbidExits, requireVia, ...)
                           against this destination instead of the default route 0.0.0.0/0
  --resolve <name=ip>      the public address a host name resolves to (repeatable)
  --service-tags <file>    service tag prefixes (ServiceTags_Public_*.json)
  --now <date>             judge exception expiry as of this instant (default: now):
                           YYYY-MM-DD (its start, UTC) or an ISO 8601 date-time with a
                           time zone (2027-04-01T03:00:00Z); no zone is a usage error
  --help                   this text

Exit codes: 0 no deny control failed (audit controls never change it), 1 a deny control failed
or an operational failure such as an unwritable --out (stderr says which), 2 bad input, a bad
policy (every problem listed with file, line and field) or usage.
`;

const SPEC = {
  demo: 'optional-value', policy: 'value', format: 'value', out: 'value', destination: 'value',
  'service-tags': 'value', now: 'value', help: 'flag',
} as const;

const FORMATS = ['table', 'json', 'sarif', 'junit'] as const;

/** Reads and parses a policy file; throws PolicyError (every issue with file, line and field) or InputPathError. */
export async function readPolicyFile(file: string, cwd: string): Promise<Policy> {
  const path = isAbsolute(file) ? file : resolvePath(cwd, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InputPathError(`${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : 'cannot be read'}`);
  }
  return parsePolicy(text, file);
}

/**
 * The policy's location as SARIF wants it (§3.10.2, a URI reference): relative to the working
 * directory (the repository root in CI), forward slashes, each segment percent-encoded (RFC 3986
 * §2.1): `egress #1.yaml` as written would be a file "egress " and a fragment. A file outside the
 * working directory has no path relative to the repository that code scanning could open (`../`
 * climbs out of it), so it is given as an absolute file: URI instead.
 */
export function policyUri(file: string, cwd: string): string {
  const path = isAbsolute(file) ? file : resolvePath(cwd, file);
  const rel = relative(cwd, path);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return pathToFileURL(path).href;
  return rel.split(sep).map(encodeURIComponent).join('/');
}

/** The policy's path for people: as policyUri, without the encoding. */
function policyName(file: string, cwd: string): string {
  const path = isAbsolute(file) ? file : resolvePath(cwd, file);
  const rel = relative(cwd, path);
  return rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel) ? path : rel.split(sep).join('/');
}

/**
 * `--now`: a day (its start, UTC) or a date-time with its time zone, read by the one strict reader
 * `--since` and `--timestamp` use (readInstantOption), so every date option is refused in the same
 * words. A date-time without a zone is refused rather than read in the runner's local time zone:
 * the same command would then judge a waiver expired on one CI agent and valid on another.
 */
export function parseNow(text: string | undefined): Date {
  if (text === undefined) return new Date();
  const read = readInstantOption(text, { option: '--now', example: '2027-04-01T03:00:00Z' });
  if (!read.ok) throw new UsageError(read.message);
  return new Date(read.at);
}

const STATUS: Readonly<Record<ControlResult['status'], string>> = { pass: 'PASS', fail: 'FAIL', 'not-applicable': 'N/A ' };

export function formatCheckTable(result: CheckResult): string {
  const lines: string[] = [`Policy ${result.policy} against ${result.destination} (${result.sources.length} source${result.sources.length === 1 ? '' : 's'}), ${result.evaluatedAt}`];
  if (result.destinationInterpretation !== undefined) lines.push(`interpretation: ${result.destinationInterpretation}`);
  lines.push('');
  // Before any PASS: every result below holds only for what was read.
  const gaps = result.gaps ?? [];
  if (gaps.length > 0) {
    lines.push(`Not read (${gaps.length}): no control was judged there; a PASS below holds only for what was read`);
    for (const g of gaps) lines.push(`  ${gapText(g)}`);
    lines.push('');
  }
  for (const c of result.controls) {
    const counts = c.status === 'not-applicable' ? '' : `  ${c.violations.length} violation(s) in ${c.inScope.length} source(s)`;
    lines.push(`${STATUS[c.status]}  ${c.effect.padEnd(8)} ${c.id}: ${c.title}${counts}`);
    for (const v of c.violations) lines.push(`        ${v.source.name} (${v.source.type}): ${v.reason}`);
    for (const { source, exception: e } of c.exceptionsApplied) {
      lines.push(`        waived ${source.name}: ${e.reason} (${e.ticket ? `${e.ticket}, ` : ''}until ${e.expires})`);
    }
    for (const e of c.exceptionsExpired) lines.push(`        expired: ${e.message}`);
    for (const n of c.notes) lines.push(`        note: ${n}`);
  }
  const s = result.summary;
  const partial = s.notJudgedUnread ?? [];
  lines.push('', `${s.controls} control${s.controls === 1 ? '' : 's'}: ${s.passed} pass, ${s.failed} fail, ${s.notApplicable} not applicable${s.denyFailed.length > 0 ? ` | deny failed: ${s.denyFailed.join(', ')}` : ''}${partial.length > 0 ? ` | not judged where the input was not read: ${partial.join(', ')}` : ''}`, '');
  // Each row escaped on its own (safe): a line break in a name, a reason or a ticket cannot add a row.
  return lines.map(safe).join('\n');
}

export const checkCommand: CliCommand = {
  name: 'check',
  summary: 'Check the estate against an egress policy (controls pass or fail; table, JSON, SARIF, JUnit)',
  usage: USAGE,
  async run(args, io) {
    const { values: resolveValues, rest } = takeRepeated(args, 'resolve', { splitCommas: false });
    const parsed = parseArgs(rest, SPEC, ['resolve']);
    if (parsed.options.help === true) {
      io.stdout(USAGE);
      return 0;
    }
    const policyFile = stringOption(parsed, 'policy');
    if (policyFile === undefined) throw new UsageError('--policy <file> is required');
    const format = oneOf(parsed, 'format', FORMATS, 'table');
    const destinationText = stringOption(parsed, 'destination');
    const destination = destinationText === undefined ? null : validateDestination(destinationText);
    const resolve = parseResolveOptions(resolveValues);
    const now = parseNow(stringOption(parsed, 'now'));
    const out = outFile(stringOption(parsed, 'out'));
    // The policy first: a broken policy is reported before minutes are spent loading an estate. Its
    // PolicyError goes to main.ts reportError, the one path that prints every issue (escaped, exit 2).
    const policy = await readPolicyFile(policyFile, io.cwd);
    const snapshot = await loadEstate(parsed.positionals, parsed.options.demo, io.cwd, stringOption(parsed, 'service-tags'));
    const result = checkPolicy(snapshot, policy, { now, destination, resolve });
    const text = format === 'json' ? `${JSON.stringify(result, null, 2)}\n`
      : format === 'sarif' ? `${JSON.stringify(toSarif(result, { policyUri: policyUri(policyFile, io.cwd), policyName: policyName(policyFile, io.cwd), toolVersion: TOOL_VERSION }), null, 2)}\n`
        : format === 'junit' ? toJunit(result)
          : safeTable(formatCheckTable(result));
    if (out === undefined) io.stdout(text);
    else {
      await writeFile(isAbsolute(out) ? out : resolvePath(io.cwd, out), text, 'utf8');
      io.stderr(wroteLine(`${out}`));
    }
    // Expired waivers are errors in the policy, said on stderr whatever the format; the check still ran without them.
    for (const c of result.controls) for (const e of c.exceptionsExpired) io.stderr(errorLine(e.message));
    // The table has no other place for them that a reader sees next to the controls: the machine
    // formats carry them as unmatchedScope (json), a notification (sarif) or a property (junit).
    if (format === 'table') {
      const name = policyName(policyFile, io.cwd);
      for (const c of result.controls) for (const u of c.unmatchedScope ?? []) io.stderr(`note: ${safe(unmatchedScopeText(name, c, u))}\n`);
    }
    // Whatever the format (and with --out, when stdout is empty): the CI log says the run saw part of the estate.
    const gaps = result.gaps ?? [];
    if (gaps.length > 0) {
      io.stderr(`warning: ${safe(`the input did not read ${gaps.length} part(s) of the estate, so no control was judged there: ${gaps.map((g) => `${g.scope} (${g.code})`).join(', ')}`)}\n`);
    }
    const code = checkExitCode(result);
    if (code === 1) {
      const failed = result.controls.filter((c) => c.effect === 'deny' && c.status === 'fail');
      // Source names are the estate's data: escaped, as the table on stdout shows them.
      io.stderr(safe(`check failed: ${failed.length} deny control(s) failed: ${failed.map((c) => `${c.id} (${c.violations.length} violation(s): ${[...new Set(c.violations.map((v) => v.source.name))].slice(0, 3).join(', ')}${new Set(c.violations.map((v) => v.source.name)).size > 3 ? ', …' : ''})`).join('; ')}`) + '\n');
    }
    return code;
  },
};

/**
 * `egress-atlas reach`: what can each subnet (and NIC that differs) reach on the internet at all?
 */
import { writeFile } from 'node:fs/promises';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { computeReach } from '../../../shared/egress/reach';
import { oneOf, parseArgs, stringOption, takeRepeated } from '../args';
import type { CliCommand } from '../command';
import { outFile } from '../out';
import { loadEstate } from '../estate';
import { errorLine, formatReach, wroteLine } from '../format-table';
import { parseResolveOptions, sourceMatchesSource } from './resolve';

const USAGE = `Usage: egress-atlas reach <input...> [options]
       egress-atlas reach --demo [name] [options]

Lists, per subnet (and NIC whose path differs), the internet destinations its configuration
allows: "unrestricted" when any public destination gets out on TCP 443 (a direct path, or rules
that allow everything), otherwise each destination the firewall or NSG rules on its path allow,
checked through the same engine as a what-if, with the rule that allows it. Private reach lists
the subnet's service endpoints and the private endpoints in the VNet and its peered VNets that the
source's path reaches: each endpoint's address and FQDNs are resolved through the same engine on
TCP 443 (an NSG, a route to a firewall and private DNS count); "may reach" when not known.

Options:
  --demo [name]            use an embedded demo estate (default: bank)
  --source <name-or-id>    only this subnet or NIC
  --format table|json      output format (default: table); json is the egress-atlas/reach@1 contract
  --resolve <name=ip>      the public address a host name resolves to (repeatable)
  --service-tags <file>    service tag prefixes (ServiceTags_Public_*.json)
  --out <file>             write the output to a file instead of stdout (- for stdout)
  --help                   this text

Exit codes: 0 ok, 1 an operational failure such as an unwritable --out, 2 bad input or usage.
`;

const SPEC = { demo: 'optional-value', format: 'value', source: 'value', out: 'value', 'service-tags': 'value', help: 'flag' } as const;

export const reachCommand: CliCommand = {
  name: 'reach',
  summary: 'List what each subnet and NIC can reach on the internet, and which rule allows it',
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
    const source = stringOption(parsed, 'source');
    const out = outFile(stringOption(parsed, 'out'));
    const snapshot = await loadEstate(parsed.positionals, parsed.options.demo, io.cwd, stringOption(parsed, 'service-tags'));
    const reach = computeReach(snapshot, { resolve, ...(source === undefined ? {} : { source: (s) => sourceMatchesSource(s, source) }) });
    if (source !== undefined && reach.sources.length === 0) {
      io.stderr(errorLine(`--source "${source}" matches no subnet or NIC`));
      return 2;
    }
    const color = out === undefined && io.isTTY && (io.env.NO_COLOR ?? '') === '';
    const text = format === 'json' ? `${JSON.stringify(reach, null, 2)}\n` : formatReach(reach, { color });
    if (out === undefined) io.stdout(text);
    else {
      await writeFile(isAbsolute(out) ? out : resolvePath(io.cwd, out), text, 'utf8');
      io.stderr(wroteLine(`${out}`));
    }
    return 0;
  },
};

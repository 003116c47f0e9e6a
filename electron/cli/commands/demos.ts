/**
 * `egress-atlas demos`: the embedded demo estates `resolve --demo <name>` accepts.
 */
import { DEFAULT_DEMO, DEMO_ESTATES } from '../../../shared/demo/index';
import { parseArgs, UsageError } from '../args';
import type { CliCommand } from '../command';

const USAGE = `Usage: egress-atlas demos

Lists the embedded demo estates (use one with "egress-atlas resolve --demo <name>").

Exit codes: 0 ok, 1 an operational failure (stderr says which), 2 usage.
`;

export const demosCommand: CliCommand = {
  name: 'demos',
  summary: 'List the embedded demo estates',
  usage: USAGE,
  async run(args, io) {
    const parsed = parseArgs(args, { help: 'flag' });
    if (parsed.options.help === true) {
      io.stdout(USAGE);
      return 0;
    }
    // What is wrong goes to stderr: the usage on stdout would be read by a pipeline as the list.
    if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument "${parsed.positionals[0] ?? ''}"`);
    const width = Math.max(...DEMO_ESTATES.map((d) => d.name.length)) + 2;
    const lines = DEMO_ESTATES.map((d) => {
      const mark = d.name === DEFAULT_DEMO ? ' (default)' : '';
      return `${d.name.padEnd(width)}${d.title}${mark}\n${' '.repeat(width)}${d.description}`;
    });
    io.stdout(`${lines.join('\n\n')}\n`);
    return 0;
  },
};

/**
 * `egress-atlas demos`: the embedded demo estates `resolve --demo <name>` accepts.
 */
import { DEFAULT_DEMO, DEMO_ESTATES } from '../../../shared/demo/index';
import { parseArgs } from '../args';
import type { CliCommand } from '../command';

const USAGE = `Usage: egress-atlas demos

Lists the embedded demo estates (use one with "egress-atlas resolve --demo <name>").
`;

export const demosCommand: CliCommand = {
  name: 'demos',
  summary: 'List the embedded demo estates',
  usage: USAGE,
  async run(args, io) {
    const parsed = parseArgs(args, { help: 'flag' });
    if (parsed.options.help === true || parsed.positionals.length > 0) {
      io.stdout(USAGE);
      return parsed.options.help === true ? 0 : 2;
    }
    const width = Math.max(...DEMO_ESTATES.map((d) => d.name.length)) + 2;
    const lines = DEMO_ESTATES.map((d) => {
      const mark = d.name === DEFAULT_DEMO ? ' (default)' : '';
      return `${d.name.padEnd(width)}${d.title}${mark}\n${' '.repeat(width)}${d.description}`;
    });
    io.stdout(`${lines.join('\n\n')}\n`);
    return 0;
  },
};

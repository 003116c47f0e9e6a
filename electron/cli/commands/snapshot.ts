/**
 * `egress-atlas snapshot`: freeze inputs (or a demo) into one `egress-atlas/snapshot@1` file that
 * resolves the same way later, on any machine, and that evidence can cite by its SHA-256.
 */
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { parseArgs, stringOption, UsageError } from '../args';
import type { CliCommand } from '../command';
import { loadEstate } from '../estate';
import { writeSnapshot } from '../../snapshot/index';

const USAGE = `Usage: egress-atlas snapshot <input...> --out <file.json>
       egress-atlas snapshot --demo [name] --out <file.json>

Normalizes snapshot / ARM / az JSON files or directories (or a demo estate) and writes one
egress-atlas/snapshot@1 file with its SHA-256.

Options:
  --out <file>     where to write the snapshot (required)
  --demo [name]    snapshot an embedded demo estate (default: bank)
  --service-tags <file>
                   store these service tag prefixes (ServiceTags_Public_*.json or saved
                   az network list-service-tags output) in the snapshot, with their change number
  --help           this text
`;

export const snapshotCommand: CliCommand = {
  name: 'snapshot',
  summary: 'Write a snapshot file from ARM/az JSON inputs or a demo',
  usage: USAGE,
  async run(args, io) {
    const parsed = parseArgs(args, { out: 'value', demo: 'optional-value', 'service-tags': 'value', help: 'flag' });
    if (parsed.options.help === true) {
      io.stdout(USAGE);
      return 0;
    }
    const out = stringOption(parsed, 'out');
    if (out === undefined) throw new UsageError('--out <file.json> is required');
    const snapshot = await loadEstate(parsed.positionals, parsed.options.demo, io.cwd, stringOption(parsed, 'service-tags'));
    await writeSnapshot(isAbsolute(out) ? out : resolvePath(io.cwd, out), snapshot);
    const m = snapshot.model;
    io.stderr(`wrote ${out}: ${m.virtualNetworks.length} VNets, ${m.subnets.length} subnets, ${m.networkInterfaces.length} NICs, ${snapshot.gaps.length} gaps, sha256 ${snapshot.sha256}\n`);
    return 0;
  },
};

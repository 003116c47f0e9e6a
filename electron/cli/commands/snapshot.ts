/**
 * `egress-atlas snapshot`: freeze inputs (or a demo) into one `egress-atlas/snapshot@1` file that
 * resolves the same way later, on any machine, and that evidence can cite by its SHA-256.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { parseArgs, stringOption, UsageError } from '../args';
import type { CliCommand } from '../command';
import { outFile, refuseStdout, stdoutDelivered } from '../out';
import { loadEstate } from '../estate';
import { readSigningKey, writeSignature } from '../signing';
import { formatSnapshot, writeSnapshot } from '../../snapshot/index';
import { wroteLine } from '../format-table';

const USAGE = `Usage: egress-atlas snapshot <input...> --out <file.json>
       egress-atlas snapshot --demo [name] --out <file.json>

Normalizes snapshot / ARM / az JSON files or directories (or a demo estate) and writes one
egress-atlas/snapshot@1 file with its SHA-256.

Options:
  --out <file>     where to write the snapshot (required; - for stdout, not with --sign)
  --demo [name]    snapshot an embedded demo estate (default: bank)
  --service-tags <file>
                   store these service tag prefixes (ServiceTags_Public_*.json or saved
                   az network list-service-tags output) in the snapshot, with their change number
  --sign <key.pem> also write <out>.sig: an Ed25519 signature over the file's bytes with this
                   private key (PEM, PKCS#8: openssl genpkey -algorithm ed25519 -out key.pem);
                   check it with egress-atlas verify
  --help           this text

Exit codes: 0 written, 1 an operational failure such as an unwritable --out (the file could not
be written) or, with --out -, stdout closed before the snapshot was all written (no "written"
line then), 2 bad input or usage.
`;

export const snapshotCommand: CliCommand = {
  name: 'snapshot',
  summary: 'Write a snapshot file from ARM/az JSON inputs or a demo',
  usage: USAGE,
  async run(args, io) {
    const parsed = parseArgs(args, { out: 'value', demo: 'optional-value', 'service-tags': 'value', sign: 'value', help: 'flag' });
    if (parsed.options.help === true) {
      io.stdout(USAGE);
      return 0;
    }
    const out = stringOption(parsed, 'out');
    if (out === undefined) throw new UsageError('--out <file.json> is required');
    const signWith = stringOption(parsed, 'sign');
    // The signature is a file beside the snapshot (<out>.sig): there is no such file for stdout.
    if (signWith !== undefined) refuseStdout(out, '--sign writes <out>.sig beside the snapshot file', '<file.json>');
    // The key is read first: a bad key fails (exit 2) before anything is written unsigned.
    const key = signWith === undefined ? undefined : await readSigningKey(signWith, io.cwd);
    const snapshot = await loadEstate(parsed.positionals, parsed.options.demo, io.cwd, stringOption(parsed, 'service-tags'));
    const m = snapshot.model;
    const counts = `${m.virtualNetworks.length} VNets, ${m.subnets.length} subnets, ${m.networkInterfaces.length} NICs, ${snapshot.gaps.length} gaps, sha256 ${snapshot.sha256}`;
    if (outFile(out) === undefined) {
      // The same bytes writeSnapshot puts in a file; the counts go to stderr, as with a file, once
      // stdout took them all: a pipe closed early (`| head -c 10`) is exit 1 (StdoutError), and no
      // line gives a hash for a snapshot that never arrived.
      io.stdout(formatSnapshot(snapshot));
      await stdoutDelivered(io);
      io.stderr(`snapshot written to stdout: ${counts}\n`);
      return 0;
    }
    const path = isAbsolute(out) ? out : resolvePath(io.cwd, out);
    await writeSnapshot(path, snapshot);
    io.stderr(wroteLine(`${out}: ${counts}`));
    if (key !== undefined) {
      // Signs the bytes as they are on disk, whatever writeSnapshot's formatting: verify reads the same bytes.
      await writeSignature(path, await readFile(path), key);
      io.stderr(wroteLine(`${out}.sig (Ed25519 signature over ${out}; check it with egress-atlas verify)`));
    }
    return 0;
  },
};

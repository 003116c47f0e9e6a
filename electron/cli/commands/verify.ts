/**
 * `egress-atlas verify`: checks the detached Ed25519 signature that `snapshot --sign` or
 * `report --sign` wrote, so an auditor can tell that a snapshot or evidence PDF is byte for byte
 * what the key holder produced. The SHA-256 inside a snapshot cannot tell that (anyone who edits
 * the file can recompute it); a signature can.
 */
import { parseArgs, stringOption, UsageError } from '../args';
import type { CliCommand } from '../command';
import { safe } from '../format-table';
import { parseSignature, readInputFile, readVerifyingKey, signatureMatches, signaturePath } from '../signing';

const USAGE = `Usage: egress-atlas verify <file> --public-key <key.pem> [--signature <file.sig>]

Checks the detached Ed25519 signature that "snapshot --sign" or "report --sign" wrote over the
file's exact bytes.

Options:
  --public-key <file>  the signer's public key, PEM (SPKI), e.g. from
                       openssl pkey -in key.pem -pubout -out key.pub.pem (required)
  --signature <file>   the signature file (default: <file>.sig)
  --help               this text

Exit codes: 0 signature valid, 1 signature does not match (the file was changed after signing
or signed with another key) or an operational failure (stderr says which), 2 bad input or usage
(missing file, unreadable key, not Ed25519, not a signature file).
`;

export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: 'Check the Ed25519 signature that --sign wrote for a snapshot or PDF',
  usage: USAGE,
  async run(args, io) {
    const parsed = parseArgs(args, { 'public-key': 'value', signature: 'value', help: 'flag' });
    if (parsed.options.help === true) {
      io.stdout(USAGE);
      return 0;
    }
    const [file, ...extra] = parsed.positionals;
    if (file === undefined) throw new UsageError('give the file to verify');
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0] ?? ''}"`);
    const publicKey = stringOption(parsed, 'public-key');
    if (publicKey === undefined) throw new UsageError('--public-key <key.pem> is required');
    const signatureFile = stringOption(parsed, 'signature') ?? signaturePath(file);

    // Every input is read and checked before the verdict, so exit 1 only ever means "does not match".
    const key = await readVerifyingKey(publicKey, io.cwd);
    const bytes = await readInputFile(file, io.cwd, 'file to verify');
    const signature = parseSignature((await readInputFile(signatureFile, io.cwd, 'signature')).toString('utf8'), signatureFile);
    if (signatureMatches(bytes, signature, key)) {
      // The paths come from whoever sent the file: shown escaped, so a name holding a carriage return
      // or an escape sequence cannot overwrite the verdict line with another one.
      io.stdout(`signature valid: ${safe(file)} (${bytes.length} bytes) is signed by the key in ${safe(publicKey)}\n`);
      return 0;
    }
    io.stderr(`signature does not match: ${safe(file)} was changed after signing, or ${safe(signatureFile)} was made with another key\n`);
    return 1;
  },
};

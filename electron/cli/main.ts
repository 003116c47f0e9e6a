/**
 * `egress-atlas`: dispatches to the commands in commands/index.ts. `runCli` is pure with respect
 * to the process (it talks only to a CliIo and returns the exit code), so tests run it in-process;
 * `runFromProcess` wires it to the real streams for bin.mjs.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, relative } from 'node:path';
import { InputError } from '../../shared/model/errors';
import { formatIssue, PolicyError } from '../../shared/policy/index';
import { nearest, UsageError } from './args';
import type { CliCommand, CliIo } from './command';
import { COMMANDS } from './commands/index';
import { InputPathError, TOOL_VERSION } from './estate';
import { StdoutError, stdoutDelivered } from './out';
import { ownTemporarySuffix } from './signing';
import { errorLine, safe } from './format-table';

function usage(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    'Usage: egress-atlas <command> [options]',
    '',
    'Shows where every Azure subnet\'s and NIC\'s internet-bound traffic goes, through what, out of which public IPs, and why.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Options:',
    '  --help     this text (or "egress-atlas <command> --help")',
    '  --version  print the version',
    '',
    'Try: egress-atlas resolve --demo bank',
    '',
  ].join('\n');
}

/** The words that ask for help, wherever they stand. */
const HELP_WORDS: readonly string[] = ['help', '--help', '-h'];

function didYouMean(text: string, commands: readonly CliCommand[]): string {
  const guess = nearest(text, commands.map((c) => c.name));
  return guess === undefined ? '' : ` (did you mean "${guess}"?)`;
}

/** What a failed file operation means, in words: Node's own message names the system call and the raw path. */
const FILE_ERRORS: Readonly<Record<string, string>> = {
  EISDIR: 'is a directory', ENOENT: 'no such file or directory', ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied', EPERM: 'permission denied', EROFS: 'read-only file system', ENOSPC: 'no space left on the device',
};

/**
 * A file operation that failed (mostly writing `--out` to a directory or a missing folder), as
 * one line naming the file the user gave: never the `<out>.<pid>.tmp` a safe write goes through,
 * which the user did not name and which is already removed.
 */
export function fileErrorLine(error: unknown, cwd: string): string | null {
  if (!(error instanceof Error)) return null;
  const { code, path, dest } = error as NodeJS.ErrnoException & { readonly dest?: string };
  const reason = code === undefined ? undefined : FILE_ERRORS[code];
  const failed = dest ?? path;
  const suffix = ownTemporarySuffix();
  const target = failed?.endsWith(suffix) === true ? failed.slice(0, -suffix.length) : failed;
  if (reason === undefined || target === undefined) return null;
  const show = (path: string): string => {
    const rel = relative(cwd, path);
    return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
  };
  // ENOENT on a write means the folder is missing, not the file the command was about to create.
  const folder = dirname(target);
  if (code === 'ENOENT' && !existsSync(folder)) return `${show(target)}: the folder ${show(folder)} does not exist`;
  return `${show(target)}: ${reason}`;
}

/**
 * One line for any failure; exit 2 for bad input or usage, 1 for anything unexpected (an
 * operational failure: an unwritable --out, a full disk). Messages quote input (a file's first
 * bytes, a name, an argument): each is one `error:` line with its control characters and line
 * breaks shown escaped (errorLine), so a file can neither recolour the terminal nor forge a line.
 */
function reportError(error: unknown, command: CliCommand | undefined, io: CliIo): number {
  // A policy's every issue is one line of its own (file:line: field: problem), each escaped: the
  // one path for check, report --policy and traffic --policy.
  if (error instanceof PolicyError) {
    io.stderr(error.issues.map((issue) => errorLine(formatIssue(issue))).join(''));
    return 2;
  }
  if (error instanceof InputError || error instanceof InputPathError) {
    io.stderr(errorLine(error.message));
    return 2;
  }
  if (error instanceof UsageError) {
    io.stderr(errorLine(error.message));
    if (command !== undefined) io.stderr(`(see "egress-atlas ${command.name} --help")\n`);
    return 2;
  }
  // Stdout closed under the command (`... --out - | head`): an operational failure, one line.
  if (error instanceof StdoutError) {
    io.stderr(errorLine(error.message));
    return 1;
  }
  const message = fileErrorLine(error, io.cwd) ?? (error instanceof Error ? error.message : String(error));
  io.stderr(errorLine(message.split('\n')[0] ?? message));
  if ((io.env.EGRESS_ATLAS_DEBUG ?? '') !== '' && error instanceof Error && error.stack !== undefined) io.stderr(`${error.stack}\n`);
  return 1;
}

export async function runCli(argv: readonly string[], io: CliIo, commands: readonly CliCommand[] = COMMANDS): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr(usage(commands));
    return 2;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    // `help help`, `help -h`: help about help is the general help.
    const asked = first === 'help' && !HELP_WORDS.includes(rest[0] ?? '') ? rest[0] : undefined;
    const topic = asked === undefined ? undefined : commands.find((c) => c.name === asked);
    if (asked !== undefined && topic === undefined) {
      io.stderr(`error: unknown command "${safe(asked)}"${didYouMean(asked, commands)}\n`);
      return 2;
    }
    const extra = rest[first === 'help' && rest.length > 0 ? 1 : 0];
    if (extra !== undefined) {
      io.stderr(`error: unexpected argument "${safe(extra)}" after help\n`);
      return 2;
    }
    io.stdout(topic?.usage ?? usage(commands));
    return 0;
  }
  if (first === '--version' || first === '-v') {
    // As for help: an extra word is a mistake to say, not something to ignore.
    if (rest.length > 0) {
      io.stderr(`error: unexpected argument "${safe(rest[0] ?? '')}" after ${first}\n`);
      return 2;
    }
    io.stdout(`egress-atlas ${TOOL_VERSION}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === first);
  if (command === undefined && first.startsWith('-')) {
    // Before a command only --help and --version are options: `--verison` is one of them mistyped;
    // `--resolve` is a command written as an option.
    const word = first.replace(/^-+/, '');
    const option = nearest(word, ['help', 'version']);
    const named = option === undefined ? nearest(word, commands.map((c) => c.name)) : undefined;
    const hint = option !== undefined ? ` (did you mean "--${option}"?)` : named !== undefined ? ` (did you mean "${named}"?)` : '';
    io.stderr(`error: unknown option ${safe(first)}${hint}\n\n${usage(commands)}`);
    return 2;
  }
  if (command === undefined) {
    io.stderr(`error: unknown command "${safe(first)}"${didYouMean(first, commands)}\n\n${usage(commands)}`);
    return 2;
  }
  // -h and --help on every command (a command may not list -h in its own option spec).
  if (rest.includes('-h') || rest.includes('--help')) {
    io.stdout(command.usage);
    return 0;
  }
  let code: number;
  try {
    code = await command.run(rest, io);
  } catch (error) {
    return reportError(error, command, io);
  }
  // The output is on stdout for every command (its table, JSON, summary): a command that ends
  // while stdout failed did not deliver it, so it may not exit 0. Findings (1) or a refusal (2)
  // keep their code; the line on stderr says what else went wrong.
  try {
    await stdoutDelivered(io);
  } catch (error) {
    const failed = reportError(error, command, io);
    return code === 0 ? failed : code;
  }
  return code;
}

/** The real process as a CliIo. */
export function processIo(): CliIo {
  // A closed pipe (`egress-atlas resolve ... | head`) or a failed write (a full disk behind
  // `> file`) is not an error worth a stack trace: it is kept, and drainStdout turns it into one
  // line and exit 1 when the command ends.
  let failure: NodeJS.ErrnoException | null = null;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    failure ??= e;
  });
  const drainStdout = (): Promise<void> => new Promise((done, fail) => {
    if (failure !== null || process.stdout.destroyed) {
      fail(new StdoutError(failure?.code));
      return;
    }
    // Writes complete in order: the callback of this one runs once every earlier write is done.
    process.stdout.write('', (error) => {
      const e = (error ?? failure) as NodeJS.ErrnoException | null | undefined;
      if (e) fail(new StdoutError(e.code ?? 'EPIPE'));
      else done();
    });
  });
  return {
    stdout: (text) => { process.stdout.write(text); },
    drainStdout,
    stderr: (text) => { process.stderr.write(text); },
    isTTY: process.stdout.isTTY === true,
    cwd: process.cwd(),
    env: process.env,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}

export function runFromProcess(): Promise<number> {
  return runCli(process.argv.slice(2), processIo());
}

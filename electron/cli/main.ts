/**
 * `egress-atlas`: dispatches to the commands in commands/index.ts. `runCli` is pure with respect
 * to the process (it talks only to a CliIo and returns the exit code), so tests run it in-process;
 * `runFromProcess` wires it to the real streams for bin.mjs.
 */
import { InputError } from '../../shared/model/errors';
import { UsageError } from './args';
import type { CliCommand, CliIo } from './command';
import { COMMANDS } from './commands/index';
import { InputPathError, TOOL_VERSION } from './estate';

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

/** Edit distance, for "did you mean" on a mistyped command. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

function didYouMean(text: string, commands: readonly CliCommand[]): string {
  const best = [...commands].map((c) => ({ name: c.name, d: distance(text.toLowerCase(), c.name) })).sort((x, y) => x.d - y.d)[0];
  return best && best.d <= 2 ? ` (did you mean "${best.name}"?)` : '';
}

/** One line for any failure; exit 2 for bad input or usage, 1 for anything unexpected. */
function reportError(error: unknown, command: CliCommand | undefined, io: CliIo): number {
  if (error instanceof InputError) {
    io.stderr(`error: ${error.message}\n`);
    return 2;
  }
  if (error instanceof UsageError) {
    io.stderr(`error: ${error.message}\n`);
    if (command !== undefined) io.stderr(`(see "egress-atlas ${command.name} --help")\n`);
    return 2;
  }
  if (error instanceof InputPathError) {
    io.stderr(`error: ${error.message}\n`);
    return 2;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr(`error: ${message.split('\n')[0] ?? message}\n`);
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
    const asked = first === 'help' ? rest[0] : undefined;
    const topic = asked === undefined ? undefined : commands.find((c) => c.name === asked);
    if (asked !== undefined && topic === undefined) {
      io.stderr(`error: unknown command "${asked}"${didYouMean(asked, commands)}\n`);
      return 2;
    }
    if (rest.length > (asked === undefined ? 0 : 1)) {
      io.stderr(`error: unexpected argument "${rest[asked === undefined ? 0 : 1] ?? ''}" after help\n`);
      return 2;
    }
    io.stdout(topic?.usage ?? usage(commands));
    return 0;
  }
  if (first === '--version' || first === '-v') {
    io.stdout(`egress-atlas ${TOOL_VERSION}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === first);
  if (command === undefined) {
    io.stderr(`error: unknown command "${first}"${didYouMean(first, commands)}\n\n${usage(commands)}`);
    return 2;
  }
  // -h and --help on every command (a command may not list -h in its own option spec).
  if (rest.includes('-h') || rest.includes('--help')) {
    io.stdout(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    return reportError(error, command, io);
  }
}

/** The real process as a CliIo. */
export function processIo(): CliIo {
  // A closed pipe (`egress-atlas resolve ... | head`) is not an error worth a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
  return {
    stdout: (text) => { process.stdout.write(text); },
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

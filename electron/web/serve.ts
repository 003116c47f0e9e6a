/**
 * `npm run web`: browser mode. Builds the renderer if needed, starts the loopback bridge and
 * prints the one URL to open. Options: --demo <name> (default bank; `--demo none` opens nothing),
 * --port <n> (default: a free port), --data-dir <dir>, --quiet (only the URL line), --help / -h
 * (SERVE_HELP on stdout, exit 0, nothing started).
 * `npm run web -- FILE...` opens those snapshot / ARM files or directories instead of a demo: the
 * main side reads them (progress on stderr) and the page opens the loaded estate without an upload.
 */
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_ESTATES } from '../../shared/demo';
import { browserDataDir } from '../services/data-dir';
import { progressPrinter } from '../services/load-estate';
import { newLinkOnEnter, startWebServer, type WebServer } from './server';

export interface ServeOptions {
  readonly demo: string | null;
  readonly port: number;
  readonly dataDir: string | null;
  readonly quiet: boolean;
  /** Snapshot / ARM files or directories to open instead of a demo (absolute, or relative to the cwd). */
  readonly paths?: readonly string[];
}

export const SERVE_USAGE = 'Usage: npm run web -- [FILE|DIR...] [--demo <name>|none] [--port <n>] [--data-dir <dir>] [--quiet]';

/** `npm run web -- --help`: the usage with every option explained (what the README says of them). */
export const SERVE_HELP = `${SERVE_USAGE}

Browser mode: builds the renderer first when its sources changed since the last build, starts a
server on 127.0.0.1 only, and prints the one URL to open:
  Egress Atlas is running. Open http://127.0.0.1:<port>/?launch#code=…&demo=bank  (Ctrl+C to stop)
Without FILE|DIR the page opens on the bank demo.

Options:
  FILE|DIR...          snapshot or ARM / az JSON files, or directories of them, to open instead of
                       a demo (as egress-atlas ui does): this side reads and resolves them, with
                       progress on stderr, and the page opens the estate without uploading anything
  --demo <name>|none   the demo estate to open: ${DEMO_ESTATES.map((d) => d.name).join(', ')} (default: bank);
                       none opens the start screen
  --port <n>           a fixed port, 0 to 65535 (default: a free one)
  --data-dir <dir>     where the recent list and copies of opened files are kept (default:
                       EGRESS_ATLAS_DATA_DIR, else $XDG_CONFIG_HOME/egress-atlas, else
                       ~/.config/egress-atlas)
  --quiet              print the bare URL only: no "press Enter for a new link" line, and
                       Enter gives no new link (run without --quiet for that)
  --help, -h           this text

In a terminal, each link opens once, within 10 minutes: press Enter there for a new one
(not with --quiet).
Exit codes: 0 stopped (Ctrl+C) or --help, 1 the server could not start, 2 bad usage.
`;

/** The options whose value is the next word (`--demo health`), as parseServeArgs reads them. */
const VALUE_OPTIONS: ReadonlySet<string> = new Set(['--demo', '--port', '--data-dir']);

/**
 * `--help` or `-h` where an option stands (checked before any value is read): the help, nothing
 * started. The value of an option is not one (`--data-dir -h` names a directory `-h`, as
 * parseServeArgs reads it).
 */
export function serveHelpRequested(args: readonly string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--help' || arg === '-h') return true;
    if (VALUE_OPTIONS.has(arg)) i += 1;
  }
  return false;
}

/** Parses the command line; returns an error message for bad usage. */
export function parseServeArgs(args: readonly string[]): ServeOptions | string {
  let demo: string | null = 'bank';
  let port = 0;
  let dataDir: string | null = null;
  let quiet = false;
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | null => {
      if (inline !== undefined) return inline;
      i += 1;
      return args[i] ?? null;
    };
    switch (flag) {
      case '--demo': {
        const name = value();
        const names = DEMO_ESTATES.map((d) => d.name);
        if (name === null || (name !== 'none' && !names.includes(name))) {
          return `--demo needs one of: ${names.join(', ')}, none\n${SERVE_USAGE}`;
        }
        demo = name === 'none' ? null : name;
        break;
      }
      case '--port': {
        const text = value();
        const n = Number(text);
        if (text === null || !/^\d+$/.test(text) || n > 65535) return `--port needs a number from 0 to 65535\n${SERVE_USAGE}`;
        port = n;
        break;
      }
      case '--data-dir': {
        const dir = value();
        if (dir === null || dir.length === 0) return `--data-dir needs a directory\n${SERVE_USAGE}`;
        dataDir = dir;
        break;
      }
      case '--quiet':
        quiet = true;
        break;
      case '--help':
      case '-h':
        // Callers check serveHelpRequested first (print SERVE_HELP, exit 0); one that does not
        // still shows the whole help rather than calling --help unknown.
        return SERVE_HELP;
      default:
        if (!arg.startsWith('-') && arg.length > 0) {
          paths.push(arg);
          break;
        }
        return `Unknown option: ${arg}\n${SERVE_USAGE}`;
    }
  }
  return { demo, port, dataDir, quiet, ...(paths.length > 0 ? { paths } : {}) };
}

/** Starts browser mode and prints the URL line. Shared with `npm start` (electron/launch.ts). */
export async function serveBrowserMode(
  options: ServeOptions, out: (line: string) => void = console.log, err: (line: string) => void = console.error,
): Promise<WebServer> {
  const log = options.quiet ? () => undefined : out;
  // `npm run web` runs in the package root; npm keeps the user's directory in INIT_CWD.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const openPaths = (options.paths ?? []).map((p) => (isAbsolute(p) ? p : resolve(cwd, p)));
  const server = await startWebServer({
    port: options.port,
    demo: options.demo,
    dataDir: browserDataDir(options.dataDir, process.env),
    log,
    // The page shows the load's progress too: it opens at once and follows the load (`loadStatus`).
    ...(openPaths.length > 0 ? { openPaths, loadInBackground: true, onLoadProgress: options.quiet ? () => undefined : progressPrinter(err) } : {}),
  });
  void server.loaded.then((status) => {
    if (status?.error) err(`Could not open ${openPaths.join(', ')}: ${status.error.message}`);
  });
  out(options.quiet ? server.url : `Egress Atlas is running. Open ${server.url}  (Ctrl+C to stop)`);
  if (!options.quiet && process.stdin.isTTY === true) newLinkOnEnter(process.stdin, () => server.freshUrl(), out);
  const stop = (): void => {
    void server.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return server;
}

const invokedDirectly = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (invokedDirectly && serveHelpRequested(process.argv.slice(2))) {
  process.stdout.write(SERVE_HELP);
} else if (invokedDirectly) {
  const parsed = parseServeArgs(process.argv.slice(2));
  if (typeof parsed === 'string') {
    console.error(parsed);
    process.exitCode = 2;
  } else {
    serveBrowserMode(parsed).catch((error: unknown) => {
      console.error(`Could not start browser mode: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    });
  }
}

/**
 * `egress-atlas ui [FILE|DIR...]`: the app in the browser (browser mode, electron/web) with those
 * snapshot / ARM files opened on the main side: the CLI reads and builds the estate (progress on
 * stderr), then prints the URL to open; the page opens the loaded estate straight away, without
 * uploading the file. Runs until Ctrl+C.
 */
import { parseArgs, stringOption, UsageError } from '../args';
import type { CliCommand, CliIo } from '../command';
import { resolveInputPaths } from '../estate';

const USAGE = `Usage: egress-atlas ui [FILE|DIR...] [--port <n>] [--data-dir <dir>]

Opens Egress Atlas in the browser (a loopback server on 127.0.0.1) with the given snapshot or
ARM / az JSON files and directories already loaded: the estate is read and built here, with
progress (bytes read, resources, sources resolved) on stderr, then the URL to open is printed on
stdout. The URL holds a one-time launch code. Without files it opens the start screen.
Runs until Ctrl+C.

Options:
  --port <n>        Port to listen on (default: a free one)
  --data-dir <dir>  Where the recent list and copies of opened files are kept (default: the browser-mode data folder)
  -h, --help        This help

Exit codes: 0 stopped (Ctrl+C), 1 an operational failure such as a server that could not start,
2 bad input or usage (a missing file, a bad --port).
`;

const SPEC = { port: 'value', 'data-dir': 'value', help: 'flag' } as const;

/** Where the command waits while the server runs; resolves to stop it. */
export type WaitForStop = () => Promise<void>;

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

export interface UiCommandOptions {
  /** Default: until SIGINT / SIGTERM. */
  readonly waitForStop?: WaitForStop;
  /** Called with the printed URL (tests). */
  readonly onUrl?: (url: string) => void;
  /** Where Enter asks for a new launch link (see newLinkOnEnter); absent: the terminal, when stdin is one. */
  readonly newLinks?: NodeJS.ReadableStream | null;
  /** The built renderer to serve (tests); default: renderer/dist, built first if stale. */
  readonly staticDir?: string;
}

export function createUiCommand(options: UiCommandOptions = {}): CliCommand {
  return {
    name: 'ui',
    summary: 'Open files in the app in the browser (loaded here, no upload)',
    usage: USAGE,
    async run(args: readonly string[], io: CliIo) {
      const parsed = parseArgs(args, SPEC);
      if (parsed.options.help === true) {
        io.stdout(USAGE);
        return 0;
      }
      const portText = stringOption(parsed, 'port');
      let port = 0;
      if (portText !== undefined) {
        if (!/^\d+$/.test(portText) || Number(portText) > 65535) throw new UsageError('--port needs a number from 0 to 65535');
        port = Number(portText);
      }
      const dataDirOption = stringOption(parsed, 'data-dir');
      // A missing path is a one-line error (exit 2) before anything starts.
      const paths = await resolveInputPaths(parsed.positionals, io.cwd);
      // Loaded on demand: the other commands need none of the web server.
      const [{ newLinkOnEnter, startWebServer }, { browserDataDir }, { progressPrinter }] = await Promise.all([
        import('../../web/server'), import('../../services/data-dir'), import('../../services/load-estate'),
      ]);
      const server = await startWebServer({
        port,
        demo: null,
        ...(options.staticDir === undefined ? {} : { staticDir: options.staticDir }),
        dataDir: browserDataDir(dataDirOption ?? null, io.env),
        log: (line) => io.stderr(`${line}\n`),
        ...(paths.length > 0 ? { openPaths: paths, onLoadProgress: progressPrinter((line) => io.stderr(`${line}\n`)) } : {}),
      });
      io.stdout(`Egress Atlas is running. Open ${server.url}  (Ctrl+C to stop)\n`);
      options.onUrl?.(server.url);
      const newLinks = options.newLinks === undefined ? (process.stdin.isTTY === true ? process.stdin : null) : options.newLinks;
      const stopLinks = newLinks === null ? null : newLinkOnEnter(newLinks, () => server.freshUrl(), (line) => io.stdout(`${line}\n`));
      try {
        await (options.waitForStop ?? untilSignal)();
      } finally {
        stopLinks?.();
        await server.close();
      }
      return 0;
    },
  };
}

export const uiCommand: CliCommand = createUiCommand();

/**
 * Every `egress-atlas <command>` implements this. Commands never call process.exit or write to
 * process.stdout directly, so they run in-process in tests.
 * Exit codes: 0 ok, 1 findings where the command says so or an operational failure (every command:
 * an unwritable --out, or a stdout closed before the output was written; its --help lists it),
 * 2 bad input or usage.
 */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** stdout is a terminal: live progress bars and colours are allowed. */
  readonly isTTY: boolean;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Resolves once everything passed to `stdout` so far was taken by the operating system; rejects
   * with a StdoutError (../out) when stdout failed (EPIPE: the reader closed the pipe). Absent
   * where stdout is memory (tests), which cannot fail.
   */
  readonly drainStdout?: () => Promise<void>;
  /** All of stdin as text (`--access-token -`); absent where there is no stdin to read. */
  readonly readStdin?: () => Promise<string>;
}

export interface CliCommand {
  readonly name: string;
  /** One line for `egress-atlas --help`. */
  readonly summary: string;
  /** Full usage text for `egress-atlas <command> --help`. */
  readonly usage: string;
  run(args: readonly string[], io: CliIo): Promise<number>;
}

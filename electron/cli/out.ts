/**
 * `--out -`: the one rule for every command that takes --out. `-` is standard output for the text
 * outputs (JSON, SARIF, JUnit, tables, Mermaid, SVG, draw.io, a snapshot's JSON), as `diagram` has
 * always done; a binary output (a PDF, a PNG) is refused there, as `diagram --format png --out -`
 * is, because it would garble a terminal and a pipe rarely wants one; so is an output that needs
 * a file beside it (a `.sig`) or a command whose stdout already carries its summary (`pull`).
 *
 * Output on stdout counts as written only once stdout took it: a reader that closed the pipe
 * (`egress-atlas snapshot --out - | head -c 10`) is an operational failure (exit 1, one line on
 * stderr), never a success, and nothing says "written" for bytes no one received.
 */
import { UsageError } from './args';
import type { CliIo } from './command';

/** What `--out` names for standard output. */
export const STDOUT_OUT = '-';

/** `--out` as a file path, or undefined for standard output (no --out, or `--out -`). */
export function outFile(out: string | undefined): string | undefined {
  return out === STDOUT_OUT ? undefined : out;
}

/**
 * Refuses `<option> -` for an output that cannot go to stdout: `why` says what it is (`the report
 * is a PDF, a binary file`), `file` the form to give (`<file>.pdf`), `option` the option the user
 * wrote `-` for (`--out`, or `pull`'s `--logs-out`): the message names the one to change.
 */
export function refuseStdout(out: string | undefined, why: string, file: string, option = '--out'): void {
  if (out === STDOUT_OUT) throw new UsageError(`${option} - (stdout): ${why}: give ${option} ${file}`);
}

/**
 * Standard output failed: the reader closed the pipe (EPIPE), or a write failed (ENOSPC behind
 * `> file` on a full disk). What was printed did not all arrive.
 */
export class StdoutError extends Error {
  constructor(readonly code: string | undefined) {
    super(code === 'EPIPE' || code === undefined
      ? `stdout was closed before all of the output was written${code === undefined ? '' : ` (${code})`}: the output is incomplete`
      : `stdout could not be written (${code}): the output is incomplete`);
    this.name = 'StdoutError';
  }
}

/**
 * Waits until everything printed on stdout so far was taken by the operating system; throws a
 * StdoutError when stdout failed instead. Where stdout is memory (tests run the CLI in-process
 * with no `drainStdout`), there is nothing to wait for.
 */
export async function stdoutDelivered(io: CliIo): Promise<void> {
  await io.drainStdout?.();
}

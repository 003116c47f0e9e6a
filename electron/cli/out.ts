/**
 * `--out -`: the one rule for every command that takes --out. `-` is standard output for the text
 * outputs (JSON, SARIF, JUnit, tables, Mermaid, SVG, draw.io, a snapshot's JSON), as `diagram` has
 * always done; a binary output (a PDF, a PNG) is refused there, as `diagram --format png --out -`
 * is, because it would garble a terminal and a pipe rarely wants one; so is an output that needs
 * a file beside it (a `.sig`) or a command whose stdout already carries its summary (`pull`).
 */
import { UsageError } from './args';

/** What `--out` names for standard output. */
export const STDOUT_OUT = '-';

/** `--out` as a file path, or undefined for standard output (no --out, or `--out -`). */
export function outFile(out: string | undefined): string | undefined {
  return out === STDOUT_OUT ? undefined : out;
}

/**
 * Refuses `--out -` for an output that cannot go to stdout: `why` says what it is (`the report is
 * a PDF, a binary file`), `file` the form to give (`<file>.pdf`).
 */
export function refuseStdout(out: string | undefined, why: string, file: string): void {
  if (out === STDOUT_OUT) throw new UsageError(`--out - (stdout): ${why}: give --out ${file}`);
}

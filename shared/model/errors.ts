/**
 * Bad input is reported, never thrown as a stack trace: the error names the file, the JSON path and
 * what was expected (`CLI exit code 2`; IPC turns it into an `input-error`).
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    /** File name (or `<demo:bank>`, `<request>`). */
    readonly file: string,
    /** JSON path, e.g. `$.resources[3].properties.subnets[0].properties.addressPrefix`. */
    readonly path: string,
    /** What was expected there, e.g. `a CIDR string like "10.0.1.0/24"`. */
    readonly expected: string,
    /** What was found, shortened. */
    readonly found?: string,
  ) {
    super(`${file}: ${path}: expected ${expected}${found === undefined ? '' : `, found ${found}`}`);
  }
}

/**
 * A snapshot whose recorded SHA-256 does not match its content: the CLI prints the technical
 * message (file, field, expectation); the app shows `plain`, which says what it means for an
 * auditor. Neither states the hash the content has (that would hand a forger the value to write).
 */
export class SnapshotIntegrityError extends InputError {
  readonly plain: string;
  constructor(file: string, path: string, expected: string) {
    super(file, path, expected, 'a value that does not match the content');
    this.plain = `${file} was changed after it was captured, or damaged: its content no longer matches the SHA-256 `
      + 'recorded in it, so it cannot be shown as evidence. Open the original file, export the snapshot again, '
      + 'or rebuild it from its input files.';
  }
}

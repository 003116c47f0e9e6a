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

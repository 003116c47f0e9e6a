/**
 * A small argument parser for the CLI's commands. Node's `util.parseArgs` cannot express an option
 * with an optional value (`--demo` or `--demo bank`), so this one is declared per command:
 * `flag` (no value), `value` (required) and `optional-value` (takes the next argument only when
 * it is not an option).
 */
export type OptionKind = 'flag' | 'value' | 'optional-value';

export type OptionSpec = Readonly<Record<string, OptionKind>>;

export interface ParsedArgs {
  readonly positionals: readonly string[];
  /** Flags map to `true`; valued options to their value; `optional-value` given bare maps to `true`. */
  readonly options: Readonly<Record<string, string | true>>;
}

/** A usage mistake: the CLI prints the message and the command's usage, and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function parseArgs(args: readonly string[], spec: OptionSpec): ParsedArgs {
  const positionals: string[] = [];
  const options: Record<string, string | true> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '--') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const inline = eq < 0 ? undefined : arg.slice(eq + 1);
    const kind = spec[name];
    if (kind === undefined) throw new UsageError(`unknown option --${name}`);
    if (name in options) throw new UsageError(`--${name} given twice`);
    switch (kind) {
      case 'flag':
        if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
        options[name] = true;
        break;
      case 'value': {
        const value = inline ?? args[i + 1];
        if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
        if (inline === undefined) i++;
        options[name] = value;
        break;
      }
      case 'optional-value': {
        const next = args[i + 1];
        if (inline !== undefined) options[name] = inline;
        else if (next !== undefined && !next.startsWith('-')) {
          options[name] = next;
          i++;
        } else options[name] = true;
        break;
      }
    }
  }
  return { positionals, options };
}

/** The string value of an option, or undefined when absent. */
export function stringOption(parsed: ParsedArgs, name: string): string | undefined {
  const value = parsed.options[name];
  return typeof value === 'string' ? value : undefined;
}

export function oneOf<T extends string>(parsed: ParsedArgs, name: string, allowed: readonly T[], fallback: T): T {
  const value = stringOption(parsed, name);
  if (value === undefined) return fallback;
  const match = allowed.find((a) => a === value.toLowerCase());
  if (match === undefined) throw new UsageError(`--${name} must be one of ${allowed.join(', ')} (got "${value}")`);
  return match;
}

/**
 * Takes every occurrence of a repeatable `--name value` / `--name=value` option out of `args`
 * (parseArgs refuses repeats), optionally splitting comma-separated lists. Returns the values and
 * the remaining arguments for parseArgs.
 */
export function takeRepeated(
  args: readonly string[], name: string, options: { readonly splitCommas: boolean },
): { readonly values: readonly string[]; readonly rest: readonly string[] } {
  const values: string[] = [];
  const rest: string[] = [];
  const add = (value: string): void => {
    if (!options.splitCommas) values.push(value);
    else values.push(...value.split(',').map((v) => v.trim()).filter((v) => v.length > 0));
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === `--${name}`) {
      const value = args[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      add(value);
      i++;
    } else if (arg.startsWith(`--${name}=`)) {
      add(arg.slice(name.length + 3));
    } else {
      rest.push(arg);
    }
  }
  return { values, rest };
}

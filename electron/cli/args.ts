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

/**
 * Edit distance for "did you mean" on a mistyped command or option: insertions, deletions,
 * substitutions and swaps of two adjacent letters, each one edit (Damerau-Levenshtein, optimal
 * string alignment), so `--hepl` is one edit from --help and `--verison` one from --version.
 */
export function editDistance(a: string, b: string): number {
  // Three rows: the one two back is what a swap of two adjacent letters is measured from.
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (before[j - 2] ?? 0) + 1);
      current[j] = d;
    }
    before = previous;
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The candidate `text` most likely meant, or undefined when no guess is safe. A unique prefix
 * first: an abbreviation names what was meant (`--pol` is --policy, `dia` is diagram), where the
 * nearest spelling of a short word is often another option entirely (`--pol` is two edits from
 * --now, `dia` two from ui), and a wrong guess sends a user to an option that means something
 * else. Several candidates starting so (`--dest`: --destination and --destinations) get no guess.
 * Else the one candidate clearly close in spelling: at most two edits (a swap of two adjacent
 * letters is one) and at most a third of what was typed (`--fromat` is --format), never a tie.
 */
export function nearest(text: string, candidates: readonly string[]): string | undefined {
  const lower = text.toLowerCase();
  if (candidates.includes(lower)) return lower;
  const prefixed = lower.length >= 2 ? candidates.filter((name) => name.startsWith(lower)) : [];
  if (prefixed.length === 1) return prefixed[0];
  if (prefixed.length > 1) {
    // Several start so (`--log`: logs, logs-since…): the one a letter or two away, when only one is.
    const near = prefixed.map((name) => ({ name, d: name.length - lower.length })).filter((c) => c.d <= 2).sort((x, y) => x.d - y.d);
    const [first, next] = near;
    return first === undefined || (next !== undefined && next.d === first.d) ? undefined : first.name;
  }
  const limit = Math.min(2, Math.floor(lower.length / 3));
  const close = candidates.map((name) => ({ name, d: editDistance(lower, name) })).filter((c) => c.d <= limit).sort((x, y) => x.d - y.d);
  const [best, second] = close;
  return best === undefined || (second !== undefined && second.d === best.d) ? undefined : best.name;
}

/**
 * `unknown option --x`, with the option most likely meant: the same help a mistyped command gets,
 * so `--fromat json` is one glance away from `--format json`.
 */
function unknownOption(written: string, guess: string | undefined): UsageError {
  return new UsageError(`unknown option ${written}${guess === undefined ? '' : ` (did you mean "--${guess}"?)`}`);
}

/** The long option a single-dash one most likely means: `-o` the only one starting with o (--out), `-format` by spelling. */
function guessLong(name: string, known: readonly string[]): string | undefined {
  if (name.length !== 1) return nearest(name, known);
  const starting = known.filter((k) => k.startsWith(name.toLowerCase()));
  return starting.length === 1 ? starting[0] : undefined;
}

/**
 * A value that is empty or only blanks is a mistake, never a choice: `--destination "$DEST"` with
 * DEST unset would otherwise run as if the option were absent (the default route), and a pipeline
 * would gate on a question nobody asked.
 */
export function refuseEmpty(name: string, value: string): string {
  if (value.trim() === '') throw new UsageError(`--${name} is empty (an unset shell variable?): give it a value`);
  return value;
}

/**
 * `repeatable` names the options a command takes out with takeRepeated before parsing: they are
 * not in `spec`, but a mistyped one (`--resolv`) is still suggested.
 */
export function parseArgs(args: readonly string[], spec: OptionSpec, repeatable: readonly string[] = []): ParsedArgs {
  const positionals: string[] = [];
  const options: Record<string, string | true> = {};
  // --help is every command's (answered before the command parses), so a mistyped one is suggested too.
  const known = [...new Set([...Object.keys(spec), ...repeatable, 'help'])];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    // `-o`, `-format`: no command has single-dash options (-h is answered before a command runs),
    // and taken as an input path the user would get an error about something else entirely.
    // A lone `-` stays a positional, as a file name it is conventional for.
    if (arg.startsWith('-') && !arg.startsWith('--') && arg.length > 1) {
      throw unknownOption(arg, guessLong(arg.slice(1).split('=')[0] ?? '', known));
    }
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const inline = eq < 0 ? undefined : arg.slice(eq + 1);
    const kind = spec[name];
    if (kind === undefined) throw unknownOption(`--${name}`, nearest(name, known));
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
        options[name] = refuseEmpty(name, value);
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
    if (!options.splitCommas) {
      values.push(value);
      return;
    }
    // An empty item is an unset variable too (`"$A,$B"` with B unset), and a list of nothing but
    // commas would read as no list at all: the default scope (pull: every readable subscription),
    // wider than what was asked. Refused, as an empty value is.
    const items = value.split(',').map((v) => v.trim());
    if (items.some((v) => v === '')) throw new UsageError(`--${name} "${value}" has an empty item (an unset shell variable?): give the values separated by commas`);
    values.push(...items);
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === `--${name}`) {
      const value = args[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      add(refuseEmpty(name, value));
      i++;
    } else if (arg.startsWith(`--${name}=`)) {
      add(refuseEmpty(name, arg.slice(name.length + 3)));
    } else {
      rest.push(arg);
    }
  }
  return { values, rest };
}

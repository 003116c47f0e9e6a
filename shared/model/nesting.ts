/**
 * Deeply nested input (a hostile or broken file: 20,000 levels of `[`) must be bad input naming
 * the file (exit 2), never a stack overflow: readers of nested documents, and the renderings of a
 * bad value in error messages, recurse once per level.
 */
import { InputError } from './errors';

/**
 * Walks the brackets of a JSON text, strings skipped: `visit` gets the depth after each `[`/`{`
 * (opening) or `]`/`}` (closing) and its index; returning true stops the walk. Used on error paths
 * only (how deep a file that overflowed nests, where a first document ends).
 */
export function walkJsonBrackets(text: string, visit: (depth: number, index: number, opening: boolean) => boolean): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (visit(++depth, i, true)) return;
    } else if (c === 93 || c === 125) {
      if (visit(--depth, i, false)) return;
    }
  }
}

/** The deepest `[`/`{` nesting of a JSON text, strings skipped. */
export function maxNesting(text: string): number {
  let max = 0;
  walkJsonBrackets(text, (depth) => {
    if (depth > max) max = depth;
    return false;
  });
  return max;
}

/** A RangeError of the JavaScript engine running out of stack. */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

/**
 * The error for a JSON text nested too deeply to read. `depth` is maxNesting of the text, or
 * null when the caller does not know which of its texts overflowed.
 */
export function tooDeepError(fileName: string, depth: number | null): InputError {
  return new InputError(fileName, '$', 'JSON nested at most a few thousand levels deep (Azure resources nest about 15 levels)', `${depth ?? 'too many'} levels`);
}

/**
 * `read()` of the JSON `text` of `fileName`, with a stack overflow turned into tooDeepError. Only
 * the error path scans the text for its depth: a well-formed file pays nothing.
 */
export function readNestedJson<T>(fileName: string, text: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (isStackOverflow(error)) throw tooDeepError(fileName, maxNesting(text));
    throw error;
  }
}

/**
 * A single-line JSON rendering of `value` cut to `max` characters (`...` at the end when cut), for
 * "found ..." in error messages. It stops writing once past `max`, so it never goes deeper than
 * `max` levels (each level writes a bracket) nor copies a huge value whole.
 */
export function shortJson(value: unknown, max = 60): string {
  let out = '';
  const write = (v: unknown): void => {
    if (out.length > max) return;
    if (Array.isArray(v)) {
      out += '[';
      for (let i = 0; i < v.length && out.length <= max; i++) {
        if (i > 0) out += ',';
        const item: unknown = v[i];
        write(item === undefined ? null : item);
      }
      out += ']';
    } else if (typeof v === 'object' && v !== null) {
      out += '{';
      let first = true;
      for (const key of Object.keys(v)) {
        if (out.length > max) break;
        const item: unknown = (v as Readonly<Record<string, unknown>>)[key];
        if (item === undefined) continue;
        out += `${first ? '' : ','}${JSON.stringify(key.slice(0, max + 1))}:`;
        first = false;
        write(item);
      }
      out += '}';
    } else {
      // Strings are cut before quoting: a 100 MB cell is not copied to show 60 characters of it.
      const leaf = typeof v === 'string' ? v.slice(0, max + 1) : v;
      out += JSON.stringify(leaf) ?? String(v);
    }
  };
  write(value);
  return out.length > max ? `${out.slice(0, max - 3)}...` : out;
}

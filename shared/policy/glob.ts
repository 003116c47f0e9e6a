/**
 * Selector globs: `*` matches any run of characters (slashes included, so `*` also matches whole
 * resource IDs), `?` one character; everything else is literal. Matching is case-insensitive
 * because Azure names and resource IDs are. Character classes and braces are refused, not read
 * literally: `snet-[ab]` would otherwise silently match nothing, and a control that selects
 * nothing passes.
 */
import type { Selector } from './types';

export type GlobParse =
  | { readonly kind: 'ok'; readonly selector: Selector }
  | { readonly kind: 'error'; readonly message: string };

const UNSUPPORTED = /[[\]{}\\]/;

export function compileGlob(raw: string): GlobParse {
  const text = raw.trim();
  if (text === '') return { kind: 'error', message: 'an empty name or glob selects nothing' };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f]/.test(text)) return { kind: 'error', message: `"${text}" contains a control character` };
  const bad = UNSUPPORTED.exec(text);
  if (bad) return { kind: 'error', message: `"${text}" is not a supported glob: "${bad[0]}" is not allowed (use * for any characters, ? for one)` };
  const body = text.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^$()|]/g, '\\$&'))).join('');
  return { kind: 'ok', selector: { text, pattern: new RegExp(`^${body}$`, 'i') } };
}

export function selectorMatches(selector: Selector, value: string): boolean {
  return selector.pattern.test(value);
}

/** Whether any selector matches any of the values (a name and an ID, say). */
export function anyMatches(selectors: readonly Selector[], values: readonly string[]): boolean {
  return selectors.some((s) => values.some((v) => s.pattern.test(v)));
}

/**
 * Selector globs: `*` matches any run of characters, `?` one character; everything else is
 * literal. Matching is case-insensitive because Azure names and resource IDs are.
 *
 * What a selector is matched against depends on how it is written, so that a glob never reaches
 * further than its author could see in it:
 * - it does not start with `/`: the resource's NAME only (`*payments-api*` is every resource whose
 *   name contains `payments-api`, never a subnet that merely sits in rg-payments-api-weu);
 * - it starts with `/`: the resource ID, where `*` and `?` stay within one segment (they never
 *   match `/`): as a resource group selector, `/subscriptions/<id>/resourceGroups/rg-pay*` selects
 *   the groups rg-pay… of that subscription, and as a subnet selector it matches no subnet (a
 *   subnet's ID has more segments). There is no `**`: two stars are refused in an ID so that
 *   nobody reads them as "any number of segments"; write each segment, with `*` for any one.
 * Tag values are plain text, not names or IDs: there `*` matches any characters, `/` included.
 *
 * Character classes and braces are refused, not read literally: `snet-[ab]` would otherwise
 * silently match nothing, and a control that selects nothing passes.
 */
import type { Selector } from './types';

export type GlobParse =
  | { readonly kind: 'ok'; readonly selector: Selector }
  | { readonly kind: 'error'; readonly message: string };

const UNSUPPORTED = /[[\]{}\\]/;

/** `resource`: a selector of resources (by name or by ID, as written); `value`: a tag value glob. */
export type GlobKind = 'resource' | 'value';

export function compileGlob(raw: string, kind: GlobKind = 'resource'): GlobParse {
  const trimmed = raw.trim();
  if (trimmed === '') return { kind: 'error', message: 'an empty name or glob selects nothing' };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f]/.test(trimmed)) return { kind: 'error', message: `"${trimmed}" contains a control character` };
  const bad = UNSUPPORTED.exec(trimmed);
  if (bad) return { kind: 'error', message: `"${trimmed}" is not a supported glob: "${bad[0]}" is not allowed (use * for any characters, ? for one)` };
  const id = kind === 'resource' && trimmed.startsWith('/');
  // A trailing slash on an ID (copied from a portal URL) names the same resource.
  const text = id ? trimmed.replace(/\/+$/, '') || '/' : trimmed;
  if (id && text.includes('**')) {
    return { kind: 'error', message: `"${text}": ** is not supported in a resource ID: * matches within one segment (between two /); write each segment, or give a name without the leading /` };
  }
  // In an ID the wildcards stop at `/`, so `*` cannot silently span resource groups or VNets.
  const star = id ? '[^/]*' : '.*';
  const one = id ? '[^/]' : '.';
  const body = text.split('').map((c) => (c === '*' ? star : c === '?' ? one : c.replace(/[.+^$()|]/g, '\\$&'))).join('');
  const matches: Selector['matches'] = kind === 'value' ? 'value' : id ? 'id' : 'name';
  return { kind: 'ok', selector: { text, matches, pattern: new RegExp(`^${body}$`, 'i') } };
}

/**
 * Whether a selector matches one value. A name selector never matches an ID and an ID selector
 * never matches a name: callers pass a resource's name and ID together (see {@link anyMatches}),
 * and Azure names never start with `/` while IDs always do, so the leading `/` tells them apart.
 */
export function selectorMatches(selector: Selector, value: string): boolean {
  if (selector.matches === 'value') return selector.pattern.test(value);
  const isId = value.startsWith('/');
  return (selector.matches === 'id') === isId && selector.pattern.test(value);
}

/** Whether any selector matches any of the values (a resource's name and its ID, say). */
export function anyMatches(selectors: readonly Selector[], values: readonly string[]): boolean {
  return selectors.some((s) => values.some((v) => selectorMatches(s, v)));
}

/**
 * Whether an ID selector may select some resource whose ID has these segments (`null` for a name, which may be anything
 * there, a level of the ID not known). `*` and `?` stay within one segment in an ID, so the check
 * is segment by segment: a subnet ID selector may select a subnet of an unread subscription only
 * when it has a subnet ID's segments and its subscription segment matches that subscription.
 */
export function idSelectorMayMatch(selector: Selector, segments: readonly (string | null)[]): boolean {
  if (selector.matches !== 'id') return false;
  const parts = selector.text.split('/');
  if (parts.length !== segments.length) return false;
  return segments.every((segment, i) => {
    if (segment === null) return true;
    const body = (parts[i] ?? '').split('').map((c) => (c === '*' ? '[^/]*' : c === '?' ? '[^/]' : c.replace(/[.+^$()|]/g, '\\$&'))).join('');
    return new RegExp(`^${body}$`, 'i').test(segment);
  });
}

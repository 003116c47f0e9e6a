/**
 * How deep a policy text nests, read before the YAML parser sees it: the parser recurses once per
 * level, and a 20,000-level file (`[[[…` in JSON, `- - - …` or ever deeper indentation in YAML)
 * would end in "Maximum call stack size exceeded" instead of an error naming the file and line.
 */

/**
 * The deepest a policy may nest. A real one nests about 6 levels (controls, a control, its scope,
 * a list of names); the YAML parser copes with several hundred, so this refuses only broken or
 * hostile files, long before the stack runs out.
 */
export const MAX_POLICY_NESTING = 100;

/** A line break: YAML reads \r\n, \r and \n alike. */
const LINE_BREAK = /\r\n|\r|\n/;

/** A block scalar header (`|`, `>-`, `|2+`) ending a line, possibly before a comment. */
const BLOCK_SCALAR_HEADER = /(?:^|[\s:-])[|>][-+0-9]*\s*(?:#.*)?$/;

/**
 * The 1-based line at which `text` (YAML, or JSON, which YAML reads as flow collections) first
 * nests deeper than `limit`, or null. An estimate that errs high only on odd layouts: each open
 * block indentation level, each `- ` / `? ` / `: ` indicator opening a compact collection on the
 * line, and each open `[` / `{` counts one level. Quoted scalars, comments and block scalars'
 * text are skipped, and a bracket counts only where it opens a node (`title: a [b` is text).
 */
export function lineNestedDeeperThan(text: string, limit: number): number | null {
  const indents: number[] = [];
  let flow = 0;
  let quote: '"' | '\'' | null = null;
  let blockScalarIndent: number | null = null;
  const lines = text.split(LINE_BREAK);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n] ?? '';
    const body = line.trimStart();
    const indent = line.length - body.length;
    if (body === '') continue;
    if (blockScalarIndent !== null) {
      if (indent > blockScalarIndent) continue;
      blockScalarIndent = null;
    }
    // Block structure only where the line starts outside a flow collection and a quoted scalar.
    let start = 0;
    if (flow === 0 && quote === null) {
      if (body.startsWith('#')) continue;
      while (indents.length > 0 && (indents[indents.length - 1] ?? 0) >= indent) indents.pop();
      indents.push(indent);
      // "- - - x": each indicator opens a collection on this line.
      const indicators = /^(?:[-?:](?:\s+|$))*/.exec(body)?.[0] ?? '';
      start = indicators.length;
      if (indents.length + (indicators.match(/[-?:]/g)?.length ?? 0) > limit) return n + 1;
    }
    let atNodeStart = true;
    for (let i = start; i < body.length; i++) {
      const c = body[i];
      if (quote !== null) {
        if (quote === '"' && c === '\\') i++;
        else if (c === quote) quote = null;
        continue;
      }
      if (c === ' ' || c === '\t') continue;
      if (c === '#' && (i === 0 || body[i - 1] === ' ' || body[i - 1] === '\t')) break;
      if ((c === '"' || c === '\'') && atNodeStart) {
        quote = c;
        atNodeStart = false;
      } else if ((c === '[' || c === '{') && (atNodeStart || flow > 0)) {
        flow++;
        if (indents.length + flow > limit) return n + 1;
        atNodeStart = true;
      } else if ((c === ']' || c === '}') && flow > 0) {
        flow--;
        atNodeStart = false;
      } else if (c === ',' && flow > 0) {
        atNodeStart = true;
      } else if ((c === '&' || c === '!') && atNodeStart) {
        // A node's properties (anchor `&a`, tag `!!seq`) come before its content: skip them, the
        // node still starts after them (`controls: &a [[[…` nests as deep as `controls: [[[…`).
        // An anchor's name ends at a flow indicator too (`&a[[[`): stop there so the bracket counts.
        while (i + 1 < body.length && !' \t[]{},'.includes(body[i + 1] ?? ' ')) i++;
      } else if (c === ':' || c === '-' || c === '?') {
        // An indicator (followed by a space, or ":" right after a key inside a flow collection) starts a node.
        const next = body[i + 1];
        atNodeStart = next === undefined || next === ' ' || next === '\t' || (c === ':' && flow > 0);
      } else {
        atNodeStart = false;
      }
    }
    if (flow === 0 && quote === null && BLOCK_SCALAR_HEADER.test(body)) blockScalarIndent = indent;
  }
  return null;
}

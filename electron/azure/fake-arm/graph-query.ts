/**
 * Just enough KQL for the fake Resource Graph: the resource types a query filters on (and, below,
 * its `project` columns).
 * Understands `type =~ 'x'`, `type == 'x'` and `type in~ ('x', 'y')`; null = no type filter.
 */
export function parseGraphQueryTypes(query: string): ReadonlySet<string> | null {
  const types = new Set<string>();
  for (const m of query.matchAll(/\btype\s*(?:=~|==)\s*'([^']+)'/gi)) types.add((m[1] ?? '').toLowerCase());
  for (const m of query.matchAll(/\btype\s+in~?\s*\(([^)]*)\)/gi)) {
    for (const t of (m[1] ?? '').matchAll(/'([^']+)'/g)) types.add((t[1] ?? '').toLowerCase());
  }
  return types.size === 0 ? null : types;
}

type Row = Readonly<Record<string, unknown>>;

/** Top-level commas only (not those inside `pack(...)`). */
function splitColumns(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth += 1;
    else if (c === ')') depth -= 1;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(text.slice(start).trim());
  return out.filter((c) => c.length > 0);
}

function pathValue(row: Row, path: string): unknown {
  let value: unknown = row;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
    value = (value as Row)[key];
  }
  return value ?? null;
}

/** A projected column's value: a path (`a.b`, null when absent) or a `pack('k', expr, ...)` bag of them, nested as deep as the query writes it. */
type ColumnExpression = { readonly path: string } | { readonly pack: readonly (readonly [string, ColumnExpression])[] };

function parseExpression(text: string): ColumnExpression {
  const packed = /^pack\((.*)\)$/is.exec(text.trim());
  if (packed === null) return { path: text.trim() };
  const args = splitColumns(packed[1] ?? '');
  const pairs: (readonly [string, ColumnExpression])[] = [];
  for (let i = 0; i + 1 < args.length; i += 2) pairs.push([(args[i] ?? '').replace(/^'|'$/g, ''), parseExpression(args[i + 1] ?? '')]);
  return { pack: pairs };
}

function evaluate(row: Row, expression: ColumnExpression): unknown {
  if ('path' in expression) return pathValue(row, expression.path);
  return Object.fromEntries(expression.pack.map(([key, value]) => [key, evaluate(row, value)]));
}

/**
 * Just enough of `| project` for the fake: rows keep only the projected columns (a column the row
 * lacks stays absent), and `name = pack('k', a.b, ...)` builds a bag (nested packs too) whose values
 * are null when the path is absent, as Resource Graph answers the pull's slim VM query. null = no
 * projection.
 */
export function parseGraphProjection(query: string): ((row: Row) => Row) | null {
  const clause = /\|\s*project\s+([^|]+)/i.exec(query)?.[1];
  if (clause === undefined) return null;
  const columns = splitColumns(clause).map((column) => {
    const packed = /^(\w+)\s*=\s*(pack\(.*\))$/is.exec(column);
    return packed === null ? { name: column, expression: null } : { name: packed[1] ?? '', expression: parseExpression(packed[2] ?? '') };
  });
  return (row) => {
    const out: Record<string, unknown> = {};
    for (const c of columns) {
      if (c.expression !== null) out[c.name] = evaluate(row, c.expression);
      else if (row[c.name] !== undefined) out[c.name] = row[c.name];
    }
    return out;
  };
}

/**
 * Just enough KQL for the fake Resource Graph: the resource types a query filters on.
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

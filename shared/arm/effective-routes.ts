/**
 * `NetworkInterfaces_GetEffectiveRouteTable` results: the REST/SDK `{ value: [...] }` object,
 * `az network nic show-effective-route-table -o json` (the same object, with `nextLink`), or a bare
 * array. Routes have no `properties` envelope in any of them.
 */
import type { EffectiveRoute } from '../model/topology';
import { fail, field, isRecord, optBool, optString, optStrings, toNode, type JsonNode } from './reader';

/**
 * `addressPrefix` / `nextHopIpAddress` are arrays; a lone string is accepted as one element. The
 * key is matched as every other field is (field(): exact, else case-insensitive): a
 * `Get-AzEffectiveRouteTable | ConvertTo-Json` capture spells them `AddressPrefix` and
 * `NextHopIpAddress` (PSEffectiveRoute), and reading them as absent would lose every prefix.
 * https://learn.microsoft.com/powershell/module/az.network/get-azeffectiveroutetable
 */
function stringList(node: JsonNode, key: string): readonly string[] {
  const value = field(node.raw, key);
  if (value === undefined) return [];
  if (typeof value === 'string') return [value];
  return optStrings(node, key) ?? [];
}

export function mapEffectiveRoute(node: JsonNode): EffectiveRoute {
  const nextHopType = optString(node, 'nextHopType');
  if (nextHopType === undefined) fail(node.file, `${node.path}.nextHopType`, 'a next hop type string like "Internet"', undefined);
  return {
    name: optString(node, 'name') ?? null,
    source: optString(node, 'source') ?? 'Unknown',
    state: optString(node, 'state') ?? 'Active',
    addressPrefixes: stringList(node, 'addressPrefix'),
    nextHopType,
    nextHopIpAddresses: stringList(node, 'nextHopIpAddress'),
    disableBgpRoutePropagation: optBool(node, 'disableBgpRoutePropagation') ?? null,
  };
}

export function mapEffectiveRouteList(file: string, path: string, value: unknown): readonly EffectiveRoute[] {
  let items: unknown = value;
  let itemsPath = path;
  const list = isRecord(value) ? field(value, 'value') : undefined;
  if (Array.isArray(list)) {
    items = list;
    itemsPath = `${path}.value`;
  }
  if (!Array.isArray(items)) {
    fail(file, path, 'an effective route list: an array of routes or { "value": [...] }', value);
  }
  const routes: unknown[] = items;
  return routes.map((item, i) => mapEffectiveRoute(toNode(file, `${itemsPath}[${i}]`, item, 'an effective route object')));
}

/** Whether an array item looks like an effective route rather than an ARM resource (in any of the spellings above). */
export function looksLikeEffectiveRoute(value: unknown): boolean {
  return isRecord(value) && field(value, 'id') === undefined && typeof field(value, 'nextHopType') === 'string'
    && Object.keys(value).some((key) => key.toLowerCase() === 'addressprefix');
}

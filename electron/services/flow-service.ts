/**
 * The main side of a LARGE estate (issue 12, "Open big estates fast"): the page gets the flow
 * overview aggregated here, then a window of list rows and one source's path when it asks, never
 * the whole snapshot or every path (100,000 paths with their steps are hundreds of MB of JSON).
 *
 * Derived data is cached per default-route result (a WeakMap: it goes when the estate store drops
 * the result), so switching the grouping or scrolling the list costs one aggregation or one slice.
 */
import type { EgressPath, ResolveResult } from '../../shared/egress/types';
import {
  aggregateFlow, bandMembers, flowFacts, type FlowFact, type FlowGrouping, type FlowOverview,
} from '../../shared/graph/flow-overview';
import type { FlowSourceRow, SourceDetails } from '../../shared/ipc/contract';
import type { NetworkModel, NetworkResource } from '../../shared/model/topology';

// Mutable only for the lazily built path index.
interface Derived {
  readonly facts: readonly FlowFact[];
  readonly overviews: Map<FlowGrouping, FlowOverview>;
  readonly bandRows: Map<string, readonly FlowFact[]>;
  /** Lower-cased source ID → path; built on the first `sourcePath` (not on the way to the first picture). */
  paths: ReadonlyMap<string, EgressPath> | null;
}

const DERIVED = new WeakMap<ResolveResult, Derived>();

function derived(model: NetworkModel, result: ResolveResult): Derived {
  const hit = DERIVED.get(result);
  if (hit) return hit;
  const value: Derived = {
    facts: flowFacts(model, result),
    overviews: new Map(),
    bandRows: new Map(),
    paths: null,
  };
  DERIVED.set(result, value);
  return value;
}

export function flowOverviewOf(model: NetworkModel, result: ResolveResult, grouping: FlowGrouping): FlowOverview {
  const d = derived(model, result);
  const hit = d.overviews.get(grouping);
  if (hit) return hit;
  const overview = aggregateFlow(d.facts, grouping);
  d.overviews.set(grouping, overview);
  return overview;
}

function rowOf(fact: FlowFact, grouping: FlowGrouping): FlowSourceRow {
  return {
    sourceId: fact.sourceId, name: fact.name, type: fact.type, verdict: fact.verdict,
    group: fact.groups[grouping].label, inspection: fact.inspection.label, exit: fact.exit.label, bypass: fact.bypass,
  };
}

/**
 * Rows `offset…offset+limit` of the estate's sources (or of one band's), ordered by group, then
 * name, so a window is stable while the user scrolls. An unknown band is an empty list.
 */
export function flowSourceWindow(
  model: NetworkModel, result: ResolveResult, grouping: FlowGrouping, bandId: string | null, offset: number, limit: number,
): { readonly total: number; readonly offset: number; readonly rows: readonly FlowSourceRow[] } {
  const d = derived(model, result);
  const key = `${grouping}\u0000${bandId ?? ''}`;
  let members = d.bandRows.get(key);
  if (!members) {
    const picked = bandId === null ? [...d.facts] : bandMembers(d.facts, flowOverviewOf(model, result, grouping), bandId);
    members = picked.sort((a, b) => a.groups[grouping].label.localeCompare(b.groups[grouping].label) || a.name.localeCompare(b.name) || a.sourceId.localeCompare(b.sourceId));
    d.bandRows.set(key, members);
  }
  const start = Math.min(offset, members.length);
  return { total: members.length, offset: start, rows: members.slice(start, start + limit).map((f) => rowOf(f, grouping)) };
}

/** Resource IDs in the path's JSON (hops cite routes, rules and IP configurations: their parents count). */
function citedIds(path: EgressPath, byId: ReadonlyMap<string, NetworkResource>): Set<string> {
  const found = new Set<string>();
  const text = JSON.stringify(path).toLowerCase();
  for (const m of text.matchAll(/\/subscriptions\/[^"\s\\]+/g)) {
    // `…/routeTables/rt/routes/r1` → `…/routeTables/rt`: walk up until a modelled resource.
    let id = m[0];
    for (let i = 0; i < 4 && id.includes('/providers/'); i++) {
      if (byId.has(id)) { found.add(id); break; }
      const parts = id.split('/');
      id = parts.slice(0, -2).join('/');
    }
  }
  return found;
}

/**
 * One source's path and the slice of the model it touches: the resources its steps cite, its
 * subnet and VNet (and, for a NIC, the NIC and its subnet), the subnet's route table, NSG and NAT
 * gateway, and the public IPs of what it passes. Enough for the path graph and the details panel.
 */
export function sourceDetails(model: NetworkModel, result: ResolveResult, sourceId: string): SourceDetails | null {
  const d = derived(model, result);
  d.paths ??= new Map(result.paths.map((p) => [p.source.id.toLowerCase(), p]));
  const path = d.paths.get(sourceId.toLowerCase());
  if (!path) return null;
  const byId = new Map<string, NetworkResource>();
  for (const list of Object.values(model) as (readonly NetworkResource[])[]) for (const r of list) byId.set(r.id, r);
  const keep = citedIds(path, byId);
  keep.add(path.source.id.toLowerCase());
  const add = (id: string | null | undefined): void => { if (id) keep.add(id.toLowerCase()); };
  // Parents and attachments, two rounds (NIC → subnet → VNet / route table / NSG / NAT → public IPs).
  for (let round = 0; round < 3; round++) {
    for (const id of [...keep]) {
      const r = byId.get(id);
      switch (r?.kind) {
        case 'subnet': add(r.virtualNetworkId); add(r.routeTableId); add(r.networkSecurityGroupId); add(r.natGatewayId); break;
        case 'networkInterface':
          add(r.networkSecurityGroupId);
          for (const c of r.ipConfigurations) { add(c.subnetId); add(c.publicIpAddressId); }
          break;
        case 'natGateway': for (const p of r.publicIpAddressIds) add(p); for (const p of r.publicIpPrefixIds) add(p); break;
        case 'azureFirewall': for (const c of r.ipConfigurations) { add(c.subnetId); add(c.publicIpAddressId); } add(r.firewallPolicyId); add(r.virtualHubId); break;
        default: break;
      }
    }
  }
  const slice = Object.fromEntries(Object.entries(model).map(([k, list]) => [k, (list as readonly NetworkResource[]).filter((r) => keep.has(r.id))])) as unknown as NetworkModel;
  return { path, destination: result.destination, model: slice };
}

/**
 * Reading `reach` against `resolve --destination` in tests: the path a flow takes, a source's reach,
 * and whether a reach@1 entry (ports × protocols, as `mayReach` reads it) covers a flow.
 */
import { resolveEgress, type ResolveInput } from '../../../shared/egress/index';
import { computeReach, type ReachEntry, type ReachSource } from '../../../shared/egress/reach';
import type { EgressPath } from '../../../shared/egress/types';
import { cidrContainsIp, parseCidr, parseIp } from '../../../shared/model/ip';
import type { ModelBuilder } from '../../support/model-builder';

export type Transport = 'Tcp' | 'Udp';

export function inputOf(b: ModelBuilder, extra: Partial<ResolveInput> = {}): ResolveInput {
  return { model: b.build(), effectiveRoutes: [], metrics: [], gaps: [], ...extra };
}

/** The path a source takes to a destination in a resolve: its own entry, else (a NIC) its subnet's. */
export function pathTo(input: ResolveInput, destination: string, sourceId: string, subnetId?: string): EgressPath {
  const paths = resolveEgress(input, { destination }).paths;
  const found = paths.find((p) => p.source.id === sourceId) ?? paths.find((p) => p.source.id === subnetId);
  if (!found) throw new Error(`no path for ${sourceId} to ${destination}`);
  return found;
}

export function reachOf(input: ResolveInput, sourceId: string): ReachSource {
  const found = computeReach(input).sources.find((s) => s.source.id === sourceId);
  if (!found) throw new Error(`no reach for ${sourceId}`);
  return found;
}

function portItemCovers(item: string, port: number): boolean {
  const t = item.trim();
  if (t === '*' || t.toLowerCase() === 'any') return true;
  const dash = t.indexOf('-');
  if (dash < 0) return Number(t) === port;
  return port >= Number(t.slice(0, dash)) && port <= Number(t.slice(dash + 1));
}

/** Whether an entry's protocols hold a transport (application protocols run on TCP). */
function protocolCovers(protocols: readonly string[], transport: Transport): boolean {
  return protocols.some((p) => {
    const l = p.trim().toLowerCase();
    return l === 'any' || l === '*' || l === transport.toLowerCase() || (transport === 'Tcp' && ['http', 'https', 'mssql'].includes(l));
  });
}

/** Whether an entry covers a flow to `ip`; a service tag entry covers the addresses `tagged` says it holds. */
export function entryCovers(entry: ReachEntry, ip: string, port: number, transport: Transport, tagged: readonly string[] = []): boolean {
  if (!protocolCovers(entry.protocols, transport) || !entry.ports.some((item) => portItemCovers(item, port))) return false;
  if (entry.kind === 'any') return true;
  if (entry.kind === 'service-tag') return tagged.includes(entry.value);
  if (entry.kind !== 'cidr') return false;
  const cidr = parseCidr(entry.value);
  const address = parseIp(ip);
  return cidr !== null && address !== null && cidrContainsIp(cidr, address);
}

/** The entries that cover this flow, internet or "may reach", as `kind value protocols ports verdict`. */
export function listing(reach: ReachSource, ip: string, port: number, transport: Transport, tagged: readonly string[] = []): string[] {
  return reach.allowed.filter((e) => (e.verdict === 'internet' || e.verdict === 'unknown') && entryCovers(e, ip, port, transport, tagged))
    .map((e) => `${e.kind} ${e.value} ${e.protocols.join('/')} ${e.ports.join(',')} ${e.verdict}`);
}

/**
 * `resolveEgress(input, options)`: one path per subnet (a NIC with no public IP and no load
 * balancer membership), plus one per NIC whose path differs, each with the hops that decided it.
 * Pure and deterministic.
 */
import type { Gap } from '../model/gaps';
import type { ResourceId } from '../model/ids';
import { formatIp, isPublicIp, parseCidr, parseIp } from '../model/ip';
import type { Cidr } from '../model/ip';
import { buildModelIndex } from '../model/model-index';
import type { ModelIndex } from '../model/model-index';
import type { AzureFirewall, NetworkInterface, Subnet } from '../model/topology';
import { RouteSetBuilder } from '../routing/subnet-routes';
import type { EgressDestination, SourceAddress, TrafficSpec } from './destination';
import { DOCS, VERIFY } from './docs';
import { forward, walkFromSource } from './engine';
import { addGap, newEngineContext, Trail } from './trail';
import type { EngineContext, Outcome } from './trail';
import { estateFindings } from './findings';
import { primaryIpConfiguration } from './outbound';
import type { Sender } from './outbound';
import { RESOLVE_SCHEMA } from './types';
import type { EgressPath, Finding, PathSource, ResolveResult } from './types';
import type { ResolveInput, ResolveOptions } from './index';

type ParsedDestination =
  | { readonly kind: 'ok'; readonly destination: EgressDestination; readonly label: string }
  | { readonly kind: 'not-evaluated'; readonly label: string; readonly reason: string; readonly gap: Gap; readonly finding: Finding | null };

function parseDestination(raw: string | null | undefined): ParsedDestination {
  const text = raw?.trim() ?? '';
  if (text === '' || text === '0.0.0.0/0') return { kind: 'ok', destination: { kind: 'default-route' }, label: '0.0.0.0/0' };
  const ip = parseIp(text);
  if (!ip) {
    const reason = `"${text}" is not an IP address`;
    return { kind: 'not-evaluated', label: text, reason, gap: { code: 'not-modelled', scope: text, message: `Destination ${reason}; no path was evaluated.` }, finding: null };
  }
  const label = formatIp(ip);
  if (ip.version === 6) {
    const reason = 'IPv6 egress is not modelled';
    return {
      kind: 'not-evaluated', label, reason,
      gap: { code: 'not-modelled', scope: label, message: 'IPv6 egress (NAT gateway StandardV2, LB IPv6 outbound rules, no default outbound for IPv6) is not modelled.' },
      finding: { code: 'ipv6-not-modelled', severity: 'info', message: `Destination ${label} is IPv6; IPv6 egress is not modelled, so every path is unknown.`, advice: 'Evaluate an IPv4 destination.', resourceIds: [], docs: DOCS.natGatewayResource },
    };
  }
  if (!isPublicIp(ip)) {
    const reason = `${label} is not a public address, so traffic to it is not internet egress`;
    return { kind: 'not-evaluated', label, reason, gap: { code: 'not-modelled', scope: label, message: `Destination ${reason}.` }, finding: null };
  }
  return { kind: 'ok', destination: { kind: 'address', ip, text: label }, label };
}

const subnetCidrs = new WeakMap<Subnet, readonly Cidr[]>();

/** The source address NSG and firewall rules see: the NIC's private IP, or the subnet's IPv4 prefixes. */
function sourceCidrs(subnet: Subnet, nic: NetworkInterface | null): readonly Cidr[] {
  const address = nic ? primaryIpConfiguration(nic)?.privateIpAddress : null;
  if (address) {
    const cidr = parseCidr(address);
    return cidr && cidr.version === 4 ? [cidr] : [];
  }
  let cidrs = subnetCidrs.get(subnet);
  if (!cidrs) {
    cidrs = subnet.addressPrefixes.map((t) => parseCidr(t)).filter((c): c is Cidr => c !== null && c.version === 4);
    subnetCidrs.set(subnet, cidrs);
  }
  return cidrs;
}

function sourceOf(subnet: Subnet, nic: NetworkInterface | null): PathSource {
  return nic ? { type: 'nic', id: nic.id, name: nic.name } : { type: 'subnet', id: subnet.id, name: subnet.name };
}

function sourceHop(trail: Trail, subnet: Subnet, nic: NetworkInterface | null, firewall: AzureFirewall | null): void {
  if (nic) {
    const config = primaryIpConfiguration(nic);
    trail.hop('source', nic.id, `NIC ${nic.name} ${config?.privateIpAddress ?? ''} in subnet ${subnet.name}`.replace('  ', ' '),
      'This NIC gets its own entry because its path differs from its subnet\'s (own public IP, load balancer membership, scale-set mode or NSG).', DOCS.udr, VERIFY.nic(nic.id));
    return;
  }
  const who = firewall ? `The subnet hosts Azure Firewall ${firewall.name}; this is the firewall's own egress.`
    : 'Traffic from a NIC in this subnet with no public IP of its own and no load balancer membership.';
  trail.hop('source', subnet.id, `Subnet ${subnet.name} (${subnet.addressPrefixes.join(', ')})`, who, DOCS.udr, VERIFY.subnet(subnet.id));
}

function toPath(source: PathSource, trail: Trail, outcome: Outcome): EgressPath {
  return {
    source, verdict: outcome.verdict, exit: outcome.exit, via: trail.via, egressIps: outcome.egressIps,
    snatPorts: outcome.snatPorts, hops: trail.hops, findings: trail.findings,
  };
}

function notEvaluatedPath(subnet: Subnet, nic: NetworkInterface | null, reason: string): EgressPath {
  const trail = new Trail({ cidrs: [] });
  sourceHop(trail, subnet, nic, null);
  trail.hop('drop', subnet.id, 'Not evaluated', `Not evaluated: ${reason}.`, DOCS.udr, VERIFY.subnet(subnet.id));
  return toPath(sourceOf(subnet, nic), trail, { verdict: 'unknown', exit: null, egressIps: [], snatPorts: null });
}

function isIpv6Only(subnet: Subnet): boolean {
  return subnet.addressPrefixes.length > 0 && subnet.addressPrefixes.every((p) => p.includes(':'));
}

function resolveSource(ctx: EngineContext, subnet: Subnet, nic: NetworkInterface | null, firewall: AzureFirewall | null): EgressPath {
  if (isIpv6Only(subnet)) {
    addGap(ctx, { code: 'not-modelled', scope: subnet.id, message: 'IPv6-only subnet: IPv6 egress is not modelled.' });
    return notEvaluatedPath(subnet, nic, 'the subnet is IPv6-only and IPv6 egress is not modelled');
  }
  const source: SourceAddress = { cidrs: sourceCidrs(subnet, nic) };
  const trail = new Trail(source);
  sourceHop(trail, subnet, nic, firewall);
  const sender: Sender = firewall ? { kind: 'firewall', firewall }
    : nic ? { kind: 'nic', nic, ipConfiguration: primaryIpConfiguration(nic) } : { kind: 'subnet' };
  if (firewall) {
    trail.visited.add(firewall.id);
    // The firewall's own traffic is not subject to its rules, and AzureFirewallSubnet takes no NSG.
    return toPath(sourceOf(subnet, nic), trail, forward(ctx, trail, subnet, sender));
  }
  return toPath(sourceOf(subnet, nic), trail, walkFromSource(ctx, trail, subnet, nic, sender));
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a === b || (a.length === b.length && a.every((x, i) => x === b[i]));
}

/** Whether a NIC's path says the same as its subnet's (then the NIC gets no entry of its own). */
function samePath(a: EgressPath, b: EgressPath): boolean {
  return a.verdict === b.verdict && a.exit === b.exit && a.snatPorts === b.snatPorts && sameList(a.via, b.via) && sameList(a.egressIps, b.egressIps)
    && sameList(a.findings.map((f) => f.code).sort(), b.findings.map((f) => f.code).sort());
}

function firewallsBySubnet(index: ModelIndex): Map<ResourceId, AzureFirewall> {
  const map = new Map<ResourceId, AzureFirewall>();
  for (const firewall of index.model.azureFirewalls) {
    for (const config of firewall.ipConfigurations) {
      if (config.subnetId && !map.has(config.subnetId)) map.set(config.subnetId, firewall);
    }
  }
  return map;
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Resolves internet egress for every subnet and every NIC whose path differs from its subnet's. */
export function resolveEgress(input: ResolveInput, options: ResolveOptions = {}): ResolveResult {
  const index = buildModelIndex(input.model);
  const routes = new RouteSetBuilder(index, input.effectiveRoutes);
  const parsed = parseDestination(options.destination);
  const traffic: TrafficSpec = {
    destination: parsed.kind === 'ok' ? parsed.destination : { kind: 'default-route' },
    port: options.destinationPort ?? 443,
    protocol: options.protocol ?? 'Tcp',
  };
  const ctx: EngineContext = newEngineContext(index, routes, traffic);
  const firewalls = firewallsBySubnet(index);
  const paths: EgressPath[] = [];
  // Model order: the result is sorted at the end (and every cache is order-independent).
  const subnets = input.model.subnets;
  const seen = new Set<ResourceId>();
  for (const subnet of subnets) {
    if (seen.has(subnet.id)) continue;
    seen.add(subnet.id);
    if (parsed.kind === 'not-evaluated') {
      paths.push(notEvaluatedPath(subnet, null, parsed.reason));
      continue;
    }
    const subnetPath = resolveSource(ctx, subnet, null, firewalls.get(subnet.id) ?? null);
    paths.push(subnetPath);
    if (firewalls.has(subnet.id)) continue;
    // Only NICs that may differ (found while indexing); the final sort orders them.
    for (const nic of index.subnetNicsWithOwnEgress.get(subnet.id) ?? []) {
      const nicPath = resolveSource(ctx, subnet, nic, null);
      if (!samePath(nicPath, subnetPath)) paths.push(nicPath);
    }
  }
  paths.sort((a, b) => compareIds(a.source.id, b.source.id) || compareIds(a.source.type, b.source.type));
  const estate = parsed.kind === 'ok' ? estateFindings(index, routes, paths, input.metrics) : null;
  const findings = estate ? estate.findings : parsed.kind === 'not-evaluated' && parsed.finding ? [parsed.finding] : [];
  const withResourceFindings = estate && estate.byResource.size > 0 ? paths.map((p) => attachResourceFindings(p, estate.byResource)) : paths;
  const gaps = dedupeGaps([...input.gaps, ...index.gaps, ...routes.gaps, ...ctx.gaps.values(), ...(parsed.kind === 'not-evaluated' ? [parsed.gap] : [])]);
  return { schema: RESOLVE_SCHEMA, destination: parsed.label, paths: withResourceFindings, findings, gaps };
}

/** Adds resource findings (e.g. SNAT exhaustion of a NAT gateway) to every path that passes the resource. */
function attachResourceFindings(path: EgressPath, byResource: ReadonlyMap<string, readonly Finding[]>): EgressPath {
  const extra = path.hops.flatMap((h) => byResource.get(h.id) ?? []);
  if (extra.length === 0) return path;
  return { ...path, findings: [...path.findings, ...extra.filter((f, i) => extra.indexOf(f) === i && !path.findings.includes(f))] };
}

function dedupeGaps(gaps: readonly Gap[]): Gap[] {
  const seen = new Set<string>();
  const out: Gap[] = [];
  for (const gap of gaps) {
    const key = `${gap.code}|${gap.scope}|${gap.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(gap);
  }
  return out;
}

/**
 * What can each source reach at all? (`egress-atlas reach`, the app's "Can reach", the PDF.)
 * Derived from the same engine: the default route says whether any public destination gets out
 * (`unrestricted`, the exfiltration question in one word); the Allow rules of the firewalls on the
 * path, and the NSG allows of a restricted path, name the candidate destinations, and each
 * candidate is resolved like a what-if, so a later deny, a route or an NSG is taken into account.
 * Private reach lists the service endpoints of the subnet and the private endpoints in its VNet
 * and the VNets it peers with.
 */
import { firewallRuleSet, allowRulesFor, applicationRulePorts, prepareRuleSet } from './firewall-rules';
import type { SourceAddress } from './destination';
import { parseCidr } from '../model/ip';
import type { Cidr } from '../model/ip';
import type { ResourceId } from '../model/ids';
import { buildModelIndex } from '../model/model-index';
import type { ModelIndex } from '../model/model-index';
import type { FirewallRule, NetworkInterface, Subnet } from '../model/topology';
import { primaryIpConfiguration } from './outbound';
import { resolveEgress } from './resolve';
import { terminalOf } from './steps';
import type { ResolveInput, ResolveOptions } from './index';
import type { EgressPath, ExitMethod, PathSource, Verdict } from './types';
import type { Gap } from '../model/gaps';

export const REACH_SCHEMA = 'egress-atlas/reach@1' as const;

export type ReachKind = 'fqdn' | 'fqdn-tag' | 'cidr' | 'service-tag' | 'web-category' | 'any';

export interface ReachEntry {
  readonly kind: ReachKind;
  readonly value: string;
  readonly ports: readonly string[];
  readonly protocols: readonly string[];
  /** What the engine answers for this entry from this source (a later deny, a route or an NSG may stop it). */
  readonly verdict: Verdict;
  readonly exit: ExitMethod | null;
  readonly via: readonly string[];
  readonly egressIps: readonly string[];
  /** Which rule allows it: `policy/collection/rule` (firewall) or `nsg/rule`; for `any`, what lets everything out. */
  readonly rule: string;
  /** For `any`: names that rules processed before the allow deny (absent: none). */
  readonly except?: readonly string[];
}

export interface PrivateReachEntry {
  readonly kind: 'private-endpoint' | 'service-endpoint';
  /** The FQDN(s) of a private endpoint, or a service endpoint's service. */
  readonly value: string;
  /** The private endpoint's target resource, or the service endpoint's locations. */
  readonly target: string;
}

export interface ReachSource {
  readonly source: PathSource;
  /** True when any public destination is allowed on TCP 443 (a direct path, or rules that allow everything). */
  readonly unrestricted: boolean;
  /** How the default route (0.0.0.0/0, TCP 443) ends for this source. */
  readonly defaultRoute: Verdict;
  readonly allowed: readonly ReachEntry[];
  readonly private: readonly PrivateReachEntry[];
}

export interface ReachResult {
  readonly schema: typeof REACH_SCHEMA;
  readonly sources: readonly ReachSource[];
  readonly gaps: readonly Gap[];
}

interface Candidate {
  readonly kind: ReachKind;
  readonly value: string;
  readonly port: number;
  readonly protocol: 'Tcp' | 'Udp';
  readonly ports: readonly string[];
  readonly protocols: readonly string[];
  readonly rule: string;
}

const modelIndexes = new WeakMap<object, ModelIndex>();

function indexOf(input: ResolveInput): ModelIndex {
  let index = modelIndexes.get(input.model);
  if (!index) {
    index = buildModelIndex(input.model);
    modelIndexes.set(input.model, index);
  }
  return index;
}

function firstPort(ports: readonly string[]): number {
  for (const p of ports) {
    const t = p.trim();
    if (t === '*' || t.toLowerCase() === 'any') return 443;
    const n = Number(t.split('-')[0]);
    if (Number.isInteger(n) && n > 0) return n;
  }
  return 443;
}

function protocolOf(protocols: readonly string[]): 'Tcp' | 'Udp' {
  const lower = protocols.map((p) => p.trim().toLowerCase());
  return lower.length > 0 && lower.every((p) => p === 'udp') ? 'Udp' : 'Tcp';
}

function ruleLabel(policyName: string, rule: FirewallRule): string {
  return `${policyName}/${rule.collection}/${rule.name}`;
}

/** Candidate destinations from one firewall rule. */
function candidatesOfRule(rule: FirewallRule, label: string): Candidate[] {
  if (rule.kind === 'network') {
    const port = firstPort(rule.destinationPorts);
    const protocol = protocolOf(rule.protocols);
    const base = { port, protocol, ports: rule.destinationPorts.length > 0 ? rule.destinationPorts : ['*'], protocols: rule.protocols.length > 0 ? rule.protocols : ['Any'], rule: label };
    const fromAddresses = rule.destinationAddresses.map((a): Candidate => {
      const t = a.trim();
      if (t === '*' || t.toLowerCase() === 'any' || t === '0.0.0.0/0') return { ...base, kind: 'any', value: '*' };
      return parseCidr(t) ? { ...base, kind: 'cidr', value: t } : { ...base, kind: 'service-tag', value: t };
    });
    return [...fromAddresses, ...rule.destinationFqdns.map((f): Candidate => ({ ...base, kind: 'fqdn', value: f.trim().toLowerCase() }))];
  }
  const ports = applicationRulePorts(rule);
  const port = ports[0] ?? 443;
  // Application protocols (`Https:443`) are TCP; the ports are listed on their own.
  const types = [...new Set((rule.protocols.length > 0 ? rule.protocols : ['Http', 'Https']).map((p) => p.split(':')[0]?.trim() ?? p))];
  const base = { port, protocol: 'Tcp' as const, ports: ports.map(String), protocols: types, rule: label };
  return [
    ...rule.targetFqdns.map((f): Candidate => (f.trim() === '*' ? { ...base, kind: 'any', value: '*' } : { ...base, kind: 'fqdn', value: f.trim().toLowerCase() })),
    ...rule.fqdnTags.map((t): Candidate => ({ ...base, kind: 'fqdn-tag', value: t })),
    ...(rule.webCategories ?? []).map((c): Candidate => ({ ...base, kind: 'web-category', value: c })),
  ];
}

/** A concrete name that stands for a wildcard pattern in a what-if (`*.visa.com` → `reach-check.visa.com`). */
function probeName(pattern: string): string {
  if (pattern.startsWith('*.')) return `reach-check.${pattern.slice(2)}`;
  if (pattern.startsWith('*')) return pattern.slice(1).replace(/^\./, '');
  return pattern;
}

function sourceAddressOf(index: ModelIndex, path: EgressPath): SourceAddress | null {
  if (path.source.type === 'nic') {
    const nic: NetworkInterface | undefined = index.networkInterfaces.get(path.source.id as ResourceId);
    const config = nic ? primaryIpConfiguration(nic) : null;
    const cidr = config?.privateIpAddress ? parseCidr(config.privateIpAddress) : null;
    return cidr ? { cidrs: [cidr], applicationSecurityGroupIds: config?.applicationSecurityGroupIds ?? [] } : null;
  }
  const subnet: Subnet | undefined = index.subnets.get(path.source.id as ResourceId);
  const cidrs = (subnet?.addressPrefixes ?? []).map((p) => parseCidr(p)).filter((c): c is Cidr => c !== null && c.version === 4);
  return { cidrs, applicationSecurityGroupIds: [] };
}

/** Candidates for one source: the Allow rules of the firewalls it passes, and what a restricting NSG allows. */
function candidatesFor(index: ModelIndex, path: EgressPath): Candidate[] {
  const out: Candidate[] = [];
  const source = sourceAddressOf(index, path);
  for (const via of path.via) {
    if (via.kind !== 'azure-firewall' || !source) continue;
    const firewall = index.azureFirewalls.get(via.id as ResourceId);
    if (!firewall) continue;
    const policyName = firewall.firewallPolicyId ? index.firewallPolicies.get(firewall.firewallPolicyId)?.name ?? firewall.name : firewall.name;
    const ruleSet = prepareRuleSet(firewallRuleSet(index, firewall));
    for (const { rule } of allowRulesFor(ruleSet, source)) out.push(...candidatesOfRule(rule, ruleLabel(policyName, rule)));
  }
  for (const step of path.steps) {
    if (step.kind !== 'nsg' || step.access !== 'Partial') continue;
    const rule = `${step.nsg.name}/${step.rules.filter((r) => r.access === 'Allow').map((r) => r.name).join('+')}`;
    for (const allowed of step.allowed) {
      const tag = /^service tag (.+)$/.exec(allowed);
      out.push({ kind: tag ? 'service-tag' : 'cidr', value: tag?.[1] ?? allowed, port: step.flow.port, protocol: step.flow.protocol, ports: [String(step.flow.port)], protocols: [step.flow.protocol], rule });
    }
  }
  return out;
}

function destinationOf(candidate: Candidate): string | null {
  switch (candidate.kind) {
    case 'any': return null;
    case 'fqdn-tag': case 'web-category': return null;
    case 'fqdn': return `${probeName(candidate.value)}:${candidate.port}/${candidate.protocol.toLowerCase()}`;
    case 'cidr': return `${candidate.value}:${candidate.port}/${candidate.protocol.toLowerCase()}`;
    case 'service-tag': return `tag:${candidate.value}:${candidate.port}/${candidate.protocol.toLowerCase()}`;
  }
}

/** Names a firewall denies before its allow-all on this path ("every destination except …"): the exceptions to an `any` entry. */
function exceptionsOf(path: EgressPath): readonly string[] {
  const terminal = terminalOf(path.steps).reason;
  const restricted = terminal.kind === 'egress' ? terminal.restrictedTo ?? [] : [];
  const prefix = 'every destination except ';
  return restricted.filter((r) => r.startsWith(prefix)).flatMap((r) => r.slice(prefix.length).split(', '));
}

function pathKey(source: PathSource): string {
  return `${source.type}|${source.id}`;
}

/** What lets everything out on a direct or unrestricted path, in one phrase. */
function unrestrictedRule(path: EgressPath): string {
  const fwAllow = [...path.steps].reverse().find((s) => s.kind === 'firewall-rule' && s.decision.kind === 'allow');
  if (fwAllow && fwAllow.kind === 'firewall-rule' && fwAllow.decision.kind === 'allow') {
    return `${fwAllow.firewall.name}: ${fwAllow.decision.rule.collection}/${fwAllow.decision.rule.name}`;
  }
  const nva = path.via.find((v) => v.kind === 'nva');
  if (nva) return `NVA ${nva.id.slice(nva.id.lastIndexOf('/') + 1)}: its own rules are not visible to Azure`;
  const nsg = [...path.steps].reverse().find((s) => s.kind === 'nsg' && s.access === 'Allow');
  return nsg && nsg.kind === 'nsg' ? `no inspection; NSG ${nsg.nsg.name} rule ${nsg.rules[0]?.name ?? ''} allows it` : 'no inspection and no NSG on the path';
}

function privateReach(index: ModelIndex, subnetId: string | null): PrivateReachEntry[] {
  if (!subnetId) return [];
  const subnet = index.subnets.get(subnetId as ResourceId);
  if (!subnet) return [];
  const out: PrivateReachEntry[] = subnet.serviceEndpoints.map((e) => ({ kind: 'service-endpoint', value: e.service, target: e.locations.join(', ') || '*' }));
  const vnets = new Set<string>([subnet.virtualNetworkId]);
  for (const { peering } of index.peerings.get(subnet.virtualNetworkId) ?? []) {
    // A peering that blocks VNet access carries nothing to the endpoints behind it [PEER].
    if (peering.peeringState === 'Connected' && peering.allowVirtualNetworkAccess && peering.remoteVirtualNetworkId) vnets.add(peering.remoteVirtualNetworkId);
  }
  for (const vnetId of [...vnets].sort()) {
    for (const endpoint of index.privateEndpointsByVirtualNetwork.get(vnetId as ResourceId) ?? []) {
      // Only an Approved connection carries traffic https://learn.microsoft.com/azure/private-link/manage-private-endpoint
      if (!endpoint.connections.some((c) => c.status === 'Approved')) continue;
      const fqdns = endpoint.customDnsConfigs.map((c) => c.fqdn).filter((f): f is string => typeof f === 'string' && f.length > 0);
      const target = endpoint.connections.map((c) => c.privateLinkServiceId).find((id): id is ResourceId => id !== null) ?? '';
      out.push({ kind: 'private-endpoint', value: fqdns.length > 0 ? fqdns.join(', ') : endpoint.name, target });
    }
  }
  return out;
}

/** Computes what every source can reach. */
export function computeReach(input: ResolveInput, options: Pick<ResolveOptions, 'resolve'> & { readonly source?: (source: PathSource) => boolean } = {}): ReachResult {
  const index = indexOf(input);
  const base = resolveEgress(input, { destination: null, resolve: options.resolve });
  const paths = options.source ? base.paths.filter((p) => options.source?.(p.source) ?? true) : base.paths;
  const candidates = new Map<string, Candidate[]>();
  const destinations = new Set<string>();
  for (const path of paths) {
    const list = candidatesFor(index, path);
    candidates.set(pathKey(path.source), list);
    for (const c of list) {
      const d = destinationOf(c);
      if (d) destinations.add(d);
    }
  }
  // One resolve per distinct candidate destination serves every source.
  const answers = new Map<string, Map<string, EgressPath>>();
  const gaps: Gap[] = [...base.gaps];
  for (const destination of [...destinations].sort()) {
    const result = resolveEgress(input, { destination, resolve: options.resolve });
    answers.set(destination, new Map(result.paths.map((p) => [pathKey(p.source), p])));
    gaps.push(...result.gaps);
  }
  const subnetOfNic = new Map(input.model.networkInterfaces.map((nic) => [nic.id as string, primaryIpConfiguration(nic)?.subnetId ?? null]));
  const sources = paths.map((path): ReachSource => {
    const key = pathKey(path.source);
    const terminal = terminalOf(path.steps).reason;
    const open = path.verdict === 'internet' && terminal.kind === 'egress' && terminal.restrictedTo === null;
    const allowed: ReachEntry[] = [];
    if (open) {
      allowed.push({ kind: 'any', value: '*', ports: ['443'], protocols: ['Tcp'], verdict: path.verdict, exit: path.exit, via: path.via.map((v) => v.id), egressIps: path.egressIps, rule: unrestrictedRule(path) });
    }
    const seen = new Set<string>();
    for (const candidate of candidates.get(key) ?? []) {
      const id = `${candidate.kind}|${candidate.value}|${candidate.ports.join(',')}|${candidate.protocols.join(',')}`;
      if (seen.has(id) || (open && candidate.kind === 'any')) continue;
      seen.add(id);
      const destination = destinationOf(candidate);
      const subnetId = path.source.type === 'nic' ? subnetOfNic.get(path.source.id) ?? null : path.source.id;
      const answer = destination ? answers.get(destination) : undefined;
      const resolved = answer ? answer.get(key) ?? (subnetId ? answer.get(`subnet|${subnetId}`) : undefined) : undefined;
      // `any` on other ports and FQDN tags are not resolved: the tag's names are not published.
      const verdict: Verdict = resolved ? resolved.verdict : candidate.kind === 'any' ? path.verdict : 'unknown';
      if (verdict !== 'internet' && verdict !== 'unknown') continue;
      const except = candidate.kind === 'any' ? exceptionsOf(resolved ?? path) : [];
      allowed.push({
        kind: candidate.kind, value: candidate.value, ports: candidate.ports, protocols: candidate.protocols, verdict,
        exit: resolved?.exit ?? null, via: (resolved ?? path).via.map((v) => v.id), egressIps: resolved?.egressIps ?? [], rule: candidate.rule,
        ...(except.length > 0 ? { except } : {}),
      });
    }
    const unrestricted = open || allowed.some((e) => e.kind === 'any' && e.verdict === 'internet');
    const subnetId = path.source.type === 'nic' ? subnetOfNic.get(path.source.id) ?? null : path.source.id;
    return { source: path.source, unrestricted, defaultRoute: path.verdict, allowed, private: privateReach(index, subnetId) };
  });
  const seenGaps = new Set<string>();
  return {
    schema: REACH_SCHEMA, sources,
    gaps: gaps.filter((g) => {
      const k = `${g.code}|${g.scope}|${g.message}`;
      if (seenGaps.has(k)) return false;
      seenGaps.add(k);
      return true;
    }),
  };
}

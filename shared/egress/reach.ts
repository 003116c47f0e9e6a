/**
 * What can each source reach at all? (`egress-atlas reach`, the app's "Can reach", the PDF.)
 * Derived from the same engine: the default route says whether any public destination gets out
 * (`unrestricted`, the exfiltration question in one word); the Allow rules of the firewalls on the
 * path, and the NSG allows of a restricted path, name the candidate destinations, and each
 * candidate is resolved like a what-if, so a later deny, a route or an NSG is taken into account.
 * The default route is one flow (TCP 443); ports and protocols that the source's NSGs treat
 * differently (an NSG that denies TCP 443 but allows TCP 80) are each resolved as a what-if of
 * the whole internet on that port, so what they let out is listed too, and so is a rule that
 * allows any address on some port (NTP on UDP 123). An open path's entry says the ports its NSGs
 * treat like TCP 443. Each entry holds ports one NSG class lets out (both NSGs of a NIC counted,
 * each protocol's ports kept apart), and is judged on a flow inside them: a firewall rule's ports
 * in another class are that class's to judge, and only what was resolved is claimed (an Azure
 * Firewall or another hop that decides by port leaves the rest to its own rules, or "may reach").
 * A NIC whose NSG rules (its own NSG, its ASGs) treat ports otherwise than its subnet's is a source
 * of its own, though it follows its subnet's path on TCP 443.
 * A route other than the default route that sends a public prefix elsewhere (around the firewall to
 * the Internet, to another appliance: reach-routes.ts) is a what-if of its own per NSG port class,
 * walked from the subnets whose routes hold it; an `any` entry excepts such a prefix where its own
 * answer may differ.
 * Private reach lists the service endpoints of the subnet and the private endpoints in its VNet,
 * the VNets it peers with and the VNets peered with an appliance its routes send to (see
 * `endpointVnetsNear`) that the source's own path reaches: each endpoint's address and
 * FQDNs are resolved for the source by the same engine (verdicts only, on TCP 443), so an NSG, a
 * UDR to a firewall that denies it, or a VNet whose DNS does not resolve the name to the endpoint
 * counts; an endpoint the engine cannot decide is listed as "may reach" (verdict Unknown), never
 * as reached.
 */
import { firewallRuleSet, allowRulesFor, applicationRulePorts, applicationRuleProtocols, denyRulesBefore, prepareRuleSet } from './firewall-rules';
import type { FirewallRuleSet } from './firewall-rules';
import { portRangeCovers } from './destination';
import type { EgressDestination, SourceAddress } from './destination';
import { explainPath } from './explain';
import { evaluateNsgChain } from './nsg';
import type { NsgVerdict } from './nsg';
import { innerMap } from '../model/cache';
import { formatCidr, formatIp, parseCidr, parseIp } from '../model/ip';
import { Ipv4Set, publicIpv4 } from '../model/ip-set';
import type { Cidr, IpAddress } from '../model/ip';
import { nameFromResourceId } from '../model/ids';
import type { ResourceId } from '../model/ids';
import { buildModelIndex } from '../model/model-index';
import type { ModelIndex } from '../model/model-index';
import type { AzureFirewall, FirewallRule, IpGroup, NetworkInterface, NetworkSecurityGroup, PrivateEndpoint, SecurityRule, Subnet } from '../model/topology';
import { primaryIpConfiguration } from './outbound';
import { hasOwnDns, resolveEgress, verdictColumns } from './resolve';
import type { SourceVerdict, VerdictOptions, VerdictSources } from './resolve';
import { subnetRole } from './platform';
import { privateEndpointAddresses, resolveName } from '../dns';
import { CONDITIONAL_ENTRY, EVERY_DESTINATION_EXCEPT, RESTRICTION_EXCEPT, SERVICE_TAG_ENTRY, terminalOf } from './steps';
import type { LoadBalancerStep, NsgStep } from './steps';
import type { ResolveInput, ResolveOptions } from './index';
import type { EgressPath, ExitMethod, PathSource, ResolveResult, Verdict } from './types';
import type { Gap } from '../model/gaps';
import type { ServiceTagIndex } from '../model/service-tags';
import { vnetContains } from './engine';
import { endpointInEffect, endpointLocationsKnown } from '../routing/subnet-routes';
import { divertingRoutes, droppedPrefixes, leadsLikeDefaultRoute } from './reach-routes';
import type { DivertingRoute } from './reach-routes';

export const REACH_SCHEMA = 'egress-atlas/reach@1' as const;

/** How resolveEgress labels the default route (destination null). */
const DEFAULT_ROUTE_LABEL = '0.0.0.0/0';

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
  /**
   * Names and tags that rules processed before the allow deny (absent: none): a firewall's deny
   * before its allow-all, an NSG's deny on a service tag before its allows.
   */
  readonly except?: readonly string[];
}

/**
 * A private endpoint the source's path reaches (`private`) or may reach (`unknown`), judged by the
 * engine for this source: an endpoint its path does not reach (denied by an NSG, by a firewall a
 * UDR sends it to, dropped) is not listed.
 */
export interface PrivateEndpointReachEntry {
  readonly kind: 'private-endpoint';
  /**
   * The endpoint's FQDNs that lead to it by name from this source (its VNet's DNS resolves them to
   * the endpoint and the path gets there); when none does, the endpoint's name and the addresses
   * that reach it: a name that resolves publicly from here is not reached privately by name
   * [PEDNS] https://learn.microsoft.com/azure/private-link/private-endpoint-dns
   */
  readonly value: string;
  /** The endpoint's target resource ('' when the input does not name it). */
  readonly target: string;
  /** The private endpoint's resource ID. */
  readonly endpointId: string;
  /** `private`: the engine's path ends at the endpoint; `unknown`: it may (see the gaps and `note`). */
  readonly verdict: 'private' | 'unknown';
  /** The appliances the path passes on the way (a firewall a UDR sends it to), as resource IDs. */
  readonly via: readonly string[];
  /** What the entry does not claim: FQDNs of the endpoint not reached by name from here, what is not known. */
  readonly note?: string;
  /**
   * The flow judged when not {@link PRIVATE_REACH_FLOW}: the service's own port (`TCP 1433`), for an
   * endpoint that TCP 443 does not reach (endpointEntry). Absent: TCP 443.
   */
  readonly flow?: string;
}

/** A service endpoint configured on the source's subnet (not resolved: its service's prefixes are not modelled). */
export interface ServiceEndpointReachEntry {
  readonly kind: 'service-endpoint';
  /** The service (`Microsoft.Storage`). */
  readonly value: string;
  /** Its locations (`*`: every one); {@link LOCATIONS_NOT_IN_INPUT} when the input gives none (never `*`). */
  readonly target: string;
  /** Its provisioning state when that is not Succeeded: whether it is in effect is not known. Absent otherwise. */
  readonly note?: string;
}

/** A service endpoint's `target` when the input does not give its locations: a missing fact, not every region. */
export const LOCATIONS_NOT_IN_INPUT = 'not in the input';

export type PrivateReachEntry = PrivateEndpointReachEntry | ServiceEndpointReachEntry;

/** What every private endpoint entry is judged on: the flow of the default route, as a what-if of its address or name states it. */
export const PRIVATE_REACH_FLOW = 'TCP 443' as const;

export interface ReachSource {
  readonly source: PathSource;
  /**
   * True when any public destination is allowed: on TCP 443 and the ports NSG-treated like it (a
   * direct path), or on the ports of a rule that allows every destination or of an NSG port class
   * open to the whole internet.
   */
  readonly unrestricted: boolean;
  /** How the default route (0.0.0.0/0, TCP 443) ends for this source. */
  readonly defaultRoute: Verdict;
  readonly allowed: readonly ReachEntry[];
  readonly private: readonly PrivateReachEntry[];
  /**
   * A NIC without a default-route path of its own (on TCP 443 it takes its subnet's) whose NSG
   * rules, its own NSG's or an application security group's, treat other ports or a private
   * endpoint otherwise: listed for what it reaches on them. Absent for every other source.
   */
  readonly followsSubnet?: true;
  /**
   * The flows reach judged for this source whose answer leaves Azure to on-premises (a forced
   * tunnel): the default route's port class when it does, an NSG port class's what-if, an allowed
   * destination's resolve. `allowed` lists none of them (what the source reaches from there is not
   * in the input), so this says they exist: TCP 443 may be denied while every other port goes to
   * on-premises. Absent when no judged flow does.
   */
  readonly onPremisesFlows?: readonly OnPremisesFlow[];
}

/** Ports and protocols of a flow that leaves Azure to on-premises (see {@link ReachSource.onPremisesFlows}). */
export interface OnPremisesFlow {
  readonly ports: readonly string[];
  readonly protocols: readonly string[];
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
  /**
   * Already answered, nothing to resolve: `path` for an NSG port class open to the whole internet
   * (the what-if of the internet on that port); `unknown` for a rule on an IP group the input
   * lacks, whose addresses (so the destinations it allows) are not known. Otherwise the candidate
   * is resolved on `port`/`protocol` (`any`: the whole internet on them).
   */
  readonly answer?: { readonly kind: 'path'; readonly path: EgressPath } | { readonly kind: 'unknown' };
  /**
   * The rule's ports and protocols that the one flow it is judged on does not speak for (its other
   * port items, the rest of a range or `*`, its other protocols), all within the judged flow's NSG
   * class (an NSG's allow: the rest of that class); null when that flow is all of it.
   * An earlier rule may stop the judged flow and not these (a Deny on TCP 22 before an Allow on TCP
   * 22 and 3389), and resolving each would cost a whole-estate resolve per port: when the judged
   * flow is stopped they are listed as "may reach" (`unknown`), never dropped [FWRULES]
   * https://learn.microsoft.com/azure/firewall/rule-processing
   */
  readonly rest?: StatedPorts | null;
  /** The firewall rule it comes from, with the rule set it was found in (see `judgedAndRest`). */
  readonly firewallRule?: { readonly rule: FirewallRule; readonly ruleSet: FirewallRuleSet };
  /** The route other than the default route whose prefix it is (see `routeCandidates`). */
  readonly route?: DivertingRoute;
}

/** Ports and protocols as a rule states them (`TCP`, `Any`, `Https`): what an entry says. */
interface StatedPorts {
  readonly ports: readonly string[];
  readonly protocols: readonly string[];
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

/** The rule's first port as it writes them (`*`: 443), the flow a rule is judged on when its class's probe is not one of its ports. */
function firstPort(ports: readonly string[]): number {
  for (const p of ports) {
    const t = p.trim();
    if (t === '*' || t.toLowerCase() === 'any') return 443;
    const n = Number(t.split('-')[0]);
    if (Number.isInteger(n) && n > 0) return n;
  }
  return 443;
}

/** Whether a port item is one port (`22`, `22-22`), not a range or `*`. */
function singlePort(item: string, port: number): boolean {
  const t = item.trim();
  const dash = t.indexOf('-');
  return dash < 0 ? Number(t) === port : Number(t.slice(0, dash)) === port && Number(t.slice(dash + 1)) === port;
}

/** A port interval, both ends included. */
type PortInterval = readonly [number, number];

/**
 * Ports per transport, each a sorted list of disjoint intervals that do not touch. NSG rules name
 * a protocol and ports together [NSG] https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview
 * so what they let out is a port set per protocol (TCP without 80, every UDP port): one port list
 * read against both protocols, as a reach entry is read (ports × protocols), would claim TCP 80 again.
 */
interface TransportPorts {
  readonly Tcp: readonly PortInterval[];
  readonly Udp: readonly PortInterval[];
}

const EVERY_PORT: readonly PortInterval[] = [[0, 65535]];

/** Intervals sorted, overlapping or touching ones merged. */
function mergedIntervals(intervals: readonly PortInterval[]): readonly PortInterval[] {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: [number, number][] = [];
  for (const [low, high] of sorted) {
    const last = out[out.length - 1];
    if (last && low <= last[1] + 1) last[1] = Math.max(last[1], high);
    else out.push([low, high]);
  }
  return out;
}

function intervalsHold(intervals: readonly PortInterval[], port: number): boolean {
  return intervals.some(([low, high]) => low <= port && port <= high);
}

/** The transports a class holds ports of. */
function transportsIn(ports: TransportPorts): readonly ('Tcp' | 'Udp')[] {
  return PROTOCOLS.filter((t) => ports[t].length > 0);
}

/**
 * A rule's port items within a class's intervals: an item wholly inside one as the rule writes it
 * (`53`, `1000-2000`, `*`), else the parts of it inside, each once.
 */
function itemsWithin(items: readonly string[], within: readonly PortInterval[]): readonly string[] {
  const out = new Set<string>();
  for (const item of items) {
    for (const [l, h] of portIntervals([item])) {
      for (const [low, high] of within) {
        const from = Math.max(low, l);
        const to = Math.min(high, h);
        if (from > to) continue;
        out.add(from === l && to === h ? item.trim() : portText(from, to));
      }
    }
  }
  return [...out];
}

/**
 * Ports per transport as entries state them (ports × protocols): one entry for both transports
 * when they hold the same ports, else one per transport, so neither is read with the other's ports.
 */
function rangesOf(tcp: readonly string[], udp: readonly string[]): readonly PortRanges[] {
  if (tcp.length > 0 && udp.length > 0 && tcp.join(',') === udp.join(',')) return [{ protocols: PROTOCOLS, ports: tcp }];
  return [...(tcp.length > 0 ? [{ protocols: ['Tcp' as const], ports: tcp }] : []), ...(udp.length > 0 ? [{ protocols: ['Udp' as const], ports: udp }] : [])];
}

/** A class's ports as entries state them (see `rangesOf`). */
function classRanges(ports: TransportPorts): readonly PortRanges[] {
  return rangesOf(itemsWithin(ALL_PORTS, ports.Tcp), itemsWithin(ALL_PORTS, ports.Udp));
}

/**
 * The flow one part of a rule (its ports on some transports, within one NSG class) is judged on: the
 * class's probe when the part holds it (its what-if is shared), else TCP 443, else the rule's first
 * port, else the part's lowest port (never port 0, which no client uses, unless it is all there is).
 */
function judgedFlowOf(part: PortRanges, probe: ProbeFlow, rulePort: number): ProbeFlow {
  const intervals = portIntervals(part.ports);
  const holds = (flow: ProbeFlow): boolean => part.protocols.includes(flow.protocol) && intervalsHold(intervals, flow.port);
  if (holds(probe)) return probe;
  if (holds(DEFAULT_FLOW)) return DEFAULT_FLOW;
  const protocol = part.protocols.includes('Tcp') ? 'Tcp' : 'Udp';
  if (holds({ port: rulePort, protocol })) return { port: rulePort, protocol };
  const [low, high] = mergedIntervals(intervals)[0] ?? [443, 443];
  return { port: low === 0 && high > 0 ? 1 : low, protocol };
}

/**
 * What a part of a rule holds beyond the flow it is judged on (see `Candidate.rest`): its port
 * items other than that one port; every item when it holds another transport than the flow's.
 */
function restOf(ports: readonly string[], protocols: readonly string[], transports: readonly ('Tcp' | 'Udp')[], flow: ProbeFlow): StatedPorts | null {
  if (transports.some((t) => t !== flow.protocol)) return { ports, protocols };
  const rest = ports.filter((item) => !singlePort(item, flow.port));
  return rest.length === 0 ? null : { ports: rest, protocols };
}

/**
 * How an entry names the transports it keeps of a rule's protocols: the rule's own words for them
 * (`TCP`, `Https`), `Any` as the rule says it when both are kept, else the transports kept.
 */
function protocolWords(ruleProtocols: readonly string[], kept: readonly ('Tcp' | 'Udp')[]): readonly string[] {
  const words = ruleProtocols.filter((p) => {
    const l = p.trim().toLowerCase();
    if (l === 'any' || l === '*') return kept.length === PROTOCOLS.length;
    return transportsOf([p]).some((t) => kept.includes(t));
  });
  return words.length > 0 ? words : kept.map((t) => t.toUpperCase());
}

function ruleLabel(policyName: string, rule: Pick<FirewallRule, 'collection' | 'name'>): string {
  return `${policyName}/${rule.collection}/${rule.name}`;
}

/** What a firewall's rules are labelled with: its policy's name, or its own for classic rules. */
function policyNameOf(index: ModelIndex, firewall: AzureFirewall): string {
  return firewall.firewallPolicyId ? index.firewallPolicies.get(firewall.firewallPolicyId)?.name ?? firewall.name : firewall.name;
}

/** An IP group's addresses as CIDR texts (`a.b.c.d-e.f.g.h` ranges as the CIDRs that make them up). */
function ipGroupCidrs(group: IpGroup): readonly string[] {
  return group.ipAddresses.flatMap((a) => {
    const t = a.trim();
    if (parseCidr(t)) return [t];
    return Ipv4Set.tryFromRange(t)?.toCidrs() ?? [];
  });
}

/** The host a Premium target URL names (`www.example.com/docs/*` → `www.example.com`). */
function urlHost(url: string): string {
  const rest = url.trim().replace(/^[a-z]+:\/\//i, '');
  return (rest.split('/')[0] ?? '').replace(/:\d+$/, '').toLowerCase();
}

/**
 * Candidate destinations from one firewall rule, found on the path of an NSG port class's what-if
 * (the default route's class, TCP 443's, or another). The candidates hold the rule's ports and
 * protocols within that class only: the source's NSGs let those out alike, so one flow speaks for
 * them (`Candidate.rest`); its ports in another class are that class's to judge (its what-if finds
 * the rule again), and those in no class (denied by the NSGs) are not let out at all. Both NSGs on
 * the way apply, the NIC's then the subnet's [NSGHOW]
 * https://learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works
 * A rule for TCP and UDP 53 whose TCP 53 an NSG denies is judged on UDP 53 where UDP 53 is let out;
 * one whose UDP 53 the NSG denies states TCP 53 alone. Each part is judged on the class's probe when
 * it holds it (a rule on `*` found on an NSG port class's what-if is judged on that class's port,
 * not on TCP 443 where the NSG may deny what the class lets out), else on a port of its own.
 */
function candidatesOfRule(rule: FirewallRule, label: string, ipGroups: ReadonlyMap<ResourceId, IpGroup>, flow: FlowClass): Candidate[] {
  if (rule.kind === 'network') {
    const ports = rule.destinationPorts.length > 0 ? rule.destinationPorts : ['*'];
    const protocols = rule.protocols.length > 0 ? rule.protocols : ['Any'];
    const transports = transportsOf(protocols);
    const rulePort = firstPort(rule.destinationPorts);
    const within = rangesOf(transports.includes('Tcp') ? itemsWithin(ports, flow.ports.Tcp) : [], transports.includes('Udp') ? itemsWithin(ports, flow.ports.Udp) : []);
    const bases = within.map((part): Omit<Candidate, 'kind' | 'value'> => {
      const judged = judgedFlowOf(part, flow.probe, rulePort);
      const words = protocolWords(protocols, part.protocols);
      return { ...judged, ports: part.ports, protocols: words, rule: label, rest: restOf(part.ports, words, part.protocols, judged) };
    });
    // ICMP (or any protocol other than TCP and UDP): not modelled, so what it lets out is not known
    // ("may reach", README), on whatever class's path the rule is found.
    const unmodelled = protocols.filter((p) => transportsOf([p]).length === 0);
    if (unmodelled.length > 0) bases.push({ port: rulePort, protocol: 'Tcp', ports, protocols: transports.length === 0 ? protocols : unmodelled, rule: label, rest: null, answer: { kind: 'unknown' } });
    return bases.flatMap((base) => {
      const fromAddresses = rule.destinationAddresses.map((a): Candidate => {
        const t = a.trim();
        if (t === '*' || t.toLowerCase() === 'any' || t === '0.0.0.0/0') return { ...base, kind: 'any', value: '*' };
        return parseCidr(t) ? { ...base, kind: 'cidr', value: t } : { ...base, kind: 'service-tag', value: t };
      });
      // destinationIpGroups match like the addresses they hold [FWIPG]; a group the input lacks could
      // hold any address, so the rule may let anything out: never dropped as if it allowed nothing.
      const fromGroups = rule.destinationIpGroupIds.flatMap((id): Candidate[] => {
        const group = ipGroups.get(id);
        // A group listed without its addresses (a stub) is as unknown as a missing one, never empty.
        if (!group || group.ipAddressesCaptured === false) {
          const why = group ? 'is in the input without its addresses' : 'is not in the input';
          return [{ ...base, kind: 'any', value: '*', rule: `${label} (IP group ${nameFromResourceId(id)} ${why})`, answer: { kind: 'unknown' } }];
        }
        return ipGroupCidrs(group).map((cidr): Candidate => ({ ...base, kind: 'cidr', value: cidr }));
      });
      return [...fromAddresses, ...fromGroups, ...rule.destinationFqdns.map((f): Candidate => ({ ...base, kind: 'fqdn', value: f.trim().toLowerCase() }))];
    });
  }
  // Application protocols (`Https:443`) are TCP: those on TCP ports the class holds.
  const all = applicationRuleProtocols(rule);
  const kept = all.filter((t) => intervalsHold(flow.ports.Tcp, t.port));
  const first = kept[0];
  if (!first) return [];
  const every = kept.length === all.length;
  const port = flow.probe.protocol === 'Tcp' && kept.some((t) => t.port === flow.probe.port) ? flow.probe.port : first.port;
  // The ports are listed on their own, the protocols as the rule names them.
  const ports = every ? applicationRulePorts(rule).map(String) : [...new Set(kept.map((t) => String(t.port)))];
  const types = every ? [...new Set((rule.protocols.length > 0 ? rule.protocols : ['Http', 'Https']).map((p) => p.split(':')[0]?.trim() ?? p))] : [...new Set(kept.map((t) => t.type))];
  // The application protocols on other ports than the judged one (`Http:80` beside `Https:443`).
  const rest = kept.filter((t) => t.port !== port);
  const base = {
    port, protocol: 'Tcp' as const, ports, protocols: types, rule: label,
    rest: rest.length === 0 ? null : { ports: [...new Set(rest.map((t) => String(t.port)))], protocols: [...new Set(rest.map((t) => t.type))] },
  };
  return [
    ...rule.targetFqdns.map((f): Candidate => (f.trim() === '*' ? { ...base, kind: 'any', value: '*' } : { ...base, kind: 'fqdn', value: f.trim().toLowerCase() })),
    // Premium target URLs allow some paths of a host [FWPREMIUM]: the host is what reaches it
    // (a superset, so an allow-list that names the host covers the URL).
    ...(rule.targetUrls ?? []).map((u): Candidate => ({ ...base, kind: 'fqdn', value: urlHost(u) })),
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

function sourceAddressOf(index: ModelIndex, source: PathSource): SourceAddress | null {
  if (source.type === 'nic') {
    const nic: NetworkInterface | undefined = index.networkInterfaces.get(source.id as ResourceId);
    const config = nic ? primaryIpConfiguration(nic) : null;
    const cidr = config?.privateIpAddress ? parseCidr(config.privateIpAddress) : null;
    return cidr ? { cidrs: [cidr], applicationSecurityGroupIds: config?.applicationSecurityGroupIds ?? [] } : null;
  }
  const subnet: Subnet | undefined = index.subnets.get(source.id as ResourceId);
  const cidrs = (subnet?.addressPrefixes ?? []).map((p) => parseCidr(p)).filter((c): c is Cidr => c !== null && c.version === 4);
  return { cidrs, applicationSecurityGroupIds: [] };
}

/**
 * Ports of one or both protocols that a source's NSGs treat alike (the same verdict for the whole
 * internet), and the flow a what-if probes them with. NSG rules match a protocol and port
 * ranges, so the ports fall into a few such classes; everything else on the way out (routes, the
 * firewall's rules, which reach lists with their own ports) is resolved per candidate.
 */
interface FlowClass {
  /** Its ports per transport, never merged across them (see `TransportPorts`). */
  readonly ports: TransportPorts;
  readonly probe: ProbeFlow;
}

/** One protocol and port: the flow a what-if resolves. */
interface ProbeFlow {
  readonly port: number;
  readonly protocol: 'Tcp' | 'Udp';
}

/** Ports of one or both protocols, as a reach entry states them. */
interface PortRanges {
  readonly protocols: readonly ('Tcp' | 'Udp')[];
  readonly ports: readonly string[];
}

/** Ports of TCP 443's class and the NSG rule that lets them out (`NSG nsg-app rule allow-ntp-out`; empty: no NSG). */
interface AllowedRange extends PortRanges {
  readonly allowedBy: string;
}

interface SourceFlows {
  /** The class of the default route's flow, TCP 443: what the source's own path speaks for. */
  readonly defaultRoute: FlowClass;
  /** The same class, one range per port list and allowing rule (the rule an open path's entry names). */
  readonly defaultRouteRanges: readonly AllowedRange[];
  /** Classes whose NSG verdict lets something out and differs from TCP 443's. */
  readonly others: readonly FlowClass[];
  /** Every class with its NSG verdict, as text: sources with equal texts are treated alike on every port. */
  readonly signature: string;
}

const PROTOCOLS = ['Tcp', 'Udp'] as const;
const ALL_PORTS: readonly string[] = ['*'];
const DEFAULT_FLOW = { port: 443, protocol: 'Tcp' } as const;
const UNIFORM: SourceFlows = {
  defaultRoute: { ports: { Tcp: EVERY_PORT, Udp: EVERY_PORT }, probe: DEFAULT_FLOW }, defaultRouteRanges: [{ protocols: PROTOCOLS, ports: ALL_PORTS, allowedBy: '' }], others: [], signature: '',
};

/** The NSGs an outbound packet from this source crosses, in Azure's order: the NIC's, then the subnet's [NSG]. */
function sourceNsgs(index: ModelIndex, source: PathSource, subnetId: string | null): readonly NetworkSecurityGroup[] {
  const nic = source.type === 'nic' ? index.networkInterfaces.get(source.id as ResourceId) : undefined;
  const subnet = subnetId ? index.subnets.get(subnetId as ResourceId) : undefined;
  return [nic?.networkSecurityGroupId, subnet?.networkSecurityGroupId]
    .flatMap((id) => (id ? [index.networkSecurityGroups.get(id)] : []))
    .filter((n): n is NetworkSecurityGroup => n !== undefined);
}

function coversProtocol(rule: SecurityRule, protocol: 'Tcp' | 'Udp'): boolean {
  const p = rule.protocol.trim().toLowerCase();
  return p === '*' || p === 'any' || p === protocol.toLowerCase();
}

/** Whether a rule's protocol and destination ports take a flow (as nsg.ts's ruleMatchExceptDestination reads them). */
function ruleCoversFlow(rule: SecurityRule, protocol: 'Tcp' | 'Udp', port: number): boolean {
  return coversProtocol(rule, protocol) && (rule.destinationPortRanges.length === 0 || rule.destinationPortRanges.some((r) => portRangeCovers(r, port)));
}

/** Where a rule's port ranges start and end (each end as the port after it): the class boundaries. */
function portBoundaries(rules: readonly SecurityRule[], protocol: 'Tcp' | 'Udp'): readonly number[] {
  const bounds = new Set<number>([0, 65536]);
  for (const rule of rules) {
    if (!coversProtocol(rule, protocol)) continue;
    for (const raw of rule.destinationPortRanges) {
      const r = raw.trim();
      if (r === '*' || r.toLowerCase() === 'any') continue;
      const dash = r.indexOf('-');
      const low = Number(dash < 0 ? r : r.slice(0, dash));
      const high = Number(dash < 0 ? r : r.slice(dash + 1));
      if (!Number.isInteger(low) || !Number.isInteger(high) || low > high) continue;
      bounds.add(Math.max(0, low));
      bounds.add(Math.min(65536, high + 1));
    }
  }
  return [...bounds].sort((a, b) => a - b);
}

/** What an NSG verdict lets out, as a comparable key (Deny lets nothing out). */
function verdictKey(verdict: NsgVerdict): string {
  switch (verdict.access) {
    case 'Allow': case 'Deny': return verdict.access;
    case 'Partial': return `Partial|${verdict.allowedPrefixes.join(',')}|${verdict.allowedServiceTags.join(',')}|${verdict.exceptServiceTags.join(',')}`;
    case 'Unknown': return `Unknown|${verdict.missing.map((m) => JSON.stringify(m)).join(',')}`;
  }
}

function portText(low: number, high: number): string {
  if (low === 0 && high === 65535) return '*';
  return low === high ? String(low) : `${low}-${high}`;
}

/** One protocol's ports in a class: as text and as intervals, the rule that decides each, the port that probes them. */
interface ClassPorts {
  readonly ports: string[];
  readonly intervals: [number, number][];
  readonly decidedBy: string[];
  probe: number;
}

/** Per NSG chain (and source, when a rule's source side depends on it): computed once. */
const flowCache = new WeakMap<ModelIndex, Map<string, SourceFlows>>();

/** Whether an NSG rule names a protocol or ports: one that does not treats every port alike. */
function decidesByPort(rule: SecurityRule): boolean {
  return rule.destinationPortRanges.some((p) => !['*', 'any'].includes(p.trim().toLowerCase())) || !['*', 'any'].includes(rule.protocol.trim().toLowerCase());
}

/** Whether a rule matches every source in a VNet alike, so the classes can be shared between sources. */
function sourceIndependent(rule: SecurityRule): boolean {
  if ((rule.sourceApplicationSecurityGroupIds?.length ?? 0) > 0) return false;
  return rule.sourceAddressPrefixes.every((p) => ['*', 'any', 'virtualnetwork'].includes(p.trim().toLowerCase()));
}

/**
 * The port classes of a chain's outbound rules, per protocol: each range between two rule port
 * bounds, the port that probes it (TCP 443 where the range holds it; never port 0, which no client
 * uses) and the rules that match the flow (joined indexes). A flow's NSG verdict depends on its
 * port and protocol only through the rules that match it (ruleMatchExceptDestination in nsg.ts), so
 * callers evaluate the chain once per `matching`, not once per class.
 */
function* portClassBounds(rules: readonly SecurityRule[]): Generator<{ readonly protocol: 'Tcp' | 'Udp'; readonly low: number; readonly high: number; readonly port: number; readonly holdsDefault: boolean; readonly matching: string }> {
  for (const protocol of PROTOCOLS) {
    const bounds = portBoundaries(rules, protocol);
    for (let i = 0; i + 1 < bounds.length; i++) {
      const low = bounds[i] ?? 0;
      const high = (bounds[i + 1] ?? 65536) - 1;
      const holdsDefault = protocol === DEFAULT_FLOW.protocol && low <= DEFAULT_FLOW.port && DEFAULT_FLOW.port <= high;
      const port = holdsDefault ? DEFAULT_FLOW.port : Math.max(1, low);
      const matching = rules.flatMap((r, k) => (ruleCoversFlow(r, protocol, port) ? [k] : [])).join(',');
      yield { protocol, low, high, port, holdsDefault, matching };
    }
  }
}

/**
 * The default route is resolved on TCP 443 only; an NSG with port-specific rules may let out on
 * other ports what it denies on 443 (allow TCP 80, deny the rest), which that path never shows.
 * Every port class of the source's NSGs is evaluated for the whole internet, the engine's NSG
 * semantics (evaluateNsgChain); the classes that let something out and differ from TCP 443's are
 * resolved as what-ifs of their own.
 */
function sourceFlows(index: ModelIndex, from: PathSource, source: SourceAddress | null, subnetId: string | null): SourceFlows {
  const nsgs = sourceNsgs(index, from, subnetId);
  if (nsgs.length === 0 || !source) return UNIFORM;
  const rules = nsgs.flatMap((n) => n.securityRules.filter((r) => r.direction === 'Outbound'));
  if (!rules.some(decidesByPort)) return UNIFORM;
  const cache = innerMap(flowCache, index);
  const sourceKey = rules.every(sourceIndependent) ? '' : `${source.cidrs.map(formatCidr).join(',')}|${(source.applicationSecurityGroupIds ?? []).join(',')}`;
  const cacheKey = `${nsgs.map((n) => n.id).join('+')}|${sourceKey}`;
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  // Verdict key → protocol → the ports with that verdict, the rule that decides each, and the port that probes them.
  const classes = new Map<string, Map<'Tcp' | 'Udp', ClassPorts>>();
  const byMatching = new Map<string, NsgVerdict>();
  let defaultKey = '';
  for (const { protocol, low, high, port, holdsDefault, matching } of portClassBounds(rules)) {
    let verdict = byMatching.get(matching);
    if (verdict === undefined) {
      verdict = evaluateNsgChain(nsgs, { destination: { kind: 'default-route' }, port, protocol }, source, 'Outbound');
      byMatching.set(matching, verdict);
    }
    const key = verdictKey(verdict);
    // The last NSG's rule, as a path's own hops name it: one verdict key may come from several rules.
    const last = verdict.rules.at(-1);
    const decidedBy = last ? `NSG ${nsgs.find((n) => n.id === last.nsgId)?.name ?? nameFromResourceId(last.nsgId)} rule ${last.rule.name}` : '';
    if (holdsDefault) defaultKey = key;
    let byProtocol = classes.get(key);
    if (!byProtocol) {
      byProtocol = new Map();
      classes.set(key, byProtocol);
    }
    const found = byProtocol.get(protocol);
    if (found) {
      found.ports.push(portText(low, high));
      found.intervals.push([low, high]);
      found.decidedBy.push(decidedBy);
      if (holdsDefault) found.probe = port;
    } else byProtocol.set(protocol, { ports: [portText(low, high)], intervals: [[low, high]], decidedBy: [decidedBy], probe: port });
  }
  // The default route's path speaks for every port with TCP 443's verdict, each protocol's own.
  const same = classes.get(defaultKey) ?? new Map<'Tcp' | 'Udp', ClassPorts>();
  const portsOf = (byProtocol: ReadonlyMap<'Tcp' | 'Udp', ClassPorts>, only: 'Tcp' | 'Udp' | null): TransportPorts => ({
    Tcp: only !== 'Udp' ? mergedIntervals(byProtocol.get('Tcp')?.intervals ?? []) : [],
    Udp: only !== 'Tcp' ? mergedIntervals(byProtocol.get('Udp')?.intervals ?? []) : [],
  });
  const defaultRoute: FlowClass = { ports: portsOf(same, null), probe: DEFAULT_FLOW };
  // One range per rule and port list, the protocols that share both merged.
  const ranges = new Map<string, { readonly ports: string[]; readonly protocols: ('Tcp' | 'Udp')[]; readonly allowedBy: string }>();
  for (const [protocol, c] of same) {
    const byRule = new Map<string, string[]>();
    c.ports.forEach((ports, i) => {
      const rule = c.decidedBy[i] ?? '';
      byRule.set(rule, [...byRule.get(rule) ?? [], ports]);
    });
    for (const [allowedBy, ports] of byRule) {
      const found = ranges.get(`${allowedBy}|${ports.join(',')}`);
      if (found) found.protocols.push(protocol);
      else ranges.set(`${allowedBy}|${ports.join(',')}`, { ports, protocols: [protocol], allowedBy });
    }
  }
  const others = [...classes].filter(([key]) => key !== defaultKey && key !== 'Deny')
    .flatMap(([, byProtocol]) => [...byProtocol].map(([protocol, c]): FlowClass => ({ ports: portsOf(byProtocol, protocol), probe: { port: c.probe, protocol } })));
  const signature = [...classes].map(([key, byProtocol]) => `${key}=${[...byProtocol].map(([protocol, c]) => `${protocol} ${c.ports.join(',')}`).join(';')}`).join('|');
  const flows: SourceFlows = { defaultRoute, defaultRouteRanges: [...ranges.values()], others, signature };
  cache.set(cacheKey, flows);
  return flows;
}

/** Ports of one or both protocols (the same ports on each) that a source's NSGs let out alike to some addresses, and the flow that probes them. */
export interface NsgPortClass {
  readonly protocols: readonly ('Tcp' | 'Udp')[];
  readonly ports: readonly string[];
  readonly probe: ProbeFlow;
}

/** Addresses a port class is judged for: a service tag's prefixes (`key` names them in the cache), or null for the whole internet. */
export interface PortClassDestination {
  readonly key: string;
  readonly set: Ipv4Set | null;
}

const EVERY_PORT_CLASS: readonly NsgPortClass[] = [{ protocols: PROTOCOLS, ports: ALL_PORTS, probe: DEFAULT_FLOW }];
/**
 * Per model, then per tag data (the NSG verdicts read its prefixes; NO_TAGS without any): the
 * classes by chain content, source and destination, and each destination's parsed prefixes.
 */
const portClassCache = new WeakMap<ModelIndex, WeakMap<object, { readonly classes: Map<string, readonly NsgPortClass[]>; readonly targets: Map<string, EgressDestination> }>>();
const NO_TAGS = {};

/**
 * What evaluateNsgChain reads of an NSG for outbound traffic, as a number: its outbound rules in
 * their order, every field a verdict depends on (names too: an Unknown verdict names its rules).
 * Estates stamp one NSG per subnet from a template; NSGs with the same rules get the same number,
 * so their port classes are worked out once, not once per NSG ID.
 */
const ruleSetNumbering = new WeakMap<ModelIndex, { readonly byNsg: WeakMap<NetworkSecurityGroup, number>; readonly byText: Map<string, number> }>();
function outboundRuleSetId(index: ModelIndex, nsg: NetworkSecurityGroup): number {
  let numbering = ruleSetNumbering.get(index);
  if (!numbering) {
    numbering = { byNsg: new WeakMap(), byText: new Map() };
    ruleSetNumbering.set(index, numbering);
  }
  let id = numbering.byNsg.get(nsg);
  if (id === undefined) {
    const text = JSON.stringify(nsg.securityRules.filter((r) => r.direction === 'Outbound').map((r) => [r.name, r.priority, r.access, r.protocol,
      r.sourceAddressPrefixes, r.destinationAddressPrefixes, r.destinationPortRanges, r.sourcePortRanges ?? null, r.isDefault,
      r.sourceApplicationSecurityGroupIds ?? null, r.destinationApplicationSecurityGroupIds ?? null]));
    id = numbering.byText.get(text);
    if (id === undefined) {
      id = numbering.byText.size;
      numbering.byText.set(text, id);
    }
    numbering.byNsg.set(nsg, id);
  }
  return id;
}

/**
 * A chain's content: each NSG's rule set, and which positions are the same NSG (a NIC and its
 * subnet sharing one): an Unknown verdict names rules per NSG, so only chains with this key are
 * sure to split into the same classes.
 */
function chainContentKey(index: ModelIndex, nsgs: readonly NetworkSecurityGroup[]): string {
  return nsgs.map((n, i) => {
    const first = nsgs.findIndex((m) => m.id === n.id);
    return `${outboundRuleSetId(index, n)}${first === i ? '' : `=${first}`}`;
  }).join('+');
}

/**
 * The ports and protocols on which a source's NSGs (its NIC's, then its subnet's [NSG]) let traffic
 * out to `destination`, as sourceFlows splits them for the whole internet: each rule's port ranges
 * bound the classes, the chain is evaluated once per class (evaluateNsgChain, with the service tag
 * data), classes with the same verdict are merged, and those the NSGs deny are left out. What a
 * service endpoint carries around the path is judged on these: its route takes every port to the
 * service [SE] https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoints-overview
 * Each class is probed on TCP 443 when it holds it, else on its lowest port. Without NSGs (or a
 * source address to match rules against) every port of both protocols is one class, whose what-if
 * decides. Cached per tag data, the chain's rules (chainContentKey: NSGs stamped from one template
 * share it), source (when a rule depends on it) and destination.
 */
export function nsgPortClassesTo(input: ResolveInput, source: PathSource, subnetId: string | null, destination: PortClassDestination, tags: ServiceTagIndex | null): readonly NsgPortClass[] {
  const index = indexOf(input);
  const address = sourceAddressOf(index, source);
  const nsgs = sourceNsgs(index, source, subnetId);
  if (nsgs.length === 0 || !address) return EVERY_PORT_CLASS;
  const rules = nsgs.flatMap((n) => n.securityRules.filter((r) => r.direction === 'Outbound'));
  let byTags = portClassCache.get(index);
  if (!byTags) {
    byTags = new WeakMap();
    portClassCache.set(index, byTags);
  }
  let cache = byTags.get(tags ?? NO_TAGS);
  if (!cache) {
    cache = { classes: new Map(), targets: new Map() };
    byTags.set(tags ?? NO_TAGS, cache);
  }
  const sourceKey = rules.every(sourceIndependent) ? '' : `${address.cidrs.map(formatCidr).join(',')}|${(address.applicationSecurityGroupIds ?? []).join(',')}`;
  const cacheKey = `${chainContentKey(index, nsgs)}|${sourceKey}|${destination.key}`;
  const cached = cache.classes.get(cacheKey);
  if (cached) return cached;
  // The destination's prefixes, parsed once per key (one tag's, for every source with an endpoint to it).
  let target = cache.targets.get(destination.key);
  if (!target) {
    const set = destination.set;
    target = set === null ? { kind: 'default-route' }
      : { kind: 'range', cidrs: set.toCidrs().map((c) => parseCidr(c)).filter((c): c is Cidr => c !== null), set, text: destination.key };
    cache.targets.set(destination.key, target);
  }
  const classes = new Map<string, Map<'Tcp' | 'Udp', { readonly ports: string[]; probe: number }>>();
  // The chain is evaluated once per set of matching rules (see portClassBounds).
  const byMatching = new Map<string, string>();
  for (const { protocol, low, high, port, holdsDefault, matching } of portClassBounds(rules)) {
    let key = byMatching.get(matching);
    if (key === undefined) {
      key = verdictKey(evaluateNsgChain(nsgs, { destination: target, port, protocol }, address, 'Outbound', tags ? { serviceTags: tags } : {}));
      byMatching.set(matching, key);
    }
    if (key === 'Deny') continue;
    let byProtocol = classes.get(key);
    if (!byProtocol) {
      byProtocol = new Map();
      classes.set(key, byProtocol);
    }
    const found = byProtocol.get(protocol);
    if (!found) byProtocol.set(protocol, { ports: [portText(low, high)], probe: port });
    else {
      found.ports.push(portText(low, high));
      if (holdsDefault) found.probe = port;
    }
  }
  const out: NsgPortClass[] = [];
  for (const byProtocol of classes.values()) {
    const tcp = byProtocol.get('Tcp');
    const udp = byProtocol.get('Udp');
    if (tcp && udp && tcp.ports.join(',') === udp.ports.join(',')) {
      out.push({ protocols: PROTOCOLS, ports: tcp.ports, probe: { port: tcp.probe, protocol: 'Tcp' } });
      continue;
    }
    for (const [protocol, c] of byProtocol) out.push({ protocols: [protocol], ports: c.ports, probe: { port: c.probe, protocol } });
  }
  cache.classes.set(cacheKey, out);
  return out;
}

/** Candidates for one path: the Allow rules of the firewalls it passes, and what a restricting NSG allows (on the ports of `flows`). */
function candidatesFor(index: ModelIndex, path: EgressPath, source: SourceAddress | null, flows: FlowClass): Candidate[] {
  const out: Candidate[] = [];
  for (const via of path.via) {
    if (via.kind !== 'azure-firewall' || !source) continue;
    const firewall = index.azureFirewalls.get(via.id as ResourceId);
    if (!firewall) continue;
    const policyName = policyNameOf(index, firewall);
    const ruleSet = prepareRuleSet(firewallRuleSet(index, firewall));
    for (const { rule } of allowRulesFor(ruleSet, source)) {
      for (const c of candidatesOfRule(rule, ruleLabel(policyName, rule), index.ipGroups, flows)) out.push({ ...c, firewallRule: { rule, ruleSet } });
    }
  }
  const partial = path.steps.filter((step): step is NsgStep => step.kind === 'nsg' && step.access === 'Partial');
  const first = partial[0];
  if (!first) return out;
  const { probe } = flows;
  // The NSGs allow these prefixes on every port of the class, not only on the one probed; but an
  // Azure Firewall on the way decides by port (it denies what no rule allows [FWRULES]
  // https://learn.microsoft.com/azure/firewall/rule-processing), and its rules are listed on their
  // own ports above: through it the NSG's allow speaks for the probed flow alone. So it does past
  // another hop that decides by port (an NVA's NSG with port rules), where the class's other ports
  // "may reach" anything (pastPortDecidingHop).
  const judgedOnly = path.via.some((v) => v.kind === 'azure-firewall') || portDecidingHop(index, path, transportsIn(flows.ports)) !== null;
  const ranges = judgedOnly ? [{ ports: [String(probe.port)], protocols: [probe.protocol] }] : classRanges(flows.ports);
  const { allowed, rule } = allowedByEvery(partial);
  for (const entry of allowed) {
    const tag = entry.startsWith(SERVICE_TAG_ENTRY) ? entry.slice(SERVICE_TAG_ENTRY.length) : null;
    for (const r of ranges) {
      out.push({
        kind: tag !== null ? 'service-tag' : 'cidr', value: tag ?? entry, port: first.flow.port, protocol: first.flow.protocol, ports: r.ports, protocols: r.protocols, rule,
        rest: restOf(r.ports, r.protocols, r.protocols, first.flow),
      });
    }
  }
  return out;
}

/**
 * What every restricting NSG on a path allows (a packet needs both the NIC's and the subnet's
 * allow [NSGHOW] https://learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works):
 * their prefixes intersected; service tags (whose prefixes may not be in the input) each kept, the
 * engine judging each through every NSG when it is resolved. One NSG: its list as it is.
 */
function allowedByEvery(steps: readonly NsgStep[]): { readonly allowed: readonly string[]; readonly rule: string } {
  const [only] = steps;
  if (only && steps.length === 1) return { allowed: only.allowed, rule: nsgAllowRule(only) };
  let both: Ipv4Set | null = null;
  const others = new Set<string>();
  for (const step of steps) {
    let set = Ipv4Set.empty();
    for (const entry of step.allowed) {
      const parsed = entry.startsWith(SERVICE_TAG_ENTRY) ? null : Ipv4Set.tryFromCidr(entry);
      if (parsed) set = set.union(parsed);
      else others.add(entry);
    }
    both = both === null ? set : both.intersect(set);
  }
  return { allowed: [...(both?.toCidrs() ?? []), ...others], rule: steps.map(nsgAllowRule).join(', ') };
}

/** A class's ports but one flow's (what a what-if on that flow leaves unresolved). */
function withoutFlow(ports: TransportPorts, flow: ProbeFlow): TransportPorts {
  const cut = ports[flow.protocol].flatMap(([low, high]): PortInterval[] => (low <= flow.port && flow.port <= high
    ? [...(low < flow.port ? [[low, flow.port - 1] as const] : []), ...(flow.port < high ? [[flow.port + 1, high] as const] : [])]
    : [[low, high]]));
  return flow.protocol === 'Tcp' ? { Tcp: cut, Udp: ports.Udp } : { Tcp: ports.Tcp, Udp: cut };
}

/**
 * A class's what-if that a hop past the source's NSGs which decides by port stops or restricts (an
 * NVA's NSG that denies TCP 443 and not TCP 80, or allows some prefixes on 443 only): its answer on
 * the probe does not hold for the class's other ports, which "may reach" anything (README: past a
 * hop that decides by port otherwise only TCP 443 is resolved and it "may reach" anything on the
 * other ports), never dropped as if that hop stopped them too. An open answer says so itself
 * (openEntries, flowClassCandidates); through an Azure Firewall its rules are judged on their own
 * ports instead (candidatesFor).
 */
function pastPortDecidingHop(index: ModelIndex, probe: EgressPath, flow: FlowClass): Candidate[] {
  if (!['internet', 'denied', 'dropped', 'no-outbound'].includes(probe.verdict) || isOpen(probe) || probe.via.some((v) => v.kind === 'azure-firewall')) return [];
  const hop = portDecidingHop(index, probe, transportsIn(flow.ports));
  if (hop === null) return [];
  const judged = `${flow.probe.protocol.toUpperCase()} ${flow.probe.port}`;
  return classRanges(withoutFlow(flow.ports, flow.probe)).map((r): Candidate => ({
    kind: 'any', value: '*', port: flow.probe.port, protocol: flow.probe.protocol, ...r, rule: `only ${judged} is resolved past ${hop}`, answer: { kind: 'unknown' },
  }));
}

/**
 * Candidates for a route's prefix on one NSG port class, judged like the default route: each part
 * of the class on its probe (TCP 443 where it holds it), the class's other ports following its
 * answer where nothing on the way decides by port (see `judgedAndRest`: an Azure Firewall or an
 * NSG with port rules past the source leaves them "may reach").
 */
function routeCandidates(route: DivertingRoute, flow: FlowClass): Candidate[] {
  return classRanges(flow.ports).map((part): Candidate => {
    const judged = judgedFlowOf(part, flow.probe, DEFAULT_FLOW.port);
    return { kind: route.kind, value: route.prefix, ...judged, ports: part.ports, protocols: part.protocols, rule: route.label, rest: restOf(part.ports, part.protocols, part.protocols, judged), route };
  });
}

/** Whether a path gets out to every public destination: internet, restricted by nothing. */
function isOpen(path: EgressPath): boolean {
  const terminal = terminalOf(path.steps).reason;
  return path.verdict === 'internet' && terminal.kind === 'egress' && terminal.restrictedTo === null;
}

/**
 * The what-if of the whole internet on one flow: how an NSG port class, or a rule that allows any
 * address, is judged. On TCP 443 it is the default route itself (the same resolve).
 */
function internetOn(flow: ProbeFlow): string {
  return `${DEFAULT_ROUTE_LABEL}:${flow.port}/${flow.protocol.toLowerCase()}`;
}

/**
 * Candidates from an NSG port class, given the what-if of the internet on its probe port. An open
 * answer speaks for every port of the class where nothing after the source's NSGs decides by port;
 * through an Azure Firewall the rule that opens it is listed on its own ports within the class
 * (candidatesFor), and past another hop that decides by port the other ports "may reach".
 */
function flowClassCandidates(index: ModelIndex, probe: EgressPath, source: SourceAddress | null, flow: FlowClass): Candidate[] {
  const base = { port: flow.probe.port, protocol: flow.probe.protocol, answer: { kind: 'path' as const, path: probe } };
  const ranges = classRanges(flow.ports);
  if (isOpen(probe) && !probe.via.some((v) => v.kind === 'azure-firewall')) {
    const rule = unrestrictedRule(probe);
    const hop = portDecidingHop(index, probe, transportsIn(flow.ports));
    if (hop === null) return ranges.map((r): Candidate => ({ ...base, ...r, kind: 'any', value: '*', rule }));
    const judged = `${flow.probe.protocol.toUpperCase()} ${flow.probe.port}`;
    return [
      { ...base, kind: 'any', value: '*', ports: [String(flow.probe.port)], protocols: [flow.probe.protocol], rule },
      ...classRanges(withoutFlow(flow.ports, flow.probe)).map((r): Candidate => ({ ...base, ...r, kind: 'any', value: '*', rule: `only ${judged} is resolved past ${hop}`, answer: { kind: 'unknown' } })),
    ];
  }
  const named = [...candidatesFor(index, probe, source, flow), ...pastPortDecidingHop(index, probe, flow)];
  if (named.length > 0 || probe.verdict !== 'unknown') return named;
  // Not decided, and nothing on the path names what it lets out: anything may get out on these ports.
  const rule = explainPath(probe).at(-1)?.rule ?? 'not decided';
  return ranges.map((r): Candidate => ({ ...base, ...r, kind: 'any', value: '*', rule }));
}

function destinationOf(candidate: Candidate): string | null {
  switch (candidate.kind) {
    // On its own port and protocol: a rule allowing `*` on UDP 123 says nothing about TCP 443.
    case 'any': return internetOn(candidate);
    case 'fqdn-tag': case 'web-category': return null;
    case 'fqdn': return `${probeName(candidate.value)}:${candidate.port}/${candidate.protocol.toLowerCase()}`;
    case 'cidr': return `${candidate.value}:${candidate.port}/${candidate.protocol.toLowerCase()}`;
    case 'service-tag': return `tag:${candidate.value}:${candidate.port}/${candidate.protocol.toLowerCase()}`;
  }
}

const EVERY_EXCEPT = EVERY_DESTINATION_EXCEPT;
const EXCEPT = RESTRICTION_EXCEPT;

/**
 * What rules processed before the allow keep out of a path that gets out: names a firewall denies
 * before its allow-all ("every destination except …"), service tags an NSG denies before its
 * allows. The exceptions to the entry the path answers for, whatever its kind: a CIDR an NSG
 * allows after denying the Storage tag reaches that CIDR but Storage's addresses in it.
 */
function exceptionsOf(path: EgressPath): readonly string[] {
  const terminal = terminalOf(path.steps).reason;
  const restricted = terminal.kind === 'egress' ? terminal.restrictedTo ?? [] : [];
  return restricted.flatMap((r) => (r.startsWith(EVERY_EXCEPT) ? r.slice(EVERY_EXCEPT.length).split(', ') : r.startsWith(EXCEPT) ? r.slice(EXCEPT.length).split(', ') : []));
}

/** One destination of a path's restriction, read back as a reach entry's kind, value and verdict. */
interface RestrictedDestination {
  readonly kind: 'cidr' | 'service-tag' | 'fqdn';
  readonly value: string;
  readonly verdict: 'internet' | 'unknown';
}

/**
 * The destinations a path that gets out is restricted to, when rules on it name them (an NSG that
 * allows some prefixes, intersected with what a firewall allows); null when the path is open or
 * only excepts names. A rule allowing any address on such a path reaches these, not "any public
 * destination": the NSG rules before the firewall still apply to the packet's destination [NSG]
 * https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview. A name
 * whose addresses the input does not list, allowed only where they fall in the other rule set's
 * prefixes, is "may reach".
 */
function restrictedDestinations(path: EgressPath): readonly RestrictedDestination[] | null {
  const terminal = terminalOf(path.steps).reason;
  if (path.verdict !== 'internet' || terminal.kind !== 'egress' || !terminal.restrictedTo) return null;
  const named = terminal.restrictedTo.filter((r) => !r.startsWith(EXCEPT) && !r.startsWith(EVERY_EXCEPT));
  if (named.length === 0) return null;
  return named.map((item): RestrictedDestination => {
    const at = item.indexOf(CONDITIONAL_ENTRY);
    const name = at < 0 ? item : item.slice(0, at);
    const tag = name.startsWith(SERVICE_TAG_ENTRY) ? name.slice(SERVICE_TAG_ENTRY.length) : null;
    const kind = tag !== null ? 'service-tag' : parseCidr(name) ? 'cidr' : 'fqdn';
    return { kind, value: tag ?? name, verdict: at < 0 ? 'internet' : 'unknown' };
  });
}

/**
 * What of a candidate a path that gets out restricted reaches, or null when it is the candidate
 * as stated: for a rule allowing any address, the destinations the path is restricted to; for a
 * range, the part the path is restricted to (its prefixes; a name or tag the other rule set allows
 * there leaves the range "may reach", the part of it that tag holds not being known).
 */
function restrictedOf(candidate: Candidate, resolved: EgressPath): readonly RestrictedDestination[] | null {
  if (candidate.kind !== 'any' && candidate.kind !== 'cidr') return null;
  const restricted = restrictedDestinations(resolved);
  if (candidate.kind === 'any' || restricted === null) return restricted;
  const own = Ipv4Set.tryFromCidr(candidate.value);
  const [only] = restricted;
  const whole = only?.kind === 'cidr' ? Ipv4Set.tryFromCidr(only.value) : null;
  if (restricted.length === 1 && only?.verdict === 'internet' && own && whole?.equals(own)) return null;
  // Each prefix as the part of the range it holds: the entry never names addresses the rule does not allow.
  const prefixes = restricted.flatMap((d): RestrictedDestination[] => {
    const set = d.kind === 'cidr' ? Ipv4Set.tryFromCidr(d.value) : null;
    return set && own ? set.intersect(own).toCidrs().map((value) => ({ kind: 'cidr', value, verdict: d.verdict })) : [];
  });
  const onlyPrefixes = own !== null && restricted.every((d) => d.kind === 'cidr' && Ipv4Set.tryFromCidr(d.value) !== null);
  return onlyPrefixes && prefixes.length > 0 ? prefixes : [...prefixes, { kind: 'cidr', value: candidate.value, verdict: 'unknown' }];
}

/** A restricting NSG step's Allow rules, as reach names a rule: `nsg/rule+rule`. */
function nsgAllowRule(step: NsgStep): string {
  return `${step.nsg.name}/${step.rules.filter((r) => r.access === 'Allow').map((r) => r.name).join('+')}`;
}

/** The NSG rules that restrict a path to what they allow, as reach names a rule (`nsg/rule+rule`). */
function restrictingNsgRules(path: EgressPath): readonly string[] {
  return path.steps.flatMap((step) => (step.kind === 'nsg' && step.access === 'Partial' ? [nsgAllowRule(step)] : []));
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

/**
 * The service endpoints configured on a source's subnet, as configured. Locations the input lacks
 * are said to be missing (an absent list is not every region), and a provisioning state other than
 * Succeeded is noted: whether such an endpoint's routes are in effect is not documented [SE]
 * https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoints-overview
 */
function serviceEndpointsOf(index: ModelIndex, subnetId: string | null): ServiceEndpointReachEntry[] {
  const subnet = subnetId ? index.subnets.get(subnetId as ResourceId) : undefined;
  return (subnet?.serviceEndpoints ?? []).map((e) => {
    const entry: ServiceEndpointReachEntry = { kind: 'service-endpoint', value: e.service, target: endpointLocationsKnown(e) ? e.locations.join(', ') : LOCATIONS_NOT_IN_INPUT };
    return endpointInEffect(e) ? entry : { ...entry, note: `provisioning state ${e.provisioningState ?? ''}: whether it is in effect is not known` };
  });
}

/** A private endpoint as reach judges it: what a what-if names it by (its FQDNs, its addresses). */
interface EndpointProbe {
  readonly endpoint: PrivateEndpoint;
  /** The VNet it is in. */
  readonly vnetId: string;
  /** `customDnsConfigs` FQDNs, lower case, each once. */
  readonly names: readonly string[];
  /** Its addresses as the input writes them: each is a what-if. */
  readonly addresses: readonly string[];
  /** The same, canonical (`formatIp`; null where unreadable): what a DNS answer is compared with. */
  readonly canonical: readonly (string | null)[];
  readonly target: string;
  /** Its service's port when not TCP 443 (servicePortOf), and the what-ifs of its addresses on it (`10.1.5.4:1433/tcp`). */
  readonly servicePort: number | null;
  readonly onServicePort: readonly string[];
}

/**
 * The port a private endpoint's clients use when it is not TCP 443, by the connection's group ID:
 * Azure SQL (1433), PostgreSQL (5432), MySQL and MariaDB (3306), Azure Files over SMB (445), Azure
 * Cache for Redis over TLS (6380), Service Bus and Event Hubs over AMQP (5671), Cosmos DB's MongoDB
 * (10255) and Cassandra (10350) APIs. An endpoint hardened to that port is reached there while
 * TCP 443 is denied: it is judged on it too, never left out as "not reached".
 */
const SERVICE_PORTS: ReadonlyMap<string, number> = new Map([
  ['sqlserver', 1433], ['postgresqlserver', 5432], ['mysqlserver', 3306], ['mariadbserver', 3306], ['file', 445],
  ['rediscache', 6380], ['namespace', 5671], ['mongodb', 10255], ['cassandra', 10350],
]);

/**
 * Group ID `namespace` is shared by Service Bus, Event Hubs and Azure Relay: only the first two
 * speak AMQP on 5671 (Relay listens on 443 and 9350-9354), so the target's provider decides.
 */
const AMQP_PROVIDERS = ['/providers/microsoft.servicebus/', '/providers/microsoft.eventhub/'];

function servicePortOf(endpoint: PrivateEndpoint): number | null {
  for (const connection of endpoint.connections) {
    for (const group of connection.groupIds) {
      const port = SERVICE_PORTS.get(group.toLowerCase());
      if (port === undefined) continue;
      if (group.toLowerCase() === 'namespace') {
        const target = (connection.privateLinkServiceId ?? '').toLowerCase();
        if (!AMQP_PROVIDERS.some((p) => target.includes(p))) continue;
      }
      return port;
    }
  }
  return null;
}

/** Per index: endpoint VNet → its probes. */
const probeCache = new WeakMap<ModelIndex, Map<string, readonly EndpointProbe[]>>();

/**
 * Whether an endpoint may carry traffic to its service: an Approved connection, or no connection
 * state reported (the engine answers that Unknown). Pending, Rejected and Disconnected connections
 * carry none [PEMANAGE] https://learn.microsoft.com/azure/private-link/manage-private-endpoint
 */
function mayCarry(endpoint: PrivateEndpoint): boolean {
  return endpoint.connections.some((c) => c.status === 'Approved') || endpoint.connections.every((c) => c.status === 'Unknown');
}

function canonicalIp(text: string): string | null {
  const ip = parseIp(text.trim());
  return ip ? formatIp(ip) : null;
}

/** The endpoints of one VNet that may carry traffic, with what names them. */
function probesOf(index: ModelIndex, vnetId: string): readonly EndpointProbe[] {
  const cache = innerMap(probeCache, index);
  const cached = cache.get(vnetId);
  if (cached) return cached;
  const probes = (index.privateEndpointsByVirtualNetwork.get(vnetId as ResourceId) ?? []).filter(mayCarry).map((endpoint): EndpointProbe => {
    const addresses = privateEndpointAddresses(index, endpoint).map((a) => a.address);
    const servicePort = servicePortOf(endpoint);
    return {
      endpoint, vnetId, addresses, canonical: addresses.map(canonicalIp), servicePort,
      onServicePort: servicePort === null ? [] : addresses.map((address) => `${address}:${servicePort}/tcp`),
      names: [...new Set(endpoint.customDnsConfigs.map((c) => c.fqdn.trim().toLowerCase()).filter((f) => f.length > 0))],
      target: endpoint.connections.find((c) => c.status === 'Approved' && c.privateLinkServiceId !== null)?.privateLinkServiceId
        ?? endpoint.connections.map((c) => c.privateLinkServiceId).find((id): id is ResourceId => id !== null) ?? '',
    };
  });
  cache.set(vnetId, probes);
  return probes;
}

function peeredVnets(index: ModelIndex, vnetId: string): readonly string[] {
  return (index.peerings.get(vnetId as ResourceId) ?? []).flatMap(({ peering }) => (peering.remoteVirtualNetworkId ? [peering.remoteVirtualNetworkId] : []));
}

function vnetHolds(index: ModelIndex, vnetId: string, ip: IpAddress): boolean {
  return vnetContains(index.virtualNetworks.get(vnetId as ResourceId)?.addressPrefixes ?? [], ip);
}

/** Per subnet: the VirtualAppliance next hops of its NICs' captured effective routes (Active ones). */
function capturedApplianceHops(input: ResolveInput, index: ModelIndex): ReadonlyMap<string, readonly string[]> {
  const out = new Map<string, string[]>();
  for (const capture of input.effectiveRoutes) {
    // Through the index's NIC map (built once per model), not another map of every NIC.
    const nic = index.networkInterfaces.get(capture.networkInterfaceId as ResourceId);
    const subnetId = nic ? primaryIpConfiguration(nic)?.subnetId ?? null : null;
    if (!subnetId) continue;
    const hops = capture.routes.filter((r) => r.nextHopType.toLowerCase() === 'virtualappliance' && r.state.toLowerCase() !== 'invalid').flatMap((r) => r.nextHopIpAddresses);
    if (hops.length > 0) out.set(subnetId, [...out.get(subnetId) ?? [], ...hops]);
  }
  return out;
}

/**
 * The VNets whose private endpoints the sources of a subnet are asked about, bounded by where its
 * routes can take a packet:
 * - its own VNet and those it peers with, whose endpoints' /32 routes it receives [PENP]
 *   https://learn.microsoft.com/azure/private-link/disable-private-endpoint-network-policy
 * - the VNets peered with the VNet (its own or a peered one) that holds a VirtualAppliance next hop
 *   of its routes (its route table's UDRs, its NICs' captured effective routes): the hub firewall
 *   or NVA forwards there, the hub and spoke "dedicated virtual network for private endpoints" of
 *   [PEFW] Scenario 1 https://learn.microsoft.com/azure/private-link/inspect-traffic-with-azure-firewall
 * Peering is not transitive [PEER] https://learn.microsoft.com/azure/virtual-network/virtual-network-peering-overview
 * so beyond these a packet needs an appliance that forwards to another VNet's appliance: such
 * chains (and virtual WAN hubs) are not asked about, so their endpoints are not listed (never
 * listed as reached). Whether a peering, a route or an appliance carries the traffic, the engine decides.
 */
function endpointVnetsNear(index: ModelIndex, subnet: Subnet, capturedHops: ReadonlyMap<string, readonly string[]>): readonly string[] {
  const direct = [subnet.virtualNetworkId, ...peeredVnets(index, subnet.virtualNetworkId)];
  const vnets = new Set<string>(direct);
  const table = subnet.routeTableId ? index.routeTables.get(subnet.routeTableId) : undefined;
  const udrHops = (table?.routes ?? []).flatMap((r) => (r.nextHopType.toLowerCase() === 'virtualappliance' && r.nextHopIpAddress ? [r.nextHopIpAddress] : []));
  for (const hop of new Set([...udrHops, ...capturedHops.get(subnet.id) ?? []])) {
    const ip = parseIp(hop.trim());
    const holder = ip ? direct.find((v) => vnetHolds(index, v, ip)) : undefined;
    if (holder) for (const v of peeredVnets(index, holder)) vnets.add(v);
  }
  // VNets connected to the same Virtual WAN hub reach each other through it [VHUB]: the engine
  // answers those endpoints (often unknown), so they are asked about, never left out silently.
  // https://learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing
  const hub = index.hubConnections.get(subnet.virtualNetworkId as ResourceId)?.hub;
  if (hub) for (const connection of hub.connections) if (connection.remoteVirtualNetworkId) vnets.add(connection.remoteVirtualNetworkId);
  return [...vnets].sort().filter((v) => probesOf(index, v).length > 0);
}

/** Destinations walked together (see verdictColumns): as the destinations matrix batches them. */
const PRIVATE_REACH_BATCH = 25;

/**
 * The work list of one endpoint VNet's walks: each subject's subnet, then its NICs that are
 * subjects (verdictColumns walks a NIC after its subnet and takes the subnet's answer where the NIC's
 * walk says the same, as resolveEgress does).
 */
function subjectSources(index: ModelIndex, subjects: readonly ReachSubject[]): { readonly sources: VerdictSources; readonly rows: ReadonlyMap<string, number> } {
  const bySubnet = new Map<string, ReachSubject[]>();
  for (const subject of subjects) {
    if (!subject.subnetId) continue;
    const list = bySubnet.get(subject.subnetId);
    if (list) list.push(subject);
    else bySubnet.set(subject.subnetId, [subject]);
  }
  const sources: PathSource[] = [];
  const subnets: Subnet[] = [];
  const nics: (NetworkInterface | null)[] = [];
  const subnetRow: number[] = [];
  const rows = new Map<string, number>();
  for (const [subnetId, list] of bySubnet) {
    const subnet = index.subnets.get(subnetId as ResourceId);
    if (!subnet) continue;
    const row = sources.push(list.find((s) => s.source.type === 'subnet')?.source ?? { type: 'subnet', id: subnet.id, name: subnet.name, role: subnetRole(subnet) }) - 1;
    subnets.push(subnet);
    nics.push(null);
    subnetRow.push(row);
    for (const subject of list) {
      if (subject.source.type === 'subnet') {
        rows.set(pathKey(subject.source), row);
        continue;
      }
      const nic = index.networkInterfaces.get(subject.source.id as ResourceId);
      if (!nic) continue;
      rows.set(pathKey(subject.source), sources.push(subject.source) - 1);
      subnets.push(subnet);
      nics.push(nic);
      subnetRow.push(row);
    }
  }
  return { sources: { sources, subnets, nics, subnetRow }, rows };
}

/** Per destination (an endpoint's address or FQDN), each subject's answer (subject key → answer). */
type EndpointAnswers = Map<string, Map<string, SourceVerdict>>;

/** How one subject's what-ifs are read: where its VNet's DNS sends a name, where an answer is delivered. */
interface EndpointJudge {
  readonly answerOf: (destination: string) => SourceVerdict | undefined;
  /** The canonical address a name resolves to from the subject (null: not privately known, or its NIC's own DNS servers answer). */
  readonly addressOf: (name: string) => string | null;
  /** The VNet the subject's traffic is in when an answer ends (past its appliances); null when not known. */
  readonly deliveredFrom: (answer: SourceVerdict, endpoint: PrivateEndpoint) => string | null;
}

/**
 * Which private endpoints each subject reaches, judged as the single-destination resolve judges
 * them: every endpoint near the subject (see `endpointVnetsNear`) is resolved by address and by
 * each of its FQDNs through the engine, for the subjects that may reach it only. An NSG of the
 * source, a UDR that sends it to a firewall that denies it [PEFW], a peering that does not carry
 * it, or private DNS that does not answer the name from the source's VNet [PEDNS] then counts. The
 * walks are verdicts only (no steps recorded, no estate findings), one session per destination
 * shared by every subject that asks it, on the engine's shared caches (model index, route sets).
 *
 * Addresses first, names only where their answer may differ. A name that the subject's VNet
 * resolves privately to an address just walked (its NIC using no DNS servers of its own) is routed,
 * filtered and delivered as that address [PEDNS]; only an appliance on the way reads the name
 * (Azure Firewall's application rules and FQDN network rules), and an unknown answer's missing fact
 * names the destination it was asked for. So the address's answer stands for the name's where it
 * is known and passes no appliance; the name is walked for every other subject (other DNS, a NIC's
 * own DNS servers, a firewall on the way, an unknown answer). On a hub and spoke estate with a
 * privatelink zone linked to the spokes, that halves the walks.
 */
function privateEndpointReach(input: ResolveInput, index: ModelIndex, subjects: readonly ReachSubject[], resolve: ResolveOptions['resolve'], gaps: Gap[]): ReadonlyMap<string, readonly PrivateEndpointReachEntry[]> {
  // No endpoint in the input: nothing to judge (most large estates at bench scale; reach per source stays cheap).
  if (index.privateEndpoints.size === 0) return new Map();
  const capturedHops = capturedApplianceHops(input, index);
  // Endpoint VNet → the subjects that may reach its endpoints.
  const askedBy = new Map<string, ReachSubject[]>();
  const nearOf = new Map<string, readonly string[]>();
  const nearBySubnet = new Map<string, readonly string[]>();
  for (const subject of subjects) {
    const subnet = subject.subnetId ? index.subnets.get(subject.subnetId as ResourceId) : undefined;
    if (!subnet) continue;
    let near = nearBySubnet.get(subnet.id);
    if (!near) {
      near = endpointVnetsNear(index, subnet, capturedHops);
      nearBySubnet.set(subnet.id, near);
    }
    nearOf.set(pathKey(subject.source), near);
    for (const vnetId of near) {
      const list = askedBy.get(vnetId);
      if (list) list.push(subject);
      else askedBy.set(vnetId, [subject]);
    }
  }
  const answers: EndpointAnswers = new Map();
  const walk = (asking: readonly ReachSubject[], destinations: readonly string[]): void => {
    const { sources, rows } = subjectSources(index, asking);
    for (let i = 0; i < destinations.length; i += PRIVATE_REACH_BATCH) {
      const batch = destinations.slice(i, i + PRIVATE_REACH_BATCH);
      const options = batch.map((destination): VerdictOptions => ({ destination, ...(resolve ? { resolve } : {}) }));
      verdictColumns(input, options, sources).forEach((column, j) => {
        const destination = batch[j] ?? '';
        const byKey = answers.get(destination) ?? new Map<string, SourceVerdict>();
        answers.set(destination, byKey);
        let unknown = false;
        for (const [key, row] of rows) {
          const answer = column.verdicts[row];
          if (!answer) continue;
          byKey.set(key, answer);
          unknown ||= answer.verdict === 'unknown';
        }
        // An answer not known names its missing fact in the gaps, as a what-if's does.
        if (unknown) gaps.push(...column.gaps);
      });
    }
  };
  // VNet → name → the canonical address its DNS answers privately (null when it answers otherwise).
  const resolved = new Map<string, Map<string, string | null>>();
  const vnetAddressOf = (vnetId: string | undefined, name: string): string | null => {
    if (!vnetId) return null;
    let byName = resolved.get(vnetId);
    if (!byName) {
      byName = new Map();
      resolved.set(vnetId, byName);
    }
    let address = byName.get(name);
    if (address === undefined) {
      const resolution = resolveName(index, vnetId as ResourceId, name);
      // As the engine routes a private answer: by its first address (destination-plan.ts resolveNameFrom).
      const first = resolution.kind === 'private' ? resolution.addresses.map(canonicalIp).find((a): a is string => a !== null) : undefined;
      address = first ?? null;
      byName.set(name, address);
    }
    return address;
  };
  const judgeOf = (subject: ReachSubject): EndpointJudge => {
    const key = pathKey(subject.source);
    const vnetId = subject.subnetId ? index.subnetVirtualNetwork.get(subject.subnetId as ResourceId)?.id : undefined;
    const nic = subject.source.type === 'nic' ? index.networkInterfaces.get(subject.source.id as ResourceId) : undefined;
    // Its own DNS servers replace the VNet's for its VM [NICDNS]: what they answer is not in the input.
    const ownDns = nic !== undefined && hasOwnDns(nic);
    return {
      answerOf: (destination) => answers.get(destination)?.get(key),
      addressOf: (name) => (ownDns ? null : vnetAddressOf(vnetId, name)),
      deliveredFrom: (answer, endpoint) => {
        const last = answer.via.filter((id) => id !== endpoint.id).at(-1);
        return last === undefined ? vnetId ?? null : applianceVnet(index, last);
      },
    };
  };
  for (const [vnetId, asking] of askedBy) {
    const probes = probesOf(index, vnetId);
    walk(asking, [...new Set(probes.flatMap((p) => [...p.addresses, ...p.onServicePort]))]);
    const judges = asking.map(judgeOf);
    // Names grouped by the subjects that must walk them (subjects by their place in `asking`).
    const byNeed = new Map<string, { readonly subjects: readonly ReachSubject[]; readonly names: string[] }>();
    for (const probe of probes) {
      for (const name of probe.names) {
        const byKey = answers.get(name) ?? new Map<string, SourceVerdict>();
        answers.set(name, byKey);
        const need: number[] = [];
        asking.forEach((subject, i) => {
          const judge = judges[i];
          const address = judge?.addressOf(name) ?? null;
          const at = address === null ? -1 : probe.canonical.indexOf(address);
          const answer = at < 0 ? undefined : judge?.answerOf(probe.addresses[at] ?? '');
          if (answer && answer.verdict !== 'unknown' && answer.via.every((id) => id === probe.endpoint.id)) byKey.set(pathKey(subject.source), answer);
          else need.push(i);
        });
        if (need.length === 0) continue;
        const needKey = need.join(',');
        const group = byNeed.get(needKey);
        if (group) group.names.push(name);
        else byNeed.set(needKey, { subjects: need.flatMap((i) => (asking[i] ? [asking[i]] : [])), names: [name] });
      }
    }
    for (const { subjects: needing, names } of byNeed.values()) walk(needing, [...new Set(names)]);
  }
  const out = new Map<string, readonly PrivateEndpointReachEntry[]>();
  // An entry depends on the subject only through its answers, its VNet and its NIC's own DNS: subjects
  // alike share it (tens of thousands of sources, a handful of distinct answers per endpoint).
  const answerIds = new Map<SourceVerdict, number>();
  const idOf = (answer: SourceVerdict | undefined): string => {
    if (!answer) return '-';
    let id = answerIds.get(answer);
    if (id === undefined) {
      id = answerIds.size;
      answerIds.set(answer, id);
    }
    return String(id);
  };
  const shared = new Map<EndpointProbe, Map<string, PrivateEndpointReachEntry | null>>();
  for (const subject of subjects) {
    const key = pathKey(subject.source);
    const judge = judgeOf(subject);
    const nic = subject.source.type === 'nic' ? index.networkInterfaces.get(subject.source.id as ResourceId) : undefined;
    const alike = `${subject.subnetId ? index.subnetVirtualNetwork.get(subject.subnetId as ResourceId)?.id ?? '' : ''}|${nic && hasOwnDns(nic) ? 'own-dns' : ''}`;
    const entries = (nearOf.get(key) ?? []).flatMap((vnetId) => probesOf(index, vnetId).flatMap((probe) => {
      let byAnswers = shared.get(probe);
      if (!byAnswers) {
        byAnswers = new Map();
        shared.set(probe, byAnswers);
      }
      const answersKey = `${alike}|${probe.addresses.map((a) => idOf(judge.answerOf(a))).join(',')}|${probe.names.map((n) => idOf(judge.answerOf(n))).join(',')}|${probe.onServicePort.map((d) => idOf(judge.answerOf(d))).join(',')}`;
      let entry = byAnswers.get(answersKey);
      if (entry === undefined) {
        entry = endpointEntry(index, probe, judge, gaps);
        byAnswers.set(answersKey, entry);
      }
      return entry ? [entry] : [];
    }));
    out.set(key, entries);
  }
  return out;
}

/** The VNet an appliance on a path is in (an Azure Firewall's subnet, an NVA NIC's); null when not known (a virtual hub's firewall). */
function applianceVnet(index: ModelIndex, id: string): string | null {
  const firewall = index.azureFirewalls.get(id as ResourceId);
  const nic = firewall ? undefined : index.networkInterfaces.get(id as ResourceId);
  const subnetId = firewall ? firewall.ipConfigurations.find((c) => c.subnetId !== null)?.subnetId ?? null : nic ? primaryIpConfiguration(nic)?.subnetId ?? null : null;
  return subnetId ? index.subnetVirtualNetwork.get(subnetId)?.id ?? null : null;
}

/** How a what-if's answer relates to the endpoint: it reaches it, it may (not known), or neither. */
type Ending = 'reached' | 'may-reach' | 'elsewhere';

/**
 * Whether a what-if's answer ends at this endpoint:
 * - private, at the endpoint (the engine's Private Link delivery: its via names it); or
 * - private, delivered to the endpoint's address by a VnetLocal or peering route, in the VNet that
 *   holds it: a UDR at least as specific as the VNet range replaces the endpoint's /32 route when
 *   route-table network policies are on [PENP], and the packet still goes to the endpoint's
 *   address, through the endpoint subnet's NSG (engine.ts `delivered`). The address is the what-if's
 *   own, or the one its name resolves to from the source. Only an Approved connection carries the
 *   traffic on to the service [PEMANAGE]: with no state reported it may (not known).
 */
function endingOf(answer: SourceVerdict | undefined, destination: string, probe: EndpointProbe, judge: EndpointJudge, index: ModelIndex): Ending {
  if (answer?.verdict === 'unknown' || !answer) return 'may-reach';
  if (answer.verdict !== 'private') return 'elsewhere';
  if (answer.exit === 'private-endpoint') return answer.via.includes(probe.endpoint.id) ? 'reached' : 'elsewhere';
  if (answer.exit !== 'virtual-network' && answer.exit !== 'peering') return 'elsewhere';
  const address = canonicalIp(destination) ?? judge.addressOf(destination);
  if (address === null || !probe.canonical.includes(address)) return 'elsewhere';
  const from = judge.deliveredFrom(answer, probe.endpoint);
  const ip = parseIp(address);
  if (from === null || ip === null) return 'elsewhere';
  // Over a peering the engine delivers to the peered VNet whose space holds the address: it must be
  // the endpoint's, and the only one (peered VNets may overlap one another).
  const holders = answer.exit === 'virtual-network' ? [from] : peeredVnets(index, from).filter((v) => vnetHolds(index, v, ip));
  if (holders.length !== 1 || holders[0] !== probe.vnetId) return 'elsewhere';
  return probe.endpoint.connections.some((c) => c.status === 'Approved') ? 'reached' : 'may-reach';
}

const VERDICT_WORD: Readonly<Record<Verdict, string>> = {
  'internet': 'Internet', 'private': 'Private', 'on-premises': 'On-premises', 'dropped': 'Dropped', 'denied': 'Denied', 'no-outbound': 'No outbound', 'unknown': 'Unknown',
};

/** How a what-if ends, in a word; a private answer that ends elsewhere than at the endpoint says so. */
function endsText(answer: SourceVerdict | undefined): string {
  if (!answer) return 'not resolved';
  if (answer.verdict === 'private' && answer.exit !== 'private-endpoint') return `Private (${answer.exit ?? 'delivered'}), not at this endpoint`;
  return answer.verdict === 'private' ? 'Private, at another private endpoint' : VERDICT_WORD[answer.verdict];
}

/**
 * One endpoint for one source, from the answers of its address and FQDN what-ifs: reached when one
 * ends at it, listed by the FQDNs that do (else by name and address); "may reach" when none does
 * and one is not known; not listed when each is denied, dropped or ends elsewhere.
 */
function endpointEntry(index: ModelIndex, probe: EndpointProbe, judge: EndpointJudge, gaps: Gap[]): PrivateEndpointReachEntry | null {
  const { endpoint } = probe;
  const judged = (destination: string): { readonly answer: SourceVerdict | undefined; readonly ending: Ending } => {
    const answer = judge.answerOf(destination);
    return { answer, ending: endingOf(answer, destination, probe, judge, index) };
  };
  const byName = probe.names.map((name) => ({ name, ...judged(name) }));
  const byAddress = probe.addresses.map((address) => ({ address, ...judged(address) }));
  const reachedNames = byName.filter((n) => n.ending === 'reached');
  const reachedAddresses = byAddress.filter((a) => a.ending === 'reached');
  const base = { kind: 'private-endpoint' as const, target: probe.target, endpointId: endpoint.id as string };
  const appliances = (answers: readonly (SourceVerdict | undefined)[]): readonly string[] => [...new Set(answers.flatMap((a) => a?.via ?? []))].filter((id) => id !== endpoint.id);
  if (reachedNames.length > 0 || reachedAddresses.length > 0) {
    const value = reachedNames.length > 0 ? reachedNames.map((n) => n.name).join(', ') : `${endpoint.name} (${reachedAddresses.map((a) => a.address).join(', ')})`;
    // A name that does not lead here from this source (it resolves publicly in this VNet's DNS,
    // to another address, or its path is stopped) is said, never listed as reached.
    const notByName = byName.filter((n) => n.ending !== 'reached').map((n) => `${n.name}: ${endsText(n.answer)}`);
    const note = notByName.length === 0 ? undefined
      : `${reachedNames.length > 0 ? 'not by every name' : `by address only (${reachedAddresses.map((a) => a.address).join(', ')})`}: from this source a what-if of the name does not end at this endpoint (${notByName.join('; ')})`;
    return { ...base, value, verdict: 'private', via: appliances([...reachedNames, ...reachedAddresses].map((r) => r.answer)), ...(note ? { note } : {}) };
  }
  if (probe.names.length === 0 && probe.addresses.length === 0) {
    // Nothing to resolve: whether it is reached is not known, not "not reached".
    gaps.push({ code: 'not-modelled', scope: endpoint.id, message: `Private endpoint ${endpoint.name}: neither its address nor an FQDN is in the input, so whether the sources near it reach it is not known.` });
    return { ...base, value: endpoint.name, verdict: 'unknown', via: [], note: 'its address and FQDNs are not in the input' };
  }
  const unknownNames = byName.filter((n) => n.ending === 'may-reach');
  const unknownAddresses = byAddress.filter((a) => a.ending === 'may-reach');
  if (unknownNames.length === 0 && unknownAddresses.length === 0) return servicePortEntry(index, probe, judge, base, appliances, gaps);
  // Delivered to its address, but the connection's state is not reported: the engine's words for it (toPrivateEndpoint).
  if ([...unknownNames, ...unknownAddresses].some((u) => u.answer?.verdict === 'private')) {
    gaps.push({ code: 'not-modelled', scope: endpoint.id, message: `Private endpoint ${endpoint.name}: connection state not reported: the state of private endpoint ${endpoint.name}'s connection (only an Approved connection carries traffic to the service)` });
  }
  const value = unknownNames.length > 0 ? unknownNames.map((n) => n.name).join(', ') : `${endpoint.name} (${unknownAddresses.map((a) => a.address).join(', ')})`;
  const undecided = [...unknownNames.map((n) => n.name), ...unknownAddresses.map((a) => a.address)];
  return { ...base, value, verdict: 'unknown', via: appliances([...unknownNames, ...unknownAddresses].map((u) => u.answer)), note: `whether ${undecided.join(', ')} reaches it from this source is not known (see the gaps)` };
}

/**
 * An endpoint TCP 443 does not reach, judged on its service's own port by address (SERVICE_PORTS):
 * reached or "may reach" there, else not listed (the same as on TCP 443).
 */
function servicePortEntry(
  index: ModelIndex, probe: EndpointProbe, judge: EndpointJudge,
  base: Pick<PrivateEndpointReachEntry, 'kind' | 'target' | 'endpointId'>, appliances: (answers: readonly (SourceVerdict | undefined)[]) => readonly string[], gaps: Gap[],
): PrivateEndpointReachEntry | null {
  const port = probe.servicePort;
  if (port === null) return null;
  const onPort = probe.addresses.map((address, i) => {
    const answer = judge.answerOf(probe.onServicePort[i] ?? '');
    return { address, answer, ending: endingOf(answer, address, probe, judge, index) };
  });
  const reached = onPort.filter((a) => a.ending === 'reached');
  const open = reached.length > 0 ? reached : onPort.filter((a) => a.ending === 'may-reach');
  if (open.length === 0) return null;
  // Delivered to its address, but the connection's state is not reported: named in the gaps, as on TCP 443.
  if (reached.length === 0 && open.some((a) => a.answer?.verdict === 'private')) {
    gaps.push({ code: 'not-modelled', scope: probe.endpoint.id, message: `Private endpoint ${probe.endpoint.name}: connection state not reported: the state of private endpoint ${probe.endpoint.name}'s connection (only an Approved connection carries traffic to the service)` });
  }
  const flow = `TCP ${port}`;
  const value = `${probe.endpoint.name} (${open.map((a) => a.address).join(', ')})`;
  const note = `by address on ${flow}, its service's port: ${PRIVATE_REACH_FLOW} does not reach it from this source${reached.length > 0 ? '' : `; whether ${flow} does is not known (see the gaps)`}`;
  return { ...base, value, verdict: reached.length > 0 ? 'private' : 'unknown', via: appliances(open.map((a) => a.answer)), note, flow };
}

/**
 * A private endpoint entry's verdict in words, as the app, the CLI and the PDF say it: what was
 * judged (TCP 443, or the service's own port), through what, and what the entry does not claim.
 */
export function privateEndpointReachText(entry: PrivateEndpointReachEntry): string {
  const via = entry.via.length > 0 ? ` via ${entry.via.map(nameFromResourceId).join(' > ')}` : '';
  const flow = entry.flow ?? PRIVATE_REACH_FLOW;
  const head = entry.verdict === 'private' ? `Reached privately on ${flow}${via}` : `May reach on ${flow}${via} (verdict Unknown: see the gaps)`;
  return entry.note ? `${head}; ${entry.note}` : head;
}

/** A source's answer in a what-if: its own entry, or (a NIC without one) its subnet's. */
function answerFor(answers: ReadonlyMap<string, ReadonlyMap<string, EgressPath>>, destination: string, key: string, subnetId: string | null): EgressPath | undefined {
  const answer = answers.get(destination);
  return answer ? answer.get(key) ?? (subnetId ? answer.get(`subnet|${subnetId}`) : undefined) : undefined;
}

/** Resolves the destinations not answered yet: one resolve per distinct destination serves every source. */
function resolveInto(answers: Map<string, ReadonlyMap<string, EgressPath>>, input: ResolveInput, destinations: Iterable<string>, resolve: ResolveOptions['resolve'], gaps: Gap[]): void {
  for (const destination of [...new Set(destinations)].filter((d) => !answers.has(d)).sort()) {
    const result = resolveEgress(input, { destination, resolve });
    answers.set(destination, new Map(result.paths.map((p) => [pathKey(p.source), p])));
    gaps.push(...result.gaps);
  }
}

/** Protocols a rule may name that run on TCP: application rules' are TCP only. */
const ON_TCP: readonly string[] = ['tcp', 'http', 'https', 'mssql'];

/** Whether an entry allows TCP 443 and nothing else. */
function onlyTcp443(entry: { readonly ports: readonly string[]; readonly protocols: readonly string[] }): boolean {
  return entry.ports.length > 0 && entry.ports.every((p) => p.trim() === '443')
    && entry.protocols.length > 0 && entry.protocols.every((p) => ON_TCP.includes(p.trim().toLowerCase()));
}

/**
 * Whether the load balancer rule a path leaves by SNATs UDP as it does TCP: protocol `All`, or a
 * Basic SKU (no rule) [LBRULES] https://learn.microsoft.com/azure/load-balancer/outbound-rules#scenario6out
 */
function snatsBothProtocols(index: ModelIndex, step: LoadBalancerStep): boolean {
  if (step.method === 'basic') return true;
  const loadBalancer = index.loadBalancers.get(step.loadBalancer.id as ResourceId);
  const rules = step.method === 'outbound-rule' ? loadBalancer?.outboundRules : loadBalancer?.loadBalancingRules;
  // The step may name several load-balancing rules (joined by ", "): both protocols are SNATed when
  // one of them is All, or they cover TCP and UDP between them.
  const names = new Set((step.ruleName ?? '').split(', '));
  const protocols = new Set((rules ?? []).filter((r) => names.has(r.name)).map((r) => r.protocol));
  return protocols.has('All') || (protocols.has('Tcp') && protocols.has('Udp'));
}

/**
 * A hop after the source's own NSGs where the engine's answer depends on the port or protocol, and
 * whose rules reach does not list on their own ports (a firewall's it does): an NSG with port rules
 * on the way (an NVA's subnet or NIC), an internal load balancer rule that is not HA ports, or a
 * load balancer rule that SNATs TCP only when UDP is in the class. Null: the default route's
 * answer holds for every port of the class (an NVA's own rules are not in the snapshot for any
 * port, and the open entry names it).
 */
function portDecidingHop(index: ModelIndex, path: EgressPath, transports: readonly ('Tcp' | 'Udp')[]): string | null {
  // The source's own NSGs are checked before the first route, and are what the classes are made of.
  let pastSource = false;
  for (const step of path.steps) {
    pastSource ||= step.kind === 'route';
    if (!pastSource) continue;
    if (step.kind === 'nsg' && (index.networkSecurityGroups.get(step.nsg.id as ResourceId)?.securityRules ?? []).some((r) => r.direction === step.direction && decidesByPort(r))) {
      return `NSG ${step.nsg.name}`;
    }
    if (step.kind === 'internal-load-balancer' && step.rule?.haPorts !== true) return `internal load balancer ${step.loadBalancer.name}`;
    if (step.kind === 'load-balancer' && transports.includes('Udp') && !snatsBothProtocols(index, step)) return `load balancer ${step.loadBalancer.name} (its rule SNATs TCP only)`;
  }
  return null;
}

/** The firewall rule that lets a path out to every destination (`policy/collection/rule`, as candidates are labelled). */
function openingRule(index: ModelIndex, path: EgressPath): string | null {
  const step = [...path.steps].reverse().find((s) => s.kind === 'firewall-rule' && s.decision.kind === 'allow');
  if (step?.kind !== 'firewall-rule' || step.decision.kind !== 'allow') return null;
  const firewall = index.azureFirewalls.get(step.firewall.id as ResourceId);
  return firewall ? ruleLabel(policyNameOf(index, firewall), step.decision.rule) : null;
}

/** A port list as intervals (`*` and `Any`: every port); a range that cannot be read is left out. */
function portIntervals(ports: readonly string[]): (readonly [number, number])[] {
  return ports.flatMap((raw): (readonly [number, number])[] => {
    const r = raw.trim();
    if (r === '*' || r.toLowerCase() === 'any') return [[0, 65535]];
    const dash = r.indexOf('-');
    const low = Number(dash < 0 ? r : r.slice(0, dash));
    const high = Number(dash < 0 ? r : r.slice(dash + 1));
    return Number.isInteger(low) && Number.isInteger(high) && low <= high ? [[low, high]] : [];
  });
}

/** The transports a rule's protocols run on (`Any`: both; application protocols: TCP; ICMP: neither). */
function transportsOf(protocols: readonly string[]): readonly ('Tcp' | 'Udp')[] {
  const lower = protocols.map((p) => p.trim().toLowerCase());
  if (lower.length === 0 || lower.some((p) => p === 'any' || p === '*')) return PROTOCOLS;
  return PROTOCOLS.filter((t) => lower.some((p) => (t === 'Udp' ? p === 'udp' : ON_TCP.includes(p))));
}

/** Per NSG classes (shared by the sources behind the same NSGs): rule ports and protocols → what it allows within TCP 443's class. */
const withinCache = new WeakMap<SourceFlows, Map<string, readonly PortRanges[]>>();

/** What a rule allows within TCP 443's NSG class: the ports and protocols in both. */
function withinDefaultClass(rule: Pick<Candidate, 'ports' | 'protocols'>, flows: SourceFlows): readonly PortRanges[] {
  const byRule = innerMap(withinCache, flows);
  const key = `${rule.ports.join(',')}|${rule.protocols.join(',')}`;
  const cached = byRule.get(key);
  if (cached) return cached;
  const transports = transportsOf(rule.protocols);
  const intervals = portIntervals(rule.ports);
  const within = flows.defaultRouteRanges.flatMap((r): PortRanges[] => {
    const protocols = r.protocols.filter((p) => transports.includes(p));
    const ports = portIntervals(r.ports).flatMap(([low, high]) => intervals.flatMap(([l, h]) => (Math.max(low, l) <= Math.min(high, h) ? [portText(Math.max(low, l), Math.min(high, h))] : [])));
    return protocols.length > 0 && ports.length > 0 ? [{ protocols, ports }] : [];
  });
  byRule.set(key, within);
  return within;
}

/**
 * The `any` entries of an open default route, which is resolved on TCP 443. Where nothing after
 * the source's NSGs decides by port, that answer holds for every port NSG-treated like TCP 443,
 * and the entries say those ports: an NSG that lets out only TCP 443 reads as exactly that. Through
 * an Azure Firewall they say what the rule that opens the path allows within those ports (its
 * other allow rules are listed on their own ports). Past a hop that decides by port otherwise (an
 * NSG with port rules at an NVA) the other ports are not resolved: the source "may reach" them.
 * @param opening the candidate of the firewall rule that opens the path, when it has one
 */
function openEntries(index: ModelIndex, path: EgressPath, flows: SourceFlows, opening: Candidate | undefined, source: SourceAddress | null): ReachEntry[] {
  const rule = unrestrictedRule(path);
  const hop = portDecidingHop(index, path, transportsIn(flows.defaultRoute.ports));
  if (hop) {
    const open = anyEntry(path, TCP_443, 'internet', rule);
    if (flows.defaultRouteRanges.every(onlyTcp443)) return [open];
    return [open, ...flows.defaultRouteRanges.map((r) => anyEntry(path, r, 'unknown', `only TCP 443 is resolved past ${hop}`))];
  }
  if (!path.via.some((v) => v.kind === 'azure-firewall')) {
    // The path's own hops name the rule that lets TCP 443 out; the class's other ports say theirs.
    return flows.defaultRouteRanges.map((r) => anyEntry(path, r, 'internet', holdsTcp443(r) || r.allowedBy === '' ? rule : `no inspection; ${r.allowedBy} allows it`));
  }
  const allowed = opening ? withinDefaultClass(opening, flows) : [];
  if (allowed.length === 0) return [anyEntry(path, TCP_443, 'internet', rule)];
  // A Deny rule processed before the opening rule that names some of its ports (and not TCP 443,
  // the flow the path was resolved on) may stop them: those are "may reach", never claimed
  // (README: "but for ports a Deny rule processed before it names ... which are "may reach"").
  const denies = opening?.firewallRule && source ? earlierDenies(opening.firewallRule, source, DEFAULT_FLOW) : [];
  if (denies.length === 0) return allowed.map((r) => anyEntry(path, r, 'internet', rule));
  const names = denies.map((d) => `${d.rule.collection}/${d.rule.name}`).join(', ');
  const stopped = `${opening?.rule ?? rule} (judged on TCP 443; Deny rule ${names} (processed before it) may stop these ports, which are not resolved)`;
  return allowed.flatMap((r) => {
    const { kept, denied } = splitByDenies(r, denies);
    return [...kept.map((k) => anyEntry(path, k, 'internet', rule)), ...denied.map((d) => anyEntry(path, d, 'unknown', stopped))];
  });
}

/** Intervals minus others (both sorted lists of disjoint intervals, or any lists). */
function intervalsWithout(from: readonly PortInterval[], cut: readonly PortInterval[]): PortInterval[] {
  let out: PortInterval[] = [...from];
  for (const [cl, ch] of cut) {
    out = out.flatMap(([l, h]): PortInterval[] => (ch < l || cl > h ? [[l, h]] : [...(l < cl ? [[l, cl - 1] as const] : []), ...(ch < h ? [[ch + 1, h] as const] : [])]));
  }
  return out;
}

function intervalsWithin(from: readonly PortInterval[], within: readonly PortInterval[]): readonly PortInterval[] {
  return mergedIntervals(from.flatMap(([l, h]) => within.flatMap(([wl, wh]): PortInterval[] => (Math.max(l, wl) <= Math.min(h, wh) ? [[Math.max(l, wl), Math.min(h, wh)]] : []))));
}

/**
 * A range split by the ports earlier Deny rules name: what none names (stated as the range states
 * it when no Deny names any of it), and what one does, per transport.
 */
function splitByDenies(range: PortRanges, denies: readonly EarlierDeny[]): { readonly kept: readonly PortRanges[]; readonly denied: readonly PortRanges[] } {
  const named = (t: 'Tcp' | 'Udp'): readonly PortInterval[] => mergedIntervals(denies.filter((d) => d.protocols.includes(t)).flatMap((d) => d.ports));
  const intervals = portIntervals(range.ports);
  if (range.protocols.every((t) => intervalsWithin(intervals, named(t)).length === 0)) return { kept: [range], denied: [] };
  const text = (list: readonly PortInterval[]): string[] => mergedIntervals(list).map(([l, h]) => portText(l, h));
  const part = (t: 'Tcp' | 'Udp', list: readonly PortInterval[]): string[] => (range.protocols.includes(t) ? text(list) : []);
  return {
    kept: rangesOf(part('Tcp', intervalsWithout(intervals, named('Tcp'))), part('Udp', intervalsWithout(intervals, named('Udp')))),
    denied: rangesOf(part('Tcp', intervalsWithin(intervals, named('Tcp'))), part('Udp', intervalsWithin(intervals, named('Udp')))),
  };
}

/**
 * A source's `any` entries (what the whole internet's what-if answers on some ports), less the
 * prefixes a route other than the default route sends elsewhere, where their own answer may differ
 * (not open, or past a hop that decides by port: a firewall a UDR sends 20.0.0.0/8 to): the entries
 * then except them (`any public destination except 20.0.0.0/8`), and the prefix's own entries say
 * what it reaches. Never claimed twice, once wrongly.
 */
function exceptDiverted(index: ModelIndex, entries: readonly ReachEntry[], candidates: readonly Candidate[], resolvedFor: (c: Candidate) => EgressPath | undefined, dropped: readonly string[]): ReachEntry[] {
  // Prefixes a route drops (next hop None) never get out, whatever the default route does.
  const diverted = new Set<string>(dropped);
  for (const c of candidates) {
    if (!c.route || diverted.has(c.route.prefix)) continue;
    const resolved = resolvedFor(c);
    if (!resolved || !isOpen(resolved) || firewallOnPath(resolved) !== null || portDecidingHop(index, resolved, PROTOCOLS) !== null) diverted.add(c.route.prefix);
  }
  if (diverted.size === 0) return [...entries];
  // A "may reach" entry keeps a diverted prefix (its own entries may say no more than "may reach"
  // either) but not a dropped one: a None route drops it whatever the default route does.
  const except = (e: ReachEntry, prefixes: Iterable<string>): ReachEntry => ({ ...e, except: [...new Set([...e.except ?? [], ...prefixes])] });
  return entries.map((e) => (e.kind !== 'any' ? e : e.verdict === 'internet' ? except(e, diverted) : e.verdict === 'unknown' && dropped.length > 0 ? except(e, dropped) : e));
}

const TCP_443: PortRanges = { ports: ['443'], protocols: ['Tcp'] };

function holdsTcp443(range: PortRanges): boolean {
  return range.protocols.includes('Tcp') && range.ports.some((p) => portRangeCovers(p, DEFAULT_FLOW.port));
}

/** Any public destination on these ports, as the open path answers (what is only "may reach" has no exit). */
function anyEntry(path: EgressPath, ranges: PortRanges, verdict: Verdict, rule: string): ReachEntry {
  const out = verdict === 'internet';
  return { kind: 'any', value: '*', ports: ranges.ports, protocols: ranges.protocols, verdict, exit: out ? path.exit : null, via: path.via.map((v) => v.id), egressIps: out ? path.egressIps : [], rule };
}

/** A candidate's answer: its own (an NSG port class's what-if), or the resolve of its destination for this source. */
function resolvedOf(candidate: Candidate, answers: ReadonlyMap<string, ReadonlyMap<string, EgressPath>>, key: string, subnetId: string | null): EgressPath | undefined {
  if (candidate.answer) return candidate.answer.kind === 'path' ? candidate.answer.path : undefined;
  const destination = destinationOf(candidate);
  return destination ? answerFor(answers, destination, key, subnetId) : undefined;
}

/** Whether a path was denied by the source's own NSGs (a Deny before its first route). */
function stoppedAtSourceNsg(path: EgressPath): boolean {
  for (const step of path.steps) {
    if (step.kind === 'route') return false;
    if (step.kind === 'nsg' && step.access === 'Deny') return true;
  }
  return false;
}

/**
 * A candidate as its judged flow speaks for it (see `Candidate.rest`). Stopped: the rule's other
 * ports and protocols follow, answered "may reach" (`unknown`) rather than left out, so a control
 * never passes on a port nobody resolved. Got out: the judged flow's answer holds for them too,
 * unless something on the path may treat them otherwise (a Deny rule processed before the allow
 * that names one of them, a hop deciding by port): then the entry states the judged port alone
 * and the rest is "may reach", never claimed as reaching.
 */
function judgedAndRest(index: ModelIndex, source: SourceAddress | null, candidate: Candidate, resolved: EgressPath | undefined): readonly Candidate[] {
  const rest = candidate.rest;
  if (!rest || candidate.answer || !resolved || resolved.verdict === 'unknown') return [candidate];
  const judgedOn = `${candidate.protocol.toUpperCase()} ${candidate.port}`;
  const unjudged = (rule: string): Candidate => ({ ...candidate, ports: rest.ports, protocols: rest.protocols, rule, rest: null, answer: { kind: 'unknown' } });
  if (resolved.verdict !== 'internet') {
    // Stopped by the source's own NSGs: the rest is in the judged flow's NSG class (candidatesOfRule
    // keeps a candidate within one), which those NSGs treat alike, so they stop it too.
    if (stoppedAtSourceNsg(resolved)) return [candidate];
    // An NSG's allow or a route (no firewall rule): only a hop that decides by port (an Azure
    // Firewall a route leads to among them) treats the rest otherwise.
    if (!candidate.firewallRule) {
      const hop = portDecidingHop(index, resolved, transportsOf(rest.protocols)) ?? firewallOnPath(resolved);
      return hop === null ? [candidate] : [candidate, unjudged(`${candidate.rule} (judged on ${judgedOn}, which ${hop} stops; these ports are not resolved)`)];
    }
    return [candidate, unjudged(`${candidate.rule} (judged on ${judgedOn}, which is stopped; these ports are not resolved)`)];
  }
  const otherwise = restDecidedOtherwise(index, source, candidate, rest, resolved);
  if (otherwise === null) return [candidate];
  const judged: Candidate = { ...candidate, ports: [String(candidate.port)], protocols: [candidate.protocol.toUpperCase()], rest: null };
  return [judged, unjudged(`${candidate.rule} (judged on ${judgedOn}; ${otherwise} may stop these ports, which are not resolved)`)];
}

/**
 * What on a path that lets a rule's judged flow out may treat its other ports otherwise, or null:
 * a Deny rule of a firewall on the path, processed before the allow, that names one of them (first
 * match wins [FWRULES] https://learn.microsoft.com/azure/firewall/rule-processing), or a hop past
 * the source that decides by port (an NSG with port rules at an NVA, a load balancer rule).
 */
function restDecidedOtherwise(index: ModelIndex, source: SourceAddress | null, candidate: Candidate, rest: StatedPorts, resolved: EgressPath): string | null {
  const transports = transportsOf(rest.protocols);
  const intervals = portIntervals(rest.ports);
  if (candidate.firewallRule && source) {
    // A Deny that names the judged flow narrows its answer to what it leaves (every address but
    // 8.8.8.0/24): stated for the rest, that drops addresses the Deny does not stop there (UDP 443
    // when it names TCP 443 only). Alike only when it names all of the rest.
    const restricted = restrictedDestinations(resolved) !== null;
    const deny = earlierDenies(candidate.firewallRule, source, candidate, true).find((d) => (d.namesJudged
      ? restricted && !transports.every((t) => d.protocols.includes(t) && intervals.every(([low, high]) => d.ports.some(([l, h]) => l <= low && high <= h)))
      : d.protocols.some((t) => transports.includes(t)) && d.ports.some(([l, h]) => intervals.some(([low, high]) => Math.max(l, low) <= Math.min(h, high)))));
    if (deny) return `Deny rule ${deny.rule.collection}/${deny.rule.name} (processed before it)`;
  }
  return portDecidingHop(index, resolved, transports) ?? (candidate.firewallRule ? null : firewallOnPath(resolved));
}

/** A Deny rule processed before an allow, with the transports and port intervals it names. */
interface EarlierDeny {
  readonly rule: FirewallRule;
  readonly protocols: readonly ('Tcp' | 'Udp')[];
  readonly ports: readonly (readonly [number, number])[];
  /** Whether it names the judged flow (then the judged answer holds it). */
  readonly namesJudged: boolean;
}

/**
 * The Deny rules processed before a firewall rule (first match wins [FWRULES]
 * https://learn.microsoft.com/azure/firewall/rule-processing) that may treat its ports otherwise
 * than the flow it was judged on. A Deny that also names the judged flow treats it alike (rules
 * match protocol, port and destination together): the judged answer already holds it (a denied
 * name is an exception of the entry), and it is left out unless `withJudged`. A rule naming
 * neither TCP nor UDP (ICMP) stops neither.
 */
function earlierDenies(from: NonNullable<Candidate['firewallRule']>, source: SourceAddress, judged: ProbeFlow, withJudged = false): readonly EarlierDeny[] {
  return denyRulesBefore(from.ruleSet, source, from.rule).flatMap((d): EarlierDeny[] => {
    const ports = portIntervals(d.kind === 'network' ? (d.destinationPorts.length > 0 ? d.destinationPorts : ['*']) : applicationRulePorts(d).map(String));
    const protocols = d.kind === 'network' ? transportsOf(d.protocols) : ['Tcp' as const];
    const namesJudged = protocols.includes(judged.protocol) && ports.some(([l, h]) => l <= judged.port && judged.port <= h);
    return (namesJudged && !withJudged) || protocols.length === 0 ? [] : [{ rule: d, protocols, ports, namesJudged }];
  });
}

/** An Azure Firewall a path passes (it denies what no rule allows, port by port [FWRULES]), as a hop that decides by port; null when none. */
function firewallOnPath(path: EgressPath): string | null {
  const firewall = path.via.find((v) => v.kind === 'azure-firewall');
  return firewall ? `Azure Firewall ${nameFromResourceId(firewall.id)}` : null;
}

/** A source reach answers for: its default-route path (a NIC without an entry of its own follows its subnet's) and NSG port classes. */
interface ReachSubject {
  readonly source: PathSource;
  readonly path: EgressPath;
  readonly subnetId: string | null;
  readonly address: SourceAddress | null;
  readonly flows: SourceFlows;
  readonly followsSubnet: boolean;
}

export interface ReachOptions extends Pick<ResolveOptions, 'resolve'> {
  readonly source?: (source: PathSource) => boolean;
  /**
   * The default-route resolve (destination null, the same `resolve`) when the caller already
   * has it: it is not resolved again. Any other destination's result is ignored.
   */
  readonly defaultRoute?: ResolveResult;
}

const entryId = (e: Pick<ReachEntry, 'kind' | 'value' | 'ports' | 'protocols'>): string => `${e.kind}|${e.value}|${e.ports.join(',')}|${e.protocols.join(',')}`;

/** Computes what every source can reach. */
export function computeReach(input: ResolveInput, options: ReachOptions = {}): ReachResult {
  const index = indexOf(input);
  const given = options.defaultRoute;
  const base = given && given.destination === DEFAULT_ROUTE_LABEL ? given : resolveEgress(input, { destination: null, resolve: options.resolve });
  const wanted = (source: PathSource): boolean => options.source?.(source) ?? true;
  const subnetOfNic = new Map(input.model.networkInterfaces.map((nic) => [nic.id as string, primaryIpConfiguration(nic)?.subnetId ?? null]));
  const subnetOf = (source: PathSource): string | null => (source.type === 'nic' ? subnetOfNic.get(source.id) ?? null : source.id);
  const subjectOf = (source: PathSource, path: EgressPath, subnetId: string | null, followsSubnet = false): ReachSubject => {
    const address = sourceAddressOf(index, source);
    return { source, path, subnetId, address, flows: sourceFlows(index, source, address, subnetId), followsSubnet };
  };
  const gaps: Gap[] = [...base.gaps];
  // Every what-if of the internet on one flow, the default route's (TCP 443) among them.
  const defaultRoute = new Map(base.paths.map((p) => [pathKey(p.source), p]));
  const answers = new Map<string, ReadonlyMap<string, EgressPath>>([[internetOn(DEFAULT_FLOW), defaultRoute]]);
  const subjects: ReachSubject[] = [];
  // NICs that follow their subnet on every port class: their own NSG (or an ASG rule) may still
  // treat a private endpoint's address otherwise, so they are judged on the endpoints too.
  const endpointOnly: ReachSubject[] = [];
  // Subnets computed only for a NIC of theirs that follows them (asked about that NIC alone): not listed.
  const unlisted = new Set<string>();
  for (const path of base.paths) {
    const subnetId = subnetOf(path.source);
    // NICs that follow their subnet on TCP 443 but whose NSG rules treat other ports differently
    // (a rule for their ASG opens TCP 22; their own NSG) reach what their subnet does not: they
    // are sources of their own [ASG] https://learn.microsoft.com/azure/virtual-network/application-security-groups
    // So may a NIC whose own DNS servers replace the VNet's for its VM [NICDNS]
    // https://learn.microsoft.com/azure/virtual-network/virtual-network-network-interface#change-dns-servers
    // (resolve.ts hasOwnDns): a private endpoint's FQDN may resolve otherwise for it.
    const ownEgress = path.source.type === 'subnet' && subnetId ? index.subnetNicsWithOwnEgress.get(subnetId as ResourceId) ?? [] : [];
    // Own DNS servers matter for endpoint names only: with no endpoint in the input, no NIC scan.
    const ownDns = path.source.type === 'subnet' && subnetId && index.privateEndpoints.size > 0 ? (index.subnetNics.get(subnetId as ResourceId) ?? []).filter(hasOwnDns) : [];
    const candidates = ownDns.length === 0 ? ownEgress : [...new Set([...ownEgress, ...ownDns])];
    const nics = candidates.filter((nic) => !defaultRoute.has(`nic|${nic.id}`))
      .map((nic): PathSource => ({ type: 'nic', id: nic.id, name: nic.name, role: 'workload', ...(subnetId ? { subnetId } : {}) })).filter(wanted);
    if (!wanted(path.source) && nics.length === 0) continue;
    const subject = subjectOf(path.source, path, subnetId);
    const own = nics.map((nic) => subjectOf(nic, path, subnetId, true));
    const following = own.filter((nic) => nic.flows.signature === subject.flows.signature);
    // A NIC that follows its subnet is stated as the subnet's entries: the subnet is computed for it.
    if (!wanted(path.source) && following.length > 0) unlisted.add(pathKey(path.source));
    if (wanted(path.source) || following.length > 0) subjects.push(subject);
    for (const nic of own) (following.includes(nic) ? endpointOnly : subjects).push(nic);
  }
  // NSG port classes first: each is a what-if of the whole internet on its port.
  resolveInto(answers, input, subjects.flatMap((s) => s.flows.others.map((c) => internetOn(c.probe))), options.resolve, gaps);
  const candidates = new Map<string, Candidate[]>();
  const destinations = new Set<string>();
  // What-ifs of prefixes that routes other than the default route send out, and the subnets asking.
  const routeDestinations = new Map<string, Set<string>>();
  // Judged flows that leave to on-premises, per source: from answers already resolved, no walk of their own.
  const onPremises = new Map<string, Map<string, OnPremisesFlow>>();
  const addOnPremises = (key: string, flow: OnPremisesFlow): void => {
    const held = onPremises.get(key) ?? new Map<string, OnPremisesFlow>();
    held.set(`${flow.protocols.join(',')}|${flow.ports.join(',')}`, { ports: flow.ports, protocols: flow.protocols });
    onPremises.set(key, held);
  };
  for (const { source, path, subnetId, address, flows } of subjects) {
    const key = pathKey(source);
    const list = [...candidatesFor(index, path, address, flows.defaultRoute), ...pastPortDecidingHop(index, path, flows.defaultRoute)];
    if (path.verdict === 'on-premises') for (const r of flows.defaultRouteRanges) addOnPremises(key, r);
    for (const flow of flows.others) {
      const probe = answerFor(answers, internetOn(flow.probe), key, subnetId);
      if (probe?.verdict === 'on-premises') for (const r of classRanges(flow.ports)) addOnPremises(key, r);
      if (probe) list.push(...flowClassCandidates(index, probe, address, flow));
    }
    for (const c of list) {
      const d = c.answer ? null : destinationOf(c);
      if (d) destinations.add(d);
    }
    // Routes other than the default route that send a public prefix elsewhere (around the firewall
    // to the Internet, to another appliance, on-premises): each prefix is a what-if of its own.
    if (subnetId) {
      for (const route of divertingRoutes(index, input.effectiveRoutes, subnetId)) {
        if (leadsLikeDefaultRoute(route, path)) continue;
        for (const flow of [flows.defaultRoute, ...flows.others]) {
          for (const c of routeCandidates(route, flow)) {
            list.push(c);
            const d = destinationOf(c);
            if (!d) continue;
            const asking = routeDestinations.get(d) ?? new Set<string>();
            asking.add(subnetId);
            routeDestinations.set(d, asking);
          }
        }
      }
    }
    candidates.set(key, list);
  }
  resolveInto(answers, input, destinations, options.resolve, gaps);
  // Only the subnets (with their NICs) whose routes hold the prefix are walked: a what-if per
  // distinct prefix and port class, not one of the whole estate.
  for (const [destination, subnetIds] of [...routeDestinations].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (answers.has(destination)) continue;
    const result = resolveEgress(input, { destination, resolve: options.resolve, subnetIds, estateFindings: false, sorted: false });
    answers.set(destination, new Map(result.paths.map((p) => [pathKey(p.source), p])));
    gaps.push(...result.gaps);
  }
  const privateBySubject = privateEndpointReach(input, index, [...subjects, ...endpointOnly], options.resolve, gaps);
  const sources = subjects.map(({ source, path, subnetId, address, flows, followsSubnet }): ReachSource => {
    const key = pathKey(source);
    const open = isOpen(path);
    const list = candidates.get(key) ?? [];
    const openedBy = open ? openingRule(index, path) : null;
    const opening = openedBy === null ? undefined : list.find((c) => c.kind === 'any' && c.rule === openedBy && resolvedOf(c, answers, key, subnetId) === path);
    const allowed: ReachEntry[] = open ? openEntries(index, path, flows, opening, address) : [];
    const listed = new Set(allowed.map(entryId));
    for (const candidate of list.flatMap((c) => (c === opening || listed.has(entryId(c)) ? [] : judgedAndRest(index, address, c, resolvedOf(c, answers, key, subnetId))))) {
      if (listed.has(entryId(candidate))) continue;
      const resolved = resolvedOf(candidate, answers, key, subnetId);
      // A rule allowing any address on TCP 443 alone says what the open path's own entry says.
      if (open && candidate.kind === 'any' && resolved === path && onlyTcp443(candidate)) continue;
      // FQDN tags and web categories are not resolved: the tag's names are not published.
      const verdict: Verdict = candidate.answer?.kind === 'unknown' || !resolved ? 'unknown' : resolved.verdict;
      // A rule to an on-premises range (10.0.0.0/8 over the VPN) is private traffic, no forced tunnel.
      if (verdict === 'on-premises' && mayBePublic(candidate)) addOnPremises(key, candidate);
      if (verdict !== 'internet' && verdict !== 'unknown') continue;
      // Only once listed: the same rule found on another port class's path may get out there.
      listed.add(entryId(candidate));
      const except = resolved ? exceptionsOf(resolved) : [];
      const exit = { exit: resolved?.exit ?? null, via: (resolved ?? path).via.map((v) => v.id), egressIps: resolved?.egressIps ?? [], ...(except.length > 0 ? { except } : {}) };
      // A rule allowing any address, on a path an NSG restricts: it reaches what the path is restricted
      // to. So does one allowing a range an NSG allows only part of (the engine's answer for a range
      // is `internet` when some of it gets out, restricted to that part).
      const restricted = resolved && verdict === 'internet' ? restrictedOf(candidate, resolved) : null;
      if (restricted && resolved) {
        const within = restrictingNsgRules(resolved);
        const rule = within.length > 0 ? `${candidate.rule}, within ${within.join(', ')}` : candidate.rule;
        for (const d of restricted) {
          const entry: ReachEntry = { kind: d.kind, value: d.value, ports: candidate.ports, protocols: candidate.protocols, verdict: d.verdict, rule, ...exit,
            ...(d.verdict === 'unknown' ? { exit: null, egressIps: [] } : {}) };
          if (listed.has(entryId(entry))) continue;
          listed.add(entryId(entry));
          allowed.push(entry);
        }
        continue;
      }
      allowed.push({ kind: candidate.kind, value: candidate.value, ports: candidate.ports, protocols: candidate.protocols, verdict, rule: candidate.rule, ...exit });
    }
    const unrestricted = open || allowed.some((e) => e.kind === 'any' && e.verdict === 'internet');
    const onPremisesFlows = [...onPremises.get(key)?.values() ?? []];
    return {
      source, unrestricted, defaultRoute: path.verdict, allowed: exceptDiverted(index, allowed, list, (c) => resolvedOf(c, answers, key, subnetId), subnetId ? droppedPrefixes(index, input.effectiveRoutes, subnetId) : []), private: [...serviceEndpointsOf(index, subnetId), ...(privateBySubject.get(key) ?? [])],
      ...(followsSubnet ? { followsSubnet: true } : {}), ...(onPremisesFlows.length > 0 ? { onPremisesFlows } : {}),
    };
  });
  // A NIC whose private endpoint entries differ from its subnet's is a source of its own: its
  // subnet's entries on every port, its own private endpoints.
  const bySubnet = new Map(sources.filter((s) => s.source.type === 'subnet').map((s) => [s.source.id, s]));
  const endpointNics = new Map<ReachSource, ReachSource[]>();
  for (const nic of endpointOnly) {
    const subnet = nic.subnetId ? bySubnet.get(nic.subnetId) : undefined;
    const own = privateBySubject.get(pathKey(nic.source)) ?? [];
    if (!subnet || sameEndpoints(own, subnet.private.filter((e) => e.kind === 'private-endpoint'))) continue;
    const list = endpointNics.get(subnet) ?? [];
    list.push({ ...subnet, source: nic.source, private: [...serviceEndpointsOf(index, nic.subnetId), ...own], followsSubnet: true });
    endpointNics.set(subnet, list);
  }
  const withEndpointNics = endpointNics.size === 0 && unlisted.size === 0 ? sources
    : sources.flatMap((s) => [...(unlisted.has(pathKey(s.source)) ? [] : [s]), ...(endpointNics.get(s) ?? [])]);
  // Reach walks IPv4 destinations only. A dual-stack subnet's sources may reach the IPv6 internet
  // (an instance-level IPv6 public IP "provides IPv6 Internet connectivity", IPv6 NSG rules and
  // ::/0 routes apply [IPV6] https://learn.microsoft.com/azure/virtual-network/ip-services/ipv6-overview):
  // named as not listed, so an empty list never reads as "nothing on the internet" for them.
  for (const s of withEndpointNics) {
    if (s.source.type !== 'subnet') continue;
    const subnet = index.subnets.get(s.source.id as ResourceId);
    const v6 = subnet?.addressPrefixes.filter((p) => p.includes(':')) ?? [];
    if (subnet && v6.length > 0) {
      gaps.push({ code: 'not-modelled', scope: subnet.id, message: `Subnet ${subnet.name} holds IPv6 range ${v6.join(', ')}: reach lists IPv4 destinations only, so what its sources reach over IPv6 (IPv6 public IPs and load balancer frontends, IPv6 NSG rules, ::/0 routes) is not listed.` });
    }
  }
  const seenGaps = new Set<string>();
  return {
    schema: REACH_SCHEMA, sources: withEndpointNics,
    gaps: gaps.filter((g) => {
      const k = `${g.code}|${g.scope}|${g.message}`;
      if (seenGaps.has(k)) return false;
      seenGaps.add(k);
      return true;
    }),
  };
}

/** Whether a candidate's destination may be on the internet: a CIDR wholly outside public space is not; names, tags and `any` may be. */
function mayBePublic(candidate: Pick<Candidate, 'kind' | 'value'>): boolean {
  if (candidate.kind !== 'cidr') return true;
  const set = Ipv4Set.tryFromCidr(candidate.value);
  return set === null || set.overlaps(publicIpv4());
}

/** An entry as reach states it: what, on which ports, ending how, allowed by which rule. */
function statedAs(e: ReachEntry): string {
  return [e.kind, e.value, e.ports.join(','), e.protocols.join(','), e.verdict, e.exit ?? '', e.rule].join('|');
}

/** The entries of a NIC that follows its subnet (`followsSubnet`) that the subnet's reach does not list alike. */
export function entriesBeyondSubnet(nic: ReachSource, subnet: ReachSource): readonly ReachEntry[] {
  const subnetEntries = new Set(subnet.allowed.map(statedAs));
  return nic.allowed.filter((e) => !subnetEntries.has(statedAs(e)));
}

function endpointStated(e: PrivateReachEntry): string {
  return e.kind === 'private-endpoint' ? [e.endpointId, e.value, e.verdict, e.via.join(','), e.note ?? ''].join('|') : [e.kind, e.value, e.target].join('|');
}

function sameEndpoints(a: readonly PrivateReachEntry[], b: readonly PrivateReachEntry[]): boolean {
  if (a.length !== b.length) return false;
  const stated = new Set(a.map(endpointStated));
  return b.every((e) => stated.has(endpointStated(e)));
}

/**
 * How a NIC that follows its subnet differs from it on private endpoints: the entries it has that
 * the subnet does not state alike (`own`), and the subnet's entries it does not have (`notReached`:
 * its own NSG or an ASG rule stops them, or its answer is not known there).
 */
export function endpointsBeyondSubnet(nic: ReachSource, subnet: ReachSource): { readonly own: readonly PrivateEndpointReachEntry[]; readonly notReached: readonly PrivateEndpointReachEntry[] } {
  const endpoints = (s: ReachSource): readonly PrivateEndpointReachEntry[] => s.private.filter((e): e is PrivateEndpointReachEntry => e.kind === 'private-endpoint');
  const subnetStated = new Set(endpoints(subnet).map(endpointStated));
  const nicStated = new Set(endpoints(nic).map(endpointStated));
  const nicEndpoints = new Set(endpoints(nic).map((e) => e.endpointId));
  return {
    own: endpoints(nic).filter((e) => !subnetStated.has(endpointStated(e))),
    notReached: endpoints(subnet).filter((e) => !nicStated.has(endpointStated(e)) && !nicEndpoints.has(e.endpointId)),
  };
}

/** The NICs of a subnet that reach answers for on their own while following the subnet's path (see `followsSubnet`). */
export function nicsFollowingSubnet(reach: ReachResult, subnetId: string): readonly ReachSource[] {
  const wanted = subnetId.toLowerCase();
  return reach.sources.filter((s) => s.followsSubnet === true && s.source.type === 'nic' && s.source.subnetId?.toLowerCase() === wanted);
}

/**
 * Numeric ports and ranges merged where they touch, sorted; `*` when they cover 0-65535. Reach
 * splits an open port class at the default flow (`0-442`, `443`, `444-65535`): said as written,
 * "every TCP port" reads as three restrictions. Anything not numeric is kept as written.
 */
function mergedPorts(ports: readonly string[]): readonly string[] {
  const ranges: (readonly [number, number])[] = [];
  for (const port of ports) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(port.trim());
    if (!m) return ports;
    ranges.push([Number(m[1]), Number(m[2] ?? m[1])]);
  }
  if (ranges.length < 2) return ports;
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const [low, high] of ranges) {
    const last = merged[merged.length - 1];
    if (last && low <= last[1] + 1) last[1] = Math.max(last[1], high);
    else merged.push([low, high]);
  }
  const [only] = merged;
  if (merged.length === 1 && only && only[0] === 0 && only[1] >= 65535) return ['*'];
  return merged.map(([low, high]) => (low === high ? String(low) : `${low}-${high}`));
}

/** An entry's protocols and ports in words: `TCP 443`, `UDP 123`, `TCP/UDP any port`, `Https 443`. */
export function reachPortsText(entry: Pick<ReachEntry, 'ports' | 'protocols'>): string {
  const protocols = entry.protocols.map((p) => (/^(tcp|udp|icmp|any)$/i.test(p) ? p.toUpperCase() : p));
  const ports = mergedPorts(entry.ports).map((p) => (p === '*' ? 'any port' : p));
  return [protocols.join('/'), ports.join(', ')].filter((t) => t !== '').join(' ');
}

/**
 * Whether an entry holds every TCP and UDP port (`TCP/UDP any port`, protocol Any on `*`): only then
 * does "any public destination on these ports" leave no port out, so a headline can stop there.
 */
export function coversEveryPort(entry: Pick<ReachEntry, 'ports' | 'protocols'>): boolean {
  const protocols = entry.protocols.map((p) => p.trim().toLowerCase());
  const holds = (name: string): boolean => protocols.some((p) => p === '*' || p === 'any' || p === name);
  const ports = mergedPorts(entry.ports);
  return holds('tcp') && holds('udp') && ports.length === 1 && ports[0]?.trim() === '*';
}

/** Whether an entry holds the default route's flow, TCP 443. */
function holdsDefaultFlow(entry: Pick<ReachEntry, 'ports' | 'protocols'>): boolean {
  const tcp = entry.protocols.some((p) => ['*', 'any', ...ON_TCP].includes(p.trim().toLowerCase()));
  return tcp && entry.ports.some((p) => portRangeCovers(p.trim(), DEFAULT_FLOW.port));
}

/**
 * The ports on which an unrestricted source lets any public destination out, as a headline states
 * them: every port and protocol of its opening entry (`openingEntry`): `TCP/UDP any port` for a
 * subnet no NSG narrows, `TCP 443` for a rule allowing `*` on HTTPS, `UDP 123` for one on NTP while
 * TCP 443 is denied. Other entries that open it on other ports are listed with the rest. Null when
 * the source is not unrestricted.
 *
 * It used to say `TCP 443` whenever the default route got out, "the entries list the rest"; but the
 * app's badge and the PDF's headline leave the opening entry out of their lists, so a subnet open on
 * every TCP and UDP port read "open on TCP 443" there: the headline is the only place its ports are said.
 */
export function unrestrictedOn(source: ReachSource): string | null {
  if (!source.unrestricted) return null;
  const open = openingEntry(source);
  // No entry to state (not expected: reach lists what opens a source): the default route's flow.
  return open === null ? 'TCP 443' : reachPortsText(open);
}

/**
 * The names an unrestricted source's opening entry excepts (denied by rules processed before its
 * allow-all), for a headline when the default path has none of its own (another port opens it).
 */
export function openingExceptions(source: ReachSource): readonly string[] {
  return openingEntry(source)?.except ?? [];
}

/**
 * An entry's destination in words, with what rules processed before its allow keep out:
 * "any public destination except evil.example", "20.0.0.0/8 except service tag Storage".
 */
export function reachDestinationText(entry: Pick<ReachEntry, 'kind' | 'value' | 'except'>, anyText = 'any public destination'): string {
  const value = entry.kind === 'any' ? anyText : entry.value;
  return entry.except && entry.except.length > 0 ? `${value} except ${entry.except.join(', ')}` : value;
}

/**
 * The entry that makes a source unrestricted (any public destination allowed to the internet), or
 * null: the one holding the default route's flow (TCP 443) when there are several and that flow gets
 * out, so the rule cited beside the headline is the one that opens the default route.
 */
export function openingEntry(source: ReachSource): ReachEntry | null {
  if (!source.unrestricted) return null;
  const open = source.allowed.filter((e) => e.kind === 'any' && e.verdict === 'internet');
  return (source.defaultRoute === 'internet' ? open.find(holdsDefaultFlow) : undefined) ?? open[0] ?? null;
}

function countText(n: number, singular: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? singular : `${singular}s`}`;
}

/**
 * What a forced-tunnel source (default route on-premises) with entries of its own reaches, said
 * before those entries (the app, the CLI and the evidence PDF say it alike). The entries are let out
 * in Azure by a route or rule of their own; the rest goes to the on-premises network, whose proxies
 * and firewalls the input does not hold, so "only what these rules allow" would be a claim the
 * evidence cannot back. An entry whose verdict is Unknown is counted as one it may reach, never as
 * allowed.
 */
export function forcedTunnelListedText(entries: readonly Pick<ReachEntry, 'verdict'>[]): string {
  const mayReach = entries.filter((e) => e.verdict === 'unknown').length;
  const unknown = mayReach === 0 ? '' : `, and ${countText(mayReach, 'public destination')} it may reach (verdict Unknown: see the gaps)`;
  return `Forced tunnel: ${countText(entries.length - mayReach, 'public destination')} allowed by the rules on this path${unknown}, each with the rule that allows it; any other internet-bound traffic goes to the on-premises network, and what it reaches from there is not in the input.`;
}

/** How a default route ends, as the sentence below says it. */
const DEFAULT_ROUTE_ENDS: Readonly<Record<Verdict, string>> = {
  'internet': 'Internet', 'private': 'Private', 'on-premises': 'On-premises', 'dropped': 'Dropped', 'denied': 'Denied', 'no-outbound': 'No outbound', 'unknown': 'Unknown',
};

/**
 * What a source with no reach entry reaches, by how its default route ends (the app, the CLI and
 * the evidence PDF say it alike). Only what the input shows:
 * a forced tunnel hands the traffic to the on-premises network, whose proxies and firewalls the
 * input does not hold, so "nothing is allowed" would be a claim the evidence cannot back.
 */
export function nothingListedText(defaultRoute: Verdict): string {
  const ends = `the default route (0.0.0.0/0, TCP 443) ends ${DEFAULT_ROUTE_ENDS[defaultRoute]}`;
  switch (defaultRoute) {
    case 'on-premises':
      return 'Not known beyond Azure: the default route (0.0.0.0/0, TCP 443) sends internet-bound traffic to the on-premises network (forced tunnel). What it reaches from there (through an on-premises proxy or firewall) is not in the input; no rule on the Azure side of this path allows a named public destination.';
    case 'private':
      return `No public destination is reached through Azure: ${ends} (delivered inside the private network, never to the internet), and no rule on this path allows a named public destination.`;
    case 'dropped': case 'denied': case 'no-outbound':
      return `No public destination is reached: ${ends}, and no rule on this path allows a named public destination.`;
    case 'unknown':
      return 'Not known: the default route (0.0.0.0/0, TCP 443) could not be decided (see the gaps), so what this source can reach is not known.';
    case 'internet':
      // Not expected (a default route that gets out is either open or lists what it allows): say what is known.
      return `${ends[0]?.toUpperCase() ?? ''}${ends.slice(1)}, and reach lists no public destination for this source.`;
  }
}

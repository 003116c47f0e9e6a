/**
 * `resolveEgress(input, options)`: one path per subnet (a NIC with no public IP and no load
 * balancer membership), plus one per NIC whose path differs, each with the hops that decided it.
 * Pure and deterministic.
 */
import type { DnsUndecided } from '../dns';
import type { Gap } from '../model/gaps';
import type { ResourceId } from '../model/ids';
import { formatIp, parseCidr } from '../model/ip';
import type { Cidr } from '../model/ip';
import { buildModelIndex } from '../model/model-index';
import type { ModelIndex } from '../model/model-index';
import type { AzureFirewall, NetworkInterface, NetworkModel, Subnet, VirtualNetworkGateway } from '../model/topology';
import { RouteSetBuilder } from '../routing/subnet-routes';
import { describeDestination } from './destination';
import type { EgressDestination, SourceAddress, TrafficSpec } from './destination';
import { DOCS } from './docs';
import { beforeRouting, forward, walkFromSource } from './engine';
import { stepResourceIds } from './explain';
import { terminalOf, verdictOf } from './steps';
import type { DnsStep, Step, TerminalReason } from './steps';
import { planDestination, resolveNameFrom } from './destination-plan';
import type { DestinationPlan, NameResolutionPlan } from './destination-plan';
import { buildServiceTagIndex } from '../model/service-tags';
import type { ServiceTagIndex, ServiceTagSet } from '../model/service-tags';
import type { Flow, Named } from './steps';
import { addGap, newEngineContext, Trail } from './trail';
import type { EngineContext, Outcome } from './trail';
import { estateFindings } from './findings';
import { leftOutResources } from './left-out';
import { primaryIpConfiguration } from './outbound';
import type { Sender } from './outbound';
import { RESOLVE_SCHEMA } from './types';
import { platformRoleLabel, subnetRole } from './platform';
import type { DestinationInfo, EgressPath, ExitMethod, Finding, PathSource, ResolveResult, SourceRole, Verdict, Via } from './types';
import type { ResolveInput, ResolveOptions } from './index';

const subnetCidrs = new WeakMap<Subnet, readonly Cidr[]>();

/**
 * One index per model: a what-if on the same estate resolves again without re-indexing it (about a
 * fifth of a resolve at 100,000 NICs). Safe because models and indexes are read-only.
 */
const modelIndexes = new WeakMap<NetworkModel, ModelIndex>();

/**
 * Route sets do not depend on the destination: what-ifs, reach and the matrix on one estate share
 * one builder per (model, captured routes, tag data), so each subnet's routes are computed once.
 */
const routeBuilders = new WeakMap<ModelIndex, WeakMap<object, WeakMap<object, RouteSetBuilder>>>();
const NO_TAGS = {};

function routeSetBuilder(index: ModelIndex, input: ResolveInput, tags: ServiceTagIndex | undefined): RouteSetBuilder {
  let byRoutes = routeBuilders.get(index);
  if (!byRoutes) {
    byRoutes = new WeakMap();
    routeBuilders.set(index, byRoutes);
  }
  let byTags = byRoutes.get(input.effectiveRoutes);
  if (!byTags) {
    byTags = new WeakMap();
    byRoutes.set(input.effectiveRoutes, byTags);
  }
  let builder = byTags.get(tags ?? NO_TAGS);
  if (!builder) {
    builder = new RouteSetBuilder(index, input.effectiveRoutes, tags);
    byTags.set(tags ?? NO_TAGS, builder);
  }
  return builder;
}

/** One service tag index per tag set (built lazily; a what-if on the same estate reuses it). */
const tagIndexes = new WeakMap<ServiceTagSet, ServiceTagIndex>();

function serviceTagIndex(set: ServiceTagSet): ServiceTagIndex {
  let found = tagIndexes.get(set);
  if (!found) {
    found = buildServiceTagIndex(set);
    tagIndexes.set(set, found);
  }
  return found;
}

function modelIndex(model: NetworkModel): ModelIndex {
  let index = modelIndexes.get(model);
  if (!index) {
    index = buildModelIndex(model);
    modelIndexes.set(model, index);
  }
  return index;
}

/** The source address NSG and firewall rules see: the NIC's private IP, or the subnet's IPv4 prefixes. */
const nicCidrs = new WeakMap<NetworkInterface, readonly Cidr[]>();

function sourceCidrs(subnet: Subnet, nic: NetworkInterface | null): readonly Cidr[] {
  const address = nic ? primaryIpConfiguration(nic)?.privateIpAddress : null;
  if (nic && address) {
    let cidrs = nicCidrs.get(nic);
    if (!cidrs) {
      const cidr = parseCidr(address);
      cidrs = cidr && cidr.version === 4 ? [cidr] : [];
      nicCidrs.set(nic, cidrs);
    }
    return cidrs;
  }
  let cidrs = subnetCidrs.get(subnet);
  if (!cidrs) {
    cidrs = subnet.addressPrefixes.map((t) => parseCidr(t)).filter((c): c is Cidr => c !== null && c.version === 4);
    subnetCidrs.set(subnet, cidrs);
  }
  return cidrs;
}

/** A source's address and sender, as rules and the outbound method see it. */
interface SourcePrep {
  readonly subnet: Subnet;
  readonly source: SourceAddress;
  readonly sender: Sender;
}

/**
 * Neither depends on the destination: made once per NIC / subnet and kept, so every resolve on the
 * estate reuses them (and the engine can keep a sender's outbound method with it).
 */
const nicPreps = new WeakMap<NetworkInterface, SourcePrep>();
const subnetPreps = new WeakMap<Subnet, SourcePrep>();

function sourceAndSender(subnet: Subnet, nic: NetworkInterface | null): SourcePrep {
  const cached = nic ? nicPreps.get(nic) : subnetPreps.get(subnet);
  if (cached && cached.subnet === subnet) return cached;
  // A NIC's ASG memberships scope NSG rules to it; the subnet entry is a NIC in no ASG [ASG].
  const config = nic ? primaryIpConfiguration(nic) : null;
  const prep: SourcePrep = {
    subnet,
    source: {
      cidrs: sourceCidrs(subnet, nic), applicationSecurityGroupIds: nic ? config?.applicationSecurityGroupIds ?? [] : [],
      dns: nic?.dnsServers ? { virtualNetworkId: subnet.virtualNetworkId, nicDnsServers: nic.dnsServers } : { virtualNetworkId: subnet.virtualNetworkId },
    },
    sender: nic ? { kind: 'nic', nic, ipConfiguration: config } : { kind: 'subnet' },
  };
  if (nic) nicPreps.set(nic, prep);
  else subnetPreps.set(subnet, prep);
  return prep;
}

/**
 * The NICs of a subnet that may answer differently from it, in the order they are walked: those the
 * index found (own public IP, NSG, load balancer pool…), then those whose captured effective routes
 * differ from another NIC's of the subnet (each follows its own capture).
 */
function nicsWithOwnEntry(index: ModelIndex, routes: RouteSetBuilder, subnet: Subnet): readonly NetworkInterface[] {
  const own = index.subnetNicsWithOwnEgress.get(subnet.id) ?? [];
  const captured = routes.nicsWithDifferingCaptures(subnet.id);
  // NICs with DNS servers of their own answer host names otherwise than their subnet (see ownDnsPath).
  const dns = nicsWithOwnDns(index, subnet);
  if (captured.length === 0 && dns.length === 0) return own;
  const extra = [...captured.map((id) => index.networkInterfaces.get(id)), ...dns].filter((nic): nic is NetworkInterface => nic !== undefined && !own.includes(nic));
  return extra.length === 0 ? own : [...own, ...new Set(extra)];
}

function sourceOf(subnet: Subnet, nic: NetworkInterface | null): PathSource {
  // A NIC is always a workload: platform instances have no NIC resources in your subscription.
  // The NIC's subnet rides along so a comparison can stand the subnet's path in for a NIC that has
  // no entry of its own on the other side (compare.ts).
  return nic
    ? { type: 'nic', id: nic.id, name: nic.name, role: 'workload', subnetId: subnet.id }
    : { type: 'subnet', id: subnet.id, name: subnet.name, role: subnetRole(subnet) };
}

/** Who runs in a platform subnet, found in the snapshot (null: nothing found, or not modelled). */
type PlatformSender = Extract<Sender, { kind: 'firewall' | 'firewall-management' | 'gateway' }>;

function named(resource: { readonly id: string; readonly name: string }): Named {
  return { id: resource.id, name: resource.name };
}

function platformSourceStep(trail: Trail, subnet: Subnet, sender: PlatformSender): void {
  switch (sender.kind) {
    case 'firewall':
    case 'firewall-management':
      trail.add({ kind: 'source', origin: sender.kind === 'firewall' ? 'azure-firewall' : 'firewall-management', subnet: named(subnet), addressPrefixes: subnet.addressPrefixes, firewall: named(sender.firewall) });
      return;
    case 'gateway':
      trail.add({ kind: 'source', origin: 'gateway', subnet: named(subnet), addressPrefixes: subnet.addressPrefixes, gateways: sender.gateways.map((g) => ({ id: g.id, name: g.name, gatewayType: g.gatewayType })) });
      return;
  }
}

/**
 * A platform subnet whose instances the snapshot does not model (Bastion, Route Server: no resource
 * type in the model) or whose owner is missing. Verdict `unknown`, not `internet`: Bastion's
 * Developer SKU and private-only deployments have no public IP, and Route Server's public IP is
 * for platform management only [BASNSG][ARS], so the snapshot cannot show an internet path.
 */
function platformNotModelledPath(ctx: EngineContext, subnet: Subnet, role: Exclude<SourceRole, 'workload'>): Walked {
  const trail = new Trail({ cidrs: [] });
  const platform = platformRoleLabel(role);
  const docs = role === 'bastion' ? DOCS.bastionNsg : role === 'route-server' ? DOCS.routeServer
    : role === 'gateway' ? DOCS.gatewaySubnet : role === 'firewall-management' ? DOCS.firewallForcedTunnel : DOCS.firewallNatGateway;
  const deployed = role === 'bastion' || role === 'route-server';
  trail.add({ kind: 'source', origin: 'platform-not-modelled', subnet: named(subnet), addressPrefixes: subnet.addressPrefixes, platform, deployed, docs });
  if (deployed) addGap(ctx, { code: 'not-modelled', scope: subnet.id, message: `${platform} in ${subnet.name}: platform-managed egress is not modelled.` });
  return { trail, outcome: trail.end({ kind: 'platform-not-modelled', subnet: named(subnet), platform, deployed, docs }) };
}

/** Source steps do not depend on the destination: one per subnet / NIC, shared by every resolve. */
const subnetSourceSteps = new WeakMap<Subnet, Step>();
const nicSourceSteps = new WeakMap<NetworkInterface, Step>();

function sourceStep(trail: Trail, subnet: Subnet, nic: NetworkInterface | null): void {
  if (!trail.recording) return;
  if (nic) {
    let step = nicSourceSteps.get(nic);
    if (!step) {
      step = { kind: 'source', origin: 'nic', nic: named(nic), privateIp: primaryIpConfiguration(nic)?.privateIpAddress ?? null, subnet: named(subnet) };
      nicSourceSteps.set(nic, step);
    }
    trail.add(step);
    return;
  }
  let step = subnetSourceSteps.get(subnet);
  if (!step) {
    step = { kind: 'source', origin: 'subnet', subnet: named(subnet), addressPrefixes: subnet.addressPrefixes, ...(subnet.delegations.length > 0 ? { delegations: subnet.delegations } : {}) };
    subnetSourceSteps.set(subnet, step);
  }
  trail.add(step);
}

/** One source's walk: its trail and how it ended. */
interface Walked {
  readonly trail: Trail;
  readonly outcome: Outcome;
}

/** The verdict comes from the terminal step, never from anywhere else. */
function toPath(source: PathSource, { trail, outcome }: Walked): EgressPath {
  return {
    source, verdict: verdictOf(outcome.terminal), exit: outcome.exit, via: trail.via, egressIps: outcome.egressIps,
    snatPorts: outcome.snatPorts, steps: trail.steps, findings: trail.findings,
  };
}

function notEvaluatedPath(subnet: Subnet, nic: NetworkInterface | null, reason: string): Walked {
  const trail = new Trail({ cidrs: [] });
  sourceStep(trail, subnet, nic);
  return { trail, outcome: trail.end({ kind: 'not-evaluated', subnet: named(subnet), reason }) };
}

function isIpv6Only(subnet: Subnet): boolean {
  return subnet.addressPrefixes.length > 0 && subnet.addressPrefixes.every((p) => p.includes(':'));
}

function isIpv6OnlyGap(ctx: EngineContext, subnet: Subnet, nic: NetworkInterface | null): Walked {
  addGap(ctx, { code: 'not-modelled', scope: subnet.id, message: 'IPv6-only subnet: IPv6 egress is not modelled.' });
  return notEvaluatedPath(subnet, nic, 'the subnet is IPv6-only and IPv6 egress is not modelled');
}

function resolveSource(ctx: EngineContext, subnet: Subnet, nic: NetworkInterface | null, firewall: AzureFirewall | null): Walked {
  if (isIpv6Only(subnet)) return isIpv6OnlyGap(ctx, subnet, nic);
  if (firewall && !nic) return resolvePlatform(ctx, subnet, { kind: 'firewall', firewall });
  const { source, sender } = sourceAndSender(subnet, nic);
  const trail = new Trail(source, ctx.recordSteps);
  sourceStep(trail, subnet, nic);
  const prelude = trail.recording ? ctx.prelude?.(subnet) : null;
  if (prelude) trail.add(prelude);
  return { trail, outcome: walkFromSource(ctx, trail, subnet, nic, sender) };
}

/**
 * Azure-managed instances in a platform subnet: the path is still computed from the subnet's
 * routes (a firewall without direct internet is a real misconfiguration), but the sender is the
 * platform resource, so its own public IPs (or the subnet's NAT gateway) are the exit.
 */
function resolvePlatform(ctx: EngineContext, subnet: Subnet, sender: PlatformSender): Walked {
  if (isIpv6Only(subnet)) return isIpv6OnlyGap(ctx, subnet, null);
  const trail = new Trail({ cidrs: sourceCidrs(subnet, null) }, ctx.recordSteps);
  platformSourceStep(trail, subnet, sender);
  const prelude = ctx.prelude?.(subnet);
  if (prelude) trail.add(prelude);
  if (sender.kind === 'firewall') trail.visit(sender.firewall.id);
  // The platform instances' own traffic is not subject to the firewall's rules or to NSGs
  // (AzureFirewallSubnet and GatewaySubnet take no NSG). Multicast, broadcast and the host's own
  // addresses are decided before any route, as for every source (engine.ts beforeRouting).
  return { trail, outcome: beforeRouting(ctx, trail, subnet, null) ?? forward(ctx, trail, subnet, sender) };
}

function gatewaysOf(index: ModelIndex, subnet: Subnet): readonly VirtualNetworkGateway[] {
  return index.gateways.get(subnet.virtualNetworkId) ?? [];
}

/** The subnet-level path, by role. */
function resolveSubnet(ctx: EngineContext, subnet: Subnet, owners: PlatformOwners): Walked {
  const role = subnetRole(subnet);
  const firewall = owners.firewalls.get(subnet.id) ?? null;
  switch (role) {
    case 'workload':
      return resolveSource(ctx, subnet, null, firewall);
    case 'azure-firewall':
      return firewall ? resolvePlatform(ctx, subnet, { kind: 'firewall', firewall }) : platformNotModelledPath(ctx, subnet, role);
    case 'firewall-management': {
      const managed = owners.managementFirewalls.get(subnet.id);
      return managed ? resolvePlatform(ctx, subnet, { kind: 'firewall-management', firewall: managed }) : platformNotModelledPath(ctx, subnet, role);
    }
    case 'gateway': {
      const gateways = gatewaysOf(ctx.index, subnet);
      return gateways.length > 0 ? resolvePlatform(ctx, subnet, { kind: 'gateway', gateways }) : platformNotModelledPath(ctx, subnet, role);
    }
    case 'bastion':
    case 'route-server':
      return platformNotModelledPath(ctx, subnet, role);
  }
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a === b || (a.length === b.length && a.every((x, i) => x === b[i]));
}

/** Whether a NIC's path says the same as its subnet's (then the NIC gets no entry of its own). */
function samePath(a: EgressPath, b: EgressPath): boolean {
  return sameAnswer(a.verdict, a.exit, a.snatPorts, a.via, a.egressIps, a.findings, b.verdict, b.exit, b.snatPorts, b.via, b.egressIps, b.findings)
    && sameRestriction(a.steps[a.steps.length - 1], b.steps[b.steps.length - 1]);
}

/** samePath on walks not yet made paths (the verdict is the terminal's). */
function sameWalk(a: Walked, b: Walked): boolean {
  return sameAnswer(verdictOf(a.outcome.terminal), a.outcome.exit, a.outcome.snatPorts, a.trail.via, a.outcome.egressIps, a.trail.findings,
    verdictOf(b.outcome.terminal), b.outcome.exit, b.outcome.snatPorts, b.trail.via, b.outcome.egressIps, b.trail.findings)
    && sameRestriction({ kind: 'terminal', reason: a.outcome.terminal }, { kind: 'terminal', reason: b.outcome.terminal });
}

/**
 * The same destinations allowed: a NIC whose own NSG narrows what its subnet's rules allow says
 * something else than the subnet entry (both NSGs must allow [NSGHOW]
 * https://learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works), so it
 * keeps an entry of its own. Compared on the terminal, which samePath and sameWalk both have.
 */
function sameRestriction(a: Step | undefined, b: Step | undefined): boolean {
  const of = (s: Step | undefined): readonly string[] | null => (s?.kind === 'terminal' && s.reason.kind === 'egress' ? s.reason.restrictedTo : null);
  const ra = of(a);
  const rb = of(b);
  // A restriction is a set of entries: NSGs that allow the same tags in another rule order agree.
  return ra === rb || (ra !== null && rb !== null && ra.length === rb.length && sameList([...ra].sort(), [...rb].sort()));
}

function sameAnswer(
  verdictA: Verdict, exitA: ExitMethod | null, snatA: number | null, viaA: readonly Via[], ipsA: readonly string[], findingsA: readonly Finding[],
  verdictB: Verdict, exitB: ExitMethod | null, snatB: number | null, viaB: readonly Via[], ipsB: readonly string[], findingsB: readonly Finding[],
): boolean {
  return verdictA === verdictB && exitA === exitB && snatA === snatB && viaA.length === viaB.length && viaA.every((v, i) => v.id === viaB[i]?.id) && sameList(ipsA, ipsB)
    && sameCodes(findingsA, findingsB);
}

/** The same finding codes, as multisets (no arrays built for the common case of at most one finding). */
function sameCodes(a: readonly Finding[], b: readonly Finding[]): boolean {
  if (a.length !== b.length) return false;
  if (a.length === 0) return true;
  if (a.length === 1) return a[0]?.code === b[0]?.code;
  return sameList(a.map((f) => f.code).sort(), b.map((f) => f.code).sort());
}

interface PlatformOwners {
  /** Subnet → the firewall whose data-path IP configuration sits in it. */
  readonly firewalls: ReadonlyMap<ResourceId, AzureFirewall>;
  /** Subnet → the firewall whose management IP configuration sits in it (forced-tunnel mode). */
  readonly managementFirewalls: ReadonlyMap<ResourceId, AzureFirewall>;
}

function platformOwners(index: ModelIndex): PlatformOwners {
  const firewalls = new Map<ResourceId, AzureFirewall>();
  const managementFirewalls = new Map<ResourceId, AzureFirewall>();
  for (const firewall of index.model.azureFirewalls) {
    for (const config of firewall.ipConfigurations) {
      if (config.subnetId && !firewalls.has(config.subnetId)) firewalls.set(config.subnetId, firewall);
    }
    const management = firewall.managementIpConfiguration?.subnetId;
    if (management && !managementFirewalls.has(management)) managementFirewalls.set(management, firewall);
  }
  return { firewalls, managementFirewalls };
}

const HYPOTHETICAL_CODES: ReadonlySet<string> = new Set(['no-outbound', 'default-outbound']);

/**
 * The subnet entry describes a NIC with no public IP of its own and no LB membership. When every
 * NIC in the subnet has its own entry, no NIC follows the subnet-level path: its no-outbound /
 * default-outbound finding is about a VM that does not exist yet, so it becomes `info`.
 */
function asHypothetical(path: EgressPath): EgressPath {
  const about = (f: Finding): boolean => HYPOTHETICAL_CODES.has(f.code) && f.resourceIds?.[0] === path.source.id;
  if (!path.findings.some(about)) return path;
  return {
    ...path,
    findings: path.findings.map((f) => (about(f) ? {
      ...f, severity: 'info' as const,
      message: `${f.message} No NIC here uses it today; a new VM without its own public IP or LB membership would ${f.code === 'no-outbound' ? 'have no way out' : 'use default outbound access'}.`,
    } : f)),
  };
}

/**
 * A subnet that holds only private endpoint NICs initiates nothing: private endpoints answer
 * inbound connections only [PE] https://learn.microsoft.com/azure/private-link/private-endpoint-overview,
 * so its default-outbound / no-outbound findings describe a VM that does not exist: `info`.
 */
function privateEndpointsOnly(path: EgressPath): EgressPath {
  const about = (f: Finding): boolean => HYPOTHETICAL_CODES.has(f.code) && f.resourceIds?.[0] === path.source.id;
  if (!path.findings.some(about)) return path;
  return {
    ...path,
    findings: path.findings.map((f) => (about(f) ? {
      ...f, severity: 'info' as const,
      message: `${f.message} The subnet holds only private endpoints, which initiate no outbound connections; a VM added here would be affected.`,
    } : f)),
  };
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The path of a source whose destination name does not resolve from its VNet (NXDOMAIN): it never connects. */
function notResolvedPath(subnet: Subnet, nic: NetworkInterface | null, dns: DnsStep): Walked {
  const trail = new Trail({ cidrs: [] });
  sourceStep(trail, subnet, nic);
  trail.add(dns);
  const zone = dns.zone ?? { id: subnet.virtualNetworkId, name: '' };
  return { trail, outcome: trail.end({ kind: 'name-not-resolved', name: dns.name, zone, link: dns.link ?? zone }) };
}

/**
 * The path of a source whose destination name's answer waits for a fact the snapshot lacks, where
 * the public path is not known to be the answer (a linked zone whose records were not read, a name
 * that may be NXDOMAIN, a record pointing at another resource's private endpoint): unknown, naming it.
 */
function undecidedDnsPath(subnet: Subnet, nic: NetworkInterface | null, dns: DnsStep, fact: DnsUndecided): Walked {
  const trail = new Trail({ cidrs: [] });
  sourceStep(trail, subnet, nic);
  trail.add(dns);
  return { trail, outcome: trail.end({ kind: 'undecided', resourceId: fact.resourceId, rule: fact.rule, missingFact: fact.missingFact, docs: fact.docs }) };
}

/** Azure DNS as a NIC's DNS servers may name it: the keyword or its virtual IP. */
const AZURE_DNS = new Set(['azureprovideddns', '168.63.129.16']);

/** Whether a NIC's own DNS servers (`dnsSettings.dnsServers`) replace Azure DNS for its VM. */
export function hasOwnDns(nic: NetworkInterface): boolean {
  return nic.dnsServers !== undefined && nic.dnsServers.some((s) => !AZURE_DNS.has(s.trim().toLowerCase()));
}

/** NICs of the subnet whose own DNS servers replace Azure DNS for their VM. */
function nicsWithOwnDns(index: ModelIndex, subnet: Subnet): readonly NetworkInterface[] {
  return (index.subnetNics.get(subnet.id) ?? []).filter(hasOwnDns);
}

/**
 * A NIC whose VM resolves names through DNS servers of its own: they replace the VNet's for that
 * VM [NICDNS], and what they answer (their forwarders and zones) is not in the snapshot, so the
 * name's answer for it is not known, whatever the VNet's Azure DNS answers (a record, NXDOMAIN).
 * The NIC gets an entry of its own; the subnet's speaks for its other VMs.
 */
function ownDnsPath(subnet: Subnet, nic: NetworkInterface, dns: DnsStep, name: string): Walked {
  const servers = (nic.dnsServers ?? []).join(', ');
  const note = `NIC ${nic.name} uses DNS servers of its own (${servers}), which replace the virtual network's for its VM`;
  return undecidedDnsPath(subnet, nic, { ...dns, resolution: 'unknown', addresses: [], zone: null, link: null, record: null, note }, {
    resourceId: nic.id as ResourceId, rule: `DNS servers of NIC ${nic.name}: ${servers}`,
    missingFact: `what ${name} resolves to through the DNS servers of NIC ${nic.name} (${servers}): they replace the virtual network's for its VM, and their forwarders and zones are not in the snapshot`,
    docs: 'https://learn.microsoft.com/azure/virtual-network/virtual-network-network-interface#change-dns-servers',
  });
}

/**
 * What one resolve shares between its sources: the destination plan, one engine context per way
 * the destination is evaluated (one for the estate, or one per way a host name resolves: a
 * context's caches assume one destination), and how the name resolves from each VNet.
 */
interface Session {
  readonly index: ModelIndex;
  readonly routes: RouteSetBuilder;
  readonly plan: DestinationPlan;
  readonly contexts: Map<string, EngineContext>;
  readonly byVnet: Map<string, NameResolutionPlan | null>;
  /** The context estate-wide gaps (unknown answers) are recorded in. */
  readonly estateContext: EngineContext;
  readonly owners: PlatformOwners;
  /** How the sources of a subnet start for this destination. */
  readonly start: (subnet: Subnet) => SubnetStart;
  /** A NIC's own answer when its DNS servers, not the VNet's, resolve the destination's name (see ownDnsPath); null otherwise. */
  readonly nicDnsStop: (subnet: Subnet, nic: NetworkInterface) => Walked | null;
}

/**
 * `walk`: the engine walks each source with this context. `stop`: the destination is not evaluated
 * from this subnet (or its name does not resolve there); the subnet path says why and its NICs get
 * no entries of their own. `none`: no path at all.
 */
type SubnetStart =
  | { readonly kind: 'walk'; readonly ctx: EngineContext }
  | { readonly kind: 'stop'; readonly walked: Walked }
  | { readonly kind: 'none' };

function unknownVnetReason(subnet: Subnet, name: string): string {
  return `the virtual network of ${subnet.name} is not in the snapshot, so how ${name} resolves there is unknown`;
}

function openSession(input: ResolveInput, options: ResolveOptions, recordSteps = true): Session {
  const index = modelIndex(input.model);
  const tags = input.serviceTags ? serviceTagIndex(input.serviceTags) : undefined;
  const routes = routeSetBuilder(index, input, tags);
  const plan = planDestination(options, tags);
  const port = plan.kind === 'not-evaluated' ? options.destinationPort ?? 443 : plan.info.port;
  const protocol = plan.kind === 'not-evaluated' ? options.protocol ?? 'Tcp' : plan.info.protocol;
  // A URL's scheme states the application protocol (application rules on other ports read it).
  const applicationProtocol = plan.kind === 'not-evaluated' ? undefined : plan.spec.applicationProtocol;
  const leftOut = leftOutResources(input.gaps, input.model, index);
  const contexts = new Map<string, EngineContext>();
  const contextFor = (key: string, destination: EgressDestination): EngineContext => {
    let found = contexts.get(key);
    if (!found) {
      const traffic: TrafficSpec = { destination, port, protocol, ...(applicationProtocol ? { applicationProtocol } : {}) };
      const flow: Flow = { destination: describeDestination(destination), protocol, port };
      found = newEngineContext(index, routes, traffic, flow, { serviceTags: tags, prelude: plan.kind === 'name' ? (subnet) => nameFrom(subnet)?.dns ?? null : undefined, recordSteps, leftOut });
      contexts.set(key, found);
    }
    return found;
  };
  const byVnet = new Map<string, NameResolutionPlan | null>();
  const nameFrom = (subnet: Subnet): NameResolutionPlan | null => {
    if (plan.kind !== 'name') return null;
    let found = byVnet.get(subnet.virtualNetworkId);
    if (found === undefined) {
      const vnet = index.subnetVirtualNetwork.get(subnet.id);
      found = vnet ? resolveNameFrom(index, vnet, plan) : null;
      byVnet.set(subnet.virtualNetworkId, found);
    }
    return found;
  };
  const fixed = plan.kind === 'fixed' ? contextFor('fixed', plan.destination) : null;
  const estateContext = fixed ?? contextFor('default', { kind: 'default-route' });
  const start = (subnet: Subnet): SubnetStart => {
    if (plan.kind === 'not-evaluated') return { kind: 'stop', walked: notEvaluatedPath(subnet, null, plan.reason) };
    let ctx = fixed;
    const resolution = nameFrom(subnet);
    if (plan.kind === 'name') {
      if (!resolution) return { kind: 'stop', walked: notEvaluatedPath(subnet, null, unknownVnetReason(subnet, plan.name)) };
      if (!resolution.destination) return { kind: 'stop', walked: notResolvedPath(subnet, null, resolution.dns) };
      if (resolution.undecided) return { kind: 'stop', walked: undecidedDnsPath(subnet, null, resolution.dns, resolution.undecided) };
      const address = resolution.destination.kind === 'name' ? resolution.destination.address : null;
      if (address?.version === 6 && resolution.dns.resolution !== 'private') {
        // The user's public answer is IPv6: an IPv6 flow, not modelled, like an IPv6 address given
        // directly (no IPv6 system routes, no default outbound access for IPv6 [IPV6]
        // https://learn.microsoft.com/azure/virtual-network/ip-services/ipv6-overview). VNets that
        // resolve the name privately (a linked privatelink zone) still walk to the private address.
        const label = `${plan.name} (${formatIp(address)})`;
        addGap(estateContext, { code: 'not-modelled', scope: label, message: `${label}: IPv6 egress (NAT gateway StandardV2, LB IPv6 outbound rules, no default outbound for IPv6) is not modelled.` });
        return { kind: 'stop', walked: notEvaluatedPath(subnet, null, `${plan.name} resolves to the IPv6 address ${formatIp(address)} here, and IPv6 egress is not modelled`) };
      }
      ctx = contextFor(resolution.key, resolution.destination);
    }
    return ctx ? { kind: 'walk', ctx } : { kind: 'none' };
  };
  const nicDnsStop = (subnet: Subnet, nic: NetworkInterface): Walked | null => {
    if (plan.kind !== 'name' || !hasOwnDns(nic)) return null;
    const resolution = nameFrom(subnet);
    // The user's --resolve answer is the user's statement for every resolver (as with custom DNS on the VNet).
    if (!resolution || resolution.dns.resolution === 'user') return null;
    return ownDnsPath(subnet, nic, resolution.dns, plan.name);
  };
  return { index, routes, plan, contexts, byVnet, estateContext, owners: platformOwners(index), start, nicDnsStop };
}

/** The most missing facts one resource's gap lists; the rest are counted (each unknown path's last hop names its own). */
const MISSING_FACTS_PER_GAP = 10;

/** Missing facts in words: one as it is, several numbered (the first MISSING_FACTS_PER_GAP, the rest counted). */
function missingFactsWords(messages: readonly string[]): string {
  const [first] = messages;
  if (messages.length === 1 && first !== undefined) return first;
  const listed = messages.slice(0, MISSING_FACTS_PER_GAP).map((m, i) => `(${i + 1}) ${m}`).join('; ');
  const more = messages.length - MISSING_FACTS_PER_GAP;
  return `${messages.length} missing facts here, each for the sources whose unknown path ends on it: ${listed}${more > 0 ? `; and ${more} more (each unknown path's last hop names its own)` : ''}`;
}

/**
 * Every gap of the resolve, once each; and every unknown answer's missing fact in the gap of the
 * resource its path stops at. A resource's gap may have been written by the walk for the first
 * source that stopped there: when other sources stop there for other facts (a firewall allowing
 * each subnet other names, a service endpoint policy naming its subnet), they are added to it, so
 * one source's fact never stands for another's path.
 */
function sessionGaps(session: Session, input: ResolveInput, terminals: readonly TerminalReason[]): Gap[] {
  const byResource = new Map<string, Map<string, string>>();
  for (const reason of terminals) {
    if (reason.kind !== 'undecided') continue;
    const facts = byResource.get(reason.resourceId) ?? new Map<string, string>();
    if (!facts.has(reason.missingFact)) facts.set(reason.missingFact, `${reason.rule}: ${reason.missingFact}`);
    byResource.set(reason.resourceId, facts);
  }
  const { plan, index, routes } = session;
  const contextGaps = [...session.contexts.values()].flatMap((c) => [...c.gaps.values()]);
  const gaps = dedupeGaps([...input.gaps, ...index.gaps, ...routes.gaps, ...contextGaps, ...(plan.kind === 'not-evaluated' ? [plan.gap] : [])]);
  if (byResource.size === 0) return gaps;
  const byScope = new Map<string, number[]>();
  gaps.forEach((gap, at) => {
    if (!byResource.has(gap.scope)) return;
    const list = byScope.get(gap.scope) ?? [];
    list.push(at);
    byScope.set(gap.scope, list);
  });
  for (const [scope, facts] of byResource) {
    const held = byScope.get(scope) ?? [];
    const unlisted = [...facts].filter(([fact]) => !held.some((at) => gaps[at]?.message.includes(fact))).map(([, words]) => words);
    if (unlisted.length === 0) continue;
    const at = held.find((i) => gaps[i]?.code === 'not-modelled');
    const gap = at === undefined ? undefined : gaps[at];
    if (at === undefined || gap === undefined) {
      gaps.push({ code: 'not-modelled', scope, message: missingFactsWords(unlisted) });
    } else {
      gaps[at] = { ...gap, message: `${gap.message} Other sources stop here for other facts: ${missingFactsWords(unlisted)}` };
    }
  }
  return gaps;
}

function sessionDestinationInfo(session: Session): DestinationInfo | null {
  const { plan } = session;
  return plan.kind === 'name' ? { ...plan.info, interpretation: nameInterpretation(plan.name, plan.info.interpretation, [...session.byVnet.values()]) } : plan.info;
}

/** Resolves internet egress for every subnet and every NIC whose path differs from its subnet's. */
export function resolveEgress(input: ResolveInput, options: ResolveOptions = {}): ResolveResult {
  const session = openSession(input, options);
  const { index, routes, plan, owners } = session;
  const paths: EgressPath[] = [];
  // Model order: the result is sorted at the end (and every cache is order-independent).
  const subnets = input.model.subnets;
  const seen = new Set<ResourceId>();
  for (const subnet of subnets) {
    if (seen.has(subnet.id) || (options.subnetIds && !options.subnetIds.has(subnet.id))) continue;
    seen.add(subnet.id);
    const start = session.start(subnet);
    if (start.kind === 'stop') {
      const at = paths.push(toPath(sourceOf(subnet, null), start.walked)) - 1;
      // A name the VNet's DNS does not answer usably: NICs with DNS servers of their own still differ.
      let own = 0;
      for (const nic of nicsWithOwnDns(index, subnet)) {
        const walked = options.nicIds && !options.nicIds.has(nic.id) ? null : session.nicDnsStop(subnet, nic);
        if (!walked) continue;
        paths.push(toPath(sourceOf(subnet, nic), walked));
        own += 1;
      }
      const all = index.subnetNics.get(subnet.id) ?? [];
      if (all.length > 0 && own === all.length) paths[at] = asHypothetical(paths[at] as EgressPath);
    }
    if (start.kind !== 'walk') continue;
    const { ctx } = start;
    const subnetPath = toPath(sourceOf(subnet, null), resolveSubnet(ctx, subnet, owners));
    const at = paths.push(subnetPath) - 1;
    if (owners.firewalls.has(subnet.id)) continue;
    // Only NICs that may differ (found while indexing); the final sort orders them.
    let ownEntries = 0;
    for (const nic of nicsWithOwnEntry(index, routes, subnet)) {
      if (options.nicIds && !options.nicIds.has(nic.id)) continue;
      const nicPath = toPath(sourceOf(subnet, nic), session.nicDnsStop(subnet, nic) ?? resolveSource(ctx, subnet, nic, null));
      if (samePath(nicPath, subnetPath)) continue;
      paths.push(nicPath);
      ownEntries += 1;
    }
    const nics = index.subnetNics.get(subnet.id) ?? [];
    if (nics.length > 0 && nics.every((n) => n.privateEndpointId)) paths[at] = privateEndpointsOnly(subnetPath);
    else if (nics.length > 0 && ownEntries === nics.length) paths[at] = asHypothetical(subnetPath);
  }
  const terminals = paths.map((p) => terminalOf(p.steps).reason);
  if (options.sorted !== false) paths.sort((a, b) => compareIds(a.source.id, b.source.id) || compareIds(a.source.type, b.source.type));
  const estate = plan.kind !== 'not-evaluated' && options.estateFindings !== false ? estateFindings(index, routes, paths, input.metrics) : null;
  // After the estate findings: they read subnets' route sets (secured-hub-nat-gateway), whose gaps
  // (a service-tag route, say) then belong to this answer too, not only to the next one.
  const gaps = sessionGaps(session, input, terminals);
  const findings = estate ? estate.findings : plan.kind === 'not-evaluated' && plan.finding ? [plan.finding] : [];
  const withResourceFindings = estate && estate.byResource.size > 0 ? paths.map((p) => attachResourceFindings(p, estate.byResource)) : paths;
  const destinationInfo = sessionDestinationInfo(session);
  return { schema: RESOLVE_SCHEMA, destination: plan.label, ...(destinationInfo ? { destinationInfo } : {}), paths: withResourceFindings, findings, gaps };
}

// ---------------------------------------------------------------------------------------------
// Verdicts only (the destinations matrix)

/**
 * The sources of a matrix, fixed once for every destination: each subnet (model order) and, after
 * it, the NICs that get an entry of their own, as resolveEgress walks them.
 */
export interface VerdictSources {
  readonly sources: readonly PathSource[];
  /** Per source: its subnet, and its NIC (null for the subnet entry). */
  readonly subnets: readonly Subnet[];
  readonly nics: readonly (NetworkInterface | null)[];
  /** Per source: the index of its subnet's entry (itself for a subnet). */
  readonly subnetRow: readonly number[];
}

/** One source's answer as the matrix shows it: exactly the path's verdict, exit, appliances and egress IPs. */
export interface SourceVerdict {
  readonly verdict: Verdict;
  readonly exit: ExitMethod | null;
  readonly via: readonly string[];
  readonly egressIps: readonly string[];
  /** Its number in its interner (0, 1, 2, ...): callers index arrays by it. */
  readonly id: number;
}

export interface VerdictColumn {
  /** Per source (same order as VerdictSources.sources); equal answers share one object. */
  readonly verdicts: readonly SourceVerdict[];
  readonly gaps: readonly Gap[];
  readonly destinationInfo: DestinationInfo | null;
  /** Per source: whether the source has a path of its own (a NIC that differs from its subnet's); subnets always do. */
  readonly own: readonly boolean[];
}

/**
 * The work list of `verdictColumn`: every subnet and the NICs that may differ from it (only those
 * in `nicIds` when given), in the order resolveEgress walks them.
 */
export function verdictSources(input: ResolveInput, nicIds?: ReadonlySet<string>): VerdictSources {
  const index = modelIndex(input.model);
  const routes = routeSetBuilder(index, input, input.serviceTags ? serviceTagIndex(input.serviceTags) : undefined);
  const owners = platformOwners(index);
  const sources: PathSource[] = [];
  const subnets: Subnet[] = [];
  const nics: (NetworkInterface | null)[] = [];
  const subnetRow: number[] = [];
  const seen = new Set<ResourceId>();
  for (const subnet of input.model.subnets) {
    if (seen.has(subnet.id)) continue;
    seen.add(subnet.id);
    const row = sources.push(sourceOf(subnet, null)) - 1;
    subnets.push(subnet);
    nics.push(null);
    subnetRow.push(row);
    if (owners.firewalls.has(subnet.id)) continue;
    for (const nic of nicsWithOwnEntry(index, routes, subnet)) {
      if (nicIds && !nicIds.has(nic.id)) continue;
      sources.push(sourceOf(subnet, nic));
      subnets.push(subnet);
      nics.push(nic);
      subnetRow.push(row);
    }
  }
  return { sources, subnets, nics, subnetRow };
}

interface InternNode {
  value: SourceVerdict | null;
  readonly next: Map<unknown, InternNode>;
}

const NOTHING = {};

/**
 * Equal answers share one object (a matrix of 30,000 sources has a handful of distinct answers per
 * destination). Keyed level by level on the verdict, exit, egress IP list (by identity: the exit's
 * shared list) and each appliance ID, so no key string is built per source.
 */
export class VerdictInterner {
  private readonly root: InternNode = { value: null, next: new Map() };
  private count = 0;

  /** How many distinct answers so far (ids are below this). */
  get size(): number {
    return this.count;
  }

  private static step(node: InternNode, key: unknown): InternNode {
    let found = node.next.get(key);
    if (!found) {
      found = { value: null, next: new Map() };
      node.next.set(key, found);
    }
    return found;
  }

  of(verdict: Verdict, exit: ExitMethod | null, via: readonly Via[], egressIps: readonly string[]): SourceVerdict {
    let node = VerdictInterner.step(VerdictInterner.step(this.root, verdict), exit ?? NOTHING);
    node = VerdictInterner.step(node, egressIps.length === 0 ? NOTHING : egressIps);
    for (const v of via) node = VerdictInterner.step(node, v.id);
    node.value ??= { verdict, exit, via: via.map((v) => v.id), egressIps, id: this.count++ };
    return node.value;
  }
}

/**
 * One destination for every source of `sources`, reduced to what the matrix shows. The same walks
 * as resolveEgress (same engine, same contexts, same order, so the same gaps); only the parts a
 * verdict does not need are skipped: no path objects, no sort, no estate findings. A NIC whose
 * subnet is not walked (destination not evaluated, name not resolved) answers as its subnet, as
 * resolveEgress's missing NIC entry means.
 */
export function verdictColumn(
  input: ResolveInput, options: VerdictOptions, sources: VerdictSources,
  interner: VerdictInterner = new VerdictInterner(),
): VerdictColumn {
  const [column] = verdictColumns(input, [options], sources, interner);
  if (!column) throw new Error('verdictColumns returned no column');
  return column;
}

export type VerdictOptions = Pick<ResolveOptions, 'destination' | 'destinationPort' | 'protocol' | 'resolve'>;

/** One destination's walk state while the sources are visited. */
interface ColumnState {
  readonly session: Session;
  readonly verdicts: SourceVerdict[];
  readonly own: boolean[];
  /** The unknown answers in resolveEgress's path order (a NIC's only when it has an entry of its own): they add gaps in that order. */
  readonly undecided: TerminalReason[];
  subnetStart: SubnetStart;
  subnetWalk: Walked | null;
}

/**
 * verdictColumn for several destinations at once, source by source: each source is walked for
 * every destination before the next source, so what the walks read about it (its subnet's routes,
 * VNet, NAT gateway, public IPs) is read while it is still in the processor's caches. Each
 * destination keeps its own session, and sees the sources in the same order as alone: the
 * answers and the gaps are those of verdictColumn for each destination.
 */
export function verdictColumns(
  input: ResolveInput, destinations: readonly VerdictOptions[], sources: VerdictSources,
  interner: VerdictInterner = new VerdictInterner(),
): VerdictColumn[] {
  const count = sources.sources.length;
  // Verdicts only: the walks record no steps (the same walks; only their explanations are left out).
  const states: ColumnState[] = destinations.map((options) => ({
    session: openSession(input, options, false),
    verdicts: new Array<SourceVerdict>(count),
    own: new Array<boolean>(count).fill(false),
    undecided: [],
    subnetStart: { kind: 'none' },
    subnetWalk: null,
  }));
  const answer = (walked: Walked): SourceVerdict => interner.of(verdictOf(walked.outcome.terminal), walked.outcome.exit, walked.trail.via, walked.outcome.egressIps);
  const nothing = interner.of('unknown', null, [], []);
  for (let i = 0; i < count; i++) {
    const subnet = sources.subnets[i] as Subnet;
    const nic = sources.nics[i] ?? null;
    const subnetRow = sources.subnetRow[i] ?? i;
    for (const state of states) {
      if (!nic) {
        state.own[i] = true;
        const start = state.session.start(subnet);
        const walk = start.kind === 'walk' ? resolveSubnet(start.ctx, subnet, state.session.owners) : start.kind === 'stop' ? start.walked : null;
        state.subnetStart = start;
        state.subnetWalk = walk;
        if (walk?.outcome.terminal.kind === 'undecided') state.undecided.push(walk.outcome.terminal);
        state.verdicts[i] = walk ? answer(walk) : nothing;
        continue;
      }
      const subnetAnswer = state.verdicts[subnetRow] as SourceVerdict;
      const start = state.subnetStart;
      const dnsStop = state.session.nicDnsStop(subnet, nic);
      if (dnsStop) {
        // Its DNS servers, not the VNet's, answer the name: its own answer (as resolveEgress gives it).
        state.own[i] = true;
        if (dnsStop.outcome.terminal.kind === 'undecided') state.undecided.push(dnsStop.outcome.terminal);
        state.verdicts[i] = answer(dnsStop);
        continue;
      }
      if (start.kind !== 'walk' || !state.subnetWalk) {
        state.verdicts[i] = subnetAnswer;
        continue;
      }
      const walked = resolveSource(start.ctx, subnet, nic, null);
      if (sameWalk(walked, state.subnetWalk)) {
        // Same verdict, exit, appliances and egress IPs as the subnet's (samePath): the subnet's answer.
        state.verdicts[i] = subnetAnswer;
        continue;
      }
      state.own[i] = true;
      if (walked.outcome.terminal.kind === 'undecided') state.undecided.push(walked.outcome.terminal);
      state.verdicts[i] = answer(walked);
    }
  }
  return states.map((state) => ({
    verdicts: state.verdicts, own: state.own,
    gaps: sessionGaps(state.session, input, state.undecided),
    destinationInfo: sessionDestinationInfo(state.session),
  }));
}

/** "resolved privately from 2 VNets (privatelink.blob.core.windows.net), publicly from 5". */
function nameInterpretation(name: string, base: string, resolutions: readonly (NameResolutionPlan | null)[]): string {
  const count = (kind: DnsStep['resolution']): number => resolutions.filter((r) => r?.dns.resolution === kind).length;
  const zones = [...new Set(resolutions.flatMap((r) => (r?.dns.resolution === 'private' && r.dns.zone ? [r.dns.zone.name] : [])))];
  const parts = [
    count('private') > 0 ? `privately from ${count('private')} VNet(s) (${zones.join(', ')})` : '',
    count('public') > 0 ? `publicly from ${count('public')} VNet(s) (address not known: the default route is used)` : '',
    count('user') > 0 ? `to the given address from ${count('user')} VNet(s)` : '',
    count('not-resolved') > 0 ? `not at all from ${count('not-resolved')} VNet(s) (NXDOMAIN)` : '',
    count('unknown') > 0 ? `in a way the snapshot cannot tell from ${count('unknown')} VNet(s)` : '',
  ].filter((p) => p !== '');
  return `${base}; ${name} resolves ${parts.join(', ')}`;
}

/** Adds resource findings (e.g. SNAT exhaustion of a NAT gateway) to every path that passes the resource. */
function attachResourceFindings(path: EgressPath, byResource: ReadonlyMap<string, readonly Finding[]>): EgressPath {
  const extra = path.steps.flatMap((step) => stepResourceIds(step).flatMap((id) => byResource.get(id) ?? []));
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

/**
 * Which outbound method SNATs internet traffic when the winning route's next hop is `Internet`,
 * in Azure's precedence: NAT gateway > instance-level public IP > LB outbound rule > LB-rule
 * implicit SNAT > Basic public LB > default outbound access > none [NATOV][LBOUT][DOA]
 * https://learn.microsoft.com/azure/nat-gateway/nat-overview#outbound-connectivity
 */
import { innerMap } from '../model/cache';
import { compareIds, isNetworkInterfaceId, nameFromResourceId, parentResourceId, parseResourceId, scaleSetInstanceOfNic } from '../model/ids';
import type { ResourceId } from '../model/ids';
import { parseCidr } from '../model/ip';
import { sendsAsVm, type BackendPoolRef, type ModelIndex } from '../model/model-index';
import type {
  AvailabilitySetMembers, AzureFirewall, LoadBalancer, LoadBalancerBackendPool, LoadBalancingRule, NatGateway, NetworkInterface,
  NicIpConfiguration, OutboundRule, PublicIpAddress, Subnet, VirtualNetworkGateway,
} from '../model/topology';
import { DELEGATION_DOCS, serviceManagedOutbound, standardV2UnsupportedServices } from './delegation';
import { DOCS } from './docs';
import { protocolCovers, type FlowProtocol } from './load-balancer';
import { isPlatformSubnet } from './platform';
import type { Step } from './steps';

/** Who sends the packet out of the subnet. */
export type Sender =
  /** The subnet entry: a NIC with no public IP and no load balancer membership. */
  | { readonly kind: 'subnet' }
  | { readonly kind: 'nic'; readonly nic: NetworkInterface; readonly ipConfiguration: NicIpConfiguration | null }
  | { readonly kind: 'firewall'; readonly firewall: AzureFirewall }
  /** The firewall's management NIC in AzureFirewallManagementSubnet (forced-tunnel mode) [FWFT]. */
  | { readonly kind: 'firewall-management'; readonly firewall: AzureFirewall }
  /** The gateway instances in GatewaySubnet: every gateway whose IP configuration sits in this VNet. */
  | { readonly kind: 'gateway'; readonly gateways: readonly VirtualNetworkGateway[] };

export type OutboundMethod =
  | { readonly kind: 'nat-gateway'; readonly natGatewayId: ResourceId; readonly natGateway: NatGateway | null }
  | { readonly kind: 'instance-public-ip'; readonly publicIpAddressId: ResourceId; readonly publicIp: PublicIpAddress | null }
  | { readonly kind: 'firewall-public-ip'; readonly firewall: AzureFirewall; readonly publicIpAddressIds: readonly ResourceId[] }
  /** Azure-managed instances (gateway, firewall management NIC) sending from their own public IPs. */
  | { readonly kind: 'platform-public-ip'; readonly owner: 'gateway' | 'firewall-management'; readonly ownerId: ResourceId; readonly ownerName: string; readonly publicIpAddressIds: readonly ResourceId[] }
  | { readonly kind: 'lb-outbound-rule'; readonly loadBalancer: LoadBalancer; readonly rule: OutboundRule; readonly pool: LoadBalancerBackendPool }
  /**
   * Implicit SNAT of the load-balancing rules (disableOutboundSnat = false) that send to the pools
   * of one load balancer the IP configuration is in: every such rule's frontend is a candidate, used
   * at the same time [LBOUT]. `rules` is never empty, in ID order, and the same array for the same
   * pools, protocol and IP version (an exit key). `pools`: the pools those rules send to, by ID;
   * `pool` the first of them.
   */
  | { readonly kind: 'lb-rule-snat'; readonly loadBalancer: LoadBalancer; readonly rules: readonly LoadBalancingRule[]; readonly pool: LoadBalancerBackendPool; readonly pools: readonly LoadBalancerBackendPool[] }
  | { readonly kind: 'lb-basic'; readonly loadBalancer: LoadBalancer; readonly pool: LoadBalancerBackendPool }
  /**
   * `nic-allocated`: the subnet is private, but the NIC still reports a default outbound IP
   * (`defaultOutboundConnectivityEnabled` = true): its VM was not stopped and deallocated since [DOA].
   */
  | { readonly kind: 'default-outbound'; readonly reason: 'allowed' | 'nic-allocated' }
  | { readonly kind: 'none'; readonly reason: string }
  /**
   * What the traffic uses is not documented for this configuration (or rests on a fact the input
   * lacks): the path ends unknown, naming the missing fact, never a guessed exit.
   * `misconfiguration`: a configuration error to report with it (an `error` finding), if any.
   * `verify`: the command that shows the missing fact, when the resource's own record does not.
   */
  | { readonly kind: 'undecided'; readonly resourceId: ResourceId; readonly rule: string; readonly missingFact: string; readonly docs: string; readonly misconfiguration: string | null; readonly verify?: string };

export type TransportProtocol = FlowProtocol;

/**
 * The IP version of the flow (of its destination). Public IPs, prefixes and frontends carry one
 * version each, and a flow leaves only from an address of its own version: "IPv4 outbound traffic
 * uses the NAT gateway, and IPv6 outbound traffic uses the load balancer" (azure-docs
 * articles/nat-gateway/tutorial-dual-stack-outbound-nat-load-balancer.md).
 */
export type FlowIpVersion = 'IPv4' | 'IPv6';

/** Troubleshooting NAT gateway: "NAT gateway isn't operational until a public IP and subnet attached". */
const NAT_TROUBLESHOOT = 'https://learn.microsoft.com/azure/nat-gateway/troubleshoot-nat-connectivity';

export const SNAT_PORTS_PER_IP = 64_512;
/**
 * "Azure Firewall provides 2,496 SNAT ports per public IP address configured per backend virtual
 * machine scale set instance (Minimum of two instances)" (articles/firewall/integrate-with-nat-gateway.md).
 * The instance count is not in any input and grows as the firewall scales out
 * (articles/firewall/firewall-performance.md), so ports × IPs × FIREWALL_MIN_INSTANCES is a floor,
 * shown as "at least" wherever it appears (snatCapacityOf).
 */
export const FIREWALL_SNAT_PORTS_PER_IP_PER_INSTANCE = 2_496;
export const FIREWALL_MIN_INSTANCES = 2;

/** The fewest SNAT ports a firewall with `publicIps` public IPs has: two instances' worth (see above). */
export function firewallMinimumSnatPorts(publicIps: number): number {
  return publicIps * FIREWALL_SNAT_PORTS_PER_IP_PER_INSTANCE * FIREWALL_MIN_INSTANCES;
}

/** The configuration that sends: the primary IPv4 configuration (LB outbound rules use only that one [LBRULES]). */
export function primaryIpConfiguration(nic: NetworkInterface): NicIpConfiguration | null {
  return nic.ipConfigurations.find((c) => c.primary && c.privateIpAddressVersion === 'IPv4')
    ?? nic.ipConfigurations.find((c) => c.privateIpAddressVersion === 'IPv4')
    ?? nic.ipConfigurations[0] ?? null;
}

/**
 * Whether a public IP / prefix (by ID) has the flow's version. One that is not in the input has
 * an unknown version: it is kept (its absence is already a missing-reference gap, and it is shown
 * by name), as before versions were compared.
 */
function pipHasVersion(index: ModelIndex, id: ResourceId, version: FlowIpVersion): boolean {
  return (index.publicIpAddresses.get(id)?.version ?? version) === version;
}

function prefixHasVersion(index: ModelIndex, id: ResourceId, version: FlowIpVersion): boolean {
  return (index.publicIpPrefixes.get(id)?.version ?? version) === version;
}

/**
 * The NAT gateway's public IPs and prefixes of the flow's version. ARM lists them apart:
 * `publicIpAddresses` / `publicIpPrefixes` "V4", `publicIpAddressesV6` / `publicIpPrefixesV6` "V6"
 * (Microsoft.Network/natGateways REST schema, 2025-01-01; a Standard gateway is IPv4-only [NATRES]).
 * The resource's own version decides when the input has it; else the list that names it does, so
 * an address of the V6 list the input lacks is never taken for the flow's IPv4 one.
 */
function natGatewayAddresses(index: ModelIndex, nat: NatGateway, version: FlowIpVersion): { readonly ips: readonly ResourceId[]; readonly prefixes: readonly ResourceId[] } {
  // The V6 lists are short (16 addresses at most [NATRES]): `includes`, no set built per call.
  return {
    ips: nat.publicIpAddressIds.filter((id) => (index.publicIpAddresses.get(id)?.version ?? (nat.publicIpAddressV6Ids?.includes(id) ? 'IPv6' : 'IPv4')) === version),
    prefixes: nat.publicIpPrefixIds.filter((id) => (index.publicIpPrefixes.get(id)?.version ?? (nat.publicIpPrefixV6Ids?.includes(id) ? 'IPv6' : 'IPv4')) === version),
  };
}

/** A public frontend that can carry the flow: its public IP or prefix has the flow's version [LBRULES]. */
function frontendServes(index: ModelIndex, f: LoadBalancer['frontendIpConfigurations'][number], version: FlowIpVersion | undefined): boolean {
  if (version === undefined) return f.publicIpAddressId !== null || f.publicIpPrefixId !== null;
  return (f.publicIpAddressId !== null && pipHasVersion(index, f.publicIpAddressId, version))
    || (f.publicIpPrefixId !== null && prefixHasVersion(index, f.publicIpPrefixId, version));
}

/**
 * Whether the load balancer (or the given frontends) is public; with `version`, public for that IP
 * version: an IPv6 frontend SNATs IPv6 flows only, so an IPv6-only outbound rule gives IPv4
 * traffic nothing (dual-stack: "IPv6 outbound traffic uses the load balancer", tutorial above).
 */
function isPublicLoadBalancer(index: ModelIndex, lb: LoadBalancer, frontendIds?: readonly ResourceId[], version?: FlowIpVersion): boolean {
  return lb.frontendIpConfigurations.some((f) => (frontendIds === undefined || frontendIds.includes(f.id)) && frontendServes(index, f, version));
}

/**
 * Whether a load balancer rule's protocol (`Tcp`, `Udp`, `All`) covers the traffic: "the automatic
 * outbound NAT provided matches the transport protocol of the load-balancing rule", and outbound
 * rules name their own protocol [LBRULES] https://learn.microsoft.com/azure/load-balancer/outbound-rules#scenario6out
 * An `Unknown` protocol covers nothing: no SNAT is claimed on a guess.
 */
const ruleProtocolCovers = protocolCovers;

function loadBalancerMethod(index: ModelIndex, config: NicIpConfiguration, protocol: TransportProtocol, version: FlowIpVersion): OutboundMethod | null {
  // Membership from both sides (the NIC's pool list and the LB pool's member list), sorted by pool ID.
  const pools = index.poolsOfIpConfiguration(config);
  // Only Standard load balancers program outbound rules and load-balancing-rule SNAT; an `Unknown`
  // SKU claims nothing. The rule whose frontends have the flow's IP version carries it, whatever the
  // order of the rules. Every pool the configuration is in counts, not the first by ID.
  const dangling = danglingFrontendRule(index, pools, protocol, version);
  if (dangling) {
    const { loadBalancer, pool, rule, what, frontendId } = dangling;
    return {
      kind: 'undecided', resourceId: frontendId, rule: `${what} ${rule.name} of load balancer ${loadBalancer.name}: frontend ${nameFromResourceId(frontendId)} not in the input`,
      docs: DOCS.lbOutboundRules, misconfiguration: null,
      missingFact: `frontend ${nameFromResourceId(frontendId)} of load balancer ${loadBalancer.name}, which ${what} ${rule.name} for backend pool ${pool.name} (IP configuration ${config.name} is a member) uses but the load balancer in the input does not list: whether it is public and which public IPs ${protocolText(protocol)} traffic leaves from depend on it`,
    };
  }
  const standard = pools.filter(({ loadBalancer }) => loadBalancer.skuName === 'Standard');
  const outbound = standard.flatMap(({ loadBalancer, pool }) => loadBalancer.outboundRules
    .filter((r) => r.backendAddressPoolId === pool.id && ruleProtocolCovers(r.protocol, protocol) && isPublicLoadBalancer(index, loadBalancer, r.frontendIpConfigurationIds, version))
    .map((rule) => ({ loadBalancer, pool, rule })));
  const [first, second] = outbound;
  if (first && !second) return { kind: 'lb-outbound-rule', ...first };
  if (first && second) {
    // "An outbound rule configures outbound NAT for all virtual machines identified by the backend
    // pool to be translated to the frontend" [LBRULES]: two rules (two pools of the configuration, or
    // one pool named twice) would each translate it to their own frontends. Azure documents one rule
    // per pool ("Two rules where backend pool 1 uses both blue IP addresses, and backend pool 2 uses
    // the yellow IP prefix"), not which rule, or whether both, a member of both pools leaves through.
    const names = outbound.map((o) => `${o.rule.name} (load balancer ${o.loadBalancer.name}, pool ${o.pool.name}, frontend IPs ${frontendEgress(index, o.loadBalancer, o.rule.frontendIpConfigurationIds, version).join(', ')})`);
    return {
      kind: 'undecided', resourceId: first.rule.id, rule: `Outbound rules ${outbound.map((o) => o.rule.name).join(' and ')} for IP configuration ${config.name}`,
      docs: DOCS.lbOutboundRules, misconfiguration: null,
      missingFact: `which public IPs ${protocolText(protocol)} traffic from IP configuration ${config.name} leaves from: outbound rules ${names.join(' and ')} each cover it, and Azure documents neither which of several outbound rules applies to a backend pool member nor that they are used together`,
    };
  }
  const snat = standard.flatMap(({ loadBalancer, pool }) => (snatRulesOfPool(index, loadBalancer, pool, protocol, version) ? [{ loadBalancer, pool }] : []));
  const firstSnat = snat[0];
  if (firstSnat) {
    const other = snat.find((s) => s.loadBalancer !== firstSnat.loadBalancer);
    if (other) {
      // "Standard Load Balancer uses all candidates for outbound flows at the same time when
      // multiple (public) IP frontends is present" [LBOUT] speaks of one load balancer's frontends;
      // pools of two public load balancers, each programming SNAT for the configuration, are not
      // documented.
      return {
        kind: 'undecided', resourceId: other.loadBalancer.id, rule: `Load-balancing-rule SNAT of load balancers ${firstSnat.loadBalancer.name} and ${other.loadBalancer.name} for IP configuration ${config.name}`,
        docs: DOCS.lbOutboundConnections, misconfiguration: null,
        missingFact: `which public IPs ${protocolText(protocol)} traffic from IP configuration ${config.name} leaves from: it is in backend pool ${firstSnat.pool.name} of Standard public load balancer ${firstSnat.loadBalancer.name} and pool ${other.pool.name} of ${other.loadBalancer.name}, whose load-balancing rules both program outbound SNAT for it; Azure documents the frontends of one load balancer as candidates used at the same time, not those of two`,
      };
    }
    const snatPools = snat.map((s) => s.pool);
    const rules = snatRulesOfPools(index, firstSnat.loadBalancer, snatPools, protocol, version);
    if (rules) return { kind: 'lb-rule-snat', loadBalancer: firstSnat.loadBalancer, rules, pool: firstSnat.pool, pools: snatPools };
  }
  for (const { loadBalancer, pool } of pools) {
    if (loadBalancer.skuName !== 'Basic' || !isPublicLoadBalancer(index, loadBalancer, undefined, version)) continue;
    if (basicRuleFrontends(loadBalancer, pool).length > 0) return { kind: 'lb-basic', loadBalancer, pool };
    // No load-balancing rule links a frontend to the pool. The 2019 outbound-connections article:
    // "The Load Balancer resource must be configured with a load balancer rule to create a link
    // between the public IP frontend with the backend pool. If you do not complete this rule
    // configuration, the behavior is as described in the scenario for Standalone VM with no Public
    // IP" (default outbound); the default-outbound article lists "the backend pool of a basic public
    // load balancer" as explicit outbound, rule or not [DOA]. The documents disagree: not known.
    return {
      kind: 'undecided', resourceId: loadBalancer.id, rule: `Basic public load balancer ${loadBalancer.name}: pool ${pool.name} without a load-balancing rule`,
      docs: DOCS.lbOutboundConnections, misconfiguration: null,
      missingFact: `whether IP configuration ${config.name} in backend pool ${pool.name} of Basic public load balancer ${loadBalancer.name}, which no load-balancing rule uses, leaves from the load balancer's frontend IP or behaves as a VM without a load balancer (default outbound access, or nothing in a private subnet): Microsoft's outbound-connections article (2019) says the latter, its default-outbound-access article counts any basic public load balancer pool as explicit outbound`,
    };
  }
  return null;
}

/** A rule naming a frontend its load balancer (as the input holds it) does not list (danglingFrontendRule). */
interface DanglingFrontendRule {
  readonly loadBalancer: LoadBalancer;
  readonly pool: LoadBalancerBackendPool;
  readonly rule: { readonly name: string };
  /** `outbound rule` or `load-balancing rule`. */
  readonly what: string;
  readonly frontendId: ResourceId;
}

/**
 * A rule that could give a pool member outbound SNAT (an outbound rule of the pool, or a
 * load-balancing rule of the pool without disableOutboundSnat, for the flow's protocol) naming a
 * frontend its load balancer, as the input holds it, does not list. A rule names frontends of its
 * own load balancer ("frontendIPConfiguration: A reference to frontend IP addresses",
 * https://learn.microsoft.com/rest/api/load-balancer/load-balancers/get#loadbalancingrule), so the
 * frontend exists and the export lost it: read as absent, a public load balancer would pass for an
 * internal one (no outbound) or give fewer egress IPs. Only a frontend that may serve the flow's IP
 * version counts: one a public IP of the input shows to be of the other version SNATs nothing for
 * this flow (frontendServes), so it cannot make the flow's answer unknown. First in pool, then rule ID order; null when none.
 */
function danglingFrontendRule(index: ModelIndex, pools: readonly BackendPoolRef[], protocol: TransportProtocol, version: FlowIpVersion): DanglingFrontendRule | null {
  for (const { loadBalancer, pool } of pools) {
    const listed = (id: ResourceId): boolean => loadBalancer.frontendIpConfigurations.some((f) => f.id === id);
    const ofVersion = (rule: { readonly frontendIpConfigurationIds: readonly ResourceId[] }): ResourceId | undefined => rule.frontendIpConfigurationIds
      .find((id) => !listed(id) && (unlistedFrontendVersion(index, id) ?? version) === version);
    const outbound = loadBalancer.outboundRules.filter((r) => r.backendAddressPoolId === pool.id && ruleProtocolCovers(r.protocol, protocol)).sort((a, b) => compareIds(a.id, b.id));
    for (const rule of outbound) {
      const frontendId = ofVersion(rule);
      if (frontendId !== undefined) return { loadBalancer, pool, rule, what: 'outbound rule', frontendId };
    }
    const balancing = loadBalancer.loadBalancingRules.filter((r) => !r.disableOutboundSnat && r.backendAddressPoolIds.includes(pool.id) && ruleProtocolCovers(r.protocol, protocol)).sort((a, b) => compareIds(a.id, b.id));
    for (const rule of balancing) {
      const frontendId = ofVersion(rule);
      if (frontendId !== undefined) return { loadBalancer, pool, rule, what: 'load-balancing rule', frontendId };
    }
  }
  return null;
}

/**
 * The IP version of a frontend its load balancer (as the input holds it) does not list, as far as
 * the input shows it: a public IP whose ipConfiguration names it. Null when not known; the rule's
 * other frontends say nothing of it (an outbound rule may name several).
 */
function unlistedFrontendVersion(index: ModelIndex, frontendId: ResourceId): FlowIpVersion | null {
  for (const pip of index.publicIpAddresses.values()) if (pip.ipConfigurationId === frontendId) return pip.version;
  return null;
}

/**
 * The load-balancing rules that program implicit SNAT for the pool (disableOutboundSnat = false,
 * the flow's protocol, a public frontend of the flow's IP version), in ID order; null when none.
 * All of them count: "Standard Load Balancer uses all candidates for outbound flows at the same
 * time when multiple (public) IP frontends is present. Each frontend multiplies the number of
 * available preallocated SNAT ports if a load balancing rule is enabled for outbound connections"
 * (load-balancer-outbound-connections.md, 2019), and the default allocation is "MIN(# of default
 * SNAT ports provided based on pool size * number of frontend IPs associated with the pool, 1024)"
 * (same article, 2023) [LBOUT]. The array is kept per pool, protocol and version: the engine keys
 * its exit steps on it.
 */
const snatRulesCache = new WeakMap<LoadBalancerBackendPool, Map<string, readonly LoadBalancingRule[] | null>>();

function snatRulesOfPool(index: ModelIndex, loadBalancer: LoadBalancer, pool: LoadBalancerBackendPool, protocol: TransportProtocol, version: FlowIpVersion): readonly LoadBalancingRule[] | null {
  const byKey = innerMap(snatRulesCache, pool);
  const key = `${loadBalancer.id}|${protocol}|${version}`;
  let rules = byKey.get(key);
  if (rules === undefined) {
    const found = loadBalancer.loadBalancingRules.filter((r) => !r.disableOutboundSnat && r.backendAddressPoolIds.includes(pool.id) && ruleProtocolCovers(r.protocol, protocol)
      && isPublicLoadBalancer(index, loadBalancer, r.frontendIpConfigurationIds, version)).sort((a, b) => compareIds(a.id, b.id));
    rules = found.length > 0 ? found : null;
    byKey.set(key, rules);
  }
  return rules;
}

/**
 * The SNAT rules of several pools of one load balancer that an IP configuration is in, merged (no
 * duplicates, ID order): every rule programs SNAT for the member, so every frontend is a candidate,
 * "used at the same time" [LBOUT]. One pool: its own array. Kept per load balancer, pools, protocol
 * and version, so equal answers share one array (the exit key).
 */
const pooledSnatRulesCache = new WeakMap<LoadBalancer, Map<string, readonly LoadBalancingRule[] | null>>();

function snatRulesOfPools(index: ModelIndex, loadBalancer: LoadBalancer, pools: readonly LoadBalancerBackendPool[], protocol: TransportProtocol, version: FlowIpVersion): readonly LoadBalancingRule[] | null {
  const [only, second] = pools;
  if (!only) return null;
  if (!second) return snatRulesOfPool(index, loadBalancer, only, protocol, version);
  const byKey = innerMap(pooledSnatRulesCache, loadBalancer);
  const key = `${pools.map((p) => p.id).join(',')}|${protocol}|${version}`;
  let rules = byKey.get(key);
  if (rules === undefined) {
    const byId = new Map<ResourceId, LoadBalancingRule>();
    for (const pool of pools) for (const r of snatRulesOfPool(index, loadBalancer, pool, protocol, version) ?? []) byId.set(r.id, r);
    const found = [...byId.values()].sort((a, b) => compareIds(a.id, b.id));
    rules = found.length > 0 ? found : null;
    byKey.set(key, rules);
  }
  return rules;
}

/** `TCP`, `UDP`: the flow's protocol in an answer's words. */
function protocolText(protocol: TransportProtocol): string {
  return protocol.toUpperCase();
}

/** The frontends a Basic load balancer's rules link to the pool: the candidates for its outbound flows [LBOUT 2019]. */
function basicRuleFrontends(loadBalancer: LoadBalancer, pool: LoadBalancerBackendPool): ResourceId[] {
  const ids = new Set<ResourceId>();
  for (const r of loadBalancer.loadBalancingRules) {
    if (r.backendAddressPoolIds.includes(pool.id)) for (const id of r.frontendIpConfigurationIds) ids.add(id);
  }
  return [...ids];
}

/**
 * An instance-level public IP elsewhere on the VM: on another IP configuration of this NIC or on
 * another NIC of the same VM. "Outbound rules will only be followed if the backend VM doesn't have
 * an instance-level public IP address (ILPIP)" [LBRULES]; "When using Standard Load Balancer,
 * outbound rules are not supported if a public IP is assigned to the Virtual Machine" [LBOUT 2019].
 */
function vmInstancePublicIp(index: ModelIndex, nic: NetworkInterface, config: NicIpConfiguration): { readonly holder: string; readonly publicIpAddressId: ResourceId } | null {
  const own = nic.ipConfigurations.find((c) => c !== config && c.publicIpAddressId !== null);
  if (own?.publicIpAddressId) return { holder: `IP configuration ${own.name} of NIC ${nic.name}`, publicIpAddressId: own.publicIpAddressId };
  const sibling = otherVmNicHasPublicIp(index, nic);
  const siblingPip = sibling?.ipConfigurations.find((c) => c.publicIpAddressId !== null)?.publicIpAddressId;
  if (sibling && siblingPip) return { holder: `NIC ${sibling.name} of the same VM`, publicIpAddressId: siblingPip };
  return null;
}

/**
 * A load balancer method for a configuration whose VM has an instance-level public IP elsewhere:
 * the LB's outbound SNAT is not followed [LBRULES], and what the configuration's traffic uses
 * instead is not documented (as for a sibling NIC's public IP, egress-rules §13 #51): unknown.
 */
function loadBalancerWithVmPublicIp(index: ModelIndex, nic: NetworkInterface, config: NicIpConfiguration, method: Extract<OutboundMethod, { kind: 'lb-outbound-rule' | 'lb-rule-snat' | 'lb-basic' }>): OutboundMethod {
  const ilpip = vmInstancePublicIp(index, nic, config);
  const lb = method.loadBalancer;
  const what = method.kind === 'lb-outbound-rule' ? `outbound rule ${method.rule.name}` : method.kind === 'lb-rule-snat' ? 'load-balancing-rule SNAT' : 'Basic load balancer SNAT';
  if (!ilpip) {
    // A NIC the VM lists that the input lacks may hold the instance-level public IP.
    const missing = missingSiblingsFact(nic);
    return missing === null ? method : {
      kind: 'undecided', resourceId: nic.missingSiblingNicIds?.[0] ?? nic.id, rule: `Load balancer ${lb.name} ${what} for NIC ${nic.name}: ${missing.rule}`,
      docs: DOCS.lbOutboundRules, misconfiguration: null,
      missingFact: `whether ${missing.fact}: "outbound rules will only be followed if the backend VM doesn't have an instance-level public IP address"`,
    };
  }
  return {
    kind: 'undecided', resourceId: ilpip.publicIpAddressId, rule: `Load balancer ${lb.name} ${what} for NIC ${nic.name}: the VM has an instance-level public IP`,
    docs: DOCS.lbOutboundRules, misconfiguration: null,
    missingFact: `what traffic from IP configuration ${config.name} of NIC ${nic.name} uses: it is in backend pool ${method.pool.name} of load balancer ${lb.name}, but ${ilpip.holder} has public IP ${publicIpLabel(index, ilpip.publicIpAddressId)}, and "outbound rules will only be followed if the backend VM doesn't have an instance-level public IP address"; Azure does not document which address this configuration's traffic then leaves from`,
  };
}

/**
 * A backend pool's members from either side, by owner: `vms`, the VMs the NICs in the input name
 * (`virtualMachine.id`); `nics`, the NIC every member ID names (…/networkInterfaces/{nic}/
 * ipConfigurations/{config}), in the input or not. Kept per pool: every NIC of an availability set
 * in a large pool asks.
 */
interface PoolOwners {
  readonly vms: ReadonlySet<ResourceId>;
  readonly nics: ReadonlySet<ResourceId>;
  /** Per availability set asked about: the index of its first VM the pool does not show (-1: none). */
  readonly firstOutside: Map<AvailabilitySetMembers, number>;
}

const poolOwnersCache = new WeakMap<ModelIndex, Map<ResourceId, PoolOwners>>();

function poolOwners(index: ModelIndex, pool: LoadBalancerBackendPool): PoolOwners {
  const byPool = innerMap(poolOwnersCache, index);
  let owners = byPool.get(pool.id);
  if (!owners) {
    const vms = new Set<ResourceId>();
    const nics = new Set<ResourceId>();
    for (const configId of index.poolMembers(pool.id)) {
      const nicId = parentResourceId(configId);
      nics.add(nicId);
      const vm = index.networkInterfaces.get(nicId)?.virtualMachineId;
      if (vm) vms.add(vm);
    }
    owners = { vms, nics, firstOutside: new Map() };
    byPool.set(pool.id, owners);
  }
  return owners;
}

/**
 * The index in `set.virtualMachineIds` of the first VM the pool does not show (by a member NIC in
 * the input, or by a NIC its VM document lists that the pool names), or -1. The same for every NIC
 * of the set: worked out once per set and pool.
 */
function firstVmOutsidePool(index: ModelIndex, pool: LoadBalancerBackendPool, set: AvailabilitySetMembers): number {
  const inPool = poolOwners(index, pool);
  let at = inPool.firstOutside.get(set);
  if (at === undefined) {
    at = set.virtualMachineIds.findIndex((vm, i) => !inPool.vms.has(vm) && !(set.missingNetworkInterfaceIds?.[i] ?? []).some((id) => inPool.nics.has(id)));
    inPool.firstOutside.set(set, at);
  }
  return at;
}

/**
 * A Standard load balancer's outbound (outbound rule or load-balancing-rule SNAT) for a VM of an
 * availability set: "All virtual machines within an availability set must be added to the backend
 * pool for outbound connectivity" (articles/load-balancer/outbound-rules.md, Limitations) [LBRULES].
 * A VM of the set is shown in the pool by a NIC in the input that is a member (from either side), or
 * by a NIC its VM document lists that the input lacks and the load balancer's pool lists as a member.
 * When the input shows a VM of the set (its own document names the set, or the set's document lists
 * it) that the pool does not show, what the pool's members get is not documented (the frontend IPs,
 * or no outbound connectivity): unknown, naming the set and that VM. With neither document (the NIC
 * has no `availabilitySet`) the method stands, as it always did.
 */
function loadBalancerWithAvailabilitySet(index: ModelIndex, nic: NetworkInterface, config: NicIpConfiguration, method: OutboundMethod): OutboundMethod {
  const set = nic.availabilitySet;
  if (!set || (method.kind !== 'lb-outbound-rule' && method.kind !== 'lb-rule-snat')) return method;
  const pools = method.kind === 'lb-outbound-rule' ? [method.pool] : method.pools;
  for (const pool of pools) {
    const outsideIndex = firstVmOutsidePool(index, pool, set);
    const outside = set.virtualMachineIds[outsideIndex];
    if (outside === undefined) continue;
    const lb = method.loadBalancer;
    const setName = nameFromResourceId(set.id);
    const vmName = nameFromResourceId(outside);
    const outsideNics = index.availabilitySetVmNics.get(outside) ?? [];
    const unreadNics = set.missingNetworkInterfaceIds?.[outsideIndex] ?? [];
    const whys: string[] = [];
    if (outsideNics.length > 0) whys.push(`no IP configuration of its NIC${outsideNics.length > 1 ? 's' : ''} ${outsideNics.map((n) => n.name).join(', ')} is in the pool`);
    if (unreadNics.length > 0) {
      const many = unreadNics.length > 1;
      whys.push(`its NIC${many ? 's' : ''} ${unreadNics.map(nameFromResourceId).join(', ')}, which its VM document lists, ${many ? 'are' : 'is'} not in the input and the load balancer's pool does not list ${many ? 'them' : 'it'}, so whether ${many ? 'they are' : 'it is'} in the pool cannot be read`);
    }
    const why = whys.length > 0 ? whys.join('; ') : 'none of its NICs is in the input, so whether it is in the pool cannot be read';
    const what = method.kind === 'lb-outbound-rule' ? `outbound rule ${method.rule.name}` : `load-balancing-rule SNAT (${method.rules.map((r) => r.name).join(', ')})`;
    const ownVm = nic.virtualMachineId ? `its VM ${nameFromResourceId(nic.virtualMachineId)}` : 'its VM';
    return {
      kind: 'undecided', resourceId: set.id, rule: `Load balancer ${lb.name} ${what} for NIC ${nic.name}: VM ${vmName} of availability set ${setName} is not in backend pool ${pool.name}`,
      docs: DOCS.lbOutboundRules, misconfiguration: null,
      missingFact: `what traffic from IP configuration ${config.name} of NIC ${nic.name} uses: it is in backend pool ${pool.name} of Standard load balancer ${lb.name}, but ${ownVm} is in availability set ${setName}, whose VM ${vmName} (${set.listedBySet?.includes(outside) === true ? 'the availability set\'s document lists it' : 'its VM document names the set'}) is not shown in the pool (${why}); "All virtual machines within an availability set must be added to the backend pool for outbound connectivity", and Azure does not document what the pool's members get otherwise (the load balancer's frontend IPs, or no outbound connectivity)`,
    };
  }
  return method;
}

/**
 * The NICs the VM's document lists (networkProfile.networkInterfaces) that the input lacks, in the
 * words of an unknown answer: what the VM's other NICs carry decides default outbound access and
 * load balancer outbound for every NIC of the VM [DOA][LBRULES]. Null when none is missing.
 */
function missingSiblingsFact(nic: NetworkInterface): { readonly rule: string; readonly fact: string } | null {
  const missing = nic.missingSiblingNicIds;
  if (!missing || missing.length === 0) return null;
  const names = missing.map((id) => id.slice(id.lastIndexOf('/') + 1)).join(', ');
  const vm = nic.virtualMachineId ? nic.virtualMachineId.slice(nic.virtualMachineId.lastIndexOf('/') + 1) : 'its VM';
  return {
    rule: `NIC ${names} of the same VM is not in the input`,
    fact: `NIC ${names}, which VM ${vm} lists (networkProfile.networkInterfaces) but the input lacks, has a public IP or is in a Standard load balancer backend pool`,
  };
}

/** One NIC with a Standard public IP stops default outbound access for the whole VM [DOA]. */
function otherVmNicHasPublicIp(index: ModelIndex, nic: NetworkInterface): NetworkInterface | null {
  if (!nic.virtualMachineId) return null;
  for (const other of index.vmNicsWithPublicIp.get(nic.virtualMachineId) ?? []) {
    if (other.id !== nic.id) return other;
  }
  return null;
}

/**
 * Another NIC of the VM that a public IP's `ipConfiguration` names while that NIC's own record does
 * not give the configuration the public IP (exports read at different times): "having a single one
 * with a public IP will prevent default outbound access for the virtual machine" [DOA], so this
 * NIC's default outbound access depends on which record is current. The first such public IP.
 */
function siblingPublicIpDispute(index: ModelIndex, nic: NetworkInterface): { readonly sibling: NetworkInterface; readonly pip: PublicIpAddress; readonly configName: string } | null {
  if (!nic.virtualMachineId || index.vmNicsWithDisputedPublicIp.size === 0) return null;
  for (const sibling of index.vmNicsWithDisputedPublicIp.get(nic.virtualMachineId) ?? []) {
    if (sibling.id === nic.id) continue;
    const unlisted = index.publicIpsNamingUnlistedConfig.get(sibling.id)?.[0];
    if (unlisted?.ipConfigurationId) return { sibling, pip: unlisted, configName: nameFromResourceId(unlisted.ipConfigurationId) };
    for (const c of sibling.ipConfigurations) {
      const pip = index.publicIpsDisagreeingWith.get(c.id)?.[0];
      if (pip) return { sibling, pip, configName: c.name };
    }
  }
  return null;
}

/**
 * A NIC-based pool of a Standard load balancer that gave no outbound method (internal LB, or
 * disableOutboundSnat without an outbound rule). "The default outbound access IP is disabled when
 * ... the VM is placed in the back-end pool of a standard load balancer, with or without outbound
 * rules" (azure-docs VM quickstart include); "Your virtual machine will not have outbound
 * connectivity if you set this parameter to true and do not have an outbound rule" [LBRULES]
 * https://learn.microsoft.com/azure/load-balancer/outbound-rules#scenario5out
 */
function standardPoolOf(index: ModelIndex, config: NicIpConfiguration | null): { readonly loadBalancer: LoadBalancer; readonly pool: LoadBalancerBackendPool } | null {
  if (!config) return null;
  return index.poolsOfIpConfiguration(config).find((ref) => ref.loadBalancer.skuName === 'Standard') ?? null;
}

/**
 * Pool membership counts per VM, as public IPs do: "The default outbound access IP is disabled when
 * ... The VM is placed in the back-end pool of a standard load balancer" (azure-docs VM quickstart
 * include; [DOA]), whichever IP configuration of whichever NIC of the VM is the member. Another
 * configuration of this NIC, or another NIC of the VM, in a Standard pool: found here.
 */
function vmStandardPool(index: ModelIndex, nic: NetworkInterface, config: NicIpConfiguration | null): { readonly holder: string; readonly loadBalancer: LoadBalancer; readonly pool: LoadBalancerBackendPool } | null {
  for (const other of nic.ipConfigurations) {
    if (other === config) continue;
    const found = standardPoolOf(index, other);
    if (found) return { holder: `IP configuration ${other.name} of NIC ${nic.name}`, ...found };
  }
  if (!nic.virtualMachineId) return null;
  for (const sibling of index.vmNicsInBackendPool.get(nic.virtualMachineId) ?? []) {
    if (sibling.id === nic.id) continue;
    for (const other of sibling.ipConfigurations) {
      const found = standardPoolOf(index, other);
      if (found) return { holder: `NIC ${sibling.name} of the same VM`, ...found };
    }
  }
  return null;
}

const PRIVATE_NO_METHOD = 'the subnet is private (defaultOutboundAccess = false) and has no explicit outbound method';

function defaultOutbound(index: ModelIndex, subnet: Subnet, nic: NetworkInterface | null, config: NicIpConfiguration | null = null): OutboundMethod {
  if (nic?.flexibleScaleSetMember) return { kind: 'none', reason: 'the VM is a Flexible-orchestration scale set instance, which never gets default outbound access' };
  // "Associate a public IP to any of the virtual machine's network interfaces (if there are multiple
  // network interfaces, having a single one with a public IP will prevent default outbound access for
  // the virtual machine)" [DOA]: a public IP on another NIC of the VM, or on another IP configuration
  // of this NIC, ends default outbound access. What this NIC's (configuration's) traffic then uses,
  // the other public IP or nothing, the article does not say (egress-rules §13 #51): unknown, as for
  // a load balancer member whose VM has a public IP elsewhere, never a guessed "no outbound".
  const sibling = nic ? otherVmNicHasPublicIp(index, nic) : null;
  const siblingPip = sibling?.ipConfigurations.find((c) => c.publicIpAddressId !== null)?.publicIpAddressId;
  if (nic && sibling && siblingPip) {
    return {
      kind: 'undecided', resourceId: siblingPip, rule: `Default outbound access of NIC ${nic.name}: NIC ${sibling.name} of the same VM has a public IP`,
      docs: DOCS.defaultOutbound, misconfiguration: null,
      missingFact: `what internet traffic from NIC ${nic.name}, which has no public IP, uses: NIC ${sibling.name} of the same VM has public IP ${publicIpLabel(index, siblingPip)}, which turns default outbound access off for the whole VM, and Azure does not document whether the traffic of a NIC without a public IP then leaves from another NIC's public IP or has no outbound access`,
    };
  }
  const disputed = nic ? siblingPublicIpDispute(index, nic) : null;
  if (nic && disputed) {
    return {
      kind: 'undecided', resourceId: disputed.pip.id, rule: `Default outbound access of NIC ${nic.name}: public IP ${disputed.pip.name} names IP configuration ${disputed.configName} of NIC ${disputed.sibling.name} of the same VM, whose record does not give it that public IP`,
      docs: DOCS.defaultOutbound, misconfiguration: null,
      missingFact: `whether NIC ${disputed.sibling.name} of the same VM has public IP ${publicIpLabel(index, disputed.pip.id)}: the public IP's record names its IP configuration ${disputed.configName} (ipConfiguration), while the NIC's record does not give it that public IP, so one of them is out of date (exported at different times); with it, default outbound access is off for the whole VM (and what NIC ${nic.name}'s traffic then uses is not documented), without it NIC ${nic.name} keeps its subnet's default outbound access; export both again together`,
    };
  }
  const ownOther = nic?.ipConfigurations.find((c) => c !== config && c.publicIpAddressId !== null);
  if (nic && ownOther?.publicIpAddressId) {
    return {
      kind: 'undecided', resourceId: ownOther.publicIpAddressId, rule: `Default outbound access of NIC ${nic.name}: IP configuration ${ownOther.name} has a public IP`,
      docs: DOCS.defaultOutbound, misconfiguration: null,
      missingFact: `what internet traffic from ${config ? `IP configuration ${config.name}` : 'the IP configurations without a public IP'} of NIC ${nic.name} uses: IP configuration ${ownOther.name} of the NIC has public IP ${publicIpLabel(index, ownOther.publicIpAddressId)}, which turns default outbound access off for the VM, and Azure does not document whether the traffic of an IP configuration without a public IP then leaves from that public IP or has no outbound access`,
    };
  }
  const standard = standardPoolOf(index, config);
  if (standard) {
    const why = isPublicLoadBalancer(index, standard.loadBalancer)
      ? 'no outbound rule or load-balancing rule programs outbound SNAT for this protocol and IP version (disableOutboundSnat, another protocol, frontends of the other IP version, or no rule at all)'
      : 'it is an internal load balancer';
    return { kind: 'none', reason: `the NIC is in backend pool ${standard.pool.name} of Standard load balancer ${standard.loadBalancer.name}, which gives no outbound (${why}) and turns default outbound access off` };
  }
  // Another configuration or NIC of the VM is the pool member: default outbound is off for the VM,
  // and LB outbound SNAT serves only a member's primary IPv4 configuration [LBRULES] (egress-rules
  // §3.2). What this configuration's traffic then uses is not documented (as for a sibling's public
  // IP, egress-rules §13 #51): unknown, not default outbound and not a guessed "no outbound".
  const vmPool = nic ? vmStandardPool(index, nic, config) : null;
  if (nic && vmPool) {
    return {
      kind: 'undecided', resourceId: vmPool.loadBalancer.id, rule: `Default outbound access of NIC ${nic.name}: the VM is in a Standard load balancer backend pool`,
      docs: DOCS.defaultOutbound, misconfiguration: null,
      missingFact: `what traffic from ${config ? `IP configuration ${config.name} of ` : ''}NIC ${nic.name} uses: ${vmPool.holder} is in backend pool ${vmPool.pool.name} of Standard load balancer ${vmPool.loadBalancer.name}, which turns default outbound access off for the whole VM, while load balancer outbound SNAT serves only the pool member's primary IPv4 configuration; Azure does not document this configuration's outbound path`,
    };
  }
  // Default outbound access is a VM's; private subnets do not apply to delegated (PaaS) subnets,
  // whose outbound "is managed by the individual service" [DOA]: the service's egress, not in the input.
  const managed = serviceManagedOutbound(subnet);
  if (managed) return managed;
  // The subnet setting reaches a VM only when it is stopped and deallocated: "Existing virtual
  // machines must be stopped and deallocated for the change of a subnet (either from non-private to
  // private, or the reverse) to take effect on their network interfaces", and the NIC's
  // defaultOutboundConnectivityEnabled "tracks if default outbound IP is allocated to a VM" [DOA
  // 01/30/2026]. A NIC that says so answers for itself; absent (older inputs), the subnet decides.
  const allocated = nic?.defaultOutboundConnectivityEnabled;
  if (subnet.defaultOutboundAccess === false) {
    // Still allocated, and nothing explicit above: the VM keeps using its default outbound IP.
    if (allocated === true) return { kind: 'default-outbound', reason: 'nic-allocated' };
    return { kind: 'none', reason: PRIVATE_NO_METHOD };
  }
  if (nic && allocated === false && sendsAsVm(nic)) {
    // The subnet allows default outbound access but no default outbound IP is allocated to the NIC:
    // the subnet was private and the VM has not been deallocated since, or the VM is not running
    // (it gets one when started). Which, the input does not say.
    return {
      kind: 'undecided', resourceId: nic.id, rule: `Default outbound access of NIC ${nic.name}: defaultOutboundConnectivityEnabled = false`,
      docs: DOCS.defaultOutbound, misconfiguration: null,
      missingFact: `whether NIC ${nic.name} has outbound access: subnet ${subnet.name} allows default outbound access${subnet.defaultOutboundAccess === null ? ' (defaultOutboundAccess not set)' : ''}, but the NIC reports defaultOutboundConnectivityEnabled = false (no default outbound IP allocated), which is the case while its VM is deallocated and, after the subnet was private, until the VM is stopped and deallocated; the input does not say which`,
    };
  }
  // A public IP on "any of the virtual machine's network interfaces", or a Standard pool membership,
  // turns default outbound off for the VM [DOA]: a NIC the VM lists that the input lacks may carry
  // one (unless the NIC itself reports its default outbound IP allocated, Azure's own answer).
  const missing = nic && allocated !== true && sendsAsVm(nic) ? missingSiblingsFact(nic) : null;
  if (nic && missing) {
    return { kind: 'undecided', resourceId: nic.missingSiblingNicIds?.[0] ?? nic.id, rule: `Default outbound access of NIC ${nic.name}: ${missing.rule}`,
      docs: DOCS.defaultOutbound, misconfiguration: null, missingFact: `whether ${missing.fact}: either turns default outbound access off for the whole VM` };
  }
  return { kind: 'default-outbound', reason: 'allowed' };
}

/**
 * The subnet's NAT gateway for a flow of this IP version: the method, an undecided end, or null
 * when it does not carry the flow (a Standard NAT gateway is IPv4-only [NATRES]: IPv6 traffic
 * takes the next method, "IPv6 outbound traffic uses the load balancer").
 */
function natGatewayMethod(index: ModelIndex, subnet: Subnet, natGatewayId: ResourceId, version: FlowIpVersion): OutboundMethod | null {
  const natGateway = index.natGateways.get(natGatewayId) ?? null;
  // Not in the input: the engine reports the missing reference (its public IPs are unknown).
  if (!natGateway) return { kind: 'nat-gateway', natGatewayId, natGateway };
  // A StandardV2 NAT gateway "doesn't support and can't be attached to" subnets delegated to these
  // services [NATOV]: the input shows a configuration Azure documents as impossible, and whether the
  // service's traffic uses the NAT gateway or its own egress is not documented (the estate finding
  // nat-gateway-v2-unsupported-delegation reports it).
  const unsupported = standardV2UnsupportedServices(subnet, natGateway);
  if (unsupported.length > 0) {
    return {
      kind: 'undecided', resourceId: natGateway.id, rule: `StandardV2 NAT gateway ${natGateway.name} on subnet ${subnet.name}, delegated to ${unsupported.join(', ')}`,
      docs: DELEGATION_DOCS.natGatewayStandardV2, misconfiguration: null,
      missingFact: `what internet traffic from subnet ${subnet.name} uses: the input shows StandardV2 NAT gateway ${natGateway.name} on it, while a StandardV2 NAT gateway "doesn't support and can't be attached to" subnets delegated to ${unsupported.join(', ')}; whether the service's traffic leaves through the NAT gateway or through the service's own egress is not documented`,
    };
  }
  if (natGateway.publicIpAddressIds.length === 0 && natGateway.publicIpPrefixIds.length === 0) {
    // "NAT gateway isn't operational until a public IP and subnet attached" (NAT_TROUBLESHOOT). What
    // the subnet's traffic uses meanwhile (default outbound, another method, nothing) is not documented.
    return {
      kind: 'undecided', resourceId: natGateway.id, rule: `NAT gateway ${natGateway.name}: no public IP address or prefix`, docs: NAT_TROUBLESHOOT,
      misconfiguration: `NAT gateway ${natGateway.name} on subnet ${subnet.name} has no public IP address or public IP prefix: a NAT gateway isn't operational until a public IP and subnet are attached.`,
      missingFact: `what internet traffic from subnet ${subnet.name} uses while its NAT gateway ${natGateway.name} has no public IP address or prefix: Azure documents only that the NAT gateway isn't operational, not what the subnet gets instead`,
    };
  }
  const own = natGatewayAddresses(index, natGateway, version);
  if (own.ips.length > 0 || own.prefixes.length > 0) return { kind: 'nat-gateway', natGatewayId, natGateway };
  if (version === 'IPv6' && natGateway.skuName === 'Standard') return null;
  // StandardV2 "supports 16 IPv4 + 16 IPv6 addresses" [NATRES]; one with none of the flow's version
  // has no address to translate it to, and what that traffic uses is not documented. A gateway whose
  // SKU the input lacks may be either: Standard would pass IPv6 on, StandardV2 would not say.
  return {
    kind: 'undecided', resourceId: natGateway.id, rule: `NAT gateway ${natGateway.name}: no ${version} public IP address or prefix`, docs: DOCS.natGatewayResource,
    misconfiguration: null,
    missingFact: natGateway.skuName === 'Unknown'
      ? `what ${version} internet traffic from subnet ${subnet.name} uses: its NAT gateway ${natGateway.name} has public IPs of the other IP version only and its SKU (sku.name) is not in the input (a Standard NAT gateway is IPv4-only and IPv6 traffic takes the next outbound method; for a StandardV2 one it is not documented)`
      : `what ${version} internet traffic from subnet ${subnet.name} uses: its NAT gateway ${natGateway.name} (${natGateway.skuName}) has public IPs of the other IP version only`,
  };
}

/**
 * NAT gateways whose `subnets` back-reference (read-only, "the subnets using this nat gateway
 * resource", Microsoft.Network natGateways REST schema) lists a subnet whose own record names no NAT
 * gateway: the documents were read at different times or with an api-version that lacks one side.
 * A NAT gateway "takes precedence over other outbound connectivity methods" [NATOV], so the two
 * records give different exits: unknown, naming which resource says what. Null when no such gateway
 * would carry the flow anyway (a Standard one for IPv6 [NATRES]). The other way round (the subnet
 * names a NAT gateway whose list omits it) the subnet's record decides: the association is written
 * on the subnet, and the gateway's list is derived from it.
 */
function natGatewayRecordsDisagree(index: ModelIndex, subnet: Subnet, listing: readonly NatGateway[], version: FlowIpVersion): OutboundMethod | null {
  const nat = listing.find((n) => natGatewayMethod(index, subnet, n.id, version) !== null);
  if (!nat) return null;
  const { ips, prefixes } = natGatewayAddresses(index, nat, version);
  const addresses = [...ips.map((id) => publicIpLabel(index, id)), ...prefixes.map((id) => prefixLabel(index, id))];
  return {
    kind: 'undecided', resourceId: nat.id, rule: `NAT gateway ${nat.name} lists subnet ${subnet.name}, whose record names no NAT gateway`,
    docs: 'https://learn.microsoft.com/azure/nat-gateway/nat-overview', misconfiguration: null,
    missingFact: `whether subnet ${subnet.name} uses NAT gateway ${nat.name}: the NAT gateway's record lists the subnet among those using it (subnets), while the subnet's own record names no NAT gateway (natGateway), so one of them is out of date (exported at different times, or with different api-versions); `
      + `with the NAT gateway its internet traffic leaves from ${addresses.length > 0 ? addresses.join(', ') : 'the NAT gateway\'s public IPs'}, without it from the subnet's other outbound method; export both again together`,
  };
}

/**
 * A public IP whose `ipConfiguration` back-reference (read-only, "The IP configuration associated
 * with the public IP address", Microsoft.Network publicIPAddresses REST schema) names an IP
 * configuration of this NIC whose own record names another public IP or none: the documents were
 * read at different times. "Associate a public IP to any of the virtual machine's network
 * interfaces" turns default outbound access off [DOA], and a configuration's own public IP is what
 * it sends from [LBOUT], so the NIC's answer differs with either record: unknown, naming both. The
 * sending configuration's own public IP (its record agrees with itself) still decides for it when
 * the disagreement is about another configuration.
 */
function publicIpDisagreement(index: ModelIndex, nic: NetworkInterface, config: NicIpConfiguration | null, version: FlowIpVersion): OutboundMethod | null {
  if (index.publicIpsDisagreeingWith.size === 0 && index.publicIpsNamingUnlistedConfig.size === 0) return null;
  const ownDecides = config?.publicIpAddressId != null && pipHasVersion(index, config.publicIpAddressId, version);
  // A configuration the NIC's record does not list at all (added or removed between the exports) is
  // never the sending one: its public IP matters unless the sending configuration's own decides.
  const unlisted = ownDecides ? undefined : index.publicIpsNamingUnlistedConfig.get(nic.id)?.[0];
  if (unlisted?.ipConfigurationId) {
    const configName = nameFromResourceId(unlisted.ipConfigurationId);
    const listed = nic.ipConfigurations.map((c) => c.name);
    const nicLists = listed.length > 0 ? `lists only IP configuration${listed.length > 1 ? 's' : ''} ${listed.join(', ')}` : 'lists no IP configuration';
    return {
      kind: 'undecided', resourceId: unlisted.id, rule: `Public IP ${unlisted.name} names IP configuration ${configName} of NIC ${nic.name}, which the NIC's record does not list`,
      docs: DOCS.publicIp, misconfiguration: null,
      missingFact: `whether NIC ${nic.name} has IP configuration ${configName} with public IP ${unlisted.name}${unlisted.ipAddress ? ` (${unlisted.ipAddress})` : ''}: the public IP's record names that configuration as its own (ipConfiguration), while the NIC's record ${nicLists} (ipConfigurations), so one of them is out of date (exported at different times); `
        + 'with it the VM has a public IP, which turns default outbound access off for it, without it the NIC\'s traffic uses the subnet\'s other outbound method; export both again together',
    };
  }
  for (const c of nic.ipConfigurations) {
    const pip = index.publicIpsDisagreeingWith.get(c.id)?.[0];
    if (!pip || (c !== config && ownDecides)) continue;
    const nicSays = c.publicIpAddressId ? `public IP ${publicIpLabel(index, c.publicIpAddressId)}` : 'no public IP';
    return {
      kind: 'undecided', resourceId: pip.id, rule: `Public IP ${pip.name} names IP configuration ${c.name} of NIC ${nic.name}, whose record does not name it`,
      docs: DOCS.publicIp, misconfiguration: null,
      missingFact: `whether IP configuration ${c.name} of NIC ${nic.name} has public IP ${publicIpLabel(index, pip.id)}: the public IP's record names the configuration as its own (ipConfiguration), while the NIC's record gives it ${nicSays} (publicIPAddress), so one of them is out of date (exported at different times); `
        + 'with it the configuration sends from that public IP (and default outbound access is off for the VM), without it from the subnet\'s other outbound method; export both again together',
    };
  }
  return null;
}

/**
 * The NAT gateway associated with the subnet's whole virtual network: the VNet's own
 * `defaultPublicNatGateway`, else (a VNet record without the field, an older api-version) a StandardV2
 * gateway whose `sourceVirtualNetwork` names the VNet (the first by ID). `field`: the record that says so.
 */
function virtualNetworkNatGateway(index: ModelIndex, subnet: Subnet): { readonly id: ResourceId; readonly field: string } | null {
  const vnet = index.subnetVirtualNetwork.get(subnet.id);
  if (vnet?.defaultPublicNatGatewayId) return { id: vnet.defaultPublicNatGatewayId, field: 'defaultPublicNatGateway' };
  if (index.virtualNetworkNatGateways.size === 0) return null;
  const source = index.virtualNetworkNatGateways.get(vnet?.id ?? subnet.virtualNetworkId)?.[0];
  return source ? { id: source.id, field: 'sourceVirtualNetwork' } : null;
}

/** Picks the outbound method for a sender in a subnet whose winning route is `Internet`. */
export function chooseOutboundMethod(index: ModelIndex, subnet: Subnet, sender: Sender, protocol: TransportProtocol = 'Tcp', version: FlowIpVersion = 'IPv4'): OutboundMethod {
  if (subnet.serviceGatewayId && sender.kind !== 'gateway') {
    // A service gateway's outbound services name a NAT gateway or load balancer pools
    // (serviceGateway.json, Microsoft's REST specs, API 2025-05-01), so the association may change
    // which method carries the subnet's traffic, ahead of or instead of the subnet's own; how is not
    // documented in our sources: not known, never guessed.
    const name = subnet.serviceGatewayId.slice(subnet.serviceGatewayId.lastIndexOf('/') + 1);
    return {
      kind: 'undecided', resourceId: subnet.serviceGatewayId, rule: `Service gateway ${name} associated with subnet ${subnet.name}`, docs: DOCS.defaultOutbound,
      missingFact: `how service gateway ${name}, associated with subnet ${subnet.name}, changes its outbound traffic (its outbound services may name a NAT gateway or load balancer pools; Azure's rules for a subnet's service gateway are not in our sources)`,
      misconfiguration: null,
    };
  }
  // NAT gateway is not supported on GatewaySubnet [NATRES]: the gateway keeps its own public IPs
  // (the nat-gateway-on-gateway-subnet finding reports the misconfiguration).
  if (subnet.natGatewayId && sender.kind !== 'gateway') {
    const nat = natGatewayMethod(index, subnet, subnet.natGatewayId, version);
    if (nat) return nat;
  }
  const listing = subnet.natGatewayId || sender.kind === 'gateway' ? undefined : index.natGatewaysListingSubnet.get(subnet.id);
  if (listing) {
    const disagreement = natGatewayRecordsDisagree(index, subnet, listing, version);
    if (disagreement) return disagreement;
  }
  const vnetNatRef = subnet.natGatewayId || sender.kind === 'gateway' ? undefined : virtualNetworkNatGateway(index, subnet);
  if (vnetNatRef) {
    // A NAT gateway on the virtual network (StandardV2, `defaultPublicNatGateway`) outranks every
    // other method if it carries this subnet, as a subnet's NAT gateway does [NATRES]; whether it
    // does is not documented in our sources, so the method is not known, never guessed. Such a
    // gateway's `subnets` lists the VNet's subnets (Microsoft's NatGateways_ListAll example): that
    // is this association, never a stale record (natGatewaysListingSubnet leaves it out).
    const { id: vnetNat, field: vnetNatField } = vnetNatRef;
    const name = vnetNat.slice(vnetNat.lastIndexOf('/') + 1);
    return {
      kind: 'undecided', resourceId: vnetNat, rule: `NAT gateway ${name} of the virtual network (${vnetNatField})`, docs: 'https://learn.microsoft.com/azure/nat-gateway/nat-overview',
      missingFact: `whether NAT gateway ${name}, associated with the whole virtual network of subnet ${subnet.name}, carries its outbound traffic (the subnet has no NAT gateway of its own; Azure's rules for a virtual-network-level NAT gateway are not in our sources)`,
      misconfiguration: null,
    };
  }
  switch (sender.kind) {
    case 'firewall': {
      const publicIpAddressIds = sender.firewall.ipConfigurations.map((c) => c.publicIpAddressId).filter((id): id is ResourceId => id !== null);
      if (publicIpAddressIds.length > 0) return { kind: 'firewall-public-ip', firewall: sender.firewall, publicIpAddressIds };
      return { kind: 'none', reason: 'the firewall has no public IP on its data path and AzureFirewallSubnet has no NAT gateway' };
    }
    case 'firewall-management': {
      // The management configuration's public IP is used by the platform for management only [FWFT].
      const pip = sender.firewall.managementIpConfiguration?.publicIpAddressId ?? null;
      if (pip) return { kind: 'platform-public-ip', owner: 'firewall-management', ownerId: sender.firewall.id, ownerName: sender.firewall.name, publicIpAddressIds: [pip] };
      return { kind: 'none', reason: `the management IP configuration of Azure Firewall ${sender.firewall.name} has no public IP in the snapshot` };
    }
    case 'gateway': {
      const gateways = [...sender.gateways].sort((a, b) => (a.id < b.id ? -1 : 1));
      const publicIpAddressIds = [...new Set(gateways.flatMap((g) => g.publicIpAddressIds))];
      const first = gateways[0];
      if (first && publicIpAddressIds.length > 0) {
        return { kind: 'platform-public-ip', owner: 'gateway', ownerId: first.id, ownerName: gateways.map((g) => g.name).join(', '), publicIpAddressIds };
      }
      return { kind: 'none', reason: `no public IP of gateway ${gateways.map((g) => g.name).join(', ')} is in the snapshot` };
    }
    case 'nic': {
      // An IPv6 flow leaves from the NIC's IPv6 configuration (an IPv4 one cannot send it).
      const config = version === 'IPv6' ? ipv6Configuration(sender.nic, sender.ipConfiguration) : sender.ipConfiguration;
      if (version === 'IPv6' && !config) {
        return { kind: 'none', reason: `NIC ${sender.nic.name} has no IPv6 IP configuration, so it has no IPv6 address to send IPv6 traffic from` };
      }
      const disagreement = publicIpDisagreement(index, sender.nic, config, version);
      if (disagreement) return disagreement;
      // "Azure uses the public IP assigned to the IP configuration of the instance's NIC" [LBOUT]: of
      // the flow's version only (an IPv4 public IP cannot translate an IPv6 flow).
      if (config?.publicIpAddressId && pipHasVersion(index, config.publicIpAddressId, version)) {
        return { kind: 'instance-public-ip', publicIpAddressId: config.publicIpAddressId, publicIp: index.publicIpAddresses.get(config.publicIpAddressId) ?? null };
      }
      const lb = config ? loadBalancerMethod(index, config, protocol, version) : null;
      if (lb && config) {
        if (lb.kind !== 'lb-outbound-rule' && lb.kind !== 'lb-rule-snat' && lb.kind !== 'lb-basic') return lb;
        const withVmPublicIp = loadBalancerWithVmPublicIp(index, sender.nic, config, lb);
        return withVmPublicIp === lb ? loadBalancerWithAvailabilitySet(index, sender.nic, config, lb) : withVmPublicIp;
      }
      return noIpv6DefaultOutbound(defaultOutbound(index, subnet, sender.nic, config), subnet, version, `NIC ${sender.nic.name}`);
    }
    case 'subnet':
      if (version === 'IPv6' && !subnet.addressPrefixes.some((p) => p.includes(':'))) {
        return { kind: 'none', reason: `subnet ${subnet.name} has no IPv6 address range, so nothing in it sends IPv6 traffic` };
      }
      return noIpv6DefaultOutbound(unreadNicsAnswer(index, subnet, applicationGatewayAnswer(subnet, defaultOutbound(index, subnet, null))), subnet, version, `subnet ${subnet.name}`);
  }
}

/**
 * The NICs a subnet's own record lists (`ipConfigurations`) that the input lacks, when any owner
 * the input lacks is a NIC (Microsoft.Network, or a Uniform scale set instance's, which
 * `az network nic list` does not return: AKS node pools). The subnet's entry stands for a NIC with
 * no public IP of its own and no load balancer membership; a missing NIC may have either, and
 * "associate a public IP to any of the virtual machine's network interfaces" [DOA] or a VM "placed in
 * the back-end pool of a standard load balancer, with or without outbound rules" (azure-docs VM
 * quickstart include) turns default outbound access off. Null for platform subnets (Azure-managed instances) and when no missing owner is a NIC (a
 * bastion host, a private link service, an application gateway: not VMs the entry describes).
 * `count` counts the missing IP configurations, whatever their owner.
 */
export function unreadSubnetNics(subnet: Subnet): { readonly count: number; readonly firstNicId: ResourceId } | null {
  const unread = subnet.unreadIpConfigurations;
  if (!unread || !isNetworkInterfaceId(unread.firstOwnerId) || isPlatformSubnet(subnet)) return null;
  return { count: unread.count, firstNicId: unread.firstOwnerId };
}

/**
 * Whether a NIC the input holds follows the subnet's entry: one with no entry of its own
 * (`subnetNicsWithOwnEgress`) that is not a private endpoint's (those initiate nothing [PE]).
 * For such a NIC the subnet's answer is a fact, whatever the NICs the input lacks use.
 */
function subnetEntryHasInputNic(index: ModelIndex, subnet: Subnet): boolean {
  const nics = index.subnetNics.get(subnet.id);
  if (!nics || nics.length === 0) return false;
  const own = index.subnetNicsWithOwnEgress.get(subnet.id);
  const ownSet = own && own.length > 0 ? new Set(own) : null;
  return nics.some((nic) => !nic.privateEndpointId && !ownSet?.has(nic));
}

/** A scale set instance's NIC as `{scale set} instance {i}, NIC {name}`; any other NIC by its name. */
export function nicLabel(id: ResourceId): string {
  const instance = scaleSetInstanceOfNic(id);
  const name = id.slice(id.lastIndexOf('/') + 1);
  return instance === null ? `NIC ${name}` : `NIC ${name} of scale set ${instance.scaleSet} instance ${instance.instance}`;
}

/**
 * The subnet entry's default outbound (or, in a private subnet, "no outbound") answer when the
 * subnet lists NICs the input lacks: kept when a NIC in the input follows the entry (the answer
 * holds for it; the engine's estate gap names the rest), else undecided, naming the first missing
 * NIC: nothing says the subnet has a NIC without a public IP or load balancer outbound of its own.
 * Any other method (NAT gateway, service gateway, ...) applies to every NIC of the subnet whatever
 * it has: "NAT gateway takes precedence over other outbound connectivity methods, including Load
 * balancer, instance-level public IP addresses" [NATOV]; and a UDR to an appliance or a gateway
 * never reaches this choice.
 */
/**
 * A subnet holding an application gateway's instances is dedicated to it: its entry's default
 * outbound answer would describe a VM the subnet cannot hold, while what the gateway's instances
 * use is not read (the model reads no application gateways).
 */
function applicationGatewayAnswer(subnet: Subnet, method: OutboundMethod): OutboundMethod {
  const appGateway = subnet.applicationGatewayIds?.[0];
  if (appGateway === undefined || !restsOnSubnetEntryNics(method)) return method;
  return {
    kind: 'undecided', resourceId: appGateway, rule: `Subnet ${subnet.name}: instances of application gateway ${nameFromResourceId(appGateway)}`, docs: DOCS.defaultOutbound, misconfiguration: null,
    missingFact: `what application gateway ${nameFromResourceId(appGateway)}, whose instances subnet ${subnet.name} holds (applicationGatewayIPConfigurations), uses to reach the internet: the subnet is dedicated to it, and the model does not read application gateways`,
  };
}

function unreadNicsAnswer(index: ModelIndex, subnet: Subnet, method: OutboundMethod): OutboundMethod {
  if (!restsOnSubnetEntryNics(method)) return method;
  const unread = unreadSubnetNics(subnet);
  if (!unread || subnetEntryHasInputNic(index, subnet)) return method;
  const nic = nicLabel(unread.firstNicId);
  const effect = method.kind === 'none'
    ? 'the subnet is private (defaultOutboundAccess = false), so only a public IP or load balancer outbound rule of their own gives them a way out'
    : 'a public IP or Standard load balancer backend pool membership of theirs turns default outbound access off for them (they leave through the public IP or the load balancer\'s outbound rule, if any)';
  return {
    kind: 'undecided', resourceId: unread.firstNicId, rule: `Subnet ${subnet.name}: IP configurations of NICs not in the input`, docs: DOCS.defaultOutbound, misconfiguration: null,
    missingFact: `what the ${unread.count} IP configuration(s) subnet ${subnet.name} lists but the input lacks use (first: ${nic}), with no NIC in the input following the subnet's entry: ${effect}; `
      + 'export them (`az vmss nic list` for scale set instances such as AKS nodes, which `az network nic list` does not return; `az network nic list` for the others)',
  };
}

/** The answers the subnet's entry gives for a NIC with no public IP or load balancer of its own (default outbound access, or none in a private subnet). */
function restsOnSubnetEntryNics(method: OutboundMethod): boolean {
  return method.kind === 'default-outbound' || (method.kind === 'none' && method.reason === PRIVATE_NO_METHOD);
}

/**
 * Whether the subnet entry's answer (default outbound access, no outbound in a private subnet, or
 * unknown for that reason) rests on NICs the subnet lists but the input lacks: the engine's estate gap.
 */
export function subnetAnswerRestsOnUnreadNics(subnet: Subnet, method: OutboundMethod): boolean {
  const unread = unreadSubnetNics(subnet);
  if (!unread) return false;
  return restsOnSubnetEntryNics(method) || (method.kind === 'undecided' && method.resourceId === unread.firstNicId);
}

/** The NIC's IPv6 configuration for an IPv6 flow: the sender's own if it is one, else the NIC's first. */
function ipv6Configuration(nic: NetworkInterface, config: NicIpConfiguration | null): NicIpConfiguration | null {
  if (config?.privateIpAddressVersion === 'IPv6') return config;
  return nic.ipConfigurations.find((c) => c.privateIpAddressVersion === 'IPv6') ?? null;
}

/**
 * Default outbound access gives a public IPv4 address: "The public IPv4 address used for the access
 * is called the default outbound access IP" [DOA @89e9bb8, 08/24/2023]. Whether IPv6 traffic gets
 * anything without an explicit IPv6 method is not documented (egress-rules §12 #10): never a
 * default-outbound answer for an IPv6 flow, and never a guessed "no outbound" either.
 */
function noIpv6DefaultOutbound(method: OutboundMethod, subnet: Subnet, version: FlowIpVersion, who: string): OutboundMethod {
  if (version !== 'IPv6' || method.kind !== 'default-outbound') return method;
  return {
    kind: 'undecided', resourceId: subnet.id, rule: `Default outbound access for IPv6 traffic (subnet ${subnet.name})`, docs: DOCS.defaultOutbound, misconfiguration: null,
    missingFact: `whether IPv6 internet traffic from ${who} has a way out at all: no explicit IPv6 method (public IP, load balancer outbound) applies, default outbound access provides a public IPv4 address, and Azure documents no default outbound access for IPv6`,
  };
}

/** Address of a public IP, or its resource name when the address is unknown. */
export function publicIpLabel(index: ModelIndex, id: ResourceId): string {
  const pip = index.publicIpAddresses.get(id);
  return pip?.ipAddress ?? pip?.name ?? parseResourceId(id)?.name ?? id;
}

function prefixLabel(index: ModelIndex, id: ResourceId): string {
  const prefix = index.publicIpPrefixes.get(id);
  return prefix?.ipPrefix ?? prefix?.name ?? parseResourceId(id)?.name ?? id;
}

/**
 * IPv4 addresses a public IP prefix holds (2^(32-len)); 0 for an IPv6 prefix; null when the prefix
 * is not in the input or its length is not known. Unknown is not 0: each address of the prefix adds
 * 64,512 NAT gateway SNAT ports [NATRES], so counting a missing prefix as empty would state a
 * definite undercount (https://learn.microsoft.com/azure/nat-gateway/nat-gateway-resource).
 */
function prefixAddressCount(index: ModelIndex, id: ResourceId): number | null {
  const prefix = index.publicIpPrefixes.get(id);
  if (!prefix) return null;
  if (prefix.version === 'IPv6') return 0;
  const length = prefix.prefixLength ?? (prefix.ipPrefix ? parseCidr(prefix.ipPrefix)?.prefixLength ?? null : null);
  return length === null ? null : 2 ** (32 - length);
}

/**
 * Default SNAT ports per instance by backend pool size, per frontend IP, capped at 1,024 [LBOUT].
 * The documented table ends at "801-1,000 → 32": for a larger pool the allocation is not
 * documented, so null (not known), never 0 — a path that leaves through LB SNAT with 0 ports
 * would contradict itself. `frontendCount` null (a frontend prefix of unknown size) is known
 * only when the cap is reached anyway.
 * https://learn.microsoft.com/azure/load-balancer/load-balancer-outbound-connections#default-port-allocation-table
 */
export function defaultLoadBalancerSnatPorts(poolSize: number, frontendCount: number | null): number | null {
  const perFrontend = poolSize <= 50 ? 1024 : poolSize <= 100 ? 512 : poolSize <= 200 ? 256 : poolSize <= 400 ? 128
    : poolSize <= 800 ? 64 : poolSize <= 1000 ? 32 : null;
  if (perFrontend === null) return null;
  if (frontendCount === null) return perFrontend >= 1024 ? 1024 : null;
  return Math.min(1024, perFrontend * Math.max(1, frontendCount));
}

export interface MethodEgress {
  readonly egressIps: readonly string[];
  readonly snatPorts: number | null;
}

/** The frontends' public IPs and prefixes of the flow's IP version (a flow leaves only from its own version). */
function frontendEgress(index: ModelIndex, lb: LoadBalancer, frontendIds: readonly ResourceId[], version: FlowIpVersion): string[] {
  const ips: string[] = [];
  for (const f of lb.frontendIpConfigurations) {
    if (!frontendIds.includes(f.id)) continue;
    if (f.publicIpAddressId && pipHasVersion(index, f.publicIpAddressId, version)) ips.push(publicIpLabel(index, f.publicIpAddressId));
    if (f.publicIpPrefixId && prefixHasVersion(index, f.publicIpPrefixId, version)) ips.push(prefixLabel(index, f.publicIpPrefixId));
  }
  return ips;
}

/**
 * Frontend IPs behind the frontends: 1 per public IP, every address of a public IP prefix ("each of
 * the IP addresses within public IP prefix provides an extra 64,000 ephemeral ports" [LBRULES]).
 * The default allocation is "per frontend IP, up to a maximum of 1024 ports" [LBOUT].
 * Null when a frontend prefix's size is not known (not in the input): the count is then unknown.
 */
function frontendIpCount(index: ModelIndex, lb: LoadBalancer, frontendIds: readonly ResourceId[], version: FlowIpVersion): number | null {
  let count = 0;
  for (const f of lb.frontendIpConfigurations) {
    if (!frontendIds.includes(f.id)) continue;
    if (f.publicIpAddressId && pipHasVersion(index, f.publicIpAddressId, version)) count += 1;
    if (f.publicIpPrefixId && prefixHasVersion(index, f.publicIpPrefixId, version)) {
      const addresses = prefixAddressCount(index, f.publicIpPrefixId);
      if (addresses === null) return null;
      count += Math.max(1, addresses);
    }
  }
  return Math.max(1, count);
}

/**
 * The pool size the default allocation table reads: "Pool size (VM instances)" [LBOUT], not IP
 * configurations ("Secondary IP configurations of a network interface don't provide outbound
 * communication ... via a load balancer", same article). Members come from both sides (LB pool
 * list and NIC pool lists); each counts as its NIC's VM (`virtualMachine.id`, or the scale set
 * instance its ID names); a NIC with neither counts as an instance of its own, as does each
 * IP-based member. Kept per pool: a pool of 1,000 members is counted once per model.
 */
const poolSizes = new WeakMap<ModelIndex, Map<ResourceId, number>>();

function poolSize(index: ModelIndex, pool: LoadBalancerBackendPool): number {
  const sizes = innerMap(poolSizes, index);
  let size = sizes.get(pool.id);
  if (size === undefined) {
    const instances = new Set<string>();
    for (const configId of index.poolMembers(pool.id)) {
      const nicId = parentResourceId(configId);
      instances.add(index.networkInterfaces.get(nicId)?.virtualMachineId ?? scaleSetInstanceOfNic(nicId)?.vmId ?? nicId);
    }
    size = instances.size + pool.backendIpAddresses.length;
    sizes.set(pool.id, size);
  }
  return size;
}

/**
 * The default allocation for a member of the pools (one in nearly every case). The table reads one
 * pool's size [LBOUT]; for a member of pools whose sizes fall in different rows of it the allocation
 * is not documented: null (not known), never one pool's figure.
 */
function pooledDefaultSnatPorts(index: ModelIndex, pools: readonly LoadBalancerBackendPool[], frontendCount: number | null): number | null {
  const sizes = pools.map((p) => poolSize(index, p));
  const [size] = sizes;
  if (size === undefined) return null;
  const row = defaultLoadBalancerSnatPorts(size, 1);
  if (sizes.some((s) => defaultLoadBalancerSnatPorts(s, 1) !== row)) return null;
  return defaultLoadBalancerSnatPorts(size, frontendCount);
}

/** Unique frontend IDs of rules, in order. */
function frontendsOfRules(rules: readonly LoadBalancingRule[]): ResourceId[] {
  return [...new Set(rules.flatMap((r) => r.frontendIpConfigurationIds))];
}

/**
 * The public IPs traffic of the flow's IP version leaves from and the SNAT ports available at that
 * exit. A StandardV2 NAT gateway holds IPv4 and IPv6 addresses [NATRES]; an IPv4 flow is translated
 * to an IPv4 one only (and an IPv6 flow to an IPv6 one).
 */
export function methodEgress(index: ModelIndex, method: OutboundMethod, version: FlowIpVersion = 'IPv4'): MethodEgress {
  switch (method.kind) {
    case 'nat-gateway': {
      const nat = method.natGateway;
      if (!nat) return { egressIps: [], snatPorts: null };
      const { ips, prefixes } = natGatewayAddresses(index, nat, version);
      // A prefix not in the input (or of unknown length) makes the address count, and so the
      // ports, unknown: never counted as 0, which would understate the capacity [NATRES].
      const prefixAddresses = prefixes.map((id) => prefixAddressCount(index, id));
      const addresses = prefixAddresses.includes(null) ? null : ips.length + prefixAddresses.reduce<number>((n, c) => n + (c ?? 0), 0);
      return {
        egressIps: [...ips.map((id) => publicIpLabel(index, id)), ...prefixes.map((id) => prefixLabel(index, id))],
        // 64,512 ports per IPv4 address, shared by every subnet on the NAT gateway [NATRES]; IPv6 port
        // capacity is not stated there, so not claimed.
        snatPorts: version === 'IPv4' && addresses !== null && addresses > 0 ? addresses * SNAT_PORTS_PER_IP : null,
      };
    }
    case 'instance-public-ip':
      // A flow leaves only from an address of its own version: an IPv4 public IP gives an IPv6 flow nothing.
      if (!pipHasVersion(index, method.publicIpAddressId, version)) return { egressIps: [], snatPorts: null };
      // "Public IP on VM's NIC: SNAT isn't used", "implemented as a stateless 1:1 NAT", "the instance
      // has all ephemeral ports available" (articles/load-balancer/load-balancer-outbound-connections.md):
      // no SNAT port count applies (64,512 is the NAT gateway's per-IP figure) [LBOUT].
      return { egressIps: [publicIpLabel(index, method.publicIpAddressId)], snatPorts: null };
    case 'firewall-public-ip': {
      const ids = method.publicIpAddressIds.filter((id) => pipHasVersion(index, id, version));
      // A floor (two instances); the firewall has more as it scales out [FWNAT].
      return { egressIps: ids.map((id) => publicIpLabel(index, id)), snatPorts: ids.length > 0 ? firewallMinimumSnatPorts(ids.length) : null };
    }
    case 'platform-public-ip':
      // Platform-managed SNAT capacity is not documented for gateways or the firewall management NIC.
      return { egressIps: method.publicIpAddressIds.filter((id) => pipHasVersion(index, id, version)).map((id) => publicIpLabel(index, id)), snatPorts: null };
    case 'lb-outbound-rule': {
      const frontends = method.rule.frontendIpConfigurationIds;
      const allocated = method.rule.allocatedOutboundPorts;
      return {
        egressIps: frontendEgress(index, method.loadBalancer, frontends, version),
        snatPorts: allocated !== null && allocated > 0 ? allocated : defaultLoadBalancerSnatPorts(poolSize(index, method.pool), frontendIpCount(index, method.loadBalancer, frontends, version)),
      };
    }
    case 'lb-rule-snat': {
      // Every frontend of the pools' SNAT rules: all are used at the same time, and each adds its
      // default allocation, up to 1,024 per instance [LBOUT].
      const frontends = frontendsOfRules(method.rules);
      return { egressIps: frontendEgress(index, method.loadBalancer, frontends, version), snatPorts: pooledDefaultSnatPorts(index, method.pools, frontendIpCount(index, method.loadBalancer, frontends, version)) };
    }
    case 'lb-basic': {
      // The candidates are the frontends the rules link to the pool [LBOUT 2019].
      const frontends = basicRuleFrontends(method.loadBalancer, method.pool);
      // "Load Balancer Basic chooses a single frontend to be used for outbound flows when multiple (public) IP
      // frontends are candidates" (random, not configurable) [LBOUT, 2020 text]: ports of one frontend.
      return { egressIps: frontendEgress(index, method.loadBalancer, frontends, version), snatPorts: defaultLoadBalancerSnatPorts(poolSize(index, method.pool), 1) };
    }
    case 'default-outbound':
    case 'none':
    case 'undecided':
      return { egressIps: [], snatPorts: null };
  }
}

/** What a path's `snatPorts` means, for the places that show it (table, PDF, app). */
export type SnatCapacity =
  /** `atLeast`: a floor (an Azure Firewall's own public IPs: two instances' worth, more as it scales out). */
  | { readonly kind: 'ports'; readonly ports: number; readonly atLeast: boolean }
  /** An instance-level public IP: a stateless 1:1 NAT with every ephemeral port, no SNAT [LBOUT]. */
  | { readonly kind: 'no-snat' }
  | { readonly kind: 'unknown' };

/**
 * Reads the path's exit step (its last NAT gateway, public IP or load balancer step): a firewall's
 * SNAT ports are a minimum, an instance-level public IP uses no SNAT, and every other null count is
 * not known.
 */
export function snatCapacityOf(path: { readonly snatPorts: number | null; readonly steps: readonly Step[] }): SnatCapacity {
  let exit: Step | undefined;
  for (const step of path.steps) if (step.kind === 'nat-gateway' || step.kind === 'public-ip' || step.kind === 'load-balancer') exit = step;
  const owner = exit?.kind === 'public-ip' ? exit.owner : null;
  if (path.snatPorts !== null) return { kind: 'ports', ports: path.snatPorts, atLeast: owner === 'firewall' || owner === 'hub-firewall' };
  return owner === 'instance' ? { kind: 'no-snat' } : { kind: 'unknown' };
}

/** `64,512`, `at least 4,992`, `no SNAT (instance public IP)`, or `unknown` for a count not known. */
export function snatPortsText(path: { readonly snatPorts: number | null; readonly steps: readonly Step[] }, unknown: string): string {
  const capacity = snatCapacityOf(path);
  switch (capacity.kind) {
    case 'ports': return `${capacity.atLeast ? 'at least ' : ''}${capacity.ports.toLocaleString('en-US')}`;
    case 'no-snat': return 'no SNAT (instance public IP)';
    case 'unknown': return unknown;
  }
}

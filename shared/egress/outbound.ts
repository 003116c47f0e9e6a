/**
 * Which outbound method SNATs internet traffic when the winning route's next hop is `Internet`,
 * in Azure's precedence: NAT gateway > instance-level public IP > LB outbound rule > LB-rule
 * implicit SNAT > Basic public LB > default outbound access > none [NATOV][LBOUT][DOA]
 * https://learn.microsoft.com/azure/nat-gateway/nat-overview#outbound-connectivity
 */
import { parseResourceId } from '../model/ids';
import type { ResourceId } from '../model/ids';
import { parseCidr } from '../model/ip';
import type { ModelIndex } from '../model/model-index';
import type {
  AzureFirewall, LoadBalancer, LoadBalancerBackendPool, LoadBalancingRule, NatGateway, NetworkInterface,
  NicIpConfiguration, OutboundRule, PublicIpAddress, Subnet, VirtualNetworkGateway,
} from '../model/topology';
import { protocolCovers, type FlowProtocol } from './load-balancer';

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
  | { readonly kind: 'lb-rule-snat'; readonly loadBalancer: LoadBalancer; readonly rule: LoadBalancingRule; readonly pool: LoadBalancerBackendPool }
  | { readonly kind: 'lb-basic'; readonly loadBalancer: LoadBalancer; readonly pool: LoadBalancerBackendPool }
  | { readonly kind: 'default-outbound'; readonly reason: 'allowed' | 'delegated' }
  | { readonly kind: 'none'; readonly reason: string };

export type TransportProtocol = FlowProtocol;

export const SNAT_PORTS_PER_IP = 64_512;
export const FIREWALL_SNAT_PORTS_PER_IP_PER_INSTANCE = 2_496;
export const FIREWALL_MIN_INSTANCES = 2;

/** The configuration that sends: the primary IPv4 configuration (LB outbound rules use only that one [LBRULES]). */
export function primaryIpConfiguration(nic: NetworkInterface): NicIpConfiguration | null {
  return nic.ipConfigurations.find((c) => c.primary && c.privateIpAddressVersion === 'IPv4')
    ?? nic.ipConfigurations.find((c) => c.privateIpAddressVersion === 'IPv4')
    ?? nic.ipConfigurations[0] ?? null;
}

function isPublicLoadBalancer(lb: LoadBalancer, frontendIds?: readonly ResourceId[]): boolean {
  return lb.frontendIpConfigurations.some((f) => (frontendIds === undefined || frontendIds.includes(f.id))
    && (f.publicIpAddressId !== null || f.publicIpPrefixId !== null));
}

/**
 * Whether a load balancer rule's protocol (`Tcp`, `Udp`, `All`) covers the traffic: "the automatic
 * outbound NAT provided matches the transport protocol of the load-balancing rule", and outbound
 * rules name their own protocol [LBRULES] https://learn.microsoft.com/azure/load-balancer/outbound-rules#scenario6out
 * An `Unknown` protocol covers nothing: no SNAT is claimed on a guess.
 */
const ruleProtocolCovers = protocolCovers;

function loadBalancerMethod(index: ModelIndex, config: NicIpConfiguration, protocol: TransportProtocol): OutboundMethod | null {
  // Membership from both sides (the NIC's pool list and the LB pool's member list), sorted by pool ID.
  const pools = index.poolsOfIpConfiguration(config);
  for (const { loadBalancer, pool } of pools) {
    // Only Standard load balancers program outbound rules and load-balancing-rule SNAT; an
    // `Unknown` SKU claims nothing.
    if (loadBalancer.skuName !== 'Standard') continue;
    const rule = loadBalancer.outboundRules.find((r) => r.backendAddressPoolId === pool.id && ruleProtocolCovers(r.protocol, protocol)
      && isPublicLoadBalancer(loadBalancer, r.frontendIpConfigurationIds));
    if (rule) return { kind: 'lb-outbound-rule', loadBalancer, rule, pool };
  }
  for (const { loadBalancer, pool } of pools) {
    if (loadBalancer.skuName !== 'Standard') continue;
    const rule = loadBalancer.loadBalancingRules.find((r) => !r.disableOutboundSnat && r.backendAddressPoolIds.includes(pool.id) && ruleProtocolCovers(r.protocol, protocol)
      && isPublicLoadBalancer(loadBalancer, r.frontendIpConfigurationIds));
    if (rule) return { kind: 'lb-rule-snat', loadBalancer, rule, pool };
  }
  for (const { loadBalancer, pool } of pools) {
    if (loadBalancer.skuName === 'Basic' && isPublicLoadBalancer(loadBalancer)) return { kind: 'lb-basic', loadBalancer, pool };
  }
  return null;
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

function defaultOutbound(index: ModelIndex, subnet: Subnet, nic: NetworkInterface | null, config: NicIpConfiguration | null = null): OutboundMethod {
  if (nic?.flexibleScaleSetMember) return { kind: 'none', reason: 'the VM is a Flexible-orchestration scale set instance, which never gets default outbound access' };
  const sibling = nic ? otherVmNicHasPublicIp(index, nic) : null;
  if (sibling) {
    return { kind: 'none', reason: `another NIC of the same VM (${sibling.name}) has a public IP, which turns default outbound access off for the whole VM; what this NIC's traffic uses is UNCONFIRMED` };
  }
  // "Associate a public IP to any of the virtual machine's network interfaces" turns default outbound off [DOA]:
  // a public IP on another IP configuration of this NIC counts too.
  const ownOther = nic?.ipConfigurations.find((c) => c !== config && c.publicIpAddressId !== null);
  if (nic && ownOther) {
    return { kind: 'none', reason: `IP configuration ${ownOther.name} of NIC ${nic.name} has a public IP, which turns default outbound access off for the VM; what the other configurations' traffic uses is UNCONFIRMED` };
  }
  const standard = standardPoolOf(index, config);
  if (standard) {
    const why = isPublicLoadBalancer(standard.loadBalancer) ? 'no outbound rule or load-balancing rule programs outbound SNAT for this protocol (disableOutboundSnat, another protocol, or no rule at all)' : 'it is an internal load balancer';
    return { kind: 'none', reason: `the NIC is in backend pool ${standard.pool.name} of Standard load balancer ${standard.loadBalancer.name}, which gives no outbound (${why}) and turns default outbound access off` };
  }
  // Private subnets do not apply to delegated (PaaS) subnets: the service manages outbound [DOA].
  if (subnet.delegations.length > 0) return { kind: 'default-outbound', reason: 'delegated' };
  if (subnet.defaultOutboundAccess === false) return { kind: 'none', reason: 'the subnet is private (defaultOutboundAccess = false) and has no explicit outbound method' };
  return { kind: 'default-outbound', reason: 'allowed' };
}

/** Picks the outbound method for a sender in a subnet whose winning route is `Internet`. */
export function chooseOutboundMethod(index: ModelIndex, subnet: Subnet, sender: Sender, protocol: TransportProtocol = 'Tcp'): OutboundMethod {
  // NAT gateway is not supported on GatewaySubnet [NATRES]: the gateway keeps its own public IPs
  // (the nat-gateway-on-gateway-subnet finding reports the misconfiguration).
  if (subnet.natGatewayId && sender.kind !== 'gateway') return { kind: 'nat-gateway', natGatewayId: subnet.natGatewayId, natGateway: index.natGateways.get(subnet.natGatewayId) ?? null };
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
      const config = sender.ipConfiguration;
      if (config?.publicIpAddressId) {
        return { kind: 'instance-public-ip', publicIpAddressId: config.publicIpAddressId, publicIp: index.publicIpAddresses.get(config.publicIpAddressId) ?? null };
      }
      const lb = config ? loadBalancerMethod(index, config, protocol) : null;
      return lb ?? defaultOutbound(index, subnet, sender.nic, config);
    }
    case 'subnet':
      return defaultOutbound(index, subnet, null);
  }
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

/** IPv4 addresses a public IP prefix holds (2^(32-len)); 0 when unknown or IPv6. */
function prefixAddressCount(index: ModelIndex, id: ResourceId): number {
  const prefix = index.publicIpPrefixes.get(id);
  if (!prefix || prefix.version === 'IPv6') return 0;
  const length = prefix.prefixLength ?? (prefix.ipPrefix ? parseCidr(prefix.ipPrefix)?.prefixLength ?? null : null);
  return length === null ? 0 : 2 ** (32 - length);
}

/** Default SNAT ports per instance by backend pool size, per frontend IP, capped at 1,024 [LBOUT]. */
export function defaultLoadBalancerSnatPorts(poolSize: number, frontendCount: number): number {
  const perFrontend = poolSize <= 50 ? 1024 : poolSize <= 100 ? 512 : poolSize <= 200 ? 256 : poolSize <= 400 ? 128
    : poolSize <= 800 ? 64 : poolSize <= 1000 ? 32 : 0;
  return Math.min(1024, perFrontend * Math.max(1, frontendCount));
}

export interface MethodEgress {
  readonly egressIps: readonly string[];
  readonly snatPorts: number | null;
}

function frontendEgress(index: ModelIndex, lb: LoadBalancer, frontendIds: readonly ResourceId[]): string[] {
  const ips: string[] = [];
  for (const f of lb.frontendIpConfigurations) {
    if (!frontendIds.includes(f.id)) continue;
    if (f.publicIpAddressId) ips.push(publicIpLabel(index, f.publicIpAddressId));
    if (f.publicIpPrefixId) ips.push(prefixLabel(index, f.publicIpPrefixId));
  }
  return ips;
}

/**
 * Frontend IPs behind the frontends: 1 per public IP, every address of a public IP prefix ("each of
 * the IP addresses within public IP prefix provides an extra 64,000 ephemeral ports" [LBRULES]).
 * The default allocation is "per frontend IP, up to a maximum of 1024 ports" [LBOUT].
 */
function frontendIpCount(index: ModelIndex, lb: LoadBalancer, frontendIds: readonly ResourceId[]): number {
  let count = 0;
  for (const f of lb.frontendIpConfigurations) {
    if (!frontendIds.includes(f.id)) continue;
    if (f.publicIpAddressId) count += 1;
    if (f.publicIpPrefixId) count += Math.max(1, prefixAddressCount(index, f.publicIpPrefixId));
  }
  return Math.max(1, count);
}

/** Members from both sides (LB pool list and NIC pool lists) plus IP-based members. */
function poolSize(index: ModelIndex, pool: LoadBalancerBackendPool): number {
  return index.poolMembers(pool.id).length + pool.backendIpAddresses.length;
}

/** The public IPs traffic leaves from and the SNAT ports available at that exit. */
export function methodEgress(index: ModelIndex, method: OutboundMethod): MethodEgress {
  switch (method.kind) {
    case 'nat-gateway': {
      const nat = method.natGateway;
      if (!nat) return { egressIps: [], snatPorts: null };
      const v4Ips = nat.publicIpAddressIds.filter((id) => index.publicIpAddresses.get(id)?.version !== 'IPv6');
      const addresses = v4Ips.length + nat.publicIpPrefixIds.reduce((n, id) => n + prefixAddressCount(index, id), 0);
      return {
        egressIps: [...nat.publicIpAddressIds.map((id) => publicIpLabel(index, id)), ...nat.publicIpPrefixIds.map((id) => prefixLabel(index, id))],
        // 64,512 ports per IPv4 address, shared by every subnet on the NAT gateway [NATRES].
        snatPorts: addresses > 0 ? addresses * SNAT_PORTS_PER_IP : null,
      };
    }
    case 'instance-public-ip':
      return { egressIps: [publicIpLabel(index, method.publicIpAddressId)], snatPorts: SNAT_PORTS_PER_IP };
    case 'firewall-public-ip':
      return {
        egressIps: method.publicIpAddressIds.map((id) => publicIpLabel(index, id)),
        snatPorts: method.publicIpAddressIds.length * FIREWALL_SNAT_PORTS_PER_IP_PER_INSTANCE * FIREWALL_MIN_INSTANCES,
      };
    case 'platform-public-ip':
      // Platform-managed SNAT capacity is not documented for gateways or the firewall management NIC.
      return { egressIps: method.publicIpAddressIds.map((id) => publicIpLabel(index, id)), snatPorts: null };
    case 'lb-outbound-rule': {
      const frontends = method.rule.frontendIpConfigurationIds;
      const allocated = method.rule.allocatedOutboundPorts;
      return {
        egressIps: frontendEgress(index, method.loadBalancer, frontends),
        snatPorts: allocated !== null && allocated > 0 ? allocated : defaultLoadBalancerSnatPorts(poolSize(index, method.pool), frontendIpCount(index, method.loadBalancer, frontends)),
      };
    }
    case 'lb-rule-snat': {
      const frontends = method.rule.frontendIpConfigurationIds;
      return { egressIps: frontendEgress(index, method.loadBalancer, frontends), snatPorts: defaultLoadBalancerSnatPorts(poolSize(index, method.pool), frontendIpCount(index, method.loadBalancer, frontends)) };
    }
    case 'lb-basic': {
      const frontends = method.loadBalancer.frontendIpConfigurations.map((f) => f.id);
      // "Load Balancer Basic chooses a single frontend to be used for outbound flows when multiple (public) IP
      // frontends are candidates" (random, not configurable) [LBOUT, 2020 text]: ports of one frontend.
      return { egressIps: frontendEgress(index, method.loadBalancer, frontends), snatPorts: defaultLoadBalancerSnatPorts(poolSize(index, method.pool), 1) };
    }
    case 'default-outbound':
    case 'none':
      return { egressIps: [], snatPorts: null };
  }
}

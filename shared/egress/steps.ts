/**
 * The engine's record of a path, Batfish style: each handler appends one typed step saying what it
 * decided and from which resource; the last step is always a `terminal` whose reason fixes the
 * verdict (`verdictOf`), so a path cannot say one thing in its steps and another in its verdict.
 * Steps are plain JSON data (IDs, names, prefixes): the renderer, the CLI and the PDF turn them into
 * words through one module, explain.ts.
 */
import { assertNever } from '../model/assert';
import type { ComputedRoute } from '../routing/route';
import type { ExitMethod, Verdict } from './types';

/** The flow the rules were evaluated for: what the explanation says was allowed or denied. */
export interface Flow {
  /** `the internet (0.0.0.0/0)` or the what-if destination as typed. */
  readonly destination: string;
  readonly protocol: 'Tcp' | 'Udp';
  readonly port: number;
}

/** A route as steps cite it (no parsed CIDR: steps are JSON). */
export type RouteRef = Pick<ComputedRoute, 'source' | 'origin' | 'name' | 'addressPrefix' | 'nextHop' | 'nextHopIpAddress' | 'resourceId'>;

export interface Named {
  readonly id: string;
  readonly name: string;
}

export type SourceStep =
  /** `delegations`: the services the subnet is delegated to (their instances send, not customers' VMs); absent when none. */
  | { readonly kind: 'source'; readonly origin: 'subnet'; readonly subnet: Named; readonly addressPrefixes: readonly string[]; readonly delegations?: readonly string[] }
  | { readonly kind: 'source'; readonly origin: 'nic'; readonly nic: Named; readonly privateIp: string | null; readonly subnet: Named }
  | { readonly kind: 'source'; readonly origin: 'azure-firewall' | 'firewall-management'; readonly subnet: Named; readonly addressPrefixes: readonly string[]; readonly firewall: Named }
  | { readonly kind: 'source'; readonly origin: 'gateway'; readonly subnet: Named; readonly addressPrefixes: readonly string[]; readonly gateways: readonly (Named & { readonly gatewayType: string })[] }
  /** A platform subnet whose Azure-managed instances the model does not describe (Bastion, Route Server), or that nothing uses. */
  | { readonly kind: 'source'; readonly origin: 'platform-not-modelled'; readonly subnet: Named; readonly addressPrefixes: readonly string[]; readonly platform: string; readonly deployed: boolean; readonly docs: string };

export interface NsgRuleRef {
  readonly name: string;
  readonly priority: number;
  readonly access: 'Allow' | 'Deny';
  readonly isDefault: boolean;
}

export interface NsgStep {
  readonly kind: 'nsg';
  readonly nsg: Named;
  readonly attachedTo: 'NIC' | 'subnet';
  readonly direction: 'Outbound' | 'Inbound';
  /** `Partial`: some of the destination space is allowed (default route only); `Unknown`: the decision needs data the model lacks. */
  readonly access: 'Allow' | 'Deny' | 'Partial' | 'Unknown';
  /** The deciding rule(s), in priority order. */
  readonly rules: readonly NsgRuleRef[];
  readonly defaultsAssumed: boolean;
  /** For `Partial`: the allowed destination prefixes and service tags. */
  readonly allowed: readonly string[];
  /** For `Unknown`: the missing fact. For inbound at an appliance: what was evaluated. */
  readonly note: string | null;
  readonly flow: Flow;
  /**
   * Whether the destination the rules were evaluated for is public (internet) address space,
   * private (a private endpoint, a VNet or on-premises address) or both (a range): the words say
   * what the NSG saw, and calling a private endpoint's address "public" would be false. Absent in
   * steps written before the field existed.
   */
  readonly destinationScope?: DestinationScope;
  /**
   * Set on the inbound check of a private endpoint's subnet NSG: the endpoint the traffic goes to.
   * Network policies on the endpoint's subnet (`Enabled` or `NetworkSecurityGroupEnabled`) apply
   * that NSG to traffic to the endpoint [PENP]
   * https://learn.microsoft.com/azure/private-link/disable-private-endpoint-network-policy
   */
  readonly privateEndpoint?: Named;
}

/** What kind of address space a destination is: see NsgStep.destinationScope. */
export type DestinationScope = 'public' | 'private' | 'mixed';

/**
 * How the private endpoint's subnet NSG bore on traffic to the endpoint [PENP]: NSG rules apply to
 * a private endpoint only when `privateEndpointNetworkPolicies` is `Enabled` or
 * `NetworkSecurityGroupEnabled` on its subnet; with `Disabled` (Azure's default) or
 * `RouteTableEnabled` they do not.
 * https://learn.microsoft.com/azure/private-link/disable-private-endpoint-network-policy
 */
export interface EndpointNetworkPolicies {
  readonly subnet: Named;
  /** `privateEndpointNetworkPolicies` as read; null when the input does not give it. */
  readonly value: string | null;
  /** The endpoint subnet's NSG; null when it has none. */
  readonly nsg: Named | null;
  /**
   * `no-nsg`: nothing to apply; `not-applied`: the policies leave NSGs off; `applied`: its inbound
   * rules were evaluated and let the traffic in; `allows-either-way`: the policy value is not in
   * the input, and the NSG lets the traffic in whether it applies or not.
   */
  readonly nsgEffect: 'no-nsg' | 'not-applied' | 'applied' | 'allows-either-way';
}

export interface RouteStep {
  readonly kind: 'route';
  readonly subnet: Named;
  readonly route: RouteRef;
  /** The best few routes that also matched, and why each lost. */
  readonly overridden: readonly { readonly route: RouteRef; readonly lostBecause: string }[];
  /** Where the routes came from: a captured effective route table (NIC ID) or the configuration. */
  readonly capturedFromNicId: string | null;
  readonly routeTableId: string | null;
  readonly flow: Flow;
}

export interface FirewallRuleRef {
  readonly ruleKind: 'network' | 'application';
  readonly collection: string;
  readonly name: string;
  readonly priority: number;
}

export type FirewallRuleDecision =
  /** `exceptFqdns`: names earlier rules deny, whose addresses stay denied (absent: none). */
  | { readonly kind: 'allow'; readonly rule: FirewallRuleRef; readonly anyFqdn: boolean; readonly exceptFqdns?: readonly string[] }
  | { readonly kind: 'deny'; readonly rule: FirewallRuleRef }
  | { readonly kind: 'default-deny' }
  /** Only some destinations (FQDNs, prefixes) are allowed: internet, restricted to them. */
  | {
      readonly kind: 'restricted'; readonly rules: readonly FirewallRuleRef[]; readonly fqdns: readonly string[]; readonly prefixes: readonly string[];
      readonly exceptFqdns?: readonly string[];
    }
  /** An IP destination where only name-based rules could allow it: the name decides, which an IP does not tell. */
  | { readonly kind: 'name-based'; readonly rules: readonly FirewallRuleRef[]; readonly fqdns: readonly string[] }
  | { readonly kind: 'not-captured'; readonly reason: string }
  | { readonly kind: 'unknown'; readonly reason: string };

export interface FirewallRuleStep {
  readonly kind: 'firewall-rule';
  readonly firewall: Named;
  readonly policyId: string | null;
  readonly decision: FirewallRuleDecision;
  readonly flow: Flow;
}

export interface AzureFirewallStep {
  readonly kind: 'azure-firewall';
  readonly firewall: Named;
  readonly skuName: string;
  readonly skuTier: string;
  readonly forcedTunnel: boolean;
  readonly hub: Named | null;
}

export interface ApplianceStep {
  readonly kind: 'virtual-appliance';
  readonly nic: Named;
  readonly privateIp: string | null;
}

export interface InternalLoadBalancerStep {
  readonly kind: 'internal-load-balancer';
  readonly loadBalancer: Named;
  readonly frontend: string;
  /** The load-balancing rule that carries the flow (HA ports or a matching protocol/port), if any. */
  readonly rule: { readonly name: string; readonly haPorts: boolean; readonly protocol: string; readonly frontendPort: number } | null;
  readonly memberCount: number;
  readonly firstMember: string | null;
  readonly flow: Flow;
}

export type GatewayStep =
  | { readonly kind: 'virtual-network-gateway'; readonly use: 'forced-tunnel'; readonly gateway: Named; readonly expressRoute: boolean; readonly how: 'default-site' | 'udr' | 'bgp'; readonly routePrefix: string; readonly transit: boolean; readonly learned: boolean }
  | { readonly kind: 'virtual-network-gateway'; readonly use: 'policy-based-udr' | 'expressroute-udr'; readonly gateway: Named };

export interface VirtualHubStep {
  readonly kind: 'virtual-hub';
  readonly hub: Named;
  readonly routingIntent: string | null;
  /** A UDR to VirtualNetworkGateway in a VNet connected to Virtual WAN (unsupported). */
  readonly udr: boolean;
  readonly subnetId: string;
}

export interface NatGatewayStep {
  readonly kind: 'nat-gateway';
  readonly natGateway: Named;
  readonly egressIps: readonly string[];
  readonly snatPorts: number | null;
  readonly sharedBySubnets: number;
  /** The NIC has its own public IP, which then serves only inbound-originated flows. */
  readonly ownPublicIpInboundOnly: boolean;
}

export interface PublicIpStep {
  readonly kind: 'public-ip';
  readonly owner: 'instance' | 'firewall' | 'hub-firewall' | 'gateway' | 'firewall-management';
  /** The public IP resource (or the owner when no IP resource is known). */
  readonly resourceId: string;
  readonly ownerId: string;
  readonly ownerName: string;
  readonly publicIpName: string | null;
  readonly egressIps: readonly string[];
}

export interface LoadBalancerStep {
  readonly kind: 'load-balancer';
  readonly method: 'outbound-rule' | 'rule-snat' | 'basic';
  readonly loadBalancer: Named;
  readonly ruleName: string | null;
  readonly poolName: string;
  readonly egressIps: readonly string[];
  readonly snatPorts: number | null;
  /** Ports per instance set by the outbound rule itself (null: the default allocation table). */
  readonly portsFromRule: number | null;
}

/**
 * How the destination name resolved from the source's virtual network: through a linked private
 * DNS zone (private endpoint), publicly, or as the user said (`--resolve`). Routing then uses the
 * address; without one it uses the default route and says so.
 */
export interface DnsStep {
  readonly kind: 'dns';
  readonly name: string;
  readonly resolution: 'private' | 'public' | 'user' | 'not-resolved' | 'unknown';
  readonly vnet: Named;
  readonly zone: Named | null;
  readonly link: Named | null;
  readonly record: Named | null;
  readonly addresses: readonly string[];
  /** The CNAME chain followed, first name first. */
  readonly chain: readonly string[];
  /** Why (public: no linked privatelink zone; unknown: custom DNS servers; …). */
  readonly note: string | null;
}

export interface DefaultOutboundStep {
  readonly kind: 'default-outbound';
  readonly subnet: Named;
  readonly defaultOutboundAccess: boolean | null;
  /** `nic-allocated`: a private subnet whose NIC still has a default outbound IP (VM not deallocated since) [DOA]. */
  readonly reason: 'allowed' | 'nic-allocated';
}

/** Why a path ends. Each reason implies exactly one verdict (`verdictOf`). */
export type TerminalReason =
  // internet
  | { readonly kind: 'egress'; readonly exit: ExitMethod; readonly egressIps: readonly string[]; readonly egressText: string; readonly restrictedTo: readonly string[] | null }
  // private: the traffic never becomes internet traffic
  | { readonly kind: 'delivered-in-vnet'; readonly vnet: Named; readonly addressPrefix: string }
  | { readonly kind: 'delivered-over-peering'; readonly vnet: Named; readonly remoteVnet: Named; readonly peering: Named; readonly addressPrefix: string }
  | {
      readonly kind: 'delivered-to-private-endpoint'; readonly privateEndpoint: Named; readonly address: string; readonly target: string | null; readonly groupIds: readonly string[];
      /** Whether the endpoint subnet's NSG applied (absent in results written before the field existed). */
      readonly networkPolicies?: EndpointNetworkPolicies;
    }
  | { readonly kind: 'delivered-to-service-endpoint'; readonly service: string; readonly route: RouteRef }
  /**
   * A virtualized IP address of the host node (host-addresses.ts): 169.254.169.254 (Instance
   * Metadata Service) or 168.63.129.16 (WireServer: Azure DNS, DHCP, the VM agent). The VM reaches
   * it on its own host, with no route (UDR), firewall or appliance in between, and it never becomes
   * internet traffic. `nsgTags`: the service tags through which an NSG rule could have applied
   * (empty: NSGs do not apply to this flow); `allowedBy`: the rule on such a tag that allowed it.
   */
  | {
      readonly kind: 'host-platform-address'; readonly address: string; readonly service: 'instance-metadata' | 'wireserver';
      readonly nsgTags: readonly string[]; readonly allowedBy: readonly { readonly nsg: Named; readonly rule: string }[];
    }
  // on-premises
  | { readonly kind: 'forced-tunnel'; readonly gateway: Named | null; readonly expressRoute: boolean }
  // denied
  | { readonly kind: 'nsg-deny'; readonly nsg: Named; readonly rules: readonly string[]; readonly direction: 'Outbound' | 'Inbound' }
  | { readonly kind: 'firewall-deny'; readonly firewall: Named; readonly rule: string | null }
  // dropped
  | { readonly kind: 'no-route'; readonly subnet: Named }
  | { readonly kind: 'next-hop-none'; readonly route: RouteRef }
  | { readonly kind: 'stays-in-vnet'; readonly route: RouteRef }
  | { readonly kind: 'next-hop-unowned'; readonly route: RouteRef; readonly vnet: Named; readonly note: string }
  | { readonly kind: 'next-hop-not-carried'; readonly route: RouteRef; readonly peering: Named; readonly reason: string }
  | { readonly kind: 'ip-forwarding-disabled'; readonly nic: Named; readonly privateIp: string | null }
  | { readonly kind: 'no-gateway'; readonly route: RouteRef; readonly vnet: Named }
  | { readonly kind: 'routing-loop'; readonly appliance: Named }
  | { readonly kind: 'ilb-no-backend'; readonly loadBalancer: Named }
  | { readonly kind: 'ilb-no-rule'; readonly loadBalancer: Named; readonly flow: Flow }
  | { readonly kind: 'firewall-no-snat'; readonly firewall: Named; readonly privateRanges: readonly string[] }
  | { readonly kind: 'name-not-resolved'; readonly name: string; readonly zone: Named; readonly link: Named }
  /** Multicast or broadcast, which virtual networks block (host-addresses.ts BlockedInVnet); `words` says why. */
  | { readonly kind: 'blocked-in-vnet'; readonly what: 'multicast' | 'broadcast'; readonly words: string }
  // no-outbound
  | { readonly kind: 'no-outbound-method'; readonly subnet: Named; readonly reason: string }
  // unknown: each names the fact that is missing
  | { readonly kind: 'next-hop-not-modelled'; readonly route: RouteRef }
  | { readonly kind: 'service-endpoint'; readonly route: RouteRef }
  /** `verify`: a read-only command that shows the missing fact, when one is known (else the previous hop's). */
  | { readonly kind: 'missing-resource'; readonly resourceId: string; readonly what: string; readonly consequence: string; readonly verify?: string }
  | { readonly kind: 'unsupported-gateway-target'; readonly gateway: Named; readonly why: 'policy-based' | 'expressroute' | 'virtual-wan' }
  | { readonly kind: 'platform-egress-unknown'; readonly subnet: Named; readonly reason: string }
  | { readonly kind: 'platform-not-modelled'; readonly subnet: Named; readonly platform: string; readonly deployed: boolean; readonly docs: string }
  | { readonly kind: 'not-evaluated'; readonly subnet: Named; readonly reason: string }
  | { readonly kind: 'range-split'; readonly destination: string; readonly parts: readonly { readonly prefix: string; readonly nextHop: string }[] }
  /** `verify`: a read-only command that shows the missing fact, when one is known (else as explain.ts picks). */
  | { readonly kind: 'undecided'; readonly resourceId: string; readonly rule: string; readonly missingFact: string; readonly docs: string; readonly verify?: string };

export interface TerminalStep {
  readonly kind: 'terminal';
  readonly reason: TerminalReason;
}

export type Step =
  | SourceStep | NsgStep | RouteStep | AzureFirewallStep | FirewallRuleStep | ApplianceStep | InternalLoadBalancerStep
  | GatewayStep | VirtualHubStep | NatGatewayStep | PublicIpStep | LoadBalancerStep | DefaultOutboundStep | DnsStep | TerminalStep;

export type StepKind = Step['kind'];

/** The one place a verdict comes from. */
export function verdictOf(reason: TerminalReason): Verdict {
  switch (reason.kind) {
    case 'egress': return 'internet';
    case 'delivered-in-vnet': case 'delivered-over-peering': case 'delivered-to-private-endpoint': case 'delivered-to-service-endpoint': case 'host-platform-address':
      return 'private';
    case 'forced-tunnel': return 'on-premises';
    case 'nsg-deny': case 'firewall-deny': return 'denied';
    case 'no-route': case 'next-hop-none': case 'stays-in-vnet': case 'next-hop-unowned': case 'next-hop-not-carried':
    case 'ip-forwarding-disabled': case 'no-gateway': case 'routing-loop': case 'ilb-no-backend': case 'ilb-no-rule': case 'firewall-no-snat': case 'name-not-resolved':
    case 'blocked-in-vnet':
      return 'dropped';
    case 'no-outbound-method': return 'no-outbound';
    case 'next-hop-not-modelled': case 'service-endpoint': case 'missing-resource': case 'unsupported-gateway-target':
    case 'platform-egress-unknown': case 'platform-not-modelled': case 'not-evaluated': case 'undecided': case 'range-split':
      return 'unknown';
    default: return assertNever(reason, 'terminal reason');
  }
}

/** The terminal step of a path (every path the engine emits ends with one). */
export function terminalOf(steps: readonly Step[]): TerminalStep {
  const last = steps[steps.length - 1];
  if (!last || last.kind !== 'terminal') throw new Error('a path must end with a terminal step');
  return last;
}

/*
 * How an egress end's `restrictedTo` words its entries, written by the engine (engine.ts
 * intersectRestrictions, nsgVerdict, the firewall's partial allows) and read back by reach, the app
 * and the evidence PDF: one vocabulary, so a reader never drifts from the writer.
 * - `every destination except A, B`: the whole internet but names earlier deny rules keep out;
 * - `except A, B`: the same exceptions to a list of allowed destinations;
 * - `service tag X`: a service tag (NSG or firewall), beside CIDRs and FQDNs as written;
 * - `X (only its addresses also in …)`: a name allowed only where its addresses (not in the input)
 *   fall in what the other rule set allows.
 */
export const EVERY_DESTINATION_EXCEPT = 'every destination except ';
export const RESTRICTION_EXCEPT = 'except ';
export const SERVICE_TAG_ENTRY = 'service tag ';
export const CONDITIONAL_ENTRY = ' (only its addresses also in ';

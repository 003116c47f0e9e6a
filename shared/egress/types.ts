/**
 * The resolver's output contract, `egress-atlas/resolve@1`: what `egress-atlas resolve --format
 * json` prints, what the UI panel, the CLI table and the evidence PDF render. Nothing downstream
 * recomputes a verdict: they all read this.
 */
import type { Gap } from '../model/gaps';

export const RESOLVE_SCHEMA = 'egress-atlas/resolve@1' as const;

export type Verdict = 'internet' | 'on-premises' | 'dropped' | 'denied' | 'no-outbound' | 'unknown';

/** How traffic finally leaves Azure for the internet. `public-ip` = a public IP on the resource that finally sends (VM NIC, firewall, NVA). */
export type ExitMethod = 'nat-gateway' | 'public-ip' | 'load-balancer' | 'default-outbound';

export type HopKind =
  | 'source'            // the subnet or NIC the traffic starts from
  | 'nsg'               // an NSG rule that allowed or denied it
  | 'route'             // the route that won longest-prefix match
  | 'azure-firewall'
  | 'firewall-rule'     // the firewall policy / classic rule that allowed or denied it
  | 'virtual-appliance' // an NVA NIC with IP forwarding
  | 'internal-load-balancer'
  | 'virtual-network-gateway'
  | 'virtual-hub'
  | 'nat-gateway'
  | 'public-ip'
  | 'load-balancer'
  | 'default-outbound'
  | 'internet'
  | 'on-premises'
  | 'drop';

export interface Hop {
  readonly kind: HopKind;
  /** Resource ID of the thing this hop passes (route table route, NSG, firewall, ...); `internet` / `on-premises` sinks use a pseudo-ID like `internet`. */
  readonly id: string;
  /** The rule that decided this step, short: `UDR default-to-fw 0.0.0.0/0 → VirtualAppliance 10.0.1.4`. */
  readonly rule: string;
  /** Plain-words explanation of why. */
  readonly explanation: string;
  /** Microsoft Learn URL for the rule. */
  readonly docs: string;
  /** A read-only `az` command that shows the evidence. */
  readonly verify: string;
}

export type FindingSeverity = 'info' | 'warning' | 'error';

export type FindingCode =
  | 'default-outbound'
  | 'nat-gateway-bypassed'
  | 'next-hop-unreachable'
  | 'route-loop'
  | 'no-outbound'
  | 'route-drift'
  | 'snat-capacity'
  | 'firewall-bypass'
  | 'nva-ip-forwarding-disabled'
  | 'basic-sku'
  | 'nat-gateway-on-gateway-subnet'
  | 'gateway-subnet-default-route'
  | 'firewall-subnet-default-route'
  | 'forced-tunnel'
  | 'firewall-default-deny'
  | 'ip-based-backend-pool'
  | 'unsupported-udr-gateway'
  | 'allow-forwarded-traffic-missing'
  | 'private-subnet-internet-udr'
  | 'secured-hub-nat-gateway'
  | 'unknown-next-hop'
  | 'ipv6-not-modelled'
  | 'firewall-rules-not-captured';

export interface Finding {
  readonly code: FindingCode;
  readonly severity: FindingSeverity;
  readonly message: string;
  /** What to do about it. */
  readonly advice?: string;
  /** The resources concerned. */
  readonly resourceIds?: readonly string[];
  readonly docs?: string;
}

/**
 * What runs at the source. `workload`: your VMs, scale sets, PaaS injected into a subnet. The others
 * are the reserved subnets that host only Azure-managed instances, which egress with their own
 * platform-managed public IPs: AzureFirewallSubnet, AzureFirewallManagementSubnet, GatewaySubnet,
 * AzureBastionSubnet, RouteServerSubnet.
 */
export type SourceRole = 'workload' | 'azure-firewall' | 'firewall-management' | 'gateway' | 'bastion' | 'route-server';

export interface PathSource {
  readonly type: 'subnet' | 'nic';
  readonly id: string;
  readonly name: string;
  /** Set on every path the resolver emits (optional only so older JSON still reads). */
  readonly role?: SourceRole;
}

export interface EgressPath {
  readonly source: PathSource;
  readonly verdict: Verdict;
  readonly exit: ExitMethod | null;
  /** IDs of each Azure Firewall, NVA NIC or internal LB passed, in order. */
  readonly via: readonly string[];
  /** Public IPs and prefixes traffic leaves from, when known. */
  readonly egressIps: readonly string[];
  /** SNAT ports available to this source at the exit, when known. */
  readonly snatPorts: number | null;
  readonly hops: readonly Hop[];
  readonly findings: readonly Finding[];
}

export interface ResolveResult {
  readonly schema: typeof RESOLVE_SCHEMA;
  /** `0.0.0.0/0` for the default route, or the what-if destination IP. */
  readonly destination: string;
  readonly paths: readonly EgressPath[];
  /** Estate-level findings (e.g. firewall-bypass, snapshot-level drift). */
  readonly findings: readonly Finding[];
  readonly gaps: readonly Gap[];
}

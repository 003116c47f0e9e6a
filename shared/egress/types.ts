/**
 * The resolver's output contract, `egress-atlas/resolve@1`: what `egress-atlas resolve --format
 * json` prints, what the UI panel, the CLI table and the evidence PDF render. Nothing downstream
 * recomputes a verdict: they all read this.
 */
import type { Gap } from '../model/gaps';

export const RESOLVE_SCHEMA = 'egress-atlas/resolve@1' as const;

import type { Step } from './steps';

/** Every verdict, declared once with its label (CLI, UI and PDF all read this). */
/** How an unrestricted source's reach is worded, the same in the CLI table and the app. */
export const ANY_PUBLIC_DESTINATION = 'any public destination';

export const VERDICTS = {
  internet: 'Internet',
  private: 'Private (never internet)',
  'on-premises': 'On-premises (forced tunnel)',
  dropped: 'Dropped',
  denied: 'Denied',
  'no-outbound': 'No outbound',
  unknown: 'Unknown',
} as const;

export type Verdict = keyof typeof VERDICTS;

/** How traffic finally leaves Azure for the internet. `public-ip` = a public IP on the resource that finally sends (VM NIC, firewall, NVA). */
export type InternetExit = 'nat-gateway' | 'public-ip' | 'load-balancer' | 'default-outbound';

/**
 * Where `private` traffic is delivered without becoming internet traffic: inside the VNet's own
 * address space, over a peering, or (destinations) to a private endpoint or service endpoint.
 */
export type PrivateExit = 'virtual-network' | 'peering' | 'private-endpoint' | 'service-endpoint';

export type ExitMethod = InternetExit | PrivateExit;

/** Every exit, declared once with its label. */
export const EXITS: Readonly<Record<ExitMethod, string>> = {
  'nat-gateway': 'NAT gateway',
  'public-ip': 'public IP of the sender',
  'load-balancer': 'load balancer',
  'default-outbound': 'default outbound access',
  'virtual-network': 'inside the virtual network',
  peering: 'over a VNet peering',
  'private-endpoint': 'private endpoint',
  'service-endpoint': 'service endpoint',
};

/** What an inspected path passed: typed, so no consumer has to guess from a resource ID. */
export type ViaKind = 'azure-firewall' | 'nva' | 'internal-load-balancer' | 'private-endpoint';

export interface Via {
  readonly kind: ViaKind;
  readonly id: string;
}

export type HopKind =
  | 'source'            // the subnet or NIC the traffic starts from
  | 'dns'               // how the destination name resolved (private DNS zone, public, given)
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
  | 'private'           // delivered without becoming internet traffic
  | 'drop';             // the path ends here: dropped, denied, no way out, or unknown

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
  | 'firewall-rules-not-captured'
  | 'private-endpoint-bypasses-firewall'
  | 'nat-gateway-no-public-ip'
  | 'nat-gateway-v2-unsupported-delegation'
  | 'firewall-threat-intel-deny'
  | 'firewall-fqdn-network-rule';

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

interface PathSourceBase {
  readonly id: string;
  readonly name: string;
  /** Set on every path the resolver emits (optional only so older JSON still reads). */
  readonly role?: SourceRole;
}

export interface SubnetSource extends PathSourceBase {
  readonly type: 'subnet';
}

export interface NicSource extends PathSourceBase {
  readonly type: 'nic';
  /**
   * The NIC's subnet. A NIC gets an entry only while its path differs from its subnet's; where it
   * has none it follows that subnet's path, so a comparison needs this to tell "the NIC now leaves
   * like its subnet" from "the NIC is gone". Set on every NIC path the resolver emits (optional
   * only so older JSON still reads).
   */
  readonly subnetId?: string;
}

/** Where a path starts: a subnet (its NICs without an entry of their own), or one NIC. */
export type PathSource = SubnetSource | NicSource;

export interface EgressPath {
  readonly source: PathSource;
  readonly verdict: Verdict;
  readonly exit: ExitMethod | null;
  /** Each Azure Firewall, NVA NIC or internal LB passed, in order. */
  readonly via: readonly Via[];
  /** Public IPs and prefixes traffic leaves from, when known. */
  readonly egressIps: readonly string[];
  /** SNAT ports available to this source at the exit, when known. */
  readonly snatPorts: number | null;
  /** What the engine decided, step by step; the last is the terminal step the verdict comes from. Words: explain.ts. */
  readonly steps: readonly Step[];
  readonly findings: readonly Finding[];
}

/** How the resolve read its destination (the what-if banner and reports say this). */
export interface DestinationInfo {
  readonly kind: 'default-route' | 'address' | 'cidr' | 'fqdn' | 'service-tag';
  /** Canonical form with port and protocol: `api.stripe.com:443/tcp`. */
  readonly label: string;
  readonly port: number;
  readonly protocol: 'Tcp' | 'Udp';
  /** In words: how the destination was interpreted (resolved privately from N VNets, tag data, …). */
  readonly interpretation: string;
}

export interface ResolveResult {
  readonly schema: typeof RESOLVE_SCHEMA;
  /** `0.0.0.0/0` for the default route, or the what-if destination (address, CIDR, name or service tag). */
  readonly destination: string;
  /** Set for every resolve (optional only so older JSON still reads). */
  readonly destinationInfo?: DestinationInfo;
  readonly paths: readonly EgressPath[];
  /** Estate-level findings (e.g. firewall-bypass, snapshot-level drift). */
  readonly findings: readonly Finding[];
  readonly gaps: readonly Gap[];
}
